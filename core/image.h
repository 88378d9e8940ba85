/* image.h: every byte of an uploaded photo is checked here before it is
 * trusted, in this order: MIME type from the bytes (libmagic) → dimensions
 * from the header only, against a pixel cap → a full decode under the
 * codec's own limits (libjpeg-turbo, libpng), where any corruption is an
 * error → EXIF orientation (libexif). Decoding shrinks on the fly (JPEG
 * DCT scaling, then a box filter over streamed rows), so making a 400 px
 * thumbnail of a 12 MP photo never holds the full-size pixels. Encoders
 * write no metadata at all: derivatives carry no EXIF, no GPS. */
#ifndef HT_IMAGE_H
#define HT_IMAGE_H

#include "buf.h"

#include <stdint.h>

enum img_type { IMG_NONE, IMG_JPEG, IMG_PNG };

struct img_limits {
	uint64_t max_pixels;     /* width × height cap checked on the header */
	uint64_t max_interlaced; /* pixels cap for interlaced PNG (needs a full buffer) */
	unsigned long max_chunk; /* PNG: largest ancillary chunk to decompress */
};

struct img_info {
	enum img_type type;
	const char *mime;       /* "image/jpeg", "image/png" */
	unsigned width, height; /* as displayed: EXIF orientation applied */
	unsigned raw_width, raw_height;
	int orientation; /* EXIF 1..8; 1 when absent */
	int interlaced;
};

/* 8-bit RGB pixels, rows top to bottom, no padding. */
struct img_rgb {
	unsigned w, h;
	unsigned char *px; /* malloc'd; img_rgb_free */
};

/* Identify the file and read its header: ERR_TYPE (not JPEG/PNG by its
 * bytes), ERR_BADDATA (unreadable header, zero size) or ERR_LIMIT (over the
 * pixel cap), each with *why a sentence for the user; ERR_IO. */
int img_probe(const char *path, const struct img_limits *lim, struct img_info *info,
              const char **why);
/* Decode the whole file and return it shrunk so that its longer side is at
 * most max_side (0: full size), orientation applied. Any corruption or
 * truncation is ERR_BADDATA with *why. */
int img_decode_fit(const char *path, const struct img_info *info, const struct img_limits *lim,
                   unsigned max_side, struct img_rgb *out, const char **why);
/* A copy of in shrunk by the same box filter so that its longer side is at
 * most max_side (0: same size). ERR_NOMEM. */
int img_shrink_fit(const struct img_rgb *in, unsigned max_side, struct img_rgb *out);
/* Encode as baseline JPEG (quality 1..100) or PNG, appending to out. */
int img_encode_jpeg(const struct img_rgb *im, int quality, struct buf *out);
int img_encode_png(const struct img_rgb *im, struct buf *out);
void img_rgb_free(struct img_rgb *im);

/* The long side of a w×h image scaled to fit max_side (0: no limit), and the
 * short side in proportion (at least 1). */
void img_fit(unsigned w, unsigned h, unsigned max_side, unsigned *ow, unsigned *oh);

#endif
