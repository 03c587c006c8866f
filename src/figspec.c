/* figspec: figures/NAME.fig -> struct fig_spec (the syntax is in figspec.h
 * and, for users, figures/README.md).
 *
 * Physical lines are joined at a trailing '\' into logical lines; one
 * anchored PCRE2 pattern cuts a logical line into the directive word and its
 * key=value attributes.  A table per directive says which attributes it
 * takes, their types, whether they are required and where they are stored
 * (offsets into the directive's object), so checking is the same loop for
 * every directive.  Every problem is reported where it is and counted; the
 * spec is returned only when there were none. */

#include "figspec.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rx.h"
#include "util.h"

/* ---------------------------------------------------------------- schema */

enum attr_type {
	AT_NUMBER,     /* struct fig_number, a literal */
	AT_NUMREF,     /* struct fig_number, a literal or one {{placeholder}} */
	AT_DOUBLE,     /* double, a literal */
	AT_INT,        /* int */
	AT_BOOL,       /* bool: true or false */
	AT_TEXT,       /* struct fig_text, may hold placeholders */
	AT_STRING,     /* char *, not empty, not checked further (colours, colormaps) */
	AT_NAME,       /* char *, an identifier (columns, panel ids) */
	AT_DATA,       /* struct fig_binding: the dataset name */
	AT_WHERE,      /* struct fig_binding: COLUMN:VALUE */
	AT_LINESTYLE,  /* enum fig_linestyle */
	AT_LEGEND_LOC, /* enum fig_legend_loc */
	AT_SCALE,      /* enum fig_scale */
	AT_WEIGHT,     /* bool, true for bold */
	AT_AXIS,       /* bool, true for off */
	AT_BOX,        /* char *, a box style */
	AT_MARKER,     /* char *, a marker */
};

enum range { R_ANY, R_UNIT, R_NONNEG, R_POS, R_GRID };

#define GRID_MAX 12

struct attr_def {
	const char *name;
	enum attr_type type;
	bool required;
	size_t offset; /* of the field in the directive's object */
	enum range range;
};

struct choice {
	const char *word;
	int value;
};

static const struct choice linestyle_choices[] = {
	{"solid", FIG_SOLID}, {"dashed", FIG_DASHED}, {"dotted", FIG_DOTTED},
	{"dashdot", FIG_DASHDOT}, {"-", FIG_SOLID}, {"--", FIG_DASHED}, {":", FIG_DOTTED},
	{"-.", FIG_DASHDOT}, {NULL, 0},
};
static const struct choice legend_choices[] = {
	{"best", FIG_LEGEND_BEST}, {"upper right", FIG_LEGEND_UPPER_RIGHT},
	{"upper left", FIG_LEGEND_UPPER_LEFT}, {"lower left", FIG_LEGEND_LOWER_LEFT},
	{"lower right", FIG_LEGEND_LOWER_RIGHT}, {NULL, 0},
};
static const struct choice scale_choices[] = {
	{"linear", FIG_SCALE_LINEAR}, {"log", FIG_SCALE_LOG}, {NULL, 0},
};
static const struct choice weight_choices[] = {{"normal", 0}, {"bold", 1}, {NULL, 0}};
static const struct choice axis_choices[] = {{"on", 0}, {"off", 1}, {NULL, 0}};
static const struct choice box_choices[] = {{"round", 0}, {NULL, 0}};
/* The shapes the display list can draw (dl_marker_shape). */
static const struct choice marker_choices[] = {
	{"o", 0}, {"s", 1}, {"^", 2}, {"D", 3}, {"x", 4}, {"+", 5}, {NULL, 0},
};
static const struct choice bool_choices[] = {{"true", 1}, {"false", 0}, {NULL, 0}};

static const struct choice *
choices_of(enum attr_type type)
{
	switch (type) {
	case AT_LINESTYLE:
		return linestyle_choices;
	case AT_LEGEND_LOC:
		return legend_choices;
	case AT_SCALE:
		return scale_choices;
	case AT_WEIGHT:
		return weight_choices;
	case AT_AXIS:
		return axis_choices;
	case AT_BOX:
		return box_choices;
	case AT_MARKER:
		return marker_choices;
	case AT_BOOL:
		return bool_choices;
	default:
		return NULL;
	}
}

#define F_(field) offsetof(struct fig_spec, field)
#define P_(field) offsetof(struct fig_panel, field)
#define S_(field) offsetof(struct fig_series, field)

static const struct attr_def figure_attrs[] = {
	{"rows", AT_INT, true, F_(rows), R_GRID},
	{"cols", AT_INT, true, F_(cols), R_GRID},
	{"width", AT_DOUBLE, true, F_(width_in), R_POS},
	{"height", AT_DOUBLE, true, F_(height_in), R_POS},
	{"print_height", AT_DOUBLE, false, F_(print_height_in), R_POS},
	{"caption", AT_TEXT, false, F_(caption), R_ANY},
};

static const struct attr_def panel_attrs[] = {
	{"id", AT_NAME, false, P_(id), R_ANY},
	{"row", AT_INT, true, P_(row), R_NONNEG},
	{"col", AT_INT, true, P_(col), R_NONNEG},
	{"title", AT_TEXT, false, P_(title), R_ANY},
	{"xlabel", AT_TEXT, false, P_(xlabel), R_ANY},
	{"ylabel", AT_TEXT, false, P_(ylabel), R_ANY},
	{"xmin", AT_NUMREF, false, P_(xmin), R_ANY},
	{"xmax", AT_NUMREF, false, P_(xmax), R_ANY},
	{"ymin", AT_NUMREF, false, P_(ymin), R_ANY},
	{"ymax", AT_NUMREF, false, P_(ymax), R_ANY},
	{"xscale", AT_SCALE, false, P_(xscale), R_ANY},
	{"yscale", AT_SCALE, false, P_(yscale), R_ANY},
	{"grid", AT_BOOL, false, P_(grid), R_ANY},
	{"grid_alpha", AT_NUMBER, false, P_(grid_alpha), R_UNIT},
	{"axis", AT_AXIS, false, P_(axis_off), R_ANY},
};

static const struct attr_def legend_attrs[] = {
	{"loc", AT_LEGEND_LOC, false, P_(legend), R_ANY},
};

static const struct attr_def colorbar_attrs[] = {
	{"label", AT_TEXT, false, P_(colorbar_label), R_ANY},
};

#define DATA_ATTRS(req_where) \
	{"data", AT_DATA, true, S_(data), R_ANY}, \
	{"where", AT_WHERE, req_where, S_(data), R_ANY}
#define COMMON_ATTRS \
	{"label", AT_TEXT, false, S_(label), R_ANY}, \
	{"zorder", AT_INT, false, S_(zorder), R_ANY}

