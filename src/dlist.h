/* dlist: the device-independent display list of a figure (DESIGN.md:
 * spec -> plot -> display list -> back ends).
 *
 * Coordinates are PDF points (1/72 in) with the origin at the bottom-left of
 * the figure and y up; back ends with other conventions (SVG) flip.  Items
 * are drawn in order.  Text is real text: a UTF-8 string with a font role and
 * a size, never outlines, so back ends keep it searchable.  The list owns
 * everything added to it (strings and arrays are copied). */
#ifndef HANDOUT_DLIST_H
#define HANDOUT_DLIST_H

#include <stdbool.h>
#include <stddef.h>

struct dl_color {
	double r, g, b; /* 0..1 */
};

/* One colour component as an 8-bit value (clamped, rounded), as the SVG
 * and dump back ends print colours. */
unsigned dl_color_byte(double c);
/* The colour as 0xRRGGBB of dl_color_byte components. */
unsigned long dl_color_packed(struct dl_color c);

/* Font roles of figure text; back ends map them to fonts (the PDF back end
 * to the CJK sans role with fallback, bold drawn as fill+stroke). */
enum dl_font { DL_FONT_SANS, DL_FONT_SANS_BOLD, DL_FONT_SERIF, DL_FONT_MONO };

enum dl_cap { DL_CAP_BUTT, DL_CAP_ROUND, DL_CAP_SQUARE };
enum dl_join { DL_JOIN_MITER, DL_JOIN_ROUND, DL_JOIN_BEVEL };

/* Fill patterns for grayscale print: drawn over the fill in the stroke
 * colour, clipped to the path.  DIAGONAL is matplotlib's '/', BACK_DIAGONAL
 * '\', CROSS both diagonals ('x'), HORIZONTAL '-', VERTICAL '|', DOTS a
 * square grid of dots.  hatch_spacing is the distance between neighbouring
 * lines measured across them (the grid pitch for dots); lines and dots sit
 * at multiples of it from the figure's origin, so neighbouring bars line up. */
enum dl_hatch { DL_HATCH_NONE, DL_HATCH_DIAGONAL, DL_HATCH_BACK_DIAGONAL, DL_HATCH_CROSS,
	DL_HATCH_HORIZONTAL, DL_HATCH_VERTICAL, DL_HATCH_DOTS };

#define DL_MAX_DASH 8

struct dl_style {
	bool stroke, fill;
	struct dl_color stroke_color, fill_color;
	double stroke_alpha, fill_alpha; /* 0..1 */
	double line_width;               /* points */
	double dash[DL_MAX_DASH];        /* on/off lengths in points; ndash 0 = solid */
	int ndash;
	double dash_phase;
	enum dl_cap cap;
	enum dl_join join;
	enum dl_hatch hatch;
	double hatch_spacing; /* points between hatch lines */
};

/* A solid black 1 pt stroke, no fill, alpha 1, butt caps, miter joins
 * (fill colour black, no hatch, hatch_spacing 6 pt). */
struct dl_style dl_style_default(void);

enum dl_segment { DL_MOVE, DL_LINE, DL_CURVE, DL_CLOSE };

/* A path: segs[i] with its points; DL_MOVE/DL_LINE take 1 point, DL_CURVE 3
 * (two control points and the end), DL_CLOSE none.  pts are x,y pairs. */
struct dl_path {
	size_t nsegs, npts;
	enum dl_segment *segs;
	double *pts; /* 2 * npts */
};

enum dl_halign { DL_LEFT, DL_CENTER, DL_RIGHT };
enum dl_valign { DL_BASELINE, DL_BOTTOM, DL_MIDDLE, DL_TOP };

struct dl_text {
	char *utf8;
	enum dl_font font;
	double size;       /* points */
	double x, y;       /* the anchor point */
	double angle;      /* degrees, counter-clockwise about the anchor */
	enum dl_halign halign;
	enum dl_valign valign; /* DL_BOTTOM/TOP use the font's descent/ascent */
	struct dl_color color;
	double alpha;
};

enum dl_marker_shape { DL_MARKER_CIRCLE, DL_MARKER_SQUARE, DL_MARKER_TRIANGLE,
	DL_MARKER_DIAMOND, DL_MARKER_CROSS, DL_MARKER_PLUS };

/* Many markers of one shape and size, each with its own fill colour (the
 * scatter plot); the style's stroke applies to every marker.  Sizes as
 * matplotlib's markersize: circle diameter, square side, triangle (apex up)
 * width and height, diamond diagonal size * sqrt 2 ('D'), cross and plus arm
 * span.  CROSS and PLUS have no inside: they are stroked in each marker's
 * colour at the fill alpha, style.line_width wide (1 pt when 0). */
struct dl_markers {
	size_t n;
	double *xy;             /* 2 * n centres */
	struct dl_color *fill;  /* n colours */
	double size;            /* diameter in points */
	enum dl_marker_shape shape;
	struct dl_style style;  /* fill_alpha, stroke, line width */
};

