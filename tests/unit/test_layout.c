/* layout: numbering, keep-with-next, kinsoku and the text block on the
 * shipped templates, names resolved (placeholders, cross-references,
 * citations) and their errors at exact locations, tables across pages,
 * floats, the contents, determinism, and a golden dump of
 * tests/layout/sample.md.
 *
 * Fake metrics throughout: CJK characters and full-width punctuation 1 em,
 * a space 0.25 em, everything else 0.5 em; ascent 0.8 em, descent -0.2 em;
 * math measured the same way.  Figures are small display lists built here.
 * Run from the repository root.  LAYOUT_UPDATE_GOLDEN=1 rewrites
 * tests/layout/sample.dump. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"

#include "compute.h"
#include "config.h"
#include "diag.h"
#include "doc.h"
#include "figures.h"
#include "layout.h"
#include "util.h"
#include "linebreak.h"

/* ------------------------------------------------------------ fakes */

static size_t
decode(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = u[0] < 0x80 ? 1 : u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	if (len > n)
		len = n;
	*cp = len == 1 ? u[0] : u[0] & (0xffu >> (len + 1));
	for (size_t i = 1; i < len; i++)
		*cp = (*cp << 6) | (u[i] & 0x3fu);
	return len;
}

static double
em_of(unsigned cp)
{
	if (cp == 0x200b)
		return 0;
	if (cp == ' ' || cp == '\n' || cp == 0xa0)
		return 0.25;
	if (cp < 0x80)
		return 0.5;
	if (cp >= 0x2e80 || cp == 0x2014 || cp == 0x2026 || (cp >= 0x2018 && cp <= 0x201d) ||
	    cp == 0xb7)
		return 1.0;
	return 0.5;
}

static double
str_em(const char *s, size_t n)
{
	double t = 0;
	for (size_t i = 0; i < n; ) {
		unsigned cp;
		i += decode(s + i, n - i, &cp);
		t += em_of(cp);
	}
	return t;
}

static double
fake_width(void *ctx, enum lay_font font, double size, const char *s, size_t n)
{
	(void)ctx;
	(void)font;
	return str_em(s, n) * size;
}

static void
fake_vertical(void *ctx, enum lay_font font, double size, double *a, double *d)
{
	(void)ctx;
	(void)font;
	*a = 0.8 * size;
	*d = -0.2 * size;
}

static double
fake_math_width(void *ctx, enum math_font font, double size, const char *s)
{
	(void)ctx;
	(void)font;
	return str_em(s, strlen(s)) * size;
}

static void
fake_math_vertical(void *ctx, enum math_font font, double size, double *a, double *d)
{
	(void)ctx;
	(void)font;
	*a = 0.8 * size;
	*d = -0.2 * size;
}

static double
fake_dl_width(void *ctx, enum dl_font font, double size, const char *s)
{
	(void)ctx;
	(void)font;
	return str_em(s, strlen(s)) * size;
}

static void
fake_dl_vertical(void *ctx, enum dl_font font, double size, double *a, double *d)
{
	(void)ctx;
	(void)font;
	*a = 0.8 * size;
	*d = -0.2 * size;
}

static const struct math_metrics math_metrics = {NULL, fake_math_width, fake_math_vertical,
	NULL, NULL, NULL, NULL};
static const struct dl_metrics dl_metrics = {NULL, fake_dl_width, fake_dl_vertical};
static const struct lay_metrics metrics = {NULL, fake_width, fake_vertical, &math_metrics,
	&dl_metrics, NULL, NULL, NULL};

/* A figure set of `n` figures fig1, fig2, ... of the text width and the
 * given heights, each a framed rectangle. */
static struct figure_set *
fake_figures(size_t n, const double *heights)
{
	struct figure_set *fs = calloc(1, sizeof *fs);
	fs->n = n;
	fs->specs = calloc(n, sizeof *fs->specs);
	fs->lists = calloc(n, sizeof *fs->lists);
	struct report_config cfg;
	config_defaults(&cfg);
	double w = layout_text_width(&cfg);
	for (size_t i = 0; i < n; i++) {
		fs->specs[i] = calloc(1, sizeof *fs->specs[i]);
		char name[32];
		snprintf(name, sizeof name, "fig%zu", i + 1);
		fs->specs[i]->name = strdup(name);
		fs->lists[i] = dlist_new(w, heights[i]);
		struct dl_path p = dl_path_empty();
		dl_path_rect(&p, 1, 1, w - 2, heights[i] - 2);
		struct dl_style st = dl_style_default();
		dlist_path(fs->lists[i], &p, &st);
	}
	return fs;
}

static void
free_figures(struct figure_set *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->specs[i]->name);
		free(fs->specs[i]);
		dlist_free(fs->lists[i]);
	}
	free(fs->specs);
	free(fs->lists);
	free(fs);
}

static struct registry *
fake_results(void)
{
	struct registry *reg = registry_new();
	registry_set_result(reg, "kl.at_mean", 0.123456789, NULL);
	registry_set_result(reg, "kl.quad", 0.1234567891, NULL);
	registry_set_result(reg, "tiny", 1.234e-15, NULL);
	registry_set_result(reg, "neg", -0.5, NULL);
	registry_set_result(reg, "zero", 0, NULL);
	registry_set_result(reg, "lev.0", 0, NULL); /* a list: lev.0 .. lev.2 */
	registry_set_result(reg, "lev.1", 0.25, NULL);
	registry_set_result(reg, "lev.2", 0.5, NULL);
	return reg;
}

/* ------------------------------------------------------------ helpers */

struct run {
	struct report_config cfg;
	struct registry *reg;
	struct figure_set *figs;
	struct doc *doc;
	struct lay_document *ld;
	char *msgs;
};

/* Lays out `text` (as template "t.md") with two figures of the given
 * heights (default 120 and 200 pt). */
static void
run_text(struct run *R, const char *text, const double *fig_heights)
{
	static const double def[2] = {120, 200};
	memset(R, 0, sizeof *R);
	config_defaults(&R->cfg);
	snprintf(R->cfg.document.title, sizeof R->cfg.document.title, "测试讲义");
	snprintf(R->cfg.document.author, sizeof R->cfg.document.author, "作者");
	R->reg = fake_results();
	R->figs = fake_figures(2, fig_heights ? fig_heights : def);
	capture();
	bool ok = doc_parse(&R->doc, "t.md", text, strlen(text));
	if (ok)
		R->ld = layout_document(R->doc, &R->cfg, NULL, R->reg, R->figs, &metrics);
	R->msgs = captured();
	if (!ok)
		fprintf(stderr, "parse failed:\n%s\n", R->msgs);
	assert_true(ok);
}

static void
run_free(struct run *R)
{
	lay_document_free(R->ld);
	doc_free(R->doc);
	free_figures(R->figs);
	registry_free(R->reg);
	free(R->msgs);
}

static char *
dump_of(const struct lay_document *ld)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	layout_dump(ld, f);
	fclose(f);
	char *copy = strdup(buf);
	free(buf);
	return copy;
}

/* The first text box equal to s at or after page `from`; its page in *page. */
static const struct lay_box *
find_text(const struct lay_document *ld, const char *s, size_t from, size_t *page)
{
	for (size_t p = from; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++) {
			const struct lay_box *b = &ld->pages[p].boxes[i];
			if (b->kind == LAY_TEXT && strcmp(b->text, s) == 0) {
				if (page)
					*page = p;
				return b;
			}
		}
	return NULL;
}

/* The text of every text box from page `from` on, concatenated in
 * order (caller frees). */
static char *
all_text(const struct lay_document *ld, size_t from)
{
	struct strbuf t = {0};
	for (size_t p = from; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++)
			if (ld->pages[p].boxes[i].kind == LAY_TEXT)
				strbuf_puts(&t, ld->pages[p].boxes[i].text);
	return t.s ? t.s : xstrdup("");
}

/* A template: `head`, then n filler paragraphs (填充0。 …), then `tail`
 * (caller frees): enough text to push `tail` pages away from `head`. */
static char *
filled(const char *head, int n, const char *tail)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs(head, f);
	for (int i = 0; i < n; i++)
		fprintf(f, "填充%d。\n\n", i);
	fputs(tail, f);
	fclose(f);
	return text;
}

/* True if text boxes a and then b follow each other on one baseline. */
static bool
has_pair(const struct lay_document *ld, const char *a, const char *b)
{
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i + 1 < ld->pages[p].n; i++) {
			const struct lay_box *x = &ld->pages[p].boxes[i];
			if (x->kind != LAY_TEXT || strcmp(x->text, a) != 0)
				continue;
			for (size_t j = i + 1; j < ld->pages[p].n; j++) {
				const struct lay_box *y = &ld->pages[p].boxes[j];
				if (y->kind != LAY_TEXT)
					continue;
				if (strcmp(y->text, b) == 0 && fabs(y->y - x->y) < 0.01 && y->x > x->x)
					return true;
				break;
			}
		}
	return false;
}

/* The text boxes with baselines in (lo, hi) on page pg, in order of x,
 * concatenated. */
