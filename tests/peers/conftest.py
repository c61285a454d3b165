"""Prints the peer tests' counts (cases and iterates compared, per library, norm and backend) after the run."""

from __future__ import annotations

import sys


def pytest_terminal_summary(terminalreporter):
    mod = next((m for name, m in list(sys.modules.items()) if name.endswith("test_attack_libraries")), None)
    counts = getattr(mod, "COUNTS", None)
    if not counts:
        return
    tr = terminalreporter
    tr.write_line("")
    tr.write_line("peer comparison (maxslope presets against the installed attack libraries):")
    tr.write_line("| library (convention) | norm | backend | cases | iterates compared | bit-exact iterates | max abs difference |")
    tr.write_line("|---|---|---|---|---|---|---|")
    for (lib, norm, backend), (c, it, ex, worst) in sorted(counts.items()):
        tr.write_line(f"| {lib} | {norm} | {backend} | {c} | {it} | {ex} | {worst:.1e} |")
    tr.write_line(f"| total | | | {sum(v[0] for v in counts.values())} | {sum(v[1] for v in counts.values())} "
                  f"| {sum(v[2] for v in counts.values())} | {max(v[3] for v in counts.values()):.1e} |")
