/* test-multipart.c: the streaming multipart parser on well-formed bodies
 * (whole and split at every byte), limits, and malformed bodies. */
#include "err.h"
#include "multipart.h"
#include "t.h"

#include <stdlib.h>

/* What the callbacks saw, flattened: "[name|filename|ctype]data<end>". */
struct seen {
	char out[8192];
	size_t len;
	int refuse_file; /* part_begin refuses file parts */
};

static void put(struct seen *s, const char *d, size_t n)
{
	if (s->len + n < sizeof(s->out)) {
		memcpy(s->out + s->len, d, n);
		s->len += n;
		s->out[s->len] = '\0';
	}
}

static int on_begin(void *u, const struct mp_part *p)
{
	struct seen *s = u;
	char tmp[1024];

	if (s->refuse_file && p->is_file)
		return ERR_FORBIDDEN;
	snprintf(tmp, sizeof(tmp), "[%s|%s|%s]", p->name, p->is_file ? p->filename : "-", p->ctype);
	put(s, tmp, strlen(tmp));
	return 0;
}

static int on_data(void *u, const char *d, size_t n)
{
	put(u, d, n);
	return 0;
}

static int on_end(void *u)
{
	put(u, "<end>", 5);
	return 0;
}

static const struct mp_callbacks cbs = {on_begin, on_data, on_end};
static const struct mp_limits lim = {8, 8};
#define CT "multipart/form-data; boundary=XyZ"

static const char body[] = "preamble ignored\r\n"
                           "--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"caption\"\r\n"
                           "\r\n"
                           "a cat\r\n-- not a boundary \r\n--Xy-partial\r\n"
                           "--XyZ\r\n"
                           "content-disposition: form-data; name=\"file\"; "
                           "filename=\"../../etc/pa\\\"ss.jpg\"\r\n"
                           "Content-Type: image/jpeg\r\n"
                           "\r\n"
                           "\xff\xd8\r\r\n\r\n-\r\n--Xy\xff\xd9\r\n"
                           "--XyZ--\r\n"
                           "epilogue --XyZ ignored";

static const char expect[] = "[caption|-|]a cat\r\n-- not a boundary \r\n--Xy-partial<end>"
                             "[file|../../etc/pa\"ss.jpg|image/jpeg]"
                             "\xff\xd8\r\r\n\r\n-\r\n--Xy\xff\xd9<end>";

static int parse_split(const char *ct, const char *b, size_t n, size_t split, struct seen *s,
                       const char **why)
{
	struct mp_parser p;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = mp_init(&p, ct, &lim, &cbs, s)) != 0) {
		*why = p.why;
		return rc;
	}
	if ((rc = mp_feed(&p, b, split)) == 0 && (rc = mp_feed(&p, b + split, n - split)) == 0)
		rc = mp_finish(&p);
	*why = p.why;
	return rc;
}

static void test_whole(void)
{
	struct seen s;
	const char *why;

	T_CHECK(parse_split(CT, body, sizeof(body) - 1, 0, &s, &why) == 0);
	T_CHECK(s.len == sizeof(expect) - 1 && memcmp(s.out, expect, s.len) == 0);
}

static void test_split_every_byte(void)
{
	struct seen s;
	const char *why;
	size_t i, bad = 0;

	for (i = 0; i <= sizeof(body) - 1; i++) {
		if (parse_split(CT, body, sizeof(body) - 1, i, &s, &why) != 0 ||
		    s.len != sizeof(expect) - 1 || memcmp(s.out, expect, s.len) != 0)
			bad++;
	}
	T_CHECK(bad == 0);
}

static void test_byte_at_a_time(void)
{
	struct mp_parser p;
	struct seen s = {0};
	size_t i;
	int rc = mp_init(&p, "multipart/form-data; boundary=\"XyZ\"", &lim, &cbs, &s);

	for (i = 0; rc == 0 && i < sizeof(body) - 1; i++)
		rc = mp_feed(&p, body + i, 1);
	T_CHECK(rc == 0 && mp_finish(&p) == 0);
	T_CHECK(s.len == sizeof(expect) - 1 && memcmp(s.out, expect, s.len) == 0);
}

static void test_bad_content_type(void)
{
	struct seen s;
	const char *why;
	const char *b = "--XyZ--\r\n";

	T_CHECK(parse_split("text/plain", b, strlen(b), 0, &s, &why) == ERR_INVALID);
	T_CHECK(parse_split("multipart/form-data", b, strlen(b), 0, &s, &why) == ERR_INVALID);
	T_CHECK(parse_split("multipart/form-data; boundary=", b, strlen(b), 0, &s, &why) ==
	        ERR_INVALID);
	T_CHECK(parse_split("multipart/form-data; boundary=a<b", b, strlen(b), 0, &s, &why) ==
	        ERR_INVALID);
	T_CHECK(parse_split("multipart/form-data; boundary=0123456789012345678901234567890123456789"
	                    "01234567890123456789012345678901",
	                    b, strlen(b), 0, &s, &why) == ERR_INVALID);
	T_CHECK(why != NULL && strstr(why, "boundary") != NULL);
}

