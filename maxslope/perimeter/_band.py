r"""The exact perimeter step on a band around the interface, with a certificate that the band holds the answer.

The step minimizes, over sets :math:`A` of grid cells,

.. math:: E(A) = \sum_i c_i A_i + \sum_i a^0_i D_i(A) - \sum_i a^1_i R_i(A),
   \qquad D_i(A) = \max_{N(i)} A, \quad R_i(A) = \min_{N(i)} A,

with :math:`a^0, a^1 \ge 0` (:math:`D_i \equiv 1` where the exterior is inside and the ball leaves the box,
:math:`R_i \equiv 0` where the exterior is outside). :math:`E` is submodular, so its minimizers form a lattice.

**Restriction lemma.** Let :math:`L \subseteq U`. If :math:`U` is *strictly growth-optimal*,
:math:`E(U \cup Y) > E(U)` for every non-empty :math:`Y \subseteq U^c`, then every minimizer :math:`M` lies in
:math:`U` (submodularity: :math:`E(M \cap U) \le E(M) + E(U) - E(M \cup U) < E(M)` otherwise). Symmetrically, if
:math:`L` is strictly shrink-optimal, every minimizer contains :math:`L`. Then the minimizers of :math:`E` over the
interval :math:`[L, U]` are exactly the global ones, and the maximal minimizer of the band problem (cells of
:math:`U \setminus L` free, the rest fixed) is the global maximal minimizer.

**Certificate of growth-optimality** (a dual bound, checked cell by cell). Let :math:`O = U^c`. Give each
erosion weight :math:`a^1_i` with :math:`N(i) \cap O \ne \emptyset` to one cell :math:`j(i) \in N(i) \cap O`
(:math:`\pi`), and split each *free* dilation weight :math:`a^0_k` (:math:`N(k) \subseteq O`, not forced) among
cells of :math:`N(k)` (:math:`\sigma_{kj} \ge 0`, :math:`\sum_j \sigma_{kj} \le a^0_k`). Then for every
:math:`Y \subseteq O`

.. math:: E(U \cup Y) - E(U) \ge \sum_{j \in Y} \bigl(c_j + S_j - P_j\bigr), \qquad
   S_j = \sum_k \sigma_{kj}, \quad P_j = \sum_{i : j(i) = j} a^1_i,

because an erosion term can switch on only if all of :math:`N(i) \cap O` joins, and a free dilation term switches
on as soon as one cell of :math:`N(k)` joins. So :math:`c_j + S_j - P_j > 0` on every cell of :math:`O` proves
strict growth-optimality. The shrink certificate of :math:`L` is the growth certificate of :math:`L^c` for the
complementary problem :math:`B \mapsto E(B^c)` (coefficients :math:`-c`, :math:`a^1`, :math:`a^0`, forced roles
swapped).

The split :math:`\sigma` is built greedily: cells of :math:`O` in increasing order of the proxy :math:`\varphi`
(the fidelity per unit mass, which grows with the distance from the interface), each taking what it lacks from the
free dilation weights of its ball in increasing order of :math:`\varphi` (earliest deadline first: the weight that
fewer later cells can use goes first). The greedy may fail where a certificate exists; then the band is widened,
and at the end the full graph is solved. So the band only ever changes the cost, never the answer. Floating-point
rounding is covered by margins: budgets are shrunk by :math:`10^{-10}` relative and each slack must exceed
:math:`10^{-8}` of its terms, far above the rounding error of the sums (at most a few hundred ulps).

Written by hand because no library provides it: the certificate is specific to this energy, and it must run in
time linear in the number of cells for the band to pay.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .._numba import HAVE_NUMBA
from .._numba import njit as _njit
from . import _graph

#: grids with fewer cells go straight to the full graph (the band does not pay there); tests lower it
MIN_CELLS = 16384
#: the band is abandoned for the full graph once it holds this fraction of the cells
MAX_FRACTION = 0.75
START, STEP, TRIES, REPAIRS = 0.2, 1.35, 7, 3  # the barrier search (see band_max_cut and _barrier)
#: bands wider than this are narrowed (with this many repairs per level set) before the cut (see _narrowest)
REFINE_CELLS, REFINE_REPAIRS, REFINE_LEVELS = 100_000, 10, 2
_BUDGET = 1.0 - 1e-10  # free dilation budgets are shrunk by this factor (covers the rounding of the takes)
_SLACK = 1e-8  # each certified slack must exceed this fraction of |c| + S + P (covers the rounding of the sums)


@_njit(cache=True, nogil=True)
def _growth_certificate(c, a0, a1, vforced, inU, rem0, sl0, phi, order, shape, offs, offs2, mid, bad, lin1, lin2, rad):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """The number of burdens of O = U^c's certificate that the greedy could not cover (0: certified).

    ``order``: the cells within ε of O (O and the erosion layer of U), by increasing phi. Each cell's burdens are
    covered from capacities of increasing phi (earliest deadline first): the erosion weight a1_i of a cell i with
    N(i) ∩ O ≠ ∅ from the fidelity slack c_j > 0 of a conduit j ∈ N(i) ∩ O or from a free dilation weight a0_k,
    k ∈ N(j), through such a conduit; a negative c_j (plus a strictness margin) from free a0_k, k ∈ N(j).
    ``rem0``: the free dilation budgets, ``sl0``: the fidelity slacks of O (both shrunk by _BUDGET); ``offs2``, ``mid``:
    the two-hop offsets and their conduits (:func:`_two_hops`); ``bad`` receives the cells left uncovered; ``lin1``,
    ``lin2``: the flat offsets of ``offs``, ``offs2``; ``rad``: the two-hop radius per axis."""
    n0, n1, n2 = shape[0], shape[1], shape[2]
    n = c.size
    K = offs.shape[0]
    rem = rem0.copy()  # free dilation budgets
    sl = sl0.copy()  # fidelity slacks of O
    cap = K + offs2.shape[0]
    cand = np.empty(cap, dtype=np.int64)  # site index; z sites as k, slack sites as n + j
    key = np.empty(cap)
    failed = 0
    for t in range(order.size):
        i = order[t]
        x, r = divmod(i, n1 * n2)
        y, w = divmod(r, n2)
        for part in range(2):
            if part == 0:  # the deficit of c_i itself (a cell of O): free z in N(i) only; strictness margin
                if inU[i] or c[i] > 0.0:
                    continue
                tiny = _SLACK * (abs(c[i]) + a0[i] + a1[i])
                goal = -c[i] + (tiny if tiny > 0.0 else 1e-300)
            else:  # the erosion weight of i
                if vforced[i] or not a1[i] > 0.0:
                    continue
                goal = a1[i] * (1.0 + _SLACK)
            if (sl[i] if part == 1 else 0.0) + rem[i] >= goal:
                # fast path: the cell's own fidelity slack, then its own dilation weight (the greedy may leave the
                # earliest-deadline order here; any split that covers the burdens is a valid certificate)
                take = min(sl[i], goal) if part == 1 else 0.0
                sl[i] -= take
                rest = goal - take
                if rest > 0.0:
                    rem[i] -= rest
                    if rem[i] < 0.0:
                        rem[i] = 0.0
                continue
            m = 0
            inner = rad[0] <= x < n0 - rad[0] and rad[1] <= y < n1 - rad[1] and rad[2] <= w < n2 - rad[2]
            for k1 in range(K):  # slack sites: conduits j ∈ N(i) ∩ O (part 1), or the deficit cell itself (part 0)
                if inner:  # two stencil radii from every face: flat offsets, no bounds to check
                    j = i + lin1[k1]
                else:
                    xj, yj, wj = x + offs[k1, 0], y + offs[k1, 1], w + offs[k1, 2]
                    if not (0 <= xj < n0 and 0 <= yj < n1 and 0 <= wj < n2):
                        continue
                    j = (xj * n1 + yj) * n2 + wj
                if part == 1:
                    if not inU[j] and sl[j] > 0.0:
                        cand[m] = n + j
                        key[m] = phi[j]
                        m += 1
                elif rem[j] > 0.0:  # part 0: a free z in N(i), the conduit is i itself
                    cand[m] = j
                    key[m] = phi[j]
                    m += 1
            if part == 1:  # free z two hops away: k = i + d, d ∈ N + N, through the conduit i + mid(d) ∈ N(i) ∩ N(k)
                for k2 in range(offs2.shape[0]):
                    if inner:
                        q = i + lin2[k2]
                        if rem[q] > 0.0:  # the conduit is in the box too
                            cand[m] = q
                            key[m] = phi[q]
                            m += 1
                        continue
                    xk, yk, wk = x + offs2[k2, 0], y + offs2[k2, 1], w + offs2[k2, 2]
                    if not (0 <= xk < n0 and 0 <= yk < n1 and 0 <= wk < n2):
                        continue
                    q = (xk * n1 + yk) * n2 + wk
                    if not rem[q] > 0.0:
                        continue
                    xj, yj, wj = x + mid[k2, 0], y + mid[k2, 1], w + mid[k2, 2]
                    if 0 <= xj < n0 and 0 <= yj < n1 and 0 <= wj < n2:  # then j ∈ N(k) ⊆ O, as k is free
                        cand[m] = q
                        key[m] = phi[q]
                        m += 1
            got = 0.0
            while got < goal:  # by increasing phi, on ties in the order collected (slack sites first): a stable
                b = -1  # selection, the takes being few (cheaper than sorting the candidates, ~1000 in 3-D)
                for p in range(m):
                    if not np.isnan(key[p]) and (b < 0 or key[p] < key[b]):
                        b = p
                if b < 0:
                    break
                q = cand[b]
                key[b] = np.nan  # taken
                if q >= n:
                    take = min(sl[q - n], goal - got)
                    sl[q - n] -= take
                    if sl[q - n] < 0.0:
                        sl[q - n] = 0.0
                else:
                    take = min(rem[q], goal - got)
                    rem[q] -= take
                    if rem[q] < 0.0:
                        rem[q] = 0.0
                got += take
            if not got >= goal:
                failed += 1
                bad[i] = True
    return failed


def _shape3(shape: tuple[int, ...]) -> np.ndarray:
    return np.array((1,) * (3 - len(shape)) + tuple(shape), dtype=np.int64)


def _offs3(offs: np.ndarray) -> np.ndarray:
    out = np.zeros((len(offs), 3), dtype=np.int64)
    out[:, 3 - offs.shape[1]:] = offs
    return out


def growth_certified(c: np.ndarray, a0: np.ndarray, a1: np.ndarray, zforced: np.ndarray, vforced: np.ndarray, inU: np.ndarray,
                     phi: np.ndarray, shape: tuple[int, ...], offs: np.ndarray, bad: np.ndarray | None = None,
                     ranked: np.ndarray | None = None) -> bool:
    """True when the greedy split proves E(U ∪ Y) > E(U) for every non-empty Y outside U (module docstring).

    ``bad`` (flat bool, optional) receives the cells whose burden the greedy could not cover; ``ranked``
    (optional) is every cell by increasing φ, to save a sort per call."""
    near = ~inU
    _mark_neighbours(~inU, near, shape, offs)  # O and the cells of U within ε of it
    if ranked is None:
        cells = np.flatnonzero(near)
        order = cells[np.argsort(phi[cells], kind="stable")]
    else:
        order = ranked[near[ranked]]
    sh, o3, offs2, mid, lin1, lin2, rad = _stencil_tables(tuple(map(tuple, np.asarray(offs).tolist())), tuple(shape))
    marks = np.zeros(c.size, dtype=bool) if bad is None else bad
    free = ~inU & ~zforced
    hits = np.zeros(c.size, dtype=bool)
    _mark_neighbours(inU, hits, shape, offs)
    free &= ~hits  # N(k) ∩ U = ∅ and D_k not forced
    rem0 = np.where(free, a0 * _BUDGET, 0.0)
    sl0 = np.where(~inU & (c > 0.0), c * _BUDGET, 0.0)
    return int(_growth_certificate(c, a0, a1, vforced, inU, rem0, sl0, phi, order, sh, o3, offs2, mid, marks, lin1, lin2, rad)) == 0


@functools.lru_cache(maxsize=16)
def _stencil_tables(offs: tuple[tuple[int, ...], ...], shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """The certificate's stencil tables, once per stencil and grid: the 3-D shape and offsets, the two-hop offsets
    and conduits (:func:`_two_hops`), the flat offsets of both and the two-hop radius per axis."""
    sh, o3 = _shape3(shape), _offs3(np.array(offs, dtype=np.int64))
    offs2, mid = _two_hops(o3)
    lin1 = (o3[:, 0] * sh[1] + o3[:, 1]) * sh[2] + o3[:, 2]
    lin2 = (offs2[:, 0] * sh[1] + offs2[:, 1]) * sh[2] + offs2[:, 2]
    return sh, o3, offs2, mid, lin1, lin2, np.abs(offs2).max(axis=0)


def _two_hops(o3: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Minkowski sum N + N of the stencil (unique offsets d) and, for each, one o ∈ N with d − o ∈ N, the one
    nearest to d/2 (so that the conduit i + o stays in the box whenever a straight path does)."""
    d = (o3[:, None, :] + o3[None, :, :]).reshape(-1, 3)
    first = np.repeat(o3, len(o3), axis=0)
    dev = np.abs(2 * first - d).sum(axis=1)
    order = np.lexsort((dev, d[:, 2], d[:, 1], d[:, 0]))
    d, first = d[order], first[order]
    keep = np.ones(len(d), dtype=bool)
    keep[1:] = np.any(d[1:] != d[:-1], axis=1)
    return np.ascontiguousarray(d[keep]), np.ascontiguousarray(first[keep])


