/* login.c: throttled password login (see login.h). */
#include "login.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

/* How long until the oldest failure in the window leaves it, for the worse
 * of the two counters; 0 when neither is over its limit. */
static const char sql_throttle[] =
    "SELECT"
    " (SELECT count(*) FROM login_failures WHERE email = $1"
    "   AND at > now() - make_interval(secs => $3::int)),"
    " (SELECT count(*) FROM login_failures WHERE client_ip = $2"
    "   AND at > now() - make_interval(secs => $3::int)),"
    " (SELECT ceil(extract(epoch FROM min(at) + make_interval(secs => $3::int) - now()))"
    "   FROM login_failures WHERE email = $1 AND at > now() - make_interval(secs => $3::int)),"
    " (SELECT ceil(extract(epoch FROM min(at) + make_interval(secs => $3::int) - now()))"
    "   FROM login_failures WHERE client_ip = $2"
    "   AND at > now() - make_interval(secs => $3::int))";
static const char sql_fail[] = "INSERT INTO login_failures (email, client_ip) VALUES ($1, $2)";
static const char sql_ok[] = "WITH d AS (DELETE FROM login_failures WHERE email = $1"
                             "   OR at < now() - interval '1 day')"
                             " UPDATE users SET last_login_at = now() WHERE id = $2";

/* A valid hash to verify against when the email is unknown, so that both
 * cases cost one argon2id verification. Made once per process. */
static const char *dummy_hash(void)
{
	static char hash[PW_HASH_MAX];

	if (hash[0] == '\0' && pw_hash(&PW_DEFAULT, "not a real password", hash, sizeof(hash)) != 0)
		return "";
	return hash;
}

static int throttled(struct db *db, struct arena *a, const struct login_policy *lp,
                     const char *email, const char *ip, long *retry_after)
{
	char win[24];
	const char *p[] = {email, ip, win};
	struct db_res r;
	long wait = 0;
	int rc;

	snprintf(win, sizeof(win), "%ld", lp->window);
	if ((rc = db_query(db, a, &r, sql_throttle, 3, p)) != 0)
		return rc;
	if (db_ll(&r, 0, 0, 0) >= lp->max_account)
		wait = (long)db_ll(&r, 0, 2, lp->window);
	if (db_ll(&r, 0, 1, 0) >= lp->max_ip) {
		long w = (long)db_ll(&r, 0, 3, lp->window);
		if (w > wait)
			wait = w;
	}
	if (wait <= 0)
		return 0;
	*retry_after = wait;
	return ERR_THROTTLED;
}

int login_check(struct db *db, struct arena *a, const struct login_policy *lp, const char *email,
                const char *password, const char *client_ip, struct user *u, long *retry_after)
{
	const char *norm, *reason, *hash = NULL;
	char idbuf[24];
	int rc, found;

	*retry_after = 0;
	if (users_email_normalise(a, email, &norm, &reason) != 0)
		norm = email; /* still counted and still verified against the dummy */
	if ((rc = throttled(db, a, lp, norm, client_ip, retry_after)) != 0)
		return rc;
	rc = users_by_email(db, a, norm, u, &hash);
	if (rc != 0 && rc != ERR_NOTFOUND)
		return rc;
	found = rc == 0;
	if (!found)
		hash = dummy_hash();
	if (pw_verify(password, hash) != 0 || !found) {
		const char *p[] = {norm, client_ip};
		if ((rc = db_query(db, a, NULL, sql_fail, 2, p)) != 0)
			return rc;
		return ERR_AUTH;
	}
	if (u->disabled)
		return ERR_FORBIDDEN;
	snprintf(idbuf, sizeof(idbuf), "%lld", u->id);
	{
		const char *p[] = {norm, idbuf};
		if ((rc = db_query(db, a, NULL, sql_ok, 2, p)) != 0)
			return rc;
	}
	return 0;
}
