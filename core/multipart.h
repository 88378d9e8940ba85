/* multipart.h: streaming multipart/form-data parser (RFC 7578). The body is
 * fed in chunks of any size; part headers are parsed with limits and part
 * data is handed to callbacks as it arrives, so a 25 MB file never sits in
 * memory. Field and file names are only reported, never interpreted. */
#ifndef HT_MULTIPART_H
#define HT_MULTIPART_H

#include <stddef.h>

#define MP_BOUNDARY_MAX 70 /* RFC 2046 */
#define MP_LINE_MAX 1024   /* longest part header line accepted */
#define MP_NAME_MAX 256    /* longest field name or filename accepted */

struct mp_part {
	char name[MP_NAME_MAX + 1];
	char filename[MP_NAME_MAX + 1]; /* raw, as sent; display text only */
	char ctype[128];
	int is_file; /* a filename parameter was present */
};

struct mp_callbacks {
	/* Each returns 0 to go on, or an enum err to stop the parse. */
	int (*part_begin)(void *user, const struct mp_part *part);
	int (*part_data)(void *user, const char *data, size_t n);
	int (*part_end)(void *user);
};

struct mp_limits {
	int max_parts;   /* parts in one body */
	int max_headers; /* header lines in one part */
};

enum mp_state {
	MP_PREAMBLE,
	MP_AFTER_DELIM,
	MP_AFTER_DASH,
	MP_DELIM_LWS,
	MP_DELIM_CR,
	MP_HEADERS,
	MP_BODY,
	MP_EPILOGUE,
	MP_FAILED
};

struct mp_parser {
	const struct mp_callbacks *cb;
	void *user;
	struct mp_limits lim;
	char delim[MP_BOUNDARY_MAX + 5]; /* "\r\n--" boundary */
	size_t delim_len;
	size_t matched; /* bytes of delim matched so far */
	enum mp_state state;
	int parts, headers;
	char line[MP_LINE_MAX + 1];
	size_t line_len;
	struct mp_part part;
	const char *why; /* static reason after a failure */
};

/* Prepare a parser for the body of a request with this Content-Type.
 * Returns 0, or ERR_INVALID (not multipart/form-data, bad or missing
 * boundary) with p->why set. */
int mp_init(struct mp_parser *p, const char *content_type, const struct mp_limits *lim,
            const struct mp_callbacks *cb, void *user);
/* Feed the next n bytes. Returns 0, ERR_INVALID (malformed), ERR_LIMIT
 * (a limit was exceeded) with p->why set, or the error a callback returned. */
int mp_feed(struct mp_parser *p, const char *data, size_t n);
/* The body is complete: 0 when the closing delimiter was seen. */
int mp_finish(struct mp_parser *p);

#endif
