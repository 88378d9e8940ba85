/* tagd.h: the tagging worker. Jobs live in tag_jobs; a tagd claims a batch
 * with FOR UPDATE SKIP LOCKED and a lease (locked_until, locked_by), so
 * several tagd processes share one database and a dead one's jobs are
 * claimed again when its lease runs out. Results (image_tags, the
 * embedding, the NSFW flag) are written in one transaction that first
 * checks the lease is still held, so a job takes effect exactly once.
 * Completion is announced with NOTIFY tag_done '<public id>'. */
#ifndef HT_TAGD_H
#define HT_TAGD_H

#include "config.h"
#include "db.h"
#include "hashtags.h"
#include "metrics.h"
#include "tagger/tagger.h"

#include <signal.h>

#define TAGD_TAGS_MAX 100

/* Everything the tagger and the rules made of one photo. */
struct tagging {
	struct tagger_result res;
	struct tag tags[TAGD_TAGS_MAX];
	int ntags;
};

/* Run the tagger on the photo at path, or on px when not NULL (its pixels
 * as the upload decoded them; taken), and turn what it saw into hashtags
 * (at most max, max <= TAGD_TAGS_MAX). Returns what tagger_run returns;
 * release out->res with tagger_result_free on success. */
int tagd_tag_file(struct tagger *t, const struct rules *r, const struct config *cfg,
                  const char *path, struct img_rgb *px, const char *caption, enum tag_lang lang,
                  int max, struct tagging *out, char *err, size_t errlen);

/* The tag language of a photo: its owner's prefs.hashtag_lang ("en", "es",
 * "both"), else locale: the interface language the photo was uploaded in
 * (tag_jobs.lang), else the owner's chosen one (users.locale), else English. */
enum tag_lang tagd_lang(const char *pref, const char *locale);

/* The queue as /metrics shows it: jobs queued and running, and the age of
 * the oldest queued one. 0 or a negative enum err. */
int tagd_queue(struct db *db, struct arena *a, struct metrics_queue *q);

/* Serve jobs until *stop is set (SIGTERM): claim, tag, write, sleep on
 * LISTEN tag_jobs when idle. Returns 0, or nonzero when it cannot go on. */
int tagd_loop(const struct config *cfg, struct db *db, struct tagger *t, const struct rules *r,
              volatile sig_atomic_t *stop);

#endif
