/* layout: the document tree (doc.h) + the config + the results + the
 * figures -> pages of positioned boxes (DESIGN.md: lines, pages, TOC).
 *
 * Device independent: text boxes name a font role and size, positions are
 * PDF points from the page's bottom-left corner.  Two passes or more: the
 * first numbers sections, figures, tables and equations and finds their
 * pages, the next set cross-references ("图 2", "式 (3)", "（第 5 页）")
 * and the table of contents with those pages, until the pages a pass used
 * are the pages it produced (at most four passes).  The result is drawn by
 * layout_pdf.c and dumped as text (layout_dump) for golden tests.
 *
 * The document: page 1 the title page (title, author, where the numbers
 * come from), page 2 on the contents, then the templates' blocks from a new
 * page; every page but the first has the footer "第 N 页 / 共 M 页", every
 * page after the contents the running header of a two-sided book, at the
 * outer edge over a hairline: the title on a verso (even page number), the
 * level-1 section current at the page's first line on a recto.  Named destinations:
 * each heading's label or "sec-N" (N counts all headings, from 1), "toc",
 * each figure's and table's label (or "fig-N", "tab-N"), each labelled
 * equation's, and "cite:KEY" for each reference entry. */
#ifndef HANDOUT_LAYOUT_H
#define HANDOUT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "dataset.h"
#include "dlist.h"
#include "doc.h"
#include "figures.h"
#include "texmath.h"

/* Font roles of the handout (the PDF back end maps them to fonts.* files,
 * each with its per-code-point fallback chain). */
enum lay_font {
	LAY_SERIF,        /* body: CJK serif (Song/Ming) with the Latin serif for Latin */
	LAY_SERIF_ITALIC, /* emphasis in Latin; CJK emphasis uses LAY_SANS */
	LAY_SERIF_BOLD,   /* strong */
	LAY_SANS,         /* captions' labels, running header, CJK emphasis */
	LAY_SANS_BOLD,    /* headings, table headers, CJK strong */
	LAY_MONO,         /* inline code, keys */
	/* texmath.h fonts: MATH_ROMAN, MATH_ITALIC, MATH_BOLD and MATH_SYMBOL map
	 * one to one; MATH_BLACKBOARD (texmath.h's BMP stand-in for \mathbb) is set
	 * in LAY_MATH_BOLD and MATH_CJK (\text{中文}) in LAY_SERIF.  List bullets
	 * (• and –) are LAY_MATH_ROMAN too: the Latin serif's, not the CJK
	 * font's small or full-width ones */
	LAY_MATH_ROMAN, LAY_MATH_ITALIC, LAY_MATH_BOLD, LAY_MATH_SYMBOL,
	LAY_FONT_COUNT
};

/* The layout font a texmath font is set in (the mapping above). */
enum lay_font lay_math_font(enum math_font f);

struct lay_color {
	double r, g, b;
};

enum lay_box_kind {
	LAY_TEXT,    /* a run of text in one font role */
	LAY_RULE,    /* a filled rectangle (table rules, fraction bars, hairlines) */
	LAY_FRAME,   /* a stroked rectangle with optional fill (note boxes) */
	LAY_FIGURE,  /* a display list placed at (x, y) = its bottom-left corner */
	LAY_LINK,    /* a clickable area: to a destination (internal) or a URI */
	LAY_DEST,    /* a named destination (section, figure, table, equation) */
	LAY_SPAN_BEGIN, /* the boxes up to the matching LAY_SPAN_END (on the same
	                 * page, spans do not nest) are one formula: text is its
	                 * linear form (math_box.text), what text extraction
	                 * should give instead of the drawn pieces; "" for the
	                 * second and later parts of an inline formula broken
	                 * across lines (the first part carries the whole text) */
	LAY_SPAN_END
};

/* Boxes are listed in drawing order: a page's frames (filled first, so text
 * lies on them) come before its text. */
struct lay_box {
	enum lay_box_kind kind;
	double x, y;          /* text: baseline start; dest: the top-left point a
	                       * viewer shows; others: bottom-left */
	double w, h;          /* rule/frame/figure/link size; text: advance width
	                       * (spacing included, as lb_piece.width), h 0 */
	enum lay_font font;   /* text */
	double size;          /* text */
	double spacing;       /* text: extra space after each character (justification;
	                       * PDF Tc, may be negative) */
	struct lay_color color;
	struct lay_color fill;/* frame */
	bool filled;          /* frame */
	double line_width;    /* frame */
	char *text;           /* text: UTF-8; link: destination name or URI; dest: name;
	                       * span begin: the linear form */
	bool uri;             /* link: text is a URI */
	const struct dlist *figure; /* figure (owned by the figure set), drawn at
	                       * its own size: w and h are its width and height */
};

