/* view.h: the one JSON shape of each resource, used both as the API
 * representation and as the template context of the pages. */
#ifndef HT_VIEW_H
#define HT_VIEW_H

#include "app.h"
#include "images.h"

/* A hashtag: tag (CamelCase), hashtag ("#cat"), confidence, percent,
 * source, reason, state. */
cJSON *view_tag(struct arena *a, const struct image_tag *t);
/* A photo: id, name, caption, mime, width, height, bytes, size (text),
 * created_at, status (pending, tagged, failed), pending, failed, tag_error,
 * flagged, tags [view_tag..], urls {page, thumb, original}. */
cJSON *view_image(struct arena *a, const struct image *im);
/* "1.7 MB", "312 KB", "845 bytes" (decimal units). */
const char *view_bytes(struct arena *a, long long n);

/* History filters from the request's validated parameters. */
void view_filter(const struct req *r, struct image_filter *f);
/* The outcome of one uploaded file: {name, status, detail} or the photo. */
struct upload_outcome;
cJSON *view_outcome(struct arena *a, const struct upload_outcome *o);

#endif
