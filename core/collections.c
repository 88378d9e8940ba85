/* collections.c: folders of photos and share links (see collections.h). */
#include "collections.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "utf8.h"

#include <cJSON.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ISO-8601 UTC text of a timestamptz: "to_char(x AT TIME ZONE 'UTC', " ISO ")" */
#define ISO "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"

/* Columns of struct collection, in row_collection order. */
#define COLL_TIMES                                            \
	"to_char(c.created_at AT TIME ZONE 'UTC', " ISO "), " \
	"to_char(c.updated_at AT TIME ZONE 'UTC', " ISO "), " \
	"to_char(c.shared_at AT TIME ZONE 'UTC', " ISO "), "
#define COLL_COLS                                                                            \
	"c.id, c.public_id, c.name, " COLL_TIMES                                             \
	"(SELECT count(*) FROM collection_images ci WHERE ci.collection_id = c.id), "        \
	"(SELECT i.public_id FROM collection_images ci JOIN images i ON i.id = ci.image_id " \
	"WHERE ci.collection_id = c.id ORDER BY ci.position LIMIT 1)"

/* What a share link shows of a photo: the hashtags the owner accepted or
 * added, or when there are none, the suggestions not rejected. */
#define SHARED_COLS                                                                  \
	"i.public_id, i.original_name, i.caption, "                                  \
	"coalesce((SELECT json_agg(t.tag ORDER BY t.rank, t.tag) FROM image_tags t " \
	"WHERE t.image_id = i.id AND (t.state IN ('accepted', 'added') OR "          \
	"(t.state = 'suggested' AND NOT EXISTS (SELECT 1 FROM image_tags u "         \
	"WHERE u.image_id = i.id AND u.state IN ('accepted', 'added'))))), '[]'), "  \
	"ci.position"
#define SHARED_COL_POS 4

