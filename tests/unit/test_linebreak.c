/* Unit tests for linebreak.c, with a fake font: CJK characters and
 * full-width punctuation 1.0 em, Latin letters, digits and ASCII punctuation
 * 0.5 em, a space 0.25 em; every size is 10 pt unless a test says so. */
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
#include "hyphenate.h"
#include "linebreak.h"

#define SIZE 10.0
#define TOL 1e-9

static const char sample[] = "判别模型 (Discriminative Models): 学习条件概率 P(y|x)，直接建模决策边界；"
                             "目标：分类/回归。例子：逻辑回归、SVM、CNN";

static size_t
decode(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = u[0] < 0xc0 ? 1 : u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : u[0] < 0xf8 ? 4 : 1;
	if (len > n)
		len = 1;
	*cp = len == 1 ? u[0] : u[0] & (0xffu >> (len + 1));
	for (size_t i = 1; i < len; i++)
		*cp = (*cp << 6) | (u[i] & 0x3fu);
	return len;
}

static bool
is_space(unsigned cp)
{
	return cp == ' ' || cp == '\n' || cp == 0xa0 || cp == 0x200b;
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
	if (cp >= 0x2e80 || cp == 0x2014 || cp == 0x2026 || cp == 0x201c || cp == 0x201d ||
	    cp == 0x2018 || cp == 0x2019 || cp == 0xb7)
		return 1.0;
	return 0.5;
}

static double
fake_width(void *ctx, const struct lb_style *style, const char *utf8, size_t len)
{
	(void)ctx;
	double w = 0;
	for (size_t i = 0; i < len; ) {
		unsigned cp;
		i += decode(utf8 + i, len - i, &cp);
		w += em_of(cp) * style->size;
	}
	return w;
}

static const struct lb_metrics metrics = {.ctx = NULL, .width = fake_width};

static struct lb_span
span(const char *text)
{
	struct lb_span s;
	memset(&s, 0, sizeof s);
	s.utf8 = text;
	s.len = strlen(text);
	s.style.size = SIZE;
	return s;
}

/* The text a line draws: its pieces, '-' for a hyphen, '|' between pieces
 * when `bars`. */
static void
line_text(const struct lb_line *L, const struct lb_span *spans, char *buf, size_t size,
    bool bars)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < L->n; i++) {
		const struct lb_piece *P = &L->pieces[i];
		int n = snprintf(buf + k, size - k, "%s%.*s%s", bars && i ? "|" : "", (int)P->len,
		    spans[P->span].utf8 + P->start, P->hyphen ? "-" : "");
		assert_true(n >= 0 && (size_t)n < size - k);
		k += (size_t)n;
	}
}

static unsigned
piece_first_cp(const struct lb_piece *P, const struct lb_span *spans)
{
	unsigned cp;
	decode(spans[P->span].utf8 + P->start, P->len, &cp);
	return cp;
}

static unsigned
piece_last_cp(const struct lb_piece *P, const struct lb_span *spans)
{
	const char *s = spans[P->span].utf8 + P->start;
	size_t i = P->len;
	unsigned cp = 0;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0)
		decode(s + i - 1, P->len - i + 1, &cp);
	return cp;
}

static unsigned
first_cp(const struct lb_line *L, const struct lb_span *spans)
{
	return piece_first_cp(&L->pieces[0], spans);
}

static unsigned
last_cp(const struct lb_line *L, const struct lb_span *spans)
{
	return piece_last_cp(&L->pieces[L->n - 1], spans);
}

