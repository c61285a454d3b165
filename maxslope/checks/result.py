"""Result objects of the curve checks: never a bare bool."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .._results import _Verdict

__all__ = ["CheckResult", "CombinedResult"]


@dataclass
class CheckResult(_Verdict):
    """The verdict of one check, with how far from failing it was.

    Parameters
    ----------
    name : str
        Which check (e.g. ``"speed"``).
    measured : float
        The measured quantity (e.g. the largest speed, or the largest energy-dissipation residual).
    tolerance : float
        The threshold the measured value is compared with.
    tolerance_reason : str
        Why the tolerance has its size (quadrature budget, rounding, user allowance for discretization, ...).
    passed : bool
        The verdict.
    worst_location : float or None
        Where the measured value was attained (a time, or a step index), if meaningful.
    details : dict
        Further numbers (per-interval residuals, margins, ...), for reports.
    location_name : str
        What ``worst_location`` is: ``"t"`` (a time, the default) or ``"step"`` (an index).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.checks import check_speed, check_curve_of_maximal_slope
    >>> from maxslope.schemes import steepest_descent
    >>> tr = steepest_descent(ms.SeparableQuadratic([1.0, 3.0]), ms.Lp(math.inf), np.array([0.5, -0.2]), 0.05, steps=4)
    >>> r = check_speed(tr, ms.Lp(math.inf))
    >>> r.passed, r.measured <= r.tolerance, r.location_name
    (True, True, 't')
    """

    name: str
    measured: float
    tolerance: float
    tolerance_reason: str
    passed: bool
    worst_location: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    location_name: str = "t"

    def __post_init__(self) -> None:
        # a check never reports NaN and never passes on a non-finite number: a NaN measurement or a non-finite
        # tolerance is refused here, where every check builds its result; +inf measured is a failing verdict
        m, t = float(self.measured), float(self.tolerance)
        if math.isnan(m) or not math.isfinite(t):
            raise ValueError(f"check {self.name!r} measured {m!r} against the tolerance {t!r}: a check refuses NaN and "
                             "non-finite tolerances (look for a NaN in the energy, the slope or the allowance)")
        self.measured, self.tolerance, self.passed = m, t, bool(self.passed) and math.isfinite(m)

    @property
    def margin(self) -> float:
        """``tolerance - measured`` (positive: passed with room to spare).

        Examples
        --------
        >>> from maxslope.checks import CheckResult
        >>> CheckResult("x", 0.25, 1.0, "demo", True).margin
        0.75
        """
        return self.tolerance - self.measured

    def __str__(self) -> str:
        loc = self.worst_location
        where = "" if loc is None or not math.isfinite(loc) else (
            f" at {self.location_name}={int(loc)}" if self.location_name != "t" else f" at t={loc:.6g}")
        v = "PASS" if self.passed else "FAIL"
        return (f"{self.name}: {v} (measured {self.measured:.3e}{where}, tolerance {self.tolerance:.3e}, "
                f"margin {self.margin:.2e}: {self.tolerance_reason})")


@dataclass
class CombinedResult(_Verdict):
    """Several checks combined (all must pass).

    Parameters
    ----------
    name : str
        What the combination checks.
    parts : list of CheckResult
        The checks; ``details`` maps each part's name to it.

    Examples
    --------
    >>> from maxslope.checks import CheckResult, CombinedResult
    >>> ok, bad = CheckResult("a", 0.0, 1.0, "r", True), CheckResult("b", 2.0, 1.0, "r", False)
    >>> CombinedResult("both", [ok, bad]).passed, sorted(CombinedResult("both", [ok, bad]).details)
    (False, ['a', 'b'])
    """

    name: str
    parts: list[CheckResult]

    @property
    def passed(self) -> bool:  # type: ignore[override]
        r"""True when every part passed.

        Examples
        --------
        >>> from maxslope.checks import CheckResult, CombinedResult
        >>> CombinedResult("one", [CheckResult("a", 0.0, 1.0, "r", True)]).passed
        True
        """
        return all(p.passed for p in self.parts)

    @property
    def details(self) -> dict[str, Any]:
        """``{part.name: part}`` for every part.

        Examples
        --------
        >>> from maxslope.checks import CheckResult, CombinedResult
        >>> list(CombinedResult("one", [CheckResult("a", 0.0, 1.0, "r", True)]).details)
        ['a']
        """
        return {p.name: p for p in self.parts}

    def __str__(self) -> str:
        head = f"{self.name}: {'PASS' if self.passed else 'FAIL'}"
        return "\n".join([head] + ["  " + str(p) for p in self.parts])
