"""Minimizing movements and normalized steepest descent (spec C1, C7, C10, C11, C15, C21, C22)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import maxslope as ms
from maxslope.exact import l1norm_flow, separable_quadratic_flow, sliding_flow
from maxslope.schemes import CBOInner, GridInner, MultistartInner, minimizing_movement, p_step, steepest_descent
from maxslope.spaces import Box, Lp

LINF = Lp(math.inf)
TAUS = [0.1 * 2.0**-j for j in range(7)]


@pytest.mark.parametrize(
    "flow",
    [
        separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05]),
        l1norm_flow([0.73, -0.41, 0.05]),
        sliding_flow((0.6, 0.0), T=1.0),
    ],
    ids=["sepquad", "l1norm", "sliding"],
)
def test_mms_exact_at_nodes(flow):
    """C10: MMS reproduces the unique flow at the nodes, to 1e-12, for every tau = 0.1 2^-j, j = 0..6."""
    T = float(flow.T) if flow.name.startswith("sliding") else 0.8
    for tau in TAUS:
        traj = minimizing_movement(flow.energy, LINF, flow.x0, tau, T=round(T / tau) * tau)
        err = np.max(np.abs(traj.points - flow(traj.times)))
        assert err <= 1e-12, (tau, err)
        assert "closed form" in traj.meta["inner_guarantee"]


def test_signed_gd_error_bounds():
    """C11: sup error <= tau for the separable quadratic, <= 1.5 tau for the sliding example."""
    q = separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05])
    s = sliding_flow((0.6, 0.0), T=1.0)
    for tau in TAUS:
        tq = steepest_descent(q.energy, LINF, q.x0, tau, T=round(0.8 / tau) * tau)
        assert np.max(np.abs(tq.points - q(tq.times))) <= tau * (1 + 1e-9)
        ts = steepest_descent(s.energy, LINF, s.x0, tau, T=round(1.0 / tau) * tau)
        assert np.max(np.abs(ts.points - s(ts.times))) <= 1.5 * tau * (1 + 1e-9)
    # the measured spec numbers for the quadratic
    errs = [np.max(np.abs(t.points - q(t.times))) for t in (steepest_descent(q.energy, LINF, q.x0, tau, T=round(0.8 / tau) * tau) for tau in TAUS[:4])]
    np.testing.assert_allclose(errs, [0.09, 0.04, 0.02, 0.0125], atol=1e-12)


def test_p_mms_converges_to_ball_step():
    """C7: 1-D E = x^2/2, x^k = 1, tau = 0.3: the p-step tends to the ball step 0.7 as p grows."""
    E = ms.SeparableQuadratic(np.array([1.0]))
    xs = [float(p_step(E, LINF, np.array([1.0]), 0.3, p)[0]) for p in (2, 4, 8, 16, 32, 64)]
    assert xs[0] == pytest.approx(1 / 1.3, rel=1e-12)  # p = 2: x = 1/(1 + tau)
    gaps = np.abs(np.array(xs) - 0.7)
    assert np.all(np.diff(gaps) < 0)
    assert gaps[-1] < 5e-3
    ball = minimizing_movement(E, LINF, np.array([1.0]), 0.3, steps=1).final
    assert float(ball[0]) == pytest.approx(0.7, abs=1e-15)


@pytest.mark.parametrize("tau", [0.3, 0.05])
def test_p_step_both_searches_match_the_closed_form(tau):
    """1-D E = x^2/2, x^k = 1, p = 3: the step is 1 - d with d^2 + tau^2 d - tau^2 = 0.

    Without a constraint the radius is found by bisection on phi' (machine precision); with a box that does not
    bind, by golden section on phi (about sqrt(eps) in r, so 1e-9 here). Both must reach the closed form.
    """
    E = ms.SeparableQuadratic(np.array([1.0]))
    exact = 1.0 - (-(tau**2) + math.sqrt(tau**4 + 4 * tau**2)) / 2
    free = float(p_step(E, LINF, np.array([1.0]), tau, 3.0)[0])
    boxed = float(p_step(E, LINF, np.array([1.0]), tau, 3.0, constraint=Box(np.array([0.0]), 5.0))[0])
    assert free == pytest.approx(exact, abs=1e-14)
    assert boxed == pytest.approx(exact, abs=2e-9)
    # negative control: a golden section cut short (8 steps) misses the same tolerance
    short = float(p_step(E, LINF, np.array([1.0]), tau, 3.0, constraint=Box(np.array([0.0]), 5.0), iters=8)[0])
    assert abs(short - exact) > 2e-9
    with pytest.raises(ValueError, match="'xk'"):
        p_step(E, LINF, np.array([6.0]), tau, 3.0, constraint=Box(np.array([0.0]), 5.0))


def test_p_step_matches_brute_force_in_2d():
    E = ms.SeparableQuadratic(np.array([1.0, 4.0]), np.array([0.2, -0.1]))
    x = np.array([1.0, 0.5])
    got = p_step(E, LINF, x, 0.2, 3.0)
    g = np.linspace(-1, 2, 1501)
    X, Y = np.meshgrid(g, g, indexing="ij")
    P = np.stack([X, Y], -1)
    F = E.value(P) + LINF.norm(P - x) ** 3 / (3 * 0.2**2)
    i = np.unravel_index(np.argmin(F), F.shape)
    np.testing.assert_allclose(got, P[i], atol=3e-3)
    assert E.value(got) + LINF.norm(got - x) ** 3 / (3 * 0.04) <= F[i] + 1e-12


def test_mms_monotone_ifgsm_not():
    """C22: E = x^2/2, tau > |x0|: MMS is monotone, signed GD overshoots and oscillates (energy goes up)."""
    E = ms.SeparableQuadratic(np.array([1.0]))
    x0 = np.array([0.25])
    m = minimizing_movement(E, LINF, x0, 0.4, steps=5)
    s = steepest_descent(E, LINF, x0, 0.4, steps=5)
    assert np.all(np.diff(m.energies) <= 0)
    assert np.any(np.diff(s.energies) > 0)


def test_sign_descent_invariant_under_monotone_transform():
    """C15: identical iterates, bit for bit, for E and phi(E) with phi' > 0."""
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    E = ms.Quadratic(A @ A.T + np.eye(3), rng.normal(size=3))
    F = ms.MonotoneTransform(np.arctan, lambda s: 1 / (1 + s * s), E)
    x0 = rng.normal(size=(50, 3))
    a = steepest_descent(E, LINF, x0, 0.01, steps=60)
    b = steepest_descent(F, LINF, x0, 0.01, steps=60)
    np.testing.assert_array_equal(a.points, b.points)
    ma = minimizing_movement(E, LINF, x0[:3], 0.05, steps=4)
    mb = minimizing_movement(F, LINF, x0[:3], 0.05, steps=4)
    np.testing.assert_array_equal(ma.points, mb.points)


