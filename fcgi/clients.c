/* clients.c: bearer tokens, scopes, budgets, CORS and ETags (see clients.h). */
#include "clients.h"
#include "apiauth.h"
#include "auth.h"
#include "err.h"
#include "jwt.h"
#include "ratelimit.h"
#include "respond.h"
#include "token.h"

#include <arpa/inet.h>
#include <fcgiapp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *env(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fx->envp);
}

static int unauthorised(struct req *r, const char *why)
{
	resp_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
	respond_error(r, 401, why);
	return ERR_AUTH;
}

/* The user of a JWT access token: every scope of theirs. */
static int from_jwt(struct req *r, const char *tok, struct user *u, unsigned *scopes)
{
	const struct config *c = &r->app->cfg;
	struct jwt_claims cl;
	int rc;

	if (c->jwt_secret[0] == '\0' ||
	    jwt_verify(c->jwt_secret, strlen(c->jwt_secret), tok, (long long)time(NULL), &cl) != 0)
		return ERR_AUTH;
	if ((rc = users_by_public_id(&r->app->db, r->a, cl.sub, u)) != 0)
		return rc;
	/* refused at once when the account is disabled, and for good when it
	 * was issued before an admin disabled it or its password was reset */
	if (u->disabled || cl.iat <= u->tokens_revoked)
		return ERR_AUTH;
	*scopes = SCOPES_ALL & ~(strcmp(u->role, "admin") ? (unsigned)SCOPE_ADMIN : 0u);
	return 0;
}

/* The user and scopes of a bearer token (JWT or personal), without answering. */
static int bearer_user(struct req *r, const char *tok, struct user *u, unsigned *scopes)
{
	if (strncmp(tok, APITOKEN_PREFIX, strlen(APITOKEN_PREFIX)) == 0)
		return apitokens_lookup(&r->app->db, r->a, tok, u, scopes);
	return from_jwt(r, tok, u, scopes);
}

int clients_bearer(struct req *r)
{
	const char *h = env(r, "HTTP_AUTHORIZATION");
	struct session *s;
	int rc;

	if (!r->api || h == NULL)
		return 0;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return unauthorised(r, N_("Send the token as \"Authorization: Bearer TOKEN\"."));
	s = arena_calloc(r->a, 1, sizeof(*s));
	rc = bearer_user(r, h + 7, &s->user, &r->scopes);
	if (rc == ERR_DB || rc == ERR_UNAVAILABLE) {
		respond_err(r, rc);
		return rc;
	}
	if (rc != 0)
		return unauthorised(r, N_("This token is not valid: it has expired, was revoked, "
		                          "or was never issued here."));
	s->token_hash = ""; /* not a cookie session: a password change ends every one of those */
	r->sess = s;
	r->bearer = 1;
	return 0;
}

/* A caller on this host, as the web server saw it: 127.0.0.0/8, ::1 or
 * ::ffff:127.0.0.0/104. */
static int loopback(const char *ip)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, ip, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, ip, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	return 0;
}

int clients_operator(struct req *r)
{
	const char *h = env(r, "HTTP_AUTHORIZATION"), *cookie;
	struct session s;
	unsigned scopes = 0;

	/* a proxy on this host connects from loopback for anyone: what it
	 * forwards is not local (the headers' values are never trusted) */
	if (loopback(r->client_ip) && env(r, "HTTP_X_FORWARDED_FOR") == NULL &&
	    env(r, "HTTP_FORWARDED") == NULL && env(r, "HTTP_X_REAL_IP") == NULL)
		return 1;
	if (h != NULL)
		return strncasecmp(h, "Bearer ", 7) == 0 &&
		       bearer_user(r, h + 7, &s.user, &scopes) == 0 && (scopes & SCOPE_ADMIN) &&
		       strcmp(s.user.role, "admin") == 0;
	cookie = kv_get(&r->cookies, COOKIE_SESSION);
	return cookie != NULL && sess_lookup(&r->app->db, r->a, cookie, &s) == 0 &&
	       strcmp(s.user.role, "admin") == 0;
}

static unsigned scope_needed(const struct req *r, const struct route *rt)
{
	if (rt->flags & R_ADMIN)
		return SCOPE_ADMIN;
	if (rt->flags & R_S_UPLOAD)
		return SCOPE_UPLOAD;
	if (rt->flags & R_S_TAGS)
		return SCOPE_TAGS;
	if (rt->flags & R_S_ACCOUNT)
		return SCOPE_ACCOUNT;
	return strcmp(r->method, "GET") == 0 ? SCOPE_READ : SCOPE_ACCOUNT;
}

