/* ratelimit.h: request budgets shared by every worker and host — fixed
 * one-minute windows counted in PostgreSQL (unlogged table rate_hits). */
#ifndef HT_RATELIMIT_H
#define HT_RATELIMIT_H

#include "db.h"

/* Count one request against key ("api:token:…", "api:ip:…") allowing limit
 * per window seconds. 0 while within it; ERR_THROTTLED with *retry_after
 * (seconds to the next window) once over. limit 0 means no limit. */
int rate_hit(struct db *db, struct arena *a, const char *key, int limit, int window,
             int *retry_after);

/* Forget windows older than an hour (run now and then; cheap). */
int rate_prune(struct db *db, struct arena *a);

#endif
