/* KL closed form vs quadrature, JS and V(D*, G) for the seed's mixtures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "divergence.h"
#include "mixture.h"

static int
setup(void **state)
{
	(void)state;
	gsl_set_error_handler_off();
	return 0;
}

static struct mixture
parse(const char *text)
{
	struct mixture m;
	int col;
	const char *msg;
	memset(&m, 0, sizeof m);
	if (!mixture_parse(text, false, &m, &col, &msg))
		fail_msg("cannot parse %s: %s at %d", text, msg, col);
	return m;
}

static void
test_kl_closed_form(void **state)
{
	(void)state;
	/* the seed: 0.5*(0.8**2 + 0.5**2 - 1 - np.log(0.8**2)) */
	assert_true(kl_normal_closed(0.5, 0.8, 0.0, 1.0) == 0.16814355131420972);
	/* general form: log(s2/s1) + (s1^2 + (m1-m2)^2)/(2 s2^2) - 1/2 */
	assert_true(fabs(kl_normal_closed(1.0, 2.0, -0.5, 0.7) - 4.827728895909487) < 1e-14);
	assert_true(kl_normal_closed(0.3, 1.7, 0.3, 1.7) == 0.0);
}

static void
test_kl_quadrature_agrees(void **state)
{
	(void)state;
	struct quad_result r = kl_normal_quad(0.5, 0.8, 0.0, 1.0);
	assert_true(r.ok);
	assert_true(fabs(r.value - 0.16814355131420972) < 1e-13);
	r = kl_normal_quad(1.0, 2.0, -0.5, 0.7);
	assert_true(r.ok);
	assert_true(fabs(r.value - 4.827728895909487) < 1e-12);
}

static void
test_js_and_value_identity(void **state)
{
	(void)state;
	struct mixture pd = parse("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)");
	struct mixture pg = parse("N(0,1)");
	struct quad_result js = js_mixture(&pd, &pg);
	struct quad_result v = gan_value(&pd, &pg);
	assert_true(js.ok && v.ok);
	/* scipy.integrate.quad of the same integrand */
	assert_true(fabs(js.value - 0.21721359698839834) < 1e-10);
	assert_true(js.value > 0 && js.value < log(2.0));
	assert_true(fabs(v.value - (-2.0 * log(2.0) + 2.0 * js.value)) < 1e-12);
}

static void
test_identical_distributions(void **state)
{
	(void)state;
	struct mixture pd = parse("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)");
	struct quad_result js = js_mixture(&pd, &pd);
	struct quad_result v = gan_value(&pd, &pd);
	assert_true(js.ok && v.ok);
	assert_true(fabs(js.value) < 1e-14);
	assert_true(fabs(v.value + 2.0 * log(2.0)) < 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kl_closed_form),
		cmocka_unit_test(test_kl_quadrature_agrees),
		cmocka_unit_test(test_js_and_value_identity),
		cmocka_unit_test(test_identical_distributions),
	};
	return cmocka_run_group_tests_name("divergence", tests, setup, NULL);
}
