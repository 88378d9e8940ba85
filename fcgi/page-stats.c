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

/* "1,234,567" ("1.234.567" in Spanish) */
static const char *count_text(const struct req *r, long long n)
{
	return i18n_int(r->lang, r->a, n < 0 ? 0 : n);
}

/* "850 ms", "1.5 s", "2.5 min", "3.0 h", "2.1 days" written r's way */
static const char *duration_text(const struct req *r, double s)
{
	static const char *const fmt[] = {"%s ms", "%s s", "%s min", "%s h", N_("%s days")};
	double v;
	enum stats_unit u = stats_duration_unit(s, &v);

	return arena_printf(r->a, _(fmt[u]), i18n_fixed(r->lang, r->a, v, u == STATS_MS ? 0 : 1));
}

/* svgchart_count_label's "1,234" or "12.5k" with r's separators */
static const char *tick_text(const struct req *r, long long v)
{
	char label[32];
	struct buf b = {0};
	const char *out;

	svgchart_count_label(v, label, sizeof(label));
	for (const char *c = label; *c; c++)
		if (*c == ',')
			buf_printf(&b, "%s", r->lang->thousands);
		else if (*c == '.')
			buf_printf(&b, "%s", r->lang->decimal);
		else
			buf_putc(&b, *c);
	out = arena_strdup(r->a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* "42%" of part in all, or "–" when all is 0 */
static const char *percent_text(const struct req *r, long long part, long long all)
{
	return all > 0
	           ? arena_printf(r->a, "%s%%",
	                          i18n_fixed(r->lang, r->a, 100.0 * (double)part / (double)all, 0))
	           : "–";
}

/* The texts of one chart, whole sentences per chart (msgids, N_): */
struct chart_texts {
	const char *id, *title, *column;
	const char *none; /* "…from %s to %s: none." */
	const char *some; /* "…from %s to %s: %s in all; the busiest day was %s with %s; %s." */
	int uploads;      /* the bars' unit: 0 sign-ups, 1 uploads */
};

static const struct chart_texts signups_texts = {
    "chart-signups",
    N_("Sign-ups per day"),
    N_("Sign-ups"),
    N_("Sign-ups per UTC day from %s to %s: none."),
    N_("Sign-ups per UTC day from %s to %s: %s in all; the busiest day was %s with %s; %s."),
    0};
static const struct chart_texts uploads_texts = {
    "chart-uploads",
    N_("Uploads per day"),
    N_("Uploads"),
    N_("Uploads per UTC day from %s to %s: none."),
    N_("Uploads per UTC day from %s to %s: %s in all; the busiest day was %s with %s; %s."),
    1};

/* One bar's tooltip: "3 Mar 2026: 12 uploads" */
static const char *bar_title(const struct req *r, const struct chart_texts *t,
                             const struct stats_day *d)
{
	const char *day = i18n_date(r->lang, r->a, d->day), *num = count_text(r, d->count);
	unsigned long n = (unsigned long)(d->count < 0 ? 0 : d->count);

	if (t->uploads)
		return arena_printf(r->a, _n("%s: %s upload", "%s: %s uploads", n), day, num);
	return arena_printf(r->a, _n("%s: %s sign-up", "%s: %s sign-ups", n), day, num);
}

/* A sentence for screen readers: the chart's total, busiest day, empty days. */
static const char *chart_desc(const struct req *r, const struct chart_texts *t,
                              const struct stats_day *d, int n)
{
	const struct i18n_lang *l = r->lang;
	struct arena *a = r->a;
	long long total = 0;
	int busiest = 0, empty = 0;

	for (int i = 0; i < n; i++) {
		total += d[i].count;
		empty += d[i].count == 0;
		if (d[i].count > d[busiest].count)
			busiest = i;
	}
	if (total == 0)
		return arena_printf(a, i18n_gettext(l, t->none), i18n_date(l, a, d[0].day),
		                    i18n_date(l, a, d[n - 1].day));
	return arena_printf(
	    a, i18n_gettext(l, t->some), i18n_date(l, a, d[0].day), i18n_date(l, a, d[n - 1].day),
	    count_text(r, total), i18n_date(l, a, d[busiest].day), count_text(r, d[busiest].count),
	    empty == 0
	        ? _("every day had some")
	        : arena_printf(a, _n("%d day had none", "%d days had none", (unsigned long)empty),
	                       empty));
}

/* The view of one bar chart for templates/admin-chart.mustache. */
static cJSON *chart_view(const struct req *r, const struct chart_texts *t,
                         const struct stats_day *d, int n)
{
	struct arena *a = r->a;
	long long *v = arena_calloc(a, (size_t)n, sizeof(*v));
	struct svgchart c;
	cJSON *o = cJSON_CreateObject(), *ticks, *bars, *labels, *rows;
	int i, rc;

	for (i = 0; i < n; i++)
		v[i] = d[i].count;
	rc = svgchart_layout(a, &chart_frame, v, n, &c);
	assert(rc == 0); /* n >= 1 and the frame has room: a range has a day */
	(void)rc;
	cJSON_AddStringToObject(o, "id", t->id);
	cJSON_AddStringToObject(o, "title", i18n_gettext(r->lang, t->title));
	cJSON_AddStringToObject(o, "desc", chart_desc(r, t, d, n));
	cJSON_AddStringToObject(o, "column", i18n_gettext(r->lang, t->column));
	cJSON_AddNumberToObject(o, "width", c.f.width);
	cJSON_AddNumberToObject(o, "height", c.f.height);
	cJSON_AddNumberToObject(o, "x0", c.x0);
	cJSON_AddNumberToObject(o, "x1", c.x1);
	cJSON_AddNumberToObject(o, "y1", c.y1);
	ticks = cJSON_AddArrayToObject(o, "ticks");
	for (i = 0; i < c.nticks; i++) {
		cJSON *k = cJSON_CreateObject();
		cJSON_AddNumberToObject(k, "y", c.ticks[i].y);
		cJSON_AddNumberToObject(k, "label_x", c.x0 - 6);
		cJSON_AddNumberToObject(k, "label_y", c.ticks[i].y + 4);
		cJSON_AddStringToObject(k, "label", tick_text(r, c.ticks[i].value));
		cJSON_AddItemToArray(ticks, k);
	}
	bars = cJSON_AddArrayToObject(o, "bars");
	labels = cJSON_AddArrayToObject(o, "xlabels");
	rows = cJSON_AddArrayToObject(o, "rows");
	for (i = 0; i < n; i++) {
		const struct svgchart_bar *b = &c.bars[i];
		const char *num = count_text(r, d[i].count);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "x", b->x);
		cJSON_AddNumberToObject(e, "y", b->y);
		cJSON_AddNumberToObject(e, "w", b->w);
		cJSON_AddNumberToObject(e, "h", b->h);
		cJSON_AddStringToObject(e, "title", bar_title(r, t, &d[i]));
		cJSON_AddItemToArray(bars, e);
		if (b->labelled) {
			e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "x", b->cx);
			cJSON_AddNumberToObject(e, "y", c.y1 + 16);
			cJSON_AddStringToObject(e, "text", i18n_day_month(r->lang, a, d[i].day));
			cJSON_AddItemToArray(labels, e);
		}
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "iso", d[i].day);
		cJSON_AddStringToObject(e, "day", i18n_date(r->lang, a, d[i].day));
		cJSON_AddStringToObject(e, "count", num);
		cJSON_AddItemToArray(rows, e);
	}
	return o;
}

