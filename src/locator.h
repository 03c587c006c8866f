/* locator: tick and level positions chosen as matplotlib's locators choose
 * them (matplotlib 3.6 ticker.py), so our figures and contour levels read
 * like the seed's. */
#ifndef HANDOUT_LOCATOR_H
#define HANDOUT_LOCATOR_H

#include <stdbool.h>
#include <stddef.h>

/* matplotlib.ticker.MaxNLocator parameters.  steps NULL means matplotlib's
 * default [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]; AutoLocator uses
 * [1, 2, 2.5, 5, 10]. */
struct max_n_locator {
	int nbins;
	const double *steps;
	size_t nsteps;
	bool integer;
	bool symmetric;
	int min_n_ticks;
};

/* MaxNLocator.tick_values(vmin, vmax): writes the ticks into out (at most cap)
 * and returns how many there are (which may exceed cap: then only cap were
 * written). */
size_t locator_max_n_ticks(const struct max_n_locator *loc, double vmin, double vmax,
    double *out, size_t cap);

#endif
