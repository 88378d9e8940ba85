/* test-crypto.c: argon2id hashes, password policy, tokens, encodings. */
#include "err.h"
#include "password.h"
#include "t.h"
#include "token.h"

#include <time.h>

static const struct pw_params cheap = {1, 1024, 1};

static void test_hash_verify_round_trip(void)
{
	char h[PW_HASH_MAX], h2[PW_HASH_MAX];

	T_CHECK(pw_hash(&cheap, "correct horse battery staple", h, sizeof(h)) == 0);
	T_CHECK(strncmp(h, "$argon2id$v=19$m=1024,t=1,p=1$", 30) == 0);
	T_CHECK(pw_verify("correct horse battery staple", h) == 0);
	T_CHECK(pw_verify("correct horse battery stapl", h) == ERR_AUTH);
	T_CHECK(pw_hash(&cheap, "correct horse battery staple", h2, sizeof(h2)) == 0);
	T_CHECK(strcmp(h, h2) != 0); /* fresh salt each time */
	T_CHECK(pw_needs_rehash(h, &cheap) == 0);
	T_CHECK(pw_needs_rehash(h, &PW_DEFAULT) == 1);
}

static void test_known_vector(void)
{
	/* reference argon2 CLI: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 */
	const char *ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ"
	                  "$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

	T_CHECK(pw_verify("password", ref) == 0);
	T_CHECK(pw_verify("Password", ref) == ERR_AUTH);
}

static void test_rejects_malformed_and_absurd(void)
{
	T_CHECK(pw_verify("x", "") == ERR_INVALID);
	T_CHECK(pw_verify("x", "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAA") ==
	        ERR_INVALID);
	T_CHECK(pw_verify("x",
	                  "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAA") ==
	        ERR_INVALID);
	T_CHECK(
	    pw_verify("x", "$argon2id$v=19$m=1024,t=1,p=1$c29t!XNhbHQ$AAAAAAAAAAAAAAAAAAAAAA") ==
	    ERR_INVALID);
	T_CHECK(pw_verify("x", "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$AAAA$") == ERR_INVALID);
}

static void test_default_cost_timing(void)
{
	char h[PW_HASH_MAX];
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	T_CHECK(pw_hash(&PW_DEFAULT, "a long enough passphrase", h, sizeof(h)) == 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	T_CHECK(pw_verify("a long enough passphrase", h) == 0);
	fprintf(stderr, "  argon2id t=3 m=65536 p=1: %.0f ms per hash (printed, not asserted)\n",
	        (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
}

static void test_policy(void)
{
	const char *why;

	T_CHECK(pw_policy_check("correct horse battery", "ana@example.org", &why) == 0);
	T_CHECK(pw_policy_check("short", "ana@example.org", &why) == ERR_INVALID);
	T_CHECK(why != NULL && strstr(why, "10 characters") != NULL);
	/* 9 code points in 10 bytes: still too short */
	T_CHECK(pw_policy_check("contrase\xc3\xb1", "x@example.org", &why) == ERR_INVALID);
	T_CHECK(pw_policy_check("pi\xc3\xb1"
	                        "ata roja y verde",
	                        "x@example.org", &why) == 0);
	T_CHECK(pw_policy_check("ana@example.org", "ana@example.org", &why) == ERR_INVALID);
	T_CHECK(pw_policy_check("my name is maria!", "maria@example.org", &why) == ERR_INVALID);
	T_CHECK(pw_policy_check("zzzzzzzzzzzz", "x@example.org", &why) == ERR_INVALID);
	T_CHECK(pw_policy_check("Password123", "x@example.org", &why) == ERR_INVALID);
	T_CHECK(pw_policy_check("bad\xff utf-8 here", "x@example.org", &why) == ERR_INVALID);
	T_CHECK(pw_policy_check("ctl\x01inside password", "x@example.org", &why) == ERR_INVALID);
}

static void test_b64url(void)
{
	char out[64];
	unsigned char back[64];
	size_t n;

	b64url_encode((const unsigned char *)"foobar", 6, out);
	T_STREQ(out, "Zm9vYmFy");
	b64url_encode((const unsigned char *)"fo", 2, out);
	T_STREQ(out, "Zm8");
	b64url_encode((const unsigned char *)"\xfb\xff", 2, out);
	T_STREQ(out, "-_8");
	T_CHECK(b64url_len(2) == 3 && b64url_len(32) == 43);
	T_CHECK(b64url_decode("-_8", back, sizeof(back), &n) == 0 && n == 2 && back[0] == 0xfb);
	T_CHECK(b64url_decode("Zm9", back, sizeof(back), &n) == ERR_INVALID); /* stray bits */
	T_CHECK(b64url_decode("Z", back, sizeof(back), &n) == ERR_INVALID);
	T_CHECK(b64url_decode("Zm+v", back, sizeof(back), &n) == ERR_INVALID);
	T_CHECK(b64url_decode("Zm9vYmFy", back, 3, &n) == ERR_INVALID);
}

static void test_hashes(void)
{
	char hex[65];
	unsigned char mac[32];
	char machex[65];

	sha256_hex("abc", 3, hex);
	T_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* RFC 4231 test case 2 */
	T_CHECK(token_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac) == 0);
	for (int i = 0; i < 32; i++)
		snprintf(machex + 2 * i, 3, "%02x", mac[i]);
	T_STREQ(machex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_tokens_and_ids(void)
{
	char a[TOKEN_STR_LEN + 1], b[TOKEN_STR_LEN + 1], ids[1000][PUBLIC_ID_LEN + 1];
	int dup = 0;

	token_new(a);
	token_new(b);
	T_CHECK(strlen(a) == TOKEN_STR_LEN && strcmp(a, b) != 0);
	T_CHECK(token_equal(a, a) && !token_equal(a, b) && !token_equal(a, "short"));
	for (int i = 0; i < 1000; i++) {
		public_id_new(ids[i]);
		T_CHECK(public_id_valid(ids[i]));
		for (int j = 0; j < i; j++)
			dup += strcmp(ids[i], ids[j]) == 0;
	}
	T_CHECK(dup == 0);
	T_CHECK(!public_id_valid("too-short") && !public_id_valid("AAAAAAAAAAAAAAA/"));
}

int main(void)
{
	T_CHECK(crypto_init() == 0);
	T_RUN(test_hash_verify_round_trip);
	T_RUN(test_known_vector);
	T_RUN(test_rejects_malformed_and_absurd);
	T_RUN(test_default_cost_timing);
	T_RUN(test_policy);
	T_RUN(test_b64url);
	T_RUN(test_hashes);
	T_RUN(test_tokens_and_ids);
	T_DONE();
}
