/* db.c: libpq wrapper (see db.h). */
#include "db.h"
#include "err.h"
#include "metrics.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONN(db) ((PGconn *)(void *)(db)->conn)

/* Statements are prepared on a connection the first time they run and
 * executed by name afterwards: parse and analysis once per connection,
 * not once per request. The cache is an open-addressing table keyed by
 * the SQL text (callers pass literals, but a built string works too).
 * Beyond STMT_MAX distinct texts statements run unnamed, as before, and
 * so do statements with optional predicates ("$n IS NULL OR ..."): after a
 * few runs PostgreSQL may switch a prepared statement to a generic plan,
 * which cannot drop the predicate a NULL parameter switches off and so
 * cannot use the index the per-call plan does (a keyset page would scan
 * from the top). Hot statements are built with only the predicates in use. */
#define STMT_SLOTS 256
#define STMT_MAX 160

struct stmt {
	unsigned long hash;
	char *sql; /* malloc'd; NULL = free slot */
};

struct db_stmts {
	struct stmt slot[STMT_SLOTS];
	int n;
};

static unsigned long sql_hash(const char *s)
{
	unsigned long h = 1469598103934665603UL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211UL;
	return h;
}

/* Forget every prepared statement (the connection that held them is gone,
 * or the server refused to run one because the schema changed under it). */
static void stmts_forget(struct db *db)
{
	int i;

	if (db->stmts == NULL)
		return;
	for (i = 0; i < STMT_SLOTS; i++)
		free(db->stmts->slot[i].sql);
	memset(db->stmts, 0, sizeof(*db->stmts));
}

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs (e.g. "relation exists, skipping") are not errors */
}

static int connect_now(struct db *db)
{
	PGconn *c;

	if (db->conn != NULL) {
		PQfinish(CONN(db));
		db->conn = NULL;
	}
	stmts_forget(db);
	c = PQconnectdb(db->conninfo);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		metrics_db_error(METRICS_DB_CONNECT);
		fprintf(stderr, "[%s] db: connect failed: %s", db->log_tag,
		        c ? PQerrorMessage(c) : "out of memory\n");
		PQfinish(c);
		return ERR_UNAVAILABLE;
	}
	PQsetNoticeProcessor(c, notice_quiet, NULL);
	db->conn = (struct pg_conn *)(void *)c;
	db->in_tx = 0;
	db->gen++;
	return 0;
}

int db_open(struct db *db, const char *conninfo)
{
	memset(db, 0, sizeof(*db));
	snprintf(db->log_tag, sizeof(db->log_tag), "-");
	db->conninfo = strdup(conninfo);
	db->stmts = calloc(1, sizeof(*db->stmts));
	if (db->conninfo == NULL || db->stmts == NULL) {
		free(db->conninfo);
		free(db->stmts);
		db->conninfo = NULL;
		db->stmts = NULL;
		return ERR_NOMEM;
	}
	return connect_now(db);
}

void db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(CONN(db));
	stmts_forget(db);
	free(db->stmts);
	free(db->conninfo);
	memset(db, 0, sizeof(*db));
}

int db_ping(struct db *db)
{
	if (db->conn != NULL && PQstatus(CONN(db)) == CONNECTION_OK)
		return 0;
	return connect_now(db);
}

/* A failed statement's enum err; all but the constraint violations callers
 * expect (ERR_CONFLICT, ERR_INVALID) count as database errors. */
static int map_error(struct db *db, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (state != NULL && strcmp(state, "23505") == 0)
		return ERR_CONFLICT;
	if (state != NULL && (strncmp(state, "23", 2) == 0 || strcmp(state, "22P02") == 0))
		return ERR_INVALID;
	metrics_db_error(METRICS_DB_QUERY);
	if (PQstatus(CONN(db)) != CONNECTION_OK)
		return ERR_UNAVAILABLE;
	if (state != NULL && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0))
		return ERR_UNAVAILABLE;
	fprintf(stderr, "[%s] db: %s", db->log_tag, PQerrorMessage(CONN(db)));
	return ERR_DB;
}

static void copy_result(PGresult *r, struct arena *a, struct db_res *res)
{
	int i, j;
	const char *aff;

	res->nrows = PQntuples(r);
	res->ncols = PQnfields(r);
	res->vals = arena_calloc(a, (size_t)res->nrows * (size_t)res->ncols + 1, sizeof(char *));
	for (i = 0; i < res->nrows; i++)
		for (j = 0; j < res->ncols; j++)
			if (!PQgetisnull(r, i, j))
				res->vals[i * res->ncols + j] = arena_strndup(
				    a, PQgetvalue(r, i, j), (size_t)PQgetlength(r, i, j));
	aff = PQcmdTuples(r);
	res->affected = aff && *aff ? atol(aff) : 0;
}

/* Run sql: by name when it is (or can now be) prepared on this connection,
 * unnamed when the cache is full. A failed PREPARE is returned as the
 * statement's result, so its error is the one reported. */
