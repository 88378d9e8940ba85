/* tmpl-int.h: the compiled form of a template, shared by tmpl-parse.c and
 * tmpl.c. Not for use outside the template engine. */
#ifndef HT_TMPL_INT_H
#define HT_TMPL_INT_H

#include <stddef.h>

enum ntype { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_TRANSLATE };

#define TMPL_DELIM_MAX 16

struct node;

struct nodes {
	struct node *v;
	size_t n, cap;
};

struct node {
	enum ntype type;
	char *text;   /* literal text, or the trimmed tag name */
	size_t len;   /* length of literal text */
	char *indent; /* standalone partial: the whitespace before it */
	struct nodes kids;
	/* N_TRANSLATE: text is the msgid (whitespace collapsed, kids its
	 * compiled form), lead and trail the whitespace around it, open and
	 * close the delimiters a translation is compiled with */
	char *lead, *trail;
	char open[TMPL_DELIM_MAX], close[TMPL_DELIM_MAX];
};

/* Compile src, starting with the delimiters open and close ("{{", "}}");
 * on error ERR_INVALID with *errmsg malloc'd ("name:line: ..."). */
int tmpl_parse(const char *name, const char *src, size_t len, const char *open, const char *close,
               struct nodes *out, char **errmsg);
void tmpl_nodes_free(struct nodes *l);

#endif
