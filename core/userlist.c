/* userlist.c: the admins' list of users (see userlist.h). */
#include "userlist.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "token.h"
#include "utf8.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* a timestamp as cursor text, to the microsecond, read back by ::timestamptz */
#define ISO_US(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define ISO_US_LEN 27

/* Each sort: the ORDER BY expression (its index's), the same value as the
 * cursor's text, that text ($10) back as the key, and the default direction. */
static const struct sortdef {
	const char *name;
	const char *key;
	const char *text;
	const char *param;
	int desc;
} sorts[USORT__MAX] = {
    [USORT_JOINED] = {"joined", "u.created_at", ISO_US("u.created_at"), "$10::timestamptz", 1},
    [USORT_EMAIL] = {"email", "u.email", "u.email", "$10::text", 0},
    [USORT_LOGIN] = {"login", "coalesce(u.last_login_at, '-infinity'::timestamptz)",
                     "CASE WHEN u.last_login_at IS NULL THEN '-infinity' ELSE " ISO_US(
                         "u.last_login_at") " END",
                     "$10::timestamptz", 1},
    [USORT_IMAGES] = {"images", "u.image_count", "u.image_count::text", "$10::bigint", 1},
    [USORT_STORAGE] = {"storage", "u.storage_bytes", "u.storage_bytes::text", "$10::bigint", 1},
    [USORT_ROLE] = {"role", "u.role", "u.role", "$10::text", 0},
    [USORT_STATE] = {"state", "u.disabled", "u.disabled::text", "$10::boolean", 0},
};

/* %1 the cursor text, %2 the key, %3 < or >, %4 the cursor's key, %5 the
 * key again, %6 and %7 ASC or DESC. $1..$9 filters, $10/$11 the cursor,
 * $12 the limit. A NULL parameter drops its condition when the query is
 * planned (libpq's unnamed statements are planned with their values), so
 * what is left is the sort's index range scan. */
#define LIST_COLS                                                                          \
	"u.public_id, u.email, u.role, u.disabled, " ISO_UTC("u.created_at") ", " ISO_UTC( \
	    "u.last_login_at") ", u.image_count, u.storage_bytes"
static const char sql_fmt[] =
    "SELECT " LIST_COLS ", %s FROM users u WHERE"
    " ($1::date IS NULL OR u.created_at >= $1::date::timestamp AT TIME ZONE 'UTC')"
    " AND ($2::date IS NULL OR u.created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC')"
    " AND ($3::date IS NULL OR u.last_login_at >= $3::date::timestamp AT TIME ZONE 'UTC')"
    " AND ($4::date IS NULL OR u.last_login_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')"
    " AND ($5::bigint IS NULL OR u.image_count >= $5::bigint)"
    " AND ($6::bigint IS NULL OR u.image_count <= $6::bigint)"
    " AND ($7::text IS NULL OR u.role = $7::text)"
    " AND ($8::boolean IS NULL OR u.disabled = $8::boolean)"
    " AND ($9::text IS NULL OR u.email LIKE $9::text)"
    " AND ($10::text IS NULL OR (%s, u.public_id) %s (%s, $11::text))"
    " ORDER BY %s %s, u.public_id %s LIMIT $12";
/* one user, with the internal id (C_KEY) */
static const char sql_one[] = "SELECT " LIST_COLS ", u.id FROM users u WHERE u.public_id = $1";
static const char sql_one_locked[] =
    "SELECT " LIST_COLS ", u.id FROM users u WHERE u.public_id = $1 FOR UPDATE";
enum { C_ID, C_EMAIL, C_ROLE, C_DISABLED, C_CREATED, C_LOGIN, C_IMAGES, C_BYTES, C_KEY };

/* A checked filter: the sort, and the query's parameters. */
struct query {
	enum userlist_sort sort;
	int desc;
	const char *p[12];
};

const char *userlist_sort_name(enum userlist_sort s)
{
	return sorts[s].name;
}

int userlist_sort_desc(enum userlist_sort s)
{
	return sorts[s].desc;
}

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

