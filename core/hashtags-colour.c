/* hashtags-colour.c: colour and light signals from the decoded pixels —
 * black-and-white / monochrome, one clearly dominant colour, dark and night,
 * colourful, pastel, high-key / low-key, and the frame shape. At most
 * SAMPLES pixels are looked at (a regular grid), so any photo costs a few
 * milliseconds at most. Levels (chroma = max - min of r, g, b; luminance Y)
 * are in 0..255 units. */
#include "hashtags-int.h"

#include <math.h>
#include <stdio.h>

#define SAMPLES 65536
#define LIT 40            /* max(r,g,b) below this is too dark to judge colour */
#define GREY_CHROMA 6.0f  /* mean chroma of lit pixels below this: black and white … */
#define GREY_STRAY 24     /* … and fewer than 1 % of them with more chroma than this */
#define NAMED_CHROMA 40   /* a pixel needs this much chroma to get a colour name */
#define DARK_Y 60.0f      /* mean luminance below this: Dark */
#define NIGHT_Y 45.0f     /* … below this and a dark top third: Night */
#define COLOURFUL_M 70.0f /* Hasler–Süsstrunk colourfulness: ≥ 59 "quite", ≥ 82 "highly" */

enum { RED, ORANGE, YELLOW, GREEN, TURQUOISE, BLUE, PURPLE, PINK, BROWN, NCOLOURS };

/* Colour names: English, Spanish, and the word used in reasons (stored in
 * English, translated when shown: i18n_reason). */
static const char *const colours[NCOLOURS][3] = {
    {"Red", "Rojo", NC_("word", "red")},
    {"Orange", "Naranja", NC_("word", "orange")},
    {"Yellow", "Amarillo", NC_("word", "yellow")},
    {"Green", "Verde", NC_("word", "green")},
    {"Turquoise", "Turquesa", NC_("word", "turquoise")},
    {"Blue", "Azul", NC_("word", "blue")},
    {"Purple", "Morado", NC_("word", "purple")},
    {"Pink", "Rosa", NC_("word", "pink")},
    {"Brown", "Marrón", NC_("word", "brown")},
};

struct stats {
	long n, lit, top_n;
	long sum_y, top_y, sum_chroma; /* chroma summed over lit pixels */
	long stray, dark, bright, highlights, pastel, strong, named_n;
	long named[NCOLOURS];
	double hx, hy, hw;          /* hue vectors of tinted pixels: concentration */
	long long rg, rg2, yb, yb2; /* opponent channels, yb doubled: colourfulness */
};

/* HSV hue in degrees; c = max - min > 0. */
static float hue(int r, int g, int b, int mx, int c)
{
	float h;

	if (mx == r)
		h = 60.0f * (float)(g - b) / (float)c;
	else if (mx == g)
		h = 60.0f * ((float)(b - r) / (float)c + 2);
	else
		h = 60.0f * ((float)(r - g) / (float)c + 4);
	return h < 0 ? h + 360 : h;
}

/* The colour name of one pixel, or -1 (too grey, too dark, or a skin tone:
 * orange-red hues with moderate saturation are never named, so faces do not
 * make a photo "orange" or "brown"). */
static int colour_of(float h, float s, float v)
{
	int skin = h >= 5 && h < 45 && s < 0.6f;

	if (s < 0.25f || v < 0.2f || skin)
		return -1;
	if (h < 15 || h >= 345)
		return s < 0.5f && v > 0.8f ? PINK : RED;
	if (h < 45)
		return v < 0.6f ? (s >= 0.65f ? BROWN : -1) : ORANGE;
	if (h < 70)
		return v < 0.45f ? -1 : YELLOW;
	if (h < 165)
		return GREEN;
	if (h < 195)
		return TURQUOISE;
	if (h < 255)
		return BLUE;
	if (h < 290)
		return PURPLE;
	return v < 0.45f ? PURPLE : PINK;
}

