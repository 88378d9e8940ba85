/* export.h: the user's history as CSV and JSON, and an XMP sidecar per
 * photo for photo tools. Everything is written piece by piece through a
 * callback, so the caller decides where the bytes go (a response, a file);
 * the history is read in keyset batches of EXPORT_BATCH photos from one
 * read-only snapshot, and memory stays flat whatever the number of photos.
 *
 * CSV (RFC 4180): a header row, then one row per (photo, hashtag) — a photo
 * without hashtags has one row with the hashtag columns empty — with the
 * columns photo_id, name, created_at, caption, hashtag, source, state,
 * confidence, rank. Records end in CRLF; a field with a comma, a double
 * quote, CR or LF is quoted, quotes doubled, newlines kept inside quotes.
 * Formula injection guard: a text field that begins with = + - @ TAB or CR
 * is written with a leading apostrophe (') so spreadsheets show it as text
 * instead of evaluating it; numeric columns (confidence, rank) never are.
 * Consumers that want the raw value strip one leading apostrophe from such
 * fields (or use the JSON export, which is never altered).
 *
 * JSON: {"exported_at": ISO-8601 UTC, "photos": [{id, name, created_at,
 * caption, width, height, status, hashtags: [{tag, hashtag, source, state,
 * confidence, rank, reason}]}]}, photos newest first, hashtags in rank
 * order, every state included (rejected ones too). */
#ifndef HT_EXPORT_H
#define HT_EXPORT_H

#include "buf.h"
#include "db.h"
#include "images.h"

#include <stddef.h>

#define EXPORT_BATCH 500 /* photos read per query */

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT__MAX };

/* Receives the export in order, n bytes at data (not NUL-terminated).
 * Returns 0 to go on, or a negative enum err to stop: the export function
 * then returns that value. */
typedef int (*export_write_fn)(void *ctx, const char *data, size_t n);

/* One hashtag of a photo as exported. */
struct export_tag {
	const char *tag;        /* CamelCase, no '#' */
	const char *source;     /* object, people, colour, caption, history, user */
	const char *state;      /* suggested, accepted, rejected, added */
	const char *reason;     /* why it was suggested, may be "" */
	const char *confidence; /* 0..1 as text, as PostgreSQL prints the real */
	int rank;
};

/* One photo as exported, with all its hashtags (every state) in rank order. */
struct export_photo {
	const char *id; /* public id */
	const char *name;
	const char *caption;
	const char *created_at; /* ISO-8601 UTC, "2026-11-23T07:13:00Z" */
	const char *status;     /* pending, tagged, failed */
	unsigned width, height;
	const struct export_tag *tags;
	int ntags;
};

/* Append s as one CSV field: quoted when it holds a comma, a double quote,
 * CR or LF, quotes doubled. With guard set, a field beginning with
 * = + - @ TAB or CR gets a leading apostrophe (inside the quotes). */
void export_csv_field(struct buf *out, const char *s, int guard);
/* Append the CSV header record (CRLF-terminated). */
void export_csv_header(struct buf *out);
/* Append the CSV records of one photo: one per hashtag, or one with empty
 * hashtag fields when it has none. Text fields are guarded. */
void export_csv_photo(struct buf *out, const struct export_photo *p);
/* Append one photo as a compact JSON object (the shape above), printed by
 * cJSON. */
void export_json_photo(struct buf *out, const struct export_photo *p);

/* Append s escaped for XML text and attribute values: & < > " ' as
 * entities, CR as &#13; (so it survives parsing), tab and LF as they are;
 * characters XML 1.0 does not allow (other C0 controls, U+FFFE, U+FFFF)
 * and bytes that are not well-formed UTF-8 become U+FFFD. */
void export_xml_escape(struct buf *out, const char *s);

/* Write the XMP sidecar of a photo: an XMP packet whose rdf:Description
 * carries dc:subject (an rdf:Bag of the chosen hashtags without '#': those
 * accepted or added by the user; when there are none, the suggestions —
 * im->tags never holds rejected ones — in im->tags order, i.e. rank order;
 * left out when empty), dc:description (the caption, x-default) when there
 * is one, and xmp:CreateDate. No database access. Returns 0 or what w
 * returned. */
int export_xmp(const struct image *im, export_write_fn w, void *ctx);

/* Write all of owner_id's photos with their hashtags, newest first, as
 * fmt, through w. Reads in keyset batches of EXPORT_BATCH photos inside one
 * REPEATABLE READ, READ ONLY transaction (a consistent snapshot, ended
 * before returning); memory is a private arena reset per batch plus a
 * 64 KiB output buffer. Returns 0, a database error (nothing more is
 * written after it, but earlier pieces may have been), or what w returned. */
int export_history(struct db *db, long long owner_id, enum export_format fmt, export_write_fn w,
                   void *ctx);

#endif
