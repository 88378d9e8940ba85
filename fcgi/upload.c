/* upload.c: receiving an upload (see upload.h). */
#include "upload.h"
#include "dispatch.h"
#include "err.h"
#include "multipart.h"
#include "respond.h"
#include "validate.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <string.h>

#define READ_CHUNK 65536
#define FIELD_MAX 8192
/* the answer when the media disk is full (507) */
static const char NO_ROOM[] = N_("The server has no room left for photos right now.");

struct receiver {
	struct req *r;
	struct upload_result *res;
	struct upload_outcome *cur; /* file part being received */
	struct buf field;           /* text part being received */
	char field_name[MP_NAME_MAX + 1];
	int in_field, csrf_checked;
	const char *csrf; /* the form's csrf field, if it came */
};

static int refuse(struct receiver *rc, int status, const char *why, int err)
{
	if (rc->res->status == 0) {
		rc->res->status = status;
		rc->res->why = why;
	}
	return err;
}

static int on_begin(void *user, const struct mp_part *p)
{
	struct receiver *rc = user;
	struct req *r = rc->r;
	const struct config *cfg = &r->app->cfg;
	struct upload_outcome *o;
	int e;

	if (!p->is_file) {
		snprintf(rc->field_name, sizeof(rc->field_name), "%s", p->name);
		buf_clear(&rc->field);
		rc->in_field = 1;
		return 0;
	}
	if (!rc->csrf_checked) {
		if (!csrf_ok(r, rc->csrf))
			return refuse(
			    rc, 403,
			    N_("This form has expired or did not come from this site. Reload the "
			       "page and try again."),
			    ERR_FORBIDDEN);
		rc->csrf_checked = 1;
	}
	if (p->filename[0] == '\0') /* a file input left empty */
		return 0;
	if (rc->res->n >= cfg->upload_files_max)
		return refuse(rc, 413,
		              arena_printf(r->a, _("Upload at most %d photos at a time."),
		                           cfg->upload_files_max),
		              ERR_LIMIT);
	o = &rc->res->files[rc->res->n++];
	memset(o, 0, sizeof(*o));
	o->tmp.fd = -1;
	o->name = images_display_name(r->a, p->filename);
	if ((e = media_tmp_open(cfg->media, &o->tmp)) != 0)
		return refuse(rc, 500, N_("The photo could not be saved. It has been logged."), e);
	rc->cur = o;
	return 0;
}

static int on_data(void *user, const char *d, size_t n)
{
	struct receiver *rc = user;
	struct upload_outcome *o = rc->cur;
	long max = rc->r->app->cfg.upload_max;
	int e;

	if (rc->in_field) {
		if (rc->field.len + n > FIELD_MAX)
			return refuse(rc, 413, N_("A form field is too long."), ERR_LIMIT);
		buf_append(&rc->field, d, n);
		return 0;
	}
	if (o == NULL || o->skip)
		return 0;
	if (o->tmp.size + n > (unsigned long)max) {
		o->skip = 1;
		o->status = 413;
		o->why = arena_printf(rc->r->a, N_("The file is larger than the limit of %ld MB."),
		                      max / 1000000);
		media_tmp_discard(&o->tmp);
		return 0;
	}
	if ((e = media_tmp_write(&o->tmp, d, n)) != 0)
		return refuse(rc, e == ERR_NOSPACE ? 507 : 500,
		              e == ERR_NOSPACE
		                  ? NO_ROOM
		                  : N_("The photo could not be saved. It has been logged."),
		              e);
	return 0;
}

static int on_end(void *user)
{
	struct receiver *rc = user;
	struct upload_outcome *o = rc->cur;
	const char *why;
	int e;

	if (rc->in_field) {
		char *v =
		    arena_strndup(rc->r->a, rc->field.data ? rc->field.data : "", rc->field.len);
		rc->in_field = 0;
		if (strcmp(rc->field_name, "csrf") == 0) {
			rc->csrf = v;
		} else if (strcmp(rc->field_name, "caption") == 0) {
			if (validate_value(V_TEXT, v, rc->field.len, IMAGES_CAPTION_MAX, &why) != 0)
				return refuse(rc, 400, arena_printf(rc->r->a, why, "caption"),
				              ERR_INVALID);
			rc->res->caption = v;
		}
		return 0;
	}
	rc->cur = NULL;
	if (o == NULL || o->skip)
		return 0;
	if (o->tmp.size == 0) {
		o->status = 422;
		o->why = N_("The file is empty.");
		media_tmp_discard(&o->tmp);
		return 0;
	}
	if ((e = media_tmp_close(&o->tmp)) != 0)
		return refuse(rc, e == ERR_NOSPACE ? 507 : 500,
		              N_("The photo could not be saved. It has been logged."), e);
	return 0;
}

