/* tagedit.c: the user's side of hashtags (see tagedit.h). */
#include "tagedit.h"
#include "err.h"
#include "i18n.h"
#include "utf8.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X_CHARS_MAX 100 /* X: hashtags take at most this much of a post */

static const char *const platform_names[PLAT__MAX] = {"instagram", "tiktok", "x", "plain"};
static const int platform_caps[PLAT__MAX] = {30, 5, 3, 30};

/* Decode one UTF-8 sequence (already validated) at s; its length in *len. */
static unsigned decode(const unsigned char *s, int *len)
{
	if (s[0] < 0x80)
		return *len = 1, s[0];
	if (s[0] < 0xE0)
		return *len = 2, ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
	if (s[0] < 0xF0)
		return *len = 3, ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
	return *len = 4, ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
	                     (s[3] & 0x3Fu);
}

/* A letter of some script, as far as a hashtag is concerned: everything
 * above Latin-1's symbols except punctuation, symbol and emoji blocks. */
static int is_letter(unsigned c)
{
	if (c < 0x80)
		return (c | 32) >= 'a' && (c | 32) <= 'z';
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFF00 && c <= 0xFF0F) || c >= 0x1F000)
		return 0;
	return 1;
}

int tagedit_clean(struct arena *a, const char *in, const char **out, const char **why)
{
	const unsigned char *s;
	size_t n;
	int letters = 0, len;

	if (in == NULL)
		in = "";
	while (*in == ' ')
		in++;
	if (*in == '#')
		in++;
	n = strlen(in);
	while (n > 0 && in[n - 1] == ' ')
		n--;
	if (n == 0) {
		*why = N_("Type a hashtag.");
		return ERR_INVALID;
	}
	if (n > TAG_MAX - 1) {
		*why = N_("A hashtag can be at most 63 bytes long.");
		return ERR_INVALID;
	}
	if (!utf8_valid(in, n)) {
		*why = N_("A hashtag must be valid UTF-8 text.");
		return ERR_INVALID;
	}
	for (s = (const unsigned char *)in; s < (const unsigned char *)in + n; s += len) {
		unsigned c = decode(s, &len);
		if (is_letter(c))
			letters++;
		else if (!(c >= '0' && c <= '9') && c != '_') {
			*why = N_("A hashtag has only letters, digits and underscores (no spaces, "
			          "no #).");
			return ERR_INVALID;
		}
	}
	if (letters == 0) {
		*why = N_("A hashtag needs at least one letter.");
		return ERR_INVALID;
	}
	*out = arena_strndup(a, in, n);
	return 0;
}

static const char own_sql[] = "SELECT id FROM images WHERE public_id = $1 AND owner_id = $2";

/* The internal id of owner's photo, or ERR_NOTFOUND. */
static int own_image(struct db *db, struct arena *a, const struct user *owner, const char *image_id,
                     const char **id)
{
	char uid[24];
	const char *p[] = {image_id, uid};
	struct db_res res;
	int rc;

	snprintf(uid, sizeof(uid), "%lld", owner->id);
	if ((rc = db_query(db, a, &res, own_sql, 2, p)) != 0)
		return rc;
	if (res.nrows != 1)
		return ERR_NOTFOUND;
	*id = db_val(&res, 0, 0);
	return 0;
}

int tagedit_set_state(struct db *db, struct arena *a, const struct user *owner,
                      const char *image_id, const char *tag, const char *state)
{
	static const char set_sql[] = "UPDATE image_tags SET state = $3"
	                              " WHERE image_id = $1 AND lower(tag) = lower($2)"
	                              " RETURNING lower(tag)";
	static const char remember_sql[] = "INSERT INTO user_rejected_tags (user_id, tag_lower) "
	                                   "VALUES ($1, $2) ON CONFLICT DO NOTHING";
	static const char forget_sql[] =
	    "DELETE FROM user_rejected_tags WHERE user_id = $1 AND tag_lower = $2";
	struct db_res res;
	const char *id;
	char uid[24];
	int rc;

	if (strcmp(state, "accepted") != 0 && strcmp(state, "rejected") != 0)
		return ERR_INVALID;
	snprintf(uid, sizeof(uid), "%lld", owner->id);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = own_image(db, a, owner, image_id, &id)) != 0)
		goto out;
	{
		const char *p[] = {id, tag, state};
		if ((rc = db_query(db, a, &res, set_sql, 3, p)) != 0)
			goto out;
	}
	if (res.nrows != 1) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	{
		const char *p[] = {uid, db_val(&res, 0, 0)};
		rc = db_query(db, a, NULL, state[0] == 'r' ? remember_sql : forget_sql, 2, p);
		if (rc != 0)
			goto out;
	}
	rc = db_commit(db);
