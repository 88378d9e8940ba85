/* history.c: "your history" suggestions (see history.h). */
#include "history.h"
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

double history_cosine(const signed char *a, const signed char *b, int dim)
{
	long dot = 0, na = 0, nb = 0;

	for (int i = 0; i < dim; i++) {
		dot += a[i] * b[i];
		na += a[i] * a[i];
		nb += b[i] * b[i];
	}
	return na > 0 && nb > 0 ? (double)dot / sqrt((double)na * (double)nb) : 0;
}

static size_t total_bytes(const struct history *h)
{
	size_t t = 0;

	for (int i = 0; i < HIST_USERS; i++)
		t += (size_t)h->users[i].cap * ((size_t)h->users[i].dim + sizeof(long long));
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

/* Append a batch of (image_id, hex vector) rows to the slot. */
static int add_rows(struct history *h, struct user_vecs *u, const struct db_res *res, float *v)
{
	for (int r = 0; r < res->nrows; r++) {
		const char *hex = db_val(res, r, 1);
		if (hex == NULL || strlen(hex) != (size_t)u->dim * 8)
			continue; /* another model's embedding */
		if (u->n == u->cap) {
			int cap = u->cap ? u->cap * 2 : 256;
			long long *ids = realloc(u->ids, (size_t)cap * sizeof(*ids));
			signed char *vecs =
			    ids ? realloc(u->vecs, (size_t)cap * (size_t)u->dim) : NULL;
			if (ids != NULL)
				u->ids = ids;
			if (vecs == NULL)
				return ERR_NOMEM;
			u->vecs = vecs;
			u->cap = cap;
			if (total_bytes(h) > h->max_bytes)
				return ERR_NOMEM;
		}
		for (int i = 0; i < u->dim; i++) {
			unsigned char b[4];
			for (int k = 0; k < 4; k++)
				b[k] = (unsigned char)(hexval(hex[i * 8 + k * 2]) << 4 |
				                       hexval(hex[i * 8 + k * 2 + 1]));
			memcpy(&v[i], b, sizeof(float)); /* stored little-endian, as here */
		}
		history_quantise(v, u->dim, u->vecs + (size_t)u->n * (size_t)u->dim);
		u->ids[u->n++] = db_ll(res, r, 0, 0);
		u->last_id = db_ll(res, r, 0, u->last_id);
	}
	return 0;
}

/* Load owner's embeddings newer than what the slot holds, in batches, each
 * in a fresh arena: 50 000 vectors arrive as 290 MB of hex text, which must
 * never be held at once. */
static int refresh(struct history *h, struct user_vecs *u, struct db *db)
{
	static const char sql[] =
	    "SELECT e.image_id, encode(e.vec, 'hex') FROM image_embeddings e"
	    " JOIN images i ON i.id = e.image_id"
	    " WHERE i.owner_id = $1 AND e.image_id > $2 ORDER BY e.image_id LIMIT 2000";
	char owner[24], last[24];
	const char *p[] = {owner, last};
	struct db_res res = {0};
	struct arena a;
	float *v = malloc((size_t)u->dim * sizeof(float));
	int rc = 0;

	if (v == NULL)
		return ERR_NOMEM;
	arena_init(&a, 0);
	snprintf(owner, sizeof(owner), "%lld", u->owner);
	do {
		arena_reset(&a);
		snprintf(last, sizeof(last), "%lld", u->last_id);
		if ((rc = db_query(db, &a, &res, sql, 2, p)) != 0 ||
		    (rc = add_rows(h, u, &res, v)) != 0)
			break;
	} while (res.nrows == 2000);
	arena_free(&a);
	free(v);
	return rc;
}

/* Keep the k most similar (sim >= HISTORY_MIN_SIM) in best[], sims[]. */
static int nearest(const struct user_vecs *u, long long image_id, const signed char *q,
                   long long *best, double *sims)
{
	int k = 0;

	for (int i = 0; i < u->n; i++) {
		double s;
		int j;
		if (u->ids[i] == image_id)
			continue;
		s = history_cosine(q, u->vecs + (size_t)i * (size_t)u->dim, u->dim);
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
		snprintf(t->why, sizeof(t->why),
		         "you chose it on %lld similar photo%s (%.0f%% alike)", cnt,
		         cnt == 1 ? "" : "s", sim * 100);
	}
	qsort(tags, (size_t)*n, sizeof(*tags), cmp_conf);
out:
	free(q);
	return rc;
}