@given(
    x0=arrays(np.float64, 3, elements=st.floats(-1, 1, allow_subnormal=False)),
    a=arrays(np.float64, 3, elements=st.floats(-2, 2, allow_subnormal=False)),
    K=st.integers(1, 8),
)
def test_no_clipping_when_K_tau_le_eps(x0, a, K):
    """C21(i): with K tau <= eps the budget clamp never acts (clipped and unclipped IFGSM coincide)."""
    E = ms.Negated(ms.Sum(ms.Linear(a), ms.SeparableQuadratic(np.ones(3))))
    eps = 0.3
    tau = eps / K
    free = steepest_descent(E, LINF, x0, tau, steps=K)
    boxed = steepest_descent(E, LINF, x0, tau, steps=K, constraint=Box(x0, eps))
    # in exact arithmetic the clamp never acts; in floating point it may only trim the rounding of the K sums
    assert np.max(np.abs(free.points - boxed.points)) <= 4 * K * np.finfo(float).eps * (1 + np.abs(x0).max())
    # negative control: with K tau > eps the clamp does act (whenever some coordinate moves monotonically)
    many = steepest_descent(ms.Linear(np.array([1.0, -1.0, 1.0])), LINF, x0, tau, steps=2 * K, constraint=Box(x0, eps))
    assert np.max(LINF.distance(many.points, x0)) == pytest.approx(eps, rel=1e-12)
    assert np.all(LINF.distance(free.points, x0) <= np.arange(K + 1) * tau * (1 + 1e-12))


