/* fuzz-urlencoded.c: query strings and form bodies. The input is parsed
 * under the request limits and under tight ones; a parsed list must keep
 * kv.h's promises, and encoding it again must parse back to the same list.
 * The arena gets one malloc per allocation so ASan sees overruns. */
#include "arena.h"
#include "buf.h"
#include "err.h"
#include "kv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(const struct kv_list *l, const struct kv_limits *lim)
{
	if (l->n > lim->max_pairs)
		abort();
	for (int i = 0; i < l->n; i++) {
		const struct kv *kv = &l->items[i];
		size_t nl = strlen(kv->name);
		if (nl == 0 || nl > lim->max_name || kv->vlen > lim->max_value ||
		    strlen(kv->value) != kv->vlen)
			abort();
		if (kv_get(l, kv->name) == NULL || kv_count(l, kv->name) < 1)
			abort();
	}
}

static void encode(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c) != NULL)
			buf_putc(b, (char)c);
		else if (c == ' ')
			buf_putc(b, '+');
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* Encode l again and parse it: the same pairs must come back. */
static void round_trip(struct arena *a, const struct kv_list *l, const struct kv_limits *lim)
{
	struct buf b = {0};
	struct kv_list again;

	for (int i = 0; i < l->n; i++) {
		if (i > 0)
			buf_putc(&b, '&');
		encode(&b, l->items[i].name, strlen(l->items[i].name));
		buf_putc(&b, '=');
		encode(&b, l->items[i].value, l->items[i].vlen);
	}
	if (kv_parse_urlencoded(a, b.data ? b.data : "", b.len, lim, &again) != 0 ||
	    again.n != l->n)
		abort();
	for (int i = 0; i < l->n; i++)
		if (strcmp(again.items[i].name, l->items[i].name) != 0 ||
		    again.items[i].vlen != l->items[i].vlen ||
		    memcmp(again.items[i].value, l->items[i].value, l->items[i].vlen) != 0)
			abort();
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kv_limits request = {64, 64, 64 * 1024}, tight = {4, 8, 16};
	static const struct kv_limits *lims[] = {&request, &tight};
	struct arena a;

	arena_init(&a, 1);
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		struct kv_list l;
		int rc = kv_parse_urlencoded(&a, (const char *)data, size, lims[i], &l);
		if (rc != 0 && rc != ERR_LIMIT && rc != ERR_INVALID)
			abort();
		if (rc == 0) {
			check(&l, lims[i]);
			round_trip(&a, &l, lims[i]);
		}
	}
	arena_free(&a);
	return 0;
}
