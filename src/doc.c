/* doc: templates/NAME.md -> document tree (templates/README.md is the
 * normative description of the markup).
 *
 * A file is read in two passes.  The first walks the lines, drops % comments
 * and matches the ::: directives on a stack, so that the top level and each
 * directive's body become a list of entries: lines, or blocks already built
 * from a nested directive.  The second reads a body's entries as blocks
 * (headings, paragraphs, lists, display math, pipe tables); a list item's
 * lines are read the same way, one nesting level deeper.  Every piece of
 * inline text (paragraph, heading, caption, cell, reference entry) is then
 * read from a "span": its bytes, joined and unescaped as needed, each mapped
 * back to its offset in the file, so that every node and every message gets
 * the exact line and character column of the source.
 *
 * Messages are collected and emitted at the end of each file sorted by
 * position, so that an unclosed block noticed at the end of the file is
 * reported where it opened, in order with the rest. */

#include "doc.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rx.h"
#include "util.h"

/* Makes room for one more element of a vector whose capacity follows from
 * its length (it doubles at every power of two) and zeroes it. */
static void *
grow(void *v, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		v = xrealloc(v, (n ? 2 * n : 1) * size);
	memset((char *)v + n * size, 0, size);
	return v;
}

#define PUSH(arr, n) ((arr) = grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])

/* ---------------------------------------------------------------- state */

struct tline {
	size_t off, len; /* in parser.text; len without "\r\n" */
	int no;          /* 1-based */
};

/* One line of a body, or a block built from a nested directive. */
struct entry {
	const struct tline *ln;
	size_t skip;           /* bytes of the line before the content */
	bool para;             /* a list item's first line: paragraph text, whatever it looks like */
	struct doc_block *blk; /* owned until moved into the tree */
};

struct entries {
	struct entry *v;
	size_t n;
};

/* Inline text with the file offset of each byte (and of its end). */
struct span {
	char *s;
	size_t *map;
	size_t n, cap;
};

struct msg {
	int line, col;
	size_t seq;
	enum diag_code code;
	char *arg[3];
};

/* A label or citation key already defined, and where (for duplicates). */
struct defined {
	char *name;
	const char *file; /* owned by the document */
	int line;
};

enum ctx {
	CTX_ROOT,
	CTX_NOTE,
	CTX_PARAMETERS,
	CTX_FIGURE,
	CTX_TABLE,
	CTX_REFERENCES,
	CTX_IF,      /* a conditional block (either branch) */
	CTX_BAD,     /* an unknown directive: its body is checked, then dropped */
	CTX_ITEM,    /* a list item's body */
	CTX_CAPTION  /* a table's caption */
};

struct container {
	enum ctx ctx;
	char *name;       /* the directive as written */
	size_t open_off;  /* offset of its ::: */
	struct doc_block *blk;
	bool discard;     /* misplaced: built to check it, then dropped */
	bool in_else;     /* if: past its "::: else" (body is the else-branch) */
	struct entries body;
};

/* The compiled patterns, shared by the files of one load. */
struct patterns {
	pcre2_code *any, *directive, *item, *heading, *align, *label, *name, *format, *xref, *key,
	    *ref;
};

struct parser {
	struct doc *doc;
	const char *file; /* owned by doc */
	char *text;       /* the file, NUL-terminated, bad bytes replaced */
	size_t len;
	struct tline *lines;
	size_t nlines;
	struct msg *msgs;
	size_t nmsgs;
	struct defined *labels, *keys;
	size_t nlabels, nkeys;
	int cond_depth;   /* "::: if" blocks open: labels are refused inside */

	const struct patterns *re;
	pcre2_match_data *md;
};

/* ---------------------------------------------------------------- regexes */

/* A label or citation-key name: letters, digits and '_', with '-', '.' and
 * ':' allowed inside (so "see @fig:moons." ends before the full stop). */
#define NAME_RE "[A-Za-z0-9_](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_])?"

static void
patterns_init(struct patterns *re)
{
	re->any = rx_compile("doc", "");
	/* 1: what follows ":::" */
	re->directive = rx_compile("doc", "\\A[ \\t]*:::(.*)\\z");
	/* 1 indentation, 2 "-" or 3 the number of "N." */
	re->item = rx_compile("doc", "\\A([ \\t]*)(?:(-)|([0-9]{1,9})\\.)(?=[ \\t]|\\z)");
	/* 1 the #s, 2 "*" for unnumbered, 3 the rest */
	re->heading = rx_compile("doc", "\\A[ \\t]*(#+)(\\*?)(.*)\\z");
	/* one cell of an alignment row: 1 ":" on the left, 2 ":" on the right */
	re->align = rx_compile("doc", "\\A[ \\t]*(:?)-+(:?)[ \\t]*\\z");
	/* inside {#...}: 1 the kind */
	re->label = rx_compile("doc", "\\A([A-Za-z]+):" NAME_RE "\\z");
	/* a dotted name; a list's "NAME.*" too (layout.c's list_placeholder) */
	re->name = rx_compile("doc", "\\A[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*(?:\\.\\*)?\\z");
	/* one printf conversion of a double: flags, width and precision of at
	 * most two digits each */
	re->format = rx_compile("doc", "\\A%[-+ #0]*[0-9]{0,2}(?:\\.[0-9]{0,2})?[eEfFgG]\\z");
	/* anchored at an '@': 1 the kind, 2 the label (may be missing) */
	re->xref = rx_compile("doc", "@([A-Za-z]+):(" NAME_RE ")?");
	/* one key of a citation: 1 the key */
	re->key = rx_compile("doc", "\\A[ \\t]*@(" NAME_RE ")[ \\t]*\\z");
	/* a reference entry: 1 the key, 2 the text */
	re->ref = rx_compile("doc", "\\A[ \\t]*\\[@(" NAME_RE ")\\][ \\t]*(.*?)[ \\t]*\\z");
}

static void
patterns_free(struct patterns *re)
{
	pcre2_code *all[] = {re->any, re->directive, re->item, re->heading, re->align, re->label,
	    re->name, re->format, re->xref, re->key, re->ref};

	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		pcre2_code_free(all[i]);
}

static void
parser_init(struct parser *P, const struct patterns *re)
{
	P->re = re;
	P->md = rx_match_data(8);
}

static void
parser_free(struct parser *P)
{
	pcre2_match_data_free(P->md);
	for (size_t i = 0; i < P->nlabels; i++)
		free(P->labels[i].name);
	for (size_t i = 0; i < P->nkeys; i++)
		free(P->keys[i].name);
	free(P->labels);
	free(P->keys);
	free(P->lines);
	free(P->text);
	free(P->msgs);
}

/* Matches re against s[0..len) from `start`; the text is valid UTF-8
 * already.  Returns > 0 on a match. */
static int
match(struct parser *P, const pcre2_code *re, const char *s, size_t len, size_t start,
    uint32_t opts)
{
	return pcre2_match(re, (PCRE2_SPTR)s, len, start, opts | PCRE2_NO_UTF_CHECK, P->md, NULL);
}

static bool
group_set(struct parser *P, int k)
{
	return pcre2_get_ovector_pointer(P->md)[2 * k] != PCRE2_UNSET;
}

static size_t
group_off(struct parser *P, int k)
{
	return pcre2_get_ovector_pointer(P->md)[2 * k];
}

static size_t
group_len(struct parser *P, int k)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(P->md);

	return ov[2 * k] == PCRE2_UNSET ? 0 : ov[2 * k + 1] - ov[2 * k];
}

/* ---------------------------------------------------------------- messages */

static struct doc_loc
loc_at(const struct parser *P, size_t off)
{
	size_t lo = 0, hi = P->nlines;

	/* The last line starting at or before off. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (P->lines[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	struct doc_loc loc = {P->file, 1, 1};
	if (P->nlines > 0) {
		loc.line = P->lines[lo].no;
		loc.col = char_col(P->text + P->lines[lo].off, off - P->lines[lo].off);
	}
	return loc;
}

/* Records a message at file offset `off`; the arguments are strings (every
 * DIAG_TPL_* text takes only %s), copied. */
static void
report_at(struct parser *P, struct doc_loc loc, enum diag_code code, const char *a0,
    const char *a1, const char *a2)
{
	struct msg *m = PUSH(P->msgs, P->nmsgs);

	m->line = loc.line;
	m->col = loc.col;
	m->seq = P->nmsgs;
	m->code = code;
	m->arg[0] = xstrdup(a0 ? a0 : "");
	m->arg[1] = xstrdup(a1 ? a1 : "");
	m->arg[2] = xstrdup(a2 ? a2 : "");
}

static void
report(struct parser *P, size_t off, enum diag_code code, const char *a0, const char *a1,
    const char *a2)
{
	report_at(P, loc_at(P, off), code, a0, a1, a2);
}

/* Records a message whose table text is one "%s", formatting the detail. */
static void reportf(struct parser *P, size_t off, enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
reportf(struct parser *P, size_t off, enum diag_code code, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *detail;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	detail = xmalloc((size_t)(len < 0 ? 0 : len) + 1);
	detail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(detail, (size_t)(len < 0 ? 0 : len) + 1, fmt, ap);
	va_end(ap);
	report(P, off, code, detail, NULL, NULL);
	free(detail);
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
flush_messages(struct parser *P)
{
	if (P->nmsgs > 1)
		qsort(P->msgs, P->nmsgs, sizeof *P->msgs, msg_cmp);
	for (size_t i = 0; i < P->nmsgs; i++) {
		struct msg *m = &P->msgs[i];

		diag_emit(m->code, P->file, m->line, m->col, m->arg[0], m->arg[1], m->arg[2]);
		for (int k = 0; k < 3; k++)
			free(m->arg[k]);
	}
}

/* ---------------------------------------------------------------- spans */

static void
span_put(struct span *sp, const char *s, size_t n, size_t off)
{
	if (sp->n + n + 1 > sp->cap) {
		while (sp->n + n + 1 > sp->cap)
			sp->cap = sp->cap ? 2 * sp->cap : 64;
		sp->s = xrealloc(sp->s, sp->cap);
		sp->map = xrealloc(sp->map, sp->cap * sizeof *sp->map);
	}
	for (size_t i = 0; i < n; i++) {
		sp->s[sp->n] = s[i];
		sp->map[sp->n++] = off + i;
	}
	sp->s[sp->n] = '\0';
	sp->map[sp->n] = off + n;
}

/* Appends the file bytes [from, to). */
static void
span_add(struct parser *P, struct span *sp, size_t from, size_t to)
{
	span_put(sp, P->text + from, to - from, from);
}

static void
span_free(struct span *sp)
{
	free(sp->s);
	free(sp->map);
}

/* ---------------------------------------------------------------- helpers */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_ascii_punct(unsigned char c)
{
	return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
	    (c >= 0x7B && c <= 0x7E);
}

/* Trims [*from, *to) of blanks. */
static void
trim(const char *text, size_t *from, size_t *to)
{
	while (*from < *to && is_space(text[*from]))
		(*from)++;
	while (*to > *from && is_space(text[*to - 1]))
		(*to)--;
}

/* Records `name` in the table; if it is there already, reports a duplicate
 * with `what` and returns false. */
static bool
define(struct parser *P, struct defined **tab, size_t *n, const char *name, size_t off,
    const char *what)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*tab)[i].name, name) == 0) {
			reportf(P, off, DIAG_TPL_SYNTAX, "duplicate %s '%s' (first defined at %s:%d)", what,
			    name, (*tab)[i].file, (*tab)[i].line);
			return false;
		}
	}
	struct defined *d = PUSH(*tab, *n);
	d->name = xstrdup(name);
	d->file = P->file;
	d->line = loc_at(P, off).line;
	return true;
}

