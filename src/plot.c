/* plot: figure spec + registry + config -> display list, laid out by
 * matplotlib 3.6's rules (the seed's figures were drawn by it):
 *
 *   - the subplot grid is spaced like plt.tight_layout() (_tight_layout.py):
 *     each cell's decorations (tick labels, axis labels, title, texts) are
 *     measured, the margins and the common gaps are the largest overhangs
 *     plus 1.08 font sizes, every axes of a row/column gets the same size;
 *   - a colour bar takes its panel's cell the way colorbar.make_axes_gridspec
 *     does (fraction 0.15, pad 0.05, box aspect 20, anchored left);
 *   - limits: Axes.autoscale_view's handle_single_axis (5 % margins in
 *     transformed space, sticky edges of bars at 0 and of contours at their
 *     extent, nonsingular ranges), or the spec's fixed limits;
 *   - ticks: AutoLocator (locator.c) with nbins as matplotlib derives it for
 *     the seed's figure, lowered only when our print-size labels would
 *     collide; LogLocator for log axes; labels as ScalarFormatter and
 *     LogFormatterSciNotation write them, with the seed's hyphen-minus
 *     (axes.unicode_minus False);
 *   - legends: matplotlib's entry order (the order the artists were added),
 *     its paddings in font-size units, and loc='best' as
 *     Legend._find_best_position scores the ten candidate positions on the
 *     seed's figure;
 *   - draw order by zorder as matplotlib sorts artists: patches and
 *     collections (1), grid (1.5, axes.axisbelow 'line'), lines (2), frame
 *     (2.5), texts (3), legend (5).
 *
 * Two layouts.  The reference layout is the seed's figure: figsize width x
 * height in points, matplotlib's own sizes (10 pt labels, 12 pt titles),
 * none of the print adjustments.  What matplotlib decides from the geometry
 * is taken from it: the corner of each loc='best' legend and each axis's
 * nbins='auto'.  The printed layout then uses those decisions at
 * opt->width x opt->width * print_height / width.
 *
 * Sizes in print: r = width / figsize width.  Every size takes the larger
 * of matplotlib's size scaled by r and a floor chosen for print (fonts 7 pt
 * for tick labels and legends, 8 for axis labels, 9 for titles; lines
 * 0.6 x lw), so a figure at its matplotlib size reproduces matplotlib's and
 * a small one stays legible.  Marker sizes scale with r alone so the
 * scatter reads as dense as the seed's. */
#include "plot.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "diag.h"
#include "locator.h"
#include "util.h"

/* matplotlib rc defaults (matplotlibrc of 3.6) used below. */
#define MPL_FONT_SIZE 10.0      /* font.size; tick and axis labels, legend */
#define MPL_TITLE_SIZE 12.0     /* axes.titlesize 'large' */
#define MPL_MARGIN 0.05         /* axes.xmargin, axes.ymargin */
#define MPL_TIGHT_PAD 1.08      /* tight_layout(pad=1.08) */
#define MPL_TICK_SIZE 3.5       /* xtick.major.size */
#define MPL_MINOR_TICK_SIZE 2.0 /* xtick.minor.size */
#define MPL_TICK_WIDTH 0.8      /* xtick.major.width */
#define MPL_MINOR_TICK_WIDTH 0.6
#define MPL_TICK_PAD 3.5        /* xtick.major.pad */
#define MPL_LABEL_PAD 4.0       /* axes.labelpad */
#define MPL_TITLE_PAD 6.0       /* axes.titlepad */
#define MPL_AXES_LW 0.8         /* axes.linewidth */
#define MPL_GRID_LW 0.8         /* grid.linewidth */
#define MPL_PATCH_LW 1.0        /* patch.linewidth: fill edges, text boxes, legend frame */
#define MPL_SCATTER_LW 1.0      /* scatter edge width (edgecolors 'face') */
#define MPL_MARKER_SIZE 6.0     /* lines.markersize */
#define MPL_LINE_SPACING 1.2    /* Text linespacing */
/* legend.* (in legend font sizes) */
#define LEG_BORDERPAD 0.4
#define LEG_LABELSPACING 0.5
#define LEG_HANDLELENGTH 2.0
#define LEG_HANDLEHEIGHT 0.7
#define LEG_HANDLETEXTPAD 0.8
#define LEG_BORDERAXESPAD 0.5
#define LEG_FRAMEALPHA 0.8
#define LEG_ROUNDING 0.2        /* FancyBboxPatch round, rounding_size 0.2 */
/* colorbar.make_axes_gridspec defaults */
#define CBAR_FRACTION 0.15
#define CBAR_PAD 0.05
#define CBAR_ASPECT 20.0

/* Print floors (at ~455 pt, the A4 text block). */
#define PRINT_MIN_FONT 7.0      /* nothing printed smaller */
#define PRINT_TICK_FONT PRINT_MIN_FONT
#define PRINT_LABEL_FONT 8.0
#define PRINT_TITLE_FONT 9.0
#define PRINT_LEGEND_FONT PRINT_MIN_FONT
#define PRINT_LINE_SCALE 0.6    /* lw 2 -> 1.2 pt */
#define PRINT_FRAME_SCALE 0.75  /* axes.linewidth 0.8 -> 0.6 pt */
#define PRINT_TICK_SCALE 0.9    /* tick length 3.5 -> 3.15 pt */

static const struct dl_color BLACK = {0, 0, 0};
static const struct dl_color WHITE = {1, 1, 1};

/* ------------------------------------------------------------ state */

struct sizes {
	double r;                     /* printed width / matplotlib width */
	double font_tick, font_label, font_title, font_legend, font_base;
	double text_scale;            /* for text series' own sizes (14 -> 11.2) */
	double eq_font;               /* matplotlib's 10 pt tick labels, scaled by r */
	double line_scale;            /* data line widths */
	double frame_lw, tick_lw, minor_tick_lw, grid_lw, patch_lw;
	double tick_len, minor_tick_len, tick_pad, label_pad, title_pad;
	double pad;                   /* tight_layout pad in points */
};

struct series {
	const struct fig_series *fs;
	enum fig_series_kind kind;
	size_t n;
	double *x, *y, *y2, *c;        /* line, fill, scatter; contour x, y */
	double *left, *right, *height; /* bars */
	size_t nparts, *part;          /* contour polylines: [part[i], part[i+1]) */
	double at, at_y;               /* hline y, vline x, text x and y */
	char *label;                   /* expanded legend label or NULL */
	char *text;                    /* expanded text of FIG_TEXT */
	/* resolved style */
	struct dl_color color;
	double alpha;
	bool has_edge;                 /* fill edge, text box edge */
	struct dl_color edge;
	double lw;                     /* printed points */
	double dash[DL_MAX_DASH];
	int ndash;
	bool has_marker;
	enum dl_marker_shape marker;
	double marker_size;            /* printed diameter */
	size_t markevery;
	enum dl_hatch hatch;
	bool cmapped;                  /* scatter with c= */
	double vmin, vmax;
	double font_size;              /* FIG_TEXT: printed size */
	double req_size;               /* FIG_TEXT: the spec's size (matplotlib points) */
	bool box;
	struct dl_color box_face;
	double box_pad;
	int zorder;
};

#define MAX_TICKS 256

struct axis {
	bool x, log;
	int ref_nbins;                 /* nbins (numticks on a log axis) matplotlib
	                                * resolves 'auto' to on the seed's figure
	                                * (the reference layout); 0: from the
	                                * length and sizes.eq_font */
	double lo, hi;                 /* view limits (lo < hi unless inverted) */
	double pos, len;               /* where the axis starts and its length, points */
	size_t nmajor, nminor;
	double major[MAX_TICKS], minor[MAX_TICKS];
	char *major_label[MAX_TICKS], *minor_label[MAX_TICKS]; /* NULL: none */
	char *offset_text;             /* ScalarFormatter's order of magnitude, or NULL */
};

struct panel {
	const struct fig_panel *fp;
	struct series *s;
	size_t ns;
	char *title, *xlabel, *ylabel, *cbar_label;
	char **title_lines;            /* the title split at line breaks */
	size_t ntitle;
	struct axis xa, ya;
	double cx, cy, cw, ch;         /* the grid cell */
	double ax, ay, aw, ah;         /* the axes rectangle */
	bool cbar;
	const struct series *cbar_src;
	struct axis ca;                /* the colour bar's long axis */
	double bx, by, bw, bh;         /* the colour bar rectangle */
	/* overhangs of the decorations beyond the cell: left, right, bottom, top */
	double over[4];
	int legend_code;               /* loc='best' as matplotlib resolves it on the
	                                * seed's figure (1..10; 0: not yet known) */
};

struct ctx {
	const struct fig_spec *spec;
	const struct registry *reg;
	const struct report_config *cfg;
	const struct dl_metrics *m;
	bool color;
	bool reference;                /* laying out the seed's figure: its figsize,
	                                * matplotlib's sizes, no print adjustments */
	double W, H;
	struct sizes sz;
	struct panel *p;
	size_t np;
	int errors;
	struct dlist *dl;
};

static double
maxd(double a, double b)
{
	return a > b ? a : b;
}

static double
mind(double a, double b)
{
	return a < b ? a : b;
}

/* ------------------------------------------------------------ text */

struct tmetrics {
	double w, a, d; /* advance width, ascent (> 0), descent (< 0) */
};

/* Text extents for layout.  matplotlib measures a text by its ink (at
 * least that of "lp"); the metrics give the font's ascent and descent,
 * which in CJK fonts reach past the ink (WenQuanYi: 0.94 and 0.24 em).  The
 * extents are clamped to 0.86 em above and 0.22 em below the baseline, the
 * ink of ideographs and of 'p', which makes a line of text as tall as
 * matplotlib makes it with the same font (1.08 em). */
#define INK_ASCENT 0.86
#define INK_DESCENT 0.22

static struct tmetrics
measure(const struct dl_metrics *m, enum dl_font font, double size, const char *s)
{
	struct tmetrics t = {0, INK_ASCENT * size, -INK_DESCENT * size};
	if (m == NULL)
		return t;
	if (m->vertical != NULL) {
		m->vertical(m->ctx, font, size, &t.a, &t.d);
		t.a = mind(t.a, INK_ASCENT * size);
		t.d = maxd(t.d, -INK_DESCENT * size);
	}
	if (m->text_width != NULL && s != NULL && s[0] != '\0')
		t.w = m->text_width(m->ctx, font, size, s);
	return t;
}

static void
emit_text(struct ctx *C, const char *s, enum dl_font font, double size, double x, double y,
    enum dl_halign ha, double angle, struct dl_color color, double alpha)
{
	struct dl_text t;
	memset(&t, 0, sizeof t);
	t.utf8 = (char *)s;
	t.font = font;
	t.size = size;
	t.x = x;
	t.y = y;
	t.angle = angle;
	t.halign = ha;
	t.valign = DL_BASELINE;
	t.color = color;
	t.alpha = alpha;
	dlist_text(C->dl, &t);
}

/* Replaces code points no font has with what the handout shows instead:
 * ❌ (U+274C) becomes ✗ (U+2717), as pdf.c does when drawing, so our
 * measurements and the dump agree with the page.  Returns a new string. */
