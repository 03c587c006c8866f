/* plot_svg: the SVG 1.1 back end of the display list (dlist.h).
 *
 * The document is dl->width x dl->height points ("pt" units, viewBox in
 * points, y flipped so the figure's y axis points up as in the PDF).  Paths
 * carry their own fill/stroke/opacity/dash/cap/join attributes; clip pushes
 * become nested <g clip-path=...>; text stays <text> with font-family lists
 * naming the PDF back end's default fonts (sans: "WenQuanYi Micro Hei",
 * "DejaVu Sans", sans-serif; bold as font-weight="bold"; serif: "DejaVu
 * Serif", "AR PL UMing CN", serif; mono: "DejaVu Sans Mono", monospace);
 * rotation is a transform; markers are <circle> or <path>; hatching is a
 * <pattern> (one per distinct hatch look) painted over the fill; group
 * labels become <g id="gN-slug" class="group"> with the label in <desc>.
 * Drawing conventions are plot_pdf's (see plot_pdf.h).
 *
 * Vertical alignment: with metrics, text gets an explicit dy computed from
 * the font's ascent and descent as the PDF back end does; without, it uses
 * dominant-baseline (text-before-edge, central, text-after-edge).
 *
 * Output is deterministic (same list, same bytes) and well-formed XML
 * (invalid UTF-8 in strings is written as U+FFFD, control characters are
 * dropped). */
#ifndef HANDOUT_PLOT_SVG_H
#define HANDOUT_PLOT_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "dlist.h"

/* Writes `dl` as SVG to `path` atomically: into a temporary file next to
 * it, flushed, then renamed over `path`.  On failure the problem is reported
 * through diag (DIAG_IO_*), the temporary file is removed and `path` is left
 * as it was. */
bool plot_svg_write(const struct dlist *dl, const char *path);

/* Same, with text placed using `metrics` (NULL: as plot_svg_write). */
bool plot_svg_write_metrics(const struct dlist *dl, const struct dl_metrics *metrics,
    const char *path);

/* Writes the SVG text to `out` (no error reporting: check ferror). */
void plot_svg_print(FILE *out, const struct dlist *dl, const struct dl_metrics *metrics);

#endif
