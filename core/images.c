/* images.c: photos (see images.h). */
#include "images.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "pxcache.h"
#include "tagger/tagger.h"
#include "token.h"
#include "utf8.h"

#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THUMB_QUALITY 82

struct img_limits images_limits(const struct config *cfg)
{
	struct img_limits l = {(uint64_t)cfg->max_pixels, 16000000ull, 8ul << 20};

	if (l.max_interlaced > l.max_pixels)
		l.max_interlaced = l.max_pixels;
	return l;
}

/* images.tags: [[tag, source, reason, state, conf], ...] */
static void parse_tags(struct arena *a, const char *json, struct image *im)
{
	cJSON *arr = cJSON_Parse(json), *row;
	int n = cJSON_GetArraySize(arr);

	im->tags = arena_calloc(a, (size_t)n + 1, sizeof(*im->tags));
	im->ntags = 0;
	cJSON_ArrayForEach(row, arr)
	{
		struct image_tag *t = &im->tags[im->ntags];
		const char *f[4];
		int k;

		for (k = 0; k < 4; k++) {
			f[k] = cJSON_GetStringValue(cJSON_GetArrayItem(row, k));
			if (f[k] == NULL)
				break;
		}
		if (k < 4)
			continue;
		t->tag = arena_strdup(a, f[0]);
		t->source = arena_strdup(a, f[1]);
		t->reason = arena_strdup(a, f[2]);
		t->state = arena_strdup(a, f[3]);
		t->conf = cJSON_GetNumberValue(cJSON_GetArrayItem(row, 4));
		im->ntags++;
	}
	cJSON_Delete(arr);
}

void images_row(struct arena *a, const struct db_res *res, int r, struct image *im)
{
	im->id = db_val(res, r, 0);
	im->sha256 = db_val(res, r, 1);
	im->mime = db_val(res, r, 2);
	im->name = db_val(res, r, 3);
	im->caption = db_val(res, r, 4);
	im->status = db_val(res, r, 5);
	im->created_at = db_val(res, r, 6);
	im->width = (unsigned)db_ll(res, r, 7, 0);
	im->height = (unsigned)db_ll(res, r, 8, 0);
	im->bytes = db_ll(res, r, 9, 0);
	im->orientation = (int)db_ll(res, r, 10, 1);
	parse_tags(a, db_val(res, r, 11), im);
	im->flagged = db_bool(res, r, 13);
	im->nsfw = strtod(db_val(res, r, 14) ? db_val(res, r, 14) : "-1", NULL);
	im->tag_error = db_val(res, r, 15);
}