static const struct attr_def line_attrs[] = {
	DATA_ATTRS(false),
	{"x", AT_NAME, true, S_(x), R_ANY},
	{"y", AT_NAME, true, S_(y), R_ANY},
	{"color", AT_STRING, false, S_(color), R_ANY},
	{"linewidth", AT_NUMBER, false, S_(linewidth), R_NONNEG},
	{"linestyle", AT_LINESTYLE, false, S_(linestyle), R_ANY},
	{"alpha", AT_NUMBER, false, S_(alpha), R_UNIT},
	{"marker", AT_MARKER, false, S_(marker), R_ANY},
	COMMON_ATTRS,
};

static const struct attr_def fill_attrs[] = {
	DATA_ATTRS(false),
	{"x", AT_NAME, true, S_(x), R_ANY},
	{"y", AT_NAME, true, S_(y), R_ANY},
	{"y2", AT_NAME, false, S_(y2), R_ANY},
	{"color", AT_STRING, false, S_(color), R_ANY},
	{"alpha", AT_NUMBER, false, S_(alpha), R_UNIT},
	COMMON_ATTRS,
};

static const struct attr_def scatter_attrs[] = {
	DATA_ATTRS(false),
	{"x", AT_NAME, true, S_(x), R_ANY},
	{"y", AT_NAME, true, S_(y), R_ANY},
	{"c", AT_NAME, false, S_(c), R_ANY},
	{"cmap", AT_STRING, false, S_(cmap), R_ANY},
	{"vmin", AT_NUMREF, false, S_(vmin), R_ANY},
	{"vmax", AT_NUMREF, false, S_(vmax), R_ANY},
	{"color", AT_STRING, false, S_(color), R_ANY},
	{"size", AT_NUMBER, false, S_(size), R_POS},
	{"alpha", AT_NUMBER, false, S_(alpha), R_UNIT},
	{"marker", AT_MARKER, false, S_(marker), R_ANY},
	COMMON_ATTRS,
};

static const struct attr_def contour_attrs[] = {
	DATA_ATTRS(true),
	{"color", AT_STRING, false, S_(color), R_ANY},
	{"linewidth", AT_NUMBER, false, S_(linewidth), R_NONNEG},
	{"linestyle", AT_LINESTYLE, false, S_(linestyle), R_ANY},
	{"alpha", AT_NUMBER, false, S_(alpha), R_UNIT},
	COMMON_ATTRS,
};

static const struct attr_def bars_attrs[] = {
	DATA_ATTRS(false),
	{"left", AT_NAME, true, S_(left), R_ANY},
	{"right", AT_NAME, true, S_(right), R_ANY},
	{"height", AT_NAME, true, S_(height), R_ANY},
	{"color", AT_STRING, false, S_(color), R_ANY},
	{"edgecolor", AT_STRING, false, S_(edgecolor), R_ANY},
	{"alpha", AT_NUMBER, false, S_(alpha), R_UNIT},
	COMMON_ATTRS,
};

#define REFLINE_ATTRS \
	{"color", AT_STRING, false, S_(color), R_ANY}, \
	{"linewidth", AT_NUMBER, false, S_(linewidth), R_NONNEG}, \
	{"linestyle", AT_LINESTYLE, false, S_(linestyle), R_ANY}, \
	{"alpha", AT_NUMBER, false, S_(alpha), R_UNIT}, \
	COMMON_ATTRS

static const struct attr_def hline_attrs[] = {
	{"y", AT_NUMREF, true, S_(at), R_ANY},
	REFLINE_ATTRS,
};

static const struct attr_def vline_attrs[] = {
	{"x", AT_NUMREF, true, S_(at), R_ANY},
	REFLINE_ATTRS,
};

static const struct attr_def text_attrs[] = {
	{"x", AT_NUMREF, true, S_(at), R_ANY},
	{"y", AT_NUMREF, true, S_(at_y), R_ANY},
	{"text", AT_TEXT, true, S_(text), R_ANY},
	{"size", AT_NUMBER, false, S_(size), R_POS},
	{"weight", AT_WEIGHT, false, S_(bold), R_ANY},
	{"color", AT_STRING, false, S_(color), R_ANY},
	{"box", AT_BOX, false, S_(box), R_ANY},
	{"box_pad", AT_NUMBER, false, S_(box_pad), R_NONNEG},
	{"box_color", AT_STRING, false, S_(box_color), R_ANY},
	{"box_edge", AT_STRING, false, S_(box_edge), R_ANY},
	{"zorder", AT_INT, false, S_(zorder), R_ANY},
};

enum dir_kind { D_FIGURE, D_PANEL, D_LEGEND, D_COLORBAR, D_SERIES };

struct directive_def {
	const char *name;
	enum dir_kind kind;
	enum fig_series_kind series; /* D_SERIES */
	const struct attr_def *attrs;
	size_t nattrs;
};

#define DIR(name, kind, series, attrs) {name, kind, series, attrs, ARRAY_LEN(attrs)}

static const struct directive_def directives[] = {
	DIR("figure", D_FIGURE, FIG_LINE, figure_attrs),
	DIR("panel", D_PANEL, FIG_LINE, panel_attrs),
	DIR("line", D_SERIES, FIG_LINE, line_attrs),
	DIR("fill", D_SERIES, FIG_FILL, fill_attrs),
	DIR("scatter", D_SERIES, FIG_SCATTER, scatter_attrs),
	DIR("contour", D_SERIES, FIG_CONTOUR, contour_attrs),
	DIR("bars", D_SERIES, FIG_BARS, bars_attrs),
	DIR("hline", D_SERIES, FIG_HLINE, hline_attrs),
	DIR("vline", D_SERIES, FIG_VLINE, vline_attrs),
	DIR("text", D_SERIES, FIG_TEXT, text_attrs),
	DIR("legend", D_LEGEND, FIG_LINE, legend_attrs),
	DIR("colorbar", D_COLORBAR, FIG_LINE, colorbar_attrs),
};

#define MAX_ATTRS 24 /* more than any directive takes */

/* matplotlib's spellings, suggested when edit distance finds nothing. */
static const struct {
	const char *from, *to;
} aliases[] = {
	{"lw", "linewidth"}, {"ls", "linestyle"}, {"linewidths", "linewidth"},
	{"colors", "color"}, {"fontsize", "size"}, {"fontweight", "weight"},
	{"facecolor", "box_color"}, {"s", "size"}, {"edgecolors", "edgecolor"}, {"opacity", "alpha"},
	{"xlim", "xmin"}, {"ylim", "ymin"}, {"plot", "line"}, {"fill_between", "fill"},
	{"hist", "bars"}, {"axhline", "hline"}, {"axvline", "vline"}, {"subplot", "panel"},
};

/* ---------------------------------------------------------------- parser */

/* Logical offset where physical line `line` begins. */
struct seg {
	size_t start;
	int line;
};

/* One key=value of a line. */
struct attr_tok {
	const char *key; /* into the line buffer, keylen bytes */
	size_t keylen;
	size_t key_off;
	char *value;     /* unescaped, owned; NULL when missing */
	size_t val_off;  /* offset of the value's first byte (the quote if quoted) */
	size_t *map;     /* quoted: offset of each byte of value and of its end; owned */
	bool bad;        /* the value is unusable (already reported) */
};

