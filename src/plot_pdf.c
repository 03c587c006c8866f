/* plot_pdf: display list -> PDF page (see plot_pdf.h).
 *
 * Every item is drawn with the pdf module's vector functions, which emit a
 * state operator only when the value changes.  Two things need care:
 *
 * Dashes.  libharu 2.3.0 writes dash lengths as whole numbers from 1 to 100
 * (HPDF_Page_SetDash takes HPDF_UINT16), but matplotlib's dashes scale with
 * the line width (1.5 pt dashed: 5.55 on, 2.4 off).  A dashed path is drawn
 * under a scale of 1/k with its coordinates, width and dash multiplied by k,
 * so the dash is exact to 0.5/k pt.  k is the largest of 32, 25, 20, 16, 10,
 * 8, 5, 4, 2, 1 that keeps the longest dash within 100 units and every
 * coordinate within libharu's number range (+-32767); 1/k is then written
 * exactly by libharu's 5-decimal number output.  Whole-number dashes use
 * k = 1 and no scale.
 *
 * Markers.  A filled circle without an edge is a dot (pdf_dot: a zero-length
 * round-capped segment in the stroke colour, 134 KB instead of 688 KB for
 * 10,000 markers); edged or other shapes are real paths. */
#include "plot_pdf.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

/* ------------------------------------------------------------ fonts */

static struct pdf_text_style
text_style(enum dl_font font, double size)
{
	struct pdf_text_style st = pdf_text_style_plain(PDF_FONT_CJK_SANS, size,
	    (struct pdf_rgb){0, 0, 0});
	st.latin = PDF_LATIN_NONE;
	switch (font) {
	case DL_FONT_SANS:
		break;
	case DL_FONT_SANS_BOLD:
		st.bold = true;
		break;
	case DL_FONT_SERIF:
		st.role = PDF_FONT_CJK_SERIF;
		st.latin = PDF_FONT_LATIN_SERIF;
		break;
	case DL_FONT_MONO:
		st.role = PDF_FONT_MONO;
		break;
	}
	return st;
}

static double
metrics_width(void *ctx, enum dl_font font, double size, const char *utf8)
{
	struct pdf_text_style st = text_style(font, size);
	return pdf_text_width_styled(ctx, &st, utf8);
}

static void
metrics_vertical(void *ctx, enum dl_font font, double size, double *ascent, double *descent)
{
	struct pdf_text_style st = text_style(font, size);
	pdf_font_metrics(ctx, st.role, size, ascent, descent);
}

void
plot_pdf_metrics(struct pdf_doc *doc, struct dl_metrics *out)
{
	out->ctx = doc;
	out->text_width = metrics_width;
	out->vertical = metrics_vertical;
}

/* ------------------------------------------------------------ helpers */

static struct pdf_rgb
rgb(struct dl_color c)
{
	return (struct pdf_rgb){c.r, c.g, c.b};
}

/* Builds `p` with every coordinate multiplied by k. */
static void
emit_path(struct pdf_doc *doc, const struct dl_path *p, double k)
{
	const double *pt = p->pts;
	for (size_t i = 0; i < p->nsegs; i++) {
		switch (p->segs[i]) {
		case DL_MOVE:
			pdf_move_to(doc, k * pt[0], k * pt[1]);
			pt += 2;
			break;
		case DL_LINE:
			pdf_line_to(doc, k * pt[0], k * pt[1]);
			pt += 2;
			break;
		case DL_CURVE:
			pdf_curve_to(doc, k * pt[0], k * pt[1], k * pt[2], k * pt[3], k * pt[4],
			    k * pt[5]);
			pt += 6;
			break;
		case DL_CLOSE:
			pdf_close_path(doc);
			break;
		}
	}
}

static enum pdf_line_cap
cap_of(enum dl_cap c)
{
	return c == DL_CAP_ROUND ? PDF_CAP_ROUND : c == DL_CAP_SQUARE ? PDF_CAP_SQUARE :
	    PDF_CAP_BUTT;
}

static enum pdf_line_join
join_of(enum dl_join j)
{
	return j == DL_JOIN_ROUND ? PDF_JOIN_ROUND : j == DL_JOIN_BEVEL ? PDF_JOIN_BEVEL :
	    PDF_JOIN_MITER;
}

static bool
whole(double v)
{
	return fabs(v - floor(v + 0.5)) < 1e-9;
}

