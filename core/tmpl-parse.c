/* tmpl-parse.c: Mustache source to a node tree (see tmpl.h). */
#include "tmpl-int.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *src, *end;
	const char *name;
	char open[TMPL_DELIM_MAX], close[TMPL_DELIM_MAX];
	size_t olen, clen;
	char **errmsg;
	int in_translation; /* inside {{#_}}: they do not nest */
};

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (p == NULL) {
		fputs("tmpl: out of memory\n", stderr);
		abort();
	}
	return p;
}

static int fail(struct parser *p, const char *at, const char *fmt, ...)
{
	char msg[200];
	int line = 1;
	va_list ap;

	for (const char *c = p->src; c < at && c < p->end; c++)
		line += *c == '\n';
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->errmsg != NULL && *p->errmsg == NULL) {
		size_t n = strlen(p->name) + strlen(msg) + 32;
		*p->errmsg = xcalloc(n, 1);
		snprintf(*p->errmsg, n, "%s:%d: %s", p->name, line, msg);
	}
	return ERR_INVALID;
}

static struct node *push(struct nodes *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct node *v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL) {
			fputs("tmpl: out of memory\n", stderr);
			abort();
		}
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static char *dup_n(const char *s, size_t n)
{
	char *d = xcalloc(n + 1, 1);

	memcpy(d, s, n);
	return d;
}