static PGresult *run(struct db *db, const char *sql, int nparams, const char *const *params)
{
	struct db_stmts *st = db->stmts;
	unsigned long h = sql_hash(sql);
	unsigned i = (unsigned)(h % STMT_SLOTS);
	char name[16];
	PGresult *r;

	while (st->slot[i].sql != NULL &&
	       (st->slot[i].hash != h || strcmp(st->slot[i].sql, sql) != 0))
		i = (i + 1) % STMT_SLOTS;
	snprintf(name, sizeof(name), "s%u", i);
	if (st->slot[i].sql == NULL) {
		char *copy =
		    st->n < STMT_MAX && strstr(sql, "IS NULL OR") == NULL ? strdup(sql) : NULL;
		if (copy == NULL)
			return PQexecParams(CONN(db), sql, nparams, NULL, params, NULL, NULL, 0);
		r = PQprepare(CONN(db), name, sql, nparams, NULL);
		if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
			free(copy);
			return r;
		}
		PQclear(r);
		st->slot[i].hash = h;
		st->slot[i].sql = copy;
		st->n++;
	}
	return PQexecPrepared(CONN(db), name, nparams, params, NULL, NULL, 0);
}

/* "cached plan must not change result type": a migration altered a table
 * under a prepared statement. */
static int plan_stale(PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return state != NULL && strcmp(state, "0A000") == 0;
}

int db_query(struct db *db, struct arena *a, struct db_res *res, const char *sql, int nparams,
             const char *const *params)
{
	PGresult *r = NULL;
	ExecStatusType st;
	int rc, attempt;

	if (res != NULL)
		memset(res, 0, sizeof(*res));
	for (attempt = 0; attempt < 2; attempt++) {
		if ((rc = db_ping(db)) != 0)
			return rc;
		r = run(db, sql, nparams, params);
		st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			if (res != NULL)
				copy_result(r, a, res);
			PQclear(r);
			return 0;
		}
		if (plan_stale(r) && !db->in_tx && attempt == 0) {
			PQclear(r);
			PQclear(PQexec(CONN(db), "DEALLOCATE ALL"));
			stmts_forget(db);
			continue;
		}
		rc = map_error(db, r);
		PQclear(r);
		/* the connection dropped: retry once unless a transaction was open */
		if (rc != ERR_UNAVAILABLE || db->in_tx)
			break;
	}
	if (rc == ERR_UNAVAILABLE)
		db->in_tx = 0;
	return rc;
}

const char *db_val(const struct db_res *res, int row, int col)
{
	if (row < 0 || col < 0 || row >= res->nrows || col >= res->ncols)
		return NULL;
	return res->vals[row * res->ncols + col];
}

long long db_ll(const struct db_res *res, int row, int col, long long def)
{
	const char *v = db_val(res, row, col);
	char *end;
	long long n;

	if (v == NULL)
		return def;
	n = strtoll(v, &end, 10);
	return *end == '\0' && end != v ? n : def;
}

int db_bool(const struct db_res *res, int row, int col)
{
	const char *v = db_val(res, row, col);

	return v != NULL && v[0] == 't';
}

static int simple(struct db *db, const char *sql)
{
	PGresult *r;
	int rc = 0;

	if (db->conn == NULL)
		return ERR_UNAVAILABLE;
	r = PQexec(CONN(db), sql);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = map_error(db, r);
	PQclear(r);
	return rc;
}

int db_begin(struct db *db)
{
	int rc;

	if ((rc = db_ping(db)) != 0)
		return rc;
	if ((rc = simple(db, "BEGIN")) == 0)
		db->in_tx = 1;
	return rc;
}

int db_commit(struct db *db)
{
	int rc = simple(db, "COMMIT");

	db->in_tx = 0;
	return rc;
}

void db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	db->in_tx = 0;
	if (db->conn != NULL && PQstatus(CONN(db)) == CONNECTION_OK)
		(void)simple(db, "ROLLBACK");
}

static int take_notify(struct db *db, char *channel, size_t chlen, char *payload, size_t paylen)
{
	PGnotify *n = PQnotifies(CONN(db));

	if (n == NULL)
		return 0;
	snprintf(channel, chlen, "%s", n->relname);
	snprintf(payload, paylen, "%s", n->extra);
	PQfreemem(n);
	return 1;
}

int db_notify_wait(struct db *db, int timeout_ms, char *channel, size_t chlen, char *payload,
                   size_t paylen)
{
	struct pollfd pfd;
	int rc;

	if (db->conn == NULL || PQstatus(CONN(db)) != CONNECTION_OK)
		return ERR_UNAVAILABLE;
	if (take_notify(db, channel, chlen, payload, paylen))
		return 1;
	pfd.fd = PQsocket(CONN(db));
	pfd.events = POLLIN;
	rc = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (rc == 0 || (rc < 0 && errno == EINTR))
		return 0;
	if (rc < 0 || !PQconsumeInput(CONN(db)) || PQstatus(CONN(db)) != CONNECTION_OK)
		return ERR_UNAVAILABLE;
	return take_notify(db, channel, chlen, payload, paylen);
}

int db_exec_script(struct db *db, const char *sql)
{
	PGresult *r;
	int rc = 0;

	if ((rc = db_ping(db)) != 0)
		return rc;
	r = PQexec(CONN(db), sql);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		/* a script ending in SELECT returns TUPLES_OK; anything else failed */
		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = map_error(db, r);
	}
	PQclear(r);
	return rc;
}
