/* layout_pdf.h: font mapping and metrics, and a hand-made laid-out document
 * (every box kind, every font role, links, destinations, bookmarks) drawn
 * and saved.  With LAYOUT_PDF_OUT=FILE the document is kept there for the
 * outside checks of tests/check-layout-pdf.sh (pdffonts, pdftotext, mutool,
 * gs, qpdf); the bytes themselves are not checked here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "dlist.h"
#include "layout.h"
#include "layout_pdf.h"
#include "pdf.h"

static struct pdf_doc *
new_doc(void)
{
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	return d;
}

/* ------------------------------------------------------------ fonts */

/* The glyphs the handout's math and marks need are drawable in the roles
 * they are set in. */
static void
test_coverage(void **state)
{
	(void)state;
	struct pdf_doc *d = new_doc();
	static const char symbols[] = "∂∫∑≥≤≈⊙∇∼‖·→←∞²₁₂θφβμσε✓✗−×∈ℝ½⟨⟩∝";
	static const enum pdf_font_role roles[] = {PDF_FONT_CJK_SERIF, PDF_FONT_CJK_SANS,
	    PDF_FONT_LATIN_SERIF, PDF_FONT_LATIN_ITALIC, PDF_FONT_LATIN_BOLD,
	    PDF_FONT_LATIN_BOLD_ITALIC, PDF_FONT_MATH, PDF_FONT_MONO, PDF_FONT_SYMBOL};
	const unsigned char *p = (const unsigned char *)symbols;
	while (*p) {
		uint32_t cp;
		int n = *p < 0xE0 ? 2 : 3;
		cp = n == 2 ? ((uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F)) :
		    ((uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F));
		for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++)
			if (!pdf_has_glyph(d, roles[r], cp)) {
				print_error("U+%04X missing in %s\n", (unsigned)cp,
				    pdf_font_role_key(roles[r]));
				fail();
			}
		p += n;
	}
	assert_string_equal(pdf_font_role_key(PDF_FONT_MATH), "fonts.math");
	assert_string_equal(pdf_font_role_key(PDF_FONT_LATIN_BOLD_ITALIC), "fonts.latin_bold_italic");
	pdf_free(d);
}

