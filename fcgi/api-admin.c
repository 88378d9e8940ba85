/* api-admin.c: the JSON twins of the admin pages — the moderation queue and
 * its decisions (page-moderation.c), the audit log (page-audit.c). Admins
 * only (the route's R_ADMIN; a personal token needs the "admin" scope). */
#include "audit.h"
#include "err.h"
#include "handlers.h"
#include "moderation.h"
#include "respond.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

void api_admin_moderation(struct req *r)
{
	const char *limit = kv_get(&r->params, "limit"), *next;
	struct mod_item *items;
	cJSON *doc, *arr;
	int n, i, rc;

	rc = moderation_list(&r->app->db, r->a, kv_get(&r->params, "cursor"),
	                     limit && *limit ? atoi(limit) : 24, &items, &n, &next);
	if (respond_list_err(r, rc, "cursor", NULL))
		return;
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "items");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_mod_item(r, &items[i]));
	view_next_cursor(doc, next);
	respond_json(r, 200, doc);
}

/* The answer to a decision. */
static void decided(struct req *r, int rc, const char *why, const struct mod_outcome *m)
{
	if (rc == ERR_INVALID)
		respond_field(r, 422, "reason", why);
	else if (rc == ERR_CONFLICT)
		respond_error(
		    r, 409,
		    N_("This photo is not waiting for a decision (not flagged, or already "
		       "removed)."));
	else if (rc != 0)
		respond_err(r, rc);
	else
		respond_json(r, 200, view_mod_outcome(r->args[0], m));
}

void api_admin_moderation_approve(struct req *r)
{
	struct mod_outcome m;
	int rc = moderation_approve(&r->app->db, r->a, &r->sess->user, r->args[0], &m);

	decided(r, rc, NULL, &m);
}

void api_admin_moderation_remove(struct req *r)
{
	struct mod_outcome m;
	const char *why = NULL;
	int rc = moderation_remove(&r->app->db, r->a, &r->sess->user, r->args[0],
	                           kv_get(&r->params, "reason"), &m, &why);

	decided(r, rc, why, &m);
}

void api_admin_audit(struct req *r)
{
	struct audit_filter f;
	struct audit_entry *items;
	const char *next, *bad = NULL;
	cJSON *doc, *arr;
	int n, i, rc;

	audit_filter_from(r, &f);
	rc = audit_list(&r->app->db, r->a, &f, &items, &n, &next, &bad);
	if (respond_list_err(r, rc, bad,
	                     rc == ERR_INVALID && strcmp(bad, "cursor") != 0
	                         ? N_("There is no such day.")
	                         : NULL))
		return;
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "entries");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_audit_entry(&items[i]));
	view_next_cursor(doc, next);
	respond_json(r, 200, doc);
}
