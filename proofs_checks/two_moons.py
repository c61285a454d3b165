"""Claim C24 (and the two-moons part of C21): the paper's two-moons experiment."""

from __future__ import annotations

import functools

import numpy as np

from maxslope.experiments.two_moons import AttackLoss, MoonsClassifier, difference_study, train_classifier
from maxslope.schemes import GridInner

from .registry import Evidence, register


@functools.lru_cache(maxsize=2)
def own_classifier(activation: str) -> MoonsClassifier:
    """The package's own seeded classifier (NumPy training, about 1 s), trained once per process."""
    return train_classifier(activation, seed=0)


def _c24(profile: str, time_scale: float) -> Evidence:
    n_taus, samples, inner = (4, 6, GridInner(n=21, zoom=3)) if profile == "fast" else (6, 20, GridInner(n=41, zoom=3))
    ratios, rows, mono = [], [], True
    for act in ("relu", "gelu"):
        st = difference_study(own_classifier(act), n_taus, samples, inner=inner, seed=1, time_scale=time_scale)
        d = st.sup_linf
        ratios.append(d[-1] / d[0] if d[0] > 0 else np.inf)
        if act == "gelu":
            mono = all(b < a for a, b in zip(d[:-1], d[1:], strict=True))
        rows.append(f"{act.upper()}: " + ", ".join(f"{v:.3g}" for v in d))
    worst = max(ratios)
    tol = 0.5 if profile == "fast" else 0.25
    return Evidence(bool(worst <= tol and mono), worst, tol,
                    f"own ReLU/GELU classifiers, {samples} start points, τ = 0.2·2^−i (i < {n_taus}), ε = 0.2, T = 1, grid inner solver",
                    "mean sup-ℓ∞ IFGSM–MMS difference per τ: " + "; ".join(rows) + " (GELU must decrease at every halving)")


register(
    id="C24",
    title="experiment trend (two moons)",
    statement="The mean difference between the IFGSM and MMS trajectories on the two-moons classifiers decreases as τ halves.",
    hypotheses="trend only; ReLU nets are not C¹",
    section="§3, §2 C24",
    check=lambda pr: _c24(pr, 1.0),
    negative=lambda pr: _c24(pr, 0.5),
    negative_description="a time-misaligned comparison (MMS with step τ/2 against IFGSM with step τ) must not show the trend",
)


def one_step_gap(activation: str, n: int, inner: object) -> float:
    """max over start points of ℓ(FGSM) − ℓ(MMS₁) with τ = ε = 0.2 on the own classifier (≤ 0 when MMS₁ is global)."""
    from maxslope import Box, Lp, Negated
    from maxslope.attacks import fgsm
    from maxslope.schemes import minimizing_movement

    model = own_classifier(activation)
    x0 = np.random.default_rng(24).uniform(-1, 1, size=(n, 2))
    y0 = (model(x0) > 0.5).astype(int)
    gap = -np.inf
    for y in (0, 1):
        xs = x0[y0 == y]
        if len(xs) == 0:
            continue
        loss = AttackLoss(model, y)
        f = fgsm(loss, xs, 0.2)
        m = minimizing_movement(Negated(loss), Lp(np.inf), xs, 0.2, steps=1, constraint=Box(xs, 0.2), inner=inner).final
        gap = max(gap, float(np.max(loss.value(f) - loss.value(m))))
    return gap
