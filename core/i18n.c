/* i18n.c: .mo catalogs, our languages, language negotiation and lookups
 * (see i18n.h). */
#include "i18n-int.h"
#include "buf.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MO_MAGIC 0x950412deu
#define MO_MAX (16u * 1024 * 1024)

static const struct {
	const char *code, *name, *decimal, *thousands;
} languages[I18N_LANGS] = {
    {"en", "English", ".", ","},
    {"es", "Español", ",", "."},
};

struct reader {
	const unsigned char *p;
	size_t len;
	int swap; /* the file's byte order is not the one of its magic as read */
};

static uint32_t word(const struct reader *rd, size_t off)
{
	const unsigned char *b = rd->p + off;

	if (rd->swap)
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* The string of table entry i at table offset tab: in the file, NUL-terminated. */
static const char *entry(const struct reader *rd, uint32_t tab, uint32_t i, size_t *len)
{
	uint64_t at = (uint64_t)tab + (uint64_t)i * 8, l, off;

	if (at + 8 > rd->len)
		return NULL;
	l = word(rd, (size_t)at);
	off = word(rd, (size_t)at + 4);
	if (off + l + 1 > rd->len || rd->p[off + l] != '\0')
		return NULL;
	*len = (size_t)l;
	return (const char *)rd->p + off;
}

static enum plural_rule plural_rule(const char *header)
{
	const char *p = strstr(header, "plural="), *e;
	char expr[32];
	size_t n = 0;

	if (p == NULL)
		return PLURAL_NE1;
	for (p += 7, e = p; *e != '\0' && *e != ';' && *e != '\n'; e++)
		if (!isspace((unsigned char)*e) && *e != '(' && *e != ')' && n + 1 < sizeof(expr))
			expr[n++] = *e;
	expr[n] = '\0';
	if (strcmp(expr, "n!=1") == 0)
		return PLURAL_NE1;
	if (strcmp(expr, "n>1") == 0)
		return PLURAL_GT1;
	if (strcmp(expr, "0") == 0)
		return PLURAL_NONE;
	fprintf(stderr, "i18n: unsupported Plural-Forms \"plural=%s\", using n != 1\n", expr);
	return PLURAL_NE1;
}

/* Every form of m valid UTF-8, and each a format compatible with its msgid. */
static int msg_ok(const struct i18n_msg *m)
{
	const char *f = m->str, *end = m->str + m->str_len;
	int k = 0;

	for (; f <= end; f += strlen(f) + 1, k++) {
		if (!utf8_valid(f, strlen(f)))
			return 0;
		if (!i18n_format_ok(k == 0 || m->plural == NULL ? m->id : m->plural, f))
			return 0;
	}
	return 1;
}

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* Fill c->msg from the file image in c->data. */
static int read_tables(struct i18n_cat *c, char *err, size_t errlen)
{
	struct reader rd = {(const unsigned char *)c->data, c->len, 0};
	const char *prev = NULL;
	uint32_t n, otab, ttab;

	if (c->len < 28)
		return fail(err, errlen, "too short for a .mo file");
	if (word(&rd, 0) != MO_MAGIC) {
		rd.swap = 1;
		if (word(&rd, 0) != MO_MAGIC)
			return fail(err, errlen, "not a .mo file (bad magic number)");
	}
	if (word(&rd, 4) >> 16 > 1)
		return fail(err, errlen, "unknown .mo revision");
	n = word(&rd, 8);
	otab = word(&rd, 12);
	ttab = word(&rd, 16);
	if ((uint64_t)n * 8 > c->len)
		return fail(err, errlen, "string count larger than the file");
	c->msg = calloc(n ? n : 1, sizeof(*c->msg));
	if (c->msg == NULL)
		return fail(err, errlen, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		size_t olen, tlen;
		const char *o = entry(&rd, otab, i, &olen), *t = entry(&rd, ttab, i, &tlen);
		struct i18n_msg *m = &c->msg[c->n];

		if (o == NULL || t == NULL)
			return fail(err, errlen, "string table points outside the file");
		if (prev != NULL && strcmp(prev, o) >= 0)
			return fail(err, errlen, "originals are not sorted");
		prev = o;
		if (*o == '\0') { /* the header */
			c->plural = plural_rule(t);
			continue;
		}
		m->key = o;
		m->id = strchr(o, '\004') ? strchr(o, '\004') + 1 : o;
		m->plural = strlen(o) < olen ? o + strlen(o) + 1 : NULL;
		m->str = t;
		m->str_len = tlen;
		if (tlen == 0)
			continue; /* untranslated */
		if (!msg_ok(m)) {
			char shown[61];
			size_t k;
			for (k = 0; k + 1 < sizeof(shown) && m->id[k]; k++) /* printable only */
				shown[k] = m->id[k] >= 0x20 && m->id[k] < 0x7f ? m->id[k] : '?';
			shown[k] = '\0';
			fprintf(stderr,
			        "i18n: dropped the translation of \"%s\": not UTF-8, or its %% "
			        "conversions differ from the msgid's\n",
			        shown);
			continue;
		}
		c->n++;
	}
	return 0;
}

/* Index the messages i18n_text and i18n_reason match text against. */
static int index_patterns(struct i18n_cat *c)
{
	c->pat = calloc(c->n + 1, sizeof(size_t));
	c->reason = calloc(c->n + 1, sizeof(size_t));
	if (c->pat == NULL || c->reason == NULL)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct i18n_msg *m = &c->msg[i];
		if (m->plural != NULL || !i18n_has_conversion(m->id))
			continue;
		if (m->id == m->key)
			c->pat[c->npat++] = i;
		else if (strncmp(m->key, "reason\004", 7) == 0)
			c->reason[c->nreason++] = i;
	}
	return 0;
}

