"""Exact W_∞ of two uniform point clouds: the bottleneck search against the plain approach, in one process.

The plain approach (the issue's baseline): compute and sort all n² pairwise distances, binary-search the
threshold, and test each threshold graph (dense) for a perfect matching. With SciPy's
``maximum_bipartite_matching`` as the test it does not finish at n = 5,000 (its Hopcroft–Karp takes exponential
time on these layered graphs, scipy/scipy#26147: one test ran for more than ten minutes here), so the baseline
runs each test as SciPy's Dinic max-flow instead, which is correct and polynomial. Both return a pairwise
distance computed by the same function, and the values must agree bit for bit.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from maxslope import Lp
from maxslope.wasserstein import bottleneck_assignment, distance_matrix

LINF = Lp(math.inf)


def plain_bottleneck(X: np.ndarray, Y: np.ndarray, ground: Lp) -> float:
    n = X.shape[0]
    D = distance_matrix(X, Y, ground)
    vals = np.unique(D)
    s, t = 2 * n, 2 * n + 1
    ar = np.arange(n)
    a, b = 0, len(vals) - 1
    while a < b:
        mid = (a + b) // 2
        i, j = np.nonzero(D <= vals[mid])
        rows = np.concatenate([np.full(n, s), i, n + ar])
        cols = np.concatenate([ar, n + j, np.full(n, t)])
        g = sp.csr_array((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(2 * n + 2, 2 * n + 2))
        if maximum_flow(g, s, t, method="dinic").flow_value == n:
            b = mid
        else:
            a = mid + 1
    return float(vals[a])


def run(large: bool = True) -> list[dict]:
    rng = np.random.default_rng(0)
    bottleneck_assignment(rng.uniform(size=(50, 2)), rng.uniform(size=(50, 2)), LINF)  # JIT warm-up
    rows = []
    n = 5_000
    X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2))
    t0 = time.perf_counter()
    v, _, info = bottleneck_assignment(X, Y, LINF)
    t = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = plain_bottleneck(X, Y, LINF)
    t_base = time.perf_counter() - t0
    assert v == ref, f"bottleneck search {v!r} and plain approach {ref!r} must agree bit for bit"
    rows.append({"name": f"W_inf uniform 2-D clouds, l_inf ({info['tests']} tests)", "n": n, "t": t,
                 "baseline": "plain: sort n^2 distances + dense max-flow tests", "t_base": t_base})
    if large:
        n = 100_000
        X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2))
        t0 = time.perf_counter()
        _, _, info = bottleneck_assignment(X, Y, LINF)
        t = time.perf_counter() - t0
        rows.append({"name": f"W_inf uniform 2-D clouds, l_inf ({info['tests']} tests; target < 60 s)", "n": n, "t": t,
                     "baseline": "target", "t_base": 60.0})
    return rows
