/* jsonmem.h: cJSON's memory from the request arena. A worker builds a view
 * model of a few hundred cJSON nodes per page and frees them all at the end;
 * with these hooks the nodes come from the request's arena (a pointer bump)
 * and cJSON_Delete frees nothing, instead of a malloc and a free per node.
 * Outside a request (start-up, tagd, the CLI) allocations use the heap. Every
 * block carries a header saying which, so cJSON_free and cJSON_Delete work on
 * both; a cJSON string must therefore be released with cJSON_free, never
 * free(). */
#ifndef HT_JSONMEM_H
#define HT_JSONMEM_H

#include "arena.h"

/* Route cJSON's allocations through the hooks (once, before any cJSON use). */
void jsonmem_init(void);
/* Allocate from a (a request's arena) until jsonmem_use(NULL); a cJSON tree
 * or string made meanwhile must not outlive the arena's next reset. */
void jsonmem_use(struct arena *a);

#endif
