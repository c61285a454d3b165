r"""The normed spaces :math:`(\mathbb R^d, \|\cdot\|_p)`, :math:`p \in [1, \infty]`.

Everything here is written against the array API (:mod:`array_api_compat`), so it runs unchanged on NumPy,
CuPy, torch and ``array_api_strict`` arrays. A point is the last axis; leading axes are a batch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import as_float_array, check_int, check_p, check_positive_scalar, check_real_scalar, namespace

__all__ = ["Lp", "pnorm"]


def _nonempty_last_axis(x: Any, name: str) -> None:
    if x.ndim < 1 or x.shape[-1] < 1:
        raise ValueError(f"argument {name!r} must have a non-empty last axis (the coordinates), got shape {tuple(x.shape)}")


def _x_and_center(x: Any, center: Any, xp: Any) -> tuple[Any, Any]:
    """``x`` (..., d) and ``center`` (..., d), validated by name: finite, real, one non-empty dimension, broadcasting."""
    x = as_float_array(x, "x", xp, min_ndim=1)
    c = as_float_array(center, "center", xp, min_ndim=1)
    _nonempty_last_axis(x, "x")
    if c.shape[-1] != x.shape[-1]:
        raise ValueError(f"arguments 'x' and 'center' have different dimensions {x.shape[-1]} and {c.shape[-1]}")
    try:
        np.broadcast_shapes(tuple(x.shape), tuple(c.shape))
    except ValueError:
        raise ValueError(f"argument 'center' of shape {tuple(c.shape)} does not broadcast against 'x' of shape {tuple(x.shape)}") from None
    return x, c


def pnorm(x: Any, p: float, xp: Any = None) -> Any:
    r"""The :math:`\ell^p` norm over the last axis, computed without overflow or underflow.

    For :math:`1 < p < \infty` the coordinates are scaled by :math:`m = \max_i |x_i|` first,
    :math:`\|x\|_p = m\,(\sum_i (|x_i|/m)^p)^{1/p}`, so that large :math:`p` (used for the :math:`p \to \infty`
    limit of claim C7) neither overflows nor loses the largest entry.

    Parameters
    ----------
    x : array, shape (..., d)
        Finite real values, :math:`d \ge 1`; any array library.
    p : float
        :math:`p \in [1, \infty]`.
    xp : namespace, optional
        The array namespace of ``x`` (found from ``x`` by default).

    Returns
    -------
    array, shape (...)
        :math:`\|x\|_p` over the last axis, in the library of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.spaces import pnorm
    >>> float(pnorm(np.array([3.0, 4.0]), 2.0))
    5.0
    """
    if xp is not None and not (hasattr(xp, "asarray") and hasattr(xp, "abs")):
        raise TypeError(f"argument 'xp' must be an array namespace (e.g. numpy) or None, got {type(xp).__name__}")
    xp = namespace(x=x) if xp is None else xp
    x = as_float_array(x, "x", xp, min_ndim=1)
    _nonempty_last_axis(x, "x")
    return _pnorm(x, check_p(p, "p"), xp)


def _pnorm(x: Any, p: float, xp: Any) -> Any:
    """:func:`pnorm` on validated input (the library's internal hot path)."""
    a = xp.abs(x)
    if p == math.inf:
        return xp.max(a, axis=-1)
    if p == 1.0:
        return xp.sum(a, axis=-1)
    m = xp.max(a, axis=-1, keepdims=True)
    safe = xp.where(m > 0, m, xp.ones_like(m))
    s = a / safe
    if p == 2.0:
        inner = xp.sqrt(xp.sum(s * s, axis=-1))
    else:
        inner = xp.sum(s**p, axis=-1) ** (1.0 / p)
    return m[..., 0] * inner


class Lp:
    r"""The normed space :math:`(\mathbb R^d, \|\cdot\|_p)` for :math:`p \in [1, \infty]`.

    Its dual is :math:`(\mathbb R^d, \|\cdot\|_q)` with :math:`1/p + 1/q = 1`. The object that drives every
    :math:`\infty`-flow in this space is the subdifferential of the dual norm,

    .. math:: \partial\|\cdot\|_*(\xi) = \{v : \|v\|_p \le 1,\ \langle \xi, v\rangle = \|\xi\|_q\},

    the set of steepest-descent directions: :math:`\dot u \in -\partial\|\cdot\|_*(\nabla E(u))`.

    Parameters
    ----------
    p : float
        The exponent, in :math:`[1, \infty]` (``math.inf`` or ``float("inf")`` for the maximum norm).

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.spaces import Lp
    >>> Lp(np.inf).dual_norm(np.array([1.0, -2.0, 0.0]))
    np.float64(3.0)
    >>> Lp(np.inf).steepest_direction(np.array([1.0, -2.0, 0.0]))
    array([ 1., -1.,  0.])
    """

    #: largest dimension for which :meth:`extreme_points` enumerates the 2^d vertices of the ℓ∞ unit ball
    MAX_VERTEX_DIM = 16

    def __init__(self, p: float) -> None:
        self.p = check_p(p, "p")

    # ------------------------------------------------------------------ basic quantities
    @property
    def dual_exponent(self) -> float:
        """The conjugate exponent :math:`q = p/(p-1)` (``inf`` for p = 1, 1 for p = ∞).

        Examples
        --------
        >>> import math, maxslope as ms
        >>> ms.Lp(1.0).dual_exponent, ms.Lp(4.0).dual_exponent
        (inf, 1.3333333333333333)
        """
        p = self.p
        if p == 1.0:
            return math.inf
        if p == math.inf:
            return 1.0
        return p / (p - 1.0)

    @property
    def dual(self) -> Lp:
        """The dual space :math:`(\\mathbb R^d, \\|\\cdot\\|_q)`.

        Examples
        --------
        >>> import maxslope as ms
        >>> ms.Lp(3.0).dual.p
        1.5
        """
        return Lp(self.dual_exponent)

    def __repr__(self) -> str:
        return f"Lp({'inf' if self.p == math.inf else format(self.p, 'g')})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lp) and other.p == self.p

    def __hash__(self) -> int:
        return hash(("Lp", self.p))

    def norm(self, x: Any) -> Any:
        r""":math:`\|x\|_p` over the last axis (batched).

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.

        Returns
        -------
        array
            The norms, shape ``(...)``, in the library and dtype of ``x``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> [float(ms.Lp(p).norm(np.array([3.0, -4.0]))) for p in (1.0, 2.0, math.inf)]
        [7.0, 5.0, 4.0]
        """
        xp = namespace(x=x)
        x = as_float_array(x, "x", xp, min_ndim=1)
        _nonempty_last_axis(x, "x")
        return _pnorm(x, self.p, xp)

    def dual_norm(self, xi: Any) -> Any:
        r""":math:`\|\xi\|_* = \|\xi\|_q = \sup_{\|v\|_p \le 1} \langle \xi, v\rangle` over the last axis.

        Parameters
        ----------
        xi : array
            Dual vectors (gradients), shape ``(..., d)``.

        Returns
        -------
        array
            :math:`\|\xi\|_q`, shape ``(...)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> float(ms.Lp(math.inf).dual_norm(np.array([3.0, -4.0])))  # the ℓ1 norm
        7.0
        """
        xp = namespace(xi=xi)
        xi = as_float_array(xi, "xi", xp, min_ndim=1)
        _nonempty_last_axis(xi, "xi")
        return _pnorm(xi, self.dual_exponent, xp)

    def distance(self, x: Any, y: Any) -> Any:
        r""":math:`d(x, y) = \|x - y\|_p`, broadcasting over leading axes.

        Parameters
        ----------
        x, y : array
            Points of one library, shapes broadcasting to ``(..., d)``.

        Returns
        -------
        array
            The distances, shape ``(...)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(2.0).distance(np.zeros((2, 2)), np.array([[3.0, 4.0], [1.0, 0.0]])).tolist()
        [5.0, 1.0]
        """
        xp = namespace(x=x, y=y)
        x = as_float_array(x, "x", xp, min_ndim=1)
        y = as_float_array(y, "y", xp, min_ndim=1)
        _nonempty_last_axis(x, "x")
        if x.shape[-1] != y.shape[-1]:
            raise ValueError(f"arguments 'x' and 'y' have different dimensions {x.shape[-1]} and {y.shape[-1]}")
        return _pnorm(x - y, self.p, xp)

    def geodesic(self, x: Any, y: Any, s: Any) -> Any:
        r"""The segment :math:`(1 - s)x + s y`, a geodesic of every norm: :math:`d(x, z_s) = s\,d(x, y)`.

        ``s`` is a scalar in :math:`[0, 1]` or an array of such values broadcast against the batch axes.

        Parameters
        ----------
        x, y : array
            The end points.
        s : float or array
            The parameter(s) in [0, 1].

        Returns
        -------
        array
            :math:`z_s`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(1.0).geodesic(np.zeros(2), np.array([2.0, 4.0]), 0.25).tolist()
        [0.5, 1.0]
        """
        xp = namespace(x=x, y=y)
        x = as_float_array(x, "x", xp, min_ndim=1)
        y = as_float_array(y, "y", xp, min_ndim=1)
        _nonempty_last_axis(x, "x")
        if tuple(x.shape) != tuple(y.shape):
            raise ValueError(f"arguments 'x' and 'y' must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}")
        if isinstance(s, (int, float)) and not isinstance(s, bool):
            s = check_real_scalar(s, "s")
            if not 0.0 <= s <= 1.0:
                raise ValueError(f"argument 's' must lie in [0, 1], got {s!r}")
        else:
            s = as_float_array(s, "s", xp)
            if not bool(xp.all((s >= 0) & (s <= 1))):
                raise ValueError("argument 's' must lie in [0, 1]")
            s = s[..., None]
        return x + s * (y - x)

    # ------------------------------------------------------------------ steepest directions
    def steepest_direction(self, xi: Any, selection: str | float | None = None) -> Any:
        r"""An element :math:`v \in \partial\|\cdot\|_*(\xi)`, batched over leading axes.

        The descent direction of a normalized steepest-descent step is :math:`-v` with :math:`\xi = \nabla E(x)`.

        Parameters
        ----------
        xi : array, shape (..., d)
            The (co)vector :math:`\xi`, typically a gradient.
        selection : str or float, optional
            Which element to return where the set is not a singleton.

            * :math:`p = \infty` (set :math:`\prod_i \mathrm{Sign}(\xi_i)`): the value used at coordinates with
              :math:`\xi_i = 0`, where any value in :math:`[-1, 1]` is admissible. ``"zero"`` (default; the
              NumPy/torch convention ``sign(0) = 0``, used by every attack library) or a float
              :math:`c \in [-1, 1]`.
            * :math:`p = 1` (set :math:`\mathrm{conv}\{\mathrm{sign}(\xi_i) e_i : |\xi_i| = \|\xi\|_\infty\}`):
              ``"first"`` (default; one-hot at the first index of largest :math:`|\xi_i|`) or ``"average"``
              (the barycentre of all tied vertices).
            * :math:`1 < p < \infty`: the set is the single vector
              :math:`\mathrm{sign}(\xi)|\xi|^{q-1}/\|\xi\|_q^{q-1}`; ``selection`` must be None or ``"unique"``.

            At :math:`\xi = 0` the set is the whole unit ball; every rule returns the zero vector there (for
            :math:`p = \infty` with a float selection :math:`c`, the constant vector :math:`c`).

        Returns
        -------
        array, shape (..., d)

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(1.0).steepest_direction(np.array([1.0, -3.0, 3.0]), selection="average").tolist()  # the tie is shared
        [0.0, -0.5, 0.5]
        """
        xp = namespace(xi=xi)
        xi = as_float_array(xi, "xi", xp, min_ndim=1)
        _nonempty_last_axis(xi, "xi")
        if selection is not None and not isinstance(selection, str):
            selection = check_real_scalar(selection, "selection")
        p = self.p
        if p == math.inf:
            s = xp.sign(xi)
            if selection is None or selection == "zero":
                return s
            if isinstance(selection, str):
                raise ValueError(f"argument 'selection' for Lp(inf) must be 'zero' or a float in [-1, 1], got {selection!r}")
            c = float(selection)
            if not (-1.0 <= c <= 1.0):
                raise ValueError(f"argument 'selection' must lie in [-1, 1] (the set Sign(0)), got {c}")
            return xp.where(xi == 0, xp.full_like(s, c), s)
        if p == 1.0:
            a = xp.abs(xi)
            m = xp.max(a, axis=-1, keepdims=True)
            tie = (a == m) & (m > 0)
            if selection is None or selection == "first":
                idx = xp.argmax(a, axis=-1)
                d = xi.shape[-1]
                onehot = xp.arange(d, device=_dev(xi)) == idx[..., None]
                onehot = onehot & (m > 0)
                return xp.where(onehot, xp.sign(xi), xp.zeros_like(xi))
            if selection == "average":
                k = xp.sum(xp.astype(tie, xi.dtype), axis=-1, keepdims=True)
                k = xp.where(k > 0, k, xp.ones_like(k))
                return xp.where(tie, xp.sign(xi), xp.zeros_like(xi)) / k
            raise ValueError(f"argument 'selection' for Lp(1) must be 'first' or 'average', got {selection!r}")
        if selection not in (None, "unique"):
            raise ValueError(f"argument 'selection' for {self!r} must be None: the steepest set is a singleton for xi != 0")
        a = xp.abs(xi)
        m = xp.max(a, axis=-1, keepdims=True)
        safe = xp.where(m > 0, m, xp.ones_like(m))
        eta = a / safe
        q = self.dual_exponent
        if p == 2.0:
            num = eta
            den = xp.sqrt(xp.sum(eta * eta, axis=-1, keepdims=True))
        else:
            num = eta ** (q - 1.0)
            den = xp.sum(eta**q, axis=-1, keepdims=True) ** ((q - 1.0) / q)
        den = xp.where(m > 0, den, xp.ones_like(den))
        return xp.sign(xi) * num / den

    def in_steepest_set(self, v: Any, xi: Any, tol: float = 1e-12) -> Any:
        r"""Membership test :math:`v \in \partial\|\cdot\|_*(\xi)` (batched; returns a boolean array).

        For :math:`p = \infty` and :math:`p = 1` the test uses the exact combinatorial description of the set,
        so zeros and ties are decided exactly (``tol`` only absorbs rounding in ``v``'s entries):

        * :math:`p = \infty`: :math:`|v_i| \le 1` for all :math:`i` and :math:`v_i = \mathrm{sign}(\xi_i)` where
          :math:`\xi_i \neq 0`;
        * :math:`p = 1`: :math:`v_i = 0` off the tie set :math:`\{i : |\xi_i| = \|\xi\|_\infty\}`,
          :math:`\mathrm{sign}(\xi_i) v_i \ge 0` on it and :math:`\sum_i |v_i| = 1` (or :math:`\le 1` if
          :math:`\xi = 0`); the mass to :math:`d\cdot\mathrm{tol}`, since each of the d entries may be off by tol.

        Otherwise it checks the defining conditions :math:`\|v\|_p \le 1 + \mathrm{tol}` and
        :math:`\langle \xi, v\rangle \ge (1 - \mathrm{tol})\|\xi\|_q`.

        Parameters
        ----------
        v : array
            Candidate directions, shape ``(..., d)``.
        xi : array
            The dual vectors, same shape.
        tol : float
            Relative tolerance for rounding, >= 0.

        Returns
        -------
        array of bool
            One verdict per batch element.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> X = ms.Lp(math.inf)
        >>> X.in_steepest_set(np.array([[1.0, 0.3], [1.0, 1.0]]), np.array([[2.0, 0.0], [2.0, -1.0]])).tolist()
        [True, False]
        """
        xp = namespace(v=v, xi=xi)
        v = as_float_array(v, "v", xp, min_ndim=1)
        xi = as_float_array(xi, "xi", xp, min_ndim=1)
        if v.shape[-1] != xi.shape[-1]:
            raise ValueError(f"arguments 'v' and 'xi' have different dimensions {v.shape[-1]} and {xi.shape[-1]}")
        tol = check_positive_scalar(tol, "tol", allow_zero=True)
        p = self.p
        if p == math.inf:
            ok_box = xp.all(xp.abs(v) <= 1.0 + tol, axis=-1)
            ok_sign = xp.all((xi == 0) | (xp.abs(v - xp.sign(xi)) <= tol), axis=-1)
            return ok_box & ok_sign
        if p == 1.0:
            a = xp.abs(xi)
            m = xp.max(a, axis=-1, keepdims=True)
            tie = (a == m) & (m > 0)
            zero = m[..., 0] == 0
            off = xp.all(tie | (xp.abs(v) <= tol), axis=-1) | zero
            signs = xp.all(~tie | (xp.sign(xi) * v >= -tol), axis=-1)
            mass = xp.sum(xp.abs(v), axis=-1)
            ok_mass = xp.where(zero, mass <= 1.0 + tol, xp.abs(mass - 1.0) <= tol * xi.shape[-1])
            return off & signs & ok_mass
        nv = _pnorm(v, p, xp)
        nd = _pnorm(xi, self.dual_exponent, xp)
        inner = xp.sum(xi * v, axis=-1)
        return (nv <= 1.0 + tol) & (inner >= nd * (1.0 - tol))

    # ------------------------------------------------------------------ balls
    def ball_contains(self, x: Any, center: Any, radius: Any, tol: float = 0.0) -> Any:
        r"""Boolean array: :math:`\|x - c\|_p \le r\,(1 + \mathrm{tol})`.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.
        center : array
            The centre(s) :math:`c`, broadcasting against ``x``.
        radius : float or array
            :math:`r \ge 0`, a scalar or one per batch element.
        tol : float
            Relative slack, >= 0.

        Returns
        -------
        array of bool
            Membership per batch element.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(2.0).ball_contains(np.array([[0.6, 0.8], [0.8, 0.8]]), np.zeros(2), 1.0).tolist()
        [True, False]
        """
        xp = namespace(x=x, center=center, radius=radius)
        x, c = _x_and_center(x, center, xp)
        r = _radius(radius, xp)
        tol = check_positive_scalar(tol, "tol", allow_zero=True)
        return _pnorm(x - c, self.p, xp) <= r * (1.0 + tol)

    def project_ball(self, x: Any, center: Any, radius: Any) -> Any:
        r"""Euclidean projection of ``x`` onto the closed ball :math:`\bar B_r(c) = \{y : \|y - c\|_p \le r\}`.

        Exact (closed form or finite algorithm) for :math:`p \in \{1, 2, \infty\}`:

        * :math:`p = \infty`: :math:`c + \mathrm{clip}(x - c, -r, r)`;
        * :math:`p = 2`: :math:`c + (x - c)\min(1, r/|x - c|_2)`;
        * :math:`p = 1`: soft thresholding :math:`c + \mathrm{sign}(w)(|w| - \theta)^+`, :math:`w = x - c`,
          with :math:`\theta = \max_j (\sum_{i \le j} u_{(i)} - r)/j` over the decreasingly sorted
          :math:`u = |w|` (the sorting algorithm of Held–Wolfe–Crowder / Duchi et al.; written here because
          scipy has no batched simplex projection), and :math:`\theta = 0` inside the ball.

        ``radius`` may be a scalar or an array of the batch shape. Other :math:`p` raise ``NotImplementedError``.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.
        center : array
            The centre(s), broadcasting against ``x``.
        radius : float or array
            :math:`r \ge 0`.

        Returns
        -------
        array
            The nearest point of the ball in the Euclidean sense, same shape as ``x``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(1.0).project_ball(np.array([3.0, 1.0]), np.zeros(2), 1.0).tolist()  # soft threshold θ = 2
        [1.0, 0.0]
        """
        xp = namespace(x=x, center=center, radius=radius)
        x, c = _x_and_center(x, center, xp)
        r = _radius(radius, xp)
        w = x - c
        rr = r[..., None] if hasattr(r, "ndim") and r.ndim > 0 else r
        p = self.p
        if p == math.inf:
            if isinstance(rr, float):
                return c + xp.clip(w, -rr, rr)
            return c + xp.minimum(xp.maximum(w, -rr), rr)
        if p == 2.0:
            n = _pnorm(w, 2.0, xp)[..., None]
            fac = xp.where(n > rr, rr / xp.where(n > 0, n, xp.ones_like(n)), xp.ones_like(n))
            return c + w * fac
        if p == 1.0:
            u = xp.abs(w)
            srt = xp.sort(u, axis=-1, descending=True)
            cs = xp.cumulative_sum(srt, axis=-1)
            j = xp.arange(1, u.shape[-1] + 1, dtype=u.dtype, device=_dev(u))
            theta = xp.max((cs - rr) / j, axis=-1, keepdims=True)
            inside = xp.sum(u, axis=-1, keepdims=True) <= rr
            theta = xp.where(inside, xp.zeros_like(theta), xp.maximum(theta, xp.zeros_like(theta)))
            return c + xp.sign(w) * xp.maximum(u - theta, xp.zeros_like(u))
        raise NotImplementedError(f"exact Euclidean projection onto the {self!r} ball is implemented for p in {{1, 2, inf}} only")

    # ------------------------------------------------------------------ sphere sampling
    def extreme_points(self, d: int, xp: Any = None, dtype: Any = None) -> Any | None:
        r"""The extreme points of the unit ball, shape (m, d), or None if they are not a finite set.

        :math:`\ell^\infty`: the :math:`2^d` vertices :math:`\{\pm 1\}^d` (for :math:`d \le` ``MAX_VERTEX_DIM``);
        :math:`\ell^1`: the :math:`2d` points :math:`\pm e_i`. A convex function attains its maximum over the
        ball at these points, which makes the finite-difference slope of a linear energy exact (claim C5).

        Parameters
        ----------
        d : int
            The dimension.
        xp : array namespace, optional
            The library of the result (default NumPy).
        dtype : dtype, optional
            Its dtype (default float64).

        Returns
        -------
        array or None
            Shape (m, d), or None when the extreme points are not a small finite set.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(1.0).extreme_points(2).tolist(), ms.Lp(2.0).extreme_points(2)
        ([[1.0, 0.0], [0.0, 1.0], [-1.0, -0.0], [-0.0, -1.0]], None)
        """
        d = check_int(d, "d", 1)
        xp = xp if xp is not None else namespace()
        if not (hasattr(xp, "asarray") and hasattr(xp, "float64")):
            raise TypeError(f"argument 'xp' must be an array namespace (e.g. numpy) or None, got {type(xp).__name__}")
        dtype = dtype if dtype is not None else xp.float64
        try:
            xp.asarray(0.0, dtype=dtype)
        except (TypeError, ValueError):
            raise TypeError(f"argument 'dtype' must be a floating dtype of {getattr(xp, '__name__', 'xp')} or None, got {dtype!r}") from None
        if self.p == math.inf and d <= self.MAX_VERTEX_DIM:
            grid = ((np.arange(2**d)[:, None] >> np.arange(d)[None, :]) & 1) * 2.0 - 1.0
            return xp.asarray(grid, dtype=dtype)
        if self.p == 1.0:
            eye = np.eye(d)
            return xp.asarray(np.concatenate([eye, -eye]), dtype=dtype)
        return None

    def sample_sphere(self, center: Any, radius: float, n: int, rng: np.random.Generator | int | None = None) -> Any:
        r"""``n`` points on the sphere :math:`\{y : \|y - c\|_p = r\}` around a single center, shape (n, d).

        In :math:`d = 2` the points are the images of ``n`` equally spaced angles under the radial map onto the
        :math:`\ell^p` sphere (deterministic); otherwise normalized Gaussian samples (seeded by ``rng``).

        Parameters
        ----------
        center : array
            One centre, shape (d,).
        radius : float
            :math:`r > 0`.
        n : int
            The number of points.
        rng : numpy.random.Generator or int or None
            The seed or generator (d ≠ 2).

        Returns
        -------
        array
            Shape (n, d), every row at distance :math:`r` from the centre.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> X = ms.Lp(3.0)
        >>> Y = X.sample_sphere(np.zeros(3), 2.0, 5, rng=0)
        >>> bool(np.allclose(X.norm(Y), 2.0))
        True
        """
        xp = namespace(center=center)
        c = as_float_array(center, "center", xp, min_ndim=1)
        if c.ndim != 1:
            raise ValueError(f"argument 'center' must be a single point (1-D), got shape {tuple(c.shape)}")
        _nonempty_last_axis(c, "center")
        r = check_positive_scalar(radius, "radius")
        n = check_int(n, "n", 1)
        d = c.shape[0]
        if d == 2:
            ang = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
            g = np.stack([np.cos(ang), np.sin(ang)], axis=1)
        else:
            gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
            g = gen.standard_normal((n, d))
        g = g / _np_pnorm(g, self.p)[:, None]
        return c + r * xp.asarray(g, dtype=c.dtype)


def _np_pnorm(g: np.ndarray, p: float) -> np.ndarray:
    if p == math.inf:
        return np.max(np.abs(g), axis=-1)  # type: ignore[no-any-return]
    return np.sum(np.abs(g) ** p, axis=-1) ** (1.0 / p)  # type: ignore[no-any-return]


def _dev(x: Any) -> Any:
    import array_api_compat

    return array_api_compat.device(x)


def _radius(radius: Any, xp: Any) -> Any:
    if isinstance(radius, (int, float)) and not isinstance(radius, bool):
        return check_positive_scalar(radius, "radius", allow_zero=True)
    r = as_float_array(radius, "radius", xp)
    if bool(xp.any(r < 0)):
        raise ValueError("argument 'radius' must be >= 0")
    return r


def _check_lp(space: Any, name: str = "space", what: str = "") -> Lp:
    """Refuse a ``space`` that is not an :class:`Lp` (the one check that the energies, the schemes, the inner
    solvers and the transport layer share), naming the argument ``name``; ``what`` says what it is for."""
    if not isinstance(space, Lp):
        raise TypeError(f"argument {name!r} must be an Lp space{what}, got {type(space).__name__}")
    return space
