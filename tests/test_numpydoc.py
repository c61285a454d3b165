"""The numpydoc gate (docs/numpydoc_gate.py): no gap outside the backlog, no backlog line that is not a gap."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpydoc")

_GATE = Path(__file__).resolve().parents[1] / "docs" / "numpydoc_gate.py"
_spec = importlib.util.spec_from_file_location("numpydoc_gate", _GATE)
gate = importlib.util.module_from_spec(_spec)
sys.modules["numpydoc_gate"] = gate
_spec.loader.exec_module(gate)


def test_no_new_gaps_and_no_stale_backlog() -> None:
    found, known = gate.gaps(), gate.backlog()
    new = sorted(found - known)
    stale = sorted(known - found)
    assert not new, f"public objects without numpydoc Parameters/Returns/Examples/docstring (write them): {new[:20]}"
    assert not stale, f"backlog lines that are no longer gaps (delete them from docs/numpydoc_backlog.txt): {stale[:20]}"


def test_the_gate_sees_a_gap() -> None:
    """Negative control: a function with an undocumented parameter, no Returns and no Examples is reported."""
    from numpydoc.validate import validate

    def control(a, b):  # noqa: ANN001, ANN202
        """Add two numbers."""
        return a + b

    gate._control = control
    codes = {c for c, _ in validate("numpydoc_gate._control")["errors"]}
    assert {"PR01", "RT01", "EX01"} <= codes