struct line_toks {
	size_t dir_off, dir_len;
	struct attr_tok *attrs;
	size_t n, cap;
	bool broken; /* a token could not be read: missing attributes are not news */
};

struct parser {
	const char *file; /* spec->path */
	struct fig_spec *spec;
	int errors;
	int eline, ecol; /* where the message being emitted points */

	pcre2_code *re_token, *re_number, *re_int, *re_name, *re_where, *re_ph, *re_fmt;
	pcre2_match_data *md;

	char *buf; /* the logical line, NUL-terminated */
	size_t len, cap;
	struct seg *segs;
	size_t nsegs, segcap;

	bool figure_seen;
	bool order_reported;  /* "before 'figure'" said once */
	bool orphan_reported; /* "before any 'panel'" said since the last panel */
	bool panel_open;      /* the last panel directive was committed */
	bool lost;            /* a directive could not be read: until the next panel,
	                       * what follows is checked but attached nowhere */
	int *cells;           /* rows*cols: 1 + index of the panel in each cell, or 0 */
};

/* Sets P->eline/ecol to logical offset off and counts an error. */
static void
point_at(struct parser *P, size_t off)
{
	size_t k = 0;

	for (size_t i = 0; i < P->nsegs; i++)
		if (P->segs[i].start <= off)
			k = i;
	P->eline = P->segs[k].line;
	P->ecol = char_col(P->buf + P->segs[k].start, off - P->segs[k].start);
	P->errors++;
}

#define ERR(P, off, code, ...) \
	(point_at((P), (off)), diag_emit((code), (P)->file, (P)->eline, (P)->ecol, __VA_ARGS__))

/* Emits a code whose table text is a single "%s", formatting the detail. */
static void say(struct parser *P, size_t off, enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
say(struct parser *P, size_t off, enum diag_code code, const char *fmt, ...)
{
	va_list ap;
	char *detail;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	detail = xmalloc((size_t)(len < 0 ? 0 : len) + 1);
	detail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(detail, (size_t)(len < 0 ? 0 : len) + 1, fmt, ap);
	va_end(ap);
	ERR(P, off, code, detail);
	free(detail);
}

static struct fig_loc
loc_of(struct parser *P, size_t off)
{
	struct fig_loc loc;
	int saved = P->errors;

	point_at(P, off);
	P->errors = saved;
	loc.file = P->file;
	loc.line = P->eline;
	loc.col = P->ecol;
	return loc;
}

static void
parser_init(struct parser *P, struct fig_spec *spec)
{
	memset(P, 0, sizeof *P);
	P->spec = spec;
	P->file = spec->path;
	/* One token, anchored where the previous one ended:
	 *   1 comment | 2 key= with 3 "quoted" or 4 bare value or 5 a lone quote
	 *   (unterminated) or none | 6 a word | 7 anything else | the end. */
	P->re_token = rx_compile("figspec", "[ \\t]*(?:(#.*)"
	    "|([^\\s=#\"]+)=(?:(\"(?:[^\"\\\\]|\\\\.)*\")|([^\\s\"#]+)|(\"))?"
	    "|([^\\s=#\"]+)(?=[\\s#]|\\z)"
	    "|([^\\s#]+)"
	    "|\\z)");
	P->re_number = rx_compile("figspec", "\\A[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?\\z");
	P->re_int = rx_compile("figspec", "\\A[-+]?[0-9]+\\z");
	P->re_name = rx_compile("figspec", "\\A[A-Za-z_][A-Za-z0-9_]*\\z");
	P->re_where = rx_compile("figspec", "\\A([A-Za-z_][A-Za-z0-9_]*):(.+)\\z");
	/* Inside {{ }}: 1 a dotted name, 2 the format after '|'. */
	P->re_ph = rx_compile("figspec", "\\A([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*)(?:\\|(.*))?\\z");
	P->re_fmt = rx_compile("figspec", "\\A%[-+ #0]*[0-9]*(?:\\.[0-9]*)?[eEfFgG]\\z");
	P->md = rx_match_data(10);
}

static void
parser_free(struct parser *P)
{
	pcre2_code_free(P->re_token);
	pcre2_code_free(P->re_number);
	pcre2_code_free(P->re_int);
	pcre2_code_free(P->re_name);
	pcre2_code_free(P->re_where);
	pcre2_code_free(P->re_ph);
	pcre2_code_free(P->re_fmt);
	pcre2_match_data_free(P->md);
	free(P->buf);
	free(P->segs);
	free(P->cells);
}

/* Does the whole of s match re?  s is valid UTF-8 already. */
static bool
matches(struct parser *P, pcre2_code *re, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_NO_UTF_CHECK, P->md, NULL) > 0;
}

/* ---------------------------------------------------------------- objects */

static void
number_init(struct fig_number *n, double value, struct fig_loc loc)
{
	n->set = false;
	n->value = value;
	n->ref = NULL;
	n->loc = loc;
}

static void
series_init(struct fig_series *s, enum fig_series_kind kind, struct fig_loc loc)
{
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->loc = loc;
	s->data.loc = s->data.where_loc = loc;
	s->label.loc = s->text.loc = loc;
	number_init(&s->at, 0, loc);
	number_init(&s->at_y, 0, loc);
	number_init(&s->vmin, 0, loc);
	number_init(&s->vmax, 0, loc);
	number_init(&s->alpha, 1, loc);
	number_init(&s->linewidth, 1.5, loc);
	number_init(&s->size, kind == FIG_TEXT ? 10 : 36, loc);
	number_init(&s->box_pad, 0.3, loc);
	s->linestyle = FIG_SOLID;
	/* matplotlib: patches and collections 1, lines 2, text 3. */
	switch (kind) {
	case FIG_FILL:
	case FIG_SCATTER:
	case FIG_BARS:
		s->zorder = 1;
		break;
	case FIG_TEXT:
		s->zorder = 3;
		break;
	default:
		s->zorder = 2;
		break;
	}
}

static void
series_free_fields(struct fig_series *s)
{
	free(s->data.dataset);
	free(s->data.where_column);
	free(s->data.where_value);
	free(s->x);
	free(s->y);
	free(s->y2);
	free(s->c);
	free(s->left);
	free(s->right);
	free(s->height);
	free(s->at.ref);
	free(s->at_y.ref);
	free(s->label.text);
	free(s->text.text);
	free(s->color);
	free(s->edgecolor);
	free(s->cmap);
	free(s->vmin.ref);
	free(s->vmax.ref);
	free(s->marker);
	free(s->box);
	free(s->box_color);
	free(s->box_edge);
	free(s->attr_locs);
}