@pytest.mark.parametrize("p", [math.inf, 2.0, 1.0])
def test_speed_bound_c1(p):
    """C1: MMS and semi-implicit steps have length <= tau; = tau for the semi-implicit one while grad != 0."""
    rng = np.random.default_rng(1)
    E = ms.SeparableQuadratic(np.array([1.0, 3.0]), np.array([0.1, -0.2]))
    x0 = rng.normal(size=(20, 2))
    tau = 0.05
    s = steepest_descent(E, Lp(p), x0, tau, steps=10)
    inc = s.increments(Lp(p))
    np.testing.assert_allclose(inc, tau, rtol=1e-12)
    if p != 1.0:
        m = minimizing_movement(E, Lp(p), x0, tau, steps=10) if p == math.inf or p == 2.0 else None
        assert np.all(m.increments(Lp(p)) <= tau * (1 + 1e-12))


def test_batch_of_a_million_points():
    """10^6 two-dimensional start points, 100 signed steps, vectorized (no Python loop over points)."""
    rng = np.random.default_rng(2)
    x0 = rng.uniform(-1, 1, size=(1_000_000, 2))
    E = ms.SeparableQuadratic(np.array([1.0, 2.0]))
    traj = steepest_descent(E, LINF, x0, 0.01, steps=100, record_every=100)
    assert traj.points.shape == (2, 1_000_000, 2)
    # closed form: each coordinate walks to 0 at unit speed, then oscillates within one step
    expected = np.sign(x0) * np.maximum(np.abs(x0) - 1.0, 0.0)
    assert np.max(np.abs(traj.final - expected)) <= 0.01 + 1e-12


@pytest.mark.parametrize("inner", [GridInner(), MultistartInner(), CBOInner(N=60, max_it=60, alpha=1e8, seed=3)])
def test_approximate_inner_solvers_agree_with_exact(inner):
    E = ms.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([-0.3, 0.2]))
    x0 = np.array([[0.8, -0.6], [0.1, 0.1]])
    box = Box(x0, 0.3)
    ex = minimizing_movement(E, LINF, x0, 0.1, steps=3, constraint=box)
    ap = minimizing_movement(E, LINF, x0, 0.1, steps=3, constraint=box, inner=inner)
    tol = {"grid": 1e-4, "multistart": 1e-6, "cbo": 2e-2}[inner.name]
    assert np.max(np.abs(ex.points - ap.points)) <= tol
    assert np.all(ap.energies[-1] >= ex.energies[-1] - 1e-12)  # the exact step is optimal
    assert ap.meta["inner"] == inner.name


def test_l2_and_l1_exact_steps():
    E = ms.SeparableQuadratic(np.array([1.0, 4.0]), np.array([0.3, -0.2]))
    x0 = np.array([1.0, 1.0])
    ex = minimizing_movement(E, Lp(2), x0, 0.2, steps=3)
    ms_ = minimizing_movement(E, Lp(2), x0, 0.2, steps=3, inner=MultistartInner(iters=2000))
    np.testing.assert_allclose(ex.points, ms_.points, atol=1e-7)
    L = ms.Linear(np.array([1.0, -3.0, 2.0]))
    one = minimizing_movement(L, Lp(1), np.zeros(3), 0.5, steps=1, constraint=Box(np.zeros(3), 0.3))
    np.testing.assert_allclose(one.final, [0.0, 0.3, -0.2])  # budget 0.5: 0.3 on |a|=3, then 0.2 on |a|=2


