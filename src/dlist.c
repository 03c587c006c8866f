/* dlist: the display list (see dlist.h).
 *
 * Arrays grow by doubling.  A path has no capacity fields (the struct is the
 * lead's public API), so its capacity is implied by its length: cap(n) is 0
 * for n = 0 and otherwise the next power of two >= max(n, 8); the arrays are
 * reallocated whenever an append would cross that bound. */
#include "dlist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static size_t
implied_cap(size_t n)
{
	if (n == 0)
		return 0;
	size_t c = 8;
	while (c < n)
		c *= 2;
	return c;
}

static void
path_reserve(struct dl_path *p, size_t more_segs, size_t more_pts)
{
	size_t have = implied_cap(p->nsegs), need = implied_cap(p->nsegs + more_segs);
	if (need > have)
		p->segs = xrealloc(p->segs, need * sizeof *p->segs);
	have = implied_cap(p->npts);
	need = implied_cap(p->npts + more_pts);
	if (need > have)
		p->pts = xrealloc(p->pts, need * 2 * sizeof *p->pts);
}

static void
path_put(struct dl_path *p, enum dl_segment seg, const double *xy, size_t npts)
{
	path_reserve(p, 1, npts);
	p->segs[p->nsegs++] = seg;
	for (size_t i = 0; i < 2 * npts; i++)
		p->pts[2 * p->npts + i] = xy[i];
	p->npts += npts;
}

struct dl_path
dl_path_empty(void)
{
	return (struct dl_path){0, 0, NULL, NULL};
}

void
dl_path_move(struct dl_path *p, double x, double y)
{
	double xy[2] = {x, y};
	path_put(p, DL_MOVE, xy, 1);
}

void
dl_path_line(struct dl_path *p, double x, double y)
{
	double xy[2] = {x, y};
	/* A line needs a current point; on an empty path it starts one. */
	path_put(p, p->nsegs == 0 ? DL_MOVE : DL_LINE, xy, 1);
}

void
dl_path_curve(struct dl_path *p, double x1, double y1, double x2, double y2, double x3,
    double y3)
{
	if (p->nsegs == 0)
		dl_path_move(p, x1, y1);
	double xy[6] = {x1, y1, x2, y2, x3, y3};
	path_put(p, DL_CURVE, xy, 3);
}

void
dl_path_close(struct dl_path *p)
{
	if (p->nsegs == 0 || p->segs[p->nsegs - 1] == DL_CLOSE)
		return; /* nothing to close */
	path_put(p, DL_CLOSE, NULL, 0);
}

void
dl_path_rect(struct dl_path *p, double x, double y, double w, double h)
{
	dl_path_move(p, x, y);
	dl_path_line(p, x + w, y);
	dl_path_line(p, x + w, y + h);
	dl_path_line(p, x, y + h);
	dl_path_close(p);
}

/* A quadratic Bezier from the current point (x0, y0) via control (qx, qy) to
 * (x2, y2), as the cubic that traces exactly the same curve.  matplotlib's
 * "round" box draws each corner as such a quadratic with the corner itself as
 * the control point (not as a circular arc), so this is what it looks like. */
static void
quad_to(struct dl_path *p, double x0, double y0, double qx, double qy, double x2, double y2)
{
	dl_path_curve(p, x0 + 2.0 / 3.0 * (qx - x0), y0 + 2.0 / 3.0 * (qy - y0),
	    x2 + 2.0 / 3.0 * (qx - x2), y2 + 2.0 / 3.0 * (qy - y2), x2, y2);
}