static void
panel_init(struct fig_panel *p, struct fig_loc loc)
{
	memset(p, 0, sizeof *p);
	p->loc = loc;
	p->title.loc = p->xlabel.loc = p->ylabel.loc = p->colorbar_label.loc = loc;
	number_init(&p->xmin, 0, loc);
	number_init(&p->xmax, 0, loc);
	number_init(&p->ymin, 0, loc);
	number_init(&p->ymax, 0, loc);
	number_init(&p->grid_alpha, 0.3, loc);
	p->xscale = p->yscale = FIG_SCALE_LINEAR;
	p->legend = FIG_LEGEND_NONE;
	p->legend_at = p->colorbar_at = loc;
}

static void
panel_free_fields(struct fig_panel *p)
{
	free(p->id);
	free(p->title.text);
	free(p->xlabel.text);
	free(p->ylabel.text);
	free(p->xmin.ref);
	free(p->xmax.ref);
	free(p->ymin.ref);
	free(p->ymax.ref);
	free(p->colorbar_label.text);
	for (size_t i = 0; i < p->nseries; i++)
		series_free_fields(&p->series[i]);
	free(p->series);
}

void
fig_spec_free(struct fig_spec *spec)
{
	if (spec == NULL)
		return;
	for (size_t i = 0; i < spec->npanels; i++)
		panel_free_fields(&spec->panels[i]);
	free(spec->panels);
	free(spec->caption.text);
	free(spec->name);
	free(spec->path);
	free(spec);
}

struct fig_loc
fig_series_attr_loc(const struct fig_series *s, const char *attr)
{
	for (size_t i = 0; i < s->nattr_locs; i++)
		if (strcmp(s->attr_locs[i].name, attr) == 0)
			return s->attr_locs[i].loc;
	return s->loc;
}

/* ---------------------------------------------------------------- hints */

/* The i-th name of a table whose elements (stride bytes apart) start with a
 * const char *. */
static const char *
name_at(const void *names, size_t stride, size_t i)
{
	return *(const char *const *)((const char *)names + i * stride);
}

/* "; did you mean 'color'?" for the closest of the n names, or "": within 2
 * edits (and fewer than the word has bytes), else the name a matplotlib
 * spelling stands for ("lw"), else a name sharing a prefix of 3+ bytes with
 * the word. */
static void
hint(const char *word, const void *names, size_t n, size_t stride, char *buf, size_t size)
{
	const char *best = NULL, *alias = NULL;
	int best_d = INT_MAX;
	size_t wlen = strlen(word);

	for (size_t i = 0; i < n; i++) {
		int d = edit_distance(word, name_at(names, stride, i));

		if (d < best_d) {
			best_d = d;
			best = name_at(names, stride, i);
		}
	}
	if (best_d > 2 || (size_t)best_d >= wlen) {
		best = NULL;
		for (size_t i = 0; i < ARRAY_LEN(aliases) && alias == NULL; i++)
			if (strcmp(word, aliases[i].from) == 0)
				alias = aliases[i].to;
		for (size_t i = 0; i < n && best == NULL; i++) {
			const char *name = name_at(names, stride, i);
			size_t nlen = strlen(name), m = nlen < wlen ? nlen : wlen;

			if (alias != NULL ? strcmp(alias, name) == 0 :
			    m >= 3 && strncmp(word, name, m) == 0)
				best = name;
		}
	}
	if (best != NULL)
		snprintf(buf, size, "; did you mean '%s'?", best);
	else
		buf[0] = '\0';
}

/* ---------------------------------------------------------------- tokens */

static void
toks_clear(struct line_toks *T)
{
	for (size_t i = 0; i < T->n; i++) {
		free(T->attrs[i].value);
		free(T->attrs[i].map);
	}
	T->n = 0;
	T->broken = false;
}

static struct attr_tok *
toks_push(struct line_toks *T)
{
	if (T->n == T->cap) {
		T->cap = T->cap ? 2 * T->cap : 8;
		T->attrs = xrealloc(T->attrs, T->cap * sizeof *T->attrs);
	}
	memset(&T->attrs[T->n], 0, sizeof T->attrs[T->n]);
	return &T->attrs[T->n++];
}

/* Offset of byte i of a token's value in the line. */
static size_t
val_pos(const struct attr_tok *t, size_t i)
{
	return t->map ? t->map[i] : t->val_off + i;
}

/* Unescapes the quoted string buf[q..e] (both quotes included) into t. */
static void
unquote(struct parser *P, struct attr_tok *t, size_t q, size_t e)
{
	char *v = xmalloc(e - q + 1);
	size_t *map = xmalloc((e - q + 1) * sizeof *map);
	size_t n = 0;

	for (size_t i = q + 1; i < e; i++) {
		map[n] = i;
		if (P->buf[i] == '\\') {
			char c = P->buf[++i];

			if (c == 'n') {
				v[n++] = '\n';
			} else if (c == '"' || c == '\\') {
				v[n++] = c;
			} else {
				char esc[8];
				size_t len = 1;

				/* Name the whole (possibly multibyte) character. */
				while (len < 4 && ((unsigned char)P->buf[i + len] & 0xC0) == 0x80)
					len++;
				snprintf(esc, sizeof esc, "%.*s", (int)len, P->buf + i);
				say(P, i - 1, DIAG_FIG_SYNTAX,
				    "unknown escape '\\%s' (a quoted string allows \\\", \\\\ and \\n)", esc);
				t->bad = true;
				v[n++] = c;
			}
		} else {
			v[n++] = P->buf[i];
		}
	}
	map[n] = e;
	v[n] = '\0';
	t->value = v;
	t->map = map;
}

/* The character after a value must end it. */
static bool
ends_token(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '#';
}

/* Cuts the logical line into T.  Returns false when there is nothing to do
 * (blank, comment, or no directive could be read). */
static bool
tokenize(struct parser *P, struct line_toks *T)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(P->md);
	size_t pos = 0;
	bool first = true;
	bool skip_word = false; /* after "key= value": the value is not news again */

	for (;;) {
		int rc = pcre2_match(P->re_token, (PCRE2_SPTR)P->buf, P->len, pos,
		    PCRE2_ANCHORED | (first ? 0 : PCRE2_NO_UTF_CHECK), P->md, NULL);

		if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
			say(P, pcre2_get_startchar(P->md), DIAG_FIG_SYNTAX, "invalid UTF-8");
			P->lost = true;
			return false;
		}
		if (rc < 0) {
			/* Only a blank other than space or tab gets here. */
			say(P, pos + strspn(P->buf + pos, " \t"), DIAG_FIG_SYNTAX,
			    "unexpected character (only spaces and tabs separate tokens)");
			T->broken = true;
			if (first)
				P->lost = true;
			return !first;
		}
		/* rc-1 is the highest group set; group 0 is always set. */
