"""Attack presets: FGSM / IFGSM / PGD and the library conventions (spec §1.7, C21)."""

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


def _literal_torchattacks_bim(loss, x0, eps, alpha, steps):
    """A line-by-line NumPy transcription of torchattacks 3.5.1 BIM.forward (float32, data range [0, 1])."""
    images = x0.copy()
    ori = x0.copy()
    for _ in range(steps):
        g = loss.grad(images)
        adv = images + alpha * np.sign(g)
        a = np.clip(ori - eps, 0, None)
        b = (adv >= a).astype(np.float32) * adv + (adv < a).astype(np.float32) * a
        c = (b > ori + eps).astype(np.float32) * (ori + eps) + (b <= ori + eps).astype(np.float32) * b
        images = np.clip(c, None, 1)
    return images


def _literal_art_pgd(loss, x0, eps, eps_step, steps, norm):
    tol = 10e-8
    x = x0.copy()
    for _ in range(steps):
        g = loss.grad(x)
        if norm == math.inf:
            g = np.sign(g)
        elif norm == 2:
            g = g / (np.sqrt(np.sum(np.square(g), axis=-1, keepdims=True)) + tol)
        x = x + eps_step * g
        x = np.clip(x, 0.0, 1.0)
        v = x - x0
        if norm == math.inf:
            v = np.sign(v) * np.minimum(abs(v), eps)
        else:
            v = v * np.expand_dims(np.minimum(1.0, eps / (np.linalg.norm(v, axis=-1) + tol)), axis=-1)
        x = x0 + v
    return x


def test_torchattacks_bim_bitwise_float32():
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0, 1, size=(64, 3)).astype(np.float32)
    loss = _loss()
    tr = ifgsm(loss, x0, 8 / 255, 2 / 255, 10, bounds=(0.0, 1.0), convention="torchattacks")
    assert tr.final.dtype == np.float32
    np.testing.assert_array_equal(tr.final, _literal_torchattacks_bim(loss, x0, 8 / 255, 2 / 255, 10))


@pytest.mark.parametrize("norm", [math.inf, 2])
def test_art_pgd_bitwise_float32(norm):
    rng = np.random.default_rng(1)
    x0 = rng.uniform(0, 1, size=(64, 3)).astype(np.float32)
    tr = pgd(_loss(), x0, 0.1, 0.04, 8, norm=norm, bounds=(0.0, 1.0), convention="art")
    np.testing.assert_array_equal(tr.final, _literal_art_pgd(_loss(), x0, 0.1, 0.04, 8, norm))


def _literal_torchattacks_pgd(loss, x0, eps, alpha, steps, norm):
    """NumPy transcription of torchattacks 3.5.1 PGD / PGDL2 forward (no random start, range [0, 1])."""
    adv = x0.copy()
    for _ in range(steps):
        g = loss.grad(adv)
        if norm == math.inf:
            adv = adv + alpha * np.sign(g)
            delta = np.clip(adv - x0, -eps, eps)
        else:
            g = g / (np.sqrt(np.sum(g * g, axis=-1, keepdims=True)) + 1e-10)
            adv = adv + alpha * g
            delta = adv - x0
            dn = np.sqrt(np.sum(delta * delta, axis=-1, keepdims=True))
            with np.errstate(divide="ignore"):
                delta = delta * np.minimum(eps / dn, 1.0)
        adv = np.clip(x0 + delta, 0, 1)
    return adv


def _literal_foolbox_pgd(loss, x0, eps, stepsize, steps, norm):
    """NumPy transcription of foolbox 3.3.4 BaseGradientDescent.run (Misclassification, no random start)."""
    x = x0
    for _ in range(steps):
        g = loss.grad(x)
        if norm == math.inf:
            g = np.sign(g)
        else:
            n = np.maximum(np.sqrt(np.sum(g * g, axis=-1, keepdims=True)), 1e-12)
            g = g * (1 / n)
        x = x + 1.0 * (stepsize * g)
        if norm == math.inf:
            x = x0 + np.clip(x - x0, -eps, eps)
        else:
            v = x - x0
            n = np.maximum(np.sqrt(np.sum(v * v, axis=-1, keepdims=True)), 1e-12)
            x = x0 + v * np.minimum(1, eps / n)
        x = np.clip(x, 0, 1)
    return x


@pytest.mark.parametrize("norm", [math.inf, 2])
def test_torchattacks_and_foolbox_pgd_float32(norm):
    rng = np.random.default_rng(2)
    x0 = rng.uniform(0, 1, size=(64, 3)).astype(np.float32)
    ta = pgd(_loss(), x0, 0.1, 0.04, 8, norm=norm, bounds=(0.0, 1.0), convention="torchattacks")
    np.testing.assert_array_equal(ta.final, _literal_torchattacks_pgd(_loss(), x0, 0.1, 0.04, 8, norm))
    fb = pgd(_loss(), x0, 0.1, 0.04, 8, norm=norm, bounds=(0.0, 1.0), convention="foolbox")
    np.testing.assert_array_equal(fb.final, _literal_foolbox_pgd(_loss(), x0, 0.1, 0.04, 8, norm))
    assert ta.final.dtype == fb.final.dtype == np.float32


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
    vals = {c: float(loss.value(x)[0]) for c, x in finals.items()}
    assert vals["maxslope"] >= max(vals.values()) - 1e-12


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
