#include "numeric.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

void
linspace(double a, double b, size_t n, double *out)
{
	if (n == 0)
		return;
	if (n == 1) {
		out[0] = a;
		return;
	}
	double step = (b - a) / (double)(n - 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (double)i * step + a;
	out[n - 1] = b;
}

void
logspace(double a, double b, size_t n, double *out)
{
	linspace(a, b, n, out);
	for (size_t i = 0; i < n; i++)
		out[i] = pow(10.0, out[i]);
}

enum { PAIRWISE_BLOCK = 128 };

double
pairwise_sum(const double *a, size_t n, size_t stride)
{
	if (n < 8) {
		double res = 0.0;
		for (size_t i = 0; i < n; i++)
			res += a[i * stride];
		return res;
	}
	if (n <= PAIRWISE_BLOCK) {
		double r[8];
		for (size_t j = 0; j < 8; j++)
			r[j] = a[j * stride];
		size_t i;
		for (i = 8; i < n - (n % 8); i += 8)
			for (size_t j = 0; j < 8; j++)
				r[j] += a[(i + j) * stride];
		double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i * stride];
		return res;
	}
	size_t n2 = n / 2;
	n2 -= n2 % 8;
	return pairwise_sum(a, n2, stride) + pairwise_sum(a + n2 * stride, n - n2, stride);
}

double
np_mean(const double *a, size_t n, size_t stride)
{
	return pairwise_sum(a, n, stride) / (double)n;
}

double
np_std(const double *a, size_t n, size_t stride)
{
	double mean = np_mean(a, n, stride);
	double *sq = xmalloc(n * sizeof *sq);
	for (size_t i = 0; i < n; i++) {
		double d = a[i * stride] - mean;
		sq[i] = d * d;
	}
	double var = pairwise_sum(sq, n, 1) / (double)n;
	free(sq);
	return sqrt(var);
}

double
array_min(const double *a, size_t n)
{
	double m = a[0];
	for (size_t i = 1; i < n; i++)
		if (a[i] < m)
			m = a[i];
	return m;
}

double
array_max(const double *a, size_t n)
{
	double m = a[0];
	for (size_t i = 1; i < n; i++)
		if (a[i] > m)
			m = a[i];
	return m;
}