def band_max_cut(c: np.ndarray, a0: np.ndarray, a1: np.ndarray, zforced: np.ndarray, vforced: np.ndarray, phi: np.ndarray,
                 shape: tuple[int, ...], offs: np.ndarray, scale: float) -> np.ndarray | None:
    """The maximal minimizer of E (flat bool) from a certified band; None when no band pays (solve the full graph).

    U from the level sets {φ < θ} and L from {φ ≤ −θ}, each searched independently (:func:`_barrier`): from
    ``START · scale`` (``scale``: the typical perimeter weight per unit mass, (a⁰ + a¹)/2m; a level set of φ is a
    barrier only where the fidelity is comparable to it, about 0.2 to 1.2 times it on the discs measured), or from
    1.5 times the smallest |φ| if that is larger (so that the first band holds the first layer of cells), by
    factors of ``STEP``, at most ``TRIES`` times, each level set repaired where its certificate fails, until the
    certificate holds; a band that is still wide is then narrowed (:func:`_narrowest`). The certificates are not
    monotone in θ (a digital level set can carry a dent that a minimizer fills), hence the search rather than a
    bisection."""
    n = c.size
    if (n < MIN_CELLS and MIN_CELLS > 0) or not HAVE_NUMBA or not scale > 0.0:
        return None
    mag = np.abs(phi)
    pos = mag[mag > 0]
    floor = 1.5 * float(pos.min()) if pos.size else 0.0  # the first band holds the first layer
    start = max(START * scale, floor)
    up = np.argsort(phi, kind="stable")
    U = _narrowest(phi, lambda S: int(np.count_nonzero(S & (phi > -start))),
                   lambda S, bad: growth_certified(c, a0, a1, zforced, vforced, S, phi, shape, offs, bad, up), shape, offs, start, floor)
    if U is None:
        return None
    down = np.argsort(-phi, kind="stable")
    notL = _narrowest(-phi, lambda S: int(np.count_nonzero(S & U)),
                      lambda S, bad: growth_certified(-c, a1, a0, vforced, zforced, S, -phi, shape, offs, bad, down), shape, offs, start,
                      floor)
    if notL is None or bool((~notL & ~U).any()):  # L ⊆ U always holds when both are certified
        return None
    return exact_max(c, a0, a1, zforced, vforced, ~notL, U & notL, shape, offs)


