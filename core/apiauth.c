/* apiauth.c: refresh tokens and personal API tokens (see apiauth.h). */
#include "apiauth.h"
#include "err.h"
#include "i18n.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#define ISO(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char *const scope_list[] = {"read", "upload", "tags", "admin"};
#define NSCOPES (sizeof(scope_list) / sizeof(scope_list[0]))

int scopes_parse(struct arena *a, const char *list, unsigned *mask, const char **why)
{
	const char *p = list ? list : "";

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, " ,"), i;
		for (i = 0; n > 0 && i < NSCOPES; i++)
			if (strlen(scope_list[i]) == n && strncmp(p, scope_list[i], n) == 0)
				break;
		if (n > 0 && i == NSCOPES) {
			*why = arena_printf(
			    a, N_("\"%s\" is not a scope (read, upload, tags, admin)."),
			    arena_strndup(a, p, n > 40 ? 40 : n));
			return ERR_INVALID;
		}
		if (n > 0)
			*mask |= 1u << i;
		p += n + (p[n] != '\0');
	}
	*why = N_("Choose at least one scope.");
	return *mask ? 0 : ERR_INVALID;
}

const char **scopes_names(struct arena *a, unsigned mask)
{
	const char **out = arena_calloc(a, NSCOPES + 1, sizeof(*out));
	int n = 0;

	for (size_t i = 0; i < NSCOPES; i++)
		if (mask & (1u << i))
			out[n++] = scope_list[i];
	return out;
}

/* PostgreSQL text[] literal of mask: {read,upload} */
static const char *scopes_array(struct arena *a, unsigned mask)
{
	const char **names = scopes_names(a, mask);
	const char *s = "{";

	for (int i = 0; names[i]; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "," : "", names[i]);
	return arena_printf(a, "%s}", s);
}

/* {read,upload} back to a mask */
static unsigned scopes_from_array(struct arena *a, const char *arr)
{
	unsigned mask = 0;
	const char *why;
	char *list;

	if (arr == NULL || strlen(arr) < 2)
		return 0;
	list = arena_strndup(a, arr + 1, strlen(arr) - 2);
	return scopes_parse(a, list, &mask, &why) == 0 ? mask : 0;
}

#define TOKEN_COLS "public_id, name, scopes, " ISO("created_at") ", " ISO("last_used_at")

static void row_token(struct arena *a, const struct db_res *r, int row, struct api_token *t)
{
	t->id = db_val(r, row, 0);
	t->name = db_val(r, row, 1);
	t->scopes = scopes_from_array(a, db_val(r, row, 2));
	t->created_at = db_val(r, row, 3);
	t->last_used_at = db_val(r, row, 4);
}

static int name_check(struct arena *a, const char *raw, const char **norm, const char **why)
{
	const char *s = raw ? raw : "", *e;
	size_t n;

	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		e--;
	n = (size_t)(e - s);
	*why = N_("Give the token a name, so you know later where it is used.");
	if (n == 0)
		return ERR_INVALID;
	*why = N_("The name must be one line of text of at most 100 characters.");
	if (!utf8_valid(s, n) || utf8_has_controls(s, n) || utf8_cut(s, n, APITOKEN_NAME_MAX) != n)
		return ERR_INVALID;
	*norm = arena_strndup(a, s, n);
	return 0;
}

int apitokens_create(struct db *db, struct arena *a, long long user_id, const char *name,
                     unsigned scopes, struct api_token *out, char token[APITOKEN_LEN + 1],
                     const char **why)
{
	static const char sql[] =
	    "INSERT INTO api_tokens (public_id, user_id, name, token_hash, scopes)"
	    " SELECT $1, $2, $3, $4, $5::text[] WHERE (SELECT count(*) FROM api_tokens"
	    " WHERE user_id = $2) < $6 RETURNING " TOKEN_COLS;
	char pid[PUBLIC_ID_LEN + 1], hash[65], raw[TOKEN_STR_LEN + 1];
	const char *p[6];
	struct db_res r;
	int rc;

	if ((rc = name_check(a, name, &p[2], why)) != 0)
		return rc;
	*why = N_("Choose at least one scope.");
	if ((scopes & ~(unsigned)(SCOPES_ALL & ~SCOPE_ACCOUNT)) || scopes == 0)
		return ERR_INVALID;
	public_id_new(pid);
	token_new(raw);
	snprintf(token, APITOKEN_LEN + 1, APITOKEN_PREFIX "%s", raw);
	token_hash_hex(token, hash);
	p[0] = pid;
	p[1] = arena_printf(a, "%lld", user_id);
	p[3] = hash;
	p[4] = scopes_array(a, scopes);
	p[5] = arena_printf(a, "%d", APITOKENS_MAX);
	if ((rc = db_query(db, a, &r, sql, 6, p)) != 0)
		return rc;
	*why = N_("You have the most tokens allowed; revoke one you no longer use.");
	if (r.nrows == 0)
		return ERR_LIMIT;
	*why = NULL;
	row_token(a, &r, 0, out);
	return 0;
}

int apitokens_list(struct db *db, struct arena *a, long long user_id, struct api_token **items,
                   int *n)
{
	static const char sql[] = "SELECT " TOKEN_COLS " FROM api_tokens WHERE user_id = $1"
	                          " ORDER BY created_at, id";
	const char *p[] = {arena_printf(a, "%lld", user_id)};
	struct db_res r;
	int rc;

	if ((rc = db_query(db, a, &r, sql, 1, p)) != 0)
		return rc;
	*items = arena_calloc(a, (size_t)r.nrows + 1, sizeof(**items));
	for (*n = 0; *n < r.nrows; (*n)++)
		row_token(a, &r, *n, &(*items)[*n]);
	return 0;
}

