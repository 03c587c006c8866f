/* mathpdf: dev-only (make mathcompare).  Reads the templates with the
 * project's own parser (doc.c), collects every math formula (display math
 * blocks, and the inline $…$ of paragraphs, lists, notes, tables and
 * captions, each distinct source once), lays each out with texmath at the
 * body size (10.5 pt, display style for displays) and draws it with the
 * handout's own PDF back end (layout_pdf_draw), one formula per page, the
 * box's origin at a fixed point of a fixed-size page.  The xelatex side
 * (run.sh) puts its formulas at the same point of a page of the same size,
 * so the two renderings overlay baseline on baseline.
 *
 *   mathpdf CONFIG TEMPLATES OUTDIR
 *
 * writes OUTDIR/formulas.tsv (index, D|I, file:line:col, uses, source with
 * '\n' as "\\n" and tabs as "\\t"), OUTDIR/ours.pdf and OUTDIR/ours-N.dump
 * (math_box_dump of formula N: the exact positions, for measuring). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "doc.h"
#include "layout.h"
#include "layout_pdf.h"
#include "pdf.h"
#include "texmath.h"

/* The geometry shared with run.sh's LaTeX file. */
#define PAGE_W 720.0
#define PAGE_H 240.0
#define ORIGIN_X 20.0
#define ORIGIN_Y 120.0 /* from the bottom (= from the top: PAGE_H / 2) */
#define BODY 10.5

struct formula {
	const char *src;
	struct doc_loc loc;
	bool display;
	int uses;
};

static struct formula *fs;
static size_t nfs, capfs;

/* src with every placeholder ("{{name}}", "{{name|fmt}}"; in "{{{" the
 * first brace opens a group) replaced by the sample value 0.5, so that both
 * sides set the same literal formula.  Leaked: the tool exits soon. */
static const char *
sample_values(const char *src)
{
	size_t n = strlen(src);
	char *out = malloc(n + 1), *o = out;
	if (out == NULL)
		abort();
	for (size_t i = 0; i < n;) {
		const char *end;
		if (src[i] == '{' && src[i + 1] == '{' && src[i + 2] != '{' &&
		    (end = strstr(src + i + 2, "}}")) != NULL) {
			memcpy(o, "0.5", 3);
			o += 3;
			i = (size_t)(end - src) + 2;
			continue;
		}
		*o++ = src[i++];
	}
	*o = '\0';
	return out;
}

static void
add(const char *src, struct doc_loc loc, bool display)
{
	if (strstr(src, "{{") != NULL)
		src = sample_values(src);
	if (!display)
		for (size_t i = 0; i < nfs; i++)
			if (!fs[i].display && strcmp(fs[i].src, src) == 0) {
				fs[i].uses++;
				return;
			}
	if (nfs == capfs) {
		capfs = capfs ? 2 * capfs : 64;
		fs = realloc(fs, capfs * sizeof *fs);
		if (fs == NULL)
			abort();
	}
	fs[nfs++] = (struct formula){src, loc, display, 1};
}

static void walk_blocks(const struct doc_blocks *bs);

static void
walk_inlines(const struct doc_inlines *in)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct doc_inline *x = &in->items[i];
		if (x->kind == DOC_MATH) {
			struct doc_loc l = x->loc;
			l.col++; /* the source starts after the '$' */
			add(x->text, l, false);
		}
		if (x->nchildren > 0) {
			struct doc_inlines c = {x->children, x->nchildren};
			walk_inlines(&c);
		}
	}
}

static void
walk_blocks(const struct doc_blocks *bs)
{
	for (size_t i = 0; i < bs->n; i++) {
		const struct doc_block *b = &bs->items[i];
		walk_inlines(&b->text);
		walk_inlines(&b->caption);
		if (b->kind == DOC_DISPLAY_MATH)
			add(b->math, b->math_loc, true);
		for (size_t k = 0; k < b->nlist_items; k++)
			walk_blocks(&b->list_items[k].blocks);
		for (size_t k = 0; k < b->nrows * b->ncols; k++)
			walk_inlines(&b->cells[k].text);
		walk_blocks(&b->children);
		for (size_t k = 0; k < b->nrefs; k++)
			walk_inlines(&b->refs[k].text);
	}
}

