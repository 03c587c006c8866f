/* locator: tick and level positions chosen as matplotlib's locators choose
 * them (matplotlib 3.6 ticker.py), so our figures and contour levels read
 * like the seed's. */
#ifndef HANDOUT_LOCATOR_H
#define HANDOUT_LOCATOR_H

#include <stdbool.h>
#include <stddef.h>

/* matplotlib.ticker.MaxNLocator parameters.  steps NULL means matplotlib's
 * default [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]; AutoLocator uses
 * [1, 2, 2.5, 5, 10].  A non-NULL steps must be increasing within [1, 10]
 * (1 and 10 are added when missing, as matplotlib does).  nbins must be at
 * least 1.  min_n_ticks below 1 counts as 1 (matplotlib clamps it too; its
 * default is 2, see locator_max_n_default).  prune is not supported. */
struct max_n_locator {
	int nbins;
	const double *steps;
	size_t nsteps;
	bool integer;
	bool symmetric;
	int min_n_ticks;
};

/* MaxNLocator(nbins) with matplotlib's default parameters: default steps,
 * integer and symmetric off, min_n_ticks 2. */
struct max_n_locator locator_max_n_default(int nbins);

/* AutoLocator as matplotlib 3.6 builds it (steps [1, 2, 2.5, 5, 10],
 * min_n_ticks 2).  matplotlib's nbins is 'auto'; pass what it resolves to for
 * the axis, locator_auto_nbins().  The steps point to static storage. */
struct max_n_locator locator_auto(int nbins);

/* What nbins='auto' resolves to on an axis (Axis.get_tick_space clipped to
 * [1, 9], as MaxNLocator._raw_ticks does): axis_length_pt is the axes width
 * (x axis) or height (y axis) in points, label_size_pt the tick label font
 * size (10 with matplotlib's defaults).  A tick label is assumed to need
 * three times its size along x and twice along y. */
int locator_auto_nbins(double axis_length_pt, double label_size_pt, bool x_axis);

/* MaxNLocator.tick_values(vmin, vmax): writes the ticks into out (at most cap)
 * and returns how many there are (which may exceed cap: then only cap were
 * written; out may be NULL when cap is 0).  Like matplotlib, the ticks may
 * extend one step beyond [vmin, vmax]; the range is first made nonsingular
 * (vmin == vmax, NaN or infinite limits give a small valid range). */
size_t locator_max_n_ticks(const struct max_n_locator *loc, double vmin, double vmax,
    double *out, size_t cap);

/* matplotlib.transforms.nonsingular(vmin, vmax, expander, tiny,
 * increasing=True): orders the pair and widens an empty or degenerate
 * range (locators use expander 1e-13, tiny 1e-14; autoscaling 0.05 or
 * 0.001 with tiny 1e-15). */
void locator_nonsingular(double *vmin, double *vmax, double expander, double tiny);

#endif
