/* sessions.h: login sessions. The browser holds a 256-bit random token;
 * the database holds only its sha256, the user, a CSRF secret and expiry. */
#ifndef HT_SESSIONS_H
#define HT_SESSIONS_H

#include "db.h"
#include "users.h"

/* A session as found for a request; strings arena-owned. */
struct session {
	const char *token_hash; /* sha256 hex of the cookie value */
	const char *csrf;       /* per-session CSRF token for forms */
	struct user user;
};

/* Create a session for user_id valid ttl seconds. *token (the cookie value,
 * shown once) and s->csrf are arena-owned. */
int sess_create(struct db *db, struct arena *a, long long user_id, long ttl, const char *client_ip,
                const char *user_agent, const char **token, struct session *s);

/* Find the live session for a cookie value: ERR_NOTFOUND when unknown,
 * expired, or its user is disabled. */
int sess_lookup(struct db *db, struct arena *a, const char *token, struct session *s);

/* End one session (by cookie value's hash) or every session of a user. */
int sess_destroy(struct db *db, struct arena *a, const char *token_hash);
int sess_destroy_user(struct db *db, struct arena *a, long long user_id);

#endif
