/* image-png.c: PNG header probe and decode with libpng under its own
 * limits: bounded chunk cache and ancillary-chunk decompression (zTXt/iCCP
 * bombs), CRC errors and "benign" errors (extra image data) fatal. Rows are
 * streamed into the box filter; only interlaced images need a full buffer,
 * and those have a lower pixel cap. */
#include "err.h"
#include "i18n.h"
#include "image-int.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

#define PNG_DIM_MAX 1000000u /* the pixel cap decides; this only bounds libpng */

static void on_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg; /* e.g. a known-incorrect sRGB profile: harmless */
}

static png_structp create(FILE *f, const struct img_limits *lim, png_infop *info)
{
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);

	if (png == NULL)
		return NULL;
	if ((*info = png_create_info_struct(png)) == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		return NULL;
	}
	png_set_user_limits(png, PNG_DIM_MAX, PNG_DIM_MAX);
	png_set_chunk_cache_max(png, 128);
	png_set_chunk_malloc_max(png, lim->max_chunk);
	png_set_benign_errors(png, 0);
	/* ICC profiles are dropped anyway; their sanity check is noise */
	png_set_option(png, PNG_SKIP_sRGB_CHECK_PROFILE, PNG_OPTION_ON);
	png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
	png_init_io(png, f);
	return png;
}

int png_probe(FILE *f, const struct img_limits *lim, struct img_info *info, const char **why)
{
	png_infop pi = NULL;
	png_structp png = create(f, lim, &pi);
	png_uint_32 n = 0;
	png_bytep exif = NULL;

	if (png == NULL)
		return ERR_NOMEM;
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &pi, NULL);
		*why = N_("The PNG header is damaged.");
		return ERR_BADDATA;
	}
	png_read_info(png, pi);
	info->raw_width = png_get_image_width(png, pi);
	info->raw_height = png_get_image_height(png, pi);
	info->interlaced = png_get_interlace_type(png, pi) != PNG_INTERLACE_NONE;
	if (png_get_eXIf_1(png, pi, &n, &exif) != 0 && n > 8 && n < 65536) {
		unsigned char *blk = malloc(n + 6);
		if (blk != NULL) {
			memcpy(blk, "Exif\0\0", 6);
			memcpy(blk + 6, exif, n);
			info->orientation = exif_orientation(blk, n + 6);
			free(blk);
		}
	}
	png_destroy_read_struct(&png, &pi, NULL);
	return 0;
}

/* RGBA row over white, to RGB. */
static void flatten(const unsigned char *in, unsigned char *out, unsigned w)
{
	unsigned x;

	for (x = 0; x < w; x++, in += 4, out += 3) {
		unsigned a = in[3];
		for (int i = 0; i < 3; i++)
			out[i] = (unsigned char)((in[i] * a + 255u * (255u - a) + 127) / 255);
	}
}

int png_decode(FILE *f, const struct img_info *info, const struct img_limits *lim, unsigned dw,
               unsigned dh, struct img_rgb *out, const char **why)
{
	png_infop pi = NULL;
	png_structp png = create(f, lim, &pi);
	struct shrink s = {0};
	unsigned char *volatile rows = NULL, *volatile rgb = NULL;
	png_bytep *volatile rp = NULL;
	unsigned w = info->raw_width, h = info->raw_height, y;

	if (png == NULL)
		return ERR_NOMEM;
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &pi, NULL);
		shrink_free(&s);
		free(rows);
		free(rgb);
		free(rp);
		*why = N_("The PNG data is damaged or incomplete.");
		return ERR_BADDATA;
	}
	png_read_info(png, pi);
	if (png_get_image_width(png, pi) != w || png_get_image_height(png, pi) != h)
		png_error(png, "changed");
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	if (info->interlaced)
		png_set_interlace_handling(png);
	png_read_update_info(png, pi);
	if (png_get_rowbytes(png, pi) != (size_t)w * 4)
		png_error(png, "unexpected row layout");
	rows = malloc((size_t)w * 4 * (info->interlaced ? h : 1));
	rgb = malloc((size_t)w * 3);
	if (rows == NULL || rgb == NULL || shrink_init(&s, w, h, dw, dh) != 0)
		png_error(png, "out of memory");
	if (info->interlaced) {
		if ((rp = malloc(sizeof(png_bytep) * h)) == NULL)
			png_error(png, "out of memory");
		for (y = 0; y < h; y++)
			rp[y] = rows + (size_t)y * w * 4;
		png_read_image(png, rp);
	}
	for (y = 0; y < h; y++) {
		unsigned char *r = rows + (info->interlaced ? (size_t)y * w * 4 : 0);
		if (!info->interlaced)
			png_read_row(png, r, NULL);
		flatten(r, rgb, w);
		shrink_row(&s, y, rgb);
	}
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &pi, NULL);
	free(rows);
	free(rgb);
	free(rp);
	shrink_finish(&s, out);
	return 0;
}
