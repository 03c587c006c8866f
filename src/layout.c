/* layout: the document tree -> pages of positioned boxes.
 *
 * The page.  A4 (or Letter) with a text block 44 body ems wide (462 pt at
 * 10.5 pt: a line of Chinese sets solid, no inter-character stretch), the
 * binding (inner) margin 25 mm, the outer at least 20 mm (22 mm on A4), the
 * top 25 mm; the block is a whole number of 16.8 pt lines (1.6 x 10.5 pt:
 * 42 on A4, leaving 23 mm below), so every body line of every page sits on
 * one baseline grid and lines back each other on thin paper.  Headings,
 * notes, displays, tables and figures take what space they need; the text
 * after them returns to the grid, the difference split evenly above and
 * below a block that stands between text lines.
 *
 * The flow.  The document becomes a list of chunks (one per text line,
 * heading, display, table row, figure), each with its height above and
 * depth below a baseline, the space it wants before and after (collapsing:
 * the larger wins; dropped at a page top), whether it keeps with the next
 * chunk, and its boxes relative to its baseline.  Paragraphs are broken by
 * linebreak.h; a paragraph keeps two lines together at a page's end and
 * start (no orphans, no widows), a heading keeps with two lines of what
 * follows, so does a paragraph of bold text alone ("**Step 1: ...**") or a
 * line ending in a colon (not the last line of a longer paragraph before a
 * table or figure: those have their own captions), a table keeps its
 * caption, header and first row
 * together.  Figures float: one that fits where it stands goes there, else
 * it waits for the top of the next page while the text fills this one, and
 * never lands on a page before the one of its first mention (a later pass
 * moves it if it did).  Pages are filled greedily; a
 * chunk that does not fit sends everything since the last permitted break
 * to the next page.  A table broken across pages closes with its bottom
 * rule and continues under "表 N（续）" and its repeated header row.
 *
 * Two or more passes.  Cross-references print "（第 P 页）" when their
 * target is neither on their own page nor on the facing one, and the
 * contents list page numbers: both need the pages of the previous pass.
 * Passes repeat until the pages they used are the pages they produced (at
 * most four).  Nothing is measured twice: math is laid out once per formula
 * and size, character widths and broken paragraphs are remembered, so a
 * later pass re-breaks only the paragraphs whose text changed.
 *
 * Tables: a table whose cells fit on one line keeps its natural width,
 * centred; any other spans the measure, its column widths (whole ems, each
 * at least its widest unbreakable piece) those of the fewest lines, found by
 * an exact search with the line breaker ("column widths" below).  A row whose first cell is empty continues the
 * row above (the templates' merged cells) and stays with it. */
#include "layout.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "linebreak.h"
#include "util.h"

/* ------------------------------------------------------------ geometry */

#define MM (72.0 / 25.4)
#define BODY 10.5                 /* body size (五号) */
#define LEAD (1.6 * BODY)         /* the baseline grid */
#define STRUT_H (0.7 * LEAD)      /* a body line's extent above its baseline */
#define STRUT_D (0.3 * LEAD)      /* and below */
#define MEASURE_EMS 44
#define INNER_MARGIN (25.0 * MM)
#define OUTER_MIN (20.0 * MM)
#define TOP_MARGIN (25.0 * MM)
#define BOTTOM_MIN (22.0 * MM)
#define INDENT (2.0 * BODY)       /* paragraph first-line indent */

#define SMALL 9.5                 /* captions and tables */
#define SUBTITLE_SIZE 12.0        /* the title page's subtitle */
#define CAP_LEAD (1.5 * SMALL)
#define TAB_LEAD (1.4 * SMALL)
#define HF_SIZE 9.0               /* running header and footer */
#define CODE_SCALE 0.92           /* monospace looks large next to CJK */
#define ASC 0.88                  /* glyph extents in ems (the ideographic box) */
#define DESC 0.12

#define HEAD_AFTER 4.0            /* minimum space below a heading */
#define DISPLAY_SKIP BODY       /* about 1 em, as TeX's display skips */
#define FIG_SKIP (0.75 * LEAD)
#define FIG_CAP_GAP 6.0
#define TAB_SKIP (0.6 * LEAD)
#define TAB_CAP_GAP 5.0
#define COL_GAP 12.0
#define PARAM_COL_GAP 8.0
#define ROW_GAP 3.0
#define TAB_WHOLE_ROWS 6          /* a table of no more body rows is not broken */
#define RULE_HEAVY 0.8
#define RULE_LIGHT 0.4
#define RULE_BELOW 3.0            /* rule to the next row's strut top */
#define RULE_ABOVE 2.0            /* a row's strut bottom to the rule */
#define NOTE_PAD_V (0.5 * LEAD)   /* makes a note a whole number of lines */
#define NOTE_PAD_H BODY
#define NOTE_GAP (0.5 * LEAD)
#define NOTE_RULE 0.5
#define TOC_GROUP_SKIP 3.0
#define LEADER_PITCH 4.5
#define EPS 1e-6

static const struct lay_color INK = {0, 0, 0};
static const struct lay_color GREY = {0.35, 0.35, 0.35};
static const struct lay_color NOTE_LINE = {0.55, 0.55, 0.55};
static const struct lay_color NOTE_FILL = {0.955, 0.955, 0.955};

struct geom {
	double pw, ph;       /* page */
	double tw, th;       /* text block */
	double top;          /* y of the block's top edge (points from the bottom) */
	double inner, outer; /* horizontal margins */
	int nlines;          /* grid lines per page */
};

static void
geometry(const struct report_config *cfg, struct geom *g)
{
	bool letter = cfg != NULL && cfg->document.paper == PAPER_LETTER;
	g->pw = letter ? 612.0 : 595.276;
	g->ph = letter ? 792.0 : 841.89;
	int ems = (int)floor((g->pw - INNER_MARGIN - OUTER_MIN) / BODY);
	if (ems > MEASURE_EMS)
		ems = MEASURE_EMS;
	g->tw = ems * BODY;
	g->inner = INNER_MARGIN;
	g->outer = g->pw - g->inner - g->tw;
	g->nlines = (int)floor((g->ph - TOP_MARGIN - BOTTOM_MIN) / LEAD + EPS);
	g->th = g->nlines * LEAD;
	g->top = g->ph - TOP_MARGIN;
}

double
layout_text_width(const struct report_config *cfg)
{
	struct geom g;
	geometry(cfg, &g);
	return g.tw;
}

/* Baseline of grid line k, measured down from the block's top. */
static double
grid(int k)
{
	return STRUT_H + k * LEAD;
}

/* ------------------------------------------------------------ helpers */

static bool
in_range(unsigned cp, unsigned lo, unsigned hi)
{
	return cp >= lo && cp <= hi;
}

/* Characters set in a face's CJK font: ideographs, kana, hangul, full-width
 * forms and CJK punctuation (the classes linebreak.h keeps apart from Latin
 * within a piece). */
static bool
is_cjk(unsigned cp)
{
	return in_range(cp, 0x2e80, 0x2fdf) || in_range(cp, 0x3000, 0x33ff) ||
	    in_range(cp, 0x3400, 0x4dbf) || in_range(cp, 0x4e00, 0x9fff) ||
	    in_range(cp, 0xac00, 0xd7af) || in_range(cp, 0xf900, 0xfaff) ||
	    in_range(cp, 0xfe10, 0xfe1f) || in_range(cp, 0xfe30, 0xfe6f) ||
	    in_range(cp, 0xff00, 0xffef) || in_range(cp, 0x1100, 0x11ff) ||
	    in_range(cp, 0x20000, 0x3134f) || cp == 0xb7 || cp == 0x2014 || cp == 0x2015 ||
	    in_range(cp, 0x2018, 0x201f) || in_range(cp, 0x2025, 0x2027) || cp == 0x203b;
}

static bool
is_ideograph(unsigned cp)
{
	return is_cjk(cp) && !in_range(cp, 0x3000, 0x303f) && !in_range(cp, 0xff00, 0xff0f) &&
	    !in_range(cp, 0xff1a, 0xff20) && !in_range(cp, 0xff3b, 0xff40) &&
	    !in_range(cp, 0xff5b, 0xff65) && !in_range(cp, 0xfe10, 0xfe6f) && cp != 0xb7 &&
	    !in_range(cp, 0x2014, 0x203b);
}

/* facing pages of a two-sided document whose page 1 is a recto: 2-3, 4-5 */
static bool
near_pages(int a, int b) /* 0-based page indexes */
{
	if (a == b)
		return true;
	int lo = a < b ? a : b, hi = a < b ? b : a;
	return hi == lo + 1 && (lo + 1) % 2 == 0;
}

/* A growable array of anything. */
#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? 2 * (cap) : 16; \
		(arr) = xrealloc((arr), (cap) * sizeof *(arr)); \
	} \
} while (0)

/* Pointer -> int map (open addressing; keys are tree nodes). */
struct pmap {
	const void **keys;
	int *vals;
	size_t cap, n;
};

static size_t
pmap_slot(const struct pmap *m, const void *k)
{
	uintptr_t h = (uintptr_t)k;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 7) & (m->cap - 1);
	while (m->keys[i] != NULL && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
pmap_set(struct pmap *m, const void *k, int v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct pmap old = *m;
		m->cap = old.cap ? 2 * old.cap : 64;
		m->keys = xcalloc(m->cap, sizeof *m->keys);
		m->vals = xcalloc(m->cap, sizeof *m->vals);
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i] != NULL)
				pmap_set(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	size_t i = pmap_slot(m, k);
	if (m->keys[i] == NULL) {
		m->keys[i] = k;
		m->n++;
	}
	m->vals[i] = v;
}

static bool
pmap_get(const struct pmap *m, const void *k, int *v)
{
	if (m->cap == 0)
		return false;
	size_t i = pmap_slot(m, k);
	if (m->keys[i] == NULL)
		return false;
	*v = m->vals[i];
	return true;
}

static void
pmap_free(struct pmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------ faces */

/* A face: the font role for CJK characters and the one for the rest. */
enum face { F_BODY, F_EMPH, F_STRONG, F_STRONG_EMPH, F_CODE, F_SANS, F_SANS_BOLD,
	F_MARK, /* list bullets: the Latin serif's (math roman) •, – */
	F_COUNT };

static const struct {
	enum lay_font cjk, latin;
} faces[F_COUNT] = {
	[F_BODY] = {LAY_SERIF, LAY_SERIF},
	[F_EMPH] = {LAY_SANS, LAY_SERIF_ITALIC},
	[F_STRONG] = {LAY_SANS_BOLD, LAY_SERIF_BOLD},
	[F_STRONG_EMPH] = {LAY_SANS_BOLD, LAY_SERIF_BOLD},
	[F_CODE] = {LAY_MONO, LAY_MONO},
	[F_SANS] = {LAY_SANS, LAY_SANS},
	[F_SANS_BOLD] = {LAY_SANS_BOLD, LAY_SANS_BOLD},
	[F_MARK] = {LAY_MATH_ROMAN, LAY_MATH_ROMAN},
};

static int
face_emph(int f)
{
	return f == F_BODY ? F_EMPH : f == F_STRONG ? F_STRONG_EMPH : f;
}

static int
face_strong(int f)
{
	return f == F_BODY ? F_STRONG : f == F_EMPH ? F_STRONG_EMPH : f == F_SANS ? F_SANS_BOLD : f;
}

enum lay_font
lay_math_font(enum math_font f)
{
	switch (f) {
	case MATH_ROMAN: return LAY_MATH_ROMAN;
	case MATH_ITALIC: return LAY_MATH_ITALIC;
	case MATH_BOLD: return LAY_MATH_BOLD;
	case MATH_SYMBOL: return LAY_MATH_SYMBOL;
	case MATH_CJK: return LAY_SERIF;
	case MATH_BLACKBOARD: return LAY_MATH_BOLD;
	}
	return LAY_MATH_ROMAN;
}

/* ------------------------------------------------------------ the context */

enum tkind { T_SEC, T_FIG, T_TAB, T_EQ };

/* Something a cross-reference, the contents or an outline entry points at. */
struct target {
	int kind;
	const char *label;        /* the tree's label, or NULL */
	char *dest;               /* destination name: the label, or "sec-N" ... */
	char num[32];             /* "1.2"; "" when unnumbered */
	bool numbered;
	int level;                /* headings */
	char *title;              /* headings: plain text of the title */
	const struct doc_block *blk;
	int page, page_new;       /* previous pass, this pass (-1 unknown) */
	int min_page;             /* figures: not before this page (its mention) */
	int mention_page;         /* figures: page of the first mention, this pass */
	size_t float_chunk;       /* figures */
	const struct dlist *dl;   /* figures */
};

struct ref {
	const struct doc_reference *r;
	int number;               /* 1.. in citation order, then file order */
};

struct name_index {
	const char *name;
	size_t index;
};

struct mcache {
	const void *node;
	double size;
	struct math_box *box;
	int next;                 /* the next entry of the same node, or -1 */
};

struct wcache {
	uint64_t hash;            /* 0: empty */
	char *s;                  /* the string measured (a copy) */
	size_t len;
	enum lay_font font;
	double size;
	double w;
};

/* A table's column widths as a pass found them, for the next passes
 * while its cells' text stays the same (a cross-reference in a cell may
 * change from pass to pass). */
struct tmemo {
	const void *node;         /* the table's block */
	uint64_t hash;            /* of its cells' text and the measure */
	double *colw, *colx;      /* per column */
	double *natural;          /* per cell */
	double x, w;
};

struct lbcache {
	uint64_t hash;
	char *key;                /* NULL: empty */
	size_t keylen;
	struct lb_line *lines;
	size_t n;
};

/* A request the build made of the previous pass: a page it printed (or -1:
 * none, the target being near).  Compared with this pass's answer. */
struct request {
	int target;
	const void *node;         /* the cross-reference (NULL: a contents entry) */
	int used;
};

enum chunk_kind { CK_LINE, CK_BLOCK, CK_ANCHOR, CK_BREAK };
enum trow { TR_NONE, TR_CAPTION, TR_HEADER, TR_BODY };

struct chunk {
	unsigned char kind;
	unsigned char trow;
	bool grid;                /* baseline on the grid */
	bool keep;                /* no page break after this chunk */
	bool heading1;            /* a level-1 heading (running header) */
	int table;                /* TR_*: the table, else -1 */
	int target;               /* anchor: the figure's target */
	int heading;              /* heading target, or -1 */
	double h, d;              /* extent above and below the baseline */
	double ih, id;            /* text lines: the ink's (glyphs and math) */
	double sb, sa;            /* space wanted before and after (collapsing) */
	double sb_fixed;          /* space before kept at a page top */
	double reserve;           /* space that must stay free below */
	double shift;             /* grid chunks: baseline = grid line - shift */
	size_t b0, nb;            /* boxes, relative to (text left, baseline) */
	size_t m0, nm;            /* marks */
};

enum mark_kind { MK_TARGET, MK_XREF };

struct mark {
	int kind;
	int target;
	const void *node;
};

struct frame {
	size_t c0, c1;            /* chunks [c0, c1) */
	int depth;                /* 1 = top-level note */
	double x, w;              /* its left edge and width */
};

struct table {
	size_t cont;              /* the continuation header chunk */
	double x, w;              /* the rules */
};

enum place_kind { PL_CHUNK, PL_FLOAT, PL_CONT, PL_TEND };

struct place {
	size_t chunk;
	int page;
	double base;              /* baseline, down from the block's top */
	int kind;
	size_t flow;              /* PL_CHUNK: its index in the flow */
	size_t qtail;             /* the float queue's tail after it */
	double slack;             /* grid chunks: how far snapping moved it */
	double x;                 /* PL_TEND: width of the rule */
};

struct ctx {
	const struct doc *doc;
	struct doc_blocks view;   /* doc's blocks with every "::: if" replaced by
	                           * the branch its conditions select (select_blocks);
	                           * notes copied, everything else shared with doc */
	bool dead;                /* checking a branch that is not laid out */
	size_t nsubtitle;         /* the document's leading blocks set on the title page */
	const struct report_config *cfg;
	const struct config_source *src;
	const struct registry *reg;
	const struct figure_set *figs;
	const struct lay_metrics *M;
	struct geom g;
	int errors;

	struct config_key_info *keys;
	int nkeys;

	struct target *t;
	size_t nt, tcap;
	struct name_index *tsorted; /* labelled targets by label */
	size_t ntsorted;
	struct pmap tblock;       /* block -> target */
	size_t toc_target;
	size_t body_flow;         /* the flow index where the body starts */

	struct ref *refs;
	size_t nrefs, refcap;
	struct name_index *refsorted; /* references by key */
	int ncited;

	struct mcache *mc;
	size_t nmc, mccap;
	struct pmap mhead;        /* node -> first cache entry */

	/* measuring is the hot path: widths of strings, and broken paragraphs
	 * (the same text is broken again in every pass), and tables' column
	 * widths (table_chunks) */
	struct wcache *wc;
	size_t nwc, wccap;
	struct lbcache *lbc;
	size_t nlbc, lbccap;
	struct tmemo *tm;
	size_t ntm, tmcap;

	/* one pass */
	char **strs;              /* strings the boxes point to */
	size_t nstrs, strcap;
	struct chunk *c;
	size_t nc, ccap;
	struct lay_box *b;
	size_t nb, bcap;
	struct mark *m;
	size_t nm, mcap;
	size_t *flow;
	size_t nflow, flowcap;
	struct frame *fr;
	size_t nfr, frcap;
	struct table *tab;
	size_t ntab, tabcap;
	struct request *rq;
	size_t nrq, rqcap;
	struct pmap xpage;        /* cross-reference node -> page, previous pass */
	struct pmap xpage_new;

	struct place *pl;
	size_t npl, plcap;
	int npages;
};

static const char *
keep_str(struct ctx *C, char *s)
{
	GROW(C->strs, C->nstrs, C->strcap);
	C->strs[C->nstrs++] = s;
	return s;
}

/* ------------------------------------------------------------ names */

static void
name_hint(const char *name, const char *const *cands, size_t n, char *buf, size_t size)
{
	const char *best = NULL;
	int best_d = INT32_MAX;
	for (size_t i = 0; i < n; i++) {
		int d = edit_distance(name, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	size_t len = strlen(name);
	int limit = len < 6 ? 1 : len < 12 ? 2 : 3;
	if (best != NULL && best_d <= limit)
		snprintf(buf, size, "; did you mean '%s'?", best);
	else
		buf[0] = '\0';
}

static const struct config_key_info *
config_key(const struct ctx *C, const char *name)
{
	for (int i = 0; i < C->nkeys; i++)
		if (strcmp(C->keys[i].name, name) == 0)
			return &C->keys[i];
	return NULL;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True if the hyphen-minus at p (in the string from `start`) is a minus:
 * before a digit, and not inside a word (DALLE-2) but maybe in an exponent
 * (1e-8).  Such hyphens are set as U+2212, the minus sign of the text and
 * math fonts, wherever numbers are printed. */
static bool
is_minus(const char *start, const char *p)
{
	if (*p != '-' || !is_digit(p[1]))
		return false;
	if (p == start)
		return true;
	char c = p[-1];
	if (c == 'e' || c == 'E')
		return p - 1 > start && is_digit(p[-2]);
	bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	    c == '-';
	return !word;
}

/* Typographic touches on a printed number: the minus sign (is_minus), and
 * 1.2e-05 as 1.2×10⁻⁵. */
static void
typeset_number(const char *in, char *out, size_t size)
{
	static const char *const sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
	struct strbuf b = {0};
	const char *p = in;
	while (*p) {
		if (is_minus(in, p)) {
			strbuf_puts(&b, "−");
			p++;
			continue;
		}
		if ((*p == 'e' || *p == 'E') && p > in && p[-1] >= '0' && p[-1] <= '9' &&
		    (p[1] == '-' || p[1] == '+') && p[2] >= '0' && p[2] <= '9') {
			const char *q = p + 2;
			while (*q == '0' && q[1] >= '0' && q[1] <= '9')
				q++;
			strbuf_puts(&b, "×10");
			if (p[1] == '-')
				strbuf_puts(&b, "⁻");
			while (*q >= '0' && *q <= '9')
				strbuf_puts(&b, sup[*q++ - '0']);
			p = q;
			continue;
		}
		strbuf_putn(&b, p, 1);
		p++;
	}
	snprintf(out, size, "%s", b.s ? b.s : "");
	free(b.s);
}

/* printf of v with `format` into raw; a zero in scientific notation
 * ("0.0e+00", "-0.0e+00", which would read 0.0×10⁰) is written "0". */
static void
format_value(char *raw, size_t size, const char *format, double v)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(raw, size, format, v);
#pragma GCC diagnostic pop
	if (v == 0 && strpbrk(raw, "eE") != NULL)
		snprintf(raw, size, "0");
}

static bool
full_number(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return end != s && *end == '\0';
}

/* A list of results: NAME.0, NAME.1, ... (consecutive from 0; the KDE's
 * contour levels are such a list).  "NAME.*" is all of them, joined with
 * "、"; "NAME.last" the last one.  False when `name` is neither form or
 * NAME.0 does not exist. */
static bool
list_placeholder(const struct registry *reg, const char *name, const char *format, char *raw,
    size_t size)
{
	size_t n = strlen(name);
	bool all = n > 2 && strcmp(name + n - 2, ".*") == 0;
	bool last = n > 5 && strcmp(name + n - 5, ".last") == 0;
	if (reg == NULL || (!all && !last))
		return false;
	size_t stem = n - (all ? 2 : 5);
	struct strbuf out = {0};
	const struct result *prev = NULL;
	for (size_t i = 0;; i++) {
		char item[160];
		snprintf(item, sizeof item, "%.*s.%zu", (int)stem, name, i);
		const struct result *r = registry_result(reg, item);
		if (r == NULL)
			break;
		if (all) {
			char v[64];
			format_value(v, sizeof v, format ? format : "%.6g", r->value);
			if (i > 0)
				strbuf_puts(&out, "、");
			strbuf_puts(&out, v);
		}
		prev = r;
	}
	if (prev != NULL) {
		if (last)
			format_value(raw, size, format ? format : "%.6g", prev->value);
		else
			snprintf(raw, size, "%s", out.s);
	}
	free(out.s);
	return prev != NULL;
}

/* The value of placeholder `name` (with `format`, or NULL) as printf writes
 * it, before typesetting (a list placeholder NAME.* / NAME.last as
 * list_placeholder writes it); false (after reporting at `loc`, when
 * `report`) for an unknown name or a format applied to something that is
 * not a number. */
static bool
placeholder_raw(struct ctx *C, const char *name, const char *format, struct doc_loc loc,
    char *raw, size_t size, bool report)
{
	const struct config_key_info *k = config_key(C, name);
	const struct result *r = k || C->reg == NULL ? NULL : registry_result(C->reg, name);
	if (k != NULL) {
		double v;
		if (format == NULL) {
			snprintf(raw, size, "%s", k->value);
		} else if (full_number(k->value, &v)) {
			format_value(raw, size, format, v);
		} else {
			if (report)
				diag_emit(DIAG_LAY_NOT_NUMBER, loc.file, loc.line, loc.col, name, format,
				    k->value);
			return false;
		}
	} else if (r != NULL) {
		format_value(raw, size, format ? format : "%.6g", r->value);
	} else if (list_placeholder(C->reg, name, format, raw, size)) {
		/* written */
	} else {
		if (report) {
			size_t n = (size_t)C->nkeys + (C->reg ? C->reg->nresults : 0);
			const char **cands = xcalloc(n + 1, sizeof *cands);
			size_t j = 0;
			for (int i = 0; i < C->nkeys; i++)
				cands[j++] = C->keys[i].name;
			for (size_t i = 0; C->reg && i < C->reg->nresults; i++)
				cands[j++] = C->reg->results[i].name;
			char hint[160];
			name_hint(name, cands, j, hint, sizeof hint);
			free(cands);
			diag_emit(DIAG_LAY_UNKNOWN_NAME, loc.file, loc.line, loc.col, name, hint);
		}
		return false;
	}
	return true;
}

/* The text of placeholder `in`; false (after reporting, when `report`) for
 * an unknown name or a format applied to something that is not a number. */
static bool
placeholder_text(struct ctx *C, const struct doc_inline *in, char *out, size_t size, bool report)
{
	char raw[CONFIG_TEXT_MAX];
	if (!placeholder_raw(C, in->text, in->format, in->loc, raw, sizeof raw, report))
		return false;
	typeset_number(raw, out, size);
	return true;
}

/* struct math_values' `value` for the placeholders inside formulas: the
 * same names and formats as in the text, reported where they stand. */
static bool
math_placeholder(void *ctx, const char *name, const char *format, struct doc_loc loc,
    char *out, size_t size)
{
	return placeholder_raw(ctx, name, format, loc, out, size, true);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name_index *)a)->name, ((const struct name_index *)b)->name);
}

