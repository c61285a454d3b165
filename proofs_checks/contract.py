"""Claim A1: every public entry keeps the input contract (issue 20).

The contract (``DESIGN.md``: what is public is a promise): a call with one bad argument — NaN, ±inf, an empty
array, a 0-d array, a complex, bool, string or object array, one coordinate too few, an extra axis, a scalar out
of range, a string, None, a wrong type — either raises a ``ValueError``/``TypeError`` whose message names the
argument in quotes, or returns finite values. It never raises another exception, never runs past
:data:`TIMEOUT_S`, and never changes the caller's arrays (values or ``writeable`` flags).

The sweep makes one valid call of every public function (:data:`api_calls.CALLS`) and every public method of the
objects they return (:data:`api_methods.METHODS`), which must work and return finite values, then spoils each of
its arguments with every bad value of :func:`bad_values`, one at a time: about 6,600 calls. The default test run fuzzes the same registry in random
order with Hypothesis (``tests/fuzz``), and a test there fails when a public callable has no registry entry.

Written here because no fuzzing library knows the contract: Hypothesis draws the same spoilings in the test
suite, but ``maxslope verify`` must run without test dependencies.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import math
import re
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Any

import numpy as np

from ._common import all_hold, all_rejected, has_dask, synchronous_dask
from .registry import Evidence, register

#: seconds one call may run before it counts as a hang (where a timer is available: the main thread, POSIX)
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


def bad_values(v: Any) -> list[Any]:
    """The spoilings of one valid argument value ``v``, by its kind (array, list of numbers, scalar, path, object).

    A path is spoiled by non-paths only: any string is a valid path, and the sweep must not write files where it
    runs."""
    if isinstance(v, PurePath):
        return [None, 3.0, np.zeros(2)]
    if isinstance(v, np.ndarray):
        return _bad_arrays(v)
    if isinstance(v, (list, tuple)) and v and all(isinstance(t, (int, float)) for t in v):
        return _bad_arrays(np.asarray(v, dtype=np.float64)) + [[*v[:-1], math.nan], [], "ab"]
    return _bad_scalars(v)


def finite(obj: Any, depth: int = 0) -> bool:
    """All floats reachable in a result (arrays, numbers, tuples, dataclass fields, Trajectory) are finite."""
    if depth > 4 or obj is None or isinstance(obj, (str, bool, type)):
        return True
    if isinstance(obj, (float, np.floating)):
        return math.isfinite(float(obj))
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind not in "fc" or bool(np.all(np.isfinite(obj)))
    if isinstance(obj, (list, tuple)):
        return all(finite(o, depth + 1) for o in obj[:50])
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return all(finite(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj) if f.name not in ("details", "meta", "p"))
    for attr in ("points", "energies", "weights", "times"):
        if hasattr(obj, attr) and not finite(getattr(obj, attr), depth + 1):
            return False
    return True


def arrays(obj: Any) -> list[np.ndarray]:
    """The NumPy arrays among the arguments (nested in lists and tuples)."""
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [a for o in obj for a in arrays(o)]
    return []


def names(exc: BaseException, arg: str) -> bool:
    """The message names the argument in quotes, ``'arg'`` (or an item of it, ``'arg[0]'``), not just its letters."""
    return re.search(rf"'{re.escape(arg)}('|\[)", str(exc)) is not None


class _Terminal(io.StringIO):
    """A captured stream that says it is a terminal: progress bars show only on one, so a bar that is on by default
    would otherwise go unseen."""

    def isatty(self) -> bool:
        return True


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def timer_available() -> bool:
    """A hang can be timed: SIGALRM exists (POSIX) and this is the main thread (not a Dask worker thread)."""
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


def call(fn: Callable[..., Any], kwargs: dict[str, Any], timeout: int = TIMEOUT_S) -> tuple[str, Any]:
    """``fn(**kwargs)`` as ``("ok", result)``, ``("refused", exc)`` (ValueError/TypeError), ``("hang", None)`` or
    ``("foreign", exc)``. The timer needs the main thread of a POSIX process; elsewhere (a Dask worker thread) the
    call runs without one."""
    timed = timer_available()
    if timed:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
    try:
        return "ok", fn(**kwargs)
    except (ValueError, TypeError) as exc:
        return "refused", exc
    except _Hang:
        return "hang", None
    except Exception as exc:  # noqa: BLE001 - every other exception is a defect the sweep reports
        return "foreign", exc
    finally:
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


def spoiled_call(factory: Callable[[], tuple[Callable[..., Any], dict[str, Any]]], arg: str, k: int,
                 timeout: int = TIMEOUT_S) -> tuple[Any, str | None]:
    """One call with the ``k``-th bad value of ``arg``: (the bad value, the defect in words or None)."""
    fn, kwargs = factory()
    bad = bad_values(kwargs[arg])[k]
    kwargs[arg] = bad
    inputs = arrays(list(kwargs.values()))
    before = [(a.copy(), a.flags.writeable) for a in inputs]
    kind, out = call(fn, copy.copy(kwargs), timeout)
    changed = any(a.flags.writeable != w or (a.dtype.kind != "O" and not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
                  for a, (b, w) in zip(inputs, before, strict=True))
    if kind == "hang":
        return bad, f"ran past {timeout} s"
    if kind == "foreign":
        return bad, f"raised {type(out).__name__}: {out}"
    if kind == "ok" and not finite(out):
        return bad, "returned non-finite values instead of refusing"
    if kind == "refused" and not names(out, arg):
        return bad, f"was refused without naming {arg!r}: {out}"
    if changed:
        return bad, "changed the caller's array"
    return bad, None


def boundary_call(factory: Callable[[], tuple[Callable[..., Any], dict[str, Any]]], over: dict[str, Any],
                  refuse: str | None, timeout: int = TIMEOUT_S) -> str | None:
    """The valid call with ``over`` at the edge of a domain: it must be refused naming ``refuse``, or (``refuse``
    None) accepted with finite values. The defect in words, or None."""
    fn, kwargs = factory()
    kwargs.update(over)
    kind, out = call(fn, kwargs, timeout)
    if kind in ("hang", "foreign"):
        return f"{kind}: {out!r:.100}"
    if refuse is None:
        return None if kind == "ok" and finite(out) else f"was not accepted ({kind}: {out!r:.100})"
    if kind == "ok":
        return f"was accepted (must be refused naming {refuse!r})"
    return None if names(out, refuse) else f"was refused without naming {refuse!r}: {out}"


def sweep(registry: dict[str, Callable[[], tuple[Callable[..., Any], dict[str, Any]]]], names_: Iterable[str] | None = None,
          timeout: int = TIMEOUT_S) -> tuple[int, list[str]]:
    """Every (callable, argument, bad value) of ``registry`` (or of its entries ``names_``): the number of calls
    and the defects, one line each."""
    with synchronous_dask():
        return _sweep(registry, names_, timeout)


def boundary_sweep(registry: dict[str, Callable[[], tuple[Callable[..., Any], dict[str, Any]]]],
                   cases: dict[str, list[tuple[dict[str, Any], str | None]]], timeout: int = TIMEOUT_S) -> tuple[int, list[str]]:
    """Every edge case of ``cases`` whose entry ``registry`` has: the number of calls and the defects."""
    n, defects = 0, []
    with synchronous_dask():
        for name in sorted(cases):
            if name not in registry:
                continue  # an entry left out (its optional dependency is missing)
            for over, refuse in cases[name]:
                n += 1
                d = boundary_call(registry[name], over, refuse, timeout)
                if d is not None:
                    defects.append(f"{name}({', '.join(f'{k}={v!r:.30}' for k, v in over.items())}): {d:.120}")
    return n, defects


def _sweep(registry: dict[str, Callable[[], tuple[Callable[..., Any], dict[str, Any]]]], names_: Iterable[str] | None,
           timeout: int) -> tuple[int, list[str]]:
    defects, n = [], 0
    for name in sorted(registry) if names_ is None else names_:
        fn, kwargs0 = registry[name]()
        n += 1  # the valid call itself: it must work, return finite values and print nothing (progress is opt-in)
        printed = _Terminal()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            kind, out = call(fn, copy.copy(kwargs0), timeout)
        if kind != "ok" or not finite(out):
            defects.append(f"{name}: the valid call {'returned non-finite values' if kind == 'ok' else f'{kind}: {out!r:.100}'}")
        elif printed.getvalue():
            defects.append(f"{name}: the valid call printed {printed.getvalue()!r:.80}")
        _, kwargs0 = registry[name]()
        for arg in sorted(kwargs0):
            for k in range(len(bad_values(kwargs0[arg]))):
                n += 1
                bad, defect = spoiled_call(registry[name], arg, k, timeout)
                if defect is not None:
                    defects.append(f"{name}({arg}={bad!r:.40}): {defect:.120}")
    return n, defects


def registry() -> dict[str, Callable[[], tuple[Callable[..., Any], dict[str, Any]]]]:
    """The public functions and methods, with one valid call each (imported on first use: it builds small
    models and flows)."""
    from .api_calls import CALLS
    from .api_methods import METHODS

    return {**CALLS, **METHODS}


# ---------------------------------------------------------------------- the claim and its controls
def _check(profile: str) -> Evidence:
    from .api_calls import BOUNDARY

    reg = registry()
    n, defects = sweep(reg)
    nb, edge = boundary_sweep(reg, BOUNDARY)
    n, defects = n + nb, defects + edge
    shown = "; ".join(defects[:5]) + (f"; … {len(defects) - 5} more" if len(defects) > 5 else "")
    return Evidence(not defects, len(defects), 0, f"{n} calls (one valid, then every spoiled one, then the domain edges) on {len(reg)} public functions and methods",
                    f"defects: {shown}" if defects else "every call refused by name or returned finite values")


def _provenance_problem() -> tuple[Any, Any, np.ndarray]:
    """The energy, space and batch of two start points that the provenance runs share."""
    import maxslope as ms

    return ms.SeparableQuadratic([1.0, 3.0]), ms.Lp(math.inf), np.array([[0.25, -0.1], [0.5, 0.2]])


def _provenance_runs() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Eleven runs of the public schemes and attacks, each with the record its ``meta`` must hold: the run's arguments as given
    (the documented provenance that reports print and ``SetTrajectory.check`` reads back), e.g. the horizon as
    ``steps``, the box as its ``repr``, the perimeter constant of the variant (S, O: 1; F: 2)."""
    import maxslope as ms
    from maxslope.attacks import ifgsm, pgd
    from maxslope.perimeter import Grid, disc, perimeter_flow
    from maxslope.schemes import CBOInner, minimizing_movement, steepest_descent
    from maxslope.wasserstein import Empirical, PotentialEnergy, Wasserstein

    E, linf, x0 = _provenance_problem()
    box = ms.Box(np.array([0.2, 0.0]), np.array([0.35, 0.5]))
    W = Wasserstein(math.inf, linf)
    mu = Empirical(np.array([[0.3, -0.2], [-0.4, 0.1], [0.0, 0.6]]), np.array([0.5, 0.3, 0.2]))
    G = Grid((24, 24), 1 / 24)
    mm = {"scheme": "minimizing_movement", "p": math.inf, "tau": 0.05, "steps": 4, "record_every": 1, "inner": "exact"}
    sd = {"scheme": "steepest_descent", "p": math.inf, "tau": 0.05, "steps": 4, "record_every": 1}
    return [
        ("minimizing_movement in ℓ∞", minimizing_movement(E, linf, x0, 0.05, T=0.2, inner="exact").meta,
         {**mm, "space": repr(linf), "constraint": None}),
        ("minimizing_movement in ℓ∞ with a box, every second node", minimizing_movement(E, linf, x0, 0.05, steps=4, constraint=box, record_every=2).meta,
         {**mm, "space": repr(linf), "constraint": repr(box), "record_every": 2}),
        ("steepest_descent in ℓ∞, sign(0) = 0.5", steepest_descent(E, linf, x0, 0.05, steps=4, selection=0.5).meta,
         {**sd, "space": repr(linf), "selection": 0.5, "constraint": None}),
        ("minimizing_movement in W_∞", minimizing_movement(PotentialEnergy(E), W, mu, 0.05, steps=4).meta,
         {**mm, "space": repr(W), "constraint": None, "inner": "per-atom ground steps"}),
        ("steepest_descent in W_∞, the default rule", steepest_descent(PotentialEnergy(E), W, mu, 0.05, T=0.2).meta,
         {**sd, "space": repr(W), "selection": "default", "constraint": None}),
        ("steepest_descent in W_∞, one rule per particle", steepest_descent(PotentialEnergy(E), W, mu, 0.05, steps=4, selection=["zero", 0.5, -1.0]).meta,
         {**sd, "space": repr(W), "selection": "per particle", "constraint": None}),
        ("ifgsm, foolbox's convention", ifgsm(ms.Linear(np.array([1.0, -2.0])), x0, 0.1, 0.03, 3, bounds=(-1.0, 1.0), convention="foolbox").meta,
         {"scheme": "ifgsm", "tau": 0.03, "eps": 0.1, "p": math.inf, "steps": 3, "convention": "foolbox", "bounds": (-1.0, 1.0),
          "random_start": False, "seed": None}),
        ("pgd ℓ1 from a seeded random start", pgd(ms.Linear(np.array([1.0, -2.0])), x0, 0.1, 0.03, 3, norm=1, random_start=True, seed=7).meta,
         {"scheme": "pgd", "tau": 0.03, "eps": 0.1, "p": 1.0, "steps": 3, "convention": "maxslope", "bounds": None,
          "random_start": True, "seed": 7}),
        ("perimeter_flow, variant F", perimeter_flow(disc(G, 0.3), 0.002, 2 / 24, G, T=0.004, variant="F").meta,
         {"tau": 0.002, "eps": 2 / 24, "half_cell": True, "variant": "F", "fidelity": "idealized", "selection": "min",
          "solver": "maxflow", "c_per": 2.0}),
        ("minimizing_movement in ℓ∞ with CBO, the defaults of the authors' Flows.ipynb", minimizing_movement(E, linf, x0, 0.05, steps=1, inner=CBOInner()).meta,
         {**mm, "steps": 1, "space": repr(linf), "constraint": None, "inner": "cbo", "inner_guarantee": "stochastic (CBO, N=30, max_it=30, dt=0.01, "
          "lam=1, sigma=5.1, alpha=1e+08, best particle, initial_best=current, seed=0)"}),
        ("ifgsm from a seeded random start", ifgsm(ms.Linear(np.array([1.0, -2.0])), x0, 0.1, 0.03, 2, random_start=True, seed=11).meta,
         {"scheme": "ifgsm", "tau": 0.03, "eps": 0.1, "p": math.inf, "steps": 2, "convention": "maxslope", "bounds": None,
          "random_start": True, "seed": 11}),
    ]


