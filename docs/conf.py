"""Sphinx configuration: API reference from the numpydoc docstrings and a gallery of worked examples.

Every example in ``docs/examples`` is executed during the build (sphinx-gallery) and asserts its own results, so a
build with ``-W`` (``nox -s docs``) fails when an example's claim no longer holds.
"""

import os
from pathlib import Path

project = "maxslope"
author = "maxslope developers"
copyright = "2026, maxslope developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.mathjax", "numpydoc", "sphinx_gallery.gen_gallery"]
numpydoc_show_class_members = False
# numpydoc validation of Parameters, Returns, Examples and missing docstrings, as warnings (errors under -W). The
# objects with known gaps (docs/numpydoc_backlog.txt, kept by docs/numpydoc_gate.py and tests/test_numpydoc.py,
# which checks the gaps per object and check) are excluded here, so the build fails on every other gap.
numpydoc_validation_checks = {"PR01", "RT01", "EX01", "GL08"}


def _backlog_patterns() -> set[str]:
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import numpydoc_gate

    # the backlog's objects, and the data attributes (dataclass fields, constants: documented by #: comments)
    names = numpydoc_gate.backlog_objects() | numpydoc_gate.data_attributes()
    return {rf"^{re.escape(n)}$" for n in names}


numpydoc_validation_exclude = _backlog_patterns()
autodoc_typehints = "none"
exclude_patterns = ["_build", "examples/README.txt"]
html_theme = "alabaster"
# wide enough for the 110-character code lines of the examples
html_theme_options = {"page_width": "1240px", "sidebar_width": "230px"}
suppress_warnings = ["config.cache"]

# MathJax from the docs' own _static folder, so that pages opened offline show typeset formulas instead of raw TeX.
# The files are the MathJax 3.2.2 distribution as packaged for pip by django-static-mathjax (the docs extra); only
# the CommonHTML bundle, its woff-v2 fonts, the TeX extensions it loads on demand, the menu and the a11y
# components are copied (2.9 MB of 35). Without the package the build falls back to the CDN.
_MATHJAX_PARTS = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")


def _offline_mathjax() -> str | None:
    import importlib.util
    import shutil

    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        return None
    src = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    if not (src / "tex-mml-chtml.js").is_file():
        return None
    root = Path(__file__).resolve().parent / "_build" / "mathjax_static"
    dst = root / "mathjax" / "es5"
    for part in _MATHJAX_PARTS:
        a, b = src / part, dst / part
        if b.exists():
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(a, b, ignore=shutil.ignore_patterns("sre*")) if a.is_dir() else shutil.copy2(a, b)
    return str(root)


html_static_path = ["_static"]
html_css_files = ["maxslope.css"]  # code blocks wrap instead of being cut at the page edge
_mathjax_static = _offline_mathjax()
if _mathjax_static is not None:
    html_static_path.append(_mathjax_static)
    mathjax_path = "mathjax/es5/tex-mml-chtml.js"

# the two-moons example reads the authors' reference weights when they sit beside the checkout
_data = Path(__file__).resolve().parents[2] / "shared" / "data" / "two_moons"
if _data.is_dir():
    os.environ.setdefault("MAXSLOPE_TWO_MOONS_DATA", str(_data))


def _write_claims_page() -> None:
    """docs/claims.rst from the claim registry (statement, hypotheses, source, negative control), with anchors."""
    import proofs_checks

    def esc(text: str) -> str:  # the claims are plain text: escape reST markup characters
        for ch in ("\\", "|", "*", "`", "_"):
            text = text.replace(ch, "\\" + ch)
        return text

    lines = ["Claims checked by ``maxslope verify``", "=" * 38, "",
             "A claim holds when its check passes and its negative control is rejected by the same check.", "",
             "Most claims have two kinds of control. The first violates the claim everywhere, for example a curve that "
             "is too fast at every step. The second violates it minimally, by a small margin in one step, one atom, one "
             "cell, one coordinate or one case, so that a check which looked at only part of its data would accept it. "
             "Where a check's own resolution is coarse (a grid tolerance of about one cell), the minimal control is the "
             "smallest violation that resolution can show, and its description says so.", ""]
    for cid in proofs_checks.SPEC_IDS:
        c = proofs_checks.REGISTRY.get(cid)
        title = f"{cid} — {esc(c.title) if c else 'not registered yet'}"
        lines += [f".. _claim-{cid}:", "", title, "-" * max(60, len(title) + 2), ""]
        if c is None:
            lines += [f"Pending: {proofs_checks.PENDING_ISSUE.get(cid, '')}.", ""]
            continue
        lines += [f"**Statement.** {esc(c.statement)}", "", f"**Hypotheses.** {esc(c.hypotheses)}", "",
                  f"**Source.** {esc(c.reference)}", "", f"**Negative control.** {esc(c.negative_description)}", ""]
    Path(__file__).with_name("claims.rst").write_text("\n".join(lines), encoding="utf-8")


_write_claims_page()

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # reading order: the file names carry it (plot_01_… to plot_07_…)
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    # the execution-times pages load jQuery and DataTables from two CDNs; a reader gains nothing from them
    "write_computation_times": False,
}
