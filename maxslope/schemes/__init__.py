"""Schemes: minimizing movements (implicit) and normalized steepest descent (semi-implicit)."""

from .inner import CBOInner, ClosedForm, ExactInner, GridInner, MultistartInner, NoExactSolver, closed_form
from .minimizing_movement import minimizing_movement, p_step
from .steepest_descent import steepest_descent

__all__ = [
    "minimizing_movement",
    "p_step",
    "steepest_descent",
    "ExactInner",
    "GridInner",
    "MultistartInner",
    "CBOInner",
    "NoExactSolver",
    "closed_form",
    "ClosedForm",
]
