/* capture: the unit tests' view of diagnostics.  capture() sends diag's
 * messages to a memory stream; captured() ends the capture and returns
 * what was printed (caller frees).  Include after <cmocka.h>.
 *
 * Tests that look at diagnostics at several points of one test use the
 * cmocka fixtures capture_setup / capture_teardown instead, which capture
 * everything the test prints (nothing reaches stderr, also when an
 * assertion fails), with captured_so_far() to read it meanwhile. */
#ifndef HANDOUT_TEST_CAPTURE_H
#define HANDOUT_TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

static FILE *capture_stream;
static char *capture_buf;
static size_t capture_len;

static inline void
capture(void)
{
	capture_buf = NULL;
	capture_len = 0;
	capture_stream = open_memstream(&capture_buf, &capture_len);
	assert_non_null(capture_stream);
	diag_reset(capture_stream);
}

static inline char *
captured(void)
{
	fclose(capture_stream);
	capture_stream = NULL;
	diag_reset(NULL);
	return capture_buf;
}

/* What was printed since capture(), without ending the capture: "" for
 * nothing.  Owned by the capture; valid until the next diagnostic. */
static inline const char *
captured_so_far(void)
{
	fflush(capture_stream);
	return capture_buf ? capture_buf : "";
}

static inline int
capture_setup(void **state)
{
	(void)state;
	capture();
	return 0;
}

static inline int
capture_teardown(void **state)
{
	(void)state;
	if (capture_stream != NULL)
		free(captured());
	return 0;
}

#endif