#define SET(g) (rc > (g) && ov[2 * (g)] != PCRE2_UNSET)
#define TOKEN(g) (int)(ov[2 * (g) + 1] - ov[2 * (g)]), P->buf + ov[2 * (g)]
		pos = ov[1];
		if (SET(1) || !(SET(2) || SET(6) || SET(7)))
			return !first; /* a comment or the end */
		if (first) {
			first = false;
			if (SET(6)) {
				T->dir_off = ov[12];
				T->dir_len = ov[13] - ov[12];
				continue;
			}
			size_t at = SET(2) ? ov[4] : ov[14];
			say(P, at, DIAG_FIG_SYNTAX,
			    "expected a directive name at the start of the line (figure, panel, line, ...), got '%.*s'",
			    (int)(pos - at), P->buf + at);
			P->lost = true;
			return false;
		}
		if (SET(6) && skip_word) {
			skip_word = false;
			continue;
		}
		skip_word = false;
		if (SET(6)) {
			size_t after = pos + strspn(P->buf + pos, " \t");

			T->broken = true;
			if (P->buf[after] == '=') {
				say(P, ov[12], DIAG_FIG_SYNTAX,
				    "space before '=' after '%.*s' (write %.*s=VALUE)", TOKEN(6), TOKEN(6));
				return true;
			}
			say(P, ov[12], DIAG_FIG_SYNTAX, "expected attribute=value, got '%.*s'",
			    TOKEN(6));
			continue;
		}
		if (SET(7)) {
			say(P, ov[14], DIAG_FIG_SYNTAX, "expected attribute=value, got '%.*s'",
			    TOKEN(7));
			T->broken = true;
			return true;
		}

		struct attr_tok *t = toks_push(T);
		t->key = P->buf + ov[4];
		t->keylen = ov[5] - ov[4];
		t->key_off = ov[4];
		t->val_off = ov[5] + 1;
		if (SET(3)) {
			unquote(P, t, ov[6], ov[7] - 1);
			if (!ends_token(P->buf[pos])) {
				say(P, pos, DIAG_FIG_SYNTAX, "unexpected text after the closing quote");
				T->broken = true;
				return true;
			}
		} else if (SET(4)) {
			t->value = xstrndup(P->buf + ov[8], ov[9] - ov[8]);
			if (!ends_token(P->buf[pos])) {
				if (P->buf[pos] == '"')
					say(P, pos, DIAG_FIG_SYNTAX,
					    "unexpected '\"' in an unquoted value (quote the whole value)");
				else
					say(P, pos, DIAG_FIG_SYNTAX,
					    "unexpected character (only spaces and tabs separate tokens)");
				t->bad = true;
				T->broken = true;
				return true;
			}
		} else if (SET(5)) {
			say(P, ov[10], DIAG_FIG_SYNTAX, "unterminated string (missing closing '\"')");
			t->bad = true;
			return true;
		} else {
			char c = P->buf[pos];

			t->bad = true;
			if (c == '#')
				say(P, pos, DIAG_FIG_SYNTAX,
				    "missing value after '%.*s=' ('#' starts a comment: quote a hex colour, "
				    "color=\"#1f77b4\")", TOKEN(2));
			else if (c == ' ' || c == '\t') {
				say(P, pos, DIAG_FIG_SYNTAX,
				    "missing value after '%.*s=' (no spaces around '=')", TOKEN(2));
				skip_word = true;
			}
			else
				say(P, pos, DIAG_FIG_SYNTAX, "missing value after '%.*s='", TOKEN(2));
		}
#undef SET
#undef TOKEN
	}
}

/* ---------------------------------------------------------------- values */

static const char *
range_text(enum range r)
{
	switch (r) {
	case R_UNIT:
		return "0 ≤ value ≤ 1";
	case R_NONNEG:
		return "value ≥ 0";
	case R_POS:
		return "value > 0";
	case R_GRID:
		return "1 ≤ value ≤ 12";
	default:
		return "";
	}
}

static bool
in_range(enum range r, double v)
{
	switch (r) {
	case R_UNIT:
		return v >= 0 && v <= 1;
	case R_NONNEG:
		return v >= 0;
	case R_POS:
		return v > 0;
	case R_GRID:
		return v >= 1 && v <= GRID_MAX;
	default:
		return true;
	}
}

