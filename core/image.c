/* image.c: the validation pipeline's driver, resizing, orientation and
 * encoders (see image.h). Codecs live in image-jpeg.c and image-png.c. */
#include "image-int.h"
#include "err.h"
#include "i18n.h"

#include <errno.h>
#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <magic.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#define SNIFF_BYTES 65536

/* libmagic handles are not thread-safe: one per process, opened lazily. */
static magic_t magic_handle(void)
{
	static magic_t m;

	if (m == NULL) {
		m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
		if (m != NULL && magic_load(m, NULL) != 0) {
			fprintf(stderr, "libmagic: %s\n", magic_error(m));
			magic_close(m);
			m = NULL;
		}
	}
	return m;
}

void img_fit(unsigned w, unsigned h, unsigned max_side, unsigned *ow, unsigned *oh)
{
	unsigned long long lw = w, lh = h;

	if (max_side == 0 || (w <= max_side && h <= max_side)) {
		*ow = w;
		*oh = h;
	} else if (w >= h) {
		*ow = max_side;
		*oh = (unsigned)((lh * max_side + lw / 2) / lw);
	} else {
		*oh = max_side;
		*ow = (unsigned)((lw * max_side + lh / 2) / lh);
	}
	if (*ow == 0)
		*ow = 1;
	if (*oh == 0)
		*oh = 1;
}

int img_probe(const char *path, const struct img_limits *lim, struct img_info *info,
              const char **why)
{
	unsigned char *head;
	const char *mime;
	magic_t m = magic_handle();
	FILE *f;
	size_t n;
	int rc;

	memset(info, 0, sizeof(*info));
	info->orientation = 1;
	if (m == NULL) {
		*why = N_("The file type could not be checked.");
		return ERR_IO;
	}
	if ((f = fopen(path, "rb")) == NULL)
		return ERR_IO;
	head = malloc(SNIFF_BYTES);
	n = head ? fread(head, 1, SNIFF_BYTES, f) : 0;
	mime = n ? magic_buffer(m, head, n) : NULL;
	free(head);
	if (n == 0) {
		fclose(f);
		*why = N_("The file is empty.");
		return ERR_BADDATA;
	}
	if (mime != NULL && strcmp(mime, "image/jpeg") == 0) {
		info->type = IMG_JPEG;
		info->mime = "image/jpeg";
	} else if (mime != NULL && strcmp(mime, "image/png") == 0) {
		info->type = IMG_PNG;
		info->mime = "image/png";
	} else {
		fclose(f);
		*why =
		    N_("Only JPEG and PNG photos are accepted; this file is not one, whatever its "
		       "name says.");
		return ERR_TYPE;
	}
	rewind(f);
	rc = info->type == IMG_JPEG ? jpeg_probe(f, info, why) : png_probe(f, lim, info, why);
	fclose(f);
	if (rc != 0)
		return rc;
	if (info->raw_width == 0 || info->raw_height == 0) {
		*why = N_("The image has no pixels.");
		return ERR_BADDATA;
	}
	if ((uint64_t)info->raw_width * info->raw_height > lim->max_pixels) {
		*why = N_("The image has more pixels than this server accepts.");
		return ERR_LIMIT;
	}
	if (info->interlaced &&
	    (uint64_t)info->raw_width * info->raw_height > lim->max_interlaced) {
		*why = N_("Interlaced PNG images this large are not accepted; save it without "
		          "interlacing.");
		return ERR_LIMIT;
	}
	info->width = info->orientation >= 5 ? info->raw_height : info->raw_width;
	info->height = info->orientation >= 5 ? info->raw_width : info->raw_height;
	return 0;
}

/* Apply EXIF orientation: a new buffer when the image has to move. */
static int orient(struct img_rgb *im, int o)
{
	unsigned w = im->w, h = im->h, x, y, nw, nh;
	unsigned char *d;

	if (o <= 1 || o > 8)
		return 0;
	nw = o >= 5 ? h : w;
	nh = o >= 5 ? w : h;
	if ((d = malloc((size_t)nw * nh * 3)) == NULL)
		return ERR_NOMEM;
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			unsigned dx, dy;
			switch (o) {
			case 2: dx = w - 1 - x, dy = y; break;
			case 3: dx = w - 1 - x, dy = h - 1 - y; break;
			case 4: dx = x, dy = h - 1 - y; break;
			case 5: dx = y, dy = x; break;
			case 6: dx = h - 1 - y, dy = x; break;
			case 7: dx = h - 1 - y, dy = w - 1 - x; break;
			default: dx = y, dy = w - 1 - x; break;
			}
			memcpy(d + ((size_t)dy * nw + dx) * 3, im->px + ((size_t)y * w + x) * 3, 3);
		}
	}
	free(im->px);
	im->px = d;
	im->w = nw;
	im->h = nh;
	return 0;
}

int img_decode_fit(const char *path, const struct img_info *info, const struct img_limits *lim,
                   unsigned max_side, struct img_rgb *out, const char **why)
{
	unsigned dw, dh;
	FILE *f;
	int rc;

	memset(out, 0, sizeof(*out));
	img_fit(info->raw_width, info->raw_height, max_side, &dw, &dh);
	if ((f = fopen(path, "rb")) == NULL)
		return ERR_IO;
	rc = info->type == IMG_JPEG ? jpeg_decode(f, info, dw, dh, out, why)
	                            : png_decode(f, info, lim, dw, dh, out, why);
	fclose(f);
	if (rc == 0 && (rc = orient(out, info->orientation)) != 0)
		img_rgb_free(out);
	return rc;
}