int userlist_sort_of(const struct userlist_filter *f, enum userlist_sort *s, int *desc,
                     const char **bad)
{
	int i;

	*s = USORT_JOINED;
	if (given(f->sort)) {
		for (i = 0; i < USORT__MAX && strcmp(sorts[i].name, f->sort) != 0; i++)
			;
		*bad = "sort";
		if (i == USORT__MAX)
			return ERR_INVALID;
		*s = (enum userlist_sort)i;
	}
	*desc = sorts[*s].desc;
	if (given(f->dir)) {
		*bad = "dir";
		if (strcmp(f->dir, "asc") != 0 && strcmp(f->dir, "desc") != 0)
			return ERR_INVALID;
		*desc = f->dir[0] == 'd';
	}
	return 0;
}

const char *userlist_cursor_make(struct arena *a, enum userlist_sort s, int desc, const char *value,
                                 const char *public_id)
{
	const char *raw =
	    arena_printf(a, "%s.%s.%s.%s", sorts[s].name, desc ? "desc" : "asc", value, public_id);
	char *out = arena_alloc(a, b64url_len(strlen(raw)) + 1);

	b64url_encode((const unsigned char *)raw, strlen(raw), out);
	return out;
}

/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" naming a real instant */
static int instant_ok(const char *v)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	int i;

	if (strlen(v) != ISO_US_LEN)
		return 0;
	for (i = 0; i < ISO_US_LEN; i++)
		if (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != shape[i])
			return 0;
	return validate_day(v, 10) && atoi(v + 11) < 24 && atoi(v + 14) < 60 && atoi(v + 17) < 60;
}

static int digits_ok(const char *v)
{
	size_t n = strspn(v, "0123456789");

	return n > 0 && n <= 18 && v[n] == '\0';
}

/* A sort value as the list's query prints it. */
static int value_ok(enum userlist_sort s, const char *v)
{
	switch (s) {
	case USORT_JOINED: return instant_ok(v);
	case USORT_LOGIN: return strcmp(v, "-infinity") == 0 || instant_ok(v);
	case USORT_EMAIL: return *v != '\0' && strlen(v) <= 254;
	case USORT_IMAGES:
	case USORT_STORAGE: return digits_ok(v);
	case USORT_ROLE: return strcmp(v, "user") == 0 || strcmp(v, "admin") == 0;
	case USORT_STATE: return strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
	case USORT__MAX: break;
	}
	return 0;
}

int userlist_cursor_parse(struct arena *a, const char *c, enum userlist_sort s, int desc,
                          const char **value, const char **public_id)
{
	size_t len = strlen(c), n;
	unsigned char *raw;
	const char *head, *last;
	char *txt;

	if (len == 0 || len > USERLIST_CURSOR_MAX)
		return ERR_INVALID;
	raw = arena_alloc(a, len + 1);
	if (b64url_decode(c, raw, len, &n) != 0 || !utf8_valid((const char *)raw, n))
		return ERR_INVALID;
	for (size_t i = 0; i < n; i++)
		if (raw[i] < 0x20 || raw[i] == 0x7f)
			return ERR_INVALID;
	txt = arena_strndup(a, (const char *)raw, n);
	head = arena_printf(a, "%s.%s.", sorts[s].name, desc ? "desc" : "asc");
	last = strrchr(txt, '.');
	if (strncmp(txt, head, strlen(head)) != 0 || last == NULL || last < txt + strlen(head) ||
	    !public_id_valid(last + 1))
		return ERR_INVALID;
	*public_id = last + 1;
	*value = arena_strndup(a, txt + strlen(head), (size_t)(last - txt) - strlen(head));
	return value_ok(s, *value) ? 0 : ERR_INVALID;
}

/* LIKE pattern for q anywhere in a (lowercased) email, taken literally. */
static const char *like_pattern(struct arena *a, const char *q)
{
	struct buf b = {0};
	const char *out;

	buf_putc(&b, '%');
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *q >= 'A' && *q <= 'Z' ? (char)(*q - 'A' + 'a') : *q);
	}
	buf_putc(&b, '%');
	out = arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}

