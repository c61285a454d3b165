"""Run every benchmark and print a Markdown table of ratios against same-run baselines."""

from __future__ import annotations

import sys

from . import bench_perimeter, bench_steepest, bench_wasserstein


def main() -> int:
    rows = bench_steepest.run() + bench_perimeter.run() + bench_wasserstein.run(large="--quick" not in sys.argv)
    print("| benchmark | n | time (s) | baseline | baseline time (s) | speed-up |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['n']:,} | {r['t']:.4f} | {r['baseline']} | {r['t_base']:.4f} | {r['t_base'] / r['t']:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
