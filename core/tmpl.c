/* tmpl.c: template sets and rendering (see tmpl.h). */
#include "tmpl.h"
#include "err.h"
#include "tmpl-int.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TMPL_MAX_BYTES (1024 * 1024)

struct tmpl {
	char *name;
	struct nodes nodes;
};

struct tmpl_set {
	struct tmpl *v;
	size_t n, cap;
};

/* Rendering state: the context stack and the pending partial indentation. */
struct render {
	const struct tmpl_set *set;
	struct buf *out;
	const cJSON *stack[TMPL_MAX_DEPTH + 1];
	int depth;
	const char *indent; /* prefix for each line of the current partial */
	int at_line_start;
	int nesting;
	const struct tmpl_tr *tr; /* NULL: translation sections show their msgids */
	size_t nodes;             /* rendered so far */
	size_t start;             /* out->len when rendering began */
};

struct tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		tmpl_nodes_free(&s->v[i].nodes);
	}
	free(s->v);
	free(s);
}

static struct tmpl *find(const struct tmpl_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

int tmpl_set_has(const struct tmpl_set *s, const char *name)
{
	return find(s, name) != NULL;
}

int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len, char **errmsg)
{
	struct nodes nodes;
	struct tmpl *t;
	int rc;

	if (errmsg != NULL)
		*errmsg = NULL;
	if ((rc = tmpl_parse(name, src, len, "{{", "}}", &nodes, errmsg)) != 0)
		return rc;
	if ((t = find(s, name)) != NULL) {
		tmpl_nodes_free(&t->nodes);
		t->nodes = nodes;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct tmpl *v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL) {
			tmpl_nodes_free(&nodes);
			return ERR_NOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].name = strdup(name);
	s->v[s->n].nodes = nodes;
	s->n++;
	return 0;
}

int tmpl_set_load_dir(struct tmpl_set *s, const char *dir, char **errmsg)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (errmsg != NULL)
		*errmsg = NULL;
	if (d == NULL) {
		if (errmsg != NULL && asprintf(errmsg, "%s: %s", dir, strerror(errno)) < 0)
			*errmsg = NULL;
		return ERR_IO;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char path[1024], *name;
		struct buf src = {0};

		if (n <= 9 || strcmp(e->d_name + n - 9, ".mustache") != 0 || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (buf_read_file(&src, path, TMPL_MAX_BYTES) != 0) {
			buf_free(&src);
			if (errmsg != NULL && asprintf(errmsg, "%s: %s", path, strerror(errno)) < 0)
				*errmsg = NULL;
			rc = ERR_IO;
			break;
		}
		name = strndup(e->d_name, n - 9);
		rc = tmpl_set_add(s, name, src.data, src.len, errmsg);
		free(name);
		buf_free(&src);
	}
	closedir(d);
	return rc;
}

/* Resolve a (dotted) name against the context stack. */
/* The member of object o named name (n bytes), or NULL. cJSON's own lookup
 * calls strcmp on every member; a section's lookups mostly miss (the name is
 * an outer context's), so the first byte is compared before anything else. */
static const cJSON *member(const cJSON *o, const char *name, size_t n)
{
	for (const cJSON *c = o->child; c != NULL; c = c->next)
		if (c->string != NULL && c->string[0] == name[0] &&
		    strncmp(c->string, name, n) == 0 && c->string[n] == '\0')
			return c;
	return NULL;
}

static const cJSON *lookup(const struct render *r, const char *name)
{
	const cJSON *v = NULL;
	const char *dot;
	size_t n;

	if (name[0] == '.' && name[1] == '\0')
		return r->stack[r->depth - 1];
	dot = strchr(name, '.');
	n = dot ? (size_t)(dot - name) : strlen(name);
	for (int i = r->depth - 1; i >= 0 && v == NULL; i--)
		if (cJSON_IsObject(r->stack[i]))
			v = member(r->stack[i], name, n);
	while (v != NULL && dot != NULL) {
		const char *seg = dot + 1;
		dot = strchr(seg, '.');
		n = dot ? (size_t)(dot - seg) : strlen(seg);
		if (!cJSON_IsObject(v))
			return NULL;
		v = member(v, seg, n);
	}
	return v;
}

static int truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsFalse(v) || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsArray(v))
		return cJSON_GetArraySize(v) > 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	return 1;
}

static void pending_indent(struct render *r)
{
	if (r->indent != NULL && r->at_line_start) {
		buf_puts(r->out, r->indent);
		r->at_line_start = 0;
	}
}

