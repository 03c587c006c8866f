/* mathfont.h with the real math font (DejaVu Math TeX Gyre, fonts-dejavu-extra):
 * the values below were read with fontTools while writing this module, then
 * checked here against our reader; and malformed tables: truncated at every
 * length, offsets pointing outside, no MATH table at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mathfont.h"

#define DVMATH "/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf"
#define FREESERIF "/usr/share/fonts/truetype/freefont/FreeSerif.ttf"

/* glyph ids in DejaVu Math TeX Gyre 1.106 (Debian 12) */
#define GID_INTEGRAL 4128  /* ∫ U+222B */
#define GID_SUMMATION 4229 /* ∑ U+2211 */
#define GID_PARENLEFT 11   /* ( */

static unsigned char *
slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	unsigned char *p = malloc((size_t)n);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return p;
}

static void
test_constants(void **state)
{
	(void)state;
	size_t size;
	unsigned char *data = slurp(DVMATH, &size);
	struct mathfont mf;
	assert_true(mathfont_open(&mf, data, size, 0));
	assert_int_equal(mf.units_per_em, 1000);
	assert_int_equal(mathfont_constant(&mf, MATHFONT_DISPLAY_OPERATOR_MIN_HEIGHT, -1), 1333);
	assert_int_equal(mathfont_constant(&mf, MATHFONT_DELIMITED_SUB_FORMULA_MIN_HEIGHT, -1),
	    1333);
	assert_int_equal(mathfont_constant(&mf, MATHFONT_AXIS_HEIGHT, -1), 275);
	assert_int_equal(mathfont_min_connector_overlap(&mf), 40);
	free(data);
}

static void
test_integral_variants(void **state)
{
	(void)state;
	size_t size;
	unsigned char *data = slurp(DVMATH, &size);
	struct mathfont mf;
	assert_true(mathfont_open(&mf, data, size, 0));
	static const struct mathfont_variant want[] = {
		{4128, 1101}, {4140, 1253}, {4152, 1495}, {4164, 1787},
		{4176, 2137}, {4188, 2557}, {4200, 3061},
	};
	struct mathfont_variant v[10];
	assert_int_equal(mathfont_vert_variants(&mf, GID_INTEGRAL, v, 10), 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(v[i].gid, want[i].gid);
		assert_int_equal(v[i].advance, want[i].advance);
	}
	/* a short buffer gets the first ones and the full count */
	memset(v, 0, sizeof v);
	assert_int_equal(mathfont_vert_variants(&mf, GID_INTEGRAL, v, 2), 7);
	assert_int_equal(v[1].gid, 4140);
	assert_int_equal(v[2].gid, 0);

	assert_int_equal(mathfont_vert_variants(&mf, GID_SUMMATION, v, 10), 2);
	assert_int_equal(v[1].gid, 4232);
	assert_int_equal(v[1].advance, 1513);
	assert_int_equal(mathfont_vert_variants(&mf, 36 /* a letter */, v, 10), 0);

	int ic = -1;
	assert_true(mathfont_italic(&mf, 4152, &ic)); /* integral.v2 */
	assert_int_equal(ic, 171);
	assert_true(mathfont_italic(&mf, GID_INTEGRAL, &ic));
	assert_int_equal(ic, 153);
	assert_false(mathfont_italic(&mf, GID_SUMMATION, &ic));
	assert_int_equal(ic, 0);
	free(data);
}

static void
test_assembly(void **state)
{
	(void)state;
	size_t size;
	unsigned char *data = slurp(DVMATH, &size);
	struct mathfont mf;
	assert_true(mathfont_open(&mf, data, size, 0));
	struct mathfont_part p[8];
	int ic = -1;
	size_t n = mathfont_vert_assembly(&mf, GID_PARENLEFT, p, 8, &ic);
	assert_int_equal(n, 3); /* bottom hook, extender, top hook */
	assert_false(p[0].extender);
	assert_true(p[1].extender);
	assert_false(p[2].extender);
	assert_true(p[1].full_advance > 0);
	assert_int_equal(mathfont_vert_assembly(&mf, GID_SUMMATION, p, 8, &ic), 0);
	assert_int_equal(ic, 0);
	free(data);
}

/* A font without MATH, a missing file's worth of bytes, and every
 * truncation of the real table: answers are "absent", never a crash (run
 * under the sanitizers by `make asan`). */
static void
test_malformed(void **state)
{
	(void)state;
	size_t size;
	unsigned char *data = slurp(FREESERIF, &size);
	struct mathfont mf;
	assert_false(mathfont_open(&mf, data, size, 0));
	assert_null(mf.math);
	assert_int_equal(mathfont_constant(&mf, MATHFONT_AXIS_HEIGHT, 250), 250);
	struct mathfont_variant v[4];
	assert_int_equal(mathfont_vert_variants(&mf, 1, v, 4), 0);
	free(data);

	assert_false(mathfont_open(&mf, NULL, 0, 0));
	assert_false(mathfont_open(&mf, (const unsigned char *)"ttcf\0\1\0\0\0\0\0\1", 12, 0));

	data = slurp(DVMATH, &size);
	struct mathfont full;
	assert_true(mathfont_open(&full, data, size, 0));
	/* the MATH table copied into a buffer of exactly its truncated length,
	 * so that a read past it is one past a malloc'd block */
	for (size_t len = 0; len <= full.len; len += len < 64 ? 1 : 97) {
		unsigned char *cut = malloc(len ? len : 1);
		memcpy(cut, full.math, len);
		struct mathfont t = {cut, len, 1000};
		size_t n = mathfont_vert_variants(&t, GID_INTEGRAL, v, 4);
		assert_true(n == 0 || n == 7);
		struct mathfont_part p[4];
		size_t np = mathfont_vert_assembly(&t, GID_PARENLEFT, p, 4, NULL);
		assert_true(np == 0 || np == 3);
		int ic;
		(void)mathfont_italic(&t, 4152, &ic);
		(void)mathfont_constant(&t, MATHFONT_AXIS_HEIGHT, 0);
		free(cut);
	}
	/* offsets pointing past the end: the header's MathVariants offset */
	unsigned char *bad = malloc(full.len);
	memcpy(bad, full.math, full.len);
	bad[8] = 0xFF;
	bad[9] = 0xF0;
	struct mathfont b = {bad, full.len, 1000};
	assert_int_equal(mathfont_vert_variants(&b, GID_INTEGRAL, v, 4), 0);
	free(bad);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_integral_variants),
		cmocka_unit_test(test_assembly),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