struct i18n_cat *i18n_cat_parse(const void *data, size_t len, char *err, size_t errlen)
{
	struct i18n_cat *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->data = malloc(len + 1)) == NULL) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(c->data, data, len);
	c->data[len] = '\0';
	c->len = len;
	if (read_tables(c, err, errlen) != 0) {
		i18n_cat_free(c);
		return NULL;
	}
	if (index_patterns(c) != 0) {
		snprintf(err, errlen, "out of memory");
		i18n_cat_free(c);
		return NULL;
	}
	return c;
}

struct i18n_cat *i18n_cat_load(const char *path, char *err, size_t errlen)
{
	struct buf b = {0};
	struct i18n_cat *c = NULL;

	if (buf_read_file(&b, path, MO_MAX) != 0)
		snprintf(err, errlen, "cannot read %s", path);
	else
		c = i18n_cat_parse(b.data ? b.data : "", b.len, err, errlen);
	buf_free(&b);
	return c;
}

void i18n_cat_free(struct i18n_cat *c)
{
	if (c == NULL)
		return;
	free(c->pat);
	free(c->reason);
	free(c->msg);
	free(c->data);
	free(c);
}

size_t i18n_cat_size(const struct i18n_cat *c)
{
	return c->n;
}

unsigned i18n_cat_plural(const struct i18n_cat *c, unsigned long n)
{
	switch (c->plural) {
	case PLURAL_GT1: return n > 1;
	case PLURAL_NONE: return 0;
	case PLURAL_NE1: break;
	}
	return n != 1;
}

/* strcmp of "ctx\004id" (or "id") against key, without building it. */
static int cmp_key(const char *ctx, const char *id, const char *key)
{
	const unsigned char *k = (const unsigned char *)key;

	if (ctx != NULL) {
		for (const unsigned char *c = (const unsigned char *)ctx; *c; c++, k++)
			if (*c != *k)
				return *c - *k;
		if (*k != '\004')
			return '\004' - *k;
		k++;
	}
	return strcmp(id, (const char *)k);
}

const char *i18n_cat_find(const struct i18n_cat *c, const char *ctx, const char *msgid,
                          const char *plural, unsigned long n)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct i18n_msg *m = &c->msg[mid];
		int d = cmp_key(ctx, msgid, m->key);
		if (d < 0) {
			hi = mid;
		} else if (d > 0) {
			lo = mid + 1;
		} else {
			const char *f = m->str, *end = m->str + m->str_len;
			if (plural == NULL || m->plural == NULL)
				return f;
			for (unsigned k = i18n_cat_plural(c, n); k > 0 && f < end; k--)
				f += strlen(f) + 1;
			return f < end ? f : NULL; /* a missing or empty form: none */
		}
	}
	return NULL;
}

