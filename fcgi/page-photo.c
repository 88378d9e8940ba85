/* page-photo.c: one photo — its page (/p/ID), delete, export, and the
 * media files themselves (/media/ID/thumb, /media/ID/original), sent by
 * the web server after the owner check here. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "moderation.h"
#include "respond.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

#define EXPORT_MIN 16

/* The photo named in the path, if the viewer may see it; else a 404 is
 * already on its way. */
static int load(struct req *r, struct image *im)
{
	int rc = images_get(&r->app->db, r->a, &r->sess->user, r->args[0], im);

	if (rc != 0)
		respond_err(r, rc);
	return rc;
}

void photo_render(struct req *r, const struct image *im, int status, const char *tag_error,
                  const char *tag_value)
{
	cJSON *ctx = cJSON_CreateObject(), *img = view_image_page(r, im);
	struct mod_outcome m;

	cJSON_AddItemToObject(ctx, "image", img);
	if (moderation_outcome(&r->app->db, r->a, im->id, &m) == 0) {
		cJSON *o = cJSON_AddObjectToObject(ctx, "moderation");
		int removed = strcmp(m.state, "removed") == 0;
		cJSON_AddBoolToObject(o, removed ? "removed" : "approved", 1);
		cJSON_AddStringToObject(o, "reason", m.reason);
		cJSON_AddStringToObject(o, "at", m.at);
		cJSON_AddStringToObject(o, "at_text", i18n_date(r->lang, r->a, m.at));
		if (removed) /* decided: no longer "waiting for a moderator's review" */
			cJSON_ReplaceItemInObject(img, "flagged", cJSON_CreateFalse());
	}
	cJSON_AddNumberToObject(ctx, "long_side", im->width > im->height ? im->width : im->height);
	collections_photo_ctx(r, im->id, ctx); /* the add-to-collection form */
	tags_copy_ctx(r, im, ctx);
	if (tag_error != NULL) {
		cJSON_AddStringToObject(ctx, "add_error", resp_tr(r, tag_error));
		cJSON_AddStringToObject(ctx, "add_value", tag_value ? tag_value : "");
	}
	respond_page(r, status, "photo", im->name[0] ? im->name : _("Photo"), ctx);
}

void page_photo(struct req *r)
{
	struct image im;

	if (load(r, &im) == 0)
		photo_render(r, &im, 200, NULL, NULL);
}

void page_photo_delete(struct req *r)
{
	int rc = images_delete(&r->app->db, r->a, r->app->cfg.media, &r->sess->user, r->args[0]);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	auth_flash(r, "photo_deleted");
	respond_redirect(r, "/history");
}

/* A download name: the original's name with the new extension. */
static const char *export_name(struct req *r, const struct image *im, const char *ext)
{
	const char *name = im->name[0] ? im->name : "photo", *dot = strrchr(name, '.');
	size_t n = dot && dot != name ? (size_t)(dot - name) : strlen(name);

	return arena_printf(r->a, "%.*s.%s", (int)n, name, ext);
}

void page_photo_export(struct req *r)
{
	const char *format = kv_get(&r->params, "format"), *size = kv_get(&r->params, "size"),
	           *quality = kv_get(&r->params, "quality"), *why = NULL;
	int png = format && strcmp(format, "png") == 0,
	    q = quality && *quality ? atoi(quality) : 85;
	long side = size && *size ? atol(size) : 0;
	struct image im;
	int rc;

	if (format && *format && !png && strcmp(format, "jpeg") != 0) {
		respond_error(r, 400, N_("The format must be jpeg or png."));
		return;
	}
	if (q < 1 || q > 100 || (side != 0 && side < EXPORT_MIN) || side > 100000) {
		respond_error(r, 400,
		              N_("The size must be at least 16 px and the quality 1 to 100."));
		return;
	}
	if (load(r, &im) != 0)
		return;
	buf_clear(&r->body);
	rc = images_render(&r->app->cfg, &im, png, (unsigned)side, q, &r->body, &why);
	if (rc != 0) {
		buf_clear(&r->body);
		respond_err(r, rc);
		return;
	}
	resp_attachment(r, export_name(r, &im, png ? "png" : "jpg"));
	r->status = 200;
	r->ctype = png ? "image/png" : "image/jpeg";
}

static void send_media(struct req *r, int thumb)
{
	char abs[4096], rel[160];
	struct image im;

	if (load(r, &im) != 0)
		return;
	media_path(r->app->cfg.media, im.sha256, thumb ? ".jpg" : "", abs, sizeof(abs));
	media_relpath(im.sha256, thumb ? ".jpg" : "", rel, sizeof(rel));
	respond_file(r, abs, rel, thumb ? "image/jpeg" : im.mime,
	             thumb ? NULL : (im.name[0] ? im.name : "photo"),
	             thumb ? "private, max-age=31536000, immutable" : "private, max-age=86400");
}

void media_thumb(struct req *r)
{
	send_media(r, 1);
}

void media_original(struct req *r)
{
	send_media(r, 0);
}
