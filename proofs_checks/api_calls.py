"""The public API's functions, each with one valid call, from which claim A1 spoils one argument at a time.

Every callable in an ``__all__`` of ``maxslope`` and its public subpackages must appear either in :data:`CALLS`
(a factory returning the callable and the keyword arguments of a valid call, with fresh arrays) or in
:data:`NOT_FUZZED` with the reason; ``tests/fuzz/test_public_api.py::test_every_public_callable_is_registered``
fails for a new public function until it is added, so that it is fuzzed automatically from then on (by the
default test run and by ``maxslope verify``). Entries whose optional dependency is missing are left out here.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import math
import pkgutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import maxslope as ms
from maxslope import checks, exact, perimeter, schemes, spaces, wasserstein
from maxslope.attacks import fgsm, ifgsm, pgd
from maxslope.experiments import digits, two_moons
from maxslope.perimeter import references
from maxslope.wasserstein.empirical import check_weights

Call = tuple[Callable[..., Any], dict[str, Any]]
LINF, L2 = ms.Lp(math.inf), ms.Lp(2.0)


def _x(n: int = 4, d: int = 2, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, d))


def _E() -> Any:
    return ms.SeparableQuadratic(np.array([1.0, 3.0]))


def _traj() -> Any:
    return schemes.steepest_descent(_E(), LINF, _x(), 0.05, steps=4)


def _mu(seed: int = 0) -> Any:
    return wasserstein.Empirical(_x(5, 2, seed))


def _grid() -> Any:
    return perimeter.Grid((10, 10), 0.1)


def _set() -> np.ndarray:
    return _grid().indicator(lambda x: (x**2).sum(-1) <= 0.3**2)


def _cut_data() -> dict[str, Any]:
    f, m0, m1, _ = perimeter.step_problem(_set(), 0.05, 0.2, _grid())
    return {"f": f, "m0": m0, "m1": m1, "eps": 0.2, "grid": _grid()}


def _half_sq(x: Any) -> Any:
    return (x**2).sum(-1) / 2


def _identity(x: Any) -> Any:
    return x


def _never(*args: Any) -> bool:
    return False


def _rho(x: float) -> float:
    return 1.0 + 0.1 * x


def _from_callables(value: Any, grad: Any, smooth: Any, dim: Any, x: Any) -> Any:
    E = ms.FromCallables(value, grad, smooth=smooth, dim=dim)
    return E.value(x), E.grad(x)


def _first_column(x: Any) -> Any:
    """A value or gradient of the wrong shape, (..., 1) (a domain edge of FromCallables)."""
    return x[..., :1]


def _transformed(phi: Any, dphi: Any, energy: Any, x: Any) -> Any:
    E = ms.MonotoneTransform(phi, dphi, energy)
    return E.value(x), E.grad(x)


def _negated(loss: Any, x: Any) -> Any:
    E = ms.Negated(loss)
    return E.value(x), E.grad(x)


def _summed(energies: Any, x: Any) -> Any:
    E = ms.Sum(*energies) if isinstance(energies, (list, tuple)) else ms.Sum(energies)
    return E.value(x), E.grad(x)


def _step_args() -> dict[str, Any]:
    return {"E": _E(), "space": LINF, "xk": _x() / 2, "radius": 0.2, "constraint": ms.Box(np.zeros(2), 0.9)}


def _inner_step(cls: type) -> Callable[..., Any]:
    """The solver's constructor with its own keywords, then one ball step with E, space, xk, radius, constraint."""
    def run(E: Any, space: Any, xk: Any, radius: Any, constraint: Any, **settings: Any) -> Any:
        return cls(**settings)(E, space, xk, radius, constraint)
    return run


def _particle_inner(gtol: Any, maxiter: Any, mu: Any, tau: Any, p: Any) -> Any:
    E = ms.InteractionEnergy(ms.SeparableQuadratic(np.array([0.5, 0.5])))
    nu = wasserstein.ParticleInner(gtol=gtol, maxiter=maxiter)(E, ms.Wasserstein(p, L2), mu, tau, p)
    return nu.points, nu.weights


def _chunked_integral(points: Any, weights: Any, atol: Any) -> Any:
    import dask.array as da

    pts = da.from_array(points, chunks=(3,) + tuple(points.shape[1:])) if isinstance(points, np.ndarray) and points.ndim else points
    return wasserstein.ChunkedEmpirical(pts, weights, atol).integrate(lambda x: (x**2).sum(-1))


def _arclength_at(A: Any, x0: Any, t: Any) -> Any:
    return exact.ArcLengthQuadraticFlow(A, x0)(t)


def _cloud_set() -> np.ndarray:
    return (_x(8)[:, 0] > 0)


def _cloud_labels() -> np.ndarray:
    return np.array([0, 1, 0, 1, 1, 0, 1, 0])


def _moons_model() -> Any:
    return two_moons.MoonsClassifier(_moons_state(), "gelu")


def _moons_state() -> dict[str, np.ndarray]:
    """A small deterministic network in the notebook's layout (trained for two epochs on 40 points)."""
    X, y = two_moons.make_moons(40, seed=0)
    return {k: np.array(v) for k, v in two_moons.train_classifier("gelu", X, y, epochs=2, batch=10, seed=0).state_dict().items()}


def _moons_file() -> str:
    """A torch zip state dict: written by torch where it is installed, else the authors' file beside the checkout."""
    import os
    import tempfile

    try:
        import torch
    except ImportError:
        return str(_SHARED_GELU)
    path = os.path.join(tempfile.gettempdir(), "maxslope_fuzz_moons.pt")
    if not os.path.isfile(path):
        torch.save({k: torch.from_numpy(v) for k, v in _moons_state().items()}, path)
    return path


_SCRATCH: list[Any] = []


