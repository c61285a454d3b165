r"""Verdicts on curves: speed, energy dissipation, differential inclusion, upper gradient (claims C1–C4).

All checks take a :class:`~maxslope.curves.Trajectory` and the space object, and read the curve through its
piecewise-geodesic interpolant :math:`u`, whose metric derivative on :math:`(t_k, t_{k+1})` is exactly
:math:`|u'| = d(x^{k+1}, x^k)/(t_{k+1} - t_k)`. In a normed space the geodesic is the segment. In a Wasserstein
space (a trajectory with ``weights``) it is the displacement interpolation along an optimal coupling of the two
nodes, computed exactly: the particles' own coupling when it is optimal, the solver's otherwise, so particle
labels never decide a verdict; energies and slopes are those of the measures. Integrals of the slope along :math:`u` use ``m``-point
Gauss–Legendre quadrature on each step (interior nodes only, so a slope that jumps at a node of the curve —
a coordinate reaching its target, a box face — is integrated correctly); the quadrature error budget stated in
each result is the a-posteriori difference between the ``m``- and the ``m/2``-point rules (an upper estimate of
the error of the finer rule for integrands smooth on each step), plus a rounding allowance. Batched trajectories
are checked element by element and the worst element is reported.

For :math:`p = \infty` an :math:`\infty`-curve of maximal slope is characterized by

.. math:: |u'| \le 1, \qquad E(u(s)) - E(u(t)) = \int_s^t |\partial E|(u(r))\,dr,

and for finite :math:`p \in (1, \infty)` by :math:`E(u(s)) - E(u(t)) = \int_s^t \tfrac1p|u'|^p +
\tfrac1q|\partial E|^q\,dr`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._backend import as_float_array, check_int, check_p, check_positive_scalar, from_numpy, to_numpy
from ..curves import Trajectory
from ..energies import as_energy
from ..slopes import _energy_in
from ..spaces.base import check_space
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



def _check_traj(traj: Any, space: Any) -> Trajectory:
    if not isinstance(traj, Trajectory):
        raise TypeError(f"argument 'traj' must be a Trajectory, got {type(traj).__name__}")
    if traj.n_steps < 1:
        raise ValueError("argument 'traj' must have at least two nodes")
    check_space(space)
    measures = bool(getattr(space, "measure_space", False))
    if measures and not traj.is_measure_curve:
        raise ValueError(f"argument 'traj' must be a curve of measures (a Trajectory with weights) to be checked in {space!r}")
    if traj.is_measure_curve and not measures:
        raise ValueError(
            f"argument 'traj' is a curve of measures; check it in a Wasserstein space, or check traj.particles() in {space!r}"
        )
    return traj


def _measure_steps(traj: Trajectory, space: Any, m: int) -> tuple[np.ndarray, list[list[Any]], list[tuple[Any, ...]]]:
    """Exact W_p per step (K,), the measures at the Gauss–Legendre points of each step, and the couplings."""
    w = _gl(m)[0]
    values, samples, couplings = [], [], []
    for k in range(traj.n_steps):
        a, b = traj.node(k), traj.node(k + 1)
        val, i, j, mass = space.step_coupling(a, b)
        values.append(val)
        couplings.append((a, b, i, j, mass))
        from ..wasserstein.space import _interp

        samples.append([_interp(a, b, i, j, mass, float(s)) for s in w])
    return np.asarray(values), samples, couplings


def _measure_terms(traj: Trajectory, E: Any, space: Any, slope: Any, p: float, m: int, steps: Any = None) -> dict[str, np.ndarray]:
    t = traj.times
    h = np.diff(t)
    W, samples, _ = steps if steps is not None else _measure_steps(traj, space, m)
    fn = (lambda mu: float(_finite_slope(slope(mu), "slope"))) if slope is not None else (lambda mu: float(E.slope(space, mu)))
    g = np.array([[fn(mu) for mu in row] for row in samples])[:, :, None]  # (K, m + m//2, 1)
    speed = (W / h)[:, None]
    if p == math.inf:
        integrand, extra = g, np.zeros_like(speed)
    else:
        q = p / (p - 1.0)
        integrand, extra = g**q / q, h[:, None] * speed**p / p
    integ, budget = _integrals(integrand, h, m)
    e = np.array([float(E.value(traj.node(k))) for k in range(traj.n_steps + 1)])[:, None]
    return {"t": t, "drop": e[:-1] - e[1:], "integral": integ + extra, "budget": budget, "energy": e, "speed": speed}


def _flat(traj: Trajectory) -> tuple[np.ndarray, np.ndarray]:
    """Times (K+1,) and points (K+1, B, d) on the host."""
    pts = np.asarray(to_numpy(traj.points), dtype=np.float64)
    return traj.times, pts.reshape(pts.shape[0], -1, pts.shape[-1])


def _native(traj: Trajectory, f: Callable[[Any], Any]) -> Callable[[np.ndarray], np.ndarray]:
    """``f`` called in the curve's own array library, device and dtype on host float64 points; host float64 out.

    The checks do their geometry on the host in float64, but the user's energy (torch or JAX parameters, a float32
    network) is evaluated on arrays like the ones the curve was computed with.
    """
    like = traj.points
    if isinstance(like, np.ndarray) and like.dtype == np.float64:
        return lambda U: np.asarray(to_numpy(f(U)), dtype=np.float64)
    xp = traj._xp

    def g(U: np.ndarray) -> np.ndarray:
        u = xp.astype(from_numpy(np.ascontiguousarray(U), like), like.dtype)
        return np.asarray(to_numpy(f(u)), dtype=np.float64)

    return g


def _slope_fn(E: Any, space: Lp, slope: Callable[[np.ndarray], np.ndarray] | None, traj: Trajectory) -> Callable[[np.ndarray], np.ndarray]:
    if slope is not None:
        if not callable(slope):
            raise TypeError("argument 'slope' must be a callable x -> |dE|(x)")
        f = _native(traj, slope)
        return lambda x: _finite_slope(f(x), "slope")
    f = _native(traj, lambda x: E.slope(space, x))
    return lambda x: _finite_slope(f(x), "E")


def _finite_slope(v: Any, name: str) -> np.ndarray:
    a = np.asarray(to_numpy(v), dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"argument {name!r}: the slope is not finite at some quadrature point of the curve")
    return a


def _gl(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on (0, 1): m nodes, then m // 2 nodes (for the error budget)."""
    x1, w1 = np.polynomial.legendre.leggauss(m)
    x2, w2 = np.polynomial.legendre.leggauss(max(m // 2, 1))
    return np.concatenate([(x1 + 1) / 2, (x2 + 1) / 2]), np.concatenate([w1 / 2, np.zeros_like(w2)]), w2 / 2


def _sub_points(X: np.ndarray, m: int) -> np.ndarray:
    """The curve u at the interior Gauss–Legendre points of each step (m nodes, then m//2 nodes).

    Shape (K, m + m//2, B, d); the energies are autonomous, so the times of these points are never needed. Interior
    nodes never sample the slope exactly at a node of the curve, where it may jump (a coordinate reaching its
    target, a box face).
    """
    w = _gl(m)[0]
    return X[:-1, None] + w[None, :, None, None] * (X[1:] - X[:-1])[:, None]  # type: ignore[no-any-return]


def _integrals(f: np.ndarray, h: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-step Gauss–Legendre integrals of samples f (K, m + m//2, B) and the |GL_m − GL_{m/2}| budget."""
    _, w1, w2 = _gl(m)
    hi = np.tensordot(w1[:m], f[:, :m], axes=([0], [1])) * h[:, None]
    lo = np.tensordot(w2, f[:, m:], axes=([0], [1])) * h[:, None]
    return hi, np.abs(hi - lo)


def _eps(traj: Trajectory) -> float:
    """The unit roundoff of the dtype the curve was computed in (float32 runs round at 1.2e-7, not 2.2e-16)."""
    try:
        return max(float(traj._xp.finfo(traj.points.dtype).eps), float(np.finfo(np.float64).eps))
    except (AttributeError, TypeError, ValueError):
        return float(np.finfo(np.float64).eps)


def _speed_rounding(traj: Trajectory) -> np.ndarray:
    """Per-step rounding allowance of a difference quotient d(x^{k+1}, x^k)/(t_{k+1} − t_k), in the curve's dtype."""
    t, X = _flat(traj)
    scale = float(np.max(np.abs(X))) + float(np.max(np.abs(t)))
    return 8 * _eps(traj) * scale * np.sqrt(X.shape[-1]) / np.diff(t)  # type: ignore[no-any-return]


def check_speed(traj: Trajectory, space: Any, tol: float = 1e-12, pairs: str = "consecutive", certify: bool = True) -> CheckResult:
    r"""C1 / C17 / W1: :math:`|u'| \le 1`, i.e. :math:`d(x^s, x^t) \le |t - s|` between nodes.

    Parameters
    ----------
    traj : Trajectory
        The curve (a curve of measures for a Wasserstein space).
    space : MetricSpace
        The space whose distance is measured (``Lp(p)``, ``Wasserstein(p, Lp(q))``).
    tol : float
        Relative tolerance, >= 0. A pair passes when :math:`d/|t - s| \le 1 + \mathrm{tol}` plus the rounding
        of the difference quotient, :math:`8\epsilon_{\rm mach}\sqrt d\,(\max|x| + \max|t|)/|t - s|`.
    pairs : {"consecutive", "all"}
        Adjacent nodes (enough for the piecewise-geodesic interpolant), or every pair (quadratic in K).
    certify : bool
        Where the space offers ``distance_upper_bound`` (Wasserstein: the particles' own coupling), a pair whose
        bound already passes is certified without the exact distance; the others get the exact distance. The
        bound is never below the distance, so it can only make a pair pass when the exact value passes too:
        a relabelled curve is decided by the exact :math:`W_p`, never by its labels.

    Returns
    -------
    CheckResult
        ``measured`` is the largest quotient (exact, or the certified bound); ``details`` counts the pairs.

    Examples
    --------
    Signed gradient descent moves exactly τ per step in ℓ∞; the same nodes stamped at half the times do not:

    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.checks import check_speed
    >>> from maxslope.schemes import steepest_descent
    >>> tr = steepest_descent(ms.SeparableQuadratic([1.0, 3.0]), ms.Lp(math.inf), np.array([0.5, -0.2]), 0.05, steps=4)
    >>> check_speed(tr, ms.Lp(math.inf)).passed
    True
    >>> check_speed(ms.Trajectory(tr.times / 2, tr.points), ms.Lp(math.inf)).passed
    False
    """
    traj = _check_traj(traj, space)
    tol = check_positive_scalar(tol, "tol", allow_zero=True)
    if pairs not in ("consecutive", "all"):
        raise ValueError(f"argument 'pairs' must be 'consecutive' or 'all', got {pairs!r}")
    if not isinstance(certify, bool):
        raise TypeError(f"argument 'certify' must be a bool, got {type(certify).__name__}")
    return _speed(traj, space, tol, pairs, certify)


def _speed(traj: Trajectory, space: Any, tol: float, pairs: str, certify: bool, exact: np.ndarray | None = None) -> CheckResult:
    """The speed check on validated input; ``exact`` holds already measured consecutive distances (K,)."""
    K = traj.n_steps
    t, X = _flat(traj) if not traj.is_measure_curve else (traj.times, traj.points)
    scale = float(np.max(np.abs(X))) + float(np.max(np.abs(t)))
    eps_d = 8 * _eps(traj) * scale * math.sqrt(X.shape[-1])
    if not traj.is_measure_curve and pairs == "consecutive":
        md = np.asarray(to_numpy(traj.metric_derivative(space)), dtype=np.float64).reshape(K, -1).max(axis=1)
        idx = [(a, a + 1) for a in range(K)]
        n_cert = 0
    else:
        idx = [(a, b) for a in range(K + 1) for b in range(a + 1, K + 1)] if pairs == "all" else [(a, a + 1) for a in range(K)]
        bound = getattr(space, "distance_upper_bound", None) if certify else None
        md = np.empty(len(idx))
        n_cert = 0
        for r, (a, b) in enumerate(idx):
            dt = t[b] - t[a]
            allowed = 1 + tol + eps_d / dt
            xa, xb = traj.node(a), traj.node(b)
            v = math.inf
            if exact is not None and b == a + 1:
                md[r] = float(exact[a]) / dt
                continue
            if bound is not None:
                v = float(np.max(to_numpy(bound(xa, xb)))) / dt
                n_cert += int(v <= allowed)
            if v > allowed:
                v = float(np.max(to_numpy(space.distance(xa, xb)))) / dt
            md[r] = v
    dts = np.array([t[b] - t[a] for a, b in idx])
    allow = 1.0 + tol + eps_d / dts
    excess = md - allow
    k = int(np.argmax(excess))
    how = f"{len(idx)} pairs of nodes" + (f", {n_cert} certified by the particles' coupling" if n_cert else "")
    return CheckResult(
        "speed |u'| <= 1",
        float(md.max()),
        float(allow[k]),
        f"relative allowance {tol:g} + rounding of the difference quotient; {how}",
        bool(np.all(excess <= 0)),
        float(t[idx[k][0]]),
        {"max_speed_per_step": md if pairs == "consecutive" else None, "pairs": len(idx), "certified": n_cert, "exact": len(idx) - n_cert},
    )


def _ede_terms(traj: Trajectory, E: Any, space: Any, slope: Any, p: float, m: int, steps: Any = None) -> dict[str, np.ndarray]:
    if traj.is_measure_curve:
        return _measure_terms(traj, E, space, slope, p, m, steps)
    t, X = _flat(traj)
    U = _sub_points(X, m)
    g = _slope_fn(E, space, slope, traj)(U)  # (K, m+1, B)
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
    e = _native(traj, E.value)(X)  # (K+1, B)
    drop = e[:-1] - e[1:]
    return {"t": t, "drop": drop, "integral": integ, "budget": budget, "energy": e, "speed": speed}


def check_energy_dissipation(
    traj: Trajectory,
    E: Any,
    space: Any,
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
    traj : Trajectory
        The curve; a curve of measures (``weights`` given) for a Wasserstein space.
    E : Energy or MeasureEnergy
        The energy; with a Wasserstein space a ground energy :math:`V` is read as :math:`\int V\,d\mu`.
    space : MetricSpace
        ``Lp(p)`` or ``Wasserstein(p, Lp(q))``: the distance, the slope and the interpolant are this space's
        (in :math:`W_p` the displacement interpolation along an exact optimal coupling of consecutive nodes).
    p : float
        The curve exponent, :math:`p \in (1, \infty]` (not the order of a Wasserstein space).
    slope : callable, optional
        The (upper-gradient) slope to integrate; default ``E.slope(space, x)``, i.e. :math:`\|\nabla E\|_*`. Pass
        e.g. ``lambda x: box.restricted_slope(x, E.grad(x))`` for the flow on a budget box (C23).
    allowance : float
        An extra absolute tolerance for discretization error (e.g. :math:`C\tau` for a scheme's output). The
        reported tolerance is the quadrature budget + rounding + this allowance.
    allowance_reason : str
        Why the allowance has its size, for the report (e.g. ``"C·τ from check_residual_order"``).
    m : int
        Even number of Gauss–Legendre nodes per step.

    Returns
    -------
    CheckResult
        ``measured`` is :math:`\max_k |R(t_k)|`; ``details["residual"]`` the cumulative residual of the worst
        batch element at the nodes ``details["times"]``.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> import maxslope as ms
    >>> from maxslope.checks import check_energy_dissipation
    >>> from maxslope.wasserstein import mass_splitting_flow
    >>> split, E = mass_splitting_flow(T=1.0, nodes=8)   # ½δ_{−t} + ½δ_t, a W_∞ flow of ∫ −x²/2 dμ
    >>> check_energy_dissipation(split, E, ms.Wasserstein(math.inf, ms.Lp(math.inf))).passed
    True
    """
    traj = _check_traj(traj, space)
    E = _energy_in(E, space)
    p = check_p(p, "p", strict=True)
    _check_nodes(m)
    allowance = check_positive_scalar(allowance, "allowance", allow_zero=True)
    return _ede(traj, E, space, p, slope, allowance, allowance_reason, m)


def _check_nodes(m: Any) -> None:
    """Refuse a quadrature node count that is not an even integer >= 2 (Gauss–Legendre with m nodes, its error
    budget from the rule with m//2)."""
    if check_int(m, "m", 2) % 2:
        raise ValueError(f"argument 'm' must be an even integer >= 2, got {m!r}")


def _ede(traj: Trajectory, E: Any, space: Any, p: float, slope: Any, allowance: float, allowance_reason: str, m: int,
         steps: Any = None) -> CheckResult:
    """The energy-dissipation check on validated input; ``steps`` is a precomputed :func:`_measure_steps`."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = _ede_terms(traj, E, space, slope, p, m, steps)
    if not all(np.all(np.isfinite(d[k])) for k in ("drop", "integral", "budget")):
        if p != math.inf:
            raise ValueError(f"argument 'p' ({p!r}): the terms |u'|^p/p and |dE|^q/q (q = {p / (p - 1.0):.3g}) overflow "
                             "along this curve; choose p further from 1")
        raise ValueError("argument 'E': the energy or its slope is not finite along the curve")
    return ede_verdict(
        "energy dissipation equality" + ("" if p == math.inf else f" (p={p:g})"),
        d["t"], d["drop"], d["integral"], d["budget"], d["energy"], allowance, allowance_reason,
        {"sign": "R <= 0 for any 1-Lipschitz curve"}, _eps(traj),
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
    eps: float = float(np.finfo(np.float64).eps),
) -> CheckResult:
    r"""The verdict on per-step energy drops and slope integrals (K, B): the cumulative residual
    :math:`R_b(t_k)` of every batch column b against that column's own quadrature budget + rounding + ``allowance``.

    Each column is judged on its own budget: a column whose quadrature is coarse (a large budget) must not lend
    its tolerance to an exact column beside it, so one slow step in one column of a batch fails the verdict
    however loose the others are. The column closest to failing (largest :math:`|R_b| - \mathrm{tol}_b`) is
    reported.

    Shared by the curve check above and the measure-level check of :mod:`maxslope.wasserstein`.
    """
    R = np.cumsum(drop - integral, axis=0)  # (K, B)
    budgets = np.cumsum(budget, axis=0).max(axis=0)  # (B,)
    scales = np.abs(energy).max(axis=0) + np.cumsum(np.abs(integral), axis=0).max(axis=0)
    roundings = 64 * eps * scales * len(t)
    tols = budgets + roundings + allowance
    worsts = np.abs(R).max(axis=0)
    b = int(np.argmax(worsts - tols))
    k = int(np.argmax(np.abs(R[:, b])))
    worst, tol = float(worsts[b]), float(tols[b])
    reason = f"quadrature budget {budgets[b]:.1e} + rounding {roundings[b]:.1e}"
    if allowance:
        reason += f" + allowance {allowance:.1e}" + (f" ({allowance_reason})" if allowance_reason else "")
    if R.shape[1] > 1:
        reason += f", per batch column (column {b} of {R.shape[1]} is the closest to failing)"
    return CheckResult(name, worst, tol, reason, bool(np.all(worsts <= tols)), float(t[k + 1]),
                       {"residual": R[:, b], "times": t[1:], "column": b, **(extra or {})})


def check_upper_gradient(
    traj: Trajectory,
    E: Any,
    space: Any,
    slope: Callable[[Any], Any] | None = None,
    m: int = 8,
) -> CheckResult:
    r"""C3: the upper-gradient inequality :math:`E(u(s)) - E(u(t)) \le \int_s^t g(u)\,|u'|\,dr` on every step.

    It holds for every absolutely continuous curve when :math:`g` is a strong upper gradient (e.g. the slope of
    a :math:`C^1` energy), so a violation means the supplied ``slope`` is *not* an upper gradient. The measured
    value is the largest violation :math:`\max_k [E(x^k) - E(x^{k+1}) - \int g|u'|]^+`.

    Parameters
    ----------
    traj : Trajectory
        The curve.
    E : Energy
        The energy.
    space : MetricSpace
        The space of the curve (its norm gives :math:`|u'|`).
    slope : callable, optional
        The candidate upper gradient :math:`g`, ``x -> g(x)``; default the exact slope :math:`\|\nabla E\|_*`.
    m : int
        Even number of Gauss–Legendre nodes per step.

    Returns
    -------
    CheckResult
        ``measured`` is the largest violation of the batch column closest to failing (each column is judged on
        its own quadrature budget and rounding), ``worst_location`` the start of that step; ``details["margin_per_step"]``
        the per-step margins and ``details["column"]`` the column.

    Examples
    --------
    The exact slope is an upper gradient; half of it is not:

    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.checks import check_upper_gradient
    >>> from maxslope.schemes import steepest_descent
    >>> E, X = ms.SeparableQuadratic([1.0, 3.0]), ms.Lp(math.inf)
    >>> tr = steepest_descent(E, X, np.array([0.5, -0.2]), 0.02, steps=5)
    >>> check_upper_gradient(tr, E, X).passed
    True
    >>> check_upper_gradient(tr, E, X, slope=lambda x: 0.5 * E.slope(X, x)).passed
    False
    """
    traj = _check_traj(traj, space)
    E = _energy_in(E, space)
    _check_nodes(m)
    d = _ede_terms(traj, E, space, slope, math.inf, m)
    t, e, speed, budget = d["t"], d["energy"], d["speed"], d["budget"]
    integ = d["integral"] * speed  # |u'| is constant on each step of the interpolant
    viol = d["drop"] - integ  # (K, B)
    # each batch column against its own quadrature budget and rounding (a coarse column must not lend its
    # tolerance to the others)
    scales = np.abs(e).max(axis=0) + np.abs(integ).max(axis=0)
    tols = budget.max(axis=0) * np.maximum(1.0, speed.max(axis=0)) + 64 * _eps(traj) * scales  # (B,)
    excess = viol - tols
    k, b = np.unravel_index(int(np.argmax(excess)), excess.shape)
    worst = float(max(viol[k, b], 0.0))
    return CheckResult(
        "upper-gradient inequality",
        worst,
        float(tols[b]),
        "per-step quadrature budget + rounding, per batch column",
        bool(np.all(excess <= 0)),
        float(t[k]),
        {"margin_per_step": -viol.max(axis=1), "column": int(b)},
    )


def check_differential_inclusion(
    traj: Trajectory, E: Any, space: Any, allowance: float = 0.0, m: int = 8, p: float = math.inf
) -> CheckResult:
    r"""C4: the differential inclusion, through the Fenchel–Young residual of the velocity and the gradient.

    In a normed space, for :math:`p = \infty`, :math:`\dot u \in -\partial\|\cdot\|_*(\nabla E(u))` a.e.
    iff :math:`\|\dot u\| \le 1` and

    .. math:: r(t) = \langle \nabla E(u(t)), \dot u(t)\rangle + \|\nabla E(u(t))\|_* = 0,

    and for finite :math:`p` (:math:`\dot u \in -\partial(\tfrac1q\|\cdot\|_*^q)(\nabla E(u))`) iff
    :math:`r = \langle \nabla E, \dot u\rangle + \tfrac1p\|\dot u\|^p + \tfrac1q\|\nabla E\|_*^q = 0`; in both cases
    :math:`r \ge 0` always. In :math:`W_p` (the curve exponent must equal the order :math:`p` of the
    space) the inclusion is checked on the representing particle curves :math:`\gamma_i`, with
    :math:`\nabla E` replaced by the field :math:`\xi` of the measure at time :math:`t` and the residual integrated
    against the weights, which is the C18/C19 characterization. Measured: :math:`\int r\,dt` (Gauss–Legendre on
    each step); ``allowance`` adds a tolerance for discretization error.

    Parameters
    ----------
    traj : Trajectory
        The curve (a curve of measures for a Wasserstein space).
    E : Energy or MeasureEnergy
        A :math:`C^1` energy.
    space : NormedSpace or Wasserstein
        ``Lp(p)``, or ``Wasserstein(p, Lp(q))`` with the curve exponent equal to its order.
    allowance : float
        An extra absolute tolerance for discretization error, >= 0.
    m : int
        Even number of Gauss–Legendre nodes per step.
    p : float
        The curve exponent, :math:`p \in (1, \infty]`.

    Returns
    -------
    CheckResult
        ``measured`` is :math:`\max_k |\int_{t_0}^{t_k} r|`; ``details`` has the largest speed, the smallest
        pointwise residual and the integrated residual per batch element.

    Examples
    --------
    The exact ℓ∞ flow of a separable quadratic satisfies the inclusion; the same path traversed backwards does not:

    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.checks import check_differential_inclusion
    >>> from maxslope.exact import separable_quadratic_flow
    >>> E, X = ms.SeparableQuadratic([1.0, 2.0]), ms.Lp(math.inf)
    >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2], T=0.25)
    >>> t = np.linspace(0, 0.25, 6)
    >>> tr = ms.Trajectory(t, flow(t))
    >>> check_differential_inclusion(tr, E, X).passed
    True
    >>> check_differential_inclusion(ms.Trajectory(tr.times, tr.points[::-1]), E, X).passed
    False
    """
    traj = _check_traj(traj, space)
    p = check_p(p, "p", strict=True)
    allowance = check_positive_scalar(allowance, "allowance", allow_zero=True)
    _check_nodes(m)
    measures = traj.is_measure_curve
    if measures:
        if p != space.p:
            raise ValueError(f"argument 'p' ({p:g}) must equal the order of {space!r}: the particle characterization holds for p = {space.p:g}")
        E = space.lift_energy(E)
        ground = space.ground
    else:
        E = as_energy(E)
        ground = check_space(space, normed=True)
    if not E.smooth:
        raise ValueError("argument 'E' must be C^1 for the inclusion check (use the energy-dissipation check instead)")
    t, X = (traj.times, traj.points[:, :, :]) if measures else _flat(traj)
    U = _sub_points(X, m)
    h = np.diff(t)
    V = (X[1:] - X[:-1]) / h[:, None, None]  # (K, B, d): particle velocities
    if measures:
        from ..wasserstein.empirical import Empirical

        G = np.stack([np.stack([E.field(Empirical._trusted(np.ascontiguousarray(U[k, j]), traj.weights)) for j in range(U.shape[1])])
                      for k in range(U.shape[0])])
    else:
        G = _native(traj, E.grad)(U)  # (K, m+m//2, B, d)
    dual = np.asarray(to_numpy(ground.dual_norm(G)), dtype=np.float64)
    speed = np.asarray(to_numpy(ground.norm(V)), dtype=np.float64)  # (K, B)
    r = np.sum(G * V[:, None], axis=-1)
    if p == math.inf:
        r = r + dual
    else:
        q = p / (p - 1.0)
        r = r + (speed**p / p)[:, None] + dual**q / q
    if measures:  # the measure-level residual: particles integrated against the weights
        r = (r @ traj.weights)[:, :, None]
    integ, budget = _integrals(r, h, m)
    total = np.cumsum(integ, axis=0)
    worst_speed = float(speed.max())
    scale = float(np.abs(r).max() * (t[-1] - t[0]) + 1.0)
    tol = float(np.cumsum(budget, axis=0).max() + 64 * _eps(traj) * scale * (traj.n_steps + 1) + allowance)
    worst = float(np.abs(total).max())
    k = int(np.argmax(np.abs(total).max(axis=1)))
    rnd = _speed_rounding(traj)
    speed_ok = True if p != math.inf else bool(np.all(speed.max(axis=1) <= 1.0 + 1e-12 + rnd))
    # pointwise r >= 0 (Fenchel–Young) may dip below 0 only by the rounding of u̇
    r_floor = -tol - float(np.max(np.abs(G))) * float(rnd.max()) - 1e-12
    ok = worst <= tol and speed_ok and float(r.min()) >= r_floor
    return CheckResult(
        "differential inclusion residual" + (" (particle curves)" if measures else ""),
        worst,
        tol,
        "quadrature budget + rounding" + (f" + allowance {allowance:.1e}" if allowance else "") + ("; and |u'| <= 1" if p == math.inf else ""),
        ok,
        float(t[k + 1]),
        {"max_speed": worst_speed, "min_pointwise_residual": float(r.min()), "integrated_residual": total.max(axis=1)},
    )


def check_curve_of_maximal_slope(
    traj: Trajectory,
    E: Any,
    space: Any,
    p: float = math.inf,
    slope: Callable[[Any], Any] | None = None,
    allowance: float = 0.0,
) -> CombinedResult:
    r"""All of: speed :math:`\le 1` (p = ∞), energy-dissipation equality, and (for :math:`C^1` energies without a
    custom slope) the differential inclusion; for finite :math:`p` the EDE with :math:`\tfrac1p|u'|^p + \tfrac1q|\partial E|^q`.

    Parameters
    ----------
    traj : Trajectory
        The curve.
    E : Energy or MeasureEnergy
        The energy.
    space : MetricSpace
        ``Lp(p)`` or ``Wasserstein(p, Lp(q))``.
    p : float
        The curve exponent, :math:`p \in (1, \infty]`.
    slope : callable, optional
        The slope to integrate in the EDE (default the exact one); with a custom slope the inclusion is skipped.
    allowance : float
        An extra absolute tolerance for discretization error (e.g. :math:`C\tau` for a scheme's output).

    Returns
    -------
    CombinedResult
        Passed when every part passed; ``parts`` (and ``details``) hold the speed, EDE and inclusion results.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.checks import check_curve_of_maximal_slope
    >>> from maxslope.exact import separable_quadratic_flow
    >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2], T=0.25)
    >>> t = np.linspace(0, 0.25, 6)
    >>> res = check_curve_of_maximal_slope(ms.Trajectory(t, flow(t)), ms.SeparableQuadratic([1.0, 2.0]), ms.Lp(math.inf))
    >>> res.passed, len(res.parts)
    (True, 3)
    """
    p = check_p(p, "p", strict=True)
    traj = _check_traj(traj, space)
    allowance = check_positive_scalar(allowance, "allowance", allow_zero=True)
    if slope is not None and not callable(slope):
        raise TypeError("argument 'slope' must be a callable x -> |dE|(x)")
    Ee = _energy_in(E, space)
    # a curve of measures: the exact W_p of each step (the costly part) is measured once for both checks
    steps = _measure_steps(traj, space, 8) if traj.is_measure_curve else None
    ede = _ede(traj, Ee, space, p, slope, allowance, "", 8, steps)
    parts = []
    if p == math.inf:
        parts.append(_speed(traj, space, 1e-12, "consecutive", True, None if steps is None else steps[0]))
    parts.append(ede)
    inclusion_applies = p == math.inf if not traj.is_measure_curve else p == space.p
    if inclusion_applies and slope is None and Ee.smooth:
        parts.append(check_differential_inclusion(traj, Ee, space, allowance=allowance, p=p))
    return CombinedResult("curve of maximal slope" + ("" if p == math.inf else f" (p={p:g})"), parts)


def is_monotone(energies: Any, tol: float = 0.0) -> CheckResult:
    r"""C22: whether an energy sequence is non-increasing (``E_{k+1} <= E_k + tol``), with the largest increase.

    Parameters
    ----------
    energies : array_like
        :math:`E_0, E_1, \dots` along the first axis (further axes: a batch, each checked), at least two values.
    tol : float
        Allowed increase per step, >= 0.

    Returns
    -------
    CheckResult
        ``measured`` is the largest increase (0 when none), ``worst_location`` the step where it happens.

    Examples
    --------
    >>> from maxslope.checks import is_monotone
    >>> is_monotone([3.0, 2.0, 2.0, 1.5]).passed
    True
    >>> print(is_monotone([3.0, 2.0, 2.1]))  # doctest: +ELLIPSIS
    energy non-increasing: FAIL (measured 1.000e-01 at step=2, ...
    """
    e = np.asarray(to_numpy(as_float_array(energies, "energies", min_ndim=1)), dtype=np.float64)
    tol = check_positive_scalar(tol, "tol", allow_zero=True)
    if e.shape[0] < 2:
        raise ValueError("argument 'energies' must hold at least two values along its first axis")
    inc = np.diff(e, axis=0).reshape(e.shape[0] - 1, -1)
    worst = float(inc.max())
    k = int(np.argmax(inc.max(axis=1)))
    return CheckResult("energy non-increasing", max(worst, 0.0), tol, "user tolerance", worst <= tol, float(k + 1), {},
                       location_name="step")
