#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *
check(void *p)
{
	if (p == NULL) {
		fputs("handout: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

void *
xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *
xcalloc(size_t count, size_t size)
{
	return check(calloc(count ? count : 1, size ? size : 1));
}

void *
xrealloc(void *ptr, size_t size)
{
	return check(realloc(ptr, size ? size : 1));
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		fputs("handout: bad format string\n", stderr);
		exit(3);
	}
	char *p = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c = u[0], min;
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if (i >= n || (u[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = c;
	return len;
}

uint32_t
utf8_next(const unsigned char **pp)
{
	uint32_t cp;
	*pp += utf8_decode((const char *)*pp, SIZE_MAX, &cp);
	return cp;
}

void
format_shortest(char *buf, size_t size, double v)
{
	char *e, *d;

	int prec, exp10;

	if (!isfinite(v)) {
		snprintf(buf, size, "%g", v);
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* Whole numbers below 1e16 in plain digits: "100", not "1e2". */
	snprintf(buf, size, "%.*e", prec - 1, v);
	exp10 = atoi(strchr(buf, 'e') + 1);
	if (exp10 >= prec && exp10 < 16)
		prec = exp10 + 1;
	snprintf(buf, size, "%.*g", prec, v);
	if ((e = strchr(buf, 'e')) == NULL)
		return;
	d = ++e;
	if (*e == '+')
		e++;
	else if (*e == '-')
		d = ++e;
	while (*e == '0' && e[1] != '\0')
		e++;
	memmove(d, e, strlen(e) + 1);
}

/* Python's repr() of a float (figspec.h): the shortest digits that read back
 * as v; positional when the decimal exponent e is in [-4, 16) with at least
 * one digit after the point, else d[.ddd]e±XX. */
void
format_py_repr(char *buf, size_t size, double v)
{
	if (isnan(v)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, size, v < 0 ? "-inf" : "inf");
		return;
	}
	char tmp[48];
	int prec;
	for (prec = 1; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
	bool neg = tmp[0] == '-';
	const char *p = tmp + (neg ? 1 : 0);
	char digits[24];
	size_t nd = 0;
	for (; *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	int e = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';

	char out[64];
	size_t o = 0;
	if (neg)
		out[o++] = '-';
	if (e >= -4 && e < 16) {
		if (e >= 0) {
			for (int i = 0; i <= e; i++)
				out[o++] = (size_t)i < nd ? digits[i] : '0';
			out[o++] = '.';
			if ((size_t)e + 1 < nd)
				for (size_t i = (size_t)e + 1; i < nd; i++)
					out[o++] = digits[i];
			else
				out[o++] = '0';
		} else {
			out[o++] = '0';
			out[o++] = '.';
			for (int i = 0; i < -e - 1; i++)
				out[o++] = '0';
			for (size_t i = 0; i < nd; i++)
				out[o++] = digits[i];
		}
		out[o] = '\0';
	} else {
		out[o++] = digits[0];
		if (nd > 1) {
			out[o++] = '.';
			for (size_t i = 1; i < nd; i++)
				out[o++] = digits[i];
		}
		out[o] = '\0';
		char ex[16];
		snprintf(ex, sizeof ex, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
		strcat(out, ex);
	}
	snprintf(buf, size, "%s", out);
}

int
char_col(const char *s, size_t off)
{
	int col = 1;

	for (size_t i = 0; i < off && s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

int
edit_distance(const char *a, const char *b)
{
	size_t m = strlen(a), n = strlen(b);
	int d[64][64];

	if (m >= 64 || n >= 64)
		return INT_MAX;
	for (size_t i = 0; i <= m; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= n; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= m; i++) {
		for (size_t j = 1; j <= n; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[m][n];
}

void
strbuf_putn(struct strbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void
strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_putn(b, s, strlen(s));
}
