/* arena.h: bump allocator for per-request memory. Everything allocated from
 * an arena lives until arena_reset()/arena_free(); nothing is freed piecemeal.
 * Allocation failure aborts the process (a worker that cannot get memory
 * cannot answer anyway; the web server restarts it). */
#ifndef HT_ARENA_H
#define HT_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* current chunk; older ones chained behind */
	size_t chunk_size;        /* default size of new chunks */
	size_t used_total;        /* bytes handed out since last reset */
};

/* Initialise an empty arena; chunk_size 0 picks a default (64 KiB). */
void arena_init(struct arena *a, size_t chunk_size);
/* Release every chunk but the first; all earlier pointers become invalid. */
void arena_reset(struct arena *a);
/* Release all memory held by the arena. */
void arena_free(struct arena *a);

/* n bytes aligned for any type; arena-owned. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed array of n elements of size sz; overflow-checked; arena-owned. */
void *arena_calloc(struct arena *a, size_t n, size_t sz);
/* NUL-terminated copies; arena-owned. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena; arena-owned. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
