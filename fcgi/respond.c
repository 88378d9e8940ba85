/* respond.c: response building (see respond.h). */
#include "respond.h"
#include "err.h"
#include "routes.h"
#include "tmpl.h"

#include <assert.h>
#include <fcgiapp.h>
#include <stdio.h>
#include <string.h>

/* Notices shown once after a redirect; the cookie carries only the code. */
static const struct {
	const char *code, *text;
} flashes[] = {
    {"welcome", N_("Your account is ready. Welcome to hashtagger!")},
    {"hello", N_("You are logged in.")},
    {"bye", N_("You are logged out.")},
    {"pw", N_("Your password was changed. Other sessions were logged out.")},
    {"reset", N_("Your new password is set. Log in with it.")},
    {"deleted", N_("Your account and all its data were deleted.")},
    {"photo_deleted", N_("The photo was deleted.")},
    {"token_revoked", N_("The token was revoked; it no longer works.")},
    {"prefs", N_("Your hashtag preferences were saved.")},
    {"locale", N_("Your language was saved.")},
};

int http_status(int err)
{
	switch (err) {
	case 0: return 200;
	case ERR_NOTFOUND: return 404;
	case ERR_INVALID: return 400;
	case ERR_CONFLICT: return 409;
	case ERR_FORBIDDEN: return 403;
	case ERR_LIMIT: return 413;
	case ERR_UNAVAILABLE: return 503;
	case ERR_THROTTLED: return 429;
	case ERR_AUTH: return 401;
	case ERR_TYPE: return 415;
	case ERR_BADDATA: return 422;
	case ERR_QUOTA: return 403;
	case ERR_NOSPACE: return 507;
	case ERR_GONE: return 410;
	default: return 500;
	}
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return N_("OK");
	case 201: return N_("Created");
	case 204: return N_("No Content");
	case 303: return N_("See Other");
	case 304: return N_("Not Modified");
	case 400: return N_("Bad Request");
	case 401: return N_("Unauthorized");
	case 403: return N_("Forbidden");
	case 404: return N_("Not Found");
	case 405: return N_("Method Not Allowed");
	case 409: return N_("Conflict");
	case 410: return N_("Gone");
	case 413: return N_("Content Too Large");
	case 415: return N_("Unsupported Media Type");
	case 422: return N_("Unprocessable Content");
	case 429: return N_("Too Many Requests");
	case 503: return N_("Service Unavailable");
	case 507: return N_("Insufficient Storage");
	default: return status >= 500 ? N_("Internal Server Error") : N_("Error");
	}
}

void resp_header(struct req *r, const char *name, const char *value)
{
	assert(strpbrk(name, "\r\n:") == NULL && strpbrk(value, "\r\n") == NULL);
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	char line[512];

	snprintf(line, sizeof(line), "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name,
	         max_age < 0 ? "" : value, max_age < 0 ? 0 : max_age,
	         r->app->cfg.cookie_secure ? "; Secure" : "");
	resp_header(r, "Set-Cookie", line);
}

const char *resp_tr(const struct req *r, const char *text)
{
	return i18n_text(r->lang, r->a, text);
}

static cJSON *user_json(struct req *r)
{
	cJSON *u;

	if (r->sess == NULL)
		return NULL;
	u = cJSON_CreateObject();
	cJSON_AddStringToObject(u, "email", r->sess->user.email);
	cJSON_AddStringToObject(u, "role", r->sess->user.role);
	cJSON_AddBoolToObject(u, "is_admin", strcmp(r->sess->user.role, "admin") == 0);
	cJSON_AddStringToObject(u, "created_at", r->sess->user.created_at);
	cJSON_AddStringToObject(u, "created_text",
	                        i18n_date(r->lang, r->a, r->sess->user.created_at));
	return u;
}

static const char *take_flash(struct req *r)
{
	const char *code = kv_get(&r->cookies, "ht_flash");
	size_t i;

	if (code == NULL)
		return NULL;
	resp_cookie(r, "ht_flash", "", -1);
	for (i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++)
		if (strcmp(flashes[i].code, code) == 0)
			return _(flashes[i].text);
	return NULL;
}

/* Where the language selector sends the reader back to: this page, or
 * for a form's answer the page of the same address (if there is one). */
static const char *here(struct req *r)
{
	char allow[64], args[ROUTE_ARGS][ROUTE_ARG_MAX + 1];
	const char *p = r->path;

	if (strlen(p) > LANG_NEXT_MAX)
		return "/";
	if (strcmp(r->method, "GET") == 0) {
		if (*r->query && strlen(p) + strlen(r->query) < LANG_NEXT_MAX)
			p = arena_printf(r->a, "%s?%s", p, r->query);
		return p;
	}
	return route_find("GET", p, allow, sizeof(allow), args) ? p : "/";
}