static const struct mp_callbacks callbacks = {on_begin, on_data, on_end};

/* Stream the body through the parser. */
static void receive(struct req *r, struct receiver *rc)
{
	struct upload_result *res = rc->res;
	struct mp_limits lim = {r->app->cfg.upload_files_max + 8, 8};
	struct mp_parser p;
	char *chunk;
	long left = r->content_length;
	int e;

	if (left <= 0) {
		refuse(rc, 400, N_("The upload is empty: choose at least one photo."), 0);
		return;
	}
	if (left > r->app->cfg.upload_body_max) {
		refuse(rc, 413, N_("The upload is larger than this server accepts in one request."),
		       0);
		return;
	}
	if (mp_init(&p, r->content_type, &lim, &callbacks, rc) != 0) {
		refuse(rc, strncmp(r->content_type, "multipart/form-data", 19) ? 415 : 400, p.why,
		       0);
		return;
	}
	chunk = arena_alloc(r->a, READ_CHUNK);
	while (left > 0 && res->status == 0) {
		int want = left < READ_CHUNK ? (int)left : READ_CHUNK;
		int got = FCGX_GetStr(chunk, want, r->fx->in);
		if (got <= 0) {
			refuse(rc, 400, N_("The upload was interrupted."), 0);
			return;
		}
		left -= got;
		if ((e = mp_feed(&p, chunk, (size_t)got)) != 0) {
			refuse(rc, e == ERR_LIMIT ? 413 : 400, p.why, 0);
			return;
		}
	}
	if (res->status == 0 && mp_finish(&p) != 0)
		refuse(rc, 400, p.why, 0);
}

static void ingest(struct req *r, struct upload_outcome *o, const char *caption)
{
	int e =
	    images_ingest(&r->app->db, r->a, &r->app->cfg, &r->sess->user, &o->tmp, o->name,
	                  caption, r->lang->code, &o->img, &o->duplicate, &o->why, &o->retry_after);

	if (e == 0) {
		o->status = o->duplicate ? 200 : 201;
		return;
	}
	o->status = e == ERR_LIMIT ? 422 : http_status(e);
	if (o->status == 507)
		o->why = NO_ROOM;
	else if (o->why == NULL || o->status >= 500)
		o->why = o->status == 503
		             ? N_("The service is briefly unavailable. Please try again.")
		             : N_("The photo could not be saved. It has been logged.");
	if (o->status >= 500)
		fprintf(stderr, "[%s] upload %s: %s\n", r->rid, o->name, err_name(e));
}

/* Hashtags while the upload is still on screen: wait (bounded by
 * tag_wait_ms) for tagd to finish the stored photos, then read them again. */
static void wait_for_tags(struct req *r, struct upload_result *res)
{
	const char **ids = arena_calloc(r->a, (size_t)res->n + 1, sizeof(char *));
	int i, n = 0;

	for (i = 0; i < res->n; i++) {
		struct upload_outcome *o = &res->files[i];
		if ((o->status == 200 || o->status == 201) && strcmp(o->img.status, "pending") == 0)
			ids[n++] = o->img.id;
	}
	if (n == 0 || images_wait_tagged(&r->app->db, r->a, ids, n, r->app->cfg.tag_wait_ms) < 0)
		return;
	for (i = 0; i < res->n; i++) {
		struct upload_outcome *o = &res->files[i];
		struct image fresh;
		if ((o->status == 200 || o->status == 201) &&
		    images_get(&r->app->db, r->a, &r->sess->user, o->img.id, &fresh) == 0)
			o->img = fresh;
	}
}

void upload_run(struct req *r, struct upload_result *res)
{
	struct receiver rc = {.r = r, .res = res};
	int i;

	memset(res, 0, sizeof(*res));
	res->caption = "";
	res->files = arena_calloc(r->a, (size_t)r->app->cfg.upload_files_max, sizeof(*res->files));
	receive(r, &rc);
	buf_free(&rc.field);
	if (res->status == 0 && res->n == 0 && !rc.csrf_checked && !csrf_ok(r, rc.csrf))
		refuse(&rc, 403, N_("This form has expired or did not come from this site."), 0);
	if (res->status == 0 && res->n == 0)
		refuse(&rc, 400, N_("Choose at least one photo to upload."), 0);
	for (i = 0; i < res->n; i++) {
		struct upload_outcome *o = &res->files[i];
		if (res->status == 0 && o->status == 0)
			ingest(r, o, res->caption);
		media_tmp_discard(&o->tmp);
		if (o->status == 200 || o->status == 201)
			res->stored++;
	}
	wait_for_tags(r, res);
}
