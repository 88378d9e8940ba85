/* respond.h: building responses — pages through the layout, JSON through
 * cJSON, errors as HTML pages or application/problem+json, redirects,
 * cookies. Security headers are added to every response in one place. */
#ifndef HT_RESPOND_H
#define HT_RESPOND_H

#include "app.h"

#define LANG_NEXT_MAX 512 /* the language selector's way back (a path, page-lang.c) */

/* Map a core error code to an HTTP status. */
int http_status(int err);
/* Standard reason phrase ("Not Found"), English (a msgid: _() for people). */
const char *http_reason(int status);
/* English text in r's language: a msgid marked N_() elsewhere (core's
 * reasons, a table), or a text composed from one ("Upload at most 20
 * photos at a time."); anything else unchanged (i18n_text). Never for what
 * people typed: a photo named "Log in" must stay "Log in". */
const char *resp_tr(const struct req *r, const char *text);

/* Render template page with ctx inside the layout, in r's language (its
 * translation sections, <html lang>, the language selector). title is the
 * page title, already in that language. Takes ownership of ctx. */
void respond_page(struct req *r, int status, const char *page, const char *title, cJSON *ctx);
/* Send a JSON document. Takes ownership of doc. */
void respond_json(struct req *r, int status, cJSON *doc);
/* An error page or problem+json, with a reason for the user. The title,
 * detail and field messages below are translated here (resp_tr): pass the
 * English msgid (N_) or a text composed from a translated format. */
void respond_error(struct req *r, int status, const char *detail);
/* Problem with field errors (JSON) — fields is a cJSON object name->message,
 * ownership taken. For pages, handlers re-render their form instead. */
void respond_problem_fields(struct req *r, int status, const char *detail, cJSON *fields);
/* The same with one more member name: value (ownership taken). */
void respond_problem(struct req *r, int status, const char *detail, cJSON *fields, const char *name,
                     cJSON *value);
/* The same for one field: errors {field: why}, detail why. */
void respond_field(struct req *r, int status, const char *field, const char *why);
/* Map a core error to a response with a generic reason. */
void respond_err(struct req *r, int err);
/* After a paged list query: nothing when rc is 0; ERR_INVALID is a 422 on
 * field (why, or "not a cursor this server gave out" when why is NULL);
 * any other error goes to respond_err. Returns 1 when it answered. */
int respond_list_err(struct req *r, int rc, const char *field, const char *why);
/* 303 See Other to a local path. */
void respond_redirect(struct req *r, const char *location);

/* Append a response header line (name and value must be plain ASCII without
 * CR/LF; asserted, since they come from code, not input). */
void resp_header(struct req *r, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/, Secure per config.
 * max_age < 0 deletes the cookie. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);

/* Have the web server send the file at abs_path (rel_path below the media
 * directory): X-Sendfile for lighttpd, X-Accel-Redirect to the internal
 * /_media/ location for nginx, read by the worker under any other server.
 * download_name: Content-Disposition attachment with that name, or NULL. */
void respond_file(struct req *r, const char *abs_path, const char *rel_path, const char *ctype,
                  const char *download_name, const char *cache_control);
/* Content-Disposition: attachment with an ASCII fallback and the UTF-8
 * name (RFC 6266). */
void resp_attachment(struct req *r, const char *name);

/* Write status line, headers and body to the web server. Called once by
 * the dispatcher after the handler returns. */
void respond_flush(struct req *r);

#endif