def test_flow_on_budget_box_equals_clipped_ifgsm_linear():
    """C23 / C21(ii): for E = <a, x> clipped IFGSM is exact at the nodes of the box-constrained flow."""
    from maxslope.exact import box_linear_flow

    f = box_linear_flow([1.0, -2.0, 0.5], [0.0, 0.0, 0.0], 0.2, T=0.5)
    for tau in (0.1, 0.05, 0.025):
        s = steepest_descent(f.energy, LINF, f.x0, tau, T=0.5, constraint=f.box)
        m = minimizing_movement(f.energy, LINF, f.x0, tau, T=0.5, constraint=f.box)
        np.testing.assert_allclose(s.points, f(s.times), atol=1e-15)
        np.testing.assert_allclose(m.points, f(m.times), atol=1e-15)


def test_backends_agree_on_schemes(xp):
    rng = np.random.default_rng(4)
    x0 = rng.normal(size=(5, 3))
    lam = np.array([1.0, 2.0, 3.0])
    ref = steepest_descent(ms.SeparableQuadratic(lam), LINF, x0, 0.05, steps=20)
    got = steepest_descent(ms.SeparableQuadratic(xp.asarray(lam)), LINF, xp.asarray(x0), 0.05, steps=20)
    np.testing.assert_array_equal(xp.np(got.points), ref.points)
    refm = minimizing_movement(ms.SeparableQuadratic(lam), LINF, x0, 0.05, steps=5)
    gotm = minimizing_movement(ms.SeparableQuadratic(xp.asarray(lam)), LINF, xp.asarray(x0), 0.05, steps=5)
    np.testing.assert_array_equal(xp.np(gotm.points), refm.points)


def test_bad_input():
    E = ms.SeparableQuadratic(np.ones(2))
    x0 = np.zeros(2)
    for tau in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="'tau'"):
            steepest_descent(E, LINF, x0, tau, steps=1)
    with pytest.raises(ValueError, match="exactly one"):
        minimizing_movement(E, LINF, x0, 0.1, steps=2, T=0.2)
    with pytest.raises(ValueError, match="exactly one"):
        minimizing_movement(E, LINF, x0, 0.1)
    with pytest.raises(ValueError, match="multiple"):
        minimizing_movement(E, LINF, x0, 0.3, T=1.0)
    with pytest.raises(ValueError, match="'p'"):
        minimizing_movement(E, LINF, x0, 0.1, steps=1, p=1.0)
    with pytest.raises(ValueError, match="outside the constraint"):
        minimizing_movement(E, LINF, x0, 0.1, steps=1, constraint=Box(np.ones(2), 0.1))
    with pytest.raises(ValueError, match="infeasible"):
        minimizing_movement(E, LINF, x0, 0.1, steps=1, inner=lambda E, s, x, r, c: x + 1.0)
    with pytest.raises(ValueError, match="no closed form"):
        minimizing_movement(ms.FromCallables(lambda x: np.sum(x, -1), lambda x: np.ones_like(x)), LINF, x0, 0.1, steps=1)
    with pytest.raises(ValueError, match="'x0'"):
        steepest_descent(E, LINF, np.array([np.nan, 0.0]), 0.1, steps=1)
    with pytest.raises(TypeError, match="'space'"):
        steepest_descent(E, "linf", x0, 0.1, steps=1)


def test_closed_form_registry_is_the_one_place_to_add_a_step() -> None:
    """A new energy's closed form is one decorated function; ExactInner, the schemes and W_p steps then find it."""
    import math as _m

    from maxslope.schemes import ExactInner, closed_form, minimizing_movement
    from maxslope.schemes.inner import CLOSED_FORMS
    from maxslope.wasserstein import Empirical, Wasserstein

    class Shifted(ms.SeparableQuadratic):
        pass

    n_before = len(CLOSED_FORMS)
    try:
        @closed_form(Shifted, ms.Lp, "shifted-test", lambda b, s, sp, C: sp.p == 1.5)
        def _step(base, sign, space, xk, radius, constraint):  # noqa: ANN001, ANN202
            return xk  # a stand-in: stays put (the energy is minimized at x^k = 0 below)

        E = Shifted(np.ones(2))
        assert ExactInner().describe(E, ms.Lp(1.5), None) == "closed form 'shifted-test'"
        tr = minimizing_movement(E, ms.Lp(1.5), np.zeros((3, 2)), 0.1, steps=2)
        assert "shifted-test" in tr.meta["inner_guarantee"]
        w = minimizing_movement(E, Wasserstein(_m.inf, ms.Lp(1.5)), Empirical(np.zeros((3, 2))), 0.1, steps=1)
        assert "shifted-test" in w.meta["inner_guarantee"]
    finally:
        del CLOSED_FORMS[n_before:]
    assert not ExactInner().supports(Shifted(np.ones(2)), ms.Lp(1.5), None)


