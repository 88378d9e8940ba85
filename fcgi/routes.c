/* routes.c: the route table. */
#include "routes.h"
#include "handlers.h"

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

#define PAGE_POST (R_CSRF)
#define API_POST (R_API | R_CSRF)

static const struct route routes[] = {
    {"GET", "/", page_home, 0, p_none},
    {"GET", "/register", page_register_form, 0, p_none},
    {"POST", "/register", page_register, PAGE_POST, p_register},
    {"GET", "/login", page_login_form, 0, p_next},
    {"POST", "/login", page_login, PAGE_POST, p_login},
    {"POST", "/logout", page_logout, PAGE_POST | R_SESSION, p_none},
    {"GET", "/account", page_account, R_SESSION, p_none},
    {"POST", "/account/password", page_account_password, PAGE_POST | R_SESSION, p_password},
    {"POST", "/account/delete", page_account_delete, PAGE_POST | R_SESSION, p_delete},

    {"GET", "/healthz", api_healthz, R_API | R_NODB, p_none},
    {"GET", "/readyz", api_readyz, R_API | R_NODB, p_none},
    {"GET", "/api/v1/info", api_info, R_API | R_NODB, p_none},
    {"POST", "/api/v1/users", api_register, API_POST, p_register},
    {"POST", "/api/v1/session", api_login, API_POST, p_login},
    {"DELETE", "/api/v1/session", api_logout, API_POST | R_SESSION, p_none},
    {"GET", "/api/v1/me", api_me, R_API | R_SESSION, p_none},
    {"POST", "/api/v1/me/password", api_me_password, API_POST | R_SESSION, p_password},
    {"DELETE", "/api/v1/me", api_me_delete, API_POST | R_SESSION, p_delete},
};

const struct route *route_find(const char *method, const char *path, char *allow, size_t allowlen)
{
	const struct route *found = NULL;
	size_t i, used = 0;

	allow[0] = '\0';
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, path) != 0)
			continue;
		if (strcmp(routes[i].method, method) == 0)
			found = &routes[i];
		used += (size_t)snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
		                         routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			used += (size_t)snprintf(allow + used, allowlen - used, ", HEAD");
		if (used >= allowlen)
			used = allowlen - 1;
	}
	return found;
}
