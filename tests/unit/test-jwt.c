/* test-jwt.c: HS256 JSON Web Tokens against vectors made with Python's
 * hmac module, and every way a token must be refused. */
#include "err.h"
#include "jwt.h"
#include "t.h"
#include "token.h"

static const char key[] = "0123456789abcdef0123456789abcdef";
/* python3: hmac.new(key, b64url(header) + "." + b64url(payload), sha256) */
static const char vector[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhYmMiLCJpYXQiOjEwMDAsImV4cCI6MjAwMCwia"
    "nRpIjoiajEifQ.u1hn6jF1cXapbMjToqwqfD2YGJ-sZCl_FngkFst_R1A";
/* the same claims in another key order, header {"typ":"JWT","alg":"HS256"} */
static const char reordered[] =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJleHAiOjIwMDAsImp0aSI6IngiLCJzdWIiOiJhYmMiLCJpY"
    "XQiOjEwMDB9.hjH9DE07f3cipayw0jRyMc3E2a7HetAGACleln1rMek";

static void test_sign_matches_vector_and_verifies(void)
{
	struct jwt_claims c = {"abc", "j1", 1000, 2000}, got;
	char tok[JWT_MAX + 1];

	T_CHECK(jwt_sign(key, sizeof(key) - 1, &c, tok) == 0);
	T_STREQ(tok, vector);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, tok, 1500, &got) == 0);
	T_STREQ(got.sub, "abc");
	T_STREQ(got.jti, "j1");
	T_CHECK(got.iat == 1000 && got.exp == 2000);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, reordered, 1500, &got) == 0);
	T_STREQ(got.jti, "x");
}

static void test_expiry_and_future_iat(void)
{
	struct jwt_claims got;

	T_CHECK(jwt_verify(key, sizeof(key) - 1, vector, 1999, &got) == 0);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, vector, 2000, &got) == ERR_AUTH);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, vector, 900, &got) == ERR_AUTH); /* iat - 100 s */
	T_CHECK(jwt_verify(key, sizeof(key) - 1, vector, 950, &got) == 0);        /* 50 s skew */
}

static void test_refuses_tampering_and_other_algorithms(void)
{
	static const char *const bad[] = {
	    /* alg none, no signature */
	    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
	    "eyJzdWIiOiJhYmMiLCJpYXQiOjEwMDAsImV4cCI6MjAwMCwianR"
	    "pIjoiajEifQ.",
	    /* alg none with the HS256 signature kept */
	    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
	    "eyJzdWIiOiJhYmMiLCJpYXQiOjEwMDAsImV4cCI6MjAwMCwianR"
	    "pIjoiajEifQ.u1hn6jF1cXapbMjToqwqfD2YGJ-sZCl_FngkFst_R1A",
	    /* payload changed (sub "abd") */
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiJhYmQiLCJpYXQiOjEwMDAsImV4cCI6MjAwMCwianR"
	    "pIjoiajEifQ.u1hn6jF1cXapbMjToqwqfD2YGJ-sZCl_FngkFst_R1A",
	    /* signature's last character changed */
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiJhYmMiLCJpYXQiOjEwMDAsImV4cCI6MjAwMCwianR"
	    "pIjoiajEifQ.u1hn6jF1cXapbMjToqwqfD2YGJ-sZCl_FngkFst_R1B",
	    "",
	    ".",
	    "..",
	    "a.b.c",
	    "a.b.c.d",
	    vector + 1,
	};
	struct jwt_claims got;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_CHECK(jwt_verify(key, sizeof(key) - 1, bad[i], 1500, &got) == ERR_AUTH);
	T_CHECK(jwt_verify("another key of thirty-two bytes!", 32, vector, 1500, &got) == ERR_AUTH);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, NULL, 1500, &got) == ERR_AUTH);
}

static void test_short_key_and_long_claims_refused(void)
{
	struct jwt_claims c = {"abc", "j1", 1000, 2000};
	char tok[JWT_MAX + 1];

	T_CHECK(jwt_sign("short", 5, &c, tok) == ERR_INVALID);
	memset(c.sub, 'a', JWT_SUB_MAX);
	c.sub[JWT_SUB_MAX] = '\0';
	memset(c.jti, 'b', JWT_SUB_MAX);
	c.jti[JWT_SUB_MAX] = '\0';
	T_CHECK(jwt_sign(key, sizeof(key) - 1, &c, tok) == 0);
	T_CHECK(strlen(tok) <= JWT_MAX);
}

/* Claims are JSON strings whatever they hold: a quote in sub cannot add a
 * claim (found by tests/fuzz/fuzz-jwt.c). */
static void test_claims_cannot_inject(void)
{
	struct jwt_claims c = {"a\",\"exp\":9999999999,\"x\":\"\\\x01", "j1", 1000, 2000}, got;
	char tok[JWT_MAX + 1];

	T_CHECK(jwt_sign(key, sizeof(key) - 1, &c, tok) == 0);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, tok, 1500, &got) == 0);
	T_STREQ(got.sub, c.sub);
	T_CHECK(got.exp == 2000);
	T_CHECK(jwt_verify(key, sizeof(key) - 1, tok, 2000, &got) == ERR_AUTH);
}

int main(void)
{
	T_CHECK(crypto_init() == 0);
	T_RUN(test_sign_matches_vector_and_verifies);
	T_RUN(test_expiry_and_future_iat);
	T_RUN(test_refuses_tampering_and_other_algorithms);
	T_RUN(test_short_key_and_long_claims_refused);
	T_RUN(test_claims_cannot_inject);
	T_DONE();
}