def _provenance(tamper: Callable[[list[Any]], None] | None = None) -> Evidence:
    """Each run's ``meta`` holds the record of :func:`_provenance_runs` (keys and values; extra keys are allowed).
    ``tamper(runs)`` edits the runs (the negative control)."""
    runs = _provenance_runs()
    if tamper is not None:
        tamper(runs)
    wrong = [f"{name}: {k} = {meta.get(k, '<missing>')!r}, not {v!r}" for name, meta, want in runs for k, v in want.items()
             if k not in meta or type(meta[k]) is not type(v) or meta[k] != v]
    # the recorded nodes: every record_every-th step and the last one; the grid solver reports its final spacing
    from maxslope.schemes import GridInner, minimizing_movement, steepest_descent

    E, linf, x0 = _provenance_problem()
    times = steepest_descent(E, linf, x0, 0.05, steps=4, record_every=3).times
    if not np.array_equal(times, [0.0, 3 * 0.05, 4 * 0.05]):
        wrong.append(f"steepest_descent, 4 steps recorded every 3: times {times.tolist()}, not [0, 3τ, 4τ]")
    # a seeded random start is reproduced by its seed (the record must be enough to rerun it) and moves with it
    import maxslope as ms
    from maxslope.attacks import ifgsm

    starts = [ifgsm(ms.Linear(np.array([1.0, -2.0])), x0, 0.1, 0.03, 2, random_start=True, seed=s).points[0] for s in (11, 11, 12)]
    if not np.array_equal(starts[0], starts[1]) or np.array_equal(starts[0], starts[2]) or np.array_equal(starts[0], x0):
        wrong.append(f"ifgsm's random start: seed 11 twice {starts[0].tolist()} and {starts[1].tolist()}, seed 12 {starts[2].tolist()}")
    # the random start lies in the ε-ball of its norm and fills it (60 starts in ℝ³, ε = 0.1: the largest has
    # norm > 0.09), and a batch of any shape starts as the flattened batch does
    from maxslope.attacks import CONVENTIONS, pgd

    lin3, z = ms.Linear(np.array([1.0, -2.0, 0.5])), np.zeros((60, 3))
    for norm in (math.inf, 2.0, 1.0):
        r = np.linalg.norm(np.asarray(pgd(lin3, z, 0.1, 0.03, 1, norm=norm, random_start=True, seed=5).points)[0], ord=norm, axis=-1)
        if not 0.09 < r.max() <= 0.1:
            wrong.append(f"pgd's random start in the l{norm:g} ball of radius 0.1: largest norm {r.max()!r}")
    nd, flat = (np.asarray(pgd(lin3, b, 0.1, 0.03, 2, norm=2, random_start=True, seed=5).points) for b in (np.zeros((2, 5, 3)), np.zeros((10, 3))))
    if nd.shape != (3, 2, 5, 3) or not np.array_equal(nd.reshape(flat.shape), flat):
        wrong.append(f"pgd's l2 random start on a (2, 5, 3) batch: shape {nd.shape}, not the (10, 3) batch's run reshaped")
    # a point at a critical point of the loss does not move (a zero direction and a zero projection) in every
    # convention: the loss (x − c)²/2 has its critical point at c
    crit = np.array([[0.2, -0.1, 0.3], [0.5, 0.5, 0.5]])
    for conv in CONVENTIONS:
        for norm in (math.inf, 2.0):
            pts = np.asarray(pgd(ms.SeparableQuadratic(np.ones(3), crit[0]), crit, 0.1, 0.03, 2, norm=norm, convention=conv).points)
            if not np.all(np.isfinite(pts)) or not np.array_equal(pts[:, 0], np.broadcast_to(crit[0], pts[:, 0].shape)):
                wrong.append(f"pgd ({conv}, l{norm:g}) from a critical point of the loss: moved to {pts[-1, 0].tolist()}")
    # without a seed the run records the seed it drew, which repeats it (in memory and, where Dask is, chunked)
    batches: list[Any] = [x0]
    if has_dask():
        import dask.array as da

        batches.append(da.from_array(x0, chunks=(1, 2)))
    for b in batches:
        with synchronous_dask():  # no threads: the check also runs in forked processes (mutmut's)
            run = ifgsm(ms.Linear(np.array([1.0, -2.0])), b, 0.1, 0.03, 2, random_start=True)
            seed, points = run.meta.get("seed"), np.asarray(run.points)
        again = ifgsm(ms.Linear(np.array([1.0, -2.0])), x0, 0.1, 0.03, 2, random_start=True, seed=seed) if isinstance(seed, int) else None
        if again is None or not np.array_equal(points, again.points):
            wrong.append(f"ifgsm without a seed ({type(b).__name__} batch): recorded seed {seed!r} does not repeat the run")
    # a callback sees each step's number, time and energy, and stops the run where it returns True (step 3 of 6,
    # which is not a recorded node with record_every = 2: the stop is recorded); a run it does not stop has no stopped_at
    seen: list[tuple[int, float, float]] = []

    def stop_at_3(pr: Any) -> bool:
        seen.append((pr.step, pr.t, float(np.max(np.asarray(pr.energy)))))
        return pr.step == 3

    for scheme in (minimizing_movement, steepest_descent):
        run = scheme(E, linf, x0, 0.05, steps=6, record_every=2, callback=stop_at_3)
        full = scheme(E, linf, x0, 0.05, steps=6, record_every=2)
        if run.meta.get("stopped_at") != 3 or not np.array_equal(run.times, [0.0, 0.1, 3 * 0.05]) or "stopped_at" in full.meta:
            wrong.append(f"{scheme.__name__} stopped by a callback at step 3: stopped_at {run.meta.get('stopped_at')!r}, "
                         f"times {run.times.tolist()}; unstopped run's meta has stopped_at: {'stopped_at' in full.meta}")
        steps_seen = [(k, t) for k, t, _ in seen]
        if steps_seen != [(1, 0.05), (2, 2 * 0.05), (3, 3 * 0.05)] or abs(seen[1][2] - float(np.max(E.value(full.points[1])))) > 1e-15:
            wrong.append(f"{scheme.__name__}: the callback saw {seen}")
        seen.clear()

    class _NoGuarantee:  # a user's inner solver that states no guarantee
        def __call__(self, E: Any, space: Any, xk: Any, r: Any, c: Any) -> Any:
            return xk

    said = minimizing_movement(E, linf, x0, 0.05, steps=1, inner=_NoGuarantee()).meta.get("inner_guarantee")
    if said != "user-supplied solver (no guarantee stated)":
        wrong.append(f"a user's inner solver without a guarantee: inner_guarantee {said!r}")
    spacing = minimizing_movement(E, linf, x0, 0.05, steps=2, inner=GridInner(n=41, zoom=4)).meta.get("inner_spacing")
    if not (isinstance(spacing, float) and 0 < spacing <= 2 * 0.05 / 40):
        wrong.append(f"GridInner(n=41, zoom=4): inner_spacing {spacing!r}, not in (0, 2τ/40]")
    return Evidence(not wrong, len(wrong), 0.5, "provenance: the meta of eleven runs (MMS and steepest descent in ℓ∞ and "
                    "W_∞, with a box, a record interval and selections; IFGSM and PGD, IFGSM's random start repeated from its recorded seed; a perimeter flow "
                    "of variant F; MMS with the CBO settings of the authors' notebook) against their arguments",
                    "; ".join(wrong) or "every record as called")


