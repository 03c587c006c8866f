/* math: the LaTeX subset -> a box of positioned glyph runs and rules.
 *
 * Two stages, as in TeX.  The parser turns the source into a list of
 * noads (an atom: a nucleus with optional superscript and subscript, of
 * one of TeX's classes ord, op, bin, rel, open, close, punct, inner), plus
 * glue and style changes.  The layout follows the rules of The TeXbook,
 * Appendix G: per style (display, text, script, scriptscript, cramped or
 * not) it sizes and shifts scripts, builds fractions, radicals, limits and
 * delimiters from the font parameters below, then joins the atoms with
 * the inter-atom spacing table after the bin-to-ord demotions.
 *
 * Everything the parser and the layout allocate lives in one arena that
 * is freed at the end of math_layout; only the returned math_box is
 * malloc'd piece by piece.
 *
 * No <math.h> here: this module's header has that name, and the few
 * functions needed are written below. */
#include "texmath.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* ------------------------------------------------------------ constants */

/* TeX's font parameters, in em of the style's size: family 2 (cmsy10) for
 * sigma 5..22, scaled to the style's size; family 3 (cmex10) for the rule
 * thickness and the big-operator spacings, which plain TeX keeps at the
 * text size in every style (\scriptfont3 = \textfont3). */
#define P_XHEIGHT 0.430555 /* sigma 5 */
#define P_NUM1 0.676508    /* sigma 8: numerator shift, display */
#define P_NUM2 0.393732    /* sigma 9: numerator shift, text and smaller */
#define P_DENOM1 0.685951  /* sigma 11 */
#define P_DENOM2 0.344841  /* sigma 12 */
#define P_SUP1 0.412892    /* sigma 13: superscript shift, display */
#define P_SUP2 0.362892    /* sigma 14: other uncramped styles */
#define P_SUP3 0.288889    /* sigma 15: cramped styles */
/* sigma 16, a subscript's shift without a superscript: Latin Modern Math's
 * SubscriptShiftDown (what xelatex uses), lower than cmsy10's 0.15 so that
 * a lone subscript under Times-like letters reads as one (p_g, q_\phi) */
#define P_SUB1 0.247217
#define P_SUB2 0.247217    /* sigma 17: with a superscript */
#define P_SUP_DROP 0.386108 /* sigma 18 */
#define P_SUB_DROP 0.05    /* sigma 19 */
#define P_AXIS 0.25        /* sigma 22, when the metrics cannot measure '−' */
#define P_RULE 0.04        /* xi 8: default rule thickness */
#define P_BOP1 0.111112    /* xi 9..13: big operator spacing 1..5 */
#define P_BOP2 0.166667
#define P_BOP3 0.2
#define P_BOP4 0.6
#define P_BOP5 0.1
/* plain TeX's dimensions at 10 pt, in em of the formula's size */
#define P_SCRIPTSPACE 0.05   /* \scriptspace 0.5pt */
#define P_NULLDELIM 0.12     /* \nulldelimiterspace 1.2pt */
#define P_DELIMFACTOR 0.901  /* \delimiterfactor 901 */
#define P_DELIMSHORT 0.5     /* \delimitershortfall 5pt */
/* amsmath's aligned rows: the document's \baselineskip (the handout's
 * body lines are 1.6 em apart, layout.c's LEAD), \lineskip 1pt and
 * \lineskiplimit 0pt, each opened up by \jot = 3pt */
#define P_ROW_SKIP 1.9
#define P_ROW_LIMIT 0.3
#define P_ROW_LINESKIP 0.4
#define P_ALIGN_SEP 1.0      /* between the rl column pairs (\minalignsep) */
/* Ours, for Unicode text fonts instead of TeX's cmex.  In display style a
 * large operator is the math font's designed display form when the metrics
 * offer one (math_metrics.display_op: with DejaVu Math TeX Gyre's MATH
 * table, the first variant at least DisplayOperatorMinHeight tall, as
 * xelatex sets it; the handout always has one), else its text glyph at 1.4
 * times the size, an integral at 1.8 (TeX's display ∫ is twice its text
 * one; scaled, its strokes grow as heavy).  A delimiter that must grow is
 * likewise the math font's variant at least as tall as needed when the
 * metrics offer one (math_metrics.delimiter; DejaVu Math's go up to 2.5
 * em).  Without one it comes in steps of 0.6 em from 1.2 em, like TeX's
 * \big, \Big, … sizes and extensible pieces: up to 1.35 times its glyph,
 * ( and { are that glyph scaled; taller, they are built from Unicode's
 * pieces (⎛ ⎜ ⎝); brackets, bars, floors and ceilings are rules of these
 * weights.  A √ scales up to
 * 1.5 times, then climbs to its rule with a vertical stroke. */
#define P_BIGOP_DISPLAY 1.4
#define P_BIGINT_DISPLAY 1.8
#define P_DELIM_STEP 0.6
#define P_DELIM_SCALE 1.35
#define P_DELIM_STEM 0.06
#define P_DELIM_ARM 0.045
#define P_DELIM_GAP 0.09     /* between the strokes of a grown ‖ */
#define P_RADICAL_SCALE 1.5
#define P_MAX_DEPTH 200   /* nesting of lists and atoms (a brace level counts 2) */

static double
dmax(double a, double b)
{
	return a > b ? a : b;
}

static double
dmin(double a, double b)
{
	return a < b ? a : b;
}

/* The smallest whole number >= v (>= 0), forgiving rounding noise. */
static double
ceil_int(double v)
{
	double f = (double)(long long)v;
	return f < v - 1e-9 ? f + 1 : f;
}

/* ------------------------------------------------------------ arena */

struct arena {
	void **p;
	size_t n, cap;
};

static void *
aalloc(struct arena *A, size_t size)
{
	void *q = xcalloc(1, size ? size : 1);

	if (A->n == A->cap) {
		A->cap = A->cap ? 2 * A->cap : 64;
		A->p = xrealloc(A->p, A->cap * sizeof *A->p);
	}
	A->p[A->n++] = q;
	return q;
}

static void
arena_free(struct arena *A)
{
	for (size_t i = 0; i < A->n; i++)
		free(A->p[i]);
	free(A->p);
}

/* Returns an array with room for n + 1 elements: `old` if it has it, else
 * a copy twice as big (the old one stays in the arena). */
static void *
agrow(struct arena *A, void *old, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return old;
	size_t nc = *cap ? 2 * *cap : 4;
	void *q = aalloc(A, nc * elem);

	if (n)
		memcpy(q, old, n * elem);
	*cap = nc;
	return q;
}

static char *
astrndup(struct arena *A, const char *s, size_t n)
{
	char *q = aalloc(A, n + 1);

	memcpy(q, s, n);
	return q;
}

struct sbuf {
	char *s;
	size_t n, cap;
};

static void
sb_putn(struct arena *A, struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? 2 * b->cap : 32;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *q = aalloc(A, nc);
		if (b->n)
			memcpy(q, b->s, b->n);
		b->s = q;
		b->cap = nc;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
sb_puts(struct arena *A, struct sbuf *b, const char *s)
{
	sb_putn(A, b, s, strlen(s));
}

/* One space, unless at the start or after a space or newline. */
static void
sb_space(struct arena *A, struct sbuf *b)
{
	if (b->n > 0 && b->s[b->n - 1] != ' ' && b->s[b->n - 1] != '\n')
		sb_putn(A, b, " ", 1);
}

/* The text without leading and trailing spaces, in the arena. */
static char *
sb_trimmed(struct arena *A, const struct sbuf *b)
{
	size_t i = 0, j = b->n;

	while (i < j && b->s[i] == ' ')
		i++;
	while (j > i && b->s[j - 1] == ' ')
		j--;
	return astrndup(A, b->s ? b->s + i : "", j - i);
}

/* ------------------------------------------------------------ UTF-8 */

static bool
is_cjk(uint32_t cp)
{
	return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xff00 && cp <= 0xffef) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0x20000 && cp <= 0x2ffff);
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ------------------------------------------------------------ tables */

enum atom { T_ORD, T_OP, T_BIN, T_REL, T_OPEN, T_CLOSE, T_PUNCT, T_INNER, T_NONE };

enum cmd_kind {
	K_SYM,      /* a symbol: utf8, font, type */
	K_BIGOP,    /* a large operator symbol: arg = limits (-1 display, 0 no) */
	K_OPNAME,   /* \log, \max: upright name, op; arg = limits */
	K_SPACE,    /* arg = unit, amount */
	K_FONT,     /* \mathrm{…}: arg = the letters' font */
	K_TEXT,     /* \text{…}: arg = the Latin font */
	K_OPERATORNAME,
	K_FRAC,     /* arg = forced style (-1: none) */
	K_SQRT,
	K_LEFT,
	K_RIGHT,
	K_BEGIN,
	K_END,
	K_ACCENT,   /* utf8 = the accent glyph, mark = its combining character */
	K_OVERLINE,
	K_LIMITS,   /* arg = 1 (\limits) or 0 (\nolimits) */
	K_STYLE,    /* arg = style */
	K_ROWSEP,   /* \\ */
	K_LABEL,    /* \label{eq:NAME}: numbers its row of a displayed aligned */
	K_NOTAG     /* \notag, \nonumber: no number for its row */
};

enum { SP_MU, SP_EM, SP_WORD };
enum { ST_D, ST_T, ST_S, ST_SS };

struct cmd {
	const char *name; /* without the backslash */
	enum cmd_kind kind;
	const char *utf8;
	signed char font;
	signed char type;
	signed char arg;
	double amount;
	const char *mark;
};

#define SYM(n, u, f, t) {n, K_SYM, u, f, t, 0, 0, NULL}
#define GREEK(n, u) SYM(n, u, MATH_ITALIC, T_ORD)
#define UGREEK(n, u) SYM(n, u, MATH_ROMAN, T_ORD)
#define REL(n, u) SYM(n, u, MATH_SYMBOL, T_REL)
#define BIN(n, u) SYM(n, u, MATH_SYMBOL, T_BIN)
#define ORD(n, u) SYM(n, u, MATH_SYMBOL, T_ORD)
#define BIGOP(n, u, lim) {n, K_BIGOP, u, MATH_SYMBOL, T_OP, lim, 0, NULL}
#define OPNAME(n, lim) {n, K_OPNAME, n, MATH_ROMAN, T_OP, lim, 0, NULL}
#define SPACE(n, unit, amt) {n, K_SPACE, NULL, 0, T_NONE, unit, amt, NULL}
#define KIND(n, k, a) {n, k, NULL, 0, T_NONE, a, 0, NULL}
#define ACCENT(n, u, m) {n, K_ACCENT, u, 0, T_ORD, 0, 0, m}

