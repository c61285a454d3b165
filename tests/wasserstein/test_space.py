"""The Wasserstein space behind the generic layer: one slope, one scheme, one check for ℓp and W_p."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import maxslope as ms
from maxslope.checks import (
    check_curve_of_maximal_slope,
    check_differential_inclusion,
    check_energy_dissipation,
    check_speed,
    check_upper_gradient,
)
from maxslope.exact import linear_flow
from maxslope.schemes import NoExactSolver, minimizing_movement, steepest_descent
from maxslope.wasserstein import (
    Empirical,
    InteractionEnergy,
    ParticleInner,
    PotentialEnergy,
    Wasserstein,
    mass_splitting_flow,
    uniform_spreading_curve,
)

LINF, L2 = ms.Lp(math.inf), ms.Lp(2.0)
W_INF, W_2 = Wasserstein(math.inf, LINF), Wasserstein(2.0, L2)


def cloud(seed: int, n: int = 7, d: int = 2, weighted: bool = True) -> Empirical:
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 1.5, size=n) if weighted else np.ones(n)
    return Empirical(rng.normal(size=(n, d)), w / w.sum(), atol=1e-9)


def translation(mu: Empirical, v: np.ndarray, T: float = 1.0, nodes: int = 9) -> ms.Trajectory:
    t = np.linspace(0.0, T, nodes)
    return ms.Trajectory(t, mu.points[None] + t[:, None, None] * v, weights=mu.weights)


# ------------------------------------------------------------------------------------------------ the space
def test_protocols() -> None:
    assert isinstance(W_2, ms.MetricSpace) and not isinstance(W_2, ms.NormedSpace)
    assert isinstance(L2, ms.NormedSpace)
    assert W_INF.dual_exponent == 1.0 and Wasserstein(4.0, L2).dual_exponent == pytest.approx(4 / 3)
    assert Wasserstein(2, ms.Lp(2)) == W_2 and hash(Wasserstein(2, ms.Lp(2))) == hash(W_2) and repr(W_INF) == "Wasserstein(inf, Lp(inf))"


@pytest.mark.parametrize("p", [1.0, 2.0, math.inf])
def test_geodesic_is_displacement_interpolation(p: float) -> None:
    mu, nu = cloud(1, 6, weighted=False), cloud(2, 9)
    space = Wasserstein(p, L2)
    D = space.distance(mu, nu)
    for s, z in zip([0.3, 0.7], space.geodesic(mu, nu, np.array([0.3, 0.7])), strict=True):
        assert space.distance(mu, z) == pytest.approx(s * D, rel=1e-12)
        assert space.distance(z, nu) == pytest.approx((1 - s) * D, rel=1e-12)
    if p == 1.0:
        return  # W_1 is affine along mixtures: (1 - s)mu + s nu is a W_1 geodesic too
    # the mixture is not a geodesic (negative control)
    mix = Empirical(np.concatenate([mu.points, nu.points]), np.concatenate([0.5 * mu.weights, 0.5 * nu.weights]), atol=1e-9)
    assert abs(space.distance(mu, mix) - 0.5 * D) > 1e-3 * D


def test_geodesic_splits_mass() -> None:
    d0 = Empirical(np.zeros((1, 1)))
    two = Empirical(np.array([[-1.0], [1.0]]))
    z = W_INF.geodesic(d0, two, 0.5)
    assert z.n == 2 and sorted(z.points[:, 0].tolist()) == [-0.5, 0.5]
    assert W_INF.distance(d0, z) == 0.5


def test_distance_batches_and_bound() -> None:
    mu, nu = cloud(3), cloud(4)
    assert np.allclose(W_2.distance([mu, nu], [nu, mu]), W_2.distance(mu, nu))
    nu_same = Empirical(mu.points + 0.1, mu.weights)
    assert W_2.distance_upper_bound(mu, nu_same) >= W_2.distance(mu, nu_same) - 1e-15
    assert W_2.distance_upper_bound(mu, nu) == math.inf  # different weights: no particle coupling


def test_space_validation() -> None:
    with pytest.raises(ValueError, match="'p'"):
        Wasserstein(0.5, L2)
    with pytest.raises(TypeError, match="ground"):
        Wasserstein(2.0, W_2)
    with pytest.raises(TypeError, match="ground"):
        Wasserstein(2.0, "l2")
    mu = cloud(5)
    with pytest.raises(TypeError, match="'nu'"):
        W_2.distance(mu, mu.points)
    with pytest.raises(ValueError, match="hold 1 and 2"):
        W_2.distance([mu], [mu, mu])
    with pytest.raises(ValueError, match="'s'"):
        W_2.geodesic(mu, mu, 1.5)
    with pytest.raises(ValueError, match="'s'"):
        W_2.geodesic(mu, mu, np.array([0.2, np.nan]))
    with pytest.raises(TypeError, match="space"):
        ms.slope(ms.Linear(np.ones(2)), "W2", mu)


def test_measure_curves_validate_and_never_touch_input() -> None:
    X = np.zeros((3, 2, 1))
    w = np.array([0.5, 0.5])
    tr = ms.Trajectory(np.arange(3.0), X, weights=w)
    assert X.flags.writeable and w.flags.writeable and tr.points is not X
    mu_pts = np.ones((2, 2))
    Empirical(mu_pts)
    assert mu_pts.flags.writeable  # the caller's array keeps its flags
    with pytest.raises(ValueError, match="weights"):
        ms.Trajectory(np.arange(3.0), X, weights=np.array([0.5, 0.6]))
    with pytest.raises(ValueError, match="weights"):
        ms.Trajectory(np.arange(3.0), X, weights=np.array([1.0]))
    with pytest.raises(ValueError, match="points"):
        ms.Trajectory(np.arange(3.0), np.zeros((3, 2)), weights=w)
    with pytest.raises(ValueError, match="non-finite|NaN|finite"):
        ms.Trajectory(np.arange(3.0), np.full((3, 2, 1), np.nan), weights=w)
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="mix|librar"):
        ms.Trajectory(np.arange(3.0), X, weights=torch.tensor([0.5, 0.5], dtype=torch.float64))


# ------------------------------------------------------------------------------------------------ energies and slopes
def test_energies_on_measures() -> None:
    mu = cloud(6)
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    P, Inter = PotentialEnergy(ms.Quadratic(A)), InteractionEnergy(ms.Quadratic(A))
    X, w = mu.points, mu.weights
    assert P.value(mu) == pytest.approx(float(w @ (0.5 * np.einsum("nd,de,ne->n", X, A, X))))
    D = X[:, None] - X[None]
    assert Inter.value(mu) == pytest.approx(0.5 * float(w @ (0.5 * np.einsum("ijd,de,ije->ij", D, A, D)) @ w))
    np.testing.assert_allclose(Inter.field(mu), (X - w @ X) @ A, atol=1e-14)  # ∇(W∗μ) = A(x − m)
    for space in (W_INF, W_2, Wasserstein(4.0, LINF), Wasserstein(1.0, L2)):
        for E in (P, Inter):
            exact = ms.slope(E, space, mu)
            num = [ms.numerical_slope(E, space, mu, h) for h in (1e-3, 5e-4)]
            assert abs(num[1] - exact) < abs(num[0] - exact) + 1e-12 and abs(num[1] - exact) < 2e-3 * exact
    with pytest.raises(ValueError, match="C\\^1"):
        InteractionEnergy(ms.L1Norm(2))
    with pytest.raises(TypeError, match="mu"):
        P.value(X)
    with pytest.raises(TypeError, match="space"):
        P.slope(L2, mu)


@pytest.mark.parametrize("p", [1.0, 1.5, 2.0, 3.0, math.inf])
def test_numerical_slope_converges_in_every_lp(p: float) -> None:
    rng = np.random.default_rng(8)
    B = rng.normal(size=(8, 8))
    E = ms.Quadratic(B @ B.T / 8 + np.eye(8), rng.normal(size=8))
    x = rng.normal(size=(3, 8))
    exact = np.asarray(ms.slope(E, ms.Lp(p), x))
    err = [float(np.max(np.abs(ms.numerical_slope(E, ms.Lp(p), x, h) - exact) / exact)) for h in (1e-2, 5e-3)]
    assert err[1] < 0.6 * err[0]  # O(h)
    if p in (1.5, 2.0, 3.0):  # the sample-only estimate stalls in smooth norms (the W8 negative control)
        stall = [float(np.max(np.abs(ms.numerical_slope(E, ms.Lp(p), x, h, method="sample") - exact) / exact)) for h in (1e-2, 5e-3)]
        assert stall[1] > 0.9 * stall[0] and stall[1] > 10 * err[1]
    with pytest.raises(ValueError, match="method"):
        ms.numerical_slope(E, ms.Lp(p), x, 1e-2, method="exact")


# ------------------------------------------------------------------------------------------------ one check, four spaces
def _flows() -> list[tuple[str, ms.Trajectory, ms.Trajectory, object, object]]:
    """(name, flow, negative control, energy, space) for ℓ∞, ℓ2, W_∞ over ℓ∞ and W_2 over ℓ2."""
    a = np.array([1.0, -2.0, 0.5])
    x0 = np.array([0.3, 0.1, -0.4])
    out = []
    for p in (math.inf, 2.0):
        f = linear_flow(a, x0, T=1.0, p=p)
        t = np.linspace(0.0, 1.0, 17)
        traj = ms.Trajectory(t, f(t))
        slow = ms.Trajectory(t, x0 + 0.5 * (f(t) - x0))
        out.append((f"Lp({p})", traj, slow, ms.Linear(a), ms.Lp(p)))
    split, E = mass_splitting_flow(1.0, 16)
    out.append(("W_inf split", split, uniform_spreading_curve(1.0, 100, 16), E, W_INF))
    mu = cloud(9, 5, d=3)
    out.append(("W_2 translation", translation(mu, -a), translation(mu, -2 * a), ms.Linear(a), W_2))
    return out


@pytest.mark.parametrize("case", range(4))
def test_one_check_four_spaces(case: int) -> None:
    name, traj, bad, E, space = _flows()[case]
    p = 2.0 if space == W_2 else math.inf
    assert check_energy_dissipation(traj, E, space, p=p).passed, name
    assert not check_energy_dissipation(bad, E, space, p=p).passed, name
    assert check_upper_gradient(traj, E, space).passed
    assert check_curve_of_maximal_slope(traj, E, space, p=p).passed


def test_checks_refuse_a_curve_of_the_wrong_kind() -> None:
    split, E = mass_splitting_flow(1.0, 4)
    with pytest.raises(ValueError, match="Wasserstein"):
        check_energy_dissipation(split, E, LINF)
    with pytest.raises(ValueError, match="curve of measures"):
        check_speed(ms.Trajectory(np.arange(2.0), np.zeros((2, 1))), W_INF)
    with pytest.raises(ValueError, match="order"):
        check_differential_inclusion(split, E, W_INF, p=2.0)
    assert check_energy_dissipation(split.particles(), E, LINF).passed  # the particle curves, in the ground space


@given(st.integers(0, 10_000), st.sampled_from(["inf", "2"]), st.booleans())
def test_random_potential_flows_in_w_inf_and_w2(seed: int, which: str, weighted: bool) -> None:
    """Linear potentials: the exact W_∞ flow (x − t sign a, ℓ∞) and W_2 flow (x − t a, ℓ2) pass; 1.5x as fast fails."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=2)
    mu = cloud(seed, int(rng.integers(1, 8)), weighted=weighted)
    space, v, p = (W_INF, np.sign(a), math.inf) if which == "inf" else (W_2, a, 2.0)
    E = ms.Linear(a)
    assert check_energy_dissipation(translation(mu, -v, nodes=5), E, space, p=p).passed
    assert check_differential_inclusion(translation(mu, -v, nodes=5), E, space, p=p).passed
    assert not check_energy_dissipation(translation(mu, -1.5 * v, nodes=5), E, space, p=p).passed


