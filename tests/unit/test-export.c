/* test-export.c: the export writers without a database — CSV fields
 * (quoting, doubled quotes, newlines, the formula-injection guard), CSV and
 * JSON records of a photo, XML escaping, and the XMP sidecar. */
#include "err.h"
#include "export.h"
#include "t.h"

#include <cJSON.h>

#include <stdlib.h>

static struct buf b;

static const char *csv(const char *s, int guard)
{
	buf_clear(&b);
	export_csv_field(&b, s, guard);
	return b.data ? b.data : "";
}

static const char *xml(const char *s)
{
	buf_clear(&b);
	export_xml_escape(&b, s);
	return b.data ? b.data : "";
}

static void test_csv_plain_fields_unquoted(void)
{
	T_STREQ(csv("", 1), "");
	T_STREQ(csv("cat.jpg", 1), "cat.jpg");
	T_STREQ(csv("Atardecer en la playa ñ", 1), "Atardecer en la playa ñ");
	T_STREQ(csv("it's", 1), "it's");
	T_STREQ(csv("#cat", 1), "#cat");
}

static void test_csv_quoting(void)
{
	T_STREQ(csv("a,b", 1), "\"a,b\"");
	T_STREQ(csv("say \"hi\"", 1), "\"say \"\"hi\"\"\"");
	T_STREQ(csv("\"", 1), "\"\"\"\"");
	T_STREQ(csv("line one\nline two", 1), "\"line one\nline two\"");
	T_STREQ(csv("dos\r\nline", 1), "\"dos\r\nline\"");
}

static void test_csv_injection_guard(void)
{
	T_STREQ(csv("=cmd|' /C calc'!A0", 1), "'=cmd|' /C calc'!A0");
	T_STREQ(csv("+1+1", 1), "'+1+1");
	T_STREQ(csv("-2+3", 1), "'-2+3");
	T_STREQ(csv("@SUM(A1)", 1), "'@SUM(A1)");
	T_STREQ(csv("\t=1", 1), "'\t=1");
	/* CR needs quoting too; the apostrophe goes inside the quotes */
	T_STREQ(csv("\r=1", 1), "\"'\r=1\"");
	T_STREQ(csv("=HYPERLINK(\"http://x\",\"y\")", 1),
	        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	T_STREQ(csv("=a,b", 1), "\"'=a,b\"");
	/* only the first character counts */
	T_STREQ(csv("a=b", 1), "a=b");
	T_STREQ(csv(" =b", 1), " =b");
	/* unguarded (numbers) */
	T_STREQ(csv("-1", 0), "-1");
	T_STREQ(csv("=x", 0), "=x");
}

static const struct export_tag tags[] = {
    {"Cat", "object", "accepted", "cat detected (92%)", "0.92", 1},
    {"ÁrbolGrande", "caption", "rejected", "from your caption", "0.5", 2},
    {"Mine", "user", "added", "", "1", -3},
};

static void test_csv_photo_rows(void)
{
	struct export_photo p = {"-AbCdEfGhIjKlMnO",
	                         "=evil.jpg",
	                         "a, \"b\"\nc",
	                         "2026-01-02T03:04:05Z",
	                         "tagged",
	                         640,
	                         480,
	                         tags,
	                         3};

	buf_clear(&b);
	export_csv_header(&b);
	T_STREQ(b.data,
	        "photo_id,name,created_at,caption,hashtag,source,state,confidence,rank\r\n");
	buf_clear(&b);
	export_csv_photo(&b, &p);
	T_STREQ(b.data, "'-AbCdEfGhIjKlMnO,'=evil.jpg,2026-01-02T03:04:05Z,\"a, \"\"b\"\"\nc\","
	                "#cat,object,accepted,0.92,1\r\n"
	                "'-AbCdEfGhIjKlMnO,'=evil.jpg,2026-01-02T03:04:05Z,\"a, \"\"b\"\"\nc\","
	                "#árbolgrande,caption,rejected,0.5,2\r\n"
	                "'-AbCdEfGhIjKlMnO,'=evil.jpg,2026-01-02T03:04:05Z,\"a, \"\"b\"\"\nc\","
	                "#mine,user,added,1,-3\r\n");
	p.ntags = 0;
	p.id = "AbCdEfGhIjKlMnOp";
	p.name = "cat.jpg";
	p.caption = "";
	buf_clear(&b);
	export_csv_photo(&b, &p);
	T_STREQ(b.data, "AbCdEfGhIjKlMnOp,cat.jpg,2026-01-02T03:04:05Z,,,,,,\r\n");
}

static void test_json_photo(void)
{
	struct export_photo p = {"AbCdEfGhIjKlMnOp",
	                         "x\"y.jpg",
	                         "<b>\n",
	                         "2026-01-02T03:04:05Z",
	                         "tagged",
	                         640,
	                         480,
	                         tags,
	                         3};
	cJSON *o, *h;

	buf_clear(&b);
	export_json_photo(&b, &p);
	o = cJSON_Parse(b.data);
	T_CHECK(o != NULL);
	T_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(o, "name")), "x\"y.jpg");
	T_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(o, "caption")), "<b>\n");
	T_CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "width")) == 640);
	h = cJSON_GetObjectItem(o, "hashtags");
	T_CHECK(cJSON_GetArraySize(h) == 3);
	T_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 1), "hashtag")),
	        "#árbolgrande");
	T_CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "confidence")) ==
	        0.92);
	T_CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 2), "rank")) == -3);
	T_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "reason")),
	        "cat detected (92%)");
	cJSON_Delete(o);
}

