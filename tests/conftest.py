"""Shared fixtures: the array-library parametrization and Hypothesis profiles."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _gpu_available() -> bool:
    try:
        import cupy

        return int(cupy.cuda.runtime.getDeviceCount()) > 0
    except Exception:
        return False


def _backends() -> list:
    out = [pytest.param("numpy", id="numpy"), pytest.param("array_api_strict", id="strict")]
    out.append(
        pytest.param(
            "cupy",
            id="cupy",
            marks=pytest.mark.skipif(
                not _gpu_available() and not os.environ.get("MAXSLOPE_REQUIRE_GPU"),
                reason="CuPy with a CUDA GPU is not available on this machine",
            ),
        )
    )
    return out


class XP:
    """A test helper around an array namespace: build arrays from NumPy and read them back."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "numpy":
            import array_api_compat.numpy as mod
        elif name == "array_api_strict":
            import array_api_strict as mod
        else:
            import array_api_compat.cupy as mod
        self.xp = mod

    def asarray(self, a, dtype=None):
        a = np.asarray(a, dtype=np.float64 if dtype is None else dtype)
        if self.name == "numpy":
            return a
        return self.xp.asarray(a)

    @staticmethod
    def np(a):
        from maxslope._backend import to_numpy

        return np.asarray(to_numpy(a))

    def __repr__(self) -> str:
        return f"XP({self.name})"


@pytest.fixture(params=_backends())
def xp(request) -> XP:
    return XP(request.param)


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (nox -s thorough)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)



@pytest.fixture(autouse=True)
def _cold_library_caches() -> None:
    """Under mutmut (``nox -s mutants``) each test starts with cold caches: mutmut forks each mutant's tests from a
    process that already ran the unmutated code, and a warm cache (the perimeter certificate's stencil tables)
    would hide a mutant of the code behind it. Outside mutmut this does nothing."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        from mutation import clear_caches

        clear_caches(("maxslope",))
