/* tagd.c: the tagging worker loop (see tagd.h). */
#include "tagd.h"
#include "i18n.h"
#include "err.h"
#include "history.h"
#include "images.h"
#include "media.h"
#include "metrics.h"
#include "pxcache.h"
#include "stats.h"

#include <cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EMBED_MODEL "centernet-mnv3-se14"

#define HISTORY_BYTES (128u << 20) /* "your history" vectors kept in memory */

struct job {
	const char *image_id, *public_id, *sha, *caption;
	long long attempts, owner;
	enum tag_lang lang;
};

static const char claim_sql[] =
    "WITH c AS (SELECT image_id FROM tag_jobs"
    " WHERE (state = 'queued' AND (locked_until IS NULL OR locked_until < now()))"
    "    OR (state = 'running' AND locked_until < now())"
    " ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
    " UPDATE tag_jobs j SET state = 'running', attempts = j.attempts + 1,"
    "  locked_until = now() + make_interval(secs => $2::int), locked_by = $3,"
    "  started_at = coalesce(j.started_at, now())"
    " FROM c, images i, users u"
    " WHERE j.image_id = c.image_id AND i.id = j.image_id AND u.id = i.owner_id"
    " RETURNING j.image_id, j.attempts, i.public_id, i.sha256, i.caption,"
    "  coalesce(u.prefs->>'hashtag_lang', ''), coalesce(j.lang, u.locale), u.id";

static const char done_sql[] =
    "UPDATE tag_jobs SET state = 'done', locked_until = NULL, locked_by = NULL,"
    " last_error = NULL, finished_at = now()"
    " WHERE image_id = $1 AND locked_by = $2 AND state = 'running'";

/* Hashtags the owner rejected before or banned are never suggested again. */
static const char tags_sql[] =
    "INSERT INTO image_tags (image_id, tag, confidence, source, rank, reason)"
    " SELECT $1, t.tag, t.conf, t.src, row_number() OVER (ORDER BY t.rank), t.why"
    " FROM jsonb_to_recordset($2::jsonb) AS t(tag text, conf real, src text, rank int, why text)"
    " JOIN images i ON i.id = $1 JOIN users u ON u.id = i.owner_id"
    " WHERE NOT EXISTS (SELECT 1 FROM user_rejected_tags r"
    "   WHERE r.user_id = u.id AND r.tag_lower = lower(t.tag))"
    " AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(u.prefs->'banned', '[]'))"
    "   AS b(v) WHERE lower(b.v) = lower(t.tag))"
    " ON CONFLICT DO NOTHING";

static const char image_sql[] =
    "UPDATE images SET status = 'tagged', nsfw = $2, flagged = $3, tagged_at = now()"
    " WHERE id = $1 RETURNING pg_notify('tag_done', public_id)";

static const char fail_sql[] =
    "UPDATE tag_jobs SET state = CASE WHEN $3 OR attempts >= $4::int THEN 'failed' ELSE 'queued' "
    "END,"
    " last_error = $5, locked_by = NULL,"
    " locked_until = now() + make_interval(secs => 5 * attempts * attempts),"
    " finished_at = CASE WHEN $3 OR attempts >= $4::int THEN now() END"
    " WHERE image_id = $1 AND locked_by = $2 RETURNING state";

static const char failed_image_sql[] =
    "UPDATE images SET status = 'failed' WHERE id = $1 RETURNING pg_notify('tag_done', public_id)";

static const char release_sql[] =
    "UPDATE tag_jobs SET state = 'queued', attempts = attempts - 1, locked_by = NULL,"
    " locked_until = NULL WHERE image_id = $1 AND locked_by = $2 AND state = 'running'";

/* Seconds until the next lease or retry delay runs out (when a job can be
 * claimed without a NOTIFY), capped at five minutes. */
static const char next_sql[] =
    "SELECT coalesce(ceil(extract(epoch FROM min(locked_until) - now()) * 1000), 300000)"
    " FROM tag_jobs WHERE state IN ('queued', 'running') AND locked_until IS NOT NULL";

/* Uses the partial index on queued and running jobs. */
static const char queue_sql[] =
    "SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'running'),"
    " coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE state = 'queued')), 0)"
    " FROM tag_jobs WHERE state IN ('queued', 'running')";

