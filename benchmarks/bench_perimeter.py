"""One exact perimeter step (min-cut) against the HiGHS LP oracle, and the 256² / 512² targets, in one process."""

from __future__ import annotations

import time

import numpy as np

from maxslope.perimeter import Grid, perimeter_step


def _disc_step(n: int, solver: str) -> tuple[float, np.ndarray]:
    h = 1.0 / n
    G = Grid((n, n), h)
    A = G.indicator(lambda x: (x**2).sum(-1) <= 0.3**2)
    t0 = time.perf_counter()
    r = perimeter_step(A, 2e-3, 3 * h, G, solver=solver)
    return time.perf_counter() - t0, r.A


def run() -> list[dict]:
    rows = []
    n = 48
    t_cut, A_cut = _disc_step(n, "maxflow")
    t_lp, A_lp = _disc_step(n, "lp")
    assert np.array_equal(A_cut, A_lp), "the min-cut and the LP must return the same minimal minimizer"
    rows.append({"name": "perimeter step, disc, eps = 3h (min-cut)", "n": n * n, "t": t_cut, "baseline": "HiGHS LP oracle", "t_base": t_lp})
    for n, target in ((256, 2.0), (512, 20.0)):
        t, _ = _disc_step(n, "maxflow")
        rows.append({"name": f"perimeter step, disc, eps = 3h (target {target:g} s)", "n": n * n, "t": t, "baseline": "target", "t_base": target})
    return rows
