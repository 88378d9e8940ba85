/* validate.h: the validators that route parameter declarations refer to.
 * A handler only ever sees values that passed one of these. */
#ifndef HT_VALIDATE_H
#define HT_VALIDATE_H

#include <stddef.h>

enum vkind {
	V_TEXT,     /* UTF-8, tabs/newlines allowed, no other controls */
	V_LINE,     /* UTF-8, one line, no controls */
	V_PASSWORD, /* UTF-8, no controls; spaces allowed (passphrases) */
	V_TOKEN,    /* base64url characters only */
	V_FLAG,     /* "yes", "on", "1", "true" (checkbox) */
	V_PATH,     /* local absolute path: "/..." but not "//" or "/\" */
	V_DATE,     /* a real day as YYYY-MM-DD (1970..9999), or empty */
	V_UINT,     /* decimal digits, or empty */
	V__MAX
};

/* 0 when v (length n, at most max bytes) is acceptable for kind, else
 * ERR_INVALID with *reason a static English sentence and printf format
 * whose one %s is the field's name ("The field \"%s\" is too long."),
 * marked for the catalog: translate it, then fill in the name. */
int validate_value(enum vkind kind, const char *v, size_t n, size_t max, const char **reason);

/* 1 when v (length n) is a day that exists, as YYYY-MM-DD, 1970..9999
 * (2024-02-29 yes, 2026-02-30 no). */
int validate_day(const char *v, size_t n);

#endif
