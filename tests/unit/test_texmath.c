/* math: TeX's spacing table and demotions, script sizes and shifts,
 * fraction and limit geometry, delimiters that grow with their content,
 * aligned columns, exact error locations, every formula of the templates,
 * and golden dumps of formulas covering every construct (tests/math/).
 *
 * A fake font keeps the numbers independent of real fonts: every glyph is
 * 0.5 em wide, 0.75 em above and 0.25 em below the baseline; no ink or
 * italic-correction callbacks (so the axis is TeX's 0.25 em), except where
 * a test says so.  Sizes are 10 pt: 1 em = 10, 1 mu = 10/18.
 *
 * Run from the repository root.  MATH_UPDATE_GOLDEN=1 rewrites
 * the dumps in tests/math/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "texmath.h"

#define SIZE 10.0
#define EM SIZE
#define MU (SIZE / 18.0)
#define TOL 1e-6
/* TeX's parameters as math.c documents them (em) */
#define AXIS 0.25
#define THETA 0.04
#define XH 0.430555

static double
absd(double v)
{
	return v < 0 ? -v : v;
}

#define assert_near(a, b) assert_near_((a), (b), #a, __LINE__)

static void
assert_near_(double got, double want, const char *what, int line)
{
	if (absd(got - want) > TOL) {
		print_error("line %d: %s = %.6f, want %.6f\n", line, what, got, want);
		fail();
	}
}

/* ------------------------------------------------------------ fake font */