static void
push(struct lay_page *p, struct lay_box b)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 32;
		p->boxes = realloc(p->boxes, p->cap * sizeof *p->boxes);
		if (p->boxes == NULL)
			abort();
	}
	p->boxes[p->n++] = b;
}

static void
put_escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s, f);
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: mathpdf CONFIG TEMPLATES OUTDIR\n");
		return 2;
	}
	struct report_config cfg;
	if (!config_load(argv[1], NULL, 0, &cfg, NULL))
		return 1;
	struct doc *doc = doc_load_dir(argv[2]);
	if (doc == NULL)
		return 1;
	walk_blocks(&doc->blocks);
	/* displays first (document order), then the inline formulas */
	struct formula *sorted = malloc((nfs + 1) * sizeof *sorted);
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nfs; i++)
			if (fs[i].display == (pass == 0))
				sorted[n++] = fs[i];

	struct pdf_doc *pdf = pdf_new_sized(&cfg, PAGE_W, PAGE_H);
	if (pdf == NULL)
		return 1;
	struct lay_metrics lm;
	struct math_metrics mm;
	struct dl_metrics dm;
	layout_pdf_metrics(pdf, &lm, &mm, &dm);

	char path[4096];
	snprintf(path, sizeof path, "%s/formulas.tsv", argv[3]);
	FILE *tsv = fopen(path, "w");
	if (tsv == NULL) {
		perror(path);
		return 1;
	}
	struct lay_document ld = {PAGE_W, PAGE_H, n, calloc(n + 1, sizeof(struct lay_page)), 0,
	    NULL};
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct formula *f = &sorted[i];
		struct lay_page *p = &ld.pages[i];
		p->text_left = 0;
		p->text_right = PAGE_W;
		p->text_bottom = 0;
		p->text_top = PAGE_H;
		fprintf(tsv, "%zu\t%c\t%s:%d:%d\t%d\t", i + 1, f->display ? 'D' : 'I', f->loc.file,
		    f->loc.line, f->loc.col, f->uses);
		put_escaped(tsv, f->src);
		fputc('\n', tsv);
		struct math_box *m = math_layout(f->src, f->loc, f->display, BODY, &mm);
		if (m == NULL) {
			bad++;
			continue;
		}
		snprintf(path, sizeof path, "%s/ours-%zu.dump", argv[3], i + 1);
		FILE *d = fopen(path, "w");
		if (d != NULL) {
			math_box_dump(m, d);
			fclose(d);
		}
		for (size_t g = 0; g < m->nglyphs; g++) {
			const struct math_glyphs *G = &m->glyphs[g];
			struct lay_box b = {0};
			b.kind = LAY_TEXT;
			b.font = lay_math_font(G->font);
			b.size = G->size;
			b.x = ORIGIN_X + G->x;
			b.y = ORIGIN_Y + G->y;
			b.text = G->utf8;
			b.w = lm.width(lm.ctx, b.font, b.size, G->utf8, strlen(G->utf8));
			push(p, b);
		}
		for (size_t r = 0; r < m->nrules; r++) {
			const struct math_rule *R = &m->rules[r];
			struct lay_box b = {0};
			b.kind = LAY_RULE;
			b.x = ORIGIN_X + R->x;
			b.y = ORIGIN_Y + R->y;
			b.w = R->w;
			b.h = R->h;
			push(p, b);
		}
		/* the box itself, as a hairline frame in light blue: where TeX's
		 * box would be (width, height, depth) */
		struct lay_box fr = {0};
		fr.kind = LAY_FRAME;
		fr.x = ORIGIN_X;
		fr.y = ORIGIN_Y - m->depth;
		fr.w = m->width;
		fr.h = m->height + m->depth;
		fr.color = (struct lay_color){0.55, 0.75, 1.0};
		fr.line_width = 0.1;
		push(p, fr);
		/* math_box is kept alive: the pages point at its strings */
	}
	fclose(tsv);
	if (!layout_pdf_draw(pdf, &ld))
		return 1;
	snprintf(path, sizeof path, "%s/ours.pdf", argv[3]);
	if (!pdf_save(pdf, path))
		return 1;
	pdf_free(pdf);
	fprintf(stderr, "mathpdf: %zu formulas (%d failed to lay out) -> %s\n", n, bad, path);
	return bad ? 1 : 0;
}
