r"""Warm-started Hopcroft–Karp on threshold graphs (the inner test of the bottleneck assignment).

Why this is written by hand: SciPy's :func:`scipy.sparse.csgraph.maximum_bipartite_matching` (up to at least
1.17) never marks dead ends in the depth-first phase of its Hopcroft–Karp implementation, which makes it take
exponential time on layered graphs (scipy/scipy#26147). The threshold graphs :math:`\{(i, j) : d(x_i, y_j) \le r\}`
of two point clouds are exactly such graphs near the bottleneck value: on two uniform 5,000-point clouds in the
unit square one call took 111 s. SciPy's Dinic max-flow is correct but cannot be warm-started and spends
seconds per test at :math:`n = 10^5`. Neither accepts a starting matching or a threshold on a fixed graph, which
is what the bottleneck search needs: every test starts from the matching of the previous one and reads only the
edges below its threshold from one adjacency structure (per-row lists sorted by distance), so a test costs one
pass over those edges plus the few augmentations still missing.

The routine is compiled with Numba when it is installed (the ``fast`` extra); otherwise the same Python code runs
interpreted, which is correct but only practical for a few thousand edges.
"""

from __future__ import annotations

import numpy as np

__all__ = ["max_matching_below", "HAVE_NUMBA"]

from .._numba import HAVE_NUMBA
from .._numba import njit as _njit


@_njit(cache=True, nogil=True)
def _hopcroft_karp(indptr, indices, weight, thr, row_match, col_match):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Grow (row_match, col_match) in place to a maximum matching of {e : weight[e] <= thr}; return its size.

    Each row's edges ``indices[indptr[r]:indptr[r+1]]`` must be sorted by ``weight``, so a row's admissible edges
    are a prefix of its list. Dead ends of the depth-first phase are marked (dist = INF), which keeps every phase
    linear in the number of edges.
    """
    n_rows = indptr.shape[0] - 1
    INF = n_rows + 10
    dist = np.empty(n_rows, np.int64)
    queue = np.empty(n_rows, np.int64)
    it = np.empty(n_rows, np.int64)
    stack = np.empty(n_rows + 1, np.int64)
    size = 0
    for r in range(n_rows):
        if row_match[r] >= 0:
            size += 1
    while True:
        # breadth-first layering from all free rows through alternating paths
        qt = 0
        for r in range(n_rows):
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
            for e in range(indptr[r], indptr[r + 1]):
                if weight[e] > thr:
                    break
                r2 = col_match[indices[e]]
                if r2 < 0:
                    if found == INF:
                        found = dist[r] + 1
                elif dist[r2] == INF:
                    dist[r2] = dist[r] + 1
                    queue[qt] = r2
                    qt += 1
        if found == INF:
            return size
        # depth-first search for vertex-disjoint shortest augmenting paths, with current-arc pointers
        for r in range(n_rows):
            it[r] = indptr[r]
        for r0 in range(n_rows):
            if row_match[r0] >= 0 or dist[r0] != 0:
                continue
            sp = 0
            stack[0] = r0
            ok = False
            while sp >= 0:
                r = stack[sp]
                e = it[r]
                if e == indptr[r + 1] or weight[e] > thr:
                    dist[r] = INF  # dead end: never expanded again in this phase
                    sp -= 1
                    if sp >= 0:
                        it[stack[sp]] += 1
                    continue
                r2 = col_match[indices[e]]
                if r2 < 0:
                    ok = True
                    break
                if dist[r2] == dist[r] + 1:
                    sp += 1
                    stack[sp] = r2
                else:
                    it[r] += 1
            if ok:
                for k in range(sp, -1, -1):
                    r = stack[k]
                    c = indices[it[r]]
                    row_match[r] = c
                    col_match[c] = r
                    dist[r] = INF  # rows of an augmenting path are used for this phase
                size += 1


def max_matching_below(
    indptr: np.ndarray, indices: np.ndarray, weight: np.ndarray, thr: float, row_match: np.ndarray, col_match: np.ndarray
) -> int:
    """A maximum matching of the threshold graph ``{e : weight[e] <= thr}``, grown in place from the given one.

    ``row_match``/``col_match`` (int64, -1 = free) must describe a matching that uses only admissible edges.
    Returns the matching size.
    """
    return int(_hopcroft_karp(indptr, indices, weight, float(thr), row_match, col_match))
