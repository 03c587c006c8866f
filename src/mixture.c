#include "mixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* sqrt(2*pi) as NumPy computes it (scipy's _norm_pdf_C). */
#define NORM_PDF_C 2.5066282746310002

#define STR_(x) #x
#define STR(x) STR_(x)

struct cursor {
	const char *s;
	size_t i;
	/* error state: the first problem ends the parse */
	size_t err_at;
	const char *err_msg;
	bool err_syntax;
};

static bool
fail(struct cursor *c, size_t at, bool syntax, const char *msg)
{
	c->err_at = at;
	c->err_msg = msg;
	c->err_syntax = syntax;
	return false;
}

static void
skip_space(struct cursor *c)
{
	while (c->s[c->i] == ' ' || c->s[c->i] == '\t')
		c->i++;
}

/* A number in C strtod syntax at the cursor; `what` names it in messages
 * (both static strings chosen by the caller). */
static bool
number(struct cursor *c, double *v, const char *missing, const char *not_finite)
{
	char *end;
	const char *p = c->s + c->i;

	/* strtod would skip leading white space itself; the grammar does that. */
	if (*p == '\0' || *p == ' ' || *p == '\t')
		return fail(c, c->i, true, missing);
	*v = strtod(p, &end);
	if (end == p)
		return fail(c, c->i, true, missing);
	if (!isfinite(*v))
		return fail(c, c->i, false, not_finite);
	c->i += (size_t)(end - p);
	return true;
}

static bool
expect(struct cursor *c, char ch, const char *msg)
{
	skip_space(c);
	if (c->s[c->i] != ch)
		return fail(c, c->i, true, msg);
	c->i++;
	return true;
}

/* Is the cursor at 'N' followed (after spaces) by '('? */
static bool
at_normal(const struct cursor *c)
{
	size_t j = c->i;

	if (c->s[j] != 'N')
		return false;
	j++;
	while (c->s[j] == ' ' || c->s[j] == '\t')
		j++;
	return c->s[j] == '(';
}

static bool
term(struct cursor *c, struct mixture_component *comp)
{
	size_t at;

	skip_space(c);
	comp->has_weight = false;
	comp->weight = 1.0;
	if (c->s[c->i] == '\0')
		return fail(c, c->i, true, "expected a term like 0.5*N(0, 1)");
	if (!at_normal(c)) {
		at = c->i;
		if (!number(c, &comp->weight, "expected a weight or 'N('",
		    "the weight must be a finite number"))
			return false;
		if (!(comp->weight > 0))
			return fail(c, at, false, "the weight must be greater than 0");
		comp->has_weight = true;
		if (!expect(c, '*', "expected '*' after the weight"))
			return false;
		skip_space(c);
		if (c->s[c->i] != 'N')
			return fail(c, c->i, true, "expected 'N(' after '*'");
	}
	c->i++; /* the 'N' */
	if (!expect(c, '(', "expected '(' after 'N'"))
		return false;
	skip_space(c);
	if (!number(c, &comp->mean, "expected the mean (a number)",
	    "the mean must be a finite number"))
		return false;
	if (!expect(c, ',', "expected ',' after the mean"))
		return false;
	skip_space(c);
	at = c->i;
	if (!number(c, &comp->std, "expected the standard deviation (a number)",
	    "the standard deviation must be a finite number"))
		return false;
	if (!(comp->std > 0))
		return fail(c, at, false, "the standard deviation must be greater than 0");
	return expect(c, ')', "expected ')' after the standard deviation");
}

static bool
parse(struct cursor *c, bool allow_reference, struct mixture *out)
{
	size_t first;
	double sum = 0;

	skip_space(c);
	first = c->i;
	if (c->s[c->i] == '\0')
		return fail(c, c->i, true, "empty expression");
	if (strncmp(c->s + c->i, "p_data", 6) == 0) {
		c->i += 6;
		skip_space(c);
		if (c->s[c->i] != '\0')
			return fail(c, c->i, true, "'p_data' cannot be combined with other terms");
		if (!allow_reference)
			return fail(c, first, false, "a reference to 'p_data' is not allowed here");
		out->is_reference = true;
		return true;
	}
	for (;;) {
		skip_space(c);
		if (out->n == MIXTURE_MAX_COMPONENTS)
			return fail(c, c->i, false,
			    "too many terms (at most " STR(MIXTURE_MAX_COMPONENTS) ")");
		if (!term(c, &out->comp[out->n]))
			return false;
		sum += out->comp[out->n].weight;
		out->n++;
		skip_space(c);
		if (c->s[c->i] == '\0')
			break;
		if (c->s[c->i] != '+')
			return fail(c, c->i, true, "expected '+' or the end of the expression");
		c->i++;
	}
	if (!(fabs(sum - 1.0) <= 1e-9))
		return fail(c, first, false, "the weights must sum to 1 (within 1e-9)");
	return true;
}

