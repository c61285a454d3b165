r"""Geometric bottleneck matching: Hopcroft–Karp on implicit threshold graphs (Efrat–Itai–Katz).

Why this is written by hand: the bottleneck search needs, at a threshold :math:`t`, a maximum matching of the
graph :math:`\{(i, j) : \|x_i - y_j\| \le t\}` grown from a given matching. When :math:`t` is large against the
point spacing (two separated clouds), that graph has :math:`\Theta(n^2)` edges, and building it is what makes a
sparse-graph matcher slow. Efrat, Itai and Katz (Algorithmica 31, 2001) run Hopcroft–Karp without the graph: the
breadth-first layering reports and *deletes* every column within :math:`t` of a row from a k-d tree (each column
is reported once per phase), and the depth-first phase asks one k-d tree per layer for *some* column within
:math:`t` and deletes it. A phase then costs :math:`O(n)` range queries instead of :math:`O(|E|)` edge scans.
Hera (used by GUDHI) implements the same idea in C++; SciPy, POT and NetworkX have no such matcher, and
:class:`scipy.spatial.cKDTree` has no deletions.

Exactness. The kernels compute distances in compiled code, which may differ from :func:`pair_distances` (NumPy)
in the last bits. Every comparison with a threshold :math:`t` is therefore made in three bands: a distance
:math:`\tilde d \le t/f` is admitted, :math:`\tilde d > t f` is refused, and a pair inside the band
:math:`(t/f, t f]` is looked up in a table of its NumPy distances, computed beforehand by enumerating the band.
Here :math:`f = 1 + \kappa` bounds the relative difference of two evaluations of the same norm. The decision at
:math:`t` is thus exactly that of the NumPy distances, and the value returned is bit-identical to a search on the
materialized graph.

The routines are compiled with Numba (the ``fast`` extra); without it the sparse-graph search is used instead.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._matching import _njit

LEAF = 8


def prune_factor(d: int) -> float:
    r"""A factor :math:`f_0` with :math:`\tilde d / f_0 < d < \tilde d f_0` for any two evaluations of one norm.

    One evaluation of :math:`\|x - y\|_p` (scaled as in :func:`pnorm`) has a relative error below
    :math:`(d + 8)\,u` with :math:`u = 2^{-53}`, even with a pow accurate to a few ulps; two evaluations differ by
    at most twice that. :math:`f_0` is taken several hundred times larger, so the band is still a thin shell.
    Box bounds of the k-d trees are compared with this margin too, so pruning never drops a pair.
    """
    return 1.0 + max(1e-10, 256.0 * (d + 8) * 2.0**-53)


def band_factor(d: int, p: float) -> float:
    r"""The factor :math:`f` of the three-band comparison: 1 where the compiled distance is NumPy's bit for bit.

    That holds for :math:`p = \infty` (a maximum of the same absolute differences), for :math:`d = 1`, and for
    :math:`d = 2` with :math:`p \in \{1, 2\}` (one addition, so no summation order). Elsewhere the summation
    order or the pow may differ, and :math:`f` = :func:`prune_factor`.
    """
    if p == math.inf or d == 1 or (d == 2 and p in (1.0, 2.0)):
        return 1.0
    return prune_factor(d)


# ------------------------------------------------------------------------------------------- distances
@_njit(cache=True, inline="always")
def _norm_of(diff, p):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """The ℓp norm of a vector of non-negative entries, with pnorm's scaling (so no overflow for large p)."""
    d = diff.shape[0]
    if p == np.inf:
        m = 0.0
        for k in range(d):
            if diff[k] > m:
                m = diff[k]
        return m
    if p == 1.0:
        s = 0.0
        for k in range(d):
            s += diff[k]
        return s
    m = 0.0
    for k in range(d):
        if diff[k] > m:
            m = diff[k]
    if m == 0.0:
        return 0.0
    s = 0.0
    if p == 2.0:
        for k in range(d):
            v = diff[k] / m
            s += v * v
        return m * math.sqrt(s)
    for k in range(d):
        s += (diff[k] / m) ** p
    return m * s ** (1.0 / p)


