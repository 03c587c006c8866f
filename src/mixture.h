/* mixture: Gaussian mixture densities written as expressions.
 *
 * Grammar (spaces allowed anywhere between tokens):
 *   mixture   := term ( '+' term )*
 *   term      := [ number '*' ] 'N' '(' number ',' number ')'      weight * N(mean, std)
 *   reference := 'p_data'            (only where the caller allows it)
 * Weights default to 1, must be > 0 and sum to 1 (within 1e-9); std > 0.
 * The pdf of N(m, s) is evaluated exactly as scipy.stats.norm.pdf does, and a
 * mixture as the left-to-right sum  w1*pdf1 + w2*pdf2 + ...  (NumPy order). */
#ifndef HANDOUT_MIXTURE_H
#define HANDOUT_MIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#define MIXTURE_MAX_COMPONENTS 16

struct mixture_component {
	double weight; /* as written; has_weight false means the term had none */
	bool has_weight;
	double mean;
	double std;
};

struct mixture {
	size_t n;
	struct mixture_component comp[MIXTURE_MAX_COMPONENTS];
	bool is_reference; /* the expression was the word p_data */
};

/* Parses `text` into *out.  On failure returns false, leaves *out untouched
 * and sets *err_col (1-based byte column within text: the offending token, or
 * the first term for a weight sum that is not 1) and *err_msg (static
 * string, e.g. "expected ',' after the mean").  Numbers use C strtod syntax
 * (the "C" locale is assumed) and must be finite.  Either pointer may be NULL. */
bool mixture_parse(const char *text, bool allow_reference, struct mixture *out,
    int *err_col, const char **err_msg);

/* mixture_parse that also says what kind of problem it was: *err_syntax
 * true for malformed text, false for a well-formed expression with a bad
 * value (weight <= 0, std <= 0, non-finite number, weight sum, too many
 * terms, p_data where it is not allowed).  err_syntax may be NULL. */
bool mixture_parse_ex(const char *text, bool allow_reference, struct mixture *out,
    int *err_col, const char **err_msg, bool *err_syntax);

/* scipy.stats.norm.pdf(x, mean, std): exp(-y*y/2)/sqrt(2*pi)/std, y=(x-mean)/std. */
double normal_pdf(double x, double mean, double std);

/* Density of the mixture at x (see the header comment for the summation order). */
double mixture_pdf(const struct mixture *m, double x);

/* Writes the canonical text of m ("0.3*N(-1, 0.5) + 0.7*N(1.5, 0.3)"; a
 * reference reads "p_data"; numbers in their shortest round-trip form) into
 * buf (size bytes, always NUL-terminated, possibly truncated); returns buf. */
char *mixture_format(const struct mixture *m, char *buf, size_t size);

/* The TeX form of m for texmath ("0.3\\,N(-1, 0.5^{2}) + 0.7\\,N(1.5, 0.3^{2})":
 * N(mean, std^2), the notation of the handout's formulas; a reference is
 * "p_{\\mathrm{data}}"), into buf like mixture_format; returns buf. */
char *mixture_format_tex(const struct mixture *m, char *buf, size_t size);

#endif