def _scratch() -> Path:
    """One temporary folder per process for the figures of the valid calls, removed when the process exits."""
    if not _SCRATCH:
        _SCRATCH.append(tempfile.TemporaryDirectory(prefix="maxslope-a1-"))
    return Path(_SCRATCH[0].name)


def _testing() -> Any:
    """:mod:`maxslope.testing`, imported on use: it needs Hypothesis, which ``pip install maxslope`` lacks."""
    from maxslope import testing

    return testing


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


_SHARED_GELU = Path(__file__).resolve().parents[2] / "shared" / "data" / "two_moons" / "two_moons_GeLU.pt"


def _moons_logits(state: Any, activation: Any, bn_eps: Any, x: Any) -> Any:
    return two_moons.MoonsClassifier(state, activation, bn_eps)(x)


def _attack_loss(model: Any, y: Any, x: Any) -> Any:
    E = two_moons.AttackLoss(model, y)
    return E.value(x), E.grad(x)


def _difference_study() -> Any:
    return two_moons.DifferenceStudy("relu", [0.1, 0.05], [10, 20], [0.2, 0.1], [0.1, 0.05], "grid", 2)


def _closing(plot: Callable[..., Any]) -> Callable[..., Any]:
    """Call a plotting function and close its figure, returning nothing to check but that it ran."""
    def run(**kwargs: Any) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        plot(**kwargs)
        plt.close("all")
    return run


def _torch_half_sq(t: Any) -> Any:
    return (t**2).sum(-1) / 2


def _torch_energy(fn: Any, dim: Any, x: Any) -> Any:
    E = ms.TorchEnergy(fn, dim)
    return E.value(x), E.grad(x)


def _linear_clf() -> Any:
    return digits.LinearClassifier(np.array([[1.0, -1.0], [0.5, 0.5], [-1.0, 0.2]]), np.array([0.0, 0.1, -0.1]))


def _linear_logits(W: Any, b: Any, x: Any) -> Any:
    return digits.LinearClassifier(W, b).logits(x)


def _margin_loss(clf: Any, y: Any, x: Any) -> Any:
    E = digits.MarginLoss(clf, y)
    return E.value(x), E.grad(x)


