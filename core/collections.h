/* collections.h: the user's folders of photos — create, rename, delete,
 * add and remove photos, list and search, and share links. Everything is
 * private to its owner: another user's collection or photo is ERR_NOTFOUND,
 * never a hint that it exists. A share link is a 256-bit random token
 * returned once; only its sha256 is stored, and flagged photos never show
 * through it. Pages and the JSON API call the same functions. */
#ifndef HT_COLLECTIONS_H
#define HT_COLLECTIONS_H

#include "arena.h"
#include "db.h"
#include "images.h"
#include "token.h"

#define COLLECTION_NAME_MAX 100 /* characters (code points) */
#define COLLECTIONS_LIST_MAX 500
#define COLLECTIONS_PAGE_MAX 100

/* Strings are arena-owned. */
struct collection {
	long long key;  /* internal id; never shown */
	const char *id; /* public id */
	const char *name;
	const char *created_at, *updated_at; /* ISO-8601 UTC */
	const char *shared_at;               /* ISO-8601 UTC, NULL when not shared */
	long long count;                     /* photos in it */
	const char *cover;                   /* public id of its first photo, or NULL */
	int has_image;                       /* contains collection_filter.image */
};

struct collection_filter {
	const char *q;     /* text in the name, or NULL */
	const char *tag;   /* a photo in it has this hashtag (with or without '#'), or NULL */
	const char *image; /* public id: set has_image for each collection, or NULL */
};

/* A photo as a share link shows it: no file names on disk, no EXIF, no
 * original. Strings are arena-owned. */
struct shared_photo {
	const char *id; /* public id */
	const char *name;
	const char *caption;
	const char **tags; /* CamelCase: accepted/added ones, else the suggestions */
	int ntags;
};

/* Check a collection name: trimmed of surrounding white space, valid
 * UTF-8 without control characters, 1..COLLECTION_NAME_MAX characters.
 * 0 with *norm (arena copy), or ERR_INVALID with *why (static English). */
int collections_name_check(struct arena *a, const char *raw, const char **norm, const char **why);

/* Create a collection of owner_id named name. ERR_INVALID (*why) for a bad
 * name, ERR_CONFLICT when owner has one with that name in any case. */
int collections_create(struct db *db, struct arena *a, long long owner_id, const char *name,
                       struct collection *out, const char **why);

/* Rename owner's collection id. ERR_INVALID (*why), ERR_CONFLICT, or
 * ERR_NOTFOUND when it is not owner's. out (may be NULL) gets the result. */
int collections_rename(struct db *db, struct arena *a, long long owner_id, const char *id,
                       const char *name, struct collection *out, const char **why);

/* Delete owner's collection id (its photos stay). ERR_NOTFOUND if not owner's. */
int collections_delete(struct db *db, struct arena *a, long long owner_id, const char *id);

/* Add owner's photo image_id at the end of owner's collection id. Either
 * not owner's: ERR_NOTFOUND. Already there: 0 with *added 0 (else 1). */
int collections_add(struct db *db, struct arena *a, long long owner_id, const char *id,
                    const char *image_id, int *added);

/* Take photo image_id out of owner's collection id (the photo stays).
 * ERR_NOTFOUND when the collection is not owner's or the photo not in it. */
int collections_remove(struct db *db, struct arena *a, long long owner_id, const char *id,
                       const char *image_id);

/* owner's collections by name (at most COLLECTIONS_LIST_MAX), with their
 * photo count and cover, filtered by f (may be NULL): q matches the name
 * literally anywhere, case-insensitively; tag matches when a photo in the
 * collection has it (any case) and the owner has not rejected it.
 * *items is an arena array of *n. */
int collections_list(struct db *db, struct arena *a, long long owner_id,
                     const struct collection_filter *f, struct collection **items, int *n);

/* owner's collections for photo image_id (has_image set on each); ERR_NOTFOUND
 * when the photo is not owner's (an admin looking at someone's photo). */
int collections_for_image(struct db *db, struct arena *a, long long owner_id, const char *image_id,
                          struct collection **items, int *n);

/* owner's collection id, else ERR_NOTFOUND. */
int collections_get(struct db *db, struct arena *a, long long owner_id, const char *id,
                    struct collection *out);

/* One page of the photos of collection c (from collections_get), in the
 * order they were added. cursor is NULL/"" or a *next from before
 * (ERR_INVALID when it is not); limit is clamped to 1..COLLECTIONS_PAGE_MAX.
 * *next is NULL on the last page. */
int collections_photos(struct db *db, struct arena *a, const struct collection *c,
                       const char *cursor, int limit, struct image **items, int *n,
                       const char **next);

/* Give owner's collection id a new share link: *token (TOKEN_STR_LEN
 * characters) is the only copy of it; any earlier link stops working. */
int collections_share(struct db *db, struct arena *a, long long owner_id, const char *id,
                      char token[TOKEN_STR_LEN + 1]);

/* Revoke the share link of owner's collection id at once (no-op when not
 * shared). ERR_NOTFOUND when the collection is not owner's. */
int collections_unshare(struct db *db, struct arena *a, long long owner_id, const char *id);

/* The collection a share token opens (read-only), else ERR_NOTFOUND (unknown,
 * revoked or malformed token). out->count counts only photos a visitor sees
 * (not flagged); out->cover is NULL. */
int collections_by_token(struct db *db, struct arena *a, const char *token, struct collection *out);

/* One page of the unflagged photos of c (from collections_by_token), with
 * cursor, limit and *next as in collections_photos. */
int collections_shared_photos(struct db *db, struct arena *a, const struct collection *c,
                              const char *cursor, int limit, struct shared_photo **items, int *n,
                              const char **next);

/* The sha256 of photo image_id's bytes when the share token opens a
 * collection holding it and it is not flagged, else ERR_NOTFOUND. */
int collections_shared_file(struct db *db, struct arena *a, const char *token, const char *image_id,
                            const char **sha256);

#endif
