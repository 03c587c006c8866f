/* plot_dump: the display list as stable, line-oriented text, for golden
 * tests (DESIGN.md: golden-test the device-independent forms).
 *
 * Format.  The first line is `dlist W H`; then one line per item, in order:
 *
 *   group "LABEL"
 *   clip SEGS
 *   unclip
 *   path fill=PAINT stroke=PAINT[ lw=N cap=CAP join=JOIN dash=DASH][ hatch=KIND/N]: SEGS
 *   text FONT SIZE HALIGN/VALIGN at X,Y angle=A color=PAINT "TEXT"
 *   markers COUNT SHAPE size=N fill=PAINT stroke=PAINT[ lw=N] first=X,Y last=X,Y colors=K:C,C,...
 *   ramp COUNT box=X0,Y0,X1,Y1 alpha=A colors=FIRST,MIDDLE,LAST
 *
 * where
 *   N, X, Y, A, SIZE  a number printed "%.2f" (points, degrees, alpha; so
 *                     coordinates are rounded to 0.01 pt), "-0.00" written
 *                     "0.00", non-finite values "nan", "inf", "-inf";
 *   PAINT             `none` or `#rrggbb@A` (components rounded to 0..255,
 *                     A the alpha); in `path`, the stroke is `none` when
 *                     disabled or 0 wide, and lw/cap/join/dash follow only a
 *                     stroke; `markers` fill=none when the style has no
 *                     fill, else `#rrggbb@A` with the style's fill colour
 *                     (the per-marker colours are in colors=);
 *   CAP               butt | round | square;  JOIN  miter | round | bevel;
 *   DASH              `solid` or the lengths joined by "," then "+PHASE";
 *   KIND              diagonal | back-diagonal | cross | horizontal |
 *                     vertical | dots, then "/" and the spacing;
 *   SEGS              space-separated `M X,Y`, `L X,Y`, `C X,Y X,Y X,Y`, `Z`
 *                     (`empty` for a path with no segments);
 *   FONT              sans | sans-bold | serif | mono;
 *   HALIGN/VALIGN     left|center|right / baseline|bottom|middle|top;
 *   TEXT, LABEL       the UTF-8 string with \ " and control characters
 *                     escaped (\\, \", \n, \t, \xHH);
 *   SHAPE             circle | square | triangle | diamond | cross | plus;
 *   first/last        the first and last centres in list order;
 *   colors=K:...      the K distinct marker colours (#rrggbb), in order of
 *                     first appearance;
 *   ramp colors       the colours of band 0, band COUNT/2 and the last band.
 *
 * The text is the same on every machine for the same list (no pointers,
 * locale-independent number formatting: the "C" locale is assumed, as the
 * program never calls setlocale). */
#ifndef HANDOUT_PLOT_DUMP_H
#define HANDOUT_PLOT_DUMP_H

#include <stdio.h>

#include "dlist.h"

/* Writes the dump of `dl` to `out`.  I/O errors are left in ferror(out). */
void plot_dump(FILE *out, const struct dlist *dl);

#endif
