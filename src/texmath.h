/* texmath: the LaTeX subset of templates/README.md, parsed and laid out like
 * TeX lays out math (italic variables, upright digits, operators and
 * function names, TeX's inter-atom spacing, script sizes ~70 % / 50 %,
 * built-up fractions and radicals on the math axis, large operators with
 * limits, delimiters sized to their content, aligned multi-line
 * derivations).  The result is a device-independent box: glyph runs and
 * rules positioned relative to the box's baseline origin, which the layout
 * engine places inline or centred on a display line, and the PDF back end
 * draws.
 *
 * Placing a box (the layout engine's part):
 * - inline: the box's baseline (y = 0) on the text baseline, its origin at
 *   the pen position; it occupies width x (height + depth).  The line's
 *   height and depth grow to cover box->height and box->depth.
 * - display: centred on the measure (origin x = (measure - width) / 2), the
 *   baseline where a one-line display's baseline goes; above and below it
 *   TeX puts \abovedisplayskip / \belowdisplayskip (about 1 em each) from the
 *   box's top and bottom.  An aligned derivation is already centred
 *   vertically on the math axis, as amsmath does, so its baseline is that
 *   of its middle: the equation number "(N)" goes at the right margin with
 *   its baseline on the box's baseline (y = 0), for one-line and aligned
 *   displays alike; a display numbered per row (box->rows) puts each
 *   labelled row's number on that row's baseline instead.
 * - glyphs: each run is drawn at (origin x + g->x, baseline y + g->y) in
 *   g->font at g->size points; rules are filled rectangles from (x, y)
 *   (bottom left, y up) of size w x h.
 */
#ifndef HANDOUT_TEXMATH_H
#define HANDOUT_TEXMATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "doc.h"

/* Math font styles; the caller maps them to fonts (pdf roles). */
enum math_font {
	MATH_ROMAN,   /* digits, + = ( ) [ ] − ×, function names, \mathrm, upright
	               * Greek capitals, \text Latin, accents over upright letters */
	MATH_ITALIC,  /* variables: Latin and Greek lower-case letters, ∂, accents
	               * over italic letters */
	MATH_BOLD,    /* \mathbf, \textbf */
	MATH_SYMBOL,  /* ∫ ∑ ∏ ≥ ≤ ⊙ ∼ ‖ → ∞ ∗ ⋅ √ ′ and other symbols, the
	               * pieces of tall parentheses and braces (⎛ ⎜ ⎝ ⎞ ⎟ ⎠
	               * ⎧ ⎨ ⎩ ⎪ ⎫ ⎬ ⎭: DejaVu Serif has them), and the
	               * double-struck capitals of \mathbb (ℝ ℕ ℤ ℚ ℂ ℙ ℍ in
	               * the BMP, the others beyond it: 𝔼 is U+1D53C, which
	               * pdf.c draws from the math font) */
	MATH_CJK,     /* \text{…} Chinese */
	MATH_BLACKBOARD /* \mathbb while parsing; no glyph is left in it:
	               * capitals become MATH_SYMBOL double-struck code points,
	               * other letters (which \mathbb lacks) MATH_BOLD */
};

/* Font measurements, in points at `size`.  Set every member (the optional
 * ones to NULL when not provided). */
