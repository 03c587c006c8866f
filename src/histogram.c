#include "histogram.h"

#include <stdlib.h>

#include "numeric.h"
#include "util.h"

void
histogram_compute(struct histogram *h, const double *a, size_t n, size_t bins)
{
	double first = array_min(a, n), last = array_max(a, n);
	if (first == last) {
		first -= 0.5;
		last += 0.5;
	}
	h->bins = bins;
	h->edges = xmalloc((bins + 1) * sizeof *h->edges);
	h->count = xcalloc(bins, sizeof *h->count);
	h->density = xmalloc(bins * sizeof *h->density);
	linspace(first, last, bins + 1, h->edges);

	/* NumPy's index computation, including its correction of values that
	 * rounding puts on the wrong side of an edge. */
	double norm = (double)bins / (last - first);
	for (size_t i = 0; i < n; i++) {
		double v = a[i];
		if (!(v >= first && v <= last))
			continue;
		long k = (long)((v - first) * norm);
		if (k == (long)bins)
			k--;
		if (v < h->edges[k])
			k--;
		else if (v >= h->edges[k + 1] && k != (long)bins - 1)
			k++;
		h->count[k] += 1.0;
	}
	double total = 0.0;
	for (size_t k = 0; k < bins; k++)
		total += h->count[k];
	for (size_t k = 0; k < bins; k++)
		h->density[k] = h->count[k] / (h->edges[k + 1] - h->edges[k]) / total;
}

void
histogram_free(struct histogram *h)
{
	if (h == NULL)
		return;
	free(h->edges);
	free(h->count);
	free(h->density);
	h->edges = h->count = h->density = NULL;
}
