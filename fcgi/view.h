/* view.h: the one JSON shape of each resource, used both as the API
 * representation and as the template context of the pages. */
#ifndef HT_VIEW_H
#define HT_VIEW_H

#include "apiauth.h"
#include "app.h"
#include "images.h"

/* A user: {id, email, role, locale, created_at}. */
cJSON *view_user(const struct user *u);
/* A personal API token (never its value): {id, name, scopes, created_at, last_used_at}. */
cJSON *view_api_token(struct arena *a, const struct api_token *t);

/* A hashtag: tag (CamelCase), hashtag ("#cat"), confidence, percent,
 * source, reason (in r's language), state. */
cJSON *view_tag(const struct req *r, const struct image_tag *t);
/* A photo: id, name, caption, mime, width, height, bytes, size (text),
 * created_at, created_text, status (pending, tagged, failed), pending,
 * failed, tag_error, flagged, tags [view_tag..], urls {page, thumb,
 * original}. Texts in r's language. */
cJSON *view_image(const struct req *r, const struct image *im);
/* The same for a page: each tag also has source_text, the source's name
 * in r's language (the API keeps the codes only). */
cJSON *view_image_page(const struct req *r, const struct image *im);
/* A hashtag source's code ("object", "caption"…) as people read it in r's
 * language; an unknown code as it is. */
const char *view_source_text(const struct req *r, const char *source);
/* A list answer's next_cursor: the cursor, or null on the last page. */
void view_next_cursor(cJSON *doc, const char *next);
/* A list page's n filters: each name's value (or "") into ctx for the
 * form, and the set ones as "name=value&..." percent-encoded, for links
 * (arena; "" when none); *any when one is set. */
const char *view_filters_qs(struct req *r, cJSON *ctx, const char *const *names,
                            const char *const *vals, int n, int *any);

/* The photo page (page-photo.c), with an error under the add-hashtag field
 * when tag_error is set. */
void photo_render(struct req *r, const struct image *im, int status, const char *tag_error,
                  const char *tag_value);
/* page-tags.c: the hashtags a user chose for a photo (accepted and added,
 * in order; the ranked suggestions when none is chosen yet), arena-owned. */
const char **tags_chosen(struct arena *a, const struct image *im, int *n);
/* The copy-for-platform texts ("copy": [{platform, label, text, preferred}]). */
void tags_copy_ctx(struct req *r, const struct image *im, cJSON *ctx);
/* One hashtag action (add, accept, reject, up, down) on the viewer's photo:
 * 0, ERR_INVALID with *why, ERR_NOTFOUND (not theirs / no such tag). */
int tags_apply(struct req *r, const struct image *im, const char *action, const char *tag,
               const char **why);

/* Hashtag preferences: platform, case, max, lang, always, banned ("#a #b"). */
struct prefs;
cJSON *view_prefs(struct arena *a, const struct prefs *p);

/* page-account.c: the account page with ctx (may be NULL) plus prefs. */
void account_page(struct req *r, int status, cJSON *ctx);

/* History filters from the request's validated parameters. */
void view_filter(const struct req *r, struct image_filter *f);
/* The outcome of one uploaded file: {name, status, detail} or the photo
 * (view_image_page's shape when page is set). */
struct upload_outcome;
cJSON *view_outcome(const struct req *r, const struct upload_outcome *o, int page);
/* The hashtag language that follows the interface: r's language. */
enum tag_lang view_tag_lang(const struct req *r);

#endif