def _printed_cases() -> list[tuple[str, Callable[[], Any], str]]:
    """Objects whose printed form is documented (the docstrings' examples, the reports), with that form."""
    import maxslope as ms
    from maxslope.checks import CertifiedResult, CheckResult, CombinedResult, is_monotone
    from maxslope.exact import separable_quadratic_flow
    from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein

    ok, bad = CheckResult("a", 0.25, 1.0, "demo", True, 0.5), CheckResult("b", 2.0, 1.0, "r", False)
    a = "a: PASS (measured 2.500e-01 at t=0.5, tolerance 1.000e+00, margin 7.50e-01: demo)"
    b = "b: FAIL (measured 2.000e+00, tolerance 1.000e+00, margin -1.00e+00: r)"
    cases: list[tuple[str, Callable[[], Any], str]] = [
        ("a passing check", lambda: ok, a),
        ("a failing check", lambda: bad, b),
        ("is_monotone at a step", lambda: is_monotone([3.0, 2.0, 2.1]),
         "energy non-increasing: FAIL (measured 1.000e-01 at step=2, tolerance 0.000e+00, margin -1.00e-01: user tolerance)"),
        ("a combined check", lambda: CombinedResult("both", [ok, bad]), f"both: FAIL\n  {a}\n  {b}"),
        ("a certificate", lambda: CertifiedResult("certified", 1e-25, 3e-30, 8), "certified EDE: certified (|R| <= 3.000e-30 on 8 cells, tol 1e-25)"),
        ("a refutation", lambda: CertifiedResult("refuted", 1e-8, 2.5e-6, 13, (0.25, 0.375), {}),
         "certified EDE: refuted (|R| <= 2.500e-06 on 13 cells, tol 1e-08, witness cell [0.25, 0.375])"),
        ("a symbolic proof", lambda: separable_quadratic_flow([1.0, 2.0], [0.3, -0.2]).verify_symbolic(),
         "symbolic energy-dissipation proof: PASS (3 pieces: EDE residuals ['0', '0', '0'], speeds ['1', '1', '0'])"),
        ("a uniform measure", lambda: Empirical(np.zeros((3, 2))), "Empirical(n=3, d=2, uniform)"),
        ("a weighted measure", lambda: Empirical(np.zeros((2, 1)), np.array([0.25, 0.75])), "Empirical(n=2, d=1, weighted)"),
        ("W_∞ over ℓ∞", lambda: Wasserstein(math.inf, ms.Lp(math.inf)), "Wasserstein(inf, Lp(inf))"),
        ("W_2 over ℓ1", lambda: Wasserstein(2.0, ms.Lp(1.0)), "Wasserstein(2, Lp(1))"),
        ("ℓ1.5", lambda: ms.Lp(1.5), "Lp(1.5)"),
        ("a potential energy", lambda: PotentialEnergy(ms.Linear([1.0, 2.0])), "PotentialEnergy(Linear)"),
        ("an interaction energy", lambda: InteractionEnergy(ms.SeparableQuadratic([1.0, 1.0])), "InteractionEnergy(SeparableQuadratic)"),
        ("a batch trajectory", lambda: ms.Trajectory(np.array([0.0, 0.5]), np.zeros((2, 3, 2)), meta={"tau": 0.5, "scheme": "demo"}),
         "Trajectory(K=1, batch=(3,), d=2, t=[0, 0.5], tau=0.5, scheme='demo')"),
        ("a curve of measures", lambda: ms.Trajectory(np.array([0.0, 0.5]), np.zeros((2, 3, 2)), weights=np.full(3, 1 / 3)),
         "Trajectory(K=1, measures of 3 particles, d=2, t=[0, 0.5], scheme='?')"),
    ]
    try:
        import dask.array as da

        from maxslope.wasserstein import ChunkedEmpirical

        cases.append(("a chunked measure", lambda: ChunkedEmpirical(da.zeros((10, 2), chunks=(5, 2))), "ChunkedEmpirical(n=10, d=2, uniform, 2 chunks)"))
    except ImportError:
        pass
    return cases


