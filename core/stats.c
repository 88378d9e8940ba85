/* stats.c: the admin statistics (see stats.h). */
#include "stats.h"
#include "audit.h"
#include "err.h"
#include "i18n.h"
#include "token.h"

#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATS_LOCK_KEY "7262536102" /* one stats_fold at a time */
#define ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* [$a, $b] as UTC days: the instants from $a's midnight to the one after $b */
#define DAYS_FROM(a) "$" a "::date::timestamp AT TIME ZONE 'UTC'"
#define DAYS_UNTIL(b) "($" b "::date + 1)::timestamp AT TIME ZONE 'UTC'"

const char *const stats_job_states[STATS_JOB__MAX] = {"queued", "running", "done", "failed"};

/* Days since 1970-01-01 of a real calendar day YYYY-MM-DD (1970..9999). */
static int parse_day(const char *s, long *days)
{
	struct tm tm = {0}, back;
	time_t t;
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return ERR_INVALID;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return ERR_INVALID;
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1)
		return ERR_INVALID;
	t = timegm(&tm);
	/* timegm normalises 02-30 to 03-02: a real day comes back unchanged */
	if (t == (time_t)-1 || gmtime_r(&t, &back) == NULL || back.tm_mday != atoi(s + 8))
		return ERR_INVALID;
	*days = (long)(t / 86400);
	return 0;
}

static void day_text(long days, char out[11])
{
	time_t t = (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int stats_range(const char *from, const char *to, time_t now, struct stats_range *out,
                const char **field, const char **why)
{
	long f, t, today = (long)(now / 86400);

	memset(out, 0, sizeof(*out));
	*field = NULL;
	*why = NULL;
	day_text(today, out->today);
	t = today;
	if (to && *to && parse_day(to, &t) != 0) {
		*field = "to";
		*why = N_("There is no such day.");
		return ERR_INVALID;
	}
	f = t - (STATS_DAYS_DEFAULT - 1);
	if (from && *from && parse_day(from, &f) != 0) {
		*field = "from";
		*why = N_("There is no such day.");
		return ERR_INVALID;
	}
	if (f > t) {
		*field = "to";
		*why = N_("The last day comes before the first day.");
		return ERR_INVALID;
	}
	if (t - f + 1 > STATS_DAYS_MAX) {
		*field = "from";
		*why = N_("The range is longer than 366 days.");
		return ERR_INVALID;
	}
	day_text(f, out->from);
	day_text(t, out->to);
	out->days = (int)(t - f + 1);
	return 0;
}

enum stats_unit stats_duration_unit(double s, double *value)
{
	/* seconds per unit, and the value from which the next unit is used */
	static const double per[] = {0.001, 1, 60, 3600, 86400},
	                    upto[] = {999.5, 59.95, 59.95, 47.95};
	int u = STATS_MS;

	if (s < 0)
		s = 0;
	while (u < STATS_DAYS && s / per[u] >= upto[u])
		u++;
	*value = s / per[u];
	return (enum stats_unit)u;
}

int stats_fold(struct db *db, struct arena *a)
{
	static const char lock_sql[] = "SELECT pg_try_advisory_xact_lock($1::bigint)";
	/* keys whose count fell to zero stay: stat_current leaves them out */
	static const char fold_sql[] =
	    "WITH d AS (DELETE FROM stat_deltas RETURNING counter, state, source, tag, n, bytes)"
	    " INSERT INTO stat_counts (counter, state, source, tag, n, bytes)"
	    " SELECT counter, state, source, tag, sum(n), sum(bytes) FROM d"
	    " GROUP BY counter, state, source, tag ORDER BY counter, state, source, tag"
	    " ON CONFLICT (counter, state, source, tag) DO UPDATE"
	    " SET n = stat_counts.n + excluded.n, bytes = stat_counts.bytes + excluded.bytes";
	const char *p[1] = {STATS_LOCK_KEY};
	struct db_res res;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_query(db, a, &res, lock_sql, 1, p)) == 0 && db_bool(&res, 0, 0) &&
	    (rc = db_query(db, a, NULL, fold_sql, 0, NULL)) == 0)
		rc = db_commit(db);
	db_rollback(db);
	return rc;
}

