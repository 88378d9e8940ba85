/* i18n-int.h: what i18n.c and i18n-text.c share: the parsed catalog and
 * printf conversion specifications. Not for use outside core/i18n*.c. */
#ifndef HT_I18N_INT_H
#define HT_I18N_INT_H

#include "i18n.h"

#include <stddef.h>

/* One message: original (after "ctx\004", singular part) and translation
 * (NUL-separated forms), both inside the catalog's copy of the file. */
struct i18n_msg {
	const char *key;    /* "ctx\004msgid" or "msgid", NUL-terminated */
	const char *id;     /* msgid, inside key */
	const char *plural; /* msgid_plural or NULL */
	const char *str;    /* first form */
	size_t str_len;     /* all forms with their separating NULs */
};

enum plural_rule { PLURAL_NE1, PLURAL_GT1, PLURAL_NONE };

struct i18n_cat {
	char *data;
	size_t len;
	struct i18n_msg *msg; /* sorted by key (strcmp), header excluded */
	size_t n;
	enum plural_rule plural;
	/* messages whose msgid has printf conversions, for i18n_text (no
	 * context) and i18n_reason (context "reason"); indexes into msg */
	size_t *pat, npat, *reason, nreason;
};

/* One printf conversion specification. */
struct i18n_spec {
	size_t len;   /* bytes from the '%' to the conversion character, inclusive */
	int pos;      /* n of "%n$...", else 0 */
	int stars;    /* '*' width/precision arguments (ints) before the value */
	char type[4]; /* argument class: "i", "li", "lli", "zi", "s", "f", "p"; "" for %% */
};

/* Parse the conversion starting at s[0] == '%'. 0 when it is not one we
 * understand (then the string is not treated as a format). */
int i18n_spec_parse(const char *s, struct i18n_spec *sp);
/* Does translation tr use the arguments of msgid (a format string) the same
 * way: every conversion of tr takes an argument msgid has at that place,
 * with the same type? Strings without conversions always match. */
int i18n_format_ok(const char *msgid, const char *tr);
/* Does the msgid have a conversion (not just %%)? */
int i18n_has_conversion(const char *msgid);

#endif