#: the relative perturbations tried by :func:`exact_max` to select the maximal minimizer with pseudoflow
DELTAS = (2.0**-24, 2.0**-44)


def exact_max(c: np.ndarray, a0: np.ndarray, a1: np.ndarray, zforced: np.ndarray, vforced: np.ndarray, inL: np.ndarray,
              band: np.ndarray, shape: tuple[int, ...], offs: np.ndarray) -> np.ndarray:
    r"""The maximal minimizer of E over [L, L ∪ band] (flat bool), exactly, with the backend that _graph picks.

    PyMaxflow returns the maximal source set directly. Pseudoflow returns a minimizer M, not always the maximal one
    under exact ties (a node relabelled to n stays on the source side when its tree ends with zero excess). The
    maximal minimizer M* contains M (the minimizers form a lattice), so a second pseudoflow solve over [M, L ∪ band]
    takes c̃ = c − δ with 0 < δ_j = DELTA·(|c_j| + a⁰_j + a¹_j) on the cells still free, and its answer M̃ is accepted
    when E(M̃) = E(M) exactly (math.fsum of the terms, which is 0 only when the exact sum is): then M̃ is a
    minimizer of E, so M̃ ⊆ M*, and minimality of M̃ for E − Σ δ A over [M, L ∪ band] ∋ M* gives Σ over M* \ M̃ of
    δ ≤ 0, hence M* = M̃. When the energies differ (δ above an energy gap) a smaller δ is tried, then PyMaxflow.

    "Exactly" is relative to the max-flow codes, which compare float residuals with 0: where two sets' energies
    differ by a few ulps (the relabeled fidelity's flat regions, where c is 0 up to its rounding), a max-flow may
    return either, and the full graph of either code is no better there than the band."""
    if _graph.backend_for(_arcs_bound(int(band.sum()), offs)) == "bk":
        return _solve_band(c, a0, a1, zforced, vforced, inL, band, shape, offs, "bk")
    M = _solve_band(c, a0, a1, zforced, vforced, inL, band, shape, offs, "hpf")
    ref = _energy_terms(M, c, a0, a1, zforced, vforced, shape, offs)
    rest = band & ~M  # the maximal minimizer contains M: the second solve is over [M, L ∪ band]
    if not rest.any():
        return M
    for rel in DELTAS:
        ct = c.copy()
        ct[rest] -= rel * (np.abs(c[rest]) + a0[rest] + a1[rest])
        if not np.all(ct[rest] < c[rest]):
            continue
        Mt = _solve_band(ct, a0, a1, zforced, vforced, M, rest, shape, offs, "hpf")
        if math.fsum(np.concatenate([_energy_terms(Mt, c, a0, a1, zforced, vforced, shape, offs), -ref]).tolist()) == 0.0:
            return Mt
    return _solve_band(c, a0, a1, zforced, vforced, inL, band, shape, offs, "bk")  # pragma: no cover - near-ties