static size_t
code_points(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static size_t
code_points_n(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

static double
fake_width(void *ctx, enum math_font font, double size, const char *utf8)
{
	(void)ctx;
	(void)font;
	return 0.5 * size * (double)code_points(utf8);
}

static void
fake_vertical(void *ctx, enum math_font font, double size, double *ascent, double *descent)
{
	(void)ctx;
	(void)font;
	*ascent = 0.75 * size;
	*descent = -0.25 * size;
}

static const struct math_metrics fake = {NULL, fake_width, fake_vertical, NULL, NULL,
	NULL, NULL};

/* ------------------------------------------------------------ helpers */

static struct math_box *
lay_with(const char *src, bool display, const struct math_metrics *m)
{
	struct doc_loc loc = {"t.md", 1, 1};

	capture();
	struct math_box *b = math_layout(src, loc, display, SIZE, m);
	char *msgs = captured();
	if (b == NULL || msgs[0] != '\0') {
		print_error("math_layout(\"%s\"): %s\n", src, msgs);
		free(msgs);
		math_box_free(b);
		fail();
	}
	free(msgs);
	return b;
}

static struct math_box *
lay(const char *src, bool display)
{
	return lay_with(src, display, &fake);
}

/* The nth occurrence (0-based) of utf8 inside the glyph runs (adjacent
 * glyphs of one font, size and baseline are merged into one run), as a
 * run of its own: x advanced by the fake width of what precedes it in its
 * run.  The result lives in a ring of slots, valid for 64 more calls. */
static const struct math_glyphs *
glyph(const struct math_box *b, const char *utf8, int nth)
{
	static struct math_glyphs ring[64];
	static size_t next;
	size_t n = strlen(utf8);

	for (size_t i = 0; i < b->nglyphs; i++) {
		const struct math_glyphs *g = &b->glyphs[i];
		for (const char *p = g->utf8; *p; p++) {
			if (((unsigned char)*p & 0xC0) == 0x80 || strncmp(p, utf8, n) != 0)
				continue;
			if (nth-- > 0)
				continue;
			struct math_glyphs *r = &ring[next++ % 64];
			*r = *g;
			r->x = g->x + 0.5 * g->size * (double)code_points_n(g->utf8, (size_t)(p - g->utf8));
			r->utf8 = NULL;
			return r;
		}
	}
	print_error("no glyph \"%s\"\n", utf8);
	fail();
	return NULL;
}

static bool
has_glyph(const struct math_box *b, const char *utf8)
{
	for (size_t i = 0; i < b->nglyphs; i++)
		if (strstr(b->glyphs[i].utf8, utf8))
			return true;
	return false;
}

/* The error message for src at t.md:line:col, or "" (caller frees). */
static char *
error_of(const char *src, int line, int col)
{
	struct doc_loc loc = {"t.md", line, col};

	capture();
	struct math_box *b = math_layout(src, loc, true, SIZE, &fake);
	char *msgs = captured();
	if (msgs[0] != '\0')
		assert_null(b);
	math_box_free(b);
	return msgs;
}

/* ------------------------------------------------------------ spacing */

static void
test_spacing_table(void **state)
{
	(void)state;
	struct math_box *b;

	/* a + b: medium spaces (4 mu) around a binary operator */
	b = lay("a+b", false);
	assert_near(glyph(b, "a", 0)->x, 0);
	assert_near(glyph(b, "+", 0)->x, 5 + 4 * MU);
	assert_near(glyph(b, "b", 0)->x, 10 + 8 * MU);
	assert_near(b->width, 15 + 8 * MU);
	assert_string_equal(b->text, "a + b");
	math_box_free(b);

	/* a = b: thick (5 mu) around a relation */
	b = lay("a=b", false);
	assert_near(glyph(b, "=", 0)->x, 5 + 5 * MU);
	assert_near(glyph(b, "b", 0)->x, 10 + 10 * MU);
	math_box_free(b);

	/* f(x): no space between ord, open, ord, close */
	b = lay("f(x)", false);
	assert_near(glyph(b, "(", 0)->x, 5);
	assert_near(glyph(b, "x", 0)->x, 10);
	assert_near(glyph(b, ")", 0)->x, 15);
	assert_near(b->width, 20);
	math_box_free(b);

	/* -a: a leading minus is unary (ord): no space; U+2212 */
	b = lay("-a", false);
	assert_near(glyph(b, "−", 0)->x, 0);
	assert_near(glyph(b, "a", 0)->x, 5);
	assert_string_equal(b->text, "−a");
	math_box_free(b);

	/* after an open, a relation or another binary operator too */
	b = lay("(-a) = -b + -c", false);
	assert_near(glyph(b, "a", 0)->x, 10);
	assert_near(glyph(b, "−", 1)->x, 25 + 10 * MU);        /* after '=' */
	assert_near(glyph(b, "b", 0)->x, 30 + 10 * MU);
	assert_near(glyph(b, "+", 0)->x, 35 + 14 * MU);
	assert_near(glyph(b, "−", 2)->x, 40 + 18 * MU);        /* after '+' */
	assert_near(glyph(b, "c", 0)->x, 45 + 18 * MU);
	math_box_free(b);

	/* a binary operator before a relation, a close or punctuation is ord */
	b = lay("(a+)=b", false);
	assert_near(glyph(b, "+", 0)->x, 10);
	assert_near(glyph(b, ")", 0)->x, 15);
	math_box_free(b);

	/* thin spaces: op-ord, punct-ord, ord-op */
	b = lay("\\log x, y", false);
	assert_near(glyph(b, "log", 0)->x, 0);
	assert_near(glyph(b, "x", 0)->x, 15 + 3 * MU);
	assert_near(glyph(b, ",", 0)->x, 20 + 3 * MU);
	assert_near(glyph(b, "y", 0)->x, 25 + 6 * MU);
	assert_string_equal(b->text, "log x, y");
	math_box_free(b);

	/* a fraction is Ord (LaTeX's \frac is braced): nothing after an
	 * ord, thin before an op; op-op: thin */
	b = lay("2\\frac{1}{2}\\min\\max", false);
	assert_near(glyph(b, "min", 0)->x, 5 + (3.5 + 2 * 1.2) + 3 * MU);
	assert_near(glyph(b, "max", 0)->x, 5 + 5.9 + 3 * MU + 15 + 3 * MU);
	math_box_free(b);

	/* script style: no medium or thick spaces, thin ones stay */
	b = lay("x^{a+b=c}", false);
	assert_near(glyph(b, "a", 0)->x, 5);
	assert_near(glyph(b, "+", 0)->x, 8.5);
	assert_near(glyph(b, "b", 0)->x, 12);
	assert_near(glyph(b, "=", 0)->x, 15.5);
	assert_near(glyph(b, "c", 0)->x, 19);
	math_box_free(b);
	b = lay("x^{\\log y}", false);
	assert_near(glyph(b, "y", 0)->x, 5 + 10.5 + 3 * 0.7 * MU);
	math_box_free(b);

	/* \: and \> are 4 mu */
	b = lay("a\\:b\\>c", false);
	assert_near(glyph(b, "b", 0)->x, 5 + 4 * MU);
	assert_near(glyph(b, "c", 0)->x, 10 + 8 * MU);
	math_box_free(b);

	/* in a script: mu glue shrinks with the style, \quad and "\ " keep
	 * the text size */
	b = lay("x^{a\\,b\\quad c\\ d~e}", false);
	double a = glyph(b, "a", 0)->x;
	assert_near(glyph(b, "b", 0)->x, a + 3.5 + 3 * 0.7 * MU);
	assert_near(glyph(b, "c", 0)->x, a + 7 + 3 * 0.7 * MU + 10);
	assert_near(glyph(b, "d", 0)->x, a + 10.5 + 3 * 0.7 * MU + 15);
	assert_near(glyph(b, "e", 0)->x, a + 14 + 3 * 0.7 * MU + 20);
	math_box_free(b);

	/* \min_G \max_D V: limits under the names in display style, thin
	 * spaces op-op and op-ord; beside them in text style */
	b = lay("\\min_G \\max_D V(D,G)", true);
	assert_near(glyph(b, "min", 0)->x, 0);
	assert_near(glyph(b, "G", 0)->x, (15 - 3.5) / 2);
	assert_true(glyph(b, "G", 0)->y < -2.5);
	assert_near(glyph(b, "max", 0)->x, 15 + 3 * MU);
	assert_near(glyph(b, "D", 0)->x, 15 + 3 * MU + (15 - 3.5) / 2);
	assert_near(glyph(b, "V", 0)->x, 30 + 6 * MU);
	assert_string_equal(b->text, "min_G max_D V(D, G)");
	math_box_free(b);
	b = lay("\\min_G \\max_D V(D,G)", false);
	assert_near(glyph(b, "G", 0)->x, 15);
	assert_near(glyph(b, "max", 0)->x, 19 + 3 * MU);
	assert_near(glyph(b, "V", 0)->x, 38 + 6 * MU);
	math_box_free(b);

	/* explicit spaces: \, \; \! \quad \qquad are 3, 5, -3 mu, 1, 2 em */
	b = lay("a\\,b\\;c\\!d\\quad e\\qquad f", false);
	assert_near(glyph(b, "b", 0)->x, 5 + 3 * MU);
	assert_near(glyph(b, "c", 0)->x, 10 + 8 * MU);
	assert_near(glyph(b, "d", 0)->x, 15 + 5 * MU);
	assert_near(glyph(b, "e", 0)->x, 20 + 5 * MU + 10);
	assert_near(glyph(b, "f", 0)->x, 25 + 5 * MU + 30);
	math_box_free(b);
}

static void
test_classes_and_fonts(void **state)
{
	(void)state;
	struct math_box *b = lay("x2\\alpha\\Sigma\\mathrm{d}\\mathbf{v}\\mathbb{E}\\mathbb{R}"
	    "\\partial\\infty\\text{其中 ab}", false);

	assert_int_equal(glyph(b, "x", 0)->font, MATH_ITALIC);
	assert_int_equal(glyph(b, "2", 0)->font, MATH_ROMAN);
	assert_int_equal(glyph(b, "α", 0)->font, MATH_ITALIC);
	assert_int_equal(glyph(b, "Σ", 0)->font, MATH_ROMAN);
	assert_int_equal(glyph(b, "d", 0)->font, MATH_ROMAN);
	assert_int_equal(glyph(b, "v", 0)->font, MATH_BOLD);
	assert_int_equal(glyph(b, "𝔼", 0)->font, MATH_SYMBOL);
	assert_int_equal(glyph(b, "ℝ", 0)->font, MATH_SYMBOL);
	assert_int_equal(glyph(b, "∂", 0)->font, MATH_ITALIC);
	assert_int_equal(glyph(b, "∞", 0)->font, MATH_SYMBOL);
	assert_int_equal(glyph(b, "其中", 0)->font, MATH_CJK);
	/* the blank is an interword advance, not a glyph */
	assert_int_equal(glyph(b, "ab", 0)->font, MATH_ROMAN);
	assert_near(glyph(b, "ab", 0)->x, glyph(b, "其中", 0)->x + 10 + 5);
	math_box_free(b);

	/* \phi is TeX's ϕ, \varphi φ; \epsilon ϵ, \varepsilon ε */
	b = lay("\\phi\\varphi\\epsilon\\varepsilon", false);
	assert_string_equal(b->text, "ϕφϵε");
	math_box_free(b);
}

/* ------------------------------------------------------------ scripts */

static void
test_scripts(void **state)
{
	(void)state;
	struct math_box *b;
	double s = 7; /* script size */

	/* x^2, text style: sup2, at 70 % */
	b = lay("x^2", false);
	assert_near(glyph(b, "2", 0)->size, 7);
	assert_near(glyph(b, "2", 0)->x, 5);
	assert_near(glyph(b, "2", 0)->y, 0.362892 * EM);
	assert_near(b->width, 5 + 3.5 + 0.5);  /* + \scriptspace */
	assert_string_equal(b->text, "x²");
	math_box_free(b);

	/* display style: sup1 */
	b = lay("x^2", true);
	assert_near(glyph(b, "2", 0)->y, 0.412892 * EM);
	math_box_free(b);

	/* cramped (a denominator): sup3 */
	b = lay("\\frac{1}{x^2}", true);
	assert_near(glyph(b, "2", 0)->y - glyph(b, "x", 0)->y, 0.288889 * EM);
	math_box_free(b);

	/* x_i: sub1 (Latin Modern's 0.247 em; the top of the i stays below
	 * 4/5 x-height there) */
	b = lay("x_i", false);
	assert_near(glyph(b, "i", 0)->y, -0.247217 * EM);
	assert_true(0.75 * s - 0.247217 * EM < 0.8 * XH * EM);
	math_box_free(b);

	/* both: sub2, then 4 theta between them, then the sup's bottom at
	 * 4/5 x-height (rule 18e) */
	b = lay("x_i^2", false);
	double u = 0.362892 * EM, v = 0.247217 * EM, th = THETA * EM;
	if ((u - 0.25 * s) - (0.75 * s - v) < 4 * th) {
		v = 4 * th - u + 0.25 * s + 0.75 * s;
		double psi = 0.8 * XH * EM - (u - 0.25 * s);
		if (psi > 0) {
			u += psi;
			v -= psi;
		}
	}
	assert_near(glyph(b, "2", 0)->y, u);
	assert_near(glyph(b, "i", 0)->y, -v);
	assert_near(glyph(b, "2", 0)->x, 5);
	assert_near(glyph(b, "i", 0)->x, 5);
	assert_string_equal(b->text, "xᵢ²");
	math_box_free(b);

	/* scripts of scripts: 50 %; q_\phi and \sigma^2_\phi */
	b = lay("x^{y^{z}} + q_\\phi(z|x) + \\sigma^2_\\phi", false);
	assert_near(glyph(b, "y", 0)->size, 7);
	assert_near(glyph(b, "z", 0)->size, 5);
	assert_near(glyph(b, "ϕ", 0)->size, 7);
	assert_near(glyph(b, "ϕ", 1)->size, 7);
	assert_near(glyph(b, "2", 0)->size, 7);
	assert_string_equal(b->text, "x^(y^z) + qᵩ(z|x) + σᵩ²");
	math_box_free(b);

	/* a group's scripts hang from its box (sup_drop, sub_drop) */
	b = lay("{x}^2", false);
	assert_near(glyph(b, "2", 0)->y, 7.5 - 0.386108 * 7); /* more than sup2 */
	math_box_free(b);

	/* styles: 100 / 100 / 70 / 50 % */
	b = lay("\\displaystyle a \\textstyle b \\scriptstyle c \\scriptscriptstyle d", false);
	assert_near(glyph(b, "a", 0)->size, 10);
	assert_near(glyph(b, "b", 0)->size, 10);
	assert_near(glyph(b, "c", 0)->size, 7);
	assert_near(glyph(b, "d", 0)->size, 5);
	math_box_free(b);

	/* primes: the font's ′ after the nucleus, at its size */
	b = lay("f'(x) + g''_k", false);
	assert_near(glyph(b, "′", 0)->x, 5);
	assert_near(glyph(b, "′", 0)->size, 10);
	assert_near(glyph(b, "′′", 0)->size, 10);
	assert_near(glyph(b, "k", 0)->size, 7);
	assert_string_equal(b->text, "f′(x) + g′′ₖ");
	math_box_free(b);
}

/* ------------------------------------------------------------ fractions */

static void
test_fraction_geometry(void **state)
{
	(void)state;
	double th = THETA * EM, a = AXIS * EM;
	struct math_box *b = lay("\\frac{abc}{d}", true);

	/* the bar: on the axis, theta thick, as wide as the wider part,
	 * inside the null delimiter spaces */
	assert_int_equal(b->nrules, 1);
	const struct math_rule *r = &b->rules[0];
	assert_near(r->y + r->h / 2, a);
	assert_near(r->h, th);
	assert_near(r->x, 1.2);
	assert_near(r->w, 15);
	assert_near(b->width, 17.4);
	/* display: num1 and denom1, at least 3 theta clear of the bar */
	const struct math_glyphs *n = glyph(b, "abc", 0), *d = glyph(b, "d", 0);
	assert_near(n->x, 1.2);
	assert_near(n->y, 0.676508 * EM);
	assert_near(d->x, 1.2 + (15 - 5) / 2.0);  /* centred */
	assert_near(d->y, -0.685951 * EM);
	assert_true(n->y - 2.5 >= r->y + r->h + 3 * th - TOL);
	assert_true(d->y + 7.5 <= r->y - 3 * th + TOL);
	assert_near(b->height, n->y + 7.5);
	assert_near(b->depth, -d->y + 2.5);
	math_box_free(b);

	/* text style: num2 and denom2 at 70 %, pushed theta clear of the bar */
	b = lay("\\frac{a}{b}", false);
	n = glyph(b, "a", 0);
	d = glyph(b, "b", 0);
	assert_near(n->size, 7);
	assert_near(d->size, 7);
	double u = 0.393732 * EM, v = 0.344841 * EM;
	if ((u - 1.75) - (a + th / 2) < th)
		u = th + 1.75 + a + th / 2;
	if ((a - th / 2) - (5.25 - v) < th)
		v = th - (a - th / 2) + 5.25;
	assert_near(n->y, u);
	assert_near(d->y, -v);
	assert_near(b->rules[0].y + b->rules[0].h / 2, a);
	assert_string_equal(b->text, "a/b");
	math_box_free(b);

	/* rule 15d: a deep numerator (a subscript) is raised until its
	 * bottom is exactly phi clear of the bar: 3 theta in display, theta in
	 * text style, whatever the numerator's own style */
	for (int disp = 1; disp >= 0; disp--) {
		b = lay("\\frac{a_b}{c}", disp);
		const struct math_glyphs *na = glyph(b, "a", 0), *nb = glyph(b, "b", 0);
		double bottom = nb->y - 0.25 * nb->size, bar_top = b->rules[0].y + b->rules[0].h;
		assert_near(bottom - bar_top, (disp ? 3 : 1) * th);
		assert_true(na->y > (disp ? 0.676508 : 0.393732) * EM + TOL); /* raised */
		math_box_free(b);
	}

	/* \dfrac in text, \tfrac in display */
	b = lay("\\dfrac{a}{b}\\tfrac{c}{d}", false);
	assert_near(glyph(b, "a", 0)->size, 10);
	assert_near(glyph(b, "c", 0)->size, 7);
	assert_string_equal(b->text, "(a/b)(c/d)"); /* ord-ord: no space */
	math_box_free(b);

	/* the text form: ½, a factor, or parenthesized parts */
	b = lay("\\frac{1}{2}\\left(\\sigma^{2} - 1\\right) = \\frac{p(x)}{1 - D(x)}", true);
	assert_string_equal(b->text, "½(σ² − 1) = p(x)/(1 − D(x))");
	math_box_free(b);
}

static void
test_radical_and_accents(void **state)
{
	(void)state;
	struct math_box *b = lay("\\sqrt{x}", true);

	/* the sign, then the body under a rule */
	const struct math_glyphs *sign = glyph(b, "√", 0);
	double gw = 0.5 * sign->size; /* scaled up: 1 em does not cover the body */
	assert_near(sign->x, 0);
	assert_true(sign->size > 10);
	assert_near(glyph(b, "x", 0)->x, gw);
	assert_int_equal(b->nrules, 1);
	assert_near(b->rules[0].x, gw);
	assert_near(b->rules[0].w, 5);
	assert_true(b->rules[0].y >= 7.5 + THETA * EM);
	assert_string_equal(b->text, "√x");
	math_box_free(b);

	b = lay("\\hat{x}\\tilde{y}\\bar{z}", false);
	assert_near(glyph(b, "ˆ", 0)->x, glyph(b, "x", 0)->x);
	assert_int_equal(glyph(b, "ˆ", 0)->font, MATH_ITALIC);
	assert_string_equal(b->text, "x\xcc\x82y\xcc\x83z\xcc\x84");
	math_box_free(b);
}

/* ------------------------------------------------------------ operators */

static void
test_big_operator_limits(void **state)
{
	(void)state;
	struct math_box *b = lay("\\sum_{i=1}^{n} x_i", true);
	const struct math_glyphs *op = glyph(b, "∑", 0);
	const struct math_glyphs *lo = glyph(b, "i", 0), *hi = glyph(b, "n", 0);

	/* display: 1.4 times, limits centred above and below */
	assert_near(op->size, 14);
	assert_near(hi->x + 3.5 / 2, op->x + 7 / 2.0);
	assert_true(hi->y - 0.25 * 7 > op->y + 0.75 * 14);
	assert_true(lo->y + 0.75 * 7 < op->y - 0.25 * 14);
	assert_string_equal(b->text, "∑ᵢ₌₁ⁿ xᵢ");
	math_box_free(b);

	/* text: normal size, scripts to the side */
	b = lay("\\sum_{i=1}^{n} x_i", false);
	op = glyph(b, "∑", 0);
	assert_near(op->size, 10);
	assert_true(glyph(b, "i", 0)->x >= op->x + 5 - TOL);
	assert_true(glyph(b, "n", 0)->x >= op->x + 5 - TOL);
	math_box_free(b);

	/* integrals keep their limits at the side, also in display */
	b = lay("\\int_0^1 f", true);
	op = glyph(b, "∫", 0);
	assert_true(glyph(b, "0", 0)->x >= op->x + 0.5 * op->size - TOL);
	assert_true(glyph(b, "1", 0)->y > glyph(b, "0", 0)->y);
	math_box_free(b);

	/* \min_G \max_D: upright names, limits under them in display */
	b = lay("\\min_G \\max_D V", true);
	const struct math_glyphs *mn = glyph(b, "min", 0), *g = glyph(b, "G", 0);
	assert_int_equal(mn->font, MATH_ROMAN);
	assert_near(g->x + 1.75, mn->x + 7.5);
	assert_true(g->y + 0.75 * 7 < -2.5);
	assert_near(glyph(b, "max", 0)->x, 15 + 3 * MU);
	assert_string_equal(b->text, "min_G max_D V");
	math_box_free(b);

	/* rule 13a exactly: the gaps max(xi9, xi11 - d) above and max(xi10,
	 * xi12 - h) below (0.111, 0.2, 0.167, 0.6 em of the text size, in every
	 * style), and xi13 (0.1 em) beyond the limits */
	b = lay("\\max^{n}_{y} V", true);
	const struct math_glyphs *up = glyph(b, "n", 0), *dn = glyph(b, "y", 0);
	assert_near(up->y, 7.5 + 0.111112 * EM + 1.75);    /* xi9 wins: xi11 - 1.75 = 0.25 */
	assert_near(dn->y, -(2.5 + 0.166667 * EM + 5.25)); /* xi10 wins: xi12 - 5.25 = 0.75 */
	assert_near(b->height, up->y + 5.25 + 0.1 * EM);
	assert_near(b->depth, -dn->y + 1.75 + 0.1 * EM);
	math_box_free(b);

	/* … beside them in text, unless \limits */
	b = lay("\\min_G x + \\max\\limits_D y", false);
	assert_near(glyph(b, "G", 0)->x, 15);
	assert_near(glyph(b, "D", 0)->x + 1.75, glyph(b, "max", 0)->x + 7.5);
	math_box_free(b);
}

/* A font with designed display forms (as an OpenType MATH table gives):
 * ∫ -> U+E000 with italic correction 0.2 em, ∑ -> U+E001 without; the
 * fake widths make each 0.5 em wide, at the formula's size. */
static int display_op_calls;

static bool
fake_display_op(void *ctx, enum math_font font, double size, const char *utf8, char *out,
    double *italic)
{
	(void)ctx;
	display_op_calls++;
	if (font != MATH_SYMBOL)
		return false;
	if (strcmp(utf8, "∫") == 0) {
		strcpy(out, "\xEE\x80\x80");
		*italic = 0.2 * size;
		return true;
	}
	if (strcmp(utf8, "∑") == 0) {
		strcpy(out, "\xEE\x80\x81");
		*italic = 0;
		return true;
	}
	return false;
}

/* … and delimiter variants: ( -> U+E002 and [ -> U+E003 when at most
 * fake_delim_max em is needed, else none. */
static double fake_delim_max = 2.5;

static bool
fake_delimiter(void *ctx, double size, const char *utf8, double need, char *out)
{
	(void)ctx;
	if (need > fake_delim_max * size)
		return false;
	if (strcmp(utf8, "(") == 0 || strcmp(utf8, "[") == 0) {
		strcpy(out, utf8[0] == '(' ? "\xEE\x80\x82" : "\xEE\x80\x83");
		return true;
	}
	return false;
}

static const struct math_metrics with_forms = {NULL, fake_width, fake_vertical, NULL, NULL,
	fake_display_op, fake_delimiter};

static void
test_display_forms(void **state)
{
	(void)state;
	const char *INT = "\xEE\x80\x80", *SUM = "\xEE\x80\x81";

	/* display: the font's form at the formula's size (not 1.8 times);
	 * the subscript tucks in by the italic correction (2), the
	 * superscript starts at the advance (5) */
	display_op_calls = 0;
	struct math_box *b = lay_with("\\int_0^1 f", true, &with_forms);
	const struct math_glyphs *op = glyph(b, INT, 0);
	assert_int_equal(op->font, MATH_SYMBOL);
	assert_near(op->size, 10);
	assert_near(op->x, 0);
	assert_near(glyph(b, "0", 0)->x, 3);
	assert_near(glyph(b, "1", 0)->x, 5);
	assert_true(display_op_calls >= 1);
	/* centred on the axis (0.25 em: no '−' to measure): ink 7.5 / -2.5 */
	assert_near(op->y, 2.5 - (7.5 - 2.5) / 2);
	assert_string_equal(b->text, "∫₀¹ f");
	math_box_free(b);

	/* without scripts the italic correction is not added to the width:
	 * Op-Ord thin space right after the advance */
	b = lay_with("\\int f", true, &with_forms);
	assert_near(glyph(b, "f", 0)->x, 5 + 3 * MU);
	math_box_free(b);

	/* limits centred on the form (delta 0 for ∑) */
	b = lay_with("\\sum_{i=1}^{n} x_i", true, &with_forms);
	op = glyph(b, SUM, 0);
	assert_near(op->size, 10);
	assert_near(glyph(b, "n", 0)->x + 3.5 / 2, op->x + 5 / 2.0);
	assert_true(glyph(b, "n", 0)->y - 0.25 * 7 > op->y + 0.75 * 10);
	assert_string_equal(b->text, "∑ᵢ₌₁ⁿ xᵢ");
	math_box_free(b);

	/* text style keeps the text glyph and never asks */
	display_op_calls = 0;
	b = lay_with("\\int_0^1 f + \\sum_i x_i", false, &with_forms);
	assert_near(glyph(b, "∫", 0)->size, 10);
	assert_near(glyph(b, "∑", 0)->size, 10);
	assert_int_equal(display_op_calls, 0);
	math_box_free(b);

	/* an operator the font has no form for scales as before */
	b = lay_with("\\prod_k y_k", true, &with_forms);
	assert_near(glyph(b, "∏", 0)->size, 14);
	math_box_free(b);
}

/* Grown delimiters take the font's variant when it has one tall enough:
 * the glyph at the formula's size, centred on the axis, no rules; else
 * (too tall, or a delimiter without variants) rules as before. */
static void
test_delimiter_forms(void **state)
{
	(void)state;
	const char *PAREN = "\xEE\x80\x82", *BRACK = "\xEE\x80\x83";

	/* content of normal height: the text glyph, no variant */
	struct math_box *b = lay_with("\\left( x \\right)", true, &with_forms);
	assert_non_null(glyph(b, "(", 0));
	math_box_free(b);

	b = lay_with("\\left[ \\frac{a}{b} \\right] \\left( \\frac{a}{b} \\right)", true,
	    &with_forms);
	const struct math_glyphs *l = glyph(b, BRACK, 0), *r = glyph(b, PAREN, 0);
	assert_near(l->size, 10);
	assert_near(l->x, 0);
	/* centred on the axis: fake ink 7.5 / -2.5 around 2.5 */
	assert_near(l->y, 0);
	assert_near(r->size, 10);
	/* the two fraction bars, and the stem and arms of ], which has no
	 * variant here; nor has ")": built from pieces */
	assert_int_equal(b->nrules, 5);
	assert_non_null(glyph(b, "⎞", 0));
	assert_string_equal(b->text, "[a/b](a/b)");
	math_box_free(b);

	/* needing more than the largest variant: rules */
	fake_delim_max = 1.0;
	b = lay_with("\\left[ \\frac{a}{b} \\right.", true, &with_forms);
	assert_true(b->nrules >= 3);
	fake_delim_max = 2.5;
	math_box_free(b);
}

/* ------------------------------------------------------------ delimiters */

/* Vertical extent of everything left of x = 1e-6 + limit. */
static void
extent_left_of(const struct math_box *b, double limit, double *lo, double *hi)
{
	*lo = 1e9;
	*hi = -1e9;
	for (size_t i = 0; i < b->nglyphs; i++) {
		const struct math_glyphs *g = &b->glyphs[i];
		if (g->x < limit) {
			if (g->y - 0.25 * g->size < *lo)
				*lo = g->y - 0.25 * g->size;
			if (g->y + 0.75 * g->size > *hi)
				*hi = g->y + 0.75 * g->size;
		}
	}
	for (size_t i = 0; i < b->nrules; i++) {
		const struct math_rule *r = &b->rules[i];
		if (r->x < limit) {
			if (r->y < *lo)
				*lo = r->y;
			if (r->y + r->h > *hi)
				*hi = r->y + r->h;
		}
	}
}

static void
test_delimiters_grow(void **state)
{
	(void)state;
	double lo, hi, prev = 0, a = AXIS * EM;
	const struct {
		const char *body;
		bool display;
	} cases[] = {
		{"x", true},                                   /* its glyph */
		{"x^2", false},                                /* the glyph scaled */
		{"\\frac{a}{b}", true},                        /* pieces ⎛ ⎜ ⎝ */
		{"\\frac{\\frac{a}{b}}{\\frac{c}{d}}", true},
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct math_box *in = lay(cases[i].body, cases[i].display);
		double delta = in->height - a > in->depth + a ? in->height - a : in->depth + a;
		double need = 2 * delta * 0.901 > 2 * delta - 5 ? 2 * delta * 0.901 : 2 * delta - 5;
		math_box_free(in);

		char src[128];
		snprintf(src, sizeof src, "\\left( %s \\right)", cases[i].body);
		struct math_box *b = lay(src, cases[i].display);
		extent_left_of(b, 1, &lo, &hi);
		/* centred on the axis, covering TeX's 90 % of the body around it */
		assert_near((lo + hi) / 2, a);
		assert_true(hi - lo >= need - TOL);
		assert_true(hi - lo > prev);
		prev = hi - lo;
		/* "x" needs 9.01: the normal glyph (1 em) is tall enough */
		if (i == 0) {
			assert_near(need, 9.01);
			assert_near(glyph(b, "(", 0)->size, 10);
		}
		/* rule 19: x^2 in text style needs 2 delta 0.901 = 11.495 (delta
		 * = sup shift 3.629 + 5.25 - axis 2.5), more than the normal glyph's
		 * 1 em: the next size, TeX's \big of 1.2 em */
		if (i == 1) {
			assert_near(need, 2 * (0.362892 * EM + 5.25 - a) * 0.901);
			assert_near(glyph(b, "(", 0)->size, 12);
			assert_near(hi - lo, 12);
		}
		if (i >= 2) {
			assert_true(has_glyph(b, "⎛") && has_glyph(b, "⎝") && has_glyph(b, "⎞"));
			assert_false(has_glyph(b, "("));
		}
		math_box_free(b);
	}

	/* brackets and bars grow as rules; \left. is an empty space */
	struct math_box *b = lay("\\left[ \\frac{a}{b} \\right]", true);
	assert_false(has_glyph(b, "["));
	assert_true(b->nrules >= 1 + 3 + 3);
	math_box_free(b);
	b = lay("\\left. \\frac{a}{b} \\right|_{x=0} \\left\\| \\frac{a}{b} \\right\\|", true);
	assert_near(glyph(b, "a", 0)->x, 1.2 + 1.2);
	assert_false(has_glyph(b, "|"));
	assert_false(has_glyph(b, "‖"));
	assert_int_equal(b->nrules, 1 + 1 + 1 + 2 + 2); /* bar, |, bar, ‖, ‖ */
	assert_string_equal(b->text, "a/b|ₓ₌₀ ‖a/b‖");
	math_box_free(b);

	/* the content of small ones keeps its glyphs */
	b = lay("\\left[ x \\right]", true);
	assert_true(has_glyph(b, "["));
	assert_true(has_glyph(b, "]"));
	assert_int_equal(b->nrules, 0);
	math_box_free(b);
}

/* ------------------------------------------------------------ aligned */

static void
test_aligned_columns(void **state)
{
	(void)state;
	struct math_box *b = lay("\\begin{aligned}\n a &= b \\\\\n xyz &= c + d \\\\\n"
	    " &\\geq e\n\\end{aligned}", true);
	const struct math_glyphs *e1 = glyph(b, "=", 0), *e2 = glyph(b, "=", 1);
	const struct math_glyphs *ge = glyph(b, "≥", 0);

	/* the relations line up: the left column right-aligned at 15, then
	 * amsmath's {} and a thick space */
	assert_near(e1->x, 15 + 5 * MU);
	assert_near(e2->x, e1->x);
	assert_near(ge->x, e1->x);
	assert_near(glyph(b, "a", 0)->x, 10);
	assert_near(glyph(b, "xyz", 0)->x, 0);
	/* rows 1.9 em apart (the handout's \baselineskip 1.6 em + \jot),
	 * the block on the axis */
	assert_near(e1->y - e2->y, 19);
	assert_near(e2->y - ge->y, 19);
	assert_near((b->height - b->depth) / 2, AXIS * EM);
	assert_near(e1->y, 19 + AXIS * EM - 2.5); /* top 7.5, bottom -40.5 */
	assert_int_equal(b->nbreaks, 0);
	assert_string_equal(b->text, "a = b\nxyz = c + d\n≥ e");
	math_box_free(b);

	/* two column pairs, 1 em apart; a trailing \\ adds no row */
	b = lay("\\begin{aligned} a &= b & c &= d \\\\ \\end{aligned}", true);
	assert_near(glyph(b, "c", 0)->x, 5 + 5 * MU + 5 + 5 * MU + 5 + 10);
	assert_near(b->height + b->depth, 10);
	math_box_free(b);

	/* tall rows: depth + height + \lineskip when they would come closer */
	b = lay("\\begin{aligned} a &= \\frac{1}{2} \\\\ &= \\frac{3}{4} \\end{aligned}", true);
	const struct math_glyphs *two = glyph(b, "2", 0), *three = glyph(b, "3", 0);
	double dist = glyph(b, "=", 0)->y - glyph(b, "=", 1)->y;
	assert_near(dist, (glyph(b, "=", 0)->y - (two->y - 2.5)) +
	    ((three->y + 7.5) - glyph(b, "=", 1)->y) + 4);
	math_box_free(b);
}

/* ------------------------------------------------------------ row numbers */

static void
test_row_numbers(void **state)
{
	(void)state;
	struct math_box *b = lay("\\begin{aligned}\n a &= b \\label{eq:a} \\\\\n"
	    " &= c \\notag \\\\\n \\label{ eq:b } &= d\n\\end{aligned}", true);

	/* every row listed, top to bottom, each on its own baseline: rows
	 * 1.9 em apart, the block centred on the axis (top 7.5, bottom -40.5) */
	assert_int_equal(b->nrows, 3);
	assert_string_equal(b->rows[0].label, "eq:a");
	assert_null(b->rows[1].label);
	assert_string_equal(b->rows[2].label, "eq:b"); /* anywhere in the row, trimmed */
	assert_near(b->rows[0].y, AXIS * EM + 16.5);
	assert_near(b->rows[1].y, AXIS * EM - 2.5);
	assert_near(b->rows[2].y, AXIS * EM - 21.5);
	for (int r = 0; r < 3; r++)
		assert_near(glyph(b, "=", r)->y, b->rows[r].y);
	/* the marks take no room: the relations still line up */
	assert_near(glyph(b, "=", 0)->x, glyph(b, "=", 2)->x);
	assert_string_equal(b->text, "a = b\n= c\n= d");
	math_box_free(b);

	/* the rows follow tall ones, as the glyphs do */
	b = lay("\\begin{aligned} a &= \\frac{1}{2} \\label{eq:x} \\\\ &= b \\label{eq:y}"
	    "\\end{aligned}", true);
	assert_int_equal(b->nrows, 2);
	assert_near(glyph(b, "=", 0)->y, b->rows[0].y);
	assert_near(glyph(b, "=", 1)->y, b->rows[1].y);
	assert_true(b->rows[0].y - b->rows[1].y > 15);
	math_box_free(b);

	/* a trailing \\ with only a label keeps its (empty) row */
	b = lay("\\begin{aligned} a &= b \\\\ \\label{eq:z} \\end{aligned}", true);
	assert_int_equal(b->nrows, 2);
	assert_null(b->rows[0].label);
	assert_string_equal(b->rows[1].label, "eq:z");
	math_box_free(b);

	/* no labels: not numbered per row; nor one-line displays */
	b = lay("\\begin{aligned} a &= b \\\\ &= c \\end{aligned}", true);
	assert_int_equal(b->nrows, 0);
	assert_null(b->rows);
	math_box_free(b);
	b = lay("a = b", true);
	assert_int_equal(b->nrows, 0);
	math_box_free(b);

	/* scaled displays scale their rows */
	struct doc_loc loc = {"t.md", 1, 1};
	b = math_layout("\\begin{aligned} a &= b \\label{eq:a} \\\\ &= c \\label{eq:b}"
	    "\\end{aligned}", loc, true, 2 * SIZE, &fake);
	assert_near(b->rows[0].y - b->rows[1].y, 38); /* 1.9 em at 20 pt */
	math_box_free(b);
}

/* ------------------------------------------------------------ breaks */

static void
test_breaks_and_text(void **state)
{
	(void)state;
	struct math_box *b = lay("a + b = -c", false);

	/* after '+' and '=' (their right edges), not after the unary minus */
	assert_int_equal(b->nbreaks, 2);
	assert_near(b->breaks[0], 10 + 4 * MU);
	assert_near(b->breaks[1], 20 + 13 * MU);
	math_box_free(b);

	/* none inside groups or fractions, none after the last atom */
	b = lay("{a+b}\\frac{c=d}{e} =", false);
	assert_int_equal(b->nbreaks, 0);
	math_box_free(b);

	b = lay("\\mathrm{KL}\\left(N(\\mu,\\sigma^{2})\\,\\|\\,N(0,1)\\right) = "
	    "\\frac{1}{2}\\left(\\sigma^{2} + \\mu^{2} - 1 - \\log\\sigma^{2}\\right)", true);
	assert_string_equal(b->text, "KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − log σ²)");
	math_box_free(b);

	b = lay("\\mathbb{E}_{x\\sim p_{\\mathrm{data}}}[\\log D(x)] + D^{*}(x)", false);
	assert_string_equal(b->text, "𝔼_(x∼p_data)[log D(x)] + D*(x)");
	math_box_free(b);
}

/* ------------------------------------------------------------ metrics */

static void
ink_fake(void *ctx, enum math_font font, double size, const char *utf8, double *top,
    double *bottom)
{
	(void)ctx;
	(void)font;
	if (strcmp(utf8, "−") == 0) {
		*top = 0.35 * size;
		*bottom = 0.25 * size;
	} else {
		*top = 0.5 * size;
		*bottom = 0;
	}
}

static double
italic_fake(void *ctx, enum math_font font, double size, const char *utf8)
{
	(void)ctx;
	return font == MATH_ITALIC && strcmp(utf8, "f") == 0 ? 0.1 * size : 0;
}

static void
test_ink_and_italic_metrics(void **state)
{
	(void)state;
	struct math_metrics m = fake;

	m.ink = ink_fake;
	m.italic = italic_fake;
	/* the axis is the middle of the font's minus: 0.3 em */
	struct math_box *b = lay_with("\\frac{a}{b}", true, &m);
	assert_near(b->rules[0].y + b->rules[0].h / 2, 3);
	assert_near(b->height, 0.676508 * EM + 5);
	math_box_free(b);
	/* rule 13a with shallow limits (ink: 0.5 em tall, no depth): xi11 - d
	 * above and xi12 - h below win over xi9 and xi10 */
	b = lay_with("\\max^{n}_{y} V", true, &m);
	assert_near(glyph(b, "n", 0)->y, 5 + 0.2 * EM);
	assert_near(glyph(b, "y", 0)->y, -(0.6 * EM - 3.5) - 3.5);
	math_box_free(b);
	/* italic correction: after f, and before its superscript */
	b = lay_with("f(x) + f^2", false, &m);
	assert_near(glyph(b, "(", 0)->x, 6);
	assert_near(glyph(b, "2", 0)->x, glyph(b, "f", 1)->x + 6);
	math_box_free(b);
}

/* TeX's italic corrections: after every math-italic letter and before its
 * superscript (not its subscript); none in mid-word of an upright text
 * font; a large operator's belongs to its width except beside a subscript,
 * and skews its limits. */
static double
italic_more(void *ctx, enum math_font font, double size, const char *utf8)
{
	(void)ctx;
	if (strcmp(utf8, "f") == 0 && (font == MATH_ITALIC || font == MATH_ROMAN))
		return 0.1 * size;
	if (strcmp(utf8, "∫") == 0 || strcmp(utf8, "∑") == 0)
		return 0.1 * size;
	return 0;
}

static void
test_italic_corrections(void **state)
{
	(void)state;
	struct math_metrics m = fake;
	m.italic = italic_more;
	struct math_box *b;

	/* math italic: always, also before an upright neighbour; the
	 * superscript after it, the subscript tucked in */
	b = lay_with("f(x) + f^2 + f_2 + f_2^3 + ff", false, &m);
	assert_near(glyph(b, "(", 0)->x, 6);
	double f1 = glyph(b, "f", 1)->x, f2 = glyph(b, "f", 2)->x, f3 = glyph(b, "f", 3)->x;
	assert_near(glyph(b, "2", 0)->x, f1 + 6);
	assert_near(glyph(b, "2", 1)->x, f2 + 5);
	assert_near(glyph(b, "2", 2)->x, f3 + 5);
	assert_near(glyph(b, "3", 0)->x, f3 + 6);
	assert_near(glyph(b, "f", 5)->x, glyph(b, "f", 4)->x + 6);
	math_box_free(b);

	/* upright text font: none in mid-word, after the word's last letter */
	b = lay_with("\\mathrm{ff}", false, &m);
	assert_near(glyph(b, "f", 1)->x, 5);
	assert_near(b->width, 11);
	math_box_free(b);
	b = lay_with("\\mathrm{f}(x)", false, &m);
	assert_near(glyph(b, "(", 0)->x, 6);
	math_box_free(b);

	/* an integral (text style): the correction is part of its width; a
	 * subscript tucks in under it, a superscript stays outside */
	b = lay_with("\\int x", false, &m);
	assert_near(glyph(b, "x", 0)->x, 6 + 3 * MU);
	math_box_free(b);
	b = lay_with("\\int_0^1 x", false, &m);
	assert_near(glyph(b, "0", 0)->x, 5);
	assert_near(glyph(b, "1", 0)->x, 6);
	math_box_free(b);
	b = lay_with("\\int^1 x", false, &m);
	assert_near(glyph(b, "1", 0)->x, 6);
	math_box_free(b);

	/* limits: skewed by half the correction each way (display ∑ at 14 pt,
	 * 7 wide plus 1.4) */
	b = lay_with("\\sum_i^n", true, &m);
	assert_near(glyph(b, "∑", 0)->x, 0);
	assert_near(glyph(b, "n", 0)->x, (8.4 - 3.5) / 2 + 0.7);
	assert_near(glyph(b, "i", 0)->x, (8.4 - 3.5) / 2 - 0.7);
	assert_near(b->width, 8.4);
	math_box_free(b);
}

/* Bars as TeX has them: | ordinary, \mid a relation, \| an ordinary ‖,
 * \lvert/\rvert opening and closing, \left| … \right| grown. */
static void
test_vertical_bars(void **state)
{
	(void)state;
	struct math_box *b;

	b = lay("q(z|x)", false);
	assert_near(glyph(b, "|", 0)->x, 15);
	assert_int_equal(glyph(b, "|", 0)->font, MATH_ROMAN);
	assert_near(glyph(b, "x", 0)->x, 20);
	assert_string_equal(b->text, "q(z|x)");
	math_box_free(b);

	b = lay("a\\mid b", false);
	assert_near(glyph(b, "∣", 0)->x, 5 + 5 * MU);
	assert_near(glyph(b, "b", 0)->x, 10 + 10 * MU);
	assert_string_equal(b->text, "a ∣ b");
	math_box_free(b);

	/* in a set: ord, open, rel; in a script: no thick spaces */
	b = lay("\\{x \\mid x > 0\\} + y_{a\\mid b}", false);
	assert_near(glyph(b, "∣", 0)->x, 10 + 5 * MU);
	assert_near(glyph(b, "∣", 1)->x - glyph(b, "a", 0)->x, 3.5);
	math_box_free(b);

	b = lay("a\\|b \\Vert c", false);
	assert_near(glyph(b, "‖", 0)->x, 5);
	assert_near(glyph(b, "b", 0)->x, 10);
	assert_near(glyph(b, "‖", 1)->x, 15);
	math_box_free(b);

	/* ord after an operator gets a thin space, an opening none */
	b = lay("\\log|x| + 1", false);
	assert_near(glyph(b, "|", 0)->x, 15 + 3 * MU);
	assert_near(glyph(b, "|", 1)->x, 25 + 3 * MU);
	assert_near(glyph(b, "+", 0)->x, 30 + 7 * MU);
	math_box_free(b);
	b = lay("\\log\\lvert x\\rvert + 1", false);
	assert_near(glyph(b, "|", 0)->x, 15);
	assert_near(glyph(b, "+", 0)->x, 30 + 4 * MU);
	math_box_free(b);

	/* \left| … \right| around a fraction: two grown bars (rules), an
	 * inner atom (a thin space after the ord a) */
	b = lay("a\\left| \\frac{x}{y} \\right|", true);
	assert_int_equal(b->nrules, 3);
	assert_near(b->rules[0].h, b->rules[2].h);
	assert_true(b->rules[0].h > 10);
	assert_near(b->rules[0].x, 5 + 3 * MU + (5 - 0.06 * EM) / 2);
	assert_string_equal(b->text, "a |x/y|");
	math_box_free(b);
	b = lay("\\left\\| \\frac{x}{y} \\right\\|", true);
	assert_int_equal(b->nrules, 5); /* two strokes each, and the fraction bar */
	math_box_free(b);
}

/* ------------------------------------------------------------ placeholders */

/* The values of the test's placeholders, as printf would write them: the
 * format is ignored, the name picks the text; "nope" is unknown. */
static const struct {
	const char *name, *raw;
} fake_values[] = {
	{"pos", "0.5"}, {"neg", "-0.3"}, {"plus", "+0.25"}, {"small", "2.50e-05"},
	{"big", "1E+05"}, {"padded", "   0.800"}, {"text", "scott"}, {"n", "1000"},
};

static bool
fake_value(void *ctx, const char *name, const char *format, struct doc_loc loc, char *out,
    size_t size)
{
	(void)format;
	*(int *)ctx += 1;
	for (size_t i = 0; i < sizeof fake_values / sizeof *fake_values; i++) {
		if (strcmp(fake_values[i].name, name) == 0) {
			snprintf(out, size, "%s", fake_values[i].raw);
			return true;
		}
	}
	diag_emit(DIAG_LAY_UNKNOWN_NAME, loc.file, loc.line, loc.col, name, "");
	return false;
}

/* The dump of src laid out with the fake values (inline), or the error
 * messages prefixed by "error: " (caller frees). */
static char *
dump_values(const char *src, struct doc_loc loc, int *calls)
{
	struct math_values values = {calls, fake_value};
	char *buf = NULL;
	size_t len = 0;

	capture();
	struct math_box *b = math_layout_values(src, loc, NULL, false, SIZE, &fake, &values);
	char *msgs = captured();
	if (b == NULL) {
		char *r = malloc(strlen(msgs) + 8);
		assert_non_null(r);
		sprintf(r, "error: %s", msgs);
		free(msgs);
		return r;
	}
	assert_string_equal(msgs, "");
	free(msgs);
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	math_box_dump(b, f);
	fclose(f);
	math_box_free(b);
	return buf;
}

/* A placeholder is set exactly as its value typed in its place would be:
 * same glyphs, fonts, positions, spacing (unary and binary minus), breaks
 * and extracted text. */
static void
test_placeholder_values(void **state)
{
	(void)state;
	static const struct {
		const char *with, *typed;
	} cases[] = {
		{"x = {{neg}}", "x = -0.3"},                 /* unary: after a relation */
		{"1 {{neg}}", "1 -0.3"},                     /* binary: after an ordinary */
		{"N({{neg}}, {{pos}}^2)", "N(-0.3, 0.5^2)"}, /* after ( and , */
		{"e^{{neg}} + e^{ {{neg}} }", "e^{-0.3} + e^{ -0.3 }"}, /* a script argument */
		{"\\frac{{pos}}{2}", "\\frac{0.5}{2}"},
		{"a = {{small|%.2e}}", "a = 2.50\\times 10^{-5}"},
		{"a = {{big}}", "a = 1\\times 10^{5}"},      /* '+' and leading zeros dropped */
		{"{{plus}} = {{padded|%8.3f}}", "+0.25 = 0.800"},
		{"2^{{n}}", "2^{1000}"},
		{"\\{{{pos}}\\}", "\\{0.5\\}"},          /* \{ is the brace, then "{{" */
		{"\\frac{{{pos}}}{{{neg}}} + x^{{{n}}}", "\\frac{0.5}{-0.3} + x^{1000}"}, /* "{{{" */
		{"\\mathrm{KL} = \\frac{1}{2}\\left(\\sigma^2 + {{neg}}^2\\right) - {{pos|%.4f}}",
		    "\\mathrm{KL} = \\frac{1}{2}\\left(\\sigma^2 + (-0.3)^2\\right) - 0.5"},
		/* a signed value after a binary operator is parenthesised; a
		 * leading one, or one after a relation or an opening, is not */
		{"(\\mu_q - {{neg}})^2", "(\\mu_q - (-0.3))^2"},
		{"a \\cdot {{neg}} + {{pos}}", "a \\cdot (-0.3) + 0.5"},
		{"a - {{plus}}", "a - (+0.25)"},
		{"{{neg}} - {{small}} \\times {{neg}}", "-0.3 - 2.50\\times 10^{-5} \\times (-0.3)"},
		{"a \\times {{neg}}^2", "a \\times (-0.3)^2"},
		{"\\left({{neg}} + x\\right)", "\\left(-0.3 + x\\right)"},
		/* … and as the base of a power, wherever it stands */
		{"{{neg}}^2 = N({{neg}} ^{2}, {{pos}}^2)", "(-0.3)^2 = N((-0.3) ^{2}, 0.5^2)"},
		{"x = {{neg}}_1", "x = -0.3_1"},
	};
	struct doc_loc loc = {"t.md", 1, 1};
	int calls = 0;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = dump_values(cases[i].with, loc, &calls);
		char *want = dump_values(cases[i].typed, loc, &calls);
		if (strcmp(got, want) != 0) {
			print_error("%s\n got:\n%s\n want (%s):\n%s", cases[i].with, got,
			    cases[i].typed, want);
			fail();
		}
		free(got);
		free(want);
	}
	assert_int_equal(calls, 31);

	/* the minus is the math minus in the text too */
	struct math_values values = {&calls, fake_value};
	struct math_box *b = math_layout_values("x = {{neg}} + {{small}}", loc, NULL, false, SIZE, &fake,
	    &values);
	assert_non_null(b);
	assert_string_equal(b->text, "x = −0.3 + 2.50 × 10⁻⁵");
	/* unary: no space between − and 0.3; binary + spaced by 4 mu each side */
	assert_near(glyph(b, "0", 0)->x - glyph(b, "−", 0)->x, 5);
	assert_near(glyph(b, "+", 0)->x - glyph(b, "3", 0)->x, 5 + 4 * MU);
	math_box_free(b);

	/* inside \text{…} a value is text, as in the running text */
	b = math_layout_values("\\text{均值 {{neg}}，{{small}}，{{text}}；{{{pos}}}}", loc, NULL,
	    false, SIZE, &fake, &values);
	assert_non_null(b);
	assert_string_equal(b->text, "均值 −0.3，2.50×10⁻⁵，scott；0.5");
	math_box_free(b);
}

/* Errors at the placeholder's template column, and the columns of the
 * formula's other errors unmoved by the values set in it. */
static void
test_placeholder_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		int line, col;
		const char *want;
	} cases[] = {
		{"a + {{nope}}", 3, 5,
		    "error: t.md:3:9: error: unknown placeholder '{{nope}}': no config key or "
		    "computed result has that name\n"},
		{"a + {{nope|%.4f}}", 3, 5,
		    "error: t.md:3:9: error: unknown placeholder '{{nope}}': no config key or "
		    "computed result has that name\n"},
		/* a value longer than its placeholder, then an error after it */
		{"{{small|%.2e}} + \\foo", 2, 10, "error: t.md:2:27: error: unknown command '\\foo'\n"},
		{"{{neg}}{{pos}} + x^a^b", 1, 1,
		    "error: t.md:1:21: error: double superscript (put both parts in one group, "
		    "x^{ab}, or nest them, {x^a}^b)\n"},
		/* characters, not bytes; later lines of a display at column 1 */
		{"\\text{其中} {{nope}}", 4, 2,
		    "error: t.md:4:12: error: unknown placeholder '{{nope}}': no config key or "
		    "computed result has that name\n"},
		{"\\begin{aligned}\n a &= {{pos}} \\\\\n &= {{nope}}\n\\end{aligned}", 10, 1,
		    "error: t.md:12:5: error: unknown placeholder '{{nope}}': no config key or "
		    "computed result has that name\n"},
		{"x = {{text}}", 1, 1,
		    "error: t.md:1:5: error: placeholder '{{text}}' inside math needs a number, but "
		    "its value is 'scott'\n"},
		{"x = {{pos", 1, 1, "error: t.md:1:5: error: unclosed placeholder (missing '}}')\n"},
		{"x = {{pos}\n}", 1, 1, "error: t.md:1:5: error: unclosed placeholder (missing '}}')\n"},
		/* unknown commands and names are stepped over: every one is
		 * reported, then the first error of another kind, and no more */
		{"N({{nope}}, {{nope}}^2) + \\alph + \\fraq{a}{b}_{\\gama} \\right) \\foo", 1, 1,
		    "error: t.md:1:3: error: unknown placeholder '{{nope}}': no config key or "
		    "computed result has that name\n"
		    "t.md:1:13: error: unknown placeholder '{{nope}}': no config key or computed "
		    "result has that name\n"
		    "t.md:1:27: error: unknown command '\\alph'; did you mean '\\alpha'?\n"
		    "t.md:1:35: error: unknown command '\\fraq'; did you mean '\\frac'?\n"
		    "t.md:1:48: error: unknown command '\\gama'; did you mean '\\gamma'?\n"
		    "t.md:1:55: error: '\\right' has no matching '\\left'\n"},
		{"a{b + \\foo", 1, 1,
		    "error: t.md:1:7: error: unknown command '\\foo'\n"
		    "t.md:1:2: error: unbalanced braces: '{' is never closed (missing '}')\n"},
	};
	int calls = 0;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct doc_loc loc = {"t.md", cases[i].line, cases[i].col};
		char *got = dump_values(cases[i].src, loc, &calls);
		if (strcmp(got, cases[i].want) != 0) {
			print_error("source: %s\n got: %s want: %s", cases[i].src, got, cases[i].want);
			fail();
		}
		free(got);
	}
	/* a table cell's "q(z\\|x) + \\foo" read as "q(z|x) + \\foo": its columns
	 * come with it (the cell's '$' at column 8) */
	static const int cols[] = {9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
	capture();
	struct doc_loc cell = {"t.md", 14, 9};
	assert_null(math_layout_values("q(z|x) + \\foo", cell, cols, false, SIZE, &fake, NULL));
	char *cmsg = captured();
	assert_string_equal(cmsg, "t.md:14:19: error: unknown command '\\foo'\n");
	free(cmsg);

	/* without values (math_layout), a placeholder is an error */
	struct doc_loc loc = {"t.md", 1, 1};
	capture();
	assert_null(math_layout("x = {{pos}}", loc, false, SIZE, &fake));
	char *msgs = captured();
	assert_string_equal(msgs, "t.md:1:5: error: placeholder '{{pos}}' has no value here\n");
	free(msgs);
}

