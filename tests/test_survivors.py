"""Tests written against mutation survivors of the last mutmut run (issue 20): each pins a behaviour that no other
test distinguished from its mutant."""

from __future__ import annotations

import numpy as np
import pytest

import maxslope as ms
from maxslope.exact import sliding_flow
from maxslope.exact.closed_form import T_SYM, Piece
from maxslope.perimeter import Grid, perimeter_step

X32 = np.array([[0.3, -0.7, 1.1], [2.0, 0.1, -0.4]], dtype=np.float32)


@pytest.mark.parametrize("E", [
    ms.Linear(np.array([1.0, -2.0, 0.5]), c=0.25),
    ms.SeparableQuadratic(np.array([1.0, 2.0, 3.0]), center=np.array([0.1, 0.2, 0.3])),
    ms.Quadratic(np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.1], [0.0, 0.1, 3.0]]), np.array([1.0, 0.0, -1.0])),
    ms.L1Norm(3, center=np.array([0.1, 0.2, 0.3]), weight=np.array([1.0, 2.0, 3.0])),
], ids=lambda E: type(E).__name__)
def test_float64_parameters_keep_float32_points_float32(E) -> None:
    """The parameters are cast to the points' dtype: value and gradient of float32 points are float32 and agree
    with the float64 evaluation to float32 rounding (a dropped cast makes them float64)."""
    g, v = E.grad(X32), E.value(X32)
    assert g.dtype == np.float32 and v.dtype == np.float32
    g64, v64 = E.grad(X32.astype(np.float64)), E.value(X32.astype(np.float64))
    assert np.allclose(g, g64, rtol=4e-7, atol=4e-7 * np.abs(g64).max())
    assert np.allclose(v, v64, rtol=4e-7, atol=4e-7 * np.abs(v64).max())


def test_from_pieces_keeps_name_and_reference() -> None:
    s = sliding_flow()
    p0 = s.pieces[0]
    slow = [Piece(p0.t0, p0.t1, p0.u.subs(T_SYM, T_SYM / 2))]
    c = type(s).from_pieces("half speed", s, slow)
    assert (c.name, c.reference) == ("half speed", "negative control")
    assert type(s).from_pieces("x", s, slow, reference="claim C4 control").reference == "claim C4 control"
    assert c.space is s.space and c.energy is s.energy and not c.verify_symbolic().passed
    with pytest.raises(TypeError, match="'reference'"):
        type(s).from_pieces("x", s, slow, reference=3)


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
@pytest.mark.parametrize("selection", ["min", "max"])
def test_lp_selects_the_same_minimizer_as_the_cut_at_every_scale(scale, selection) -> None:
    """The LP's ±δ·m selection must pick the minimal / maximal minimizer whatever the size of the masses: the
    perturbation δ is relative to the problem's own scale. A square of side 2ε on an ε = h grid has many tied
    minimizers (its corners), so the two selections differ and the LP must find each."""
    G = Grid((12, 12), 1 / 12, density=np.full((12, 12), scale))
    A = np.zeros((12, 12), bool)
    A[4:8, 4:8] = True
    lo = perimeter_step(A, 0.02, 1 / 12, G, selection="min").A
    hi = perimeter_step(A, 0.02, 1 / 12, G, selection="max").A
    want = lo if selection == "min" else hi
    got = perimeter_step(A, 0.02, 1 / 12, G, selection=selection, solver="lp").A
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e9])
def test_ball_transport_lp_is_scale_free(scale) -> None:
    """The W_inf-ball transport LP (claims C19/C20) against the per-atom minimum over each ball, at every scale of
    the integrand. Unscaled, HiGHS stopped at -0.2286 instead of -0.9937 for values of size 1e-12 (its optimality
    tolerances are absolute)."""
    from maxslope.wasserstein import Empirical, ball_transport_lp

    mu = Empirical(np.array([[0.0], [1.0]]))
    g = np.linspace(-1.0, 2.0, 31)
    v = scale * np.vstack([np.sin(3 * g), np.cos(2 * g)])
    D = np.abs(mu.points - g[None, :])
    exact = 0.5 * sum(v[i][D[i] <= 0.5 + 1e-12].min() for i in range(2))
    for sense, want in (("min", exact), ("max", 0.5 * sum(v[i][D[i] <= 0.5 + 1e-12].max() for i in range(2)))):
        val, plan = ball_transport_lp(v, mu, g, 0.5, sense=sense)
        assert val == pytest.approx(want, rel=1e-9)
        assert plan.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(("E", "params"), [
    (ms.Linear(np.array([1.0, -2.0, 0.5]), c=0.25), ["a"]),
    (ms.SeparableQuadratic(np.array([1.0, 2.0, 3.0]), center=np.array([0.1, 0.2, 0.3])), ["lam", "center"]),
    (ms.Quadratic(np.eye(3) * 2.0, np.array([1.0, 0.0, -1.0])), ["A", "b"]),
    (ms.L1Norm(3, center=np.array([0.1, 0.2, 0.3]), weight=np.array([1.0, 2.0, 3.0])), ["weight", "center"]),
], ids=lambda v: type(v).__name__ if isinstance(v, ms.Energy) else "")
def test_numpy_parameters_with_points_of_another_library_name_the_parameter(E, params) -> None:
    """Points of another array library (array-api-strict) than the energy's parameters: value and gradient refuse
    them with a TypeError that names the class and the parameter, Class.name (a renamed parameter in the message
    would leave the user guessing which array to rebuild)."""
    xps = pytest.importorskip("array_api_strict")
    x = xps.asarray([[0.3, -0.7, 1.1]], dtype=xps.float64)
    for method in (E.value, E.grad):
        with pytest.raises(TypeError) as info:
            method(x)
        assert any(f"{type(E).__name__}.{p} is a numpy array" in str(info.value) for p in params), str(info.value)


