"""The ℓ∞ budget box: projection, containment, blocked coordinates and the restricted slope (C23)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from maxslope.spaces import Box, Lp


def test_box_projection_is_linf_ball_projection(xp):
    rng = np.random.default_rng(0)
    x0 = rng.normal(size=3)
    x = rng.normal(size=(10, 3))
    B = Box(xp.asarray(x0), 0.2)
    P = xp.np(B.project(xp.asarray(x)))
    np.testing.assert_array_equal(P, np.clip(x, x0 - 0.2, x0 + 0.2))
    np.testing.assert_allclose(P, Lp(np.inf).project_ball(x, x0, 0.2), atol=1e-15)
    assert np.all(xp.np(B.contains(xp.asarray(P))))
    assert not np.all(xp.np(B.contains(xp.asarray(x))))


@given(
    x=arrays(np.float64, 3, elements=st.floats(-3, 3, allow_subnormal=False)),
    a=arrays(np.float64, 3, elements=st.floats(-1, 1, allow_subnormal=False)),
    b=arrays(np.float64, 3, elements=st.floats(-1, 1, allow_subnormal=False)),
)
def test_clamp_clamp_is_projection_onto_intersection(x, a, b):
    """C21(ii): when two boxes share a point, clamp to one then the other = projection onto the intersection."""
    B1, B2 = Box(a, 0.7), Box(b, 0.5)
    if np.any(np.abs(a - b) > 1.2):  # disjoint: the intersection is empty and must raise
        with pytest.raises(ValueError, match="empty"):
            B1.intersect(B2)
        return
    inter = B1.intersect(B2)
    np.testing.assert_array_equal(B2.project(B1.project(x)), inter.project(x))


def test_blocked_and_restricted_slope():
    B = Box(np.zeros(3), 1.0)
    x = np.array([1.0, -1.0, 0.3])
    g = np.array([-2.0, -3.0, 0.5])  # coord 0: descent pushes up at the upper face -> blocked
    np.testing.assert_array_equal(B.blocked(x, g), [True, False, False])
    assert B.restricted_slope(x, g) == pytest.approx(3.5)
    g2 = np.array([2.0, 3.0, 0.5])  # coord 1: descent pushes down at the lower face -> blocked
    np.testing.assert_array_equal(B.blocked(x, g2), [False, True, False])
    assert B.restricted_slope(x, g2) == pytest.approx(2.5)
    # negative control: interior points are never blocked
    assert not B.blocked(np.zeros(3), g).any()


def test_box_bad_input():
    with pytest.raises(ValueError, match="'radius'"):
        Box(np.zeros(2), -0.1)
    with pytest.raises(ValueError, match="'center'"):
        Box(np.array([np.nan, 0.0]), 0.1)
    with pytest.raises(ValueError, match="dimension"):
        Box(np.zeros(2), 0.1).project(np.zeros(3))
    with pytest.raises(ValueError, match="empty"):
        Box.from_bounds(np.ones(2), np.zeros(2))


def test_blocked_convention_at_zero_and_inward_gradients():
    """Blocked means: the descent direction −sign(g_i) leaves the box. A zero partial is never blocked (the
    coordinate does not move), and a gradient pointing inwards frees a coordinate on a face whatever its size
    (mutation testing found both rules unpinned)."""
    B = Box(np.zeros(2), 0.5)
    up, low = np.array([0.5, 0.5]), np.array([-0.5, -0.5])
    np.testing.assert_array_equal(B.blocked(up, np.array([0.0, 0.5])), [False, False])   # g = 0 and g in (0, 1)
    np.testing.assert_array_equal(B.blocked(low, np.array([0.0, -0.5])), [False, False])
    np.testing.assert_array_equal(B.blocked(up, np.array([-1e-300, -3.0])), [True, True])
    np.testing.assert_array_equal(B.blocked(low, np.array([1e-300, 3.0])), [True, True])


def test_box_methods_name_their_arguments():
    B = Box(np.zeros(2), 0.5)
    with pytest.raises(ValueError, match="'x'"):
        B.contains(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="'grad'"):
        B.restricted_slope(np.zeros(2), np.array([np.inf, 0.0]))
    with pytest.raises(ValueError, match="'grad'"):
        B.blocked(np.zeros(2), np.array([np.nan, 0.0]))