/* ------------------------------------------------------------ errors */

static void
test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		int line, col;
		const char *want;
	} cases[] = {
		{"\\fracc{1}{2}", 41, 17,
		    "t.md:41:17: error: unknown command '\\fracc'; did you mean '\\frac'?\n"},
		{"a + \\alph", 3, 5,
		    "t.md:3:9: error: unknown command '\\alph'; did you mean '\\alpha'?\n"},
		{"\\foo", 1, 1, "t.md:1:1: error: unknown command '\\foo'\n"},
		{"a{b", 1, 1,
		    "t.md:1:2: error: unbalanced braces: '{' is never closed (missing '}')\n"},
		{"a}b", 1, 1, "t.md:1:2: error: unbalanced braces: '}' closes no group\n"},
		{"x \\right)", 1, 1, "t.md:1:3: error: '\\right' has no matching '\\left'\n"},
		{"\\left[ x", 1, 1, "t.md:1:1: error: '\\left[' has no matching '\\right'\n"},
		{"{\\left( x}", 1, 1, "t.md:1:2: error: '\\left(' has no matching '\\right'\n"},
		{"\\frac{a}", 1, 1,
		    "t.md:1:1: error: '\\frac' is missing its second argument (the denominator)\n"},
		{"x^", 1, 1, "t.md:1:2: error: '^' is missing its argument\n"},
		{"\\sqrt{}_", 1, 1, "t.md:1:8: error: '_' is missing its argument\n"},
		{"a & b", 1, 1,
		    "t.md:1:3: error: '&' is only allowed at the top level of "
		    "\\begin{aligned} ... \\end{aligned}\n"},
		{"a \\\\ b", 1, 1,
		    "t.md:1:3: error: '\\\\' is only allowed at the top level of "
		    "\\begin{aligned} ... \\end{aligned}\n"},
		{"\\begin{aligned} {a & b} \\end{aligned}", 1, 1,
		    "t.md:1:20: error: '&' is only allowed at the top level of "
		    "\\begin{aligned} ... \\end{aligned}\n"},
		{"\\begin{align} a \\end{align}", 1, 1,
		    "t.md:1:1: error: unknown environment 'align' (math supports only aligned); "
		    "did you mean 'aligned'?\n"},
		{"\\begin{aligned} a \\end{array}", 1, 1,
		    "t.md:1:19: error: '\\end{array}' does not close '\\begin{aligned}'\n"},
		{"\\begin{aligned} a &= b", 1, 1,
		    "t.md:1:1: error: '\\begin{aligned}' is never closed (missing '\\end{aligned}')\n"},
		{"a \\end{aligned}", 1, 1,
		    "t.md:1:3: error: '\\end' without a matching '\\begin'\n"},
		{"\\left\\alpha x \\right)", 1, 1,
		    "t.md:1:6: error: '\\alpha' is not a delimiter for '\\left' (use ( ) [ ] \\{ \\} "
		    "| \\| \\langle \\rangle or .)\n"},
		{"x^a^b", 1, 1,
		    "t.md:1:4: error: double superscript (put both parts in one group, x^{ab}, "
		    "or nest them, {x^a}^b)\n"},
		/* columns count characters, not bytes */
		{"\\text{其中} \\sqrtt{x}", 7, 10,
		    "t.md:7:20: error: unknown command '\\sqrtt'; did you mean '\\sqrt'?\n"},
		/* a display spanning lines: later lines start at column 1 */
		{"\\begin{aligned}\n  a &= b \\\\\n  &= \\fracc{1}{2}\n\\end{aligned}", 28, 1,
		    "t.md:30:6: error: unknown command '\\fracc'; did you mean '\\frac'?\n"},
		{"\\begin{aligned}\n  a &= \\left( b\n\\end{aligned}", 52, 4,
		    "t.md:53:8: error: '\\left(' has no matching '\\right'\n"},
		{"a\n\n  \\right]", 5, 9, "t.md:7:3: error: '\\right' has no matching '\\left'\n"},
		/* per-row numbers: \label and \notag at a row's top level only */
		{"a = b \\label{eq:a}", 4, 4,
		    "t.md:4:10: error: '\\label' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned}, where it numbers the row; number a whole "
		    "display with {#eq:NAME} after its closing '$$'\n"},
		{"\\begin{aligned} a &= {b \\label{eq:a}} \\end{aligned}", 1, 1,
		    "t.md:1:25: error: '\\label' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned}, where it numbers the row; number a whole "
		    "display with {#eq:NAME} after its closing '$$'\n"},
		{"\\begin{aligned} a &= b^\\label{eq:a} \\end{aligned}", 1, 1,
		    "t.md:1:24: error: '\\label' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned}, where it numbers the row; number a whole "
		    "display with {#eq:NAME} after its closing '$$'\n"},
		{"\\left( \\begin{aligned} a &= b \\label{eq:a} \\end{aligned} \\right)", 1, 1,
		    "t.md:1:31: error: '\\label' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned}, where it numbers the row; number a whole "
		    "display with {#eq:NAME} after its closing '$$'\n"},
		{"a = b \\notag", 1, 1,
		    "t.md:1:7: error: '\\notag' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned} whose other rows carry \\label{eq:NAME}\n"},
		{"\\begin{aligned}\n a &= b \\\\\n &= c \\nonumber\n\\end{aligned}", 10, 1,
		    "t.md:12:7: error: '\\notag' in a display that is not numbered per row (no row "
		    "of its aligned block has a \\label{eq:NAME}; rows without a label get no number "
		    "anyway)\n"},
		{"\\begin{aligned} a &= b \\label{eq:a} \\label{eq:b} \\end{aligned}", 1, 1,
		    "t.md:1:37: error: this row already has '\\label{eq:a}' (one label per row)\n"},
		{"\\begin{aligned} a &= b \\notag \\label{eq:a} \\end{aligned}", 1, 1,
		    "t.md:1:31: error: a \\notag'd row cannot have a \\label\n"},
		{"\\begin{aligned} a &= b \\label{eq:a} \\notag \\end{aligned}", 1, 1,
		    "t.md:1:37: error: a row with a \\label cannot be \\notag'd\n"},
		{"\\begin{aligned} a \\label eq:a \\end{aligned}", 1, 1,
		    "t.md:1:19: error: '\\label' is missing its argument (the label, {eq:NAME})\n"},
		{"\\begin{aligned} a \\label{ } \\end{aligned}", 1, 1,
		    "t.md:1:19: error: '\\label' is missing its argument (the label, {eq:NAME})\n"},
		{"\\begin{aligned} a \\label{eq:a \\end{aligned}", 1, 1,
		    "t.md:1:25: error: unbalanced braces: '{' is never closed (missing '}')\n"},
		{"\\begin{aligned} a \\label{eq:a} \\end{aligned} \\quad "
		    "\\begin{aligned} b \\label{eq:b} \\end{aligned}", 1, 1,
		    "t.md:1:70: error: only one aligned block of a display can number its rows (this "
		    "display has an earlier one)\n"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = error_of(cases[i].src, cases[i].line, cases[i].col);
		if (strcmp(got, cases[i].want) != 0) {
			print_error("source: %s\n got: %s want: %s", cases[i].src, got, cases[i].want);
			free(got);
			fail();
		}
		free(got);
	}
	/* exit status: bad input */
	capture();
	struct doc_loc loc = {"t.md", 1, 1};
	assert_null(math_layout("\\frac", loc, false, SIZE, &fake));
	free(captured());
	/* inline math numbers no rows */
	capture();
	assert_null(math_layout("\\begin{aligned} a \\label{eq:a} \\end{aligned}", loc, false,
	    SIZE, &fake));
	char *msg = captured();
	assert_non_null(strstr(msg, "t.md:1:19: error: '\\label' stands at the top level"));
	free(msg);
	math_box_free(NULL);
}

