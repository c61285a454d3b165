r"""
W_∞ flows: mass splitting and a curve that is too slow
======================================================

For the potential energy ℰ(μ) = ∫ −x²/2 dμ on (P(R), W_∞), started at μ₀ = δ₀, the curve
μ_t = ½δ_{−t} + ½δ_t is an ∞-curve of maximal slope: mass splits at the critical point (claims C17, C18). Both
characterizing properties are checked on measures, with the exact W_∞ between time slices:

* :math:`W_\infty(\mu_s, \mu_t) \le |t - s|` (claim C17);
* ℰ(μ_0) − ℰ(μ_t) = ∫_0^t G(μ_r) dr with G(μ) = ∫|∇E| dμ (claim C18).

The uniform spreading μ_t = Unif[−t, t] also moves at W_∞-speed 1, but it dissipates energy too slowly
(dℰ/dt = −t/3 instead of −G = −t/2): the energy-dissipation check rejects it. The semi-implicit particle scheme
(batch IFGSM) with the atom split in two and opposite selections of sign(0) reproduces the split flow exactly.
"""

import matplotlib.pyplot as plt
import numpy as np

from maxslope import Lp
from maxslope.checks import check_energy_dissipation, check_speed
from maxslope.schemes import steepest_descent
from maxslope.wasserstein import Empirical, Wasserstein, mass_splitting_flow, uniform_spreading_curve

W_INF = Wasserstein(np.inf, Lp(np.inf))  # the space (P(R), W_∞) over the ground norm |·|
split, E = mass_splitting_flow(T=1.0, nodes=32)
spread = uniform_spreading_curve(T=1.0, atoms=200, nodes=32)

speed_split, speed_spread = check_speed(split, W_INF, pairs="all"), check_speed(spread, W_INF)
ede_split, ede_spread = check_energy_dissipation(split, E, W_INF), check_energy_dissipation(spread, E, W_INF)
print(speed_split, speed_spread, ede_split, ede_spread, sep="\n")
assert speed_split.passed and speed_spread.passed
assert ede_split.passed and not ede_spread.passed

semi = steepest_descent(E, W_INF, Empirical(np.zeros((1, 1))).split(0, 2), 1 / 32, steps=32, selection=[1.0, -1.0])
assert np.array_equal(semi.points, split.points)

# %%
# Energy dissipation residuals R(t) = ℰ(μ₀) − ℰ(μ_t) − ∫₀ᵗ G(μ_r) dr: zero for the flow, −t²/12 for the spreading.
fig, ax = plt.subplots(1, 2, figsize=(10, 4))
for k in range(0, 33, 4):
    ax[0].scatter(np.full(2, split.times[k]), split.points[k, :, 0], c="tab:blue", s=30)
    ax[0].plot([spread.times[k]] * 2, [spread.points[k].min(), spread.points[k].max()], c="tab:orange", lw=4, alpha=0.4)
ax[0].set_xlabel("t")
ax[0].set_ylabel("support of μ_t")
ax[0].set_title("½δ₋ₜ + ½δₜ (dots) and Unif[−t, t] (bars)")
ax[1].plot(ede_split.details["times"], ede_split.details["residual"], label="mass splitting (flow)")
ax[1].plot(ede_spread.details["times"], ede_spread.details["residual"], label="Unif[−t, t] (not a flow)")
ax[1].plot(spread.times, -spread.times**2 / 12, "k:", label="−t²/12")
ax[1].set_xlabel("t")
ax[1].legend()
ax[1].set_title("energy-dissipation residual")
fig.tight_layout()
