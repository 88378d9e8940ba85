/* tagger.c: preprocessing and the dlopen'd libtorch shim (see tagger.h). */
#include "tagger.h"
#include "err.h"
#include "shim.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tagger {
	void *lib;
	struct ts_api api;
	struct ts_model *det, *nsfw;
	float *in_det, *in_nsfw; /* reused input buffers */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Bilinear resample of src (packed RGB) to dw×dh floats times mul, written
 * into dst with row stride dstride floats (half-pixel centres, edges clamped). */
static void resample(const struct img_rgb *src, int dw, int dh, float mul, float *dst, int dstride)
{
	float sx = (float)src->w / (float)dw, sy = (float)src->h / (float)dh;
	int x, y, c;

	for (y = 0; y < dh; y++) {
		float fy = ((float)y + 0.5f) * sy - 0.5f;
		int y0 = fy < 0 ? 0 : (int)fy;
		int y1 = y0 + 1 < (int)src->h ? y0 + 1 : y0;
		float wy = fy < 0 ? 0 : fy - (float)y0;
		const unsigned char *r0 = src->px + (size_t)y0 * src->w * 3;
		const unsigned char *r1 = src->px + (size_t)y1 * src->w * 3;
		float *out = dst + (size_t)y * (size_t)dstride;

		for (x = 0; x < dw; x++) {
			float fx = ((float)x + 0.5f) * sx - 0.5f;
			int x0 = fx < 0 ? 0 : (int)fx;
			int x1 = x0 + 1 < (int)src->w ? x0 + 1 : x0;
			float wx = fx < 0 ? 0 : fx - (float)x0;

			for (c = 0; c < 3; c++) {
				float a = r0[x0 * 3 + c] + (r0[x1 * 3 + c] - r0[x0 * 3 + c]) * wx;
				float b = r1[x0 * 3 + c] + (r1[x1 * 3 + c] - r1[x0 * 3 + c]) * wx;
				out[x * 3 + c] = (a + (b - a) * wy) * mul;
			}
		}
	}
}

void tagger_letterbox(const struct img_rgb *im, int side, float *dst, int *cw, int *ch)
{
	int w, h;

	if (im->w >= im->h) {
		w = side;
		h = (int)lround((double)im->h * side / im->w);
	} else {
		h = side;
		w = (int)lround((double)im->w * side / im->h);
	}
	w = w < 1 ? 1 : w;
	h = h < 1 ? 1 : h;
	memset(dst, 0, (size_t)side * (size_t)side * 3 * sizeof(float));
	resample(im, w, h, 1.0f, dst, side * 3);
	*cw = w;
	*ch = h;
}

static int lib_path(const char *lib, char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;

	if (lib != NULL && lib[0] != '\0')
		return snprintf(out, len, "%s", lib) < (int)len ? 0 : -1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	return snprintf(out, len, "%s/libht-torch.so", dirname(exe)) < (int)len ? 0 : -1;
}

static int load_api(struct tagger *t, const char *lib, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (lib_path(lib, path, sizeof(path)) != 0) {
		snprintf(err, errlen, "cannot locate libht-torch.so");
		return -1;
	}
	t->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (t->lib == NULL) {
		snprintf(err, errlen, "cannot load %s: %s", path, dlerror());
		return -1;
	}
	/* POSIX: a function pointer round-trips through dlsym's void * */
	*(void **)&t->api.threads = dlsym(t->lib, "ts_threads");
	*(void **)&t->api.load = dlsym(t->lib, "ts_load");
	*(void **)&t->api.run = dlsym(t->lib, "ts_run");
	*(void **)&t->api.free = dlsym(t->lib, "ts_free");
	if (!t->api.threads || !t->api.load || !t->api.run || !t->api.free) {
		snprintf(err, errlen, "%s: missing ts_* symbols", path);
		return -1;
	}
	return 0;
}

static struct ts_model *load_model(struct tagger *t, const char *dir, const char *name, char *err,
                                   size_t errlen)
{
	char path[PATH_MAX], why[200] = "";
	struct ts_model *m;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "model %s is missing (run `make models`)", path);
		return NULL;
	}
	m = t->api.load(path, why, sizeof(why));
	if (m == NULL)
		snprintf(err, errlen, "%s: %s", path, why);
	return m;
}

/* Run both models on the current input buffers. */
static int infer(struct tagger *t, float *dets, float *embed, float *nsfw, char *err, size_t errlen)
{
	static const int64_t det_shape[] = {1, TAGGER_SIDE, TAGGER_SIDE, 3};
	static const int64_t nsfw_shape[] = {1, TAGGER_NSFW_SIDE, TAGGER_NSFW_SIDE, 3};
	static const size_t det_len[] = {TAGGER_DETS * 6, TAGGER_EMBED};
	static const size_t nsfw_len[] = {TAGGER_NSFW};
	float *det_out[] = {dets, embed};

	if (t->api.run(t->det, t->in_det, det_shape, 4, det_out, det_len, 2, err, errlen) != 0)
		return -1;
	return t->api.run(t->nsfw, t->in_nsfw, nsfw_shape, 4, &nsfw, nsfw_len, 1, err, errlen);
}