const char *images_display_name(struct arena *a, const char *raw)
{
	const char *base = raw, *p;
	struct buf b = {0};
	char *out;
	size_t n;

	for (p = raw; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (p = base; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			continue;
		buf_putc(&b, (char)c);
	}
	if (b.len == 0 || !utf8_valid(b.data, b.len)) {
		buf_free(&b);
		return "";
	}
	n = utf8_cut(b.data, b.len, IMAGES_NAME_MAX);
	out = arena_strndup(a, b.data, n);
	buf_free(&b);
	return out;
}

static int get_by(struct db *db, struct arena *a, const char *where, int np, const char *const *p,
                  struct image *out)
{
	struct db_res res;
	int rc = db_query(
	    db, a, &res,
	    arena_printf(a, "SELECT " IMAGE_COLS("0") " FROM images i WHERE %s", where), np, p);

	if (rc != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	images_row(a, &res, 0, out);
	return 0;
}

/* Seconds until the next UTC midnight, when the daily quota resets. */
static long until_utc_midnight(void)
{
	time_t now = time(NULL);

	return 86400 - (long)(now % 86400);
}

static int check_quota(struct db *db, struct arena *a, const struct config *cfg,
                       const struct user *owner, long long size, const char **why,
                       long *retry_after)
{
	static const char sql[] =
	    "SELECT count(*) FILTER (WHERE created_at >= "
	    "date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'), "
	    "coalesce(sum(bytes), 0) FROM images WHERE owner_id = $1";
	const char *p[1] = {arena_printf(a, "%lld", owner->id)};
	struct db_res res;
	int rc;

	if (strcmp(owner->role, "admin") == 0)
		return 0;
	if ((rc = db_query(db, a, &res, sql, 1, p)) != 0)
		return rc;
	if (cfg->quota_uploads_day > 0 && db_ll(&res, 0, 0, 0) >= cfg->quota_uploads_day) {
		*why = arena_printf(a,
		                    N_("You have reached today's limit of %d uploads. It resets at "
		                       "midnight UTC."),
		                    cfg->quota_uploads_day);
		*retry_after = until_utc_midnight();
		return ERR_THROTTLED;
	}
	if (cfg->quota_bytes > 0 && db_ll(&res, 0, 1, 0) + size > cfg->quota_bytes) {
		*why = arena_printf(
		    a,
		    N_("This photo does not fit in your storage quota of %ld MB; delete "
		       "some photos to make room."),
		    cfg->quota_bytes / 1000000);
		return ERR_QUOTA;
	}
	return 0;
}

int images_validate(const struct config *cfg, const char *path, struct img_info *info,
                    struct buf *thumb, struct img_rgb *tagpx, const char **why)
{
	struct img_limits lim = images_limits(cfg);
	unsigned side =
	    (unsigned)cfg->thumb_size > TAGGER_SIDE ? (unsigned)cfg->thumb_size : TAGGER_SIDE;
	struct img_rgb im, small;
	int rc;

	memset(tagpx, 0, sizeof(*tagpx));
	if ((rc = img_probe(path, &lim, info, why)) != 0)
		return rc;
	if ((rc = img_decode_fit(path, info, &lim, side, &im, why)) != 0)
		return rc;
	if ((rc = img_shrink_fit(&im, (unsigned)cfg->thumb_size, &small)) == 0) {
		rc = img_encode_jpeg(&small, THUMB_QUALITY, thumb);
		img_rgb_free(&small);
	}
	if (rc == 0)
		rc = img_shrink_fit(&im, TAGGER_SIDE, tagpx);
	img_rgb_free(&im);
	return rc;
}

static int record(struct db *db, struct arena *a, const struct config *cfg,
                  const struct user *owner, struct media_tmp *tmp, const struct img_info *info,
                  const struct buf *thumb, const char *name, const char *caption, const char *lang,
                  const char *pid, int *duplicate, const char **why, long *retry_after)
{
	static const char sql_lock_user[] = "SELECT 1 FROM users WHERE id = $1 FOR UPDATE";
	static const char sql_insert[] =
	    "WITH img AS (INSERT INTO images (public_id, owner_id, sha256, mime, width, height, "
	    "bytes, orientation, original_name, caption) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id) "
	    "INSERT INTO tag_jobs (image_id, lang) SELECT id, $11 FROM img";
	const char *owner_id = arena_printf(a, "%lld", owner->id);
	const char *p[11] = {pid, owner_id, tmp->sha256};
	struct image dup;
	int rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_query(db, a, NULL, sql_lock_user, 1, &p[1])) != 0)
		return rc;
	rc = get_by(db, a, "i.owner_id = $1 AND i.sha256 = $2", 2, &p[1], &dup);
	if (rc == 0) {
		*duplicate = 1;
		db_rollback(db);
		return 0;
	}
	if (rc != ERR_NOTFOUND)
		return rc;
	if ((rc = check_quota(db, a, cfg, owner, (long long)tmp->size, why, retry_after)) != 0)
		return rc;
	if ((rc = media_lock(db, a, tmp->sha256, 1)) != 0 ||
	    (rc = media_install(cfg->media, tmp)) != 0 ||
	    (rc = media_put(cfg->media, tmp->sha256, ".jpg", thumb->data, thumb->len)) != 0)
		return rc;
	p[3] = info->mime;
	p[4] = arena_printf(a, "%u", info->width);
	p[5] = arena_printf(a, "%u", info->height);
	p[6] = arena_printf(a, "%llu", (unsigned long long)tmp->size);
	p[7] = arena_printf(a, "%d", info->orientation);
	p[8] = name;
	p[9] = caption;
	p[10] = lang;
	if ((rc = db_query(db, a, NULL, sql_insert, 11, p)) != 0 ||
	    (rc = db_query(db, a, NULL, "SELECT pg_notify('tag_jobs', $1)", 1, p)) != 0)
		return rc;
	return db_commit(db);
}

