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

try:  # the one version number is pyproject's, read from the installed metadata
    from importlib.metadata import version as _version

    __version__ = _version("maxslope")
except Exception:  # pragma: no cover - a source tree that is not installed
    __version__ = "0+unknown"

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
