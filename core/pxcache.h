/* pxcache.h: the decoded pixels an upload hands to tagd.
 *
 * The worker that accepts an upload has already decoded it to the tagger's
 * size (that decode is its validation). It leaves those pixels as
 * <media>/tmp/px-<sha256> before the row commits, and tagd takes them
 * instead of decoding the original a second time: one decode per upload.
 * The file is a cache, not a promise: written without fsync, taken once
 * (unlinked on open), and when it is missing or damaged tagd decodes the
 * original as before. `hashtagger gc` removes any left older than its
 * grace, like the other temporary files. */
#ifndef HT_PXCACHE_H
#define HT_PXCACHE_H

#include "image.h"

/* Leave im for the tagger of sha. ERR_IO / ERR_NOSPACE; nothing is left
 * behind on failure. */
int pxcache_put(const char *root, const char *sha, const struct img_rgb *im);
/* Take (and remove) the pixels of sha if present: 0 with im filled,
 * ERR_NOTFOUND when there are none, ERR_BADDATA when the file is not a
 * whole image whose longer side is at most max_side. */
int pxcache_take(const char *root, const char *sha, unsigned max_side, struct img_rgb *im);
/* Remove them (an upload that stored no row). */
void pxcache_drop(const char *root, const char *sha);

#endif