static int
name_find(const struct name_index *v, size_t n, const char *name)
{
	struct name_index key = {name, 0};
	const struct name_index *hit = n ? bsearch(&key, v, n, sizeof *v, name_cmp) : NULL;
	return hit ? (int)hit->index : -1;
}

static int
find_target(const struct ctx *C, const char *label)
{
	return name_find(C->tsorted, C->ntsorted, label);
}

static int
find_ref(const struct ctx *C, const char *key)
{
	return name_find(C->refsorted, C->nrefs, key);
}

static const struct dlist *
find_figure(const struct ctx *C, const char *name)
{
	if (C->figs == NULL)
		return NULL;
	for (size_t i = 0; i < C->figs->n; i++)
		if (C->figs->specs[i] != NULL && strcmp(C->figs->specs[i]->name, name) == 0)
			return C->figs->lists ? C->figs->lists[i] : NULL;
	return NULL;
}

/* Whether figures/NAME.fig was loaded (plotted or not: layout_check runs
 * before any figure is plotted). */
static bool
figure_known(const struct ctx *C, const char *name)
{
	for (size_t i = 0; C->figs != NULL && i < C->figs->n; i++)
		if (C->figs->specs[i] != NULL && strcmp(C->figs->specs[i]->name, name) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------ math cache */

static struct math_box *
math_get(struct ctx *C, const void *node, const char *src, struct doc_loc loc, const int *cols,
    bool display, double size)
{
	int i;
	if (pmap_get(&C->mhead, node, &i)) {
		for (; i >= 0; i = C->mc[i].next)
			if (fabs(C->mc[i].size - size) < 1e-9)
				return C->mc[i].box;
	} else {
		i = -1;
	}
	int head = -1;
	pmap_get(&C->mhead, node, &head);
	/* without math metrics the formulas are left out (nothing to measure) */
	struct math_box *box = NULL;
	if (C->M->math != NULL) {
		struct math_values values = {C, math_placeholder};
		box = math_layout_values(src, loc, cols, display, size, C->M->math, &values);
		if (box == NULL)
			C->errors++;
	}
	GROW(C->mc, C->nmc, C->mccap);
	C->mc[C->nmc] = (struct mcache){node, size, box, head};
	pmap_set(&C->mhead, node, (int)C->nmc);
	C->nmc++;
	return box;
}

static struct math_box *
inline_math(struct ctx *C, const struct doc_inline *in, double size)
{
	struct doc_loc loc = in->loc;
	loc.col++; /* past the '$' */
	return math_get(C, in, in->text, loc, in->cols, false, size);
}

/* A placeholder without a format that names a mixture expression
 * (gan.p_data, ...): its TeX form (mixture_format_tex), set as inline math
 * like the formulas around it, N(mean, std²) in the handout's notation
 * rather than the config's N(mean, std).  NULL for any other placeholder. */
static struct math_box *
placeholder_math(struct ctx *C, const struct doc_inline *in, double size)
{
	if (in->format != NULL)
		return NULL;
	const struct config_key_info *k = config_key(C, in->text);
	if (k == NULL || k->mixture == NULL)
		return NULL;
	char src[2 * CONFIG_TEXT_MAX];
	mixture_format_tex(k->mixture, src, sizeof src);
	return math_get(C, in, src, in->loc, NULL, false, size);
}

/* ------------------------------------------------------------ numbering */

/* A new target (the array may move: take pointers after the call). */
static struct target *
add_target(struct ctx *C, int kind, const struct doc_block *blk)
{
	GROW(C->t, C->nt, C->tcap);
	struct target *t = &C->t[C->nt];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->blk = blk;
	t->label = blk ? blk->label : NULL;
	t->page = t->page_new = t->mention_page = -1;
	if (blk != NULL)
		pmap_set(&C->tblock, blk, (int)C->nt);
	C->nt++;
	return t;
}

/* ---------------------------------------------------------- conditions */

/* The value of condition c's name (a numeric config key or a result);
 * false, after reporting at the name when `report`, if there is none. */
static bool
cond_value(struct ctx *C, const struct doc_cond *c, double *v, bool report)
{
	const struct config_key_info *k = config_key(C, c->name);
	const struct result *r = k || C->reg == NULL ? NULL : registry_result(C->reg, c->name);
	if (k != NULL) {
		if (full_number(k->value, v))
			return true;
		if (report)
			diag_emit(DIAG_LAY_COND_NOT_NUMBER, c->loc.file, c->loc.line, c->loc.col,
			    c->name, k->value);
		return false;
	}
	if (r != NULL) {
		*v = r->value;
		return true;
	}
	if (report) {
		size_t n = (size_t)C->nkeys + (C->reg ? C->reg->nresults : 0);
		const char **cands = xcalloc(n + 1, sizeof *cands);
		size_t j = 0;
		for (int i = 0; i < C->nkeys; i++)
			cands[j++] = C->keys[i].name;
		for (size_t i = 0; C->reg && i < C->reg->nresults; i++)
			cands[j++] = C->reg->results[i].name;
		char hint[160];
		name_hint(c->name, cands, j, hint, sizeof hint);
		free(cands);
		diag_emit(DIAG_LAY_COND_UNKNOWN, c->loc.file, c->loc.line, c->loc.col, c->name, hint);
	}
	return false;
}

/* Whether every condition of "::: if" block b holds (false when a name
 * has no numeric value: check_conditions reports it). */
static bool
cond_holds(struct ctx *C, const struct doc_block *b)
{
	for (size_t i = 0; i < b->nconds; i++) {
		const struct doc_cond *c = &b->conds[i];
		double v;
		if (!cond_value(C, c, &v, false))
			return false;
		bool t = false;
		switch (c->op) {
		case DOC_CMP_LT: t = v < c->value; break;
		case DOC_CMP_LE: t = v <= c->value; break;
		case DOC_CMP_GT: t = v > c->value; break;
		case DOC_CMP_GE: t = v >= c->value; break;
		case DOC_CMP_EQ: t = v == c->value; break;
		case DOC_CMP_NE: t = v != c->value; break;
		}
		if (!t)
			return false;
	}
	return true;
}

/* Reports every condition name (in both branches) that has no numeric value. */
static void
check_conditions(struct ctx *C, const struct doc_blocks *bl)
{
	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];
		double v;
		for (size_t j = 0; b->kind == DOC_IF && j < b->nconds; j++)
			if (!cond_value(C, &b->conds[j], &v, true))
				C->errors++;
		check_conditions(C, &b->children);
		check_conditions(C, &b->else_blocks);
	}
}

/* Appends the blocks of `in` that are laid out to *out: a "::: if" gives
 * way to its selected branch, a note or parameters block is copied with its
 * children selected likewise; other blocks are shallow copies. */
static void
select_blocks(struct ctx *C, const struct doc_blocks *in, struct doc_blocks *out)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct doc_block *b = &in->items[i];
		if (b->kind == DOC_IF) {
			select_blocks(C, cond_holds(C, b) ? &b->children : &b->else_blocks, out);
			continue;
		}
		out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
		struct doc_block *c = &out->items[out->n++];
		*c = *b;
		if (b->kind == DOC_NOTE || b->kind == DOC_PARAMETERS) {
			c->children = (struct doc_blocks){0};
			select_blocks(C, &b->children, &c->children);
		}
	}
}

/* Frees what select_blocks allocated (the copies, not what they share). */
static void
view_free(struct doc_blocks *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i].kind == DOC_NOTE || v->items[i].kind == DOC_PARAMETERS)
			view_free(&v->items[i].children);
	free(v->items);
	*v = (struct doc_blocks){0};
}

static void check_blocks(struct ctx *C, const struct doc_blocks *bl);

/* Checks the names and formulas of the branches select_blocks left out,
 * without numbering their citations. */
static void
check_unselected(struct ctx *C, const struct doc_blocks *bl)
{
	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];
		if (b->kind == DOC_IF) {
			bool t = cond_holds(C, b);
			check_unselected(C, t ? &b->children : &b->else_blocks);
			bool dead = C->dead;
			C->dead = true;
			check_blocks(C, t ? &b->else_blocks : &b->children);
			C->dead = dead;
		} else {
			check_unselected(C, &b->children);
		}
	}
}

struct counters {
	int sec[3];
	int headings, figures, tables, equations;
};

static void
number_blocks(struct ctx *C, const struct doc_blocks *bl, struct counters *k)
{
	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];
		struct target *t;
		switch (b->kind) {
		case DOC_HEADING: {
			t = add_target(C, T_SEC, b);
			int lv = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
			t->level = lv;
			t->numbered = b->numbered;
			k->headings++;
			if (b->numbered) {
				k->sec[lv - 1]++;
				for (int j = lv; j < 3; j++)
					k->sec[j] = 0;
				if (lv == 1)
					snprintf(t->num, sizeof t->num, "%d", k->sec[0]);
				else if (lv == 2)
					snprintf(t->num, sizeof t->num, "%d.%d", k->sec[0], k->sec[1]);
				else
					snprintf(t->num, sizeof t->num, "%d.%d.%d", k->sec[0], k->sec[1],
					    k->sec[2]);
			}
			t->dest = b->label ? xstrdup(b->label) : xasprintf("sec-%d", k->headings);
			break;
		}
		case DOC_FIGURE:
			t = add_target(C, T_FIG, b);
			t->numbered = true;
			snprintf(t->num, sizeof t->num, "%d", ++k->figures);
			t->dest = b->label ? xstrdup(b->label) : xasprintf("fig-%d", k->figures);
			break;
		case DOC_TABLE:
			t = add_target(C, T_TAB, b);
			t->numbered = true;
			snprintf(t->num, sizeof t->num, "%d", ++k->tables);
			t->dest = b->label ? xstrdup(b->label) : xasprintf("tab-%d", k->tables);
			break;
		case DOC_DISPLAY_MATH:
			if (b->label != NULL) {
				t = add_target(C, T_EQ, b);
				t->numbered = true;
				snprintf(t->num, sizeof t->num, "%d", ++k->equations);
				t->dest = xstrdup(b->label);
			}
			/* numbered per row: one target per labelled row, in order;
			 * the block maps to the first */
			for (size_t j = 0; j < b->nrow_labels; j++) {
				size_t first = C->nt - j;
				t = add_target(C, T_EQ, b);
				t->label = b->row_labels[j].label;
				t->numbered = true;
				snprintf(t->num, sizeof t->num, "%d", ++k->equations);
				t->dest = xstrdup(t->label);
				pmap_set(&C->tblock, b, (int)first);
			}
			break;
		case DOC_LIST:
			for (size_t j = 0; j < b->nlist_items; j++)
				number_blocks(C, &b->list_items[j].blocks, k);
			break;
		case DOC_NOTE:
		case DOC_PARAMETERS:
			number_blocks(C, &b->children, k);
			break;
		case DOC_REFERENCES:
			for (size_t j = 0; j < b->nrefs; j++) {
				GROW(C->refs, C->nrefs, C->refcap);
				C->refs[C->nrefs++] = (struct ref){&b->refs[j], 0};
			}
			break;
		case DOC_PARAGRAPH:
		case DOC_IF: /* not in the view */
			break;
		}
	}
}

/* ------------------------------------------------------------ checking */

static void check_inlines(struct ctx *C, const struct doc_inlines *in, double size);

static void
check_inline(struct ctx *C, const struct doc_inline *in, double size)
{
	char buf[CONFIG_TEXT_MAX];
	switch (in->kind) {
	case DOC_EMPH:
	case DOC_STRONG: {
		struct doc_inlines sub = {in->children, in->nchildren};
		check_inlines(C, &sub, size);
		break;
	}
	case DOC_MATH:
		inline_math(C, in, size);
		break;
	case DOC_PLACEHOLDER:
		if (!placeholder_text(C, in, buf, sizeof buf, true))
			C->errors++;
		break;
	case DOC_XREF:
		if (find_target(C, in->text) < 0) {
			const char *colon = strchr(in->text, ':');
			size_t kl = colon ? (size_t)(colon - in->text) : 0;
			const char **cands = xcalloc(C->ntsorted + 1, sizeof *cands);
			size_t n = 0;
			for (size_t i = 0; i < C->ntsorted; i++) {
				const char *l = C->tsorted[i].name;
				if (strncmp(l, in->text, kl + 1) == 0)
					cands[n++] = l;
			}
			char hint[160];
			name_hint(in->text, cands, n, hint, sizeof hint);
			free(cands);
			const char *what = strncmp(in->text, "fig:", 4) == 0 ? "figure" :
			    strncmp(in->text, "tab:", 4) == 0 ? "table" :
			    strncmp(in->text, "eq:", 3) == 0 ? "equation" : "heading";
			diag_emit(DIAG_LAY_UNKNOWN_LABEL, in->loc.file, in->loc.line, in->loc.col,
			    in->text, what, hint);
			C->errors++;
		}
		break;
	case DOC_CITE:
		for (size_t i = 0; i < in->nkeys; i++) {
			int r = find_ref(C, in->keys[i]);
			if (r >= 0) {
				if (C->refs[r].number == 0 && !C->dead)
					C->refs[r].number = ++C->ncited;
				continue;
			}
			const char **cands = xcalloc(C->nrefs + 1, sizeof *cands);
			for (size_t j = 0; j < C->nrefs; j++)
				cands[j] = C->refs[j].r->key;
			char hint[160];
			name_hint(in->keys[i], cands, C->nrefs, hint, sizeof hint);
			free(cands);
			diag_emit(DIAG_LAY_UNKNOWN_CITATION, in->loc.file, in->loc.line, in->loc.col,
			    in->keys[i], hint);
			C->errors++;
		}
		break;
	case DOC_TEXT:
	case DOC_CODE:
	case DOC_SOFTBREAK:
		break;
	}
}

static void
check_inlines(struct ctx *C, const struct doc_inlines *in, double size)
{
	for (size_t i = 0; i < in->n; i++)
		check_inline(C, &in->items[i], size);
}

static const double heading_size[3] = {16.0, 13.0, 11.5};

static void
check_blocks(struct ctx *C, const struct doc_blocks *bl)
{
	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];
		switch (b->kind) {
		case DOC_HEADING: {
			int lv = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
			check_inlines(C, &b->text, heading_size[lv - 1]);
			break;
		}
		case DOC_PARAGRAPH:
			check_inlines(C, &b->text, BODY);
			break;
		case DOC_LIST:
			for (size_t j = 0; j < b->nlist_items; j++)
				check_blocks(C, &b->list_items[j].blocks);
			break;
		case DOC_DISPLAY_MATH:
			math_get(C, b, b->math, b->math_loc, NULL, true, BODY);
			break;
		case DOC_FIGURE:
			if (!figure_known(C, b->name)) {
				size_t n = C->figs ? C->figs->n : 0;
				const char **cands = xcalloc(n + 1, sizeof *cands);
				for (size_t j = 0; j < n; j++)
					cands[j] = C->figs->specs[j]->name;
				char hint[160];
				name_hint(b->name, cands, n, hint, sizeof hint);
				free(cands);
				diag_emit(DIAG_LAY_UNKNOWN_FIGURE, b->loc.file, b->loc.line, b->loc.col,
				    b->name, b->name, hint);
				C->errors++;
			}
			check_inlines(C, &b->caption, SMALL);
			break;
		case DOC_TABLE:
			check_inlines(C, &b->caption, SMALL);
			for (size_t j = 0; j < b->nrows * b->ncols; j++)
				check_inlines(C, &b->cells[j].text, SMALL);
			break;
		case DOC_NOTE:
		case DOC_PARAMETERS:
			check_blocks(C, &b->children);
			break;
		case DOC_IF: /* only in a branch that is not laid out */
			check_blocks(C, &b->children);
			check_blocks(C, &b->else_blocks);
			break;
		case DOC_REFERENCES:
			for (size_t j = 0; j < b->nrefs; j++)
				check_inlines(C, &b->refs[j].text, BODY);
			break;
		}
	}
}

/* ------------------------------------------------------------ plain text */

static void
plain_inlines(struct ctx *C, const struct doc_inlines *in, double size, struct strbuf *out)
{
	char buf[CONFIG_TEXT_MAX];
	for (size_t i = 0; i < in->n; i++) {
		const struct doc_inline *x = &in->items[i];
		switch (x->kind) {
		case DOC_TEXT:
		case DOC_CODE:
			strbuf_puts(out, x->text);
			break;
		case DOC_SOFTBREAK:
			strbuf_puts(out, " ");
			break;
		case DOC_EMPH:
		case DOC_STRONG: {
			struct doc_inlines sub = {x->children, x->nchildren};
			plain_inlines(C, &sub, size, out);
			break;
		}
		case DOC_MATH: {
			struct math_box *m = inline_math(C, x, size);
			strbuf_puts(out, m && m->text ? m->text : x->text);
			break;
		}
		case DOC_PLACEHOLDER: {
			struct math_box *m = placeholder_math(C, x, size);
			if (m != NULL && m->text != NULL)
				strbuf_puts(out, m->text);
			else if (placeholder_text(C, x, buf, sizeof buf, false))
				strbuf_puts(out, buf);
			break;
		}
		case DOC_XREF: {
			int t = find_target(C, x->text);
			if (t < 0)
				break;
			const struct target *T = &C->t[t];
			static const char *const pre[] = {[T_SEC] = "第 ", [T_FIG] = "图 ",
			    [T_TAB] = "表 ", [T_EQ] = "式 ("};
			if (T->kind == T_SEC && !T->numbered) {
				strbuf_puts(out, "“");
				strbuf_puts(out, T->title ? T->title : "");
				strbuf_puts(out, "”");
				break;
			}
			strbuf_puts(out, pre[T->kind]);
			strbuf_puts(out, T->num);
			strbuf_puts(out, T->kind == T_EQ ? ")" : T->kind == T_SEC ? " 节" : "");
			break;
		}
		case DOC_CITE:
			strbuf_puts(out, "[");
			for (size_t k = 0; k < x->nkeys; k++) {
				int r = find_ref(C, x->keys[k]);
				snprintf(buf, sizeof buf, "%s%d", k ? ", " : "", r >= 0 ? C->refs[r].number : 0);
				strbuf_puts(out, buf);
			}
			strbuf_puts(out, "]");
			break;
		}
	}
}

/* ------------------------------------------------------------ paragraphs */

enum sx_kind { SX_TEXT, SX_MATH, SX_RUNS };

/* What the layout knows of each linebreak span (lb_style.tag = its index). */
struct sx {
	int kind;
	int face;
	double size;
	size_t off, len;          /* SX_TEXT, SX_RUNS: the text in para.text */
	const char *link;         /* destination, or NULL */
	struct math_box *math;    /* SX_MATH: the items with x in [mx0, mx1) of
	                           * this box, drawn from x = width (their left) */
	double mx0, mx1;
	size_t r0, nr;            /* SX_RUNS */
	double width;             /* SX_RUNS */
	bool no_hyphens;          /* no dictionary hyphens in this span */
	int mark_target;          /* a cross-reference's target, or -1 */
	const void *mark_node;
};

/* A piece of an atom set by the layout itself ("图" gap "2", "[1, 2]"). */
struct run {
	size_t off, len;
	enum lay_font font;
	double x, w;
	const char *link;
};

struct para {
	struct ctx *C;
	struct strbuf text;
	struct lb_span *sp;
	struct sx *sx;
	size_t n, cap;
	struct run *runs;
	size_t nruns, rcap;
	double size;              /* the paragraph's size */
	double measure;           /* its line width, for splitting math */
	int face;
	bool no_hyphens;          /* no dictionary hyphens anywhere: headings,
	                           * table headers, the running header */
	bool ragged;              /* set ragged right (lb_break_ragged): table cells */
};

static void
para_init(struct para *P, struct ctx *C, int face, double size, double measure)
{
	memset(P, 0, sizeof *P);
	P->C = C;
	P->face = face;
	P->size = size;
	P->measure = measure;
}

