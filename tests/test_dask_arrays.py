"""Batched schemes on Dask arrays, run on a LocalCluster of 2 worker processes: equal to NumPy bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="Dask is not installed (pip install 'maxslope[dask]')")
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install 'maxslope[dask]')")

import dask  # noqa: E402

import maxslope as ms  # noqa: E402
from maxslope.attacks import fgsm, ifgsm, pgd  # noqa: E402
from maxslope.schemes import minimizing_movement, steepest_descent  # noqa: E402
from maxslope.wasserstein import (  # noqa: E402
    ChunkedEmpirical,
    Empirical,
    InteractionEnergy,
    Wasserstein,
    distributional_adversary,
)

LINF, L2, L1 = ms.Lp(math.inf), ms.Lp(2.0), ms.Lp(1.0)


@pytest.fixture(scope="module")
def client():  # noqa: ANN201
    from maxslope._dask import local_cluster

    cluster = local_cluster(2, host="127.0.0.1")
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _data(n: int = 600, d: int = 3, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.2, 0.8, size=(n, d))


def _same(tr_dask, tr_np) -> None:  # noqa: ANN001
    assert type(tr_dask.points).__module__.startswith("dask"), "the result must stay Dask-backed"
    P, E = dask.compute(tr_dask.points, tr_dask.energies)
    np.testing.assert_array_equal(P, np.asarray(tr_np.points))
    np.testing.assert_array_equal(E, np.asarray(tr_np.energies))
    np.testing.assert_array_equal(tr_dask.times, tr_np.times)


def test_steepest_descent_and_mms_equal_numpy_bit_for_bit(client) -> None:  # noqa: ANN001
    X = _data()
    D = da.from_array(X, chunks=(97, 3))  # uneven chunks on purpose
    E = ms.SeparableQuadratic(np.array([1.0, 3.0, 0.5]))
    for space in (LINF, L2, L1):
        _same(steepest_descent(E, space, D, 0.01, steps=30, record_every=7), steepest_descent(E, space, X, 0.01, steps=30, record_every=7))
    box = ms.Box(np.full(3, 0.5), 0.35)  # one box shared by the batch
    _same(steepest_descent(E, LINF, D, 0.02, steps=20, constraint=box), steepest_descent(E, LINF, X, 0.02, steps=20, constraint=box))
    for space, p in ((LINF, math.inf), (L2, math.inf), (L2, 2.0)):
        _same(minimizing_movement(E, space, D, 0.05, steps=6, p=p), minimizing_movement(E, space, X, 0.05, steps=6, p=p))
    # negative control of the comparison: one start moved by one ulp changes the result, and _same notices
    Y = X.copy()
    Y[5, 1] = np.nextafter(Y[5, 1], 1.0)
    with pytest.raises(AssertionError):
        _same(steepest_descent(E, L2, da.from_array(Y, chunks=(97, 3)), 0.01, steps=30), steepest_descent(E, L2, X, 0.01, steps=30))


def test_attack_presets_equal_numpy_bit_for_bit(client) -> None:  # noqa: ANN001
    X = _data(500, 4, 1)
    D = da.from_array(X, chunks=(128, 4))
    L = ms.SeparableQuadratic(np.array([1.0, 3.0, 0.5, 2.0]))
    for conv in ("maxslope", "torchattacks", "foolbox", "art"):
        out = fgsm(L, D, 0.1, bounds=(0.0, 1.0), convention=conv)
        assert type(out).__module__.startswith("dask")
        np.testing.assert_array_equal(out.compute(), fgsm(L, X, 0.1, bounds=(0.0, 1.0), convention=conv))
        _same(ifgsm(L, D, 0.1, 0.02, 15, bounds=(0.0, 1.0), convention=conv), ifgsm(L, X, 0.1, 0.02, 15, bounds=(0.0, 1.0), convention=conv))
    for norm in (math.inf, 2, 1):
        _same(pgd(L, D, 0.2, 0.05, 10, norm=norm, bounds=(0.0, 1.0)), pgd(L, X, 0.2, 0.05, 10, norm=norm, bounds=(0.0, 1.0)))
    # a random start continues one PCG64 stream across the chunks: the same start as in memory
    _same(pgd(L, D, 0.1, 0.02, 10, random_start=True, seed=7), pgd(L, X, 0.1, 0.02, 10, random_start=True, seed=7))
    different = pgd(L, D, 0.1, 0.02, 10, random_start=True, seed=8)
    assert not np.array_equal(different.points.compute(), pgd(L, X, 0.1, 0.02, 10, random_start=True, seed=7).points)


def test_measure_schemes_and_adversary_equal_numpy_bit_for_bit(client) -> None:  # noqa: ANN001
    rng = np.random.default_rng(2)
    X = rng.normal(size=(700, 2))
    w = rng.random(700)
    w /= w.sum()
    V = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    mu, cm = Empirical(X, w), ChunkedEmpirical(da.from_array(X, chunks=(150, 2)), w)
    for W in (Wasserstein(math.inf, LINF), Wasserstein(2.0, L2), Wasserstein(math.inf, L2)):
        tr = minimizing_movement(V, W, cm, 0.05, steps=4, p=W.p)
        assert tr.is_measure_curve and "W3" in tr.meta["inner_guarantee"]
        _same(tr, minimizing_movement(V, W, mu, 0.05, steps=4, p=W.p))
    W = Wasserstein(math.inf, LINF)
    for sel in (None, 0.5):
        _same(steepest_descent(V, W, cm, 0.05, steps=5, selection=sel), steepest_descent(V, W, mu, 0.05, steps=5, selection=sel))
    node = steepest_descent(V, W, cm, 0.05, steps=2).node(2)
    np.testing.assert_array_equal(node.points, steepest_descent(V, W, mu, 0.05, steps=2).node(2).points)
    labels = rng.integers(0, 2, 700)
    losses = [V, ms.Linear(np.array([1.0, -1.0]))]
    value, nu = distributional_adversary(losses, cm, 0.1, labels=da.from_array(labels, chunks=90))
    ref_value, ref_nu = distributional_adversary(losses, mu, 0.1, labels=labels)
    value, pts = dask.compute(value, nu.points)
    assert float(value) == ref_value
    np.testing.assert_array_equal(pts, ref_nu.points)
    assert cm.integrate(V.value) == mu.integrate(V.value)
    np.testing.assert_array_equal(cm.compute().weights, mu.weights)


def test_what_does_not_split_raises_and_says_why() -> None:
    X = _data(40, 2)
    E = ms.SeparableQuadratic(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="coordinate axis"):
        steepest_descent(E, LINF, da.from_array(X, chunks=(10, 1)), 0.1, steps=1)
    with pytest.raises(ValueError, match="coordinate axis"):
        fgsm(E, da.from_array(X, chunks=(10, 1)), 0.1)
    cm = ChunkedEmpirical(da.from_array(X, chunks=(10, 2)))
    with pytest.raises(ValueError, match="couples the atoms"):
        minimizing_movement(InteractionEnergy(E), Wasserstein(2.0, L2), cm, 0.1, steps=1, p=2.0, inner="particle")
    with pytest.raises(ValueError, match="sum over"):
        steepest_descent(E, Wasserstein(2.0, L2), cm, 0.1, steps=1)
    with pytest.raises(ValueError, match="per-particle"):
        steepest_descent(E, Wasserstein(math.inf, LINF), cm, 0.1, steps=1, selection=[0.0] * 40)
    with pytest.raises(ValueError, match="random starts"):
        minimizing_movement(E, LINF, da.from_array(X, chunks=(10, 2)), 0.1, steps=1, inner="multistart")
    with pytest.raises(ValueError, match="norm=inf"):
        pgd(E, da.from_array(X, chunks=(10, 2)), 0.1, 0.02, 2, norm=2, random_start=True)
    with pytest.raises(ValueError, match="centre per point"):
        steepest_descent(E, LINF, da.from_array(X, chunks=(10, 2)), 0.1, steps=1, constraint=ms.Box(X, 0.2))
    with pytest.raises(ValueError, match="tau"):  # scalar arguments are checked at the call, not at compute
        steepest_descent(E, LINF, da.from_array(X, chunks=(10, 2)), -0.1, steps=1)


def test_chunked_input_is_validated() -> None:
    X = _data(40, 2)
    D = da.from_array(X, chunks=(10, 2))
    with pytest.raises(TypeError, match="points"):
        ChunkedEmpirical(X)
    with pytest.raises(ValueError, match="sum to 1"):
        ChunkedEmpirical(D, np.full(40, 0.03))
    with pytest.raises(ValueError, match="non-negative"):
        ChunkedEmpirical(D, np.r_[np.full(39, 1 / 38), -1 / 38])
    with pytest.raises(ValueError, match="non-finite"):
        ChunkedEmpirical(D, np.r_[np.full(39, 1 / 39), np.nan])
    with pytest.raises(ValueError, match="shape"):
        ChunkedEmpirical(D, np.full(41, 1 / 41))
    with pytest.raises(TypeError, match="weights"):
        ChunkedEmpirical(D, np.full(40, "a"))
    bad = X.copy()
    bad[33, 0] = np.nan  # a NaN in the last chunk: found by the task that reads it
    tr = steepest_descent(ms.SeparableQuadratic(np.ones(2)), LINF, da.from_array(bad, chunks=(10, 2)), 0.1, steps=2)
    with pytest.raises(ValueError, match="x0"):
        tr.points.compute()
    tr = minimizing_movement(ms.SeparableQuadratic(np.ones(2)), Wasserstein(math.inf, LINF),
                             ChunkedEmpirical(da.from_array(bad, chunks=(10, 2))), 0.1, steps=1)
    with pytest.raises(ValueError, match="non-finite"):
        tr.points.compute()
    before = X.copy()
    steepest_descent(ms.SeparableQuadratic(np.ones(2)), LINF, D, 0.1, steps=2).points.compute()
    np.testing.assert_array_equal(X, before)


def test_chunked_docstring_example_runs() -> None:
    import doctest

    import maxslope.wasserstein.chunked as mod

    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 3 and res.failed == 0
