r"""The minimizing-movement flow of sets :math:`A_0 \mapsto A_1 \mapsto \dots` and its bookkeeping (claims M8, M15)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._backend import check_positive_scalar
from ..checks.result import CheckResult
from .functional import C_PER, nonlocal_perimeter
from .grid import Grid, check_grid, signed_distance
from .step import _dissipation, perimeter_step

__all__ = ["SetTrajectory", "check_set_energy_inequality", "perimeter_flow"]


@dataclass
class SetTrajectory:
    r"""Sets :math:`A_k` at times :math:`t_k = k\tau` with their ρ-measure, perimeter, step energies and dissipation.

    ``perimeter[k]`` is :math:`\mathrm{Per}_\varepsilon(A_k)` of the chosen variant; ``dissipation[k]`` is
    :math:`D_k = (1/\tau)\int_{A_{k+1} \Delta A_k} |\mathrm{sd}_{A_k}|\rho` (length K); ``clip_margin[k]`` is
    :math:`\tau/\varepsilon - \max_{A_{k+1}\Delta A_k} |\mathrm{sd}_{A_k}|` (M15: clipping inactive iff ≥ 0).

    Parameters
    ----------
    grid : Grid
        The grid.
    times : numpy.ndarray
        :math:`t_k = k\tau`.
    sets : numpy.ndarray of bool
        Shape ``(K+1, *grid.shape)``.
    measure : numpy.ndarray
        :math:`\rho(A_k)`.
    perimeter : numpy.ndarray
        :math:`\mathrm{Per}_\varepsilon(A_k)`.
    dissipation : numpy.ndarray
        :math:`D_k`.
    clip_margin : numpy.ndarray
        Per step, :math:`\tau/\varepsilon - \max |\mathrm{sd}|` over the changed cells.
    meta : dict
        tau, eps, half_cell, variant, fidelity, selection, solver, c_per.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, disc, perimeter_flow
    >>> G = Grid((32, 32), 1 / 32)
    >>> traj = perimeter_flow(disc(G, 0.3), 0.005, 3 / 32, G, steps=3)
    >>> bool(np.all(np.diff(traj.perimeter) <= 0)), traj.check_energy_inequality().passed
    (True, True)
    """

    grid: Grid
    times: np.ndarray
    sets: np.ndarray  #: bool array of shape ``(K+1, *grid.shape)``
    measure: np.ndarray
    perimeter: np.ndarray
    dissipation: np.ndarray
    clip_margin: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def area_radius(self) -> np.ndarray:
        """Volume-equivalent radius of every A_k (disc / ball tests).

        Returns
        -------
        numpy.ndarray
            One radius per step.

        Examples
        --------
        >>> from maxslope.perimeter import Grid, disc, perimeter_flow
        >>> G = Grid((64, 64), 1 / 64)
        >>> R = perimeter_flow(disc(G, 0.3), 0.005, 3 / 64, G, steps=2).area_radius()
        >>> bool(R[0] > R[1] > R[2])  # a disc shrinks
        True
        """
        return np.array([self.grid.area_radius(A) for A in self.sets])

    def check_energy_inequality(self, variant: Any = None, tol: float | None = None) -> CheckResult:
        r"""Check :math:`\mathrm{Per}_\varepsilon(A_{k+1}) + D_k \le \mathrm{Per}_\varepsilon(A_k)` on this flow.

        Recomputes every perimeter and dissipation from the stored sets with
        :func:`check_set_energy_inequality`; nothing stored in the trajectory is trusted.

        Parameters
        ----------
        variant : str or (array, array), optional
            The perimeter variant the flow used; default the one in ``meta`` (required when the flow used custom
            class masses, which the trajectory does not keep).
        tol : float, optional
            Passed on; default the rounding budget.

        Returns
        -------
        CheckResult
            See :func:`check_set_energy_inequality`.

        Examples
        --------
        >>> from maxslope.perimeter import Grid, perimeter_flow
        >>> from maxslope.perimeter.shapes import disc
        >>> G = Grid((32, 32), 1 / 32)
        >>> traj = perimeter_flow(disc(G, 0.3), tau=0.005, eps=3 / 32, grid=G, steps=3)
        >>> traj.check_energy_inequality().passed
        True
        """
        if self.meta.get("fidelity", "idealized") != "idealized":
            raise ValueError("the energy inequality Per(A_{k+1}) + D_k <= Per(A_k) is the idealized step's; this flow used "
                             f"fidelity={self.meta['fidelity']!r}, whose class masses change every step")
        if variant is None:
            variant = self.meta.get("variant", "S")
            if variant == "custom":
                raise ValueError("argument 'variant' is required: this flow used custom class masses, which the "
                                 "trajectory does not store")
        return check_set_energy_inequality(self.sets, self.meta["tau"], self.meta["eps"], self.grid, variant=variant,
                                           half_cell=self.meta.get("half_cell", True), tol=tol)

    def plot(self, ax: Any = None, steps: Any = None, cmap: str = "viridis", **contour_kw: Any) -> Any:
        """Draw the boundaries of the sets A_k (2-D grids) as contours at 1/2 of their indicators.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw; default a new figure's axes.
        steps : sequence of int, optional
            Which k to draw (default: up to 8 evenly spaced steps, first and last included).
        cmap : str, optional
            A matplotlib colormap name; colour runs from the first drawn step to the last.
        **contour_kw
            Passed to :meth:`matplotlib.axes.Axes.contour` (e.g. ``linewidths``).

        Returns
        -------
        matplotlib.axes.Axes
            The axes, with equal aspect and a legend of the times :math:`t_k`.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from maxslope.perimeter import Grid, perimeter_flow
        >>> from maxslope.perimeter.shapes import disc
        >>> G = Grid((32, 32), 1 / 32)
        >>> ax = perimeter_flow(disc(G, 0.3), 0.005, 3 / 32, G, steps=3).plot()
        >>> len(ax.get_legend().get_texts())
        4
        """
        if self.grid.d != 2:
            raise ValueError(f"SetTrajectory.plot draws 2-D sets; this grid has {self.grid.d} dimensions")
        K = len(self.sets)
        if steps is None:
            ks = sorted({int(round(v)) for v in np.linspace(0, K - 1, min(K, 8))})
        else:
            if isinstance(steps, (str, bytes)) or np.isscalar(steps):
                raise TypeError(f"argument 'steps' must be a sequence of step indices, got {type(steps).__name__}")
            ks = []
            for i, k in enumerate(steps):
                if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < K:
                    raise ValueError(f"argument 'steps[{i}]' must be a step index in [0, {K - 1}], got {k!r}")
                ks.append(int(k))
            if not ks:
                raise ValueError("argument 'steps' is empty")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D

        if ax is not None and not all(hasattr(ax, a) for a in ("contour", "legend", "set_aspect")):
            raise TypeError(f"argument 'ax' must be a matplotlib Axes or None, got {type(ax).__name__}")
        try:
            cm = plt.get_cmap(cmap)
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"argument 'cmap' must be a matplotlib colormap or the name of one, got {cmap!r}") from None
        if ax is None:
            _, ax = plt.subplots()
        colours = cm(np.linspace(0, 1, len(ks)))
        X, Y = self.grid.points[..., 0], self.grid.points[..., 1]
        handles = []
        for k, col in zip(ks, colours, strict=True):
            Ak = self.sets[k].astype(float)
            if 0 < Ak.sum() < Ak.size:
                ax.contour(X, Y, Ak, levels=[0.5], colors=[col], **contour_kw)
            handles.append(Line2D([], [], color=col, label=f"t = {self.times[k]:.4g}" + ("" if Ak.any() else " (empty)")))
        ax.set_aspect("equal")
        ax.legend(handles=handles, fontsize="small")
        return ax


def perimeter_flow(A0: Any, tau: float, eps: float, grid: Grid, steps: int | None = None, T: float | None = None,
                   variant: Any = "S", fidelity: str = "idealized", selection: str = "min", solver: str = "maxflow",
                   stop_when_empty: bool = True, half_cell: bool = True) -> SetTrajectory:
    r"""Run :func:`~maxslope.perimeter.perimeter_step` for ``steps`` steps (or up to time ``T``).

    Time is :math:`t_k = k\tau`; the limit law is :math:`V = -c_{per}(H + \partial_\nu \log\rho)` with
    :math:`c_{per}` = ``C_PER[variant]``. With ``stop_when_empty`` the run stops once the set is
    empty (extinction).

    Parameters
    ----------
    A0 : array_like of bool
        The initial set.
    tau : float
        The time step.
    eps : float
        :math:`\varepsilon`.
    grid : Grid
        The grid.
    steps : int, optional
        The number of steps (or give ``T``).
    T : float, optional
        The horizon, a multiple of τ.
    variant, fidelity, selection, solver, half_cell
        As in :func:`~maxslope.perimeter.perimeter_step`.
    stop_when_empty : bool
        Stop at extinction.

    Returns
    -------
    SetTrajectory
        The sets and their bookkeeping.

    Examples
    --------
    A small disc vanishes in one step (below the extinction radius :math:`(4/\sqrt3)\sqrt\tau`, claim M10):

    >>> from maxslope.perimeter import Grid, disc, perimeter_flow
    >>> G = Grid((64, 64), 1 / 64)
    >>> traj = perimeter_flow(disc(G, 0.1), 0.01, 3 / 64, G, steps=5)
    >>> len(traj.times), bool(traj.sets[-1].any())
    (2, False)
    """
    A = check_grid(grid).check_set(A0, "A0")
    tau = check_positive_scalar(tau, "tau")
    eps = check_positive_scalar(eps, "eps")
    if (steps is None) == (T is None):
        raise ValueError("give exactly one of 'steps' and 'T'")
    if steps is None:
        T = check_positive_scalar(T, "T")
        steps = int(round(T / tau))
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"argument 'steps' must be a positive integer, got {steps!r}")
    per_variant = variant if fidelity == "idealized" else "S"
    sets, per, D, margin = [A], [nonlocal_perimeter(A, eps, grid, per_variant)], [], []
    for _ in range(steps):
        r = perimeter_step(A, tau, eps, grid, variant, fidelity, selection, solver, half_cell)
        A = r.A
        sets.append(A)
        # the idealized step already scored Per_ε(A_{k+1}) with the variant's class masses; the relabeled one used η_k
        per.append(r.perimeter if fidelity == "idealized" else nonlocal_perimeter(A, eps, grid, per_variant))
        D.append(r.dissipation)
        margin.append(r.meta["clip_margin"])
        if stop_when_empty and not A.any():
            break
    K = len(sets) - 1
    meta = {"tau": tau, "eps": eps, "half_cell": half_cell, "variant": variant if isinstance(variant, str) else "custom", "fidelity": fidelity,
            "selection": selection, "solver": solver, "c_per": C_PER.get(per_variant, float("nan")) if isinstance(per_variant, str) else None}
    return SetTrajectory(grid, tau * np.arange(K + 1), np.stack(sets), np.array([grid.measure(S) for S in sets]),
                         np.array(per), np.array(D), np.array(margin), meta)


def check_set_energy_inequality(sets: Any, tau: float, eps: float, grid: Grid, variant: Any = "S", half_cell: bool = True,
                                tol: float | None = None) -> CheckResult:
    r"""Check the discrete energy inequality of a minimizing movement of sets, from the sets alone (claim M8).

    For the idealized step :math:`A_{k+1} \in \arg\min_A \mathrm{Per}_\varepsilon(A) + \frac1\tau\int_{A\Delta A_k}
    |\mathrm{sd}_{A_k}|\rho`, comparing with :math:`A = A_k` gives

    .. math:: \mathrm{Per}_\varepsilon(A_{k+1}) + D_k \le \mathrm{Per}_\varepsilon(A_k), \qquad
              D_k = \frac1\tau \sum_{i \in A_{k+1}\Delta A_k} |\mathrm{sd}_{A_k}(x_i)|\, m_i,

    and, summed, :math:`\sum_k D_k \le \mathrm{Per}_\varepsilon(A_0)`. The check recomputes both sides for
    every step (perimeters by :func:`~maxslope.perimeter.nonlocal_perimeter`, signed distances by
    :func:`~maxslope.perimeter.signed_distance`), so it tests a user's own flow, or a flow loaded from disk, as well
    as :func:`~maxslope.perimeter.perimeter_flow`'s. It passes when the largest excess
    :math:`\mathrm{Per}(A_{k+1}) + D_k - \mathrm{Per}(A_k)` is at most ``tol``.

    The inequality is one-sided. A departure from the minimizer is rejected only when it costs more than the
    step's slack :math:`\mathrm{Per}(A_k) - \mathrm{Per}(A_{k+1}) - D_k` (minus ``details["excess"]``), which for a
    true minimizing movement is of the order of :math:`D_k` itself. So the check certifies that a flow dissipates,
    not that each step is a minimizer; for that, compare :func:`~maxslope.perimeter.step_energy` of the set with
    that of :func:`~maxslope.perimeter.perimeter_step`'s. A step from an empty or full
    :math:`A_k` (signed distance :math:`\pm\infty`) that changes the set has :math:`D_k = \infty` and fails.

    Parameters
    ----------
    sets : array_like of bool
        :math:`A_0, \dots, A_K`, shape ``(K+1, *grid.shape)`` with :math:`K \ge 1`.
    tau : float
        The time step :math:`\tau > 0`.
    eps : float
        The adversarial radius :math:`\varepsilon > 0`.
    grid : Grid
        The grid and density :math:`\rho`.
    variant : str or (array, array), optional
        The perimeter variant (a key of ``VARIANTS``, default ``"S"``) or class masses, as in
        :func:`~maxslope.perimeter.nonlocal_perimeter`.
    half_cell : bool, optional
        Whether the signed distance has the half-cell correction (default True, as in the step).
    tol : float, optional
        Allowed excess; default the rounding budget :math:`10^{-12}\max(1, \mathrm{Per}_\varepsilon(A_0))`
        (the sums are exactly rounded, so a minimizer's excess is at rounding level).

    Returns
    -------
    CheckResult
        ``measured`` is the largest excess, ``worst_location`` its step k; ``details`` has the per-step
        ``perimeter`` (length K+1), ``dissipation`` and ``excess`` (length K), ``total_dissipation`` and
        ``initial_perimeter``.

    Examples
    --------
    A step that adds one cell to a true minimizing movement breaks the inequality:

    >>> from maxslope.perimeter import Grid, perimeter_flow, check_set_energy_inequality
    >>> from maxslope.perimeter.shapes import disc
    >>> G = Grid((32, 32), 1 / 32)
    >>> traj = perimeter_flow(disc(G, 0.3), tau=0.005, eps=3 / 32, grid=G, steps=3)
    >>> check_set_energy_inequality(traj.sets, 0.005, 3 / 32, G).passed
    True
    >>> bad = traj.sets.copy()
    >>> bad[2, 16, 27] = True  # one cell just outside A_1
    >>> check_set_energy_inequality(bad, 0.005, 3 / 32, G).passed
    False
    """
    grid = check_grid(grid)
    tau = check_positive_scalar(tau, "tau")
    eps = check_positive_scalar(eps, "eps")
    if not isinstance(half_cell, (bool, np.bool_)):
        raise TypeError(f"argument 'half_cell' must be a bool, got {type(half_cell).__name__}")
    if isinstance(sets, (str, bytes)) or np.isscalar(sets):
        raise TypeError(f"argument 'sets' must be an array of sets of shape (K+1, *grid.shape), got {type(sets).__name__}")
    try:
        n = len(sets)
    except TypeError:
        raise TypeError(f"argument 'sets' must be an array of sets of shape (K+1, *grid.shape), got {type(sets).__name__}") from None
    if n < 2:
        raise ValueError(f"argument 'sets' must hold at least two sets (one step), got {n}")
    S = [grid.check_set(sets[k], f"sets[{k}]") for k in range(n)]
    if tol is not None:
        tol = check_positive_scalar(tol, "tol", allow_zero=True)
    per = [nonlocal_perimeter(A, eps, grid, variant) for A in S]
    D, excess = [], []
    for k in range(n - 1):
        d = _dissipation(signed_distance(S[k], grid, half_cell=bool(half_cell)), S[k + 1] ^ S[k], grid, tau)
        D.append(d)
        excess.append(per[k + 1] + d - per[k])
    tol_v = 1e-12 * max(1.0, per[0]) if tol is None else tol
    reason = "rounding budget 1e-12·max(1, Per(A_0)) of exactly rounded sums" if tol is None else "user tolerance"
    worst = int(np.argmax(excess))
    total = math.fsum(D) if all(math.isfinite(d) for d in D) else math.inf
    return CheckResult("set energy inequality", float(excess[worst]), tol_v, reason,
                       excess[worst] <= tol_v and total <= per[0] * (1 + 1e-12) + tol_v, worst,
                       {"perimeter": np.array(per), "dissipation": np.array(D), "excess": np.array(excess),
                        "total_dissipation": total, "initial_perimeter": per[0]}, location_name="step")
