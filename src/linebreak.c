/* linebreak: total-fit line breaking for mixed Chinese and Latin text.
 *
 * The paragraph becomes a row of boxes (one per character cluster, one per
 * atom) with a junction between each two neighbours.  A junction is glue
 * (natural width, stretch, shrink, and the blank half of full-width
 * punctuation that may be compressed away as a last resort) and possibly a
 * break: allowed (with a penalty), allowed only by breaking a kinsoku rule,
 * or never.  Breaking at a junction discards its glue, which is how a space
 * or the CJK-Latin quarter em disappears at a line end.
 *
 * The breaker is Knuth and Plass's: every feasible break keeps the cheapest
 * way to reach it; a break stays active until a line from it would be
 * overfull even fully shrunk, so the work is O(breaks x breaks-per-line).
 * Costs compare lexicographically, worst tier first: overfull width, rules
 * broken, stretch beyond the cap, punctuation compressed, then demerits. */
#include "linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Box edge classes. */
enum { C_ID, /* ideographs, kana, hangul, full-width letters and digits */
	C_CP,    /* CJK and full-width punctuation */
	C_AL,    /* Latin, Greek, Cyrillic letters and digits; opaque boxes */
	C_SY };  /* everything else: ASCII punctuation, math symbols */

/* Junction kinds. */
enum { J_INNER, /* inside a word: no glue */
	J_CJK,      /* between CJK characters: 0 plus CJK_STRETCH */
	J_GAP,      /* CJK ideograph next to a Latin letter or digit: quarter em */
	J_SPACE };  /* one or more space characters */

/* Break kinds. */
enum { B_NEVER, B_OK, B_RULE };

/* Glue, as fractions of the style's size (the em) or of the space. */
#define CJK_STRETCH 0.1   /* inter-character stretch: 3 em over a 30-em line */
#define GAP_WIDTH 0.25    /* the CJK-Latin gap */
#define SPACE_STRETCH 0.5 /* of the natural width, as TeX's fonts */
#define SPACE_SHRINK 0.2  /* spaces shrink to 80 % */
#define LS_UNIT 0.05      /* emergency letter spacing per gap at ratio 1 */
#define R_CAP 2.0         /* stretch ratio above which a line is too loose */
#define FIRST_CAP 2.0     /* spaces and gaps stretch alone up to this ratio:
                           * a space to twice its width, the gap to half an em */

/* Penalties (TeX's values where TeX has one). */
#define LINE_PENALTY 10.0
#define HYPHEN_PENALTY 50.0      /* \hyphenpenalty, \exhyphenpenalty */
#define REL_PENALTY 500.0        /* \relpenalty: after = < > arrows */
#define BINOP_PENALTY 700.0      /* \binoppenalty: after + - x and others */
#define BEFORE_SLASH_PENALTY 500.0 /* a line starting with / or - after CJK */
#define URL_PENALTY 200.0        /* after / . : - inside a URL, arXiv id or DOI */
#define SHORT_GROUP_EMS 12.0     /* "(a, b)" up to this wide stays on one line */
#define DOUBLE_HYPHEN_DEMERITS 10000.0
#define FINAL_HYPHEN_DEMERITS 5000.0
#define MAX_BADNESS 1e6
#define RAGGED_STRETCH 2.0       /* ems: TeX's \raggedright \rightskip */

#define EPS 1e-9

struct box {
	size_t span, start, len;
	double width, size;
	unsigned lcp, rcp;   /* code points at the edges */
	unsigned char lcls, rcls;
	bool atom;           /* unbreakable span or opaque box */
	bool multi;          /* more than one code point (combining marks) */
	bool latin;          /* a Latin letter: hyphenation may split next to it */
	bool letter;         /* any letter (Latin, Greek, Cyrillic) */
	bool op;             /* a math operator character */
	double pen_before;   /* the span's break_penalty, on its first box */
	double lcomp, rcomp; /* blank half of full-width punctuation, left/right */
};

struct junc {
	double w, y, z, c; /* natural width, stretch, shrink, compressible */
	unsigned char kind, brk;
	bool hyph;         /* breaking here appends a hyphen */
	bool fullest;      /* an emergency hyphen: only where the line is fullest */
	size_t next_hyph;  /* the next hyphenation junction of the word, or 0 */
	size_t word_end;   /* hyphenation: the word's last box */
	double hyph_w;
	double pen;
	/* raw, while reading: the spaces between the two boxes */
	double sp_w;
	bool sp_break, sp_nobreak, sp_newline_only, zwsp;
};

struct cost {
	double over, viol, loose, comp, dem;
};

struct node {
	size_t pos;   /* first box of the line after this break */
	struct cost c;
	long prev;
	size_t line;  /* index of the line that starts here */
	bool hyph;    /* this break appended a hyphen */
};

struct para {
	const struct lb_span *spans;
	const struct lb_metrics *metrics;
	struct box *box;
	struct junc *junc; /* junc[j] lies between box[j] and box[j+1] */
	size_t m, cap;
	double width, indent;
	bool ragged;       /* lb_break_ragged */
	/* prefix sums: bw over boxes, the others over junctions */
	double *bw, *jw, *jy, *jz, *jc, *jg;
};

/* ---- characters ---------------------------------------------------- */

static bool
in(unsigned cp, unsigned lo, unsigned hi)
{
	return cp >= lo && cp <= hi;
}

static bool
in_list(unsigned cp, const unsigned *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == cp)
			return true;
	return false;
}

/* Spaces that separate words (a break, and glue). */
static bool
is_break_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
	    cp == '\v' || (in(cp, 0x2000, 0x200a) && cp != 0x2007) || cp == 0x205f;
}

/* Spaces that are glue but no break. */
static bool
is_nobreak_space(unsigned cp)
{
	return cp == 0xa0 || cp == 0x2007 || cp == 0x202f;
}

/* Marks that belong to the preceding character. */
static bool
is_combining(unsigned cp)
{
	return in(cp, 0x300, 0x36f) || in(cp, 0x1ab0, 0x1aff) || in(cp, 0x1dc0, 0x1dff) ||
	    in(cp, 0x20d0, 0x20ff) || in(cp, 0xfe00, 0xfe0f) || in(cp, 0xfe20, 0xfe2f) ||
	    cp == 0x200c || cp == 0x200d || cp == 0x2060 || cp == 0xfeff ||
	    in(cp, 0xe0100, 0xe01ef);
}

static bool
is_latin_letter(unsigned cp)
{
	return in(cp, 'A', 'Z') || in(cp, 'a', 'z') ||
	    (in(cp, 0xc0, 0x24f) && cp != 0xd7 && cp != 0xf7) || in(cp, 0x1e00, 0x1eff);
}

