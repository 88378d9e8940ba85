/* api-tokens.c: credentials for API clients — JWT login with rotating
 * refresh tokens, and personal API tokens (JSON; the account page has the
 * same tokens in page-account.c). */
#include "apiauth.h"
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "jwt.h"
#include "respond.h"
#include "view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The answer of a login or refresh: a fresh access token for u and the
 * refresh token that comes with it. */
static void token_pair(struct req *r, const struct user *u, const char *refresh)
{
	const struct config *c = &r->app->cfg;
	struct jwt_claims cl;
	char jwt[JWT_MAX + 1];
	cJSON *doc;

	memset(&cl, 0, sizeof(cl));
	snprintf(cl.sub, sizeof(cl.sub), "%s", u->public_id);
	public_id_new(cl.jti);
	cl.iat = (long long)time(NULL);
	cl.exp = cl.iat + c->jwt_ttl;
	if (jwt_sign(c->jwt_secret, strlen(c->jwt_secret), &cl, jwt) != 0) {
		respond_err(r, ERR_INVALID);
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "access_token", jwt);
	cJSON_AddStringToObject(doc, "token_type", "Bearer");
	cJSON_AddNumberToObject(doc, "expires_in", (double)c->jwt_ttl);
	cJSON_AddStringToObject(doc, "refresh_token", refresh);
	cJSON_AddNumberToObject(doc, "refresh_expires_in", (double)c->refresh_ttl);
	cJSON_AddItemToObject(doc, "user", view_user(u));
	respond_json(r, 200, doc);
}

static int jwt_ready(struct req *r)
{
	if (r->app->cfg.jwt_secret[0])
		return 1;
	respond_error(r, 503,
	              N_("Token logins are not set up on this server (jwt_secret is empty). "
	                 "Use a personal API token or a session."));
	return 0;
}

void api_auth_login(struct req *r)
{
	char refresh[TOKEN_STR_LEN + 1];
	const char *why;
	struct user u;
	int rc;

	if (!jwt_ready(r))
		return;
	if ((rc = auth_login(r, &u, &why)) != 0) {
		respond_error(r, http_status(rc), why ? why : N_("Logging in failed."));
		return;
	}
	if ((rc = refresh_issue(&r->app->db, r->a, u.id, r->app->cfg.refresh_ttl, refresh)) != 0) {
		respond_err(r, rc);
		return;
	}
	token_pair(r, &u, refresh);
}

void api_auth_refresh(struct req *r)
{
	char next[TOKEN_STR_LEN + 1];
	long long uid;
	struct user u;
	int rc;

	if (!jwt_ready(r))
		return;
	rc = refresh_rotate(&r->app->db, r->a, kv_get(&r->params, "refresh_token"),
	                    r->app->cfg.refresh_ttl, &uid, next);
	if (rc == 0)
		rc = users_get(&r->app->db, r->a, uid, &u);
	if (rc == ERR_AUTH || rc == ERR_NOTFOUND) {
		respond_error(r, 401,
		              N_("This refresh token is not valid: it expired, was revoked or "
		                 "was already used. Log in again."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	token_pair(r, &u, next);
}

void api_auth_logout(struct req *r)
{
	int rc = refresh_revoke(&r->app->db, r->a, kv_get(&r->params, "refresh_token"));

	if (rc == ERR_AUTH) {
		respond_error(r, 401, N_("This refresh token is not known here."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	r->status = 204;
}

void api_tokens_list(struct req *r)
{
	struct api_token *items;
	cJSON *doc, *arr;
	int n, rc = apitokens_list(&r->app->db, r->a, r->sess->user.id, &items, &n);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "tokens");
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_api_token(r->a, &items[i]));
	respond_json(r, 200, doc);
}

void api_tokens_create(struct req *r)
{
	char token[APITOKEN_LEN + 1];
	struct api_token t;
	const char *why, *field = "scopes";
	unsigned scopes;
	cJSON *doc;
	int rc = scopes_parse(r->a, kv_get(&r->params, "scopes"), &scopes, &why);

	if (rc == 0 && (scopes & SCOPE_ADMIN) && strcmp(r->sess->user.role, "admin") != 0) {
		rc = ERR_INVALID;
		why = N_("Only administrators can give a token the \"admin\" scope.");
	}
	if (rc == 0) {
		field = "name";
		rc = apitokens_create(&r->app->db, r->a, r->sess->user.id,
		                      kv_get(&r->params, "name"), scopes, &t, token, &why);
	}
	if (rc == ERR_INVALID || rc == ERR_LIMIT) {
		respond_field(r, rc == ERR_LIMIT ? 409 : 422, rc == ERR_LIMIT ? "form" : field,
		              why);
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	doc = view_api_token(r->a, &t);
	cJSON_AddStringToObject(doc, "token", token);
	respond_json(r, 201, doc);
}

void api_tokens_delete(struct req *r)
{
	int rc = apitokens_delete(&r->app->db, r->a, r->sess->user.id, r->args[0]);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	r->status = 204;
}