out:
	db_rollback(db);
	return rc;
}

int tagedit_add(struct db *db, struct arena *a, const struct user *owner, const char *image_id,
                const char *tag, const char **why)
{
	static const char add_sql[] =
	    "INSERT INTO image_tags (image_id, tag, confidence, source, rank, state, reason)"
	    " SELECT $1, $2, 1, 'user', coalesce(max(rank), 0) + 1, 'added', $3"
	    " FROM image_tags WHERE image_id = $1 ON CONFLICT DO NOTHING RETURNING tag";
	static const char accept_sql[] = "UPDATE image_tags SET state = 'accepted' WHERE image_id "
	                                 "= $1 AND lower(tag) = lower($2)"
	                                 " AND state IN ('suggested', 'rejected')";
	static const char forget_sql[] =
	    "DELETE FROM user_rejected_tags WHERE user_id = $1 AND tag_lower = lower($2)";
	struct db_res res;
	const char *id, *clean;
	char uid[24];
	int rc, had;

	if ((rc = tagedit_clean(a, tag, &clean, why)) != 0)
		return rc;
	snprintf(uid, sizeof(uid), "%lld", owner->id);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = own_image(db, a, owner, image_id, &id)) != 0)
		goto out;
	{
		/* stored in English like every reason, translated when shown */
		const char *p[] = {id, clean, NC_("reason", "added by you")};
		const char *pf[] = {uid, clean};
		if ((rc = db_query(db, a, &res, add_sql, 3, p)) != 0)
			goto out;
		/* the photo has it already: choosing it is what was meant */
		had = res.nrows == 0;
		if ((had && (rc = db_query(db, a, NULL, accept_sql, 2, p)) != 0) ||
		    (rc = db_query(db, a, NULL, forget_sql, 2, pf)) != 0 ||
		    (rc = db_commit(db)) != 0)
			goto out;
		rc = had ? ERR_CONFLICT : 0;
	}
out:
	db_rollback(db);
	return rc;
}

int tagedit_order(struct db *db, struct arena *a, const struct user *owner, const char *image_id,
                  const char *const *tags, int n)
{
	static const char order_sql[] =
	    "UPDATE image_tags t SET rank = o.r FROM (SELECT tag, row_number() OVER (ORDER BY"
	    "  coalesce(array_position(ARRAY(SELECT lower(v) FROM "
	    "jsonb_array_elements_text($2::jsonb)"
	    "  AS e(v)), lower(tag)), 1000000), rank, tag) AS r"
	    "  FROM image_tags WHERE image_id = $1) o"
	    " WHERE t.image_id = $1 AND t.tag = o.tag";
	cJSON *arr = cJSON_CreateArray();
	const char *id;
	char *json = NULL;
	int i, rc;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(tags[i]));
	json = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	if (json == NULL)
		return ERR_NOMEM;
	rc = own_image(db, a, owner, image_id, &id);
	if (rc == 0) {
		const char *p[] = {id, json};
		rc = db_query(db, a, NULL, order_sql, 2, p);
	}
	cJSON_free(json);
	return rc;
}

int tagedit_platform(const char *name)
{
	for (int i = 0; name != NULL && i < PLAT__MAX; i++)
		if (strcmp(name, platform_names[i]) == 0)
			return i;
	return -1;
}

const char *tagedit_platform_name(enum platform p)
{
	return platform_names[p];
}

int tagedit_platform_cap(enum platform p)
{
	return platform_caps[p];
}