/* define() for a label; refused inside a conditional block, where the
 * numbering of what it labels would depend on the parameters. */
static bool
define_label(struct parser *P, const char *label, size_t off)
{
	if (P->cond_depth > 0) {
		reportf(P, off, DIAG_TPL_SYNTAX, "label '%s' inside '::: if': a numbered target "
		    "must not depend on the parameters (put it outside the conditional block)", label);
		return false;
	}
	return define(P, &P->labels, &P->nlabels, label, off, "label");
}

/* Records a name from a file read before. */
static void
define_known(struct defined **tab, size_t *n, const char *name, struct doc_loc loc)
{
	struct defined *d = PUSH(*tab, *n);

	d->name = xstrdup(name);
	d->file = loc.file;
	d->line = loc.line;
}

/* ---------------------------------------------------------------- inlines */

enum stop { STOP_END, STOP_EMPH, STOP_STRONG };

/* Pending plain text of a run. */
struct textbuf {
	char *s;
	size_t n, cap;
	size_t start; /* span index of its first byte */
};

static void
text_put(struct textbuf *t, const char *s, size_t n, size_t at)
{
	if (t->n == 0)
		t->start = at;
	if (t->n + n + 1 > t->cap) {
		while (t->n + n + 1 > t->cap)
			t->cap = t->cap ? 2 * t->cap : 64;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static struct doc_inline *
add_inline(struct doc_inlines *out, enum doc_inline_kind kind, struct doc_loc loc)
{
	struct doc_inline *in = PUSH(out->items, out->n);

	in->kind = kind;
	in->loc = loc;
	return in;
}

static void
text_flush(struct parser *P, const struct span *sp, struct textbuf *t, struct doc_inlines *out)
{
	if (t->n == 0)
		return;
	add_inline(out, DOC_TEXT, loc_at(P, sp->map[t->start]))->text = xstrndup(t->s, t->n);
	t->n = 0;
}

/* Index of the first c in sp from i, before the end of the line; SIZE_MAX if
 * none.  With `escapes`, a backslash hides the next byte. */
static size_t
find_on_line(const struct span *sp, size_t i, char c, bool escapes)
{
	for (; i < sp->n && sp->s[i] != '\n'; i++) {
		if (escapes && sp->s[i] == '\\' && i + 1 < sp->n && sp->s[i + 1] != '\n')
			i++;
		else if (sp->s[i] == c)
			return i;
	}
	return SIZE_MAX;
}

static bool
is_xref_kind(const char *s, size_t n)
{
	static const char *const kinds[] = {"fig", "tab", "eq", "sec"};

	for (size_t k = 0; k < ARRAY_LEN(kinds); k++)
		if (strlen(kinds[k]) == n && memcmp(kinds[k], s, n) == 0)
			return true;
	return false;
}

static void
xref(struct parser *P, const struct span *sp, size_t *pos, struct textbuf *t,
    struct doc_inlines *out)
{
	size_t i = *pos;

	if (match(P, P->re->xref, sp->s, sp->n, i, PCRE2_ANCHORED) <= 0) {
		text_put(t, "@", 1, i);
		*pos = i + 1;
		return;
	}
	const char *kind = sp->s + group_off(P, 1);
	size_t kn = group_len(P, 1), end = pcre2_get_ovector_pointer(P->md)[1];
	bool has_label = group_set(P, 2);
	size_t lo = group_off(P, 2), ln = group_len(P, 2);

	*pos = end;
	if (!is_xref_kind(kind, kn)) {
		static const char *const kinds[] = {"fig", "tab", "eq", "sec"};
		char *k = xstrndup(kind, kn);
		const char *hint = NULL;

		for (size_t j = 0; j < ARRAY_LEN(kinds) && hint == NULL; j++)
			if (edit_distance(k, kinds[j]) <= 1 ||
			    strncmp(k, kinds[j], strlen(kinds[j])) == 0)
				hint = kinds[j];
		if (hint)
			reportf(P, sp->map[i], DIAG_TPL_BAD_XREF,
			    "unknown cross-reference kind '@%s:'; did you mean '@%s:'? "
			    "(write \\@ for a literal '@')", k, hint);
		else
			reportf(P, sp->map[i], DIAG_TPL_BAD_XREF,
			    "unknown cross-reference kind '@%s:' (expected @fig:, @tab:, @eq: or "
			    "@sec:; write \\@ for a literal '@')", k);
		free(k);
		return;
	}
	if (!has_label) {
		char *k = xstrndup(kind, kn);

		reportf(P, sp->map[i], DIAG_TPL_BAD_XREF,
		    "cross-reference '@%s:' has no label (expected @%s:NAME)", k, k);
		free(k);
		return;
	}
	text_flush(P, sp, t, out);
	add_inline(out, DOC_XREF, loc_at(P, sp->map[i]))->text =
	    xasprintf("%.*s:%.*s", (int)kn, kind, (int)ln, sp->s + lo);
}

/* Checks the placeholder "{{…}}" at sp->s[i], which must close before `end`
 * and on its line, reporting an unclosed one, a bad name and a bad format.
 * Returns the index of its "}}" (after reporting nothing or a bad name or
 * format), or SIZE_MAX if it is unclosed; *bar is the index of its '|' (j
 * without a format). */
static size_t
placeholder_check(struct parser *P, const struct span *sp, size_t i, size_t end, size_t *bar)
{
	size_t j;

	for (j = i + 2; j + 1 < end && sp->s[j] != '\n'; j++)
		if (sp->s[j] == '}' && sp->s[j + 1] == '}')
			break;
	if (j + 1 >= end || sp->s[j] == '\n') {
		report(P, sp->map[i], DIAG_TPL_UNCLOSED, "placeholder", "}}", NULL);
		return SIZE_MAX;
	}
	size_t name = i + 2, b = name;
	while (b < j && sp->s[b] != '|')
		b++;
	char *nm = xstrndup(sp->s + name, b - name);
	if (match(P, P->re->name, nm, strlen(nm), 0, 0) <= 0)
		report(P, sp->map[name], DIAG_TPL_BAD_PLACEHOLDER, nm, NULL, NULL);
	free(nm);
	if (b < j) {
		char *fmt = xstrndup(sp->s + b + 1, j - b - 1);
		if (match(P, P->re->format, fmt, strlen(fmt), 0, 0) <= 0)
			report(P, sp->map[b + 1], DIAG_TPL_BAD_FORMAT, fmt, NULL, NULL);
		free(fmt);
	}
	*bar = b;
	return j;
}

/* Checks the placeholders inside the math source sp->s[from, to) (the
 * parser, texmath.c, sets them in the formula; their names are resolved
 * at layout, like those in the text).  Every "{{" there starts one, except
 * after a backslash ("\{" is the math brace) and before a third '{' (the
 * first brace of "{{{" opens a group, as in "\frac{{{a}}}{2}"). */
static void
math_placeholders(struct parser *P, const struct span *sp, size_t from, size_t to)
{
	for (size_t i = from; i + 1 < to; i++) {
		if (sp->s[i] == '\\') {
			i++;
			continue;
		}
		if (sp->s[i] != '{' || sp->s[i + 1] != '{' || (i + 2 < to && sp->s[i + 2] == '{'))
			continue; /* "{{{": the first brace is a group's */
		size_t bar, j = placeholder_check(P, sp, i, to, &bar);
		if (j == SIZE_MAX)
			return; /* the rest of the formula would not be read either */
		i = j + 1;
	}
}

static void
placeholder(struct parser *P, const struct span *sp, size_t *pos, struct textbuf *t,
    struct doc_inlines *out)
{
	size_t i = *pos, bar, j = placeholder_check(P, sp, i, sp->n, &bar);

	if (j == SIZE_MAX) {
		text_put(t, "{{", 2, i);
		*pos = i + 2;
		return;
	}
	text_flush(P, sp, t, out);
	struct doc_inline *in = add_inline(out, DOC_PLACEHOLDER, loc_at(P, sp->map[i]));
	in->text = xstrndup(sp->s + i + 2, bar - (i + 2));
	in->format = bar < j ? xstrndup(sp->s + bar + 1, j - bar - 1) : NULL;
	*pos = j + 2;
}

static void
citation(struct parser *P, const struct span *sp, size_t *pos, struct textbuf *t,
    struct doc_inlines *out)
{
	size_t i = *pos, j = find_on_line(sp, i, ']', false);

	if (j == SIZE_MAX) {
		report(P, sp->map[i], DIAG_TPL_UNCLOSED, "citation", "]", NULL);
		text_put(t, "[", 1, i);
		*pos = i + 1;
		return;
	}
	*pos = j + 1;
	char **keys = NULL;
	size_t nkeys = 0;
	bool ok = true;
	for (size_t a = i + 1; a <= j && ok; ) {
		size_t b = a;

		while (b < j && sp->s[b] != ';')
			b++;
		if (match(P, P->re->key, sp->s + a, b - a, 0, 0) > 0)
			*PUSH(keys, nkeys) = xstrndup(sp->s + a + group_off(P, 1), group_len(P, 1));
		else
			ok = false;
		a = b + 1;
	}
	if (!ok) {
		char *all = xstrndup(sp->s + i, j + 1 - i);

		report(P, sp->map[i], DIAG_TPL_BAD_CITATION, all, NULL, NULL);
		free(all);
		for (size_t k = 0; k < nkeys; k++)
			free(keys[k]);
		free(keys);
		return;
	}
	text_flush(P, sp, t, out);
	struct doc_inline *in = add_inline(out, DOC_CITE, loc_at(P, sp->map[i]));
	in->keys = keys;
	in->nkeys = nkeys;
}

/* The columns of the inline math sp->s[from, to) when they are not those
 * of the bytes as written (a table cell's "\|" read as '|'), else NULL. */
static int *
math_cols(const struct parser *P, const struct span *sp, size_t from, size_t to)
{
	size_t k;

	for (k = from; k < to && sp->map[k + 1] == sp->map[k] + 1; k++)
		;
	if (k == to)
		return NULL;
	int *cols = xcalloc(to - from + 1, sizeof *cols);
	for (k = from; k <= to; k++)
		cols[k - from] = loc_at(P, sp->map[k]).col;
	return cols;
}

/* The bytes that may start inline markup. */
static const bool special[256] = {
	['\\'] = true, ['\n'] = true, ['*'] = true, ['`'] = true,
	['$'] = true, ['{'] = true, ['['] = true, ['@'] = true,
};

/* Reads inline markup from sp at *pos into *out until the span ends or, for
 * emphasis, its closing delimiter.  Returns true if the closer was found
 * (and consumed).
 *
 * A run of '*' closes before it opens: inside emphasis one '*' closes it
 * unless the run is exactly "**" (which opens strong); inside strong "**"
 * closes it; otherwise "**" opens strong and '*' emphasis.  So "***x***" is
 * strong around emphasis, and "*a **b** c*" nests as written. */
static bool
parse_run(struct parser *P, const struct span *sp, size_t *pos, enum stop stop,
    struct doc_inlines *out)
{
	struct textbuf t = {0};
	size_t i = *pos;
	bool closed = false;

	while (i < sp->n) {
		unsigned char c = (unsigned char)sp->s[i];

		if (!special[c]) {
			size_t j = i + 1;

			while (j < sp->n && !special[(unsigned char)sp->s[j]])
				j++;
			text_put(&t, sp->s + i, j - i, i);
			i = j;
			continue;
		}
		switch (c) {
		case '\\':
			if (i + 1 < sp->n && is_ascii_punct((unsigned char)sp->s[i + 1])) {
				text_put(&t, sp->s + i + 1, 1, i);
				i += 2;
			} else {
				text_put(&t, "\\", 1, i);
				i++;
			}
			break;
		case '\n':
			text_flush(P, sp, &t, out);
			add_inline(out, DOC_SOFTBREAK, loc_at(P, sp->map[i]));
			i++;
			break;
		case '*': {
			size_t run = 0;

			while (i + run < sp->n && sp->s[i + run] == '*')
				run++;
			if (stop == STOP_EMPH && run != 2) {
				i++;
				closed = true;
				goto done;
			}
			if (stop == STOP_STRONG && run >= 2) {
				i += 2;
				closed = true;
				goto done;
			}
			enum stop inner = run >= 2 ? STOP_STRONG : STOP_EMPH;
			size_t open = i;
			struct doc_inlines kids = {0};

			text_flush(P, sp, &t, out);
			i += inner == STOP_STRONG ? 2 : 1;
			if (!parse_run(P, sp, &i, inner, &kids)) {
				if (inner == STOP_STRONG)
					report(P, sp->map[open], DIAG_TPL_UNCLOSED, "strong emphasis", "**", NULL);
				else
					report(P, sp->map[open], DIAG_TPL_UNCLOSED, "emphasis", "*", NULL);
			}
			struct doc_inline *in = add_inline(out, inner == STOP_STRONG ? DOC_STRONG : DOC_EMPH,
			    loc_at(P, sp->map[open]));
			in->children = kids.items;
			in->nchildren = kids.n;
			break;
		}
		case '`': {
			size_t j = find_on_line(sp, i + 1, '`', false);

			if (j == SIZE_MAX) {
				report(P, sp->map[i], DIAG_TPL_UNCLOSED, "code", "`", NULL);
				text_put(&t, "`", 1, i);
				i++;
				break;
			}
			text_flush(P, sp, &t, out);
			add_inline(out, DOC_CODE, loc_at(P, sp->map[i]))->text =
			    xstrndup(sp->s + i + 1, j - i - 1);
			i = j + 1;
			break;
		}
		case '$': {
			if (i + 1 < sp->n && sp->s[i + 1] == '$') {
				reportf(P, sp->map[i], DIAG_TPL_SYNTAX,
				    "display math '$$' must be on lines of its own (inline math is $...$)");
				text_put(&t, "$$", 2, i);
				i += 2;
				break;
			}
			size_t j = find_on_line(sp, i + 1, '$', true);

			if (j == SIZE_MAX) {
				report(P, sp->map[i], DIAG_TPL_UNCLOSED, "inline math", "$", NULL);
				text_put(&t, "$", 1, i);
				i++;
				break;
			}
			text_flush(P, sp, &t, out);
			struct doc_inline *m = add_inline(out, DOC_MATH, loc_at(P, sp->map[i]));
			m->text = xstrndup(sp->s + i + 1, j - i - 1);
			m->cols = math_cols(P, sp, i + 1, j);
			math_placeholders(P, sp, i + 1, j);
			i = j + 1;
			break;
		}
		case '{':
			if (i + 1 < sp->n && sp->s[i + 1] == '{') {
				placeholder(P, sp, &i, &t, out);
			} else {
				text_put(&t, "{", 1, i);
				i++;
			}
			break;
		case '[':
			if (i + 1 < sp->n && sp->s[i + 1] == '@') {
				citation(P, sp, &i, &t, out);
			} else {
				text_put(&t, "[", 1, i);
				i++;
			}
			break;
		case '@':
			xref(P, sp, &i, &t, out);
			break;
		default:
			text_put(&t, sp->s + i, 1, i);
			i++;
			break;
		}
	}
done:
	text_flush(P, sp, &t, out);
	free(t.s);
	*pos = i;
	return closed;
}

static struct doc_inlines
parse_inlines(struct parser *P, const struct span *sp)
{
	struct doc_inlines out = {0};
	size_t pos = 0;

	parse_run(P, sp, &pos, STOP_END, &out);
	return out;
}

/* ---------------------------------------------------------------- freeing */

static void free_blocks(struct doc_blocks *b);

static void
free_inlines(struct doc_inlines *in)
{
	for (size_t i = 0; i < in->n; i++) {
		struct doc_inline *x = &in->items[i];
		struct doc_inlines kids = {x->children, x->nchildren};

		free(x->text);
		free(x->format);
		free(x->cols);
		for (size_t k = 0; k < x->nkeys; k++)
			free(x->keys[k]);
		free(x->keys);
		free_inlines(&kids);
	}
	free(in->items);
	in->items = NULL;
	in->n = 0;
}

static void
free_block(struct doc_block *b)
{
	free(b->label);
	free_inlines(&b->text);
	for (size_t i = 0; i < b->nlist_items; i++)
		free_blocks(&b->list_items[i].blocks);
	free(b->list_items);
	free(b->math);
	for (size_t i = 0; i < b->nrow_labels; i++)
		free(b->row_labels[i].label);
	free(b->row_labels);
	free(b->name);
	free_inlines(&b->caption);
	free(b->align);
	for (size_t i = 0; i < b->nrows * b->ncols; i++)
		free_inlines(&b->cells[i].text);
	free(b->cells);
	free_blocks(&b->children);
	for (size_t i = 0; i < b->nconds; i++)
		free(b->conds[i].name);
	free(b->conds);
	free_blocks(&b->else_blocks);
	for (size_t i = 0; i < b->nrefs; i++) {
		free(b->refs[i].key);
		free_inlines(&b->refs[i].text);
	}
	free(b->refs);
}

static void
free_blocks(struct doc_blocks *b)
{
	for (size_t i = 0; i < b->n; i++)
		free_block(&b->items[i]);
	free(b->items);
	b->items = NULL;
	b->n = 0;
}

/* Frees a body's vector and the nested blocks no parse took. */
static void
free_entries(struct entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i].blk) {
			free_block(e->v[i].blk);
			free(e->v[i].blk);
		}
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

void
doc_free(struct doc *doc)
{
	if (doc == NULL)
		return;
	free_blocks(&doc->blocks);
	for (size_t i = 0; i < doc->nfiles; i++)
		free(doc->files[i]);
	free(doc->files);
	free(doc);
}

/* ---------------------------------------------------------------- labels */

/* Reads s[from, to), which should be exactly one "{#KIND:NAME}" with KIND
 * `kind`, on a `what`.  Returns the label ("KIND:NAME") or NULL after
 * reporting. */
static char *
read_label(struct parser *P, size_t from, size_t to, const char *kind, const char *what)
{
	const char *s = P->text + from;
	size_t n = to - from;
	char *raw = xstrndup(s, n), *label = NULL;

	if (n < 4 || s[0] != '{' || s[1] != '#' || s[n - 1] != '}' ||
	    match(P, P->re->label, s + 2, n - 3, 0, 0) <= 0) {
		report(P, from, DIAG_TPL_BAD_LABEL, raw, kind, NULL);
		goto done;
	}
	label = xstrndup(s + 2, n - 3);
	if (group_len(P, 1) != strlen(kind) || memcmp(s + 2, kind, strlen(kind)) != 0) {
		report(P, from, DIAG_TPL_LABEL_KIND, label, what, kind);
		free(label);
		label = NULL;
		goto done;
	}
	if (!define_label(P, label, from)) {
		free(label);
		label = NULL;
	}
done:
	free(raw);
	return label;
}

/* The offset of a trailing "{#" label in [from, to) (the last unescaped
 * "{#"), or `to` if there is none. */
static size_t
find_label(const struct parser *P, size_t from, size_t to)
{
	for (size_t i = to; i > from + 1; i--)
		if (P->text[i - 2] == '{' && P->text[i - 1] == '#' &&
		    (i - 2 == from || P->text[i - 3] != '\\'))
			return i - 2;
	return to;
}

/* ---------------------------------------------------------------- blocks */

enum lkind { L_BLANK, L_TEXT, L_HEADING, L_MATH, L_ITEM, L_PIPE, L_BLOCK };

struct item_mark {
	size_t indent;     /* columns before the marker (spaces) */
	bool tab;          /* the indentation holds a tab */
	bool ordered;
	int start;
	size_t marker;     /* file offset of the marker */
	size_t content;    /* bytes of the line before the content */
};

static const char *
ctx_place(enum ctx ctx)
{
	switch (ctx) {
	case CTX_NOTE: return "'::: note'";
	case CTX_PARAMETERS: return "'::: parameters'";
	case CTX_FIGURE: return "'::: figure'";
	case CTX_TABLE:
	case CTX_CAPTION: return "'::: table'";
	case CTX_REFERENCES: return "'::: references'";
	case CTX_IF: return "'::: if'";
	case CTX_ITEM: return "a list item";
	default: return "this block";
	}
}

static enum lkind
classify(struct parser *P, const struct entry *e, struct item_mark *im)
{
	if (e->blk)
		return L_BLOCK;
	const char *s = P->text + e->ln->off;
	size_t len = e->ln->len, k = e->skip;

	while (k < len && is_space(s[k]))
		k++;
	if (k == len)
		return L_BLANK;
	if (e->para)
		return L_TEXT;
	if (s[k] == '#')
		return L_HEADING;
	if (s[k] == '|')
		return L_PIPE;
	if (s[k] == '$' && k + 1 < len && s[k + 1] == '$')
		return L_MATH;
	if ((s[k] == '-' || (s[k] >= '0' && s[k] <= '9')) &&
	    match(P, P->re->item, s, len, 0, 0) > 0) {
		if (im) {
			size_t ind = group_len(P, 1);

			im->tab = memchr(s, '\t', ind) != NULL;
			im->indent = ind;
			im->ordered = group_set(P, 3);
			im->start = im->ordered ? atoi(s + group_off(P, 3)) : 1;
			im->marker = e->ln->off + ind;
			k = pcre2_get_ovector_pointer(P->md)[1];
			while (k < len && is_space(s[k]))
				k++;
			im->content = k;
		}
		return L_ITEM;
	}
	return L_TEXT;
}

/* Columns of indentation of a line entry (a tab counts as one). */
static size_t
indent_of(const struct parser *P, const struct entry *e)
{
	const char *s = P->text + e->ln->off;
	size_t k = 0;

	while (k < e->ln->len && is_space(s[k]))
		k++;
	return k;
}

static struct doc_block *
add_block(struct doc_blocks *out, enum doc_block_kind kind, struct doc_loc loc)
{
	struct doc_block *b = PUSH(out->items, out->n);

	b->kind = kind;
	b->loc = loc;
	return b;
}

static void parse_blocks(struct parser *P, struct entry *v, size_t n, enum ctx ctx, int depth,
    struct doc_blocks *out);

/* A paragraph from v[i]: its lines, trimmed, joined by soft breaks. */
static size_t
paragraph(struct parser *P, struct entry *v, size_t n, size_t i, struct doc_blocks *out)
{
	struct span sp = {0};
	size_t j = i, first = 0;

	for (; j < n; j++) {
		if (j > i && classify(P, &v[j], NULL) != L_TEXT)
			break;
		const struct tline *ln = v[j].ln;
		size_t from = ln->off + v[j].skip, to = ln->off + ln->len;

		trim(P->text, &from, &to);
		if (j == i)
			first = from;
		else
			span_put(&sp, "\n", 1, v[j - 1].ln->off + v[j - 1].ln->len);
		span_add(P, &sp, from, to);
	}
	struct doc_block *b = add_block(out, DOC_PARAGRAPH, loc_at(P, first));
	b->text = parse_inlines(P, &sp);
	span_free(&sp);
	return j;
}

static void
heading(struct parser *P, const struct entry *e, enum ctx ctx, struct doc_blocks *out)
{
	const struct tline *ln = e->ln;
	const char *s = P->text + ln->off;

	if (match(P, P->re->heading, s, ln->len, 0, 0) <= 0)
		return; /* cannot happen: classify saw a '#' */
	size_t hash = ln->off + group_off(P, 1), nhash = group_len(P, 1);
	bool star = group_len(P, 2) > 0;
	size_t from = ln->off + group_off(P, 3), to = ln->off + ln->len;

	if (ctx != CTX_ROOT) {
		reportf(P, hash, DIAG_TPL_SYNTAX, "a heading cannot be inside %s", ctx_place(ctx));
		return;
	}
	if (from < to && !is_space(P->text[from])) {
		reportf(P, hash, DIAG_TPL_SYNTAX, "missing space after '%.*s%s' in a heading",
		    (int)nhash, P->text + hash, star ? "*" : "");
	}
	if (nhash > 3) {
		char num[24];

		snprintf(num, sizeof num, "%zu", nhash);
		report(P, hash, DIAG_TPL_HEADING_LEVEL, num, NULL, NULL);
	}
	struct doc_block *b = add_block(out, DOC_HEADING, loc_at(P, hash));
	b->level = nhash > 3 ? 3 : (int)nhash;
	b->numbered = !star;
	trim(P->text, &from, &to);
	size_t lab = find_label(P, from, to);
	if (lab < to) {
		b->label = read_label(P, lab, to, "sec", "heading");
		to = lab;
		trim(P->text, &from, &to);
	}
	if (from == to) {
		reportf(P, hash, DIAG_TPL_SYNTAX, "empty heading");
		return;
	}
	struct span sp = {0};
	span_add(P, &sp, from, to);
	b->text = parse_inlines(P, &sp);
	span_free(&sp);
}

/* The \label{eq:NAME}s in P->text[from, to), one line of display math
 * (the rows of its aligned block: texmath checks where they stand and
 * reports a malformed \label without its braces): checked, defined (labels
 * are unique across the files) and appended to b->row_labels. */
static void
math_row_labels(struct parser *P, struct doc_block *b, size_t from, size_t to)
{
	const char *t = P->text;

	for (size_t i = from; i < to; i++) {
		if (t[i] != '\\')
			continue;
		size_t j = i + 1;
		while (j < to && ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z')))
			j++;
		if (j == i + 1) {
			i++; /* \\, \{, …: a pair */
			continue;
		}
		size_t a = j;
		while (a < to && is_space(t[a]))
			a++;
		if (j - i != 6 || memcmp(t + i + 1, "label", 5) != 0 || a >= to || t[a] != '{') {
			i = j - 1;
			continue;
		}
		size_t z = ++a;
		while (z < to && t[z] != '}' && t[z] != '{')
			z++;
		if (z >= to || t[z] != '}') {
			i = j - 1;
			continue;
		}
		size_t end = z;
		trim(t, &a, &z);
		if (match(P, P->re->label, t + a, z - a, 0, 0) <= 0) {
			reportf(P, i, DIAG_TPL_SYNTAX, "malformed row label '\\label{%.*s}' (expected "
			    "\\label{eq:NAME}; a NAME is letters, digits, '_', and '-', '.' or ':' inside)",
			    (int)(z - a), t + a);
		} else {
			char *label = xstrndup(t + a, z - a);
			if (group_len(P, 1) != 2 || memcmp(label, "eq", 2) != 0) {
				report(P, i, DIAG_TPL_LABEL_KIND, label, "display row", "eq");
				free(label);
			} else if (!define_label(P, label, i)) {
				free(label);
			} else {
				struct doc_row_label *rl = PUSH(b->row_labels, b->nrow_labels);
				rl->label = label;
				rl->loc = loc_at(P, i);
			}
		}
		i = end;
	}
}

/* The label or stray text after a closing "$$", [from, to) trimmed. */
static void
math_label(struct parser *P, struct doc_block *b, size_t from, size_t to)
{
	trim(P->text, &from, &to);
	if (from == to)
		return;
	if (P->text[from] == '{' && b->nrow_labels > 0) {
		reportf(P, from, DIAG_TPL_SYNTAX, "a display whose rows carry \\label{eq:NAME} is "
		    "numbered per row and takes no label '%.*s' after '$$'", (int)(to - from),
		    P->text + from);
		return;
	}
	if (P->text[from] == '{') {
		b->label = read_label(P, from, to, "eq", "display");
		return;
	}
	reportf(P, from, DIAG_TPL_SYNTAX,
	    "unexpected text after display math '%.*s' (only a label {#eq:NAME} may follow '$$')",
	    (int)(to - from), P->text + from);
}

/* The offset of the first unescaped "$$" in [from, to), or SIZE_MAX. */
static size_t
find_dollars(const char *text, size_t from, size_t to)
{
	for (size_t j = from; j + 1 < to; j++) {
		if (text[j] == '\\')
			j++;
		else if (text[j] == '$' && text[j + 1] == '$')
			return j;
	}
	return SIZE_MAX;
}

static size_t
display_math(struct parser *P, struct entry *v, size_t n, size_t i, struct doc_blocks *out)
{
	const struct tline *ln = v[i].ln;
	size_t from = ln->off, to = ln->off + ln->len;

	trim(P->text, &from, &to);
	struct doc_block *b = add_block(out, DOC_DISPLAY_MATH, loc_at(P, from));
	size_t open = from, body = from + 2;
	size_t close = find_dollars(P->text, body, to);

	if (close != SIZE_MAX) {
		/* $$ ... $$ {#eq:x} on one line */
		size_t a = body, z = close;

		trim(P->text, &a, &z);
		b->math = xstrndup(P->text + a, z - a);
		b->math_loc = loc_at(P, a);
		if (a == z)
			reportf(P, open, DIAG_TPL_SYNTAX, "empty display math");
		math_row_labels(P, b, a, z);
		struct span sp = {0};
		span_add(P, &sp, a, z);
		math_placeholders(P, &sp, 0, sp.n);
		span_free(&sp);
		math_label(P, b, close + 2, to);
		return i + 1;
	}
	size_t a = body, z = to;
	trim(P->text, &a, &z);
	if (a < z) {
		/* "$$ x" without its closing "$$": a display spanning lines opens
		 * with "$$" alone. */
		report(P, open, DIAG_TPL_UNCLOSED, "display math", "$$", NULL);
		b->math = xstrndup(P->text + a, z - a);
		b->math_loc = loc_at(P, a);
		return i + 1;
	}
	/* $$ alone: the lines up to one starting with $$. */
	size_t j = i + 1, len = 0;
	bool closed = false;
	char *math = xstrdup("");
	struct span sp = {0}; /* the same lines, with their offsets */

	for (; j < n; j++) {
		if (v[j].blk || classify(P, &v[j], NULL) == L_BLANK)
			break;
		const struct tline *l = v[j].ln;
		size_t f = l->off, t = l->off + l->len;

		trim(P->text, &f, &t);
		if (t - f >= 2 && P->text[f] == '$' && P->text[f + 1] == '$') {
			math_label(P, b, f + 2, t);
			closed = true;
			j++;
			break;
		}
		if (len == 0 && j == i + 1)
			b->math_loc = loc_at(P, l->off);
		math_row_labels(P, b, f, t);
		/* The line as written, less trailing blanks. */
		f = l->off;
		math = xrealloc(math, len + (t - f) + 2);
		if (j > i + 1) {
			math[len++] = '\n';
			span_put(&sp, "\n", 1, f - 1);
		}
		span_add(P, &sp, f, t);
		memcpy(math + len, P->text + f, t - f);
		len += t - f;
		math[len] = '\0';
	}
	b->math = math;
	math_placeholders(P, &sp, 0, sp.n);
	span_free(&sp);
	if (j == i + 1 || (closed && j == i + 2)) {
		b->math_loc = loc_at(P, open);
		reportf(P, open, DIAG_TPL_SYNTAX, closed ? "empty display math" :
		    "'$$' opens a display but nothing follows (missing its lines and closing '$$')");
		return j;
	}
	if (!closed)
		report(P, open, DIAG_TPL_UNCLOSED, "display math", "$$", NULL);
	return j;
}

/* Checks an item line's indentation against its level, reporting a bad one;
 * the item is read at `depth` anyway. */
static void
check_item_indent(struct parser *P, const struct item_mark *im, int depth)
{
	size_t want = 2 * (size_t)depth;
	char got[24], max[24];

	if (im->tab) {
		reportf(P, im->marker, DIAG_TPL_SYNTAX,
		    "list item indented with a tab (indent by two spaces per nesting level)");
		return;
	}
	if (im->indent % 2 != 0) {
		snprintf(got, sizeof got, "%zu", im->indent);
		report(P, im->marker, DIAG_TPL_LIST_INDENT, got, NULL, NULL);
		return;
	}
	if (im->indent > want) {
		snprintf(got, sizeof got, "%zu", im->indent);
		snprintf(max, sizeof max, "%zu", want);
		reportf(P, im->marker, DIAG_TPL_SYNTAX,
		    "list item nested too deep: indented by %s spaces where at most %s are expected "
		    "(two spaces per level)", got, max);
	}
}

static size_t
parse_list(struct parser *P, struct entry *v, size_t n, size_t i, int depth,
    struct doc_blocks *out)
{
	struct item_mark im;
	size_t base = 2 * (size_t)depth;

	classify(P, &v[i], &im);
	struct doc_block *lb = add_block(out, DOC_LIST, loc_at(P, im.marker));
	bool ordered = im.ordered;
	struct doc_list_item *items = NULL;
	size_t nitems = 0;

	lb->ordered = ordered;
	lb->start = im.start;
	for (;;) {
		check_item_indent(P, &im, depth);
		struct doc_list_item *it = PUSH(items, nitems);
		it->loc = loc_at(P, im.marker);

		/* The item's lines: its first line's content, then every line
		 * indented past its marker (blank lines included when such a line
		 * follows them). */
		struct entries body = {0};
		if (im.content < v[i].ln->len) {
			struct entry *e = PUSH(body.v, body.n);
			*e = (struct entry){.ln = v[i].ln, .skip = im.content, .para = true};
		}
		size_t j = i + 1;
		while (j < n && !v[j].blk) {
			if (classify(P, &v[j], NULL) == L_BLANK) {
				size_t k = j;

				while (k < n && !v[k].blk && classify(P, &v[k], NULL) == L_BLANK)
					k++;
				if (k == n || v[k].blk || indent_of(P, &v[k]) <= base)
					break;
				for (; j < k; j++)
					*PUSH(body.v, body.n) = v[j];
				continue;
			}
			if (indent_of(P, &v[j]) <= base)
				break;
			*PUSH(body.v, body.n) = v[j++];
		}
		/* The item writes to its own vector, so lb stays put. */
		parse_blocks(P, body.v, body.n, CTX_ITEM, depth + 1, &it->blocks);
		free(body.v);
		i = j;

		/* A sibling: the next item at this level, blank lines between. */
		size_t k = i;
		while (k < n && !v[k].blk && classify(P, &v[k], NULL) == L_BLANK)
			k++;
		struct item_mark next;
		if (k < n && classify(P, &v[k], &next) == L_ITEM && next.indent <= base &&
		    next.ordered == ordered) {
			i = k;
			im = next;
			continue;
		}
		break;
	}
	lb->list_items = items;
	lb->nlist_items = nitems;
	return i;
}

static void
parse_blocks(struct parser *P, struct entry *v, size_t n, enum ctx ctx, int depth,
    struct doc_blocks *out)
{
	size_t i = 0;

	while (i < n) {
		struct item_mark im;

		switch (classify(P, &v[i], &im)) {
		case L_BLANK:
			i++;
			break;
		case L_BLOCK:
			*PUSH(out->items, out->n) = *v[i].blk;
			free(v[i].blk);
			v[i].blk = NULL;
			i++;
			break;
		case L_HEADING:
			heading(P, &v[i], ctx, out);
			i++;
			break;
		case L_MATH:
			i = display_math(P, v, n, i, out);
			break;
		case L_ITEM:
			i = parse_list(P, v, n, i, depth, out);
			break;
		case L_PIPE:
			reportf(P, v[i].ln->off + indent_of(P, &v[i]), DIAG_TPL_SYNTAX,
			    "a pipe table must be inside '::: table' (which gives its caption and number)");
			while (i < n && classify(P, &v[i], NULL) == L_PIPE)
				i++;
			break;
		case L_TEXT:
			i = paragraph(P, v, n, i, out);
			break;
		}
	}
}

/* ---------------------------------------------------------------- tables */

struct cell_seg {
	size_t from, to; /* file offsets, raw (escapes still in) */
};

/* Splits a row at every unescaped '|'; the text after the last one is a
 * cell only if it is not blank. */
static size_t
split_row(struct parser *P, const struct tline *ln, struct cell_seg **segs)
{
	const char *s = P->text;
	size_t i = ln->off, end = ln->off + ln->len, n = 0;

	while (i < end && is_space(s[i]))
		i++;
	i++; /* the leading '|' */
	size_t start = i;
	for (; i < end; i++) {
		if (s[i] == '\\' && i + 1 < end) {
			i++;
		} else if (s[i] == '|') {
			struct cell_seg *c = PUSH(*segs, n);
			c->from = start;
			c->to = i;
			start = i + 1;
		}
	}
	size_t a = start, z = end;
	trim(s, &a, &z);
	if (a < z) {
		struct cell_seg *c = PUSH(*segs, n);
		c->from = start;
		c->to = end;
	}
	return n;
}

/* One cell's inline content: trimmed, "\|" read as '|'. */
static void
read_cell(struct parser *P, const struct cell_seg *c, struct doc_table_cell *cell)
{
	size_t from = c->from, to = c->to;
	struct span sp = {0};

	trim(P->text, &from, &to);
	cell->loc = loc_at(P, from < to ? from : c->from);
	for (size_t i = from; i < to; i++) {
		if (P->text[i] == '\\' && i + 1 < to) {
			if (P->text[i + 1] == '|') {
				/* located at its backslash, like any escape */
				span_put(&sp, "|", 1, i);
			} else {
				span_add(P, &sp, i, i + 2);
			}
			i++;
		} else {
			span_add(P, &sp, i, i + 1);
		}
	}
	cell->text = parse_inlines(P, &sp);
	span_free(&sp);
}

static size_t
row_start(struct parser *P, const struct tline *ln)
{
	size_t i = ln->off;

	while (i < ln->off + ln->len && is_space(P->text[i]))
		i++;
	return i;
}

static void
cell_count_error(struct parser *P, const struct tline *ln, size_t got, size_t want)
{
	char a[32], b[32];

	snprintf(a, sizeof a, "%zu cell%s", got, got == 1 ? "" : "s");
	snprintf(b, sizeof b, "%zu", want);
	report(P, row_start(P, ln), DIAG_TPL_TABLE_CELLS, a, b, NULL);
}

static void
build_table(struct parser *P, struct doc_block *b, const struct entry *v, size_t n)
{
	struct cell_seg **segs = xcalloc(n, sizeof *segs);
	size_t *counts = xcalloc(n, sizeof *counts);

	for (size_t r = 0; r < n; r++)
		counts[r] = split_row(P, v[r].ln, &segs[r]);
	size_t ncols = counts[0];
	if (ncols == 0) {
		reportf(P, row_start(P, v[0].ln), DIAG_TPL_SYNTAX, "table header has no cells");
		ncols = 1;
	}
	bool aligned = n >= 2 && counts[1] > 0;
	for (size_t c = 0; aligned && c < counts[1]; c++)
		aligned = match(P, P->re->align, P->text + segs[1][c].from,
		    segs[1][c].to - segs[1][c].from, 0, 0) > 0;

	b->ncols = ncols;
	b->align = xcalloc(ncols, sizeof *b->align);
	if (!aligned) {
		report(P, row_start(P, v[n >= 2 ? 1 : 0].ln), DIAG_TPL_TABLE_NO_ALIGN, NULL, NULL, NULL);
	} else {
		if (counts[1] != ncols)
			cell_count_error(P, v[1].ln, counts[1], ncols);
		for (size_t c = 0; c < counts[1] && c < ncols; c++) {
			match(P, P->re->align, P->text + segs[1][c].from, segs[1][c].to - segs[1][c].from,
			    0, 0);
			bool left = group_len(P, 1) > 0, right = group_len(P, 2) > 0;

			b->align[c] = left && right ? DOC_ALIGN_CENTER :
			    right ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT;
		}
	}
	b->nrows = aligned ? n - 1 : n;
	b->cells = xcalloc(b->nrows * ncols, sizeof *b->cells);
	for (size_t r = 0, row = 0; r < n; r++) {
		if (aligned && r == 1)
			continue;
		if (r > 0 && counts[r] != ncols)
			cell_count_error(P, v[r].ln, counts[r], ncols);
		for (size_t c = 0; c < ncols; c++) {
			struct doc_table_cell *cell = &b->cells[row * ncols + c];

			if (c < counts[r])
				read_cell(P, &segs[r][c], cell);
			else
				cell->loc = loc_at(P, v[r].ln->off + v[r].ln->len);
		}
		row++;
	}
	for (size_t r = 0; r < n; r++)
		free(segs[r]);
	free(segs);
	free(counts);
}

/* ---------------------------------------------------------------- directives */

static const struct {
	const char *name;
	enum ctx ctx;
} directives[] = {
	{"figure", CTX_FIGURE},
	{"table", CTX_TABLE},
	{"note", CTX_NOTE},
	{"references", CTX_REFERENCES},
	{"parameters", CTX_PARAMETERS},
	{"if", CTX_IF},
};

/* Moves the single caption paragraph of `blocks` into *caption; reports a
 * missing caption or anything else in the body. */
static void
take_caption(struct parser *P, struct doc_blocks *blocks, struct doc_inlines *caption,
    const char *dname, size_t open_off)
{
	if (blocks->n == 0) {
		report(P, open_off, DIAG_TPL_BAD_DIRECTIVE, dname,
		    strcmp(dname, "table") == 0 ?
		    "needs a caption paragraph before its pipe table" : "needs a caption (its body)",
		    NULL);
		return;
	}
	struct doc_block *first = &blocks->items[0];
	if (first->kind != DOC_PARAGRAPH || blocks->n > 1) {
		struct doc_block *bad = first->kind != DOC_PARAGRAPH ? first : &blocks->items[1];

		report_at(P, bad->loc, DIAG_TPL_BAD_DIRECTIVE, dname,
		    "caption must be a single paragraph", NULL);
	}
	if (first->kind == DOC_PARAGRAPH) {
		*caption = first->text;
		first->text = (struct doc_inlines){0};
	}
}

/* The table of a '::: table' body: caption lines, then the pipe rows. */
static void
finish_table(struct parser *P, struct container *c, struct doc_block *b)
{
	struct entry *v = c->body.v;
	size_t n = c->body.n, k = 0;

	while (k < n && (v[k].blk || classify(P, &v[k], NULL) != L_PIPE))
		k++;
	struct doc_blocks cap = {0};
	parse_blocks(P, v, k, CTX_CAPTION, 0, &cap);
	take_caption(P, &cap, &b->caption, "table", c->open_off);
	free_blocks(&cap);
	if (k == n) {
		report(P, c->open_off, DIAG_TPL_BAD_DIRECTIVE, "table", "has no pipe table", NULL);
		return;
	}
	size_t e = k;
	while (e < n && !v[e].blk && classify(P, &v[e], NULL) == L_PIPE)
		e++;
	build_table(P, b, v + k, e - k);
	for (size_t j = e; j < n; j++) {
		if (v[j].blk) {
			report_at(P, v[j].blk->loc, DIAG_TPL_BAD_DIRECTIVE, "table",
			    "has more after its pipe table (a table block holds a caption and one table)",
			    NULL);
			break;
		}
		if (classify(P, &v[j], NULL) != L_BLANK) {
			report(P, v[j].ln->off + indent_of(P, &v[j]), DIAG_TPL_BAD_DIRECTIVE, "table",
			    "has more after its pipe table (a table block holds a caption and one table)",
			    NULL);
			break;
		}
	}
}

static void
finish_references(struct parser *P, struct container *c, struct doc_block *b)
{
	for (size_t i = 0; i < c->body.n; i++) {
		const struct entry *e = &c->body.v[i];

		if (e->blk || classify(P, e, NULL) == L_BLANK)
			continue;
		const char *s = P->text + e->ln->off;
		size_t at = e->ln->off + indent_of(P, e);

		if (match(P, P->re->ref, s, e->ln->len, 0, 0) <= 0) {
			report(P, at, DIAG_TPL_BAD_DIRECTIVE, "references",
			    "entry must start with [@key] (one entry per line)", NULL);
			continue;
		}
		char *key = xstrndup(s + group_off(P, 1), group_len(P, 1));
		size_t from = e->ln->off + group_off(P, 2), to = from + group_len(P, 2);

		if (from == to) {
			char *detail = xasprintf("entry [@%s] has no text", key);

			report(P, at, DIAG_TPL_BAD_DIRECTIVE, "references", detail, NULL);
			free(detail);
		}
		define(P, &P->keys, &P->nkeys, key, at, "reference key");
		struct doc_reference *r = PUSH(b->refs, b->nrefs);
		r->loc = loc_at(P, at);
		r->key = key;
		struct span sp = {0};
		span_add(P, &sp, from, to);
		r->text = parse_inlines(P, &sp);
		span_free(&sp);
	}
}

/* Builds the block of a closed directive and hands it to its parent. */
static void
finish(struct parser *P, struct container *c, struct container *parent)
{
	struct doc_block *b = c->blk;
	struct doc_blocks tmp = {0};

	switch (c->ctx) {
	case CTX_NOTE:
	case CTX_PARAMETERS:
		parse_blocks(P, c->body.v, c->body.n, c->ctx, 0, &b->children);
		break;
	case CTX_IF:
		if (b)
			parse_blocks(P, c->body.v, c->body.n, CTX_IF, 0,
			    c->in_else ? &b->else_blocks : &b->children);
		P->cond_depth--;
		break;
	case CTX_FIGURE:
		parse_blocks(P, c->body.v, c->body.n, CTX_FIGURE, 0, &tmp);
		take_caption(P, &tmp, &b->caption, "figure", c->open_off);
		break;
	case CTX_TABLE:
		finish_table(P, c, b);
		break;
	case CTX_REFERENCES:
		finish_references(P, c, b);
		break;
	default:
		/* Unknown or misplaced: its body is still checked. */
		parse_blocks(P, c->body.v, c->body.n, CTX_BAD, 0, &tmp);
		break;
	}
	free_blocks(&tmp);
	free_entries(&c->body);
	free(c->name);
	if (b && c->discard) {
		free_block(b);
		free(b);
	} else if (b) {
		PUSH(parent->body.v, parent->body.n)->blk = b;
	}
}

static const char *
suggest_directive(const char *name)
{
	const char *best = NULL;
	int best_d = 3;

	for (size_t k = 0; k < ARRAY_LEN(directives); k++) {
		int d = edit_distance(name, directives[k].name);

		if (d < best_d) {
			best_d = d;
			best = directives[k].name;
		}
	}
	return best;
}

static void
cond_error(struct parser *P, size_t off, const char *detail)
{
	report(P, off, DIAG_TPL_BAD_DIRECTIVE, "if", detail, NULL);
}

/* The conditions of "::: if" in text[a, z): NAME OP NUMBER, joined by
 * "and"; reports the first malformed one. */
static void
read_conditions(struct parser *P, struct doc_block *b, size_t a, size_t z)
{
	const char *t = P->text;
	static const struct {
		const char *op;
		enum doc_cmp cmp;
	} ops[] = {
		{"<=", DOC_CMP_LE}, {">=", DOC_CMP_GE}, {"==", DOC_CMP_EQ}, {"!=", DOC_CMP_NE},
		{"<", DOC_CMP_LT}, {">", DOC_CMP_GT},
	};

	if (a >= z) {
		cond_error(P, a, "needs a condition NAME OP NUMBER, such as "
		    "'::: if prior.mean == 0'");
		return;
	}
	for (;;) {
		size_t n = a;
		while (n < z && (isalnum((unsigned char)t[n]) || t[n] == '_' || t[n] == '.'))
			n++;
		bool dots = false;
		for (size_t j = a; j + 1 < n; j++)
			dots = dots || (t[j] == '.' && t[j + 1] == '.');
		if (n == a || isdigit((unsigned char)t[a]) || t[a] == '.' || t[n - 1] == '.' || dots) {
			size_t e = a;
			while (e < z && !is_space(t[e]))
				e++;
			char *d = xasprintf("expects a config key or result name, got '%.*s'",
			    (int)(e - a), t + a);
			cond_error(P, a, d);
			free(d);
			return;
		}
		struct doc_cond *c = PUSH(b->conds, b->nconds);
		c->name = xstrndup(t + a, n - a);
		c->loc = loc_at(P, a);
		a = n;
		trim(t, &a, &z);
		size_t k = 0, e = a;
		while (e < z && !is_space(t[e]))
			e++;
		for (k = 0; k < ARRAY_LEN(ops); k++)
			if (strncmp(t + a, ops[k].op, strlen(ops[k].op)) == 0)
				break;
		if (a == z || k == ARRAY_LEN(ops)) {
			char *d = a == z ? xasprintf("has no operator after '%s' (expected <, <=, >, "
			    ">=, == or !=, then a number)", c->name) : xasprintf("has a bad operator "
			    "'%.*s' (expected <, <=, >, >=, == or !=)", (int)(e - a), t + a);
			cond_error(P, a, d);
			free(d);
			return;
		}
		c->op = ops[k].cmp;
		a += strlen(ops[k].op);
		trim(t, &a, &z);
		e = a;
		while (e < z && !is_space(t[e]))
			e++;
		char *num = xstrndup(t + a, e - a), *end = NULL;
		c->value = e > a ? strtod(num, &end) : 0;
		bool ok = e > a && *end == '\0' && isfinite(c->value);
		if (!ok) {
			char *d = e == a ? xasprintf("has no number after '%s'", ops[k].op) :
			    xasprintf("compares with '%s', which is not a number", num);
			cond_error(P, a, d);
			free(d);
		}
		free(num);
		if (!ok)
			return;
		a = e;
		trim(t, &a, &z);
		if (a == z)
			return;
		if (z - a < 4 || strncmp(t + a, "and", 3) != 0 || !is_space(t[a + 3])) {
			char *d = xasprintf("expects 'and' or the end of the line, got '%.*s'",
			    (int)(z - a), t + a);
			cond_error(P, a, d);
			free(d);
			return;
		}
		a += 3;
		trim(t, &a, &z);
		if (a == z) {
			cond_error(P, a, "has nothing after 'and' (expected NAME OP NUMBER)");
			return;
		}
	}
}

/* "::: else" at offset `at`: the open "::: if" on top of the stack takes
 * its body so far as the then-branch. */
static void
else_directive(struct parser *P, struct container *top, size_t at, size_t args, size_t z)
{
	if (top->ctx != CTX_IF || top->in_else) {
		reportf(P, at, DIAG_TPL_SYNTAX, top->ctx == CTX_IF ?
		    "a second '::: else' in one '::: if' block" :
		    "'::: else' without an open '::: if' block (an else closes no other block)");
		return;
	}
	trim(P->text, &args, &z);
	if (args < z)
		reportf(P, args, DIAG_TPL_SYNTAX, "'::: else' takes no arguments, got '%.*s'",
		    (int)(z - args), P->text + args);
	if (top->blk)
		parse_blocks(P, top->body.v, top->body.n, CTX_IF, 0, &top->blk->children);
	free_entries(&top->body);
	top->body = (struct entries){0};
	top->in_else = true;
}

/* "::: NAME ARGS" at line ln; `rest` is the offset just past ":::". */
static void
open_directive(struct parser *P, struct container **stack, size_t *depth,
    const struct tline *ln, size_t at, size_t rest)
{
	const char *t = P->text;
	size_t end = ln->off + ln->len, a = rest, z = end;
	struct container *parent = &(*stack)[*depth - 1];
	enum ctx parent_ctx = parent->ctx;
	enum ctx ctx = CTX_BAD;

	/* a conditional block is transparent: what it holds may stand where
	 * the block stands */
	for (size_t d = *depth - 1; d > 0 && (*stack)[d].ctx == CTX_IF; d--) {
		parent = &(*stack)[d - 1];
		parent_ctx = parent->ctx;
	}

	trim(t, &a, &z);
	if (!is_space(t[rest]))
		reportf(P, rest, DIAG_TPL_SYNTAX, "missing space after ':::' (write '::: NAME')");
	size_t ne = a;
	while (ne < z && !is_space(t[ne]) && t[ne] != '{')
		ne++;
	char *name = xstrndup(t + a, ne - a);

	if (ne == a) {
		reportf(P, a, DIAG_TPL_SYNTAX,
		    "directive without a name (figure, table, note, references or parameters)");
	} else {
		for (size_t k = 0; k < ARRAY_LEN(directives); k++)
			if (strcmp(name, directives[k].name) == 0)
				ctx = directives[k].ctx;
		if (ctx == CTX_BAD) {
			const char *hint = suggest_directive(name);
			char *h = hint ? xasprintf("; did you mean '%s'?", hint) :
			    xstrdup(" (expected figure, table, note, references or parameters)");

			report(P, a, DIAG_TPL_UNKNOWN_DIRECTIVE, name, h, NULL);
			free(h);
		}
	}
	bool nested_ok = parent_ctx == CTX_ROOT || parent_ctx == CTX_BAD ||
	    ((ctx == CTX_NOTE || ctx == CTX_IF) &&
	    (parent_ctx == CTX_NOTE || parent_ctx == CTX_PARAMETERS));
	bool discard = false;
	if (ctx != CTX_BAD && !nested_ok) {
		char *inner = xasprintf("::: %s", name), *outer = xasprintf("::: %s", parent->name);

		report(P, at, DIAG_TPL_NESTING, inner, outer, NULL);
		free(inner);
		free(outer);
		discard = true;
	}

	struct doc_block *b = NULL;
	size_t args = ne;
	trim(t, &args, &z);
	if (ctx != CTX_BAD) {
		static const enum doc_block_kind kinds[] = {
			[CTX_NOTE] = DOC_NOTE, [CTX_PARAMETERS] = DOC_PARAMETERS,
			[CTX_FIGURE] = DOC_FIGURE, [CTX_TABLE] = DOC_TABLE,
			[CTX_REFERENCES] = DOC_REFERENCES, [CTX_IF] = DOC_IF,
		};

		b = xcalloc(1, sizeof *b);
		b->kind = kinds[ctx];
		b->loc = loc_at(P, at);
	}
	if (ctx == CTX_FIGURE) {
		size_t fe = args;

		while (fe < z && !is_space(t[fe]) && t[fe] != '{')
			fe++;
		if (fe == args) {
			report(P, args, DIAG_TPL_BAD_DIRECTIVE, "figure",
			    "needs a figure name (::: figure NAME {#fig:label})", NULL);
		} else {
			b->name = xstrndup(t + args, fe - args);
			for (size_t i = args; i < fe; i++) {
				char c = t[i];

				if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9') || c == '_' || c == '-')) {
					char *detail = xasprintf("name '%s' may hold only letters, digits, '_' "
					    "and '-' (it names figures/NAME.fig)", b->name);

					report(P, args, DIAG_TPL_BAD_DIRECTIVE, "figure", detail, NULL);
					free(detail);
					break;
				}
			}
		}
		args = fe;
		trim(t, &args, &z);
	}
	if (ctx == CTX_IF) {
		P->cond_depth++;
		read_conditions(P, b, args, z);
	} else if (args < z && ctx != CTX_BAD) {
		if (ctx == CTX_FIGURE || ctx == CTX_TABLE) {
			const char *kind = ctx == CTX_FIGURE ? "fig" : "tab";

			if (t[args] == '{') {
				b->label = read_label(P, args, z, kind, name);
			} else {
				char *detail = xasprintf("has unexpected '%.*s' (only a label {#%s:NAME} "
				    "may follow)", (int)(z - args), t + args, kind);

				report(P, args, DIAG_TPL_BAD_DIRECTIVE, name, detail, NULL);
				free(detail);
			}
		} else {
			char *detail = xasprintf("takes no arguments or label, got '%.*s'",
			    (int)(z - args), t + args);

			report(P, args, DIAG_TPL_BAD_DIRECTIVE, name, detail, NULL);
			free(detail);
		}
	}
	struct container *c = PUSH(*stack, *depth);
	c->ctx = ctx;
	c->name = name;
	c->open_off = at;
	c->blk = b;
	c->discard = discard;
}

/* Pass one: comments, directives and their nesting; then the top level. */
static void
read_structure(struct parser *P, struct doc_blocks *out)
{
	struct container *stack = NULL;
	size_t depth = 0;

	PUSH(stack, depth)->ctx = CTX_ROOT;
	for (size_t i = 0; i < P->nlines; i++) {
		const struct tline *ln = &P->lines[i];
		const char *s = P->text + ln->off;

		size_t k = 0;

		if (ln->len > 0 && s[0] == '%')
			continue;
		while (k < ln->len && is_space(s[k]))
			k++;
		if (k < ln->len && s[k] == ':' && match(P, P->re->directive, s, ln->len, 0, 0) > 0) {
			size_t rest = ln->off + group_off(P, 1), at = rest - 3;
			size_t a = rest, z = ln->off + ln->len;

			trim(P->text, &a, &z);
			if (z - a >= 4 && strncmp(P->text + a, "else", 4) == 0 &&
			    (z - a == 4 || is_space(P->text[a + 4]))) {
				else_directive(P, &stack[depth - 1], at, a + 4, z);
			} else if (a < z) {
				open_directive(P, &stack, &depth, ln, at, rest);
			} else if (depth == 1) {
				report(P, at, DIAG_TPL_STRAY_CLOSE, NULL, NULL, NULL);
			} else {
				finish(P, &stack[depth - 1], &stack[depth - 2]);
				depth--;
			}
			continue;
		}
		struct container *top = &stack[depth - 1];
		PUSH(top->body.v, top->body.n)->ln = ln;
	}
	while (depth > 1) {
		struct container *c = &stack[depth - 1];
		char *what = xasprintf("'::: %s' block", c->name);

		report(P, c->open_off, DIAG_TPL_UNCLOSED, what, ":::", NULL);
		free(what);
		finish(P, c, &stack[depth - 2]);
		depth--;
	}
	parse_blocks(P, stack[0].body.v, stack[0].body.n, CTX_ROOT, 0, out);
	free_entries(&stack[0].body);
	free(stack);
}

/* ---------------------------------------------------------------- files */

/* Splits the text into lines (LF or CRLF; a leading BOM is skipped) and
 * reports bytes that are not UTF-8 text, replacing them so that the rest of
 * the file can still be checked. */
static void
split_lines(struct parser *P)
{
	size_t i = 0;
	int no = 1;

	if (P->len >= 3 && memcmp(P->text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < P->len) {
		const char *nl = memchr(P->text + i, '\n', P->len - i);
		size_t end = nl ? (size_t)(nl - P->text) : P->len;
		struct tline *ln = PUSH(P->lines, P->nlines);

		ln->off = i;
		ln->len = end - i;
		ln->no = no++;
		if (ln->len > 0 && P->text[end - 1] == '\r')
			ln->len--;
		i = end + 1;
	}
	for (size_t k = 0; k < P->nlines; k++) {
		const struct tline *ln = &P->lines[k];
		char *s = P->text + ln->off;
		bool reported = false;
		char *nul;

		while ((nul = memchr(s, '\0', ln->len)) != NULL) {
			if (!reported)
				reportf(P, (size_t)(nul - P->text), DIAG_TPL_SYNTAX, "NUL byte in the text");
			reported = true;
			*nul = ' ';
		}
		for (;;) {
			int rc = pcre2_match(P->re->any, (PCRE2_SPTR)s, ln->len, 0, 0, P->md, NULL);

			if (!(rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21))
				break;
			size_t bad = ln->off + pcre2_get_startchar(P->md);
			if (!reported) {
				char hex[8];

				snprintf(hex, sizeof hex, "%02X", (unsigned char)P->text[bad]);
				report(P, bad, DIAG_TPL_BAD_UTF8, hex, NULL, NULL);
			}
			reported = true;
			P->text[bad] = '?';
		}
	}
}

/* Labels and reference keys of the files read before, for duplicates. */
static void
seed_names(struct parser *P, const struct doc_blocks *bl)
{
	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];

		if (b->label)
			define_known(&P->labels, &P->nlabels, b->label, b->loc);
		for (size_t k = 0; k < b->nrow_labels; k++)
			define_known(&P->labels, &P->nlabels, b->row_labels[k].label,
			    b->row_labels[k].loc);
		for (size_t k = 0; k < b->nlist_items; k++)
			seed_names(P, &b->list_items[k].blocks);
		seed_names(P, &b->children);
		seed_names(P, &b->else_blocks);
		for (size_t k = 0; k < b->nrefs; k++)
			define_known(&P->keys, &P->nkeys, b->refs[k].key, b->refs[k].loc);
	}
}