static char *
printable_text(const char *s)
{
	static const char cross_mark[] = "\xe2\x9d\x8c";   /* U+274C */
	static const char ballot_x[] = "\xe2\x9c\x97";     /* U+2717 */
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (strncmp(s + i, cross_mark, 3) == 0) {
			memcpy(out + o, ballot_x, 3);
			o += 3;
			i += 3;
			/* a variation selector after it would only select emoji */
			if (strncmp(s + i, "\xef\xb8\x8f", 3) == 0)
				i += 3;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------------ numbers as text */

/* ------------------------------------------------------------ placeholders */

struct value {
	bool numeric;
	bool integer;     /* print without ".0" */
	double num;
	char text[CONFIG_TEXT_MAX];
};

/* Whether a config value prints as an integer.  config_key_info does not
 * say which keys are integer-typed, so every number prints like a Python
 * float ("2.0"), which is what the seed's f-strings show for the keys its
 * figures use; {{key|%.0f}} prints an integer key as an integer. */
static bool
config_value_is_integer(const struct config_key_info *info)
{
	(void)info;
	return false;
}

static bool
lookup_name(const struct ctx *C, const char *name, struct value *out)
{
	memset(out, 0, sizeof *out);
	if (C->cfg != NULL) {
		int n = config_key_count();
		for (int i = 0; i < n; i++) {
			struct config_key_info info;
			config_key_info(i, C->cfg, NULL, &info);
			if (strcmp(info.name, name) != 0)
				continue;
			snprintf(out->text, sizeof out->text, "%s", info.value);
			char *end;
			double v = strtod(info.value, &end);
			if (end != info.value && *end == '\0') {
				out->numeric = true;
				out->num = v;
				out->integer = config_value_is_integer(&info);
			}
			return true;
		}
	}
	const struct result *res = C->reg ? registry_result(C->reg, name) : NULL;
	if (res != NULL) {
		out->numeric = true;
		out->num = res->value;
		format_py_repr(out->text, sizeof out->text, res->value);
		return true;
	}
	return false;
}

/* "; did you mean 'x'?" over config keys and result names, or "". */
static void
name_hint(const struct ctx *C, const char *name, char *buf, size_t size)
{
	const char *best = NULL;
	int best_d = INT_MAX;
	if (C->cfg != NULL) {
		for (int i = 0; i < config_key_count(); i++) {
			struct config_key_info info;
			config_key_info(i, C->cfg, NULL, &info);
			int d = edit_distance(name, info.name);
			if (d < best_d) {
				best_d = d;
				best = info.name;
			}
		}
	}
	char *best_copy = best ? xstrdup(best) : NULL;
	if (C->reg != NULL)
		for (size_t i = 0; i < C->reg->nresults; i++) {
			int d = edit_distance(name, C->reg->results[i].name);
			if (d < best_d) {
				best_d = d;
				free(best_copy);
				best_copy = xstrdup(C->reg->results[i].name);
			}
		}
	size_t len = strlen(name);
	int limit = len < 6 ? 1 : len < 12 ? 2 : 3;
	if (best_copy != NULL && best_d <= limit)
		snprintf(buf, size, "; did you mean '%s'?", best_copy);
	else
		buf[0] = '\0';
	free(best_copy);
}

static void
report_unknown(struct ctx *C, const char *name, struct fig_loc loc)
{
	char hint[256];
	name_hint(C, name, hint, sizeof hint);
	diag_emit(DIAG_PLOT_UNKNOWN_NAME, loc.file, loc.line, loc.col, name, hint);
	C->errors++;
}

/* Expands the placeholders of `t` (NULL text gives NULL).  Unknown names
 * are reported at the text's location; the result is then NULL. */
static char *
expand_text(struct ctx *C, const struct fig_text *t)
{
	if (t == NULL || t->text == NULL)
		return NULL;
	struct strbuf b = {NULL, 0, 0};
	strbuf_putn(&b, "", 0);
	bool ok = true;
	const char *s = t->text;
	while (*s) {
		const char *open = strstr(s, "{{");
		if (open == NULL) {
			strbuf_putn(&b, s, strlen(s));
			break;
		}
		const char *close = strstr(open + 2, "}}");
		if (close == NULL) {
			strbuf_putn(&b, s, strlen(s));
			break;
		}
		strbuf_putn(&b, s, (size_t)(open - s));
		char inner[256];
		size_t len = (size_t)(close - open - 2);
		if (len >= sizeof inner)
			len = sizeof inner - 1;
		memcpy(inner, open + 2, len);
		inner[len] = '\0';
		char *fmt = strchr(inner, '|');
		if (fmt != NULL)
			*fmt++ = '\0';
		/* trim blanks around the name */
		char *name = inner;
		while (*name == ' ')
			name++;
		char *end = name + strlen(name);
		while (end > name && end[-1] == ' ')
			*--end = '\0';
		struct value v;
		if (!lookup_name(C, name, &v)) {
			report_unknown(C, name, t->loc);
			ok = false;
		} else if (fmt != NULL && fmt[0] != '\0') {
			if (!v.numeric) {
				diag_emit(DIAG_PLOT_NOT_NUMBER, t->loc.file, t->loc.line, t->loc.col,
				    name, v.text);
				C->errors++;
				ok = false;
			} else {
				char out[128];
				/* figspec checked: exactly one conversion of a double */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
				snprintf(out, sizeof out, fmt, v.num);
#pragma GCC diagnostic pop
				strbuf_putn(&b, out, strlen(out));
			}
		} else if (v.numeric && !v.integer) {
			char out[64];
			format_py_repr(out, sizeof out, v.num);
			strbuf_putn(&b, out, strlen(out));
		} else {
			strbuf_putn(&b, v.text, strlen(v.text));
		}
		s = close + 2;
	}
	if (!ok) {
		free(b.s);
		return NULL;
	}
	char *res = printable_text(b.s);
	free(b.s);
	return res;
}

/* The value of a number attribute; false after reporting a problem. */
static bool
resolve_number(struct ctx *C, const struct fig_number *n, double *out)
{
	if (n->ref == NULL) {
		*out = n->value;
		return true;
	}
	struct value v;
	if (!lookup_name(C, n->ref, &v)) {
		report_unknown(C, n->ref, n->loc);
		return false;
	}
	if (!v.numeric) {
		diag_emit(DIAG_PLOT_NOT_NUMBER, n->loc.file, n->loc.line, n->loc.col, n->ref, v.text);
		C->errors++;
		return false;
	}
	*out = v.num;
	return true;
}

/* ------------------------------------------------------------ data bindings */

static const struct dataset *
find_dataset(struct ctx *C, const struct fig_binding *b)
{
	const struct dataset *ds = b->dataset ? registry_dataset(C->reg, b->dataset) : NULL;
	if (ds != NULL)
		return ds;
	char hint[160] = "";
	const char *best = NULL;
	int best_d = INT_MAX;
	for (size_t i = 0; C->reg && i < C->reg->ndatasets; i++) {
		int d = edit_distance(b->dataset ? b->dataset : "", C->reg->datasets[i]->name);
		if (d < best_d) {
			best_d = d;
			best = C->reg->datasets[i]->name;
		}
	}
	if (best != NULL && best_d <= 3)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", best);
	diag_emit(DIAG_PLOT_NO_DATASET, b->loc.file, b->loc.line, b->loc.col,
	    b->dataset ? b->dataset : "", hint);
	C->errors++;
	return NULL;
}

static const struct column *
find_column(struct ctx *C, const struct dataset *ds, const char *name, struct fig_loc loc)
{
	const struct column *col = dataset_column(ds, name);
	if (col != NULL)
		return col;
	char hint[160] = "";
	const char *best = NULL;
	int best_d = INT_MAX;
	for (size_t i = 0; i < ds->ncols; i++) {
		int d = edit_distance(name, ds->cols[i].name);
		if (d < best_d) {
			best_d = d;
			best = ds->cols[i].name;
		}
	}
	if (best != NULL && best_d <= 3)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", best);
	diag_emit(DIAG_PLOT_NO_COLUMN, loc.file, loc.line, loc.col, ds->name, name, hint);
	C->errors++;
	return NULL;
}

/* The rows `where=` selects (all rows without it).  Returns false after a
 * report; *rows is then NULL. */
static bool
select_rows(struct ctx *C, const struct fig_series *fs, const struct dataset *ds,
    size_t **rows, size_t *nrows)
{
	*rows = NULL;
	*nrows = 0;
	size_t *r = xmalloc((ds->nrows ? ds->nrows : 1) * sizeof *r);
	size_t n = 0;
	if (fs->data.where_column == NULL) {
		for (size_t i = 0; i < ds->nrows; i++)
			r[n++] = i;
	} else {
		const struct column *col = find_column(C, ds, fs->data.where_column,
		    fs->data.where_loc);
		if (col == NULL) {
			free(r);
			return false;
		}
		char *end;
		double want = strtod(fs->data.where_value, &end);
		bool numeric = end != fs->data.where_value && *end == '\0';
		for (size_t i = 0; i < ds->nrows; i++) {
			bool hit = col->type == COLUMN_TEXT ?
			    strcmp(col->text[i], fs->data.where_value) == 0 :
			    (numeric && col->num[i] == want);
			if (hit)
				r[n++] = i;
		}
		if (n == 0) {
			char *msg = xasprintf("no row of dataset '%s' has %s = '%s'", ds->name,
			    fs->data.where_column, fs->data.where_value);
			diag_emit(DIAG_PLOT_BAD_DATA, fs->data.where_loc.file, fs->data.where_loc.line,
			    fs->data.where_loc.col, msg);
			free(msg);
			C->errors++;
			free(r);
			return false;
		}
	}
	*rows = r;
	*nrows = n;
	return true;
}

/* A numeric column restricted to `rows`, newly allocated; NULL after a
 * report.  `attr` names the spec attribute for the message location. */
static double *
column_values(struct ctx *C, const struct fig_series *fs, const struct dataset *ds,
    const char *attr, const char *name, const size_t *rows, size_t n)
{
	struct fig_loc loc = fig_series_attr_loc(fs, attr);
	const struct column *col = find_column(C, ds, name, loc);
	if (col == NULL)
		return NULL;
	if (col->type != COLUMN_NUMBER) {
		char *msg = xasprintf("column '%s' of dataset '%s' holds text, not numbers", name,
		    ds->name);
		diag_emit(DIAG_PLOT_BAD_DATA, loc.file, loc.line, loc.col, msg);
		free(msg);
		C->errors++;
		return NULL;
	}
	double *v = xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = col->num[rows[i]];
	return v;
}

static bool
resolve_color(struct ctx *C, const struct fig_series *fs, const char *attr, const char *spec,
    struct dl_color *out, double *alpha)
{
	if (color_parse(spec, out, alpha))
		return true;
	struct fig_loc loc = fig_series_attr_loc(fs, attr);
	const char *best = color_suggest(spec);
	char hint[96] = "";
	if (best != NULL)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", best);
	diag_emit(DIAG_PLOT_BAD_COLOR, loc.file, loc.line, loc.col, attr, spec, hint);
	C->errors++;
	return false;
}

/* ------------------------------------------------------------ series */

static void
series_free(struct series *s)
{
	free(s->x);
	free(s->y);
	free(s->y2);
	free(s->c);
	free(s->left);
	free(s->right);
	free(s->height);
	free(s->part);
	free(s->label);
	free(s->text);
}

/* matplotlib's dash patterns (lines.*_pattern), scaled by the line width
 * as lines.scale_dashes does. */
static void
set_dashes(struct series *s, enum fig_linestyle ls)
{
	static const double dashed[] = {3.7, 1.6}, dotted[] = {1, 1.65},
	    dashdot[] = {6.4, 1.6, 1, 1.6};
	const double *p = NULL;
	int n = 0;
	switch (ls) {
	case FIG_DASHED:
		p = dashed;
		n = 2;
		break;
	case FIG_DOTTED:
		p = dotted;
		n = 2;
		break;
	case FIG_DASHDOT:
		p = dashdot;
		n = 4;
		break;
	default:
		break;
	}
	double lw = s->lw > 0 ? s->lw : 1;
	s->ndash = n;
	for (int i = 0; i < n; i++)
		s->dash[i] = p[i] * lw;
}

static enum dl_marker_shape
marker_shape(const char *m)
{
	if (m == NULL)
		return DL_MARKER_CIRCLE;
	switch (m[0]) {
	case 's':
		return DL_MARKER_SQUARE;
	case '^':
		return DL_MARKER_TRIANGLE;
	case 'D':
		return DL_MARKER_DIAMOND;
	case 'x':
		return DL_MARKER_CROSS;
	case '+':
		return DL_MARKER_PLUS;
	default:
		return DL_MARKER_CIRCLE;
	}
}

/* Contour rows -> polylines: a new one starts where (level, segment)
 * changes, in row order (DESIGN.md: contours.csv). */
static bool
load_contour(struct ctx *C, const struct fig_series *fs, const struct dataset *ds,
    const size_t *rows, size_t n, struct series *s)
{
	double *level = column_values(C, fs, ds, "data", "level", rows, n);
	double *seg = column_values(C, fs, ds, "data", "segment", rows, n);
	s->x = column_values(C, fs, ds, "data", "x", rows, n);
	s->y = column_values(C, fs, ds, "data", "y", rows, n);
	if (!level || !seg || !s->x || !s->y) {
		free(level);
		free(seg);
		return false;
	}
	s->n = n;
	s->part = xmalloc((n + 1) * sizeof *s->part);
	s->c = xmalloc((n ? n : 1) * sizeof *s->c); /* the level of each point */
	s->nparts = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || level[i] != level[i - 1] || seg[i] != seg[i - 1])
			s->part[s->nparts++] = i;
		s->c[i] = level[i];
	}
	s->part[s->nparts] = n;
	free(level);
	free(seg);
	return true;
}

/* Resolves one series: data, expanded texts, colours and printed sizes.
 * line_cycle/patch_cycle count matplotlib's two colour cycles (plot() and
 * fill_between/bar/scatter take separate ones).  False after reports. */
static bool
resolve_series(struct ctx *C, const struct fig_series *fs, struct series *s, int *line_cycle,
    int *patch_cycle)
{
	const struct sizes *sz = &C->sz;
	memset(s, 0, sizeof *s);
	s->fs = fs;
	s->kind = fs->kind;
	s->zorder = fs->zorder;
	int errors0 = C->errors;

	/* data */
	if (fs->kind == FIG_LINE || fs->kind == FIG_FILL || fs->kind == FIG_SCATTER ||
	    fs->kind == FIG_CONTOUR || fs->kind == FIG_BARS) {
		const struct dataset *ds = find_dataset(C, &fs->data);
		size_t *rows = NULL, n = 0;
		if (ds != NULL && select_rows(C, fs, ds, &rows, &n)) {
			switch (fs->kind) {
			case FIG_LINE:
			case FIG_FILL:
			case FIG_SCATTER:
				s->n = n;
				if (fs->x)
					s->x = column_values(C, fs, ds, "x", fs->x, rows, n);
				if (fs->y)
					s->y = column_values(C, fs, ds, "y", fs->y, rows, n);
				if (fs->y2)
					s->y2 = column_values(C, fs, ds, "y2", fs->y2, rows, n);
				if (fs->c)
					s->c = column_values(C, fs, ds, "c", fs->c, rows, n);
				break;
			case FIG_CONTOUR:
				load_contour(C, fs, ds, rows, n, s);
				break;
			case FIG_BARS:
				s->n = n;
				s->left = column_values(C, fs, ds, "left", fs->left, rows, n);
				s->right = column_values(C, fs, ds, "right", fs->right, rows, n);
				s->height = column_values(C, fs, ds, "height", fs->height, rows, n);
				break;
			default:
				break;
			}
		}
		free(rows);
	}
	if (fs->kind == FIG_HLINE || fs->kind == FIG_VLINE || fs->kind == FIG_TEXT)
		resolve_number(C, &fs->at, &s->at);
	if (fs->kind == FIG_TEXT)
		resolve_number(C, &fs->at_y, &s->at_y);

	/* texts */
	if (fs->label.text != NULL)
		s->label = expand_text(C, &fs->label);
	if (fs->kind == FIG_TEXT)
		s->text = expand_text(C, &fs->text);

	/* style */
	double alpha = 1, lw = 1.5;
	resolve_number(C, &fs->alpha, &alpha);
	resolve_number(C, &fs->linewidth, &lw);
	s->alpha = alpha;
	s->lw = lw * sz->line_scale;
	double calpha = 1;
	char cyc[16];
	if (fs->color != NULL) {
		resolve_color(C, fs, "color", fs->color, &s->color, &calpha);
	} else {
		switch (fs->kind) {
		case FIG_LINE:
			snprintf(cyc, sizeof cyc, "C%d", (*line_cycle)++);
			break;
		case FIG_FILL:
		case FIG_BARS:
			snprintf(cyc, sizeof cyc, "C%d", (*patch_cycle)++);
			break;
		case FIG_SCATTER:
			if (fs->c == NULL)
				snprintf(cyc, sizeof cyc, "C%d", (*patch_cycle)++);
			else
				snprintf(cyc, sizeof cyc, "C0");
			break;
		case FIG_TEXT:
			snprintf(cyc, sizeof cyc, "k");
			break;
		default: /* hline, vline: lines.color; contour: by level below */
			snprintf(cyc, sizeof cyc, "C0");
			break;
		}
		color_parse(cyc, &s->color, NULL);
	}
	if (calpha < 1)
		s->alpha *= calpha;
	set_dashes(s, fs->linestyle);

	switch (fs->kind) {
	case FIG_FILL:
		/* fill_between(color=c) colours the edge too, 1 pt wide; with no
		 * colour (or edgecolor=none) the polygon has no edge. */
		if (fs->edgecolor != NULL) {
			double ea = 1;
			if (resolve_color(C, fs, "edgecolor", fs->edgecolor, &s->edge, &ea))
				s->has_edge = ea > 0;
		} else {
			s->has_edge = fs->color != NULL;
			s->edge = s->color;
		}
		s->lw = MPL_PATCH_LW * sz->line_scale;
		break;
	case FIG_BARS:
		if (fs->edgecolor != NULL) {
			double ea = 1;
			if (resolve_color(C, fs, "edgecolor", fs->edgecolor, &s->edge, &ea))
				s->has_edge = ea > 0;
		}
		s->lw = MPL_PATCH_LW * sz->line_scale;
		break;
	case FIG_SCATTER: {
		double area = 36;
		resolve_number(C, &fs->size, &area);
		/* the 1 pt edge in the face colour (scatter.edgecolors 'face')
		 * widens every marker by its line width */
		s->marker_size = (sqrt(area > 0 ? area : 0) + MPL_SCATTER_LW) * sz->r;
		s->marker = marker_shape(fs->marker);
		s->has_marker = true;
		if (fs->c != NULL) {
			s->cmapped = true;
			if (fs->cmap != NULL && !colormap_known(fs->cmap)) {
				struct fig_loc loc = fig_series_attr_loc(fs, "cmap");
				char *msg = xasprintf("unknown colormap '%s' (known: viridis)", fs->cmap);
				diag_emit(DIAG_PLOT_BAD_DATA, loc.file, loc.line, loc.col, msg);
				free(msg);
				C->errors++;
			}
			double lo = INFINITY, hi = -INFINITY;
			for (size_t i = 0; s->c && i < s->n; i++)
				if (isfinite(s->c[i])) {
					lo = mind(lo, s->c[i]);
					hi = maxd(hi, s->c[i]);
				}
			if (fs->vmin.set)
				resolve_number(C, &fs->vmin, &lo);
			if (fs->vmax.set)
				resolve_number(C, &fs->vmax, &hi);
			if (!isfinite(lo) || !isfinite(hi)) {
				lo = 0;
				hi = 1;
			}
			s->vmin = lo;
			s->vmax = hi;
		}
		break;
	}
	case FIG_TEXT: {
		double size = 10;
		resolve_number(C, &fs->size, &size);
		s->req_size = size;
		s->font_size = maxd(PRINT_MIN_FONT, size * sz->text_scale);
		if (fs->box != NULL) {
			s->box = true;
			s->box_face = WHITE;
			if (fs->box_color != NULL)
				resolve_color(C, fs, "box_color", fs->box_color, &s->box_face, NULL);
			s->edge = BLACK;
			s->has_edge = true;
			if (fs->box_edge != NULL) {
				double ea = 1;
				if (resolve_color(C, fs, "box_edge", fs->box_edge, &s->edge, &ea))
					s->has_edge = ea > 0;
			}
			double pad = 0.3;
			resolve_number(C, &fs->box_pad, &pad);
			s->box_pad = pad;
		}
		break;
	}
	case FIG_LINE:
		if (fs->marker != NULL) {
			s->has_marker = true;
			s->marker = marker_shape(fs->marker);
			s->marker_size = MPL_MARKER_SIZE * maxd(sz->r, PRINT_LINE_SCALE);
			s->markevery = 1;
		}
		break;
	default:
		break;
	}

	/* requirements the spec parser cannot see */
	if (C->errors == errors0) {
		bool need_xy = fs->kind == FIG_LINE || fs->kind == FIG_FILL || fs->kind == FIG_SCATTER;
		if (need_xy && (s->x == NULL || s->y == NULL)) {
			diag_emit(DIAG_PLOT_BAD_DATA, fs->loc.file, fs->loc.line, fs->loc.col,
			    "this series needs x= and y= columns");
			C->errors++;
		}
		if (fs->kind == FIG_TEXT && s->text == NULL) {
			diag_emit(DIAG_PLOT_BAD_DATA, fs->loc.file, fs->loc.line, fs->loc.col,
			    "text needs text=");
			C->errors++;
		}
	}
	return C->errors == errors0;
}

