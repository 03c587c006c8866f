#include "compute.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "contour.h"
#include "diag.h"
#include "divergence.h"
#include "histogram.h"
#include "kde.h"
#include "mixture.h"
#include "moons.h"
#include "numeric.h"
#include "rng.h"
#include "util.h"

enum { MAX_LEVELS = 64 };

static double *
alloc_doubles(size_t n)
{
	return xmalloc(n * sizeof(double));
}

static void
set_stat_results(struct registry *reg, const char *prefix, const double *a, size_t n,
    size_t stride, const char *label)
{
	char name[128], lab[256];
	snprintf(name, sizeof name, "%s.mean", prefix);
	snprintf(lab, sizeof lab, "%s 样本均值", label);
	registry_set_result(reg, name, np_mean(a, n, stride), lab);
	snprintf(name, sizeof name, "%s.std", prefix);
	snprintf(lab, sizeof lab, "%s 样本标准差", label);
	registry_set_result(reg, name, np_std(a, n, stride), lab);
}

/* Appends every polyline of z = level on the grid to the contours dataset. */
static void
add_contour_lines(struct dataset *ds, const char *name, const double *xs, size_t nx,
    const double *ys, size_t ny, const double *z, double level)
{
	struct contour_line *lines = NULL;
	size_t nlines = contour_trace(xs, nx, ys, ny, z, level, &lines);
	for (size_t s = 0; s < nlines; s++)
		for (size_t p = 0; p < lines[s].npoints; p++)
			dataset_append(ds, name, level, (double)s, (double)p, lines[s].x[p],
			    lines[s].y[p]);
	contour_lines_free(lines, nlines);
}