static bool
is_letter(unsigned cp)
{
	return is_latin_letter(cp) || cp == 0xaa || cp == 0xb5 || cp == 0xba ||
	    in(cp, 0x250, 0x2af) || (in(cp, 0x370, 0x3ff) && cp != 0x37e && cp != 0x387) ||
	    in(cp, 0x1f00, 0x1fff) || in(cp, 0x400, 0x52f) || in(cp, 0x2100, 0x214f) ||
	    in(cp, 0x1d400, 0x1d7cb);
}

static bool
is_digit(unsigned cp)
{
	return in(cp, '0', '9') || cp == 0xb2 || cp == 0xb3 || cp == 0xb9 ||
	    in(cp, 0x2070, 0x2079) || in(cp, 0x2080, 0x2089) || in(cp, 0x1d7ce, 0x1d7ff);
}

static bool
is_ideograph(unsigned cp)
{
	return in(cp, 0x4e00, 0x9fff) || in(cp, 0x3400, 0x4dbf) || in(cp, 0xf900, 0xfaff) ||
	    in(cp, 0x20000, 0x3134f) || in(cp, 0x2e80, 0x2fdf) || in(cp, 0x3040, 0x309f) ||
	    (in(cp, 0x30a0, 0x30ff) && cp != 0x30fb) || in(cp, 0x3100, 0x312f) ||
	    in(cp, 0x3130, 0x318f) || in(cp, 0x3190, 0x31ff) || in(cp, 0x3200, 0x33ff) ||
	    in(cp, 0x1100, 0x11ff) || in(cp, 0xac00, 0xd7af) || cp == 0x3005 ||
	    cp == 0x3006 || cp == 0x3007 || in(cp, 0xff10, 0xff19) || in(cp, 0xff21, 0xff3a) ||
	    in(cp, 0xff41, 0xff5a) || in(cp, 0xff66, 0xffdc);
}

/* Punctuation set full width in Chinese text, wherever Unicode put it. */
static bool
is_cjk_punct(unsigned cp)
{
	static const unsigned general[] = {
		0x00b7, 0x2014, 0x2015, 0x2018, 0x2019, 0x201a, 0x201b, 0x201c, 0x201d,
		0x201e, 0x201f, 0x2025, 0x2026, 0x2027, 0x203b, 0x2e3a, 0x2e3b, 0x30fb,
	};
	return in(cp, 0x3000, 0x303f) || in(cp, 0xff00, 0xffef) || in(cp, 0xfe10, 0xfe1f) ||
	    in(cp, 0xfe30, 0xfe6f) || in_list(cp, general, ARRAY_LEN(general));
}

static unsigned char
char_class(unsigned cp)
{
	if (is_ideograph(cp))
		return C_ID;
	if (is_cjk_punct(cp))
		return C_CP;
	if (is_letter(cp) || is_digit(cp))
		return C_AL;
	return C_SY;
}

static bool
is_operator(unsigned cp)
{
	return cp == '+' || cp == '-' || cp == '=' || cp == '<' || cp == '>' || cp == '*' ||
	    cp == '/' || cp == '|' || cp == '~' || cp == '^' || cp == 0xb1 || cp == 0xd7 ||
	    cp == 0xf7 || cp == 0xac || cp == 0x2016 || in(cp, 0x2190, 0x21ff) ||
	    in(cp, 0x2200, 0x22ff) || in(cp, 0x27f0, 0x27ff) || in(cp, 0x2900, 0x297f) ||
	    in(cp, 0x2a00, 0x2aff);
}

/* Relations and arrows take the smaller penalty, as in TeX. */
static bool
is_relation(unsigned cp)
{
	return cp == '=' || cp == '<' || cp == '>' || cp == '~' || in(cp, 0x2190, 0x21ff) ||
	    in(cp, 0x27f0, 0x27ff) || in(cp, 0x2900, 0x297f) || in(cp, 0x2208, 0x220d) ||
	    cp == 0x221d || in(cp, 0x2223, 0x2226) || in(cp, 0x223c, 0x228b) ||
	    in(cp, 0x228f, 0x2292) || in(cp, 0x22a2, 0x22a3) || in(cp, 0x22a8, 0x22ab);
}

static const unsigned no_start[] = {
	/* the brief's list */
	0xff0c, 0x3002, 0x3001, 0xff1a, 0xff1b, 0xff01, 0xff1f, 0xff09, 0x300d, 0x300f,
	0x300b, 0x3009, 0x3011, 0x3015, 0xff3d, 0xff5d, 0x201d, 0x2019, 0x2026, 0x2014,
	0x00b7, '%', 0x2030, ',', '.', ';', ':', '!', '?', ')', ']', '}',
	/* the rest of the closing and terminal punctuation, iteration marks,
	 * small kana and the prolonged sound mark (JIS X 4051, clreq) */
	0xff0e, 0x3017, 0x3019, 0x301b, 0xff60, 0xff61, 0xff63, 0xff64, 0xff05, 0x2025,
	0x2015, 0x2e3a, 0x30fb, 0xff65, 0x3005, 0x309d, 0x309e, 0x30fd, 0x30fe, 0x30fc,
	0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308e,
	0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30c3, 0x30e3, 0x30e5, 0x30e7, 0x30ee,
	0x30f5, 0x30f6, 0x301e, 0x301f, 0xfe50, 0xfe51, 0xfe52, 0xfe54, 0xfe55, 0xfe56,
	0xfe57, 0x203c, 0x2047, 0x2048, 0x2049,
};

static const unsigned no_end[] = {
	0xff08, 0x300c, 0x300e, 0x300a, 0x3008, 0x3010, 0x3014, 0xff3b, 0xff5b, 0x201c,
	0x2018, '(', '[', '{',
	0x3016, 0x3018, 0x301a, 0xff5f, 0xff62, 0x301d,
};

bool
lb_no_line_start(unsigned cp)
{
	return in_list(cp, no_start, ARRAY_LEN(no_start));
}

bool
lb_no_line_end(unsigned cp)
{
	return in_list(cp, no_end, ARRAY_LEN(no_end));
}

/* ASCII closers may start a line after a space (the brief: the rule holds
 * when they follow CJK or a word). */
static bool
is_ascii_closer(unsigned cp)
{
	return cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
	    cp == ')' || cp == ']' || cp == '}';
}

/* Full-width punctuation whose glyph sits in the left half of the em (the
 * blank right half can be compressed away), or in the right half. */
static bool
blank_right(unsigned cp)
{
	static const unsigned list[] = {
		0xff0c, 0x3002, 0x3001, 0xff1a, 0xff1b, 0xff01, 0xff1f, 0xff09, 0x300d,
		0x300f, 0x300b, 0x3009, 0x3011, 0x3015, 0xff3d, 0xff5d, 0x3017, 0x3019,
		0x301b, 0xff60, 0xff0e, 0x201d, 0x2019,
	};
	return in_list(cp, list, ARRAY_LEN(list));
}

