r"""Finitely supported probability measures :math:`\mu = \sum_i w_i \delta_{x_i}` on :math:`\mathbb R^d`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .._backend import as_float_array, check_callable, check_int, check_positive_scalar, namespace, to_numpy
from .._exactsum import exact_sum

__all__ = ["Empirical", "integer_masses", "check_weights"]

#: default tolerance on |Σ w − 1|
WEIGHT_SUM_ATOL = 1e-12
#: integrals are summed exactly (correctly rounded): up to this many atoms by math.fsum, beyond by the vectorized
#: exact sum of maxslope._exactsum (the same value; it also makes chunked sums equal in-memory ones)
EXACT_SUM_MAX_N = 10_000
#: largest common denominator for which masses are handled as exact integers (int32 max-flow capacities)
MAX_DENOMINATOR = 2**30


class _Atoms:
    """The shape of a measure's atoms ``points`` (n, d): shared by in-memory and chunked measures."""

    points: Any

    @property
    def n(self) -> int:
        """Number of atoms."""
        return int(self.points.shape[0])

    @property
    def dim(self) -> int:
        """Dimension d of the ambient space."""
        return int(self.points.shape[1])


@dataclass(frozen=True, eq=False)
class Empirical(_Atoms):
    r"""A discrete probability measure :math:`\mu = \sum_{i=1}^n w_i\,\delta_{x_i}`.

    Parameters
    ----------
    points : array, shape (n, d) or (n,)
        The atoms (a 1-D array is read as n points on the line). Finite values only. Atoms may repeat (a mass
        split into several particles is a superposition of curves).
    weights : array, shape (n,), optional
        Non-negative masses summing to 1 within ``atol``; default uniform :math:`1/n`.
    atol : float
        Tolerance of the check :math:`|\sum_i w_i - 1| \le` ``atol`` (default 1e-12).

    Notes
    -----
    The atoms live on the host (NumPy): every operation on measures here is combinatorial (matchings, flows,
    sorting) and runs on the CPU. Arrays of other libraries are copied to the host after the usual checks (one
    library per call, finite values).

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.wasserstein import Empirical
    >>> mu = Empirical(np.array([[0.0], [1.0], [1.0]]), np.array([0.5, 0.25, 0.25]))
    >>> mu.n, mu.dim, mu.integrate(lambda x: x[:, 0] ** 2)
    (3, 1, 0.5)
    """

    points: np.ndarray
    weights: np.ndarray
    uniform: bool

    def __init__(self, points: Any, weights: Any = None, atol: float = WEIGHT_SUM_ATOL) -> None:
        xp = namespace(points=points, weights=weights)
        pts = as_float_array(points, "points", xp, min_ndim=1)
        pts = np.asarray(to_numpy(pts), dtype=np.float64)
        if pts.ndim == 1:
            pts = pts[:, None]
        if pts.ndim != 2:
            raise ValueError(f"argument 'points' must have shape (n, d) or (n,), got {pts.shape}")
        n = pts.shape[0]
        if n == 0 or pts.shape[1] == 0:
            raise ValueError(f"argument 'points' must hold at least one point of dimension >= 1, got shape {pts.shape}")
        atol = check_positive_scalar(atol, "atol")
        if weights is None:
            w = np.full(n, 1.0 / n)
            uniform = True
        else:
            w = check_weights(weights, n, "weights", atol, xp)
            uniform = bool(np.all(w == w[0]))
        if np.shares_memory(pts, points) if isinstance(points, np.ndarray) else False:
            pts = pts.copy()  # never flip the flags of the caller's array
        object.__setattr__(self, "points", pts)
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "uniform", uniform)
        pts.setflags(write=False)
        w.setflags(write=False)

    @classmethod
    def _trusted(cls, points: np.ndarray, weights: np.ndarray, uniform: bool | None = None) -> Empirical:
        """Wrap already validated host arrays (float64, (n, d) and (n,)) without copying or checking again."""
        self = object.__new__(cls)
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "uniform", bool(np.all(weights == weights[0])) if uniform is None else uniform)
        return self

    def integrate(self, f: Any) -> float:
        r""":math:`\int f\,d\mu = \sum_i w_i f(x_i)` for ``f`` mapping (n, d) points to (n,) values.

        Parameters
        ----------
        f : callable
            (n, d) points to (n,) finite values.

        Returns
        -------
        float
            :math:`\int f\,d\mu`, correctly rounded.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.wasserstein import Empirical
        >>> mu = Empirical(np.array([[0.0], [1.0], [1.0]]), np.array([0.5, 0.25, 0.25]))
        >>> mu.integrate(lambda x: 1 + x[:, 0])
        1.5
        """
        check_callable(f, "f", "callable on atoms (n, d) -> (n,)")
        terms = self.weights * _values(f, self.points)
        if self.n > EXACT_SUM_MAX_N:  # the same correctly rounded sum, vectorized (and chunkable)
            return exact_sum(terms)
        return float(math.fsum(terms.tolist()))

    def pushforward(self, T: Any) -> Empirical:
        r""":math:`T_\#\mu = \sum_i w_i \delta_{T(x_i)}` (same weights).

        Parameters
        ----------
        T : callable
            A map (n, d) to (n, d') of points.

        Returns
        -------
        Empirical
            :math:`T_\#\mu`.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.wasserstein import Empirical
        >>> mu = Empirical(np.array([[0.0], [1.0], [1.0]]), np.array([0.5, 0.25, 0.25]))
        >>> mu.pushforward(lambda x: 2 * x + 1).points[:, 0].tolist()
        [1.0, 3.0, 3.0]
        """
        check_callable(T, "T", "map on atoms (n, d) -> (n, d')")
        return Empirical(np.asarray(to_numpy(T(self.points)), dtype=np.float64).reshape(self.n, -1), self.weights.copy())

    def split(self, index: int, parts: int) -> Empirical:
        r"""Replace atom ``index`` by ``parts`` copies of mass :math:`w_i/\text{parts}` each (a mass split).

        The measure is unchanged; the particle representation gains curves that may follow different selections
        (at a critical point the flow may send mass both ways).

        Parameters
        ----------
        index : int
            The atom.
        parts : int
            The number of copies, >= 1.

        Returns
        -------
        Empirical
            The same measure with ``parts`` particles at that atom.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.wasserstein import Empirical
        >>> mu = Empirical(np.array([[0.0], [1.0], [1.0]]), np.array([0.5, 0.25, 0.25]))
        >>> mu.split(0, 2).weights.tolist()
        [0.25, 0.25, 0.25, 0.25]
        """
        parts = check_int(parts, "parts", 1)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"argument 'index' must be an integer atom index, got {type(index).__name__}")
        if not -self.n <= index < self.n:
            raise ValueError(f"argument 'index' out of range for {self.n} atoms: {index}")
        index = int(index) % self.n
        pts = np.concatenate([self.points[:index], np.repeat(self.points[index : index + 1], parts, 0), self.points[index + 1 :]])
        w = np.concatenate([self.weights[:index], np.full(parts, self.weights[index] / parts), self.weights[index + 1 :]])
        return Empirical(pts, w)

    def compress(self) -> Empirical:
        """Merge repeated atoms (adding their masses) and drop atoms of zero mass.

        Returns
        -------
        Empirical
            The measure with distinct atoms of positive mass.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.wasserstein import Empirical
        >>> mu = Empirical(np.array([[0.0], [1.0], [1.0]]), np.array([0.5, 0.25, 0.25]))
        >>> c = mu.compress()
        >>> c.points[:, 0].tolist(), c.weights.tolist()
        ([0.0, 1.0], [0.5, 0.5])
        """
        keep = self.weights > 0
        pts, inv = np.unique(self.points[keep], axis=0, return_inverse=True)
        w = np.zeros(pts.shape[0])
        np.add.at(w, inv.reshape(-1), self.weights[keep])
        return Empirical(pts, w / math.fsum(w.tolist()))

    def __repr__(self) -> str:
        kind = "uniform" if self.uniform else "weighted"
        return f"Empirical(n={self.n}, d={self.dim}, {kind})"