static void
test_metrics(void **state)
{
	(void)state;
	struct pdf_doc *d = new_doc();
	struct lay_metrics m;
	struct math_metrics mm;
	struct dl_metrics fm;
	layout_pdf_metrics(d, &m, &mm, &fm);
	assert_ptr_equal(m.math, &mm);
	assert_ptr_equal(m.figures, &fm);
	assert_ptr_equal(m.ctx, d);

	/* Latin inside the body text is the Latin face's */
	double latin = pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "ELBO");
	assert_true(m.width(m.ctx, LAY_SERIF, 10, "ELBO", 4) == latin);
	/* the length is honoured: no terminator needed */
	assert_true(m.width(m.ctx, LAY_SERIF, 10, "ELBO and more", 4) == latin);
	assert_true(m.width(m.ctx, LAY_SERIF, 10, "x", 0) == 0);
	/* ideographs are one em in every serif style */
	assert_true(m.width(m.ctx, LAY_SERIF, 10, "模型", strlen("模型")) == 20.0);
	assert_true(m.width(m.ctx, LAY_SERIF_BOLD, 10, "模型", strlen("模型")) == 20.0);
	assert_true(m.width(m.ctx, LAY_SANS, 10, "模型", strlen("模型")) == 20.0);
	/* italic, bold and upright Latin differ */
	double up = m.width(m.ctx, LAY_SERIF, 10, "Variational", 11);
	double it = m.width(m.ctx, LAY_SERIF_ITALIC, 10, "Variational", 11);
	double bf = m.width(m.ctx, LAY_SERIF_BOLD, 10, "Variational", 11);
	assert_true(up > 0 && it > 0 && bf > 0 && up != it && up != bf);
	/* monospace: every character the same advance */
	assert_true(m.width(m.ctx, LAY_MONO, 10, "iiii", 4) == m.width(m.ctx, LAY_MONO, 10, "MMMM", 4));
	/* long text (beyond the stack buffer) */
	char longtext[2000];
	memset(longtext, 'a', sizeof longtext);
	assert_true(m.width(m.ctx, LAY_SERIF, 10, longtext, sizeof longtext) ==
	    sizeof longtext * m.width(m.ctx, LAY_SERIF, 10, "a", 1));

	/* math fonts map onto the layout's math roles */
	assert_true(mm.width(mm.ctx, MATH_ITALIC, 10, "x") == m.width(m.ctx, LAY_MATH_ITALIC, 10, "x", 1));
	assert_true(mm.width(mm.ctx, MATH_ROMAN, 10, "x") == m.width(m.ctx, LAY_MATH_ROMAN, 10, "x", 1));
	assert_true(mm.width(mm.ctx, MATH_ITALIC, 10, "x") != mm.width(mm.ctx, MATH_ROMAN, 10, "x"));
	assert_true(mm.width(mm.ctx, MATH_SYMBOL, 10, "∑") > 0);
	assert_true(mm.width(mm.ctx, MATH_CJK, 10, "若") == 10.0);
	assert_true(mm.width(mm.ctx, MATH_BOLD, 10, "x") != mm.width(mm.ctx, MATH_ROMAN, 10, "x"));
	double asc, desc;
	mm.vertical(mm.ctx, MATH_ITALIC, 10, &asc, &desc);
	assert_true(asc > 5 && asc < 12 && desc < 0 && desc > -5);
	m.vertical(m.ctx, LAY_SERIF, 10, &asc, &desc);
	assert_true(asc > 5 && asc < 12 && desc < 0 && desc > -5);

	/* ink: the minus floats above the baseline, x sits on it below the
	 * ascenders, g descends, a space has none; italic f overhangs */
	assert_non_null(mm.ink);
	assert_non_null(mm.italic);
	double top, bot, ftop, fbot;
	mm.ink(mm.ctx, MATH_ROMAN, 10, "−", &top, &bot);
	assert_true(bot > 0 && top > bot && top < 4);
	mm.ink(mm.ctx, MATH_ITALIC, 10, "x", &top, &bot);
	mm.ink(mm.ctx, MATH_ITALIC, 10, "f", &ftop, &fbot);
	assert_true(top > 3 && top < 5 && bot > -0.5 && bot <= 0.2);
	assert_true(ftop > top && fbot < -1);
	mm.ink(mm.ctx, MATH_ROMAN, 10, "g", &top, &bot);
	assert_true(bot < -1);
	mm.ink(mm.ctx, MATH_ROMAN, 10, " ", &top, &bot);
	assert_true(top == 0 && bot == 0);
	mm.ink(mm.ctx, MATH_ROMAN, 10, "", &top, &bot);
	assert_true(top == 0 && bot == 0);
	assert_true(mm.italic(mm.ctx, MATH_ITALIC, 10, "f") > 0.3);
	assert_true(mm.italic(mm.ctx, MATH_ROMAN, 10, "x") == 0);
	assert_true(mm.italic(mm.ctx, MATH_ITALIC, 10, "") == 0);
	/* ∑ at display size is taller than at text size */
	mm.ink(mm.ctx, MATH_SYMBOL, 10, "∑", &top, &bot);
	mm.ink(mm.ctx, MATH_SYMBOL, 20, "∑", &ftop, &fbot);
	assert_true(ftop > top && top > 5);

	/* a '|' in the serif roles is the math face's full bar (FreeSerif's
	 * stops at the baseline, like an 'l') */
	struct pdf_text_style bar = pdf_text_style_plain(PDF_FONT_MATH, 10, (struct pdf_rgb){0, 0, 0});
	double wbar = pdf_text_width_styled(d, &bar, "|");
	assert_true(m.width(m.ctx, LAY_SERIF, 10, "|", 1) == wbar);
	assert_true(m.width(m.ctx, LAY_SERIF, 10, "p(y|x)", 6) ==
	    m.width(m.ctx, LAY_SERIF, 10, "p(y", 3) + wbar + m.width(m.ctx, LAY_SERIF, 10, "x)", 2));
	assert_true(mm.width(mm.ctx, MATH_ROMAN, 10, "|") == wbar);
	assert_true(m.width(m.ctx, LAY_MONO, 10, "|", 1) == m.width(m.ctx, LAY_MONO, 10, "x", 1));
	mm.ink(mm.ctx, MATH_ROMAN, 10, "z|x", &top, &bot);
	assert_true(bot < -1);

	/* display forms of large operators: the math font's variant, whose
	 * ink is at least DisplayOperatorMinHeight tall (1.333 em; ∫ gets
	 * integral.v2, 1.494 em of ink, italic correction 0.171 em), taller
	 * than the text ∫; none for symbols without variants or other fonts */
	assert_non_null(mm.display_op);
	char form[MATH_GLYPH_MAX];
	double ic = -1;
	double min = pdf_math_constant(d, PDF_FONT_MATH, MATHFONT_DISPLAY_OPERATOR_MIN_HEIGHT, 0);
	assert_true(min > 1.3 && min < 1.4);
	for (int i = 0; i < 8; i++) {
		const char *op = (const char *[]){"∫", "∬", "∭", "∮", "∑", "∏", "⋃", "⋂"}[i];
		assert_true(mm.display_op(mm.ctx, MATH_SYMBOL, 10, op, form, &ic));
		mm.ink(mm.ctx, MATH_SYMBOL, 10, form, &top, &bot);
		mm.ink(mm.ctx, MATH_SYMBOL, 10, op, &ftop, &fbot);
		assert_true(top - bot >= min * 10 - 0.01);
		assert_true(top - bot > ftop - fbot);
		assert_true(mm.width(mm.ctx, MATH_SYMBOL, 10, form) > 0);
	}
	assert_true(mm.display_op(mm.ctx, MATH_SYMBOL, 10, "∫", form, &ic));
	assert_true(ic > 1.70 && ic < 1.72);
	mm.ink(mm.ctx, MATH_SYMBOL, 10, form, &top, &bot);
	assert_true(top > 10.21 && top < 10.23 && bot < -4.71 && bot > -4.73);
	assert_false(mm.display_op(mm.ctx, MATH_SYMBOL, 10, "≥", form, &ic));
	assert_false(mm.display_op(mm.ctx, MATH_ROMAN, 10, "∑", form, &ic));
	assert_false(mm.display_op(mm.ctx, MATH_SYMBOL, 10, "x", form, &ic));

	/* grown delimiters: the first variant at least as tall as needed
	 * ([ needing 2 em: bracketleft.v5, 2.161 em); none beyond the largest
	 * (2.583 em) or for a character without variants */
	assert_non_null(mm.delimiter);
	assert_true(mm.delimiter(mm.ctx, 10, "[", 20, form));
	mm.ink(mm.ctx, MATH_SYMBOL, 10, form, &top, &bot);
	assert_true(top - bot > 20 && top - bot < 21.7);
	assert_true(mm.delimiter(mm.ctx, 10, "(", 12, form));
	assert_true(mm.delimiter(mm.ctx, 10, "‖", 12, form));
	assert_false(mm.delimiter(mm.ctx, 10, "[", 26, form));
	assert_false(mm.delimiter(mm.ctx, 10, "x", 12, form));
	assert_false(mm.delimiter(mm.ctx, 10, "", 12, form));

	/* the figures' metrics are plot_pdf's */
	assert_true(fm.text_width(fm.ctx, DL_FONT_SANS, 10, "模型") == 20.0);
	assert_true(pdf_ok(d));
	pdf_free(d);
}