CALLS: dict[str, Callable[[], Call]] = {
    # ---------------------------------------------------------------- spaces, energies, curves, slopes
    "maxslope.Lp": lambda: (ms.Lp, {"p": 3.0}),
    "maxslope.Box": lambda: (ms.Box, {"center": _x(), "radius": 0.5}),
    "maxslope.spaces.pnorm": lambda: (spaces.pnorm, {"x": _x(), "p": 3.0, "xp": np}),
    "maxslope.spaces.check_space": lambda: (spaces.check_space, {"space": L2, "name": "space"}),
    "maxslope.Linear": lambda: (ms.Linear, {"a": np.array([1.0, -2.0]), "c": 0.5}),
    "maxslope.Quadratic": lambda: (ms.Quadratic, {"A": np.array([[2.0, 0.5], [0.5, 1.0]]), "b": np.array([1.0, 0.0]), "c": 0.0}),
    "maxslope.SeparableQuadratic": lambda: (ms.SeparableQuadratic, {"lam": np.array([1.0, 3.0]), "center": np.array([0.1, 0.2])}),
    "maxslope.L1Norm": lambda: (ms.L1Norm, {"dim": 2, "center": np.array([0.1, 0.2]), "weight": 1.0}),
    "maxslope.energies.as_energy": lambda: (ms.energies.as_energy, {"e": _E(), "name": "e"}),
    "maxslope.Trajectory": lambda: (ms.Trajectory, {"times": np.linspace(0, 1, 3), "points": _x(3, 2), "energies": np.zeros(3)}),
    "maxslope.slope": lambda: (ms.slope, {"E": _E(), "space": LINF, "x": _x()}),
    "maxslope.numerical_slope": lambda: (ms.numerical_slope, {"E": _E(), "space": L2, "x": _x(2), "h": 1e-3}),
    # ---------------------------------------------------------------- schemes and attacks
    "maxslope.schemes.minimizing_movement": lambda: (schemes.minimizing_movement, {"E": _E(), "space": LINF, "x0": _x(), "tau": 0.05, "steps": 3}),
    "maxslope.schemes.steepest_descent": lambda: (schemes.steepest_descent, {"E": _E(), "space": L2, "x0": _x(), "tau": 0.05, "steps": 3}),
    "maxslope.schemes.p_step": lambda: (schemes.p_step, {"E": _E(), "space": L2, "xk": _x(), "tau": 0.05, "p": 2.0}),
    "maxslope.schemes.print_progress": lambda: (schemes.print_progress, {"every": 2, "file": io.StringIO()}),
    "maxslope.schemes.QuasiNewtonInner": lambda: (schemes.QuasiNewtonInner, {"n_random": 1, "maxiter": 50, "seed": 0}),
    "maxslope.attacks.fgsm": lambda: (fgsm, {"loss": _E(), "x0": _x() / 2 + 0.5, "eps": 0.1, "bounds": (0.0, 1.0)}),
    "maxslope.attacks.ifgsm": lambda: (ifgsm, {"loss": _E(), "x0": _x() / 2 + 0.5, "eps": 0.1, "alpha": 0.02, "steps": 3}),
    "maxslope.attacks.pgd": lambda: (pgd, {"loss": _E(), "x0": _x() / 2 + 0.5, "eps": 0.1, "alpha": 0.02, "steps": 3, "norm": 2}),
    # ---------------------------------------------------------------- checks
    "maxslope.checks.check_speed": lambda: (checks.check_speed, {"traj": _traj(), "space": LINF, "tol": 1e-12}),
    "maxslope.checks.check_energy_dissipation": lambda: (checks.check_energy_dissipation, {"traj": _traj(), "E": _E(), "space": LINF, "allowance": 0.1}),
    "maxslope.checks.check_upper_gradient": lambda: (checks.check_upper_gradient, {"traj": _traj(), "E": _E(), "space": LINF}),
    "maxslope.checks.check_differential_inclusion": lambda: (checks.check_differential_inclusion, {"traj": _traj(), "E": _E(), "space": LINF, "allowance": 0.1}),
    "maxslope.checks.check_curve_of_maximal_slope": lambda: (checks.check_curve_of_maximal_slope, {"traj": _traj(), "E": _E(), "space": LINF, "allowance": 0.1}),
    "maxslope.checks.check_residual_order": lambda: (checks.check_residual_order, {
        "run": lambda t: schemes.steepest_descent(_E(), LINF, _x(2), t, T=0.2), "E": _E(), "space": LINF,
        "taus": [0.05, 0.025, 0.0125], "order": 1.0, "slack": 0.25}),
    "maxslope.checks.is_monotone": lambda: (checks.is_monotone, {"energies": np.array([3.0, 2.0, 1.0]), "tol": 0.0}),
    "maxslope.checks.certify_energy_dissipation": lambda: (checks.certify_energy_dissipation, {"flow": exact.linear_flow([1.0, -1.0], [0.0, 0.0]), "tol": 1e-20, "cells": 4, "max_depth": 2, "dps": 30}),
    # ---------------------------------------------------------------- the nonlocal perimeter on grids
    "maxslope.perimeter.Grid": lambda: (perimeter.Grid, {"shape": (8, 8), "h": 0.125}),
    "maxslope.perimeter.ball_offsets": lambda: (perimeter.ball_offsets, {"eps": 0.3, "h": 0.1, "d": 2}),
    "maxslope.perimeter.signed_distance": lambda: (perimeter.signed_distance, {"A": _set(), "grid": _grid(), "half_cell": True}),
    "maxslope.perimeter.class_masses": lambda: (perimeter.class_masses, {"grid": _grid(), "variant": "S"}),
    "maxslope.perimeter.stencil_max": lambda: (perimeter.stencil_max, {"u": _set().astype(float), "eps": 0.2, "grid": _grid()}),
    "maxslope.perimeter.stencil_min": lambda: (perimeter.stencil_min, {"u": _set().astype(float), "eps": 0.2, "grid": _grid()}),
    "maxslope.perimeter.nonlocal_perimeter": lambda: (perimeter.nonlocal_perimeter, {"A": _set(), "eps": 0.2, "grid": _grid(), "variant": "O"}),
    "maxslope.perimeter.nonlocal_tv": lambda: (perimeter.nonlocal_tv, {"u": _set().astype(float), "eps": 0.2, "grid": _grid()}),
    "maxslope.perimeter.adversarial_risk": lambda: (perimeter.adversarial_risk, {"A": _set(), "eta": np.full((10, 10), 0.3), "eps": 0.2, "grid": _grid()}),
    "maxslope.perimeter.risk": lambda: (perimeter.risk, {"A": _set(), "eta": np.full((10, 10), 0.3), "grid": _grid()}),
    "maxslope.perimeter.step_problem": lambda: (perimeter.step_problem, {"A_k": _set(), "tau": 0.05, "eps": 0.2, "grid": _grid()}),
    "maxslope.perimeter.solve_cut": lambda: (perimeter.solve_cut, {**_cut_data(), "selection": "max"}),
    "maxslope.perimeter.lp_relaxation": lambda: (perimeter.lp_relaxation, _cut_data()),
    "maxslope.perimeter.step_energy": lambda: (perimeter.step_energy, {"A": _set(), **_cut_data()}),
    "maxslope.perimeter.perimeter_step": lambda: (perimeter.perimeter_step, {"A_k": _set(), "tau": 0.05, "eps": 0.2, "grid": _grid(), "selection": "max"}),
    "maxslope.testing.points": lambda: (_testing().points, {"dim": 3, "bound": 2.0, "batch": 2, "dtype": np.float32}),
    "maxslope.testing.lp_spaces": lambda: (_testing().lp_spaces, {"ps": [1.0, 2.5, math.inf]}),
    "maxslope.testing.energies": lambda: (_testing().energies, {"dim": 2, "kinds": ["linear", "l1"], "bound": 3.0, "curvature": (0.5, 2.0)}),
    "maxslope.testing.empirical_measures": lambda: (_testing().empirical_measures, {"n": 3, "dim": 2, "bound": 1.0, "uniform": False, "min_weight": 0.1}),
    "maxslope.testing.grid_sets": lambda: (_testing().grid_sets, {"grid": _grid(), "max_discs": 2, "empty": True}),
    "maxslope.perimeter.check_set_energy_inequality": lambda: (perimeter.check_set_energy_inequality, {
        "sets": np.stack([_set(), _set()]), "tau": 0.05, "eps": 0.2, "grid": _grid(), "variant": "S", "half_cell": True, "tol": 1e-9}),
    "maxslope.perimeter.disc": lambda: (perimeter.disc, {"grid": _grid(), "radius": 0.3, "center": [0.0, 0.05]}),
    "maxslope.perimeter.ellipse": lambda: (perimeter.ellipse, {"grid": _grid(), "semi_axes": [0.3, 0.2], "center": [0.0, 0.0], "angle": 0.3}),
    "maxslope.perimeter.dumbbell": lambda: (perimeter.dumbbell, {"grid": _grid(), "radius": 0.15, "separation": 0.5, "neck": 0.1, "center": [0.0, 0.0]}),
    "maxslope.perimeter.star": lambda: (perimeter.star, {"grid": _grid(), "radius": 0.2, "amplitude": 0.3, "arms": 5, "center": [0.0, 0.0], "phase": 0.1}),
    "maxslope.perimeter.perimeter_flow": lambda: (perimeter.perimeter_flow, {"A0": _set(), "tau": 0.05, "eps": 0.2, "grid": _grid(), "steps": 2}),
    # ---------------------------------------------------------------- closed-form flows
    "maxslope.exact.linear_flow": lambda: (exact.linear_flow, {"a": [1.0, -2.0], "x0": [0.0, 0.5], "T": 1.0}),
    "maxslope.exact.ascent_flow": lambda: (exact.ascent_flow, {"x0": [0.2, 0.5], "T": 0.5}),
    "maxslope.exact.box_linear_flow": lambda: (exact.box_linear_flow, {"a": [1.0, -2.0], "x0": [0.0, 0.5], "eps": 0.3, "T": 1.0}),
    "maxslope.exact.l1norm_flow": lambda: (exact.l1norm_flow, {"x0": [0.3, -0.5], "T": 0.4}),
    "maxslope.exact.l2_centered_quadratic_flow": lambda: (exact.l2_centered_quadratic_flow, {"x0": [0.3, -0.5], "center": [0.0, 0.1], "T": 0.2}),
    "maxslope.exact.separable_quadratic_flow": lambda: (exact.separable_quadratic_flow, {"lam": [1.0, 3.0], "x0": [0.3, -0.5], "T": 0.2}),
    "maxslope.exact.sliding_flow": lambda: (exact.sliding_flow, {"x0": (0.6, 0.0), "T": 1.0}),
    "maxslope.exact.sliding_lazy_curve": lambda: (exact.sliding_lazy_curve, {"x0": (0.6, 0.0), "T": 1.0}),
    # ---------------------------------------------------------------- measures and transport
    "maxslope.Empirical": lambda: (wasserstein.Empirical, {"points": _x(5), "weights": np.full(5, 0.2)}),
    "maxslope.wasserstein.empirical.check_weights": lambda: (check_weights, {"weights": np.full(5, 0.2), "n": 5}),
    "maxslope.wasserstein.integer_masses": lambda: (wasserstein.integer_masses, {"w": np.full(5, 0.2)}),
    "maxslope.Wasserstein": lambda: (ms.Wasserstein, {"p": 2.0, "ground": L2}),
    "maxslope.wasserstein.wasserstein": lambda: (wasserstein.wasserstein, {"mu": _mu(0), "nu": _mu(1), "p": 2.0, "ground": L2}),
    "maxslope.wasserstein.wasserstein_distance": lambda: (wasserstein.wasserstein_distance, {"mu": _mu(0), "nu": _mu(1), "p": math.inf, "ground": LINF}),
    "maxslope.wasserstein.bottleneck_assignment": lambda: (wasserstein.bottleneck_assignment, {"X": _x(5, 2, 0), "Y": _x(5, 2, 1), "ground": LINF, "grow": 1.5}),
    "maxslope.wasserstein.distance_matrix": lambda: (wasserstein.distance_matrix, {"X": _x(3), "Y": _x(4), "ground": L2}),
    "maxslope.wasserstein.pair_distances": lambda: (wasserstein.pair_distances, {"X": _x(3), "Y": _x(4), "i": np.array([0, 1]), "j": np.array([2, 3]), "ground": L2}),
    "maxslope.PotentialEnergy": lambda: (ms.PotentialEnergy, {"V": _E()}),
    "maxslope.InteractionEnergy": lambda: (ms.InteractionEnergy, {"W": _E()}),
    "maxslope.wasserstein.distributional_adversary": lambda: (wasserstein.distributional_adversary, {"loss": _E(), "mu": _mu(), "eps": 0.1, "ground": LINF}),
    "maxslope.wasserstein.mass_splitting_flow": lambda: (wasserstein.mass_splitting_flow, {"T": 1.0, "nodes": 8}),
    "maxslope.wasserstein.uniform_spreading_curve": lambda: (wasserstein.uniform_spreading_curve, {"T": 1.0, "atoms": 10, "nodes": 8}),
    "maxslope.wasserstein.ChunkedEmpirical": lambda: (_chunked_integral, {"points": _x(6), "weights": np.full(6, 1 / 6), "atol": 1e-12}),
    "maxslope.wasserstein.ParticleInner": lambda: (_particle_inner, {"gtol": 1e-10, "maxiter": 200, "mu": _mu(), "tau": 0.1, "p": 2.0}),
    "maxslope.wasserstein.ball_transport_lp": lambda: (wasserstein.ball_transport_lp, {
        "values": np.random.default_rng(0).uniform(size=(5, 9)), "mu": _mu(), "grid": _x(9, 2, 3), "radius": 0.5, "ground": LINF,
        "sense": "max"}),
    # ---------------------------------------------------------------- energies built from user functions
    "maxslope.FromCallables": lambda: (_from_callables, {"value": _half_sq, "grad": _identity, "smooth": True, "dim": 2, "x": _x()}),
    "maxslope.MonotoneTransform": lambda: (_transformed, {"phi": np.exp, "dphi": np.exp, "energy": _E(), "x": _x()}),
    "maxslope.Negated": lambda: (_negated, {"loss": _E(), "x": _x()}),
    "maxslope.Sum": lambda: (_summed, {"energies": [_E(), ms.Linear(np.array([1.0, -1.0]))], "x": _x()}),
    # ---------------------------------------------------------------- inner solvers: the constructor, then one step
    "maxslope.schemes.ExactInner": lambda: (_inner_step(schemes.ExactInner), _step_args()),
    "maxslope.schemes.GridInner": lambda: (_inner_step(schemes.GridInner), {"n": 9, "zoom": 2, "chunk": 10_000, **_step_args()}),
    "maxslope.schemes.MultistartInner": lambda: (_inner_step(schemes.MultistartInner), {"n_random": 2, "iters": 20, "seed": 0, **_step_args()}),
    "maxslope.schemes.CBOInner": lambda: (_inner_step(schemes.CBOInner), {
        "N": 8, "max_it": 5, "dt": 0.01, "lam": 1.0, "sigma": 5.1, "alpha": 1e4, "seed": 0, "initial_best": "current", **_step_args()}),
    "maxslope.schemes.inner.get_inner": lambda: (schemes.inner.get_inner, {"inner": "auto", "E": _E(), "space": LINF, "constraint": None}),
    "maxslope.schemes.inner.feasible_box": lambda: (schemes.inner.feasible_box, {
        "space": LINF, "xk": _x() / 2, "radius": 0.2, "constraint": ms.Box(np.zeros(2), 0.9)}),
    "maxslope.schemes.closed_form": lambda: (schemes.closed_form, {"energy": ms.Linear, "space": ms.Lp, "name": "fuzz", "applies": _never}),
    # ---------------------------------------------------------------- closed-form references
    "maxslope.exact.ArcLengthQuadraticFlow": lambda: (_arclength_at, {"A": np.array([[2.0, 0.3], [0.3, 1.0]]), "x0": np.array([0.5, -0.4]), "t": 0.1}),
    "maxslope.exact.convergence_study": lambda: (exact.convergence_study, {
        "scheme": lambda t: schemes.steepest_descent(_E(), LINF, np.array([0.3, -0.2]), t, T=0.2),
        "reference": exact.separable_quadratic_flow([1.0, 3.0], [0.3, -0.2]), "taus": [0.05, 0.025], "samples_per_step": 4}),
    # ---------------------------------------------------------------- the nonlocal perimeter of point clouds
    "maxslope.perimeter.cloud_perimeter": lambda: (perimeter.cloud_perimeter, {
        "points": _x(8), "A": _cloud_set(), "eps": 0.5, "variant": "S", "weights": np.full(8, 1 / 8), "p": 2.0}),
    "maxslope.perimeter.cloud_adversarial_risk": lambda: (perimeter.cloud_adversarial_risk, {
        "points": _x(8), "A": _cloud_set(), "labels": _cloud_labels(), "eps": 0.5, "weights": np.full(8, 1 / 8), "p": 2.0}),
    "maxslope.perimeter.cloud_risk": lambda: (perimeter.cloud_risk, {"A": _cloud_set(), "labels": _cloud_labels(), "weights": np.full(8, 1 / 8)}),
    "maxslope.perimeter.cloud_masses": lambda: (perimeter.cloud_masses, {"n": 8, "variant": "S", "weights": np.full(8, 1 / 8), "labels": _cloud_labels()}),
    "maxslope.perimeter.disc_cloud_expectation": lambda: (perimeter.disc_cloud_expectation, {"n": 50, "R": 0.3, "eps": 0.1, "L": 1.0}),
    # ---------------------------------------------------------------- closed-form perimeter references
    "maxslope.perimeter.references.disc_perimeter": lambda: (references.disc_perimeter, {"R": 0.3, "eps": 0.1, "variant": "O"}),
    "maxslope.perimeter.references.ball_perimeter": lambda: (references.ball_perimeter, {"R": 0.3, "eps": 0.1, "variant": "F"}),
    "maxslope.perimeter.references.square_perimeter": lambda: (references.square_perimeter, {"L": 0.5, "eps": 0.1, "variant": "S"}),
    "maxslope.perimeter.references.disc_step_radius": lambda: (references.disc_step_radius, {"R": 0.3, "tau": 1e-3, "c_per": 1.0, "d": 2}),
    "maxslope.perimeter.references.disc_extinction_radius": lambda: (references.disc_extinction_radius, {"tau": 1e-3, "c_per": 1.0}),
    "maxslope.perimeter.references.disc_radius": lambda: (references.disc_radius, {"t": np.linspace(0, 0.01, 4), "R0": 0.3, "c_per": 1.0, "d": 2}),
    "maxslope.perimeter.references.disc_scheme_radii": lambda: (references.disc_scheme_radii, {"R0": 0.3, "tau": 1e-3, "steps": 4, "c_per": 1.0, "d": 2}),
    "maxslope.perimeter.references.gaussian_disc_area": lambda: (references.gaussian_disc_area, {
        "t": np.linspace(0, 0.01, 4), "R0": 0.3, "sigma": 0.5, "c_per": 1.0, "d": 2}),
    "maxslope.perimeter.references.exponential_drift_center": lambda: (references.exponential_drift_center, {
        "t": np.linspace(0, 0.01, 4), "c0": np.array([0.1, 0.0]), "a": np.array([1.0, 0.5]), "c_per": 1.0}),
    "maxslope.perimeter.references.front_step_1d": lambda: (references.front_step_1d, {
        "b": 0.0, "tau": 0.01, "eps": 0.1, "rho": _rho, "variant": "S", "window": 0.5, "fidelity": "idealized"}),
    "maxslope.perimeter.references.ellipse_curve": lambda: (references.ellipse_curve, {"a": 0.3, "b": 0.2, "n": 50, "center": (0.1, 0.0)}),
    "maxslope.perimeter.references.polygon_area": lambda: (references.polygon_area, {"P": references.ellipse_curve(0.3, 0.2, 40)}),
    "maxslope.perimeter.references.resample_curve": lambda: (references.resample_curve, {"P": references.ellipse_curve(0.3, 0.2, 40), "n": 30}),
    # ---------------------------------------------------------------- the experiments, at toy sizes
    "maxslope.experiments.two_moons.make_moons": lambda: (two_moons.make_moons, {"n": 40, "noise": 0.1, "seed": 0}),
    "maxslope.experiments.two_moons.notebook_cases": lambda: (two_moons.notebook_cases, {"eps": 0.2, "T": 1.0}),
    "maxslope.experiments.two_moons.get_inner": lambda: (two_moons.get_inner, {"name": "grid"}),
    "maxslope.experiments.two_moons.train_classifier": lambda: (two_moons.train_classifier, {
        "activation": "relu", "X": two_moons.make_moons(40)[0], "y": two_moons.make_moons(40)[1], "epochs": 2, "batch": 10,
        "lr": 1e-3, "seed": 0}),
    "maxslope.experiments.two_moons.MoonsClassifier": lambda: (_moons_logits, {"state": _moons_state(), "activation": "gelu", "bn_eps": 1e-5,
                                                                                "x": _x() / 2}),
    "maxslope.experiments.two_moons.AttackLoss": lambda: (_attack_loss, {"model": _moons_model(), "y": 1, "x": _x() / 2}),
    "maxslope.experiments.two_moons.load_state_dict": lambda: (two_moons.load_state_dict, {"path": _moons_file()}),
    "maxslope.experiments.two_moons.difference_study": lambda: (two_moons.difference_study, {
        "model": _moons_model(), "n_taus": 1, "samples": 1, "eps": 0.2, "T": 0.4, "inner": "grid", "seed": 1, "time_scale": 1.0}),
    "maxslope.experiments.two_moons.format_table": lambda: (two_moons.format_table, {"studies": [_difference_study()]}),
    "maxslope.experiments.two_moons.plot_differences": lambda: (_closing(two_moons.plot_differences), {"studies": [_difference_study()]}),
    "maxslope.experiments.two_moons.plot_paths": lambda: (_closing(two_moons.plot_paths), {
        "model": _moons_model(), "inner": two_moons.get_inner("grid")[0], "x0": (0.1, 0.2), "eps": 0.2, "cases": [(0.1, 1)]}),
    "maxslope.experiments.two_moons.difference_figure": lambda: (two_moons.difference_figure, {
        "studies": [_difference_study()], "out": _scratch()}),
    "maxslope.experiments.two_moons.path_figure": lambda: (two_moons.path_figure, {
        "model": _moons_model(), "out": _scratch(), "inner": two_moons.get_inner("grid")[0], "x0": (0.1, 0.2),
        "eps": 0.2, "cases": [(0.1, 1)], "name": "fuzz"}),
    "maxslope.experiments.digits.load_digits_split": lambda: (digits.load_digits_split, {"test_fraction": 0.3, "seed": 0}),
    "maxslope.experiments.digits.torchattacks_comparison": lambda: (digits.torchattacks_comparison, {
        "clf": _linear_clf(), "X": _x(3) / 4 + 0.5, "y": np.array([0, 1, 2]), "eps": 0.1, "alpha": 0.02, "steps": 2}),
    "maxslope.experiments.digits.LinearClassifier": lambda: (_linear_logits, {"W": np.eye(3, 2), "b": np.zeros(3), "x": _x() / 2}),
    "maxslope.experiments.digits.train_linear_classifier": lambda: (digits.train_linear_classifier, {
        "X": _x(12), "y": np.arange(12) % 3, "lam": 1e-3, "classes": 3}),
    "maxslope.experiments.digits.MarginLoss": lambda: (_margin_loss, {"clf": _linear_clf(), "y": 1, "x": _x() / 2 + 0.5}),
    "maxslope.experiments.digits.MaxAffineInner": lambda: (_inner_step(digits.MaxAffineInner), {
        **_step_args(), "E": ms.Negated(digits.MarginLoss(_linear_clf(), 1)), "xk": _x() / 4 + 0.5, "constraint": ms.Box(np.full(2, 0.5), 0.5)}),
    "maxslope.experiments.digits.digits_study": lambda: (digits.digits_study, {
        "clf": _linear_clf(), "X": _x(3) / 4 + 0.5, "y": np.array([0, 1, 2]), "n_taus": 2, "eps": 0.1, "T": None}),
    "maxslope.experiments.digits.distributional_comparison": lambda: (digits.distributional_comparison, {
        "clf": _linear_clf(), "X": _x(3) / 4 + 0.5, "y": np.array([0, 1, 2]), "eps": 0.1, "ifgsm_steps": 2}),
    "maxslope.experiments.digits.format_digits_table": lambda: (digits.format_digits_table, {
        "study": digits.digits_study(_linear_clf(), _x(3) / 4 + 0.5, np.array([0, 1, 2]), 2, 0.1)}),
    "maxslope.perimeter.references.front_tracking": lambda: (references.front_tracking, {
        "P0": references.ellipse_curve(0.3, 0.2, 40), "T": 0.002, "c_per": 1.0, "grad_log_rho": None, "n": 40, "cfl": 0.2,
        "times": None, "min_length": None}),
}

