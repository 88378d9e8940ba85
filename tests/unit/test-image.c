/* test-image.c: each step of the validation pipeline on real photos and
 * crafted bad files (tests/data/make-fixtures; HT_FIXTURES names the
 * folder), orientation, shrinking, and metadata-free encoding. */
#include "err.h"
#include "image-int.h"
#include "image.h"
#include "images.h"
#include "tagger/tagger.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

static const struct img_limits lim = {50000000ull, 16000000ull, 8ul << 20};
static char dir[512];

static const char *fx(const char *name)
{
	static char p[1024];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* probe + full decode to max_side; returns the first error. */
static int pipeline(const char *name, unsigned max_side, struct img_info *info, struct img_rgb *out)
{
	const char *why = NULL;
	int rc = img_probe(fx(name), &lim, info, &why);

	memset(out, 0, sizeof(*out));
	if (rc == 0)
		rc = img_decode_fit(fx(name), info, &lim, max_side, out, &why);
	if (rc != 0 && why == NULL)
		fprintf(stderr, "  %s: error without a reason\n", name);
	return rc;
}

static void test_real_photos(void)
{
	static const struct {
		const char *name, *mime;
		unsigned w, h, tw, th;
	} ok[] = {
	    {"cat.jpg", "image/jpeg", 451, 300, 400, 266},
	    {"cat.png", "image/png", 451, 300, 400, 266},
	    {"cat-progressive.jpg", "image/jpeg", 451, 300, 400, 266},
	    {"cat-gray.jpg", "image/jpeg", 451, 300, 400, 266},
	    {"rocket.jpg", "image/jpeg", 640, 427, 400, 267},
	    {"coffee-interlaced.png", "image/png", 600, 400, 400, 267},
	    {"palette.png", "image/png", 0, 0, 0, 0},
	    {"astronaut.png", "image/png", 512, 512, 400, 400},
	    {"coffee-12mp.jpg", "image/jpeg", 4000, 3000, 400, 300},
	    {"polyglot-jpeg-html.jpg", "image/jpeg", 451, 300, 400, 266},
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct img_info info;
		struct img_rgb im;
		int rc = pipeline(ok[i].name, 400, &info, &im);
		if (rc != 0) {
			fprintf(stderr, "  %s: %s\n", ok[i].name, err_name(rc));
			T_CHECK(rc == 0);
			continue;
		}
		T_STREQ(info.mime, ok[i].mime);
		if (ok[i].w && (info.width != ok[i].w || im.w != ok[i].tw))
			fprintf(stderr, "  %s: %ux%u -> %ux%u\n", ok[i].name, info.width,
			        info.height, im.w, im.h);
		if (ok[i].w) {
			T_CHECK(info.width == ok[i].w && info.height == ok[i].h);
			T_CHECK(im.w == ok[i].tw && im.h == ok[i].th);
		}
		img_rgb_free(&im);
	}
}

static void test_rejected(void)
{
	static const struct {
		const char *name;
		int rc;
	} bad[] = {
	    {"empty.jpg", ERR_BADDATA},     {"one-byte.jpg", ERR_TYPE},
	    {"text.jpg", ERR_TYPE},         {"script.svg", ERR_TYPE},
	    {"tiny.gif", ERR_TYPE},         {"polyglot-html-jpeg.jpg", ERR_TYPE},
	    {"truncated.jpg", ERR_BADDATA}, {"truncated.png", ERR_BADDATA},
	    {"bad-crc.png", ERR_BADDATA},   {"idat-bomb.png", ERR_BADDATA},
	    {"ztxt-bomb.png", ERR_BADDATA}, {"huge-dims.jpg", ERR_LIMIT},
	    {"huge-dims.png", ERR_LIMIT},   {"many-scans.jpg", ERR_BADDATA},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct img_info info;
		struct img_rgb im;
		int rc = pipeline(bad[i].name, 400, &info, &im);
		if (rc != bad[i].rc)
			fprintf(stderr, "  %s: got %s, expected %s\n", bad[i].name, err_name(rc),
			        err_name(bad[i].rc));
		T_CHECK(rc == bad[i].rc);
		T_CHECK(im.px == NULL);
	}
}

static int px_close(const unsigned char *a, const unsigned char *b)
{
	return abs(a[0] - b[0]) < 24 && abs(a[1] - b[1]) < 24 && abs(a[2] - b[2]) < 24;
}

static void test_orientation(void)
{
	struct img_info plain, rot;
	struct img_rgb a, b;
	unsigned x, y, bad = 0;

	T_CHECK(pipeline("cat.jpg", 0, &plain, &a) == 0);
	T_CHECK(pipeline("cat-rot6-gps.jpg", 0, &rot, &b) == 0);
	if (a.px == NULL || b.px == NULL)
		return;
	T_CHECK(rot.orientation == 6 && plain.orientation == 1);
	T_CHECK(rot.width == 300 && rot.height == 451 && b.w == 300 && b.h == 451);
	/* rotated 90° clockwise: b(x, y) = a(y, H-1-x) */
	for (y = 0; y < b.h; y += 7)
		for (x = 0; x < b.w; x += 7)
			bad += !px_close(b.px + ((size_t)y * b.w + x) * 3,
			                 a.px + ((size_t)(a.h - 1 - x) * a.w + y) * 3);
	T_CHECK(bad == 0);
	img_rgb_free(&a);
	img_rgb_free(&b);
}

static int contains(const struct buf *b, const char *s)
{
	return b->len && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

static void test_encode_strips_metadata(void)
{
	struct img_info info, again;
	struct img_rgb im, back;
	struct buf jpg = {0}, png = {0};
	const char *why;
	char path[] = "/tmp/ht-test-image-XXXXXX";
	int fd;
	FILE *f;

	T_CHECK(pipeline("cat-rot6-gps.jpg", 200, &info, &im) == 0);
	if (im.px == NULL)
		return;
	T_CHECK(im.w == 133 && im.h == 200);
	T_CHECK(img_encode_jpeg(&im, 80, &jpg) == 0 && img_encode_png(&im, &png) == 0);
	T_CHECK(jpg.len > 2 && (unsigned char)jpg.data[0] == 0xff &&
	        (unsigned char)jpg.data[1] == 0xd8);
	T_CHECK(!contains(&jpg, "Exif") && !contains(&png, "eXIf") && !contains(&png, "tEXt"));
	/* the encoded thumbnail decodes again, upright, same size */
	fd = mkstemp(path);
	f = fdopen(fd, "wb");
	fwrite(jpg.data, 1, jpg.len, f);
	fclose(f);
	T_CHECK(img_probe(path, &lim, &again, &why) == 0);
	T_CHECK(again.orientation == 1 && again.width == 133 && again.height == 200);
	T_CHECK(img_decode_fit(path, &again, &lim, 0, &back, &why) == 0);
	T_CHECK(back.w == 133 && back.h == 200 && px_close(back.px, im.px));
	unlink(path);
	img_rgb_free(&back);
	img_rgb_free(&im);
	buf_free(&jpg);
	buf_free(&png);
}

static void test_fit(void)
{
	unsigned w, h;

	img_fit(4000, 3000, 400, &w, &h);
	T_CHECK(w == 400 && h == 300);
	img_fit(3000, 4000, 400, &w, &h);
	T_CHECK(w == 300 && h == 400);
	img_fit(300, 200, 400, &w, &h);
	T_CHECK(w == 300 && h == 200);
	img_fit(10000, 1, 400, &w, &h);
	T_CHECK(w == 400 && h == 1);
	img_fit(451, 300, 0, &w, &h);
	T_CHECK(w == 451 && h == 300);
}

/* one decode gives the thumbnail and exactly the pixels the tagger's own
 * decode of the file gives */
static void test_validate_one_decode(void)
{
	static const char *const names[] = {"coffee-12mp.jpg", "cat-rot6-gps.jpg", "cat.png",
	                                    "astronaut.png"};
	struct config cfg;
	char err[256];

	T_CHECK(config_load(&cfg, "/dev/null", err, sizeof(err)) == 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct img_info info;
		struct img_rgb px, own;
		struct buf thumb = {0};
		const char *why = NULL;
		unsigned w, h;

		T_CHECK(images_validate(&cfg, fx(names[i]), &info, &thumb, &px, &why) == 0);
		T_CHECK(thumb.len > 2 && (unsigned char)thumb.data[0] == 0xff);
		T_CHECK(pipeline(names[i], TAGGER_SIDE, &info, &own) == 0);
		img_fit(info.width, info.height, TAGGER_SIDE, &w, &h);
		T_CHECK(px.w == w && px.h == h && own.w == w && own.h == h);
		T_CHECK(px.px && own.px && memcmp(px.px, own.px, (size_t)w * h * 3) == 0);
		img_rgb_free(&px);
		img_rgb_free(&own);
		buf_free(&thumb);
	}
}

/* rows through the box filter: same size is a copy, fewer rows average */
static void test_shrink(void)
{
	static const unsigned char px[2][3 * 3] = {{0, 10, 20, 30, 40, 50, 255, 255, 255},
	                                           {2, 12, 22, 32, 42, 52, 0, 0, 0}};
	struct shrink s;
	struct img_rgb im;

	T_CHECK(shrink_init(&s, 3, 2, 3, 2) == 0);
	shrink_row(&s, 0, px[0]);
	shrink_row(&s, 1, px[1]);
	shrink_finish(&s, &im);
	T_CHECK(im.w == 3 && im.h == 2 && memcmp(im.px, px, sizeof(px)) == 0);
	img_rgb_free(&im);
	T_CHECK(shrink_init(&s, 3, 2, 3, 1) == 0);
	shrink_row(&s, 0, px[0]);
	shrink_row(&s, 1, px[1]);
	shrink_finish(&s, &im);
	T_CHECK(im.w == 3 && im.h == 1 && im.px[0] == 1 && im.px[5] == 51 && im.px[8] == 128);
	img_rgb_free(&im);
	T_CHECK(shrink_init(&s, 3, 2, 4, 2) == ERR_INVALID);
}

int main(void)
{
	const char *d = getenv("HT_FIXTURES");

	snprintf(dir, sizeof(dir), "%s", d ? d : "build/fixtures");
	if (access(fx(".done"), F_OK) != 0) {
		fprintf(stderr, "fixtures missing in %s (tests/data/make-fixtures makes them)\n",
		        dir);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	T_RUN(test_fit);
	T_RUN(test_shrink);
	T_RUN(test_validate_one_decode);
	T_RUN(test_real_photos);
	T_RUN(test_rejected);
	T_RUN(test_orientation);
	T_RUN(test_encode_strips_metadata);
	T_DONE();
}
