r"""Hypothesis strategies for property tests of one's own energies, schemes and checks.

The strategies draw the objects maxslope's own property tests use: points of :math:`\mathbb R^d`, the
:math:`\ell^p` spaces, energies with closed-form flows, empirical measures and grid sets. They are built from
well-conditioned pieces (bounded coordinates, eigenvalues in a fixed range, weights bounded away from 0), so a
property that fails on a drawn example fails for a mathematical reason, not because of overflow or an ill-posed
instance; the bounds are arguments.

Needs `Hypothesis <https://hypothesis.readthedocs.io>`_ (``pip install "maxslope[testing]"``).

Examples
--------
A property of the library, tested on drawn energies: one step of signed gradient descent in
:math:`\ell^\infty` moves every point by exactly τ in the sup norm (where the gradient has no zero coordinate).

>>> from hypothesis import given, settings
>>> from maxslope import testing as mst
>>> from maxslope.spaces import Lp
>>> import numpy as np
>>> @settings(max_examples=20, deadline=None)
... @given(E=mst.energies(dim=3, kinds=("separable_quadratic", "linear")), x=mst.points(3))
... def test_step_length(E, x):
...     g = np.asarray(E.grad(x))
...     if np.all(g != 0):
...         x1 = x - 0.01 * np.sign(g)
...         assert abs(Lp(float("inf")).norm(x1 - x) - 0.01) < 1e-15
>>> test_step_length()
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised only without the extra
    raise ImportError('maxslope.testing needs Hypothesis: pip install "maxslope[testing]" (or pip install hypothesis)') from None

from ._backend import check_int, check_positive_scalar
from .energies import L1Norm, Linear, Quadratic, SeparableQuadratic
from .perimeter.grid import Grid, check_grid
from .spaces import Lp

__all__ = ["ENERGY_KINDS", "empirical_measures", "energies", "grid_sets", "lp_spaces", "points"]

#: The energy families :func:`energies` draws from.
ENERGY_KINDS = ("separable_quadratic", "linear", "quadratic", "l1")


def _sequence(v: Any, name: str, what: str) -> list[Any]:
    """``list(v)`` for a sequence; a TypeError naming the argument for a string, a scalar or a non-iterable."""
    if isinstance(v, (str, bytes)) or (isinstance(v, np.ndarray) and v.ndim == 0):
        raise TypeError(f"argument {name!r} must be a sequence of {what}, got {type(v).__name__}")
    try:
        return list(v)
    except TypeError:
        raise TypeError(f"argument {name!r} must be a sequence of {what}, got {type(v).__name__}") from None


def _dim(dim: Any) -> int:
    return check_int(dim, "dim", 1)


def _coords(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def points(dim: int, bound: float = 10.0, batch: int | None = None, dtype: Any = np.float64) -> st.SearchStrategy[np.ndarray]:
    r"""Points :math:`x \in [-b, b]^d` as NumPy arrays of shape ``(dim,)`` or ``(batch, dim)``.

    Parameters
    ----------
    dim : int
        :math:`d \ge 1`.
    bound : float, optional
        :math:`b > 0` (default 10).
    batch : int, optional
        A batch size :math:`\ge 1`; default one point.
    dtype : numpy dtype, optional
        ``numpy.float64`` (default) or ``numpy.float32``; the coordinates are drawn exactly representable in it.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        A strategy of finite arrays.

    Examples
    --------
    >>> from hypothesis import find
    >>> from maxslope.testing import points
    >>> find(points(3, batch=2), lambda x: x.max() > 1).shape
    (2, 3)
    """
    d = _dim(dim)
    b = check_positive_scalar(bound, "bound")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"argument 'dtype' must be numpy.float64 or numpy.float32, got {type(dtype).__name__}") from None
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"argument 'dtype' must be numpy.float64 or numpy.float32, got {dt}")
    shape = (d,) if batch is None else (check_int(batch, "batch", 1), d)
    if dt == np.float32:
        # the largest float32 not above b (Hypothesis needs bounds representable in the width)
        b32 = np.float32(min(b, float(np.finfo(np.float32).max)))
        b = float(b32 if float(b32) <= b else np.nextafter(b32, np.float32(0)))
        el = st.floats(-b, b, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=32)
    else:
        el = st.floats(-b, b, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.lists(el, min_size=math.prod(shape), max_size=math.prod(shape)).map(lambda v: np.array(v, dtype=dt).reshape(shape))


def lp_spaces(ps: Any = None) -> st.SearchStrategy[Lp]:
    r"""The spaces :math:`(\mathbb R^d, \|\cdot\|_p)`.

    Parameters
    ----------
    ps : sequence of float, optional
        The exponents to draw from, each :math:`\ge 1` (``math.inf`` allowed). Default: 1, 2, ∞, or any
        :math:`p \in [1, 8]`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        A strategy of :class:`~maxslope.spaces.Lp`.

    Examples
    --------
    >>> import math
    >>> from hypothesis import find
    >>> from maxslope.testing import lp_spaces
    >>> find(lp_spaces(), lambda X: 2 < X.p < math.inf).p  # the simplest non-Euclidean, non-sup exponent drawn
    3.0
    """
    if ps is None:
        return st.one_of(st.sampled_from([1.0, 2.0, math.inf]), st.floats(1.0, 8.0)).map(Lp)
    vals = [check_positive_scalar(p, f"ps[{i}]", allow_inf=True) for i, p in enumerate(_sequence(ps, "ps", "exponents"))]
    if not vals:
        raise ValueError("argument 'ps' is empty")
    for i, p in enumerate(vals):
        if p < 1:
            raise ValueError(f"argument 'ps[{i}]' must be >= 1, got {p:g}")
    return st.sampled_from(vals).map(Lp)


def energies(dim: int, kinds: Any = ENERGY_KINDS, bound: float = 10.0, curvature: tuple[float, float] = (0.1, 10.0)) -> st.SearchStrategy[Any]:
    r"""Energies on :math:`\mathbb R^d` whose flows are known: a strategy over the families in ``kinds``.

    * ``"separable_quadratic"``: :math:`\tfrac12\sum_i\lambda_i(x_i - c_i)^2`, :math:`\lambda_i` in ``curvature``;
    * ``"linear"``: :math:`\langle a, x\rangle + c`, :math:`|a_i| \le` ``curvature[1]``;
    * ``"quadratic"``: :math:`\tfrac12 x^\top A x + b^\top x`, :math:`A = Q\,\mathrm{diag}(\lambda)Q^\top`
      symmetric positive definite with eigenvalues in ``curvature`` (:math:`Q` from the QR factorization of a drawn
      matrix);
    * ``"l1"``: :math:`\sum_i w_i|x_i - c_i|`, :math:`w_i` in ``curvature``.

    Parameters
    ----------
    dim : int
        :math:`d \ge 1`.
    kinds : sequence of str, optional
        A non-empty subset of :data:`ENERGY_KINDS` (default all).
    bound : float, optional
        Centres and offsets lie in :math:`[-b, b]^d` (default 10).
    curvature : (float, float), optional
        :math:`0 < \lambda_{min} \le \lambda_{max}`, the range of curvatures and weights (default (0.1, 10)).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        A strategy of :class:`~maxslope.energies.Energy` objects with NumPy float64 parameters.

    Examples
    --------
    >>> from hypothesis import find
    >>> from maxslope.testing import energies
    >>> E = find(energies(2, kinds=["quadratic"]), lambda E: E.A[0, 1] != 0)
    >>> bool(E.is_convex())
    True
    """
    d = _dim(dim)
    b = check_positive_scalar(bound, "bound")
    kinds = _sequence(kinds, "kinds", f"names from {ENERGY_KINDS}")
    if not kinds:
        raise ValueError("argument 'kinds' is empty")
    for i, k in enumerate(kinds):
        if k not in ENERGY_KINDS:
            raise ValueError(f"argument 'kinds[{i}]' must be one of {ENERGY_KINDS}, got {k!r}")
    curv = _sequence(curvature, "curvature", "two positive numbers (lo, hi)")
    if len(curv) != 2:
        raise ValueError(f"argument 'curvature' must be a pair (lo, hi) of positive numbers, got {len(curv)} entries")
    lo = check_positive_scalar(curv[0], "curvature[0]")
    hi = check_positive_scalar(curv[1], "curvature[1]")
    if lo > hi:
        raise ValueError(f"argument 'curvature' must have lo <= hi, got ({lo:g}, {hi:g})")
    vec = st.lists(_coords(b), min_size=d, max_size=d).map(np.array)
    pos = st.lists(st.floats(lo, hi), min_size=d, max_size=d).map(np.array)
    coef = st.lists(st.floats(-hi, hi, allow_subnormal=False), min_size=d, max_size=d).map(np.array)

    def spd(args: tuple[np.ndarray, list[float]]) -> np.ndarray:
        lam, m = args
        Q, _ = np.linalg.qr(np.array(m).reshape(d, d) + 2 * d * np.eye(d))  # diagonally dominant: full rank
        A = (Q * lam) @ Q.T
        return (A + A.T) / 2

    mats = st.tuples(pos, st.lists(st.floats(-1, 1), min_size=d * d, max_size=d * d)).map(spd)
    fams = {
        "separable_quadratic": st.builds(SeparableQuadratic, pos, vec),
        "linear": st.builds(Linear, coef, _coords(b)),
        "quadratic": st.builds(Quadratic, mats, vec),
        "l1": st.builds(lambda c, w: L1Norm(d, c, w), vec, pos),
    }
    return st.one_of(*[fams[k] for k in kinds])


def empirical_measures(n: int | tuple[int, int], dim: int, bound: float = 10.0, uniform: bool = False, min_weight: float = 1e-3) -> st.SearchStrategy[Any]:
    r"""Empirical measures :math:`\mu = \sum_i w_i\delta_{x_i}` on :math:`[-b, b]^d` with :math:`\sum_i w_i = 1`.

    Parameters
    ----------
    n : int or (int, int)
        The number of atoms, or a range (min, max) of it, :math:`\ge 1`.
    dim : int
        :math:`d \ge 1`.
    bound : float, optional
        :math:`b > 0` (default 10).
    uniform : bool, optional
        Equal weights :math:`1/n` (default False: drawn weights, normalized, each at least ``min_weight``
        times the largest).
    min_weight : float, optional
        In (0, 1]: the smallest weight relative to the largest (default 1e-3).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        A strategy of :class:`~maxslope.wasserstein.Empirical`.

    Examples
    --------
    >>> from hypothesis import find
    >>> from maxslope.testing import empirical_measures
    >>> mu = find(empirical_measures(4, 2), lambda m: m.weights.max() > 0.3)
    >>> mu.points.shape, round(float(mu.weights.sum()), 12)
    ((4, 2), 1.0)
    """
    from .wasserstein import Empirical

    if isinstance(n, tuple):
        if len(n) != 2:
            raise ValueError(f"argument 'n' must be an integer or a pair (min, max), got {n!r}")
        n_lo, n_hi = check_int(n[0], "n[0]", 1), check_int(n[1], "n[1]", 1)
        if n_lo > n_hi:
            raise ValueError(f"argument 'n' must have min <= max, got {n!r}")
    else:
        n_lo = n_hi = check_int(n, "n", 1)
    d = _dim(dim)
    b = check_positive_scalar(bound, "bound")
    if not isinstance(uniform, (bool, np.bool_)):
        raise TypeError(f"argument 'uniform' must be a bool, got {type(uniform).__name__}")
    wmin = check_positive_scalar(min_weight, "min_weight")
    if wmin > 1:
        raise ValueError(f"argument 'min_weight' must be in (0, 1], got {wmin:g}")

    @st.composite
    def measure(draw: Any) -> Any:
        k = draw(st.integers(n_lo, n_hi))
        X = np.array(draw(st.lists(st.lists(_coords(b), min_size=d, max_size=d), min_size=k, max_size=k)))
        if uniform:
            return Empirical(X)
        w = np.array(draw(st.lists(st.floats(wmin, 1.0), min_size=k, max_size=k)))
        return Empirical(X, w / w.sum())

    return measure()


def grid_sets(grid: Grid, max_discs: int = 3, empty: bool = False) -> st.SearchStrategy[np.ndarray]:
    r"""Sets on ``grid``: unions of up to ``max_discs`` balls with drawn centres and radii (in cells).

    The radii are between 1.5 and a quarter of the smallest side, in cells, so every ball holds cells and the
    sets are resolved by the grid; unions give non-convex and disconnected sets.

    Parameters
    ----------
    grid : Grid
        The grid.
    max_discs : int, optional
        At most this many balls, :math:`\ge 1` (default 3).
    empty : bool, optional
        Whether the empty set may be drawn too (default False).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        A strategy of boolean arrays of shape ``grid.shape``.

    Examples
    --------
    >>> from hypothesis import find
    >>> from maxslope.perimeter import Grid
    >>> from maxslope.testing import grid_sets
    >>> A = find(grid_sets(Grid((16, 16), 1 / 16)), lambda A: A.sum() > 20)
    >>> A.shape, bool(A.any())
    ((16, 16), True)
    """
    grid = check_grid(grid)
    k_max = check_int(max_discs, "max_discs", 1)
    if not isinstance(empty, (bool, np.bool_)):
        raise TypeError(f"argument 'empty' must be a bool, got {type(empty).__name__}")
    r_hi = max(1.5, min(grid.shape) / 4)
    ball = st.tuples(st.tuples(*[st.integers(0, s - 1) for s in grid.shape]), st.floats(1.5, r_hi))

    def union(balls: list[tuple[tuple[int, ...], float]]) -> np.ndarray:
        A = np.zeros(grid.shape, dtype=bool)
        idx = np.indices(grid.shape)
        for c, r in balls:
            A |= sum((idx[k] - c[k]) ** 2 for k in range(grid.d)) <= r * r
        return A

    sets = st.lists(ball, min_size=1, max_size=k_max).map(union)
    return st.one_of(st.just(np.zeros(grid.shape, dtype=bool)), sets) if empty else sets
