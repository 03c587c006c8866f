#include "rx.h"

#include <stdio.h>
#include <stdlib.h>

pcre2_code *
rx_compile(const char *who, const char *pattern)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	    &errcode, &erroff, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		fprintf(stderr, "handout: internal error: %s regex at %zu: %s\n", who,
		    (size_t)erroff, (const char *)msg);
		abort();
	}
	return re;
}

pcre2_match_data *
rx_match_data(unsigned pairs)
{
	pcre2_match_data *md = pcre2_match_data_create(pairs, NULL);
	if (md == NULL) {
		fputs("handout: out of memory\n", stderr);
		exit(3);
	}
	return md;
}
