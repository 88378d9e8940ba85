/* kv.c: urlencoded and cookie parsing (see kv.h). */
#include "kv.h"
#include "err.h"

#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) into a new arena string; *outlen gets its length. A NUL,
 * raw (a body is not a C string) or %00, is ERR_INVALID. */
static int decode(struct arena *a, const char *s, size_t n, char **out, size_t *outlen)
{
	char *d = arena_alloc(a, n + 1);
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[j++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;
			if (n - i < 3)
				return ERR_INVALID;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return ERR_INVALID;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '\0') {
			return ERR_INVALID;
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	*out = d;
	*outlen = j;
	return 0;
}

static struct kv *push(struct arena *a, struct kv_list *out, int cap)
{
	if (out->items == NULL)
		out->items = arena_calloc(a, (size_t)cap, sizeof(struct kv));
	return &out->items[out->n++];
}

int kv_parse_urlencoded(struct arena *a, const char *s, size_t n, const struct kv_limits *lim,
                        struct kv_list *out)
{
	size_t pos = 0;

	out->items = NULL;
	out->n = 0;
	while (pos < n) {
		const char *pair = s + pos, *amp = memchr(pair, '&', n - pos), *eq;
		size_t plen = amp ? (size_t)(amp - pair) : n - pos, nlen, vlen;
		char *name, *value;
		struct kv *kv;
		int rc;

		pos += plen + 1;
		if (plen == 0)
			continue;
		if (out->n >= lim->max_pairs)
			return ERR_LIMIT;
		eq = memchr(pair, '=', plen);
		nlen = eq ? (size_t)(eq - pair) : plen;
		vlen = eq ? plen - nlen - 1 : 0;
		/* encoded lengths bound the decoded ones from above by 3x */
		if (nlen > lim->max_name * 3 || vlen > lim->max_value * 3)
			return ERR_LIMIT;
		if ((rc = decode(a, pair, nlen, &name, &nlen)) != 0)
			return rc;
		if ((rc = decode(a, eq ? eq + 1 : pair + plen, vlen, &value, &vlen)) != 0)
			return rc;
		if (nlen == 0)
			continue;
		if (nlen > lim->max_name || vlen > lim->max_value)
			return ERR_LIMIT;
		kv = push(a, out, lim->max_pairs);
		kv->name = name;
		kv->value = value;
		kv->vlen = vlen;
	}
	return 0;
}

int kv_parse_cookies(struct arena *a, const char *h, const struct kv_limits *lim,
                     struct kv_list *out)
{
	out->items = NULL;
	out->n = 0;
	while (*h) {
		const char *start, *eq, *end;
		size_t nlen, vlen;
		struct kv *kv;

		while (*h == ' ' || *h == '\t' || *h == ';')
			h++;
		if (*h == '\0')
			break;
		start = h;
		end = strchr(h, ';');
		if (end == NULL)
			end = h + strlen(h);
		h = end;
		eq = memchr(start, '=', (size_t)(end - start));
		if (eq == NULL || eq == start)
			continue;
		nlen = (size_t)(eq - start);
		while (nlen > 0 && (start[nlen - 1] == ' ' || start[nlen - 1] == '\t'))
			nlen--;
		eq++;
		while (eq < end && (*eq == ' ' || *eq == '\t'))
			eq++;
		vlen = (size_t)(end - eq);
		while (vlen > 0 && (eq[vlen - 1] == ' ' || eq[vlen - 1] == '\t'))
			vlen--;
		if (vlen >= 2 && eq[0] == '"' && eq[vlen - 1] == '"')
			eq++, vlen -= 2;
		if (nlen == 0 || nlen > lim->max_name || vlen > lim->max_value)
			continue; /* a foreign oversized cookie must not lock users out */
		if (out->n >= lim->max_pairs)
			return ERR_LIMIT;
		kv = push(a, out, lim->max_pairs);
		kv->name = arena_strndup(a, start, nlen);
		kv->value = arena_strndup(a, eq, vlen);
		kv->vlen = vlen;
	}
	return 0;
}

const char *kv_get(const struct kv_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

int kv_count(const struct kv_list *l, const char *name)
{
	int c = 0;

	for (int i = 0; i < l->n; i++)
		c += strcmp(l->items[i].name, name) == 0;
	return c;
}
