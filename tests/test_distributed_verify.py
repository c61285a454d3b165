"""`maxslope verify --workers N`: the claims on a local Dask cluster give the serial run's table and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install 'maxslope[dask]')")

from maxslope.cli import main  # noqa: E402

# one cheap claim from each claim module: banach, wasserstein, metric layer, perimeter, budget, convergence
SUBSET = "C1,C5,C17,W2,M1,C23,C8"


def _without_timings(doc: dict) -> dict:
    doc = dict(doc)
    doc.pop("seconds")
    doc["claims"] = [{k: v for k, v in c.items() if k != "seconds"} for c in doc["claims"]]
    return doc


def test_workers_give_the_serial_json_bit_for_bit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    serial, dist = tmp_path / "serial.json", tmp_path / "dask.json"
    assert main(["verify", "--only", SUBSET, "--json", str(serial)]) == 0
    table_serial = capsys.readouterr().out.split("\n", 3)[3]  # drop the header line with the elapsed time
    assert main(["verify", "--only", SUBSET, "--workers", "2", "--json", str(dist)]) == 0
    captured = capsys.readouterr()
    a, b = json.loads(serial.read_text()), json.loads(dist.read_text())
    assert _without_timings(a) == _without_timings(b)  # floats compared exactly: same numbers, bit for bit
    assert [c["id"] for c in b["claims"]] == SUBSET.split(",")  # the table keeps the selection's order
    assert captured.out.split("\n", 3)[3].replace(str(dist), str(serial)) == table_serial
    assert "on 2 local worker processes" in captured.err and captured.err.count("... pass") == len(SUBSET.split(","))


def test_a_dying_worker_fails_its_claim_and_does_not_hang(tmp_path: Path) -> None:
    """Negative control of the transport: a claim that kills its worker process must come back as a crash."""
    mod = tmp_path / "dying_claims.py"
    mod.write_text(
        "import os\n"
        "from proofs_checks import register, le\n"
        "def die(profile):\n"
        "    os._exit(3)\n"
        "register(id='U-die', title='kills its worker', statement='-', hypotheses='-', section='-', check=die,"
        " negative=lambda pr: le(2.0, 1.0, 'bad'), negative_description='n', source='test')\n"
        "register(id='U-ok', title='fine', statement='-', hypotheses='-', section='-', check=lambda pr: le(0.0, 1.0, 'ok'),"
        " negative=lambda pr: le(2.0, 1.0, 'bad'), negative_description='n', source='test')\n"
    )
    out = tmp_path / "out.json"
    r = subprocess.run(
        [sys.executable, "-m", "proofs_checks", "--load", str(mod), "--only", "U-die,U-ok", "--workers", "2", "--json", str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    doc = {c["id"]: c for c in json.loads(out.read_text())["claims"]}
    assert doc["U-ok"]["verdict"] == "pass"
    assert doc["U-die"]["verdict"] == "fail" and "KilledWorker" in doc["U-die"]["error"]
    assert "U-die crashed" in r.stdout


def test_workers_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in (["--workers", "0"], ["--workers", "two"], ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]):
        with pytest.raises(SystemExit) as exc:
            main(["verify", "--only", "C6", *bad])
        assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "positive integer" in err and "not allowed with argument" in err


def test_scheduler_address_runs_on_a_running_cluster(tmp_path: Path) -> None:
    from maxslope._dask import local_cluster

    serial, dist = tmp_path / "serial.json", tmp_path / "dask.json"
    assert main(["verify", "--only", "C5,C6", "--json", str(serial)]) == 0
    with local_cluster(1, host="127.0.0.1") as cluster:
        assert main(["verify", "--only", "C5,C6", "--scheduler", cluster.scheduler_address, "--json", str(dist)]) == 0
    assert _without_timings(json.loads(serial.read_text())) == _without_timings(json.loads(dist.read_text()))


@pytest.mark.slow
def test_full_fast_profile_on_two_workers_equals_serial(tmp_path: Path) -> None:
    """Every registered claim (``nox -s thorough``; about 3 minutes on 2 cores)."""
    serial, dist = tmp_path / "serial.json", tmp_path / "dask.json"
    main(["verify", "--json", str(serial)])
    main(["verify", "--workers", "2", "--json", str(dist)])
    a, b = json.loads(serial.read_text()), json.loads(dist.read_text())
    assert len(a["claims"]) >= 52 and _without_timings(a) == _without_timings(b)