/* The scale that makes `s`'s dash exact enough for libharu (see the top). */
static double
dash_scale(const struct dl_style *s, const struct dl_path *p)
{
	double maxd = 0;
	bool all_whole = whole(s->dash_phase);
	for (int i = 0; i < s->ndash; i++) {
		if (s->dash[i] > maxd)
			maxd = s->dash[i];
		all_whole = all_whole && whole(s->dash[i]) && s->dash[i] >= 1;
	}
	if (all_whole && maxd <= 100)
		return 1;
	double maxc = 1;
	for (size_t i = 0; i < 2 * p->npts; i++)
		if (fabs(p->pts[i]) > maxc)
			maxc = fabs(p->pts[i]);
	static const double ks[] = {32, 25, 20, 16, 10, 8, 5, 4, 2};
	for (size_t i = 0; i < ARRAY_LEN(ks); i++)
		if (maxd * ks[i] <= 100.49 && maxc * ks[i] <= 32000)
			return ks[i];
	return 1;
}

enum paint { PAINT_FILL = 1, PAINT_STROKE = 2 };

/* Builds and paints `p` with `s`'s stroke settings (colours and alpha
 * already set). */
static void
paint_path(struct pdf_doc *doc, const struct dl_path *p, const struct dl_style *s, int how)
{
	double k = 1;
	bool dashed = (how & PAINT_STROKE) && s->ndash > 0;
	if (how & PAINT_STROKE) {
		pdf_set_line_cap(doc, cap_of(s->cap));
		pdf_set_line_join(doc, join_of(s->join));
	}
	if (dashed) {
		k = dash_scale(s, p);
		double d[DL_MAX_DASH];
		for (int i = 0; i < s->ndash; i++)
			d[i] = s->dash[i] * k;
		if (k != 1) {
			pdf_save_state(doc);
			pdf_concat(doc, 1 / k, 0, 0, 1 / k, 0, 0);
		}
		pdf_set_dash(doc, d, s->ndash, s->dash_phase * k);
	} else if (how & PAINT_STROKE) {
		pdf_set_dash(doc, NULL, 0, 0);
	}
	if (how & PAINT_STROKE)
		pdf_set_line_width(doc, s->line_width * k);
	emit_path(doc, p, k);
	if (how == (PAINT_FILL | PAINT_STROKE))
		pdf_fill_stroke(doc, false);
	else if (how == PAINT_FILL)
		pdf_fill(doc, false);
	else
		pdf_stroke(doc);
	if (k != 1)
		pdf_restore_state(doc);
}

/* Bounding box of the path's points (control points included: larger than
 * the curve, which is all hatching needs). */
static void
path_bbox(const struct dl_path *p, double *x0, double *y0, double *x1, double *y1)
{
	*x0 = *y0 = INFINITY;
	*x1 = *y1 = -INFINITY;
	for (size_t i = 0; i < p->npts; i++) {
		double x = p->pts[2 * i], y = p->pts[2 * i + 1];
		*x0 = fmin(*x0, x);
		*x1 = fmax(*x1, x);
		*y0 = fmin(*y0, y);
		*y1 = fmax(*y1, y);
	}
}

/* Lines x*ux + y*uy = c for c at multiples of `step` through the box. */
static void
hatch_lines(struct pdf_doc *doc, double x0, double y0, double x1, double y1, double ux,
    double uy, double step)
{
	double c[4] = {x0 * ux + y0 * uy, x1 * ux + y0 * uy, x0 * ux + y1 * uy, x1 * ux + y1 * uy};
	double cmin = fmin(fmin(c[0], c[1]), fmin(c[2], c[3]));
	double cmax = fmax(fmax(c[0], c[1]), fmax(c[2], c[3]));
	long first = (long)ceil(cmin / step), last = (long)floor(cmax / step);
	for (long i = first; i <= last; i++) {
		double v = (double)i * step;
		if (uy == 0) { /* vertical lines x = v / ux */
			pdf_move_to(doc, v / ux, y0);
			pdf_line_to(doc, v / ux, y1);
		} else { /* y = (v - x ux) / uy at both ends of the box */
			pdf_move_to(doc, x0, (v - x0 * ux) / uy);
			pdf_line_to(doc, x1, (v - x1 * ux) / uy);
		}
	}
}

