/* clients.h: what API clients meet on the way to a handler — bearer
 * tokens (JWT access tokens and personal "ht_" tokens) and their scopes,
 * request budgets, CORS for allow-listed origins, and ETags on reads.
 * Bearer tokens are looked at on /api/ routes only: they never authorise
 * an HTML form, and a request that carries one ignores cookies. */
#ifndef HT_CLIENTS_H
#define HT_CLIENTS_H

#include "app.h"
#include "routes.h"

/* Authenticate an Authorization: Bearer header on an API request: r->sess,
 * r->bearer and r->scopes set. 0 when there is no such header or the token
 * is good; otherwise the 401 is already answered and ERR_AUTH returned. */
int clients_bearer(struct req *r);

/* 1 when the caller may use an operators' route (R_LOCAL): it comes from
 * this host (loopback REMOTE_ADDR, and no X-Forwarded-For, Forwarded or
 * X-Real-IP: a reverse proxy on the host forwarded it), or carries an
 * admin's credential — a Bearer JWT, a personal token with the admin scope,
 * or a session cookie. Never answers; no database query for local callers. */
int clients_operator(struct req *r);

/* 1 when the request's credential carries the scope rt needs, else the
 * 403 is answered and 0 returned. */
int clients_scope_ok(struct req *r, const struct route *rt);

/* Count the request against its budgets (per token, user or address; and
 * per user for uploads). 1 when within them, else the 429 with Retry-After
 * is answered and 0 returned. */
int clients_rate_ok(struct req *r, const struct route *rt);

/* CORS: headers for an allow-listed Origin on API answers; a preflight
 * (OPTIONS) for a path that accepts methods allow is answered here. */
void clients_cors(struct req *r);
void clients_preflight(struct req *r, const char *allow);

/* A GET answered 200 with JSON gets an ETag; a matching If-None-Match
 * turns it into 304 without a body. Called just before the answer goes. */
void clients_etag(struct req *r);

#endif
