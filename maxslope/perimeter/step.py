r"""One minimizing-movement step for the nonlocal perimeter, solved exactly.

.. math:: A_{k+1} \in \arg\min_A\ \mathrm{Per}_\varepsilon(A; \rho_0, \rho_1) + \sum_{i \in A} f_i m_i,

with the fidelity per unit mass

* ``fidelity="idealized"`` (the idealized minimizing movement): :math:`f = \mathrm{sd}_{A_k}/\tau`, perimeter weights of the chosen variant;
* ``fidelity="relabeled"`` (the literal adversarial-training step on the relabeled data
  :math:`\eta_k = \mathrm{clip}(1/2 - (\varepsilon/2\tau)\,\mathrm{sd}_{A_k}, 0, 1)`):
  :math:`f = T_{\tau/\varepsilon}(\mathrm{sd}_{A_k})/\tau` and class masses :math:`((1-\eta_k)\rho, \eta_k\rho)`.

**Solvers.** ``"maxflow"`` solves the lifted problem exactly as a minimum s–t cut: nodes :math:`u_i` (in A),
:math:`z_i` (in the dilation), :math:`v_i` (in the erosion), infinite arcs that make :math:`z_i \ge u_j` and
:math:`v_i \le u_j` for :math:`j \in N(i)`. Three things keep its cost near the boundary's size, none of them
changing the answer:

* a certified band (:mod:`maxslope.perimeter._band`): cells far enough inside or outside keep their label in every
  minimizer, proved by a dual certificate cell by cell before the cut (restriction lemma: a strictly
  growth-optimal superset contains every minimizer); only the cells between the two certified sets enter the
  graph, and without a certificate the full grid does;
* shared row maxima: the max over a ball is the max over its rows, and a row's max is one node shared by every
  ball that contains the row, built from two half-rows (26 arcs per cell in 2-D at ε = 3h instead of 58);
* the max-flow code: Hochbaum's pseudoflow where the optional ``pseudoflow`` package is installed
  (``pip install maxslope[hpf]``; its licence allows research and not-for-profit use only), about linear in the
  arcs, with an exact selection of the maximal minimizer (a second, perturbed solve accepted only at exactly equal
  energy); PyMaxflow's Boykov–Kolmogorov max-flow (a core dependency) otherwise, whose source side is the
  complement of its sink tree, the largest minimum cut.

The *minimal* minimizer is the complement of the maximal minimizer of the complementary problem
(:math:`\mathrm{Per}(B^c; \rho_0, \rho_1) = \mathrm{Per}(B; \rho_1, \rho_0)` holds exactly on the grid). Exact ties,
where the two differ, are tested against brute force over all sets of a small grid. The max-flow codes compare
float residuals with 0, so where two sets' energies differ by a few ulps (the relabeled fidelity's flat regions)
either may come back, from any of the graphs. ``"lp"`` solves the lifted LP (see :func:`lp_relaxation`) with HiGHS
(dual simplex; its constraint matrix is totally unimodular, so vertex optima are 0/1), the cross-check for small
grids; the selection is made by a ±δ·m perturbation of the fidelity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._backend import as_float_array, check_positive_scalar, namespace, to_numpy
from .._lp import linprog_unit_cost
from . import _band
from .functional import class_masses, nonlocal_perimeter
from .grid import Grid, ball_offsets, check_grid, signed_distance

__all__ = ["StepResult", "perimeter_step", "step_problem", "solve_cut", "step_energy", "lp_relaxation"]

FIDELITIES = ("idealized", "relabeled")


@dataclass
class StepResult:
    r"""The new set and the numbers of the step.

    Parameters
    ----------
    A : numpy.ndarray of bool
        :math:`A_{k+1}`.
    energy : float
        The step's objective at :math:`A_{k+1}`.
    perimeter : float
        :math:`\mathrm{Per}_\varepsilon(A_{k+1})`.
    dissipation : float
        :math:`D_k`.
    meta : dict
        ``clip_margin``, ``solver``, ``selection``.

    Examples
    --------
    >>> from maxslope.perimeter import Grid, disc, perimeter_step
    >>> G = Grid((24, 24), 1 / 24)
    >>> r = perimeter_step(disc(G, 0.3), 0.005, 2 / 24, G)
    >>> sorted(r.meta), r.dissipation > 0
    (['clip_margin', 'selection', 'solver'], True)
    """

    A: np.ndarray  #: boolean, the grid's shape
    energy: float  #: Per_ε(A_{k+1}) + Σ_{A_{k+1}} f m (up to the constant of the fidelity)
    perimeter: float  #: Per_ε(A_{k+1}) with the class masses of the step
    dissipation: float  #: D_k = (1/τ) Σ over A_{k+1} Δ A_k of abs(sd_{A_k}) m
    meta: dict[str, Any] = field(default_factory=dict)  #: clip_margin, solver, selection


def step_problem(A_k: np.ndarray, tau: float, eps: float, grid: Grid, variant: Any = "S", fidelity: str = "idealized",
                 half_cell: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""(f, m0, m1, sd): fidelity per unit mass, class masses and the signed distance of A_k.

    ``half_cell=False`` drops the half-cell correction of the signed distance (only to demonstrate the pitfall).

    Parameters
    ----------
    A_k : array_like of bool
        The current set.
    tau : float
        The time step.
    eps : float
        :math:`\varepsilon`.
    grid : Grid
        The grid.
    variant : str or (array, array)
        The class masses of the idealized step.
    fidelity : {"idealized", "relabeled"}
        The step (see :func:`perimeter_step`).
    half_cell : bool
        The half-cell correction of the signed distance.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``f``, ``m0``, ``m1`` and ``sd``, each of the grid's shape.

    Examples
    --------
    >>> from maxslope.perimeter import Grid, disc, step_problem, step_energy, solve_cut
    >>> G = Grid((24, 24), 1 / 24)
    >>> A = disc(G, 0.3)
    >>> f, m0, m1, sd = step_problem(A, 0.005, 2 / 24, G)
    >>> bool((f[A] < 0).all() and (f[~A] > 0).all())  # inside pays −|sd|/τ, outside +|sd|/τ
    True
    """
    A_k = check_grid(grid).check_set(A_k, "A_k")
    tau = check_positive_scalar(tau, "tau")
    eps = check_positive_scalar(eps, "eps")
    if fidelity not in FIDELITIES:
        raise ValueError(f"argument 'fidelity' must be one of {FIDELITIES}, got {fidelity!r}")
    sd = signed_distance(A_k, grid, half_cell=half_cell)
    sdf = np.clip(sd, -1e300, 1e300)  # an empty / full A_k has sd = ±inf: every cell then pays a huge price
    if fidelity == "idealized":
        f = sdf / tau
        m0, m1 = class_masses(grid, variant)
    else:
        if not (isinstance(variant, str) and variant == "S"):
            raise ValueError("the relabeled step fixes its own class masses ((1 − η_k)ρ, η_k ρ); leave variant='S'")
        f = np.clip(sdf, -tau / eps, tau / eps) / tau
        eta = np.clip(0.5 - eps / (2 * tau) * sdf, 0.0, 1.0)
        m0, m1 = (1 - eta) * grid.mass, eta * grid.mass
    return f, m0, m1, sd


