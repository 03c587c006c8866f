/* util: allocation wrappers that never return NULL, and small string helpers.
 * Every wrapper prints "handout: out of memory" and exits with status 3 on
 * failure, so callers never check for NULL. */
#ifndef HANDOUT_UTIL_H
#define HANDOUT_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Returns a newly allocated copy of s (caller frees). */
char *xstrdup(const char *s);
/* Returns a newly allocated copy of the first n bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated printf-formatted string (caller frees). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes the shortest "%.*g" text that reads back as v, whole numbers below
 * 1e16 in plain digits ("100") and exponents unpadded ("1e-8"), into buf
 * (size >= 32). */
/* Decodes the UTF-8 sequence at s[0..n) (n >= 1): returns its length and
 * puts the code point in *cp.  A malformed sequence (a stray or bad lead
 * byte, a missing continuation, an overlong form, a surrogate, beyond
 * U+10FFFF) is U+FFFD, one byte long.  Reading stops at the first byte that
 * is not a continuation, so a NUL-terminated string may pass n = SIZE_MAX. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* utf8_decode of the NUL-terminated text at *pp, advancing *pp past it. */
uint32_t utf8_next(const unsigned char **pp);

void format_shortest(char *buf, size_t size, double v);

/* Python's repr() of a float, as the seed's f-strings print its values:
 * the shortest digits that read back as v, positional with at least one
 * digit after the point when the decimal exponent is in [-4, 16) ("2.0",
 * "0.5", "-3.0"), else d[.ddd]e±XX ("1e-08"); "nan", "inf", "-inf". */
void format_py_repr(char *buf, size_t size, double v);

/* 1-based character (code point) column of byte offset `off` in the UTF-8
 * string s (stops at its NUL), for file:line:col messages. */
int char_col(const char *s, size_t off);

/* Optimal string alignment distance between a and b (Damerau-Levenshtein
 * with adjacent transpositions), for "did you mean" hints; strings of 64
 * bytes or more count as far from anything (INT_MAX). */
int edit_distance(const char *a, const char *b);

/* A growing NUL-terminated string: start from {NULL, 0, 0}; s is
 * malloc'd (caller frees) once anything was appended. */
struct strbuf {
	char *s;
	size_t n, cap;
};
void strbuf_putn(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