/* A JSON array of strings into list (at most PREFS_LIST_MAX, arena). */
static int read_list(struct arena *a, const cJSON *arr, const char **list)
{
	const cJSON *e;
	int n = 0;

	cJSON_ArrayForEach(e, arr)
	{
		if (cJSON_IsString(e) && n < PREFS_LIST_MAX)
			list[n++] = arena_strdup(a, e->valuestring);
	}
	return n;
}

int tagedit_prefs_get(struct db *db, struct arena *a, const struct user *u, enum tag_lang dflt,
                      struct prefs *p)
{
	static const char sql[] = "SELECT prefs::text, locale FROM users WHERE id = $1";
	struct db_res res;
	char uid[24];
	const char *par[] = {uid};
	cJSON *j, *v;
	int rc;

	memset(p, 0, sizeof(*p));
	p->platform = PLAT_INSTAGRAM;
	p->max = 30;
	p->lang = dflt;
	snprintf(uid, sizeof(uid), "%lld", u->id);
	if ((rc = db_query(db, a, &res, sql, 1, par)) != 0)
		return rc;
	if (res.nrows != 1)
		return ERR_NOTFOUND;
	p->locale = db_val(&res, 0, 1);
	j = cJSON_Parse(db_val(&res, 0, 0));
	if ((v = cJSON_GetObjectItem(j, "platform")) && tagedit_platform(v->valuestring) >= 0)
		p->platform = (enum platform)tagedit_platform(v->valuestring);
	if ((v = cJSON_GetObjectItem(j, "case")) && cJSON_IsString(v))
		p->camel = strcmp(v->valuestring, "camel") == 0;
	if ((v = cJSON_GetObjectItem(j, "max")) && cJSON_IsNumber(v) && v->valueint >= 1 &&
	    v->valueint <= 30)
		p->max = v->valueint;
	if ((v = cJSON_GetObjectItem(j, "hashtag_lang")) && cJSON_IsString(v))
		p->lang = strcmp(v->valuestring, "both") == 0 ? LANG_BOTH
		          : strcmp(v->valuestring, "es") == 0 ? LANG_ES
		                                              : LANG_EN;
	p->nalways = read_list(a, cJSON_GetObjectItem(j, "always"), p->always);
	p->nbanned = read_list(a, cJSON_GetObjectItem(j, "banned"), p->banned);
	cJSON_Delete(j);
	return 0;
}

/* "a, #b c" -> a JSON array of clean tags; ERR_INVALID with *why. */
static int parse_list(struct arena *a, const char *text, cJSON *arr, const char **why)
{
	char *copy = arena_strdup(a, text), *save = NULL, *w;
	const char *clean;
	int n = 0, rc;

	for (w = strtok_r(copy, " ,\t\r\n", &save); w; w = strtok_r(NULL, " ,\t\r\n", &save)) {
		if ((rc = tagedit_clean(a, w, &clean, why)) != 0)
			return rc;
		if (++n > PREFS_LIST_MAX) {
			*why = N_("At most 30 hashtags here.");
			return ERR_INVALID;
		}
		cJSON_AddItemToArray(arr, cJSON_CreateString(clean));
	}
	return 0;
}

/* The fields of f that must be one of a few words: NULL when all are. */
static const char *bad_choice(const struct prefs_form *f, const char **why)
{
	if (f->platform != NULL && tagedit_platform(f->platform) < 0)
		return *why = N_("Choose Instagram, TikTok, X or plain."), "platform";
	if (f->tcase != NULL && strcmp(f->tcase, "lower") != 0 && strcmp(f->tcase, "camel") != 0)
		return *why = N_("Choose lowercase or CamelCase."), "case";
	if (f->lang != NULL && strcmp(f->lang, "en") != 0 && strcmp(f->lang, "es") != 0 &&
	    strcmp(f->lang, "both") != 0)
		return *why = N_("Choose English, Spanish or both."), "lang";
	if (f->locale != NULL && strcmp(f->locale, "auto") != 0 && !i18n_is_code(f->locale))
		return *why = N_("Choose auto, en or es."), "locale";
	return NULL;
}

