/* image-jpeg.c: JPEG header probe and decode with libjpeg-turbo. Errors
 * longjmp out of the library; so does every warning about the data
 * (truncation, corrupt entropy data, a bogus progression), since libjpeg
 * would otherwise fill the missing part with grey and carry on, and so does
 * a scan past JPEG_MAX_SCANS: each scan of a progressive file walks the
 * whole image again, so a few kilobytes of scans can cost minutes
 * (TurboJPEG's TJFLAG_LIMITSCANS is the same guard). */
#include "err.h"
#include "i18n.h"
#include "image-int.h"

#include <jerror.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define JPEG_MAX_SCANS 100 /* encoders write about 10 */

struct jerr {
	struct jpeg_error_mgr mgr;
	struct jpeg_progress_mgr progress;
	jmp_buf jb;
};

static void on_error(j_common_ptr c)
{
	longjmp(((struct jerr *)c->err)->jb, 1);
}

static void on_message(j_common_ptr c, int level)
{
	/* level -1: a warning about the data. Stray bytes between markers are
	 * common in camera files and harmless. */
	if (level < 0 && c->err->msg_code != JWRN_EXTRANEOUS_DATA)
		on_error(c);
}

static void on_progress(j_common_ptr c)
{
	if (((j_decompress_ptr)c)->input_scan_number > JPEG_MAX_SCANS)
		on_error(c);
}

static void setup(struct jpeg_decompress_struct *c, struct jerr *e, FILE *f)
{
	c->err = jpeg_std_error(&e->mgr);
	e->mgr.error_exit = on_error;
	e->mgr.emit_message = on_message;
	jpeg_create_decompress(c);
	e->progress.progress_monitor = on_progress;
	c->progress = &e->progress;
	jpeg_stdio_src(c, f);
}

int jpeg_probe(FILE *f, struct img_info *info, const char **why)
{
	struct jpeg_decompress_struct c;
	struct jerr e;
	jpeg_saved_marker_ptr m;

	setup(&c, &e, f);
	if (setjmp(e.jb)) {
		jpeg_destroy_decompress(&c);
		*why = N_("The JPEG header is damaged.");
		return ERR_BADDATA;
	}
	jpeg_save_markers(&c, JPEG_APP0 + 1, 0xffff);
	jpeg_read_header(&c, TRUE);
	info->raw_width = c.image_width;
	info->raw_height = c.image_height;
	for (m = c.marker_list; m != NULL; m = m->next)
		if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
		    memcmp(m->data, "Exif\0\0", 6) == 0) {
			info->orientation = exif_orientation(m->data, m->data_length);
			break;
		}
	jpeg_destroy_decompress(&c);
	return 0;
}

/* Adobe CMYK JPEGs store inverted values; plain ones do not. */
static void cmyk_to_rgb(const unsigned char *in, unsigned char *out, unsigned w, int inverted)
{
	unsigned x;

	for (x = 0; x < w; x++, in += 4, out += 3) {
		unsigned k = inverted ? in[3] : 255u - in[3];
		for (int i = 0; i < 3; i++) {
			unsigned v = inverted ? in[i] : 255u - in[i];
			out[i] = (unsigned char)((v * k + 127) / 255);
		}
	}
}

int jpeg_decode(FILE *f, const struct img_info *info, unsigned dw, unsigned dh, struct img_rgb *out,
                const char **why)
{
	struct jpeg_decompress_struct c;
	struct jerr e;
	struct shrink s = {0};
	unsigned char *volatile row = NULL, *volatile rgb = NULL;
	unsigned long long longside =
	    info->raw_width > info->raw_height ? info->raw_width : info->raw_height;
	unsigned want = dw > dh ? dw : dh, num;
	int cmyk;

	setup(&c, &e, f);
	if (setjmp(e.jb)) {
		jpeg_destroy_decompress(&c);
		shrink_free(&s);
		free(row);
		free(rgb);
		*why = N_("The JPEG data is damaged or incomplete.");
		return ERR_BADDATA;
	}
	jpeg_read_header(&c, TRUE);
	/* smallest DCT scale num/8 whose output still covers the target */
	for (num = 1; num < 8 && (longside * num + 7) / 8 < want; num++)
		;
	c.scale_num = num;
	c.scale_denom = 8;
	cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
	c.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(&c);
	row = malloc((size_t)c.output_width * (size_t)c.output_components);
	rgb = cmyk ? malloc((size_t)c.output_width * 3) : NULL;
	if (row == NULL || (cmyk && rgb == NULL) ||
	    shrink_init(&s, c.output_width, c.output_height,
	                dw < c.output_width ? dw : c.output_width,
	                dh < c.output_height ? dh : c.output_height) != 0)
		longjmp(e.jb, 1);
	while (c.output_scanline < c.output_height) {
		unsigned y = c.output_scanline;
		JSAMPROW r = row;
		jpeg_read_scanlines(&c, &r, 1);
		if (cmyk)
			cmyk_to_rgb(row, rgb, c.output_width, c.saw_Adobe_marker);
		shrink_row(&s, y, cmyk ? rgb : row);
	}
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	free(row);
	free(rgb);
	shrink_finish(&s, out);
	return 0;
}
