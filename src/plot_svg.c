/* plot_svg: display list -> SVG 1.1 (see plot_svg.h).
 *
 * Nesting.  Clip pushes and group labels both open <g> elements, which must
 * nest properly.  A stack records what is open: a group label first closes
 * the group on top of the stack (if a group is on top), then opens its own
 * group, nested in any clip still open; a clip pop closes everything down to
 * and including its clip (groups begun inside the clip end with it).  The
 * end of the list closes whatever is left. */
#include "plot_svg.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "util.h"

struct svg {
	FILE *out;
	const struct dlist *dl;
	const struct dl_metrics *metrics;
	double h; /* figure height, for flipping y */
	/* open <g> elements: 'g' a group, 'c' a clip */
	char *stack;
	size_t depth, cap;
	unsigned next_clip, next_group;
	/* hatch patterns defined so far */
	struct hatch_def {
		enum dl_hatch kind;
		double spacing, width, alpha;
		uint32_t color;
	} *hatches;
	size_t nhatches;
};

/* ------------------------------------------------------------ output */

/* A number with at most 3 decimals, trailing zeros dropped, no "-0". */
static void
num(FILE *out, double v)
{
	if (!isfinite(v))
		v = 0; /* items with such points are skipped; this is a last resort */
	char buf[64];
	snprintf(buf, sizeof buf, "%.3f", v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	fputs(strcmp(buf, "-0") == 0 ? "0" : buf, out);
}

static void
xy(struct svg *s, double x, double y)
{
	num(s->out, x);
	fputc(' ', s->out);
	num(s->out, s->h - y);
}

static void
color(FILE *out, struct dl_color c)
{
	fprintf(out, "#%06x", (unsigned)dl_color_packed(c));
}

static double
clamp01(double v)
{
	return v > 0 ? (v < 1 ? v : 1) : 0;
}

/* ` name="v"` unless v is 1 (the default). */
static void
opacity(FILE *out, const char *name, double v)
{
	v = clamp01(v);
	if (v >= 1)
		return;
	fprintf(out, " %s=\"", name);
	num(out, v);
	fputc('"', out);
}

static void
put_utf8(FILE *out, uint32_t c)
{
	if (c < 0x80) {
		fputc((int)c, out);
	} else if (c < 0x800) {
		fputc((int)(0xC0 | (c >> 6)), out);
		fputc((int)(0x80 | (c & 0x3F)), out);
	} else if (c < 0x10000) {
		fputc((int)(0xE0 | (c >> 12)), out);
		fputc((int)(0x80 | ((c >> 6) & 0x3F)), out);
		fputc((int)(0x80 | (c & 0x3F)), out);
	} else {
		fputc((int)(0xF0 | (c >> 18)), out);
		fputc((int)(0x80 | ((c >> 12) & 0x3F)), out);
		fputc((int)(0x80 | ((c >> 6) & 0x3F)), out);
		fputc((int)(0x80 | (c & 0x3F)), out);
	}
}

/* XML character data or attribute value: escaped, valid UTF-8, no
 * characters XML 1.0 forbids (controls; tab and newline become spaces). */
static void
xml_text(FILE *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p) {
		uint32_t c = utf8_next(&p);
		switch (c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\t':
		case '\n':
		case '\r':
			fputc(' ', out);
			break;
		default:
			if (c < 0x20 || c == 0xFFFE || c == 0xFFFF)
				break;
			put_utf8(out, c);
		}
	}
}

static void
path_data(struct svg *s, const struct dl_path *p)
{
	const double *pt = p->pts;
	for (size_t i = 0; i < p->nsegs; i++) {
		if (i > 0)
			fputc(' ', s->out);
		switch (p->segs[i]) {
		case DL_MOVE:
			fputs("M", s->out);
			xy(s, pt[0], pt[1]);
			pt += 2;
			break;
		case DL_LINE:
			fputs("L", s->out);
			xy(s, pt[0], pt[1]);
			pt += 2;
			break;
		case DL_CURVE:
			fputs("C", s->out);
			xy(s, pt[0], pt[1]);
			fputc(' ', s->out);
			xy(s, pt[2], pt[3]);
			fputc(' ', s->out);
			xy(s, pt[4], pt[5]);
			pt += 6;
			break;
		case DL_CLOSE:
			fputs("Z", s->out);
			break;
		}
	}
}

