/* test-tmpl.c: the template engine against the official Mustache spec
 * (tests/data/mustache-spec) and our own rules: ' is escaped, errors carry
 * line numbers, recursion is bounded, raw names are reported. */
#include "err.h"
#include "t.h"
#include "tmpl.h"

#include <stdlib.h>

static const char *spec_files[] = {"interpolation", "sections", "inverted",
                                   "partials",      "comments", "delimiters"};

/* The one deliberate difference: ' in data is escaped as &#39;. */
static int same_but_apos(const char *got, const char *want)
{
	struct buf b = {0};
	int eq;

	for (const char *c = want; *c; c++)
		if (*c == '\'')
			buf_puts(&b, "&#39;");
		else
			buf_putc(&b, *c);
	eq = b.data != NULL && strcmp(got, b.data) == 0;
	buf_free(&b);
	return eq;
}

static void run_spec_case(const char *file, const cJSON *t)
{
	const char *name = cJSON_GetObjectItem(t, "name")->valuestring;
	const char *src = cJSON_GetObjectItem(t, "template")->valuestring;
	const char *want = cJSON_GetObjectItem(t, "expected")->valuestring;
	const cJSON *partials = cJSON_GetObjectItem(t, "partials"), *p;
	struct tmpl_set *s = tmpl_set_new();
	struct buf out = {0};
	char label[256], *err = NULL;
	int ok;

	cJSON_ArrayForEach(p, partials)
	    tmpl_set_add(s, p->string, p->valuestring, strlen(p->valuestring), NULL);
	ok = tmpl_set_add(s, "main", src, strlen(src), &err) == 0 &&
	     tmpl_render(s, "main", cJSON_GetObjectItem(t, "data"), &out) == 0;
	ok = ok && (strcmp(out.data, want) == 0 || same_but_apos(out.data, want));
	snprintf(label, sizeof(label), "spec %s: %s", file, name);
	if (!ok)
		fprintf(stderr, "  got: [%s]\n  want: [%s]\n  err: %s\n", out.data ? out.data : "",
		        want, err ? err : "");
	T_CASE(label, ok);
	free(err);
	buf_free(&out);
	tmpl_set_free(s);
}

static void run_spec(void)
{
	for (size_t i = 0; i < sizeof(spec_files) / sizeof(spec_files[0]); i++) {
		char path[256];
		struct buf text = {0};
		cJSON *doc, *t;

		snprintf(path, sizeof(path), "tests/data/mustache-spec/%s.json", spec_files[i]);
		doc = buf_read_file(&text, path, 1 << 20) == 0 ? cJSON_Parse(text.data) : NULL;
		T_CASE(path, doc != NULL);
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(doc, "tests"))
		    run_spec_case(spec_files[i], t);
		cJSON_Delete(doc);
		buf_free(&text);
	}
}

static char *render(const char *src, const char *json)
{
	struct tmpl_set *s = tmpl_set_new();
	struct buf out = {0};
	cJSON *data = cJSON_Parse(json);

	if (tmpl_set_add(s, "t", src, strlen(src), NULL) != 0 ||
	    tmpl_render(s, "t", data, &out) != 0)
		buf_puts(&out, "(error)");
	cJSON_Delete(data);
	tmpl_set_free(s);
	return out.data;
}

static void test_escapes_hostile_name(void)
{
	char *got = render("<b title=\"{{n}}\">{{n}}</b>", "{\"n\":\"<script>'\\\"&\"}");

	T_STREQ(got,
	        "<b title=\"&lt;script&gt;&#39;&quot;&amp;\">&lt;script&gt;&#39;&quot;&amp;</b>");
	free(got);
}

static void test_errors_have_line_numbers(void)
{
	struct tmpl_set *s = tmpl_set_new();
	char *err = NULL;

	T_CHECK(tmpl_set_add(s, "bad", "a\nb\n{{#x}}\nc", 10, &err) == ERR_INVALID);
	T_CHECK(err != NULL && strstr(err, "bad:3:") != NULL);
	free(err);
	err = NULL;
	T_CHECK(tmpl_set_add(s, "bad2", "{{#a}}{{/b}}", 12, &err) == ERR_INVALID);
	T_CHECK(err != NULL && strstr(err, "'b' closes section 'a'") != NULL);
	free(err);
	err = NULL;
	T_CHECK(tmpl_set_add(s, "bad3", "x {{y", 5, &err) == ERR_INVALID);
	free(err);
	err = NULL;
	T_CHECK(tmpl_set_add(s, "bad4", "{{=x=}}", 7, &err) == ERR_INVALID);
	/* the example in the message is printed as written (it was a format) */
	T_STREQ(err, "bad4:1: delimiters must be two words: {{=<% %>=}}");
	free(err);
	err = NULL;
	/* the '=' that opens the tag is not also the one that ends it (fuzz-tmpl) */
	T_CHECK(tmpl_set_add(s, "bad5", "{{=}}", 5, &err) == ERR_INVALID);
	free(err);
	err = NULL;
	T_CHECK(tmpl_set_add(s, "bad6", "  {{=}}}=", 9, &err) == ERR_INVALID);
	free(err);
	tmpl_set_free(s);
}

