/* page-collections.c: collections (folders of photos) — the list with its
 * create and search forms (/collections), one collection (/c/ID: photos,
 * rename, delete, share link, remove a photo), adding a photo from its page,
 * and the public read-only share page (/s/TOKEN) with its thumbnails
 * (/s/TOKEN/t/IMAGEID), which need no session. */
#include "collections.h"
#include "err.h"
#include "handlers.h"
#include "hashtags.h"
#include "respond.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

#define PHOTOS_PER_PAGE 24

/* "1 photo", "1,234 photos" in r's language. */
static const char *count_text(const struct req *r, long long n)
{
	return arena_printf(r->a, _n("%s photo", "%s photos", (unsigned long)n),
	                    i18n_int(r->lang, r->a, n));
}

cJSON *view_collection(const struct req *r, const struct collection *c)
{
	struct arena *a = r->a;
	cJSON *o = cJSON_CreateObject(), *urls, *cover;

	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddNumberToObject(o, "photo_count", (double)c->count);
	cJSON_AddStringToObject(o, "count_text", count_text(r, c->count));
	cJSON_AddStringToObject(o, "created_at", c->created_at);
	cJSON_AddStringToObject(o, "updated_at", c->updated_at);
	cJSON_AddBoolToObject(o, "shared", c->shared_at != NULL);
	if (c->shared_at) {
		cJSON_AddStringToObject(o, "shared_at", c->shared_at);
		cJSON_AddStringToObject(o, "shared_text", i18n_date(r->lang, a, c->shared_at));
	} else {
		cJSON_AddNullToObject(o, "shared_at");
	}
	if (c->cover) {
		cover = cJSON_AddObjectToObject(o, "cover");
		cJSON_AddStringToObject(cover, "id", c->cover);
		cJSON_AddStringToObject(cover, "thumb",
		                        arena_printf(a, "/media/%s/thumb", c->cover));
	} else {
		cJSON_AddNullToObject(o, "cover");
	}
	urls = cJSON_AddObjectToObject(o, "urls");
	cJSON_AddStringToObject(urls, "page", arena_printf(a, "/c/%s", c->id));
	return o;
}

void collections_photo_ctx(struct req *r, const char *image_id, cJSON *ctx)
{
	struct collection *items;
	cJSON *col, *in, *choices;
	int n, i, nin = 0;

	if (collections_for_image(&r->app->db, r->a, r->sess->user.id, image_id, &items, &n) != 0)
		return; /* not the viewer's own photo (an admin's view), or no database */
	col = cJSON_AddObjectToObject(ctx, "collect");
	cJSON_AddStringToObject(col, "image_id", image_id);
	in = cJSON_AddArrayToObject(col, "member");
	choices = cJSON_AddArrayToObject(col, "choices");
	for (i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", items[i].id);
		cJSON_AddStringToObject(o, "name", items[i].name);
		cJSON_AddStringToObject(o, "url", arena_printf(r->a, "/c/%s", items[i].id));
		cJSON_AddItemToArray(items[i].has_image ? in : choices, o);
		nin += items[i].has_image;
	}
	cJSON_AddBoolToObject(col, "in_any", nin > 0);
	cJSON_AddBoolToObject(col, "has_choices", n > nin);
	cJSON_AddBoolToObject(col, "no_collections", n == 0);
}

/* /collections, with an error under the create form when why is set. */
static void list_page(struct req *r, int status, const char *why, const char *name)
{
	struct collection_filter f = {kv_get(&r->params, "q"), kv_get(&r->params, "tag"), NULL};
	struct collection *items;
	cJSON *ctx, *arr;
	int n, i, rc;

	if (why != NULL) /* the create form posts no filters */
		f.q = f.tag = NULL;
	rc = collections_list(&r->app->db, r->a, r->sess->user.id, &f, &items, &n);
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(ctx, "collections");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_collection(r, &items[i]));
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "filtered", (f.q && *f.q) || (f.tag && *f.tag));
	cJSON_AddStringToObject(ctx, "q", f.q ? f.q : "");
	cJSON_AddStringToObject(ctx, "tag", f.tag ? f.tag : "");
	cJSON_AddStringToObject(ctx, "new_name", name ? name : "");
	if (why != NULL)
		cJSON_AddStringToObject(ctx, "create_error", resp_tr(r, why));
	respond_page(r, status, "collections", _("Your collections"), ctx);
}

void page_collections(struct req *r)
{
	list_page(r, 200, NULL, NULL);
}

