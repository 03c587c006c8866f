/* locator: a port of matplotlib 3.6's MaxNLocator (ticker.py).  Every
 * floating-point operation follows the Python code in the same order, with
 * Python's and NumPy's floor-division semantics, so the ticks come out
 * bit-for-bit as matplotlib's. */
#include "locator.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "util.h"

static const double default_steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
static const double auto_steps[] = {1, 2, 2.5, 5, 10};

struct max_n_locator
locator_max_n_default(int nbins)
{
	struct max_n_locator loc = {
		.nbins = nbins, .steps = NULL, .nsteps = 0,
		.integer = false, .symmetric = false, .min_n_ticks = 2,
	};
	return loc;
}

struct max_n_locator
locator_auto(int nbins)
{
	struct max_n_locator loc = locator_max_n_default(nbins);
	loc.steps = auto_steps;
	loc.nsteps = ARRAY_LEN(auto_steps);
	return loc;
}

int
locator_auto_nbins(double axis_length_pt, double label_size_pt, bool x_axis)
{
	double size = label_size_pt * (x_axis ? 3 : 2);
	double space = size > 0 ? floor(axis_length_pt / size) : 9;
	if (!(space >= 1))	/* also catches NaN */
		return 1;
	return space > 9 ? 9 : (int)space;
}

/* Python's float divmod (and NumPy's npy_divmod, which is the same code):
 * returns the floor quotient and stores the remainder, which takes the sign
 * of y.  Plain floor(x / y) differs when x / y rounds up to an integer. */
static double
py_divmod(double x, double y, double *modp)
{
	double mod = fmod(x, y);
	double div = (x - mod) / y;
	if (mod != 0) {
		if ((y < 0) != (mod < 0)) {
			mod += y;
			div -= 1.0;
		}
	} else {
		mod = copysign(0.0, y);
	}
	double floordiv;
	if (div != 0) {
		floordiv = floor(div);
		if (div - floordiv > 0.5)
			floordiv += 1.0;
	} else {
		floordiv = copysign(0.0, x / y);
	}
	if (modp != NULL)
		*modp = mod;
	return floordiv;
}

static double
py_floordiv(double x, double y)
{
	return py_divmod(x, y, NULL);
}

/* ticker.scale_range with threshold 100. */
static void
scale_range(double vmin, double vmax, int n, double *scale, double *offset)
{
	double dv = fabs(vmax - vmin);
	double meanv = (vmax + vmin) / 2;
	if (fabs(meanv) / dv < 100)
		*offset = 0;
	else
		*offset = copysign(pow(10, py_floordiv(log10(fabs(meanv)), 1)), meanv);
	*scale = pow(10, py_floordiv(log10(dv / n), 1));
}

/* ticker._Edge_integer: tick indices robust against rounding, with more
 * slack when a large offset has eaten into the precision. */
struct edge_integer {
	double step, offset;
};

static bool
edge_closeto(const struct edge_integer *e, double ms, double edge)
{
	double tol;
	if (e->offset > 0) {
		double digits = log10(e->offset / e->step);
		tol = pow(10, digits - 12);
		if (tol < 1e-10)
			tol = 1e-10;
		if (tol > 0.4999)
			tol = 0.4999;
	} else {
		tol = 1e-10;
	}
	return fabs(ms - edge) < tol;
}

/* Largest n with n*step <= x. */
static double
edge_le(const struct edge_integer *e, double x)
{
	double m;
	double d = py_divmod(x, e->step, &m);
	return edge_closeto(e, m / e->step, 1) ? d + 1 : d;
}

/* Smallest n with n*step >= x. */
static double
edge_ge(const struct edge_integer *e, double x)
{
	double m;
	double d = py_divmod(x, e->step, &m);
	return edge_closeto(e, m / e->step, 0) ? d : d + 1;
}

