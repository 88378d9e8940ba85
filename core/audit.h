/* audit.h: the audit log — one row per admin action (who, what, when, on
 * what), written in the same transaction as the action, and listed newest
 * first with filters and keyset pagination. Admins only: callers check. */
#ifndef HT_AUDIT_H
#define HT_AUDIT_H

#include "arena.h"
#include "db.h"
#include "users.h"

#define AUDIT_PAGE_MAX 100

/* One entry; strings are arena-owned. */
struct audit_entry {
	const char *at;          /* ISO-8601 UTC */
	const char *actor_email; /* as it was when the action happened */
	int actor_gone;          /* the actor's account no longer exists */
	const char *action;      /* "image.approve", "image.remove", ... */
	const char *target_type; /* "image", "user", ... */
	const char *target_id;   /* a public id */
	const char *detail;      /* a JSON object, as text */
};

struct audit_filter {
	const char *action;    /* exact action, or NULL */
	const char *actor;     /* the actor's email (any case), or NULL */
	const char *target;    /* exact target id, or NULL */
	const char *from, *to; /* YYYY-MM-DD (UTC days, inclusive), or NULL */
	const char *cursor;    /* from a previous page, or NULL */
	int limit;             /* 1..AUDIT_PAGE_MAX (clamped; 0: 50) */
};

/* Record an action of actor on target. detail_json is a JSON object (NULL:
 * {}). Call inside the action's transaction so both happen or neither. */
int audit_write(struct db *db, struct arena *a, const struct user *actor, const char *action,
                const char *target_type, const char *target_id, const char *detail_json);

/* One page of entries, newest first. *next is the cursor of the following
 * page or NULL at the end. ERR_INVALID with *bad naming the parameter
 * ("cursor", "from", "to") for a bad cursor or a day that does not exist
 * (2026-02-30). Arena-owned. */
int audit_list(struct db *db, struct arena *a, const struct audit_filter *f,
               struct audit_entry **items, int *n, const char **next, const char **bad);

#endif
