r"""
The distributional adversary is one W∞ minimizing-movement step
===============================================================

For a data law :math:`\mu` and a loss :math:`\ell`, the distributional adversary of budget :math:`\varepsilon`
maximizes :math:`\int \ell\,d\nu` over all :math:`\nu` with :math:`W_\infty(\nu, \mu) \le \varepsilon` (labels
fixed). The supremum equals :math:`\int \max_{\bar B_\varepsilon(x)} \ell\,d\mu`: it is attained by moving every atom
to a maximizer in its own ball (claim C20), i.e. by one :math:`W_\infty` minimizing-movement step for
:math:`-\int \ell`. Here the value from the per-atom maxima is compared with a linear program over *all* transport
plans onto a grid (no decoupling assumed), and with batch IFGSM, which is feasible and never better.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

import maxslope as ms
from maxslope.schemes import steepest_descent
from maxslope.wasserstein import (
    Empirical,
    Wasserstein,
    ball_transport_lp,
    distributional_adversary,
    wasserstein_distance,
)

LINF = ms.Lp(math.inf)
h, eps = 0.05, 0.2
rng = np.random.default_rng(0)
mu = Empirical(rng.integers(-12, 13, size=(12, 2)) * h)  # atoms on the lattice, so every ball corner is a grid point
Q = ms.SeparableQuadratic(np.array([1.0, 3.0]))  # ℓ(x) = (x₁² + 3x₂²)/2, convex: maxima at ball corners
value, nu = distributional_adversary(Q, mu, eps)
g = np.arange(-20, 21) * h
grid = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
lp, plan = ball_transport_lp(np.tile(Q.value(grid), (mu.n, 1)), mu, grid, eps, LINF, "max")
ifgsm_nu = steepest_descent(ms.Negated(Q), Wasserstein(math.inf, LINF), mu, eps / 4, steps=4).node(4)
ifgsm_value = ifgsm_nu.integrate(Q.value)
print(f"per-atom maxima: {value:.12f}\nLP over plans:   {lp:.12f}\nbatch IFGSM:     {ifgsm_value:.12f}")
print("W_inf(nu, mu) =", wasserstein_distance(mu, nu, math.inf, LINF))
assert abs(value - lp) < 1e-9
assert ifgsm_value <= value + 1e-12
assert wasserstein_distance(mu, nu, math.inf, LINF) <= eps * (1 + 1e-12)

# %%
# Each atom moves to the corner of its ℓ∞ ball where the loss is largest; the moved measure is at
# W∞-distance exactly ε from the data.
fig, ax = plt.subplots(figsize=(5.5, 5.5))
ax.contour(g, g, Q.value(grid).reshape(len(g), len(g)).T, levels=15, cmap="Greys", linewidths=0.6)
for x, y in zip(mu.points, nu.points, strict=True):
    ax.add_patch(plt.Rectangle(x - eps, 2 * eps, 2 * eps, fill=False, ec="tab:blue", lw=0.6, alpha=0.5))
    ax.annotate("", y, x, arrowprops={"arrowstyle": "->", "color": "tab:red"})
ax.plot(*mu.points.T, "o", color="tab:blue", label="μ (data)")
ax.plot(*nu.points.T, "x", color="tab:red", label="optimal ν (one W∞-MMS step)")
ax.set_aspect("equal")
ax.legend(fontsize=8, loc="lower left")
ax.set_title("distributional adversary, ε = 0.2 (ℓ∞ balls)")
fig.tight_layout()
