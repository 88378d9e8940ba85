/* token.h: random tokens, public ids, hashing and encodings (libgcrypt). */
#ifndef HT_TOKEN_H
#define HT_TOKEN_H

#include <stddef.h>

#define TOKEN_STR_LEN 43 /* 32 random bytes as base64url */
#define PUBLIC_ID_LEN 16 /* 12 random bytes as base64url */

/* Initialise libgcrypt once per process. 0, or ERR_INVALID when too old. */
int crypto_init(void);

/* n bytes from the strong random generator. */
void token_random(unsigned char *out, size_t n);
/* A fresh 256-bit token as base64url (cookie values, CSRF tokens). */
void token_new(char out[TOKEN_STR_LEN + 1]);
/* sha256 of token as 64 lowercase hex digits (what the database stores). */
void token_hash_hex(const char *token, char out[65]);
/* 1 when a equals b, in time depending only on the lengths. */
int token_equal(const char *a, const char *b);

/* A random opaque id for URLs and JSON, and its syntax check. */
void public_id_new(char out[PUBLIC_ID_LEN + 1]);
int public_id_valid(const char *s);

void sha256_hex(const void *p, size_t n, char out[65]);
/* HMAC-SHA256 of msg under key. 0 or ERR_INVALID. */
int token_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
                      unsigned char out[32]);

/* base64url without padding: encoded length of n bytes, encode (out gets
 * b64url_len(n) + 1 bytes), strict decode (0 or ERR_INVALID). */
size_t b64url_len(size_t n);
void b64url_encode(const unsigned char *in, size_t n, char *out);
int b64url_decode(const char *in, unsigned char *out, size_t outcap, size_t *outlen);
/* The same with the standard alphabet (+ /), no padding, as PHC strings use. */
void b64std_encode(const unsigned char *in, size_t n, char *out);
int b64std_decode(const char *in, size_t inlen, unsigned char *out, size_t outcap, size_t *outlen);

#endif