static void
draw_hatch(struct pdf_doc *doc, const struct dl_path *p, const struct dl_style *s)
{
	double sp = s->hatch_spacing > 0.5 ? s->hatch_spacing : 0.5;
	double x0, y0, x1, y1;
	path_bbox(p, &x0, &y0, &x1, &y1);
	if (!((x1 - x0) / sp * ((y1 - y0) / sp) < 1e6))
		return; /* a runaway spacing or an empty box: nothing sensible to draw */
	pdf_save_state(doc);
	emit_path(doc, p, 1);
	pdf_clip(doc, false);
	pdf_set_stroke_color(doc, rgb(s->stroke_color));
	pdf_set_alpha(doc, s->fill_alpha, s->stroke_alpha);
	double w = sp / 4 < 1 ? sp / 4 : 1;
	const double r2 = 1.41421356237309504880;
	if (s->hatch == DL_HATCH_DOTS) {
		for (double y = ceil(y0 / sp) * sp; y <= y1; y += sp)
			for (double x = ceil(x0 / sp) * sp; x <= x1; x += sp)
				pdf_dot(doc, x, y, w * 1.5);
		pdf_restore_state(doc);
		return;
	}
	pdf_set_line_width(doc, w);
	pdf_set_line_cap(doc, PDF_CAP_BUTT);
	pdf_set_dash(doc, NULL, 0, 0);
	switch (s->hatch) {
	case DL_HATCH_DIAGONAL: /* '/': x - y constant */
		hatch_lines(doc, x0, y0, x1, y1, 1, -1, sp * r2);
		break;
	case DL_HATCH_BACK_DIAGONAL: /* '\': x + y constant */
		hatch_lines(doc, x0, y0, x1, y1, 1, 1, sp * r2);
		break;
	case DL_HATCH_CROSS:
		hatch_lines(doc, x0, y0, x1, y1, 1, -1, sp * r2);
		hatch_lines(doc, x0, y0, x1, y1, 1, 1, sp * r2);
		break;
	case DL_HATCH_HORIZONTAL:
		hatch_lines(doc, x0, y0, x1, y1, 0, 1, sp);
		break;
	case DL_HATCH_VERTICAL:
		hatch_lines(doc, x0, y0, x1, y1, 1, 0, sp);
		break;
	default:
		break;
	}
	pdf_stroke(doc);
	pdf_restore_state(doc);
}

/* ------------------------------------------------------------ items */

static void
draw_path_item(struct pdf_doc *doc, const struct dl_item *it)
{
	const struct dl_path *p = &it->path;
	const struct dl_style *s = &it->style;
	if (p->nsegs == 0 || !dl_path_finite(p))
		return;
	bool fill = s->fill;
	bool stroke = s->stroke && s->line_width > 0;
	bool hatch = s->hatch != DL_HATCH_NONE;
	if (!fill && !stroke && !hatch)
		return;
	pdf_set_alpha(doc, s->fill_alpha, s->stroke_alpha);
	if (fill)
		pdf_set_fill_color(doc, rgb(s->fill_color));
	if (stroke)
		pdf_set_stroke_color(doc, rgb(s->stroke_color));
	if (!hatch) {
		paint_path(doc, p, s, (fill ? PAINT_FILL : 0) | (stroke ? PAINT_STROKE : 0));
		return;
	}
	/* matplotlib's order: face, hatch over it, edge on top. */
	if (fill)
		paint_path(doc, p, s, PAINT_FILL);
	draw_hatch(doc, p, s);
	if (stroke)
		paint_path(doc, p, s, PAINT_STROKE);
}

static void
draw_text_item(struct pdf_doc *doc, const struct dl_text *t)
{
	if (t->utf8 == NULL || t->utf8[0] == '\0' || !(t->size > 0) || !isfinite(t->x) ||
	    !isfinite(t->y))
		return;
	struct pdf_text_style st = text_style(t->font, t->size);
	st.color = rgb(t->color);
	st.alpha = t->alpha;
	st.angle = isfinite(t->angle) ? t->angle : 0;
	double ascent, descent, dx, dy;
	double w = pdf_text_width_styled(doc, &st, t->utf8);
	pdf_font_metrics(doc, st.role, t->size, &ascent, &descent);
	dl_text_offset(t, w, ascent, descent, &dx, &dy);
	double a = st.angle * (3.14159265358979323846 / 180.0);
	double c = cos(a), s = sin(a);
	pdf_text_styled(doc, t->x + dx * c - dy * s, t->y + dx * s + dy * c, &st, t->utf8);
}

