/* page-stats.c: /admin — the statistics page: tagging at a glance (today's
 * latency, the queue, failures), totals, sign-ups and uploads per day as
 * server-drawn SVG bar charts with their numbers in a table, hashtags, and
 * the failed jobs with a Retry button (POST /admin/jobs/ID/retry). The
 * numbers are view_stats' (api-stats.c) plus texts for people. Admins only
 * (the route's R_ADMIN). */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "stats.h"
#include "svgchart.h"
#include "view.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the picture: 720 × 220 units, room for tick labels left and days below */
static const struct svgchart_frame chart_frame = {720, 220, 52, 8, 10, 26, 56};

/* "1,234,567" */
static const char *count_text(struct arena *a, long long n)
{
	char digits[32], out[48];
	int len, i, j = 0;

	len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? 0 : n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return arena_strdup(a, out);
}

static const char *duration_text(struct arena *a, double s)
{
	char b[32];

	stats_duration_text(s, b, sizeof(b));
	return arena_strdup(a, b);
}

/* "Mar 3" from "2026-03-03" */
static const char *day_short(struct arena *a, const char *day)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int m = atoi(day + 5);

	return arena_printf(a, "%s %d", months[(m >= 1 && m <= 12 ? m : 1) - 1], atoi(day + 8));
}

/* "42%" of part in all, or "–" when all is 0 */
static const char *percent_text(struct arena *a, long long part, long long all)
{
	return all > 0 ? arena_printf(a, "%.0f%%", 100.0 * (double)part / (double)all) : "–";
}

/* A sentence for screen readers: the chart's total, busiest day, empty days. */
static const char *chart_desc(struct arena *a, const char *what, const struct stats_day *d, int n)
{
	long long total = 0;
	int busiest = 0, empty = 0;

	for (int i = 0; i < n; i++) {
		total += d[i].count;
		empty += d[i].count == 0;
		if (d[i].count > d[busiest].count)
			busiest = i;
	}
	if (total == 0)
		return arena_printf(a, "%s per UTC day from %s to %s: none.", what, d[0].day,
		                    d[n - 1].day);
	return arena_printf(
	    a, "%s per UTC day from %s to %s: %s in all; the busiest day was %s with %s; %s.", what,
	    d[0].day, d[n - 1].day, count_text(a, total), d[busiest].day,
	    count_text(a, d[busiest].count),
	    empty == 0   ? "every day had some"
	    : empty == 1 ? "1 day had none"
	                 : arena_printf(a, "%d days had none", empty));
}

/* The view of one bar chart for templates/admin-chart.mustache. */
static cJSON *chart_view(struct arena *a, const char *id, const char *title, const char *what,
                         const char *unit, const struct stats_day *d, int n)
{
	long long *v = arena_calloc(a, (size_t)n, sizeof(*v));
	struct svgchart c;
	cJSON *o = cJSON_CreateObject(), *ticks, *bars, *labels, *rows;
	int i, rc;

	for (i = 0; i < n; i++)
		v[i] = d[i].count;
	rc = svgchart_layout(a, &chart_frame, v, n, &c);
	assert(rc == 0); /* n >= 1 and the frame has room: a range has a day */
	(void)rc;
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "title", title);
	cJSON_AddStringToObject(o, "desc", chart_desc(a, what, d, n));
	cJSON_AddStringToObject(o, "column", what);
	cJSON_AddNumberToObject(o, "width", c.f.width);
	cJSON_AddNumberToObject(o, "height", c.f.height);
	cJSON_AddNumberToObject(o, "x0", c.x0);
	cJSON_AddNumberToObject(o, "x1", c.x1);
	cJSON_AddNumberToObject(o, "y1", c.y1);
	ticks = cJSON_AddArrayToObject(o, "ticks");
	for (i = 0; i < c.nticks; i++) {
		char label[32];
		cJSON *t = cJSON_CreateObject();
		svgchart_count_label(c.ticks[i].value, label, sizeof(label));
		cJSON_AddNumberToObject(t, "y", c.ticks[i].y);
		cJSON_AddNumberToObject(t, "label_x", c.x0 - 6);
		cJSON_AddNumberToObject(t, "label_y", c.ticks[i].y + 4);
		cJSON_AddStringToObject(t, "label", label);
		cJSON_AddItemToArray(ticks, t);
	}
	bars = cJSON_AddArrayToObject(o, "bars");
	labels = cJSON_AddArrayToObject(o, "xlabels");
	rows = cJSON_AddArrayToObject(o, "rows");
	for (i = 0; i < n; i++) {
		const struct svgchart_bar *b = &c.bars[i];
		const char *num = count_text(a, d[i].count);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "x", b->x);
		cJSON_AddNumberToObject(e, "y", b->y);
		cJSON_AddNumberToObject(e, "w", b->w);
		cJSON_AddNumberToObject(e, "h", b->h);
		cJSON_AddStringToObject(
		    e, "title",
		    arena_printf(a, "%s: %s %s", d[i].day, num,
		                 d[i].count == 1 ? unit : arena_printf(a, "%ss", unit)));
		cJSON_AddItemToArray(bars, e);
		if (b->labelled) {
			e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "x", b->cx);
			cJSON_AddNumberToObject(e, "y", c.y1 + 16);
			cJSON_AddStringToObject(e, "text", day_short(a, d[i].day));
			cJSON_AddItemToArray(labels, e);
		}
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "day", d[i].day);
		cJSON_AddStringToObject(e, "count", num);
		cJSON_AddItemToArray(rows, e);
	}
	return o;
}