static void
para_free(struct para *P)
{
	free(P->text.s);
	free(P->sp);
	free(P->sx);
	free(P->runs);
}

static struct sx *
para_add(struct para *P, int kind, int face, double size)
{
	if (P->n == P->cap) {
		P->cap = P->cap ? 2 * P->cap : 16;
		P->sp = xrealloc(P->sp, P->cap * sizeof *P->sp);
		P->sx = xrealloc(P->sx, P->cap * sizeof *P->sx);
	}
	struct lb_span *s = &P->sp[P->n];
	memset(s, 0, sizeof *s);
	s->style.font = face;
	s->style.size = size;
	s->style.tag = (int)P->n;
	struct sx *x = &P->sx[P->n];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->face = face;
	x->size = size;
	x->mark_target = -1;
	x->off = P->text.n;
	P->n++;
	return x;
}

static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Widths are remembered, of single characters and of whole strings alike:
 * the passes set the same text again and again, and asking the font means
 * shaping the string through its fallback chain.  (The font's width of a
 * string is not quite the sum of its characters': rounding.) */
static double
font_width(const struct ctx *C0, enum lay_font f, double size, const char *s, size_t len)
{
	struct ctx *C = (struct ctx *)C0;
	if (len == 0 || C->M == NULL || C->M->width == NULL)
		return 0;
	uint64_t hash = 1469598103934665603ull ^ (uint64_t)f;
	hash = (hash ^ (uint64_t)llround(size * 1000)) * 1099511628211ull;
	for (size_t i = 0; i < len; i++)
		hash = (hash ^ (unsigned char)s[i]) * 1099511628211ull;
	hash = mix64(hash) | 1; /* 0 marks an empty slot */
	if (2 * (C->nwc + 1) > C->wccap) {
		struct wcache *old = C->wc;
		size_t oldcap = C->wccap;
		C->wccap = oldcap ? 2 * oldcap : 1024;
		C->wc = xcalloc(C->wccap, sizeof *C->wc);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].hash != 0) {
				size_t j = old[i].hash & (C->wccap - 1);
				while (C->wc[j].hash != 0)
					j = (j + 1) & (C->wccap - 1);
				C->wc[j] = old[i];
			}
		free(old);
	}
	size_t j = hash & (C->wccap - 1);
	for (; C->wc[j].hash != 0; j = (j + 1) & (C->wccap - 1)) {
		const struct wcache *e = &C->wc[j];
		if (e->hash == hash && e->font == f && e->size == size && e->len == len &&
		    memcmp(e->s, s, len) == 0)
			return e->w;
	}
	double w = C->M->width(C->M->ctx, f, size, s, len);
	C->wc[j] = (struct wcache){hash, xstrndup(s, len), len, f, size, w};
	C->nwc++;
	return w;
}

/* The end of the run of s[i..len) whose characters are all CJK or all not. */
static size_t
script_run(const char *s, size_t i, size_t len, bool *cjk)
{
	unsigned cp;
	size_t j = i + utf8_decode(s + i, len - i, &cp);
	*cjk = is_cjk(cp);
	while (j < len) {
		size_t n = utf8_decode(s + j, len - j, &cp);
		bool combining = in_range(cp, 0x300, 0x36f) || in_range(cp, 0xfe00, 0xfe0f) ||
		    cp == 0x200d || cp == 0x20e3;
		if (is_cjk(cp) != *cjk && !combining)
			break;
		j += n;
	}
	return j;
}

static double
face_width(const struct ctx *C, int face, double size, const char *s, size_t len)
{
	double w = 0;
	for (size_t i = 0; i < len; ) {
		bool cjk;
		size_t j = script_run(s, i, len, &cjk);
		w += font_width(C, cjk ? faces[face].cjk : faces[face].latin, size, s + i, j - i);
		i = j;
	}
	return w;
}

static double
lb_width_cb(void *ctx, const struct lb_style *st, const char *utf8, size_t len)
{
	const struct para *P = ctx;
	const struct sx *x = &P->sx[st->tag];
	if (x->kind == SX_RUNS && len == x->len) /* the whole atom, with its gaps */
		return x->width;
	return face_width(P->C, st->font, st->size, utf8, len);
}

/* The ink of a character of a text span (full-width punctuation: the
 * face's CJK font). */
static bool
lb_ink_cb(void *ctx, const struct lb_style *st, const char *utf8, size_t len, double *left,
    double *right)
{
	const struct para *P = ctx;
	const struct sx *x = &P->sx[st->tag];
	if ((x->kind != SX_TEXT && x->kind != SX_RUNS) || len == 0)
		return false;
	unsigned cp;
	utf8_decode(utf8, len, &cp);
	enum lay_font f = is_cjk(cp) ? faces[st->font].cjk : faces[st->font].latin;
	return P->C->M->ink_x(P->C->M->ctx, f, st->size, utf8, len, left, right);
}

static void
p_text(struct para *P, const char *s, size_t len, int face, double size, const char *link,
    bool unbreakable)
{
	if (len == 0)
		return;
	struct sx *x = para_add(P, SX_TEXT, face, size);
	strbuf_putn(&P->text, s, len);
	x->len = len;
	x->link = link;
	P->sp[P->n - 1].unbreakable = unbreakable;
}

/* Atoms of runs: begin, add runs, end. */
static struct sx *
p_runs_begin(struct para *P, int face, double size)
{
	struct sx *x = para_add(P, SX_RUNS, face, size);
	x->r0 = P->nruns;
	P->sp[P->n - 1].unbreakable = true;
	return x;
}

static void
p_run(struct para *P, const char *s, const char *link)
{
	struct sx *x = &P->sx[P->n - 1];
	GROW(P->runs, P->nruns, P->rcap);
	struct run *r = &P->runs[P->nruns++];
	r->off = P->text.n;
	r->len = strlen(s);
	strbuf_puts(&P->text, s);
	bool cjk;
	script_run(s, 0, r->len, &cjk);
	r->font = cjk ? faces[x->face].cjk : faces[x->face].latin;
	r->link = link;
	x->nr++;
}

/* Lays the runs end to end, with a quarter em between CJK and the rest (as
 * linebreak.h puts between CJK and Latin letters or digits). */
static void
p_runs_end(struct para *P)
{
	struct sx *x = &P->sx[P->n - 1];
	double pos = 0;
	unsigned last = 0;
	for (size_t i = 0; i < x->nr; i++) {
		struct run *r = &P->runs[x->r0 + i];
		const char *s = P->text.s + r->off;
		unsigned first;
		utf8_decode(s, r->len, &first);
		if (i > 0 && ((is_ideograph(last) && !is_cjk(first)) ||
		    (!is_cjk(last) && is_ideograph(first))))
			pos += 0.25 * x->size;
		r->x = pos;
		r->w = font_width(P->C, r->font, x->size, s, r->len);
		pos += r->w;
		for (size_t k = 0; k < r->len; )
			k += utf8_decode(s + k, r->len - k, &last);
	}
	x->width = pos;
	x->len = P->text.n - x->off;
}

static void p_inlines(struct para *P, const struct doc_inlines *in, int face);

/* True if s[0..n) ends with a CJK character. */
static bool
ends_cjk(const char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return false;
	unsigned cp;
	utf8_decode(s + i - 1, n - i + 1, &cp);
	return is_cjk(cp);
}

/* True if the atom just added (a cross-reference) ends in a digit or CJK
 * (图 1, 第 2 节, a page note): Chinese after it needs no blank, the
 * quarter em comes by itself. */
static bool
atom_ends_tight(const struct para *P)
{
	if (P->n == 0 || P->sx[P->n - 1].kind != SX_RUNS)
		return false;
	const struct sx *x = &P->sx[P->n - 1];
	const char *s = P->text.s + x->off;
	size_t i = x->len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return false;
	unsigned cp;
	utf8_decode(s + i - 1, x->len - i + 1, &cp);
	return is_cjk(cp) || (cp >= '0' && cp <= '9');
}

static void
request(struct ctx *C, int target, const void *node, int used)
{
	GROW(C->rq, C->nrq, C->rqcap);
	C->rq[C->nrq++] = (struct request){target, node, used};
}

/* A line break between a cross-reference and its page note costs this
 * much (linebreak.h's break_penalty: a hyphen costs 50, a break after a
 * relation 500). */
#define XREF_PAGE_PENALTY 150.0

/* Whether the reference items[i] stands inside full-width parentheses
 * opened earlier in the same run of inlines and ends a phrase there (the
 * next text starts with ）， 、 or ；): its page then reads "，第 P 页"
 * instead of nesting "（第 P 页）" in the parentheses: "（按式 (13)，第 9
 * 页，自然对数）".  Not when text follows inside the phrase ("（参见图 3
 * （第 6 页）后的说明）"), where a comma would break the sentence. */
static bool
xref_in_parens(const struct doc_inlines *in, size_t i)
{
	if (i + 1 >= in->n || in->items[i + 1].kind != DOC_TEXT)
		return false;
	const char *next = in->items[i + 1].text;
	static const char *const ends[] = {"）", "，", "、", "；"};
	bool phrase_end = false;
	for (size_t k = 0; k < ARRAY_LEN(ends); k++)
		phrase_end = phrase_end || strncmp(next, ends[k], strlen(ends[k])) == 0;
	if (!phrase_end)
		return false;
	int depth = 0;
	for (size_t k = 0; k < i; k++) {
		if (in->items[k].kind != DOC_TEXT)
			continue;
		for (const char *q = in->items[k].text; (q = strstr(q, "（")) != NULL; q += 3)
			depth++;
		for (const char *q = in->items[k].text; (q = strstr(q, "）")) != NULL; q += 3)
			depth--;
	}
	return depth > 0;
}

static void
p_xref(struct para *P, const struct doc_inline *in, int face, bool in_parens)
{
	struct ctx *C = P->C;
	int t = find_target(C, in->text);
	if (t < 0)
		return;
	const struct target *T = &C->t[t];
	const char *link = T->dest;
	int ff = face == F_CODE ? F_BODY : face;
	struct sx *x = p_runs_begin(P, ff, P->size);
	x->mark_target = t;
	x->mark_node = in;
	if (T->kind == T_SEC && !T->numbered) {
		struct strbuf b = {0};
		strbuf_puts(&b, "“");
		strbuf_puts(&b, T->title ? T->title : "");
		strbuf_puts(&b, "”");
		p_run(P, b.s, link);
		free(b.s);
	} else {
		switch (T->kind) {
		case T_SEC:
			p_run(P, "第", link);
			p_run(P, T->num, link);
			p_run(P, "节", link);
			break;
		case T_FIG:
			p_run(P, "图", link);
			p_run(P, T->num, link);
			break;
		case T_TAB:
			p_run(P, "表", link);
			p_run(P, T->num, link);
			break;
		case T_EQ: {
			char num[40];
			snprintf(num, sizeof num, "(%s)", T->num);
			p_run(P, "式", link);
			p_run(P, num, link);
			break;
		}
		}
	}
	/* the page, when the target is neither here nor on the facing page;
	 * part of the atom, so that it never starts a line of its own */
	int xp = -1, used = -1;
	pmap_get(&C->xpage, in, &xp);
	if (xp >= 0 && T->page >= 0 && !near_pages(xp, T->page))
		used = T->page;
	request(C, t, in, used);
	if (used >= 0) {
		char num[24];
		snprintf(num, sizeof num, "%d", used + 1);
		if (in_parens) {
			/* "第 8 节，" and "第 13 页" may go on two lines */
			p_run(P, "，", link);
			p_runs_end(P);
			x = p_runs_begin(P, ff, P->size);
			p_run(P, "第", link);
			p_run(P, num, link);
			p_run(P, "页", link);
		} else {
			/* "式 (8)" and "（第 8 页）" may go on two lines, at a
			 * price: a reference reads best whole, but a paragraph
			 * with several of these 80-point atoms would otherwise
			 * be letter-spaced around them */
			p_runs_end(P);
			x = p_runs_begin(P, ff, P->size);
			P->sp[P->n - 1].break_penalty = XREF_PAGE_PENALTY;
			p_run(P, "（第", link);
			p_run(P, num, link);
			p_run(P, "页）", link);
		}
	}
	p_runs_end(P);
}

struct cited {
	int number;
	const struct ref *ref;
};

static int
cited_cmp(const void *a, const void *b)
{
	int x = ((const struct cited *)a)->number, y = ((const struct cited *)b)->number;
	return (x > y) - (x < y);
}

/* "[1, 2]": the numbers in order, each linked to its entry. */
static void
p_cite(struct para *P, const struct doc_inline *in, int face)
{
	struct ctx *C = P->C;
	struct cited *v = xcalloc(in->nkeys + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < in->nkeys; i++) {
		int r = find_ref(C, in->keys[i]);
		if (r >= 0)
			v[n++] = (struct cited){C->refs[r].number, &C->refs[r]};
	}
	qsort(v, n, sizeof *v, cited_cmp);
	p_runs_begin(P, face == F_CODE ? F_BODY : face, P->size);
	p_run(P, "[", NULL);
	for (size_t i = 0; i < n; i++) {
		char num[24];
		snprintf(num, sizeof num, "%d", v[i].number);
		if (i > 0)
			p_run(P, ", ", NULL);
		p_run(P, num, keep_str(C, xasprintf("cite:%s", v[i].ref->r->key)));
	}
	p_run(P, "]", NULL);
	p_runs_end(P);
	free(v);
}

/* Adds the inline formula m to the paragraph, in parts where it may break
 * (nothing for NULL or an empty formula). */
static void
p_math_box(struct para *P, struct math_box *m)
{
	if (m == NULL || m->width <= 0)
		return;
	/* a long formula may break after its relations and operators (texmath.h:
	 * what lies left of breaks[i] ends the line, the rest starts at its
	 * leftmost item) */
	double cut[64];
	size_t ncut = 0;
	if (m->width > 0.25 * P->measure)
		for (size_t i = 0; i < m->nbreaks && ncut < 62; i++)
			if (m->breaks[i] > (ncut ? cut[ncut - 1] : 0) + 1 && m->breaks[i] < m->width - 1)
				cut[ncut++] = m->breaks[i];
	double lo = 0;
	for (size_t i = 0; i <= ncut; i++) {
		double hi = i < ncut ? cut[i] : DBL_MAX;
		double start = i == 0 ? 0 : DBL_MAX;
		if (i > 0) {
			for (size_t g = 0; g < m->nglyphs; g++)
				if (m->glyphs[g].x >= lo && m->glyphs[g].x < hi && m->glyphs[g].x < start)
					start = m->glyphs[g].x;
			for (size_t r = 0; r < m->nrules; r++)
				if (m->rules[r].x >= lo && m->rules[r].x < hi && m->rules[r].x < start)
					start = m->rules[r].x;
			if (start == DBL_MAX)
				start = lo;
		}
		double end = i < ncut ? cut[i] : m->width;
		if (end - start > 0) {
			/* the space after the operator becomes a word space, which
			 * disappears at a line end (a zero-width space if none) */
			if (i > 0)
				p_text(P, start - lo > 0.5 ? " " : "\xe2\x80\x8b", start - lo > 0.5 ? 1 : 3,
				    F_BODY, P->size, NULL, false);
			struct sx *x = para_add(P, SX_MATH, F_BODY, P->size);
			x->math = m;
			x->mx0 = lo;       /* the items of this part: x in [lo, hi) */
			x->mx1 = hi;
			x->width = start;  /* drawn from here */
			P->sp[P->n - 1].box_width = end - start;
		}
		lo = hi;
	}
}

static void
p_math(struct para *P, const struct doc_inline *in)
{
	p_math_box(P, inline_math(P->C, in, P->size));
}

static void
p_inlines(struct para *P, const struct doc_inlines *in, int face)
{
	struct ctx *C = P->C;
	char buf[CONFIG_TEXT_MAX];
	for (size_t i = 0; i < in->n; i++) {
		const struct doc_inline *x = &in->items[i];
		switch (x->kind) {
		case DOC_TEXT: {
			/* the blanks that set a cross-reference off in the source go
			 * where Chinese text meets it (xeCJK drops them too): "见 @fig:x
			 * 中" reads 见图 1 中 */
			const char *t = x->text;
			size_t len = strlen(t);
			if (i > 0 && in->items[i - 1].kind == DOC_XREF && atom_ends_tight(P)) {
				size_t sp = strspn(t, " ");
				unsigned cp;
				if (sp > 0 && sp < len && (utf8_decode(t + sp, len - sp, &cp), is_cjk(cp))) {
					t += sp;
					len -= sp;
				}
			}
			if (i + 1 < in->n && in->items[i + 1].kind == DOC_XREF) {
				size_t e = len;
				while (e > 0 && t[e - 1] == ' ')
					e--;
				if (e < len && e > 0 && ends_cjk(t, e))
					len = e;
			}
			p_text(P, t, len, face, P->size, NULL, false);
			break;
		}
		case DOC_SOFTBREAK:
			p_text(P, "\n", 1, face, P->size, NULL, false);
			break;
		case DOC_EMPH:
		case DOC_STRONG: {
			struct doc_inlines sub = {x->children, x->nchildren};
			p_inlines(P, &sub, x->kind == DOC_EMPH ? face_emph(face) : face_strong(face));
			break;
		}
		case DOC_CODE:
			p_text(P, x->text, strlen(x->text), F_CODE, P->size * CODE_SCALE, NULL, true);
			break;
		case DOC_MATH:
			p_math(P, x);
			break;
		case DOC_PLACEHOLDER: {
			struct math_box *m = placeholder_math(C, x, P->size);
			if (m != NULL)
				p_math_box(P, m);
			else if (placeholder_text(C, x, buf, sizeof buf, false))
				p_text(P, buf, strlen(buf), face, P->size, NULL, false);
			break;
		}
		case DOC_XREF:
			p_xref(P, x, face, xref_in_parens(in, i));
			break;
		case DOC_CITE:
			p_cite(P, x, face);
			break;
		}
	}
}

/* Points the spans at the final text buffer and breaks the paragraph. */
static void
para_spans(struct para *P)
{
	for (size_t i = 0; i < P->n; i++) {
		P->sp[i].utf8 = P->text.s ? P->text.s + P->sx[i].off : "";
		P->sp[i].len = P->sx[i].kind == SX_MATH ? 0 : P->sx[i].len;
		P->sp[i].no_hyphens = P->sx[i].face == F_CODE || P->no_hyphens ||
		    P->sx[i].no_hyphens;
	}
}

/* The breaker's metrics for P's spans (lb_style.tag indexes P->sx). */
static struct lb_metrics
para_metrics(struct para *P)
{
	return (struct lb_metrics){P, lb_width_cb, P->C->M->hyphenate, P->C->M->hctx,
		P->C->M->ink_x ? lb_ink_cb : NULL};
}

static size_t
para_break(struct para *P, double width, double indent, struct lb_line **lines)
{
	para_spans(P);
	*lines = NULL;
	if (P->n == 0)
		return 0;
	/* one word of Latin, digits or code that fits: its single line is
	 * known without the breaker (most cells of the parameters table) */
	if (P->n == 1 && P->sx[0].kind == SX_TEXT) {
		const char *t = P->sp[0].utf8;
		size_t len = P->sp[0].len;
		bool simple = len > 0;
		for (size_t i = 0; i < len && simple; ) {
			unsigned cp;
			i += utf8_decode(t + i, len - i, &cp);
			if (cp <= ' ' || cp == 0xa0 || is_cjk(cp) || (cp >= 0x2000 && cp <= 0x206f))
				simple = false;
		}
		double w = simple ? face_width(P->C, P->sx[0].face, P->sx[0].size, t, len) : 0;
		if (simple && w + indent <= width) {
			*lines = xcalloc(1, sizeof **lines);
			(*lines)->pieces = xcalloc(1, sizeof *(*lines)->pieces);
			(*lines)->n = 1;
			(*lines)->width = w;
			(*lines)->pieces[0] = (struct lb_piece){0, 0, len, indent, w, 0, false};
			return 1;
		}
	}
	struct strbuf k = {0};
	strbuf_putn(&k, (const char *)&width, sizeof width);
	strbuf_putn(&k, (const char *)&indent, sizeof indent);
	strbuf_putn(&k, P->ragged ? "r" : "j", 1);
	for (size_t i = 0; i < P->n; i++) {
		const struct lb_span *sp = &P->sp[i];
		struct {
			int kind, font;
			double size, box;
			size_t len;
			bool unbreakable, no_hyphens;
			double penalty;
		} h;
		memset(&h, 0, sizeof h);
		h.no_hyphens = sp->no_hyphens;
		h.penalty = sp->break_penalty;
		h.kind = P->sx[i].kind;
		h.font = sp->style.font;
		h.size = sp->style.size;
		h.box = sp->box_width;
		h.len = sp->len;
		h.unbreakable = sp->unbreakable;
		strbuf_putn(&k, (const char *)&h, sizeof h);
		strbuf_putn(&k, sp->utf8, sp->len);
	}
	uint64_t hash = 1469598103934665603ull;
	for (size_t i = 0; i < k.n; i++)
		hash = (hash ^ (unsigned char)k.s[i]) * 1099511628211ull;
	struct ctx *C = P->C;
	if (2 * (C->nlbc + 1) > C->lbccap) {
		struct lbcache *old = C->lbc;
		size_t oldcap = C->lbccap;
		C->lbccap = oldcap ? 2 * oldcap : 256;
		C->lbc = xcalloc(C->lbccap, sizeof *C->lbc);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].key != NULL) {
				size_t j = mix64(old[i].hash) & (C->lbccap - 1);
				while (C->lbc[j].key != NULL)
					j = (j + 1) & (C->lbccap - 1);
				C->lbc[j] = old[i];
			}
		free(old);
	}
	size_t j = mix64(hash) & (C->lbccap - 1);
	struct lbcache *e = NULL;
	while (C->lbc[j].key != NULL) {
		if (C->lbc[j].hash == hash && C->lbc[j].keylen == k.n &&
		    memcmp(C->lbc[j].key, k.s, k.n) == 0) {
			e = &C->lbc[j];
			break;
		}
		j = (j + 1) & (C->lbccap - 1);
	}
	if (e == NULL) {
		struct lb_metrics lbm = para_metrics(P);
		e = &C->lbc[j];
		e->hash = hash;
		e->key = k.s;
		e->keylen = k.n;
		k.s = NULL;
		e->n = (P->ragged ? lb_break_ragged : lb_break)(P->sp, P->n, width, indent, &lbm,
		    &e->lines);
		C->nlbc++;
	}
	free(k.s);
	if (e->n == 0)
		return 0;
	*lines = xcalloc(e->n, sizeof **lines);
	for (size_t i = 0; i < e->n; i++) {
		(*lines)[i] = e->lines[i];
		(*lines)[i].pieces = xcalloc(e->lines[i].n + 1, sizeof *(*lines)[i].pieces);
		memcpy((*lines)[i].pieces, e->lines[i].pieces, e->lines[i].n * sizeof *e->lines[i].pieces);
	}
	return e->n;
}

