"""
Two moons: IFGSM against the minimizing movement
================================================

The experiment of Weigand, Roith and Burger (arXiv 2406.05376): on a small ReLU / GELU classifier of the two-moons data, iterated FGSM (the
semi-implicit scheme) and the budget-constrained minimizing movement (with a global grid inner solver) are run
from the same start points for step sizes τ = 0.2·2^−i, horizon T = 1, budget ε = 0.2. Both schemes approximate
the same ∞-curve of maximal slope, so their mean trajectory difference shrinks as τ halves — roughly first order
for the smooth GELU network, slower and noisier for the ReLU network (kinks, sliding, jumps of the global argmax).

The authors' stored classifiers are used when the folder named by the environment variable
``MAXSLOPE_TWO_MOONS_DATA`` holds them (read without torch); otherwise the package trains its own, seeded, in NumPy.
"""

import os
import tempfile
from pathlib import Path

from maxslope.experiments.two_moons import (
    NOTEBOOK_THIRD_START,
    MoonsClassifier,
    difference_figure,
    difference_study,
    format_table,
    notebook_cases,
    plot_differences,
    plot_paths,
    train_classifier,
)
from maxslope.schemes import GridInner

data = Path(os.environ.get("MAXSLOPE_TWO_MOONS_DATA", "two_moons_data_not_given"))
models = {}
for act, name in (("relu", "two_moons_ReLU.pt"), ("gelu", "two_moons_GeLU.pt")):
    f = data / name
    models[act] = MoonsClassifier.from_file(f, act) if f.is_file() else train_classifier(act, seed=0)

inner = GridInner(n=41, zoom=3)
studies = [difference_study(m, n_taus=5, samples=10, inner=inner, seed=1) for m in models.values()]
print(format_table(studies))

# %%
# Over the four halvings the difference falls to under a quarter for both networks. For GELU it falls at every
# halving; the ReLU column need not (kinks, sliding and jumps of the global argmax), so only its overall fall is
# asserted.
for s in studies:
    assert s.sup_linf[-1] < 0.25 * s.sup_linf[0], s.sup_linf
gelu = studies[1].sup_linf
assert all(b < a for a, b in zip(gelu[:-1], gelu[1:], strict=True))

fig = plot_differences(studies)

# %%
# Paths at the figure start points of the authors' notebook, with the notebook's own step sizes and counts:
# τ ∈ {ε, ε/2, 0.1ε, 10⁻³} (rounded to 3 decimals) and K = int(T/τ) with T = 1 from the unrounded τ. The list
# [1, 3, 50, 100] that the notebook defines is never passed; for ReLU (ε = 0.2) ``0.2 * 0.1`` is
# 0.020000000000000004, so that panel runs 49 steps. ReLU network:
assert notebook_cases(0.2) == [(0.2, 5), (0.1, 10), (0.02, 49), (0.001, 1000)]
assert notebook_cases(0.25) == [(0.25, 4), (0.125, 8), (0.025, 40), (0.001, 1000)]  # the notebook's printed output
fig = plot_paths(models["relu"], inner)

# %%
# GELU network:
fig = plot_paths(models["gelu"], inner)

# %%
# The notebook's third start point, (−0.3214, −0.5019), at τ = 10⁻³ for 1000 steps (GELU network, its ε; the
# command line draws it for both networks):
fig = plot_paths(models["gelu"], inner, NOTEBOOK_THIRD_START, cases=[(1e-3, 1000)])

# %%
# The command line writes the same figures as PNG files (``maxslope experiment two-moons --out DIR``);
# `difference_figure` and `path_figure` are the functions behind it.
out = difference_figure(studies, Path(tempfile.mkdtemp(prefix="two_moons_")))
assert out.stat().st_size > 0