static void
line_text(const struct lay_page *pg, double lo, double hi, char *out, size_t size)
{
	out[0] = '\0';
	double last = -1e9;
	for (;;) {
		const struct lay_box *next = NULL;
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind == LAY_TEXT && b->y > lo && b->y < hi && b->x > last + 1e-6 &&
			    (next == NULL || b->x < next->x))
				next = b;
		}
		if (next == NULL)
			return;
		strncat(out, next->text, size - strlen(out) - 1);
		last = next->x;
	}
}

static bool
is_body_text(const struct lay_page *pg, const struct lay_box *b)
{
	return b->kind == LAY_TEXT && b->y <= pg->text_top + 0.01 && b->y >= pg->text_bottom - 0.01;
}

/* ------------------------------------------------------------ tests */

static void
test_text_width(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	assert_float_equal(layout_text_width(&cfg), 462.0, 1e-9);
	cfg.document.paper = PAPER_LETTER;
	assert_float_equal(layout_text_width(&cfg), 462.0, 1e-9);
}

static void
test_headings_numbered(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "# 甲\n\n正文。\n\n## 乙 {#sec:b}\n\n正文。\n\n#* 丙\n\n### 丁\n\n正文。\n\n# 戊\n\n"
	    "## 己\n\n见 @sec:b。\n", NULL);
	assert_non_null(R.ld);
	assert_string_equal(R.msgs, "");
	const char *want[][2] = {{"目录", "toc"}, {"1 甲", "sec-1"}, {"1.1 乙", "sec:b"},
		{"丙", "sec-3"}, {"1.1.1 丁", "sec-4"}, {"2 戊", "sec-5"}, {"2.1 己", "sec-6"}};
	static const int levels[] = {1, 1, 2, 1, 3, 1, 2};
	assert_int_equal(R.ld->noutlines, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(R.ld->outlines[i].title, want[i][0]);
		assert_string_equal(R.ld->outlines[i].dest, want[i][1]);
		assert_int_equal(R.ld->outlines[i].level, levels[i]);
	}
	/* numbers in the sans bold, at the sizes of their levels */
	const struct lay_box *b = find_text(R.ld, "1.1.1", 2, NULL);
	assert_non_null(b);
	assert_int_equal(b->font, LAY_SANS_BOLD);
	assert_float_equal(b->size, 11.5, 1e-9);
	b = find_text(R.ld, "2", 2, NULL);
	assert_non_null(b);
	assert_float_equal(b->size, 16.0, 1e-9);
	/* the reference reads 第 1.1 节 */
	assert_true(has_pair(R.ld, "第", "1.1"));
	assert_true(has_pair(R.ld, "1.1", "节"));
	run_free(&R);
}

static void
test_keep_with_next(void **state)
{
	(void)state;
	/* n one-line paragraphs push the heading down a line at a time, so
	 * that for some n it falls at the foot of the first body page */
	bool moved = false;
	for (int n = 30; n <= 44; n++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		fputs("#* 开头\n\n", f); /* body text, not the subtitle */
		for (int i = 0; i < n; i++)
			fprintf(f, "short%d.\n\n", i);
		fputs("# 标题在此\n\n后文第一行后文第一行后文第一行后文第一行后文第一行后文第一行后文第一行后文第一行"
		    "后文第二行后文第二行后文第二行后文第二行后文第二行后文第二行后文第二行后文第二行"
		    "后文第三行后文第三行后文第三行。\n", f);
		fclose(f);
		struct run R;
		run_text(&R, text, NULL);
		assert_non_null(R.ld);
		size_t hp = SIZE_MAX;
		const struct lay_box *h = find_text(R.ld, "标题在此", 2, &hp);
		assert_non_null(h);
		/* at least two lines of what follows on the heading's page */
		const struct lay_page *pg = &R.ld->pages[hp];
		int lines_after = 0;
		double last_y = h->y;
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (is_body_text(pg, b) && b->y < h->y - 1 && fabs(b->y - last_y) > 1) {
				lines_after++;
				last_y = b->y;
			}
		}
		if (lines_after < 2)
			fprintf(stderr, "n = %d: the heading on page %zu has %d lines after it\n", n,
			    hp + 1, lines_after);
		assert_true(lines_after >= 2);
		/* the heading moved when the paragraphs before it end a page */
		char last[32];
		snprintf(last, sizeof last, "short%d.", n - 1);
		size_t lp = SIZE_MAX;
		assert_non_null(find_text(R.ld, last, 2, &lp));
		if (lp < hp)
			moved = true;
		free(text);
		run_free(&R);
	}
	assert_true(moved);
}

/* A paragraph of several lines that ends in a colon does not keep with the
 * table after it: for some amount of text before, its last lines end one
 * page and the table starts the next. */
static void
test_colon_paragraph_before_table(void **state)
{
	(void)state;
	bool apart = false;
	for (int n = 30; n <= 46 && !apart; n++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		fputs("#* 开头\n\n", f); /* body text, not the subtitle */
		for (int i = 0; i < n; i++)
			fprintf(f, "short%d.\n\n", i);
		fputs("前文第一行前文第一行前文第一行前文第一行前文第一行前文第一行前文第一行前文第一行"
		    "前文第二行前文第二行前文第二行前文第二行前文第二行前文第二行前文第二行前文第二行"
		    "前文第三行前文末尾：\n\n::: table {#tab:k}\n表注\n| 甲 | 乙 |\n| --- | --- |\n"
		    "| r1 | 1 |\n| r2 | 2 |\n| r3 | 3 |\n| r4 | 4 |\n:::\n", f);
		fclose(f);
		struct run R;
		run_text(&R, text, NULL);
		assert_non_null(R.ld);
		size_t lp = SIZE_MAX, tp = SIZE_MAX;
		for (size_t pg = 2; pg < R.ld->npages && lp == SIZE_MAX; pg++)
			for (size_t i = 0; i < R.ld->pages[pg].n; i++) {
				const struct lay_box *b = &R.ld->pages[pg].boxes[i];
				if (b->kind == LAY_TEXT && strstr(b->text, "末尾：") != NULL)
					lp = pg;
			}
		assert_true(lp != SIZE_MAX);
		assert_non_null(find_text(R.ld, "r1", 2, &tp));
		if (lp < tp)
			apart = true;
		free(text);
		run_free(&R);
	}
	assert_true(apart);
}

static bool
blank_left_punct(unsigned cp)
{
	return cp == 0xff08 || cp == 0x300c || cp == 0x300e || cp == 0x300a || cp == 0x3008 ||
	    cp == 0x3010 || cp == 0x201c || cp == 0x2018;
}

static bool
blank_right_punct(unsigned cp)
{
	return cp == 0xff0c || cp == 0x3002 || cp == 0x3001 || cp == 0xff1a || cp == 0xff1b ||
	    cp == 0xff01 || cp == 0xff1f || cp == 0xff09 || cp == 0x300d || cp == 0x300f ||
	    cp == 0x300b || cp == 0x3009 || cp == 0x3011 || cp == 0x201d || cp == 0x2019;
}

static unsigned
last_cp(const char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	unsigned cp = 0;
	if (i > 0)
		decode(s + i - 1, n - i + 1, &cp);
	return cp;
}

/* The shipped templates with the default config and its results: every
 * line obeys kinsoku and stays in the text block. */
static void
test_templates_kinsoku_and_block(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct registry *reg = compute_all(&cfg);
	assert_non_null(reg);
	struct figure_set *figs = figures_load("figures");
	assert_non_null(figs);
	assert_true(figures_plot(figs, reg, &cfg, &dl_metrics, layout_text_width(&cfg)));
	capture();
	struct doc *doc = doc_load_dir("templates");
	struct lay_document *ld = doc ? layout_document(doc, &cfg, NULL, reg, figs, &metrics) : NULL;
	char *msgs = captured();
	if (ld == NULL)
		fprintf(stderr, "%s", msgs);
	assert_non_null(ld);
	assert_string_equal(msgs, "");
	free(msgs);
	assert_true(ld->npages >= 8);
	int starts = 0;
	static const unsigned brief[] = {0xff0c, 0x3002, 0x3001, 0xff1a, 0xff1b, 0xff01, 0xff1f,
		0xff09, 0x300d, 0x300f};
	for (size_t p = 0; p < ld->npages; p++) {
		const struct lay_page *pg = &ld->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind == LAY_TEXT) {
				unsigned first;
				decode(b->text, strlen(b->text), &first);
				double lo = pg->text_left - (blank_left_punct(first) ? 0.5 * b->size : 0);
				double hi = pg->text_right +
				    (blank_right_punct(last_cp(b->text)) ? 0.5 * b->size : 0);
				if (b->x < lo - 0.01 || b->x + b->w > hi + 0.01)
					fprintf(stderr, "page %zu: \"%s\" at %.2f..%.2f outside %.2f..%.2f\n",
					    p + 1, b->text, b->x, b->x + b->w, pg->text_left, pg->text_right);
				assert_true(b->x >= lo - 0.01 && b->x + b->w <= hi + 0.01);
				/* body text between the header and the footer */
				if (p > 0 && b->size != 9.0) {
					assert_true(b->y <= pg->text_top + 0.01);
					assert_true(b->y >= pg->text_bottom - 0.01);
				}
			} else if (b->kind == LAY_FIGURE || b->kind == LAY_FRAME ||
			    (b->kind == LAY_RULE && b->w > 50)) {
				assert_true(b->x >= pg->text_left - 0.01);
				assert_true(b->x + b->w <= pg->text_right + 0.01);
				if (b->y > pg->text_top) /* the header's hairline */
					continue;
				assert_true(b->y >= pg->text_bottom - 0.01);
				assert_true(b->y + b->h <= pg->text_top + 0.01);
			}
			if (b->kind != LAY_TEXT || b->font >= LAY_MATH_ROMAN || !is_body_text(pg, b))
				continue;
			/* a line start: no text box ends just before it on its baseline */
			bool start = true, end = true;
			for (size_t j = 0; j < pg->n; j++) {
				const struct lay_box *o = &pg->boxes[j];
				/* scripts of inline math sit off the baseline */
				if (j == i || o->kind != LAY_TEXT || fabs(o->y - b->y) > 0.6 * b->size)
					continue;
				if (o->x < b->x && o->x + o->w > b->x - 8)
					start = false;
				if (o->x > b->x && o->x < b->x + b->w + 8)
					end = false;
			}
			unsigned first;
			decode(b->text, strlen(b->text), &first);
			if (start) {
				starts++;
				for (size_t k = 0; k < sizeof brief / sizeof brief[0]; k++)
					if (first == brief[k])
						fprintf(stderr, "page %zu: a line starts with \"%s\"\n", p + 1, b->text);
				assert_false(lb_no_line_start(first) && first > 0x7f);
			}
			if (end)
				assert_false(lb_no_line_end(last_cp(b->text)));
		}
	}
	assert_true(starts > 200);
	/* every heading of the templates in the outline */
	assert_true(ld->noutlines >= 20);
	lay_document_free(ld);
	doc_free(doc);
	figures_free(figs);
	registry_free(reg);
}

