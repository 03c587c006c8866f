/* rng: NumPy's legacy global RandomState (np.random.seed / normal / shuffle),
 * bit for bit, on top of GSL's MT19937.
 *
 *   seed(s)        MT19937 init_genrand(s) (GSL's gsl_rng_set; s != 0, since
 *                  GSL maps 0 to 4357) and forget any cached normal
 *   double         (a >> 5, b >> 6) of two 32-bit outputs: (a*2^26 + b) / 2^53
 *   gauss          legacy polar Box-Muller; the second value of each pair is
 *                  cached and returned by the next call
 *   normal(m, s)   m + s * gauss
 *   interval(max)  uniform on 0..max by masked rejection of 32-bit outputs
 *   shuffle        Fisher-Yates from the last index down (RandomState.shuffle) */
#ifndef HANDOUT_RNG_H
#define HANDOUT_RNG_H

#include <stddef.h>
#include <stdint.h>

struct np_rng;

/* A new generator seeded with `seed` (1..2^32-1).  Exits on out of memory. */
struct np_rng *np_rng_new(unsigned long seed);
void np_rng_free(struct np_rng *rng); /* NULL-safe */

void np_rng_seed(struct np_rng *rng, unsigned long seed);
uint32_t np_rng_uint32(struct np_rng *rng);
double np_rng_double(struct np_rng *rng);
double np_rng_gauss(struct np_rng *rng);
double np_rng_normal(struct np_rng *rng, double loc, double scale);
uint32_t np_rng_interval(struct np_rng *rng, uint32_t max);
/* Shuffles idx[0..n) in place as RandomState.shuffle does a 1-d array. */
void np_rng_shuffle_index(struct np_rng *rng, size_t *idx, size_t n);

#endif