static bool
isalpha_ascii(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
isalnum_ascii(unsigned c)
{
	return isalpha_ascii(c) || (c >= '0' && c <= '9');
}

static double
end_of(const struct lb_line *L)
{
	const struct lb_piece *P = &L->pieces[L->n - 1];
	return P->x + P->width;
}

static bool
blank_right(unsigned cp)
{
	static const unsigned list[] = {0xff0c, 0x3002, 0x3001, 0xff1a, 0xff1b, 0xff01, 0xff1f,
		0xff09, 0x300d, 0x300f, 0x300b, 0x3009, 0x3011, 0x3015, 0xff3d, 0xff5d, 0x201d,
		0x2019};
	for (size_t i = 0; i < sizeof list / sizeof *list; i++)
		if (list[i] == cp)
			return true;
	return false;
}

static bool
blank_left(unsigned cp)
{
	static const unsigned list[] = {0xff08, 0x300c, 0x300e, 0x300a, 0x3008, 0x3010, 0x3014,
		0xff3b, 0xff5b, 0x201c, 0x2018};
	for (size_t i = 0; i < sizeof list / sizeof *list; i++)
		if (list[i] == cp)
			return true;
	return false;
}

/* Every piece's width is the sum of its characters' widths plus its
 * spacing; pieces do not overlap (except for compressed punctuation) and
 * the non-space bytes of the paragraph appear once each, in order. */
static void
check_pieces(const struct lb_line *lines, size_t n, const struct lb_span *spans, size_t ns)
{
	size_t sp = 0, off = 0;
	for (size_t l = 0; l < n; l++) {
		const struct lb_line *L = &lines[l];
		assert_true(L->n > 0);
		for (size_t i = 0; i < L->n; i++) {
			const struct lb_piece *P = &L->pieces[i];
			const struct lb_span *S = &spans[P->span];
			double w = 0;
			size_t chars = 0;
			if (S->box_width > 0) {
				w = S->box_width;
				chars = 1;
			} else if (S->unbreakable) {
				w = fake_width(NULL, &S->style, S->utf8, S->len);
				chars = 1;
			} else {
				for (size_t k = 0; k < P->len; ) {
					unsigned cp;
					k += decode(S->utf8 + P->start + k, P->len - k, &cp);
					w += em_of(cp) * S->style.size;
					chars++;
				}
			}
			if (P->hyphen) {
				w += 0.5 * S->style.size;
				chars++;
			}
			w += P->spacing * (double)(chars - 1);
			if (fabs(w - P->width) > TOL)
				fail_msg("line %zu piece %zu: width %.17g, expected %.17g", l, i,
				    P->width, w);
			if (i > 0) {
				const struct lb_piece *Q = &L->pieces[i - 1];
				double slack = 0;
				if (blank_right(piece_last_cp(Q, spans)))
					slack += 0.5 * SIZE;
				if (blank_left(piece_first_cp(P, spans)))
					slack += 0.5 * SIZE;
				if (P->x < Q->x + Q->width - slack - TOL)
					fail_msg("line %zu: piece %zu at %g overlaps %g", l, i, P->x,
					    Q->x + Q->width);
			}
			/* coverage: only spaces between the pieces */
			for (; sp <= P->span; sp++, off = 0) {
				size_t to = sp == P->span ? P->start : spans[sp].len;
				while (off < to) {
					unsigned cp;
					off += decode(spans[sp].utf8 + off, to - off, &cp);
					if (!is_space(cp))
						fail_msg("line %zu piece %zu: skipped U+%04X", l, i, cp);
				}
				if (sp == P->span)
					break;
			}
			assert_int_equal(P->span, sp);
			assert_int_equal(P->start, off);
			off += P->len;
		}
	}
	for (; sp < ns; sp++, off = 0)
		while (off < spans[sp].len) {
			unsigned cp;
			off += decode(spans[sp].utf8 + off, spans[sp].len - off, &cp);
			if (!is_space(cp))
				fail_msg("U+%04X left out", cp);
		}
}

/* The property every paragraph must have: justified lines end at the
 * measure, no line starts or ends against kinsoku, no word is split except
 * by hyphenation between letters, nothing is overfull. */
static bool strict = true; /* false: check only the geometry */

static void
check_rules(const struct lb_line *lines, size_t n, const struct lb_span *spans, size_t ns,
    double width, double indent)
{
	char buf[1024];
	check_pieces(lines, n, spans, ns);
	for (size_t l = 0; l < n; l++) {
		const struct lb_line *L = &lines[l];
		line_text(L, spans, buf, sizeof buf, true);
		double start = l == 0 ? indent : 0;
		if (L->overfull) {
			if (strict)
				fail_msg("width %g line %zu overfull: %s", width, l, buf);
			continue;
		}
		if (L->pieces[0].x < start - 0.5 * SIZE - TOL)
			fail_msg("width %g line %zu starts at %g: %s", width, l, L->pieces[0].x, buf);
		if (l + 1 < n) {
			double end = end_of(L);
			bool compress = !L->pieces[L->n - 1].hyphen && blank_right(last_cp(L, spans));
			/* a lone word or atom has no glue: it stays ragged */
			if (!L->justified && L->n > 1)
				fail_msg("width %g line %zu not justified: %s", width, l, buf);
			if (!L->justified)
				;
			else if (compress ? end < width - TOL || end > width + 0.5 * SIZE + TOL
			             : fabs(end - width) > TOL)
				fail_msg("width %g line %zu ends at %.17g: %s", width, l, end, buf);
			if (!L->pieces[L->n - 1].hyphen && lb_no_line_end(last_cp(L, spans)) && strict)
				fail_msg("width %g line %zu ends with U+%04X: %s", width, l,
				    last_cp(L, spans), buf);
			/* a word split without a hyphen */
			const struct lb_piece *P = &L->pieces[L->n - 1], *Q = &lines[l + 1].pieces[0];
			const struct lb_span *S = &spans[P->span];
			if (P->span == Q->span && P->start + P->len == Q->start && !S->unbreakable) {
				unsigned a = last_cp(L, spans), b = first_cp(&lines[l + 1], spans);
				bool an = isalnum_ascii(a), bn = isalnum_ascii(b);
				if (an && bn && !P->hyphen)
					fail_msg("width %g: word split after line %zu: %s", width, l, buf);
				if (P->hyphen && !(isalpha_ascii(a) && isalpha_ascii(b)))
					fail_msg("width %g: hyphen between U+%04X and U+%04X", width, a, b);
			}
		} else {
			/* ragged, unless it had to shrink to fit */
			double end = end_of(L), over = blank_right(last_cp(L, spans)) ? 0.5 * SIZE : 0;
			if (L->justified ? end < width - TOL || end > width + over + TOL
			                 : end > width + TOL)
				fail_msg("width %g last line: justified %d, ends at %g", width,
				    L->justified, end);
		}
		if (l > 0 && lb_no_line_start(first_cp(L, spans)) && strict)
			fail_msg("width %g line %zu starts with U+%04X: %s", width, l,
			    first_cp(L, spans), buf);
	}
}

static char *
text_of(const struct lb_line *lines, size_t n, const struct lb_span *spans, bool bars)
{
	static char buf[4096];
	size_t k = 0;
	buf[0] = '\0';
	for (size_t l = 0; l < n; l++) {
		if (l)
			buf[k++] = '/';
		line_text(&lines[l], spans, buf + k, sizeof buf - k, bars);
		k += strlen(buf + k);
	}
	return buf;
}

static void
test_tables(void **state)
{
	(void)state;
	static const char *starts[] = {"，", "。", "、", "：", "；", "！", "？", "）", "」", "』",
		"》", "〉", "】", "〕", "］", "｝", "”", "’", "…", "—", "·", "%", "‰", ",", ".", ";",
		":", "!", "?", ")", "]", "}"};
	static const char *ends[] = {"（", "「", "『", "《", "〈", "【", "〔", "［", "｛", "“", "‘",
		"(", "[", "{"};
	static const char *neither[] = {"中", "a", "1", "α", " ", "/", "=", "々" /* start only */};
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		unsigned cp;
		decode(starts[i], strlen(starts[i]), &cp);
		if (!lb_no_line_start(cp) || lb_no_line_end(cp))
			fail_msg("%s (U+%04X)", starts[i], cp);
	}
	for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
		unsigned cp;
		decode(ends[i], strlen(ends[i]), &cp);
		if (!lb_no_line_end(cp) || lb_no_line_start(cp))
			fail_msg("%s (U+%04X)", ends[i], cp);
	}
	for (size_t i = 0; i < sizeof neither / sizeof *neither; i++) {
		unsigned cp;
		decode(neither[i], strlen(neither[i]), &cp);
		if (lb_no_line_end(cp) || (lb_no_line_start(cp) && cp != 0x3005))
			fail_msg("%s (U+%04X)", neither[i], cp);
	}
}

static void
test_empty(void **state)
{
	(void)state;
	struct lb_line *lines = (struct lb_line *)1;
	assert_int_equal(lb_break(NULL, 0, 100, 0, &metrics, &lines), 0);
	assert_null(lines);
	struct lb_span s[2] = {span("  \n "), span("")};
	lines = (struct lb_line *)1;
	assert_int_equal(lb_break(s, 2, 100, 0, &metrics, &lines), 0);
	assert_null(lines);
	lb_lines_free(NULL, 0);
}

