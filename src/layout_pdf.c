/* layout_pdf: laid-out pages -> PDF (see layout_pdf.h).
 *
 * Drawing happens in three passes over ld: the pages are created first and
 * every destination box defined, so that a link may point forward (the
 * contents page links to every section); then each page's boxes are drawn in
 * order; the bookmarks come last, as they name destinations. */
#include "layout_pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_pdf.h"
#include "util.h"

/* ------------------------------------------------------------ fonts */

static struct pdf_rgb
rgb(struct lay_color c)
{
	return (struct pdf_rgb){c.r, c.g, c.b};
}

static struct pdf_text_style
lay_style(enum lay_font font, double size, struct pdf_rgb color)
{
	struct pdf_text_style st = pdf_text_style_plain(PDF_FONT_CJK_SERIF, size, color);
	st.latin = PDF_LATIN_NONE;
	switch (font) {
	case LAY_SERIF:
		st.latin = PDF_FONT_LATIN_SERIF;
		break;
	case LAY_SERIF_ITALIC:
		st.latin = PDF_FONT_LATIN_ITALIC;
		break;
	case LAY_SERIF_BOLD:
		st.latin = PDF_FONT_LATIN_BOLD;
		st.bold = true; /* for the CJK runs only: pdf_text_spaced */
		break;
	case LAY_SANS:
		st.role = PDF_FONT_CJK_SANS;
		break;
	case LAY_SANS_BOLD:
		st.role = PDF_FONT_CJK_SANS;
		st.bold = true;
		break;
	case LAY_MONO:
		st.role = PDF_FONT_MONO;
		break;
	case LAY_MATH_ROMAN:
		st.role = PDF_FONT_LATIN_SERIF;
		break;
	case LAY_MATH_ITALIC:
		st.role = PDF_FONT_LATIN_ITALIC;
		break;
	case LAY_MATH_BOLD:
		st.role = PDF_FONT_LATIN_BOLD;
		break;
	case LAY_MATH_SYMBOL:
		st.role = PDF_FONT_MATH;
		st.latin = PDF_FONT_LATIN_SERIF;
		break;
	case LAY_FONT_COUNT:
		break;
	}
	return st;
}

/* The role whose own font's ascent and descent stand for the role's text:
 * the face most of its glyphs come from. */
static enum pdf_font_role
lay_vertical_role(enum lay_font font)
{
	switch (font) {
	case LAY_SANS:
	case LAY_SANS_BOLD:
		return PDF_FONT_CJK_SANS;
	case LAY_MONO:
		return PDF_FONT_MONO;
	case LAY_MATH_ROMAN:
	case LAY_MATH_SYMBOL:
		return PDF_FONT_LATIN_SERIF;
	case LAY_MATH_ITALIC:
		return PDF_FONT_LATIN_ITALIC;
	case LAY_MATH_BOLD:
		return PDF_FONT_LATIN_BOLD;
	default:
		return PDF_FONT_CJK_SERIF;
	}
}

/* FreeSerif's vertical bar stops at the baseline and reads as an 'l'
 * ("q(zlx)"), so in the roles whose Latin face is the serif a '|' is set
 * from the math face instead: a full bar that descends like the
 * parentheses.  Text is handled in pieces: runs without '|', and single
 * bars. */
static bool
bar_swapped(enum lay_font font)
{
	return font != LAY_SANS && font != LAY_SANS_BOLD && font != LAY_MONO;
}

static struct pdf_text_style
bar_style(const struct pdf_text_style *st)
{
	struct pdf_text_style bar = *st;
	bar.role = PDF_FONT_MATH;
	bar.latin = PDF_LATIN_NONE;
	bar.bold = false;
	return bar;
}

struct piece {
	char *s;  /* NUL-terminated copy, in buf or allocated */
	size_t len;
	bool bar;
	char buf[256];
};

