"""The digits example: data, classifier, the exact max-affine inner solver, the study and the command."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="the digits example needs scikit-learn")

from maxslope import Lp, Negated  # noqa: E402
from maxslope.cli import main  # noqa: E402
from maxslope.experiments.digits import (  # noqa: E402
    MarginLoss,
    MaxAffineInner,
    digits_study,
    distributional_comparison,
    load_digits_split,
    train_linear_classifier,
)
from maxslope.spaces import Box  # noqa: E402


@pytest.fixture(scope="module")
def data():
    Xtr, ytr, Xte, yte = load_digits_split(seed=0)
    return train_linear_classifier(Xtr, ytr), Xte, yte


def test_split_and_accuracy(data) -> None:
    clf, Xte, yte = data
    assert Xte.shape == (539, 64) and Xte.min() >= 0 and Xte.max() <= 1
    assert clf.accuracy(Xte, yte) > 0.93


def test_margin_gradient_is_the_active_piece(data) -> None:
    clf, Xte, yte = data
    f = MarginLoss(clf, int(yte[0]))
    x = Xte[:1]
    h = 1e-6
    e = np.zeros(64)
    e[5] = h
    fd = (f.value(x + e) - f.value(x - e)) / (2 * h)
    assert abs(float(fd[0]) - float(f.grad(x)[0, 5])) < 1e-6


def test_max_affine_inner_is_global(data) -> None:
    """Against brute force over every vertex of a 6-D sub-box (the other coordinates fixed)."""
    clf, Xte, yte = data
    f = MarginLoss(clf, int(yte[3]))
    xk = Xte[3:4]
    r = 0.05
    got = MaxAffineInner()(Negated(f), Lp(math.inf), xk, r, Box(xk, 0.08))
    assert np.all(np.abs(got - xk) <= r + 1e-15)
    # the step's value equals the closed-form maximum max_j (a_j.x + c_j + r|a_j|_1) (the budget box is wider)
    best = float(np.max(f.A @ xk[0] + f.c + r * np.abs(f.A).sum(1)))
    assert abs(float(f.value(got)[0]) - best) < 1e-12
    # a wrong (local) rule, the vertex of the currently active piece only, is not always global: negative control
    worse = 0
    for n in range(40):
        g = MarginLoss(clf, int(yte[n]))
        x = Xte[n:n + 1]
        local = x + 0.1 * np.sign(g.grad(x))
        glob = MaxAffineInner()(Negated(g), Lp(math.inf), x, 0.1, None)
        assert float(g.value(glob)[0]) >= float(g.value(local)[0]) - 1e-12
        worse += float(g.value(glob)[0]) > float(g.value(local)[0]) + 1e-9
    assert worse > 0
    with pytest.raises(TypeError, match="MaxAffineInner"):
        MaxAffineInner()(f, Lp(math.inf), xk, r, None)
    with pytest.raises(ValueError, match="Lp.inf."):
        MaxAffineInner()(Negated(f), Lp(2), xk, r, None)


def test_study_coincides_for_small_tau(data) -> None:
    clf, Xte, yte = data
    s = digits_study(clf, Xte[:50], yte[:50], n_taus=7, eps=0.1)
    assert s.sup_linf[0] > 0 and s.sup_linf[-1] == 0.0 and s.coincide_from() is not None
    assert all(b <= a for a, b in zip(s.sup_linf[:-1], s.sup_linf[1:], strict=True))


def test_distributional_adversary_equals_per_image_max(data) -> None:
    clf, Xte, yte = data
    d = distributional_comparison(clf, Xte[:100], yte[:100], eps=0.1)
    assert abs(d["distributional"] - d["per_image_max"]) < 1e-9
    assert d["clean"] < d["batch_ifgsm"] <= d["distributional"] + 1e-12


def test_command(capsys: pytest.CaptureFixture) -> None:
    assert main(["experiment", "digits", "--taus", "2", "--samples", "5"]) == 0
    out = capsys.readouterr().out
    assert "| 0.1 | 2 |" in out and "distributional adversary" in out
    with pytest.raises(SystemExit) as exc:  # a usage error: argparse exits with status 2
        main(["experiment", "digits", "--samples", "0"])
    assert exc.value.code == 2


def test_bad_input(data) -> None:
    clf, Xte, yte = data
    with pytest.raises(TypeError, match="'test_fraction'"):
        load_digits_split(test_fraction="x")
    with pytest.raises(ValueError, match="'test_fraction'"):
        load_digits_split(test_fraction=1.5)
    with pytest.raises(ValueError, match="'X'"):
        train_linear_classifier(np.full((3, 64), np.nan), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="'y'"):
        train_linear_classifier(np.zeros((3, 64)), np.array([0, 1]))
    with pytest.raises(ValueError, match="'y'"):
        MarginLoss(clf, 12)
    with pytest.raises(TypeError, match="'clf'"):
        MarginLoss("clf", 1)
    with pytest.raises(ValueError, match="'y'"):
        digits_study(clf, Xte[:3], yte[:2])
    with pytest.raises(ValueError, match="'eps'"):
        distributional_comparison(clf, Xte[:3], yte[:3], eps=-1)
    with pytest.raises(ValueError, match="'ifgsm_steps'"):
        distributional_comparison(clf, Xte[:3], yte[:3], ifgsm_steps=0)
