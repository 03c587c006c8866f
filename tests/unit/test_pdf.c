/* pdf.h: font checks, glyph fallback, widths, failures and atomic saving,
 * code points beyond the BMP and ActualText spans.  The last two read the
 * saved file's operators and ToUnicode CMaps through qpdf (streams
 * uncompressed) and its text through pdftotext; the rest of the PDF is
 * checked from the outside by check-pdf.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "pdf.h"

static const struct pdf_rgb black = {0, 0, 0};

static char *
make_tmpdir(void)
{
	char tmpl[] = "/tmp/test_pdf.XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

/* Number of directory entries other than . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
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

/* Occurrences of `needle` in the n bytes at p (which may hold NULs). */
static size_t
count_in(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle), count = 0;
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			count++;
	return count;
}

/* Offset of the first `needle` at or after `from`, or n when none. */
static size_t
find_in(const char *p, size_t n, size_t from, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = from; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return i;
	return n;
}

/* The saved PDF at `path` with every stream uncompressed by qpdf (content
 * streams keep the bytes pdf.c wrote), for reading the operators and the
 * ToUnicode CMaps; caller frees. */
static char *
uncompressed(const char *path, size_t *len)
{
	char out[600], cmd[1400];
	snprintf(out, sizeof out, "%s.u", path);
	snprintf(cmd, sizeof cmd,
	    "qpdf --stream-data=uncompress --object-streams=disable '%s' '%s'", path, out);
	assert_int_equal(system(cmd), 0);
	char *buf = slurp(out, len);
	unlink(out);
	return buf;
}

/* pdftotext's text of the PDF at `path` (poppler), NUL-terminated; caller
 * frees. */
static char *
pdftotext(const char *path)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "pdftotext -q '%s' -", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (size_t got; (got = fread(buf + n, 1, cap - n - 1, p)) > 0;) {
		n += got;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return buf;
}

static void
test_missing_fonts_all_reported(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.fonts.cjk_serif, sizeof cfg.fonts.cjk_serif, "/nonexistent.ttc");
	snprintf(cfg.fonts.mono, sizeof cfg.fonts.mono, "/nonexistent/mono.ttf");
	assert_null(pdf_new(&cfg));
	const char *t = captured_so_far();
	assert_non_null(strstr(t, "fonts.cjk_serif font not found at '/nonexistent.ttc'"));
	assert_non_null(strstr(t, "fonts.mono font not found at '/nonexistent/mono.ttf'"));
	assert_int_equal(diag_exit_status(), 1);
}

static void
test_bad_collection_index(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.fonts.cjk_sans, sizeof cfg.fonts.cjk_sans, "%s:7",
	    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
	assert_null(pdf_new(&cfg));
	assert_non_null(strstr(captured_so_far(), "0x1040"));
	assert_non_null(strstr(captured_so_far(), "fonts.cjk_sans"));
}

static void
test_paper_sizes(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	assert_true(pdf_page_width(d) > 595.27 && pdf_page_width(d) < 595.28);
	assert_true(pdf_page_height(d) > 841.88 && pdf_page_height(d) < 841.90);
	pdf_free(d);
	cfg.document.paper = PAPER_LETTER;
	d = pdf_new(&cfg);
	assert_non_null(d);
	assert_true(pdf_page_width(d) == 612.0 && pdf_page_height(d) == 792.0);
	pdf_free(d);
	pdf_free(NULL);
}

