/* app.h: what a worker process keeps across requests (one per process),
 * and the request as handlers see it. No per-request globals. */
#ifndef HT_APP_H
#define HT_APP_H

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "kv.h"
#include "sessions.h"

#include <cJSON.h>

#define ROUTE_ARGS 2     /* '*' segments in one route path */
#define ROUTE_ARG_MAX 64 /* characters in one */

struct tmpl_set;
struct FCGX_Request;

struct app {
	struct config cfg;
	struct db db;
	struct tmpl_set *tmpl;
	struct i18n i18n; /* the languages and their catalogs, loaded with the templates */
};

struct req {
	struct app *app;
	struct FCGX_Request *fx;
	struct arena *a;
	char rid[17]; /* request id, hex; logged and shown on error pages */

	const char *method; /* "HEAD" is served as "GET" with head_only set */
	int head_only;
	const char *path;
	const char *query;
	const char *content_type;
	const char *client_ip;
	const char *user_agent;
	const char *host;
	const char *origin;
	const char *csrf_header; /* X-CSRF-Token */
	long content_length;

	int api;               /* JSON responses and problem+json errors */
	struct kv_list params; /* declared and validated only */
	struct kv_list cookies;
	struct session *sess; /* NULL when anonymous */
	int bearer;           /* sess came from an Authorization: Bearer token */
	unsigned scopes;      /* enum scope bits the credential allows */
	const char *csrf;     /* token forms must echo (session's or cookie's) */
	const char *route_pattern;
	char args[ROUTE_ARGS][ROUTE_ARG_MAX + 1]; /* the '*' segments of the path */
	const char *server;                       /* "lighttpd", "nginx" or "" (SERVER_SOFTWARE) */
	const struct i18n_lang *lang;             /* what the answer is written in (dispatch.c) */

	/* response */
	int status;
	const char *ctype;
	struct buf headers; /* extra "Name: value\r\n" lines */
	struct buf body;
	int file_sent; /* the web server sends a file (X-Sendfile/X-Accel-Redirect) */
};

/* Load config, initialise libgcrypt, load templates when need_templates,
 * and connect to the database (an unreachable database is not an error).
 * Returns 0 or a negative enum err after logging why. */
int app_open(struct app *app, int need_templates);
/* Release everything app_open acquired. */
void app_close(struct app *app);

/* _("text"): text in the language of the request r in scope (the catalog
 * lookup of i18n.h); _n("one photo", "%d photos", n) the same with plural
 * forms. N_() only marks a text for the catalog: the response functions
 * (respond.h) and resp_tr() translate it later. `make pot` collects them all. */
#define _(s) i18n_gettext(r->lang, s)
#define _n(s, p, n) i18n_ngettext(r->lang, s, p, n)

/* A handler answers one route; it always produces a response. */
typedef void (*handler_fn)(struct req *r);

#endif
