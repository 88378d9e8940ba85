/* pwreset.c: one-time password reset links (see pwreset.h). */
#include "pwreset.h"
#include "err.h"
#include "i18n.h"

#include <string.h>

static const char sql_expire_older[] =
    "UPDATE password_resets SET expires_at = now()"
    " WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()";
static const char sql_issue[] =
    "INSERT INTO password_resets (user_id, token_hash, created_by, expires_at)"
    " VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))"
    " RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
static const char sql_find[] =
    "SELECT r.user_id, r.used_at IS NOT NULL, r.expires_at <= now(), u.disabled"
    " FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1"
    " FOR UPDATE OF r";
static const char sql_spend[] = "UPDATE password_resets SET used_at = now() WHERE token_hash = $1";
static const char sql_end_sessions[] = "DELETE FROM sessions WHERE user_id = $1"
                                       " AND token_hash IS DISTINCT FROM $2";
static const char sql_end_refresh[] = "UPDATE refresh_tokens SET revoked_at = now()"
                                      " WHERE user_id = $1 AND revoked_at IS NULL";
static const char sql_end_jwt[] = "UPDATE users SET tokens_revoked_at = now() WHERE id = $1";
static const char sql_forget_failures[] = "DELETE FROM login_failures WHERE email = $1";

int pwreset_issue(struct db *db, struct arena *a, long long user_id, long long by_id,
                  char token[TOKEN_STR_LEN + 1], const char **expires_at)
{
	char hash[65];
	const char *p[4] = {arena_printf(a, "%lld", user_id), hash, arena_printf(a, "%lld", by_id),
	                    arena_printf(a, "%ld", PWRESET_TTL)};
	struct db_res res;
	int rc;

	token_new(token);
	token_hash_hex(token, hash);
	if ((rc = db_query(db, a, NULL, sql_expire_older, 1, p)) != 0 ||
	    (rc = db_query(db, a, &res, sql_issue, 4, p)) != 0)
		return rc;
	*expires_at = db_val(&res, 0, 0);
	return 0;
}

/* Find and lock the link (inside a transaction): *user_id when usable. */
static int find(struct db *db, struct arena *a, const char *hash, long long *user_id,
                const char **why)
{
	const char *p[1] = {hash};
	struct db_res res;
	int rc;

	*why = N_("This password reset link is not valid. Ask an administrator for a new one.");
	if ((rc = db_query(db, a, &res, sql_find, 1, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	*why = N_("This password reset link was already used. Ask an administrator for a new one.");
	if (db_bool(&res, 0, 1))
		return ERR_GONE;
	*why = N_("This password reset link has expired. Ask an administrator for a new one.");
	if (db_bool(&res, 0, 2))
		return ERR_GONE;
	*why = N_("This account is disabled. Contact the administrator.");
	if (db_bool(&res, 0, 3))
		return ERR_FORBIDDEN;
	*why = NULL;
	*user_id = db_ll(&res, 0, 0, 0);
	return 0;
}

int pwreset_check(struct db *db, struct arena *a, const char *token, struct user *u,
                  const char **why)
{
	char hash[65];
	long long uid;
	int rc;

	*why = N_("This password reset link is not valid. Ask an administrator for a new one.");
	if (strlen(token) != TOKEN_STR_LEN)
		return ERR_NOTFOUND;
	token_hash_hex(token, hash);
	if ((rc = db_begin(db)) == 0 && (rc = find(db, a, hash, &uid, why)) == 0)
		rc = users_get(db, a, uid, u);
	db_rollback(db);
	return rc;
}

int pwreset_use(struct db *db, struct arena *a, const struct pw_params *pp, const char *token,
                const char *newpw, const char *keep_token_hash, struct user *u, const char **why)
{
	char hash[65];
	const char *p[2] = {NULL, keep_token_hash}, *h[1] = {hash};
	long long uid;
	int rc;

	*why = N_("This password reset link is not valid. Ask an administrator for a new one.");
	if (strlen(token) != TOKEN_STR_LEN)
		return ERR_NOTFOUND;
	token_hash_hex(token, hash);
	if ((rc = db_begin(db)) != 0 || (rc = find(db, a, hash, &uid, why)) != 0 ||
	    (rc = users_get(db, a, uid, u)) != 0 ||
	    (rc = users_set_password(db, a, pp, u, newpw, why)) != 0)
		goto out;
	p[0] = arena_printf(a, "%lld", uid);
	if ((rc = db_query(db, a, NULL, sql_spend, 1, h)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_end_sessions, 2, p)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_end_refresh, 1, p)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_end_jwt, 1, p)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_forget_failures, 1, &u->email)) != 0)
		goto out;
	rc = db_commit(db);
out:
	db_rollback(db);
	return rc;
}