static void
test_widths_and_fallback(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);

	/* measuring works before any page exists */
	double a = pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "A");
	assert_true(a > 5 && a < 9);
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "AAA") == 3 * a);
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 20, "A") == 2 * a);
	/* CJK ideographs are one em wide */
	assert_true(pdf_text_width(d, PDF_FONT_CJK_SANS, 10, "模型") == 20.0);
	assert_true(pdf_text_width(d, PDF_FONT_CJK_SERIF, 12, "学习") == 24.0);
	/* Chinese in a Latin role falls back to a CJK font */
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "模") == 10.0);
	/* astral code points no font has (🚀) are dropped, never spaces or
	 * boxes; those a font has are drawn (😀 is DejaVu Sans's) */
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "A🚀A") == 2 * a);
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "🚀") == 0);
	assert_false(pdf_has_glyph(d, PDF_FONT_LATIN_SERIF, 0x1F680));
	assert_true(pdf_has_glyph(d, PDF_FONT_LATIN_SERIF, 0x1F600));
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "A😀A") > 2 * a);
	/* ❌ is FreeSerif's own; without FreeSerif it is drawn as ✗ */
	assert_true(pdf_has_glyph(d, PDF_FONT_CJK_SERIF, 0x274C));
	double x = pdf_text_width(d, PDF_FONT_CJK_SERIF, 10, "❌");
	assert_true(x > 0);
	{
		struct report_config dv;
		config_defaults(&dv);
		snprintf(dv.fonts.latin_serif, sizeof dv.fonts.latin_serif, "%s",
		    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
		struct pdf_doc *d2 = pdf_new(&dv);
		assert_non_null(d2);
		assert_true(pdf_has_glyph(d2, PDF_FONT_CJK_SERIF, 0x274C));
		x = pdf_text_width(d2, PDF_FONT_CJK_SERIF, 10, "❌");
		assert_true(x > 0);
		assert_true(x == pdf_text_width(d2, PDF_FONT_CJK_SERIF, 10, "✗"));
		pdf_free(d2);
	}
	/* variation selectors and joiners vanish */
	assert_true(pdf_text_width(d, PDF_FONT_SYMBOL, 10, "✓\xEF\xB8\x8F") ==
	    pdf_text_width(d, PDF_FONT_SYMBOL, 10, "✓"));
	/* malformed UTF-8 does not crash and measures as something */
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "\xC3(") > 0);
	assert_true(pdf_text_width(d, PDF_FONT_MONO, 10, "") == 0);
	assert_string_equal(pdf_font_role_key(PDF_FONT_SYMBOL), "fonts.symbol");

	double asc, desc;
	pdf_font_metrics(d, PDF_FONT_LATIN_SERIF, 10, &asc, &desc);
	assert_true(asc > 5 && asc < 12 && desc < 0 && desc > -5);
	assert_true(pdf_ok(d));
	pdf_free(d);
}

/* pdf_text_ink_x: UMing centres its full stop (blank on both sides), puts
 * its comma in the left half, its opening bracket in the right half; the
 * extent of a string counts from its origin. */
static void
test_ink_x(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	struct pdf_text_style st = pdf_text_style_plain(PDF_FONT_CJK_SERIF, 10,
	    (struct pdf_rgb){0, 0, 0});
	double l, r;
	assert_true(pdf_text_ink_x(d, &st, "。", &l, &r));
	assert_true(l > 3 && r < 7 && r > l);
	assert_true(pdf_text_ink_x(d, &st, "，", &l, &r));
	assert_true(l > 0 && r < 5);
	assert_true(pdf_text_ink_x(d, &st, "（", &l, &r));
	assert_true(l > 5 && r < 10);
	double l2, r2;
	assert_true(pdf_text_ink_x(d, &st, "中（", &l2, &r2));
	assert_true(l2 < 2 && fabs(r2 - (10 + r)) < 1e-9);
	assert_true(pdf_text_ink_x(d, &st, " ", &l, &r));
	assert_true(l == 0 && r == 0);
	pdf_free(d);
}

static void
test_latin_font_for_cjk(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	double own = pdf_text_width(d, PDF_FONT_CJK_SERIF, 10, "ELBO");
	double latin = pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "ELBO");
	assert_true(pdf_set_latin_font(d, PDF_FONT_CJK_SERIF, PDF_FONT_LATIN_SERIF));
	assert_true(pdf_text_width(d, PDF_FONT_CJK_SERIF, 10, "ELBO") == latin);
	assert_true(own != latin);
	/* ideographs still come from the CJK font */
	assert_true(pdf_text_width(d, PDF_FONT_CJK_SERIF, 10, "下界") == 20.0);
	pdf_free(d);
}

