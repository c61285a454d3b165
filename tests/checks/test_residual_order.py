"""check_residual_order: a scheme's EDE residual shrinks like tau; the allowance it suggests is honest."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.checks import check_energy_dissipation, check_residual_order
from maxslope.exact import sliding_flow
from maxslope.schemes import minimizing_movement, steepest_descent

LINF = ms.Lp(math.inf)
E = ms.SeparableQuadratic(np.array([1.0, 3.0]))
X0 = np.array([0.6, -0.3])
TAUS = [0.05, 0.025, 0.0125, 0.00625]


def test_signed_gd_is_first_order_and_its_allowance_suffices() -> None:
    flow = sliding_flow((0.6, 0.0))

    def run(t):  # noqa: ANN001, ANN202
        return steepest_descent(flow.energy, LINF, flow.x0, t, T=1.0)

    res = check_residual_order(run, flow.energy, LINF, TAUS)
    assert res.passed and 0.75 <= res.details["fitted_order"] <= 1.5
    a = res.details["allowance"]
    assert check_energy_dissipation(run(min(TAUS)), flow.energy, LINF, allowance=a * (1 + 1e-9)).passed
    assert not check_energy_dissipation(run(min(TAUS)), flow.energy, LINF, allowance=a / 2).passed  # it is tight


def test_an_exact_scheme_passes_at_rounding_level() -> None:
    res = check_residual_order(lambda t: minimizing_movement(E, LINF, X0, t, T=0.5), E, LINF, TAUS)
    assert res.passed and res.details["allowance"] == 0.0


def test_a_residual_that_does_not_shrink_fails() -> None:
    def half_speed(t):  # noqa: ANN001, ANN202  (negative control: the curve runs at speed 1/2, at every tau)
        tr = steepest_descent(E, LINF, X0, t / 2, T=0.25)
        return ms.Trajectory(tr.times * 2, tr.points)

    res = check_residual_order(half_speed, E, LINF, TAUS)
    assert not res.passed and abs(res.details["fitted_order"]) < 0.1


def test_bad_input() -> None:
    def run(t):  # noqa: ANN001, ANN202
        return steepest_descent(E, LINF, X0, t, T=0.5)

    with pytest.raises(ValueError, match="three distinct"):
        check_residual_order(run, E, LINF, [0.1, 0.05])
    with pytest.raises(ValueError, match="taus"):
        check_residual_order(run, E, LINF, [0.1, -0.05, 0.02])
    with pytest.raises(TypeError, match="run"):
        check_residual_order("run", E, LINF, TAUS)
    with pytest.raises(ValueError, match="slack"):
        check_residual_order(run, E, LINF, TAUS, slack=math.nan)
