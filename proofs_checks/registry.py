"""The claim registry: each claim of the papers as statement, hypotheses, check and negative control.

A claim *holds* when its ``check`` passes **and** its ``negative_control`` — an input that violates the claim —
is rejected by the same check. A check that cannot fail is a defect, so a claim whose negative control is
accepted counts as failed.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Evidence", "Claim", "ClaimOutcome", "REGISTRY", "register", "le", "run_claim", "SPEC_IDS", "PENDING_ISSUE", "Plot", "is_user_id"]

#: every claim id of the two specifications; ids without a registered claim are reported as pending
SPEC_IDS: list[str] = [f"C{i}" for i in range(1, 25)] + [f"M{i}" for i in range(1, 21)] + [f"W{i}" for i in range(1, 9)] + ["A1"]
PENDING_ISSUE: dict[str, str] = {}


@dataclass
class Plot:
    """Data for one figure of the report."""

    kind: str  # "loglog" (convergence) or "line" (residual curve)
    title: str
    x: list[float]
    series: dict[str, list[float]]
    xlabel: str = ""
    ylabel: str = ""


@dataclass
class Evidence:
    """What a check measured.

    ``measured`` is compared with ``tolerance`` (``passed`` is the verdict); ``test_case`` says on what.
    """

    passed: bool
    measured: float
    tolerance: float
    test_case: str
    details: str = ""
    plots: list[Plot] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.passed = bool(self.passed)
        self.measured = float(self.measured)
        self.tolerance = float(self.tolerance)

    @classmethod
    def from_check(cls, result: Any, test_case: str) -> Evidence:
        """The evidence of one check result (a :class:`~maxslope.checks.CheckResult` or any object with ``passed``,
        ``measured`` and ``tolerance``): its verdict and numbers, and its printed form as the details."""
        for attr in ("passed", "measured", "tolerance"):
            if not hasattr(result, attr):
                raise TypeError(f"argument 'result' must be a check result with '{attr}', got {type(result).__name__}")
        if not isinstance(test_case, str) or not test_case:
            raise ValueError("argument 'test_case' must be a non-empty string saying what was checked")
        return cls(result.passed, result.measured, result.tolerance, test_case, str(result))


#: where the claims come from, as a reader can look it up (the spec files are the project's own)
SOURCES: dict[str, str] = {
    "adversarial_flows.md": "Weigand, Roith and Burger, Adversarial flows: a gradient flow characterization of adversarial attacks (arXiv:2406.05376)",
    "mean_curvature_flow.md": "Bungert, Laux and Stinson, A mean curvature flow arising in adversarial training (arXiv:2404.14402)",
    "metric_layer.md": "maxslope's metric-space layer: the theory of the two papers in the spaces of measures W_p",
    "api_contract": "maxslope's public API contract (DESIGN.md: what is public is a promise; issue 20)",
}


@dataclass
class Claim:
    id: str
    title: str
    statement: str
    hypotheses: str
    section: str
    check: Callable[[str], Evidence]
    negative_control: Callable[[str], Evidence]
    negative_description: str
    source: str = "adversarial_flows.md"

    @property
    def reference(self) -> str:
        """The paper (or, for a user claim, the stated source) this claim comes from."""
        return SOURCES.get(self.source, self.source)


@dataclass
class ClaimOutcome:
    claim: Claim
    evidence: Evidence | None
    negative: Evidence | None
    seconds: float
    error: str | None = None

    @property
    def negative_rejected(self) -> bool:
        return self.negative is not None and not self.negative.passed

    @property
    def holds(self) -> bool:
        return self.error is None and self.evidence is not None and self.evidence.passed and self.negative_rejected

    @property
    def passed(self) -> bool:
        """The same as :attr:`holds` (the check passed and the negative control was rejected)."""
        return self.holds

    def to_dict(self) -> dict[str, Any]:
        def ev(e: Evidence | None) -> dict[str, Any] | None:
            if e is None:
                return None
            return {
                "passed": e.passed,
                "measured": _num(e.measured),
                "tolerance": _num(e.tolerance),
                "test_case": e.test_case,
                "details": e.details,
            }

        return {
            "id": self.claim.id,
            "title": self.claim.title,
            "statement": self.claim.statement,
            "hypotheses": self.claim.hypotheses,
            "section": self.claim.reference,
            "verdict": "pass" if self.holds else "fail",
            "check": ev(self.evidence),
            "negative_control": {"description": self.claim.negative_description, "rejected": self.negative_rejected, "evidence": ev(self.negative)},
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }


def _num(v: float) -> float | str:
    return v if math.isfinite(v) else str(v)


REGISTRY: dict[str, Claim] = {}


def register(
    *,
    id: str,
    title: str,
    statement: str,
    hypotheses: str,
    section: str,
    check: Callable[[str], Evidence],
    negative: Callable[[str], Evidence],
    negative_description: str,
    source: str = "adversarial_flows.md",
) -> Claim:
    """Add a claim to :data:`REGISTRY` (keyword arguments only, so that no field can land in another's place).

    Ids are unique: a spec id (``C1`` … ``C24``, ``M1`` … ``M20``, ``W1`` … ``W8``, the API contract ``A1``), or a user claim ``U<name>`` (letters, digits,
    ``-``/``_``), which ``maxslope verify --load MODULE`` runs after the spec claims.
    """
    if id in REGISTRY:
        raise ValueError(f"claim {id} registered twice")
    if id not in SPEC_IDS and not is_user_id(id):
        raise ValueError(f"claim id {id!r} is neither a spec id (C1..C24, M1..M20, W1..W8, A1) nor a user id ('U' + name, e.g. 'U1')")
    c = Claim(id, title, statement, hypotheses, section, check, negative, negative_description, source)
    REGISTRY[id] = c
    return c


def is_user_id(cid: str) -> bool:
    """User claim ids: 'U' followed by letters, digits, '-' or '_' (e.g. 'U1', 'U-ede-quartic')."""
    return len(cid) > 1 and cid[0] == "U" and all(ch.isalnum() or ch in "-_" for ch in cid[1:])


def le(measured: float, tolerance: float, test_case: str, details: str = "", plots: list[Plot] | None = None) -> Evidence:
    """Evidence that passes iff ``measured <= tolerance``."""
    return Evidence(bool(measured <= tolerance), float(measured), float(tolerance), test_case, details, plots or [])


def run_claim(c: Claim, profile: str = "fast") -> ClaimOutcome:
    t0 = time.perf_counter()
    try:
        ev = c.check(profile)
        neg = c.negative_control(profile)
        return ClaimOutcome(c, ev, neg, time.perf_counter() - t0)
    except Exception:  # a crashing check is a failed claim, reported with its traceback
        return ClaimOutcome(c, None, None, time.perf_counter() - t0, traceback.format_exc(limit=6))