static void
test_names_resolved(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "# 节 {#sec:s}\n\n值 {{document.paper}}、{{kl.at_mean|%.4f}}、{{kl.quad}}、"
	    "{{tiny|%.1e}}、{{neg}}；见 @fig:f、@tab:t、@eq:e 与 @sec:s，文献 [@k2; @k1] 与 [@k1]。\n\n"
	    "$$ x = 1 $$ {#eq:e}\n\n"
	    "::: figure fig1 {#fig:f}\n图注。\n:::\n\n"
	    "::: table {#tab:t}\n表注\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n:::\n\n"
	    "::: references\n[@k1] One.\n[@k2] Two.\n[@k3] Three.\n:::\n", NULL);
	assert_non_null(R.ld);
	assert_string_equal(R.msgs, "");
	assert_non_null(find_text(R.ld, "A4", 2, NULL));
	assert_non_null(find_text(R.ld, "0.1235", 2, NULL));
	assert_non_null(find_text(R.ld, "0.123457", 2, NULL));
	assert_non_null(find_text(R.ld, "1.2×10⁻¹⁵", 2, NULL));
	assert_non_null(find_text(R.ld, "−0.5", 2, NULL));
	assert_true(has_pair(R.ld, "图", "1"));
	assert_true(has_pair(R.ld, "表", "1"));
	assert_true(has_pair(R.ld, "式", "(1)"));
	assert_true(has_pair(R.ld, "第", "1"));
	/* [@k2; @k1]: k2 is cited first, so [1, 2] */
	assert_true(has_pair(R.ld, "[", "1"));
	assert_true(has_pair(R.ld, "1", ", "));
	assert_true(has_pair(R.ld, ", ", "2"));
	/* links to the destinations */
	char *d = dump_of(R.ld);
	assert_non_null(strstr(d, "-> \"fig:f\""));
	assert_non_null(strstr(d, "-> \"cite:k2\""));
	assert_non_null(strstr(d, "dest"));
	assert_non_null(strstr(d, "\"cite:k3\""));
	/* the reference list in citation order, uncited last */
	assert_non_null(strstr(d, "\"[1]\""));
	const char *k2 = strstr(d, "\"Two.\""), *k1 = strstr(d, "\"One.\""),
	    *k3 = strstr(d, "\"Three.\"");
	assert_true(k2 && k1 && k3 && k2 < k1 && k1 < k3);
	free(d);
	run_free(&R);
}

/* A display numbered per row: "(N)" for each labelled row, at the right
 * edge on that row's baseline; references name the row's number. */
static void
test_display_numbered_per_row(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "$$ a = 1 $$ {#eq:first}\n\n"
	    "$$\n\\begin{aligned}\na &= b \\label{eq:r1} \\\\\n&= c \\notag \\\\\n"
	    "&= d \\label{eq:r2}\n\\end{aligned}\n$$\n\n"
	    "见 @eq:r2、@eq:r1 与 @eq:first。\n", NULL);
	assert_non_null(R.ld);
	assert_string_equal(R.msgs, "");
	const struct lay_box *eq[4] = {NULL};
	size_t neq = 0, page = 0;
	const struct lay_page *pg = NULL;
	for (size_t p = 0; p < R.ld->npages && neq < 4; p++)
		for (size_t i = 0; i < R.ld->pages[p].n && neq < 4; i++)
			if (R.ld->pages[p].boxes[i].kind == LAY_TEXT &&
			    strcmp(R.ld->pages[p].boxes[i].text, "=") == 0) {
				eq[neq++] = &R.ld->pages[p].boxes[i];
				pg = &R.ld->pages[p];
			}
	assert_int_equal(neq, 4);
	const struct lay_box *n1 = find_text(R.ld, "(1)", 0, NULL);
	const struct lay_box *n2 = find_text(R.ld, "(2)", 0, &page);
	const struct lay_box *n3 = find_text(R.ld, "(3)", 0, NULL);
	assert_non_null(n1);
	assert_non_null(n2);
	assert_non_null(n3);
	assert_null(find_text(R.ld, "(4)", 0, NULL));
	assert_ptr_equal(&R.ld->pages[page], pg);
	/* on the rows' baselines (the \notag'd middle row has none) */
	assert_true(fabs(n1->y - eq[0]->y) < 1e-6);
	assert_true(fabs(n2->y - eq[1]->y) < 1e-6);
	assert_true(fabs(n3->y - eq[3]->y) < 1e-6);
	assert_true(eq[1]->y > eq[2]->y && eq[2]->y > eq[3]->y);
	/* right-aligned at the text block's edge, like a one-line display's */
	assert_true(fabs((n2->x + n2->w) - (n1->x + n1->w)) < 1e-6);
	assert_true(fabs((n3->x + n3->w) - (n1->x + n1->w)) < 1e-6);
	assert_true(has_pair(R.ld, "式", "(3)"));
	assert_true(has_pair(R.ld, "式", "(2)"));
	assert_true(has_pair(R.ld, "式", "(1)"));
	char *d = dump_of(R.ld);
	assert_non_null(strstr(d, "dest"));
	assert_non_null(strstr(d, "\"eq:r1\""));
	assert_non_null(strstr(d, "-> \"eq:r2\""));
	free(d);
	run_free(&R);
}

static void
test_name_errors(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "段落 {{kl.at_men}} 与 {{nothing.here}}。\n\n见 @fig:nope 和 [@k9]。\n\n"
	    "::: figure figx {#fig:x}\n图注 {{document.title|%.2f}}。\n:::\n\n"
	    "::: references\n[@k1] One.\n:::\n", NULL);
	assert_null(R.ld);
	assert_string_equal(R.msgs,
	    "t.md:1:4: error: unknown placeholder '{{kl.at_men}}': no config key or computed "
	    "result has that name; did you mean 'kl.at_mean'?\n"
	    "t.md:1:20: error: unknown placeholder '{{nothing.here}}': no config key or computed "
	    "result has that name\n"
	    "t.md:3:3: error: unknown cross-reference '@fig:nope': no figure has that label\n"
	    "t.md:3:15: error: unknown citation key 'k9': no entry of '::: references' has that "
	    "key; did you mean 'k1'?\n"
	    "t.md:5:1: error: unknown figure 'figx': there is no figures/figx.fig; did you mean "
	    "'fig1'?\n"
	    "t.md:6:4: error: '{{document.title|%.2f}}' formats a number, but the value is "
	    "'测试讲义'\n");
	run_free(&R);
}

/* Placeholders inside math take the config's and the results' values, set
 * as math (the minus is the math minus); unknown names are reported at the
 * placeholder, with the text's hint. */
static void
test_math_placeholders(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "# 标题\n\n文字 $x = {{neg}}$，$q = N({{posterior.q_mean}}, {{posterior.q_std}}^2)$，"
	    "$k = {{kl.at_mean|%.4f}} + {{tiny|%.1e}}$。\n", NULL);
	assert_non_null(R.ld);
	assert_string_equal(R.msgs, "");
	assert_non_null(find_text(R.ld, "−0.5", 0, NULL));
	assert_non_null(find_text(R.ld, "(0.5,", 0, NULL));
	assert_non_null(find_text(R.ld, "0.8", 0, NULL));
	assert_non_null(find_text(R.ld, "0.1235", 0, NULL));
	assert_non_null(find_text(R.ld, "1.2", 0, NULL));
	assert_non_null(find_text(R.ld, "×", 0, NULL));
	assert_non_null(find_text(R.ld, "−15", 0, NULL));
	run_free(&R);

	run_text(&R, "文字 $x = {{kl.at_men}}$ 和 $y = {{document.title}}$。\n\n"
	    "$$\n\\begin{aligned}\na &= {{neg}} \\\\\n  &= {{nothing.here|%.2f}}\n\\end{aligned}\n$$\n",
	    NULL);
	assert_null(R.ld);
	assert_string_equal(R.msgs,
	    "t.md:1:9: error: unknown placeholder '{{kl.at_men}}': no config key or computed "
	    "result has that name; did you mean 'kl.at_mean'?\n"
	    "t.md:1:31: error: placeholder '{{document.title}}' inside math needs a number, but "
	    "its value is '测试讲义'\n"
	    "t.md:6:6: error: unknown placeholder '{{nothing.here}}': no config key or computed "
	    "result has that name\n");
	run_free(&R);
}

