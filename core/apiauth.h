/* apiauth.h: credentials of API clients. Refresh tokens of JWT logins
 * rotate on every use; showing a used or revoked one again revokes its
 * whole family (it was copied). Personal API tokens ("ht_" + 43 base64url
 * characters) are made on the account page with scopes and shown once.
 * Only the sha256 of any token is stored. */
#ifndef HT_APIAUTH_H
#define HT_APIAUTH_H

#include "db.h"
#include "token.h"
#include "users.h"

/* What a credential allows. A session cookie or a JWT from a password login
 * carries every scope of its user (admin only for admins); a personal token
 * carries the ones chosen, and never SCOPE_ACCOUNT. */
enum scope {
	SCOPE_READ = 1 << 0,    /* GET anything of the user's */
	SCOPE_UPLOAD = 1 << 1,  /* add and delete photos */
	SCOPE_TAGS = 1 << 2,    /* hashtags, collections, preferences */
	SCOPE_ADMIN = 1 << 3,   /* admin routes (the user must be an admin too) */
	SCOPE_ACCOUNT = 1 << 4, /* password, account deletion, tokens */
};
#define SCOPES_ALL 0x1f

#define APITOKEN_PREFIX "ht_"
#define APITOKEN_LEN (3 + TOKEN_STR_LEN)
#define APITOKEN_NAME_MAX 100
#define APITOKENS_MAX 50 /* per user */

struct api_token {
	const char *id; /* public id */
	const char *name;
	unsigned scopes;
	const char *created_at, *last_used_at; /* ISO-8601 UTC; last_used_at may be NULL */
};

/* "read upload" (space or comma separated) to a mask of personal-token
 * scopes: 0, or ERR_INVALID with *why naming the unknown one. */
int scopes_parse(struct arena *a, const char *list, unsigned *mask, const char **why);
/* The names of mask's scopes, in order, for JSON arrays (NULL-terminated, arena). */
const char **scopes_names(struct arena *a, unsigned mask);

/* Make a personal token for user_id: *out and token (the only copy).
 * ERR_INVALID (*why) for a bad name or scopes, ERR_LIMIT at APITOKENS_MAX. */
int apitokens_create(struct db *db, struct arena *a, long long user_id, const char *name,
                     unsigned scopes, struct api_token *out, char token[APITOKEN_LEN + 1],
                     const char **why);
/* user_id's tokens, oldest first; *items is an arena array of *n. */
int apitokens_list(struct db *db, struct arena *a, long long user_id, struct api_token **items,
                   int *n);
/* Revoke user_id's token id at once. ERR_NOTFOUND if it is not theirs. */
int apitokens_delete(struct db *db, struct arena *a, long long user_id, const char *id);
/* The user and scopes token grants (ERR_NOTFOUND: unknown, revoked, or its
 * user is disabled); records the use at most once a minute. */
int apitokens_lookup(struct db *db, struct arena *a, const char *token, struct user *u,
                     unsigned *scopes);

/* A new refresh token for user_id valid ttl seconds, in a new family. */
int refresh_issue(struct db *db, struct arena *a, long long user_id, long ttl,
                  char token[TOKEN_STR_LEN + 1]);
/* Use token: *user_id and a successor in the same family (token is spent).
 * ERR_AUTH when unknown, expired or revoked; when it was already spent its
 * whole family is revoked too. */
int refresh_rotate(struct db *db, struct arena *a, const char *token, long ttl, long long *user_id,
                   char next[TOKEN_STR_LEN + 1]);
/* Revoke the family of token (logout). ERR_AUTH when unknown. */
int refresh_revoke(struct db *db, struct arena *a, const char *token);

#endif
