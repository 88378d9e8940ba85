/* test-hashtags.c: the rules loader (the shipped files and broken ones),
 * each signal (objects, people, colour and light, caption), the merge, the
 * ban list, ranking and formatting. HT_MODELS names the models folder
 * (default "models"), HT_FIXTURES the photos (default "build/fixtures"). */
#include "hashtags.h"
#include "image.h"
#include "t.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define MAXT 100
#define COLOURS "Red Orange Yellow Green Turquoise Blue Purple Pink Brown Rojo Colorful Pastel"

enum { PERSON = 0, CAT = 15, DOG = 16, CHAIR = 56 };

static struct rules *R;
static char tmpdir[] = "/tmp/ht-hashtags-XXXXXX";
static struct tag out[MAXT];
static int nout;
static const char *ctx; /* named in failure messages when set */

/* The COCO classes in index order, for writing rules files. */
static const char coco[] =
    "person,bicycle,car,motorcycle,airplane,bus,train,truck,boat,traffic light,fire hydrant,"
    "stop sign,parking meter,bench,bird,cat,dog,horse,sheep,cow,elephant,bear,zebra,giraffe,"
    "backpack,umbrella,handbag,tie,suitcase,frisbee,skis,snowboard,sports ball,kite,"
    "baseball bat,baseball glove,skateboard,surfboard,tennis racket,bottle,wine glass,cup,fork,"
    "knife,spoon,bowl,banana,apple,sandwich,orange,broccoli,carrot,hot dog,pizza,donut,cake,"
    "chair,couch,potted plant,bed,dining table,toilet,tv,laptop,mouse,remote,keyboard,"
    "cell phone,microwave,oven,toaster,sink,refrigerator,book,clock,vase,scissors,teddy bear,"
    "hair drier,toothbrush";

/* Where the tag called name is in out, or -1. */
static int rank_of(const char *name)
{
	for (int i = 0; i < nout; i++)
		if (strcmp(out[i].name, name) == 0)
			return i;
	return -1;
}

/* The tag called name, or a stand-in with conf -1 and no source. */
static const struct tag *get(const char *name)
{
	static const struct tag none = {"", -1, SRC__MAX, "(no such tag)"};

	return rank_of(name) >= 0 ? &out[rank_of(name)] : &none;
}

#define NEAR(a, b) (fabsf((a) - (b)) < 0.005f)
#define DET(cls, score, x1, y1, x2, y2) ((struct detection){x1, y1, x2, y2, score, cls})

/* Run hashtags_make on R and keep the result in out. */
static int make(const struct detection *det, int ndet, const struct pixels *px, const char *caption,
                enum tag_lang lang)
{
	struct tag_input in = {det, ndet, px ? *px : (struct pixels){NULL, 0, 0}, caption, lang};

	nout = hashtags_make(R, &in, out, MAXT);
	return nout;
}

/* Every tag of the space-separated list yes is in out, none of no, and
 * there are n tags (unless n < 0); else print them all. */
static void expect(const char *yes, const char *no, int n, int line)
{
	char name[TAG_MAX];
	int bad = n >= 0 && nout != n;

	if (bad)
		fprintf(stderr, "  %s:%d: %d tags, expected %d\n", __FILE__, line, nout, n);
	for (int want = 1; want >= 0; want--)
		for (const char *p = want ? yes : no; p != NULL && *p != '\0';) {
			size_t len = strcspn(p, " ");

			snprintf(name, sizeof(name), "%.*s", (int)len, p);
			p += len + (p[len] == ' ');
			if ((rank_of(name) >= 0) != want) {
				fprintf(stderr, "  %s:%d: %s %s\n", __FILE__, line,
				        want ? "missing" : "unwanted", name);
				bad = 1;
			}
		}
	if (bad) {
		if (ctx != NULL)
			fprintf(stderr, "  (%s)\n", ctx);
		for (int i = 0; i < nout; i++)
			fprintf(stderr, "    %-18s %.2f %-7s %s\n", out[i].name,
			        (double)out[i].conf, tag_source_name(out[i].src), out[i].why);
		t_cur_failed = 1;
	}
}

#define T_TAGS(yes, no) expect(yes, no, -1, __LINE__)
#define T_CAPTION(c, yes, no, n) (make(NULL, 0, NULL, c, LANG_EN), expect(yes, no, n, __LINE__))