/* Gray levels for n colours with luminances lum[]: lo + lum (hi - lo), or,
 * when two would be closer than a fifth of the range, evenly spread by
 * luminance rank so that every series stays distinguishable. */
static void
gray_levels(const double *lum, size_t n, double lo, double hi, double *out)
{
	bool close = false;
	for (size_t i = 0; i < n; i++) {
		out[i] = lo + lum[i] * (hi - lo);
		for (size_t j = 0; j < i; j++)
			if (fabs(out[i] - out[j]) < (hi - lo) / 5)
				close = true;
	}
	if (!close || n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t rank = 0;
		for (size_t j = 0; j < n; j++)
			if (lum[j] < lum[i] || (lum[j] == lum[i] && j < i))
				rank++;
		out[i] = lo + (hi - lo) * (double)rank / (double)(n - 1);
	}
}

static bool
is_line_like(enum fig_series_kind k)
{
	return k == FIG_LINE || k == FIG_HLINE || k == FIG_VLINE || k == FIG_CONTOUR;
}

static bool
is_patch_like(enum fig_series_kind k)
{
	return k == FIG_FILL || k == FIG_BARS;
}

/* The gray value of a colour-mapped value v in [0, 1] (scatter, colour bar):
 * dark for small values, light for large, as viridis itself runs. */
static double
cmap_gray(double v)
{
	if (!(v > 0))
		v = 0;
	if (v > 1)
		v = 1;
	return 0.15 + 0.5 * v;
}

/* Grayscale print mode: colours become distinct gray levels, line-like
 * series take the dash patterns solid, dashed, dotted, dash-dot in order
 * (an explicit non-solid linestyle is kept), patches alternate hatchings
 * when a panel has more than one, lines beyond the fourth get markers. */
static void
grayscale_panel(struct ctx *C, struct panel *P)
{
	size_t n = P->ns;
	double *lum = xmalloc((n ? n : 1) * sizeof *lum);
	double *lev = xmalloc((n ? n : 1) * sizeof *lev);
	size_t *idx = xmalloc((n ? n : 1) * sizeof *idx);

	/* lines */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (is_line_like(P->s[i].kind)) {
			lum[k] = color_luminance(P->s[i].color);
			idx[k++] = i;
		}
	gray_levels(lum, k, 0.0, 0.45, lev);
	for (size_t j = 0; j < k; j++) {
		struct series *s = &P->s[idx[j]];
		s->color = color_gray(lev[j]);
		enum fig_linestyle ls = s->fs->linestyle;
		if (ls == FIG_SOLID)
			ls = (enum fig_linestyle)(j % 4);
		set_dashes(s, ls);
		if (j >= 4 && s->kind == FIG_LINE && !s->has_marker) {
			static const enum dl_marker_shape shapes[] = {DL_MARKER_CIRCLE,
				DL_MARKER_SQUARE, DL_MARKER_TRIANGLE, DL_MARKER_DIAMOND};
			s->has_marker = true;
			s->marker = shapes[(j - 4) % 4];
			s->marker_size = 3.5 * maxd(C->sz.r, 1);
			s->markevery = s->n > 10 ? s->n / 10 : 1;
		}
	}

	/* patches */
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (is_patch_like(P->s[i].kind)) {
			lum[k] = color_luminance(P->s[i].color);
			idx[k++] = i;
		}
	gray_levels(lum, k, 0.15, 0.7, lev);
	static const enum dl_hatch hatches[] = {DL_HATCH_DIAGONAL, DL_HATCH_BACK_DIAGONAL,
		DL_HATCH_CROSS, DL_HATCH_HORIZONTAL, DL_HATCH_VERTICAL, DL_HATCH_DOTS};
	for (size_t j = 0; j < k; j++) {
		struct series *s = &P->s[idx[j]];
		double g = lev[j];
		s->color = color_gray(g);
		if (s->has_edge)
			s->edge = color_gray(g * 0.5);
		if (k > 1) {
			s->hatch = hatches[j % ARRAY_LEN(hatches)];
			if (!s->has_edge)
				s->edge = color_gray(g * 0.5);
		}
	}

	/* the rest */
	for (size_t i = 0; i < n; i++) {
		struct series *s = &P->s[i];
		if (s->kind == FIG_TEXT) {
			s->color = color_gray(color_luminance(s->color) * 0.6);
			s->box_face = color_gray(0.5 + 0.5 * color_luminance(s->box_face));
			s->edge = color_gray(color_luminance(s->edge) * 0.6);
		} else if (s->kind == FIG_SCATTER && !s->cmapped) {
			s->color = color_gray(0.1 + 0.75 * color_luminance(s->color));
		}
	}
	free(lum);
	free(lev);
	free(idx);
}

/* ------------------------------------------------------------ limits */