/* ------------------------------------------------------------ a document */

static struct lay_box *
add(struct lay_document *ld, size_t page, enum lay_box_kind kind, double x, double y, double w,
    double h)
{
	struct lay_page *pg = &ld->pages[page];
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? 2 * pg->cap : 16;
		pg->boxes = realloc(pg->boxes, pg->cap * sizeof *pg->boxes);
		assert_non_null(pg->boxes);
	}
	struct lay_box *b = &pg->boxes[pg->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	return b;
}

static void
text(struct lay_document *ld, const struct lay_metrics *m, size_t page, double x, double y,
    enum lay_font font, double size, const char *s)
{
	struct lay_box *b = add(ld, page, LAY_TEXT, x, y, 0, 0);
	b->font = font;
	b->size = size;
	b->text = strdup(s);
	b->w = m->width(m->ctx, font, size, s, strlen(s));
}

static void
named(struct lay_document *ld, size_t page, enum lay_box_kind kind, double x, double y,
    double w, double h, const char *name, bool uri)
{
	struct lay_box *b = add(ld, page, kind, x, y, w, h);
	b->text = strdup(name);
	b->uri = uri;
}

static void
outline(struct lay_document *ld, int level, const char *title, const char *dest, int page)
{
	ld->outlines = realloc(ld->outlines, (ld->noutlines + 1) * sizeof *ld->outlines);
	assert_non_null(ld->outlines);
	ld->outlines[ld->noutlines++] = (struct lay_outline){level, strdup(title),
	    dest ? strdup(dest) : NULL, page};
}

