"""numpydoc validation of every public object: Parameters (PR01), Returns (RT01), Examples (EX01), docstring (GL08).

The public objects are the classes and functions in the ``__all__`` of ``maxslope`` and its public subpackages,
with their public methods and properties. ``docs/numpydoc_backlog.txt`` lists the (object, check) gaps that are
known and not yet written; every other gap fails ``tests/test_numpydoc.py`` (in the default test run) and the docs
build (``numpydoc_validation_checks`` in ``docs/conf.py``, with the backlog's objects excluded). A backlog entry
that is no longer a gap fails the test too, so the backlog only shrinks.

``python docs/numpydoc_gate.py`` prints the gaps; ``--write`` rewrites the backlog from them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

CHECKS = ("PR01", "RT01", "EX01", "GL08")
BACKLOG = Path(__file__).with_name("numpydoc_backlog.txt")


def public_modules() -> list[str]:
    """``maxslope`` and its submodules whose dotted names have no part starting with an underscore."""
    import maxslope as ms

    return ["maxslope"] + [m.name for m in pkgutil.walk_packages(ms.__path__, "maxslope.")
                           if not any(p.startswith("_") for p in m.name.split("."))]


def public_objects() -> list[str]:
    """Fully qualified names of the public classes, functions, methods and properties."""
    mods = public_modules()
    seen: set[int] = set()
    out: list[str] = []
    for m in mods:
        mod = importlib.import_module(m)
        for n in getattr(mod, "__all__", []):
            o = getattr(mod, n, None)
            if o is None or id(o) in seen or not (inspect.isclass(o) or inspect.isfunction(o)):
                continue
            seen.add(id(o))
            out.append(f"{o.__module__}.{o.__qualname__}")
            if inspect.isclass(o):
                for a, v in vars(o).items():
                    if not a.startswith("_") and (inspect.isfunction(v) or isinstance(v, (property, classmethod, staticmethod))):
                        out.append(f"{o.__module__}.{o.__qualname__}.{a}")
    return sorted(set(out))


def data_attributes() -> set[str]:
    """Public data attributes (dataclass fields, class constants, module constants in ``__all__``).

    They are documented by ``#:`` comments or the class's Attributes section; Parameters, Returns and Examples do
    not apply to them, so the docs build leaves them out of the validation.
    """
    import dataclasses

    mods = public_modules()
    out: set[str] = set()
    for m in mods:
        mod = importlib.import_module(m)
        for n in getattr(mod, "__all__", []):
            o = getattr(mod, n, None)
            if not (inspect.isclass(o) or inspect.isfunction(o) or inspect.ismodule(o)):
                out.add(f"{m}.{n}")
                out.add(f"{getattr(o, '__module__', m)}.{n}")
            if inspect.isclass(o):
                names = {f.name for f in dataclasses.fields(o)} if dataclasses.is_dataclass(o) else set()
                names |= {a for a, v in vars(o).items() if not a.startswith("_") and not callable(v)
                          and not isinstance(v, (property, classmethod, staticmethod))}
                names |= set(getattr(o, "__annotations__", {}))
                for a in names:
                    if not a.startswith("_") and not isinstance(inspect.getattr_static(o, a, None), property):
                        out.add(f"{o.__module__}.{o.__qualname__}.{a}")
        # instance attributes documented by a #: comment in __init__ (what autodoc shows as attributes)
        try:
            from sphinx.pycode import ModuleAnalyzer

            docs = ModuleAnalyzer.for_module(m).find_attr_docs()
        except Exception:  # noqa: BLE001 - no source (a compiled module): nothing to add
            docs = {}
        for (scope, attr) in docs:
            out.add(f"{m}.{scope + '.' if scope else ''}{attr}")
    return out


def gaps() -> set[tuple[str, str]]:
    """Every (object, check) pair that numpydoc's validator reports."""
    from numpydoc.validate import validate

    out = set()
    for name in public_objects():
        for code, _ in validate(name)["errors"]:
            if code in CHECKS:
                out.add((name, code))
        # numpydoc's validate() reads an inherited docstring, the docs build does not: an override without a
        # docstring of its own is a GL08 gap there, so it is one here too
        mod, _, attr = name.rpartition(".")
        owner = _load(mod)
        raw = inspect.getattr_static(owner, attr, None) if inspect.isclass(owner) else None
        fn = getattr(raw, "fget", None) or getattr(raw, "__func__", None) or raw
        if fn is not None and inspect.isfunction(fn) and fn.__doc__ is None:
            out.add((name, "GL08"))
    return out


def _load(dotted: str):  # noqa: ANN202
    """The module or class named ``dotted``."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for a in parts[k:]:
            obj = getattr(obj, a)
        return obj
    raise ImportError(dotted)


def backlog() -> set[tuple[str, str]]:
    if not BACKLOG.is_file():
        return set()
    rows = [ln.split() for ln in BACKLOG.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return {(r[0], r[1]) for r in rows}


def backlog_objects() -> set[str]:
    return {name for name, _ in backlog()}


if __name__ == "__main__":
    g = gaps()
    if "--write" in sys.argv:
        head = ("# numpydoc gaps not yet written: object and check (PR01 parameters, RT01 returns, EX01 examples, "
                "GL08 docstring).\n# Only ever remove lines: tests/test_numpydoc.py fails on a gap missing here and "
                "on a line that is no longer a gap.\n")
        BACKLOG.write_text(head + "".join(f"{n} {c}\n" for n, c in sorted(g)), encoding="utf-8")
    by = {c: sum(1 for _, k in g if k == c) for c in CHECKS}
    print(f"{len(public_objects())} public objects; gaps: {by}")
