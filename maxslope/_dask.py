"""Batched schemes on Dask arrays: the NumPy scheme run chunk by chunk along the batch axis.

Every start point (every atom of a measure, for energies that do not couple atoms) moves independently, so a
scheme on a Dask array is the NumPy scheme on each chunk (``map_blocks``), and the result equals the in-memory
run bit for bit: each chunk executes exactly the floating-point operations that the rows of the full array
execute. The scheme's arguments are checked eagerly on the first row (so a bad ``tau`` fails at the call, not at
``compute``); each chunk is checked again by the NumPy scheme inside its task (a NaN in a chunk raises there,
naming ``x0``).

Dask provides the task graph, the scheduling and the cluster; this module only states how a scheme splits.
Reductions over atoms (the energy of a measure) are summed exactly (:mod:`maxslope._exactsum`), so their value
does not depend on the chunking either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__: list[str] = []  # private: the public entries are the schemes that accept Dask arrays


def local_cluster(n_workers: int, **kwargs: Any) -> Any:
    """A :class:`distributed.LocalCluster` of ``n_workers`` single-threaded processes, tuned for NumPy work.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which switches off glibc's dynamic mmap
    threshold: every array above 128 KiB is then mapped and unmapped afresh, and the per-chunk NumPy steps ran
    4x slower in a worker than in the client on this project's benchmark (0.53 s against 0.12 s for one chunk of
    50,000 points). Here the workers keep glibc's defaults; the BLAS/OpenMP thread limits of one per worker stay.
    """
    import dask
    import distributed

    env = {k: v for k, v in dict(dask.config.get("distributed.nanny.pre-spawn-environ", {})).items() if k != "MALLOC_TRIM_THRESHOLD_"}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": env}):
        opts = {"threads_per_worker": 1, "processes": True, "dashboard_address": None, "silence_logs": 40, **kwargs}
        return distributed.LocalCluster(n_workers=n_workers, **opts)


def is_dask_array(x: Any) -> bool:
    """Whether ``x`` is a ``dask.array.Array`` (without importing Dask when it is not)."""
    return type(x).__module__.split(".")[0] == "dask" and hasattr(x, "chunks") and hasattr(x, "map_blocks")


def check_batch_chunks(x: Any, name: str, min_ndim: int = 1) -> None:
    """Refuse a Dask array that cannot be split along its batch axes: chunked coordinates, wrong dtype or dims."""
    if x.ndim < min_ndim:
        raise ValueError(f"argument {name!r} must have at least {min_ndim} dimension(s), got shape {tuple(x.shape)}")
    if any(math.isnan(s) for s in x.shape):
        raise ValueError(f"argument {name!r} has unknown chunk sizes; call {name}.compute_chunk_sizes() first")
    if math.prod(x.shape) == 0:
        raise ValueError(f"argument {name!r} is empty, shape {tuple(x.shape)}")
    kind = np.dtype(x.dtype).kind
    if kind not in "fiu":
        raise TypeError(f"argument {name!r} must be a real floating array, got dtype {x.dtype}")
    if len(x.chunks[-1]) != 1:
        raise ValueError(
            f"argument {name!r} is chunked along its coordinate axis (chunks {x.chunks[-1]}); every step needs the "
            f"whole coordinate vector of a point, so chunk along the batch axes only, e.g. {name}.rechunk({{-1: -1}})"
        )


def check_dask_constraint(constraint: Any) -> None:
    """One box for the whole batch only: a per-point centre would have to be chunked with ``x0``."""
    center = getattr(constraint, "center", None)
    if center is not None and getattr(center, "ndim", 1) > 1:
        raise ValueError(
            "argument 'constraint' has one centre per point; with a Dask 'x0' pass a box shared by all points "
            "(centre of shape (d,)), or use maxslope.attacks.ifgsm / pgd, whose budget box is centred at each start point"
        )


def _first_row(x0: Any) -> np.ndarray:
    """The first point of the batch, in memory (each batch axis cut to length 1): the eager probe's input."""
    return np.asarray(x0[(slice(0, 1),) * (x0.ndim - 1)])


def trajectory_by_chunks(run: Callable[..., Any], x0: Any, name: str = "x0", with_block_id: bool = False) -> Any:
    """Run the NumPy scheme ``run`` (block -> Trajectory) on each chunk of ``x0``; a Dask-backed Trajectory.

    The Trajectory's ``points`` (K+1, ..., d) and ``energies`` (K+1, ...) are Dask arrays chunked like ``x0``
    along the batch axes; ``times`` and ``meta`` come from the eager probe on the first row. With
    ``with_block_id``, ``run`` is called as ``run(block, block_id)`` (the chunk's index along each batch axis).
    """
    from .curves import Trajectory

    check_batch_chunks(x0, name)
    probe = run(_first_row(x0))
    nodes, d = probe.times.size, int(x0.shape[-1])
    dtype = np.dtype(probe.points.dtype)

    def block(xb: np.ndarray, block_id: tuple[int, ...] = ()) -> np.ndarray:
        tr = run(np.asarray(xb), block_id[1:]) if with_block_id else run(np.asarray(xb))
        return np.concatenate([np.asarray(tr.points), np.asarray(tr.energies)[..., None]], axis=-1)

    chunks = ((nodes,), *x0.chunks[:-1], (d + 1,))
    packed = x0.map_blocks(block, new_axis=0, chunks=chunks, dtype=dtype, meta=np.empty((0,) * (x0.ndim + 1), dtype))
    meta = dict(probe.meta, backend="dask", chunks=str(x0.chunks[:-1]))
    return Trajectory(probe.times, packed[..., :d], packed[..., d], meta)


def array_by_chunks(run: Callable[[np.ndarray], np.ndarray], x0: Any, name: str = "x0") -> Any:
    """``run`` (block -> array of the block's shape) on each chunk of ``x0``, probed eagerly on the first row."""
    check_batch_chunks(x0, name)
    probe = np.asarray(run(_first_row(x0)))
    return x0.map_blocks(lambda xb: np.asarray(run(np.asarray(xb))), dtype=probe.dtype, meta=np.empty((0,) * x0.ndim, probe.dtype))
