/* kde: scipy.stats.gaussian_kde (SciPy 1.10) for 2-D data with equal
 * weights: bandwidth factor (Scott, Silverman or fixed), kernel covariance =
 * unbiased weighted data covariance * factor^2, evaluation by whitening with
 * the Cholesky factor of that covariance. */
#ifndef HANDOUT_KDE_H
#define HANDOUT_KDE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct kde2 {
	size_t n;          /* number of data points */
	double *x, *y;     /* the data (owned copies) */
	double neff;       /* 1 / sum(w^2), w = 1/n, as SciPy sums it */
	double factor;     /* bandwidth factor */
	double data_cov[3];   /* unbiased data covariance: xx, xy, yy */
	double cov[3];        /* kernel covariance = data_cov * factor^2 */
	double cho[3];        /* lower Cholesky factor of cov: l00, l10, l11 */
};

/* Fits the estimator to the n points (x[i], y[i]), n >= 3.  Returns false
 * (and leaves *kde empty) when the data covariance is not positive definite. */
bool kde2_fit(struct kde2 *kde, const double *x, const double *y, size_t n,
    const struct kde_bandwidth *bw);

/* The density at each of the m points (px[j], py[j]) into out[j]. */
void kde2_evaluate(const struct kde2 *kde, const double *px, const double *py, size_t m,
    double *out);

void kde2_free(struct kde2 *kde); /* frees the owned data; NULL-safe */

#endif