/* "::: if": only the selected branch is laid out and numbered (a figure in
 * the branch left out takes no number); the
 * names of every condition are checked, by layout_check too. */
static void
test_conditionals(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "# 标题\n\n"
	    "::: if neg < 0 and zero == 0\n甲段 {{kl.at_mean|%.3f}}。\n::: else\n乙段 [@k2]。\n:::\n\n"
	    "::: if neg >= -0.5 and kl.at_mean > 0.2\n丙段。\n\n::: figure fig1\n图注甲\n:::\n"
	    "::: else\n::: note\n::: if prior.std == 1\n丁段。\n:::\n:::\n:::\n\n"
	    "::: figure fig2 {#fig:b}\n图注乙\n:::\n\n见 @fig:b [@k1]。\n\n"
	    "::: references\n[@k1] One.\n[@k2] Two.\n:::\n", NULL);
	assert_non_null(R.ld);
	assert_string_equal(R.msgs, "");
	char *t = all_text(R.ld, 0);
	assert_non_null(strstr(t, "甲段"));
	assert_non_null(strstr(t, "0.123"));
	assert_non_null(strstr(t, "丁段"));
	assert_null(strstr(t, "乙段"));
	assert_null(strstr(t, "丙段"));
	assert_null(strstr(t, "图注甲"));
	/* the only figure laid out is 图 1; [@k1] is the first citation */
	assert_true(has_pair(R.ld, "图", "1"));
	assert_false(has_pair(R.ld, "图", "2"));
	assert_non_null(strstr(t, "[1]"));
	free(t);
	run_free(&R);

	/* unknown and non-numeric names, at the name, in both branches */
	const char *bad = "::: if zero == 0 and kl.at_men > 0\n甲。\n::: else\n"
	    "::: if document.title == 1\n乙 {{nope}}。\n:::\n:::\n";
	const char *want = "t.md:1:22: error: unknown name 'kl.at_men' in '::: if': no config key "
	    "or computed result has that name; did you mean 'kl.at_mean'?\n"
	    "t.md:4:8: error: '::: if' compares 'document.title' with a number, but its value "
	    "is '测试讲义'\n"
	    "t.md:5:3: error: unknown placeholder '{{nope}}': no config key or computed result "
	    "has that name\n";
	run_text(&R, bad, NULL);
	assert_null(R.ld);
	assert_string_equal(R.msgs, want);
	capture();
	bool ok = layout_check(R.doc, &R.cfg, NULL, R.reg, R.figs);
	char *msgs = captured();
	assert_false(ok);
	assert_string_equal(msgs, want);
	free(msgs);
	run_free(&R);
}

/* layout_check (handout --check-templates): every message layout_document
 * gives, in the same order, without fonts; figures need only be loaded. */
static void
test_check_only(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "段落 {{kl.at_men}}，$x - {{neg}} + \\foo$，$a \\right)$。\n\n"
	    "见 @fig:nope 和 [@k9]。\n\n::: figure figx {#fig:x}\n图注 $\\sqrt{x$。\n:::\n\n"
	    "$$ a = b \\notag $$\n\n::: references\n[@k1] One.\n:::\n", NULL);
	assert_null(R.ld);
	char *full = strdup(R.msgs);
	assert_non_null(strstr(full, "t.md:1:4: error: unknown placeholder '{{kl.at_men}}'"));
	assert_non_null(strstr(full, "t.md:1:33: error: unknown command '\\foo'"));
	assert_non_null(strstr(full, "t.md:1:42: error: '\\right' has no matching '\\left'"));
	assert_non_null(strstr(full, "t.md:6:10: error: unbalanced braces"));
	assert_non_null(strstr(full, "t.md:9:10: error: '\\notag'"));
	capture();
	bool ok = layout_check(R.doc, &R.cfg, NULL, R.reg, R.figs);
	char *msgs = captured();
	assert_false(ok);
	assert_string_equal(msgs, full);
	free(msgs);
	free(full);
	run_free(&R);

	run_text(&R, "# 标题\n\n文字 $x - {{neg}}$，见 @fig:a。\n\n"
	    "::: figure fig2 {#fig:a}\n图注 {{kl.at_mean|%.3f}}。\n:::\n", NULL);
	assert_non_null(R.ld);
	struct dlist **lists = R.figs->lists;
	R.figs->lists = NULL; /* loaded, not plotted */
	capture();
	ok = layout_check(R.doc, &R.cfg, NULL, R.reg, R.figs);
	msgs = captured();
	R.figs->lists = lists;
	assert_true(ok);
	assert_string_equal(msgs, "");
	free(msgs);
	run_free(&R);
}

static void
test_math_errors_located(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "文字 $x + \\foo$。\n\n$$\na = \\bar\n$$\n", NULL);
	assert_null(R.ld);
	assert_non_null(strstr(R.msgs, "t.md:1:9: error: unknown command '\\foo'"));
	run_free(&R);

	/* row marks where they do not belong, at their template position */
	run_text(&R, "文字。\n\n$$\n\\begin{aligned}\na &= b \\\\\n  &= c \\notag\n"
	    "\\end{aligned}\n$$\n\n$$ x = {y \\label{eq:y}} $$\n", NULL);
	assert_null(R.ld);
	assert_non_null(strstr(R.msgs, "t.md:6:8: error: '\\notag' in a display that is not "
	    "numbered per row"));
	assert_non_null(strstr(R.msgs, "t.md:10:11: error: '\\label' stands at the top level"));
	run_free(&R);
}

static void
test_table_split_repeats_header(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs("引言。\n\n::: table {#tab:long}\n很长的表\n| 表头甲 | 表头乙 |\n| :-- | --: |\n", f);
	for (int i = 0; i < 90; i++)
		fprintf(f, "| row%d | %d |\n", i, i * 7);
	fputs(":::\n\n表后的段落。\n", f);
	fclose(f);
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t first = SIZE_MAX, last = SIZE_MAX;
	assert_non_null(find_text(R.ld, "row0", 2, &first));
	assert_non_null(find_text(R.ld, "row89", 2, &last));
	assert_true(last > first);
	for (size_t p = first; p <= last; p++) {
		size_t hp = SIZE_MAX;
		const struct lay_box *h = find_text(R.ld, "表头甲", p, &hp);
		assert_non_null(h);
		assert_int_equal(hp, p);
		/* the header row heads the page's part of the table */
		for (size_t i = 0; i < R.ld->pages[p].n; i++) {
			const struct lay_box *b = &R.ld->pages[p].boxes[i];
			if (b->kind == LAY_TEXT && strncmp(b->text, "row", 3) == 0)
				assert_true(b->y < h->y);
		}
		if (p > first) {
			/* the continuation caption in the caption's fonts: the
			 * label in the sans, the text in the serif */
			size_t cp = SIZE_MAX;
			const struct lay_box *cont = find_text(R.ld, "（续）", p, &cp);
			assert_true(has_pair(R.ld, "表", "1") && cont != NULL && cp == p);
			assert_int_equal(cont->font, LAY_SERIF);
			assert_int_equal(find_text(R.ld, "表", p, NULL)->font, LAY_SANS);
		}
		/* booktabs: a heavy rule closes each part */
		int heavy = 0;
		for (size_t i = 0; i < R.ld->pages[p].n; i++) {
			const struct lay_box *b = &R.ld->pages[p].boxes[i];
			if (b->kind == LAY_RULE && fabs(b->h - 0.8) < 1e-9)
				heavy++;
		}
		assert_int_equal(heavy, 2);
	}
	free(text);
	run_free(&R);
}

/* Distinct baselines on page p of the text boxes starting with `s`. */
static int
baselines_of(const struct lay_document *ld, size_t p, const char *s)
{
	double ys[64];
	int n = 0;
	for (size_t i = 0; i < ld->pages[p].n; i++) {
		const struct lay_box *b = &ld->pages[p].boxes[i];
		if (b->kind != LAY_TEXT || strncmp(b->text, s, strlen(s)) != 0)
			continue;
		bool seen = false;
		for (int j = 0; j < n; j++)
			seen = seen || fabs(ys[j] - b->y) < 0.01;
		if (!seen && n < 64)
			ys[n++] = b->y;
	}
	return n;
}

/* The widest rule on page p (a table's top rule). */
static const struct lay_box *
widest_rule(const struct lay_document *ld, size_t p)
{
	const struct lay_box *best = NULL;
	for (size_t i = 0; i < ld->pages[p].n; i++) {
		const struct lay_box *b = &ld->pages[p].boxes[i];
		if (b->kind == LAY_RULE && (best == NULL || b->w > best->w))
			best = b;
	}
	return best;
}

