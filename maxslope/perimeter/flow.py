r"""The minimizing-movement flow of sets :math:`A_0 \mapsto A_1 \mapsto \dots` and its bookkeeping (claims M8, M15)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._backend import check_positive_scalar
from .functional import C_PER, nonlocal_perimeter
from .grid import Grid, check_grid
from .step import perimeter_step

__all__ = ["SetTrajectory", "perimeter_flow"]


@dataclass
class SetTrajectory:
    r"""Sets :math:`A_k` at times :math:`t_k = k\tau` with their ρ-measure, perimeter, step energies and dissipation.

    ``perimeter[k]`` is :math:`\mathrm{Per}_\varepsilon(A_k)` of the chosen variant; ``dissipation[k]`` is
    :math:`D_k = (1/\tau)\int_{A_{k+1} \Delta A_k} |\mathrm{sd}_{A_k}|\rho` (length K); ``clip_margin[k]`` is
    :math:`\tau/\varepsilon - \max_{A_{k+1}\Delta A_k} |\mathrm{sd}_{A_k}|` (M15: clipping inactive iff ≥ 0).
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
        """Volume-equivalent radius of every A_k (disc / ball tests)."""
        return np.array([self.grid.area_radius(A) for A in self.sets])


def perimeter_flow(A0: Any, tau: float, eps: float, grid: Grid, steps: int | None = None, T: float | None = None,
                   variant: Any = "S", fidelity: str = "idealized", selection: str = "min", solver: str = "maxflow",
                   stop_when_empty: bool = True, half_cell: bool = True) -> SetTrajectory:
    r"""Run :func:`~maxslope.perimeter.perimeter_step` for ``steps`` steps (or up to time ``T``).

    Time is :math:`t_k = k\tau`; the limit law is :math:`V = -c_{per}(H + \partial_\nu \log\rho)` with
    :math:`c_{per}` = ``C_PER[variant]``. With ``stop_when_empty`` the run stops once the set is
    empty (extinction).
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
        margin.append(r.info["clip_margin"])
        if stop_when_empty and not A.any():
            break
    K = len(sets) - 1
    meta = {"tau": tau, "eps": eps, "variant": variant if isinstance(variant, str) else "custom", "fidelity": fidelity,
            "selection": selection, "solver": solver, "c_per": C_PER.get(per_variant, float("nan")) if isinstance(per_variant, str) else None}
    return SetTrajectory(grid, tau * np.arange(K + 1), np.stack(sets), np.array([grid.measure(S) for S in sets]),
                         np.array(per), np.array(D), np.array(margin), meta)
