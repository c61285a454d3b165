"""Command line: ``maxslope verify`` runs the registered claims of the papers and reports on them.

``maxslope verify [--only IDS] [--profile fast|thorough] [--json FILE] [--report DIR] [--workers N | --scheduler ADDRESS]``

Exit code 0 if every selected claim holds (its check passes and its negative control is rejected), 1 otherwise,
2 for usage errors. ``python -m proofs_checks`` is the same entry point.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["main"]

JSON_SCHEMA_VERSION = 1


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e4:
        return f"{v:.4g}"
    return f"{v:.2e}"


def _margin(measured: float, tolerance: float) -> str:
    """tolerance − measured, relative to the tolerance when it is not 0 (so 1 | 1 shows its 1e-12 of room)."""
    if not (math.isfinite(measured) and math.isfinite(tolerance)):
        return "-"
    m = tolerance - measured
    return f"{m / abs(tolerance):+.1e}r" if tolerance != 0 else f"{m:+.1e}"


def _table(outcomes: list[Any]) -> str:
    idw = max([4] + [len(o.claim.id) for o in outcomes])
    cols = [("id", idw), ("claim", 30), ("test case", 44), ("measured", 10), ("tolerance", 10), ("margin", 9), ("verdict", 7),
            ("negative control", 16)]
    head = "  ".join(n.ljust(w) for n, w in cols)
    lines = [head, "  ".join("-" * w for _, w in cols)]
    for o in outcomes:
        ev = o.evidence
        neg = "rejected" if o.negative_rejected else ("error" if o.error else "NOT rejected")
        cells = [
            o.claim.id,
            o.claim.title,
            ev.test_case if ev else "(crashed, see below)",
            _fmt(ev.measured) if ev else "-",
            _fmt(ev.tolerance) if ev else "-",
            _margin(ev.measured, ev.tolerance) if ev else "-",
            "pass" if o.holds else "FAIL",
            neg,
        ]
        wrapped = [textwrap.wrap(c, w) or [""] for c, (_, w) in zip(cells, cols, strict=True)]
        for i in range(max(len(w) for w in wrapped)):
            lines.append("  ".join((w[i] if i < len(w) else "").ljust(cw) for w, (_, cw) in zip(wrapped, cols, strict=True)).rstrip())
    return "\n".join(lines)


def _usage(msg: str, prog: str = "maxslope verify") -> NoReturn:
    """A usage error: the message on stderr, exit status 2 (as argparse does for its own errors)."""
    print(f"{prog}: error: {msg}", file=sys.stderr)
    raise SystemExit(2)


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse unusable output paths and addresses before any claim runs, naming the option."""
    if args.only is not None and not [s for s in args.only.split(",") if s.strip()]:
        _usage(f"argument --only: expected comma-separated claim ids, e.g. C1,C4,C23, got {args.only!r}")
    if args.json is not None:
        js = Path(args.json)
        if js.is_dir():
            _usage(f"argument --json: {args.json!r} is a directory; give a file name")
        if not js.parent.is_dir():
            _usage(f"argument --json: the directory of {args.json!r} does not exist")
    if args.report is not None:
        rp = Path(args.report)
        if rp.exists() and not rp.is_dir():
            _usage(f"argument --report: {args.report!r} exists and is not a directory")
        if not rp.exists() and not rp.parent.is_dir():
            _usage(f"argument --report: the parent directory of {args.report!r} does not exist")
    if args.scheduler is not None:
        import re

        if not re.fullmatch(r"([a-z][a-z0-9+.-]*://)?[^\s:/]+:\d{1,5}", args.scheduler):
            _usage(f"argument --scheduler: expected an address such as tcp://10.0.0.1:8786, got {args.scheduler!r}")


def _load(targets: list[str]) -> None:
    """Import user claim modules: a module name (``pkg.claims``) or a path to a ``.py`` file."""
    import importlib
    import runpy

    for t in targets:
        try:
            if t.endswith(".py"):
                runpy.run_path(t, run_name="maxslope_user_claims")
            else:
                importlib.import_module(t)
        except (ImportError, OSError) as exc:
            _usage(f"argument --load: cannot load {t!r}: {exc}")


def _select(only: str | None) -> list[Any]:
    from proofs_checks import REGISTRY, SPEC_IDS
    from proofs_checks.registry import is_user_id

    user = [i for i in REGISTRY if is_user_id(i)]
    if not only:
        return [REGISTRY[i] for i in SPEC_IDS if i in REGISTRY] + [REGISTRY[i] for i in user]
    ids = [s.strip() for s in only.split(",") if s.strip()]
    ids = [i if is_user_id(i) else i.upper() for i in ids]
    unknown = [i for i in ids if i not in SPEC_IDS and i not in user]
    if unknown:
        _usage(f"argument --only: unknown claim id(s) {', '.join(unknown)}; ids are C1..C24, M1..M20, W1..W8, A1 and user "
               "claims U… loaded with --load")
    missing = [i for i in ids if i not in REGISTRY]
    if missing:
        _usage(f"argument --only: claim(s) {', '.join(missing)} are not registered yet")
    return [REGISTRY[i] for i in ids]


