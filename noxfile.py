"""Sessions: tests, peers, thorough, lint, typing, gpu, bench, docs, docs_rendered, mutants (``nox -l`` lists them)."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typing", "tests"]
nox.options.default_venv_backend = "venv"


@nox.session
def tests(session: nox.Session) -> None:
    """The default suite (Hypothesis profile 'ci'), as CI runs it."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-q", *session.posargs, env={"HYPOTHESIS_PROFILE": "ci"})


#: the peer tests' install: torch first (CPU build where one is at hand), then the pinned libraries, torchattacks
#: without its stale pins (torchvision, requests~=2.25)
PEERS_TORCH = "torch==2.13.0"
PEERS_NO_DEPS = "torchattacks==3.5.1"


@nox.session
def peers(session: nox.Session) -> None:
    """The attack presets against the installed torchattacks, foolbox and ART, iterate by iterate."""
    session.install(PEERS_TORCH)
    session.install("-e", ".[test,peers]")
    session.install("--no-deps", PEERS_NO_DEPS)
    session.run("python", "-m", "pytest", "-q", "tests/peers", "tests/test_library_matrix.py", "tests/test_float32.py", *session.posargs)


@nox.session
def thorough(session: nox.Session) -> None:
    """Hypothesis profile 'thorough' (many examples) plus the tests marked slow."""
    session.install("-e", ".[test]")
    session.run(
        "python", "-m", "pytest", "-q", "--run-slow", *session.posargs, env={"HYPOTHESIS_PROFILE": "thorough"}
    )


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.5")
    session.run("ruff", "check", "maxslope", "proofs_checks", "mutation", "tests", "benchmarks", "docs/examples", "docs/check_rendered.py", "noxfile.py")


@nox.session
def typing(session: nox.Session) -> None:
    session.install("-e", ".", "mypy>=1.10")
    session.run("mypy")
    session.run("mypy", "docs/check_rendered.py")


@nox.session
def gpu(session: nox.Session) -> None:
    """The backend-parametrized suite on CuPy (needs a CUDA GPU; fails loudly without one)."""
    session.install("-e", ".[test,gpu]")
    session.run("python", "-c", "import cupy; cupy.cuda.runtime.getDeviceCount()")
    session.run("python", "-m", "pytest", "-q", "-k", "cupy", *session.posargs, env={"MAXSLOPE_REQUIRE_GPU": "1"})


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark; each prints ratios against a baseline measured in the same run."""
    session.install("-e", ".[test,bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx documentation with warnings as errors."""
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")


@nox.session
def docs_rendered(session: nox.Session) -> None:
    """Build the docs, then open every page in headless Chromium: figures loaded, formulas typeset, links sound.

    Needs Chromium (Debian's ``chromium``; ``$CHROMIUM`` names another). The pages serve their own MathJax and the
    check refuses every request to the outside, so a pass proves that the docs typeset offline. Screenshots land
    in docs/_build/screenshots.
    """
    session.install("-e", ".[docs-check]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run("python", "docs/check_rendered.py", "--html", "docs/_build/html", "--out", "docs/_build/screenshots")


#: the mutation tool (mutmut 3 runs only the tests that cover a mutant, which makes the per-claim selection cheap)
MUTMUT = "mutmut==3.8.1"


@nox.session
def mutants(session: nox.Session) -> None:
    """Mutation testing of the core modules: kill rates of ``maxslope verify`` alone and with the tests.

    ``nox -s mutants`` runs every mutant of the core (hours on a laptop); pass the driver's options after ``--``,
    e.g. ``nox -s mutants -- --paths maxslope/spaces/lp.py --sample 40``. The report lands in mutation-report/.
    """
    session.install("-e", ".[test]", MUTMUT)
    session.run("python", "-m", "mutation.run", *session.posargs)