void page_collection_create(struct req *r)
{
	const char *name = kv_get(&r->params, "name"), *why = NULL;
	struct collection c;
	int rc = collections_create(&r->app->db, r->a, r->sess->user.id, name, &c, &why);

	if (rc == 0)
		respond_redirect(r, arena_printf(r->a, "/c/%s", c.id));
	else if (rc == ERR_INVALID || rc == ERR_CONFLICT)
		list_page(r, rc == ERR_CONFLICT ? 409 : 422, why, name);
	else
		respond_err(r, rc);
}

/* Extra things a re-rendered collection page shows. */
struct page_extra {
	const char *share_url;    /* a link just made: shown this once */
	const char *share_path;   /* the same as a path on this site */
	const char *rename_error; /* and the name that was refused */
	const char *rename_value;
	const char *delete_error;
};

/* /c/ID for the viewer's collection id, or a 404. */
static void collection_page(struct req *r, int status, const char *id, const struct page_extra *x)
{
	const char *cursor = kv_get(&r->params, "cursor"), *next;
	struct collection c;
	struct image *items;
	cJSON *ctx, *arr;
	int n, i, rc;

	rc = collections_get(&r->app->db, r->a, r->sess->user.id, id, &c);
	if (rc == 0)
		rc = collections_photos(&r->app->db, r->a, &c, cursor, PHOTOS_PER_PAGE, &items, &n,
		                        &next);
	if (rc == ERR_INVALID) {
		respond_error(r, 400,
		              N_("That page link is broken; start again from the first page."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = cJSON_CreateObject();
	cJSON_AddItemToObject(ctx, "collection", view_collection(r, &c));
	cJSON_AddStringToObject(ctx, "base", arena_printf(r->a, "/c/%s", c.id));
	arr = cJSON_AddArrayToObject(ctx, "images");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_image_page(r, &items[i]));
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", cursor == NULL || *cursor == '\0');
	if (next)
		cJSON_AddStringToObject(ctx, "next_url",
		                        arena_printf(r->a, "/c/%s?cursor=%s", c.id, next));
	cJSON_AddStringToObject(ctx, "rename_value",
	                        x && x->rename_value ? x->rename_value : c.name);
	if (x && x->rename_error)
		cJSON_AddStringToObject(ctx, "rename_error", resp_tr(r, x->rename_error));
	if (x && x->delete_error)
		cJSON_AddStringToObject(ctx, "delete_error", resp_tr(r, x->delete_error));
	if (x && x->share_url) {
		cJSON_AddStringToObject(ctx, "share_url", x->share_url);
		cJSON_AddStringToObject(ctx, "share_path", x->share_path);
	}
	respond_page(r, status, "collection", c.name, ctx);
}

void page_collection(struct req *r)
{
	collection_page(r, 200, r->args[0], NULL);
}

void page_collection_rename(struct req *r)
{
	struct page_extra x = {NULL, NULL, NULL, kv_get(&r->params, "name"), NULL};
	int rc = collections_rename(&r->app->db, r->a, r->sess->user.id, r->args[0], x.rename_value,
	                            NULL, &x.rename_error);

	if (rc == 0)
		respond_redirect(r, arena_printf(r->a, "/c/%s", r->args[0]));
	else if (rc == ERR_INVALID || rc == ERR_CONFLICT)
		collection_page(r, rc == ERR_CONFLICT ? 409 : 422, r->args[0], &x);
	else
		respond_err(r, rc);
}

void page_collection_delete(struct req *r)
{
	struct page_extra x = {NULL, NULL, NULL, NULL, NULL};
	int rc;

	if (kv_get(&r->params, "confirm") == NULL) {
		x.delete_error = N_("Tick the box to confirm that the collection will be deleted.");
		collection_page(r, 422, r->args[0], &x);
		return;
	}
	rc = collections_delete(&r->app->db, r->a, r->sess->user.id, r->args[0]);
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_redirect(r, "/collections");
}

static void add_photo(struct req *r, const char *id, const char *back)
{
	const char *image = kv_get(&r->params, "image");
	int added, rc = collections_add(&r->app->db, r->a, r->sess->user.id, id, image, &added);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_redirect(r, back ? back : arena_printf(r->a, "/p/%s", image));
}

void page_collection_add(struct req *r)
{
	add_photo(r, r->args[0], arena_printf(r->a, "/c/%s", r->args[0]));
}

void page_collection_add_photo(struct req *r)
{
	add_photo(r, kv_get(&r->params, "collection"), NULL);
}

void page_collection_remove(struct req *r)
{
	int rc = collections_remove(&r->app->db, r->a, r->sess->user.id, r->args[0],
	                            kv_get(&r->params, "image"));

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_redirect(r, arena_printf(r->a, "/c/%s", r->args[0]));
}

/* The share link as the owner copies it: absolute when the Host is known. */
static const char *share_url(struct req *r, const char *token)
{
	if (r->host == NULL || *r->host == '\0')
		return arena_printf(r->a, "/s/%s", token);
	return arena_printf(r->a, "%s://%s/s/%s", r->app->cfg.cookie_secure ? "https" : "http",
	                    r->host, token);
}

void page_collection_share(struct req *r)
{
	char token[TOKEN_STR_LEN + 1];
	struct page_extra x = {NULL, NULL, NULL, NULL, NULL};
	int rc = collections_share(&r->app->db, r->a, r->sess->user.id, r->args[0], token);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	/* shown once, so answered here rather than after a redirect; the
	 * absolute form trusts the Host the web server passes (nginx's
	 * fastcgi_params give $host, without a port) */
	x.share_url = share_url(r, token);
	x.share_path = arena_printf(r->a, "/s/%s", token);
	collection_page(r, 200, r->args[0], &x);
}

void page_collection_unshare(struct req *r)
{
	int rc = collections_unshare(&r->app->db, r->a, r->sess->user.id, r->args[0]);

	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	respond_redirect(r, arena_printf(r->a, "/c/%s", r->args[0]));
}

/* A photo as the share page shows it: thumbnail through the link,
 * name, caption, hashtags; no original, no details. */
static cJSON *view_shared(struct req *r, const char *token, const struct shared_photo *p)
{
	cJSON *o = cJSON_CreateObject(), *tags = NULL;
	char f[TAG_MAX + 2];
	int i;

	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "caption", p->caption);
	cJSON_AddStringToObject(o, "thumb", arena_printf(r->a, "/s/%s/t/%s", token, p->id));
	tags = cJSON_AddArrayToObject(o, "tags");
	for (i = 0; i < p->ntags; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "tag", p->tags[i]);
		cJSON_AddStringToObject(t, "hashtag", tag_format(p->tags[i], 1, f, sizeof(f)));
		cJSON_AddItemToArray(tags, t);
	}
	return o;
}

