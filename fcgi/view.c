/* view.c: resource representations (see view.h). */
#include "view.h"

#include "hashtags.h"
#include "respond.h"
#include "tagedit.h"
#include "upload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sources (tag_source_name) as people read them: catalog msgids. */
static const char *const source_names[] = {N_("object"),  N_("people"),  N_("colour"),
                                           N_("caption"), N_("history"), N_("user")};

enum tag_lang view_tag_lang(const struct req *r)
{
	return strcmp(r->lang->code, "es") == 0 ? LANG_ES : LANG_EN;
}

cJSON *view_user(const struct user *u)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "id", u->public_id);
	cJSON_AddStringToObject(d, "email", u->email);
	cJSON_AddStringToObject(d, "role", u->role);
	if (u->locale != NULL) /* chosen; null: the browser's (README, i18n) */
		cJSON_AddStringToObject(d, "locale", u->locale);
	else
		cJSON_AddNullToObject(d, "locale");
	cJSON_AddStringToObject(d, "created_at", u->created_at);
	return d;
}

cJSON *view_api_token(struct arena *a, const struct api_token *t)
{
	cJSON *d = cJSON_CreateObject(), *sc = cJSON_AddArrayToObject(d, "scopes");
	const char **names = scopes_names(a, t->scopes);

	cJSON_AddStringToObject(d, "id", t->id);
	cJSON_AddStringToObject(d, "name", t->name);
	for (int i = 0; names[i]; i++)
		cJSON_AddItemToArray(sc, cJSON_CreateString(names[i]));
	cJSON_AddStringToObject(d, "created_at", t->created_at);
	if (t->last_used_at != NULL)
		cJSON_AddStringToObject(d, "last_used_at", t->last_used_at);
	else
		cJSON_AddNullToObject(d, "last_used_at");
	return d;
}

cJSON *view_tag(const struct req *r, const struct image_tag *t)
{
	struct arena *a = r->a;
	cJSON *o = cJSON_CreateObject();
	char f[TAG_MAX + 2];

	cJSON_AddStringToObject(o, "tag", t->tag);
	cJSON_AddStringToObject(o, "hashtag", tag_format(t->tag, 1, f, sizeof(f)));
	cJSON_AddNumberToObject(o, "confidence", (double)lround(t->conf * 1000) / 1000);
	cJSON_AddStringToObject(o, "percent", arena_printf(a, "%d%%", (int)lround(t->conf * 100)));
	cJSON_AddStringToObject(o, "source", t->source);
	cJSON_AddStringToObject(o, "reason", i18n_reason(r->lang, a, t->reason));
	cJSON_AddStringToObject(o, "state", t->state);
	cJSON_AddBoolToObject(o, "chosen",
	                      strcmp(t->state, "accepted") == 0 || strcmp(t->state, "added") == 0);
	return o;
}

cJSON *view_image(const struct req *r, const struct image *im)
{
	struct arena *a = r->a;
	cJSON *o = cJSON_CreateObject(), *urls, *tags;
	char path[96];
	int i;

	cJSON_AddStringToObject(o, "id", im->id);
	cJSON_AddStringToObject(o, "name", im->name);
	cJSON_AddStringToObject(o, "caption", im->caption);
	cJSON_AddStringToObject(o, "mime", im->mime);
	cJSON_AddNumberToObject(o, "width", im->width);
	cJSON_AddNumberToObject(o, "height", im->height);
	cJSON_AddNumberToObject(o, "bytes", (double)im->bytes);
	cJSON_AddStringToObject(o, "size", i18n_bytes(r->lang, a, im->bytes));
	cJSON_AddStringToObject(o, "created_at", im->created_at);
	/* "2026-11-23T07:13:00Z" -> "23 Nov 2026, 07:13 UTC" */
	cJSON_AddStringToObject(o, "created_text", i18n_datetime(r->lang, a, im->created_at));
	cJSON_AddStringToObject(o, "status", im->status);
	cJSON_AddBoolToObject(o, "pending", strcmp(im->status, "pending") == 0);
	cJSON_AddBoolToObject(o, "failed", strcmp(im->status, "failed") == 0);
	if (im->tag_error != NULL) /* stored in English */
		cJSON_AddStringToObject(o, "tag_error", resp_tr(r, im->tag_error));
	cJSON_AddBoolToObject(o, "flagged", im->flagged);
	tags = cJSON_AddArrayToObject(o, "tags");
	for (i = 0; i < im->ntags; i++)
		cJSON_AddItemToArray(tags, view_tag(r, &im->tags[i]));
	urls = cJSON_AddObjectToObject(o, "urls");
	snprintf(path, sizeof(path), "/p/%s", im->id);
	cJSON_AddStringToObject(urls, "page", path);
	snprintf(path, sizeof(path), "/media/%s/thumb", im->id);
	cJSON_AddStringToObject(urls, "thumb", path);
	snprintf(path, sizeof(path), "/media/%s/original", im->id);
	cJSON_AddStringToObject(urls, "original", path);
	return o;
}

