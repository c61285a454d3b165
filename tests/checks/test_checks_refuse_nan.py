"""Checks refuse NaN: a NaN slope, allowance, tolerance or energy raises; no check reports NaN or passes on it."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.checks import (
    CheckResult,
    certify_energy_dissipation,
    check_energy_dissipation,
    check_speed,
    check_upper_gradient,
    is_monotone,
)
from maxslope.exact import sliding_lazy_curve
from maxslope.schemes import steepest_descent

LINF = ms.Lp(math.inf)
E = ms.SeparableQuadratic(np.array([1.0, 3.0]))


def _traj():  # noqa: ANN202
    return steepest_descent(E, LINF, np.full((2, 2), 0.5), 0.05, steps=4)


def nan_slope(x):  # noqa: ANN001, ANN201
    return np.full(x.shape[:-1], np.nan)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: check_energy_dissipation(_traj(), E, LINF, slope=nan_slope), "slope"),
        (lambda: check_upper_gradient(_traj(), E, LINF, slope=nan_slope), "slope"),
        (lambda: check_energy_dissipation(_traj(), E, LINF, allowance=math.nan), "allowance"),
        (lambda: check_energy_dissipation(_traj(), E, LINF, p=1 + 1e-12), "'p'"),
        (lambda: check_speed(_traj(), LINF, tol=math.nan), "tol"),
        (lambda: is_monotone(np.array([1.0, math.nan])), "energies"),
        (lambda: is_monotone(np.array([2.0, 1.0]), tol=math.nan), "tol"),
        (lambda: certify_energy_dissipation(sliding_lazy_curve(), tol=math.nan), "tol"),
        (lambda: CheckResult("c", math.nan, 1.0, "r", True), "NaN"),
        (lambda: CheckResult("c", 0.0, math.inf, "r", True), "tolerance"),
    ],
)
def test_nan_is_refused(call, match: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=match):
        call()


def test_infinite_measurement_never_passes() -> None:
    assert not CheckResult("c", math.inf, 1.0, "r", True).passed
    assert CheckResult("c", 0.5, 1.0, "r", True).passed  # control: a finite pass stays a pass
    assert check_energy_dissipation(_traj(), E, LINF, allowance=0.1).passed  # control: valid input still passes