#: the edges of the documented domains, from the spec's list of bad input (p < 1, τ ≤ 0, ε ≤ 0, lo ≥ hi, a
#: negative radius or tolerance, a start at the centre): per entry, argument overrides of its valid call and the
#: argument a refusal must name, or None where the value is just inside the domain and must be accepted (finite
#: result). The spoiled values of :func:`proofs_checks.contract.bad_values` only test far outside the domain, and
#: an accepted spoiled value is no defect there (some are valid), so an edge moved by one (``<`` for ``<=``) went
#: unseen.
BOUNDARY: dict[str, list[tuple[dict[str, Any], str | None]]] = {
    "maxslope.Lp": [({"p": 1.0}, None), ({"p": 1 - 1e-12}, "p"), ({"p": math.inf}, None)],
    "maxslope.spaces.pnorm": [({"p": 1.0}, None), ({"p": 1 - 1e-12}, "p")],
    "maxslope.Box": [({"radius": 0.0}, None), ({"radius": -5e-324}, "radius"), ({"radius": np.full(3, 0.5)}, "radius")],
    **{f"maxslope.Lp.geodesic[p={c}]": [({"s": 0.0}, None), ({"s": 1.0}, None), ({"s": -1e-300}, "s"), ({"s": 1 + 1e-15}, "s"),
                                        ({"x": np.array([0.5, -1.0]), "y": np.array([1.0, 0.0])}, None),
                                        ({"x": np.zeros((3, 0)), "y": np.zeros((3, 0))}, "x")]
       for c in ("1", "2", "3", "inf")},
    **{f"maxslope.Lp.distance[p={c}]": [({"x": np.zeros((3, 0)), "y": np.zeros((3, 0))}, "x")] for c in ("1", "2", "3", "inf")},
    **{f"maxslope.Lp.in_steepest_set[p={c}]": [({"tol": 0.0}, None), ({"tol": -1e-300}, "tol"),
                                                ({"v": ms.Lp(float(c)).steepest_direction(np.array([0.3, -0.4])), "xi": np.array([0.3, -0.4])}, None)]
       for c in ("1", "2", "3", "inf")},
    "maxslope.Sum": [({"energies": []}, "energies")],
    # a list is refused or promoted as the array it makes: bools and strings are refused, ints promoted
    "maxslope.Linear": [({"a": [True, False]}, "a"), ({"a": ["1.5", "2"]}, "a"), ({"a": [1, -2]}, None)],
    "maxslope.SeparableQuadratic": [({"lam": [True, True]}, "lam"), ({"lam": [1, 3], "center": [0, 1]}, None)],
    # the l1 flow needs one largest |a_i| > 0: the largest may be 1, and a lone zero coordinate is refused
    "maxslope.exact.linear_flow": [({"p": 1.0, "a": [1.0, 0.5]}, None), ({"p": 1.0, "a": [1.0, -1.0]}, "a"),
                                   ({"p": 1.0, "a": [0.0], "x0": [0.5]}, "a"), ({"p": 2.0, "a": [0.0, 0.0]}, "a"),
                                   ({"p": 3.0}, "p")],
    "maxslope.Quadratic": [({"A": [[2.0, 0.5], [0.5, 1.0]]}, None), ({"A": np.array([[2.0, 0.5], [0.4, 1.0]])}, "A")],
    "maxslope.exact.ArcLengthQuadraticFlow": [({"A": np.array([[2.0, 0.3, 0.0], [0.3, 1.0, 0.0]])}, "A")],
    "maxslope.Lp.steepest_direction[p=inf]": [({"selection": -1.0}, None), ({"selection": 1.0}, None),
                                               ({"selection": -1.0 - 1e-12}, "selection"), ({"selection": 1.0 + 1e-12}, "selection")],
    "maxslope.schemes.steepest_descent": [({"tau": 0.0}, "tau"), ({"tau": 1e-300}, None)],
    "maxslope.schemes.p_step": [({"p": 1.0}, "p"), ({"p": 1 + 1e-9}, None), ({"tau": 0.0}, "tau")],
    "maxslope.attacks.fgsm": [({"bounds": (0.5, 0.5), "x0": np.full((4, 2), 0.5)}, "bounds"),
                              ({"bounds": (0.5, 0.5 + 1e-12), "x0": np.full((4, 2), 0.5)}, None), ({"eps": 0.0}, "eps")],
    "maxslope.attacks.ifgsm": [({"steps": 0}, None), ({"alpha": 0.0}, "alpha"), ({"convention": 1}, "convention"),
                               ({"convention": "torchattacks"}, None)],
    "maxslope.FromCallables": [({"grad": _first_column}, "grad"), ({"value": _first_column}, "value")],
    "maxslope.experiments.digits.torchattacks_comparison": [({"eps": 1.0}, None), ({"eps": 1 + 1e-12}, "eps"),
                                                            ({"alpha": 1.0}, None), ({"alpha": 1 + 1e-12}, "alpha")],
    "maxslope.attacks.pgd": [({"norm": 1}, None), ({"norm": 1 - 1e-12}, "norm")],
    "maxslope.exact.l2_centered_quadratic_flow": [({"x0": [0.0, 0.1]}, "x0"), ({"x0": [0.6, 0.9]}, None)],
    "maxslope.wasserstein.wasserstein_distance": [({"p": 1.0}, None), ({"p": 1 - 1e-12}, "p")],
    "maxslope.checks.check_speed": [({"tol": 0.0}, None), ({"tol": -1e-300}, "tol")],
    "maxslope.checks.check_energy_dissipation": [({"allowance": 0.0}, None), ({"allowance": -1e-300}, "allowance"),
                                                 ({"p": 1.0}, "p"), ({"p": 1.5}, None), ({"m": 2}, None), ({"m": 0}, "m"), ({"m": 3}, "m")],
    "maxslope.checks.check_differential_inclusion": [({"m": 2}, None), ({"m": 0}, "m"), ({"m": 3}, "m"), ({"allowance": 0.0}, None)],
    "maxslope.checks.check_upper_gradient": [({"m": 2}, None), ({"m": 0}, "m")],
    "maxslope.checks.check_residual_order": [({"slack": 0.0}, "slack"), ({"order": 0.0}, "order"), ({"p": 1.0}, "p"), ({"p": 1.5}, None),
                                             ({"taus": [0.05, 0.025, 0.025, 0.0125]}, None), ({"taus": [0.05, 0.025, 0.025]}, "taus")],
    "maxslope.perimeter.Grid": [({"h": 0.0}, "h"), ({"shape": (1, 8)}, None)],
    "maxslope.perimeter.references.ellipse_curve": [({"a": 1e5, "b": 1e-8}, "a"), ({"a": 1e5, "b": 1.01e-7}, None)],
    "maxslope.perimeter.references.front_tracking": [({"T": 0.0}, None), ({"T": -1e-300}, "T"), ({"cfl": 0.5}, None), ({"cfl": 0.5 + 1e-12}, "cfl")],
    "maxslope.exact.convergence_study": [({"taus": [0.05, 0.0]}, "taus"), ({"taus": [0.05, 0.001]}, None),
                                         ({"samples_per_step": 1}, None), ({"samples_per_step": 0}, "samples_per_step")],
    "maxslope.perimeter.perimeter_step": [({"tau": 0.0}, "tau"), ({"eps": 0.0}, "eps")],
    "maxslope.schemes.inner.get_inner": [({"inner": name}, None) for name in ("exact", "grid", "quasi-newton", "multistart", "cbo")],
    "maxslope.schemes.minimizing_movement": [({"tau": 0.0}, "tau"), ({"tau": 1e-300}, None),
                                             ({"space": ms.Wasserstein(2.0, L2), "x0": wasserstein.Empirical(_x(5, 2)),
                                               "constraint": ms.Box(np.zeros(2), 0.9)}, "constraint")],
    "maxslope.schemes.GridInner": [({"E": ms.SeparableQuadratic(np.ones(4)), "xk": np.zeros((2, 4)), "constraint": None}, "xk"),
                                   ({"E": ms.SeparableQuadratic(np.ones(3)), "xk": np.zeros((2, 3)), "constraint": None}, None)],
    "maxslope.schemes.CBOInner": [({"max_it": 1}, None), ({"max_it": 0}, "max_it"), ({"N": 1}, None)],
    "maxslope.schemes.MultistartInner": [({"n_random": 0}, None), ({"iters": 1}, None)],
    "maxslope.schemes.QuasiNewtonInner": [({"n_random": 0}, None), ({"seed": 0}, None), ({"seed": -1}, "seed")],
}

