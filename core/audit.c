/* audit.c: the audit log (see audit.h). */
#include "audit.h"
#include "err.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

int audit_write(struct db *db, struct arena *a, const struct user *actor, const char *action,
                const char *target_type, const char *target_id, const char *detail_json)
{
	static const char sql[] =
	    "INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id, detail) "
	    "VALUES ($1, $2, $3, $4, $5, $6::jsonb)";
	const char *p[6] = {
	    arena_printf(a, "%lld", actor->id), actor->email, action, target_type, target_id,
	    detail_json ? detail_json : "{}"};

	return db_query(db, a, NULL, sql, 6, p);
}

/* A cursor is the id of the last entry shown, in decimal. */
static int cursor_ok(const char *c)
{
	size_t n = strlen(c);

	if (n == 0 || n > 19)
		return 0;
	for (; *c; c++)
		if (*c < '0' || *c > '9')
			return 0;
	return 1;
}

int audit_list(struct db *db, struct arena *a, const struct audit_filter *f,
               struct audit_entry **items, int *n, const char **next, const char **bad)
{
	static const char sql[] =
	    "SELECT l.id, to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "l.actor_email, l.actor_id IS NULL, l.action, l.target_type, l.target_id, "
	    "l.detail::text FROM audit_log l"
	    " WHERE ($1::bigint IS NULL OR l.id < $1::bigint)"
	    " AND ($2::text IS NULL OR l.action = $2)"
	    " AND ($3::text IS NULL OR l.actor_email = lower($3))"
	    " AND ($4::text IS NULL OR l.target_id = $4)"
	    " AND ($5::date IS NULL OR l.at >= $5::date::timestamp AT TIME ZONE 'UTC')"
	    " AND ($6::date IS NULL OR l.at < ($6::date + 1)::timestamp AT TIME ZONE 'UTC')"
	    " ORDER BY l.id DESC LIMIT $7";
	int limit = f->limit < 1 ? 50 : f->limit > AUDIT_PAGE_MAX ? AUDIT_PAGE_MAX : f->limit;
	const char *p[7] = {NULL};
	struct db_res res;
	int rc, i;

	*items = NULL;
	*n = 0;
	*next = NULL;
	*bad = NULL;
	if (f->cursor && *f->cursor) {
		if (!cursor_ok(f->cursor)) {
			*bad = "cursor";
			return ERR_INVALID;
		}
		p[0] = f->cursor;
	}
	if (f->from && *f->from && !validate_day(f->from, strlen(f->from))) {
		*bad = "from";
		return ERR_INVALID;
	}
	if (f->to && *f->to && !validate_day(f->to, strlen(f->to))) {
		*bad = "to";
		return ERR_INVALID;
	}
	p[1] = f->action && *f->action ? f->action : NULL;
	p[2] = f->actor && *f->actor ? f->actor : NULL;
	p[3] = f->target && *f->target ? f->target : NULL;
	p[4] = f->from && *f->from ? f->from : NULL;
	p[5] = f->to && *f->to ? f->to : NULL;
	p[6] = arena_printf(a, "%d", limit + 1);
	if ((rc = db_query(db, a, &res, sql, 7, p)) != 0)
		return rc;
	*n = res.nrows > limit ? limit : res.nrows;
	*items = arena_calloc(a, (size_t)*n + 1, sizeof(**items));
	for (i = 0; i < *n; i++) {
		struct audit_entry *e = &(*items)[i];
		e->at = db_val(&res, i, 1);
		e->actor_email = db_val(&res, i, 2);
		e->actor_gone = db_bool(&res, i, 3);
		e->action = db_val(&res, i, 4);
		e->target_type = db_val(&res, i, 5);
		e->target_id = db_val(&res, i, 6);
		e->detail = db_val(&res, i, 7);
	}
	if (res.nrows > limit)
		*next = db_val(&res, limit - 1, 0);
	return 0;
}