def step_energy(A: np.ndarray, f: np.ndarray, m0: np.ndarray, m1: np.ndarray, eps: float, grid: Grid) -> float:
    r"""Per_ε(A; m0, m1) + Σ_A f m for a candidate set (the objective of the step).

    Parameters
    ----------
    A : array_like of bool
        A candidate set.
    f : numpy.ndarray
        The fidelity per unit mass.
    m0, m1 : numpy.ndarray
        The class masses.
    eps : float
        :math:`\varepsilon`.
    grid : Grid
        The grid.

    Returns
    -------
    float
        The step's objective at ``A``.

    Examples
    --------
    >>> from maxslope.perimeter import Grid, disc, step_problem, step_energy, solve_cut
    >>> G = Grid((24, 24), 1 / 24)
    >>> A = disc(G, 0.3)
    >>> f, m0, m1, sd = step_problem(A, 0.005, 2 / 24, G)
    >>> B = solve_cut(f, m0, m1, 2 / 24, G)
    >>> step_energy(B, f, m0, m1, 2 / 24, G) <= step_energy(A, f, m0, m1, 2 / 24, G)  # the cut minimizes it
    True
    """
    f, m0, m1, eps = _cut_inputs(f, m0, m1, eps, grid)
    A = grid.check_set(A)
    per = nonlocal_perimeter(A, eps, grid, (m0 / grid.h**grid.d, m1 / grid.h**grid.d))
    return per + math.fsum((f * grid.mass)[A].tolist())


