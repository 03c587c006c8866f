/* Unit tests for contour.c.  Small grids whose lines can be checked by hand;
 * the expected polylines are also exactly what matplotlib 3.6's
 * contour(...).allsegs gives (start point, direction and order included),
 * and the auto levels are matplotlib's ContourSet.levels, pasted from
 * repr().  tests/crosscheck/ compares many more grids. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "contour.h"

static const double g012[] = {0, 1, 2};
static const double g01[] = {0, 1};

/* Expected polyline as x0, y0, x1, y1, ... */
static void
check_line(const struct contour_line *l, bool closed, const double *xy, size_t n)
{
	if (l->npoints != n)
		fail_msg("%zu points, expected %zu", l->npoints, n);
	for (size_t i = 0; i < n; i++)
		if (l->x[i] != xy[2 * i] || l->y[i] != xy[2 * i + 1])
			fail_msg("point %zu: (%.17g, %.17g), expected (%.17g, %.17g)",
			    i, l->x[i], l->y[i], xy[2 * i], xy[2 * i + 1]);
	assert_int_equal(l->closed, closed);
}

#define LINE(l, closed, ...) do { \
	const double e_[] = {__VA_ARGS__}; \
	check_line((l), (closed), e_, sizeof e_ / sizeof e_[0] / 2); \
} while (0)

/* A single peak: one anticlockwise loop (higher z on the left) through the
 * four edge midpoints.  The first quad's start edge is N, whose point is
 * left out and the loop begins at the next crossing, as contourpy does. */
static void
test_peak_loop(void **state)
{
	(void)state;
	const double z[] = {0, 0, 0, 0, 1, 0, 0, 0, 0};
	struct contour_line *lines;
	size_t n = contour_trace(g012, 3, g012, 3, z, 0.5, &lines);
	assert_int_equal(n, 1);
	LINE(&lines[0], true, 1, 0.5, 1.5, 1, 1, 1.5, 0.5, 1, 1, 0.5);
	contour_lines_free(lines, n);
}

/* A pit: the loop runs clockwise. */
static void
test_pit_loop(void **state)
{
	(void)state;
	const double z[] = {0, 0, 0, 0, -1, 0, 0, 0, 0};
	struct contour_line *lines;
	size_t n = contour_trace(g012, 3, g012, 3, z, -0.5, &lines);
	assert_int_equal(n, 1);
	LINE(&lines[0], true, 1, 0.5, 0.5, 1, 1, 1.5, 1.5, 1, 1, 0.5);
	contour_lines_free(lines, n);
}

/* Unevenly spaced coordinates: interpolation uses them, not the indices. */
static void
test_nonuniform(void **state)
{
	(void)state;
	const double x[] = {0, 1, 4}, y[] = {0, 2, 3};
	const double z[] = {0, 0, 0, 0, 4, 0, 0, 0, 0};
	struct contour_line *lines;
	size_t n = contour_trace(x, 3, y, 3, z, 1.0, &lines);
	assert_int_equal(n, 1);
	LINE(&lines[0], true, 1, 0.5, 3.25, 2, 1, 2.75, 0.25, 2, 1, 0.5);
	contour_lines_free(lines, n);
}

/* Linear ramps: one straight open line from border to border, higher z on
 * its left. */
static void
test_ramp(void **state)
{
	(void)state;
	const double zx[] = {0, 1, 2, 0, 1, 2};	/* z = x on 3x2 */
	struct contour_line *lines;
	size_t n = contour_trace(g012, 3, g01, 2, zx, 0.5, &lines);
	assert_int_equal(n, 1);
	LINE(&lines[0], false, 0.5, 1, 0.5, 0);
	contour_lines_free(lines, n);

	const double zy[] = {0, 0, 1, 1, 2, 2};	/* z = y on 2x3 */
	n = contour_trace(g01, 2, g012, 3, zy, 1.5, &lines);
	assert_int_equal(n, 1);
	LINE(&lines[0], false, 0, 1.5, 1, 1.5);
	contour_lines_free(lines, n);
}

/* One saddle quad: the mean of the corners (0.5) decides which crossings
 * join, so levels either side of it connect opposite pairs. */
static void
test_saddle_quad(void **state)
{
	(void)state;
	const double z[] = {1, 0, 0, 1};
	struct contour_line *lines;
	size_t n = contour_trace(g01, 2, g01, 2, z, 0.4, &lines);
	assert_int_equal(n, 2);
	LINE(&lines[0], false, 0.6, 0, 1, 0.4);
	LINE(&lines[1], false, 0.4, 1, 0, 0.6);
	contour_lines_free(lines, n);

	n = contour_trace(g01, 2, g01, 2, z, 0.6, &lines);
	assert_int_equal(n, 2);
	LINE(&lines[0], false, 0.4, 0, 0, 0.4);
	LINE(&lines[1], false, 0.6, 1, 1, 0.6);
	contour_lines_free(lines, n);
}

