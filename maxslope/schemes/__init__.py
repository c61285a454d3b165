"""Schemes: minimizing movements (implicit) and normalized steepest descent (semi-implicit)."""

from .inner import (
    CBOInner,
    ClosedForm,
    ExactInner,
    GridInner,
    MultistartInner,
    NoExactSolver,
    QuasiNewtonInner,
    closed_form,
)
from .minimizing_movement import minimizing_movement, p_step
from .progress import Progress, print_progress
from .steepest_descent import steepest_descent

__all__ = [
    "minimizing_movement",
    "p_step",
    "steepest_descent",
    "ExactInner",
    "GridInner",
    "MultistartInner",
    "QuasiNewtonInner",
    "CBOInner",
    "NoExactSolver",
    "closed_form",
    "ClosedForm",
    "Progress",
    "print_progress",
]
