/* i18n.h: the languages the interface speaks (English, Spanish) and their
 * message catalogs: GNU gettext .mo files, compiled by msgfmt from po/LANG.po
 * and read here, not by glibc.
 *
 * Why not glibc's gettext(): it ties the language to the process locale
 * (setlocale), so a worker serving an English and a Spanish request in a row
 * would have to switch the locale of the whole process each time, and it
 * only works when the system has the locale generated (a fresh Debian has
 * only C.UTF-8). Here each worker reads <dir>/<lang>/hashtagger.mo once at
 * start and every request carries the language it was answered in; nothing
 * depends on the system's locales.
 *
 * The .mo format (gettext manual, "The Format of GNU MO Files"): a header of
 * 32-bit words (magic 0x950412de in either byte order, revision 0, N strings,
 * offsets of the original and translation tables), then two tables of
 * (length, offset) pairs. Originals are sorted by bytes, so a lookup is a
 * binary search. A context is written "ctx\004msgid", a plural entry's
 * original is "singular\0plural" and its translation the forms separated by
 * NUL; the entry with the empty original is the header (Plural-Forms).
 *
 * Source strings: _() / N_() / NC_() in C (fcgi/app.h, below), {{#_}}...{{/_}}
 * in templates (tmpl.h); `make pot` extracts them into po/hashtagger.pot. */
#ifndef HT_I18N_H
#define HT_I18N_H

#include "arena.h"

#include <stddef.h>

/* Mark a string for the catalog without translating it here: the text is
 * translated later, where the language is known (N_), or is the English
 * pattern of a stored text translated when shown (NC_ with its context). */
#define N_(s) s
#define NC_(ctx, s) s

#define I18N_LANGS 2             /* English first: the default and the msgids' language */
#define I18N_DOMAIN "hashtagger" /* <dir>/<lang>/hashtagger.mo */

struct i18n_cat; /* one parsed .mo file, read-only once made */

/* Parse the .mo image data (copied). NULL and a reason in err when it is not
 * a well-formed .mo file. A translation whose printf conversions do not
 * match its msgid's is dropped (logged): a catalog cannot crash a printf.
 * Free with i18n_cat_free. */
struct i18n_cat *i18n_cat_parse(const void *data, size_t len, char *err, size_t errlen);
/* The same for the file at path (at most 16 MB). */
struct i18n_cat *i18n_cat_load(const char *path, char *err, size_t errlen);
void i18n_cat_free(struct i18n_cat *c);
/* The translation of msgid (in context ctx, or none when NULL), the plural
 * form for n when plural is not NULL; NULL when the catalog has none. The
 * string lives as long as the catalog. */
const char *i18n_cat_find(const struct i18n_cat *c, const char *ctx, const char *msgid,
                          const char *plural, unsigned long n);
/* The index of the plural form for n, per the catalog's Plural-Forms header
 * ("n != 1" for English and Spanish; also "n > 1" and "0"; anything else is
 * logged at load and read as "n != 1"). */
unsigned i18n_cat_plural(const struct i18n_cat *c, unsigned long n);
/* Number of messages (the header not counted). */
size_t i18n_cat_size(const struct i18n_cat *c);

/* One interface language. */
struct i18n_lang {
	const char *code;      /* "en", "es": <html lang>, the lang cookie, users.locale */
	const char *name;      /* its own name, for the language selector: "Español" */
	const char *decimal;   /* "1.5" / "1,5" */
	const char *thousands; /* "1,234" / "1.234" */
	struct i18n_cat *cat;  /* NULL: the msgids as they are (English, or no .mo) */
	int source;            /* the msgids' own language (English): texts stay as written */
};

/* The languages of one process, English first. */
struct i18n {
	struct i18n_lang lang[I18N_LANGS];
};

/* Fill in the languages and load <dir>/<code>/hashtagger.mo for each. A
 * missing or damaged catalog is logged and that language shows the English
 * msgids; this never fails. */
void i18n_open(struct i18n *i, const char *dir);
void i18n_close(struct i18n *i);
/* Is code one of our languages' codes ("en", "es"), exactly? */
int i18n_is_code(const char *code);
/* The language for a tag such as "es", "es-MX" or "ES_es" (its primary
 * subtag), or NULL when it is not one of ours. */
const struct i18n_lang *i18n_find(const struct i18n *i, const char *tag);
/* The best of our languages for an Accept-Language header ("es-MX,es;q=0.9,
 * en;q=0.5"): highest q, then the order given; NULL when none of ours is
 * acceptable (q=0 refuses one, "*" accepts any). */
const struct i18n_lang *i18n_accept(const struct i18n *i, const char *header);

/* Lookups for language l (NULL: English). Each returns the translation, or
 * the msgid (or, for ngettext, singular when n == 1 else plural) itself. */
const char *i18n_gettext(const struct i18n_lang *l, const char *msgid)
    __attribute__((format_arg(2)));
const char *i18n_pgettext(const struct i18n_lang *l, const char *ctx, const char *msgid)
    __attribute__((format_arg(3)));
const char *i18n_ngettext(const struct i18n_lang *l, const char *singular, const char *plural,
                          unsigned long n) __attribute__((format_arg(2), format_arg(3)));

/* Stored or composed English text in l's language (i18n-text.c; English:
 * text itself): its translation when the text is a msgid; else, when it is an instance of a
 * msgid with printf conversions ("Upload at most 20 photos at a time." of
 * "Upload at most %d photos at a time."), that msgid's translation with the
 * same values (numbers written l's way); else text unchanged. Arena-owned
 * or static. */
const char *i18n_text(const struct i18n_lang *l, struct arena *a, const char *text);
/* A hashtag's reason as tagd stored it ("cat detected (52%)") in l's
 * language: the same, with the msgids of context "reason" as patterns and
 * their %s values (object and colour words) translated in context "word". */
const char *i18n_reason(const struct i18n_lang *l, struct arena *a, const char *text);

/* Numbers, sizes and dates written l's way (i18n-fmt.c); arena-owned. */
const char *i18n_int(const struct i18n_lang *l, struct arena *a, long long n); /* 1,234 */
const char *i18n_fixed(const struct i18n_lang *l, struct arena *a, double v, int decimals);
/* "2.6 TB", "4.1 GB", "1.5 MB", "312 KB", "845 bytes" (decimal units; "1,5 MB"
 * in Spanish). */
const char *i18n_bytes(const struct i18n_lang *l, struct arena *a, long long n);
/* An ISO-8601 UTC time ("2026-11-23T07:13:00Z") as "23 Nov 2026" (date) or
 * "23 Nov 2026, 07:13 UTC" (datetime); "" for NULL, the input itself when it
 * does not start with YYYY-MM-DD. */
const char *i18n_date(const struct i18n_lang *l, struct arena *a, const char *iso);
const char *i18n_datetime(const struct i18n_lang *l, struct arena *a, const char *iso);
/* The same day without its year ("23 Nov"), for a chart's axis. */
const char *i18n_day_month(const struct i18n_lang *l, struct arena *a, const char *iso);

#endif