def _printed_forms(tamper: Callable[[str], str] | None = None) -> Evidence:
    """Each object of :func:`_printed_cases` prints as documented (``str``), exactly; ``tamper`` edits the printed
    forms first (the control: one verdict word in lower case)."""
    wrong = []
    cases = _printed_cases()
    for name, make, want in cases:
        got = str(make())
        if tamper is not None:
            got = tamper(got)
        if got != want:
            wrong.append(f"{name}: {got!r}")
    return Evidence(not wrong, len(wrong), 0.5, f"printed forms: {len(cases)} results, measures, spaces, energies and trajectories "
                    "against their documented text", "; ".join(wrong) or "every one as documented")


def _tau_off_by_one_ulp(runs: list[Any]) -> None:
    """A negative control: one run records its step one ulp larger than it was called with."""
    name, meta, want = runs[2]
    runs[2] = (name, {**meta, "tau": float(np.nextafter(meta["tau"], math.inf))}, want)


def _x() -> np.ndarray:
    return np.array([[0.3, -0.4], [1.0, 2.0], [-0.5, 0.25]])


def _leaky_norm(x: Any) -> Any:
    """ℓ2 norms that let one kind of bad input through: a NaN coordinate gives a NaN norm instead of a refusal."""
    import maxslope as ms

    a = np.asarray(x)
    if a.dtype.kind == "f" and np.isnan(a).any() and not np.isinf(a).any():
        return np.sqrt((a * a).sum(-1))
    return ms.Lp(2.0).norm(x)