#: public callables not (yet) fuzzed, with the reason
NOT_FUZZED: dict[str, str] = {}
_CONTAINERS = "a result container built by the library (its fields are checked where it is produced)"
for _n in ("maxslope.checks.CheckResult", "maxslope.checks.CombinedResult", "maxslope.checks.CertifiedResult",
           "maxslope.wasserstein.WassersteinResult", "maxslope.exact.ClosedFormFlow", "maxslope.exact.Piece",
           "maxslope.exact.ConvergenceStudy", "maxslope.exact.closed_form.SymbolicReport", "maxslope.perimeter.StepResult",
           "maxslope.perimeter.SetTrajectory", "maxslope.schemes.Progress", "maxslope.experiments.two_moons.DifferenceStudy",
           "maxslope.experiments.digits.DigitsStudy"):
    NOT_FUZZED[_n] = _CONTAINERS
_ABSTRACT = "a protocol or base class, not called with data"
for _n in ("maxslope.Energy", "maxslope.MetricSpace", "maxslope.NormedSpace", "maxslope.wasserstein.MeasureEnergy", "maxslope.schemes.ClosedForm"):
    NOT_FUZZED[_n] = _ABSTRACT
NOT_FUZZED["maxslope.schemes.NoExactSolver"] = "an exception type (raised by the library, not called with data)"
NOT_FUZZED["maxslope.cli.main"] = ("the command line: fuzzed option by option in tests/fuzz/test_cli.py (every bad value "
                                   "exits with status 2 and names the option)")
