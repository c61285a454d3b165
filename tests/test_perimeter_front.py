"""The front-tracking reference of M18 and the grid's boundary points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from maxslope.perimeter import Grid
from maxslope.perimeter import references as ref


def _circle(R: float, n: int = 200) -> np.ndarray:
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([R * np.cos(th), R * np.sin(th)], axis=1)


def test_circle_follows_the_exact_law() -> None:
    times = [0.02, 0.04, 0.06]
    for c_per in (1.0, 2.0):
        T = [t / c_per for t in times]
        for t, P in zip(T, ref.front_tracking(_circle(0.4), T[-1], c_per=c_per, times=T), strict=True):
            r = np.linalg.norm(P, axis=1)
            assert abs(r.mean() - ref.disc_radius(t, 0.4, c_per)) < 1e-4  # O(Δs²/R)
            assert r.std() < 1e-6  # stays a circle


def test_ellipse_area_law_and_rounding() -> None:
    a, b = 0.45, 0.3
    P0 = ref.ellipse_curve(a, b, 240)
    assert ref.polygon_area(P0) == pytest.approx(math.pi * a * b, rel=2e-4)
    out = ref.front_tracking(P0, 0.03, times=[0.01, 0.03])
    for t, P in zip([0.01, 0.03], out, strict=True):
        # Gauss–Bonnet: dA/dt = −2π for every simple closed curve
        assert ref.polygon_area(P) - ref.polygon_area(P0) == pytest.approx(-2 * math.pi * t, abs=1e-4)
    aspect = np.ptp(out[-1][:, 0]) / np.ptp(out[-1][:, 1])
    assert 1.0 < aspect < 1.4  # rounder than the initial 1.5 (curve shortening is not self-similar on ellipses)


def test_gaussian_circle_against_m13() -> None:
    sigma = 0.4
    for R0 in (0.8 * sigma, 1.2 * sigma):
        P = ref.front_tracking(_circle(R0), 0.03, grad_log_rho=lambda x: -x / sigma**2)[0]
        assert ref.polygon_area(P) / math.pi == pytest.approx(ref.gaussian_disc_area(0.03, R0, sigma), rel=2e-3)


def test_extinction_returns_empty_curves() -> None:
    out = ref.front_tracking(_circle(0.1, 64), 0.01, times=[0.001, 0.01])
    assert len(out[0]) >= 16 and out[1].shape == (0, 2)


def test_front_tracking_bad_input() -> None:
    with pytest.raises(ValueError, match="P0"):
        ref.front_tracking(np.zeros((5, 2)), 0.1)
    with pytest.raises(ValueError, match="counter-clockwise"):
        ref.front_tracking(_circle(0.3)[::-1], 0.1)
    with pytest.raises(ValueError, match="'T'"):
        ref.front_tracking(_circle(0.3), math.nan)
    with pytest.raises(ValueError, match="P0"):
        P = _circle(0.3)
        P[3, 0] = np.inf
        ref.front_tracking(P, 0.1)


def test_boundary_points() -> None:
    G = Grid((6, 5), 0.5)
    A = np.zeros(G.shape, bool)
    A[2:4, 1:3] = True  # a 2×2 block: 8 faces
    B = G.boundary_points(A)
    assert len(B) == 8
    c = G.points[2:4, 1:3].reshape(-1, 2)
    lo, hi = c.min(0) - 0.25, c.max(0) + 0.25
    on_edge = np.isclose(B, lo) | np.isclose(B, hi)
    assert np.all(on_edge.any(axis=1))
    # the box edge counts as a boundary for cells in A
    assert len(G.boundary_points(np.ones(G.shape, bool))) == 2 * (6 + 5)
    with pytest.raises(ValueError, match="shape"):
        G.boundary_points(np.zeros((5, 5), bool))


def test_front_tracking_refuses_a_self_crossing_curve_and_a_bad_drift() -> None:
    """A curve that crosses itself is not reported extinct (its signed area is <= 0 while it is still long), and a
    drift callable must return finite (n, 2) values."""
    P0 = ref.ellipse_curve(0.5, 0.2, 64)
    with pytest.raises(ValueError, match="crossed itself"):
        ref.front_tracking(P0, 0.05, times=[0.01, 0.05],
                           grad_log_rho=lambda X: 200 * np.stack([np.sin(5 * X[:, 1]), np.cos(3 * X[:, 0])], axis=1))
    with pytest.raises(ValueError, match="grad_log_rho"):
        ref.front_tracking(P0, 0.01, grad_log_rho=lambda X: X[:, :1])
    with pytest.raises(ValueError, match="grad_log_rho"):
        ref.front_tracking(P0, 0.01, grad_log_rho=lambda X: np.full(X.shape, np.nan))


def test_front_tracking_respects_the_advection_limit() -> None:
    """ρ = exp(K|x|²/2), K = 1000: a circle follows R² + 1/K = (R₀² + 1/K)e^{−2Kt}; the step is limited by the
    drift (with the curvature limit alone the radius was 3.8e-3 off at t = 5e-4)."""
    K = 1000.0
    C = ref.front_tracking(ref.ellipse_curve(0.5, 0.5, 200), 0.0005, grad_log_rho=lambda X: K * X)[0]
    exact = math.sqrt((0.25 + 1 / K) * math.exp(-2 * K * 0.0005) - 1 / K)
    assert abs(float(np.hypot(*C.T).mean()) - exact) < 1e-3
