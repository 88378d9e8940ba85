/* test-jsonmem.c: cJSON's allocations from the request arena (core/jsonmem.c). */
#include <cjson/cJSON.h>

#include "arena.h"
#include "jsonmem.h"
#include "t.h"

/* A tree and a printed string made inside a request come from its arena:
 * the arena grows by them, and releasing them frees nothing. */
static void test_request_trees_use_the_arena(void)
{
	struct arena a;
	cJSON *o;
	char *s;
	size_t before;

	arena_init(&a, 0);
	jsonmem_use(&a);
	before = a.used_total;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "tag", "#cat");
	cJSON_AddNumberToObject(o, "rank", 1);
	T_CHECK(a.used_total > before);
	s = cJSON_PrintUnformatted(o);
	T_STREQ(s, "{\"tag\":\"#cat\",\"rank\":1}");
	cJSON_free(s);
	cJSON_Delete(o);
	jsonmem_use(NULL);
	arena_free(&a);
}

/* A tree made outside a request is on the heap and may be released during
 * one (and the other way round would be the caller's bug). */
static void test_heap_trees_outlive_requests(void)
{
	struct arena a;
	cJSON *keep, *parsed;
	size_t before;

	arena_init(&a, 0);
	keep = cJSON_Parse("{\"a\":[1,2,3],\"b\":\"x\"}");
	T_CHECK(keep != NULL);
	jsonmem_use(&a);
	before = a.used_total;
	parsed = cJSON_Parse("[\"in\",\"request\"]");
	T_CHECK(a.used_total > before);
	cJSON_Delete(keep); /* heap blocks go back to malloc */
	cJSON_Delete(parsed);
	jsonmem_use(NULL);
	arena_reset(&a);
	keep = cJSON_CreateString("after");
	T_STREQ(cJSON_GetStringValue(keep), "after");
	cJSON_Delete(keep);
	arena_free(&a);
}

int main(void)
{
	jsonmem_init();
	T_RUN(test_request_trees_use_the_arena);
	T_RUN(test_heap_trees_outlive_requests);
	T_DONE();
}
