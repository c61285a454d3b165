"""``maxslope verify --profile fast`` as one pytest test per claim, for the mutation runs (``nox -s mutants``).

A claim test passes only when the claim holds: its check passes and its negative control is rejected. This file
is outside ``tests/`` so the default test run does not collect it; the mutation driver passes it to mutmut as the
"verify alone" test selection, so that mutmut can run only the claims whose code a mutant touches.
"""

from __future__ import annotations

import pytest

import proofs_checks as pc


@pytest.mark.parametrize("cid", list(pc.REGISTRY))
def test_claim_holds(cid: str) -> None:
    out = pc.run_claim(pc.REGISTRY[cid], "fast")
    assert out.error is None, out.error
    assert out.holds, f"{cid}: check {out.evidence}, negative control {out.negative}"