/* The layout's language selector: our languages, the current one marked. */
static void add_languages(struct req *r, cJSON *ctx)
{
	cJSON *arr;

	if (r->csrf == NULL) /* (a 404 before any cookie was read) */
		return;
	arr = cJSON_AddArrayToObject(ctx, "languages");
	for (int i = 0; i < I18N_LANGS; i++) {
		const struct i18n_lang *l = &r->app->i18n.lang[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", l->code);
		cJSON_AddStringToObject(o, "name", l->name);
		cJSON_AddBoolToObject(o, "current", l == r->lang);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddStringToObject(ctx, "lang_next", here(r));
}

static const char *translate(const void *lang, const char *msgid)
{
	return i18n_gettext(lang, msgid);
}

void respond_page(struct req *r, int status, const char *page, const char *title, cJSON *ctx)
{
	struct tmpl_tr tr = {translate, r->lang};
	struct buf content = {0};
	cJSON *user;
	const char *flash;
	int rc;

	if (ctx == NULL)
		ctx = cJSON_CreateObject();
	if ((user = user_json(r)) != NULL)
		cJSON_AddItemToObject(ctx, "user", user);
	if (r->csrf != NULL && cJSON_GetObjectItem(ctx, "csrf") == NULL)
		cJSON_AddStringToObject(ctx, "csrf", r->csrf);
	cJSON_AddStringToObject(ctx, "request_id", r->rid);
	rc = tmpl_render_tr(r->app->tmpl, page, ctx, &tr, &content);
	if (rc == 0) {
		cJSON_AddStringToObject(ctx, "content", content.data ? content.data : "");
		cJSON_AddStringToObject(ctx, "title", title);
		cJSON_AddStringToObject(ctx, "lang", r->lang->code);
		add_languages(r, ctx);
		if ((flash = take_flash(r)) != NULL)
			cJSON_AddStringToObject(ctx, "flash", flash);
		buf_clear(&r->body);
		rc = tmpl_render_tr(r->app->tmpl, "layout", ctx, &tr, &r->body);
	}
	buf_free(&content);
	cJSON_Delete(ctx);
	if (rc != 0) {
		fprintf(stderr, "[%s] template %s failed: %s\n", r->rid, page, err_name(rc));
		buf_clear(&r->body);
		buf_puts(&r->body, "<!doctype html><title>Error</title><p>Internal error.</p>");
		status = 500;
	}
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
}

void respond_json(struct req *r, int status, cJSON *doc)
{
	char *s = cJSON_PrintUnformatted(doc);

	buf_clear(&r->body);
	if (s != NULL) {
		buf_puts(&r->body, s);
		cJSON_free(s);
	}
	buf_putc(&r->body, '\n');
	cJSON_Delete(doc);
	r->status = status;
	r->ctype = "application/json";
}

void respond_problem_fields(struct req *r, int status, const char *detail, cJSON *fields)
{
	respond_problem(r, status, detail, fields, NULL, NULL);
}

void respond_problem(struct req *r, int status, const char *detail, cJSON *fields, const char *name,
                     cJSON *value)
{
	cJSON *p = cJSON_CreateObject(), *f;

	cJSON_AddStringToObject(p, "type", "about:blank");
	cJSON_AddStringToObject(p, "title", _(http_reason(status)));
	cJSON_AddNumberToObject(p, "status", status);
	cJSON_AddStringToObject(p, "detail", resp_tr(r, detail));
	cJSON_AddStringToObject(p, "request_id", r->rid);
	cJSON_ArrayForEach(f, fields)
	{
		if (cJSON_IsString(f))
			cJSON_SetValuestring(f, resp_tr(r, f->valuestring));
	}
	if (fields != NULL)
		cJSON_AddItemToObject(p, "errors", fields);
	if (name != NULL && value != NULL)
		cJSON_AddItemToObject(p, name, value);
	respond_json(r, status, p);
	r->ctype = "application/problem+json";
}

void respond_field(struct req *r, int status, const char *field, const char *why)
{
	cJSON *fields = cJSON_CreateObject();

	cJSON_AddStringToObject(fields, field, why);
	respond_problem_fields(r, status, why, fields);
}

void respond_error(struct req *r, int status, const char *detail)
{
	cJSON *ctx;

	if (r->api) {
		respond_problem_fields(r, status, detail, NULL);
		return;
	}
	ctx = cJSON_CreateObject();
	cJSON_AddNumberToObject(ctx, "status", status);
	cJSON_AddStringToObject(ctx, "title", _(http_reason(status)));
	cJSON_AddStringToObject(ctx, "detail", resp_tr(r, detail));
	respond_page(r, status, "error", _(http_reason(status)), ctx);
}

void respond_err(struct req *r, int err)
{
	int status = http_status(err);
	const char *detail;

	switch (status) {
	case 404: detail = N_("There is nothing at this address."); break;
	case 403: detail = N_("You are not allowed to do this."); break;
	case 409: detail = N_("This conflicts with something that already exists."); break;
	case 413: detail = N_("The request is too large."); break;
	case 503:
		detail = N_("The service is briefly unavailable. Please try again in a moment.");
		resp_header(r, "Retry-After", "5");
		break;
	case 400: detail = N_("The request could not be understood."); break;
	default: detail = N_("Something went wrong on our side. It has been logged."); break;
	}
	respond_error(r, status, detail);
}

int respond_list_err(struct req *r, int rc, const char *field, const char *why)
{
	if (rc == ERR_INVALID)
		respond_field(r, 422, field,
		              why ? why : N_("The cursor is not one this server gave out."));
	else if (rc != 0)
		respond_err(r, rc);
	return rc != 0;
}

void respond_redirect(struct req *r, const char *location)
{
	/* only local absolute paths: never an open redirect */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    strpbrk(location, "\r\n") != NULL)
		location = "/";
	resp_header(r, "Location", location);
	buf_clear(&r->body);
	r->status = 303;
	r->ctype = "text/plain; charset=utf-8";
}

void resp_attachment(struct req *r, const char *name)
{
	struct buf v = {0};
	const unsigned char *p;

	buf_puts(&v, "attachment; filename=\"");
	for (p = (const unsigned char *)name; *p; p++)
		buf_putc(&v, *p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' ? '_' : (char)*p);
	buf_puts(&v, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			buf_putc(&v, (char)*p);
		else
			buf_printf(&v, "%%%02X", *p);
	}
	resp_header(r, "Content-Disposition", v.data);
	buf_free(&v);
}

void respond_file(struct req *r, const char *abs_path, const char *rel_path, const char *ctype,
                  const char *download_name, const char *cache_control)
{
	buf_clear(&r->body);
	if (strcmp(r->server, "lighttpd") == 0) {
		resp_header(r, "X-Sendfile", abs_path);
		r->file_sent = 1;
	} else if (strcmp(r->server, "nginx") == 0) {
		resp_header(r, "X-Accel-Redirect", arena_printf(r->a, "/_media/%s", rel_path));
		r->file_sent = 1;
	} else if (buf_read_file(&r->body, abs_path, (size_t)r->app->cfg.upload_max) != 0) {
		respond_err(r, ERR_NOTFOUND);
		return;
	}
	if (download_name != NULL)
		resp_attachment(r, download_name);
	resp_header(r, "Cache-Control", cache_control);
	r->status = 200;
	r->ctype = ctype;
}

static void security_headers(struct req *r, FCGX_Stream *out)
{
	FCGX_PutS("X-Content-Type-Options: nosniff\r\n"
	          "X-Frame-Options: DENY\r\n"
	          "Referrer-Policy: same-origin\r\n"
	          "Cross-Origin-Opener-Policy: same-origin\r\n"
	          "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n"
	          "Content-Security-Policy: default-src 'self'; img-src 'self' data: blob:; "
	          "object-src 'none'; base-uri 'none'; form-action 'self'; "
	          "frame-ancestors 'none'\r\n",
	          out);
	if (r->app->cfg.cookie_secure)
		FCGX_PutS("Strict-Transport-Security: max-age=31536000\r\n", out);
}

void respond_flush(struct req *r)
{
	FCGX_Stream *out = r->fx->out;

	if (r->status == 0)
		r->status = 500;
	FCGX_FPrintF(out, "Status: %d %s\r\n", r->status, http_reason(r->status));
	if (r->ctype != NULL)
		FCGX_FPrintF(out, "Content-Type: %s\r\n", r->ctype);
	if (!r->file_sent && r->status != 204 &&
	    r->status != 304) /* the web server knows a file's */
		FCGX_FPrintF(out, "Content-Length: %lu\r\n", (unsigned long)r->body.len);
	FCGX_FPrintF(out, "X-Request-Id: %s\r\n", r->rid);
	if (r->ctype != NULL && (strncmp(r->ctype, "text/html", 9) == 0 ||
	                         strstr(r->ctype, "json") != NULL)) /* text we wrote */
		FCGX_FPrintF(out, "Content-Language: %s\r\nVary: Accept-Language, Cookie\r\n",
		             r->lang->code);
	security_headers(r, out);
	if (memmem(r->headers.data ? r->headers.data : "", r->headers.len, "Cache-Control:", 14) ==
	    NULL)
		FCGX_PutS("Cache-Control: no-store\r\n", out);
	if (r->headers.len)
		FCGX_PutStr(r->headers.data, (int)r->headers.len, out);
	FCGX_PutS("\r\n", out);
	if (!r->head_only && r->body.len)
		FCGX_PutStr(r->body.data, (int)r->body.len, out);
}
