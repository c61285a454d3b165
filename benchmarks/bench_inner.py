"""Inner solvers of the minimizing movement on an energy without a closed-form step: inner='quasi-newton'
(SciPy L-BFGS-B / SLSQP on the exact feasible set) against inner='multistart' (projected gradient from several
starts, the library's previous choice for such energies), in one process, with the final energies compared.

The energy is a seeded tanh network R^10 -> R (10-32-1) in NumPy with its exact gradient, the new-user task of
issue 17 (there in torch; NumPy keeps the benchmark free of optional dependencies).
"""

from __future__ import annotations

import math
import time

import numpy as np

import maxslope as ms
from maxslope.schemes import minimizing_movement


def _mlp(seed: int = 0) -> ms.Energy:
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(32, 10)) / math.sqrt(10), rng.normal(size=32) * 0.1
    w2 = rng.normal(size=32) / math.sqrt(32)

    def value(x: np.ndarray) -> np.ndarray:
        return np.tanh(x @ W1.T + b1) @ w2  # type: ignore[no-any-return]

    def grad(x: np.ndarray) -> np.ndarray:
        h = np.tanh(x @ W1.T + b1)
        return ((1 - h**2) * w2) @ W1  # type: ignore[no-any-return]

    return ms.FromCallables(value, grad, dim=10)


def run(large: bool = True) -> list[dict]:
    E = _mlp()
    x0 = np.random.default_rng(1).normal(size=(4, 10)) * 0.1
    rows = []
    for p, steps in ((math.inf, 20 if large else 5), (2.0, 10 if large else 3)):
        t0 = time.perf_counter()
        qn = minimizing_movement(E, ms.Lp(p), x0, 0.05, steps=steps, inner="quasi-newton")
        t = time.perf_counter() - t0
        t0 = time.perf_counter()
        mst = minimizing_movement(E, ms.Lp(p), x0, 0.05, steps=steps, inner="multistart")
        t_base = time.perf_counter() - t0
        gap = float(np.max(qn.energies[-1] - mst.energies[-1]))
        assert gap <= 1e-6, f"quasi-newton ended {gap:.2e} above multistart"
        rows.append({"name": f"MMS inner step, tanh MLP on R^10, {ms.Lp(p)!r}, {steps} steps (E gap {gap:+.1e})", "n": 4,
                     "t": t, "baseline": "inner='multistart'", "t_base": t_base})
    return rows
