/* db.h: the only door to PostgreSQL. Parameterised queries only ($1..$n);
 * results are copied into the caller's arena so PGresult never leaves db.c.
 * Each statement text is prepared once per connection and then run by name
 * (except those with "$n IS NULL OR" predicates: see db.c).
 * A lost connection is re-established on the next call (and a statement
 * that failed because the connection dropped outside a transaction is
 * retried once). */
#ifndef HT_DB_H
#define HT_DB_H

#include "arena.h"

struct pg_conn;
struct db_stmts;

struct db {
	struct pg_conn *conn;   /* opaque PGconn */
	char *conninfo;         /* malloc'd copy */
	int in_tx;              /* inside db_begin..commit/rollback */
	char log_tag[24];       /* prefix of log lines, e.g. the request id */
	unsigned gen;           /* bumped on every (re)connect: LISTENs must be renewed */
	struct db_stmts *stmts; /* statements prepared on this connection (db.c) */
};

/* A result copied into an arena: vals[row * ncols + col], NULL for SQL NULL. */
struct db_res {
	int nrows, ncols;
	char **vals;
	long affected; /* rows affected by INSERT/UPDATE/DELETE */
};

/* Remember conninfo and try to connect. Returns 0, or ERR_UNAVAILABLE when
 * the server cannot be reached (later calls keep trying). */
int db_open(struct db *db, const char *conninfo);
void db_close(struct db *db);
/* 0 when a connection is up (reconnecting if needed), else ERR_UNAVAILABLE. */
int db_ping(struct db *db);

/* Run sql with nparams text parameters (NULL element = SQL NULL). res may be
 * NULL when no rows are wanted. Returns 0, ERR_CONFLICT (unique violation),
 * ERR_INVALID (check/foreign-key violation), ERR_UNAVAILABLE (no connection),
 * or ERR_DB (logged). Result memory is arena-owned. */
int db_query(struct db *db, struct arena *a, struct db_res *res, const char *sql, int nparams,
             const char *const *params);

/* Value at row, col (NULL for SQL NULL or out of range). */
const char *db_val(const struct db_res *res, int row, int col);
/* Value as long long; def when NULL or unparsable. */
long long db_ll(const struct db_res *res, int row, int col, long long def);
/* PostgreSQL boolean "t" -> 1. */
int db_bool(const struct db_res *res, int row, int col);

int db_begin(struct db *db);
int db_commit(struct db *db);
/* Roll back if a transaction is open; safe to call on any path. */
void db_rollback(struct db *db);

/* Wait up to timeout_ms for a NOTIFY on a channel this connection LISTENs
 * to (notifications already received come first). Returns 1 with the
 * channel and payload copied (truncated to their sizes), 0 on timeout, or
 * ERR_UNAVAILABLE when the connection is lost (LISTENs are then gone). */
int db_notify_wait(struct db *db, int timeout_ms, char *channel, size_t chlen, char *payload,
                   size_t paylen);

/* Run a whole SQL script (several statements, no parameters). Only for
 * migration files shipped with the program, never for built strings. */
int db_exec_script(struct db *db, const char *sql);

#endif
