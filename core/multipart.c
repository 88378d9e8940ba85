/* multipart.c: streaming multipart/form-data parser (see multipart.h).
 *
 * The delimiter is "\r\n--" boundary; the parser starts as if a "\r\n" had
 * just been read, so a body may begin directly with "--boundary". Boundary
 * characters never include '\r', so after a partial match fails the only
 * place a new match can start is the current byte. */
#include "multipart.h"
#include "err.h"
#include "i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int fail(struct mp_parser *p, int rc, const char *why)
{
	p->state = MP_FAILED;
	p->why = why;
	return rc;
}

static int boundary_char(int c)
{
	return isalnum(c) || strchr("'()+_,-./:=? ", c) != NULL;
}

/* The next ';' of v outside a quoted string, or NULL. */
static const char *next_param(const char *v)
{
	int quoted = 0;

	for (; *v; v++) {
		if (quoted && *v == '\\' && v[1] != '\0')
			v++;
		else if (*v == '"')
			quoted = !quoted;
		else if (*v == ';' && !quoted)
			return v;
	}
	return NULL;
}

/* Value of parameter name in a header value ("; a=b; c=\"d\""), unquoted
 * into out (size MP_NAME_MAX + 1). 1 found, 0 absent, -1 too long, -2 an
 * unterminated quote. */
static int header_param(const char *v, const char *name, char *out)
{
	size_t nl = strlen(name);

	while ((v = next_param(v)) != NULL) {
		size_t n = 0;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncasecmp(v, name, nl) != 0 || v[nl] != '=')
			continue;
		v += nl + 1;
		if (*v == '"') {
			for (v++; *v && *v != '"'; v++) {
				if (*v == '\\' && (v[1] == '"' || v[1] == '\\'))
					v++;
				if (n >= MP_NAME_MAX)
					return -1;
				out[n++] = *v;
			}
			if (*v != '"')
				return -2;
		} else {
			for (; *v && *v != ';' && *v != ' ' && *v != '\t'; v++) {
				if (n >= MP_NAME_MAX)
					return -1;
				out[n++] = *v;
			}
		}
		out[n] = '\0';
		return 1;
	}
	return 0;
}

int mp_init(struct mp_parser *p, const char *content_type, const struct mp_limits *lim,
            const struct mp_callbacks *cb, void *user)
{
	char b[MP_NAME_MAX + 1];
	size_t i, n;
	int rc;

	memset(p, 0, sizeof(*p));
	p->cb = cb;
	p->user = user;
	p->lim = *lim;
	if (strncasecmp(content_type, "multipart/form-data", 19) != 0 ||
	    (content_type[19] != ';' && content_type[19] != '\0'))
		return fail(p, ERR_INVALID, N_("The body must be multipart/form-data."));
	rc = header_param(content_type + 19, "boundary", b);
	n = rc == 1 ? strlen(b) : 0;
	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return fail(p, ERR_INVALID, N_("The multipart boundary is missing or malformed."));
	for (i = 0; i < n; i++)
		if (!boundary_char((unsigned char)b[i]))
			return fail(p, ERR_INVALID,
			            N_("The multipart boundary is missing or malformed."));
	p->delim_len = (size_t)snprintf(p->delim, sizeof(p->delim), "\r\n--%s", b);
	p->matched = 2;
	p->state = MP_PREAMBLE;
	return 0;
}

/* One complete header line (without CRLF) of the current part. */
static int header_line(struct mp_parser *p)
{
	char *v = strchr(p->line, ':');
	int rc;

	if (++p->headers > p->lim.max_headers)
		return fail(p, ERR_LIMIT, N_("A multipart part has too many header lines."));
	if (v == NULL || v == p->line)
		return fail(p, ERR_INVALID, N_("A multipart part header is malformed."));
	*v++ = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	if (strcasecmp(p->line, "Content-Disposition") == 0) {
		/* a second one would leave the first one's filename behind */
		if (p->part.name[0] != '\0')
			return fail(p, ERR_INVALID,
			            N_("A multipart part has more than one Content-Disposition."));
		if (strncasecmp(v, "form-data", 9) != 0)
			return fail(p, ERR_INVALID, N_("A multipart part is not form-data."));
		if ((rc = header_param(v, "name", p->part.name)) == 1)
			rc = header_param(v, "filename", p->part.filename);
		if (rc == -1)
			return fail(p, ERR_LIMIT, N_("A field name or filename is too long."));
		if (rc == -2 || p->part.name[0] == '\0')
			return fail(p, ERR_INVALID,
			            N_("A multipart part has a malformed field name."));
		p->part.is_file = rc == 1;
	} else if (strcasecmp(p->line, "Content-Type") == 0) {
		snprintf(p->part.ctype, sizeof(p->part.ctype), "%s", v);
	}
	return 0;
}

