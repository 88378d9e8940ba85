/* migrate.c: ordered SQL migrations (see migrate.h). */
#include "migrate.h"
#include "buf.h"
#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATE_LOCK_KEY "7262536101"
#define MIGRATE_MAX_FILES 1000
#define MIGRATE_MAX_BYTES (4 * 1024 * 1024)

static const char sql_table[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                " version text PRIMARY KEY,"
                                " applied_at timestamptz NOT NULL DEFAULT now())";
static const char sql_lock[] = "SELECT pg_advisory_xact_lock($1::bigint)";
static const char sql_done[] = "SELECT 1 FROM schema_migrations WHERE version = $1";
static const char sql_record[] = "INSERT INTO schema_migrations (version) VALUES ($1)";

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "0001-accounts.sql": digits, a dash, a name, ".sql". */
static int is_migration(const char *name)
{
	size_t n = strlen(name), i = 0;

	while (name[i] >= '0' && name[i] <= '9')
		i++;
	return i == 4 && name[i] == '-' && n > 9 && strcmp(name + n - 4, ".sql") == 0;
}

static int apply_one(struct db *db, struct arena *a, const char *dir, const char *name,
                     int *applied)
{
	const char *lock[] = {MIGRATE_LOCK_KEY}, *ver[] = {name};
	struct db_res res;
	char path[1024];
	struct buf sql = {0};
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_query(db, a, NULL, sql_lock, 1, lock)) != 0)
		goto out;
	if ((rc = db_query(db, a, &res, sql_done, 1, ver)) != 0 || res.nrows > 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rc = buf_read_file(&sql, path, MIGRATE_MAX_BYTES)) != 0) {
		fprintf(stderr, "migrate: cannot read %s: %s\n", path,
		        rc == ERR_LIMIT ? "too large" : strerror(errno));
		goto out;
	}
	if ((rc = db_exec_script(db, sql.data)) != 0) {
		fprintf(stderr, "migrate: %s failed\n", name);
		goto out;
	}
	if ((rc = db_query(db, a, NULL, sql_record, 1, ver)) != 0)
		goto out;
	rc = db_commit(db);
	if (rc == 0) {
		fprintf(stderr, "migrate: applied %s\n", name);
		(*applied)++;
	}
out:
	buf_free(&sql);
	db_rollback(db);
	return rc;
}

int migrate_run(struct db *db, const char *dir, int *applied)
{
	struct arena a;
	DIR *d = NULL;
	struct dirent *e;
	char *names[MIGRATE_MAX_FILES];
	size_t n = 0, i;
	int rc;

	*applied = 0;
	arena_init(&a, 0);
	if ((rc = db_query(db, &a, NULL, sql_table, 0, NULL)) != 0)
		goto out;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "migrate: %s: %s\n", dir, strerror(errno));
		rc = ERR_IO;
		goto out;
	}
	while ((e = readdir(d)) != NULL && n < MIGRATE_MAX_FILES)
		if (is_migration(e->d_name))
			names[n++] = arena_strdup(&a, e->d_name);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n && rc == 0; i++)
		rc = apply_one(db, &a, dir, names[i], applied);
out:
	if (d != NULL)
		closedir(d);
	arena_free(&a);
	return rc;
}