/* Breaks one string; checks the rules; returns the lines as text. */
static char *
brk(const char *text, double width, double indent, bool bars)
{
	struct lb_span s = span(text);
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, width, indent, &metrics, &lines);
	check_rules(lines, n, &s, 1, width, indent);
	char *t = text_of(lines, n, &s, bars);
	lb_lines_free(lines, n);
	return t;
}

/* Greedy filling would start a line with ， ） or 」, or end one with （. */
static void
test_kinsoku(void **state)
{
	(void)state;
	/* 6 em: greedy gives 一二三四五六 / ，七八九十 */
	brk("一二三四五六，七八九十一二三四五六七", 60, 0, false);
	brk("（一二三四五）六七八九十一二三四五六七", 60, 0, false);
	brk("一二三四五（六七八）九十一二三四五六七", 60, 0, false);
	brk("一二三四五「六七八」九十一二三四五六七", 60, 0, false);
	brk("一二三四五六)七八九十一二三四五六七", 60, 0, false);
	brk("一二三四五六。」七八九十一二三四五六七", 60, 0, false);
	brk("一二三四五六……七八九十一二三四五六七", 60, 0, false);
	/* an ASCII ( may not end a line either, even before a space */
	brk("aaaa bbbb ( cccc dddd eeee", 50, 0, false);
	for (double w = 40; w <= 120; w += 1) {
		brk("一二三四五六，七八九十一二三四五六七，八九十。", w, 0, false);
		brk("他说：“一二三四五六七八九。”十一二三四（五六七）八九十！", w, 0, false);
	}
}

/* 6.5 em: 一二三四五六， fits only with the comma's blank half compressed;
 * the alternatives are a line stretched beyond the cap or a broken rule. */
static void
test_compression(void **state)
{
	(void)state;
	struct lb_span s = span("一二三四五六，七八九十一二");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 65, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 65, 0);
	assert_string_equal(text_of(lines, n, &s, false), "一二三四五六，/七八九十一二");
	assert_true(lines[0].justified);
	assert_true(fabs(end_of(&lines[0]) - 70) < TOL); /* blank half hangs out */
	assert_true(fabs(lines[0].width - 70) < TOL);
	lb_lines_free(lines, n);
}

static void
test_no_word_split(void **state)
{
	(void)state;
	const char *text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";
	for (double w = 40; w <= 200; w += 0.5) {
		char *t = brk(text, w, 0, false);
		/* pieces are whole words: the lines' text without '/' has no
		 * word glued to another */
		assert_null(strchr(t, '-'));
	}
	/* numbers never split, not even when too long: an overfull line */
	struct lb_span s = span("12345678901234567890 abc");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 60, 0, &metrics, &lines);
	assert_int_equal(n, 2);
	assert_true(lines[0].overfull);
	assert_false(lines[0].justified);
	assert_int_equal(lines[0].n, 1);
	assert_int_equal(lines[0].pieces[0].len, 20);
	assert_false(lines[0].pieces[0].hyphen);
	assert_false(lines[1].overfull);
	lb_lines_free(lines, n);
}

static void
test_quarter_em(void **state)
{
	(void)state;
	struct lb_span s = span("中文abc中文，x中");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 1000, 0, &metrics, &lines);
	assert_int_equal(n, 1);
	assert_false(lines[0].justified);
	/* 中文 | abc | 中文， | x | 中: the gap after x, none around ， */
	assert_int_equal(lines[0].n, 5);
	const struct lb_piece *P = lines[0].pieces;
	assert_true(P[0].x == 0 && fabs(P[0].width - 20) < TOL);
	assert_true(fabs(P[1].x - 22.5) < TOL && fabs(P[1].width - 15) < TOL);
	assert_true(fabs(P[2].x - 40) < TOL && fabs(P[2].width - 30) < TOL);
	assert_true(fabs(P[3].x - 70) < TOL && fabs(P[3].width - 5) < TOL);
	assert_true(fabs(P[4].x - 77.5) < TOL && fabs(P[4].width - 10) < TOL);
	assert_true(fabs(lines[0].width - 87.5) < TOL);
	lb_lines_free(lines, n);

	/* absorbed at a line end and a line start: 中文中文中文 fills 60 */
	s = span("中文中文中文abcdef中文");
	n = lb_break(&s, 1, 60, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 60, 0);
	assert_string_equal(text_of(lines, n, &s, true), "中文中文中文/abcdef|中文");
	assert_true(lines[0].pieces[0].spacing == 0);
	assert_true(lines[1].pieces[0].x == 0);
	lb_lines_free(lines, n);

	/* a source line end between CJK is no space, one between Latin is */
	s = span("中文\n中文 a\nb");
	n = lb_break(&s, 1, 1000, 0, &metrics, &lines);
	assert_int_equal(lines[0].n, 4);
	assert_true(fabs(lines[0].pieces[1].x - 20) < TOL);
	assert_true(fabs(lines[0].pieces[3].x - 50) < TOL); /* 40 + 2.5 + 5 + 2.5 */
	lb_lines_free(lines, n);
}

/* ASCII closers and openers at a Latin run's edge belong to the run: the
 * quarter em goes between them and the CJK (p(z)采样, D*为, 用(x)). */
static void
test_run_punct(void **state)
{
	(void)state;
	static const char *const text[] = {"采p(z)采", "推q(z|x)推", "为D*为", "用[a]用"};
	for (size_t t = 0; t < sizeof text / sizeof *text; t++) {
		struct lb_span s = span(text[t]);
		struct lb_line *lines;
		size_t n = lb_break(&s, 1, 1000, 0, &metrics, &lines);
		assert_int_equal(n, 1);
		assert_int_equal(lines[0].n, 3);
		const struct lb_piece *P = lines[0].pieces;
		assert_true(fabs(P[1].x - 12.5) < TOL);
		assert_true(fabs(P[2].x - (P[1].x + P[1].width + 2.5)) < TOL);
		lb_lines_free(lines, n);
	}
	/* not a run: no gap at a lone ) or * next to CJK, nor around ） */
	static const char *const none[] = {"中)中", "中*中", "中（x）中"};
	static const size_t pieces[] = {3, 3, 3};
	for (size_t t = 0; t < sizeof none / sizeof *none; t++) {
		struct lb_span s = span(none[t]);
		struct lb_line *lines;
		size_t n = lb_break(&s, 1, 1000, 0, &metrics, &lines);
		assert_int_equal(n, 1);
		assert_int_equal(lines[0].n, pieces[t]);
		const struct lb_line *L = &lines[0];
		assert_true(fabs(L->width - (end_of(L) - L->pieces[0].x)) < TOL);
		double w = 0;
		for (size_t i = 0; i < L->n; i++)
			w += L->pieces[i].width;
		assert_true(fabs(L->width - w) < TOL);
		lb_lines_free(lines, n);
	}
}