static void test_malformed(void)
{
	struct seen s;
	const char *why;
	static const char *const bad[] = {
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", /* truncated */
	    "no boundary at all",
	    "--XyZ\r\n\r\nno disposition\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--",
	    "--XyZx\r\n",
	    "--XyZ-x",
	    /* two dispositions: the file's name must not outlive it (fuzz-multipart) */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
	    "Content-Disposition: form-data; name=\"caption\"\r\n\r\nx\r\n--XyZ--",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse_split(CT, bad[i], strlen(bad[i]), 0, &s, &why);
		if (rc != ERR_INVALID || why == NULL)
			fprintf(stderr, "  malformed body %zu: rc=%d\n", i, rc);
		T_CHECK(rc == ERR_INVALID && why != NULL);
	}
}

static void test_limits(void)
{
	struct seen s;
	const char *why;
	char b[4096];
	size_t n = 0;
	int i;

	/* too many parts */
	for (i = 0; i < 9; i++)
		n += (size_t)snprintf(
		    b + n, sizeof(b) - n,
		    "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nx\r\n", i);
	n += (size_t)snprintf(b + n, sizeof(b) - n, "--XyZ--\r\n");
	T_CHECK(parse_split(CT, b, n, 0, &s, &why) == ERR_LIMIT);
	/* too many header lines */
	n = (size_t)snprintf(b, sizeof(b),
	                     "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n");
	for (i = 0; i < 8; i++)
		n += (size_t)snprintf(b + n, sizeof(b) - n, "X-H: %d\r\n", i);
	n += (size_t)snprintf(b + n, sizeof(b) - n, "\r\nx\r\n--XyZ--");
	T_CHECK(parse_split(CT, b, n, 0, &s, &why) == ERR_LIMIT);
	/* an overlong header line */
	n = (size_t)snprintf(b, sizeof(b), "--XyZ\r\nX-Long: ");
	memset(b + n, 'a', 2000);
	n += 2000;
	n += (size_t)snprintf(b + n, sizeof(b) - n, "\r\n\r\nx\r\n--XyZ--");
	T_CHECK(parse_split(CT, b, n, 0, &s, &why) == ERR_LIMIT);
	/* an overlong filename */
	n = (size_t)snprintf(b, sizeof(b),
	                     "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"");
	memset(b + n, 'a', 300);
	n += 300;
	n += (size_t)snprintf(b + n, sizeof(b) - n, ".jpg\"\r\n\r\nx\r\n--XyZ--");
	T_CHECK(parse_split(CT, b, n, 0, &s, &why) == ERR_LIMIT);
	T_CHECK(why != NULL && strstr(why, "too long") != NULL);
}

static void test_callback_refusal(void)
{
	struct mp_parser p;
	struct seen s = {0};

	s.refuse_file = 1;
	T_CHECK(mp_init(&p, CT, &lim, &cbs, &s) == 0);
	T_CHECK(mp_feed(&p, body, sizeof(body) - 1) == ERR_FORBIDDEN);
	T_CHECK(mp_finish(&p) != 0);
}

static void test_empty_and_lws(void)
{
	struct seen s;
	const char *why;
	const char *b = "--XyZ \t\r\nContent-Disposition: form-data; name=e\r\n\r\n\r\n--XyZ--";

	T_CHECK(parse_split(CT, b, strlen(b), 0, &s, &why) == 0);
	T_STREQ(s.out, "[e|-|]<end>");
}

/* A ';' inside a quoted filename (browsers send it raw) does not start a
 * parameter: "name=x.jpg" in the filename is not the field name. */
static void test_semicolon_in_quoted_filename(void)
{
	struct seen s;
	const char *why;
	const char *b = "--XyZ\r\nContent-Disposition: form-data; filename=\"a; name=x.jpg\"; "
	                "name=\"file\"\r\n\r\ny\r\n--XyZ--";

	T_CHECK(parse_split(CT, b, strlen(b), 0, &s, &why) == 0);
	T_STREQ(s.out, "[file|a; name=x.jpg|]y<end>");
	T_CHECK(parse_split("multipart/form-data; x=\"; boundary=no\"; boundary=XyZ", b, strlen(b),
	                    0, &s, &why) == 0);
}

int main(void)
{
	T_RUN(test_whole);
	T_RUN(test_split_every_byte);
	T_RUN(test_byte_at_a_time);
	T_RUN(test_bad_content_type);
	T_RUN(test_malformed);
	T_RUN(test_limits);
	T_RUN(test_callback_refusal);
	T_RUN(test_empty_and_lws);
	T_RUN(test_semicolon_in_quoted_filename);
	T_DONE();
}