/* Figure 1: moons, the decision field and the per-class KDE contours. */
static bool
compute_figure1(const struct report_config *cfg, struct registry *reg)
{
	size_t n = (size_t)cfg->moons.n_samples;
	double *x1 = alloc_doubles(n), *x2 = alloc_doubles(n), *label = alloc_doubles(n);
	struct np_rng *rng = np_rng_new(cfg->moons.seed);
	make_moons(rng, n, cfg->moons.noise, x1, x2, label);
	np_rng_free(rng);

	registry_set_result(reg, "moons.n", (double)n, "两月牙样本数");
	set_stat_results(reg, "moons.x1", x1, n, 1, "两月牙 X₁");
	set_stat_results(reg, "moons.x2", x2, n, 1, "两月牙 X₂");

	/* The grid spans the data plus padding (np.meshgrid of two linspaces). */
	size_t g = (size_t)cfg->decision.grid_points;
	double pad = cfg->decision.padding;
	double gx0 = array_min(x1, n) - pad, gx1 = array_max(x1, n) + pad;
	double gy0 = array_min(x2, n) - pad, gy1 = array_max(x2, n) + pad;
	registry_set_result(reg, "grid.x_min", gx0, "网格 x 下限");
	registry_set_result(reg, "grid.x_max", gx1, "网格 x 上限");
	registry_set_result(reg, "grid.y_min", gy0, "网格 y 下限");
	registry_set_result(reg, "grid.y_max", gy1, "网格 y 上限");
	double *xs = alloc_doubles(g), *ys = alloc_doubles(g);
	linspace(gx0, gx1, g, xs);
	linspace(gy0, gy1, g, ys);
	double *px = alloc_doubles(g * g), *py = alloc_doubles(g * g);
	double *field = alloc_doubles(g * g);
	for (size_t j = 0; j < g; j++)
		for (size_t i = 0; i < g; i++) {
			size_t k = j * g + i;
			px[k] = xs[i];
			py[k] = ys[j];
			field[k] = cfg->decision.weight_x * xs[i] + cfg->decision.weight_y * ys[j] +
			    cfg->decision.bias;
		}

	/* How well the fixed line separates the moons: the share of points on
	 * the side of their class, for the better of the line's two
	 * orientations (so 0.5 is chance and 1 a perfect split). */
	size_t right = 0;
	for (size_t i = 0; i < n; i++) {
		double f = cfg->decision.weight_x * x1[i] + cfg->decision.weight_y * x2[i] +
		    cfg->decision.bias;
		if ((f > 0) == (label[i] == 1.0))
			right++;
	}
	double acc = n > 0 ? (double)right / (double)n : 0.5;
	registry_set_result(reg, "decision.accuracy", acc > 0.5 ? acc : 1.0 - acc,
	    "决策直线分对的点的比例（两种朝向中较好的一种）");

	/* Per-class KDE, classes in order of appearance of their rows. */
	double *density[2];
	struct kde2 kde[2];
	bool ok = true;
	for (int c = 0; c < 2; c++) {
		double *cx = alloc_doubles(n), *cy = alloc_doubles(n);
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (label[i] == (double)c) {
				cx[m] = x1[i];
				cy[m] = x2[i];
				m++;
			}
		density[c] = alloc_doubles(g * g);
		char name[64], lab[128];
		if (m < 3 || !kde2_fit(&kde[c], cx, cy, m, &cfg->kde.bandwidth)) {
			char what[64], why[200];
			snprintf(what, sizeof what, "kernel density estimate of class %d", c);
			snprintf(why, sizeof why,
			    "%zu point%s with a singular covariance; it needs 3 or more points off "
			    "one line (raise moons.n_samples = %ld or moons.noise = %g)",
			    m, m == 1 ? "" : "s", (long)cfg->moons.n_samples, cfg->moons.noise);
			diag_emit(DIAG_COMPUTE, NULL, 0, 0, what, why);
			ok = false;
			kde[c] = (struct kde2){0};
		} else {
			kde2_evaluate(&kde[c], px, py, g * g, density[c]);
			snprintf(name, sizeof name, "kde.class%d.n", c);
			snprintf(lab, sizeof lab, "类别 %d 样本数", c);
			registry_set_result(reg, name, (double)m, lab);
			snprintf(name, sizeof name, "kde.class%d.factor", c);
			snprintf(lab, sizeof lab, "类别 %d 带宽因子", c);
			registry_set_result(reg, name, kde[c].factor, lab);
			static const char *const parts[3] = {"xx", "xy", "yy"};
			for (int k = 0; k < 3; k++) {
				snprintf(name, sizeof name, "kde.class%d.cov_%s", c, parts[k]);
				snprintf(lab, sizeof lab, "类别 %d 核协方差 %s", c, parts[k]);
				registry_set_result(reg, name, kde[c].cov[k], lab);
			}
		}
		free(cx);
		free(cy);
	}

	if (ok) {
		struct dataset *grid = registry_add_dataset(reg, "grid",
		    "x,y,boundary,density0,density1");
		for (size_t k = 0; k < g * g; k++)
			dataset_append(grid, px[k], py[k], field[k], density[0][k], density[1][k]);

		struct dataset *moons = registry_add_dataset(reg, "moons", "x1,x2,label");
		dataset_set_column(moons, "x1", x1, n);
		dataset_set_column(moons, "x2", x2, n);
		dataset_set_column(moons, "label", label, n);
		x1 = x2 = label = NULL;

		struct dataset *contours = registry_add_dataset(reg, "contours",
		    "$name,level,segment,point,x,y");
		/* contour(levels=[0]): matplotlib falls back to zmin when 0 lies
		 * outside the field's range. */
		double zmin = array_min(field, g * g), zmax = array_max(field, g * g);
		double level0 = (0.0 > zmin && 0.0 < zmax) ? 0.0 : zmin;
		add_contour_lines(contours, "boundary", xs, g, ys, g, field, level0);
		for (int c = 0; c < 2; c++) {
			double levels[MAX_LEVELS];
			double dmin = array_min(density[c], g * g), dmax = array_max(density[c], g * g);
			size_t nl = contour_auto_levels(dmin, dmax, (int)cfg->kde.levels, levels,
			    MAX_LEVELS);
			if (nl > MAX_LEVELS)
				nl = MAX_LEVELS;
			char name[64], lab[128];
			snprintf(name, sizeof name, "kde.levels.class%d.count", c);
			snprintf(lab, sizeof lab, "类别 %d 等高线层数", c);
			registry_set_result(reg, name, (double)nl, lab);
			for (size_t l = 0; l < nl; l++) {
				snprintf(name, sizeof name, "kde.levels.class%d.%zu", c, l);
				snprintf(lab, sizeof lab, "类别 %d 等高线第 %zu 层", c, l);
				registry_set_result(reg, name, levels[l], lab);
				add_contour_lines(contours, c == 0 ? "kde0" : "kde1", xs, g, ys, g,
				    density[c], levels[l]);
			}
		}
	}

	for (int c = 0; c < 2; c++) {
		kde2_free(&kde[c]);
		free(density[c]);
	}
	free(x1);
	free(x2);
	free(label);
	free(xs);
	free(ys);
	free(px);
	free(py);
	free(field);
	return ok;
}

