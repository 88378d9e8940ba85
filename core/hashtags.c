/* hashtags.c: hashtags_make — the object and people signals, the merge of
 * all signals into one ranked list, and the formatting helpers. The colour
 * and caption signals are in hashtags-colour.c and hashtags-caption.c, the
 * rules loader in hashtags-rules.c. */
#include "hashtags-int.h"
#include "utf8.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PERSON 0
#define NEIGHBOUR 0.9f      /* conf of a class's 2nd, 3rd… tag: 0.9, 0.89… times the score */
#define PARENT 0.85f        /* conf of its 1st, 2nd… parent: 0.85, 0.84… times the score */
#define STEP 0.01f          /* so that equal scores keep the order of the rules file */
#define PORTRAIT_AREA 0.25f /* one person whose box covers this much → Portrait */
#define SELFIE_AREA 0.45f   /* … this much, cut by the bottom edge → Selfie */
#define SELFIE 0.6f         /* conf of Selfie, times the score: a guess */
#define FRIENDS 0.85f       /* conf of Friends, times the mean score */
#define GROUP_MAX 5         /* 2..5 people: a group photo; more: a crowd */
#define PEOPLE_MAX 100      /* people counted at most */
#define SAME_IOU 0.6f       /* boxes of one class overlapping this much are one thing */
#define TAG_DETS_MAX 128    /* detections looked at */

/* ---- UTF-8 and case ------------------------------------------------------ */

int hashtags_utf8_next(const char *str, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need;
	int cp, min;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		need = 1, cp = s[0] & 0x1F, min = 0x80;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		need = 2, cp = s[0] & 0x0F, min = 0x800;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		need = 3, cp = s[0] & 0x07, min = 0x10000;
	else
		return -1;
	if (n <= need)
		return -1;
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = need + 1;
	return cp;
}

size_t hashtags_utf8_put(int cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int hashtags_cp_lower(int cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
		return cp + 0x20;
	return cp;
}

int hashtags_cp_upper(int cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
		return cp - 0x20;
	return cp;
}

int hashtags_cp_is_word(int cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= 'a' && cp <= 'z');
	if (cp < 0x100) /* Latin-1: ª µ º and the letters, not × ÷ */
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA ||
		       (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7);
	if ((cp >= 0x2000 && cp <= 0x2BFF) || /* punctuation, symbols, arrows, dingbats */
	    (cp >= 0x2E00 && cp <= 0x2E7F) || /* supplemental punctuation */
	    (cp >= 0x3000 && cp <= 0x303F) || /* CJK punctuation, ideographic space */
	    (cp >= 0xD800 && cp <= 0xF8FF) || /* surrogates, private use */
	    (cp >= 0xFE00 && cp <= 0xFE0F) || /* variation selectors */
	    (cp >= 0xFE30 && cp <= 0xFE4F) || /* CJK compatibility forms */
	    (cp >= 0xFF00 && cp <= 0xFF0F) || /* fullwidth punctuation */
	    (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFF0 && cp <= 0xFFFF) ||
	    (cp >= 0x1F000 && cp <= 0x1FBFF) || /* emoji, pictographs */
	    cp >= 0xE0000)                      /* tags, variation selectors supplement */
		return 0;
	return 1;
}

int hashtags_lower(const char *s, char *out, size_t outlen)
{
	size_t n = strlen(s), i = 0, o = 0, len;

	if (n >= outlen)
		return -1;
	while (i < n) {
		int cp = hashtags_utf8_next(s + i, n - i, &len);

		if (cp < 0)
			out[o++] = s[i];
		else
			o += hashtags_utf8_put(hashtags_cp_lower(cp), out + o);
		i += len;
	}
	out[o] = '\0';
	return 0;
}

/* ---- candidates ---------------------------------------------------------- */

int hashtags_add(struct ht_cands *cs, const char *name, float conf, float prio, enum tag_source src,
                 const char *why, ...)
{
	char key[TAG_MAX];
	struct ht_cand *c = NULL;
	int fresh = 0;
	va_list ap;

	if (name[0] == '\0' || hashtags_lower(name, key, sizeof(key)) != 0 || !(conf > 0))
		return 0;
	if (hashtags_is_banned(cs->r, key))
		return 0;
	if (conf > 1)
		conf = 1;
	for (int i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].key, key) == 0) {
			if (!(conf > cs->c[i].t.conf))
				return 0;
			c = &cs->c[i];
			break;
		}
	if (c == NULL && cs->n < HT_CANDS_MAX) {
		c = &cs->c[cs->n++];
		fresh = 1;
	} else if (c == NULL) { /* full: replace the weakest, if weaker */
		c = &cs->c[0];
		for (int i = 1; i < cs->n; i++)
			if (cs->c[i].t.conf * cs->c[i].prio < c->t.conf * c->prio)
				c = &cs->c[i];
		if (!(conf * prio > c->t.conf * c->prio))
			return 0;
		fresh = 1;
	}
	snprintf(c->key, sizeof(c->key), "%s", key);
	snprintf(c->t.name, sizeof(c->t.name), "%s", name);
	c->t.conf = conf;
	c->t.src = src;
	c->prio = prio;
	va_start(ap, why);
	vsnprintf(c->t.why, sizeof(c->t.why), why, ap);
	va_end(ap);
	return fresh;
}