static const struct cmd cmds[] = {
	GREEK("alpha", "α"), GREEK("beta", "β"), GREEK("gamma", "γ"), GREEK("delta", "δ"),
	GREEK("epsilon", "ϵ"), GREEK("varepsilon", "ε"), GREEK("zeta", "ζ"), GREEK("eta", "η"),
	GREEK("theta", "θ"), GREEK("vartheta", "ϑ"), GREEK("iota", "ι"), GREEK("kappa", "κ"),
	GREEK("lambda", "λ"), GREEK("mu", "μ"), GREEK("nu", "ν"), GREEK("xi", "ξ"),
	GREEK("pi", "π"), GREEK("varpi", "ϖ"), GREEK("rho", "ρ"), GREEK("varrho", "ϱ"),
	GREEK("sigma", "σ"), GREEK("varsigma", "ς"), GREEK("tau", "τ"), GREEK("upsilon", "υ"),
	GREEK("phi", "ϕ"), GREEK("varphi", "φ"), GREEK("chi", "χ"), GREEK("psi", "ψ"),
	GREEK("omega", "ω"),
	UGREEK("Gamma", "Γ"), UGREEK("Delta", "Δ"), UGREEK("Theta", "Θ"), UGREEK("Lambda", "Λ"),
	UGREEK("Xi", "Ξ"), UGREEK("Pi", "Π"), UGREEK("Sigma", "Σ"), UGREEK("Upsilon", "Υ"),
	UGREEK("Phi", "Φ"), UGREEK("Psi", "Ψ"), UGREEK("Omega", "Ω"),
	REL("geq", "≥"), REL("ge", "≥"), REL("leq", "≤"), REL("le", "≤"), REL("neq", "≠"),
	REL("ne", "≠"), REL("approx", "≈"), REL("sim", "∼"), REL("simeq", "≃"), REL("cong", "≅"),
	REL("equiv", "≡"), REL("to", "→"), REL("rightarrow", "→"), REL("leftarrow", "←"),
	REL("gets", "←"), REL("Rightarrow", "⇒"), REL("Leftarrow", "⇐"),
	REL("leftrightarrow", "↔"), REL("Leftrightarrow", "⇔"), REL("mapsto", "↦"),
	REL("in", "∈"), REL("notin", "∉"), REL("ni", "∋"), REL("subset", "⊂"), REL("supset", "⊃"),
	REL("subseteq", "⊆"), REL("supseteq", "⊇"), REL("propto", "∝"), REL("mid", "∣"),
	REL("parallel", "∥"), REL("ll", "≪"), REL("gg", "≫"), REL("perp", "⊥"),
	BIN("odot", "⊙"), BIN("oplus", "⊕"), BIN("otimes", "⊗"), BIN("cdot", "⋅"),
	SYM("times", "×", MATH_ROMAN, T_BIN), SYM("div", "÷", MATH_ROMAN, T_BIN),
	SYM("pm", "±", MATH_ROMAN, T_BIN), BIN("mp", "∓"), BIN("ast", "∗"), BIN("star", "⋆"),
	BIN("circ", "∘"), BIN("bullet", "∙"), BIN("cup", "∪"), BIN("cap", "∩"),
	BIN("setminus", "∖"), BIN("wedge", "∧"), BIN("land", "∧"), BIN("vee", "∨"), BIN("lor", "∨"),
	SYM("partial", "∂", MATH_ITALIC, T_ORD), ORD("nabla", "∇"), ORD("infty", "∞"),
	ORD("forall", "∀"), ORD("exists", "∃"), ORD("neg", "¬"), ORD("emptyset", "∅"),
	SYM("ell", "ℓ", MATH_ITALIC, T_ORD), ORD("hbar", "ℏ"), ORD("prime", "′"),
	ORD("|", "‖"), ORD("Vert", "‖"), SYM("vert", "|", MATH_ROMAN, T_ORD),
	SYM("ldots", "…", MATH_ROMAN, T_INNER), SYM("dots", "…", MATH_ROMAN, T_INNER),
	SYM("cdots", "⋯", MATH_SYMBOL, T_INNER),
	SYM("{", "{", MATH_ROMAN, T_OPEN), SYM("}", "}", MATH_ROMAN, T_CLOSE),
	SYM("lbrace", "{", MATH_ROMAN, T_OPEN), SYM("rbrace", "}", MATH_ROMAN, T_CLOSE),
	SYM("langle", "⟨", MATH_SYMBOL, T_OPEN), SYM("rangle", "⟩", MATH_SYMBOL, T_CLOSE),
	SYM("lvert", "|", MATH_ROMAN, T_OPEN), SYM("rvert", "|", MATH_ROMAN, T_CLOSE),
	SYM("lVert", "‖", MATH_SYMBOL, T_OPEN), SYM("rVert", "‖", MATH_SYMBOL, T_CLOSE),
	SYM("lfloor", "⌊", MATH_SYMBOL, T_OPEN), SYM("rfloor", "⌋", MATH_SYMBOL, T_CLOSE),
	SYM("lceil", "⌈", MATH_SYMBOL, T_OPEN), SYM("rceil", "⌉", MATH_SYMBOL, T_CLOSE),
	SYM("$", "$", MATH_ROMAN, T_ORD), SYM("%", "%", MATH_ROMAN, T_ORD),
	SYM("&", "&", MATH_ROMAN, T_ORD), SYM("#", "#", MATH_ROMAN, T_ORD),
	SYM("_", "_", MATH_ROMAN, T_ORD),
	BIGOP("sum", "∑", -1), BIGOP("prod", "∏", -1), BIGOP("coprod", "∐", -1),
	BIGOP("bigcup", "⋃", -1), BIGOP("bigcap", "⋂", -1), BIGOP("int", "∫", 0),
	BIGOP("iint", "∬", 0), BIGOP("iiint", "∭", 0), BIGOP("oint", "∮", 0),
	OPNAME("log", 0), OPNAME("ln", 0), OPNAME("exp", 0), OPNAME("sin", 0), OPNAME("cos", 0),
	OPNAME("tan", 0), OPNAME("sinh", 0), OPNAME("cosh", 0), OPNAME("tanh", 0),
	OPNAME("arg", 0), OPNAME("deg", 0), OPNAME("dim", 0), OPNAME("ker", 0),
	OPNAME("max", -1), OPNAME("min", -1), OPNAME("sup", -1), OPNAME("inf", -1),
	OPNAME("lim", -1), OPNAME("det", -1), OPNAME("Pr", -1), OPNAME("gcd", -1),
	SPACE(",", SP_MU, 3), SPACE("thinspace", SP_MU, 3), SPACE(":", SP_MU, 4),
	SPACE(">", SP_MU, 4), SPACE(";", SP_MU, 5), SPACE("!", SP_MU, -3),
	SPACE(" ", SP_WORD, 1), SPACE("quad", SP_EM, 1), SPACE("qquad", SP_EM, 2),
	SPACE("enspace", SP_EM, 0.5),
	KIND("mathrm", K_FONT, MATH_ROMAN), KIND("mathbf", K_FONT, MATH_BOLD),
	KIND("mathit", K_FONT, MATH_ITALIC), KIND("mathbb", K_FONT, MATH_BLACKBOARD),
	KIND("text", K_TEXT, MATH_ROMAN), KIND("textrm", K_TEXT, MATH_ROMAN),
	KIND("mbox", K_TEXT, MATH_ROMAN), KIND("textbf", K_TEXT, MATH_BOLD),
	KIND("textit", K_TEXT, MATH_ITALIC), KIND("operatorname", K_OPERATORNAME, 0),
	KIND("frac", K_FRAC, -1), KIND("dfrac", K_FRAC, ST_D), KIND("tfrac", K_FRAC, ST_T),
	KIND("sqrt", K_SQRT, 0), KIND("left", K_LEFT, 0), KIND("right", K_RIGHT, 0),
	KIND("begin", K_BEGIN, 0), KIND("end", K_END, 0), KIND("overline", K_OVERLINE, 0),
	KIND("limits", K_LIMITS, 1), KIND("nolimits", K_LIMITS, 0),
	KIND("displaystyle", K_STYLE, ST_D), KIND("textstyle", K_STYLE, ST_T),
	KIND("scriptstyle", K_STYLE, ST_S), KIND("scriptscriptstyle", K_STYLE, ST_SS),
	KIND("\\", K_ROWSEP, 0), KIND("label", K_LABEL, 0), KIND("notag", K_NOTAG, 0),
	KIND("nonumber", K_NOTAG, 0),
	ACCENT("hat", "ˆ", "\xcc\x82"), ACCENT("widehat", "ˆ", "\xcc\x82"),
	ACCENT("tilde", "˜", "\xcc\x83"), ACCENT("widetilde", "˜", "\xcc\x83"),
	ACCENT("bar", "¯", "\xcc\x84"), ACCENT("dot", "˙", "\xcc\x87"),
	ACCENT("ddot", "¨", "\xcc\x88"), ACCENT("check", "ˇ", "\xcc\x8c"),
	ACCENT("breve", "˘", "\xcc\x86"), ACCENT("acute", "´", "\xcc\x81"),
	ACCENT("grave", "`", "\xcc\x80"),
};

static const struct cmd *
cmd_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++)
		if (strlen(cmds[i].name) == len && memcmp(cmds[i].name, name, len) == 0)
			return &cmds[i];
	return NULL;
}

/* The closest command name within one edit (two for names of five letters
 * or more), for "did you mean". */
static const char *
cmd_suggest(const char *name)
{
	const char *best = NULL;
	size_t len = strlen(name);
	int best_d = len <= 4 ? 2 : 3; /* one edit for short names, two for longer */

	if (len < 2)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		if (!is_alpha(cmds[i].name[0]))
			continue;
		int d = edit_distance(name, cmds[i].name);
		if (d < best_d) {
			best_d = d;
			best = cmds[i].name;
		}
	}
	return best;
}

/* Delimiters of \left and \right.  Parentheses, braces and angles grow as
 * their glyph scaled up; brackets, bars, floors and ceilings as rules. */
enum dshape { D_NULL, D_GLYPH, D_LBRACK, D_RBRACK, D_BAR, D_DBAR, D_LFLOOR, D_RFLOOR,
	D_LCEIL, D_RCEIL };

struct delim {
	const char *name;
	const char *utf8;
	enum math_font font;
	enum dshape shape;
	/* tall versions built from the pieces of Unicode's Miscellaneous
	 * Technical block (⎛ ⎜ ⎝, ⎧ ⎨ ⎩ ⎪), in MATH_SYMBOL: top, middle or
	 * NULL, bottom, extension */
	const char *top, *mid, *bot, *ext;
};

#define DL(n, u, f, sh) {n, u, f, sh, NULL, NULL, NULL, NULL}

static const struct delim delims[] = {
	DL(".", "", MATH_ROMAN, D_NULL),
	{"(", "(", MATH_ROMAN, D_GLYPH, "⎛", NULL, "⎝", "⎜"},
	{")", ")", MATH_ROMAN, D_GLYPH, "⎞", NULL, "⎠", "⎟"},
	DL("[", "[", MATH_ROMAN, D_LBRACK), DL("]", "]", MATH_ROMAN, D_RBRACK),
	DL("|", "|", MATH_ROMAN, D_BAR), DL("\\vert", "|", MATH_ROMAN, D_BAR),
	DL("\\lvert", "|", MATH_ROMAN, D_BAR), DL("\\rvert", "|", MATH_ROMAN, D_BAR),
	DL("\\|", "‖", MATH_SYMBOL, D_DBAR), DL("\\Vert", "‖", MATH_SYMBOL, D_DBAR),
	DL("\\lVert", "‖", MATH_SYMBOL, D_DBAR), DL("\\rVert", "‖", MATH_SYMBOL, D_DBAR),
	{"\\{", "{", MATH_ROMAN, D_GLYPH, "⎧", "⎨", "⎩", "⎪"},
	{"\\}", "}", MATH_ROMAN, D_GLYPH, "⎫", "⎬", "⎭", "⎪"},
	{"\\lbrace", "{", MATH_ROMAN, D_GLYPH, "⎧", "⎨", "⎩", "⎪"},
	{"\\rbrace", "}", MATH_ROMAN, D_GLYPH, "⎫", "⎬", "⎭", "⎪"},
	DL("\\langle", "⟨", MATH_SYMBOL, D_GLYPH), DL("\\rangle", "⟩", MATH_SYMBOL, D_GLYPH),
	DL("<", "⟨", MATH_SYMBOL, D_GLYPH), DL(">", "⟩", MATH_SYMBOL, D_GLYPH),
	DL("/", "/", MATH_ROMAN, D_GLYPH),
	DL("\\lfloor", "⌊", MATH_SYMBOL, D_LFLOOR), DL("\\rfloor", "⌋", MATH_SYMBOL, D_RFLOOR),
	DL("\\lceil", "⌈", MATH_SYMBOL, D_LCEIL), DL("\\rceil", "⌉", MATH_SYMBOL, D_RCEIL),
};

/* Double-struck capitals: seven in the BMP (Letterlike Symbols), the rest
 * Mathematical Alphanumeric Symbols beyond it (𝔼 U+1D53C), which pdf.c
 * draws from the math font. */
static const char *
double_struck(char c)
{
	static const char *const ds[26] = {"𝔸", "𝔹", "ℂ", "𝔻", "𝔼", "𝔽", "𝔾", "ℍ", "𝕀",
	    "𝕁", "𝕂", "𝕃", "𝕄", "ℕ", "𝕆", "ℙ", "ℚ", "ℝ", "𝕊", "𝕋", "𝕌", "𝕍", "𝕎", "𝕏",
	    "𝕐", "ℤ"};
	return c >= 'A' && c <= 'Z' ? ds[c - 'A'] : NULL;
}

/* ------------------------------------------------------------ noads */

enum nkind {
	N_SYM,       /* utf8 in font; bigop: a large operator */
	N_OPNAME,    /* utf8: the name, upright */
	N_GROUP,     /* body: {…}, \mathrm{…}, \operatorname{…} (type op) */
	N_FRAC,      /* body / body2; style: forced style or -1 */
	N_SQRT,      /* body; body2: the index or NULL */
	N_LEFTRIGHT, /* ldelim body rdelim */
	N_ACCENT,    /* utf8: accent glyph, mark: combining char; body */
	N_OVERLINE,  /* body */
	N_TEXT,      /* utf8: text; font: the Latin font */
	N_ALIGNED,   /* rows */
	N_SPACE,     /* unit, amount */
	N_STYLE      /* style */
};

struct mlist {
	struct noad **v;
	size_t n, cap;
};

struct row {
	struct mlist **cells;
	size_t n, cap;
	const char *label;  /* \label{…} of the row, or NULL */
	size_t label_off;
	bool notag;         /* \notag or \nonumber */
	size_t notag_off;
};

struct noad {
	enum nkind kind;
	enum atom type;
	size_t off;
	const char *utf8;
	const char *mark;
	enum math_font font;
	bool bigop;
	int limits;         /* -1 in display style only, 0 never, 1 always */
	struct mlist *body, *body2;
	struct mlist *sup, *sub;
	bool sup_primes;    /* sup holds only primes so far: x'^2 is allowed */
	const struct delim *ldelim, *rdelim;
	int style;
	int unit;
	double amount;
	struct row *rows;
	size_t nrows;
	bool numbered;      /* aligned: its rows carry \label (numbered per row) */
};

static struct mlist *
list_new(struct arena *A)
{
	return aalloc(A, sizeof(struct mlist));
}

static void
list_push(struct arena *A, struct mlist *L, struct noad *nd)
{
	L->v = agrow(A, L->v, L->n, &L->cap, sizeof *L->v);
	L->v[L->n++] = nd;
}

static struct noad *
noad_new(struct arena *A, enum nkind kind, enum atom type, size_t off)
{
	struct noad *nd = aalloc(A, sizeof *nd);

	nd->kind = kind;
	nd->type = type;
	nd->off = off;
	nd->limits = 0;
	nd->style = -1;
	return nd;
}

/* ------------------------------------------------------------ parser */

struct parser {
	const char *src;
	size_t len, pos;
	struct doc_loc loc;
	struct arena *A;
	bool failed;
	bool recovered;     /* an error was reported that parsing could step over
	                     * (an unknown command or placeholder name): go on to
	                     * report the next ones, but give no box */
	int letters; /* -1: italic variables; else the font of Latin letters */
	int depth;
	bool display;
	/* The row of the top-level aligned block being read, and the depth
	 * of an atom at the top level of its cells: where \label and \notag
	 * may stand.  NULL elsewhere (inline math, nested groups, a nested
	 * aligned). */
	struct row *row;
	int row_depth;
	const struct noad *numbered; /* the aligned whose rows carry \label */
	const struct math_values *values; /* NULL: placeholders are errors */
	const int *cols;    /* NULL, or the column of each byte (one-line src) */
};

enum stop { STOP_END, STOP_RBRACE, STOP_RIGHT, STOP_AMP, STOP_ROWSEP, STOP_ENDENV, STOP_BRACKET };

/* Template line and column of byte offset `off` of the source. */
static void
where(const struct parser *P, size_t off, int *line, int *col)
{
	size_t start = 0;
	int k = 0;

	for (size_t i = 0; i < off && i < P->len; i++) {
		if (P->src[i] == '\n') {
			k++;
			start = i + 1;
		}
	}
	int j = char_col(P->src + start, off - start) - 1;
	*line = P->loc.line + k;
	*col = k == 0 ? P->loc.col + j : 1 + j;
	if (P->cols != NULL && k == 0)
		*col = P->cols[off < P->len ? off : P->len];
}

/* Reports the formula's (first) error at byte offset off.  Every message
 * takes at most two string arguments. */
static void
fail(struct parser *P, size_t off, enum diag_code code, const char *a, const char *b)
{
	if (P->failed)
		return;
	P->failed = true;
	int line, col;
	where(P, off, &line, &col);
	diag_emit(code, P->loc.file, line, col, a ? a : "", b ? b : "");
}

static void
skip_space(struct parser *P)
{
	while (P->pos < P->len && (P->src[P->pos] == ' ' || P->src[P->pos] == '\t' ||
	    P->src[P->pos] == '\n' || P->src[P->pos] == '\r'))
		P->pos++;
}

/* The name of the control sequence at `off` (a backslash): letters, or one
 * character.  *end is the offset after it. */
static void
cs_name(const struct parser *P, size_t off, const char **name, size_t *len, size_t *end)
{
	size_t i = off + 1;

	*name = P->src + i;
	if (i >= P->len) {
		*len = 0;
	} else if (is_alpha(P->src[i])) {
		while (i < P->len && is_alpha(P->src[i]))
			i++;
		*len = i - (off + 1);
	} else {
		uint32_t cp;
		*len = utf8_decode(P->src + i, P->len - i, &cp);
	}
	*end = off + 1 + *len;
}

static bool
cs_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

static struct noad *char_noad(struct parser *P, size_t off, const char *s, size_t len);

/* Is there a placeholder at P->pos: "{{" not followed by a third '{' (in
 * "\frac{{{a}}}{2}" the first brace opens the argument)? */
static bool
at_placeholder(const struct parser *P)
{
	size_t i = P->pos;
	return i + 1 < P->len && P->src[i] == '{' && P->src[i + 1] == '{' &&
	    (i + 2 >= P->len || P->src[i + 2] != '{');
}

/* Is s[0..n) a number as printf's %f, %e and %g (or a config file) write
 * it: blanks, an optional sign, digits with at most one '.', an optional
 * exponent (e or E, a sign, digits)? */