/* The natural width of the paragraph on one line. */
static double
para_natural(struct para *P)
{
	struct lb_line *lines;
	size_t n = para_break(P, 1e7, 0, &lines);
	double w = 0;
	for (size_t i = 0; i < n; i++)
		if (lines[i].width > w)
			w = lines[i].width;
	lb_lines_free(lines, n);
	return w;
}

/* The widest piece no line break can split: a Latin word, a number, an
 * atom, one CJK character with the punctuation that must stay with it. */
static double
para_min_width(struct para *P)
{
	double best = 0;
	for (size_t i = 0; i < P->n; i++) {
		const struct sx *x = &P->sx[i];
		double w;
		if (x->kind == SX_MATH) {
			w = P->sp[i].box_width;
		} else if (x->kind == SX_RUNS || P->sp[i].unbreakable) {
			w = x->kind == SX_RUNS ? x->width :
			    face_width(P->C, x->face, x->size, P->text.s + x->off, x->len);
		} else {
			const char *s = P->text.s + x->off;
			size_t a = 0;
			w = 0;
			while (a < x->len) {
				unsigned cp;
				size_t n = utf8_decode(s + a, x->len - a, &cp);
				if (cp == ' ' || cp == '\n') {
					a += n;
					continue;
				}
				size_t b = a + n;
				if (is_cjk(cp)) {
					/* the character and any closing punctuation after it */
					while (b < x->len) {
						unsigned c2;
						size_t m = utf8_decode(s + b, x->len - b, &c2);
						if (!lb_no_line_start(c2))
							break;
						b += m;
					}
				} else {
					while (b < x->len) {
						unsigned c2;
						size_t m = utf8_decode(s + b, x->len - b, &c2);
						if (c2 == ' ' || c2 == '\n' || is_cjk(c2) || c2 == '/' ||
						    c2 == '-')
							break;
						b += m;
					}
				}
				double u = face_width(P->C, x->face, x->size, s + a, b - a);
				if (u > w)
					w = u;
				a = b;
			}
		}
		if (w > best)
			best = w;
	}
	return best;
}

/* ------------------------------------------------------------ boxes */

/* A new, cleared box of `kind` in ink at the end of the array (*v, *n, *cap). */
static struct lay_box *
box_append(struct lay_box **v, size_t *n, size_t *cap, enum lay_box_kind kind)
{
	GROW(*v, *n, *cap);
	struct lay_box *b = &(*v)[(*n)++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->color = INK;
	return b;
}

static struct lay_box *
add_box(struct ctx *C, enum lay_box_kind kind)
{
	return box_append(&C->b, &C->nb, &C->bcap, kind);
}

static void
text_box(struct ctx *C, double x, double y, enum lay_font font, double size, double spacing,
    const char *s, size_t len, double w)
{
	struct lay_box *b = add_box(C, LAY_TEXT);
	b->x = x;
	b->y = y;
	b->w = w;
	b->font = font;
	b->size = size;
	b->spacing = spacing;
	b->text = (char *)keep_str(C, xstrndup(s, len));
}

static void
rule_box(struct ctx *C, double x, double y, double w, double h)
{
	struct lay_box *b = add_box(C, LAY_RULE);
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
}

static void
link_box(struct ctx *C, double x, double y, double w, double h, const char *dest)
{
	if (w <= 0 || h <= 0)
		return;
	struct lay_box *b = add_box(C, LAY_LINK);
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	b->text = (char *)dest;
}

static void
dest_box(struct ctx *C, double x, double y, const char *name)
{
	struct lay_box *b = add_box(C, LAY_DEST);
	b->x = x;
	b->y = y;
	b->text = (char *)name;
}

/* The start (text = a formula's linear form, NULL for "") or the end
 * (text unused) of a formula's boxes, at (x, y). */
static void
span_box(struct ctx *C, enum lay_box_kind kind, double x, double y, const char *text)
{
	struct lay_box *b = add_box(C, kind);
	b->x = x;
	b->y = y;
	if (kind == LAY_SPAN_BEGIN)
		b->text = (char *)keep_str(C, xstrdup(text ? text : ""));
}

/* Text in a face at (x, y): one box per script run. */
static double
face_text(struct ctx *C, int face, double size, double x, double y, double spacing,
    const char *s, size_t len, bool hyphen)
{
	double pos = x;
	for (size_t i = 0; i < len; ) {
		bool cjk;
		size_t j = script_run(s, i, len, &cjk);
		enum lay_font f = cjk ? faces[face].cjk : faces[face].latin;
		size_t chars = 0;
		for (size_t k = i; k < j; chars++) {
			unsigned cp;
			k += utf8_decode(s + k, j - k, &cp);
		}
		bool last = j == len;
		char *t = xstrndup(s + i, j - i);
		if (last && hyphen) {
			char *h = xasprintf("%s-", t);
			free(t);
			t = h;
			chars++;
		}
		double w = font_width(C, f, size, t, strlen(t)) + spacing * (double)(last ? chars - 1 : chars);
		text_box(C, pos, y, f, size, spacing, t, strlen(t), w);
		free(t);
		pos += w;
		i = j;
	}
	return pos - x;
}

static size_t
chunk_open(struct ctx *C, int kind, bool in_flow)
{
	GROW(C->c, C->nc, C->ccap);
	struct chunk *c = &C->c[C->nc];
	memset(c, 0, sizeof *c);
	c->kind = (unsigned char)kind;
	c->table = -1;
	c->target = -1;
	c->heading = -1;
	c->b0 = C->nb;
	c->m0 = C->nm;
	if (in_flow) {
		GROW(C->flow, C->nflow, C->flowcap);
		C->flow[C->nflow++] = C->nc;
	}
	return C->nc++;
}

static void
chunk_close(struct ctx *C, size_t ci)
{
	C->c[ci].nb = C->nb - C->c[ci].b0;
	C->c[ci].nm = C->nm - C->c[ci].m0;
}

static void
add_mark(struct ctx *C, int kind, int target, const void *node)
{
	GROW(C->m, C->nm, C->mcap);
	C->m[C->nm++] = (struct mark){kind, target, node};
}

/* The right end of a broken line's ink. */
static double
line_end(const struct lb_line *L)
{
	double e = 0;
	for (size_t i = 0; i < L->n; i++)
		if (L->pieces[i].x + L->pieces[i].width > e)
			e = L->pieces[i].x + L->pieces[i].width;
	return e;
}

/* Emits the boxes of line L of P with its left edge at x0 and its baseline
 * at y (relative to the chunk); *asc and *desc grow to its extent. */
static void
emit_line(struct ctx *C, const struct para *P, const struct lb_line *L, double x0, double y,
    double *asc, double *desc)
{
	for (size_t k = 0; k < L->n; k++) {
		const struct lb_piece *pc = &L->pieces[k];
		const struct sx *x = &P->sx[pc->span];
		double px = x0 + pc->x;
		if (x->mark_target >= 0 && pc->start == 0)
			add_mark(C, MK_XREF, x->mark_target, x->mark_node);
		switch (x->kind) {
		case SX_TEXT:
			face_text(C, x->face, x->size, px, y, pc->spacing, P->text.s + x->off + pc->start,
			    pc->len, pc->hyphen);
			if (x->link)
				link_box(C, px, y - 0.2 * x->size, pc->width, 1.1 * x->size, x->link);
			break;
		case SX_RUNS:
			for (size_t r = 0; r < x->nr; r++) {
				const struct run *R = &P->runs[x->r0 + r];
				text_box(C, px + R->x, y, R->font, x->size, 0, P->text.s + R->off, R->len, R->w);
				if (R->link)
					link_box(C, px + R->x, y - 0.2 * x->size, R->w, 1.1 * x->size, R->link);
			}
			break;
		case SX_MATH: {
			const struct math_box *m = x->math;
			/* the first part of a formula carries its whole linear form */
			span_box(C, LAY_SPAN_BEGIN, px, y, x->mx0 <= 0 ? m->text : NULL);
			for (size_t g = 0; g < m->nglyphs; g++) {
				const struct math_glyphs *G = &m->glyphs[g];
				if (G->x < x->mx0 || G->x >= x->mx1)
					continue;
				enum lay_font f = lay_math_font(G->font);
				text_box(C, px + G->x - x->width, y + G->y, f, G->size, 0, G->utf8,
				    strlen(G->utf8), font_width(C, f, G->size, G->utf8, strlen(G->utf8)));
			}
			for (size_t r = 0; r < m->nrules; r++) {
				const struct math_rule *R = &m->rules[r];
				if (R->x < x->mx0 || R->x >= x->mx1)
					continue;
				rule_box(C, px + R->x - x->width, y + R->y, R->w, R->h);
			}
			span_box(C, LAY_SPAN_END, px, y, NULL);
			if (m->height > *asc)
				*asc = m->height;
			if (m->depth > *desc)
				*desc = m->depth;
			break;
		}
		}
		if (x->kind != SX_MATH) {
			if (ASC * x->size > *asc)
				*asc = ASC * x->size;
			if (DESC * x->size > *desc)
				*desc = DESC * x->size;
		}
	}
}

/* True if the paragraph ends with a colon: it introduces what follows. */
static bool
para_ends_colon(const struct para *P)
{
	for (size_t i = P->n; i-- > 0; ) {
		const struct sx *x = &P->sx[i];
		if (x->kind != SX_TEXT)
			return false;
		const char *s = P->text.s + x->off;
		size_t n = x->len;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
			n--;
		if (n == 0)
			continue;
		if (s[n - 1] == ':')
			return true;
		return n >= 3 && memcmp(s + n - 3, "：", 3) == 0;
	}
	return false;
}

/* Q = the part of P that line L shows, so that it can be set at its
 * natural width (ragged lines: table cells, headings). */
static void
para_slice(const struct para *P, const struct lb_line *L, struct para *Q)
{
	para_init(Q, P->C, P->face, P->size, P->measure);
	Q->no_hyphens = P->no_hyphens;
	if (L->n == 0)
		return;
	const struct lb_piece *a = &L->pieces[0], *z = &L->pieces[L->n - 1];
	for (size_t k = a->span; k <= z->span; k++) {
		const struct sx *x = &P->sx[k];
		if (x->kind == SX_TEXT) {
			size_t from = k == a->span ? a->start : 0;
			size_t to = k == z->span ? z->start + z->len : x->len;
			if (to <= from)
				continue;
			p_text(Q, P->text.s + x->off + from, to - from, x->face, x->size, x->link,
			    P->sp[k].unbreakable);
			Q->sx[Q->n - 1].mark_target = from == 0 ? x->mark_target : -1;
			Q->sx[Q->n - 1].mark_node = x->mark_node;
		} else if (x->kind == SX_RUNS) {
			struct sx *y = p_runs_begin(Q, x->face, x->size);
			y->mark_target = x->mark_target;
			y->mark_node = x->mark_node;
			for (size_t r = 0; r < x->nr; r++) {
				const struct run *R = &P->runs[x->r0 + r];
				char *t = xstrndup(P->text.s + R->off, R->len);
				p_run(Q, t, R->link);
				free(t);
			}
			p_runs_end(Q);
		} else {
			struct sx *y = para_add(Q, SX_MATH, x->face, x->size);
			*y = *x;
			y->off = Q->text.n;
			Q->sp[Q->n - 1].box_width = P->sp[k].box_width;
		}
	}
	if (z->hyphen)
		p_text(Q, "-", 1, P->sx[z->span].face, P->sx[z->span].size, NULL, true);
}

/* Emits line L of P unjustified: the same content at its natural width;
 * a line that had to shrink (or compress punctuation) to fit its measure
 * is set as the breaker shrank it, as at its natural width it would not. */
static double
emit_line_ragged(struct ctx *C, const struct para *P, const struct lb_line *L, double x0,
    double y, bool measure_only)
{
	if (L->width > line_end(L) + 1e-6) {
		double a = 0, d = 0;
		if (!measure_only)
			emit_line(C, P, L, x0, y, &a, &d);
		return line_end(L);
	}
	struct para Q;
	para_slice(P, L, &Q);
	struct lb_line *lines;
	size_t n = para_break(&Q, 1e7, 0, &lines);
	double w = 0;
	if (n > 0) {
		double a = 0, d = 0;
		w = line_end(&lines[0]);
		if (!measure_only)
			emit_line(C, &Q, &lines[0], x0 + L->pieces[0].x, y, &a, &d);
	}
	lb_lines_free(lines, n);
	para_free(&Q);
	return w;
}

/* ------------------------------------------------------------ blocks */

/* Where a block is set: its left edge (from the text block's) and width,
 * the notes and lists around it. */
struct bctx {
	double x, w;
	int list_level;
	int note_depth;
};

/* A label hung in the margin of a paragraph's first line (list markers,
 * reference numbers), right-aligned to end at `right`. */
struct label {
	const char *text;
	int face;
	double right;
	const char *dest;   /* a destination defined at the paragraph's top */
};

/* Breaks P into body lines on the grid, the first indented; chunks in the
 * flow.  Returns the index of the first chunk (or SIZE_MAX: no lines). */
static size_t
para_lines(struct ctx *C, struct para *P, const struct bctx *bc, double indent,
    const struct label *lab)
{
	struct lb_line *lines;
	size_t n = para_break(P, bc->w, indent, &lines);
	size_t first = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t ci = chunk_open(C, CK_LINE, true);
		if (i == 0)
			first = ci;
		double asc = 0, desc = 0;
		if (i == 0 && lab != NULL) {
			double w = face_width(C, lab->face, P->size, lab->text, strlen(lab->text));
			face_text(C, lab->face, P->size, bc->x + lab->right - w, 0, 0, lab->text,
			    strlen(lab->text), false);
			if (lab->dest)
				dest_box(C, bc->x + lab->right - w, STRUT_H, lab->dest);
		}
		emit_line(C, P, &lines[i], bc->x, 0, &asc, &desc);
		struct chunk *c = &C->c[ci];
		c->grid = true;
		c->ih = asc;
		c->id = desc;
		c->h = asc > STRUT_H ? asc : STRUT_H;
		c->d = desc > STRUT_D ? desc : STRUT_D;
		chunk_close(C, ci);
	}
	/* two lines at least on either side of a page break */
	if (n >= 2) {
		C->c[first].keep = true;
		C->c[first + n - 2].keep = true;
	}
	if (n >= 1 && para_ends_colon(P))
		C->c[first + n - 1].keep = true;
	lb_lines_free(lines, n);
	return first;
}

static void build_blocks(struct ctx *C, const struct doc_blocks *bl, const struct bctx *bc);

/* A paragraph of nothing but strong text ("**Step 1: ...**") is a run-in
 * heading. */
static bool
runin_heading(const struct doc_inlines *in)
{
	bool strong = false;
	for (size_t i = 0; i < in->n; i++) {
		const struct doc_inline *x = &in->items[i];
		if (x->kind == DOC_STRONG)
			strong = true;
		else if (x->kind == DOC_TEXT) {
			if (x->text[strspn(x->text, " ")] != '\0')
				return false;
		} else if (x->kind != DOC_SOFTBREAK)
			return false;
	}
	return strong;
}

/* A paragraph of two lines or more that ends in a colon ("...两边之差：")
 * before a table or figure is no run-in head: its last line need not keep
 * with the block, which has its own caption and number (only headings and
 * one-line run-in heads keep with what follows).  Chunks from nc0 on. */
static void
release_last_line(struct ctx *C, size_t nc0)
{
	size_t lines = 0, last = SIZE_MAX;
	for (size_t i = nc0; i < C->nc; i++)
		if (C->c[i].kind == CK_LINE) {
			lines++;
			last = i;
		}
	if (lines >= 2)
		C->c[last].keep = false;
}

static void
build_paragraph(struct ctx *C, const struct doc_inlines *text, const struct bctx *bc,
    double indent, const struct label *lab)
{
	struct para P;
	para_init(&P, C, F_BODY, BODY, bc->w);
	p_inlines(&P, text, F_BODY);
	size_t first = para_lines(C, &P, bc, indent, lab);
	if (first != SIZE_MAX && runin_heading(text))
		C->c[C->nc - 1].keep = true;
	para_free(&P);
}

static const double heading_shift[3] = {0.5 * LEAD, 0.25 * LEAD, 0.25 * LEAD};
static const int heading_lines[3] = {3, 2, 2};

/* A heading: numbered in the sans bold, its lines hanging after the
 * number.  Its space before makes it take heading_lines[] grid lines after
 * the text above (2.5 lines for a section's), baseline heading_shift[]
 * above a grid line so that the text below follows at 1.5 (1.25) lines. */
static size_t
heading_chunk(struct ctx *C, size_t t, const struct doc_inlines *text, const char *title)
{
	struct target *T = &C->t[t];
	int lv = T->level;
	double size = heading_size[lv - 1];
	double hlead = 1.3 * size;
	double numw = T->numbered ? face_width(C, F_SANS_BOLD, size, T->num, strlen(T->num)) : 0;
	double gap = T->numbered ? size : 0;
	struct para P;
	para_init(&P, C, F_SANS_BOLD, size, C->g.tw - numw - gap);
	P.no_hyphens = true;
	if (text != NULL)
		p_inlines(&P, text, F_SANS_BOLD);
	else
		p_text(&P, title, strlen(title), F_SANS_BOLD, size, NULL, false);
	struct lb_line *lines;
	size_t n = para_break(&P, C->g.tw - numw - gap, 0, &lines);
	size_t ci = chunk_open(C, CK_LINE, true);
	double asc = ASC * size, desc = DESC * size;
	dest_box(C, 0, ASC * size + 0.5 * LEAD, T->dest);
	add_mark(C, MK_TARGET, (int)t, NULL);
	if (T->numbered)
		face_text(C, F_SANS_BOLD, size, 0, 0, 0, T->num, strlen(T->num), false);
	for (size_t i = 0; i < n; i++) {
		double a = 0, d = 0;
		emit_line(C, &P, &lines[i], numw + gap, -(double)i * hlead, &a, &d);
		if (i == 0 && a > asc)
			asc = a;
	}
	struct chunk *c = &C->c[ci];
	c->grid = true;
	c->keep = true;
	c->heading = (int)t;
	c->heading1 = lv == 1;
	c->shift = heading_shift[lv - 1];
	c->h = asc;
	c->d = (n > 1 ? (double)(n - 1) * hlead : 0) + desc;
	c->sb = (heading_lines[lv - 1] - 0.5) * LEAD - c->shift - ASC * size - STRUT_D;
	c->sa = HEAD_AFTER;
	chunk_close(C, ci);
	lb_lines_free(lines, n);
	para_free(&P);
	return ci;
}

static void
build_heading(struct ctx *C, const struct doc_block *b)
{
	int t;
	if (!pmap_get(&C->tblock, b, &t))
		return;
	heading_chunk(C, (size_t)t, &b->text, NULL);
}

/* A display: centred on the measure, its number "(N)" at the right edge on
 * the display's baseline; a display too wide is set smaller, a number that
 * does not fit beside it goes below. */
static void build_display_rows(struct ctx *C, const struct doc_block *b,
    const struct bctx *bc);

/* A display formula's glyphs and rules with its left edge at x (on the
 * current line's baseline), inside one ActualText span carrying its
 * linear text. */
static void
display_boxes(struct ctx *C, const struct math_box *m, double x)
{
	span_box(C, LAY_SPAN_BEGIN, x, 0, m->text);
	for (size_t g = 0; g < m->nglyphs; g++) {
		const struct math_glyphs *G = &m->glyphs[g];
		enum lay_font f = lay_math_font(G->font);
		text_box(C, x + G->x, G->y, f, G->size, 0, G->utf8, strlen(G->utf8),
		    font_width(C, f, G->size, G->utf8, strlen(G->utf8)));
	}
	for (size_t r = 0; r < m->nrules; r++) {
		const struct math_rule *R = &m->rules[r];
		rule_box(C, x + R->x, R->y, R->w, R->h);
	}
	span_box(C, LAY_SPAN_END, x, 0, NULL);
}

static void
build_display(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	if (b->nrow_labels > 0) {
		build_display_rows(C, b, bc);
		return;
	}
	struct math_box *m = math_get(C, b, b->math, b->math_loc, NULL, true, BODY);
	if (m == NULL)
		return;
	int t = -1;
	pmap_get(&C->tblock, b, &t);
	char num[48] = "";
	double numw = 0;
	if (t >= 0) {
		snprintf(num, sizeof num, "(%s)", C->t[t].num);
		numw = face_width(C, F_BODY, BODY, num, strlen(num));
	}
	double room = bc->w - (numw > 0 ? 2 * (numw + BODY) : 0);
	if (m->width > bc->w - (numw > 0 ? numw + BODY : 0)) {
		double avail = bc->w - (numw > 0 ? numw + BODY : 0);
		double size = BODY * avail / m->width * 0.995;
		if (size < 0.7 * BODY)
			size = 0.7 * BODY;
		struct math_box *m2 = math_get(C, b, b->math, b->math_loc, NULL, true, size);
		if (m2 != NULL)
			m = m2;
	}
	double x;
	bool below = false;
	if (m->width <= room)
		x = (bc->w - m->width) / 2;
	else if (numw == 0 || m->width + numw + BODY <= bc->w)
		x = numw > 0 ? (bc->w - numw - BODY - m->width) / 2 : (bc->w - m->width) / 2;
	else {
		x = (bc->w - m->width) / 2;
		below = true;
	}
	if (x < 0)
		x = 0;
	size_t ci = chunk_open(C, CK_BLOCK, true);
	if (t >= 0) {
		dest_box(C, 0, m->height + 0.5 * LEAD, C->t[t].dest);
		add_mark(C, MK_TARGET, t, NULL);
	}
	display_boxes(C, m, bc->x + x);
	double depth = m->depth;
	if (t >= 0) {
		double y = below ? -(m->depth + STRUT_H) : 0;
		face_text(C, F_BODY, BODY, bc->x + bc->w - numw, y, 0, num, strlen(num), false);
		if (below)
			depth = m->depth + LEAD;
	}
	struct chunk *c = &C->c[ci];
	c->h = m->height > ASC * BODY ? m->height : ASC * BODY;
	c->d = depth > DESC * BODY ? depth : DESC * BODY;
	c->sb = c->sa = DISPLAY_SKIP;
	chunk_close(C, ci);
}