/* Links to common ranges ending today. */
static void add_ranges(struct arena *a, cJSON *ctx, const struct stats_range *rg)
{
	static const int spans[] = {7, 30, 90, 366};
	static const char *const names[] = {"7 days", "30 days", "90 days", "A year"};
	cJSON *arr = cJSON_AddArrayToObject(ctx, "ranges");
	time_t now = time(NULL);

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		time_t since = now - (time_t)(spans[i] - 1) * 86400;
		cJSON *o = cJSON_CreateObject();
		char from[11];
		struct tm tm;
		strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&since, &tm));
		cJSON_AddStringToObject(o, "label", names[i]);
		cJSON_AddStringToObject(o, "url",
		                        arena_printf(a, "/admin?from=%s&to=%s", from, rg->today));
		cJSON_AddBoolToObject(
		    o, "current", strcmp(from, rg->from) == 0 && strcmp(rg->today, rg->to) == 0);
		cJSON_AddItemToArray(arr, o);
	}
}

/* Texts next to the numbers of view_stats. */
static void add_texts(struct arena *a, cJSON *ctx, const struct stats_range *rg,
                      const struct stats *s)
{
	cJSON *o, *arr, *it;
	int i;

	o = cJSON_AddObjectToObject(ctx, "text");
	cJSON_AddStringToObject(o, "users", count_text(a, s->users));
	cJSON_AddStringToObject(o, "photos", count_text(a, s->photos));
	cJSON_AddStringToObject(o, "storage", i18n_bytes(NULL, a, s->bytes));
	cJSON_AddStringToObject(o, "storage_bytes", count_text(a, s->bytes));
	cJSON_AddStringToObject(o, "hashtags", count_text(a, s->hashtags));
	cJSON_AddStringToObject(o, "hashtag_rows", count_text(a, s->hashtag_rows));
	cJSON_AddStringToObject(o, "queue_depth",
	                        count_text(a, s->jobs[STATS_QUEUED] + s->jobs[STATS_RUNNING]));
	cJSON_AddStringToObject(o, "failed", count_text(a, s->jobs[STATS_FAILED]));
	if (s->oldest_queued >= 0)
		cJSON_AddStringToObject(o, "oldest_queued", duration_text(a, s->oldest_queued));
	arr = cJSON_AddArrayToObject(ctx, "latency");
	for (i = 0; i < 2; i++) {
		const struct stats_latency *l = i == 0 ? &s->today : &s->range;
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "period",
		                        i == 0 ? arena_printf(a, "Today (%s)", rg->today)
		                               : arena_printf(a, "%s to %s", rg->from, rg->to));
		cJSON_AddStringToObject(it, "jobs", count_text(a, l->jobs));
		if (l->jobs > 0) {
			cJSON_AddStringToObject(it, "p50", duration_text(a, l->p50));
			cJSON_AddStringToObject(it, "p95", duration_text(a, l->p95));
		}
		if (i == 0)
			cJSON_AddItemToObject(ctx, "today_latency", cJSON_Duplicate(it, 1));
		cJSON_AddItemToArray(arr, it);
	}
	arr = cJSON_AddArrayToObject(ctx, "job_states");
	for (i = 0; i < STATS_JOB__MAX; i++) {
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "state", stats_job_states[i]);
		cJSON_AddStringToObject(it, "count", count_text(a, s->jobs[i]));
		cJSON_AddItemToArray(arr, it);
	}
}

