"""Energies: values, gradients against finite differences, Lipschitz constants, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.spaces import Lp


def _fd_grad(E, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.shape[-1]):
        e = np.zeros(x.shape[-1])
        e[i] = h
        g[..., i] = (E.value(x + e) - E.value(x - e)) / (2 * h)
    return g


def _energies():
    A = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])
    return [
        ms.Linear(np.array([1.0, -2.0, 0.5]), c=0.3),
        ms.Quadratic(A, np.array([0.1, -0.2, 0.3]), 1.0),
        ms.SeparableQuadratic(np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.0, -0.1])),
        ms.Negated(ms.Quadratic(A)),
        ms.MonotoneTransform(np.exp, np.exp, ms.SeparableQuadratic(np.array([1.0, 2.0, 3.0]))),
        ms.Sum(ms.Linear(np.array([1.0, 0.0, 0.0])), ms.SeparableQuadratic(np.ones(3))),
    ]


@pytest.mark.parametrize("E", _energies(), ids=lambda e: type(e).__name__)
def test_gradient_matches_finite_differences(E):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3))
    np.testing.assert_allclose(E.grad(x), _fd_grad(E, x), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("E", _energies(), ids=lambda e: type(e).__name__)
def test_backends_agree(E, xp):
    from maxslope._backend import namespace

    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 3))
    # rebuild the energy's parameters in the tested library
    E2 = _rebuild(E, xp)
    np.testing.assert_allclose(xp.np(E2.value(xp.asarray(x))), E.value(x), rtol=1e-14)
    np.testing.assert_allclose(xp.np(E2.grad(xp.asarray(x))), E.grad(x), rtol=1e-14, atol=1e-15)
    assert namespace(g=E2.grad(xp.asarray(x))) is namespace(x=xp.asarray(x))


def _rebuild(E, xp):
    if isinstance(E, ms.Linear):
        return ms.Linear(xp.asarray(E.a), E.c)
    if isinstance(E, ms.Quadratic):
        return ms.Quadratic(xp.asarray(E.A), None if E.b is None else xp.asarray(E.b), E.c)
    if isinstance(E, ms.SeparableQuadratic):
        c = E.center if isinstance(E.center, float) else xp.asarray(E.center)
        return ms.SeparableQuadratic(xp.asarray(E.lam), c)
    if isinstance(E, ms.Negated):
        return ms.Negated(_rebuild(E.inner, xp))
    if isinstance(E, ms.MonotoneTransform):
        return ms.MonotoneTransform(xp.xp.exp, xp.xp.exp, _rebuild(E.inner, xp))
    if isinstance(E, ms.Sum):
        return ms.Sum(*[_rebuild(e, xp) for e in E.parts])
    raise AssertionError(E)


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, math.inf])
def test_lipschitz_constants_are_sharp_upper_bounds(p):
    """sup ||grad E(x) - grad E(y)||_* / ||x - y|| over samples never exceeds L and comes close to it."""
    rng = np.random.default_rng(2)
    A = rng.normal(size=(4, 4))
    A = A + A.T
    L = Lp(p)
    for E in (ms.Quadratic(A), ms.SeparableQuadratic(np.array([1.0, 2.0, 0.5, 4.0]))):
        Lc = E.grad_lipschitz(L)
        if Lc is None:
            continue
        x, y = rng.normal(size=(20000, 4)), rng.normal(size=(20000, 4))
        if p == math.inf:  # vertices are where the sup is attained
            y = x + np.sign(rng.normal(size=(20000, 4)))
        ratio = L.dual_norm(E.grad(x) - E.grad(y)) / L.norm(x - y)
        assert ratio.max() <= Lc * (1 + 1e-12)
        if p in (1.0, 2.0, math.inf):
            assert ratio.max() >= 0.9 * Lc


def test_l1norm_minimal_norm_subgradient_and_slope():
    E = ms.L1Norm(3)
    x = np.array([0.5, 0.0, -2.0])
    np.testing.assert_array_equal(E.grad(x), [1.0, 0.0, -1.0])
    assert ms.slope(E, Lp(np.inf), x) == 2.0  # ||x||_0
    assert not E.smooth


def test_monotone_transform_keeps_gradient_signs():
    E = ms.Quadratic(np.array([[1.0, 0.3], [0.3, 2.0]]), np.array([0.2, -0.4]))
    F = ms.MonotoneTransform(np.arctan, lambda s: 1 / (1 + s**2), E)
    x = np.random.default_rng(3).normal(size=(100, 2))
    np.testing.assert_array_equal(np.sign(F.grad(x)), np.sign(E.grad(x)))
    bad = ms.MonotoneTransform(lambda s: -s, lambda s: -np.ones_like(s), E)
    with pytest.raises(ValueError, match="'dphi'"):
        bad.grad(x)


def test_nan_gradient_raises():
    E = ms.FromCallables(lambda x: np.sum(np.log(x), axis=-1), lambda x: 1 / x)
    with pytest.raises(ValueError, match="non-finite gradient"):
        with np.errstate(divide="ignore"):
            E.grad(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="'x'"):
        E.value(np.array([np.nan, 1.0]))


def test_bad_parameters():
    with pytest.raises(ValueError, match="symmetric"):
        ms.Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="'lam'"):
        ms.SeparableQuadratic(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="'a'"):
        ms.Linear(np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match="dimension"):
        ms.Linear(np.ones(2)).value(np.ones(3))
    with pytest.raises(TypeError, match="energy"):
        ms.Negated(3.0)
    with pytest.raises(ValueError, match="different dimensions"):
        ms.Sum(ms.Linear(np.ones(2)), ms.Linear(np.ones(3)))


def test_mixed_library_energy_raises():
    import array_api_strict as xs

    E = ms.Linear(np.ones(2))
    with pytest.raises(TypeError, match="Linear.a is a numpy array"):
        E.value(xs.zeros(2))


def test_torch_energy_matches_analytic_gradient():
    torch = pytest.importorskip("torch")
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    At = torch.tensor(A)
    E = ms.TorchEnergy(lambda x: 0.5 * ((x @ At) * x).sum(-1))
    x = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_allclose(E.grad(x), ms.Quadratic(A).grad(x), rtol=1e-14)
    xt = torch.tensor(x)
    assert isinstance(E.grad(xt), torch.Tensor)
