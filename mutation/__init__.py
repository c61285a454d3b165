"""Mutation testing of the core modules (``nox -s mutants``): the driver, the claims as tests, and their helpers."""

from __future__ import annotations

import sys


def clear_caches(prefixes: tuple[str, ...]) -> None:
    """Empty every ``functools`` cache of the loaded modules whose name starts with one of ``prefixes``.

    mutmut forks each mutant's tests from a process that already ran the unmutated code; a warm cache would
    answer for the mutated code behind it (a mutant of the perimeter certificate's ``_two_hops`` never ran while
    ``_stencil_tables`` held its tables), so the claims and the tests under mutmut start cold."""
    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith(prefixes):
            for obj in list(vars(mod).values()):
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()
