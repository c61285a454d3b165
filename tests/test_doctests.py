"""Every Examples section of the package runs and prints what it says (doctest over every maxslope module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import matplotlib
import pytest

import maxslope as ms

matplotlib.use("Agg")

MODULES = ["maxslope"] + sorted(m.name for m in pkgutil.walk_packages(ms.__path__, "maxslope."))


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    try:
        mod = importlib.import_module(name)
    except ImportError as exc:  # an optional dependency (torch, cupy) that is not installed
        pytest.skip(f"{name}: {exc}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert res.failed == 0, f"{res.failed} of {res.attempted} examples in {name} failed (run python -m doctest -v)"


def test_a_wrong_example_fails() -> None:
    """Negative control: an example whose printed value is wrong is counted as a failure."""
    import types

    mod = types.ModuleType("control")
    mod.__doc__ = ">>> 1 + 1\n3\n"
    res = doctest.testmod(mod, report=False)
    assert res.failed == 1
