/* page-users.c: /admin/users — every account in a table (email, sign-up,
 * last login, photos, storage, role, state) with filters, sortable columns
 * (each header a link: again for the other direction), keyset pages, and
 * the filtered list as CSV (/admin/users.csv and its API twin, the same
 * bytes); the JSON shape of a listed user, shared with api-users.c and
 * page-user.c. Admins only (the route's R_ADMIN). */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "userlist.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USERS_PAGE 50
#define USERS_CSV_MAX (256L * 1024 * 1024)

/* the filter parameters, in the order links repeat them */
static const char *const filter_names[] = {"q",           "role",       "state",
                                           "joined_from", "joined_to",  "login_from",
                                           "login_to",    "images_min", "images_max"};
#define NFILTERS (sizeof(filter_names) / sizeof(filter_names[0]))

static const char *const column_labels[USORT__MAX] = {
    [USORT_JOINED] = N_("Signed up"), [USORT_EMAIL] = N_("Email"),
    [USORT_LOGIN] = N_("Last login"), [USORT_IMAGES] = N_("Photos"),
    [USORT_STORAGE] = N_("Storage"),  [USORT_ROLE] = N_("Role"),
    [USORT_STATE] = N_("State")};
/* the table's columns, left to right */
static const enum userlist_sort columns[] = {USORT_EMAIL,   USORT_JOINED, USORT_LOGIN, USORT_IMAGES,
                                             USORT_STORAGE, USORT_ROLE,   USORT_STATE};

cJSON *view_admin_user(const struct admin_user *u)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", u->id);
	cJSON_AddStringToObject(o, "email", u->email);
	cJSON_AddStringToObject(o, "role", u->role);
	cJSON_AddStringToObject(o, "state", u->disabled ? "disabled" : "active");
	cJSON_AddStringToObject(o, "created_at", u->created_at);
	if (u->last_login_at)
		cJSON_AddStringToObject(o, "last_login_at", u->last_login_at);
	else
		cJSON_AddNullToObject(o, "last_login_at");
	cJSON_AddNumberToObject(o, "image_count", (double)u->image_count);
	cJSON_AddNumberToObject(o, "storage_bytes", (double)u->storage_bytes);
	return o;
}

void view_admin_user_text(const struct req *r, const struct admin_user *u, cJSON *o)
{
	struct arena *a = r->a;

	/* "2026-11-23T07:13:00Z" -> "23 Nov 2026, 07:13 UTC" */
	cJSON_AddStringToObject(o, "created_text", i18n_datetime(r->lang, a, u->created_at));
	cJSON_AddStringToObject(o, "login_text",
	                        u->last_login_at ? i18n_datetime(r->lang, a, u->last_login_at)
	                                         : _("never"));
	/* the list's columns: the day only ("23 Nov 2026"), the time in a title */
	cJSON_AddStringToObject(o, "created_day", i18n_date(r->lang, a, u->created_at));
	if (u->last_login_at)
		cJSON_AddStringToObject(o, "login_day", i18n_date(r->lang, a, u->last_login_at));
	cJSON_AddStringToObject(o, "image_count_text", i18n_int(r->lang, a, u->image_count));
	cJSON_AddStringToObject(o, "storage_text", i18n_bytes(r->lang, a, u->storage_bytes));
	cJSON_AddBoolToObject(o, "is_admin", strcmp(u->role, "admin") == 0);
	cJSON_AddBoolToObject(o, "disabled", u->disabled);
	cJSON_AddStringToObject(o, "page", arena_printf(a, "/admin/users/%s", u->id));
}

void admin_users_filter(const struct req *r, struct userlist_filter *f)
{
	const char *limit = kv_get(&r->params, "limit");

	memset(f, 0, sizeof(*f));
	f->q = kv_get(&r->params, "q");
	f->role = kv_get(&r->params, "role");
	f->state = kv_get(&r->params, "state");
	f->joined_from = kv_get(&r->params, "joined_from");
	f->joined_to = kv_get(&r->params, "joined_to");
	f->login_from = kv_get(&r->params, "login_from");
	f->login_to = kv_get(&r->params, "login_to");
	f->images_min = kv_get(&r->params, "images_min");
	f->images_max = kv_get(&r->params, "images_max");
	f->sort = kv_get(&r->params, "sort");
	f->dir = kv_get(&r->params, "dir");
	f->cursor = kv_get(&r->params, "cursor");
	f->limit = limit && *limit ? atoi(limit) : USERS_PAGE;
}

/* The request's filters as a query string ending in '&' (arena), and as
 * form values in ctx; *any when one is set. */
static const char *filters_qs(struct req *r, cJSON *ctx, int *any)
{
	const char *vals[NFILTERS];

	for (size_t i = 0; i < NFILTERS; i++)
		vals[i] = kv_get(&r->params, filter_names[i]);
	return view_filters_qs(r, ctx, filter_names, vals, NFILTERS, any);
}