/* "one of solid, dashed, ..., '-', '--'" for an enum's words. */
static char *
choices_text(const struct choice *c)
{
	size_t size = 16;
	char *buf;

	for (const struct choice *p = c; p->word; p++)
		size += strlen(p->word) + 4;
	buf = xmalloc(size);
	strcpy(buf, c[1].word ? "one of " : "");
	for (const struct choice *p = c; p->word; p++) {
		bool plain = strspn(p->word, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(p->word);

		if (p != c)
			strcat(buf, ", ");
		if (!plain)
			strcat(buf, "'");
		strcat(buf, p->word);
		if (!plain)
			strcat(buf, "'");
	}
	return buf;
}

static void
bad_value(struct parser *P, const struct attr_def *a, const struct attr_tok *t, const char *what)
{
	ERR(P, t->val_off, DIAG_FIG_BAD_VALUE, a->name, what, t->value);
}

/* A finite literal number, or false. */
static bool
parse_number(struct parser *P, const char *v, double *out)
{
	if (!matches(P, P->re_number, v))
		return false;
	errno = 0;
	*out = strtod(v, NULL);
	return isfinite(*out);
}

/* Checks the {{...}} of a text value; returns the number of placeholders, or
 * -1 after reporting.  With name/format non-NULL, the first one's parts are
 * stored there (offsets into t->value). */
static int
check_placeholders(struct parser *P, const struct attr_def *a, const struct attr_tok *t,
    size_t *span, size_t name[2], size_t format[2])
{
	const char *v = t->value;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(P->md);
	int count = 0;
	bool ok = true;

	for (const char *open = strstr(v, "{{"); open != NULL; open = strstr(open, "{{")) {
		size_t i = (size_t)(open - v);
		const char *close = strstr(open + 2, "}}");
		char *inner;

		if (close == NULL) {
			ERR(P, val_pos(t, i), DIAG_FIG_BAD_PLACEHOLDER, a->name,
			    "unterminated placeholder (missing '}}')");
			return -1;
		}
		inner = xstrndup(open + 2, (size_t)(close - open - 2));
		if (pcre2_match(P->re_ph, (PCRE2_SPTR)inner, strlen(inner), 0, PCRE2_NO_UTF_CHECK,
		    P->md, NULL) <= 0) {
			size_t bar = strcspn(inner, "|");
			char *detail = xasprintf("bad placeholder name '%.*s' (expected a config key "
			    "or result such as 'posterior.q_mean')", (int)bar, inner);

			ERR(P, val_pos(t, i + 2), DIAG_FIG_BAD_PLACEHOLDER, a->name, detail);
			free(detail);
			ok = false;
		} else {
			size_t n0 = ov[2], n1 = ov[3];
			bool has_fmt = ov[4] != PCRE2_UNSET;
			size_t f0 = has_fmt ? ov[4] : 0, f1 = has_fmt ? ov[5] : 0;

			if (has_fmt && !matches(P, P->re_fmt, inner + f0)) {
				char *detail = xasprintf("bad format '%s' in placeholder (one printf "
				    "conversion for a double, such as %%.2f)", inner + f0);

				ERR(P, val_pos(t, i + 2 + f0), DIAG_FIG_BAD_PLACEHOLDER, a->name, detail);
				free(detail);
				ok = false;
			}
			if (count == 0 && span != NULL) {
				span[0] = i;
				span[1] = (size_t)(close - v) + 2;
				name[0] = i + 2 + n0;
				name[1] = i + 2 + n1;
				format[0] = has_fmt ? i + 2 + f0 : 0;
				format[1] = has_fmt ? i + 2 + f1 : 0;
			}
		}
		free(inner);
		count++;
		open = close + 2;
	}
	return ok ? count : -1;
}

/* Checks t's value against a's type and stores it in obj; false after
 * reporting a problem. */
static bool
store(struct parser *P, void *obj, const struct attr_def *a, const struct attr_tok *t)
{
	void *field = (char *)obj + a->offset;
	const char *v = t->value;
	struct fig_loc loc = loc_of(P, t->val_off);
	const struct choice *ch = choices_of(a->type);
	double d = 0;
	long l = 0;

	switch (a->type) {
	case AT_NUMBER:
	case AT_DOUBLE:
	case AT_INT:
		if (a->type == AT_INT) {
			bool ok = matches(P, P->re_int, v);

			if (ok) {
				errno = 0;
				l = strtol(v, NULL, 10);
				ok = errno == 0 && l >= INT_MIN && l <= INT_MAX;
			}
			if (!ok) {
				bad_value(P, a, t, "an integer");
				return false;
			}
			d = (double)l;
		} else if (!parse_number(P, v, &d)) {
			bad_value(P, a, t, "a number");
			return false;
		}
		if (!in_range(a->range, d)) {
			ERR(P, t->val_off, DIAG_FIG_OUT_OF_RANGE, a->name, v, range_text(a->range));
			return false;
		}
		if (a->type == AT_INT) {
			*(int *)field = (int)d;
		} else if (a->type == AT_DOUBLE) {
			*(double *)field = d;
		} else {
			struct fig_number *n = field;
			n->set = true;
			n->value = d;
			n->loc = loc;
		}
		return true;
	case AT_NUMREF: {
		struct fig_number *n = field;
		size_t span[2], name[2], format[2];
		int count;

		if (parse_number(P, v, &d)) {
			n->set = true;
			n->value = d;
			n->loc = loc;
			return true;
		}
		count = check_placeholders(P, a, t, span, name, format);
		if (count < 0)
			return false;
		if (count != 1 || span[0] != 0 || v[span[1]] != '\0') {
			bad_value(P, a, t, "a number or a {{placeholder}}");
			return false;
		}
		if (format[1] > format[0]) {
			ERR(P, val_pos(t, format[0]), DIAG_FIG_BAD_PLACEHOLDER, a->name,
			    "a number placeholder takes no format (formats apply to text)");
			return false;
		}
		n->set = true;
		n->ref = xstrndup(v + name[0], name[1] - name[0]);
		n->loc = loc;
		return true;
	}
	case AT_TEXT: {
		struct fig_text *tx = field;

		if (check_placeholders(P, a, t, NULL, NULL, NULL) < 0)
			return false;
		tx->text = xstrdup(v);
		tx->loc = loc;
		return true;
	}
	case AT_STRING:
		if (v[0] == '\0') {
			bad_value(P, a, t, "a non-empty value");
			return false;
		}
		*(char **)field = xstrdup(v);
		return true;
	case AT_NAME:
	case AT_DATA:
		if (!matches(P, P->re_name, v)) {
			bad_value(P, a, t, "a name (letters, digits and '_')");
			return false;
		}
		if (a->type == AT_NAME) {
			*(char **)field = xstrdup(v);
		} else {
			struct fig_binding *b = field;
			b->dataset = xstrdup(v);
			b->loc = loc;
		}
		return true;
	case AT_WHERE: {
		struct fig_binding *b = field;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(P->md);

		if (!matches(P, P->re_where, v)) {
			bad_value(P, a, t, "COLUMN:VALUE (such as name:original)");
			return false;
		}
		b->where_column = xstrndup(v + ov[2], ov[3] - ov[2]);
		b->where_value = xstrndup(v + ov[4], ov[5] - ov[4]);
		b->where_loc = loc;
		return true;
	}
	default:
		break;
	}

	/* The enums. */
	const struct choice *c = ch;
	while (c->word && strcmp(c->word, v) != 0)
		c++;
	if (c->word == NULL) {
		char *what = a->type == AT_BOOL ? xstrdup("true or false") : choices_text(ch);

		bad_value(P, a, t, what);
		free(what);
		return false;
	}
	switch (a->type) {
	case AT_LINESTYLE:
		*(enum fig_linestyle *)field = (enum fig_linestyle)c->value;
		break;
	case AT_LEGEND_LOC:
		*(enum fig_legend_loc *)field = (enum fig_legend_loc)c->value;
		break;
	case AT_SCALE:
		*(enum fig_scale *)field = (enum fig_scale)c->value;
		break;
	case AT_BOOL:
	case AT_WEIGHT:
	case AT_AXIS:
		*(bool *)field = c->value != 0;
		break;
	default: /* AT_BOX, AT_MARKER */
		*(char **)field = xstrdup(v);
		break;
	}
	return true;
}

/* ---------------------------------------------------------------- structure */

static const char *
number_text(const struct fig_number *n, char *buf, size_t size)
{
	format_shortest(buf, size, n->value);
	return buf;
}

/* Literal limits: lo < hi, and > 0 on a log axis. */
static void
check_limits(struct parser *P, const char *lo_name, const struct fig_number *lo,
    const char *hi_name, const struct fig_number *hi, enum fig_scale scale,
    const size_t *off_lo, const size_t *off_hi)
{
	char a[40], b[40];
	bool bad = false;

	if (scale == FIG_SCALE_LOG) {
		if (lo->set && lo->ref == NULL && lo->value <= 0) {
			ERR(P, *off_lo, DIAG_FIG_OUT_OF_RANGE, lo_name, number_text(lo, a, sizeof a),
			    "value > 0 on a log axis");
			bad = true;
		}
		if (hi->set && hi->ref == NULL && hi->value <= 0) {
			ERR(P, *off_hi, DIAG_FIG_OUT_OF_RANGE, hi_name, number_text(hi, a, sizeof a),
			    "value > 0 on a log axis");
			bad = true;
		}
	}
	if (!bad && lo->set && hi->set && lo->ref == NULL && hi->ref == NULL &&
	    lo->value >= hi->value)
		say(P, *off_hi, DIAG_FIG_STRUCTURE, "'%s' = %s must be less than '%s' = %s", lo_name,
		    number_text(lo, a, sizeof a), hi_name, number_text(hi, b, sizeof b));
}

static const struct attr_def *
find_attr(const struct directive_def *d, const char *name)
{
	for (size_t i = 0; i < d->nattrs; i++)
		if (strcmp(d->attrs[i].name, name) == 0)
			return &d->attrs[i];
	return NULL;
}

/* Position, id and limits of a panel about to join the figure. */
static void
check_panel(struct parser *P, struct fig_panel *p, const struct directive_def *d,
    const bool *seen, const bool *good, const size_t *off, size_t dir_off)
{
	struct fig_spec *spec = P->spec;
	size_t i_id = (size_t)(find_attr(d, "id") - d->attrs);
	size_t i_row = (size_t)(find_attr(d, "row") - d->attrs);
	size_t i_col = (size_t)(find_attr(d, "col") - d->attrs);
	bool placed = false;

#define OFF(name) (&off[find_attr(d, name) - d->attrs])
	check_limits(P, "xmin", &p->xmin, "xmax", &p->xmax, p->xscale, OFF("xmin"), OFF("xmax"));
	check_limits(P, "ymin", &p->ymin, "ymax", &p->ymax, p->yscale, OFF("ymin"), OFF("ymax"));
#undef OFF

	if (P->cells != NULL && good[i_row] && good[i_col]) {
		if (p->row >= spec->rows || p->col >= spec->cols) {
			size_t at = p->row >= spec->rows ? off[i_row] : off[i_col];

			say(P, at, DIAG_FIG_STRUCTURE,
			    "panel at row %d, col %d is outside the %d×%d grid of 'figure' "
			    "(rows 0..%d, cols 0..%d)", p->row, p->col, spec->rows, spec->cols,
			    spec->rows - 1, spec->cols - 1);
		} else {
			int *cell = &P->cells[p->row * spec->cols + p->col];

			if (*cell != 0) {
				const struct fig_panel *q = &spec->panels[*cell - 1];

				say(P, off[i_row], DIAG_FIG_STRUCTURE,
				    "panel overlaps panel '%s' (line %d): both at row %d, col %d", q->id,
				    q->loc.line, p->row, p->col);
			} else {
				*cell = (int)spec->npanels + 1;
				placed = true;
			}
		}
	}
	if (p->id == NULL) {
		int k = placed ? p->row * spec->cols + p->col : (int)spec->npanels;

		p->id = k < 26 ? xasprintf("%c", 'a' + k) : xasprintf("p%d", k + 1);
	}
	for (size_t i = 0; i < spec->npanels; i++) {
		if (strcmp(spec->panels[i].id, p->id) == 0) {
			say(P, seen[i_id] ? off[i_id] : dir_off, DIAG_FIG_STRUCTURE,
			    "panel id '%s' is already used by the panel on line %d", p->id,
			    spec->panels[i].loc.line);
			break;
		}
	}
}

/* Does the panel have a scatter with c= so far? */
static bool
has_color_mapped_scatter(const struct fig_panel *p)
{
	for (size_t i = 0; i < p->nseries; i++)
		if (p->series[i].kind == FIG_SCATTER && p->series[i].c != NULL)
			return true;
	return false;
}

static struct fig_panel *
current_panel(struct parser *P)
{
	return P->panel_open ? &P->spec->panels[P->spec->npanels - 1] : NULL;
}

static void
add_attr_loc(struct fig_series *s, const char *name, struct fig_loc loc)
{
	s->attr_locs = xrealloc(s->attr_locs, (s->nattr_locs + 1) * sizeof *s->attr_locs);
	s->attr_locs[s->nattr_locs].name = name;
	s->attr_locs[s->nattr_locs].loc = loc;
	s->nattr_locs++;
}

/* Checks and applies one tokenized line. */
static void
directive(struct parser *P, struct line_toks *T)
{
	const struct directive_def *d = NULL;
	char *word = xstrndup(P->buf + T->dir_off, T->dir_len);
	char buf[128];
	struct fig_loc here;
	struct fig_spec scratch_spec;
	struct fig_panel scratch_panel;
	struct fig_series series;
	void *obj;
	bool keep = true; /* commit the object (or discard it after checking) */
	bool seen[MAX_ATTRS] = {false}, good[MAX_ATTRS] = {false};
	size_t off[MAX_ATTRS] = {0};
	struct fig_panel *cur = current_panel(P);

	for (size_t i = 0; i < ARRAY_LEN(directives); i++)
		if (strcmp(directives[i].name, word) == 0)
			d = &directives[i];
	if (d == NULL) {
		hint(word, directives, ARRAY_LEN(directives), sizeof directives[0], buf, sizeof buf);
		ERR(P, T->dir_off, DIAG_FIG_UNKNOWN_DIRECTIVE, word, buf);
		free(word);
		P->lost = true;
		return;
	}
	free(word);
	here = loc_of(P, T->dir_off);

	/* Where it may stand. */
	if (d->kind == D_FIGURE) {
		if (P->figure_seen) {
			say(P, T->dir_off, DIAG_FIG_STRUCTURE, "duplicate 'figure' (first on line %d)",
			    P->spec->loc.line);
			keep = false;
		}
	} else if (!P->figure_seen) {
		if (!P->order_reported)
			say(P, T->dir_off, DIAG_FIG_STRUCTURE,
			    "'%s' before 'figure' (a spec starts with a 'figure' line)", d->name);
		P->order_reported = true;
		keep = false;
	} else if (d->kind != D_PANEL && P->lost) {
		keep = false; /* its panel may be the line that could not be read */
	} else if (d->kind != D_PANEL && cur == NULL) {
		if (!P->orphan_reported)
			say(P, T->dir_off, DIAG_FIG_STRUCTURE,
			    "'%s' before any 'panel' (series and decorations belong to the panel above them)",
			    d->name);
		P->orphan_reported = true;
		keep = false;
	} else if (d->kind == D_LEGEND && cur->legend != FIG_LEGEND_NONE) {
		say(P, T->dir_off, DIAG_FIG_STRUCTURE, "duplicate 'legend' in panel '%s' (first on line %d)",
		    cur->id, cur->legend_at.line);
		keep = false;
	} else if (d->kind == D_COLORBAR && cur->colorbar) {
		say(P, T->dir_off, DIAG_FIG_STRUCTURE,
		    "duplicate 'colorbar' in panel '%s' (first on line %d)", cur->id, cur->colorbar_at.line);
		keep = false;
	} else if (d->kind == D_COLORBAR && !has_color_mapped_scatter(cur)) {
		say(P, T->dir_off, DIAG_FIG_STRUCTURE,
		    "'colorbar' needs a 'scatter' with c= above it in the panel");
		keep = false;
	}

	switch (d->kind) {
	case D_FIGURE:
		memset(&scratch_spec, 0, sizeof scratch_spec);
		scratch_spec.caption.loc = here;
		obj = keep ? (void *)P->spec : (void *)&scratch_spec;
		if (keep) {
			P->figure_seen = true;
			P->spec->loc = here;
			P->spec->caption.loc = here;
		}
		break;
	case D_SERIES:
		series_init(&series, d->series, here);
		obj = &series;
		break;
	default:
		panel_init(&scratch_panel, here);
		obj = &scratch_panel;
		break;
	}

	/* The attributes. */
	for (size_t i = 0; i < T->n; i++) {
		struct attr_tok *t = &T->attrs[i];
		char *key = xstrndup(t->key, t->keylen);
		const struct attr_def *a = find_attr(d, key);
		size_t k;

		if (a == NULL) {
			hint(key, d->attrs, d->nattrs, sizeof d->attrs[0], buf, sizeof buf);
			ERR(P, t->key_off, DIAG_FIG_UNKNOWN_ATTR, key, d->name, buf);
			free(key);
			continue;
		}
		free(key);
		k = (size_t)(a - d->attrs);
		if (seen[k]) {
			struct fig_loc first = loc_of(P, T->attrs[off[k]].key_off);

			ERR(P, t->key_off, DIAG_FIG_DUPLICATE_ATTR, a->name, first.line, first.col);
			continue;
		}
		seen[k] = true;
		off[k] = i; /* the token for now; its value's offset below */
		if (!t->bad && store(P, obj, a, t)) {
			good[k] = true;
			if (d->kind == D_SERIES)
				add_attr_loc(&series, a->name, loc_of(P, t->val_off));
		}
	}
	for (size_t k = 0; k < d->nattrs; k++)
		off[k] = seen[k] ? T->attrs[off[k]].val_off : T->dir_off;
	if (!T->broken)
		for (size_t k = 0; k < d->nattrs; k++)
			if (d->attrs[k].required && !seen[k])
				ERR(P, T->dir_off, DIAG_FIG_MISSING_ATTR, d->name, d->attrs[k].name);

	/* Into the figure. */
	switch (d->kind) {
	case D_FIGURE:
		if (keep && seen[0] && seen[1] && good[0] && good[1])
			P->cells = xcalloc((size_t)(P->spec->rows * P->spec->cols), sizeof *P->cells);
		else if (keep)
			P->spec->rows = P->spec->cols = 0;
		/* print_height defaults to height: the printed figure keeps the
		 * aspect of its figsize */
		if (keep && !(P->spec->print_height_in > 0))
			P->spec->print_height_in = P->spec->height_in;
		free(scratch_spec.caption.text);
		break;
	case D_PANEL:
		if (keep) {
			struct fig_spec *spec = P->spec;

			check_panel(P, &scratch_panel, d, seen, good, off, T->dir_off);
			spec->panels = xrealloc(spec->panels, (spec->npanels + 1) * sizeof *spec->panels);
			spec->panels[spec->npanels++] = scratch_panel;
			P->panel_open = true;
			P->orphan_reported = false;
			P->lost = false;
		} else {
			panel_free_fields(&scratch_panel);
		}
		break;
	case D_LEGEND:
		if (keep) {
			cur->legend = scratch_panel.legend == FIG_LEGEND_NONE ? FIG_LEGEND_BEST :
			    scratch_panel.legend;
			cur->legend_at = here;
		}
		panel_free_fields(&scratch_panel);
		break;
	case D_COLORBAR:
		if (keep) {
			cur->colorbar = true;
			cur->colorbar_at = here;
			cur->colorbar_label = scratch_panel.colorbar_label;
			scratch_panel.colorbar_label.text = NULL;
		}
		panel_free_fields(&scratch_panel);
		break;
	case D_SERIES:
		if (keep) {
			cur->series = xrealloc(cur->series, (cur->nseries + 1) * sizeof *cur->series);
			cur->series[cur->nseries++] = series;
		} else {
			series_free_fields(&series);
		}
		break;
	}
}

/* ---------------------------------------------------------------- files */

/* "figures/fig1.fig" -> "fig1". */
static char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	size_t n = strlen(b);

	if (n > 4 && strcmp(b + n - 4, ".fig") == 0)
		n -= 4;
	return xstrndup(b, n);
}

