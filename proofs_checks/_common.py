"""Shared test cases of the claim modules."""

from __future__ import annotations

import math

import numpy as np

from maxslope import Lp, Trajectory
from maxslope.exact import ClosedFormFlow
from maxslope.schemes import ExactInner

LINF = Lp(math.inf)


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