@_njit(cache=True)
def _dist(X, i, Y, j, p, buf):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    for k in range(X.shape[1]):
        buf[k] = abs(X[i, k] - Y[j, k])
    return _norm_of(buf, p)


@_njit(cache=True)
def _box_min(q, bmin, bmax, node, p, buf):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Distance from q to the node's bounding box (a lower bound of every point's distance)."""
    for k in range(q.shape[0]):
        if q[k] < bmin[node, k]:
            buf[k] = bmin[node, k] - q[k]
        elif q[k] > bmax[node, k]:
            buf[k] = q[k] - bmax[node, k]
        else:
            buf[k] = 0.0
    return _norm_of(buf, p)


@_njit(cache=True)
def _box_max(q, bmin, bmax, node, p, buf):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Largest distance from q to a point of the node's bounding box (an upper bound)."""
    for k in range(q.shape[0]):
        buf[k] = max(abs(q[k] - bmin[node, k]), abs(bmax[node, k] - q[k]))
    return _norm_of(buf, p)


# ------------------------------------------------------------------------------------------- k-d trees
@_njit(cache=True)
def _select(P, perm, lo, hi, kth, dim):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Reorder perm[lo:hi] so that perm[kth] holds the element of rank kth by coordinate dim (quickselect)."""
    hi -= 1
    while hi > lo:
        a, b, c = P[perm[lo], dim], P[perm[(lo + hi) // 2], dim], P[perm[hi], dim]
        pivot = max(min(a, b), min(max(a, b), c))  # median of three
        i, j = lo, hi
        while i <= j:
            while P[perm[i], dim] < pivot:
                i += 1
            while P[perm[j], dim] > pivot:
                j -= 1
            if i <= j:
                t = perm[i]
                perm[i] = perm[j]
                perm[j] = t
                i += 1
                j -= 1
        if kth <= j:
            hi = j
        elif kth >= i:
            lo = i
        else:
            return


@_njit(cache=True)
def _build(P, perm, lo, hi, node0, nlo, nhi, nleft, nright, nparent, cnt, bmin, bmax, leaf_of):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
    """Build a k-d tree over the points perm[lo:hi] into the node arrays from index node0; return the next free
    node index. The root is node0. Leaves hold at most LEAF points; leaf_of[point] is a point's leaf."""
    d = P.shape[1]
    stack = np.empty((64, 3), np.int64)
    sp = 0
    stack[0, 0], stack[0, 1], stack[0, 2] = node0, lo, hi
    nparent[node0] = -1
    nxt = node0 + 1
    while sp >= 0:
        node, a, b = stack[sp, 0], stack[sp, 1], stack[sp, 2]
        sp -= 1
        nlo[node], nhi[node], cnt[node] = a, b, b - a
        for k in range(d):
            bmin[node, k] = np.inf
            bmax[node, k] = -np.inf
        for t in range(a, b):
            q = perm[t]
            for k in range(d):
                v = P[q, k]
                if v < bmin[node, k]:
                    bmin[node, k] = v
                if v > bmax[node, k]:
                    bmax[node, k] = v
        if b - a <= LEAF:
            nleft[node] = -1
            nright[node] = -1
            for t in range(a, b):
                leaf_of[perm[t]] = node
            continue
        dim, w = 0, -1.0
        for k in range(d):
            if bmax[node, k] - bmin[node, k] > w:
                w = bmax[node, k] - bmin[node, k]
                dim = k
        mid = (a + b) // 2
        _select(P, perm, a, b, mid, dim)
        left, right = nxt, nxt + 1
        nxt += 2
        nleft[node], nright[node] = left, right
        nparent[left] = node
        nparent[right] = node
        sp += 1
        stack[sp, 0], stack[sp, 1], stack[sp, 2] = left, a, mid
        sp += 1
        stack[sp, 0], stack[sp, 1], stack[sp, 2] = right, mid, b
    return nxt


@_njit(cache=True)
def _delete(c, leaf_of, nparent, cnt, alive):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    alive[c] = False
    node = leaf_of[c]
    while node >= 0:
        cnt[node] -= 1
        node = nparent[node]


