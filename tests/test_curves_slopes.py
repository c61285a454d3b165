"""Trajectories (interpolants, metric derivative) and slopes (C5, C12)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import maxslope as ms
from maxslope.spaces import Lp


def test_interpolants_and_metric_derivative(xp):
    t = np.array([0.0, 0.5, 1.5])
    pts = np.array([[0.0, 0.0], [0.5, -0.25], [1.5, 0.75]])
    T = ms.Trajectory(t, xp.asarray(pts))
    np.testing.assert_allclose(xp.np(T.interpolate([0.25, 1.0], "linear")), [[0.25, -0.125], [1.0, 0.25]])
    np.testing.assert_array_equal(xp.np(T.interpolate([0.0, 0.25, 0.5, 0.6], "constant")), pts[[0, 1, 1, 2]])
    np.testing.assert_allclose(xp.np(T.metric_derivative(Lp(np.inf))), [1.0, 1.0])
    np.testing.assert_allclose(xp.np(T.length(Lp(1))), 0.75 + 2.0)
    assert float(xp.np(T.lipschitz_constant(Lp(2)))) == pytest.approx(math.sqrt(2))


@given(steps=arrays(np.float64, (6, 2), elements=st.floats(-1, 1, allow_subnormal=False)))
def test_interpolants_differ_by_at_most_one_step(steps):
    """C12: sup_t ||u_const(t) - u_lin(t)|| <= max_k ||x^{k+1} - x^k||."""
    pts = np.concatenate([np.zeros((1, 2)), np.cumsum(steps, axis=0)])
    T = ms.Trajectory(np.arange(7) * 0.1, pts)
    tt = np.linspace(0, 0.6, 601)
    L = Lp(np.inf)
    gap = L.distance(T.interpolate(tt, "constant"), T.interpolate(tt, "linear")).max()
    assert gap <= L.norm(steps).max() * (1 + 1e-12)


def test_batched_trajectory_select():
    pts = np.random.default_rng(0).normal(size=(4, 3, 2))
    T = ms.Trajectory(np.arange(4.0), pts, energies=np.zeros((4, 3)))
    assert T.batch_shape == (3,)
    np.testing.assert_array_equal(T.select(1).points, pts[:, 1])
    assert T.metric_derivative(Lp(2)).shape == (3, 3)


def test_trajectory_bad_input():
    with pytest.raises(ValueError, match="increasing"):
        ms.Trajectory(np.array([0.0, 0.0]), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="nodes"):
        ms.Trajectory(np.array([0.0, 1.0]), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="'points'"):
        ms.Trajectory(np.array([0.0, 1.0]), np.array([[0.0, np.nan], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="'t'"):
        ms.Trajectory(np.array([0.0, 1.0]), np.zeros((2, 2))).interpolate([2.0])


@pytest.mark.parametrize("p,expected", [(math.inf, 3.5), (2.0, math.sqrt(1 + 4 + 0.25)), (1.0, 2.0)])
def test_linear_slope_exact(p, expected, xp):
    """C5 closed form: the slope of <a, x> is ||a||_*, and the vertex difference quotient is exact."""
    E = ms.Linear(xp.asarray([1.0, -2.0, 0.5]))
    x = xp.asarray([[0.3, 0.1, -0.2]])
    assert float(xp.np(ms.slope(E, Lp(p), x))[0]) == pytest.approx(expected, rel=1e-14)
    num = float(xp.np(ms.numerical_slope(E, Lp(p), x, h=0.1))[0])
    if p == 2.0:  # sampled sphere (d = 3): below the sup, within sampling error
        assert expected * 0.97 <= num <= expected * (1 + 1e-12)
    else:
        assert num == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("p", [1.0, 2.0, math.inf])
def test_numerical_slope_converges_at_rate_h(p):
    """C5: numerical_slope -> slope with error O(h) (the error halves with h)."""
    E = ms.Quadratic(np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([1.0, -1.0]))
    x = np.array([0.3, -0.2])
    s = ms.slope(E, Lp(p), x)
    errs = [abs(float(ms.numerical_slope(E, Lp(p), x, h, n=4096)) - s) for h in (0.04, 0.02, 0.01, 0.005)]
    rates = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all(rates > 0.8), (errs, rates)
    assert errs[-1] < 0.02


def test_numerical_slope_zero_at_minimizer():
    E = ms.SeparableQuadratic(np.array([1.0, 2.0]))
    assert float(ms.numerical_slope(E, Lp(np.inf), np.zeros(2), 1e-3)) == 0.0
