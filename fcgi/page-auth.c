/* page-auth.c: sign up, log in, log out. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "users.h"

#include <string.h>

static void register_form(struct req *r, int status, const char *field, const char *why)
{
	cJSON *ctx = cJSON_CreateObject(), *errors;
	const char *email = kv_get(&r->params, "email");

	cJSON_AddStringToObject(ctx, "email", email ? email : "");
	if (why != NULL) {
		errors = cJSON_AddObjectToObject(ctx, "errors");
		cJSON_AddStringToObject(errors, field ? field : "form", resp_tr(r, why));
	}
	respond_page(r, status, "register", _("Sign up"), ctx);
}

void page_register_form(struct req *r)
{
	if (r->sess != NULL) {
		respond_redirect(r, "/account");
		return;
	}
	register_form(r, 200, NULL, NULL);
}

void page_register(struct req *r)
{
	struct pw_params pp = auth_pw_params(r->app);
	const char *why = NULL, *field = NULL;
	struct user u;
	int rc;

	if (!r->app->cfg.register_open) {
		register_form(r, 403, "form",
		              N_("Sign-up is closed on this server. Ask an admin."));
		return;
	}
	rc = users_create(&r->app->db, r->a, &pp, kv_get(&r->params, "email"),
	                  kv_get(&r->params, "password"), "user", &u, &why, &field);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		register_form(r, http_status(rc), field, why);
		return;
	}
	if (rc != 0 || (rc = auth_start_session(r, &u)) != 0) {
		respond_err(r, rc);
		return;
	}
	auth_flash(r, "welcome");
	respond_redirect(r, "/");
}

static void login_form(struct req *r, int status, const char *why)
{
	cJSON *ctx = cJSON_CreateObject();
	const char *email = kv_get(&r->params, "email"), *next = kv_get(&r->params, "next");

	cJSON_AddStringToObject(ctx, "email", email ? email : "");
	cJSON_AddStringToObject(ctx, "next", next ? next : "");
	if (why != NULL)
		cJSON_AddStringToObject(ctx, "error", resp_tr(r, why));
	respond_page(r, status, "login", _("Log in"), ctx);
}

void page_login_form(struct req *r)
{
	if (r->sess != NULL) {
		respond_redirect(r, "/");
		return;
	}
	login_form(r, 200, NULL);
}

void page_login(struct req *r)
{
	const char *why, *next = kv_get(&r->params, "next");
	struct user u;
	int rc = auth_login(r, &u, &why);

	if (rc == ERR_UNAVAILABLE || rc == ERR_DB || rc == ERR_NOMEM) {
		respond_err(r, rc);
		return;
	}
	if (rc != 0) {
		login_form(r, http_status(rc), why);
		return;
	}
	if ((rc = auth_start_session(r, &u)) != 0) {
		respond_err(r, rc);
		return;
	}
	auth_flash(r, "hello");
	respond_redirect(r, next != NULL && next[0] == '/' ? next : "/");
}

void page_logout(struct req *r)
{
	auth_end_session(r);
	auth_flash(r, "bye");
	respond_redirect(r, "/");
}
