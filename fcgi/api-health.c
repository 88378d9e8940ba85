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
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "name", "hashtagger");
	cJSON_AddStringToObject(doc, "version", HT_VERSION);
	cJSON_AddStringToObject(doc, "build", HT_GITREV);
	cJSON_AddStringToObject(doc, "api", "v1");
	/* the tagger (issue 4) runs as a separate process; none is built yet */
	cJSON_AddBoolToObject(doc, "model_loaded", 0);
	respond_json(r, 200, doc);
}
