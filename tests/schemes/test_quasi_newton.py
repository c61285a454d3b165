"""QuasiNewtonInner (L-BFGS-B in ℓ∞, SLSQP in ℓ1 and ℓp): it reaches the exact step of a convex quadratic in
every geometry, keeps the feasible set and the input's dtype and library, and refuses bad settings."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope import Box, Lp
from maxslope.schemes import QuasiNewtonInner, minimizing_movement

E = ms.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([-0.3, 0.2]))
X0 = np.array([[0.8, -0.6], [0.1, 0.1], [-0.4, 0.9]])


CASES = {  # (energy, start, constraint) for which an exact step exists in each geometry
    math.inf: (E, X0, Box(X0, 0.3)),
    2.0: (ms.SeparableQuadratic(np.array([1.0, 4.0]), np.array([0.3, -0.2])), X0, None),
    1.0: (ms.Linear(np.array([1.0, -3.0, 2.0])), np.zeros((2, 3)), Box(np.zeros((2, 3)), 0.03)),
}


@pytest.mark.parametrize("p", list(CASES))
def test_reaches_the_exact_step(p: float) -> None:
    En, x0, box = CASES[p]
    ex = minimizing_movement(En, Lp(p), x0, 0.05, steps=3, constraint=box, inner="exact")
    qn = minimizing_movement(En, Lp(p), x0, 0.05, steps=3, constraint=box, inner="quasi-newton")
    assert qn.meta["inner"] == "quasi-newton"
    assert np.max(np.abs(ex.points - qn.points)) <= 1e-6
    assert np.all(qn.energies[-1] >= ex.energies[-1] - 1e-12)  # the exact step is optimal
    # negative controls: a solver that stays put, and (where one SLSQP step is not already the exact LP answer)
    # one iteration from x^k alone, do not reach the step, so the comparison can fail
    lazy = minimizing_movement(En, Lp(p), x0, 0.05, steps=3, constraint=box, inner=lambda E_, s_, xk, r, C: xk)
    assert np.max(np.abs(ex.points - lazy.points)) > 1e-4
    if p != 1.0:
        one = QuasiNewtonInner(n_random=0, maxiter=1)
        short = minimizing_movement(En, Lp(p), x0, 0.05, steps=3, constraint=box, inner=one)
        assert np.max(np.abs(ex.points - short.points)) > 1e-4


def test_lp_step_with_a_box_binding_only_the_last_coordinate() -> None:
    x0 = np.array([0.0, 0.0])
    box = Box.from_bounds(np.array([-1.0, -1.0]), np.array([1.0, 0.05]))  # binds coordinate 1 only
    L = ms.SeparableQuadratic(np.array([1.0, 1.0]), np.array([-2.0, 2.0]))
    for p in (1.0, 3.0):
        y = QuasiNewtonInner()(L, Lp(p), x0[None], 0.5, box)[0]
        assert y[1] == pytest.approx(0.05, abs=1e-7)  # the box binds
        assert ms.spaces.pnorm(y - x0, p, np) <= 0.5 + 1e-12 and y[0] < 0  # the ball spends the rest on x_0
    # ℓ1 closed form: all of the remaining budget 0.45 goes to the first coordinate
    y1 = QuasiNewtonInner()(L, Lp(1.0), x0[None], 0.5, box)[0]
    np.testing.assert_allclose(y1, [-0.45, 0.05], atol=1e-7)


def test_keeps_float32_and_torch() -> None:
    E32 = ms.SeparableQuadratic(np.array([1.0, 3.0], dtype=np.float32))
    x = X0.astype(np.float32)
    tr = minimizing_movement(E32, Lp(math.inf), x, 0.05, steps=3, inner="quasi-newton")
    assert tr.points.dtype == np.float32
    torch = pytest.importorskip("torch")
    Et = ms.SeparableQuadratic(torch.tensor([1.0, 3.0]))
    for p in (math.inf, 2.0):
        tt = minimizing_movement(Et, Lp(p), torch.tensor(x), 0.05, steps=2, inner="quasi-newton")
        assert isinstance(tt.points, torch.Tensor) and tt.points.dtype == torch.float32


def test_never_raises_the_energy_and_does_not_touch_the_input() -> None:
    # a concave energy: the minimizer over the ball is a corner; any start must not end above E(x^k)
    Ec = ms.Negated(ms.SeparableQuadratic(np.array([1.0, 1.0])))
    x = X0.copy()
    y = QuasiNewtonInner(n_random=3)(Ec, Lp(2.0), x, 0.2, None)
    assert np.array_equal(x, X0)
    assert np.all(Ec.value(y) <= Ec.value(X0) + 1e-15)
    assert np.all(np.linalg.norm(y - X0, axis=-1) <= 0.2 * (1 + 1e-12))


@pytest.mark.parametrize(("kw", "exc"), [({"n_random": -1}, ValueError), ({"maxiter": 0}, ValueError),
                                         ({"n_random": 1.5}, TypeError), ({"seed": "a"}, TypeError)])
def test_refuses_bad_settings(kw: dict, exc: type) -> None:
    with pytest.raises(exc, match=next(iter(kw))):
        QuasiNewtonInner(**kw)


def test_l3_ball_where_multistart_cannot_project() -> None:
    En = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    x0 = np.array([0.5, 0.2])
    qn = minimizing_movement(En, Lp(3.0), x0, 0.05, steps=2, inner="quasi-newton")
    grid = minimizing_movement(En, Lp(3.0), x0, 0.05, steps=2, inner="grid")
    assert qn.energies[-1] <= grid.energies[-1]  # the grid search is the global reference up to its spacing
    assert np.all(np.sum(np.abs(np.diff(qn.points, axis=0)) ** 3, axis=-1) ** (1 / 3) <= 0.05 * (1 + 1e-9))
    with pytest.raises(ValueError, match="'inner'.*quasi-newton"):
        minimizing_movement(En, Lp(3.0), x0, 0.05, steps=2, inner="multistart")