static void sample(struct stats *st, const uint8_t *p, int top)
{
	int r = p[0], g = p[1], b = p[2];
	int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
	int c = mx - mn, y = (299 * r + 587 * g + 114 * b) / 1000;
	int o1 = r - g, o2 = r + g - 2 * b; /* opponent channels, yb doubled */
	float s, v, h, hx, hy;

	st->n++;
	st->sum_y += y;
	st->dark += y < 50;
	st->bright += y >= 190;
	st->highlights += y >= 170;
	if (top)
		st->top_n++, st->top_y += y;
	st->rg += o1, st->rg2 += o1 * o1, st->yb += o2, st->yb2 += o2 * o2;
	if (mx >= LIT) {
		st->lit++;
		st->sum_chroma += c;
		st->stray += c > GREY_STRAY;
	}
	if (c < 8)
		return;
	/* hue as a vector (opponent colour plane): no trigonometry needed */
	hx = (float)r - 0.5f * (float)(g + b), hy = 0.8660254f * (float)(g - b);
	st->hx += hx, st->hy += hy, st->hw += sqrtf(hx * hx + hy * hy);
	s = (float)c / (float)mx, v = (float)mx / 255, h = hue(r, g, b, mx, c);
	if (v >= 0.75f && s >= 0.1f && s <= 0.5f && c >= 16 && !(h >= 5 && h < 45))
		st->pastel++;
	if (s >= 0.6f && c >= 100)
		st->strong++;
	if (c >= NAMED_CHROMA) {
		int k = colour_of(h, s, v);

		if (k >= 0)
			st->named[k]++, st->named_n++;
	}
}

static void gather(struct stats *st, const struct pixels *px)
{
	int step = 1;

	while ((long)((px->w + step - 1) / step) * ((px->h + step - 1) / step) > SAMPLES)
		step++;
	for (int y = step / 2; y < px->h; y += step) {
		const uint8_t *row = px->rgb + (size_t)y * (size_t)px->w * 3;

		for (int x = step / 2; x < px->w; x += step)
			sample(st, row + (size_t)x * 3, y < px->h / 3);
	}
}

static int pct(double x)
{
	return (int)lround(x * 100);
}

