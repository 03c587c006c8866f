/* report: the handout PDF (issue scope: a title page, the results table and
 * the parameters table), drawn through pdf.h.
 *
 * Page geometry: a 25 mm text block on A4 or Letter, a 14 pt baseline grid
 * (10 pt body text, 9 pt tables), a running header from page 2 on and a
 * "第 N 页 / 共 M 页" footer drawn once the page count is known.  Tables are
 * ruled like LaTeX booktabs: a heavy top and bottom rule, a light rule under
 * the header row, no vertical rules; a table that does not fit continues on
 * the next page under its repeated header row. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"
#include "plot_pdf.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define MARGIN (25.0 * MM)
#define GRID 14.0 /* baseline-to-baseline distance of body text and rows */

#define BODY_SIZE 10.0
#define TABLE_SIZE 9.0
#define KEY_SIZE 8.5 /* monospace looks larger than CJK at the same size */
#define HEAD_SIZE 16.0
#define SMALL_SIZE 8.0

#define COL_GAP 12.0   /* space between two table columns */
#define RULE_HEAVY 0.8 /* booktabs \toprule, \bottomrule */
#define RULE_LIGHT 0.45
#define RULE_PAD 2.5 /* extra space below \midrule and above \bottomrule */

static const struct pdf_rgb INK = {0.0, 0.0, 0.0};
static const struct pdf_rgb GREY = {0.38, 0.38, 0.38};
static const struct pdf_rgb LIGHT = {0.72, 0.72, 0.72};
static const struct pdf_rgb ACCENT = {0.62, 0.12, 0.10};

struct layout {
	struct pdf_doc *doc;
	const struct report_config *cfg;
	double width, height;              /* page */
	double left, right, top, bottom;   /* text block */
	double y;                          /* top of the free space on the page */
};

/* ------------------------------------------------------------ helpers */

static double
text_width(struct layout *l, enum pdf_font_role role, double size, const char *s)
{
	return pdf_text_width(l->doc, role, size, s);
}

static void
text_centred(struct layout *l, double y, enum pdf_font_role role, double size,
    struct pdf_rgb c, const char *s)
{
	double w = text_width(l, role, size, s);
	pdf_text(l->doc, (l->width - w) / 2, y, role, size, c, s);
}

/* Byte length of the UTF-8 sequence starting at s. */
static size_t
utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

/* True if s starts with a character after which a line may end: a space,
 * a path or list separator, or any CJK character (CJK text breaks between
 * any two characters; the full kinsoku rules belong to the layout engine). */
static bool
break_after(const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0x80) /* not '.', '-': they are parts of numbers and options */
		return c == ' ' || c == '/' || c == ',' || c == '_';
	return c >= 0xE2; /* U+2000 and up: punctuation, CJK */
}

/* True if s starts with punctuation that must not begin a line. */
static bool
no_break_before(const char *s)
{
	static const char *const closing[] = {"，", "。", "、", "；", "：", "！", "？", "）",
	    "」", "』", "】", "》", "…", ",", ".", ";", ":", "!", "?", ")"};
	for (size_t i = 0; i < ARRAY_LEN(closing); i++)
		if (strncmp(s, closing[i], strlen(closing[i])) == 0)
			return true;
	return false;
}

/* Splits s into lines no wider than maxw (greedy; a single character wider
 * than maxw gets a line of its own).  Returns the number of lines and a
 * newly allocated array of newly allocated strings in *out. */
static int
wrap(struct layout *l, enum pdf_font_role role, double size, const char *s, double maxw,
    char ***out)
{
	char **lines = NULL;
	int n = 0;
	const char *p = s;
	while (*p == ' ')
		p++;
	do {
		const char *end = p, *brk = NULL;
		while (*end) {
			size_t k = utf8_len(end);
			char *trial = xstrndup(p, (size_t)(end - p) + k);
			double w = text_width(l, role, size, trial);
			free(trial);
			if (w > maxw && end > p)
				break;
			if (break_after(end) && !no_break_before(end + k))
				brk = end + k;
			end += k;
		}
		if (*end && brk)
			end = brk;
		lines = xrealloc(lines, (size_t)(n + 1) * sizeof *lines);
		lines[n++] = xstrndup(p, (size_t)(end - p));
		p = end;
		while (*p == ' ')
			p++;
	} while (*p);
	*out = lines;
	return n;
}

static void
free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* ------------------------------------------------------------ pages */

/* Starts a page.  Pages after the title page get the running header: the
 * document title on the left, `section` on the right, a hairline below. */
