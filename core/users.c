/* users.c: accounts (see users.h). */
#include "users.h"
#include "err.h"
#include "i18n.h"
#include "token.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                              \
	"id, public_id, email, role, locale,"                                                  \
	" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), disabled," \
	" coalesce(floor(extract(epoch FROM tokens_revoked_at))::bigint, 0)"

static const char sql_insert[] = "INSERT INTO users (public_id, email, password_hash, role)"
                                 " VALUES ($1, $2, $3, $4) RETURNING " USER_COLS;
static const char sql_by_id[] = "SELECT " USER_COLS " FROM users WHERE id = $1";
static const char sql_by_public_id[] = "SELECT " USER_COLS " FROM users WHERE public_id = $1";
static const char sql_by_email[] = "SELECT " USER_COLS ", password_hash FROM users"
                                   " WHERE lower(email) = lower($1)";
static const char sql_hash[] = "SELECT password_hash FROM users WHERE id = $1";
static const char sql_set_hash[] = "UPDATE users SET password_hash = $2 WHERE id = $1";
static const char sql_end_sessions[] = "DELETE FROM sessions WHERE user_id = $1"
                                       " AND token_hash IS DISTINCT FROM $2";
/* JWT logins elsewhere end too: their refresh tokens stop working */
static const char sql_end_refresh[] = "UPDATE refresh_tokens SET revoked_at = now()"
                                      " WHERE user_id = $1 AND revoked_at IS NULL";
static const char sql_delete[] = "DELETE FROM users WHERE id = $1";
static const char sql_last_admin[] =
    "SELECT count(*) FILTER (WHERE a.id <> $1), coalesce(bool_or(a.id = $1), false) FROM"
    " (SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE) a";
static const char sql_set_role[] =
    "UPDATE users SET role = $2 WHERE id = $1 AND ($2 = 'admin' OR"
    " (SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1) > 0)";

static void fill(const struct db_res *r, int row, struct user *u)
{
	u->id = db_ll(r, row, 0, 0);
	u->public_id = db_val(r, row, 1);
	u->email = db_val(r, row, 2);
	u->role = db_val(r, row, 3);
	u->locale = db_val(r, row, 4);
	u->created_at = db_val(r, row, 5);
	u->disabled = db_bool(r, row, 6);
	u->tokens_revoked = db_ll(r, row, 7, 0);
}

int users_email_normalise(struct arena *a, const char *email, const char **norm,
                          const char **reason)
{
	const char *s = email, *e, *at, *dot;
	char *out;
	size_t n, i;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - s);
	*reason = N_("Enter an email address like name@example.org.");
	if (n < 3 || n > USERS_EMAIL_MAX)
		return ERR_INVALID;
	out = arena_strndup(a, s, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' ||
		    c == ',' || c == ';')
			return ERR_INVALID;
		out[i] = (char)tolower(c);
	}
	at = strchr(out, '@');
	if (at == NULL || at == out || strchr(at + 1, '@') != NULL || (size_t)(at - out) > 64)
		return ERR_INVALID;
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0' || strstr(at, "..") != NULL)
		return ERR_INVALID;
	*norm = out;
	*reason = NULL;
	return 0;
}

int users_create(struct db *db, struct arena *a, const struct pw_params *pp, const char *email,
                 const char *password, const char *role, struct user *out, const char **reason,
                 const char **field)
{
	const char *norm, *dummy;
	char hash[PW_HASH_MAX], pid[PUBLIC_ID_LEN + 1];
	struct db_res r;
	int rc;

	if (field == NULL)
		field = &dummy;
	*field = "email";
	if ((rc = users_email_normalise(a, email, &norm, reason)) != 0)
		return rc;
	*field = "password";
	if ((rc = pw_policy_check(password, norm, reason)) != 0)
		return ERR_INVALID;
	if ((rc = pw_hash(pp, password, hash, sizeof(hash))) != 0)
		return rc;
	public_id_new(pid);
	{
		const char *p[] = {pid, norm, hash, role};
		rc = db_query(db, a, &r, sql_insert, 4, p);
	}
	if (rc == ERR_CONFLICT) {
		*field = "email";
		*reason = N_("An account with this email already exists. Log in instead.");
		return rc;
	}
	if (rc != 0)
		return rc;
	*field = NULL;
	fill(&r, 0, out);
	return 0;
}

static int get_one(struct db *db, struct arena *a, const char *sql, const char *key,
                   struct user *out)
{
	const char *p[] = {key};
	struct db_res r;
	int rc;