int clients_scope_ok(struct req *r, const struct route *rt)
{
	unsigned need = scope_needed(r, rt);
	const char **name;

	if (!r->bearer || (r->scopes & need))
		return 1;
	name = scopes_names(r->a, need);
	respond_error(r, 403,
	              name[0] ? arena_printf(r->a, _("This token lacks the \"%s\" scope."), name[0])
	                      : N_("Only a login (not a personal token) may do this."));
	return 0;
}

static int over(struct req *r, const char *key, int limit)
{
	int retry, rc = rate_hit(&r->app->db, r->a, key, limit, r->app->cfg.rate_window, &retry);

	if (rc != ERR_THROTTLED)
		return 0; /* a failing counter never blocks the request */
	resp_header(r, "Retry-After", arena_printf(r->a, "%d", retry));
	respond_error(
	    r, 429,
	    arena_printf(r->a,
	                 _n("Too many requests; try again in %d second.",
	                    "Too many requests; try again in %d seconds.", (unsigned long)retry),
	                 retry));
	return 1;
}

int clients_rate_ok(struct req *r, const struct route *rt)
{
	const struct config *c = &r->app->cfg;
	const char *key;

	if (!r->api || (rt->flags & R_NODB))
		return 1;
	if (random() % 1000 == 0)
		(void)rate_prune(&r->app->db, r->a);
	if (r->bearer && strncmp(env(r, "HTTP_AUTHORIZATION") + 7, APITOKEN_PREFIX, 3) == 0) {
		char hash[65];
		token_hash_hex(env(r, "HTTP_AUTHORIZATION") + 7, hash);
		key = arena_printf(r->a, "api:token:%.16s", hash);
	} else if (r->sess != NULL) {
		key = arena_printf(r->a, "api:user:%lld", r->sess->user.id);
	} else {
		key = arena_printf(r->a, "api:ip:%s", r->client_ip);
	}
	if (over(r, key, c->rate_api))
		return 0;
	if ((rt->flags & R_S_UPLOAD) && strcmp(r->method, "POST") == 0 && r->sess != NULL &&
	    over(r, arena_printf(r->a, "upload:user:%lld", r->sess->user.id), c->rate_upload))
		return 0;
	return 1;
}

/* 1 when origin is one of the space-separated allowed origins. */
static int origin_allowed(const struct req *r)
{
	const char *list = r->app->cfg.cors_origins, *o = r->origin;
	size_t n = o ? strlen(o) : 0;

	while (n && *list) {
		size_t len = strcspn(list, " ");
		if (len == n && strncmp(list, o, n) == 0)
			return 1;
		list += len;
		list += strspn(list, " ");
	}
	return 0;
}

void clients_cors(struct req *r)
{
	if (!r->api || !origin_allowed(r))
		return;
	resp_header(r, "Access-Control-Allow-Origin", r->origin);
	resp_header(r, "Access-Control-Expose-Headers",
	            "ETag, Retry-After, Location, X-Request-Id");
	resp_header(r, "Vary", "Origin");
}

void clients_preflight(struct req *r, const char *allow)
{
	if (!origin_allowed(r)) {
		respond_error(r, 403, N_("This origin may not call the API from a browser."));
		return;
	}
	resp_header(r, "Access-Control-Allow-Methods", allow);
	resp_header(r, "Access-Control-Allow-Headers",
	            "Authorization, Content-Type, If-None-Match, X-CSRF-Token");
	resp_header(r, "Access-Control-Max-Age", "600");
	r->status = 204;
}

void clients_etag(struct req *r)
{
	const char *inm;
	char hex[65], *tag;

	if (!r->api || strcmp(r->method, "GET") != 0 || r->status != 200 || r->file_sent ||
	    r->body.len == 0)
		return;
	sha256_hex(r->body.data, r->body.len, hex);
	tag = arena_printf(r->a, "\"%.32s\"", hex);
	resp_header(r, "ETag", tag);
	resp_header(r, "Cache-Control", "private, no-cache");
	inm = env(r, "HTTP_IF_NONE_MATCH");
	if (inm != NULL && (strstr(inm, tag) != NULL || strcmp(inm, "*") == 0)) {
		r->status = 304;
		buf_clear(&r->body);
		r->ctype = NULL;
	}
}
