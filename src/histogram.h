/* histogram: np.histogram(a, bins=N, density=...) with equal-width bins. */
#ifndef HANDOUT_HISTOGRAM_H
#define HANDOUT_HISTOGRAM_H

#include <stddef.h>

struct histogram {
	size_t bins;
	double *edges;   /* bins + 1: linspace(min, max, bins + 1) */
	double *count;   /* bins */
	double *density; /* bins: count / width / total, as NumPy orders it */
};

/* Bins the n values of a (n >= 1) into `bins` equal bins over [min, max]
 * (min == max widens to +-0.5 as NumPy does); the last bin is closed. */
void histogram_compute(struct histogram *h, const double *a, size_t n, size_t bins);
void histogram_free(struct histogram *h); /* NULL-safe */

#endif
