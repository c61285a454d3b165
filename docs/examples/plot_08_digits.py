"""
Digits: IFGSM against the exact minimizing movement in 64 dimensions
====================================================================

Real data: scikit-learn's handwritten digits (8×8 images, pixels scaled to [0, 1]), a multinomial logistic
regression trained here, and the margin loss ℓ_y(x) = max_{j≠y} z_j(x) − z_y(x). The margin is a maximum of
affine functions, so every ℓ∞ minimizing-movement step has an exact solution in closed form
(:class:`~maxslope.experiments.digits.MaxAffineInner`: the best of the per-piece vertices of the feasible box, a
*global* maximizer in 64 dimensions). We compare it with IFGSM as τ → 0, evaluate the W∞ distributional
adversary of the test set (claim C20) against batch IFGSM and an independent per-image maximum, and, where torch
and torchattacks are installed, run torchattacks' own PGD next to maxslope's ``"torchattacks"`` preset.
"""

import matplotlib.pyplot as plt
import numpy as np

from maxslope.experiments.digits import (
    MarginLoss,
    MaxAffineInner,
    digits_study,
    distributional_comparison,
    format_digits_table,
    load_digits_split,
    torchattacks_comparison,
    train_linear_classifier,
)

Xtr, ytr, Xte, yte = load_digits_split(seed=0)
clf = train_linear_classifier(Xtr, ytr)
acc = clf.accuracy(Xte, yte)
print(f"test accuracy {acc:.3f} on {len(yte)} images; MMS inner solver: {MaxAffineInner.guarantee}")
assert acc > 0.9

# %%
# IFGSM (step τ) against the exact minimizing movement on the budget box of radius ε = 0.1, up to T = 2ε, from
# 50 test images, τ = ε·2^−i. For large τ the minimizing movement sometimes takes another class's piece than
# IFGSM (its step is a global maximization over the τ-box); once τ is below the smallest such activity gap, both
# follow the vertex of the same active piece and their iterates are identical, to the last bit.
study = digits_study(clf, Xte[:50], yte[:50], n_taus=7, eps=0.1)
print(format_digits_table(study))
assert study.sup_linf[0] > 0 and all(b <= a for a, b in zip(study.sup_linf[:-1], study.sup_linf[1:], strict=True))
assert study.coincide_from() is not None and study.sup_linf[-1] == 0.0
assert all(g >= 0 for g in study.loss_gap)  # the exact step never ends with a smaller margin than IFGSM here

fig, ax = plt.subplots(figsize=(6, 4))
nz = [(t, d) for t, d in zip(study.taus, study.sup_linf, strict=True) if d > 0]
ax.loglog(*zip(*nz, strict=True), "o-", label="mean sup ℓ∞ difference (nonzero)")
ax.axvline(study.coincide_from(), color="k", ls=":", label=f"identical from τ = {study.coincide_from():g}")
ax.set_xlabel("τ")
ax.set_ylabel("IFGSM − MMS")
ax.legend(fontsize=8)
ax.set_title("digits: IFGSM against the exact minimizing movement")
fig.tight_layout()

# %%
# The W∞ distributional adversary: sup of ∫ℓ dν over W∞(ν, μ) ≤ ε equals the mean of the per-image maxima
# (claim C20); batch IFGSM with 10 steps of ε/10 is a lower bound. The per-image maximum is computed
# independently: max_j (a_j·x₀ + c_j + ε|a_j|₁).
dist = distributional_comparison(clf, Xte, yte, eps=0.1)
print({k: round(v, 6) for k, v in dist.items()})
assert abs(dist["distributional"] - dist["per_image_max"]) <= 1e-9 * max(1.0, abs(dist["per_image_max"]))
assert dist["batch_ifgsm"] <= dist["distributional"] + 1e-12 and dist["clean"] < dist["batch_ifgsm"]

# %%
# An attacked image: the clean digit, the exact minimizing movement's end point at τ = ε/64, and its
# perturbation: every pixel that the classifier's weights see moved by ±ε (the end point is a vertex of the budget
# box); the border pixels that are blank in every training image carry zero weight and stay.
from maxslope import Lp, Negated  # noqa: E402
from maxslope.schemes import minimizing_movement  # noqa: E402
from maxslope.spaces import Box  # noqa: E402

x0, y0 = Xte[:1], int(yte[0])
f = MarginLoss(clf, y0)
end = minimizing_movement(Negated(f), Lp(np.inf), x0, 0.1 / 64, steps=128, constraint=Box(x0, 0.1),
                          inner=MaxAffineInner()).final
fig, axs = plt.subplots(1, 3, figsize=(8, 3))
for a, img, title in zip(axs, (x0[0], end[0], end[0] - x0[0]), ("clean", "attacked", "perturbation"), strict=True):
    a.imshow(img.reshape(8, 8), cmap="gray" if title != "perturbation" else "coolwarm")
    a.set_title(title)
    a.axis("off")
fig.suptitle(f"label {y0}: margin {float(f.value(x0)[0]):.2f} → {float(f.value(end)[0]):.2f}")
fig.tight_layout()
moved = np.abs(end - x0)[0]
assert np.all(np.isclose(moved, 0.1) | (moved == 0)) and np.all((moved == 0) == np.all(f.A == 0, axis=0))

# %%
# Where torch and torchattacks are installed: torchattacks 3.5.1's own PGD (cross-entropy, [0, 1] box, no random
# start) against maxslope's ``"torchattacks"`` preset on the same network, every iterate compared.
peer = torchattacks_comparison(clf, Xte, yte, eps=0.1)
if peer is None:
    print("torch / torchattacks not installed: skipped")
else:
    print(peer)
    assert peer["bit_exact"] == peer["iterates"]
