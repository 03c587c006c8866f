/* report: the handout PDF.  The document tree (templates/) is typeset by
 * the layout engine (layout.h) with the PDF fonts' own metrics and drawn by
 * its PDF back end (layout_pdf.h); pdf.h writes the file atomically.
 *
 * Order matters: the fonts and the hyphenation dictionary first (a missing
 * one stops the run before any work), then the figures at the text block's width with the same fonts,
 * then the layout, which places them, then the drawing, and last the
 * optional layout dump. */
#include "report.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "diag.h"
#include "hyphenate.h"
#include "layout.h"
#include "layout_pdf.h"
#include "pdf.h"
#include "util.h"

static bool
fill_layout_dump(FILE *f, const void *ld)
{
	layout_dump(ld, f);
	return true;
}

static size_t
hyphenate_cb(void *hctx, const char *word, size_t len, bool *after)
{
	return hyph_points(hctx, word, len, after);
}

bool
report_write_pdf(const struct report_config *cfg, const struct config_source *src,
    const struct registry *reg, const struct doc *tree, struct figure_set *figs,
    const char *path, const char *layout_dump_path)
{
	struct pdf_doc *doc = pdf_new(cfg);
	if (doc == NULL)
		return false;
	struct hyph_dict *hyph = hyph_load(cfg->document.hyphenation, "document.hyphenation");
	if (hyph == NULL) {
		pdf_free(doc);
		return false;
	}

	struct lay_metrics metrics;
	struct math_metrics math;
	struct dl_metrics fig_metrics;
	layout_pdf_metrics(doc, &metrics, &math, &fig_metrics);
	metrics.hyphenate = hyphenate_cb;
	metrics.hctx = hyph;

	struct pdf_info info = {
	    .title = cfg->document.title,
	    .author = cfg->document.author,
	    .subject = "生成模型讲义",
	    .keywords = "生成模型, 变分自编码器, 生成对抗网络, VAE, GAN, Diffusion, ELBO",
	};
	struct lay_document *ld = NULL;
	bool ok = figures_plot(figs, reg, cfg, &fig_metrics, layout_text_width(cfg)) &&
	    (ld = layout_document(tree, cfg, src, reg, figs, &metrics)) != NULL &&
	    pdf_set_info(doc, &info) && layout_pdf_draw(doc, ld) && pdf_save(doc, path) &&
	    (layout_dump_path == NULL || atomicfile_write(layout_dump_path, fill_layout_dump, ld));
	lay_document_free(ld);
	pdf_free(doc);
	hyph_free(hyph);
	return ok;
}