int img_shrink_fit(const struct img_rgb *in, unsigned max_side, struct img_rgb *out)
{
	struct shrink s;
	unsigned w, h, y;
	int rc;

	img_fit(in->w, in->h, max_side, &w, &h);
	if ((rc = shrink_init(&s, in->w, in->h, w, h)) != 0)
		return rc;
	for (y = 0; y < in->h; y++)
		shrink_row(&s, y, in->px + (size_t)y * in->w * 3);
	shrink_finish(&s, out);
	return 0;
}

void img_rgb_free(struct img_rgb *im)
{
	free(im->px);
	memset(im, 0, sizeof(*im));
}

int exif_orientation(const unsigned char *data, unsigned len)
{
	ExifData *ed = exif_data_new_from_data(data, len);
	ExifEntry *e;
	int o = 1;

	if (ed == NULL)
		return 1;
	e = exif_data_get_entry(ed, EXIF_TAG_ORIENTATION);
	if (e != NULL && e->format == EXIF_FORMAT_SHORT && e->components == 1 && e->size >= 2) {
		o = exif_get_short(e->data, exif_data_get_byte_order(ed));
		if (o < 1 || o > 8)
			o = 1;
	}
	exif_data_unref(ed);
	return o;
}

/* --- box filter --- */

int shrink_init(struct shrink *s, unsigned sw, unsigned sh, unsigned dw, unsigned dh)
{
	unsigned x;

	memset(s, 0, sizeof(*s));
	if (dw == 0 || dh == 0 || dw > sw || dh > sh)
		return ERR_INVALID;
	s->sw = sw, s->sh = sh, s->dw = dw, s->dh = dh;
	s->xmap = malloc(sizeof(unsigned) * sw);
	s->xcnt = calloc(dw, sizeof(unsigned));
	s->acc = calloc((size_t)dw * 3, sizeof(uint32_t));
	s->out = malloc((size_t)dw * dh * 3);
	if (!s->xmap || !s->xcnt || !s->acc || !s->out) {
		shrink_free(s);
		return ERR_NOMEM;
	}
	for (x = 0; x < sw; x++) {
		s->xmap[x] = (unsigned)((unsigned long long)x * dw / sw);
		s->xcnt[s->xmap[x]]++;
	}
	return 0;
}

static void shrink_flush(struct shrink *s)
{
	unsigned char *o = s->out + (size_t)s->cur * s->dw * 3;
	unsigned x;

	for (x = 0; x < s->dw; x++) {
		uint32_t n = s->xcnt[x] * s->rows, half = n / 2;
		o[3 * x] = (unsigned char)((s->acc[3 * x] + half) / n);
		o[3 * x + 1] = (unsigned char)((s->acc[3 * x + 1] + half) / n);
		o[3 * x + 2] = (unsigned char)((s->acc[3 * x + 2] + half) / n);
	}
	memset(s->acc, 0, (size_t)s->dw * 3 * sizeof(uint32_t));
	s->rows = 0;
}

void shrink_row(struct shrink *s, unsigned y, const unsigned char *rgb)
{
	unsigned dy = (unsigned)((unsigned long long)y * s->dh / s->sh), x;

	if (s->dw == s->sw && s->dh == s->sh) { /* same size: a copy */
		memcpy(s->out + (size_t)y * s->dw * 3, rgb, (size_t)s->dw * 3);
		return;
	}
	if (dy != s->cur && s->rows > 0)
		shrink_flush(s);
	s->cur = dy;
	for (x = 0; x < s->sw; x++) {
		uint32_t *a = s->acc + 3 * s->xmap[x];
		a[0] += rgb[3 * x];
		a[1] += rgb[3 * x + 1];
		a[2] += rgb[3 * x + 2];
	}
	s->rows++;
}

void shrink_finish(struct shrink *s, struct img_rgb *im)
{
	if (s->rows > 0)
		shrink_flush(s);
	im->w = s->dw;
	im->h = s->dh;
	im->px = s->out;
	s->out = NULL;
	shrink_free(s);
}

void shrink_free(struct shrink *s)
{
	free(s->xmap);
	free(s->xcnt);
	free(s->acc);
	free(s->out);
	memset(s, 0, sizeof(*s));
}

/* --- encoders --- */

int img_encode_jpeg(const struct img_rgb *im, int quality, struct buf *out)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *mem = NULL;
	unsigned long size = 0;
	unsigned y;

	/* Encoding our own pixels into memory cannot meet corrupt input; the
	 * default error handler (exit) only fires on a programming error. */
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &size);
	c.image_width = im->w;
	c.image_height = im->h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
	c.optimize_coding = TRUE;
	jpeg_start_compress(&c, TRUE);
	for (y = 0; y < im->h; y++) {
		JSAMPROW row = im->px + (size_t)y * im->w * 3;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	buf_append(out, mem, size);
	free(mem);
	return 0;
}

static void png_write_buf(png_structp png, png_bytep data, size_t n)
{
	buf_append(png_get_io_ptr(png), data, n);
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

int img_encode_png(const struct img_rgb *im, struct buf *out)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned y;

	if (info == NULL) {
		png_destroy_write_struct(&png, NULL);
		return ERR_NOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return ERR_NOMEM;
	}
	png_set_write_fn(png, out, png_write_buf, png_flush_none);
	png_set_compression_level(png, 6);
	png_set_IHDR(png, info, im->w, im->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < im->h; y++)
		png_write_row(png, im->px + (size_t)y * im->w * 3);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}