/* A display numbered per row (amsmath's align): each labelled row's
 * number "(N)" at the right edge on that row's baseline.  The block is
 * centred when the numbers leave room on both sides, else shifted left
 * clear of them; too wide even so, it is set smaller (never below 70 %). */
static void
build_display_rows(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	struct math_box *m = math_get(C, b, b->math, b->math_loc, NULL, true, BODY);
	if (m == NULL)
		return;
	double numw = 0;
	for (size_t j = 0; j < b->nrow_labels; j++) {
		int t = find_target(C, b->row_labels[j].label);
		if (t < 0)
			continue;
		char num[48];
		snprintf(num, sizeof num, "(%s)", C->t[t].num);
		double w = face_width(C, F_BODY, BODY, num, strlen(num));
		if (w > numw)
			numw = w;
	}
	double avail = bc->w - (numw + BODY);
	if (m->width > avail) {
		double size = BODY * avail / m->width * 0.995;
		if (size < 0.7 * BODY)
			size = 0.7 * BODY;
		struct math_box *m2 = math_get(C, b, b->math, b->math_loc, NULL, true, size);
		if (m2 != NULL)
			m = m2;
	}
	double x = m->width <= bc->w - 2 * (numw + BODY) ? (bc->w - m->width) / 2 :
	    (avail - m->width) / 2;
	if (x < 0)
		x = 0;
	size_t ci = chunk_open(C, CK_BLOCK, true);
	for (size_t r = 0; r < m->nrows; r++) {
		int t = m->rows[r].label ? find_target(C, m->rows[r].label) : -1;
		if (t < 0)
			continue;
		dest_box(C, 0, m->rows[r].y + ASC * BODY + 0.5 * LEAD, C->t[t].dest);
		add_mark(C, MK_TARGET, t, NULL);
	}
	display_boxes(C, m, bc->x + x);
	for (size_t r = 0; r < m->nrows; r++) {
		int t = m->rows[r].label ? find_target(C, m->rows[r].label) : -1;
		if (t < 0)
			continue;
		char num[48];
		snprintf(num, sizeof num, "(%s)", C->t[t].num);
		double w = face_width(C, F_BODY, BODY, num, strlen(num));
		face_text(C, F_BODY, BODY, bc->x + bc->w - w, m->rows[r].y, 0, num, strlen(num),
		    false);
	}
	struct chunk *c = &C->c[ci];
	c->h = m->height > ASC * BODY ? m->height : ASC * BODY;
	c->d = m->depth > DESC * BODY ? m->depth : DESC * BODY;
	c->sb = c->sa = DISPLAY_SKIP;
	chunk_close(C, ci);
}

static void
build_list(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	static const char *const bullets[] = {"•", "–"};
	double text_x = 2 * BODY;
	char lab[24];
	if (b->ordered) {
		double w = 0;
		for (size_t i = 0; i < b->nlist_items; i++) {
			snprintf(lab, sizeof lab, "%d.", b->start + (int)i);
			double u = face_width(C, F_BODY, BODY, lab, strlen(lab));
			if (u > w)
				w = u;
		}
		if (w + 0.5 * BODY > text_x)
			text_x = w + 0.5 * BODY;
	}
	struct bctx ic = {bc->x + text_x, bc->w - text_x, bc->list_level + 1, bc->note_depth};
	for (size_t i = 0; i < b->nlist_items; i++) {
		const struct doc_list_item *it = &b->list_items[i];
		if (b->ordered)
			snprintf(lab, sizeof lab, "%d.", b->start + (int)i);
		else
			snprintf(lab, sizeof lab, "%s", bullets[bc->list_level % 2]);
		struct label L = {lab, b->ordered ? F_BODY : F_MARK, -0.5 * BODY, NULL};
		size_t j = 0;
		if (it->blocks.n > 0 && it->blocks.items[0].kind == DOC_PARAGRAPH) {
			build_paragraph(C, &it->blocks.items[0].text, &ic, 0, &L);
			j = 1;
		}
		struct doc_blocks rest = {it->blocks.items + j, it->blocks.n - j};
		build_blocks(C, &rest, &ic);
	}
}

static void
build_note(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	int depth = bc->note_depth + 1;
	struct bctx ic = {bc->x + NOTE_PAD_H, bc->w - 2 * NOTE_PAD_H, bc->list_level, depth};
	size_t f0 = C->nflow;
	size_t fi = C->nfr;
	GROW(C->fr, C->nfr, C->frcap);
	C->nfr++;
	build_blocks(C, &b->children, &ic);
	size_t f1 = C->nflow;
	if (f1 == f0) {
		C->nfr--;
		memmove(&C->fr[fi], &C->fr[fi + 1], (C->nfr - fi) * sizeof *C->fr);
		return;
	}
	struct chunk *first = &C->c[C->flow[f0]], *last = &C->c[C->flow[f1 - 1]];
	C->fr[fi] = (struct frame){C->flow[f0], C->flow[f1 - 1] + 1, depth, bc->x, bc->w};
	if (first->sb < NOTE_GAP)
		first->sb = NOTE_GAP;
	first->sb_fixed += NOTE_PAD_V;
	if (last->sa < NOTE_GAP)
		last->sa = NOTE_GAP;
	for (size_t i = f0; i < f1; i++)
		C->c[C->flow[i]].reserve += NOTE_PAD_V;
	last->sa += NOTE_PAD_V; /* the pad below stays, whatever follows */
}

/* True if cp ends a caption's title: 。：；！？ or an ASCII stop before a
 * space (next: the byte after it, or NUL). */
static bool
title_stop(unsigned cp, char next)
{
	return cp == 0x3002 || cp == 0xff1a || cp == 0xff1b || cp == 0xff01 || cp == 0xff1f ||
	    ((cp == '.' || cp == ':' || cp == ';') && (next == ' ' || next == '\n'));
}

/* A caption's title, its words up to the first stop ("生成模型 vs 判别模型：",
 * "ELBO 的组成。"), gets no dictionary hyphens: a text span holding the
 * stop is split after it, the spans up to there marked no_hyphens. */
static void
para_title_whole(struct para *P)
{
	for (size_t i = 0; i < P->n; i++) {
		struct sx *x = &P->sx[i];
		x->no_hyphens = true;
		if (x->kind != SX_TEXT || P->sp[i].unbreakable)
			continue;
		const char *t = P->text.s + x->off;
		for (size_t k = 0; k < x->len; ) {
			unsigned cp;
			k += utf8_decode(t + k, x->len - k, &cp);
			if (!title_stop(cp, k < x->len ? t[k] : '\0'))
				continue;
			bool latin = false; /* else: nothing to hyphenate, no split */
			for (size_t a = 0; a < k; a++)
				latin = latin || (t[a] >= 'a' && t[a] <= 'z') || (t[a] >= 'A' && t[a] <= 'Z');
			if (!latin)
				x->no_hyphens = false;
			else if (k < x->len) {
				/* the rest: a span of its own, as hyphenatable as before */
				para_add(P, SX_TEXT, x->face, x->size);
				memmove(&P->sx[i + 2], &P->sx[i + 1], (P->n - i - 2) * sizeof *P->sx);
				memmove(&P->sp[i + 2], &P->sp[i + 1], (P->n - i - 2) * sizeof *P->sp);
				x = &P->sx[i];
				P->sx[i + 1] = *x;
				P->sp[i + 1] = P->sp[i];
				P->sx[i + 1].no_hyphens = false;
				P->sx[i + 1].off = x->off + k;
				P->sx[i + 1].len = x->len - k;
				P->sx[i + 1].mark_target = -1;
				P->sp[i + 1].break_penalty = 0;
				x->len = k;
				for (size_t j = i + 1; j < P->n; j++)
					P->sp[j].style.tag = (int)j;
			}
			return;
		}
	}
}

/* "图 1：" or "表 2：" in the sans face: emitted at (x, y), returns its width
 * (measures only when !emit). */
static double
caption_label(struct ctx *C, const char *word, const char *num, const char *tail, double x,
    double y, bool emit)
{
	struct para P;
	para_init(&P, C, F_SANS, SMALL, C->g.tw);
	p_runs_begin(&P, F_SANS, SMALL);
	p_run(&P, word, NULL);
	p_run(&P, num, NULL);
	p_run(&P, tail, NULL);
	p_runs_end(&P);
	const struct sx *sx = &P.sx[0];
	if (emit)
		for (size_t r = 0; r < sx->nr; r++) {
			const struct run *R = &P.runs[sx->r0 + r];
			if (R->len > 0)
				text_box(C, x + R->x, y, R->font, SMALL, 0, P.text.s + R->off,
				    R->len, R->w);
		}
	double w = sx->width;
	para_free(&P);
	return w;
}

/* A caption "图 N：text" at (x, y) (y: the first baseline) across `width`:
 * centred when it is one short line, else justified with the text hanging
 * after the label.  Returns the number of lines. */
static size_t
emit_caption(struct ctx *C, const char *word, const char *num, const struct doc_inlines *text,
    double x, double y, double width)
{
	double labw = caption_label(C, word, num, "：", 0, 0, false);
	struct para P;
	para_init(&P, C, F_BODY, SMALL, width - labw);
	p_inlines(&P, text, F_BODY);
	para_title_whole(&P);
	struct lb_line *lines;
	size_t n = para_break(&P, width - labw, 0, &lines);
	double off = 0;
	if (n == 1 && !lines[0].justified)
		off = (width - labw - line_end(&lines[0])) / 2;
	if (off < 0)
		off = 0;
	caption_label(C, word, num, "：", x + off, y, true);
	for (size_t i = 0; i < n; i++) {
		double a = 0, d = 0;
		emit_line(C, &P, &lines[i], x + off + labw, y - (double)i * CAP_LEAD, &a, &d);
	}
	lb_lines_free(lines, n);
	para_free(&P);
	return n > 0 ? n : 1;
}

static void
build_figure(struct ctx *C, const struct doc_block *b)
{
	int t;
	if (!pmap_get(&C->tblock, b, &t))
		return;
	struct target *T = &C->t[t];
	T->dl = find_figure(C, b->name);
	if (T->dl == NULL)
		return;
	double fw = T->dl->width, fh = T->dl->height;
	size_t ci = chunk_open(C, CK_BLOCK, false);
	dest_box(C, 0, 0.5 * LEAD, T->dest);
	add_mark(C, MK_TARGET, t, NULL);
	struct lay_box *fb = add_box(C, LAY_FIGURE);
	fb->x = (C->g.tw - fw) / 2;
	fb->y = -fh;
	fb->w = fw;
	fb->h = fh;
	fb->figure = T->dl;
	double y = -(fh + FIG_CAP_GAP + ASC * SMALL);
	size_t n = emit_caption(C, "图", T->num, &b->caption, 0, y, C->g.tw);
	struct chunk *c = &C->c[ci];
	c->h = 0;
	c->d = -y + (double)(n - 1) * CAP_LEAD + 0.3 * CAP_LEAD;
	c->sb = c->sa = FIG_SKIP;
	chunk_close(C, ci);
	T->float_chunk = ci;
	size_t ai = chunk_open(C, CK_ANCHOR, true);
	C->c[ai].target = t;
	chunk_close(C, ai);
}

/* ---- tables */

struct tcell {
	struct para P;
	struct lb_line *lines;
	size_t n;
	double natural;          /* its width on one line */
	bool term;               /* a short CJK term (short_term) */
};

struct tgeom {
	size_t nrows, ncols;
	struct tcell *cells;
	const enum doc_align *align;
	double *colx, *colw;
	double x, w;             /* the table */
	bool params;             /* the parameters appendix: keys kept whole */
	struct lb_para **lbp;    /* while the widths are found: each cell read
	                          * once for the breaker (cell_break), or NULL */
	struct lb_metrics *lbm;  /* and its metrics */
	double *lastw;           /* and the width it was last counted at */
	size_t *lastn;           /* and its lines then */
	const void *node;        /* the block it comes from (struct tmemo) */
};

/* The lines of row r with their first baseline at y. */
static size_t
emit_row(struct ctx *C, const struct tgeom *G, size_t r, double y)
{
	size_t most = 1;
	for (size_t k = 0; k < G->ncols; k++) {
		struct tcell *tc = &G->cells[r * G->ncols + k];
		for (size_t i = 0; i < tc->n; i++) {
			const struct lb_line *L = &tc->lines[i];
			double off = 0;
			if (G->align[k] != DOC_ALIGN_LEFT) {
				double w = L->justified ? emit_line_ragged(C, &tc->P, L, 0, 0, true) :
				    line_end(L);
				double slack = G->colw[k] - w;
				off = G->align[k] == DOC_ALIGN_CENTER ? slack / 2 : slack;
				if (off < 0)
					off = 0;
			}
			double x = G->x + G->colx[k] + off, yy = y - (double)i * TAB_LEAD;
			if (L->justified) {
				emit_line_ragged(C, &tc->P, L, x, yy, false);
			} else {
				double a = 0, d = 0;
				emit_line(C, &tc->P, L, x, yy, &a, &d);
			}
		}
		if (tc->n > most)
			most = tc->n;
	}
	return most;
}

#define TROW_H (0.7 * TAB_LEAD)
#define TROW_D (0.3 * TAB_LEAD)

/* The header: top rule, row 0, mid rule, its baseline at y; returns its
 * extent above (*h) and below (*d) y. */
static void
emit_header(struct ctx *C, const struct tgeom *G, double y, double *h, double *d)
{
	rule_box(C, G->x, y + TROW_H + RULE_BELOW, G->w, RULE_HEAVY);
	size_t n = emit_row(C, G, 0, y);
	double rd = (double)(n - 1) * TAB_LEAD + TROW_D + RULE_ABOVE;
	rule_box(C, G->x, y - rd - RULE_LIGHT, G->w, RULE_LIGHT);
	*h = TROW_H + RULE_BELOW + RULE_HEAVY;
	*d = rd + RULE_LIGHT;
}

/* ---- column widths
 *
 * The automatic layout of HTML tables, aimed at the lowest table.  Each
 * column has a minimum width (its widest unbreakable piece: a word, a
 * number, a formula, a CJK character with the punctuation that must stay
 * with it) and a natural width (its widest cell on one line).  A table whose
 * natural widths fit the measure keeps them and is centred on it.  Any other
 * table spans the measure, its columns a whole number of ems of the table
 * text each (Chinese advances in ems: finer steps seldom move a break, and
 * cells are set ragged anyway) and at least their minimum:
 * of all such widths, those whose rows take the fewest lines in all win,
 * counted by the line breaker itself; ties go to the fewest lines in all
 * cells (a cell that got shorter counts even when its row did not).  The
 * search is exact, a branch and bound over the widths at which some cell of
 * a column changes its number of lines; ems left over go to the columns
 * that still wrap, a fraction of an em to the gaps between columns.
 * Between the rows and the cells comes the number of short CJK terms
 * broken (short_term), and such a term may have the gutters narrowed to
 * one em (tighter_gaps).  What whole ems leave unused in each column may
 * then go to one or two columns where it saves lines (table_polish).  Cells are broken ragged (lb_break_ragged), as
 * they are set.  The parameters appendix takes the same search, its keys
 * never broken (their minimum is their natural width). */

struct tscore {
	long rows, cells;       /* lines: the rows' tallest cells; every cell */
	long terms;             /* short CJK terms broken (short_term) */
};

/* Fewest row lines first; then, at no extra row line, the fewest short
 * terms broken ("显式密/度模型" reads badly, a long cell broken does not);
 * then the fewest cell lines. */
static bool
tscore_less(struct tscore a, struct tscore b)
{
	if (a.rows != b.rows)
		return a.rows < b.rows;
	if (a.terms != b.terms)
		return a.terms < b.terms;
	return a.cells < b.cells;
}

/* Up to this many ideographs, a cell that is nothing else (no punctuation,
 * no Latin) is a term the reader takes in at once: "显式密度模型". */
#define SHORT_TERM_MAX 6

static bool
short_term(const struct para *P)
{
	if (P->n != 1 || P->sx[0].kind != SX_TEXT)
		return false;
	const char *t = P->text.s + P->sx[0].off;
	size_t len = P->sx[0].len, chars = 0;
	for (size_t i = 0; i < len; chars++) {
		unsigned cp;
		i += utf8_decode(t + i, len - i, &cp);
		if (!is_ideograph(cp))
			return false;
	}
	return chars >= 2 && chars <= SHORT_TERM_MAX;
}

struct tsearch {
	struct tgeom *G;
	size_t kmax;            /* the widest a column can be, in ems */
	int *memo;              /* lines of each cell at each width (cell_lines) */
	size_t **cand, *ncand;  /* per column: the widths worth trying (ems,
	                         * ascending): its minimum and every width at
	                         * which one of its cells changes its lines */
	int **lines;            /* per column: [candidate][row] lines */
	int **least;            /* per column: [candidate][row] the fewest lines
	                         * at this candidate or a narrower one */
	size_t *lo_from;        /* the minima of columns k.. added up */
	size_t budget;          /* ems for all the columns together */
	size_t *ems, *best;
	int *rowmax;            /* (ncols + 1) x nrows: each row's tallest cell in
	                         * the columns before k */
	struct tscore best_score;
	bool found;
	long nodes;
};

/* Cell i of G broken at width w (ragged, as it is set), its lines in
 * *lines when lines is not NULL; returns their number, at least 1.  The
 * same as para_break, without reading the cell's text anew at each width
 * (lb_para) nor keeping every width's lines in the paragraph cache. */
static size_t
cell_break(struct tgeom *G, size_t i, double w, struct lb_line **lines)
{
	struct tcell *tc = &G->cells[i];
	if (G->lbp == NULL) {
		G->lbp = xcalloc(G->nrows * G->ncols, sizeof *G->lbp);
		G->lbm = xcalloc(G->nrows * G->ncols, sizeof *G->lbm);
		G->lastw = xcalloc(G->nrows * G->ncols, sizeof *G->lastw);
		G->lastn = xcalloc(G->nrows * G->ncols, sizeof *G->lastn);
	}
	/* table_polish counts most cells at the same width trial after trial */
	if (lines == NULL && G->lastn[i] > 0 && G->lastw[i] == w)
		return G->lastn[i];
	if (G->lbp[i] == NULL) {
		para_spans(&tc->P);
		G->lbm[i] = para_metrics(&tc->P);
		G->lbp[i] = lb_para_new(tc->P.sp, tc->P.n, &G->lbm[i]);
	}
	size_t n = lines ? lb_para_break(G->lbp[i], w, 0, tc->P.ragged, lines)
	                 : lb_para_lines(G->lbp[i], w, 0, tc->P.ragged);
	n = n > 0 ? n : 1;
	G->lastw[i] = w;
	G->lastn[i] = n;
	return n;
}

static void
cell_breaks_free(struct tgeom *G)
{
	if (G->lbp != NULL)
		for (size_t i = 0; i < G->nrows * G->ncols; i++)
			lb_para_free(G->lbp[i]);
	free(G->lbp);
	free(G->lbm);
	free(G->lastw);
	free(G->lastn);
	G->lbp = NULL;
	G->lbm = NULL;
	G->lastw = NULL;
	G->lastn = NULL;
}

/* Lines of cell (r, k) at `ems` ems, remembered: the search asks again. */
static int
cell_lines(struct tsearch *S, size_t r, size_t k, size_t ems)
{
	struct tgeom *G = S->G;
	int *m = &S->memo[(r * G->ncols + k) * (S->kmax + 1) + ems];
	if (*m == 0) {
		struct tcell *tc = &G->cells[r * G->ncols + k];
		double w = (double)ems * SMALL;
		if (tc->natural <= w + 1e-6) {
			*m = 1;
		} else {
			*m = (int)cell_break(G, r * G->ncols + k, w, NULL);
		}
	}
	return *m;
}

/* At most this many cells broken per column while looking for its
 * candidates: a long table (the parameters appendix has 60 rows) tries
 * every second or third width instead of every one. */
#define TSEARCH_CELLS 2400

/* The candidates of column k between lo and hi ems, with their lines. */
static void
column_candidates(struct tsearch *S, size_t k, size_t lo, size_t hi)
{
	size_t nr = S->G->nrows;
	S->cand[k] = xcalloc(hi - lo + 1, sizeof **S->cand);
	S->lines[k] = xcalloc((hi - lo + 1) * nr, sizeof **S->lines);
	S->least[k] = xcalloc((hi - lo + 1) * nr, sizeof **S->least);
	size_t n = 0;
	size_t step = (nr * (hi - lo + 1) + TSEARCH_CELLS - 1) / TSEARCH_CELLS;
	for (size_t e = lo, next; e <= hi; e = next) {
		/* the steps end at hi, the width that sets every cell whole */
		next = e == hi ? hi + 1 : e + step < hi ? e + step : hi;
		int *L = &S->lines[k][n * nr];
		bool change = e == lo;
		for (size_t r = 0; r < nr; r++) {
			L[r] = cell_lines(S, r, k, e);
			if (n > 0 && L[r] != S->lines[k][(n - 1) * nr + r])
				change = true;
		}
		if (!change)
			continue;
		int *M = &S->least[k][n * nr];
		const int *before = n > 0 ? &S->least[k][(n - 1) * nr] : L;
		for (size_t r = 0; r < nr; r++)
			M[r] = before[r] < L[r] ? before[r] : L[r];
		S->cand[k][n++] = e;
	}
	S->ncand[k] = n;
}

/* Never more nodes than this (a huge table keeps the best found by then). */
#define TSEARCH_NODES 200000

/* Columns k.. given `used` ems by the columns before them, whose cells
 * took `cells` lines. */