/* Lines but the last fill the measure exactly; the last is ragged; CJK
 * gaps are the pieces' spacing, spaces and quarter ems changes of x. */
static void
test_justified(void **state)
{
	(void)state;
	const char *text = "生成模型学习数据的分布 p(x) 然后从中采样 new samples 得到新的数据 "
	                   "这里我们比较三种方法 VAE GAN 和 diffusion 模型的优缺点";
	struct lb_span s = span(text);
	for (double w = 55; w <= 300; w += 0.25) {
		struct lb_line *lines;
		size_t n = lb_break(&s, 1, w, 0, &metrics, &lines);
		check_rules(lines, n, &s, 1, w, 0);
		const struct lb_line *L = &lines[n - 1];
		if (!L->justified)
			assert_true(fabs(L->width - (end_of(L) - L->pieces[0].x)) < TOL);
		lb_lines_free(lines, n);
	}
	/* a CJK run: 6 per line at 65 pt, 0.5 em spread over 5 gaps */
	s = span("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	         "一二三四五六七八九十一二三四五");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 65, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 65, 0);
	assert_int_equal(n, 16); /* 95 characters: 15 lines of 6 and a last one of 5 */
	for (size_t l = 0; l + 1 < n; l++) {
		assert_int_equal(lines[l].n, 1);
		assert_true(fabs(lines[l].pieces[0].spacing - 1) < TOL);
		assert_true(fabs(lines[l].pieces[0].width - 65) < TOL);
	}
	assert_true(lines[n - 1].pieces[0].spacing == 0);
	assert_true(fabs(lines[n - 1].pieces[0].width - 50) < TOL);
	lb_lines_free(lines, n);
	/* the same at 60 pt: exact fit, no spacing */
	n = lb_break(&s, 1, 60, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 60, 0);
	assert_int_equal(n, 16);
	assert_true(lines[0].pieces[0].spacing == 0);
	lb_lines_free(lines, n);
	/* a single over-long run narrower than one character per line */
	n = lb_break(&s, 1, 5, 0, &metrics, &lines);
	assert_int_equal(n, 95);
	assert_true(lines[0].overfull);
	lb_lines_free(lines, n);
}

static void
test_indent(void **state)
{
	(void)state;
	struct lb_span s = span("一二三四五六七八九十一二三四五六七八九十");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 60, 20, &metrics, &lines);
	check_rules(lines, n, &s, 1, 60, 20);
	assert_string_equal(text_of(lines, n, &s, false),
	    "一二三四/五六七八九十/一二三四五六/七八九十");
	assert_true(lines[0].pieces[0].x == 20);
	lb_lines_free(lines, n);
}

/* Inline math and code stay whole; an opaque box counts as a letter. */
static void
test_unbreakable(void **state)
{
	(void)state;
	struct lb_span s[5] = {span("一二三四"), span("x + y = z"), span("五六七八九十一"),
		span(""), span("二三四五 end")};
	s[1].unbreakable = true;
	s[3].box_width = 25;
	for (double w = 50; w <= 200; w += 1) {
		struct lb_line *lines;
		size_t n = lb_break(s, 5, w, 0, &metrics, &lines);
		check_rules(lines, n, s, 5, w, 0);
		bool atom = false, box = false;
		for (size_t l = 0; l < n; l++)
			for (size_t i = 0; i < lines[l].n; i++) {
				const struct lb_piece *P = &lines[l].pieces[i];
				if (P->span == 1) {
					assert_false(atom);
					atom = true;
					assert_int_equal(P->start, 0);
					assert_int_equal(P->len, 9);
					assert_true(P->spacing == 0);
				}
				if (P->span == 3) {
					box = true;
					assert_true(fabs(P->width - 25) < TOL);
				}
			}
		assert_true(atom && box);
		lb_lines_free(lines, n);
	}
	/* quarter ems around the atom (x...z are letters) and the box */
	struct lb_line *lines;
	size_t n = lb_break(s, 5, 1000, 0, &metrics, &lines);
	assert_int_equal(n, 1);
	const struct lb_piece *P = lines[0].pieces;
	assert_true(fabs(P[1].x - 42.5) < TOL);          /* 40 + 2.5 */
	assert_true(fabs(P[2].x - (42.5 + 35 + 2.5)) < TOL); /* the atom: 5 x 5 + 4 x 2.5 */
	assert_true(fabs(P[3].x - (80 + 70 + 2.5)) < TOL);
	assert_true(fabs(P[4].x - (152.5 + 25 + 2.5)) < TOL);
	lb_lines_free(lines, n);
}

/* Spans of different sizes: the gaps and the stretch follow each span's em. */
static void
test_sizes(void **state)
{
	(void)state;
	struct lb_span s[4] = {span("一二三四"), span("五六七八abc"), span(" def 九十一二三四五"),
		span("六七八九十")};
	s[1].style.size = 14;
	s[3].style.size = 7;
	for (double w = 70; w <= 300; w += 0.5) {
		struct lb_line *lines;
		size_t n = lb_break(s, 4, w, 0, &metrics, &lines);
		check_rules(lines, n, s, 4, w, 0);
		lb_lines_free(lines, n);
	}
	struct lb_line *lines;
	size_t n = lb_break(s, 4, 1000, 0, &metrics, &lines);
	assert_int_equal(n, 1);
	const struct lb_piece *P = lines[0].pieces;
	assert_int_equal(lines[0].n, 6); /* 一二三四 | 五六七八 | abc | def | 九…五 | 六…十 */
	assert_true(fabs(P[1].x - 40) < TOL);
	assert_true(fabs(P[2].x - (40 + 56 + 3.5)) < TOL); /* the quarter em of 14 pt */
	assert_true(fabs(P[3].x - (99.5 + 21 + 2.5)) < TOL);
	assert_true(fabs(P[4].x - (123 + 15 + 2.5)) < TOL);
	assert_true(fabs(P[5].x - (140.5 + 70)) < TOL);
	lb_lines_free(lines, n);
}

