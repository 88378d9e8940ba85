/* api-metrics.c: /metrics, the Prometheus text exposition of what every
 * process of this host counted (core/metrics.h) plus the tag queue read
 * at scrape time. Who may see it is the dispatcher's R_LOCAL rule. */
#include "handlers.h"
#include "metrics.h"
#include "respond.h"
#include "tagd.h"

void api_metrics(struct req *r)
{
	struct metrics_totals *t = arena_alloc(r->a, sizeof(*t));
	struct metrics_queue q;

	if (metrics_sum(t) != 0) {
		respond_error(r, 503, N_("Metrics are off in this worker; its log says why."));
		return;
	}
	/* no queue figures when the database does not answer (counted there) */
	metrics_text(&r->body, t, tagd_queue(&r->app->db, r->a, &q) == 0 ? &q : NULL);
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
}
