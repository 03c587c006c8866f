/* pdf.h: font checks, glyph fallback, widths, failures and atomic saving.
 * The PDF bytes themselves are checked from the outside by check-pdf.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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

/* Diagnostics go to a memory stream the tests can read. */
static char *diag_buf;
static size_t diag_len;
static FILE *diag_out;

static int
setup(void **state)
{
	(void)state;
	diag_out = open_memstream(&diag_buf, &diag_len);
	diag_reset(diag_out);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	diag_reset(NULL);
	fclose(diag_out);
	free(diag_buf);
	diag_buf = NULL;
	return 0;
}

static const char *
diag_text(void)
{
	fflush(diag_out);
	return diag_buf ? diag_buf : "";
}

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

static void
test_missing_fonts_all_reported(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.fonts.cjk_serif, sizeof cfg.fonts.cjk_serif, "/nonexistent.ttc");
	snprintf(cfg.fonts.mono, sizeof cfg.fonts.mono, "/nonexistent/mono.ttf");
	assert_null(pdf_new(&cfg));
	const char *t = diag_text();
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
	assert_non_null(strstr(diag_text(), "0x1040"));
	assert_non_null(strstr(diag_text(), "fonts.cjk_sans"));
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
	/* emoji are dropped, never spaces or boxes */
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "A😀A") == 2 * a);
	assert_true(pdf_text_width(d, PDF_FONT_LATIN_SERIF, 10, "😀") == 0);
	assert_false(pdf_has_glyph(d, PDF_FONT_LATIN_SERIF, 0x1F600));
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
	assert_non_null(strstr(diag_text(), "/missing/.c.pdf.XXXXXX"));
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
	assert_non_null(strstr(diag_text(), "PDF library error 0x"));
	assert_non_null(strstr(diag_text(), "while drawing text"));
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_missing_fonts_all_reported, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_collection_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paper_sizes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ink_x, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_widths_and_fallback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_latin_font_for_cjk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_save_deterministic_and_atomic, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_library_error_fails_document, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
