"""One wrapper of SciPy's ``linprog`` for the exact LPs of maxslope (perimeter relaxation, ball transport)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import linprog


def linprog_unit_cost(c: np.ndarray, **kwargs: Any) -> Any:
    """``linprog(c, **kwargs)`` solved with the costs scaled to max |c| = 1, its ``fun`` scaled back.

    HiGHS's optimality tolerances are absolute (about 1e-7): on a problem whose costs all lie far below them (a small
    density, a fine grid, a tiny integrand) it stops at a non-optimal vertex. The minimizers do not change under a
    positive scaling of the objective, so scaling fixes that at no cost. Returns SciPy's ``OptimizeResult``.
    """
    scale = float(np.abs(c).max()) if c.size else 0.0
    scale = scale if scale > 0 else 1.0
    res = linprog(c / scale, **kwargs)
    if res.fun is not None:
        res.fun = float(res.fun) * scale
    return res