/* LogLocator.nonsingular. */
static void
log_nonsingular(double *vminp, double *vmaxp, double minpos)
{
	double vmin = *vminp, vmax = *vmaxp;
	if (!isfinite(vmin) || !isfinite(vmax) || fmax(vmin, vmax) <= 0) {
		*vminp = 1;
		*vmaxp = 10;
		return;
	}
	if (vmin > vmax) {
		double t = vmin;
		vmin = vmax;
		vmax = t;
	}
	if (!isfinite(minpos))
		minpos = 1e-300;
	if (vmin <= 0)
		vmin = minpos;
	if (vmin == vmax) {
		/* _decade_less / _decade_greater of base 10 */
		vmin = pow(10, floor(log10(vmin)) - (pow(10, floor(log10(vmin))) == vmin ? 1 : 0));
		vmax = pow(10, ceil(log10(vmax)) + (pow(10, ceil(log10(vmax))) == vmax ? 1 : 0));
	}
	*vminp = vmin;
	*vmaxp = vmax;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void
plot_autoscale(bool log, double dmin, double dmax, double minpos, double margin,
    const double *stickies, size_t nstickies, double *lo, double *hi)
{
	double x0 = dmin, x1 = dmax;
	if (!(x0 <= x1)) { /* no data: an axes' initial view limits */
		*lo = log ? 1 : 0;
		*hi = log ? 10 : 1;
		return;
	}
	if (log)
		log_nonsingular(&x0, &x1, minpos);
	else
		locator_nonsingular(&x0, &x1, 0.05, 1e-15);

	/* sticky edges (sorted; log axes keep only positive ones) */
	double *st = xmalloc((nstickies ? nstickies : 1) * sizeof *st);
	size_t ns = 0;
	for (size_t i = 0; i < nstickies; i++)
		if (isfinite(stickies[i]) && (!log || stickies[i] > 0))
			st[ns++] = stickies[i];
	qsort(st, ns, sizeof *st, cmp_double);
	double tol = 1e-5 * fmax(fmax(fabs(x0), fabs(x1)), fabs(x1 - x0));
	/* largest sticky < x0 + tol; smallest sticky > x1 - tol (searchsorted) */
	bool has0 = false, has1 = false;
	double b0 = 0, b1 = 0;
	for (size_t i = 0; i < ns; i++)
		if (st[i] < x0 + tol) {
			b0 = st[i];
			has0 = true;
		}
	for (size_t i = ns; i-- > 0;)
		if (st[i] >= x1 - tol) {
			b1 = st[i];
			has1 = true;
		}
	free(st);

	if (log) {
		if (!isfinite(minpos))
			minpos = 1e-300;
		if (x0 <= 0)
			x0 = minpos;
		if (x1 <= 0)
			x1 = minpos;
		double t0 = log10(x0), t1 = log10(x1);
		double delta = (t1 - t0) * margin;
		if (!isfinite(delta))
			delta = 0;
		x0 = pow(10, t0 - delta);
		x1 = pow(10, t1 + delta);
	} else {
		double delta = (x1 - x0) * margin;
		if (!isfinite(delta))
			delta = 0;
		x0 = x0 - delta;
		x1 = x1 + delta;
	}
	if (has0)
		x0 = fmax(x0, b0);
	if (has1)
		x1 = fmin(x1, b1);
	/* locator.view_limits */
	if (log)
		log_nonsingular(&x0, &x1, minpos);
	else
		locator_nonsingular(&x0, &x1, 0.001, 1e-15);
	*lo = x0;
	*hi = x1;
}

struct extent {
	double min, max, minpos;
	double *sticky;
	size_t nsticky, cap;
};

static void
ext_init(struct extent *e)
{
	e->min = INFINITY;
	e->max = -INFINITY;
	e->minpos = INFINITY;
	e->sticky = NULL;
	e->nsticky = e->cap = 0;
}

static void
ext_add(struct extent *e, double v)
{
	if (!isfinite(v))
		return;
	if (v < e->min)
		e->min = v;
	if (v > e->max)
		e->max = v;
	if (v > 0 && v < e->minpos)
		e->minpos = v;
}

static void
ext_sticky(struct extent *e, double v)
{
	if (e->nsticky == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 8;
		e->sticky = xrealloc(e->sticky, e->cap * sizeof *e->sticky);
	}
	e->sticky[e->nsticky++] = v;
}

/* Data limits of a panel's series as matplotlib's dataLim collects them
 * (axhline extends y only, axvline x only, text nothing), then the view
 * limits: the spec's where given, else autoscaled. */
static void
panel_limits(struct ctx *C, struct panel *P)
{
	struct extent ex, ey;
	ext_init(&ex);
	ext_init(&ey);
	for (size_t i = 0; i < P->ns; i++) {
		const struct series *s = &P->s[i];
		switch (s->kind) {
		case FIG_LINE:
		case FIG_SCATTER:
			for (size_t j = 0; j < s->n; j++) {
				ext_add(&ex, s->x[j]);
				ext_add(&ey, s->y[j]);
			}
			break;
		case FIG_FILL:
			for (size_t j = 0; j < s->n; j++) {
				ext_add(&ex, s->x[j]);
				ext_add(&ey, s->y[j]);
				ext_add(&ey, s->y2 ? s->y2[j] : 0);
			}
			break;
		case FIG_CONTOUR: {
			/* contour() makes its extent sticky (matplotlib uses the
			 * grid box; the polylines' extent is what we have) */
			double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
			for (size_t j = 0; j < s->n; j++) {
				ext_add(&ex, s->x[j]);
				ext_add(&ey, s->y[j]);
				if (isfinite(s->x[j]) && isfinite(s->y[j])) {
					x0 = mind(x0, s->x[j]);
					x1 = maxd(x1, s->x[j]);
					y0 = mind(y0, s->y[j]);
					y1 = maxd(y1, s->y[j]);
				}
			}
			if (x0 <= x1) {
				ext_sticky(&ex, x0);
				ext_sticky(&ex, x1);
				ext_sticky(&ey, y0);
				ext_sticky(&ey, y1);
			}
			break;
		}
		case FIG_BARS:
			for (size_t j = 0; j < s->n; j++) {
				ext_add(&ex, s->left[j]);
				ext_add(&ex, s->right[j]);
				ext_add(&ey, 0);
				ext_add(&ey, s->height[j]);
				ext_sticky(&ey, 0); /* bar(): sticky_edges.y = [bottom] */
			}
			break;
		case FIG_HLINE:
			ext_add(&ey, s->at);
			break;
		case FIG_VLINE:
			ext_add(&ex, s->at);
			break;
		default:
			break;
		}
	}
	const struct fig_panel *fp = P->fp;
	P->xa.log = fp->xscale == FIG_SCALE_LOG;
	P->ya.log = fp->yscale == FIG_SCALE_LOG;
	plot_autoscale(P->xa.log, ex.min, ex.max, ex.minpos, MPL_MARGIN, ex.sticky, ex.nsticky,
	    &P->xa.lo, &P->xa.hi);
	plot_autoscale(P->ya.log, ey.min, ey.max, ey.minpos, MPL_MARGIN, ey.sticky, ey.nsticky,
	    &P->ya.lo, &P->ya.hi);
	double v;
	if (fp->xmin.set && resolve_number(C, &fp->xmin, &v))
		P->xa.lo = v;
	if (fp->xmax.set && resolve_number(C, &fp->xmax, &v))
		P->xa.hi = v;
	if (fp->ymin.set && resolve_number(C, &fp->ymin, &v))
		P->ya.lo = v;
	if (fp->ymax.set && resolve_number(C, &fp->ymax, &v))
		P->ya.hi = v;
	free(ex.sticky);
	free(ey.sticky);
	if ((P->xa.log && !(P->xa.lo > 0 && P->xa.hi > 0)) ||
	    (P->ya.log && !(P->ya.lo > 0 && P->ya.hi > 0))) {
		diag_emit(DIAG_PLOT_BAD_DATA, fp->loc.file, fp->loc.line, fp->loc.col,
		    "a log axis needs positive limits and data");
		C->errors++;
	}
	if (P->xa.lo == P->xa.hi || P->ya.lo == P->ya.hi) {
		diag_emit(DIAG_PLOT_BAD_DATA, fp->loc.file, fp->loc.line, fp->loc.col,
		    "the panel's axis limits are equal");
		C->errors++;
	}
}

/* Axis value -> position along the axis in points (NaN when a log axis
 * gets a value <= 0). */
static double
axis_map(const struct axis *a, double v)
{
	double t;
	if (a->log)
		t = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : NAN;
	else
		t = (v - a->lo) / (a->hi - a->lo);
	return a->pos + t * a->len;
}

/* ------------------------------------------------------------ tick labels */

/* The minus sign of tick labels and offset texts.  matplotlib writes U+2212
 * when axes.unicode_minus is True (its default); the seed's figures show
 * the ASCII hyphen-minus ("-1.0", "-2"): they were drawn with
 * axes.unicode_minus False, as is usual with CJK fonts (many lack U+2212 or
 * draw it full width).  "\xe2\x88\x92" here would give matplotlib's default. */
static const char TICK_MINUS[] = "-";

/* Ticker.fix_minus: TICK_MINUS for every '-'. */
static char *
fix_minus(const char *s)
{
	struct strbuf b = {NULL, 0, 0};
	strbuf_putn(&b, "", 0);
	for (; *s; s++) {
		if (*s == '-')
			strbuf_putn(&b, TICK_MINUS, strlen(TICK_MINUS));
		else
			strbuf_putn(&b, s, 1);
	}
	return b.s;
}

/* ScalarFormatter.format_data. */
static void
format_data(char *buf, size_t size, double value)
{
	int e = (int)floor(log10(fabs(value)));
	double s = round(value / pow(10, e) * 1e10) / 1e10;
	char sig[40];
	if (fmod(s, 1) == 0)
		snprintf(sig, sizeof sig, "%d", (int)s);
	else
		snprintf(sig, sizeof sig, "%1.10f", s);
	if (e == 0)
		snprintf(buf, size, "%s", sig);
	else
		snprintf(buf, size, "%se%d", sig, e);
}

/* ScalarFormatter.set_locs (offset, order of magnitude, format) and the
 * labels of the ticks inside the view.  Labels of ticks outside stay NULL. */
static void
scalar_labels(struct axis *a)
{
	size_t n = a->nmajor;
	double vmin = fmin(a->lo, a->hi), vmax = fmax(a->lo, a->hi);
	/* _compute_offset */
	double offset = 0;
	{
		double lmin = INFINITY, lmax = -INFINITY;
		size_t nv = 0;
		for (size_t i = 0; i < n; i++)
			if (a->major[i] >= vmin && a->major[i] <= vmax) {
				lmin = fmin(lmin, a->major[i]);
				lmax = fmax(lmax, a->major[i]);
				nv++;
			}
		if (nv > 0 && lmin != lmax && !(lmin <= 0 && 0 <= lmax)) {
			double abs_min = fmin(fabs(lmin), fabs(lmax)), abs_max = fmax(fabs(lmin), fabs(lmax));
			double sign = copysign(1, lmin);
			double oom_max = ceil(log10(abs_max));
			double oom = oom_max;
			for (; oom > -400; oom--)
				if (floor(abs_min / pow(10, oom)) != floor(abs_max / pow(10, oom)))
					break;
			oom += 1;
			if ((abs_max - abs_min) / pow(10, oom) <= 1e-2) {
				for (oom = oom_max; oom > -400; oom--)
					if (floor(abs_max / pow(10, oom)) - floor(abs_min / pow(10, oom)) > 1)
						break;
				oom += 1;
			}
			const int nthr = 4 - 1; /* axes.formatter.offset_threshold 4 */
			if (floor(abs_max / pow(10, oom)) >= pow(10, nthr))
				offset = sign * floor(abs_max / pow(10, nthr)) * pow(10, nthr);
		}
	}
	/* _set_order_of_magnitude, powerlimits (-5, 6) */
	int oom = 0;
	{
		double val = -1;
		for (size_t i = 0; i < n; i++)
			if (a->major[i] >= vmin && a->major[i] <= vmax)
				val = fmax(val, fabs(a->major[i]));
		if (val >= 0) {
			int o;
			if (offset != 0)
				o = (int)floor(log10(vmax - vmin));
			else
				o = val == 0 ? 0 : (int)floor(log10(val));
			if (o <= -5 || o >= 6)
				oom = o;
		}
	}
	/* _set_format */
	double scale = pow(10, oom);
	size_t nl = n < 2 ? n + 2 : n;
	double *locs = xmalloc((nl ? nl : 1) * sizeof *locs);
	for (size_t i = 0; i < n; i++)
		locs[i] = (a->major[i] - offset) / scale;
	if (n < 2) {
		locs[n] = (a->lo - offset) / scale;
		locs[n + 1] = (a->hi - offset) / scale;
	}
	double mn = INFINITY, mx = -INFINITY, amax = 0;
	for (size_t i = 0; i < nl; i++) {
		mn = fmin(mn, locs[i]);
		mx = fmax(mx, locs[i]);
		amax = fmax(amax, fabs(locs[i]));
	}
	double loc_range = mx - mn;
	if (loc_range == 0)
		loc_range = amax;
	if (loc_range == 0)
		loc_range = 1;
	size_t nuse = n < 2 ? n : nl;
	int range_oom = (int)floor(log10(loc_range));
	int sigfigs = 3 - range_oom > 0 ? 3 - range_oom : 0;
	double thresh = 1e-3 * pow(10, range_oom);
	while (sigfigs >= 0) {
		double p = pow(10, sigfigs), worst = 0;
		for (size_t i = 0; i < nuse; i++)
			worst = fmax(worst, fabs(locs[i] - nearbyint(locs[i] * p) / p));
		if (worst < thresh)
			sigfigs--;
		else
			break;
	}
	sigfigs++;
	free(locs);

	for (size_t i = 0; i < n; i++) {
		free(a->major_label[i]);
		a->major_label[i] = NULL;
		double v = a->major[i];
		/* Axis._update_ticks: ticks within the view (rtol 1e-10) */
		double tol = 1e-10 * (vmax - vmin);
		if (!(v >= vmin - tol && v <= vmax + tol))
			continue;
		double xp = (v - offset) / scale;
		if (fabs(xp) < 1e-8)
			xp = 0;
		char buf[64];
		snprintf(buf, sizeof buf, "%1.*f", sigfigs, xp);
		a->major_label[i] = fix_minus(buf);
	}
	free(a->offset_text);
	a->offset_text = NULL;
	if (oom != 0 || offset != 0) {
		char sci[32] = "", off[128] = "", buf[200];
		if (oom != 0)
			snprintf(sci, sizeof sci, "1e%d", oom);
		if (offset != 0) {
			format_data(off + (offset > 0 ? 1 : 0), sizeof off - 1, offset);
			if (offset > 0)
				off[0] = '+';
		}
		snprintf(buf, sizeof buf, "%s%s", sci, off);
		a->offset_text = fix_minus(buf);
	}
}

/* Superscript form of an integer ("⁻²"). */
static void
superscript(char *buf, size_t size, long v)
{
	static const char *const sup[] = {"\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3",
		"\xe2\x81\xb4", "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8",
		"\xe2\x81\xb9"};
	char digits[32];
	snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v);
	buf[0] = '\0';
	if (v < 0)
		snprintf(buf, size, "\xe2\x81\xbb"); /* superscript minus */
	for (const char *d = digits; *d; d++)
		strncat(buf, sup[*d - '0'], size - strlen(buf) - 1);
}

static bool
close_to_int(double x)
{
	/* math.isclose(x, round(x)), rel_tol 1e-9 */
	double r = round(x);
	return fabs(x - r) <= 1e-9 * fmax(fabs(x), fabs(r));
}

/* LogFormatterSciNotation (base 10) for x with the sublabel set given as
 * a bit mask of coefficients 1..10; NULL for no label. */
static char *
log_label(double x, unsigned sublabels)
{
	if (x == 0)
		return xstrdup("0");
	const char *sign = x < 0 ? TICK_MINUS : "";
	x = fabs(x);
	double fx = log(x) / log(10.0);
	bool decade = close_to_int(fx);
	double exponent = decade ? round(fx) : floor(fx);
	double coeff = round(pow(10, fx - exponent));
	if (decade)
		fx = round(fx);
	if (coeff < 1 || coeff > 10 || !(sublabels & (1u << (int)coeff)))
		return NULL;
	char sup[64];
	if (decade) {
		superscript(sup, sizeof sup, (long)fx);
		return xasprintf("%s10%s", sign, sup);
	}
	double e = floor(fx);
	double c = pow(10, fx - e);
	if (close_to_int(c))
		c = round(c);
	superscript(sup, sizeof sup, (long)e);
	return xasprintf("%s%g\xc3\x97" "10%s", sign, c, sup);
}

/* LogLocator(base 10).tick_values with subs (1.0,) (major) or 'auto'
 * (minor, 2..9); returns the count written to out (at most cap). */
static size_t
log_tick_values(double vmin, double vmax, int numticks, bool minor, double *out, size_t cap)
{
	if (vmax < vmin) {
		double t = vmin;
		vmin = vmax;
		vmax = t;
	}
	double log_vmin = log(vmin) / log(10.0), log_vmax = log(vmax) / log(10.0);
	long numdec = (long)floor(log_vmax) - (long)ceil(log_vmin);
	double subs[9];
	size_t nsubs = 0;
	if (minor) {
		if (numdec > 10)
			return 0;
		for (int k = 2; k < 10; k++)
			subs[nsubs++] = k;
	} else {
		subs[nsubs++] = 1;
	}
	long stride = (numdec + 1) / numticks + 1;
	if (stride >= numdec)
		stride = numdec - 1 > 1 ? numdec - 1 : 1;
	bool have_subs = nsubs > 1 || subs[0] != 1.0;
	long d0 = (long)floor(log_vmin) - stride, d1 = (long)ceil(log_vmax) + 2 * stride;
	size_t n = 0;
	double tmp[MAX_TICKS];
	for (long d = d0; d < d1; d += stride) {
		double base = pow(10.0, (double)d);
		if (have_subs) {
			if (stride != 1)
				break;
			for (size_t k = 0; k < nsubs; k++)
				if (n < MAX_TICKS)
					tmp[n++] = subs[k] * base;
		} else if (n < MAX_TICKS) {
			tmp[n++] = base;
		}
	}
	if (nsubs > 1 && stride == 1) {
		size_t inside = 0;
		for (size_t i = 0; i < n; i++)
			if (vmin <= tmp[i] && tmp[i] <= vmax)
				inside++;
		if (inside <= 1) { /* AutoLocator().tick_values(vmin, vmax), nbins 9 */
			struct max_n_locator loc = locator_auto(9);
			size_t m = locator_max_n_ticks(&loc, vmin, vmax, out, cap);
			return m < cap ? m : cap;
		}
	}
	size_t m = n < cap ? n : cap;
	memcpy(out, tmp, m * sizeof *out);
	return m;
}

static void
clear_labels(struct axis *a)
{
	for (size_t i = 0; i < MAX_TICKS; i++) {
		free(a->major_label[i]);
		free(a->minor_label[i]);
		a->major_label[i] = a->minor_label[i] = NULL;
	}
	free(a->offset_text);
	a->offset_text = NULL;
}

static bool
in_view(const struct axis *a, double v)
{
	double lo = fmin(a->lo, a->hi), hi = fmax(a->lo, a->hi);
	if (a->log) {
		double t = log10(v), tl = log10(lo), th = log10(hi);
		double tol = 1e-10 * (th - tl);
		return v > 0 && t >= tl - tol && t <= th + tol;
	}
	double tol = 1e-10 * (hi - lo);
	return v >= lo - tol && v <= hi + tol;
}

/* Log axis ticks and labels for numticks. */
static void
log_ticks(struct axis *a, int numticks)
{
	clear_labels(a);
	a->nmajor = log_tick_values(a->lo, a->hi, numticks, false, a->major, MAX_TICKS);
	a->nminor = log_tick_values(a->lo, a->hi, numticks, true, a->minor, MAX_TICKS);
	/* remove_overlapping_locs: minor ticks on a major one go */
	size_t k = 0;
	for (size_t i = 0; i < a->nminor; i++) {
		bool dup = false;
		for (size_t j = 0; j < a->nmajor; j++)
			if (fabs(log10(a->minor[i]) - log10(a->major[j])) < 1e-5)
				dup = true;
		if (!dup)
			a->minor[k++] = a->minor[i];
	}
	a->nminor = k;
	/* LogFormatter.set_locs: which coefficients get labels */
	double numdec = fabs(log(a->hi) / log(10.0) - log(a->lo) / log(10.0));
	unsigned sub;
	if (numdec > 1)
		sub = 1u << 1;
	else if (numdec > 0.4) /* round(geomspace(1, 10, 6)) */
		sub = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6) | (1u << 10);
	else
		sub = 0x7FEu; /* 1..10 */
	for (size_t i = 0; i < a->nmajor; i++)
		if (in_view(a, a->major[i]))
			a->major_label[i] = log_label(a->major[i], sub);
	for (size_t i = 0; i < a->nminor; i++)
		if (in_view(a, a->minor[i]))
			a->minor_label[i] = log_label(a->minor[i], sub);
}

static void
linear_ticks(struct axis *a, int nbins)
{
	clear_labels(a);
	struct max_n_locator loc = locator_auto(nbins);
	size_t n = locator_max_n_ticks(&loc, a->lo, a->hi, a->major, MAX_TICKS);
	a->nmajor = n < MAX_TICKS ? n : MAX_TICKS;
	a->nminor = 0;
	scalar_labels(a);
}

/* Do the labels of `a` fit along it without touching (a gap of a quarter
 * of the font size across x, a tenth along y)? */