static bool
blank_left(unsigned cp)
{
	static const unsigned list[] = {
		0xff08, 0x300c, 0x300e, 0x300a, 0x3008, 0x3010, 0x3014, 0xff3b, 0xff5b,
		0x3016, 0x3018, 0x301a, 0xff5f, 0x201c, 0x2018,
	};
	return in_list(cp, list, ARRAY_LEN(list));
}

/* Full-width stops and pauses: 。，、．：；！？ (UMing centres the first four). */
static bool
is_stop(unsigned cp)
{
	return cp == 0x3002 || cp == 0xff0c || cp == 0x3001 || cp == 0xff0e || cp == 0xff1a ||
	    cp == 0xff1b || cp == 0xff01 || cp == 0xff1f;
}

/* The fixed squeeze (标点挤压) between adjacent full-width marks a, b whose
 * blank halves face each other: a closing bracket or quote loses its blank
 * right half before a closer or a stop; an opening one its blank left half
 * after a closer or a stop; a stop before a closer gives up only a quarter
 * em (a centred stop would otherwise meet the closer's ink). */
static double
squeeze(const struct box *a, const struct box *b)
{
	if (b->atom || a->rcomp <= 0) /* an atom's rcomp: its closing mark's */
		return 0;
	bool closer = !is_stop(a->rcp);
	if (b->lcomp > 0)
		return closer ? a->rcomp : b->lcomp;
	if (b->rcomp <= 0 || b->lcp != b->rcp)
		return 0;
	if (closer)
		return a->rcomp;
	return is_stop(b->lcp) ? 0 : 0.5 * a->rcomp;
}

static bool
is_dash_pair(unsigned cp)
{
	return cp == 0x2014 || cp == 0x2015 || cp == 0x2026 || cp == 0x2025 || cp == 0x2e3a;
}

/* ---- reading the spans --------------------------------------------- */

static double
measure(const struct para *p, size_t span, size_t start, size_t len)
{
	const struct lb_span *s = &p->spans[span];
	return p->metrics->width(p->metrics->ctx, &s->style, s->utf8 + start, len);
}

static struct box *
new_box(struct para *p)
{
	if (p->m == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->box = xrealloc(p->box, p->cap * sizeof *p->box);
		p->junc = xrealloc(p->junc, p->cap * sizeof *p->junc);
	}
	struct box *b = &p->box[p->m];
	memset(b, 0, sizeof *b);
	/* the junction after this box collects the spaces read next */
	memset(&p->junc[p->m], 0, sizeof p->junc[0]);
	p->m++;
	return b;
}

/* The junction that spaces read now belong to: the one after the last box
 * (NULL before the first box: leading spaces are dropped). */
static struct junc *
pending(struct para *p)
{
	return p->m ? &p->junc[p->m - 1] : NULL;
}

static void
add_space(struct para *p, size_t span, size_t start, size_t len, unsigned cp)
{
	struct junc *j = pending(p);
	if (j == NULL)
		return;
	if (cp == 0x200b) {
		j->zwsp = true;
		return;
	}
	bool fresh = !j->sp_break && !j->sp_nobreak;
	/* tabs and line ends are measured as a plain space */
	bool ctrl = cp < 0x20;
	const struct lb_span *s = &p->spans[span];
	j->sp_w += ctrl ? p->metrics->width(p->metrics->ctx, &s->style, " ", 1)
	                : measure(p, span, start, len);
	bool nl = cp == '\n' || cp == '\r';
	j->sp_newline_only = (fresh || j->sp_newline_only) && nl;
	if (is_nobreak_space(cp))
		j->sp_nobreak = true;
	else
		j->sp_break = true;
}

static void
edge_class(struct box *b, unsigned lcp, unsigned rcp)
{
	b->lcp = lcp;
	b->rcp = rcp;
	b->lcls = char_class(lcp);
	b->rcls = char_class(rcp);
}

static void read_span_boxes(struct para *p, size_t k);

static void
read_span(struct para *p, size_t k)
{
	size_t m0 = p->m;
	read_span_boxes(p, k);
	if (p->m > m0)
		p->box[m0].pen_before = p->spans[k].break_penalty;
}

/* An atom ending in a full-width closer ("（第 9 页）") offers that mark's
 * blank right half to the squeeze, as a lone one does: measured on the
 * mark itself, its ink from the metrics. */
static void
atom_right_blank(struct para *p, size_t k, struct box *b, unsigned last)
{
	const struct lb_span *s = &p->spans[k];
	const unsigned char *u = (const unsigned char *)s->utf8;
	if (last == 0 || b->rcls != C_CP || !blank_right(last) || u[s->len - 1] == ' ')
		return;
	size_t at = s->len;
	while (at > 0 && (u[at - 1] & 0xC0) == 0x80)
		at--;
	if (at == 0)
		return;
	at--;
	double w = measure(p, k, at, s->len - at), left = 0, right = w;
	if (w < 0.75 * b->size)
		return;
	if (p->metrics->ink == NULL) { /* taken to have its blank half */
		b->rcomp = 0.5 * w;
		return;
	}
	if (!p->metrics->ink(p->metrics->ctx, &s->style, s->utf8 + at, s->len - at, &left,
	    &right))
		right = w;
	b->rcomp = fmax(0, fmin(0.5 * w, w - right));
}