bool
mixture_parse_ex(const char *text, bool allow_reference, struct mixture *out,
    int *err_col, const char **err_msg, bool *err_syntax)
{
	struct cursor c = {.s = text};
	struct mixture m;
	bool ok;

	memset(&m, 0, sizeof m);
	ok = parse(&c, allow_reference, &m);
	if (ok) {
		*out = m;
		return true;
	}
	if (err_col)
		*err_col = (int)c.err_at + 1;
	if (err_msg)
		*err_msg = c.err_msg;
	if (err_syntax)
		*err_syntax = c.err_syntax;
	return false;
}

bool
mixture_parse(const char *text, bool allow_reference, struct mixture *out,
    int *err_col, const char **err_msg)
{
	return mixture_parse_ex(text, allow_reference, out, err_col, err_msg, NULL);
}

double
normal_pdf(double x, double mean, double std)
{
	double y = (x - mean) / std;

	/* Same operations in the same order as scipy: exp(-y**2/2.0)/C, then /scale. */
	return exp(-(y * y) / 2.0) / NORM_PDF_C / std;
}

double
mixture_pdf(const struct mixture *m, double x)
{
	double sum = 0;

	for (size_t k = 0; k < m->n; k++) {
		const struct mixture_component *c = &m->comp[k];
		double p = normal_pdf(x, c->mean, c->std);

		sum += c->has_weight ? c->weight * p : p;
	}
	return sum;
}

char *
mixture_format(const struct mixture *m, char *buf, size_t size)
{
	size_t len = 0;
	char w[32], mu[32], sd[32];

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (m->is_reference) {
		snprintf(buf, size, "p_data");
		return buf;
	}
	for (size_t k = 0; k < m->n && len < size; k++) {
		const struct mixture_component *c = &m->comp[k];
		int r;

		format_shortest(mu, sizeof mu, c->mean);
		format_shortest(sd, sizeof sd, c->std);
		if (c->has_weight) {
			format_shortest(w, sizeof w, c->weight);
			r = snprintf(buf + len, size - len, "%s%s*N(%s, %s)",
			    k ? " + " : "", w, mu, sd);
		} else {
			r = snprintf(buf + len, size - len, "%sN(%s, %s)",
			    k ? " + " : "", mu, sd);
		}
		if (r < 0)
			break;
		len += (size_t)r;
	}
	return buf;
}

/* v in its shortest form, in TeX: "2.5e-7" as "2.5\\times 10^{-7}",
 * "1e+20" as "10^{20}". */
static void
tex_number(char *buf, size_t size, double v)
{
	char t[32];
	format_shortest(t, sizeof t, v);
	char *e = strpbrk(t, "eE");
	if (e == NULL) {
		snprintf(buf, size, "%s", t);
		return;
	}
	*e = '\0';
	int x = atoi(e + 1);
	if (strcmp(t, "1") == 0 || strcmp(t, "-1") == 0)
		snprintf(buf, size, "%s10^{%d}", t[0] == '-' ? "-" : "", x);
	else
		snprintf(buf, size, "%s\\times 10^{%d}", t, x);
}

char *
mixture_format_tex(const struct mixture *m, char *buf, size_t size)
{
	size_t len = 0;
	char w[48], mu[40], sd[40];

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (m->is_reference) {
		snprintf(buf, size, "p_{\\mathrm{data}}");
		return buf;
	}
	for (size_t k = 0; k < m->n && len < size; k++) {
		const struct mixture_component *c = &m->comp[k];
		tex_number(mu, sizeof mu, c->mean);
		tex_number(sd, sizeof sd, c->std);
		w[0] = '\0';
		if (c->has_weight) {
			tex_number(w, sizeof w, c->weight);
			strcat(w, "\\,");
		}
		/* a power of ten squared needs parentheses: (2.5\times 10^{-7})^{2} */
		bool power = strchr(sd, '^') != NULL;
		int r = snprintf(buf + len, size - len, "%s%sN(%s, %s%s%s^{2})", k ? " + " : "", w,
		    mu, power ? "(" : "", sd, power ? ")" : "");
		if (r < 0)
			break;
		len += (size_t)r;
	}
	return buf;
}