@_njit(cache=True)
def _admit(X, r, Y, c, t, t_lo, t_hi, p, n, band_keys, band_vals, buf):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
    """Whether the NumPy distance of (r, c) is <= t (three bands; the middle one is looked up)."""
    dn = _dist(X, r, Y, c, p, buf)
    if dn <= t_lo:
        return True
    if dn > t_hi:
        return False
    key = r * n + c
    k = np.searchsorted(band_keys, key)
    if k < band_keys.shape[0] and band_keys[k] == key:
        return band_vals[k] <= t
    raise RuntimeError("bottleneck: a pair inside the comparison band was not enumerated")


@_njit(cache=True)
def _find_one(X, r, Y, root, tperm, nlo, nhi, nleft, nright, cnt, bmin, bmax, alive, t, t_lo, t_hi, prune_hi, p, n,  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
              band_keys, band_vals, buf, stack):
    """Some alive column within t of row r in the tree at ``root`` (depth first, nearer-left order), or -1."""
    q = X[r]
    sp = 0
    stack[0] = root
    while sp >= 0:
        node = stack[sp]
        sp -= 1
        if cnt[node] == 0 or _box_min(q, bmin, bmax, node, p, buf) > prune_hi:
            continue
        if nleft[node] >= 0:
            sp += 1
            stack[sp] = nright[node]
            sp += 1
            stack[sp] = nleft[node]
            continue
        for s in range(nlo[node], nhi[node]):
            c = tperm[s]
            if alive[c] and _admit(X, r, Y, c, t, t_lo, t_hi, p, n, band_keys, band_vals, buf):
                return c
    return -1


