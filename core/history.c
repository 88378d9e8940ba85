/* history.c: "your history" suggestions (see history.h). */
#include "history.h"
#include "i18n.h"
#include "err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIST_USERS 16 /* users kept in the cache */

struct user_vecs {
	long long owner;
	long long last_id; /* highest image id loaded */
	int dim, n, cap;
	long long *ids;
	signed char *vecs;  /* n × dim */
	float *inv;         /* 1 / length of each vector */
	unsigned long used; /* LRU clock */
};

struct history {
	struct user_vecs users[HIST_USERS];
	size_t max_bytes;
	unsigned long clock;
};

struct history *history_new(size_t max_bytes)
{
	struct history *h = calloc(1, sizeof(*h));

	if (h != NULL)
		h->max_bytes = max_bytes;
	return h;
}

static void drop(struct user_vecs *u)
{
	free(u->ids);
	free(u->vecs);
	free(u->inv);
	memset(u, 0, sizeof(*u));
}

void history_free(struct history *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i < HIST_USERS; i++)
		drop(&h->users[i]);
	free(h);
}

void history_quantise(const float *v, int dim, signed char *out)
{
	for (int i = 0; i < dim; i++) {
		float q = roundf(v[i] * 127.0f);
		out[i] = (signed char)(q > 127 ? 127 : q < -127 ? -127 : q);
	}
}

static int dot8(const signed char *restrict a, const signed char *restrict b, int dim)
{
	int dot = 0, i = 0; /* at most 720 × 127² */

	for (; i + 16 <= dim; i += 16) /* fixed-length blocks: gcc -O2 vectorises them */
		for (int k = 0; k < 16; k++)
			dot += a[i + k] * b[i + k];
	for (; i < dim; i++)
		dot += a[i] * b[i];
	return dot;
}

static float inv_norm(const signed char *v, int dim)
{
	int nn = dot8(v, v, dim);

	return nn > 0 ? (float)(1 / sqrt(nn)) : 0;
}

static size_t total_bytes(const struct history *h)
{
	size_t t = 0;

	for (int i = 0; i < HIST_USERS; i++)
		t += (size_t)h->users[i].cap *
		     ((size_t)h->users[i].dim + sizeof(long long) + sizeof(float));
	return t;
}

/* The cache slot of owner: found, else the least recently used one. */
static struct user_vecs *slot(struct history *h, long long owner, int dim)
{
	struct user_vecs *lru = &h->users[0];