static bool
parse_with(struct doc **docp, const char *name, const char *text, size_t len,
    const struct patterns *re)
{
	struct parser P = {0};

	if (*docp == NULL)
		*docp = xcalloc(1, sizeof **docp);
	struct doc *doc = *docp;
	char **file = PUSH(doc->files, doc->nfiles);
	*file = xstrdup(name);

	P.doc = doc;
	P.file = *file;
	parser_init(&P, re);
	P.text = xmalloc(len + 1);
	memcpy(P.text, text, len);
	P.text[len] = '\0';
	P.len = len;
	split_lines(&P);
	seed_names(&P, &doc->blocks);

	struct doc_blocks blocks = {0};
	read_structure(&P, &blocks);
	for (size_t i = 0; i < blocks.n; i++)
		*PUSH(doc->blocks.items, doc->blocks.n) = blocks.items[i];
	free(blocks.items);

	bool ok = P.nmsgs == 0;
	flush_messages(&P);
	parser_free(&P);
	return ok;
}

bool
doc_parse(struct doc **docp, const char *name, const char *text, size_t len)
{
	struct patterns re;

	patterns_init(&re);
	bool ok = parse_with(docp, name, text, len, &re);
	patterns_free(&re);
	return ok;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole file, or NULL with errno set. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 16384;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		fclose(f);
		free(buf);
		errno = e;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

struct doc *
doc_load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	struct doc *doc = NULL;
	bool ok = true;

	if (d == NULL) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= 3 || strcmp(de->d_name + l - 3, ".md") != 0 ||
		    strcmp(de->d_name, "README.md") == 0)
			continue;
		*PUSH(names, n) = xstrdup(de->d_name);
	}
	closedir(d);
	if (n == 0) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, dir, "no template files (NAME.md)");
		return NULL;
	}
	qsort(names, n, sizeof *names, cmp_names);
	struct patterns re;
	patterns_init(&re);
	size_t dl = strlen(dir);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s%s%s", dir, dl > 0 && dir[dl - 1] == '/' ? "" : "/",
		    names[i]);
		size_t len;
		char *text = read_file(path, &len);

		if (text == NULL) {
			diag_emit(DIAG_IO_OPEN, NULL, 0, 0, path, strerror(errno));
			ok = false;
		} else {
			if (!parse_with(&doc, path, text, len, &re))
				ok = false;
			free(text);
		}
		free(path);
		free(names[i]);
	}
	patterns_free(&re);
	free(names);
	if (!ok) {
		doc_free(doc);
		return NULL;
	}
	return doc;
}

