"""The graph (point-cloud) perimeter: agreement with the grid perimeter, M1 on the sample, the exact disc mean."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from maxslope.perimeter import Grid, class_masses, nonlocal_perimeter
from maxslope.perimeter.cloud import (
    _lens,
    cloud_adversarial_risk,
    cloud_masses,
    cloud_perimeter,
    cloud_risk,
    disc_cloud_expectation,
)


@pytest.mark.parametrize("variant", ["S", "O", "F"])
def test_grid_points_as_a_cloud_give_the_grid_perimeter(variant: str) -> None:
    # on the cell centres with the cell masses, the graph sup/inf over the closed ball is the grid stencil's; the
    # set stays away from the box edge, where the grid's convention (exterior outside every set) would differ
    G = Grid((40, 36), 0.05, density=lambda x: 1 + 0.5 * np.sin(3 * x[..., 0]))
    r = np.linalg.norm(G.points - np.array([0.1, -0.05]), axis=-1)
    A = (r <= 0.45) & ~(np.abs(G.points[..., 1]) < 0.06)
    m0, m1 = (m.ravel() for m in class_masses(G, variant))
    for eps in (0.07, 0.135, 0.21):
        want = nonlocal_perimeter(A, eps, G, variant)
        got = cloud_perimeter(G.points.reshape(-1, 2), A.ravel(), eps, variant=(m0, m1))
        assert got == pytest.approx(want, rel=1e-13)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), eps=st.sampled_from([0.03, 0.1, 0.25]), p=st.sampled_from([1.0, 2.0, math.inf]))
def test_adversarial_risk_identity_on_the_sample(seed: int, eps: float, p: float) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    X = rng.uniform(-1, 1, size=(n, 2))
    y = rng.uniform(size=n) < 0.5
    A = rng.uniform(size=n) < 0.5
    w = rng.dirichlet(np.ones(n))
    lhs = cloud_adversarial_risk(X, A, y, eps, weights=w, p=p)
    rhs = cloud_risk(A, y, w) + eps * cloud_perimeter(X, A, eps, variant="labels", labels=y, weights=w, p=p)
    assert lhs == pytest.approx(rhs, abs=1e-14)


def test_swapped_class_masses_break_the_identity() -> None:
    # x1 (label 0, outside A) can move into A, x0 (label 1, inside A) can move out: each attack costs a quarter
    X = np.array([[0.0, 0.0], [0.1, 0.0], [1.0, 1.0], [1.05, 1.0]])
    A = np.array([True, False, True, True])
    y = np.array([True, False, True, True])
    lhs = cloud_adversarial_risk(X, A, y, 0.2)
    assert lhs == pytest.approx(0.5) and cloud_risk(A, y) == 0.0
    m0, m1 = cloud_masses(4, "labels", labels=y)
    assert cloud_risk(A, y) + 0.2 * cloud_perimeter(X, A, 0.2, variant=(m0, m1)) == pytest.approx(lhs)
    assert cloud_risk(A, y) + 0.2 * cloud_perimeter(X, A, 0.2, variant=(m1, m0)) == 0.0


def test_closed_ball_and_metric() -> None:
    X = np.array([[0.0, 0.0], [0.3, 0.4], [0.3, 0.0]])  # |x1 − x0| = 0.5 in ℓ2, 0.7 in ℓ1, 0.4 in ℓ∞
    A = np.array([True, False, False])
    w = np.array([0.2, 0.5, 0.3])
    # x1 at distance exactly 0.5: inside the closed ball (dilation m0 = w/2 of x1 and x2)
    assert cloud_perimeter(X, A, 0.5, weights=w) == pytest.approx((0.25 + 0.15 + 0.1) / 0.5)
    assert cloud_perimeter(X, A, math.nextafter(0.3, 0), weights=w) == 0.0
    assert cloud_perimeter(X, A, 0.3, weights=w) == pytest.approx((0.15 + 0.1) / 0.3)
    assert cloud_perimeter(X, A, 0.4, weights=w, p=math.inf) == pytest.approx((0.25 + 0.15 + 0.1) / 0.4)
    assert cloud_perimeter(X, A, 0.5, weights=w, p=1) == pytest.approx((0.15 + 0.1) / 0.5)


def test_lens_area_against_quadrature() -> None:
    # polar coordinates around x: the circle of radius s meets the disc in an arc of angle 2(π − arccos c)
    R, eps = 0.5, 0.15

    def arc(s: float, r: float) -> float:
        c = (R * R - r * r - s * s) / (2 * r * s)
        return s * 2 * (math.pi - math.acos(min(1.0, max(-1.0, c))))

    for r in (0.36, 0.42, 0.5, 0.58, 0.64):
        area = quad(arc, 0, eps, args=(r,), epsabs=1e-14, limit=200, points=[abs(R - r)])[0]
        assert _lens(r, R, eps) == pytest.approx(area, rel=1e-10, abs=1e-14)
    assert _lens(0.1, R, eps) == pytest.approx(math.pi * eps**2)
    assert _lens(0.7, R, eps) == 0.0


def test_disc_expectation_against_monte_carlo() -> None:
    n, R, eps, L = 800, 0.5, 0.15, 1.0
    expect, limit = disc_cloud_expectation(n, R, eps, L)
    assert limit == pytest.approx(2 * math.pi * R / 4)
    assert expect < limit
    vals = []
    for s in range(200):
        X = np.random.default_rng(s).uniform(-L, L, size=(n, 2))
        vals.append(cloud_perimeter(X, (X**2).sum(1) <= R * R, eps))
    v = np.asarray(vals)
    assert abs(v.mean() - expect) < 4 * v.std(ddof=1) / math.sqrt(len(v))
    # and the bias is real: the limit is many standard errors away at this n
    assert abs(v.mean() - limit) > 10 * v.std(ddof=1) / math.sqrt(len(v))
    # the bias shrinks like n^(−2/3)
    b = [abs(np.subtract(*disc_cloud_expectation(m, R, eps, L))) for m in (4000, 16000, 64000)]
    assert all(0.6 < math.log(b[k] / b[k + 1]) / math.log(4) < 0.75 for k in range(2))


def test_bad_input() -> None:
    X = np.zeros((3, 2))
    A = np.array([True, False, False])
    with pytest.raises(ValueError, match="points"):
        cloud_perimeter(np.array([[0.0, np.nan], [1, 1], [2, 2]]), A, 0.1)
    with pytest.raises(ValueError, match="points"):
        cloud_perimeter(np.zeros(3), A, 0.1)
    with pytest.raises(ValueError, match="'A'"):
        cloud_perimeter(X, A[:2], 0.1)
    with pytest.raises(ValueError, match="'A'"):
        cloud_perimeter(X, np.array([0, 2, 1]), 0.1)
    with pytest.raises(ValueError, match="one-dimensional"):
        cloud_risk(np.zeros((2, 2)), [1, 0])
    with pytest.raises(ValueError, match="eps"):
        cloud_perimeter(X, A, 0.0)
    with pytest.raises(ValueError, match="eps"):
        cloud_perimeter(X, A, math.nan)
    with pytest.raises(ValueError, match="weights"):
        cloud_perimeter(X, A, 0.1, weights=[0.5, 0.4, 0.2])
    with pytest.raises(ValueError, match="weights"):
        cloud_perimeter(X, A, 0.1, weights=[1.5, -0.5, 0.0])
    with pytest.raises(ValueError, match="'p'"):
        cloud_perimeter(X, A, 0.1, p=0.5)
    with pytest.raises(ValueError, match="variant"):
        cloud_perimeter(X, A, 0.1, variant="Q")
    with pytest.raises(ValueError, match="labels"):
        cloud_perimeter(X, A, 0.1, variant="labels")
    with pytest.raises(ValueError, match="m0"):
        cloud_perimeter(X, A, 0.1, variant=(np.ones(2), np.ones(3)))
    with pytest.raises(ValueError, match="eps <= R"):
        disc_cloud_expectation(100, 0.5, 0.3, 1.0)
    with pytest.raises(ValueError, match="'n'"):
        disc_cloud_expectation(1, 0.5, 0.1, 1.0)