def _verify(args: argparse.Namespace) -> int:
    from proofs_checks import PENDING_ISSUE, REGISTRY, SPEC_IDS, run_claim

    _check_outputs(args)
    _load(args.load)
    claims = _select(args.only)
    t0 = time.perf_counter()
    tty = sys.stderr.isatty()
    done = 0

    def progress(c: Any, o: Any) -> None:
        nonlocal done
        done += 1
        status = "pass" if o.holds else "FAIL"
        end = " " * 10 if tty else ""
        print(f"[{done}/{len(claims)}] {c.id} {c.title} ... {status} ({o.seconds:.2f} s){end}", file=sys.stderr, flush=True)

    if args.workers is not None or args.scheduler is not None:
        from proofs_checks.distributed import dask_available, run_claims_on_dask

        if not dask_available():
            _usage("arguments --workers/--scheduler need Dask: pip install 'maxslope[dask]'")
        where = f"{args.workers} local worker processes" if args.workers else f"the scheduler at {args.scheduler}"
        print(f"running {len(claims)} claims on {where}", file=sys.stderr, flush=True)
        try:
            outcomes = run_claims_on_dask(claims, args.profile, args.load, args.workers, args.scheduler,
                                          on_done=lambda i, o: progress(claims[i], o))
        except OSError as exc:
            if args.scheduler is None:
                raise
            _usage(f"argument --scheduler: cannot reach {args.scheduler!r}: {exc}")
    else:
        outcomes = []
        for c in claims:
            if tty:
                print(f"[{done + 1}/{len(claims)}] {c.id} {c.title} ...", end="\r", file=sys.stderr, flush=True)
            o = run_claim(c, args.profile)
            outcomes.append(o)
            progress(c, o)
    elapsed = time.perf_counter() - t0
    n_ok = sum(o.holds for o in outcomes)
    print()
    print(f"maxslope verify — profile {args.profile}: {n_ok}/{len(outcomes)} claims hold ({elapsed:.1f} s)")
    print("A claim holds when its check passes and its negative control (an input violating it) is rejected.\n")
    print(_table(outcomes))
    pending = [i for i in SPEC_IDS if i not in REGISTRY]
    if pending and not args.only:
        by_issue: dict[str, list[str]] = {}
        for cid in pending:
            by_issue.setdefault(PENDING_ISSUE.get(cid, "unassigned"), []).append(cid)
        print("\nNot registered yet: " + "; ".join(f"{_ranges(v)} ({k})" for k, v in by_issue.items()))
    for o in outcomes:
        if o.error:
            print(f"\n{o.claim.id} crashed:\n{o.error}")
    if args.json:
        doc = {
            "schema_version": JSON_SCHEMA_VERSION,
            "profile": args.profile,
            "seconds": round(elapsed, 3),
            "summary": {"claims": len(outcomes), "hold": n_ok, "fail": len(outcomes) - n_ok},
            "claims": [o.to_dict() for o in outcomes],
            "not_registered": pending if not args.only else [],
        }
        Path(args.json).write_text(json.dumps(doc, indent=2, ensure_ascii=False))
        print(f"\nJSON written to {args.json}")
    if args.report:
        from ._report import write_report

        path = write_report(outcomes, Path(args.report), args.profile, elapsed, pending if not args.only else [])
        print(f"Report written to {path}")
    return 0 if n_ok == len(outcomes) else 1