def test_speed_uses_exact_w2_not_labels() -> None:
    mu = cloud(10, 6, weighted=False)
    tr = translation(mu, np.array([0.3, -0.4]), nodes=7)  # W_2-speed 0.5
    pts = tr.points.copy()
    pts[1::2] = pts[1::2, ::-1]  # relabel the particles at every other node: labels now jump
    relabeled = ms.Trajectory(tr.times, pts, weights=tr.weights)
    for certify in (True, False):
        r = check_speed(relabeled, W_2, certify=certify)
        assert r.passed and r.measured == pytest.approx(0.5)
    fast = translation(mu, np.array([0.9, -1.2]), nodes=7)  # speed 1.5
    assert not check_speed(fast, W_2).passed
    # the EDE of the relabelled translation still holds: the interpolant follows the exact coupling
    assert check_energy_dissipation(relabeled, ms.Linear(np.array([-0.3, 0.4])), W_2, p=2.0).passed


def test_maximal_slope_check_measures_each_step_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The combined check reuses the EDE's exact W_inf per step for the speed part (no second solve)."""
    mu = cloud(10, 6, weighted=False)
    tr = translation(mu, np.array([-1.0, 1.0]), nodes=5)  # a W_inf flow of the linear energy below
    pts = tr.points.copy()
    pts[1::2] = pts[1::2, ::-1]  # the labels' coupling is not optimal, so the speed needs exact values
    relabeled = ms.Trajectory(tr.times, pts, weights=tr.weights)
    calls = {"n": 0}
    real = Wasserstein.step_coupling

    def counted(self, a, b):  # noqa: ANN001, ANN202
        calls["n"] += 1
        return real(self, a, b)

    monkeypatch.setattr(Wasserstein, "step_coupling", counted)
    monkeypatch.setattr(Wasserstein, "distance", lambda *a, **k: pytest.fail("distance solved a second time"))
    res = check_curve_of_maximal_slope(relabeled, ms.Linear(np.array([1.0, -1.0])), W_INF)
    speed, ede, inclusion = res.parts
    assert speed.passed and speed.measured == pytest.approx(1.0) and ede.passed
    assert not inclusion.passed  # the particle curves jump, so the particle-level inclusion is refuted
    assert calls["n"] == relabeled.n_steps


