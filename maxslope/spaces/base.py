"""The metric-space protocols shared by every geometry in maxslope."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["MetricSpace", "NormedSpace", "check_space"]


@runtime_checkable
class MetricSpace(Protocol):
    r"""A complete metric space :math:`(S, d)`.

    Everything that needs distances only (metric derivatives, the speed and energy-dissipation checks, the
    minimizing-movement scheme) is written against this protocol. Two families implement it:
    :class:`~maxslope.spaces.Lp` (points are arrays, the last axis holds the coordinates, leading axes are a
    batch) and :class:`~maxslope.wasserstein.Wasserstein` (points are weighted particle clouds,
    :class:`~maxslope.wasserstein.Empirical`).

    Notes
    -----
    Required: ``distance(x, y)``, :math:`d(x, y)`, batched over leading axes (arrays broadcast; a space of
    measures takes sequences of measures), returning an array of the batch shape.

    Optional members, looked up with ``getattr``:

    geodesic(x, y, s)
        A point :math:`z_s` with :math:`d(x, z_s) = s\,d(x, y)` and :math:`d(z_s, y) = (1 - s)\,d(x, y)`.
    distance_upper_bound(x, y)
        A cheap certified upper bound of :math:`d(x, y)` (in a space of measures: the cost of the particles' own
        coupling); the speed check uses it before computing distances exactly.
    sample_sphere(center, radius, n, rng)
        ``n`` points at distance exactly ``radius`` from ``center``.
    lift_energy(E)
        How an energy given on the ground space acts on this space's points (a Wasserstein space reads a ground
        energy :math:`V` as the potential energy :math:`\int V\,d\mu`).

    Parameters
    ----------
    *args, **kwargs
        Unused: a protocol is not instantiated; :class:`~maxslope.spaces.Lp` and
        :class:`~maxslope.wasserstein.Wasserstein` implement it.

    Examples
    --------
    >>> import math, maxslope as ms
    >>> from maxslope.spaces import MetricSpace
    >>> from maxslope.wasserstein import Wasserstein
    >>> isinstance(ms.Lp(2.0), MetricSpace), isinstance(Wasserstein(math.inf), MetricSpace), isinstance(3, MetricSpace)
    (True, True, False)
    """

    def distance(self, x: Any, y: Any) -> Any:  # pragma: no cover - protocol
        r"""The distance :math:`d(x, y)`, batched over leading axes.

        Parameters
        ----------
        x, y : point or batch of points
            Arrays broadcasting to ``(..., d)`` in a normed space; measures or sequences of measures in a space of
            measures.

        Returns
        -------
        array or float
            :math:`d(x, y)`, of the batch shape.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.spaces import MetricSpace
        >>> isinstance(ms.Lp(2.0), MetricSpace), float(ms.Lp(2.0).distance(np.zeros(2), np.array([3.0, 4.0])))
        (True, 5.0)
        """
        ...


@runtime_checkable
class NormedSpace(MetricSpace, Protocol):
    r"""A finite-dimensional normed space :math:`(\mathbb R^d, \|\cdot\|)`: what only Banach spaces have.

    Required on top of :class:`MetricSpace`: ``p`` (the exponent of the norm), ``norm(x)``, ``dual_norm(xi)``,
    ``steepest_direction(xi, selection)`` (an element of :math:`\partial\|\cdot\|_*(\xi)`),
    ``in_steepest_set(v, xi, tol)`` (membership) and ``project_ball(x, center, radius)``.

    Parameters
    ----------
    *args, **kwargs
        Unused: a protocol is not instantiated.

    Examples
    --------
    >>> import math, maxslope as ms
    >>> from maxslope.spaces import NormedSpace
    >>> from maxslope.wasserstein import Wasserstein
    >>> isinstance(ms.Lp(2.0), NormedSpace), isinstance(Wasserstein(math.inf), NormedSpace)
    (True, False)
    """

    p: float

    def norm(self, x: Any) -> Any:  # pragma: no cover - protocol
        r"""The norm :math:`\\|x\\|` over the last axis.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.

        Returns
        -------
        array
            :math:`\\|x\\|`, of the batch shape.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> float(ms.Lp(1.0).norm(np.array([3.0, -4.0])))
        7.0
        """
        ...

    def dual_norm(self, xi: Any) -> Any:  # pragma: no cover - protocol
        r"""The dual norm :math:`\\|\\xi\\|_* = \\sup_{\\|v\\| \\le 1}\\langle\\xi, v\\rangle` over the last axis.

        Parameters
        ----------
        xi : array
            Dual vectors, shape ``(..., d)``.

        Returns
        -------
        array
            :math:`\\|\\xi\\|_*`, of the batch shape.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> float(ms.Lp(1.0).dual_norm(np.array([3.0, -4.0])))  # the sup norm
        4.0
        """
        ...

    def steepest_direction(self, xi: Any, selection: Any = None) -> Any:  # pragma: no cover - protocol
        r"""An element of the steepest set :math:`\\partial\\|\\cdot\\|_*(\\xi)`.

        Parameters
        ----------
        xi : array
            Dual vectors, shape ``(..., d)``.
        selection : str or float, optional
            Which element where the set is not a single point.

        Returns
        -------
        array
            :math:`v \\in \\partial\\|\\cdot\\|_*(\\xi)`, unit norm where :math:`\\xi \\ne 0`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(math.inf).steepest_direction(np.array([2.0, -0.5, 0.0])).tolist()
        [1.0, -1.0, 0.0]
        """
        ...

    def in_steepest_set(self, v: Any, xi: Any, tol: float = 1e-12) -> Any:  # pragma: no cover - protocol
        r"""Membership in the steepest set :math:`\\partial\\|\\cdot\\|_*(\\xi)`.

        Parameters
        ----------
        v, xi : array
            Directions and dual vectors, shape ``(..., d)``.
        tol : float
            Relative tolerance for rounding.

        Returns
        -------
        array of bool
            :math:`v \\in \\partial\\|\\cdot\\|_*(\\xi)`, per batch element.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> bool(ms.Lp(2.0).in_steepest_set(np.array([0.6, 0.8]), np.array([3.0, 4.0])))
        True
        """
        ...

    def project_ball(self, x: Any, center: Any, radius: Any) -> Any:  # pragma: no cover - protocol
        r"""The Euclidean projection onto the closed ball of the norm.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.
        center : array
            The centre(s).
        radius : float or array
            The radius :math:`r \\ge 0`.

        Returns
        -------
        array
            The Euclidean projection onto :math:`\\bar B_r(c)`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> ms.Lp(math.inf).project_ball(np.array([2.0, 0.5]), np.zeros(2), 1.0).tolist()
        [1.0, 0.5]
        """
        ...


def check_space(space: Any, name: str = "space", *, normed: bool = False) -> Any:
    """Return ``space`` if it implements the protocol (``normed``: :class:`NormedSpace`), else ``TypeError``.

    Parameters
    ----------
    space : object
        The candidate space (an instance, not a class).
    name : str
        The argument name the error message gives.
    normed : bool
        Require :class:`NormedSpace` rather than :class:`MetricSpace`.

    Returns
    -------
    MetricSpace
        ``space`` itself.

    Examples
    --------
    >>> import math, maxslope as ms
    >>> from maxslope.spaces import check_space
    >>> from maxslope.wasserstein import Wasserstein
    >>> check_space(Wasserstein(math.inf)) is not None
    True
    >>> check_space(Wasserstein(math.inf), normed=True)
    Traceback (most recent call last):
    ...
    TypeError: argument 'space' must be a normed space such as Lp(p), got Wasserstein
    """
    proto = NormedSpace if normed else MetricSpace
    if isinstance(space, type) or not isinstance(space, proto):
        what = "a normed space such as Lp(p)" if normed else "a metric space such as Lp(p) or Wasserstein(p, Lp(q))"
        raise TypeError(f"argument {name!r} must be {what}, got {type(space).__name__}")
    return space
