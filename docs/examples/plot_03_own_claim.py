r"""
Tutorial: check your own claim
==============================

This walks through the whole loop a user of maxslope goes through: write an energy, run a scheme, check the curve,
turn the check into a claim with a negative control, and run it with ``maxslope verify``.

**The claim.** For the quartic energy :math:`E(x) = \tfrac14\sum_i x_i^4` in :math:`(\mathbb R^2, \|\cdot\|_\infty)`,
the :math:`\infty`-curve of maximal slope moves every nonzero coordinate toward 0 at unit speed (the dual norm of
the gradient is :math:`\|x^3\|_1`, and the steepest direction is :math:`-\mathrm{sign}(x)`), so the minimizing
movement is exact at its nodes and satisfies the energy-dissipation equality
:math:`E(u(0)) - E(u(t)) = \int_0^t \|\nabla E(u)\|_1\,dr`.
"""

# %%
# **Step 1, an energy.** Subclass :class:`maxslope.Energy` with a value and a gradient (array-API code, any backend).
import numpy as np

import maxslope as ms
from maxslope.checks import check_energy_dissipation
from maxslope.schemes import GridInner, minimizing_movement
from proofs_checks import REGISTRY, Evidence, register, run_claim


class Quartic(ms.Energy):
    def _value(self, x, xp):
        return xp.sum(x**4, axis=-1) / 4

    def _grad(self, x, xp):
        return x**3


E, space = Quartic(), ms.Lp(np.inf)
x0 = np.array([0.7, -0.4])

# %%
# **Step 2, a scheme.** The minimizing movement with a global grid inner solver (there is no closed form for the quartic).
# The nodes must match the unit-speed flow :math:`u_i(t) = \mathrm{sign}(x_i)(|x_i| - t)^+` up to the grid spacing.
traj = minimizing_movement(E, space, x0, tau=0.05, T=0.6, inner=GridInner(n=41, zoom=4))
exact = np.sign(x0) * np.maximum(np.abs(x0) - traj.times[:, None], 0.0)
node_err = float(np.abs(traj.points - exact).max())
print("max node error:", node_err, "inner spacing:", traj.meta["inner_spacing"])
assert node_err < 1e-6

# %%
# **Step 3, a check.** The energy-dissipation equality along the piecewise-linear interpolant. The result object says what
# was measured, against which tolerance and why.
res = check_energy_dissipation(traj, E, space, allowance=1e-6, allowance_reason="grid inner solver")
print(res)
assert res.passed


# %%
# **Step 4, a claim with a negative control.** The negative control is an input that violates the claim and that the same
# check must reject; here the curve run at half speed (the right path, too slow), which dissipates too little.
def measure(profile: str, speed: float) -> Evidence:
    t = traj.times
    pts = np.sign(x0) * np.maximum(np.abs(x0) - speed * t[:, None], 0.0)
    r = check_energy_dissipation(ms.Trajectory(t, pts), E, space)
    return Evidence.from_check(r, test_case="E = ¼Σx⁴ in ℓ∞, x₀ = (0.7, −0.4)")


if "U-quartic" not in REGISTRY:
    register(
        id="U-quartic",
        title="quartic ∞-flow dissipates exactly",
        statement="E(u(0)) − E(u(t)) = ∫‖∇E(u)‖₁ for the unit-speed ∞-flow of ¼Σx⁴",
        hypotheses="E ∈ C¹",
        section="tutorial",
        check=lambda pr: measure(pr, 1.0),
        negative=lambda pr: measure(pr, 0.5),
        negative_description="the same path at half speed",
        source="docs tutorial",
    )

outcome = run_claim(REGISTRY["U-quartic"])
print("holds:", outcome.holds, "| negative control rejected:", outcome.negative_rejected)
assert outcome.holds

# %%
# **Step 5, in** ``maxslope verify``. Put the registration into a module (say ``my_claims.py``) and run
#
# .. code-block:: bash
#
#    maxslope verify --load my_claims.py --only U-quartic
#
# User claims (ids ``U…``) are listed after the papers' claims, with the same table, JSON and report.