int apitokens_delete(struct db *db, struct arena *a, long long user_id, const char *id)
{
	static const char sql[] = "DELETE FROM api_tokens WHERE public_id = $1 AND user_id = $2";
	const char *p[] = {id, arena_printf(a, "%lld", user_id)};
	struct db_res r;
	int rc;

	if (id == NULL || !public_id_valid(id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &r, sql, 2, p)) != 0)
		return rc;
	return r.affected == 1 ? 0 : ERR_NOTFOUND;
}

int apitokens_lookup(struct db *db, struct arena *a, const char *token, struct user *u,
                     unsigned *scopes)
{
	static const char sql[] =
	    "SELECT t.user_id, t.scopes, t.last_used_at IS NULL OR"
	    " t.last_used_at < now() - interval '1 minute' FROM api_tokens t"
	    " JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND NOT u.disabled";
	static const char touch[] =
	    "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1";
	char hash[65];
	const char *p[] = {hash};
	struct db_res r;
	int rc;

	if (strlen(token) != APITOKEN_LEN || strncmp(token, APITOKEN_PREFIX, 3) != 0)
		return ERR_NOTFOUND;
	token_hash_hex(token, hash);
	if ((rc = db_query(db, a, &r, sql, 1, p)) != 0)
		return rc;
	if (r.nrows == 0)
		return ERR_NOTFOUND;
	*scopes = scopes_from_array(a, db_val(&r, 0, 1));
	if (db_bool(&r, 0, 2))
		(void)db_query(db, a, NULL, touch, 1, p);
	return users_get(db, a, db_ll(&r, 0, 0, 0), u);
}

/* Insert a refresh token for user in family (text). */
static int refresh_insert(struct db *db, struct arena *a, const char *user, const char *family,
                          long ttl, char token[TOKEN_STR_LEN + 1])
{
	static const char sql[] =
	    "INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at)"
	    " VALUES ($1, $2, $3, now() + make_interval(secs => $4))";
	char hash[65];
	const char *p[] = {user, family, hash, arena_printf(a, "%ld", ttl)};

	token_new(token);
	token_hash_hex(token, hash);
	return db_query(db, a, NULL, sql, 4, p);
}

int refresh_issue(struct db *db, struct arena *a, long long user_id, long ttl,
                  char token[TOKEN_STR_LEN + 1])
{
	char family[PUBLIC_ID_LEN + 1];

	public_id_new(family);
	return refresh_insert(db, a, arena_printf(a, "%lld", user_id), family, ttl, token);
}

int refresh_rotate(struct db *db, struct arena *a, const char *token, long ttl, long long *user_id,
                   char next[TOKEN_STR_LEN + 1])
{
	static const char find[] =
	    "SELECT r.user_id, r.family, r.used_at IS NOT NULL, r.revoked_at IS NOT NULL,"
	    " r.expires_at <= now(), u.disabled FROM refresh_tokens r JOIN users u ON u.id = "
	    "r.user_id"
	    " WHERE r.token_hash = $1 FOR UPDATE OF r";
	static const char spend[] =
	    "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1";
	static const char revoke[] = "UPDATE refresh_tokens SET revoked_at = now()"
	                             " WHERE family = $1 AND revoked_at IS NULL";
	char hash[65];
	const char *p[] = {hash};
	struct db_res r;
	int rc;

	if (token == NULL || strlen(token) != TOKEN_STR_LEN)
		return ERR_AUTH;
	token_hash_hex(token, hash);
	if ((rc = db_begin(db)) != 0 || (rc = db_query(db, a, &r, find, 1, p)) != 0)
		goto out;
	rc = ERR_AUTH;
	if (r.nrows == 0)
		goto out;
	if (db_bool(&r, 0, 2) || db_bool(&r, 0, 3)) { /* replayed: burn the family */
		const char *f[] = {db_val(&r, 0, 1)};
		if (db_query(db, a, NULL, revoke, 1, f) == 0)
			(void)db_commit(db);
		goto out;
	}
	if (db_bool(&r, 0, 4) || db_bool(&r, 0, 5))
		goto out;
	*user_id = db_ll(&r, 0, 0, 0);
	if ((rc = db_query(db, a, NULL, spend, 1, p)) != 0 ||
	    (rc = refresh_insert(db, a, db_val(&r, 0, 0), db_val(&r, 0, 1), ttl, next)) != 0)
		goto out;
	rc = db_commit(db);
out:
	db_rollback(db);
	return rc;
}

int refresh_revoke(struct db *db, struct arena *a, const char *token)
{
	static const char sql[] =
	    "UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family ="
	    " (SELECT family FROM refresh_tokens WHERE token_hash = $1)";
	char hash[65];
	const char *p[] = {hash};
	struct db_res r;
	int rc;

	if (token == NULL || strlen(token) != TOKEN_STR_LEN)
		return ERR_AUTH;
	token_hash_hex(token, hash);
	if ((rc = db_query(db, a, &r, sql, 1, p)) != 0)
		return rc;
	return r.affected > 0 ? 0 : ERR_AUTH;
}
