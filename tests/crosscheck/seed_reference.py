#!/usr/bin/python3
"""Independent reference run of the seed's own code (dev-only cross-check).

usage: /usr/bin/python3 tests/crosscheck/seed_reference.py OUTDIR

Repeats every computation of ../shared/seed/000_b639a3a2883cbd9b.txt with the
same library calls in the same order (NumPy's legacy global RandomState,
sklearn's make_moons, scipy's gaussian_kde and stats.norm, matplotlib's contour
on the Agg backend) and writes OUTDIR/*.csv in the format of DESIGN.md's CSV
table, numbers as '%.17g'.  results.csv also holds scalars the seed implies
but never prints (KL by quadrature, JS divergences, V(D*,G)), computed here
with scipy.integrate.quad.

Needs Debian's python3-numpy, python3-scipy, python3-sklearn and
python3-matplotlib (NumPy 1.24, SciPy 1.10, scikit-learn 1.2, matplotlib 3.6).
The project itself never runs this: `make crosscheck` does, through
tests/crosscheck/run.sh.
"""
import math
import os
import sys
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import integrate, stats  # noqa: E402
from scipy.stats import gaussian_kde  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402

warnings.filterwarnings("ignore")  # as the seed does


def num(v):
    """'%.17g' of a number, exactly as C's printf prints it."""
    return format(float(v), ".17g")


def cell(v):
    return v if isinstance(v, str) else num(v)


def write_csv(outdir, name, header, rows):
    path = os.path.join(outdir, name)
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            assert len(row) == len(header), (name, row)
            f.write(",".join(cell(v) for v in row) + "\n")


# Quadrature settings for the scalars that need an integral over the real
# line.  quad's default tolerances (1.49e-8) are far too loose for a 1e-12
# comparison; epsrel=1e-13 is close to the smallest quad accepts (50 eps).
QUAD = dict(epsabs=0.0, epsrel=1e-13, limit=500)


def quad_inf(name, f):
    """∫ f over the real line; refuses a result quad itself flags as unreliable."""
    value, err, info, *msg = integrate.quad(f, -np.inf, np.inf, full_output=1, **QUAD)
    if msg and not (value == 0.0 and err == 0.0):
        sys.stderr.write(f"seed_reference.py: {name}: quad: {msg[0]}\n")
        sys.exit(1)
    if os.environ.get("SEED_REFERENCE_VERBOSE"):
        sys.stderr.write(f"{name}: {value!r} (error estimate {err:.2g}, "
                         f"{info['neval']} evaluations)\n")
    return value


def figure1(results):
    """GenerativeModelsOverview.visualize_generative_vs_discriminative."""
    np.random.seed(42)
    X, y = make_moons(n_samples=200, noise=0.1)

    fig, axes = plt.subplots(1, 3, figsize=(15, 5))
    scatter = axes[0].scatter(X[:, 0], X[:, 1], c=y, cmap="viridis", alpha=0.7)
    plt.colorbar(scatter, ax=axes[0])

    x_min, x_max = X[:, 0].min() - 0.5, X[:, 0].max() + 0.5
    y_min, y_max = X[:, 1].min() - 0.5, X[:, 1].max() + 0.5
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, 50),
                         np.linspace(y_min, y_max, 50))

    decision_boundary = 0.5 * xx + 0.3 * yy - 0.2

    cs_boundary = axes[1].contour(xx, yy, decision_boundary, levels=[0],
                                  colors="red", linewidths=2)
    axes[1].scatter(X[:, 0], X[:, 1], c=y, cmap="viridis", alpha=0.7)

    X_class0 = X[y == 0]
    X_class1 = X[y == 1]

    kde0 = gaussian_kde(X_class0.T)
    kde1 = gaussian_kde(X_class1.T)

    positions = np.vstack([xx.ravel(), yy.ravel()])
    density0 = kde0(positions).reshape(xx.shape)
    density1 = kde1(positions).reshape(xx.shape)

    cs0 = axes[2].contour(xx, yy, density0, levels=5, colors="blue", alpha=0.6)
    cs1 = axes[2].contour(xx, yy, density1, levels=5, colors="orange", alpha=0.6)
    axes[2].scatter(X[:, 0], X[:, 1], c=y, cmap="viridis", alpha=0.7)
    plt.close(fig)

    moons = [(X[i, 0], X[i, 1], int(y[i])) for i in range(len(y))]
    grid = []
    ny, nx = xx.shape
    for j in range(ny):
        for i in range(nx):
            grid.append((xx[j, i], yy[j, i], decision_boundary[j, i],
                         density0[j, i], density1[j, i]))
    contours = []
    for name, cs in (("boundary", cs_boundary), ("kde0", cs0), ("kde1", cs1)):
        assert len(cs.allsegs) == len(cs.levels)
        for level, segs in zip(cs.levels, cs.allsegs):
            for s, seg in enumerate(segs):
                for p in range(seg.shape[0]):
                    contours.append((name, level, s, p, seg[p, 0], seg[p, 1]))

    # Sample statistics of the noisy points: np.mean, np.std (ddof=0).
    results.append(("moons.n", len(y)))
    results.append(("moons.x1.mean", np.mean(X[:, 0])))
    results.append(("moons.x1.std", np.std(X[:, 0])))
    results.append(("moons.x2.mean", np.mean(X[:, 1])))
    results.append(("moons.x2.std", np.std(X[:, 1])))
    results.append(("grid.x_min", x_min))
    results.append(("grid.x_max", x_max))
    results.append(("grid.y_min", y_min))
    results.append(("grid.y_max", y_max))
    for cls, kde in (("class0", kde0), ("class1", kde1)):
        results.append((f"kde.{cls}.n", kde.n))
        results.append((f"kde.{cls}.factor", kde.factor))
        results.append((f"kde.{cls}.cov_xx", kde.covariance[0, 0]))
        results.append((f"kde.{cls}.cov_xy", kde.covariance[0, 1]))
        results.append((f"kde.{cls}.cov_yy", kde.covariance[1, 1]))
    # cs.levels as matplotlib 3.6 keeps them: MaxNLocator's ticks trimmed to
    # one below zmin and one above zmax, so 0 and a level above the maximum
    # stay in the list although no line is drawn at them.
    for cls, cs in (("class0", cs0), ("class1", cs1)):
        results.append((f"kde.levels.{cls}.count", len(cs.levels)))
        for k, level in enumerate(cs.levels):
            results.append((f"kde.levels.{cls}.{k}", level))
    return moons, grid, contours