/* Check f into q (cursor included when with_cursor). */
static int check(struct arena *a, const struct userlist_filter *f, int with_cursor, struct query *q,
                 const char **bad, const char **why)
{
	const char *days[4] = {f->joined_from, f->joined_to, f->login_from, f->login_to};
	const char *day_names[4] = {"joined_from", "joined_to", "login_from", "login_to"};
	int i;

	memset(q, 0, sizeof(*q));
	*why = N_("Choose a sort among the column names, and asc or desc.");
	if (userlist_sort_of(f, &q->sort, &q->desc, bad) != 0)
		return ERR_INVALID;
	*why = N_("There is no such day: use YYYY-MM-DD.");
	for (i = 0; i < 4; i++) {
		*bad = day_names[i];
		if (given(days[i]) && !validate_day(days[i], strlen(days[i])))
			return ERR_INVALID;
		q->p[i] = given(days[i]) ? days[i] : NULL;
	}
	*why = N_("A photo count is a whole number.");
	*bad = "images_min";
	if (given(f->images_min) && !digits_ok(f->images_min))
		return ERR_INVALID;
	*bad = "images_max";
	if (given(f->images_max) && !digits_ok(f->images_max))
		return ERR_INVALID;
	q->p[4] = given(f->images_min) ? f->images_min : NULL;
	q->p[5] = given(f->images_max) ? f->images_max : NULL;
	*why = N_("The most photos must not be fewer than the fewest.");
	if (q->p[4] && q->p[5] && atoll(q->p[4]) > atoll(q->p[5]))
		return ERR_INVALID;
	*bad = "role";
	*why = N_("The role is user or admin.");
	if (given(f->role) && strcmp(f->role, "user") != 0 && strcmp(f->role, "admin") != 0)
		return ERR_INVALID;
	q->p[6] = given(f->role) ? f->role : NULL;
	*bad = "state";
	*why = N_("The state is active or disabled.");
	if (given(f->state) && strcmp(f->state, "active") != 0 && strcmp(f->state, "disabled") != 0)
		return ERR_INVALID;
	q->p[7] = !given(f->state) ? NULL : f->state[0] == 'd' ? "true" : "false";
	q->p[8] = given(f->q) ? like_pattern(a, f->q) : NULL;
	*bad = "cursor";
	*why = N_("This page link is not one this list gave out (or the sort changed); start "
	          "again from the first page.");
	if (with_cursor && given(f->cursor) &&
	    userlist_cursor_parse(a, f->cursor, q->sort, q->desc, &q->p[9], &q->p[10]) != 0)
		return ERR_INVALID;
	*bad = *why = NULL;
	return 0;
}

/* Run q for up to limit rows after its cursor ($10/$11). */
static int run(struct db *db, struct arena *a, struct query *q, int limit, struct db_res *res)
{
	const struct sortdef *d = &sorts[q->sort];
	const char *dir = q->desc ? "DESC" : "ASC";

	q->p[11] = arena_printf(a, "%d", limit);
	return db_query(db, a, res,
	                arena_printf(a, sql_fmt, d->text, d->key, q->desc ? "<" : ">", d->param,
	                             d->key, dir, dir),
	                12, q->p);
}

static void row(const struct db_res *res, int r, struct admin_user *u)
{
	u->id = db_val(res, r, C_ID);
	u->email = db_val(res, r, C_EMAIL);
	u->role = db_val(res, r, C_ROLE);
	u->disabled = db_bool(res, r, C_DISABLED);
	u->created_at = db_val(res, r, C_CREATED);
	u->last_login_at = db_val(res, r, C_LOGIN);
	u->image_count = db_ll(res, r, C_IMAGES, 0);
	u->storage_bytes = db_ll(res, r, C_BYTES, 0);
}