static bool
labels_fit(const struct ctx *C, const struct axis *a, double font)
{
	double prev_end = -INFINITY;
	struct tmetrics vm = measure(C->m, DL_FONT_SANS, font, "0");
	double height = vm.a - vm.d;
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass == 0 ? a->nmajor : a->nminor;
		if (pass == 1)
			prev_end = -INFINITY; /* minor labels only checked among themselves */
		for (size_t i = 0; i < n; i++) {
			const char *lab = pass == 0 ? a->major_label[i] : a->minor_label[i];
			double v = pass == 0 ? a->major[i] : a->minor[i];
			if (lab == NULL)
				continue;
			double p = axis_map(a, v);
			double start, end;
			if (a->x) {
				double w = measure(C->m, DL_FONT_SANS, font, lab).w;
				start = p - w / 2;
				end = p + w / 2;
				if (start < prev_end + 0.25 * font)
					return false;
			} else {
				start = p - height / 2;
				end = p + height / 2;
				if (start < prev_end + 0.1 * font)
					return false;
			}
			prev_end = end;
		}
	}
	return true;
}

/* Keep the label of every k-th major tick only: those on multiples of k
 * steps (0, 2, 4, ... for k = 2 on a step of 1) when the ticks fall on
 * such multiples, else from the first tick.  The tick marks stay. */
static void
thin_labels(struct axis *a, size_t k)
{
	if (a->nmajor < 2)
		return;
	double step = (a->major[a->nmajor - 1] - a->major[0]) / (double)(a->nmajor - 1);
	size_t phase = 0;
	for (size_t i = 0; i < k && i < a->nmajor; i++) {
		double q = a->major[i] / (step * (double)k);
		if (fabs(q - round(q)) < 1e-6) {
			phase = i;
			break;
		}
	}
	for (size_t i = 0; i < a->nmajor; i++)
		if (i % k != phase) {
			free(a->major_label[i]);
			a->major_label[i] = NULL;
		}
}

/* Ticks and labels of an axis for its current length.  nbins (numticks
 * on a log axis) is what matplotlib resolves 'auto' to on the seed's
 * figure: Axis.get_tick_space, the axis length over 3 (x) or 2 (y) tick
 * label font sizes, clipped to 1..9 (2..9): in the reference layout from
 * the axis itself, which then records it; at print size the recorded
 * value, or without one the printed length against eq_font.  At print size
 * the seed's ticks are kept when their labels fit (labels_fit), or when
 * every other label does (the marks stay at the seed's positions, the labels
 * keep the seed's text); otherwise nbins is lowered until the labels fit. */
static void
axis_ticks(const struct ctx *C, struct axis *a, double font)
{
	bool ref = C->reference || a->ref_nbins <= 0;
	double eq = C->sz.eq_font;
	if (a->log) {
		int numticks = a->ref_nbins;
		if (ref) {
			int space = (int)floor(a->len / (eq * (a->x ? 3 : 2)));
			numticks = space < 2 ? 2 : space > 9 ? 9 : space;
		}
		if (C->reference)
			a->ref_nbins = numticks;
		for (;;) {
			log_ticks(a, numticks);
			if (C->reference || numticks <= 2 || labels_fit(C, a, font))
				break;
			numticks--;
		}
		return;
	}
	int nbins = ref ? locator_auto_nbins(a->len, eq, a->x) : a->ref_nbins;
	if (C->reference)
		a->ref_nbins = nbins;
	if (!C->reference && !ref) {
		/* the seed's ticks, every one labelled or every other one */
		linear_ticks(a, nbins);
		if (labels_fit(C, a, font))
			return;
		thin_labels(a, 2);
		if (labels_fit(C, a, font))
			return;
	}
	for (;;) {
		linear_ticks(a, nbins);
		if (C->reference || nbins <= 1 || labels_fit(C, a, font))
			break;
		nbins--;
	}
}

/* ------------------------------------------------------------ decorations */

/* How a text counts in tight_layout (Axes.get_tightbbox(for_layout_only)):
 * titles and x labels with their width collapsed, y labels with their
 * height collapsed. */
enum collapse { COLLAPSE_NONE, COLLAPSE_X, COLLAPSE_Y };

struct ptext {
	const char *s;          /* borrowed */
	enum dl_font font;
	double size;
	double x, y;            /* anchor: baseline start/centre/end */
	enum dl_halign ha;
	double angle;
	struct dl_color color;
	double x0, y0, x1, y1;  /* bounding box */
	enum collapse collapse;
};

struct ptexts {
	struct ptext *t;
	size_t n, cap;
};

static struct ptext *
pt_add(struct ptexts *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->t = xrealloc(l->t, l->cap * sizeof *l->t);
	}
	struct ptext *t = &l->t[l->n++];
	memset(t, 0, sizeof *t);
	t->color = BLACK;
	return t;
}

/* A horizontal text with its baseline at y; bbox from the font's ascent
 * and descent. */
static struct ptext *
pt_horizontal(const struct ctx *C, struct ptexts *l, const char *s, enum dl_font font,
    double size, double x, double y, enum dl_halign ha)
{
	struct tmetrics tm = measure(C->m, font, size, s);
	struct ptext *t = pt_add(l);
	t->s = s;
	t->font = font;
	t->size = size;
	t->x = x;
	t->y = y;
	t->ha = ha;
	double left = ha == DL_LEFT ? x : ha == DL_CENTER ? x - tm.w / 2 : x - tm.w;
	t->x0 = left;
	t->x1 = left + tm.w;
	t->y0 = y + tm.d;
	t->y1 = y + tm.a;
	return t;
}

/* The offset between the baselines of two lines of a multi-line text
 * (Text._get_layout: the previous line's descent plus 1.2 ascents). */
static double
line_step(struct tmetrics tm)
{
	return -tm.d + MPL_LINE_SPACING * tm.a;
}

/* Tick labels of one axis: x below the axes, y left of it (right of it for
 * the colour bar: side > 0). */
static void
tick_label_texts(const struct ctx *C, struct ptexts *l, const struct axis *a, double edge,
    int side)
{
	const struct sizes *sz = &C->sz;
	double font = sz->font_tick;
	struct tmetrics tm = measure(C->m, DL_FONT_SANS, font, "0");
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass == 0 ? a->nmajor : a->nminor;
		double off = (pass == 0 ? sz->tick_len : sz->minor_tick_len) + sz->tick_pad;
		for (size_t i = 0; i < n; i++) {
			const char *lab = pass == 0 ? a->major_label[i] : a->minor_label[i];
			if (lab == NULL)
				continue;
			double p = axis_map(a, pass == 0 ? a->major[i] : a->minor[i]);
			if (a->x) {
				/* va top */
				pt_horizontal(C, l, lab, DL_FONT_SANS, font, p, edge - off - tm.a,
				    DL_CENTER);
			} else {
				/* va center_baseline: the ascent centred on the tick */
				double base = p - tm.a / 2;
				if (side > 0)
					pt_horizontal(C, l, lab, DL_FONT_SANS, font, edge + off, base,
					    DL_LEFT);
				else
					pt_horizontal(C, l, lab, DL_FONT_SANS, font, edge - off, base,
					    DL_RIGHT);
			}
		}
	}
}

/* Every text around (and in) a panel, placed for its current rectangles. */
static void
panel_texts(const struct ctx *C, const struct panel *P, struct ptexts *l)
{
	const struct sizes *sz = &C->sz;
	bool axis_on = !P->fp->axis_off;
	if (axis_on) {
		size_t x0 = l->n;
		tick_label_texts(C, l, &P->xa, P->ay, -1);
		size_t x1 = l->n;
		tick_label_texts(C, l, &P->ya, P->ax, -1);
		size_t y1 = l->n;
		/* x label below the tick labels (and the spine) */
		double bottom = P->ay;
		for (size_t i = x0; i < x1; i++)
			bottom = mind(bottom, l->t[i].y0);
		double left = P->ax;
		for (size_t i = x1; i < y1; i++)
			left = mind(left, l->t[i].x0);
		if (P->xa.offset_text != NULL) {
			struct tmetrics tm = measure(C->m, DL_FONT_SANS, sz->font_tick, P->xa.offset_text);
			pt_horizontal(C, l, P->xa.offset_text, DL_FONT_SANS, sz->font_tick,
			    P->ax + P->aw, bottom - sz->tick_pad - tm.a, DL_RIGHT);
		}
		if (P->ya.offset_text != NULL)
			pt_horizontal(C, l, P->ya.offset_text, DL_FONT_SANS, sz->font_tick, P->ax,
			    P->ay + P->ah + sz->tick_pad, DL_LEFT);
		if (P->xlabel != NULL && P->xlabel[0] != '\0') {
			struct tmetrics tm = measure(C->m, DL_FONT_SANS, sz->font_label, P->xlabel);
			struct ptext *t = pt_horizontal(C, l, P->xlabel, DL_FONT_SANS, sz->font_label,
			    P->ax + P->aw / 2, bottom - sz->label_pad - tm.a, DL_CENTER);
			t->collapse = COLLAPSE_X;
		}
		if (P->ylabel != NULL && P->ylabel[0] != '\0') {
			/* rotated 90 degrees, va bottom: the descent side faces the
			 * axes, `label_pad` left of the tick labels */
			struct tmetrics tm = measure(C->m, DL_FONT_SANS, sz->font_label, P->ylabel);
			struct ptext *t = pt_add(l);
			double right = left - sz->label_pad;
			t->s = P->ylabel;
			t->font = DL_FONT_SANS;
			t->size = sz->font_label;
			t->angle = 90;
			t->ha = DL_CENTER;
			t->x = right + tm.d;
			t->y = P->ay + P->ah / 2;
			t->x0 = right - (tm.a - tm.d);
			t->x1 = right;
			t->y0 = t->y - tm.w / 2;
			t->y1 = t->y + tm.w / 2;
			t->collapse = COLLAPSE_Y;
		}
	}
	if (P->cbar) {
		size_t c0 = l->n;
		tick_label_texts(C, l, &P->ca, P->bx + P->bw, +1);
		double right = P->bx + P->bw;
		for (size_t i = c0; i < l->n; i++)
			right = maxd(right, l->t[i].x1);
		if (P->cbar_label != NULL && P->cbar_label[0] != '\0') {
			/* ylabel on the right: rotated 90, va top */
			struct tmetrics tm = measure(C->m, DL_FONT_SANS, sz->font_label, P->cbar_label);
			struct ptext *t = pt_add(l);
			double x = right + sz->label_pad;
			t->s = P->cbar_label;
			t->font = DL_FONT_SANS;
			t->size = sz->font_label;
			t->angle = 90;
			t->ha = DL_CENTER;
			t->x = x + tm.a;
			t->y = P->by + P->bh / 2;
			t->x0 = x;
			t->x1 = x + tm.a - tm.d;
			t->y0 = t->y - tm.w / 2;
			t->y1 = t->y + tm.w / 2;
			t->collapse = COLLAPSE_Y;
		}
	}
	/* the title: the last line's baseline titlepad above the axes */
	if (P->ntitle > 0) {
		struct tmetrics tm = measure(C->m, DL_FONT_SANS, sz->font_title, "lp");
		double base = P->ay + P->ah + sz->title_pad;
		for (size_t i = 0; i < P->ntitle; i++) {
			double y = base + (double)(P->ntitle - 1 - i) * line_step(tm);
			struct ptext *t = pt_horizontal(C, l, P->title_lines[i], DL_FONT_SANS,
			    sz->font_title, P->ax + P->aw / 2, y, DL_CENTER);
			t->collapse = COLLAPSE_X;
		}
	}
	/* texts at axes-fraction positions */
	for (size_t i = 0; i < P->ns; i++) {
		const struct series *s = &P->s[i];
		if (s->kind != FIG_TEXT || s->text == NULL)
			continue;
		struct ptext *t = pt_horizontal(C, l, s->text,
		    s->fs->bold ? DL_FONT_SANS_BOLD : DL_FONT_SANS, s->font_size,
		    P->ax + s->at * P->aw, P->ay + s->at_y * P->ah, DL_LEFT);
		t->color = s->color;
	}
}

static void
ptexts_free(struct ptexts *l)
{
	free(l->t);
	l->t = NULL;
	l->n = l->cap = 0;
}

/* Texts placed at axes fractions keep their places, so in an axes smaller
 * than the seed's (relative to the fonts) they can run into each other:
 * shrink a panel's texts together, from the print scale down to the 7 pt
 * floor, until no two (boxes included) come closer than TEXT_GAP font
 * sizes.  The reference layout takes matplotlib's sizes as they are. */
#define TEXT_GAP 0.15

static void
fit_panel_texts(const struct ctx *C, struct panel *P)
{
	size_t nt = 0;
	double min_req = INFINITY;
	for (size_t i = 0; i < P->ns; i++)
		if (P->s[i].kind == FIG_TEXT && P->s[i].text != NULL) {
			nt++;
			min_req = mind(min_req, P->s[i].req_size);
		}
	double floor_scale = min_req > 0 ? PRINT_MIN_FONT / min_req : 1;
	for (double k = C->sz.text_scale;; k *= 0.98) {
		if (k < floor_scale)
			k = floor_scale;
		for (size_t i = 0; i < P->ns; i++)
			if (P->s[i].kind == FIG_TEXT)
				P->s[i].font_size = maxd(PRINT_MIN_FONT, P->s[i].req_size * k);
		if (C->reference || nt < 2 || k <= floor_scale)
			break;
		bool overlap = false;
		double box[64][4];
		size_t nb = 0;
		for (size_t i = 0; i < P->ns && nb < 64; i++) {
			const struct series *s = &P->s[i];
			if (s->kind != FIG_TEXT || s->text == NULL)
				continue;
			enum dl_font f = s->fs->bold ? DL_FONT_SANS_BOLD : DL_FONT_SANS;
			struct tmetrics tm = measure(C->m, f, s->font_size, s->text);
			double x = P->ax + s->at * P->aw, y = P->ay + s->at_y * P->ah;
			/* the box (if any) and half the gap around it */
			double pad = (s->box ? s->box_pad : 0) * s->font_size +
			    TEXT_GAP / 2 * s->font_size;
			double b[4] = {x - pad, y + tm.d - pad, x + tm.w + pad, y + tm.a + pad};
			for (size_t j = 0; j < nb; j++)
				if (b[0] < box[j][2] && box[j][0] < b[2] && b[1] < box[j][3] &&
				    box[j][1] < b[3])
					overlap = true;
			memcpy(box[nb++], b, sizeof b);
		}
		if (!overlap)
			break;
	}
}

/* ------------------------------------------------------------ layout */

/* The axes (and colour bar) rectangles of a panel in its cell:
 * make_axes_gridspec splits the cell 0.80 : 0.05 : 0.15 and gives the bar
 * a box aspect of 20, anchored at the left and centred vertically. */
static void
place_in_cell(struct panel *P)
{
	P->ax = P->cx;
	P->ay = P->cy;
	P->aw = P->cw;
	P->ah = P->ch;
	if (P->cbar) {
		P->aw = P->cw * (1 - CBAR_FRACTION - CBAR_PAD);
		double cell_x = P->cx + P->cw * (1 - CBAR_FRACTION);
		double cell_w = P->cw * CBAR_FRACTION;
		double w = P->ch / CBAR_ASPECT, h = P->ch;
		if (w > cell_w) {
			w = cell_w;
			h = w * CBAR_ASPECT;
		}
		P->bx = cell_x;
		P->bw = w;
		P->bh = h;
		P->by = P->cy + (P->ch - h) / 2;
	}
	P->xa.pos = P->ax;
	P->xa.len = P->aw;
	P->ya.pos = P->ay;
	P->ya.len = P->ah;
	P->ca.pos = P->by;
	P->ca.len = P->bh;
}