/* Links to common ranges ending today. */
static void add_ranges(const struct req *r, cJSON *ctx, const struct stats_range *rg)
{
	static const int spans[] = {7, 30, 90, 366};
	static const char *const names[] = {N_("7 days"), N_("30 days"), N_("90 days"),
	                                    N_("A year")};
	struct arena *a = r->a;
	cJSON *arr = cJSON_AddArrayToObject(ctx, "ranges");
	time_t now = time(NULL);

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		time_t since = now - (time_t)(spans[i] - 1) * 86400;
		cJSON *o = cJSON_CreateObject();
		char from[11];
		struct tm tm;
		strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&since, &tm));
		cJSON_AddStringToObject(o, "label", i18n_gettext(r->lang, names[i]));
		cJSON_AddStringToObject(o, "url",
		                        arena_printf(a, "/admin?from=%s&to=%s", from, rg->today));
		cJSON_AddBoolToObject(
		    o, "current", strcmp(from, rg->from) == 0 && strcmp(rg->today, rg->to) == 0);
		cJSON_AddItemToArray(arr, o);
	}
}

/* Texts next to the numbers of view_stats. */
static void add_texts(const struct req *r, cJSON *ctx, const struct stats_range *rg,
                      const struct stats *s)
{
	/* stats_job_states as people read them */
	static const char *const state_names[STATS_JOB__MAX] = {N_("queued"), N_("running"),
	                                                        N_("done"), N_("failed")};
	const struct i18n_lang *l = r->lang;
	struct arena *a = r->a;
	cJSON *o, *arr, *it;
	int i;

	o = cJSON_AddObjectToObject(ctx, "text");
	cJSON_AddStringToObject(o, "users", count_text(r, s->users));
	cJSON_AddStringToObject(o, "photos", count_text(r, s->photos));
	cJSON_AddStringToObject(o, "storage", i18n_bytes(l, a, s->bytes));
	cJSON_AddStringToObject(
	    o, "storage_bytes",
	    arena_printf(a, _n("%s byte", "%s bytes", (unsigned long)(s->bytes < 0 ? 0 : s->bytes)),
	                 count_text(r, s->bytes)));
	cJSON_AddStringToObject(o, "from", i18n_date(l, a, rg->from));
	cJSON_AddStringToObject(o, "to", i18n_date(l, a, rg->to));
	cJSON_AddStringToObject(o, "hashtags", count_text(r, s->hashtags));
	cJSON_AddStringToObject(o, "hashtag_rows", count_text(r, s->hashtag_rows));
	cJSON_AddStringToObject(o, "queue_depth",
	                        count_text(r, s->jobs[STATS_QUEUED] + s->jobs[STATS_RUNNING]));
	cJSON_AddStringToObject(o, "failed", count_text(r, s->jobs[STATS_FAILED]));
	if (s->oldest_queued >= 0)
		cJSON_AddStringToObject(o, "oldest_queued", duration_text(r, s->oldest_queued));
	arr = cJSON_AddArrayToObject(ctx, "latency");
	for (i = 0; i < 2; i++) {
		const struct stats_latency *lt = i == 0 ? &s->today : &s->range;
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(
		    it, "period",
		    i == 0 ? arena_printf(a, _("Today (%s)"), i18n_date(l, a, rg->today))
		           : arena_printf(a, _("%s to %s"), i18n_date(l, a, rg->from),
		                          i18n_date(l, a, rg->to)));
		cJSON_AddStringToObject(it, "jobs", count_text(r, lt->jobs));
		if (lt->jobs > 0) {
			cJSON_AddStringToObject(it, "p50", duration_text(r, lt->p50));
			cJSON_AddStringToObject(it, "p95", duration_text(r, lt->p95));
		}
		if (i == 0)
			cJSON_AddItemToObject(ctx, "today_latency", cJSON_Duplicate(it, 1));
		cJSON_AddItemToArray(arr, it);
	}
	arr = cJSON_AddArrayToObject(ctx, "job_states");
	for (i = 0; i < STATS_JOB__MAX; i++) {
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "state", stats_job_states[i]);
		cJSON_AddStringToObject(it, "state_text", i18n_gettext(l, state_names[i]));
		cJSON_AddStringToObject(it, "count", count_text(r, s->jobs[i]));
		cJSON_AddItemToArray(arr, it);
	}
}

