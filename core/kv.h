/* kv.h: name/value lists from query strings, urlencoded bodies and Cookie
 * headers, parsed with limits. Everything is copied into the arena. */
#ifndef HT_KV_H
#define HT_KV_H

#include "arena.h"

#include <stddef.h>

struct kv {
	const char *name;
	const char *value; /* NUL-terminated; decoded values never contain NUL */
	size_t vlen;
};

struct kv_list {
	struct kv *items; /* arena-owned */
	int n;
};

struct kv_limits {
	int max_pairs;
	size_t max_name;
	size_t max_value;
};

/* Parse "a=1&b=%20x+y". '+' is a space; %XX is decoded. Empty pairs are
 * skipped. Returns 0, ERR_LIMIT (too many pairs, name or value too long) or
 * ERR_INVALID (bad %-escape, a NUL raw or decoded). */
int kv_parse_urlencoded(struct arena *a, const char *s, size_t n, const struct kv_limits *lim,
                        struct kv_list *out);

/* Parse a Cookie header "a=1; b=2" (values taken literally, optional
 * double quotes removed). Malformed pairs are skipped, as browsers do.
 * Returns 0 or ERR_LIMIT. */
int kv_parse_cookies(struct arena *a, const char *header, const struct kv_limits *lim,
                     struct kv_list *out);

/* First value for name, or NULL. */
const char *kv_get(const struct kv_list *l, const char *name);
/* Number of pairs named name. */
int kv_count(const struct kv_list *l, const char *name);

#endif
