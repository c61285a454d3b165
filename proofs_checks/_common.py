"""Shared test cases of the claim modules."""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np

from maxslope import Lp, Trajectory
from maxslope.exact import ClosedFormFlow
from maxslope.schemes import ExactInner

from .registry import Evidence

LINF = Lp(math.inf)


def has_module(name: str) -> bool:
    """Whether the optional module ``name`` is installed: a check part that needs it is skipped (and passes)
    elsewhere, so its negative control is only run where the module is (a skipped part's control would be
    "accepted" and fail the claim on the core install)."""
    import importlib.util

    return importlib.util.find_spec(name) is not None


def has_dask() -> bool:
    """Whether Dask is installed (:func:`has_module` of ``dask``)."""
    return has_module("dask")


def chunked_cloud(seed: int) -> tuple[Any, np.ndarray, np.ndarray] | None:
    """40 weighted atoms in ℝ² (weights in [0.2, 1], normalized) as ``(dask.array.from_array(X, chunks=(7, 2)),
    X, w)``, for the claims that compare chunked measures with in-memory ones; None where Dask is not installed."""
    try:
        import dask.array as da
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    X, w = rng.normal(size=(40, 2)), rng.uniform(0.2, 1.0, size=40)
    return da.from_array(X, chunks=(7, 2)), X, w / w.sum()


def synchronous_dask() -> contextlib.AbstractContextManager[Any]:
    """Dask's synchronous scheduler where Dask is installed (a null context elsewhere): a check run under it starts
    no threads, so it also runs in a forked process (mutmut's), where the threads of an inherited pool are gone
    and a compute would wait forever."""
    try:
        import dask
    except ImportError:
        return contextlib.nullcontext()
    return dask.config.set(scheduler="synchronous")


def taus(profile: str, n_fast: int = 4, n_thorough: int = 7, tau0: float = 0.1) -> list[float]:
    n = n_fast if profile == "fast" else n_thorough
    return [tau0 * 2.0**-j for j in range(n)]


def sample(flow: ClosedFormFlow, n: int = 400, T: float | None = None) -> Trajectory:
    """The closed-form curve sampled at n+1 equally spaced times plus its break points (a Trajectory)."""
    T = float(flow.T) if T is None else T
    breaks = [float(pc.t1) for pc in flow.pieces[:-1] if float(pc.t1) < T]
    t = np.union1d(np.linspace(0.0, T, n + 1), breaks)  # nodes at the kinks: the interpolant is then exact
    return Trajectory(t, flow(t), meta={"scheme": f"closed form: {flow.name}"})


class HalfStep:
    """A deliberately wrong inner solver (negative controls): returns the point half-way to the exact minimizer."""

    name = "half-step (not a minimizer)"
    guarantee = "none (negative control)"

    def __call__(self, E, space, xk, r, c):  # noqa: ANN001, ANN204
        return xk + 0.5 * (ExactInner()(E, space, xk, r, c) - xk)


def _closeness(e: Evidence) -> float:
    """How far a measurement is along its tolerance (1 at the boundary)."""
    return e.measured / e.tolerance if e.tolerance > 0 else e.measured


def all_hold(parts: list[Evidence]) -> Evidence:
    """One check verdict from several parts of a claim: it passes when every part passes, and reports the
    measurement of the part furthest along its tolerance (the plots of the first part that has any)."""
    if not parts:
        raise ValueError("argument 'parts' must name at least one part of the check")
    worst = max(parts, key=_closeness)
    plots = next((e.plots for e in parts if e.plots), [])
    return Evidence(all(e.passed for e in parts), worst.measured, worst.tolerance, "; ".join(e.test_case for e in parts),
                    "; ".join(e.details for e in parts), plots)


def all_rejected(controls: list[Evidence]) -> Evidence:
    """One negative-control verdict from several controls: it *passes* (the claim's check wrongly accepted a
    violation) if any control passes, and reports the control closest to passing.

    A claim keeps an everywhere-violating control and adds minimal ones (one step, one atom, one cell, one
    coordinate, by a small margin), so that a check which tests only some of the data is caught.
    """
    if not controls:
        raise ValueError("argument 'controls' must name at least one negative control")
    accepted = [c for c in controls if c.passed]
    shown = accepted[0] if accepted else min(controls, key=_closeness)
    case = "; ".join(c.test_case for c in controls)
    return Evidence(bool(accepted), shown.measured, shown.tolerance, case, shown.details, shown.plots)


def one_step_faster(traj: Trajectory, k: int, factor: float, atom: int | None = None) -> Trajectory:
    """``traj`` with step ``k`` (from node k to k+1) stretched by ``factor`` and the later nodes shifted with it,
    so that only that one step is longer (a minimal violation of a speed bound); with ``atom``, only that atom of
    a particle curve moves further."""
    P = np.array(traj.points, dtype=np.float64, copy=True)
    if not 0 <= k < P.shape[0] - 1:
        raise ValueError(f"argument 'k' must index a step of the trajectory (0 … {P.shape[0] - 2}), got {k}")
    sel = (slice(k + 1, None),) if atom is None else (slice(k + 1, None), atom)
    step = P[k + 1] - P[k] if atom is None else P[k + 1, atom] - P[k, atom]
    P[sel] += (factor - 1.0) * step
    return Trajectory(traj.times, P, weights=traj.weights)