int userlist_page(struct db *db, struct arena *a, const struct userlist_filter *f,
                  struct admin_user **items, int *n, const char **next, const char **bad,
                  const char **why)
{
	int limit = f->limit < 1 ? 50 : f->limit > USERLIST_PAGE_MAX ? USERLIST_PAGE_MAX : f->limit;
	struct query q;
	struct db_res res;
	int rc, i;

	*items = NULL;
	*n = 0;
	*next = NULL;
	if ((rc = check(a, f, 1, &q, bad, why)) != 0 || (rc = run(db, a, &q, limit + 1, &res)) != 0)
		return rc;
	*n = res.nrows > limit ? limit : res.nrows;
	*items = arena_calloc(a, (size_t)*n + 1, sizeof(**items));
	for (i = 0; i < *n; i++)
		row(&res, i, &(*items)[i]);
	if (res.nrows > limit)
		*next = userlist_cursor_make(a, q.sort, q.desc, db_val(&res, limit - 1, C_KEY),
		                             db_val(&res, limit - 1, C_ID));
	return 0;
}

static void csv_user(struct buf *out, const struct admin_user *u)
{
	export_csv_field(out, u->id, 1);
	buf_putc(out, ',');
	export_csv_field(out, u->email, 1);
	buf_putc(out, ',');
	export_csv_field(out, u->role, 1);
	buf_putc(out, ',');
	export_csv_field(out, u->disabled ? "disabled" : "active", 1);
	buf_putc(out, ',');
	export_csv_field(out, u->created_at, 1);
	buf_putc(out, ',');
	export_csv_field(out, u->last_login_at ? u->last_login_at : "", 1);
	buf_printf(out, ",%lld,%lld\r\n", u->image_count, u->storage_bytes);
}

int userlist_csv(struct db *db, const struct userlist_filter *f, export_write_fn w, void *ctx,
                 const char **bad, const char **why)
{
	static const char header[] =
	    "id,email,role,state,created_at,last_login_at,image_count,storage_bytes\r\n";
	struct arena a;
	struct buf out = {0};
	struct query q;
	struct db_res res;
	struct admin_user u;
	char value[256], pid[PUBLIC_ID_LEN + 1]; /* the cursor: a sort value, a public id */
	int rc, i;

	arena_init(&a, 0);
	if ((rc = check(&a, f, 0, &q, bad, why)) != 0 || (rc = w(ctx, header, strlen(header))) != 0)
		goto out;
	if ((rc = db_begin(db)) != 0 ||
	    (rc = db_query(db, &a, NULL,
	                   "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0,
	                   NULL)) != 0)
		goto out;
	do {
		if ((rc = run(db, &a, &q, USERLIST_CSV_BATCH, &res)) != 0)
			goto out;
		buf_clear(&out);
		for (i = 0; i < res.nrows; i++) {
			row(&res, i, &u);
			csv_user(&out, &u);
		}
		if (out.len > 0 && (rc = w(ctx, out.data, out.len)) != 0)
			goto out;
		if (res.nrows > 0) { /* the next batch starts after the last row */
			snprintf(value, sizeof(value), "%s", db_val(&res, res.nrows - 1, C_KEY));
			snprintf(pid, sizeof(pid), "%s", db_val(&res, res.nrows - 1, C_ID));
		}
		arena_reset(&a); /* the batch's rows and the parameters made from them */
		q.p[8] = given(f->q) ? like_pattern(&a, f->q) : NULL;
		q.p[9] = value;
		q.p[10] = pid;
	} while (res.nrows == USERLIST_CSV_BATCH);
	rc = db_commit(db);
out:
	db_rollback(db);
	buf_free(&out);
	arena_free(&a);
	return rc;
}

int userlist_one(struct db *db, struct arena *a, const char *public_id, int lock,
                 struct admin_user *u, long long *id)
{
	const char *p[1] = {public_id};
	struct db_res res;
	int rc;

	if (!public_id_valid(public_id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, lock ? sql_one_locked : sql_one, 1, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	row(&res, 0, u);
	*id = db_ll(&res, 0, C_KEY, 0);
	return 0;
}
