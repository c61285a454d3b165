"""The rendered-page checker (docs/check_rendered.py) accepts a sound page and rejects each kind of broken one.

It needs Playwright and a Chromium executable (``$CHROMIUM`` or /usr/bin/chromium) and skips without them. The
formula cases need a MathJax mirror: ``$MAXSLOPE_MATHJAX_MIRROR`` names a ``node_modules`` folder holding
``mathjax`` (``npm install mathjax@4``).
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MIRROR = os.environ.get("MAXSLOPE_MATHJAX_MIRROR")

pytest.importorskip("playwright.sync_api", reason="the rendered-page check needs playwright")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)
sys.path.insert(0, str(ROOT / "docs"))
import check_rendered  # noqa: E402

# a 2x1 PNG, written out so that the test needs no image library
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg=="
)
MATHJAX = '<script defer src="https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js"></script>'


def _page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body><div class='body'>{body}</div></body></html>"


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    html = tmp_path / "html"
    html.mkdir()
    (html / "fig.png").write_bytes(PNG)
    for name, text in pages.items():
        (html / name).write_text(text)
    return html


def _by_page(reports: list[check_rendered.PageReport]) -> dict[str, list[str]]:
    return {r.page: r.problems for r in reports}


def test_sound_page_passes_and_each_fault_is_reported(tmp_path: Path) -> None:
    html = _site(
        tmp_path,
        {
            "index.html": _page("<p id='top'>ok</p><img src='fig.png'><a href='other.html#there'>x</a><a href='#top'>y</a>"),
            "other.html": _page("<h1 id='there'>there</h1><a href='index.html'>back</a>"),
            "broken.html": _page(
                "<img src='missing.png'><a href='nowhere.html'>a</a><a href='other.html#gone'>b</a>"
                "<script>undefined_function()</script>"
            ),
            "nomath.html": _page("<span class='math notranslate'>\\(x^2\\)</span>"),
            "wide.html": _page("<pre style='width: 300px; overflow: auto'>" + "x = 1  # " + "long " * 80 + "</pre>"),
        },
    )
    out = tmp_path / "shots"
    got = _by_page(check_rendered.check_pages(html, out=out, chromium=CHROMIUM))
    assert got["index.html"] == [] and got["other.html"] == []
    bad = "\n".join(got["broken.html"])
    for needle in ("image did not load: missing.png", "broken link: nowhere.html", "broken anchor: other.html#gone",
                   "script error"):
        assert needle in bad, bad
    # a formula that no MathJax typeset is reported, as is its raw delimiter
    nomath = "\n".join(got["nomath.html"])
    for needle in ("loads no MathJax", "1/1 formulas not typeset", "raw TeX delimiter"):
        assert needle in nomath, nomath
    assert any("code wider than its box" in m for m in got["wide.html"]), got["wide.html"]
    assert (out / "index.png").stat().st_size > 0 and (out / "broken.png").is_file()


def test_cdn_request_without_mirror_is_refused(tmp_path: Path) -> None:
    html = _site(tmp_path, {"index.html": _page("<span class='math'>\\(x\\)</span>", MATHJAX)})
    got = _by_page(check_rendered.check_pages(html, chromium=CHROMIUM, timeout_ms=3000))
    assert any("MathJax did not start" in p for p in got["index.html"]), got


@pytest.mark.skipif(not MIRROR, reason="MAXSLOPE_MATHJAX_MIRROR (a node_modules folder with mathjax) not set")
def test_formulas_typeset_and_tex_errors_rejected(tmp_path: Path) -> None:
    html = _site(
        tmp_path,
        {
            "index.html": _page("<span class='math'>\\(x^2 + \\frac{1}{2}\\)</span><div class='math'>\\[E(u)\\]</div>", MATHJAX),
            "bad.html": _page("<span class='math'>\\(\\frac{1}\\)</span><span class='math'>\\(\\nosuchmacro\\)</span>",
                              MATHJAX),
        },
    )
    got = _by_page(check_rendered.check_pages(html, chromium=CHROMIUM, mirror=Path(MIRROR or "")))
    assert got["index.html"] == [], got["index.html"]
    bad = got["bad.html"]
    assert any("TeX error: 'Missing argument for" in p for p in bad), bad
    assert any("undefined TeX macro" in p and "nosuchmacro" in p for p in bad), bad


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="html"):
        check_rendered.check_pages(tmp_path, chromium=CHROMIUM)
    (tmp_path / "index.html").write_text(_page("x"))
    with pytest.raises(FileNotFoundError, match="chromium"):
        check_rendered.check_pages(tmp_path, chromium=str(tmp_path / "no-browser"))
