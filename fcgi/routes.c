/* routes.c: the route table. */
#include "routes.h"
#include "handlers.h"
#include "respond.h"

#include <stdio.h>
#include <string.h>

static const struct param p_none[] = {{NULL, 0, 0, 0}};
static const struct param p_login[] = {
    {"email", V_LINE, 254, 1},
    {"password", V_PASSWORD, 1024, 1},
    {"next", V_PATH, 512, 0},
    {NULL, 0, 0, 0},
};
static const struct param p_next[] = {{"next", V_PATH, 512, 0}, {NULL, 0, 0, 0}};
static const struct param p_register[] = {
    {"email", V_LINE, 254, 1},
    {"password", V_PASSWORD, 1024, 1},
    {NULL, 0, 0, 0},
};
static const struct param p_password[] = {
    {"current_password", V_PASSWORD, 1024, 1},
    {"new_password", V_PASSWORD, 1024, 1},
    {NULL, 0, 0, 0},
};
static const struct param p_delete[] = {
    {"password", V_PASSWORD, 1024, 1},
    {"confirm", V_FLAG, 8, 0},
    {NULL, 0, 0, 0},
};
static const struct param p_refresh[] = {
    {"refresh_token", V_TOKEN, 64, 1},
    {NULL, 0, 0, 0},
};
static const struct param p_token[] = {
    {"name", V_LINE, 400, 1},
    {"scopes", V_LINE, 100, 1},
    {NULL, 0, 0, 0},
};
static const struct param p_token_form[] = {
    {"name", V_LINE, 400, 1},     {"scope_read", V_FLAG, 8, 0},  {"scope_upload", V_FLAG, 8, 0},
    {"scope_tags", V_FLAG, 8, 0}, {"scope_admin", V_FLAG, 8, 0}, {NULL, 0, 0, 0},
};

static const struct param p_history[] = {
    {"from", V_DATE, 10, 0}, {"to", V_DATE, 10, 0},     {"tag", V_LINE, 101, 0},
    {"q", V_LINE, 200, 0},   {"cursor", V_LINE, 64, 0}, {"limit", V_UINT, 3, 0},
    {NULL, 0, 0, 0},
};
static const struct param p_export[] = {
    {"format", V_LINE, 4, 0},
    {"size", V_UINT, 6, 0},
    {"quality", V_UINT, 3, 0},
    {NULL, 0, 0, 0},
};

static const struct param p_tag_form[] = {
    {"action", V_LINE, 8, 1},
    {"tag", V_LINE, 200, 0},
    {NULL, 0, 0, 0},
};
static const struct param p_tag_api[] = {
    {"tag", V_LINE, 200, 0},
    {"state", V_LINE, 10, 0},
    {"order", V_LINE, 8000, 0},
    {NULL, 0, 0, 0},
};
static const struct param p_tag_add[] = {{"tag", V_LINE, 200, 1}, {NULL, 0, 0, 0}};
static const struct param p_copy[] = {{"platform", V_LINE, 10, 0}, {NULL, 0, 0, 0}};
static const struct param p_prefs[] = {
    {"platform", V_LINE, 10, 0}, {"case", V_LINE, 5, 0},
    {"max", V_LINE, 3, 0},       {"always", V_LINE, 2000, 0},
    {"banned", V_LINE, 2000, 0}, {"lang", V_LINE, 4, 0},
    {"locale", V_LINE, 4, 0},    {NULL, 0, 0, 0},
};
static const struct param p_lang[] = {
    {"lang", V_LINE, 8, 1},
    {"next", V_PATH, LANG_NEXT_MAX, 0},
    {NULL, 0, 0, 0},
};

static const struct param p_audit[] = {
    {"action", V_LINE, 64, 0}, {"actor", V_LINE, 254, 0}, {"target", V_LINE, 64, 0},
    {"from", V_DATE, 10, 0},   {"to", V_DATE, 10, 0},     {"cursor", V_LINE, 64, 0},
    {"limit", V_UINT, 3, 0},   {NULL, 0, 0, 0},
};
static const struct param p_range[] = {
    {"from", V_DATE, 10, 0}, {"to", V_DATE, 10, 0}, {NULL, 0, 0, 0}};
static const struct param p_reason[] = {{"reason", V_LINE, 2000, 1}, {NULL, 0, 0, 0}};

/* the admin list of users: filters and sort (core/userlist.h); the page
 * also takes a notice, the API a page size, the CSV neither nor a cursor */
