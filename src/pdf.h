/* pdf: a small document API over libharu 2.3.0, the only module that
 * includes hpdf.h.
 *
 * A document has pages of the configured paper size, five font roles loaded
 * from the config's fonts.* TrueType files (embedded, subset, with the 2.3.0
 * repairs of ../shared/notes/libharu-2.3.0.md applied at save time), text
 * drawn from UTF-8 with a per-code-point font fallback, rules and rectangles,
 * and the document information dictionary.  Coordinates are PDF points with
 * the origin at the bottom-left corner of the page.
 *
 * Errors: every problem is reported through diag (DIAG_FONT_MISSING,
 * DIAG_FONT_BAD, DIAG_PDF_LIBRARY, DIAG_IO_*) exactly once.  After the first
 * library error the document is "failed": every later call does nothing and
 * returns false (or 0), and pdf_save refuses to write, so callers may check
 * only the final pdf_save.
 *
 * Output is deterministic: no dates unless SOURCE_DATE_EPOCH is set, no /ID,
 * the same calls give a byte-identical file. */
#ifndef HANDOUT_PDF_H
#define HANDOUT_PDF_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct pdf_doc; /* opaque */

/* Font roles, each a config key (pdf_font_role_key). */
enum pdf_font_role {
	PDF_FONT_CJK_SERIF,   /* fonts.cjk_serif: body text */
	PDF_FONT_CJK_SANS,    /* fonts.cjk_sans: headings, labels */
	PDF_FONT_LATIN_SERIF, /* fonts.latin_serif: Latin, Greek, digits */
	PDF_FONT_SYMBOL,      /* fonts.symbol: marks and math symbols */
	PDF_FONT_MONO,        /* fonts.mono: code, keys */
	PDF_FONT_ROLE_COUNT
};

/* A colour, each component in [0, 1] (values outside are clamped). */
struct pdf_rgb {
	double r, g, b;
};

/* Document information; NULL fields are left out.  UTF-8. */
struct pdf_info {
	const char *title;
	const char *author;
	const char *subject;
	const char *keywords;
};

/* Creates an empty document with cfg->document.paper pages and cfg->fonts.*
 * loaded.  Every font file is checked before anything else: each missing or
 * unreadable one is reported (DIAG_FONT_MISSING, naming the config key and
 * the path) and the result is NULL.  Also NULL, after a diagnostic, when
 * libharu refuses a font (a CFF .otf, a bad collection index).  The caller
 * owns the result (pdf_free). */
struct pdf_doc *pdf_new(const struct report_config *cfg);

/* Frees everything; NULL-safe.  Never writes anything. */
void pdf_free(struct pdf_doc *doc);

/* False once a library error has been reported for this document. */
bool pdf_ok(const struct pdf_doc *doc);

/* Paper size in points (A4: 595.276 x 841.89, Letter: 612 x 792). */
double pdf_page_width(const struct pdf_doc *doc);
double pdf_page_height(const struct pdf_doc *doc);

/* The config key of a role, "fonts.cjk_serif" etc. */
const char *pdf_font_role_key(enum pdf_font_role role);

/* Appends a page and makes it the current one (drawing goes there). */
bool pdf_add_page(struct pdf_doc *doc);

/* Number of pages so far. */
int pdf_page_count(const struct pdf_doc *doc);

/* Makes page `index` (0-based, < pdf_page_count) current again, e.g. to draw
 * "page N of M" footers once the page count is known. */
bool pdf_select_page(struct pdf_doc *doc, int index);

/* From now on, text drawn with `role` takes Latin letters, digits, Greek,
 * super- and subscripts and mathematical operators from `latin`'s font (when
 * it has them) instead of its own: CJK fonts carry Latin glyphs, but UMing's
 * do not match a Latin text face.  CJK punctuation (quotes, dashes, ellipsis)
 * keeps coming from `role`.  Without this call the role's own font is always
 * tried first. */
bool pdf_set_latin_font(struct pdf_doc *doc, enum pdf_font_role role, enum pdf_font_role latin);

/* Ascent (positive) and descent (negative) of the role's font at `size`
 * points, from the font's own metrics.  Either pointer may be NULL. */
void pdf_font_metrics(const struct pdf_doc *doc, enum pdf_font_role role, double size,
    double *ascent, double *descent);

/* True when the text functions can show code point `cp` with `role`: its
 * own font or a fallback has the glyph (or it is substituted, ❌ -> ✗). */
bool pdf_has_glyph(struct pdf_doc *doc, enum pdf_font_role role, uint32_t cp);

/* Advance width in points of UTF-8 `text` drawn by pdf_text with the same
 * role and size: the text is split into runs along the fallback chain (the
 * role's font first, or its Latin font, see pdf_set_latin_font; then
 * latin_serif, symbol, cjk_serif, cjk_sans, mono)
 * exactly as pdf_text splits it.  Code points outside the BMP (emoji),
 * control characters, variation selectors and zero-width joiners are
 * dropped; ❌ becomes ✗; a BMP code point that no font has is dropped with a
 * warning (once per code point).  Invalid UTF-8 counts as U+FFFD.
 * Returns 0 for an empty text or a failed document. */
double pdf_text_width(struct pdf_doc *doc, enum pdf_font_role role, double size,
    const char *text);

/* Draws UTF-8 `text` with its baseline starting at (x, y) on the current
 * page, filled with `color`; glyph selection as for pdf_text_width.  The
 * text stays real text: pdftotext returns it (minus the dropped code
 * points). */
bool pdf_text(struct pdf_doc *doc, double x, double y, enum pdf_font_role role,
    double size, struct pdf_rgb color, const char *text);

/* Filled rectangle with its lower-left corner at (x, y). */
bool pdf_fill_rect(struct pdf_doc *doc, double x, double y, double w, double h,
    struct pdf_rgb color);

/* Outlined rectangle; the line is centred on the edges. */
bool pdf_stroke_rect(struct pdf_doc *doc, double x, double y, double w, double h,
    double line_width, struct pdf_rgb color);

/* Straight line from (x0, y0) to (x1, y1) with butt caps. */
bool pdf_line(struct pdf_doc *doc, double x0, double y0, double x1, double y1,
    double line_width, struct pdf_rgb color);

/* Sets the document information (UTF-8, Chinese allowed).  The creator is
 * always "handout". */
bool pdf_set_info(struct pdf_doc *doc, const struct pdf_info *info);

/* Writes the document to `path` atomically: into a temporary file created
 * next to it, flushed to disk, then renamed over `path`.  On any failure the
 * temporary file is removed, `path` is left as it was, and the problem is
 * reported.  The font repairs are applied on the first call; the document
 * stays usable for reading (page count) but should not be drawn on after. */
bool pdf_save(struct pdf_doc *doc, const char *path);

#endif
