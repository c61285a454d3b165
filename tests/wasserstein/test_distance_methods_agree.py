"""Every W_p method answers only where it applies, and then with the value of the others."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.wasserstein import Empirical, wasserstein


def test_assignment_refuses_p_inf() -> None:
    # the scaled cost (d/s)^p is 0/1 at p = inf, so the min-sum assignment gave the largest pairwise distance
    rng = np.random.default_rng(0)
    mu, nu = Empirical(rng.normal(size=(7, 2))), Empirical(rng.normal(size=(7, 2)))
    with pytest.raises(ValueError, match="'assignment' is for finite p"):
        wasserstein(mu, nu, math.inf, ms.Lp(2.0), method="assignment")
    exact = wasserstein(mu, nu, math.inf, ms.Lp(2.0), method="bottleneck").value
    assert wasserstein(mu, nu, math.inf, ms.Lp(2.0), method="flow").value == exact


def test_every_method_agrees() -> None:
    from proofs_checks.wasserstein import _c16_methods

    assert _c16_methods("exact") == 0.0
    assert _c16_methods("ulp") > 0.0
