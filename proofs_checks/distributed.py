"""Running the claims on a Dask cluster (``maxslope verify --workers N`` / ``--scheduler ADDRESS``).

Each claim is one task. A task runs :func:`~proofs_checks.registry.run_claim` in a worker process and sends back
only what the check measured (the :class:`~proofs_checks.registry.Evidence` of the check and of its negative
control, the seconds and the error text); the client pairs it with its own :class:`Claim`. Every claim is seeded,
so the verdicts and numbers equal a serial run bit for bit; only the timings differ.

Dask (``dask.distributed``) does the scheduling, the transport and the failure detection: a worker that dies is
noticed by the scheduler, and its claim comes back as a ``KilledWorker`` error, reported as a crashed claim.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .registry import Claim, ClaimOutcome, Evidence

__all__ = ["run_claims_on_dask", "dask_available"]

_LOADED: set[str] = set()  # user-claim modules already imported in this (worker) process


def dask_available() -> bool:
    """Whether ``dask.distributed`` can be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _ensure_loaded(load: tuple[str, ...]) -> None:
    from maxslope.cli import _load

    todo = [t for t in load if t not in _LOADED]
    if todo:
        _load(todo)
        _LOADED.update(todo)


def _remote(cid: str, profile: str, load: tuple[str, ...]) -> tuple[Evidence | None, Evidence | None, float, str | None]:
    """The task: run one claim in this worker process (the claim modules are imported here, once)."""
    import proofs_checks
    from proofs_checks.registry import run_claim

    _ensure_loaded(load)
    o = run_claim(proofs_checks.REGISTRY[cid], profile)
    return o.evidence, o.negative, o.seconds, o.error


def run_claims_on_dask(
    claims: list[Claim],
    profile: str,
    load: list[str],
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[int, ClaimOutcome], None] | None = None,
) -> list[ClaimOutcome]:
    """Run ``claims`` as Dask tasks and return their outcomes in the order of ``claims``.

    Parameters
    ----------
    claims : list of Claim
        The selected claims (registered in this process, and importable on the workers).
    profile : {"fast", "thorough"}
        The problem sizes.
    load : list of str
        User-claim modules (names or ``.py`` paths) to import on each worker before its first claim; a path must
        exist on the workers' file system.
    workers : int, optional
        Start a :class:`distributed.LocalCluster` of this many single-threaded worker processes.
    scheduler : str, optional
        Connect to a running scheduler at this address instead (``tcp://host:8786``).
    on_done : callable, optional
        Called as ``on_done(index, outcome)`` as each claim finishes (in completion order), for progress.
    """
    if (workers is None) == (scheduler is None):
        raise ValueError("give exactly one of 'workers' and 'scheduler'")
    from distributed import as_completed

    with _client(workers, scheduler) as client:
        futures = {}
        for i, c in enumerate(claims):
            # pure=False: every submission runs; the key names the claim in the dashboard
            f = client.submit(_remote, c.id, profile, tuple(load), key=f"claim-{c.id}-{os.getpid()}-{i}", pure=False)
            futures[f] = i
        out: list[ClaimOutcome | None] = [None] * len(claims)
        for f in as_completed(futures):
            i = futures[f]
            try:
                ev, neg, sec, err = f.result()
                o = ClaimOutcome(claims[i], ev, neg, sec, err)
            except Exception as exc:  # KilledWorker, a lost connection, an unpicklable result: the claim crashed
                o = ClaimOutcome(claims[i], None, None, 0.0, f"{type(exc).__name__}: {exc}")
            out[i] = o
            if on_done is not None:
                on_done(i, o)
    return [o for o in out if o is not None]


@contextmanager
def _client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A Dask client on a running scheduler, or on a fresh local cluster; closed on exit."""
    import dask
    from distributed import Client

    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    from maxslope._dask import local_cluster

    # a worker that dies fails the claim it was running at once, instead of retrying it on the others
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), local_cluster(int(workers or 1)) as cluster, \
            Client(cluster) as client:
        yield client