static void emit_text(struct render *r, const char *s, size_t n)
{
	size_t start = 0;

	if (r->indent == NULL) {
		buf_append(r->out, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		pending_indent(r);
		buf_append(r->out, s + start, i + 1 - start);
		start = i + 1;
		r->at_line_start = 1;
	}
	if (start < n) {
		pending_indent(r);
		buf_append(r->out, s + start, n - start);
	}
}

static void emit_value(struct render *r, const cJSON *v, int escape)
{
	char num[64];
	const char *s = NULL;

	if (v == NULL || cJSON_IsNull(v))
		return;
	if (cJSON_IsString(v)) {
		s = v->valuestring;
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
			snprintf(num, sizeof(num), "%.0f", d);
		else
			snprintf(num, sizeof(num), "%.15g", d);
		s = num;
	} else if (cJSON_IsBool(v)) {
		s = cJSON_IsTrue(v) ? "true" : "false";
	}
	if (s == NULL || *s == '\0')
		return;
	pending_indent(r);
	if (escape)
		buf_html_escape(r->out, s, strlen(s));
	else
		buf_puts(r->out, s);
}

static int render_nodes(struct render *r, const struct nodes *l);

static int with_context(struct render *r, const cJSON *ctx, const struct nodes *kids)
{
	int rc;

	if (r->depth >= TMPL_MAX_DEPTH)
		return ERR_LIMIT;
	r->stack[r->depth++] = ctx;
	rc = render_nodes(r, kids);
	r->depth--;
	return rc;
}

static int render_partial(struct render *r, const struct node *nd)
{
	const struct tmpl *t = find(r->set, nd->text);
	const char *saved = r->indent;
	char *indent = NULL;
	int rc;

	if (t == NULL)
		return 0;
	if (++r->nesting > TMPL_MAX_DEPTH) {
		r->nesting--;
		return ERR_LIMIT;
	}
	if (nd->indent != NULL) {
		size_t a = saved ? strlen(saved) : 0, b = strlen(nd->indent);
		indent = malloc(a + b + 1);
		if (indent == NULL)
			return ERR_NOMEM;
		memcpy(indent, saved ? saved : "", a);
		memcpy(indent + a, nd->indent, b + 1);
		r->indent = indent;
		r->at_line_start = 1;
	}
	rc = render_nodes(r, &t->nodes);
	r->indent = saved;
	free(indent);
	r->nesting--;
	return rc;
}

/* {{#_}}msgid{{/_}}: its translation rendered as a template. */
static int render_translation(struct render *r, const struct node *nd)
{
	const char *t = r->tr ? r->tr->gettext(r->tr->arg, nd->text) : nd->text;
	struct nodes l;
	int rc;

	emit_text(r, nd->lead, strlen(nd->lead));
	if (t == NULL || strcmp(t, nd->text) == 0) {
		rc = render_nodes(r, &nd->kids);
	} else if (strstr(t, nd->open) == NULL) {
		emit_text(r, t, strlen(t));
		rc = 0;
	} else if (tmpl_parse(nd->text, t, strlen(t), nd->open, nd->close, &l, NULL) == 0) {
		rc = render_nodes(r, &l);
		tmpl_nodes_free(&l);
	} else {
		rc = render_nodes(r, &nd->kids);
	}
	emit_text(r, nd->trail, strlen(nd->trail));
	return rc;
}

static int render_nodes(struct render *r, const struct nodes *l)
{
	int rc = 0;

	for (size_t i = 0; i < l->n && rc == 0; i++) {
		const struct node *nd = &l->v[i];
		const cJSON *v;

		if (++r->nodes > TMPL_MAX_NODES || r->out->len - r->start > TMPL_MAX_OUTPUT)
			return ERR_LIMIT;
		switch (nd->type) {
		case N_TEXT: emit_text(r, nd->text, nd->len); break;
		case N_VAR: emit_value(r, lookup(r, nd->text), 1); break;
		case N_RAW: emit_value(r, lookup(r, nd->text), 0); break;
		case N_PARTIAL: rc = render_partial(r, nd); break;
		case N_TRANSLATE: rc = render_translation(r, nd); break;
		case N_INVERTED:
			if (!truthy(lookup(r, nd->text)))
				rc = render_nodes(r, &nd->kids);
			break;
		case N_SECTION:
			v = lookup(r, nd->text);
			if (!truthy(v))
				break;
			if (cJSON_IsArray(v)) {
				const cJSON *it;
				cJSON_ArrayForEach(it, v)
				{
					if ((rc = with_context(r, it, &nd->kids)) != 0)
						break;
				}
			} else {
				rc = with_context(r, v, &nd->kids);
			}
			break;
		}
	}
	return rc;
}

int tmpl_render(const struct tmpl_set *s, const char *name, const cJSON *ctx, struct buf *out)
{
	return tmpl_render_tr(s, name, ctx, NULL, out);
}

int tmpl_render_tr(const struct tmpl_set *s, const char *name, const cJSON *ctx,
                   const struct tmpl_tr *tr, struct buf *out)
{
	const struct tmpl *t = find(s, name);
	struct render r;

	if (t == NULL)
		return ERR_NOTFOUND;
	memset(&r, 0, sizeof(r));
	r.set = s;
	r.out = out;
	r.tr = tr;
	r.start = out->len;
	r.stack[r.depth++] = ctx;
	buf_append(out, "", 0); /* out->data is a string even when nothing renders */
	return render_nodes(&r, &t->nodes);
}

/* Call cb for each node of type in l and below it. */
static int walk(const struct tmpl *t, const struct nodes *l, enum ntype type,
                void (*cb)(const char *, const char *, void *), void *arg)
{
	int n = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].type == type) {
			cb(t->name, l->v[i].text, arg);
			n++;
		}
		n += walk(t, &l->v[i].kids, type, cb, arg);
	}
	return n;
}

int tmpl_raw_names(const struct tmpl_set *s,
                   void (*cb)(const char *tmpl, const char *var, void *arg), void *arg)
{
	int n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += walk(&s->v[i], &s->v[i].nodes, N_RAW, cb, arg);
	return n;
}

int tmpl_msgids(const struct tmpl_set *s,
                void (*cb)(const char *tmpl, const char *msgid, void *arg), void *arg)
{
	int n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += walk(&s->v[i], &s->v[i].nodes, N_TRANSLATE, cb, arg);
	return n;
}
