/* compute: every computation of the seed, from the configuration to named
 * datasets and scalar results in a registry (DESIGN.md: pure, no I/O). */
#ifndef HANDOUT_COMPUTE_H
#define HANDOUT_COMPUTE_H

#include "config.h"
#include "dataset.h"

/* Returns a new registry holding the datasets moons, grid, contours, elbo,
 * kl_curve, beta_vae, reparam, histograms, gan and every scalar result, or
 * NULL after reporting through diag (e.g. a degenerate KDE covariance or a
 * quadrature that did not converge).  Caller frees with registry_free. */
struct registry *compute_all(const struct report_config *cfg);

#endif
