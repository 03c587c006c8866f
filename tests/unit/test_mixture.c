/* mixture: parsing of the seed's densities, pdf values against scipy, and
 * errors with their columns.
 *
 * The expected pdf values were computed with Debian's python3-scipy 1.10.1
 * (NumPy 1.24.2), exactly as the seed writes them:
 *   0.3 * stats.norm.pdf(x, -1, 0.5) + 0.7 * stats.norm.pdf(x, 1.5, 0.3)
 * and printed with repr(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "mixture.h"

/* Relative tolerance for values that should agree with scipy to the last
 * couple of ulps (exp may differ by one ulp between libm and NumPy). */
#define RTOL 1e-15

static void
assert_close(double got, double want, const char *what, double x)
{
	double diff = fabs(got - want);

	if (!(diff <= RTOL * fabs(want))) {
		print_error("%s at x = %.17g: got %.17g, want %.17g (relative error %.3g)\n",
		    what, x, got, want, want != 0 ? diff / fabs(want) : diff);
		fail();
	}
}

static struct mixture
parse_ok(const char *text, bool allow_reference)
{
	struct mixture m;
	int col = -1;
	const char *msg = NULL;

	memset(&m, 0, sizeof m);
	if (!mixture_parse(text, allow_reference, &m, &col, &msg)) {
		print_error("'%s': column %d: %s\n", text, col, msg ? msg : "(null)");
		fail();
	}
	return m;
}

static void
test_parse_p_data(void **state)
{
	(void)state;
	struct mixture m = parse_ok("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)", false);

	assert_int_equal(m.n, 2);
	assert_false(m.is_reference);
	assert_true(m.comp[0].has_weight);
	assert_true(m.comp[0].weight == 0.3);
	assert_true(m.comp[0].mean == -1.0);
	assert_true(m.comp[0].std == 0.5);
	assert_true(m.comp[1].has_weight);
	assert_true(m.comp[1].weight == 0.7);
	assert_true(m.comp[1].mean == 1.5);
	assert_true(m.comp[1].std == 0.3);
}

static void
test_parse_single_without_weight(void **state)
{
	(void)state;
	struct mixture m = parse_ok("N(0,1)", false);

	assert_int_equal(m.n, 1);
	assert_false(m.comp[0].has_weight);
	assert_true(m.comp[0].weight == 1.0);
	assert_true(m.comp[0].mean == 0.0);
	assert_true(m.comp[0].std == 1.0);
}

static void
test_parse_training_and_spacing(void **state)
{
	(void)state;
	struct mixture m = parse_ok("  0.5 * N ( -0.5 , 0.8 )+0.5*N(1,0.6)\t", false);

	assert_int_equal(m.n, 2);
	assert_true(m.comp[0].weight == 0.5);
	assert_true(m.comp[0].mean == -0.5);
	assert_true(m.comp[0].std == 0.8);
	assert_true(m.comp[1].weight == 0.5);
	assert_true(m.comp[1].mean == 1.0);
	assert_true(m.comp[1].std == 0.6);
}

static void
test_parse_strtod_syntax(void **state)
{
	(void)state;
	struct mixture m = parse_ok("1e-1*N(-1e1, 5E-1) + .9*N(+2., 0x1p-2)", false);

	assert_int_equal(m.n, 2);
	assert_true(m.comp[0].weight == 0.1);
	assert_true(m.comp[0].mean == -10.0);
	assert_true(m.comp[0].std == 0.5);
	assert_true(m.comp[1].weight == 0.9);
	assert_true(m.comp[1].mean == 2.0);
	assert_true(m.comp[1].std == 0.25);
}

static void
test_parse_reference(void **state)
{
	(void)state;
	struct mixture m = parse_ok(" p_data ", true);

	assert_true(m.is_reference);
	assert_int_equal(m.n, 0);
}

static void
test_parse_max_components(void **state)
{
	(void)state;
	char text[1024] = "";

	for (int i = 0; i < MIXTURE_MAX_COMPONENTS; i++)
		strcat(text, i ? " + 0.0625*N(0, 1)" : "0.0625*N(0, 1)");
	struct mixture m = parse_ok(text, false);
	assert_int_equal(m.n, MIXTURE_MAX_COMPONENTS);
}

