/* rx: the PCRE2 set-up shared by the parsers (config, figure specs,
 * templates).  Their patterns are constants in the code, so a pattern that
 * does not compile is a bug: rx_compile reports it and aborts. */
#ifndef HANDOUT_RX_H
#define HANDOUT_RX_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

/* The UTF-8 pattern compiled with PCRE2_UTF; `who` names the parser in the
 * internal-error message. */
pcre2_code *rx_compile(const char *who, const char *pattern);

/* Match data for up to `pairs` capture pairs; out of memory exits (3). */
pcre2_match_data *rx_match_data(unsigned pairs);

#endif
