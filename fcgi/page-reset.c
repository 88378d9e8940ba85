/* page-reset.c: /reset/TOKEN — the public page of a one-time password reset
 * link an admin made (core/pwreset.h): a form for the new password, then
 * the login page. A used or expired link is 410, an unknown one 404. The
 * JSON twin is POST /api/v1/password-reset {"token", "new_password"}. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "pwreset.h"
#include "respond.h"

/* The form for user u, with why under the field when set. */
static void reset_form(struct req *r, int status, const struct user *u, const char *why)
{
	cJSON *ctx = cJSON_CreateObject();

	cJSON_AddStringToObject(ctx, "token", r->args[0]);
	cJSON_AddStringToObject(ctx, "email", u->email);
	if (why != NULL)
		cJSON_AddStringToObject(ctx, "error", resp_tr(r, why));
	respond_page(r, status, "reset", _("Set a new password"), ctx);
}

/* This browser's session, kept when it is the user's own (only theirs end). */
static const char *own_session(const struct req *r)
{
	return r->sess != NULL ? r->sess->token_hash : NULL;
}

void page_reset_form(struct req *r)
{
	struct user u;
	const char *why;
	int rc = pwreset_check(&r->app->db, r->a, r->args[0], &u, &why);

	if (rc == ERR_NOTFOUND || rc == ERR_GONE || rc == ERR_FORBIDDEN)
		respond_error(r, http_status(rc), why);
	else if (rc != 0)
		respond_err(r, rc);
	else
		reset_form(r, 200, &u, NULL);
}

void page_reset(struct req *r)
{
	struct pw_params pp = auth_pw_params(r->app);
	struct user u;
	const char *why;
	int rc = pwreset_use(&r->app->db, r->a, &pp, r->args[0], kv_get(&r->params, "new_password"),
	                     own_session(r), &u, &why);

	if (rc == ERR_INVALID) {
		reset_form(r, 422, &u, why);
	} else if (rc == ERR_NOTFOUND || rc == ERR_GONE || rc == ERR_FORBIDDEN) {
		respond_error(r, http_status(rc), why);
	} else if (rc != 0) {
		respond_err(r, rc);
	} else if (r->sess != NULL && r->sess->user.id == u.id) {
		auth_flash(r, "pw");
		respond_redirect(r, "/account");
	} else {
		auth_flash(r, "reset");
		respond_redirect(r, "/login");
	}
}

void api_password_reset(struct req *r)
{
	struct pw_params pp = auth_pw_params(r->app);
	struct user u;
	const char *why;
	int rc = pwreset_use(&r->app->db, r->a, &pp, kv_get(&r->params, "token"),
	                     kv_get(&r->params, "new_password"), own_session(r), &u, &why);

	if (rc == ERR_INVALID)
		respond_field(r, 422, "new_password", why);
	else if (rc == ERR_NOTFOUND || rc == ERR_GONE || rc == ERR_FORBIDDEN)
		respond_error(r, http_status(rc), why);
	else if (rc != 0)
		respond_err(r, rc);
	else
		r->status = 204;
}
