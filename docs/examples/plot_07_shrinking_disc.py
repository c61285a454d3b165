"""
Nonlocal perimeter flow: the shrinking disc, the unstable circle, the ellipse
=============================================================================

The minimizing movements of the adversarial-training perimeter (variant S, ρ ≡ 1) move a disc by
R_{k+1}(R_k − R_{k+1}) = τ per step, a first-order scheme for the mean curvature flow R(t)² = R₀² − 2t
(claims M9, M11). Each step is one exact minimum cut. The grid boundaries of A_k are drawn
against the exact circles. The radius error, O(τ) + O(ε²) + grid error relative to the current radius, is
measured and asserted. At ε = 3h the discrete ball stencil is slightly anisotropic, so the grid sets become
mildly octagonal (isotropy needs ε ≥ 2–3h; claims M3, M9).

In a Gaussian density ρ = exp(−|x|²/2σ²) the circle of radius σ is unstable (M13): smaller discs shrink and
vanish, larger ones grow. The drift term ∂_ν log ρ of the weighted flow V = −(H + ∂_ν log ρ) makes this happen.
An ellipse, with no symmetry to lean on, is checked against its exact area law and a front-tracking solution (M18).
"""

import matplotlib.pyplot as plt
import numpy as np

from maxslope.perimeter import Grid, perimeter_flow
from maxslope.perimeter import references as ref

h = 0.01
G = Grid((100, 100), h)
A0 = G.indicator(lambda x: (x**2).sum(-1) <= 0.4**2)
tr = perimeter_flow(A0, tau=0.005, eps=3 * h, grid=G, T=0.045)
R = tr.area_radius()
exact = ref.disc_radius(tr.times, R[0])
rel = np.abs(R / exact - 1)
print("t      area radius   exact     rel. error")
for t, r, e, q in zip(tr.times, R, exact, rel, strict=True):
    print(f"{t:.3f}  {r:.4f}        {e:.4f}    {q:.2%}")
assert rel.max() < 0.05  # 0.9% at t = 0.03, 4.2% at t = 0.045: the errors O(τ/R), ε/R, h/R grow as R shrinks
assert np.all(np.diff(tr.perimeter) <= 1e-12)  # energy dissipation: the perimeter never increases (M8)

fig, ax = plt.subplots(1, 2, figsize=(11, 5))
th = np.linspace(0, 2 * np.pi, 200)
for k, c in zip(range(0, len(tr.times), 3), plt.cm.viridis(np.linspace(0, 1, 4)), strict=True):
    ax[0].contour(G.axes[0], G.axes[1], tr.sets[k].T.astype(float), levels=[0.5], colors=[c])
    ax[0].plot(exact[k] * np.cos(th), exact[k] * np.sin(th), "--", color=c, lw=1)
ax[0].set_aspect("equal")
ax[0].set_title("grid boundaries of A_k (solid) and exact circles (dashed)")
ax[1].plot(tr.times, R, "o", label="scheme (area radius)")
ax[1].plot(tr.times, exact, "-", label="R(t) = √(R₀² − 2t)")
ax[1].set_xlabel("t")
ax[1].legend()
fig.tight_layout()

# %%
# The unstable circle in a Gaussian density: discs at 0.8σ and 1.2σ move apart.
sigma = 0.4
hg = 0.0075
Gg = Grid((160, 160), hg, density=lambda x: np.exp(-(x**2).sum(-1) / (2 * sigma**2)))
fig, ax = plt.subplots(figsize=(5.5, 4))
for f in (0.8, 1.2):
    A = Gg.indicator(lambda x, f=f: (x**2).sum(-1) <= (f * sigma) ** 2)
    g = perimeter_flow(A, tau=0.01, eps=3 * hg, grid=Gg, steps=3)
    S = g.area_radius() ** 2
    want = ref.gaussian_disc_area(g.times, Gg.area_radius(A), sigma)
    ax.plot(g.times, S, "o", label=f"scheme, R₀ = {f}σ")
    ax.plot(g.times, want, "-", label=f"exact, R₀ = {f}σ")
    assert np.sign(S[-1] - S[0]) == np.sign(f - 1)  # shrink below σ, grow above
ax.axhline(sigma**2, color="k", ls=":", label="S* = σ²")
ax.set_xlabel("t")
ax.set_ylabel("S = R²")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
# An ellipse has no closed-form flow, but its area obeys A(t) = A₀ − 2πt exactly (Gauss–Bonnet), and its shape
# rounds as it shrinks. The grid boundaries are drawn against a front-tracking solution of V = −κ (claim M18).
from maxslope.perimeter.references import ellipse_curve, front_tracking  # noqa: E402

a, b, he = 0.45, 0.3, 0.01
Ge = Grid((110, 110), he)
E0 = Ge.indicator(lambda x: (x[..., 0] / a) ** 2 + (x[..., 1] / b) ** 2 <= 1)
te = perimeter_flow(E0, tau=0.005, eps=3 * he, grid=Ge, T=0.045)
area = np.array([np.count_nonzero(S) for S in te.sets]) * he**2
law = np.pi * a * b - 2 * np.pi * te.times
print("t      area     A₀ − 2πt   error/A₀")
for t, A_, L_ in zip(te.times, area, law, strict=True):
    print(f"{t:.3f}  {A_:.4f}   {L_:.4f}     {abs(A_ - L_) / (np.pi * a * b):.3f}")
keep = [0, 3, 6, 9]
fronts = front_tracking(ellipse_curve(a, b, 200), te.times[keep[-1]], times=te.times[keep])
assert np.all(np.abs(area - law)[:8] <= 0.03 * np.pi * a * b)

fig, ax = plt.subplots(1, 2, figsize=(11, 4.5))
for k, P in zip(keep, fronts, strict=True):
    ax[0].contour(Ge.axes[0], Ge.axes[1], te.sets[k].T.astype(float), levels=[0.5], colors="tab:blue")
    Q = np.vstack([P, P[:1]])
    ax[0].plot(Q[:, 0], Q[:, 1], "k--", lw=1)
ax[0].set_aspect("equal")
ax[0].set_title("grid boundaries (blue) and front tracking (dashed)")
ax[1].plot(te.times, area, "o", label="scheme")
ax[1].plot(te.times, law, "-", label="A₀ − 2πt")
ax[1].set_xlabel("t")
ax[1].set_ylabel("area")
ax[1].legend()
fig.tight_layout()
