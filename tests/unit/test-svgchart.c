/* test-svgchart.c: the admin statistics' arithmetic without a database —
 * nice axis steps, tick labels, bar geometry (scale, order, widths, which
 * bars are labelled), and the day ranges and duration texts of stats.c. */
#include "err.h"
#include "stats.h"
#include "svgchart.h"
#include "t.h"

#include <math.h>
#include <stdlib.h>

static const struct svgchart_frame frame = {720, 240, 48, 8, 12, 28, 56};

static int axis_is(long long max, int target, long long top, long long step, int nticks)
{
	struct svgchart_axis ax = svgchart_axis(max, target);

	if (ax.top == top && ax.step == step && ax.nticks == nticks)
		return 1;
	fprintf(stderr, "  axis(%lld, %d) = top %lld step %lld ticks %d\n", max, target, ax.top,
	        ax.step, ax.nticks);
	return 0;
}

static void test_axis_nice_steps(void)
{
	T_CHECK(axis_is(0, 5, 1, 1, 2)); /* nothing yet: still an axis */
	T_CHECK(axis_is(1, 5, 1, 1, 2));
	T_CHECK(axis_is(5, 5, 5, 1, 6));
	T_CHECK(axis_is(7, 5, 8, 2, 5));
	T_CHECK(axis_is(10, 5, 10, 2, 6));
	T_CHECK(axis_is(11, 5, 15, 5, 4));
	T_CHECK(axis_is(100, 5, 100, 20, 6));
	T_CHECK(axis_is(101, 5, 125, 25, 6)); /* 2.5 × 10 is whole */
	T_CHECK(axis_is(999, 5, 1000, 200, 6));
	T_CHECK(axis_is(1400, 5, 1500, 500, 4));
	T_CHECK(axis_is(123456, 5, 125000, 25000, 6));
	T_CHECK(axis_is(3, 2, 4, 2, 3));
	T_CHECK(axis_is(99, 2, 100, 50, 3));
	T_CHECK(axis_is(7, 10, 7, 1, 8));
	/* target outside 2..10 is clamped; huge values are capped */
	T_CHECK(axis_is(7, 0, 10, 5, 3));
	T_CHECK(axis_is(100, 50, 100, 10, 11));
	T_CHECK(axis_is(-3, 5, 1, 1, 2));
	T_CHECK(svgchart_axis(SVGCHART_VALUE_MAX * 10, 5).top >= SVGCHART_VALUE_MAX);
}

static void test_axis_properties(void)
{
	/* for every max: top >= max, top - step < max, step is 1/2/2.5/5 × 10^k,
	 * at most target steps */
	for (long long max = 1; max < 200000; max = max < 100 ? max + 1 : max + max / 14) {
		for (int target = 2; target <= 10; target++) {
			struct svgchart_axis ax = svgchart_axis(max, target);
			long long s = ax.step;
			while (s % 10 == 0)
				s /= 10;
			T_CHECK(ax.top >= max && ax.top - ax.step < max);
			T_CHECK(ax.top % ax.step == 0 && ax.nticks == ax.top / ax.step + 1);
			T_CHECK(ax.nticks - 1 <= target);
			T_CHECK(s == 1 || s == 2 || s == 5 || s == 25);
			if (t_cur_failed) {
				fprintf(stderr, "  max %lld target %d\n", max, target);
				return;
			}
		}
	}
}

static const char *label(long long v)
{
	static char b[32];

	svgchart_count_label(v, b, sizeof(b));
	return b;
}

static void test_count_labels(void)
{
	T_STREQ(label(0), "0");
	T_STREQ(label(950), "950");
	T_STREQ(label(1000), "1,000");
	T_STREQ(label(1200), "1,200");
	T_STREQ(label(9999), "9,999");
	T_STREQ(label(10000), "10k");
	T_STREQ(label(12500), "12.5k");
	T_STREQ(label(12250), "12.25k");
	T_STREQ(label(999000), "999k");
	T_STREQ(label(3000000), "3M");
	T_STREQ(label(1250000), "1.25M");
	T_STREQ(label(-5), "0");
}

