/* hashtags-rules.c: load and validate models/rules.txt and the word lists
 * next to it (ban.txt, stopwords-en.txt, stopwords-es.txt). The format is
 * described at the top of models/rules.txt; every mistake is reported as
 * "file:line: reason" and nothing is loaded. */
#include "hashtags-int.h"
#include "utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS 7
#define THR_MIN 0.0f
#define THR_MAX 1.0f
#define PRIO_MIN 0.1f
#define PRIO_MAX 3.0f

const char *const hashtags_coco[HT_CLASSES] = {
    "person",        "bicycle",      "car",
    "motorcycle",    "airplane",     "bus",
    "train",         "truck",        "boat",
    "traffic light", "fire hydrant", "stop sign",
    "parking meter", "bench",        "bird",
    "cat",           "dog",          "horse",
    "sheep",         "cow",          "elephant",
    "bear",          "zebra",        "giraffe",
    "backpack",      "umbrella",     "handbag",
    "tie",           "suitcase",     "frisbee",
    "skis",          "snowboard",    "sports ball",
    "kite",          "baseball bat", "baseball glove",
    "skateboard",    "surfboard",    "tennis racket",
    "bottle",        "wine glass",   "cup",
    "fork",          "knife",        "spoon",
    "bowl",          "banana",       "apple",
    "sandwich",      "orange",       "broccoli",
    "carrot",        "hot dog",      "pizza",
    "donut",         "cake",         "chair",
    "couch",         "potted plant", "bed",
    "dining table",  "toilet",       "tv",
    "laptop",        "mouse",        "remote",
    "keyboard",      "cell phone",   "microwave",
    "oven",          "toaster",      "sink",
    "refrigerator",  "book",         "clock",
    "vase",          "scissors",     "teddy bear",
    "hair drier",    "toothbrush",
};

static void fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (errlen == 0)
		return;
	n = line > 0 ? snprintf(err, errlen, "%s:%d: ", path, line)
	             : snprintf(err, errlen, "%s: ", path);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* One line of a models file: 1 with *out the trimmed content, 0 at the end,
 * -1 with err set. Blank lines and comments ("# …", a lone "#") are skipped. */
