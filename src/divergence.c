#include "divergence.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "numeric.h"

enum { QUAD_LIMIT = 2000 };
static const double QUAD_EPSABS = 1e-15;
static const double QUAD_EPSREL = 1e-13;

double
kl_normal_closed(double m1, double s1, double m2, double s2)
{
	double d = m1 - m2;
	double var_ratio_num = s1 * s1 + d * d;
	return 0.5 * (var_ratio_num / (s2 * s2) - 1 - log(s1 * s1 / (s2 * s2)));
}

static double
log_normal_pdf(double x, double m, double s)
{
	double y = (x - m) / s;
	return -0.5 * y * y - log(s) - 0.5 * log(2.0 * NUMERIC_PI);
}

static struct quad_result
integrate_real_line(gsl_function *f)
{
	struct quad_result r = {0};
	gsl_integration_workspace *ws = gsl_integration_workspace_alloc(QUAD_LIMIT);
	if (ws == NULL) {
		r.error = "out of memory";
		return r;
	}
	int status = gsl_integration_qagi(f, QUAD_EPSABS, QUAD_EPSREL, QUAD_LIMIT, ws,
	    &r.value, &r.abserr);
	gsl_integration_workspace_free(ws);
	r.ok = status == GSL_SUCCESS;
	r.error = r.ok ? NULL : gsl_strerror(status);
	return r;
}

struct normal_pair {
	double m1, s1, m2, s2;
};

static double
kl_normal_integrand(double x, void *params)
{
	const struct normal_pair *p = params;
	double lq = log_normal_pdf(x, p->m1, p->s1);
	double lp = log_normal_pdf(x, p->m2, p->s2);
	double q = exp(lq);
	return q == 0.0 ? 0.0 : q * (lq - lp);
}

struct quad_result
kl_normal_quad(double m1, double s1, double m2, double s2)
{
	struct normal_pair params = {m1, s1, m2, s2};
	gsl_function f = {kl_normal_integrand, &params};
	return integrate_real_line(&f);
}

struct mixture_pair {
	const struct mixture *p, *q;
};

/* a * log(a / b), with the convention 0 log 0 = 0. */
static double
xlogy_ratio(double a, double b)
{
	return a > 0.0 ? a * log(a / b) : 0.0;
}

static double
js_integrand(double x, void *params)
{
	const struct mixture_pair *mp = params;
	double p = mixture_pdf(mp->p, x), q = mixture_pdf(mp->q, x);
	double m = 0.5 * (p + q);
	if (m == 0.0)
		return 0.0;
	return 0.5 * xlogy_ratio(p, m) + 0.5 * xlogy_ratio(q, m);
}

struct quad_result
js_mixture(const struct mixture *p, const struct mixture *q)
{
	struct mixture_pair params = {p, q};
	gsl_function f = {js_integrand, &params};
	return integrate_real_line(&f);
}

static double
gan_value_integrand(double x, void *params)
{
	const struct mixture_pair *mp = params;
	double p = mixture_pdf(mp->p, x), q = mixture_pdf(mp->q, x);
	double s = p + q;
	if (s == 0.0)
		return 0.0;
	return xlogy_ratio(p, s) + xlogy_ratio(q, s);
}

struct quad_result
gan_value(const struct mixture *p_data, const struct mixture *p_g)
{
	struct mixture_pair params = {p_data, p_g};
	gsl_function f = {gan_value_integrand, &params};
	return integrate_real_line(&f);
}
