/* userlist.h: the admins' list of users — filters (sign-up and last-login
 * days, a photo count range, role, state, text in the email), seven sorts in
 * either direction, keyset pages, and the whole filtered list as CSV.
 *
 * Each sort orders by (value, public id): the public id breaks ties, so
 * pages neither skip nor repeat a row whatever the ties, and every sort has
 * its (value, public_id) index (sql/0009). Photo counts and stored bytes are
 * columns of users kept by triggers, so no sort or filter reads images.
 * A cursor carries its sort, direction, the last row's value and public id
 * (base64url, opaque to clients); one made for another sort is refused.
 * Admins only: callers check. */
#ifndef HT_USERLIST_H
#define HT_USERLIST_H

#include "arena.h"
#include "db.h"
#include "export.h"

#define USERLIST_PAGE_MAX 200
#define USERLIST_CURSOR_MAX 512 /* characters of a cursor */
#define USERLIST_CSV_BATCH 5000 /* rows read per query for the CSV */

enum userlist_sort {
	USORT_JOINED,  /* sign-up time ("joined") */
	USORT_EMAIL,   /* "email" */
	USORT_LOGIN,   /* last login ("login"); never sorts as the oldest */
	USORT_IMAGES,  /* photo count ("images") */
	USORT_STORAGE, /* stored bytes ("storage") */
	USORT_ROLE,    /* "role": admin before user ascending */
	USORT_STATE,   /* "state": active before disabled ascending */
	USORT__MAX
};

/* A user as the list shows it; strings are arena-owned. */
struct admin_user {
	const char *id; /* public id */
	const char *email;
	const char *role; /* "user" or "admin" */
	int disabled;
	const char *created_at;    /* ISO-8601 UTC */
	const char *last_login_at; /* ISO-8601 UTC, NULL: never logged in */
	long long image_count, storage_bytes;
};

/* What to list. NULL or "" means "no such filter" for every string. */
struct userlist_filter {
	const char *joined_from, *joined_to; /* YYYY-MM-DD, UTC days, inclusive */
	const char *login_from, *login_to;   /* the same for the last login */
	const char *images_min, *images_max; /* photo counts (decimal), inclusive */
	const char *role;                    /* "user" or "admin" */
	const char *state;                   /* "active" or "disabled" */
	const char *q;                       /* text in the email, any case */
	const char *sort;                    /* a sort's name; default "joined" */
	const char *dir;                     /* "asc" or "desc"; default: the sort's */
	const char *cursor;                  /* next_cursor of a page of this sort */
	int limit;                           /* 1..USERLIST_PAGE_MAX (clamped; 0: 50) */
};

/* A sort's name ("joined", "email", ...) and whether it runs newest /
 * largest first unless asked otherwise (joined, login, images, storage). */
const char *userlist_sort_name(enum userlist_sort s);
int userlist_sort_desc(enum userlist_sort s);
/* The sort and direction f asks for: 0, or ERR_INVALID with *bad "sort"
 * or "dir" when it names none. */
int userlist_sort_of(const struct userlist_filter *f, enum userlist_sort *s, int *desc,
                     const char **bad);

/* One page. *next is the following page's cursor or NULL at the end. On
 * ERR_INVALID, *bad names the parameter ("joined_from", "images_max",
 * "role", "cursor", ...) and *why says what is wrong (a static sentence).
 * Arena-owned. */
int userlist_page(struct db *db, struct arena *a, const struct userlist_filter *f,
                  struct admin_user **items, int *n, const char **next, const char **bad,
                  const char **why);

/* Every user f matches (cursor and limit ignored), in f's order, as CSV
 * (RFC 4180, CRLF): the header id,email,role,state,created_at,last_login_at,
 * image_count,storage_bytes, then one record per user; text fields are
 * guarded against formula injection as in export.h, numbers never are. Read
 * in batches from one snapshot, written through w (see export.h). Errors as
 * userlist_page, or w's. */
int userlist_csv(struct db *db, const struct userlist_filter *f, export_write_fn w, void *ctx,
                 const char **bad, const char **why);

/* The user public_id as the list shows it, and its internal id (never
 * shown). lock: FOR UPDATE (inside a transaction). ERR_NOTFOUND. */
int userlist_one(struct db *db, struct arena *a, const char *public_id, int lock,
                 struct admin_user *u, long long *id);

/* The cursor after a row whose sort value (as the list's query prints it)
 * is value: arena-owned base64url. */
const char *userlist_cursor_make(struct arena *a, enum userlist_sort s, int desc, const char *value,
                                 const char *public_id);
/* Read a cursor made for sort s and direction desc: *value and *public_id
 * (arena). ERR_INVALID when c is not such a cursor. */
int userlist_cursor_parse(struct arena *a, const char *c, enum userlist_sort s, int desc,
                          const char **value, const char **public_id);

#endif