/* Column widths: a table too wide for the measure spans it with the fewest
 * lines a whole-em split allows.  Here 12, 12 and 60 ideographs in 46 ems of
 * 9.5 pt: two lines at best (6 + 6 + 30 ems or more), which needs the two
 * short columns to give way together (a fair share would keep them whole
 * and set the long one in three lines).  A table that fits keeps its
 * natural width, centred. */
static void
test_table_widths(void **state)
{
	(void)state;
	char a[64] = "", b[64] = "", c[256] = "";
	for (int i = 0; i < 12; i++) {
		strcat(a, "甲");
		strcat(b, "乙");
	}
	for (int i = 0; i < 60; i++)
		strcat(c, "丙");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fprintf(f, "::: table {#tab:wide}\n宽表\n| 一 | 二 | 三 |\n| :-- | :-- | :-- |\n"
	    "| %s | %s | %s |\n:::\n\n", a, b, c);
	fputs("::: table {#tab:narrow}\n窄表\n| 一 | 二 |\n| :-- | :-- |\n| 丁丁 | 戊戊戊 |\n:::\n", f);
	fclose(f);
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t p = SIZE_MAX;
	assert_non_null(find_text(R.ld, "宽表", 2, &p));
	int la = baselines_of(R.ld, p, "甲甲甲"), lb = baselines_of(R.ld, p, "乙乙乙"),
	    lc = baselines_of(R.ld, p, "丙丙丙");
	int most = la > lb ? la : lb;
	most = lc > most ? lc : most;
	assert_int_equal(most, 2);
	assert_int_equal(la + lb + lc, 6);
	/* the wide table spans the measure; no cell overflows its column:
	 * each column's lines start left of the next column's */
	const struct lay_page *pg = &R.ld->pages[p];
	const struct lay_box *top = widest_rule(R.ld, p);
	assert_non_null(top);
	assert_float_equal(top->x, pg->text_left, 0.01);
	assert_float_equal(top->w, pg->text_right - pg->text_left, 0.01);
	double right_a = 0, left_b = 1e9;
	for (size_t i = 0; i < pg->n; i++) {
		const struct lay_box *x = &pg->boxes[i];
		if (x->kind == LAY_TEXT && strncmp(x->text, "甲", 3) == 0 && x->x + x->w > right_a)
			right_a = x->x + x->w;
		if (x->kind == LAY_TEXT && strncmp(x->text, "乙", 3) == 0 && x->x < left_b)
			left_b = x->x;
	}
	assert_true(right_a + 12.0 <= left_b + 0.01);
	/* the narrow one: one line per cell, centred, narrower than the measure */
	size_t q = SIZE_MAX;
	assert_non_null(find_text(R.ld, "窄表", 2, &q));
	assert_int_equal(baselines_of(R.ld, q, "戊戊戊"), 1);
	double w = 0, x0 = 0;
	for (size_t i = 0; i < R.ld->pages[q].n; i++) {
		const struct lay_box *x = &R.ld->pages[q].boxes[i];
		if (x->kind == LAY_RULE && x->y < find_text(R.ld, "窄表", 2, NULL)->y &&
		    x->w > w && x->w < 400) {
			w = x->w;
			x0 = x->x;
		}
	}
	const struct lay_page *pq = &R.ld->pages[q];
	assert_true(w > 0 && w < 200);
	assert_float_equal(x0 - pq->text_left, pq->text_right - (x0 + w), 0.01);
	free(text);
	run_free(&R);
}

/* A short CJK term in a cell ("显式密度模型") stays whole when that costs no
 * extra row line, here by setting the gutters at one em (9.5 pt) instead
 * of 12 pt: the five columns then get 44 ems instead of 43, just what
 * 6 + 11 + 12 + 14 + 1 needs.  At 12 pt the term breaks (the cheapest
 * way to lose an em: each other column has two such cells). */
static void
test_table_short_terms(void **state)
{
	(void)state;
	char b[64] = "", c[64] = "", d[64] = "";
	for (int i = 0; i < 11; i++)
		strcat(b, "乙");
	for (int i = 0; i < 12; i++)
		strcat(c, "丙");
	for (int i = 0; i < 14; i++)
		strcat(d, "丁");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fprintf(f, "::: table {#tab:terms}\n术语表\n| 一 | 二 | 三 | 四 | 五 |\n"
	    "| :-- | :-- | :-- | :-- | :-- |\n| 显式密度模型 | %s | %s | %s | 戊 |\n"
	    "| 甲 | %s | %s | %s | 戊 |\n:::\n", b, c, d, b, c, d);
	fclose(f);
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t p = SIZE_MAX;
	const struct lay_box *t = find_text(R.ld, "显式密度模型", 2, &p);
	assert_non_null(t);
	/* every cell on one line: one baseline each */
	assert_int_equal(baselines_of(R.ld, p, "丁丁"), 2);
	assert_int_equal(baselines_of(R.ld, p, "丙丙"), 2);
	assert_int_equal(baselines_of(R.ld, p, "乙乙"), 2);
	assert_int_equal(baselines_of(R.ld, p, "丙"), 2);
	/* the table spans the measure, its gutters at least one em */
	const struct lay_page *pg = &R.ld->pages[p];
	const struct lay_box *top = widest_rule(R.ld, p);
	assert_float_equal(top->w, pg->text_right - pg->text_left, 0.01);
	const struct lay_box *bb = find_text(R.ld, b, 2, NULL);
	assert_non_null(bb);
	assert_true(bb->x - (t->x + t->w) >= 9.5 - 0.01);
	free(text);
	run_free(&R);
}

/* Whole ems leave columns a little wider than their lines: 5.5-em words
 * get 6 ems.  Those halves and the fraction left over (1.1 ems in all) go
 * to the third column when that saves it a line: 69 ideographs in 35.1 ems
 * take two lines, in 34 three. */
static void
table_polish_case(struct run *R)
{
	char c[256] = "";
	for (int i = 0; i < 69; i++)
		strcat(c, "丙");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fprintf(f, "::: table {#tab:polish}\n细调\n| 一 | 二 | 三 |\n| :-- | :-- | :-- |\n"
	    "| aaaaaaaaaaa | bbbbbbbbbbb | %s |\n:::\n", c);
	fclose(f);
	run_text(R, text, NULL);
	free(text);
}

static void
test_table_polish(void **state)
{
	(void)state;
	struct run R;
	table_polish_case(&R);
	assert_non_null(R.ld);
	size_t p = SIZE_MAX;
	const struct lay_box *a = find_text(R.ld, "aaaaaaaaaaa", 2, &p);
	const struct lay_box *b = find_text(R.ld, "bbbbbbbbbbb", 2, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(baselines_of(R.ld, p, "丙"), 2);
	/* the words' columns as wide as the words, the gaps as before */
	assert_float_equal(b->x - a->x, 5.5 * 9.5 + 12.0, 0.01);
	const struct lay_page *pg = &R.ld->pages[p];
	const struct lay_box *top = widest_rule(R.ld, p);
	assert_float_equal(top->w, pg->text_right - pg->text_left, 0.01);
	run_free(&R);
}

/* A long table (120 rows of 25 and 50 ideographs: more cells than
 * TSEARCH_CELLS per column) tries every few widths only, and still spans
 * the measure with every cell inside its column: each line of the first
 * column ends a gutter before the second column starts. */
static void
test_long_table_capped(void **state)
{
	(void)state;
	char a[128] = "", b[256] = "";
	for (int i = 0; i < 25; i++)
		strcat(a, "甲");
	for (int i = 0; i < 50; i++)
		strcat(b, "乙");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs("::: table {#tab:long}\n长表\n| 一 | 二 |\n| :-- | :-- |\n", f);
	for (int r = 0; r < 120; r++)
		fprintf(f, "| %.*s | %s |\n", 3 * (10 + r % 16), a, b);
	fputs(":::\n", f);
	fclose(f);
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t pages = 0;
	for (size_t p = 2; p < R.ld->npages; p++) {
		const struct lay_page *pg = &R.ld->pages[p];
		double right_a = 0, left_b = 1e9;
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *x = &pg->boxes[i];
			if (x->kind == LAY_TEXT && strncmp(x->text, "甲", 3) == 0 && x->x + x->w > right_a)
				right_a = x->x + x->w;
			if (x->kind == LAY_TEXT && strncmp(x->text, "乙", 3) == 0 && x->x < left_b)
				left_b = x->x;
		}
		if (right_a == 0)
			continue;
		pages++;
		assert_true(right_a + 12.0 <= left_b + 0.01);
		const struct lay_box *top = widest_rule(R.ld, p);
		assert_float_equal(top->w, pg->text_right - pg->text_left, 0.01);
	}
	assert_true(pages >= 3);
	free(text);
	run_free(&R);
}

/* A table of a few rows is never broken: wherever the page ends, its
 * caption and all its rows share a page. */
