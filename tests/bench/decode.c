/* decode.c: bench-only (tests/bench/tagger): how long our own decoder takes
 * on one photo, the way the tagger decodes it (core/image.c with JPEG DCT
 * scaling straight to a long side of TAGGER_SIDE) and at full size (the
 * same code with no size limit, as a full-size export decodes). Probe and
 * decode, no inference. The two alternate run by run so that a noisy
 * machine slows both alike. Prints "scaled_ms full_ms" per run.
 *   bench-decode FILE RUNS */
#include "err.h"
#include "image.h"
#include "tagger/tagger.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Probe + decode path to a long side of at most max_side (0: full size);
 * the milliseconds it took, or -1 with the reason on stderr. */
static double timed_decode(const char *path, unsigned max_side)
{
	const struct img_limits lim = {100000000ull, 16000000ull, 8ul << 20};
	struct img_info info;
	struct img_rgb im;
	const char *why = NULL;
	double t0 = now_ms();
	int rc;

	rc = img_probe(path, &lim, &info, &why);
	if (rc == 0)
		rc = img_decode_fit(path, &info, &lim, max_side, &im, &why);
	if (rc != 0) {
		fprintf(stderr, "bench-decode: %s: %s\n", path, why ? why : err_name(rc));
		return -1;
	}
	t0 = now_ms() - t0;
	img_rgb_free(&im);
	return t0;
}

int main(int argc, char **argv)
{
	int runs = argc == 3 ? atoi(argv[2]) : 0;

	if (runs < 1) {
		fputs("usage: bench-decode FILE RUNS\n", stderr);
		return 2;
	}
	for (int i = 0; i < runs; i++) {
		double s = timed_decode(argv[1], TAGGER_SIDE), f = timed_decode(argv[1], 0);
		if (s < 0 || f < 0)
			return 1;
		printf("%.1f %.1f\n", s, f);
	}
	return 0;
}
