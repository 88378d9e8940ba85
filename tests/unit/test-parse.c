/* test-parse.c: urlencoded and cookie parsing, UTF-8, validators. */
#include "arena.h"
#include "err.h"
#include "kv.h"
#include "t.h"
#include "utf8.h"
#include "validate.h"

static const struct kv_limits lim = {8, 16, 64};

static int parse(struct arena *a, const char *s, struct kv_list *l)
{
	return kv_parse_urlencoded(a, s, strlen(s), &lim, l);
}

static void test_urlencoded_basic(void)
{
	struct arena a;
	struct kv_list l;

	arena_init(&a, 0);
	T_CHECK(parse(&a, "a=1&b=%20x+y&&c&d=", &l) == 0);
	T_CHECK(l.n == 4);
	T_STREQ(kv_get(&l, "a"), "1");
	T_STREQ(kv_get(&l, "b"), " x y");
	T_STREQ(kv_get(&l, "c"), "");
	T_STREQ(kv_get(&l, "d"), "");
	T_CHECK(kv_get(&l, "e") == NULL);
	T_CHECK(parse(&a, "", &l) == 0 && l.n == 0);
	T_CHECK(parse(&a, "x=%C3%B1", &l) == 0);
	T_STREQ(kv_get(&l, "x"), "\xc3\xb1");
	T_CHECK(parse(&a, "a=1&a=2", &l) == 0 && kv_count(&l, "a") == 2);
	arena_free(&a);
}

static void test_urlencoded_rejects(void)
{
	struct arena a;
	struct kv_list l;

	arena_init(&a, 0);
	T_CHECK(parse(&a, "a=%zz", &l) == ERR_INVALID);
	T_CHECK(parse(&a, "a=%4", &l) == ERR_INVALID);
	T_CHECK(parse(&a, "a=%", &l) == ERR_INVALID);
	T_CHECK(parse(&a, "a=%00", &l) == ERR_INVALID);
	/* a body is not a C string: a raw NUL is refused like %00 (fuzz-urlencoded) */
	T_CHECK(kv_parse_urlencoded(&a, "a=1\0b", 5, &lim, &l) == ERR_INVALID);
	T_CHECK(kv_parse_urlencoded(&a, "a\0=1", 5, &lim, &l) == ERR_INVALID);
	T_CHECK(parse(&a, "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9", &l) == ERR_LIMIT);
	T_CHECK(parse(&a, "abcdefghijklmnopq=1", &l) == ERR_LIMIT);
	T_CHECK(parse(&a,
	              "a=0123456789012345678901234567890123456789012345678901234567890123456789",
	              &l) == ERR_LIMIT);
	arena_free(&a);
}

static void test_cookies(void)
{
	struct arena a;
	struct kv_list l;

	arena_init(&a, 0);
	T_CHECK(kv_parse_cookies(&a, "ht_session=abc; x=\"q\";broken; =v; y = 2 ", &lim, &l) == 0);
	T_STREQ(kv_get(&l, "ht_session"), "abc");
	T_STREQ(kv_get(&l, "x"), "q");
	T_STREQ(kv_get(&l, "y"), "2");
	T_CHECK(kv_get(&l, "broken") == NULL);
	/* an oversized foreign cookie is skipped, not fatal */
	T_CHECK(kv_parse_cookies(&a,
	                         "big=0123456789012345678901234567890123456789012345678901234567890"
	                         "123456789; ok=1",
	                         &lim, &l) == 0);
	T_STREQ(kv_get(&l, "ok"), "1");
	T_CHECK(kv_get(&l, "big") == NULL);
	T_CHECK(kv_parse_cookies(&a, "a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;i=9", &lim, &l) == ERR_LIMIT);
	arena_free(&a);
}

static void test_utf8(void)
{
	T_CHECK(utf8_valid("plain", 5));
	T_CHECK(utf8_valid("contrase\xc3\xb1"
	                   "a",
	                   10));
	T_CHECK(utf8_valid("\xf0\x9f\x93\xb7", 4));  /* camera emoji */
	T_CHECK(!utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	T_CHECK(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	T_CHECK(!utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	T_CHECK(!utf8_valid("\xe2\x82", 2));         /* truncated */
	T_CHECK(!utf8_valid("\xff", 1));
	T_CHECK(utf8_has_controls("a\x01", 2));
	T_CHECK(!utf8_has_controls("a\tb\n", 4));
	T_CHECK(utf8_cut("a\xc3\xb1", 3, 2) == 1);
	T_CHECK(utf8_cut("abc", 3, 5) == 3);
}

static void test_validators(void)
{
	const char *why;

	T_CHECK(validate_value(V_LINE, "hello", 5, 10, &why) == 0);
	T_CHECK(validate_value(V_LINE, "hello", 5, 4, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_LINE, "a\nb", 3, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_TEXT, "a\nb", 3, 10, &why) == 0);
	T_CHECK(validate_value(V_TEXT, "\xff", 1, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_PASSWORD, "two words", 9, 100, &why) == 0);
	T_CHECK(validate_value(V_TOKEN, "aZ09-_", 6, 10, &why) == 0);
	T_CHECK(validate_value(V_TOKEN, "a+b", 3, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_FLAG, "yes", 3, 8, &why) == 0);
	T_CHECK(validate_value(V_FLAG, "maybe", 5, 8, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_PATH, "/account", 8, 100, &why) == 0);
	T_CHECK(validate_value(V_PATH, "", 0, 100, &why) == 0);
	T_CHECK(validate_value(V_PATH, "//evil.example", 14, 100, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_DATE, "2026-11-23", 10, 10, &why) == 0);
	T_CHECK(validate_value(V_DATE, "", 0, 10, &why) == 0);
	T_CHECK(validate_value(V_DATE, "2026-13-01", 10, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_DATE, "26-11-2026", 10, 10, &why) == ERR_INVALID);
	/* real days only: leap years, short months */
	T_CHECK(validate_value(V_DATE, "2024-02-29", 10, 10, &why) == 0);
	T_CHECK(validate_value(V_DATE, "2000-02-29", 10, 10, &why) == 0);
	T_CHECK(validate_value(V_DATE, "2026-02-29", 10, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_DATE, "1900-02-29", 10, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_DATE, "2026-04-31", 10, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_DATE, "1969-12-31", 10, 10, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_UINT, "400", 3, 5, &why) == 0);
	T_CHECK(validate_value(V_UINT, "-4", 2, 5, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_PATH, "/\\evil.example", 14, 100, &why) == ERR_INVALID);
	T_CHECK(validate_value(V_PATH, "https://evil.example", 20, 100, &why) == ERR_INVALID);
}

int main(void)
{
	T_RUN(test_urlencoded_basic);
	T_RUN(test_urlencoded_rejects);
	T_RUN(test_cookies);
	T_RUN(test_utf8);
	T_RUN(test_validators);
	T_DONE();
}