int images_ingest(struct db *db, struct arena *a, const struct config *cfg,
                  const struct user *owner, struct media_tmp *tmp, const char *name,
                  const char *caption, const char *lang, struct image *out, int *duplicate,
                  const char **why, long *retry_after)
{
	struct img_info info;
	struct img_rgb tagpx;
	struct buf thumb = {0};
	char pid[PUBLIC_ID_LEN + 1];
	const char *p[2];
	int rc, handed;

	*duplicate = 0;
	*why = NULL;
	rc = images_validate(cfg, tmp->path, &info, &thumb, &tagpx, why);
	if (rc == 0) {
		/* before the job commits, so tagd finds them (only a cache: no error) */
		if (!(handed = (rc = pxcache_put(cfg->media, tmp->sha256, &tagpx)) == 0))
			fprintf(stderr, "pxcache: %s: %s; tagd will decode the original\n",
			        tmp->sha256, err_name(rc));
		public_id_new(pid);
		rc = record(db, a, cfg, owner, tmp, &info, &thumb, name, caption, lang, pid,
		            duplicate, why, retry_after);
		db_rollback(db);
		if (rc != 0) /* files installed for a row that never came */
			media_release(db, a, cfg->media, tmp->sha256);
		if (handed && (rc != 0 || *duplicate))
			pxcache_drop(cfg->media, tmp->sha256);
	}
	img_rgb_free(&tagpx);
	buf_free(&thumb);
	media_tmp_discard(tmp);
	if (rc != 0)
		return rc;
	p[0] = arena_printf(a, "%lld", owner->id);
	p[1] = *duplicate ? tmp->sha256 : pid;
	return get_by(db, a,
	              *duplicate ? "i.owner_id = $1 AND i.sha256 = $2"
	                         : "i.owner_id = $1 AND i.public_id = $2",
	              2, p, out);
}

/* "<microseconds since the epoch>.<public id>" */
int images_cursor_parse(struct arena *a, const char *c, const char **us, const char **pid)
{
	const char *dot = strchr(c, '.');
	size_t i, n;

	if (dot == NULL || dot == c || dot - c > 19 || !public_id_valid(dot + 1))
		return ERR_INVALID;
	n = (size_t)(dot - c);
	for (i = 0; i < n; i++)
		if (c[i] < '0' || c[i] > '9')
			return ERR_INVALID;
	*us = arena_strndup(a, c, n);
	*pid = dot + 1;
	return 0;
}

/* ILIKE pattern matching q literally anywhere. */
static const char *like_pattern(struct arena *a, const char *q)
{
	struct buf b = {0};
	const char *out;

	buf_putc(&b, '%');
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *q);
	}
	buf_putc(&b, '%');
	out = arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}

int images_list(struct db *db, struct arena *a, long long owner_id, const struct image_filter *f,
                struct image **items, int *n, const char **next)
{
	/* Only the filters in use are in the statement, so the plan prepared
	 * for each combination uses the keyset index for every page. */
	const char *p[8] = {arena_printf(a, "%lld", owner_id)};
	int limit = f->limit < 1 ? 24 : f->limit > IMAGES_PAGE_MAX ? IMAGES_PAGE_MAX : f->limit;
	int np = 1, rc, i;
	struct db_res res;
	struct buf sql = {0};
	const char *t = f->tag && *f->tag ? f->tag + (f->tag[0] == '#') : "";

	*items = NULL;
	*n = 0;
	*next = NULL;
	buf_puts(&sql,
	         "SELECT " IMAGE_COLS(IMAGES_CURSOR_US) " FROM images i WHERE i.owner_id = $1");
	if (f->cursor && *f->cursor) {
		if (images_cursor_parse(a, f->cursor, &p[np], &p[np + 1]) != 0) {
			buf_free(&sql);
			return ERR_INVALID;
		}
		buf_printf(&sql,
		           " AND (i.created_at, i.public_id) < ('epoch'::timestamptz + $%d::bigint"
		           " * interval '1 microsecond', $%d)",
		           np + 1, np + 2);
		np += 2;
	}
	if (f->from && *f->from) {
		p[np++] = f->from;
		buf_printf(&sql, " AND i.created_at >= $%d::date::timestamp AT TIME ZONE 'UTC'",
		           np);
	}
	if (f->to && *f->to) {
		p[np++] = f->to;
		buf_printf(&sql,
		           " AND i.created_at < ($%d::date + 1)::timestamp AT TIME ZONE 'UTC'", np);
	}
	if (*t) {
		p[np++] = t;
		buf_printf(&sql,
		           " AND EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id"
		           " AND lower(t.tag) = lower($%d) AND t.state <> 'rejected')",
		           np);
	}
	if (f->q && *f->q) {
		p[np++] = like_pattern(a, f->q);
		buf_printf(&sql, " AND (i.original_name ILIKE $%d OR i.caption ILIKE $%d)", np, np);
	}
	p[np++] = arena_printf(a, "%d", limit + 1);
	buf_printf(&sql, " ORDER BY i.created_at DESC, i.public_id DESC LIMIT $%d", np);
	rc = db_query(db, a, &res, sql.data, np, p);
	buf_free(&sql);
	if (rc != 0)
		return rc;
	*n = res.nrows > limit ? limit : res.nrows;
	*items = arena_calloc(a, (size_t)*n + 1, sizeof(struct image));
	for (i = 0; i < *n; i++)
		images_row(a, &res, i, &(*items)[i]);
	if (res.nrows > limit)
		*next = arena_printf(a, "%s.%s", db_val(&res, limit - 1, IMAGE_COL_KEY),
		                     db_val(&res, limit - 1, 0));
	return 0;
}

