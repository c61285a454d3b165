"""Exact W_p / W_∞: brute force, LP, 1-D formulas, properties, validation."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linprog

from maxslope import Lp
from maxslope.wasserstein import (
    Empirical,
    _matching,
    bottleneck_assignment,
    distance_matrix,
    integer_masses,
    wasserstein,
    wasserstein_distance,
)

GROUNDS = [Lp(1.0), Lp(2.0), Lp(math.inf)]


def _brute_inf(D: np.ndarray) -> float:
    n = D.shape[0]
    return min(max(D[i, s[i]] for i in range(n)) for s in itertools.permutations(range(n)))


def _brute_p(D: np.ndarray, p: float) -> float:
    n = D.shape[0]
    return (min(sum(D[i, s[i]] ** p for i in range(n)) for s in itertools.permutations(range(n))) / n) ** (1 / p)


@pytest.mark.parametrize("ground", GROUNDS, ids=repr)
@pytest.mark.parametrize("n", [1, 2, 3, 5, 7])
def test_uniform_against_all_permutations(ground: Lp, n: int) -> None:
    rng = np.random.default_rng(n)
    for trial in range(4 if n == 7 else 12):
        X, Y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
        if trial % 3 == 0:
            X, Y = np.round(X), np.round(Y)  # ties and coincident points
        D = distance_matrix(X, Y, ground)
        mu, nu = Empirical(X), Empirical(Y)
        bf = _brute_inf(D)
        for method in ("bottleneck", "flow"):
            assert wasserstein_distance(mu, nu, math.inf, ground, method=method) == bf
        for p in (1.0, 2.0, 3.5):
            ref = _brute_p(D, p)
            for method in ("assignment", "pot", "lp"):
                assert wasserstein_distance(mu, nu, p, ground, method=method) == pytest.approx(ref, rel=1e-9, abs=1e-12)


def _lp_w_inf(mu: Empirical, nu: Empirical, ground: Lp) -> float:
    """Reference: the smallest pairwise distance r for which the restricted transport LP is feasible."""
    D = distance_matrix(mu.points, nu.points, ground)
    n, m = D.shape
    A = sp.vstack([sp.kron(sp.eye_array(n), np.ones((1, m))), sp.kron(np.ones((1, n)), sp.eye_array(m))]).tocsr()
    for r in np.unique(D):
        ub = [(0, None) if d <= r else (0, 0) for d in D.ravel()]
        res = linprog(np.zeros(n * m), A_eq=A, b_eq=np.concatenate([mu.weights, nu.weights]), bounds=ub, method="highs")
        if res.status == 0:
            return float(r)
    raise AssertionError("unreachable")


@pytest.mark.parametrize("ground", GROUNDS, ids=repr)
def test_weighted_against_lp(ground: Lp) -> None:
    rng = np.random.default_rng(5)
    for _ in range(6):
        n, m = rng.integers(2, 6, size=2)
        a, b = rng.integers(1, 5, size=n), rng.integers(1, 5, size=m)
        mu = Empirical(rng.normal(size=(n, 2)), a / a.sum())
        nu = Empirical(rng.normal(size=(m, 2)), b / b.sum())
        res = wasserstein(mu, nu, math.inf, ground)
        assert res.method == "flow" and res.exact
        assert res.value == _lp_w_inf(mu, nu, ground)
        C = res.coupling.toarray()
        np.testing.assert_allclose(C.sum(1), mu.weights, atol=1e-12)
        np.testing.assert_allclose(C.sum(0), nu.weights, atol=1e-12)
        D = distance_matrix(mu.points, nu.points, ground)
        assert D[C > 0].max() == res.value
        for p in (1.0, 2.0):
            assert wasserstein_distance(mu, nu, p, ground, method="pot") == pytest.approx(
                wasserstein_distance(mu, nu, p, ground, method="lp"), rel=1e-9)


def test_one_dimensional_formulas() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        n = int(rng.integers(1, 30))
        x, y = rng.normal(size=n), rng.normal(size=n) + 0.3
        mu, nu = Empirical(x), Empirical(y)
        sx, sy = np.sort(x), np.sort(y)
        assert wasserstein_distance(mu, nu, math.inf) == np.max(np.abs(sx - sy))
        assert wasserstein_distance(mu, nu, math.inf, method="bottleneck") == np.max(np.abs(sx - sy))
        for p in (1.0, 2.0, 3.0):
            ref = np.mean(np.abs(sx - sy) ** p) ** (1 / p)
            assert wasserstein_distance(mu, nu, p) == pytest.approx(ref, rel=1e-12)
    # weighted, different sizes: quantile (exact integer levels) against flow and LP
    for _ in range(10):
        n, m = rng.integers(1, 8, size=2)
        a, b = rng.integers(1, 6, size=n), rng.integers(1, 6, size=m)
        mu = Empirical(rng.normal(size=n), a / a.sum())
        nu = Empirical(rng.normal(size=m), b / b.sum())
        q = wasserstein(mu, nu, math.inf)
        assert q.method == "quantile" and q.exact
        assert q.value == wasserstein_distance(mu, nu, math.inf, method="flow")
        for p in (1.0, 2.0):
            assert wasserstein_distance(mu, nu, p) == pytest.approx(wasserstein_distance(mu, nu, p, method="lp"), rel=1e-9)


def test_quantile_thirds_are_exact() -> None:
    # cumulative sums of 1/3 in floating point differ between the measures; exact integer levels do not
    mu = Empirical(np.array([0.0, 1.0, 2.0]))
    nu = Empirical(np.array([0.0, 0.5, 1.0, 1.5, 2.0, 10.0]), np.array([1, 1, 1, 1, 1, 1]) / 6)
    assert integer_masses(mu.weights) == (pytest.approx([1, 1, 1]), 3)
    assert wasserstein_distance(mu, nu, math.inf) == 8.0
    assert wasserstein_distance(mu, nu, math.inf, method="flow") == 8.0


def test_irrational_weights_are_quantized_and_say_so() -> None:
    rng = np.random.default_rng(1)
    w = rng.uniform(size=4)
    mu = Empirical(rng.normal(size=(4, 2)), w / w.sum())
    nu = Empirical(rng.normal(size=(3, 2)))
    assert integer_masses(mu.weights) is None
    res = wasserstein(mu, nu, math.inf, Lp(2.0))
    assert not res.exact and res.value == _lp_w_inf(mu, nu, Lp(2.0))


def test_one_ground_default_everywhere() -> None:
    """Every function of maxslope.wasserstein that takes a ground norm defaults to Lp(inf), and says so."""
    import inspect

    from maxslope import wasserstein as W
    from maxslope.wasserstein.distance import DEFAULT_GROUND

    assert DEFAULT_GROUND == Lp(math.inf)
    X = np.array([[0.0, 0.0], [1.0, 0.0]])
    mu, nu = Empirical(X), Empirical(X + np.array([0.3, 0.4]))
    for p in (1.0, 2.0, math.inf):
        assert wasserstein_distance(mu, nu, p) == 0.4  # the l-inf length of (0.3, 0.4); l2 would give 0.5
        assert wasserstein_distance(mu, nu, p, Lp(2.0)) == pytest.approx(0.5, rel=1e-15)
    assert W.Wasserstein(2.0).ground == DEFAULT_GROUND
    assert W.bottleneck_assignment(X, X + np.array([0.3, 0.4]))[0] == 0.4
    for fn in (W.wasserstein_distance, W.wasserstein, W.bottleneck_assignment, W.distributional_adversary,
               W.ball_transport_lp, W.Wasserstein):
        params = inspect.signature(fn).parameters
        assert "ground" in params and params["ground"].default is None, fn  # one name, one default
        assert "space" not in params, fn
    assert not isinstance(wasserstein_distance(mu, nu, 2.0), tuple)  # one return type: a float
    assert isinstance(wasserstein_distance(mu, nu, 2.0), float)


def test_bottleneck_against_flow_on_larger_clouds() -> None:
    rng = np.random.default_rng(11)
    for ground in GROUNDS:
        X, Y = rng.uniform(size=(300, 2)), rng.uniform(size=(300, 2))
        v, perm, info = bottleneck_assignment(X, Y, ground)
        assert sorted(perm.tolist()) == list(range(300))
        D = distance_matrix(X, Y, ground)
        assert D[np.arange(300), perm].max() == v
        assert v == wasserstein_distance(Empirical(X), Empirical(Y), math.inf, ground, method="flow")
        assert info["tests"] >= 1


def test_interpreted_matching_agrees_with_compiled() -> None:
    hk = _matching._hopcroft_karp
    py = getattr(hk, "py_func", hk)
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = 30
        i, j = rng.integers(0, n, 150), rng.integers(0, n, 150)
        w = rng.uniform(size=150)
        order = np.lexsort((w, i))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(i, minlength=n))])
        args = (indptr, j[order], w[order], 0.7)
        r1, c1 = np.full(n, -1), np.full(n, -1)
        r2, c2 = np.full(n, -1), np.full(n, -1)
        s1, s2 = hk(*args, r1, c1), py(*args, r2, c2)
        assert s1 == s2
        # a valid matching: consistent and on admissible edges
        for r in np.flatnonzero(r2 >= 0):
            assert c2[r2[r]] == r
            ok = [(e, w[order][e]) for e in range(indptr[r], indptr[r + 1]) if j[order][e] == r2[r]]
            assert any(we <= 0.7 for _, we in ok)


# ------------------------------------------------------------------------------ properties
clouds = st.integers(1, 9).flatmap(
    lambda n: st.tuples(*[st.lists(st.floats(-3, 3, allow_nan=False, width=32), min_size=2 * n, max_size=2 * n) for _ in range(3)])
)


@given(clouds)
def test_properties(c: tuple) -> None:
    X, Y, Z = (np.asarray(v, dtype=np.float64).reshape(-1, 2) for v in c)
    mu, nu, rho = Empirical(X), Empirical(Y), Empirical(Z)
    g = Lp(math.inf)
    w_inf = wasserstein_distance(mu, nu, math.inf, g)
    assert w_inf == wasserstein_distance(nu, mu, math.inf, g)  # symmetry
    ps = [1.0, 2.0, 4.0, 16.0]
    ws = [wasserstein_distance(mu, nu, p, g) for p in ps]
    tol = 1e-9 * (1 + w_inf)
    assert all(a <= b + tol for a, b in zip(ws, ws[1:], strict=False))  # W_p increasing in p
    assert ws[-1] <= w_inf + tol  # W_p <= W_inf
    # triangle inequality
    assert w_inf <= wasserstein_distance(mu, rho, math.inf, g) + wasserstein_distance(rho, nu, math.inf, g) + 1e-12
    assert ws[1] <= wasserstein_distance(mu, rho, 2.0, g) + wasserstein_distance(rho, nu, 2.0, g) + tol


@given(st.integers(1, 40), st.floats(-2, 2), st.floats(-2, 2), st.sampled_from([1.0, 2.0, math.inf]))
def test_shift(n: int, a: float, b: float, q: float) -> None:
    X = np.random.default_rng(n).uniform(-1, 1, size=(n, 2))
    v = np.array([a, b])
    val = wasserstein_distance(Empirical(X), Empirical(X + v), math.inf, Lp(q))
    assert abs(val - Lp(q).norm(v)) <= 8 * np.finfo(float).eps * 4


# ------------------------------------------------------------------------------ validation
def test_empirical_validation() -> None:
    with pytest.raises(ValueError, match="points"):
        Empirical(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="weights"):
        Empirical(np.zeros((2, 1)), np.array([0.5, 0.6]))
    with pytest.raises(ValueError, match="non-negative"):
        Empirical(np.zeros((2, 1)), np.array([1.5, -0.5]))
    with pytest.raises(ValueError, match="shape"):
        Empirical(np.zeros((2, 1)), np.array([1.0]))
    with pytest.raises(ValueError, match="points"):
        Empirical(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="weights"):
        Empirical(np.zeros((2, 1)), np.array([0.5, np.inf]))
    import array_api_strict as xps

    with pytest.raises(TypeError, match="mixed"):
        Empirical(np.zeros((2, 1)), xps.asarray([0.5, 0.5]))


def test_distance_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    mu, nu = Empirical(np.zeros((2, 2))), Empirical(np.ones((3, 2)))
    with pytest.raises(ValueError, match="'p'"):
        wasserstein_distance(mu, nu, 0.5)
    with pytest.raises(ValueError, match="dimensions"):
        wasserstein_distance(mu, Empirical(np.ones((2, 3))))
    with pytest.raises(ValueError, match="uniform"):
        wasserstein_distance(mu, nu, math.inf, method="bottleneck")
    with pytest.raises(ValueError, match="finite p"):
        wasserstein_distance(mu, nu, math.inf, method="lp")
    with pytest.raises(ValueError, match="method"):
        wasserstein_distance(mu, nu, method="sinkhorn")
    with pytest.raises(TypeError, match="mu"):
        wasserstein_distance(np.zeros((2, 2)), nu)
    with pytest.raises(TypeError, match="ground"):
        wasserstein_distance(mu, nu, ground=2)
    import builtins

    real_import = builtins.__import__

    def no_ot(name, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if name == "ot":
            raise ImportError("no POT")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_ot)
    with pytest.raises(ImportError, match="maxslope\\[ot\\]"):
        wasserstein_distance(mu, nu, 2.0, method="pot")
    assert wasserstein(mu, nu, 2.0).method == "lp"  # auto falls back to HiGHS without POT


def test_auto_takes_pot_from_the_crossover_and_agrees_with_the_assignment() -> None:
    pytest.importorskip("ot")
    from maxslope.wasserstein.distance import ASSIGNMENT_MAX_N

    rng = np.random.default_rng(21)
    for n, expected in ((ASSIGNMENT_MAX_N - 1, "assignment"), (ASSIGNMENT_MAX_N, "pot")):
        X, Y = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2)) + 0.3
        for ground, p in ((Lp(2.0), 2.0), (Lp(1.0), 1.0), (Lp(math.inf), 3.0), (Lp(3.0), 2.0)):
            res = wasserstein(Empirical(X), Empirical(Y), p, ground)
            assert res.method == expected
            other = wasserstein(Empirical(X), Empirical(Y), p, ground, method="pot" if expected == "assignment" else "assignment")
            assert res.value == pytest.approx(other.value, rel=1e-12)
            # the coupling is a transport plan with the value's cost
            C = res.coupling.tocoo()
            assert np.allclose(np.bincount(C.row, C.data, n), 1 / n) and np.allclose(np.bincount(C.col, C.data, n), 1 / n)
            cost = (C.data * pnorm_rows(X[C.row] - Y[C.col], ground.p) ** p).sum()
            assert cost ** (1 / p) == pytest.approx(res.value, rel=1e-12)


def pnorm_rows(V: np.ndarray, q: float) -> np.ndarray:
    return np.linalg.norm(V, ord=q, axis=1)