static void
free_doc(struct lay_document *ld)
{
	for (size_t p = 0; p < ld->npages; p++) {
		for (size_t i = 0; i < ld->pages[p].n; i++)
			free(ld->pages[p].boxes[i].text);
		free(ld->pages[p].boxes);
	}
	free(ld->pages);
	for (size_t i = 0; i < ld->noutlines; i++) {
		free(ld->outlines[i].title);
		free(ld->outlines[i].dest);
	}
	free(ld->outlines);
	free(ld);
}

static struct dlist *
small_figure(void)
{
	struct dlist *dl = dlist_new(200, 100);
	struct dl_path p = dl_path_empty();
	dl_path_rect(&p, 10, 10, 180, 80);
	struct dl_style st = dl_style_default();
	st.fill = true;
	st.fill_color = (struct dl_color){0.85, 0.9, 1.0};
	dlist_path(dl, &p, &st);
	struct dl_text t = {.utf8 = "判别器 D(x)", .font = DL_FONT_SANS, .size = 9, .x = 100, .y = 50,
	    .halign = DL_CENTER, .valign = DL_MIDDLE, .alpha = 1};
	dlist_text(dl, &t);
	return dl;
}

/* Two A4 pages: a contents line linking to page 2, text in every role,
 * justified text, rules, a frame, a web link; page 2 a scaled and an
 * unscaled figure under headings with destinations. */