static void test_layout_scale_and_order(void)
{
	const long long v[] = {0, 3, 7, 7, 1, 0, 8};
	struct arena a;
	struct svgchart c;
	int i, j;

	arena_init(&a, 0);
	T_CHECK(svgchart_layout(&a, &frame, v, 7, &c) == 0);
	T_CHECK(c.x0 == 48 && c.x1 == 712 && c.y0 == 12 && c.y1 == 212);
	T_CHECK(c.axis.top == 8 && c.axis.step == 2 && c.nticks == 5 && c.nbars == 7);
	/* ticks from the baseline up, evenly */
	for (i = 0; i < c.nticks; i++) {
		T_CHECK(c.ticks[i].value == 2 * i);
		T_CHECK(fabs(c.ticks[i].y - (212 - 50.0 * i)) < 0.01);
	}
	for (i = 0; i < 7; i++) {
		const struct svgchart_bar *b = &c.bars[i];
		/* height in proportion to the value, standing on the baseline */
		T_CHECK(fabs(b->h - 200.0 * (double)v[i] / 8) < 0.01);
		T_CHECK(fabs(b->y + b->h - 212) < 0.011);
		T_CHECK(b->x >= c.x0 && b->x + b->w <= c.x1 + 0.01);
		T_CHECK(b->cx > b->x && b->cx < b->x + b->w);
		for (j = 0; j < 7; j++) /* heights ordered as the values */
			T_CHECK((v[i] < v[j]) == (b->h < c.bars[j].h));
	}
	T_CHECK(c.bars[0].h == 0 && c.bars[0].y == 212); /* zero: flat, still there */
	T_CHECK(c.bars[6].y == c.y0);                    /* the top tick is the maximum */
	/* equal slots with a fifth of one as the gap */
	T_CHECK(fabs(c.bars[1].x - c.bars[0].x - 664.0 / 7) < 0.02);
	T_CHECK(fabs(c.bars[0].w - 664.0 / 7 * 0.8) < 0.01);
	T_CHECK(c.label_every == 1 && c.bars[3].labelled);
	arena_free(&a);
}

static void test_layout_many_bars(void)
{
	long long v[366];
	struct arena a;
	struct svgchart c;
	int i, labelled = 0;

	arena_init(&a, 0);
	for (i = 0; i < 366; i++)
		v[i] = (i * 37) % 101;
	T_CHECK(svgchart_layout(&a, &frame, v, 366, &c) == 0);
	T_CHECK(c.nbars == 366 && c.axis.top == 100);
	/* slots under 4 units: no gap, bars touch */
	T_CHECK(fabs(c.bars[0].w - 664.0 / 366) < 0.01);
	T_CHECK(fabs(c.bars[365].x + c.bars[365].w - 712) < 0.02);
	/* labels at least label_w apart, so no more than fit */
	T_CHECK(c.label_every == 31);
	for (i = 0; i < 366; i++)
		labelled += c.bars[i].labelled;
	T_CHECK(labelled == 12 && c.bars[0].labelled && c.bars[31].labelled &&
	        !c.bars[30].labelled);
	T_CHECK(c.bars[1].cx - c.bars[0].cx < 2);
	arena_free(&a);
}

static void test_layout_refuses(void)
{
	const long long bad[] = {1, -1};
	struct svgchart_frame tiny = {40, 30, 30, 20, 10, 25, 5};
	struct arena a;
	struct svgchart c;

	arena_init(&a, 0);
	T_CHECK(svgchart_layout(&a, &frame, bad, 0, &c) == ERR_INVALID);
	T_CHECK(svgchart_layout(&a, &frame, bad, 2, &c) == ERR_INVALID);
	T_CHECK(svgchart_layout(&a, &tiny, bad, 1, &c) == ERR_INVALID);
	arena_free(&a);
}

