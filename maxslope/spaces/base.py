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
    """

    def distance(self, x: Any, y: Any) -> Any:  # pragma: no cover - protocol
        ...


@runtime_checkable
class NormedSpace(MetricSpace, Protocol):
    r"""A finite-dimensional normed space :math:`(\mathbb R^d, \|\cdot\|)`: what only Banach spaces have.

    Required on top of :class:`MetricSpace`: ``p`` (the exponent of the norm), ``norm(x)``, ``dual_norm(xi)``,
    ``steepest_direction(xi, selection)`` (an element of :math:`\partial\|\cdot\|_*(\xi)`),
    ``in_steepest_set(v, xi, tol)`` (membership) and ``project_ball(x, center, radius)``.
    """

    p: float

    def norm(self, x: Any) -> Any:  # pragma: no cover - protocol
        ...

    def dual_norm(self, xi: Any) -> Any:  # pragma: no cover - protocol
        ...

    def steepest_direction(self, xi: Any, selection: Any = None) -> Any:  # pragma: no cover - protocol
        ...

    def in_steepest_set(self, v: Any, xi: Any, tol: float = 1e-12) -> Any:  # pragma: no cover - protocol
        ...

    def project_ball(self, x: Any, center: Any, radius: Any) -> Any:  # pragma: no cover - protocol
        ...


def check_space(space: Any, name: str = "space", *, normed: bool = False) -> Any:
    """Return ``space`` if it implements the protocol (``normed``: :class:`NormedSpace`), else ``TypeError``."""
    proto = NormedSpace if normed else MetricSpace
    if isinstance(space, type) or not isinstance(space, proto):
        what = "a normed space such as Lp(p)" if normed else "a metric space such as Lp(p) or Wasserstein(p, Lp(q))"
        raise TypeError(f"argument {name!r} must be {what}, got {type(space).__name__}")
    return space
