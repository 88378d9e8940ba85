/* fuzz-multipart.c: the streaming multipart parser. Input: one seed byte
 * for the chunking, the Content-Type up to the first '\n', then the body.
 * The body is fed twice, in chunks cut at seed-derived points and one byte
 * at a time; both feeds must report the same parts, data and result, and
 * no part's data may contain the delimiter. */
#include "buf.h"
#include "err.h"
#include "multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct trace {
	struct buf log;  /* every event, flattened */
	struct buf data; /* the current part's data */
	const char *delim;
	size_t delim_len;
	int in_part;
};

static void check_data(const struct trace *t)
{
	if (t->data.len >= t->delim_len &&
	    memmem(t->data.data, t->data.len, t->delim, t->delim_len))
		abort(); /* the delimiter was delivered as data */
}

static int on_begin(void *u, const struct mp_part *p)
{
	struct trace *t = u;

	if (t->in_part || p->name[0] == '\0' || strlen(p->name) > MP_NAME_MAX ||
	    strlen(p->filename) > MP_NAME_MAX || (!p->is_file && p->filename[0] != '\0'))
		abort();
	buf_printf(&t->log, "<%s|%s|%s|%d>", p->name, p->filename, p->ctype, p->is_file);
	buf_clear(&t->data);
	t->in_part = 1;
	return strcmp(p->name, "refuse") == 0 ? ERR_FORBIDDEN : 0;
}

static int on_data(void *u, const char *d, size_t n)
{
	struct trace *t = u;

	if (!t->in_part || n == 0)
		abort();
	buf_append(&t->log, d, n);
	buf_append(&t->data, d, n);
	return 0;
}

static int on_end(void *u)
{
	struct trace *t = u;

	if (!t->in_part)
		abort();
	check_data(t);
	buf_puts(&t->log, "<end>");
	t->in_part = 0;
	return 0;
}

static const struct mp_callbacks cbs = {on_begin, on_data, on_end};
static const struct mp_limits lim = {8, 8};

/* Feed body in pieces whose sizes come from seed (0: one byte each). */
static int run(const char *ctype, const char *body, size_t n, unsigned seed, struct trace *t)
{
	struct mp_parser p;
	size_t at = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = mp_init(&p, ctype, &lim, &cbs, t)) != 0)
		return rc;
	t->delim = p.delim;
	t->delim_len = p.delim_len;
	while (at < n && rc == 0) {
		size_t k = 1;
		if (seed != 0) {
			seed = seed * 1103515245u + 12345u;
			k = 1 + (seed >> 16) % (seed & 0x100 ? 7 : 300);
		}
		if (k > n - at)
			k = n - at;
		rc = mp_feed(&p, body + at, k);
		at += k;
	}
	if (rc == 0)
		rc = mp_finish(&p);
	if (t->in_part)
		check_data(t);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl;
	char *ctype;
	struct trace a, b;
	int ra, rb;

	if (size < 2 || (nl = memchr(data + 1, '\n', size - 1)) == NULL)
		return 0;
	ctype = strndup((const char *)data + 1, (size_t)(nl - (const char *)data - 1));
	ra = run(ctype, nl + 1, size - (size_t)(nl + 1 - (const char *)data), data[0] | 1u, &a);
	rb = run(ctype, nl + 1, size - (size_t)(nl + 1 - (const char *)data), 0, &b);
	if (ra != rb || a.log.len != b.log.len ||
	    (a.log.len && memcmp(a.log.data, b.log.data, a.log.len)))
		abort(); /* chunking changed what the parser reported */
	buf_free(&a.log);
	buf_free(&a.data);
	buf_free(&b.log);
	buf_free(&b.data);
	free(ctype);
	return 0;
}
