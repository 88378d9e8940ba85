/* tagger.h: a photo in, what the models saw out. Preprocessing is C: the
 * photo is decoded straight to the size the models need (libjpeg-turbo DCT
 * scaling, never a full-size decode of a 12 MP photo), letterboxed to
 * 512×512 for the object detector (aspect kept, zero padding right/bottom,
 * RGB 0..255) and stretched to 224×224 (RGB 0..1) for the NSFW classifier.
 * Inference runs in libtorch through libht-torch.so, loaded with dlopen
 * only by the processes that tag (tagd, `hashtagger tag`).
 * A tagger is single-threaded: one per process. */
#ifndef HT_TAGGER_H
#define HT_TAGGER_H

#include "hashtags.h"
#include "image.h"

#include <stddef.h>

#define TAGGER_SIDE 512 /* detector input side */
#define TAGGER_NSFW_SIDE 224
#define TAGGER_DETS 100  /* rows of the detector output */
#define TAGGER_EMBED 720 /* pooled backbone features */
#define TAGGER_NSFW 5    /* Drawing, Hentai, Neutral, Porn, Sexy */
#define TAGGER_MIN_SCORE 0.05f

struct tagger;

struct tagger_result {
	struct detection det[TAGGER_DETS]; /* score >= TAGGER_MIN_SCORE, best first */
	int ndet;
	float embed[TAGGER_EMBED]; /* L2-normalised */
	float nsfw[TAGGER_NSFW];   /* class probabilities */
	float nsfw_score;          /* P(Hentai) + P(Porn): what moderation uses */
	struct img_rgb px;         /* the decoded photo, long side <= 512 */
	double ms_decode, ms_infer;
};

/* Load libht-torch.so (lib, or next to the running binary when empty or
 * NULL), both models from model_dir (centernet.pt, nsfw.pt) with the given
 * intra-op thread count, and warm them up with one forward each.
 * NULL with a reason in err. Free with tagger_close. */
struct tagger *tagger_open(const char *model_dir, const char *lib, int threads, char *err,
                           size_t errlen);
void tagger_close(struct tagger *t);

/* Probe, decode and run both models on the photo at path. 0, or
 * ERR_TYPE/ERR_BADDATA/ERR_LIMIT (the file cannot be used) / ERR_IO with a
 * reason in err, or ERR_UNAVAILABLE when inference itself failed. res->px
 * is set on success only; release with tagger_result_free. */
int tagger_run(struct tagger *t, const char *path, const struct img_limits *lim,
               struct tagger_result *res, char *err, size_t errlen);
/* The same on pixels already decoded to a longer side of at most
 * TAGGER_SIDE (images_validate's); they move into res->px, *px is left
 * empty. 0 or ERR_UNAVAILABLE. */
int tagger_run_pixels(struct tagger *t, struct img_rgb *px, struct tagger_result *res, char *err,
                      size_t errlen);
void tagger_result_free(struct tagger_result *res);

/* Letterbox im into dst (side×side×3 floats, 0..255, zero padded right and
 * bottom), bilinear. Writes the content size to *cw, *ch. */
void tagger_letterbox(const struct img_rgb *im, int side, float *dst, int *cw, int *ch);

#endif