/* ------------------------------------------------------------ nesting */

static void
indent(struct svg *s)
{
	for (size_t i = 0; i <= s->depth; i++)
		fputc(' ', s->out);
}

static void
push(struct svg *s, char kind)
{
	if (s->depth == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->stack = xrealloc(s->stack, s->cap);
	}
	s->stack[s->depth++] = kind;
}

static void
close_top(struct svg *s)
{
	s->depth--;
	indent(s);
	fputs("</g>\n", s->out);
}

static void
begin_group(struct svg *s, const char *label)
{
	if (s->depth > 0 && s->stack[s->depth - 1] == 'g')
		close_top(s);
	indent(s);
	fprintf(s->out, "<g id=\"g%u", ++s->next_group);
	/* An ASCII slug of the label keeps the id a valid, readable name. */
	bool dash = true; /* a '-' goes before the next letter or digit */
	for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
		int c = *p;
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash)
				fputc('-', s->out);
			fputc(c, s->out);
			dash = false;
		} else {
			dash = true;
		}
	}
	fputs("\" class=\"group\"><desc>", s->out);
	xml_text(s->out, label);
	fputs("</desc>\n", s->out);
	push(s, 'g');
}

static void
begin_clip(struct svg *s, const struct dl_path *p)
{
	unsigned id = ++s->next_clip;
	indent(s);
	fprintf(s->out, "<defs><clipPath id=\"clip%u\"><path d=\"", id);
	if (p->nsegs > 0 && dl_path_finite(p))
		path_data(s, p);
	else
		fputs("M0 0Z", s->out); /* an empty region: everything is clipped */
	fputs("\"/></clipPath></defs>\n", s->out);
	indent(s);
	fprintf(s->out, "<g clip-path=\"url(#clip%u)\">\n", id);
	push(s, 'c');
}

static void
end_clip(struct svg *s)
{
	size_t k = s->depth;
	while (k > 0 && s->stack[k - 1] != 'c')
		k--;
	if (k == 0)
		return; /* no clip open: an unbalanced pop is ignored */
	while (s->depth >= k)
		close_top(s);
}

/* ------------------------------------------------------------ items */

static const char *const cap_names[] = {"butt", "round", "square"};
static const char *const join_names[] = {"miter", "round", "bevel"};

static void
stroke_attrs(struct svg *s, const struct dl_style *st)
{
	FILE *out = s->out;
	fputs(" stroke=\"", out);
	color(out, st->stroke_color);
	fputs("\" stroke-width=\"", out);
	num(out, st->line_width);
	fputc('"', out);
	opacity(out, "stroke-opacity", st->stroke_alpha);
	if ((unsigned)st->cap < 3 && st->cap != DL_CAP_BUTT)
		fprintf(out, " stroke-linecap=\"%s\"", cap_names[st->cap]);
	if ((unsigned)st->join < 3 && st->join != DL_JOIN_MITER)
		fprintf(out, " stroke-linejoin=\"%s\"", join_names[st->join]);
	else
		fputs(" stroke-miterlimit=\"10\"", out); /* PDF's default, not SVG's 4 */
	if (st->ndash > 0) {
		fputs(" stroke-dasharray=\"", out);
		for (int i = 0; i < st->ndash && i < DL_MAX_DASH; i++) {
			if (i > 0)
				fputc(',', out);
			num(out, st->dash[i] > 0 ? st->dash[i] : 0);
		}
		fputc('"', out);
		if (st->dash_phase != 0) {
			fputs(" stroke-dashoffset=\"", out);
			num(out, st->dash_phase);
			fputc('"', out);
		}
	}
}

/* The id of the pattern for `st`'s hatch, defined here on first use.  The
 * pattern lives in figure coordinates (patternTransform flips y), so lines
 * sit at multiples of the spacing from the figure's origin as in the PDF. */
