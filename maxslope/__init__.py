"""maxslope: checkable metric gradient flows.

Curves of maximal slope (p = ∞ first), minimizing movements, normalized steepest descent (signed gradient
descent = IFGSM), with closed-form references and checks of the claims of Weigand–Roith–Burger (arXiv 2406.05376)
and Bungert–Laux–Stinson (arXiv 2404.14402).
"""

from .curves import Trajectory
from .energies import (
    Energy,
    FromCallables,
    L1Norm,
    Linear,
    MonotoneTransform,
    Negated,
    Quadratic,
    SeparableQuadratic,
    Sum,
    TorchEnergy,
)
from .slopes import numerical_slope, slope
from .spaces import Box, Lp, MetricSpace, NormedSpace
from .wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein

__version__ = "0.1.0"

__all__ = [
    "Trajectory",
    "Energy",
    "FromCallables",
    "L1Norm",
    "Linear",
    "MonotoneTransform",
    "Negated",
    "Quadratic",
    "SeparableQuadratic",
    "Sum",
    "TorchEnergy",
    "numerical_slope",
    "slope",
    "Box",
    "Lp",
    "MetricSpace",
    "NormedSpace",
    "Wasserstein",
    "Empirical",
    "PotentialEnergy",
    "InteractionEnergy",
]
