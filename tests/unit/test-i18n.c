/* test-i18n.c: .mo catalogs (parsing, damaged files, lookups, contexts,
 * plural forms, format checks), composed-text and reason translation,
 * Accept-Language, numbers and dates, and the real catalogs against the
 * templates (build/locale, made by `make`; HT_LOCALE names another). */
#include "arena.h"
#include "buf.h"
#include "i18n.h"
#include "t.h"
#include "tmpl.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

struct entry {
	const char *key, *val;
	size_t klen, vlen;
};

/* E("key", "value"): lengths from the literals, so "\0" and "\004" work. */
#define E(k, v)                                    \
	{                                          \
		k, v, sizeof(k) - 1, sizeof(v) - 1 \
	}

#define HEADER \
	"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"

static void put32(struct buf *b, uint32_t v, int big)
{
	unsigned char w[4];

	for (int i = 0; i < 4; i++)
		w[i] = (unsigned char)(v >> (big ? 24 - 8 * i : 8 * i));
	buf_append(b, w, 4);
}

/* A .mo image of e[0..n) (sorted by the caller), as msgfmt writes one. */
static void mo_build(struct buf *b, const struct entry *e, int n, int big)
{
	uint32_t otab = 28, ttab = otab + 8 * (uint32_t)n, off = ttab + 8 * (uint32_t)n;

	buf_clear(b);
	put32(b, 0x950412de, big);
	put32(b, 0, big);
	put32(b, (uint32_t)n, big);
	put32(b, otab, big);
	put32(b, ttab, big);
	put32(b, 0, big);
	put32(b, off, big);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			size_t len = pass ? e[i].vlen : e[i].klen;
			put32(b, (uint32_t)len, big);
			put32(b, off, big);
			off += (uint32_t)len + 1;
		}
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			buf_append(b, pass ? e[i].val : e[i].key, pass ? e[i].vlen : e[i].klen);
			buf_putc(b, '\0');
		}
}

static const struct entry spanish[] = {
    E("", HEADER),
    E("%s byte\0%s bytes", "%s byte\0%s bytes"),
    E("%s is bad", "%d es malo"), /* wrong conversion: must be dropped */
    E("Log in", "Entrar"),
    E("Upload at most %d photos at a time.", "Sube como mucho %d fotos a la vez."),
    E("month\004Nov", "nov"),
    E("one photo\0%d photos", "una foto\0%d fotos"),
    E("reason\004%d %s detected", "%d %s en la foto"),
    E("reason\004%s covers %d%% of the photo", "el %2$d %% de la foto es %1$s"),
    E("reason\004%s detected (%d%%)", "%s en la foto (%d %%)"),
    E("reason\004from your caption", "de tu pie de foto"),
    E("reason\004wide %.1f:1 frame", "encuadre ancho %.1f:1"),
    E("word\004cat", "gato"),
    E("word\004dogs", "perros"),
};
#define NSPANISH (int)(sizeof(spanish) / sizeof(spanish[0]))

static struct i18n_cat *spanish_cat(int big)
{
	struct buf b = {0};
	char err[128] = "";
	struct i18n_cat *c;

	mo_build(&b, spanish, NSPANISH, big);
	c = i18n_cat_parse(b.data, b.len, err, sizeof(err));
	if (c == NULL)
		fprintf(stderr, "  parse: %s\n", err);
	buf_free(&b);
	return c;
}

static void test_lookup_both_byte_orders(void)
{
	for (int big = 0; big < 2; big++) {
		struct i18n_cat *c = spanish_cat(big);
		T_CHECK(c != NULL);
		if (c == NULL)
			continue;
		T_STREQ(i18n_cat_find(c, NULL, "Log in", NULL, 0), "Entrar");
		T_CHECK(i18n_cat_find(c, NULL, "Log out", NULL, 0) == NULL);
		T_CHECK(i18n_cat_find(c, NULL, "", NULL, 0) == NULL); /* the header is not a msg */
		T_STREQ(i18n_cat_find(c, "month", "Nov", NULL, 0), "nov");
		T_CHECK(i18n_cat_find(c, NULL, "Nov", NULL, 0) == NULL);
		T_CHECK(i18n_cat_find(c, "word", "Nov", NULL, 0) == NULL);
		T_CHECK(i18n_cat_find(c, NULL, "%s is bad", NULL, 0) == NULL);
		T_CHECK(i18n_cat_size(c) == (size_t)NSPANISH - 2);
		i18n_cat_free(c);
	}
}

