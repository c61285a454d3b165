"""Curve checks: verdicts, tolerances, negative controls; certified mode; property tests (C1, C4, C8)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import maxslope as ms
from maxslope.checks import (
    certify_energy_dissipation,
    check_curve_of_maximal_slope,
    check_differential_inclusion,
    check_energy_dissipation,
    check_speed,
    check_upper_gradient,
    is_monotone,
)
from maxslope.exact import l2_centered_quadratic_flow, separable_quadratic_flow, sliding_flow, sliding_lazy_curve
from maxslope.schemes import minimizing_movement, steepest_descent
from maxslope.spaces import Lp

LINF = Lp(math.inf)


def _sample(flow, n=400):
    t = np.union1d(np.linspace(0, float(flow.T), n + 1), [float(p.t1) for p in flow.pieces[:-1]])
    return ms.Trajectory(t, flow(t))


def test_flow_accepted_lazy_curve_rejected():
    ok = check_curve_of_maximal_slope(_sample(sliding_flow()), sliding_flow().energy, LINF)
    bad = check_curve_of_maximal_slope(_sample(sliding_lazy_curve()), sliding_flow().energy, LINF)
    assert ok.passed and not bad.passed
    ede = bad.parts[1]
    assert ede.measured == pytest.approx(0.09, rel=1e-6)  # R(1) = -(t - 0.4)^2/4 ... integrated: 0.09
    assert ede.details["residual"][-1] < 0  # upper-gradient inequality: R <= 0 for 1-Lipschitz curves
    assert "quadrature budget" in ede.tolerance_reason


def test_speed_check_and_negative_control():
    t = np.linspace(0, 1, 11)
    good = ms.Trajectory(t, np.stack([t, -t], -1))
    bad = ms.Trajectory(t, np.stack([1.5 * t, -t], -1))
    assert check_speed(good, LINF).passed
    r = check_speed(bad, LINF)
    assert not r.passed and r.measured == pytest.approx(1.5)


def test_finite_p_energy_dissipation():
    """p = 2: the classical gradient flow x(t) = e^{-t} x0 of ½|x|² satisfies the (1/2|u'|² + 1/2|∇E|²) EDE."""
    t = np.linspace(0, 1, 201)
    x0 = np.array([1.0, -0.5])
    traj = ms.Trajectory(t, np.exp(-t)[:, None] * x0)
    E = ms.SeparableQuadratic(np.ones(2))
    r = check_energy_dissipation(traj, E, Lp(2), p=2.0, allowance=1e-4, allowance_reason="chord error of the sampled curve")
    assert r.passed
    # negative control: the same curve run at half speed is not a 2-curve of maximal slope
    slow = ms.Trajectory(t, np.exp(-t / 2)[:, None] * x0)
    assert not check_energy_dissipation(slow, E, Lp(2), p=2.0, allowance=1e-4).passed


def test_upper_gradient_negative_control():
    E = ms.SeparableQuadratic(np.array([1.0, 2.0]))
    tr = steepest_descent(E, LINF, np.array([1.0, -1.0]), 0.01, steps=50)
    assert check_upper_gradient(tr, E, LINF).passed
    assert not check_upper_gradient(tr, E, LINF, slope=lambda x: 0.5 * np.sum(np.abs(E.grad(x)), -1)).passed


def test_box_constrained_slope_needed():
    from maxslope.exact import box_linear_flow

    f = box_linear_flow([1.0, -2.0, 0.5], [0, 0, 0], [0.1, 0.2, 0.3], 0.5)
    tr = _sample(f)
    restricted = check_energy_dissipation(tr, f.energy, LINF, slope=lambda x: f.box.restricted_slope(x, f.energy.grad(x), tol=1e-12))
    assert restricted.passed
    assert not check_energy_dissipation(tr, f.energy, LINF).passed


def test_certified_mode():
    assert certify_energy_dissipation(sliding_flow()).status == "certified"
    assert certify_energy_dissipation(l2_centered_quadratic_flow([0.3, 0.4])).status == "certified"
    r = certify_energy_dissipation(sliding_lazy_curve())
    assert r.status == "refuted" and r.witness is not None and r.witness[0] >= 0.4


def test_is_monotone():
    assert is_monotone(np.array([3.0, 2.0, 2.0, 1.0])).passed
    r = is_monotone(np.array([3.0, 2.0, 2.5]))
    assert not r.passed and r.measured == pytest.approx(0.5)


def test_check_bad_input():
    E = ms.SeparableQuadratic(np.ones(2))
    with pytest.raises(TypeError, match="'traj'"):
        check_speed(np.zeros((3, 2)), LINF)
    one = ms.Trajectory(np.array([0.0]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="two nodes"):
        check_energy_dissipation(one, E, LINF)
    tr = ms.Trajectory(np.array([0.0, 1.0]), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="'m'"):
        check_energy_dissipation(tr, E, LINF, m=3)
    with pytest.raises(ValueError, match="'p'"):
        check_energy_dissipation(tr, E, LINF, p=1.0)
    with pytest.raises(ValueError, match="C\\^1"):
        check_differential_inclusion(tr, ms.L1Norm(2), LINF)


# ------------------------------------------------------------------------------------------- properties

def _energy(draw_kind, lam, A_seed):
    if draw_kind == "linear":
        return ms.Linear(lam - 0.5)
    if draw_kind == "separable":
        return ms.SeparableQuadratic(lam, 0.1 * lam)
    rng = np.random.default_rng(A_seed)
    M = rng.normal(size=(lam.size, lam.size))
    return ms.Quadratic(M @ M.T + np.eye(lam.size))


@given(
    kind=st.sampled_from(["linear", "separable", "spd"]),
    lam=arrays(np.float64, 2, elements=st.floats(0.2, 3.0)),
    x0=arrays(np.float64, 2, elements=st.floats(-1, 1, allow_subnormal=False)),
    tau=st.floats(0.01, 0.3),
    seed=st.integers(0, 1000),
)
def test_mms_properties(kind, lam, x0, tau, seed):
    """C8 discrete energy inequality (monotone energies), C1 speed; inclusion accepts MMS up to O(tau)."""
    E = _energy(kind, lam, seed)
    space = LINF if kind != "spd" else Lp(2)
    traj = minimizing_movement(E, space, x0, tau, steps=6)
    assert is_monotone(traj.energies, tol=1e-12).passed
    assert check_speed(traj, space).passed
    # C8 summed: E(x0) - E(xK) >= sum_k tau * slope(x^{k+1}) (slope along the variational interpolant is
    # non-increasing in r, and at r = tau it is the slope at the new iterate)
    slopes = np.asarray(ms.slope(E, space, traj.points[1:]))
    assert E.value(x0) - traj.energies[-1] >= tau * slopes.sum() - 1e-10


@given(
    lam=arrays(np.float64, 3, elements=st.floats(0.2, 3.0)),
    x0=arrays(np.float64, 3, elements=st.floats(-1, 1, allow_subnormal=False)),
    tau=st.sampled_from([0.05, 0.02]),
)
def test_inclusion_accepts_flow_rejects_perturbation(lam, x0, tau):
    """The exact flow passes the inclusion check; the same curve with a perturbed velocity is rejected."""
    f = separable_quadratic_flow(list(lam), list(x0), T=0.9)
    tr = _sample(f, 300)
    assert check_differential_inclusion(tr, f.energy, LINF).passed
    if np.max(np.abs(x0)) > 0.3:  # the curve moves on a set of positive measure: slow it down there
        t = tr.times
        bad = ms.Trajectory(t, f(np.minimum(t, 0.3) * 0.7 + np.maximum(t - 0.3, 0)))
        assert not check_differential_inclusion(bad, f.energy, LINF).passed
    # MMS nodes lie on the flow; its interpolant only cuts the corner where a coordinate reaches its target
    # inside a step, which changes ∫ slope by at most λ_i τ²/8 per coordinate
    m = minimizing_movement(f.energy, LINF, f.x0, tau, T=round(0.9 / tau) * tau)
    allowance = float(np.sum(lam)) * tau**2 / 8
    assert check_curve_of_maximal_slope(m, f.energy, LINF, allowance=allowance).passed
