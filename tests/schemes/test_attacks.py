"""Attack presets: FGSM / IFGSM / PGD and the library conventions (claim C21). The conventions are compared
with the installed libraries in ``tests/peers``."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.attacks import CONVENTIONS, fgsm, ifgsm, pgd
from maxslope.schemes import steepest_descent
from maxslope.spaces import Box, Lp


def _loss():
    A = np.array([[1.0, 0.3, 0.0], [0.3, 2.0, -0.4], [0.0, -0.4, 0.5]])
    return ms.Sum(ms.Quadratic(A), ms.Linear(np.array([0.2, -0.7, 0.4])))


def test_fgsm_is_one_semi_implicit_step():
    x0 = np.array([0.2, 0.5, 0.9])
    got = fgsm(_loss(), x0, 0.1)
    ref = steepest_descent(ms.Negated(_loss()), Lp(math.inf), x0, 0.1, steps=1).final
    np.testing.assert_array_equal(got, ref)


def test_maxslope_ifgsm_is_semi_implicit_scheme_on_box():
    """C21(ii): clipped IFGSM = semi-implicit scheme on S = B_eps(x0) (all gradient coordinates nonzero)."""
    x0 = np.array([0.2, 0.5, 0.9])
    tr = ifgsm(_loss(), x0, 0.1, 0.03, 12)
    ref = steepest_descent(ms.Negated(_loss()), Lp(math.inf), x0, 0.03, steps=12, constraint=Box(x0, 0.1))
    np.testing.assert_array_equal(tr.points, ref.points)
    np.testing.assert_array_equal(tr.energies, ref.energies)


def test_iterates_keep_the_dtype_of_x0():
    """A float64 gradient on float32 points: cast first (autograd's rule), except under ART, which steps in float64
    and rounds when it stores; either way the iterates are float32. (The peer tests check the bits against ART.)"""
    x0 = np.full((2, 3), 0.5, dtype=np.float32)
    for c in CONVENTIONS:
        for norm in (math.inf, 2):
            tr = pgd(_loss(), x0, 0.1, 0.04, 3, norm=norm, bounds=(0.0, 1.0), convention=c)
            assert tr.points.dtype == np.float32, (c, norm)


def test_art_pytorch_has_no_fgsm():
    with pytest.raises(ValueError, match="art-pytorch"):
        fgsm(_loss(), np.full(3, 0.5), 0.1, convention="art-pytorch")
    with pytest.raises(TypeError, match="'convention'"):
        fgsm(_loss(), np.full(3, 0.5), 0.1, convention=None)


def test_conventions_differ_where_order_matters():
    """Ball-then-box (torchattacks, foolbox) and box-then-ball (ART) give different l2 iterates near the box edge;
    the exact projection onto the intersection (maxslope) differs from both; all stay feasible."""
    x0 = np.array([[0.97, 0.95, 0.5]])
    loss = ms.Linear(np.array([1.0, 1.0, 0.1]))
    finals = {c: pgd(loss, x0, 0.2, 0.15, 3, norm=2, bounds=(0.0, 1.0), convention=c).final for c in CONVENTIONS}
    assert not np.allclose(finals["art"], finals["torchattacks"])
    for _c, x in finals.items():
        assert np.all(x >= 0) and np.all(x <= 1 + 1e-7)
        assert np.linalg.norm(x - x0) <= 0.2 * (1 + 1e-6)
    # the exact projection is the best of them for this linear loss (largest loss within the feasible set)
    # (to Dykstra's accuracy after 100 iterations, about 1e-10 here)
    vals = {c: float(loss.value(x)[0]) for c, x in finals.items()}
    assert vals["maxslope"] >= max(vals.values()) - 1e-9


def test_random_start_is_seeded_and_feasible():
    x0 = np.full((10, 3), 0.5)
    a = pgd(_loss(), x0, 0.1, 0.02, 5, random_start=True, seed=3, bounds=(0, 1))
    b = pgd(_loss(), x0, 0.1, 0.02, 5, random_start=True, seed=3, bounds=(0, 1))
    np.testing.assert_array_equal(a.points, b.points)
    assert np.all(np.abs(a.points - x0) <= 0.1 + 1e-12)


def test_attack_bad_input():
    x0 = np.array([0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="'convention'"):
        ifgsm(_loss(), x0, 0.1, 0.01, 3, convention="cleverhans")
    with pytest.raises(ValueError, match="'eps'"):
        fgsm(_loss(), x0, -0.1)
    with pytest.raises(ValueError, match="'bounds'"):
        fgsm(_loss(), x0, 0.1, bounds=(1.0, 0.0))
    with pytest.raises(ValueError, match="outside 'bounds'"):
        fgsm(_loss(), x0 + 1.0, 0.1, bounds=(0.0, 1.0))
    with pytest.raises(ValueError, match="no l1"):
        pgd(_loss(), x0, 0.1, 0.01, 3, norm=1, convention="torchattacks")
    with pytest.raises(ValueError, match="'norm'"):
        pgd(_loss(), x0, 0.1, 0.01, 3, norm=3)


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("norm", [math.inf, 2, 1])
def test_every_convention_runs_on_array_api_strict(convention, norm):
    """The presets are array-API code: on array_api_strict every convention gives NumPy's iterates bit for bit."""
    xps = pytest.importorskip("array_api_strict")
    if convention == "torchattacks" and norm == 1:
        pytest.skip("torchattacks has no l1 PGD")
    x0 = np.array([[0.5, 0.97, 0.02], [0.3, 0.6, 0.9]])
    a = np.array([1.0, -2.0, 0.5])
    ref = pgd(ms.Linear(a), x0, 0.1, 0.04, 4, norm=norm, bounds=(0.0, 1.0), convention=convention)
    got = pgd(ms.Linear(xps.asarray(a)), xps.asarray(x0), 0.1, 0.04, 4, norm=norm, bounds=(0.0, 1.0), convention=convention)
    np.testing.assert_array_equal(np.asarray(got.points), ref.points)