/* < 0 when a ranks before b: conf × priority, then conf, then name. */
static int cmp_rank(const struct ht_cand *a, const struct ht_cand *b)
{
	float ra = a->t.conf * a->prio, rb = b->t.conf * b->prio;

	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (a->t.conf != b->t.conf)
		return a->t.conf > b->t.conf ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* ---- objects and people -------------------------------------------------- */

struct seen {
	int count;
	float best, second; /* scores of the two best detections */
};

static int pct(float x)
{
	return (int)lrintf(x * 100);
}

/* "StreetPhotography" → "street photography", for reasons. */
static void words_of(const char *tag, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; tag[i] != '\0' && o + 2 < outlen; i++) { /* outlen: 2 × TAG_MAX */
		unsigned char c = (unsigned char)tag[i];

		if (c >= 'A' && c <= 'Z' && i > 0 && tag[i - 1] >= 'a' && tag[i - 1] <= 'z')
			out[o++] = ' ';
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[o] = '\0';
}

static void class_tags(struct ht_cands *cs, int cls, const struct seen *s, int langs)
{
	const struct ht_rule *ru = &cs->r->cls[cls];
	const char *name = hashtags_coco[cls];
	char words[2 * TAG_MAX];

	for (int l = 0; l < HT_LANGS; l++) {
		if (!(langs & (1 << l)))
			continue;
		for (int i = 0; i < ru->ntags[l]; i++)
			hashtags_add(cs, ru->tags[l][i],
			             s->best * (i == 0 ? 1 : NEIGHBOUR - STEP * (float)(i - 1)),
			             ru->prio, SRC_OBJECT, NC_("reason", "%s detected (%d%%)"),
			             name, pct(s->best));
		if (s->count >= 2 && ru->plural[l][0] != '\0' && cls != PERSON) {
			words_of(ru->plural[HT_EN], words, sizeof(words));
			hashtags_add(cs, ru->plural[l], s->second, ru->prio, SRC_OBJECT,
			             NC_("reason", "%d %s detected"), s->count, words);
		}
		for (int i = 0; i < ru->nparents; i++) {
			words_of(ru->parents[i][HT_EN], words, sizeof(words));
			hashtags_add(cs, ru->parents[i][l], s->best * (PARENT - STEP * (float)i),
			             ru->prio, SRC_OBJECT, NC_("reason", "%s → %s"), name, words);
		}
	}
}

/* Intersection over union of two boxes. */
static float iou(const struct detection *a, const struct detection *b)
{
	float w = fminf(a->x2, b->x2) - fmaxf(a->x1, b->x1);
	float h = fminf(a->y2, b->y2) - fmaxf(a->y1, b->y1);
	float in = w > 0 && h > 0 ? w * h : 0;
	float un = (a->x2 - a->x1) * (a->y2 - a->y1) + (b->x2 - b->x1) * (b->y2 - b->y1) - in;

	return un > 0 ? in / un : 0;
}

static void people_tags(struct ht_cands *cs, const struct tag_input *in, float thr, int langs)
{
	const struct detection *kept[PEOPLE_MAX];
	float sum = 0, area = 0, score = 0, bottom = 0, mean;
	int n = 0;
	int en = langs & (1 << HT_EN), es = langs & (1 << HT_ES);

	/* a box that mostly repeats one already counted is the same person (the
	 * tagger lists detections best first, so the better box is kept) */
	for (int i = 0; i < in->ndet && n < PEOPLE_MAX; i++) {
		const struct detection *d = &in->det[i];
		int same = 0;

		if (d->cls != PERSON || !(d->score >= thr) || !(d->score <= 1))
			continue;
		for (int k = 0; k < n && !same; k++)
			same = iou(d, kept[k]) >= SAME_IOU;
		if (!same)
			kept[n++] = d;
	}
	for (int i = 0; i < n; i++) {
		const struct detection *d = kept[i];
		float w = fminf(d->x2, 1) - fmaxf(d->x1, 0), h = fminf(d->y2, 1) - fmaxf(d->y1, 0);
		float a = w > 0 && h > 0 ? w * h : 0;

		sum += d->score;
		if (a > area)
			area = a, score = d->score, bottom = d->y2;
	}
	if (n == 0)
		return;
	mean = sum / (float)n;
	if (n == 1 && area >= PORTRAIT_AREA) {
		if (en)
			hashtags_add(cs, "Portrait", score, 1, SRC_PEOPLE,
			             NC_("reason", "one person fills %d%% of the photo"),
			             pct(area));
		if (es)
			hashtags_add(cs, "Retrato", score, 1, SRC_PEOPLE,
			             NC_("reason", "one person fills %d%% of the photo"),
			             pct(area));
		if (area >= SELFIE_AREA && bottom >= 0.95f) /* #selfie in Spanish too */
			hashtags_add(cs, "Selfie", score * SELFIE, 1, SRC_PEOPLE,
			             NC_("reason", "one person close to the camera (%d%%)"),
			             pct(area));
	} else if (n >= 2 && n <= GROUP_MAX) {
		const char *tags[2][2] = {{"GroupPhoto", "Friends"}, {"FotoDeGrupo", "Amigos"}};

		for (int l = 0; l < HT_LANGS; l++)
			if (langs & (1 << l)) {
				hashtags_add(cs, tags[l][0], mean, 1, SRC_PEOPLE,
				             NC_("reason", "%d people"), n);
				hashtags_add(cs, tags[l][1], mean * FRIENDS, 1, SRC_PEOPLE,
				             NC_("reason", "%d people"), n);
			}
	} else if (n > GROUP_MAX) {
		if (en)
			hashtags_add(cs, "Crowd", mean, 1, SRC_PEOPLE, NC_("reason", "%d people"),
			             n);
		if (es)
			hashtags_add(cs, "Multitud", mean, 1, SRC_PEOPLE,
			             NC_("reason", "%d people"), n);
	}
}

/* 1 when d mostly repeats a detection of its class counted before it (the
 * detector often boxes one cat three times, nearly identically). */
static int repeats(const struct detection *const *counted, int n, const struct detection *d)
{
	for (int k = 0; k < n; k++)
		if (counted[k]->cls == d->cls && iou(d, counted[k]) >= SAME_IOU)
			return 1;
	return 0;
}

static void objects(struct ht_cands *cs, const struct tag_input *in, int langs)
{
	struct seen seen[HT_CLASSES];
	const struct detection *counted[TAG_DETS_MAX];
	int ncounted = 0;

	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < in->ndet && ncounted < TAG_DETS_MAX; i++) {
		const struct detection *d = &in->det[i];
		struct seen *s;

		if (d->cls < 0 || d->cls >= HT_CLASSES || !(d->score >= cs->r->cls[d->cls].thr) ||
		    !(d->score <= 1) || repeats(counted, ncounted, d))
			continue;
		counted[ncounted++] = d;
		s = &seen[d->cls];
		s->count++;
		if (d->score > s->best)
			s->second = s->best, s->best = d->score;
		else if (d->score > s->second)
			s->second = d->score;
	}
	for (int c = 0; c < HT_CLASSES; c++)
		if (seen[c].count > 0)
			class_tags(cs, c, &seen[c], langs);
	people_tags(cs, in, cs->r->cls[PERSON].thr, langs);
}