static double ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum tag_lang tagd_lang(const char *pref, const char *locale)
{
	if (pref != NULL && strcmp(pref, "both") == 0)
		return LANG_BOTH;
	if (pref != NULL && strcmp(pref, "es") == 0)
		return LANG_ES;
	if (pref != NULL && strcmp(pref, "en") == 0)
		return LANG_EN;
	return locale != NULL && strcmp(locale, "es") == 0 ? LANG_ES : LANG_EN;
}

int tagd_tag_file(struct tagger *t, const struct rules *r, const struct config *cfg,
                  const char *path, struct img_rgb *px, const char *caption, enum tag_lang lang,
                  int max, struct tagging *out, char *err, size_t errlen)
{
	struct img_limits lim = images_limits(cfg);
	struct tag_input in;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = px != NULL ? tagger_run_pixels(t, px, &out->res, err, errlen)
	                : tagger_run(t, path, &lim, &out->res, err, errlen);
	if (rc != 0)
		return rc;
	memset(&in, 0, sizeof(in));
	in.det = out->res.det;
	in.ndet = out->res.ndet;
	in.px.rgb = out->res.px.px;
	in.px.w = (int)out->res.px.w;
	in.px.h = (int)out->res.px.h;
	in.caption = caption;
	in.lang = lang;
	out->ntags = hashtags_make(r, &in, out->tags, max < TAGD_TAGS_MAX ? max : TAGD_TAGS_MAX);
	return 0;
}

static char *tags_json(const struct tagging *tg)
{
	cJSON *arr = cJSON_CreateArray();
	char *s;
	int i;

	for (i = 0; arr != NULL && i < tg->ntags; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "tag", tg->tags[i].name);
		cJSON_AddNumberToObject(o, "conf", (double)tg->tags[i].conf);
		cJSON_AddStringToObject(o, "src", tag_source_name(tg->tags[i].src));
		cJSON_AddNumberToObject(o, "rank", i + 1);
		cJSON_AddStringToObject(o, "why", tg->tags[i].why);
	}
	s = arr != NULL ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return s;
}

/* bytea hex input: "\x" + two hex digits per byte. */
static char *bytea_hex(struct arena *a, const void *data, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	const unsigned char *b = data;
	char *s = arena_alloc(a, 2 + len * 2 + 1), *p = s;

	*p++ = '\\';
	*p++ = 'x';
	for (size_t i = 0; i < len; i++) {
		*p++ = hx[b[i] >> 4];
		*p++ = hx[b[i] & 15];
	}
	*p = '\0';
	return s;
}

/* Write a finished job in one transaction, if our lease still holds.
 * ERR_CONFLICT when another tagd took the job over. */
static int write_done(const struct config *cfg, struct db *db, struct arena *a, const char *me,
                      const struct job *j, const struct tagging *tg)
{
	struct db_res res;
	char nsfw[32], *json = tags_json(tg);
	const char *p_done[] = {j->image_id, me};
	const char *p_tags[] = {j->image_id, json};
	signed char q8[TAGGER_EMBED];
	const char *p_emb[] = {
	    j->image_id, EMBED_MODEL,
	    bytea_hex(a, tg->res.embed, sizeof(tg->res.embed)), /* little-endian */
	    NULL};
	const char *p_img[] = {j->image_id, nsfw, NULL};
	int rc;

	history_quantise(tg->res.embed, TAGGER_EMBED, q8);
	p_emb[3] = bytea_hex(a, q8, sizeof(q8));
	if (json == NULL)
		return ERR_NOMEM;
	snprintf(nsfw, sizeof(nsfw), "%.4f", (double)tg->res.nsfw_score);
	p_img[2] = tg->res.nsfw_score * 100 >= (float)cfg->nsfw_flag_pct ? "true" : "false";
	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = db_query(db, a, &res, done_sql, 2, p_done)) != 0)
		goto out;
	if (res.affected != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	if ((rc = db_query(db, a, NULL,
	                   "DELETE FROM image_tags WHERE image_id = $1 AND state = 'suggested'", 1,
	                   p_done)) != 0 ||
	    (rc = db_query(db, a, NULL, tags_sql, 2, p_tags)) != 0 ||
	    (rc = db_query(db, a, NULL,
	                   "INSERT INTO image_embeddings (image_id, owner_id, model, vec, q8)"
	                   " SELECT id, owner_id, $2, $3, $4 FROM images WHERE id = $1"
	                   " ON CONFLICT (image_id) DO UPDATE SET model = $2, vec = $3, q8 = $4",
	                   4, p_emb)) != 0 ||
	    (rc = db_query(db, a, NULL, image_sql, 3, p_img)) != 0)
		goto out;
	rc = db_commit(db);
out:
	db_rollback(db);
	cJSON_free(json);
	return rc;
}

