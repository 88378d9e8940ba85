/* jwt.h: HS256 JSON Web Tokens (RFC 7519) — the short-lived API access
 * tokens. Only the header {"alg":"HS256","typ":"JWT"} is made or accepted:
 * "none" and every other algorithm are refused before anything else is
 * believed; the signature is compared in constant time, then exp. */
#ifndef HT_JWT_H
#define HT_JWT_H

#include <stddef.h>

#define JWT_MAX 512    /* longest token made or accepted */
#define JWT_SUB_MAX 64 /* subject: a user's public id */
#define JWT_KEY_MIN 32 /* bytes of secret */

struct jwt_claims {
	char sub[JWT_SUB_MAX + 1];
	char jti[JWT_SUB_MAX + 1];
	long long iat, exp; /* seconds since the epoch */
};

/* Sign c under key into out (JWT_MAX + 1 bytes). 0 or ERR_INVALID. */
int jwt_sign(const void *key, size_t keylen, const struct jwt_claims *c, char out[JWT_MAX + 1]);

/* Check tok under key at time now: 0 with *c filled, ERR_AUTH when it is
 * malformed, not HS256, badly signed, expired or issued in the future. */
int jwt_verify(const void *key, size_t keylen, const char *tok, long long now,
               struct jwt_claims *c);

#endif