static void
read_span_boxes(struct para *p, size_t k)
{
	const struct lb_span *s = &p->spans[k];
	const unsigned char *u = (const unsigned char *)s->utf8;

	if (s->box_width > 0) {
		struct box *b = new_box(p);
		b->span = k;
		b->start = 0;
		b->len = s->len;
		b->width = s->box_width;
		b->size = s->style.size;
		b->atom = true;
		b->lcp = b->rcp = 'x';
		b->lcls = b->rcls = C_AL; /* laid-out math reads as a word */
		return;
	}
	if (s->len == 0 || u == NULL)
		return;
	if (s->unbreakable) {
		/* edges: the first and last characters that are not spaces */
		unsigned first = 0, last = 0, cp;
		for (size_t i = 0; i < s->len; ) {
			size_t n = utf8_decode((const char *)u + i, s->len - i, &cp);
			if (!is_break_space(cp) && !is_nobreak_space(cp) && !is_combining(cp)) {
				if (first == 0)
					first = cp;
				last = cp;
			}
			i += n;
		}
		struct box *b = new_box(p);
		b->span = k;
		b->start = 0;
		b->len = s->len;
		b->width = measure(p, k, 0, s->len);
		b->size = s->style.size;
		b->atom = true;
		edge_class(b, first ? first : '?', last ? last : '?');
		atom_right_blank(p, k, b, last);
		return;
	}
	for (size_t i = 0; i < s->len; ) {
		unsigned cp;
		size_t n = utf8_decode((const char *)u + i, s->len - i, &cp);
		if (is_break_space(cp) || is_nobreak_space(cp) || cp == 0x200b) {
			add_space(p, k, i, n, cp);
			i += n;
			continue;
		}
		size_t end = i + n;
		bool multi = false;
		/* combining marks join the character before them */
		while (end < s->len) {
			unsigned mark;
			size_t mn = utf8_decode((const char *)u + end, s->len - end, &mark);
			if (!is_combining(mark))
				break;
			end += mn;
			multi = true;
		}
		struct box *b = new_box(p);
		b->span = k;
		b->start = i;
		b->len = end - i;
		b->multi = multi;
		b->width = measure(p, k, i, end - i);
		b->size = s->style.size;
		edge_class(b, cp, cp);
		b->latin = is_latin_letter(cp);
		b->letter = is_letter(cp);
		b->op = is_operator(cp);
		if (b->lcls == C_CP && b->width >= 0.75 * b->size && (blank_right(cp) ||
		    blank_left(cp))) {
			double half = 0.5 * b->width, left = 0, right = b->width;
			/* the blank the glyph really has, at most half its advance */
			if (p->metrics->ink != NULL && !multi &&
			    !p->metrics->ink(p->metrics->ctx, &s->style, s->utf8 + i, end - i, &left,
			    &right)) {
				left = 0;
				right = b->width;
			}
			if (blank_right(cp))
				b->rcomp = p->metrics->ink ? fmax(0, fmin(half, b->width - right)) : half;
			if (blank_left(cp))
				b->lcomp = p->metrics->ink ? fmax(0, fmin(half, left)) : half;
		}
		i = end;
	}
}

static bool
is_cjk(unsigned char cls)
{
	return cls == C_ID || cls == C_CP;
}

/* ASCII punctuation that closes or opens a Latin or math run: p(z), D*,
 * x', [a, b].  Next to CJK it belongs to the run, and the quarter-em gap
 * goes between the CJK and the run's edge (as in xeCJK). */
static bool
is_run_closer(unsigned cp)
{
	return cp == ')' || cp == ']' || cp == '}' || cp == '*' || cp == '\'' ||
	    cp == '"' || cp == '%' || cp == 0x2032 || cp == 0x2033;
}

static bool
is_run_opener(unsigned cp)
{
	return cp == '(' || cp == '[' || cp == '{';
}

static bool
joined(const struct para *p, size_t j)
{
	return !p->junc[j].sp_break && !p->junc[j].sp_nobreak;
}

/* A closer (opener) at a run's edge reads as a letter when the run, before
 * it (after it) without spaces and CJK, holds a letter or digit. */
static void
run_edges(struct para *p)
{
	for (size_t k = 0; k < p->m; k++) {
		struct box *b = &p->box[k];
		if (b->rcls == C_SY && is_run_closer(b->rcp)) {
			bool al = b->atom;
			for (size_t i = k; !al && i > 0 && joined(p, i - 1); i--) {
				unsigned char c = p->box[i - 1].rcls;
				if (c == C_AL)
					al = true;
				else if (c != C_SY || p->box[i - 1].lcls != C_SY)
					break;
			}
			if (al)
				b->rcls = C_AL;
		}
		if (b->lcls == C_SY && is_run_opener(b->lcp)) {
			bool al = b->atom;
			for (size_t i = k; !al && i + 1 < p->m && joined(p, i); i++) {
				unsigned char c = p->box[i + 1].lcls;
				if (c == C_AL)
					al = true;
				else if (c != C_SY || p->box[i + 1].rcls != C_SY)
					break;
			}
			if (al)
				b->lcls = C_AL;
		}
	}
}

/* Glue and break of junction j from its two boxes and the spaces between. */
static void
classify(struct para *p, size_t j)
{
	struct junc *J = &p->junc[j];
	const struct box *a = &p->box[j], *b = &p->box[j + 1];
	unsigned char A = a->rcls, B = b->lcls;

	J->c = a->rcomp + b->lcomp;
	J->pen = 0;
	/* a line end in the source between CJK characters is no space (as in
	 * xeCJK): Chinese has no spaces between words */
	bool spaces = J->sp_break || J->sp_nobreak;
	if (spaces && J->sp_newline_only && is_cjk(A) && is_cjk(B))
		spaces = false;
	if (spaces) {
		J->kind = J_SPACE;
		J->w = J->sp_w;
		J->y = SPACE_STRETCH * J->w;
		J->z = SPACE_SHRINK * J->w;
		J->brk = J->sp_break ? B_OK : B_NEVER;
		if (J->brk == B_OK && (lb_no_line_end(a->rcp) ||
		    (lb_no_line_start(b->lcp) && !is_ascii_closer(b->lcp))))
			J->brk = B_RULE;
		return;
	}
	if (!is_cjk(A) && !is_cjk(B)) {
		J->kind = J_INNER;
		J->w = J->y = J->z = 0;
		J->brk = J->zwsp ? B_OK : B_NEVER;
	} else if ((A == C_ID && B == C_AL) || (A == C_AL && B == C_ID)) {
		double em = A == C_ID ? a->size : b->size;
		J->kind = J_GAP;
		J->w = GAP_WIDTH * em;
		J->y = SPACE_STRETCH * J->w;
		J->z = SPACE_SHRINK * J->w;
		J->brk = B_OK;
	} else {
		double em = is_cjk(A) ? a->size : b->size;
		J->kind = J_CJK;
		J->w = 0;
		J->y = CJK_STRETCH * em;
		J->z = 0;
		J->brk = B_OK;
		/* a two-em dash or ellipsis is one mark: no gap inside */
		if (a->rcp == b->lcp && is_dash_pair(a->rcp))
			J->y = 0;
		if (is_cjk(A) && !b->atom && (b->lcp == '/' || b->lcp == '-'))
			J->pen = BEFORE_SLASH_PENALTY;
		/* facing blank halves collapse: a fixed negative width, so
		 * the next piece starts earlier; what is left may compress */
		double sq = squeeze(a, b);
		if (sq > 0) {
			J->w = -sq;
			J->c = fmax(0, J->c - sq);
		}
	}
	if (J->brk == B_OK && (lb_no_line_end(a->rcp) || lb_no_line_start(b->lcp)))
		J->brk = B_RULE;
}

/* The code point of box i when it is one plain character, else 0. */
static unsigned
plain_cp(const struct para *p, size_t i)
{
	const struct box *b = &p->box[i];
	return b->atom || b->multi ? 0 : b->lcp;
}

static unsigned
ascii_lower(unsigned cp)
{
	return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
}

