/* Unit tests for locator.c.  Expected ticks are matplotlib 3.6's
 * MaxNLocator(...).tick_values(vmin, vmax), printed with repr() and pasted
 * here; they must match bit for bit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "locator.h"

static void
check_ticks(const struct max_n_locator *loc, double vmin, double vmax,
    const double *expect, size_t nexpect)
{
	double got[32];
	size_t n = locator_max_n_ticks(loc, vmin, vmax, got, 32);
	if (n != nexpect)
		fail_msg("[%.17g, %.17g]: %zu ticks, expected %zu", vmin, vmax, n, nexpect);
	for (size_t i = 0; i < n; i++)
		if (got[i] != expect[i])
			fail_msg("[%.17g, %.17g] tick %zu: %.17g, expected %.17g",
			    vmin, vmax, i, got[i], expect[i]);
}

#define CHECK(loc, a, b, ...) do { \
	const double e_[] = {__VA_ARGS__}; \
	check_ticks((loc), (a), (b), e_, sizeof e_ / sizeof e_[0]); \
} while (0)

/* contour(levels=5) on the seed's class-1 KDE: MaxNLocator(6), default steps. */
static void
test_default_steps(void **state)
{
	(void)state;
	struct max_n_locator loc = locator_max_n_default(6);
	CHECK(&loc, 0, 0.6697731186808998,
	    0.0, 0.15000000000000002, 0.30000000000000004, 0.45000000000000007,
	    0.6000000000000001, 0.7500000000000001);
	loc.min_n_ticks = 1;
	CHECK(&loc, 0, 1, 0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
}

/* AutoLocator on axis ranges like the seed's figures. */
static void
test_auto_seed_axes(void **state)
{
	(void)state;
	struct max_n_locator l9 = locator_auto(9), l6 = locator_auto(6);
	struct max_n_locator l5 = locator_auto(5), l4 = locator_auto(4);
	CHECK(&l9, -3, 3, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0);
	CHECK(&l5, -3, 3, -4.0, -2.0, 0.0, 2.0, 4.0);
	CHECK(&l4, -3, 3, -4.0, -2.0, 0.0, 2.0, 4.0);
	CHECK(&l9, -2.3, 2.4, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0);
	CHECK(&l6, -2.3, 2.4, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0);
	CHECK(&l9, 0, 1, 0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
	CHECK(&l5, 0, 1, 0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
	CHECK(&l9, 0, 0.5, 0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5);
	CHECK(&l5, -0.05, 1.05, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25);
	CHECK(&l9, 0.01, 10, 0.0, 2.0, 4.0, 6.0, 8.0, 10.0);
}

static void
test_negative_and_reversed(void **state)
{
	(void)state;
	struct max_n_locator l9 = locator_auto(9);
	CHECK(&l9, -7.5, -2.25, -8.0, -7.0, -6.0, -5.0, -4.0, -3.0, -2.0);
	/* vmin > vmax is swapped, as nonsingular() does. */
	CHECK(&l9, 3, -1, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0);
}

static void
test_tiny_and_singular(void **state)
{
	(void)state;
	struct max_n_locator l9 = locator_auto(9);
	CHECK(&l9, 1e-12, 3e-12, 1e-12, 1.25e-12, 1.5e-12, 1.75e-12, 2e-12,
	    2.25e-12, 2.5000000000000003e-12, 2.75e-12, 3e-12);
	CHECK(&l9, 5, 5, 4.9999999999994, 4.9999999999996, 4.9999999999998, 5.0,
	    5.0000000000002, 5.0000000000004, 5.0000000000006);
	const double zero[] = {-1e-13, -7.500000000000001e-14, -5e-14,
	    -2.4999999999999994e-14, 0.0, 2.4999999999999994e-14,
	    5.0000000000000014e-14, 7.500000000000001e-14, 1e-13};
	check_ticks(&l9, 0, 0, zero, 9);
	check_ticks(&l9, NAN, 1, zero, 9);
}

/* A narrow range far from zero: scale_range's offset and _Edge_integer's
 * wider tolerance come into play. */
static void
test_offset(void **state)
{
	(void)state;
	struct max_n_locator l9 = locator_auto(9);
	CHECK(&l9, 1e6, 1e6 + 1e-3, 1000000.0, 1000000.0002, 1000000.0004,
	    1000000.0006, 1000000.0008, 1000000.001);
}

static void
test_integer_symmetric_min_n(void **state)
{
	(void)state;
	struct max_n_locator loc = locator_auto(9);
	loc.integer = true;
	CHECK(&loc, 0.2, 7.7, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0);

	loc = locator_max_n_default(6);
	loc.symmetric = true;
	CHECK(&loc, -0.3, 2.7, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0);

	/* The min_n_ticks loop steps down until enough ticks are inside. */
	loc = locator_max_n_default(1);
	CHECK(&loc, 0.95, 1.05, 0.8800000000000001, 0.9600000000000002, 1.04, 1.12);
	loc.min_n_ticks = 3;
	CHECK(&loc, 0.95, 1.05, 0.9500000000000001, 1.0, 1.05);
	loc = locator_max_n_default(2);
	loc.min_n_ticks = 4;
	CHECK(&loc, 0.0, 0.3, 0.0, 0.08000000000000002, 0.16000000000000003,
	    0.24000000000000005, 0.32000000000000006);
}

static void
test_cap(void **state)
{
	(void)state;
	struct max_n_locator l9 = locator_auto(9);
	double out[3] = {-1, -1, -1};
	assert_int_equal(locator_max_n_ticks(&l9, -3, 3, NULL, 0), 7);
	assert_int_equal(locator_max_n_ticks(&l9, -3, 3, out, 2), 7);
	assert_true(out[0] == -3.0 && out[1] == -2.0 && out[2] == -1);
}

static void
test_auto_nbins(void **state)
{
	(void)state;
	assert_int_equal(locator_auto_nbins(300, 10, true), 9);
	assert_int_equal(locator_auto_nbins(100, 10, true), 3);
	assert_int_equal(locator_auto_nbins(100, 10, false), 5);
	assert_int_equal(locator_auto_nbins(5, 10, false), 1);
	assert_int_equal(locator_auto_nbins(100, 0, true), 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_steps),
		cmocka_unit_test(test_auto_seed_axes),
		cmocka_unit_test(test_negative_and_reversed),
		cmocka_unit_test(test_tiny_and_singular),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_integer_symmetric_min_n),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_auto_nbins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
