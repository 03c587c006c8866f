/* plot_pdf: the PDF back end of the display list (dlist.h), drawn with the
 * pdf module's vector functions, and the text metrics every back end and
 * the plot engine lay out with.
 *
 * Fonts: DL_FONT_SANS and DL_FONT_SANS_BOLD use the cjk_sans role (its own
 * glyphs first, Latin included, as the seed's matplotlib figures do; missing
 * ones from symbol, latin_serif, ...), bold drawn as fill + thin stroke;
 * DL_FONT_SERIF the cjk_serif role with latin_serif taking Latin, Greek and
 * digits; DL_FONT_MONO the mono role.  Text stays text (pdftotext finds
 * it); nothing is drawn as an image.
 *
 * Conventions shared with plot_svg and plot_dump (see dlist.h): fills use
 * the nonzero rule; hatching is drawn over the fill, clipped to the path, in
 * the stroke colour and stroke alpha with lines of min(1, spacing / 4) pt;
 * CROSS and PLUS markers are strokes in each marker's colour at the fill
 * alpha; a ramp with alpha 1 overlaps its bands by up to 0.5 pt so that no
 * hairline seams show between them. */
#ifndef HANDOUT_PLOT_PDF_H
#define HANDOUT_PLOT_PDF_H

#include <stdbool.h>

#include "config.h"
#include "dlist.h"
#include "pdf.h"

/* Draws `dl` on the current page of `doc` with the figure's bottom-left
 * corner at (x, y) (points, page coordinates).  Leaves the page's graphics
 * state as it found it; unbalanced clip pops are ignored and clips left
 * open are closed.  Clips may nest 25 deep (libharu allows 28 saved states;
 * the figure and a dashed stroke take one each, text one more).  Returns
 * false without a page, or if the document failed (reported by pdf). */
bool plot_pdf_draw(struct pdf_doc *doc, const struct dlist *dl, double x, double y);

/* Writes `dl` as a one-page PDF of exactly dl->width x dl->height points,
 * with cfg's fonts, atomically (pdf_save): on failure `path` is untouched
 * and the problem has been reported. */
bool plot_pdf_write(const struct dlist *dl, const struct report_config *cfg, const char *path);

/* Fills `out` with the metrics of `doc`'s fonts as plot_pdf_draw uses them
 * (ctx = doc; valid while doc lives).  Widths are exact for the PDF back
 * end; ascent and descent are those of the role's own font. */
void plot_pdf_metrics(struct pdf_doc *doc, struct dl_metrics *out);

#endif
