/* page-account.c: the account page: details, language, change password,
 * personal API tokens, delete. */
#include "apiauth.h"
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "tagedit.h"
#include "users.h"
#include "view.h"

#include <string.h>

void account_page(struct req *r, int status, cJSON *ctx)
{
	struct api_token *tokens;
	struct prefs p;
	int n;

	if (ctx == NULL)
		ctx = cJSON_CreateObject();
	if (cJSON_GetObjectItem(ctx, "prefs") == NULL &&
	    tagedit_prefs_get(&r->app->db, r->a, &r->sess->user, view_tag_lang(r), &p) == 0)
		cJSON_AddItemToObject(ctx, "prefs", view_prefs(r->a, &p));
	if (apitokens_list(&r->app->db, r->a, r->sess->user.id, &tokens, &n) == 0) {
		cJSON *arr = cJSON_AddArrayToObject(ctx, "tokens");
		for (int i = 0; i < n; i++) {
			cJSON *t = view_api_token(r->a, &tokens[i]);
			cJSON_AddStringToObject(t, "created_text",
			                        i18n_datetime(r->lang, r->a, tokens[i].created_at));
			if (tokens[i].last_used_at != NULL)
				cJSON_AddStringToObject(
				    t, "last_used_text",
				    i18n_datetime(r->lang, r->a, tokens[i].last_used_at));
			cJSON_AddItemToArray(arr, t);
		}
		cJSON_AddBoolToObject(ctx, "has_tokens", n > 0);
	}
	cJSON_AddBoolToObject(ctx, "is_admin", strcmp(r->sess->user.role, "admin") == 0);
	respond_page(r, status, "account", _("Your account"), ctx);
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
	cJSON_AddStringToObject(pw, rc == ERR_AUTH ? "error_current" : "error_new",
	                        resp_tr(r, why));
	account_page(r, http_status(rc), ctx);
}

void page_account_delete(struct req *r)
{
	const char *why = NULL;
	cJSON *ctx, *del;
	int rc = ERR_INVALID;

	if (kv_get(&r->params, "confirm") == NULL) {
		why = _("Tick the box to confirm that everything will be deleted.");
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
		why = _("Your password is not correct.");
	}
	ctx = cJSON_CreateObject();
	del = cJSON_AddObjectToObject(ctx, "del");
	cJSON_AddStringToObject(del, "error", why);
	account_page(r, http_status(rc), ctx);
}

void page_account_token_create(struct req *r)
{
	static const char *const flags[] = {"scope_read", "scope_upload", "scope_tags",
	                                    "scope_admin"};
	static const unsigned bits[] = {SCOPE_READ, SCOPE_UPLOAD, SCOPE_TAGS, SCOPE_ADMIN};
	char token[APITOKEN_LEN + 1];
	unsigned scopes = 0;
	struct api_token t;
	const char *why = N_("Choose at least one scope.");
	cJSON *ctx = cJSON_CreateObject(), *form;
	int rc = ERR_INVALID;

	for (int i = 0; i < 4; i++)
		if (kv_get(&r->params, flags[i]) != NULL)
			scopes |= bits[i];
	if ((scopes & SCOPE_ADMIN) && strcmp(r->sess->user.role, "admin") != 0)
		why = N_("Only administrators can give a token the admin scope.");
	else if (scopes != 0)
		rc = apitokens_create(&r->app->db, r->a, r->sess->user.id,
		                      kv_get(&r->params, "name"), scopes, &t, token, &why);
	if (rc == 0) {
		form = cJSON_AddObjectToObject(ctx, "new_token");
		cJSON_AddStringToObject(form, "name", t.name);
		cJSON_AddStringToObject(form, "value", token);
		account_page(r, 200, ctx);
		return;
	}
	if (rc != ERR_INVALID && rc != ERR_LIMIT) {
		cJSON_Delete(ctx);
		respond_err(r, rc);
		return;
	}
	form = cJSON_AddObjectToObject(ctx, "token_form");
	cJSON_AddStringToObject(form, "error", resp_tr(r, why));
	cJSON_AddStringToObject(form, "name", kv_get(&r->params, "name"));
	account_page(r, rc == ERR_LIMIT ? 409 : 422, ctx);
}

void page_account_token_delete(struct req *r)
{
	int rc = apitokens_delete(&r->app->db, r->a, r->sess->user.id, r->args[0]);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	auth_flash(r, "token_revoked");
	respond_redirect(r, "/account#tokens");
}
