"""The metric-space protocol shared by every geometry in maxslope."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["MetricSpace"]


@runtime_checkable
class MetricSpace(Protocol):
    r"""A complete metric space :math:`(S, d)` whose points are arrays.

    Points carry their coordinates in the last axis (or, for spaces of measures and sets, in the trailing axes
    the space documents); leading axes are a batch. Everything that only needs distances (metric derivatives,
    speed checks, minimizing movements with a generic inner solver) is written against this protocol, so that
    :class:`~maxslope.spaces.Lp`, the Wasserstein space and the space of sets can all be used.

    Required
    --------
    distance(x, y)
        :math:`d(x, y)`, batched over leading axes (broadcasting), returning an array of the batch shape.

    Optional (checked with ``hasattr``)
    ------------------------------------
    project_ball(x, center, radius)
        A point of the closed ball :math:`\bar B_r(c)` closest to ``x``.
    sample_sphere(center, radius, n, rng)
        ``n`` points on the sphere :math:`\{y : d(y, c) = r\}`, shape ``(n, *center.shape)``.
    """

    def distance(self, x: Any, y: Any) -> Any:  # pragma: no cover - protocol
        ...
