/* t.h: minimal unit-test harness. Each test file defines test functions,
 * lists them in main() with T_RUN, and ends with T_DONE, which prints the
 * plain "N passed, N failed" line and sets the exit status. */
#ifndef HT_T_H
#define HT_T_H

#include <stdio.h>
#include <string.h>

static int t_passed, t_failed, t_cur_failed;

#define T_CHECK(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			t_cur_failed = 1;                                                          \
		}                                                                                  \
	} while (0)

#define T_STREQ(a, b)                                                                              \
	do {                                                                                       \
		const char *t_a_ = (a), *t_b_ = (b);                                               \
		if (t_a_ == NULL || t_b_ == NULL || strcmp(t_a_, t_b_) != 0) {                     \
			fprintf(stderr,                                                            \
			        "  %s:%d: %s == %s\n    got:      \"%s\"\n    expected: \"%s\"\n", \
			        __FILE__, __LINE__, #a, #b, t_a_ ? t_a_ : "(null)",                \
			        t_b_ ? t_b_ : "(null)");                                           \
			t_cur_failed = 1;                                                          \
		}                                                                                  \
	} while (0)

#define T_RUN(fn)                                          \
	do {                                               \
		t_cur_failed = 0;                          \
		fn();                                      \
		if (t_cur_failed) {                        \
			t_failed++;                        \
			fprintf(stderr, "FAIL %s\n", #fn); \
		} else {                                   \
			t_passed++;                        \
			printf("ok   %s\n", #fn);          \
		}                                          \
	} while (0)

/* Record one named case (for data-driven tests such as the Mustache spec). */
#define T_CASE(name, ok)                                    \
	do {                                                \
		if (ok) {                                   \
			t_passed++;                         \
		} else {                                    \
			t_failed++;                         \
			fprintf(stderr, "FAIL %s\n", name); \
		}                                           \
	} while (0)

#define T_DONE()                                                      \
	do {                                                          \
		fflush(stdout);                                       \
		printf("%d passed, %d failed\n", t_passed, t_failed); \
		return t_failed ? 1 : 0;                              \
	} while (0)

#endif
