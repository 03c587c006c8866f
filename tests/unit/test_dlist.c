/* dlist.h and its back ends: the list itself, the golden dump of a list
 * with every item kind, round-rectangle geometry, and the PDF and SVG files
 * (existence, size, page size, atomic writing).  The PDF is checked from the
 * outside by hand (qpdf, pdffonts, pdftotext, renderers); set
 * TEST_DLIST_OUT=DIR to keep the files there. */
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
#include "dlist.h"
#include "pdf.h"
#include "plot_dump.h"
#include "plot_pdf.h"
#include "plot_svg.h"
#include "util.h"

static struct dl_color
hexcolor(unsigned v)
{
	return (struct dl_color){(v >> 16 & 255) / 255.0, (v >> 8 & 255) / 255.0, (v & 255) / 255.0};
}

static struct dl_text
text_at(const char *s, enum dl_font font, double size, double x, double y)
{
	struct dl_text t;
	memset(&t, 0, sizeof t);
	t.utf8 = (char *)s;
	t.font = font;
	t.size = size;
	t.x = x;
	t.y = y;
	t.alpha = 1;
	return t;
}

/* A 360 x 240 pt figure with every item kind, the way the plot engine
 * builds one: frame, clipped series, markers, labels, a box, a colour bar. */
static struct dlist *
sample(void)
{
	struct dlist *dl = dlist_new(360, 240);
	struct dl_path p = dl_path_empty();
	struct dl_style s = dl_style_default();

	dlist_group(dl, "panel a: axes");
	s.fill = true;
	s.fill_color = hexcolor(0xffffff);
	s.line_width = 0.8;
	dl_path_rect(&p, 40, 30, 280, 180);
	dlist_path(dl, &p, &s);

	dl_path_rect(&p, 40, 30, 280, 180);
	dlist_clip_push(dl, &p);
	dlist_group(dl, "panel a: series");

	/* a filled area, hatched, alpha 0.3 */
	s = dl_style_default();
	s.stroke = false;
	s.fill = true;
	s.fill_color = hexcolor(0x1f77b4);
	s.fill_alpha = 0.3;
	s.stroke_color = hexcolor(0xd62728);
	s.hatch = DL_HATCH_DIAGONAL;
	s.hatch_spacing = 6;
	dl_path_move(&p, 40, 30);
	dl_path_line(&p, 100, 150);
	dl_path_line(&p, 180, 90);
	dl_path_line(&p, 180, 30);
	dl_path_close(&p);
	dlist_path(dl, &p, &s);

	/* a dashed curve, matplotlib's 1.5 pt "--": 5.55 on, 2.4 off */
	s = dl_style_default();
	s.stroke_color = hexcolor(0xff0000);
	s.line_width = 1.5;
	s.dash[0] = 5.55;
	s.dash[1] = 2.4;
	s.ndash = 2;
	s.cap = DL_CAP_ROUND;
	s.join = DL_JOIN_ROUND;
	dl_path_move(&p, 40, 60);
	dl_path_curve(&p, 120, 220, 200, -40, 330, 200); /* leaves the clip */
	dlist_path(dl, &p, &s);

	/* scatter: dots without an edge, two colours, alpha 0.7 */
	double xy[] = {60, 80, 120, 100, 200, 140, 260, 120};
	struct dl_color fills[] = {hexcolor(0x440154), hexcolor(0xfde725), hexcolor(0x440154),
		hexcolor(0xfde725)};
	struct dl_markers m = {.n = 4, .xy = xy, .fill = fills, .size = 6,
		.shape = DL_MARKER_CIRCLE, .style = dl_style_default()};
	m.style.stroke = false;
	m.style.fill = true;
	m.style.fill_alpha = 0.7;
	dlist_markers(dl, &m);

	/* squares with a black edge; crosses */
	double sq[] = {280, 60, 300, 70};
	m = (struct dl_markers){.n = 2, .xy = sq, .fill = NULL, .size = 8,
		.shape = DL_MARKER_SQUARE, .style = dl_style_default()};
	m.style.fill = true;
	m.style.fill_color = hexcolor(0x2ca02c);
	m.style.line_width = 0.5;
	dlist_markers(dl, &m);
	double cr[] = {230, 180, 250, 180};
	struct dl_color crc[] = {hexcolor(0x9467bd), hexcolor(0x9467bd)};
	m = (struct dl_markers){.n = 2, .xy = cr, .fill = crc, .size = 7,
		.shape = DL_MARKER_CROSS, .style = dl_style_default()};
	m.style.line_width = 1;
	dlist_markers(dl, &m);
	dlist_clip_pop(dl);

	dlist_group(dl, "panel a: labels");
	struct dl_text t = text_at("生成模型：X₁ 与 X₂", DL_FONT_SANS, 11, 180, 228);
	t.halign = DL_CENTER;
	t.valign = DL_TOP;
	dlist_text(dl, &t);
	t = text_at("密度 p(z)", DL_FONT_SANS, 9, 22, 120);
	t.angle = 90;
	t.halign = DL_CENTER;
	t.valign = DL_MIDDLE;
	dlist_text(dl, &t);
	t = text_at("σ² = 10⁻² ✓", DL_FONT_SANS_BOLD, 10, 50, 190);
	t.color = hexcolor(0x008000);
	dlist_text(dl, &t);
	t = text_at("✗ 采样 θ", DL_FONT_SERIF, 9, 175, 36);
	t.halign = DL_RIGHT;
	t.valign = DL_BOTTOM;
	t.color = hexcolor(0xff0000);
	t.alpha = 0.6;
	dlist_text(dl, &t);
	t = text_at("a<b & \"c\"", DL_FONT_MONO, 8, 180, 12);
	t.halign = DL_CENTER;
	dlist_text(dl, &t);

	/* a rounded box (matplotlib boxstyle round) */
	s = dl_style_default();
	s.fill = true;
	s.fill_color = hexcolor(0xadd8e6);
	s.line_width = 1;
	dl_path_round_rect(&p, 200, 34, 100, 20, 5);
	dlist_path(dl, &p, &s);

	/* the colour bar */
	struct dl_color ramp[5] = {hexcolor(0x440154), hexcolor(0x3b528b), hexcolor(0x21918c),
		hexcolor(0x5ec962), hexcolor(0xfde725)};
	struct dl_ramp r = {.x0 = 330, .y0 = 30, .x1 = 342, .y1 = 210, .n = 5, .colors = ramp,
		.alpha = 1};
	dlist_ramp(dl, &r);
	return dl;
}