/* clang-format off */
#define USER_FILTERS                                                                       \
	{"q", V_LINE, 254, 0}, {"role", V_LINE, 8, 0}, {"state", V_LINE, 10, 0},           \
	{"joined_from", V_DATE, 10, 0}, {"joined_to", V_DATE, 10, 0},                      \
	{"login_from", V_DATE, 10, 0}, {"login_to", V_DATE, 10, 0},                        \
	{"images_min", V_UINT, 18, 0}, {"images_max", V_UINT, 18, 0},                      \
	{"sort", V_LINE, 10, 0}, {"dir", V_LINE, 4, 0}
static const struct param p_users[] = {
	USER_FILTERS, {"cursor", V_TOKEN, 512, 0}, {"limit", V_UINT, 3, 0}, {NULL, 0, 0, 0}};
static const struct param p_users_page[] = {
	USER_FILTERS, {"cursor", V_TOKEN, 512, 0}, {"done", V_LINE, 16, 0}, {NULL, 0, 0, 0}};
static const struct param p_users_csv[] = {USER_FILTERS, {NULL, 0, 0, 0}};
/* clang-format on */
static const struct param p_images_page[] = {
    {"cursor", V_LINE, 64, 0}, {"limit", V_UINT, 3, 0}, {NULL, 0, 0, 0}};
static const struct param p_confirm_email[] = {{"confirm_email", V_LINE, 254, 0}, {NULL, 0, 0, 0}};

#define PAGE_POST (R_CSRF)
#define API_POST (R_API | R_CSRF)

