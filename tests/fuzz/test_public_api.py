"""Fuzz the public API: every registered callable, one spoiled argument at a time (issue 20).

Each call must raise a ``ValueError``/``TypeError`` whose message names the spoiled argument, or return finite
values; never another exception, never hang, never touch the caller's arrays (values and ``writeable`` flags).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import signal
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .methods import METHODS, method_registered, public_methods
from .registry import CALLS, public_callables, registered

#: the functions and the methods of the objects they return, fuzzed alike
ALL = {**CALLS, **METHODS}

TIMEOUT_S = 20


def _bad_arrays(a: np.ndarray) -> list[Any]:
    out: list[Any] = []
    if a.size and a.dtype.kind == "f":
        for v in (np.nan, np.inf, -np.inf):
            b = a.copy()
            b.flat[a.size // 2] = v
            out.append(b)
    out += [a[..., :0], np.float64(1.0) * np.ones(()), a.astype(np.complex128), a > 0, a.astype(str), a[None, ...]]
    if a.ndim >= 1 and a.shape[-1] > 1:
        out.append(a[..., :-1])
    out.append(np.array([a, a], dtype=object) if a.ndim else np.array(object()))
    return out


def _bad_scalars(v: Any) -> list[Any]:
    if isinstance(v, bool):
        return [None, 1, "yes", np.nan]
    if isinstance(v, int):
        return [-1, 0, 2.5, True, "3", None, np.nan]
    if isinstance(v, float):
        return [np.nan, np.inf, -np.inf, -1.0, 0.0, 1e300, -1e-300, "1", None, True, 1j]
    if isinstance(v, str):
        return ["bogus", 3, None]
    return ["not-an-object", None, 3.0, np.zeros(2)]


def _bad_values(v: Any) -> list[Any]:
    if isinstance(v, np.ndarray):
        return _bad_arrays(v)
    if isinstance(v, (list, tuple)) and v and all(isinstance(t, (int, float)) for t in v):
        return _bad_arrays(np.asarray(v, dtype=np.float64)) + [[*v[:-1], math.nan], [], "ab"]
    return _bad_scalars(v)


def _finite(obj: Any, depth: int = 0) -> bool:
    """All floats reachable in a result (arrays, numbers, tuples, dataclass fields, Trajectory) are finite."""
    if depth > 4 or obj is None or isinstance(obj, (str, bool, type)):
        return True
    if isinstance(obj, (float, np.floating)):
        return math.isfinite(float(obj))
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind not in "fc" or bool(np.all(np.isfinite(obj)))
    if isinstance(obj, (list, tuple)):
        return all(_finite(o, depth + 1) for o in obj[:50])
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return all(_finite(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj) if f.name not in ("details", "meta", "p"))
    for attr in ("points", "energies", "weights", "times"):
        if hasattr(obj, attr) and not _finite(getattr(obj, attr), depth + 1):
            return False
    return True


def _arrays(obj: Any) -> list[np.ndarray]:
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [a for o in obj for a in _arrays(o)]
    return []


def _names(exc: BaseException, arg: str) -> bool:
    """The message names the argument in quotes, ``'arg'`` (or an item of it, ``'arg[0]'``), not just its letters."""
    return re.search(rf"'{re.escape(arg)}('|\[)", str(exc)) is not None


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def _call(fn: Any, kwargs: dict[str, Any]) -> tuple[str, Any]:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT_S)
    try:
        return "ok", fn(**kwargs)
    except (ValueError, TypeError) as exc:
        return "refused", exc
    except _Hang:
        return "hang", None
    except Exception as exc:  # noqa: BLE001 - every other exception is a defect the test reports
        return "foreign", exc
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_every_public_callable_is_registered() -> None:
    missing = sorted(n for n in public_callables() if not registered(n))
    assert not missing, f"public callables without a fuzz entry (add them to tests/fuzz/registry.py): {missing}"
    stale = sorted(n for n in CALLS if n not in public_callables())
    assert not stale, f"fuzz entries that are no longer public: {stale}"


def test_every_public_method_is_registered() -> None:
    methods = public_methods()
    missing = sorted(n for n in methods if not method_registered(n))
    assert not missing, f"public methods without a fuzz entry (add them to tests/fuzz/methods.py): {missing}"
    stale = sorted(n for n in METHODS if n.split("[")[0] not in methods)
    assert not stale, f"method fuzz entries that are no longer public: {stale}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_valid_call_works(name: str) -> None:
    fn, kwargs = ALL[name]()
    kind, out = _call(fn, kwargs)
    assert kind == "ok", (name, kind, out)
    assert _finite(out), (name, "the valid call returned non-finite values")


@pytest.mark.parametrize("name", sorted(ALL))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_argument(name: str, data: st.DataObject) -> None:
    fn, kwargs = ALL[name]()
    if not kwargs:  # nothing to spoil: the valid call is tested above
        return
    arg = data.draw(st.sampled_from(sorted(kwargs)), label="argument")
    bad = data.draw(st.sampled_from(range(len(_bad_values(kwargs[arg])))), label="bad value index")
    kwargs[arg] = _bad_values(kwargs[arg])[bad]
    inputs = _arrays(list(kwargs.values()))
    before = [(a.copy(), a.flags.writeable) for a in inputs]
    kind, out = _call(fn, copy.copy(kwargs))
    assert kind != "hang", f"{name}({arg}={kwargs[arg]!r}) ran past {TIMEOUT_S} s"
    assert kind != "foreign", f"{name}({arg}={kwargs[arg]!r}) raised {type(out).__name__}: {out}"
    if kind == "ok":
        assert _finite(out), f"{name}({arg}={kwargs[arg]!r}) returned non-finite values instead of refusing"
    else:
        assert _names(out, arg), f"{name}({arg}={kwargs[arg]!r}) was refused without naming {arg!r}: {out}"
    for a, (b, w) in zip(inputs, before, strict=True):
        assert a.flags.writeable == w, f"{name} changed the writeable flag of the caller's {arg!r}"
        if a.dtype.kind != "O":
            np.testing.assert_array_equal(a, b, err_msg=f"{name} changed the caller's array")


def sweep(names: list[str]) -> tuple[int, list[str]]:
    """Every (callable, argument, bad value) of ``names``: the number of calls and the defects found."""
    defects, calls = [], 0
    for name in names:
        fn, kwargs0 = ALL[name]()
        for arg in sorted(kwargs0):
            for k in range(len(_bad_values(kwargs0[arg]))):
                calls += 1
                fn, kwargs = ALL[name]()
                kwargs[arg] = _bad_values(kwargs[arg])[k]
                inputs = _arrays(list(kwargs.values()))
                before = [(a.copy(), a.flags.writeable) for a in inputs]
                kind, out = _call(fn, copy.copy(kwargs))
                changed = any(a.flags.writeable != w or (a.dtype.kind != "O" and not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
                              for a, (b, w) in zip(inputs, before, strict=True))
                unnamed = kind == "refused" and not _names(out, arg)
                if kind in ("hang", "foreign") or (kind == "ok" and not _finite(out)) or changed or unnamed:
                    defects.append(f"{name}({arg}={kwargs[arg]!r:.40}): {kind} {out!r:.100}")
    return calls, defects


def test_every_spoiled_function_argument_exhaustively() -> None:
    """Every (function, argument, bad value) of the registry, not a sample: about 3,700 calls in about 10 s, so it
    is part of the default run; the Hypothesis test above draws the same spoilings in random order."""
    _, defects = sweep(sorted(CALLS))
    assert not defects, "\n".join(defects)


def test_every_spoiled_method_argument_exhaustively() -> None:
    """The same for every public method of the objects the functions return."""
    _, defects = sweep(sorted(METHODS))
    assert not defects, "\n".join(defects)