/* Figure 2: prior and posterior densities, the KL curve, the beta-VAE terms. */
static bool
compute_figure2(const struct report_config *cfg, struct registry *reg)
{
	const double pm = cfg->prior.mean, ps = cfg->prior.std;
	const double qm = cfg->posterior.q_mean, qs = cfg->posterior.q_std;

	size_t nz = (size_t)cfg->prior.z_points;
	double *z = alloc_doubles(nz), *pz = alloc_doubles(nz), *qz = alloc_doubles(nz);
	linspace(cfg->prior.z_min, cfg->prior.z_max, nz, z);
	for (size_t i = 0; i < nz; i++) {
		pz[i] = normal_pdf(z[i], pm, ps);
		qz[i] = normal_pdf(z[i], qm, qs);
	}
	struct dataset *elbo = registry_add_dataset(reg, "elbo", "z,p_z,q_z");
	dataset_set_column(elbo, "z", z, nz);
	dataset_set_column(elbo, "p_z", pz, nz);
	dataset_set_column(elbo, "q_z", qz, nz);

	size_t nk = (size_t)cfg->kl.points;
	double *means = alloc_doubles(nk), *kl = alloc_doubles(nk);
	linspace(cfg->kl.mean_min, cfg->kl.mean_max, nk, means);
	for (size_t i = 0; i < nk; i++)
		kl[i] = kl_normal_closed(means[i], qs, pm, ps);
	struct dataset *klc = registry_add_dataset(reg, "kl_curve", "mean,kl");
	dataset_set_column(klc, "mean", means, nk);
	dataset_set_column(klc, "kl", kl, nk);

	double closed = kl_normal_closed(qm, qs, pm, ps);
	struct quad_result quad = kl_normal_quad(qm, qs, pm, ps);
	if (!quad.ok) {
		diag_emit(DIAG_COMPUTE, NULL, 0, 0, "KL(q||p) by quadrature", quad.error);
		return false;
	}
	registry_set_result(reg, "kl.at_mean", closed, "KL(q‖p) 闭式解");
	registry_set_result(reg, "kl.quad", quad.value, "KL(q‖p) 数值积分");
	registry_set_result(reg, "kl.quad_abserr", quad.abserr, "KL 数值积分误差估计");
	registry_set_result(reg, "kl.difference", quad.value - closed, "数值积分 − 闭式解");

	size_t nb = (size_t)cfg->beta_vae.points;
	double *beta = alloc_doubles(nb), *rec = alloc_doubles(nb);
	double *bkl = alloc_doubles(nb), *elbo_v = alloc_doubles(nb);
	logspace(cfg->beta_vae.log10_beta_min, cfg->beta_vae.log10_beta_max, nb, beta);
	for (size_t i = 0; i < nb; i++) {
		rec[i] = 1.0 * cfg->beta_vae.reconstruction;
		bkl[i] = beta[i] * cfg->beta_vae.kl;
		elbo_v[i] = rec[i] - bkl[i];
	}
	struct dataset *bv = registry_add_dataset(reg, "beta_vae",
	    "beta,reconstruction,beta_kl,elbo");
	dataset_set_column(bv, "beta", beta, nb);
	dataset_set_column(bv, "reconstruction", rec, nb);
	dataset_set_column(bv, "beta_kl", bkl, nb);
	dataset_set_column(bv, "elbo", elbo_v, nb);
	return true;
}

