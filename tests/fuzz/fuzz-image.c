/* fuzz-image.c: the upload validation pipeline on the input as a file, as
 * images_ingest and tagd see it: type and header probe under the default
 * configuration's limits, full decode to the thumbnail size and its JPEG,
 * and decode to the tagger's size and its letterbox. A refusal needs a
 * reason; an accepted image must come out at the size img_fit promises.
 *
 * One limit is lowered: max_pixels to 1024 x 1024, the cap libjpeg-turbo's
 * own OSS-Fuzz target uses. The check is the same code at any value; above
 * it a mutated header would make every run decode tens of megapixels. */
#include "config.h"
#include "err.h"
#include "image.h"
#include "images.h"
#include "tagger/tagger.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_MAX_PIXELS (1024L * 1024)

static struct config cfg;
static char path[64];
static int fd = -1;
static float *letterbox;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	if (config_load(&cfg, "/dev/null", err, sizeof(err)) != 0 ||
	    (fd = memfd_create("fuzz-image", 0)) < 0 ||
	    (letterbox = malloc(sizeof(float) * TAGGER_SIDE * TAGGER_SIDE * 3)) == NULL)
		abort();
	cfg.max_pixels = FUZZ_MAX_PIXELS;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static int refused(int rc, const char *why)
{
	if (rc != ERR_TYPE && rc != ERR_BADDATA && rc != ERR_LIMIT)
		abort();
	if (why == NULL || why[0] == '\0')
		abort();
	return rc;
}

/* Decode to max_side; 0 with im at the size img_fit promises, or refused. */
static int decode(const struct img_info *info, const struct img_limits *lim, unsigned max_side,
                  struct img_rgb *im)
{
	const char *why = NULL;
	unsigned w, h;
	int rc = img_decode_fit(path, info, lim, max_side, im, &why);

	if (rc != 0)
		return refused(rc, why);
	img_fit(info->width, info->height, max_side, &w, &h);
	if (im->w != w || im->h != h || im->px == NULL)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img_limits lim = images_limits(&cfg);
	struct img_info info;
	struct img_rgb im;
	struct buf thumb = {0};
	const char *why = NULL;
	int rc, cw, ch;

	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if ((rc = img_probe(path, &lim, &info, &why)) != 0) {
		refused(rc, why);
		return 0;
	}
	if (info.raw_width == 0 || info.raw_height == 0 ||
	    (uint64_t)info.raw_width * info.raw_height > lim.max_pixels || info.orientation < 1 ||
	    info.orientation > 8 ||
	    !((info.width == info.raw_width && info.height == info.raw_height) ||
	      (info.width == info.raw_height && info.height == info.raw_width)))
		abort();
	if (decode(&info, &lim, (unsigned)cfg.thumb_size, &im) != 0)
		return 0;
	if (img_encode_jpeg(&im, 82, &thumb) != 0 || thumb.len == 0)
		abort();
	buf_free(&thumb);
	img_rgb_free(&im);
	if (decode(&info, &lim, TAGGER_SIDE, &im) != 0)
		return 0;
	tagger_letterbox(&im, TAGGER_SIDE, letterbox, &cw, &ch);
	if (cw < 1 || ch < 1 || cw > TAGGER_SIDE || ch > TAGGER_SIDE)
		abort();
	img_rgb_free(&im);
	return 0;
}
