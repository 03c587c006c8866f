/* Unit tests for colors.c.  Expected values are matplotlib 3.6.3's
 * matplotlib.colors.to_rgba(...) and colormaps['viridis'](v), printed with
 * repr() or to_hex() and pasted here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "colors.h"

static void
check_hex(const char *spec, unsigned long hex)
{
	struct dl_color c;
	double alpha = -1;
	if (!color_parse(spec, &c, &alpha))
		fail_msg("'%s' rejected", spec);
	double r = (double)((hex >> 16) & 0xff) / 255, g = (double)((hex >> 8) & 0xff) / 255,
	       b = (double)(hex & 0xff) / 255;
	if (fabs(c.r - r) > 1e-12 || fabs(c.g - g) > 1e-12 || fabs(c.b - b) > 1e-12)
		fail_msg("'%s' = (%g, %g, %g), expected #%06lx", spec, c.r, c.g, c.b, hex);
	assert_true(alpha == 1);
}

static void
test_named(void **state)
{
	(void)state;
	check_hex("red", 0xff0000);
	check_hex("blue", 0x0000ff);
	check_hex("green", 0x008000);
	check_hex("orange", 0xffa500);
	check_hex("black", 0x000000);
	check_hex("white", 0xffffff);
	check_hex("gray", 0x808080);
	check_hex("grey", 0x808080);
	check_hex("lightblue", 0xadd8e6);
	check_hex("lightgreen", 0x90ee90);
	check_hex("LightBlue", 0xadd8e6); /* names are case-insensitive */
	check_hex("tab:orange", 0xff7f0e);
	check_hex("#1f77b4", 0x1f77b4);
	check_hex("#1F77B4", 0x1f77b4);
	check_hex("#abc", 0xaabbcc);
}

/* Single letters are matplotlib's BASE_COLORS, not CSS: 'g' is (0, 0.5, 0). */
static void
test_base(void **state)
{
	(void)state;
	struct dl_color c;
	assert_true(color_parse("r", &c, NULL));
	assert_true(c.r == 1 && c.g == 0 && c.b == 0);
	assert_true(color_parse("g", &c, NULL));
	assert_true(c.r == 0 && c.g == 0.5 && c.b == 0);
	assert_true(color_parse("b", &c, NULL));
	assert_true(c.r == 0 && c.g == 0 && c.b == 1);
	assert_true(color_parse("k", &c, NULL));
	assert_true(c.r == 0 && c.g == 0 && c.b == 0);
	assert_true(color_parse("c", &c, NULL));
	assert_true(c.r == 0 && c.g == 0.75 && c.b == 0.75);
	assert_false(color_parse("R", &c, NULL)); /* case-sensitive */
}

static void
test_cycle(void **state)
{
	(void)state;
	check_hex("C0", 0x1f77b4);
	check_hex("C1", 0xff7f0e);
	check_hex("C2", 0x2ca02c);
	check_hex("C3", 0xd62728);
	check_hex("C9", 0x17becf);
	check_hex("C10", 0x1f77b4); /* wraps like the 10-colour cycle */
}

static void
test_gray_alpha_none(void **state)
{
	(void)state;
	struct dl_color c;
	double a;
	assert_true(color_parse("0.8", &c, &a)); /* legend.edgecolor */
	assert_true(c.r == 0.8 && c.g == 0.8 && c.b == 0.8 && a == 1);
	assert_true(color_parse("#ff000080", &c, &a));
	assert_true(c.r == 1 && fabs(a - 128.0 / 255) < 1e-15);
	assert_true(color_parse("none", &c, &a));
	assert_true(a == 0);
	assert_false(color_parse("1.5", &c, &a));
}

static void
test_bad_names(void **state)
{
	(void)state;
	struct dl_color c = {0.25, 0.25, 0.25};
	assert_false(color_parse("redd", &c, NULL));
	assert_false(color_parse("", &c, NULL));
	assert_false(color_parse(NULL, &c, NULL));
	assert_false(color_parse("#12345", &c, NULL));
	assert_false(color_parse("#gg0000", &c, NULL));
	assert_false(color_parse("tab:bleu", &c, NULL));
	assert_false(color_parse("Cx", &c, NULL));
	assert_true(c.r == 0.25); /* untouched */
	assert_string_equal(color_suggest("redd"), "red");
	assert_string_equal(color_suggest("lightblu"), "lightblue");
	assert_null(color_suggest("qqqqqqqqqqqq"));
}

/* colormaps['viridis'](v)[:3] for v = 0, 0.5, 1, 0.25, 1/256 - 1e-9, and
 * out-of-range values (the under/over colours are the end colours). */
static void
test_viridis(void **state)
{
	(void)state;
	struct dl_color c = color_map("viridis", 0);
	assert_true(c.r == 0.267004 && c.g == 0.004874 && c.b == 0.329415); /* #440154 */
	c = color_map("viridis", 1);
	assert_true(c.r == 0.993248 && c.g == 0.906157 && c.b == 0.143936); /* #fde725 */
	c = color_map("viridis", 0.5);
	assert_true(c.r == 0.127568 && c.g == 0.566949 && c.b == 0.550556); /* #21918c */
	c = color_map("viridis", 0.25);
	assert_true(c.r == 0.229739 && c.g == 0.322361 && c.b == 0.545706);
	assert_int_equal(colormap_index(1.0 / 256 - 1e-9), 0);
	assert_int_equal(colormap_index(1.0 / 256), 1);
	assert_int_equal(colormap_index(-0.5), 0);
	assert_int_equal(colormap_index(-1e-12), 0);
	assert_int_equal(colormap_index(1.5), 255);
	assert_int_equal(colormap_index(NAN), -1);
	assert_true(colormap_known("viridis"));
	assert_false(colormap_known("jet"));
}

static void
test_luminance(void **state)
{
	(void)state;
	assert_true(color_luminance((struct dl_color){1, 1, 1}) > 0.999999);
	assert_true(color_luminance((struct dl_color){0, 0, 0}) == 0);
	assert_true(fabs(color_luminance((struct dl_color){1, 0, 0}) - 0.299) < 1e-15);
	struct dl_color g = color_gray(1.7);
	assert_true(g.r == 1 && g.g == 1 && g.b == 1);
	g = color_gray(-1);
	assert_true(g.r == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_gray_alpha_none),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_viridis),
		cmocka_unit_test(test_luminance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
