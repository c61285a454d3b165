"""Convergence of schemes to reference flows as the step size halves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._backend import as_float_array, check_finite, check_int, to_numpy
from ..curves import Trajectory
from ..schemes.progress import check_progress, progress_iter

__all__ = ["ConvergenceStudy", "convergence_study"]


@dataclass
class ConvergenceStudy:
    r"""Errors of a scheme against a reference flow for a sequence of step sizes.

    Attributes
    ----------
    taus : ndarray
    node_errors : ndarray
        :math:`\max_k \|x^k - u(k\tau)\|_\infty` (max over the batch too).
    interp_errors : ndarray
        :math:`\sup_t \|\hat u_\tau(t) - u(t)\|_\infty` of the piecewise-linear interpolant, sampled at
        ``samples_per_step`` points per step.
    node_orders, interp_orders : ndarray
        Observed orders :math:`\log(e_j/e_{j+1})/\log(\tau_j/\tau_{j+1})` (NaN where an error is 0).

    Parameters
    ----------
    taus : numpy.ndarray
        The step sizes.
    node_errors : numpy.ndarray
        One error per τ.
    interp_errors : numpy.ndarray
        One error per τ.
    meta : dict
        ``samples_per_step``.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.exact import convergence_study, separable_quadratic_flow
    >>> from maxslope.schemes import steepest_descent
    >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
    >>> run = lambda tau: steepest_descent(flow.energy, ms.Lp(math.inf), flow.x0, tau, T=0.4)
    >>> st = convergence_study(run, flow, [0.04, 0.02, 0.01])
    >>> bool(np.all(st.interp_errors <= st.taus * (1 + 1e-9)))  # signed GD is within τ of the flow
    True
    """

    taus: np.ndarray
    node_errors: np.ndarray
    interp_errors: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)  #: samples_per_step
    node_orders: np.ndarray = field(init=False)
    interp_orders: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.node_orders = _orders(self.taus, self.node_errors)
        self.interp_orders = _orders(self.taus, self.interp_errors)

    def table(self) -> str:
        r"""The errors and observed orders as a printable table.

        Returns
        -------
        str
            One line per τ: τ, node error and order, interpolant error and order.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.exact import convergence_study, separable_quadratic_flow
        >>> from maxslope.schemes import steepest_descent
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> run = lambda tau: steepest_descent(flow.energy, ms.Lp(math.inf), flow.x0, tau, T=0.4)
        >>> st = convergence_study(run, flow, [0.04, 0.02, 0.01])
        >>> print(st.table().splitlines()[0])
                 tau     node err   order   interp err   order
        """
        lines = [f"{'tau':>12} {'node err':>12} {'order':>7} {'interp err':>12} {'order':>7}"]
        for j, tau in enumerate(self.taus):
            no = "" if j == 0 else f"{self.node_orders[j - 1]:7.2f}"
            io = "" if j == 0 else f"{self.interp_orders[j - 1]:7.2f}"
            lines.append(f"{tau:12.5g} {self.node_errors[j]:12.3e} {no:>7} {self.interp_errors[j]:12.3e} {io:>7}")
        return "\n".join(lines)


def _orders(taus: np.ndarray, errs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.log(errs[:-1] / errs[1:]) / np.log(taus[:-1] / taus[1:])
    r[~np.isfinite(r)] = np.nan
    return r  # type: ignore[no-any-return]


def convergence_study(
    scheme: Callable[[float], Trajectory],
    reference: Callable[[Any], Any],
    taus: Sequence[float],
    samples_per_step: int = 8,
    progress: Any = False,
) -> ConvergenceStudy:
    """Run ``scheme(tau)`` for each ``tau`` and measure its distance to ``reference(t)`` (claims C10, C11).

    ``reference`` maps an array of times to points (shape ``t.shape + (d,)``), e.g. a
    :class:`~maxslope.exact.ClosedFormFlow`. Batched trajectories are compared with a batched reference only if
    the reference returns matching shapes. ``progress=True`` shows a bar over the τ values when standard error is
    a terminal (a text stream: always there).

    Parameters
    ----------
    scheme : callable
        ``tau -> Trajectory``.
    reference : callable
        ``t -> points``, e.g. a :class:`~maxslope.exact.ClosedFormFlow`.
    taus : sequence of float
        At least two step sizes, > 0.
    samples_per_step : int
        Samples of the interpolant per step.
    progress : bool or text stream
        A bar over the τ values (see :func:`~maxslope.schemes.minimizing_movement`).

    Returns
    -------
    ConvergenceStudy
        Errors and observed orders.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.exact import convergence_study, separable_quadratic_flow
    >>> from maxslope.schemes import steepest_descent
    >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
    >>> run = lambda tau: steepest_descent(flow.energy, ms.Lp(math.inf), flow.x0, tau, T=0.4)
    >>> st = convergence_study(run, flow, [0.04, 0.02, 0.01])
    >>> st.node_errors.shape, st.interp_orders.shape
    ((3,), (2,))
    """
    progress = check_progress(progress)
    if not callable(scheme):
        raise TypeError(f"argument 'scheme' must be a callable tau -> Trajectory, got {type(scheme).__name__}")
    if not callable(reference):
        raise TypeError(f"argument 'reference' must be a callable t -> points, got {type(reference).__name__}")
    taus_a = as_float_array(taus, "taus", np, min_ndim=1)
    check_finite(taus_a, "taus", np)
    if taus_a.ndim != 1 or taus_a.size < 2 or np.any(taus_a <= 0):
        raise ValueError("argument 'taus' must hold at least two positive step sizes")
    samples_per_step = check_int(samples_per_step, "samples_per_step", 1)
    node, interp = [], []
    for tau in progress_iter(taus_a, progress, "convergence study", "tau"):
        traj = scheme(float(tau))
        if not isinstance(traj, Trajectory):
            raise TypeError("argument 'scheme' must return a Trajectory")
        pts = np.asarray(to_numpy(traj.points))
        ref = np.asarray(reference(traj.times))
        ref = ref.reshape(ref.shape[:1] + (1,) * (pts.ndim - ref.ndim) + ref.shape[1:]) if ref.ndim < pts.ndim else ref
        node.append(float(np.max(np.abs(pts - ref))))
        fine = np.linspace(traj.times[0], traj.times[-1], traj.n_steps * samples_per_step + 1)
        up = np.asarray(to_numpy(traj.interpolate(fine, "linear")))
        rf = np.asarray(reference(fine))
        rf = rf.reshape(rf.shape[:1] + (1,) * (up.ndim - rf.ndim) + rf.shape[1:]) if rf.ndim < up.ndim else rf
        interp.append(float(np.max(np.abs(up - rf))))
    return ConvergenceStudy(taus_a, np.array(node), np.array(interp), {"samples_per_step": samples_per_step})
