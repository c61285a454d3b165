"""Closed-form reference flows: exact symbolic EDE and inclusion (spec §4, C2, C4, C13, C14, C23)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from maxslope.exact import (
    ArcLengthQuadraticFlow,
    ascent_flow,
    box_linear_flow,
    convergence_study,
    l1norm_flow,
    l2_centered_quadratic_flow,
    linear_flow,
    separable_quadratic_flow,
    sliding_flow,
    sliding_lazy_curve,
)
from maxslope.exact.closed_form import T_SYM, ClosedFormFlow, Piece
from maxslope.schemes import steepest_descent
from maxslope.spaces import Lp

FLOWS = [
    linear_flow([1, -2, 0.5], [0, 0, 0]),
    linear_flow([1, -2, 0.5], [0.1, 0, 0], p=2),
    linear_flow([1, -2, 0.5], [0, 0.3, 0], p=1),
    separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05]),
    l1norm_flow([0.73, -0.41, 0.05]),
    ascent_flow([0.3, -0.2]),
    ascent_flow([0.3, -0.2], T=0.5, eps=0.2),
    sliding_flow((0.6, 0.0)),
    sliding_flow((-3.0, 0.5), T=3.0),
    l2_centered_quadratic_flow([0.3, 0.4]),
    box_linear_flow([1, -2, 0.5], [0, 0, 0], [0.1, 0.2, 0.3], 0.5),
]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_symbolic_energy_dissipation_is_exact(flow):
    rep = flow.verify_symbolic()
    assert all(r == 0 for r in rep.ede_residuals), rep.ede_residuals
    assert all(r == 0 for r in rep.inclusion_residuals), rep.inclusion_residuals
    assert rep.holds


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_numeric_and_mpmath_evaluations_agree(flow):
    t = float(flow.T) * 0.37
    v = flow(np.array([t]))[0]
    m = flow.mp(t, dps=40)
    np.testing.assert_allclose(v, [float(c) for c in m], rtol=1e-14, atol=1e-15)


def test_negative_controls_are_rejected_symbolically():
    """The lazy sliding selection and a non-optimal direction are not flows (spec C3, C4)."""
    assert not sliding_lazy_curve().verify_symbolic().holds
    f = linear_flow([1, -2, 0.5], [0, 0, 0])
    import sympy as sp

    a = sp.Matrix([1, -2, sp.Rational(1, 2)])
    slow = ClosedFormFlow.from_pieces("l2 direction in linf", f, [Piece(sp.Integer(0), sp.Integer(1), -T_SYM * a / a.norm())])
    rep = slow.verify_symbolic()
    assert not rep.holds
    assert rep.ede_residuals[0] != 0


def test_nonunique_flows_all_accepted():
    """C13: with a_2 = 0, any 1-Lipschitz motion of x_2 is a flow: two different curves both pass."""
    import sympy as sp

    f = linear_flow([1, 0], [0, 0])
    other = ClosedFormFlow.from_pieces("wiggle in x2", f, [Piece(sp.Integer(0), sp.Integer(1), sp.Matrix([-T_SYM, T_SYM / 2]))])
    assert f.verify_symbolic().holds and other.verify_symbolic().holds


def test_sliding_numbers_from_the_spec():
    f = sliding_flow((0.6, 0.0))
    assert float(f.pieces[0].t1) == pytest.approx(0.4)
    np.testing.assert_allclose(f(np.array([1.0]))[0], [0.2 + 0.3, 0.4 + 0.6])
    errs = []
    for j in range(5):
        tau = 0.1 * 2**-j
        tr = steepest_descent(f.energy, Lp(math.inf), f.x0, tau, T=1.0)
        errs.append(np.max(np.abs(tr.points - f(tr.times))))
    np.testing.assert_allclose(errs, [0.15, 0.075, 0.025, 0.01875, 0.009375], atol=1e-12)


def test_arc_length_flow_c14():
    """C14: the l2 normalized-GD limit is the arc-length reparametrization of the classical flow; O(tau)."""
    A = np.diag([1.0, 3.0])
    ref = ArcLengthQuadraticFlow(A, [1.0, 0.5])
    assert ref.verify_symbolic() == 0
    u = ref(np.array([0.3]))[0]
    um = ref.mp(0.3, dps=30)
    np.testing.assert_allclose(u, [float(c) for c in um], rtol=1e-12)
    # unit speed: |u(t+h) - u(t)| = h
    h = 1e-6
    assert np.linalg.norm(ref(np.array([0.5 + h]))[0] - ref(np.array([0.5]))[0]) == pytest.approx(h, rel=1e-5)
    cs = convergence_study(lambda tau: steepest_descent(ref.energy, Lp(2), ref.x0, tau, T=0.8), ref, [0.1 * 2**-j for j in range(5)])
    assert np.all(np.diff(cs.node_errors) < 0)
    assert np.all(cs.node_orders > 0.8)


def test_mpmath_precision_is_real():
    f = separable_quadratic_flow([1, 2], [0.5, -0.25])
    m = f.mp(0.1, dps=60)
    with mpmath.workdps(60):
        assert abs(m[0] - mpmath.mpf(4) / 10) < mpmath.mpf(10) ** -55
        assert abs(m[1] + mpmath.mpf(15) / 100) < mpmath.mpf(10) ** -55


def test_bad_flow_input():
    with pytest.raises(ValueError, match="unique"):
        linear_flow([2, -2], [0, 0], p=1)
    with pytest.raises(ValueError, match="x0_i != 0"):
        ascent_flow([0.0, 1.0])
    with pytest.raises(ValueError, match="'t'"):
        sliding_flow()(np.array([2.0]))
