/* err.c: names of error codes for logs. */
#include "err.h"

const char *err_name(int e)
{
	switch (e) {
	case ERR_OK: return "ok";
	case ERR_NOTFOUND: return "not found";
	case ERR_INVALID: return "invalid";
	case ERR_CONFLICT: return "conflict";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_DB: return "database error";
	case ERR_IO: return "i/o error";
	case ERR_NOMEM: return "out of memory";
	case ERR_LIMIT: return "limit exceeded";
	case ERR_UNAVAILABLE: return "unavailable";
	case ERR_THROTTLED: return "throttled";
	case ERR_AUTH: return "authentication failed";
	case ERR_TYPE: return "unsupported type";
	case ERR_BADDATA: return "unusable data";
	case ERR_QUOTA: return "quota exceeded";
	case ERR_NOSPACE: return "no space left";
	case ERR_GONE: return "gone";
	}
	return "unknown error";
}
