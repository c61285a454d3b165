"""The ε/h trade-off of the perimeter step: isotropy and accuracy against cost, at fixed ε, τ and shape.

``python -m benchmarks.study_eps_h`` prints the table quoted in the docs' perimeter theory page. A disc of radius
R₀ = 0.3 (ρ ≡ 1, variant S) flows for 5 steps of τ = 0.004 with ε = 0.04 fixed, on grids with h = ε / c. For each
ratio c it reports:

* ``Per0 err``: Per_ε(A₀) / (c_per · 2πR₀) − 1, the perimeter of the grid disc against the continuum one;
* ``R(T) err``: the area radius at T = 0.02 against R(T) = √(R₀² − 2T), relative;
* ``anisotropy``: (max − min) / mean of the distances from the centre to the boundary faces of A_K, relative
  (a round set has about h / R);
* ``arcs/cell``: stencil offsets per cell (the min-cut graph has about twice that many arcs per cell);
* ``s/step``: wall time of one exact min-cut step (PyMaxflow).

The baseline of the cost column is the ratio c = 1 run in the same process.
"""

from __future__ import annotations

import math
import time

import numpy as np

from maxslope.perimeter import Grid, ball_offsets, disc, nonlocal_perimeter, perimeter_flow


def row(c: float, eps: float = 0.04, R0: float = 0.3, tau: float = 0.004, steps: int = 5) -> dict[str, float]:
    h = eps / c
    n = int(math.ceil(0.8 / h))
    G = Grid((n, n), h)
    A0 = disc(G, R0)
    per0 = nonlocal_perimeter(A0, eps, G) / (2 * math.pi * R0) - 1
    t0 = time.perf_counter()
    tr = perimeter_flow(A0, tau, eps, G, steps=steps)
    dt = (time.perf_counter() - t0) / steps
    R = tr.area_radius()[-1]
    exact = math.sqrt(R0**2 - 2 * tau * steps)
    r = np.linalg.norm(G.boundary_points(tr.sets[-1]), axis=1)
    return {"c": c, "h": h, "cells": n * n, "per0": per0, "R_err": R / exact - 1, "aniso": (r.max() - r.min()) / r.mean(),
            "arcs": len(ball_offsets(eps, h, 2)), "s_step": dt}


def main() -> None:
    print("| ε/h | h | cells | Per0 err | R(T) err | anisotropy | arcs/cell | s/step | cost vs ε/h = 1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = [row(c) for c in (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)]
    for r in rows:
        print(f"| {r['c']:g} | {r['h']:.4g} | {r['cells']:,} | {r['per0']:+.2%} | {r['R_err']:+.2%} | {r['aniso']:.2%} | "
              f"{r['arcs']} | {r['s_step']:.3f} | {r['s_step'] / rows[0]['s_step']:.0f}x |")


if __name__ == "__main__":
    main()
