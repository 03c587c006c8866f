/* report: builds out/report.pdf from the config, the value origins, the
 * computed registry, the document tree (templates/) and the figures: the
 * layout engine typesets the tree (layout.h) and layout_pdf.h draws it. */
#ifndef HANDOUT_REPORT_H
#define HANDOUT_REPORT_H

#include <stdbool.h>

#include "config.h"
#include "dataset.h"
#include "doc.h"
#include "figures.h"

/* Writes the handout to `path` atomically: the document goes to a temporary
 * file next to it that is renamed over `path` only once complete, so a
 * failure leaves any previous file untouched.  The figures of `figs` are
 * plotted (figures_plot) with the document's own font metrics at the text
 * block's width (layout_text_width) and placed by the layout engine; their
 * display lists stay in `figs` for the standalone files.  Problems (a
 * missing font, an unknown name in a template, a math error) are reported
 * through diag; returns false on failure.  When `layout_dump_path` is not
 * NULL, the final layout (layout_dump) is also written there, atomically
 * the same way, once the PDF has been saved (golden tests). */
bool report_write_pdf(const struct report_config *cfg, const struct config_source *src,
    const struct registry *reg, const struct doc *tree, struct figure_set *figs,
    const char *path, const char *layout_dump_path);

#endif