void
locator_nonsingular(double *vminp, double *vmaxp, double expander, double tiny)
{
	double vmin = *vminp, vmax = *vmaxp;
	if (!isfinite(vmin) || !isfinite(vmax)) {
		*vminp = -expander;
		*vmaxp = expander;
		return;
	}
	if (vmax < vmin) {
		double t = vmin;
		vmin = vmax;
		vmax = t;
	}
	double maxabs = fmax(fabs(vmin), fabs(vmax));
	if (maxabs < (1e6 / tiny) * DBL_MIN) {
		vmin = -expander;
		vmax = expander;
	} else if (vmax - vmin <= maxabs * tiny) {
		if (vmax == 0 && vmin == 0) {
			vmin = -expander;
			vmax = expander;
		} else {
			vmin -= expander * fabs(vmin);
			vmax += expander * fabs(vmax);
		}
	}
	*vminp = vmin;
	*vmaxp = vmax;
}

/* MaxNLocator._staircase of the validated steps, times scale, filtered for
 * integer locators.  Returns a newly allocated array of *n values. */
static double *
scaled_staircase(const struct max_n_locator *loc, double scale, size_t *n)
{
	const double *given = loc->steps ? loc->steps : default_steps;
	size_t ngiven = loc->steps ? loc->nsteps : ARRAY_LEN(default_steps);
	double *steps = xmalloc((ngiven + 2) * sizeof *steps);
	size_t ns = 0;
	if (ngiven == 0 || given[0] != 1)
		steps[ns++] = 1;
	for (size_t i = 0; i < ngiven; i++)
		steps[ns++] = given[i];
	if (steps[ns - 1] != 10)
		steps[ns++] = 10;

	/* [0.1 * steps[:-1], steps, [10 * steps[1]]] */
	double *ext = xmalloc((2 * ns) * sizeof *ext);
	size_t ne = 0;
	for (size_t i = 0; i + 1 < ns; i++)
		ext[ne++] = 0.1 * steps[i];
	for (size_t i = 0; i < ns; i++)
		ext[ne++] = steps[i];
	ext[ne++] = 10 * (ns > 1 ? steps[1] : steps[0]);
	free(steps);

	size_t nk = 0;
	for (size_t i = 0; i < ne; i++) {
		double s = ext[i] * scale;
		/* np.round rounds half to even, as nearbyint does by default. */
		if (loc->integer && !(s < 1 || fabs(s - nearbyint(s)) < 0.001))
			continue;
		ext[nk++] = s;
	}
	*n = nk;
	return ext;
}

size_t
locator_max_n_ticks(const struct max_n_locator *loc, double vmin, double vmax,
    double *out, size_t cap)
{
	int nbins = loc->nbins > 0 ? loc->nbins : 1;
	int min_n_ticks = loc->min_n_ticks > 1 ? loc->min_n_ticks : 1;

	if (loc->symmetric) {
		vmax = fmax(fabs(vmin), fabs(vmax));
		vmin = -vmax;
	}
	locator_nonsingular(&vmin, &vmax, 1e-13, 1e-14);

	/* MaxNLocator._raw_ticks (autolimit_mode 'data'). */
	double scale, offset;
	scale_range(vmin, vmax, nbins, &scale, &offset);
	double lo = vmin - offset, hi = vmax - offset;
	double raw_step = (hi - lo) / nbins;
	size_t nsteps;
	double *steps = scaled_staircase(loc, scale, &nsteps);

	size_t istep = 0;
	while (istep + 1 < nsteps && !(steps[istep] >= raw_step))
		istep++;

	double step = 0, best_vmin = 0, low = 0, high = -1;
	for (size_t k = istep + 1; k-- > 0;) {
		step = steps[k];
		if (loc->integer && floor(hi) - ceil(lo) >= min_n_ticks - 1)
			step = fmax(1, step);
		best_vmin = py_floordiv(lo, step) * step;
		struct edge_integer edge = {step, fabs(offset)};
		low = edge_le(&edge, lo - best_vmin);
		high = edge_ge(&edge, hi - best_vmin);
		int nticks = 0;
		for (double t = low; t <= high; t += 1) {
			double tick = t * step + best_vmin;
			if (tick <= hi && tick >= lo)
				nticks++;
		}
		if (nticks >= min_n_ticks)
			break;
	}
	free(steps);

	size_t n = 0;
	for (double t = low; t <= high; t += 1, n++)
		if (n < cap)
			out[n] = (t * step + best_vmin) + offset;
	return n;
}