static const char sample_dump[] =
    "dlist 360.00 240.00\n"
    "group \"panel a: axes\"\n"
    "path fill=#ffffff@1.00 stroke=#000000@1.00 lw=0.80 cap=butt join=miter dash=solid: "
    "M 40.00,30.00 L 320.00,30.00 L 320.00,210.00 L 40.00,210.00 Z\n"
    "clip M 40.00,30.00 L 320.00,30.00 L 320.00,210.00 L 40.00,210.00 Z\n"
    "group \"panel a: series\"\n"
    "path fill=#1f77b4@0.30 stroke=none hatch=diagonal/6.00: "
    "M 40.00,30.00 L 100.00,150.00 L 180.00,90.00 L 180.00,30.00 Z\n"
    "path fill=none stroke=#ff0000@1.00 lw=1.50 cap=round join=round dash=5.55,2.40+0.00: "
    "M 40.00,60.00 C 120.00,220.00 200.00,-40.00 330.00,200.00\n"
    "markers 4 circle size=6.00 fill=#000000@0.70 stroke=none first=60.00,80.00 "
    "last=260.00,120.00 colors=2:#440154,#fde725\n"
    "markers 2 square size=8.00 fill=#2ca02c@1.00 stroke=#000000@1.00 lw=0.50 "
    "first=280.00,60.00 last=300.00,70.00 colors=1:#2ca02c\n"
    "markers 2 cross size=7.00 fill=none stroke=#000000@1.00 lw=1.00 first=230.00,180.00 "
    "last=250.00,180.00 colors=1:#9467bd\n"
    "unclip\n"
    "group \"panel a: labels\"\n"
    "text sans 11.00 center/top at 180.00,228.00 angle=0.00 color=#000000@1.00 "
    "\"生成模型：X₁ 与 X₂\"\n"
    "text sans 9.00 center/middle at 22.00,120.00 angle=90.00 color=#000000@1.00 "
    "\"密度 p(z)\"\n"
    "text sans-bold 10.00 left/baseline at 50.00,190.00 angle=0.00 color=#008000@1.00 "
    "\"σ² = 10⁻² ✓\"\n"
    "text serif 9.00 right/bottom at 175.00,36.00 angle=0.00 color=#ff0000@0.60 "
    "\"✗ 采样 θ\"\n"
    "text mono 8.00 center/baseline at 180.00,12.00 angle=0.00 color=#000000@1.00 "
    "\"a<b & \\\"c\\\"\"\n"
    "path fill=#add8e6@1.00 stroke=#000000@1.00 lw=1.00 cap=butt join=miter dash=solid: "
    "M 205.00,34.00 L 295.00,34.00 C 298.33,34.00 300.00,35.67 300.00,39.00 "
    "L 300.00,49.00 C 300.00,52.33 298.33,54.00 295.00,54.00 L 205.00,54.00 "
    "C 201.67,54.00 200.00,52.33 200.00,49.00 L 200.00,39.00 "
    "C 200.00,35.67 201.67,34.00 205.00,34.00 Z\n"
    "ramp 5 box=330.00,30.00,342.00,210.00 alpha=1.00 colors=#440154,#21918c,#fde725\n";

