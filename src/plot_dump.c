/* plot_dump: display list -> golden text (format in plot_dump.h). */
#include "plot_dump.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* "%.2f" with a stable sign for values that round to zero. */
static void
num(FILE *out, double v)
{
	if (isnan(v)) {
		fputs("nan", out);
		return;
	}
	if (isinf(v)) {
		fputs(v > 0 ? "inf" : "-inf", out);
		return;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "%.2f", v);
	fputs(strcmp(buf, "-0.00") == 0 ? "0.00" : buf, out);
}

static void
point(FILE *out, const double *xy)
{
	num(out, xy[0]);
	fputc(',', out);
	num(out, xy[1]);
}

static void
hex(FILE *out, struct dl_color c)
{
	fprintf(out, "#%02x%02x%02x", dl_color_byte(c.r), dl_color_byte(c.g), dl_color_byte(c.b));
}

static void
paint(FILE *out, bool on, struct dl_color c, double alpha)
{
	if (!on) {
		fputs("none", out);
		return;
	}
	hex(out, c);
	fputc('@', out);
	num(out, alpha);
}

static void
quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '\\':
			fputs("\\\\", out);
			break;
		case '"':
			fputs("\\\"", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\x%02x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void
segments(FILE *out, const struct dl_path *p)
{
	if (p->nsegs == 0) {
		fputs("empty", out);
		return;
	}
	const double *pt = p->pts;
	for (size_t i = 0; i < p->nsegs; i++) {
		if (i > 0)
			fputc(' ', out);
		switch (p->segs[i]) {
		case DL_MOVE:
			fputs("M ", out);
			point(out, pt);
			pt += 2;
			break;
		case DL_LINE:
			fputs("L ", out);
			point(out, pt);
			pt += 2;
			break;
		case DL_CURVE:
			fputs("C ", out);
			point(out, pt);
			fputc(' ', out);
			point(out, pt + 2);
			fputc(' ', out);
			point(out, pt + 4);
			pt += 6;
			break;
		case DL_CLOSE:
			fputc('Z', out);
			break;
		}
	}
}

static const char *const cap_names[] = {"butt", "round", "square"};
static const char *const join_names[] = {"miter", "round", "bevel"};
static const char *const hatch_names[] = {"none", "diagonal", "back-diagonal", "cross",
	"horizontal", "vertical", "dots"};
static const char *const font_names[] = {"sans", "sans-bold", "serif", "mono"};
static const char *const halign_names[] = {"left", "center", "right"};
static const char *const valign_names[] = {"baseline", "bottom", "middle", "top"};
static const char *const shape_names[] = {"circle", "square", "triangle", "diamond", "cross",
	"plus"};

#define NAME(table, v) ((unsigned)(v) < ARRAY_LEN(table) ? (table)[v] : "?")

static void
style(FILE *out, const struct dl_style *s)
{
	bool stroke = s->stroke && s->line_width > 0;
	fputs("fill=", out);
	paint(out, s->fill, s->fill_color, s->fill_alpha);
	fputs(" stroke=", out);
	paint(out, stroke, s->stroke_color, s->stroke_alpha);
	if (stroke) {
		fputs(" lw=", out);
		num(out, s->line_width);
		fprintf(out, " cap=%s join=%s dash=", NAME(cap_names, s->cap),
		    NAME(join_names, s->join));
		if (s->ndash <= 0) {
			fputs("solid", out);
		} else {
			for (int i = 0; i < s->ndash && i < DL_MAX_DASH; i++) {
				if (i > 0)
					fputc(',', out);
				num(out, s->dash[i]);
			}
			fputc('+', out);
			num(out, s->dash_phase);
		}
	}
	if (s->hatch != DL_HATCH_NONE) {
		fprintf(out, " hatch=%s/", NAME(hatch_names, s->hatch));
		num(out, s->hatch_spacing);
	}
}

static void
markers(FILE *out, const struct dl_markers *m)
{
	const struct dl_style *s = &m->style;
	bool stroke = s->stroke && s->line_width > 0;
	fprintf(out, "markers %zu %s size=", m->n, NAME(shape_names, m->shape));
	num(out, m->size);
	fputs(" fill=", out);
	paint(out, s->fill, s->fill_color, s->fill_alpha);
	fputs(" stroke=", out);
	paint(out, stroke, s->stroke_color, s->stroke_alpha);
	if (stroke) {
		fputs(" lw=", out);
		num(out, s->line_width);
	}
	if (m->n > 0) {
		fputs(" first=", out);
		point(out, m->xy);
		fputs(" last=", out);
		point(out, m->xy + 2 * (m->n - 1));
	}
	/* Distinct colours in order of first appearance: a bitmap of the 2^24
	 * colours keeps this linear for large scatter plots. */
	unsigned char *seen = xcalloc(1u << 21, 1);
	uint32_t *order = xmalloc((m->n ? m->n : 1) * sizeof *order);
	size_t nseen = 0;
	for (size_t i = 0; i < m->n; i++) {
		uint32_t c = dl_color_packed(m->fill[i]);
		if (!(seen[c >> 3] & (1u << (c & 7)))) {
			seen[c >> 3] |= (unsigned char)(1u << (c & 7));
			order[nseen++] = c;
		}
	}
	fprintf(out, " colors=%zu:", nseen);
	for (size_t k = 0; k < nseen; k++)
		fprintf(out, "%s#%06x", k > 0 ? "," : "", (unsigned)order[k]);
	free(order);
	free(seen);
}

void
plot_dump(FILE *out, const struct dlist *dl)
{
	fputs("dlist ", out);
	num(out, dl->width);
	fputc(' ', out);
	num(out, dl->height);
	fputc('\n', out);
	for (size_t i = 0; i < dl->n; i++) {
		const struct dl_item *it = &dl->items[i];
		switch (it->kind) {
		case DL_ITEM_GROUP:
			fputs("group ", out);
			quoted(out, it->group);
			break;
		case DL_ITEM_CLIP_PUSH:
			fputs("clip ", out);
			segments(out, &it->path);
			break;
		case DL_ITEM_CLIP_POP:
			fputs("unclip", out);
			break;
		case DL_ITEM_PATH:
			fputs("path ", out);
			style(out, &it->style);
			fputs(": ", out);
			segments(out, &it->path);
			break;
		case DL_ITEM_TEXT: {
			const struct dl_text *t = &it->text;
			fprintf(out, "text %s ", NAME(font_names, t->font));
			num(out, t->size);
			fprintf(out, " %s/%s at ", NAME(halign_names, t->halign),
			    NAME(valign_names, t->valign));
			num(out, t->x);
			fputc(',', out);
			num(out, t->y);
			fputs(" angle=", out);
			num(out, t->angle);
			fputs(" color=", out);
			paint(out, true, t->color, t->alpha);
			fputc(' ', out);
			quoted(out, t->utf8);
			break;
		}
		case DL_ITEM_MARKERS:
			markers(out, &it->markers);
			break;
		case DL_ITEM_RAMP: {
			const struct dl_ramp *r = &it->ramp;
			fprintf(out, "ramp %zu box=", r->n);
			num(out, r->x0);
			fputc(',', out);
			num(out, r->y0);
			fputc(',', out);
			num(out, r->x1);
			fputc(',', out);
			num(out, r->y1);
			fputs(" alpha=", out);
			num(out, r->alpha);
			if (r->n > 0) {
				fputs(" colors=", out);
				hex(out, r->colors[0]);
				fputc(',', out);
				hex(out, r->colors[r->n / 2]);
				fputc(',', out);
				hex(out, r->colors[r->n - 1]);
			}
			break;
		}
		}
		fputc('\n', out);
	}
}
