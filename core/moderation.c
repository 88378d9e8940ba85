/* moderation.c: the moderation queue (see moderation.h). */
#include "moderation.h"
#include "audit.h"
#include "err.h"
#include "i18n.h"
#include "token.h"
#include "utf8.h"

#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

int moderation_list(struct db *db, struct arena *a, const char *cursor, int limit,
                    struct mod_item **items, int *n, const char **next)
{
	static const char sql[] = "SELECT " IMAGE_COLS(
	    IMAGES_CURSOR_US) ", u.email, i.moderation IS NOT NULL"
	                      " FROM images i JOIN users u ON u.id = i.owner_id"
	                      " WHERE i.flagged AND i.moderation IS DISTINCT FROM "
	                      "'removed'"
	                      " AND ($1::bigint IS NULL OR (i.created_at, i.public_id) <"
	                      " ('epoch'::timestamptz + $1::bigint * interval '1 "
	                      "microsecond', $2))"
	                      " ORDER BY i.created_at DESC, i.public_id DESC LIMIT $3";
	const char *p[3] = {NULL, NULL, NULL};
	struct db_res res;
	int rc, i;

	limit = limit < 1 ? 24 : limit > MODERATION_PAGE_MAX ? MODERATION_PAGE_MAX : limit;
	*items = NULL;
	*n = 0;
	*next = NULL;
	if (cursor && *cursor && images_cursor_parse(a, cursor, &p[0], &p[1]) != 0)
		return ERR_INVALID;
	p[2] = arena_printf(a, "%d", limit + 1);
	if ((rc = db_query(db, a, &res, sql, 3, p)) != 0)
		return rc;
	*n = res.nrows > limit ? limit : res.nrows;
	*items = arena_calloc(a, (size_t)*n + 1, sizeof(**items));
	for (i = 0; i < *n; i++) {
		images_row(a, &res, i, &(*items)[i].im);
		(*items)[i].owner_email = db_val(&res, i, 16);
		(*items)[i].approved_before = db_bool(&res, i, 17);
	}
	if (res.nrows > limit)
		*next = arena_printf(a, "%s.%s", db_val(&res, limit - 1, IMAGE_COL_KEY),
		                     db_val(&res, limit - 1, 0));
	return 0;
}

/* Lock the photo's row: *flagged, *state (NULL when undecided), owner email
 * and score, for the checks and the audit detail. */
static int lock_photo(struct db *db, struct arena *a, const char *public_id, int *flagged,
                      const char **state, const char **owner, const char **nsfw)
{
	static const char sql[] = "SELECT i.flagged, i.moderation, u.email, coalesce(i.nsfw, -1)"
	                          " FROM images i JOIN users u ON u.id = i.owner_id"
	                          " WHERE i.public_id = $1 FOR UPDATE OF i";
	const char *p[1] = {public_id};
	struct db_res res;
	int rc;

	if (!public_id_valid(public_id))
		return ERR_NOTFOUND;
	if ((rc = db_query(db, a, &res, sql, 1, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	*flagged = db_bool(&res, 0, 0);
	*state = db_val(&res, 0, 1);
	*owner = db_val(&res, 0, 2);
	*nsfw = db_val(&res, 0, 3);
	return 0;
}

/* Set the decision, write the audit entry, commit; *out from the row. */
static int decide(struct db *db, struct arena *a, const struct user *admin, const char *public_id,
                  const char *state, const char *reason, const char *owner, const char *nsfw,
                  struct mod_outcome *out)
{
	static const char sql[] =
	    "UPDATE images SET moderation = $2, moderation_reason = $3, moderated_at = now(),"
	    " moderated_by = $4, flagged = ($2 = 'removed') WHERE public_id = $1"
	    " RETURNING " ISO_UTC("moderated_at");
	const char *p[4] = {public_id, state, reason, arena_printf(a, "%lld", admin->id)};
	cJSON *detail = cJSON_CreateObject();
	char *json;
	struct db_res res;
	int rc;

	cJSON_AddStringToObject(detail, "owner", owner);
	cJSON_AddNumberToObject(detail, "nsfw", strtod(nsfw, NULL));
	if (*reason)
		cJSON_AddStringToObject(detail, "reason", reason);
	json = cJSON_PrintUnformatted(detail);
	cJSON_Delete(detail);
	if (json == NULL)
		return ERR_NOMEM;
	rc = db_query(db, a, &res, sql, 4, p);
	if (rc == 0)
		rc = audit_write(db, a, admin,
		                 strcmp(state, "removed") == 0 ? "image.remove" : "image.approve",
		                 "image", public_id, json);
	if (rc == 0)
		rc = db_commit(db);
	cJSON_free(json);
	if (rc != 0)
		return rc;
	out->state = state;
	out->reason = reason;
	out->at = db_val(&res, 0, 0);
	return 0;
}

int moderation_approve(struct db *db, struct arena *a, const struct user *admin,
                       const char *public_id, struct mod_outcome *out)
{
	const char *state, *owner, *nsfw;
	int flagged, rc;

	if ((rc = db_begin(db)) != 0)
		return rc;
	rc = lock_photo(db, a, public_id, &flagged, &state, &owner, &nsfw);
	if (rc == 0 && !flagged)
		rc = ERR_CONFLICT;
	if (rc == 0)
		rc = decide(db, a, admin, public_id, "approved", "", owner, nsfw, out);
	db_rollback(db);
	return rc;
}

/* reason without surrounding white space, arena-owned */
static const char *trimmed(struct arena *a, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

/* code points in valid UTF-8 s */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int moderation_remove(struct db *db, struct arena *a, const struct user *admin,
                      const char *public_id, const char *reason, struct mod_outcome *out,
                      const char **why)
{
	const char *state, *owner, *nsfw, *r = trimmed(a, reason ? reason : "");
	int flagged, rc;

	*why = NULL;
	if (*r == '\0' || !utf8_valid(r, strlen(r)) || chars(r) > MODERATION_REASON_MAX) {
		*why = *r ? N_("The reason is too long (at most 500 characters).")
		          : N_("Give a reason: the owner reads it on the photo's page.");
		return ERR_INVALID;
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	rc = lock_photo(db, a, public_id, &flagged, &state, &owner, &nsfw);
	if (rc == 0 && (!flagged || (state && strcmp(state, "removed") == 0)))
		rc = ERR_CONFLICT;
	if (rc == 0)
		rc = decide(db, a, admin, public_id, "removed", r, owner, nsfw, out);
	db_rollback(db);
	return rc;
}

int moderation_outcome(struct db *db, struct arena *a, const char *public_id,
                       struct mod_outcome *out)
{
	static const char sql[] = "SELECT moderation, moderation_reason, " ISO_UTC(
	    "moderated_at") " FROM images WHERE public_id = $1 AND moderation IS NOT NULL";
	const char *p[1] = {public_id};
	struct db_res res;
	int rc;

	if ((rc = db_query(db, a, &res, sql, 1, p)) != 0)
		return rc;
	if (res.nrows == 0)
		return ERR_NOTFOUND;
	out->state = db_val(&res, 0, 0);
	out->reason = db_val(&res, 0, 1);
	out->at = db_val(&res, 0, 2);
	return 0;
}
