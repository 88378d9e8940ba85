/* page-tags.c: the hashtag workflow on the photo page — accept, reject,
 * add and reorder (POST /p/ID/tags, works without JavaScript), the text to
 * copy for each platform, and the hashtag preferences on /account. */
#include "auth.h"
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "tagedit.h"
#include "view.h"

#include <string.h>

static const char *const platform_labels[PLAT__MAX] = {"Instagram", "TikTok", "X", N_("Plain")};

const char **tags_chosen(struct arena *a, const struct image *im, int *n)
{
	const char **out = arena_calloc(a, (size_t)im->ntags + 1, sizeof(char *));
	int i, pass;

	*n = 0;
	/* what the user chose; with no choice yet, the suggestions as ranked */
	for (pass = 0; pass < 2 && *n == 0; pass++)
		for (i = 0; i < im->ntags; i++)
			if (pass == 1 || strcmp(im->tags[i].state, "accepted") == 0 ||
			    strcmp(im->tags[i].state, "added") == 0)
				out[(*n)++] = im->tags[i].tag;
	return out;
}

void tags_copy_ctx(struct req *r, const struct image *im, cJSON *ctx)
{
	struct prefs p;
	cJSON *arr;
	const char **chosen;
	int n, i;

	if (tagedit_prefs_get(&r->app->db, r->a, &r->sess->user, view_tag_lang(r), &p) != 0)
		return;
	chosen = tags_chosen(r->a, im, &n);
	arr = cJSON_AddArrayToObject(ctx, "copy");
	for (i = 0; i < PLAT__MAX; i++) {
		cJSON *o = cJSON_CreateObject();
		const char *text = tagedit_copy_text(r->a, &p, (enum platform)i, chosen, n);
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "platform", tagedit_platform_name((enum platform)i));
		cJSON_AddStringToObject(o, "label", _(platform_labels[i]));
		cJSON_AddStringToObject(o, "text", text);
		cJSON_AddBoolToObject(o, "preferred", (int)p.platform == i);
	}
}

/* Move tag one place up (dir -1) or down (+1) among the photo's tags. */
static int move(struct req *r, const struct image *im, const char *tag, int dir)
{
	const char **order = arena_calloc(r->a, (size_t)im->ntags + 1, sizeof(char *));
	int i, at = -1;

	for (i = 0; i < im->ntags; i++) {
		order[i] = im->tags[i].tag;
		if (strcasecmp(order[i], tag) == 0)
			at = i;
	}
	if (at < 0)
		return ERR_NOTFOUND;
	if (at + dir >= 0 && at + dir < im->ntags) {
		order[at] = order[at + dir];
		order[at + dir] = im->tags[at].tag;
	}
	return tagedit_order(&r->app->db, r->a, &r->sess->user, im->id, order, im->ntags);
}

/* Apply one action from the photo page or the API. *why for ERR_INVALID. */
int tags_apply(struct req *r, const struct image *im, const char *action, const char *tag,
               const char **why)
{
	*why = NULL;
	if (tag == NULL || *tag == '\0') {
		*why = N_("Type a hashtag.");
		return ERR_INVALID;
	}
	if (strcmp(action, "add") == 0) {
		int rc = tagedit_add(&r->app->db, r->a, &r->sess->user, im->id, tag, why);
		return rc == ERR_CONFLICT ? 0 : rc;
	}
	if (strcmp(action, "accept") == 0 || strcmp(action, "reject") == 0)
		return tagedit_set_state(&r->app->db, r->a, &r->sess->user, im->id, tag,
		                         action[0] == 'a' ? "accepted" : "rejected");
	if (strcmp(action, "up") == 0 || strcmp(action, "down") == 0)
		return move(r, im, tag, action[0] == 'u' ? -1 : 1);
	*why = N_("Unknown action.");
	return ERR_INVALID;
}

void page_photo_tags(struct req *r)
{
	const char *action = kv_get(&r->params, "action"), *why;
	struct image im;
	int rc = images_get(&r->app->db, r->a, &r->sess->user, r->args[0], &im);

	if (rc != 0) { /* tagedit_* also answer 404 to an admin: only owners curate */
		respond_err(r, rc);
		return;
	}
	rc = tags_apply(r, &im, action ? action : "", kv_get(&r->params, "tag"), &why);
	if (rc == ERR_INVALID) {
		photo_render(r, &im, 422, why, kv_get(&r->params, "tag"));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_redirect(r, arena_printf(r->a, "/p/%s#tags", im.id));
}

void page_account_prefs(struct req *r)
{
	const char *field = NULL, *why = NULL;
	struct kv_list *q = &r->params;
	struct prefs_form f = {kv_get(q, "platform"), kv_get(q, "case"),   kv_get(q, "max"),
	                       kv_get(q, "always"),   kv_get(q, "banned"), kv_get(q, "lang"),
	                       kv_get(q, "locale")};
	cJSON *ctx, *pe;
	int rc = tagedit_prefs_set(&r->app->db, r->a, &r->sess->user, &f, &field, &why);

	if (rc == 0) {
		auth_flash(r, "prefs");
		respond_redirect(r, "/account#prefs");
		return;
	}
	if (rc != ERR_INVALID) {
		respond_err(r, rc);
		return;
	}
	/* show what was typed, with the error under its field */
	ctx = cJSON_CreateObject();
	pe = cJSON_AddObjectToObject(ctx, "prefs_error");
	cJSON_AddStringToObject(pe, field, resp_tr(r, why));
	account_page(r, 422, ctx);
}