/* The hashtag tables and the failed jobs with their Retry forms. */
static void add_tables(struct arena *a, cJSON *ctx, const struct stats *s)
{
	cJSON *arr, *it;
	int i;

	arr = cJSON_AddArrayToObject(ctx, "top");
	for (i = 0; i < s->ntop; i++) {
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "hashtag", arena_printf(a, "#%s", s->top[i].tag));
		cJSON_AddStringToObject(it, "chosen", count_text(a, s->top[i].chosen));
		cJSON_AddStringToObject(it, "suggested", count_text(a, s->top[i].suggested));
		cJSON_AddItemToArray(arr, it);
	}
	cJSON_AddBoolToObject(ctx, "any_top", s->ntop > 0);
	arr = cJSON_AddArrayToObject(ctx, "sources");
	for (i = 0; i < s->nsources; i++) {
		const struct stats_source *src = &s->sources[i];
		long long all = src->accepted + src->rejected + src->left;
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "source", src->source);
		cJSON_AddStringToObject(it, "suggested", count_text(a, all));
		cJSON_AddStringToObject(it, "accepted", count_text(a, src->accepted));
		cJSON_AddStringToObject(it, "accepted_pct", percent_text(a, src->accepted, all));
		cJSON_AddStringToObject(it, "rejected", count_text(a, src->rejected));
		cJSON_AddStringToObject(it, "rejected_pct", percent_text(a, src->rejected, all));
		cJSON_AddStringToObject(it, "left", count_text(a, src->left));
		cJSON_AddStringToObject(it, "left_pct", percent_text(a, src->left, all));
		cJSON_AddItemToArray(arr, it);
	}
	cJSON_AddBoolToObject(ctx, "any_sources", s->nsources > 0);
	arr = cJSON_AddArrayToObject(ctx, "failed");
	for (i = 0; i < s->nfailed; i++) {
		const struct stats_failed *f = &s->failed[i];
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "id", f->image_id);
		cJSON_AddStringToObject(it, "name", f->name);
		cJSON_AddStringToObject(it, "owner_email", f->owner_email);
		cJSON_AddStringToObject(it, "error", f->error);
		if (f->failed_at)
			cJSON_AddStringToObject(
			    it, "failed_text",
			    arena_printf(a, "%.10s %.5s", f->failed_at, f->failed_at + 11));
		cJSON_AddStringToObject(it, "attempts_text",
		                        arena_printf(a, "%lld %s", f->attempts,
		                                     f->attempts == 1 ? "attempt" : "attempts"));
		cJSON_AddItemToArray(arr, it);
	}
	cJSON_AddBoolToObject(ctx, "any_failed", s->nfailed > 0);
	cJSON_AddNumberToObject(ctx, "failed_shown", s->nfailed);
	cJSON_AddBoolToObject(ctx, "failed_more", s->jobs[STATS_FAILED] > s->nfailed);
}

void page_admin_stats(struct req *r)
{
	const char *field, *why, *done = kv_get(&r->params, "done");
	struct stats_range rg;
	struct stats s;
	cJSON *ctx;
	int rc;

	if (stats_range(kv_get(&r->params, "from"), kv_get(&r->params, "to"), time(NULL), &rg,
	                &field, &why) != 0) {
		respond_error(r, 400, arena_printf(r->a, "%s Check the \"%s\" day.", why, field));
		return;
	}
	if ((rc = stats_load(&r->app->db, r->a, &rg, &s)) != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = view_stats(&rg, &s);
	cJSON_AddBoolToObject(ctx, "nav_stats", 1);
	add_ranges(r->a, ctx, &rg);
	add_texts(r->a, ctx, &rg, &s);
	add_tables(r->a, ctx, &s);
	cJSON_AddItemToObject(ctx, "signups_chart",
	                      chart_view(r->a, "chart-signups", "Sign-ups per day", "Sign-ups",
	                                 "sign-up", s.signups, rg.days));
	cJSON_AddItemToObject(ctx, "uploads_chart",
	                      chart_view(r->a, "chart-uploads", "Uploads per day", "Uploads",
	                                 "upload", s.uploads, rg.days));
	if (done && strcmp(done, "retried") == 0)
		cJSON_AddStringToObject(ctx, "done",
		                        "Queued again: the tagger picks the photo up in a moment.");
	respond_page(r, 200, "admin-stats", "Statistics", ctx);
}

void page_admin_job_retry(struct req *r)
{
	const char *at, *from = kv_get(&r->params, "from"), *to = kv_get(&r->params, "to"), *q = "";
	int rc = stats_job_retry(&r->app->db, r->a, &r->sess->user, r->args[0], &at);

	if (rc == ERR_CONFLICT) {
		respond_error(
		    r, 409,
		    "This photo's tagging job has not failed (someone may have retried it "
		    "already).");
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	/* back to the same range (validated dates: digits and dashes only) */
	if (from && *from)
		q = arena_printf(r->a, "from=%s&", from);
	if (to && *to)
		q = arena_printf(r->a, "%sto=%s&", q, to);
	respond_redirect(r, arena_printf(r->a, "/admin?%sdone=retried#failed", q));
}
