/* page-user.c: /admin/users/ID — one account: details, quota use, the
 * hashtags on most of their photos, their recent photos (paged), and the
 * actions, each a CSRF-protected form: disable (with a confirmation box) or
 * enable, promote or demote, a one-time password reset link (shown here
 * once), delete (the email typed to confirm). The JSON shape of the detail
 * is shared with api-users.c. Admins only (the route's R_ADMIN). */
#include "err.h"
#include "handlers.h"
#include "hashtags.h"
#include "respond.h"
#include "useradmin.h"
#include "view.h"

#include <string.h>

#define USER_PHOTOS 24

/* notices after an action's redirect (?done=) */
static const struct {
	const char *code, *text;
} dones[] = {
    {"disabled", N_("Disabled: the account is logged out everywhere and its API tokens are "
                    "revoked.")},
    {"enabled", N_("Enabled: the account can log in again with its password.")},
    {"promoted", N_("Promoted: this user is now an admin.")},
    {"demoted", N_("Demoted: this user is no longer an admin.")},
};

cJSON *view_user_detail(const struct config *cfg, const struct user_detail *d)
{
	cJSON *o = cJSON_CreateObject(), *q, *top;
	int exempt = strcmp(d->u.role, "admin") == 0;

	cJSON_AddItemToObject(o, "user", view_admin_user(&d->u));
	cJSON_AddNumberToObject(o, "sessions", (double)d->sessions);
	cJSON_AddNumberToObject(o, "api_tokens", (double)d->api_tokens);
	cJSON_AddNumberToObject(o, "refresh_tokens", (double)d->refresh_tokens);
	q = cJSON_AddObjectToObject(o, "quota");
	cJSON_AddBoolToObject(q, "exempt", exempt);
	cJSON_AddNumberToObject(q, "storage_bytes", (double)d->u.storage_bytes);
	if (exempt || cfg->quota_bytes <= 0)
		cJSON_AddNullToObject(q, "storage_limit");
	else
		cJSON_AddNumberToObject(q, "storage_limit", (double)cfg->quota_bytes);
	cJSON_AddNumberToObject(q, "uploads_today", (double)d->uploads_today);
	if (exempt || cfg->quota_uploads_day <= 0)
		cJSON_AddNullToObject(q, "uploads_day_limit");
	else
		cJSON_AddNumberToObject(q, "uploads_day_limit", cfg->quota_uploads_day);
	top = cJSON_AddArrayToObject(o, "top_hashtags");
	for (int i = 0; i < d->ntop; i++) {
		cJSON *t = cJSON_CreateObject();
		char h[TAG_MAX + 2];
		cJSON_AddStringToObject(t, "tag", d->top[i].tag);
		cJSON_AddStringToObject(t, "hashtag", tag_format(d->top[i].tag, 1, h, sizeof(h)));
		cJSON_AddNumberToObject(t, "count", (double)d->top[i].count);
		cJSON_AddItemToArray(top, t);
	}
	return o;
}

const char *admin_reset_url(struct req *r, const char *token)
{
	const char *base = r->app->cfg.base_url;

	if (*base)
		return arena_printf(r->a, "%s/reset/%s", base, token);
	if (r->host == NULL || *r->host == '\0')
		return arena_printf(r->a, "/reset/%s", token);
	return arena_printf(r->a, "%s://%s/reset/%s", r->app->cfg.cookie_secure ? "https" : "http",
	                    r->host, token);
}

/* The page's own fields: texts, the quota as a share, the photos. */
static int page_extras(struct req *r, const struct user_detail *d, cJSON *ctx)
{
	const struct config *cfg = &r->app->cfg;
	cJSON *q = cJSON_GetObjectItem(ctx, "quota"), *arr, *acct, *t;
	struct image_filter f = {.cursor = kv_get(&r->params, "cursor"), .limit = USER_PHOTOS};
	struct image *items;
	const char *next;
	int n, rc;

	/* "user" is the layout's (who is logged in): the page's is "account" */
	acct = cJSON_DetachItemFromObject(ctx, "user");
	view_admin_user_text(r, &d->u, acct);
	cJSON_AddItemToObject(ctx, "account", acct);
	cJSON_AddBoolToObject(ctx, "has_top", d->ntop > 0);
	cJSON_AddStringToObject(
	    ctx, "sessions_text",
	    arena_printf(r->a, _n("%s logged in", "%s logged in", (unsigned long)d->sessions),
	                 i18n_int(r->lang, r->a, d->sessions)));
	cJSON_AddStringToObject(
	    ctx, "tokens_text",
	    arena_printf(
	        r->a, "%s, %s",
	        arena_printf(r->a, _n("%s personal", "%s personal", (unsigned long)d->api_tokens),
	                     i18n_int(r->lang, r->a, d->api_tokens)),
	        arena_printf(r->a,
	                     _n("%s app login", "%s app logins", (unsigned long)d->refresh_tokens),
	                     i18n_int(r->lang, r->a, d->refresh_tokens))));
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(ctx, "top_hashtags"))
	{
		double c = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "count"));
		cJSON_AddStringToObject(t, "count_text",
		                        arena_printf(r->a,
		                                     _n("%s photo", "%s photos", (unsigned long)c),
		                                     i18n_int(r->lang, r->a, (long long)c)));
	}
	cJSON_AddStringToObject(q, "storage_text", i18n_bytes(r->lang, r->a, d->u.storage_bytes));
	if (cJSON_IsNumber(cJSON_GetObjectItem(q, "storage_limit")))
		cJSON_AddStringToObject(q, "limit_text",
		                        i18n_bytes(r->lang, r->a, cfg->quota_bytes));
	if ((rc = images_list(&r->app->db, r->a, d->id, &f, &items, &n, &next)) != 0)
		return rc;
	arr = cJSON_AddArrayToObject(ctx, "images");
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_image(r, &items[i]));
	cJSON_AddBoolToObject(ctx, "no_photos", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", f.cursor == NULL || *f.cursor == '\0');
	if (next)
		cJSON_AddStringToObject(
		    ctx, "next_url",
		    arena_printf(r->a, "/admin/users/%s?cursor=%s", d->u.id, next));
	return 0;
}

