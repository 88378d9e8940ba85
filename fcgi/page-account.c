/* page-account.c: the account page: details, change password, delete. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "tagedit.h"
#include "users.h"
#include "view.h"

void account_page(struct req *r, int status, cJSON *ctx)
{
	struct prefs p;

	if (ctx == NULL)
		ctx = cJSON_CreateObject();
	if (cJSON_GetObjectItem(ctx, "prefs") == NULL &&
	    tagedit_prefs_get(&r->app->db, r->a, &r->sess->user, &p) == 0)
		cJSON_AddItemToObject(ctx, "prefs", view_prefs(r->a, &p));
	respond_page(r, status, "account", "Your account", ctx);
}

void page_account(struct req *r)
{
	account_page(r, 200, NULL);
}

void page_account_password(struct req *r)
{
	struct pw_params pp = auth_pw_params(r->app);
	const char *why = NULL;
	cJSON *ctx, *pw;
	int rc;

	rc = users_change_password(&r->app->db, r->a, &pp, &r->sess->user,
	                           kv_get(&r->params, "current_password"),
	                           kv_get(&r->params, "new_password"), r->sess->token_hash, &why);
	if (rc == 0) {
		auth_flash(r, "pw");
		respond_redirect(r, "/account");
		return;
	}
	if (rc != ERR_AUTH && rc != ERR_INVALID) {
		respond_err(r, rc);
		return;
	}
	ctx = cJSON_CreateObject();
	pw = cJSON_AddObjectToObject(ctx, "pw");
	cJSON_AddStringToObject(pw, rc == ERR_AUTH ? "error_current" : "error_new", why);
	account_page(r, http_status(rc), ctx);
}

void page_account_delete(struct req *r)
{
	const char *why = NULL;
	cJSON *ctx, *del;
	int rc = ERR_INVALID;

	if (kv_get(&r->params, "confirm") == NULL) {
		why = "Tick the box to confirm that everything will be deleted.";
	} else {
		rc = auth_delete_account(r, kv_get(&r->params, "password"));
		if (rc == 0) {
			auth_flash(r, "deleted");
			respond_redirect(r, "/");
			return;
		}
		if (rc != ERR_AUTH) {
			respond_err(r, rc);
			return;
		}
		why = "Your password is not correct.";
	}
	ctx = cJSON_CreateObject();
	del = cJSON_AddObjectToObject(ctx, "del");
	cJSON_AddStringToObject(del, "error", why);
	account_page(r, http_status(rc), ctx);
}
