/* hashtags.h: turn tagger signals into ranked, explained hashtags.
 *
 * Inputs are what the tagger saw (detections from the object model, the
 * decoded pixels) and what the user typed (caption). Output is a ranked list
 * of hashtags, each with a confidence, a source the user is shown and a short
 * reason. Pure computation: no database, no model, no allocation after
 * rules_load, so it is unit-tested on its own and reused by `hashtagger tag`,
 * tagd and (later) the history suggestions.
 *
 * Tags are kept in CamelCase as written in the rules ("BlackAndWhite"); the
 * lowercase form is derived, never the other way round. No leading '#'. */
#ifndef HT_HASHTAGS_H
#define HT_HASHTAGS_H

#include <stddef.h>
#include <stdint.h>

#define TAG_MAX 64     /* bytes of one tag incl. NUL (UTF-8) */
#define TAG_WHY_MAX 96 /* bytes of one reason incl. NUL */

enum tag_source {
	SRC_OBJECT,
	SRC_PEOPLE,
	SRC_COLOUR,
	SRC_CAPTION,
	SRC_HISTORY,
	SRC_USER,
	SRC__MAX
};

enum tag_lang { LANG_EN = 1, LANG_ES = 2, LANG_BOTH = 3 };

struct tag {
	char name[TAG_MAX]; /* CamelCase, no '#' */
	float conf;         /* 0..1 */
	enum tag_source src;
	char why[TAG_WHY_MAX]; /* English, e.g. "cat detected (92%)" */
};

/* One detection from the object model, coordinates normalised to 0..1 of
 * the photo (not of the letterboxed model input); cls is the COCO index 0..79. */
struct detection {
	float x1, y1, x2, y2, score;
	int cls;
};

/* The photo as the tagger decoded it: packed RGB, w*h*3 bytes, any size
 * (typically the long side 512). */
struct pixels {
	const uint8_t *rgb;
	int w, h;
};

struct tag_input {
	const struct detection *det;
	int ndet;
	struct pixels px;
	const char *caption; /* UTF-8 or NULL */
	enum tag_lang lang;
};

struct rules; /* opaque: parsed models/rules.txt + ban list + stopwords */

/* Load and validate the rules file and the word lists next to it
 * (stopwords-en.txt, stopwords-es.txt, ban.txt in the same directory; the
 * formats are described at the top of each file in models/). Returns NULL
 * and writes "file:line: reason" into err on any error. Caller frees with
 * rules_free. The result is read-only: one may serve several threads. */
struct rules *rules_load(const char *path, char *err, size_t errlen);
void rules_free(struct rules *r);

/* Compute hashtags from all signals, merged (one entry per lowercase form,
 * highest confidence wins, reasons of the winner kept), banned ones dropped,
 * ranked by confidence*priority, at most max written to out.
 * Returns the number written (0..max). in->det may be NULL (ndet 0),
 * in->px.rgb NULL (no colour signals); a lang other than LANG_EN, LANG_ES
 * or LANG_BOTH means LANG_EN. No allocation: about 60 KiB of stack; caps:
 * 256 distinct candidate tags (the weakest give way), 12 caption words,
 * 30 hashtags typed in the caption. */
int hashtags_make(const struct rules *r, const struct tag_input *in, struct tag *out, int max);

/* Name of a source as stored in image_tags.source and shown to users:
 * "object", "people", "colour", "caption", "history", "user". */
const char *tag_source_name(enum tag_source s);

/* Write the tag in the given format into out: '#' + lowercase (lower=1) or
 * '#' + CamelCase (lower=0). Lowercasing handles ASCII and Latin-1
 * Supplement letters (Á→á, Ñ→ñ) in UTF-8. A too small out gets as much as
 * fits without cutting a UTF-8 sequence (outlen TAG_MAX + 1 always fits).
 * Returns out. */
char *tag_format(const char *name, int lower, char *out, size_t outlen);

#endif