static void
draw_markers_item(struct pdf_doc *doc, const struct dl_markers *m)
{
	const struct dl_style *s = &m->style;
	if (m->n == 0 || !(m->size > 0))
		return;
	bool lines = m->shape == DL_MARKER_CROSS || m->shape == DL_MARKER_PLUS;
	bool fill = s->fill && !lines;
	bool edge = s->stroke && s->line_width > 0 && !lines;

	if (m->shape == DL_MARKER_CIRCLE && fill && !edge) {
		pdf_set_alpha(doc, s->fill_alpha, s->fill_alpha);
		for (size_t i = 0; i < m->n; i++) {
			double x = m->xy[2 * i], y = m->xy[2 * i + 1];
			if (!isfinite(x) || !isfinite(y))
				continue;
			pdf_set_stroke_color(doc, rgb(m->fill[i]));
			pdf_dot(doc, x, y, m->size);
		}
		return;
	}

	struct dl_path p = dl_path_empty();
	struct dl_style ls = *s;
	int how;
	if (lines) {
		ls.line_width = s->line_width > 0 ? s->line_width : 1;
		ls.cap = DL_CAP_BUTT;
		ls.ndash = 0;
		pdf_set_alpha(doc, s->fill_alpha, s->fill_alpha);
		how = PAINT_STROKE;
	} else {
		if (!fill && !edge)
			return;
		ls.ndash = 0;
		ls.join = DL_JOIN_MITER;
		pdf_set_alpha(doc, s->fill_alpha, s->stroke_alpha);
		if (edge)
			pdf_set_stroke_color(doc, rgb(s->stroke_color));
		how = (fill ? PAINT_FILL : 0) | (edge ? PAINT_STROKE : 0);
	}
	for (size_t i = 0; i < m->n; i++) {
		double x = m->xy[2 * i], y = m->xy[2 * i + 1];
		if (!isfinite(x) || !isfinite(y))
			continue;
		if (lines)
			pdf_set_stroke_color(doc, rgb(m->fill[i]));
		else if (fill)
			pdf_set_fill_color(doc, rgb(m->fill[i]));
		p.nsegs = p.npts = 0; /* reuse the arrays */
		dl_marker_path(&p, m->shape, x, y, m->size);
		paint_path(doc, &p, &ls, how);
	}
	dl_path_free(&p);
}

static void
draw_ramp_item(struct pdf_doc *doc, const struct dl_ramp *r)
{
	if (r->n == 0)
		return;
	double h = (r->y1 - r->y0) / (double)r->n;
	double overlap = r->alpha >= 1 ? fmin(0.5, fabs(h)) : 0;
	if (h < 0)
		overlap = -overlap;
	pdf_set_alpha(doc, r->alpha, r->alpha);
	for (size_t i = 0; i < r->n; i++) {
		double y = r->y0 + (double)i * h;
		double bh = h + (i + 1 < r->n ? overlap : 0);
		pdf_set_fill_color(doc, rgb(r->colors[i]));
		pdf_rect_path(doc, r->x0, y, r->x1 - r->x0, bh);
		pdf_fill(doc, false);
	}
}

bool
plot_pdf_draw(struct pdf_doc *doc, const struct dlist *dl, double x, double y)
{
	if (!pdf_ok(doc) || pdf_page_count(doc) == 0)
		return false;
	pdf_save_state(doc);
	if (x != 0 || y != 0)
		pdf_concat(doc, 1, 0, 0, 1, x, y);
	int depth = 0;
	for (size_t i = 0; i < dl->n && pdf_ok(doc); i++) {
		const struct dl_item *it = &dl->items[i];
		switch (it->kind) {
		case DL_ITEM_PATH:
			draw_path_item(doc, it);
			break;
		case DL_ITEM_TEXT:
			draw_text_item(doc, &it->text);
			break;
		case DL_ITEM_MARKERS:
			draw_markers_item(doc, &it->markers);
			break;
		case DL_ITEM_RAMP:
			draw_ramp_item(doc, &it->ramp);
			break;
		case DL_ITEM_CLIP_PUSH:
			pdf_save_state(doc);
			depth++;
			if (it->path.nsegs > 0 && dl_path_finite(&it->path)) {
				emit_path(doc, &it->path, 1);
				pdf_clip(doc, false);
			} else { /* an empty clip region hides everything */
				pdf_rect_path(doc, 0, 0, 0, 0);
				pdf_clip(doc, false);
			}
			break;
		case DL_ITEM_CLIP_POP:
			if (depth > 0) {
				pdf_restore_state(doc);
				depth--;
			}
			break;
		case DL_ITEM_GROUP:
			break;
		}
	}
	while (depth-- > 0)
		pdf_restore_state(doc);
	pdf_restore_state(doc);
	return pdf_ok(doc);
}

bool
plot_pdf_write(const struct dlist *dl, const struct report_config *cfg, const char *path)
{
	struct pdf_doc *doc = pdf_new_sized(cfg, dl->width, dl->height);
	if (doc == NULL)
		return false;
	bool ok = pdf_add_page(doc) && plot_pdf_draw(doc, dl, 0, 0) && pdf_save(doc, path);
	pdf_free(doc);
	return ok;
}
