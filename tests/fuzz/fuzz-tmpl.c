/* fuzz-tmpl.c: the Mustache engine. Input: a template, a NUL, then JSON
 * for the view model (no NUL or bad JSON: an empty object). The template is
 * compiled as "t" next to two fixed partials and rendered; compiling and
 * rendering must not crash or leak, and a failed compile names its line. */
#include "buf.h"
#include "err.h"
#include "tmpl.h"

#include <cJSON.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char partial_item[] = "<li>{{name}}{{#tags}} #{{.}}{{/tags}}</li>\n";
static const char partial_nest[] = "{{#kids}}\n  {{>t}}\n{{/kids}}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data, *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - src) : size;
	struct tmpl_set *s = tmpl_set_new();
	cJSON *ctx = nul ? cJSON_ParseWithLength(nul + 1, size - tlen - 1) : NULL;
	struct buf out = {0};
	char *err = NULL;
	int rc;

	if (s == NULL)
		abort();
	if (ctx == NULL)
		ctx = cJSON_CreateObject();
	if (tmpl_set_add(s, "item", partial_item, sizeof(partial_item) - 1, NULL) != 0 ||
	    tmpl_set_add(s, "nest", partial_nest, sizeof(partial_nest) - 1, NULL) != 0)
		abort();
	rc = tmpl_set_add(s, "t", src, tlen, &err);
	if (rc != 0 && (rc != ERR_INVALID || err == NULL || strncmp(err, "t:", 2) != 0))
		abort();
	if (rc == 0) {
		rc = tmpl_render(s, "t", ctx, &out);
		if ((rc != 0 && rc != ERR_LIMIT) || out.data == NULL || out.data[out.len] != '\0')
			abort();
	}
	free(err);
	buf_free(&out);
	cJSON_Delete(ctx);
	tmpl_set_free(s);
	return 0;
}