int tagedit_prefs_set(struct db *db, struct arena *a, const struct user *u,
                      const struct prefs_form *f, const char **field, const char **why)
{
	static const char sql[] =
	    "UPDATE users SET prefs = prefs || $2::jsonb,"
	    " locale = CASE $3::text WHEN '' THEN locale WHEN 'auto' THEN NULL ELSE $3 END"
	    " WHERE id = $1";
	cJSON *j = cJSON_CreateObject();
	char uid[24], *json = NULL, *end;
	int rc = ERR_INVALID;
	long m;

	if ((*field = bad_choice(f, why)) != NULL)
		goto out;
	if (f->max != NULL) {
		m = strtol(f->max, &end, 10);
		if (*f->max == '\0' || *end != '\0' || m < 1 || m > 30) {
			*field = "max", *why = N_("Choose a number from 1 to 30.");
			goto out;
		}
		cJSON_AddNumberToObject(j, "max", (double)m);
	}
	if (f->platform != NULL)
		cJSON_AddStringToObject(j, "platform", f->platform);
	if (f->tcase != NULL)
		cJSON_AddStringToObject(j, "case", f->tcase);
	if (f->lang != NULL)
		cJSON_AddStringToObject(j, "hashtag_lang", f->lang);
	if (f->always != NULL &&
	    parse_list(a, f->always, cJSON_AddArrayToObject(j, "always"), why) != 0) {
		*field = "always";
		goto out;
	}
	if (f->banned != NULL &&
	    parse_list(a, f->banned, cJSON_AddArrayToObject(j, "banned"), why) != 0) {
		*field = "banned";
		goto out;
	}
	json = cJSON_PrintUnformatted(j);
	snprintf(uid, sizeof(uid), "%lld", u->id);
	{
		const char *p[] = {uid, json, f->locale ? f->locale : ""};
		rc = json != NULL ? db_query(db, a, NULL, sql, 3, p) : ERR_NOMEM;
	}
out:
	cJSON_free(json);
	cJSON_Delete(j);
	return rc;
}

static int listed(const char *const *list, int n, const char *tag)
{
	for (int i = 0; i < n; i++)
		if (strcasecmp(list[i], tag) == 0)
			return 1;
	return 0;
}

/* Append tag (formatted) unless banned, already there or over the limits. */
static void put(const struct prefs *p, enum platform plat, const char *t, const char **seen,
                int *nseen, int cap, char *out, size_t *len)
{
	char f[TAG_MAX + 2];
	size_t fl;

	if (*nseen >= cap || listed(p->banned, p->nbanned, t) || listed(seen, *nseen, t))
		return;
	tag_format(t, !p->camel, f, sizeof(f));
	fl = strlen(f);
	if (plat == PLAT_X && *len + fl + (*len > 0) > X_CHARS_MAX)
		return;
	if (*len > 0)
		out[(*len)++] = ' ';
	memcpy(out + *len, f, fl + 1);
	*len += fl;
	seen[(*nseen)++] = t;
}

const char *tagedit_copy_text(struct arena *a, const struct prefs *p, enum platform plat,
                              const char *const *chosen, int n)
{
	const char *seen[PREFS_LIST_MAX + 32];
	int cap = p->max < platform_caps[plat] ? p->max : platform_caps[plat];
	int nseen = 0, keep = 0, i;
	size_t len = 0;
	char *out = arena_alloc(a, (size_t)cap * (TAG_MAX + 2) + 1);

	out[0] = '\0';
	/* room for the always-include hashtags first, then the chosen ones */
	for (i = 0; i < p->nalways; i++)
		keep += !listed(p->banned, p->nbanned, p->always[i]) &&
		        !listed(p->always, i, p->always[i]);
	keep = keep < cap ? keep : cap;
	for (i = 0; i < n; i++)
		if (!listed(p->always, p->nalways, chosen[i]))
			put(p, plat, chosen[i], seen, &nseen, cap - keep, out, &len);
	for (i = 0; i < p->nalways; i++)
		put(p, plat, p->always[i], seen, &nseen, cap, out, &len);
	return out;
}