/* ---------------------------------------------------------------- dump */

static void
dump_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7F)
			fprintf(out, "\\x%02X", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void
dump_indent(FILE *out, int depth)
{
	fprintf(out, "%*s", 2 * depth, "");
}

static void
dump_loc(FILE *out, struct doc_loc loc)
{
	fprintf(out, " @%d:%d\n", loc.line, loc.col);
}

static void
dump_inlines(FILE *out, const struct doc_inline *v, size_t n, int depth)
{
	static const char *const names[] = {
		[DOC_TEXT] = "text", [DOC_EMPH] = "emph", [DOC_STRONG] = "strong",
		[DOC_CODE] = "code", [DOC_MATH] = "math", [DOC_PLACEHOLDER] = "placeholder",
		[DOC_XREF] = "xref", [DOC_CITE] = "cite", [DOC_SOFTBREAK] = "softbreak",
	};

	for (size_t i = 0; i < n; i++) {
		const struct doc_inline *x = &v[i];

		dump_indent(out, depth);
		fputs(names[x->kind], out);
		switch (x->kind) {
		case DOC_TEXT:
		case DOC_CODE:
		case DOC_MATH:
			fputc(' ', out);
			dump_str(out, x->text);
			break;
		case DOC_PLACEHOLDER:
			fprintf(out, " %s", x->text);
			if (x->format) {
				fputs(" format=", out);
				dump_str(out, x->format);
			}
			break;
		case DOC_XREF:
			fprintf(out, " %s", x->text);
			break;
		case DOC_CITE:
			for (size_t k = 0; k < x->nkeys; k++)
				fprintf(out, "%c%s", k ? ',' : ' ', x->keys[k]);
			break;
		default:
			break;
		}
		dump_loc(out, x->loc);
		dump_inlines(out, x->children, x->nchildren, depth + 1);
	}
}

static void
dump_label(FILE *out, const char *label)
{
	if (label)
		fprintf(out, " label=%s", label);
}

static void
dump_blocks(FILE *out, const struct doc_blocks *bl, int depth, const char **file)
{
	static const char *const aligns[] = {
		[DOC_ALIGN_LEFT] = "left", [DOC_ALIGN_CENTER] = "center", [DOC_ALIGN_RIGHT] = "right",
	};

	for (size_t i = 0; i < bl->n; i++) {
		const struct doc_block *b = &bl->items[i];

		if (file && (*file == NULL || strcmp(*file, b->loc.file) != 0)) {
			*file = b->loc.file;
			fprintf(out, "file %s\n", *file);
		}
		dump_indent(out, depth);
		switch (b->kind) {
		case DOC_HEADING:
			fprintf(out, "heading level=%d%s", b->level, b->numbered ? "" : " unnumbered");
			dump_label(out, b->label);
			dump_loc(out, b->loc);
			dump_inlines(out, b->text.items, b->text.n, depth + 1);
			break;
		case DOC_PARAGRAPH:
			fputs("paragraph", out);
			dump_loc(out, b->loc);
			dump_inlines(out, b->text.items, b->text.n, depth + 1);
			break;
		case DOC_LIST:
			if (b->ordered)
				fprintf(out, "list ordered start=%d", b->start);
			else
				fputs("list bullet", out);
			dump_loc(out, b->loc);
			for (size_t k = 0; k < b->nlist_items; k++) {
				dump_indent(out, depth + 1);
				fputs("item", out);
				dump_loc(out, b->list_items[k].loc);
				dump_blocks(out, &b->list_items[k].blocks, depth + 2, NULL);
			}
			break;
		case DOC_DISPLAY_MATH:
			fputs("display-math", out);
			dump_label(out, b->label);
			dump_loc(out, b->loc);
			dump_indent(out, depth + 1);
			fputs("math ", out);
			dump_str(out, b->math ? b->math : "");
			dump_loc(out, b->math_loc);
			for (size_t k = 0; k < b->nrow_labels; k++) {
				dump_indent(out, depth + 1);
				fprintf(out, "row-label %s", b->row_labels[k].label);
				dump_loc(out, b->row_labels[k].loc);
			}
			break;
		case DOC_FIGURE:
			fprintf(out, "figure name=%s", b->name ? b->name : "");
			dump_label(out, b->label);
			dump_loc(out, b->loc);
			dump_indent(out, depth + 1);
			fputs("caption\n", out);
			dump_inlines(out, b->caption.items, b->caption.n, depth + 2);
			break;
		case DOC_TABLE:
			fputs("table", out);
			dump_label(out, b->label);
			fprintf(out, " cols=%zu rows=%zu align=", b->ncols, b->nrows);
			for (size_t c = 0; c < b->ncols; c++)
				fprintf(out, "%s%s", c ? "," : "", aligns[b->align[c]]);
			dump_loc(out, b->loc);
			dump_indent(out, depth + 1);
			fputs("caption\n", out);
			dump_inlines(out, b->caption.items, b->caption.n, depth + 2);
			for (size_t r = 0; r < b->nrows; r++) {
				dump_indent(out, depth + 1);
				fprintf(out, "row %zu\n", r);
				for (size_t c = 0; c < b->ncols; c++) {
					const struct doc_table_cell *cell = &b->cells[r * b->ncols + c];

					dump_indent(out, depth + 2);
					fprintf(out, "cell %zu", c);
					dump_loc(out, cell->loc);
					dump_inlines(out, cell->text.items, cell->text.n, depth + 3);
				}
			}
			break;
		case DOC_NOTE:
		case DOC_PARAMETERS:
			fputs(b->kind == DOC_NOTE ? "note" : "parameters", out);
			dump_loc(out, b->loc);
			dump_blocks(out, &b->children, depth + 1, NULL);
			break;
		case DOC_IF:
			fputs("if", out);
			for (size_t k = 0; k < b->nconds; k++) {
				static const char *const ops[] = {
					[DOC_CMP_LT] = "<", [DOC_CMP_LE] = "<=", [DOC_CMP_GT] = ">",
					[DOC_CMP_GE] = ">=", [DOC_CMP_EQ] = "==", [DOC_CMP_NE] = "!=",
				};
				fprintf(out, "%s %s %s %.17g", k ? " and" : "", b->conds[k].name,
				    ops[b->conds[k].op], b->conds[k].value);
			}
			dump_loc(out, b->loc);
			dump_blocks(out, &b->children, depth + 1, NULL);
			if (b->else_blocks.n > 0) {
				dump_indent(out, depth);
				fputs("else\n", out);
				dump_blocks(out, &b->else_blocks, depth + 1, NULL);
			}
			break;
		case DOC_REFERENCES:
			fputs("references", out);
			dump_loc(out, b->loc);
			for (size_t k = 0; k < b->nrefs; k++) {
				dump_indent(out, depth + 1);
				fprintf(out, "ref %s", b->refs[k].key);
				dump_loc(out, b->refs[k].loc);
				dump_inlines(out, b->refs[k].text.items, b->refs[k].text.n, depth + 2);
			}
			break;
		}
	}
}

void
doc_dump(const struct doc *doc, FILE *out)
{
	const char *file = NULL;

	if (doc == NULL)
		return;
	fprintf(out, "document files=%zu\n", doc->nfiles);
	dump_blocks(out, &doc->blocks, 0, &file);
}
