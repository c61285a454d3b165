r"""
ℓ2: the ∞-flow is the gradient flow reparametrized by arc length
================================================================

In the Euclidean space the steepest set is :math:`\{\nabla E/|\nabla E|_2\}`, so the :math:`\infty`-curve of maximal
slope follows the path of the classical gradient flow :math:`\dot x = -\nabla E(x)` at unit speed (claim C14). For
:math:`E = \tfrac12 x^\top A x` the reference :class:`~maxslope.exact.ArcLengthQuadraticFlow` inverts the arc length
of the classical flow numerically (Gauss–Legendre and Newton). Normalized gradient descent — the semi-implicit
scheme in ℓ2 — converges to it at first order.
"""

import matplotlib.pyplot as plt
import numpy as np

import maxslope as ms
from maxslope.exact import ArcLengthQuadraticFlow, convergence_study
from maxslope.schemes import steepest_descent

A = np.diag([1.0, 4.0])
x0 = np.array([1.0, 0.6])
E = ms.Quadratic(A)
ref = ArcLengthQuadraticFlow(A, x0)
L2 = ms.Lp(2.0)
T = 0.8  # below the path length (≥ |x₀| ≈ 1.17), so the flow has not reached the minimizer
taus = [0.04 * 2.0**-j for j in range(5)]
st = convergence_study(lambda tau: steepest_descent(E, L2, x0, tau, T=T), ref, taus)
print("sup errors:", np.round(st.interp_errors, 5), "observed orders:", np.round(st.interp_orders, 2))
assert np.all(st.interp_orders > 0.8)

# %%
# The reference moves at unit speed along the classical gradient-flow path (chord speeds on a fine time grid).
t = np.linspace(0, T, 200)
pts = ref(t)
speed = np.linalg.norm(np.diff(pts, axis=0), axis=1) / np.diff(t)
assert np.max(np.abs(speed - 1)) < 1e-3

# %%
# Left: the classical path, the ∞-flow on it, and normalized gradient descent. Right: the sup error of the
# interpolant against τ, first order.
fig, ax = plt.subplots(1, 2, figsize=(10.5, 4.2))
s = np.linspace(0, 3, 300)
ax[0].plot(*ref.x_classical(s).T, "k-", lw=3, alpha=0.3, label="classical gradient-flow path")
ax[0].plot(*pts.T, "-", label="∞-flow (unit speed), t ≤ 0.8")
g = steepest_descent(E, L2, x0, 0.04, T=T)
ax[0].plot(*np.asarray(g.points).T, "o", ms=3, label="normalized GD, τ = 0.04")
ax[0].set_aspect("equal")
ax[0].legend(fontsize=8)
ax[1].loglog(taus, st.interp_errors, "o-", label="normalized GD: sup error")
ax[1].loglog(taus, taus, "k:", label="slope 1")
ax[1].set_xticks(taus, [f"{v:.4g}" for v in taus])
ax[1].xaxis.set_minor_formatter(plt.NullFormatter())
ax[1].set_xlabel("τ")
ax[1].legend(fontsize=8)
fig.tight_layout()