static size_t
hatch_pattern(struct svg *s, const struct dl_style *st)
{
	double sp = st->hatch_spacing > 0.5 ? st->hatch_spacing : 0.5;
	double w = sp / 4 < 1 ? sp / 4 : 1;
	struct hatch_def def = {st->hatch, sp, w, clamp01(st->stroke_alpha),
	    dl_color_packed(st->stroke_color)};
	for (size_t i = 0; i < s->nhatches; i++) {
		const struct hatch_def *h = &s->hatches[i];
		if (h->kind == def.kind && h->spacing == def.spacing && h->width == def.width &&
		    h->alpha == def.alpha && h->color == def.color)
			return i + 1;
	}
	s->hatches = xrealloc(s->hatches, (s->nhatches + 1) * sizeof *s->hatches);
	s->hatches[s->nhatches++] = def;
	size_t id = s->nhatches;
	FILE *out = s->out;

	const char *rotate = "";
	if (def.kind == DL_HATCH_DIAGONAL || def.kind == DL_HATCH_CROSS)
		rotate = " rotate(45)";
	else if (def.kind == DL_HATCH_BACK_DIAGONAL)
		rotate = " rotate(-45)";
	indent(s);
	fprintf(out, "<defs><pattern id=\"hatch%zu\" patternUnits=\"userSpaceOnUse\" width=\"", id);
	num(out, sp);
	fputs("\" height=\"", out);
	num(out, sp);
	fputs("\" patternTransform=\"matrix(1 0 0 -1 0 ", out);
	num(out, s->h);
	fprintf(out, ")%s\">", rotate);
	if (def.kind == DL_HATCH_DOTS) {
		fputs("<g fill=\"", out);
		fprintf(out, "#%06x\"", (unsigned)def.color);
		opacity(out, "fill-opacity", def.alpha);
		fputc('>', out);
		/* a dot at each corner: the four quarters make whole dots */
		for (int k = 0; k < 4; k++) {
			fputs("<circle cx=\"", out);
			num(out, (k & 1) ? sp : 0);
			fputs("\" cy=\"", out);
			num(out, (k & 2) ? sp : 0);
			fputs("\" r=\"", out);
			num(out, w * 0.75);
			fputs("\"/>", out);
		}
	} else {
		fprintf(out, "<g fill=\"none\" stroke=\"#%06x\" stroke-width=\"", (unsigned)def.color);
		num(out, w);
		fputc('"', out);
		opacity(out, "stroke-opacity", def.alpha);
		fputs("><path d=\"", out);
		/* lines on both tile edges: each half shows, together whole lines */
		bool horizontal = def.kind != DL_HATCH_VERTICAL;
		bool vertical = def.kind == DL_HATCH_VERTICAL || def.kind == DL_HATCH_CROSS;
		if (horizontal) {
			fputs("M0 0H", out);
			num(out, sp);
			fputs("M0 ", out);
			num(out, sp);
			fputc('H', out);
			num(out, sp);
		}
		if (vertical) {
			fputs("M0 0V", out);
			num(out, sp);
			fputc('M', out);
			num(out, sp);
			fputs(" 0V", out);
			num(out, sp);
		}
		fputs("\"/>", out);
	}
	fputs("</g></pattern></defs>\n", out);
	return id;
}

static void
path_item(struct svg *s, const struct dl_item *it)
{
	const struct dl_path *p = &it->path;
	const struct dl_style *st = &it->style;
	FILE *out = s->out;
	if (p->nsegs == 0 || !dl_path_finite(p))
		return;
	bool fill = st->fill;
	bool stroke = st->stroke && st->line_width > 0;
	bool hatch = st->hatch != DL_HATCH_NONE;
	if (!fill && !stroke && !hatch)
		return;
	size_t pattern = hatch ? hatch_pattern(s, st) : 0;

	/* With a hatch: face, hatch, edge, as three elements (matplotlib's
	 * order); without: one element. */
	for (int pass = 0; pass < 3; pass++) {
		bool f = false, k = false, h = false;
		if (!hatch) {
			if (pass > 0)
				break;
			f = fill;
			k = stroke;
		} else if (pass == 0) {
			f = fill;
		} else if (pass == 1) {
			h = true;
		} else {
			k = stroke;
		}
		if (!f && !k && !h)
			continue;
		indent(s);
		fputs("<path d=\"", out);
		path_data(s, p);
		fputc('"', out);
		if (h) {
			fprintf(out, " fill=\"url(#hatch%zu)\"", pattern);
		} else if (f) {
			fputs(" fill=\"", out);
			color(out, st->fill_color);
			fputc('"', out);
			opacity(out, "fill-opacity", st->fill_alpha);
		} else {
			fputs(" fill=\"none\"", out);
		}
		if (k)
			stroke_attrs(s, st);
		fputs("/>\n", out);
	}
}