static void test_xml_escape(void)
{
	T_STREQ(xml("plain text"), "plain text");
	T_STREQ(xml("<a href=\"x\">Tom & Jerry's</a>"),
	        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
	T_STREQ(xml("]]>"), "]]&gt;");
	T_STREQ(xml("tab\tlf\ncr\r"), "tab\tlf\ncr&#13;");
	T_STREQ(xml("bell\a.esc\x1b."), "bell\xEF\xBF\xBD.esc\xEF\xBF\xBD.");
	T_STREQ(xml("ñandú ☕ 🐱"), "ñandú ☕ 🐱");
	T_STREQ(xml("bad \xC3( \xFF end"), "bad \xEF\xBF\xBD( \xEF\xBF\xBD end");
	T_STREQ(xml("cut \xE2\x98"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
	T_STREQ(xml("nonchar \xEF\xBF\xBE \xEF\xBF\xBF"), "nonchar \xEF\xBF\xBD \xEF\xBF\xBD");
	T_STREQ(xml("surrogate \xED\xA0\x80"), "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static int to_buf(void *ctx, const char *data, size_t n)
{
	buf_append(ctx, data, n);
	return 0;
}

static int refuse(void *ctx, const char *data, size_t n)
{
	(void)ctx;
	(void)data;
	(void)n;
	return ERR_IO;
}

static void xmp_of(struct image_tag *t, int n, const char *caption)
{
	struct image im;

	memset(&im, 0, sizeof(im));
	im.id = "AbCdEfGhIjKlMnOp";
	im.name = "cat.jpg";
	im.caption = caption;
	im.created_at = "2026-01-02T03:04:05Z";
	im.tags = t;
	im.ntags = n;
	buf_clear(&b);
	T_CHECK(export_xmp(&im, to_buf, &b) == 0);
}

static void test_xmp_chosen_tags(void)
{
	static const char xpacket[] =
	    "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
	struct image_tag t[] = {
	    {"Cat", "object", "", "suggested", 0.9},
	    {"Tom&Jerry", "user", "", "added", 1},
	    {"Pet", "object", "", "suggested", 0.8},
	    {"Kitten", "object", "", "accepted", 0.7},
	};

	xmp_of(t, 4, "Sunday <b>\"fun\"</b> & more\r\nline two");
	T_CHECK(strncmp(b.data, xpacket, sizeof(xpacket) - 1) == 0);
	T_CHECK(strstr(b.data, "<xmp:CreateDate>2026-01-02T03:04:05Z</xmp:CreateDate>") != NULL);
	T_CHECK(strstr(b.data, "<rdf:li xml:lang=\"x-default\">Sunday &lt;b&gt;&quot;fun&quot;"
	                       "&lt;/b&gt; &amp; more&#13;\nline two</rdf:li>") != NULL);
	T_CHECK(strstr(b.data, "<rdf:Bag>\n     <rdf:li>Tom&amp;Jerry</rdf:li>\n"
	                       "     <rdf:li>Kitten</rdf:li>\n    </rdf:Bag>") != NULL);
	T_CHECK(strstr(b.data, ">Cat<") == NULL && strstr(b.data, ">Pet<") == NULL);
	T_CHECK(strstr(b.data, "<rdf:li>#") == NULL);
	T_CHECK(strstr(b.data, "<?xpacket end=\"w\"?>\n") != NULL);
}

static void test_xmp_falls_back_to_suggestions(void)
{
	struct image_tag t[] = {
	    {"Cat", "object", "", "suggested", 0.9},
	    {"Dog", "object", "", "rejected", 0.8}, /* images_get leaves these out; be safe */
	    {"Pet", "object", "", "suggested", 0.8},
	};

	xmp_of(t, 3, "");
	T_CHECK(strstr(b.data, "<rdf:li>Cat</rdf:li>\n     <rdf:li>Pet</rdf:li>") != NULL);
	T_CHECK(strstr(b.data, "Dog") == NULL);
	T_CHECK(strstr(b.data, "dc:description") == NULL);
	xmp_of(t + 1, 1, "");
	T_CHECK(strstr(b.data, "dc:subject") == NULL);
	xmp_of(NULL, 0, "x");
	T_CHECK(strstr(b.data, "dc:subject") == NULL && strstr(b.data, "dc:description") != NULL);
}

static void test_xmp_write_error_returned(void)
{
	struct image im;

	memset(&im, 0, sizeof(im));
	im.name = im.caption = "";
	im.created_at = "2026-01-02T03:04:05Z";
	T_CHECK(export_xmp(&im, refuse, NULL) == ERR_IO);
}

int main(void)
{
	T_RUN(test_csv_plain_fields_unquoted);
	T_RUN(test_csv_quoting);
	T_RUN(test_csv_injection_guard);
	T_RUN(test_csv_photo_rows);
	T_RUN(test_json_photo);
	T_RUN(test_xml_escape);
	T_RUN(test_xmp_chosen_tags);
	T_RUN(test_xmp_falls_back_to_suggestions);
	T_RUN(test_xmp_write_error_returned);
	buf_free(&b);
	T_DONE();
}