static void
test_short_table_whole(void **state)
{
	(void)state;
	for (int k = 28; k < 42; k++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		fputs("# 第一章\n\n", f);
		for (int i = 0; i < k; i++)
			fprintf(f, "填充的段落%d。\n\n", i);
		fputs("::: table {#tab:short}\n短表\n| 甲 | 乙 |\n| :-- | :-- |\n"
		    "| rowA | 1 |\n| rowB | 2 |\n| rowC | 3 |\n| rowD | 4 |\n:::\n", f);
		fclose(f);
		struct run R;
		run_text(&R, text, NULL);
		assert_non_null(R.ld);
		size_t pc = SIZE_MAX, pa = SIZE_MAX, pd = SIZE_MAX;
		assert_non_null(find_text(R.ld, "短表", 2, &pc));
		assert_non_null(find_text(R.ld, "rowA", 2, &pa));
		assert_non_null(find_text(R.ld, "rowD", 2, &pd));
		assert_int_equal(pa, pc);
		assert_int_equal(pd, pc);
		assert_null(find_text(R.ld, "（续）", 0, NULL));
		free(text);
		run_free(&R);
	}
}

/* The parameters appendix shows config values as typed, so they can be
 * typed back into report.conf or --set: -3, 0.3*N(-1,, 1e-8 (monospace,
 * ASCII minus), and answers 是否修改 for every row. */
static void
test_parameters_as_typed(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "# 附录\n\n::: parameters\n:::\n", NULL);
	assert_non_null(R.ld);
	/* config values as typed (what report.conf and --set accept) */
	const struct lay_box *b = find_text(R.ld, "-3", 2, NULL);
	assert_non_null(b);
	assert_int_equal(b->font, LAY_MONO);
	assert_non_null(find_text(R.ld, "0.3*N(-1,", 2, NULL));
	assert_non_null(find_text(R.ld, "1e-8", 2, NULL));
	assert_null(find_text(R.ld, "−3", 2, NULL));
	/* 是否修改 answers every row: 否 for a default value, "是，默认 …" for
	 * the two run_text changes (document.title, document.author) */
	size_t yes = 0, no = 0;
	for (size_t p = 2; p < R.ld->npages; p++)
		for (size_t i = 0; i < R.ld->pages[p].n; i++) {
			const struct lay_box *c = &R.ld->pages[p].boxes[i];
			yes += c->kind == LAY_TEXT && strncmp(c->text, "是，默认", strlen("是，默认")) == 0;
			no += c->kind == LAY_TEXT && strcmp(c->text, "否") == 0;
		}
	assert_int_equal(yes, 2);
	assert_int_equal(yes + no, (size_t)config_key_count());
	run_free(&R);
}

/* List placeholders: NAME.* joins NAME.0, NAME.1, ... with 、 (each with
 * the format), NAME.last is the last; NAME.* of no list is unknown.  A
 * zero in scientific notation prints 0 (not 0.0×10⁰). */
static void
test_list_placeholders(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "层级：{{lev.*|%.2f}}；末层 {{lev.last}}；差 {{zero|%.1e}}、{{tiny|%.1e}}。\n",
	    NULL);
	assert_non_null(R.ld);
	char *t = all_text(R.ld, 0);
	assert_non_null(strstr(t, "层级：0.00、0.25、0.50；末层0.5；差0、1.2×10⁻¹⁵。"));
	free(t);
	run_free(&R);
	run_text(&R, "{{levels.*}} {{lev.first}}\n", NULL);
	assert_null(R.ld);
	assert_non_null(strstr(R.msgs, "t.md:1:1: error: unknown placeholder '{{levels.*}}'"));
	assert_non_null(strstr(R.msgs, "t.md:1:14: error: unknown placeholder '{{lev.first}}'"));
	run_free(&R);
}

/* A mixture expression from the config is set as math in the text:
 * N(mean, std²) with an italic N, the reference p_data as p with an upright
 * "data" subscript; with a format it stays the config's text. */
static void
test_mixture_placeholders_as_math(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "# 混合\n\n分布 {{gan.p_data}}，收敛时 {{gan.p_g_converged}}。\n", NULL);
	assert_non_null(R.ld);
	const struct lay_box *n = find_text(R.ld, "N", 2, NULL);
	assert_non_null(n);
	assert_int_equal(n->font, LAY_MATH_ITALIC);
	assert_non_null(find_text(R.ld, "data", 2, NULL));
	char *t = all_text(R.ld, 2);
	assert_null(strstr(t, "0.3*N"));
	assert_null(strstr(t, "p_data"));
	assert_non_null(strstr(t, "0.5"));
	free(t);
	run_free(&R);
}

/* The parameters appendix shares the other tables' width search: each key
 * on one line (a key breaks only where it must), even with a long file name
 * in the value columns, which breaks at its '/' and inside its name
 * instead; every cell within its column.  (The appendix's own rule gave
 * the key column what the longest unbreakable value left: keys wrapped.) */
static void
test_parameters_columns(void **state)
{
	(void)state;
	struct run R;
	memset(&R, 0, sizeof R);
	config_defaults(&R.cfg);
	snprintf(R.cfg.fonts.latin_bold_italic, sizeof R.cfg.fonts.latin_bold_italic,
	    "/usr/share/fonts/truetype/freefont/FreeSerifBoldItalicCondensed.ttf");
	R.reg = fake_results();
	static const double h[2] = {120, 200};
	R.figs = fake_figures(2, h);
	static const char text[] = "# 附录\n\n::: parameters\n:::\n";
	capture();
	assert_true(doc_parse(&R.doc, "t.md", text, strlen(text)));
	R.ld = layout_document(R.doc, &R.cfg, NULL, R.reg, R.figs, &metrics);
	R.msgs = captured();
	assert_non_null(R.ld);
	size_t keys = 0, pieces = 0;
	for (size_t p = 2; p < R.ld->npages; p++) {
		const struct lay_page *pg = &R.ld->pages[p];
		double left = 1e9;
		for (size_t i = 0; i < pg->n; i++)
			if (pg->boxes[i].kind == LAY_TEXT && pg->boxes[i].font == LAY_MONO &&
			    pg->boxes[i].x < left)
				left = pg->boxes[i].x;
		/* the key column: only the first pieces of keys ("fonts.") start
		 * a line there */
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind != LAY_TEXT || b->font != LAY_MONO || fabs(b->x - left) > 0.01)
				continue;
			size_t n = strlen(b->text);
			if (b->text[n - 1] != '.')
				fail_msg("page %zu: key piece \"%s\" starts a line", p + 1, b->text);
			keys++;
		}
		/* the long name: on lines of its own, inside its column */
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind == LAY_TEXT && (strstr(b->text, "Condensed") ||
			    strstr(b->text, "FreeSerif") || strstr(b->text, "BoldItalic"))) {
				pieces++;
				assert_true(b->x + b->w <= pg->text_right + 0.01);
			}
		}
	}
	assert_true(keys > 40);
	/* "FreeSerif", "BoldItalic" and "Condensed.ttf" apart, in both columns */
	assert_true(pieces >= 4);
	assert_null(find_text(R.ld, "FreeSerifBoldItalicCondensed.ttf", 0, NULL));
	run_free(&R);
}

static void
test_float_moves_text_fills(void **state)
{
	(void)state;
	/* 30 lines of text, then a 400 pt figure that cannot fit below them,
	 * then more text */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs("#* 开头\n\n", f); /* body text, not the subtitle */
	for (int i = 0; i < 30; i++)
		fprintf(f, "before%d.\n\n", i);
	fputs("见 @fig:big。\n\n::: figure fig2 {#fig:big}\n大图。\n:::\n\n", f);
	for (int i = 0; i < 40; i++)
		fprintf(f, "after%d.\n\n", i);
	fclose(f);
	static const double heights[2] = {100, 400};
	struct run R;
	run_text(&R, text, heights);
	assert_non_null(R.ld);
	size_t fp = SIZE_MAX, tp = SIZE_MAX;
	const struct lay_box *fig = NULL;
	for (size_t p = 0; p < R.ld->npages && fig == NULL; p++)
		for (size_t i = 0; i < R.ld->pages[p].n; i++)
			if (R.ld->pages[p].boxes[i].kind == LAY_FIGURE) {
				fig = &R.ld->pages[p].boxes[i];
				fp = p;
				break;
			}
	assert_non_null(fig);
	assert_non_null(find_text(R.ld, "before29.", 2, &tp));
	/* the figure heads the next page ... */
	assert_int_equal(fp, tp + 1);
	const struct lay_page *pg = &R.ld->pages[fp];
	assert_true(fig->y + fig->h <= pg->text_top + 0.01);
	assert_true(fig->y + fig->h >= pg->text_top - 1);
	/* ... while the text after it fills the page before */
	assert_non_null(find_text(R.ld, "after0.", 2, &tp));
	assert_int_equal(tp, fp - 1);
	double lowest = 1e9;
	for (size_t i = 0; i < R.ld->pages[fp - 1].n; i++) {
		const struct lay_box *b = &R.ld->pages[fp - 1].boxes[i];
		if (is_body_text(&R.ld->pages[fp - 1], b) && b->y < lowest)
			lowest = b->y;
	}
	const struct lay_page *prev = &R.ld->pages[fp - 1];
	assert_true(lowest - prev->text_bottom < (prev->text_top - prev->text_bottom) / 3);
	/* its caption below it */
	size_t cp = SIZE_MAX;
	const struct lay_box *cap = find_text(R.ld, "大图。", 2, &cp);
	assert_non_null(cap);
	assert_int_equal(cp, fp);
	assert_true(cap->y < fig->y);
	free(text);
	run_free(&R);
}