static const char *
font_family(enum dl_font f)
{
	switch (f) {
	case DL_FONT_SERIF:
		return "'DejaVu Serif', 'AR PL UMing CN', serif";
	case DL_FONT_MONO:
		return "'DejaVu Sans Mono', monospace";
	default:
		return "'WenQuanYi Micro Hei', 'DejaVu Sans', sans-serif";
	}
}

static void
text_item(struct svg *s, const struct dl_text *t)
{
	FILE *out = s->out;
	if (t->utf8 == NULL || t->utf8[0] == '\0' || !(t->size > 0) || !isfinite(t->x) ||
	    !isfinite(t->y))
		return;
	double angle = isfinite(t->angle) ? t->angle : 0;
	indent(s);
	fputs("<text x=\"", out);
	num(out, t->x);
	fputs("\" y=\"", out);
	num(out, s->h - t->y);
	fprintf(out, "\" font-family=\"%s\" font-size=\"", font_family(t->font));
	num(out, t->size);
	fputc('"', out);
	if (t->font == DL_FONT_SANS_BOLD)
		fputs(" font-weight=\"bold\"", out);
	if (t->halign == DL_CENTER)
		fputs(" text-anchor=\"middle\"", out);
	else if (t->halign == DL_RIGHT)
		fputs(" text-anchor=\"end\"", out);
	if (s->metrics && t->valign != DL_BASELINE) {
		double ascent = 0, descent = 0, dx, dy;
		s->metrics->vertical(s->metrics->ctx, t->font, t->size, &ascent, &descent);
		dl_text_offset(t, 0, ascent, descent, &dx, &dy);
		fputs(" dy=\"", out);
		num(out, -dy); /* SVG's y points down */
		fputc('"', out);
	} else if (t->valign == DL_TOP) {
		fputs(" dominant-baseline=\"text-before-edge\"", out);
	} else if (t->valign == DL_MIDDLE) {
		fputs(" dominant-baseline=\"central\"", out);
	} else if (t->valign == DL_BOTTOM) {
		fputs(" dominant-baseline=\"text-after-edge\"", out);
	}
	fputs(" fill=\"", out);
	color(out, t->color);
	fputc('"', out);
	opacity(out, "fill-opacity", t->alpha);
	if (angle != 0) {
		fputs(" transform=\"rotate(", out);
		num(out, -angle); /* counter-clockwise on a y-down canvas */
		fputc(' ', out);
		num(out, t->x);
		fputc(' ', out);
		num(out, s->h - t->y);
		fputs(")\"", out);
	}
	/* Keep runs of spaces as drawn in the PDF. */
	if (strstr(t->utf8, "  ") || t->utf8[0] == ' ' || t->utf8[strlen(t->utf8) - 1] == ' ')
		fputs(" xml:space=\"preserve\"", out);
	fputc('>', out);
	xml_text(out, t->utf8);
	fputs("</text>\n", out);
}

static void
markers_item(struct svg *s, const struct dl_markers *m)
{
	FILE *out = s->out;
	const struct dl_style *st = &m->style;
	if (m->n == 0 || !(m->size > 0))
		return;
	bool lines = m->shape == DL_MARKER_CROSS || m->shape == DL_MARKER_PLUS;
	bool fill = st->fill && !lines;
	bool edge = st->stroke && st->line_width > 0 && !lines;
	if (!lines && !fill && !edge)
		return;

	indent(s);
	fputs("<g", out);
	if (lines) {
		fputs(" fill=\"none\" stroke-width=\"", out);
		num(out, st->line_width > 0 ? st->line_width : 1);
		fputc('"', out);
		opacity(out, "stroke-opacity", st->fill_alpha);
	} else {
		if (!fill)
			fputs(" fill=\"none\"", out);
		else
			opacity(out, "fill-opacity", st->fill_alpha);
		if (edge) {
			struct dl_style es = *st;
			es.ndash = 0;
			es.cap = DL_CAP_BUTT;
			es.join = DL_JOIN_MITER;
			stroke_attrs(s, &es);
		}
	}
	fputs(">\n", out);
	struct dl_path p = dl_path_empty();
	for (size_t i = 0; i < m->n; i++) {
		double x = m->xy[2 * i], y = m->xy[2 * i + 1];
		if (!isfinite(x) || !isfinite(y))
			continue;
		indent(s);
		if (m->shape == DL_MARKER_CIRCLE) {
			fputs(" <circle cx=\"", out);
			num(out, x);
			fputs("\" cy=\"", out);
			num(out, s->h - y);
			fputs("\" r=\"", out);
			num(out, m->size / 2);
			fputc('"', out);
		} else {
			p.nsegs = p.npts = 0;
			dl_marker_path(&p, m->shape, x, y, m->size);
			fputs(" <path d=\"", out);
			path_data(s, &p);
			fputc('"', out);
		}
		fputs(lines ? " stroke=\"" : fill ? " fill=\"" : "", out);
		if (lines || fill) {
			color(out, m->fill[i]);
			fputc('"', out);
		}
		fputs("/>\n", out);
	}
	dl_path_free(&p);
	indent(s);
	fputs("</g>\n", out);
}