static void test_plural_forms(void)
{
	static const struct entry french[] = {
	    E("", "Plural-Forms: nplurals=2; plural=(n > 1);\n"),
	    E("one photo\0%d photos", "une photo\0%d photos"),
	};
	static const struct entry odd[] = {E("", "Plural-Forms: nplurals=3; plural=n%10==1;\n")};
	struct i18n_lang es = {"es", "Español", ",", ".", spanish_cat(0), 0};
	struct buf b = {0};
	struct i18n_cat *c;
	char err[128];

	T_STREQ(i18n_ngettext(&es, "one photo", "%d photos", 1), "una foto");
	T_STREQ(i18n_ngettext(&es, "one photo", "%d photos", 0), "%d fotos");
	T_STREQ(i18n_ngettext(&es, "one photo", "%d photos", 2), "%d fotos");
	T_STREQ(i18n_ngettext(&es, "a cat", "%d cats", 2), "%d cats");
	T_STREQ(i18n_ngettext(NULL, "a cat", "%d cats", 1), "a cat");
	i18n_cat_free(es.cat);
	mo_build(&b, french, 2, 0);
	c = i18n_cat_parse(b.data, b.len, err, sizeof(err));
	T_CHECK(c != NULL && i18n_cat_plural(c, 0) == 0 && i18n_cat_plural(c, 2) == 1);
	T_STREQ(c ? i18n_cat_find(c, NULL, "one photo", "%d photos", 0) : NULL, "une photo");
	i18n_cat_free(c);
	mo_build(&b, odd, 1, 0); /* an expression we do not evaluate: n != 1 */
	c = i18n_cat_parse(b.data, b.len, err, sizeof(err));
	T_CHECK(c != NULL && i18n_cat_plural(c, 1) == 0 && i18n_cat_plural(c, 21) == 1);
	i18n_cat_free(c);
	buf_free(&b);
}

/* A damaged file is refused with a reason, never read out of bounds (the
 * sanitizer build runs this too). */
