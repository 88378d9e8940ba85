/* token.c: random tokens, ids, sha256, HMAC, base64 (see token.h). */
#include "token.h"
#include "err.h"

#include <gcrypt.h>
#include <string.h>

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b64std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int crypto_init(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		return 0;
	if (gcry_check_version("1.10.0") == NULL)
		return ERR_INVALID;
	/* no secure memory: nothing here is worth mlock, and it needs privileges */
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	return 0;
}

void token_random(unsigned char *out, size_t n)
{
	gcry_randomize(out, n, GCRY_STRONG_RANDOM);
}

size_t b64url_len(size_t n)
{
	return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

static void encode(const char *alpha, const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (n - i == 1) {
		out[o++] = alpha[in[i] >> 2];
		out[o++] = alpha[(in[i] & 3) << 4];
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 8 | in[i + 1];
		out[o++] = alpha[v >> 10 & 63];
		out[o++] = alpha[v >> 4 & 63];
		out[o++] = alpha[(v & 15) << 2];
	}
	out[o] = '\0';
}

static int decode(const char *alpha, const char *in, size_t n, unsigned char *out, size_t outcap,
                  size_t *outlen)
{
	unsigned acc = 0;
	size_t i, o = 0, bits = 0;

	if (n % 4 == 1)
		return ERR_INVALID;
	for (i = 0; i < n; i++) {
		const char *p = in[i] ? strchr(alpha, in[i]) : NULL;
		if (p == NULL)
			return ERR_INVALID;
		acc = (acc << 6 | (unsigned)(p - alpha)) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outcap)
				return ERR_INVALID;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	/* leftover bits must be zero: one encoding per value */
	if (bits && (acc & ((1u << bits) - 1)) != 0)
		return ERR_INVALID;
	*outlen = o;
	return 0;
}

void b64url_encode(const unsigned char *in, size_t n, char *out)
{
	encode(b64url, in, n, out);
}

int b64url_decode(const char *in, unsigned char *out, size_t outcap, size_t *outlen)
{
	return decode(b64url, in, strlen(in), out, outcap, outlen);
}

void b64std_encode(const unsigned char *in, size_t n, char *out)
{
	encode(b64std, in, n, out);
}

int b64std_decode(const char *in, size_t inlen, unsigned char *out, size_t outcap, size_t *outlen)
{
	return decode(b64std, in, inlen, out, outcap, outlen);
}

void token_new(char out[TOKEN_STR_LEN + 1])
{
	unsigned char r[32];

	token_random(r, sizeof(r));
	b64url_encode(r, sizeof(r), out);
}

void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char d[32];
	static const char hex[] = "0123456789abcdef";

	gcry_md_hash_buffer(GCRY_MD_SHA256, d, p, n);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void token_hash_hex(const char *token, char out[65])
{
	sha256_hex(token, strlen(token), out);
}

int token_equal(const char *a, const char *b)
{
	size_t n = strlen(a), i;
	unsigned char diff = 0;

	if (n != strlen(b))
		return 0;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

void public_id_new(char out[PUBLIC_ID_LEN + 1])
{
	unsigned char r[12];

	token_random(r, sizeof(r));
	b64url_encode(r, sizeof(r), out);
}

int public_id_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (strchr(b64url, s[i]) == NULL)
			return 0;
	return i == PUBLIC_ID_LEN;
}

int token_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
                      unsigned char out[32])
{
	gcry_mac_hd_t h;
	size_t len = 32;
	int rc = ERR_INVALID;

	if (gcry_mac_open(&h, GCRY_MAC_HMAC_SHA256, 0, NULL) != 0)
		return ERR_INVALID;
	if (gcry_mac_setkey(h, key, keylen) == 0 && gcry_mac_write(h, msg, n) == 0 &&
	    gcry_mac_read(h, out, &len) == 0 && len == 32)
		rc = 0;
	gcry_mac_close(h);
	return rc;
}