/* ---- rules files --------------------------------------------------------- */

static void write_file(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	if ((f = fopen(p, "w")) == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

/* A valid rules file, one line per class in COCO order (line k+1 = class k),
 * with line `bad` (1-based; 0: none) replaced by `repl` (NULL: dropped). */
static void write_rules(int bad, const char *repl)
{
	static char text[40000];
	size_t n = 0;
	const char *c = coco;

	for (int i = 0; i < 80; i++) {
		int len = (int)strcspn(c, ",");

		if (i + 1 != bad)
			n += (size_t)snprintf(
			    text + n, sizeof(text) - n,
			    "%.*s | 0.4 | 1 | Tag%d, Ñandú | Etiqueta%d | - | -\n", len, c, i, i);
		else if (repl != NULL)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n", repl);
		c += len + 1;
	}
	write_file("rules.txt", text);
}

static struct rules *load_tmp(char *err, size_t errlen)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/rules.txt", tmpdir);
	err[0] = '\0';
	return rules_load(p, err, errlen);
}

/* Loading fails, and err names want_at ("file:line:") and says want. */
static void expect_error(const char *want_at, const char *want, int line)
{
	char err[300];
	struct rules *r = load_tmp(err, sizeof(err));

	if (r != NULL || strstr(err, want_at) == NULL || strstr(err, want) == NULL) {
		fprintf(stderr, "  %s:%d: want \"%s … %s\", got \"%s\"\n", __FILE__, line, want_at,
		        want, r ? "(loaded)" : err);
		t_cur_failed = 1;
	}
	rules_free(r);
}

static void test_broken_rules_fail_with_line(void)
{
	static char longtag[120], longline[1200];
	static const struct {
		int line;
		const char *repl, *want;
	} cases[] = {
	    {16, "cat | 48 | 1 | Cat | Gato | - | -", "threshold"},
	    {16, "cat | -0.1 | 1 | Cat | Gato | - | -", "threshold"},
	    {16, "kitty | 0.4 | 1 | Cat | Gato | - | -", "unknown class 'kitty'"},
	    {16, "cat | 0.4 | 1 | Ca-t | Gato | - | -", "character"},
	    {16, "cat | 0.4 | 1 | Cat | Gato ¡Olé! | - | -", "character"},
	    {17, "cat | 0.4 | 1 | Cat | Gato | - | -", "duplicate class 'cat' (first on line 16)"},
	    {16, "cat | 0.4 | 1 | Cat | Gato | -", "missing fields"},
	    {16, "cat | 0.4 | 1 | Cat | Gato | - | - | -", "too many fields"},
	    {16, "cat | 0.4 | 5 | Cat | Gato | - | -", "priority"},
	    {16, "cat | 0.4 | 1 | Cat,,Kitty | Gato | - | -", "empty"},
	    {16, "cat | 0.4 | 1 | Cat | - | - | -", "Spanish tags"},
	    {16, "cat | 0.4 | 1 | Cat | Gato | Cats | -", "plural"},
	    {16, "cat | 0.4 | 1 | Cat | Gato | - | Pet", "parents"},
	    {16, "cat | 0.4 | 1 | 123 | Gato | - | -", "no letter"},
	    {16, "cat | 0.4 | 1 | #Cat | Gato | - | -", "'#'"},
	    {16, "#Cat is a comment?", "without '#'"},
	    {16, longtag, "too long"},
	    {16, longline, "line too long"},
	    {79, NULL, "class 'cat' is missing"}, /* reported at the end of the file */
	};
	char err[300], at[32];
	struct rules *r;

	snprintf(longtag, sizeof(longtag), "cat | 0.4 | 1 | %070d | Gato | - | -", 1);
	longtag[16] = 'C'; /* a 70-byte tag that starts with a letter */
	memset(longline, 'x', sizeof(longline) - 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_rules(cases[i].repl ? cases[i].line : 16, cases[i].repl);
		snprintf(at, sizeof(at), "rules.txt:%d: ", cases[i].line);
		expect_error(at, cases[i].want, __LINE__);
	}
	write_rules(0, NULL); /* the same file without the mistake loads, accents and all */
	T_CHECK((r = load_tmp(err, sizeof(err))) != NULL);
	rules_free(r);
}

static void test_broken_word_lists(void)
{
	static char many[1100 * 8];
	static const struct {
		const char *file, *text, *at, *want;
	} cases[] = {
	    {"stopwords-en.txt", "# words\nthe\nThe\n", "stopwords-en.txt:3:", "lowercase"},
	    {"stopwords-en.txt", "the\nof\nthe\n", "stopwords-en.txt:3:", "duplicate"},
	    {"stopwords-en.txt", "the\nrock'n'roll\n", "stopwords-en.txt:2:", "character"},
	    {"ban.txt", "Photo\n#instagood\n", "ban.txt:2:", "'#'"},
	    {"ban.txt", "Photo\nphoto\n", "ban.txt:2:", "duplicate 'photo' (first on line 1)"},
	    {"ban.txt", many, "ban.txt:1025:", "more than 1024"},
	};
	size_t n = 0;

	for (int i = 0; i < 1100; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "w%d\n", i);
	write_rules(0, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(cases[i].file, cases[i].text);
		expect_error(cases[i].at, cases[i].want, __LINE__);
		write_file(cases[i].file, "the\n");
	}
	snprintf(many, sizeof(many), "%s/stopwords-es.txt", tmpdir); /* the lists are required */
	remove(many);
	expect_error("stopwords-es.txt", "cannot open", __LINE__);
	write_file("stopwords-es.txt", "el\n");
}

/* ---- objects and people -------------------------------------------------- */

static void test_object_tags_and_parents(void)
{
	struct detection d[] = {DET(CAT, 0.8f, 0.2f, 0.2f, 0.6f, 0.7f)};

	make(d, 1, NULL, NULL, LANG_EN);
	T_TAGS("Cat Pet Animal", "Gato Cats"); /* one cat: no plural */
	T_CHECK(NEAR(get("Cat")->conf, 0.8f) && get("Cat")->src == SRC_OBJECT &&
	        rank_of("Cat") == 0);
	T_STREQ(get("Cat")->why, "cat detected (80%)");
	T_CHECK(get("Pet")->conf < 0.8f && get("Pet")->conf > 0.5f &&
	        get("Pet")->src == SRC_OBJECT);
	T_STREQ(get("Pet")->why, "cat → pet");
}

static void test_below_threshold_gives_nothing(void)
{
	struct detection d[] = {DET(CAT, 0.1f, 0.2f, 0.2f, 0.6f, 0.7f), DET(-1, 0.9f, 0, 0, 1, 1),
	                        DET(80, 0.9f, 0, 0, 1, 1), DET(DOG, NAN, 0, 0, 1, 1)};

	T_CHECK(make(d, 4, NULL, NULL, LANG_BOTH) == 0);
	T_CHECK(make(NULL, 0, NULL, NULL, LANG_BOTH) == 0);
}

static void test_languages(void)
{
	struct detection d[] = {DET(CAT, 0.8f, 0.2f, 0.2f, 0.6f, 0.7f)};

	make(d, 1, NULL, NULL, LANG_ES);
	T_TAGS("Gato Mascota", "Cat Pet");
	T_STREQ(get("Mascota")->why, "cat → pet"); /* reasons are in English */
	make(d, 1, NULL, NULL, LANG_BOTH);
	T_TAGS("Cat Gato Pet Mascota", NULL);
}

static void test_people(void)
{
	struct detection d[8];

	for (int i = 0; i < 8; i++)
		d[i] = DET(PERSON, 0.7f, 0.1f * (float)i, 0.3f, 0.1f * (float)i + 0.1f, 0.6f);
	make(d, 3, NULL, NULL, LANG_BOTH);
	T_TAGS("Friends GroupPhoto Amigos FotoDeGrupo People", "Portrait Crowd");
	T_CHECK(get("GroupPhoto")->src == SRC_PEOPLE && get("People")->src == SRC_OBJECT);
	T_STREQ(get("GroupPhoto")->why, "3 people");
	make(d, 8, NULL, NULL, LANG_EN);
	T_TAGS("Crowd", "Friends");
	make(d, 1, NULL, NULL, LANG_EN); /* one small person */
	T_TAGS("People", "Portrait Friends");
	d[0] = DET(PERSON, 0.9f, 0.2f, 0.1f, 0.8f, 0.8f); /* 42 % of the photo */
	make(d, 1, NULL, NULL, LANG_BOTH);
	T_TAGS("Portrait Retrato", "Selfie");
	T_CHECK(get("Portrait")->src == SRC_PEOPLE);
	d[0] = DET(PERSON, 0.9f, 0.1f, 0, 0.9f, 0.9f); /* 72 %, above the bottom edge */
	make(d, 1, NULL, NULL, LANG_EN);
	T_TAGS("Portrait", "Selfie");
	d[0] = DET(PERSON, 0.9f, 0.05f, 0.1f, 0.95f, 1.0f); /* 81 %, cut by the bottom edge */
	make(d, 1, NULL, NULL, LANG_EN);
	T_TAGS("Portrait Selfie", NULL);
	T_CHECK(get("Selfie")->conf < get("Portrait")->conf);
	d[1] = DET(PERSON, 0.2f, 0, 0, 0.1f, 0.1f); /* below the threshold: still one person */
	d[2] = DET(PERSON, 0.5f, 0.1f, 0.1f, 0.9f, 0.9f); /* the same person again */
	make(d, 3, NULL, NULL, LANG_EN);
	T_TAGS("Portrait", "Friends");
}

static void test_plural(void)
{
	struct detection d[] = {DET(DOG, 0.9f, 0, 0, 0.4f, 0.5f), DET(DOG, 0.6f, 0.5f, 0, 1, 0.5f),
	                        DET(DOG, 0.2f, 0.5f, 0.5f, 1, 1)};

	make(d, 3, NULL, NULL, LANG_BOTH);
	T_TAGS("Dog Dogs Perros", NULL);
	T_CHECK(NEAR(get("Dogs")->conf, 0.6f) &&
	        NEAR(get("Dog")->conf, 0.9f)); /* 2nd dog's score */
	T_STREQ(get("Dogs")->why, "2 dogs detected");
	make(d, 1, NULL, NULL, LANG_EN);
	T_TAGS("Dog", "Dogs");
}

/* ---- colour and light ---------------------------------------------------- */

/* GREY_NOISY: a grey photo saved as colour JPEG */
enum look { GREY, GREY_NOISY, SEPIA, RED, SKIN, DARK, NIGHT, NOISE, BANDS, TWO_TONE, PASTEL };

static uint8_t img[512 * 512 * 3];

/* A w×h picture of the given look, in img. */
static struct pixels paint(enum look look, int w, int h)
{
	static const uint8_t bands[6][3] = {{230, 30, 30}, {250, 220, 20}, {30, 180, 60},
	                                    {30, 60, 220}, {140, 40, 200}, {250, 130, 10}};
	/* soft colours on white; navy with a few grey lamps is night */
	static const uint8_t pastels[5][3] = {
	    {255, 200, 220}, {190, 245, 215}, {215, 200, 250}, {190, 220, 250}, {250, 250, 250}};
	static const uint8_t navy[3] = {5, 8, 30};
	struct pixels px = {img, w, h};

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = img + ((size_t)y * (size_t)w + (size_t)x) * 3;
			int v = 40 + (x + y) * 215 / (w + h), n = rand() % 5 - 2, m = rand();
			int c[3] = {v, v, v};
			const uint8_t *k = NULL;

			switch (look) {
			case GREY: break;
			case GREY_NOISY: c[0] = v + n, c[2] = v - n; break;
			case SEPIA: c[1] = v * 92 / 100, c[2] = v * 80 / 100; break;
			case RED: c[0] = 220, c[1] = 20 + (x + y) % 10, c[2] = 30; break;
			case SKIN: c[0] = 225 - y % 40, c[1] = c[0] - 55, c[2] = c[0] - 85; break;
			case DARK: c[0] = 12 + x % 8, c[1] = 12 + y % 8, c[2] = 20; break;
			case NIGHT: k = x % 20 ? navy : pastels[4]; break;
			case NOISE:
				c[0] = m % 256, c[1] = m / 256 % 256, c[2] = m / 65536 % 256;
				break;
			case BANDS: k = bands[x * 6 / w]; break;
			case TWO_TONE: k = bands[x < w / 2 ? 0 : 3]; break;
			case PASTEL: k = pastels[(x / 64 + y / 64) % 5]; break;
			}
			for (int i = 0; i < 3; i++)
				p[i] = (uint8_t)(k ? k[i] : c[i]);
		}
	return px;
}