/* A word wider than the line is hyphenated, as full as it can be. */
static void
test_long_word(void **state)
{
	(void)state;
	const char *text = "Pneumonoultramicroscopic words";
	for (double w = 50; w <= 119; w += 1) {
		struct lb_span s = span(text);
		struct lb_line *lines;
		size_t n = lb_break(&s, 1, w, 0, &metrics, &lines);
		check_rules(lines, n, &s, 1, w, 0);
		assert_true(lines[0].n == 1 && lines[0].pieces[0].hyphen);
		/* the last position that fits: one more letter would not */
		assert_true(lines[0].width <= w + TOL);
		assert_true(lines[0].width + 5 > w || lines[0].pieces[0].len == 21);
		lb_lines_free(lines, n);
	}
	assert_string_equal(brk(text, 60, 0, true), "Pneumonoult-/ramicrosco-/pic|words");
	/* in context: 判别模型 (Discri-... */
	assert_string_equal(brk("判别模型 (Discriminative Models)", 60, 0, true),
	    "判别模型/(Discrimina-/tive|Models)");
}

static void
test_operators(void **state)
{
	(void)state;
	/* greedy at 45 pt would give "aaaa bbbb" / "= cccc" */
	for (double w = 30; w <= 80; w += 1) {
		char *t = brk("aaaa bbbb = cccc + dddd", w, 0, false);
		if (strstr(t, "/=") || strstr(t, "/+"))
			fail_msg("width %g: %s", w, t);
	}
	/* a slash between words may break, with its letters on both sides */
	char *t = brk("the encoder/decoder pair", 70, 0, true);
	assert_string_equal(t, "the|encoder//decoder|pair");
}

/* 标点挤压: facing blank halves of adjacent marks collapse, fixed, in the
 * pieces' x (each glyph keeps its advance: widths stay whole). */
static void
check_squeeze(const char *text, const double *xs, size_t npieces, double natural)
{
	struct lb_span s = span(text);
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 400, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 400, 0);
	assert_int_equal(n, 1);
	if (lines[0].n != npieces)
		fail_msg("%s: %zu pieces: %s", text, lines[0].n, text_of(lines, n, &s, true));
	for (size_t i = 0; i < npieces; i++) {
		assert_true(fabs(lines[0].pieces[i].spacing) < TOL);
		if (fabs(lines[0].pieces[i].x - xs[i]) > TOL)
			fail_msg("%s: piece %zu at %.17g, expected %g", text, i,
			    lines[0].pieces[i].x, xs[i]);
	}
	assert_true(fabs(lines[0].width - natural) < TOL);
	assert_true(fabs(end_of(&lines[0]) - natural) < TOL);
	lb_lines_free(lines, n);
}

static void
test_squeeze(void **state)
{
	(void)state;
	/* closer before closer, stop, colon: half an em */
	check_squeeze("页））", (double[]){0, 15}, 2, 25); /* 页）|）: 10 + 10 - 5 + 10 */
	check_squeeze("（页））", (double[]){0, 25}, 2, 35);
	check_squeeze("中）。文", (double[]){0, 15}, 2, 35);
	check_squeeze("”：中", (double[]){0, 5}, 2, 25);
	check_squeeze("」』", (double[]){0, 5}, 2, 15);
	/* closer or stop before an opener: half an em */
	check_squeeze("中，“文”", (double[]){0, 15}, 2, 45);
	check_squeeze("）（", (double[]){0, 5}, 2, 15);
	check_squeeze("。「", (double[]){0, 5}, 2, 15);
	/* a (centred) stop before a closer: a quarter em */
	check_squeeze("中。」", (double[]){0, 17.5}, 2, 27.5);
	/* no squeeze: stop before stop, opener before opener, ideographs,
	 * opener before closer */
	check_squeeze("中。，（「文", (double[]){0, 25}, 2, 55);
	check_squeeze("（）", (double[]){0}, 1, 20);
	/* a narrow (Latin) quote is no full-width mark */
	struct lb_span s = span("）\"x");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 400, 0, &metrics, &lines);
	assert_true(fabs(lines[0].width - 20) < TOL);
	lb_lines_free(lines, n);
	/* an atom ending in a closer ("（第页）", a page note) squeezes like a
	 * lone one: the stop after it starts half an em early */
	struct lb_span two[2] = {span("（第页）"), span("。文")};
	two[0].unbreakable = true;
	n = lb_break(two, 2, 400, 0, &metrics, &lines);
	assert_int_equal(n, 1);
	assert_true(fabs(lines[0].width - (40 - 5 + 20)) < TOL);
	lb_lines_free(lines, n);
}

static void
check_sample(double w, bool show)
{
	struct lb_span s = span(sample);
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, w, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, w, 0);
	char *t = text_of(lines, n, &s, false);
	if (show)
		print_message("%3g: %s\n", w, t);
	/* the words of the sample are whole, Discriminative only hyphenated */
	static const char *words[] = {"P(y|x)，", "Models):", "SVM、", "CNN"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!strstr(t, words[i]))
			fail_msg("width %g: %s split: %s", w, words[i], t);
	if (w >= 75 && !strstr(t, "Discriminative"))
		fail_msg("width %g: Discriminative hyphenated: %s", w, t);
	lb_lines_free(lines, n);
}

static void
test_sample(void **state)
{
	(void)state;
	for (double w = 60; w <= 400; w += 1)
		check_sample(w, getenv("LB_SHOW") != NULL);
	check_sample(60, false);
}

static void
random_paragraphs(const char *const *tokens, size_t ntokens, unsigned long seed)
{
	char text[2048];
	for (int round = 0; round < 400; round++) {
		size_t k = 0, ntok = 5 + (size_t)round % 50;
		for (size_t t = 0; t < ntok; t++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			const char *tok = tokens[(seed >> 33) % ntokens];
			size_t len = strlen(tok);
			memcpy(text + k, tok, len);
			k += len;
		}
		text[k] = '\0';
		double w = 60 + (double)(round % 23) * 13.5, indent = round % 3 ? 0 : 20;
		struct lb_span s = span(text);
		struct lb_line *lines;
		size_t n = lb_break(&s, 1, w, indent, &metrics, &lines);
		check_rules(lines, n, &s, 1, w, indent);
		lb_lines_free(lines, n);
	}
}

/* Random paragraphs of Chinese with its punctuation, words, numbers and
 * operators keep every rule at every width. */
