/* migrate.h: applies sql/NNNN-name.sql files in order, each in its own
 * transaction, recording the file name in schema_migrations. Safe to run
 * concurrently (an advisory lock serialises runners). */
#ifndef HT_MIGRATE_H
#define HT_MIGRATE_H

#include "db.h"

/* Apply every pending migration in dir. *applied gets the count applied.
 * Returns 0 or a negative enum err (the failing file is logged). */
int migrate_run(struct db *db, const char *dir, int *applied);

#endif
