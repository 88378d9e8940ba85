/* page-history.c: /history — the user's photos, newest first, with
 * filters and keyset pagination. */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "view.h"

/* The filters again, for the form and the next-page link. */
static void add_filters(struct req *r, cJSON *ctx, const struct image_filter *f, const char *next)
{
	static const char *const names[] = {"from", "to", "tag", "q"};
	const char *const vals[] = {f->from, f->to, f->tag, f->q};
	int any;
	const char *qs = view_filters_qs(r, ctx, names, vals, 4, &any);

	cJSON_AddBoolToObject(ctx, "filtered", any);
	if (next)
		cJSON_AddStringToObject(ctx, "next_url",
		                        arena_printf(r->a, "/history?%scursor=%s", qs, next));
}

void page_history(struct req *r)
{
	struct image_filter f;
	struct image *items;
	const char *next;
	cJSON *ctx, *arr;
	int n, i, rc;

	view_filter(r, &f);
	rc = images_list(&r->app->db, r->a, r->sess->user.id, &f, &items, &n, &next);
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
	arr = cJSON_AddArrayToObject(ctx, "images");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_image_page(r, &items[i]));
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", f.cursor == NULL || *f.cursor == '\0');
	add_filters(r, ctx, &f, next);
	respond_page(r, 200, "history", _("Your photos"), ctx);
}
