"""Mutation testing of the core modules with mutmut: kill rates of ``maxslope verify`` alone and with the tests.

Run through ``nox -s mutants`` (it installs mutmut), or directly::

    python -m mutation.run [--paths maxslope/spaces maxslope/checks ...] [--sample N] [--seed S] [--children K]

Two phases, each in its own scratch copy of the repository (mutmut rewrites the sources it mutates, so the
checkout is never touched):

1. **verify alone**: every mutant is tested by ``mutation/test_verify_claims.py``, one pytest test per claim of
   ``maxslope verify --profile fast`` (a claim passes when its check passes and its negative control is
   rejected). mutmut runs only the claims whose code the mutant touches.
2. **verify and the tests**: the survivors of phase 1 are tested again by the claims plus the default test suite
   (``tests/``, without the docs example and rendered-page tests, which execute the whole gallery for every
   mutant, and without the Dask cluster tests, whose worker processes do not survive mutmut's forks). A mutant that phase 1 killed is killed here too (a larger selection fails whenever a smaller one does),
   so phase 2 need not rerun it.

``--sample N`` draws N mutants per path (seeded, so a rerun draws the same ones) instead of running all of them;
the full core takes hours on a laptop and is meant for a larger machine (``--children`` sets mutmut's workers).

The report (``mutation-report/``) has a table per path, ``results.json`` and ``survivors.txt`` with the diff of
every mutant that survived both phases.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: the core modules of the mutation target (issue: spaces, energies, schemes, attacks, checks, exact, wasserstein,
#: perimeter)
CORE = [
    "maxslope/spaces",
    "maxslope/energies.py",
    "maxslope/schemes",
    "maxslope/attacks.py",
    "maxslope/checks",
    "maxslope/exact",
    "maxslope/wasserstein",
    "maxslope/perimeter",
]

#: test files left out of phase 2: the docs gallery and rendered-page tests cover every line, so mutmut would run
#: them for every mutant; the Dask tests start worker processes, which do not survive mutmut's forked test runs;
#: the doctest and numpydoc tests read docstrings and signatures, which mutmut's trampolines replace, so they fail
#: on the unmutated copy already (mutmut then refuses to start)
HEAVY_TESTS = ["tests/test_docs_examples.py", "tests/test_docs_rendered.py", "tests/test_distributed_verify.py",
               "tests/test_dask_arrays.py", "tests/test_doctests.py", "tests/test_numpydoc.py"]

#: tests left out of phase 2 because they introspect the public classes, where mutmut's trampolines add members
#: (``xǁBoxǁ__init____mutmut_1`` …) that look like public methods without a fuzz entry
INTROSPECTION_TESTS = ["tests/fuzz/test_public_api.py::test_every_public_method_is_registered",
                       "tests/fuzz/test_public_api.py::test_every_public_callable_is_registered"]

#: files not mutated: the runtime-checkable protocols. mutmut adds its trampolines as class members, which become
#: protocol members that no space has, so every isinstance check against a mutated protocol fails (not a kill)
DO_NOT_MUTATE = ["maxslope/spaces/base.py"]

_NAME = re.compile(r"^\s*(\S+): (\S.*)$")


def _module_of(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _workdir(base: Path, phase: str, paths: list[str], selection: list[str]) -> Path:
    """A scratch copy of the working tree (tracked and untracked, not ignored) with a [mutmut] ``setup.cfg``."""
    w = base / phase
    if w.exists():
        shutil.rmtree(w)
    w.mkdir(parents=True)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, check=True, capture_output=True).stdout.split(b"\0")
    for f in filter(None, files):
        src = ROOT / f.decode()
        if src.is_file():
            dst = w / f.decode()
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    shared = ROOT.parent / "shared"
    if shared.exists():  # the tests find the two-moons data at <checkout>/../shared and <mutants>/../shared
        (w / "shared").symlink_to(shared)
    cfg = ["[mutmut]", "source_paths=", *[f"    {p}" for p in paths], "also_copy="]
    cfg += [f"    {p}" for p in ("maxslope", "proofs_checks", "mutation", "tests", "docs")]
    cfg += ["do_not_mutate=", *[f"    {p}" for p in DO_NOT_MUTATE]]
    cfg += ["pytest_add_cli_args_test_selection=", *[f"    {s}" for s in selection]]
    cfg += ["pytest_add_cli_args=", "    -p", "    no:cacheprovider", "    -q"]
    # workers fork from a server that has only collected the tests, not from mutmut's main process, which ran
    # them: an inherited thread pool (torch, OpenMP) does not survive a fork, so a worker forked from a process
    # that had used it hung in its first torch operation, and mutmut reported the hang as a timeout (a kill that
    # was none)
    cfg += ["process_isolation=forkserver"]
    (w / "setup.cfg").write_text("\n".join(cfg) + "\n")
    return w


def _mutmut(w: Path, *args: str, allow: str = "") -> str:
    # one thread per worker: mutmut runs --children of them side by side, and a thread pool inherited by a fork
    # can hang (see _workdir)
    env = dict(os.environ, HYPOTHESIS_PROFILE="ci", PYTHONWARNINGS="ignore::UserWarning", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=w, env=env, capture_output=True, text=True)
    if r.returncode != 0 and not (allow and allow in r.stderr):
        raise RuntimeError(f"mutmut {' '.join(args)} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r.stdout


def _statuses(w: Path) -> dict[str, str]:
    out = {}
    for line in _mutmut(w, "results", "--all", "true").splitlines():
        m = _NAME.match(line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def _generate(w: Path) -> dict[str, str]:
    """Generate the mutants and collect which tests cover what, without testing any mutant."""
    _mutmut(w, "run", "no-such-mutant-*", allow="nothing matches")  # mutmut generates, then finds no such name
    return _statuses(w)


UNREACHED = "not reached before the deadline"
#: mutmut statuses that count as killed: a failing claim or test, or a run past mutmut's time limit (a hang)
KILLED = ("killed", "timeout")


def _run(w: Path, names: list[str], children: int, stop_at: float = math.inf, batch: int = 200) -> dict[str, str]:
    """Test ``names`` in batches; once ``stop_at`` (a ``time.perf_counter`` value) has passed, start no new batch.

    Each batch is one ``mutmut run`` (a pytest collection and warm-up of its own), so phase 1, whose mutants are
    cheap, runs in large batches; phase 2, where a survivor runs every test that covers it, in small ones.
    """
    done = 0
    for k in range(0, len(names), batch):
        if time.perf_counter() >= stop_at:
            break
        _mutmut(w, "run", "--max-children", str(children), *names[k : k + batch])
        done = k + batch
    st = _statuses(w)
    return {n: (st.get(n, "missing") if i < done else UNREACHED) for i, n in enumerate(names)}


def _owner(name: str, paths: list[str]) -> str:
    best = ""
    for p in paths:
        mod = _module_of(p)
        if (name.startswith(mod + ".") or name == mod) and len(mod) > len(best):
            best = mod
    return best or name.split(".x")[0]


def _tokens(code: str) -> list[tuple[int, str]] | None:
    try:
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(code.strip() + "\n").readline)
                if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT)]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None


def text_only(diff: str) -> bool:
    """Whether a mutant's diff changes string literals only (a message, a label, a name in a report): the same
    token sequence on both sides except for strings. Such a mutant changes what is printed, not what is computed."""
    old = "\n".join(line[2:] for line in diff.splitlines() if line.startswith("- "))
    new = "\n".join(line[2:] for line in diff.splitlines() if line.startswith("+ "))
    a, b = _tokens(old), _tokens(new)
    if not a or not b or len(a) != len(b) or a == b:
        return False
    return all(x == y or (x[0] == y[0] == tokenize.STRING) or (x[0] == y[0] == getattr(tokenize, "FSTRING_MIDDLE", -1))
               for x, y in zip(a, b, strict=True))


def _stratified(rows: list[tuple[str, dict[str, int]]], killed: str, unreached: str, what: str) -> str:
    """The kill rate of the whole population, estimated from a sample drawn per module (stratified sampling).

    The plain total of a per-module sample weights every module alike; the core's modules differ in size by a
    factor of six, so the estimate weights module h by its share N_h / N of all mutants:
    p = Σ W_h p_h, with variance Σ W_h² (1 − n_h/N_h) p̃_h (1 − p̃_h) / n_h, where p̃_h = (k_h + 1)/(n_h + 2) (so a
    module whose sample was all killed still counts its uncertainty). 95 % interval: p ± 1.96 σ."""
    N = sum(c["mutants"] for _, c in rows)
    est = var = 0.0
    for _, c in rows:
        n = c["tested"] - c[unreached]
        if n <= 0 or N == 0:
            return f"{what}: no estimate for the whole core (a module has no mutant reached)"
        W = c["mutants"] / N
        k = c[killed]
        est += W * k / n
        pt = (k + 1) / (n + 2)
        var += W * W * max(0.0, 1 - n / c["mutants"]) * pt * (1 - pt) / n
    half = 1.96 * math.sqrt(var)
    return (f"{what}, estimated over all {N} mutants of these modules (each module weighted by its size): "
            f"{100 * est:.1f} % ± {100 * half:.1f} % (95 %)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paths", nargs="+", default=CORE, help="files or packages to mutate (default: the core)")
    ap.add_argument("--sample", type=int, default=0, help="mutants drawn per path (0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--children", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default="mutation-report")
    ap.add_argument("--scratch", default=None, help="where the scratch copies go (default: <out>/work)")
    ap.add_argument("--deadline", type=float, default=0.0,
                    help="minutes of wall time: no new batch of mutants starts after it (0: none); the rest is reported as not reached")
    ap.add_argument("--report-only", action="store_true", help="rebuild the report from the scratch copies of an earlier run")
    ap.add_argument("--resume", action="store_true", help="keep phase 1 of an earlier run (same paths, sample, seed) and run phase 2")
    ap.add_argument("--verify-only", action="store_true", help="run phase 1 only (verify alone); phase 2's column reads 'not reached'")
    ap.add_argument("--names", default=None,
                    help="a file with one mutant name per line (e.g. an earlier run's survivors): test exactly those that "
                         "this tree has, instead of a sample (a function whose code is unchanged keeps its mutants' names)")
    a = ap.parse_args(argv)
    if a.sample < 0 or a.children < 1 or a.deadline < 0:
        ap.error("--sample and --deadline must be >= 0 and --children >= 1")
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    base = Path(a.scratch).resolve() if a.scratch else out / "work"
    t0 = time.perf_counter()
    stop_at = t0 + 60 * a.deadline if a.deadline else math.inf

    claims = ["mutation/test_verify_claims.py"]
    if a.report_only or a.resume:
        w1, w2 = base / "verify", base / "suite"
        every = _statuses(w1)
    else:
        w1 = _workdir(base, "verify", a.paths, claims)
        every = _generate(w1)
    groups: dict[str, list[str]] = {}
    for n in sorted(every):
        groups.setdefault(_owner(n, a.paths), []).append(n)
    rng = random.Random(a.seed)
    chosen: list[str] = []
    if a.names:
        wanted = [n.strip() for n in Path(a.names).read_text().splitlines() if n.strip() and not n.startswith("#")]
        missing = [n for n in wanted if n not in every]
        chosen = sorted(n for n in set(wanted) if n in every)
        if missing:
            print(f"{len(missing)} of the {len(wanted)} names are not mutants of this tree (their function changed): "
                  + ", ".join(missing[:20]) + (" …" if len(missing) > 20 else ""), flush=True)
    else:
        for g in sorted(groups):
            names = groups[g]
            chosen += sorted(rng.sample(names, a.sample)) if a.sample and a.sample < len(names) else names
    print(f"{len(every)} mutants in {len(groups)} modules; testing {len(chosen)}", flush=True)
    if a.report_only or a.resume:  # a mutant the first run did not reach reads "not checked"
        phase1 = {n: (UNREACHED if every[n] == "not checked" else every[n]) for n in chosen}
    else:
        phase1 = _run(w1, chosen, a.children, stop_at, batch=50 if a.deadline else 200)
    t1 = time.perf_counter()
    how = "read back" if a.report_only or a.resume else f"in {t1 - t0:.0f} s"
    print(f"phase 1 (verify alone): {sum(s in KILLED for s in phase1.values())} of {len(chosen)} killed ({how})", flush=True)

    rest = [n for n, s in phase1.items() if s not in KILLED]
    if a.report_only and not (w2 / "mutants").is_dir():
        a.verify_only = True  # phase 2 never ran: report it as not run (its survivors were reported as 100 % killed)
    phase2 = dict.fromkeys(phase1, "killed")
    if a.report_only:
        st2 = _statuses(w2) if (w2 / "mutants").is_dir() else {}
        phase2.update({n: (st2.get(n, UNREACHED) if st2.get(n) != "not checked" else UNREACHED) for n in rest})
    elif rest and time.perf_counter() < stop_at and not a.verify_only:
        suite = ["tests", *[f"--ignore={t}" for t in HEAVY_TESTS], *[f"--deselect={t}" for t in INTROSPECTION_TESTS], *claims]
        w2 = _workdir(base, "suite", a.paths, suite)
        _generate(w2)
        phase2.update(_run(w2, rest, a.children, stop_at, batch=2 * a.children))
    elif rest:
        phase2.update(dict.fromkeys(rest, UNREACHED))
        w2 = w1
    else:
        w2 = w1
    t2 = time.perf_counter()

    rows: list[tuple[str, dict[str, int]]] = []
    for g in sorted(groups):
        names = [n for n in chosen if _owner(n, a.paths) == g]
        if a.names and not names:
            continue
        counts = {"mutants": len(groups[g]), "tested": len(names)}
        counts["verify"] = sum(phase1[n] in KILLED for n in names)
        counts["both"] = sum(phase2[n] in KILLED for n in names)
        counts["unreached"] = sum(phase2[n] == UNREACHED for n in names)
        counts["unreached1"] = sum(phase1[n] == UNREACHED for n in names)
        counts["timeout"] = sum(phase1[n] == "timeout" for n in names)
        counts["uncovered"] = sum(phase1[n] == "no tests" for n in names)
        rows.append((g, counts))
    total = {k: sum(c[k] for _, c in rows) for k in ("mutants", "tested", "verify", "both", "unreached", "uncovered", "unreached1", "timeout")}
    lines = [
        f"mutmut kill rates ({f'the {len(chosen)} mutants named in {a.names}' if a.names else 'all mutants' if not a.sample else f'{a.sample} sampled per module, seed {a.seed}'}; "
        f"{t2 - t0:.0f} s)",
        "",
        "| module | mutants | tested | killed by verify | not run by any claim | killed by verify + tests | not reached |",
        "|---|---|---|---|---|---|---|",
    ]
    for g, c in [*rows, ("**total**", total)]:
        den = max(c["tested"] - c["unreached1"], 1)  # the mutants phase 1 reached
        reach = max(c["tested"] - c["unreached"], 1)
        both = "not run (--verify-only)" if a.verify_only else f"{c['both']} ({100 * c['both'] / reach:.1f} % of {reach} reached)"
        lines.append(
            f"| {g} | {c['mutants']} | {c['tested']} | {c['verify']} ({100 * c['verify'] / den:.1f} %) | {c['uncovered']} "
            f"| {both} | {c['unreached1'] if a.verify_only else c['unreached']} |"
        )
    if a.sample and not a.names:
        lines += ["", _stratified(rows, "verify", "unreached1", "verify alone")]
        if not a.verify_only:
            lines.append(_stratified(rows, "both", "unreached", "verify + tests"))
    lines += ["", f"Rates are over the mutants reached. {total['timeout']} of the verify kills are timeouts (the claims ran "
                  "past mutmut's limit: a hang is a detected change)." if total["timeout"] else ""]
    table = "\n".join(lines)
    print(table)
    (out / "table.md").write_text(table + "\n")
    (out / "results.json").write_text(json.dumps({"verify": phase1, "both": phase2, "rows": dict(rows)}, indent=1))
    final = phase1 if a.verify_only else phase2  # --verify-only lists the survivors of verify alone
    survivors = [n for n, s in final.items() if s not in (*KILLED, UNREACHED)]
    texts = 0
    with open(out / "survivors.txt", "w") as fh:
        for n in survivors:
            diff = _mutmut(w1 if a.verify_only else w2, "show", n)
            tag = " [text only]" if text_only(diff) else ""
            texts += bool(tag)
            fh.write(f"## {n}: {final[n]}{tag}\n{diff}\n")
    print(f"{len(survivors)} survivors ({texts} change string literals only: messages, labels): {out / 'survivors.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
