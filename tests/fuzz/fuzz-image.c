/* fuzz-image.c: the upload validation pipeline on the input as a file, as
 * images_ingest runs it (images_validate: type and header probe under the
 * default configuration's limits, one full decode, the thumbnail's JPEG
 * and the tagger's pixels) and then tagd's letterbox of those pixels. A
 * refusal needs a reason; accepted pixels must come out at the size img_fit
 * promises.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img_limits lim = images_limits(&cfg);
	struct img_info info;
	struct img_rgb px;
	struct buf thumb = {0};
	const char *why = NULL;
	unsigned w, h;
	int rc, cw, ch;

	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if ((rc = images_validate(&cfg, path, &info, &thumb, &px, &why)) != 0) {
		refused(rc, why);
		if (px.px != NULL)
			abort();
		buf_free(&thumb);
		return 0;
	}
	if (info.raw_width == 0 || info.raw_height == 0 ||
	    (uint64_t)info.raw_width * info.raw_height > lim.max_pixels || info.orientation < 1 ||
	    info.orientation > 8 ||
	    !((info.width == info.raw_width && info.height == info.raw_height) ||
	      (info.width == info.raw_height && info.height == info.raw_width)))
		abort();
	if (thumb.len < 2 || (unsigned char)thumb.data[0] != 0xff ||
	    (unsigned char)thumb.data[1] != 0xd8)
		abort();
	img_fit(info.width, info.height, TAGGER_SIDE, &w, &h);
	if (px.w != w || px.h != h || px.px == NULL)
		abort();
	tagger_letterbox(&px, TAGGER_SIDE, letterbox, &cw, &ch);
	if (cw < 1 || ch < 1 || cw > TAGGER_SIDE || ch > TAGGER_SIDE)
		abort();
	img_rgb_free(&px);
	buf_free(&thumb);
	return 0;
}