static bool
math_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (bool dot = false; i < n && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !dot));
	    i++) {
		if (s[i] == '.')
			dot = true;
		else
			digits++;
	}
	if (digits == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	while (i < n && s[i] == ' ')
		i++;
	return i == n;
}

/* Reads the placeholder at P->pos ("{{name}}" or "{{name|format}}", closed
 * on its line) and returns its value as `values` writes it (in the arena),
 * *all the placeholder as written; NULL after reporting an error. */
static const char *
placeholder_value(struct parser *P, const char **all)
{
	size_t off = P->pos, j;

	for (j = off + 2; j + 1 < P->len && P->src[j] != '\n'; j++)
		if (P->src[j] == '}' && P->src[j + 1] == '}')
			break;
	if (j + 1 >= P->len || P->src[j] == '\n') {
		fail(P, off, DIAG_TPL_UNCLOSED, "placeholder", "}}");
		return NULL;
	}
	size_t bar = off + 2;
	while (bar < j && P->src[bar] != '|')
		bar++;
	char *name = astrndup(P->A, P->src + off + 2, bar - (off + 2));
	char *format = bar < j ? astrndup(P->A, P->src + bar + 1, j - bar - 1) : NULL;
	*all = astrndup(P->A, P->src + off, j + 2 - off);
	P->pos = j + 2;
	if (P->values == NULL) {
		char *msg = xasprintf("placeholder '%s' has no value here", *all);
		fail(P, off, DIAG_MATH_SYNTAX, astrndup(P->A, msg, strlen(msg)), NULL);
		free(msg);
		return NULL;
	}
	char buf[256];
	struct doc_loc at;
	where(P, off, &at.line, &at.col);
	at.file = P->loc.file;
	if (!P->values->value(P->values->ctx, name, format, at, buf, sizeof buf)) {
		/* reported by values->value; a stand-in number lets the rest of
		 * the formula be checked */
		P->recovered = true;
		return "0";
	}
	return astrndup(P->A, buf, strlen(buf));
}

/* The placeholder at P->pos, its value appended to L as the atoms of the
 * literal: "-2.5e-05" as -2.5\times 10^{-5}.  A signed value is
 * parenthesised where an author would write the parentheses: right after a
 * binary operator ("a - {{x}}" with x = -1 is set a − (−1), not a − −1) and
 * as the base of a power ("{{x}}^2" is (−1)², not −1², which is −(1²)).
 * Every atom has the placeholder's offset. */
static bool
parse_placeholder(struct parser *P, struct mlist *L)
{
	size_t off = P->pos;
	const char *all, *v = placeholder_value(P, &all);

	if (v == NULL)
		return false;
	size_t n = strlen(v);
	if (!math_number(v, n)) {
		char *msg = xasprintf("placeholder '%s' inside math needs a number, but its value "
		    "is '%s'", all, v);
		fail(P, off, DIAG_MATH_SYNTAX, astrndup(P->A, msg, strlen(msg)), NULL);
		free(msg);
		return false;
	}
	size_t first = strspn(v, " "), next = P->pos;
	while (next < P->len && strchr(" \t\r\n", P->src[next]) != NULL)
		next++;
	bool signed_value = v[first] == '-' || v[first] == '+';
	bool after_bin = L->n > 0 && L->v[L->n - 1]->type == T_BIN;
	bool powered = next < P->len && P->src[next] == '^';
	bool paren = signed_value && (after_bin || powered);
	if (paren)
		list_push(P->A, L, char_noad(P, off, "(", 1));
	for (size_t i = 0; i < n; i++) {
		if (v[i] == ' ')
			continue;
		if (v[i] != 'e' && v[i] != 'E') {
			list_push(P->A, L, char_noad(P, off, v + i, 1));
			continue;
		}
		/* The exponent: × 10 with it as the superscript of the 0. */
		list_push(P->A, L, char_noad(P, off, "×", strlen("×")));
		list_push(P->A, L, char_noad(P, off, "1", 1));
		struct noad *zero = char_noad(P, off, "0", 1);
		list_push(P->A, L, zero);
		zero->sup = list_new(P->A);
		i++;
		if (v[i] == '-')
			list_push(P->A, zero->sup, char_noad(P, off, "-", 1));
		if (v[i] == '-' || v[i] == '+')
			i++;
		while (v[i] == '0' && v[i + 1] >= '0' && v[i + 1] <= '9')
			i++;
		for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			list_push(P->A, zero->sup, char_noad(P, off, v + i, 1));
		i--;
	}
	if (paren)
		list_push(P->A, L, char_noad(P, off, ")", 1));
	return true;
}

static struct mlist *parse_list(struct parser *P, enum stop *why, bool bracket);
static struct noad *parse_atom(struct parser *P, struct mlist *L);

/* Reports why a braced group did not end at its '}'. */
static void
group_error(struct parser *P, enum stop why, size_t open)
{
	switch (why) {
	case STOP_RIGHT:
		fail(P, P->pos, DIAG_MATH_RIGHT_WITHOUT_LEFT, NULL, NULL);
		break;
	case STOP_AMP:
		fail(P, P->pos, DIAG_MATH_MISPLACED, "&", NULL);
		break;
	case STOP_ROWSEP:
		fail(P, P->pos, DIAG_MATH_MISPLACED, "\\\\", NULL);
		break;
	default:
		fail(P, open, DIAG_MATH_UNBALANCED, "'{' is never closed (missing '}')", NULL);
		break;
	}
}

/* A braced group at P->pos ('{'), its '}' consumed. */
static struct mlist *
parse_group(struct parser *P)
{
	size_t open = P->pos;
	enum stop why;

	P->pos++;
	struct mlist *L = parse_list(P, &why, false);
	if (P->failed)
		return NULL;
	if (why != STOP_RBRACE) {
		group_error(P, why, open);
		return NULL;
	}
	P->pos++;
	return L;
}

/* The argument of `what` (the command at cmd_off): a {group} or a single
 * token.  `which` names it in the error ("argument", "second argument"). */
static struct mlist *
parse_arg(struct parser *P, size_t cmd_off, const char *what, const char *which)
{
	skip_space(P);
	if (P->pos >= P->len) {
		fail(P, cmd_off, DIAG_MATH_MISSING_ARG, what, which);
		return NULL;
	}
	char c = P->src[P->pos];
	if (at_placeholder(P)) {
		struct mlist *L = list_new(P->A);
		return parse_placeholder(P, L) ? L : NULL;
	}
	if (c == '{')
		return parse_group(P);
	if (c == '}' || c == '&' || c == '^' || c == '_') {
		fail(P, cmd_off, DIAG_MATH_MISSING_ARG, what, which);
		return NULL;
	}
	if (c == '\\') {
		const char *name;
		size_t len, end;
		cs_name(P, P->pos, &name, &len, &end);
		if (len == 0 || cs_is(name, len, "\\") || cs_is(name, len, "right") ||
		    cs_is(name, len, "end")) {
			fail(P, cmd_off, DIAG_MATH_MISSING_ARG, what, which);
			return NULL;
		}
	}
	struct mlist *L = list_new(P->A);
	struct row *saved = P->row;
	P->row = NULL; /* x^\label{…} is no row's label */
	struct noad *nd = parse_atom(P, L);
	P->row = saved;
	if (P->failed)
		return NULL;
	if (nd)
		list_push(P->A, L, nd);
	return L;
}

/* The last noad of L if scripts can attach to it. */
static struct noad *
script_base(struct mlist *L)
{
	if (L->n == 0)
		return NULL;
	struct noad *nd = L->v[L->n - 1];
	return nd->kind == N_SPACE || nd->kind == N_STYLE ? NULL : nd;
}

static struct noad *
char_noad(struct parser *P, size_t off, const char *s, size_t len)
{
	struct noad *nd = noad_new(P->A, N_SYM, T_ORD, off);
	uint32_t cp;
	char c = s[0];

	utf8_decode(s, len, &cp);
	nd->font = MATH_ROMAN;
	nd->utf8 = astrndup(P->A, s, len);
	if (is_alpha(c)) {
		const char *ds;
		if (P->letters < 0) {
			nd->font = MATH_ITALIC;
		} else if (P->letters == MATH_BLACKBOARD && (ds = double_struck(c)) != NULL) {
			nd->font = MATH_SYMBOL;
			nd->utf8 = ds;
		} else if (P->letters == MATH_BLACKBOARD && !(c >= 'A' && c <= 'Z')) {
			nd->font = MATH_BOLD; /* \mathbb has capitals only */
		} else {
			nd->font = (enum math_font)P->letters;
		}
		return nd;
	}
	if (c >= '0' && c <= '9') {
		nd->font = P->letters == MATH_BOLD ? MATH_BOLD : MATH_ROMAN;
		return nd;
	}
	switch (c) {
	case '+': nd->type = T_BIN; return nd;
	case '-': nd->type = T_BIN; nd->utf8 = "−"; return nd;
	case '*': nd->type = T_BIN; nd->utf8 = "∗"; nd->font = MATH_SYMBOL; return nd;
	case '=': case '<': case '>': case ':': nd->type = T_REL; return nd;
	case ',': case ';': nd->type = T_PUNCT; return nd;
	case '(': case '[': nd->type = T_OPEN; return nd;
	case ')': case ']': case '!': case '?': nd->type = T_CLOSE; return nd;
	case '\'': nd->utf8 = "′"; nd->font = MATH_SYMBOL; return nd;
	default: break;
	}
	if (cp < 0x80)
		return nd;
	/* Unicode typed in the source: Greek, the symbols of the command
	 * table (‖ in table cells, ≥ …), Chinese. */
	if ((cp >= 0x3b1 && cp <= 0x3c9) || cp == 0x3d1 || cp == 0x3d5 || cp == 0x3d6 ||
	    cp == 0x3f1 || cp == 0x3f5) {
		nd->font = MATH_ITALIC;
		return nd;
	}
	if (cp >= 0x391 && cp <= 0x3a9)
		return nd;
	if (cp == 0x2212) {
		nd->type = T_BIN;
		return nd;
	}
	if (is_cjk(cp)) {
		nd->font = MATH_CJK;
		return nd;
	}
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		if ((cmds[i].kind == K_SYM || cmds[i].kind == K_BIGOP) && cmds[i].utf8 &&
		    strlen(cmds[i].utf8) == len && memcmp(cmds[i].utf8, s, len) == 0) {
			nd->font = (enum math_font)cmds[i].font;
			nd->type = (enum atom)cmds[i].type;
			nd->bigop = cmds[i].kind == K_BIGOP;
			nd->limits = nd->bigop ? cmds[i].arg : 0;
			return nd;
		}
	}
	return nd;
}

/* ^ or _ at P->pos, attached to the last noad of L (or an empty one). */
static bool
parse_script(struct parser *P, struct mlist *L)
{
	size_t off = P->pos;
	bool sup = P->src[off] == '^';
	struct noad *base = script_base(L);

	P->pos++;
	if (base == NULL) {
		base = noad_new(P->A, N_GROUP, T_ORD, off);
		base->body = list_new(P->A);
		list_push(P->A, L, base);
	}
	if (sup ? base->sup != NULL && !base->sup_primes : base->sub != NULL) {
		fail(P, off, DIAG_MATH_DOUBLE_SCRIPT, sup ? "superscript" : "subscript", NULL);
		return false;
	}
	struct mlist *arg = parse_arg(P, off, sup ? "^" : "_", "argument");
	if (arg == NULL)
		return false;
	if (!sup) {
		base->sub = arg;
	} else if (base->sup) {
		for (size_t i = 0; i < arg->n; i++)
			list_push(P->A, base->sup, arg->v[i]);
		base->sup_primes = false;
	} else {
		base->sup = arg;
	}
	return true;
}

/* A prime: ′ appended to the superscript of the last noad. */
static bool
parse_prime(struct parser *P, struct mlist *L)
{
	size_t off = P->pos;
	struct noad *base = script_base(L);

	P->pos++;
	if (base == NULL) {
		base = noad_new(P->A, N_GROUP, T_ORD, off);
		base->body = list_new(P->A);
		list_push(P->A, L, base);
	}
	if (base->sup && !base->sup_primes) {
		fail(P, off, DIAG_MATH_DOUBLE_SCRIPT, "superscript", NULL);
		return false;
	}
	if (base->sup == NULL) {
		base->sup = list_new(P->A);
		base->sup_primes = true;
	}
	struct noad *pr = noad_new(P->A, N_SYM, T_ORD, off);
	pr->utf8 = "′";
	pr->font = MATH_SYMBOL;
	list_push(P->A, base->sup, pr);
	return true;
}

/* The delimiter after \left or \right (`what`, at cmd_off). */
static const struct delim *
parse_delim(struct parser *P, size_t cmd_off, const char *what)
{
	skip_space(P);
	if (P->pos >= P->len) {
		fail(P, cmd_off, DIAG_MATH_MISSING_ARG, what, "delimiter");
		return NULL;
	}
	size_t off = P->pos, end;
	if (P->src[off] == '\\') {
		const char *name;
		size_t len;
		cs_name(P, off, &name, &len, &end);
	} else {
		uint32_t cp;
		end = off + utf8_decode(P->src + off, P->len - off, &cp);
	}
	for (size_t i = 0; i < ARRAY_LEN(delims); i++) {
		if (strlen(delims[i].name) == end - off &&
		    memcmp(delims[i].name, P->src + off, end - off) == 0) {
			P->pos = end;
			return &delims[i];
		}
	}
	char *tok = astrndup(P->A, P->src + off, end - off);
	fail(P, off, DIAG_MATH_BAD_DELIMITER, tok, what);
	return NULL;
}

/* {name} after \begin or \end (at cmd_off). */
static char *
parse_env_name(struct parser *P, size_t cmd_off, const char *what)
{
	skip_space(P);
	if (P->pos >= P->len || P->src[P->pos] != '{') {
		fail(P, cmd_off, DIAG_MATH_MISSING_ARG, what, "environment name ({aligned})");
		return NULL;
	}
	size_t a = P->pos + 1, z = a;
	while (z < P->len && P->src[z] != '}' && P->src[z] != '\n')
		z++;
	if (z >= P->len || P->src[z] != '}') {
		fail(P, P->pos, DIAG_MATH_UNBALANCED, "'{' is never closed (missing '}')", NULL);
		return NULL;
	}
	P->pos = z + 1;
	return astrndup(P->A, P->src + a, z - a);
}

static bool check_row_marks(struct parser *P, struct noad *nd);

/* \begin{aligned} … \end{aligned}, \begin already read (at off).  `top`:
 * the block stands at the top level of a display, so its rows may carry
 * \label and \notag. */