# ------------------------------------------------------------------------------------------------ schemes
def test_minimizing_movement_in_wp() -> None:
    mu = cloud(11)
    V = ms.SeparableQuadratic(np.array([1.0, 2.0]))
    for p, space, ground in ((math.inf, W_INF, LINF), (2.0, W_2, L2)):
        tr = minimizing_movement(V, space, mu, 0.1, steps=3, p=p)
        ref = minimizing_movement(V, ground, mu.points, 0.1, steps=3, p=p)
        np.testing.assert_array_equal(tr.points, np.asarray(ref.points))  # exact per-atom decoupling (W3)
        assert tr.is_measure_curve and "W3" in tr.meta["inner_guarantee"] and tr.energies.shape == (4,)
    with pytest.raises(NoExactSolver, match="order"):
        minimizing_movement(V, W_2, mu, 0.1, steps=1)  # curve exponent ∞ in W_2 does not decouple
    Inter = InteractionEnergy(ms.SeparableQuadratic(np.ones(2)))
    with pytest.raises(NoExactSolver, match="particle"):
        minimizing_movement(Inter, W_2, mu, 0.1, steps=1, p=2.0)
    tr = minimizing_movement(Inter, W_2, mu, 0.1, steps=2, p=2.0, inner="particle")
    m = mu.weights @ mu.points
    np.testing.assert_allclose(tr.points[1], m + (mu.points - m) / 1.1, atol=1e-9)
    assert "approximate" in tr.meta["inner_guarantee"]
    box = minimizing_movement(Inter, W_INF, mu, 0.05, steps=2, inner=ParticleInner())
    assert check_speed(box, W_INF).passed and box.energies[-1] < box.energies[0]
    with pytest.raises(ValueError, match="constraint"):
        minimizing_movement(V, W_INF, mu, 0.1, steps=1, constraint=ms.Box(np.zeros(2), 1.0))
    with pytest.raises(TypeError, match="x0"):
        minimizing_movement(V, W_INF, mu.points, 0.1, steps=1)


