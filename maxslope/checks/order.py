r"""How to check a scheme's output without inventing an ``allowance``: the residual must shrink like :math:`\tau`.

A scheme's trajectory is not a curve of maximal slope: its energy-dissipation residual :math:`\max_k |R(t_k)|` is
a discretization error. What the theory promises (claims C8–C11) is that this error vanishes as :math:`\tau \to 0`,
at order one for the minimizing movement and the semi-implicit scheme on smooth energies. So the honest check of a
scheme is a study in :math:`\tau`: run it at several step sizes, measure the residual with no allowance, and fit
its order. :func:`check_residual_order` does that, and returns the allowance :math:`C\tau` that the measured
constant supports (``details["allowance"]``) for a single-:math:`\tau` check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._backend import check_p, check_positive_scalar
from ..schemes.progress import check_progress, progress_iter
from .curve import check_energy_dissipation
from .result import CheckResult

__all__ = ["check_residual_order"]


def check_residual_order(
    run: Callable[[float], Any],
    E: Any,
    space: Any,
    taus: Sequence[float],
    p: float = math.inf,
    order: float = 1.0,
    slack: float = 0.25,
    progress: Any = False,
) -> CheckResult:
    r"""Whether the energy-dissipation residual of a scheme shrinks like :math:`\tau^{\text{order}}`.

    For each :math:`\tau` in ``taus`` the curve ``run(tau)`` is checked with
    :func:`~maxslope.checks.check_energy_dissipation` and no allowance; its residual :math:`r(\tau)` is the
    measured :math:`\max_k |R(t_k)|`. The fitted order is the least-squares slope of :math:`\log r` against
    :math:`\log\tau`. Residuals at the check's own rounding tolerance count as converged (an exact scheme passes).

    Parameters
    ----------
    run : callable
        ``tau -> Trajectory``: the scheme at step size ``tau`` over a fixed horizon.
    E, space, p
        As in :func:`~maxslope.checks.check_energy_dissipation`.
    taus : sequence of float
        At least three distinct step sizes :math:`> 0`.
    order : float
        The expected order (1 for the minimizing movement and the semi-implicit scheme of a smooth energy).
    slack : float
        How far below ``order`` the fitted order may fall.
    progress : bool or text stream, optional
        ``True`` shows a bar over the τ values when standard error is a terminal; a stream always gets it.

    Returns
    -------
    CheckResult
        ``measured`` is the shortfall ``order - fitted`` (≤ 0 when the residual shrinks at least that fast),
        ``tolerance`` is ``slack``. ``details`` holds ``taus``, ``residuals``, ``fitted_order`` and
        ``allowance``: the smallest :math:`C\tau^{\text{order}}` above every measured residual, at the smallest
        :math:`\tau`, i.e. what to pass as ``allowance`` when checking a single run at that step size.

    Examples
    --------
    >>> import numpy as np
    >>> import maxslope as ms
    >>> from maxslope.checks import check_residual_order
    >>> from maxslope.schemes import steepest_descent
    >>> E = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    >>> run = lambda tau: steepest_descent(E, ms.Lp(np.inf), np.array([0.6, -0.3]), tau, T=0.5)
    >>> res = check_residual_order(run, E, ms.Lp(np.inf), [0.05, 0.025, 0.0125, 0.00625])
    >>> res.passed, round(res.details["fitted_order"], 2) >= 0.75
    (True, True)
    """
    if not callable(run):
        raise TypeError(f"argument 'run' must be a callable tau -> Trajectory, got {type(run).__name__}")
    try:
        ts = [check_positive_scalar(t, "taus") for t in taus]
    except TypeError:
        raise TypeError("argument 'taus' must be a sequence of positive numbers") from None
    if len(set(ts)) < 3:
        raise ValueError(f"argument 'taus' must hold at least three distinct step sizes, got {ts!r}")
    p = check_p(p, "p", strict=True)
    order = check_positive_scalar(order, "order")
    slack = check_positive_scalar(slack, "slack")
    progress = check_progress(progress)
    res, tols = [], []
    for tau in progress_iter(ts, progress, "residual order", "tau"):
        r = check_energy_dissipation(run(tau), E, space, p=p)
        res.append(r.measured)
        tols.append(r.tolerance)
    R, T = np.asarray(res), np.asarray(ts)
    if np.all(R <= np.asarray(tols)):  # at the rounding level everywhere: an exact scheme, nothing to fit
        fitted = math.inf
        shortfall = -math.inf
        allowance = 0.0
    else:
        floor = np.maximum(R, np.asarray(tols))
        fitted = float(np.polyfit(np.log(T), np.log(floor), 1)[0])
        shortfall = order - fitted
        allowance = float(np.max(R / T**order) * T.min() ** order)
    measured = shortfall if math.isfinite(shortfall) else -order
    return CheckResult(
        f"EDE residual of order tau^{order:g}",
        measured,
        slack,
        f"fitted order {fitted:.3g} over tau in [{T.min():.3g}, {T.max():.3g}]; shortfall allowed: {slack:g}",
        measured <= slack,
        None,
        {"taus": T, "residuals": R, "fitted_order": fitted, "allowance": allowance},
    )