def test_quadratic_symmetry_message_names_A() -> None:
    with pytest.raises(ValueError, match="argument 'A' must be symmetric"):
        ms.Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]))


def test_linf_extreme_points_are_the_sign_vectors() -> None:
    P = np.asarray(ms.Lp(np.inf).extreme_points(3))
    assert P.shape == (8, 3) and set(np.unique(P).tolist()) == {-1.0, 1.0} and len({tuple(r) for r in P}) == 8


def test_front_step_1d_relabeled_minimizes_the_relabeled_energy() -> None:
    """The relabeled 1-D step against the energy written out here: (1/ε)[∫_{b'}^{b'+ε}(1−η)ρ + ∫_{b'−ε}^{b'} ηρ]
    + (1/τ)∫_b^{b'} clip(x − b, ±τ/ε)ρ, η = clip(½ − (ε/2τ)(x − b), 0, 1), minimized on a grid of spacing 2.5e-5.
    A wrong slope of η (3τ/ε for 2τ/ε) moves the step by 1.5e-3."""
    from scipy.integrate import quad

    from maxslope.perimeter import references as ref

    tau, eps, b = 0.01, 0.08, 0.0
    m = tau / eps

    def rho(x: float) -> float:
        return float(np.exp(-((x - 0.7) ** 2) / 2))

    def eta(x: float) -> float:
        return min(max(0.5 - eps / (2 * tau) * (x - b), 0.0), 1.0)

    def energy(y: float) -> float:
        per = quad(lambda s: (1 - eta(s)) * rho(s), y, y + eps)[0] + quad(lambda s: eta(s) * rho(s), y - eps, y)[0]
        return per / eps + quad(lambda s: max(-m, min(m, s - b)) * rho(s), b, y)[0] / tau

    ys = np.arange(-0.02, 0.0, 2.5e-5)
    best = ys[int(np.argmin([energy(float(y)) for y in ys]))]
    assert ref.front_step_1d(b, tau, eps, rho, "S", 0.05, "relabeled") == pytest.approx(best, abs=5e-5)
