/* pwreset.h: one-time password reset links (/reset/TOKEN). An admin makes
 * one for a user (useradmin_reset_link); its 256-bit token is shown once,
 * only its sha256 is stored, and it is valid PWRESET_TTL seconds. A newer
 * link expires the user's older unused ones. Using it sets a new password
 * (the policy applies), spends the link, and ends the user's other sessions,
 * refresh tokens and JWT access tokens. */
#ifndef HT_PWRESET_H
#define HT_PWRESET_H

#include "db.h"
#include "password.h"
#include "token.h"
#include "users.h"

#define PWRESET_TTL (24L * 3600)

/* Inside the caller's transaction: a new link for user_id made by admin
 * by_id. token gets the only copy; *expires_at (ISO-8601 UTC, arena). */
int pwreset_issue(struct db *db, struct arena *a, long long user_id, long long by_id,
                  char token[TOKEN_STR_LEN + 1], const char **expires_at);

/* The user a link is for: 0, ERR_NOTFOUND when it was never issued,
 * ERR_GONE when it was used or has expired (*why says which), ERR_FORBIDDEN
 * when the account is disabled. *why is a static sentence for the user. */
int pwreset_check(struct db *db, struct arena *a, const char *token, struct user *u,
                  const char **why);

/* Use a link: the checks of pwreset_check, then newpw (ERR_INVALID with *why
 * when the policy refuses it; the link stays usable). Every session of the
 * user ends except the one whose token hash is keep_token_hash (may be
 * NULL, or another user's: then none stays), and the user's failed logins
 * are forgotten. *u is the user, also on ERR_INVALID. */
int pwreset_use(struct db *db, struct arena *a, const struct pw_params *pp, const char *token,
                const char *newpw, const char *keep_token_hash, struct user *u, const char **why);

#endif