static const char *ll(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static void row_collection(const struct db_res *res, int r, struct collection *c)
{
	c->key = db_ll(res, r, 0, 0);
	c->id = db_val(res, r, 1);
	c->name = db_val(res, r, 2);
	c->created_at = db_val(res, r, 3);
	c->updated_at = db_val(res, r, 4);
	c->shared_at = db_val(res, r, 5);
	c->count = db_ll(res, r, 6, 0);
	c->cover = db_val(res, r, 7);
	c->has_image = res->ncols > 8 ? db_bool(res, r, 8) : 0;
}

static void row_shared(struct arena *a, const struct db_res *res, int r, struct shared_photo *p)
{
	cJSON *arr = cJSON_Parse(db_val(res, r, 3) ? db_val(res, r, 3) : "[]"), *it;

	p->id = db_val(res, r, 0);
	p->name = db_val(res, r, 1);
	p->caption = db_val(res, r, 2);
	p->tags = arena_calloc(a, (size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
	p->ntags = 0;
	cJSON_ArrayForEach(it, arr)
	{
		if (cJSON_IsString(it))
			p->tags[p->ntags++] = arena_strdup(a, it->valuestring);
	}
	cJSON_Delete(arr);
}

int collections_name_check(struct arena *a, const char *raw, const char **norm, const char **why)
{
	const char *s = raw ? raw : "", *e;
	size_t n, i, chars = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - s);
	*why = N_("Give the collection a name.");
	if (n == 0)
		return ERR_INVALID;
	*why = N_("The name must be text on one line.");
	if (!utf8_valid(s, n))
		return ERR_INVALID;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return ERR_INVALID;
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	*why = N_("The name can have at most 100 characters.");
	if (chars > COLLECTION_NAME_MAX)
		return ERR_INVALID;
	*why = NULL;
	*norm = arena_strndup(a, s, n);
	return 0;
}

int collections_get(struct db *db, struct arena *a, long long owner_id, const char *id,
                    struct collection *out)
{
	static const char sql[] =
	    "SELECT " COLL_COLS " FROM collections c WHERE c.public_id = $1 AND c.owner_id = $2";
	const char *p[2] = {id, ll(a, owner_id)};
	struct db_res res;
	int rc;

	if (id == NULL || !public_id_valid(id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	row_collection(&res, 0, out);
	return 0;
}

int collections_create(struct db *db, struct arena *a, long long owner_id, const char *name,
                       struct collection *out, const char **why)
{
	static const char sql[] = "INSERT INTO collections (public_id, owner_id, name) "
	                          "VALUES ($1, $2, $3)";
	char pid[PUBLIC_ID_LEN + 1];
	const char *p[3];
	int rc;

	if ((rc = collections_name_check(a, name, &p[2], why)) != 0)
		return rc;
	public_id_new(pid);
	p[0] = pid;
	p[1] = ll(a, owner_id);
	rc = db_query(db, a, NULL, sql, 3, p);
	if (rc == ERR_CONFLICT)
		*why = N_("You already have a collection with this name.");
	if (rc != 0)
		return rc;
	return collections_get(db, a, owner_id, pid, out);
}

int collections_rename(struct db *db, struct arena *a, long long owner_id, const char *id,
                       const char *name, struct collection *out, const char **why)
{
	static const char sql[] = "UPDATE collections SET name = $3, updated_at = now() "
	                          "WHERE public_id = $1 AND owner_id = $2";
	const char *p[3] = {id, ll(a, owner_id)};
	struct db_res res;
	int rc;

	*why = NULL;
	if (id == NULL || !public_id_valid(id))
		return ERR_NOTFOUND;
	if ((rc = collections_name_check(a, name, &p[2], why)) != 0)
		return rc;
	rc = db_query(db, a, &res, sql, 3, p);
	if (rc == ERR_CONFLICT)
		*why = N_("You already have a collection with this name.");
	if (rc != 0)
		return rc;
	if (res.affected == 0)
		return ERR_NOTFOUND;
	return out ? collections_get(db, a, owner_id, id, out) : 0;
}

int collections_delete(struct db *db, struct arena *a, long long owner_id, const char *id)
{
	static const char sql[] = "DELETE FROM collections WHERE public_id = $1 AND owner_id = $2";
	const char *p[2] = {id, ll(a, owner_id)};
	struct db_res res;
	int rc;

	if (id == NULL || !public_id_valid(id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	return res.affected == 0 ? ERR_NOTFOUND : 0;
}

int collections_add(struct db *db, struct arena *a, long long owner_id, const char *id,
                    const char *image_id, int *added)
{
	static const char sql_coll[] = "SELECT id FROM collections WHERE public_id = $1 "
	                               "AND owner_id = $2 FOR UPDATE";
	static const char sql_image[] = "SELECT id FROM images WHERE public_id = $1 "
	                                "AND owner_id = $2";
	/* the collection row is locked: max(position) + 1 is ours alone */
	static const char sql_insert[] =
	    "INSERT INTO collection_images (collection_id, image_id, position) "
	    "SELECT $1, $2, coalesce(max(position), 0) + 1 FROM collection_images "
	    "WHERE collection_id = $1 ON CONFLICT (collection_id, image_id) DO NOTHING";
	static const char sql_touch[] = "UPDATE collections SET updated_at = now() WHERE id = $1";
	const char *owner = ll(a, owner_id), *coll_key, *p[2];
	struct db_res res;
	int rc;

	*added = 0;
	if (id == NULL || image_id == NULL || !public_id_valid(id) || !public_id_valid(image_id))
		return ERR_NOTFOUND;
	if ((rc = db_begin(db)) != 0)
		return rc;
	p[0] = id;
	p[1] = owner;
	if ((rc = db_query(db, a, &res, sql_coll, 2, p)) != 0)
		goto out;
	rc = ERR_NOTFOUND;
	if (res.nrows == 0)
		goto out;
	p[0] = image_id;
	p[1] = owner;
	coll_key = db_val(&res, 0, 0);
	if ((rc = db_query(db, a, &res, sql_image, 2, p)) != 0)
		goto out;
	rc = ERR_NOTFOUND;
	if (res.nrows == 0)
		goto out;
	p[0] = coll_key;
	p[1] = db_val(&res, 0, 0);
	if ((rc = db_query(db, a, &res, sql_insert, 2, p)) != 0)
		goto out;
	*added = res.affected > 0;
	if (*added && (rc = db_query(db, a, NULL, sql_touch, 1, p)) != 0)
		goto out;
	rc = db_commit(db);
out:
	db_rollback(db);
	if (rc != 0)
		*added = 0;
	return rc;
}

int collections_remove(struct db *db, struct arena *a, long long owner_id, const char *id,
                       const char *image_id)
{
	static const char sql[] =
	    "WITH gone AS (DELETE FROM collection_images ci USING collections c, images i "
	    "WHERE c.public_id = $1 AND c.owner_id = $3 AND ci.collection_id = c.id "
	    "AND i.public_id = $2 AND ci.image_id = i.id RETURNING ci.collection_id) "
	    "UPDATE collections SET updated_at = now() WHERE id IN (SELECT collection_id FROM "
	    "gone)";
	const char *p[3] = {id, image_id, ll(a, owner_id)};
	struct db_res res;
	int rc;

	if (id == NULL || image_id == NULL || !public_id_valid(id) || !public_id_valid(image_id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 3, p)) != 0)
		return rc;
	return res.affected == 0 ? ERR_NOTFOUND : 0;
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

int collections_list(struct db *db, struct arena *a, long long owner_id,
                     const struct collection_filter *f, struct collection **items, int *n)
{
	static const char sql[] =
	    "SELECT " COLL_COLS ", ($4::text IS NOT NULL AND EXISTS (SELECT 1 "
	    "FROM collection_images ci JOIN images i ON i.id = ci.image_id "
	    "WHERE ci.collection_id = c.id AND i.public_id = $4)) "
	    "FROM collections c WHERE c.owner_id = $1"
	    " AND ($2::text IS NULL OR c.name ILIKE $2)"
	    " AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM collection_images ci"
	    "      JOIN image_tags t ON t.image_id = ci.image_id WHERE ci.collection_id = c.id"
	    "      AND lower(t.tag) = lower($3) AND t.state <> 'rejected'))"
	    " ORDER BY lower(c.name), c.id LIMIT $5";
	const char *p[5] = {ll(a, owner_id)};
	struct db_res res;
	int rc, i;

	*items = NULL;
	*n = 0;
	if (f != NULL) {
		if (f->q && *f->q)
			p[1] = like_pattern(a, f->q);
		if (f->tag && *f->tag) {
			const char *t = f->tag[0] == '#' ? f->tag + 1 : f->tag;
			p[2] = *t ? t : NULL;
		}
		p[3] = f->image;
	}
	p[4] = ll(a, COLLECTIONS_LIST_MAX);
	if ((rc = db_query(db, a, &res, sql, 5, p)) != 0)
		return rc;
	*items = arena_calloc(a, (size_t)res.nrows + 1, sizeof(struct collection));
	for (i = 0; i < res.nrows; i++)
		row_collection(&res, i, &(*items)[i]);
	*n = res.nrows;
	return 0;
}

int collections_for_image(struct db *db, struct arena *a, long long owner_id, const char *image_id,
                          struct collection **items, int *n)
{
	static const char sql[] = "SELECT 1 FROM images WHERE public_id = $1 AND owner_id = $2";
	const char *p[2] = {image_id, ll(a, owner_id)};
	struct collection_filter f = {NULL, NULL, image_id};
	struct db_res res;
	int rc;

	*items = NULL;
	*n = 0;
	if (image_id == NULL || !public_id_valid(image_id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	return collections_list(db, a, owner_id, &f, items, n);
}

/* A page cursor is the position of the page's last photo. */
static int parse_cursor(const char *c, const char **pos)
{
	size_t i, n = c ? strlen(c) : 0;

	*pos = NULL;
	if (n == 0)
		return 0;
	if (n > 10)
		return ERR_INVALID;
	for (i = 0; i < n; i++)
		if (c[i] < '0' || c[i] > '9')
			return ERR_INVALID;
	if (strtoll(c, NULL, 10) > INT_MAX)
		return ERR_INVALID;
	*pos = c;
	return 0;
}

static int clamp_limit(int limit)
{
	return limit < 1 ? 24 : limit > COLLECTIONS_PAGE_MAX ? COLLECTIONS_PAGE_MAX : limit;
}

int collections_photos(struct db *db, struct arena *a, const struct collection *c,
                       const char *cursor, int limit, struct image **items, int *n,
                       const char **next)
{
	static const char sql[] = "SELECT " IMAGE_COLS(
	    "ci.position") " FROM collection_images ci JOIN images i ON i.id = ci.image_id "
	                   "WHERE ci.collection_id = $1 AND ($2::integer IS NULL OR ci.position > "
	                   "$2) "
	                   "ORDER BY ci.position LIMIT $3";
	const char *p[3] = {ll(a, c->key)};
	struct db_res res;
	int rc, i;

	*items = NULL;
	*n = 0;
	*next = NULL;
	limit = clamp_limit(limit);
	if (parse_cursor(cursor, &p[1]) != 0)
		return ERR_INVALID;
	p[2] = ll(a, limit + 1);
	if ((rc = db_query(db, a, &res, sql, 3, p)) != 0)
		return rc;
	*n = res.nrows > limit ? limit : res.nrows;
	*items = arena_calloc(a, (size_t)*n + 1, sizeof(struct image));
	for (i = 0; i < *n; i++)
		images_row(a, &res, i, &(*items)[i]);
	if (res.nrows > limit)
		*next = db_val(&res, limit - 1, IMAGE_COL_KEY);
	return 0;
}

int collections_share(struct db *db, struct arena *a, long long owner_id, const char *id,
                      char token[TOKEN_STR_LEN + 1])
{
	static const char sql[] = "UPDATE collections SET share_token_hash = $3, shared_at = now() "
	                          "WHERE public_id = $1 AND owner_id = $2";
	char hash[65];
	const char *p[3] = {id, ll(a, owner_id), hash};
	struct db_res res;
	int rc;

	token[0] = '\0';
	if (id == NULL || !public_id_valid(id))
		return ERR_NOTFOUND;
	token_new(token);
	token_hash_hex(token, hash);
	rc = db_query(db, a, &res, sql, 3, p);
	if (rc == 0 && res.affected == 0)
		rc = ERR_NOTFOUND;
	if (rc != 0)
		memset(token, 0, TOKEN_STR_LEN + 1);
	return rc;
}

int collections_unshare(struct db *db, struct arena *a, long long owner_id, const char *id)
{
	static const char sql[] =
	    "UPDATE collections SET share_token_hash = NULL, shared_at = NULL "
	    "WHERE public_id = $1 AND owner_id = $2";
	const char *p[2] = {id, ll(a, owner_id)};
	struct db_res res;
	int rc;

	if (id == NULL || !public_id_valid(id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	return res.affected == 0 ? ERR_NOTFOUND : 0;
}

/* The stored form of a share token, or NULL when it cannot be one. */
static const char *token_key(struct arena *a, const char *token)
{
	char hash[65];
	size_t i;

	if (token == NULL || strlen(token) != TOKEN_STR_LEN)
		return NULL;
	for (i = 0; i < TOKEN_STR_LEN; i++) {
		char c = token[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return NULL;
	}
	token_hash_hex(token, hash);
	return arena_strdup(a, hash);
}

int collections_by_token(struct db *db, struct arena *a, const char *token, struct collection *out)
{
	static const char sql[] =
	    "SELECT c.id, c.public_id, c.name, " COLL_TIMES "(SELECT count(*) "
	    "FROM collection_images ci JOIN images i ON i.id = ci.image_id "
	    "WHERE ci.collection_id = c.id AND i.owner_id = c.owner_id AND NOT i.flagged), NULL "
	    "FROM collections c WHERE c.share_token_hash = $1";
	const char *p[1] = {token_key(a, token)};
	struct db_res res;
	int rc;

	if (p[0] == NULL)
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 1, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	row_collection(&res, 0, out);
	return 0;
}

int collections_shared_photos(struct db *db, struct arena *a, const struct collection *c,
                              const char *cursor, int limit, struct shared_photo **items, int *n,
                              const char **next)
{
	static const char sql[] =
	    "SELECT " SHARED_COLS " FROM collection_images ci "
	    "JOIN collections c ON c.id = ci.collection_id "
	    "JOIN images i ON i.id = ci.image_id AND i.owner_id = c.owner_id "
	    "WHERE ci.collection_id = $1 AND c.share_token_hash IS NOT NULL AND NOT i.flagged "
	    "AND ($2::integer IS NULL OR ci.position > $2) ORDER BY ci.position LIMIT $3";
	const char *p[3] = {ll(a, c->key)};
	struct db_res res;
	int rc, i;

	*items = NULL;
	*n = 0;
	*next = NULL;
	limit = clamp_limit(limit);
	if (parse_cursor(cursor, &p[1]) != 0)
		return ERR_INVALID;
	p[2] = ll(a, limit + 1);
	if ((rc = db_query(db, a, &res, sql, 3, p)) != 0)
		return rc;
	*n = res.nrows > limit ? limit : res.nrows;
	*items = arena_calloc(a, (size_t)*n + 1, sizeof(struct shared_photo));
	for (i = 0; i < *n; i++)
		row_shared(a, &res, i, &(*items)[i]);
	if (res.nrows > limit)
		*next = db_val(&res, limit - 1, SHARED_COL_POS);
	return 0;
}

int collections_shared_file(struct db *db, struct arena *a, const char *token, const char *image_id,
                            const char **sha256)
{
	static const char sql[] =
	    "SELECT i.sha256 FROM collections c "
	    "JOIN collection_images ci ON ci.collection_id = c.id "
	    "JOIN images i ON i.id = ci.image_id AND i.owner_id = c.owner_id "
	    "WHERE c.share_token_hash = $1 AND i.public_id = $2 AND NOT i.flagged";
	const char *p[2] = {token_key(a, token), image_id};
	struct db_res res;
	int rc;

	*sha256 = NULL;
	if (p[0] == NULL || image_id == NULL || !public_id_valid(image_id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 2, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	*sha256 = db_val(&res, 0, 0);
	return 0;
}
