/* The NumPy-compatible stream: values printed by NumPy 1.24's legacy
 * RandomState (np.random.seed(s) ...). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rng.h"

static void
test_raw_outputs_seed42(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(42);
	assert_int_equal(np_rng_uint32(r), 1608637542u);
	assert_int_equal(np_rng_uint32(r), 3421126067u);
	np_rng_free(r);
}

static void
test_doubles_seed42(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(42);
	/* np.random.random(3) */
	assert_true(np_rng_double(r) == 0.3745401188473625);
	assert_true(np_rng_double(r) == 0.9507143064099162);
	assert_true(np_rng_double(r) == 0.7319939418114051);
	np_rng_free(r);
}

static void
test_gauss_pairs_and_cache(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(42);
	/* The second value of the polar pair is returned first, then the cached one. */
	assert_true(np_rng_gauss(r) == 0.4967141530112327);
	assert_true(np_rng_gauss(r) == -0.13826430117118466);
	/* Reseeding forgets a cached value. */
	(void)np_rng_gauss(r);
	np_rng_seed(r, 42);
	assert_true(np_rng_gauss(r) == 0.4967141530112327);
	np_rng_free(r);
}

static void
test_normal_loc_scale(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(7);
	/* np.random.seed(7); np.random.normal(2.0, 1.5, 5) */
	static const double expected[5] = {4.535788555700535, 1.3010939441887508,
	    2.049230245517877, 2.611274424494762, 0.8166154570613922};
	for (int i = 0; i < 5; i++)
		assert_true(np_rng_normal(r, 2.0, 1.5) == expected[i]);
	np_rng_free(r);
}

static void
test_shuffle_matches_numpy(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(42);
	size_t idx[10];
	for (size_t i = 0; i < 10; i++)
		idx[i] = i;
	np_rng_shuffle_index(r, idx, 10);
	/* a = np.arange(10); np.random.seed(42); np.random.shuffle(a) */
	static const size_t expected[10] = {8, 1, 5, 0, 7, 2, 9, 4, 3, 6};
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(idx[i], expected[i]);
	np_rng_free(r);
}

static void
test_interval_bounds(void **state)
{
	(void)state;
	struct np_rng *r = np_rng_new(1);
	assert_int_equal(np_rng_interval(r, 0), 0);
	for (int i = 0; i < 1000; i++)
		assert_true(np_rng_interval(r, 5) <= 5);
	np_rng_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_outputs_seed42),
		cmocka_unit_test(test_doubles_seed42),
		cmocka_unit_test(test_gauss_pairs_and_cache),
		cmocka_unit_test(test_normal_loc_scale),
		cmocka_unit_test(test_shuffle_matches_numpy),
		cmocka_unit_test(test_interval_bounds),
	};
	return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