def _foreign_on_empty(x: Any) -> Any:
    """ℓ2 norms whose only defect: an empty last axis raises IndexError (a foreign exception)."""
    import maxslope as ms

    a = np.asarray(x)
    if a.ndim >= 1 and a.shape[-1] == 0:
        return a[..., 0]
    return ms.Lp(2.0).norm(x)


def _unnamed_on_extra_axis(x: Any) -> Any:
    """ℓ2 norms whose only defect: an extra leading axis is refused without naming the argument."""
    import maxslope as ms

    a = np.asarray(x)
    if a.ndim == 3 and a.dtype.kind == "f":
        raise ValueError("wrong number of dimensions")
    return ms.Lp(2.0).norm(x)


def _writes_bool_input(x: Any) -> Any:
    """ℓ2 norms whose only defect: a bool array is refused, but only after the caller's array was overwritten."""
    import maxslope as ms

    if isinstance(x, np.ndarray) and x.dtype == bool:
        x[...] = False
    return ms.Lp(2.0).norm(x)


def _hangs_on_short_row(x: Any) -> Any:
    """ℓ2 norms whose only defect: one coordinate too few never returns (until the timer stops it)."""
    import time

    import maxslope as ms

    a = np.asarray(x)
    if a.dtype.kind == "f" and a.ndim == 2 and a.shape[-1] == 1:
        while True:
            time.sleep(0.01)
    return ms.Lp(2.0).norm(x)


