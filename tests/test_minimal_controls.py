"""Minimal negative controls: one step, one atom or one value violates the claim by a tiny margin. A check that
looked at only part of the data would accept them; the claims' checks must not."""

from __future__ import annotations

import math

import numpy as np
import pytest

import maxslope as ms
import proofs_checks as pc
from maxslope.checks import check_speed, is_monotone
from maxslope.exact import sliding_flow
from maxslope.schemes import minimizing_movement
from proofs_checks._common import all_rejected, one_step_faster
from proofs_checks.registry import Evidence

LINF = ms.Lp(math.inf)


def test_one_step_faster_stretches_exactly_one_step() -> None:
    s = sliding_flow()
    mms = minimizing_movement(s.energy, LINF, s.x0, 0.1, steps=8)
    bad = one_step_faster(mms, 5, 1 + 1e-9)
    d = np.abs(np.diff(bad.points, axis=0)).max(-1) / 0.1
    assert np.sum(d > 1 + 1e-12) == 1 and d[5] == pytest.approx(1 + 1e-9, rel=1e-12)
    assert not check_speed(bad, LINF).passed
    # the point of a minimal control: a check that tested only the first five steps would accept it
    part = ms.Trajectory(bad.times[:6], bad.points[:6])
    assert check_speed(part, LINF).passed
    with pytest.raises(ValueError, match="'k'"):
        one_step_faster(mms, 8, 2.0)


def test_one_increase_of_a_few_ulps_is_not_monotone() -> None:
    e = np.linspace(1.0, 0.0, 12)
    e[7] = e[6] + 4 * np.spacing(e[6])
    assert not is_monotone(e).passed and is_monotone(e[:7]).passed


def test_all_rejected_passes_if_any_control_is_accepted() -> None:
    no, yes = Evidence(False, 2.0, 1.0, "a"), Evidence(True, 0.5, 1.0, "b")
    assert not all_rejected([no, no]).passed
    both = all_rejected([no, yes])
    assert both.passed and both.measured == 0.5 and both.test_case == "a; b"
    with pytest.raises(ValueError, match="controls"):
        all_rejected([])


@pytest.mark.parametrize("cid", ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "C15", "C17",
                                 "C16", "C18", "C19", "C20", "C21", "W1", "W2", "W4", "W5", "W7", "W8", "C22", "C23",
                                 "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M11", "M12", "M15", "M19", "M20"])
def test_claims_with_minimal_controls_reject_them(cid: str) -> None:
    out = pc.run_claim(pc.REGISTRY[cid], "fast")
    assert out.holds, out.error or out.negative
    assert ";" in out.negative.test_case  # the everywhere control and the minimal one were both run


def test_off_once_inner_misses_exactly_one_step() -> None:
    from proofs_checks.convergence import _OffOnce

    s = sliding_flow()
    good = minimizing_movement(s.energy, LINF, s.x0, 0.1, steps=6)
    bad = minimizing_movement(s.energy, LINF, s.x0, 0.1, steps=6, inner=_OffOnce(3, 1e-9))
    d = np.abs(bad.points - good.points).max(-1)
    assert np.all(d[:3] == 0) and d[3] == pytest.approx(1e-9, rel=1e-6)



def test_w6_negative_includes_the_one_atom_flows() -> None:
    out = pc.run_claim(pc.REGISTRY["W6"], "fast")
    assert out.holds, out.error or out.negative
    assert out.negative.details.count("one atom 0.1 % too fast") == 2 and ": pass" not in out.negative.details


def test_one_cell_tv_is_tv_without_its_perturbation() -> None:
    from maxslope.perimeter import Grid, nonlocal_tv
    from proofs_checks.perimeter import _tv_one_cell, _wavy

    G = Grid((24, 24), 0.05, density=_wavy)
    u = np.random.default_rng(0).uniform(size=G.shape)
    assert _tv_one_cell(u, 0.1, G, 0.0) == pytest.approx(nonlocal_tv(u, 0.1, G), rel=1e-15)
    assert _tv_one_cell(u, 0.1, G, 1e-6) > nonlocal_tv(u, 0.1, G)