static void test_damaged_files(void)
{
	static const struct entry unsorted[] = {E("b", "x"), E("a", "y")};
	struct buf b = {0};
	char err[128];
	struct i18n_cat *c;
	int refused = 0, quiet, devnull;

	T_CHECK(i18n_cat_parse("", 0, err, sizeof(err)) == NULL);
	T_CHECK(i18n_cat_parse("\xde\x12\x04\x95", 4, err, sizeof(err)) == NULL);
	T_CHECK(i18n_cat_parse("this is not a catalog at all", 28, err, sizeof(err)) == NULL);
	T_CHECK(strstr(err, "magic") != NULL);
	mo_build(&b, unsorted, 2, 0);
	T_CHECK(i18n_cat_parse(b.data, b.len, err, sizeof(err)) == NULL);
	T_CHECK(strstr(err, "sorted") != NULL);
	mo_build(&b, spanish + 3, NSPANISH - 3, 0); /* (without the dropped one: quieter) */
	for (size_t len = 0; len < b.len; len++) {  /* every truncation */
		c = i18n_cat_parse(b.data, len, err, sizeof(err));
		refused += c == NULL;
		i18n_cat_free(c);
	}
	T_CHECK(refused == (int)b.len);
	srand(7);
	quiet = dup(2); /* damaged translations are dropped with a log line each */
	if (quiet >= 0 && (devnull = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(devnull, 2);
		close(devnull);
	}
	for (int i = 0; i < 3000; i++) { /* random damage: refused or read safely */
		struct buf d = {0};
		buf_append(&d, b.data, b.len);
		for (int k = 0; k < 1 + i % 4; k++)
			d.data[(size_t)rand() % d.len] = (char)rand();
		c = i18n_cat_parse(d.data, d.len, err, sizeof(err));
		if (c != NULL)
			(void)i18n_cat_find(c, NULL, "Log in", "x", 3);
		i18n_cat_free(c);
		buf_free(&d);
	}
	if (quiet >= 0) {
		dup2(quiet, 2);
		close(quiet);
	}
	T_CHECK(i18n_cat_load("/nonexistent/es.mo", err, sizeof(err)) == NULL);
	buf_free(&b);
}

static void test_text_and_reasons(void)
{
	struct i18n_lang es = {"es", "Español", ",", ".", spanish_cat(0), 0};
	struct arena a;

	arena_init(&a, 0);
	T_STREQ(i18n_text(&es, &a, "Log in"), "Entrar");
	T_STREQ(i18n_text(&es, &a, "Upload at most 1500 photos at a time."),
	        "Sube como mucho 1.500 fotos a la vez.");
	T_STREQ(i18n_text(&es, &a, "Upload at most many photos at a time."),
	        "Upload at most many photos at a time.");
	T_STREQ(i18n_text(&es, &a, "Something else."), "Something else.");
	T_STREQ(i18n_text(NULL, &a, "Log in"), "Log in");
	T_STREQ(i18n_reason(&es, &a, "cat detected (52%)"), "gato en la foto (52 %)");
	T_STREQ(i18n_reason(&es, &a, "3 dogs detected"), "3 perros en la foto");
	T_STREQ(i18n_reason(&es, &a, "traffic light detected (40%)"),
	        "traffic light en la foto (40 %)"); /* no word: kept */
	T_STREQ(i18n_reason(&es, &a, "red covers 40% of the photo"), "el 40 % de la foto es red");
	T_STREQ(i18n_reason(&es, &a, "wide 2.5:1 frame"), "encuadre ancho 2,5:1");
	T_STREQ(i18n_reason(&es, &a, "from your caption"), "de tu pie de foto");
	T_STREQ(i18n_reason(&es, &a, "Log in"), "Log in"); /* not a reason */
	T_STREQ(i18n_text(&es, &a, "cat detected (52%)"), "cat detected (52%)");
	{ /* the msgids' own language keeps composed and stored text as it is */
		struct i18n_lang en = {"en", "English", ".", ",", es.cat, 1};
		T_STREQ(i18n_reason(&en, &a, "cat detected (52%)"), "cat detected (52%)");
		T_STREQ(i18n_text(&en, &a, "Upload at most 1500 photos at a time."),
		        "Upload at most 1500 photos at a time.");
	}
	i18n_cat_free(es.cat);
	arena_free(&a);
}

static void test_accept_language(void)
{
	struct i18n i;

	i18n_open(&i, "/nonexistent"); /* no catalogs: logged, still usable */
	T_STREQ(i18n_accept(&i, "es")->code, "es");
	T_STREQ(i18n_accept(&i, "es-MX,es;q=0.9,en;q=0.8")->code, "es");
	T_STREQ(i18n_accept(&i, "en-US,en;q=0.9,es;q=0.8")->code, "en");
	T_STREQ(i18n_accept(&i, "fr-FR, fr;q=0.9, es;q=0.5, en;q=0.4")->code, "es");
	T_STREQ(i18n_accept(&i, "es;q=0.5, en;q=0.7")->code, "en");
	T_STREQ(i18n_accept(&i, "en;q=0.5,es;q=0.5")->code, "en"); /* a tie: the first */
	T_STREQ(i18n_accept(&i, "de, *;q=0.1")->code, "en");
	T_STREQ(i18n_accept(&i, "ES")->code, "es");
	T_CHECK(i18n_accept(&i, "fr, de") == NULL);
	T_CHECK(i18n_accept(&i, "es;q=0") == NULL);
	T_CHECK(i18n_accept(&i, "es;q=2, es;x=1, ;q=1,,") == NULL);
	T_CHECK(i18n_accept(&i, "") == NULL && i18n_accept(&i, NULL) == NULL);
	T_STREQ(i18n_find(&i, "es_ES")->code, "es");
	T_CHECK(i18n_find(&i, "esp") == NULL && i18n_find(&i, "e s") == NULL);
	T_STREQ(i18n_gettext(i18n_find(&i, "es"), "Log in"), "Log in");
	i18n_close(&i);
}

static void test_numbers_and_dates(void)
{
	struct i18n_lang en = {"en", "English", ".", ",", NULL, 1};
	struct i18n_lang es = {"es", "Español", ",", ".", spanish_cat(0), 0};
	struct arena a;

	arena_init(&a, 0);
	T_STREQ(i18n_int(&en, &a, 1234), "1,234");
	T_STREQ(i18n_int(&es, &a, 1234), "1.234");
	T_STREQ(i18n_int(&es, &a, -1234567), "-1.234.567");
	T_STREQ(i18n_int(&en, &a, 999), "999");
	T_STREQ(i18n_int(&en, &a, 0), "0");
	T_STREQ(i18n_fixed(&es, &a, 1234.56, 1), "1.234,6");
	T_STREQ(i18n_fixed(&en, &a, -0.04, 1), "0.0");
	T_STREQ(i18n_bytes(&en, &a, 1500000), "1.5 MB");
	T_STREQ(i18n_bytes(&es, &a, 1500000), "1,5 MB");
	T_STREQ(i18n_bytes(&es, &a, 312400), "312 KB");
	T_STREQ(i18n_bytes(&en, &a, 845), "845 bytes");
	T_STREQ(i18n_bytes(&en, &a, 1), "1 byte");
	T_STREQ(i18n_bytes(&es, &a, 4100000000LL), "4,1 GB");
	T_STREQ(i18n_bytes(&en, &a, 2600000000000LL), "2.6 TB");
	T_STREQ(i18n_date(&en, &a, "2026-11-23T07:13:00Z"), "23 Nov 2026");
	T_STREQ(i18n_date(&es, &a, "2026-11-03"), "3 nov 2026");
	T_STREQ(i18n_datetime(&en, &a, "2026-11-23T07:13:00Z"), "23 Nov 2026, 07:13 UTC");
	T_STREQ(i18n_datetime(&es, &a, "2026-11-23T07:13:00Z"), "23 nov 2026, 07:13 UTC");
	T_STREQ(i18n_datetime(&es, &a, "2026-11-23"), "23 nov 2026");
	T_STREQ(i18n_date(&en, &a, "yesterday"), "yesterday");
	T_STREQ(i18n_date(&en, &a, "2026-13-01"), "2026-13-01");
	T_STREQ(i18n_date(&en, &a, NULL), "");
	T_STREQ(i18n_day_month(&en, &a, "2026-03-03"), "3 Mar");
	T_STREQ(i18n_day_month(&es, &a, "2026-11-03"), "3 nov");
	i18n_cat_free(es.cat);
	arena_free(&a);
}

/* The built Spanish catalog has every template msgid: what `make pot`
 * extracts is what the engine looks up. */
struct seen {
	const struct i18n_cat *cat;
	int missing;
};

static void check_msgid(const char *tmpl, const char *msgid, void *arg)
{
	struct seen *s = arg;

	if (i18n_cat_find(s->cat, NULL, msgid, NULL, 0) == NULL) {
		fprintf(stderr, "  %s: no translation of \"%s\"\n", tmpl, msgid);
		s->missing++;
	}
}

static void test_built_catalogs_cover_templates(void)
{
	const char *dir = getenv("HT_LOCALE") ? getenv("HT_LOCALE") : "build/locale";
	struct tmpl_set *set = tmpl_set_new();
	struct i18n i;
	struct seen s = {NULL, 0};

	i18n_open(&i, dir);
	s.cat = i18n_find(&i, "es")->cat;
	T_CHECK(s.cat != NULL && i18n_cat_size(s.cat) > 300);
	T_CHECK(tmpl_set_load_dir(set, "templates", NULL) == 0);
	if (s.cat != NULL)
		T_CHECK(tmpl_msgids(set, check_msgid, &s) > 200 && s.missing == 0);
	T_CHECK(i18n_find(&i, "en")->cat != NULL);
	tmpl_set_free(set);
	i18n_close(&i);
}

int main(void)
{
	T_RUN(test_lookup_both_byte_orders);
	T_RUN(test_plural_forms);
	T_RUN(test_damaged_files);
	T_RUN(test_text_and_reasons);
	T_RUN(test_accept_language);
	T_RUN(test_numbers_and_dates);
	T_RUN(test_built_catalogs_cover_templates);
	T_DONE();
}
