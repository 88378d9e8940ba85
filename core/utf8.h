/* utf8.h: UTF-8 validation and safe truncation for text input. */
#ifndef HT_UTF8_H
#define HT_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF), else 0. */
int utf8_valid(const char *s, size_t n);
/* 1 when s contains a C0 control character other than tab, LF and CR, or DEL. */
int utf8_has_controls(const char *s, size_t n);
/* Largest length <= max that does not cut a UTF-8 sequence of s (length n). */
size_t utf8_cut(const char *s, size_t n, size_t max);

#endif