int hashtags_make(const struct rules *r, const struct tag_input *in, struct tag *out, int max)
{
	struct ht_cands cs;
	int order[HT_CANDS_MAX];
	int langs = (int)in->lang & LANG_BOTH;

	assert(r != NULL && in != NULL && (max <= 0 || out != NULL));
	if (langs == 0)
		langs = LANG_EN;
	cs.r = r;
	cs.n = 0;
	if (in->det != NULL && in->ndet > 0)
		objects(&cs, in, langs);
	if (in->px.rgb != NULL && in->px.w > 0 && in->px.h > 0)
		hashtags_colour(&cs, &in->px, (enum tag_lang)langs);
	if (in->caption != NULL)
		hashtags_caption(&cs, in->caption);
	/* insertion sort of indices: glibc's qsort may malloc */
	for (int i = 0; i < cs.n; i++) {
		int j = i;

		for (; j > 0 && cmp_rank(&cs.c[order[j - 1]], &cs.c[i]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	if (max > cs.n)
		max = cs.n;
	for (int i = 0; i < max; i++)
		out[i] = cs.c[order[i]].t;
	return max < 0 ? 0 : max;
}

/* ---- formatting ---------------------------------------------------------- */

const char *tag_source_name(enum tag_source s)
{
	static const char *const names[SRC__MAX] = {"object",  "people",  "colour",
	                                            "caption", "history", "user"};

	return (unsigned)s < SRC__MAX ? names[s] : "unknown";
}

char *tag_format(const char *name, int lower, char *out, size_t outlen)
{
	size_t n, o = 1, len;

	if (outlen == 0)
		return out;
	if (outlen == 1) {
		out[0] = '\0';
		return out;
	}
	out[0] = '#';
	n = utf8_cut(name, strlen(name), outlen - 2);
	for (size_t i = 0; i < n; i += len) {
		int cp = hashtags_utf8_next(name + i, n - i, &len);

		if (cp < 0 || !lower)
			memcpy(out + o, name + i, len);
		else
			hashtags_utf8_put(hashtags_cp_lower(cp), out + o);
		o += len;
	}
	out[o] = '\0';
	return out;
}