def test_exact_inner_refuses_a_negative_or_nan_radius() -> None:
    from maxslope.schemes import ExactInner

    E = ms.SeparableQuadratic(np.ones(2))
    for space in (ms.Lp(2.0), ms.Lp(np.inf)):
        with pytest.raises(ValueError, match="'radius'"):
            ExactInner()(E, space, np.ones((1, 2)), -0.5, None)
        with pytest.raises(ValueError, match="'radius'"):
            ExactInner()(E, space, np.ones((1, 2)), float("nan"), None)
        np.testing.assert_array_equal(ExactInner()(E, space, np.ones((1, 2)), 0.0, None), np.ones((1, 2)))
    with pytest.raises(ValueError, match="'xk'"):
        ExactInner()(E, ms.Lp(2.0), np.array([[np.nan, 1.0]]), 0.5, None)
    with pytest.raises(TypeError, match="'constraint'"):
        ExactInner()(E, ms.Lp(np.inf), np.ones((1, 2)), 0.5, 0.5)


def test_l1_ball_step_in_a_box_against_the_lp() -> None:
    """The ℓ1 MMS step of a linear energy inside a box, against HiGHS on the LP over (x, |x − x0|): the box binds the
    last coordinate only, or several, or none; the step's objective must equal the LP's, and so must the point when
    the LP has a unique solution (distinct |a_i|)."""
    from scipy.optimize import linprog

    a = np.array([1.0, -2.0, 3.0])
    one = minimizing_movement(ms.Linear(a), Lp(1), np.zeros(3), 0.5, steps=1, constraint=Box(np.zeros(3), np.array([1.0, 1.0, 0.3])))
    np.testing.assert_allclose(one.final, [0.0, 0.2, -0.3], atol=1e-15)  # 0.3 on |a|=3 (box), then 0.2 on |a|=2
    rng = np.random.default_rng(41)
    for _ in range(30):
        d = int(rng.integers(2, 6))
        a = rng.normal(size=d)
        c, r = rng.normal(size=d) * 0.1, rng.uniform(0.05, 0.5, size=d)
        x0 = c + r * rng.uniform(-1, 1, size=d)
        tau = float(rng.uniform(0.05, 1.0))
        y = minimizing_movement(ms.Linear(a), Lp(1), x0, tau, steps=1, constraint=Box(c, r)).final
        # variables (x, s): min a·x, s ≥ |x − x0|, Σ s ≤ τ, c − r ≤ x ≤ c + r
        eye = np.eye(d)
        A_ub = np.block([[eye, -eye], [-eye, -eye], [np.zeros((1, d)), np.ones((1, d))]])
        b_ub = np.concatenate([x0, -x0, [tau]])
        res = linprog(np.concatenate([a, np.zeros(d)]), A_ub=A_ub, b_ub=b_ub,
                      bounds=[(lo, hi) for lo, hi in zip(c - r, c + r, strict=True)] + [(0, None)] * d, method="highs")
        assert res.status == 0
        assert np.abs(y - x0).sum() <= tau * (1 + 1e-12) and np.all(np.abs(y - c) <= r * (1 + 1e-12))
        assert float(a @ y) == pytest.approx(res.fun, abs=1e-9)
        np.testing.assert_allclose(y, res.x[:d], atol=1e-7)