# ------------------------------------------------------------------------------------------- Hopcroft–Karp
@_njit(cache=True, nogil=True)
def hopcroft_karp(X, Y, p, t, f, mg, band_keys, band_vals, row_match, col_match, tree, stats):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
    """Grow (row_match, col_match) in place to a maximum matching of {(i, j) : |X_i - Y_j| <= t}; return its size.

    ``tree`` is the static k-d tree over Y from :func:`build_tree`; its counts are reset here each phase.
    ``stats`` (int64, length 2) accumulates the phases run and the augmenting paths found.
    """
    tperm, nlo, nhi, nleft, nright, nparent, cnt0, bmin, bmax, leaf_of = tree
    n, d = X.shape
    t_lo, t_hi = t / f, t * f
    prune_hi, inside_lo = t_hi * mg, t_lo / mg
    INF = n + 10
    buf = np.empty(d, np.float64)
    dist = np.empty(n, np.int64)
    queue = np.empty(n, np.int64)
    col_layer = np.empty(n, np.int64)
    alive = np.empty(n, np.bool_)
    cnt = cnt0.copy()
    stack = np.empty(4 * 64 + 8, np.int64)
    # per-layer trees of the depth-first phase
    lperm = np.empty(n, np.int64)
    m_nodes = 2 * n + 2
    lnlo = np.empty(m_nodes + 2 * n, np.int64)
    lnhi = np.empty_like(lnlo)
    lnleft = np.empty_like(lnlo)
    lnright = np.empty_like(lnlo)
    lnparent = np.empty_like(lnlo)
    lcnt = np.empty_like(lnlo)
    lbmin = np.empty((lnlo.shape[0], d), np.float64)
    lbmax = np.empty_like(lbmin)
    lleaf = np.empty(n, np.int64)
    lalive = np.zeros(n, np.bool_)
    size = 0
    for r in range(n):
        if row_match[r] >= 0:
            size += 1
    rstack = np.empty(n + 1, np.int64)
    cstack = np.empty(n + 1, np.int64)
    # ---- greedy start: each free row takes some free column within t (one find-and-delete query per row)
    cnt[:] = cnt0
    alive[:] = True
    for c in range(n):
        if col_match[c] >= 0:
            _delete(c, leaf_of, nparent, cnt, alive)
    for r in range(n):
        if row_match[r] >= 0:
            continue
        c_found = _find_one(X, r, Y, 0, tperm, nlo, nhi, nleft, nright, cnt, bmin, bmax, alive, t, t_lo, t_hi,
                            prune_hi, p, n, band_keys, band_vals, buf, stack)
        if c_found >= 0:
            _delete(c_found, leaf_of, nparent, cnt, alive)
            row_match[r] = c_found
            col_match[c_found] = r
            size += 1
    while True:
        stats[0] += 1
        # ---- breadth-first layering: report and delete the columns within t of each row
        cnt[:] = cnt0
        alive[:] = True
        for c in range(n):
            col_layer[c] = -1
        qt = 0
        for r in range(n):
            if row_match[r] < 0:
                dist[r] = 0
                queue[qt] = r
                qt += 1
            else:
                dist[r] = INF
        found = INF
        qh = 0
        while qh < qt:
            r = queue[qh]
            qh += 1
            if dist[r] >= found:
                continue
            q = X[r]
            sp = 0
            stack[0] = 0
            while sp >= 0:
                node = stack[sp]
                sp -= 1
                if cnt[node] == 0 or _box_min(q, bmin, bmax, node, p, buf) > prune_hi:
                    continue
                if nleft[node] >= 0:
                    inside = _box_max(q, bmin, bmax, node, p, buf) <= inside_lo
                    if not inside:
                        sp += 1
                        stack[sp] = nleft[node]
                        sp += 1
                        stack[sp] = nright[node]
                        continue
                for s in range(nlo[node], nhi[node]):
                    c = tperm[s]
                    if not alive[c]:
                        continue
                    if nleft[node] >= 0 or _admit(X, r, Y, c, t, t_lo, t_hi, p, n, band_keys, band_vals, buf):
                        _delete(c, leaf_of, nparent, cnt, alive)
                        col_layer[c] = dist[r] + 1
                        r2 = col_match[c]
                        if r2 < 0:
                            if found == INF:
                                found = dist[r] + 1
                        else:
                            dist[r2] = dist[r] + 1
                            queue[qt] = r2
                            qt += 1
        if found == INF:
            return size
        # ---- one k-d tree per layer 1..found over the columns of that layer (free ones only in the last)
        nl = found
        start = np.zeros(nl + 2, np.int64)
        for c in range(n):
            k = col_layer[c]
            if k >= 1 and k <= nl and ((k == nl) == (col_match[c] < 0)):
                start[k + 1] += 1
        for k in range(1, nl + 1):
            start[k + 1] += start[k]
        fill = start.copy()
        for c in range(n):
            k = col_layer[c]
            if k >= 1 and k <= nl and ((k == nl) == (col_match[c] < 0)):
                lperm[fill[k]] = c
                fill[k] += 1
                lalive[c] = True
        root = np.full(nl + 1, -1, np.int64)
        nxt = 0
        for k in range(1, nl + 1):
            if start[k + 1] > start[k]:
                root[k] = nxt
                nxt = _build(Y, lperm, start[k], start[k + 1], nxt, lnlo, lnhi, lnleft, lnright, lnparent, lcnt,
                             lbmin, lbmax, lleaf)
        # ---- depth-first search for vertex-disjoint shortest augmenting paths
        for r0 in range(n):
            if row_match[r0] >= 0:
                continue
            depth = 0
            rstack[0] = r0
            while depth >= 0:
                r = rstack[depth]
                k = depth + 1
                c_found = -1
                if root[k] >= 0:
                    c_found = _find_one(X, r, Y, root[k], lperm, lnlo, lnhi, lnleft, lnright, lcnt, lbmin, lbmax, lalive,
                                        t, t_lo, t_hi, prune_hi, p, n, band_keys, band_vals, buf, stack)
                if c_found < 0:
                    depth -= 1  # dead end; its column was already deleted, so the row is never re-entered
                    continue
                _delete(c_found, lleaf, lnparent, lcnt, lalive)
                cstack[depth] = c_found
                if k == nl:  # a free column: augment along the path
                    for s in range(depth + 1):
                        row_match[rstack[s]] = cstack[s]
                        col_match[cstack[s]] = rstack[s]
                    size += 1
                    stats[1] += 1
                    break
                depth += 1
                rstack[depth] = col_match[c_found]
        for c in range(n):
            lalive[c] = False


