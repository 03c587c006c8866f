/* divergence: KL between Gaussians (closed form and by quadrature) and the
 * GAN quantities of the seed's text, evaluated by adaptive quadrature over
 * the whole real line (GSL QAGI) with the exact mixture densities. */
#ifndef HANDOUT_DIVERGENCE_H
#define HANDOUT_DIVERGENCE_H

#include <stdbool.h>

#include "mixture.h"

/* KL(N(m1, s1^2) || N(m2, s2^2)) in closed form, written so that for the
 * standard normal prior it performs the seed's exact operations
 * 0.5*(s1^2 + m1^2 - 1 - log(s1^2)). */
double kl_normal_closed(double m1, double s1, double m2, double s2);

/* A quadrature result with GSL's error estimate. */
struct quad_result {
	double value;
	double abserr;
	bool ok;            /* GSL reached the requested tolerance */
	const char *error;  /* GSL's reason when !ok */
};

/* KL(N(m1, s1^2) || N(m2, s2^2)) = integral of q log(q/p) over R. */
struct quad_result kl_normal_quad(double m1, double s1, double m2, double s2);

/* JS(P || Q) = KL(P||M)/2 + KL(Q||M)/2, M = (P + Q)/2, natural log. */
struct quad_result js_mixture(const struct mixture *p, const struct mixture *q);

/* V(D*, G) = E_P[log D*] + E_Q[log(1 - D*)], D* = p/(p + q) exactly. */
struct quad_result gan_value(const struct mixture *p_data, const struct mixture *p_g);

#endif