static struct pdf_doc *
sample(void)
{
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	struct pdf_info info = {"标题", "作者", "主题", "VAE, GAN"};
	assert_true(pdf_set_info(d, &info));
	assert_false(pdf_text(d, 10, 10, PDF_FONT_CJK_SERIF, 10, black, "no page yet"));
	assert_true(pdf_add_page(d));
	assert_true(pdf_text(d, 72, 700, PDF_FONT_CJK_SANS, 24, black, "生成模型 ǖǘǚǜ ❌ 😀"));
	assert_true(pdf_line(d, 72, 690, 300, 690, 0.5, black));
	assert_true(pdf_fill_rect(d, 72, 600, 100, 50, (struct pdf_rgb){0.9, 0.9, 0.9}));
	assert_true(pdf_stroke_rect(d, 72, 600, 100, 50, 1, (struct pdf_rgb){2, -1, 0}));
	assert_true(pdf_add_page(d));
	assert_int_equal(pdf_page_count(d), 2);
	assert_true(pdf_select_page(d, 0));
	assert_false(pdf_select_page(d, 2));
	assert_true(pdf_text(d, 72, 72, PDF_FONT_MONO, 9, black, "gan.js.initial"));
	return d;
}

static void
test_save_deterministic_and_atomic(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char a[512], b[512], bad[512];
	snprintf(a, sizeof a, "%s/a.pdf", dir);
	snprintf(b, sizeof b, "%s/b.pdf", dir);
	snprintf(bad, sizeof bad, "%s/missing/c.pdf", dir);

	struct pdf_doc *d = sample();
	assert_true(pdf_save(d, a));
	pdf_free(d);
	d = sample();
	assert_true(pdf_save(d, b));
	assert_false(pdf_save(d, bad)); /* no such directory */
	assert_non_null(strstr(captured_so_far(), "/missing/.c.pdf.XXXXXX"));
	pdf_free(d);

	size_t la, lb;
	char *pa = slurp(a, &la), *pb = slurp(b, &lb);
	assert_true(la > 1000);
	assert_true(la == lb && memcmp(pa, pb, la) == 0);
	assert_true(memcmp(pa, "%PDF-", 5) == 0);
	free(pa);
	free(pb);
	assert_int_equal(count_entries(dir), 2); /* no temporary files left */

	struct stat st;
	assert_int_equal(stat(a, &st), 0);
	assert_true(st.st_mode & 0444); /* readable, not mkstemp's 0600 only */

	unlink(a);
	unlink(b);
	rmdir(dir);
	free(dir);
}

