/* users.h: accounts — creation with password policy, lookup, password
 * change, deletion and roles. Passwords are argon2id (core/password.h).
 * Emails are stored trimmed and lowercased; unique case-insensitively. */
#ifndef HT_USERS_H
#define HT_USERS_H

#include "arena.h"
#include "db.h"
#include "password.h"

/* A user as the pages see it; strings are arena-owned. */
struct user {
	long long id; /* internal; never shown */
	const char *public_id;
	const char *email;
	const char *role; /* "user" or "admin" */
	const char *locale;
	const char *created_at; /* ISO-8601 UTC */
	int disabled;
	/* JWT access tokens issued at or before this second (since the epoch)
	 * are refused: the account was disabled or its password reset; 0: none */
	long long tokens_revoked;
};

#define USERS_EMAIL_MAX 254

/* Check and normalise an address (trim, lowercase). On success *norm is an
 * arena copy; on ERR_INVALID *reason is a static English sentence. */
int users_email_normalise(struct arena *a, const char *email, const char **norm,
                          const char **reason);

/* Create an account. role is "user" or "admin". On ERR_INVALID *reason
 * explains (email or password policy); ERR_CONFLICT when the email is taken.
 * *field (optional) gets "email" or "password" for the failing field. */
int users_create(struct db *db, struct arena *a, const struct pw_params *pp, const char *email,
                 const char *password, const char *role, struct user *out, const char **reason,
                 const char **field);

/* Load by internal id, public id or (any-case) email. ERR_NOTFOUND if absent. */
int users_get(struct db *db, struct arena *a, long long id, struct user *out);
int users_by_public_id(struct db *db, struct arena *a, const char *public_id, struct user *out);
int users_by_email(struct db *db, struct arena *a, const char *email, struct user *out,
                   const char **password_hash);

/* Replace the password after checking the current one (ERR_AUTH if wrong)
 * and the policy (ERR_INVALID with *reason). Ends all other sessions of the
 * user except keep_token_hash (may be NULL). */
int users_change_password(struct db *db, struct arena *a, const struct pw_params *pp,
                          const struct user *u, const char *current, const char *newpw,
                          const char *keep_token_hash, const char **reason);

/* Set a password without the current one (admin CLI). */
int users_set_password(struct db *db, struct arena *a, const struct pw_params *pp,
                       const struct user *u, const char *newpw, const char **reason);

/* Delete the account and everything it owns after checking its password. */
int users_delete(struct db *db, struct arena *a, const struct user *u, const char *password);

/* Set role ("user"/"admin"). Refuses (ERR_FORBIDDEN) to demote the last admin. */
int users_set_role(struct db *db, struct arena *a, const struct user *u, const char *role);

/* Inside a transaction, before taking admin powers away (demote, disable,
 * delete): lock the rows of every active admin, in id order so concurrent
 * callers queue instead of deadlocking, and set *last to 1 when user_id is
 * the only active admin (0 when another remains or user_id is none). */
int users_last_admin(struct db *db, struct arena *a, long long user_id, int *last);

#endif
