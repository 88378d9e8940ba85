/* tmpl.h: Mustache templates — variables (escaped), raw {{{x}}}/{{&x}},
 * dotted names, sections, inverted sections, comments, partials with
 * standalone indentation, set delimiters — compiled once per process and
 * rendered from cJSON data. Passes the official spec files (interpolation,
 * sections, inverted, partials, comments, delimiters) with one deliberate
 * difference: {{x}} also escapes ' as &#39;. An empty string is falsey in
 * sections, as in mustache.js.
 *
 * Translation sections: {{#_}}Upload photos{{/_}}. The section name "_" is
 * reserved: it never looks "_" up in the data. Its text, with runs of
 * whitespace collapsed to one space and trimmed, is a msgid (make pot
 * extracts them into po/hashtagger.pot); it renders as the translation the
 * renderer's tmpl_tr gives for it (the msgid itself without one), with the
 * whitespace around it kept. The text may hold {{variables}} (and other
 * tags): the translation is rendered as a template in the current context,
 * after translating, so "Welcome back, {{email}}" becomes "Hola de nuevo,
 * {{email}}" and then gets the escaped address. Translations are trusted
 * like templates (they may hold markup, are not escaped); they cannot
 * nest. To any other Mustache engine this is an ordinary section, which
 * shows its text when the data has "_": true. Write them with the default
 * delimiters (the extractor knows only those), and without '%' in the text
 * (put formatted numbers in the view model): tests/lint holds both. */
#ifndef HT_TMPL_H
#define HT_TMPL_H

#include "buf.h"

#include <cJSON.h>
#include <stddef.h>

#define TMPL_MAX_DEPTH 64 /* nested sections + partials while rendering */
/* Work one render may do: sections over arrays multiply, so a template's
 * size says nothing about its output. Our largest page (100 photos of 30
 * hashtags) should render some 30 000 nodes and 200 KB, counted from its
 * templates' tags, not measured. */
#define TMPL_MAX_NODES 200000
#define TMPL_MAX_OUTPUT (4 * 1024 * 1024)

struct tmpl_set;

/* An empty set; NULL only if memory is exhausted. Free with tmpl_set_free. */
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *s);

/* Compile src under name (replacing one of the same name). On error returns
 * ERR_INVALID and sets *errmsg ("name:line: what"), malloc'd, caller frees. */
int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len, char **errmsg);
/* Load every *.mustache file of dir under its name without extension. */
int tmpl_set_load_dir(struct tmpl_set *s, const char *dir, char **errmsg);
int tmpl_set_has(const struct tmpl_set *s, const char *name);

/* Render name with ctx, appending to out. 0, ERR_NOTFOUND (no such
 * template) or ERR_LIMIT (nesting deeper than TMPL_MAX_DEPTH, more than
 * TMPL_MAX_NODES nodes rendered or TMPL_MAX_OUTPUT bytes appended). A
 * missing partial renders as nothing. Translation sections show their
 * msgids. */
int tmpl_render(const struct tmpl_set *s, const char *name, const cJSON *ctx, struct buf *out);

/* The translator of translation sections: gettext(arg, msgid) returns the
 * translation or msgid itself; the result must live until rendering ends. */
struct tmpl_tr {
	const char *(*gettext)(const void *arg, const char *msgid);
	const void *arg;
};
/* tmpl_render with translation sections translated by tr (NULL: none). A
 * translation that does not compile renders as its msgid. */
int tmpl_render_tr(const struct tmpl_set *s, const char *name, const cJSON *ctx,
                   const struct tmpl_tr *tr, struct buf *out);
/* Call cb with the msgid of every translation section of every template;
 * returns the count. */
int tmpl_msgids(const struct tmpl_set *s,
                void (*cb)(const char *tmpl, const char *msgid, void *arg), void *arg);

/* Call cb for every raw variable ({{{x}}} or {{&x}}) of every template,
 * so a test can hold them to an allowlist. Returns the count. */
int tmpl_raw_names(const struct tmpl_set *s,
                   void (*cb)(const char *tmpl, const char *var, void *arg), void *arg);

#endif
