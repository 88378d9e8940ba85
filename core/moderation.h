/* moderation.h: the moderation queue — photos the NSFW score flagged,
 * newest first, and an admin's decision on each: approve (unflag: visible
 * in share links again) or remove (hidden for good, with a reason the owner
 * reads on the photo's page; the photo is not deleted). Every decision
 * writes an audit entry in the same transaction. Admins only: the route
 * checks the role; functions take the acting admin for the audit log. */
#ifndef HT_MODERATION_H
#define HT_MODERATION_H

#include "arena.h"
#include "db.h"
#include "images.h"
#include "users.h"

#define MODERATION_REASON_MAX 500
#define MODERATION_PAGE_MAX 100

/* A photo in the queue; strings are arena-owned. */
struct mod_item {
	struct image im;
	const char *owner_email;
	int approved_before; /* approved once, flagged again by the tagger */
};

/* A photo's moderation outcome, as its owner sees it. */
struct mod_outcome {
	const char *state;  /* "approved" or "removed" */
	const char *reason; /* "" for approved */
	const char *at;     /* ISO-8601 UTC */
};

/* One page of flagged photos waiting for a decision, newest first. *next is
 * the following page's cursor or NULL. ERR_INVALID for a bad cursor. */
int moderation_list(struct db *db, struct arena *a, const char *cursor, int limit,
                    struct mod_item **items, int *n, const char **next);

/* Approve a flagged (or removed) photo: unflag it and record admin's action.
 * ERR_NOTFOUND when there is no such photo, ERR_CONFLICT when it is not
 * flagged. *out gets the outcome. */
int moderation_approve(struct db *db, struct arena *a, const struct user *admin,
                       const char *public_id, struct mod_outcome *out);

/* Remove a flagged photo from view with reason (1..MODERATION_REASON_MAX
 * characters once trimmed, else ERR_INVALID with *why). ERR_NOTFOUND, or
 * ERR_CONFLICT when it is not flagged or already removed. */
int moderation_remove(struct db *db, struct arena *a, const struct user *admin,
                      const char *public_id, const char *reason, struct mod_outcome *out,
                      const char **why);

/* The outcome of a photo (by public id), or ERR_NOTFOUND when no moderator
 * decided on it. */
int moderation_outcome(struct db *db, struct arena *a, const char *public_id,
                       struct mod_outcome *out);

#endif