/* Scan for the delimiter. Data before it goes to part_data when emit is
 * set. Returns bytes consumed; *found is set when the delimiter completed
 * (the consumed count then ends right after it). */
static size_t scan(struct mp_parser *p, const char *d, size_t n, int emit, int *found, int *rc)
{
	size_t i = 0, from = 0;

	*found = 0;
	*rc = 0;
	while (i < n) {
		if (p->matched == 0) {
			const char *cr = memchr(d + i, '\r', n - i);
			if (cr == NULL) {
				i = n;
				break;
			}
			i = (size_t)(cr - d);
			if (emit && i > from &&
			    (*rc = p->cb->part_data(p->user, d + from, i - from)))
				return i;
			from = i;
			p->matched = 1;
			i++;
			continue;
		}
		if (d[i] == p->delim[p->matched]) {
			i++;
			if (++p->matched == p->delim_len) {
				p->matched = 0;
				*found = 1;
				return i;
			}
			continue;
		}
		/* the held prefix was data after all */
		if (emit && (*rc = p->cb->part_data(p->user, p->delim, p->matched)))
			return i;
		p->matched = 0;
		from = i;
	}
	if (emit && p->matched == 0 && i > from)
		*rc = p->cb->part_data(p->user, d + from, i - from);
	return i;
}

int mp_feed(struct mp_parser *p, const char *d, size_t n)
{
	size_t i = 0;
	int rc, found;

	while (i < n) {
		char c = d[i];
		switch (p->state) {
		case MP_PREAMBLE:
		case MP_BODY:
			i += scan(p, d + i, n - i, p->state == MP_BODY, &found, &rc);
			if (rc)
				return fail(p, rc, N_("The upload was refused."));
			if (found) {
				if (p->state == MP_BODY && (rc = p->cb->part_end(p->user)))
					return fail(p, rc, N_("The upload was refused."));
				p->state = MP_AFTER_DELIM;
			}
			continue;
		case MP_AFTER_DELIM:
		case MP_DELIM_LWS:
			i++;
			if (c == '-' && p->state == MP_AFTER_DELIM) {
				p->state = MP_AFTER_DASH;
			} else if (c == ' ' || c == '\t') {
				p->state = MP_DELIM_LWS;
			} else if (c == '\r') {
				p->state = MP_DELIM_CR;
			} else {
				return fail(p, ERR_INVALID, N_("The multipart body is malformed."));
			}
			continue;
		case MP_DELIM_CR:
			i++;
			if (c != '\n')
				return fail(p, ERR_INVALID, N_("The multipart body is malformed."));
			if (++p->parts > p->lim.max_parts)
				return fail(p, ERR_LIMIT, N_("The upload has too many parts."));
			memset(&p->part, 0, sizeof(p->part));
			p->headers = 0;
			p->line_len = 0;
			p->state = MP_HEADERS;
			continue;
		case MP_AFTER_DASH:
			i++;
			if (c != '-')
				return fail(p, ERR_INVALID, N_("The multipart body is malformed."));
			p->state = MP_EPILOGUE;
			continue;
		case MP_HEADERS:
			i++;
			if (c != '\n') {
				if (p->line_len >= MP_LINE_MAX - 1)
					return fail(p, ERR_LIMIT,
					            N_("A multipart header line is too long."));
				p->line[p->line_len++] = c;
				continue;
			}
			if (p->line_len > 0 && p->line[p->line_len - 1] == '\r')
				p->line_len--;
			p->line[p->line_len] = '\0';
			if (p->line_len == 0) {
				if (p->part.name[0] == '\0')
					return fail(p, ERR_INVALID,
					            N_("A multipart part has no "
					               "Content-Disposition name."));
				if ((rc = p->cb->part_begin(p->user, &p->part)))
					return fail(p, rc, N_("The upload was refused."));
				p->state = MP_BODY;
				continue;
			}
			p->line_len = 0;
			if ((rc = header_line(p)))
				return rc;
			continue;
		case MP_EPILOGUE: return 0;
		case MP_FAILED: return ERR_INVALID;
		}
	}
	return 0;
}

int mp_finish(struct mp_parser *p)
{
	if (p->state == MP_FAILED)
		return ERR_INVALID;
	if (p->state != MP_EPILOGUE)
		return fail(p, ERR_INVALID,
		            N_("The multipart body ended before its closing boundary."));
	return 0;
}