void
dl_path_round_rect(struct dl_path *p, double x, double y, double w, double h, double r)
{
	if (w < 0) {
		x += w;
		w = -w;
	}
	if (h < 0) {
		y += h;
		h = -h;
	}
	double rmax = (w < h ? w : h) / 2;
	if (!(r > 0)) {
		dl_path_rect(p, x, y, w, h);
		return;
	}
	if (r > rmax)
		r = rmax;
	double x0 = x, y0 = y, x1 = x + w, y1 = y + h;
	/* The order of matplotlib's BoxStyle.Round path: bottom edge left to
	 * right, then counter-clockwise. */
	dl_path_move(p, x0 + r, y0);
	dl_path_line(p, x1 - r, y0);
	quad_to(p, x1 - r, y0, x1, y0, x1, y0 + r);
	dl_path_line(p, x1, y1 - r);
	quad_to(p, x1, y1 - r, x1, y1, x1 - r, y1);
	dl_path_line(p, x0 + r, y1);
	quad_to(p, x0 + r, y1, x0, y1, x0, y1 - r);
	dl_path_line(p, x0, y0 + r);
	quad_to(p, x0, y0 + r, x0, y0, x0 + r, y0);
	dl_path_close(p);
}

bool
dl_path_finite(const struct dl_path *p)
{
	for (size_t i = 0; i < 2 * p->npts; i++)
		if (!isfinite(p->pts[i]))
			return false;
	return true;
}

void
dl_path_free(struct dl_path *p)
{
	if (p == NULL)
		return;
	free(p->segs);
	free(p->pts);
	*p = dl_path_empty();
}

struct dl_style
dl_style_default(void)
{
	struct dl_style s;
	memset(&s, 0, sizeof s);
	s.stroke = true;
	s.fill = false;
	s.stroke_color = (struct dl_color){0, 0, 0};
	s.fill_color = (struct dl_color){0, 0, 0};
	s.stroke_alpha = 1;
	s.fill_alpha = 1;
	s.line_width = 1;
	s.ndash = 0;
	s.dash_phase = 0;
	s.cap = DL_CAP_BUTT;
	s.join = DL_JOIN_MITER;
	s.hatch = DL_HATCH_NONE;
	s.hatch_spacing = 6;
	return s;
}

/* ------------------------------------------------------------ the list */

struct dlist *
dlist_new(double width, double height)
{
	struct dlist *dl = xcalloc(1, sizeof *dl);
	dl->width = width;
	dl->height = height;
	return dl;
}

static void
item_free(struct dl_item *it)
{
	dl_path_free(&it->path);
	free(it->text.utf8);
	free(it->markers.xy);
	free(it->markers.fill);
	free(it->ramp.colors);
	free(it->group);
}

void
dlist_free(struct dlist *dl)
{
	if (dl == NULL)
		return;
	for (size_t i = 0; i < dl->n; i++)
		item_free(&dl->items[i]);
	free(dl->items);
	free(dl);
}

