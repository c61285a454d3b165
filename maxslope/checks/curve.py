r"""Verdicts on curves: speed, energy dissipation, differential inclusion, upper gradient (spec §1.3, C1–C4).

All checks take a :class:`~maxslope.curves.Trajectory` and read it through its piecewise-linear interpolant
:math:`u`, whose metric derivative on :math:`(t_k, t_{k+1})` is exactly
:math:`|u'| = d(x^{k+1}, x^k)/(t_{k+1} - t_k)`. Integrals of the slope along :math:`u` use ``m``-point
Gauss–Legendre quadrature on each step (interior nodes only, so a slope that jumps at a node of the curve —
a coordinate reaching its target, a box face — is integrated correctly); the quadrature error budget stated in
each result is the a-posteriori difference between the ``m``- and the ``m/2``-point rules (an upper estimate of
the error of the finer rule for integrands smooth on each step), plus a rounding allowance. Batched trajectories
are checked element by element and the worst element is reported.

For :math:`p = \infty` an :math:`\infty`-curve of maximal slope is characterized by (spec §1.3)

.. math:: |u'| \le 1, \qquad E(u(s)) - E(u(t)) = \int_s^t |\partial E|(u(r))\,dr,

and for finite :math:`p \in (1, \infty)` by :math:`E(u(s)) - E(u(t)) = \int_s^t \tfrac1p|u'|^p +
\tfrac1q|\partial E|^q\,dr`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._backend import check_p, check_positive_scalar, to_numpy
from ..curves import Trajectory
from ..energies import as_energy
from ..spaces.lp import Lp
from .result import CheckResult, CombinedResult

__all__ = [
    "check_speed",
    "check_energy_dissipation",
    "check_differential_inclusion",
    "check_upper_gradient",
    "check_curve_of_maximal_slope",
    "is_monotone",
]

_ROUND = 64 * np.finfo(np.float64).eps


def _check_traj(traj: Any) -> Trajectory:
    if not isinstance(traj, Trajectory):
        raise TypeError(f"argument 'traj' must be a Trajectory, got {type(traj).__name__}")
    if traj.n_steps < 1:
        raise ValueError("argument 'traj' must have at least two nodes")
    return traj


def _flat(traj: Trajectory) -> tuple[np.ndarray, np.ndarray]:
    """Times (K+1,) and points (K+1, B, d) on the host."""
    pts = np.asarray(to_numpy(traj.points), dtype=np.float64)
    return traj.times, pts.reshape(pts.shape[0], -1, pts.shape[-1])


def _slope_fn(E: Any, space: Lp, slope: Callable[[np.ndarray], np.ndarray] | None) -> Callable[[np.ndarray], np.ndarray]:
    if slope is not None:
        if not callable(slope):
            raise TypeError("argument 'slope' must be a callable x -> |dE|(x)")
        return lambda x: np.asarray(slope(x), dtype=np.float64)
    return lambda x: np.asarray(E.slope(space, x), dtype=np.float64)


def _gl(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on (0, 1): m nodes, then m // 2 nodes (for the error budget)."""
    x1, w1 = np.polynomial.legendre.leggauss(m)
    x2, w2 = np.polynomial.legendre.leggauss(max(m // 2, 1))
    return np.concatenate([(x1 + 1) / 2, (x2 + 1) / 2]), np.concatenate([w1 / 2, np.zeros_like(w2)]), w2 / 2


def _sub_points(t: np.ndarray, X: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Interior Gauss–Legendre points of each step (m nodes, then m//2 nodes) and u there.

    Shapes (K, m + m//2) and (K, m + m//2, B, d). Interior nodes never sample the slope exactly at a node of the
    curve, where it may jump (a coordinate reaching its target, a box face).
    """
    w = _gl(m)[0]
    s = t[:-1, None] + (t[1:] - t[:-1])[:, None] * w[None, :]
    U = X[:-1, None] + w[None, :, None, None] * (X[1:] - X[:-1])[:, None]
    return s, U


def _integrals(f: np.ndarray, h: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-step Gauss–Legendre integrals of samples f (K, m + m//2, B) and the |GL_m − GL_{m/2}| budget."""
    _, w1, w2 = _gl(m)
    hi = np.tensordot(w1[:m], f[:, :m], axes=([0], [1])) * h[:, None]
    lo = np.tensordot(w2, f[:, m:], axes=([0], [1])) * h[:, None]
    return hi, np.abs(hi - lo)


def _speed_rounding(traj: Trajectory) -> np.ndarray:
    """Per-step rounding allowance of a difference quotient d(x^{k+1}, x^k)/(t_{k+1} − t_k)."""
    t, X = _flat(traj)
    scale = float(np.max(np.abs(X))) + float(np.max(np.abs(t)))
    return 8 * np.finfo(np.float64).eps * scale * np.sqrt(X.shape[-1]) / np.diff(t)  # type: ignore[no-any-return]


def check_speed(traj: Trajectory, space: Any, tol: float = 1e-12) -> CheckResult:
    r"""C1: :math:`|u'| \le 1`, i.e. :math:`d(x^{k+1}, x^k) \le t_{k+1} - t_k` for every step (and batch element).

    The tolerance is :math:`1 + \mathrm{tol}` plus, per step, the rounding error of the difference quotient,
    :math:`8\epsilon_{\rm mach}\sqrt d\,(\max|x| + \max|t|)/(t_{k+1} - t_k)` (which matters for very short steps).
    """
    traj = _check_traj(traj)
    tol = check_positive_scalar(tol, "tol", allow_zero=True)
    md = np.asarray(to_numpy(traj.metric_derivative(space)), dtype=np.float64).reshape(traj.n_steps, -1)
    allow = 1.0 + tol + _speed_rounding(traj)
    excess = md.max(axis=1) - allow
    k = int(np.argmax(excess))
    worst = float(md.max())
    return CheckResult(
        "speed |u'| <= 1",
        worst,
        float(allow[k]),
        f"relative allowance {tol:g} + rounding of the difference quotient",
        bool(np.all(excess <= 0)),
        float(traj.times[k]),
        {"max_speed_per_step": md.max(axis=1)},
    )


def _ede_terms(traj: Trajectory, E: Any, space: Lp, slope: Any, p: float, m: int) -> dict[str, np.ndarray]:
    t, X = _flat(traj)
    s, U = _sub_points(t, X, m)
    g = _slope_fn(E, space, slope)(U)  # (K, m+1, B)
    h = np.diff(t)
    speed = np.asarray(to_numpy(space.distance(X[1:], X[:-1])), dtype=np.float64) / h[:, None]
    if p == math.inf:
        integrand = g
        extra = np.zeros_like(speed)
    else:
        q = p / (p - 1.0)
        integrand = g**q / q
        extra = h[:, None] * speed**p / p
    integ, budget = _integrals(integrand, h, m)
    integ = integ + extra
    e = np.asarray(to_numpy(E.value(X)), dtype=np.float64)  # (K+1, B)
    drop = e[:-1] - e[1:]
    return {"t": t, "drop": drop, "integral": integ, "budget": budget, "energy": e, "speed": speed}


def check_energy_dissipation(
    traj: Trajectory,
    E: Any,
    space: Lp,
    p: float = math.inf,
    slope: Callable[[Any], Any] | None = None,
    allowance: float = 0.0,
    allowance_reason: str = "",
    m: int = 8,
) -> CheckResult:
    r"""C2: the energy-dissipation equality along the piecewise-linear interpolant.

    Measures :math:`\max_k |R(t_k)|` with the cumulative residual

    .. math:: R(t_k) = E(u(t_0)) - E(u(t_k)) - \int_{t_0}^{t_k} |\partial E|(u(r))\,dr \quad (p = \infty),

    (for finite :math:`p` the integrand is :math:`\tfrac1p|u'|^p + \tfrac1q|\partial E|^q`). For every
    1-Lipschitz curve :math:`R \le 0` up to quadrature error (the upper-gradient inequality, C3); curves of
    maximal slope have :math:`R \equiv 0`.

    Parameters
    ----------
    slope : callable, optional
        The (upper-gradient) slope to integrate; default ``E.slope(space, x)``, i.e. :math:`\|\nabla E\|_*`. Pass
        e.g. ``lambda x: box.restricted_slope(x, E.grad(x))`` for the flow on a budget box (C23).
    allowance : float
        An extra absolute tolerance for discretization error (e.g. :math:`C\tau` for a scheme's output). The
        reported tolerance is the quadrature budget + rounding + this allowance.
    m : int
        Even number of Gauss–Legendre nodes per step.
    """
    traj = _check_traj(traj)
    E = as_energy(E)
    p = check_p(p, "p", strict=True)
    if not isinstance(m, int) or m < 2 or m % 2:
        raise ValueError(f"argument 'm' must be an even integer >= 2, got {m!r}")
    allowance = check_positive_scalar(allowance, "allowance", allow_zero=True)
    d = _ede_terms(traj, E, space, slope, p, m)
    return ede_verdict(
        "energy dissipation equality" + ("" if p == math.inf else f" (p={p:g})"),
        d["t"], d["drop"], d["integral"], d["budget"], d["energy"], allowance, allowance_reason,
        {"sign": "R <= 0 for any 1-Lipschitz curve"},
    )


def ede_verdict(
    name: str,
    t: np.ndarray,
    drop: np.ndarray,
    integral: np.ndarray,
    budget: np.ndarray,
    energy: np.ndarray,
    allowance: float = 0.0,
    allowance_reason: str = "",
    extra: dict[str, Any] | None = None,
) -> CheckResult:
    """The verdict on per-step energy drops and slope integrals (K, B): the cumulative residual
    :math:`R(t_k)` against the quadrature budget + rounding + ``allowance``; the worst column is reported.

    Shared by the curve check above and the measure-level check of :mod:`maxslope.wasserstein`.
    """
    R = np.cumsum(drop - integral, axis=0)  # (K, B)
    total_budget = np.cumsum(budget, axis=0).max()
    scale = float(np.abs(energy).max() + np.cumsum(np.abs(integral), axis=0).max())
    rounding = _ROUND * scale * len(t)
    tol = float(total_budget + rounding + allowance)
    k, b = np.unravel_index(int(np.argmax(np.abs(R))), R.shape)
    worst = float(np.abs(R).max())
    reason = f"quadrature budget {total_budget:.1e} + rounding {rounding:.1e}"
    if allowance:
        reason += f" + allowance {allowance:.1e}" + (f" ({allowance_reason})" if allowance_reason else "")
    return CheckResult(name, worst, tol, reason, worst <= tol, float(t[k + 1]), {"residual": R[:, b], "times": t[1:], **(extra or {})})


def check_upper_gradient(
    traj: Trajectory,
    E: Any,
    space: Lp,
    slope: Callable[[Any], Any] | None = None,
    m: int = 8,
) -> CheckResult:
    r"""C3: the upper-gradient inequality :math:`E(u(s)) - E(u(t)) \le \int_s^t g(u)\,|u'|\,dr` on every step.

    It holds for every absolutely continuous curve when :math:`g` is a strong upper gradient (e.g. the slope of
    a :math:`C^1` energy), so a violation means the supplied ``slope`` is *not* an upper gradient. The measured
    value is the largest violation :math:`\max_k [E(x^k) - E(x^{k+1}) - \int g|u'|]^+`.
    """
    traj = _check_traj(traj)
    E = as_energy(E)
    d = _ede_terms(traj, E, space, slope, math.inf, m)
    t, e, speed, budget = d["t"], d["energy"], d["speed"], d["budget"]
    integ = d["integral"] * speed  # |u'| is constant on each step of the interpolant
    viol = d["drop"] - integ
    scale = float(np.abs(e).max() + np.abs(integ).max())
    tol = float(budget.max() * max(1.0, float(speed.max())) + _ROUND * scale)
    k = int(np.argmax(viol.max(axis=1)))
    worst = float(max(viol.max(), 0.0))
    return CheckResult(
        "upper-gradient inequality",
        worst,
        tol,
        "per-step quadrature budget + rounding",
        worst <= tol,
        float(t[k]),
        {"margin_per_step": -viol.max(axis=1)},
    )


def check_differential_inclusion(traj: Trajectory, E: Any, space: Lp, allowance: float = 0.0, m: int = 8) -> CheckResult:
    r"""C4: :math:`\dot u \in -\partial\|\cdot\|_*(\nabla E(u))` a.e., through the residual

    .. math:: r(t) = \langle \nabla E(u(t)), \dot u(t)\rangle + \|\nabla E(u(t))\|_* \ \ge 0, \qquad \|\dot u\| \le 1,

    which vanishes a.e. exactly for :math:`\infty`-curves of maximal slope (spec §1.5(b)). Measured:
    :math:`\int r\,dt` (Gauss–Legendre on each step); the speed bound is required as well (measured speed is reported
    in ``details``). ``allowance`` adds a tolerance for discretization error.
    """
    traj = _check_traj(traj)
    E = as_energy(E)
    if not E.smooth:
        raise ValueError("argument 'E' must be C^1 for the inclusion check (use the energy-dissipation check instead)")
    allowance = check_positive_scalar(allowance, "allowance", allow_zero=True)
    t, X = _flat(traj)
    s, U = _sub_points(t, X, m)
    h = np.diff(t)
    V = (X[1:] - X[:-1]) / h[:, None, None]  # (K, B, d)
    G = np.asarray(to_numpy(E.grad(U)), dtype=np.float64)  # (K, m+1, B, d)
    r = np.sum(G * V[:, None], axis=-1) + np.asarray(to_numpy(space.dual_norm(G)), dtype=np.float64)
    integ, budget = _integrals(r, h, m)
    total = np.cumsum(integ, axis=0)
    speed = np.asarray(to_numpy(space.norm(V)), dtype=np.float64)
    worst_speed = float(speed.max())
    scale = float(np.abs(r).max() * (t[-1] - t[0]) + 1.0)
    tol = float(np.cumsum(budget, axis=0).max() + _ROUND * scale * (traj.n_steps + 1) + allowance)
    worst = float(np.abs(total).max())
    k = int(np.argmax(np.abs(total).max(axis=1)))
    speed_ok = bool(np.all(speed.max(axis=1) <= 1.0 + 1e-12 + _speed_rounding(traj)))
    # pointwise r >= ‖∇E‖_*(1 − ‖u̇‖) may dip below 0 only by the rounding of u̇
    r_floor = -tol - float(np.max(np.abs(G))) * float(_speed_rounding(traj).max()) - 1e-12
    ok = worst <= tol and speed_ok and float(r.min()) >= r_floor
    return CheckResult(
        "differential inclusion residual",
        worst,
        tol,
        "quadrature budget + rounding" + (f" + allowance {allowance:.1e}" if allowance else "") + "; and |u'| <= 1",
        ok,
        float(t[k + 1]),
        {"max_speed": worst_speed, "min_pointwise_residual": float(r.min()), "integrated_residual": total.max(axis=1)},
    )


def check_curve_of_maximal_slope(
    traj: Trajectory,
    E: Any,
    space: Lp,
    p: float = math.inf,
    slope: Callable[[Any], Any] | None = None,
    allowance: float = 0.0,
) -> CombinedResult:
    r"""All of: speed :math:`\le 1` (p = ∞), energy-dissipation equality, and (for :math:`C^1` energies without a
    custom slope) the differential inclusion; for finite :math:`p` the EDE with :math:`\tfrac1p|u'|^p + \tfrac1q|\partial E|^q`.
    """
    p = check_p(p, "p", strict=True)
    parts = []
    if p == math.inf:
        parts.append(check_speed(traj, space))
    parts.append(check_energy_dissipation(traj, E, space, p=p, slope=slope, allowance=allowance))
    Ee = as_energy(E)
    if p == math.inf and slope is None and Ee.smooth:
        parts.append(check_differential_inclusion(traj, Ee, space, allowance=allowance))
    return CombinedResult("curve of maximal slope" + ("" if p == math.inf else f" (p={p:g})"), parts)


def is_monotone(energies: Any, tol: float = 0.0) -> CheckResult:
    """C22: whether an energy sequence is non-increasing (``E_{k+1} <= E_k + tol``), with the largest increase."""
    e = np.asarray(to_numpy(energies), dtype=np.float64)
    if e.ndim < 1 or e.shape[0] < 2:
        raise ValueError("argument 'energies' must hold at least two values along its first axis")
    inc = np.diff(e, axis=0).reshape(e.shape[0] - 1, -1)
    worst = float(inc.max())
    k = int(np.argmax(inc.max(axis=1)))
    return CheckResult("energy non-increasing", max(worst, 0.0), tol, "user tolerance", worst <= tol, float(k), {})