/* ------------------------------------------------------------ templates */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static int
col_of(const char *line, size_t off)
{
	int col = 1;

	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			col++;
	return col;
}

struct found {
	int formulas, displays, failures;
};

/* Any placeholder of the templates: a negative number (the layout tests
 * resolve the real names). */
static bool
any_value(void *ctx, const char *name, const char *format, struct doc_loc loc, char *out,
    size_t size)
{
	(void)ctx;
	(void)name;
	(void)format;
	(void)loc;
	snprintf(out, size, "-0.25");
	return true;
}

static void
try_formula(struct found *F, const char *path, int line, int col, const char *src, size_t len,
    bool display)
{
	char *s = strndup(src, len);
	struct doc_loc loc = {path, line, col};

	struct math_values values = {NULL, any_value};

	capture();
	struct math_box *b = math_layout_values(s, loc, NULL, display, SIZE, &fake, &values);
	char *msgs = captured();
	if (b == NULL || msgs[0] != '\0') {
		print_error("%s:%d:%d: %s\n%s", path, line, col, s, msgs);
		F->failures++;
	}
	F->formulas++;
	F->displays += display;
	math_box_free(b);
	free(msgs);
	free(s);
}

/* Every $…$ and $$…$$ of one template: displays on lines of their own
 * (one line, or "$$" alone up to a line starting with "$$"); inline math
 * elsewhere, past escapes (\$) and code spans. */
