"""One exact perimeter step (min-cut) against the HiGHS LP oracle, the 256² / 512² targets, and the point-cloud
perimeter (one k-d-tree nearest-neighbour query per side) against per-point neighbour lists, in one process."""

from __future__ import annotations

import time

import numpy as np

from maxslope.perimeter import Grid, cloud_perimeter, perimeter_step


def _disc_step(n: int, solver: str) -> tuple[float, np.ndarray]:
    h = 1.0 / n
    G = Grid((n, n), h)
    A = G.indicator(lambda x: (x**2).sum(-1) <= 0.3**2)
    t0 = time.perf_counter()
    r = perimeter_step(A, 2e-3, 3 * h, G, solver=solver)
    return time.perf_counter() - t0, r.A


def run(large: bool = True) -> list[dict]:
    rows = []
    n = 48
    t_cut, A_cut = _disc_step(n, "maxflow")
    t_lp, A_lp = _disc_step(n, "lp")
    assert np.array_equal(A_cut, A_lp), "the min-cut and the LP must return the same minimal minimizer"
    rows.append({"name": "perimeter step, disc, eps = 3h (min-cut)", "n": n * n, "t": t_cut, "baseline": "HiGHS LP oracle", "t_base": t_lp})
    for n, target in ((256, 2.0), (512, 20.0)) if large else ((256, 2.0),):
        t, _ = _disc_step(n, "maxflow")
        rows.append({"name": f"perimeter step, disc, eps = 3h (target {target:g} s)", "n": n * n, "t": t, "baseline": "target", "t_base": target})
    rows.append(_cloud(50_000))
    return rows


def _neighbour_lists(X: np.ndarray, a: np.ndarray, eps: float) -> float:
    """Baseline: every point's ε-neighbour list (query_ball_point), then a max / min over it."""
    from scipy.spatial import cKDTree

    lists = cKDTree(X).query_ball_point(X, r=eps)
    dil = sum(1 for i, nb in enumerate(lists) if not a[i] and a[nb].any())
    ero = sum(1 for i, nb in enumerate(lists) if a[i] and not a[nb].all())
    return (dil + ero) / (2 * len(X)) / eps


def _cloud(n: int) -> dict:
    X = np.random.default_rng(0).uniform(-1, 1, size=(n, 2))
    a = (X**2).sum(1) <= 0.25
    eps = 0.1
    t0 = time.perf_counter()
    v = cloud_perimeter(X, a, eps)
    t = time.perf_counter() - t0
    t0 = time.perf_counter()
    w = _neighbour_lists(X, a, eps)
    t_base = time.perf_counter() - t0
    assert abs(v - w) <= 1e-12 * max(1.0, abs(v)), (v, w)
    return {"name": "graph perimeter, disc, eps = 0.1 (k-d tree)", "n": n, "t": t, "baseline": "neighbour lists", "t_base": t_base}
