r"""Inner solvers of the minimizing-movement step :math:`x^{k+1} \in \arg\min\{E(x) : d(x, x^k) \le r,\ x \in C\}`.

Every solver is a callable ``solver(E, space, xk, radius, constraint) -> x`` (batched over the leading axes of
``xk``) with two attributes that the scheme copies into the trajectory's metadata:

``name``
    a short identifier;
``guarantee``
    what the returned point is: ``"global (closed form)"``, ``"global on a grid of final spacing h"``,
    ``"local (projected gradient, m starts)"``, ``"stochastic (CBO)"``.

:func:`get_inner` turns ``"auto" | "exact" | "grid" | "multistart" | "cbo"`` or a user callable into a solver.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._backend import as_float_array, check_positive_scalar, from_numpy, namespace, to_numpy
from ..energies import (
    Energy,
    L1Norm,
    Linear,
    MonotoneTransform,
    Negated,
    Quadratic,
    SeparableQuadratic,
)
from ..spaces.box import Box
from ..spaces.lp import Lp, _pnorm

__all__ = ["ExactInner", "GridInner", "MultistartInner", "CBOInner", "get_inner", "NoExactSolver", "feasible_box", "closed_form", "ClosedForm", "CLOSED_FORMS"]


class NoExactSolver(ValueError):
    """Raised when no closed form exists for an energy / geometry / constraint combination."""


def feasible_box(space: Lp, xk: Any, radius: float, constraint: Box | None) -> tuple[Any, Any]:
    """Lower and upper corners of the bounding box of the feasible set (exact feasible set for ℓ∞)."""
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
    """

    name = "exact"
    guarantee = "global minimizer (closed form)"

    def supports(self, E: Energy, space: Lp, constraint: Box | None) -> bool:
        try:
            self._plan(E, space, constraint)
            return True
        except NoExactSolver:
            return False

    def _plan(self, E: Energy, space: Lp, constraint: Box | None) -> tuple[ClosedForm, Energy, float]:
        base, sign = _strip(E)
        for cf in CLOSED_FORMS:
            if isinstance(base, cf.energy) and isinstance(space, cf.space) and cf.applies(base, sign, space, constraint):
                return cf, base, sign
        raise NoExactSolver(
            f"no closed-form ball-constrained minimizer for {type(E).__name__} in {space!r}"
            + (" with a box constraint" if constraint is not None else "")
            + "; use inner='grid' (d <= 3), 'multistart' or 'cbo'"
        )

    def describe(self, E: Energy, space: Lp, constraint: Box | None) -> str:
        cf, _, sign = self._plan(E, space, constraint)
        return f"closed form '{cf.name}'" + (" (maximization)" if sign < 0 else "")

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        cf, base, sign = self._plan(E, space, constraint)
        xp = namespace(xk=xk)
        xk = as_float_array(xk, "xk", xp, min_ndim=1)
        if isinstance(radius, (int, float)) and not isinstance(radius, bool):
            check_positive_scalar(radius, "radius", allow_zero=True)
        else:
            r = as_float_array(radius, "radius", namespace(radius=radius))
            if bool(namespace(radius=r).any(r < 0)):
                raise ValueError("argument 'radius' must be >= 0")
        if constraint is not None and not isinstance(constraint, Box):
            raise TypeError(f"argument 'constraint' must be a maxslope.spaces.Box or None, got {type(constraint).__name__}")
        return cf.solve(base, sign, space, xk, radius, constraint)


@dataclass(frozen=True)
class ClosedForm:
    """One closed-form ball step: for energies of type ``energy`` in spaces of type ``space`` where ``applies``."""

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
        lo, hi = feasible_box(space, xk, radius, constraint)
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
    lo, hi = feasible_box(space, xk, radius, constraint)
    c = xp.zeros_like(xk) + base._param(base.center, "center", xp)
    return xp.minimum(xp.maximum(c, lo), hi)


@closed_form(SeparableQuadratic, Lp, "sepquad_max", lambda b, s, sp, C: sp.p == math.inf and s < 0)
def _sepquad_max_step(base: SeparableQuadratic, sign: float, space: Lp, xk: Any, radius: Any, constraint: Box | None) -> Any:
    """The endpoint of [l_i, u_i] farther from c_i (upper on ties)."""
    xp = namespace(xk=xk)
    lo, hi = feasible_box(space, xk, radius, constraint)
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
    lo, hi = feasible_box(space, xk, radius, constraint)
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
    if space.p == math.inf:
        lo, hi = feasible_box(space, xk, radius, constraint)
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
    """

    name = "grid"

    def __init__(self, n: int = 41, zoom: int = 3, chunk: int = 2_000_000) -> None:
        if not isinstance(n, int) or n < 3:
            raise ValueError(f"argument 'n' must be an integer >= 3, got {n!r}")
        if not isinstance(zoom, int) or zoom < 0:
            raise ValueError(f"argument 'zoom' must be a non-negative integer, got {zoom!r}")
        self.n, self.zoom, self.chunk = n, zoom, chunk
        self.last_spacing = math.nan

    @property
    def guarantee(self) -> str:
        return f"global on a {self.n}-point-per-axis grid with {self.zoom} zoom refinements (final spacing reported as inner_spacing)"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        xp = namespace(xk=xk)
        d = int(xk.shape[-1])
        if d > 3:
            raise ValueError(f"inner='grid' is for dimension d <= 3 (n^d points), got d = {d}")
        lo, hi = feasible_box(space, xk, radius, constraint)
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
    """

    name = "multistart"

    def __init__(self, n_random: int = 8, iters: int = 200, seed: int = 0) -> None:
        self.n_random, self.iters, self.seed = n_random, iters, seed
        self.rng = np.random.default_rng(seed)

    @property
    def guarantee(self) -> str:
        return f"local (projected gradient from 1 + corners + {self.n_random} random starts, {self.iters} iterations)"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        xp = namespace(xk=xk)
        d = int(xk.shape[-1])
        lo, hi = feasible_box(space, xk, radius, constraint)
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
        self.N, self.max_it, self.dt, self.lam, self.sigma, self.alpha = N, max_it, dt, lam, sigma, alpha
        check_positive_scalar(dt, "dt")
        check_positive_scalar(alpha, "alpha")
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.initial_best = initial_best
        self._first = True

    @property
    def guarantee(self) -> str:
        return f"stochastic (CBO, N={self.N}, max_it={self.max_it}, alpha={self.alpha:g}, best particle, seed={self.seed})"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
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
    """Resolve ``inner`` to a solver; return it and a sentence for the metadata saying how exact it is."""
    if isinstance(inner, str):
        if inner == "auto":
            ex = ExactInner()
            if ex.supports(E, space, constraint):
                return ex, f"auto -> exact: {ex.describe(E, space, constraint)}; {ex.guarantee}"
            raise NoExactSolver(
                f"inner='auto' found no closed form for {type(E).__name__} in {space!r}; choose inner='grid' (d <= 3), "
                "'multistart' or 'cbo' explicitly, knowing they are not exact"
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
        raise ValueError(f"argument 'inner' must be 'auto', 'exact', 'grid', 'multistart', 'cbo' or a callable, got {inner!r}")
    if callable(inner):
        return inner, str(getattr(inner, "guarantee", "user-supplied solver (no guarantee stated)"))
    raise TypeError(f"argument 'inner' must be a string or a callable, got {type(inner).__name__}")
