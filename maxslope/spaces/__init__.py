"""Geometry: ℓp spaces, the ℓ∞ budget box, and the metric-space protocols."""

from .base import MetricSpace, NormedSpace, check_space
from .box import Box
from .lp import Lp, pnorm

__all__ = ["MetricSpace", "NormedSpace", "check_space", "Lp", "Box", "pnorm"]
