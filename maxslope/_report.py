"""Markdown report of a ``maxslope verify`` run, with plots (matplotlib, optional ``report`` extra)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

__all__: list[str] = []  # the verify report writer of the command line, not a library promise


def _plot(plot: Any, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    for name, ys in plot.series.items():
        xs, yv = list(plot.x)[: len(ys)], list(ys)
        if plot.kind == "loglog":
            pairs = [(a, b) for a, b in zip(xs, yv, strict=False) if a > 0 and b > 0 and math.isfinite(b)]
            if pairs:
                ax.loglog(*zip(*pairs, strict=True), "o-", label=name)
        else:
            ax.plot(xs, yv, "-", label=name)
    if plot.kind == "loglog" and plot.x:
        x = [a for a in plot.x if a > 0]
        ax.loglog(x, [a * (plot.series and max(max(v) for v in plot.series.values()) / max(x)) for a in x], "k:", lw=0.8, label="slope 1")
    ax.set_title(plot.title, fontsize=10)
    ax.set_xlabel(plot.xlabel)
    ax.set_ylabel(plot.ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_report(outcomes: list[Any], directory: Path, profile: str, seconds: float, pending: list[str]) -> Path:
    """Write ``report.md`` (and PNG figures) to ``directory``; return the Markdown path."""
    directory.mkdir(parents=True, exist_ok=True)
    n_ok = sum(o.holds for o in outcomes)
    out = [
        "# maxslope verify — report",
        "",
        f"Profile **{profile}**, {len(outcomes)} claims, **{n_ok} hold**, {len(outcomes) - n_ok} fail ({seconds:.1f} s).",
        "",
        "A claim *holds* when its numerical check passes **and** its negative control — an input that violates the",
        "claim — is rejected by the same check. The statements reconstruct the claims of Weigand, Roith and Burger,",
        "*Adversarial flows* (arXiv:2406.05376), and Bungert, Laux and Stinson, *A mean curvature flow arising in",
        "adversarial training* (arXiv:2404.14402); the W claims are those of maxslope's metric-space layer.",
        "",
        "| id | claim | measured | tolerance | verdict | negative control |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        ev = o.evidence
        out.append(
            f"| [{o.claim.id}](#{o.claim.id.lower()}) | {o.claim.title} | {ev.measured:.3g} | {ev.tolerance:.3g} | "
            f"{'pass' if o.holds else '**FAIL**'} | {'rejected' if o.negative_rejected else '**not rejected**'} |"
            if ev
            else f"| {o.claim.id} | {o.claim.title} | – | – | **FAIL (crashed)** | – |"
        )
    if pending:
        out += ["", f"Not registered yet: {', '.join(pending)}."]
    for o in outcomes:
        c, ev, neg = o.claim, o.evidence, o.negative
        out += ["", f"## {c.id}", "", f"**{c.title}.** {c.statement}", "", f"*Hypotheses:* {c.hypotheses}. *Source:* {c.reference}.", ""]
        if o.error:
            out += ["```", o.error, "```"]
            continue
        out += [
            f"*Test case:* {ev.test_case}.",
            "",
            f"*Measured:* {ev.measured:.6g} against tolerance {ev.tolerance:.6g} → **{'pass' if ev.passed else 'fail'}**. {ev.details}",
            "",
            f"*Negative control:* {c.negative_description}. Measured {neg.measured:.6g} against {neg.tolerance:.6g} → "
            f"**{'rejected' if not neg.passed else 'NOT rejected (the check cannot tell)'}**." + (f" {neg.details}" if neg.details else ""),
        ]
        for j, pl in enumerate(ev.plots):
            name = f"{c.id}_{j}.png"
            if _plot(pl, directory / name):
                out += ["", f"![{pl.title}]({name})"]
    path = directory / "report.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
