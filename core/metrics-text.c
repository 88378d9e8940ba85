/* metrics-text.c: the Prometheus text exposition format, version 0.0.4
 * (see metrics.h). Every family gets # HELP and # TYPE before its samples;
 * label values escape \ " and newline, HELP text \ and newline; histogram
 * buckets are cumulative and end with le="+Inf", which equals _count. */
#include "metrics.h"

#include <inttypes.h>
#include <stdio.h>

static const char *const kinds[METRICS_KIND__MAX] = {"worker", "tagd"};
static const char *const db_kinds[METRICS_DB__MAX] = {"connect", "query"};
static const char *const jobs[METRICS_JOB__MAX] = {"done", "failed", "retried"};
static const char *const stages[METRICS_STAGE__MAX] = {"decode", "infer"};
static const char *const classes[5] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

static void escape(struct buf *b, const char *s, int quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '"' && quote)
			buf_puts(b, "\\\"");
		else
			buf_putc(b, *s);
	}
}

static void family(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s ", name);
	escape(b, help, 0);
	buf_printf(b, "\n# TYPE %s %s\n", name, type);
}

/* name{labels} (labels: "" or 'a="x",b="y"', already escaped) */
static void sample(struct buf *b, const char *name, const char *suffix, const char *labels)
{
	buf_printf(b, "%s%s", name, suffix);
	if (*labels)
		buf_printf(b, "{%s}", labels);
	buf_putc(b, ' ');
}

static void seconds(struct buf *b, uint64_t us)
{
	buf_printf(b, "%" PRIu64 ".%06" PRIu64 "\n", us / 1000000, us % 1000000);
}

/* One histogram's samples; labels as for sample(). */
static void hist(struct buf *b, const char *name, const char *labels, const struct metrics_hist *h)
{
	uint64_t cum = 0;
	int i;

	for (i = 0; i < METRICS_BUCKETS; i++) {
		cum += h->bucket[i];
		buf_printf(b, "%s_bucket{%s%s", name, labels, *labels ? "," : "");
		if (i < METRICS_BUCKETS - 1)
			buf_printf(b, "le=\"%g\"} %" PRIu64 "\n",
			           (double)metrics_bounds_us[i] / 1e6, cum);
		else
			buf_printf(b, "le=\"+Inf\"} %" PRIu64 "\n", cum);
	}
	sample(b, name, "_sum", labels);
	seconds(b, h->sum_us);
	sample(b, name, "_count", labels);
	buf_printf(b, "%" PRIu64 "\n", cum);
}

/* 'route="...",method="..."' of row r into labels (escaped). */
static void row_labels(struct buf *labels, const struct metrics_row *r)
{
	buf_clear(labels);
	buf_puts(labels, "route=\"");
	escape(labels, r->route, 1);
	buf_puts(labels, "\",method=\"");
	escape(labels, r->method, 1);
	buf_putc(labels, '"');
}

static void http(struct buf *b, const struct metrics_totals *t)
{
	static const char req[] = "hashtagger_http_requests_total";
	static const char dur[] = "hashtagger_http_request_duration_seconds";
	struct buf labels = {0};
	int i, c;

	family(b, req, "counter",
	       "HTTP requests answered, by route pattern of the route table (\"other\" when none "
	       "matched), method (HEAD counts as GET) and status class.");
	for (i = 0; i < t->nrows; i++) {
		row_labels(&labels, &t->rows[i]);
		for (c = 0; c < 5; c++) {
			if (t->rows[i].status[c] == 0)
				continue;
			buf_printf(b, "%s{%s,status=\"%s\"} %" PRIu64 "\n", req, labels.data,
			           classes[c], t->rows[i].status[c]);
		}
	}
	family(b, dur, "histogram",
	       "Seconds from a request's start in the worker to its answer written, by route "
	       "pattern and method.");
	for (i = 0; i < t->nrows; i++) {
		row_labels(&labels, &t->rows[i]);
		hist(b, dur, labels.data, &t->rows[i].latency);
	}
	buf_free(&labels);
	family(b, "hashtagger_http_requests_in_flight", "gauge",
	       "Requests being answered now, over all live workers.");
	buf_printf(b, "hashtagger_http_requests_in_flight %" PRIu64 "\n", t->in_flight);
}