/* The page of user public_id with status; extra (may be NULL) is merged
 * in: a reset link just made, a form's error. */
static void user_page(struct req *r, const char *public_id, int status, cJSON *extra)
{
	const char *done = kv_get(&r->params, "done");
	struct user_detail d;
	cJSON *ctx, *it;
	int rc = useradmin_get(&r->app->db, r->a, public_id, &d);

	if (rc == 0) {
		ctx = view_user_detail(&r->app->cfg, &d);
		if ((rc = page_extras(r, &d, ctx)) != 0)
			cJSON_Delete(ctx);
	}
	if (rc != 0) {
		cJSON_Delete(extra);
		if (rc == ERR_INVALID)
			respond_error(
			    r, 400,
			    N_("That page link is broken; start again from the first page."));
		else
			respond_err(r, rc);
		return;
	}
	cJSON_AddBoolToObject(ctx, "nav_users", 1);
	cJSON_AddBoolToObject(ctx, "is_self", strcmp(d.u.id, r->sess->user.public_id) == 0);
	for (size_t i = 0; done && i < sizeof(dones) / sizeof(dones[0]); i++)
		if (strcmp(done, dones[i].code) == 0)
			cJSON_AddStringToObject(ctx, "done", _(dones[i].text));
	while (extra && (it = extra->child) != NULL)
		cJSON_AddItemToObject(ctx, it->string, cJSON_DetachItemViaPointer(extra, it));
	cJSON_Delete(extra);
	respond_page(r, status, "admin-user", d.u.email, ctx);
}

void page_admin_user(struct req *r)
{
	user_page(r, r->args[0], 200, NULL);
}

/* After an action: back to the user's page with a notice, or the error. */
static void acted(struct req *r, int rc, const char *why, const char *done)
{
	if (rc == ERR_CONFLICT)
		respond_error(r, 409, why);
	else if (rc != 0)
		respond_err(r, rc);
	else
		respond_redirect(r,
		                 arena_printf(r->a, "/admin/users/%s?done=%s", r->args[0], done));
}

void page_admin_user_disable(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	if (kv_get(&r->params, "confirm") == NULL) {
		respond_error(r, 400,
		              N_("Tick the box to confirm: the user is logged out everywhere and "
		                 "cannot log in until enabled again."));
		return;
	}
	rc = useradmin_disable(&r->app->db, r->a, &r->sess->user, r->args[0], &u, &why);
	acted(r, rc, why, "disabled");
}

void page_admin_user_enable(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_enable(&r->app->db, r->a, &r->sess->user, r->args[0], &u, &why);
	acted(r, rc, why, "enabled");
}

void page_admin_user_promote(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_set_role(&r->app->db, r->a, &r->sess->user, r->args[0], "admin", &u, &why);
	acted(r, rc, why, "promoted");
}

void page_admin_user_demote(struct req *r)
{
	struct admin_user u;
	const char *why = NULL;
	int rc;

	rc = useradmin_set_role(&r->app->db, r->a, &r->sess->user, r->args[0], "user", &u, &why);
	acted(r, rc, why, "demoted");
}

void page_admin_user_reset(struct req *r)
{
	char token[TOKEN_STR_LEN + 1];
	const char *expires, *why = NULL;
	cJSON *extra, *link;
	int rc = useradmin_reset_link(&r->app->db, r->a, &r->sess->user, r->args[0], token,
	                              &expires, &why);

	if (rc != 0) {
		acted(r, rc, why, NULL);
		return;
	}
	/* shown once, so answered here rather than after a redirect */
	extra = cJSON_CreateObject();
	link = cJSON_AddObjectToObject(extra, "reset_link");
	cJSON_AddStringToObject(link, "url", admin_reset_url(r, token));
	cJSON_AddStringToObject(link, "expires_at", expires);
	cJSON_AddStringToObject(link, "expires_text", i18n_datetime(r->lang, r->a, expires));
	user_page(r, r->args[0], 200, extra);
}

void page_admin_user_delete(struct req *r)
{
	const char *why = NULL;
	int rc;
	cJSON *extra;
	rc = useradmin_delete(&r->app->db, r->a, &r->sess->user, r->app->cfg.media, r->args[0],
	                      kv_get(&r->params, "confirm_email"), &why);

	if (rc == ERR_INVALID) { /* the form again, with why under the field */
		extra = cJSON_CreateObject();
		cJSON_AddStringToObject(extra, "delete_error", resp_tr(r, why));
		user_page(r, r->args[0], 422, extra);
		return;
	}
	if (rc != 0) {
		acted(r, rc, why, NULL);
		return;
	}
	respond_redirect(r, "/admin/users?done=deleted");
}
