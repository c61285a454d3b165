"""Validation shared by the schemes."""

from __future__ import annotations

import math
from typing import Any

from .._backend import as_float_array, check_positive_scalar, namespace
from ..energies import as_energy, check_points_for
from ..spaces.box import Box, _check_box
from ..spaces.lp import Lp, _check_lp


def prepare(E: Any, space: Any, x0: Any, tau: Any, steps: Any, T: Any, constraint: Any, record_every: Any) -> tuple[Any, Any, Any, float, int, Box | None, int]:
    """Validate the arguments shared by the schemes; return (E, xp, x0, tau, K, constraint, record_every)."""
    E = as_energy(E)
    _check_lp(space)
    xp = namespace(x0=x0)
    x0 = as_float_array(x0, "x0", xp, min_ndim=1)
    check_points_for(E, x0, "x0")
    tau, K = resolve_steps(tau, steps, T)
    return E, xp, x0, tau, K, check_constraint(constraint, x0), check_record_every(record_every)


def other_space(space: Any, hook: str, tau: Any, steps: Any, T: Any, constraint: Any, record_every: Any) -> tuple[Any, float, int, int] | None:
    """For a space other than Lp: its scheme ``hook`` with validated (tau, K, record_every); None for Lp."""
    if isinstance(space, Lp):
        return None
    fn = getattr(space, hook, None)
    if fn is None:
        raise TypeError(f"argument 'space' must be Lp(p) or a space with its own schemes such as Wasserstein(p, Lp(q)), got {type(space).__name__}")
    tau, K = resolve_steps(tau, steps, T)
    if constraint is not None:
        raise ValueError(f"argument 'constraint' is for Lp spaces; {space!r} has no box constraint")
    return fn, tau, K, check_record_every(record_every)


def resolve_steps(tau: Any, steps: Any, T: Any) -> tuple[float, int]:
    """Validate ``tau`` and exactly one of ``steps`` / ``T`` (a multiple of ``tau``); return (tau, steps)."""
    tau = check_positive_scalar(tau, "tau")
    if (steps is None) == (T is None):
        raise ValueError("give exactly one of 'steps' and 'T' (the horizon)")
    if steps is not None:
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise ValueError(f"argument 'steps' must be a non-negative integer, got {steps!r}")
        return tau, steps
    T = check_positive_scalar(T, "T")
    k = round(T / tau)
    if not math.isclose(k * tau, T, rel_tol=1e-9, abs_tol=0.0):
        raise ValueError(f"argument 'T' = {T} is not a multiple of 'tau' = {tau}; choose T = K * tau")
    return tau, int(k)


def check_constraint(constraint: Any, x0: Any, name: str = "x0") -> Box | None:
    if _check_box(constraint) is None:
        return None
    d_box = int(constraint.center.shape[-1])
    if x0.ndim == 0 or int(x0.shape[-1]) != d_box:
        raise ValueError(f"argument {name!r} has dimension {int(x0.shape[-1]) if x0.ndim else 0}, the constraint box has {d_box}")
    if not bool(constraint.xp.all(constraint.contains(x0, tol=1e-12))):
        raise ValueError(f"argument {name!r} lies outside the constraint box")
    return constraint


def check_record_every(record_every: Any) -> int:
    if isinstance(record_every, bool) or not isinstance(record_every, int) or record_every < 1:
        raise ValueError(f"argument 'record_every' must be a positive integer, got {record_every!r}")
    return record_every
