/* sessions.c: login sessions (see sessions.h). */
#include "sessions.h"
#include "err.h"
#include "token.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#define SESS_UA_MAX 200

static const char sql_create[] =
    "WITH gc AS (DELETE FROM sessions WHERE expires_at < now())"
    " INSERT INTO sessions (token_hash, user_id, csrf, expires_at, client_ip, user_agent)"
    " VALUES ($1, $2, $3, now() + make_interval(secs => $4::int), $5, $6)";
static const char sql_lookup[] =
    "SELECT u.id, u.public_id, u.email, u.role, u.locale,"
    " to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " u.disabled, s.csrf, s.last_seen_at < now() - interval '5 minutes'"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled";
static const char sql_touch[] = "UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1";
static const char sql_destroy[] = "DELETE FROM sessions WHERE token_hash = $1";
static const char sql_destroy_user[] = "DELETE FROM sessions WHERE user_id = $1";

int sess_create(struct db *db, struct arena *a, long long user_id, long ttl, const char *client_ip,
                const char *user_agent, const char **token, struct session *s)
{
	char tok[TOKEN_STR_LEN + 1], csrf[TOKEN_STR_LEN + 1], hash[65];
	char uid[24], ttlbuf[24], ua[SESS_UA_MAX + 1];
	const char *p[] = {hash, uid, csrf, ttlbuf, client_ip, ua};
	size_t n;
	int rc;

	token_new(tok);
	token_new(csrf);
	token_hash_hex(tok, hash);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(ttlbuf, sizeof(ttlbuf), "%ld", ttl);
	if (user_agent == NULL || !utf8_valid(user_agent, strlen(user_agent)))
		user_agent = "";
	/* cut at a UTF-8 boundary so the column stays valid text */
	n = utf8_cut(user_agent, strlen(user_agent), SESS_UA_MAX);
	memcpy(ua, user_agent, n);
	ua[n] = '\0';
	if ((rc = db_query(db, a, NULL, sql_create, 6, p)) != 0)
		return rc;
	*token = arena_strdup(a, tok);
	memset(s, 0, sizeof(*s));
	s->token_hash = arena_strdup(a, hash);
	s->csrf = arena_strdup(a, csrf);
	return users_get(db, a, user_id, &s->user);
}

int sess_lookup(struct db *db, struct arena *a, const char *token, struct session *s)
{
	char hash[65];
	const char *p[] = {hash};
	struct db_res r;
	int rc;

	if (strlen(token) != TOKEN_STR_LEN)
		return ERR_NOTFOUND;
	token_hash_hex(token, hash);
	if ((rc = db_query(db, a, &r, sql_lookup, 1, p)) != 0)
		return rc;
	if (r.nrows == 0)
		return ERR_NOTFOUND;
	memset(s, 0, sizeof(*s));
	s->token_hash = arena_strdup(a, hash);
	s->user.id = db_ll(&r, 0, 0, 0);
	s->user.public_id = db_val(&r, 0, 1);
	s->user.email = db_val(&r, 0, 2);
	s->user.role = db_val(&r, 0, 3);
	s->user.locale = db_val(&r, 0, 4);
	s->user.created_at = db_val(&r, 0, 5);
	s->user.disabled = db_bool(&r, 0, 6);
	s->csrf = db_val(&r, 0, 7);
	if (db_bool(&r, 0, 8))
		(void)db_query(db, a, NULL, sql_touch, 1, p);
	return 0;
}

int sess_destroy(struct db *db, struct arena *a, const char *token_hash)
{
	const char *p[] = {token_hash};

	return db_query(db, a, NULL, sql_destroy, 1, p);
}

int sess_destroy_user(struct db *db, struct arena *a, long long user_id)
{
	char uid[24];
	const char *p[] = {uid};

	snprintf(uid, sizeof(uid), "%lld", user_id);
	return db_query(db, a, NULL, sql_destroy_user, 1, p);
}
