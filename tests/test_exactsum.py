"""Exact vectorized sums: the value of math.fsum, chunk-independent, with and without numba."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from maxslope._exactsum import HAVE_NUMBA, exact_parts, exact_sum, round_parts
from maxslope.wasserstein import Empirical

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=300, deadline=None)
@given(arrays(np.float64, st.integers(0, 300), elements=finite), st.data())
def test_exact_sum_is_fsum_and_chunk_independent(v: np.ndarray, data: st.DataObject) -> None:
    try:
        ref = math.fsum(v.tolist())
    except OverflowError:  # fsum overflows only when the exact sum is beyond the float range
        return
    assert exact_sum(v) == ref or (math.isinf(exact_sum(v)) and math.isinf(ref))
    cuts = sorted(data.draw(st.lists(st.integers(0, v.size), max_size=4)))
    pieces = np.split(v, cuts)
    assert round_parts([exact_parts(p) for p in pieces]) == exact_sum(v)
    if HAVE_NUMBA:
        assert exact_parts(v, use_numba=False) == exact_parts(v, use_numba=True)


def test_exact_sum_hard_cases() -> None:
    assert exact_sum(np.array([1e308, 1e308, -1e308])) == 1e308  # no intermediate overflow
    assert exact_sum(np.array([1.0, 1e100, 1.0, -1e100])) == 2.0  # naive and pairwise sums give 0
    assert float(np.sum(np.array([1.0, 1e100, 1.0, -1e100]))) != 2.0  # negative control: why the exact sum
    assert exact_sum(np.array([5e-324, 5e-324, -0.0])) == 1e-323  # subnormals
    assert exact_sum(np.array([])) == 0.0
    with pytest.raises(ValueError, match="non-finite"):
        exact_parts(np.array([1.0, np.nan]))


def test_large_measures_integrate_exactly() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30_000, 1)) * 10.0 ** rng.integers(-8, 8, size=(30_000, 1))
    mu = Empirical(x)
    assert mu.integrate(lambda p: p[:, 0]) == math.fsum((mu.weights * x[:, 0]).tolist())
