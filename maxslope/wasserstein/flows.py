r"""W_∞ flows of potential energies: particle schemes, measure-level checks and the distributional adversary.

For a potential energy :math:`\mathcal E(\mu) = \int E\,d\mu` on :math:`(\mathcal P_\infty, W_\infty)` built on a
normed space :math:`(\mathbb R^d, \|\cdot\|)` (spec §1.8):

* the strong upper gradient is :math:`G(\mu) = \int \|\nabla E\|_*\,d\mu`;
* a curve :math:`\mu_t = (e_t)_\#\eta` superposed from 1-Lipschitz curves has :math:`W_\infty(\mu_s, \mu_t) \le
  |t - s|` (C17), and it is an :math:`\infty`-curve of maximal slope iff
  :math:`\mathcal E(\mu_s) - \mathcal E(\mu_t) = \int_s^t G(\mu_r)\,dr` (C18); mass may split;
* the minimizing movement decouples, :math:`\min\{\mathcal E(\nu) : W_\infty(\nu, \mu) \le \tau\} = \int
  \min_{\bar B_\tau(x)} E\,d\mu(x)`, attained by a pushforward (C19); the particle-wise semi-implicit scheme is
  batch IFGSM;
* the distributional adversary :math:`\sup\{\int \ell\,d\nu : W_\infty(\nu, \mu) \le \varepsilon\}` equals
  :math:`\int \max_{\bar B_\varepsilon(x)} \ell\,d\mu` (C20).

A :class:`ParticleFlow` stores a representing measure :math:`\eta = \sum_i w_i \delta_{\gamma_i}` with
piecewise-linear curves :math:`\gamma_i`; the checks read the *measures* :math:`\mu_t` (exact :math:`W_\infty`
between time slices, :math:`\mathcal E` and :math:`G`), not the particle labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .._backend import check_positive_scalar
from ..checks.curve import _ede_terms, ede_verdict
from ..checks.result import CheckResult
from ..curves import Trajectory
from ..energies import as_energy
from ..schemes import minimizing_movement, steepest_descent
from ..spaces.lp import Lp, pnorm
from .distance import distance_matrix, wasserstein
from .empirical import Empirical

__all__ = [
    "PotentialEnergy",
    "ParticleFlow",
    "particle_minimizing_movement",
    "particle_steepest_descent",
    "check_w_inf_speed",
    "check_measure_energy_dissipation",
    "mass_splitting_flow",
    "uniform_spreading_curve",
    "distributional_adversary",
    "ball_transport_lp",
]

_EPS = np.finfo(np.float64).eps


class PotentialEnergy:
    r"""The potential energy :math:`\mathcal E(\mu) = \int E\,d\mu` and its slope :math:`G(\mu) = \int\|\nabla E\|_*\,d\mu`.

    Parameters
    ----------
    E : Energy
        The potential :math:`E \in C^1(\mathbb R^d)`.
    space : Lp
        The ground space; :math:`\|\cdot\|_*` is its dual norm.
    """

    def __init__(self, E: Any, space: Lp) -> None:
        self.E = as_energy(E)
        if not isinstance(space, Lp):
            raise TypeError(f"argument 'space' must be an Lp space, got {type(space).__name__}")
        self.space = space

    def value(self, mu: Empirical) -> float:
        r""":math:`\mathcal E(\mu) = \sum_i w_i E(x_i)`."""
        return _measure(mu).integrate(self.E.value)

    def slope(self, mu: Empirical) -> float:
        r""":math:`G(\mu) = \sum_i w_i \|\nabla E(x_i)\|_*`."""
        return _measure(mu).integrate(lambda x: self.E.slope(self.space, x))


def _measure(mu: Any) -> Empirical:
    if not isinstance(mu, Empirical):
        raise TypeError(f"argument 'mu' must be an Empirical measure, got {type(mu).__name__}")
    return mu


@dataclass
class ParticleFlow:
    r"""A curve of measures :math:`\mu_t = \sum_i w_i \delta_{\gamma_i(t)}` given by weighted particle curves.

    ``points[k, i]`` is :math:`\gamma_i(t_k)`; between nodes the curves are linear. Particles with the same
    start point and different paths represent a mass split (a representing measure not induced by a map).
    """

    times: np.ndarray  #: (K+1,)
    points: np.ndarray  #: (K+1, n, d)
    weights: np.ndarray  #: (n,), summing to 1
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.times = np.asarray(self.times, dtype=np.float64)
        self.points = np.asarray(self.points, dtype=np.float64)
        self.weights = np.asarray(self.weights, dtype=np.float64)
        if self.points.ndim != 3 or self.points.shape[0] != self.times.shape[0]:
            raise ValueError(f"points must have shape (K+1, n, d) with K+1 = {self.times.shape[0]}, got {self.points.shape}")
        if self.weights.shape != (self.points.shape[1],):
            raise ValueError(f"weights must have shape ({self.points.shape[1]},), got {self.weights.shape}")
        if np.any(np.diff(self.times) <= 0):
            raise ValueError("times must be strictly increasing")
        Empirical(self.points[0], self.weights)  # validates weights and finiteness

    @property
    def n_steps(self) -> int:
        return int(self.times.shape[0] - 1)

    def measure(self, k: int) -> Empirical:
        """The measure at node ``k``."""
        return Empirical(self.points[k], self.weights)

    def at(self, t: float) -> Empirical:
        """The measure at time ``t`` (particles linearly interpolated)."""
        if not self.times[0] <= t <= self.times[-1]:
            raise ValueError(f"argument 't' = {t} outside [{self.times[0]}, {self.times[-1]}]")
        k = min(int(np.searchsorted(self.times, t, side="right")) - 1, self.n_steps - 1)
        s = (t - self.times[k]) / (self.times[k + 1] - self.times[k])
        return Empirical(self.points[k] + s * (self.points[k + 1] - self.points[k]), self.weights)

    def trajectory(self) -> Trajectory:
        """The particles as a batched :class:`~maxslope.curves.Trajectory` (batch axis = particles)."""
        return Trajectory(self.times, self.points, meta=dict(self.meta))

    def energies(self, E: Any) -> np.ndarray:
        r""":math:`\mathcal E(\mu_{t_k})` at every node."""
        E = as_energy(E)
        return np.asarray(E.value(self.points), dtype=np.float64) @ self.weights  # type: ignore[no-any-return]


def _from_traj(traj: Trajectory, mu0: Empirical, meta: dict[str, Any]) -> ParticleFlow:
    return ParticleFlow(traj.times, np.asarray(traj.points), mu0.weights.copy(), {**traj.meta, **meta})


def particle_minimizing_movement(E: Any, mu0: Empirical, tau: float, steps: int | None = None, T: float | None = None, space: Lp | None = None, inner: Any = "auto") -> ParticleFlow:
    r"""The :math:`W_\infty` minimizing movement of :math:`\mathcal E = \int E\,d\mu` from ``mu0``.

    :math:`\mu^{k+1} \in \arg\min\{\mathcal E(\nu) : W_\infty(\nu, \mu^k) \le \tau\}` decouples into one
    :math:`\infty`-MMS step per atom (C19): :math:`\mu^{k+1} = T^k_\#\mu^k` with :math:`T^k(x) \in
    \arg\min_{\bar B_\tau(x)} E`. All atoms move in one batched call of
    :func:`~maxslope.schemes.minimizing_movement` (default geometry ℓ∞).
    """
    mu0 = _measure(mu0)
    space = Lp(math.inf) if space is None else space
    traj = minimizing_movement(E, space, mu0.points, tau, steps=steps, T=T, inner=inner)
    return _from_traj(traj, mu0, {"scheme": "W_inf minimizing movement (particle-wise)"})


def particle_steepest_descent(
    E: Any, mu0: Empirical, tau: float, steps: int | None = None, T: float | None = None, space: Lp | None = None, selection: Any = None
) -> ParticleFlow:
    r"""The semi-implicit :math:`W_\infty` scheme, particle-wise normalized steepest descent (batch IFGSM in ℓ∞).

    ``selection`` is the element of the steepest set where :math:`\nabla E = 0` (see
    :meth:`~maxslope.spaces.Lp.steepest_direction`); a sequence gives one selection per particle, so that the
    copies of a split atom (:meth:`Empirical.split`) can leave a critical point in different directions.
    """
    mu0 = _measure(mu0)
    space = Lp(math.inf) if space is None else space
    if selection is None or isinstance(selection, (str, float, int)):
        traj = steepest_descent(E, space, mu0.points, tau, steps=steps, T=T, selection=selection)
        return _from_traj(traj, mu0, {"scheme": "W_inf semi-implicit (batch IFGSM)"})
    sel = list(selection)
    if len(sel) != mu0.n:
        raise ValueError(f"argument 'selection' must have one entry per particle ({mu0.n}), got {len(sel)}")
    pts = None
    times = None
    for s in dict.fromkeys(sel):
        idx = np.array([k for k, v in enumerate(sel) if v == s])
        tr = steepest_descent(E, space, mu0.points[idx], tau, steps=steps, T=T, selection=s)
        if pts is None:
            pts = np.empty((tr.times.shape[0], mu0.n, mu0.dim))
            times = tr.times
        pts[:, idx] = np.asarray(tr.points)
    assert pts is not None and times is not None
    return ParticleFlow(times, pts, mu0.weights.copy(), {"scheme": "W_inf semi-implicit (batch IFGSM)", "selection": "per particle"})


def check_w_inf_speed(flow: ParticleFlow, ground: Lp, pairs: str = "all", tol: float = 1e-12, measure: str = "certify") -> CheckResult:
    r"""C17: :math:`W_\infty(\mu_s, \mu_t) \le |t - s|` between time slices.

    Parameters
    ----------
    flow : ParticleFlow
        The curve of measures.
    ground : Lp
        The ground norm of :math:`W_\infty`.
    pairs : {"all", "consecutive"}
        Every pair of nodes (quadratic in their number), or adjacent ones.
    tol : float
        Relative tolerance, >= 0: a pair passes when :math:`W_\infty/|t - s| \le 1 + \mathrm{tol}` plus the
        rounding of the distances relative to :math:`|t - s|`.
    measure : {"certify", "exact"}
        ``"certify"`` first bounds each pair by the particles' own coupling,
        :math:`W_\infty(\mu_s, \mu_t) \le \max_i \|\gamma_i(t) - \gamma_i(s)\|` (the labels pair atoms of equal
        mass, so they are a coupling), and computes the exact :math:`W_\infty`
        (:func:`~maxslope.wasserstein.wasserstein`) only for the pairs that this bound does not certify.
        ``"exact"`` computes the exact value for every pair.

    Returns
    -------
    CheckResult
        ``measured`` is :math:`\max W_\infty(\mu_s, \mu_t)/|t - s|` over the pairs, where each pair's
        :math:`W_\infty` is exact or, in ``"certify"`` mode, the certified upper bound; ``info`` counts both.

    Notes
    -----
    Certification is sound in one direction only: the bound is never below :math:`W_\infty`, so it can make a
    pair pass only when the exact value passes too. A curve whose particles are relabelled between nodes (the
    labels then make no sensible coupling) is decided by the exact value, never by its labels.
    """
    if not isinstance(flow, ParticleFlow):
        raise TypeError(f"argument 'flow' must be a ParticleFlow, got {type(flow).__name__}")
    if not isinstance(ground, Lp):
        raise TypeError(f"argument 'ground' must be an Lp space (the ground norm), got {type(ground).__name__}")
    if pairs not in ("all", "consecutive"):
        raise ValueError(f"argument 'pairs' must be 'all' or 'consecutive', got {pairs!r}")
    if measure not in ("certify", "exact"):
        raise ValueError(f"argument 'measure' must be 'certify' or 'exact', got {measure!r}")
    tol = check_positive_scalar(tol, "tol", allow_zero=True)
    K = flow.n_steps
    idx = [(a, b) for a in range(K + 1) for b in range(a + 1, K + 1)] if pairs == "all" else [(a, a + 1) for a in range(K)]
    scale = float(np.abs(flow.points).max()) + float(np.abs(flow.times).max())
    worst, where, excess_max = 0.0, 0.0, -math.inf
    certified = 0
    for a, b in idx:
        dt = flow.times[b] - flow.times[a]
        allowed = 1 + tol + 8 * _EPS * scale * math.sqrt(flow.points.shape[-1]) / dt
        w = math.inf
        if measure == "certify":
            w = float(pnorm(flow.points[b] - flow.points[a], ground.p, np).max())
            certified += int(w / dt <= allowed)
        if w / dt > allowed:
            w = wasserstein(flow.measure(a), flow.measure(b), math.inf, ground).value
        ratio = w / dt
        if ratio > worst:
            worst, where = ratio, float(flow.times[a])
        excess_max = max(excess_max, ratio - allowed)
    how = "exact W_inf" if measure == "exact" else f"{certified} certified by the particles' coupling, {len(idx) - certified} exact W_inf"
    return CheckResult(
        "W_inf speed <= 1",
        worst,
        1 + tol,
        f"relative {tol:g} + rounding of the distances; {len(idx)} pairs of slices, {how}",
        bool(excess_max <= 0),
        where,
        {"pairs": len(idx), "certified": certified, "exact": len(idx) - certified},
    )


def check_measure_energy_dissipation(flow: ParticleFlow, E: Any, space: Lp, allowance: float = 0.0, m: int = 8) -> CheckResult:
    r"""C18: :math:`\mathcal E(\mu_0) - \mathcal E(\mu_t) = \int_0^t G(\mu_r)\,dr` along the flow.

    :math:`\mathcal E(\mu_t) = \sum_i w_i E(\gamma_i(t))` and :math:`G(\mu_t) = \sum_i w_i \|\nabla E(\gamma_i(t))\|_*`
    are properties of the measures; the time integral uses ``m``-point Gauss–Legendre per step with the
    :math:`|GL_m - GL_{m/2}|` budget (as :func:`~maxslope.checks.check_energy_dissipation`). A W_∞-Lipschitz
    curve always has residual :math:`\le 0` (upper gradient); curves that are too slow (spec §4.7c) have a
    strictly negative residual and are rejected.
    """
    if not isinstance(flow, ParticleFlow):
        raise TypeError(f"argument 'flow' must be a ParticleFlow, got {type(flow).__name__}")
    E = as_energy(E)
    allowance = check_positive_scalar(allowance, "allowance", allow_zero=True)
    d = _ede_terms(flow.trajectory(), E, space, None, math.inf, m)
    w = flow.weights[:, None]  # the measure-level terms are the particle terms integrated against the weights
    return ede_verdict("W_inf energy dissipation equality", d["t"], d["drop"] @ w, d["integral"] @ w, d["budget"] @ w,
                       d["energy"], allowance)


def mass_splitting_flow(T: float = 1.0, nodes: int = 64) -> tuple[ParticleFlow, Any]:
    r"""Spec §4.7b: :math:`E(x) = -x^2/2` on :math:`\mathbb R`, :math:`\mu_0 = \delta_0`, the flow
    :math:`\mu_t = \tfrac12\delta_{-t} + \tfrac12\delta_t` (mass splits at the critical point).

    Returns the flow (two particles of mass 1/2 from 0) and the energy. :math:`\mathcal E(\mu_t) = -t^2/2`,
    :math:`G(\mu_t) = t`, :math:`W_\infty(\mu_s, \mu_t) = |t - s|`.
    """
    from ..energies import Negated, SeparableQuadratic

    t = np.linspace(0.0, T, nodes + 1)
    pts = np.stack([-t, t], axis=1)[:, :, None]
    return ParticleFlow(t, pts, np.array([0.5, 0.5]), {"scheme": "closed form: mass splitting (§4.7b)"}), Negated(SeparableQuadratic(np.ones(1)))


def uniform_spreading_curve(T: float = 1.0, atoms: int = 200, nodes: int = 64) -> ParticleFlow:
    r"""Spec §4.7c: :math:`\mu_t = \mathrm{Unif}[-t, t]` (quantized to ``atoms`` equal atoms at :math:`c_i t`,
    :math:`c_i = (2i - 1)/N - 1`), W_∞-speed 1 but not a flow of :math:`-x^2/2`: :math:`d\mathcal E/dt \approx
    -t/3 \ne -G(\mu_t) \approx -t/2`."""
    c = (2 * np.arange(1, atoms + 1) - 1) / atoms - 1
    t = np.linspace(0.0, T, nodes + 1)
    return ParticleFlow(t, (t[:, None] * c[None, :])[:, :, None], np.full(atoms, 1.0 / atoms), {"scheme": "Unif[-t, t] (§4.7c)"})


def _losses(loss: Any, labels: Any, n: int) -> tuple[list[Any], np.ndarray]:
    if labels is None:
        return [as_energy(loss)], np.zeros(n, dtype=np.int64)
    lab = np.asarray(labels)
    if lab.shape != (n,) or not np.issubdtype(lab.dtype, np.integer):
        raise ValueError(f"argument 'labels' must be an integer array of shape ({n},), got {lab.dtype} {lab.shape}")
    if not isinstance(loss, Sequence):
        raise TypeError("with 'labels', argument 'loss' must be a sequence of energies indexed by label")
    if lab.min() < 0 or lab.max() >= len(loss):
        raise ValueError(f"argument 'labels' has values outside 0..{len(loss) - 1}")
    return [as_energy(f) for f in loss], lab


def distributional_adversary(loss: Any, mu: Empirical, eps: float, space: Lp | None = None, labels: Any = None, inner: Any = "auto") -> tuple[float, Empirical]:
    r"""C20: :math:`\sup\{\int \ell\,d\nu : W_\infty(\nu, \mu) \le \varepsilon\} = \int \max_{\bar B_\varepsilon(x)} \ell\,d\mu`.

    Computed as one :math:`W_\infty` minimizing-movement step of size :math:`\varepsilon` for :math:`-\int\ell`
    (per atom, labels fixed: atom :math:`i` uses ``loss[labels[i]]``). Returns the value and the optimal
    :math:`\nu` (a pushforward of :math:`\mu`). ``inner`` must be a global solver of the ball problem (exact
    closed forms by default).
    """
    from ..energies import Negated

    mu = _measure(mu)
    eps = check_positive_scalar(eps, "eps")
    space = Lp(math.inf) if space is None else space
    losses, lab = _losses(loss, labels, mu.n)
    out = np.empty_like(mu.points)
    vals = np.empty(mu.n)
    for y, f in enumerate(losses):
        idx = np.flatnonzero(lab == y)
        if len(idx) == 0:
            continue
        xs = minimizing_movement(Negated(f), space, mu.points[idx], eps, steps=1, inner=inner).final
        out[idx] = np.asarray(xs)
        vals[idx] = np.asarray(f.value(xs))
    return math.fsum((mu.weights * vals).tolist()), Empirical(out, mu.weights.copy())


def ball_transport_lp(values: np.ndarray, mu: Empirical, grid: np.ndarray, radius: float, space: Lp, sense: str = "min") -> tuple[float, Any]:
    r"""The transport LP behind C19 / C20 on a grid: optimize :math:`\sum_{ik} \gamma_{ik} v_{ik}` over plans
    :math:`\gamma \ge 0` with first marginal :math:`\mu` and second marginal supported on ``grid``, using only
    pairs with :math:`\|x_i - z_k\| \le r` (i.e. :math:`W_\infty(\nu, \mu) \le r`).

    ``values[i, k]`` is the integrand at grid point ``k`` for atom ``i`` (so label-dependent losses fit). Solved
    by SciPy's HiGHS; no decoupling is assumed, which is what the claims check.
    """
    mu = _measure(mu)
    grid = np.asarray(grid, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (mu.n, grid.shape[0]):
        raise ValueError(f"argument 'values' must have shape ({mu.n}, {grid.shape[0]}), got {v.shape}")
    if sense not in ("min", "max"):
        raise ValueError(f"argument 'sense' must be 'min' or 'max', got {sense!r}")
    D = distance_matrix(mu.points, grid, space)
    ii, kk = np.nonzero(D <= radius * (1 + 1e-12))
    if np.any(np.bincount(ii, minlength=mu.n) == 0):
        raise ValueError("some atom has no grid point within the radius; refine or extend the grid")
    c = v[ii, kk] * (1.0 if sense == "min" else -1.0)
    A = sp.csr_array((np.ones(len(ii)), (ii, np.arange(len(ii)))), shape=(mu.n, len(ii)))
    res = linprog(c, A_eq=A, b_eq=mu.weights, bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed: {res.message}")
    plan = sp.coo_array((res.x, (ii, kk)), shape=(mu.n, grid.shape[0]))
    return float(res.fun) * (1.0 if sense == "min" else -1.0), plan
