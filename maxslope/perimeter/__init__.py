r"""Nonlocal perimeter of adversarial training and its minimizing movements (weighted mean curvature flow)."""

from .cloud import cloud_adversarial_risk, cloud_masses, cloud_perimeter, cloud_risk, disc_cloud_expectation
from .flow import SetTrajectory, check_set_energy_inequality, perimeter_flow
from .functional import (
    C_PER,
    VARIANTS,
    adversarial_risk,
    class_masses,
    nonlocal_perimeter,
    nonlocal_tv,
    risk,
    stencil_max,
    stencil_min,
)
from .grid import Grid, ball_offsets, signed_distance
from .shapes import disc, dumbbell, ellipse, star
from .step import StepResult, lp_relaxation, perimeter_step, solve_cut, step_energy, step_problem

__all__ = [
    "C_PER",
    "VARIANTS",
    "Grid",
    "SetTrajectory",
    "perimeter_flow",
    "StepResult",
    "adversarial_risk",
    "ball_offsets",
    "check_set_energy_inequality",
    "class_masses",
    "cloud_adversarial_risk",
    "cloud_masses",
    "cloud_perimeter",
    "cloud_risk",
    "disc",
    "disc_cloud_expectation",
    "dumbbell",
    "ellipse",
    "lp_relaxation",
    "nonlocal_perimeter",
    "nonlocal_tv",
    "perimeter_step",
    "risk",
    "signed_distance",
    "solve_cut",
    "star",
    "stencil_max",
    "stencil_min",
    "step_energy",
    "step_problem",
]