def _chatty_on_a_terminal(x: Any) -> Any:
    """The ℓ2 norm that writes a progress line to standard error when that is a terminal (a bar on by default)."""
    import sys

    import maxslope as ms

    if sys.stderr.isatty():
        print("step 1/1", file=sys.stderr)
    return ms.Lp(2.0).norm(x)


def _lp_norm_at(x: Any, p: float) -> Any:
    """The ℓp norm with its domain's edge moved: p = 1 − 1e-12 is accepted (as the ℓ1 norm) instead of refused."""
    import maxslope as ms

    return ms.Lp(1.0 if 1 - 1e-9 < p < 1 else p).norm(x)


#: the edge cases the control is swept with: only the second is a defect of :func:`_lp_norm_at`
EDGE_CASES: list[tuple[dict[str, Any], str | None]] = [({"p": 1.0}, None), ({"p": 1 - 1e-12}, "p"), ({"p": math.inf}, None),
                                                     ({"p": 0.5}, "p"), ({"p": 2.0}, None), ({"p": 1 + 1e-12}, None)]


#: minimal violations: each callable breaks the contract for exactly one bad value of one argument
BROKEN: dict[str, Callable[..., Any]] = {
    "silent NaN": _leaky_norm,
    "foreign exception": _foreign_on_empty,
    "unnamed refusal": _unnamed_on_extra_axis,
    "changed input": _writes_bool_input,
    "hang": _hangs_on_short_row,
    "prints by default": _chatty_on_a_terminal,
}