/* True when the boxes t0.. spell `prefix` (ASCII, case ignored). */
static bool
word_starts(const struct para *p, size_t t0, size_t t1, const char *prefix)
{
	size_t i = t0;
	for (; *prefix; prefix++, i++)
		if (i > t1 || ascii_lower(plain_cp(p, i)) != (unsigned char)*prefix)
			return false;
	return true;
}

/* A URL, an arXiv identifier or a DOI: "scheme://", "www.", "arXiv:",
 * "doi:" or "10.NNNN/" at the word's start (after an opening bracket). */
static bool
is_url_word(const struct para *p, size_t t0, size_t t1)
{
	while (t0 < t1 && (plain_cp(p, t0) == '(' || plain_cp(p, t0) == '[' ||
	    plain_cp(p, t0) == '<'))
		t0++;
	if (word_starts(p, t0, t1, "www.") || word_starts(p, t0, t1, "arxiv:") ||
	    word_starts(p, t0, t1, "doi:"))
		return true;
	if (word_starts(p, t0, t1, "10.")) {
		size_t i = t0 + 3, d = 0;
		while (i <= t1 && is_digit(plain_cp(p, i)) && plain_cp(p, i) < 0x80)
			i++, d++;
		if (d >= 4 && i <= t1 && plain_cp(p, i) == '/')
			return true;
	}
	for (size_t i = t0; i + 2 <= t1; i++)
		if (plain_cp(p, i) == ':' && plain_cp(p, i + 1) == '/' && plain_cp(p, i + 2) == '/')
			return true;
	return false;
}

/* Inside a URL: a break after / . : - (and before nothing but a letter or
 * digit, so "//" and a final "." stay together), no hyphen added. */
static void
url_breaks(struct para *p, size_t t0, size_t t1)
{
	for (size_t i = t0; i < t1; i++) {
		unsigned c = plain_cp(p, i), d = plain_cp(p, i + 1);
		if ((c == '/' || c == '.' || c == ':' || c == '-') && d &&
		    (is_letter(d) || is_digit(d)) && i > t0) {
			p->junc[i].brk = B_OK;
			p->junc[i].pen = URL_PENALTY;
		}
	}
}

/* A short parenthesised Latin or math group, "(−1, 0.5)" or "[a, b]": its
 * comma (or semicolon) and space is no break.  The group holds no CJK and
 * closes within SHORT_GROUP_EMS ems of its opening bracket. */
static void
short_groups(struct para *p)
{
	for (size_t k = 0; k < p->m; k++) {
		unsigned open = plain_cp(p, k), close;
		if (open == '(')
			close = ')';
		else if (open == '[')
			close = ']';
		else
			continue;
		double limit = SHORT_GROUP_EMS * p->box[k].size, w = 0;
		size_t e = k + 1, depth = 0;
		for (; e < p->m; e++) {
			const struct junc *J = &p->junc[e - 1];
			w += J->w + p->box[e].width;
			if (w > limit || is_cjk(p->box[e].lcls) || is_cjk(p->box[e].rcls) ||
			    J->kind == J_GAP || J->kind == J_CJK)
				break;
			unsigned c = plain_cp(p, e);
			if (c == open)
				depth++;
			else if (c == close && depth-- == 0)
				break;
		}
		if (e >= p->m || plain_cp(p, e) != close || w > limit)
			continue;
		for (size_t j = k + 1; j < e; j++) {
			unsigned c = plain_cp(p, j);
			if (p->junc[j].kind == J_SPACE && (c == ',' || c == ';'))
				p->junc[j].brk = B_NEVER;
		}
	}
}