/* A new zeroed item at the end of the list. */
static struct dl_item *
push(struct dlist *dl, enum dl_kind kind)
{
	if (dl->n == dl->cap) {
		dl->cap = dl->cap ? 2 * dl->cap : 32;
		dl->items = xrealloc(dl->items, dl->cap * sizeof *dl->items);
	}
	struct dl_item *it = &dl->items[dl->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

void
dlist_path(struct dlist *dl, struct dl_path *p, const struct dl_style *style)
{
	struct dl_item *it = push(dl, DL_ITEM_PATH);
	it->style = style ? *style : dl_style_default();
	if (it->style.ndash < 0)
		it->style.ndash = 0;
	if (it->style.ndash > DL_MAX_DASH)
		it->style.ndash = DL_MAX_DASH;
	it->path = *p;
	*p = dl_path_empty();
}

void
dlist_text(struct dlist *dl, const struct dl_text *t)
{
	struct dl_item *it = push(dl, DL_ITEM_TEXT);
	it->text = *t;
	it->text.utf8 = xstrdup(t->utf8 ? t->utf8 : "");
}

void
dlist_markers(struct dlist *dl, const struct dl_markers *m)
{
	struct dl_item *it = push(dl, DL_ITEM_MARKERS);
	it->markers = *m;
	it->markers.xy = xmalloc(2 * m->n * sizeof *m->xy);
	it->markers.fill = xmalloc(m->n * sizeof *m->fill);
	if (m->n > 0)
		memcpy(it->markers.xy, m->xy, 2 * m->n * sizeof *m->xy);
	for (size_t i = 0; i < m->n; i++)
		it->markers.fill[i] = m->fill ? m->fill[i] : m->style.fill_color;
}

void
dlist_ramp(struct dlist *dl, const struct dl_ramp *r)
{
	struct dl_item *it = push(dl, DL_ITEM_RAMP);
	it->ramp = *r;
	it->ramp.colors = xmalloc(r->n * sizeof *r->colors);
	if (r->n > 0)
		memcpy(it->ramp.colors, r->colors, r->n * sizeof *r->colors);
}

void
dlist_clip_push(struct dlist *dl, struct dl_path *p)
{
	struct dl_item *it = push(dl, DL_ITEM_CLIP_PUSH);
	it->path = *p;
	*p = dl_path_empty();
}

void
dlist_clip_pop(struct dlist *dl)
{
	push(dl, DL_ITEM_CLIP_POP);
}

void
dlist_group(struct dlist *dl, const char *label)
{
	struct dl_item *it = push(dl, DL_ITEM_GROUP);
	it->group = xstrdup(label ? label : "");
}

/* ------------------------------------------------------------ back-end helpers */

/* Control-point distance of a quarter circle as one cubic Bezier, in radii:
 * 4/3 (sqrt 2 - 1), exact at the ends and the middle of each quarter. */
#define KAPPA 0.55228474983079339840

void
dl_marker_path(struct dl_path *p, enum dl_marker_shape shape, double x, double y, double size)
{
	double h = size / 2;
	switch (shape) {
	case DL_MARKER_CIRCLE: {
		double k = KAPPA * h;
		dl_path_move(p, x + h, y);
		dl_path_curve(p, x + h, y + k, x + k, y + h, x, y + h);
		dl_path_curve(p, x - k, y + h, x - h, y + k, x - h, y);
		dl_path_curve(p, x - h, y - k, x - k, y - h, x, y - h);
		dl_path_curve(p, x + k, y - h, x + h, y - k, x + h, y);
		dl_path_close(p);
		break;
	}
	case DL_MARKER_SQUARE:
		dl_path_rect(p, x - h, y - h, size, size);
		break;
	case DL_MARKER_TRIANGLE:
		dl_path_move(p, x, y + h);
		dl_path_line(p, x - h, y - h);
		dl_path_line(p, x + h, y - h);
		dl_path_close(p);
		break;
	case DL_MARKER_DIAMOND: {
		double d = size * 0.70710678118654752440; /* half of the diagonal size * sqrt 2 */
		dl_path_move(p, x, y + d);
		dl_path_line(p, x - d, y);
		dl_path_line(p, x, y - d);
		dl_path_line(p, x + d, y);
		dl_path_close(p);
		break;
	}
	case DL_MARKER_CROSS:
		dl_path_move(p, x - h, y - h);
		dl_path_line(p, x + h, y + h);
		dl_path_move(p, x - h, y + h);
		dl_path_line(p, x + h, y - h);
		break;
	case DL_MARKER_PLUS:
		dl_path_move(p, x - h, y);
		dl_path_line(p, x + h, y);
		dl_path_move(p, x, y - h);
		dl_path_line(p, x, y + h);
		break;
	}
}

void
dl_text_offset(const struct dl_text *t, double width, double ascent, double descent, double *dx,
    double *dy)
{
	switch (t->halign) {
	case DL_CENTER:
		*dx = -width / 2;
		break;
	case DL_RIGHT:
		*dx = -width;
		break;
	default:
		*dx = 0;
		break;
	}
	switch (t->valign) {
	case DL_BOTTOM:
		*dy = -descent;
		break;
	case DL_MIDDLE:
		*dy = -(ascent + descent) / 2;
		break;
	case DL_TOP:
		*dy = -ascent;
		break;
	default:
		*dy = 0;
		break;
	}
}

unsigned
dl_color_byte(double c)
{
	if (!(c > 0))
		return 0;
	if (c >= 1)
		return 255;
	return (unsigned)(c * 255.0 + 0.5);
}

unsigned long
dl_color_packed(struct dl_color c)
{
	return (unsigned long)dl_color_byte(c.r) << 16 | (unsigned long)dl_color_byte(c.g) << 8 |
	    dl_color_byte(c.b);
}
