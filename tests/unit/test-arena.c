/* test-arena.c: arena and buf. */
#include "arena.h"
#include "buf.h"
#include "t.h"

#include <stdint.h>

static void test_alloc_aligned_and_distinct(void)
{
	struct arena a;
	char *p, *q;

	arena_init(&a, 128);
	p = arena_alloc(&a, 3);
	q = arena_alloc(&a, 5);
	T_CHECK(((uintptr_t)p & 15) == 0);
	T_CHECK(((uintptr_t)q & 15) == 0);
	T_CHECK(p != q);
	arena_free(&a);
}

static void test_big_alloc_and_reset(void)
{
	struct arena a;
	char *big, *s;

	arena_init(&a, 64);
	big = arena_alloc(&a, 10000);
	memset(big, 'x', 10000);
	s = arena_printf(&a, "%s-%d", "id", 42);
	T_STREQ(s, "id-42");
	arena_reset(&a);
	T_CHECK(a.used_total == 0);
	s = arena_strndup(&a, "abcdef", 3);
	T_STREQ(s, "abc");
	arena_free(&a);
}

static void test_buf_escape(void)
{
	struct buf b = {0};

	buf_html_escape(&b, "<script>'\"&", 11);
	T_STREQ(b.data, "&lt;script&gt;&#39;&quot;&amp;");
	buf_clear(&b);
	buf_printf(&b, "%d-%s", 7, "x");
	T_STREQ(b.data, "7-x");
	buf_free(&b);
}

int main(void)
{
	T_RUN(test_alloc_aligned_and_distinct);
	T_RUN(test_big_alloc_and_reset);
	T_RUN(test_buf_escape);
	T_DONE();
}
