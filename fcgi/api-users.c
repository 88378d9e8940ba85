/* api-users.c: the JSON twins of the admin Users pages (page-users.c,
 * page-user.c): the list with the same filters, sorts and cursors, one
 * user in detail and their photos, and the actions. Admins only (the
 * route's R_ADMIN; a personal token needs the "admin" scope). The CSV is
 * page-users.c's. */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "useradmin.h"
#include "view.h"

#include <stdlib.h>

void api_admin_users(struct req *r)
{
	struct userlist_filter f;
	struct admin_user *items;
	const char *next, *bad = NULL, *why = NULL;
	cJSON *doc, *arr;
	int n, i, rc;

	admin_users_filter(r, &f);
	rc = userlist_page(&r->app->db, r->a, &f, &items, &n, &next, &bad, &why);
	if (respond_list_err(r, rc, bad, why))
		return;
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "users");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_admin_user(&items[i]));
	view_next_cursor(doc, next);
	respond_json(r, 200, doc);
}

void api_admin_user(struct req *r)
{
	struct user_detail d;
	int rc = useradmin_get(&r->app->db, r->a, r->args[0], &d);

	if (rc != 0)
		respond_err(r, rc);
	else
		respond_json(r, 200, view_user_detail(&r->app->cfg, &d));
}

void api_admin_user_images(struct req *r)
{
	const char *limit = kv_get(&r->params, "limit"), *next;
	struct image_filter f = {.cursor = kv_get(&r->params, "cursor"),
	                         .limit = limit && *limit ? atoi(limit) : 24};
	struct admin_user u;
	struct image *items;
	long long id;
	cJSON *doc, *arr;
	int n, i, rc;

	if ((rc = userlist_one(&r->app->db, r->a, r->args[0], 0, &u, &id)) == 0)
		rc = images_list(&r->app->db, r->a, id, &f, &items, &n, &next);
	if (respond_list_err(r, rc, "cursor", NULL))
		return;
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "images");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_image(r, &items[i]));
	view_next_cursor(doc, next);
	respond_json(r, 200, doc);
}

/* The answer to an action: the user as it is now, or the refusal. */
static void acted(struct req *r, int rc, const char *why, const struct admin_user *u)
{
	if (rc == ERR_CONFLICT)
		respond_error(r, 409, why);
	else if (rc != 0)
		respond_err(r, rc);
	else
		respond_json(r, 200, view_admin_user(u));
}

void api_admin_user_disable(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_disable(&r->app->db, r->a, &r->sess->user, r->args[0], &u, &why);
	acted(r, rc, why, &u);
}

void api_admin_user_enable(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_enable(&r->app->db, r->a, &r->sess->user, r->args[0], &u, &why);
	acted(r, rc, why, &u);
}

void api_admin_user_promote(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_set_role(&r->app->db, r->a, &r->sess->user, r->args[0], "admin", &u, &why);
	acted(r, rc, why, &u);
}

void api_admin_user_demote(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_set_role(&r->app->db, r->a, &r->sess->user, r->args[0], "user", &u, &why);
	acted(r, rc, why, &u);
}

void api_admin_user_reset(struct req *r)
{
	char token[TOKEN_STR_LEN + 1];
	const char *expires, *why = NULL;
	cJSON *doc;
	int rc = useradmin_reset_link(&r->app->db, r->a, &r->sess->user, r->args[0], token,
	                              &expires, &why);

	if (rc != 0) {
		acted(r, rc, why, NULL);
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "url", admin_reset_url(r, token));
	cJSON_AddStringToObject(doc, "token", token);
	cJSON_AddStringToObject(doc, "expires_at", expires);
	respond_json(r, 201, doc);
}

void api_admin_user_delete(struct req *r)
{
	const char *why = NULL;
	int rc;
	rc = useradmin_delete(&r->app->db, r->a, &r->sess->user, r->app->cfg.media, r->args[0],
	                      kv_get(&r->params, "confirm_email"), &why);

	if (rc == ERR_INVALID)
		respond_field(r, 422, "confirm_email", why);
	else if (rc != 0)
		acted(r, rc, why, NULL);
	else
		r->status = 204;
}