static int load_totals(struct db *db, struct arena *a, struct stats *s)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM users),"
	    " coalesce(sum(n) FILTER (WHERE counter = 'images'), 0),"
	    " coalesce(sum(bytes) FILTER (WHERE counter = 'images'), 0),"
	    " count(DISTINCT tag) FILTER (WHERE counter = 'image_tags'),"
	    " coalesce(sum(n) FILTER (WHERE counter = 'image_tags'), 0),"
	    " coalesce(sum(n) FILTER (WHERE counter = 'tag_jobs' AND state = 'queued'), 0),"
	    " coalesce(sum(n) FILTER (WHERE counter = 'tag_jobs' AND state = 'running'), 0),"
	    " coalesce(sum(n) FILTER (WHERE counter = 'tag_jobs' AND state = 'done'), 0),"
	    " coalesce(sum(n) FILTER (WHERE counter = 'tag_jobs' AND state = 'failed'), 0),"
	    " (SELECT extract(epoch FROM now() - min(created_at))::float8"
	    "  FROM tag_jobs WHERE state = 'queued')"
	    " FROM stat_current";
	struct db_res res;
	int rc, i;

	if ((rc = db_query(db, a, &res, sql, 0, NULL)) != 0)
		return rc;
	s->users = db_ll(&res, 0, 0, 0);
	s->photos = db_ll(&res, 0, 1, 0);
	s->bytes = db_ll(&res, 0, 2, 0);
	s->hashtags = db_ll(&res, 0, 3, 0);
	s->hashtag_rows = db_ll(&res, 0, 4, 0);
	for (i = 0; i < STATS_JOB__MAX; i++)
		s->jobs[i] = db_ll(&res, 0, 5 + i, 0);
	s->oldest_queued = db_val(&res, 0, 9) ? strtod(db_val(&res, 0, 9), NULL) : -1;
	return 0;
}

/* One row per day of the range: its sign-ups and uploads, each counted over
 * an index range of created_at. */
static int load_series(struct db *db, struct arena *a, const struct stats_range *r, struct stats *s)
{
	static const char sql[] =
	    "SELECT to_char(d, 'YYYY-MM-DD'),"
	    " (SELECT count(*) FROM users WHERE created_at >= d AT TIME ZONE 'UTC'"
	    "  AND created_at < (d + interval '1 day') AT TIME ZONE 'UTC'),"
	    " (SELECT count(*) FROM images WHERE created_at >= d AT TIME ZONE 'UTC'"
	    "  AND created_at < (d + interval '1 day') AT TIME ZONE 'UTC')"
	    " FROM generate_series($1::date::timestamp, $2::date::timestamp, interval '1 day') d"
	    " ORDER BY d";
	const char *p[2] = {r->from, r->to};
	struct db_res res;
	int rc, i;

	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	if (res.nrows != r->days)
		return ERR_DB;
	s->signups = arena_calloc(a, (size_t)r->days, sizeof(*s->signups));
	s->uploads = arena_calloc(a, (size_t)r->days, sizeof(*s->uploads));
	for (i = 0; i < r->days; i++) {
		s->signups[i].day = s->uploads[i].day = db_val(&res, i, 0);
		s->signups[i].count = db_ll(&res, i, 1, 0);
		s->uploads[i].count = db_ll(&res, i, 2, 0);
	}
	return 0;
}

/* Queue-to-done seconds of the jobs finished on days from..to: one sort for
 * both percentiles, date_part for float seconds (extract gives numeric). */
static int load_latency(struct db *db, struct arena *a, const char *from, const char *to,
                        struct stats_latency *l)
{
	static const char sql[] =
	    "SELECT n, p[1], p[2] FROM (SELECT count(*) AS n,"
	    " percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY s) AS p"
	    " FROM (SELECT date_part('epoch', finished_at - created_at) AS s"
	    "  FROM tag_jobs WHERE state = 'done'"
	    "  AND finished_at >= " DAYS_FROM("1") " AND finished_at < " DAYS_UNTIL("2") ") j) x";
	const char *p[2] = {from, to};
	struct db_res res;
	int rc;

	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	l->jobs = db_ll(&res, 0, 0, 0);
	l->p50 = db_val(&res, 0, 1) ? strtod(db_val(&res, 0, 1), NULL) : -1;
	l->p95 = db_val(&res, 0, 2) ? strtod(db_val(&res, 0, 2), NULL) : -1;
	return 0;
}

static int load_tags(struct db *db, struct arena *a, struct stats *s)
{
	static const char top_sql[] =
	    "SELECT tag, coalesce(sum(n) FILTER (WHERE state IN ('accepted', 'added')), 0) AS c,"
	    " coalesce(sum(n) FILTER (WHERE state IN ('suggested', 'accepted', 'rejected')), 0) AS "
	    "s"
	    " FROM stat_current WHERE counter = 'image_tags'"
	    " GROUP BY tag ORDER BY c DESC, s DESC, tag LIMIT $1";
	static const char source_sql[] =
	    "SELECT source, coalesce(sum(n) FILTER (WHERE state = 'accepted'), 0),"
	    " coalesce(sum(n) FILTER (WHERE state = 'rejected'), 0),"
	    " coalesce(sum(n) FILTER (WHERE state = 'suggested'), 0)"
	    " FROM stat_current WHERE counter = 'image_tags'"
	    " AND state IN ('suggested', 'accepted', 'rejected')"
	    " GROUP BY source ORDER BY sum(n) DESC, source";
	const char *p[1] = {arena_printf(a, "%d", STATS_TOP_TAGS)};
	struct db_res res;
	int rc, i;

	if ((rc = db_query(db, a, &res, top_sql, 1, p)) != 0)
		return rc;
	s->ntop = res.nrows;
	s->top = arena_calloc(a, (size_t)res.nrows + 1, sizeof(*s->top));
	for (i = 0; i < res.nrows; i++) {
		s->top[i].tag = db_val(&res, i, 0);
		s->top[i].chosen = db_ll(&res, i, 1, 0);
		s->top[i].suggested = db_ll(&res, i, 2, 0);
	}
	if ((rc = db_query(db, a, &res, source_sql, 0, NULL)) != 0)
		return rc;
	s->nsources = res.nrows;
	s->sources = arena_calloc(a, (size_t)res.nrows + 1, sizeof(*s->sources));
	for (i = 0; i < res.nrows; i++) {
		s->sources[i].source = db_val(&res, i, 0);
		s->sources[i].accepted = db_ll(&res, i, 1, 0);
		s->sources[i].rejected = db_ll(&res, i, 2, 0);
		s->sources[i].left = db_ll(&res, i, 3, 0);
	}
	return 0;
}