struct tagger *tagger_open(const char *model_dir, const char *lib, int threads, char *err,
                           size_t errlen)
{
	struct tagger *t = calloc(1, sizeof(*t));
	float dets[TAGGER_DETS * 6], embed[TAGGER_EMBED], nsfw[TAGGER_NSFW];
	int i;

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->in_det = calloc((size_t)TAGGER_SIDE * TAGGER_SIDE * 3, sizeof(float));
	t->in_nsfw = calloc((size_t)TAGGER_NSFW_SIDE * TAGGER_NSFW_SIDE * 3, sizeof(float));
	if (t->in_det == NULL || t->in_nsfw == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (load_api(t, lib, err, errlen) != 0)
		goto fail;
	t->api.threads(threads);
	t->det = load_model(t, model_dir, "centernet.pt", err, errlen);
	if (t->det == NULL)
		goto fail;
	t->nsfw = load_model(t, model_dir, "nsfw.pt", err, errlen);
	if (t->nsfw == NULL)
		goto fail;
	/* TorchScript's profiling executor optimises the graph over the first
	 * forwards: pay for them now, not on someone's photo */
	for (i = 0; i < 3; i++)
		if (infer(t, dets, embed, nsfw, err, errlen) != 0)
			goto fail;
	return t;
fail:
	tagger_close(t);
	return NULL;
}

void tagger_close(struct tagger *t)
{
	if (t == NULL)
		return;
	if (t->det != NULL)
		t->api.free(t->det);
	if (t->nsfw != NULL)
		t->api.free(t->nsfw);
	if (t->lib != NULL)
		dlclose(t->lib);
	free(t->in_det);
	free(t->in_nsfw);
	free(t);
}

static float clamp01(float v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Detector rows are x1,y1,x2,y2 in input pixels, score, class; make them
 * fractions of the photo (the letterboxed content is cw×ch). */
static void read_dets(const float *rows, int cw, int ch, struct tagger_result *res)
{
	int i;

	res->ndet = 0;
	for (i = 0; i < TAGGER_DETS; i++) {
		const float *r = rows + i * 6;
		struct detection *d = &res->det[res->ndet];

		if (!(r[4] >= TAGGER_MIN_SCORE) || r[5] < 0 || r[5] >= 80)
			continue;
		d->x1 = clamp01(r[0] / (float)cw);
		d->y1 = clamp01(r[1] / (float)ch);
		d->x2 = clamp01(r[2] / (float)cw);
		d->y2 = clamp01(r[3] / (float)ch);
		d->score = r[4];
		d->cls = (int)r[5];
		res->ndet++;
	}
}

static void normalise(float *v, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += (double)v[i] * v[i];
	s = sqrt(s);
	for (i = 0; s > 0 && i < n; i++)
		v[i] = (float)(v[i] / s);
}

int tagger_run_pixels(struct tagger *t, struct img_rgb *px, struct tagger_result *res, char *err,
                      size_t errlen)
{
	float dets[TAGGER_DETS * 6];
	double t0 = now_ms(), t1;
	int cw, ch;

	memset(res, 0, sizeof(*res));
	res->px = *px;
	memset(px, 0, sizeof(*px));
	tagger_letterbox(&res->px, TAGGER_SIDE, t->in_det, &cw, &ch);
	resample(&res->px, TAGGER_NSFW_SIDE, TAGGER_NSFW_SIDE, 1.0f / 255, t->in_nsfw,
	         TAGGER_NSFW_SIDE * 3);
	t1 = now_ms();
	if (infer(t, dets, res->embed, res->nsfw, err, errlen) != 0) {
		img_rgb_free(&res->px);
		return ERR_UNAVAILABLE;
	}
	res->ms_decode = t1 - t0;
	res->ms_infer = now_ms() - t1;
	read_dets(dets, cw, ch, res);
	normalise(res->embed, TAGGER_EMBED);
	res->nsfw_score = clamp01(res->nsfw[1] + res->nsfw[3]);
	return 0;
}

int tagger_run(struct tagger *t, const char *path, const struct img_limits *lim,
               struct tagger_result *res, char *err, size_t errlen)
{
	struct img_info info;
	struct img_rgb px;
	const char *why = NULL;
	double t0 = now_ms();
	int rc;

	memset(res, 0, sizeof(*res));
	rc = img_probe(path, lim, &info, &why);
	if (rc == 0)
		rc = img_decode_fit(path, &info, lim, TAGGER_SIDE, &px, &why);
	if (rc != 0) {
		snprintf(err, errlen, "%s", why ? why : err_name(rc));
		return rc;
	}
	t0 = now_ms() - t0;
	rc = tagger_run_pixels(t, &px, res, err, errlen);
	res->ms_decode += t0;
	return rc;
}

void tagger_result_free(struct tagger_result *res)
{
	img_rgb_free(&res->px);
}
