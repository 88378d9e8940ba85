/* media.h: photos on disk, content-addressed, never half-written.
 *
 *   <root>/tmp/up-XXXXXX        an upload being received (unlinked on error)
 *   <root>/tmp/px-<sha256>      its pixels for tagd, until tagd takes them (pxcache.h)
 *   <root>/<aa>/<sha256>        an original, exactly as uploaded
 *   <root>/<aa>/<sha256>.jpg    its thumbnail (re-encoded, no metadata)
 *
 * Every file is written to a temporary name, fsync'd, renamed into place
 * and its directory fsync'd, so a name either holds the complete file or
 * does not exist. Rows point at files only after the file is durable; a
 * file whose row never committed (a crash in between) is an orphan that
 * media_gc removes. Installing and releasing a file happen under an
 * advisory lock on its hash, so a delete never races an upload of the same
 * bytes. */
#ifndef HT_MEDIA_H
#define HT_MEDIA_H

#include "arena.h"
#include "db.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define MEDIA_SHA_LEN 64

struct media_tmp {
	int fd;
	char path[PATH_MAX];
	void *md; /* gcry_md_hd_t */
	uint64_t size;
	char sha256[MEDIA_SHA_LEN + 1]; /* set by media_tmp_close */
};

/* Write all n bytes to fd (EINTR retried). ERR_NOSPACE when the disk is
 * full, ERR_IO otherwise. */
int media_write_all(int fd, const void *data, size_t n);
/* Create a temporary upload file under root/tmp. ERR_IO on failure. */
int media_tmp_open(const char *root, struct media_tmp *t);
/* Append n bytes. ERR_NOSPACE when the disk is full, ERR_IO otherwise. */
int media_tmp_write(struct media_tmp *t, const void *data, size_t n);
/* fsync and close; the hash is final. */
int media_tmp_close(struct media_tmp *t);
/* Close (if open) and unlink; safe to call twice. */
void media_tmp_discard(struct media_tmp *t);

/* root/aa/sha + suffix ("" original, ".jpg" thumbnail) into out. */
void media_path(const char *root, const char *sha, const char *suffix, char *out, size_t n);
/* Path relative to root (for X-Accel-Redirect). */
void media_relpath(const char *sha, const char *suffix, char *out, size_t n);
/* Move a closed temp file into place as the original of its hash (a file
 * already there has the same bytes: the temp file is dropped). */
int media_install(const char *root, struct media_tmp *t);
/* Write bytes as sha + suffix via temp + fsync + rename, unless present. */
int media_put(const char *root, const char *sha, const char *suffix, const void *data, size_t n);

/* Take / drop the advisory lock that guards the files of one hash. The
 * session-level variant survives COMMIT; the transaction one ends with it. */
int media_lock(struct db *db, struct arena *a, const char *sha, int xact);
int media_unlock(struct db *db, struct arena *a, const char *sha);
/* Under the hash lock: remove the files of sha when no image row refers to
 * them any more. */
int media_release(struct db *db, struct arena *a, const char *root, const char *sha);
/* Remove orphans: files no row refers to, and temp files older than grace
 * seconds. *removed counts files deleted. */
int media_gc(struct db *db, struct arena *a, const char *root, long grace, int *removed);

#endif
