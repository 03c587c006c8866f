/* linebreak: a paragraph of mixed Chinese, Latin, Greek and digits, given as
 * styled spans, broken into justified lines of a given width.
 *
 * Rules (issue: typesetting engine): break opportunities between CJK
 * characters, between CJK and Latin, and at spaces (a space, like the
 * quarter em below, disappears at a line end); after a hyphen or slash with
 * two letters on each side (small penalty); inside a Latin word only at
 * the hyphenation points below, or, for a word wider than the line, between
 * Latin letters at the last position that fits (two letters before, three
 * after; never inside a number: an overfull line instead).  An operator standing between
 * spaces (a = b, x + y, p -> q) may end a line (TeX's relation and binary-
 * operator penalties) but not start one.
 * URLs, arXiv ids and DOIs (a word starting "scheme://", "www.", "arXiv:",
 * "doi:" or "10.NNNN/") may break after / . : - before a letter or digit,
 * without a hyphen (penalty 200), and are never hyphenated.  The comma (or
 * semicolon) and space inside a short bracketed Latin or math group,
 * "N(-1, 0.5)", "[a, b]" (no CJK, closed within 12 em), is no break.
 * Hyphenation (with metrics->hyphenate): Latin words get discretionary
 * hyphens at the dictionary's points, two letters before and three after,
 * with TeX's \hyphenpenalty 50 and \doublehyphendemerits 10000 (two
 * hyphenated lines in a row are avoided when that is cheap); not in words
 * holding digits or any of _ @ / \ = # & ~ ^ | < > { } [ ] * (or a hyphen:
 * a compound breaks at its hyphen only, as in TeX), not in
 * acronyms or mixed-case names (only all-lowercase or Capitalised letter
 * runs), not in URLs, not in no_hyphens spans nor atoms.
 * Kinsoku: no line starts with a character for which lb_no_line_start holds
 * (，。、：；！？）」』》〉】”’…— and the other closing marks; the ASCII , . ; : !
 * ? ) ] } only where they follow CJK or a word, not after a space); no line
 * ends with one for which lb_no_line_end holds (（「『《〈【“‘ ( [ {).
 * A quarter-em gap (0.25 x size, stretch 50 %, shrink 20 %) between a CJK
 * ideograph or kana and an adjacent Latin letter or digit, in either order,
 * not next to CJK punctuation; opaque boxes count as letters, unbreakable
 * spans by their first and last characters.  A line end in the source
 * between two CJK characters is no space.
 * Adjacent full-width marks whose blank halves face each other are squeezed
 * (标点挤压), always, not as a fallback: a closing bracket or quote before
 * another closer or a stop (）） ）。 ”：) and a closer or stop before an
 * opening bracket or quote (）（ ，“) take the facing blank (half an em)
 * less, a stop before a closer (。」) half the stop's blank (a quarter em;
 * less where the font centres 。，、．, as UMing does); a stop before a stop
 * is not squeezed.  With metrics->ink a "blank" is what the glyph really
 * has beside its ink, at most half its advance.  The glyphs keep their advances: the next
 * piece starts earlier (a negative fixed width between the two pieces), and
 * only the blank halves left over may still be compressed.
 * Justification: spaces stretch by half and shrink to 80 %; CJK
 * inter-character gaps stretch by 0.1 em (not inside a two-em dash or
 * ellipsis).  Spaces and CJK-Latin gaps take a line's stretch first, up to
 * twice their stretchability (a space to twice its width, the gap to half
 * an em); only what is left is spread over all glue, CJK gaps included
 * (JIS X 4051's order: a line with few CJK characters and much Latin or
 * math is not letter-spaced).  Spans marked unbreakable (inline math, code) and opaque boxes
 * stay whole and never stretch inside.  The last line is set ragged.
 *
 * Line breaking is total-fit (Knuth-Plass: badness 100 r^3, demerits
 * (10 + badness)^2 + penalty^2), O(characters x breaks per line).  When the
 * rules cannot all be kept, the cheaper failure wins, in this order (each
 * worse than any amount of the ones before it):
 *   1. compressing full-width punctuation by its blank half (，。）」 and the
 *      like lose their right half, （「 their left half), a standard Chinese
 *      technique; the halves at the line's start and end go first; with
 *      metrics->ink, only the blank beside the glyph's ink (at most half
 *      its advance) is compressible;
 *   2. a line stretched beyond twice its stretchability (spaces over twice
 *      their width, CJK gaps over 0.2 em); a line with no glue at all (a
 *      word fragment) gets up to 0.1 em of letter spacing, else is ragged;
 *   3. breaking a kinsoku rule;
 *   4. an overfull line (lb_line.overfull). */
