"""Geometry: ℓp spaces, the ℓ∞ budget box, and the metric-space protocol."""

from .base import MetricSpace
from .box import Box
from .lp import Lp, pnorm

__all__ = ["MetricSpace", "Lp", "Box", "pnorm"]