static void
test_random(void **state)
{
	(void)state;
	static const char *const tame[] = {"中", "文", "模", "型", "学", "习", "的", "分", "布",
		"模型，", "学习。", "分布、", "的：", "布；", "中！", "文？", "（学习）", "“模型”",
		"「分布」", "《学习》", "模型……", "分布——", " ", "model", "VAE", " x ", "p(x)", "42",
		"3.14", " KL", " encoder-decoder ", " = ", " + ", "(a)", " Discriminative ", "5%",
		"α", "β-VAE", "e.g., "};
	strict = true;
	random_paragraphs(tame, sizeof tame / sizeof *tame, 12345);
	/* anything goes: chains of marks that no rule can keep, words wider
	 * than the line; the geometry must hold all the same */
	static const char *const wild[] = {"中", "文", "模", "，", "。", "、", "：", "！", "（",
		"）", "“", "”", "「", "」", "……", "——", " ", "model", "x", "p(x)", "42", "3.14",
		"encoder-decoder", " = ", "(a)", "Discriminative", "%", "β-VAE", "e.g.,", "\n",
		"\xe2\x80\x8b", "\xc2\xa0", "e\xcc\x81", "\xff"};
	strict = false;
	random_paragraphs(wild, sizeof wild / sizeof *wild, 999);
	strict = true;
}

/* URLs, arXiv ids and DOIs break after / . : - without a hyphen, never
 * between "//" nor before their final punctuation; other words do not. */
static void
test_urls(void **state)
{
	(void)state;
	/* 15 characters, 75 pt: too wide for a 70 pt line as one piece */
	assert_string_equal(brk("ab arXiv:1312.6114", 70, 0, true), "ab|arXiv:1312./6114");
	assert_string_equal(brk("ab arXiv:1312.6114", 100, 0, true), "ab|arXiv:1312.6114");
	assert_string_equal(brk("ab doi:10.1000/xyz123;", 80, 0, true), "ab|doi:10.1000//xyz123;");
	char *t = brk("see https://example.org/generative", 90, 0, true);
	assert_null(strchr(t, '-'));
	assert_string_equal(t, "see|https:///example.org//generative"); /* after "//" */
	/* not a URL: an ordinary word with dots breaks only where a word too
	 * wide for the line is hyphenated, between letters */
	strict = false;
	t = brk("ab xyzzy.plugh.frobozz", 70, 0, false);
	strict = true;
	assert_null(strstr(t, "./"));
}

/* "N(-1, 0.5)": the comma and space inside a short parenthesised group is
 * no break; a long group still breaks at its commas. */
static void
test_short_groups(void **state)
{
	(void)state;
	for (double w = 75; w <= 200; w += 0.5) {
		char *t = brk("aaaa 0.3*N(-1, 0.5) + 0.7*N(1.5, 0.3) bbbb cc [a, b] dd", w, 0, false);
		if (strstr(t, ",/"))
			fail_msg("width %g: %s", w, t);
	}
	assert_string_equal(brk("aaaa N(-1, 0.5) bbb", 60, 0, true), "aaaa/N(-1,|0.5)/bbb");
	char *t = brk("(alpha, beta, gamma, delta, epsilon, zeta, eta)", 100, 0, false);
	assert_non_null(strstr(t, ",/"));
}

/* A dictionary that allows a hyphen after every letter: the breaker's own
 * rules (two letters before, three after, which words) are what shows. */
static int hyphen_calls;

static size_t
every_point(void *hctx, const char *word, size_t len, bool *after)
{
	(void)hctx;
	(void)word;
	if (len >= 5)
		hyphen_calls++; /* not "aaaa", "bb" */
	for (size_t i = 0; i < len; i++)
		after[i] = i + 1 < len;
	return len - 1;
}

static const struct lb_metrics hmetrics = {.width = fake_width, .hyphenate = every_point};

static char *
hbrk(struct lb_span *s, size_t n, double width)
{
	struct lb_line *lines;
	size_t nl = lb_break(s, n, width, 0, &hmetrics, &lines);
	check_rules(lines, nl, s, n, width, 0);
	char *t = text_of(lines, nl, s, true);
	lb_lines_free(lines, nl);
	return t;
}

/* Words get discretionary hyphens (with a visible '-') where the line
 * would otherwise be loose; never within two letters of a word's start or
 * three of its end, never in numbers, code, URLs, acronyms or mixed case. */
static void
test_hyphenation(void **state)
{
	(void)state;
	/* 60 pt: "aaaa " 22.5 + "information" 55: without hyphens the first
	 * line is "aaaa" alone, stretched beyond the cap */
	struct lb_span s = span("aaaa information bb");
	assert_string_equal(hbrk(&s, 1, 60), "aaaa|inform-/ation|bb");
	/* without a hyphenator: no hyphen */
	assert_string_equal(brk("aaaa information bb", 60, 0, true), "aaaa/information/bb");
	for (double w = 40; w <= 150; w += 0.5) {
		s = span("aaaa information informal bb");
		char *t = hbrk(&s, 1, w);
		char *h = t;
		while ((h = strstr(h, "-/")) != NULL) {
			/* the hyphen follows 2+ letters of the word and 3+ remain */
			const char *b = h;
			while (b > t && isalpha_ascii((unsigned char)b[-1]))
				b--;
			assert_true(h - b >= 2);
			const char *a = h + 2;
			size_t k = 0;
			while (isalpha_ascii((unsigned char)a[k]))
				k++;
			assert_true(k >= 3);
			h += 2;
		}
	}
	/* exclusions: each of these is hyphenated at no width */
	static const char *const whole[] = {"aaaa abcdefgh123 bb", "aaaa INFORMATION bb",
		"aaaa NeurIPSconf bb", "aaaa infor_mation bb", "aaaa see@example bb",
		"aaaa https://example.org/information bb"};
	for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
		for (double w = 70; w <= 150; w += 0.5) { /* the word fits */
			s = span(whole[i]);
			strict = false;
			char *t = hbrk(&s, 1, w);
			strict = true;
			if (strstr(t, "-/"))
				fail_msg("width %g: %s", w, t);
		}
	/* a compound breaks at its own hyphen only */
	for (double w = 60; w <= 100; w += 0.5) { /* the word fits */
		s = span("aaaa Real-valued bb");
		char *t = hbrk(&s, 1, w);
		if (strstr(t, "val-/") || strstr(t, "Re-/"))
			fail_msg("width %g: %s", w, t);
	}
	/* code spans are never hyphenated */
	struct lb_span c[3] = {span("aaaa "), span("information"), span(" bb")};
	c[1].no_hyphens = true;
	hyphen_calls = 0;
	assert_string_equal(hbrk(c, 3, 60), "aaaa/information/bb");
	assert_int_equal(hyphen_calls, 0);
}