static void
ramp_item(struct svg *s, const struct dl_ramp *r)
{
	FILE *out = s->out;
	if (r->n == 0)
		return;
	double h = (r->y1 - r->y0) / (double)r->n;
	double overlap = r->alpha >= 1 ? fmin(0.5, fabs(h)) : 0;
	double x0 = fmin(r->x0, r->x1), w = fabs(r->x1 - r->x0);
	indent(s);
	fputs("<g", out);
	opacity(out, "fill-opacity", r->alpha);
	fputs(">\n", out);
	for (size_t i = 0; i < r->n; i++) {
		double ya = r->y0 + (double)i * h, yb = ya + h;
		if (i + 1 < r->n)
			yb += h < 0 ? -overlap : overlap;
		double lo = fmin(ya, yb), hi = fmax(ya, yb);
		indent(s);
		fputs(" <rect x=\"", out);
		num(out, x0);
		fputs("\" y=\"", out);
		num(out, s->h - hi);
		fputs("\" width=\"", out);
		num(out, w);
		fputs("\" height=\"", out);
		num(out, hi - lo);
		fputs("\" fill=\"", out);
		color(out, r->colors[i]);
		fputs("\"/>\n", out);
	}
	indent(s);
	fputs("</g>\n", out);
}

void
plot_svg_print(FILE *out, const struct dlist *dl, const struct dl_metrics *metrics)
{
	struct svg s = {.out = out, .dl = dl, .metrics = metrics, .h = dl->height};
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"", out);
	num(out, dl->width);
	fputs("pt\" height=\"", out);
	num(out, dl->height);
	fputs("pt\" viewBox=\"0 0 ", out);
	num(out, dl->width);
	fputc(' ', out);
	num(out, dl->height);
	fputs("\">\n", out);
	for (size_t i = 0; i < dl->n; i++) {
		const struct dl_item *it = &dl->items[i];
		switch (it->kind) {
		case DL_ITEM_PATH:
			path_item(&s, it);
			break;
		case DL_ITEM_TEXT:
			text_item(&s, &it->text);
			break;
		case DL_ITEM_MARKERS:
			markers_item(&s, &it->markers);
			break;
		case DL_ITEM_RAMP:
			ramp_item(&s, &it->ramp);
			break;
		case DL_ITEM_CLIP_PUSH:
			begin_clip(&s, &it->path);
			break;
		case DL_ITEM_CLIP_POP:
			end_clip(&s);
			break;
		case DL_ITEM_GROUP:
			begin_group(&s, it->group ? it->group : "");
			break;
		}
	}
	while (s.depth > 0)
		close_top(&s);
	fputs("</svg>\n", out);
	free(s.stack);
	free(s.hatches);
}

/* ------------------------------------------------------------ files */

struct svg_file {
	const struct dlist *dl;
	const struct dl_metrics *metrics;
};

static bool
fill_svg(FILE *f, const void *arg)
{
	const struct svg_file *sf = arg;
	plot_svg_print(f, sf->dl, sf->metrics);
	return true;
}

bool
plot_svg_write_metrics(const struct dlist *dl, const struct dl_metrics *metrics,
    const char *path)
{
	struct svg_file sf = {dl, metrics};
	return atomicfile_write(path, fill_svg, &sf);
}

bool
plot_svg_write(const struct dlist *dl, const char *path)
{
	return plot_svg_write_metrics(dl, NULL, path);
}