/* With "#" as the closing delimiter, "|#s#" is a section s: the sigil is not
 * also the end of the tag (fuzz-tmpl: memcpy of -1 bytes for "|#s |"). */
static void test_sigil_is_not_the_closing_delimiter(void)
{
	struct tmpl_set *s = tmpl_set_new();
	struct buf out = {0};
	cJSON *data = cJSON_Parse("{\"s\":true,\"v\":\"x\"}");
	char *err = NULL;

	T_CHECK(tmpl_set_add(s, "ok", "{{=| #=}}|#s#[|v#]|/s#", 22, &err) == 0);
	T_CHECK(tmpl_render(s, "ok", data, &out) == 0);
	T_STREQ(out.data, "[x]");
	T_CHECK(tmpl_set_add(s, "open", "{{=| #=}}\n|#s  |", 16, &err) == ERR_INVALID);
	T_CHECK(err != NULL && strstr(err, "open:2:") != NULL);
	free(err);
	cJSON_Delete(data);
	buf_free(&out);
	tmpl_set_free(s);
}

static void test_recursion_is_bounded(void)
{
	struct tmpl_set *s = tmpl_set_new();
	struct buf out = {0};
	cJSON *data = cJSON_Parse("{\"a\":1}");

	tmpl_set_add(s, "loop", "x{{>loop}}", 10, NULL);
	T_CHECK(tmpl_render(s, "loop", data, &out) == ERR_LIMIT);
	T_CHECK(tmpl_render(s, "missing", data, &out) == ERR_NOTFOUND);
	cJSON_Delete(data);
	buf_free(&out);
	tmpl_set_free(s);
}

/* Sections over arrays multiply: 4^20 renders of nothing, and 20 copies of
 * 1 MB, both stop at the work limits (before: a libFuzzer timeout in fuzz-tmpl). */
static void test_work_is_bounded(void)
{
	struct tmpl_set *s = tmpl_set_new();
	struct buf src = {0}, out = {0};
	cJSON *data = cJSON_Parse(
	    "{\"a\":[1,2,3,4],\"b\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}");
	int i;

	for (i = 0; i < 20; i++)
		buf_puts(&src, "{{#a}}");
	for (i = 0; i < 20; i++)
		buf_puts(&src, "{{/a}}");
	T_CHECK(tmpl_set_add(s, "nested", src.data, src.len, NULL) == 0);
	T_CHECK(tmpl_render(s, "nested", data, &out) == ERR_LIMIT);
	buf_clear(&src);
	buf_puts(&src, "{{#b}}");
	for (i = 0; i < 1024 * 1024; i++)
		buf_putc(&src, 'x');
	buf_puts(&src, "{{/b}}");
	T_CHECK(tmpl_set_add(s, "big", src.data, src.len, NULL) == 0);
	buf_clear(&out);
	T_CHECK(tmpl_render(s, "big", data, &out) == ERR_LIMIT);
	T_CHECK(out.len <= TMPL_MAX_OUTPUT + 1024 * 1024);
	cJSON_Delete(data);
	buf_free(&src);
	buf_free(&out);
	tmpl_set_free(s);
}

static void test_layout_pattern_and_empty_string_falsey(void)
{
	struct tmpl_set *s = tmpl_set_new();
	struct buf page = {0}, out = {0};
	cJSON *ctx = cJSON_Parse("{\"who\":\"<me>\",\"flash\":\"\"}");

	tmpl_set_add(s, "layout", "<main>{{#flash}}F{{/flash}}{{{content}}}</main>", 48, NULL);
	tmpl_set_add(s, "page", "<p>{{who}}</p>", 14, NULL);
	T_CHECK(tmpl_render(s, "page", ctx, &page) == 0);
	cJSON_AddStringToObject(ctx, "content", page.data);
	T_CHECK(tmpl_render(s, "layout", ctx, &out) == 0);
	T_STREQ(out.data, "<main><p>&lt;me&gt;</p></main>");
	cJSON_Delete(ctx);
	buf_free(&page);
	buf_free(&out);
	tmpl_set_free(s);
}

static void count_raw(const char *t, const char *var, void *arg)
{
	(void)t;
	if (strcmp(var, "content") == 0)
		(*(int *)arg)++;
}

static void test_load_dir_and_raw_names(void)
{
	struct tmpl_set *s = tmpl_set_new();
	char *err = NULL;
	int content = 0;

	T_CHECK(tmpl_set_load_dir(s, "templates", &err) == 0);
	T_CHECK(tmpl_set_has(s, "layout") && tmpl_set_has(s, "error"));
	T_CHECK(tmpl_raw_names(s, count_raw, &content) == content && content == 1);
	T_CHECK(tmpl_set_load_dir(s, "/nonexistent", &err) == ERR_IO);
	free(err);
	tmpl_set_free(s);
}

