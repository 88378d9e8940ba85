/* fuzz-jwt.c: bearer credentials. The first byte picks what the rest is:
 * 0 an access token verified under a fixed key at a fixed time (a token
 * that passes is signed again and must verify to the same claims); 1 the
 * claims of a token to sign, which must verify back unchanged; 2 a scope
 * list (personal tokens), which must survive names -> parse; 3 base64url or
 * standard base64 (refresh and personal tokens, ids), which must decode to
 * bytes that encode back to the same text. */
#include "apiauth.h"
#include "arena.h"
#include "err.h"
#include "jwt.h"
#include "token.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1900000000LL

static const char key[] = "fuzz-fuzz-fuzz-fuzz-fuzz-fuzz-32";

static int same(const struct jwt_claims *a, const struct jwt_claims *b)
{
	return strcmp(a->sub, b->sub) == 0 && strcmp(a->jti, b->jti) == 0 && a->iat == b->iat &&
	       a->exp == b->exp;
}

static void verify(const char *tok)
{
	struct jwt_claims c, again;
	char out[JWT_MAX + 1];

	if (jwt_verify(key, sizeof(key) - 1, tok, NOW, &c) != 0)
		return;
	if (c.sub[0] == '\0' || c.jti[0] == '\0' || c.exp <= NOW || c.iat > NOW + 60)
		abort();
	if (jwt_sign(key, sizeof(key) - 1, &c, out) == 0 &&
	    (jwt_verify(key, sizeof(key) - 1, out, NOW, &again) != 0 || !same(&c, &again)))
		abort();
}

/* iat, exp from two bytes; sub and jti from the rest, split at the first NUL. */
static void sign(const uint8_t *d, size_t n)
{
	struct jwt_claims c = {0}, back;
	char out[JWT_MAX + 1];
	const char *s = (const char *)d + 2, *nul;
	size_t len;

	if (n < 2)
		return;
	c.iat = NOW - 1000LL * d[0];
	c.exp = NOW + 1 + 100LL * d[1];
	n -= 2;
	nul = memchr(s, '\0', n);
	len = nul ? (size_t)(nul - s) : n;
	if (len > JWT_SUB_MAX || (nul && n - len - 1 > JWT_SUB_MAX))
		return;
	memcpy(c.sub, s, len);
	if (nul)
		memcpy(c.jti, nul + 1, n - len - 1);
	if (c.sub[0] == '\0' || c.jti[0] == '\0' || jwt_sign(key, sizeof(key) - 1, &c, out) != 0)
		return;
	if (strlen(out) > JWT_MAX || jwt_verify(key, sizeof(key) - 1, out, NOW, &back) != 0 ||
	    !same(&c, &back))
		abort(); /* a signed token must carry exactly its claims */
}

static void scopes(const char *list)
{
	struct arena a;
	const char *why, **names;
	char joined[64];
	unsigned mask, again;
	size_t at = 0;

	arena_init(&a, 1);
	if (scopes_parse(&a, list, &mask, &why) == 0) {
		if (mask == 0 || mask > 0xf || why == NULL)
			abort();
		names = scopes_names(&a, mask);
		joined[0] = '\0';
		for (int i = 0; names[i]; i++)
			at += (size_t)snprintf(joined + at, sizeof(joined) - at, "%s%s",
			                       i ? "," : "", names[i]);
		if (scopes_parse(&a, joined, &again, &why) != 0 || again != mask)
			abort();
	} else if (why == NULL) {
		abort();
	}
	arena_free(&a);
}

static void base64(const char *s)
{
	unsigned char raw[JWT_MAX];
	char back[JWT_MAX * 2];
	size_t len, n = strlen(s);

	if (b64url_decode(s, raw, sizeof(raw), &len) == 0) {
		b64url_encode(raw, len, back);
		if (strcmp(back, s) != 0 || b64url_len(len) != n)
			abort();
		if (public_id_valid(s) != (len == 12 && n == PUBLIC_ID_LEN))
			abort();
	}
	if (b64std_decode(s, n, raw, sizeof(raw), &len) == 0) {
		b64std_encode(raw, len, back);
		if (strlen(back) != n || memcmp(back, s, n) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || crypto_init() != 0)
		return 0;
	s = strndup((const char *)data + 1, size - 1);
	switch (data[0] & 3) {
	case 0: verify(s); break;
	case 1: sign(data + 1, size - 1); break;
	case 2: scopes(s); break;
	default: base64(s); break;
	}
	free(s);
	return 0;
}