/* Header links, the form's selects, the pager and the CSV link. */
static void add_links(struct req *r, cJSON *ctx, enum userlist_sort sort, int desc,
                      const char *next)
{
	const char *dir = desc ? "desc" : "asc", *qs;
	cJSON *cols = cJSON_AddArrayToObject(ctx, "columns"), *sel;
	int any;
	size_t i;

	qs = filters_qs(r, ctx, &any);
	cJSON_AddBoolToObject(ctx, "filtered", any);
	for (i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
		enum userlist_sort s = columns[i];
		int cur = s == sort, d = cur ? !desc : userlist_sort_desc(s);
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "label", i18n_gettext(r->lang, column_labels[s]));
		cJSON_AddBoolToObject(c, "num", s == USORT_IMAGES || s == USORT_STORAGE);
		cJSON_AddStringToObject(c, "url",
		                        arena_printf(r->a, "/admin/users?%ssort=%s&dir=%s", qs,
		                                     userlist_sort_name(s), d ? "desc" : "asc"));
		if (cur) {
			cJSON_AddStringToObject(c, "aria_sort", desc ? "descending" : "ascending");
			cJSON_AddStringToObject(c, "arrow", desc ? "▼" : "▲");
		}
		cJSON_AddItemToArray(cols, c);
	}
	cJSON_AddStringToObject(ctx, "sort", userlist_sort_name(sort));
	cJSON_AddStringToObject(ctx, "dir", dir);
	/* the selected options: "is": {"admin": true, "disabled": true} */
	sel = cJSON_AddObjectToObject(ctx, "is");
	for (i = 0; i < 2; i++) {
		const char *v = kv_get(&r->params, i == 0 ? "role" : "state");
		if (v && *v)
			cJSON_AddBoolToObject(sel, v, 1);
	}
	cJSON_AddStringToObject(
	    ctx, "first_url",
	    arena_printf(r->a, "/admin/users?%ssort=%s&dir=%s", qs, userlist_sort_name(sort), dir));
	cJSON_AddStringToObject(ctx, "csv_url",
	                        arena_printf(r->a, "/admin/users.csv?%ssort=%s&dir=%s", qs,
	                                     userlist_sort_name(sort), dir));
	if (next)
		cJSON_AddStringToObject(ctx, "next_url",
		                        arena_printf(r->a,
		                                     "/admin/users?%ssort=%s&dir=%s&cursor=%s", qs,
		                                     userlist_sort_name(sort), dir, next));
}

void page_admin_users(struct req *r)
{
	struct userlist_filter f;
	struct admin_user *items;
	enum userlist_sort sort;
	const char *next, *bad, *why, *done = kv_get(&r->params, "done");
	cJSON *ctx, *arr;
	int n, i, desc, rc;

	admin_users_filter(r, &f);
	rc = userlist_page(&r->app->db, r->a, &f, &items, &n, &next, &bad, &why);
	if (rc == ERR_INVALID) {
		respond_error(r, 400, why);
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	(void)userlist_sort_of(&f, &sort, &desc, &bad); /* checked by userlist_page */
	ctx = cJSON_CreateObject();
	cJSON_AddBoolToObject(ctx, "nav_users", 1);
	arr = cJSON_AddArrayToObject(ctx, "users");
	for (i = 0; i < n; i++) {
		cJSON *u = view_admin_user(&items[i]);
		view_admin_user_text(r, &items[i], u);
		cJSON_AddItemToArray(arr, u);
	}
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", f.cursor == NULL || *f.cursor == '\0');
	if (done && strcmp(done, "deleted") == 0)
		cJSON_AddStringToObject(
		    ctx, "done", _("Deleted: the account, its photos and their files are gone."));
	add_links(r, ctx, sort, desc, next);
	respond_page(r, 200, "admin-users", _("Users"), ctx);
}

/* The CSV callback: append to the response body. */
static int to_body(void *ctx, const char *data, size_t n)
{
	struct req *r = ctx;

	if (r->body.len + n > (size_t)USERS_CSV_MAX)
		return ERR_LIMIT;
	buf_append(&r->body, data, n);
	return 0;
}

static void users_csv(struct req *r)
{
	struct userlist_filter f;
	const char *bad, *why;
	time_t now = time(NULL);
	char day[16];
	struct tm tm;
	int rc;

	admin_users_filter(r, &f);
	buf_clear(&r->body);
	rc = userlist_csv(&r->app->db, &f, to_body, r, &bad, &why);
	if (rc != 0) {
		buf_clear(&r->body);
		if (rc == ERR_INVALID && r->api)
			respond_field(r, 422, bad, why);
		else if (rc == ERR_INVALID)
			respond_error(r, 400, why);
		else if (rc == ERR_LIMIT)
			respond_error(r, 507,
			              N_("This list is too large for one file; filter it."));
		else
			respond_err(r, rc);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	resp_attachment(r, arena_printf(r->a, "hashtagger-users-%s.csv", day));
	r->status = 200;
	r->ctype = "text/csv; charset=utf-8";
}

void page_admin_users_csv(struct req *r)
{
	users_csv(r);
}

void api_admin_users_csv(struct req *r)
{
	users_csv(r);
}
