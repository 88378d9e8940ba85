/* dispatch.c: the request lifecycle (see dispatch.h and DESIGN.md). */
#include "dispatch.h"
#include "auth.h"
#include "clients.h"
#include "err.h"
#include "metrics.h"
#include "respond.h"
#include "routes.h"
#include "token.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CSRF_COOKIE_AGE (365L * 24 * 3600)
#define MAX_PARAMS 64

static const struct kv_limits cookie_limits = {32, 64, 4096};

static const char *param(FCGX_Request *fx, const char *name)
{
	const char *v = FCGX_GetParam(name, fx->envp);

	return v ? v : "";
}

static void req_init(struct req *r, struct app *app, FCGX_Request *fx, struct arena *a)
{
	unsigned char rnd[8];
	const char *cl;

	memset(r, 0, sizeof(*r));
	r->app = app;
	r->fx = fx;
	r->a = a;
	token_random(rnd, sizeof(rnd));
	for (int i = 0; i < 8; i++)
		snprintf(r->rid + 2 * i, 3, "%02x", rnd[i]);
	r->method = param(fx, "REQUEST_METHOD");
	if (strcmp(r->method, "HEAD") == 0) {
		r->method = "GET";
		r->head_only = 1;
	}
	/* DOCUMENT_URI (nginx) / SCRIPT_NAME+PATH_INFO differ by server;
	 * REQUEST_URI without its query is the same everywhere. */
	{
		const char *uri = param(fx, "REQUEST_URI"), *q = strchr(uri, '?');
		r->path = q ? arena_strndup(a, uri, (size_t)(q - uri)) : uri;
		r->query = q ? q + 1 : "";
	}
	r->content_type = param(fx, "CONTENT_TYPE");
	r->client_ip = param(fx, "REMOTE_ADDR");
	r->user_agent = param(fx, "HTTP_USER_AGENT");
	r->host = param(fx, "HTTP_HOST");
	r->origin = FCGX_GetParam("HTTP_ORIGIN", fx->envp);
	r->csrf_header = FCGX_GetParam("HTTP_X_CSRF_TOKEN", fx->envp);
	cl = param(fx, "CONTENT_LENGTH");
	r->content_length = *cl ? strtol(cl, NULL, 10) : 0;
	r->api = strncmp(r->path, "/api/", 5) == 0;
	r->lang = &app->i18n.lang[0];
	{
		const char *sw = param(fx, "SERVER_SOFTWARE");
		r->server = strncmp(sw, "lighttpd", 8) == 0 ? "lighttpd"
		            : strncmp(sw, "nginx", 5) == 0  ? "nginx"
		                                            : "";
	}
}

/* Read exactly content_length bytes of body into the arena. */
static int read_body(struct req *r, char **body)
{
	char *p = arena_alloc(r->a, (size_t)r->content_length + 1);
	int got = FCGX_GetStr(p, (int)r->content_length, r->fx->in);

	if (got != r->content_length)
		return ERR_INVALID;
	p[got] = '\0';
	*body = p;
	return 0;
}

/* An array of strings as one space-separated value ("read upload"); NULL
 * when an element is not a string or has a space in it. */
static const char *join_strings(struct arena *a, const cJSON *arr)
{
	const cJSON *el;
	const char *out = "";

	cJSON_ArrayForEach(el, arr)
	{
		if (!cJSON_IsString(el) || strchr(el->valuestring, ' ') != NULL)
			return NULL;
		out = arena_printf(a, "%s%s%s", out, *out ? " " : "", el->valuestring);
	}
	return out;
}

/* A JSON object body becomes name/value pairs: strings as they are, whole
 * numbers in decimal, arrays of strings space-separated, true as "yes"
 * (flags); other types are refused. */
static int json_to_kv(struct req *r, const char *body, struct kv_list *out)
{
	cJSON *doc = cJSON_ParseWithLength(body, (size_t)r->content_length), *it;
	int n = 0, rc = 0;

	if (doc == NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return ERR_INVALID;
	}
	out->items = arena_calloc(r->a, MAX_PARAMS, sizeof(struct kv));
	cJSON_ArrayForEach(it, doc)
	{
		const char *v = NULL;
		if (n >= MAX_PARAMS) {
			rc = ERR_LIMIT;
			break;
		}
		if (cJSON_IsString(it))
			v = it->valuestring;
		else if (cJSON_IsArray(it))
			v = join_strings(r->a, it);
		else if (cJSON_IsNumber(it) &&
		         it->valuedouble == (double)(long long)it->valuedouble &&
		         fabs(it->valuedouble) < 1e15)
			v = arena_printf(r->a, "%lld", (long long)it->valuedouble);
		else if (cJSON_IsTrue(it))
			v = "yes";
		else if (cJSON_IsFalse(it) || cJSON_IsNull(it))
			continue;
		if (v == NULL) {
			rc = ERR_INVALID;
			break;
		}
		out->items[n].name = arena_strdup(r->a, it->string ? it->string : "");
		out->items[n].value = arena_strdup(r->a, v);
		out->items[n].vlen = strlen(v);
		n++;
	}
	out->n = n;
	cJSON_Delete(doc);
	return rc;
}

