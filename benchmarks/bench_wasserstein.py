"""Exact transport against the peers a user would pick, in one process, with ratios.

* **W_∞ (bottleneck) against GUDHI** (the ``bench`` extra). ``gudhi.bottleneck_distance`` is the bottleneck
  matching of topological data analysis. Its default mode (``e=None``) may be wrong in the last bits; Hera with
  ``delta=0`` (``gudhi.hera.bottleneck_distance``) is its exact mode. Both clouds are lifted by (0, 10), far
  above the diagonal, so the diagonal never enters and the value is W_∞ with the ℓ∞ ground; maxslope gets the
  same lifted coordinates, so the values must agree bit for bit with Hera δ = 0. Families: two uniform clouds on
  [0, 1]², the second shifted by 0.3 (separated, W_∞ large against the spacing), and ten tight clusters.
* **W_2 against POT's** ``ot.emd2`` on its own squared-Euclidean cost (``ot.dist``), against maxslope's ``auto``.
* **A W_∞ speed check** of a 10-step particle flow of 10,000 particles: certified by the particles' coupling,
  against the exact W_∞ of every consecutive pair.

Hera δ = 0 takes minutes from n = 20,000 on, so it runs up to n = 5,000 unless ``--full`` is given (then up to
20,000) or ``--hera-max=N`` (up to N; ``--hera-max=100000`` adds about 25 minutes per family); sizes without it
report GUDHI's default mode as the baseline. Measured at n = 10⁵ on a 2-core machine (Hera δ = 0 against
maxslope, bit-identical values): uniform 1263 s against 41 s, clustered 1531 s against 22.7 s, shifted 1405 s
against 114.5 s.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from maxslope import Lp, SeparableQuadratic
from maxslope.checks import check_speed
from maxslope.schemes import steepest_descent
from maxslope.wasserstein import (
    Empirical,
    Wasserstein,
    bottleneck_assignment,
    wasserstein,
)

LINF = Lp(math.inf)
W_INF = Wasserstein(math.inf, LINF)
LIFT = np.array([0.0, 10.0])


def _clouds(family: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if family == "uniform":
        X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2))
    elif family == "shifted":
        X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2)) + 0.3
    else:  # ten clusters of width 0.01
        c = rng.uniform(size=(10, 2))
        X = c[rng.integers(0, 10, n)] + 0.01 * rng.standard_normal((n, 2))
        Y = c[rng.integers(0, 10, n)] + 0.01 * rng.standard_normal((n, 2))
    return X + LIFT, Y + LIFT


def _timed(f: Any, *a: Any, **k: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = f(*a, **k)
    return time.perf_counter() - t0, out


def w_inf_rows(sizes: tuple[int, ...], hera_max: int) -> list[dict]:
    import gudhi
    import gudhi.hera

    rng = np.random.default_rng(0)
    for method in ("sparse", "geometric"):  # JIT warm-up (compiled kernels load from Numba's cache)
        bottleneck_assignment(rng.uniform(size=(50, 2)), rng.uniform(size=(50, 2)), LINF, method=method)
    rows = []
    for family in ("uniform", "shifted", "clustered"):
        for n in sizes:
            X, Y = _clouds(family, n, rng)
            t, (v, _, info) = _timed(bottleneck_assignment, X, Y, LINF)
            t_g, v_g = _timed(gudhi.bottleneck_distance, X, Y)
            same = "=" if v_g == v else f"≠ (GUDHI {v_g - v:+.1e})"
            how = info["method"] + (f", switched at r = {info['switched_at']:.3g}" if "switched_at" in info else "")
            name = f"W_inf {family}, l_inf ({how}; {info['tests']} tests)"
            rows.append({"name": name, "n": n, "t": t, "baseline": f"GUDHI default {same}", "t_base": t_g})
            if n <= hera_max:
                t_h, v_h = _timed(gudhi.hera.bottleneck_distance, X, Y, delta=0)
                assert v_h == v, f"{family}, n = {n}: maxslope {v!r} and Hera delta=0 {v_h!r} must agree bit for bit"
                rows.append({"name": name, "n": n, "t": t, "baseline": "GUDHI Hera delta=0 (exact), =", "t_base": t_h})
    return rows


def _pot_w2(X: np.ndarray, Y: np.ndarray) -> float:
    import ot

    a = np.full(len(X), 1.0 / len(X))
    return math.sqrt(ot.emd2(a, a, ot.dist(X, Y), numItermax=10**8))


def w_2_rows(sizes: tuple[int, ...]) -> list[dict]:
    rng = np.random.default_rng(1)
    rows = []
    warm = rng.uniform(size=(300, 2))  # imports and first calls outside the timings
    wasserstein(Empirical(warm), Empirical(warm + 0.1), 2.0, Lp(2.0))
    _pot_w2(warm, warm + 0.1)
    for n in sizes:
        X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2)) + 0.3
        t, res = _timed(wasserstein, Empirical(X), Empirical(Y), 2.0, Lp(2.0))
        t_p, v_p = _timed(_pot_w2, X, Y)
        assert abs(res.value - v_p) <= 1e-12 * v_p, (res.value, v_p)
        rows.append({"name": f"W_2 shifted clouds, l2 (auto = {res.method})", "n": n, "t": t,
                     "baseline": "POT ot.emd2 on ot.dist", "t_base": t_p})
    return rows


def speed_check_row(n: int = 10_000) -> dict:
    rng = np.random.default_rng(2)
    flow = steepest_descent(SeparableQuadratic(np.array([1.0, 2.0])), W_INF, Empirical(rng.normal(size=(n, 2))), 0.05, steps=10)
    t, r = _timed(check_speed, flow, W_INF, pairs="all")
    t_e, r_e = _timed(check_speed, flow, W_INF, pairs="consecutive", certify=False)
    assert r.passed and r_e.passed
    return {"name": f"W_inf speed check, 10 steps, all {r.details['pairs']} pairs certified (target < 1 s)", "n": n, "t": t,
            "baseline": f"exact W_inf of the {r_e.details['pairs']} consecutive pairs", "t_base": t_e}


def run(large: bool = True, full: bool = False, hera_max: int | None = None) -> list[dict]:
    sizes = (1_000, 5_000, 20_000, 100_000) if large else (1_000, 5_000)
    rows = w_inf_rows(sizes, hera_max=hera_max if hera_max is not None else 20_000 if full else 5_000)
    rows += w_2_rows((1_000, 4_000, 10_000) if large else (1_000,))
    rows.append(speed_check_row(10_000 if large else 2_000))
    return rows