def figure2(results):
    """VariationalAutoencoders.visualize_elbo_components."""
    z = np.linspace(-3, 3, 100)
    p_z = stats.norm.pdf(z, 0, 1)

    q_z_mean = 0.5
    q_z_std = 0.8
    q_z = stats.norm.pdf(z, q_z_mean, q_z_std)

    kl_values = []
    means = np.linspace(-2, 2, 100)
    for mean in means:
        q_dist = stats.norm(mean, q_z_std)  # noqa: F841 (unused, as in the seed)
        p_dist = stats.norm(0, 1)  # noqa: F841
        kl = 0.5 * (q_z_std**2 + mean**2 - 1 - np.log(q_z_std**2))
        kl_values.append(kl)

    beta_values = np.logspace(-2, 1, 50)
    reconstruction_term = np.ones_like(beta_values) * 100
    kl_term = beta_values * 5
    elbo_values = reconstruction_term - kl_term

    # The KL at the current mean, in the seed's closed form, and the same
    # divergence by quadrature of q log(q/p) (log densities, so that the
    # tails where both pdfs underflow contribute 0, not nan).
    results.append(("kl.at_mean",
                    0.5 * (q_z_std**2 + q_z_mean**2 - 1 - np.log(q_z_std**2))))

    def kl_integrand(t):
        lq = stats.norm.logpdf(t, q_z_mean, q_z_std)
        lp = stats.norm.logpdf(t, 0, 1)
        return math.exp(lq) * (lq - lp)

    kl_quad = quad_inf("kl.quad", kl_integrand)
    results.append(("kl.quad", kl_quad))
    results.append(("kl.difference", kl_quad - results[-2][1]))

    elbo = list(zip(z, p_z, q_z))
    kl_curve = list(zip(means, kl_values))
    beta_vae = list(zip(beta_values, reconstruction_term, kl_term, elbo_values))
    return elbo, kl_curve, beta_vae


def figure3(results):
    """VariationalAutoencoders.visualize_reparameterization."""
    mu = 2.0
    sigma = 1.5

    np.random.seed(42)
    samples_original = np.random.normal(mu, sigma, 1000)
    epsilon = np.random.normal(0, 1, 1000)
    samples_reparam = mu + sigma * epsilon

    reparam = list(zip(samples_original, epsilon, samples_reparam))
    histograms = []
    for name, samples in (("original", samples_original), ("reparam", samples_reparam)):
        # plt.hist(samples, bins=30, density=True) calls exactly this.
        density, edges = np.histogram(samples, bins=30, density=True)
        counts, edges2 = np.histogram(samples, bins=30, density=False)
        assert np.array_equal(edges, edges2)
        for b in range(30):
            histograms.append((name, b, edges[b], edges[b + 1], counts[b], density[b]))

    for name, v in (("original", samples_original), ("epsilon", epsilon),
                    ("reparam", samples_reparam)):
        results.append((f"reparam.{name}.mean", np.mean(v)))
        results.append((f"reparam.{name}.std", np.std(v)))
    # The red curve of both histogram panels.
    x = np.linspace(-2, 6, 100)
    reparam_pdf = list(zip(x, stats.norm.pdf(x, mu, sigma)))
    return reparam, histograms, reparam_pdf


