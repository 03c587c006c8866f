/* pdf: a small document API over libharu 2.3.0, the only module that
 * includes hpdf.h.
 *
 * A document has pages of the configured paper size, nine font roles loaded
 * from the config's fonts.* TrueType files (embedded only when some text uses
 * them, subset, with the 2.3.0 repairs of ../shared/notes/libharu-2.3.0.md
 * applied at save time), text drawn from UTF-8 with a per-code-point font
 * fallback, rules and rectangles, links, bookmarks and the document
 * information dictionary.  Coordinates are PDF points with
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
#include "mathfont.h"

struct pdf_doc; /* opaque */

/* Font roles, each a config key (pdf_font_role_key). */
enum pdf_font_role {
	PDF_FONT_CJK_SERIF,   /* fonts.cjk_serif: body text */
	PDF_FONT_CJK_SANS,    /* fonts.cjk_sans: headings, labels */
	PDF_FONT_LATIN_SERIF, /* fonts.latin_serif: Latin, Greek, digits */
	PDF_FONT_SYMBOL,      /* fonts.symbol: marks and math symbols */
	PDF_FONT_MONO,        /* fonts.mono: code, keys */
	PDF_FONT_LATIN_ITALIC,      /* fonts.latin_italic: emphasis, math variables */
	PDF_FONT_LATIN_BOLD,        /* fonts.latin_bold: strong, bold math */
	PDF_FONT_LATIN_BOLD_ITALIC, /* fonts.latin_bold_italic */
	PDF_FONT_MATH,        /* fonts.math: math symbols latin_serif lacks */
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

/* Like pdf_new, but every page is width x height points (a standalone
 * figure).  libharu accepts 3..14400 points; a size outside that makes the
 * first pdf_add_page fail with a diagnostic. */
struct pdf_doc *pdf_new_sized(const struct report_config *cfg, double width, double height);

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

/* ---- The math font's OpenType MATH table (mathfont.h), for texmath. */

#define PDF_GLYPH_UTF8_MAX 8

/* A larger designed form of `cp` (∫ ∑ ( …) from the MATH table of `role`'s
 * own font (fonts.math: DejaVu Math TeX Gyre): the first of cp's vertical
 * variants whose height plus depth (the table's advance measurement) is at
 * least `min_height` em, or the largest when none is.  On success writes to
 * utf8 a private-use code point, a "glyph slot", that the text functions of
 * any role draw and measure as that glyph of role's font and that extracts
 * as cp (ToUnicode); sets *italic to the variant's italic correction in em
 * (0 when the table gives none) and *height to its advance measurement in
 * em (either pointer may be NULL).  False, with utf8 empty, when the font
 * has no MATH table, no glyph for cp or no variants of it.  (A private-use
 * code point typed into text that happens to be a glyph slot draws as its
 * glyph too: slots are handed out from U+E000 up, skipping any a font maps.) */
bool pdf_math_variant(struct pdf_doc *doc, enum pdf_font_role role, uint32_t cp,
    double min_height, char utf8[PDF_GLYPH_UTF8_MAX], double *italic, double *height);

/* MATH constant `c` of role's own font in em, or `fallback` when the font
 * has no MATH table or the table lacks it. */
double pdf_math_constant(struct pdf_doc *doc, enum pdf_font_role role, enum mathfont_constant c,
    double fallback);

/* Advance width in points of UTF-8 `text` drawn by pdf_text with the same
 * role and size: the text is split into runs along the fallback chain (the
 * role's font first, or its Latin font, see pdf_set_latin_font; then
 * latin_serif, symbol, math, cjk_serif, cjk_sans, mono, latin_italic,
 * latin_bold, latin_bold_italic, except that the cjk_sans role tries symbol
 * (the sans face) before latin_serif)
 * exactly as pdf_text splits it.  Code points beyond the BMP are drawn
 * like any other when a font of the chain has them (𝔼 U+1D53C comes from
 * the math font) and are dropped silently when none has (most emoji);
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

/* ---- Vector graphics on the current page (figures).
 *
 * The PDF model: set state, build a path (move/line/curve/close, rectangles,
 * circles), then paint it once (stroke, fill, fill+stroke, clip, or end).
 * Painting or clipping ends the path.  State setters emit an operator only
 * when the value changes; pdf_save_state/pdf_restore_state (q/Q) nest at
 * most 28 deep (libharu's limit, beyond it the document fails).  All take
 * and return like the functions above: false after an error, reported once,
 * and on a failed document or with no current page.  Painting with no path
 * or changing a value inside a path is a library error that fails the
 * document, as PDF forbids it.  pdf_text, pdf_fill_rect, pdf_stroke_rect
 * and pdf_line keep working in between: they set the colour, width, dash
 * (solid), cap/join and alpha (opaque) they need. */

enum pdf_line_cap { PDF_CAP_BUTT, PDF_CAP_ROUND, PDF_CAP_SQUARE };
enum pdf_line_join { PDF_JOIN_MITER, PDF_JOIN_ROUND, PDF_JOIN_BEVEL };

/* q / Q: save and restore the graphics state (colours, alpha, line style,
 * clip, transformation). */
bool pdf_save_state(struct pdf_doc *doc);
bool pdf_restore_state(struct pdf_doc *doc);

/* Multiplies the transformation by [a b c d e f] (PDF cm): a translation is
 * (1, 0, 0, 1, tx, ty), a scale (sx, 0, 0, sy, 0, 0). */
bool pdf_concat(struct pdf_doc *doc, double a, double b, double c, double d, double e, double f);

bool pdf_set_fill_color(struct pdf_doc *doc, struct pdf_rgb color);
bool pdf_set_stroke_color(struct pdf_doc *doc, struct pdf_rgb color);

/* Constant alpha of fills (and text) and of strokes, each clamped to [0, 1].
 * One ExtGState object per distinct pair (to 1/10000) serves the whole
 * document. */
bool pdf_set_alpha(struct pdf_doc *doc, double fill_alpha, double stroke_alpha);

bool pdf_set_line_width(struct pdf_doc *doc, double width);
bool pdf_set_line_cap(struct pdf_doc *doc, enum pdf_line_cap cap);
bool pdf_set_line_join(struct pdf_doc *doc, enum pdf_line_join join);

/* Dash pattern of `n` (<= 8) on/off lengths and its phase, in units of the
 * current user space; n = 0 is solid.  libharu 2.3.0 writes whole numbers
 * from 1 to 100 only (HPDF_Page_SetDash takes HPDF_UINT16), so each length
 * is rounded to the nearest whole unit within 1..100 and the phase to a
 * whole unit modulo the period.  For exact fractional dashes, draw the path
 * under a scale: pdf_concat(1/k, 0, 0, 1/k, 0, 0) with coordinates, width
 * and dash multiplied by k (plot_pdf.c does this).  An odd count is repeated
 * (PDF's meaning) when that fits in 8, else its last length is dropped. */
bool pdf_set_dash(struct pdf_doc *doc, const double *dash, int n, double phase);

bool pdf_move_to(struct pdf_doc *doc, double x, double y);
bool pdf_line_to(struct pdf_doc *doc, double x, double y);
/* A cubic Bezier from the current point with control points (x1, y1),
 * (x2, y2) to (x3, y3). */
bool pdf_curve_to(struct pdf_doc *doc, double x1, double y1, double x2, double y2, double x3,
    double y3);
bool pdf_close_path(struct pdf_doc *doc);
/* A closed rectangle subpath with its lower-left corner at (x, y). */
bool pdf_rect_path(struct pdf_doc *doc, double x, double y, double w, double h);
/* A closed circle subpath (four Bezier curves). */
bool pdf_circle_path(struct pdf_doc *doc, double x, double y, double r);

/* Painting: even_odd selects the even-odd rule instead of nonzero winding. */
bool pdf_stroke(struct pdf_doc *doc);
bool pdf_fill(struct pdf_doc *doc, bool even_odd);
bool pdf_fill_stroke(struct pdf_doc *doc, bool even_odd);
/* Intersects the clip with the path and ends it (W n): everything drawn
 * until the matching pdf_restore_state is clipped. */
bool pdf_clip(struct pdf_doc *doc, bool even_odd);
/* Ends the path without painting (n). */
bool pdf_end_path(struct pdf_doc *doc);

/* A filled disc of `diameter` at (x, y) in the STROKE colour and stroke
 * alpha: a zero-length segment with round caps, a fifth of the bytes of a
 * circle path (for scatter markers without an edge).  Leaves the line width
 * at `diameter`, round caps and no dash set. */
bool pdf_dot(struct pdf_doc *doc, double x, double y, double diameter);

/* pdf_text_style.latin values besides a role. */
#define PDF_LATIN_DEFAULT (-1) /* the document's setting for the role */
#define PDF_LATIN_NONE (-2)    /* none: the role's own font first */

/* How pdf_text_styled draws. */
struct pdf_text_style {
	enum pdf_font_role role;
	/* a role whose font takes Latin letters, digits, Greek, super- and
	 * subscripts and operators first, for this text only (as
	 * pdf_set_latin_font does for a whole role), or PDF_LATIN_* */
	int latin;
	double size;          /* points */
	struct pdf_rgb color;
	double alpha;         /* 0..1, fill (and the bold stroke) */
	double angle;         /* degrees counter-clockwise about the start point */
	bool bold;            /* synthetic bold: glyphs filled and stroked with a
	                       * line of 0.035 x size in the same colour (the CJK
	                       * fonts have no bold face) */
};

/* role, size and colour; PDF_LATIN_DEFAULT, alpha 1, angle 0, not bold. */
struct pdf_text_style pdf_text_style_plain(enum pdf_font_role role, double size,
    struct pdf_rgb color);

/* Like pdf_text, with the baseline starting at (x, y) and running at
 * st->angle; the fallback chain is pdf_text_width's with st->latin first for
 * Latin code points.  Draws inside q/Q: leaves the graphics state as it was. */
bool pdf_text_styled(struct pdf_doc *doc, double x, double y, const struct pdf_text_style *st,
    const char *text);

/* Advance width in points of `text` drawn by pdf_text_styled with `st`
 * (bold and angle do not change it). */
double pdf_text_width_styled(struct pdf_doc *doc, const struct pdf_text_style *st,
    const char *text);

/* Sets the document information (UTF-8, Chinese allowed).  The creator is
 * always "handout". */
bool pdf_set_info(struct pdf_doc *doc, const struct pdf_info *info);

/* Writes the document to `path` atomically: into a temporary file created
 * next to it, flushed to disk, then renamed over `path`.  On any failure the
 * temporary file is removed, `path` is left as it was, and the problem is
 * reported.  The font repairs are applied on the first call; the document
 * stays usable for reading (page count) but should not be drawn on after. */
bool pdf_save(struct pdf_doc *doc, const char *path);

/* ---- The typeset handout (layout_pdf.c): justified text, destinations,
 * links, bookmarks.  Same error rules as above; in addition the calls that
 * name a destination return false and change nothing, the document staying
 * usable, when no destination has that name. */

/* Like pdf_text_styled, with `char_space` points of extra space after every
 * character drawn (PDF Tc; negative tightens; clamped to -30..300), as
 * justified lines need: the text advances pdf_text_width_styled plus
 * char_space per character drawn (dropped code points do not count).  With
 * st->bold, synthetic bold is applied to every run except those drawn with
 * the latin_bold or latin_bold_italic font, which are bold faces already.
 * Leaves no text or graphics state behind that the other functions do not
 * know about. */
bool pdf_text_spaced(struct pdf_doc *doc, double x, double y, const struct pdf_text_style *st,
    double char_space, const char *text);

/* Defines destination `name` (UTF-8, copied): page `page` (0-based, an
 * existing page) shown at the window's full width from `top` (points from
 * the bottom) down.  Also listed by name in the document (/Dests), so a
 * viewer opens "file.pdf#nameddest=NAME" there.  False for an empty name or
 * one defined already (the first definition stays). */
bool pdf_add_dest(struct pdf_doc *doc, int page, double top, const char *name);

/* True when pdf_add_dest defined `name`. */
bool pdf_has_dest(const struct pdf_doc *doc, const char *name);

/* A clickable rectangle (lower-left corner (x, y), w x h > 0) on the current
 * page that jumps to destination `dest`; drawn without a border. */
bool pdf_link(struct pdf_doc *doc, double x, double y, double w, double h, const char *dest);

/* The same for a web address (a URI action). */
bool pdf_uri_link(struct pdf_doc *doc, double x, double y, double w, double h, const char *uri);

/* Appends a bookmark at `level` (1 = top) under the last bookmark of the
 * level above (a skipped level hangs under the deepest one), titled `title`
 * (UTF-8; code points beyond the BMP, controls and repeated spaces dropped:
 * libharu's titles are BMP only), jumping to
 * destination `dest`; `open` shows its children expanded. */
bool pdf_add_outline(struct pdf_doc *doc, int level, const char *title, const char *dest,
    bool open);

/* Marks what is drawn between the two calls on the current page as one
 * piece of text whose extractable form is UTF-8 `utf8` (a PDF marked-content
 * sequence /Span <</ActualText …>> BDC … EMC): pdftotext and copy-paste
 * give `utf8` instead of the drawn glyphs, e.g. a formula's linear form.
 * Drawing in between is unchanged.  Sequences nest (though poppler then
 * extracts only the innermost one's text); each must end on the page it
 * began on, with no path under construction at either call (inside a path
 * the call is a library error: the document fails).  The text is written
 * as UTF-16BE with a byte order mark, code points beyond the BMP as
 * surrogate pairs, malformed UTF-8 as U+FFFD.  pdf_begin_actual_text
 * returns false and writes nothing without a current page, with a NULL
 * text, or on another page than the sequences still open;
 * pdf_end_actual_text when none is open or the current page is not theirs
 * (select it again and end them there). */
bool pdf_begin_actual_text(struct pdf_doc *doc, const char *utf8);
bool pdf_end_actual_text(struct pdf_doc *doc);

/* The view a reader opens the file with: the first page at full width and,
 * once there are bookmarks, the bookmark panel shown.  Needs a page. */
bool pdf_set_open_view(struct pdf_doc *doc);

/* The ink of `text` drawn with `st`, from the outline boxes of its glyphs
 * (the fonts' glyf tables), in points: *top the highest point above the
 * baseline, *bottom the lowest (negative below it, positive when the ink
 * floats above the baseline, like '−'), both 0 when nothing is inked
 * (spaces, empty text); *overhang how far the last glyph's ink reaches past
 * its advance on the right (>= 0; the overhang of an italic f).  Any
 * pointer may be NULL.  Marks the glyphs as used, as measuring does. */
bool pdf_text_ink(struct pdf_doc *doc, const struct pdf_text_style *st, const char *text,
    double *top, double *bottom, double *overhang);

/* The horizontal ink of `text` drawn with `st`, in points from the text's
 * origin along the baseline: *left the leftmost point of any glyph's
 * outline box, *right the rightmost (advances as pdf_text_width_styled),
 * both 0 when nothing is inked.  E.g. the blank right part of a full-width
 * comma is its advance less *right.  Marks the glyphs as used. */
bool pdf_text_ink_x(struct pdf_doc *doc, const struct pdf_text_style *st, const char *text,
    double *left, double *right);

#endif