static float clampf(float x, float lo, float hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Add the English and/or Spanish tag. */
static void add2(struct ht_cands *cs, int langs, const char *en, const char *es, float conf,
                 const char *why)
{
	if (langs & (1 << HT_EN))
		hashtags_add(cs, en, conf, 1, SRC_COLOUR, "%s", why);
	if (langs & (1 << HT_ES))
		hashtags_add(cs, es, conf, 1, SRC_COLOUR, "%s", why);
}

/* 1 when the photo has no colour (and the grey tags were added). */
static int grey(struct ht_cands *cs, const struct stats *st, int langs)
{
	double mean, conc;
	char why[TAG_WHY_MAX];

	if (st->lit * 10 < st->n) /* mostly black: cannot tell */
		return 0;
	mean = (double)st->sum_chroma / (double)st->lit;
	if (mean < GREY_CHROMA && st->stray * 100 < st->lit) {
		snprintf(why, sizeof(why), NC_("reason", "almost no colour saturation (%d%%)"),
		         pct(mean / 255));
		add2(cs, langs, "BlackAndWhite", "BlancoYNegro", 0.95f - (float)mean * 0.05f, why);
		add2(cs, langs, "Monochrome", "Monocromo", 0.85f - (float)mean * 0.05f, why);
		return 1;
	}
	/* toned (sepia, cyanotype): little colour, all of one hue */
	conc = st->hw > 0 ? sqrt(st->hx * st->hx + st->hy * st->hy) / st->hw : 0;
	if (mean < 35 && conc >= 0.95 && st->strong * 50 < st->n && st->hw > 0) {
		snprintf(why, sizeof(why), NC_("reason", "one faint hue throughout (%d%% aligned)"),
		         pct(conc));
		add2(cs, langs, "Monochrome", "Monocromo", 0.6f, why);
		return 1;
	}
	return 0;
}

static void dominant(struct ht_cands *cs, const struct stats *st, int langs)
{
	int best = 0, second = -1;
	double share;
	char why[TAG_WHY_MAX];

	for (int k = 1; k < NCOLOURS; k++)
		if (st->named[k] > st->named[best])
			best = k;
	for (int k = 0; k < NCOLOURS; k++)
		if (k != best && (second < 0 || st->named[k] > st->named[second]))
			second = k;
	share = (double)st->named[best] / (double)st->n;
	if (share < 0.2 || st->named[best] * 2 < st->named_n ||
	    st->named[best] < 2 * st->named[second])
		return;
	snprintf(why, sizeof(why), NC_("reason", "%s covers %d%% of the photo"), colours[best][2],
	         pct(share));
	add2(cs, langs, colours[best][0], colours[best][1],
	     clampf(0.4f + 0.5f * (float)share, 0, 0.9f), why);
}

static void colourful(struct ht_cands *cs, const struct stats *st, int langs)
{
	double n = (double)st->n, mrg = (double)st->rg / n, myb = (double)st->yb / n / 2;
	double srg = (double)st->rg2 / n - mrg * mrg, syb = (double)st->yb2 / n / 4 - myb * myb;
	double m = sqrt(fmax(srg, 0) + fmax(syb, 0)) + 0.3 * sqrt(mrg * mrg + myb * myb);
	/* hue families: red and pink, or orange and brown, side by side are not colourful */
	static const int family[NCOLOURS] = {0, 1, 2, 3, 4, 4, 5, 0, 1};
	long fam[6] = {0};
	int hues = 0;
	char why[TAG_WHY_MAX];

	for (int k = 0; k < NCOLOURS; k++)
		fam[family[k]] += st->named[k];
	for (int k = 0; k < 6; k++)
		hues += fam[k] * 100 >= st->named_n * 8;
	if (m < COLOURFUL_M || hues < 3 || st->named_n * 4 < st->n)
		return;
	snprintf(why, sizeof(why), NC_("reason", "%d strong colours (colourfulness %d)"), hues,
	         (int)lround(m));
	add2(cs, langs, "Colorful", "Colorido",
	     clampf(0.45f + (float)(m - COLOURFUL_M) / 100, 0, 0.9f), why);
}

static void light(struct ht_cands *cs, const struct stats *st, int langs)
{
	double n = (double)st->n, y = (double)st->sum_y / n;
	double top = st->top_n > 0 ? (double)st->top_y / (double)st->top_n : y;
	double dark = (double)st->dark / n, bright = (double)st->bright / n;
	double hi = (double)st->highlights / n, pastel = (double)st->pastel / n;
	char why[TAG_WHY_MAX];

	snprintf(why, sizeof(why), NC_("reason", "mean brightness %d%%"), pct(y / 255));
	if (y < DARK_Y)
		add2(cs, langs, "Dark", "Oscuro",
		     clampf(0.5f + (float)(DARK_Y - y) / 120, 0, 0.95f), why);
	if (y < NIGHT_Y && top < 50) {
		snprintf(why, sizeof(why),
		         NC_("reason", "dark, and darkest at the top (brightness %d%%)"),
		         pct(y / 255));
		add2(cs, langs, "Night", "Noche",
		     clampf(0.4f + (float)(NIGHT_Y - y) / 100, 0, 0.85f), why);
	}
	if (bright >= 0.6 && dark <= 0.05) {
		snprintf(why, sizeof(why), NC_("reason", "mostly bright tones (%d%%), few shadows"),
		         pct(bright));
		add2(cs, langs, "HighKey", "ClaveAlta",
		     clampf(0.45f + (float)(bright - 0.6), 0, 0.85f), why);
	}
	if (dark >= 0.6 && hi >= 0.02 && hi <= 0.3) {
		snprintf(why, sizeof(why),
		         NC_("reason", "mostly shadows (%d%%) with a lit subject"), pct(dark));
		add2(cs, langs, "LowKey", "ClaveBaja", 0.55f, why);
	}
	if (pastel >= 0.4 && st->strong * 10 < st->n && y >= 140) {
		snprintf(why, sizeof(why), NC_("reason", "soft light colours (%d%% of the photo)"),
		         pct(pastel));
		/* not "Pastel" in Spanish: #pastel is a cake there */
		add2(cs, langs, "Pastel", "ColoresPastel",
		     clampf(0.3f + (float)pastel * 0.6f, 0, 0.85f), why);
	}
}

/* Frame shape. Never "Portrait"/"Landscape": those name what is in the
 * photo (people, scenery). Square and ordinary frames say nothing. */
static void shape(struct ht_cands *cs, const struct pixels *px, int langs)
{
	char why[TAG_WHY_MAX];

	if (px->w >= 2 * px->h) {
		snprintf(why, sizeof(why), NC_("reason", "wide %.1f:1 frame"),
		         (double)px->w / px->h);
		add2(cs, langs, "Panorama", "Panorámica", 0.7f, why);
	} else if (px->h * 10 >= px->w * 17) {
		snprintf(why, sizeof(why), NC_("reason", "tall 1:%.1f frame"),
		         (double)px->h / px->w);
		add2(cs, langs, "Vertical", "Vertical", 0.3f, why);
	}
}

void hashtags_colour(struct ht_cands *cs, const struct pixels *px, enum tag_lang lang)
{
	struct stats st = {0};
	int langs = (int)lang;

	gather(&st, px);
	if (st.n == 0)
		return;
	shape(cs, px, langs);
	light(cs, &st, langs);
	if (grey(cs, &st, langs))
		return;
	dominant(cs, &st, langs);
	colourful(cs, &st, langs);
}
