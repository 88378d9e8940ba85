/* page-exports.c: downloads of the user's own data — the whole history as
 * CSV or JSON (/export/history.csv|json) and the XMP sidecar of one photo
 * (/p/ID/xmp) — and their API twins under /api/v1, which answer the same
 * bytes (errors as problem+json there).
 *
 * core/export.c writes through a callback; here the callback appends to
 * the response body, because the response layer sends one buffered body
 * with a Content-Length after the handler returns. That keeps errors
 * honest (a database failure halfway is a 5xx, not a truncated file) at the
 * cost of holding the export in memory: about 1.5 KB per photo in CSV, so
 * a few MB for most histories. EXPORT_BODY_MAX bounds it. */
#include "err.h"
#include "export.h"
#include "handlers.h"
#include "respond.h"

#include <string.h>
#include <time.h>

#define EXPORT_BODY_MAX (256L * 1024 * 1024)

/* The export callback: append to the response body. */
static int to_body(void *ctx, const char *data, size_t n)
{
	struct req *r = ctx;

	if (r->body.len + n > (size_t)EXPORT_BODY_MAX)
		return ERR_LIMIT;
	buf_append(&r->body, data, n);
	return 0;
}

static void history(struct req *r, enum export_format fmt)
{
	const char *ext = fmt == EXPORT_CSV ? "csv" : "json";
	time_t now = time(NULL);
	char day[16];
	struct tm tm;
	int rc;

	buf_clear(&r->body);
	rc = export_history(&r->app->db, r->sess->user.id, fmt, to_body, r);
	if (rc != 0) {
		buf_clear(&r->body);
		if (rc == ERR_LIMIT)
			respond_error(r, 507,
			              N_("Your history is too large to export in one file."));
		else
			respond_err(r, rc);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	resp_attachment(r, arena_printf(r->a, "hashtagger-history-%s.%s", day, ext));
	r->status = 200;
	r->ctype = fmt == EXPORT_CSV ? "text/csv; charset=utf-8" : "application/json";
}

/* The sidecar's name: the original's name with its extension replaced by
 * .xmp, as Lightroom, Bridge and digiKam look for it. */
static const char *xmp_name(struct req *r, const struct image *im)
{
	const char *name = im->name[0] ? im->name : "photo", *dot = strrchr(name, '.');
	size_t n = dot && dot != name ? (size_t)(dot - name) : strlen(name);

	return arena_printf(r->a, "%.*s.xmp", (int)n, name);
}

static void xmp(struct req *r)
{
	struct image im;
	int rc = images_get(&r->app->db, r->a, &r->sess->user, r->args[0], &im);

	if (rc != 0) { /* someone else's photo is not found, as on its page */
		respond_err(r, rc);
		return;
	}
	buf_clear(&r->body);
	if ((rc = export_xmp(&im, to_body, r)) != 0) {
		buf_clear(&r->body);
		respond_err(r, rc);
		return;
	}
	resp_attachment(r, xmp_name(r, &im));
	r->status = 200;
	r->ctype = "application/rdf+xml";
}

void page_export_history_csv(struct req *r)
{
	history(r, EXPORT_CSV);
}

void page_export_history_json(struct req *r)
{
	history(r, EXPORT_JSON);
}

void page_photo_xmp(struct req *r)
{
	xmp(r);
}

void api_export_history_csv(struct req *r)
{
	history(r, EXPORT_CSV);
}

void api_export_history_json(struct req *r)
{
	history(r, EXPORT_JSON);
}

void api_image_xmp(struct req *r)
{
	xmp(r);
}