/* The tags of a painted picture (colour signals only). */
static void look_tags(enum look look, int w, int h, enum tag_lang lang, const char *yes,
                      const char *no, int line)
{
	struct pixels px = paint(look, w, h);

	make(NULL, 0, &px, NULL, lang);
	expect(yes, no, -1, line);
	T_CHECK(nout == 0 || get(out[0].name)->src == SRC_COLOUR);
}

#define T_LOOK(look, w, h, lang, yes, no) look_tags(look, w, h, lang, yes, no, __LINE__)

static void test_black_and_white(void)
{
	T_LOOK(GREY, 256, 256, LANG_BOTH, "BlackAndWhite BlancoYNegro Monochrome", COLOURS);
	T_CHECK(get("BlackAndWhite")->conf >= 0.9f);
	T_STREQ(get("BlackAndWhite")->why, "almost no colour saturation (0%)");
	T_LOOK(GREY_NOISY, 300, 200, LANG_EN, "BlackAndWhite", COLOURS);
	T_LOOK(SEPIA, 256, 256, LANG_EN, "Monochrome", "BlackAndWhite"); /* toned, not B&W */
}

static void test_dominant_colour(void)
{
	T_LOOK(RED, 64, 64, LANG_BOTH, "Red Rojo", "BlackAndWhite Colorful Dark");
	T_STREQ(get("Red")->why, "red covers 100% of the photo");
	T_LOOK(RED, 1, 1, LANG_EN, "Red", NULL);
	T_LOOK(SKIN, 64, 64, LANG_EN, NULL, COLOURS); /* skin tones never name a colour */
}

