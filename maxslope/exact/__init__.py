"""Closed-form reference flows, exact in sympy, evaluable in NumPy and mpmath."""

from .arclength import ArcLengthQuadraticFlow
from .closed_form import (
    ClosedFormFlow,
    Piece,
    ascent_flow,
    box_linear_flow,
    l1norm_flow,
    l2_centered_quadratic_flow,
    linear_flow,
    separable_quadratic_flow,
    sliding_flow,
    sliding_lazy_curve,
)
from .convergence import ConvergenceStudy, convergence_study

__all__ = [
    "ClosedFormFlow",
    "Piece",
    "ascent_flow",
    "box_linear_flow",
    "l1norm_flow",
    "l2_centered_quadratic_flow",
    "linear_flow",
    "separable_quadratic_flow",
    "sliding_flow",
    "sliding_lazy_curve",
    "ArcLengthQuadraticFlow",
    "ConvergenceStudy",
    "convergence_study",
]
