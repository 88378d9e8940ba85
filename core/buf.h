/* buf.h: growable byte buffer (malloc-backed) for response bodies and
 * template output. A zeroed struct buf is an empty buffer. The data is kept
 * NUL-terminated. Allocation failure aborts. */
#ifndef HT_BUF_H
#define HT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
};

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s with & < > " ' replaced by HTML entities. */
void buf_html_escape(struct buf *b, const char *s, size_t n);
/* Append the contents of the file at path; 0, or ERR_IO (errno set) when it
 * cannot be read, ERR_LIMIT when it is larger than max bytes. */
int buf_read_file(struct buf *b, const char *path, size_t max);
/* Empty the buffer, keeping its storage. */
void buf_clear(struct buf *b);
/* Release storage; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);

#endif
