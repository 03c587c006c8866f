/* gaussian_kde against SciPy 1.10 on 40 correlated points drawn from
 * np.random.RandomState(3).standard_normal((2, 40)), d[1] += 0.5*d[0]. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "kde.h"
#include "rng.h"

#define N 40

static double px[N], py[N];

static int
setup(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(3);
	for (int i = 0; i < N; i++)
		px[i] = np_rng_gauss(r);
	for (int i = 0; i < N; i++)
		py[i] = np_rng_gauss(r) + 0.5 * px[i];
	np_rng_free(r);
	return 0;
}

static void
assert_rel(double got, double expected, double rel)
{
	if (!(fabs(got - expected) <= rel * fabs(expected)))
		fail_msg("got %.17g, expected %.17g (rel %.3g)", got, expected,
		    fabs(got - expected) / fabs(expected));
}

static void
test_data_is_numpy_stream(void **state)
{
	(void)state;
	assert_true(px[0] == 1.7886284734303186);
	assert_true(px[1] == 0.43650985051198943);
}

static void
test_scott_fit_and_evaluate(void **state)
{
	(void)state;
	struct kde_bandwidth bw = {KDE_BW_SCOTT, 0};
	struct kde2 k;
	assert_true(kde2_fit(&k, px, py, N, &bw));
	assert_true(k.factor == 0.5407418735600995);
	assert_rel(k.cov[0], 0.3006706165598559, 1e-14);
	assert_rel(k.cov[1], 0.16890902483763592, 1e-14);
	assert_rel(k.cov[2], 0.47130547911829523, 1e-14);
	const double qx[3] = {0.0, 0.3, -1.2}, qy[3] = {0.0, -0.4, 0.9};
	const double expected[3] = {0.0832122709522493, 0.07160354564597086, 0.04507608811573551};
	double out[3];
	kde2_evaluate(&k, qx, qy, 3, out);
	for (int i = 0; i < 3; i++)
		assert_rel(out[i], expected[i], 1e-13);
	kde2_free(&k);
}

static void
test_silverman_and_fixed(void **state)
{
	(void)state;
	const double qx[3] = {0.0, 0.3, -1.2}, qy[3] = {0.0, -0.4, 0.9};
	double out[3];
	struct kde2 k;
	/* In two dimensions Silverman's factor equals Scott's. */
	struct kde_bandwidth silverman = {KDE_BW_SILVERMAN, 0};
	assert_true(kde2_fit(&k, px, py, N, &silverman));
	assert_true(k.factor == 0.5407418735600995);
	kde2_free(&k);

	struct kde_bandwidth fixed = {KDE_BW_FIXED, 0.3};
	assert_true(kde2_fit(&k, px, py, N, &fixed));
	assert_true(k.factor == 0.3);
	kde2_evaluate(&k, qx, qy, 3, out);
	assert_rel(out[2], 0.036284246001214986, 1e-13);
	kde2_free(&k);
}

static void
test_singular_covariance_is_refused(void **state)
{
	(void)state;
	const double x[4] = {0, 1, 2, 3}, y[4] = {0, 2, 4, 6}; /* on a line */
	struct kde_bandwidth bw = {KDE_BW_SCOTT, 0};
	struct kde2 k;
	assert_false(kde2_fit(&k, x, y, 4, &bw));
	kde2_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_is_numpy_stream),
		cmocka_unit_test(test_scott_fit_and_evaluate),
		cmocka_unit_test(test_silverman_and_fixed),
		cmocka_unit_test(test_singular_covariance_is_refused),
	};
	return cmocka_run_group_tests_name("kde", tests, setup, NULL);
}
