/* fuzz-cookie.c: Cookie headers. The input (up to its first NUL, as a
 * header value is a C string) is parsed under the request limits and under
 * tight ones; every pair must be trimmed, unquoted, within the limits and
 * free of separators. The arena gets one malloc per allocation so ASan
 * sees overruns. */
#include "arena.h"
#include "err.h"
#include "kv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

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
		if (strpbrk(kv->name, ";=") != NULL || strchr(kv->value, ';') != NULL)
			abort();
		if (blank(kv->name[0]) || blank(kv->name[nl - 1]))
			abort();
		if (kv_get(l, kv->name) == NULL)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kv_limits request = {32, 64, 4096}, tight = {2, 4, 8};
	static const struct kv_limits *lims[] = {&request, &tight};
	char *h = strndup((const char *)data, size);
	struct arena a;

	arena_init(&a, 1);
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		struct kv_list l;
		int rc = kv_parse_cookies(&a, h, lims[i], &l);
		if (rc != 0 && rc != ERR_LIMIT)
			abort();
		if (rc == 0)
			check(&l, lims[i]);
	}
	arena_free(&a);
	free(h);
	return 0;
}