static void test_dark(void)
{
	T_LOOK(DARK, 128, 96, LANG_BOTH, "Dark Night Oscuro Noche", "BlackAndWhite");
	T_LOOK(NIGHT, 200, 100, LANG_EN, "Dark", "BlackAndWhite"); /* its few lamps are grey */
}

static void test_colourful_and_pastel(void)
{
	T_LOOK(NOISE, 256, 256, LANG_BOTH, "Colorful Colorido", "Red BlackAndWhite");
	T_LOOK(BANDS, 256, 128, LANG_EN, "Colorful", "Pastel");
	T_LOOK(TWO_TONE, 256, 128, LANG_EN, NULL, "Colorful"); /* two colours are not many */
	/* not "Pastel" in Spanish: that is a cake */
	T_LOOK(PASTEL, 256, 256, LANG_BOTH, "Pastel ColoresPastel", "Colorful BlackAndWhite");
}

static void test_frame_shape(void)
{
	T_LOOK(GREY, 512, 200, LANG_BOTH, "Panorama Panorámica", NULL);
	T_LOOK(GREY, 200, 400, LANG_EN, "Vertical", "Panorama");
	T_LOOK(GREY, 300, 300, LANG_EN, NULL, "Panorama Vertical");
	T_CHECK(make(NULL, 0, &(struct pixels){img, 0, 10}, NULL, LANG_EN) == 0);
}

