"""Every public result type follows one pattern (maxslope/_results.py): a verdict has ``passed`` (its truth value),
``message`` and ``details``; a computation has ``meta``. Both a passing and a failing verdict are built, so a
verdict whose ``passed`` ignored the outcome would fail here."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.checks import CertifiedResult, CheckResult, CombinedResult, certify_energy_dissipation, check_speed
from maxslope.curves import Trajectory
from maxslope.exact import convergence_study, linear_flow, separable_quadratic_flow
from maxslope.perimeter import Grid, check_set_energy_inequality, disc, perimeter_flow, perimeter_step
from maxslope.schemes import steepest_descent
from maxslope.wasserstein import Empirical, wasserstein

E = ms.SeparableQuadratic(np.array([1.0, 3.0]))
LINF = ms.Lp(math.inf)


def _verdicts():
    tr = steepest_descent(E, LINF, np.array([0.5, -0.2]), 0.05, steps=4)
    good = check_speed(tr, LINF)
    bad = check_speed(Trajectory(tr.times / 2, tr.points), LINF)
    yield "CheckResult", good, bad
    yield "CombinedResult", CombinedResult("both", [good, good]), CombinedResult("both", [good, bad])
    flow = linear_flow([1.0, -2.0], [0.0, 0.0], T=0.5)
    cert = certify_energy_dissipation(flow, cells=4, max_depth=2)
    yield "CertifiedResult", cert, CertifiedResult("refuted", 1e-25, 0.3, 4, (0.1, 0.2))
    yield "SymbolicReport", separable_quadratic_flow([1.0, 2.0], [0.3, -0.2]).verify_symbolic(), None
    G = Grid((16, 16), 1 / 16)
    traj = perimeter_flow(disc(G, 0.3), 0.005, 3 / 16, G, steps=2)
    sets = traj.sets.copy()
    sets[2, 1, 1] = True
    yield ("set energy inequality", check_set_energy_inequality(traj.sets, 0.005, 3 / 16, G),
           check_set_energy_inequality(sets, 0.005, 3 / 16, G))


@pytest.mark.parametrize("name, good, bad", list(_verdicts()), ids=lambda v: v if isinstance(v, str) else "")
def test_verdicts(name, good, bad) -> None:
    for res, want in ((good, True), (bad, False)):
        if res is None:
            continue
        assert isinstance(res.passed, bool) and res.passed is want and bool(res) is want, name
        assert isinstance(res.message, str) and res.message == str(res) and res.message
        head = res.message.splitlines()[0]
        assert ("PASS" in head or "certified" in head.split(":", 1)[1]) is want, head
        assert isinstance(res.details, dict)
        if hasattr(res, "measured"):
            assert math.isfinite(float(res.measured)) or not want


def _computations():
    tr = steepest_descent(E, LINF, np.array([0.5, -0.2]), 0.05, steps=4)
    yield "Trajectory", tr, "scheme"
    G = Grid((16, 16), 1 / 16)
    yield "SetTrajectory", perimeter_flow(disc(G, 0.3), 0.005, 3 / 16, G, steps=1), "tau"
    yield "StepResult", perimeter_step(disc(G, 0.3), 0.005, 3 / 16, G), "clip_margin"
    mu, nu = Empirical(np.zeros((3, 2))), Empirical(np.ones((3, 2)))
    yield "WassersteinResult", wasserstein(mu, nu, 2.0), None
    flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
    st = convergence_study(lambda tau: steepest_descent(E, LINF, np.array([0.3, -0.2]), tau, T=0.2), flow, [0.05, 0.025])
    yield "ConvergenceStudy", st, "samples_per_step"


@pytest.mark.parametrize("name, res, key", list(_computations()), ids=lambda v: v if isinstance(v, str) else "")
def test_computations_carry_meta(name, res, key) -> None:
    assert isinstance(res.meta, dict), name
    if key is not None:
        assert key in res.meta, (name, sorted(res.meta))


def test_studies_carry_meta() -> None:
    from maxslope.experiments.digits import DigitsStudy
    from maxslope.experiments.two_moons import DifferenceStudy

    assert DifferenceStudy("gelu", [0.1], [1], [0.0], [0.0], "grid", 1).meta == {}
    assert DigitsStudy([0.1], [1], [0.0], [0.0], 1, 0.1).meta == {}


def test_check_result_refuses_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        CheckResult("x", math.nan, 1.0, "r", True)
