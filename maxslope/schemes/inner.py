r"""Inner solvers of the minimizing-movement step :math:`x^{k+1} \in \arg\min\{E(x) : d(x, x^k) \le r,\ x \in C\}`.

Every solver is a callable ``solver(E, space, xk, radius, constraint) -> x`` (batched over the leading axes of
``xk``) with two attributes that the scheme copies into the trajectory's metadata:

``name``
    a short identifier;
``guarantee``
    what the returned point is: ``"global (closed form)"``, ``"global on a grid of final spacing h"``,
    ``"local (projected gradient, m starts)"``, ``"stochastic (CBO)"``.

:func:`get_inner` turns ``"auto" | "exact" | "grid" | "quasi-newton" | "multistart" | "cbo"`` or a user callable into a
solver.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._backend import as_float_array, check_finite, check_int, check_positive_scalar, from_numpy, namespace, to_numpy
from ..energies import (
    Energy,
    L1Norm,
    Linear,
    MonotoneTransform,
    Negated,
    Quadratic,
    SeparableQuadratic,
    as_energy,
    check_points_for,
)
from ..spaces.box import Box, _check_box
from ..spaces.lp import Lp, _check_lp, _pnorm
from ._common import check_constraint

__all__ = ["ExactInner", "GridInner", "MultistartInner", "QuasiNewtonInner", "CBOInner", "get_inner", "NoExactSolver", "feasible_box", "closed_form", "ClosedForm", "CLOSED_FORMS"]


class NoExactSolver(ValueError):
    """Raised when no closed form exists for an energy / geometry / constraint combination.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import NoExactSolver, minimizing_movement
    >>> E = ms.FromCallables(lambda x: np.cos(x).sum(-1), lambda x: -np.sin(x))
    >>> try:
    ...     minimizing_movement(E, ms.Lp(math.inf), np.zeros(2), 0.1, steps=1)
    ... except NoExactSolver as exc:
    ...     print(str(exc)[:40])
    inner='auto' found no closed form for Fr
    """


_NO_ENERGY = object()


def _check_step(E: Any, space: Any, xk: Any, radius: Any, constraint: Any) -> tuple[Any, Any, Any]:
    """Validate the arguments of a ball step ``solver(E, space, xk, radius, constraint)``, naming the bad one.

    ``radius`` is a number >= 0 or an array of them that broadcasts against the batch of ``xk`` (one radius per
    start point, shape ``batch`` or ``batch + (1,)``). ``E`` is ``_NO_ENERGY`` for :func:`feasible_box`.
    """
    E = None if E is _NO_ENERGY else as_energy(E, "E")
    _check_lp(space)
    xp = namespace(xk=xk)
    xk = as_float_array(xk, "xk", xp, min_ndim=1)
    check_finite(xk, "xk", xp)
    check_points_for(E, xk, "xk")
    if isinstance(radius, (int, float, np.floating, np.integer)) and not isinstance(radius, bool):
        radius = check_positive_scalar(radius, "radius", allow_zero=True)
    else:
        r = as_float_array(radius, "radius", namespace(xk=xk, radius=radius))
        check_finite(r, "radius", xp)
        if bool(xp.any(r < 0)):
            raise ValueError("argument 'radius' must be >= 0")
        batch = tuple(xk.shape[:-1])
        if tuple(r.shape) not in (batch, batch + (1,)):
            raise ValueError(f"argument 'radius' must be a number or have shape {batch} or {batch + (1,)} (one radius per "
                             f"point of 'xk'), got {tuple(r.shape)}")
    check_constraint(constraint, xk, "xk")
    return E, xk, radius


def feasible_box(space: Lp, xk: Any, radius: float, constraint: Box | None) -> tuple[Any, Any]:
    """Lower and upper corners of the bounding box of the feasible set :math:`\bar B_r(x^k) \\cap C`.

    For ℓ∞ the box is the feasible set itself; for :math:`p < \\infty` it contains it.

    Parameters
    ----------
    space : Lp
        The space of the ball.
    xk : array, shape (..., d)
        Centres of the balls (a batch of points), inside ``constraint``.
    radius : float or array
        Radius ``r >= 0``, or one radius per point of the batch.
    constraint : Box or None
        The box :math:`C`, or ``None`` for no constraint.

    Returns
    -------
    lower, upper : array, shape (..., d)
        :math:`\\max(x^k - r, \\ell)` and :math:`\\min(x^k + r, u)`.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from maxslope import Box, Lp
    >>> from maxslope.schemes.inner import feasible_box
    >>> feasible_box(Lp(math.inf), np.array([0.5, 0.0]), 0.2, Box(np.zeros(2), 0.6))
    (array([ 0.3, -0.2]), array([0.6, 0.2]))
    """
    _, xk, radius = _check_step(_NO_ENERGY, space, xk, radius, constraint)
    if not isinstance(radius, float):
        radius = radius if radius.ndim == xk.ndim else radius[..., None]
    return _feasible_box(space, xk, radius, constraint)


def _feasible_box(space: Lp, xk: Any, radius: float, constraint: Box | None) -> tuple[Any, Any]:
    xp = namespace(xk=xk)
    lo, hi = xk - radius, xk + radius
    if constraint is not None:
        lo = xp.maximum(lo, constraint.lower)
        hi = xp.minimum(hi, constraint.upper)
    return lo, hi


def _strip(E: Energy) -> tuple[Energy, float]:
    """Remove monotone transforms and track negations: argmin is unchanged by increasing φ."""
    sign = 1.0
    while True:
        if isinstance(E, MonotoneTransform):
            E = E.inner
        elif isinstance(E, Negated):
            sign = -sign
            E = E.inner
        else:
            return E, sign


class ExactInner:
    r"""Closed-form global minimizers of the ball-constrained step.

    Covered cases (``sign`` = −1 means the energy is negated, i.e. maximization; monotone transforms
    :math:`\varphi \circ E` are stripped because they do not change the argmin, claim C15):

    ============================  ==========  =====================================================================
    energy                        geometry    minimizer over :math:`\bar B_r(x^k) \cap C`
    ============================  ==========  =====================================================================
    ``Linear`` (±)                ℓ∞          the corner :math:`x_i = l_i` if :math:`a_i > 0`, :math:`u_i` if
                                              :math:`a_i < 0`, :math:`x^k_i` if :math:`a_i = 0` (a documented choice:
                                              every value of the interval is a minimizer)
    ``Linear`` (±)                ℓ2          :math:`x^k - r\,a/|a|_2` (no constraint)
    ``Linear`` (±)                ℓ1          fractional knapsack: spend the budget :math:`r` on coordinates in
                                              decreasing :math:`|a_i|` (stable order), each up to the box face
    ``SeparableQuadratic`` (+)    ℓ∞          :math:`\mathrm{clip}(c, l, u)`
    ``SeparableQuadratic`` (−)    ℓ∞          the endpoint of :math:`[l_i, u_i]` farther from :math:`c_i` (upper on
                                              ties)
    ``SeparableQuadratic`` (+)    ℓ2          trust-region solution :math:`(\lambda c + \mu x^k)/(\lambda + \mu)`,
                                              :math:`\mu \ge 0` by bisection to machine precision (no constraint)
    ``L1Norm`` (+)                ℓ∞          :math:`\mathrm{clip}(c, l, u)`
    ``Quadratic`` (+, A ≻ 0)      ℓ2          trust-region subproblem in the eigenbasis of A:
                                              :math:`y(\mu) = -(A + \mu I)^{-1}\nabla E(x^k)`, :math:`\mu \ge 0` by
                                              bisection on :math:`|y(\mu)|_2 = r` (no constraint)
    ``Quadratic`` (+, A ⪰ 0)      ℓ∞          convex box QP: for :math:`d \le 6` exact enumeration of the
                                              :math:`3^d` faces of the box (stationary point of each face by a
                                              linear solve, feasible ones compared; handles singular A); for
                                              larger d and A ≻ 0 bounded least squares (scipy ``lsq_linear``, BVLS
                                              active set). Host-side loop over the batch
    ============================  ==========  =====================================================================

    Anything else raises :class:`NoExactSolver`. Each row is an entry of the registry :data:`CLOSED_FORMS`, keyed by
    (energy type, space type) with a predicate for where its formula is exact, and registered by
    :func:`closed_form` next to the function that computes it; a new closed form is one decorated function.
    In a Wasserstein space a potential energy's step uses these ground entries atom by atom (claim W3).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import ExactInner
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> x = ExactInner()(E, ms.Lp(math.inf), np.array([0.5, -0.2]), 0.1, None)
    >>> np.round(x, 12).tolist()
    [0.4, -0.1]
    """

    name = "exact"
    guarantee = "global minimizer (closed form)"

    def supports(self, E: Energy, space: Lp, constraint: Box | None) -> bool:
        r"""Whether a closed-form step exists for this energy, space and constraint.

        Parameters
        ----------
        E : Energy
            The energy.
        space : Lp
            The space.
        constraint : Box or None
            The box constraint.

        Returns
        -------
        bool
            True when :meth:`describe` names a registered closed form.

        Examples
        --------
        >>> import math, maxslope as ms
        >>> from maxslope.schemes import ExactInner
        >>> ExactInner().supports(ms.L1Norm(2), ms.Lp(3.0), None)
        False
        """
        try:
            self._plan(E, space, constraint)
            return True
        except NoExactSolver:
            return False

    def _plan(self, E: Energy, space: Lp, constraint: Box | None) -> tuple[ClosedForm, Energy, float]:
        E = as_energy(E, "E")
        _check_lp(space)
        _check_box(constraint)
        base, sign = _strip(E)
        for cf in CLOSED_FORMS:
            if isinstance(base, cf.energy) and isinstance(space, cf.space) and cf.applies(base, sign, space, constraint):
                return cf, base, sign
        raise NoExactSolver(
            f"no closed-form ball-constrained minimizer for {type(E).__name__} in {space!r}"
            + (" with a box constraint" if constraint is not None else "")
            + "; use inner='grid' (d <= 3), 'quasi-newton', 'multistart' or 'cbo'"
        )

    def describe(self, E: Energy, space: Lp, constraint: Box | None) -> str:
        r"""The closed form that solves the step, and its guarantee, in words.

        Parameters
        ----------
        E : Energy
            The energy.
        space : Lp
            The space.
        constraint : Box or None
            The box constraint.

        Returns
        -------
        str
            The ``meta["inner_guarantee"]`` of a run with this solver.

        Examples
        --------
        >>> import math, maxslope as ms
        >>> from maxslope.schemes import ExactInner
        >>> ExactInner().describe(ms.Linear([1.0]), ms.Lp(math.inf), None)
        "closed form 'linear'"
        """
        cf, _, sign = self._plan(E, space, constraint)
        return f"closed form '{cf.name}'" + (" (maximization)" if sign < 0 else "")

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        E, xk, radius = _check_step(E, space, xk, radius, constraint)
        cf, base, sign = self._plan(E, space, constraint)
        return cf.solve(base, sign, space, xk, radius, constraint)


@dataclass(frozen=True)
class ClosedForm:
    """One closed-form ball step: for energies of type ``energy`` in spaces of type ``space`` where ``applies``.

    Parameters
    ----------
    name : str
        The label in ``meta["inner_guarantee"]``.
    energy : type
        The energy class it solves.
    space : type
        The space class.
    applies : callable
        ``applies(base, sign, space, constraint) -> bool``: where the formula is exact.
    solve : callable
        ``solve(base, sign, space, xk, radius, constraint) -> x``.

    Examples
    --------
    >>> from maxslope.schemes.inner import CLOSED_FORMS
    >>> [c.name for c in CLOSED_FORMS][:3]
    ['linear', 'l1norm', 'sepquad']
    """

    name: str
    energy: type
    space: type
    applies: Callable[[Any, float, Any, Any], bool]
    solve: Callable[[Any, float, Any, Any, Any, Any], Any]


#: the registry :class:`ExactInner` searches in order; :func:`closed_form` adds to it
CLOSED_FORMS: list[ClosedForm] = []


def closed_form(energy: type, space: type, name: str, applies: Callable[[Any, float, Any, Any], bool]) -> Callable[[Any], Any]:
    r"""Register ``solve(base, sign, space, xk, radius, constraint)`` as the exact ball step of ``energy`` in ``space``.

    ``base`` is the energy with monotone transforms and negations stripped, ``sign`` is −1 when the step
    maximizes ``base``; ``applies(base, sign, space, constraint)`` says where the formula is exact. Each closed
    form sits next to its formula, so adding an energy with a closed form adds code in one place only (user code
    may register its own). Registration order is the search order.

    Parameters
    ----------
    energy : type
        The energy class.
    space : type
        The space class.
    name : str
        The label.
    applies : callable
        ``applies(base, sign, space, constraint) -> bool``.

    Returns
    -------
    callable
        A decorator that registers ``solve`` and returns it unchanged.

    Examples
    --------
    Register the exact ℓ∞ ball step of one's own energy (here a shifted linear energy) and let ``inner="exact"`` find it:

    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import minimizing_movement
    >>> from maxslope.schemes.inner import CLOSED_FORMS, closed_form
    >>> class Tilt(ms.Energy):
    ...     def __init__(self, a):
    ...         self.a, self.dim = np.asarray(a, dtype=float), len(a)
    ...     def _value(self, x, xp):
    ...         return x @ self.a
    ...     def _grad(self, x, xp):
    ...         return np.broadcast_to(self.a, x.shape).copy()
    >>> @closed_form(Tilt, ms.Lp, "tilt", lambda base, sign, space, c: space.p == math.inf and c is None)
    ... def _tilt_step(base, sign, space, xk, radius, constraint):
    ...     return xk - sign * radius * np.sign(base.a)
    >>> tr = minimizing_movement(Tilt([1.0, -1.0]), ms.Lp(math.inf), np.zeros(2), 0.1, steps=1, inner="exact")
    >>> tr.final.tolist(), tr.meta["inner_guarantee"].split(";")[0]
    ([-0.1, 0.1], "exact: closed form 'tilt'")
    >>> _ = CLOSED_FORMS.pop()  # unregister
    """

    def deco(solve: Any) -> Any:
        CLOSED_FORMS.append(ClosedForm(name, energy, space, applies, solve))
        return solve

    return deco


def _psd(A: Any, strict: bool) -> bool:
    ev = np.linalg.eigvalsh(to_numpy(A))
    scale = 1e-12 * max(abs(ev[-1]), 1e-300)
    return bool(ev[0] > scale) if strict else bool(ev[0] >= -scale)


@closed_form(Linear, Lp, "linear", lambda b, s, sp, C: sp.p in (math.inf, 1.0) or (sp.p == 2.0 and C is None))
def _linear_step(base: Linear, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    """ℓ∞: the box corner by sign(a); ℓ2: x^k − r a/|a|; ℓ1: fractional knapsack in decreasing |a_i|."""
    xp = namespace(xk=xk)
    a = base._param(base.a, "a", xp) * sign
    if space.p == math.inf:
        lo, hi = _feasible_box(space, xk, radius, constraint)
        return xp.where(a > 0, lo, xp.where(a < 0, hi, xk))
    if space.p == 2.0:
        na = float(to_numpy(_pnorm(a, 2.0, xp)))
        if na == 0.0:
            return xk
        return xk - radius * (a / na)
    return _l1_knapsack(xp, a, xk, radius, constraint)


@closed_form(SeparableQuadratic, Lp, "sepquad", lambda b, s, sp, C: sp.p == math.inf and s > 0)
@closed_form(L1Norm, Lp, "l1norm", lambda b, s, sp, C: sp.p == math.inf and s > 0)
def _clip_step(base: Any, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    """clip(c, l, u) on the feasible box (separable convex energies minimized at their centre)."""
    xp = namespace(xk=xk)
    lo, hi = _feasible_box(space, xk, radius, constraint)
    c = xp.zeros_like(xk) + base._param(base.center, "center", xp)
    return xp.minimum(xp.maximum(c, lo), hi)


@closed_form(SeparableQuadratic, Lp, "sepquad_max", lambda b, s, sp, C: sp.p == math.inf and s < 0)
def _sepquad_max_step(base: SeparableQuadratic, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    """The endpoint of [l_i, u_i] farther from c_i (upper on ties)."""
    xp = namespace(xk=xk)
    lo, hi = _feasible_box(space, xk, radius, constraint)
    c = xp.zeros_like(xk) + base._param(base.center, "center", xp)
    return xp.where(xp.abs(lo - c) > xp.abs(hi - c), lo, hi)


@closed_form(SeparableQuadratic, Lp, "sepquad_l2", lambda b, s, sp, C: sp.p == 2.0 and s > 0 and C is None)
def _sepquad_l2_step(base: SeparableQuadratic, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    return _trust_region_separable(namespace(xk=xk), base, xk, radius)


@closed_form(Quadratic, Lp, "quad_l2", lambda b, s, sp, C: sp.p == 2.0 and s > 0 and C is None and _psd(b.A, True))
def _quad_l2_step(base: Quadratic, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    return _trust_region_quadratic(base, xk, radius)


@closed_form(Quadratic, Lp, "quad_box",
             lambda b, s, sp, C: sp.p == math.inf and s > 0 and (_psd(b.A, True) or (_psd(b.A, False) and (b.dim or 0) <= MAX_FACE_DIM)))
def _quad_box_step(base: Quadratic, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    lo, hi = _feasible_box(space, xk, radius, constraint)
    return _box_qp(base, xk, lo, hi)


def _l1_knapsack(xp: Any, a: Any, xk: Any, radius: float, constraint: Box | None) -> Any:
    an = to_numpy(a)
    order = np.argsort(-np.abs(an), kind="stable")
    x = to_numpy(xk).copy()
    d = x.shape[-1]
    if constraint is not None:
        lo = np.broadcast_to(to_numpy(constraint.lower), x.shape)
        hi = np.broadcast_to(to_numpy(constraint.upper), x.shape)
    budget = np.full(x.shape[:-1], float(radius))
    for i in order[:d]:
        if an[i] == 0:
            break
        direction = -np.sign(an[i])
        if constraint is None:
            room = np.full(x.shape[:-1], np.inf)
        else:
            room = (hi[..., i] - x[..., i]) if direction > 0 else (x[..., i] - lo[..., i])
            room = np.maximum(room, 0.0)
        step = np.minimum(budget, room)
        x[..., i] = x[..., i] + direction * step
        budget = budget - step
    return from_numpy(x, xk)


def _trust_region_quadratic(E: Quadratic, xk: Any, radius: float) -> Any:
    """min ½xᵀAx + bᵀx s.t. |x − x^k|_2 ≤ r, A ≻ 0: eigenbasis + bisection on the multiplier μ ≥ 0."""
    A = to_numpy(E.A)
    b = np.zeros(A.shape[0]) if E.b is None else to_numpy(E.b)
    w, V = np.linalg.eigh(A)
    xn = to_numpy(xk)
    g = (xn @ A + b) @ V  # gradient at x^k in the eigenbasis
    y_free = -g / w
    inside = np.linalg.norm(y_free, axis=-1) <= radius

    def norm(mu: np.ndarray) -> np.ndarray:
        return np.linalg.norm(g / (w + mu[..., None]), axis=-1)  # type: ignore[no-any-return]

    lo = np.zeros(xn.shape[:-1])
    hi = np.maximum(np.linalg.norm(g, axis=-1) / max(radius, 1e-300), 1.0)  # |y(hi)| <= |g|/hi <= r
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        big = norm(mid) > radius
        lo = np.where(big, mid, lo)
        hi = np.where(big, hi, mid)
    y = -g / (w + hi[..., None])
    y = np.where(inside[..., None], y_free, y)
    return from_numpy(np.ascontiguousarray(xn + y @ V.T), xk)


def _trust_region_separable(xp: Any, E: SeparableQuadratic, xk: Any, radius: Any) -> Any:
    """min ½Σλ_i(x_i−c_i)² s.t. |x − x^k|_2 ≤ r: x(μ) = (λc + μx^k)/(λ+μ), |x(μ) − x^k| = r (bisection in μ).

    ``radius`` is a scalar or an array of the batch shape (one radius per start point).
    """
    lam = to_numpy(E.lam)
    xn = to_numpy(xk)
    c = np.broadcast_to(np.asarray(to_numpy(E.center) if not isinstance(E.center, float) else E.center), xn.shape)
    w = c - xn
    r = np.broadcast_to(np.asarray(to_numpy(radius) if not isinstance(radius, (int, float)) else radius, dtype=np.float64), xn.shape[:-1])
    inside = np.linalg.norm(w, axis=-1) <= r
    still = (r <= 0) | inside  # a zero radius keeps x^k; a centre inside the ball is the minimizer

    def dist(mu: np.ndarray) -> np.ndarray:
        return np.linalg.norm(lam * w / (lam + mu[..., None]), axis=-1)  # type: ignore[no-any-return]

    lo = np.zeros(xn.shape[:-1])
    hi = np.full(xn.shape[:-1], float(lam.max()))
    for _ in range(2100):  # bracket dist(hi) <= r: hi passes lam |w| / r within ~2100 doublings of a float
        bad = (dist(hi) > r) & ~still
        if not bad.any():
            break
        hi = np.where(bad, hi * 2.0, hi)
    else:
        raise ValueError("argument 'radius' is too small to bracket the trust-region multiplier")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        big = dist(mid) > r
        lo = np.where(big, mid, lo)
        hi = np.where(big, hi, mid)
    mu = hi[..., None]
    x = (lam * c + mu * xn) / (lam + mu)
    x = np.where(inside[..., None], c, x)
    x = np.where((r <= 0)[..., None], xn, x)
    return from_numpy(np.ascontiguousarray(x), xk)


MAX_FACE_DIM = 6


def _box_qp(E: Quadratic, xk: Any, lo: Any, hi: Any) -> Any:
    """Global minimizer of ½xᵀAx + bᵀx over the box [lo, hi], A ⪰ 0 (host, loop over the batch)."""
    A = to_numpy(E.A)
    d = A.shape[0]
    b = np.zeros(d) if E.b is None else to_numpy(E.b)
    shape = to_numpy(xk).shape
    L = np.broadcast_to(to_numpy(lo), shape).reshape(-1, d)
    H = np.broadcast_to(to_numpy(hi), shape).reshape(-1, d)
    out = np.empty_like(L)
    if d <= MAX_FACE_DIM:
        import itertools

        faces = list(itertools.product((0, 1, 2), repeat=d))  # 0: at lower, 1: at upper, 2: free
        scale = max(1.0, float(np.abs(A).max()), float(np.abs(b).max()))
        for j in range(L.shape[0]):
            best, best_v = None, math.inf
            for f in faces:
                fa = np.array(f)
                x = np.where(fa == 0, L[j], H[j])
                free = fa == 2
                if free.any():
                    Aff = A[np.ix_(free, free)]
                    rhs = -(b[free] + A[np.ix_(free, ~free)] @ x[~free])
                    sol, *_ = np.linalg.lstsq(Aff, rhs, rcond=None)
                    if np.max(np.abs(Aff @ sol - rhs), initial=0.0) > 1e-10 * scale:
                        continue  # unbounded below on this face's affine hull
                    x = x.copy()
                    x[free] = sol
                    tol = 1e-13 * (1.0 + np.abs(x))
                    if np.any(x < L[j] - tol) or np.any(x > H[j] + tol):
                        continue
                    x = np.clip(x, L[j], H[j])
                v = 0.5 * x @ A @ x + b @ x
                if best is None or v < best_v - 1e-15 * (1 + abs(best_v)):
                    best, best_v = x, v
            out[j] = best
        return from_numpy(out.reshape(shape), xk)
    from scipy.optimize import lsq_linear

    w, V = np.linalg.eigh(A)
    R = (V * np.sqrt(w)).T  # A = R^T R
    target = -np.linalg.solve(R.T, b)  # ½|Rx|² + bᵀx = ½|Rx − target|² + const
    for j in range(L.shape[0]):
        res = lsq_linear(R, target, bounds=(L[j], np.maximum(H[j], L[j] + 1e-300)), method="bvls", tol=1e-15, max_iter=10 * d + 100)
        out[j] = np.clip(res.x, L[j], H[j])
    return from_numpy(out.reshape(shape), xk)


def _project_feasible(space: Lp, xk: Any, radius: float, constraint: Box | None, y: Any, iters: int = 50) -> Any:
    """Euclidean projection onto B̄_r(x^k) ∩ C: exact for ℓ∞ (a box); Dykstra's algorithm otherwise."""
    if space.p not in (1.0, 2.0, math.inf):
        raise ValueError(f"argument 'inner': this solver projects onto the {space!r} ball, which is implemented for p in "
                         "{1, 2, inf} only; use inner='quasi-newton' (SLSQP on the exact ball) or 'grid'")
    if space.p == math.inf:
        lo, hi = _feasible_box(space, xk, radius, constraint)
        xp = namespace(y=y)
        return xp.minimum(xp.maximum(y, lo), hi)
    if constraint is None:
        return space.project_ball(y, xk, radius)
    # Dykstra for the intersection of a ball and a box
    xp = namespace(y=y)
    x = y
    p_ = xp.zeros_like(y)
    q_ = xp.zeros_like(y)
    for _ in range(iters):
        z = space.project_ball(x + p_, xk, radius)
        p_ = x + p_ - z
        x = constraint.project(z + q_)
        q_ = z + q_ - x
    return x