def figure4(results):
    """GenerativeAdversarialNetworks.visualize_gan_training."""
    x = np.linspace(-3, 3, 100)
    p_data = 0.3 * stats.norm.pdf(x, -1, 0.5) + 0.7 * stats.norm.pdf(x, 1.5, 0.3)

    training_stages = [
        ("初始", stats.norm.pdf(x, 0, 1)),
        ("训练中", 0.5 * stats.norm.pdf(x, -0.5, 0.8) + 0.5 * stats.norm.pdf(x, 1, 0.6)),
        ("收敛", p_data),
    ]

    d_optimal = []
    for i, (stage, p_g) in enumerate(training_stages):
        D_optimal = p_data / (p_data + p_g + 1e-8)
        d_optimal.append(D_optimal)

    results.append(("gan.d_converged.max_dev", np.max(np.abs(d_optimal[2] - 0.5))))

    gan = [(x[k], p_data[k],
            training_stages[0][1][k], training_stages[1][1][k], training_stages[2][1][k],
            d_optimal[0][k], d_optimal[1][k], d_optimal[2][k]) for k in range(len(x))]

    # The identity the text states but never evaluates:
    #   V(D*,G) = ∫ p_data log D* + ∫ p_g log(1 - D*) = -2 log 2 + 2 JS(p_data||p_g)
    # with the exact D* = p_data/(p_data + p_g) (no 1e-8) and natural logs.
    # The integrands work with log densities, so that the far tails, where
    # the densities underflow, contribute 0 instead of 0*log(0/0), and with
    # log1p of the log-ratio, so that p_g == p_data gives exactly
    # p log(p/m) = 0 and JS = 0 for the converged stage.
    log2 = math.log(2.0)
    half_log_2pi = 0.5 * math.log(2.0 * math.pi)

    def mix(t, comps):
        """log of sum w N(t; m, s) (stats.norm.logpdf's formula, unvectorised)."""
        terms = [math.log(w) - 0.5 * ((t - m) / s) ** 2 - math.log(s) - half_log_2pi
                 for w, m, s in comps]
        top = max(terms)
        return top + math.log(math.fsum(math.exp(u - top) for u in terms))

    def log_ratios(lp, lg, plus):
        """(log p - log r, log g - log r) for r = (p + g)/2 when plus is 0.5,
        r = p + g when plus is 1."""
        lo, hi = (lp, lg) if lp <= lg else (lg, lp)
        d = lo - hi  # <= 0
        lr_minus_hi = math.log1p(math.expm1(d) * 0.5) if plus == 0.5 else math.log1p(math.exp(d))
        hi_minus_lr = -lr_minus_hi
        lo_minus_lr = d - lr_minus_hi
        return (lo_minus_lr, hi_minus_lr) if lp <= lg else (hi_minus_lr, lo_minus_lr)

    data_comps = [(0.3, -1, 0.5), (0.7, 1.5, 0.3)]
    stage_comps = {
        "initial": [(1.0, 0, 1)],
        "training": [(0.5, -0.5, 0.8), (0.5, 1, 0.6)],
        "converged": data_comps,
    }
    for stage, comps in stage_comps.items():
        def js_integrand(t, comps=comps):
            lp, lg = mix(t, data_comps), mix(t, comps)
            rp, rg = log_ratios(lp, lg, 0.5)  # log(p/m), log(g/m)
            return 0.5 * math.exp(lp) * rp + 0.5 * math.exp(lg) * rg

        def v_integrand(t, comps=comps):
            lp, lg = mix(t, data_comps), mix(t, comps)
            rp, rg = log_ratios(lp, lg, 1)  # log D*, log(1 - D*)
            return math.exp(lp) * rp + math.exp(lg) * rg

        js = quad_inf(f"gan.js.{stage}", js_integrand)
        v = quad_inf(f"gan.v.{stage}", v_integrand)
        results.append((f"gan.js.{stage}", js))
        results.append((f"gan.v.{stage}", v))
        results.append((f"gan.identity_residual.{stage}", v - (-2 * log2 + 2 * js)))
    return gan


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: seed_reference.py OUTDIR\n")
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    results = []

    moons, grid, contours = figure1(results)
    elbo, kl_curve, beta_vae = figure2(results)
    reparam, histograms, reparam_pdf = figure3(results)
    gan = figure4(results)

    write_csv(outdir, "moons.csv", ["x1", "x2", "label"], moons)
    write_csv(outdir, "grid.csv", ["x", "y", "boundary", "density0", "density1"], grid)
    write_csv(outdir, "contours.csv", ["name", "level", "segment", "point", "x", "y"], contours)
    write_csv(outdir, "elbo.csv", ["z", "p_z", "q_z"], elbo)
    write_csv(outdir, "kl_curve.csv", ["mean", "kl"], kl_curve)
    write_csv(outdir, "beta_vae.csv", ["beta", "reconstruction", "beta_kl", "elbo"], beta_vae)
    write_csv(outdir, "reparam.csv", ["original", "epsilon", "reparam"], reparam)
    write_csv(outdir, "reparam_pdf.csv", ["x", "pdf"], reparam_pdf)
    write_csv(outdir, "histograms.csv", ["name", "bin", "left", "right", "count", "density"],
              histograms)
    write_csv(outdir, "gan.csv", ["x", "p_data", "p_g_initial", "p_g_training", "p_g_converged",
                                  "d_initial", "d_training", "d_converged"], gan)
    names = [n for n, _ in results]
    assert len(names) == len(set(names)), "duplicate result name"
    write_csv(outdir, "results.csv", ["name", "value"], results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