/* Real photos: colour ones must not look black and white, the grey one must. */
static void test_real_photos(void)
{
	static const struct img_limits lim = {50000000ull, 16000000ull, 8ul << 20};
	static const char *const photos[] = {"cat-gray.jpg", "cat.jpg", "coffee.jpg",
	                                     "astronaut.png", "rocket.jpg"};
	const char *dir = getenv("HT_FIXTURES") ? getenv("HT_FIXTURES") : "build/fixtures";

	for (size_t i = 0; i < sizeof(photos) / sizeof(photos[0]); i++) {
		char p[1024];
		struct img_info info;
		struct img_rgb im = {0, 0, NULL};
		const char *why = NULL;

		snprintf(p, sizeof(p), "%s/%s", dir, photos[i]);
		if (img_probe(p, &lim, &info, &why) != 0 ||
		    img_decode_fit(p, &info, &lim, 512, &im, &why) != 0) {
			fprintf(stderr, "  %s: %s (tests/data/make-fixtures makes it)\n", p, why);
			t_cur_failed = 1;
			continue;
		}
		make(NULL, 0, &(struct pixels){im.px, (int)im.w, (int)im.h}, NULL, LANG_EN);
		ctx = photos[i];
		expect(i == 0 ? "BlackAndWhite" : NULL, i == 0 ? COLOURS : "BlackAndWhite", -1,
		       __LINE__);
		ctx = NULL;
		img_rgb_free(&im);
	}
}