static bool
new_page(struct layout *l, const char *section)
{
	if (!pdf_add_page(l->doc))
		return false;
	l->y = l->top;
	if (section == NULL)
		return true;
	double base = l->top + 22.0;
	const char *title = l->cfg->document.title;
	pdf_text(l->doc, l->left, base, PDF_FONT_CJK_SANS, SMALL_SIZE, GREY, title);
	double w = text_width(l, PDF_FONT_CJK_SANS, SMALL_SIZE, section);
	pdf_text(l->doc, l->right - w, base, PDF_FONT_CJK_SANS, SMALL_SIZE, GREY, section);
	pdf_line(l->doc, l->left, base - 5.0, l->right, base - 5.0, 0.3, GREY);
	return true;
}

/* A section heading at the top of the free space, then one empty grid line. */
static void
heading(struct layout *l, const char *text)
{
	double base = l->y - HEAD_SIZE;
	pdf_text(l->doc, l->left, base, PDF_FONT_CJK_SANS, HEAD_SIZE, INK, text);
	l->y -= 2 * GRID + 4.0;
}

/* A paragraph of body text wrapped to the text block, on the grid. */
static void
paragraph(struct layout *l, const char *text, struct pdf_rgb c)
{
	char **lines;
	int n = wrap(l, PDF_FONT_CJK_SERIF, BODY_SIZE, text, l->right - l->left, &lines);
	for (int i = 0; i < n; i++) {
		pdf_text(l->doc, l->left, l->y - 10.5, PDF_FONT_CJK_SERIF, BODY_SIZE, c, lines[i]);
		l->y -= GRID;
	}
	free_lines(lines, n);
}

static void
footers(struct layout *l)
{
	int n = pdf_page_count(l->doc);
	for (int i = 1; i < n; i++) { /* the title page has none but counts */
		char buf[64];
		snprintf(buf, sizeof buf, "第 %d 页 / 共 %d 页", i + 1, n);
		pdf_select_page(l->doc, i);
		text_centred(l, l->bottom - 30.0, PDF_FONT_CJK_SERIF, SMALL_SIZE, GREY, buf);
	}
}

/* ------------------------------------------------------------ figures */

#define CAPTION_SIZE 9.5

/* One page per figure, for now: the figure at the text block's width at the
 * top, "图 N：caption" centred below it. */
static bool
figure_pages(struct layout *l, const struct figure_set *figs)
{
	for (size_t i = 0; i < figs->n; i++) {
		char label[32];
		snprintf(label, sizeof label, "图 %zu", i + 1);
		if (!new_page(l, label))
			return false;
		const struct dlist *dl = figs->lists[i];
		double x = l->left + (l->right - l->left - dl->width) / 2.0;
		double y = l->y - dl->height;
		if (!plot_pdf_draw(l->doc, dl, x, y))
			return false;
		l->y = y - GRID;
		const char *caption = figs->specs[i]->caption.text;
		char *line = xasprintf("%s：%s", label, caption ? caption : "");
		char **lines;
		int n = wrap(l, PDF_FONT_CJK_SERIF, CAPTION_SIZE, line, l->right - l->left, &lines);
		for (int k = 0; k < n; k++) {
			text_centred(l, l->y - CAPTION_SIZE, PDF_FONT_CJK_SERIF, CAPTION_SIZE, INK,
			    lines[k]);
			l->y -= GRID;
		}
		free_lines(lines, n);
		free(line);
	}
	return true;
}

/* ------------------------------------------------------------ tables */

enum align { ALIGN_LEFT, ALIGN_RIGHT };

#define MAX_COLS 8

struct tcol {
	const char *title;
	enum pdf_font_role role;
	double size;
	enum align align; /* ALIGN_LEFT cells wrap, ALIGN_RIGHT ones do not */
	double width;
};

struct table {
	struct tcol *cols;
	int ncols;
	const char *const *cells; /* nrows * ncols, row-major */
	int nrows;
	const bool *accent;       /* per row: draw the accent column in ACCENT, or NULL */
	int accent_col;
	const bool *group_start;  /* per row: a light rule above it, or NULL */
	const char *section;      /* running header of continuation pages */
	const char *continued;    /* heading of continuation pages */
};

static double
col_x(const struct table *t, struct layout *l, int c)
{
	double x = l->left;
	for (int i = 0; i < c; i++)
		x += t->cols[i].width + COL_GAP;
	return x;
}

static double
table_width(const struct table *t)
{
	double w = 0;
	for (int c = 0; c < t->ncols; c++)
		w += t->cols[c].width + (c ? COL_GAP : 0);
	return w;
}