/* An axis-aligned image-free colour ramp (the colour bar): n bands of equal
 * height stacked from y0 to y1 between x0 and x1, band i filled colors[i]. */
struct dl_ramp {
	double x0, y0, x1, y1;
	size_t n;
	struct dl_color *colors;
	double alpha;
};

enum dl_kind { DL_ITEM_PATH, DL_ITEM_TEXT, DL_ITEM_MARKERS, DL_ITEM_RAMP, DL_ITEM_CLIP_PUSH,
	DL_ITEM_CLIP_POP, DL_ITEM_GROUP };

struct dl_item {
	enum dl_kind kind;
	struct dl_style style;    /* DL_ITEM_PATH */
	struct dl_path path;      /* DL_ITEM_PATH; DL_ITEM_CLIP_PUSH (the clip region) */
	struct dl_text text;      /* DL_ITEM_TEXT */
	struct dl_markers markers;/* DL_ITEM_MARKERS */
	struct dl_ramp ramp;      /* DL_ITEM_RAMP */
	char *group;              /* DL_ITEM_GROUP: a label for the dump ("panel a: axes") */
};

struct dlist {
	double width, height; /* points */
	size_t n, cap;
	struct dl_item *items;
};

struct dlist *dlist_new(double width, double height);
void dlist_free(struct dlist *dl); /* NULL-safe */

/* Path building: start an empty path, add segments, then emit it.  A line or
 * curve on an empty path starts it (a line becomes a move, a curve is
 * preceded by a move to its first control point); a close right after a close
 * or on an empty path is ignored. */
struct dl_path dl_path_empty(void);
void dl_path_move(struct dl_path *p, double x, double y);
void dl_path_line(struct dl_path *p, double x, double y);
void dl_path_curve(struct dl_path *p, double x1, double y1, double x2, double y2, double x3,
    double y3);
void dl_path_close(struct dl_path *p);
void dl_path_rect(struct dl_path *p, double x, double y, double w, double h);
/* A rectangle with corners rounded by radius r (matplotlib's boxstyle round:
 * each corner is the quadratic Bezier through the corner as control point,
 * stored as the equivalent cubic; r is clamped to half the shorter side,
 * r <= 0 gives dl_path_rect).  Starts at (x + r, y), counter-clockwise. */
void dl_path_round_rect(struct dl_path *p, double x, double y, double w, double h, double r);
void dl_path_free(struct dl_path *p);
/* Are all of p's coordinates finite?  (Back ends skip a path that is not:
 * one NaN would make the whole path unrenderable.) */
bool dl_path_finite(const struct dl_path *p);

/* Appends a path item; the list takes ownership of p's arrays (p is reset). */
void dlist_path(struct dlist *dl, struct dl_path *p, const struct dl_style *style);
/* Appends a text item (the string is copied). */
void dlist_text(struct dlist *dl, const struct dl_text *t);
/* Appends markers (arrays copied; a NULL m->fill gives every marker
 * m->style.fill_color). */
void dlist_markers(struct dlist *dl, const struct dl_markers *m);
void dlist_ramp(struct dlist *dl, const struct dl_ramp *r);
/* Clip subsequent items to the path (usually an axes rectangle) until the
 * matching dlist_clip_pop; takes ownership of p's arrays.  Clips nest. */
void dlist_clip_push(struct dlist *dl, struct dl_path *p);
void dlist_clip_pop(struct dlist *dl);
/* A label that marks where a logical part begins (for the dump and SVG <g>). */
void dlist_group(struct dlist *dl, const char *label);

/* ---- Helpers for back ends. */

/* Appends the outline of one marker centred at (x, y) (sizes as in struct
 * dl_markers; a circle is four cubic Beziers): closed subpaths, except two
 * open strokes for CROSS and PLUS. */
void dl_marker_path(struct dl_path *p, enum dl_marker_shape shape, double x, double y,
    double size);

/* Where the baseline of `t` starts, relative to its anchor, in the text's own
 * (rotated) frame: *dx along the baseline, *dy across it (up positive), from
 * the text's advance `width` and its font's `ascent` (> 0) and `descent`
 * (< 0) at t->size.  DL_MIDDLE centres between descent and ascent. */
void dl_text_offset(const struct dl_text *t, double width, double ascent, double descent,
    double *dx, double *dy);

/* Text measurement the plot engine lays out with, provided by the font
 * owner (the PDF module) so every back end agrees on the sizes. */
struct dl_metrics {
	void *ctx;
	/* advance width of utf8 in points */
	double (*text_width)(void *ctx, enum dl_font font, double size, const char *utf8);
	/* ascent (> 0) and descent (< 0) of the font in points at `size` */
	void (*vertical)(void *ctx, enum dl_font font, double size, double *ascent,
	    double *descent);
};

#endif
