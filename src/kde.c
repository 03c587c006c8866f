#include "kde.h"

#include <math.h>
#include <stdlib.h>

#include "numeric.h"
#include "util.h"

/* SciPy's neff = 1/sum(w**2) with w = ones(n)/n, summed pairwise as NumPy
 * does, so the Scott and Silverman factors match to the last bit. */
static double
effective_n(const double *w, size_t n)
{
	double *w2 = xmalloc(n * sizeof *w2);
	for (size_t i = 0; i < n; i++)
		w2[i] = w[i] * w[i];
	double s = pairwise_sum(w2, n, 1);
	free(w2);
	return 1.0 / s;
}

/* np.cov(data, rowvar=1, bias=False, aweights=w) for two rows. */
static void
weighted_covariance(const double *x, const double *y, const double *w, size_t n, double cov[3])
{
	double *tmp = xmalloc(n * sizeof *tmp);
	double w_sum = pairwise_sum(w, n, 1);
	for (size_t i = 0; i < n; i++)
		tmp[i] = x[i] * w[i];
	double mx = pairwise_sum(tmp, n, 1) / w_sum;
	for (size_t i = 0; i < n; i++)
		tmp[i] = y[i] * w[i];
	double my = pairwise_sum(tmp, n, 1) / w_sum;
	for (size_t i = 0; i < n; i++)
		tmp[i] = w[i] * w[i];
	double fact = w_sum - 1.0 * pairwise_sum(tmp, n, 1) / w_sum;
	free(tmp);

	/* dot(X, (X*w).T): BLAS order is unspecified; a plain running sum. */
	double sxx = 0.0, sxy = 0.0, syy = 0.0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;
		sxx += dx * (dx * w[i]);
		sxy += dx * (dy * w[i]);
		syy += dy * (dy * w[i]);
	}
	double inv = 1.0 / fact;
	cov[0] = sxx * inv;
	cov[1] = sxy * inv;
	cov[2] = syy * inv;
}

bool
kde2_fit(struct kde2 *kde, const double *x, const double *y, size_t n,
    const struct kde_bandwidth *bw)
{
	const double d = 2.0;
	*kde = (struct kde2){0};

	double *w = xmalloc(n * sizeof *w);
	for (size_t i = 0; i < n; i++)
		w[i] = 1.0 / (double)n;
	kde->neff = effective_n(w, n);
	switch (bw->rule) {
	case KDE_BW_SCOTT:
		kde->factor = pow(kde->neff, -1.0 / (d + 4));
		break;
	case KDE_BW_SILVERMAN:
		kde->factor = pow(kde->neff * (d + 2.0) / 4.0, -1.0 / (d + 4));
		break;
	case KDE_BW_FIXED:
		kde->factor = bw->factor;
		break;
	}
	weighted_covariance(x, y, w, n, kde->data_cov);
	free(w);

	/* LAPACK potrf (lower): l10 = a10 * (1/l00). */
	double a00 = kde->data_cov[0], a10 = kde->data_cov[1], a11 = kde->data_cov[2];
	if (!(a00 > 0.0))
		return false;
	double l00 = sqrt(a00);
	double l10 = a10 * (1.0 / l00);
	double r = a11 - l10 * l10;
	/* Collinear points leave only rounding noise in r. */
	if (!(r > 1e-12 * a11))
		return false;
	double l11 = sqrt(r);

	double f2 = kde->factor * kde->factor;
	for (int k = 0; k < 3; k++)
		kde->cov[k] = kde->data_cov[k] * f2;
	kde->cho[0] = l00 * kde->factor;
	kde->cho[1] = l10 * kde->factor;
	kde->cho[2] = l11 * kde->factor;

	kde->n = n;
	kde->x = xmalloc(n * sizeof *kde->x);
	kde->y = xmalloc(n * sizeof *kde->y);
	for (size_t i = 0; i < n; i++) {
		kde->x[i] = x[i];
		kde->y[i] = y[i];
	}
	return true;
}

void
kde2_evaluate(const struct kde2 *kde, const double *px, const double *py, size_t m, double *out)
{
	const double l00 = kde->cho[0], l10 = kde->cho[1], l11 = kde->cho[2];
	const double weight = 1.0 / (double)kde->n;

	/* Whitened data: solve L u = p (forward substitution). */
	double *ux = xmalloc(kde->n * sizeof *ux), *uy = xmalloc(kde->n * sizeof *uy);
	for (size_t i = 0; i < kde->n; i++) {
		ux[i] = kde->x[i] / l00;
		uy[i] = (kde->y[i] - l10 * ux[i]) / l11;
	}
	double norm = pow(2.0 * NUMERIC_PI, -2.0 / 2.0);
	norm /= l00;
	norm /= l11;

	/* SciPy accumulates estimate[j] over data points i in order. */
	for (size_t j = 0; j < m; j++) {
		double vx = px[j] / l00;
		double vy = (py[j] - l10 * vx) / l11;
		double est = 0.0;
		for (size_t i = 0; i < kde->n; i++) {
			double rx = ux[i] - vx, ry = uy[i] - vy;
			double arg = 0.0;
			arg += rx * rx;
			arg += ry * ry;
			est += weight * (exp(-arg / 2.0) * norm);
		}
		out[j] = est;
	}
	free(ux);
	free(uy);
}

void
kde2_free(struct kde2 *kde)
{
	if (kde == NULL)
		return;
	free(kde->x);
	free(kde->y);
	kde->x = kde->y = NULL;
}
