"""Run every benchmark and print a Markdown table of ratios against same-run baselines.

Options: ``--quick`` (small sizes), ``--full`` (the slow exact baselines at every size), ``--only=NAME`` (one of
steepest, inner, perimeter, layer, dask, wasserstein; may repeat), ``--hera-max=N`` (GUDHI's exact Hera δ = 0
baseline up to N points; default 5,000, or 20,000 with ``--full``).
"""

from __future__ import annotations

import sys

from . import bench_dask, bench_inner, bench_layer, bench_perimeter, bench_steepest, bench_wasserstein


def _int_option(name: str) -> int | None:
    """The value of ``name=N`` on the command line, or None."""
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            v = a.split("=", 1)[1]
            if not v.isdigit():
                raise SystemExit(f"{name} takes a positive integer, got {v!r}")
            return int(v)
    return None


def main() -> int:
    only = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")]
    suites = {"steepest": bench_steepest.run, "inner": lambda: bench_inner.run(large="--quick" not in sys.argv), "perimeter": lambda: bench_perimeter.run(large="--quick" not in sys.argv),
              "layer": lambda: bench_layer.run(large="--quick" not in sys.argv),
              "dask": lambda: bench_dask.run(large="--quick" not in sys.argv),
              "wasserstein": lambda: bench_wasserstein.run(large="--quick" not in sys.argv, full="--full" in sys.argv,
                                                           hera_max=_int_option("--hera-max"))}
    rows = [r for name, f in suites.items() if not only or name in only for r in f()]
    print("| benchmark | n | time (s) | baseline | baseline time (s) | speed-up |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['n']:,} | {r['t']:.4f} | {r['baseline']} | {r['t_base']:.4f} | {r['t_base'] / r['t']:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
