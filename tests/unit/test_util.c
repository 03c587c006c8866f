/* util: UTF-8 decoding (shared by the parsers, the breaker, the layout and
 * the back ends) and the number formats the text and the figures print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util.h"

static void
check_decode(const char *s, size_t n, uint32_t want, size_t want_len)
{
	uint32_t cp = 0;
	size_t len = utf8_decode(s, n, &cp);
	if (cp != want || len != want_len)
		fail_msg("'%s': U+%04X of %zu bytes, expected U+%04X of %zu", s, (unsigned)cp, len,
		    (unsigned)want, want_len);
}

static void
test_utf8_decode(void **state)
{
	(void)state;
	check_decode("a", 1, 'a', 1);
	check_decode("é", 2, 0xe9, 2);
	check_decode("中", 3, 0x4e2d, 3);
	check_decode("𝔼", 4, 0x1d53c, 4);
	/* malformed: U+FFFD, one byte */
	check_decode("\x80", 1, 0xfffd, 1);          /* stray continuation */
	check_decode("\xc0\xaf", 2, 0xfffd, 1);      /* overlong lead */
	check_decode("\xe0\x80\xaf", 3, 0xfffd, 1);  /* overlong */
	check_decode("\xed\xa0\x80", 3, 0xfffd, 1);  /* surrogate */
	check_decode("\xf4\x90\x80\x80", 4, 0xfffd, 1); /* beyond U+10FFFF */
	check_decode("\xe4\xb8", 2, 0xfffd, 1);      /* cut short by n */
	check_decode("\xe4\xb8", SIZE_MAX, 0xfffd, 1); /* ... or by the NUL */
	check_decode("\xe4" "a", 2, 0xfffd, 1);      /* missing continuation */

	const unsigned char *p = (const unsigned char *)"x中\xff𝔼";
	assert_int_equal(utf8_next(&p), 'x');
	assert_int_equal(utf8_next(&p), 0x4e2d);
	assert_int_equal(utf8_next(&p), 0xfffd);
	assert_int_equal(utf8_next(&p), 0x1d53c);
	assert_int_equal(*p, '\0');
}

static void
test_number_formats(void **state)
{
	(void)state;
	char b[64];
	/* Python's repr: figure labels print floats as the seed's f-strings do */
	format_py_repr(b, sizeof b, 2.0);
	assert_string_equal(b, "2.0");
	format_py_repr(b, sizeof b, 0.1);
	assert_string_equal(b, "0.1");
	format_py_repr(b, sizeof b, -3.0);
	assert_string_equal(b, "-3.0");
	format_py_repr(b, sizeof b, 1e-8);
	assert_string_equal(b, "1e-08");
	format_py_repr(b, sizeof b, 1e16);
	assert_string_equal(b, "1e+16");
	format_py_repr(b, sizeof b, 0.0001);
	assert_string_equal(b, "0.0001");
	/* the shortest form the text prints */
	format_shortest(b, sizeof b, 2.0);
	assert_string_equal(b, "2");
	format_shortest(b, sizeof b, 0.30000000000000004);
	assert_string_equal(b, "0.30000000000000004");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_number_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