/* text, allow_reference, expected column, expected message */
static const struct {
	const char *text;
	bool allow_reference;
	int col;
	const char *msg;
	bool syntax;
} bad[] = {
	{"", false, 1, "empty expression", true},
	{"   ", false, 4, "empty expression", true},
	{"0.3*N(-1 0.5) + 0.7*N(1.5,0.3)", false, 10, "expected ',' after the mean", true},
	{"0.3*N(-1,0.5) + 0.7*N(1.5,0.3", false, 30, "expected ')' after the standard deviation", true},
	{"0.3 N(-1,0.5)", false, 5, "expected '*' after the weight", true},
	{"0.3*n(-1,0.5)", false, 5, "expected 'N(' after '*'", true},
	{"N[0,1]", false, 1, "expected a weight or 'N('", true},
	{"N(,1)", false, 3, "expected the mean (a number)", true},
	{"N(0,)", false, 5, "expected the standard deviation (a number)", true},
	{"N(0,1) +", false, 9, "expected a term like 0.5*N(0, 1)", true},
	{"N(0,1) - N(0,1)", false, 8, "expected '+' or the end of the expression", true},
	{"0.5*N(0,1) + 0.5*N(1,0)", false, 22, "the standard deviation must be greater than 0", false},
	{"0.5*N(0,1) + 0.5*N(1,-2)", false, 22, "the standard deviation must be greater than 0", false},
	{"0*N(0,1) + 1*N(1,1)", false, 1, "the weight must be greater than 0", false},
	{"-0.5*N(0,1) + 1.5*N(1,1)", false, 1, "the weight must be greater than 0", false},
	{"  0.5*N(0,1) + 0.4*N(1,1)", false, 3, "the weights must sum to 1 (within 1e-9)", false},
	{"N(0,1) + N(1,1)", false, 1, "the weights must sum to 1 (within 1e-9)", false},
	{"N(nan,1)", false, 3, "the mean must be a finite number", false},
	{"N(0,inf)", false, 5, "the standard deviation must be a finite number", false},
	{"1e999*N(0,1)", false, 1, "the weight must be a finite number", false},
	{"p_data", false, 1, "a reference to 'p_data' is not allowed here", false},
	{"p_data + N(0,1)", true, 8, "'p_data' cannot be combined with other terms", true},
};

static void
test_parse_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mixture m;
		int col = -1;
		const char *msg = NULL;
		bool syntax = !bad[i].syntax;

		memset(&m, 0x5a, sizeof m);
		if (mixture_parse_ex(bad[i].text, bad[i].allow_reference, &m, &col, &msg, &syntax)) {
			print_error("'%s' parsed\n", bad[i].text);
			fail();
		}
		if (col != bad[i].col || msg == NULL || strcmp(msg, bad[i].msg) != 0 ||
		    syntax != bad[i].syntax) {
			print_error("'%s': got column %d '%s' (%s), want column %d '%s' (%s)\n",
			    bad[i].text, col, msg ? msg : "(null)", syntax ? "syntax" : "value",
			    bad[i].col, bad[i].msg, bad[i].syntax ? "syntax" : "value");
			fail();
		}
		/* *out is left untouched on failure */
		assert_int_equal(((unsigned char *)&m)[0], 0x5a);
	}
}

static void
test_too_many_components(void **state)
{
	(void)state;
	char text[1024] = "";
	struct mixture m;
	int col = 0;
	const char *msg = NULL;

	for (int i = 0; i <= MIXTURE_MAX_COMPONENTS; i++)
		strcat(text, i ? " + 0.0625*N(0,1)" : "0.0625*N(0,1)");
	assert_false(mixture_parse(text, false, &m, &col, &msg));
	assert_string_equal(msg, "too many terms (at most 16)");
	/* the 17th term: 13 bytes for the first, 16 for each later one */
	assert_int_equal(col, 13 + 15 * 16 + 4);
}