void page_shared(struct req *r)
{
	const char *token = r->args[0], *cursor = kv_get(&r->params, "cursor"), *next;
	struct collection c;
	struct shared_photo *items;
	cJSON *ctx, *arr, *col;
	int n, i, rc;

	resp_header(r, "X-Robots-Tag", "noindex, nofollow");
	rc = collections_by_token(&r->app->db, r->a, token, &c);
	if (rc == 0)
		rc = collections_shared_photos(&r->app->db, r->a, &c, cursor, PHOTOS_PER_PAGE,
		                               &items, &n, &next);
	if (rc == ERR_NOTFOUND) {
		respond_error(r, 404,
		              N_("This share link does not exist or is no longer shared. Ask the "
		                 "person who sent it for a new one."));
		return;
	}
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	ctx = cJSON_CreateObject();
	col = cJSON_AddObjectToObject(ctx, "collection");
	cJSON_AddStringToObject(col, "name", c.name);
	cJSON_AddStringToObject(col, "count_text", count_text(r, c.count));
	arr = cJSON_AddArrayToObject(ctx, "photos");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, view_shared(r, token, &items[i]));
	cJSON_AddBoolToObject(ctx, "empty", n == 0);
	cJSON_AddBoolToObject(ctx, "first_page", cursor == NULL || *cursor == '\0');
	cJSON_AddStringToObject(ctx, "first_url", arena_printf(r->a, "/s/%s", token));
	if (next)
		cJSON_AddStringToObject(ctx, "next_url",
		                        arena_printf(r->a, "/s/%s?cursor=%s", token, next));
	respond_page(r, 200, "shared", c.name, ctx);
}

void shared_thumb(struct req *r)
{
	char abs[4096], rel[160];
	const char *sha;
	int rc = collections_shared_file(&r->app->db, r->a, r->args[0], r->args[1], &sha);

	resp_header(r, "X-Robots-Tag", "noindex, nofollow");
	if (rc != 0) {
		respond_err(r, rc);
		return;
	}
	media_path(r->app->cfg.media, sha, ".jpg", abs, sizeof(abs));
	media_relpath(sha, ".jpg", rel, sizeof(rel));
	/* revalidated on every view: a revoked link stops showing at once */
	respond_file(r, abs, rel, "image/jpeg", NULL, "private, no-cache");
}
