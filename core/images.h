/* images.h: photos as the product sees them — ingest (validate, thumbnail,
 * store, record, queue for tagging), history with filters and keyset
 * pagination, lookup with ownership, deletion. Pages and the JSON API call
 * the same functions. */
#ifndef HT_IMAGES_H
#define HT_IMAGES_H

#include "arena.h"
#include "config.h"
#include "db.h"
#include "image.h"
#include "media.h"
#include "users.h"

#define IMAGES_NAME_MAX 255
#define IMAGES_CAPTION_MAX 2000
#define IMAGES_PAGE_MAX 100

/* One hashtag of a photo: why it is there and what the user made of it. */
struct image_tag {
	const char *tag;    /* CamelCase, no '#' */
	const char *source; /* object, people, colour, caption, history, user */
	const char *reason; /* e.g. "cat detected (92%)" */
	const char *state;  /* suggested, accepted, rejected, added */
	double conf;        /* 0..1 */
};

/* Strings are arena-owned. */
struct image {
	const char *id; /* public id */
	const char *sha256;
	const char *mime;
	const char *name; /* original filename, display text only */
	const char *caption;
	const char *status;     /* pending, tagged, failed */
	const char *created_at; /* ISO-8601 UTC */
	unsigned width, height; /* as displayed */
	long long bytes;
	int orientation;
	struct image_tag *tags; /* best first; rejected ones left out */
	int ntags;
	int flagged;           /* NSFW score over the threshold: hidden from shares */
	double nsfw;           /* -1 until tagged */
	const char *tag_error; /* why tagging failed (status "failed"), else NULL */
};

/* The columns images_row reads, from a query over "images i"; key is the
 * caller's sort key (SQL text), read back as column IMAGE_COL_KEY. i.tags is
 * the photo's hashtags as a JSON list, kept by triggers (sql/0013). */
#define IMAGE_COLS(key)                                                                \
	"i.public_id, i.sha256, i.mime, i.original_name, i.caption, i.status, "        \
	"to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
	"i.width, i.height, i.bytes, i.orientation, i.tags, " key ", i.flagged, "      \
	"coalesce(i.nsfw, -1), (SELECT j.last_error FROM tag_jobs j "                  \
	"WHERE j.image_id = i.id AND j.state = 'failed')"
#define IMAGE_COL_KEY 12

/* The keyset sort key of photo lists newest first: creation time in
 * microseconds; a cursor is "US.PUBLICID" of the last row shown. */
#define IMAGES_CURSOR_US "(extract(epoch FROM i.created_at) * 1000000)::bigint"
/* A cursor's two parts (us points into the arena, pid into c), or
 * ERR_INVALID when c is not one this server gave out. */
int images_cursor_parse(struct arena *a, const char *c, const char **us, const char **pid);

/* Fill *im from row r of a query selecting IMAGE_COLS; strings stay in res. */
void images_row(struct arena *a, const struct db_res *res, int r, struct image *im);

struct image_filter {
	const char *from, *to; /* YYYY-MM-DD (UTC days, inclusive) or NULL */
	const char *tag;       /* exact hashtag, with or without '#', or NULL */
	const char *q;         /* text in the filename or caption, or NULL */
	const char *cursor;    /* from a previous page, or NULL */
	int limit;             /* 1..IMAGES_PAGE_MAX */
};

/* The image limits of a configuration. */
struct img_limits images_limits(const struct config *cfg);
/* Every check of an upload before any database work: probe, one full
 * decode, and from it the thumbnail (JPEG, appended to thumb) and the
 * tagger's pixels (longer side at most TAGGER_SIDE; img_rgb_free them).
 * A refusal is ERR_TYPE, ERR_BADDATA or ERR_LIMIT with *why. */
int images_validate(const struct config *cfg, const char *path, struct img_info *info,
                    struct buf *thumb, struct img_rgb *tagpx, const char **why);

/* Make a filename safe to show: last path component, valid UTF-8, no
 * control characters, at most IMAGES_NAME_MAX bytes. Arena-owned. */
const char *images_display_name(struct arena *a, const char *raw);

/* Validate the closed temp file and store it as a photo of owner. The temp
 * file is consumed either way. On a validation failure returns ERR_TYPE,
 * ERR_BADDATA or ERR_LIMIT with *why; ERR_QUOTA / ERR_THROTTLED (*why, and
 * *retry_after seconds for the daily limit) when a quota is reached. When
 * owner already has these exact bytes, out is that photo and *duplicate 1.
 * lang: the interface language of the upload ("en", "es"), for the
 * hashtags' language when the owner chose none (tagd_lang). */
int images_ingest(struct db *db, struct arena *a, const struct config *cfg,
                  const struct user *owner, struct media_tmp *tmp, const char *name,
                  const char *caption, const char *lang, struct image *out, int *duplicate,
                  const char **why, long *retry_after);

/* One page of owner's photos, newest first. *next is the cursor of the
 * following page or NULL at the end. ERR_INVALID for a bad cursor. */
int images_list(struct db *db, struct arena *a, long long owner_id, const struct image_filter *f,
                struct image **items, int *n, const char **next);

/* A photo the viewer may see (their own; any for an admin), else
 * ERR_NOTFOUND — never a hint that someone else's exists. */
int images_get(struct db *db, struct arena *a, const struct user *viewer, const char *public_id,
               struct image *out);

/* Wait up to timeout_ms until none of the photos (public ids, n of them) is
 * still pending in the tagger: LISTEN tag_done, check, sleep on the socket.
 * Returns how many are still pending (0: all done), or a negative err. */
int images_wait_tagged(struct db *db, struct arena *a, const char *const *ids, int n,
                       int timeout_ms);

/* Delete a photo the viewer may see; its files go when no other row uses
 * them. */
int images_delete(struct db *db, struct arena *a, const char *media_root, const struct user *viewer,
                  const char *public_id);

/* The photo re-encoded for download: longer side at most max_side (0 or
 * larger than the photo: full size), JPEG at quality or PNG, upright, with
 * no metadata at all (EXIF and GPS gone). */
int images_render(const struct config *cfg, const struct image *im, int png, unsigned max_side,
                  int quality, struct buf *out, const char **why);

/* Hashes of every file owner's photos use (before deleting an account,
 * to release them afterwards). */
int images_owner_hashes(struct db *db, struct arena *a, long long owner_id, const char ***shas,
                        int *n);

#endif
