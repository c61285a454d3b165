"""Curve checks with result objects (speed, energy dissipation, inclusion, upper gradient) and certified mode."""

from .certified import CertifiedResult, certify_energy_dissipation
from .curve import (
    check_curve_of_maximal_slope,
    check_differential_inclusion,
    check_energy_dissipation,
    check_speed,
    check_upper_gradient,
    is_monotone,
)
from .order import check_residual_order
from .result import CheckResult, CombinedResult

__all__ = [
    "CheckResult",
    "CombinedResult",
    "CertifiedResult",
    "certify_energy_dissipation",
    "check_curve_of_maximal_slope",
    "check_differential_inclusion",
    "check_energy_dissipation",
    "check_speed",
    "check_upper_gradient",
    "is_monotone",
    "check_residual_order",
]
