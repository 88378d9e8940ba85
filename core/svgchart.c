/* svgchart.c: bar chart arithmetic (see svgchart.h). */
#include "svgchart.h"
#include "err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct svgchart_axis svgchart_axis(long long max, int target)
{
	/* per decade: 1, 2, 2.5 (once whole), 5 — in tenths of the decade */
	static const int tenths[] = {10, 20, 25, 50};
	struct svgchart_axis ax = {1, 1, 2};

	if (target < 2)
		target = 2;
	if (target > SVGCHART_TICKS_MAX - 1)
		target = SVGCHART_TICKS_MAX - 1;
	if (max <= 0)
		return ax;
	if (max > SVGCHART_VALUE_MAX)
		max = SVGCHART_VALUE_MAX;
	/* ends by the decade p <= max < 10p at the latest: 5p takes 2 steps */
	for (long long p = 1;; p *= 10) {
		for (size_t i = 0; i < sizeof(tenths) / sizeof(tenths[0]); i++) {
			long long step = p * tenths[i] / 10, steps;
			if ((p * tenths[i]) % 10 != 0)
				continue; /* 2.5 is no whole step */
			steps = max / step + (max % step != 0);
			if (steps <= target) {
				ax.step = step;
				ax.top = steps * step;
				ax.nticks = (int)steps + 1;
				return ax;
			}
		}
	}
}

/* v / unit with at most two decimals, trailing zeros dropped, then suffix */
static void scaled(long long v, long long unit, const char *suffix, char *out, size_t n)
{
	char num[32];
	size_t len;

	snprintf(num, sizeof(num), "%.2f", (double)v / (double)unit);
	len = strlen(num);
	while (len > 0 && num[len - 1] == '0')
		num[--len] = '\0';
	if (len > 0 && num[len - 1] == '.')
		num[--len] = '\0';
	snprintf(out, n, "%s%s", num, suffix);
}

void svgchart_count_label(long long v, char *out, size_t n)
{
	if (v < 0)
		v = 0;
	if (v < 1000)
		snprintf(out, n, "%lld", v);
	else if (v < 10000)
		snprintf(out, n, "%lld,%03lld", v / 1000, v % 1000);
	else if (v < 1000000)
		scaled(v, 1000, "k", out, n);
	else
		scaled(v, 1000000, "M", out, n);
}

static double r2(double x)
{
	return round(x * 100) / 100;
}

int svgchart_layout(struct arena *a, const struct svgchart_frame *f, const long long *values, int n,
                    struct svgchart *out)
{
	long long max = 0;
	double slot, gap, plot_h;
	int i;

	memset(out, 0, sizeof(*out));
	if (n < 1)
		return ERR_INVALID;
	for (i = 0; i < n; i++) {
		if (values[i] < 0 || values[i] > SVGCHART_VALUE_MAX)
			return ERR_INVALID;
		if (values[i] > max)
			max = values[i];
	}
	out->f = *f;
	out->x0 = f->left;
	out->x1 = f->width - f->right;
	out->y0 = f->top;
	out->y1 = f->height - f->bottom;
	if (out->x1 - out->x0 < 1 || out->y1 - out->y0 < 1)
		return ERR_INVALID;
	plot_h = out->y1 - out->y0;
	out->axis = svgchart_axis(max, 5);
	out->nticks = out->axis.nticks;
	for (i = 0; i < out->nticks; i++) {
		long long v = out->axis.step * i;
		out->ticks[i].value = v;
		out->ticks[i].y = r2(out->y1 - plot_h * (double)v / (double)out->axis.top);
	}
	slot = (out->x1 - out->x0) / n;
	gap = slot >= 4 ? slot / 5 : 0;
	out->label_every = f->label_w > slot ? (int)ceil(f->label_w / slot) : 1;
	out->bars = arena_calloc(a, (size_t)n, sizeof(*out->bars));
	out->nbars = n;
	for (i = 0; i < n; i++) {
		struct svgchart_bar *b = &out->bars[i];
		double h = plot_h * (double)values[i] / (double)out->axis.top;
		b->x = r2(out->x0 + slot * i + gap / 2);
		b->w = r2(slot - gap);
		b->h = r2(h);
		b->y = r2(out->y1 - h);
		b->cx = r2(out->x0 + slot * (i + 0.5));
		b->labelled = i % out->label_every == 0;
	}
	return 0;
}
