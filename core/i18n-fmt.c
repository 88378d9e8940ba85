/* i18n-fmt.c: numbers, sizes and dates written the way a language writes
 * them (see i18n.h). Month names come from the catalog (context "month");
 * the separators from the language table in i18n.c. */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const months[12] = {
    NC_("month", "Jan"), NC_("month", "Feb"), NC_("month", "Mar"), NC_("month", "Apr"),
    NC_("month", "May"), NC_("month", "Jun"), NC_("month", "Jul"), NC_("month", "Aug"),
    NC_("month", "Sep"), NC_("month", "Oct"), NC_("month", "Nov"), NC_("month", "Dec"),
};

/* digits (an unsigned decimal integer part, then anything) with l's
 * thousands separator every three digits, and its decimal separator for '.'. */
static const char *grouped(const struct i18n_lang *l, struct arena *a, const char *digits)
{
	const char *th = l ? l->thousands : ",", *dec = l ? l->decimal : ".";
	size_t n = strspn(digits, "0123456789"), rest = strlen(digits + n);
	char *out = arena_alloc(a, n + n / 3 * strlen(th) + rest * strlen(dec) + 2), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			o += snprintf(o, strlen(th) + 1, "%s", th);
		*o++ = digits[i];
	}
	for (const char *c = digits + n; *c; c++)
		if (*c == '.')
			o += snprintf(o, strlen(dec) + 1, "%s", dec);
		else
			*o++ = *c;
	*o = '\0';
	return out;
}

const char *i18n_int(const struct i18n_lang *l, struct arena *a, long long n)
{
	char d[32];
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	snprintf(d, sizeof(d), "%llu", u);
	return n < 0 ? arena_printf(a, "-%s", grouped(l, a, d)) : grouped(l, a, d);
}

const char *i18n_fixed(const struct i18n_lang *l, struct arena *a, double v, int decimals)
{
	char d[64];

	snprintf(d, sizeof(d), "%.*f", decimals, v < 0 ? -v : v);
	return v < 0 && strspn(d, "0.") != strlen(d) ? arena_printf(a, "-%s", grouped(l, a, d))
	                                             : grouped(l, a, d);
}

const char *i18n_bytes(const struct i18n_lang *l, struct arena *a, long long n)
{
	/* TB, GB, MB and KB are SI symbols, the same in every language we speak */
	if (n >= 1000000000000LL)
		return arena_printf(a, "%s TB", i18n_fixed(l, a, (double)n / 1e12, 1));
	if (n >= 1000000000)
		return arena_printf(a, "%s GB", i18n_fixed(l, a, (double)n / 1e9, 1));
	if (n >= 1000000)
		return arena_printf(a, "%s MB", i18n_fixed(l, a, (double)n / 1e6, 1));
	if (n >= 1000)
		return arena_printf(a, "%s KB", i18n_int(l, a, (n + 500) / 1000));
	return arena_printf(a, i18n_ngettext(l, "%s byte", "%s bytes", (unsigned long)n),
	                    i18n_int(l, a, n));
}

/* Year, month (1..12) and day of an ISO date; 0 unless it starts YYYY-MM-DD. */
static int ymd(const char *iso, int *y, int *m, int *d)
{
	if (iso == NULL || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-' ||
	    strspn(iso, "0123456789") != 4 || strspn(iso + 5, "0123456789") != 2 ||
	    strspn(iso + 8, "0123456789") < 2)
		return 0;
	*y = atoi(iso);
	*m = atoi(iso + 5);
	*d = atoi(iso + 8);
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

const char *i18n_date(const struct i18n_lang *l, struct arena *a, const char *iso)
{
	int y, m, d;

	if (iso == NULL)
		return "";
	if (!ymd(iso, &y, &m, &d))
		return iso;
	return arena_printf(a, "%d %s %d", d, i18n_pgettext(l, "month", months[m - 1]), y);
}

const char *i18n_day_month(const struct i18n_lang *l, struct arena *a, const char *iso)
{
	int y, m, d;

	if (iso == NULL)
		return "";
	if (!ymd(iso, &y, &m, &d))
		return iso;
	return arena_printf(a, "%d %s", d, i18n_pgettext(l, "month", months[m - 1]));
}

const char *i18n_datetime(const struct i18n_lang *l, struct arena *a, const char *iso)
{
	const char *day = i18n_date(l, a, iso);

	if (iso == NULL || day == iso || strlen(iso) < 16 || iso[10] != 'T')
		return day;
	return arena_printf(a, "%s, %.5s UTC", day, iso + 11);
}
