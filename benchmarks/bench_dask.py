"""Signed gradient descent (batch IFGSM) on 10⁷ start points in ℝ², 100 steps: NumPy in memory against Dask.

Baseline: the same ``steepest_descent`` call on the in-memory NumPy array, which is what a user would run on one
machine. The Dask runs use a ``LocalCluster`` of 1 and of 2 single-threaded worker processes, with the start
points chunked along the batch axis. Each configuration runs in a fresh process so that its peak resident memory
is its own: for NumPy the process's peak, for Dask each worker's peak (ru_maxrss, read on the worker after the
run) next to its resident memory before the run (the imports). The Dask result is checked against the NumPy
result bit for bit. Only the start and the end of the trajectory are kept (``record_every=100``): the whole
trajectory of 10⁷ points would be 16 GB in memory.

Run: ``python -m benchmarks.bench_dask [--quick]`` (``--quick``: 10⁶ points).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time

import numpy as np

STEPS, TAU = 100, 1e-3


def _problem(n: int) -> tuple[np.ndarray, object]:
    import maxslope as ms

    X = np.random.default_rng(0).uniform(-1.0, 1.0, size=(n, 2))
    return X, ms.SeparableQuadratic(np.array([1.0, 3.0]))


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def _numpy(n: int) -> dict:
    import maxslope as ms
    from maxslope.schemes import steepest_descent

    X, E = _problem(n)
    before = _current_mib()
    t0 = time.perf_counter()
    tr = steepest_descent(E, ms.Lp(math.inf), X, TAU, steps=STEPS, record_every=STEPS)
    final = np.asarray(tr.final)
    t = time.perf_counter() - t0
    np.save("/tmp/maxslope_bench_dask_ref.npy", final)
    return {"t": t, "peak_mib": [_rss_mib()], "before_mib": [before]}


def _dask(n: int, workers: int, chunk: int) -> dict:
    import dask.array as da
    import distributed

    import maxslope as ms
    from maxslope._dask import local_cluster
    from maxslope.schemes import steepest_descent

    cluster = local_cluster(workers)
    client = distributed.Client(cluster)
    try:
        client.run(lambda: __import__("maxslope.schemes"))  # imports on the workers before the clock starts
        before = list(client.run(_current_mib).values())
        # the start points are drawn chunk by chunk on the workers, from the same seeded stream as _problem
        X = da.concatenate([_rows(n, s, min(s + chunk, n)) for s in range(0, n, chunk)], axis=0)
        _, E = _problem(1)
        t0 = time.perf_counter()
        tr = steepest_descent(E, ms.Lp(math.inf), X, TAU, steps=STEPS, record_every=STEPS)
        final = tr.final.compute()
        t = time.perf_counter() - t0
        peaks = list(client.run(_rss_mib).values())
    finally:
        client.close()
        cluster.close()
    ref = np.load("/tmp/maxslope_bench_dask_ref.npy")
    return {"t": t, "peak_mib": peaks, "before_mib": before, "identical": bool(np.array_equal(final, ref))}


def _rows(n: int, start: int, stop: int) -> object:
    """Rows start:stop of the uniform start points, drawn on a worker (PCG64 advanced to the chunk)."""
    import dask.array as da
    from dask import delayed

    def draw() -> np.ndarray:
        g = np.random.PCG64(0)
        g.advance(2 * start)
        return np.random.Generator(g).uniform(-1.0, 1.0, size=(stop - start, 2))

    return da.from_delayed(delayed(draw)(), shape=(stop - start, 2), dtype=np.float64)


def run(large: bool = True) -> list[dict]:
    n = 10_000_000 if large else 1_000_000
    chunk = n // 20
    out = {}
    for name, args in (("numpy", []), ("dask-1", ["1"]), ("dask-2", ["2"])):
        r = subprocess.run([sys.executable, "-m", "benchmarks.bench_dask", "--child", name, str(n), str(chunk), *args],
                           capture_output=True, text=True, check=True)
        out[name] = json.loads(r.stdout.strip().splitlines()[-1])
    base = out["numpy"]
    rows = []
    for name in ("dask-1", "dask-2"):
        r = out[name]
        assert r["identical"], f"{name}: the Dask result differs from NumPy"
        rows.append({"name": f"signed GD, 100 steps, {name} ({chunk:,} points per chunk; result identical: {r['identical']}; "
                             f"peak MiB per worker {', '.join(f'{p:.0f}' for p in r['peak_mib'])} (after imports "
                             f"{', '.join(f'{p:.0f}' for p in r['before_mib'])}) vs NumPy {base['peak_mib'][0]:.0f} (after imports {base['before_mib'][0]:.0f}))",
                     "n": n, "t": r["t"], "baseline": "NumPy in memory, one process", "t_base": base["t"]})
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        i = sys.argv.index("--child")
        kind, n, chunk = sys.argv[i + 1], int(sys.argv[i + 2]), int(sys.argv[i + 3])
        res = _numpy(n) if kind == "numpy" else _dask(n, int(sys.argv[i + 4]), chunk)
        print(json.dumps(res))
    else:
        for row in run(large="--quick" not in sys.argv):
            print(f"{row['name']}: {row['t']:.2f} s vs {row['t_base']:.2f} s -> {row['t_base'] / row['t']:.2f}x")
