/* jsonmem.c: cJSON allocations from the request arena (see jsonmem.h). */
#include "jsonmem.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* Block header: where the block came from; 16 bytes keep the payload aligned
 * as malloc's would be. */
#define HDR 16
enum { FROM_HEAP = 0x68656170, FROM_ARENA = 0x6172656e };

static struct arena *current;

static void *jm_malloc(size_t n)
{
	unsigned char *p;

	if (n > (size_t)-1 - HDR)
		return NULL;
	if (current != NULL) {
		p = arena_alloc(current, n + HDR);
		*(unsigned *)p = FROM_ARENA;
	} else {
		p = malloc(n + HDR);
		if (p == NULL)
			return NULL;
		*(unsigned *)p = FROM_HEAP;
	}
	return p + HDR;
}

static void jm_free(void *ptr)
{
	unsigned char *p = ptr;

	if (p == NULL)
		return;
	p -= HDR;
	if (*(unsigned *)p == FROM_HEAP)
		free(p);
	else if (*(unsigned *)p != FROM_ARENA)
		abort(); /* not a cJSON block: a free() / cJSON_free mix-up */
}

void jsonmem_init(void)
{
	cJSON_Hooks h = {jm_malloc, jm_free};

	cJSON_InitHooks(&h);
}

void jsonmem_use(struct arena *a)
{
	current = a;
}