/* The piece of utf8[0..len) starting at *pos, or false at the end. */
static bool
next_piece(const char *utf8, size_t len, size_t *pos, bool swap, struct piece *pc)
{
	if (pc->s != pc->buf)
		free(pc->s);
	pc->s = pc->buf;
	if (*pos >= len)
		return false;
	size_t start = *pos, end;
	if (swap && utf8[start] == '|') {
		end = start + 1;
		pc->bar = true;
	} else {
		const char *bar = swap ? memchr(utf8 + start, '|', len - start) : NULL;
		end = bar ? (size_t)(bar - utf8) : len;
		pc->bar = false;
	}
	pc->len = end - start;
	if (pc->len >= sizeof pc->buf)
		pc->s = xmalloc(pc->len + 1);
	memcpy(pc->s, utf8 + start, pc->len);
	pc->s[pc->len] = '\0';
	*pos = end;
	return true;
}

static double
text_width(struct pdf_doc *doc, enum lay_font font, double size, const char *utf8, size_t len)
{
	if (len == 0 || (unsigned)font >= LAY_FONT_COUNT)
		return 0;
	struct pdf_text_style st = lay_style(font, size, (struct pdf_rgb){0, 0, 0});
	struct pdf_text_style bar = bar_style(&st);
	struct piece pc;
	pc.s = pc.buf;
	size_t pos = 0;
	double w = 0;
	while (next_piece(utf8, len, &pos, bar_swapped(font), &pc))
		w += pdf_text_width_styled(doc, pc.bar ? &bar : &st, pc.s);
	return w;
}

/* Characters Tc applies to (the code points of s). */
static size_t
char_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
text_draw(struct pdf_doc *doc, const struct lay_box *b)
{
	struct pdf_text_style st = lay_style(b->font, b->size, rgb(b->color));
	struct pdf_text_style bar = bar_style(&st);
	struct piece pc;
	pc.s = pc.buf;
	size_t pos = 0, len = strlen(b->text);
	double x = b->x;
	while (next_piece(b->text, len, &pos, bar_swapped(b->font), &pc)) {
		const struct pdf_text_style *ps = pc.bar ? &bar : &st;
		pdf_text_spaced(doc, x, b->y, ps, b->spacing, pc.s);
		if (pos < len)
			x += pdf_text_width_styled(doc, ps, pc.s) + b->spacing * (double)char_count(pc.s);
	}
}

/* Ink extent and last glyph's overhang of utf8 in `font`. */
static void
text_ink(struct pdf_doc *doc, enum lay_font font, double size, const char *utf8, double *top,
    double *bottom, double *overhang)
{
	struct pdf_text_style st = lay_style(font, size, (struct pdf_rgb){0, 0, 0});
	struct pdf_text_style bar = bar_style(&st);
	struct piece pc;
	pc.s = pc.buf;
	size_t pos = 0;
	double t = 0, b = 0, o = 0;
	bool any = false;
	while (next_piece(utf8, strlen(utf8), &pos, bar_swapped(font), &pc)) {
		double pt, pb;
		pdf_text_ink(doc, pc.bar ? &bar : &st, pc.s, &pt, &pb, &o);
		if (pt == 0 && pb == 0)
			continue; /* blank */
		t = any && t > pt ? t : pt;
		b = any && b < pb ? b : pb;
		any = true;
	}
	if (top)
		*top = t;
	if (bottom)
		*bottom = b;
	if (overhang)
		*overhang = o;
}

static double
lay_width(void *ctx, enum lay_font font, double size, const char *utf8, size_t len)
{
	return text_width(ctx, font, size, utf8, len);
}

static bool
lay_ink_x(void *ctx, enum lay_font font, double size, const char *utf8, size_t len,
    double *left, double *right)
{
	if (len == 0 || (unsigned)font >= LAY_FONT_COUNT)
		return false;
	struct pdf_text_style st = lay_style(font, size, (struct pdf_rgb){0, 0, 0});
	char *t = xstrndup(utf8, len);
	bool ok = pdf_text_ink_x(ctx, &st, t, left, right) && *right > *left;
	free(t);
	return ok;
}

static void
lay_vertical(void *ctx, enum lay_font font, double size, double *ascent, double *descent)
{
	pdf_font_metrics(ctx, lay_vertical_role(font), size, ascent, descent);
}

static double
math_width(void *ctx, enum math_font font, double size, const char *utf8)
{
	if (utf8 == NULL)
		return 0;
	return text_width(ctx, lay_math_font(font), size, utf8, strlen(utf8));
}