/* Give a job back for a retry later, or mark it failed for good (permanent,
 * or out of attempts), with the reason the user and admins will see. */
static int write_failed(const struct config *cfg, struct db *db, struct arena *a, const char *me,
                        const struct job *j, int permanent, const char *why)
{
	struct db_res res;
	char max[16];
	const char *p[] = {j->image_id, me, permanent ? "true" : "false", max, why};
	int rc, failed;

	snprintf(max, sizeof(max), "%d", cfg->tagd_attempts);
	if ((rc = db_begin(db)) != 0)
		goto out;
	if ((rc = db_query(db, a, &res, fail_sql, 5, p)) != 0)
		goto out;
	failed = res.nrows == 1 && strcmp(db_val(&res, 0, 0), "failed") == 0;
	if (failed && (rc = db_query(db, a, NULL, failed_image_sql, 1, p)) != 0)
		goto out;
	if ((rc = db_commit(db)) == 0 && res.nrows == 1)
		metrics_job(failed ? METRICS_JOB_FAILED : METRICS_JOB_RETRIED);
out:
	db_rollback(db);
	return rc;
}

static void run_job(const struct config *cfg, struct db *db, struct arena *a, struct tagger *t,
                    const struct rules *r, struct history *h, const char *me, const struct job *j)
{
	struct tagging *tg = malloc(sizeof(*tg));
	struct img_rgb px;
	char path[PATH_MAX], err[256] = "", why[300];
	int rc, handed;

	if (tg == NULL)
		return; /* the lease runs out and the job is claimed again */
	if (j->attempts > cfg->tagd_attempts) {
		/* claimed this often without an answer: tagd died on it each time */
		/* shown on the photo page, translated there (i18n_text) */
		snprintf(why, sizeof(why), N_("gave up after %lld attempts"), j->attempts - 1);
		write_failed(cfg, db, a, me, j, 1, why);
		free(tg);
		return;
	}
	media_path(cfg->media, j->sha, "", path, sizeof(path));
	/* the upload's own decode, when it left one (else the original's) */
	rc = pxcache_take(cfg->media, j->sha, TAGGER_SIDE, &px);
	if (rc != 0 && rc != ERR_NOTFOUND)
		fprintf(stderr, "tagd: %s: the upload's pixels: %s; decoding the original\n",
		        j->public_id, err_name(rc));
	handed = rc == 0;
	rc = tagd_tag_file(t, r, cfg, path, handed ? &px : NULL, j->caption, j->lang, cfg->tag_max,
	                   tg, err, sizeof(err));
	img_rgb_free(&px);
	if (rc == 0) {
		/* a failed lookup only costs the "your history" suggestions */
		double t0 = ms_now();

		metrics_tagger(tg->res.ms_decode, tg->res.ms_infer);
		if (history_suggest(h, db, a, j->owner, atoll(j->image_id), tg->res.embed,
		                    TAGGER_EMBED, tg->tags, &tg->ntags, TAGD_TAGS_MAX) != 0)
			fprintf(stderr, "tagd: %s: history lookup failed\n", j->public_id);
		t0 = ms_now() - t0;
		if (tg->ntags > cfg->tag_max)
			tg->ntags = cfg->tag_max;
		if ((rc = write_done(cfg, db, a, me, j, tg)) == 0)
			metrics_job(METRICS_JOB_DONE);
		fprintf(stderr,
		        "tagd: %s: %d tags, nsfw %.2f, decode %.0f ms, infer %.0f ms, history %.1f "
		        "ms%s%s\n",
		        j->public_id, tg->ntags, (double)tg->res.nsfw_score, tg->res.ms_decode,
		        tg->res.ms_infer, t0, handed ? ", pixels from the upload" : "",
		        rc == ERR_CONFLICT ? " (lease lost, not written)" : "");
		tagger_result_free(&tg->res);
	} else {
		/* a file that cannot be decoded will not decode next time either */
		int permanent = rc == ERR_TYPE || rc == ERR_BADDATA || rc == ERR_LIMIT;
		snprintf(why, sizeof(why), "%s", err);
		fprintf(stderr, "tagd: %s: %s (%s)\n", j->public_id, why,
		        permanent ? "failed" : "will retry");
		write_failed(cfg, db, a, me, j, permanent, why);
	}
	free(tg);
}