def test_steepest_descent_in_wp() -> None:
    mu = cloud(12)
    V = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    for space in (W_INF, W_2, Wasserstein(3.0, L2), Wasserstein(1.0, LINF)):
        tr = steepest_descent(V, space, mu, 0.05, steps=4)
        assert check_speed(tr, space).passed
        dist = space.distance(tr.node(0), tr.node(1))
        assert dist == pytest.approx(0.05, rel=1e-9)  # a unit-speed step in W_p
        assert tr.energies[-1] < tr.energies[0]
    with pytest.raises(ValueError, match="selection"):
        steepest_descent(V, W_INF, mu, 0.05, steps=1, selection=[1.0])


def test_per_particle_selection_keeps_the_wp_scaling() -> None:
    """A per-particle selection list that repeats the default gives the default run, for every p.

    Negative control: at p = 1 the direction puts all its mass on the atoms of largest field; the old
    per-particle scaling used the 1 < p < inf formula there, so W_1(mu_0, mu_1) was not tau.
    """
    mu = cloud(6)
    V = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    for space, default in ((Wasserstein(1.0, LINF), "zero"), (Wasserstein(1.0, ms.Lp(1.0)), "first"),
                           (W_2, None), (W_INF, "zero")):
        a = steepest_descent(V, space, mu, 0.05, steps=3)
        b = steepest_descent(V, space, mu, 0.05, steps=3, selection=[default] * mu.n if default else None)
        np.testing.assert_array_equal(a.points, b.points)
        assert space.distance(b.node(0), b.node(1)) == pytest.approx(0.05, rel=1e-9)


def test_layer_docstring_examples_run() -> None:
    import doctest

    import maxslope.checks.curve as curve
    import maxslope.slopes as slopes
    import maxslope.wasserstein.space as space

    for mod in (curve, slopes, space):
        res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
        assert res.attempted > 0 and res.failed == 0, mod.__name__