def check_weights(weights: Any, n: int, name: str = "weights", atol: float = WEIGHT_SUM_ATOL, xp: Any = None) -> np.ndarray:
    """Validated probability weights: a finite, non-negative host float64 copy of shape (n,) summing to 1 within
    ``atol``; ``ValueError``/``TypeError`` naming ``name`` otherwise.

    Parameters
    ----------
    weights : array_like
        The candidate weights.
    n : int
        The number of atoms.
    name : str
        The argument name for the error message.
    atol : float
        The tolerance of the sum.
    xp : array namespace, optional
        The library of ``weights``.

    Returns
    -------
    numpy.ndarray
        A float64 copy.

    Examples
    --------
    >>> from maxslope.wasserstein.empirical import check_weights
    >>> import numpy as np
    >>> check_weights(np.array([0.5, 0.5]), 2).tolist()
    [0.5, 0.5]
    >>> check_weights(np.array([0.5, 0.6]), 2)
    Traceback (most recent call last):
    ...
    ValueError: argument 'weights' must sum to 1 (within atol=1e-12), sums to 1.1
    """
    n = check_int(n, "n", 1)
    xp = namespace(**{name: weights}) if xp is None else xp
    w = np.array(to_numpy(as_float_array(weights, name, xp, min_ndim=1)), dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"argument {name!r} must have shape ({n},) to match the points, got {w.shape}")
    if np.any(w < 0):
        raise ValueError(f"argument {name!r} must be non-negative, min is {w.min():g}")
    total = exact_sum(w)
    if abs(total - 1.0) > atol:
        raise ValueError(f"argument {name!r} must sum to 1 (within atol={atol:g}), sums to {total!r}")
    return w


