/* hashtags-int.h: private to core/hashtags*.c. The parsed rules, the
 * candidate set the signals add to, and the UTF-8 helpers they share.
 *
 *   hashtags.c         hashtags_make: objects and people, merge, ranking, formatting
 *   hashtags-rules.c   rules_load: rules.txt, ban.txt, stopwords-*.txt
 *   hashtags-colour.c  colour and light from the pixels
 *   hashtags-caption.c words and hashtags the user typed */
#ifndef HT_HASHTAGS_INT_H
#define HT_HASHTAGS_INT_H

#include "hashtags.h"
#include "i18n.h"

#define HT_CLASSES 80       /* COCO classes, index = detection.cls */
#define HT_RULE_TAGS 8      /* tags per language per class */
#define HT_RULE_PARENTS 4   /* parent categories per class */
#define HT_LINE_MAX 1024    /* bytes of one line of any models file, without newline */
#define HT_WORD_MAX 32      /* bytes of one stopword incl. NUL */
#define HT_STOP_MAX 2048    /* stopwords, both languages together */
#define HT_BAN_MAX 1024     /* banned tags */
#define HT_CANDS_MAX 256    /* distinct candidate tags per photo (on the stack, ~60 KiB) */
#define HT_CAPTION_WORDS 12 /* caption words kept (first distinct ones) */
#define HT_CAPTION_TAGS 30  /* hashtags typed in the caption kept (Instagram's cap) */

enum { HT_EN, HT_ES, HT_LANGS }; /* bit (1 << HT_xx) is the enum tag_lang bit */

struct ht_rule {
	float thr, prio;
	int line; /* where it was defined, 0 = missing */
	int ntags[HT_LANGS];
	char tags[HT_LANGS][HT_RULE_TAGS][TAG_MAX];
	char plural[HT_LANGS][TAG_MAX]; /* "" when none */
	int nparents;
	char parents[HT_RULE_PARENTS][HT_LANGS][TAG_MAX];
};

struct rules {
	struct ht_rule cls[HT_CLASSES];
	int nstop, nban;
	char stop[HT_STOP_MAX][HT_WORD_MAX]; /* lowercase, sorted */
	char ban[HT_BAN_MAX][TAG_MAX];       /* lowercase, sorted */
};

/* COCO class names in index order ("person", …, "toothbrush"). */
extern const char *const hashtags_coco[HT_CLASSES];

/* 1 when the lowercase word is a stopword / the lowercase tag is banned. */
int hashtags_is_stopword(const struct rules *r, const char *lower);
int hashtags_is_banned(const struct rules *r, const char *lower);

struct ht_cand {
	struct tag t;
	float prio;
	char key[TAG_MAX]; /* lowercase form: the merge key */
};

/* What the signals of one photo proposed, one entry per lowercase form. */
struct ht_cands {
	const struct rules *r;
	int n;
	struct ht_cand c[HT_CANDS_MAX];
};

/* Propose a tag: banned, empty or overlong names and conf <= 0 are ignored;
 * an existing entry with the same lowercase form is replaced only by a higher
 * confidence; when the set is full the weakest entry makes room for a
 * stronger one. why is a printf format. Returns 1 when a new entry was made. */
int hashtags_add(struct ht_cands *cs, const char *name, float conf, float prio, enum tag_source src,
                 const char *why, ...) __attribute__((format(printf, 6, 7)));

/* The colour and light signals of px, in the languages of lang. */
void hashtags_colour(struct ht_cands *cs, const struct pixels *px, enum tag_lang lang);
/* The caption signals: words (stopwords dropped) and typed hashtags. */
void hashtags_caption(struct ht_cands *cs, const char *caption);

/* Decode one code point from s[0..n), n >= 1; -1 for an invalid sequence.
 * *len is the number of bytes consumed (1 for invalid). */
int hashtags_utf8_next(const char *s, size_t n, size_t *len);
/* Encode cp (valid) into out (room for 4); returns the byte count. */
size_t hashtags_utf8_put(int cp, char *out);
/* Case mapping of ASCII and Latin-1 Supplement letters; others unchanged. */
int hashtags_cp_lower(int cp);
int hashtags_cp_upper(int cp);
/* A letter or digit, in any script (approximate: everything that is not
 * ASCII/Latin-1 punctuation, a symbol, an emoji or a space counts). */
int hashtags_cp_is_word(int cp);
/* Lowercase the UTF-8 string s into out (same byte length: the mapping
 * keeps sequence lengths); invalid bytes are copied. Returns 0, or -1 when
 * out is too small. */
int hashtags_lower(const char *s, char *out, size_t outlen);

#endif