/* ---- caption ------------------------------------------------------------- */

static void test_caption_words(void)
{
	char f[TAG_MAX + 1];

	T_CAPTION("Atardecer en la playa", "Atardecer Playa", "En La", 2);
	T_CHECK(NEAR(get("Playa")->conf, 0.9f) && get("Playa")->src == SRC_CAPTION);
	T_STREQ(get("Playa")->why, "from your caption");
	T_CAPTION("EL ÁRBOL", "Árbol", NULL, 1);
	T_STREQ(tag_format(nout ? out[0].name : "", 1, f, sizeof(f)), "#árbol");
	T_STREQ(tag_format(nout ? out[0].name : "", 0, f, sizeof(f)), "#Árbol");
	T_CAPTION("The cat and el perro, 2024!", "Cat Perro", "The And El 2024", 2);
	T_CAPTION("NY l'acqua, María’s", "Acqua María", "Ny", 2); /* short words dropped */
	T_CAPTION("東京タワー Ölberg caf\xC3 \xFF\xFEplaya", "東京タワー Ölberg Caf Playa", NULL,
	          4);
	T_CAPTION("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima "
	          "mike november oscar papa quebec romeo sierra tango",
	          "Alpha Lima", "Mike Tango", 12); /* a long caption does not crowd out all */
}

static void test_caption_hashtags_and_links(void)
{
	T_CAPTION("#SunsetLovers at the beach #mar_azul", "SunsetLovers mar_azul Beach", "At", 3);
	T_CHECK(get("SunsetLovers")->src == SRC_CAPTION && get("SunsetLovers")->conf > 0.9f);
	T_CAPTION("Don't miss it: https://example.com/photos @maria_garcia me@mail.org "
	          "www.shop.es 🌅sunset #2024",
	          "Sunset Miss", "Don Https Example Com Maria Mail Shop 2024", 2);
}

/* ---- merge, ban, ranking, limits ----------------------------------------- */

static void test_merge_keeps_highest(void)
{
	struct detection d[] = {DET(CAT, 0.5f, 0, 0, 0.5f, 0.5f), DET(CAT, 0.95f, 0.5f, 0.5f, 1, 1),
	                        DET(DOG, 0.6f, 0, 0.5f, 0.5f, 1)};

	make(d, 1, NULL, "my cat", LANG_EN); /* typed 0.9 beats detected 0.5 */
	T_CHECK(NEAR(get("Cat")->conf, 0.9f) && get("Cat")->src == SRC_CAPTION);
	make(d, 3, NULL, "my CAT", LANG_EN); /* detected 0.95 beats typed 0.9 */
	T_TAGS("Cat", "CAT");
	T_CHECK(NEAR(get("Cat")->conf, 0.95f) && get("Cat")->src == SRC_OBJECT);
	T_STREQ(get("Cat")->why, "cat detected (95%)");
	T_CHECK(NEAR(get("Animal")->conf, 0.95f * 0.84f)); /* the cat's, not the dog's */
	T_STREQ(get("Animal")->why, "cat → animal");
}

static void test_banned_dropped(void)
{
	struct detection d[] = {DET(CAT, 0.8f, 0, 0, 0.5f, 0.5f)};
	struct rules *shipped = R;
	char err[300];

	T_CAPTION("#instagood #InstaDaily photo of the sunset", "Sunset",
	          "instagood InstaDaily Photo", 1);
	write_rules(0, NULL); /* a ban applies to rule tags too, whatever the case */
	write_file("ban.txt", "TAG15\n");
	R = load_tmp(err, sizeof(err));
	T_CHECK(R != NULL);
	if (R != NULL) {
		make(d, 1, NULL, NULL, LANG_EN);
		T_TAGS("Ñandú", "Tag15");
		rules_free(R);
	}
	R = shipped;
	write_file("ban.txt", "Photo\n");
}

