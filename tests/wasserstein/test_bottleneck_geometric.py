"""The geometric bottleneck matcher: bit-identical to the sparse search and to brute force, on every ground ℓp."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from maxslope import Lp
from maxslope.wasserstein import _geometric as geo
from maxslope.wasserstein import bottleneck_assignment, distance_matrix, pair_distances
from maxslope.wasserstein._matching import HAVE_NUMBA

pytestmark = pytest.mark.skipif(not HAVE_NUMBA, reason="the geometric matcher needs Numba (the 'fast' extra)")

PS = [1.0, 1.5, 2.0, 3.0, math.inf]


def _brute(D: np.ndarray) -> float:
    """The bottleneck value by brute force: the smallest distinct distance whose threshold graph has a perfect
    matching, each test a linear-sum assignment on the 0/1 cost of the edges above it."""
    for t in np.unique(D):
        r, c = linear_sum_assignment((D > t).astype(float))
        if not (D[r, c] > t).any():
            return float(t)
    raise AssertionError("unreachable")


def _clouds(kind: str, n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X, Y = rng.uniform(size=(n, d)), rng.uniform(size=(n, d))
    if kind == "shifted":
        Y = Y + 0.3
    elif kind == "ties":  # points on a coarse lattice: many equal distances
        X, Y = np.round(4 * X) / 4, np.round(4 * Y) / 4
    elif kind == "duplicates":
        X[: n // 2] = X[0]
        Y[: n // 2] = X[0]
    return X, Y


@pytest.mark.parametrize("p", PS, ids=str)
@pytest.mark.parametrize("kind", ["uniform", "shifted", "ties", "duplicates"])
def test_geometric_equals_sparse_and_brute_force(p: float, kind: str) -> None:
    rng = np.random.default_rng(int(10 * p) if p < math.inf else 99)
    g = Lp(p)
    for _ in range(12):
        n, d = int(rng.integers(1, 30)), int(rng.integers(1, 5))
        X, Y = _clouds(kind, n, d, rng)
        Xc, Yc = X.copy(), Y.copy()
        v, perm, info = bottleneck_assignment(X, Y, g, method="geometric")
        v_s, _, _ = bottleneck_assignment(X, Y, g, method="sparse")
        D = distance_matrix(X, Y, g)
        assert np.array_equal(X, Xc) and np.array_equal(Y, Yc)  # the caller's arrays are untouched
        assert sorted(perm.tolist()) == list(range(n))
        assert D[np.arange(n), perm].max() == v  # the permutation attains the value
        assert v == v_s == _brute(D), (n, d, kind)
        if n > 1:
            assert info["method"] == "geometric" and info["phases"] >= 1


def test_geometric_on_larger_separated_and_clustered_clouds() -> None:
    rng = np.random.default_rng(5)
    for p in (2.0, math.inf):
        g = Lp(p)
        for kind in ("shifted", "clustered"):
            n = 400
            if kind == "clustered":
                c = rng.uniform(size=(5, 2))
                X = c[rng.integers(0, 5, n)] + 0.01 * rng.standard_normal((n, 2))
                Y = c[rng.integers(0, 5, n)] + 0.01 * rng.standard_normal((n, 2))
            else:
                X, Y = _clouds("shifted", n, 2, rng)
            v, perm, _ = bottleneck_assignment(X, Y, g, method="geometric")
            assert v == bottleneck_assignment(X, Y, g, method="sparse")[0]
            assert pair_distances(X, Y, np.arange(n), perm, g).max() == v


def test_three_band_comparison_is_exercised_where_it_is_needed() -> None:
    # d = 3 with p = 2 sums three squares: the compiled distance may differ from NumPy's, so the band is on
    assert geo.band_factor(3, 2.0) > 1.0 and geo.band_factor(2, 2.0) == 1.0 and geo.band_factor(7, math.inf) == 1.0
    rng = np.random.default_rng(8)
    X, Y = rng.uniform(size=(200, 3)), rng.uniform(size=(200, 3)) + 0.2
    g = Lp(2.0)
    v, _, _ = bottleneck_assignment(X, Y, g, method="geometric")
    assert v == bottleneck_assignment(X, Y, g, method="sparse")[0]


def test_a_missing_band_pair_is_an_error_not_a_wrong_answer() -> None:
    # negative control: with the band table emptied, a pair inside the band must raise, never be guessed
    X, Y = np.array([[0.1, 0.2, 0.3]]), np.array([[0.7, -0.4, 0.9]])
    t = float(distance_matrix(X, Y, Lp(2.0))[0, 0])  # the one pair sits exactly at the threshold
    f = geo.band_factor(3, 2.0)
    row, col = np.full(1, -1, np.int64), np.full(1, -1, np.int64)
    tree = geo.build_tree(Y)
    with pytest.raises(RuntimeError, match="band"):
        geo.hopcroft_karp(X, Y, 2.0, t, f, geo.prune_factor(3), np.empty(0, np.int64), np.empty(0), row, col, tree,
                          np.zeros(2, np.int64))


def test_annulus_counts_match_brute_force() -> None:
    rng = np.random.default_rng(4)
    for p in PS:
        X, Y = rng.uniform(size=(60, 2)), rng.uniform(size=(60, 2))
        D = distance_matrix(X, Y, Lp(p))
        tree = geo.build_tree(Y)
        for a, b in itertools.combinations(np.quantile(D, [0.0, 0.1, 0.5, 0.9, 1.0]), 2):
            a -= 1e-9
            i, j = geo.list_pairs(X, Y, p, a, b, geo.prune_factor(2), tree)
            assert geo.count_pairs(X, Y, p, a, b, geo.prune_factor(2), tree) == len(i)
            assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(zip(*np.nonzero((D > a) & (D <= b)), strict=True))


def test_bottleneck_assignment_rejects_bad_input() -> None:
    X = np.zeros((3, 2))
    for grow in (1, 0, -1, math.nan, math.inf):
        with pytest.raises(ValueError, match="grow"):
            bottleneck_assignment(X, X, grow=grow)
    with pytest.raises(TypeError, match="grow"):
        bottleneck_assignment(X, X, grow="2")
    with pytest.raises(ValueError, match="method"):
        bottleneck_assignment(X, X, method="hera")
    with pytest.raises(ValueError, match="'X'"):
        bottleneck_assignment(np.full((3, 2), np.nan), X)
    with pytest.raises(ValueError, match="'Y'"):
        bottleneck_assignment(X, np.zeros((0, 2)))
    with pytest.raises(ValueError, match="same shape"):
        bottleneck_assignment(X, np.zeros((4, 2)))
    with pytest.raises(TypeError, match="'X'"):
        bottleneck_assignment(np.zeros((3, 2), dtype=complex), X)
    with pytest.raises(TypeError, match="ground"):
        bottleneck_assignment(X, X, ground=2.0)


def test_auto_lists_sparse_graphs_and_switches_on_dense_ones() -> None:
    from maxslope.wasserstein import distance

    rng = np.random.default_rng(12)
    n = 600
    X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2))
    v, _, info = bottleneck_assignment(X, Y, Lp(math.inf))
    assert info["method"] == "sparse" and "switched_at" not in info  # overlapping clouds: few edges per point
    c = rng.uniform(size=(4, 2))
    Xc = c[rng.integers(0, 4, n)] + 0.01 * rng.standard_normal((n, 2))
    Yc = c[rng.integers(0, 4, n)] + 0.01 * rng.standard_normal((n, 2))
    vc, perm, info_c = bottleneck_assignment(Xc, Yc, Lp(math.inf))
    assert info_c["method"] == "geometric" and info_c["switched_at"] > 0  # clusters: the graph turns dense
    vs, _, info_s = bottleneck_assignment(Xc, Yc, Lp(math.inf), method="sparse")
    assert vc == vs and pair_distances(Xc, Yc, np.arange(n), perm, Lp(math.inf)).max() == vc
    # the sparse search listed far more than the switch allows: that is the work auto avoids
    assert info_s["edges"] > distance.SPARSE_EDGES_PER_ROW * n > info_c["edges"]


def test_docstring_examples_run() -> None:
    import doctest

    from maxslope.wasserstein import distance

    res = doctest.testmod(distance, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 1 and res.failed == 0