static char *
dump_text(const struct dlist *dl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	plot_dump(fp, dl);
	fclose(fp);
	return buf;
}

static void
test_dump_every_kind(void **state)
{
	(void)state;
	struct dlist *dl = sample();
	char *got = dump_text(dl);
	if (strcmp(got, sample_dump) != 0)
		fprintf(stderr, "dump differs; got:\n%s", got);
	assert_string_equal(got, sample_dump);
	free(got);
	dlist_free(dl);
	dlist_free(NULL);
}

static void
test_dump_numbers(void **state)
{
	(void)state;
	struct dlist *dl = dlist_new(10, 10);
	struct dl_path p = dl_path_empty();
	dl_path_move(&p, -0.001, 1.005);
	dl_path_line(&p, NAN, INFINITY);
	dlist_clip_push(dl, &p);
	dlist_clip_push(dl, &p); /* p was reset: an empty path */
	dlist_group(dl, "tab\there \"q\" \\ \x01");
	char *got = dump_text(dl);
	/* 1.005 is 1.00499999999999989... in binary: rounds down */
	assert_string_equal(got, "dlist 10.00 10.00\n"
				 "clip M 0.00,1.00 L nan,inf\n"
				 "clip empty\n"
				 "group \"tab\\there \\\"q\\\" \\\\ \\x01\"\n");
	free(got);
	dlist_free(dl);
}

static void
test_path_building(void **state)
{
	(void)state;
	struct dl_path p = dl_path_empty();
	dl_path_close(&p); /* ignored on an empty path */
	dl_path_line(&p, 1, 2); /* starts the path */
	assert_int_equal(p.nsegs, 1);
	assert_int_equal(p.segs[0], DL_MOVE);
	for (int i = 0; i < 1000; i++)
		dl_path_curve(&p, i, i, i + 1, i + 1, i + 2, i + 2);
	dl_path_close(&p);
	dl_path_close(&p); /* a second close is ignored */
	assert_int_equal(p.nsegs, 1002);
	assert_int_equal(p.npts, 3001);
	assert_int_equal(p.segs[1001], DL_CLOSE);
	assert_true(p.pts[2 * 3000] == 1001 && p.pts[2 * 3000 + 1] == 1001);
	dl_path_free(&p);
	assert_null(p.segs);
	assert_int_equal(p.nsegs, 0);

	struct dl_path q = dl_path_empty();
	dl_path_curve(&q, 5, 6, 7, 8, 9, 10); /* a move to the first control point first */
	assert_int_equal(q.nsegs, 2);
	assert_int_equal(q.segs[0], DL_MOVE);
	assert_true(q.pts[0] == 5 && q.pts[1] == 6);
	/* finite until one coordinate, even a control point's, is not */
	assert_true(dl_path_finite(&q));
	q.pts[5] = NAN;
	assert_false(dl_path_finite(&q));
	q.pts[5] = INFINITY;
	assert_false(dl_path_finite(&q));
	dl_path_free(&q);
	assert_true(dl_path_finite(&q)); /* the empty path */

	struct dl_style s = dl_style_default();
	assert_true(s.stroke && !s.fill);
	assert_true(s.line_width == 1 && s.stroke_alpha == 1 && s.fill_alpha == 1);
	assert_true(s.stroke_color.r == 0 && s.stroke_color.g == 0 && s.stroke_color.b == 0);
	assert_int_equal(s.cap, DL_CAP_BUTT);
	assert_int_equal(s.join, DL_JOIN_MITER);
	assert_int_equal(s.ndash, 0);
	assert_int_equal(s.hatch, DL_HATCH_NONE);
}

