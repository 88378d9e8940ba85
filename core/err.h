/* err.h: the error codes every core function returns (0 or negative).
 * fcgi/respond.c (http_status) maps them to HTTP status codes in one place. */
#ifndef HT_ERR_H
#define HT_ERR_H

enum err {
	ERR_OK = 0,
	ERR_NOTFOUND = -1,    /* no such row / resource */
	ERR_INVALID = -2,     /* input fails validation */
	ERR_CONFLICT = -3,    /* unique constraint, duplicate */
	ERR_FORBIDDEN = -4,   /* authenticated but not allowed */
	ERR_DB = -5,          /* database failure (logged, never shown) */
	ERR_IO = -6,          /* filesystem failure */
	ERR_NOMEM = -7,       /* allocation failed */
	ERR_LIMIT = -8,       /* size/count limit exceeded */
	ERR_UNAVAILABLE = -9, /* dependency down (database unreachable) */
	ERR_THROTTLED = -10,  /* too many attempts */
	ERR_AUTH = -11,       /* bad credentials / not logged in */
	ERR_TYPE = -12,       /* a file of a type we do not accept */
	ERR_BADDATA = -13,    /* a file of the right type that cannot be used */
	ERR_QUOTA = -14,      /* the user's storage quota is used up */
	ERR_NOSPACE = -15,    /* the server's disk is full */
	ERR_GONE = -16,       /* a one-time link already used, or expired */
};

/* Short English name of an error code, for logs. Static storage. */
const char *err_name(int e);

#endif