#ifndef HANDOUT_LINEBREAK_H
#define HANDOUT_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* What the caller's spans look like; `font` and `tag` are opaque to the
 * breaker (font role, size, colour, link target...: the caller's business). */
struct lb_style {
	int font;
	double size;  /* points: the quarter em, stretch and shrink scale with it */
	int tag;
};

struct lb_span {
	const char *utf8;      /* text (not copied; must outlive the lines) */
	size_t len;            /* bytes */
	struct lb_style style;
	bool unbreakable;      /* an atom: no break inside (inline math, code) */
	double box_width;      /* > 0: an opaque box of this width (utf8 may be
	                        * empty), e.g. laid-out inline math */
	bool no_hyphens;       /* no dictionary hyphenation (code, monospace) */
	double break_penalty;  /* >= 0: added to the penalty of a break between
	                        * the text before this span and its first
	                        * character, where the rules allow one (it makes
	                        * none): TeX's \penalty, demerits grow by its
	                        * square.  A span with nothing to set (only
	                        * spaces) passes it on to no one. */
};

struct lb_metrics {
	void *ctx;
	/* advance width of utf8[0..len) set in `style`, in points */
	double (*width)(void *ctx, const struct lb_style *style, const char *utf8, size_t len);
	/* Optional (NULL: no dictionary hyphenation): sets after[i] when a
	 * hyphen may follow letter i of the ASCII word word[0..len) (both
	 * cases), as hyph_points does; hctx is its context. */
	size_t (*hyphenate)(void *hctx, const char *word, size_t len, bool *after);
	void *hctx;
	/* Optional (NULL: full-width marks are taken to have a blank half):
	 * the horizontal ink of utf8[0..len) set in `style`, points from its
	 * origin; false when it has none.  Only the blank a glyph really has
	 * beside its ink is compressed or squeezed (AR PL UMing centres some
	 * of its stops, where GB fonts put them in the left half). */
	bool (*ink)(void *ctx, const struct lb_style *style, const char *utf8, size_t len,
	    double *left, double *right);
};

/* A positioned piece of one span on one line: the bytes [start, start+len)
 * of spans[span], drawn from x (points from the line's left edge; a little
 * negative when an opening bracket starting the line is compressed) with
 * `spacing` points added after every character (PDF character spacing Tc,
 * the justification of CJK gaps); a hyphen is appended when `hyphen`, as one
 * more character.  A piece never contains a space, nor both CJK (ideographs,
 * kana, CJK punctuation) and other characters: spaces and the CJK-Latin gap
 * are changes of x between pieces.  A piece with nonzero spacing has no
 * combining marks (Tc applies to each code point).  Opaque boxes and
 * unbreakable spans are whole pieces (start 0, len = the span's len).
 * width = the advances of its characters (metrics->width of each character,
 * of the whole span for an atom, box_width for a box) + the hyphen's + spacing
 * x (characters - 1): the spacing after the last character falls outside,
 * as the next piece is placed by its own x.  Compressed punctuation makes
 * the next piece start before this one's end. */
struct lb_piece {
	size_t span;
	size_t start, len;
	double x;
	double width;   /* including the added spacing */
	double spacing;
	bool hyphen;
};

/* Justified lines end exactly at the line width (the last piece's x + width,
 * less the blank half of a compressed punctuation mark that ends it). */
struct lb_line {
	struct lb_piece *pieces;
	size_t n;
	double width;     /* natural width before justification (with hyphen) */
	bool justified;   /* stretched or shrunk to end exactly at the measure:
	                   * every line but the last, except one that could not
	                   * be filled (a lone word or atom: no glue) or fitted
	                   * (overfull); the last line only if it had to shrink */
	bool overfull;    /* wider than the line even fully shrunk and
	                   * compressed (an unbreakable word, number or atom) */
};

/* Breaks the paragraph spans[0..n) into lines of `width` points (the first
 * line `indent` points narrower, starting at x = indent).  Leading and
 * trailing spaces are dropped.  Returns the number of lines and a new array
 * in *lines (free with lb_lines_free); an empty paragraph (nothing but
 * spaces) gives 0 lines and *lines = NULL.  Never fails: what cannot be
 * fitted is set overfull.  metrics must not be NULL. */
size_t lb_break(const struct lb_span *spans, size_t n, double width, double indent,
    const struct lb_metrics *metrics, struct lb_line **lines);

/* As lb_break, for text set ragged right (table cells): a line short of
 * the width stays short (justified only when it had to shrink), and costs
 * by its shortfall against a fixed stretch of 2 ems (TeX's \raggedright)
 * instead of by how far its glue would stretch: fewer lines and even
 * shortfalls win, never extra lines to spread a shortfall over more glue
 * (a path breaks at its '/' where it can, not wherever a line is
 * fullest). */
size_t lb_break_ragged(const struct lb_span *spans, size_t n, double width, double indent,
    const struct lb_metrics *metrics, struct lb_line **lines);

void lb_lines_free(struct lb_line *lines, size_t n); /* NULL-safe */

/* A paragraph read once (its characters measured, classified, hyphenation
 * points found) to be broken at many widths, as a table's width search
 * does: lb_para_break(L, w, indent, ragged, lines) gives exactly what
 * lb_break (ragged false) or lb_break_ragged (true) gives for the same
 * spans, lb_para_lines only the number of lines.  The spans and metrics
 * must outlive L.  Never fails; free with lb_para_free (NULL-safe). */
struct lb_para;
struct lb_para *lb_para_new(const struct lb_span *spans, size_t n,
    const struct lb_metrics *metrics);
size_t lb_para_break(struct lb_para *L, double width, double indent, bool ragged,
    struct lb_line **lines);
size_t lb_para_lines(struct lb_para *L, double width, double indent, bool ragged);
void lb_para_free(struct lb_para *L);

/* True if a line may not start with code point cp (kinsoku). */
bool lb_no_line_start(unsigned cp);
/* True if a line may not end with code point cp. */
bool lb_no_line_end(unsigned cp);

#endif
