/* validate.c: parameter validators (see validate.h). */
#include "validate.h"
#include "err.h"
#include "i18n.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static int is_b64url(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

int validate_day(const char *v, size_t n)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	size_t i;

	if (n != 10 || v[4] != '-' || v[7] != '-')
		return 0;
	for (i = 0; i < n; i++)
		if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
			return 0;
	y = atoi(v);
	m = atoi(v + 5);
	d = atoi(v + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

int validate_value(enum vkind kind, const char *v, size_t n, size_t max, const char **reason)
{
	size_t i;

	*reason = N_("The field \"%s\" is too long.");
	if (n > max)
		return ERR_INVALID;
	*reason = N_("The field \"%s\" is not valid text.");
	if (kind != V_TOKEN && kind != V_FLAG && !utf8_valid(v, n))
		return ERR_INVALID;
	switch (kind) {
	case V_TEXT:
		if (utf8_has_controls(v, n))
			return ERR_INVALID;
		break;
	case V_LINE:
	case V_PASSWORD:
	case V_PATH:
		for (i = 0; i < n; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
				return ERR_INVALID;
		if (kind == V_PATH && n > 0 &&
		    (v[0] != '/' || (n > 1 && (v[1] == '/' || v[1] == '\\')))) {
			*reason = N_("The field \"%s\" must be a path on this site.");
			return ERR_INVALID;
		}
		break;
	case V_TOKEN:
		for (i = 0; i < n; i++)
			if (!is_b64url((unsigned char)v[i]))
				return ERR_INVALID;
		break;
	case V_FLAG:
		if (strcmp(v, "yes") && strcmp(v, "on") && strcmp(v, "1") && strcmp(v, "true")) {
			*reason = N_("The field \"%s\" must be yes or absent.");
			return ERR_INVALID;
		}
		break;
	case V_DATE:
		if (n > 0 && !validate_day(v, n)) {
			*reason = N_("The field \"%s\" must be a real day as YYYY-MM-DD.");
			return ERR_INVALID;
		}
		break;
	case V_UINT:
		for (i = 0; i < n; i++)
			if (v[i] < '0' || v[i] > '9') {
				*reason = N_("The field \"%s\" must be a whole number.");
				return ERR_INVALID;
			}
		break;
	case V__MAX: return ERR_INVALID;
	}
	*reason = NULL;
	return 0;
}