static int next_line(FILE *f, const char *path, int *line, char *buf, size_t buflen, char **out,
                     char *err, size_t errlen)
{
	while (fgets(buf, (int)buflen, f) != NULL) {
		size_t n = strlen(buf);
		char *s;

		++*line;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		else if (!feof(f)) {
			fail(err, errlen, path, *line, "line too long (max %d bytes)", HT_LINE_MAX);
			return -1;
		}
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
		if (*line == 1 && strncmp(buf, "\xEF\xBB\xBF", 3) == 0) /* a BOM */
			memmove(buf, buf + 3, (n -= 3) + 1);
		if (!utf8_valid(buf, n)) {
			fail(err, errlen, path, *line, "not valid UTF-8 text");
			return -1;
		}
		s = trim(buf);
		if (*s == '\0')
			continue;
		if (s[0] == '#') {
			if (s[1] == '\0' || s[1] == ' ' || s[1] == '\t')
				continue;
			fail(err, errlen, path, *line,
			     "write tags without '#' (a comment is '#' followed by a space)");
			return -1;
		}
		*out = s;
		return 1;
	}
	if (ferror(f)) {
		fail(err, errlen, path, 0, "read error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Check one word or tag: "" when fine, else why not. tag: '_' allowed and
 * one letter needed; otherwise (stopwords) letters and digits only. */
static const char *bad_word(const char *s, size_t max, int tag)
{
	size_t n = strlen(s), i = 0, len;
	int letter = 0;

	if (n == 0)
		return "empty";
	if (n >= max)
		return max == TAG_MAX ? "too long (max 63 bytes)" : "too long (max 31 bytes)";
	if (s[0] == '#')
		return "written with '#' (leave it out)";
	while (i < n) {
		int cp = hashtags_utf8_next(s + i, n - i, &len);

		if (cp == '_' && tag) {
			i += len;
			continue;
		}
		if (cp < 0 || !hashtags_cp_is_word(cp))
			return tag ? "has a character other than letters, digits and '_'"
			           : "has a character other than letters and digits";
		if (!(cp >= '0' && cp <= '9'))
			letter = 1;
		i += len;
	}
	return letter || !tag ? "" : "has no letter";
}

/* A comma-separated list of tags into out[max]; "-" is an empty list. */
static int parse_tags(char *field, char (*out)[TAG_MAX], int max, int *n, char *why, size_t whylen)
{
	char *p = field;

	*n = 0;
	if (strcmp(field, "-") == 0)
		return 0;
	for (;;) {
		char *comma = strchr(p, ',');
		const char *bad;
		char *t;

		if (comma != NULL)
			*comma = '\0';
		t = trim(p);
		bad = bad_word(t, TAG_MAX, 1);
		if (*bad != '\0') {
			snprintf(why, whylen, "tag '%.40s' %s", t, bad);
			return -1;
		}
		if (*n == max) {
			snprintf(why, whylen, "more than %d tags", max);
			return -1;
		}
		snprintf(out[(*n)++], TAG_MAX, "%s", t);
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/* "En/Es" into en and es. */
static int parse_pair(char *s, char *en, char *es, char *why, size_t whylen)
{
	char *slash = strchr(s, '/');
	char *a, *b;
	const char *bad;

	if (slash == NULL || strchr(slash + 1, '/') != NULL) {
		snprintf(why, whylen, "'%.40s' is not English/Spanish", s);
		return -1;
	}
	*slash = '\0';
	a = trim(s);
	b = trim(slash + 1);
	if (*(bad = bad_word(a, TAG_MAX, 1)) != '\0' || *(bad = bad_word(b, TAG_MAX, 1)) != '\0') {
		snprintf(why, whylen, "tag '%.40s' %s", *bad_word(a, TAG_MAX, 1) ? a : b, bad);
		return -1;
	}
	snprintf(en, TAG_MAX, "%s", a);
	snprintf(es, TAG_MAX, "%s", b);
	return 0;
}

/* A decimal number without sign or exponent ("0.35", "1", ".5"), locale-free. */
static int parse_num(const char *s, float *out)
{
	double v = 0, scale = 1;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			v += (*s - '0') * (scale /= 10);
	if (*s != '\0' || digits == 0 || digits > 12)
		return -1;
	*out = (float)v;
	return 0;
}

static int parse_rule(struct rules *r, char *s, const char *path, int line, char *err,
                      size_t errlen)
{
	static const char *const names[FIELDS] = {
	    "class", "threshold", "priority", "English tags", "Spanish tags", "plural", "parents"};
	char *f[FIELDS], why[160];
	struct ht_rule *ru = NULL;
	int nf = 0, i;

	for (char *p = s;; p++) {
		char *bar = strchr(p, '|');

		if (nf == FIELDS) {
			fail(err, errlen, path, line,
			     "too many fields (expected %d, separated by '|')", FIELDS);
			return -1;
		}
		if (bar != NULL)
			*bar = '\0';
		f[nf++] = trim(p);
		if (bar == NULL)
			break;
		p = bar;
	}
	if (nf < FIELDS) {
		fail(err, errlen, path, line,
		     "missing fields: %d of %d (class | threshold | priority | English tags | "
		     "Spanish tags | plural | parents)",
		     nf, FIELDS);
		return -1;
	}
	for (i = 0; i < FIELDS; i++)
		if (*f[i] == '\0') {
			fail(err, errlen, path, line, "empty %s field (write '-' for none)",
			     names[i]);
			return -1;
		}
	for (i = 0; i < HT_CLASSES; i++)
		if (strcmp(f[0], hashtags_coco[i]) == 0)
			break;
	if (i == HT_CLASSES) {
		fail(err, errlen, path, line,
		     "unknown class '%.40s' (not one of the 80 COCO classes)", f[0]);
		return -1;
	}
	ru = &r->cls[i];
	if (ru->line != 0) {
		fail(err, errlen, path, line, "duplicate class '%s' (first on line %d)", f[0],
		     ru->line);
		return -1;
	}
	ru->line = line;
	if (parse_num(f[1], &ru->thr) != 0 || ru->thr < THR_MIN || ru->thr > THR_MAX) {
		fail(err, errlen, path, line, "threshold '%.20s' is not a number from 0 to 1",
		     f[1]);
		return -1;
	}
	if (parse_num(f[2], &ru->prio) != 0 || ru->prio < PRIO_MIN || ru->prio > PRIO_MAX) {
		fail(err, errlen, path, line, "priority '%.20s' is not a number from %.1f to %.1f",
		     f[2], (double)PRIO_MIN, (double)PRIO_MAX);
		return -1;
	}
	for (int l = 0; l < HT_LANGS; l++) {
		if (parse_tags(f[3 + l], ru->tags[l], HT_RULE_TAGS, &ru->ntags[l], why,
		               sizeof(why)) != 0) {
			fail(err, errlen, path, line, "%s: %s", names[3 + l], why);
			return -1;
		}
		if (ru->ntags[l] == 0) {
			fail(err, errlen, path, line, "%s: at least one tag is needed",
			     names[3 + l]);
			return -1;
		}
	}
	if (strcmp(f[5], "-") != 0 &&
	    parse_pair(f[5], ru->plural[HT_EN], ru->plural[HT_ES], why, sizeof(why)) != 0) {
		fail(err, errlen, path, line, "plural: %s", why);
		return -1;
	}
	if (strcmp(f[6], "-") == 0)
		return 0;
	for (char *p = f[6];;) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		if (ru->nparents == HT_RULE_PARENTS) {
			fail(err, errlen, path, line, "parents: more than %d", HT_RULE_PARENTS);
			return -1;
		}
		if (parse_pair(p, ru->parents[ru->nparents][HT_EN],
		               ru->parents[ru->nparents][HT_ES], why, sizeof(why)) != 0) {
			fail(err, errlen, path, line, "parents: %s", why);
			return -1;
		}
		ru->nparents++;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int load_rules(struct rules *r, const char *path, char *err, size_t errlen)
{
	char buf[HT_LINE_MAX + 2], *s;
	int line = 0, rc, missing = 0, first = -1;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fail(err, errlen, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	while ((rc = next_line(f, path, &line, buf, sizeof(buf), &s, err, errlen)) == 1)
		if (parse_rule(r, s, path, line, err, errlen) != 0) {
			rc = -1;
			break;
		}
	fclose(f);
	if (rc != 0)
		return -1;
	for (int i = 0; i < HT_CLASSES; i++)
		if (r->cls[i].line == 0 && missing++ == 0)
			first = i;
	if (missing > 0) {
		fail(err, errlen, path, line,
		     "class '%s' %s missing (all 80 COCO classes are needed)", hashtags_coco[first],
		     missing > 1 ? "and others are" : "is");
		return -1;
	}
	return 0;
}

static int cmp_row(const void *a, const void *b, size_t n)
{
	return strncmp(a, b, n);
}

static int cmp_stop(const void *a, const void *b)
{
	return cmp_row(a, b, HT_WORD_MAX);
}

static int cmp_ban(const void *a, const void *b)
{
	return cmp_row(a, b, TAG_MAX);
}

/* A word list being loaded: rows of width bytes, at most max. */
struct wlist {
	char *rows;
	size_t width;
	int max, *n, start, *lines;
	int stop; /* stopwords: letters and digits, lowercase; else tags */
};

static int add_word(struct wlist *w, const char *s, const char *path, int line, char *err,
                    size_t errlen)
{
	const char *bad = bad_word(s, w->width, !w->stop);
	char low[TAG_MAX];

	if (*bad != '\0') {
		fail(err, errlen, path, line, "'%.40s' %s", s, bad);
		return -1;
	}
	hashtags_lower(s, low, sizeof(low));
	if (w->stop && strcmp(low, s) != 0) {
		fail(err, errlen, path, line, "'%s' is not lowercase", s);
		return -1;
	}
	for (int i = w->start; i < *w->n; i++)
		if (strcmp(w->rows + (size_t)i * w->width, low) == 0) {
			fail(err, errlen, path, line, "duplicate '%s' (first on line %d)", s,
			     w->lines[i - w->start]);
			return -1;
		}
	if (*w->n == w->max) {
		fail(err, errlen, path, line, "more than %d words", w->max);
		return -1;
	}
	w->lines[*w->n - w->start] = line;
	snprintf(w->rows + (size_t)(*w->n)++ * w->width, w->width, "%s", low);
	return 0;
}

/* One word per line appended to w, lowercased. */
static int load_words(struct wlist *w, const char *path, char *err, size_t errlen)
{
	char buf[HT_LINE_MAX + 2], *s;
	int line = 0, rc = -1;
	FILE *f = fopen(path, "r");

	w->start = *w->n;
	w->lines = calloc((size_t)(w->max - w->start) + 1, sizeof(int));
	if (f == NULL || w->lines == NULL) {
		fail(err, errlen, path, 0, "cannot open: %s", strerror(f == NULL ? errno : ENOMEM));
		goto out;
	}
	while ((rc = next_line(f, path, &line, buf, sizeof(buf), &s, err, errlen)) == 1)
		if (add_word(w, s, path, line, err, errlen) != 0) {
			rc = -1;
			break;
		}
out:
	if (f != NULL)
		fclose(f);
	free(w->lines);
	w->lines = NULL;
	return rc;
}

static int load_all(struct rules *r, const char *path, char *err, size_t errlen)
{
	static const char *const lists[] = {"stopwords-en.txt", "stopwords-es.txt", "ban.txt"};
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	char p[4096];

	if (load_rules(r, path, err, errlen) != 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		struct wlist w = {&r->stop[0][0], HT_WORD_MAX, HT_STOP_MAX, &r->nstop, 0, NULL, 1};

		if (i == 2)
			w = (struct wlist){&r->ban[0][0], TAG_MAX, HT_BAN_MAX, &r->nban, 0,
			                   NULL,          0};
		if (snprintf(p, sizeof(p), "%.*s%s", dirlen, path, lists[i]) >= (int)sizeof(p)) {
			fail(err, errlen, path, 0, "path too long");
			return -1;
		}
		if (load_words(&w, p, err, errlen) != 0)
			return -1;
	}
	/* a word may be in both stopword lists ("no", "me"): keep one */
	qsort(r->stop, (size_t)r->nstop, HT_WORD_MAX, cmp_stop);
	if (r->nstop > 1) {
		int j = 1;

		for (int i = 1; i < r->nstop; i++)
			if (strcmp(r->stop[i], r->stop[j - 1]) != 0)
				memmove(r->stop[j++], r->stop[i], HT_WORD_MAX);
		r->nstop = j;
	}
	qsort(r->ban, (size_t)r->nban, TAG_MAX, cmp_ban);
	return 0;
}

struct rules *rules_load(const char *path, char *err, size_t errlen)
{
	struct rules *r = calloc(1, sizeof(*r));

	if (errlen > 0)
		err[0] = '\0';
	if (r == NULL) {
		fail(err, errlen, path, 0, "out of memory");
		return NULL;
	}
	if (load_all(r, path, err, errlen) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

void rules_free(struct rules *r)
{
	free(r);
}

int hashtags_is_stopword(const struct rules *r, const char *lower)
{
	if (strlen(lower) >= HT_WORD_MAX)
		return 0;
	return bsearch(lower, r->stop, (size_t)r->nstop, HT_WORD_MAX, cmp_stop) != NULL;
}

int hashtags_is_banned(const struct rules *r, const char *lower)
{
	return bsearch(lower, r->ban, (size_t)r->nban, TAG_MAX, cmp_ban) != NULL;
}
