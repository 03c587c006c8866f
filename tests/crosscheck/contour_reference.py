#!/usr/bin/python3
"""Dev-only: dump matplotlib 3.6's contour polylines and auto levels as text,
for tests/crosscheck/contour_crosscheck.c to compare against src/contour.c and
src/locator.c.  The project never runs this; it needs Debian's python3 with
numpy, scipy, scikit-learn and matplotlib (Agg backend).

    /usr/bin/python3 tests/crosscheck/contour_reference.py > /tmp/contour_ref.txt

Output format (all numbers repr()-exact, whitespace-separated):
    grid NAME NX NY            then lines "x ...", "y ...", "z ..." (row-major)
    level LEVEL NLINES         then per line: "line NPOINTS CLOSED" and
                               NPOINTS lines "X Y"; CLOSED is 1 when
                               matplotlib's path code ends in CLOSEPOLY
    autolev ZMIN ZMAX N COUNT LEV...   levels contour(levels=N) picks
    ticks KIND NBINS INTEGER SYMMETRIC MIN_N VMIN VMAX COUNT TICK...
"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import ticker  # noqa: E402
from scipy.stats import gaussian_kde  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402

assert matplotlib.rcParams["contour.algorithm"] == "mpl2014"
out = sys.stdout


def r(v):
    return repr(float(v))


def dump_grid(name, x, y, z, levels):
    """levels: a list of values or an int (matplotlib's automatic levels)."""
    fig, ax = plt.subplots()
    cs = ax.contour(x, y, z, levels=levels)
    out.write(f"grid {name} {len(x)} {len(y)}\n")
    out.write("x " + " ".join(map(r, x)) + "\n")
    out.write("y " + " ".join(map(r, y)) + "\n")
    out.write("z " + " ".join(map(r, np.asarray(z).ravel())) + "\n")
    for lev, segs, kinds in zip(cs.levels, cs.allsegs, cs.allkinds):
        out.write(f"level {r(lev)} {len(segs)}\n")
        for seg, kind in zip(segs, kinds):
            closed = int(kind is not None and len(kind) and kind[-1] == 79)
            out.write(f"line {len(seg)} {closed}\n")
            for px, py in seg:
                out.write(f"{r(px)} {r(py)}\n")
    plt.close(fig)


def seed_figure1():
    np.random.seed(42)
    X, y = make_moons(n_samples=200, noise=0.1)
    x_min, x_max = X[:, 0].min() - 0.5, X[:, 0].max() + 0.5
    y_min, y_max = X[:, 1].min() - 0.5, X[:, 1].max() + 0.5
    gx = np.linspace(x_min, x_max, 50)
    gy = np.linspace(y_min, y_max, 50)
    xx, yy = np.meshgrid(gx, gy)
    dump_grid("seed_boundary", gx, gy, 0.5 * xx + 0.3 * yy - 0.2, [0])
    positions = np.vstack([xx.ravel(), yy.ravel()])
    for c in (0, 1):
        kde = gaussian_kde(X[y == c].T)
        dens = kde(positions).reshape(xx.shape)
        dump_grid(f"seed_kde{c}", gx, gy, dens, 5)


def random_grids():
    rng = np.random.default_rng(2014)
    for k in range(60):
        nx, ny = int(rng.integers(2, 14)), int(rng.integers(2, 14))
        kind = k % 6
        x = np.cumsum(rng.uniform(0.1, 2.0, nx)) - 3
        y = np.cumsum(rng.uniform(0.1, 2.0, ny)) - 2
        if kind == 0:    # noise: many saddles
            z = rng.normal(size=(ny, nx))
            levels = sorted(set(np.round(rng.normal(size=3), 2)))
        elif kind == 1:  # small integers, levels equal to grid values
            z = rng.integers(-2, 3, size=(ny, nx)).astype(float)
            levels = [-1.0, 0.0, 1.0]
        elif kind == 2:  # smooth bumps: closed loops and border crossings
            X, Y = np.meshgrid(np.linspace(-3, 3, nx), np.linspace(-3, 3, ny))
            z = (np.exp(-((X - rng.normal()) ** 2 + (Y - rng.normal()) ** 2))
                 - 0.7 * np.exp(-((X + 1) ** 2 + (Y - 1) ** 2) / 0.5))
            levels = 7
        elif kind == 3:  # checkerboard: every interior quad a saddle
            z = np.indices((ny, nx)).sum(axis=0) % 2 + 0.1 * rng.normal(size=(ny, nx))
            levels = [0.5]
        elif kind == 4:  # descending x, uniform y
            x = x[::-1].copy()
            y = np.linspace(0, 1, ny)
            z = np.sin(x)[None, :] * np.cos(3 * y)[:, None] + 0.05 * rng.normal(size=(ny, nx))
            levels = 5
        else:            # a plane: one straight line
            z = 0.5 * x[None, :] - 0.3 * y[:, None]
            levels = [float(np.round(np.median(z), 1))]
        if not isinstance(levels, int):
            lo, hi = z.min(), z.max()
            if not any(lo < v < hi for v in levels):
                levels = sorted(set(levels) | {float((lo + hi) / 2)})
        dump_grid(f"random{k}", x, y, z, levels)
    # Larger grids: many saddles, many small loops.
    x = np.linspace(-4, 4, 97)
    y = np.linspace(-3, 3, 71)
    dump_grid("noise97x71", x, y, rng.normal(size=(71, 97)), [-1.0, 0.0, 0.3, 1.5])
    X, Y = np.meshgrid(x, y)
    dump_grid("waves97x71", x, y, np.sin(3 * X) * np.cos(2 * Y) + 0.1 * X, 9)
    # Hand-made cases also pinned in tests/unit/test_contour.c.
    dump_grid("peak3", [0.0, 1.0, 2.0], [0.0, 1.0, 2.0],
              np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], float), [0.5])
    dump_grid("saddle", [0.0, 1.0, 2.0], [0.0, 1.0],
              np.array([[1, 0, 1], [0, 1, 0]], float), [0.5])