/* The real dictionary (Debian's hyphen-en-us). */
static void
test_dictionary(void **state)
{
	(void)state;
	struct hyph_dict *d = hyph_load("/usr/share/hyphen/hyph_en_US.dic", "document.hyphenation");
	assert_non_null(d);
	bool after[32];
	/* in-for-ma-tion, Vari-a-tional (either case), Pro-cess-ing */
	assert_int_equal(hyph_points(d, "information", 11, after), 3);
	assert_true(after[1] && after[4] && after[6]);
	assert_int_equal(hyph_points(d, "Variational", 11, after), 2);
	assert_true(after[3] && after[4] && !after[6]);
	assert_int_equal(hyph_points(d, "Processing", 10, after), 2);
	assert_true(after[2] && after[6]);
	assert_int_equal(hyph_points(d, "dinh", 4, after), 0);
	assert_int_equal(hyph_points(d, "abc1def", 7, after), 0);
	assert_int_equal(hyph_points(NULL, "information", 11, after), 0);
	hyph_free(d);
	hyph_free(NULL);

	capture();
	assert_null(hyph_load("/nonexistent/hyph.dic", "document.hyphenation"));
	char *t = captured();
	assert_non_null(strstr(t, "document.hyphenation: hyphenation dictionary "
	                          "'/nonexistent/hyph.dic' cannot be read"));
	assert_non_null(strstr(t, "hyphen-en-us"));
	free(t);
}

/* A justified line stretches its spaces and CJK-Latin gaps first (up to
 * twice their stretch: the gap to half an em), and only then spreads the
 * rest over every gap, so CJK characters are not letter-spaced for want
 * of glue elsewhere. */
/* A span's break_penalty prices the break before it (a cross-reference
 * and its page note: "式(8)" + "（第8页）") and makes no break where there
 * is none. */
static void
test_break_penalty(void **state)
{
	(void)state;
	char lead[27 * 3 + 1] = "";
	for (int i = 0; i < 27; i++)
		strcat(lead, "甲");
	struct lb_span s[4] = {span(lead), span("式(8)"), span("（第8页）"), span("的三个阶段")};
	s[1].unbreakable = s[2].unbreakable = true;
	struct lb_line *lines;
	/* 300 pt: 27 ideographs (270) and "式(8)" (25) fill line 1 nearly
	 * (ratio 0.19); ending it before "式" leaves 30 pt over 26 gaps (1.15,
	 * badness 153, demerits 26569) */
	static const struct {
		double pen;
		size_t second; /* the span that starts line 2 */
	} cases[] = {{0, 2}, {100, 2}, {200, 1}, {1000, 1}};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		s[2].break_penalty = cases[c].pen;
		size_t n = lb_break(s, 4, 300, 0, &metrics, &lines);
		check_rules(lines, n, s, 4, 300, 0);
		assert_int_equal(n, 2);
		assert_int_equal(lines[1].pieces[0].span, cases[c].second);
		assert_int_equal(lines[1].pieces[0].start, 0);
		lb_lines_free(lines, n);
	}
	/* no break between two Latin atoms, whatever the penalty: overfull */
	struct lb_span t[2] = {span("ab"), span("cd")};
	t[0].unbreakable = t[1].unbreakable = true;
	t[1].break_penalty = 1;
	size_t n = lb_break(t, 2, 15, 0, &metrics, &lines);
	assert_int_equal(n, 1);
	assert_true(lines[0].overfull);
	lb_lines_free(lines, n);
}

/* Ragged right (table cells): a path of atoms with zero-width breaks
 * after its '/' and, at a price, inside its file name (as the parameters
 * appendix sets one): the fewest lines, their shortfalls even, none
 * stretched; a line that must shrink is still set to the width. */
static void
test_ragged(void **state)
{
	(void)state;
	static const char *const parts[] = {"/usr/share/", "fonts/", "truetype/", "freefont/",
		"FreeSerif", "Bold", "Italic.ttf"};
	struct lb_span s[13];
	size_t n = 0;
	for (size_t i = 0; i < 7; i++) {
		if (i > 0)
			s[n++] = span("\xe2\x80\x8b");
		s[n] = span(parts[i]);
		s[n].unbreakable = true;
		if (i >= 5)
			s[n].break_penalty = 100; /* inside a name */
		n++;
	}
	struct lb_line *lines;
	size_t m = lb_break_ragged(s, n, 95, 0, &metrics, &lines);
	check_pieces(lines, m, s, n);
	assert_string_equal(text_of(lines, m, s, false),
	    "/usr/share/fonts//truetype/freefont//FreeSerifBold/Italic.ttf");
	for (size_t i = 0; i < m; i++) {
		assert_false(lines[i].justified);
		assert_true(fabs(end_of(&lines[i]) - lines[i].width) < TOL);
		assert_true(end_of(&lines[i]) <= 95 + TOL);
	}
	lb_lines_free(lines, m);
	struct lb_span t = span("aaaa bbbb cccc");
	m = lb_break_ragged(&t, 1, 64.5, 0, &metrics, &lines);
	assert_int_equal(m, 1);
	assert_true(lines[0].justified);
	assert_true(fabs(end_of(&lines[0]) - 64.5) < TOL);
	lb_lines_free(lines, m);
	/* Chinese: no letter spacing, lines short by what they are short */
	t = span("一二三四五六七八九十，一二三四五六七八九十一二");
	m = lb_break_ragged(&t, 1, 105, 0, &metrics, &lines);
	assert_int_equal(m, 3);
	for (size_t i = 0; i < m; i++)
		for (size_t k = 0; k < lines[i].n; k++)
			assert_true(lines[i].pieces[k].spacing == 0);
	lb_lines_free(lines, m);
}

/* A paragraph read once (lb_para) breaks at each width exactly as lb_break
 * and lb_break_ragged do, whatever widths came before: narrow ones where a
 * word is wider than the line (hyphenated where it is fullest, no
 * dictionary hyphens) and wide ones (dictionary hyphens) in turn. */