static struct noad *
parse_aligned1(struct parser *P, size_t off, bool top)
{
	char *env = parse_env_name(P, off, "\\begin");

	if (env == NULL)
		return NULL;
	if (strcmp(env, "aligned") != 0) {
		int d = edit_distance(env, "aligned");
		char *msg = xasprintf("unknown environment '%s' (math supports only aligned)%s", env,
		    d <= 3 ? "; did you mean 'aligned'?" : "");
		char *m = astrndup(P->A, msg, strlen(msg));
		free(msg);
		fail(P, off, DIAG_MATH_BAD_ENVIRONMENT, m, NULL);
		return NULL;
	}
	struct noad *nd = noad_new(P->A, N_ALIGNED, T_ORD, off);
	size_t rcap = 0;
	struct row *row = NULL;

	for (;;) {
		if (row == NULL) {
			nd->rows = agrow(P->A, nd->rows, nd->nrows, &rcap, sizeof *nd->rows);
			row = &nd->rows[nd->nrows++];
			memset(row, 0, sizeof *row);
			P->row = top ? row : NULL;
		}
		enum stop why;
		struct mlist *cell = parse_list(P, &why, false);
		if (P->failed)
			return NULL;
		if (row->n % 2 == 1) {
			/* amsmath's {} before the right-hand side: "&= b" puts
			 * thick spaces around the '=' */
			struct noad *empty = noad_new(P->A, N_GROUP, T_ORD, off);
			empty->body = list_new(P->A);
			struct mlist *c2 = list_new(P->A);
			list_push(P->A, c2, empty);
			for (size_t i = 0; i < cell->n; i++)
				list_push(P->A, c2, cell->v[i]);
			cell = c2;
		}
		row->cells = agrow(P->A, row->cells, row->n, &row->cap, sizeof *row->cells);
		row->cells[row->n++] = cell;
		switch (why) {
		case STOP_AMP:
			P->pos++;
			break;
		case STOP_ROWSEP:
			P->pos += 2;
			row = NULL;
			break;
		case STOP_ENDENV: {
			size_t eoff = P->pos;
			P->pos += 4;
			char *name = parse_env_name(P, eoff, "\\end");
			if (name == NULL)
				return NULL;
			if (strcmp(name, "aligned") != 0) {
				char *msg = xasprintf("'\\end{%s}' does not close '\\begin{aligned}'", name);
				char *m = astrndup(P->A, msg, strlen(msg));
				free(msg);
				fail(P, eoff, DIAG_MATH_BAD_ENVIRONMENT, m, NULL);
				return NULL;
			}
			/* a trailing \\ leaves an empty last row */
			if (nd->nrows > 1 && row->n == 1 && row->cells[0]->n == 0 &&
			    row->label == NULL && !row->notag)
				nd->nrows--;
			return check_row_marks(P, nd) ? nd : NULL;
		}
		case STOP_END:
			fail(P, off, DIAG_MATH_BAD_ENVIRONMENT,
			    "'\\begin{aligned}' is never closed (missing '\\end{aligned}')", NULL);
			return NULL;
		case STOP_RBRACE:
			fail(P, P->pos, DIAG_MATH_UNBALANCED, "'}' closes no group", NULL);
			return NULL;
		case STOP_RIGHT:
		default:
			fail(P, P->pos, DIAG_MATH_RIGHT_WITHOUT_LEFT, NULL, NULL);
			return NULL;
		}
	}
}

/* After an aligned block: \notag only where other rows are numbered, and
 * one block per display numbered per row. */
static bool
check_row_marks(struct parser *P, struct noad *nd)
{
	const struct row *first_label = NULL, *first_notag = NULL;

	for (size_t r = 0; r < nd->nrows; r++) {
		if (nd->rows[r].label && first_label == NULL)
			first_label = &nd->rows[r];
		if (nd->rows[r].notag && first_notag == NULL)
			first_notag = &nd->rows[r];
	}
	if (first_notag && first_label == NULL) {
		fail(P, first_notag->notag_off, DIAG_MATH_SYNTAX,
		    "'\\notag' in a display that is not numbered per row (no row of its aligned "
		    "block has a \\label{eq:NAME}; rows without a label get no number anyway)", NULL);
		return false;
	}
	if (first_label == NULL)
		return true;
	if (P->numbered != NULL) {
		fail(P, first_label->label_off, DIAG_MATH_SYNTAX,
		    "only one aligned block of a display can number its rows (this display "
		    "has an earlier one)", NULL);
		return false;
	}
	nd->numbered = true;
	P->numbered = nd;
	return true;
}

static struct noad *
parse_aligned(struct parser *P, size_t off)
{
	/* at the formula's top level: parse_list (depth 1) -> parse_atom (2);
	 * an atom of a cell is at depth 4 */
	bool top = P->display && P->depth == 2;
	struct row *saved_row = P->row;
	int saved_depth = P->row_depth;

	P->row = NULL;
	P->row_depth = P->depth + 2;
	struct noad *nd = parse_aligned1(P, off, top);
	P->row = saved_row;
	P->row_depth = saved_depth;
	return nd;
}

/* \label{…} or \notag (the command `cs` at off, read) at the top level of
 * a row of a displayed aligned block: marks P->row.  Returns false after
 * reporting an error. */
static bool
parse_row_mark(struct parser *P, size_t off, const char *cs, bool label)
{
	if (P->row == NULL || P->depth != P->row_depth) {
		char *msg = label ?
		    xasprintf("'%s' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned}, where it numbers the row; number a "
		    "whole display with {#eq:NAME} after its closing '$$'", cs) :
		    xasprintf("'%s' stands at the top level of a row of a displayed "
		    "\\begin{aligned} ... \\end{aligned} whose other rows carry \\label{eq:NAME}", cs);
		char *m = astrndup(P->A, msg, strlen(msg));
		free(msg);
		fail(P, off, DIAG_MATH_SYNTAX, m, NULL);
		return false;
	}
	struct row *row = P->row;
	if (!label) {
		if (row->label) {
			fail(P, off, DIAG_MATH_SYNTAX, "a row with a \\label cannot be \\notag'd", NULL);
			return false;
		}
		row->notag = true;
		row->notag_off = off;
		return true;
	}
	skip_space(P);
	if (P->pos >= P->len || P->src[P->pos] != '{') {
		fail(P, off, DIAG_MATH_MISSING_ARG, cs, "argument (the label, {eq:NAME})");
		return false;
	}
	size_t open = P->pos, a = open + 1, z = a;
	while (z < P->len && P->src[z] != '}' && P->src[z] != '{' && P->src[z] != '\n')
		z++;
	if (z >= P->len || P->src[z] != '}') {
		fail(P, open, DIAG_MATH_UNBALANCED, "'{' is never closed (missing '}')", NULL);
		return false;
	}
	P->pos = z + 1;
	while (a < z && (P->src[a] == ' ' || P->src[a] == '\t'))
		a++;
	while (z > a && (P->src[z - 1] == ' ' || P->src[z - 1] == '\t'))
		z--;
	if (a == z) {
		fail(P, off, DIAG_MATH_MISSING_ARG, cs, "argument (the label, {eq:NAME})");
		return false;
	}
	if (row->notag) {
		fail(P, off, DIAG_MATH_SYNTAX, "a \\notag'd row cannot have a \\label", NULL);
		return false;
	}
	if (row->label) {
		char *msg = xasprintf("this row already has '\\label{%s}' (one label per row)",
		    row->label);
		char *m = astrndup(P->A, msg, strlen(msg));
		free(msg);
		fail(P, off, DIAG_MATH_SYNTAX, m, NULL);
		return false;
	}
	row->label = astrndup(P->A, P->src + a, z - a);
	row->label_off = off;
	return true;
}

/* \text{…} (the command at off): raw text, blanks collapsed, a few
 * escapes. */
/* A placeholder's value inside \text{…}: as in running text, a number's
 * minus as '−' and its exponent as ×10 with superscript digits ("1.5e-14"
 * as 1.5×10⁻¹⁴); any other value as it is. */
static void
text_value(struct arena *A, struct sbuf *b, const char *v)
{
	static const char *const sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};

	if (!math_number(v, strlen(v))) {
		sb_puts(A, b, v);
		return;
	}
	while (*v == ' ')
		v++;
	for (; *v && *v != ' '; v++) {
		if (*v == '-') {
			sb_puts(A, b, "−");
		} else if (*v == 'e' || *v == 'E') {
			sb_puts(A, b, "×10");
			v++;
			if (*v == '-')
				sb_puts(A, b, "⁻");
			if (*v == '-' || *v == '+')
				v++;
			while (*v == '0' && v[1] >= '0' && v[1] <= '9')
				v++;
			for (; *v >= '0' && *v <= '9'; v++)
				sb_puts(A, b, sup[*v - '0']);
			v--;
		} else {
			sb_putn(A, b, v, 1);
		}
	}
}

static struct noad *
parse_text(struct parser *P, size_t off, const char *what, enum math_font font)
{
	struct sbuf b = {0};
	struct noad *nd = noad_new(P->A, N_TEXT, T_ORD, off);

	nd->font = font;
	skip_space(P);
	if (P->pos >= P->len || P->src[P->pos] == '}' || P->src[P->pos] == '&') {
		fail(P, off, DIAG_MATH_MISSING_ARG, what, "argument");
		return NULL;
	}
	if (P->src[P->pos] != '{') {
		uint32_t cp;
		size_t n = utf8_decode(P->src + P->pos, P->len - P->pos, &cp);
		nd->utf8 = astrndup(P->A, P->src + P->pos, n);
		P->pos += n;
		return nd;
	}
	size_t open = P->pos;
	int depth = 1;

	P->pos++;
	while (P->pos < P->len) {
		char c = P->src[P->pos];
		if (at_placeholder(P)) {
			const char *all, *v = placeholder_value(P, &all);
			if (v == NULL)
				return NULL;
			text_value(P->A, &b, v);
		} else if (c == '{') {
			depth++;
			P->pos++;
		} else if (c == '}') {
			P->pos++;
			if (--depth == 0) {
				nd->utf8 = b.s ? b.s : "";
				return nd;
			}
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (b.n == 0 || b.s[b.n - 1] != ' ')
				sb_putn(P->A, &b, " ", 1);
			P->pos++;
		} else if (c == '\\') {
			const char *name;
			size_t len, end;
			cs_name(P, P->pos, &name, &len, &end);
			if (len == 1 && strchr("{}$%&#_ ", name[0])) {
				sb_putn(P->A, &b, name, 1);
			} else if (cs_is(name, len, ",") || cs_is(name, len, "quad")) {
				sb_puts(P->A, &b, cs_is(name, len, ",") ? "\u2009" : "\u2003");
			} else {
				char *cs = astrndup(P->A, P->src + P->pos, end - P->pos);
				char *msg = xasprintf("'%s' cannot be used inside %s{...} (only "
				    "\\{ \\} \\$ \\%% \\& \\# \\_ \\, \\quad and '\\ ')", cs, what);
				char *m = astrndup(P->A, msg, strlen(msg));
				free(msg);
				fail(P, P->pos, DIAG_MATH_SYNTAX, m, NULL);
				return NULL;
			}
			P->pos = end;
		} else {
			uint32_t cp;
			size_t n = utf8_decode(P->src + P->pos, P->len - P->pos, &cp);
			sb_putn(P->A, &b, P->src + P->pos, n);
			P->pos += n;
		}
	}
	fail(P, open, DIAG_MATH_UNBALANCED, "'{' is never closed (missing '}')", NULL);
	return NULL;
}

/* A control sequence at P->pos.  Returns the noad to append, or NULL when
 * it changed L instead (\limits) or failed. */
static struct noad *
parse_command(struct parser *P, struct mlist *L)
{
	size_t off = P->pos, end, len;
	const char *name;

	cs_name(P, off, &name, &len, &end);
	if (len == 0) {
		fail(P, off, DIAG_MATH_SYNTAX, "a lone '\\' at the end of the formula", NULL);
		return NULL;
	}
	P->pos = end;
	const struct cmd *c = cmd_find(name, len);
	char *cs = astrndup(P->A, P->src + off, end - off);
	struct noad *nd;
	if (c == NULL) {
		char *nm = astrndup(P->A, name, len);
		const char *best = cmd_suggest(nm);
		char *hint = best ? xasprintf("; did you mean '\\%s'?", best) : xstrdup("");
		char *h = astrndup(P->A, hint, strlen(hint));
		free(hint);
		/* reported, then read as an ordinary symbol (its arguments, if
		 * any, as groups) so that later errors are reported too */
		int line, col;
		where(P, off, &line, &col);
		diag_emit(DIAG_MATH_UNKNOWN_COMMAND, P->loc.file, line, col, cs, h);
		P->recovered = true;
		nd = noad_new(P->A, N_SYM, T_ORD, off);
		nd->utf8 = "?";
		nd->font = MATH_ROMAN;
		return nd;
	}
	switch (c->kind) {
	case K_SYM:
	case K_BIGOP:
		nd = noad_new(P->A, N_SYM, (enum atom)c->type, off);
		nd->utf8 = c->utf8;
		nd->font = (enum math_font)c->font;
		nd->bigop = c->kind == K_BIGOP;
		nd->limits = nd->bigop ? c->arg : 0;
		return nd;
	case K_OPNAME:
		nd = noad_new(P->A, N_OPNAME, T_OP, off);
		nd->utf8 = c->utf8;
		nd->font = MATH_ROMAN;
		nd->limits = c->arg;
		return nd;
	case K_SPACE:
		nd = noad_new(P->A, N_SPACE, T_NONE, off);
		nd->unit = c->arg;
		nd->amount = c->amount;
		return nd;
	case K_FONT:
	case K_OPERATORNAME: {
		int saved = P->letters;
		P->letters = c->kind == K_FONT ? c->arg : MATH_ROMAN;
		struct mlist *arg = parse_arg(P, off, cs, "argument");
		P->letters = saved;
		if (arg == NULL)
			return NULL;
		nd = noad_new(P->A, N_GROUP, c->kind == K_FONT ? T_ORD : T_OP, off);
		nd->body = arg;
		return nd;
	}
	case K_TEXT:
		return parse_text(P, off, cs, (enum math_font)c->arg);
	case K_FRAC: {
		struct mlist *num = parse_arg(P, off, cs, "first argument (the numerator)");
		if (num == NULL)
			return NULL;
		struct mlist *den = parse_arg(P, off, cs, "second argument (the denominator)");
		if (den == NULL)
			return NULL;
		/* LaTeX's \frac is a braced group: an Ord atom (a bare
		 * plain-TeX \over would be Inner, with thin spaces around) */
		nd = noad_new(P->A, N_FRAC, T_ORD, off);
		nd->body = num;
		nd->body2 = den;
		nd->style = c->arg;
		return nd;
	}
	case K_SQRT: {
		struct mlist *index = NULL;
		skip_space(P);
		if (P->pos < P->len && P->src[P->pos] == '[') {
			size_t open = P->pos;
			enum stop why;
			P->pos++;
			index = parse_list(P, &why, true);
			if (P->failed)
				return NULL;
			if (why != STOP_BRACKET) {
				if (why == STOP_END)
					fail(P, open, DIAG_MATH_SYNTAX,
					    "the '[' of '\\sqrt[...]' is never closed (missing ']')", NULL);
				else
					group_error(P, why, open);
				return NULL;
			}
			P->pos++;
		}
		struct mlist *body = parse_arg(P, off, cs, "argument");
		if (body == NULL)
			return NULL;
		nd = noad_new(P->A, N_SQRT, T_ORD, off);
		nd->body = body;
		nd->body2 = index;
		return nd;
	}
	case K_LEFT: {
		const struct delim *l = parse_delim(P, off, "\\left");
		if (l == NULL)
			return NULL;
		enum stop why;
		struct mlist *body = parse_list(P, &why, false);
		if (P->failed)
			return NULL;
		if (why != STOP_RIGHT) {
			fail(P, off, DIAG_MATH_LEFT_WITHOUT_RIGHT, l->name, NULL);
			return NULL;
		}
		size_t roff = P->pos, rend, rlen;
		const char *rname;
		cs_name(P, roff, &rname, &rlen, &rend);
		P->pos = rend;
		const struct delim *r = parse_delim(P, roff, "\\right");
		if (r == NULL)
			return NULL;
		nd = noad_new(P->A, N_LEFTRIGHT, T_INNER, off);
		nd->ldelim = l;
		nd->rdelim = r;
		nd->body = body;
		return nd;
	}
	case K_RIGHT:
		fail(P, off, DIAG_MATH_RIGHT_WITHOUT_LEFT, NULL, NULL);
		return NULL;
	case K_BEGIN:
		return parse_aligned(P, off);
	case K_END:
		fail(P, off, DIAG_MATH_BAD_ENVIRONMENT, "'\\end' without a matching '\\begin'", NULL);
		return NULL;
	case K_ROWSEP:
		fail(P, off, DIAG_MATH_MISPLACED, "\\\\", NULL);
		return NULL;
	case K_LABEL:
	case K_NOTAG:
		parse_row_mark(P, off, cs, c->kind == K_LABEL);
		return NULL;
	case K_ACCENT:
	case K_OVERLINE: {
		struct mlist *body = parse_arg(P, off, cs, "argument");
		if (body == NULL)
			return NULL;
		nd = noad_new(P->A, c->kind == K_ACCENT ? N_ACCENT : N_OVERLINE, T_ORD, off);
		nd->body = body;
		nd->utf8 = c->utf8;
		nd->mark = c->mark;
		return nd;
	}
	case K_LIMITS: {
		struct noad *base = script_base(L);
		if (base == NULL || base->type != T_OP) {
			char *msg = xasprintf("'%s' must follow an operator such as \\sum or \\max", cs);
			char *m = astrndup(P->A, msg, strlen(msg));
			free(msg);
			fail(P, off, DIAG_MATH_SYNTAX, m, NULL);
			return NULL;
		}
		base->limits = c->arg;
		return NULL;
	}
	case K_STYLE:
		nd = noad_new(P->A, N_STYLE, T_NONE, off);
		nd->style = c->arg;
		return nd;
	}
	return NULL;
}