static void
line_append(struct parser *P, const char *s, size_t n, int lineno)
{
	if (P->nsegs == P->segcap) {
		P->segcap = P->segcap ? 2 * P->segcap : 4;
		P->segs = xrealloc(P->segs, P->segcap * sizeof *P->segs);
	}
	P->segs[P->nsegs].start = P->len;
	P->segs[P->nsegs].line = lineno;
	P->nsegs++;
	if (P->len + n + 1 > P->cap) {
		P->cap = 2 * (P->len + n + 1);
		P->buf = xrealloc(P->buf, P->cap);
	}
	memcpy(P->buf + P->len, s, n);
	P->len += n;
	P->buf[P->len] = '\0';
}

struct fig_spec *
fig_spec_parse(const char *name, const char *text, size_t len)
{
	struct fig_spec *spec = xcalloc(1, sizeof *spec);
	struct parser P;
	struct line_toks T = {0};
	size_t i = 0;
	int lineno = 0;

	spec->path = xstrdup(name);
	spec->name = base_name(name);
	spec->loc.file = spec->caption.loc.file = spec->path;
	parser_init(&P, spec);

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a UTF-8 byte order mark */
	while (i < len) {
		/* One logical line: physical lines joined at a trailing '\'. */
		P.len = 0;
		P.nsegs = 0;
		for (;;) {
			const char *s = text + i;
			const char *nl = memchr(s, '\n', len - i);
			size_t n = nl ? (size_t)(nl - s) : len - i;
			size_t keep = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
			bool more = keep > 0 && s[keep - 1] == '\\';

			lineno++;
			line_append(&P, s, keep, lineno);
			if (more)
				P.buf[P.len - 1] = ' ';
			i += nl ? n + 1 : n;
			if (!more || i >= len)
				break;
		}
		const char *nul = memchr(P.buf, '\0', P.len);
		if (nul != NULL) {
			say(&P, (size_t)(nul - P.buf), DIAG_FIG_SYNTAX, "unexpected NUL byte");
			continue;
		}
		if (tokenize(&P, &T))
			directive(&P, &T);
		toks_clear(&T);
	}

	if (!P.figure_seen && !P.order_reported) {
		diag_emit(DIAG_FIG_STRUCTURE, spec->path, 0, 0, "no 'figure' line (the spec is empty)");
		P.errors++;
	} else if (P.figure_seen && spec->npanels == 0 && P.errors == 0) {
		diag_emit(DIAG_FIG_STRUCTURE, spec->path, spec->loc.line, spec->loc.col,
		    "the figure has no 'panel'");
		P.errors++;
	}

	free(T.attrs);
	if (P.errors > 0) {
		fig_spec_free(spec);
		spec = NULL;
	}
	parser_free(&P);
	return spec;
}

struct fig_spec *
fig_spec_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	struct fig_spec *spec;

	if (f == NULL) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 8192;
			text = xrealloc(text, cap);
		}
		size_t n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, path, strerror(errno));
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	spec = fig_spec_parse(path, text, len);
	free(text);
	return spec;
}