static void
test_para_reuse(void **state)
{
	(void)state;
	struct lb_span s[3] = {span("一二三四五 information aaaa "), span("x+y"),
		span(" 六七八九十，informational characterization bb")};
	s[1].unbreakable = true;
	s[2].break_penalty = 30;
	struct lb_para *L = lb_para_new(s, 3, &hmetrics);
	static const double widths[] = {200, 40, 35, 120, 60, 200, 45, 80, 300, 52.5};
	for (size_t i = 0; i < sizeof widths / sizeof *widths; i++)
		for (int ragged = 0; ragged < 2; ragged++) {
			double w = widths[i], indent = i % 3 == 0 ? 10 : 0;
			struct lb_line *a, *b;
			size_t na = (ragged ? lb_break_ragged : lb_break)(s, 3, w, indent, &hmetrics,
			    &a);
			char want[4096];
			snprintf(want, sizeof want, "%s", text_of(a, na, s, true));
			size_t nb = lb_para_break(L, w, indent, ragged, &b);
			assert_string_equal(text_of(b, nb, s, true), want);
			assert_int_equal(nb, na);
			for (size_t l = 0; l < na; l++) {
				assert_int_equal(a[l].n, b[l].n);
				for (size_t k = 0; k < a[l].n; k++) {
					assert_true(a[l].pieces[k].x == b[l].pieces[k].x);
					assert_true(a[l].pieces[k].spacing == b[l].pieces[k].spacing);
				}
			}
			assert_int_equal(lb_para_lines(L, w, indent, ragged), na);
			lb_lines_free(a, na);
			lb_lines_free(b, nb);
		}
	lb_para_free(L);
	lb_para_free(NULL);
	/* nothing to set */
	struct lb_span e = span("   ");
	L = lb_para_new(&e, 1, &hmetrics);
	assert_int_equal(lb_para_lines(L, 100, 0, false), 0);
	lb_para_free(L);
}

static void
test_stretch_order(void **state)
{
	(void)state;
	struct lb_span s = span("一二三四abc五六七八九十一二三四五六七八九十");
	struct lb_line *lines;
	/* line 1 "一二三四 abc 五六七八九" is 110 pt: 2.5 pt short, taken by
	 * the two gaps alone */
	size_t n = lb_break(&s, 1, 112.5, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 112.5, 0);
	assert_string_equal(text_of(lines, n, &s, true), "一二三四|abc|五六七八九/十一二三四五六七八九十");
	const struct lb_piece *P = lines[0].pieces;
	assert_true(P[0].spacing == 0 && P[2].spacing == 0);
	assert_true(fabs(P[1].x - 43.75) < TOL);
	assert_true(fabs(P[2].x - 62.5) < TOL);
	lb_lines_free(lines, n);
	/* 7.5 pt short: the gaps take 5 (twice their stretch), the other
	 * 2.5 pt go to all glue by stretch: 2.5 / 9.5 of 0.1 em per CJK gap */
	n = lb_break(&s, 1, 117.5, 0, &metrics, &lines);
	check_rules(lines, n, &s, 1, 117.5, 0);
	P = lines[0].pieces;
	double r2 = 2.5 / 9.5;
	assert_true(fabs(P[0].spacing - r2) < TOL && fabs(P[2].spacing - r2) < TOL);
	assert_true(fabs(P[1].x - (40 + 3 * r2 + 2.5 + (2 + r2) * 1.25)) < TOL);
	lb_lines_free(lines, n);
}

/* A font that centres its stops (AR PL UMing's 。，): ink from 0.35 to 0.6
 * em, a blank of 0.4 em on the right; brackets with a blank half. */
static bool
centred_ink(void *ctx, const struct lb_style *style, const char *utf8, size_t len,
    double *left, double *right)
{
	(void)ctx;
	unsigned cp;
	decode(utf8, len, &cp);
	double em = style->size;
	if (cp == 0xff0c || cp == 0x3002) {
		*left = 0.35 * em;
		*right = 0.6 * em;
	} else if (cp == 0xff08) {
		*left = 0.5 * em;
		*right = 0.9 * em;
	} else if (cp == 0xff09) {
		*left = 0.1 * em;
		*right = 0.5 * em;
	} else {
		return false;
	}
	return true;
}

static const struct lb_metrics ink_metrics = {.width = fake_width, .ink = centred_ink};

/* Compression takes only the blank the glyph has: 4 pt of a centred comma,
 * not the 5 pt of a half em that would put its ink past the margin. */
static void
test_ink_blank(void **state)
{
	(void)state;
	struct lb_span s = span("一二三四五六，七八九十一二");
	struct lb_line *lines;
	size_t n = lb_break(&s, 1, 66, 0, &ink_metrics, &lines);
	assert_string_equal(text_of(lines, n, &s, false), "一二三四五六，/七八九十一二");
	assert_true(lines[0].justified && !lines[0].overfull);
	assert_true(fabs(end_of(&lines[0]) - 70) < TOL); /* the 4 pt blank hangs out */
	lb_lines_free(lines, n);
	/* 65 pt would need 5 pt: the comma has 4, so the line breaks elsewhere */
	n = lb_break(&s, 1, 65, 0, &ink_metrics, &lines);
	assert_string_not_equal(text_of(lines, n, &s, false), "一二三四五六，/七八九十一二");
	for (size_t l = 0; l < n; l++)
		if (lines[l].justified)
			assert_true(end_of(&lines[l]) <= 65 + 4 + TOL);
	lb_lines_free(lines, n);
	/* the same text with the old assumption (no ink): 5 pt compressed */
	n = lb_break(&s, 1, 65, 0, &metrics, &lines);
	assert_string_equal(text_of(lines, n, &s, false), "一二三四五六，/七八九十一二");
	lb_lines_free(lines, n);
	/* squeezed pairs: ）， loses the bracket's blank (5 pt); 。（ the
	 * bracket's left blank (5 pt); ，） half the comma's real blank (2 pt) */
	s = span("一）。（二，）三");
	n = lb_break(&s, 1, 1000, 0, &ink_metrics, &lines);
	assert_int_equal(n, 1);
	const struct lb_piece *P = lines[0].pieces;
	/* pieces: 一） | 。 | （二， | ）三 (a squeeze ends a piece) */
	assert_int_equal(lines[0].n, 4);
	assert_true(fabs(P[1].x - 15) < TOL);
	assert_true(fabs(P[2].x - 20) < TOL);
	assert_true(fabs(P[3].x - 48) < TOL);
	lb_lines_free(lines, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_kinsoku),
		cmocka_unit_test(test_compression),
		cmocka_unit_test(test_squeeze),
		cmocka_unit_test(test_no_word_split),
		cmocka_unit_test(test_quarter_em),
		cmocka_unit_test(test_run_punct),
		cmocka_unit_test(test_justified),
		cmocka_unit_test(test_indent),
		cmocka_unit_test(test_unbreakable),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_long_word),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_short_groups),
		cmocka_unit_test(test_hyphenation),
		cmocka_unit_test(test_dictionary),
		cmocka_unit_test(test_break_penalty),
		cmocka_unit_test(test_ragged),
		cmocka_unit_test(test_para_reuse),
		cmocka_unit_test(test_stretch_order),
		cmocka_unit_test(test_ink_blank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