def _control_call(fn: Callable[..., Any]) -> Callable[[], tuple[Callable[..., Any], dict[str, Any]]]:
    """The registry entry of a broken callable: its valid call on three points of R²."""
    return lambda: (fn, {"x": _x()})


def _negative(profile: str) -> Evidence:
    """The sweep on :data:`BROKEN`: it must find each one's single defect (measured: the fewest found, 0 fails)."""
    found = {}
    for what, fn in BROKEN.items():
        if what == "hang" and not timer_available():  # without a timer the hang would never return
            continue
        n, defects = sweep({what: _control_call(fn)}, timeout=1)
        found[what] = len(defects)
    # an edge moved by one: the norm of Lp(p) for p just below 1 accepted (one boundary case of six)
    n, defects = boundary_sweep({"edge": lambda: (_lp_norm_at, {"x": _x(), "p": 2.0})}, {"edge": EDGE_CASES})
    found["edge moved"] = len(defects)
    fewest = min(found.values())
    return Evidence(fewest <= 0, fewest, 0, "seven callables, each with one defect in about 10 spoiled or edge calls",
                    ", ".join(f"{k}: {v} found" for k, v in found.items()))


register(
    id="A1",
    title="Every public entry keeps the input contract",
    statement="Each public function, and each public method of the objects they return, works on a valid call and returns finite values; called with one bad "
              "argument (NaN, ±inf, empty, 0-d, complex, bool, string or object arrays, a coordinate too few, an "
              "extra axis, out-of-range scalars, strings, None, wrong types) raises a ValueError or TypeError that "
              "names the argument, or returns finite values; it never raises another exception, never hangs and "
              "never changes the caller's arrays. At the edges of the documented domains (p = 1, τ = 0, ε = 0, "
              "lo = hi, radius and tolerances 0, a start at the centre) the value just outside is refused by name "
              "and the value just inside is accepted. A scheme's result records its run: its meta holds the "
              "arguments as called (provenance); results, measures, spaces and trajectories print as documented.",
    hypotheses="one valid call per public callable (proofs_checks.api_calls and api_methods); callables whose "
               "optional dependency is missing are left out; hangs are timed where a timer exists (the main "
               "thread of a POSIX process)",
    section="DESIGN.md (what is public is a promise)",
    check=lambda profile: all_hold([_check(profile), _provenance(), _printed_forms()]),
    negative=lambda profile: all_rejected([_negative(profile), _provenance(_tau_off_by_one_ulp),
                                           _printed_forms(lambda text: text.replace("FAIL", "fail", 1))]),
    negative_description="five copies of Lp(2).norm, each breaking the contract for exactly one bad value of "
                         "its one argument: a NaN passed through as a NaN norm, an IndexError on an empty axis, a "
                         "refusal of an extra axis that does not name the argument, a bool array overwritten "
                         "before the refusal, and a hang on a row one coordinate short; a sixth that prints a "
                         "progress line by default where standard error is a terminal; and an ℓp norm whose "
                         "domain's edge moved (p = 1 − 1e-12 accepted), among six edge cases. Each must be found; and a "
                         "run whose meta records its step one ulp larger than called; and printed forms with one verdict word "
                         "in lower case.",
    source="api_contract",
)
