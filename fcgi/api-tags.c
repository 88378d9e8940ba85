/* api-tags.c: JSON twins of the hashtag workflow — add, accept/reject,
 * reorder, copy text — and the hashtag preferences (/api/v1/me/prefs). */
#include "err.h"
#include "handlers.h"
#include "respond.h"
#include "tagedit.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

/* Answer with the photo as it is now, or the error (field: what was wrong). */
static void answer(struct req *r, int rc, const char *field, const char *why, int status)
{
	struct image im;

	if (rc == ERR_INVALID) {
		respond_field(r, 422, field, why ? why : N_("Invalid request."));
		return;
	}
	if (rc == 0)
		rc = images_get(&r->app->db, r->a, &r->sess->user, r->args[0], &im);
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_json(r, status, view_image(r, &im));
}

void api_image_tags_add(struct req *r)
{
	const char *why = NULL;
	int rc = tagedit_add(&r->app->db, r->a, &r->sess->user, r->args[0],
	                     kv_get(&r->params, "tag"), &why);

	answer(r, rc == ERR_CONFLICT ? 0 : rc, "tag", why, rc == ERR_CONFLICT ? 200 : 201);
}

void api_image_tags_update(struct req *r)
{
	const char *tag = kv_get(&r->params, "tag"), *state = kv_get(&r->params, "state");
	const char *order = kv_get(&r->params, "order");
	int rc;

	if (order != NULL && tag == NULL && state == NULL) {
		char *copy = arena_strdup(r->a, order), *save = NULL, *w;
		const char **list = arena_calloc(r->a, strlen(order) / 2 + 2, sizeof(char *));
		int n = 0;
		for (w = strtok_r(copy, " ,", &save); w; w = strtok_r(NULL, " ,", &save))
			list[n++] = w[0] == '#' ? w + 1 : w;
		rc = tagedit_order(&r->app->db, r->a, &r->sess->user, r->args[0], list, n);
		answer(r, rc, "order", N_("Send the photo's hashtags in the new order."), 200);
		return;
	}
	if (tag == NULL || state == NULL || order != NULL) {
		answer(r, ERR_INVALID, tag == NULL ? "tag" : "state",
		       N_("Send {\"tag\", \"state\": \"accepted\"|\"rejected\"} or {\"order\"}."),
		       0);
		return;
	}
	rc = tagedit_set_state(&r->app->db, r->a, &r->sess->user, r->args[0],
	                       tag[0] == '#' ? tag + 1 : tag, state);
	answer(r, rc, "state", N_("The state must be accepted or rejected."), 200);
}

void api_image_copy(struct req *r)
{
	const char *name = kv_get(&r->params, "platform");
	struct prefs p;
	struct image im;
	const char **chosen, *text;
	cJSON *doc;
	int n, plat, rc;

	rc = images_get(&r->app->db, r->a, &r->sess->user, r->args[0], &im);
	if (rc == 0)
		rc = tagedit_prefs_get(&r->app->db, r->a, &r->sess->user, view_tag_lang(r), &p);
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	plat = name && *name ? tagedit_platform(name) : (int)p.platform;
	if (plat < 0) {
		respond_field(r, 422, "platform",
		              N_("The platform must be instagram, tiktok, x or plain."));
		return;
	}
	chosen = tags_chosen(r->a, &im, &n);
	text = tagedit_copy_text(r->a, &p, (enum platform)plat, chosen, n);
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "platform", tagedit_platform_name((enum platform)plat));
	cJSON_AddStringToObject(doc, "text", text);
	for (n = 0; *text; text++)
		n += *text == '#';
	cJSON_AddNumberToObject(doc, "count", n);
	respond_json(r, 200, doc);
}

void api_prefs_get(struct req *r)
{
	struct prefs p;
	int rc = tagedit_prefs_get(&r->app->db, r->a, &r->sess->user, view_tag_lang(r), &p);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_json(r, 200, view_prefs(r->a, &p));
}

void api_prefs_set(struct req *r)
{
	const char *field = NULL, *why = NULL;
	struct kv_list *q = &r->params;
	struct prefs_form f = {kv_get(q, "platform"), kv_get(q, "case"),   kv_get(q, "max"),
	                       kv_get(q, "always"),   kv_get(q, "banned"), kv_get(q, "lang"),
	                       kv_get(q, "locale")};
	int rc = tagedit_prefs_set(&r->app->db, r->a, &r->sess->user, &f, &field, &why);

	if (rc == ERR_INVALID) {
		respond_field(r, 422, field, why);
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	api_prefs_get(r);
}
