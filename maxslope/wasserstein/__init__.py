r"""The Wasserstein space: measures, exact W_p distances, energies on measures and W_∞ theory (C16–C20, W1–W8)."""

from .chunked import ChunkedEmpirical
from .distance import (
    WassersteinResult,
    bottleneck_assignment,
    distance_matrix,
    pair_distances,
    wasserstein,
    wasserstein_distance,
)
from .empirical import Empirical, integer_masses
from .energies import InteractionEnergy, MeasureEnergy, PotentialEnergy
from .flows import (
    ball_transport_lp,
    distributional_adversary,
    mass_splitting_flow,
    uniform_spreading_curve,
)
from .schemes import ParticleInner
from .space import Wasserstein

__all__ = [
    "Empirical",
    "ChunkedEmpirical",
    "integer_masses",
    "WassersteinResult",
    "bottleneck_assignment",
    "distance_matrix",
    "pair_distances",
    "wasserstein",
    "wasserstein_distance",
    "Wasserstein",
    "MeasureEnergy",
    "PotentialEnergy",
    "InteractionEnergy",
    "ParticleInner",
    "ball_transport_lp",
    "distributional_adversary",
    "mass_splitting_flow",
    "uniform_spreading_curve",
]