static void
draw_cell(struct layout *l, const struct tcol *col, double x, double base, const char *s,
    struct pdf_rgb ink)
{
	if (col->align == ALIGN_RIGHT)
		x += col->width - text_width(l, col->role, col->size, s);
	pdf_text(l->doc, x, base, col->role, col->size, ink, s);
}

/* Top rule and the header row at l->y; leaves l->y under the mid rule. */
static void
table_header(struct layout *l, const struct table *t)
{
	double right = l->left + table_width(t);
	pdf_line(l->doc, l->left, l->y, right, l->y, RULE_HEAVY, INK);
	double base = l->y - 10.0;
	for (int c = 0; c < t->ncols; c++) {
		struct tcol head = t->cols[c];
		head.role = PDF_FONT_CJK_SANS;
		head.size = TABLE_SIZE;
		draw_cell(l, &head, col_x(t, l, c), base, head.title, INK);
	}
	l->y -= GRID;
	pdf_line(l->doc, l->left, l->y, right, l->y, RULE_LIGHT, INK);
	l->y -= RULE_PAD;
}

static void
table_footer(struct layout *l, const struct table *t)
{
	l->y -= RULE_PAD;
	pdf_line(l->doc, l->left, l->y, l->left + table_width(t), l->y, RULE_HEAVY, INK);
}

/* Draws the table from l->y down, breaking across pages between rows. */
static bool
draw_table(struct layout *l, struct table *t)
{
	if (t->ncols > MAX_COLS)
		return false; /* a bug in this file, not an input error */
	table_header(l, t);
	for (int r = 0; r < t->nrows; r++) {
		/* wrap every cell of the row; the row is as tall as its tallest cell */
		char **lines[MAX_COLS];
		int nlines[MAX_COLS], rows = 1;
		for (int c = 0; c < t->ncols; c++) {
			const struct tcol *col = &t->cols[c];
			const char *s = t->cells[r * t->ncols + c];
			if (col->align == ALIGN_LEFT) {
				nlines[c] = wrap(l, col->role, col->size, s, col->width, &lines[c]);
			} else {
				lines[c] = xmalloc(sizeof *lines[c]);
				lines[c][0] = xstrdup(s);
				nlines[c] = 1;
			}
			if (nlines[c] > rows)
				rows = nlines[c];
		}

		double h = rows * GRID;
		if (l->y - h < l->bottom + RULE_PAD) {
			table_footer(l, t);
			if (!new_page(l, t->section))
				return false;
			heading(l, t->continued);
			table_header(l, t);
		} else if (t->group_start && t->group_start[r] && r > 0) {
			pdf_line(l->doc, l->left, l->y + 1.0, l->left + table_width(t), l->y + 1.0,
			    0.3, LIGHT);
		}

		for (int c = 0; c < t->ncols; c++) {
			struct pdf_rgb ink = INK;
			if (t->accent && t->accent[r] && c == t->accent_col && l->cfg->document.color)
				ink = ACCENT;
			for (int k = 0; k < nlines[c]; k++)
				draw_cell(l, &t->cols[c], col_x(t, l, c), l->y - 10.0 - k * GRID,
				    lines[c][k], ink);
			free_lines(lines[c], nlines[c]);
		}
		l->y -= h;
	}
	table_footer(l, t);
	l->y -= GRID;
	return pdf_ok(l->doc);
}

/* ------------------------------------------------------------ pages */

/* The title, split at a full-width or ASCII colon into a main line and a
 * second, smaller one ("生成模型理论" / "从VAE到Diffusion模型"). */