int images_get(struct db *db, struct arena *a, const struct user *viewer, const char *public_id,
               struct image *out)
{
	const char *p[3] = {public_id, arena_printf(a, "%lld", viewer->id),
	                    strcmp(viewer->role, "admin") == 0 ? "t" : "f"};

	if (!public_id_valid(public_id))
		return ERR_NOTFOUND;
	return get_by(db, a, "i.public_id = $1 AND (i.owner_id = $2 OR $3::boolean)", 3, p, out);
}

int images_delete(struct db *db, struct arena *a, const char *media_root, const struct user *viewer,
                  const char *public_id)
{
	static const char sql[] = "DELETE FROM images WHERE public_id = $1 AND "
	                          "(owner_id = $2 OR $3::boolean) RETURNING sha256";
	const char *p[3] = {public_id, arena_printf(a, "%lld", viewer->id),
	                    strcmp(viewer->role, "admin") == 0 ? "t" : "f"};
	struct db_res res;
	int rc;

	if (!public_id_valid(public_id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 3, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	/* the row is gone; a failure here leaves an orphan for media_gc */
	if (media_release(db, a, media_root, db_val(&res, 0, 0)) != 0)
		fprintf(stderr, "media: could not release %s; media_gc will\n", db_val(&res, 0, 0));
	return 0;
}

int images_owner_hashes(struct db *db, struct arena *a, long long owner_id, const char ***shas,
                        int *n)
{
	const char *p[1] = {arena_printf(a, "%lld", owner_id)};
	struct db_res res;
	int rc, i;

	*n = 0;
	if ((rc = db_query(db, a, &res, "SELECT DISTINCT sha256 FROM images WHERE owner_id = $1", 1,
	                   p)) != 0)
		return rc;
	*shas = arena_calloc(a, (size_t)res.nrows + 1, sizeof(char *));
	for (i = 0; i < res.nrows; i++)
		(*shas)[i] = db_val(&res, i, 0);
	*n = res.nrows;
	return 0;
}

int images_render(const struct config *cfg, const struct image *im, int png, unsigned max_side,
                  int quality, struct buf *out, const char **why)
{
	struct img_limits lim = images_limits(cfg);
	struct img_info info;
	struct img_rgb rgb;
	char path[PATH_MAX];
	int rc;

	media_path(cfg->media, im->sha256, "", path, sizeof(path));
	if ((rc = img_probe(path, &lim, &info, why)) != 0 ||
	    (rc = img_decode_fit(path, &info, &lim, max_side, &rgb, why)) != 0)
		return rc;
	rc = png ? img_encode_png(&rgb, out) : img_encode_jpeg(&rgb, quality, out);
	img_rgb_free(&rgb);
	return rc;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int images_wait_tagged(struct db *db, struct arena *a, const char *const *ids, int n,
                       int timeout_ms)
{
	static const char pending_sql[] =
	    "SELECT count(*) FROM images WHERE public_id = ANY($1::text[]) AND status = 'pending'";
	struct buf arr = {0};
	struct db_res res;
	char ch[64], payload[64];
	long long deadline = mono_ms() + timeout_ms, left = 0;
	int i, rc;

	if (n == 0 || timeout_ms <= 0)
		return n;
	/* public ids are [A-Za-z0-9_-]{16}: safe inside an array literal */
	buf_puts(&arr, "{");
	for (i = 0; i < n; i++)
		buf_printf(&arr, "%s%s", i ? "," : "", ids[i]);
	buf_puts(&arr, "}");
	{
		const char *p[] = {arr.data};
		if ((rc = db_query(db, a, NULL, "LISTEN tag_done", 0, NULL)) != 0)
			goto out;
		for (;;) {
			if ((rc = db_query(db, a, &res, pending_sql, 1, p)) != 0)
				goto out;
			left = db_ll(&res, 0, 0, n);
			if (left == 0 || mono_ms() >= deadline)
				break;
			if (db_notify_wait(db, (int)(deadline - mono_ms()), ch, sizeof(ch), payload,
			                   sizeof(payload)) < 0)
				break;
		}
		db_query(db, a, NULL, "UNLISTEN tag_done", 0, NULL);
		while (db_notify_wait(db, 0, ch, sizeof(ch), payload, sizeof(payload)) == 1)
			;
		rc = (int)left;
	}
out:
	buf_free(&arr);
	return rc;
}