static void
panel_ticks(const struct ctx *C, struct panel *P)
{
	fit_panel_texts(C, P);
	if (!P->fp->axis_off) {
		axis_ticks(C, &P->xa, C->sz.font_tick);
		axis_ticks(C, &P->ya, C->sz.font_tick);
	}
	if (P->cbar)
		axis_ticks(C, &P->ca, C->sz.font_tick);
}

/* How far the panel's decorations reach beyond its cell. */
static void
panel_overhang(const struct ctx *C, struct panel *P)
{
	struct ptexts l = {NULL, 0, 0};
	panel_texts(C, P, &l);
	double x0 = P->ax, y0 = P->ay, x1 = P->ax + P->aw, y1 = P->ay + P->ah;
	if (P->cbar) {
		x0 = mind(x0, P->bx);
		y0 = mind(y0, P->by);
		x1 = maxd(x1, P->bx + P->bw);
		y1 = maxd(y1, P->by + P->bh);
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct ptext *t = &l.t[i];
		double tx0 = t->x0, tx1 = t->x1, ty0 = t->y0, ty1 = t->y1;
		if (t->collapse == COLLAPSE_X)
			tx0 = tx1 = (t->x0 + t->x1) / 2;
		if (t->collapse == COLLAPSE_Y)
			ty0 = ty1 = (t->y0 + t->y1) / 2;
		x0 = mind(x0, tx0);
		x1 = maxd(x1, tx1);
		y0 = mind(y0, ty0);
		y1 = maxd(y1, ty1);
	}
	ptexts_free(&l);
	P->over[0] = P->cx - x0;
	P->over[1] = x1 - (P->cx + P->cw);
	P->over[2] = P->cy - y0;
	P->over[3] = y1 - (P->cy + P->ch);
}

struct grid_params {
	double left, right, bottom, top; /* margins in points */
	double hgap, vgap;               /* between cells */
};

static void
set_cells(struct ctx *C, const struct grid_params *g)
{
	int rows = C->spec->rows, cols = C->spec->cols;
	double cw = (C->W - g->left - g->right - (cols - 1) * g->hgap) / cols;
	double ch = (C->H - g->bottom - g->top - (rows - 1) * g->vgap) / rows;
	if (cw < 10)
		cw = 10;
	if (ch < 10)
		ch = 10;
	for (size_t i = 0; i < C->np; i++) {
		struct panel *P = &C->p[i];
		P->cx = g->left + P->fp->col * (cw + g->hgap);
		P->cy = C->H - g->top - (P->fp->row + 1) * ch - P->fp->row * g->vgap;
		P->cw = cw;
		P->ch = ch;
		place_in_cell(P);
	}
}

/* plt.tight_layout(): margins are the largest overhangs on each side plus
 * the pad, the gaps between cells the largest sum of facing overhangs plus
 * the pad; the overhangs are measured with the ticks of the current layout,
 * and the layout is redone until it no longer changes. */
static void
layout(struct ctx *C)
{
	int rows = C->spec->rows, cols = C->spec->cols;
	/* figure.subplot.* defaults as the starting point */
	struct grid_params g;
	g.left = 0.125 * C->W;
	g.right = 0.1 * C->W;
	g.bottom = 0.11 * C->H;
	g.top = 0.12 * C->H;
	double w0 = (C->W - g.left - g.right) / (cols + 0.2 * (cols - 1));
	double h0 = (C->H - g.bottom - g.top) / (rows + 0.2 * (rows - 1));
	g.hgap = 0.2 * w0;
	g.vgap = 0.2 * h0;
	double pad = C->sz.pad;

	for (int iter = 0; iter < 8; iter++) {
		set_cells(C, &g);
		for (size_t i = 0; i < C->np; i++) {
			panel_ticks(C, &C->p[i]);
			panel_overhang(C, &C->p[i]);
		}
		struct grid_params n;
		double l = 0, r = 0, b = 0, t = 0, hs = -INFINITY, vs = -INFINITY;
		double *hsp = xcalloc((size_t)rows * (size_t)(cols + 1), sizeof *hsp);
		double *vsp = xcalloc((size_t)(rows + 1) * (size_t)cols, sizeof *vsp);
		for (size_t i = 0; i < C->np; i++) {
			const struct panel *P = &C->p[i];
			int pr = P->fp->row, pc = P->fp->col;
			hsp[pr * (cols + 1) + pc] += P->over[0];
			hsp[pr * (cols + 1) + pc + 1] += P->over[1];
			vsp[pr * cols + pc] += P->over[3];
			vsp[(pr + 1) * cols + pc] += P->over[2];
		}
		for (int rr = 0; rr < rows; rr++) {
			l = maxd(l, hsp[rr * (cols + 1)]);
			r = maxd(r, hsp[rr * (cols + 1) + cols]);
			for (int cc = 1; cc < cols; cc++)
				hs = maxd(hs, hsp[rr * (cols + 1) + cc]);
		}
		for (int cc = 0; cc < cols; cc++) {
			t = maxd(t, vsp[cc]);
			b = maxd(b, vsp[rows * cols + cc]);
			for (int rr = 1; rr < rows; rr++)
				vs = maxd(vs, vsp[rr * cols + cc]);
		}
		free(hsp);
		free(vsp);
		n.left = l + pad;
		n.right = r + pad;
		n.bottom = b + pad;
		n.top = t + pad;
		n.hgap = cols > 1 ? hs + pad : 0;
		n.vgap = rows > 1 ? vs + pad : 0;
		double change = fabs(n.left - g.left) + fabs(n.right - g.right) +
		    fabs(n.bottom - g.bottom) + fabs(n.top - g.top) + fabs(n.hgap - g.hgap) +
		    fabs(n.vgap - g.vgap);
		g = n;
		if (change < 1e-3)
			break;
	}
	set_cells(C, &g);
	for (size_t i = 0; i < C->np; i++)
		panel_ticks(C, &C->p[i]);
}

/* ------------------------------------------------------------ legend */

/* Legend._find_best_position: the first of the candidate positions (codes
 * 1..10 in order) with the least badness, which counts line vertices and
 * scatter offsets strictly inside the box, patch boxes overlapping it, and
 * lines crossing it (each line at most once). */

/* _path.h segment_intersects_rectangle */
static bool
segment_hits_rect(double m1x, double m1y, double m2x, double m2y, double cx, double cy,
    double w, double h)
{
	return fabs(m1x + m2x - 2.0 * cx) < fabs(m1x - m2x) + w &&
	    fabs(m1y + m2y - 2.0 * cy) < fabs(m1y - m2y) + h &&
	    2.0 * fabs((m1x - cx) * (m1y - m2y) - (m1y - cy) * (m1x - m2x)) <
	    w * fabs(m1y - m2y) + h * fabs(m1x - m2x);
}

/* _path.h path_intersects_rectangle(filled=False); non-finite vertices are
 * skipped. */
static bool
path_hits_rect(const struct plot_best_path *p, double x0, double y0, double x1, double y1)
{
	double cx = (x0 + x1) * 0.5, cy = (y0 + y1) * 0.5, w = fabs(x0 - x1), h = fabs(y0 - y1);
	bool first = true;
	double px = 0, py = 0;
	for (size_t i = 0; i < p->n; i++) {
		double x = p->xy[2 * i], y = p->xy[2 * i + 1];
		if (!isfinite(x) || !isfinite(y))
			continue;
		if (first) {
			if (2.0 * fabs(x - cx) <= w && 2.0 * fabs(y - cy) <= h)
				return true;
			first = false;
		} else if (segment_hits_rect(px, py, x, y, cx, cy, w, h)) {
			return true;
		}
		px = x;
		py = y;
	}
	return false;
}

/* Lower-left corner of a w x h box at location `code` inside the axes
 * rectangle shrunk by `pad` (Legend._get_anchored_bbox). */
static void
anchored(int code, const double axes[4], double w, double h, double pad, double *x, double *y)
{
	/* UR UL LL LR R CL CR LC UC C -> anchor coefficients */
	static const double cx[] = {0, 1, 0, 0, 1, 1, 0, 1, 0.5, 0.5, 0.5};
	static const double cy[] = {0, 1, 1, 0, 0, 0.5, 0.5, 0.5, 0, 1, 0.5};
	double l = axes[0] + pad, b = axes[1] + pad, cw = axes[2] - 2 * pad, ch = axes[3] - 2 * pad;
	*x = l + cx[code] * (cw - w);
	*y = b + cy[code] * (ch - h);
}

/* The badness of a legend box at (l, b), w x h. */
static long
legend_badness(const struct plot_best_data *d, double l, double b, double w, double h)
{
	double r = l + w, t = b + h;
	long bad = 0;
	for (size_t i = 0; i < d->npaths; i++) {
		const struct plot_best_path *p = &d->paths[i];
		for (size_t k = 0; k < p->n; k++) {
			double x = p->xy[2 * k], y = p->xy[2 * k + 1];
			if (l < x && x < r && b < y && y < t)
				bad++;
		}
	}
	for (size_t k = 0; k < d->noffsets; k++) {
		double x = d->offsets[2 * k], y = d->offsets[2 * k + 1];
		if (l < x && x < r && b < y && y < t)
			bad++;
	}
	for (size_t k = 0; k < d->nboxes; k++) {
		const double *bx = &d->boxes[4 * k];
		double bx0 = fmin(bx[0], bx[2]), bx1 = fmax(bx[0], bx[2]);
		double by0 = fmin(bx[1], bx[3]), by1 = fmax(bx[1], bx[3]);
		if (bx0 < r && by0 < t && bx1 > l && by1 > b)
			bad++;
	}
	for (size_t i = 0; i < d->npaths; i++)
		if (path_hits_rect(&d->paths[i], l, b, r, t))
			bad++;
	return bad;
}

int
plot_legend_best(const struct plot_best_data *d, const double axes[4], double w, double h,
    double pad)
{
	int best = 1;
	long best_bad = LONG_MAX;
	for (int code = 1; code <= 10; code++) {
		double l, b;
		anchored(code, axes, w, h, pad, &l, &b);
		long bad = legend_badness(d, l, b, w, h);
		if (bad == 0)
			return code;
		if (bad < best_bad) {
			best_bad = bad;
			best = code;
		}
	}
	return best;
}

struct legend {
	size_t n;
	const struct series **s;
	struct tmetrics *tm;
	double F, w, h, x, y;
	int code;
};

/* What the badness sees of a panel, in display points: Line2D paths
 * (plot lines, axhline, axvline), bar rectangles and scatter offsets.
 * fill_between and contour collections only offer an offset at the figure
 * origin, which no legend inside the axes covers, so they are left out. */
static void
best_data(const struct panel *P, struct plot_best_data *d, double **store)
{
	size_t npaths = 0, nboxes = 0, noff = 0, npts = 0;
	for (size_t i = 0; i < P->ns; i++) {
		const struct series *s = &P->s[i];
		if (s->kind == FIG_LINE) {
			npaths++;
			npts += s->n;
		} else if (s->kind == FIG_HLINE || s->kind == FIG_VLINE) {
			npaths++;
			npts += 2;
		} else if (s->kind == FIG_BARS) {
			nboxes += s->n;
		} else if (s->kind == FIG_SCATTER) {
			noff += s->n;
		}
	}
	double *buf = xmalloc((2 * npts + 4 * nboxes + 2 * noff + 1) * sizeof *buf);
	struct plot_best_path *paths = xmalloc((npaths + 1) * sizeof *paths);
	double *pts = buf, *boxes = buf + 2 * npts, *offs = boxes + 4 * nboxes;
	size_t ip = 0, ib = 0, io = 0;
	double *q = pts;
	for (size_t i = 0; i < P->ns; i++) {
		const struct series *s = &P->s[i];
		if (s->kind == FIG_LINE) {
			paths[ip].xy = q;
			paths[ip].n = s->n;
			for (size_t k = 0; k < s->n; k++) {
				*q++ = axis_map(&P->xa, s->x[k]);
				*q++ = axis_map(&P->ya, s->y[k]);
			}
			ip++;
		} else if (s->kind == FIG_HLINE || s->kind == FIG_VLINE) {
			paths[ip].xy = q;
			paths[ip].n = 2;
			if (s->kind == FIG_HLINE) {
				double y = axis_map(&P->ya, s->at);
				*q++ = P->ax;
				*q++ = y;
				*q++ = P->ax + P->aw;
				*q++ = y;
			} else {
				double x = axis_map(&P->xa, s->at);
				*q++ = x;
				*q++ = P->ay;
				*q++ = x;
				*q++ = P->ay + P->ah;
			}
			ip++;
		} else if (s->kind == FIG_BARS) {
			for (size_t k = 0; k < s->n; k++) {
				boxes[4 * ib] = axis_map(&P->xa, s->left[k]);
				boxes[4 * ib + 1] = axis_map(&P->ya, 0);
				boxes[4 * ib + 2] = axis_map(&P->xa, s->right[k]);
				boxes[4 * ib + 3] = axis_map(&P->ya, s->height[k]);
				ib++;
			}
		} else if (s->kind == FIG_SCATTER) {
			for (size_t k = 0; k < s->n; k++) {
				offs[2 * io] = axis_map(&P->xa, s->x[k]);
				offs[2 * io + 1] = axis_map(&P->ya, s->y[k]);
				io++;
			}
		}
	}
	d->npaths = npaths;
	d->paths = paths;
	d->nboxes = nboxes;
	d->boxes = boxes;
	d->noffsets = noff;
	d->offsets = offs;
	*store = buf;
}

/* Entries in the order matplotlib 3.6 collects them (the order the artists
 * were added: the spec's order), sizes in legend font units. */