static void
title_page(struct layout *l, int results_page, int params_page)
{
	const struct report_config *cfg = l->cfg;
	const char *title = cfg->document.title;
	const char *colon = strstr(title, "：");
	size_t skip = 3;
	if (colon == NULL) {
		colon = strchr(title, ':');
		skip = 1;
	}
	double maxw = l->right - l->left;
	double y = l->height * 0.64;

	char *main_line = colon ? xstrndup(title, (size_t)(colon - title)) : xstrdup(title);
	const char *second = colon ? colon + skip : NULL;

	double size = 28.0;
	while (size > 16.0 && text_width(l, PDF_FONT_CJK_SANS, size, main_line) > maxw)
		size -= 1.0;
	char **lines;
	int n = wrap(l, PDF_FONT_CJK_SANS, size, main_line, maxw, &lines);
	for (int i = 0; i < n; i++) {
		text_centred(l, y, PDF_FONT_CJK_SANS, size, INK, lines[i]);
		y -= size * 1.35;
	}
	free_lines(lines, n);
	free(main_line);
	if (second && *second) {
		y -= 4.0;
		n = wrap(l, PDF_FONT_CJK_SANS, 18.0, second, maxw, &lines);
		for (int i = 0; i < n; i++) {
			text_centred(l, y, PDF_FONT_CJK_SANS, 18.0, INK, lines[i]);
			y -= 18.0 * 1.35;
		}
		free_lines(lines, n);
	}

	y -= 10.0;
	double rule = 0.42 * maxw;
	pdf_line(l->doc, (l->width - rule) / 2, y, (l->width + rule) / 2, y, 0.6, INK);
	y -= 34.0;
	text_centred(l, y, PDF_FONT_CJK_SERIF, 15.0, GREY, "讲义 · 数值结果");
	y -= 42.0;
	if (cfg->document.author[0])
		text_centred(l, y, PDF_FONT_CJK_SERIF, 13.0, INK, cfg->document.author);

	char buf[256];
	double base = l->bottom + GRID;
	text_centred(l, base, PDF_FONT_CJK_SERIF, 9.0, GREY,
	    "本讲义中的全部数值均由程序按 report.conf 中的参数计算得出。");
	snprintf(buf, sizeof buf, "数值结果见第 %d 页，参数表见第 %d 页。", results_page + 1,
	    params_page + 1);
	text_centred(l, base - GRID, PDF_FONT_CJK_SERIF, 9.0, GREY, buf);
}

/* The part of a result name before its first dot: rows change group there. */
static bool
same_group(const char *a, const char *b)
{
	size_t na = strcspn(a, "."), nb = strcspn(b, ".");
	return na == nb && strncmp(a, b, na) == 0;
}

static bool
results_pages(struct layout *l, const struct registry *reg)
{
	static const char section[] = "数值结果";
	if (!new_page(l, section))
		return false;
	heading(l, section);

	char intro[256];
	snprintf(intro, sizeof intro,
	    "下表列出本次计算得到的全部 %zu 个标量结果。键是 data/results.csv 中的名称，"
	    "数值按 10 位有效数字给出。",
	    reg->nresults);
	paragraph(l, intro, INK);
	l->y -= GRID / 2;

	size_t n = reg->nresults;
	const char **cells = xcalloc(3 * n + 1, sizeof *cells);
	char **values = xcalloc(n + 1, sizeof *values);
	bool *group = xcalloc(n + 1, sizeof *group);
	for (size_t i = 0; i < n; i++) {
		const struct result *res = &reg->results[i];
		values[i] = xasprintf("%.10g", res->value);
		cells[3 * i] = res->label && res->label[0] ? res->label : "—";
		cells[3 * i + 1] = res->name;
		cells[3 * i + 2] = values[i];
		group[i] = i > 0 && !same_group(reg->results[i - 1].name, res->name);
	}

	struct tcol cols[3] = {
	    {"名称", PDF_FONT_CJK_SERIF, TABLE_SIZE, ALIGN_LEFT, 0},
	    {"键", PDF_FONT_MONO, KEY_SIZE, ALIGN_LEFT, 0},
	    {"值", PDF_FONT_LATIN_SERIF, TABLE_SIZE, ALIGN_RIGHT, 0},
	};
	double avail = l->right - l->left - 2 * COL_GAP;
	double wkey = text_width(l, PDF_FONT_MONO, KEY_SIZE, "键");
	double wval = text_width(l, PDF_FONT_CJK_SANS, TABLE_SIZE, "值");
	for (size_t i = 0; i < n; i++) {
		double w = text_width(l, PDF_FONT_MONO, KEY_SIZE, cells[3 * i + 1]);
		if (w > wkey)
			wkey = w;
	}
	for (size_t i = 0; i < n; i++) {
		double w = text_width(l, PDF_FONT_LATIN_SERIF, TABLE_SIZE, values[i]);
		if (w > wval)
			wval = w;
	}
	struct table t = {cols, 3, cells, (int)n, NULL, 0, group, section, "数值结果（续）"};
	if (wkey > 0.4 * avail)
		wkey = 0.4 * avail; /* long keys wrap */
	cols[1].width = wkey;
	cols[2].width = wval;
	cols[0].width = avail - wkey - wval;

	bool ok = n == 0 ? (paragraph(l, "（没有结果。）", GREY), true) : draw_table(l, &t);
	for (size_t i = 0; i < n; i++)
		free(values[i]);
	free(values);
	free(cells);
	free(group);
	return ok;
}

