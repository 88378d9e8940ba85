/* useradmin.c: one user as an admin sees and changes them (see useradmin.h). */
#include "useradmin.h"
#include "audit.h"
#include "err.h"
#include "i18n.h"
#include "media.h"
#include "pwreset.h"

#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define LAST_ADMIN N_("This is the last active admin: make another user an admin first.")

static const char sql_counts[] =
    "SELECT (SELECT count(*) FROM images WHERE owner_id = $1 AND created_at >="
    "   date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),"
    " (SELECT count(*) FROM sessions WHERE user_id = $1 AND expires_at > now()),"
    " (SELECT count(*) FROM api_tokens WHERE user_id = $1),"
    " (SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL"
    "   AND used_at IS NULL AND expires_at > now())";
static const char sql_top[] =
    "SELECT min(t.tag), count(*) FROM image_tags t JOIN images i ON i.id = t.image_id"
    " WHERE i.owner_id = $1 AND t.state <> 'rejected'"
    " GROUP BY lower(t.tag) ORDER BY count(*) DESC, lower(t.tag) LIMIT $2";

int useradmin_get(struct db *db, struct arena *a, const char *public_id, struct user_detail *out)
{
	const char *p[2];
	struct db_res res;
	int rc, i;

	memset(out, 0, sizeof(*out));
	if ((rc = userlist_one(db, a, public_id, 0, &out->u, &out->id)) != 0)
		return rc;
	p[0] = arena_printf(a, "%lld", out->id);
	p[1] = arena_printf(a, "%d", USERADMIN_TOP_TAGS);
	if ((rc = db_query(db, a, &res, sql_counts, 1, p)) != 0)
		return rc;
	out->uploads_today = db_ll(&res, 0, 0, 0);
	out->sessions = db_ll(&res, 0, 1, 0);
	out->api_tokens = db_ll(&res, 0, 2, 0);
	out->refresh_tokens = db_ll(&res, 0, 3, 0);
	if ((rc = db_query(db, a, &res, sql_top, 2, p)) != 0)
		return rc;
	out->top = arena_calloc(a, (size_t)res.nrows + 1, sizeof(*out->top));
	for (i = 0; i < res.nrows; i++) {
		out->top[i].tag = db_val(&res, i, 0);
		out->top[i].count = db_ll(&res, i, 1, 0);
	}
	out->ntop = res.nrows;
	return 0;
}

/* Begin the action's transaction and lock the target's row. With guard
 * (the action may take admin powers away), every active admin's row is
 * locked first and *last says whether the target is the last of them. */
static int begin(struct db *db, struct arena *a, const char *public_id, int guard,
                 struct admin_user *u, long long *id, int *last)
{
	int rc;

	*last = 0;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if (guard && ((rc = userlist_one(db, a, public_id, 0, u, id)) != 0 ||
	              (rc = users_last_admin(db, a, *id, last)) != 0))
		return rc;
	return userlist_one(db, a, public_id, 1, u, id);
}

/* The audit detail every user action has: {email}. */
static cJSON *detail_of(const struct admin_user *u)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "email", u->email);
	return d;
}

/* Write the audit entry (detail taken). */
static int record(struct db *db, struct arena *a, const struct user *admin, const char *action,
                  const struct admin_user *u, cJSON *detail)
{
	char *json = cJSON_PrintUnformatted(detail);
	int rc;

	cJSON_Delete(detail);
	if (json == NULL)
		return ERR_NOMEM;
	rc = audit_write(db, a, admin, action, "user", u->id, json);
	cJSON_free(json);
	return rc;
}

/* Write the audit entry (detail taken) and commit. */
static int finish(struct db *db, struct arena *a, const struct user *admin, const char *action,
                  const struct admin_user *u, cJSON *detail)
{
	int rc = record(db, a, admin, action, u, detail);

	return rc != 0 ? rc : db_commit(db);
}

/* ERR_CONFLICT with why when cond holds, else rc. */
static int refuse_if(int rc, int cond, const char *reason, const char **why)
{
	if (rc != 0 || !cond)
		return rc;
	*why = reason;
	return ERR_CONFLICT;
}

int useradmin_disable(struct db *db, struct arena *a, const struct user *admin,
                      const char *public_id, struct admin_user *out, const char **why)
{
	static const char sql_disable[] =
	    "UPDATE users SET disabled = true, tokens_revoked_at = now() WHERE id = $1";
	static const char sql_sessions[] = "DELETE FROM sessions WHERE user_id = $1";
	static const char sql_refresh[] = "UPDATE refresh_tokens SET revoked_at = now()"
	                                  " WHERE user_id = $1 AND revoked_at IS NULL";
	static const char sql_tokens[] = "DELETE FROM api_tokens WHERE user_id = $1";
	const char *p[1];
	struct db_res s, t;
	long long id;
	int last, rc;
	cJSON *d;

	*why = NULL;
	rc = begin(db, a, public_id, 1, out, &id, &last);
	rc = refuse_if(rc, out->disabled, N_("This account is already disabled."), why);
	rc = refuse_if(rc, last, LAST_ADMIN, why);
	if (rc != 0)
		goto out;
	p[0] = arena_printf(a, "%lld", id);
	if ((rc = db_query(db, a, NULL, sql_disable, 1, p)) != 0 ||
	    (rc = db_query(db, a, &s, sql_sessions, 1, p)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_refresh, 1, p)) != 0 ||
	    (rc = db_query(db, a, &t, sql_tokens, 1, p)) != 0)
		goto out;
	d = detail_of(out);
	cJSON_AddNumberToObject(d, "sessions_ended", (double)s.affected);
	cJSON_AddNumberToObject(d, "api_tokens_revoked", (double)t.affected);
	if ((rc = finish(db, a, admin, "user.disable", out, d)) == 0)
		out->disabled = 1;
