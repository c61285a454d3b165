"""``maxslope verify --profile fast`` as one pytest test per claim, for the mutation runs (``nox -s mutants``).

A claim test passes only when the claim holds: its check passes and its negative control is rejected. This file
is outside ``tests/`` so the default test run does not collect it; the mutation driver passes it to mutmut as the
"verify alone" test selection, so that mutmut can run only the claims whose code a mutant touches.
"""

from __future__ import annotations

import pytest

import proofs_checks as pc
from mutation import clear_caches


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Empty the claims' result caches (W4/W5, shared with W6) before every claim. mutmut forks each mutant's test
    run from a process that already ran the unmutated claims, so a cached result would hide the mutant: W5 kills
    ``ParticleInner``'s ``D = z + X`` when it runs, yet the mutant survived a run with warm caches. The library's own
    caches too: the perimeter certificate's stencil tables (``_band._stencil_tables``) are cached per stencil, so a
    mutant of ``_two_hops`` never ran in a child forked after the tables were built."""
    clear_caches(("proofs_checks", "maxslope"))


@pytest.mark.parametrize("cid", list(pc.REGISTRY))
def test_claim_holds(cid: str) -> None:
    out = pc.run_claim(pc.REGISTRY[cid], "fast")
    assert out.error is None, out.error
    assert out.holds, f"{cid}: check {out.evidence}, negative control {out.negative}"