for _n in ("maxslope.experiments.two_moons.run_experiment", "maxslope.experiments.digits.run_digits"):
    NOT_FUZZED[_n] = ("a whole experiment (minutes per call): each argument goes to a function fuzzed here "
                      "(difference_study, digits_study, ...) and the CLI test fuzzes the options that set them")
for _n in ("maxslope.experiments.two_moons.DifferenceStudy", "maxslope.experiments.digits.DigitsStudy"):
    NOT_FUZZED[_n] = _CONTAINERS
#: entries that need an optional dependency (not installed by ``pip install maxslope``): name prefix -> module
NEEDS: dict[str, str] = {
    "maxslope.testing.": "hypothesis",
    "maxslope.wasserstein.ChunkedEmpirical": "dask",
    "maxslope.experiments.two_moons.plot_": "matplotlib",
    "maxslope.experiments.two_moons.difference_figure": "matplotlib",
    "maxslope.experiments.two_moons.path_figure": "matplotlib",
    "maxslope.perimeter.SetTrajectory.plot": "matplotlib",
    "maxslope.experiments.digits.load_digits_split": "sklearn",
}


def drop_missing(entries: dict[str, Any], not_fuzzed: dict[str, str]) -> None:
    """Move the entries whose optional dependency is not installed to ``not_fuzzed``, with the reason."""
    for name in list(entries):
        for prefix, module in NEEDS.items():
            if name.startswith(prefix) and not _has(module):
                del entries[name]
                not_fuzzed[name.split("[")[0]] = f"needs {module}, which is not installed here"


