/* api-health.c: liveness, readiness and build information. */
#include "handlers.h"
#include "respond.h"

void api_healthz(struct req *r)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "status", "ok");
	respond_json(r, 200, doc);
}

void api_readyz(struct req *r)
{
	cJSON *doc = cJSON_CreateObject();
	static const char sql_ping[] = "SELECT 1";
	int up = db_query(&r->app->db, r->a, NULL, sql_ping, 0, NULL) == 0;

	cJSON_AddStringToObject(doc, "status", up ? "ok" : "unavailable");
	cJSON_AddStringToObject(doc, "database", up ? "ok" : "unreachable");
	if (!up)
		resp_header(r, "Retry-After", "5");
	respond_json(r, up ? 200 : 503, doc);
}

void api_info(struct req *r)
{
	static const char sql_queue[] = "SELECT count(*) FILTER (WHERE state = 'queued'), count(*) "
	                                "FILTER (WHERE state = 'running'),"
	                                " count(*) FILTER (WHERE state = 'failed') FROM tag_jobs";
	cJSON *doc = cJSON_CreateObject();
	struct db_res res;

	cJSON_AddStringToObject(doc, "name", "hashtagger");
	cJSON_AddStringToObject(doc, "version", HT_VERSION);
	cJSON_AddStringToObject(doc, "build", HT_GITREV);
	cJSON_AddStringToObject(doc, "api", "v1");
	/* the tagger runs in tagd processes: report the queue they serve */
	if (db_query(&r->app->db, r->a, &res, sql_queue, 0, NULL) == 0) {
		cJSON *q = cJSON_AddObjectToObject(doc, "tag_queue");
		cJSON_AddNumberToObject(q, "queued", (double)db_ll(&res, 0, 0, 0));
		cJSON_AddNumberToObject(q, "running", (double)db_ll(&res, 0, 1, 0));
		cJSON_AddNumberToObject(q, "failed", (double)db_ll(&res, 0, 2, 0));
	}
	respond_json(r, 200, doc);
}