def _energy_terms(A: np.ndarray, c: np.ndarray, a0: np.ndarray, a1: np.ndarray, zforced: np.ndarray, vforced: np.ndarray,
                  shape: tuple[int, ...], offs: np.ndarray) -> np.ndarray:
    """The non-zero terms of E(A) = Σ c A + Σ a⁰ D(A) − Σ a¹ R(A) (flat bool A), for an exact sum."""
    D = zforced.copy()
    _mark_neighbours(A, D, shape, offs)
    R = np.zeros_like(A)
    _mark_neighbours(~A, R, shape, offs)
    R = ~R & ~vforced
    return np.concatenate([c[A], a0[D], -a1[R]])


def _barrier(theta: float, phi: np.ndarray, too_wide: Any, certified: Any, shape: tuple[int, ...], offs: np.ndarray,
             tries: int, repairs: int) -> tuple[np.ndarray, float] | None:
    """The first certified set of the search and its θ: for θ, STEP·θ, … (at most ``tries``), the level set
    {φ < θ}, and when its certificate fails, the set with the cells outside it within ε of the failing cells added
    (the dents that the greedy could not pay for), at most ``repairs`` times. None once the band would be too
    wide. Any certified set is a barrier (the restriction lemma), however it was found."""
    for _ in range(tries):
        S = phi < theta
        for _ in range(repairs + 1):
            if too_wide(S, theta):
                return None
            bad = np.zeros(S.size, dtype=bool)
            if certified(S, bad):
                return S, theta
            add = np.zeros(S.size, dtype=bool)
            _mark_neighbours(bad, add, shape, offs)
            add &= ~S
            if not add.any():
                break
            S = S | add
        theta *= STEP
    return None


