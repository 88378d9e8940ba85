/* export.c: history as CSV and JSON, XMP sidecars (see export.h). */
#include "export.h"
#include "err.h"
#include "hashtags.h"
#include "utf8.h"

#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (64 * 1024)      /* output buffered before each write call */
#define HASHTAG_MAX (4 * 100 + 2) /* '#' + a 100-character tag in UTF-8 + NUL */

/* ---- CSV ------------------------------------------------------------------ */

void export_csv_field(struct buf *out, const char *s, int guard)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		buf_putc(out, '"');
	if (guard && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(out, '"');
		buf_putc(out, *s);
	}
	if (quote)
		buf_putc(out, '"');
}

void export_csv_header(struct buf *out)
{
	buf_puts(out, "photo_id,name,created_at,caption,hashtag,source,state,confidence,rank\r\n");
}

void export_csv_photo(struct buf *out, const struct export_photo *p)
{
	char hashtag[HASHTAG_MAX];
	int i = 0;

	do {
		const struct export_tag *t = i < p->ntags ? &p->tags[i] : NULL;

		export_csv_field(out, p->id, 1);
		buf_putc(out, ',');
		export_csv_field(out, p->name, 1);
		buf_putc(out, ',');
		export_csv_field(out, p->created_at, 1);
		buf_putc(out, ',');
		export_csv_field(out, p->caption, 1);
		buf_putc(out, ',');
		if (t != NULL) {
			export_csv_field(out, tag_format(t->tag, 1, hashtag, sizeof(hashtag)), 1);
			buf_putc(out, ',');
			export_csv_field(out, t->source, 1);
			buf_putc(out, ',');
			export_csv_field(out, t->state, 1);
			/* numbers: never guarded, a negative rank stays a number */
			buf_printf(out, ",%s,%d", t->confidence, t->rank);
		} else {
			buf_puts(out, ",,,,");
		}
		buf_puts(out, "\r\n");
	} while (++i < p->ntags);
}

/* ---- JSON ----------------------------------------------------------------- */

void export_json_photo(struct buf *out, const struct export_photo *p)
{
	cJSON *o = cJSON_CreateObject(), *tags;
	char hashtag[HASHTAG_MAX], *s;
	int i;

	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "created_at", p->created_at);
	cJSON_AddStringToObject(o, "caption", p->caption);
	cJSON_AddNumberToObject(o, "width", p->width);
	cJSON_AddNumberToObject(o, "height", p->height);
	cJSON_AddStringToObject(o, "status", p->status);
	tags = cJSON_AddArrayToObject(o, "hashtags");
	for (i = 0; i < p->ntags; i++) {
		const struct export_tag *t = &p->tags[i];
		cJSON *j = cJSON_CreateObject();

		cJSON_AddStringToObject(j, "tag", t->tag);
		cJSON_AddStringToObject(j, "hashtag",
		                        tag_format(t->tag, 1, hashtag, sizeof(hashtag)));
		cJSON_AddStringToObject(j, "source", t->source);
		cJSON_AddStringToObject(j, "state", t->state);
		cJSON_AddNumberToObject(j, "confidence", strtod(t->confidence, NULL));
		cJSON_AddNumberToObject(j, "rank", t->rank);
		cJSON_AddStringToObject(j, "reason", t->reason);
		cJSON_AddItemToArray(tags, j);
	}
	s = cJSON_PrintUnformatted(o);
	if (s == NULL)
		abort(); /* out of memory, as everywhere else in this process */
	buf_puts(out, s);
	cJSON_free(s);
	cJSON_Delete(o);
}

/* ---- XML / XMP ------------------------------------------------------------ */

/* Bytes of the UTF-8 sequence a lead byte announces, 0 if it cannot lead. */
static size_t seq_len(unsigned char c)
{
	return c >= 0xC2 && c <= 0xDF   ? 2
	       : c >= 0xE0 && c <= 0xEF ? 3
	       : c >= 0xF0 && c <= 0xF4 ? 4
	                                : 0;
}

void export_xml_escape(struct buf *out, const char *s)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		switch (c) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&apos;"); break;
		case '\r': buf_puts(out, "&#13;"); break;
		case '\t':
		case '\n': buf_putc(out, (char)c); break;
		default:
			if (c < 0x20) {
				buf_puts(out, replacement);
				break;
			}
			if (c < 0x80) {
				buf_putc(out, (char)c);
				break;
			}
			n = seq_len(c);
			if (n == 0 || strnlen(s, n) < n || !utf8_valid(s, n)) {
				buf_puts(out, replacement); /* one per bad byte */
				s++;
				continue;
			}
			if (n == 3 && memcmp(s, "\xEF\xBF", 2) == 0 && (unsigned char)s[2] >= 0xBE)
				buf_puts(out, replacement); /* U+FFFE, U+FFFF */
			else
				buf_append(out, s, n);
			s += n;
			continue;
		}
		s++;
	}
}