static struct noad *parse_atom1(struct parser *P, struct mlist *L);

/* One atom at P->pos (not a script, prime or terminator).  Arguments
 * without braces (\hat\hat x) nest through here, so the depth is
 * counted here too. */
static struct noad *
parse_atom(struct parser *P, struct mlist *L)
{
	if (++P->depth > P_MAX_DEPTH) {
		fail(P, P->pos, DIAG_MATH_SYNTAX, "formula nested too deeply", NULL);
		return NULL;
	}
	struct noad *nd = parse_atom1(P, L);
	P->depth--;
	return nd;
}

static struct noad *
parse_atom1(struct parser *P, struct mlist *L)
{
	size_t off = P->pos;
	char c = P->src[off];

	if (c == '{') {
		struct mlist *body = parse_group(P);
		if (body == NULL)
			return NULL;
		struct noad *nd = noad_new(P->A, N_GROUP, T_ORD, off);
		nd->body = body;
		return nd;
	}
	if (c == '\\')
		return parse_command(P, L);
	if (c == '~') {
		struct noad *nd = noad_new(P->A, N_SPACE, T_NONE, off);
		P->pos++;
		nd->unit = SP_WORD;
		nd->amount = 1;
		return nd;
	}
	uint32_t cp;
	size_t n = utf8_decode(P->src + off, P->len - off, &cp);
	P->pos += n;
	return char_noad(P, off, P->src + off, n);
}

/* Atoms up to the end of the source or a terminator, which is left
 * unread and returned in *why: '}', \right, '&', '\\', \end, or ']' when
 * `bracket` (the index of \sqrt[…]). */
static struct mlist *
parse_list(struct parser *P, enum stop *why, bool bracket)
{
	struct mlist *L = list_new(P->A);

	if (++P->depth > P_MAX_DEPTH) {
		fail(P, P->pos, DIAG_MATH_SYNTAX, "formula nested too deeply", NULL);
		return NULL;
	}
	for (;;) {
		skip_space(P);
		if (P->failed)
			return NULL;
		if (P->pos >= P->len) {
			*why = STOP_END;
			break;
		}
		char c = P->src[P->pos];
		if (c == '}') {
			*why = STOP_RBRACE;
			break;
		}
		if (c == '&') {
			*why = STOP_AMP;
			break;
		}
		if (c == ']' && bracket) {
			*why = STOP_BRACKET;
			break;
		}
		if (c == '\\') {
			const char *name;
			size_t len, end;
			cs_name(P, P->pos, &name, &len, &end);
			if (cs_is(name, len, "\\")) {
				*why = STOP_ROWSEP;
				break;
			}
			if (cs_is(name, len, "right")) {
				*why = STOP_RIGHT;
				break;
			}
			if (cs_is(name, len, "end")) {
				*why = STOP_ENDENV;
				break;
			}
		}
		if (c == '^' || c == '_') {
			if (!parse_script(P, L))
				return NULL;
			continue;
		}
		if (c == '\'') {
			if (!parse_prime(P, L))
				return NULL;
			continue;
		}
		if (at_placeholder(P)) {
			if (!parse_placeholder(P, L))
				return NULL;
			continue;
		}
		struct noad *nd = parse_atom(P, L);
		if (P->failed)
			return NULL;
		if (nd)
			list_push(P->A, L, nd);
	}
	P->depth--;
	return L;
}

/* ------------------------------------------------------------ boxes */

enum ikind { I_GLYPH, I_RULE, I_BOX };

struct item {
	enum ikind kind;
	double x, y;
	enum math_font font; /* glyph */
	double size;
	const char *utf8;
	double w, h;         /* glyph: w = advance; rule: size */
	struct box *box;
};

struct box {
	double w, h, d;
	struct item *v;
	size_t n, cap;
};

struct style {
	int s;
	bool cramped;
};

struct lctx {
	const struct math_metrics *m;
	struct arena *A;
	double base;   /* the formula's size, points */
	double axis;   /* axis height, em */
	double xh;     /* the italic font's x-height, em (accents) */
	/* the rows of the aligned block numbered per row: baselines relative
	 * to its own, labels */
	struct math_row *rows;
	size_t nrows;
};

static struct box *
box_new(struct lctx *L)
{
	return aalloc(L->A, sizeof(struct box));
}

static struct item *
box_item(struct lctx *L, struct box *b, enum ikind kind, double x, double y)
{
	b->v = agrow(L->A, b->v, b->n, &b->cap, sizeof *b->v);
	struct item *it = &b->v[b->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->x = x;
	it->y = y;
	return it;
}

static void
box_rule(struct lctx *L, struct box *b, double x, double y, double w, double h)
{
	struct item *it = box_item(L, b, I_RULE, x, y);
	it->w = w;
	it->h = h;
}

/* Puts child into b with its origin at (x, y); b's height and depth grow
 * to cover it (its width is the caller's). */
static void
box_put(struct lctx *L, struct box *b, struct box *child, double x, double y)
{
	struct item *it = box_item(L, b, I_BOX, x, y);
	it->box = child;
	b->h = dmax(b->h, child->h + y);
	b->d = dmax(b->d, child->d - y);
}

static double
m_width(struct lctx *L, enum math_font font, double size, const char *utf8)
{
	if (utf8 == NULL || utf8[0] == '\0')
		return 0;
	return L->m->width(L->m->ctx, font, size, utf8);
}

static void
m_ink(struct lctx *L, enum math_font font, double size, const char *utf8, double *top,
    double *bottom)
{
	*top = *bottom = 0;
	if (utf8 == NULL || utf8[0] == '\0')
		return;
	if (L->m->ink)
		L->m->ink(L->m->ctx, font, size, utf8, top, bottom);
	else
		L->m->vertical(L->m->ctx, font, size, top, bottom);
}

static double
m_italic(struct lctx *L, enum math_font font, double size, const char *utf8)
{
	if (L->m->italic == NULL || utf8 == NULL || utf8[0] == '\0')
		return 0;
	return dmax(0, L->m->italic(L->m->ctx, font, size, utf8));
}

/* A box holding one glyph run at the origin; *top and *bottom (if not
 * NULL) get its ink extent. */
static struct box *
glyph_box(struct lctx *L, enum math_font font, double size, const char *utf8, double *top,
    double *bottom)
{
	struct box *b = box_new(L);
	double t, bo;

	m_ink(L, font, size, utf8, &t, &bo);
	b->w = m_width(L, font, size, utf8);
	b->h = dmax(0, t);
	b->d = dmax(0, -bo);
	struct item *it = box_item(L, b, I_GLYPH, 0, 0);
	it->font = font;
	it->size = size;
	it->utf8 = utf8;
	it->w = b->w;
	if (top)
		*top = t;
	if (bottom)
		*bottom = bo;
	return b;
}

/* ------------------------------------------------------------ styles */

static const double style_scale[] = {1.0, 1.0, 0.7, 0.5};

static double
st_size(const struct lctx *L, struct style st)
{
	return L->base * style_scale[st.s];
}

static struct style
st_sup(struct style st)
{
	return (struct style){st.s <= ST_T ? ST_S : ST_SS, st.cramped};
}

static struct style
st_sub(struct style st)
{
	return (struct style){st.s <= ST_T ? ST_S : ST_SS, true};
}

static struct style
st_num(struct style st)
{
	return (struct style){st.s == ST_D ? ST_T : st.s == ST_T ? ST_S : ST_SS, st.cramped};
}

static struct style
st_den(struct style st)
{
	return (struct style){st_num(st).s, true};
}

static struct style
st_cramp(struct style st)
{
	return (struct style){st.s, true};
}

/* ------------------------------------------------------------ text form */

struct conv {
	uint32_t from;
	const char *to;
};

static const struct conv sup_chars[] = {
	{'0', "⁰"}, {'1', "¹"}, {'2', "²"}, {'3', "³"}, {'4', "⁴"}, {'5', "⁵"}, {'6', "⁶"},
	{'7', "⁷"}, {'8', "⁸"}, {'9', "⁹"}, {'+', "⁺"}, {0x2212, "⁻"}, {'=', "⁼"}, {'(', "⁽"},
	{')', "⁾"}, {'n', "ⁿ"}, {'i', "ⁱ"},
};

static const struct conv sub_chars[] = {
	{'0', "₀"}, {'1', "₁"}, {'2', "₂"}, {'3', "₃"}, {'4', "₄"}, {'5', "₅"}, {'6', "₆"},
	{'7', "₇"}, {'8', "₈"}, {'9', "₉"}, {'+', "₊"}, {0x2212, "₋"}, {'=', "₌"}, {'(', "₍"},
	{')', "₎"}, {'a', "ₐ"}, {'e', "ₑ"}, {'o', "ₒ"}, {'x', "ₓ"}, {'h', "ₕ"}, {'k', "ₖ"},
	{'l', "ₗ"}, {'m', "ₘ"}, {'n', "ₙ"}, {'p', "ₚ"}, {'s', "ₛ"}, {'t', "ₜ"}, {'i', "ᵢ"},
	{'j', "ⱼ"}, {'r', "ᵣ"}, {'u', "ᵤ"}, {'v', "ᵥ"}, {0x3b2, "ᵦ"}, {0x3b3, "ᵧ"}, {0x3c1, "ᵨ"},
	{0x3c6, "ᵩ"}, {0x3d5, "ᵩ"}, {0x3c7, "ᵪ"},
};

static const char *
conv_find(const struct conv *t, size_t n, uint32_t cp)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].from == cp)
			return t[i].to;
	return NULL;
}

static bool
is_word_char(uint32_t cp)
{
	return (cp < 0x80 && (is_alpha((char)cp) || (cp >= '0' && cp <= '9'))) ||
	    (cp >= 0x391 && cp <= 0x3f5);
}

/* Appends a script's text: Unicode super/subscripts when every character
 * has one, else "^x", "_data" for one word, "^(…)" otherwise. */
static void
script_text(struct arena *A, struct sbuf *out, const char *s, bool sup)
{
	size_t n = strlen(s), i;
	uint32_t cp;
	bool all = n > 0, word = n > 0, marks = n > 0;
	size_t count = 0;

	if (n == 0)
		return;
	for (i = 0; i < n; count++) {
		i += utf8_decode(s + i, n - i, &cp);
		if (!(sup ? conv_find(sup_chars, ARRAY_LEN(sup_chars), cp) :
		    conv_find(sub_chars, ARRAY_LEN(sub_chars), cp)))
			all = false;
		if (!is_word_char(cp))
			word = false;
		if (cp != 0x2032 && cp != 0x2217)
			marks = false;
	}
	if (all) {
		for (i = 0; i < n;) {
			i += utf8_decode(s + i, n - i, &cp);
			sb_puts(A, out, sup ? conv_find(sup_chars, ARRAY_LEN(sup_chars), cp) :
			    conv_find(sub_chars, ARRAY_LEN(sub_chars), cp));
		}
		return;
	}
	if (sup && marks) { /* D*, f′ */
		for (i = 0; i < n;) {
			size_t k = utf8_decode(s + i, n - i, &cp);
			sb_puts(A, out, cp == 0x2217 ? "*" : "′");
			i += k;
		}
		return;
	}
	sb_puts(A, out, sup ? "^" : "_");
	if (word || count == 1) {
		sb_puts(A, out, s);
	} else {
		sb_puts(A, out, "(");
		sb_puts(A, out, s);
		sb_puts(A, out, ")");
	}
}

/* Can `s` stand as a numerator or denominator without parentheses?  One
 * factor: a letter, symbol or number with its scripts and parenthesized
 * arguments ("p_data(x)", "σₚ²", "12"), no operator, no blank (but after
 * a comma), no implicit product ("2σ", "∂D"). */
static bool
frac_simple(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp, prev = 0;
	int depth = 0, bases = 0;
	bool in_number = false, skip_word = false;

	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp);
		uint32_t pv = prev;
		prev = cp;
		if (cp == '(' || cp == '[') {
			depth++;
			skip_word = in_number = false;
			continue;
		}
		if (cp == ')' || cp == ']') {
			depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (cp == ' ' && pv != ',')
			return false;
		if ((cp < 0x80 && strchr("+=<>/", (int)cp)) || cp == 0x2212 || cp == 0xb1 ||
		    cp == 0xd7 || cp == 0x22c5 || (cp >= 0x2190 && cp <= 0x21ff) ||
		    (cp >= 0x2200 && cp <= 0x22ff && cp != 0x2202 && cp != 0x2207 && cp != 0x221e &&
		    cp != 0x2225 && cp != 0x2217))
			return false;
		if (cp == '_' || cp == '^') {
			skip_word = true;
			in_number = false;
			continue;
		}
		bool digit = cp >= '0' && cp <= '9';
		if (skip_word && is_word_char(cp))
			continue;
		skip_word = false;
		if (digit && in_number)
			continue;
		in_number = digit;
		if (is_word_char(cp) || cp == 0x2202 || cp == 0x2207 || cp == 0x221e)
			bases++;
	}
	return bases <= 1;
}

