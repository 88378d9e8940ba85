/* api-collections.c: /api/v1/collections — the JSON twins of the
 * collection pages: list and search, create, get with photos, rename,
 * delete, add and remove photos, create and revoke the share link. */
#include "collections.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "view.h"

#include <stdlib.h>

/* A refused name as problem+json with errors.name. */
static void name_problem(struct req *r, int rc, const char *why)
{
	if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
		respond_err(r, rc);
		return;
	}
	respond_field(r, rc == ERR_CONFLICT ? 409 : 422, "name",
	              why ? why : N_("This name cannot be used."));
}

void api_collections_list(struct req *r)
{
	struct collection_filter f = {kv_get(&r->params, "q"), kv_get(&r->params, "tag"), NULL};
	struct collection *items;
	cJSON *doc, *arr;
	int n, i, rc = collections_list(&r->app->db, r->a, r->sess->user.id, &f, &items, &n);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "collections");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_collection(r, &items[i]));
	respond_json(r, 200, doc);
}

void api_collection_create(struct req *r)
{
	const char *why = NULL;
	struct collection c;
	int rc = collections_create(&r->app->db, r->a, r->sess->user.id, kv_get(&r->params, "name"),
	                            &c, &why);

	if (rc != 0) {
		name_problem(r, rc, why);
		return;
	}
	resp_header(r, "Location", arena_printf(r->a, "/api/v1/collections/%s", c.id));
	respond_json(r, 201, view_collection(r, &c));
}

void api_collection_get(struct req *r)
{
	const char *limit = kv_get(&r->params, "limit"), *next;
	struct collection c;
	struct image *items;
	cJSON *doc, *arr;
	int n, i, rc;

	rc = collections_get(&r->app->db, r->a, r->sess->user.id, r->args[0], &c);
	if (rc == 0)
		rc = collections_photos(&r->app->db, r->a, &c, kv_get(&r->params, "cursor"),
		                        limit && *limit ? atoi(limit) : 24, &items, &n, &next);
	if (respond_list_err(r, rc, "cursor", NULL))
		return;
	doc = view_collection(r, &c);
	arr = cJSON_AddArrayToObject(doc, "images");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_image(r, &items[i]));
	view_next_cursor(doc, next);
	respond_json(r, 200, doc);
}

void api_collection_rename(struct req *r)
{
	const char *why = NULL;
	struct collection c;
	int rc = collections_rename(&r->app->db, r->a, r->sess->user.id, r->args[0],
	                            kv_get(&r->params, "name"), &c, &why);

	if (rc == ERR_NOTFOUND) {
		respond_err(r, rc);
		return;
	}
	if (rc != 0) {
		name_problem(r, rc, why);
		return;
	}
	respond_json(r, 200, view_collection(r, &c));
}

static void no_content(struct req *r, int rc)
{
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	buf_clear(&r->body);
	r->status = 204;
}

void api_collection_delete(struct req *r)
{
	no_content(r, collections_delete(&r->app->db, r->a, r->sess->user.id, r->args[0]));
}

void api_collection_add(struct req *r)
{
	struct collection c;
	int added, rc = collections_add(&r->app->db, r->a, r->sess->user.id, r->args[0],
	                                kv_get(&r->params, "image_id"), &added);

	if (rc == 0)
		rc = collections_get(&r->app->db, r->a, r->sess->user.id, r->args[0], &c);
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	/* 201 when the photo went in, 200 when it was there already */
	respond_json(r, added ? 201 : 200, view_collection(r, &c));
}

void api_collection_remove(struct req *r)
{
	no_content(r,
	           collections_remove(&r->app->db, r->a, r->sess->user.id, r->args[0], r->args[1]));
}

void api_collection_share(struct req *r)
{
	char token[TOKEN_STR_LEN + 1];
	cJSON *doc;
	int rc = collections_share(&r->app->db, r->a, r->sess->user.id, r->args[0], token);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "url", arena_printf(r->a, "/s/%s", token));
	cJSON_AddStringToObject(doc, "token", token);
	respond_json(r, 201, doc);
}

void api_collection_unshare(struct req *r)
{
	no_content(r, collections_unshare(&r->app->db, r->a, r->sess->user.id, r->args[0]));
}