static int is_chosen(const struct image_tag *t)
{
	return strcmp(t->state, "accepted") == 0 || strcmp(t->state, "added") == 0;
}

int export_xmp(const struct image *im, export_write_fn w, void *ctx)
{
	struct buf b = {0};
	int i, chosen = 0, listed = 0, rc;

	for (i = 0; i < im->ntags; i++)
		chosen += is_chosen(&im->tags[i]);
	buf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	             "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	             " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	             "  <rdf:Description rdf:about=\"\"\n"
	             "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	             "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
	             "   <xmp:CreateDate>");
	export_xml_escape(&b, im->created_at);
	buf_puts(&b, "</xmp:CreateDate>\n");
	if (im->caption != NULL && im->caption[0] != '\0') {
		buf_puts(&b, "   <dc:description>\n"
		             "    <rdf:Alt>\n"
		             "     <rdf:li xml:lang=\"x-default\">");
		export_xml_escape(&b, im->caption);
		buf_puts(&b, "</rdf:li>\n"
		             "    </rdf:Alt>\n"
		             "   </dc:description>\n");
	}
	for (i = 0; i < im->ntags; i++) {
		const struct image_tag *t = &im->tags[i];

		if (strcmp(t->state, "rejected") == 0 || (chosen > 0 && !is_chosen(t)))
			continue;
		if (listed++ == 0)
			buf_puts(&b, "   <dc:subject>\n"
			             "    <rdf:Bag>\n");
		buf_puts(&b, "     <rdf:li>");
		export_xml_escape(&b, t->tag);
		buf_puts(&b, "</rdf:li>\n");
	}
	if (listed > 0)
		buf_puts(&b, "    </rdf:Bag>\n"
		             "   </dc:subject>\n");
	buf_puts(&b, "  </rdf:Description>\n"
	             " </rdf:RDF>\n"
	             "</x:xmpmeta>\n"
	             "<?xpacket end=\"w\"?>\n");
	rc = w(ctx, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* ---- history -------------------------------------------------------------- */

static const char sql_snapshot[] = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
static const char sql_now[] =
    "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/* One batch of photos after the cursor ($2 microseconds since the epoch,
 * $3 public id; both NULL for the first), one row per (photo, hashtag). */
static const char sql_batch[] =
    "WITH p AS (SELECT i.id, i.public_id, i.original_name, i.caption, i.created_at, i.width,"
    "  i.height, i.status FROM images i WHERE i.owner_id = $1"
    "  AND ($2::bigint IS NULL OR (i.created_at, i.public_id) <"
    "       ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3))"
    "  ORDER BY i.created_at DESC, i.public_id DESC LIMIT $4)"
    " SELECT p.public_id, p.original_name, p.caption,"
    "  to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  p.width, p.height, p.status, (extract(epoch FROM p.created_at) * 1000000)::bigint,"
    "  t.tag, t.source, t.state, t.confidence, t.rank, t.reason"
    " FROM p LEFT JOIN image_tags t ON t.image_id = p.id"
    " ORDER BY p.created_at DESC, p.public_id DESC, t.rank, t.tag";

enum {
	C_ID,
	C_NAME,
	C_CAPTION,
	C_CREATED,
	C_WIDTH,
	C_HEIGHT,
	C_STATUS,
	C_CURSOR_US,
	C_TAG,
	C_SOURCE,
	C_STATE,
	C_CONF,
	C_RANK,
	C_REASON,
};

struct writer {
	export_write_fn w;
	void *ctx;
	struct buf out;
	enum export_format fmt;
	long photos; /* written so far */
};

static int flush(struct writer *wr, int force)
{
	int rc = 0;

	if (wr->out.len > 0 && (force || wr->out.len >= FLUSH_AT)) {
		rc = wr->w(wr->ctx, wr->out.data, wr->out.len);
		buf_clear(&wr->out);
	}
	return rc;
}

static const char *str(const struct db_res *res, int row, int col)
{
	const char *v = db_val(res, row, col);

	return v ? v : "";
}