/* The point at t of the cubic segment starting at pts[0..1]. */
static void
bezier(const double *pts, double t, double *x, double *y)
{
	double u = 1 - t;
	double b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
	*x = b0 * pts[0] + b1 * pts[2] + b2 * pts[4] + b3 * pts[6];
	*y = b0 * pts[1] + b1 * pts[3] + b2 * pts[5] + b3 * pts[7];
}

static void
test_round_rect(void **state)
{
	(void)state;
	struct dl_path p = dl_path_empty();
	dl_path_round_rect(&p, 10, 20, 40, 30, 5);
	static const enum dl_segment want[] = {DL_MOVE, DL_LINE, DL_CURVE, DL_LINE, DL_CURVE,
		DL_LINE, DL_CURVE, DL_LINE, DL_CURVE, DL_CLOSE};
	assert_int_equal(p.nsegs, ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		assert_int_equal(p.segs[i], want[i]);
	assert_int_equal(p.npts, 1 + 4 * 4);
	/* starts at (x + r, y) on the bottom edge */
	assert_true(p.pts[0] == 15 && p.pts[1] == 20);
	/* each corner is matplotlib's quadratic with the corner as control
	 * point: its midpoint is (P0 + 2 Q + P2) / 4 */
	const double corners[4][2] = {{50, 20}, {50, 50}, {10, 50}, {10, 20}};
	size_t at[4] = {1, 5, 9, 13}; /* index of each curve's start point */
	for (int c = 0; c < 4; c++) {
		const double *seg = p.pts + 2 * at[c];
		double x, y;
		bezier(seg, 0.5, &x, &y);
		double qx = (seg[0] + 2 * corners[c][0] + seg[6]) / 4;
		double qy = (seg[1] + 2 * corners[c][1] + seg[7]) / 4;
		assert_true(fabs(x - qx) < 1e-12 && fabs(y - qy) < 1e-12);
		/* ends r away from the corner along each edge */
		assert_true(fabs(fabs(seg[0] - corners[c][0]) + fabs(seg[1] - corners[c][1]) - 5) < 1e-12);
		assert_true(fabs(fabs(seg[6] - corners[c][0]) + fabs(seg[7] - corners[c][1]) - 5) < 1e-12);
		/* tangent continuity: the control points lie on the edges */
		assert_true(seg[2] == seg[0] || seg[3] == seg[1]);
		assert_true(seg[4] == seg[6] || seg[5] == seg[7]);
	}
	dl_path_free(&p);

	/* r is clamped to half the shorter side; r <= 0 is a plain rectangle */
	dl_path_round_rect(&p, 0, 0, 10, 4, 100);
	assert_true(p.pts[0] == 2 && p.pts[1] == 0);
	assert_true(p.pts[2] == 8); /* the bottom edge keeps 10 - 2 * 2 */
	dl_path_free(&p);
	dl_path_round_rect(&p, 0, 0, 10, 4, 0);
	assert_int_equal(p.nsegs, 5);
	dl_path_free(&p);
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static char *
make_dir(void)
{
	const char *keep = getenv("TEST_DLIST_OUT");
	if (keep && *keep) {
		mkdir(keep, 0777);
		return strdup(keep);
	}
	char tmpl[] = "/tmp/test_dlist.XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static void
remove_dir(char *dir)
{
	const char *keep = getenv("TEST_DLIST_OUT");
	if (!(keep && *keep)) {
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || e->d_name[1] == '.'))
				continue;
			char *f = join(dir, e->d_name);
			unlink(f);
			free(f);
		}
		if (d)
			closedir(d);
		rmdir(dir);
	}
	free(dir);
}

static int
count_hidden(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
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
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Occurrences of `needle` in a PDF's bytes (binary streams hold NULs, so
 * strstr would stop early). */
static int
occurrences(const char *bytes, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	int count = 0;
	for (size_t i = 0; i + n <= len; i++)
		count += memcmp(bytes + i, needle, n) == 0;
	return count;
}