static bool
is_ascii_letter(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* A word the dictionary may hyphenate: prose, not a number, code or an
 * identifier (linebreak.h lists the exclusions). */
static bool
hyphenatable(const struct para *p, size_t t0, size_t t1)
{
	/* as TeX: a word with an explicit hyphen breaks only there */
	static const char ident[] = "_@/\\=#&~^|<>{}[]*-";
	for (size_t i = t0; i <= t1; i++) {
		const struct box *b = &p->box[i];
		if (b->atom || p->spans[b->span].no_hyphens || is_digit(b->lcp) ||
		    b->lcp == 0x2010 || (b->lcp < 0x80 && b->lcp && strchr(ident, (int)b->lcp)))
			return false;
	}
	return true;
}

/* Discretionary hyphens at the dictionary's points in each run of ASCII
 * letters of the word t0..t1 that is all lowercase or Capitalised. */
static void
dictionary_hyphens(struct para *p, size_t t0, size_t t1)
{
	char word[64];
	bool after[64];
	for (size_t r0 = t0; r0 <= t1; ) {
		if (!is_ascii_letter(plain_cp(p, r0))) {
			r0++;
			continue;
		}
		size_t r1 = r0;
		bool lower = true;
		while (r1 + 1 <= t1 && is_ascii_letter(plain_cp(p, r1 + 1)) &&
		    p->box[r1 + 1].span == p->box[r0].span) {
			r1++;
			lower = lower && plain_cp(p, r1) >= 'a';
		}
		size_t len = r1 - r0 + 1;
		if (lower && len <= sizeof word) {
			for (size_t i = 0; i < len; i++)
				word[i] = (char)plain_cp(p, r0 + i);
			if (p->metrics->hyphenate(p->metrics->hctx, word, len, after) > 0) {
				const struct lb_span *s = &p->spans[p->box[r0].span];
				double hw = p->metrics->width(p->metrics->ctx, &s->style, "-", 1);
				/* two letters before, three after, whatever the
				 * dictionary says */
				for (size_t i = 1; i + 3 < len; i++) {
					if (!after[i])
						continue;
					struct junc *J = &p->junc[r0 + i];
					J->brk = B_OK;
					J->pen = HYPHEN_PENALTY;
					J->hyph = true;
					J->hyph_w = hw;
				}
			}
		}
		r0 = r1 + 1;
	}
}

/* Word-level rules: standalone operators, explicit hyphens and slashes, and
 * hyphenation of words wider than the line. */
static void
scan_words(struct para *p)
{
	double shortest = p->width - (p->indent > 0 ? p->indent : 0);

	for (size_t t0 = 0; t0 < p->m; ) {
		size_t t1 = t0;
		double w = p->box[t0].width;
		while (t1 + 1 < p->m && p->junc[t1].kind == J_INNER) {
			w += p->box[t1 + 1].width;
			t1++;
		}
		/* an operator between spaces: break after it, not before */
		bool ops = true;
		for (size_t i = t0; i <= t1; i++)
			if (p->box[i].atom || !p->box[i].op)
				ops = false;
		if (ops && t0 > 0 && t1 + 1 < p->m && p->junc[t0 - 1].kind == J_SPACE &&
		    p->junc[t1].kind == J_SPACE) {
			if (p->junc[t0 - 1].brk == B_OK)
				p->junc[t0 - 1].brk = B_RULE;
			if (p->junc[t1].brk == B_OK)
				p->junc[t1].pen = is_relation(p->box[t1].rcp) ? REL_PENALTY
				                                              : BINOP_PENALTY;
		}
		bool url = is_url_word(p, t0, t1);
		if (url)
			url_breaks(p, t0, t1);
		/* after a hyphen or slash with two letters on each side */
		for (size_t i = t0 + 2; i + 2 <= t1; i++) {
			const struct box *b = &p->box[i];
			if (b->atom || !(b->rcp == '-' || b->rcp == '/' || b->rcp == 0x2010))
				continue;
			if (p->box[i - 1].letter && p->box[i - 2].letter && p->box[i + 1].letter &&
			    p->box[i + 2].letter && !p->box[i - 1].atom && !p->box[i + 1].atom &&
			    !p->box[i - 2].atom && !p->box[i + 2].atom) {
				p->junc[i].brk = B_OK;
				p->junc[i].pen = HYPHEN_PENALTY;
			}
		}
		/* a word that cannot fit: hyphenate its Latin letter runs, at least
		 * two letters before and three after (TeX's left/righthyphenmin) */
		if (w > shortest && !url) {
			for (size_t r0 = t0; r0 <= t1; ) {
				if (p->box[r0].atom || !p->box[r0].latin) {
					r0++;
					continue;
				}
				size_t r1 = r0;
				while (r1 + 1 <= t1 && p->box[r1 + 1].latin && !p->box[r1 + 1].atom)
					r1++;
				size_t prev = 0;
				for (size_t j = r0 + 1; j + 3 <= r1; j++) {
					const struct box *a = &p->box[j], *b = &p->box[j + 1];
					if (a->span != b->span || a->multi)
						continue;
					struct junc *J = &p->junc[j];
					J->brk = B_OK;
					J->pen = HYPHEN_PENALTY;
					J->hyph = true;
					J->fullest = true;
					const struct lb_span *s = &p->spans[a->span];
					J->hyph_w = p->metrics->width(p->metrics->ctx, &s->style, "-", 1);
					J->word_end = t1;
					if (prev)
						p->junc[prev].next_hyph = j;
					prev = j;
				}
				r0 = r1 + 1;
			}
		} else if (!url && p->metrics->hyphenate != NULL && hyphenatable(p, t0, t1)) {
			dictionary_hyphens(p, t0, t1);
		}
		t0 = t1 + 1;
	}
}

/* The callers' penalties: a span's break_penalty on the break before it. */
static void
span_penalties(struct para *p)
{
	for (size_t j = 0; j + 1 < p->m; j++)
		if (p->box[j + 1].pen_before > 0 && p->junc[j].brk != B_NEVER)
			p->junc[j].pen += p->box[j + 1].pen_before;
}

/* ---- costs --------------------------------------------------------- */

struct measure {
	double nat, y, z, c, g; /* natural width, stretch, shrink, compressible, letter gaps */
};

/* The sums over the junctions (the arrays allocated once, with bw). */
static void
prefix_sums(struct para *p)
{
	size_t m = p->m;
	if (p->bw == NULL) {
		p->bw = xcalloc(m + 1, sizeof(double));
		p->jw = xcalloc(m, sizeof(double));
		p->jy = xcalloc(m, sizeof(double));
		p->jz = xcalloc(m, sizeof(double));
		p->jc = xcalloc(m, sizeof(double));
		p->jg = xcalloc(m, sizeof(double));
	}
	for (size_t i = 0; i < m; i++)
		p->bw[i + 1] = p->bw[i] + p->box[i].width;
	for (size_t j = 0; j + 1 < m; j++) {
		const struct junc *J = &p->junc[j];
		p->jw[j + 1] = p->jw[j] + J->w;
		p->jy[j + 1] = p->jy[j] + J->y;
		p->jz[j + 1] = p->jz[j] + J->z;
		p->jc[j + 1] = p->jc[j] + J->c;
		p->jg[j + 1] = p->jg[j] + (J->kind == J_INNER);
	}
}

/* The line of boxes s..e (inclusive), ending with a hyphen if hyph. */
static struct measure
line_measure(const struct para *p, size_t s, size_t e, bool hyph, double hyph_w)
{
	struct measure r;
	r.nat = p->bw[e + 1] - p->bw[s] + p->jw[e] - p->jw[s] + (hyph ? hyph_w : 0);
	r.y = p->jy[e] - p->jy[s];
	r.z = p->jz[e] - p->jz[s];
	r.c = p->jc[e] - p->jc[s] + p->box[s].lcomp + (hyph ? 0 : p->box[e].rcomp);
	r.g = p->jg[e] - p->jg[s] + (hyph ? 1 : 0);
	return r;
}

/* The stretch ratio of a line short of its measure by `gap` points. */
static double
stretch_ratio(const struct measure *m, double gap, double em)
{
	if (gap <= EPS)
		return 0;
	if (m->y > 0)
		return gap / m->y;
	if (m->g > 0 && em > 0)
		return gap / (m->g * LS_UNIT * em); /* letter spacing, emergency only */
	return 1e3 + gap;                       /* nothing stretches: set ragged */
}

/* Cost of one line; *overfull set when even compression cannot fit it. */
static struct cost
line_cost(const struct measure *m, double avail, bool last, double em, bool ragged,
    bool *overfull)
{
	struct cost c = {0, 0, 0, 0, 0};
	double bad = 0;

	*overfull = false;
	if (m->nat <= avail + EPS) {
		if (!last && ragged) {
			/* the shortfall against a fixed stretch, nothing set loose */
			double r = (avail - m->nat) / (RAGGED_STRETCH * em);
			bad = fmin(100 * r * r * r, MAX_BADNESS);
		} else if (!last) {
			double r = stretch_ratio(m, avail - m->nat, em);
			bad = r > 100 ? MAX_BADNESS : fmin(100 * r * r * r, MAX_BADNESS);
			if (r > R_CAP)
				c.loose = (r - R_CAP) * (r - R_CAP);
		}
	} else {
		double need = m->nat - avail;
		if (need <= m->z + EPS) {
			double r = m->z > 0 ? need / m->z : 0;
			bad = 100 * r * r * r;
		} else if (need <= m->z + m->c + EPS) {
			c.comp = need - m->z;
			bad = 100;
		} else {
			c.over = need - m->z - m->c;
			bad = 100;
			*overfull = true;
		}
	}
	c.dem = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
	return c;
}

static struct cost
cost_add(struct cost a, struct cost b)
{
	a.over += b.over;
	a.viol += b.viol;
	a.loose += b.loose;
	a.comp += b.comp;
	a.dem += b.dem;
	return a;
}

static bool
cost_less(const struct cost *a, const struct cost *b)
{
	const double x[] = {a->over, a->viol, a->loose, a->comp};
	const double y[] = {b->over, b->viol, b->loose, b->comp};
	for (size_t i = 0; i < ARRAY_LEN(x); i++) {
		if (x[i] < y[i] - EPS)
			return true;
		if (x[i] > y[i] + EPS)
			return false;
	}
	return a->dem < b->dem;
}

/* ---- breaking ------------------------------------------------------ */

static double
avail_of(const struct para *p, size_t line)
{
	return line == 0 ? p->width - p->indent : p->width;
}

/* Runs the total-fit search; returns the node array (caller frees) and the
 * index of the final node in *last. */
static struct node *
find_breaks(const struct para *p, size_t *last)
{
	size_t nn = 0, ncap = 64, na = 0, acap = 64;
	struct node *node = xmalloc(ncap * sizeof *node);
	size_t *active = xmalloc(acap * sizeof *active);

	node[nn++] = (struct node){0, {0, 0, 0, 0, 0}, -1, 0, false};
	active[na++] = 0;
	for (size_t e = 0; e < p->m; e++) {
		bool fin = e + 1 == p->m;
		const struct junc *J = fin ? NULL : &p->junc[e];
		if (!fin && J->brk == B_NEVER)
			continue;
		bool hyph = J && J->hyph;
		double pen = J ? J->pen : 0;
		struct cost best = {0, 0, 0, 0, 0}, dead = best;
		long from = -1, dead_from = -1;
		size_t keep = 0;
		for (size_t k = 0; k < na; k++) {
			const struct node *a = &node[active[k]];
			struct measure ms = line_measure(p, a->pos, e, hyph, J ? J->hyph_w : 0);
			double avail = avail_of(p, a->line);
			bool over;
			struct cost lc = line_cost(&ms, avail, fin, p->box[a->pos].size, p->ragged,
			    &over);
			/* a word is hyphenated where the line is fullest: neither a
			 * later hyphen of the word nor its end would fit */
			if (hyph && J->fullest && !over) {
				struct measure mn;
				if (J->next_hyph) {
					const struct junc *N = &p->junc[J->next_hyph];
					mn = line_measure(p, a->pos, J->next_hyph, true, N->hyph_w);
				} else {
					mn = line_measure(p, a->pos, J->word_end, false, 0);
				}
				if (mn.nat - mn.z <= avail + EPS) {
					active[keep++] = active[k];
					continue;
				}
			}
			if (J && J->brk == B_RULE)
				lc.viol = 1;
			lc.dem += pen * pen;
			if (a->hyph && hyph)
				lc.dem += DOUBLE_HYPHEN_DEMERITS;
			if (a->hyph && fin)
				lc.dem += FINAL_HYPHEN_DEMERITS;
			struct cost total = cost_add(a->c, lc);
			if (over) {
				if (dead_from < 0 || cost_less(&total, &dead)) {
					dead = total;
					dead_from = (long)active[k];
				}
				continue;
			}
			active[keep++] = active[k];
			if (from < 0 || cost_less(&total, &best)) {
				best = total;
				from = (long)active[k];
			}
		}
		na = keep;
		/* nothing fits: accept the least overfull line rather than none */
		if (from < 0 && na == 0) {
			best = dead;
			from = dead_from;
		}
		if (from < 0)
			continue;
		if (nn == ncap) {
			ncap *= 2;
			node = xrealloc(node, ncap * sizeof *node);
		}
		node[nn++] = (struct node){e + 1, best, from, node[from].line + 1, hyph};
		if (na == acap) {
			acap *= 2;
			active = xrealloc(active, acap * sizeof *active);
		}
		active[na++] = nn - 1;
	}
	free(active);
	*last = nn - 1;
	return node;
}

/* ---- setting the lines --------------------------------------------- */

enum { M_NATURAL, M_RATIO, M_COMPRESS, M_LETTER };

/* Glue that takes a justified line's stretch first (JIS X 4051, clreq):
 * spaces and the CJK-Latin quarter em.  Widening them reads as spacing;
 * widening the gaps between CJK characters reads as letter spacing, which
 * a line with few characters and much Latin or math cannot hide. */
static bool
first_stretch(const struct junc *J)
{
	return J->kind == J_SPACE || J->kind == J_GAP;
}

/* Fills line L with the boxes s..e set to `avail` points starting at x0. */
static void
set_line(const struct para *p, size_t s, size_t e, bool hyph, double hyph_w, bool last,
    double avail, double x0, struct lb_line *L)
{
	last = last || p->ragged; /* a short line stays short */
	double nat = hyph ? hyph_w : 0, y = 0, y1 = 0, z = 0, c = 0, g = hyph ? 1 : 0;
	for (size_t i = s; i <= e; i++)
		nat += p->box[i].width;
	for (size_t j = s; j < e; j++) {
		const struct junc *J = &p->junc[j];
		nat += J->w;
		y += J->y;
		y1 += first_stretch(J) ? J->y : 0;
		z += J->z;
		c += J->c;
		g += J->kind == J_INNER;
	}
	double edge = p->box[s].lcomp + (hyph ? 0 : p->box[e].rcomp);

	int mode = M_NATURAL;
	double r = 0, f = 0, fe = 0, ls = 0, em = p->box[s].size;
	double r1 = 0, r2 = 0; /* stretch ratios: spaces and gaps, all glue */
	L->width = nat;
	L->justified = false;
	L->overfull = false;
	if (nat <= avail + EPS) {
		double gap = avail - nat;
		if (!last && gap > EPS) {
			if (y > 0) {
				mode = M_RATIO;
				r = gap / y;
				L->justified = true;
				/* spaces and CJK-Latin gaps first, up to FIRST_CAP
				 * times their stretch; the rest spread over all glue */
				if (gap <= FIRST_CAP * y1) {
					r1 = gap / y1;
				} else {
					r1 = FIRST_CAP;
					r2 = (gap - FIRST_CAP * y1) / y;
				}
			} else if (g > 0 && gap / g <= R_CAP * LS_UNIT * em) {
				mode = M_LETTER;
				ls = gap / g;
				L->justified = true;
			}
		} else if (!last) {
			L->justified = true;
		}
	} else {
		double need = nat - avail;
		L->justified = true;
		if (need <= z + EPS) {
			mode = M_RATIO;
			r = -need / z;
		} else {
			/* the blank halves at the line's edges go first: the ink
			 * then meets the margins */
			double more = need - z;
			mode = M_COMPRESS;
			fe = edge > 0 ? fmin(1, more / edge) : 0;
			f = c > 0 ? fmax(0, fmin(1, (more - fe * edge) / c)) : 0;
			if (more > edge + c + EPS) {
				L->overfull = true;
				L->justified = false;
			}
		}
	}

	L->pieces = xmalloc((e - s + 1) * sizeof *L->pieces);
	L->n = 0;
	double x = x0 - (mode == M_COMPRESS ? fe * p->box[s].lcomp : 0);
	size_t i = s;
	while (i <= e) {
		const struct box *b = &p->box[i];
		struct lb_piece *P = &L->pieces[L->n++];
		size_t count = 1;
		double w = b->width, spacing = 0, set = 0;
		P->span = b->span;
		P->start = b->start;
		P->x = x;
		P->hyphen = false;
		/* extend while the next character continues the piece evenly */
		for (; i < e; i++) {
			const struct junc *J = &p->junc[i];
			const struct box *a = &p->box[i], *nb = &p->box[i + 1];
			switch (mode) {
			case M_RATIO:
				if (r > 0)
					set = J->w + ((first_stretch(J) ? r1 : 0) + r2) * J->y;
				else
					set = J->w + r * J->z;
				break;
			case M_COMPRESS:
				set = J->w - J->z - f * J->c;
				break;
			case M_LETTER:
				set = J->kind == J_INNER ? ls : J->w;
				break;
			default:
				set = J->w;
				break;
			}
			/* pieces do not mix CJK and Latin (one font each, mostly) */
			bool joins = nb->span == a->span && !a->atom && !nb->atom &&
			    a->start + a->len == nb->start && is_cjk(a->rcls) == is_cjk(nb->lcls) &&
			    (J->kind == J_INNER || J->kind == J_CJK) && J->w >= 0 &&
			    !(mode == M_COMPRESS && J->c > 0) &&
			    (count == 1 || fabs(set - spacing) <= 1e-12) &&
			    (set == 0 || (!a->multi && !nb->multi));
			if (!joins)
				break;
			if (count == 1)
				spacing = set;
			w += spacing + nb->width;
			count++;
		}
		P->len = p->box[i].start + p->box[i].len - P->start;
		if (i == e && hyph) {
			double hg = mode == M_LETTER ? ls : 0;
			if (count == 1)
				spacing = hg;
			P->hyphen = true;
			w += spacing + hyph_w;
		}
		P->spacing = spacing;
		P->width = w;
		x += w + (i < e ? set : 0);
		i++;
	}
}

/* A paragraph read once and broken at any number of widths.  Reading the
 * spans, the character classes and the glue do not depend on the width;
 * the word rules (scan_words) do only through which words are wider than
 * the line, so their outcome for lines no narrower than the widest word
 * is kept (fit) and reused. */
struct lb_para {
	struct para p;          /* the junctions and sums of the last width */
	struct junc *junc0;     /* the junctions before the word rules */
	double widest;          /* the widest word (scan_words' units) */
	bool fit;               /* p holds the rules for a line >= widest */
};

struct lb_para *
lb_para_new(const struct lb_span *spans, size_t n, const struct lb_metrics *metrics)
{
	struct lb_para *L = xcalloc(1, sizeof *L);
	struct para *p = &L->p;
	p->spans = spans;
	p->metrics = metrics;
	for (size_t k = 0; k < n; k++)
		read_span(p, k);
	if (p->m == 0)
		return L;
	run_edges(p);
	for (size_t j = 0; j + 1 < p->m; j++)
		classify(p, j);
	L->junc0 = xmalloc(p->m * sizeof *L->junc0);
	memcpy(L->junc0, p->junc, p->m * sizeof *L->junc0);
	for (size_t t0 = 0; t0 < p->m; ) {
		size_t t1 = t0;
		double w = p->box[t0].width;
		while (t1 + 1 < p->m && p->junc[t1].kind == J_INNER)
			w += p->box[++t1].width;
		if (w > L->widest)
			L->widest = w;
		t0 = t1 + 1;
	}
	return L;
}

void
lb_para_free(struct lb_para *L)
{
	if (L == NULL)
		return;
	free(L->p.box);
	free(L->p.junc);
	free(L->p.bw);
	free(L->p.jw);
	free(L->p.jy);
	free(L->p.jz);
	free(L->p.jc);
	free(L->p.jg);
	free(L->junc0);
	free(L);
}

/* Sets L up for lines of `width` (the first `indent` narrower) and runs
 * the search; returns the nodes (caller frees) and the final one in *fin,
 * or NULL for an empty paragraph. */
static struct node *
para_search(struct lb_para *L, double width, double indent, bool ragged, size_t *fin)
{
	struct para *p = &L->p;
	if (p->m == 0)
		return NULL;
	p->width = width;
	p->indent = indent;
	p->ragged = ragged;
	bool fits = width - (indent > 0 ? indent : 0) >= L->widest;
	if (!(fits && L->fit)) {
		memcpy(p->junc, L->junc0, p->m * sizeof *p->junc);
		scan_words(p);
		short_groups(p);
		span_penalties(p);
		prefix_sums(p);
		L->fit = fits;
	}
	return find_breaks(p, fin);
}

size_t
lb_para_lines(struct lb_para *L, double width, double indent, bool ragged)
{
	size_t fin;
	struct node *node = para_search(L, width, indent, ragged, &fin);
	size_t n = node ? node[fin].line : 0;
	free(node);
	return n;
}

size_t
lb_para_break(struct lb_para *L, double width, double indent, bool ragged,
    struct lb_line **lines)
{
	size_t fin;
	*lines = NULL;
	struct node *node = para_search(L, width, indent, ragged, &fin);
	if (node == NULL)
		return 0;
	const struct para *p = &L->p;
	size_t nlines = node[fin].line;
	struct lb_line *out = xcalloc(nlines, sizeof *out);
	for (size_t k = fin; node[k].prev >= 0; k = (size_t)node[k].prev) {
		const struct node *b = &node[k], *a = &node[node[k].prev];
		size_t e = b->pos - 1, line = a->line;
		const struct junc *J = e + 1 < p->m ? &p->junc[e] : NULL;
		set_line(p, a->pos, e, b->hyph, J ? J->hyph_w : 0, k == fin,
		    avail_of(p, line), line == 0 ? indent : 0, &out[line]);
	}
	free(node);
	*lines = out;
	return nlines;
}

size_t
lb_break(const struct lb_span *spans, size_t n, double width, double indent,
    const struct lb_metrics *metrics, struct lb_line **lines)
{
	struct lb_para *L = lb_para_new(spans, n, metrics);
	size_t k = lb_para_break(L, width, indent, false, lines);
	lb_para_free(L);
	return k;
}

size_t
lb_break_ragged(const struct lb_span *spans, size_t n, double width, double indent,
    const struct lb_metrics *metrics, struct lb_line **lines)
{
	struct lb_para *L = lb_para_new(spans, n, metrics);
	size_t k = lb_para_break(L, width, indent, true, lines);
	lb_para_free(L);
	return k;
}

void
lb_lines_free(struct lb_line *lines, size_t n)
{
	if (lines == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(lines[i].pieces);
	free(lines);
}
