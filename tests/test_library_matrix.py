"""The new-user task (a), run end to end in every array library and float precision: a non-separable quadratic
energy in ℓ∞, the minimizing movement and signed gradient descent, and the checks of the result (speed, the
curve-of-maximal-slope check with the allowance that check_residual_order measures, and its negative control).

Libraries: NumPy float64 and float32, array-api-strict float64 and float32, torch float32 on the CPU, and JAX
float32 where installed. The table in the issue note is this test's parametrization.
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.checks import check_curve_of_maximal_slope, check_residual_order, check_speed
from maxslope.schemes import minimizing_movement, steepest_descent

A = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 3.0]])
B = np.array([0.3, -0.1, 0.2])
X0 = np.array([[0.8, -0.6, 0.5], [-0.4, 0.9, -0.7]])
LINF = ms.Lp(math.inf)


def _lib(name: str):
    """(asarray, dtype, to_numpy) of a library, or a skip when it is not installed."""
    if name.startswith("numpy"):
        dt = np.float32 if name.endswith("32") else np.float64
        return (lambda a: np.asarray(a, dtype=dt)), dt, np.asarray
    if name.startswith("array_api_strict"):
        xps = pytest.importorskip("array_api_strict")
        dt = xps.float32 if name.endswith("32") else xps.float64
        return (lambda a: xps.asarray(np.asarray(a), dtype=dt)), dt, lambda a: np.asarray(a)
    if name == "torch32":
        torch = pytest.importorskip("torch")
        return (lambda a: torch.tensor(np.asarray(a), dtype=torch.float32)), torch.float32, lambda a: a.detach().cpu().numpy()
    if name == "jax32":
        if importlib.util.find_spec("jax") is None:
            pytest.skip("JAX is not installed")
        import jax.numpy as jnp

        return (lambda a: jnp.asarray(a, dtype=jnp.float32)), jnp.float32, np.asarray
    raise AssertionError(name)


LIBS = ["numpy64", "numpy32", "array_api_strict64", "array_api_strict32", "torch32", "jax32"]


@pytest.mark.parametrize("lib", LIBS)
def test_task_a_runs_and_checks(lib: str) -> None:
    asarray, dt, to_np = _lib(lib)
    E = ms.Quadratic(asarray(A), asarray(B))
    x0 = asarray(X0)
    gd = steepest_descent(E, LINF, x0, 0.02, steps=25)
    mm = minimizing_movement(E, LINF, x0, 0.02, steps=25, inner="exact")
    for tr in (gd, mm):
        assert type(tr.points) is type(x0) and tr.points.dtype == dt  # library and precision kept
        assert check_speed(tr, LINF).passed
    # the allowance comes from the measured order of the residual, not from a guess
    order = check_residual_order(lambda tau: steepest_descent(E, LINF, x0, tau, T=0.4), E, LINF, [0.04, 0.02, 0.01])
    assert order.passed, order
    allow = order.details["allowance"]
    res = check_curve_of_maximal_slope(steepest_descent(E, LINF, x0, 0.01, T=0.4), E, LINF, allowance=allow)
    assert res.passed, res
    # negative control: the same nodes run backwards (uphill) fail
    up = steepest_descent(E, LINF, x0, 0.01, T=0.4)
    back = ms.Trajectory(up.times, up.points[::-1] if not lib.startswith(("array_api", "torch")) else asarray(to_np(up.points)[::-1].copy()))
    assert not check_curve_of_maximal_slope(back, E, LINF, allowance=allow).passed
    # the minimizing movement (a stable step) agrees with the float64 NumPy run to the dtype's precision; signed
    # GD chatters where a gradient coordinate is near 0, so in float32 its sign choices may differ there and only
    # its energies are compared, to O(τ)
    ref_mm = minimizing_movement(ms.Quadratic(A, B), LINF, X0, 0.02, steps=25, inner="exact")
    ref_gd = steepest_descent(ms.Quadratic(A, B), LINF, X0, 0.02, steps=25)
    tol = 1e-12 if lib.endswith("64") else 1e-5
    assert np.max(np.abs(to_np(mm.points).astype(np.float64) - np.asarray(ref_mm.points))) < tol * 25
    assert np.max(np.abs(to_np(gd.energies).astype(np.float64) - np.asarray(ref_gd.energies))) < (tol if lib.endswith("64") else 0.02 * 3)


def test_mixed_libraries_are_refused_by_name() -> None:
    torch = pytest.importorskip("torch")
    E = ms.Quadratic(torch.tensor(A), torch.tensor(B))
    with pytest.raises(TypeError, match="'x0'|'x'"):
        steepest_descent(E, LINF, X0, 0.02, steps=2)
