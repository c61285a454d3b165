"""The claim registry and `maxslope verify`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import proofs_checks as pc
from maxslope.cli import main
from proofs_checks.registry import Evidence, register


def test_registered_claims_hold_and_reject_their_negative_controls():
    for cid, claim in pc.REGISTRY.items():
        out = pc.run_claim(claim, "fast")
        assert out.error is None, (cid, out.error)
        assert out.evidence.passed, (cid, out.evidence)
        assert out.negative_rejected, (cid, out.negative)


def test_expected_claims_are_registered():
    expected = {f"C{i}" for i in list(range(1, 16)) + [21, 22, 23]}
    assert expected <= set(pc.REGISTRY)


def test_a_claim_whose_negative_control_is_accepted_fails():
    c = pc.registry.Claim("C99", "toy", "s", "h", "§0", lambda p: Evidence(True, 0, 1, "x"), lambda p: Evidence(True, 0, 1, "y"), "n")
    out = pc.run_claim(c, "fast")
    assert out.evidence.passed and not out.holds


def test_crashing_check_is_a_failure():
    def boom(profile):
        raise RuntimeError("boom")

    c = pc.registry.Claim("C98", "toy", "s", "h", "§0", boom, boom, "n")
    out = pc.run_claim(c, "fast")
    assert not out.holds and "boom" in out.error


def test_register_rejects_duplicates_and_unknown_ids():
    with pytest.raises(ValueError, match="twice"):
        register(id="C1", title="t", statement="s", hypotheses="h", section="§", check=lambda p: None, negative=lambda p: None, negative_description="n")
    with pytest.raises(TypeError, match="positional"):  # keyword-only: a title cannot land in the statement's place
        register("U-pos", "t", "s", "h", "§", lambda p: None, lambda p: None, "n")  # type: ignore[misc]
    with pytest.raises(ValueError, match="spec id"):
        register(id="X1", title="t", statement="s", hypotheses="h", section="§", check=lambda p: None, negative=lambda p: None, negative_description="n")


def test_cli_json_and_report(tmp_path, capsys):
    js = tmp_path / "v.json"
    rc = main(["verify", "--only", "C1,C4,C23", "--json", str(js), "--report", str(tmp_path / "rep")])
    assert rc == 0
    doc = json.loads(js.read_text())
    assert doc["schema_version"] == 1 and doc["summary"] == {"claims": 3, "hold": 3, "fail": 0}
    assert {c["id"] for c in doc["claims"]} == {"C1", "C4", "C23"}
    assert all(c["negative_control"]["rejected"] for c in doc["claims"])
    rep = (tmp_path / "rep" / "report.md").read_text()
    assert "## C4" in rep and "Negative control" in rep
    out = capsys.readouterr().out
    assert "3/3 claims hold" in out


def test_cli_exit_code_on_failure(monkeypatch):
    bad = pc.registry.Claim("C24", "t", "s", "h", "§", lambda p: Evidence(False, 2, 1, "x"), lambda p: Evidence(False, 2, 1, "y"), "n")
    monkeypatch.setitem(pc.REGISTRY, "C24", bad)
    assert main(["verify", "--only", "C24"]) == 1


def test_cli_usage_errors(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["verify", "--only", "Z9"])
    assert exc.value.code == 2 and "unknown claim" in capsys.readouterr().err
    # every spec claim is registered now; a spec id without a claim must still be refused by name
    from proofs_checks import REGISTRY

    monkeypatch.delitem(REGISTRY, "M19")
    with pytest.raises(SystemExit) as exc:
        main(["verify", "--only", "M19"])
    assert exc.value.code == 2 and "M19 are not registered" in capsys.readouterr().err


def test_python_m_proofs_checks_entry_point():
    r = subprocess.run([sys.executable, "-m", "proofs_checks", "--only", "C6"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "1/1 claims hold" in r.stdout


def test_user_claims_load_and_run(tmp_path, capsys):
    mod = tmp_path / "my_claims.py"
    mod.write_text(
        "from proofs_checks import register, le\n"
        "register(id='U-demo', title='demo', statement='a ≤ b', hypotheses='-', section='-', check=lambda pr: le(0.0, 1.0, 'ok'),"
        " negative=lambda pr: le(2.0, 1.0, 'bad'), negative_description='too large', source='test')\n"
    )
    assert main(["verify", "--load", str(mod), "--only", "U-demo"]) == 0
    out = capsys.readouterr().out
    assert "1/1 claims hold" in out and "U-demo" in out
    with pytest.raises(SystemExit) as exc:
        main(["verify", "--load", str(tmp_path / "missing.py")])
    assert exc.value.code == 2 and "cannot load" in capsys.readouterr().err
    from proofs_checks import register
    from proofs_checks.registry import REGISTRY

    with pytest.raises(ValueError, match="user id"):
        register(id="Q1", title="x", statement="x", hypotheses="x", section="x", check=lambda pr: None, negative=lambda pr: None, negative_description="x")
    REGISTRY.pop("U-demo", None)


def test_version_and_python_m_maxslope():
    import maxslope

    r = subprocess.run([sys.executable, "-m", "maxslope", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"maxslope {maxslope.__version__}"
    from importlib.metadata import version

    assert maxslope.__version__ == version("maxslope")  # one version number: pyproject's
    r = subprocess.run([sys.executable, "-m", "maxslope", "verify", "--only", "C6"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "1/1 claims hold" in r.stdout


def test_evidence_from_check_result() -> None:
    import numpy as np

    import maxslope as ms
    from maxslope.checks import check_speed

    tr = ms.Trajectory(np.array([0.0, 1.0]), np.array([[0.0], [2.0]]))
    r = check_speed(tr, ms.Lp(np.inf))
    ev = Evidence.from_check(r, test_case="speed 2")
    assert (ev.passed, ev.measured, ev.tolerance, ev.test_case) == (False, r.measured, r.tolerance, "speed 2")
    assert ev.details == str(r)
    with pytest.raises(TypeError, match="result"):
        Evidence.from_check(3.0, test_case="x")
    with pytest.raises(ValueError, match="test_case"):
        Evidence.from_check(r, test_case="")
