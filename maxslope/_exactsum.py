"""Exact (correctly rounded) sums of float64 arrays, vectorized, and exact partial sums that combine across chunks.

:func:`exact_sum` returns what :func:`math.fsum` returns; :func:`exact_parts` returns the exact sum as an integer
times a fixed power of two, so the sums of the chunks of an array add up, as integers, to the exact sum of the
whole array: a reduction over a chunked (Dask) array is then bit-identical to the in-memory one.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["exact_sum", "exact_parts", "round_parts", "HAVE_NUMBA"]


try:  # pragma: no cover - both paths run in CI (the test extra has numba) and in the no-numba fallback test
    from numba import njit as _njit

    @_njit(cache=True, nogil=True)
    def _accumulate(u: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> None:
        for i in range(u.size):
            b = u[i]
            ex = (b >> 52) & 0x7FF
            mant = b & 0xFFFFFFFFFFFFF
            if ex > 0:
                mant |= np.uint64(1) << np.uint64(52)
            else:
                ex = 1
            m = np.int64(mant)
            if b >> 63:
                m = -m
            hi[ex] += m >> 26
            lo[ex] += m & 0x3FFFFFF

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False

_BLOCK = 1 << 16  # the NumPy path works in cache-sized blocks


def _accumulate_numpy(u: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> None:
    for s in range(0, u.size, _BLOCK):
        b = u[s : s + _BLOCK]
        ex = ((b >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.intp)
        mant = (b & np.uint64(0xFFFFFFFFFFFFF)) | (ex > 0).astype(np.uint64) << np.uint64(52)
        ex = np.maximum(ex, 1)
        m = mant.astype(np.int64)
        m = np.where(b >> np.uint64(63) != 0, -m, m)
        # float64 weights are exact here: every partial sum is an integer below 2^53 (|piece| < 2^27, < 2^16 terms)
        hi += np.bincount(ex, weights=(m >> 26).astype(np.float64), minlength=2048).astype(np.int64)
        lo += np.bincount(ex, weights=(m & 0x3FFFFFF).astype(np.float64), minlength=2048).astype(np.int64)


def exact_parts(v: np.ndarray, use_numba: bool | None = None) -> tuple[int, int]:
    r"""The exact sum of the float64 array ``v`` as an integer ``N`` and exponent ``e``: :math:`\sum v = N\,2^e`.

    Each finite double is :math:`\pm m\,2^{E - 1075}` with an integer mantissa :math:`m < 2^{53}` and its biased
    exponent :math:`E` (read from the bits). The signed mantissas are split at bit 26 and accumulated per
    exponent in int64 (no overflow below :math:`2^{36}` terms), then combined in Python's unbounded integers
    (:math:`e = -1075` always, so parts of different chunks add as integers). Written here because neither NumPy
    nor the standard library offers an exact *vectorized* sum (:func:`math.fsum` is exact but runs one Python
    float at a time), and exact partial sums are what make a chunked reduction independent of the chunking.
    With numba the accumulation is one compiled loop; without, NumPy bit operations and
    :func:`numpy.bincount` in cache-sized blocks. Both give the same integers.
    """
    v = np.ascontiguousarray(v, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(v)):
        raise ValueError("exact_parts: non-finite values")
    hi = np.zeros(2048, np.int64)
    lo = np.zeros(2048, np.int64)
    if v.size:
        (_accumulate if (HAVE_NUMBA if use_numba is None else use_numba) else _accumulate_numpy)(v.view(np.uint64), hi, lo)
    N = 0
    for b in np.flatnonzero(hi | lo)[::-1].tolist():
        N += ((int(hi[b]) << 26) + int(lo[b])) << b
    return N, -1075


def round_parts(parts: list[tuple[int, int]]) -> float:
    """The correctly rounded float64 of a sum of exact parts ``N * 2**e``."""
    parts = [(n, e) for n, e in parts if n]
    if not parts:
        return 0.0
    e0 = min(e for _, e in parts)
    N = sum(n << (e - e0) for n, e in parts)
    return float(Fraction(N, 1 << -e0) if e0 < 0 else Fraction(N << e0))


def exact_sum(v: np.ndarray) -> float:
    """The correctly rounded sum of a float64 array (the value :func:`math.fsum` gives), vectorized."""
    return round_parts([exact_parts(v)])
