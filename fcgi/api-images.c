/* api-images.c: /api/v1/images — upload, list, get, delete. */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "upload.h"
#include "view.h"

#include <stdio.h>

static void retry_after(struct req *r, long seconds)
{
	if (seconds > 0)
		resp_header(r, "Retry-After", arena_printf(r->a, "%ld", seconds));
}

void api_images_upload(struct req *r)
{
	struct upload_result res;
	cJSON *doc, *ok, *bad, *fields;
	int i, status = 0;

	upload_run(r, &res);
	if (res.status != 0) {
		respond_error(r, res.status, res.why);
		return;
	}
	doc = cJSON_CreateObject();
	ok = cJSON_AddArrayToObject(doc, "images");
	bad = cJSON_AddArrayToObject(doc, "rejected");
	for (i = 0; i < res.n; i++) {
		const struct upload_outcome *o = &res.files[i];
		int stored = o->status == 200 || o->status == 201;
		cJSON_AddItemToArray(stored ? ok : bad, view_outcome(r, o, 0));
		if (stored && status != 201)
			status = o->status;
		retry_after(r, o->retry_after);
	}
	if (res.stored > 0) {
		respond_json(r, status, doc);
		return;
	}
	/* nothing stored: a problem document, the first file's reason, every file in "rejected" */
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, "file", res.files[0].why);
	respond_problem(r, res.files[0].status, res.files[0].why, fields, "rejected",
	                cJSON_DetachItemFromObject(doc, "rejected"));
	cJSON_Delete(doc);
}

void api_images_list(struct req *r)
{
	struct image_filter f;
	struct image *items;
	const char *next;
	cJSON *doc, *arr;
	int n, i, rc;

	view_filter(r, &f);
	rc = images_list(&r->app->db, r->a, r->sess->user.id, &f, &items, &n, &next);
	if (respond_list_err(r, rc, "cursor", NULL))
		return;
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "images");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_image(r, &items[i]));
	view_next_cursor(doc, next);
	respond_json(r, 200, doc);
}

void api_image_get(struct req *r)
{
	struct image im;
	int rc = images_get(&r->app->db, r->a, &r->sess->user, r->args[0], &im);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_json(r, 200, view_image(r, &im));
}

void api_image_delete(struct req *r)
{
	int rc = images_delete(&r->app->db, r->a, r->app->cfg.media, &r->sess->user, r->args[0]);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	buf_clear(&r->body);
	r->status = 204;
}
