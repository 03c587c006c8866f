/* capture: the unit tests' view of diagnostics.  capture() sends diag's
 * messages to a memory stream; captured() ends the capture and returns
 * what was printed (caller frees).  Include after <cmocka.h>. */
#ifndef HANDOUT_TEST_CAPTURE_H
#define HANDOUT_TEST_CAPTURE_H

#include <stdio.h>

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
	diag_reset(NULL);
	return capture_buf;
}

#endif
