/* moons: sklearn.datasets.make_moons(n_samples, noise) drawing from NumPy's
 * global legacy stream, exactly as scikit-learn 1.2 does. */
#ifndef HANDOUT_MOONS_H
#define HANDOUT_MOONS_H

#include <stddef.h>

struct np_rng;

/* Writes n points to x1[], x2[] and their labels (0 outer, 1 inner) to
 * label[]: outer half circle then inner, shuffled by rng (Fisher-Yates over
 * the row indices), then normal(0, noise) added to x1 and x2 of each row in
 * turn (row-major).  n >= 2. */
void make_moons(struct np_rng *rng, size_t n, double noise, double *x1, double *x2,
    double *label);

#endif