static void
test_write_pdf_and_svg(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct dlist *dl = sample();
	char *dir = make_dir();
	char *pdf = join(dir, "figure.pdf"), *svg = join(dir, "figure.svg");

	assert_true(plot_pdf_write(dl, &cfg, pdf));
	assert_true(plot_svg_write(dl, svg));
	assert_int_equal(count_hidden(dir), 0); /* no temporary file left */

	size_t len;
	char *bytes = slurp(pdf, &len);
	assert_true(len > 1000);
	assert_memory_equal(bytes, "%PDF-1.", 7);
	/* the page is exactly the figure (libharu writes the box uncompressed) */
	assert_int_equal(occurrences(bytes, len, "/MediaBox [ 0 0 360 240 ]"), 1);
	free(bytes);

	bytes = slurp(svg, &len);
	assert_true(len > 1000);
	assert_non_null(strstr(bytes, "width=\"360pt\" height=\"240pt\" viewBox=\"0 0 360 240\""));
	assert_non_null(strstr(bytes, "<clipPath id=\"clip1\">"));
	assert_non_null(strstr(bytes, "<pattern id=\"hatch1\""));
	assert_non_null(strstr(bytes, "stroke-dasharray=\"5.55,2.4\""));
	assert_non_null(strstr(bytes, "font-weight=\"bold\""));
	assert_non_null(strstr(bytes, ">a&lt;b &amp; &quot;c&quot;</text>"));
	assert_non_null(strstr(bytes, "transform=\"rotate(-90 22 120)\""));
	assert_non_null(strstr(bytes, "<g id=\"g1-panel-a-axes\" class=\"group\">"));
	assert_non_null(strstr(bytes, ">生成模型：X₁ 与 X₂</text>"));
	free(bytes);

	/* a write into a missing directory fails, reported, nothing written */
	char *bad = join(dir, "missing/figure.svg");
	assert_false(plot_svg_write(dl, bad));
	assert_non_null(strstr(captured_so_far(), "missing/.figure.svg.XXXXXX"));
	free(bad);

	free(pdf);
	free(svg);
	remove_dir(dir);
	dlist_free(dl);
}

static void
test_svg_deterministic_and_nested(void **state)
{
	(void)state;
	struct dlist *dl = sample();
	/* a group inside a clip inside a group, and an unbalanced pop */
	struct dl_path p = dl_path_empty();
	dl_path_rect(&p, 0, 0, 10, 10);
	dlist_clip_push(dl, &p);
	dlist_group(dl, "中文 label");
	dlist_clip_pop(dl);
	dlist_clip_pop(dl);
	dlist_group(dl, "last");

	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	FILE *fa = open_memstream(&a, &la), *fb = open_memstream(&b, &lb);
	plot_svg_print(fa, dl, NULL);
	plot_svg_print(fb, dl, NULL);
	fclose(fa);
	fclose(fb);
	assert_string_equal(a, b);
	/* <g> opened and closed in equal numbers */
	int open = 0, close = 0;
	for (const char *s = a; (s = strstr(s, "<g")) != NULL; s++)
		open += s[2] == ' ' || s[2] == '>';
	for (const char *s = a; (s = strstr(s, "</g>")) != NULL; s++)
		close++;
	assert_int_equal(open, close);
	assert_non_null(strstr(a, "<g id=\"g4-label\" class=\"group\"><desc>中文 label</desc>"));
	assert_non_null(strstr(a, "dominant-baseline=\"text-before-edge\""));
	free(a);
	free(b);
	dlist_free(dl);
}