static void
frac_text(struct arena *A, struct sbuf *out, const char *num, const char *den)
{
	static const struct {
		const char *n, *d, *v;
	} vulgar[] = {
		{"1", "2", "½"}, {"1", "3", "⅓"}, {"2", "3", "⅔"}, {"1", "4", "¼"}, {"3", "4", "¾"},
	};

	for (size_t i = 0; i < ARRAY_LEN(vulgar); i++) {
		if (strcmp(num, vulgar[i].n) == 0 && strcmp(den, vulgar[i].d) == 0) {
			sb_puts(A, out, vulgar[i].v);
			return;
		}
	}
	bool sn = frac_simple(num) && num[0], sd = frac_simple(den) && den[0];
	if (!sn)
		sb_puts(A, out, "(");
	sb_puts(A, out, num);
	if (!sn)
		sb_puts(A, out, ")");
	sb_puts(A, out, "/");
	if (!sd)
		sb_puts(A, out, "(");
	sb_puts(A, out, den);
	if (!sd)
		sb_puts(A, out, ")");
}

/* ------------------------------------------------------------ layout */

/* Inter-atom spacing in mu (The TeXbook, p. 170): 0 none, 1 thin (3 mu),
 * 2 medium (4 mu), 3 thick (5 mu); negative: only in display and text
 * styles.  Rows: the left atom; columns: the right one. */
static const signed char spacing[8][8] = {
	/*          ord  op bin rel open close punct inner */
	/* ord */   {0,  1, -2, -3,  0,   0,    0,   -1},
	/* op */    {1,  1,  0, -3,  0,   0,    0,   -1},
	/* bin */   {-2, -2, 0,  0, -2,   0,    0,   -2},
	/* rel */   {-3, -3, 0,  0, -3,   0,    0,   -3},
	/* open */  {0,  0,  0,  0,  0,   0,    0,    0},
	/* close */ {0,  1, -2, -3,  0,   0,    0,   -1},
	/* punct */ {-1, -1, 0, -1, -1,  -1,   -1,   -1},
	/* inner */ {-1, 1, -2, -3, -1,   0,   -1,   -1},
};

static const double space_mu[] = {0, 3, 4, 5};

/* Points of space between atoms of types a and b in style st. */
static double
atom_space(const struct lctx *L, enum atom a, enum atom b, struct style st, int *kind)
{
	int k = spacing[a][b];

	if (k < 0) {
		k = st.s <= ST_T ? -k : 0;
	}
	*kind = k;
	return space_mu[k] * st_size(L, st) / 18.0;
}

/* What only the top level of a formula collects. */
struct layout_out {
	double *breaks;
	size_t nbreaks, cap;
	bool want_breaks;
};

static struct box *layout_list(struct lctx *L, const struct mlist *ml, struct style st,
    struct sbuf *text, struct layout_out *top);

/* Lays out a list and returns its trimmed text in *text. */
static struct box *
layout_sub(struct lctx *L, const struct mlist *ml, struct style st, char **text)
{
	struct sbuf t = {0};
	struct box *b = layout_list(L, ml, st, &t, NULL);

	*text = sb_trimmed(L->A, &t);
	return b;
}

/* The single symbol an mlist consists of, if so (for accents). */
static const struct noad *
single_symbol(const struct mlist *ml)
{
	if (ml == NULL || ml->n != 1)
		return NULL;
	const struct noad *nd = ml->v[0];
	if (nd->kind != N_SYM || nd->bigop || nd->sup || nd->sub)
		return NULL;
	return nd;
}

/* A tall parenthesis or brace from pieces, `need` high, centred on the
 * axis: the hooks at its ends (and the brace's middle on the axis), the
 * extension repeated in between, overlapping.  The pieces shrink to at
 * most half their size for shorter ones; NULL if even that is too tall. */
static struct box *
delim_pieces(struct lctx *L, const struct delim *dl, double need, struct style st)
{
	double s = st_size(L, st), a = L->axis * s;
	double tt, tb, bt, bb, mt = 0, mb = 0;

	m_ink(L, MATH_SYMBOL, s, dl->top, &tt, &tb);
	m_ink(L, MATH_SYMBOL, s, dl->bot, &bt, &bb);
	if (dl->mid)
		m_ink(L, MATH_SYMBOL, s, dl->mid, &mt, &mb);
	double pieces = (tt - tb) + (bt - bb) + (mt - mb);
	if (pieces <= 0)
		return NULL;
	double k = dmin(1, need / pieces);
	if (k < 0.5)
		return NULL;
	double size = s * k, lo = a - need / 2, hi = a + need / 2;
	double ovl = 0.02 * size; /* overlap, against hairline seams */
	struct box *b = box_new(L), *g;

	g = glyph_box(L, MATH_SYMBOL, size, dl->top, &tt, &tb);
	box_put(L, b, g, 0, hi - tt);
	b->w = g->w;
	double top_end = hi - tt + tb; /* the top hook's lowest ink */
	g = glyph_box(L, MATH_SYMBOL, size, dl->bot, &bt, &bb);
	box_put(L, b, g, 0, lo - bb);
	b->w = dmax(b->w, g->w);
	double bot_end = lo - bb + bt;
	/* the gaps to fill: one between the hooks, or two around the middle */
	double gaps[2][2] = {{bot_end, top_end}, {0, 0}};
	size_t ngaps = 1;
	if (dl->mid) {
		g = glyph_box(L, MATH_SYMBOL, size, dl->mid, &mt, &mb);
		double my = a - (mt + mb) / 2;
		box_put(L, b, g, 0, my);
		gaps[0][1] = my + mb;
		gaps[1][0] = my + mt;
		gaps[1][1] = top_end;
		ngaps = 2;
	}
	double et, eb;
	m_ink(L, MATH_SYMBOL, size, dl->ext, &et, &eb);
	double eh = et - eb;
	for (size_t i = 0; i < ngaps && eh > 0; i++) {
		double g0 = gaps[i][0] - ovl, g1 = gaps[i][1] + ovl;
		if (g1 - g0 <= 2 * ovl)
			continue;
		int n = (int)ceil_int((g1 - g0) / eh);
		double step = n > 1 ? (g1 - g0 - eh) / (n - 1) : 0;
		for (int j = 0; j < n; j++) {
			double y0 = n > 1 ? g0 + j * step : (g0 + g1 - eh) / 2;
			g = glyph_box(L, MATH_SYMBOL, size, dl->ext, NULL, NULL);
			box_put(L, b, g, 0, y0 - eb);
		}
	}
	b->h = dmax(b->h, hi);
	b->d = dmax(b->d, -lo);
	return b;
}

/* A delimiter covering `need` (total height and depth), centred on the
 * axis; never smaller than its glyph at the style's size. */
static struct box *
make_delim(struct lctx *L, const struct delim *dl, double need, struct style st)
{
	double s = st_size(L, st), a = L->axis * s;
	struct box *b;

	if (dl->shape == D_NULL) {
		b = box_new(L);
		b->w = P_NULLDELIM * L->base;
		return b;
	}
	double top, bot;
	struct box *g = glyph_box(L, dl->font, s, dl->utf8, &top, &bot);
	double total = top - bot;
	b = box_new(L);
	if (total <= 0)
		total = s;
	/* grown: the font's designed variant when it has one that tall (TeX's
	 * successors of a delimiter, XeTeX's MATH variants), centred on the
	 * axis; else pieces or rules below */
	char form[MATH_GLYPH_MAX];
	if (need > total && L->m->delimiter != NULL &&
	    L->m->delimiter(L->m->ctx, s, dl->utf8, need, form)) {
		size_t n = strlen(form) + 1;
		char *u = aalloc(L->A, n);
		memcpy(u, form, n);
		g = glyph_box(L, MATH_SYMBOL, s, u, &top, &bot);
		b->w = g->w;
		box_put(L, b, g, 0, a - (top + bot) / 2);
		return b;
	}
	/* grown, it comes in steps of 0.6 em from 1.2 em, like TeX's \big,
	 * \Big, … sizes and extensible pieces, so it clears the content */
	if (need > total)
		need = dmax(total, P_DELIM_STEP * s * dmax(2, ceil_int(need / (P_DELIM_STEP * s))));
	if (need > total && dl->top && need > P_DELIM_SCALE * total) {
		struct box *pb = delim_pieces(L, dl, need, st);
		if (pb)
			return pb;
	}
	if (need <= total || dl->shape == D_GLYPH) {
		if (need > total) {
			double k = need / total, size = s * k;
			g = glyph_box(L, dl->font, size, dl->utf8, &top, &bot);
		}
		b->w = g->w;
		box_put(L, b, g, 0, a - (top + bot) / 2);
		return b;
	}
	/* grown bracket, bar, floor or ceiling: rules */
	double w0 = g->w, stem = P_DELIM_STEM * s, arm = P_DELIM_ARM * s;
	double lo = a - need / 2, hi = a + need / 2;
	b->w = w0;
	b->h = dmax(0, hi);
	b->d = dmax(0, -lo);
	switch (dl->shape) {
	case D_BAR:
		box_rule(L, b, (w0 - stem) / 2, lo, stem, need);
		break;
	case D_DBAR: {
		double gap = P_DELIM_GAP * s, x0 = (w0 - 2 * stem - gap) / 2;
		box_rule(L, b, x0, lo, stem, need);
		box_rule(L, b, x0 + stem + gap, lo, stem, need);
		break;
	}
	default: {
		bool left = dl->shape == D_LBRACK || dl->shape == D_LFLOOR || dl->shape == D_LCEIL;
		bool top_arm = dl->shape == D_LBRACK || dl->shape == D_RBRACK ||
		    dl->shape == D_LCEIL || dl->shape == D_RCEIL;
		bool bot_arm = dl->shape == D_LBRACK || dl->shape == D_RBRACK ||
		    dl->shape == D_LFLOOR || dl->shape == D_RFLOOR;
		double sx = left ? 0.22 * w0 : 0.78 * w0 - stem;
		double ax = left ? sx : 0.20 * w0, aw = 0.58 * w0;
		box_rule(L, b, sx, lo, stem, need);
		if (top_arm)
			box_rule(L, b, ax, hi - arm, aw, arm);
		if (bot_arm)
			box_rule(L, b, ax, lo, aw, arm);
		break;
	}
	}
	return b;
}

/* Rule 15: \frac. */
static struct box *
make_frac(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text)
{
	if (nd->style >= 0)
		st = (struct style){nd->style, st.cramped};
	char *nt, *dt;
	struct box *x = layout_sub(L, nd->body, st_num(st), &nt);
	struct box *z = layout_sub(L, nd->body2, st_den(st), &dt);
	double s = st_size(L, st), th = P_RULE * L->base, a = L->axis * s;
	double w = dmax(x->w, z->w), u, v, phi;

	if (st.s == ST_D) {
		u = P_NUM1 * s;
		v = P_DENOM1 * s;
		phi = 3 * th;
	} else {
		u = P_NUM2 * s;
		v = P_DENOM2 * s;
		phi = th;
	}
	double clr = (u - x->d) - (a + th / 2);
	if (clr < phi)
		u += phi - clr;
	clr = (a - th / 2) - (z->h - v);
	if (clr < phi)
		v += phi - clr;
	struct box *b = box_new(L);
	double nds = P_NULLDELIM * L->base;
	b->w = w + 2 * nds;
	box_put(L, b, x, nds + (w - x->w) / 2, u);
	box_put(L, b, z, nds + (w - z->w) / 2, -v);
	box_rule(L, b, nds, a - th / 2, w, th);
	b->h = dmax(b->h, a + th / 2);
	b->d = dmax(b->d, -(a - th / 2));
	frac_text(L->A, text, nt, dt);
	return b;
}

/* Rule 11: \sqrt, with plain TeX's \root for an index.  The sign is the
 * font's √, scaled up to 1.5 times; a taller one keeps that and climbs to
 * the rule with a vertical stroke, as TeX's extensible radical does. */
static struct box *
make_sqrt(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text)
{
	char *bt;
	struct box *x = layout_sub(L, nd->body, st_cramp(st), &bt);
	double s = st_size(L, st), th = P_RULE * L->base;
	double phi = st.s == ST_D ? P_XHEIGHT * s : th;
	double psi = th + phi / 4;
	double top, bot;
	struct box *g = glyph_box(L, MATH_SYMBOL, s, "√", &top, &bot);
	double total = top - bot, k = 1;
	double need = x->h + x->d + psi + th;

	if (total <= 0)
		total = s;
	if (total < need) {
		/* the rule thickens with the sign: total k >= h + d + psi + theta k */
		k = dmin((need - th) / dmax(total - th, 0.1 * total), P_RADICAL_SCALE);
		g = glyph_box(L, MATH_SYMBOL, s * k, "√", &top, &bot);
		total = top - bot;
	}
	double t = th * k; /* the rules continue the scaled glyph's strokes */
	struct box *rb = box_new(L);
	double rule_y;
	need = x->h + x->d + psi + t;
	if (total >= need) {
		/* the glyph's top at the rule's top, the rule psi above the body */
		psi += (total - need) / 2;
		rule_y = x->h + psi;
		box_put(L, rb, g, 0, rule_y + t - top);
	} else {
		/* the sign's foot down to the body's depth, a stroke up to the rule */
		rule_y = x->h + psi;
		double y0 = -x->d - bot;
		box_put(L, rb, g, 0, y0);
		box_rule(L, rb, g->w - t, y0 + top - t, t, rule_y + t - (y0 + top - t));
	}
	box_rule(L, rb, g->w, rule_y, x->w, t);
	box_put(L, rb, x, g->w, 0);
	rb->w = g->w + x->w;
	rb->h = dmax(rb->h, rule_y + t + th);

	char *it = NULL;
	struct box *b = rb;
	if (nd->body2) {
		/* the index in scriptscript style, raised by 60 % of the
		 * radical's height minus depth, kerned 5 mu in and 10 mu back */
		struct box *ib = layout_sub(L, nd->body2, (struct style){ST_SS, false}, &it);
		double mu = s / 18;
		b = box_new(L);
		box_put(L, b, ib, 5 * mu, 0.6 * (rb->h - rb->d));
		double rx = dmax(0, 5 * mu + ib->w - 10 * mu);
		box_put(L, b, rb, rx, 0);
		b->w = dmax(rx + rb->w, 5 * mu + ib->w);
	}
	if (it && strcmp(it, "3") == 0) {
		sb_puts(L->A, text, "∛");
	} else if (it && strcmp(it, "4") == 0) {
		sb_puts(L->A, text, "∜");
	} else {
		if (it && it[0])
			script_text(L->A, text, it, true);
		sb_puts(L->A, text, "√");
	}
	uint32_t cp;
	bool one = bt[0] && bt[utf8_decode(bt, strlen(bt), &cp)] == '\0';
	if (one || (frac_simple(bt) && bt[0] && strchr(bt, ' ') == NULL && strchr(bt, '(') == NULL)) {
		sb_puts(L->A, text, bt);
	} else {
		sb_puts(L->A, text, "(");
		sb_puts(L->A, text, bt);
		sb_puts(L->A, text, ")");
	}
	return b;
}

