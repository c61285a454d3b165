"""maxslope.testing: the strategies draw what they promise, drive a real property test, and find counterexamples
to false claims (the negative controls: a strategy that cannot reach a failing case would make every property
test vacuous)."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis.errors import NoSuchExample

import maxslope as ms
from maxslope import testing as mst
from maxslope.checks import check_speed
from maxslope.curves import Trajectory
from maxslope.perimeter import Grid, nonlocal_perimeter
from maxslope.schemes import steepest_descent
from maxslope.wasserstein import Wasserstein

FAST = settings(max_examples=40, deadline=None)


@FAST
@given(x=mst.points(4, bound=0.1, batch=2, dtype=np.float32))
def test_points_shape_dtype_bound(x) -> None:
    assert x.shape == (2, 4) and x.dtype == np.float32 and np.all(np.abs(x.astype(np.float64)) <= 0.1)


@FAST
@given(E=mst.energies(3, kinds=["quadratic"], curvature=(0.5, 4.0)))
def test_quadratic_is_spd_in_range(E) -> None:
    ev = np.linalg.eigvalsh(E.A)
    assert 0.5 * (1 - 1e-9) <= ev.min() and ev.max() <= 4.0 * (1 + 1e-9)


@FAST
@given(mu=mst.empirical_measures((1, 6), 2, min_weight=0.01))
def test_measures_are_probability_measures(mu) -> None:
    assert 1 <= len(mu.weights) <= 6 and abs(math.fsum(mu.weights.tolist()) - 1) < 1e-12
    assert mu.weights.min() >= 0.01 * mu.weights.max() * (1 - 1e-12)


@FAST
@given(E=mst.energies(3, kinds=["separable_quadratic", "linear", "quadratic"]), space=mst.lp_spaces(), x=mst.points(3))
def test_slope_is_the_dual_norm_of_the_gradient(E, space, x) -> None:
    """A property test a user would write: for smooth E, |∂E|(x) = ‖∇E(x)‖_* in every ℓp (claim C5)."""
    g = np.asarray(E.grad(x))
    q = space.dual_exponent
    a = np.abs(g)
    top = float(a.max())
    # ‖g‖_q = max|g| · (Σ (|g|/max)^q)^{1/q}: stable for q near 1 and for huge q (p near 1)
    want = top if q == math.inf or top == 0 else top * float(np.sum((a / top) ** q)) ** (1 / q)
    assert float(ms.slope(E, space, x)) == pytest.approx(float(want), rel=1e-12, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(E=mst.energies(2), space=mst.lp_spaces([1.0, 2.0, math.inf]), x=mst.points(2, bound=2.0))
def test_steepest_descent_is_one_lipschitz_and_a_slower_curve_is_not(E, space, x) -> None:
    """The check and its control on drawn energies: steepest descent moves at most τ per step (C1), and the same
    nodes stamped with times half as far apart fail wherever the curve moved at all."""
    tr = steepest_descent(E, space, x, 0.01, steps=3)
    assert check_speed(tr, space).passed
    fast = Trajectory(tr.times / 2, tr.points)
    moved = float(np.max(np.asarray(space.norm(np.diff(np.asarray(tr.points), axis=0)))))
    assert check_speed(fast, space).passed == (moved <= 0.005 * (1 + 1e-9))


@FAST
@given(A=mst.grid_sets(Grid((20, 20), 1 / 20), max_discs=3))
def test_grid_sets_have_finite_positive_perimeter(A) -> None:
    G = Grid((20, 20), 1 / 20)
    assert A.any() and nonlocal_perimeter(A, 2 / 20, G) > 0


@FAST
@given(mu=mst.empirical_measures(3, 2, uniform=True), nu=mst.empirical_measures(3, 2, uniform=True))
def test_w_inf_is_a_metric_on_drawn_measures(mu, nu) -> None:
    W = Wasserstein(math.inf)
    d = W.distance(mu, nu)
    assert d >= 0 and d == pytest.approx(W.distance(nu, mu), abs=1e-12)
    assert W.distance(mu, mu) == 0


# --- negative controls: false claims must be refuted by the strategies ----------------------------------------------

def test_finds_an_energy_whose_linf_slope_is_not_the_l2_norm() -> None:
    E = find(mst.energies(3, kinds=["linear"]), lambda E: abs(float(ms.slope(E, ms.Lp(math.inf), np.zeros(3)))
                                                             - float(np.linalg.norm(E.a))) > 1e-6)
    assert np.count_nonzero(E.a) >= 1


def test_finds_a_nonuniform_measure_and_a_disconnected_set() -> None:
    mu = find(mst.empirical_measures(3, 1), lambda m: np.ptp(m.weights) > 0.1)
    assert np.ptp(mu.weights) > 0.1
    from scipy.ndimage import label

    A = find(mst.grid_sets(Grid((20, 20), 1 / 20), max_discs=3), lambda A: label(A)[1] >= 2)
    assert label(A)[1] >= 2


def test_cannot_find_what_is_excluded() -> None:
    """The bounds are promises: no drawn point leaves its box, no uniform measure has unequal weights."""
    with pytest.raises(NoSuchExample):
        find(mst.points(2, bound=1.0), lambda x: np.abs(x).max() > 1.0, settings=settings(max_examples=300))
    with pytest.raises(NoSuchExample):
        find(mst.empirical_measures((1, 5), 2, uniform=True), lambda m: np.ptp(m.weights) > 1e-15,
             settings=settings(max_examples=200))


def test_docstring_examples() -> None:
    res = doctest.testmod(mst, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 6 and res.failed == 0


@pytest.mark.parametrize("call, arg", [
    (lambda: mst.points(0), "'dim'"),
    (lambda: mst.points(2, dtype=np.int64), "'dtype'"),
    (lambda: mst.lp_spaces([0.5]), r"'ps\[0\]'"),
    (lambda: mst.energies(2, kinds=["cubic"]), r"'kinds\[0\]'"),
    (lambda: mst.energies(2, curvature=(2.0, 1.0)), "'curvature'"),
    (lambda: mst.empirical_measures((3, 1), 2), "'n'"),
    (lambda: mst.empirical_measures(2, 2, min_weight=2.0), "'min_weight'"),
    (lambda: mst.grid_sets("grid"), "'grid'"),
])
def test_refusals(call, arg) -> None:
    with pytest.raises((ValueError, TypeError), match=arg):
        call()
