"""The fast exact cut: the certified band and the pseudoflow backend return exactly today's full-graph PyMaxflow sets.

The reference everywhere is the full graph of one arc per ball cell solved by PyMaxflow (``_band.MIN_CELLS`` huge,
backend ``"bk"``, gadget ``"direct"``): the step's graph before the band. The band's certificate is tested on its
own: whenever it certifies a set, the exact growth problem (every superset, solved as a min cut) must agree, and
with the certificate switched off the band must go wrong somewhere.

Float ties. The relabeled fidelity has flat regions where c = f m − a⁰ + a¹ is 0 up to its rounding, and there
two sets can have energies that differ by a few ulps. The max-flow codes compare float residuals with 0, so there
the reference itself returns either set (the exact sums show it returning a set of higher energy than the band's
in some cases). For that fidelity a different set is accepted when its exact energy (math.fsum of the terms) is
within 1e-12 of the sum of the terms' magnitudes from the reference's; for the idealized fidelity the sets must be
identical.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from maxslope.perimeter import Grid, _band, _graph, ball_offsets, perimeter_step, signed_distance, step_problem

pytest.importorskip("maxflow")
needs_numba = pytest.mark.skipif(not _band.HAVE_NUMBA, reason="the band's certificate needs numba")
BACKENDS = ["bk", pytest.param("hpf", marks=pytest.mark.skipif(not _graph.have_hpf(), reason="pseudoflow is not installed"))]


def _blobs(G: Grid, rng: np.random.Generator) -> np.ndarray:
    """A union of 1 to 3 random discs (balls), never empty or full."""
    A = np.zeros(G.shape, dtype=bool)
    for _ in range(int(rng.integers(1, 4))):
        c, r = rng.uniform(-0.25, 0.25, G.d), rng.uniform(0.08, 0.3)
        A |= G.indicator(lambda x, c=c, r=r: ((x - c) ** 2).sum(-1) <= r * r)
    A.flat[0] = False
    A.flat[G.size // 2] = True
    return A


def _reference(A: np.ndarray, tau: float, eps: float, G: Grid, monkeypatch: pytest.MonkeyPatch, **kw: object) -> np.ndarray:
    with monkeypatch.context() as m:
        m.setattr(_band, "MIN_CELLS", 10**12)
        m.setattr(_graph, "BACKEND", "bk")
        m.setattr(_band, "GADGET", "direct")
        return perimeter_step(A, tau, eps, G, **kw).A  # type: ignore[arg-type]


def _energy_gap(got: np.ndarray, want: np.ndarray, A: np.ndarray, tau: float, eps: float, G: Grid, **kw: object) -> tuple[float, float]:
    """E(got) − E(want), exactly rounded, and the sum of the magnitudes of E(want)'s terms (the max-cut orientation)."""
    f, m0, m1, _ = step_problem(A, tau, eps, G, **kw)  # type: ignore[arg-type]
    a0, a1 = m0.ravel() / eps, m1.ravel() / eps
    c = (f * G.mass).ravel() - a0 + a1
    zf, vf = np.zeros(G.size, dtype=bool), G.truncated(eps).ravel()
    offs = ball_offsets(eps, G.h, G.d)
    tg = _band._energy_terms(got.ravel(), c, a0, a1, zf, vf, tuple(G.shape), offs)
    tw = _band._energy_terms(want.ravel(), c, a0, a1, zf, vf, tuple(G.shape), offs)
    return math.fsum(np.concatenate([tg, -tw]).tolist()), math.fsum(np.abs(tw).tolist())


def _assert_same(got: np.ndarray, want: np.ndarray, A: np.ndarray, tau: float, eps: float, G: Grid, msg: str = "",
                 **kw: object) -> bool:
    """The same set, or (relabeled fidelity only) a float tie (module docstring); True when identical."""
    if np.array_equal(got, want):
        return True
    gap, scale = _energy_gap(got, want, A, tau, eps, G, **kw)
    assert kw.get("fidelity") == "relabeled" and abs(gap) <= 1e-12 * scale, (
        f"{msg}: {int((got ^ want).sum())} cells differ, energy gap {gap:.3g} of {scale:.3g}")
    return False