static void
test_library_error_fails_document(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/r.pdf", dir);
	FILE *fp = fopen(path, "w");
	fputs("old", fp);
	fclose(fp);

	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	assert_true(pdf_add_page(d));
	/* a zero font size is refused by libharu: the handler jumps back here */
	assert_false(pdf_text(d, 72, 72, PDF_FONT_CJK_SERIF, 0, black, "字"));
	assert_non_null(strstr(captured_so_far(), "PDF library error 0x"));
	assert_non_null(strstr(captured_so_far(), "while drawing text"));
	assert_false(pdf_ok(d));
	assert_false(pdf_add_page(d));
	assert_true(pdf_text_width(d, PDF_FONT_MONO, 10, "x") == 0);
	assert_false(pdf_save(d, path));
	pdf_free(d);

	size_t n;
	char *old = slurp(path, &n);
	assert_true(n == 3 && memcmp(old, "old", 3) == 0);
	free(old);
	assert_int_equal(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
	free(dir);
}

/* Code points beyond the BMP: found in the font's format 12 cmap, drawn as
 * private-use slots that no face maps, extracted as the astral code point
 * (a surrogate pair in ToUnicode). */
static void
test_astral_glyphs(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/astral.pdf", dir);

	struct report_config cfg;
	config_defaults(&cfg);
	/* UMing HK maps U+E000, E002, E003 and E005 itself: the slots skip them */
	snprintf(cfg.fonts.cjk_serif, sizeof cfg.fonts.cjk_serif, "%s",
	    "/usr/share/fonts/truetype/arphic/uming.ttc:1");
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	assert_true(pdf_has_glyph(d, PDF_FONT_MATH, 0x1D53C));  /* 𝔼 */
	assert_true(pdf_has_glyph(d, PDF_FONT_MATH, 0x1D4A9));  /* 𝒩 */
	assert_false(pdf_has_glyph(d, PDF_FONT_MATH, 0x1D53A)); /* unassigned (ℂ's hole) */
	double a = pdf_text_width(d, PDF_FONT_MATH, 10, "A");
	double e = pdf_text_width(d, PDF_FONT_MATH, 10, "𝔼");
	assert_true(e > 5 && e < 12);
	assert_true(pdf_text_width(d, PDF_FONT_MATH, 10, "A𝔼A") == 2 * a + e);
	struct pdf_text_style st = pdf_text_style_plain(PDF_FONT_MATH, 10, black);
	double top, bottom, over;
	assert_true(pdf_text_ink(d, &st, "𝔼", &top, &bottom, &over));
	assert_true(top > 6 && top < 8 && bottom > -0.5 && bottom < 0.5 && over == 0);

	assert_true(pdf_add_page(d));
	assert_true(pdf_text(d, 72, 700, PDF_FONT_MATH, 12, black, "𝔼𝒩"));
	/* a private-use code point typed in the text is not a slot: no font
	 * has U+E001, so it is left out with a warning */
	assert_true(pdf_text(d, 72, 680, PDF_FONT_CJK_SERIF, 12, black, "\xEE\x80\x81"));
	assert_non_null(strstr(captured_so_far(), "no font has a glyph for U+E001"));
	assert_true(pdf_save(d, path));
	pdf_free(d);

	size_t n;
	char *pdf = uncompressed(path, &n);
	assert_int_equal(count_in(pdf, n, "<E001E004> Tj"), 1);
	assert_int_equal(count_in(pdf, n, "<E001> <D835DD3C>"), 1);
	assert_int_equal(count_in(pdf, n, "<E004> <D835DCA9>"), 1);
	free(pdf);
	char *text = pdftotext(path);
	assert_non_null(strstr(text, "𝔼𝒩"));
	free(text);

	unlink(path);
	rmdir(dir);
	free(dir);
}

/* Glyph slots: the math font's display integral (integral.v2, glyph 4152
 * of DejaVu Math TeX Gyre, 1.495 em tall, advance 0.630 em, italic
 * correction 0.171 em) drawn through a private-use code point from whatever
 * role, measured by the text functions, embedded (CIDToGIDMap, /W) and
 * extracted as ∫. */
static void
test_math_variants(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/variant.pdf", dir);

	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	double min = pdf_math_constant(d, PDF_FONT_MATH, MATHFONT_DISPLAY_OPERATOR_MIN_HEIGHT, -1);
	assert_true(fabs(min - 1.333) < 1e-9);
	/* FreeSerif has no MATH table */
	assert_true(pdf_math_constant(d, PDF_FONT_LATIN_SERIF, MATHFONT_AXIS_HEIGHT, -1) == -1);
	char big[PDF_GLYPH_UTF8_MAX], big2[PDF_GLYPH_UTF8_MAX], sum[PDF_GLYPH_UTF8_MAX];
	double italic = -1;
	assert_false(pdf_math_variant(d, PDF_FONT_LATIN_SERIF, 0x222B, min, big, &italic, NULL));
	assert_string_equal(big, "");
	assert_false(pdf_math_variant(d, PDF_FONT_MATH, 'x', min, big, &italic, NULL));
	double height = -1;
	assert_true(pdf_math_variant(d, PDF_FONT_MATH, 0x222B, min, big, &italic, &height));
	assert_true(fabs(italic - 0.171) < 1e-9);
	assert_true(fabs(height - 1.495) < 1e-9);
	assert_int_equal(strlen(big), 3);
	/* the same glyph again: the same slot; taller than any: the largest */
	assert_true(pdf_math_variant(d, PDF_FONT_MATH, 0x222B, 1.4, big2, NULL, NULL));
	assert_string_equal(big, big2);
	assert_true(pdf_math_variant(d, PDF_FONT_MATH, 0x2211, 9.0, sum, NULL, &height));
	assert_true(fabs(height - 1.513) < 1e-9); /* summation.v1, shorter than asked */
	assert_string_not_equal(big, sum);

	/* measured from the symbol role (FreeSerif first for Latin) as from
	 * the math role: the variant's own advance and ink */
	struct pdf_text_style st = pdf_text_style_plain(PDF_FONT_LATIN_SERIF, 10, black);
	assert_true(fabs(pdf_text_width_styled(d, &st, big) - 6.30) < 1e-9);
	assert_true(fabs(pdf_text_width(d, PDF_FONT_MATH, 10, sum) - 12.49) < 1e-9);
	double top, bottom, over;
	assert_true(pdf_text_ink(d, &st, big, &top, &bottom, &over));
	assert_true(fabs(top - 10.22) < 1e-9 && fabs(bottom + 4.72) < 1e-9);
	assert_true(top - bottom >= 10 * min);

	assert_true(pdf_add_page(d));
	char line[64];
	snprintf(line, sizeof line, "x%sx", big);
	assert_true(pdf_text(d, 72, 700, PDF_FONT_MATH, 12, black, line));
	assert_true(pdf_save(d, path));
	pdf_free(d);

	size_t n;
	char *pdf = uncompressed(path, &n);
	char want[64];
	unsigned slot = ((unsigned)(big[0] & 0x0F) << 12) | ((unsigned)(big[1] & 0x3F) << 6) |
	    (unsigned)(big[2] & 0x3F);
	snprintf(want, sizeof want, "<%04X> <222B>", slot);
	assert_int_equal(count_in(pdf, n, want), 1);
	/* /W: the slot's width, then the next slot's (∑, measured above) */
	snprintf(want, sizeof want, "%u [ 630 1249 ]", slot);
	assert_int_equal(count_in(pdf, n, want), 1);
	free(pdf);
	char *text = pdftotext(path);
	assert_non_null(strstr(text, "x∫x"));
	free(text);

	unlink(path);
	rmdir(dir);
	free(dir);
}

/* Marked content: /Span <</ActualText <FEFF…>>> BDC … EMC in the page's
 * content stream, UTF-16BE with astral code points as surrogate pairs,
 * nesting allowed, an end without a begin refused and not written. */
static void
test_actual_text(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/spans.pdf", dir);

	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *d = pdf_new(&cfg);
	assert_non_null(d);
	assert_false(pdf_begin_actual_text(d, "x")); /* no page yet */
	assert_true(pdf_add_page(d));
	assert_false(pdf_end_actual_text(d));        /* none open */
	assert_false(pdf_begin_actual_text(d, NULL));
	assert_true(pdf_ok(d));

	/* 𝔼 is a surrogate pair, ≥ 期 望 two bytes each, malformed UTF-8 U+FFFD */
	assert_true(pdf_begin_actual_text(d, "𝔼[x]≥期望\xC3("));
	assert_true(pdf_text(d, 72, 700, PDF_FONT_LATIN_SERIF, 12, black, "E[x] >= ?"));
	assert_true(pdf_end_actual_text(d));
	/* nested */
	assert_true(pdf_begin_actual_text(d, "½"));
	assert_true(pdf_begin_actual_text(d, "¾"));
	assert_true(pdf_text(d, 72, 680, PDF_FONT_LATIN_SERIF, 12, black, "3/4"));
	assert_true(pdf_end_actual_text(d));
	assert_true(pdf_end_actual_text(d));
	assert_false(pdf_end_actual_text(d)); /* one end too many */
	/* a sequence ends on its own page */
	assert_true(pdf_begin_actual_text(d, "p1"));
	assert_true(pdf_add_page(d));
	assert_false(pdf_end_actual_text(d));
	assert_false(pdf_begin_actual_text(d, "p2"));
	assert_true(pdf_select_page(d, 0));
	assert_true(pdf_end_actual_text(d));
	assert_true(pdf_ok(d));
	assert_string_equal(captured_so_far(), "");
	assert_true(pdf_save(d, path));
	pdf_free(d);

	size_t n;
	char *pdf = uncompressed(path, &n);
	const char *first = "/Span <</ActualText <FEFFD835DD3C005B0078005D2265671F671BFFFD0028>>> BDC\n";
	const char *outer = "/Span <</ActualText <FEFF00BD>>> BDC\n";
	const char *inner = "/Span <</ActualText <FEFF00BE>>> BDC\n";
	const char *emc = "\nEMC\n";
	assert_int_equal(count_in(pdf, n, first), 1);
	assert_int_equal(count_in(pdf, n, outer), 1);
	assert_int_equal(count_in(pdf, n, inner), 1);
	assert_int_equal(count_in(pdf, n, "/Span <</ActualText <FEFF00700031>>> BDC\n"), 1);
	assert_int_equal(count_in(pdf, n, "/Span <</ActualText <FEFF00700032>>> BDC\n"), 0);
	assert_int_equal(count_in(pdf, n, emc), 4); /* balanced: refused ends wrote nothing */
	/* in order: first, its text, EMC, outer, inner, their text, EMC, EMC */
	size_t f = find_in(pdf, n, 0, first), t1 = find_in(pdf, n, f, "Tj"),
	       e1 = find_in(pdf, n, t1, emc), o = find_in(pdf, n, e1, outer),
	       i = find_in(pdf, n, o, inner), t2 = find_in(pdf, n, i, "Tj"),
	       e2 = find_in(pdf, n, t2, emc), e3 = find_in(pdf, n, e2 + 1, emc);
	assert_true(f < t1 && t1 < e1 && e1 < o && o < i && i < t2 && t2 < e2 && e2 < e3 &&
	    e3 < n);
	free(pdf);
	/* poppler extracts the marked text instead of the drawn glyphs (of
	 * nested sequences, only the innermost: see pdf.h) */
	char *text = pdftotext(path);
	assert_non_null(strstr(text, "𝔼[x]≥期望\uFFFD("));
	assert_null(strstr(text, ">="));
	assert_non_null(strstr(text, "¾"));
	assert_null(strstr(text, "3/4"));
	free(text);

	/* inside a path the operators are not allowed: a library error */
	d = pdf_new(&cfg);
	assert_non_null(d);
	assert_true(pdf_add_page(d));
	assert_true(pdf_move_to(d, 10, 10));
	assert_false(pdf_begin_actual_text(d, "x"));
	assert_false(pdf_ok(d));
	assert_non_null(strstr(captured_so_far(), "while marking text for extraction"));
	pdf_free(d);

	unlink(path);
	rmdir(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_missing_fonts_all_reported, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_collection_index, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_paper_sizes, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_ink_x, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_widths_and_fallback, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_latin_font_for_cjk, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_save_deterministic_and_atomic, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_library_error_fails_document, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_astral_glyphs, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_math_variants, capture_setup, capture_teardown),
	    cmocka_unit_test_setup_teardown(test_actual_text, capture_setup, capture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