static void
math_vertical(void *ctx, enum math_font font, double size, double *ascent, double *descent)
{
	pdf_font_metrics(ctx, lay_vertical_role(lay_math_font(font)), size, ascent, descent);
}

static void
math_ink(void *ctx, enum math_font font, double size, const char *utf8, double *top,
    double *bottom)
{
	text_ink(ctx, lay_math_font(font), size, utf8 ? utf8 : "", top, bottom, NULL);
}

static double
math_italic(void *ctx, enum math_font font, double size, const char *utf8)
{
	double over = 0;
	if (utf8 != NULL && utf8[0] != '\0')
		text_ink(ctx, lay_math_font(font), size, utf8, NULL, NULL, &over);
	return over;
}

/* A large operator's display form: the math font's first vertical variant
 * at least its DisplayOperatorMinHeight tall (what xelatex sets), drawn
 * through a glyph slot.  Only for symbols drawn with the math font's
 * role, and only when the math font has a MATH table. */
static bool
math_display_op(void *ctx, enum math_font font, double size, const char *utf8, char *out,
    double *italic)
{
	const unsigned char *p = (const unsigned char *)utf8;
	if (font != MATH_SYMBOL || p == NULL || (p[0] & 0xF0) != 0xE0 || p[3] != '\0')
		return false; /* one BMP character of three bytes: the operators */
	uint32_t cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	double min = pdf_math_constant(ctx, PDF_FONT_MATH, MATHFONT_DISPLAY_OPERATOR_MIN_HEIGHT, 0);
	double ic;
	if (min <= 0 || !pdf_math_variant(ctx, PDF_FONT_MATH, cp, min, out, &ic, NULL))
		return false;
	*italic = ic * size;
	return true;
}

/* A delimiter's larger form: the math font's first vertical variant at
 * least `need` tall; none when even its largest is shorter (texmath then
 * builds it from pieces or rules). */
static bool
math_delimiter(void *ctx, double size, const char *utf8, double need, char *out)
{
	const unsigned char *p = (const unsigned char *)utf8;
	uint32_t cp;
	if (p == NULL || p[0] == 0)
		return false;
	if (p[0] < 0x80 && p[1] == 0)
		cp = p[0];
	else if ((p[0] & 0xF0) == 0xE0 && p[3] == 0)
		cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	else
		return false;
	double h;
	if (size <= 0 || !pdf_math_variant(ctx, PDF_FONT_MATH, cp, need / size, out, NULL, &h))
		return false;
	return h * size >= need;
}

void
layout_pdf_metrics(struct pdf_doc *doc, struct lay_metrics *out, struct math_metrics *math,
    struct dl_metrics *figs)
{
	/* Latin, digits and Greek inside Chinese text from the Latin face, also
	 * for whoever draws with the plain cjk_serif role (figures' serif text) */
	pdf_set_latin_font(doc, PDF_FONT_CJK_SERIF, PDF_FONT_LATIN_SERIF);
	math->ctx = doc;
	math->width = math_width;
	math->vertical = math_vertical;
	math->ink = math_ink;
	math->italic = math_italic;
	math->display_op = math_display_op;
	math->delimiter = math_delimiter;
	plot_pdf_metrics(doc, figs);
	out->ctx = doc;
	out->width = lay_width;
	out->vertical = lay_vertical;
	out->math = math;
	out->figures = figs;
	out->hyphenate = NULL; /* the caller's dictionary, if any */
	out->hctx = NULL;
	out->ink_x = lay_ink_x;
}

/* ------------------------------------------------------------ drawing */

static bool
draw_figure(struct pdf_doc *doc, const struct lay_box *b)
{
	const struct dlist *dl = b->figure;
	if (dl == NULL)
		return true;
	bool scaled = b->w > 0 && b->h > 0 && dl->width > 0 && dl->height > 0 &&
	    (fabs(b->w - dl->width) > 0.005 || fabs(b->h - dl->height) > 0.005);
	if (!scaled)
		return plot_pdf_draw(doc, dl, b->x, b->y);
	return pdf_save_state(doc) &&
	    pdf_concat(doc, b->w / dl->width, 0, 0, b->h / dl->height, b->x, b->y) &&
	    plot_pdf_draw(doc, dl, 0, 0) && pdf_restore_state(doc);
}