static void
tsearch(struct tsearch *S, size_t k, size_t used, long cells, long terms)
{
	size_t nr = S->G->nrows, nc = S->G->ncols;
	const int *row = &S->rowmax[k * nr];
	if (k == nc) {
		struct tscore s = {0, cells, terms};
		for (size_t r = 0; r < nr; r++)
			s.rows += row[r];
		if (!S->found || tscore_less(s, S->best_score)) {
			S->found = true;
			S->best_score = s;
			memcpy(S->best, S->ems, nc * sizeof *S->ems);
		}
		return;
	}
	int *next = &S->rowmax[(k + 1) * nr];
	/* widest first: good solutions early make the bound bite */
	for (size_t i = S->ncand[k]; i-- > 0; ) {
		size_t e = S->cand[k][i];
		if (used + e + S->lo_from[k + 1] > S->budget)
			continue;
		if (++S->nodes > TSEARCH_NODES)
			return;
		const int *L = &S->lines[k][i * nr];
		long c = cells, tt = terms;
		for (size_t r = 0; r < nr; r++) {
			next[r] = row[r] > L[r] ? row[r] : L[r];
			c += L[r];
			tt += L[r] > 1 && S->G->cells[r * nc + k].term;
		}
		/* the bound: each later column at the widest it could still get */
		struct tscore bound = {0, c, tt};
		size_t spare = S->budget - used - e - S->lo_from[k + 1];
		for (size_t r = 0; r < nr; r++) {
			int most = next[r];
			for (size_t j = k + 1; j < nc; j++) {
				size_t top = S->cand[j][0] + spare, t = S->ncand[j] - 1;
				while (S->cand[j][t] > top)
					t--;
				int least = S->least[j][t * nr + r];
				bound.cells += least;
				bound.terms += least > 1 && S->G->cells[r * nc + j].term;
				if (least > most)
					most = least;
			}
			bound.rows += most;
		}
		if (S->found && !tscore_less(bound, S->best_score))
			continue;
		S->ems[k] = e;
		tsearch(S, k + 1, used + e, c, tt);
	}
}

/* The score of whole-em widths ems[] (the leftover's check). */
static struct tscore
tscore_of(struct tsearch *S, const size_t *ems)
{
	struct tscore s = {0, 0, 0};
	for (size_t r = 0; r < S->G->nrows; r++) {
		int most = 1;
		for (size_t k = 0; k < S->G->ncols; k++) {
			int n = cell_lines(S, r, k, ems[k]);
			s.cells += n;
			s.terms += n > 1 && S->G->cells[r * S->G->ncols + k].term;
			if (n > most)
				most = n;
		}
		s.rows += most;
	}
	return s;
}

/* Widths for a table wider than the measure `avail` (gaps apart): whole
 * ems, the lowest table; *extra = the fraction of an em left for the gaps,
 * *score its lines.  False when the minima do not fit. */
static bool
table_fit(struct tgeom *G, const double *mn, const double *mx, double avail, double *extra,
    struct tscore *score)
{
	size_t nc = G->ncols, nr = G->nrows;
	struct tsearch S = {0};
	S.G = G;
	S.budget = (size_t)floor(avail / SMALL + 1e-9);
	S.kmax = S.budget;
	size_t *lo = xcalloc(nc, sizeof *lo), *hi = xcalloc(nc, sizeof *hi);
	S.lo_from = xcalloc(nc + 1, sizeof *S.lo_from);
	for (size_t k = nc; k-- > 0; ) {
		lo[k] = (size_t)ceil(mn[k] / SMALL - 1e-9);
		if (lo[k] < 1)
			lo[k] = 1;
		hi[k] = (size_t)ceil(mx[k] / SMALL - 1e-9);
		if (hi[k] < lo[k])
			hi[k] = lo[k];
		S.lo_from[k] = S.lo_from[k + 1] + lo[k];
	}
	bool ok = S.lo_from[0] <= S.budget;
	if (!ok)
		goto out;
	S.memo = xcalloc(nr * nc * (S.kmax + 1), sizeof *S.memo);
	S.cand = xcalloc(nc, sizeof *S.cand);
	S.ncand = xcalloc(nc, sizeof *S.ncand);
	S.lines = xcalloc(nc, sizeof *S.lines);
	S.least = xcalloc(nc, sizeof *S.least);
	for (size_t k = 0; k < nc; k++) {
		/* no column wider than the others' minima leave */
		size_t top = S.budget - (S.lo_from[0] - lo[k]);
		column_candidates(&S, k, lo[k], hi[k] < top ? hi[k] : top);
	}
	S.ems = xcalloc(nc, sizeof *S.ems);
	S.best = xcalloc(nc, sizeof *S.best);
	S.rowmax = xcalloc((nc + 1) * nr, sizeof *S.rowmax);
	for (size_t r = 0; r < nr; r++)
		S.rowmax[r] = 1;
	tsearch(&S, 0, 0, 0, 0);
	/* the search's first best is one of many: each column as narrow as
	 * the best table allows, then the ems left one at a time to the
	 * column with the smallest part of its natural width (a short cell
	 * broken in two reads worse than a long one in three), if that makes
	 * no row or cell longer */
	struct tscore s = tscore_of(&S, S.best);
	for (size_t k = 0; k < nc; k++)
		while (S.best[k] > lo[k]) {
			S.best[k]--;
			if (tscore_less(s, tscore_of(&S, S.best))) {
				S.best[k]++;
				break;
			}
		}
	size_t used = 0;
	for (size_t k = 0; k < nc; k++)
		used += S.best[k];
	bool *full = xcalloc(nc, sizeof *full);
	while (used < S.budget) {
		size_t pick = nc;
		for (size_t k = 0; k < nc; k++)
			if (!full[k] && S.best[k] < hi[k] &&
			    (pick == nc || (double)S.best[k] * SMALL / mx[k] <
			    (double)S.best[pick] * SMALL / mx[pick] - 1e-9))
				pick = k;
		if (pick == nc)
			break;
		S.best[pick]++;
		struct tscore t = tscore_of(&S, S.best);
		if (tscore_less(s, t)) {
			S.best[pick]--;
			full[pick] = true;
			continue;
		}
		s = t;
		used++;
	}
	free(full);
	for (size_t k = 0; k < nc; k++)
		G->colw[k] = (double)S.best[k] * SMALL;
	*extra = avail - (double)used * SMALL;
	*score = s;
	for (size_t k = 0; k < nc; k++) {
		free(S.cand[k]);
		free(S.lines[k]);
		free(S.least[k]);
	}
	free(S.memo);
	free(S.cand);
	free(S.ncand);
	free(S.lines);
	free(S.least);
	free(S.ems);
	free(S.best);
	free(S.rowmax);
out:
	free(lo);
	free(hi);
	free(S.lo_from);
	return ok;
}

/* The score of widths w[] (any, not only whole ems): each cell broken as
 * it will be set. */
static struct tscore
tscore_widths(struct tgeom *G, const double *w)
{
	struct tscore s = {0, 0, 0};
	for (size_t r = 0; r < G->nrows; r++) {
		long most = 1;
		for (size_t k = 0; k < G->ncols; k++) {
			struct tcell *tc = &G->cells[r * G->ncols + k];
			long n = 1;
			if (tc->natural > w[k] + 1e-6)
				n = (long)cell_break(G, r * G->ncols + k, w[k], NULL);
			s.cells += n;
			s.terms += n > 1 && tc->term;
			if (n > most)
				most = n;
		}
		s.rows += most;
	}
	return s;
}

/* The width column k's lines take when it is w wide. */
static double
column_used(struct tgeom *G, size_t k, double w)
{
	double used = 0;
	for (size_t r = 0; r < G->nrows; r++) {
		struct tcell *tc = &G->cells[r * G->ncols + k];
		if (tc->natural <= w + 1e-6) {
			used = fmax(used, tc->natural);
			continue;
		}
		struct lb_line *lines = NULL;
		size_t m = cell_break(G, r * G->ncols + k, w, &lines);
		for (size_t i = 0; lines != NULL && i < m; i++)
			used = fmax(used, fmin(w, lines[i].width));
		lb_lines_free(lines, m);
	}
	return used;
}

/* Whole ems leave most columns a little wider than their lines: that
 * spare, with the fraction of an em left over (*extra), may rather go to
 * one column, or half to each of two, where it saves a row line, a short
 * term or a cell line (the parameters appendix's file names: 0.2 pt short
 * of one line less).  Else the widths stay; *extra = what the gaps get. */
static void
table_polish(struct tgeom *G, double *extra)
{
	size_t nc = G->ncols;
	double *used = xcalloc(nc, sizeof *used), *w = xcalloc(nc, sizeof *w);
	double *best_w = xcalloc(nc, sizeof *best_w), spare = *extra;
	for (size_t k = 0; k < nc; k++) {
		used[k] = column_used(G, k, G->colw[k]);
		spare += G->colw[k] - used[k];
	}
	struct tscore best = tscore_widths(G, G->colw);
	bool better = false;
	for (size_t a = 0; a < nc && spare > 0.1; a++)
		for (size_t b = a; b < nc; b++) {
			memcpy(w, used, nc * sizeof *w);
			w[a] += a == b ? spare : spare / 2;
			if (b != a)
				w[b] += spare / 2;
			struct tscore t = tscore_widths(G, w);
			if (tscore_less(t, best)) {
				best = t;
				better = true;
				memcpy(best_w, w, nc * sizeof *w);
			}
		}
	if (better) {
		memcpy(G->colw, best_w, nc * sizeof *best_w);
		*extra = 0;
	}
	free(used);
	free(w);
	free(best_w);
}

/* A short term broken at the usual gaps (table_fit's score sc) may stay
 * whole with gaps of TIGHT_COL_GAP (one em of the table text rather than
 * 12 pt) at no extra row line: then those widths, *gap and *extra for
 * them; else G's widths stay.  "显式密度模型" in a row of two lines anyway
 * reads better than a slightly wider gutter. */
#define TIGHT_COL_GAP SMALL

static void
tighter_gaps(struct tgeom *G, const double *mn, const double *mx, double measure,
    struct tscore sc, double *gap, double *extra)
{
	size_t nc = G->ncols;
	double *keep = xcalloc(nc, sizeof *keep);
	memcpy(keep, G->colw, nc * sizeof *keep);
	struct tscore t;
	double x;
	if (table_fit(G, mn, mx, measure - (double)(nc - 1) * TIGHT_COL_GAP, &x, &t) &&
	    t.rows <= sc.rows && t.terms < sc.terms) {
		*gap = TIGHT_COL_GAP;
		*extra = x;
	} else {
		memcpy(G->colw, keep, nc * sizeof *keep);
	}
	free(keep);
}

/* Column widths and positions, the table's width and place (above). */
static void
table_widths(struct tgeom *G, const struct bctx *bc)
{
	size_t nc = G->ncols;
	double *mn = xcalloc(nc, sizeof *mn), *mx = xcalloc(nc, sizeof *mx);
	for (size_t r = 0; r < G->nrows; r++)
		for (size_t k = 0; k < nc; k++) {
			struct tcell *tc = &G->cells[r * nc + k];
			struct para *P = &tc->P;
			double a = para_min_width(P), b = tc->natural = para_natural(P);
			tc->term = short_term(P);
			if (a > mn[k])
				mn[k] = a;
			if (b > mx[k])
				mx[k] = b;
		}
	double smax = 0, smin = 0;
	for (size_t k = 0; k < nc; k++) {
		if (mx[k] < mn[k])
			mx[k] = mn[k];
		smax += mx[k];
		smin += mn[k];
	}
	/* the parameters table is wide: a narrower gap keeps its keys and
	 * paths from breaking more than they must */
	double gap = G->params ? PARAM_COL_GAP : COL_GAP;
	double avail = bc->w - (double)(nc - 1) * gap;
	/* its keys are names to look up: on one line whenever the other
	 * columns' minima leave room, the values and paths give way */
	if (G->params && smin - mn[0] + mx[0] <= avail) {
		smin += mx[0] - mn[0];
		mn[0] = mx[0];
	}
	if (smax <= avail) {
		for (size_t k = 0; k < nc; k++)
			G->colw[k] = mx[k];
	} else {
		double extra = 0;
		struct tscore sc;
		if (!table_fit(G, mn, mx, avail, &extra, &sc)) {
			/* even the minima overflow: shrink them alike */
			for (size_t k = 0; k < nc; k++)
				G->colw[k] = smin > 0 ? mn[k] * avail / smin : avail / (double)nc;
		} else if (nc > 1) {
			if (sc.terms > 0 && !G->params)
				tighter_gaps(G, mn, mx, bc->w, sc, &gap, &extra);
			table_polish(G, &extra);
			gap += extra / (double)(nc - 1);
		} else {
			G->colw[0] += extra;
		}
	}
	double x = 0;
	for (size_t k = 0; k < nc; k++) {
		G->colx[k] = x;
		x += G->colw[k] + (k + 1 < nc ? gap : 0);
	}
	G->w = x;
	G->x = bc->x + (bc->w - x) / 2;
	cell_breaks_free(G);
	free(mn);
	free(mx);
}

/* table_widths, or what it gave the previous pass for the same cells. */
static void
table_widths_memo(struct ctx *C, struct tgeom *G, const struct bctx *bc)
{
	size_t nc = G->ncols, ncells = G->nrows * G->ncols;
	uint64_t hash = 1469598103934665603ull;
	const double geom[2] = {bc->x, bc->w};
	const unsigned char *g = (const unsigned char *)geom;
	for (size_t i = 0; i < sizeof geom; i++)
		hash = (hash ^ g[i]) * 1099511628211ull;
	for (size_t i = 0; i < ncells; i++) {
		const struct strbuf *t = &G->cells[i].P.text;
		for (size_t k = 0; k < t->n; k++)
			hash = (hash ^ (unsigned char)t->s[k]) * 1099511628211ull;
		hash = (hash ^ 0xff) * 1099511628211ull; /* no UTF-8 byte */
	}
	struct tmemo *m = NULL;
	for (size_t i = 0; i < C->ntm && m == NULL; i++)
		if (C->tm[i].node == G->node)
			m = &C->tm[i];
	if (m != NULL && m->hash == hash) {
		memcpy(G->colw, m->colw, nc * sizeof *G->colw);
		memcpy(G->colx, m->colx, nc * sizeof *G->colx);
		for (size_t i = 0; i < ncells; i++)
			G->cells[i].natural = m->natural[i];
		G->x = m->x;
		G->w = m->w;
		return;
	}
	table_widths(G, bc);
	if (G->node == NULL)
		return;
	if (m == NULL) {
		GROW(C->tm, C->ntm, C->tmcap);
		m = &C->tm[C->ntm++];
		*m = (struct tmemo){G->node, 0, xcalloc(nc, sizeof *m->colw),
			xcalloc(nc, sizeof *m->colx), xcalloc(ncells, sizeof *m->natural), 0, 0};
	}
	m->hash = hash;
	memcpy(m->colw, G->colw, nc * sizeof *G->colw);
	memcpy(m->colx, G->colx, nc * sizeof *G->colx);
	for (size_t i = 0; i < ncells; i++)
		m->natural[i] = G->cells[i].natural;
	m->x = G->x;
	m->w = G->w;
}

/* Lays out a table whose cells' paragraphs are filled: the caption chunk
 * (when t >= 0), the header, one chunk per body row, and the continuation
 * header out of the flow.  Frees the cells. */
static void
table_chunks(struct ctx *C, struct tgeom *G, int t, const struct doc_inlines *caption,
    const struct bctx *bc)
{
	size_t nc = G->ncols;
	G->colx = xcalloc(nc, sizeof *G->colx);
	G->colw = xcalloc(nc, sizeof *G->colw);
	table_widths_memo(C, G, bc);
	for (size_t i = 0; i < G->nrows * nc; i++) {
		struct tcell *tc = &G->cells[i];
		/* a cell that fits is its natural line: no need to break it again */
		tc->n = para_break(&tc->P, tc->natural <= G->colw[i % nc] + 1e-6 ? 1e7 : G->colw[i % nc],
		    0, &tc->lines);
	}
	GROW(C->tab, C->ntab, C->tabcap);
	int ti = (int)C->ntab++;
	C->tab[ti].x = G->x;
	C->tab[ti].w = G->w;

	if (t >= 0) {
		const struct target *T = &C->t[t];
		size_t ci = chunk_open(C, CK_BLOCK, true);
		dest_box(C, 0, ASC * SMALL + 0.5 * LEAD, T->dest);
		add_mark(C, MK_TARGET, t, NULL);
		size_t n = emit_caption(C, "表", T->num, caption, bc->x, 0, bc->w);
		struct chunk *c = &C->c[ci];
		c->h = ASC * SMALL;
		c->d = (double)(n - 1) * CAP_LEAD + 0.3 * CAP_LEAD;
		c->sb = TAB_SKIP;
		c->sa = TAB_CAP_GAP;
		c->keep = true;
		c->table = ti;
		c->trow = TR_CAPTION;
		chunk_close(C, ci);
	}
	size_t hi = chunk_open(C, CK_BLOCK, true);
	double h, d;
	emit_header(C, G, 0, &h, &d);
	C->c[hi].h = h;
	C->c[hi].d = d;
	C->c[hi].keep = true;
	C->c[hi].table = ti;
	C->c[hi].trow = TR_HEADER;
	if (t < 0)
		C->c[hi].sb = TAB_SKIP;
	chunk_close(C, hi);
	size_t nbody = G->nrows - 1;
	for (size_t r = 1; r < G->nrows; r++) {
		size_t ci = chunk_open(C, CK_BLOCK, true);
		size_t n = emit_row(C, G, r, 0);
		double rd = (double)(n - 1) * TAB_LEAD + TROW_D;
		struct chunk *c = &C->c[ci];
		c->h = TROW_H;
		c->table = ti;
		c->trow = TR_BODY;
		c->sb = r == 1 ? RULE_BELOW : ROW_GAP;
		if (r + 1 == G->nrows) {
			rule_box(C, G->x, -(rd + RULE_ABOVE + RULE_HEAVY), G->w, RULE_HEAVY);
			c->d = rd + RULE_ABOVE + RULE_HEAVY;
			c->sa = TAB_SKIP;
		} else {
			c->d = rd;
			c->reserve = RULE_ABOVE + RULE_HEAVY;
		}
		/* a short table stays whole; a longer one leaves no single row
		 * alone on either side of a break; a row whose first cell is
		 * empty continues the one above (a merged cell) */
		if (r + 1 < G->nrows && (nbody <= TAB_WHOLE_ROWS || r == 1 || r + 2 == G->nrows))
			c->keep = true;
		if (r + 1 < G->nrows && G->cells[(r + 1) * nc].P.n == 0)
			c->keep = true;
		chunk_close(C, ci);
	}
	if (G->nrows == 1) {
		/* a header alone: close it */
		struct chunk *c = &C->c[hi];
		rule_box(C, G->x, -(c->d + RULE_ABOVE), G->w, RULE_HEAVY);
		c->d += RULE_ABOVE + RULE_HEAVY;
		c->keep = false;
		c->sa = TAB_SKIP;
		chunk_close(C, hi);
	}
	/* the header again, under "表 N（续）", for a continuation page */
	size_t ci = chunk_open(C, CK_BLOCK, false);
	double top = 0, dy = 0;
	if (t >= 0) {
		const struct target *T = &C->t[t];
		/* as a caption: the label in the sans, the text in the serif */
		static const char cont[] = "（续）";
		double lw = caption_label(C, "表", T->num, "", 0, 0, false);
		double w = lw + face_width(C, F_BODY, SMALL, cont, strlen(cont));
		double x0 = bc->x + (bc->w - w) / 2;
		caption_label(C, "表", T->num, "", x0, 0, true);
		face_text(C, F_BODY, SMALL, x0 + lw, 0, 0, cont, strlen(cont), false);
		top = ASC * SMALL;
	}
	size_t lab_end = C->nb;
	emit_header(C, G, 0, &h, &d);
	if (t >= 0) {
		dy = -(0.3 * CAP_LEAD + TAB_CAP_GAP + h);
		for (size_t i = lab_end; i < C->nb; i++)
			C->b[i].y += dy;
	}
	C->c[ci].h = t >= 0 ? top : h;
	C->c[ci].d = t >= 0 ? -dy + d : d;
	C->c[ci].keep = true;
	C->c[ci].table = ti;
	C->c[ci].trow = TR_HEADER;
	chunk_close(C, ci);
	C->tab[ti].cont = ci;
	for (size_t i = 0; i < G->nrows * nc; i++) {
		lb_lines_free(G->cells[i].lines, G->cells[i].n);
		para_free(&G->cells[i].P);
	}
	free(G->colx);
	free(G->colw);
}

static void
build_table(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	int t;
	if (!pmap_get(&C->tblock, b, &t) || b->nrows == 0 || b->ncols == 0)
		return;
	struct tgeom G = {0};
	G.node = b;
	G.nrows = b->nrows;
	G.ncols = b->ncols;
	G.align = b->align;
	G.cells = xcalloc(b->nrows * b->ncols, sizeof *G.cells);
	for (size_t i = 0; i < b->nrows * b->ncols; i++) {
		int face = i < b->ncols ? F_SANS_BOLD : F_BODY;
		para_init(&G.cells[i].P, C, face, SMALL, bc->w / (double)b->ncols);
		G.cells[i].P.no_hyphens = i < b->ncols; /* a column's name reads whole */
		G.cells[i].P.ragged = true;
		p_inlines(&G.cells[i].P, &b->cells[i].text, face);
	}
	table_chunks(C, &G, t, &b->caption, bc);
	free(G.cells);
}

/* File names in the appendix are long ("FreeSerifBoldItalic.ttf"): one of
 * at least CAMEL_MIN characters may also break at a capital starting a
 * word inside it (Free|Serif|Bold|Italic.ttf, not Te|XGyre), leaving
 * CAMEL_SIDE characters on each side, at CAMEL_PENALTY: a '/' reads
 * better.  Without this the two value columns' longest names and the key
 * column leave the other columns too little of the measure. */
#define CAMEL_MIN 16
#define CAMEL_SIDE 6
#define CAMEL_PENALTY 100.0

/* True if q (inside v) starts a word of a long file name, as above. */
static bool
camel_break(const char *v, const char *q)
{
	if (q == v || !(q[-1] >= 'a' && q[-1] <= 'z') || !(*q >= 'A' && *q <= 'Z') ||
	    !(q[1] >= 'a' && q[1] <= 'z'))
		return false;
	const char *a = q, *z = q;
	while (a > v && a[-1] != '/' && a[-1] != ' ')
		a--;
	while (*z != '\0' && *z != '/' && *z != ' ')
		z++;
	return z - a >= CAMEL_MIN && q - a >= CAMEL_SIDE && z - q >= CAMEL_SIDE;
}