static void
scan_template(struct found *F, const char *path)
{
	char *text = slurp(path);
	assert_non_null(text);
	size_t nlines = 0;
	char **lines = NULL;

	for (char *p = text; p; ) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		size_t l = strlen(p);
		if (l && p[l - 1] == '\r')
			p[l - 1] = '\0';
		lines = realloc(lines, (nlines + 1) * sizeof *lines);
		assert_non_null(lines);
		lines[nlines++] = p;
		p = nl ? nl + 1 : NULL;
	}
	for (size_t i = 0; i < nlines; i++) {
		char *l = lines[i];
		if (l[0] == '%')
			continue;
		size_t t = strspn(l, " ");
		if (strncmp(l + t, "$$", 2) == 0) {
			char *close = strstr(l + t + 2, "$$");
			if (close) {
				size_t a = t + 2;
				while (l[a] == ' ')
					a++;
				size_t z = (size_t)(close - l);
				while (z > a && l[z - 1] == ' ')
					z--;
				try_formula(F, path, (int)i + 1, col_of(l, a), l + a, z - a, true);
				continue;
			}
			size_t j = i + 1, len = 0;
			char *src = calloc(1, 1);
			for (; j < nlines && strncmp(lines[j] + strspn(lines[j], " "), "$$", 2) != 0; j++) {
				size_t n = strlen(lines[j]);
				src = realloc(src, len + n + 2);
				if (j > i + 1)
					src[len++] = '\n';
				memcpy(src + len, lines[j], n + 1);
				len += n;
			}
			try_formula(F, path, (int)i + 2, 1, src, len, true);
			free(src);
			i = j;
			continue;
		}
		for (size_t k = 0; l[k]; k++) {
			if (l[k] == '\\' && l[k + 1]) {
				k++;
			} else if (l[k] == '`') {
				char *e = strchr(l + k + 1, '`');
				if (e == NULL)
					break;
				k = (size_t)(e - l);
			} else if (l[k] == '$') {
				size_t e = k + 1;
				while (l[e] && l[e] != '$')
					e += l[e] == '\\' && l[e + 1] ? 2 : 1;
				if (l[e] != '$')
					break;
				try_formula(F, path, (int)i + 1, col_of(l, k + 1), l + k + 1, e - k - 1, false);
				k = e;
			}
		}
	}
	free(lines);
	free(text);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_every_template_formula(void **state)
{
	(void)state;
	DIR *d = opendir("templates");
	assert_non_null(d);
	char *names[64];
	size_t n = 0;
	struct dirent *e;

	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l > 3 && strcmp(e->d_name + l - 3, ".md") == 0 && e->d_name[0] != '.' &&
		    strcmp(e->d_name, "README.md") != 0 && n < 64)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	struct found F = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof path, "templates/%s", names[i]);
		scan_template(&F, path);
		free(names[i]);
	}
	assert_int_equal(F.failures, 0);
	/* the handout's derivations are all there */
	assert_true(F.formulas >= 20);
	assert_true(F.displays >= 15);
}