if _has("torch"):
    CALLS["maxslope.TorchEnergy"] = lambda: (_torch_energy, {"fn": _torch_half_sq, "dim": 2, "x": _x()})
else:
    NOT_FUZZED["maxslope.TorchEnergy"] = "needs torch, which is not installed here"
if not _has("torch") and not _SHARED_GELU.is_file():
    del CALLS["maxslope.experiments.two_moons.load_state_dict"]
    NOT_FUZZED["maxslope.experiments.two_moons.load_state_dict"] = "needs a torch state dict: torch or the shared data"


drop_missing(CALLS, NOT_FUZZED)


def public_callables() -> dict[str, Any]:
    """Every callable in an ``__all__`` of maxslope and its public subpackages, by its first public name."""
    names = ["maxslope"] + [m.name for m in pkgutil.walk_packages(ms.__path__, "maxslope.") if not any(p.startswith("_") for p in m.name.split("."))]
    out: dict[str, Any] = {}
    seen: set[int] = set()
    for m in names:
        mod = importlib.import_module(m)
        for n in getattr(mod, "__all__", []):
            obj = getattr(mod, n, None)
            if callable(obj) and id(obj) not in seen:
                seen.add(id(obj))
                out[f"{m}.{n}"] = obj
    return out


def registered(name: str) -> bool:
    return name in CALLS or name in NOT_FUZZED or name.rsplit(".", 1)[0] + ".*" in NOT_FUZZED