static int load_failed(struct db *db, struct arena *a, struct stats *s)
{
	static const char sql[] =
	    "SELECT i.public_id, i.original_name, u.email, coalesce(j.last_error, ''), " ISO_UTC(
	        "j.finished_at") ", j.attempts"
	                         " FROM tag_jobs j JOIN images i ON i.id = j.image_id"
	                         " JOIN users u ON u.id = i.owner_id WHERE j.state = 'failed'"
	                         " ORDER BY j.finished_at DESC, j.image_id DESC LIMIT $1";
	const char *p[1] = {arena_printf(a, "%d", STATS_FAILED_MAX)};
	struct db_res res;
	int rc, i;

	if ((rc = db_query(db, a, &res, sql, 1, p)) != 0)
		return rc;
	s->nfailed = res.nrows;
	s->failed = arena_calloc(a, (size_t)res.nrows + 1, sizeof(*s->failed));
	for (i = 0; i < res.nrows; i++) {
		struct stats_failed *f = &s->failed[i];
		f->image_id = db_val(&res, i, 0);
		f->name = db_val(&res, i, 1);
		f->owner_email = db_val(&res, i, 2);
		f->error = db_val(&res, i, 3);
		f->failed_at = db_val(&res, i, 4); /* NULL when never set */
		f->attempts = db_ll(&res, i, 5, 0);
	}
	return 0;
}

int stats_load(struct db *db, struct arena *a, const struct stats_range *r, struct stats *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = stats_fold(db, a)) != 0)
		return rc;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc =
	         db_query(db, a, NULL, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	                  0, NULL)) == 0 &&
	    (rc = load_totals(db, a, out)) == 0 && (rc = load_series(db, a, r, out)) == 0 &&
	    (rc = load_latency(db, a, r->today, r->today, &out->today)) == 0 &&
	    (rc = load_latency(db, a, r->from, r->to, &out->range)) == 0 &&
	    (rc = load_tags(db, a, out)) == 0)
		rc = load_failed(db, a, out);
	db_rollback(db); /* read only: nothing to commit */
	return rc;
}

int stats_job_retry(struct db *db, struct arena *a, const struct user *admin, const char *public_id,
                    const char **queued_at)
{
	static const char lock_sql[] =
	    "SELECT j.state, j.attempts, coalesce(j.last_error, ''), u.email"
	    " FROM images i JOIN tag_jobs j ON j.image_id = i.id JOIN users u ON u.id = i.owner_id"
	    " WHERE i.public_id = $1 FOR UPDATE OF i, j";
	static const char queue_sql[] =
	    "WITH i AS (UPDATE images SET status = 'pending' WHERE public_id = $1 RETURNING id)"
	    " UPDATE tag_jobs j SET state = 'queued', attempts = 0, last_error = NULL,"
	    " locked_until = NULL, locked_by = NULL, started_at = NULL, finished_at = NULL,"
	    " created_at = now() FROM i WHERE j.image_id = i.id RETURNING " ISO_UTC("j.created_at");
	const char *p[1] = {public_id};
	struct db_res res, q;
	cJSON *detail;
	char *json = NULL;
	int rc;

	*queued_at = NULL;
	if (!public_id_valid(public_id))
		return ERR_NOTFOUND;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_query(db, a, &res, lock_sql, 1, p)) != 0)
		goto out;
	if (res.nrows == 0) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	if (strcmp(db_val(&res, 0, 0), "failed") != 0) {
		rc = ERR_CONFLICT;
		goto out;
	}
	detail = cJSON_CreateObject();
	cJSON_AddStringToObject(detail, "owner", db_val(&res, 0, 3));
	cJSON_AddStringToObject(detail, "error", db_val(&res, 0, 2));
	cJSON_AddNumberToObject(detail, "attempts", (double)db_ll(&res, 0, 1, 0));
	json = cJSON_PrintUnformatted(detail);
	cJSON_Delete(detail);
	if (json == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = db_query(db, a, &q, queue_sql, 1, p)) != 0 ||
	    (rc = audit_write(db, a, admin, "job.retry", "image", public_id, json)) != 0 ||
	    (rc = db_query(db, a, NULL, "SELECT pg_notify('tag_jobs', $1)", 1, p)) != 0 ||
	    (rc = db_commit(db)) != 0)
		goto out;
	*queued_at = db_val(&q, 0, 0);
out:
	cJSON_free(json);
	db_rollback(db);
	return rc;
}