static int claim(const struct config *cfg, struct db *db, struct arena *a, const char *me,
                 struct job **jobs)
{
	struct db_res res;
	char n[16], lease[16];
	const char *p[] = {n, lease, me};
	int i, rc;

	snprintf(n, sizeof(n), "%d", cfg->tagd_batch);
	snprintf(lease, sizeof(lease), "%d", cfg->tagd_lease);
	if ((rc = db_query(db, a, &res, claim_sql, 3, p)) != 0)
		return rc;
	*jobs = arena_calloc(a, (size_t)res.nrows + 1, sizeof(**jobs));
	for (i = 0; i < res.nrows; i++) {
		struct job *j = &(*jobs)[i];
		j->image_id = db_val(&res, i, 0);
		j->attempts = db_ll(&res, i, 1, 1);
		j->public_id = db_val(&res, i, 2);
		j->sha = db_val(&res, i, 3);
		j->caption = db_val(&res, i, 4);
		j->lang = tagd_lang(db_val(&res, i, 5), db_val(&res, i, 6));
		j->owner = db_ll(&res, i, 7, 0);
	}
	return res.nrows;
}

/* Sleep until a NOTIFY tag_jobs, a lease running out, or SIGTERM. */
static void idle(struct db *db, struct arena *a, volatile sig_atomic_t *stop)
{
	struct db_res res;
	char ch[64], payload[64];
	long long ms = 300000;

	/* nothing else to do: fold the admin statistics' counters */
	if (stats_fold(db, a) != 0)
		fprintf(stderr, "tagd: folding the statistics counters failed\n");
	if (db_query(db, a, &res, next_sql, 0, NULL) == 0)
		ms = db_ll(&res, 0, 0, 300000);
	ms = ms < 50 ? 50 : ms > 300000 ? 300000 : ms;
	while (!*stop && ms > 0) {
		int step = ms > 1000 ? 1000 : (int)ms; /* wake now and then to see *stop */
		int rc = db_notify_wait(db, step, ch, sizeof(ch), payload, sizeof(payload));
		if (rc != 0)
			break; /* a job was queued, or the connection dropped */
		ms -= step;
	}
	/* drain: one claim round serves every queued job */
	while (db_notify_wait(db, 0, ch, sizeof(ch), payload, sizeof(payload)) == 1)
		;
}

int tagd_queue(struct db *db, struct arena *a, struct metrics_queue *q)
{
	struct db_res res;
	int rc;

	if ((rc = db_query(db, a, &res, queue_sql, 0, NULL)) != 0)
		return rc;
	q->queued = db_ll(&res, 0, 0, 0);
	q->running = db_ll(&res, 0, 1, 0);
	q->oldest_s = db_val(&res, 0, 2) ? strtod(db_val(&res, 0, 2), NULL) : 0;
	return 0;
}

int tagd_loop(const struct config *cfg, struct db *db, struct tagger *t, const struct rules *r,
              volatile sig_atomic_t *stop)
{
	struct arena a;
	char me[128], host[64] = "?";
	unsigned listening = 0;
	struct job *jobs = NULL;
	struct history *h = history_new(HISTORY_BYTES);
	int i, n;

	if (h == NULL)
		return 1;

	gethostname(host, sizeof(host) - 1);
	snprintf(me, sizeof(me), "%s:%d:%08x", host, (int)getpid(), (unsigned)random());
	arena_init(&a, 0);
	fprintf(stderr, "tagd %s: ready\n", me);
	while (!*stop) {
		arena_reset(&a);
		if (db_ping(db) != 0) {
			sleep(1);
			continue;
		}
		if (listening != db->gen) { /* first time, or a reconnect dropped it */
			if (db_query(db, &a, NULL, "LISTEN tag_jobs", 0, NULL) != 0)
				continue;
			listening = db->gen;
		}
		n = claim(cfg, db, &a, me, &jobs);
		if (n <= 0) {
			idle(db, &a, stop);
			continue;
		}
		for (i = 0; i < n; i++) {
			const char *p[] = {jobs[i].image_id, me};
			if (!*stop)
				run_job(cfg, db, &a, t, r, h, me, &jobs[i]);
			else /* stopping: hand back what we did not start */
				db_query(db, &a, NULL, release_sql, 2, p);
		}
	}
	arena_free(&a);
	history_free(h);
	return 0;
}