const char *view_source_text(const struct req *r, const char *source)
{
	for (size_t i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (strcmp(source_names[i], source) == 0)
			return i18n_gettext(r->lang, source_names[i]);
	return source;
}

cJSON *view_image_page(const struct req *r, const struct image *im)
{
	cJSON *o = view_image(r, im), *t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItem(o, "tags"))
	{
		const char *src = cJSON_GetObjectItem(t, "source")->valuestring;
		cJSON_AddStringToObject(t, "source_text", view_source_text(r, src));
	}
	return o;
}

void view_filter(const struct req *r, struct image_filter *f)
{
	const char *limit = kv_get(&r->params, "limit");

	memset(f, 0, sizeof(*f));
	f->from = kv_get(&r->params, "from");
	f->to = kv_get(&r->params, "to");
	f->tag = kv_get(&r->params, "tag");
	f->q = kv_get(&r->params, "q");
	f->cursor = kv_get(&r->params, "cursor");
	f->limit = limit && *limit ? atoi(limit) : 24;
}

cJSON *view_outcome(const struct req *r, const struct upload_outcome *o, int page)
{
	cJSON *j;

	if (o->status == 200 || o->status == 201) {
		j = page ? view_image_page(r, &o->img) : view_image(r, &o->img);
		cJSON_AddBoolToObject(j, "duplicate", o->duplicate);
		return j;
	}
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "name", o->name);
	cJSON_AddNumberToObject(j, "status", o->status);
	cJSON_AddStringToObject(j, "detail", o->why ? resp_tr(r, o->why) : "");
	return j;
}

/* A list of tags as one editable line: "#a #b". */
static const char *joined(struct arena *a, const char *const *list, int n)
{
	struct buf b = {0};
	const char *out;
	int i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%s#%s", i ? " " : "", list[i]);
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

cJSON *view_prefs(struct arena *a, const struct prefs *p)
{
	cJSON *o = cJSON_CreateObject(), *is;

	cJSON_AddStringToObject(o, "platform", tagedit_platform_name(p->platform));
	cJSON_AddStringToObject(o, "case", p->camel ? "camel" : "lower");
	cJSON_AddNumberToObject(o, "max", p->max);
	cJSON_AddStringToObject(o, "lang",
	                        p->lang == LANG_BOTH ? "both"
	                        : p->lang == LANG_ES ? "es"
	                                             : "en");
	cJSON_AddStringToObject(o, "locale", p->locale ? p->locale : "auto");
	cJSON_AddStringToObject(o, "always", joined(a, p->always, p->nalways));
	cJSON_AddStringToObject(o, "banned", joined(a, p->banned, p->nbanned));
	/* for templates: "is": {"instagram": true, "lower": true, "en": true,
	 * "ui_auto": true} */
	is = cJSON_AddObjectToObject(o, "is");
	cJSON_AddBoolToObject(is, tagedit_platform_name(p->platform), 1);
	cJSON_AddBoolToObject(is, p->camel ? "camel" : "lower", 1);
	cJSON_AddBoolToObject(is,
	                      p->lang == LANG_BOTH ? "both"
	                      : p->lang == LANG_ES ? "es"
	                                           : "en",
	                      1);
	cJSON_AddBoolToObject(is, arena_printf(a, "ui_%s", p->locale ? p->locale : "auto"), 1);
	return o;
}

void view_next_cursor(cJSON *doc, const char *next)
{
	if (next)
		cJSON_AddStringToObject(doc, "next_cursor", next);
	else
		cJSON_AddNullToObject(doc, "next_cursor");
}

const char *view_filters_qs(struct req *r, cJSON *ctx, const char *const *names,
                            const char *const *vals, int n, int *any)
{
	struct buf qs = {0};
	const char *out;

	*any = 0;
	for (int i = 0; i < n; i++) {
		cJSON_AddStringToObject(ctx, names[i], vals[i] ? vals[i] : "");
		if (vals[i] == NULL || *vals[i] == '\0')
			continue;
		*any = 1;
		buf_printf(&qs, "%s=", names[i]);
		for (const unsigned char *p = (const unsigned char *)vals[i]; *p; p++) {
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
				buf_putc(&qs, (char)*p);
			else
				buf_printf(&qs, "%%%02X", *p);
		}
		buf_putc(&qs, '&');
	}
	out = arena_strdup(r->a, qs.data ? qs.data : "");
	buf_free(&qs);
	return out;
}
