/* page-audit.c: /admin/audit — the audit log of admin actions, newest
 * first, filtered by action, actor, target and dates, and the JSON shape of
 * an entry shared with api-admin.c. Admins only (the route's R_ADMIN). */
#include "audit.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

cJSON *view_audit_entry(const struct audit_entry *e)
{
	cJSON *o = cJSON_CreateObject(), *detail = cJSON_Parse(e->detail);

	cJSON_AddStringToObject(o, "at", e->at);
	cJSON_AddStringToObject(o, "actor_email", e->actor_email);
	cJSON_AddStringToObject(o, "action", e->action);
	cJSON_AddStringToObject(o, "target_type", e->target_type);
	cJSON_AddStringToObject(o, "target_id", e->target_id);
	cJSON_AddItemToObject(o, "detail", detail ? detail : cJSON_CreateObject());
	return o;
}

/* What an entry acted on, in r's language ("image", "user"; another code
 * as it is). */
static const char *target_text(const struct req *r, const char *type)
{
	static const char *const known[][2] = {{"image", NC_("audit target", "photo")},
	                                       {"user", NC_("audit target", "user")}};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(type, known[i][0]) == 0)
			return i18n_pgettext(r->lang, "audit target", known[i][1]);
	return type;
}

void audit_filter_from(const struct req *r, struct audit_filter *f)
{
	const char *limit = kv_get(&r->params, "limit");

	memset(f, 0, sizeof(*f));
	f->action = kv_get(&r->params, "action");
	f->actor = kv_get(&r->params, "actor");
	f->target = kv_get(&r->params, "target");
	f->from = kv_get(&r->params, "from");
	f->to = kv_get(&r->params, "to");
	f->cursor = kv_get(&r->params, "cursor");
	f->limit = limit && *limit ? atoi(limit) : 50;
}

/* The filters again, for the form and the next-page link. */
static void add_filters(struct req *r, cJSON *ctx, const struct audit_filter *f, const char *next)
{
	static const char *const names[] = {"action", "actor", "target", "from", "to"};
	const char *const vals[] = {f->action, f->actor, f->target, f->from, f->to};
	int any;
	const char *qs = view_filters_qs(r, ctx, names, vals, 5, &any);

	cJSON_AddBoolToObject(ctx, "filtered", any);
	if (next)
		cJSON_AddStringToObject(ctx, "next_url",
		                        arena_printf(r->a, "/admin/audit?%scursor=%s", qs, next));
}

void page_admin_audit(struct req *r)
{
	struct audit_filter f;
	struct audit_entry *items;
	const char *next, *bad;
	cJSON *ctx, *arr;
	int n, i, rc;

	audit_filter_from(r, &f);
	rc = audit_list(&r->app->db, r->a, &f, &items, &n, &next, &bad);
	if (rc == ERR_INVALID) {
		respond_error(r, 400,
		              strcmp(bad, "cursor") == 0
		                  ? N_("That page link is broken; start again from the first page.")
		                  : N_("There is no such day: check the dates."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = cJSON_CreateObject();
	cJSON_AddBoolToObject(ctx, "nav_audit", 1);
	arr = cJSON_AddArrayToObject(ctx, "entries");
	for (i = 0; i < n; i++) {
		cJSON *e = view_audit_entry(&items[i]);
		char *d = cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "detail"));
		cJSON_AddStringToObject(e, "detail_text", d ? d : "{}");
		cJSON_free(d);
		cJSON_AddStringToObject(e, "at_text", i18n_datetime(r->lang, r->a, items[i].at));
		cJSON_AddStringToObject(e, "target_text", target_text(r, items[i].target_type));
		cJSON_AddBoolToObject(e, "actor_gone", items[i].actor_gone);
		cJSON_AddItemToArray(arr, e);
	}
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", f.cursor == NULL || *f.cursor == '\0');
	add_filters(r, ctx, &f, next);
	respond_page(r, 200, "admin-audit", _("Audit log"), ctx);
}
