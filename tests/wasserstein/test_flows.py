"""W_∞ flows through the generic layer (schemes and checks called with a Wasserstein space), the adversary."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope import Lp
from maxslope.attacks import ifgsm
from maxslope.checks import check_energy_dissipation, check_speed
from maxslope.schemes import minimizing_movement, steepest_descent
from maxslope.wasserstein import (
    Empirical,
    PotentialEnergy,
    Wasserstein,
    ball_transport_lp,
    distributional_adversary,
    mass_splitting_flow,
    uniform_spreading_curve,
    wasserstein_distance,
)

LINF = Lp(math.inf)
W_INF = Wasserstein(math.inf, LINF)


def flow(times, points, weights):  # noqa: ANN001, ANN201
    return ms.Trajectory(times, points, weights=weights)


def check_w_inf_speed(f, ground, pairs="all", measure="certify"):  # noqa: ANN001, ANN201
    return check_speed(f, Wasserstein(math.inf, ground), pairs=pairs, certify=measure == "certify")


def check_measure_energy_dissipation(f, E, ground):  # noqa: ANN001, ANN201
    return check_energy_dissipation(f, E, Wasserstein(math.inf, ground))


def particle_steepest_descent(E, mu, tau, steps, selection=None):  # noqa: ANN001, ANN201
    return steepest_descent(E, W_INF, mu, tau, steps=steps, selection=selection)


def test_potential_energy() -> None:
    Q = ms.SeparableQuadratic(np.array([1.0, 2.0]))
    mu = Empirical(np.array([[1.0, 1.0], [0.0, -1.0]]), np.array([0.25, 0.75]))
    P = PotentialEnergy(Q)
    assert P.value(mu) == pytest.approx(0.25 * 1.5 + 0.75 * 1.0)
    assert P.slope(W_INF, mu) == pytest.approx(0.25 * 3 + 0.75 * 2)  # ℓ1 dual norm of (x1, 2 x2)
    assert ms.slope(Q, W_INF, mu) == P.slope(W_INF, mu)  # a ground energy is read as its potential energy
    with pytest.raises(TypeError, match="mu"):
        P.value(np.zeros((2, 2)))


def test_mass_splitting_is_a_flow_and_spreading_is_not() -> None:
    split, E = mass_splitting_flow(T=1.0, nodes=20)
    assert check_w_inf_speed(split, LINF).passed
    r = check_measure_energy_dissipation(split, E, LINF)
    assert r.passed and r.measured < 1e-14
    assert np.allclose(split.energy_values(W_INF.lift_energy(E)), -split.times**2 / 2)
    spread = uniform_spreading_curve(1.0, atoms=400)
    assert check_w_inf_speed(spread, LINF, pairs="consecutive").passed  # speed 1 (up to quantization)
    bad = check_measure_energy_dissipation(spread, E, LINF)
    assert not bad.passed
    assert bad.measured == pytest.approx(1 / 4 - 1 / 6, rel=1e-3)  # ∫G − drop = t²/4 − t²/6 at t = 1


def test_split_semi_implicit_particles_reproduce_the_split_flow() -> None:
    split, E = mass_splitting_flow(T=1.0, nodes=32)
    mu = Empirical(np.zeros((1, 1))).split(0, 2)
    semi = particle_steepest_descent(E, mu, 1 / 32, steps=32, selection=[1.0, -1.0])
    np.testing.assert_array_equal(semi.points, split.points)
    # without the split (sign(0) = 0) the mass stays at the critical point: also a flow (δ_0), spec §4.7b
    stay = particle_steepest_descent(E, Empirical(np.zeros((1, 1))), 1 / 32, steps=32)
    assert np.all(stay.points == 0) and check_measure_energy_dissipation(stay, E, LINF).passed


def test_particle_schemes_are_per_particle_schemes() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(25, 2))
    Q = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    mu = Empirical(X)
    pm = minimizing_movement(Q, W_INF, mu, 0.1, steps=5)
    for i in range(0, 25, 6):
        np.testing.assert_array_equal(pm.points[:, i], minimizing_movement(Q, LINF, X[i], 0.1, steps=5).points)
    assert check_w_inf_speed(pm, LINF).passed
    # batch IFGSM = the semi-implicit W_∞ scheme of −∫ℓ (no clipping when Kτ ≤ ε)
    loss = ms.Linear(np.array([1.0, -2.0]))
    semi = particle_steepest_descent(ms.Negated(loss), mu, 0.05, steps=4)
    # (IFGSM's clamp only trims the rounding of the K sums, spec C21(i))
    np.testing.assert_allclose(semi.points, np.asarray(ifgsm(loss, X, 0.2, 0.05, 4).points), rtol=0, atol=8 * 4 * 2.3e-16)
    assert wasserstein_distance(mu, semi.node(4), math.inf, LINF) <= 0.2 + 1e-15


def test_w_inf_speed_rejects_fast_curves() -> None:
    split, _ = mass_splitting_flow(T=1.0, nodes=8)
    fast = flow(split.times, 1.01 * split.points, split.weights)
    r = check_w_inf_speed(fast, LINF)
    assert not r.passed and r.measured == pytest.approx(1.01)


def test_w_inf_speed_uses_measures_not_labels() -> None:
    # relabel the two particles of the split flow at every other node: each "particle" now jumps by 2t, but the
    # measures, and hence the W_∞ speed, are unchanged
    split, _ = mass_splitting_flow(T=1.0, nodes=8)
    pts = split.points.copy()
    pts[1::2] = pts[1::2, ::-1]
    relabeled = flow(split.times, pts, split.weights)
    assert np.max(np.abs(np.diff(pts, axis=0))) > 0.5
    r = check_w_inf_speed(relabeled, LINF)
    assert r.passed and r.measured == pytest.approx(1.0)
    # the labels certify only the pairs of nodes with the same parity; the others need the exact W_∞
    assert 0 < r.details["exact"] < r.details["pairs"] and r.details["certified"] + r.details["exact"] == r.details["pairs"]
    e = check_w_inf_speed(relabeled, LINF, measure="exact")
    assert e.passed and e.details["exact"] == e.details["pairs"] and e.measured == pytest.approx(1.0)


def test_w_inf_speed_certificates_agree_with_exact_values() -> None:
    # a particle flow that certifies by its labels, and the same flow 1 % too fast: both modes give one verdict
    rng = np.random.default_rng(3)
    mu = Empirical(rng.normal(size=(300, 2)))
    fl = particle_steepest_descent(ms.SeparableQuadratic(np.array([1.0, 2.0])), mu, 0.05, steps=6)
    fast = flow(fl.times, fl.points[0] + 1.01 * (fl.points - fl.points[0]), fl.weights)
    for f, ok in ((fl, True), (fast, False)):
        c, e = check_w_inf_speed(f, LINF), check_w_inf_speed(f, LINF, measure="exact")
        assert c.passed is e.passed is ok
        assert c.measured >= e.measured * (1 - 1e-15)  # a certificate is an upper bound of W_∞
    assert check_w_inf_speed(fl, LINF).details["exact"] == 0
    with pytest.raises(TypeError, match="certify"):
        check_speed(fl, W_INF, certify="bound")
    with pytest.raises(TypeError, match="ground"):
        Wasserstein(math.inf, 2.0)


def test_distributional_adversary_quadratic_and_lp() -> None:
    h = 0.1
    g = np.arange(-15, 16) * h
    grid = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    mu = Empirical(np.array([[0.3, -0.5], [0.0, 0.7], [-0.8, 0.2]]), np.array([0.2, 0.3, 0.5]))
    Q = ms.SeparableQuadratic(np.ones(2))
    eps = 2 * h
    value, nu = distributional_adversary(Q, mu, eps)
    # each atom moves to x + ε sign(x) (a zero coordinate may go either way)
    np.testing.assert_allclose(np.abs(nu.points), np.abs(mu.points) + eps, atol=1e-15)
    lp, plan = ball_transport_lp(np.tile(Q.value(grid), (mu.n, 1)), mu, grid, eps, LINF, "max")
    assert value == pytest.approx(lp, abs=1e-9)
    np.testing.assert_allclose(plan.toarray().sum(1), mu.weights, atol=1e-12)


def test_validation() -> None:
    with pytest.raises(ValueError, match="shape"):
        flow(np.array([0.0, 1.0]), np.zeros((3, 2, 1)), np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="increasing"):
        flow(np.array([0.0, 0.0]), np.zeros((2, 2, 1)), np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="weights"):
        flow(np.array([0.0, 1.0]), np.zeros((2, 2, 1)), np.array([0.5, 0.6]))
    mu = Empirical(np.zeros((2, 1)))
    with pytest.raises(ValueError, match="selection"):
        particle_steepest_descent(ms.Linear(np.ones(1)), mu, 0.1, steps=1, selection=[1.0])
    with pytest.raises(ValueError, match="eps"):
        distributional_adversary(ms.Linear(np.ones(1)), mu, 0.0)
    with pytest.raises(ValueError, match="labels"):
        distributional_adversary([ms.Linear(np.ones(1))], mu, 0.1, labels=np.array([0, 1]))
    with pytest.raises(ValueError, match="point of argument .grid."):
        ball_transport_lp(np.zeros((2, 1)), mu, np.array([[5.0]]), 0.1, LINF)
    with pytest.raises(ValueError, match="sense"):
        ball_transport_lp(np.zeros((2, 1)), mu, np.array([[0.0]]), 0.1, LINF, "sup")
    with pytest.raises(TypeError, match="traj"):
        check_w_inf_speed(mu, LINF)
    with pytest.raises(ValueError, match="parts"):
        mu.split(0, 0)