def auto_levels():
    rng = np.random.default_rng(5)
    cases = [(0.0, 0.6698, 5), (0.0, 0.37, 5), (-1.0, 1.0, 7)]
    for _ in range(1500):
        e = rng.uniform(-6, 6)
        a = rng.normal() * 10 ** e
        b = a + abs(rng.normal()) * 10 ** (e - rng.uniform(-1, 3))
        cases.append((a, b, int(rng.integers(1, 12))))
    for zmin, zmax, n in cases:
        fig, ax = plt.subplots()
        z = np.array([[zmin, zmax], [zmax, zmin]], float)
        cs = ax.contour([0.0, 1.0], [0.0, 1.0], z, levels=n)
        lev = list(cs.levels)
        out.write(f"autolev {r(zmin)} {r(zmax)} {n} {len(lev)} "
                  + " ".join(map(r, lev)) + "\n")
        plt.close(fig)


def ticks():
    rng = np.random.default_rng(1)
    for _ in range(5000):
        kind = "auto" if rng.random() < 0.5 else "default"
        nbins = int(rng.integers(1, 12))
        integer = int(rng.random() < 0.15)
        sym = int(rng.random() < 0.1)
        minn = int(rng.integers(0, 4))
        e = rng.uniform(-15, 15)
        u = rng.random()
        if u < 0.3:
            a, b = rng.normal() * 10 ** e, rng.normal() * 10 ** e
        elif u < 0.5:   # narrow range far from zero: offsets
            a = rng.normal() * 10 ** e
            b = a + abs(rng.normal()) * 10 ** (e - rng.uniform(0, 16))
        elif u < 0.6:
            a = b = rng.normal() * 10 ** e
        else:
            a = rng.uniform(-5, 5)
            b = a + rng.uniform(0, 3)
        kw = dict(integer=bool(integer), symmetric=bool(sym), min_n_ticks=minn)
        if kind == "auto":
            kw["steps"] = [1, 2, 2.5, 5, 10]
        t = ticker.MaxNLocator(nbins, **kw).tick_values(float(a), float(b))
        out.write(f"ticks {kind} {nbins} {integer} {sym} {minn} {r(a)} {r(b)} "
                  f"{len(t)} " + " ".join(map(r, t)) + "\n")


seed_figure1()
random_grids()
auto_levels()
ticks()
