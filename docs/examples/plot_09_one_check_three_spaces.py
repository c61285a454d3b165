r"""
One check, three spaces
=======================

The metric-space layer gives every space one set of operations. Here the same call,
``check_energy_dissipation(traj, E, space)``, decides three curves of maximal slope in three different spaces,
and rejects a negative control in each:

* ℓ∞: the ∞-flow of a linear energy :math:`E(x) = \langle a, x\rangle`, which is signed gradient descent
  :math:`u(t) = x_0 - t\,\mathrm{sign}(a)` (claim C2); negative control: the same path at half speed;
* :math:`(\mathcal P(\mathbb R), W_\infty)`: the mass-splitting flow :math:`\tfrac12\delta_{-t} + \tfrac12\delta_t` of
  :math:`\int -x^2/2\,d\mu` (claim C18); negative control: :math:`\mathrm{Unif}[-t, t]`, also of speed 1;
* :math:`(\mathcal P(\mathbb R^2), W_2)`: the minimizing movement of the quadratic interaction energy
  :math:`\tfrac12\iint |x - y|^2/2\,d\mu\,d\mu`, which contracts to the mean (claim W5), computed by the labelled
  approximate particle solver, with an allowance :math:`C\tau` for the scheme's error; negative control:
  contraction towards 0 instead of the mean.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

import maxslope as ms
from maxslope.checks import check_energy_dissipation
from maxslope.schemes import minimizing_movement
from maxslope.wasserstein import Empirical, InteractionEnergy, mass_splitting_flow, uniform_spreading_curve

# ℓ∞: signed gradient descent is the exact ∞-flow of a linear energy
a = np.array([1.0, -2.0])
E_lin = ms.Linear(a)
t = np.linspace(0.0, 1.0, 21)
x0 = np.array([0.5, 0.2])
sgd = ms.Trajectory(t, x0 - t[:, None] * np.sign(a))
slow = ms.Trajectory(t, x0 - 0.5 * t[:, None] * np.sign(a))
L_INF = ms.Lp(math.inf)

# W_∞: mass splitting (a flow) and uniform spreading (not a flow)
W_INF = ms.Wasserstein(math.inf, L_INF)
split, E_split = mass_splitting_flow(T=1.0, nodes=20)
spread = uniform_spreading_curve(T=1.0, atoms=200, nodes=20)

# W_2: the particle minimizing movement of the quadratic interaction energy, and a wrong contraction
W_2 = ms.Wasserstein(2.0, ms.Lp(2.0))
rng = np.random.default_rng(0)
mu0 = Empirical(rng.normal(size=(12, 2)) + np.array([2.0, -1.0]))
E_int = InteractionEnergy(ms.SeparableQuadratic(np.ones(2)))
tau = 0.02
mms = minimizing_movement(E_int, W_2, mu0, tau, steps=50, p=2.0, inner="particle")
print(mms.meta["inner_guarantee"])
to_zero = ms.Trajectory(mms.times, np.exp(-mms.times)[:, None, None] * mu0.points[None], weights=mu0.weights)
allowance = 0.1 * tau * E_int.value(mu0)  # an O(τ) allowance for the scheme, C = ℰ(μ₀)/10

results = {
    "ℓ∞, signed GD": (check_energy_dissipation(sgd, E_lin, L_INF), check_energy_dissipation(slow, E_lin, L_INF)),
    "W_∞, mass splitting": (check_energy_dissipation(split, E_split, W_INF), check_energy_dissipation(spread, E_split, W_INF)),
    "W_2, interaction MMS": (
        check_energy_dissipation(mms, E_int, W_2, p=2.0, allowance=allowance, allowance_reason="O(tau) scheme error"),
        check_energy_dissipation(to_zero, E_int, W_2, p=2.0, allowance=allowance, allowance_reason="O(tau) scheme error"),
    ),
}
for name, (good, bad) in results.items():
    print(f"{name:22s} flow: {good.passed} ({good.measured:.1e} <= {good.tolerance:.1e})   "
          f"negative control: {bad.passed} ({bad.measured:.1e})")
    assert good.passed and not bad.passed

# %%
# The cumulative residual :math:`R(t) = E(u_0) - E(u_t) - \int_0^t (\ldots)\,dr` of each check: the flows stay
# at zero (up to the allowance for the scheme), the negative controls drift away.
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
for ax, (name, (good, bad)) in zip(axes, results.items(), strict=True):
    ax.plot(good.details["times"], good.details["residual"], label="flow")
    ax.plot(bad.details["times"], bad.details["residual"], "--", label="negative control")
    ax.axhspan(-good.tolerance, good.tolerance, color="0.85", label="tolerance")
    ax.set_title(name)
    ax.set_xlabel("t")
axes[0].set_ylabel("energy-dissipation residual R(t)")
axes[0].legend()
fig.tight_layout()
