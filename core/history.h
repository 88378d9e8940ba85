/* history.h: "your history" suggestions — hashtags a user accepted or
 * added on their own photos that look like this one (k nearest neighbours
 * by cosine similarity of the tagger's image embeddings). Only the user's
 * own photos are ever looked at.
 *
 * tagd keeps each recent user's embeddings in memory, quantised to int8
 * as tagd stored them (720 bytes a photo: 36 MB for 50 000 photos), and loads only photos newer
 * than what it holds, so a lookup is one pass over the vectors plus one
 * query for the neighbours' hashtags. */
#ifndef HT_HISTORY_H
#define HT_HISTORY_H

#include "arena.h"
#include "db.h"
#include "hashtags.h"

#define HISTORY_K 10         /* neighbours looked at */
#define HISTORY_MIN_SIM 0.85 /* cosine similarity a neighbour needs */

struct history; /* the cache: opaque */

struct history *history_new(size_t max_bytes);
void history_free(struct history *h);

/* Add to tags (n of them, room for max) the hashtags owner chose on photos
 * similar to image_id (embedding emb, L2-normalised, dim values), source
 * SRC_HISTORY, unless the photo already has them; re-ranks by confidence.
 * Returns 0 or a negative err (the tags are then unchanged). */
int history_suggest(struct history *h, struct db *db, struct arena *a, long long owner,
                    long long image_id, const float *emb, int dim, struct tag *tags, int *n,
                    int max);

/* Quantise a unit vector to int8 (round(v * 127)). */
void history_quantise(const float *v, int dim, signed char *out);

#endif
