/* api-auth.c: JSON twins of sign up, log in, log out and the account page. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "users.h"
#include "view.h"

void api_register(struct req *r)
{
	struct pw_params pp = auth_pw_params(r->app);
	const char *why = NULL, *field = NULL;
	struct user u;
	int rc;

	if (!r->app->cfg.register_open) {
		respond_error(r, 403, N_("Sign-up is closed on this server."));
		return;
	}
	rc = users_create(&r->app->db, r->a, &pp, kv_get(&r->params, "email"),
	                  kv_get(&r->params, "password"), "user", &u, &why, &field);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		respond_field(r, rc == ERR_CONFLICT ? 409 : 422, field ? field : "form", why);
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_json(r, 201, view_user(&u));
}

void api_login(struct req *r)
{
	const char *why;
	struct user u;
	cJSON *doc;
	int rc = auth_login(r, &u, &why);

	if (rc == 0)
		rc = auth_start_session(r, &u);
	if (rc != 0) {
		respond_error(r, http_status(rc), why ? why : N_("Logging in failed."));
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "user", view_user(&u));
	cJSON_AddStringToObject(doc, "csrf", r->csrf);
	respond_json(r, 200, doc);
}

void api_logout(struct req *r)
{
	auth_end_session(r);
	r->status = 204;
}

void api_me(struct req *r)
{
	cJSON *doc = view_user(&r->sess->user);

	cJSON_AddStringToObject(doc, "csrf", r->csrf);
	respond_json(r, 200, doc);
}

void api_me_password(struct req *r)
{
	struct pw_params pp = auth_pw_params(r->app);
	const char *why = NULL;
	int rc;

	rc = users_change_password(&r->app->db, r->a, &pp, &r->sess->user,
	                           kv_get(&r->params, "current_password"),
	                           kv_get(&r->params, "new_password"), r->sess->token_hash, &why);
	if (rc == ERR_AUTH)
		respond_field(r, 403, "current_password", why);
	else if (rc == ERR_INVALID)
		respond_field(r, 422, "new_password", why);
	else if (rc != 0)
		respond_err(r, rc);
	else
		r->status = 204;
}

void api_me_delete(struct req *r)
{
	int rc;

	if (kv_get(&r->params, "confirm") == NULL) {
		respond_field(r, 422, "confirm",
		              N_("Send \"confirm\": true to delete everything."));
		return;
	}
	rc = auth_delete_account(r, kv_get(&r->params, "password"));
	if (rc == ERR_AUTH) {
		respond_field(r, 403, "password", N_("Your password is not correct."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	r->status = 204;
}
