/* api-stats.c: GET /api/v1/admin/stats (the numbers of /admin as JSON, the
 * shape page-stats.c builds on) and POST /api/v1/admin/jobs/ID/retry.
 * Admins only (the route's R_ADMIN; a personal token needs "admin"). */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "stats.h"

#include <math.h>
#include <time.h>

static cJSON *series(const struct stats_day *d, int n)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "day", d[i].day);
		cJSON_AddNumberToObject(o, "count", (double)d[i].count);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* seconds to the millisecond, or null without jobs */
static void add_seconds(cJSON *o, const char *name, long long jobs, double s)
{
	if (jobs > 0 && s >= 0)
		cJSON_AddNumberToObject(o, name, round(s * 1000) / 1000);
	else
		cJSON_AddNullToObject(o, name);
}

static cJSON *latency(const struct stats_latency *l)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "jobs", (double)l->jobs);
	add_seconds(o, "p50_seconds", l->jobs, l->p50);
	add_seconds(o, "p95_seconds", l->jobs, l->p95);
	return o;
}

static cJSON *tagging(const struct stats *s)
{
	cJSON *t = cJSON_CreateObject(), *jobs = cJSON_AddObjectToObject(t, "jobs"), *lat, *arr;

	for (int i = 0; i < STATS_JOB__MAX; i++)
		cJSON_AddNumberToObject(jobs, stats_job_states[i], (double)s->jobs[i]);
	cJSON_AddNumberToObject(t, "queue_depth",
	                        (double)(s->jobs[STATS_QUEUED] + s->jobs[STATS_RUNNING]));
	add_seconds(t, "oldest_queued_seconds", s->oldest_queued >= 0, s->oldest_queued);
	lat = cJSON_AddObjectToObject(t, "latency");
	cJSON_AddItemToObject(lat, "today", latency(&s->today));
	cJSON_AddItemToObject(lat, "range", latency(&s->range));
	arr = cJSON_AddArrayToObject(t, "failed_jobs");
	for (int i = 0; i < s->nfailed; i++) {
		const struct stats_failed *f = &s->failed[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "image_id", f->image_id);
		cJSON_AddStringToObject(o, "name", f->name);
		cJSON_AddStringToObject(o, "owner_email", f->owner_email);
		cJSON_AddStringToObject(o, "error", f->error);
		if (f->failed_at)
			cJSON_AddStringToObject(o, "failed_at", f->failed_at);
		else
			cJSON_AddNullToObject(o, "failed_at");
		cJSON_AddNumberToObject(o, "attempts", (double)f->attempts);
		cJSON_AddItemToArray(arr, o);
	}
	return t;
}

cJSON *view_stats(const struct stats_range *r, const struct stats *s)
{
	cJSON *doc = cJSON_CreateObject(), *o, *arr;
	int i;

	cJSON_AddStringToObject(doc, "from", r->from);
	cJSON_AddStringToObject(doc, "to", r->to);
	cJSON_AddNumberToObject(doc, "days", r->days);
	cJSON_AddStringToObject(doc, "today", r->today);
	o = cJSON_AddObjectToObject(doc, "totals");
	cJSON_AddNumberToObject(o, "users", (double)s->users);
	cJSON_AddNumberToObject(o, "photos", (double)s->photos);
	cJSON_AddNumberToObject(o, "storage_bytes", (double)s->bytes);
	cJSON_AddNumberToObject(o, "hashtags", (double)s->hashtags);
	cJSON_AddNumberToObject(o, "hashtag_rows", (double)s->hashtag_rows);
	cJSON_AddItemToObject(doc, "signups", series(s->signups, r->days));
	cJSON_AddItemToObject(doc, "uploads", series(s->uploads, r->days));
	arr = cJSON_AddArrayToObject(doc, "top_hashtags");
	for (i = 0; i < s->ntop; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "tag", s->top[i].tag);
		cJSON_AddNumberToObject(o, "chosen", (double)s->top[i].chosen);
		cJSON_AddNumberToObject(o, "suggested", (double)s->top[i].suggested);
		cJSON_AddItemToArray(arr, o);
	}
	arr = cJSON_AddArrayToObject(doc, "suggestions");
	for (i = 0; i < s->nsources; i++) {
		const struct stats_source *src = &s->sources[i];
		long long all = src->accepted + src->rejected + src->left;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "source", src->source);
		cJSON_AddNumberToObject(o, "suggested", (double)all);
		cJSON_AddNumberToObject(o, "accepted", (double)src->accepted);
		cJSON_AddNumberToObject(o, "rejected", (double)src->rejected);
		cJSON_AddNumberToObject(o, "left", (double)src->left);
		cJSON_AddNumberToObject(o, "acceptance_rate",
		                        round((double)src->accepted / (double)all * 10000) / 10000);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddItemToObject(doc, "tagging", tagging(s));
	return doc;
}

void api_admin_stats(struct req *r)
{
	struct stats_range rg;
	struct stats s;
	const char *field, *why;
	int rc;

	if (stats_range(kv_get(&r->params, "from"), kv_get(&r->params, "to"), time(NULL), &rg,
	                &field, &why) != 0) {
		respond_field(r, 422, field, why);
		return;
	}
	if ((rc = stats_load(&r->app->db, r->a, &rg, &s)) != 0) {
		respond_err(r, rc);
		return;
	}
	respond_json(r, 200, view_stats(&rg, &s));
}

void api_admin_job_retry(struct req *r)
{
	const char *at;
	cJSON *doc;
	int rc = stats_job_retry(&r->app->db, r->a, &r->sess->user, r->args[0], &at);

	if (rc == ERR_CONFLICT) {
		respond_error(
		    r, 409,
		    N_("This photo's tagging job has not failed: there is nothing to retry."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "image_id", r->args[0]);
	cJSON_AddStringToObject(doc, "state", "queued");
	cJSON_AddStringToObject(doc, "queued_at", at);
	respond_json(r, 200, doc);
}