out:
	db_rollback(db);
	return rc;
}

int useradmin_enable(struct db *db, struct arena *a, const struct user *admin,
                     const char *public_id, struct admin_user *out, const char **why)
{
	static const char sql[] = "UPDATE users SET disabled = false WHERE id = $1";
	const char *p[1];
	long long id;
	int last, rc;

	*why = NULL;
	rc = begin(db, a, public_id, 0, out, &id, &last);
	rc = refuse_if(rc, !out->disabled, N_("This account is not disabled."), why);
	if (rc != 0)
		goto out;
	p[0] = arena_printf(a, "%lld", id);
	if ((rc = db_query(db, a, NULL, sql, 1, p)) == 0 &&
	    (rc = finish(db, a, admin, "user.enable", out, detail_of(out))) == 0)
		out->disabled = 0;
out:
	db_rollback(db);
	return rc;
}

int useradmin_set_role(struct db *db, struct arena *a, const struct user *admin,
                       const char *public_id, const char *role, struct admin_user *out,
                       const char **why)
{
	int promote = strcmp(role, "admin") == 0, last, rc;
	struct user target;
	cJSON *d;

	*why = NULL;
	if (!promote && strcmp(role, "user") != 0)
		return ERR_INVALID;
	memset(&target, 0, sizeof(target));
	rc = begin(db, a, public_id, !promote, out, &target.id, &last);
	rc = refuse_if(
	    rc, strcmp(out->role, role) == 0,
	    promote ? N_("This user is already an admin.") : N_("This user is not an admin."), why);
	rc = refuse_if(rc, last, LAST_ADMIN, why);
	if (rc != 0)
		goto out;
	/* users_set_role's own guard agrees with last: the admins are locked */
	rc = users_set_role(db, a, &target, role);
	if ((rc = refuse_if(rc == ERR_FORBIDDEN ? 0 : rc, rc == ERR_FORBIDDEN, LAST_ADMIN, why)) !=
	    0)
		goto out;
	d = detail_of(out);
	cJSON_AddStringToObject(d, "role", role);
	if ((rc = finish(db, a, admin, promote ? "user.promote" : "user.demote", out, d)) == 0)
		out->role = promote ? "admin" : "user";
out:
	db_rollback(db);
	return rc;
}

int useradmin_reset_link(struct db *db, struct arena *a, const struct user *admin,
                         const char *public_id, char token[TOKEN_STR_LEN + 1],
                         const char **expires_at, const char **why)
{
	struct admin_user u;
	long long id;
	int last, rc;
	cJSON *d;

	*why = NULL;
	rc = begin(db, a, public_id, 0, &u, &id, &last);
	rc = refuse_if(rc, u.disabled,
	               N_("This account is disabled: enable it before making a reset link."), why);
	if (rc != 0 || (rc = pwreset_issue(db, a, id, admin->id, token, expires_at)) != 0)
		goto out;
	d = detail_of(&u);
	cJSON_AddStringToObject(d, "expires_at", *expires_at);
	rc = finish(db, a, admin, "user.reset_password", &u, d);
out:
	db_rollback(db);
	return rc;
}

/* s equals the (lowercase) email once trimmed, in any case */
static int same_email(const char *s, const char *email)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n == strlen(email) && strncasecmp(s, email, n) == 0;
}

int useradmin_delete(struct db *db, struct arena *a, const struct user *admin,
                     const char *media_root, const char *public_id, const char *confirm_email,
                     const char **why)
{
	static const char sql_files[] = "SELECT DISTINCT sha256 FROM images WHERE owner_id = $1";
	static const char sql_delete[] = "DELETE FROM users WHERE id = $1";
	struct admin_user u;
	struct db_res files;
	const char *p[1];
	long long id;
	int last, rc, i;
	cJSON *d;

	*why = NULL;
	rc = begin(db, a, public_id, 1, &u, &id, &last);
	rc = refuse_if(rc, last, LAST_ADMIN, why);
	if (rc == 0 && !same_email(confirm_email ? confirm_email : "", u.email)) {
		*why = N_("Type the user's email address exactly to confirm the deletion.");
		rc = ERR_INVALID;
	}
	if (rc != 0)
		goto out;
	p[0] = arena_printf(a, "%lld", id);
	if ((rc = db_query(db, a, &files, sql_files, 1, p)) != 0)
		goto out;
	/* the entry first: an admin deleting their own account is its actor,
	 * and the deletion then clears actor_id like any departed admin's */
	d = detail_of(&u);
	cJSON_AddNumberToObject(d, "images", (double)u.image_count);
	cJSON_AddNumberToObject(d, "storage_bytes", (double)u.storage_bytes);
	if ((rc = record(db, a, admin, "user.delete", &u, d)) != 0 ||
	    (rc = db_query(db, a, NULL, sql_delete, 1, p)) != 0 || (rc = db_commit(db)) != 0)
		goto out;
	/* committed: now the files nobody else uses (a failure leaves an
	 * orphan for media_gc, never a row without its file) */
	for (i = 0; i < files.nrows; i++)
		if (media_release(db, a, media_root, db_val(&files, i, 0)) != 0)
			fprintf(stderr, "media: could not release %s; media_gc will\n",
			        db_val(&files, i, 0));
out:
	db_rollback(db);
	return rc;
}