struct math_metrics {
	void *ctx;
	/* advance width of utf8 in `font` at `size` points (no kerning: the
	 * width of a string is the sum of its characters', as drawn) */
	double (*width)(void *ctx, enum math_font font, double size, const char *utf8);
	/* ascent (> 0) and descent (< 0) of the font's glyphs at `size` */
	void (*vertical)(void *ctx, enum math_font font, double size, double *ascent,
	    double *descent);
	/* Optional (NULL: every glyph is as tall as `vertical` says).  The ink
	 * extent of the glyphs of utf8: *top the highest point above the
	 * baseline, *bottom the lowest (negative below the baseline; positive
	 * when the ink floats above it, like '−').  Both 0 for blank text.
	 * With it, scripts, accents, radicals and delimiters fit the actual
	 * letters (x-height vs ascenders) and the math axis is the middle of
	 * '−', so fraction bars line up with the font's minus and equals. */
	void (*ink)(void *ctx, enum math_font font, double size, const char *utf8, double *top,
	    double *bottom);
	/* Optional (NULL: 0).  How far the ink of utf8's last glyph reaches past
	 * its advance width on the right (>= 0; TeX's italic correction: the
	 * overhang of an italic f), used to move superscripts clear of it. */
	double (*italic)(void *ctx, enum math_font font, double size, const char *utf8);
	/* Optional (NULL: none).  The display-style form of the large operator
	 * utf8 (one character: ∫ ∑ ⋃ …) in `font` at `size`: a larger glyph
	 * the font designed for display (TeX's rule 13; from an OpenType MATH
	 * table, the first vertical variant at least DisplayOperatorMinHeight
	 * tall).  Writes to out (NUL-terminated, < MATH_GLYPH_MAX bytes) text
	 * that the callbacks above measure, and the back end draws, in `font` at
	 * `size`, and to *italic its italic correction in points; returns true.
	 * False when there is no such form: the engine then scales the text
	 * glyph (P_BIGOP_DISPLAY, P_BIGINT_DISPLAY). */
	bool (*display_op)(void *ctx, enum math_font font, double size, const char *utf8,
	    char *out, double *italic);
	/* Optional (NULL: none).  A larger designed form of the delimiter utf8
	 * (one character: ( [ { | ‖ …) at `size`, at least `need` points tall
	 * (height plus depth): the first such variant from an OpenType MATH
	 * table, written to out (< MATH_GLYPH_MAX bytes) as text the callbacks
	 * above measure, and the back end draws, in MATH_SYMBOL at `size`.
	 * False when the font has none that tall: the engine then builds the
	 * delimiter from pieces or rules. */
	bool (*delimiter)(void *ctx, double size, const char *utf8, double need, char *out);
};

#define MATH_GLYPH_MAX 8

struct math_glyphs {
	enum math_font font;
	double size;
	double x, y;   /* baseline start, relative to the box origin (y up) */
	char *utf8;    /* one run: adjacent glyphs of one font, size and baseline */
};

struct math_rule {
	double x, y, w, h; /* filled rectangle (fraction bars, radical tops,
	                    * brackets and bars of \left … \right grown past
	                    * their glyph's size) */
};

/* A row of a display numbered per row (an aligned block whose rows carry
 * \label{eq:NAME}). */
struct math_row {
	double y;      /* the row's baseline, relative to the box's (y up) */
	char *label;   /* "eq:NAME" as written in the row's \label, or NULL for a
	                * row without a number (none, or \notag) */
};

struct math_box {
	double width, height, depth; /* height above, depth below the baseline (>= 0) */
	struct math_glyphs *glyphs;
	size_t nglyphs;
	struct math_rule *rules;
	size_t nrules;
	/* break opportunities for inline math (after relations and binary
	 * operators at the top level, not after the last atom, not between two
	 * relations): x positions, ascending, for the line breaker.  breaks[i]
	 * is the right edge of the operator: glyphs and rules with x <
	 * breaks[i] end the line; the rest continues on the next line, starting
	 * at the smallest x among them (the space after the operator is
	 * dropped, as TeX drops glue at a break). */
	double *breaks;
	size_t nbreaks;
	/* the readable linear text of the formula for extraction
	 * (pdftotext): letters and symbols in order, e.g. "KL(q‖p) = ½(σ² + μ² − 1 − log σ²)";
	 * fractions "a/b" or "(a + b)/(2c)", scripts as Unicode super- and
	 * subscripts where every character has one ("σᵩ²"), else "p_data",
	 * "𝔼_(x∼p_data)"; the rows of an aligned derivation
	 * separated by '\n' */
	char *text;
	/* a display numbered per row: its aligned block's rows, top to bottom;
	 * none (0) otherwise.  The equation number of a labelled row goes at the
	 * right margin with its baseline at that row's y, as amsmath's align
	 * sets it. */
	struct math_row *rows;
	size_t nrows;
};

