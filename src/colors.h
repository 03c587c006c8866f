/* colors: matplotlib colour specifications -> RGB, the viridis colormap, and
 * the gray levels of the grayscale print mode.
 *
 * Accepted colour strings (as matplotlib 3.6's to_rgba reads them):
 *   - the base colours 'b' 'g' 'r' 'c' 'm' 'y' 'k' 'w' (case-sensitive);
 *   - the 148 CSS4 names ("red", "lightblue", "gray"...) and the Tableau
 *     names "tab:blue".. "tab:gray", case-insensitive;
 *   - "C0".."C9": the default property cycle (tab10; CN wraps modulo 10);
 *   - "#rgb", "#rgba", "#rrggbb", "#rrggbbaa" (hex digits in either case);
 *   - a number in [0, 1] as a string ("0.8"): that gray level;
 *   - "none": fully transparent. */
#ifndef HANDOUT_COLORS_H
#define HANDOUT_COLORS_H

#include <stdbool.h>

#include "dlist.h"

/* Parses `spec` into *rgb and *alpha (1 unless the spec carries an alpha:
 * "#rrggbbaa", or 0 for "none").  Either output may be NULL.  Returns false,
 * leaving the outputs untouched, for an unknown name or a malformed value
 * (NULL and "" included). */
bool color_parse(const char *spec, struct dl_color *rgb, double *alpha);

/* Closest known colour name to an unknown `spec`, for a "did you mean"
 * hint, or NULL when nothing is close. */
const char *color_suggest(const char *spec);

/* True for the colormaps color_map knows ("viridis"). */
bool colormap_known(const char *name);

/* The colour a matplotlib ListedColormap with N = 256 entries gives a
 * normalized value v: entry floor(256 v), v = 1 mapping to the last entry,
 * v < 0 to the first (the "under" colour) and v > 1 to the last ("over").
 * A NaN gives black (matplotlib's "bad" colour is transparent: callers
 * skip NaN points).  An unknown name behaves as viridis. */
struct dl_color color_map(const char *name, double v);

/* The table index color_map uses for v (0..255), or -1 for NaN. */
int colormap_index(double v);

/* Relative luminance of an sRGB colour with the Rec. 601 weights
 * (0.299, 0.587, 0.114), in [0, 1]: what a gray rendering of the colour
 * keeps. */
double color_luminance(struct dl_color c);

/* The gray with level g (0 black .. 1 white); g is clamped to [0, 1]. */
struct dl_color color_gray(double g);

#endif