static void
draw_box(struct pdf_doc *doc, const struct lay_box *b)
{
	switch (b->kind) {
	case LAY_TEXT:
		if (b->text && b->text[0] && (unsigned)b->font < LAY_FONT_COUNT && b->size > 0)
			text_draw(doc, b);
		break;
	case LAY_RULE:
		if (b->w > 0 && b->h > 0)
			pdf_fill_rect(doc, b->x, b->y, b->w, b->h, rgb(b->color));
		break;
	case LAY_FRAME:
		if (b->filled)
			pdf_fill_rect(doc, b->x, b->y, b->w, b->h, rgb(b->fill));
		if (b->line_width > 0)
			pdf_stroke_rect(doc, b->x, b->y, b->w, b->h, b->line_width, rgb(b->color));
		break;
	case LAY_FIGURE:
		draw_figure(doc, b);
		break;
	case LAY_LINK:
		if (b->text && b->text[0]) {
			if (b->uri)
				pdf_uri_link(doc, b->x, b->y, b->w, b->h, b->text);
			else
				pdf_link(doc, b->x, b->y, b->w, b->h, b->text);
		}
		break;
	case LAY_DEST:
		break; /* defined before drawing */
	case LAY_SPAN_BEGIN:
		pdf_begin_actual_text(doc, b->text ? b->text : "");
		break;
	case LAY_SPAN_END:
		pdf_end_actual_text(doc);
		break;
	}
}

static bool
is_ideograph(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static bool
is_ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A heading's bookmark text: on the page a quarter-em gap separates Chinese
 * from Latin letters and digits ("VAE变体" reads "VAE 变体"); a bookmark is
 * plain text, so the gap becomes a space.  Caller frees. */
static char *
outline_title(const char *title)
{
	struct strbuf b = {0};
	const unsigned char *p = (const unsigned char *)title;
	uint32_t prev = 0;
	while (*p) {
		const unsigned char *start = p;
		uint32_t c = utf8_next(&p);
		if ((is_ideograph(prev) && is_ascii_alnum(c)) || (is_ascii_alnum(prev) && is_ideograph(c)))
			strbuf_puts(&b, " ");
		strbuf_putn(&b, (const char *)start, (size_t)(p - start));
		prev = c;
	}
	return b.s ? b.s : xstrdup("");
}

bool
layout_pdf_draw(struct pdf_doc *doc, const struct lay_document *ld)
{
	if (!pdf_ok(doc) || ld == NULL)
		return false;
	int first = pdf_page_count(doc);
	for (size_t p = 0; p < ld->npages; p++)
		if (!pdf_add_page(doc))
			return false;

	double height = pdf_page_height(doc);
	for (size_t p = 0; p < ld->npages; p++) {
		const struct lay_page *pg = &ld->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind != LAY_DEST || b->text == NULL)
				continue;
			double top = b->y < height ? b->y : height;
			pdf_add_dest(doc, first + (int)p, top, b->text);
		}
	}

	for (size_t p = 0; p < ld->npages; p++) {
		const struct lay_page *pg = &ld->pages[p];
		if (!pdf_select_page(doc, first + (int)p))
			return false;
		for (size_t i = 0; i < pg->n; i++)
			draw_box(doc, &pg->boxes[i]);
	}

	for (size_t i = 0; i < ld->noutlines; i++) {
		const struct lay_outline *o = &ld->outlines[i];
		if (o->title == NULL)
			continue;
		const char *dest = o->dest;
		char page_dest[32];
		if (dest == NULL || !pdf_has_dest(doc, dest)) {
			if (o->page < 0 || (size_t)o->page >= ld->npages)
				continue;
			snprintf(page_dest, sizeof page_dest, "page:%d", o->page + 1);
			if (!pdf_has_dest(doc, page_dest))
				pdf_add_dest(doc, first + o->page, height, page_dest);
			dest = page_dest;
		}
		char *title = outline_title(o->title);
		pdf_add_outline(doc, o->level, title, dest, o->level <= 1);
		free(title);
	}
	if (ld->npages > 0)
		pdf_set_open_view(doc);
	return pdf_ok(doc);
}