/* The photo whose rows start at row; returns the row after them. */
static int take_photo(struct arena *a, const struct db_res *res, int row, struct export_photo *p)
{
	const char *id = str(res, row, C_ID);
	struct export_tag *tags;
	int end = row, n = 0;

	while (end < res->nrows && strcmp(str(res, end, C_ID), id) == 0)
		end++;
	p->id = id;
	p->name = str(res, row, C_NAME);
	p->caption = str(res, row, C_CAPTION);
	p->created_at = str(res, row, C_CREATED);
	p->status = str(res, row, C_STATUS);
	p->width = (unsigned)db_ll(res, row, C_WIDTH, 0);
	p->height = (unsigned)db_ll(res, row, C_HEIGHT, 0);
	tags = arena_calloc(a, (size_t)(end - row) + 1, sizeof(*tags));
	for (; row < end; row++) {
		if (db_val(res, row, C_TAG) == NULL) /* LEFT JOIN: no hashtags */
			continue;
		tags[n].tag = str(res, row, C_TAG);
		tags[n].source = str(res, row, C_SOURCE);
		tags[n].state = str(res, row, C_STATE);
		tags[n].confidence = db_val(res, row, C_CONF) ? db_val(res, row, C_CONF) : "0";
		tags[n].rank = (int)db_ll(res, row, C_RANK, 0);
		tags[n].reason = str(res, row, C_REASON);
		n++;
	}
	p->tags = tags;
	p->ntags = n;
	return end;
}

static int head(struct writer *wr, struct db *db, struct arena *a)
{
	struct db_res res;
	cJSON *o;
	char *s;
	int rc;

	if (wr->fmt == EXPORT_CSV) {
		export_csv_header(&wr->out);
		return 0;
	}
	if ((rc = db_query(db, a, &res, sql_now, 0, NULL)) != 0)
		return rc;
	/* {"exported_at":"…"} printed by cJSON, opened up for the photos */
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "exported_at", str(&res, 0, 0));
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (s == NULL)
		abort();
	buf_append(&wr->out, s, strlen(s) - 1);
	buf_puts(&wr->out, ",\"photos\":[");
	cJSON_free(s);
	return 0;
}

/* Write one batch; *nphotos is how many photos it held and cursor_us /
 * cursor_id the last one's keyset position. */
static int batch(struct writer *wr, struct db *db, struct arena *a, const char *owner,
                 char *cursor_us, char *cursor_id, size_t cursor_len, int *nphotos)
{
	const char *p[4] = {owner, cursor_us[0] ? cursor_us : NULL, cursor_id[0] ? cursor_id : NULL,
	                    arena_printf(a, "%d", EXPORT_BATCH)};
	struct export_photo ph;
	struct db_res res;
	int row = 0, last = -1, rc;

	*nphotos = 0;
	if ((rc = db_query(db, a, &res, sql_batch, 4, p)) != 0)
		return rc;
	while (row < res.nrows) {
		last = row;
		row = take_photo(a, &res, row, &ph);
		if (wr->fmt == EXPORT_CSV) {
			export_csv_photo(&wr->out, &ph);
		} else {
			if (wr->photos > 0)
				buf_putc(&wr->out, ',');
			export_json_photo(&wr->out, &ph);
		}
		wr->photos++;
		(*nphotos)++;
		if ((rc = flush(wr, 0)) != 0)
			return rc;
	}
	if (last >= 0) {
		snprintf(cursor_us, cursor_len, "%s", str(&res, last, C_CURSOR_US));
		snprintf(cursor_id, cursor_len, "%s", str(&res, last, C_ID));
	}
	return 0;
}

int export_history(struct db *db, long long owner_id, enum export_format fmt, export_write_fn w,
                   void *ctx)
{
	struct writer wr = {w, ctx, {0}, fmt, 0};
	struct arena a;
	char owner[24], cursor_us[32] = "", cursor_id[32] = "";
	int rc, n;

	arena_init(&a, 0);
	snprintf(owner, sizeof(owner), "%lld", owner_id);
	if ((rc = db_begin(db)) != 0 || (rc = db_query(db, &a, NULL, sql_snapshot, 0, NULL)) != 0 ||
	    (rc = head(&wr, db, &a)) != 0)
		goto out;
	do {
		arena_reset(&a); /* the previous batch's rows; the cursor is copied out */
		if ((rc = batch(&wr, db, &a, owner, cursor_us, cursor_id, sizeof(cursor_id), &n)) !=
		    0)
			goto out;
	} while (n == EXPORT_BATCH);
	if (fmt == EXPORT_JSON)
		buf_puts(&wr.out, "]}\n");
	if ((rc = flush(&wr, 1)) != 0)
		goto out;
	rc = db_commit(db);
out:
	db_rollback(db);
	buf_free(&wr.out);
	arena_free(&a);
	return rc;
}