static void
add_histogram(struct dataset *ds, const char *name, const double *a, size_t n, size_t bins)
{
	struct histogram h;
	histogram_compute(&h, a, n, bins);
	for (size_t k = 0; k < bins; k++)
		dataset_append(ds, name, (double)k, h.edges[k], h.edges[k + 1], h.count[k],
		    h.density[k]);
	histogram_free(&h);
}

/* Figure 3: direct and reparameterized draws from one reseeded stream. */
static bool
compute_figure3(const struct report_config *cfg, struct registry *reg)
{
	size_t n = (size_t)cfg->reparam.n;
	const double mu = cfg->reparam.mu, sigma = cfg->reparam.sigma;
	double *orig = alloc_doubles(n), *eps = alloc_doubles(n), *rep = alloc_doubles(n);
	struct np_rng *rng = np_rng_new(cfg->reparam.seed);
	for (size_t i = 0; i < n; i++)
		orig[i] = np_rng_normal(rng, mu, sigma);
	for (size_t i = 0; i < n; i++)
		eps[i] = np_rng_normal(rng, 0.0, 1.0);
	np_rng_free(rng);
	for (size_t i = 0; i < n; i++)
		rep[i] = mu + sigma * eps[i];

	set_stat_results(reg, "reparam.original", orig, n, 1, "原始采样 z");
	set_stat_results(reg, "reparam.epsilon", eps, n, 1, "噪声 ε");
	set_stat_results(reg, "reparam.reparam", rep, n, 1, "重参数化 z");

	struct dataset *hist = registry_add_dataset(reg, "histograms",
	    "$name,bin,left,right,count,density");
	add_histogram(hist, "original", orig, n, (size_t)cfg->reparam.bins);
	add_histogram(hist, "reparam", rep, n, (size_t)cfg->reparam.bins);

	/* The density the histograms are compared with, N(mu, sigma^2). */
	size_t np = (size_t)cfg->reparam.x_points;
	double *px = alloc_doubles(np), *pdf = alloc_doubles(np);
	linspace(cfg->reparam.x_min, cfg->reparam.x_max, np, px);
	for (size_t i = 0; i < np; i++)
		pdf[i] = normal_pdf(px[i], mu, sigma);
	struct dataset *curve = registry_add_dataset(reg, "reparam_pdf", "x,pdf");
	dataset_set_column(curve, "x", px, np);
	dataset_set_column(curve, "pdf", pdf, np);

	struct dataset *ds = registry_add_dataset(reg, "reparam", "original,epsilon,reparam");
	dataset_set_column(ds, "original", orig, n);
	dataset_set_column(ds, "epsilon", eps, n);
	dataset_set_column(ds, "reparam", rep, n);
	return true;
}