/* ------------------------------------------------------------ goldens */

static const struct {
	const char *name;
	const char *src;
	bool display;
	bool forms; /* with the designed display forms of test_display_forms */
} goldens[] = { /* a source with placeholders ({{neg}}) takes fake_values */
	{"01-scripts", "q_\\phi(z|x) + \\sigma^2_\\phi(x) + x_i^2 + e^{-x^2} + f'(x) + f''_k + x^{y^{z}}",
	    false, false},
	{"02-frac-display", "\\frac{a+b}{c} = \\frac{1}{2}\\cdot\\frac{\\partial f}{\\partial x}", true, false},
	{"03-frac-text", "\\frac{p(x,z)}{q(z|x)} + \\dfrac{1}{2} + \\tfrac{1}{2}", false, false},
	{"04-sqrt", "\\sqrt{x^2+1} + \\sqrt[3]{\\frac{a}{b}} + \\sqrt{\\sigma}", true, false},
	{"05-sum-display", "\\sum_{i=1}^{n} x_i = \\prod_{k} y_k", true, false},
	{"06-sum-text", "\\sum_{i=1}^{n} x_i = \\prod_{k} y_k", false, false},
	{"07-integral", "\\int_0^1 f(x)\\,dx = \\int_{-\\infty}^{\\infty} p(x)\\,dx", true, false},
	{"08-minmax", "\\min_G \\max_D V(D,G) = \\arg\\max_\\theta \\log \\exp(x) + "
	    "\\max\\limits_i a_i", true, false},
	{"09-delimiters", "\\left( \\frac{a}{b} \\right) \\left[ x \\right] \\left\\| \\frac{a}{b} "
	    "\\right\\| \\left. \\frac{\\partial f}{\\partial x} \\right|_{x=0} \\{ a \\} "
	    "\\left\\{ \\frac{1}{2} \\right\\} \\left( x^2 \\right)", true, false},
	{"10-accents", "\\hat{x} + \\tilde{\\theta} + \\bar{z} + \\hat{b} + \\overline{AB} + "
	    "\\hat{\\mathrm{E}}", true, false},
	{"11-fonts-text", "\\mathrm{KL} + \\mathbf{x} + \\mathbb{E}_{q} + \\mathbb{R}^n + "
	    "\\text{其中 } x \\text{ and } y", false, false},
	{"12-greek", "\\alpha\\beta\\gamma\\delta\\epsilon\\varepsilon\\phi\\varphi\\theta\\vartheta"
	    "\\sigma\\mu\\lambda\\pi\\omega\\Sigma\\Delta\\Gamma\\Omega", false, false},
	{"13-relations", "a \\geq b \\leq c \\neq d \\approx e \\sim f \\propto g \\in h \\to i "
	    "\\leftarrow j \\rightarrow k \\mid l", false, false},
	{"14-symbols", "x \\odot y \\cdot z \\times w, \\partial \\nabla \\infty \\| \\ldots \\cdots",
	    false, false},
	{"15-aligned-elbo", "\\begin{aligned}\n\\log p(x) &= \\log \\int p(x,z)\\,dz \\\\\n"
	    "&= \\log \\int p(x,z) \\left[\\frac{q(z|x)}{q(z|x)}\\right] dz \\\\\n"
	    "&= \\log \\mathbb{E}_{q}\\left[\\frac{p(x,z)}{q(z|x)}\\right]\n\\end{aligned}", true, false},
	{"16-aligned-columns", "\\begin{aligned} a &\\geq b + c & x &= y \\\\ a + b + c &\\leq d "
	    "& z &\\approx 1 \\end{aligned}", true, false},
	{"17-spaces", "a\\quad b\\qquad c\\,d\\;e\\!f\\ g~h\\:i", false, false},
	{"18-classes", "f(x, y); a:b, -a + (-b)! [x] |y| / 2 . < > \\{ x \\} * -", false, false},
	{"19-kl", "\\mathrm{KL}\\left(N(\\mu,\\sigma^{2})\\,\\|\\,N(0,1)\\right) = "
	    "\\frac{1}{2}\\left(\\sigma^{2} + \\mu^{2} - 1 - \\log\\sigma^{2}\\right)", true, false},
	{"20-gan-objective", "\\min_G \\max_D V(D,G) = \\mathbb{E}_{x\\sim p_{\\mathrm{data}}}"
	    "[\\log D(x)] + \\mathbb{E}_{z\\sim p_z}[\\log(1-D(G(z)))]", true, false},
	{"21-styles", "\\displaystyle\\sum_{n} \\frac{1}{n^2} \\textstyle\\sum_n "
	    "\\scriptstyle x + y", false, false},
	{"22-aligned-numbered", "\\begin{aligned}\n\\text{原始采样：}\\quad z &\\sim q_{\\varphi}(z|x) "
	    "\\label{eq:sampling} \\\\\n&= \\frac{1}{2} \\notag \\\\\n"
	    "\\text{重参数化：}\\quad z &= \\mu + \\sigma \\odot \\varepsilon \\label{eq:reparam}"
	    "\n\\end{aligned}", true, false},
	{"23-bars", "q_\\phi(z|x) + \\{x \\mid x > 0\\} + \\|x\\| + \\Vert y\\Vert + "
	    "\\left|\\frac{a}{b}\\right| + \\left\\|\\frac{a}{b}\\right\\| + \\lvert x\\rvert + "
	    "\\log|x| + p(x\\,\\|\\,y)", true, false},
	{"24-spaces-script", "x^{a\\,b\\:c\\;d\\!e\\quad f\\ g~h} + a\\,b\\:c\\;d\\!e\\quad f"
	    "\\qquad g\\ h", false, false},
	{"25-integral-forms", "\\int_0^1 f(x)\\,dx + \\int \\left[ p(x) \\right] dx", true, true},
	{"26-sum-forms", "\\sum_{i=1}^{n} x_i = \\prod_{k} y_k", true, true},
	{"27-delimiter-forms", "\\left( \\frac{a}{b} \\right) \\left[ x \\right] \\log\\left[ "
	    "\\frac{\\frac{a}{b}}{c} \\right] + \\left( \\frac{\\frac{\\frac{a}{b}}{c}}{d} \\right)", true, true},
	/* TeX's rules 15d, 19 and 13a where they bind (test_fraction_geometry,
	 * test_delimiters_grow, test_big_operator_limits) */
	{"30-frac-clearance", "\\frac{\\sigma_p}{\\sigma_q} + \\frac{a_b}{c^2} + "
	    "\\tfrac{\\sigma_p}{\\sigma_q}", true, false},
	{"31-delimiter-sizes", "\\left( x \\right) \\left( x^2 \\right) "
	    "\\left(\\sigma^{2} + \\mu^{2}\\right) \\left[ x_1 \\right]", false, false},
	{"32-limits", "\\min_G \\max_{x} \\lim_{n} V + \\max^{n}_{y} W + \\max_{x_i^2} Z",
	    true, false},
	/* signed values parenthesised after a binary operator and under a
	 * power, not after a relation or an opening */
	{"33-signed-values", "x = {{neg}} + (\\mu - {{neg}})^{2} - {{plus}} \\cdot {{neg}}^2 + "
	    "N({{neg}}, {{pos}}^2)", false, false},
};