static void add_text(struct nodes *l, const char *s, size_t n)
{
	struct node *nd;

	if (n == 0)
		return;
	nd = push(l);
	nd->type = N_TEXT;
	nd->text = dup_n(s, n);
	nd->len = n;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trimmed copy of [s, e). */
static char *trimmed(const char *s, const char *e)
{
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	return dup_n(s, (size_t)(e - s));
}

/* Is the trimmed tag name [s, e) name? */
static int tag_is(const char *s, const char *e, const char *name)
{
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	return (size_t)(e - s) == strlen(name) && memcmp(s, name, (size_t)(e - s)) == 0;
}

static int set_delims(struct parser *p, const char *s, const char *e, const char *at)
{
	char *spec = trimmed(s, e), *sp;
	size_t ol, cl;
	int rc = 0;

	sp = strpbrk(spec, " \t");
	if (sp == NULL) {
		rc = fail(p, at, "delimiters must be two words: {{=<%% %%>=}}");
		goto out;
	}
	ol = (size_t)(sp - spec);
	while (is_blank(*sp))
		sp++;
	cl = strlen(sp);
	if (ol == 0 || cl == 0 || ol >= sizeof(p->open) || cl >= sizeof(p->close) ||
	    strpbrk(sp, " \t=") != NULL || memchr(spec, '=', ol) != NULL) {
		rc = fail(p, at, "bad delimiters");
		goto out;
	}
	memcpy(p->open, spec, ol);
	p->open[ol] = '\0';
	memcpy(p->close, sp, cl + 1);
	p->olen = ol;
	p->clen = cl;
out:
	free(spec);
	return rc;
}

static int parse_list(struct parser *p, const char **pos, struct nodes *out, const char *open,
                      const char *open_at, const char **body_end);

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* {{#_}}msgid{{/_}} (see tmpl.h): nd gets the msgid with its whitespace
 * collapsed, the whitespace around it, and the msgid compiled as its kids. */
static int translation(struct parser *p, const char **pos, struct node *nd, const char *tag)
{
	const char *s = *pos, *e, *b, *t;
	struct nodes ignored = {0};
	struct parser sub;
	char *id, *o;
	int rc;

	if (p->in_translation)
		return fail(p, tag, "translation sections do not nest");
	p->in_translation = 1;
	rc = parse_list(p, pos, &ignored, "_", tag, &e);
	p->in_translation = 0;
	tmpl_nodes_free(&ignored);
	if (rc != 0)
		return rc;
	for (b = s; b < e && is_space(*b);)
		b++;
	for (t = e; t > b && is_space(t[-1]);)
		t--;
	nd->lead = dup_n(s, (size_t)(b - s));
	nd->trail = dup_n(t, (size_t)(e - t));
	o = id = xcalloc((size_t)(t - b) + 1, 1);
	for (const char *c = b; c < t; c++)
		if (!is_space(*c))
			*o++ = *c;
		else if (!is_space(c[1]))
			*o++ = ' ';
	nd->text = id;
	memcpy(nd->open, p->open, sizeof(nd->open));
	memcpy(nd->close, p->close, sizeof(nd->close));
	sub = *p;
	sub.src = id;
	sub.end = o;
	sub.in_translation = 1;
	s = id;
	return parse_list(&sub, &s, &nd->kids, NULL, NULL, NULL);
}

/* Parse until end of input or the close tag of section `open` (name);
 * body_end (optional) gets where the section's text ends. */
static int parse_list(struct parser *p, const char **pos, struct nodes *out, const char *open,
                      const char *open_at, const char **body_end)
{
	const char *s = *pos;

	for (;;) {
		const char *tag =
		    s < p->end ? memmem(s, (size_t)(p->end - s), p->open, p->olen) : NULL;
		const char *inner, *close, *after, *ls, *le, *text_end;
		char type;
		int standalone, rc;
		struct node *nd;

		if (tag == NULL) {
			add_text(out, s, (size_t)(p->end - s));
			*pos = p->end;
			if (open != NULL)
				return fail(p, open_at, "section '%s' is not closed", open);
			return 0;
		}
		inner = tag + p->olen;
		if (inner >= p->end)
			return fail(p, tag, "tag is not closed");
		type = *inner;
		if (type == '{') {
			char want[20];
			snprintf(want, sizeof(want), "}%s", p->close);
			close = memmem(inner, (size_t)(p->end - inner), want, p->clen + 1);
			after = close ? close + p->clen + 1 : NULL;
		} else {
			/* after a sigil: with delimiters like "| #", "|#x#" must
			 * not close at its own '#' (found by fuzz-tmpl) */
			const char *from =
			    type != '\0' && strchr("#^/!>=&", type) != NULL ? inner + 1 : inner;
			close = memmem(from, (size_t)(p->end - from), p->close, p->clen);
			after = close ? close + p->clen : NULL;
		}
		if (close == NULL)
			return fail(p, tag, "tag is not closed");
		if (type == '=' && (close - inner < 2 || close[-1] != '='))
			return fail(p, tag, "set-delimiter tag must end with '='");

		/* standalone: only whitespace around the tag on its line */
		standalone = 0;
		ls = tag; /* back over blanks only: a long line costs nothing per tag */
		while (ls > p->src && is_blank(ls[-1]))
			ls--;
		le = after;
		if (strchr("#^/!>=", type) != NULL && (ls == p->src || ls[-1] == '\n')) {
			while (le < p->end && is_blank(*le))
				le++;
			if (le == p->end)
				standalone = 1;
			else if (*le == '\n')
				standalone = 1, le++;
			else if (*le == '\r' && le + 1 < p->end && le[1] == '\n')
				standalone = 1, le += 2;
		}
		text_end = standalone ? ls : tag;
		if (text_end < s)
			text_end = s;
		add_text(out, s, (size_t)(text_end - s));
		s = standalone ? le : after;

		switch (type) {
		case '!': break;
		case '=':
			if ((rc = set_delims(p, inner + 1, close - 1, tag)) != 0)
				return rc;
			break;
		case '/': {
			char *name = trimmed(inner + 1, close);
			int match = open != NULL && strcmp(name, open) == 0;
			if (!match) {
				rc = open ? fail(p, tag, "'%s' closes section '%s'", name, open)
				          : fail(p, tag, "'%s' closes no open section", name);
				free(name);
				return rc;
			}
			free(name);
			*pos = s;
			if (body_end != NULL)
				*body_end = text_end;
			return 0;
		}
		case '#':
		case '^':
			if (type == '#' && tag_is(inner + 1, close, "_")) {
				struct node tr = {.type = N_TRANSLATE};
				rc = translation(p, &s, &tr, tag);
				*push(out) = tr; /* freed with the list, even half made */
				if (rc != 0)
					return rc;
				break;
			}
			nd = push(out);
			nd->type = type == '#' ? N_SECTION : N_INVERTED;
			nd->text = trimmed(inner + 1, close);
			{
				/* the list may move while children are parsed */
				size_t idx = out->n - 1;
				struct nodes kids = {0};
				char *nm = nd->text;
				rc = parse_list(p, &s, &kids, nm, tag, NULL);
				out->v[idx].kids = kids;
				if (rc != 0)
					return rc;
			}
			break;
		case '>':
			nd = push(out);
			nd->type = N_PARTIAL;
			nd->text = trimmed(inner + 1, close);
			nd->indent = standalone ? dup_n(ls, (size_t)(tag - ls)) : NULL;
			break;
		case '{':
		case '&':
			nd = push(out);
			nd->type = N_RAW;
			nd->text = trimmed(inner + 1, close);
			break;
		default:
			nd = push(out);
			nd->type = N_VAR;
			nd->text = trimmed(inner, close);
			break;
		}
	}
}

int tmpl_parse(const char *name, const char *src, size_t len, const char *open, const char *close,
               struct nodes *out, char **errmsg)
{
	struct parser p = {src, src + len, name, "", "", 0, 0, errmsg, 0};
	const char *pos = src;
	int rc;

	snprintf(p.open, sizeof(p.open), "%s", open);
	snprintf(p.close, sizeof(p.close), "%s", close);
	p.olen = strlen(p.open);
	p.clen = strlen(p.close);
	memset(out, 0, sizeof(*out));
	rc = parse_list(&p, &pos, out, NULL, NULL, NULL);
	if (rc != 0)
		tmpl_nodes_free(out);
	return rc;
}

void tmpl_nodes_free(struct nodes *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].indent);
		free(l->v[i].lead);
		free(l->v[i].trail);
		tmpl_nodes_free(&l->v[i].kids);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