static void
test_float_here_when_it_fits(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "#* 开头\n\n见 @fig:a。\n\n::: figure fig1 {#fig:a}\n小图。\n:::\n\n之后。\n", NULL);
	assert_non_null(R.ld);
	size_t a = SIZE_MAX, b = SIZE_MAX;
	const struct lay_box *before = find_text(R.ld, "见", 2, &a);
	const struct lay_box *after = find_text(R.ld, "之后。", 2, &b);
	assert_non_null(before);
	assert_non_null(after);
	assert_int_equal(a, b);
	const struct lay_box *fig = NULL;
	for (size_t i = 0; i < R.ld->pages[a].n; i++)
		if (R.ld->pages[a].boxes[i].kind == LAY_FIGURE)
			fig = &R.ld->pages[a].boxes[i];
	assert_non_null(fig);
	assert_true(fig->y + fig->h < before->y && after->y < fig->y);
	run_free(&R);
}

static void
test_contents_and_far_references(void **state)
{
	(void)state;
	char *text = filled("# 第一章 {#sec:one}\n\n见 @sec:three 与 @sec:two。\n\n"
	    "## 小节 {#sec:two}\n\n短。\n\n", 120,
	    "# 第三章 {#sec:three}\n\n回到 @sec:one（@sec:one）。\n\n"
	    "（按 @sec:one，自然对数）与（参见 @sec:one 后的说明）。\n");
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t p1 = SIZE_MAX, p3 = SIZE_MAX;
	assert_non_null(find_text(R.ld, "第一章", 2, &p1));
	assert_non_null(find_text(R.ld, "第三章", 2, &p3));
	assert_true(p3 >= p1 + 2);
	/* the contents page: entries with their page numbers, linked */
	const struct lay_page *toc = &R.ld->pages[1];
	char num[16];
	snprintf(num, sizeof num, "%zu", p3 + 1);
	bool found = false, linked = false, leaders = false;
	for (size_t i = 0; i < toc->n; i++) {
		const struct lay_box *b = &toc->boxes[i];
		if (b->kind == LAY_TEXT && strcmp(b->text, "第三章") == 0) {
			for (size_t j = i + 1; j < toc->n; j++) {
				const struct lay_box *o = &toc->boxes[j];
				if (o->kind == LAY_TEXT && fabs(o->y - b->y) < 0.01 && o->text[0] == '.')
					leaders = true;
				if (o->kind == LAY_TEXT && fabs(o->y - b->y) < 0.01 &&
				    strcmp(o->text, num) == 0) {
					found = true;
					assert_float_equal(o->x + o->w, toc->text_right, 0.01);
				}
				if (o->kind == LAY_LINK && strcmp(o->text, "sec:three") == 0)
					linked = true;
			}
		}
	}
	assert_true(found && linked && leaders);
	/* the destination on the heading's page */
	bool dest = false;
	for (size_t i = 0; i < R.ld->pages[p3].n; i++) {
		const struct lay_box *b = &R.ld->pages[p3].boxes[i];
		if (b->kind == LAY_DEST && strcmp(b->text, "sec:three") == 0)
			dest = true;
	}
	assert_true(dest);
	/* far targets get their page; near ones do not */
	assert_true(has_pair(R.ld, "（第", num));
	char note[16];
	snprintf(note, sizeof note, "%zu", p1 + 1);
	/* inside parentheses: "（第 1 节，第 3 页）" */
	assert_true(has_pair(R.ld, "节", "，") && has_pair(R.ld, "，", "第") &&
	    has_pair(R.ld, "第", note));
	/* ... also further inside, where the reference ends a phrase; not
	 * where the phrase goes on */
	char *all = all_text(R.ld, p3), want[96];
	snprintf(want, sizeof want, "（按第1节，第%s页，自然对数）", note);
	assert_non_null(strstr(all, want));
	snprintf(want, sizeof want, "（参见第1节（第%s页）后的说明）", note);
	assert_non_null(strstr(all, want));
	free(all);
	free(text);
	run_free(&R);
}

/* A far reference and its page note may go on two lines ("第 1 节" /
 * "（第 3 页）"), at a price: here keeping them whole leaves the line
 * before them 7 ems short over 34 gaps, letter-spaced beyond the cap. */
static void
test_page_note_breaks(void **state)
{
	(void)state;
	/* 35 ideographs after the 2-em indent, "第1节" 3 ems, the note 5 */
	char *text = filled("# 第一章 {#sec:one}\n\n短。\n\n", 120,
	    "# 第三章\n\n字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字"
	    "@sec:one之后的文字。\n");
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t p1 = SIZE_MAX, p3 = SIZE_MAX;
	assert_non_null(find_text(R.ld, "第一章", 2, &p1));
	assert_non_null(find_text(R.ld, "第三章", 2, &p3));
	assert_true(p3 >= p1 + 2);
	const struct lay_box *note = find_text(R.ld, "（第", p3, NULL);
	assert_non_null(note);
	const struct lay_page *pg = &R.ld->pages[p3];
	assert_float_equal(note->x, pg->text_left, 0.01);
	assert_false(has_pair(R.ld, "节", "（第"));
	/* the line above ends with the reference, within the stretch cap
	 * (0.2 em per gap; whole, they left 2.16 pt per gap) */
	const struct lay_box *sec = NULL;
	for (size_t i = 0; i < pg->n; i++)
		if (pg->boxes[i].kind == LAY_TEXT && strcmp(pg->boxes[i].text, "节") == 0)
			sec = &pg->boxes[i];
	assert_non_null(sec);
	assert_float_equal(sec->y, note->y + 1.6 * 10.5, 0.01);
	assert_float_equal(sec->x + sec->w, pg->text_right, 0.01);
	for (size_t i = 0; i < pg->n; i++) {
		const struct lay_box *b = &pg->boxes[i];
		if (b->kind == LAY_TEXT && fabs(b->y - sec->y) < 0.01)
			assert_true(b->spacing <= 2 * 0.1 * 10.5);
	}
	free(text);
	run_free(&R);
}

/* A hyphen may follow any letter (the breaker keeps two before, three
 * after). */
static size_t
fake_hyphenate(void *ctx, const char *word, size_t len, bool *after)
{
	(void)ctx;
	(void)word;
	for (size_t i = 0; i < len; i++)
		after[i] = i + 1 < len;
	return len > 1 ? len - 1 : 0;
}

/* True if a text box of `font` (any when LAY_FONT_COUNT) ends with a
 * hyphen after a letter (a dictionary or emergency hyphen). */
static bool
has_hyphen(const struct lay_document *ld, enum lay_font font)
{
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++) {
			const struct lay_box *b = &ld->pages[p].boxes[i];
			size_t n = b->kind == LAY_TEXT ? strlen(b->text) : 0;
			if (n >= 2 && b->text[n - 1] == '-' && b->text[n - 2] >= 'a' &&
			    b->text[n - 2] <= 'z' && (font == LAY_FONT_COUNT || b->font == font))
				return true;
		}
	return false;
}

/* No dictionary hyphens in headings (and their contents entries), table
 * header cells, or a caption's title (its words up to the first stop);
 * the same words in body text and in the rest of a caption are hyphenated
 * (the control: the hyphenator is in use). */