static void
test_normal_pdf_scipy(void **state)
{
	(void)state;
	static const struct {
		double x, mean, std, want;
	} v[] = {
		{0.0, 0.0, 1.0, 0.3989422804014327},
		{1.0, 2.0, 1.5, 0.2129653370149015},
		{-7.25, 0.5, 0.8, 2.0847810671750193e-21},
		{0.1, 0.1, 0.001, 398.9422804014327},
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		assert_close(normal_pdf(v[i].x, v[i].mean, v[i].std), v[i].want, "normal_pdf", v[i].x);
	/* far in the tail it underflows to 0, as in scipy */
	assert_true(normal_pdf(3.0, -1.0, 0.01) == 0.0);
}

static void
test_mixture_pdf_scipy(void **state)
{
	(void)state;
	/* x, p_data, p_g_initial, p_g_training; the last two x are
	 * np.linspace(-3, 3, 100)[37] and [71]. */
	static const double v[][4] = {
		{-3.0, 8.029813545893122e-05, 0.0044318484119380075, 0.0018889113462567243},
		{-1.0, 0.23936536824086038, 0.24197072451914337, 0.20638583784089368},
		{0.0, 0.03239804892011388, 0.3989422804014327, 0.2879982210046083},
		{0.5, 0.006257760038508716, 0.3520653267642995, 0.3490822412100575},
		{1.5, 0.9308662129683851, 0.12951759566589174, 0.24588175065039913},
		{2.9, 1.737410704618711e-05, 0.005952532419775854, 0.002238970776530008},
		{10.0, 1.9045689316951576e-106, 7.69459862670642e-23, 9.767533369499848e-39},
		{-0.7575757575757573, 0.2128211401585716, 0.2994226832710998, 0.24129885569046441},
		{1.3030303030303028, 0.7503826384050942, 0.17069404790904813, 0.3123128883694628},
	};
	struct mixture data = parse_ok("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)", false);
	struct mixture initial = parse_ok("N(0,1)", true);
	struct mixture training = parse_ok("0.5*N(-0.5,0.8) + 0.5*N(1,0.6)", true);

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_close(mixture_pdf(&data, v[i][0]), v[i][1], "p_data", v[i][0]);
		assert_close(mixture_pdf(&initial, v[i][0]), v[i][2], "p_g_initial", v[i][0]);
		assert_close(mixture_pdf(&training, v[i][0]), v[i][3], "p_g_training", v[i][0]);
	}
}

static void
test_format(void **state)
{
	(void)state;
	char buf[256];
	struct mixture m = parse_ok("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)", false);

	assert_string_equal(mixture_format(&m, buf, sizeof buf), "0.3*N(-1, 0.5) + 0.7*N(1.5, 0.3)");
	m = parse_ok("N( 0 , 1 )", false);
	assert_string_equal(mixture_format(&m, buf, sizeof buf), "N(0, 1)");
	m = parse_ok("1e-1*N(100, 2.5e-7) + 0.9*N(1e20, 1)", false);
	assert_string_equal(mixture_format(&m, buf, sizeof buf),
	    "0.1*N(100, 2.5e-7) + 0.9*N(1e20, 1)");
	m = parse_ok("p_data", true);
	assert_string_equal(mixture_format(&m, buf, sizeof buf), "p_data");
	/* truncation keeps the buffer terminated */
	m = parse_ok("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)", false);
	assert_string_equal(mixture_format(&m, buf, 10), "0.3*N(-1,");
}

/* The TeX form: N(mean, std^2), weights with a thin space, exponents as
 * powers of ten, the reference as p_data. */
static void
test_format_tex(void **state)
{
	(void)state;
	char buf[256];
	struct mixture m = parse_ok("0.3*N(-1,0.5) + 0.7*N(1.5,0.3)", false);
	assert_string_equal(mixture_format_tex(&m, buf, sizeof buf),
	    "0.3\\,N(-1, 0.5^{2}) + 0.7\\,N(1.5, 0.3^{2})");
	m = parse_ok("N( 0 , 1 )", false);
	assert_string_equal(mixture_format_tex(&m, buf, sizeof buf), "N(0, 1^{2})");
	m = parse_ok("1e-1*N(100, 2.5e-7) + 0.9*N(1e20, 1)", false);
	assert_string_equal(mixture_format_tex(&m, buf, sizeof buf),
	    "0.1\\,N(100, (2.5\\times 10^{-7})^{2}) + 0.9\\,N(10^{20}, 1^{2})");
	m = parse_ok("p_data", true);
	assert_string_equal(mixture_format_tex(&m, buf, sizeof buf), "p_{\\mathrm{data}}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_p_data),
		cmocka_unit_test(test_parse_single_without_weight),
		cmocka_unit_test(test_parse_training_and_spacing),
		cmocka_unit_test(test_parse_strtod_syntax),
		cmocka_unit_test(test_parse_reference),
		cmocka_unit_test(test_parse_max_components),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_too_many_components),
		cmocka_unit_test(test_normal_pdf_scipy),
		cmocka_unit_test(test_mixture_pdf_scipy),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_tex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
