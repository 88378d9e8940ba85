/* ratelimit.c: fixed-window request counters (see ratelimit.h). */
#include "ratelimit.h"
#include "err.h"

int rate_hit(struct db *db, struct arena *a, const char *key, int limit, int window,
             int *retry_after)
{
	static const char sql[] =
	    "WITH w AS (SELECT date_bin(make_interval(secs => $2), now(), 'epoch') AS at)"
	    " INSERT INTO rate_hits (key, window_at, hits) SELECT $1, at, 1 FROM w"
	    " ON CONFLICT (key, window_at) DO UPDATE SET hits = rate_hits.hits + 1"
	    " RETURNING hits, ceil(extract(epoch FROM window_at + make_interval(secs => $2)"
	    " - now()))::int";
	const char *p[] = {key, arena_printf(a, "%d", window)};
	struct db_res r;
	int rc;

	*retry_after = 0;
	if (limit <= 0)
		return 0;
	if ((rc = db_query(db, a, &r, sql, 2, p)) != 0)
		return rc;
	if (db_ll(&r, 0, 0, 0) <= limit)
		return 0;
	*retry_after = (int)db_ll(&r, 0, 1, window);
	if (*retry_after < 1)
		*retry_after = 1;
	return ERR_THROTTLED;
}

int rate_prune(struct db *db, struct arena *a)
{
	return db_query(db, a, NULL,
	                "DELETE FROM rate_hits WHERE window_at < now() - interval '1 hour'", 0,
	                NULL);
}