static void
test_pdf_metrics_and_page(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *doc = pdf_new(&cfg);
	assert_non_null(doc);
	struct dl_metrics m;
	plot_pdf_metrics(doc, &m);
	double w = m.text_width(m.ctx, DL_FONT_SANS, 10, "X₁ 模型");
	assert_true(w > 20 && w < 60);
	assert_true(m.text_width(m.ctx, DL_FONT_SANS_BOLD, 10, "X₁ 模型") == w);
	/* widths scale with the size */
	assert_true(fabs(m.text_width(m.ctx, DL_FONT_SANS, 20, "X₁ 模型") - 2 * w) < 1e-9);
	double a, d;
	m.vertical(m.ctx, DL_FONT_SERIF, 10, &a, &d);
	assert_true(a > 5 && a < 12 && d < 0 && d > -5);

	/* SVG with metrics: valign as an explicit dy, the same offsets as the PDF */
	struct dlist *one = dlist_new(100, 50);
	struct dl_text t = text_at("X", DL_FONT_SANS, 10, 50, 25);
	t.valign = DL_TOP;
	dlist_text(one, &t);
	char *svg = NULL;
	size_t svg_len = 0;
	FILE *fp = open_memstream(&svg, &svg_len);
	plot_svg_print(fp, one, &m);
	fclose(fp);
	double asc, desc;
	m.vertical(m.ctx, DL_FONT_SANS, 10, &asc, &desc);
	const char *dy = strstr(svg, " dy=\"");
	assert_non_null(dy);
	assert_true(fabs(strtod(dy + 5, NULL) - asc) < 0.0006); /* down by the ascent */
	assert_null(strstr(svg, "dominant-baseline"));
	free(svg);
	dlist_free(one);

	/* draw on an A4 page between other drawing: state is restored */
	assert_true(pdf_add_page(doc));
	assert_true(pdf_text(doc, 72, 800, PDF_FONT_CJK_SERIF, 12, (struct pdf_rgb){0, 0, 0},
	    "图 1 之前"));
	struct dlist *dl = sample();
	assert_true(plot_pdf_draw(doc, dl, 100, 400));
	assert_true(pdf_line(doc, 72, 380, 500, 380, 1, (struct pdf_rgb){0, 0, 0}));
	assert_true(pdf_text(doc, 72, 360, PDF_FONT_CJK_SERIF, 12, (struct pdf_rgb){0, 0, 0},
	    "图 1 之后"));
	char *dir = make_dir();
	char *path = join(dir, "page.pdf");
	assert_true(pdf_save(doc, path));
	pdf_free(doc);
	free(path);
	remove_dir(dir);
	dlist_free(dl);
	assert_string_equal(captured_so_far(), "");
}

static void
test_pdf_state_errors(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct pdf_doc *doc = pdf_new_sized(&cfg, 200, 100);
	assert_non_null(doc);
	assert_false(pdf_move_to(doc, 0, 0)); /* no page yet */
	assert_true(pdf_ok(doc));
	assert_true(pdf_add_page(doc));
	assert_true(pdf_page_width(doc) == 200 && pdf_page_height(doc) == 100);
	double dash[] = {0.2, 300, 3};
	assert_true(pdf_set_dash(doc, dash, 3, 1000)); /* clamped into libharu's range */
	assert_true(pdf_save_state(doc));
	assert_true(pdf_restore_state(doc));
	assert_false(pdf_restore_state(doc)); /* one restore too many */
	assert_false(pdf_ok(doc));
	assert_non_null(strstr(captured_so_far(), "graphics state restored more often than saved"));
	pdf_free(doc);

	/* a page size libharu refuses */
	doc = pdf_new_sized(&cfg, 1, 1);
	assert_non_null(doc);
	assert_false(pdf_add_page(doc));
	assert_non_null(strstr(captured_so_far(), "adding a page"));
	pdf_free(doc);
}

/* Alpha is one ExtGState per distinct pair, not one per use. */
static void
test_pdf_alpha_states_shared(void **state)
{
	(void)state;
	struct report_config cfg;
	config_defaults(&cfg);
	struct dlist *dl = dlist_new(100, 100);
	for (int i = 0; i < 300; i++) {
		struct dl_path p = dl_path_empty();
		struct dl_style s = dl_style_default();
		s.fill = true;
		s.stroke = false;
		s.fill_alpha = i % 2 ? 0.3 : 0.7;
		dl_path_rect(&p, i % 90, i / 3, 10, 10);
		dlist_path(dl, &p, &s);
	}
	char *dir = make_dir();
	char *path = join(dir, "alpha.pdf");
	assert_true(plot_pdf_write(dl, &cfg, path));
	size_t len;
	char *bytes = slurp(path, &len);
	assert_int_equal(occurrences(bytes, len, "/Type /ExtGState"), 2);
	free(bytes);
	free(path);
	remove_dir(dir);
	dlist_free(dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump_every_kind, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_dump_numbers, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_path_building, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_round_rect, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_write_pdf_and_svg, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_svg_deterministic_and_nested, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_pdf_metrics_and_page, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_pdf_state_errors, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_pdf_alpha_states_shared, capture_setup, capture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
