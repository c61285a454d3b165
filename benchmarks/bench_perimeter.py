"""One exact perimeter step against the HiGHS LP oracle and against the step's former full graph, and the point-cloud
perimeter (one k-d-tree nearest-neighbour query per side) against per-point neighbour lists, in one process.

The perimeter step (τ = 2·10⁻³, ε = 3h, a disc of radius 0.3 that shrinks and the complement of that disc, which
grows; the minimal minimizer) is timed in CPU seconds, the new path (certified band, shared row maxima, pseudoflow
where installed) against the former one: the full graph with one arc per ball cell, solved by PyMaxflow. The two
must return the same set. The arcs are counted as the max-flow codes receive them (inner arcs, once each).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from maxslope.perimeter import Grid, _band, _graph, cloud_perimeter, perimeter_step

TAU = 2e-3


@contextmanager
def _former_graph() -> Iterator[None]:
    """The step as it was: the full graph, one arc per ball cell, PyMaxflow."""
    saved = _band.MIN_CELLS, _band.GADGET, _graph.BACKEND
    _band.MIN_CELLS, _band.GADGET, _graph.BACKEND = 10**15, "direct", "bk"
    try:
        yield
    finally:
        _band.MIN_CELLS, _band.GADGET, _graph.BACKEND = saved


@contextmanager
def _arc_counter(into: list[int]) -> Iterator[None]:
    real = _graph.maximal_source_side

    def counted(n: int, tail: np.ndarray, *a: Any, **k: Any) -> np.ndarray:
        into.append(len(tail))
        return real(n, tail, *a, **k)

    _graph.maximal_source_side = counted  # type: ignore[assignment]
    try:
        yield
    finally:
        _graph.maximal_source_side = real  # type: ignore[assignment]


def _set(shape: tuple[int, ...], grow: bool) -> tuple[Grid, np.ndarray]:
    h = 1.0 / max(shape)
    G = Grid(shape, h)
    A = G.indicator(lambda x: (x**2).sum(-1) <= 0.3**2)
    return G, (~A if grow else A)


def _timed(G: Grid, A: np.ndarray) -> tuple[float, np.ndarray, int]:
    arcs: list[int] = []
    with _arc_counter(arcs):
        t0 = time.process_time()
        r = perimeter_step(A, TAU, 3 * G.h, G)
        t = time.process_time() - t0
    return t, r.A, sum(arcs)


def _warm() -> None:
    """Load numba's cached kernels (a first call in a process reads them from disk)."""
    saved = _band.MIN_CELLS
    _band.MIN_CELLS = 0
    try:
        G, A = _set((40, 40), False)
        perimeter_step(A, TAU, 3 * G.h, G)
    finally:
        _band.MIN_CELLS = saved


def _disc_step(n: int, solver: str) -> tuple[float, np.ndarray]:
    G, A = _set((n, n), False)
    t0 = time.perf_counter()
    r = perimeter_step(A, TAU, 3 * G.h, G, solver=solver)
    return time.perf_counter() - t0, r.A


def run(large: bool = True) -> list[dict]:
    rows = []
    n = 48
    t_cut, A_cut = _disc_step(n, "maxflow")
    t_lp, A_lp = _disc_step(n, "lp")
    assert np.array_equal(A_cut, A_lp), "the min-cut and the LP must return the same minimal minimizer"
    rows.append({"name": "perimeter step, disc, eps = 3h (min-cut)", "n": n * n, "t": t_cut, "baseline": "HiGHS LP oracle", "t_base": t_lp})
    _warm()
    fits: dict[bool, list[tuple[int, float, float]]] = {False: [], True: []}
    wants: dict[tuple[int, bool], np.ndarray] = {}
    code = "pseudoflow" if _graph.have_hpf() else "PyMaxflow"
    for n in (128, 256, 512) if large else (128, 256):
        for grow in (False, True):
            G, A = _set((n, n), grow)
            t, got, arcs = _timed(G, A)
            with _former_graph():
                t_base, want, arcs_base = _timed(G, A)
            assert np.array_equal(got, want), f"{n}^2: the new path and the former full graph return different sets"
            wants[n, grow] = want
            fits[grow].append((G.size, t, t_base))
            rows.append({"name": f"perimeter step, {n}², {'growing' if grow else 'shrinking'} disc, eps = 3h, CPU s, band + {code} "
                                 f"({arcs / G.size:.1f} arcs per cell solved, former {arcs_base / G.size:.1f})",
                         "n": G.size, "t": t, "baseline": "former full graph (PyMaxflow)", "t_base": t_base})
        if n == 512:  # without the hpf extra: the band with PyMaxflow (same baseline, measured above)
            G, A = _set((n, n), False)
            saved = _graph.BACKEND
            _graph.BACKEND = "bk"
            try:
                t, got, arcs = _timed(G, A)
            finally:
                _graph.BACKEND = saved
            assert np.array_equal(got, wants[n, False]), "the PyMaxflow band must return the full graph's set"
            rows.append({"name": f"perimeter step, {n}², shrinking disc, eps = 3h, CPU s, without pseudoflow (band + PyMaxflow)",
                         "n": G.size, "t": t, "baseline": "former full graph (PyMaxflow)", "t_base": fits[False][-1][2]})
    if large:
        for shape, target, label in (((1024, 1024), 10.0, "target 10 s"), ((96, 96, 96), 10.0, "the 2-D target, for scale (no 3-D target)")):
            G, A = _set(shape, False)
            t, _, arcs = _timed(G, A)
            rows.append({"name": f"perimeter step, {'x'.join(map(str, shape))}, shrinking, eps = 3h, CPU s, band + {code} "
                                 f"({arcs / G.size:.1f} arcs per cell solved)", "n": G.size, "t": t, "baseline": label, "t_base": target})
    for grow, pts in fits.items():
        if len(pts) >= 2:
            x = [math.log(p[0]) for p in pts]
            print(f"perimeter step, {'growing' if grow else 'shrinking'} disc: CPU time ~ cells^{_slope(x, [math.log(p[1]) for p in pts]):.2f} "
                  f"(former full graph: cells^{_slope(x, [math.log(p[2]) for p in pts]):.2f})")
    rows.append(_cloud(50_000))
    return rows


def _slope(x: list[float], y: list[float]) -> float:
    return float(np.polyfit(x, y, 1)[0])


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