def integer_masses(w: np.ndarray, max_denominator: int = MAX_DENOMINATOR) -> tuple[np.ndarray, int] | None:
    """Exact integer masses ``(k, L)`` with ``w = k / L`` and ``sum(k) = L``, when the floats are such fractions.

    Each weight is read as the simplest fraction with denominator at most 10^6 that rounds to it (uniform weights
    1/n, weights k/n); the masses are exact when those fractions sum to exactly 1 and their common denominator
    ``L`` is at most ``max_denominator``. Returns None otherwise.

    Parameters
    ----------
    w : numpy.ndarray
        Weights summing to 1.
    max_denominator : int
        The largest denominator tried.

    Returns
    -------
    (numpy.ndarray, int) or None
        Integer masses and their common denominator, or None.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.wasserstein.empirical import integer_masses
    >>> k, L = integer_masses(np.array([0.5, 0.25, 0.25]))
    >>> k.tolist(), L
    ([2, 1, 1], 4)
    >>> integer_masses(np.array([1 / np.pi, 1 - 1 / np.pi])) is None
    True
    """
    if np.ndim(w) != 1:
        raise ValueError(f"argument 'w' must be a 1-D array of weights, got shape {np.shape(w)}")
    if np.ndim(w) != 1 or np.shape(w)[0] == 0:
        raise ValueError(f"argument 'w' must be a non-empty vector of weights, got shape {np.shape(w)}")
    w = check_weights(w, int(np.shape(w)[0]), "w", atol=math.inf)
    if isinstance(max_denominator, bool) or not isinstance(max_denominator, (int, np.integer)) or max_denominator < 1:
        raise ValueError(f"argument 'max_denominator' must be a positive integer, got {max_denominator!r}")
    fr = []
    L = 1
    u, inv = np.unique(w, return_inverse=True)
    for v in u:
        f = Fraction(float(v)).limit_denominator(10**6)
        if float(f) != float(v):
            return None
        fr.append(f)
        L = L * f.denominator // math.gcd(L, f.denominator)
        if L > max_denominator:
            return None
    k = np.array([f.numerator * (L // f.denominator) for f in fr], dtype=np.int64)[inv.reshape(-1)]
    if int(k.sum()) != L:
        return None
    return k, L


def _as_measure(mu: Any, name: str = "mu", where: str = "") -> Empirical:
    """``mu`` itself if it is an :class:`Empirical` measure, else a ``TypeError`` naming the argument ``name``.

    ``where`` is added to the message (e.g. "a point of Wasserstein(inf, Lp(inf))").
    """
    if not isinstance(mu, Empirical):
        what = f" ({where})" if where else ""
        raise TypeError(f"argument {name!r} must be an Empirical measure{what}, got {type(mu).__name__}")
    return mu


def _values(f: Any, x: np.ndarray) -> np.ndarray:
    """``f(x)`` on atoms (n, d) as n finite host floats, or ``ValueError``: the integrand of every measure."""
    v = np.asarray(to_numpy(f(x)), dtype=np.float64).reshape(-1)
    if v.shape != (x.shape[0],):
        raise ValueError(f"f must return one value per atom, shape ({x.shape[0]},), got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("f returned non-finite values on the atoms")
    return v