static void
test_no_hyphens_in_titles(void **state)
{
	(void)state;
	static const char words[] = "alpha internationalization characterization "
	    "representational overparameterization";
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fprintf(f, "# Heading %s %s {#sec:h}\n\n", words, words);
	for (int i = 0; i < 6; i++)
		fprintf(f, "Body %s %s.\n\n", words, words);
	/* the caption's title: words of 190 pt, two to a 438-pt line (over
	 * 50 pt short: loose) unless hyphenated */
	static const char longw[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmn "
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmn abcdefghijklmnopqrstuvwxyzabcdefghijklmn";
	fprintf(f, "::: table {#tab:t}\nCaption %s %s. Then %s %s %s\n"
	    "| a %s | b %s |\n| :-- | :-- |\n| x | y |\n:::\n", longw, longw, words, words,
	    words, words, words);
	fclose(f);
	struct lay_metrics mh = metrics;
	mh.hyphenate = fake_hyphenate;
	struct run R;
	memset(&R, 0, sizeof R);
	config_defaults(&R.cfg);
	R.reg = fake_results();
	static const double h[2] = {120, 200};
	R.figs = fake_figures(2, h);
	capture();
	assert_true(doc_parse(&R.doc, "t.md", text, strlen(text)));
	R.ld = layout_document(R.doc, &R.cfg, NULL, R.reg, R.figs, &mh);
	R.msgs = captured();
	assert_non_null(R.ld);
	/* the control: body text and the caption after its title */
	assert_true(has_hyphen(R.ld, LAY_SERIF));
	/* headings, contents entries of level 1 (sans) and table headers:
	 * sans or sans bold; the caption's title: before "Then", in the
	 * captions' size */
	assert_false(has_hyphen(R.ld, LAY_SANS_BOLD));
	assert_false(has_hyphen(R.ld, LAY_SANS));
	size_t p = SIZE_MAX;
	const struct lay_box *then = find_text(R.ld, "Then", 2, &p);
	assert_non_null(then);
	const struct lay_page *pg = &R.ld->pages[p];
	for (size_t i = 0; i < pg->n; i++) {
		const struct lay_box *b = &pg->boxes[i];
		size_t n = b->kind == LAY_TEXT ? strlen(b->text) : 0;
		if (b->y > then->y + 0.01 || (fabs(b->y - then->y) < 0.01 && b->x < then->x))
			if (n > 0 && b->font == LAY_SERIF && b->text[n - 1] == '-' &&
			    fabs(b->size - 9.5) < 1e-9)
				fail_msg("caption title hyphenated: \"%s\"", b->text);
	}
	free(text);
	run_free(&R);
}

static void
test_running_header_and_footer(void **state)
{
	(void)state;
	char *text = filled("# 第一章\n\n", 60, "");
	struct run R;
	run_text(&R, text, NULL);
	assert_non_null(R.ld);
	size_t n = R.ld->npages;
	assert_true(n >= 4);
	char foot[64], got[256];
	for (size_t p = 1; p < n; p++) {
		const struct lay_page *pg = &R.ld->pages[p];
		line_text(pg, pg->text_top + 1, pg->text_top + 40, got, sizeof got);
		/* none on the contents; the title on a verso (page 2, 4, ...:
		 * index 1, 3, ...), the section on a recto, at the outer edge */
		assert_string_equal(got, p == 1 ? "" : p % 2 == 1 ? "测试讲义" : "1第一章");
		double left = 1e9, right = -1e9;
		int rules = 0;
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind == LAY_RULE && b->y > pg->text_top)
				rules++;
			if (b->kind != LAY_TEXT || b->y <= pg->text_top + 1)
				continue;
			left = b->x < left ? b->x : left;
			right = b->x + b->w > right ? b->x + b->w : right;
		}
		assert_int_equal(rules, p == 1 ? 0 : 1);
		if (p > 1 && p % 2 == 1)
			assert_float_equal(left, pg->text_left, 0.01);
		else if (p > 1)
			assert_float_equal(right, pg->text_right, 0.01);
		line_text(pg, 0, pg->text_bottom - 1, got, sizeof got);
		snprintf(foot, sizeof foot, "第%zu页/共%zu页", p + 1, n);
		assert_string_equal(got, foot);
	}
	/* nothing but the title page's own boxes on page 1 */
	for (size_t i = 0; i < R.ld->pages[0].n; i++)
		assert_true(R.ld->pages[0].boxes[i].kind == LAY_TEXT ||
		    R.ld->pages[0].boxes[i].kind == LAY_RULE);
	free(text);
	run_free(&R);
}

/* A recto page on which a section starts heads with that section (LaTeX's
 * \rightmark: the first mark on the page), not the one it began in. */
static void
test_running_header_first_mark(void **state)
{
	(void)state;
	bool tested = false;
	for (int fill = 40; fill < 140 && !tested; fill += 7) {
		char *text = filled("# 第一章\n\n", fill, "# 第二章\n\n后文。\n");
		struct run R;
		run_text(&R, text, NULL);
		assert_non_null(R.ld);
		size_t p2 = SIZE_MAX;
		const struct lay_box *h = find_text(R.ld, "第二章", 2, &p2);
		assert_non_null(h);
		const struct lay_page *pg = &R.ld->pages[p2];
		/* a recto, the heading below the page's first line */
		if (p2 % 2 == 0 && h->y < pg->text_top - 40) {
			char got[256];
			line_text(pg, pg->text_top + 1, pg->text_top + 40, got, sizeof got);
			assert_string_equal(got, "2第二章");
			tested = true;
		}
		free(text);
		run_free(&R);
	}
	assert_true(tested);
}

/* The first template's paragraphs before its first heading are the subtitle:
 * on the title page under the title (serif, 12 pt, centred), not in the body. */
static void
test_subtitle_on_title_page(void **state)
{
	(void)state;
	struct run R;
	run_text(&R, "导言甲乙 {{kl.at_mean|%.4f}}。\n\n# 第一章\n\n正文丙丁。\n", NULL);
	assert_non_null(R.ld);
	const struct lay_page *pg = &R.ld->pages[0];
	const struct lay_box *t = find_text(R.ld, "测试讲义", 0, NULL);
	assert_non_null(t);
	size_t found = 0;
	double sy = 0;
	for (size_t i = 0; i < pg->n; i++) {
		const struct lay_box *b = &pg->boxes[i];
		if (b->kind != LAY_TEXT || strstr(b->text, "导") == NULL)
			continue;
		found++;
		sy = b->y;
		assert_int_equal(b->font, LAY_SERIF);
		assert_true(fabs(b->size - 12.0) < 1e-9);
		assert_true(b->y < t->y); /* under the title */
	}
	assert_true(found > 0);
	char got[512];
	line_text(pg, sy - 1, sy + 1, got, sizeof got);
	assert_string_equal(got, "导言甲乙0.1235。");
	for (size_t p = 1; p < R.ld->npages; p++)
		for (size_t i = 0; i < R.ld->pages[p].n; i++) {
			const struct lay_box *b = &R.ld->pages[p].boxes[i];
			assert_false(b->kind == LAY_TEXT && strstr(b->text, "导") != NULL);
		}
	size_t hp = 0;
	assert_non_null(find_text(R.ld, "第一章", 2, &hp));
	run_free(&R);
	/* a paragraph after the first heading stays in the body */
	run_text(&R, "# 第一章\n\n正文丙丁。\n", NULL);
	assert_non_null(R.ld);
	for (size_t i = 0; i < R.ld->pages[0].n; i++)
		assert_false(R.ld->pages[0].boxes[i].kind == LAY_TEXT &&
		    strstr(R.ld->pages[0].boxes[i].text, "正") != NULL);
	run_free(&R);
}

static void
test_deterministic(void **state)
{
	(void)state;
	struct run A, B;
	const char *t = "# 甲 {#sec:a}\n\n正文 @sec:a 与 {{kl.at_mean}}。\n\n- 项\n\n$$ x^2 $$\n";
	run_text(&A, t, NULL);
	run_text(&B, t, NULL);
	assert_non_null(A.ld);
	char *a = dump_of(A.ld), *b = dump_of(B.ld);
	assert_string_equal(a, b);
	free(a);
	free(b);
	run_free(&A);
	run_free(&B);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void
test_golden_dump(void **state)
{
	(void)state;
	size_t len, want_len;
	char *text = slurp("tests/layout/sample.md", &len);
	assert_non_null(text);
	struct run R;
	memset(&R, 0, sizeof R);
	config_defaults(&R.cfg);
	snprintf(R.cfg.document.title, sizeof R.cfg.document.title, "样例讲义");
	snprintf(R.cfg.document.author, sizeof R.cfg.document.author, "样例作者");
	R.reg = fake_results();
	static const double heights[2] = {120, 200};
	R.figs = fake_figures(2, heights);
	capture();
	assert_true(doc_parse(&R.doc, "tests/layout/sample.md", text, len));
	R.ld = layout_document(R.doc, &R.cfg, NULL, R.reg, R.figs, &metrics);
	R.msgs = captured();
	if (R.ld == NULL)
		print_error("%s", R.msgs);
	assert_non_null(R.ld);
	char *got = dump_of(R.ld);
	if (getenv("LAYOUT_UPDATE_GOLDEN")) {
		FILE *f = fopen("tests/layout/sample.dump", "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	char *want = slurp("tests/layout/sample.dump", &want_len);
	assert_non_null(want);
	if (strcmp(got, want) != 0) {
		const char *g = got, *w = want;
		int line = 1;
		while (*g && *g == *w) {
			if (*g == '\n')
				line++;
			g++;
			w++;
		}
		print_error("tests/layout/sample.dump:%d differs (rerun with LAYOUT_UPDATE_GOLDEN=1 "
		    "to re-bless, then review with git diff)\n", line);
		free(got);
		free(want);
		free(text);
		run_free(&R);
		fail();
	}
	free(got);
	free(want);
	free(text);
	run_free(&R);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_headings_numbered),
		cmocka_unit_test(test_keep_with_next),
		cmocka_unit_test(test_colon_paragraph_before_table),
		cmocka_unit_test(test_templates_kinsoku_and_block),
		cmocka_unit_test(test_names_resolved),
		cmocka_unit_test(test_display_numbered_per_row),
		cmocka_unit_test(test_name_errors),
		cmocka_unit_test(test_math_errors_located),
		cmocka_unit_test(test_check_only),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_math_placeholders),
		cmocka_unit_test(test_table_split_repeats_header),
		cmocka_unit_test(test_table_widths),
		cmocka_unit_test(test_table_short_terms),
		cmocka_unit_test(test_table_polish),
		cmocka_unit_test(test_long_table_capped),
		cmocka_unit_test(test_short_table_whole),
		cmocka_unit_test(test_parameters_as_typed),
		cmocka_unit_test(test_list_placeholders),
		cmocka_unit_test(test_mixture_placeholders_as_math),
		cmocka_unit_test(test_parameters_columns),
		cmocka_unit_test(test_float_moves_text_fills),
		cmocka_unit_test(test_float_here_when_it_fits),
		cmocka_unit_test(test_contents_and_far_references),
		cmocka_unit_test(test_page_note_breaks),
		cmocka_unit_test(test_no_hyphens_in_titles),
		cmocka_unit_test(test_running_header_and_footer),
		cmocka_unit_test(test_running_header_first_mark),
		cmocka_unit_test(test_subtitle_on_title_page),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_golden_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
