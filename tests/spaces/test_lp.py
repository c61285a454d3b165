"""Geometry of ℓp: norms, dual norms, steepest sets (C6), ball projections."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from maxslope.spaces import Lp

PS = [1.0, 1.5, 2.0, 3.0, 7.0, math.inf]

# small integers make zeros and ties common; the second strategy covers general floats
ints = arrays(np.float64, st.integers(1, 6), elements=st.integers(-3, 3).map(float))
floats = arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False))
vectors = st.one_of(ints, floats)


def selections(p):
    if p == math.inf:
        return ["zero", 0.5, -1.0, 1.0]
    if p == 1.0:
        return ["first", "average"]
    return [None]


@pytest.mark.parametrize("p", PS)
def test_norms_match_numpy(xp, p):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 4)) * 10.0 ** rng.integers(-3, 3, size=(5, 1))
    L = Lp(p)
    got = xp.np(L.norm(xp.asarray(x)))
    np.testing.assert_allclose(got, np.linalg.norm(x, ord=p, axis=-1), rtol=1e-13)
    q = L.dual_exponent
    np.testing.assert_allclose(xp.np(L.dual_norm(xp.asarray(x))), np.linalg.norm(x, ord=q, axis=-1), rtol=1e-13)
    assert 1.0 / p + 1.0 / q == pytest.approx(1.0)


def test_large_p_does_not_overflow():
    x = np.array([1e200, 3e199])
    assert Lp(64.0).norm(x) == pytest.approx(1e200, rel=1e-12)


@pytest.mark.parametrize("p", PS)
@given(xi=vectors)
def test_steepest_direction_is_in_the_set(p, xi):
    """C6: <xi, v> = ||xi||_*, ||v|| <= 1 for every selection, zeros and ties included."""
    L = Lp(p)
    for sel in selections(p):
        v = L.steepest_direction(xi, selection=sel)
        assert L.norm(v) <= 1.0 + 1e-12
        dn = L.dual_norm(xi)
        assert float(np.dot(xi, v)) == pytest.approx(float(dn), rel=1e-12, abs=1e-300)
        assert bool(L.in_steepest_set(v, xi))
        if np.any(xi != 0):
            assert L.norm(v) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("p", PS)
@given(xi=vectors, data=st.data())
def test_in_steepest_set_rejects_outsiders(p, xi, data):
    """Negative control for C6: a vector off the face (or outside the ball) is rejected."""
    L = Lp(p)
    assume(np.any(xi != 0))
    v = L.steepest_direction(xi)
    i = data.draw(st.integers(0, xi.size - 1))
    w = v.copy()
    w[i] -= 0.25 if w[i] > 0 else -0.25  # move one coordinate: changes <xi, w> or leaves the face
    inner_drops = float(np.dot(xi, w)) < float(L.dual_norm(xi)) * (1 - 1e-9)
    outside = float(L.norm(w)) > 1 + 1e-9
    if inner_drops or outside:
        assert not bool(L.in_steepest_set(w, xi))
    assert not bool(L.in_steepest_set(1.5 * v, xi))
    assert not bool(L.in_steepest_set(-v, xi))


def test_linf_zero_coordinates_are_free():
    L = Lp(math.inf)
    xi = np.array([2.0, 0.0, -1.0])
    for c in (-1.0, -0.3, 0.0, 1.0):
        assert L.in_steepest_set(np.array([1.0, c, -1.0]), xi)
    assert not L.in_steepest_set(np.array([1.0, 1.0 + 1e-9, -1.0]), xi)
    assert not L.in_steepest_set(np.array([1.0, 0.0, 1.0]), xi)


def test_l1_ties_and_selection():
    L = Lp(1)
    xi = np.array([0.5, -2.0, 2.0, 1.0])
    np.testing.assert_array_equal(L.steepest_direction(xi, "first"), [0, -1, 0, 0])
    np.testing.assert_array_equal(L.steepest_direction(xi, "average"), [0, -0.5, 0.5, 0])
    assert L.in_steepest_set(np.array([0, -0.2, 0.8, 0]), xi)
    assert not L.in_steepest_set(np.array([0.1, -0.1, 0.8, 0]), xi)  # mass off the tie set
    assert not L.in_steepest_set(np.array([0, 0.2, 0.8, 0]), xi)  # wrong sign on a tie
    assert not L.in_steepest_set(np.array([0, -0.2, 0.7, 0]), xi)  # total mass < 1
    assert L.in_steepest_set(np.array([0.3, 0.0, 0.0, -0.2]), np.zeros(4))  # xi = 0: whole unit ball


def test_steepest_direction_backends_agree(xp):
    rng = np.random.default_rng(3)
    xi = rng.integers(-2, 3, size=(7, 5)).astype(float)
    for p in PS:
        L = Lp(p)
        for sel in selections(p):
            got = xp.np(L.steepest_direction(xp.asarray(xi), selection=sel))
            np.testing.assert_array_equal(got, L.steepest_direction(xi, selection=sel))
            assert np.all(xp.np(L.in_steepest_set(xp.asarray(got), xp.asarray(xi))))


pairs = st.integers(1, 6).flatmap(
    lambda n: st.tuples(*[arrays(np.float64, n, elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False))] * 2)
)


@given(pairs)
def test_hoelder(xy):
    x, y = xy
    for p in PS:
        L = Lp(p)
        lhs = abs(float(np.dot(x, y)))
        assert lhs <= float(L.norm(x)) * float(L.dual_norm(y)) * (1 + 1e-12) + 1e-300


def _max_linear_over_ball(L, g, c, r):
    """max_{y in B_r(c)} <g, y - c> = r ||g||_* (support function)."""
    return r * float(L.dual_norm(g))


@pytest.mark.parametrize("p", [1.0, 2.0, math.inf])
@given(
    x=arrays(np.float64, 4, elements=st.floats(-5, 5, allow_subnormal=False)),
    c=arrays(np.float64, 4, elements=st.floats(-2, 2, allow_subnormal=False)),
    r=st.floats(0.0, 3.0),
)
def test_projection_idempotent_feasible_optimal(p, x, c, r):
    L = Lp(p)
    P = L.project_ball(x, c, r)
    assert float(L.distance(P, c)) <= r * (1 + 1e-12) + 1e-12
    np.testing.assert_allclose(L.project_ball(P, c, r), P, atol=1e-12)
    # optimality (variational inequality): max_{y in ball} <x - P, y - P> <= 0
    g = x - P
    worst = float(np.dot(g, c - P)) + _max_linear_over_ball(L, g, c, r)
    assert worst <= 1e-9 * max(1.0, float(np.abs(x).max()))


def test_projection_backends(xp):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(6, 5)) * 3
    c = rng.normal(size=5)
    r = np.abs(rng.normal(size=6))
    for p in (1.0, 2.0, math.inf):
        L = Lp(p)
        ref = L.project_ball(x, c, r)
        got = xp.np(L.project_ball(xp.asarray(x), xp.asarray(c), xp.asarray(r)))
        np.testing.assert_allclose(got, ref, rtol=1e-14, atol=1e-14)
        assert np.all(xp.np(L.ball_contains(xp.asarray(got), xp.asarray(c), xp.asarray(r), tol=1e-12)))


def test_l1_projection_matches_brute_force():
    """Compare with the exact QP solved by enumerating active supports (d = 3)."""
    rng = np.random.default_rng(7)
    L = Lp(1)
    for _ in range(50):
        x = rng.normal(size=3) * 2
        P = L.project_ball(x, np.zeros(3), 1.0)
        best = None
        # the projection has support S and signs of x on S, with theta = (sum_S |x| - 1)/|S|
        for k in range(1, 4):
            for S in itertools.combinations(range(3), k):
                S = list(S)
                theta = (np.abs(x[S]).sum() - 1.0) / k
                y = np.zeros(3)
                y[S] = np.sign(x[S]) * np.maximum(np.abs(x[S]) - theta, 0)
                if np.abs(y).sum() <= 1 + 1e-12:
                    dist = np.sum((x - y) ** 2)
                    if best is None or dist < best[0]:
                        best = (dist, y)
        if np.abs(x).sum() <= 1:
            best = (0.0, x)
        np.testing.assert_allclose(P, best[1], atol=1e-12)


def test_extreme_points_and_sphere_samples():
    assert Lp(math.inf).extreme_points(3).shape == (8, 3)
    assert Lp(1).extreme_points(3).shape == (6, 3)
    assert Lp(2).extreme_points(3) is None
    for p in PS:
        S = Lp(p).sample_sphere(np.array([1.0, -1.0, 0.5]), 0.3, 50, rng=0)
        np.testing.assert_allclose(Lp(p).distance(S, np.array([1.0, -1.0, 0.5])), 0.3, rtol=1e-12)


@pytest.mark.parametrize("bad", [0.5, -1, float("nan"), "two", True])
def test_bad_p(bad):
    with pytest.raises((ValueError, TypeError), match="'p'"):
        Lp(bad)


def test_bad_inputs():
    L = Lp(2)
    with pytest.raises(ValueError, match="'x'"):
        L.norm(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="'xi'"):
        L.steepest_direction(np.array([np.inf, 1.0]))
    with pytest.raises(ValueError, match="dimensions"):
        L.distance(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="'radius'"):
        L.project_ball(np.zeros(2), np.zeros(2), -1.0)
    with pytest.raises(ValueError, match="selection"):
        Lp(1).steepest_direction(np.ones(2), selection="zero")
    with pytest.raises(ValueError, match="selection"):
        Lp(math.inf).steepest_direction(np.ones(2), selection=2.0)
    with pytest.raises(TypeError, match="'x'"):
        L.norm([1.0, 2.0])
    with pytest.raises(ValueError, match="non-empty"):
        L.norm(np.zeros((3, 0)))


def test_mixed_libraries_raise():
    import array_api_strict as xs

    with pytest.raises(TypeError, match="mixed array libraries"):
        Lp(2).distance(np.zeros(2), xs.zeros(2))
    with pytest.raises(TypeError, match="mixed array libraries"):
        Lp(1).project_ball(xs.zeros(2), np.zeros(2), 1.0)