static void tagging(struct buf *b, const struct metrics_totals *t, const struct metrics_queue *q)
{
	static const char lat[] = "hashtagger_tagger_duration_seconds";
	int i;

	family(b, "hashtagger_tag_jobs_total", "counter",
	       "Tag jobs tagd finished: done, failed for good, or given back for a retry.");
	for (i = 0; i < METRICS_JOB__MAX; i++)
		buf_printf(b, "hashtagger_tag_jobs_total{result=\"%s\"} %" PRIu64 "\n", jobs[i],
		           t->jobs[i]);
	family(b, lat, "histogram",
	       "Seconds tagd spent on one photo, by stage: decode (file to model input) and "
	       "infer (both models).");
	for (i = 0; i < METRICS_STAGE__MAX; i++) {
		char labels[32];
		snprintf(labels, sizeof(labels), "stage=\"%s\"", stages[i]);
		hist(b, lat, labels, &t->tagger[i]);
	}
	if (q == NULL) /* the database did not answer: no queue figures */
		return;
	family(b, "hashtagger_tag_queue_jobs", "gauge", "Tag jobs waiting or being tagged now.");
	buf_printf(b, "hashtagger_tag_queue_jobs{state=\"queued\"} %lld\n", q->queued);
	buf_printf(b, "hashtagger_tag_queue_jobs{state=\"running\"} %lld\n", q->running);
	family(b, "hashtagger_tag_queue_oldest_age_seconds", "gauge",
	       "Age of the oldest queued tag job, 0 when none is queued.");
	buf_printf(b, "hashtagger_tag_queue_oldest_age_seconds %.3f\n", q->oldest_s);
}

static void processes(struct buf *b, const struct metrics_totals *t)
{
	static const char rss[] = "hashtagger_process_resident_memory_bytes";
	int i, k, n;

	family(b, "hashtagger_db_errors_total", "counter",
	       "Failed database connection attempts and failed statements (constraint "
	       "violations the application expects are not counted).");
	for (i = 0; i < METRICS_DB__MAX; i++)
		buf_printf(b, "hashtagger_db_errors_total{kind=\"%s\"} %" PRIu64 "\n", db_kinds[i],
		           t->db_errors[i]);
	family(b, "hashtagger_process_starts_total", "counter",
	       "Processes started (restarts included), by kind.");
	for (k = 0; k < METRICS_KIND__MAX; k++)
		buf_printf(b, "hashtagger_process_starts_total{kind=\"%s\"} %" PRIu64 "\n",
		           kinds[k], t->starts[k]);
	family(b, "hashtagger_processes", "gauge", "Live processes, by kind.");
	for (k = 0; k < METRICS_KIND__MAX; k++) {
		for (i = n = 0; i < t->nprocs; i++)
			n += t->procs[i].kind == (enum metrics_kind)k;
		buf_printf(b, "hashtagger_processes{kind=\"%s\"} %d\n", kinds[k], n);
	}
	family(b, rss, "gauge",
	       "Resident memory of each live process, by kind and slot of the metrics file.");
	for (i = 0; i < t->nprocs; i++)
		if (t->procs[i].rss >= 0)
			buf_printf(b, "%s{kind=\"%s\",slot=\"%d\"} %lld\n", rss,
			           kinds[t->procs[i].kind], t->procs[i].slot, t->procs[i].rss);
}

void metrics_text(struct buf *b, const struct metrics_totals *t, const struct metrics_queue *q)
{
	http(b, t);
	tagging(b, t, q);
	processes(b, t);
}
