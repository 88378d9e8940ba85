/* pxcache.c: see pxcache.h. The file: "HTPX", width and height as
 * uint32 (host order: writer and reader are one build on one machine),
 * four zero bytes, then width × height × 3 bytes of RGB. */
#include "pxcache.h"
#include "err.h"
#include "media.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PX_MAGIC "HTPX"
#define PX_HEAD 16

static void px_path(const char *root, const char *sha, char *out, size_t n)
{
	snprintf(out, n, "%s/tmp/px-%s", root, sha);
}

static int read_all(int fd, void *data, size_t n)
{
	char *p = data;

	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return ERR_BADDATA;
		p += r, n -= (size_t)r;
	}
	return 0;
}

int pxcache_put(const char *root, const char *sha, const struct img_rgb *im)
{
	unsigned char head[PX_HEAD] = PX_MAGIC;
	uint32_t wh[2] = {im->w, im->h};
	char final[PATH_MAX], tmp[PATH_MAX];
	int fd, rc;

	memcpy(head + 4, wh, sizeof(wh));
	px_path(root, sha, final, sizeof(final));
	snprintf(tmp, sizeof(tmp), "%s/tmp/.px-XXXXXX", root);
	if ((fd = mkstemp(tmp)) < 0)
		return ERR_IO;
	rc = media_write_all(fd, head, sizeof(head));
	if (rc == 0)
		rc = media_write_all(fd, im->px, (size_t)im->w * im->h * 3);
	if (close(fd) != 0 && rc == 0)
		rc = ERR_IO;
	if (rc == 0 && rename(tmp, final) != 0)
		rc = ERR_IO;
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int pxcache_take(const char *root, const char *sha, unsigned max_side, struct img_rgb *im)
{
	unsigned char head[PX_HEAD];
	uint32_t wh[2];
	char path[PATH_MAX];
	struct stat st;
	int fd, rc;

	memset(im, 0, sizeof(*im));
	px_path(root, sha, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	unlink(path); /* taken: a second job for the same bytes decodes */
	rc = fstat(fd, &st) == 0 ? read_all(fd, head, sizeof(head)) : ERR_IO;
	if (rc == 0) {
		memcpy(wh, head + 4, sizeof(wh));
		if (memcmp(head, PX_MAGIC, 4) != 0 || wh[0] < 1 || wh[1] < 1 || wh[0] > max_side ||
		    wh[1] > max_side ||
		    (uint64_t)st.st_size != PX_HEAD + (uint64_t)wh[0] * wh[1] * 3)
			rc = ERR_BADDATA;
	}
	if (rc == 0 && (im->px = malloc((size_t)wh[0] * wh[1] * 3)) == NULL)
		rc = ERR_NOMEM;
	if (rc == 0 && (rc = read_all(fd, im->px, (size_t)wh[0] * wh[1] * 3)) == 0) {
		im->w = wh[0];
		im->h = wh[1];
	}
	close(fd);
	if (rc != 0)
		img_rgb_free(im);
	return rc;
}

void pxcache_drop(const char *root, const char *sha)
{
	char path[PATH_MAX];

	px_path(root, sha, path, sizeof(path));
	unlink(path);
}