/* Two saddles side by side, one line running through both. */
static void
test_saddle_chain(void **state)
{
	(void)state;
	const double z[] = {1, 0, 1, 0, 1, 0};
	struct contour_line *lines;
	size_t n = contour_trace(g012, 3, g01, 2, z, 0.5, &lines);
	assert_int_equal(n, 3);
	LINE(&lines[0], false, 0.5, 0, 0, 0.5);
	LINE(&lines[1], false, 0.5, 1, 1, 0.5, 1.5, 1);
	LINE(&lines[2], false, 2, 0.5, 1.5, 0);
	contour_lines_free(lines, n);
}

/* Grid values equal to the level count as below it; the line passes
 * through those grid points (twice, where two edges meet there). */
static void
test_level_on_grid_values(void **state)
{
	(void)state;
	const double z[] = {0, 0, 1, 0, 1, 2, -1, 0, 1};
	struct contour_line *lines;
	size_t n = contour_trace(g012, 3, g012, 3, z, 0.0, &lines);
	assert_int_equal(n, 1);
	LINE(&lines[0], false, 1, 2, 1, 2, 0, 1, 1, 0, 1, 0);
	contour_lines_free(lines, n);
}

static void
test_no_lines(void **state)
{
	(void)state;
	const double z[] = {0, 0, 1, 0, 1, 2, -1, 0, 1};
	struct contour_line *lines = (struct contour_line *)1;
	assert_int_equal(contour_trace(g012, 3, g012, 3, z, 5.0, &lines), 0);
	assert_null(lines);
	assert_int_equal(contour_trace(g012, 3, g012, 3, z, -5.0, &lines), 0);
	assert_null(lines);
	assert_int_equal(contour_trace(g012, 3, g01, 1, z, 0.5, &lines), 0);
	assert_null(lines);
	contour_lines_free(NULL, 0);
}

static void
check_levels(double zmin, double zmax, int n, const double *expect, size_t nexpect)
{
	double got[16];
	size_t count = contour_auto_levels(zmin, zmax, n, got, 16);
	if (count != nexpect)
		fail_msg("[%.17g, %.17g] n=%d: %zu levels, expected %zu",
		    zmin, zmax, n, count, nexpect);
	for (size_t i = 0; i < count; i++)
		if (got[i] != expect[i])
			fail_msg("[%.17g, %.17g] n=%d level %zu: %.17g, expected %.17g",
			    zmin, zmax, n, i, got[i], expect[i]);
}

#define LEVELS(a, b, n, ...) do { \
	const double e_[] = {__VA_ARGS__}; \
	check_levels((a), (b), (n), e_, sizeof e_ / sizeof e_[0]); \
} while (0)

/* levels=5 on the seed's two class densities (Figure 1c): 0 and 0.75 lie
 * outside the data and stay, drawing nothing. */
static void
test_auto_levels_seed(void **state)
{
	(void)state;
	LEVELS(2.784840448817004e-17, 0.6298902784773086, 5,
	    0.0, 0.15000000000000002, 0.30000000000000004, 0.45000000000000007,
	    0.6000000000000001, 0.7500000000000001);
	LEVELS(4.980436512668759e-17, 0.6697731186808998, 5,
	    0.0, 0.15000000000000002, 0.30000000000000004, 0.45000000000000007,
	    0.6000000000000001, 0.7500000000000001);
}

static void
test_auto_levels_other(void **state)
{
	(void)state;
	LEVELS(0.05, 0.37, 5, 0.0, 0.06, 0.12, 0.18, 0.24, 0.3, 0.36, 0.42);
	LEVELS(-2.2, 3.7, 7, -2.4000000000000004, -1.6000000000000003,
	    -0.8000000000000003, 0.0, 0.7999999999999998, 1.5999999999999996,
	    2.4000000000000004, 3.2, 4.0);
	LEVELS(0.0, 1.0, 1, 0.0, 0.5, 1.0);
	LEVELS(100.2, 100.25, 5, 100.2, 100.21, 100.22, 100.23, 100.24, 100.25);
	LEVELS(-1e-9, 3e-9, 4, -1.6e-09, -8e-10, 0.0, 7.999999999999999e-10,
	    1.6e-09, 2.4e-09, 3.1999999999999997e-09);
	/* Constant data: no level strictly inside, so only zmin. */
	LEVELS(1.0, 1.0, 5, 1.0);
	assert_int_equal(contour_auto_levels(0.0, 1.0, 1, NULL, 0), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peak_loop),
		cmocka_unit_test(test_pit_loop),
		cmocka_unit_test(test_nonuniform),
		cmocka_unit_test(test_ramp),
		cmocka_unit_test(test_saddle_quad),
		cmocka_unit_test(test_saddle_chain),
		cmocka_unit_test(test_level_on_grid_values),
		cmocka_unit_test(test_no_lines),
		cmocka_unit_test(test_auto_levels_seed),
		cmocka_unit_test(test_auto_levels_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