static void test_ranking_and_max(void)
{
	struct detection d[] = {DET(CHAIR, 0.9f, 0, 0, 0.3f, 0.5f), DET(CAT, 0.75f, 0.3f, 0, 1, 1)};
	struct tag_input in = {d, 2, {NULL, 0, 0}, "sunset", LANG_BOTH};
	struct tag few[3];

	make(d, 2, NULL, "sunset", LANG_BOTH);
	/* cat 0.75 × priority 1.3 ranks above the typed 0.9 × 1 and chair 0.9 × 0.5 */
	T_CHECK((unsigned)rank_of("Cat") <= 1 && (unsigned)rank_of("Gato") <= 1);
	T_CHECK(rank_of("Cat") < rank_of("Sunset") && rank_of("Sunset") < rank_of("Chair"));
	/* neighbours and parents come later, in the order of the rules file */
	T_CHECK(rank_of("Cat") < rank_of("CatsOfInstagram"));
	T_CHECK(rank_of("CatsOfInstagram") < rank_of("CatLovers"));
	T_CHECK(rank_of("Pet") < rank_of("Animal"));
	for (int i = 1; i < nout; i++) /* sources of priority 1: by confidence */
		if (out[i - 1].src != SRC_OBJECT && out[i].src != SRC_OBJECT)
			T_CHECK(out[i - 1].conf >= out[i].conf);
	T_CHECK(nout > 5 && rank_of("Silla") >= 0);
	T_CHECK(hashtags_make(R, &in, few, 3) == 3);
	for (int i = 0; i < 3; i++)
		T_STREQ(few[i].name, out[i].name);
	T_CHECK(hashtags_make(R, &in, NULL, 0) == 0 && hashtags_make(R, &in, few, -1) == 0);
}

/* ---- formatting ---------------------------------------------------------- */

static void test_format_and_sources(void)
{
	static const char *const names[] = {"object",  "people",  "colour",
	                                    "caption", "history", "user"};
	char f[TAG_MAX + 1];

	T_STREQ(tag_format("BlackAndWhite", 0, f, sizeof(f)), "#BlackAndWhite");
	T_STREQ(tag_format("BlackAndWhite", 1, f, sizeof(f)), "#blackandwhite");
	T_STREQ(tag_format("ÑANDÚ_Über", 1, f, sizeof(f)), "#ñandú_über");
	T_STREQ(tag_format("Ñandú", 1, f, 4), "#ñ"); /* never half a character */
	T_STREQ(tag_format("Ñandú", 1, f, 3), "#");
	T_STREQ(tag_format("東京", 1, f, sizeof(f)), "#東京");
	for (int s = 0; s < SRC__MAX; s++)
		T_STREQ(tag_source_name((enum tag_source)s), names[s]);
}

int main(void)
{
	static const char *const files[] = {"rules.txt", "stopwords-en.txt", "stopwords-es.txt",
	                                    "ban.txt"};
	const char *models = getenv("HT_MODELS") ? getenv("HT_MODELS") : "models";
	char p[600], err[300];

	snprintf(p, sizeof(p), "%s/rules.txt", models);
	if ((R = rules_load(p, err, sizeof(err))) == NULL)
		fprintf(stderr, "  %s\n", err);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 1; i < sizeof(files) / sizeof(files[0]); i++)
		write_file(files[i], i == 3 ? "Photo\n" : i == 1 ? "the\n" : "el\n");
	srand(1);

	T_CASE("shipped rules load", R != NULL);
	if (R != NULL) {
		T_RUN(test_object_tags_and_parents);
		T_RUN(test_below_threshold_gives_nothing);
		T_RUN(test_languages);
		T_RUN(test_people);
		T_RUN(test_plural);
		T_RUN(test_black_and_white);
		T_RUN(test_dominant_colour);
		T_RUN(test_dark);
		T_RUN(test_colourful_and_pastel);
		T_RUN(test_frame_shape);
		T_RUN(test_real_photos);
		T_RUN(test_caption_words);
		T_RUN(test_caption_hashtags_and_links);
		T_RUN(test_merge_keeps_highest);
		T_RUN(test_banned_dropped);
		T_RUN(test_ranking_and_max);
	}
	T_RUN(test_broken_rules_fail_with_line);
	T_RUN(test_broken_word_lists);
	T_RUN(test_format_and_sources);

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpdir, files[i]);
		remove(p);
	}
	rmdir(tmpdir);
	rules_free(R);
	T_DONE();
}
