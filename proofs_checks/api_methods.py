"""The fuzzed public methods: every method of a public class that does not start with ``_`` (issue 20).

:data:`METHODS` maps ``"<class>.<method>"`` (optionally with a ``[case]`` suffix, for one method on several
instances, e.g. the ℓp methods for p = 1, 2, 3 and ∞) to a factory returning the bound method and the keyword
arguments of a valid call, with fresh arrays; claim A1 spoils one argument at a time, as for the functions of
:mod:`proofs_checks.api_calls`. ``tests/fuzz/test_public_api.py::test_every_public_method_is_registered`` finds
the methods by introspection, so a new public method fails the test until it is added here or to
:data:`METHODS_NOT_FUZZED` with the reason.
Properties take no arguments and are not listed.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import maxslope as ms
from maxslope import exact, perimeter, schemes, wasserstein
from maxslope.experiments import digits, two_moons

from .api_calls import (
    _E,
    L2,
    LINF,
    Call,
    _closing,
    _difference_study,
    _grid,
    _half_sq,
    _has,
    _identity,
    _linear_clf,
    _moons_file,
    _moons_model,
    _mu,
    _set,
    _traj,
    _x,
    drop_missing,
    public_callables,
)

#: classes whose methods are not called with data here: protocols, abstract bases, exceptions
ABSTRACT = {"maxslope.Energy", "maxslope.MetricSpace", "maxslope.NormedSpace", "maxslope.wasserstein.MeasureEnergy",
            "maxslope.schemes.ClosedForm", "maxslope.schemes.NoExactSolver"}


def _energies() -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {
        "maxslope.Linear": lambda: ms.Linear(np.array([1.0, -2.0]), 0.5),
        "maxslope.Quadratic": lambda: ms.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([1.0, 0.0])),
        "maxslope.SeparableQuadratic": _E,
        "maxslope.L1Norm": lambda: ms.L1Norm(2, np.array([0.1, 0.2])),
        "maxslope.FromCallables": lambda: ms.FromCallables(_half_sq, _identity, smooth=True, dim=2),
        "maxslope.MonotoneTransform": lambda: ms.MonotoneTransform(np.exp, np.exp, _E()),
        "maxslope.Negated": lambda: ms.Negated(_E()),
        "maxslope.Sum": lambda: ms.Sum(_E(), ms.Linear(np.array([1.0, -1.0]))),
        "maxslope.experiments.digits.MarginLoss": lambda: digits.MarginLoss(_linear_clf(), 1),
        "maxslope.experiments.two_moons.AttackLoss": lambda: two_moons.AttackLoss(_moons_model(), 1),
    }
    if _has("torch"):
        out["maxslope.TorchEnergy"] = lambda: ms.TorchEnergy(lambda t: (t**2).sum(-1) / 2, 2)
    return out


def _energy_methods(cls: str, make: Callable[[], Any]) -> dict[str, Callable[[], Call]]:
    return {
        f"{cls}.value": lambda: (make().value, {"x": _x()}),
        f"{cls}.grad": lambda: (make().grad, {"x": _x()}),
        f"{cls}.slope[linf]": lambda: (make().slope, {"space": LINF, "x": _x()}),
        f"{cls}.slope[l1]": lambda: (make().slope, {"space": ms.Lp(1.0), "x": _x()}),
        f"{cls}.grad_lipschitz": lambda: (make().grad_lipschitz, {"space": L2}),
    }


def _measure_energy_methods(cls: str, make: Callable[[], Any]) -> dict[str, Callable[[], Call]]:
    W2 = ms.Wasserstein(2.0, L2)
    return {
        f"{cls}.value": lambda: (make().value, {"mu": _mu()}),
        f"{cls}.field": lambda: (make().field, {"mu": _mu()}),
        f"{cls}.slope": lambda: (make().slope, {"space": W2, "mu": _mu()}),
        f"{cls}.numerical_slope": lambda: (make().numerical_slope, {"space": W2, "mu": _mu(), "h": 1e-4}),
    }


def _lp_methods(case: str, p: float) -> dict[str, Callable[[], Call]]:
    S = ms.Lp(p)
    out: dict[str, Callable[[], Call]] = {
        f"maxslope.Lp.norm[{case}]": lambda: (S.norm, {"x": _x()}),
        f"maxslope.Lp.dual_norm[{case}]": lambda: (S.dual_norm, {"xi": _x()}),
        f"maxslope.Lp.distance[{case}]": lambda: (S.distance, {"x": _x(), "y": _x(seed=1)}),
        f"maxslope.Lp.geodesic[{case}]": lambda: (S.geodesic, {"x": _x(), "y": _x(seed=1), "s": 0.3}),
        f"maxslope.Lp.steepest_direction[{case}]": lambda: (S.steepest_direction, {"xi": _x(), "selection": None}),
        f"maxslope.Lp.in_steepest_set[{case}]": lambda: (S.in_steepest_set, {
            "v": S.steepest_direction(_x()), "xi": _x(), "tol": 1e-12}),
        f"maxslope.Lp.ball_contains[{case}]": lambda: (S.ball_contains, {"x": _x(), "center": _x(seed=1), "radius": 0.5, "tol": 0.0}),
        f"maxslope.Lp.sample_sphere[{case}]": lambda: (S.sample_sphere, {"center": np.array([0.1, -0.2]), "radius": 0.3, "n": 5, "rng": 0}),
        f"maxslope.Lp.extreme_points[{case}]": lambda: (S.extreme_points, {"d": 2, "xp": np, "dtype": np.float64}),
    }
    if p in (1.0, 2.0, math.inf):  # the exact projections; other p raise NotImplementedError, as documented
        out[f"maxslope.Lp.project_ball[{case}]"] = lambda: (S.project_ball, {"x": _x(), "center": _x(seed=1), "radius": 0.5})
    return out


def _box() -> Any:
    return ms.Box(np.zeros(2), 0.5)


def _flow() -> Any:
    return exact.linear_flow([1.0, -2.0], [0.0, 0.5], T=1.0)


def _set_trajectory() -> Any:
    return perimeter.perimeter_flow(_set(), 0.05, 0.2, _grid(), steps=2)


def _W(p: float, ground: Any) -> Any:
    return ms.Wasserstein(p, ground)


METHODS: dict[str, Callable[[], Call]] = {
    # ---------------------------------------------------------------- the constraint box
    "maxslope.Box.contains": lambda: (_box().contains, {"x": _x(), "tol": 0.0}),
    "maxslope.Box.project": lambda: (_box().project, {"x": _x()}),
    "maxslope.Box.blocked": lambda: (_box().blocked, {"x": _x() / 2, "grad": _x(seed=1), "tol": 0.0}),
    "maxslope.Box.restricted_slope": lambda: (_box().restricted_slope, {"x": _x() / 2, "grad": _x(seed=1), "tol": 0.0}),
    "maxslope.Box.intersect": lambda: (_box().intersect, {"other": ms.Box(np.full(2, 0.2), 0.5)}),
    "maxslope.Box.from_bounds": lambda: (ms.Box.from_bounds, {"lower": np.array([-1.0, 0.0]), "upper": np.array([1.0, 0.5])}),
    # ---------------------------------------------------------------- energies
    "maxslope.Quadratic.is_convex": lambda: (ms.Quadratic(np.eye(2)).is_convex, {}),
    # ---------------------------------------------------------------- curves
    "maxslope.Trajectory.at": lambda: (_traj().at, {"t": 0.07}),
    "maxslope.Trajectory.node": lambda: (_traj().node, {"k": 1}),
    "maxslope.Trajectory.energy_values": lambda: (_traj().energy_values, {"E": _E()}),
    "maxslope.Trajectory.increments": lambda: (_traj().increments, {"space": LINF}),
    "maxslope.Trajectory.interpolate": lambda: (_traj().interpolate, {"t": np.array([0.0, 0.07, 0.2]), "kind": "linear"}),
    "maxslope.Trajectory.length": lambda: (_traj().length, {"space": LINF}),
    "maxslope.Trajectory.lipschitz_constant": lambda: (_traj().lipschitz_constant, {"space": LINF}),
    "maxslope.Trajectory.metric_derivative": lambda: (_traj().metric_derivative, {"space": L2}),
    "maxslope.Trajectory.select": lambda: (_traj().select, {"index": 2}),
    "maxslope.Trajectory.particles": lambda: (
        schemes.steepest_descent(ms.PotentialEnergy(_E()), _W(math.inf, LINF), _mu(), 0.05, steps=2).particles, {}),
    # ---------------------------------------------------------------- measures and W_p
    "maxslope.Empirical.integrate": lambda: (_mu().integrate, {"f": _half_sq}),
    "maxslope.Empirical.pushforward": lambda: (_mu().pushforward, {"T": _identity}),
    "maxslope.Empirical.split": lambda: (_mu().split, {"index": 1, "parts": 3}),
    "maxslope.Empirical.compress": lambda: (wasserstein.Empirical(np.array([[0.0, 1.0], [0.0, 1.0], [2.0, 0.0]])).compress, {}),
    "maxslope.wasserstein.ChunkedEmpirical.integrate": lambda: (_chunked().integrate, {"f": _half_sq}),
    "maxslope.wasserstein.ChunkedEmpirical.compute": lambda: (_chunked().compute, {}),
    "maxslope.wasserstein.ParticleInner.supports": lambda: (wasserstein.ParticleInner().supports, {"space": _W(2.0, L2), "p": 2.0}),
    # ---------------------------------------------------------------- the nonlocal perimeter
    "maxslope.perimeter.Grid.area_radius": lambda: (_grid().area_radius, {"A": _set()}),
    "maxslope.perimeter.Grid.boundary_points": lambda: (_grid().boundary_points, {"A": _set()}),
    "maxslope.perimeter.Grid.check_set": lambda: (_grid().check_set, {"A": _set(), "name": "A"}),
    "maxslope.perimeter.Grid.indicator": lambda: (_grid().indicator, {"inside": lambda x: (x**2).sum(-1) <= 0.1}),
    "maxslope.perimeter.Grid.measure": lambda: (_grid().measure, {"A": _set()}),
    "maxslope.perimeter.Grid.pairs": lambda: (_grid().pairs, {"eps": 0.2}),
    "maxslope.perimeter.Grid.truncated": lambda: (_grid().truncated, {"eps": 0.2}),
    "maxslope.perimeter.SetTrajectory.area_radius": lambda: (_set_trajectory().area_radius, {}),
    "maxslope.perimeter.SetTrajectory.check_energy_inequality": lambda: (_set_trajectory().check_energy_inequality, {
        "variant": "S", "tol": 1e-9}),
    "maxslope.perimeter.SetTrajectory.plot": lambda: (_closing(_set_trajectory().plot), {"ax": None, "steps": [0, 1], "cmap": "viridis"}),
    # ---------------------------------------------------------------- inner solvers
    "maxslope.schemes.ExactInner.describe": lambda: (schemes.ExactInner().describe, {"E": _E(), "space": LINF, "constraint": _box()}),
    "maxslope.schemes.ExactInner.supports": lambda: (schemes.ExactInner().supports, {"E": _E(), "space": LINF, "constraint": None}),
    # ---------------------------------------------------------------- closed-form references
    "maxslope.exact.ClosedFormFlow.mp": lambda: (_flow().mp, {"t": 0.3, "dps": 30}),
    "maxslope.exact.ClosedFormFlow.energy_along": lambda: (_flow().energy_along, {"t": np.array([0.0, 0.3, 1.0])}),
    "maxslope.exact.ClosedFormFlow.exact_energy_drop": lambda: (_flow().exact_energy_drop, {"t": 0.5}),
    "maxslope.exact.ClosedFormFlow.piece_polynomials": lambda: (_flow().piece_polynomials, {"k": 0}),
    "maxslope.exact.ClosedFormFlow.verify_symbolic": lambda: (_flow().verify_symbolic, {}),
    "maxslope.exact.ClosedFormFlow.from_pieces": lambda: (exact.ClosedFormFlow.from_pieces, {
        "name": "fuzz", "like": _flow(), "pieces": list(_flow().pieces), "reference": "fuzz"}),
    "maxslope.exact.ArcLengthQuadraticFlow.mp": lambda: (_arclength().mp, {"t": 0.1, "dps": 30}),
    "maxslope.exact.ArcLengthQuadraticFlow.x_classical": lambda: (_arclength().x_classical, {"s": np.array([0.0, 0.05, 0.1])}),
    "maxslope.exact.ArcLengthQuadraticFlow.verify_symbolic": lambda: (_arclength().verify_symbolic, {}),
    "maxslope.exact.ConvergenceStudy.table": lambda: (exact.convergence_study(
        lambda t: schemes.steepest_descent(_E(), LINF, np.array([0.3, -0.2]), t, T=0.2),
        exact.separable_quadratic_flow([1.0, 3.0], [0.3, -0.2]), [0.05, 0.025], samples_per_step=4).table, {}),
    # ---------------------------------------------------------------- the experiments
    "maxslope.experiments.digits.LinearClassifier.logits": lambda: (_linear_clf().logits, {"x": _x() / 2}),
    "maxslope.experiments.digits.LinearClassifier.accuracy": lambda: (_linear_clf().accuracy, {"X": _x(3) / 2, "y": np.array([0, 1, 2])}),
    "maxslope.experiments.digits.DigitsStudy.orders": lambda: (_digits_study().orders, {}),
    "maxslope.experiments.digits.DigitsStudy.coincide_from": lambda: (_digits_study().coincide_from, {}),
    "maxslope.experiments.two_moons.DifferenceStudy.orders": lambda: (_difference_study().orders, {"which": "sup_linf"}),
    "maxslope.experiments.two_moons.MoonsClassifier.accuracy": lambda: (_moons_model().accuracy, {
        "X": two_moons.make_moons(20)[0], "y": two_moons.make_moons(20)[1]}),
    "maxslope.experiments.two_moons.MoonsClassifier.state_dict": lambda: (_moons_model().state_dict, {}),
    "maxslope.experiments.two_moons.MoonsClassifier.value_and_grad": lambda: (_moons_model().value_and_grad, {"x": _x() / 2}),
    "maxslope.experiments.two_moons.MoonsClassifier.from_file": lambda: (two_moons.MoonsClassifier.from_file, {
        "path": _moons_file(), "activation": "gelu"}),
}

for _cls, _make in _energies().items():
    METHODS.update(_energy_methods(_cls, _make))
METHODS.update(_measure_energy_methods("maxslope.PotentialEnergy", lambda: ms.PotentialEnergy(_E())))
METHODS.update(_measure_energy_methods("maxslope.InteractionEnergy", lambda: ms.InteractionEnergy(ms.SeparableQuadratic(np.array([0.5, 0.5])))))
for _case, _p in (("p=1", 1.0), ("p=2", 2.0), ("p=3", 3.0), ("p=inf", math.inf)):
    METHODS.update(_lp_methods(_case, _p))
def _wasserstein_methods(case: str, p: float, ground: Any) -> dict[str, Callable[[], Call]]:
    def W() -> Any:
        return _W(p, ground)

    return {
        f"maxslope.Wasserstein.check_point[{case}]": lambda: (W().check_point, {"mu": _mu(), "name": "mu"}),
        f"maxslope.Wasserstein.distance[{case}]": lambda: (W().distance, {"mu": _mu(0), "nu": _mu(1)}),
        f"maxslope.Wasserstein.distance_upper_bound[{case}]": lambda: (W().distance_upper_bound, {"mu": _mu(0), "nu": _mu(1)}),
        f"maxslope.Wasserstein.coupling[{case}]": lambda: (W().coupling, {"mu": _mu(0), "nu": _mu(1)}),
        f"maxslope.Wasserstein.step_coupling[{case}]": lambda: (W().step_coupling, {"mu": _mu(0), "nu": _mu(1)}),
        f"maxslope.Wasserstein.geodesic[{case}]": lambda: (W().geodesic, {"mu": _mu(0), "nu": _mu(1), "s": 0.4}),
        f"maxslope.Wasserstein.lift_energy[{case}]": lambda: (W().lift_energy, {"E": _E()}),
    }


for _case, _p, _g in (("W2", 2.0, L2), ("Winf", math.inf, LINF)):
    METHODS.update(_wasserstein_methods(_case, _p, _g))


def _chunked() -> Any:
    import dask.array as da

    return wasserstein.ChunkedEmpirical(da.from_array(_x(6), chunks=(3, 2)), np.full(6, 1 / 6))


def _arclength() -> Any:
    return exact.ArcLengthQuadraticFlow(np.array([[2.0, 0.3], [0.3, 1.0]]), np.array([0.5, -0.4]))


def _digits_study() -> Any:
    return digits.digits_study(_linear_clf(), _x(3) / 4 + 0.5, np.array([0, 1, 2]), 2, 0.1)


#: public methods not fuzzed, with the reason
METHODS_NOT_FUZZED: dict[str, str] = {}
if not _has("torch"):
    for _m in ("value", "grad", "slope", "grad_lipschitz"):
        METHODS_NOT_FUZZED[f"maxslope.TorchEnergy.{_m}"] = "needs torch, which is not installed here"


drop_missing(METHODS, METHODS_NOT_FUZZED)


def public_methods() -> dict[str, Any]:
    """Every public method (not a property) defined by maxslope on a public, non-abstract class: name -> function."""
    out: dict[str, Any] = {}
    for cname, cls in public_callables().items():
        if not inspect.isclass(cls) or cname in ABSTRACT or issubclass(cls, BaseException):
            continue
        for m in dir(cls):
            if m.startswith("_"):
                continue
            static = inspect.getattr_static(cls, m)
            if isinstance(static, property):
                continue
            fn = getattr(static, "__func__", static)
            if callable(fn) and (getattr(fn, "__module__", "") or "").startswith("maxslope"):
                out[f"{cname}.{m}"] = fn
    return out


def method_registered(name: str) -> bool:
    return name in METHODS_NOT_FUZZED or any(k == name or k.startswith(name + "[") for k in METHODS)