static const struct route routes[] = {
    {"GET", "/", page_home, 0, p_none},
    {"POST", "/lang", page_lang, PAGE_POST, p_lang},
    {"GET", "/register", page_register_form, 0, p_none},
    {"POST", "/register", page_register, PAGE_POST, p_register},
    {"GET", "/login", page_login_form, 0, p_next},
    {"POST", "/login", page_login, PAGE_POST, p_login},
    {"POST", "/logout", page_logout, PAGE_POST | R_SESSION, p_none},
    {"GET", "/account", page_account, R_SESSION, p_none},
    {"POST", "/account/password", page_account_password, PAGE_POST | R_SESSION, p_password},
    {"POST", "/account/delete", page_account_delete, PAGE_POST | R_SESSION, p_delete},
    {"POST", "/account/tokens", page_account_token_create, PAGE_POST | R_SESSION, p_token_form},
    {"POST", "/account/tokens/*/delete", page_account_token_delete, PAGE_POST | R_SESSION, p_none},

    {"GET", "/upload", page_upload_form, R_SESSION, p_none},
    {"POST", "/upload", page_upload, R_SESSION | R_UPLOAD, p_none},
    {"GET", "/history", page_history, R_SESSION, p_history},
    {"GET", "/p/*", page_photo, R_SESSION, p_none},
    {"POST", "/p/*/delete", page_photo_delete, PAGE_POST | R_SESSION, p_none},
    {"GET", "/p/*/export", page_photo_export, R_SESSION, p_export},
    {"GET", "/media/*/thumb", media_thumb, R_SESSION, p_none},
    {"GET", "/media/*/original", media_original, R_SESSION, p_none},

    {"GET", "/healthz", api_healthz, R_API | R_NODB, p_none},
    {"GET", "/readyz", api_readyz, R_API | R_NODB, p_none},
    {"GET", "/api/v1/info", api_info, R_API | R_NODB, p_none},
    {"GET", "/metrics", api_metrics, R_LOCAL, p_none},
    {"POST", "/api/v1/users", api_register, API_POST, p_register},
    {"POST", "/api/v1/session", api_login, API_POST, p_login},
    {"DELETE", "/api/v1/session", api_logout, API_POST | R_SESSION, p_none},
    {"GET", "/api/v1/me", api_me, R_API | R_SESSION, p_none},
    /* clients: JWT logins and personal tokens (api-tokens.c) */
    {"POST", "/api/v1/auth/login", api_auth_login, API_POST, p_register},
    {"POST", "/api/v1/auth/refresh", api_auth_refresh, API_POST, p_refresh},
    {"POST", "/api/v1/auth/logout", api_auth_logout, API_POST, p_refresh},
    {"GET", "/api/v1/me/tokens", api_tokens_list, R_API | R_SESSION | R_S_ACCOUNT, p_none},
    {"POST", "/api/v1/me/tokens", api_tokens_create, API_POST | R_SESSION | R_S_ACCOUNT, p_token},
    {"DELETE", "/api/v1/me/tokens/*", api_tokens_delete, API_POST | R_SESSION | R_S_ACCOUNT,
     p_none},
    {"POST", "/api/v1/me/password", api_me_password, API_POST | R_SESSION, p_password},
    {"DELETE", "/api/v1/me", api_me_delete, API_POST | R_SESSION, p_delete},
    {"POST", "/api/v1/images", api_images_upload, R_API | R_SESSION | R_S_UPLOAD | R_UPLOAD,
     p_none},
    {"GET", "/api/v1/images", api_images_list, R_API | R_SESSION, p_history},
    {"GET", "/api/v1/images/*", api_image_get, R_API | R_SESSION, p_none},
    {"DELETE", "/api/v1/images/*", api_image_delete, API_POST | R_SESSION | R_S_UPLOAD, p_none},

    /* hashtag workflow (page-tags.c, api-tags.c) */
    {"POST", "/p/*/tags", page_photo_tags, PAGE_POST | R_SESSION, p_tag_form},
    {"POST", "/account/prefs", page_account_prefs, PAGE_POST | R_SESSION, p_prefs},
    {"POST", "/api/v1/images/*/tags", api_image_tags_add, API_POST | R_SESSION | R_S_TAGS,
     p_tag_add},
    {"PATCH", "/api/v1/images/*/tags", api_image_tags_update, API_POST | R_SESSION | R_S_TAGS,
     p_tag_api},
    {"GET", "/api/v1/images/*/copy", api_image_copy, R_API | R_SESSION, p_copy},
    {"GET", "/api/v1/me/prefs", api_prefs_get, R_API | R_SESSION, p_none},
    {"PUT", "/api/v1/me/prefs", api_prefs_set, API_POST | R_SESSION | R_S_TAGS, p_prefs},

    /* collections and share links (page-collections.c, api-collections.c) */
    {"GET", "/collections", page_collections, R_SESSION,
     (const struct param[]){{"q", V_LINE, 200, 0}, {"tag", V_LINE, 101, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/collections", page_collection_create, PAGE_POST | R_SESSION,
     (const struct param[]){{"name", V_LINE, 400, 1}, {NULL, 0, 0, 0}}},
    {"GET", "/c/*", page_collection, R_SESSION,
     (const struct param[]){{"cursor", V_UINT, 10, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/c/*/rename", page_collection_rename, PAGE_POST | R_SESSION,
     (const struct param[]){{"name", V_LINE, 400, 1}, {NULL, 0, 0, 0}}},
    {"POST", "/c/*/delete", page_collection_delete, PAGE_POST | R_SESSION,
     (const struct param[]){{"confirm", V_FLAG, 8, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/c/*/add", page_collection_add, PAGE_POST | R_SESSION,
     (const struct param[]){{"image", V_TOKEN, 16, 1}, {NULL, 0, 0, 0}}},
    {"POST", "/c/add", page_collection_add_photo, PAGE_POST | R_SESSION,
     (const struct param[]){
         {"collection", V_TOKEN, 16, 1}, {"image", V_TOKEN, 16, 1}, {NULL, 0, 0, 0}}},
    {"POST", "/c/*/remove", page_collection_remove, PAGE_POST | R_SESSION,
     (const struct param[]){{"image", V_TOKEN, 16, 1}, {NULL, 0, 0, 0}}},
    {"POST", "/c/*/share", page_collection_share, PAGE_POST | R_SESSION, p_none},
    {"POST", "/c/*/unshare", page_collection_unshare, PAGE_POST | R_SESSION, p_none},
    {"GET", "/s/*", page_shared, 0,
     (const struct param[]){{"cursor", V_UINT, 10, 0}, {NULL, 0, 0, 0}}},
    {"GET", "/s/*/t/*", shared_thumb, 0, p_none},
    {"GET", "/api/v1/collections", api_collections_list, R_API | R_SESSION,
     (const struct param[]){{"q", V_LINE, 200, 0}, {"tag", V_LINE, 101, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/api/v1/collections", api_collection_create, API_POST | R_SESSION | R_S_TAGS,
     (const struct param[]){{"name", V_LINE, 400, 1}, {NULL, 0, 0, 0}}},
    {"GET", "/api/v1/collections/*", api_collection_get, R_API | R_SESSION,
     (const struct param[]){{"cursor", V_UINT, 10, 0}, {"limit", V_UINT, 3, 0}, {NULL, 0, 0, 0}}},
    {"PATCH", "/api/v1/collections/*", api_collection_rename, API_POST | R_SESSION | R_S_TAGS,
     (const struct param[]){{"name", V_LINE, 400, 1}, {NULL, 0, 0, 0}}},
    {"DELETE", "/api/v1/collections/*", api_collection_delete, API_POST | R_SESSION | R_S_TAGS,
     p_none},
    {"POST", "/api/v1/collections/*/images", api_collection_add, API_POST | R_SESSION | R_S_TAGS,
     (const struct param[]){{"image_id", V_TOKEN, 16, 1}, {NULL, 0, 0, 0}}},
    {"DELETE", "/api/v1/collections/*/images/*", api_collection_remove,
     API_POST | R_SESSION | R_S_TAGS, p_none},
    {"POST", "/api/v1/collections/*/share", api_collection_share, API_POST | R_SESSION | R_S_TAGS,
     p_none},
    {"DELETE", "/api/v1/collections/*/share", api_collection_unshare,
     API_POST | R_SESSION | R_S_TAGS, p_none},

    /* exports (page-exports.c) */
    {"GET", "/export/history.csv", page_export_history_csv, R_SESSION, p_none},
    {"GET", "/export/history.json", page_export_history_json, R_SESSION, p_none},
    {"GET", "/p/*/xmp", page_photo_xmp, R_SESSION, p_none},
    {"GET", "/api/v1/exports/history.csv", api_export_history_csv, R_API | R_SESSION, p_none},
    {"GET", "/api/v1/exports/history.json", api_export_history_json, R_API | R_SESSION, p_none},
    {"GET", "/api/v1/images/*/xmp", api_image_xmp, R_API | R_SESSION, p_none},

    /* admin: moderation queue and audit log (page-moderation.c, page-audit.c, api-admin.c) */
    {"GET", "/admin/moderation", page_admin_moderation, R_SESSION | R_ADMIN,
     (const struct param[]){{"cursor", V_LINE, 64, 0}, {"done", V_LINE, 10, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/admin/moderation/*/approve", page_admin_moderation_approve,
     PAGE_POST | R_SESSION | R_ADMIN, p_none},
    {"POST", "/admin/moderation/*/remove", page_admin_moderation_remove,
     PAGE_POST | R_SESSION | R_ADMIN, p_reason},
    {"GET", "/admin/audit", page_admin_audit, R_SESSION | R_ADMIN, p_audit},
    {"GET", "/api/v1/admin/moderation", api_admin_moderation, R_API | R_SESSION | R_ADMIN,
     (const struct param[]){{"cursor", V_LINE, 64, 0}, {"limit", V_UINT, 3, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/api/v1/admin/moderation/*/approve", api_admin_moderation_approve,
     API_POST | R_SESSION | R_ADMIN, p_none},
    {"POST", "/api/v1/admin/moderation/*/remove", api_admin_moderation_remove,
     API_POST | R_SESSION | R_ADMIN, p_reason},
    {"GET", "/api/v1/admin/audit", api_admin_audit, R_API | R_SESSION | R_ADMIN, p_audit},

    /* admin: statistics (page-stats.c, api-stats.c) */
    {"GET", "/admin", page_admin_stats, R_SESSION | R_ADMIN,
     (const struct param[]){
         {"from", V_DATE, 10, 0}, {"to", V_DATE, 10, 0}, {"done", V_LINE, 10, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/admin/jobs/*/retry", page_admin_job_retry, PAGE_POST | R_SESSION | R_ADMIN, p_range},
    {"GET", "/api/v1/admin/stats", api_admin_stats, R_API | R_SESSION | R_ADMIN, p_range},
    {"POST", "/api/v1/admin/jobs/*/retry", api_admin_job_retry, API_POST | R_SESSION | R_ADMIN,
     p_none},

    /* admin: users (page-users.c, page-user.c, api-users.c) */
    {"GET", "/admin/users", page_admin_users, R_SESSION | R_ADMIN, p_users_page},
    {"GET", "/admin/users.csv", page_admin_users_csv, R_SESSION | R_ADMIN, p_users_csv},
    {"GET", "/admin/users/*", page_admin_user, R_SESSION | R_ADMIN,
     (const struct param[]){{"cursor", V_LINE, 64, 0}, {"done", V_LINE, 16, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/admin/users/*/disable", page_admin_user_disable, PAGE_POST | R_SESSION | R_ADMIN,
     (const struct param[]){{"confirm", V_FLAG, 8, 0}, {NULL, 0, 0, 0}}},
    {"POST", "/admin/users/*/enable", page_admin_user_enable, PAGE_POST | R_SESSION | R_ADMIN,
     p_none},
    {"POST", "/admin/users/*/promote", page_admin_user_promote, PAGE_POST | R_SESSION | R_ADMIN,
     p_none},
    {"POST", "/admin/users/*/demote", page_admin_user_demote, PAGE_POST | R_SESSION | R_ADMIN,
     p_none},
    {"POST", "/admin/users/*/reset-password", page_admin_user_reset,
     PAGE_POST | R_SESSION | R_ADMIN, p_none},
    {"POST", "/admin/users/*/delete", page_admin_user_delete, PAGE_POST | R_SESSION | R_ADMIN,
     p_confirm_email},
    {"GET", "/api/v1/admin/users", api_admin_users, R_API | R_SESSION | R_ADMIN, p_users},
    {"GET", "/api/v1/admin/users.csv", api_admin_users_csv, R_API | R_SESSION | R_ADMIN,
     p_users_csv},
    {"GET", "/api/v1/admin/users/*", api_admin_user, R_API | R_SESSION | R_ADMIN, p_none},
    {"DELETE", "/api/v1/admin/users/*", api_admin_user_delete, API_POST | R_SESSION | R_ADMIN,
     p_confirm_email},
    {"GET", "/api/v1/admin/users/*/images", api_admin_user_images, R_API | R_SESSION | R_ADMIN,
     p_images_page},
    {"POST", "/api/v1/admin/users/*/disable", api_admin_user_disable,
     API_POST | R_SESSION | R_ADMIN, p_none},
    {"POST", "/api/v1/admin/users/*/enable", api_admin_user_enable, API_POST | R_SESSION | R_ADMIN,
     p_none},
    {"POST", "/api/v1/admin/users/*/promote", api_admin_user_promote,
     API_POST | R_SESSION | R_ADMIN, p_none},
    {"POST", "/api/v1/admin/users/*/demote", api_admin_user_demote, API_POST | R_SESSION | R_ADMIN,
     p_none},
    {"POST", "/api/v1/admin/users/*/reset-password", api_admin_user_reset,
     API_POST | R_SESSION | R_ADMIN, p_none},

    /* one-time password reset links (page-reset.c) */
    {"GET", "/reset/*", page_reset_form, 0, p_none},
    {"POST", "/reset/*", page_reset, PAGE_POST,
     (const struct param[]){{"new_password", V_PASSWORD, 1024, 1}, {NULL, 0, 0, 0}}},
    {"POST", "/api/v1/password-reset", api_password_reset, API_POST,
     (const struct param[]){
         {"token", V_TOKEN, 64, 1}, {"new_password", V_PASSWORD, 1024, 1}, {NULL, 0, 0, 0}}},
};

static int arg_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* Match path against pattern; '*' segments are copied into args. */
static int match(const char *pat, const char *path, char args[ROUTE_ARGS][ROUTE_ARG_MAX + 1])
{
	int na = 0;

	while (*pat && *path) {
		if (*pat == '*') {
			size_t n = 0;
			while (arg_char((unsigned char)path[n]))
				n++;
			if (n == 0 || n > ROUTE_ARG_MAX || na == ROUTE_ARGS)
				return 0;
			memcpy(args[na], path, n);
			args[na++][n] = '\0';
			path += n;
			pat++;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	return *pat == '\0' && *path == '\0';
}

const struct route *route_find(const char *method, const char *path, char *allow, size_t allowlen,
                               char args[ROUTE_ARGS][ROUTE_ARG_MAX + 1])
{
	const struct route *found = NULL;
	char tmp[ROUTE_ARGS][ROUTE_ARG_MAX + 1];
	size_t i, used = 0;

	allow[0] = '\0';
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!match(routes[i].path, path, tmp))
			continue;
		if (strcmp(routes[i].method, method) == 0 && found == NULL) {
			found = &routes[i];
			memcpy(args, tmp, sizeof(tmp));
		}
		if (routes[i].flags & R_LOCAL)
			continue;
		used += (size_t)snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
		                         routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			used += (size_t)snprintf(allow + used, allowlen - used, ", HEAD");
		if (used >= allowlen)
			used = allowlen - 1;
	}
	return found;
}

const struct route *route_table(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}
