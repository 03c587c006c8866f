/* layout_pdf: the PDF back end of the layout engine (layout.h): the font
 * roles of the layout and of math mapped onto the pdf module's fonts, and a
 * laid-out document drawn onto PDF pages with its links, destinations and
 * bookmarks.
 *
 * Fonts (pdf.h roles; each falls back per code point along pdf.c's chain):
 *   LAY_SERIF         cjk_serif, Latin/Greek/digits/operators from latin_serif
 *   LAY_SERIF_ITALIC  cjk_serif, Latin... from latin_italic
 *   LAY_SERIF_BOLD    cjk_serif with synthetic bold, Latin... from latin_bold
 *                     (a real bold face, not thickened again)
 *   LAY_SANS(_BOLD)   cjk_sans, its own Latin (bold: synthetic)
 *   LAY_MONO          mono
 *   LAY_MATH_ROMAN    latin_serif        (MATH_ROMAN)
 *   LAY_MATH_ITALIC   latin_italic       (MATH_ITALIC)
 *   LAY_MATH_BOLD     latin_bold         (MATH_BOLD, MATH_BLACKBOARD's stand-in)
 *   LAY_MATH_SYMBOL   latin_serif for Latin, Greek, arrows and operators,
 *                     then math (DejaVu Math TeX Gyre), then the chain
 *   MATH_CJK          as LAY_SERIF
 * In every role but sans and mono, '|' is set from the math face:
 * FreeSerif's bar stops at the baseline and reads as an 'l' ("q(zlx)").
 * Measuring and drawing use the same mapping, so the widths the layout
 * engine works with are exactly the widths drawn. */
#ifndef HANDOUT_LAYOUT_PDF_H
#define HANDOUT_LAYOUT_PDF_H

#include <stdbool.h>

#include "dlist.h"
#include "layout.h"
#include "texmath.h"
#include "pdf.h"

/* Fills `out` with the text metrics of `doc`'s fonts for the layout engine,
 * `math` with those for math_layout, and `figs` with those for the plot
 * engine (plot_pdf_metrics), and points out->math and out->figures at them.
 * The math metrics include the glyphs' ink extents and italic
 * overhangs (pdf_text_ink).  Every ctx is `doc`: the three stay valid
 * while doc lives (and `math`, `figs` do).  Measuring marks the glyphs as
 * used (they are embedded). */
void layout_pdf_metrics(struct pdf_doc *doc, struct lay_metrics *out, struct math_metrics *math,
    struct dl_metrics *figs);

/* Appends ld's pages to `doc` (whose page size should be ld's) and draws
 * them: text boxes (character spacing box.spacing), rules, frames,
 * figures (scaled when the box's size differs from the display list's),
 * named destinations (a viewer shows the page from the box's y down, at
 * full width: FitH; the box's x is not used), links to
 * them and to URIs, and the bookmarks of ld->outlines (level 1 expanded).
 * The file opens on the first page with the bookmarks shown.  A link or
 * bookmark to a name no destination box defines is left out (the layout
 * engine reports unknown labels); a bookmark without its destination jumps
 * to the top of its page.  False once the document failed (reported by
 * pdf). */
bool layout_pdf_draw(struct pdf_doc *doc, const struct lay_document *ld);

#endif
