#include "moons.h"

#include <math.h>
#include <stdlib.h>

#include "numeric.h"
#include "rng.h"
#include "util.h"

void
make_moons(struct np_rng *rng, size_t n, double noise, double *x1, double *x2, double *label)
{
	size_t n_out = n / 2, n_in = n - n_out;
	double *t_out = xmalloc(n_out * sizeof *t_out);
	double *t_in = xmalloc(n_in * sizeof *t_in);
	linspace(0.0, NUMERIC_PI, n_out, t_out);
	linspace(0.0, NUMERIC_PI, n_in, t_in);

	/* The unshuffled rows: outer circle, then inner circle shifted. */
	double *ux = xmalloc(n * sizeof *ux), *uy = xmalloc(n * sizeof *uy);
	for (size_t i = 0; i < n_out; i++) {
		ux[i] = cos(t_out[i]);
		uy[i] = sin(t_out[i]);
	}
	for (size_t i = 0; i < n_in; i++) {
		ux[n_out + i] = 1.0 - cos(t_in[i]);
		uy[n_out + i] = 1.0 - sin(t_in[i]) - 0.5;
	}

	size_t *idx = xmalloc(n * sizeof *idx);
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	np_rng_shuffle_index(rng, idx, n);

	for (size_t i = 0; i < n; i++) {
		x1[i] = ux[idx[i]];
		x2[i] = uy[idx[i]];
		label[i] = idx[i] < n_out ? 0.0 : 1.0;
	}
	for (size_t i = 0; i < n; i++) {
		x1[i] += np_rng_normal(rng, 0.0, noise);
		x2[i] += np_rng_normal(rng, 0.0, noise);
	}

	free(idx);
	free(ux);
	free(uy);
	free(t_out);
	free(t_in);
}