# ------------------------------------------------------------------------------------------- annulus queries
@_njit(cache=True)
def _annulus_rows(X, Y, p, a, b, f, tree, emit, ii, jj, rows):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Count (emit=False) or list (emit=True, into ii/jj) the pairs (r, c), r in rows, with compiled distance in
    (a, b]; f is the pruning margin."""
    tperm, nlo, nhi, nleft, nright, nparent, cnt, bmin, bmax, leaf_of = tree
    n, d = X.shape
    buf = np.empty(d, np.float64)
    stack = np.empty(4 * 64 + 8, np.int64)
    total = 0
    for r in rows:
        q = X[r]
        sp = 0
        stack[0] = 0
        while sp >= 0:
            node = stack[sp]
            sp -= 1
            if _box_min(q, bmin, bmax, node, p, buf) > b * f:
                continue
            hi_box = _box_max(q, bmin, bmax, node, p, buf)
            if hi_box * f <= a:
                continue  # every point at distance <= a
            if nleft[node] >= 0:
                if not emit and hi_box * f <= b and _box_min(q, bmin, bmax, node, p, buf) > a * f:
                    total += cnt[node]  # every point inside the annulus
                    continue
                sp += 1
                stack[sp] = nleft[node]
                sp += 1
                stack[sp] = nright[node]
                continue
            for s in range(nlo[node], nhi[node]):
                c = tperm[s]
                dn = _dist(X, r, Y, c, p, buf)
                if dn > a and dn <= b:
                    if emit:
                        ii[total] = r
                        jj[total] = c
                    total += 1
    return total


def row_sample(n: int, size: int = 256) -> np.ndarray:
    """A fixed (seeded) sorted sample of ``min(n, size)`` row indices, for estimates of the candidate pairs."""
    return np.sort(np.random.default_rng(0).choice(n, size=min(n, size), replace=False)).astype(np.int64)


def build_tree(Y: np.ndarray) -> tuple[Any, ...]:
    """The static k-d tree over the columns Y (node arrays; the root is node 0)."""
    n, d = Y.shape
    m = 2 * n + 2
    perm = np.arange(n, dtype=np.int64)
    arrs = [np.empty(m, np.int64) for _ in range(6)]
    bmin, bmax = np.empty((m, d)), np.empty((m, d))
    leaf_of = np.empty(n, np.int64)
    nlo, nhi, nleft, nright, nparent, cnt = arrs
    _build(Y, perm, 0, n, 0, nlo, nhi, nleft, nright, nparent, cnt, bmin, bmax, leaf_of)
    return (perm, nlo, nhi, nleft, nright, nparent, cnt, bmin, bmax, leaf_of)


def count_pairs(X: np.ndarray, Y: np.ndarray, p: float, a: float, b: float, mg: float, tree: tuple[Any, ...],
                rows: np.ndarray | None = None) -> int:
    """The number of pairs (r, c), r in ``rows`` (default all), whose compiled distance lies in (a, b]."""
    e = np.empty(0, np.int64)
    rows = np.arange(X.shape[0], dtype=np.int64) if rows is None else rows
    return int(_annulus_rows(X, Y, p, a, b, mg, tree, False, e, e, rows))


def list_pairs(X: np.ndarray, Y: np.ndarray, p: float, a: float, b: float, mg: float, tree: tuple[Any, ...],
               rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (r, c), r in ``rows`` (default all), whose compiled distance lies in (a, b]."""
    rows = np.arange(X.shape[0], dtype=np.int64) if rows is None else rows
    m = count_pairs(X, Y, p, a, b, mg, tree, rows)
    ii, jj = np.empty(m, np.int64), np.empty(m, np.int64)
    _annulus_rows(X, Y, p, a, b, mg, tree, True, ii, jj, rows)
    return ii, jj