static struct lay_document *
sample_doc(const struct lay_metrics *m, const struct dlist *fig)
{
	struct lay_document *ld = calloc(1, sizeof *ld);
	assert_non_null(ld);
	ld->width = 595.276;
	ld->height = 841.89;
	ld->npages = 2;
	ld->pages = calloc(2, sizeof *ld->pages);
	assert_non_null(ld->pages);

	double L = 70.87, y = 770;
	named(ld, 0, LAY_DEST, L, y + 24, 0, 0, "sec:intro", false);
	text(ld, m, 0, L, y, LAY_SANS_BOLD, 18, "1 生成模型概述 🚀");
	y -= 30;
	text(ld, m, 0, L, y, LAY_SANS, 11, "目录");
	y -= 16;
	const char *toc = "2 变分自编码器（VAE）";
	text(ld, m, 0, L, y, LAY_SERIF, 10, toc);
	text(ld, m, 0, 500, y, LAY_SERIF, 10, "2");
	named(ld, 0, LAY_LINK, L, y - 3, 453, 13, "sec:vae", false);
	y -= 24;
	text(ld, m, 0, L, y, LAY_SERIF, 10, "生成模型学习数据分布 p(x)，判别模型学习 p(y|x)。");
	y -= 16;
	text(ld, m, 0, L, y, LAY_SERIF_ITALIC, 10, "Variational Autoencoder");
	text(ld, m, 0, L + 150, y, LAY_SERIF_BOLD, 10, "重要 Bold 结论");
	text(ld, m, 0, L + 260, y, LAY_SERIF_BOLD, 10, "");
	y -= 16;
	text(ld, m, 0, L, y, LAY_MONO, 9, "kl.at_mean = 0.2");
	y -= 16;
	/* a formula: italic variables, upright digits and operators, symbols */
	double x = L;
	struct {
		enum lay_font f;
		const char *s;
	} formula[] = {{LAY_MATH_ITALIC, "x"}, {LAY_MATH_ROMAN, " = "}, {LAY_MATH_ITALIC, "μ"},
	    {LAY_MATH_ROMAN, " + "}, {LAY_MATH_ITALIC, "σ"}, {LAY_MATH_SYMBOL, " ⊙ "},
	    {LAY_MATH_ITALIC, "ε"}, {LAY_MATH_BOLD, "  z"}};
	for (size_t i = 0; i < sizeof formula / sizeof formula[0]; i++) {
		text(ld, m, 0, x, y, formula[i].f, 11, formula[i].s);
		x += m->width(m->ctx, formula[i].f, 11, formula[i].s, strlen(formula[i].s));
	}
	y -= 18;
	text(ld, m, 0, L, y, LAY_MATH_SYMBOL, 11, "∂ ∫ ∑ ≥ ≤ ≈ ∇ ∼ ‖ · → ← ∞");
	y -= 18;
	text(ld, m, 0, L, y, LAY_MATH_ROMAN, 11, "θ φ β μ σ ε x² x₁ x₂ ✓ ✗ ❌");
	y -= 18;
	/* a justified line: 0.5 pt after every character */
	struct lay_box *b;
	text(ld, m, 0, L, y, LAY_SERIF, 10, "两端对齐的一行，字间距为半点。");
	b = &ld->pages[0].boxes[ld->pages[0].n - 1];
	b->spacing = 0.5;
	b->color = (struct lay_color){0.1, 0.1, 0.5};
	y -= 20;
	b = add(ld, 0, LAY_RULE, L, y, 453, 0.8);
	y -= 50;
	b = add(ld, 0, LAY_FRAME, L, y, 453, 40);
	b->filled = true;
	b->fill = (struct lay_color){0.95, 0.95, 0.9};
	b->line_width = 0.5;
	b->color = (struct lay_color){0.4, 0.4, 0.4};
	text(ld, m, 0, L + 8, y + 16, LAY_SERIF, 10, "注：见 https://arxiv.org/abs/1312.6114");
	named(ld, 0, LAY_LINK, L + 40, y + 13, 200, 13, "https://arxiv.org/abs/1312.6114", true);
	/* a link to nowhere is left out */
	named(ld, 0, LAY_LINK, L, y - 20, 50, 10, "sec:nowhere", false);

	y = 770;
	named(ld, 1, LAY_DEST, L, y + 24, 0, 0, "sec:vae", false);
	text(ld, m, 1, L, y, LAY_SANS_BOLD, 16, "2 变分自编码器（VAE）");
	y -= 20;
	named(ld, 1, LAY_DEST, L, y + 14, 0, 0, "sec:elbo", false);
	text(ld, m, 1, L, y, LAY_SANS, 12, "2.1 ELBO 推导");
	y -= 120;
	b = add(ld, 1, LAY_FIGURE, L, y, fig->width, fig->height);
	b->figure = fig;
	named(ld, 1, LAY_DEST, L, y + fig->height, 0, 0, "fig:one", false);
	text(ld, m, 1, L, y - 16, LAY_SERIF, 9.5, "图 1：判别器");
	y -= 240;
	b = add(ld, 1, LAY_FIGURE, L, y, 2 * fig->width, 2 * fig->height);
	b->figure = fig;
	text(ld, m, 1, L, y - 16, LAY_SERIF, 9.5, "图 2：放大的判别器");
	named(ld, 1, LAY_LINK, L, y - 19, 60, 13, "fig:one", false);

	outline(ld, 1, "1 生成模型概述 🚀", "sec:intro", 0);
	outline(ld, 1, "2 变分自编码器（VAE）", "sec:vae", 1);
	outline(ld, 2, "2.1 ELBO 推导", "sec:elbo", 1);
	outline(ld, 3, "图 1：判别器", NULL, 1); /* no destination: top of page 2 */
	outline(ld, 1, "参考文献", "sec:missing", 0);
	return ld;
}

