/* page-moderation.c: /admin/moderation — the flagged photos, newest first,
 * each with its NSFW score and approve / remove forms (no JavaScript), and
 * the JSON shape of a queue item shared with api-admin.c. Admins only (the
 * route's R_ADMIN). */
#include "err.h"
#include "handlers.h"
#include "moderation.h"
#include "respond.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

cJSON *view_mod_item(const struct req *r, const struct mod_item *it)
{
	cJSON *o = cJSON_CreateObject();
	double s = it->im.nsfw < 0 ? 0 : it->im.nsfw > 1 ? 1 : it->im.nsfw; /* -1: not scored */

	cJSON_AddItemToObject(o, "image", view_image(r, &it->im));
	cJSON_AddStringToObject(o, "owner_email", it->owner_email);
	cJSON_AddNumberToObject(o, "nsfw", s);
	cJSON_AddNumberToObject(o, "nsfw_percent", (int)(s * 100 + 0.5));
	cJSON_AddBoolToObject(o, "approved_before", it->approved_before);
	return o;
}

cJSON *view_mod_outcome(const char *image_id, const struct mod_outcome *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "image_id", image_id);
	cJSON_AddStringToObject(o, "moderation", m->state);
	cJSON_AddStringToObject(o, "reason", m->reason);
	cJSON_AddStringToObject(o, "moderated_at", m->at);
	return o;
}

void page_admin_moderation(struct req *r)
{
	const char *cursor = kv_get(&r->params, "cursor"), *done = kv_get(&r->params, "done");
	const char *next;
	struct mod_item *items;
	cJSON *ctx, *arr;
	int n, i, rc;

	rc = moderation_list(&r->app->db, r->a, cursor, 24, &items, &n, &next);
	if (rc == ERR_INVALID) {
		respond_error(r, 400,
		              N_("That page link is broken; start again from the first page."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = cJSON_CreateObject();
	cJSON_AddBoolToObject(ctx, "nav_moderation", 1);
	arr = cJSON_AddArrayToObject(ctx, "items");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_mod_item(r, &items[i]));
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", cursor == NULL || *cursor == '\0');
	if (next)
		cJSON_AddStringToObject(ctx, "next_url",
		                        arena_printf(r->a, "/admin/moderation?cursor=%s", next));
	if (done && strcmp(done, "approved") == 0)
		cJSON_AddStringToObject(ctx, "done",
		                        _("Approved: the photo shows in share links again."));
	else if (done && strcmp(done, "removed") == 0)
		cJSON_AddStringToObject(
		    ctx, "done", _("Removed: the photo is hidden and its owner sees your reason."));
	respond_page(r, 200, "admin-moderation", _("Moderation"), ctx);
}

/* After a decision: back to the queue, or the error. */
static void decided(struct req *r, int rc, const char *why, const char *done)
{
	if (rc == ERR_INVALID) {
		respond_error(r, 400, why);
	} else if (rc == ERR_CONFLICT) {
		respond_error(r, 409, N_("Another moderator has already decided on this photo."));
	} else if (rc != 0) {
		respond_err(r, rc);
	} else {
		respond_redirect(r, arena_printf(r->a, "/admin/moderation?done=%s", done));
	}
}

void page_admin_moderation_approve(struct req *r)
{
	struct mod_outcome m;
	int rc = moderation_approve(&r->app->db, r->a, &r->sess->user, r->args[0], &m);

	decided(r, rc, NULL, "approved");
}

void page_admin_moderation_remove(struct req *r)
{
	struct mod_outcome m;
	const char *why = NULL;
	int rc = moderation_remove(&r->app->db, r->a, &r->sess->user, r->args[0],
	                           kv_get(&r->params, "reason"), &m, &why);

	decided(r, rc, why, "removed");
}
