/* numeric: the NumPy array primitives the seed relies on, with NumPy's
 * floating-point operation order so results agree to the last bit where
 * NumPy's own are deterministic. */
#ifndef HANDOUT_NUMERIC_H
#define HANDOUT_NUMERIC_H

#include <stddef.h>

/* np.pi; M_PI is not in strict C11. */
#define NUMERIC_PI 3.141592653589793238462643383279502884

/* np.linspace(a, b, n): out[i] = a + i*((b - a)/(n - 1)), out[n-1] = b. n >= 1
 * (n == 1 gives a). */
void linspace(double a, double b, size_t n, double *out);

/* np.logspace(a, b, n): pow(10, linspace(a, b, n)). */
void logspace(double a, double b, size_t n, double *out);

/* np.sum: NumPy's pairwise summation (8-way unrolled blocks of <= 128
 * elements, halves split at multiples of 8) over a[0], a[stride], ... */
double pairwise_sum(const double *a, size_t n, size_t stride);

/* np.mean and np.std (ddof = 0) of a[0], a[stride], ... (n >= 1). */
double np_mean(const double *a, size_t n, size_t stride);
double np_std(const double *a, size_t n, size_t stride);

/* min and max of a[0..n) (n >= 1). */
double array_min(const double *a, size_t n);
double array_max(const double *a, size_t n);

#endif
