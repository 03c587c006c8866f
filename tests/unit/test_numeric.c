/* NumPy's linspace, logspace and pairwise summation, bit for bit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "histogram.h"
#include "numeric.h"

static void
test_linspace(void **state)
{
	(void)state;
	double v[100];
	linspace(0.0, NUMERIC_PI, 100, v);
	assert_true(v[0] == 0.0);
	assert_true(v[37] == 1.1741305877052763);
	assert_true(v[99] == NUMERIC_PI);
	double w[7];
	linspace(-2.3, 4.1, 7, w);
	assert_true(w[5] == 3.033333333333333);
	assert_true(w[6] == 4.1); /* the end point is set exactly */
	double one[1];
	linspace(3.0, 9.0, 1, one);
	assert_true(one[0] == 3.0);
}

static void
test_logspace(void **state)
{
	(void)state;
	double b[50];
	logspace(-2.0, 1.0, 50, b);
	assert_true(b[0] == 0.01);
	assert_true(b[7] == 0.02682695795279726);
	assert_true(b[33] == 1.0481131341546852);
	assert_true(b[49] == 10.0);
}

static void
fill(double *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = sin((double)i) * pow(10.0, (double)(i % 7) - 3.0);
}

static void
test_pairwise_sum_matches_numpy(void **state)
{
	(void)state;
	double a[300];
	fill(a, 300);
	/* np.sum over 13 (one block + tail), 129 (split) and 300 elements */
	assert_true(pairwise_sum(a, 13, 1) == -446.7849387165793);
	assert_true(pairwise_sum(a, 129, 1) == -267.6842701571428);
	assert_true(pairwise_sum(a, 300, 1) == 1750.0376192062743);
	assert_true(np_mean(a, 300, 1) == 5.833458730687581);
	assert_true(np_std(a, 300, 1) == 261.8938723181819);
}

static void
test_pairwise_sum_strided(void **state)
{
	(void)state;
	double a[600];
	double b[300];
	fill(b, 300);
	for (size_t i = 0; i < 300; i++) {
		a[2 * i] = b[i];
		a[2 * i + 1] = 1e9;
	}
	assert_true(pairwise_sum(a, 300, 2) == pairwise_sum(b, 300, 1));
}

static void
test_histogram_numpy_edges(void **state)
{
	(void)state;
	/* np.histogram([0, 1, 2, 3, 3.0000000001, 10], bins=4, density=True) */
	const double a[6] = {0, 1, 2, 3, 3.0000000001, 10};
	struct histogram h;
	histogram_compute(&h, a, 6, 4);
	assert_true(h.edges[0] == 0.0 && h.edges[4] == 10.0 && h.edges[1] == 2.5);
	assert_true(h.count[0] == 3 && h.count[1] == 2 && h.count[2] == 0 && h.count[3] == 1);
	assert_true(h.density[0] == 3.0 / 2.5 / 6.0);
	assert_true(h.density[3] == 1.0 / 2.5 / 6.0);
	histogram_free(&h);

	/* all values equal: NumPy widens the range to +-0.5 */
	const double c[3] = {2, 2, 2};
	histogram_compute(&h, c, 3, 2);
	assert_true(h.edges[0] == 1.5 && h.edges[2] == 2.5);
	assert_true(h.count[0] == 0 && h.count[1] == 3);
	histogram_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linspace),
		cmocka_unit_test(test_logspace),
		cmocka_unit_test(test_pairwise_sum_matches_numpy),
		cmocka_unit_test(test_pairwise_sum_strided),
		cmocka_unit_test(test_histogram_numpy_edges),
	};
	return cmocka_run_group_tests_name("numeric", tests, NULL, NULL);
}
