/* tagedit.h: the user's side of hashtags — accept, reject, add, remove and
 * order the hashtags of their own photos, preferences, and the text copied
 * for a platform. Rejected hashtags are remembered per user and never
 * suggested to them again (tagd leaves them out). Only the owner edits. */
#ifndef HT_TAGEDIT_H
#define HT_TAGEDIT_H

#include "arena.h"
#include "db.h"
#include "hashtags.h"
#include "users.h"

#define PREFS_LIST_MAX 30 /* always-include / banned entries */

enum platform { PLAT_INSTAGRAM, PLAT_TIKTOK, PLAT_X, PLAT_PLAIN, PLAT__MAX };

struct prefs {
	enum platform platform;
	int camel;          /* 1: #CamelCase, 0: #lowercase */
	int max;            /* hashtags copied at most (1..30) */
	enum tag_lang lang; /* of the hashtags */
	const char *locale; /* of the interface, as chosen: "en", "es", NULL (the browser's) */
	const char *always[PREFS_LIST_MAX];
	int nalways;
	const char *banned[PREFS_LIST_MAX];
	int nbanned;
};

/* Check a hashtag a person typed: one leading '#' allowed, then 1..63
 * bytes of letters (any script), digits and '_', at least one letter.
 * *out is the tag without '#' (arena). ERR_INVALID with *why otherwise. */
int tagedit_clean(struct arena *a, const char *in, const char **out, const char **why);

/* Set a hashtag of owner's photo to "accepted" or "rejected" (a rejection
 * is remembered for the user). ERR_NOTFOUND when the photo is not owner's
 * or has no such hashtag; ERR_INVALID for another state. */
int tagedit_set_state(struct db *db, struct arena *a, const struct user *owner,
                      const char *image_id, const char *tag, const char *state);
/* Add the user's own hashtag (state "added", source "user"), after the
 * chosen ones; forgets an earlier rejection of it. ERR_CONFLICT when the
 * photo already has it (it is then accepted instead). */
int tagedit_add(struct db *db, struct arena *a, const struct user *owner, const char *image_id,
                const char *tag, const char **why);
/* Put the listed hashtags first, in this order (others keep their order
 * after them). Unknown tags in the list are ignored. */
int tagedit_order(struct db *db, struct arena *a, const struct user *owner, const char *image_id,
                  const char *const *tags, int n);

/* The user's preferences, defaults filled in; the hashtag language, when
 * they chose none, is dflt (the language of the interface they see). */
int tagedit_prefs_get(struct db *db, struct arena *a, const struct user *u, enum tag_lang dflt,
                      struct prefs *p);

/* Preferences as the form or the API sends them; NULL: unchanged. */
struct prefs_form {
	const char *platform, *tcase, *max;
	const char *always, *banned; /* hashtags separated by spaces or commas */
	const char *lang;            /* of the hashtags: "en", "es", "both" */
	const char *locale;          /* of the interface: "en", "es", "auto" (the browser's) */
};
/* Validate and store them, all or nothing. ERR_INVALID with *field and
 * *why (an English sentence marked for the catalog). */
int tagedit_prefs_set(struct db *db, struct arena *a, const struct user *u,
                      const struct prefs_form *f, const char **field, const char **why);

/* Platform by name ("instagram", "tiktok", "x", "plain"); -1 if unknown. */
int tagedit_platform(const char *name);
const char *tagedit_platform_name(enum platform p);
/* How many hashtags a platform takes: Instagram 30, TikTok 5, X 3, plain 30. */
int tagedit_platform_cap(enum platform p);

/* The text to paste on a platform: the chosen tags (in order), then the
 * always-include ones, minus banned, no duplicates (case-insensitive),
 * formatted per prefs, at most min(prefs max, platform cap); for X also
 * at most 100 characters. Space-separated, arena-owned. */
const char *tagedit_copy_text(struct arena *a, const struct prefs *p, enum platform plat,
                              const char *const *chosen, int n);

#endif