static bool
legend_layout(const struct ctx *C, const struct panel *P, struct legend *L)
{
	memset(L, 0, sizeof *L);
	if (P->fp->legend == FIG_LEGEND_NONE)
		return false;
	L->s = xmalloc((P->ns + 1) * sizeof *L->s);
	L->tm = xmalloc((P->ns + 1) * sizeof *L->tm);
	for (size_t i = 0; i < P->ns; i++)
		if (P->s[i].label != NULL && P->s[i].label[0] != '\0' && P->s[i].label[0] != '_' &&
		    P->s[i].kind != FIG_TEXT) {
			L->s[L->n] = &P->s[i];
			L->tm[L->n] = measure(C->m, DL_FONT_SANS, C->sz.font_legend, P->s[i].label);
			L->n++;
		}
	if (L->n == 0) {
		free(L->s);
		free(L->tm);
		memset(L, 0, sizeof *L);
		return false;
	}
	double F = C->sz.font_legend;
	L->F = F;
	double wmax = 0, h = 0;
	for (size_t i = 0; i < L->n; i++) {
		wmax = maxd(wmax, L->tm[i].w);
		h += maxd(LEG_HANDLEHEIGHT * F, L->tm[i].a) + maxd(0, -L->tm[i].d);
	}
	L->w = 2 * LEG_BORDERPAD * F + LEG_HANDLELENGTH * F + LEG_HANDLETEXTPAD * F + wmax;
	L->h = 2 * LEG_BORDERPAD * F + h + (double)(L->n - 1) * LEG_LABELSPACING * F;

	double axes[4] = {P->ax, P->ay, P->aw, P->ah};
	switch (P->fp->legend) {
	case FIG_LEGEND_UPPER_RIGHT:
		L->code = 1;
		break;
	case FIG_LEGEND_UPPER_LEFT:
		L->code = 2;
		break;
	case FIG_LEGEND_LOWER_LEFT:
		L->code = 3;
		break;
	case FIG_LEGEND_LOWER_RIGHT:
		L->code = 4;
		break;
	default:
		/* loc='best': the position matplotlib picks on the seed's
		 * figure (found by the reference layout), as long as it covers
		 * no data in print too.  In print the legend is relatively
		 * larger; where the seed's corner now hides data, the first of
		 * matplotlib's places that hides nothing at the printed size,
		 * else the corner that hides least by its measure (badness),
		 * the seed's on a tie */
		{
			struct plot_best_data d;
			double *store;
			best_data(P, &d, &store);
			double pad = LEG_BORDERAXESPAD * F;
			if (!C->reference && P->legend_code > 0) {
				L->code = P->legend_code;
				double l, b;
				anchored(L->code, axes, L->w, L->h, pad, &l, &b);
				long bad = legend_badness(&d, l, b, L->w, L->h);
				/* a place that hides nothing, in matplotlib's order
				 * (corners first); failing that the least-bad corner:
				 * a legend moved into the middle of a histogram reads
				 * worse than one over a corner */
				int clean = bad > 0 ? plot_legend_best(&d, axes, L->w, L->h, pad) : 0;
				if (clean > 0) {
					anchored(clean, axes, L->w, L->h, pad, &l, &b);
					if (legend_badness(&d, l, b, L->w, L->h) == 0) {
						L->code = clean;
						bad = 0;
					}
				}
				for (int code = 1; code <= 4 && bad > 0; code++) {
					anchored(code, axes, L->w, L->h, pad, &l, &b);
					long c = legend_badness(&d, l, b, L->w, L->h);
					if (c < bad) {
						bad = c;
						L->code = code;
					}
				}
			} else {
				L->code = plot_legend_best(&d, axes, L->w, L->h, pad);
			}
			free((void *)d.paths);
			free(store);
		}
		break;
	}
	anchored(L->code, axes, L->w, L->h, LEG_BORDERAXESPAD * F, &L->x, &L->y);
	return true;
}

static void
legend_free(struct legend *L)
{
	free(L->s);
	free(L->tm);
}

/* ------------------------------------------------------------ drawing */

static struct dl_style
stroke_style(struct dl_color c, double alpha, double lw)
{
	struct dl_style st = dl_style_default();
	st.stroke_color = c;
	st.stroke_alpha = alpha;
	st.line_width = lw;
	return st;
}

/* A line series' style: solid lines get projecting caps and round joins
 * (lines.solid_capstyle/joinstyle), dashed ones butt caps. */
static struct dl_style
line_style(const struct series *s)
{
	struct dl_style st = stroke_style(s->color, s->alpha, s->lw);
	st.join = DL_JOIN_ROUND;
	st.cap = s->ndash ? DL_CAP_BUTT : DL_CAP_SQUARE;
	st.ndash = s->ndash;
	for (int i = 0; i < s->ndash; i++)
		st.dash[i] = s->dash[i];
	return st;
}

static struct dl_style
patch_style(const struct series *s)
{
	struct dl_style st = dl_style_default();
	st.fill = true;
	st.fill_color = s->color;
	st.fill_alpha = s->alpha;
	st.stroke = s->has_edge;
	st.stroke_color = s->has_edge || s->hatch != DL_HATCH_NONE ? s->edge : s->color;
	st.stroke_alpha = s->alpha;
	st.line_width = s->lw;
	st.hatch = s->hatch;
	st.hatch_spacing = 5;
	if (s->hatch != DL_HATCH_NONE) /* hatching and edge: visible, not heavy */
		st.stroke_alpha = maxd(s->alpha, 0.5);
	return st;
}

static void
draw_markers(struct ctx *C, const double *xy, const struct dl_color *fill, size_t n,
    double size, enum dl_marker_shape shape, double alpha)
{
	if (n == 0)
		return;
	struct dl_markers mk;
	memset(&mk, 0, sizeof mk);
	mk.n = n;
	mk.xy = (double *)xy;
	mk.fill = (struct dl_color *)fill;
	mk.size = size;
	mk.shape = shape;
	mk.style = dl_style_default();
	mk.style.stroke = false;
	mk.style.fill = true;
	mk.style.fill_alpha = alpha;
	mk.style.fill_color = fill[0];
	dlist_markers(C->dl, &mk);
}

static double
norm_value(const struct series *s, double c)
{
	/* Normalize; vmin == vmax maps everything to 0 */
	if (s->vmax == s->vmin)
		return 0;
	return (c - s->vmin) / (s->vmax - s->vmin);
}

static struct dl_color
scatter_color(const struct ctx *C, const struct series *s, double c)
{
	double v = norm_value(s, c);
	if (!C->color)
		return color_gray(cmap_gray(v));
	return color_map(s->fs->cmap, v);
}

static void
draw_line_markers(struct ctx *C, const struct panel *P, const struct series *s)
{
	if (!s->has_marker || s->kind != FIG_LINE)
		return;
	size_t every = s->markevery ? s->markevery : 1;
	double *xy = xmalloc((2 * s->n + 2) * sizeof *xy);
	struct dl_color *fill = xmalloc((s->n + 1) * sizeof *fill);
	size_t m = 0;
	for (size_t k = 0; k < s->n; k += every) {
		double x = axis_map(&P->xa, s->x[k]), y = axis_map(&P->ya, s->y[k]);
		if (!isfinite(x) || !isfinite(y))
			continue;
		xy[2 * m] = x;
		xy[2 * m + 1] = y;
		fill[m++] = s->color;
	}
	draw_markers(C, xy, fill, m, s->marker_size, s->marker, s->alpha);
	free(xy);
	free(fill);
}

static void
draw_series(struct ctx *C, const struct panel *P, const struct series *s)
{
	struct dl_path p = dl_path_empty();
	switch (s->kind) {
	case FIG_LINE: {
		bool pen = false;
		for (size_t k = 0; k < s->n; k++) {
			double x = axis_map(&P->xa, s->x[k]), y = axis_map(&P->ya, s->y[k]);
			if (!isfinite(x) || !isfinite(y)) {
				pen = false;
				continue;
			}
			if (pen)
				dl_path_line(&p, x, y);
			else
				dl_path_move(&p, x, y);
			pen = true;
		}
		struct dl_style st = line_style(s);
		if (p.nsegs)
			dlist_path(C->dl, &p, &st);
		draw_line_markers(C, P, s);
		break;
	}
	case FIG_FILL: {
		size_t m = 0;
		for (size_t k = 0; k < s->n; k++) {
			double x = axis_map(&P->xa, s->x[k]), y = axis_map(&P->ya, s->y[k]);
			if (!isfinite(x) || !isfinite(y))
				continue;
			if (m++ == 0)
				dl_path_move(&p, x, y);
			else
				dl_path_line(&p, x, y);
		}
		for (size_t k = s->n; k-- > 0;) {
			double x = axis_map(&P->xa, s->x[k]);
			double y = axis_map(&P->ya, s->y2 ? s->y2[k] : 0);
			if (!isfinite(x) || !isfinite(y) || !isfinite(s->y[k]))
				continue;
			dl_path_line(&p, x, y);
		}
		if (m > 0) {
			dl_path_close(&p);
			struct dl_style st = patch_style(s);
			dlist_path(C->dl, &p, &st);
		}
		break;
	}
	case FIG_BARS: {
		/* one path: neighbouring bars share edges without seams */
		for (size_t k = 0; k < s->n; k++) {
			double x0 = axis_map(&P->xa, s->left[k]), x1 = axis_map(&P->xa, s->right[k]);
			double y0 = axis_map(&P->ya, 0), y1 = axis_map(&P->ya, s->height[k]);
			if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1) ||
			    s->height[k] == 0)
				continue;
			dl_path_rect(&p, x0, mind(y0, y1), x1 - x0, fabs(y1 - y0));
		}
		struct dl_style st = patch_style(s);
		if (p.nsegs)
			dlist_path(C->dl, &p, &st);
		break;
	}
	case FIG_SCATTER: {
		double *xy = xmalloc((2 * s->n + 2) * sizeof *xy);
		struct dl_color *fill = xmalloc((s->n + 1) * sizeof *fill);
		/* grayscale: two shapes by class (circle below the middle of the
		 * colour range, triangle above) */
		for (int pass = 0; pass < (C->color || !s->cmapped ? 1 : 2); pass++) {
			size_t m = 0;
			for (size_t k = 0; k < s->n; k++) {
				double x = axis_map(&P->xa, s->x[k]), y = axis_map(&P->ya, s->y[k]);
				if (!isfinite(x) || !isfinite(y))
					continue;
				if (s->cmapped) {
					if (!isfinite(s->c[k]))
						continue; /* the "bad" colour is transparent */
					if (!C->color && (norm_value(s, s->c[k]) >= 0.5) != (pass == 1))
						continue;
					fill[m] = scatter_color(C, s, s->c[k]);
				} else {
					fill[m] = s->color;
				}
				xy[2 * m] = x;
				xy[2 * m + 1] = y;
				m++;
			}
			enum dl_marker_shape shape = s->marker;
			if (!C->color && s->cmapped && pass == 1)
				shape = DL_MARKER_TRIANGLE;
			draw_markers(C, xy, fill, m, s->marker_size, shape, s->alpha);
		}
		free(xy);
		free(fill);
		break;
	}
	case FIG_CONTOUR: {
		double lmin = INFINITY, lmax = -INFINITY;
		for (size_t k = 0; k < s->n; k++) {
			lmin = mind(lmin, s->c[k]);
			lmax = maxd(lmax, s->c[k]);
		}
		for (size_t i = 0; i < s->nparts; i++) {
			for (size_t k = s->part[i]; k < s->part[i + 1]; k++) {
				double x = axis_map(&P->xa, s->x[k]), y = axis_map(&P->ya, s->y[k]);
				if (k == s->part[i])
					dl_path_move(&p, x, y);
				else
					dl_path_line(&p, x, y);
			}
			struct dl_style st = line_style(s);
			st.cap = DL_CAP_BUTT;
			if (s->fs->color == NULL && C->color && s->part[i] < s->n)
				st.stroke_color = color_map("viridis", lmax > lmin ?
				    (s->c[s->part[i]] - lmin) / (lmax - lmin) : 0);
			if (p.nsegs)
				dlist_path(C->dl, &p, &st);
			p = dl_path_empty();
		}
		break;
	}
	case FIG_HLINE:
	case FIG_VLINE: {
		if (s->kind == FIG_HLINE) {
			double y = axis_map(&P->ya, s->at);
			dl_path_move(&p, P->ax, y);
			dl_path_line(&p, P->ax + P->aw, y);
		} else {
			double x = axis_map(&P->xa, s->at);
			dl_path_move(&p, x, P->ay);
			dl_path_line(&p, x, P->ay + P->ah);
		}
		struct dl_style st = line_style(s);
		dlist_path(C->dl, &p, &st);
		break;
	}
	default:
		break;
	}
	dl_path_free(&p);
}

static void
draw_grid(struct ctx *C, const struct panel *P)
{
	double alpha = 0.3;
	resolve_number(C, &P->fp->grid_alpha, &alpha);
	struct dl_color gc;
	color_parse("#b0b0b0", &gc, NULL);
	struct dl_style st = stroke_style(gc, alpha, C->sz.grid_lw);
	struct dl_path p = dl_path_empty();
	for (size_t i = 0; i < P->xa.nmajor; i++)
		if (in_view(&P->xa, P->xa.major[i])) {
			double x = axis_map(&P->xa, P->xa.major[i]);
			dl_path_move(&p, x, P->ay);
			dl_path_line(&p, x, P->ay + P->ah);
		}
	for (size_t i = 0; i < P->ya.nmajor; i++)
		if (in_view(&P->ya, P->ya.major[i])) {
			double y = axis_map(&P->ya, P->ya.major[i]);
			dl_path_move(&p, P->ax, y);
			dl_path_line(&p, P->ax + P->aw, y);
		}
	if (p.nsegs) {
		dlist_group(C->dl, "grid");
		dlist_path(C->dl, &p, &st);
	}
	dl_path_free(&p);
}

/* Tick marks pointing out of the axes: x down, y left (right when side > 0). */
static void
draw_ticks(struct ctx *C, const struct axis *a, double edge, int side)
{
	const struct sizes *sz = &C->sz;
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass == 0 ? a->nmajor : a->nminor;
		double len = pass == 0 ? sz->tick_len : sz->minor_tick_len;
		struct dl_path p = dl_path_empty();
		for (size_t i = 0; i < n; i++) {
			double v = pass == 0 ? a->major[i] : a->minor[i];
			if (!in_view(a, v))
				continue;
			double q = axis_map(a, v);
			if (a->x) {
				dl_path_move(&p, q, edge);
				dl_path_line(&p, q, edge - len);
			} else {
				dl_path_move(&p, edge, q);
				dl_path_line(&p, edge + (side > 0 ? len : -len), q);
			}
		}
		struct dl_style st = stroke_style(BLACK, 1, pass == 0 ? sz->tick_lw : sz->minor_tick_lw);
		if (p.nsegs)
			dlist_path(C->dl, &p, &st);
		dl_path_free(&p);
	}
}

static void
draw_text_box(struct ctx *C, const struct series *s, const struct ptext *t)
{
	double pad = s->box_pad * s->font_size;
	struct dl_path p = dl_path_empty();
	dl_path_round_rect(&p, t->x0 - pad, t->y0 - pad, t->x1 - t->x0 + 2 * pad,
	    t->y1 - t->y0 + 2 * pad, pad);
	struct dl_style st = dl_style_default();
	st.fill = true;
	st.fill_color = s->box_face;
	st.stroke = s->has_edge;
	st.stroke_color = s->edge;
	st.line_width = C->sz.patch_lw;
	dlist_path(C->dl, &p, &st);
}

