/* useradmin.h: what an admin sees of one user and does to them — the
 * detail (sessions, tokens, uploads today, most used hashtags), disable and
 * enable, promote and demote, a one-time password reset link, and deletion
 * with all their data.
 *
 * Each action writes its audit entry in its own transaction: user.disable,
 * user.enable, user.promote, user.demote, user.reset_password, user.delete,
 * target the user's public id, detail {email, ...}. The last active admin
 * can be neither demoted, disabled nor deleted (ERR_CONFLICT). An action
 * that would change nothing (disabling a disabled account) is ERR_CONFLICT
 * too. *why gets a static sentence for every refusal. Admins only: callers
 * check; admin is the acting admin. */
#ifndef HT_USERADMIN_H
#define HT_USERADMIN_H

#include "db.h"
#include "token.h"
#include "userlist.h"
#include "users.h"

#define USERADMIN_TOP_TAGS 10

/* A hashtag and how many of the user's photos carry it. */
struct tag_count {
	const char *tag; /* CamelCase, no '#' */
	long long count;
};

/* One user in detail; strings arena-owned. */
struct user_detail {
	struct admin_user u;
	long long id;             /* internal: for images_list, never shown */
	long long uploads_today;  /* photos added since UTC midnight */
	long long sessions;       /* live login sessions */
	long long api_tokens;     /* personal API tokens */
	long long refresh_tokens; /* refresh tokens that still work (JWT logins) */
	struct tag_count *top;    /* the hashtags on most of their photos, rejected ones left out */
	int ntop;
};

/* The user public_id in detail, or ERR_NOTFOUND. */
int useradmin_get(struct db *db, struct arena *a, const char *public_id, struct user_detail *out);

/* Disable: the account can no longer log in, and its sessions, refresh
 * tokens and personal API tokens end at once; JWT access tokens issued so
 * far are refused for good (users.tokens_revoked). *out is the user after. */
int useradmin_disable(struct db *db, struct arena *a, const struct user *admin,
                      const char *public_id, struct admin_user *out, const char **why);
/* Enable a disabled account (it logs in again with its password). */
int useradmin_enable(struct db *db, struct arena *a, const struct user *admin,
                     const char *public_id, struct admin_user *out, const char **why);
/* Set the role: "admin" (promote) or "user" (demote). */
int useradmin_set_role(struct db *db, struct arena *a, const struct user *admin,
                       const char *public_id, const char *role, struct admin_user *out,
                       const char **why);
/* A one-time password reset link for an enabled account (see pwreset.h):
 * token gets the only copy, *expires_at when it stops working. */
int useradmin_reset_link(struct db *db, struct arena *a, const struct user *admin,
                         const char *public_id, char token[TOKEN_STR_LEN + 1],
                         const char **expires_at, const char **why);
/* Delete the account and everything it owns once confirm_email is its
 * email (any case; else ERR_INVALID). After the commit, the photo files no
 * other row uses are removed from media_root. */
int useradmin_delete(struct db *db, struct arena *a, const struct user *admin,
                     const char *media_root, const char *public_id, const char *confirm_email,
                     const char **why);

#endif