static void
test_golden_dumps(void **state)
{
	(void)state;
	bool update = getenv("MATH_UPDATE_GOLDEN") != NULL;
	int bad = 0;

	for (size_t i = 0; i < sizeof goldens / sizeof *goldens; i++) {
		char *got = NULL;
		size_t got_len = 0;
		FILE *f = open_memstream(&got, &got_len);
		assert_non_null(f);
		fprintf(f, "source ");
		for (const char *p = goldens[i].src; *p; p++) {
			if (*p == '\n')
				fputs("\\n", f);
			else
				fputc(*p, f);
		}
		fprintf(f, "\nstyle %s%s\n", goldens[i].display ? "display" : "text",
		    goldens[i].forms ? " (display forms)" : "");
		const struct math_metrics *m = goldens[i].forms ? &with_forms : &fake;
		int calls = 0;
		struct math_values values = {&calls, fake_value};
		struct math_box *b = strstr(goldens[i].src, "{{") != NULL ?
		    math_layout_values(goldens[i].src, (struct doc_loc){"t.md", 1, 1}, NULL,
		    goldens[i].display, SIZE, m, &values) :
		    lay_with(goldens[i].src, goldens[i].display, m);
		assert_non_null(b);
		math_box_dump(b, f);
		math_box_free(b);
		fclose(f);

		char path[256];
		snprintf(path, sizeof path, "tests/math/%s.dump", goldens[i].name);
		if (update) {
			FILE *w = fopen(path, "w");
			assert_non_null(w);
			fputs(got, w);
			fclose(w);
		}
		char *want = slurp(path);
		if (want == NULL || strcmp(got, want) != 0) {
			const char *g = got, *w = want ? want : "";
			int line = 1;
			while (*g && *g == *w) {
				if (*g == '\n')
					line++;
				g++;
				w++;
			}
			print_error("%s:%d differs (rerun with MATH_UPDATE_GOLDEN=1 to re-bless, "
			    "then review with git diff)\n", path, line);
			bad++;
		}
		free(want);
		free(got);
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spacing_table),
		cmocka_unit_test(test_classes_and_fonts),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_fraction_geometry),
		cmocka_unit_test(test_radical_and_accents),
		cmocka_unit_test(test_big_operator_limits),
		cmocka_unit_test(test_display_forms),
		cmocka_unit_test(test_delimiter_forms),
		cmocka_unit_test(test_delimiters_grow),
		cmocka_unit_test(test_aligned_columns),
		cmocka_unit_test(test_row_numbers),
		cmocka_unit_test(test_breaks_and_text),
		cmocka_unit_test(test_ink_and_italic_metrics),
		cmocka_unit_test(test_italic_corrections),
		cmocka_unit_test(test_vertical_bars),
		cmocka_unit_test(test_placeholder_values),
		cmocka_unit_test(test_placeholder_errors),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_every_template_formula),
		cmocka_unit_test(test_golden_dumps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