def _narrowest(phi: np.ndarray, width: Any, certified: Any, shape: tuple[int, ...], offs: np.ndarray, start: float,
               floor: float) -> np.ndarray | None:
    """A certified set: the quick search from ``start`` (REPAIRS repairs per θ), then, while the band it leaves
    holds more than REFINE_CELLS cells (where the cut costs more than the certificates), θ / STEP, θ / STEP², …
    (at most REFINE_LEVELS, not below ``floor``) with REFINE_REPAIRS repairs each, keeping the last certified."""
    found = _barrier(start, phi, lambda S, th: width(S) > MAX_FRACTION * phi.size, certified, shape, offs, TRIES, REPAIRS)
    if found is None:
        return None
    S, theta = found
    for _ in range(REFINE_LEVELS):
        if width(S) <= REFINE_CELLS or theta / STEP < floor:
            break
        finer = _barrier(theta / STEP, phi, lambda T, th: False, certified, shape, offs, 1, REFINE_REPAIRS)
        if finer is None or width(finer[0]) >= width(S):
            break
        S, theta = finer
    return S


def _arcs_bound(nb: int, offs: np.ndarray) -> int:
    """An upper bound on the arcs of a band of nb cells (the direct gadget's, with the terminal arcs)."""
    return nb * (2 * len(offs) + 3)