void i18n_open(struct i18n *i, const char *dir)
{
	memset(i, 0, sizeof(*i));
	for (int k = 0; k < I18N_LANGS; k++) {
		struct i18n_lang *l = &i->lang[k];
		char path[1024], err[256];

		l->code = languages[k].code;
		l->name = languages[k].name;
		l->decimal = languages[k].decimal;
		l->thousands = languages[k].thousands;
		l->source = k == 0;
		snprintf(path, sizeof(path), "%s/%s/%s.mo", dir, l->code, I18N_DOMAIN);
		l->cat = i18n_cat_load(path, err, sizeof(err));
		if (l->cat == NULL)
			fprintf(stderr, "hashtagger: catalog %s: %s; %s shows the English texts\n",
			        path, err, l->code);
	}
}

void i18n_close(struct i18n *i)
{
	for (int k = 0; k < I18N_LANGS; k++)
		i18n_cat_free(i->lang[k].cat);
	memset(i, 0, sizeof(*i));
}

int i18n_is_code(const char *code)
{
	for (int k = 0; code != NULL && k < I18N_LANGS; k++)
		if (strcmp(code, languages[k].code) == 0)
			return 1;
	return 0;
}

const struct i18n_lang *i18n_find(const struct i18n *i, const char *tag)
{
	size_t n = 0;

	if (tag == NULL)
		return NULL;
	while (isalpha((unsigned char)tag[n]))
		n++;
	if (tag[n] != '\0' && tag[n] != '-' && tag[n] != '_')
		return NULL;
	for (int k = 0; k < I18N_LANGS; k++)
		if (n == strlen(i->lang[k].code) && strncasecmp(tag, i->lang[k].code, n) == 0)
			return &i->lang[k];
	return NULL;
}

/* q of one ";q=0.8" parameter list, 1000 for 1.0; -1 when malformed. */
static int qvalue(const char *p, const char *end)
{
	int q = 1000, scale = 100;

	while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return q;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=' ||
	    (p[2] != '0' && p[2] != '1'))
		return -1;
	q = (p[2] - '0') * 1000;
	p += 3;
	if (p < end && *p == '.')
		for (p++; p < end && isdigit((unsigned char)*p) && scale > 0; p++, scale /= 10)
			q += (*p - '0') * scale;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end && q <= 1000 ? q : -1;
}

const struct i18n_lang *i18n_accept(const struct i18n *i, const char *header)
{
	const struct i18n_lang *best = NULL;
	int bestq = 0;

	for (const char *s = header; s != NULL && *s != '\0';) {
		const char *end = strchr(s, ','), *semi;
		char tag[32];
		size_t n;
		int q;

		if (end == NULL)
			end = s + strlen(s);
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		semi = memchr(s, ';', (size_t)(end - s));
		n = (size_t)((semi ? semi : end) - s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		q = qvalue(semi ? semi : end, end);
		if (n > 0 && n < sizeof(tag) && q > bestq) {
			const struct i18n_lang *l;
			memcpy(tag, s, n);
			tag[n] = '\0';
			l = strcmp(tag, "*") == 0 ? &i->lang[0] : i18n_find(i, tag);
			if (l != NULL) {
				best = l;
				bestq = q;
			}
		}
		s = *end ? end + 1 : end;
	}
	return best;
}

const char *i18n_gettext(const struct i18n_lang *l, const char *msgid)
{
	const char *t = l && l->cat ? i18n_cat_find(l->cat, NULL, msgid, NULL, 0) : NULL;

	return t ? t : msgid;
}

const char *i18n_pgettext(const struct i18n_lang *l, const char *ctx, const char *msgid)
{
	const char *t = l && l->cat ? i18n_cat_find(l->cat, ctx, msgid, NULL, 0) : NULL;

	return t ? t : msgid;
}

const char *i18n_ngettext(const struct i18n_lang *l, const char *singular, const char *plural,
                          unsigned long n)
{
	const char *t = l && l->cat ? i18n_cat_find(l->cat, NULL, singular, plural, n) : NULL;

	return t ? t : n == 1 ? singular : plural;
}