/* Rule 12: an accent centred over its nucleus, raised over tall letters. */
static struct box *
make_accent(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text)
{
	char *bt;
	struct box *x = layout_sub(L, nd->body, st_cramp(st), &bt);
	double s = st_size(L, st);
	const struct noad *one = single_symbol(nd->body);
	enum math_font f = one && one->font == MATH_ITALIC ? MATH_ITALIC : MATH_ROMAN;
	struct box *acc = glyph_box(L, f, s, nd->utf8, NULL, NULL);
	double raise = x->h - dmin(x->h, L->xh * s);
	struct box *b = box_new(L);

	b->w = x->w;
	box_put(L, b, x, 0, 0);
	box_put(L, b, acc, (x->w - acc->w) / 2, raise);
	b->d = x->d;
	sb_puts(L->A, text, bt);
	sb_puts(L->A, text, nd->mark);
	return b;
}

/* Rule 9: \overline. */
static struct box *
make_overline(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text)
{
	char *bt;
	struct box *x = layout_sub(L, nd->body, st_cramp(st), &bt);
	double th = P_RULE * L->base;
	struct box *b = box_new(L);

	b->w = x->w;
	box_put(L, b, x, 0, 0);
	box_rule(L, b, 0, x->h + 3 * th, x->w, th);
	b->h = x->h + 5 * th;
	size_t n = strlen(bt);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(bt + i, n - i, &cp);
		sb_putn(L->A, text, bt + i, k);
		if (cp != ' ')
			sb_puts(L->A, text, "\xcc\x85");
		i += k;
	}
	return b;
}

/* Rule 19: \left … \right, delimiters sized to cover the body. */
static struct box *
make_leftright(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text)
{
	struct sbuf t = {0};
	struct box *body = layout_list(L, nd->body, st, &t, NULL);
	double s = st_size(L, st), a = L->axis * s;
	double delta = dmax(body->h - a, body->d + a);
	double need = dmax(2 * delta * P_DELIMFACTOR, 2 * delta - P_DELIMSHORT * L->base);
	struct box *l = make_delim(L, nd->ldelim, need, st);
	struct box *r = make_delim(L, nd->rdelim, need, st);
	struct box *b = box_new(L);

	box_put(L, b, l, 0, 0);
	box_put(L, b, body, l->w, 0);
	box_put(L, b, r, l->w + body->w, 0);
	b->w = l->w + body->w + r->w;
	sb_puts(L->A, text, nd->ldelim->utf8);
	char *bt = sb_trimmed(L->A, &t);
	sb_puts(L->A, text, bt);
	sb_puts(L->A, text, nd->rdelim->utf8);
	return b;
}

/* \text{…}: Chinese in MATH_CJK runs, the rest in the text font; blanks
 * are advances (Latin interword spaces), not glyphs, at the run ends. */
static struct box *
make_text(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text)
{
	double s = st_size(L, st);
	struct box *b = box_new(L);
	const char *p = nd->utf8;
	size_t n = strlen(p), i = 0;
	double x = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);
		if (cp == ' ') {
			x += m_width(L, nd->font, s, " ");
			i += k;
			continue;
		}
		bool cjk = is_cjk(cp);
		size_t j = i, last = i;
		/* a run: characters of one kind, with blanks inside Latin runs */
		while (j < n) {
			size_t kk = utf8_decode(p + j, n - j, &cp);
			if (cp == ' ') {
				if (cjk)
					break;
				j += kk;
				continue;
			}
			if (is_cjk(cp) != cjk)
				break;
			j += kk;
			last = j;
		}
		char *run = astrndup(L->A, p + i, last - i);
		enum math_font f = cjk ? MATH_CJK : nd->font;
		struct box *g = glyph_box(L, f, s, run, NULL, NULL);
		box_put(L, b, g, x, 0);
		x += g->w;
		i = last;
	}
	b->w = x;
	sb_puts(L->A, text, nd->utf8);
	return b;
}

/* amsmath's aligned: rl column pairs in display style, rows spaced like
 * \openup\jot'ed lines, the block centred on the axis. */
static struct box *
make_aligned(struct lctx *L, const struct noad *nd, struct sbuf *text)
{
	struct style d = {ST_D, false};
	size_t ncols = 0;

	for (size_t r = 0; r < nd->nrows; r++)
		if (nd->rows[r].n > ncols)
			ncols = nd->rows[r].n;
	struct box ***cells = aalloc(L->A, nd->nrows * sizeof *cells);
	double *colw = aalloc(L->A, (ncols + 1) * sizeof *colw);
	double *rh = aalloc(L->A, (nd->nrows + 1) * sizeof *rh);
	double *rd = aalloc(L->A, (nd->nrows + 1) * sizeof *rd);

	for (size_t r = 0; r < nd->nrows; r++) {
		struct sbuf rt = {0};
		cells[r] = aalloc(L->A, (ncols + 1) * sizeof **cells);
		for (size_t c = 0; c < nd->rows[r].n; c++) {
			char *ct;
			struct box *cb = layout_sub(L, nd->rows[r].cells[c], d, &ct);
			cells[r][c] = cb;
			colw[c] = dmax(colw[c], cb->w);
			rh[r] = dmax(rh[r], cb->h);
			rd[r] = dmax(rd[r], cb->d);
			if (ct[0]) {
				sb_space(L->A, &rt);
				sb_puts(L->A, &rt, ct);
			}
		}
		if (r > 0)
			sb_puts(L->A, text, "\n");
		sb_puts(L->A, text, sb_trimmed(L->A, &rt));
	}
	double *colx = aalloc(L->A, (ncols + 1) * sizeof *colx);
	double x = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (c > 0 && c % 2 == 0)
			x += P_ALIGN_SEP * L->base;
		colx[c] = x;
		x += colw[c];
	}
	double *ry = aalloc(L->A, (nd->nrows + 1) * sizeof *ry);
	for (size_t r = 1; r < nd->nrows; r++) {
		double skip = P_ROW_SKIP * L->base, gap = skip - rd[r - 1] - rh[r];
		double dist = gap >= P_ROW_LIMIT * L->base ? skip :
		    rd[r - 1] + rh[r] + P_ROW_LINESKIP * L->base;
		ry[r] = ry[r - 1] - dist;
	}
	double top = nd->nrows ? rh[0] : 0;
	double bottom = nd->nrows ? ry[nd->nrows - 1] - rd[nd->nrows - 1] : 0;
	double dy = L->axis * L->base - (top + bottom) / 2;
	struct box *b = box_new(L);

	b->w = x;
	for (size_t r = 0; r < nd->nrows; r++) {
		for (size_t c = 0; c < nd->rows[r].n; c++) {
			struct box *cb = cells[r][c];
			double cx = c % 2 == 0 ? colx[c] + colw[c] - cb->w : colx[c];
			box_put(L, b, cb, cx, ry[r] + dy);
		}
	}
	b->h = dmax(b->h, top + dy);
	b->d = dmax(b->d, -(bottom + dy));
	if (nd->numbered) {
		L->rows = aalloc(L->A, (nd->nrows + 1) * sizeof *L->rows);
		L->nrows = nd->nrows;
		for (size_t r = 0; r < nd->nrows; r++)
			L->rows[r] = (struct math_row){ry[r] + dy, (char *)nd->rows[r].label};
	}
	return b;
}

/* Rule 13a: limits above and below an operator (nucleus y). */
static struct box *
make_limits(struct lctx *L, struct box *y, double delta, const struct mlist *sup,
    const struct mlist *sub, struct style st, struct sbuf *text)
{
	char *supt = NULL, *subt = NULL;
	struct box *x = sup ? layout_sub(L, sup, st_sup(st), &supt) : NULL;
	struct box *z = sub ? layout_sub(L, sub, st_sub(st), &subt) : NULL;
	double w = y->w, e = L->base;
	struct box *b = box_new(L);

	if (x)
		w = dmax(w, x->w);
	if (z)
		w = dmax(w, z->w);
	b->w = w;
	box_put(L, b, y, (w - y->w) / 2, 0);
	if (x) {
		double gap = dmax(P_BOP1 * e, P_BOP3 * e - x->d);
		double u = y->h + gap + x->d;
		box_put(L, b, x, (w - x->w) / 2 + delta / 2, u);
		b->h = dmax(b->h, u + x->h + P_BOP5 * e);
	}
	if (z) {
		double gap = dmax(P_BOP2 * e, P_BOP4 * e - z->h);
		double v = y->d + gap + z->h;
		box_put(L, b, z, (w - z->w) / 2 - delta / 2, -v);
		b->d = dmax(b->d, v + z->d + P_BOP5 * e);
	}
	if (subt)
		script_text(L->A, text, subt, false);
	if (supt)
		script_text(L->A, text, supt, true);
	return b;
}

/* Rules 17, 18: superscript and subscript beside nucleus box y. */
static struct box *
make_scripts(struct lctx *L, struct box *y, bool is_char, double delta,
    const struct mlist *sup, const struct mlist *sub, struct style st, struct sbuf *text)
{
	char *supt = NULL, *subt = NULL;
	struct style sps = st_sup(st), sbs = st_sub(st);
	struct box *x = sup ? layout_sub(L, sup, sps, &supt) : NULL;
	struct box *z = sub ? layout_sub(L, sub, sbs, &subt) : NULL;
	double s = st_size(L, st), th = P_RULE * L->base, xh = P_XHEIGHT * s;
	double u = is_char ? 0 : y->h - P_SUP_DROP * st_size(L, sps);
	double v = is_char ? 0 : y->d + P_SUB_DROP * st_size(L, sbs);
	struct box *b = box_new(L);

	box_put(L, b, y, 0, 0);
	b->w = y->w;
	if (x == NULL) {
		v = dmax(v, dmax(P_SUB1 * s, z->h - 0.8 * xh));
		box_put(L, b, z, y->w, -v);
		b->w = y->w + z->w + P_SCRIPTSPACE * L->base;
	} else {
		double p = st.s == ST_D && !st.cramped ? P_SUP1 : st.cramped ? P_SUP3 : P_SUP2;
		u = dmax(u, dmax(p * s, x->d + xh / 4));
		if (z) {
			v = dmax(v, P_SUB2 * s);
			if ((u - x->d) - (z->h - v) < 4 * th) {
				v = 4 * th - u + x->d + z->h;
				double psi = 0.8 * xh - (u - x->d);
				if (psi > 0) {
					u += psi;
					v -= psi;
				}
			}
		}
		box_put(L, b, x, y->w + delta, u);
		b->w = y->w + delta + x->w;
		if (z) {
			box_put(L, b, z, y->w, -v);
			b->w = dmax(b->w, y->w + z->w);
		}
		b->w += P_SCRIPTSPACE * L->base;
	}
	if (subt)
		script_text(L->A, text, subt, false);
	if (supt)
		script_text(L->A, text, supt, true);
	return b;
}

/* Does TeX drop the italic correction of ml->v[i]?  An ord character of a
 * text font (upright roman or bold: their interword space is not 0, unlike
 * the math italic's and the symbols') without scripts, followed at once by
 * a character of the same font, is in mid-word: no correction (The TeXbook,
 * Appendix G, rule 14 and tex.web's fetch: "no italic correction in
 * mid-word of text font"). */
static bool
mid_word(const struct mlist *ml, size_t i)
{
	const struct noad *q = ml->v[i], *p = i + 1 < ml->n ? ml->v[i + 1] : NULL;

	return q->kind == N_SYM && !q->bigop && q->type == T_ORD && q->sup == NULL &&
	    q->sub == NULL && (q->font == MATH_ROMAN || q->font == MATH_BOLD) && p != NULL &&
	    p->kind == N_SYM && !p->bigop && p->font == q->font && p->type <= T_PUNCT;
}

/* The box of one atom: its nucleus (rules 8 to 16), then its scripts or
 * limits.  `mid`: a text-font character in mid-word (no italic
 * correction). */
static struct box *
make_atom(struct lctx *L, const struct noad *nd, struct style st, struct sbuf *text, bool mid)
{
	double s = st_size(L, st), delta = 0;
	bool is_char = false;
	struct box *y;

	switch (nd->kind) {
	case N_SYM:
		if (nd->bigop) {
			/* rule 13: the display variant, centred on the axis.
			 * Limits are skewed by its italic correction delta; a
			 * superscript beside it goes delta further right than a
			 * subscript, which tucks in under the overhang.
			 * - a text glyph (TeX's cmex way): delta is the ink's
			 *   overhang and belongs to the width, less where the
			 *   subscript tucks in;
			 * - a designed display form (XeTeX's OpenType way): the
			 *   font's italic correction for it, outside its width;
			 *   the subscript moves delta left of it. */
			bool integral = strstr("∫∬∭∮", nd->utf8) != NULL;
			bool limits = nd->limits == 1 || (nd->limits < 0 && st.s == ST_D);
			double size = st.s != ST_D ? s : integral ? P_BIGINT_DISPLAY * s :
			    P_BIGOP_DISPLAY * s, top, bot;
			char form[MATH_GLYPH_MAX];
			struct box *g;
			y = box_new(L);
			if (st.s == ST_D && L->m->display_op != NULL &&
			    L->m->display_op(L->m->ctx, nd->font, s, nd->utf8, form, &delta)) {
				size_t n = strlen(form) + 1;
				char *u = aalloc(L->A, n);
				memcpy(u, form, n);
				g = glyph_box(L, nd->font, s, u, &top, &bot);
				delta = dmax(0, delta);
				y->w = g->w;
				if (nd->sub != NULL && !limits)
					y->w -= delta;
			} else {
				g = glyph_box(L, nd->font, size, nd->utf8, &top, &bot);
				delta = m_italic(L, nd->font, size, nd->utf8);
				y->w = g->w + delta;
				if (nd->sub != NULL && !limits)
					y->w -= delta;
			}
			if (nd->sub == NULL && !limits)
				delta = 0;
			box_put(L, y, g, 0, L->axis * s - (top + bot) / 2);
		} else {
			y = glyph_box(L, nd->font, s, nd->utf8, NULL, NULL);
			is_char = true;
			delta = mid ? 0 : m_italic(L, nd->font, s, nd->utf8);
		}
		sb_puts(L->A, text, nd->utf8);
		break;
	case N_OPNAME:
		y = glyph_box(L, nd->font, s, nd->utf8, NULL, NULL);
		sb_puts(L->A, text, nd->utf8);
		break;
	case N_GROUP: {
		struct sbuf t = {0};
		y = layout_list(L, nd->body, st, &t, NULL);
		sb_puts(L->A, text, sb_trimmed(L->A, &t));
		break;
	}
	case N_FRAC:
		y = make_frac(L, nd, st, text);
		break;
	case N_SQRT:
		y = make_sqrt(L, nd, st, text);
		break;
	case N_LEFTRIGHT:
		y = make_leftright(L, nd, st, text);
		break;
	case N_ACCENT:
		y = make_accent(L, nd, st, text);
		break;
	case N_OVERLINE:
		y = make_overline(L, nd, st, text);
		break;
	case N_TEXT:
		y = make_text(L, nd, st, text);
		break;
	case N_ALIGNED:
		y = make_aligned(L, nd, text);
		break;
	default:
		y = box_new(L);
		break;
	}
	/* Primes: the font's ′ is drawn for the text size, already high, so
	 * they follow the nucleus at its size; the rest of the superscript,
	 * if any, goes after them (f′², f″ₖ). */
	const struct mlist *sup = nd->sup;
	struct mlist rest = {0};
	size_t np = 0;
	while (sup && np < sup->n && sup->v[np]->kind == N_SYM && strcmp(sup->v[np]->utf8, "′") == 0)
		np++;
	if (np > 0) {
		char *pr = aalloc(L->A, np * 3 + 1);
		for (size_t i = 0; i < np; i++)
			memcpy(pr + 3 * i, "′", 3);
		struct box *pg = glyph_box(L, MATH_SYMBOL, s, pr, NULL, NULL);
		struct box *yp = box_new(L);
		box_put(L, yp, y, 0, 0);
		box_put(L, yp, pg, y->w + delta, 0);
		yp->w = y->w + delta + pg->w;
		y = yp;
		delta = 0;
		sb_puts(L->A, text, pr);
		rest.v = sup->v + np;
		rest.n = sup->n - np;
		sup = rest.n ? &rest : NULL;
	}
	if (sup == NULL && nd->sub == NULL) {
		if (delta > 0 && !nd->bigop) {
			/* the italic correction as a kern after the letter */
			struct box *b = box_new(L);
			box_put(L, b, y, 0, 0);
			b->w = y->w + delta;
			return b;
		}
		return y;
	}
	if (nd->type == T_OP && (nd->limits == 1 || (nd->limits < 0 && st.s == ST_D)))
		return make_limits(L, y, delta, sup, nd->sub, st, text);
	return make_scripts(L, y, is_char, delta, sup, nd->sub, st, text);
}