def _solve_band(c: np.ndarray, a0: np.ndarray, a1: np.ndarray, zforced: np.ndarray, vforced: np.ndarray, inL: np.ndarray,
                band: np.ndarray, shape: tuple[int, ...], offs: np.ndarray, backend: str | None = None) -> np.ndarray:
    r"""The maximal minimizer of E over [L, L ∪ band] (one max-flow on the band's graph), as a flat bool array.

    Variables: :math:`u_j` for the band cells; :math:`D_i` where N(i) meets the band, misses L and is not forced;
    :math:`R_i` where N(i) ⊆ U and is not forced (elsewhere they are constants). With ``GADGET = "rows"`` (numba
    and a ball whose rows along the last axis are runs of cells, as every digital Euclidean ball) the max over the
    ball is the max over its rows, and a row's max is shared between the balls that contain the row: a node
    :math:`H_w(k) \ge` the max of the segment of half-width w at k, built as :math:`H_w(k) \ge H_{w-1}(k \pm 1)`.
    The extra nodes carry no cost, so the minimum over them is attained at the max itself and the minimizers in
    u are unchanged; each ball then costs one arc per row instead of one per cell (in 2-D at ε = 3h: 26 arcs per
    cell instead of 58). The min is built in the same way."""
    n = c.size
    inU = inL | band
    cells = np.flatnonzero(band)
    nb = len(cells)
    touches = np.zeros(n, dtype=bool)
    hitsL = np.zeros(n, dtype=bool)
    leavesU = np.zeros(n, dtype=bool)
    _mark_neighbours(band, touches, shape, offs)
    _mark_neighbours(inL, hitsL, shape, offs)
    _mark_neighbours(~inU, leavesU, shape, offs)
    zvar = touches & ~hitsL & ~zforced
    vvar = touches & ~leavesU & ~vforced
    inf = float(np.abs(c[cells]).sum() + a0[zvar].sum() + a1[vvar].sum()) * 4 + 1.0
    which = _graph.backend_for(_arcs_bound(nb, offs), backend)
    gadget = GADGET if GADGET != "auto" else ("rows" if which == "hpf" else "direct")
    rows = row_stencil(offs) if gadget == "rows" and HAVE_NUMBA else None
    if rows is not None:
        N, nb, tail, head, s_cap, t_cap = _row_graph(_shape3(shape), inL, band, zvar, vvar, rows[0], rows[1], c, a0, a1)
    else:
        N, tail, head, s_cap, t_cap = _direct_graph(c, a0, a1, band, zvar, vvar, cells, shape, offs)
    side = _graph.maximal_source_side(N, tail, head, np.full(len(tail), inf), s_cap, t_cap, which)
    A = inL.copy()
    A[cells] = side[:nb]
    return A