/* A translator for the tests: a few Spanish msgids. */
static const char *spanish(const void *arg, const char *msgid)
{
	static const char *const table[][2] = {
	    {"Upload photos", "Subir fotos"},
	    {"Welcome back, {{email}}", "Hola de nuevo, <b>{{email}}</b>"},
	    {"Two lines of text", "Dos líneas"},
	    {"Broken {{name}}", "Roto {{name}"},
	    {"In <% name %>", "En <% name %>"},
	};
	(void)arg;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i][0], msgid) == 0)
			return table[i][1];
	return msgid;
}

static char *render_es(const char *src, const char *json)
{
	struct tmpl_tr tr = {spanish, NULL};
	struct tmpl_set *s = tmpl_set_new();
	struct buf out = {0};
	cJSON *data = cJSON_Parse(json);
	char *err = NULL;

	if (tmpl_set_add(s, "t", src, strlen(src), &err) != 0 ||
	    tmpl_render_tr(s, "t", data, &tr, &out) != 0)
		buf_printf(&out, "(error %s)", err ? err : "");
	free(err);
	cJSON_Delete(data);
	tmpl_set_free(s);
	return out.data;
}

static void test_translation_sections(void)
{
	char *got;

	got = render_es("<h1>{{#_}}Upload photos{{/_}}</h1>", "{}");
	T_STREQ(got, "<h1>Subir fotos</h1>");
	free(got);
	/* variables are rendered (escaped) after translating; markup is kept */
	got = render_es("<p>{{#_}}Welcome back, {{email}}{{/_}}</p>", "{\"email\":\"<a>\"}");
	T_STREQ(got, "<p>Hola de nuevo, <b>&lt;a&gt;</b></p>");
	free(got);
	/* whitespace: collapsed in the msgid, kept around it; standalone tags */
	got = render_es("<p>\n{{#_}}\n  Two   lines\n  of text\n{{/_}}\n</p>", "{}");
	T_STREQ(got, "<p>\n  Dos líneas\n</p>");
	free(got);
	/* no translation: the msgid, its variables filled, whitespace collapsed */
	got = render_es("{{#_}}Hi  {{name}}!{{/_}}", "{\"name\":\"Ana\",\"_\":false}");
	T_STREQ(got, "Hi Ana!");
	free(got);
	/* a translation that does not compile shows the msgid */
	got = render_es("{{#_}}Broken {{name}}{{/_}}", "{\"name\":\"x\"}");
	T_STREQ(got, "Broken x");
	free(got);
	/* the delimiters in force are the translation's too */
	got = render_es("{{=<% %>=}}<%#_%>In <% name %><%/_%>", "{\"name\":\"y\"}");
	T_STREQ(got, "En y");
	free(got);
	/* without a translator, the msgid; inside sections, the section's context */
	got = render("{{#a}}{{#_}}Upload photos {{b}}{{/_}}{{/a}}", "{\"a\":{\"b\":1}}");
	T_STREQ(got, "Upload photos 1");
	free(got);
	got = render_es("{{#_}}a {{#_}}b{{/_}}{{/_}}", "{}");
	T_CHECK(strstr(got, "do not nest") != NULL);
	free(got);
	got = render_es("{{#_}}never closed", "{}");
	T_CHECK(strstr(got, "not closed") != NULL);
	free(got);
}

static void add_msgid(const char *t, const char *msgid, void *arg)
{
	struct buf *b = arg;

	buf_printf(b, "%s:%s|", t, msgid);
}

static void test_msgids_listed(void)
{
	struct tmpl_set *s = tmpl_set_new();
	struct buf b = {0};
	const char *src = "{{#_}}One{{/_}} {{#x}}{{#_}} Two\n {{y}} {{/_}}{{/x}}";

	T_CHECK(tmpl_set_add(s, "p", src, strlen(src), NULL) == 0);
	T_CHECK(tmpl_msgids(s, add_msgid, &b) == 2);
	T_STREQ(b.data, "p:One|p:Two {{y}}|");
	buf_free(&b);
	tmpl_set_free(s);
}

int main(void)
{
	run_spec();
	T_RUN(test_escapes_hostile_name);
	T_RUN(test_errors_have_line_numbers);
	T_RUN(test_sigil_is_not_the_closing_delimiter);
	T_RUN(test_recursion_is_bounded);
	T_RUN(test_work_is_bounded);
	T_RUN(test_layout_pattern_and_empty_string_falsey);
	T_RUN(test_load_dir_and_raw_names);
	T_RUN(test_translation_sections);
	T_RUN(test_msgids_listed);
	T_DONE();
}