/* A configuration value in monospace, as pieces that never break inside
 * (no hyphen ever: a path or an expression is not a word), with a break
 * after each character of after_set ('/' of a path, ',' and '+' of a
 * mixture: 0.3*N(-1,0.5)+..., ':' of file:line, '.' of a key), with
 * `camel` inside long file names (camel_break), and at its spaces; as
 * typed, so a minus stays '-'.  Returns false, adding nothing, for a value
 * with non-ASCII text (a title, prose: set as body text). */
static bool
p_config_value(struct para *P, const char *v, int face, double size, const char *after_set,
    bool camel)
{
	for (const char *q = v; *q; q++)
		if ((unsigned char)*q >= 0x80 || (unsigned char)*q < 0x20)
			return false;
	const char *a = v;
	struct strbuf piece = {0};
	double pen = 0;
	for (const char *q = v; ; q++) {
		bool space = *q == ' ';
		bool hump = camel && q > a && camel_break(v, q);
		bool after = q > a && *q != '\0' && !space &&
		    (strchr(after_set, q[-1]) != NULL || hump);
		if (*q == '\0' || space || after) {
			/* as typed: the appendix shows what report.conf and --set
			 * accept, so a minus stays ASCII '-' (monospace) */
			piece.n = 0;
			strbuf_putn(&piece, a, (size_t)(q - a));
			if (piece.n > 0) {
				p_text(P, piece.s, piece.n, face, size, NULL, true);
				P->sp[P->n - 1].break_penalty = pen;
			}
			pen = 0;
			if (after) {
				p_text(P, "\xe2\x80\x8b", 3, face, size, NULL, false);
				if (hump && strchr(after_set, q[-1]) == NULL)
					pen = CAMEL_PENALTY;
			}
			if (space)
				p_text(P, " ", 1, face, size, NULL, false);
			if (*q == '\0')
				break;
			a = space ? q + 1 : q;
		}
	}
	free(piece.s);
	return true;
}

/* A config value in an appendix cell: monospace and as typed
 * (p_config_value), breaking after '/' ',' '+' and inside long file names;
 * prose (a title) as body text, breaking after any '/'. */
static void
config_cell(struct para *P, const char *v)
{
	if (p_config_value(P, v, F_CODE, SMALL * CODE_SCALE, "/,+", true))
		return;
	struct strbuf t = {0};
	for (const char *q = v; *q; q++) {
		strbuf_putn(&t, q, 1);
		if (*q == '/' && q[1] != '\0')
			strbuf_puts(&t, "\xe2\x80\x8b");
	}
	if (t.n > 0)
		p_text(P, t.s, t.n, F_BODY, SMALL, NULL, false);
	free(t.s);
}

/* The appendix: every parameter, its value as typed, whether it differs
 * from the default (and then the default) and where the value came from. */
static void
build_parameters(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	build_blocks(C, &b->children, bc);
	static const char *const head[] = {"参数", "值", "是否修改", "来源"};
	static const enum doc_align align[] = {DOC_ALIGN_LEFT, DOC_ALIGN_LEFT, DOC_ALIGN_LEFT,
		DOC_ALIGN_LEFT};
	size_t nc = 4, nr = (size_t)C->nkeys + 1;
	struct tgeom G = {0};
	G.node = b;
	G.nrows = nr;
	G.ncols = nc;
	G.align = align;
	G.params = true;
	G.cells = xcalloc(nr * nc, sizeof *G.cells);
	for (size_t k = 0; k < nc; k++) {
		struct para *P = &G.cells[k].P;
		para_init(P, C, F_SANS_BOLD, SMALL, bc->w / 4);
		P->no_hyphens = true;
		P->ragged = true;
		p_text(P, head[k], strlen(head[k]), F_SANS_BOLD, SMALL, NULL, false);
	}
	for (size_t r = 1; r < nr; r++) {
		const struct config_key_info *K = &C->keys[r - 1];
		for (size_t k = 0; k < nc; k++) {
			struct para *P = &G.cells[r * nc + k].P;
			para_init(P, C, F_BODY, SMALL, bc->w / 4);
			P->ragged = true;
			switch (k) {
			case 0: /* a key may break after its dots */
				p_config_value(P, K->name, F_CODE, SMALL * CODE_SCALE, ".", false);
				break;
			case 1:
				config_cell(P, K->value);
				break;
			case 2: /* 否, or 是 and the default it differs from */
				if (K->is_default) {
					p_text(P, "否", strlen("否"), F_BODY, SMALL, NULL, false);
				} else {
					static const char yes[] = "是，默认 ";
					p_text(P, yes, strlen(yes), F_BODY, SMALL, NULL, false);
					config_cell(P, K->default_value);
				}
				break;
			default: /* an origin may break after the ':' of file:line */
				p_config_value(P, K->origin, F_BODY, SMALL, ":/", false);
				break;
			}
		}
	}
	table_chunks(C, &G, -1, NULL, bc);
	free(G.cells);
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = *(const struct ref *const *)a, *y = *(const struct ref *const *)b;
	return (x->number > y->number) - (x->number < y->number);
}

/* "[n] entry", hanging, in citation order; each entry a destination. */
static void
build_references(struct ctx *C, const struct doc_block *b, const struct bctx *bc)
{
	const struct ref **list = xcalloc(b->nrefs + 1, sizeof *list);
	size_t n = 0;
	for (size_t i = 0; i < C->nrefs; i++)
		if (C->refs[i].r >= b->refs && C->refs[i].r < b->refs + b->nrefs)
			list[n++] = &C->refs[i];
	qsort(list, n, sizeof *list, ref_cmp);
	double labw = 0;
	char lab[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(lab, sizeof lab, "[%d]", list[i]->number);
		double w = face_width(C, F_BODY, BODY, lab, strlen(lab));
		if (w > labw)
			labw = w;
	}
	double text_x = labw + 0.6 * BODY;
	struct bctx ic = {bc->x + text_x, bc->w - text_x, bc->list_level, bc->note_depth};
	for (size_t i = 0; i < n; i++) {
		snprintf(lab, sizeof lab, "[%d]", list[i]->number);
		const char *dest = keep_str(C, xasprintf("cite:%s", list[i]->r->key));
		struct label L = {lab, F_BODY, -0.6 * BODY, dest};
		build_paragraph(C, &list[i]->r->text, &ic, 0, &L);
	}
	free(list);
}

static void
build_blocks(struct ctx *C, const struct doc_blocks *bl, const struct bctx *bc)
{
	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];
		switch (b->kind) {
		case DOC_HEADING:
			build_heading(C, b);
			break;
		case DOC_PARAGRAPH: {
			size_t nc0 = C->nc;
			build_paragraph(C, &b->text, bc, bc->list_level > 0 ? 0 : INDENT, NULL);
			if (i + 1 < bl->n && (bl->items[i + 1].kind == DOC_TABLE ||
			    bl->items[i + 1].kind == DOC_FIGURE) && !runin_heading(&b->text))
				release_last_line(C, nc0);
			break;
		}
		case DOC_LIST:
			build_list(C, b, bc);
			break;
		case DOC_DISPLAY_MATH:
			build_display(C, b, bc);
			break;
		case DOC_FIGURE:
			build_figure(C, b);
			break;
		case DOC_TABLE:
			build_table(C, b, bc);
			break;
		case DOC_NOTE:
			build_note(C, b, bc);
			break;
		case DOC_REFERENCES:
			build_references(C, b, bc);
			break;
		case DOC_PARAMETERS:
			build_parameters(C, b, bc);
			break;
		case DOC_IF: /* not in the view */
			break;
		}
	}
}

/* ---- the contents */

/* Dots on a pitch fixed from the text block's left edge, so that leaders
 * line up down the page, from `from` to `to`. */
static void
leaders(struct ctx *C, double from, double to, double y)
{
	double dw = font_width(C, LAY_SERIF, BODY, ".", 1);
	double pitch = dw * 1.6 > LEADER_PITCH ? dw * 1.6 : LEADER_PITCH;
	double start = ceil(from / pitch) * pitch;
	int n = (int)floor((to - start) / pitch + EPS);
	if (n <= 0)
		return;
	char *dots = xcalloc((size_t)n + 1, 1);
	memset(dots, '.', (size_t)n);
	/* each dot centred in its pitch */
	double sp = pitch - dw;
	text_box(C, start + sp / 2, y, LAY_SERIF, BODY, sp, dots, (size_t)n, n * pitch - sp);
	free(dots);
}

static void
build_toc(struct ctx *C)
{
	heading_chunk(C, C->toc_target, NULL, "目录");
	bool first = true;
	for (size_t t = 0; t < C->nt; t++) {
		const struct target *T = &C->t[t];
		if (T->kind != T_SEC || T->level > 2 || t == C->toc_target)
			continue;
		int face = T->level == 1 ? F_SANS : F_BODY;
		double numx = T->level == 1 ? 0 : 1.8 * BODY;
		double titlex = numx + (T->level == 1 ? 1.8 : 2.6) * BODY;
		char page[24] = "";
		if (T->page >= 0)
			snprintf(page, sizeof page, "%d", T->page + 1);
		request(C, (int)t, NULL, T->page);
		double pw = face_width(C, face, BODY, page, strlen(page));
		struct para P;
		double width = C->g.tw - titlex - 3 * BODY;
		para_init(&P, C, face, BODY, width);
		P.no_hyphens = true; /* a heading */
		p_inlines(&P, &T->blk->text, face);
		struct lb_line *lines;
		size_t n = para_break(&P, width, 0, &lines);
		for (size_t i = 0; i < n; i++) {
			size_t ci = chunk_open(C, CK_LINE, true);
			double asc = ASC * BODY, desc = DESC * BODY;
			if (i == 0 && T->numbered)
				face_text(C, face, BODY, numx, 0, 0, T->num, strlen(T->num), false);
			emit_line(C, &P, &lines[i], titlex, 0, &asc, &desc);
			if (i + 1 == n) {
				leaders(C, titlex + line_end(&lines[i]) + 0.6 * BODY, C->g.tw - 2.2 * BODY, 0);
				face_text(C, face, BODY, C->g.tw - pw, 0, 0, page, strlen(page), false);
			}
			link_box(C, i == 0 ? numx : titlex, -0.25 * BODY,
			    C->g.tw - (i == 0 ? numx : titlex), 1.2 * BODY, T->dest);
			struct chunk *c = &C->c[ci];
			c->grid = true;
			c->ih = asc;
			c->id = desc;
			c->h = asc > STRUT_H ? asc : STRUT_H;
			c->d = desc > STRUT_D ? desc : STRUT_D;
			c->keep = i + 1 < n;
			if (i == 0 && T->level == 1 && !first)
				c->sb = TOC_GROUP_SKIP;
			chunk_close(C, ci);
		}
		first = false;
		lb_lines_free(lines, n);
		para_free(&P);
	}
	size_t bi = chunk_open(C, CK_BREAK, true);
	chunk_close(C, bi);
}

/* A heading keeps with two lines of what follows it. */
static void
keep_headings(struct ctx *C)
{
	for (size_t i = 0; i < C->nflow; i++) {
		const struct chunk *h = &C->c[C->flow[i]];
		if (h->heading < 0)
			continue;
		size_t j = i + 1;
		while (j < C->nflow && C->c[C->flow[j]].kind == CK_ANCHOR)
			j++;
		if (j >= C->nflow)
			continue;
		struct chunk *next = &C->c[C->flow[j]];
		if (next->kind == CK_LINE && next->heading < 0)
			next->keep = true;
	}
}

/* ------------------------------------------------------------ pages */

struct pager {
	struct ctx *C;
	int page;
	double bottom;            /* the lowest extent placed on the page */
	double sa;                /* the space the last chunk wants after it */
	bool empty;               /* nothing placed on the page yet */
	bool after_line;          /* the last chunk placed is a line of text */
	double line_base, line_ink; /* its baseline and the bottom of its ink */
	bool flow_on_page;        /* a chunk of the flow is on the page */
	size_t pl0;               /* the page's first placement */
	int *queue;               /* figures waiting for a page top */
	size_t qhead, qtail, qcap;
};

/* A line of text (not a heading, nothing wanted around it). */
static bool
plain_line(const struct chunk *c)
{
	return c->kind == CK_LINE && c->heading < 0 && c->sb == 0 && c->sa == 0 &&
	    c->sb_fixed == 0;
}

static double
chunk_base(const struct pager *S, const struct chunk *c, double *slack)
{
	double gap = S->empty ? c->sb_fixed : (S->sa > c->sb ? S->sa : c->sb) + c->sb_fixed;
	double need = S->bottom + gap + c->h;
	/* between two lines of text TeX's rule: baselines a line apart, further
	 * only when their ink would come closer than 1 pt (a fraction in the
	 * text); lines taller than the struts need not cost a whole line */
	if (!S->empty && S->after_line && plain_line(c)) {
		need = S->line_base + LEAD;
		if (S->line_ink + 1.0 + c->ih > need)
			need = S->line_ink + 1.0 + c->ih;
	}
	*slack = 0;
	if (!c->grid)
		return need;
	int k = (int)ceil((need + c->shift - STRUT_H) / LEAD - 1e-6);
	if (k < 0)
		k = 0;
	double base = grid(k) - c->shift;
	*slack = base - need;
	return base;
}

static bool
chunk_fits(const struct pager *S, const struct chunk *c, double base)
{
	const struct geom *g = &S->C->g;
	if (c->grid)
		return base + c->shift <= grid(g->nlines - 1) + 1e-6 &&
		    base + c->shift + STRUT_D + c->reserve <= g->th + 1e-6;
	return base + c->d + c->reserve <= g->th + 1e-6;
}

static void
put(struct pager *S, size_t chunk, double base, int kind, size_t flow, double slack)
{
	struct ctx *C = S->C;
	GROW(C->pl, C->npl, C->plcap);
	C->pl[C->npl++] = (struct place){chunk, S->page, base, kind, flow, S->qtail, slack, 0};
	const struct chunk *c = &C->c[chunk];
	if (kind != PL_TEND) {
		S->bottom = base + c->d;
		S->sa = c->sa;
		S->empty = false;
		S->after_line = kind == PL_CHUNK && plain_line(c);
		S->line_base = base;
		S->line_ink = base + c->id;
	}
}

static void
new_page(struct pager *S)
{
	struct ctx *C = S->C;
	S->page++;
	S->bottom = 0;
	S->sa = 0;
	S->empty = true;
	S->after_line = false;
	S->flow_on_page = false;
	S->pl0 = C->npl;
	while (S->qhead < S->qtail) {
		struct target *T = &C->t[S->queue[S->qhead]];
		const struct chunk *c = &C->c[T->float_chunk];
		if (T->min_page > S->page)
			break;
		double slack;
		double base = chunk_base(S, c, &slack);
		if (!chunk_fits(S, c, base) && !S->empty)
			break;
		put(S, T->float_chunk, base, PL_FLOAT, SIZE_MAX, 0);
		S->qhead++;
	}
}

/* When the page ends inside a table, its last row gets the bottom rule. */
static void
close_table(struct pager *S, size_t next_flow)
{
	struct ctx *C = S->C;
	if (next_flow >= C->nflow || C->npl == S->pl0)
		return;
	const struct place *last = NULL;
	for (size_t p = C->npl; p-- > S->pl0; )
		if (C->pl[p].kind == PL_CHUNK || C->pl[p].kind == PL_CONT) {
			last = &C->pl[p];
			break;
		}
	if (last == NULL)
		return;
	const struct chunk *a = &C->c[last->chunk], *b = &C->c[C->flow[next_flow]];
	if (a->table >= 0 && a->table == b->table && b->trow == TR_BODY &&
	    (a->trow == TR_BODY || a->trow == TR_HEADER)) {
		size_t ch = last->chunk;
		double base = last->base;
		put(S, ch, base, PL_TEND, SIZE_MAX, 0);
	}
}

static void
paginate(struct ctx *C)
{
	struct pager S = {0};
	S.C = C;
	C->npl = 0;
	S.page = 0; /* the title page */
	new_page(&S);
	size_t i = 0;
	while (i < C->nflow) {
		size_t ci = C->flow[i];
		const struct chunk *c = &C->c[ci];
		double slack, base;
		if (c->kind == CK_BREAK) {
			if (!S.empty)
				new_page(&S);
			i++;
			continue;
		}
		if (c->kind == CK_ANCHOR) {
			struct target *T = &C->t[c->target];
			const struct chunk *fc = &C->c[T->float_chunk];
			bool placed = false;
			if (S.qhead == S.qtail && T->min_page <= S.page) {
				base = chunk_base(&S, fc, &slack);
				if (chunk_fits(&S, fc, base)) {
					put(&S, T->float_chunk, base, PL_FLOAT, i, 0);
					placed = true;
				}
			}
			if (!placed) {
				GROW(S.queue, S.qtail, S.qcap);
				S.queue[S.qtail++] = c->target;
			}
			i++;
			continue;
		}
		/* a table going on from the page before: its header again */
		bool cont = false;
		if (c->trow == TR_BODY && !S.flow_on_page && i > 0 &&
		    C->c[C->flow[i - 1]].table == c->table) {
			size_t hc = C->tab[c->table].cont;
			base = chunk_base(&S, &C->c[hc], &slack);
			put(&S, hc, base, PL_CONT, SIZE_MAX, 0);
			cont = true;
		}
		base = chunk_base(&S, c, &slack);
		if (chunk_fits(&S, c, base) || S.empty || (cont && !S.flow_on_page &&
		    C->npl == S.pl0 + 1)) {
			put(&S, ci, base, PL_CHUNK, i, slack);
			S.flow_on_page = true;
			i++;
			continue;
		}
		if (cont) /* retract the header: the row goes on the next page */
			C->npl--;
		if (S.flow_on_page) {
			/* back to the last chunk after which the page may end */
			for (size_t p = C->npl; p-- > S.pl0; ) {
				const struct place *pl = &C->pl[p];
				if (pl->kind == PL_CHUNK && !C->c[pl->chunk].keep) {
					i = pl->flow + 1;
					S.qtail = pl->qtail;
					C->npl = p + 1;
					break;
				}
			}
		}
		close_table(&S, i);
		new_page(&S);
	}
	/* figures still waiting */
	while (S.qhead < S.qtail) {
		size_t before = S.qhead;
		new_page(&S);
		if (S.qhead == before)
			C->t[S.queue[S.qhead]].min_page = S.page;
	}
	C->npages = S.page + 1;
	free(S.queue);
}

/* Splits the space snapping added before a grid line evenly above and below
 * the blocks (displays, tables, figures) standing between two grid lines. */
static void
balance(struct ctx *C)
{
	size_t run = SIZE_MAX; /* the first placement of the current non-grid run */
	int page = -1;
	bool grid_before = false;
	for (size_t p = 0; p < C->npl; p++) {
		struct place *pl = &C->pl[p];
		if (pl->page != page) {
			page = pl->page;
			run = SIZE_MAX;
			grid_before = false;
		}
		bool grid = pl->kind == PL_CHUNK && C->c[pl->chunk].grid;
		if (!grid) {
			if (run == SIZE_MAX)
				run = p;
			continue;
		}
		if (run != SIZE_MAX && grid_before && pl->slack > 1e-6)
			for (size_t q = run; q < p; q++)
				C->pl[q].base += pl->slack / 2;
		run = SIZE_MAX;
		grid_before = true;
	}
}

/* The pages of targets and cross-references, from the placements. */
static void
collect_pages(struct ctx *C)
{
	for (size_t t = 0; t < C->nt; t++) {
		C->t[t].page_new = -1;
		C->t[t].mention_page = -1;
	}
	pmap_free(&C->xpage_new);
	for (size_t p = 0; p < C->npl; p++) {
		const struct place *pl = &C->pl[p];
		if (pl->kind == PL_TEND || pl->kind == PL_CONT)
			continue;
		const struct chunk *c = &C->c[pl->chunk];
		for (size_t k = 0; k < c->nm; k++) {
			const struct mark *m = &C->m[c->m0 + k];
			struct target *T = &C->t[m->target];
			if (m->kind == MK_TARGET) {
				if (T->page_new < 0)
					T->page_new = pl->page;
			} else {
				int old;
				if (!pmap_get(&C->xpage_new, m->node, &old))
					pmap_set(&C->xpage_new, m->node, pl->page);
				if (pl->kind == PL_CHUNK && T->kind == T_FIG && T->mention_page < 0)
					T->mention_page = pl->page;
			}
		}
	}
}

/* True when the pages the build used are the pages it produced; else sets
 * the figures' lower bounds and carries the pages over to the next pass. */
static bool
settle(struct ctx *C)
{
	bool stable = true;
	for (size_t i = 0; i < C->nrq; i++) {
		const struct request *r = &C->rq[i];
		int tp = C->t[r->target].page_new, out = tp;
		if (r->node != NULL) {
			int xp = -1;
			pmap_get(&C->xpage_new, r->node, &xp);
			out = xp >= 0 && tp >= 0 && !near_pages(xp, tp) ? tp : -1;
		}
		if (out != r->used)
			stable = false;
	}
	for (size_t t = 0; t < C->nt; t++) {
		struct target *T = &C->t[t];
		if (T->kind == T_FIG && T->page_new >= 0 && T->mention_page > T->page_new &&
		    T->min_page < T->mention_page) {
			T->min_page = T->mention_page;
			stable = false;
		}
		T->page = T->page_new;
	}
	pmap_free(&C->xpage);
	C->xpage = C->xpage_new;
	memset(&C->xpage_new, 0, sizeof C->xpage_new);
	return stable;
}

/* ------------------------------------------------------------ output */

static struct lay_box *
page_box(struct lay_page *pg, enum lay_box_kind kind)
{
	return box_append(&pg->boxes, &pg->n, &pg->cap, kind);
}

static void
page_copy(struct lay_page *pg, const struct lay_box *src, double dx, double dy)
{
	struct lay_box *b = page_box(pg, src->kind);
	*b = *src;
	b->x += dx;
	b->y += dy;
	b->text = src->text ? xstrdup(src->text) : NULL;
}