/* The values of {{name}} and {{name|format}} placeholders inside a formula
 * (templates/README.md).  `value` writes the placeholder's number as printf
 * gives it ("0.5", "-0.3", "2.5e-05"; a config value without a format as
 * written) into out[0..size) and returns true, or reports the error (an
 * unknown name, a format applied to text) through diag at `loc`, the
 * placeholder's "{{" in its template, and returns false. */
struct math_values {
	void *ctx;
	bool (*value)(void *ctx, const char *name, const char *format, struct doc_loc loc,
	    char *out, size_t size);
};

/* Parses and lays out `src` (the LaTeX between $…$ or $$…$$) at `size`
 * points, in display style when `display`.  `loc` is the location of
 * src's first character in its template (for an inline DOC_MATH node,
 * whose loc is its opening '$', that is col + 1; for display math, the
 * block's math_loc); src may span lines ('\n'): line k of src is template
 * line loc.line + k, at column 1 for k > 0.  Errors are reported through
 * diag at the exact line and column of the offending token: unbalanced
 * braces, an unknown command (with a "did you mean"), \right without \left
 * and the reverse, a missing argument, '&' or '\\' outside aligned, an
 * unknown environment, a double script, a misplaced \label or \notag.
 *
 * Rows numbered per row: in a display (`display` true) whose top level
 * holds a \begin{aligned} block, a row may carry \label{eq:NAME} at its
 * top level (one per row, anywhere in the row); such a display's box
 * lists the block's rows in `rows`.  \notag (\nonumber) marks a row
 * without a number and is accepted only in such a block.  The label is
 * passed through as written; the template parser checks and registers it.
 *
 * Returns NULL after reporting the errors: every unknown command and every
 * unknown placeholder name (values->value failing), which are stepped over
 * (read as a symbol, a stand-in number) so that the rest of the formula is
 * checked too, and the first error of any other kind, after which the
 * formula is not read further (an unclosed '{' or \begin is found, and
 * reported, at the formula's end, after the unknown names inside it).
 * Caller frees with math_box_free. */
struct math_box *math_layout(const char *src, struct doc_loc loc, bool display, double size,
    const struct math_metrics *metrics);

/* math_layout with placeholders: "{{" … "}}" (on one line) in src is a
 * placeholder, whatever follows ("{{{": the first '{' opens a group, as in
 * "\frac{{{a}}}{2}"; "\{{{a}}" is the brace \{, then one).  Its value
 * from `values` is set as a math literal, as if written in its place:
 * digits and '.', a leading '-' as the minus (binary or unary, as TeX
 * spaces it), an exponent "e-05" as "\times 10^{-5}".  Inside \text{…} it
 * is text, like the running text's numbers ("−0.3", "2.5×10⁻⁵"), and may
 * be any value; elsewhere a value that is not such a number is an error at
 * the placeholder, as is an unclosed "{{", and any placeholder when
 * `values` is NULL (math_layout).  The other tokens keep their own
 * template columns.  `cols`, when not NULL, gives the template column of
 * each byte of a one-line src and of its end (an inline DOC_MATH node's
 * cols: in a table cell, "\|" was read as '|'), for the error locations. */
struct math_box *math_layout_values(const char *src, struct doc_loc loc, const int *cols,
    bool display, double size, const struct math_metrics *metrics,
    const struct math_values *values);

void math_box_free(struct math_box *box); /* NULL-safe */

/* One line per item, for golden tests: "box W H D", then "glyph FONT SIZE X
 * Y "TEXT"" and "rule X Y W H" in drawing order, "row Y "LABEL"" (or
 * "row Y -"), "break X", and "text
 * "…"" (numbers %.2f; '"', '\\' and newlines escaped). */
void math_box_dump(const struct math_box *box, FILE *out);

#endif
