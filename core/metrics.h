/* metrics.h: counters for /metrics (Prometheus text format), shared by
 * every hashtagger process of a host through one file (metrics_file).
 * FastCGI workers and tagd are separate processes, so the file is mapped
 * MAP_SHARED and cut into fixed slots: a process claims a free slot at start
 * with a non-blocking fcntl lock and keeps it for its lifetime; the lock
 * goes with the process, however it dies, and a new process takes the slot
 * over and goes on counting from where the dead one stopped. Counters are
 * summed over all slots, so they only ever grow. Counting is a relaxed
 * atomic add into the process's own slot: no lock, no syscall.
 *
 * The file is self-describing: a header with magic, version and sizes, and
 * the (method, route) label sets of the HTTP rows, added by whichever
 * process meets a new one; no process depends on another's route table.
 *
 * The state is process-wide (one slot per process), so counting takes no
 * handle: core/db.c counts its errors without knowing who runs it. Until
 * metrics_open succeeds every counting call does nothing. */
#ifndef HT_METRICS_H
#define HT_METRICS_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

#define METRICS_VERSION 1
#define METRICS_SLOTS 64   /* processes of a host at one time */
#define METRICS_ROWS 256   /* (method, route) label sets of HTTP counters */
#define METRICS_BUCKETS 12 /* histogram buckets, the last one +Inf */
#define METRICS_METHOD_MAX 11
#define METRICS_ROUTE_MAX 111

enum metrics_kind { METRICS_WORKER, METRICS_TAGD, METRICS_KIND__MAX };
enum metrics_db { METRICS_DB_CONNECT, METRICS_DB_QUERY, METRICS_DB__MAX };
enum metrics_job { METRICS_JOB_DONE, METRICS_JOB_FAILED, METRICS_JOB_RETRIED, METRICS_JOB__MAX };
enum metrics_stage { METRICS_DECODE, METRICS_INFER, METRICS_STAGE__MAX };

/* Upper bounds of the histogram buckets but +Inf, in microseconds
 * (5 ms .. 10 s, Prometheus' default buckets). */
extern const uint64_t metrics_bounds_us[METRICS_BUCKETS - 1];

/* A route of the caller's table; key i of metrics_open is its index. */
struct metrics_key {
	const char *method, *route;
};

/* Sums over all slots, as metrics_sum gives them. */
struct metrics_hist {
	uint64_t bucket[METRICS_BUCKETS]; /* per bucket, not cumulative */
	uint64_t sum_us;
};

struct metrics_row {
	char method[METRICS_METHOD_MAX + 1];
	char route[METRICS_ROUTE_MAX + 1]; /* a route pattern, or "other" */
	uint64_t status[5];                /* 1xx .. 5xx */
	struct metrics_hist latency;
};

struct metrics_proc {
	enum metrics_kind kind;
	int slot;
	long long rss; /* resident bytes, -1 when unknown */
};

struct metrics_totals {
	uint64_t starts[METRICS_KIND__MAX];
	uint64_t db_errors[METRICS_DB__MAX];
	uint64_t jobs[METRICS_JOB__MAX];
	struct metrics_hist tagger[METRICS_STAGE__MAX];
	uint64_t in_flight; /* of live processes only */
	int nprocs;         /* live processes */
	struct metrics_proc procs[METRICS_SLOTS];
	int nrows; /* rows with at least one request */
	struct metrics_row rows[METRICS_ROWS];
};

/* The tag queue as seen at scrape time (tagd_queue). */
struct metrics_queue {
	long long queued, running;
	double oldest_s; /* age of the oldest queued job, 0 when none */
};

/* Map path (created when missing; remade under a new inode when it is not
 * a metrics file of this version), claim a slot for this process as kind
 * and register the label sets of keys (nkeys of them; a worker passes its
 * route table). Returns 0, or a negative enum err after logging why to
 * stderr: metrics then stay off in this process, which runs on. An empty
 * path turns metrics off without a word. Run as root, a file it makes gets
 * the owner and group of its directory (the workers' user). */
int metrics_open(const char *path, enum metrics_kind kind, const struct metrics_key *keys,
                 size_t nkeys);
/* Release the slot and the mapping; metrics are off again. */
void metrics_close(void);

/* A request begins (in flight). */
void metrics_request_start(void);
/* It was answered with status after us microseconds: key is the index of
 * its route in metrics_open's keys, or -1 when none matched (counted under
 * route "other" with method, which is folded into a short list). */
void metrics_request_done(int key, const char *method, int status, uint64_t us);
void metrics_db_error(enum metrics_db what);
void metrics_job(enum metrics_job outcome);
/* Decode and inference time of one photo, milliseconds. */
void metrics_tagger(double ms_decode, double ms_infer);

/* Sum every slot into t (large: allocate it). ERR_UNAVAILABLE when metrics
 * are off in this process. */
int metrics_sum(struct metrics_totals *t);

/* Append the Prometheus text exposition (version 0.0.4) of t, and of q
 * unless it is NULL, to b (metrics-text.c). */
void metrics_text(struct buf *b, const struct metrics_totals *t, const struct metrics_queue *q);

#endif