static bool
params_page(struct layout *l, const struct config_source *src)
{
	static const char section[] = "参数";
	if (!new_page(l, section))
		return false;
	heading(l, section);
	paragraph(l,
	    "计算所用的全部参数：当前值、默认值及其来源（default 为默认值，"
	    "文件名:行号 为配置文件，--set 为命令行）。",
	    INK);
	if (l->cfg->document.color)
		paragraph(l, "与默认值不同的取值以红色标出。", INK);
	l->y -= GRID / 2;

	int n = config_key_count();
	struct config_key_info *info = xcalloc((size_t)n + 1, sizeof *info);
	const char **cells = xcalloc(4 * (size_t)n + 1, sizeof *cells);
	bool *accent = xcalloc((size_t)n + 1, sizeof *accent);
	bool *group = xcalloc((size_t)n + 1, sizeof *group);
	double wkey = 0, worigin = text_width(l, PDF_FONT_CJK_SANS, TABLE_SIZE, "来源");
	for (int i = 0; i < n; i++) {
		config_key_info(i, l->cfg, src, &info[i]);
		cells[4 * i] = info[i].name;
		cells[4 * i + 1] = info[i].value;
		cells[4 * i + 2] = info[i].default_value;
		cells[4 * i + 3] = info[i].origin;
		accent[i] = !info[i].is_default;
		group[i] = i > 0 && !same_group(info[i - 1].name, info[i].name);
		double w = text_width(l, PDF_FONT_MONO, KEY_SIZE, info[i].name);
		if (w > wkey)
			wkey = w;
		w = text_width(l, PDF_FONT_MONO, KEY_SIZE, info[i].origin);
		if (w > worigin)
			worigin = w;
	}

	struct tcol cols[4] = {
	    {"参数", PDF_FONT_MONO, KEY_SIZE, ALIGN_LEFT, 0},
	    {"值", PDF_FONT_MONO, KEY_SIZE, ALIGN_LEFT, 0},
	    {"默认值", PDF_FONT_MONO, KEY_SIZE, ALIGN_LEFT, 0},
	    {"来源", PDF_FONT_MONO, KEY_SIZE, ALIGN_LEFT, 0},
	};
	double avail = l->right - l->left - 3 * COL_GAP;
	if (wkey > 0.3 * avail)
		wkey = 0.3 * avail;
	if (worigin > 0.2 * avail)
		worigin = 0.2 * avail;
	cols[0].width = wkey;
	cols[3].width = worigin;
	cols[1].width = cols[2].width = (avail - wkey - worigin) / 2;

	struct table t = {cols, 4, cells, n, accent, 1, group, section, "参数（续）"};
	bool ok = draw_table(l, &t);
	free(info);
	free(cells);
	free(accent);
	free(group);
	return ok;
}

bool
report_write_pdf(const struct report_config *cfg, const struct config_source *src,
    const struct registry *reg, struct figure_set *figs, const char *path)
{
	struct pdf_doc *doc = pdf_new(cfg);
	if (doc == NULL)
		return false;

	struct layout l = {.doc = doc, .cfg = cfg};
	l.width = pdf_page_width(doc);
	l.height = pdf_page_height(doc);
	l.left = MARGIN;
	l.right = l.width - MARGIN;
	l.top = l.height - MARGIN;
	l.bottom = MARGIN;

	struct pdf_info info = {
	    .title = cfg->document.title,
	    .author = cfg->document.author,
	    .subject = "生成模型讲义",
	    .keywords = "VAE, GAN, Diffusion, ELBO",
	};
	/* Latin, digits and Greek inside Chinese body text from DejaVu Serif */
	pdf_set_latin_font(doc, PDF_FONT_CJK_SERIF, PDF_FONT_LATIN_SERIF);
	struct dl_metrics metrics;
	plot_pdf_metrics(doc, &metrics);
	bool ok = figures_plot(figs, reg, cfg, &metrics, l.right - l.left) &&
	    pdf_set_info(doc, &info) && new_page(&l, NULL) && figure_pages(&l, figs);
	int results_at = pdf_page_count(doc);
	ok = ok && results_pages(&l, reg);
	int params_at = pdf_page_count(doc);
	ok = ok && params_page(&l, src);
	if (ok) {
		/* drawn last: it names the pages the tables landed on */
		pdf_select_page(doc, 0);
		title_page(&l, results_at, params_at);
		footers(&l);
	}
	ok = ok && pdf_save(doc, path);
	pdf_free(doc);
	return ok;
}
