/* test-pxcache.c: the pixels an upload hands to tagd: taken once, exactly
 * as left; a damaged or oversized file is refused and removed. */
#include "err.h"
#include "pxcache.h"
#include "t.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static char root[] = "/tmp/ht-test-pxcache-XXXXXX";

static const char *px_file(void)
{
	static char p[256];
	snprintf(p, sizeof(p), "%s/tmp/px-%s", root, sha);
	return p;
}

static void sample(struct img_rgb *im, unsigned w, unsigned h)
{
	im->w = w, im->h = h;
	im->px = malloc((size_t)w * h * 3);
	for (size_t i = 0; i < (size_t)w * h * 3; i++)
		im->px[i] = (unsigned char)(i * 7);
}

static void test_taken_once_as_left(void)
{
	struct img_rgb in, out;

	sample(&in, 5, 3);
	T_CHECK(pxcache_put(root, sha, &in) == 0);
	T_CHECK(pxcache_take(root, sha, 512, &out) == 0);
	T_CHECK(out.w == 5 && out.h == 3 && out.px && memcmp(out.px, in.px, 45) == 0);
	T_CHECK(access(px_file(), F_OK) != 0);
	img_rgb_free(&out);
	T_CHECK(pxcache_take(root, sha, 512, &out) == ERR_NOTFOUND && out.px == NULL);
	img_rgb_free(&in);
}

static void test_refused_and_removed(void)
{
	struct img_rgb in, out;
	FILE *f;

	sample(&in, 600, 2);
	T_CHECK(pxcache_put(root, sha, &in) == 0);
	T_CHECK(pxcache_take(root, sha, 512, &out) == ERR_BADDATA && out.px == NULL);
	T_CHECK(access(px_file(), F_OK) != 0);
	img_rgb_free(&in);
	sample(&in, 4, 4);
	T_CHECK(pxcache_put(root, sha, &in) == 0);
	T_CHECK(truncate(px_file(), 16 + 4 * 4 * 3 - 1) == 0);
	T_CHECK(pxcache_take(root, sha, 512, &out) == ERR_BADDATA && out.px == NULL);
	T_CHECK((f = fopen(px_file(), "wb")) != NULL);
	if (f) {
		fputs("not pixels at all, but long enough", f);
		fclose(f);
	}
	T_CHECK(pxcache_take(root, sha, 512, &out) == ERR_BADDATA);
	T_CHECK(pxcache_put(root, sha, &in) == 0);
	pxcache_drop(root, sha);
	T_CHECK(access(px_file(), F_OK) != 0);
	img_rgb_free(&in);
}

int main(void)
{
	char tmp[300];

	if (mkdtemp(root) == NULL)
		return 1;
	snprintf(tmp, sizeof(tmp), "%s/tmp", root);
	mkdir(tmp, 0700);
	T_RUN(test_taken_once_as_left);
	T_RUN(test_refused_and_removed);
	rmdir(tmp);
	rmdir(root);
	T_DONE();
}