/* One line of text (CJK-Latin gaps as in the body) aligned in [x0, x0 +
 * w]: align -1 left, 0 centre, 1 right; baseline at y (page coordinates). */
static void
page_text(struct ctx *C, struct lay_page *pg, int face, double size, struct lay_color color,
    double x0, double w, int align, double y, const char *s)
{
	struct para P;
	para_init(&P, C, face, size, w);
	P.no_hyphens = true;
	p_text(&P, s, strlen(s), face, size, NULL, false);
	struct lb_line *lines;
	size_t n = para_break(&P, 1e7, 0, &lines);
	size_t b0 = C->nb;
	if (n > 0) {
		double tw = line_end(&lines[0]);
		double x = align < 0 ? x0 : align == 0 ? x0 + (w - tw) / 2 : x0 + w - tw;
		double a = 0, d = 0;
		emit_line(C, &P, &lines[0], x, y, &a, &d);
	}
	for (size_t i = b0; i < C->nb; i++) {
		page_copy(pg, &C->b[i], 0, 0);
		pg->boxes[pg->n - 1].color = color;
	}
	C->nb = b0;
	lb_lines_free(lines, n);
	para_free(&P);
}

/* The title page: title, author, and where the numbers come from. */
static void
title_page(struct ctx *C, struct lay_page *pg)
{
	const char *title = C->cfg ? C->cfg->document.title : "";
	const char *author = C->cfg ? C->cfg->document.author : "";
	double size = 24.0, y = C->g.ph * 0.64;
	struct para P;
	para_init(&P, C, F_SANS_BOLD, size, C->g.tw);
	P.no_hyphens = true;
	p_text(&P, title, strlen(title), F_SANS_BOLD, size, NULL, false);
	struct lb_line *lines;
	size_t n = para_break(&P, C->g.tw, 0, &lines);
	size_t b0 = C->nb;
	for (size_t i = 0; i < n; i++) {
		double a = 0, d = 0, off = (C->g.tw - line_end(&lines[i])) / 2;
		emit_line(C, &P, &lines[i], off > 0 ? off : 0, -(double)i * 1.4 * size, &a, &d);
	}
	double left = C->g.inner;
	for (size_t i = b0; i < C->nb; i++)
		page_copy(pg, &C->b[i], left, y);
	C->nb = b0;
	lb_lines_free(lines, n);
	para_free(&P);
	y -= n > 0 ? (double)(n - 1) * 1.4 * size : 0;
	/* the subtitle: the first template's paragraphs before its first
	 * heading, centred in a narrower measure under the title */
	double ssize = SUBTITLE_SIZE, sw = 0.8 * C->g.tw;
	if (C->nsubtitle > 0)
		y -= 0.5 * size;
	for (size_t k = 0; k < C->nsubtitle; k++) {
		struct strbuf b = {0};
		strbuf_puts(&b, "");
		plain_inlines(C, &C->view.items[k].text, ssize, &b);
		struct para S;
		para_init(&S, C, F_BODY, ssize, sw);
		p_text(&S, b.s, strlen(b.s), F_BODY, ssize, NULL, false);
		size_t ns = para_break(&S, sw, 0, &lines);
		for (size_t i = 0; i < ns; i++) {
			double a = 0, d = 0, off = (C->g.tw - line_end(&lines[i])) / 2;
			y -= 1.6 * ssize;
			size_t s0 = C->nb;
			emit_line(C, &S, &lines[i], off > 0 ? off : 0, 0, &a, &d);
			for (size_t j = s0; j < C->nb; j++)
				page_copy(pg, &C->b[j], left, y);
			C->nb = s0;
		}
		lb_lines_free(lines, ns);
		para_free(&S);
		free(b.s);
		if (k + 1 < C->nsubtitle)
			y -= 0.6 * ssize;
	}
	y -= 1.2 * size;
	struct lay_box *r = page_box(pg, LAY_RULE);
	r->w = 0.3 * C->g.tw;
	r->x = left + (C->g.tw - r->w) / 2;
	r->y = y;
	r->h = 0.6;
	y -= 2.2 * 14.0;
	page_text(C, pg, F_BODY, 14.0, INK, left, C->g.tw, 0, y, author);
	page_text(C, pg, F_BODY, SMALL, GREY, left, C->g.tw, 0, C->g.top - C->g.th + 2 * LEAD,
	    "文中的数值、表格与图形均由 report.conf 中的参数计算生成。");
}

static char *
heading_text(const struct target *T)
{
	return T->numbered ? xasprintf("%s %s", T->num, T->title) : xstrdup(T->title);
}

static struct lay_document *
emit(struct ctx *C)
{
	struct lay_document *ld = xcalloc(1, sizeof *ld);
	ld->width = C->g.pw;
	ld->height = C->g.ph;
	ld->npages = (size_t)C->npages;
	ld->pages = xcalloc(ld->npages, sizeof *ld->pages);
	for (size_t p = 0; p < ld->npages; p++) {
		struct lay_page *pg = &ld->pages[p];
		pg->text_left = p % 2 == 0 ? C->g.inner : C->g.outer;
		pg->text_right = pg->text_left + C->g.tw;
		pg->text_top = C->g.top;
		pg->text_bottom = C->g.top - C->g.th;
	}
	title_page(C, &ld->pages[0]);

	/* the running header's section, as LaTeX's \rightmark: the first
	 * level-1 section that starts on the page, else the one current at
	 * its first line */
	int *sec = xcalloc(ld->npages, sizeof *sec);
	bool *opened = xcalloc(ld->npages, sizeof *opened);
	for (size_t p = 0; p < ld->npages; p++)
		sec[p] = -2;
	int cur = -1, body_page = C->npages;
	for (size_t p = 0; p < C->npl; p++) {
		const struct place *pl = &C->pl[p];
		if (pl->kind != PL_CHUNK)
			continue;
		const struct chunk *c = &C->c[pl->chunk];
		if (pl->flow == C->body_flow && body_page == C->npages) {
			cur = -1; /* the contents are over */
			body_page = pl->page;
		}
		if (sec[pl->page] == -2)
			sec[pl->page] = cur;
		if (c->heading1) {
			cur = c->heading;
			if (!opened[pl->page])
				sec[pl->page] = cur;
			opened[pl->page] = true;
		}
	}
	free(opened);

	/* note frames, page by page, before the text they hold */
	double *ftop = xcalloc(C->nfr + 1, sizeof *ftop), *fbot = xcalloc(C->nfr + 1, sizeof *fbot);
	size_t p0 = 0;
	for (int page = 1; page < C->npages; page++) {
		size_t p1 = p0;
		while (p1 < C->npl && C->pl[p1].page == page)
			p1++;
		struct lay_page *pg = &ld->pages[page];
		for (size_t f = 0; f < C->nfr; f++) {
			ftop[f] = DBL_MAX;
			fbot[f] = -DBL_MAX;
		}
		for (size_t f = C->nfr; f-- > 0; ) {
			const struct frame *F = &C->fr[f];
			for (size_t p = p0; p < p1; p++) {
				const struct place *pl = &C->pl[p];
				if (pl->kind != PL_CHUNK || pl->chunk < F->c0 || pl->chunk >= F->c1)
					continue;
				const struct chunk *c = &C->c[pl->chunk];
				if (pl->base - c->h < ftop[f])
					ftop[f] = pl->base - c->h;
				if (pl->base + c->d > fbot[f])
					fbot[f] = pl->base + c->d;
			}
			if (ftop[f] == DBL_MAX)
				continue;
			ftop[f] -= NOTE_PAD_V;
			fbot[f] += NOTE_PAD_V;
			/* the enclosing note holds this one */
			for (size_t g = f; g-- > 0; )
				if (C->fr[g].depth == F->depth - 1 && C->fr[g].c0 <= F->c0 &&
				    F->c1 <= C->fr[g].c1) {
					if (ftop[f] < ftop[g])
						ftop[g] = ftop[f];
					if (fbot[f] > fbot[g])
						fbot[g] = fbot[f];
					break;
				}
		}
		for (size_t f = 0; f < C->nfr; f++) {
			if (ftop[f] == DBL_MAX)
				continue;
			struct lay_box *b = page_box(pg, LAY_FRAME);
			b->x = pg->text_left + C->fr[f].x;
			b->w = C->fr[f].w;
			b->y = C->g.top - fbot[f];
			b->h = fbot[f] - ftop[f];
			b->color = NOTE_LINE;
			b->fill = NOTE_FILL;
			b->filled = true;
			b->line_width = NOTE_RULE;
		}
		for (size_t p = p0; p < p1; p++) {
			const struct place *pl = &C->pl[p];
			const struct chunk *c = &C->c[pl->chunk];
			double y = C->g.top - pl->base;
			if (pl->kind == PL_TEND) {
				const struct table *T = &C->tab[c->table];
				struct lay_box *b = page_box(pg, LAY_RULE);
				b->x = pg->text_left + T->x;
				b->w = T->w;
				b->y = y - (c->d + RULE_ABOVE + RULE_HEAVY);
				b->h = RULE_HEAVY;
				continue;
			}
			for (size_t k = 0; k < c->nb; k++)
				page_copy(pg, &C->b[c->b0 + k], pg->text_left, y);
		}
		/* the running header, as in a book printed on both sides: the
		 * title at the outer edge of a verso (even page number: index
		 * 1, 3, ...), the section at the outer edge of a recto; none
		 * on the contents.  The footer on every page but the first. */
		if (page >= body_page) {
			double hy = C->g.top + 14.0;
			if (page % 2 == 1) {
				const char *title = C->cfg ? C->cfg->document.title : "";
				page_text(C, pg, F_SANS, HF_SIZE, GREY, pg->text_left, C->g.tw, -1,
				    hy, title);
			} else if (sec[page] >= 0) {
				char *s = heading_text(&C->t[sec[page]]);
				page_text(C, pg, F_SANS, HF_SIZE, GREY, pg->text_left, C->g.tw, 1,
				    hy, s);
				free(s);
			}
			struct lay_box *r = page_box(pg, LAY_RULE);
			r->x = pg->text_left;
			r->w = C->g.tw;
			r->y = C->g.top + 10.0;
			r->h = 0.4;
			r->color = GREY;
		}
		char foot[64];
		snprintf(foot, sizeof foot, "第 %d 页 / 共 %d 页", page + 1, C->npages);
		page_text(C, pg, F_BODY, HF_SIZE, INK, pg->text_left, C->g.tw, 0,
		    C->g.top - C->g.th - 2.0 * LEAD, foot);
		p0 = p1;
	}
	free(ftop);
	free(fbot);
	free(sec);

	/* bookmarks: the contents, then every heading */
	size_t ocap = 0;
	for (size_t t = 0; t < C->nt; t++) {
		const struct target *T = &C->t[t];
		if (T->kind != T_SEC)
			continue;
		GROW(ld->outlines, ld->noutlines, ocap);
		struct lay_outline *o = &ld->outlines[ld->noutlines++];
		o->level = T->level;
		o->title = heading_text(T);
		o->dest = xstrdup(T->dest);
		o->page = T->page_new;
	}
	return ld;
}

/* ------------------------------------------------------------ passes */

static void
pass_reset(struct ctx *C)
{
	for (size_t i = 0; i < C->nstrs; i++)
		free(C->strs[i]);
	C->nstrs = C->nc = C->nb = C->nm = C->nflow = C->nfr = C->ntab = C->nrq = C->npl = 0;
}

static void
ctx_free(struct ctx *C)
{
	pass_reset(C);
	free(C->strs);
	free(C->c);
	free(C->b);
	free(C->m);
	free(C->flow);
	free(C->fr);
	free(C->tab);
	for (size_t i = 0; i < C->ntm; i++) {
		free(C->tm[i].colw);
		free(C->tm[i].colx);
		free(C->tm[i].natural);
	}
	free(C->tm);
	free(C->rq);
	free(C->pl);
	for (size_t i = 0; i < C->nt; i++) {
		free(C->t[i].dest);
		free(C->t[i].title);
	}
	free(C->t);
	free(C->tsorted);
	free(C->refs);
	free(C->refsorted);
	for (size_t i = 0; i < C->nmc; i++)
		math_box_free(C->mc[i].box);
	free(C->mc);
	pmap_free(&C->mhead);
	for (size_t i = 0; i < C->wccap; i++)
		free(C->wc[i].s);
	free(C->wc);
	for (size_t i = 0; i < C->lbccap; i++)
		if (C->lbc[i].key != NULL) {
			free(C->lbc[i].key);
			lb_lines_free(C->lbc[i].lines, C->lbc[i].n);
		}
	free(C->lbc);
	pmap_free(&C->tblock);
	view_free(&C->view);
	pmap_free(&C->xpage);
	pmap_free(&C->xpage_new);
	free(C->keys);
}

/* Sets up C for doc and resolves every name in it and sets every formula
 * (check_blocks); false after reporting errors.  The caller frees C either
 * way. */
static bool
ctx_prepare(struct ctx *C, const struct doc *doc, const struct report_config *cfg,
    const struct config_source *src, const struct registry *reg,
    const struct figure_set *figs, const struct lay_metrics *metrics)
{
	C->doc = doc;
	C->cfg = cfg;
	C->src = src;
	C->reg = reg;
	C->figs = figs;
	C->M = metrics;
	geometry(cfg, &C->g);

	C->nkeys = cfg ? config_key_count() : 0;
	C->keys = xcalloc((size_t)C->nkeys + 1, sizeof *C->keys);
	for (int i = 0; i < C->nkeys; i++)
		config_key_info(i, cfg, src, &C->keys[i]);

	/* numbers and names */
	add_target(C, T_SEC, NULL);
	C->toc_target = C->nt - 1;
	C->t[C->toc_target].level = 1;
	C->t[C->toc_target].dest = xstrdup("toc");
	C->t[C->toc_target].title = xstrdup("目录");
	check_conditions(C, &doc->blocks);
	select_blocks(C, &doc->blocks, &C->view);
	struct counters k = {0};
	number_blocks(C, &C->view, &k);
	/* the first template's paragraphs before its first heading are the
	 * subtitle (set on the title page, not in the body) */
	while (doc->nfiles > 0 && C->nsubtitle < C->view.n &&
	    C->view.items[C->nsubtitle].kind == DOC_PARAGRAPH &&
	    C->view.items[C->nsubtitle].loc.file == doc->files[0])
		C->nsubtitle++;
	C->tsorted = xcalloc(C->nt + 1, sizeof *C->tsorted);
	for (size_t i = 0; i < C->nt; i++)
		if (C->t[i].label != NULL)
			C->tsorted[C->ntsorted++] = (struct name_index){C->t[i].label, i};
	qsort(C->tsorted, C->ntsorted, sizeof *C->tsorted, name_cmp);
	C->refsorted = xcalloc(C->nrefs + 1, sizeof *C->refsorted);
	for (size_t i = 0; i < C->nrefs; i++)
		C->refsorted[i] = (struct name_index){C->refs[i].r->key, i};
	qsort(C->refsorted, C->nrefs, sizeof *C->refsorted, name_cmp);

	/* every name resolved, every formula set, citations numbered */
	check_blocks(C, &C->view);
	check_unselected(C, &doc->blocks);
	for (size_t i = 0; i < C->nrefs; i++)
		if (C->refs[i].number == 0)
			C->refs[i].number = ++C->ncited;
	return C->errors == 0;
}

struct lay_document *
layout_document(const struct doc *doc, const struct report_config *cfg,
    const struct config_source *src, const struct registry *reg,
    const struct figure_set *figs, const struct lay_metrics *metrics)
{
	if (doc == NULL || metrics == NULL)
		return NULL;
	struct ctx C0 = {0}, *C = &C0;
	if (!ctx_prepare(C, doc, cfg, src, reg, figs, metrics)) {
		ctx_free(C);
		return NULL;
	}
	for (size_t i = 0; i < C->nt; i++) {
		struct target *T = &C->t[i];
		if (T->kind == T_SEC && T->blk != NULL) {
			struct strbuf b = {0};
			strbuf_puts(&b, "");
			plain_inlines(C, &T->blk->text, heading_size[T->level - 1], &b);
			T->title = b.s;
		}
	}

	struct bctx body = {0, C->g.tw, 0, 0};
	for (int pass = 0; pass < 4; pass++) {
		pass_reset(C);
		build_toc(C);
		C->body_flow = C->nflow;
		struct doc_blocks rest = {C->view.items + C->nsubtitle,
		    C->view.n - C->nsubtitle};
		build_blocks(C, &rest, &body);
		keep_headings(C);
		paginate(C);
		collect_pages(C);
		bool stable = settle(C);
		if (stable)
			break;
	}
	balance(C);
	struct lay_document *ld = emit(C);
	ctx_free(C);
	return ld;
}

/* Stand-in measurements for layout_check: every character half an em wide
 * (CJK a full em), every glyph 0.75 em above and 0.25 em below the
 * baseline.  Whether a formula or a name is valid never depends on them. */
static bool
is_wide(const unsigned char *p)
{
	return p[0] >= 0xe3 && p[0] <= 0xe9;
}

static double
check_text_width(const char *utf8, size_t len, double size)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)utf8;
	    p < (const unsigned char *)utf8 + len; p++)
		if ((*p & 0xc0) != 0x80)
			w += is_wide(p) ? size : 0.5 * size;
	return w;
}

static double
check_lay_width(void *ctx, enum lay_font font, double size, const char *utf8, size_t len)
{
	(void)ctx;
	(void)font;
	return check_text_width(utf8, len, size);
}

static void
check_lay_vertical(void *ctx, enum lay_font font, double size, double *ascent, double *descent)
{
	(void)ctx;
	(void)font;
	*ascent = 0.75 * size;
	*descent = -0.25 * size;
}

static double
check_math_width(void *ctx, enum math_font font, double size, const char *utf8)
{
	(void)ctx;
	(void)font;
	return check_text_width(utf8, strlen(utf8), size);
}

static void
check_math_vertical(void *ctx, enum math_font font, double size, double *ascent,
    double *descent)
{
	(void)ctx;
	(void)font;
	*ascent = 0.75 * size;
	*descent = -0.25 * size;
}

bool
layout_check(const struct doc *doc, const struct report_config *cfg,
    const struct config_source *src, const struct registry *reg,
    const struct figure_set *figs)
{
	if (doc == NULL)
		return false;
	struct math_metrics math = {.width = check_math_width, .vertical = check_math_vertical};
	struct lay_metrics metrics = {.width = check_lay_width, .vertical = check_lay_vertical,
	    .math = &math};
	struct ctx C0 = {0}, *C = &C0;
	bool ok = ctx_prepare(C, doc, cfg, src, reg, figs, &metrics);
	ctx_free(C);
	return ok;
}

void
lay_document_free(struct lay_document *ld)
{
	if (ld == NULL)
		return;
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

/* ------------------------------------------------------------ dump */

static const char *const font_names[LAY_FONT_COUNT] = {
	[LAY_SERIF] = "serif", [LAY_SERIF_ITALIC] = "serif-italic", [LAY_SERIF_BOLD] = "serif-bold",
	[LAY_SANS] = "sans", [LAY_SANS_BOLD] = "sans-bold", [LAY_MONO] = "mono",
	[LAY_MATH_ROMAN] = "math-roman", [LAY_MATH_ITALIC] = "math-italic",
	[LAY_MATH_BOLD] = "math-bold", [LAY_MATH_SYMBOL] = "math-symbol",
};

static void
dump_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* -0.00 prints as 0.00 */
static double
z(double v)
{
	return fabs(v) < 0.005 ? 0.0 : v;
}

void
layout_dump(const struct lay_document *ld, FILE *out)
{
	if (ld == NULL)
		return;
	fprintf(out, "document %.2f x %.2f, %zu pages\n", ld->width, ld->height, ld->npages);
	for (size_t p = 0; p < ld->npages; p++) {
		const struct lay_page *pg = &ld->pages[p];
		fprintf(out, "page %zu block %.2f %.2f %.2f %.2f\n", p + 1, z(pg->text_left),
		    z(pg->text_bottom), z(pg->text_right), z(pg->text_top));
		for (size_t i = 0; i < pg->n; i++) {
			const struct lay_box *b = &pg->boxes[i];
			switch (b->kind) {
			case LAY_TEXT:
				fprintf(out, "  text %s %.2f %.2f %.2f w %.2f", font_names[b->font], b->size,
				    z(b->x), z(b->y), z(b->w));
				if (fabs(b->spacing) >= 0.005)
					fprintf(out, " sp %.2f", b->spacing);
				if (b->color.r != 0 || b->color.g != 0 || b->color.b != 0)
					fprintf(out, " rgb %.2f %.2f %.2f", b->color.r, b->color.g, b->color.b);
				fputc(' ', out);
				dump_string(out, b->text);
				break;
			case LAY_RULE:
				fprintf(out, "  rule %.2f %.2f %.2f %.2f", z(b->x), z(b->y), z(b->w), z(b->h));
				break;
			case LAY_FRAME:
				fprintf(out, "  frame %.2f %.2f %.2f %.2f line %.2f", z(b->x), z(b->y), z(b->w),
				    z(b->h), b->line_width);
				if (b->filled)
					fprintf(out, " fill %.2f %.2f %.2f", b->fill.r, b->fill.g, b->fill.b);
				break;
			case LAY_FIGURE:
				fprintf(out, "  figure %.2f %.2f %.2f %.2f (%zu items)", z(b->x), z(b->y),
				    z(b->w), z(b->h), b->figure ? b->figure->n : 0);
				break;
			case LAY_LINK:
				fprintf(out, "  link %.2f %.2f %.2f %.2f %s", z(b->x), z(b->y), z(b->w), z(b->h),
				    b->uri ? "uri " : "-> ");
				dump_string(out, b->text);
				break;
			case LAY_DEST:
				fprintf(out, "  dest %.2f %.2f ", z(b->x), z(b->y));
				dump_string(out, b->text);
				break;
			case LAY_SPAN_BEGIN:
				fputs("  span ", out);
				dump_string(out, b->text);
				break;
			case LAY_SPAN_END:
				fputs("  end-span", out);
				break;
			}
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < ld->noutlines; i++) {
		const struct lay_outline *o = &ld->outlines[i];
		fprintf(out, "outline %d page %d ", o->level, o->page + 1);
		dump_string(out, o->title);
		fprintf(out, " -> ");
		dump_string(out, o->dest);
		fputc('\n', out);
	}
}
