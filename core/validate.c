/* validate.c: parameter validators (see validate.h). */
#include "validate.h"
#include "err.h"
#include "utf8.h"

#include <string.h>

static int is_b64url(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

int validate_value(enum vkind kind, const char *v, size_t n, size_t max, const char **reason)
{
	size_t i;

	*reason = "is too long";
	if (n > max)
		return ERR_INVALID;
	*reason = "is not valid text";
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
			*reason = "must be a path on this site";
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
			*reason = "must be yes or absent";
			return ERR_INVALID;
		}
		break;
	case V__MAX: return ERR_INVALID;
	}
	*reason = NULL;
	return 0;
}