/* Figure 4: the GAN stages, D*, and the seed's unevaluated identity. */
static bool
compute_figure4(const struct report_config *cfg, struct registry *reg)
{
	static const char *const stages[3] = {"initial", "training", "converged"};
	static const char *const stage_cn[3] = {"初始阶段", "训练中阶段", "收敛阶段"};
	const struct mixture *pg[3] = {&cfg->gan.p_g_initial, &cfg->gan.p_g_training,
	    &cfg->gan.p_g_converged};
	const struct mixture *pd = &cfg->gan.p_data;

	size_t n = (size_t)cfg->gan.x_points;
	double *x = alloc_doubles(n), *pdata = alloc_doubles(n);
	double *g[3], *d[3];
	linspace(cfg->gan.x_min, cfg->gan.x_max, n, x);
	for (size_t i = 0; i < n; i++)
		pdata[i] = mixture_pdf(pd, x[i]);
	double max_dev_converged = 0.0, max_dev_x = x[0], max_dev_p = pdata[0], pdata_max = 0.0;
	for (size_t i = 0; i < n; i++)
		pdata_max = fmax(pdata_max, pdata[i]);
	for (int s = 0; s < 3; s++) {
		g[s] = alloc_doubles(n);
		d[s] = alloc_doubles(n);
		for (size_t i = 0; i < n; i++) {
			g[s][i] = mixture_pdf(pg[s], x[i]);
			d[s][i] = pdata[i] / (pdata[i] + g[s][i] + cfg->gan.epsilon);
			if (s == 2 && fabs(d[s][i] - 0.5) > max_dev_converged) {
				max_dev_converged = fabs(d[s][i] - 0.5);
				max_dev_x = x[i];
				max_dev_p = pdata[i];
			}
		}
	}
	struct dataset *ds = registry_add_dataset(reg, "gan",
	    "x,p_data,p_g_initial,p_g_training,p_g_converged,d_initial,d_training,d_converged");
	dataset_set_column(ds, "x", x, n);
	dataset_set_column(ds, "p_data", pdata, n);
	dataset_set_column(ds, "p_g_initial", g[0], n);
	dataset_set_column(ds, "p_g_training", g[1], n);
	dataset_set_column(ds, "p_g_converged", g[2], n);
	dataset_set_column(ds, "d_initial", d[0], n);
	dataset_set_column(ds, "d_training", d[1], n);
	dataset_set_column(ds, "d_converged", d[2], n);
	registry_set_result(reg, "gan.d_converged.max_dev", max_dev_converged,
	    "收敛阶段 max|D*(x) − 1/2|（网格上）");
	registry_set_result(reg, "gan.d_converged.max_dev_x", max_dev_x,
	    "收敛阶段 |D*(x) − 1/2| 最大处的 x");
	registry_set_result(reg, "gan.d_converged.max_dev_p_data", pdata_max > 0 ?
	    max_dev_p / pdata_max : 0.0, "该处 p_data 与 p_data 最大值之比");

	const double log2 = log(2.0);
	double jsv[3];
	for (int s = 0; s < 3; s++) {
		struct quad_result js = js_mixture(pd, pg[s]);
		struct quad_result v = gan_value(pd, pg[s]);
		if (!js.ok || !v.ok) {
			diag_emit(DIAG_COMPUTE, NULL, 0, 0, "GAN divergences by quadrature",
			    js.ok ? v.error : js.error);
			return false;
		}
		char name[64], lab[128];
		snprintf(name, sizeof name, "gan.js.%s", stages[s]);
		snprintf(lab, sizeof lab, "%s JS(p_data‖p_g)", stage_cn[s]);
		registry_set_result(reg, name, js.value, lab);
		jsv[s] = js.value;
		snprintf(name, sizeof name, "gan.v.%s", stages[s]);
		snprintf(lab, sizeof lab, "%s V(D*, G)", stage_cn[s]);
		registry_set_result(reg, name, v.value, lab);
		snprintf(name, sizeof name, "gan.identity_residual.%s", stages[s]);
		snprintf(lab, sizeof lab, "%s V − (−2 log 2 + 2·JS)", stage_cn[s]);
		registry_set_result(reg, name, v.value - (-2.0 * log2 + 2.0 * js.value), lab);
	}
	registry_set_result(reg, "gan.js.decreasing", jsv[0] > jsv[1] && jsv[1] > jsv[2] ? 1.0 : 0.0,
	    "JS 随阶段严格减小（1 是，0 否）");
	return true;
}

struct registry *
compute_all(const struct report_config *cfg)
{
	/* Every GSL status is checked by the caller of each routine. */
	gsl_set_error_handler_off();

	struct registry *reg = registry_new();
	if (!compute_figure1(cfg, reg) || !compute_figure2(cfg, reg) ||
	    !compute_figure3(cfg, reg) || !compute_figure4(cfg, reg)) {
		registry_free(reg);
		return NULL;
	}
	return reg;
}
