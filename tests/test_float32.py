"""float32 end to end: the schemes run in the input's dtype and the checks account for its rounding (issue 17)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.checks import check_curve_of_maximal_slope, check_energy_dissipation, check_speed
from maxslope.exact import separable_quadratic_flow
from maxslope.schemes import minimizing_movement, steepest_descent

LINF = ms.Lp(math.inf)


def _x32() -> np.ndarray:
    return np.random.default_rng(0).uniform(-1, 1, (30, 2)).astype(np.float32)


@pytest.mark.parametrize("inner", ["exact", "grid", "multistart", "cbo"])
def test_mms_runs_in_float32(inner: str) -> None:
    E = ms.SeparableQuadratic(np.array([1.0, 3.0], dtype=np.float32))
    tr = minimizing_movement(E, LINF, _x32(), 0.05, steps=4, inner=inner)
    assert tr.points.dtype == np.float32 and tr.energies.dtype == np.float32
    assert check_speed(tr, LINF).passed


def test_float32_signed_gd_passes_and_a_faster_curve_fails() -> None:
    E = ms.SeparableQuadratic(np.array([1.0, 3.0], dtype=np.float32))
    tr = steepest_descent(E, LINF, _x32(), 0.01, steps=30)
    assert tr.points.dtype == np.float32 and check_speed(tr, LINF).passed
    fast = ms.Trajectory(tr.times, (tr.points[0] + (tr.points - tr.points[0]) * np.float32(1.001)).astype(np.float32))
    assert not check_speed(fast, LINF).passed  # negative control: 0.1 % too fast is far above float32 rounding


def test_exact_flow_sampled_in_float32_needs_no_allowance() -> None:
    flow = separable_quadratic_flow([1.0, 3.0], [0.6, -0.3], T=0.5)
    t = np.linspace(0.0, 0.5, 65)
    tr32 = ms.Trajectory(t, flow(t).astype(np.float32))
    E = ms.SeparableQuadratic(np.array([1.0, 3.0], dtype=np.float32))
    assert check_energy_dissipation(tr32, E, LINF).passed
    uphill = ms.Trajectory(t, flow(t)[::-1].astype(np.float32))  # runs uphill: not a flow
    assert not check_energy_dissipation(uphill, E, LINF).passed


def test_checks_call_a_torch_energy_on_torch_arrays() -> None:
    torch = pytest.importorskip("torch")
    E = ms.SeparableQuadratic(torch.tensor([1.0, 3.0]))
    tr = steepest_descent(E, LINF, torch.tensor(_x32()), 0.01, steps=20)
    assert check_curve_of_maximal_slope(tr, E, LINF, allowance=0.05).passed
    uphill = ms.Trajectory(tr.times, torch.flip(tr.points, dims=[0]))
    assert not check_energy_dissipation(uphill, E, LINF, allowance=0.05).passed
    for inner in ("multistart", "cbo"):
        assert minimizing_movement(E, LINF, torch.tensor(_x32()), 0.05, steps=2, inner=inner).points.dtype == torch.float32