class GridInner:
    r"""Global search on a grid over the feasible set, with zoom refinement (dimension :math:`d \le 3`).

    A tensor grid of ``n`` points per axis covers the bounding box of :math:`\bar B_r(x^k) \cap C`; points outside
    the feasible set are discarded; the current point :math:`x^k` is always a candidate (so a step never
    increases the energy). Each of ``zoom`` refinements re-grids a box of half-width two grid spacings around the
    best point. The result is a global minimizer up to the final grid spacing ``h``: its value exceeds the true
    minimum by at most :math:`\mathrm{Lip}(E)\cdot h\sqrt d` when the minimizer is not in a narrower well than the
    first grid resolves. Batched over start points (chunked to bound memory).

    Parameters
    ----------
    n : int
        Grid points per axis, >= 3.
    zoom : int
        Zoom refinements around the best point, >= 0.
    chunk : int
        Grid points evaluated per batch (memory bound).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import GridInner
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> x = GridInner()(E, ms.Lp(math.inf), np.array([0.5, -0.2]), 0.1, None)
    >>> np.round(x, 3).tolist()  # the exact step is (0.4, −0.1)
    [0.4, -0.1]
    """

    name = "grid"

    def __init__(self, n: int = 41, zoom: int = 3, chunk: int = 2_000_000) -> None:
        self.n, self.zoom, self.chunk = check_int(n, "n", 3), check_int(zoom, "zoom", 0), check_int(chunk, "chunk", 1)
        self.last_spacing = math.nan

    @property
    def guarantee(self) -> str:
        r"""What the solver guarantees, in words (``meta["inner_guarantee"]``): the grid's spacing bound.

        Examples
        --------
        >>> from maxslope.schemes import GridInner
        >>> GridInner().guarantee.split(' ')[0]
        'global'
        """
        return f"global on a {self.n}-point-per-axis grid with {self.zoom} zoom refinements (final spacing reported as inner_spacing)"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        E, xk, radius = _check_step(E, space, xk, radius, constraint)
        xp = namespace(xk=xk)
        d = int(xk.shape[-1])
        if d > 3:
            raise ValueError(f"argument 'xk' has dimension d = {d}: inner='grid' is for d <= 3 (n^d points)")
        lo, hi = _feasible_box(space, xk, radius, constraint)
        flat = xp.reshape(xk, (-1, d))
        lo, hi = xp.reshape(xp.zeros_like(xk) + lo, (-1, d)), xp.reshape(xp.zeros_like(xk) + hi, (-1, d))
        best_x = flat
        best_e = E.value(flat)
        glo, ghi = lo, hi
        mesh = np.stack(np.meshgrid(*([np.linspace(0.0, 1.0, self.n)] * d), indexing="ij"), axis=-1).reshape(-1, d)
        mesh = xp.asarray(mesh, dtype=xk.dtype)
        spacing = None
        for _level in range(self.zoom + 1):
            width = ghi - glo
            spacing = width / (self.n - 1)
            rows = max(1, self.chunk // mesh.shape[0])
            new_x, new_e = [], []
            for s in range(0, flat.shape[0], rows):
                sl = slice(s, min(s + rows, flat.shape[0]))
                cand = glo[sl, None, :] + width[sl, None, :] * mesh[None, :, :]
                e = E.value(cand)
                if space.p != math.inf:
                    ok = space.distance(cand, flat[sl, None, :]) <= radius * (1 + 1e-12)
                    e = xp.where(ok, e, xp.full_like(e, math.inf))
                j = xp.argmin(e, axis=1)
                idx = xp.reshape(j, (-1, 1, 1))
                bx = xp.take_along_axis(cand, xp.broadcast_to(idx, (cand.shape[0], 1, d)), axis=1)[:, 0, :]
                be = xp.take_along_axis(e, xp.reshape(j, (-1, 1)), axis=1)[:, 0]
                new_x.append(bx)
                new_e.append(be)
            cx, ce = xp.concat(new_x, axis=0), xp.concat(new_e, axis=0)
            better = ce < best_e
            best_x = xp.where(better[:, None], cx, best_x)
            best_e = xp.where(better, ce, best_e)
            glo = xp.maximum(best_x - 2 * spacing, lo)
            ghi = xp.minimum(best_x + 2 * spacing, hi)
        self.last_spacing = float(xp.max(spacing)) if spacing is not None else math.nan
        return xp.reshape(best_x, xk.shape)


class MultistartInner:
    r"""Projected gradient descent from several starts; returns the best end point (a *local* method).

    Starts: :math:`x^k`, the corners of the feasible bounding box (ℓ∞, :math:`d \le 4`), and ``n_random`` seeded
    uniform points. Step size :math:`1/L` with :math:`L` the Euclidean gradient Lipschitz constant if the energy
    reports one, else Armijo backtracking. Projection onto :math:`\bar B_r(x^k) \cap C` is exact in ℓ∞ and uses
    Dykstra's algorithm for ℓ2 / ℓ1 balls intersected with a box. Global only if some start lies in the basin
    of a global minimizer.

    Parameters
    ----------
    n_random : int
        Random starts besides :math:`x^k` and the corners.
    iters : int
        Projected-gradient iterations per start.
    seed : int
        The seed of the random starts.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import MultistartInner
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> x = MultistartInner()(E, ms.Lp(math.inf), np.array([0.5, -0.2]), 0.1, None)
    >>> np.round(x, 6).tolist()
    [0.4, -0.1]
    """

    name = "multistart"

    def __init__(self, n_random: int = 8, iters: int = 200, seed: int = 0) -> None:
        self.n_random, self.iters = check_int(n_random, "n_random", 0), check_int(iters, "iters", 1)
        self.seed = check_int(seed, "seed", 0)
        self.rng = np.random.default_rng(self.seed)

    @property
    def guarantee(self) -> str:
        r"""What the solver guarantees, in words (``meta["inner_guarantee"]``): a local minimizer from its starts.

        Examples
        --------
        >>> from maxslope.schemes import MultistartInner
        >>> MultistartInner().guarantee.split(' ')[0]
        'local'
        """
        return f"local (projected gradient from 1 + corners + {self.n_random} random starts, {self.iters} iterations)"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        E, xk, radius = _check_step(E, space, xk, radius, constraint)
        xp = namespace(xk=xk)
        d = int(xk.shape[-1])
        lo, hi = _feasible_box(space, xk, radius, constraint)
        lo, hi = xp.zeros_like(xk) + lo, xp.zeros_like(xk) + hi
        starts = [xk]
        if space.p == math.inf and d <= 4:
            corners = Lp(math.inf).extreme_points(d, xp, xk.dtype)
            if corners is not None:
                for j in range(corners.shape[0]):
                    starts.append(xp.where(corners[j] > 0, hi, lo))
        for _ in range(self.n_random):
            u = xp.astype(from_numpy(self.rng.uniform(size=tuple(xk.shape)), xk), xk.dtype)  # the dtype of x (float32 too)
            starts.append(_project_feasible(space, xk, radius, constraint, lo + u * (hi - lo)))
        L = E.grad_lipschitz(Lp(2))
        best_x, best_e = xk, E.value(xk)
        for x in starts:
            x = _project_feasible(space, xk, radius, constraint, x)
            step = 1.0 / L if L else 1.0
            e = E.value(x)
            for _ in range(self.iters):
                g = E.grad(x)
                if L:
                    y = _project_feasible(space, xk, radius, constraint, x - step * g)
                    ey = E.value(y)
                else:
                    t = xp.full_like(e, 1.0)
                    y, ey = x, e
                    for _bt in range(30):
                        y_try = _project_feasible(space, xk, radius, constraint, x - t[..., None] * g)
                        e_try = E.value(y_try)
                        ok = e_try <= e - 1e-4 * xp.sum(g * (x - y_try), axis=-1)
                        y = xp.where(ok[..., None], y_try, y)
                        ey = xp.where(ok, e_try, ey)
                        if bool(xp.all(ok)):
                            break
                        t = xp.where(ok, t, t * 0.5)
                improved = ey <= e
                x = xp.where(improved[..., None], y, x)
                e = xp.where(improved, ey, e)
            better = e < best_e
            best_x = xp.where(better[..., None], x, best_x)
            best_e = xp.where(better, e, best_e)
        return best_x


class QuasiNewtonInner:
    r"""Bound-constrained quasi-Newton from a few starts: SciPy's L-BFGS-B in ℓ∞, SLSQP in the other ℓp (*local*).

    The feasible set :math:`\bar B_r(x^k) \cap C` is handed to SciPy exactly, never penalized:

    * :math:`p = \infty`: it is the box :math:`[\max(x^k - r, \ell), \min(x^k + r, u)]`, so the whole batch is one
      L-BFGS-B problem on the sum of the energies (the problem separates, and L-BFGS-B keeps every iterate in
      the bounds);
    * :math:`p = 1`: :math:`x = x^k + a - b` with :math:`0 \le a \le u - x^k`, :math:`0 \le b \le x^k - \ell` and
      :math:`\sum_i (a_i + b_i) \le r`: bounds and one linear constraint, solved by SLSQP per batch element;
    * :math:`1 < p < \infty`: SLSQP on :math:`x` with the smooth constraint
      :math:`r^p - \sum_i |x_i - x^k_i|^p \ge 0` and the box bounds, per batch element.

    Starts: :math:`x^k` and ``n_random`` seeded uniform points of the feasible bounding box, clipped to the box
    and pulled radially towards :math:`x^k` into the ball. The result of each start is made feasible the same
    way (a no-op up to rounding) and the best is kept; it replaces :math:`x^k` only if it does not raise the
    energy, so the scheme stays monotone. Like :class:`MultistartInner` it is global only if a start lies in the
    basin of a global minimizer, and much faster on smooth energies (curvature pairs instead of fixed steps).

    The energy and its gradient are evaluated in the library and dtype of :math:`x^k` (a float32 torch network
    stays float32); SciPy works on float64 copies on the host, because it is a host library.

    Parameters
    ----------
    n_random : int
        Random starts besides :math:`x^k` (default 1).
    maxiter : int
        Iteration limit of each SciPy run (default 200).
    seed : int
        Seed of the random starts.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import QuasiNewtonInner
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> x = QuasiNewtonInner()(E, ms.Lp(math.inf), np.array([0.5, -0.2]), 0.1, None)
    >>> np.round(x, 6).tolist()
    [0.4, -0.1]
    """

    name = "quasi-newton"

    def __init__(self, n_random: int = 1, maxiter: int = 200, seed: int = 0) -> None:
        self.n_random, self.maxiter = check_int(n_random, "n_random", 0), check_int(maxiter, "maxiter", 1)
        self.seed = check_int(seed, "seed", 0)
        self.rng = np.random.default_rng(self.seed)

    @property
    def guarantee(self) -> str:
        r"""What the solver guarantees, in words (``meta["inner_guarantee"]``): a local minimizer from its starts.

        Examples
        --------
        >>> from maxslope.schemes import QuasiNewtonInner
        >>> QuasiNewtonInner().guarantee.split(' ')[0]
        'local'
        """
        return f"local (L-BFGS-B / SLSQP from 1 + {self.n_random} random starts, {self.maxiter} iterations)"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        E, xk, radius = _check_step(E, space, xk, radius, constraint)
        xp = namespace(xk=xk)
        lo, hi = _feasible_box(space, xk, radius, constraint)
        lo_n = np.broadcast_to(to_numpy(xp.zeros_like(xk) + lo), tuple(xk.shape)).astype(np.float64)
        hi_n = np.broadcast_to(to_numpy(xp.zeros_like(xk) + hi), tuple(xk.shape)).astype(np.float64)
        x0 = to_numpy(xk).astype(np.float64)

        def lift(y: np.ndarray) -> Any:
            return xp.astype(from_numpy(np.ascontiguousarray(y, dtype=np.float64), xk), xk.dtype)

        def feasible(y: np.ndarray) -> np.ndarray:
            y = np.clip(y, lo_n, hi_n)  # x^k is in the box, so clipping does not move y away from it
            if space.p == math.inf:
                return y
            w = y - x0
            nrm = np.linalg.norm(w, ord=space.p, axis=-1, keepdims=True)
            return x0 + w * np.minimum(1.0, radius / np.where(nrm > 0, nrm, 1.0))

        starts = [x0] + [feasible(lo_n + self.rng.uniform(size=x0.shape) * (hi_n - lo_n)) for _ in range(self.n_random)]
        best = x0
        best_e = to_numpy(E.value(xk)).astype(np.float64)
        for y0 in starts:
            y = feasible(self._solve(E, space, xk, radius, y0, x0, lo_n, hi_n, lift))
            ey = to_numpy(E.value(lift(y))).astype(np.float64)
            better = ey <= best_e
            best = np.where(better[..., None], y, best)
            best_e = np.where(better, ey, best_e)
        return lift(best)  # x^k's own float32 / float64 values round-trip exactly where no start improved

    def _solve(self, E: Energy, space: Lp, xk: Any, radius: float, y0: np.ndarray, x0: np.ndarray, lo: np.ndarray,
               hi: np.ndarray, lift: Callable[[np.ndarray], Any]) -> np.ndarray:
        from scipy.optimize import minimize

        shape = x0.shape
        tol = float(np.finfo(to_numpy(xk).dtype).eps)  # stop at the rounding of x's own dtype
        if space.p == math.inf:
            def fun(v: np.ndarray) -> tuple[float, np.ndarray]:
                X = lift(v.reshape(shape))
                return float(to_numpy(E.value(X)).astype(np.float64).sum()), to_numpy(E.grad(X)).astype(np.float64).ravel()

            res = minimize(fun, y0.ravel(), jac=True, method="L-BFGS-B", bounds=list(zip(lo.ravel(), hi.ravel(), strict=True)),
                           options={"maxiter": self.maxiter, "ftol": 4 * tol, "gtol": 0.0})
            return res.x.reshape(shape)  # type: ignore[no-any-return]
        d = shape[-1]
        flat0, flatlo, flathi = (a.reshape(-1, d) for a in (x0, lo, hi))
        Y = y0.reshape(-1, d).copy()
        for b in range(Y.shape[0]):
            Y[b] = self._slsqp(_Element(E, Y, b, shape, lift), space.p, flat0[b], flatlo[b], flathi[b], radius, tol)
        return Y.reshape(shape)

    def _slsqp(self, el: _Element, q: float, c: np.ndarray, lo: np.ndarray, hi: np.ndarray, radius: float, tol: float) -> np.ndarray:
        """SLSQP for one batch element: ℓ1 by the split x = c + a − b, 1 < q < ∞ with the smooth ball constraint."""
        from scipy.optimize import minimize

        d = c.shape[0]
        opts = {"maxiter": self.maxiter, "ftol": tol}
        if q == 1.0:  # x = c + a - b, a, b >= 0: bounds and one linear constraint
            w0 = el.y - c
            res = minimize(lambda ab: el.value(c + ab[:d] - ab[d:]), np.concatenate([np.maximum(w0, 0.0), np.maximum(-w0, 0.0)]),
                           jac=lambda ab: np.concatenate([g := el.grad(c + ab[:d] - ab[d:]), -g]), method="SLSQP",
                           bounds=list(zip(np.zeros(2 * d), np.concatenate([hi - c, c - lo]), strict=True)),
                           constraints=[{"type": "ineq", "fun": lambda ab: radius - ab.sum(), "jac": lambda ab: -np.ones(2 * d)}],
                           options=opts)
            return c + res.x[:d] - res.x[d:]  # type: ignore[no-any-return]
        res = minimize(el.value, el.y, jac=el.grad, method="SLSQP", bounds=list(zip(lo, hi, strict=True)),
                       constraints=[{"type": "ineq", "fun": lambda v: radius**q - np.sum(np.abs(v - c) ** q),
                                     "jac": lambda v: -q * np.abs(v - c) ** (q - 1) * np.sign(v - c)}],
                       options=opts)
        return res.x  # type: ignore[no-any-return]


class _Element:
    """One batch element of a batched energy: its value and gradient as functions of that element alone (the other
    elements are held at their current values, so energies with per-point parameters stay aligned)."""

    def __init__(self, E: Energy, Y: np.ndarray, b: int, shape: tuple[int, ...], lift: Callable[[np.ndarray], Any]) -> None:
        self.E, self.Y, self.b, self.shape, self.lift = E, Y, b, shape, lift
        self.y = Y[b].copy()

    def _at(self, v: np.ndarray) -> Any:
        Z = self.Y.copy()
        Z[self.b] = v
        return self.lift(Z.reshape(self.shape))

    def value(self, v: np.ndarray) -> float:
        return float(to_numpy(self.E.value(self._at(v))).astype(np.float64).reshape(-1)[self.b])

    def grad(self, v: np.ndarray) -> np.ndarray:
        return to_numpy(self.E.grad(self._at(v))).astype(np.float64).reshape(-1, self.shape[-1])[self.b]  # type: ignore[no-any-return]


class CBOInner:
    r"""Consensus-based optimization with the best-particle rule, as in the paper's experiment code.

    ``N`` particles start uniformly in :math:`x^k + [-\rho, \rho]^d` with :math:`\rho = \min(r, \varepsilon)` (the
    budget radius of the constraint, if any) and are projected onto the feasible set. Each of ``max_it``
    iterations applies the CBXpy update

    .. math:: x \leftarrow x - \lambda\,dt\,(x - c_\alpha) + \sigma\sqrt{dt}\,\|x - c_\alpha\|_2\,\xi,\qquad
              c_\alpha = \frac{\sum_j x_j e^{-\alpha E(x_j)}}{\sum_j e^{-\alpha E(x_j)}},

    with isotropic Gaussian :math:`\xi`, then projects. The step returns the **best particle seen** (lowest
    energy among all evaluated feasible positions), not the consensus point, and only if it beats the energy
    of the current iterate (``initial_best="current"``, which makes the scheme monotone; the repository's
    ``reset_cbo`` carries its best energy over in the same way after the first step). ``initial_best="inf"``
    reproduces the repository's very first step, which accepts the best particle even if it is worse.
    Defaults: ``N=30, max_it=30, dt=0.01, lam=1, sigma=5.1, alpha=1e8`` (``Flows.ipynb``); the difference study
    uses ``alpha=1``. Seeded; stochastic, so no optimality guarantee.

    Parameters
    ----------
    N : int
        Particles.
    max_it : int
        Iterations.
    dt : float
        Time step of the CBO dynamics.
    lam : float
        Drift toward the consensus point.
    sigma : float
        Noise strength.
    alpha : float
        Inverse temperature of the consensus weights.
    seed : int
        The seed.
    initial_best : {"current", "inf"}
        Whether the current iterate's energy is the bar to beat (monotone) or not.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import CBOInner
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> x0 = np.array([0.5, -0.2])
    >>> x = CBOInner(seed=1)(E, ms.Lp(math.inf), x0, 0.1, None)
    >>> bool(E.value(x) <= E.value(x0) and np.abs(x - x0).max() <= 0.1)  # never worse, always feasible
    True
    """

    name = "cbo"

    def __init__(
        self,
        N: int = 30,
        max_it: int = 30,
        dt: float = 0.01,
        lam: float = 1.0,
        sigma: float = 5.1,
        alpha: float = 1e8,
        seed: int = 0,
        initial_best: str = "current",
    ) -> None:
        if initial_best not in ("current", "inf"):
            raise ValueError(f"argument 'initial_best' must be 'current' or 'inf', got {initial_best!r}")
        self.N, self.max_it = check_int(N, "N", 1), check_int(max_it, "max_it", 1)
        self.dt, self.alpha = check_positive_scalar(dt, "dt"), check_positive_scalar(alpha, "alpha")
        self.lam, self.sigma = check_positive_scalar(lam, "lam"), check_positive_scalar(sigma, "sigma", allow_zero=True)
        self.seed = check_int(seed, "seed", 0)
        self.rng = np.random.default_rng(self.seed)
        self.initial_best = initial_best
        self._first = True

    @property
    def guarantee(self) -> str:
        r"""What the solver guarantees, in words (``meta["inner_guarantee"]``): nothing, it is stochastic; with every
        setting of the run, so that the record reproduces it.

        Examples
        --------
        >>> from maxslope.schemes import CBOInner
        >>> CBOInner().guarantee.split(' ')[0]
        'stochastic'

        """
        return (f"stochastic (CBO, N={self.N}, max_it={self.max_it}, dt={self.dt:g}, lam={self.lam:g}, sigma={self.sigma:g}, "
                f"alpha={self.alpha:g}, best particle, initial_best={self.initial_best}, seed={self.seed})")

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        E, xk, radius = _check_step(E, space, xk, radius, constraint)
        xp = namespace(xk=xk)
        d = int(xk.shape[-1])
        batch = tuple(xk.shape[:-1])
        rho = radius
        if constraint is not None:
            rho = min(radius, float(to_numpy(xp.min(constraint.radius))))
        u = self.rng.uniform(-rho, rho, size=batch + (self.N, d))
        xk_ = xk[..., None, :]
        if constraint is not None:  # add the particle axis to a batched constraint
            constraint = Box.from_bounds(
                xp.zeros_like(xk_) + xp.reshape(xp.zeros_like(xk) + constraint.lower, xk_.shape),
                xp.zeros_like(xk_) + xp.reshape(xp.zeros_like(xk) + constraint.upper, xk_.shape),
            )
        X = _project_feasible(space, xk_, radius, constraint, xk_ + xp.astype(from_numpy(u, xk), xk.dtype))
        fx = E.value(X)
        j = xp.argmin(fx, axis=-1)
        best_x = xp.take_along_axis(X, xp.broadcast_to(j[..., None, None], batch + (1, d)), axis=-2)[..., 0, :]
        best_e = xp.min(fx, axis=-1)
        sq = math.sqrt(self.dt)
        for _ in range(self.max_it):
            w = -self.alpha * (fx - xp.min(fx, axis=-1, keepdims=True))
            w = xp.exp(w)
            c = xp.sum(w[..., None] * X, axis=-2) / xp.sum(w, axis=-1)[..., None]
            diff = X - c[..., None, :]
            nrm = xp.sqrt(xp.sum(diff * diff, axis=-1, keepdims=True))
            xi = xp.astype(from_numpy(self.rng.standard_normal(size=batch + (self.N, d)), xk), xk.dtype)
            X = X - self.lam * self.dt * diff + self.sigma * sq * nrm * xi
            X = _project_feasible(space, xk_, radius, constraint, X)
            fx = E.value(X)
            j = xp.argmin(fx, axis=-1)
            cand = xp.take_along_axis(X, xp.broadcast_to(j[..., None, None], batch + (1, d)), axis=-2)[..., 0, :]
            ce = xp.min(fx, axis=-1)
            better = ce < best_e
            best_x = xp.where(better[..., None], cand, best_x)
            best_e = xp.where(better, ce, best_e)
        if self.initial_best == "inf" and self._first:
            self._first = False
            return best_x
        self._first = False
        keep = best_e >= E.value(xk)
        return xp.where(keep[..., None], xk, best_x)


def get_inner(inner: Any, E: Energy, space: Lp, constraint: Box | None) -> tuple[Any, str]:
    """Resolve ``inner`` to a solver; return it and a sentence for the metadata saying how exact it is.

    Parameters
    ----------
    inner : str or callable
        ``"auto"``, ``"exact"``, ``"grid"``, ``"quasi-newton"``, ``"multistart"``, ``"cbo"`` or a solver
        ``(E, space, xk, radius, constraint) -> x``.
    E : Energy
        The energy.
    space : Lp
        The space.
    constraint : Box or None
        The box constraint.

    Returns
    -------
    (callable, str)
        The solver and its guarantee in words.

    Examples
    --------
    >>> import math, maxslope as ms
    >>> from maxslope.schemes.inner import get_inner
    >>> solver, how = get_inner("auto", ms.Linear([1.0, 2.0]), ms.Lp(math.inf), None)
    >>> how
    "auto -> exact: closed form 'linear'; global minimizer (closed form)"
    """
    E = as_energy(E, "E")
    _check_lp(space)
    _check_box(constraint)
    if isinstance(inner, str):
        if inner == "auto":
            ex = ExactInner()
            if ex.supports(E, space, constraint):
                return ex, f"auto -> exact: {ex.describe(E, space, constraint)}; {ex.guarantee}"
            raise NoExactSolver(
                f"inner='auto' found no closed form for {type(E).__name__} in {space!r}; choose inner='grid' (d <= 3), "
                "'quasi-newton', 'multistart' or 'cbo' explicitly, knowing they are not exact"
            )
        if inner == "exact":
            ex = ExactInner()
            return ex, f"exact: {ex.describe(E, space, constraint)}; {ex.guarantee}"
        if inner == "grid":
            g = GridInner()
            return g, g.guarantee
        if inner == "multistart":
            m = MultistartInner()
            return m, m.guarantee
        if inner == "cbo":
            c = CBOInner()
            return c, c.guarantee
        if inner == "quasi-newton":
            qn = QuasiNewtonInner()
            return qn, qn.guarantee
        raise ValueError(f"argument 'inner' must be 'auto', 'exact', 'grid', 'multistart', 'quasi-newton', 'cbo' or a callable, "
                         f"got {inner!r}")
    if callable(inner):
        return inner, str(getattr(inner, "guarantee", "user-supplied solver (no guarantee stated)"))
    raise TypeError(f"argument 'inner' must be a string or a callable, got {type(inner).__name__}")
