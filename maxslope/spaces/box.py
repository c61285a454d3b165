r"""The :math:`\ell^\infty` budget set :math:`S = \bar B_\varepsilon(x_0) = \prod_i [x_{0,i} - \varepsilon_i, x_{0,i} + \varepsilon_i]`."""

from __future__ import annotations

from typing import Any

from .._backend import as_float_array, check_positive_scalar, namespace

__all__ = ["Box"]


class Box:
    r"""An axis-aligned box :math:`\prod_i [c_i - r_i, c_i + r_i]`: the :math:`\ell^\infty` budget ball.

    Adversarial attacks run the flow on the metric space :math:`S = \bar B_\varepsilon(x_0)` (the budget-ball
    reading of an attack). A closed subset of a complete space is complete, so the metric theory applies to :math:`S` unchanged; the
    slope of :math:`E|_S` is, by the derivation of claim C23,

    .. math:: |\partial(E|_S)|(x) = \sum_{i \text{ not blocked}} |\partial_i E(x)|,

    where coordinate :math:`i` is *blocked* at :math:`x` if :math:`x_i` lies on a face
    :math:`c_i \pm r_i` and the descent direction :math:`-\mathrm{sign}(\partial_i E(x))` points out of the box.

    Parameters
    ----------
    center : array, shape (..., d)
        The centre :math:`x_0` (a batch of centres is allowed).
    radius : float or array broadcastable to ``center``
        The half-widths :math:`\varepsilon_i \ge 0`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.spaces import Box
    >>> S = Box(np.zeros(2), 0.5)
    >>> S.project(np.array([1.0, -0.2])).tolist(), S.contains(np.array([0.5, 0.5])).item()
    ([0.5, -0.2], True)
    """

    def __init__(self, center: Any, radius: Any) -> None:
        xp = namespace(center=center, radius=radius)
        self.xp = xp
        self.center = as_float_array(center, "center", xp, min_ndim=1)
        if isinstance(radius, (int, float)) and not isinstance(radius, bool):
            r = xp.asarray(float(radius), dtype=self.center.dtype)
        else:
            r = as_float_array(radius, "radius", xp)
        if bool(xp.any(r < 0)):
            raise ValueError("argument 'radius' of Box must be >= 0")
        try:
            self.radius = xp.broadcast_to(r, self.center.shape) if r.ndim > 0 else r
        except (ValueError, RuntimeError):
            raise ValueError(
                f"argument 'radius' of shape {tuple(r.shape)} does not broadcast to the centre's shape {tuple(self.center.shape)}"
            ) from None
        self.lower = self.center - self.radius
        self.upper = self.center + self.radius

    @classmethod
    def from_bounds(cls, lower: Any, upper: Any) -> Box:
        r"""The box :math:`\\prod_i [l_i, u_i]`; raises if some :math:`l_i > u_i` (empty box).

        Parameters
        ----------
        lower, upper : array
            The bounds :math:`l \le u`, of one shape.

        Returns
        -------
        Box
            Centre :math:`(l + u)/2`, radius :math:`(u - l)/2`.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.spaces import Box
        >>> B = Box.from_bounds(np.array([0.0, 1.0]), np.array([1.0, 3.0]))
        >>> B.center.tolist(), B.radius.tolist()
        ([0.5, 2.0], [0.5, 1.0])
        """
        xp = namespace(lower=lower, upper=upper)
        lo = as_float_array(lower, "lower", xp, min_ndim=1)
        hi = as_float_array(upper, "upper", xp, min_ndim=1)
        if tuple(lo.shape) != tuple(hi.shape) or lo.shape[-1] == 0:
            raise ValueError(f"arguments 'lower' and 'upper' must have one shape (..., d) with d >= 1, got {tuple(lo.shape)} and {tuple(hi.shape)}")
        if bool(xp.any(lo > hi)):
            raise ValueError("arguments 'lower' and 'upper' describe an empty box (some lower > upper)")
        b = cls.__new__(cls)
        b.xp = xp
        b.lower, b.upper = lo, hi
        b.center = (lo + hi) / 2
        b.radius = (hi - lo) / 2
        return b

    def __repr__(self) -> str:
        return f"Box(center shape {tuple(self.center.shape)}, radius {self.radius if self.radius.ndim == 0 else 'array'})"

    def _x(self, x: Any, name: str = "x") -> Any:
        xp = namespace(**{name: x, "box": self.center})
        x = as_float_array(x, name, xp, min_ndim=1)
        if x.shape[-1] != self.center.shape[-1]:
            raise ValueError(f"argument {name!r} has dimension {x.shape[-1]}, the box has {self.center.shape[-1]}")
        return x

    def contains(self, x: Any, tol: float = 0.0) -> Any:
        """Boolean array over the batch: every coordinate within ``[lower - tol, upper + tol]``.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.
        tol : float
            Absolute slack, >= 0.

        Returns
        -------
        array of bool
            One verdict per batch element.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.spaces import Box
        >>> S = Box(np.zeros(2), 0.5)
        >>> S.contains(np.array([[0.5, 0.0], [0.6, 0.0]])).tolist()
        [True, False]
        """
        x = self._x(x)
        tol = check_positive_scalar(tol, "tol", allow_zero=True)
        xp = self.xp
        return xp.all((x >= self.lower - tol) & (x <= self.upper + tol), axis=-1)

    def project(self, x: Any) -> Any:
        r"""Euclidean (and every :math:`\ell^p`) nearest point: :math:`\mathrm{clip}(x, c - r, c + r)`.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.

        Returns
        -------
        array
            The nearest points of the box, same shape.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.spaces import Box
        >>> S = Box(np.zeros(2), 0.5)
        >>> S.project(np.array([2.0, -3.0])).tolist()
        [0.5, -0.5]
        """
        x = self._x(x)
        xp = self.xp
        return xp.minimum(xp.maximum(x, self.lower), self.upper)

    def intersect(self, other: Box) -> Box:
        """The intersection of two boxes (a box); raises ``ValueError`` if it is empty.

        Parameters
        ----------
        other : Box
            A box of the same dimension.

        Returns
        -------
        Box
            The intersection.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.spaces import Box
        >>> S = Box(np.zeros(2), 0.5)
        >>> C = S.intersect(Box(np.array([0.5, 0.5]), 0.5))
        >>> C.lower.tolist(), C.upper.tolist()
        ([0.0, 0.0], [0.5, 0.5])
        """
        if not isinstance(other, Box):
            raise TypeError(f"argument 'other' must be a Box, got {type(other).__name__}")
        xp = namespace(box=self.center, other=other.center)
        return Box.from_bounds(xp.maximum(self.lower, other.lower), xp.minimum(self.upper, other.upper))

    def blocked(self, x: Any, grad: Any, tol: float = 0.0) -> Any:
        r"""Boolean array (..., d): coordinate :math:`i` is blocked at :math:`x` (claim C23).

        Blocked means :math:`x_i \ge c_i + r_i - \mathrm{tol}` and :math:`\partial_i E(x) < 0` (descent pushes
        up, out of the box), or :math:`x_i \le c_i - r_i + \mathrm{tol}` and :math:`\partial_i E(x) > 0`.

        Parameters
        ----------
        x : array
            Points in the box, shape ``(..., d)``.
        grad : array
            :math:`\nabla E(x)`, same shape.
        tol : float
            How close to a face counts as on it.

        Returns
        -------
        array of bool
            Shape ``(..., d)``.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.spaces import Box
        >>> S = Box(np.zeros(2), 0.5)
        >>> S.blocked(np.array([0.5, 0.5]), np.array([-1.0, 1.0])).tolist()  # descent +1 leaves at x₁; −1 stays in
        [True, False]
        """
        x = self._x(x)
        g = self._x(grad, "grad")
        tol = check_positive_scalar(tol, "tol", allow_zero=True)
        return ((x >= self.upper - tol) & (g < 0)) | ((x <= self.lower + tol) & (g > 0))

    def restricted_slope(self, x: Any, grad: Any, tol: float = 0.0) -> Any:
        r""":math:`|\partial(E|_S)|(x) = \sum_{i \text{ not blocked}} |\partial_i E(x)|` (ℓ∞ geometry, claim C23).

        Parameters
        ----------
        x : array
            Points in the box.
        grad : array
            :math:`\nabla E(x)`.
        tol : float
            How close to a face counts as on it.

        Returns
        -------
        array
            The slope of :math:`E|_S`, one value per batch element.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.spaces import Box
        >>> S = Box(np.zeros(2), 0.5)
        >>> float(S.restricted_slope(np.array([0.5, 0.5]), np.array([-1.0, 2.0])))
        2.0
        """
        xp = self.xp
        g = self._x(grad, "grad")
        free = ~self.blocked(x, g, tol)
        return xp.sum(xp.where(free, xp.abs(g), xp.zeros_like(g)), axis=-1)


def _check_box(constraint: Any, name: str = "constraint") -> Box | None:
    """Refuse a ``constraint`` that is neither a :class:`Box` nor None, naming the argument ``name``."""
    if constraint is not None and not isinstance(constraint, Box):
        raise TypeError(f"argument {name!r} must be a maxslope.spaces.Box or None, got {type(constraint).__name__}")
    return constraint