/* Raw parameters from the query (GET) or the body (POST/DELETE). */
static int raw_params(struct req *r, struct kv_list *raw, const char **why)
{
	struct kv_limits lim = {MAX_PARAMS, 64, 64 * 1024};
	char *body;
	int rc;

	*why = N_("The request could not be understood.");
	if (strcmp(r->method, "GET") == 0)
		return kv_parse_urlencoded(r->a, r->query, strlen(r->query), &lim, raw);
	if (r->content_length <= 0) {
		raw->n = 0;
		return 0;
	}
	if (r->content_length > r->app->cfg.body_max) {
		*why = N_("The request body is larger than this server accepts.");
		return ERR_LIMIT;
	}
	if ((rc = read_body(r, &body)) != 0)
		return rc;
	if (strncmp(r->content_type, "application/x-www-form-urlencoded", 33) == 0)
		return kv_parse_urlencoded(r->a, body, (size_t)r->content_length, &lim, raw);
	if (strncmp(r->content_type, "application/json", 16) == 0) {
		*why = N_("The body must be a JSON object of strings.");
		return json_to_kv(r, body, raw);
	}
	*why = N_("Send the form as application/x-www-form-urlencoded or application/json.");
	return ERR_INVALID;
}

/* Keep only the declared parameters, each validated. On failure *field
 * names the offender and *why says what is wrong: a format for its name. */
static int validate_params(struct req *r, const struct route *rt, const struct kv_list *raw,
                           const char **field, const char **why)
{
	const struct param *p;
	int n = 0;

	for (p = rt->params; p->name; p++)
		n++;
	r->params.items = arena_calloc(r->a, (size_t)n + 1, sizeof(struct kv));
	r->params.n = 0;
	for (p = rt->params; p->name; p++) {
		const char *v = kv_get(raw, p->name);
		*field = p->name;
		if (kv_count(raw, p->name) > 1) {
			*why = N_("The field \"%s\" is given more than once.");
			return ERR_INVALID;
		}
		if (v == NULL) {
			if (p->required) {
				*why = N_("The field \"%s\" is missing.");
				return ERR_INVALID;
			}
			continue;
		}
		if (validate_value(p->kind, v, strlen(v), p->maxlen, why) != 0)
			return ERR_INVALID;
		r->params.items[r->params.n].name = p->name;
		r->params.items[r->params.n].value = v;
		r->params.items[r->params.n].vlen = strlen(v);
		r->params.n++;
	}
	return 0;
}

/* Same-origin check for state-changing requests that carry Origin. */
static int origin_ok(const struct req *r)
{
	const char *o = r->origin, *hostpart;

	if (o == NULL || strcmp(o, "null") == 0)
		return o == NULL;
	hostpart = strstr(o, "://");
	return hostpart != NULL && strcmp(hostpart + 3, r->host) == 0;
}

/* Find the session and the CSRF token forms must echo. */
static int load_session(struct req *r)
{
	const char *tok = kv_get(&r->cookies, COOKIE_SESSION), *anon;
	struct session *s;
	int rc;

	if (tok != NULL) {
		s = arena_alloc(r->a, sizeof(*s));
		rc = sess_lookup(&r->app->db, r->a, tok, s);
		if (rc == 0) {
			r->sess = s;
			r->csrf = s->csrf;
			return 0;
		}
		if (rc != ERR_NOTFOUND)
			return rc;
		resp_cookie(r, COOKIE_SESSION, "", -1);
	}
	anon = kv_get(&r->cookies, COOKIE_CSRF);
	if (anon == NULL || strlen(anon) != TOKEN_STR_LEN) {
		char fresh[TOKEN_STR_LEN + 1];
		token_new(fresh);
		anon = arena_strdup(r->a, fresh);
		resp_cookie(r, COOKIE_CSRF, anon, CSRF_COOKIE_AGE);
	}
	r->csrf = anon;
	return 0;
}

int csrf_ok(const struct req *r, const char *form_token)
{
	const char *sent;

	if (r->bearer) /* no ambient authority: a page elsewhere cannot send it */
		return 1;
	if (!origin_ok(r))
		return 0;
	if (r->api && r->sess == NULL)
		return strncmp(r->content_type, "application/json", 16) == 0;
	sent = r->api ? r->csrf_header : form_token;
	return sent != NULL && r->csrf != NULL && token_equal(sent, r->csrf);
}

/* The language of the answer: the one the user chose (users.locale), else
 * the lang cookie (the selector; not with a bearer token, which ignores
 * cookies), else Accept-Language, else English. */
