"""Numba's ``njit`` where Numba is installed (the ``fast`` extra), else a decorator that leaves the function as it is.

The kernels that use it (the bottleneck matcher of W_∞, the perimeter band's certificate and graph) run in pure
Python without Numba, only slowly, and their callers pick another route where that would not pay.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

try:  # pragma: no cover - both paths run in CI (the test extra has numba) and in the no-numba fallback tests
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False

    def njit(*args: Any, **kwargs: Any) -> Any:  # type: ignore[no-redef]
        def deco(f: Any) -> Any:
            return f

        return deco
