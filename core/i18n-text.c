/* i18n-text.c: printf conversions in catalogs — checking translations
 * against their msgids, and translating composed or stored English text by
 * matching it against the msgids that are formats (see i18n.h). */
#include "i18n-int.h"
#include "buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS_MAX 16
#define MATCH_MAX 1024 /* longer texts are never patterns' instances */
#define LITERAL_MIN 6  /* fixed text (not spaces) a pattern of i18n_text needs */

/* Past a width or precision: digits, or '*' (an int argument, counted). */
static const char *skip_width(const char *p, struct i18n_spec *sp)
{
	if (*p == '*') {
		sp->stars++;
		return p + 1;
	}
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

int i18n_spec_parse(const char *s, struct i18n_spec *sp)
{
	const char *p = s + 1;
	const char *len_mod = "";
	char cls;

	memset(sp, 0, sizeof(*sp));
	if (*p == '%') {
		sp->len = 2;
		return 1;
	}
	if (isdigit((unsigned char)*p)) {
		const char *q = p;
		int pos = 0;
		while (isdigit((unsigned char)*q) && pos < 100)
			pos = pos * 10 + (*q++ - '0');
		if (*q == '$' && pos > 0) {
			sp->pos = pos;
			p = q + 1;
		}
	}
	while (*p != '\0' && strchr("-+ #0'", *p) != NULL)
		p++;
	p = skip_width(p, sp);
	if (*p == '.')
		p = skip_width(p + 1, sp);
	if (p[0] == 'l' && p[1] == 'l')
		len_mod = "ll", p += 2;
	else if (*p == 'l' || *p == 'z')
		len_mod = *p == 'l' ? "l" : "z", p++;
	else if (p[0] == 'h')
		p += p[1] == 'h' ? 2 : 1; /* promoted to int */
	if (*p == '\0')
		return 0;
	cls = strchr("diuxXoc", *p) ? 'i' : strchr("fFeEgGaA", *p) ? 'f' : *p;
	if (cls != 'i' && cls != 'f' && cls != 's' && cls != 'p')
		return 0;
	if (cls != 'i' && *len_mod != '\0')
		return 0;
	if (sp->pos && sp->stars)
		return 0;
	snprintf(sp->type, sizeof(sp->type), "%s%c", len_mod, cls);
	sp->len = (size_t)(p - s) + 1;
	return 1;
}

/* The argument types of a format, in order; -1 when s is not a format we
 * understand (then it is plain text). */
static int arg_types(const char *s, char types[ARGS_MAX][4])
{
	struct i18n_spec sp;
	int n = 0;

	for (const char *p = strchr(s, '%'); p != NULL; p = strchr(p + sp.len, '%')) {
		if (!i18n_spec_parse(p, &sp) || sp.pos)
			return -1;
		if (sp.type[0] == '\0')
			continue;
		if (n + sp.stars + 1 > ARGS_MAX)
			return -1;
		for (int k = 0; k < sp.stars; k++)
			memcpy(types[n++], "i", 2);
		memcpy(types[n++], sp.type, sizeof(sp.type));
	}
	return n;
}

int i18n_has_conversion(const char *msgid)
{
	char types[ARGS_MAX][4];

	return arg_types(msgid, types) > 0;
}

int i18n_format_ok(const char *msgid, const char *tr)
{
	char want[ARGS_MAX][4];
	struct i18n_spec sp;
	int n = arg_types(msgid, want), seq = 0, positional = -1;

	if (n < 0)
		return 1; /* not a format: nothing reads arguments */
	for (const char *p = strchr(tr, '%'); p != NULL; p = strchr(p + sp.len, '%')) {
		int at;
		if (!i18n_spec_parse(p, &sp))
			return 0;
		if (sp.type[0] == '\0')
			continue;
		if (positional == -1)
			positional = sp.pos > 0;
		if (positional != (sp.pos > 0))
			return 0;
		for (int k = 0; k < sp.stars; k++, seq++)
			if (seq >= n || strcmp(want[seq], "i") != 0)
				return 0;
		at = sp.pos ? sp.pos - 1 : seq++;
		if (at >= n || strcmp(want[at], sp.type) != 0)
			return 0;
	}
	return 1;
}

struct arg {
	const char *s;
	size_t len;
	char type[4];
};

/* Match text against format p; the number of arguments captured, or -1.
 * %s takes as little as lets the rest match; numbers are digits with an
 * optional sign (and, for %f, decimals). */
static int match(const char *p, const char *t, struct arg *args, int n)
{
	struct i18n_spec sp;

	while (*p != '\0') {
		size_t k = 0;

		if (*p != '%') {
			if (*p++ != *t++)
				return -1;
			continue;
		}
		if (!i18n_spec_parse(p, &sp) || sp.pos || sp.stars)
			return -1;
		p += sp.len;
		if (sp.type[0] == '\0') {
			if (*t++ != '%')
				return -1;
			continue;
		}
		if (n == ARGS_MAX)
			return -1;
		args[n].s = t;
		memcpy(args[n].type, sp.type, sizeof(sp.type));
		if (strcmp(sp.type, "s") == 0) {
			for (;; k++) {
				int r;
				args[n].len = k;
				if ((r = match(p, t + k, args, n + 1)) >= 0)
					return r;
				if (t[k] == '\0')
					return -1;
			}
		}
		k += t[k] == '-';
		if (!isdigit((unsigned char)t[k]))
			return -1;
		while (isdigit((unsigned char)t[k]))
			k++;
		if (strchr(sp.type, 'f') && t[k] == '.' && isdigit((unsigned char)t[k + 1]))
			for (k++; isdigit((unsigned char)t[k]);)
				k++;
		args[n++].len = k;
		t += k;
	}
	return *t == '\0' ? n : -1;
}

/* The translation tr with the captured values put in, numbers written l's
 * way; %s values translated in context "word" when words is set. */
static const char *fill(const struct i18n_lang *l, struct arena *a, const char *tr,
                        const struct arg *args, int n, int words)
{
	struct buf b = {0};
	struct i18n_spec sp;
	const char *out;
	int seq = 0;

	for (const char *p = tr; *p != '\0';) {
		const struct arg *v;
		char *s;

		if (*p != '%' || !i18n_spec_parse(p, &sp)) {
			buf_putc(&b, *p++);
			continue;
		}
		p += sp.len;
		if (sp.type[0] == '\0') {
			buf_putc(&b, '%');
			continue;
		}
		v = &args[sp.pos ? sp.pos - 1 : seq++];
		if (v >= args + n)
			continue;
		s = arena_strndup(a, v->s, v->len);
		if (strcmp(v->type, "s") == 0)
			buf_puts(&b, words ? i18n_pgettext(l, "word", s) : s);
		else if (strchr(v->type, 'f') == NULL)
			buf_puts(&b, i18n_int(l, a, strtoll(s, NULL, 10)));
		else
			for (char *c = s; *c; c++)
				if (*c == '.')
					buf_puts(&b, l->decimal);
				else
					buf_putc(&b, *c);
	}
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static int literal_len(const char *p)
{
	struct i18n_spec sp;
	int n = 0;

	while (*p != '\0')
		if (*p == '%' && i18n_spec_parse(p, &sp))
			p += sp.len;
		else
			n += !isspace((unsigned char)*p++);
	return n;
}

/* The first pattern (messages idx[0..n)) text is an instance of, filled. */
static const char *by_pattern(const struct i18n_lang *l, struct arena *a, const size_t *idx,
                              size_t n, const char *text, int words)
{
	struct arg args[ARGS_MAX];

	if (strlen(text) > MATCH_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct i18n_msg *m = &l->cat->msg[idx[i]];
		int got;
		if (!words && literal_len(m->id) < LITERAL_MIN)
			continue; /* too little text to tell it from anything else */
		if ((got = match(m->id, text, args, 0)) >= 0)
			return fill(l, a, m->str, args, got, words);
	}
	return NULL;
}

const char *i18n_text(const struct i18n_lang *l, struct arena *a, const char *text)
{
	const char *t;

	if (l == NULL || l->source || l->cat == NULL || text == NULL || *text == '\0')
		return text;
	if ((t = i18n_cat_find(l->cat, NULL, text, NULL, 0)) != NULL)
		return t;
	t = by_pattern(l, a, l->cat->pat, l->cat->npat, text, 0);
	return t ? t : text;
}

const char *i18n_reason(const struct i18n_lang *l, struct arena *a, const char *text)
{
	const char *t;

	if (l == NULL || l->source || l->cat == NULL || text == NULL || *text == '\0')
		return text;
	if ((t = i18n_cat_find(l->cat, "reason", text, NULL, 0)) != NULL)
		return t;
	t = by_pattern(l, a, l->cat->reason, l->cat->nreason, text, 1);
	return t ? t : text;
}
