/* hashtags-caption.c: hashtags from what the user typed. The caption is
 * split into whitespace-separated tokens; URLs, e-mail addresses and
 * @mentions are skipped whole; "#Something" is kept as written; every other
 * run of letters and digits (any script) is a word, so apostrophes split
 * ("María's" → María, s; "l'acqua" → l, acqua). Words are lowercased
 * (ASCII and Latin-1: "ÁRBOL" → "árbol"), dropped when they are English or
 * Spanish stopwords (people mix languages), numbers, or shorter than 3
 * bytes, and become tags with their first letter uppercased ("Árbol"). */
#include "hashtags-int.h"

#include <string.h>

#define WORD_CONF 0.9f     /* the user typed it */
#define HASHTAG_CONF 0.95f /* … and marked it as a hashtag */

static int is_space(int cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Length of the run of word code points (and '_' when underscore) at s. */
static size_t word_run(const char *s, size_t n, int underscore)
{
	size_t i = 0, len;

	while (i < n) {
		int cp = hashtags_utf8_next(s + i, n - i, &len);

		if (cp < 0 || !(hashtags_cp_is_word(cp) || (underscore && cp == '_')))
			break;
		i += len;
	}
	return i;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '_')
			return 0;
	return 1;
}

/* A token that is a link, an address or a mention says nothing about the photo. */
static int skip_token(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '@' || (i + 3 <= n && memcmp(s + i, "://", 3) == 0))
			return 1;
	return n >= 4 && (memcmp(s, "www.", 4) == 0 || memcmp(s, "WWW.", 4) == 0);
}

static void add_word(struct ht_cands *cs, const char *s, size_t n, int *words)
{
	char raw[TAG_MAX], low[TAG_MAX];
	size_t len;
	int cp;

	if (n < 3 || n >= TAG_MAX || all_digits(s, n) || *words >= HT_CAPTION_WORDS)
		return;
	memcpy(raw, s, n);
	raw[n] = '\0';
	if (hashtags_lower(raw, low, sizeof(low)) != 0 || hashtags_is_stopword(cs->r, low))
		return;
	/* the first letter uppercased keeps its byte length (ASCII, Latin-1) */
	cp = hashtags_utf8_next(low, n, &len);
	if (cp >= 0)
		hashtags_utf8_put(hashtags_cp_upper(cp), low);
	*words +=
	    hashtags_add(cs, low, WORD_CONF, 1, SRC_CAPTION, NC_("reason", "from your caption"));
}

static void add_hashtag(struct ht_cands *cs, const char *s, size_t n, int *tags)
{
	char name[TAG_MAX];

	if (n >= TAG_MAX || all_digits(s, n) || *tags >= HT_CAPTION_TAGS)
		return;
	memcpy(name, s, n);
	name[n] = '\0';
	*tags += hashtags_add(cs, name, HASHTAG_CONF, 1, SRC_CAPTION,
	                      NC_("reason", "hashtag in your caption"));
}

/* The words and hashtags of one whitespace-free token. */
static void token(struct ht_cands *cs, const char *s, size_t n, int *words, int *tags)
{
	size_t i = 0, len, run;

	while (i < n) {
		int cp = hashtags_utf8_next(s + i, n - i, &len);

		if (cp == '#' && (run = word_run(s + i + 1, n - i - 1, 1)) > 0) {
			add_hashtag(cs, s + i + 1, run, tags);
			i += 1 + run;
		} else if (cp >= 0 && hashtags_cp_is_word(cp)) {
			/* apostrophes split: "don't" → don (a stopword) and t (too short) */
			run = word_run(s + i, n - i, 0);
			add_word(cs, s + i, run, words);
			i += run;
		} else {
			i += len;
		}
	}
}

void hashtags_caption(struct ht_cands *cs, const char *caption)
{
	size_t n = strlen(caption), i = 0, len;
	int words = 0, tags = 0;

	while (i < n) {
		size_t start = i;

		while (i < n) { /* find the end of the token */
			int cp = hashtags_utf8_next(caption + i, n - i, &len);

			if (cp >= 0 && is_space(cp))
				break;
			i += len;
		}
		if (i > start && !skip_token(caption + start, i - start))
			token(cs, caption + start, i - start, &words, &tags);
		while (i < n) { /* and skip the spaces after it */
			int cp = hashtags_utf8_next(caption + i, n - i, &len);

			if (!(cp >= 0 && is_space(cp)))
				break;
			i += len;
		}
	}
}