	if ((rc = db_query(db, a, &r, sql, 1, p)) != 0)
		return rc;
	if (r.nrows == 0)
		return ERR_NOTFOUND;
	fill(&r, 0, out);
	return 0;
}

int users_get(struct db *db, struct arena *a, long long id, struct user *out)
{
	char idbuf[24];

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return get_one(db, a, sql_by_id, idbuf, out);
}

int users_by_public_id(struct db *db, struct arena *a, const char *public_id, struct user *out)
{
	if (!public_id_valid(public_id))
		return ERR_NOTFOUND;
	return get_one(db, a, sql_by_public_id, public_id, out);
}

int users_by_email(struct db *db, struct arena *a, const char *email, struct user *out,
                   const char **password_hash)
{
	const char *p[] = {email};
	struct db_res r;
	int rc;

	if ((rc = db_query(db, a, &r, sql_by_email, 1, p)) != 0)
		return rc;
	if (r.nrows == 0)
		return ERR_NOTFOUND;
	fill(&r, 0, out);
	if (password_hash != NULL)
		*password_hash = db_val(&r, 0, 8);
	return 0;
}

static int check_current(struct db *db, struct arena *a, const struct user *u, const char *password)
{
	char idbuf[24];
	const char *p[] = {idbuf};
	struct db_res r;
	int rc;

	snprintf(idbuf, sizeof(idbuf), "%lld", u->id);
	if ((rc = db_query(db, a, &r, sql_hash, 1, p)) != 0)
		return rc;
	if (r.nrows == 0)
		return ERR_NOTFOUND;
	return pw_verify(password, db_val(&r, 0, 0)) == 0 ? 0 : ERR_AUTH;
}

int users_set_password(struct db *db, struct arena *a, const struct pw_params *pp,
                       const struct user *u, const char *newpw, const char **reason)
{
	char idbuf[24], hash[PW_HASH_MAX];
	const char *p[] = {idbuf, hash};

	if (pw_policy_check(newpw, u->email, reason) != 0)
		return ERR_INVALID;
	if (pw_hash(pp, newpw, hash, sizeof(hash)) != 0)
		return ERR_NOMEM;
	snprintf(idbuf, sizeof(idbuf), "%lld", u->id);
	return db_query(db, a, NULL, sql_set_hash, 2, p);
}

int users_change_password(struct db *db, struct arena *a, const struct pw_params *pp,
                          const struct user *u, const char *current, const char *newpw,
                          const char *keep_token_hash, const char **reason)
{
	char idbuf[24];
	const char *p[] = {idbuf, keep_token_hash};
	int rc;

	*reason = NULL;
	if ((rc = check_current(db, a, u, current)) != 0) {
		if (rc == ERR_AUTH)
			*reason = N_("Your current password is not correct.");
		return rc;
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = users_set_password(db, a, pp, u, newpw, reason)) != 0)
		goto out;
	snprintf(idbuf, sizeof(idbuf), "%lld", u->id);
	if ((rc = db_query(db, a, NULL, sql_end_sessions, 2, p)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_end_refresh, 1, p)) != 0)
		goto out;
	rc = db_commit(db);
out:
	db_rollback(db);
	return rc;
}

int users_delete(struct db *db, struct arena *a, const struct user *u, const char *password)
{
	char idbuf[24];
	const char *p[] = {idbuf};
	int rc;

	if ((rc = check_current(db, a, u, password)) != 0)
		return rc;
	snprintf(idbuf, sizeof(idbuf), "%lld", u->id);
	return db_query(db, a, NULL, sql_delete, 1, p);
}

int users_set_role(struct db *db, struct arena *a, const struct user *u, const char *role)
{
	char idbuf[24];
	const char *p[] = {idbuf, role};
	struct db_res r;
	int rc;

	if (strcmp(role, "user") != 0 && strcmp(role, "admin") != 0)
		return ERR_INVALID;
	snprintf(idbuf, sizeof(idbuf), "%lld", u->id);
	if ((rc = db_query(db, a, &r, sql_set_role, 2, p)) != 0)
		return rc;
	return r.affected == 1 ? 0 : ERR_FORBIDDEN;
}

int users_last_admin(struct db *db, struct arena *a, long long user_id, int *last)
{
	const char *p[] = {arena_printf(a, "%lld", user_id)};
	struct db_res r;
	int rc;

	*last = 0;
	if ((rc = db_query(db, a, &r, sql_last_admin, 1, p)) != 0)
		return rc;
	*last = db_ll(&r, 0, 0, 0) == 0 && db_bool(&r, 0, 1);
	return 0;
}
