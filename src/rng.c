#include "rng.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "util.h"

struct np_rng {
	gsl_rng *mt;
	bool has_gauss;
	double gauss;
};

struct np_rng *
np_rng_new(unsigned long seed)
{
	struct np_rng *rng = xcalloc(1, sizeof *rng);
	rng->mt = gsl_rng_alloc(gsl_rng_mt19937);
	if (rng->mt == NULL) {
		free(rng);
		return xmalloc((size_t)-1); /* reports out of memory and exits */
	}
	np_rng_seed(rng, seed);
	return rng;
}

void
np_rng_free(struct np_rng *rng)
{
	if (rng == NULL)
		return;
	gsl_rng_free(rng->mt);
	free(rng);
}

void
np_rng_seed(struct np_rng *rng, unsigned long seed)
{
	gsl_rng_set(rng->mt, seed & 0xffffffffUL);
	rng->has_gauss = false;
	rng->gauss = 0.0;
}

uint32_t
np_rng_uint32(struct np_rng *rng)
{
	return (uint32_t)gsl_rng_get(rng->mt);
}

double
np_rng_double(struct np_rng *rng)
{
	uint32_t a = np_rng_uint32(rng) >> 5;
	uint32_t b = np_rng_uint32(rng) >> 6;
	return (a * 67108864.0 + b) / 9007199254740992.0;
}

double
np_rng_gauss(struct np_rng *rng)
{
	if (rng->has_gauss) {
		rng->has_gauss = false;
		return rng->gauss;
	}
	double x1, x2, r2;
	do {
		x1 = 2.0 * np_rng_double(rng) - 1.0;
		x2 = 2.0 * np_rng_double(rng) - 1.0;
		r2 = x1 * x1 + x2 * x2;
	} while (r2 >= 1.0 || r2 == 0.0);
	/* Polar method: the pair (f*x1, f*x2); NumPy returns the second first. */
	double f = sqrt(-2.0 * log(r2) / r2);
	rng->gauss = f * x1;
	rng->has_gauss = true;
	return f * x2;
}

double
np_rng_normal(struct np_rng *rng, double loc, double scale)
{
	return loc + scale * np_rng_gauss(rng);
}

uint32_t
np_rng_interval(struct np_rng *rng, uint32_t max)
{
	if (max == 0)
		return 0;
	uint32_t mask = max;
	mask |= mask >> 1;
	mask |= mask >> 2;
	mask |= mask >> 4;
	mask |= mask >> 8;
	mask |= mask >> 16;
	uint32_t value;
	while ((value = (np_rng_uint32(rng) & mask)) > max)
		;
	return value;
}

void
np_rng_shuffle_index(struct np_rng *rng, size_t *idx, size_t n)
{
	for (size_t i = n; i-- > 1;) {
		size_t j = np_rng_interval(rng, (uint32_t)i);
		size_t t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}
