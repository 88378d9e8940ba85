/* tmpl.h: Mustache templates — variables (escaped), raw {{{x}}}/{{&x}},
 * dotted names, sections, inverted sections, comments, partials with
 * standalone indentation, set delimiters — compiled once per process and
 * rendered from cJSON data. Passes the official spec files (interpolation,
 * sections, inverted, partials, comments, delimiters) with one deliberate
 * difference: {{x}} also escapes ' as &#39;. An empty string is falsey in
 * sections, as in mustache.js. */
#ifndef HT_TMPL_H
#define HT_TMPL_H

#include "buf.h"

#include <cJSON.h>
#include <stddef.h>

#define TMPL_MAX_DEPTH 64 /* nested sections + partials while rendering */
/* Work one render may do: sections over arrays multiply, so a template's
 * size says nothing about its output. Our largest page (100 photos of 30
 * hashtags) renders some 30 000 nodes and 200 KB. */
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
 * missing partial renders as nothing. */
int tmpl_render(const struct tmpl_set *s, const char *name, const cJSON *ctx, struct buf *out);

/* Call cb for every raw variable ({{{x}}} or {{&x}}) of every template,
 * so a test can hold them to an allowlist. Returns the count. */
int tmpl_raw_names(const struct tmpl_set *s,
                   void (*cb)(const char *tmpl, const char *var, void *arg), void *arg);

#endif