def solve_cut(f: np.ndarray, m0: np.ndarray, m1: np.ndarray, eps: float, grid: Grid, selection: str = "min") -> np.ndarray:
    r"""The minimal or maximal minimizer of Per_ε(A; m0, m1) + Σ_A f m by an exact minimum s–t cut (module docstring).

    ``f``, ``m0``, ``m1`` are finite arrays of the grid's shape (``m0``, ``m1`` ≥ 0: the class masses); ``eps > 0``.
    Non-finite capacities would make the max-flow solver spin, so they are refused here.

    Parameters
    ----------
    f : numpy.ndarray
        The fidelity per unit mass.
    m0, m1 : numpy.ndarray
        The class masses, >= 0.
    eps : float
        :math:`\varepsilon`.
    grid : Grid
        The grid.
    selection : {"min", "max"}
        The minimal or maximal minimizer.

    Returns
    -------
    numpy.ndarray of bool
        The minimizer.

    Examples
    --------
    >>> from maxslope.perimeter import Grid, disc, step_problem, step_energy, solve_cut
    >>> G = Grid((24, 24), 1 / 24)
    >>> A = disc(G, 0.3)
    >>> f, m0, m1, sd = step_problem(A, 0.005, 2 / 24, G)
    >>> lo, hi = solve_cut(f, m0, m1, 2 / 24, G), solve_cut(f, m0, m1, 2 / 24, G, "max")
    >>> bool((lo <= hi).all())  # the minimal minimizer is inside the maximal one
    True
    """
    f, m0, m1, eps = _cut_inputs(f, m0, m1, eps, grid)
    if selection == "min":
        # A_min = complement of the maximal minimizer B of Per(B; m1, m0) − Σ_B f m, where B contains the box
        # exterior (Per(A; m0, m1) = Per(A^c; m1, m0) exactly when the exterior switches sides)
        return ~_max_cut(-f, m1, m0, eps, grid, exterior_inside=True)
    if selection != "max":
        raise ValueError(f"argument 'selection' must be 'min' or 'max', got {selection!r}")
    return _max_cut(f, m0, m1, eps, grid, exterior_inside=False)