def _int_at_least(minimum: int, what: str) -> Any:
    """An argparse type: an integer >= ``minimum``, else a usage error saying ``what`` was expected."""
    def parse(s: str) -> int:
        try:
            n = int(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {s!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {n}")
        return n
    return parse


_positive_int = _int_at_least(1, "positive")
_seed = _int_at_least(0, "non-negative")


def _positive_float(s: str) -> float:
    try:
        f = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {s!r}") from None
    if not (math.isfinite(f) and f > 0):
        raise argparse.ArgumentTypeError(f"expected a finite positive number, got {s!r}")
    return f


def _ranges(ids: list[str]) -> str:
    """'M4, M6, M16–M20': consecutive ids of the same letter collapse into a range."""
    runs: list[list[str]] = []
    for cid in ids:
        if runs and cid[0] == runs[-1][-1][0] and int(cid[1:]) == int(runs[-1][-1][1:]) + 1:
            runs[-1].append(cid)
        else:
            runs.append([cid])
    return ", ".join(r[0] if len(r) == 1 else (f"{r[0]}, {r[1]}" if len(r) == 2 else f"{r[0]}–{r[-1]}") for r in runs)


def main(argv: list[str] | None = None) -> int:
    r"""The ``maxslope`` command: ``verify`` (the claims), ``experiment`` (two moons, digits), ``--version``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 when every claim holds, 1 when one fails, 2 for a usage error.

    Examples
    --------
    >>> from maxslope.cli import main
    >>> main(["verify", "--only", "C1"])  # doctest: +ELLIPSIS
    <BLANKLINE>
    maxslope verify — profile fast: 1/1 claims hold (...)
    ...
    0
    """
    from . import __version__

    parser = argparse.ArgumentParser(prog="maxslope", description="Checkable metric gradient flows.")
    parser.add_argument("--version", action="version", version=f"maxslope {__version__}")
    sub = parser.add_subparsers(dest="command")
    v = sub.add_parser(
        "verify", help="run the registered claims of the papers and print a table",
        description="Run the claims of the two papers. A claim holds when its check passes and its negative control "
                    "(an input that violates the claim) is rejected by the same check.",
        epilog="exit codes: 0 every selected claim holds; 1 some claim fails or crashes; 2 usage error",
    )
    v.add_argument("--only", help="comma-separated claim ids, e.g. C1,C4,C23")
    v.add_argument("--profile", choices=["fast", "thorough"], default="fast", help="problem sizes (default: fast)")
    v.add_argument("--json", metavar="FILE", help="write the results as JSON (JSON Schema: maxslope/verify_schema.json in the package)")
    v.add_argument("--report", metavar="DIR", help="write a Markdown report with plots to DIR")
    v.add_argument("--load", action="append", default=[], metavar="MODULE",
                   help="import a module (name or .py path) that registers user claims 'U…' (repeatable)")
    where = v.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N",
                       help="run the claims on a local Dask cluster of N worker processes (needs maxslope[dask])")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the claims on a running Dask scheduler, e.g. tcp://10.0.0.1:8786 (needs maxslope[dask])")
    e = sub.add_parser("experiment", help="reproduce a numerical experiment of the papers")
    esub = e.add_subparsers(dest="experiment")
    tm = esub.add_parser("two-moons", help="IFGSM against the minimizing movement on the two-moons classifiers")
    tm.add_argument("--taus", type=_positive_int, default=5, help="number of step sizes τ = 0.2·2^-i (default 5)")
    tm.add_argument("--samples", type=_positive_int, default=20, help="start points uniform in [-1, 1]² (default 20)")
    tm.add_argument("--inner", choices=["exact", "grid", "cbo"], default="grid", help="MMS inner solver (default grid)")
    tm.add_argument("--out", default="two_moons_out", help="folder for the figures (default ./two_moons_out)")
    tm.add_argument("--weights", action="append", default=[], metavar="ACT=PATH",
                    help="a torch state dict to use instead of training, e.g. relu=two_moons_ReLU.pt (repeatable)")
    tm.add_argument("--seed", type=_seed, default=1, help="seed of the start points (default 1)")
    tm.add_argument("--paths", choices=["notebook", "reduced"], default="notebook",
                    help="path figures with the notebook's counts and third start point (default), or K = 1, 3, 50, 100")
    dg = esub.add_parser("digits", help="IFGSM against the exact minimizing movement on scikit-learn's digits (64-D)")
    dg.add_argument("--taus", type=_positive_int, default=7, help="number of step sizes τ = eps·2^-i (default 7)")
    dg.add_argument("--samples", type=_positive_int, default=50, help="test images in the τ study (default 50)")
    dg.add_argument("--eps", type=_positive_float, default=0.1, help="ℓ∞ budget on pixels in [0, 1] (default 0.1)")
    dg.add_argument("--seed", type=_seed, default=0, help="seed of the train/test split (default 0)")
    args = parser.parse_args(argv)
    if args.command == "verify":
        return _verify(args)
    if args.command == "experiment" and args.experiment == "two-moons":
        return _two_moons(args)
    if args.command == "experiment" and args.experiment == "digits":
        return _digits(args)
    parser.print_help()
    return 2


def _two_moons(args: argparse.Namespace) -> int:
    from .experiments.two_moons import run_experiment

    weights = {}
    for w in args.weights:
        act, sep, path = w.partition("=")
        if not sep or act.lower() not in ("relu", "gelu"):
            _usage(f"argument --weights: expected relu=PATH or gelu=PATH, got {w!r}", "maxslope experiment two-moons")
        weights[act.lower()] = path
    try:
        run_experiment(args.taus, args.samples, args.inner, args.out, weights, args.seed, paths=args.paths, progress=True)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _digits(args: argparse.Namespace) -> int:
    from .experiments.digits import run_digits

    try:
        run_digits(args.taus, args.samples, args.eps, args.seed)
    except (ValueError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