def _cases() -> list[tuple]:
    out = []
    for k, (shape, variant, fidelity, sel) in enumerate([
        ((40, 40), "S", "idealized", "min"), ((40, 40), "S", "idealized", "max"), ((40, 40), "O", "idealized", "min"),
        ((40, 40), "F", "idealized", "max"), ((36, 44), "S", "relabeled", "min"), ((36, 44), "S", "relabeled", "max"),
        ((10, 12, 11), "S", "idealized", "min"), ((10, 12, 11), "F", "idealized", "max"), ((400,), "S", "idealized", "max"),
    ]):
        out.append(pytest.param(shape, variant, fidelity, sel, k, id=f"{'x'.join(map(str, shape))}-{variant}-{fidelity}-{sel}"))
    return out


@needs_numba
@pytest.mark.parametrize("gadget", ["rows", "direct"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("shape", "variant", "fidelity", "selection", "seed"), _cases())
def test_band_returns_the_full_graph_sets(shape: tuple, variant: str, fidelity: str, selection: str, seed: int, backend: str,
                                          gadget: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random unions of discs, time steps from 1e-4 to 3e-3 (and one of 2e-2, where the band gives way to the full graph), ε from h to 3h, a wavy density on half the cases: the
    band path (forced on these small grids) returns exactly the reference set, and it is taken in most cases."""
    rng = np.random.default_rng(100 + seed)
    used = []
    orig = _band._solve_band
    monkeypatch.setattr(_band, "_solve_band", lambda *a: used.append(1) or orig(*a))
    monkeypatch.setattr(_band, "MIN_CELLS", 0)
    monkeypatch.setattr(_graph, "BACKEND", backend)
    monkeypatch.setattr(_band, "GADGET", gadget)
    tried = same = 0
    for trial in range(6):
        h = 1.0 / max(shape)
        density = (lambda x: 1 + 0.5 * np.sin(3 * x[..., 0])) if trial % 2 else None
        G = Grid(shape, h, density=density)
        A = _blobs(G, rng)
        tau = float(10 ** rng.uniform(-4, -2.5)) if trial < 5 else 2e-2  # the last one: too wide a band, the full graph
        eps = float(rng.choice([1.0, 2.0, 3.0])) * h
        got = perimeter_step(A, tau, eps, G, variant=variant, fidelity=fidelity, selection=selection).A
        want = _reference(A, tau, eps, G, monkeypatch, variant=variant, fidelity=fidelity, selection=selection)
        same += _assert_same(got, want, A, tau, eps, G, f"trial {trial}: tau={tau:g} eps/h={eps / h:g}", variant=variant,
                             fidelity=fidelity)
        tried += 1
    assert len(used) >= tried // 2, f"the band was taken in {len(used)} of {tried} steps: the test would not see it"
    assert same >= tried - 2, f"only {same} of {tried} sets identical: more float ties than this fidelity has"


@pytest.mark.parametrize("backend", BACKENDS)
def test_backends_agree_on_the_full_graph(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both max-flow codes, both selections, 2-D and 3-D: the same sets as PyMaxflow on the full graph."""
    rng = np.random.default_rng(5)
    monkeypatch.setattr(_band, "MIN_CELLS", 10**12)
    for shape in ((48, 48), (14, 14, 14)):
        G = Grid(shape, 1.0 / max(shape))
        A = _blobs(G, rng)
        for sel in ("min", "max"):
            monkeypatch.setattr(_graph, "BACKEND", backend)
            got = perimeter_step(A, 3e-3, 2.5 / max(shape), G, selection=sel).A
            np.testing.assert_array_equal(got, _reference(A, 3e-3, 2.5 / max(shape), G, monkeypatch, selection=sel))


@needs_numba
@pytest.mark.parametrize("selection", ["min", "max"])
def test_repaired_and_narrowed_barriers_return_the_full_graph_sets(selection: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Level sets that fail their certificate are repaired (the dents the greedy cannot pay for are added) and wide
    bands are narrowed; forced here on small grids (search from 0.05 of the perimeter scale, every band narrowed):
    repaired sets are certified and taken, and the sets are exactly the full graph's."""
    monkeypatch.setattr(_band, "MIN_CELLS", 0)
    monkeypatch.setattr(_band, "START", 0.05)
    monkeypatch.setattr(_band, "REFINE_CELLS", 0)
    repaired = []
    real = _band.growth_certified

    def spy(c, a0, a1, zf, vf, inU, phi, *a, **k):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        ok = real(c, a0, a1, zf, vf, inU, phi, *a, **k)
        if ok and inU.any():  # a level set {phi < θ} holds every cell up to its top; a repaired one does not
            repaired.append(bool(((phi <= phi[inU].max()) & ~inU).any()))
        return ok

    monkeypatch.setattr(_band, "growth_certified", spy)
    rng = np.random.default_rng(21)
    for _ in range(5):
        G = Grid((48, 48), 1 / 48)
        A = _blobs(G, rng)
        tau = float(10 ** rng.uniform(-3.3, -2.5))
        got = perimeter_step(A, tau, 3 / 48, G, selection=selection).A
        np.testing.assert_array_equal(got, _reference(A, tau, 3 / 48, G, monkeypatch, selection=selection))
    assert any(repaired), "no repaired set was certified: the test would not see the repairs"


LINES = [(30, 30), (20, 27), (8, 9, 10), (50,), (1, 40), (40, 1), (6, 1, 7)]  # with lines of one cell on every axis


@needs_numba
@pytest.mark.parametrize("shape", LINES, ids=lambda s: "x".join(map(str, s)))
def test_row_gadget_returns_the_direct_graph_sets(shape: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full graph with shared row maxima against one arc per ball cell, ε from h to 4.5h (rows of half-width 0
    to 4, the top level built from two lower ones), both selections, both fidelities, a wavy density on half."""
    rng = np.random.default_rng(sum(shape))
    monkeypatch.setattr(_band, "MIN_CELLS", 10**12)
    monkeypatch.setattr(_band, "GADGET", "rows")
    h = 1.0 / max(shape)
    for trial, eps_h in enumerate((1.0, 1.5, 2.0, 3.0, 4.5)):
        G = Grid(shape, h, density=(lambda x: 1 + 0.5 * np.sin(3 * x[..., 0])) if trial % 2 else None)
        A = _blobs(G, rng)
        tau = float(10 ** rng.uniform(-4, -2))
        for sel in ("min", "max"):
            for kw in ({"variant": "F"}, {"fidelity": "relabeled"}):
                got = perimeter_step(A, tau, eps_h * h, G, selection=sel, **kw).A  # type: ignore[arg-type]
                want = _reference(A, tau, eps_h * h, G, monkeypatch, selection=sel, **kw)
                _assert_same(got, want, A, tau, eps_h * h, G, f"eps={eps_h}h {sel} {kw}", **kw)


def test_row_stencil_and_its_negative_control(monkeypatch: pytest.MonkeyPatch) -> None:
    """Digital balls split into symmetric rows; a stencil with a hole in a row is refused (the direct graph is used);
    and with the centre row's half-width cut by one the row graph returns wrong sets (the comparison above can fail)."""
    pre, wid = _band.row_stencil(ball_offsets(3.0, 1.0, 2))  # type: ignore[misc]
    assert wid.tolist() == [0, 2, 2, 3, 2, 2, 0] and pre[:, 1].tolist() == [-3, -2, -1, 0, 1, 2, 3]
    holed = np.array([[0, -2], [0, 2], [0, 0]])
    assert _band.row_stencil(holed) is None
    if not _band.HAVE_NUMBA:
        return
    real = _band.row_stencil

    def narrow(offs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        out = real(offs)
        assert out is not None
        p, w = out
        w = w.copy()
        w[np.argmax(w)] -= 1
        return p, w

    monkeypatch.setattr(_band, "row_stencil", narrow)
    monkeypatch.setattr(_band, "MIN_CELLS", 10**12)
    monkeypatch.setattr(_band, "GADGET", "rows")
    rng = np.random.default_rng(11)
    wrong = 0
    for _ in range(4):
        G = Grid((32, 32), 1 / 32)
        A = _blobs(G, rng)
        wrong += int(not np.array_equal(perimeter_step(A, 2e-3, 3 / 32, G).A, _reference(A, 2e-3, 3 / 32, G, monkeypatch)))
    assert wrong >= 1


def _exact_growth_extra(c: np.ndarray, a0: np.ndarray, a1: np.ndarray, vforced: np.ndarray, U: np.ndarray, G: Grid, eps: float) -> int:
    """How many cells outside U the maximal minimizer of E over the supersets of U adds (0: U strictly growth-optimal).

    Built here from the grid's stencil pairs, independently of the band code."""
    n = G.size
    i, j = G.pairs(eps)
    inf = float(np.abs(c).sum() + a0.sum() + a1.sum()) * 4 + 1
    u, z, v = np.arange(n), n + np.arange(n), 2 * n + np.arange(n)
    s_cap, t_cap = np.zeros(3 * n), np.zeros(3 * n)
    s_cap[u] = np.maximum(-c, 0) + np.where(U, inf, 0)
    t_cap[u] = np.maximum(c, 0)
    t_cap[z] = a0
    s_cap[v] = a1
    t_cap[v] = np.where(vforced, inf, 0)
    side = _graph.maximal_source_side(3 * n, np.concatenate([u[j], v[i]]), np.concatenate([z[i], u[j]]), np.full(2 * len(i), inf),
                                      s_cap, t_cap, backend="bk")
    return int((side[u] & ~U).sum())


@needs_numba
def test_growth_certificate_is_sound_and_rejects_non_optimal_sets() -> None:
    """Level sets {sd < w} of random problems: every certified set is strictly growth-optimal by the exact min cut,
    and sets that the exact cut shows can grow (digital bumps, w too small) occur and are all rejected."""
    rng = np.random.default_rng(7)
    certified = rejected_bad = 0
    for _ in range(12):
        G = Grid((32, 32), 1 / 32)
        A = _blobs(G, rng)
        tau, eps = float(10 ** rng.uniform(-3.5, -1.8)), float(rng.choice([1.0, 2.0, 3.0])) / 32
        f, m0, m1, sd = step_problem(A, tau, eps, G, variant=str(rng.choice(["S", "O", "F"])))
        a0, a1 = m0.ravel() / eps, m1.ravel() / eps
        c = (f * G.mass).ravel() - a0 + a1
        edge, none = G.truncated(eps).ravel(), np.zeros(G.size, bool)
        for w in (0.5, 1.5, 3, 6):
            U = sd.ravel() < w / 32
            ok = _band.growth_certified(c, a0, a1, none, edge, U, f.ravel(), G.shape, ball_offsets(eps, G.h, 2))
            extra = _exact_growth_extra(c, a0, a1, edge, U, G, eps)
            if ok:
                assert extra == 0, f"certified a set that grows by {extra} cells"
                certified += 1
            elif extra > 0:
                rejected_bad += 1
    assert certified >= 10 and rejected_bad >= 5, (certified, rejected_bad)


@needs_numba
def test_band_goes_wrong_without_its_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: with the certificate replaced by 'always certified', the band's thresholds stop at the
    first, too narrow, band, and some step returns a different set from the full graph."""
    monkeypatch.setattr(_band, "MIN_CELLS", 0)
    monkeypatch.setattr(_band, "growth_certified", lambda *a: True)
    rng = np.random.default_rng(3)
    wrong = 0
    for _ in range(6):
        G = Grid((40, 40), 1 / 40)
        A = _blobs(G, rng)
        got = perimeter_step(A, 2e-2, 3 / 40, G).A
        wrong += int(not np.array_equal(got, _reference(A, 2e-2, 3 / 40, G, monkeypatch)))
    assert wrong >= 1


def test_backend_choice_and_memory_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """'auto' falls back to PyMaxflow where the graph would not fit; an unknown backend is refused by name."""
    assert _graph.backend_for(10**13, "auto") == "bk"
    assert _graph.backend_for(10, "bk") == "bk"
    if _graph.have_hpf():
        assert _graph.backend_for(10, "auto") == "hpf"
        with pytest.raises(MemoryError, match="GiB"):
            _graph.backend_for(10**13, "hpf")
    with pytest.raises(ValueError, match="backend"):
        _graph.backend_for(10, "dinic")


def test_signed_distance_of_the_blobs_is_finite() -> None:
    """The blobs are never empty or full, so the steps above have finite fidelities (a guard on the test data)."""
    rng = np.random.default_rng(0)
    G = Grid((20, 20), 0.05)
    assert np.isfinite(signed_distance(_blobs(G, rng), G)).all()