static bool
write_sample(const char *path)
{
	struct pdf_doc *d = new_doc();
	struct lay_metrics m;
	struct math_metrics mm;
	struct dl_metrics fm;
	layout_pdf_metrics(d, &m, &mm, &fm);
	struct dlist *fig = small_figure();
	struct lay_document *ld = sample_doc(&m, fig);
	struct pdf_info info = {"生成模型理论", "讲义作者", "生成模型讲义", "生成模型, VAE, GAN"};
	bool ok = pdf_set_info(d, &info) && layout_pdf_draw(d, ld) && pdf_page_count(d) == 2 &&
	    pdf_has_dest(d, "sec:vae") && pdf_has_dest(d, "fig:one") && pdf_has_dest(d, "page:2") &&
	    !pdf_has_dest(d, "sec:nowhere") && pdf_save(d, path);
	free_doc(ld);
	dlist_free(fig);
	pdf_free(d);
	return ok;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
test_draw(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_layout_pdf.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char a[64], b[64];
	snprintf(a, sizeof a, "%s/a.pdf", dir);
	snprintf(b, sizeof b, "%s/b.pdf", dir);
	assert_true(write_sample(a));
	assert_true(write_sample(b));
	assert_string_equal(captured_so_far(), ""); /* no missing glyph */

	size_t la, lb;
	char *pa = slurp(a, &la), *pb = slurp(b, &lb);
	assert_true(la == lb && memcmp(pa, pb, la) == 0);
	free(pa);
	free(pb);

	const char *keep = getenv("LAYOUT_PDF_OUT");
	if (keep && *keep)
		assert_int_equal(rename(a, keep), 0);
	else
		unlink(a);
	unlink(b);
	rmdir(dir);
}

/* The calls that name destinations refuse unknown names without failing. */
static void
test_links_refused(void **state)
{
	(void)state;
	struct pdf_doc *d = new_doc();
	assert_false(pdf_add_dest(d, 0, 800, "x")); /* no page yet */
	assert_false(pdf_set_open_view(d));
	assert_true(pdf_add_page(d));
	assert_true(pdf_add_dest(d, 0, 800, "x"));
	assert_false(pdf_add_dest(d, 0, 700, "x"));
	assert_false(pdf_add_dest(d, 0, 700, ""));
	assert_false(pdf_add_dest(d, 1, 700, "y"));
	assert_false(pdf_link(d, 0, 0, 10, 10, "y"));
	assert_false(pdf_link(d, 0, 0, 0, 10, "x"));
	assert_true(pdf_link(d, 0, 0, 10, 10, "x"));
	assert_false(pdf_add_outline(d, 1, "t", "y", true));
	assert_true(pdf_add_outline(d, 1, "t", "x", true));
	assert_true(pdf_add_outline(d, 5, "deep", "x", false));
	assert_true(pdf_uri_link(d, 0, 20, 10, 10, "https://example.org/"));
	assert_false(pdf_uri_link(d, 0, 20, 10, 10, ""));
	assert_true(pdf_set_open_view(d));
	assert_true(pdf_ok(d));
	pdf_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_coverage, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_metrics, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_draw, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_links_refused, capture_setup, capture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
