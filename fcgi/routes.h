/* routes.h: the static route table — method, path, handler, flags and the
 * parameters each route accepts. Find any page in one hop from routes.c. */
#ifndef HT_ROUTES_H
#define HT_ROUTES_H

#include "app.h"
#include "validate.h"

#include <stddef.h>

enum route_flags {
	R_SESSION = 1 << 0, /* must be logged in */
	R_ADMIN = 1 << 1,   /* must be an admin */
	R_CSRF = 1 << 2,    /* state-changing: CSRF token required */
	R_API = 1 << 3,     /* JSON in, JSON out, problem+json errors */
	R_NODB = 1 << 4,    /* answer without touching the database */
	R_UPLOAD = 1 << 5,  /* multipart body streamed by the handler, which
	                       checks CSRF itself (upload.c) */
	/* the scope a bearer token needs (core/apiauth.h); without one of these
	 * a GET needs "read" and any other method the account itself */
	R_S_UPLOAD = 1 << 6,
	R_S_TAGS = 1 << 7,
	R_S_ACCOUNT = 1 << 8,
	/* operators only: callers on this host (REMOTE_ADDR loopback) or with an
	 * admin's credential; to anyone else the path does not exist (404 for
	 * every method, never listed in Allow) */
	R_LOCAL = 1 << 9,
};

struct param {
	const char *name;
	enum vkind kind;
	unsigned maxlen;
	int required; /* must be present (may be empty) */
};

struct route {
	const char *method;
	const char *path;
	handler_fn fn;
	unsigned flags;
	const struct param *params; /* terminated by {NULL} */
};

/* The route for method+path, or NULL. A '*' segment in a route's path
 * matches one segment of 1..ROUTE_ARG_MAX characters [A-Za-z0-9_-],
 * copied in order into args. allow (size allowlen) gets the methods that
 * path accepts ("GET, HEAD, POST"), empty when the path is unknown: NULL +
 * non-empty allow means 405. */
const struct route *route_find(const char *method, const char *path, char *allow, size_t allowlen,
                               char args[ROUTE_ARGS][ROUTE_ARG_MAX + 1]);

/* The whole table (n entries), for what labels or lists every route. */
const struct route *route_table(size_t *n);

#endif
