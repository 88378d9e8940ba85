/* image-int.h: shared between image.c and the codec files. */
#ifndef HT_IMAGE_INT_H
#define HT_IMAGE_INT_H

#include "image.h"

#include <stdint.h>
#include <stdio.h>

/* A box filter fed one source row at a time, top to bottom; each output
 * pixel is the mean of the source pixels that map onto it. */
struct shrink {
	unsigned sw, sh, dw, dh;
	unsigned *xmap; /* source column -> output column */
	unsigned *xcnt; /* source columns per output column */
	uint32_t *acc;  /* sums for the output row being built */
	unsigned rows;  /* source rows summed into acc */
	unsigned cur;   /* output row being built */
	unsigned char *out;
};

int shrink_init(struct shrink *s, unsigned sw, unsigned sh, unsigned dw, unsigned dh);
/* Add source row y (sw RGB pixels). Rows must come in order. */
void shrink_row(struct shrink *s, unsigned y, const unsigned char *rgb);
/* Finish; the result (dw×dh RGB) moves to im. */
void shrink_finish(struct shrink *s, struct img_rgb *im);
void shrink_free(struct shrink *s);

/* EXIF orientation (1..8) from an EXIF block ("Exif\0\0" + TIFF); 1 when
 * absent or unreadable. */
int exif_orientation(const unsigned char *data, unsigned len);

/* Codec entry points: header only, and full decode into a shrink. */
int jpeg_probe(FILE *f, struct img_info *info, const char **why);
int jpeg_decode(FILE *f, const struct img_info *info, unsigned dw, unsigned dh, struct img_rgb *out,
                const char **why);
int png_probe(FILE *f, const struct img_limits *lim, struct img_info *info, const char **why);
int png_decode(FILE *f, const struct img_info *info, const struct img_limits *lim, unsigned dw,
               unsigned dh, struct img_rgb *out, const char **why);

#endif
