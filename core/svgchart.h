/* svgchart.h: the arithmetic of a bar chart that a template draws as inline
 * SVG — a value axis from zero with "nice" ticks (1, 2 or 5 × 10^k), one bar
 * per value scaled to the top tick, and which bars get a label under them so
 * labels never crowd. No markup here: the page turns a layout into a view
 * model and templates/admin-chart.mustache draws it (escaped, no raw HTML).
 * Coordinates are SVG user units, y growing downwards, rounded to 0.01. */
#ifndef HT_SVGCHART_H
#define HT_SVGCHART_H

#include "arena.h"

#include <stddef.h>

#define SVGCHART_TICKS_MAX 11                 /* ticks on the value axis, zero included */
#define SVGCHART_VALUE_MAX 1000000000000000LL /* larger values count as this */

/* A value axis from 0 to top in steps of step (both whole numbers >= 1). */
struct svgchart_axis {
	long long top, step;
	int nticks; /* top / step + 1 */
};

/* The axis for counts up to max (>= 0) with at most target (2..10) steps:
 * the smallest 1/2/5 × 10^k step that needs at most target steps, and the
 * first multiple of it at or above max (an all-zero series gets 0..1).
 * Values above SVGCHART_VALUE_MAX are taken as that. */
struct svgchart_axis svgchart_axis(long long max, int target);

/* A count as a short axis label: "0", "950", "1,200", "12k", "12.5k", "3M",
 * "1.25M". Writes at most n bytes (NUL included). */
void svgchart_count_label(long long v, char *out, size_t n);

struct svgchart_tick {
	long long value;
	double y;
};

struct svgchart_bar {
	double x, y, w, h; /* h is 0 for a zero value: the bar is there, flat */
	double cx;         /* its centre, where its label goes */
	int labelled;      /* this bar's x label is drawn */
};

/* Where the plot sits inside the width × height picture. */
struct svgchart_frame {
	double width, height;
	double left, right, top, bottom; /* margins */
	double label_w;                  /* room one x label needs */
};

struct svgchart {
	struct svgchart_frame f;
	double x0, x1, y0, y1; /* the plot: x0 < x1, y0 (top) < y1 (baseline) */
	struct svgchart_axis axis;
	struct svgchart_tick ticks[SVGCHART_TICKS_MAX];
	int nticks;
	struct svgchart_bar *bars; /* n, arena-owned */
	int nbars;
	int label_every; /* every label_every-th bar is labelled, from the first */
};

/* Lay out n (>= 1) values in frame f with at most 5 axis steps. Bars share
 * the plot's width equally, with a gap of a fifth of a slot once slots are at
 * least 4 units wide. 0, or ERR_INVALID for n < 1, a value outside
 * 0..SVGCHART_VALUE_MAX or a frame with no room for a plot. */
int svgchart_layout(struct arena *a, const struct svgchart_frame *f, const long long *values, int n,
                    struct svgchart *out);

#endif