def _cut_inputs(f: Any, m0: Any, m1: Any, eps: Any, grid: Any, signed_masses: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    check_grid(grid)
    eps = check_positive_scalar(eps, "eps")
    out = []
    for name, a in (("f", f), ("m0", m0), ("m1", m1)):
        arr = np.array(to_numpy(as_float_array(a, name, namespace(**{name: a}))), dtype=np.float64)
        if arr.shape != tuple(grid.shape):
            raise ValueError(f"argument {name!r} must have the grid's shape {tuple(grid.shape)}, got {arr.shape}")
        if name != "f" and not signed_masses and np.any(arr < 0):
            raise ValueError(f"argument {name!r} must be non-negative (a class mass), min is {arr.min():g}")
        out.append(arr)
    return out[0], out[1], out[2], eps


def _max_cut(f: np.ndarray, m0: np.ndarray, m1: np.ndarray, eps: float, grid: Grid, exterior_inside: bool) -> np.ndarray:
    """The maximal minimizer: the u-part of the maximal source set of a minimum cut (module docstring).

    A certified band (:mod:`maxslope.perimeter._band`) when one pays, the full graph otherwise; either graph goes to
    the max-flow code that :mod:`maxslope.perimeter._graph` picks."""
    try:
        import maxflow  # noqa: F401
    except ImportError:
        raise ImportError("the exact perimeter step needs PyMaxflow: pip install PyMaxflow (or solver='lp' on small grids)") from None
    n = grid.size
    a0, a1 = m0.ravel() / eps, m1.ravel() / eps
    c = (f * grid.mass).ravel() - a0 + a1  # net unary coefficient of u_i
    edge = grid.truncated(eps).ravel()
    none = np.zeros(n, dtype=bool)
    zf, vf = (edge, none) if exterior_inside else (none, edge)  # D ≡ 1 / R ≡ 0 where the ball leaves the box
    shape, offs = tuple(grid.shape), ball_offsets(eps, grid.h, grid.d)
    banded = _band.band_max_cut(c, a0, a1, zf, vf, f.ravel(), shape, offs, float(np.median((a0 + a1) / (2 * grid.mass.ravel()))))
    if banded is None:
        banded = _band.exact_max(c, a0, a1, zf, vf, none, ~none, shape, offs)
    return banded.reshape(grid.shape)


def lp_relaxation(f: np.ndarray, m0: np.ndarray, m1: np.ndarray, eps: float, grid: Grid) -> tuple[float, np.ndarray]:
    r"""The lifted LP over :math:`(u, z, v) \in [0, 1]^{3n}` (HiGHS dual simplex): its value and the optimal u.

    Minimizes :math:`\sum (m^0/\varepsilon)(z - u) + (m^1/\varepsilon)(u - v) + f m u` subject to
    :math:`z_i \ge u_j \ge v_i` for :math:`j \in N(i)` (and :math:`v_i = 0` where the ball leaves the box).
    The value omits the constant of the fidelity. For non-negative class masses the constraint matrix is totally
    unimodular and the relaxation is exact (claim M6); negative masses are accepted, to show where that fails.

    Parameters
    ----------
    f : numpy.ndarray
        The fidelity per unit mass, of the grid's shape.
    m0, m1 : numpy.ndarray
        The class masses (may be negative here), of the grid's shape.
    eps : float
        :math:`\varepsilon > 0`.
    grid : Grid
        The grid.

    Returns
    -------
    (float, numpy.ndarray)
        The LP value and its optimal :math:`u` (integral for non-negative masses).

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, disc, lp_relaxation, step_problem
    >>> G = Grid((12, 12), 1 / 12)
    >>> f, m0, m1, _ = step_problem(disc(G, 0.3), 0.01, 2 / 12, G)
    >>> value, u = lp_relaxation(f, m0, m1, 2 / 12, G)
    >>> bool(np.all(np.isclose(u, 0) | np.isclose(u, 1)))  # total unimodularity: a set
    True
    """
    return _lp_relaxation(f, m0, m1, eps, grid)


def _lp_relaxation(f: Any, m0: Any, m1: Any, eps: Any, grid: Grid, tol: float | None = None) -> tuple[float, np.ndarray]:
    """:func:`lp_relaxation`, with HiGHS's primal and dual feasibility tolerances set to ``tol`` when given."""
    f, m0, m1, eps = _cut_inputs(f, m0, m1, eps, grid, signed_masses=True)
    n = grid.size
    i, j = grid.pairs(eps)
    a0, a1 = m0.ravel() / eps, m1.ravel() / eps
    cost = np.concatenate([f.ravel() * grid.mass.ravel() - a0 + a1, a0, -a1])  # variables [u, z, v]
    E = len(i)
    rows = np.concatenate([np.arange(E), np.arange(E), E + np.arange(E), E + np.arange(E)])
    cols = np.concatenate([j, n + i, 2 * n + i, j])
    vals = np.concatenate([np.ones(E), -np.ones(E), np.ones(E), -np.ones(E)])  # u_j − z_i ≤ 0, v_i − u_j ≤ 0
    A_ub = sp.csr_array((vals, (rows, cols)), shape=(2 * E, 3 * n))
    ub = np.ones(3 * n)
    ub[2 * n :][grid.truncated(eps).ravel()] = 0.0  # the box exterior is outside A: empty erosion there
    opts = {} if tol is None else {"options": {"primal_feasibility_tolerance": tol, "dual_feasibility_tolerance": tol}}
    res = linprog_unit_cost(cost, A_ub=A_ub, b_ub=np.zeros(2 * E), bounds=np.stack([np.zeros(3 * n), ub], 1), method="highs-ds", **opts)
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed on the perimeter LP: {res.message}")
    return float(res.fun), res.x[:n].reshape(grid.shape)


def _solve_lp(f: np.ndarray, m0: np.ndarray, m1: np.ndarray, eps: float, grid: Grid, selection: str) -> np.ndarray:
    """The minimal / maximal minimizer from the LP, selected by a ±δ·m perturbation of the fidelity.

    Each cell's perturbation δ·m_i is at most 1e-8 of the largest cost, a hundred times HiGHS's feasibility and
    optimality tolerances (set to 1e-10 here; at its default 1e-7 the perturbation would be ignored and exact ties
    broken arbitrarily). So the selection is exact unless two sets' energies differ by less than the total
    perturbation, n·1e-8 of the largest cost: the cross-check for small grids, where brute force confirms it."""
    scale = float(np.abs(f * grid.mass).max()) + float(m0.max() + m1.max()) / eps + 1e-300
    delta = 1e-8 * scale / max(float(grid.mass.max()), 1e-300)
    _, x = _lp_relaxation(f + (delta if selection == "min" else -delta), m0, m1, eps, grid, tol=1e-10)
    if np.any(np.minimum(np.abs(x), np.abs(1 - x)) > 1e-9):
        raise RuntimeError("the perimeter LP returned a non-binary vertex (total unimodularity violated?)")
    return x > 0.5


def _dissipation(sd: np.ndarray, changed: np.ndarray, grid: Grid, tau: float) -> float:
    r""":math:`D_k = \frac1\tau\sum_{i \in A_{k+1}\Delta A_k} |\mathrm{sd}_{A_k}(x_i)|\,m_i`, exactly rounded (0 for no change;
    :math:`\infty` when an empty or full :math:`A_k`, whose signed distance is :math:`\pm\infty`, changes)."""
    return math.fsum((np.abs(sd[changed]) * grid.mass[changed]).tolist()) / tau if changed.any() else 0.0


def perimeter_step(A_k: Any, tau: float, eps: float, grid: Grid, variant: Any = "S", fidelity: str = "idealized",
                   selection: str = "min", solver: str = "maxflow", half_cell: bool = True) -> StepResult:
    r"""One step :math:`A_k \mapsto A_{k+1}` of the minimizing movement (module docstring), solved exactly.

    Parameters
    ----------
    A_k : array_like of bool
        The current set, of the grid's shape.
    tau : float
        The time step :math:`\tau > 0`.
    eps : float
        The adversarial budget :math:`\varepsilon > 0` (the ε–τ coupling is the caller's choice; ε = o(√τ) is the
        safe regime).
    grid : Grid
        The grid and density.
    variant : {"S", "O", "F"} or (rho0, rho1)
        Perimeter normalization (a convention the paper's text leaves open, so an explicit option), for the
        idealized step.
    fidelity : {"idealized", "relabeled"}
        The fidelity :math:`\mathrm{sd}_{A_k}/\tau` with the variant's class masses, or the literal adversarial-training
        step with clipped fidelity and relabeled masses :math:`((1-\eta_k)\rho, \eta_k\rho)`.
    selection : {"min", "max"}
        The minimal or maximal minimizer (selection principle; both exist by submodularity).
    solver : {"maxflow", "lp"}
        The exact minimum cut (certified band, pseudoflow or PyMaxflow; module docstring), or the HiGHS LP (small
        grids; the cross-check).
    half_cell : bool
        Half-cell correction of the signed distance (default True; see :func:`~maxslope.perimeter.signed_distance`).

    Returns
    -------
    StepResult
        The new set ``A``, the step's ``energy``, ``perimeter`` :math:`\mathrm{Per}_\varepsilon(A_{k+1})`,
        ``dissipation`` :math:`D_k` and ``meta`` (``clip_margin``, solver, selection).

    Examples
    --------
    A disc of radius R shrinks by about τ/R per step (curvature flow, claim M9):

    >>> from maxslope.perimeter import Grid, disc, perimeter_step
    >>> G = Grid((100, 100), 0.01)
    >>> r = perimeter_step(disc(G, 0.3), 0.004, 0.03, G)
    >>> round(G.area_radius(r.A), 3), round(0.3 - 0.004 / 0.3, 3)
    (0.285, 0.287)
    """
    A_k = check_grid(grid).check_set(A_k, "A_k")
    f, m0, m1, sd = step_problem(A_k, tau, eps, grid, variant, fidelity, half_cell)
    if solver == "maxflow":
        A = solve_cut(f, m0, m1, eps, grid, selection)
    elif solver == "lp":
        if selection not in ("min", "max"):
            raise ValueError(f"argument 'selection' must be 'min' or 'max', got {selection!r}")
        A = _solve_lp(f, m0, m1, eps, grid, selection)
    else:
        raise ValueError(f"argument 'solver' must be 'maxflow' or 'lp', got {solver!r}")
    scale = grid.h**grid.d
    per = nonlocal_perimeter(A, eps, grid, (m0 / scale, m1 / scale))
    energy = per + math.fsum((f * grid.mass)[A].tolist())
    changed = A ^ A_k
    D = _dissipation(sd, changed, grid, tau)
    band = float(np.abs(sd[changed]).max()) if changed.any() else 0.0
    return StepResult(A, energy, per, D, {"clip_margin": tau / eps - band, "solver": solver, "selection": selection})
