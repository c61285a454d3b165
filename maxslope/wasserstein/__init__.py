r"""Measures, Wasserstein distances and W_∞ flows of potential energies (spec §1.8, C16–C20)."""

from .distance import (
    WassersteinResult,
    bottleneck_assignment,
    distance_matrix,
    pair_distances,
    wasserstein,
    wasserstein_distance,
)
from .empirical import Empirical, integer_masses
from .flows import (
    ParticleFlow,
    PotentialEnergy,
    ball_transport_lp,
    check_measure_energy_dissipation,
    check_w_inf_speed,
    distributional_adversary,
    mass_splitting_flow,
    particle_minimizing_movement,
    particle_steepest_descent,
    uniform_spreading_curve,
)

__all__ = [
    "Empirical",
    "integer_masses",
    "WassersteinResult",
    "bottleneck_assignment",
    "distance_matrix",
    "pair_distances",
    "wasserstein",
    "wasserstein_distance",
    "ParticleFlow",
    "PotentialEnergy",
    "ball_transport_lp",
    "check_measure_energy_dissipation",
    "check_w_inf_speed",
    "distributional_adversary",
    "mass_splitting_flow",
    "particle_minimizing_movement",
    "particle_steepest_descent",
    "uniform_spreading_curve",
]