static double
glue_width(struct lctx *L, const struct noad *nd, struct style st)
{
	switch (nd->unit) {
	case SP_MU:
		return nd->amount * st_size(L, st) / 18.0;
	case SP_EM:
		return nd->amount * L->base;
	default:
		/* "\ " and "~": the interword space of the text font, which
		 * TeX's scripts do not shrink (like \quad, unlike mu glue) */
		return nd->amount * m_width(L, MATH_ROMAN, L->base, " ");
	}
}

/* Rules 5, 6, 19 and 20: the atoms of ml with their types after the
 * bin-to-ord demotions, joined with TeX's spacing.  `top`, at the top
 * level of an inline formula, collects the break positions. */
static struct box *
layout_list(struct lctx *L, const struct mlist *ml, struct style st, struct sbuf *text,
    struct layout_out *top)
{
	size_t n = ml ? ml->n : 0;
	enum atom *type = aalloc(L->A, (n + 1) * sizeof *type);
	struct box *b = box_new(L);
	ptrdiff_t prev = -1;

	for (size_t i = 0; i < n; i++) {
		const struct noad *nd = ml->v[i];
		type[i] = nd->type;
		if (nd->kind == N_SPACE || nd->kind == N_STYLE) {
			type[i] = T_NONE;
			continue;
		}
		enum atom pt = prev < 0 ? T_NONE : type[prev];
		if (type[i] == T_BIN && (pt == T_NONE || pt == T_BIN || pt == T_OP || pt == T_REL ||
		    pt == T_OPEN || pt == T_PUNCT))
			type[i] = T_ORD;
		if ((type[i] == T_REL || type[i] == T_CLOSE || type[i] == T_PUNCT) && pt == T_BIN)
			type[prev] = T_ORD;
		prev = (ptrdiff_t)i;
	}
	if (prev >= 0 && type[prev] == T_BIN)
		type[prev] = T_ORD;

	double x = 0;
	enum atom pt = T_NONE;
	const struct noad *pnd = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct noad *nd = ml->v[i];
		if (nd->kind == N_STYLE) {
			st = (struct style){nd->style, st.cramped};
			continue;
		}
		if (nd->kind == N_SPACE) {
			double w = glue_width(L, nd, st);
			x += w;
			if (w > 0)
				sb_space(L->A, text);
			continue;
		}
		if (pt != T_NONE) {
			int kind;
			double sp = atom_space(L, pt, type[i], st, &kind);
			x += sp;
			/* a space in the text form too, except in KL(…) and ½(…),
			 * where TeX's thin space before an opening delimiter is no
			 * word gap */
			if (kind > 0 && !(kind == 1 && (type[i] == T_OPEN || (nd->kind == N_LEFTRIGHT &&
			    (nd->ldelim->shape == D_GLYPH || nd->ldelim->shape == D_LBRACK ||
			    nd->ldelim->shape == D_LFLOOR || nd->ldelim->shape == D_LCEIL))) &&
			    pnd && pnd->kind != N_OPNAME &&
			    !(pnd->kind == N_SYM && pnd->bigop)))
				sb_space(L->A, text);
		}
		struct box *ab;
		if (nd->kind == N_FRAC && nd->sup == NULL && nd->sub == NULL) {
			/* "log (a/b)", "(a/b)x": a slashed fraction next to a
			 * factor it would otherwise seem to bind with */
			struct sbuf ft = {0};
			ab = make_atom(L, nd, st, &ft, false);
			size_t j = i + 1;
			while (j < n && type[j] == T_NONE)
				j++;
			enum atom nt = j < n ? type[j] : T_NONE;
			bool wrap = ft.s && strchr(ft.s, '/') &&
			    (pt == T_ORD || pt == T_OP || pt == T_CLOSE || pt == T_INNER ||
			    nt == T_ORD || nt == T_OP || nt == T_OPEN || nt == T_INNER);
			if (wrap)
				sb_puts(L->A, text, "(");
			sb_puts(L->A, text, ft.s ? ft.s : "");
			if (wrap)
				sb_puts(L->A, text, ")");
		} else {
			ab = make_atom(L, nd, st, text, mid_word(ml, i));
		}
		box_put(L, b, ab, x, 0);
		x += ab->w;
		if (top && top->want_breaks && (type[i] == T_BIN || type[i] == T_REL)) {
			/* the next atom: no break before a relation or punctuation
			 * after a relation, nor after the last atom */
			size_t j = i + 1;
			while (j < n && type[j] == T_NONE)
				j++;
			if (j < n && !(type[i] == T_REL && (type[j] == T_REL || type[j] == T_PUNCT))) {
				top->breaks = agrow(L->A, top->breaks, top->nbreaks, &top->cap,
				    sizeof *top->breaks);
				top->breaks[top->nbreaks++] = x;
			}
		}
		pt = type[i];
		pnd = nd;
	}
	b->w = x;
	return b;
}

/* ------------------------------------------------------------ output */

struct flat {
	struct math_box *mb;
	size_t gcap, rcap;
	double *gw;     /* advance of each run, for merging */
};

static void
flatten(struct flat *F, const struct box *b, double dx, double dy)
{
	struct math_box *mb = F->mb;

	for (size_t i = 0; i < b->n; i++) {
		const struct item *it = &b->v[i];
		double x = dx + it->x, y = dy + it->y;
		switch (it->kind) {
		case I_BOX:
			flatten(F, it->box, x, y);
			break;
		case I_RULE:
			if (it->w <= 0 || it->h <= 0)
				break;
			if (mb->nrules == F->rcap) {
				F->rcap = F->rcap ? 2 * F->rcap : 8;
				mb->rules = xrealloc(mb->rules, F->rcap * sizeof *mb->rules);
			}
			mb->rules[mb->nrules++] = (struct math_rule){x, y, it->w, it->h};
			break;
		case I_GLYPH: {
			if (it->utf8 == NULL || it->utf8[0] == '\0')
				break;
			if (mb->nglyphs > 0) {
				struct math_glyphs *g = &mb->glyphs[mb->nglyphs - 1];
				double end = g->x + F->gw[mb->nglyphs - 1];
				double tol = 1e-9 * (1 + it->size);
				if (g->font == it->font && g->size == it->size && g->y - y < tol &&
				    y - g->y < tol && end - x < tol && x - end < tol) {
					size_t a = strlen(g->utf8), c = strlen(it->utf8);
					g->utf8 = xrealloc(g->utf8, a + c + 1);
					memcpy(g->utf8 + a, it->utf8, c + 1);
					F->gw[mb->nglyphs - 1] += it->w;
					break;
				}
			}
			if (mb->nglyphs == F->gcap) {
				F->gcap = F->gcap ? 2 * F->gcap : 16;
				mb->glyphs = xrealloc(mb->glyphs, F->gcap * sizeof *mb->glyphs);
				F->gw = xrealloc(F->gw, F->gcap * sizeof *F->gw);
			}
			mb->glyphs[mb->nglyphs] = (struct math_glyphs){it->font, it->size, x, y,
			    xstrdup(it->utf8)};
			F->gw[mb->nglyphs++] = it->w;
			break;
		}
		}
	}
}

/* The axis: the middle of the minus sign's ink, when the metrics can
 * measure it and it is plausible; TeX's 0.25 em otherwise. */
static double
measure_axis(struct lctx *L)
{
	if (L->m->ink == NULL)
		return P_AXIS;
	double top, bot;
	L->m->ink(L->m->ctx, MATH_ROMAN, L->base, "−", &top, &bot);
	double a = (top + bot) / 2 / L->base;
	if (top - bot <= 0 || top - bot > 0.5 * L->base || a < 0.15 || a > 0.4)
		return P_AXIS;
	return a;
}

static double
measure_xheight(struct lctx *L)
{
	double top, bot;

	m_ink(L, MATH_ITALIC, L->base, "x", &top, &bot);
	double xh = top / L->base;
	return xh > 0.2 && xh < 1.0 ? xh : P_XHEIGHT;
}

struct math_box *
math_layout(const char *src, struct doc_loc loc, bool display, double size,
    const struct math_metrics *metrics)
{
	return math_layout_values(src, loc, NULL, display, size, metrics, NULL);
}

struct math_box *
math_layout_values(const char *src, struct doc_loc loc, const int *cols, bool display,
    double size, const struct math_metrics *metrics, const struct math_values *values)
{
	struct arena A = {0};
	struct parser P = {0};
	enum stop why;

	P.src = src;
	P.len = strlen(src);
	P.loc = loc;
	P.A = &A;
	P.letters = -1;
	P.display = display;
	P.values = values;
	P.cols = cols;
	struct mlist *ml = parse_list(&P, &why, false);
	if (!P.failed) {
		switch (why) {
		case STOP_END:
			break;
		case STOP_RBRACE:
			fail(&P, P.pos, DIAG_MATH_UNBALANCED, "'}' closes no group", NULL);
			break;
		case STOP_RIGHT:
			fail(&P, P.pos, DIAG_MATH_RIGHT_WITHOUT_LEFT, NULL, NULL);
			break;
		case STOP_AMP:
			fail(&P, P.pos, DIAG_MATH_MISPLACED, "&", NULL);
			break;
		case STOP_ROWSEP:
			fail(&P, P.pos, DIAG_MATH_MISPLACED, "\\\\", NULL);
			break;
		default:
			fail(&P, P.pos, DIAG_MATH_BAD_ENVIRONMENT,
			    "'\\end' without a matching '\\begin'", NULL);
			break;
		}
	}
	if (P.failed || P.recovered) {
		arena_free(&A);
		return NULL;
	}

	struct lctx L = {metrics, &A, size, P_AXIS, P_XHEIGHT, NULL, 0};
	L.axis = measure_axis(&L);
	L.xh = measure_xheight(&L);
	struct sbuf text = {0};
	struct layout_out top = {NULL, 0, 0, true};
	struct box *b = layout_list(&L, ml, (struct style){display ? ST_D : ST_T, false}, &text,
	    &top);

	struct math_box *mb = xcalloc(1, sizeof *mb);
	struct flat F = {mb, 0, 0, NULL};
	mb->width = b->w;
	mb->height = b->h;
	mb->depth = b->d;
	flatten(&F, b, 0, 0);
	free(F.gw);
	if (top.nbreaks) {
		mb->breaks = xmalloc(top.nbreaks * sizeof *mb->breaks);
		memcpy(mb->breaks, top.breaks, top.nbreaks * sizeof *mb->breaks);
		mb->nbreaks = top.nbreaks;
	}
	mb->text = xstrdup(sb_trimmed(&A, &text));
	if (L.nrows) {
		/* the numbered block stands at the top level, on the baseline */
		mb->rows = xcalloc(L.nrows, sizeof *mb->rows);
		mb->nrows = L.nrows;
		for (size_t r = 0; r < L.nrows; r++) {
			mb->rows[r].y = L.rows[r].y;
			mb->rows[r].label = L.rows[r].label ? xstrdup(L.rows[r].label) : NULL;
		}
	}
	arena_free(&A);
	return mb;
}

void
math_box_free(struct math_box *box)
{
	if (box == NULL)
		return;
	for (size_t i = 0; i < box->nglyphs; i++)
		free(box->glyphs[i].utf8);
	free(box->glyphs);
	free(box->rules);
	free(box->breaks);
	for (size_t i = 0; i < box->nrows; i++)
		free(box->rows[i].label);
	free(box->rows);
	free(box->text);
	free(box);
}

/* %.2f without "-0.00". */
static void
put_num(FILE *out, double v)
{
	if (v < 0.005 && v > -0.005)
		v = 0;
	fprintf(out, " %.2f", v);
}

static void
put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void
math_box_dump(const struct math_box *box, FILE *out)
{
	static const char *const fonts[] = {
		[MATH_ROMAN] = "roman", [MATH_ITALIC] = "italic", [MATH_BOLD] = "bold",
		[MATH_SYMBOL] = "symbol", [MATH_CJK] = "cjk", [MATH_BLACKBOARD] = "blackboard",
	};

	if (box == NULL)
		return;
	fputs("box", out);
	put_num(out, box->width);
	put_num(out, box->height);
	put_num(out, box->depth);
	fputc('\n', out);
	for (size_t i = 0; i < box->nglyphs; i++) {
		const struct math_glyphs *g = &box->glyphs[i];
		fprintf(out, "glyph %s", (unsigned)g->font < ARRAY_LEN(fonts) ? fonts[g->font] : "?");
		put_num(out, g->size);
		put_num(out, g->x);
		put_num(out, g->y);
		fputc(' ', out);
		put_quoted(out, g->utf8);
		fputc('\n', out);
	}
	for (size_t i = 0; i < box->nrules; i++) {
		const struct math_rule *r = &box->rules[i];
		fputs("rule", out);
		put_num(out, r->x);
		put_num(out, r->y);
		put_num(out, r->w);
		put_num(out, r->h);
		fputc('\n', out);
	}
	for (size_t i = 0; i < box->nrows; i++) {
		fputs("row", out);
		put_num(out, box->rows[i].y);
		fputc(' ', out);
		if (box->rows[i].label)
			put_quoted(out, box->rows[i].label);
		else
			fputs("-", out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < box->nbreaks; i++) {
		fputs("break", out);
		put_num(out, box->breaks[i]);
		fputc('\n', out);
	}
	fputs("text ", out);
	put_quoted(out, box->text ? box->text : "");
	fputc('\n', out);
}
