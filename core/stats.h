/* stats.h: the admin statistics — totals (users, photos, storage, hashtags),
 * sign-ups and uploads per UTC day over a range of days, top hashtags, how
 * the tagger's suggestions fare per source, and the tagging queue (jobs per
 * state, depth, oldest queued, latency p50/p95 today and over the range,
 * failed jobs with their reasons), plus retrying a failed job. Whole-table
 * totals come from the counters of sql/0010-admin-stats.sql; series and
 * latency from index ranges. Admins only: the routes check the role. */
#ifndef HT_STATS_H
#define HT_STATS_H

#include "arena.h"
#include "db.h"
#include "users.h"

#include <stddef.h>
#include <time.h>

#define STATS_DAYS_DEFAULT 30 /* a range without from ends today with this many days */
#define STATS_DAYS_MAX 366
#define STATS_TOP_TAGS 20
#define STATS_FAILED_MAX 20 /* failed jobs listed, newest first */

/* A range of UTC days, both ends included; strings are YYYY-MM-DD. */
struct stats_range {
	char from[11], to[11];
	char today[11]; /* the UTC day of the request */
	int days;       /* to - from + 1 */
};

/* The range from the request's from/to (NULL or "" when absent): to
 * defaults to today (UTC day of now), from to STATS_DAYS_DEFAULT days
 * ending at to. ERR_INVALID with *field ("from" or "to") and *why (a
 * sentence) for a day that does not exist, from after to, or more than
 * STATS_DAYS_MAX days. */
int stats_range(const char *from, const char *to, time_t now, struct stats_range *out,
                const char **field, const char **why);

/* A duration's unit for people and its value in that unit: below a second
 * in ms (shown without decimals: "350 ms"), then s, min, h up to 2 days,
 * then days (one decimal: "4.2 s", "3.5 min", "2.1 h", "3.0 days"); the
 * steps allow for that rounding (59.97 s is "1.0 min"). */
enum stats_unit { STATS_MS, STATS_S, STATS_MIN, STATS_H, STATS_DAYS };
enum stats_unit stats_duration_unit(double seconds, double *value);

struct stats_day {
	const char *day; /* YYYY-MM-DD */
	long long count;
};

struct stats_tag {
	const char *tag;     /* lowercased */
	long long chosen;    /* accepted or added by the photo's owner */
	long long suggested; /* suggested by the tagger (left, accepted or rejected) */
};

/* The tagger's suggestions from one source and what owners did with them. */
struct stats_source {
	const char *source;
	long long accepted, rejected, left;
};

struct stats_latency {
	long long jobs;  /* finished in the period */
	double p50, p95; /* seconds from queued to done; -1 without jobs */
};

struct stats_failed {
	const char *image_id, *name, *owner_email, *error, *failed_at; /* ISO-8601 UTC */
	long long attempts;
};

enum stats_job_state { STATS_QUEUED, STATS_RUNNING, STATS_DONE, STATS_FAILED, STATS_JOB__MAX };

/* Everything the page shows; arena-owned. */
struct stats {
	long long users, photos, bytes, hashtags, hashtag_rows;
	struct stats_day *signups, *uploads; /* range.days each, zeros included */
	struct stats_tag *top;
	int ntop;
	struct stats_source *sources;
	int nsources;
	long long jobs[STATS_JOB__MAX];
	double oldest_queued; /* seconds, -1 when nothing is queued */
	struct stats_latency today, range;
	struct stats_failed *failed; /* newest first, at most STATS_FAILED_MAX */
	int nfailed;
};

/* The names of enum stats_job_state, in order ("queued", ...). */
extern const char *const stats_job_states[STATS_JOB__MAX];

/* Fold the counters' pending deltas (sql/0010) into one row per key, unless
 * another process is folding right now (stat_current adds what is left
 * either way). tagd calls it when idle so deltas never pile up. 0 or
 * ERR_DB/ERR_UNAVAILABLE. */
int stats_fold(struct db *db, struct arena *a);

/* stats_fold, then read every figure for range r (one snapshot). 0 or
 * ERR_DB/ERR_UNAVAILABLE. */
int stats_load(struct db *db, struct arena *a, const struct stats_range *r, struct stats *out);

/* Queue a failed job again, as a new upload would be: state queued,
 * attempts and error cleared, counted from now, the photo pending again,
 * tagd woken; an audit entry "job.retry" by admin in the same transaction.
 * ERR_NOTFOUND (no such photo), ERR_CONFLICT (its job has not failed).
 * *queued_at gets the new queue time (ISO-8601 UTC, arena-owned). */
int stats_job_retry(struct db *db, struct arena *a, const struct user *admin, const char *public_id,
                    const char **queued_at);

#endif