/* 2026-03-15T10:00:00Z */
#define NOW ((time_t)1773568800)

static void test_stats_range(void)
{
	struct stats_range r;
	const char *field, *why;

	T_CHECK(stats_range(NULL, NULL, NOW, &r, &field, &why) == 0);
	T_STREQ(r.today, "2026-03-15");
	T_STREQ(r.to, "2026-03-15");
	T_STREQ(r.from, "2026-02-14");
	T_CHECK(r.days == 30);
	T_CHECK(stats_range("", "2024-03-01", NOW, &r, &field, &why) == 0);
	T_STREQ(r.from, "2024-02-01"); /* across a leap day */
	T_CHECK(r.days == 30);
	T_CHECK(stats_range("2025-03-15", "", NOW, &r, &field, &why) == 0);
	T_CHECK(r.days == 366);
	T_CHECK(stats_range("2026-03-15", "2026-03-15", NOW, &r, &field, &why) == 0);
	T_CHECK(r.days == 1);
	T_CHECK(stats_range("2027-01-01", "2027-01-31", NOW, &r, &field, &why) == 0);
	T_STREQ(r.to, "2027-01-31"); /* the future is allowed: zeros */
	T_CHECK(stats_range("2024-02-29", "2024-02-29", NOW, &r, &field, &why) == 0);

	T_CHECK(stats_range("2025-03-14", NULL, NOW, &r, &field, &why) == ERR_INVALID);
	T_STREQ(field, "from");
	T_CHECK(stats_range("2026-03-10", "2026-03-09", NOW, &r, &field, &why) == ERR_INVALID);
	T_STREQ(field, "to");
	T_CHECK(why != NULL && *why);
	T_CHECK(stats_range("2025-02-29", NULL, NOW, &r, &field, &why) == ERR_INVALID);
	T_STREQ(field, "from");
	T_CHECK(stats_range(NULL, "2026-04-31", NOW, &r, &field, &why) == ERR_INVALID);
	T_STREQ(field, "to");
	T_CHECK(stats_range("1969-12-31", NULL, NOW, &r, &field, &why) == ERR_INVALID);
	T_CHECK(stats_range("2026-13-01", NULL, NOW, &r, &field, &why) == ERR_INVALID);
	T_CHECK(stats_range("2026-00-10", NULL, NOW, &r, &field, &why) == ERR_INVALID);
	T_CHECK(stats_range("2026-1-010", NULL, NOW, &r, &field, &why) == ERR_INVALID);
}

static const char *dur(double s)
{
	static const char *const unit[] = {"ms", "s", "min", "h", "days"};
	static char b[32];
	double v;
	enum stats_unit u = stats_duration_unit(s, &v);

	snprintf(b, sizeof(b), "%.*f %s", u == STATS_MS ? 0 : 1, v, unit[u]);
	return b;
}

static void test_duration_text(void)
{
	T_STREQ(dur(0), "0 ms");
	T_STREQ(dur(0.35), "350 ms");
	T_STREQ(dur(0.9996), "1.0 s");
	T_STREQ(dur(4.24), "4.2 s");
	T_STREQ(dur(59.97), "1.0 min");
	T_STREQ(dur(210), "3.5 min");
	T_STREQ(dur(7560), "2.1 h");
	T_STREQ(dur(3 * 86400), "3.0 days");
	T_STREQ(dur(-1), "0 ms");
}

int main(void)
{
	T_RUN(test_axis_nice_steps);
	T_RUN(test_axis_properties);
	T_RUN(test_count_labels);
	T_RUN(test_layout_scale_and_order);
	T_RUN(test_layout_many_bars);
	T_RUN(test_layout_refuses);
	T_RUN(test_stats_range);
	T_RUN(test_duration_text);
	T_DONE();
}