/* The bookmarks: "目录" (dest "toc"), then every heading, levels 1-3. */
struct lay_outline {
	int level;            /* 1.. */
	char *title;          /* "1.2 ELBO 推导" (plain text: markup, math and
	                       * placeholders resolved) */
	char *dest;           /* destination name */
	int page;             /* 0-based */
};

struct lay_page {
	size_t n, cap;
	struct lay_box *boxes;
	/* the text block (points, bottom-left origin): the inner (binding)
	 * margin is on the left of odd-numbered pages (1, 3, ...: index 0, 2,
	 * ...), on the right of even ones.  Every text box of the body lies
	 * inside it horizontally, except the blank half of a full-width bracket
	 * or comma compressed at a line's start or end (linebreak.h); the
	 * running header and footer lie above and below it. */
	double text_left, text_right, text_bottom, text_top;
};

struct lay_document {
	double width, height; /* page size, points */
	size_t npages;
	struct lay_page *pages;
	size_t noutlines;
	struct lay_outline *outlines;
};

/* Text and math measurement, provided by the PDF module's fonts so layout
 * and drawing agree exactly.  Widths must add up (no kerning: the width of
 * a string is the sum of its characters'), as the layout remembers the
 * width of each character it has measured.  `vertical` is not used by
 * the layout (line extents come from the em box and the math boxes);
 * `figures` neither (figures come plotted). */
struct lay_metrics {
	void *ctx;
	/* advance width of utf8[0..len) (not NUL-terminated) */
	double (*width)(void *ctx, enum lay_font font, double size, const char *utf8,
	    size_t len);
	void (*vertical)(void *ctx, enum lay_font font, double size, double *ascent,
	    double *descent);
	const struct math_metrics *math;
	const struct dl_metrics *figures;
	/* Optional: hyphenation points of an English word, as
	 * lb_metrics.hyphenate (NULL: Latin words are not hyphenated) */
	size_t (*hyphenate)(void *hctx, const char *word, size_t len, bool *after);
	void *hctx;
	/* Optional: the horizontal ink of utf8[0..len) in points from its
	 * origin (pdf_text_ink_x); false when there is none.  The line breaker
	 * compresses only the blank full-width punctuation really has. */
	bool (*ink_x)(void *ctx, enum lay_font font, double size, const char *utf8, size_t len,
	    double *left, double *right);
};

/* Width of the text block in points for cfg->document.paper (44 ems of
 * the 10.5 pt body, so lines of Chinese set solid): figures are plotted at
 * this width (figures_plot) before layout_document places them. */
double layout_text_width(const struct report_config *cfg);

/* Lays out the whole handout: title page, contents, the templates' blocks
 * with figures (figs, already plotted at the text width) and tables placed
 * near their first mention, running headers and footers.  Names in the tree
 * (placeholders, labels, citation keys, figure names) are resolved here and
 * unknown ones reported at their template location (math errors by
 * math_layout); returns NULL then, after reporting every one.  src may be
 * NULL (origins read "default").  A figure wider than the text block is
 * centred on it.  Caller frees with lay_document_free. */
struct lay_document *layout_document(const struct doc *doc, const struct report_config *cfg,
    const struct config_source *src, const struct registry *reg,
    const struct figure_set *figs, const struct lay_metrics *metrics);

/* The checks of layout_document without the layout (handout
 * --check-templates): every placeholder name resolved against the config
 * schema and the results in reg, every formula parsed and set (with
 * stand-in metrics), every cross-reference, citation key and figure name
 * (figs: loaded, need not be plotted) resolved.  Reports every problem at
 * its template location, as layout_document does, and returns false if
 * there was one. */
bool layout_check(const struct doc *doc, const struct report_config *cfg,
    const struct config_source *src, const struct registry *reg,
    const struct figure_set *figs);

void lay_document_free(struct lay_document *ld); /* NULL-safe */

/* One line per box (kind, font role, size, position to 0.01 pt, text with
 * '"', '\\' and control characters escaped), page by page, then the
 * outline, for golden tests.  NULL-safe. */
void layout_dump(const struct lay_document *ld, FILE *out);

#endif