	for (int i = 0; i < HIST_USERS; i++) {
		if (h->users[i].owner == owner && h->users[i].dim == dim)
			return &h->users[i];
		if (h->users[i].used < lru->used)
			lru = &h->users[i];
	}
	drop(lru);
	lru->owner = owner;
	lru->dim = dim;
	return lru;
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

static void unhex(const char *hex, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
}

/* Make room for one more vector in the slot. */
static int grow(struct history *h, struct user_vecs *u)
{
	int cap = u->cap ? u->cap * 2 : 256;
	long long *ids = realloc(u->ids, (size_t)cap * sizeof(*ids));
	signed char *vecs = ids ? realloc(u->vecs, (size_t)cap * (size_t)u->dim) : NULL;
	float *inv = vecs ? realloc(u->inv, (size_t)cap * sizeof(*inv)) : NULL;

	if (ids != NULL)
		u->ids = ids;
	if (vecs != NULL)
		u->vecs = vecs;
	if (inv == NULL)
		return ERR_NOMEM;
	u->inv = inv;
	u->cap = cap;
	return total_bytes(h) > h->max_bytes ? ERR_NOMEM : 0;
}

/* Append a batch of (image_id, hex int8 vector, hex float vector) rows to
 * the slot: the int8 one as tagd stored it, else the floats quantised here. */
static int add_rows(struct history *h, struct user_vecs *u, const struct db_res *res, float *v)
{
	size_t dim = (size_t)u->dim;

	for (int r = 0; r < res->nrows; r++) {
		const char *q8 = db_val(res, r, 1), *f32 = db_val(res, r, 2);
		signed char *dst;
		int rc;
		if (!(q8 != NULL && strlen(q8) == dim * 2) &&
		    !(f32 != NULL && strlen(f32) == dim * 8))
			continue; /* another model's embedding */
		if (u->n == u->cap && (rc = grow(h, u)) != 0)
			return rc;
		dst = u->vecs + (size_t)u->n * dim;
		if (q8 != NULL) {
			unhex(q8, dim, (unsigned char *)dst);
		} else {
			unhex(f32, dim * sizeof(float),
			      (unsigned char *)v); /* little-endian, as here */
			history_quantise(v, u->dim, dst);
		}
		u->inv[u->n] = inv_norm(dst, u->dim);
		u->ids[u->n++] = db_ll(res, r, 0, 0);
		u->last_id = db_ll(res, r, 0, u->last_id);
	}
	return 0;
}

/* Load owner's embeddings newer than what the slot holds through a cursor,
 * 2000 rows a fetch, each in a fresh arena: 50 000 vectors are 72 MB of hex
 * text, never held at once, and the plan is made once (a LIMIT per batch
 * would sort the rest of the user's rows again for each batch). */
static int refresh(struct history *h, struct user_vecs *u, struct db *db)
{
	static const char declare_sql[] =
	    "DECLARE history_vecs NO SCROLL CURSOR FOR"
	    " SELECT image_id, encode(q8, 'hex'), CASE WHEN q8 IS NULL THEN encode(vec, 'hex') END"
	    " FROM image_embeddings WHERE owner_id = $1 AND image_id > $2"
	    " ORDER BY owner_id, image_id";
	char owner[24], last[24];
	const char *p[] = {owner, last};
	struct db_res res = {0};
	struct arena a;
	float *v = malloc((size_t)u->dim * sizeof(float));
	int rc;

	if (v == NULL)
		return ERR_NOMEM;
	arena_init(&a, 0);
	snprintf(owner, sizeof(owner), "%lld", u->owner);
	snprintf(last, sizeof(last), "%lld", u->last_id);
	if ((rc = db_begin(db)) != 0 || (rc = db_query(db, &a, NULL, declare_sql, 2, p)) != 0)
		goto out;
	do {
		arena_reset(&a);
		if ((rc = db_query(db, &a, &res, "FETCH 2000 FROM history_vecs", 0, NULL)) != 0 ||
		    (rc = add_rows(h, u, &res, v)) != 0)
			goto out;
	} while (res.nrows == 2000);
	rc = db_commit(db);
out:
	db_rollback(db);
	arena_free(&a);
	free(v);
	return rc;
}

/* Keep the k most similar (sim >= HISTORY_MIN_SIM) in best[], sims[]. */
static int nearest(const struct user_vecs *u, long long image_id, const signed char *q,
                   long long *best, double *sims)
{
	double qinv = inv_norm(q, u->dim);
	int k = 0;

	for (int i = 0; i < u->n; i++) {
		double s;
		int j;
		if (u->ids[i] == image_id)
			continue;
		s = dot8(q, u->vecs + (size_t)i * (size_t)u->dim, u->dim) * qinv * u->inv[i];
		if (s < HISTORY_MIN_SIM || (k == HISTORY_K && s <= sims[k - 1]))
			continue;
		for (j = k < HISTORY_K ? k++ : k - 1; j > 0 && sims[j - 1] < s; j--) {
			sims[j] = sims[j - 1];
			best[j] = best[j - 1];
		}
		sims[j] = s;
		best[j] = u->ids[i];
	}
	return k;
}

static int cmp_conf(const void *a, const void *b)
{
	float x = ((const struct tag *)a)->conf, y = ((const struct tag *)b)->conf;
	return x > y ? -1 : x < y;
}

int history_suggest(struct history *h, struct db *db, struct arena *a, long long owner,
                    long long image_id, const float *emb, int dim, struct tag *tags, int *n,
                    int max)
{
	/* the neighbours' chosen hashtags: how many of them have each, best similarity */
	static const char sql[] =
	    "SELECT min(t.tag), count(*), max(x.sim) FROM image_tags t"
	    " JOIN jsonb_to_recordset($1::jsonb) AS x(id bigint, sim float8) ON x.id = t.image_id"
	    " WHERE t.state IN ('accepted', 'added')"
	    " GROUP BY lower(t.tag) ORDER BY count(*) DESC, max(x.sim) DESC LIMIT 20";
	long long best[HISTORY_K];
	double sims[HISTORY_K];
	signed char *q = malloc((size_t)dim);
	struct user_vecs *u;
	struct db_res res;
	char json[HISTORY_K * 48 + 4];
	size_t off = 0;
	int k, r, rc;

	if (q == NULL)
		return ERR_NOMEM;
	u = slot(h, owner, dim);
	u->used = ++h->clock;
	if ((rc = refresh(h, u, db)) != 0) {
		drop(u); /* over the memory budget or failed: start afresh next time */
		goto out;
	}
	history_quantise(emb, dim, q);
	k = nearest(u, image_id, q, best, sims);
	if (k == 0)
		goto out;
	off += (size_t)snprintf(json + off, sizeof(json) - off, "[");
	for (int i = 0; i < k; i++)
		off +=
		    (size_t)snprintf(json + off, sizeof(json) - off, "%s{\"id\":%lld,\"sim\":%.4f}",
		                     i ? "," : "", best[i], sims[i]);
	snprintf(json + off, sizeof(json) - off, "]");
	{
		const char *p[] = {json};
		if ((rc = db_query(db, a, &res, sql, 1, p)) != 0)
			goto out;
	}
	for (r = 0; r < res.nrows && *n < max; r++) {
		const char *tag = db_val(&res, r, 0);
		long long cnt = db_ll(&res, r, 1, 1);
		double sim = strtod(db_val(&res, r, 2), NULL);
		char lt[TAG_MAX + 2], lo[TAG_MAX + 2];
		int dup = 0;
		tag_format(tag, 1, lt, sizeof(lt));
		for (int i = 0; i < *n && !dup; i++)
			dup = strcmp(tag_format(tags[i].name, 1, lo, sizeof(lo)), lt) == 0;
		if (dup || strlen(tag) >= TAG_MAX)
			continue;
		struct tag *t = &tags[(*n)++];
		snprintf(t->name, sizeof(t->name), "%s", tag);
		/* similar photos agreeing count more: one at 0.95 → 0.81, three → 0.95 */
		t->conf = (float)(sim * (cnt >= 3 ? 1.0 : cnt == 2 ? 0.95 : 0.85));
		t->src = SRC_HISTORY;
		/* both forms of the stored English, each translated when shown */
		snprintf(t->why, sizeof(t->why),
		         cnt == 1
		             ? NC_("reason", "you chose it on %lld similar photo (%.0f%% alike)")
		             : NC_("reason", "you chose it on %lld similar photos (%.0f%% alike)"),
		         cnt, sim * 100);
	}
	qsort(tags, (size_t)*n, sizeof(*tags), cmp_conf);
out:
	free(q);
	return rc;
}
