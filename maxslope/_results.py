"""The one pattern every result object of maxslope follows.

* A **verdict** (a check's outcome) has ``passed`` (bool, also its truth value), ``message`` (one printable
  paragraph: the verdict, the measured values, the tolerance and why), the measured numbers as attributes, and
  ``details`` (a dict of everything else a report may want).
* A **computation** (a trajectory, a step, a distance, a study) has its values as attributes and ``meta``, a dict
  of provenance: the parameters and the methods that produced it.

:class:`_Verdict` supplies ``__bool__`` and ``message`` from ``passed`` and ``__str__``; the tests in
``tests/test_result_pattern.py`` hold every public result type to the pattern.
"""

from __future__ import annotations


class _Verdict:
    """Mixin: ``bool(result)`` is ``result.passed`` and ``result.message`` is ``str(result)``."""

    passed: bool

    def __bool__(self) -> bool:
        return bool(self.passed)

    @property
    def message(self) -> str:
        """The verdict in words, with the measured values and the tolerance (what ``print`` shows)."""
        return str(self)