def _direct_graph(c: np.ndarray, a0: np.ndarray, a1: np.ndarray, band: np.ndarray, zvar: np.ndarray, vvar: np.ndarray,
                  cells: np.ndarray, shape: tuple[int, ...], offs: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The band's graph with one arc per ball cell: u_j → z_i and v_i → u_j for j ∈ N(i) in the band."""
    n = c.size
    nb = len(cells)
    coords = np.stack(np.unravel_index(cells, shape), axis=1)
    src, dst = [], []  # (band cell, neighbour) pairs
    for o in offs:
        q = coords + o
        ok = np.all((q >= 0) & (q < np.array(shape)), axis=1)
        src.append(cells[ok])
        dst.append(np.ravel_multi_index(tuple(q[ok].T), shape))
    jb, i = np.concatenate(src), np.concatenate(dst)  # i ∈ N(jb), jb in the band (the stencil is symmetric)
    uid = np.full(n, -1, dtype=np.int64)
    uid[cells] = np.arange(nb)
    zid = np.full(n, -1, dtype=np.int64)
    zc = np.flatnonzero(zvar)
    zid[zc] = nb + np.arange(len(zc))
    vid = np.full(n, -1, dtype=np.int64)
    vc = np.flatnonzero(vvar)
    vid[vc] = nb + len(zc) + np.arange(len(vc))
    c_ = c[cells]
    N = nb + len(zc) + len(vc)
    zz, vv = zvar[i], vvar[i]
    tail = np.concatenate([uid[jb[zz]], vid[i[vv]]])  # z_i ≥ u_j and v_i ≤ u_j
    head = np.concatenate([zid[i[zz]], uid[jb[vv]]])
    s_cap, t_cap = np.zeros(N), np.zeros(N)
    s_cap[:nb], t_cap[:nb] = np.maximum(-c_, 0.0), np.maximum(c_, 0.0)
    t_cap[zid[zc]] = a0[zc]
    s_cap[vid[vc]] = a1[vc]
    return N, tail, head, s_cap, t_cap


#: the graph of the ball's max / min: "rows" (shared row maxima, below), "direct" (one arc per ball cell, the graph
#: the step had before; the reference of the tests) or "auto": rows for pseudoflow, direct for PyMaxflow (whose
#: augmenting paths the chains of row nodes lengthen: 8 s direct against 15 s rows on the 512² band measured)
GADGET = "auto"


def row_stencil(offs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The ball as rows along the last axis: prefixes (P × 2, the first two coordinates in 3-D form) and half-widths.

    None when some row is not a symmetric run of consecutive offsets (then only the direct gadget applies)."""
    o3 = _offs3(offs)
    rows: dict[tuple[int, int], list[int]] = {}
    for a, b, t in o3.tolist():
        rows.setdefault((a, b), []).append(t)
    pre, wid = [], []
    for key, ts in sorted(rows.items()):
        w = max(ts)
        if sorted(ts) != list(range(-w, w + 1)):
            return None
        pre.append(key)
        wid.append(w)
    return np.array(pre, dtype=np.int64).reshape(-1, 2), np.array(wid, dtype=np.int64)


@_njit(cache=True, nogil=True)
def _subs(k, t, w, n2, top, band, uid, lvl, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """The nodes whose max (min) is that of the row segment of half-width w centred on cell k (last coordinate t):
    u_k for w = 0; u_{k-1}, u_k, u_{k+1} for w = 1 when no level-1 node is asked for; the level-w node; or, for w
    above the top level, the two level-(w-1) nodes centred on k ± 1 (their segments cover it, clipped to the box
    too). Absent nodes (segments outside U for the max, inside L for the min: constant) are left out."""
    m = 0
    if w == 0 or (w == 1 and top == 0):
        for s in range(-w, w + 1):
            if 0 <= t + s < n2 and band[k + s]:
                out[m] = uid[k + s]
                m += 1
    elif w <= top:
        if lvl[w - 1, k] >= 0:
            out[m] = lvl[w - 1, k]
            m += 1
    elif n2 == 1:  # a line of one cell: the segment is the cell
        if lvl[w - 2, k] >= 0:
            out[m] = lvl[w - 2, k]
            m += 1
    else:
        for s in (-1, 1):
            if 0 <= t + s < n2 and lvl[w - 2, k + s] >= 0:
                out[m] = lvl[w - 2, k + s]
                m += 1
    return m


@_njit(cache=True, nogil=True)
def _row_arcs(X, g, k, t, w, n2, top, band, uid, lvl, out, tail, head, e):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Writes the arcs of node X to the nodes of _subs(k, t, w) from position e: sub → X for a max (g = 0), X → sub
    for a min (g = 1); returns the next position."""
    m = _subs(k, t, w, n2, top, band, uid, lvl, out)
    for q in range(m):
        if g == 0:
            tail[e], head[e] = out[q], X
        else:
            tail[e], head[e] = X, out[q]
        e += 1
    return e


@_njit(cache=True, nogil=True)
def _number(mask, ids, N):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Numbers the marked cells N, N + 1, … in flat order (into ids); returns the next number."""
    for i in range(mask.size):
        if mask[i]:
            ids[i] = N
            N += 1
    return N


@_njit(cache=True, nogil=True)
def _row_graph(shape, inL, band, zvar, vvar, pre, wid, c, a0, a1):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """The band's graph with shared row maxima (see _solve_band): node count, arcs (tail, head), terminal capacities.

    Nodes: u (band cells, in flat order), then for the levels w = 1 … top (top = max half-width − 1) a max node
    H_w(k) where the segment of half-width w at k meets the band and misses L and a min node G_w(k) where it meets
    the band and stays in U, then z (dilation) and v (erosion) nodes. Arcs (all infinite): sub → H_w(k) and
    G_w(k) → sub for the nodes of _subs(k, w) built from level w − 1, sub → z_i and v_i → sub for every row of the
    ball at i."""
    n0, n1, n2 = shape[0], shape[1], shape[2]
    n = n0 * n1 * n2
    top = max(int(wid.max()) - 1, 0)
    uid = np.full(n, -1, dtype=np.int64)
    N = _number(band, uid, 0)
    nb = N
    hid = np.full((max(top, 1), n), -1, dtype=np.int64)
    gid = np.full((max(top, 1), n), -1, dtype=np.int64)
    cb = np.zeros(n2 + 1, dtype=np.int64)
    cl = np.zeros(n2 + 1, dtype=np.int64)
    co = np.zeros(n2 + 1, dtype=np.int64)
    for line in range(n0 * n1):
        base = line * n2
        for t in range(n2):
            i = base + t
            cb[t + 1] = cb[t] + (1 if band[i] else 0)
            cl[t + 1] = cl[t] + (1 if inL[i] else 0)
            co[t + 1] = co[t] + (0 if (band[i] or inL[i]) else 1)
        for w in range(1, top + 1):
            for t in range(n2):
                lo, hi = max(0, t - w), min(n2 - 1, t + w) + 1
                if cb[hi] - cb[lo] > 0:
                    if cl[hi] - cl[lo] == 0:
                        hid[w - 1, base + t] = N
                        N += 1
                    if co[hi] - co[lo] == 0:
                        gid[w - 1, base + t] = N
                        N += 1
    nh = N - nb
    zid = np.full(n, -1, dtype=np.int64)
    vid = np.full(n, -1, dtype=np.int64)
    N = _number(zvar, zid, N)
    N = _number(vvar, vid, N)
    nz = N - nb - nh
    P = pre.shape[0]
    cap = 3 * nh + 3 * P * nz
    tail = np.empty(cap, dtype=np.int64)
    head = np.empty(cap, dtype=np.int64)
    out = np.empty(3, dtype=np.int64)
    e = 0
    for w in range(1, top + 1):
        for k in range(n):
            t = k % n2
            for g in range(2):
                X = hid[w - 1, k] if g == 0 else gid[w - 1, k]
                if X >= 0:
                    e = _row_arcs(X, g, k, t, w, n2, w - 1, band, uid, hid if g == 0 else gid, out, tail, head, e)
    for i in range(n):
        if zid[i] < 0 and vid[i] < 0:
            continue
        x, r = divmod(i, n1 * n2)
        y, t = divmod(r, n2)
        for p in range(P):
            xx, yy = x + pre[p, 0], y + pre[p, 1]
            if not (0 <= xx < n0 and 0 <= yy < n1):
                continue
            k = (xx * n1 + yy) * n2 + t
            for g in range(2):
                X = zid[i] if g == 0 else vid[i]
                if X >= 0:
                    e = _row_arcs(X, g, k, t, wid[p], n2, top, band, uid, hid if g == 0 else gid, out, tail, head, e)
    s_cap = np.zeros(N)
    t_cap = np.zeros(N)
    for i in range(n):
        if band[i]:
            j = uid[i]
            if c[i] < 0.0:
                s_cap[j] = -c[i]
            else:
                t_cap[j] = c[i]
        if zid[i] >= 0:
            t_cap[zid[i]] = a0[i]
        if vid[i] >= 0:
            s_cap[vid[i]] = a1[i]
    return N, nb, tail[:e].copy(), head[:e].copy(), s_cap, t_cap


def _mark_neighbours(src: np.ndarray, out: np.ndarray, shape: tuple[int, ...], offs: np.ndarray) -> None:
    """out[i] |= any(src[j] for j in N(i)) (flat arrays; the stencil is symmetric)."""
    s = src.reshape(shape)
    o_ = out.reshape(shape)
    for o in offs:
        a = tuple(slice(max(0, -k), m - max(0, k)) for k, m in zip(o, shape, strict=True))
        b = tuple(slice(max(0, k), m - max(0, -k)) for k, m in zip(o, shape, strict=True))
        o_[a] |= s[b]