static void
draw_legend(struct ctx *C, const struct legend *L)
{
	double F = L->F;
	dlist_group(C->dl, "legend");
	struct dl_path p = dl_path_empty();
	dl_path_round_rect(&p, L->x, L->y, L->w, L->h, LEG_ROUNDING * F);
	struct dl_style st = dl_style_default();
	st.fill = true;
	st.fill_color = WHITE;
	st.fill_alpha = LEG_FRAMEALPHA;
	color_parse("0.8", &st.stroke_color, NULL); /* legend.edgecolor */
	st.stroke_alpha = LEG_FRAMEALPHA;
	st.line_width = C->sz.patch_lw;
	dlist_path(C->dl, &p, &st);

	double top = L->y + L->h - LEG_BORDERPAD * F;
	double hx = L->x + LEG_BORDERPAD * F;
	double tx = hx + (LEG_HANDLELENGTH + LEG_HANDLETEXTPAD) * F;
	double hw = LEG_HANDLELENGTH * F, hh = LEG_HANDLEHEIGHT * F;
	for (size_t i = 0; i < L->n; i++) {
		const struct series *s = L->s[i];
		struct tmetrics tm = L->tm[i];
		double base = top - maxd(hh, tm.a);
		switch (s->kind) {
		case FIG_FILL:
		case FIG_BARS: {
			p = dl_path_empty();
			dl_path_rect(&p, hx, base, hw, hh);
			struct dl_style ps = patch_style(s);
			dlist_path(C->dl, &p, &ps);
			break;
		}
		case FIG_SCATTER: {
			double xy[2] = {hx + hw / 2, base + hh * (0.5 * 0.375 + 0.5)};
			struct dl_color fill = s->cmapped && s->n > 0 ? scatter_color(C, s, s->c[0]) :
			    s->color;
			draw_markers(C, xy, &fill, 1, s->marker_size, s->marker, s->alpha);
			break;
		}
		default: {
			p = dl_path_empty();
			dl_path_move(&p, hx, base + hh / 2);
			dl_path_line(&p, hx + hw, base + hh / 2);
			struct dl_style ls = line_style(s);
			dlist_path(C->dl, &p, &ls);
			if (s->has_marker) {
				double xy[2] = {hx + hw / 2, base + hh / 2};
				draw_markers(C, xy, &s->color, 1, s->marker_size, s->marker, s->alpha);
			}
			break;
		}
		}
		emit_text(C, s->label, DL_FONT_SANS, C->sz.font_legend, tx, base, DL_LEFT, 0, BLACK, 1);
		top = base - maxd(0, -tm.d) - LEG_LABELSPACING * F;
	}
}

static void
draw_colorbar(struct ctx *C, const struct panel *P)
{
	dlist_group(C->dl, "colorbar");
	/* The bar lies on the figure's white, so its alpha (the scatter's) is
	 * blended with white here and the strips are drawn opaque: opaque
	 * strips may overlap, so renderers show no hairline seams between
	 * them (translucent ones would darken where they overlap). */
	double a = P->cbar_src->alpha;
	struct dl_color colors[256];
	for (int i = 0; i < 256; i++) {
		double v = (i + 0.5) / 256;
		struct dl_color c = C->color ? color_map(P->cbar_src->fs->cmap, v) :
		    color_gray(cmap_gray(v));
		colors[i].r = a * c.r + (1 - a);
		colors[i].g = a * c.g + (1 - a);
		colors[i].b = a * c.b + (1 - a);
	}
	struct dl_ramp r;
	memset(&r, 0, sizeof r);
	r.x0 = P->bx;
	r.y0 = P->by;
	r.x1 = P->bx + P->bw;
	r.y1 = P->by + P->bh;
	r.n = 256;
	r.colors = colors;
	r.alpha = 1;
	dlist_ramp(C->dl, &r);
	struct dl_path p = dl_path_empty();
	dl_path_rect(&p, P->bx, P->by, P->bw, P->bh);
	struct dl_style st = stroke_style(BLACK, 1, C->sz.frame_lw);
	dlist_path(C->dl, &p, &st);
	draw_ticks(C, &P->ca, P->bx + P->bw, +1);
}

static int
cmp_zorder(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	if (x->zorder != y->zorder)
		return x->zorder < y->zorder ? -1 : 1;
	return x < y ? -1 : x > y; /* stable: spec order */
}

static void
draw_panel(struct ctx *C, const struct panel *P)
{
	char label[64];
	snprintf(label, sizeof label, "panel %s", P->fp->id ? P->fp->id : "?");
	dlist_group(C->dl, label);
	bool axis_on = !P->fp->axis_off;

	const struct series **order = xmalloc((P->ns + 1) * sizeof *order);
	size_t n = 0;
	for (size_t i = 0; i < P->ns; i++)
		if (P->s[i].kind != FIG_TEXT)
			order[n++] = &P->s[i];
	qsort(order, n, sizeof *order, cmp_zorder);

	/* data below the frame (zorder <= 2.5), clipped; the grid at 1.5 */
	struct dl_path clip = dl_path_empty();
	dl_path_rect(&clip, P->ax, P->ay, P->aw, P->ah);
	dlist_clip_push(C->dl, &clip);
	dlist_group(C->dl, "data");
	size_t i = 0;
	for (; i < n && order[i]->zorder < 2; i++) /* zorder 1 (and below) */
		draw_series(C, P, order[i]);
	if (axis_on && P->fp->grid)
		draw_grid(C, P);
	if (i < n)
		dlist_group(C->dl, "lines");
	for (; i < n && order[i]->zorder <= 2; i++)
		draw_series(C, P, order[i]);
	dlist_clip_pop(C->dl);

	if (axis_on) {
		dlist_group(C->dl, "axes");
		struct dl_path fr = dl_path_empty();
		dl_path_rect(&fr, P->ax, P->ay, P->aw, P->ah);
		struct dl_style st = stroke_style(BLACK, 1, C->sz.frame_lw);
		dlist_path(C->dl, &fr, &st);
		draw_ticks(C, &P->xa, P->ay, -1);
		draw_ticks(C, &P->ya, P->ax, -1);
	}
	if (i < n) {
		clip = dl_path_empty();
		dl_path_rect(&clip, P->ax, P->ay, P->aw, P->ah);
		dlist_clip_push(C->dl, &clip);
		for (; i < n; i++)
			draw_series(C, P, order[i]);
		dlist_clip_pop(C->dl);
	}
	free(order);

	/* texts: tick labels, axis labels, title, then the panel's own */
	struct ptexts l = {NULL, 0, 0};
	panel_texts(C, P, &l);
	dlist_group(C->dl, "labels");
	for (size_t k = 0; k < l.n; k++) {
		const struct ptext *t = &l.t[k];
		const struct series *own = NULL;
		for (size_t j = 0; j < P->ns; j++)
			if (P->s[j].kind == FIG_TEXT && P->s[j].text == t->s)
				own = &P->s[j];
		if (own != NULL) {
			if (own->box)
				draw_text_box(C, own, t);
			emit_text(C, t->s, t->font, t->size, t->x, t->y, t->ha, t->angle, t->color, 1);
		} else {
			emit_text(C, t->s, t->font, t->size, t->x, t->y, t->ha, t->angle, t->color, 1);
		}
	}
	ptexts_free(&l);

	struct legend L;
	if (legend_layout(C, P, &L)) {
		draw_legend(C, &L);
		legend_free(&L);
	}
	if (P->cbar)
		draw_colorbar(C, P);
}

/* ------------------------------------------------------------ the figure */

static void
compute_sizes(struct sizes *sz, double width, double width_in)
{
	double r = width / (width_in * 72);
	sz->r = r;
	sz->font_tick = maxd(PRINT_TICK_FONT, MPL_FONT_SIZE * r);
	sz->font_label = maxd(PRINT_LABEL_FONT, MPL_FONT_SIZE * r);
	sz->font_title = maxd(PRINT_TITLE_FONT, MPL_TITLE_SIZE * r);
	sz->font_legend = maxd(PRINT_LEGEND_FONT, MPL_FONT_SIZE * r);
	sz->font_base = maxd(PRINT_LABEL_FONT, MPL_FONT_SIZE * r);
	sz->text_scale = maxd(PRINT_LABEL_FONT / MPL_FONT_SIZE, r);
	sz->eq_font = MPL_FONT_SIZE * r;
	sz->line_scale = maxd(PRINT_LINE_SCALE, r);
	double frame = maxd(PRINT_FRAME_SCALE, r);
	sz->frame_lw = MPL_AXES_LW * frame;
	sz->tick_lw = MPL_TICK_WIDTH * frame;
	sz->minor_tick_lw = MPL_MINOR_TICK_WIDTH * frame;
	sz->grid_lw = MPL_GRID_LW * sz->line_scale;
	sz->patch_lw = MPL_PATCH_LW * sz->line_scale;
	double tick = maxd(PRINT_TICK_SCALE, r);
	sz->tick_len = MPL_TICK_SIZE * tick;
	sz->minor_tick_len = MPL_MINOR_TICK_SIZE * tick;
	double k = sz->font_base / MPL_FONT_SIZE;
	sz->tick_pad = MPL_TICK_PAD * k;
	sz->label_pad = MPL_LABEL_PAD * k;
	sz->title_pad = MPL_TITLE_PAD * k;
	sz->pad = MPL_TIGHT_PAD * sz->font_base;
}

static void
panel_free(struct panel *P)
{
	for (size_t i = 0; i < P->ns; i++)
		series_free(&P->s[i]);
	free(P->s);
	free(P->title);
	for (size_t i = 0; i < P->ntitle; i++)
		free(P->title_lines[i]);
	free(P->title_lines);
	free(P->xlabel);
	free(P->ylabel);
	free(P->cbar_label);
	clear_labels(&P->xa);
	clear_labels(&P->ya);
	clear_labels(&P->ca);
}

static void
split_title(struct panel *P)
{
	P->ntitle = 0;
	P->title_lines = NULL;
	if (P->title == NULL || P->title[0] == '\0')
		return;
	size_t n = 1;
	for (const char *q = P->title; *q; q++)
		n += *q == '\n';
	P->title_lines = xmalloc(n * sizeof *P->title_lines);
	const char *line = P->title;
	for (size_t i = 0; i < n; i++) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		P->title_lines[i] = xstrndup(line, len);
		line += len + (nl ? 1 : 0);
	}
	P->ntitle = n;
}

static void
resolve_panel(struct ctx *C, const struct fig_panel *fp, struct panel *P)
{
	memset(P, 0, sizeof *P);
	P->fp = fp;
	P->xa.x = true;
	P->ya.x = false;
	P->ca.x = false;
	P->title = expand_text(C, &fp->title);
	split_title(P);
	P->xlabel = expand_text(C, &fp->xlabel);
	P->ylabel = expand_text(C, &fp->ylabel);
	P->cbar_label = expand_text(C, &fp->colorbar_label);
	P->s = xcalloc(fp->nseries + 1, sizeof *P->s);
	P->ns = fp->nseries;
	int line_cycle = 0, patch_cycle = 0;
	for (size_t i = 0; i < fp->nseries; i++)
		resolve_series(C, &fp->series[i], &P->s[i], &line_cycle, &patch_cycle);
	if (fp->colorbar) {
		for (size_t i = 0; i < P->ns; i++)
			if (P->s[i].kind == FIG_SCATTER && P->s[i].cmapped)
				P->cbar_src = &P->s[i];
		if (P->cbar_src == NULL) {
			diag_emit(DIAG_PLOT_BAD_DATA, fp->colorbar_at.file, fp->colorbar_at.line,
			    fp->colorbar_at.col, "colorbar needs a scatter with c= in its panel");
			C->errors++;
		} else {
			P->cbar = true;
			P->ca.lo = P->cbar_src->vmin;
			P->ca.hi = P->cbar_src->vmax;
			locator_nonsingular(&P->ca.lo, &P->ca.hi, 0.1, 1e-15);
		}
	}
}

struct dlist *
plot_figure(const struct fig_spec *spec, const struct registry *reg,
    const struct report_config *cfg, const struct dl_metrics *metrics,
    const struct plot_options *opt)
{
	struct ctx C;
	memset(&C, 0, sizeof C);
	C.spec = spec;
	C.reg = reg;
	C.cfg = cfg;
	C.m = metrics;
	C.color = opt ? opt->color : true;
	double width = opt && opt->width > 0 ? opt->width : spec->width_in * 72;
	double print_h = spec->print_height_in > 0 ? spec->print_height_in : spec->height_in;
	C.W = width;
	C.H = width * print_h / spec->width_in;
	compute_sizes(&C.sz, width, spec->width_in);

	C.np = spec->npanels;
	C.p = xcalloc(C.np + 1, sizeof *C.p);
	for (size_t i = 0; i < C.np; i++)
		resolve_panel(&C, &spec->panels[i], &C.p[i]);
	if (C.errors == 0) {
		for (size_t i = 0; i < C.np; i++) {
			if (!C.color)
				grayscale_panel(&C, &C.p[i]);
			panel_limits(&C, &C.p[i]);
		}
	}
	struct dlist *dl = NULL;
	if (C.errors == 0) {
		/* the seed's figure first: its figsize, matplotlib's sizes; what
		 * matplotlib decides there (loc='best', nbins='auto') holds in
		 * print */
		struct ctx R = C;
		R.reference = true;
		R.W = spec->width_in * 72;
		R.H = spec->height_in * 72;
		compute_sizes(&R.sz, R.W, spec->width_in);
		layout(&R);
		for (size_t i = 0; i < C.np; i++) {
			struct legend L;
			if (legend_layout(&R, &C.p[i], &L)) {
				C.p[i].legend_code = L.code;
				legend_free(&L);
			}
		}
		layout(&C);
		dl = dlist_new(C.W, C.H);
		C.dl = dl;
		char label[160];
		snprintf(label, sizeof label, "figure %s", spec->name ? spec->name : "");
		dlist_group(dl, label);
		for (size_t i = 0; i < C.np; i++)
			draw_panel(&C, &C.p[i]);
	}
	for (size_t i = 0; i < C.np; i++)
		panel_free(&C.p[i]);
	free(C.p);
	return dl;
}

/* ------------------------------------------------------------ exposed steps */

size_t
plot_axis_ticks(const struct plot_axis_spec *a, const struct dl_metrics *m,
    struct plot_tick *out, size_t cap)
{
	struct ctx C;
	memset(&C, 0, sizeof C);
	C.m = m;
	C.sz.eq_font = a->eq_font;
	C.sz.font_tick = a->font;
	struct axis ax;
	memset(&ax, 0, sizeof ax);
	ax.x = a->x_axis;
	ax.log = a->log;
	ax.lo = a->lo;
	ax.hi = a->hi;
	ax.pos = 0;
	ax.len = a->length;
	axis_ticks(&C, &ax, a->font);
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t k = pass == 0 ? ax.nmajor : ax.nminor;
		for (size_t i = 0; i < k; i++) {
			double v = pass == 0 ? ax.major[i] : ax.minor[i];
			if (!in_view(&ax, v))
				continue;
			if (n < cap) {
				out[n].value = v;
				out[n].major = pass == 0;
				const char *lab = pass == 0 ? ax.major_label[i] : ax.minor_label[i];
				snprintf(out[n].label, sizeof out[n].label, "%s", lab ? lab : "");
			}
			n++;
		}
	}
	clear_labels(&ax);
	return n;
}