static void pick_lang(struct req *r)
{
	const struct i18n *i = &r->app->i18n;
	const struct i18n_lang *l = r->sess ? i18n_find(i, r->sess->user.locale) : NULL;

	if (l == NULL && !r->bearer)
		l = i18n_find(i, kv_get(&r->cookies, COOKIE_LANG));
	if (l == NULL)
		l = i18n_accept(i, FCGX_GetParam("HTTP_ACCEPT_LANGUAGE", r->fx->envp));
	r->lang = l ? l : &i->lang[0];
}

/* Answer r; *matched is its route (NULL when none matched). */
static void handle(struct req *r, const struct route **matched)
{
	char allow[64];
	const struct route *rt = route_find(r->method, r->path, allow, sizeof(allow), r->args);
	struct kv_list raw = {0};
	const char *why, *field;
	int rc;

	if (kv_parse_cookies(r->a, param(r->fx, "HTTP_COOKIE"), &cookie_limits, &r->cookies))
		r->cookies.n = 0;
	pick_lang(r);
	*matched = rt;
	if (rt == NULL) {
		if (allow[0] && r->api && strcmp(r->method, "OPTIONS") == 0) {
			clients_cors(r);
			clients_preflight(r, allow);
		} else if (allow[0]) {
			resp_header(r, "Allow", allow);
			respond_error(r, 405, N_("This address does not accept that method."));
		} else {
			respond_err(r, ERR_NOTFOUND);
		}
		return;
	}
	r->route_pattern = rt->path;
	if (rt->flags & R_API)
		r->api = 1;
	clients_cors(r);
	if (rt->flags & R_LOCAL) { /* the same 404 as an unknown path to anyone else */
		if (clients_operator(r))
			rt->fn(r);
		else
			respond_err(r, ERR_NOTFOUND);
		return;
	}
	if (!(rt->flags & R_NODB) && clients_bearer(r) != 0)
		return;
	if (!(rt->flags & R_NODB) && !r->bearer && (rc = load_session(r)) != 0) {
		respond_err(r, rc);
		return;
	}
	pick_lang(r); /* now with the user's own choice */
	if ((rt->flags & R_SESSION) && r->sess == NULL) {
		if (r->api) {
			respond_error(r, 401, N_("Log in first."));
		} else {
			respond_redirect(r, arena_printf(r->a, "/login?next=%s",
			                                 strcmp(r->method, "GET") ? "/" : r->path));
		}
		return;
	}
	if ((rt->flags & R_ADMIN) && strcmp(r->sess->user.role, "admin") != 0) {
		respond_err(r, ERR_FORBIDDEN);
		return;
	}
	if (!clients_scope_ok(r, rt) || !clients_rate_ok(r, rt))
		return;
	if (rt->flags & R_UPLOAD) {
		rt->fn(r); /* streams its own body, checks CSRF before any file */
		return;
	}
	if ((rc = raw_params(r, &raw, &why)) != 0) {
		respond_error(r, rc == ERR_LIMIT ? 413 : 400, why);
		return;
	}
	if ((rt->flags & R_CSRF) && !csrf_ok(r, kv_get(&raw, "csrf"))) {
		respond_error(r, 403,
		              N_("This form has expired or did not come from this site. "
		                 "Reload the page and try again."));
		return;
	}
	if (validate_params(r, rt, &raw, &field, &why) != 0) {
		why = arena_printf(r->a, _(why), field);
		if (r->api) /* the body parsed; one of its fields is wrong */
			respond_field(r, 422, field, why);
		else
			respond_error(r, 400, why);
		return;
	}
	rt->fn(r);
}

int dispatch_metrics_open(const char *path)
{
	size_t i, n;
	const struct route *rt = route_table(&n);
	struct metrics_key *keys = calloc(n, sizeof(*keys));
	int rc;

	if (keys == NULL)
		return ERR_NOMEM;
	for (i = 0; i < n; i++) {
		keys[i].method = rt[i].method;
		keys[i].route = rt[i].path;
	}
	rc = metrics_open(path, METRICS_WORKER, keys, n);
	free(keys);
	return rc;
}

void dispatch(struct app *app, FCGX_Request *fx, struct arena *arena)
{
	struct req r;
	struct timespec t0, t1;
	const struct route *rt;
	size_t n;
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	metrics_request_start();
	req_init(&r, app, fx, arena);
	snprintf(app->db.log_tag, sizeof(app->db.log_tag), "%s", r.rid);
	handle(&r, &rt);
	db_rollback(&app->db); /* a handler never leaves a transaction open */
	clients_etag(&r);
	respond_flush(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
	metrics_request_done(rt ? (int)(rt - route_table(&n)) : -1, r.method, r.status,
	                     (uint64_t)us);
	fprintf(stderr, "[%s] %s %s %d %.1fms\n", r.rid, r.head_only ? "HEAD" : r.method,
	        r.route_pattern ? r.route_pattern : r.path, r.status, (double)us / 1e3);
	buf_free(&r.headers);
	buf_free(&r.body);
}
