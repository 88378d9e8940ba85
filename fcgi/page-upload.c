/* page-upload.c: /upload — the form, and its no-JavaScript submission
 * (static/upload.js sends each file to /api/v1/images instead). */
#include "handlers.h"
#include "respond.h"
#include "upload.h"
#include "view.h"

#include <stdio.h>

static cJSON *form_ctx(struct req *r)
{
	cJSON *ctx = cJSON_CreateObject();

	cJSON_AddNumberToObject(ctx, "max_mb", (double)(r->app->cfg.upload_max / 1000000));
	cJSON_AddNumberToObject(ctx, "max_files", r->app->cfg.upload_files_max);
	return ctx;
}

void page_upload_form(struct req *r)
{
	respond_page(r, 200, "upload", _("Upload photos"), form_ctx(r));
}

void page_upload(struct req *r)
{
	struct upload_result res;
	cJSON *ctx, *ok, *bad;
	int i, status = 200;

	upload_run(r, &res);
	if (res.status != 0) {
		respond_error(r, res.status, res.why);
		return;
	}
	ctx = form_ctx(r);
	cJSON_AddBoolToObject(ctx, "done", 1);
	ok = cJSON_AddArrayToObject(ctx, "uploaded");
	bad = cJSON_AddArrayToObject(ctx, "rejected");
	for (i = 0; i < res.n; i++) {
		const struct upload_outcome *o = &res.files[i];
		int stored = o->status == 200 || o->status == 201;
		cJSON_AddItemToArray(stored ? ok : bad, view_outcome(r, o, 1));
		if (o->retry_after > 0)
			resp_header(r, "Retry-After", arena_printf(r->a, "%ld", o->retry_after));
	}
	cJSON_AddBoolToObject(ctx, "any_uploaded", res.stored > 0);
	cJSON_AddBoolToObject(ctx, "any_rejected", res.stored < res.n);
	if (res.stored == 0)
		status = res.files[0].status;
	respond_page(r, status, "upload", _("Upload photos"), ctx);
}