/* The hashtag tables and the failed jobs with their Retry forms. */
static void add_tables(const struct req *r, cJSON *ctx, const struct stats *s)
{
	struct arena *a = r->a;
	cJSON *arr, *it;
	int i;

	arr = cJSON_AddArrayToObject(ctx, "top");
	for (i = 0; i < s->ntop; i++) {
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "hashtag", arena_printf(a, "#%s", s->top[i].tag));
		cJSON_AddStringToObject(it, "chosen", count_text(r, s->top[i].chosen));
		cJSON_AddStringToObject(it, "suggested", count_text(r, s->top[i].suggested));
		cJSON_AddItemToArray(arr, it);
	}
	cJSON_AddBoolToObject(ctx, "any_top", s->ntop > 0);
	arr = cJSON_AddArrayToObject(ctx, "sources");
	for (i = 0; i < s->nsources; i++) {
		const struct stats_source *src = &s->sources[i];
		long long all = src->accepted + src->rejected + src->left;
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "source", src->source);
		cJSON_AddStringToObject(it, "source_text", view_source_text(r, src->source));
		cJSON_AddStringToObject(it, "suggested", count_text(r, all));
		cJSON_AddStringToObject(it, "accepted", count_text(r, src->accepted));
		cJSON_AddStringToObject(it, "accepted_pct", percent_text(r, src->accepted, all));
		cJSON_AddStringToObject(it, "rejected", count_text(r, src->rejected));
		cJSON_AddStringToObject(it, "rejected_pct", percent_text(r, src->rejected, all));
		cJSON_AddStringToObject(it, "left", count_text(r, src->left));
		cJSON_AddStringToObject(it, "left_pct", percent_text(r, src->left, all));
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
		if (f->error != NULL) /* stored in English */
			cJSON_AddStringToObject(it, "error", resp_tr(r, f->error));
		if (f->failed_at)
			cJSON_AddStringToObject(it, "failed_text",
			                        i18n_datetime(r->lang, a, f->failed_at));
		cJSON_AddStringToObject(
		    it, "attempts_text",
		    arena_printf(a,
		                 _n("%s attempt", "%s attempts",
		                    (unsigned long)(f->attempts < 0 ? 0 : f->attempts)),
		                 count_text(r, f->attempts)));
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
		respond_error(
		    r, 400,
		    arena_printf(r->a, _("%s Check the \"%s\" day."), resp_tr(r, why), field));
		return;
	}
	if ((rc = stats_load(&r->app->db, r->a, &rg, &s)) != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = view_stats(&rg, &s);
	cJSON_AddBoolToObject(ctx, "nav_stats", 1);
	add_ranges(r, ctx, &rg);
	add_texts(r, ctx, &rg, &s);
	add_tables(r, ctx, &s);
	cJSON_AddItemToObject(ctx, "signups_chart",
	                      chart_view(r, &signups_texts, s.signups, rg.days));
	cJSON_AddItemToObject(ctx, "uploads_chart",
	                      chart_view(r, &uploads_texts, s.uploads, rg.days));
	if (done && strcmp(done, "retried") == 0)
		cJSON_AddStringToObject(
		    ctx, "done", _("Queued again: the tagger picks the photo up in a moment."));
	respond_page(r, 200, "admin-stats", _("Statistics"), ctx);
}

void page_admin_job_retry(struct req *r)
{
	const char *at, *from = kv_get(&r->params, "from"), *to = kv_get(&r->params, "to"), *q = "";
	int rc = stats_job_retry(&r->app->db, r->a, &r->sess->user, r->args[0], &at);

	if (rc == ERR_CONFLICT) {
		respond_error(
		    r, 409,
		    N_("This photo's tagging job has not failed (someone may have retried it "
		       "already)."));
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
