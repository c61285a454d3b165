r"""Open every built HTML page in headless Chromium, check what a reader sees, and save a screenshot.

``sphinx-build -W`` proves that the sources are consistent; it cannot see a figure that does not load, a formula
that MathJax fails to typeset, or a script error. This script looks at the *rendered* pages:

* every ``<img>`` has finished loading and has a positive natural size (the gallery figures, the thumbnails);
* every Sphinx math node (``span.math``, ``div.math``) was replaced by a typeset MathJax element and MathJax
  reported no TeX error (``mjx-merror``); no raw ``\(`` or ``\[`` delimiter is left in the visible text;
* no uncaught JavaScript error and no ``console.error``;
* every link to a local page points to a file that exists and, with a ``#fragment``, to an element with that id;
* a full-page PNG screenshot of each page (tall pages are clipped) lands in ``--out`` to be looked at.

The docs serve their own MathJax (``docs/conf.py``, from the docs extra), so a check without ``--mirror`` proves
that the pages typeset offline. A build without that package falls back to the CDN; ``--mirror`` then names a
``node_modules`` folder (``npm install mathjax@4``) that answers the CDN's requests instead, so the very files the
CDN would send are the ones that typeset the pages. Every other request to the outside is refused and listed.

Playwright drives the browser (``pip install playwright``); the browser is the system's Chromium
(``--chromium``, default ``$CHROMIUM`` or ``/usr/bin/chromium``), since Playwright's own download needs a
network. The exit status is 0 only when every page passes.

Usage::

    python docs/check_rendered.py --html docs/_build/html --out docs/_build/screenshots --mirror /path/node_modules
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import mimetypes
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

CDN_PREFIX = "https://cdn.jsdelivr.net/npm/"
SKIP_DIRS = {"_static", "_sources", "_downloads", "_images", "_modules"}
MAX_SCREENSHOT_HEIGHT = 12000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in the page once it has loaded (and MathJax, if present, has finished).
_INSPECT_JS = r"""
() => {
  const imgs = Array.from(document.images).map(i => ({
    src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth, h: i.naturalHeight}));
  const body = document.querySelector('div.body, [role=main], main') || document.body;
  const mathNodes = Array.from(body.querySelectorAll('span.math, div.math'));
  const untypeset = mathNodes.filter(n => !n.querySelector('mjx-container')).map(n => n.textContent.slice(0, 80));
  const merrors = Array.from(document.querySelectorAll('mjx-merror')).map(n => n.textContent.slice(0, 80));
  // an undefined macro is not an error to MathJax: it is typeset as its own name in red (the noundefined package)
  const undefinedMacros = Array.from(document.querySelectorAll('mjx-container mjx-mtext'))
      .filter(n => n.style.color === 'red' && n.textContent.startsWith('\\')).map(n => n.textContent.slice(0, 40));
  const text = body.innerText;
  const raw = [];
  for (const d of ['\\(', '\\[']) { const k = text.indexOf(d); if (k >= 0) raw.push(text.slice(k, k + 60)); }
  const ids = Array.from(document.querySelectorAll('[id]')).map(n => n.id)
      .concat(Array.from(document.querySelectorAll('a[name]')).map(n => n.getAttribute('name')));
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
  // code cut at the page edge: a code block whose text is wider than its box (hidden, or behind a scrollbar)
  const cut = Array.from(body.querySelectorAll('pre')).filter(p => p.scrollWidth > p.clientWidth + 1)
      .map(p => p.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '').slice(0, 60));
  return {imgs, nmath: mathNodes.length, untypeset, merrors, undefinedMacros, raw, ids, links, cut,
          height: document.documentElement.scrollHeight};
}
"""


@dataclass
class PageReport:
    page: str
    images: int = 0
    math: int = 0
    problems: list[str] = field(default_factory=list)
    screenshot: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _mirror_file(mirror: Path, url: str) -> Path | None:
    """Map ``https://cdn.jsdelivr.net/npm/<pkg>@<version>/<path>`` to ``<mirror>/<pkg>/<path>``."""
    parts = urlparse(url).path[len("/npm/"):].split("/")
    n = 2 if parts[0].startswith("@") else 1  # a scoped package's name has two parts
    name = parts[:n]
    name[-1] = name[-1].split("@")[0]  # drop the version
    target = mirror.joinpath(*name, *parts[n:])
    return target if target.is_file() else None


def find_pages(html: Path, only: list[str] | None = None) -> list[str]:
    pages = []
    for p in sorted(html.rglob("*.html")):
        rel = p.relative_to(html)
        if rel.parts[0] in SKIP_DIRS:
            continue
        if only and not any(rel.match(pattern) for pattern in only):
            continue
        pages.append(rel.as_posix())
    return pages


def check_pages(
    html: Path,
    out: Path | None = None,
    chromium: str | None = None,
    mirror: Path | None = None,
    only: list[str] | None = None,
    timeout_ms: int = 120000,
) -> list[PageReport]:
    """Open each page of the built site ``html`` in headless Chromium and return one report per page.

    Parameters
    ----------
    html : Path
        The folder ``sphinx-build -b html`` wrote.
    out : Path, optional
        Where the screenshots go (one PNG per page, same relative path); none are taken without it.
    chromium : str, optional
        The browser executable; default ``$CHROMIUM`` or ``/usr/bin/chromium``.
    mirror : Path, optional
        A ``node_modules`` folder that answers requests to the jsDelivr CDN.
    only : list of str, optional
        Glob patterns (``Path.match``) of the pages to check; default every page.
    timeout_ms : int
        How long to wait for a page and for MathJax.
    """
    from playwright.sync_api import sync_playwright

    html = Path(html).resolve()
    if not (html / "index.html").is_file():
        raise ValueError(f"html: {html} has no index.html; build the docs first")
    chromium = chromium or os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        raise FileNotFoundError(f"chromium: no browser at {chromium} (install Debian's 'chromium' or pass --chromium)")
    pages = find_pages(html, only)
    server, base = _serve(html)
    reports: list[PageReport] = []
    anchors: dict[str, set[str]] = {}
    wanted: list[tuple[str, str, str]] = []  # (page, target file, fragment)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            refused: list[str] = []

            def route(r: Any) -> None:
                url = r.request.url
                if url.startswith(base):
                    return r.continue_()
                if mirror is not None and url.startswith(CDN_PREFIX):
                    f = _mirror_file(mirror, url)
                    if f is not None:
                        ctype = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
                        return r.fulfill(status=200, body=f.read_bytes(), content_type=ctype,
                                         headers={"Access-Control-Allow-Origin": "*"})
                refused.append(url)
                return r.abort()

            context.route("**/*", route)
            for rel in pages:
                rep = PageReport(rel)
                started = time.perf_counter()
                page = context.new_page()
                errors: list[str] = []

                def on_error(e: Any, errors: list[str] = errors) -> None:
                    errors.append(f"script error: {e}")

                def on_console(m: Any, errors: list[str] = errors) -> None:
                    if m.type == "error":
                        errors.append(f"console.error: {m.text}")

                page.on("pageerror", on_error)
                page.on("console", on_console)
                refused.clear()
                page.goto(base + rel, wait_until="load", timeout=timeout_ms)
                has_math = page.evaluate("() => document.querySelector('span.math, div.math') !== null")
                loads_mathjax = page.evaluate("() => document.querySelector('script[src*=\"mathjax\" i]') !== null")
                if has_math and not loads_mathjax:
                    errors.append("the page has formulas but loads no MathJax script")
                elif has_math:
                    try:
                        page.wait_for_function(
                            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=timeout_ms
                        )
                        page.evaluate("() => MathJax.startup.promise")
                    except Exception as exc:  # the script never arrived: say why below
                        errors.append(f"MathJax did not start ({type(exc).__name__})")
                info = page.evaluate(_INSPECT_JS)
                rep.images = len(info["imgs"])
                rep.math = info["nmath"]
                for im in info["imgs"]:
                    if not im["ok"]:
                        rep.problems.append(f"image did not load: {im['src']}")
                if info["untypeset"]:
                    rep.problems.append(
                        f"{len(info['untypeset'])}/{info['nmath']} formulas not typeset, e.g. {info['untypeset'][0]!r}"
                    )
                for m in info["merrors"]:
                    rep.problems.append(f"TeX error: {m!r}")
                for m in info["undefinedMacros"]:
                    rep.problems.append(f"undefined TeX macro: {m!r}")
                for t in info["raw"]:
                    rep.problems.append(f"raw TeX delimiter in the text: {t!r}")
                for c in info["cut"]:
                    rep.problems.append(f"code wider than its box (cut at the page edge): {c!r}")
                rep.problems.extend(errors)
                rep.problems.extend(f"request to the outside refused: {u}" for u in dict.fromkeys(refused)
                                    if not u.startswith(CDN_PREFIX) or mirror is not None)
                anchors[rel] = set(info["ids"])
                for link in info["links"]:
                    if not link.startswith(base):
                        continue
                    target, frag = urldefrag(link)
                    path = unquote(urlparse(target).path).lstrip("/")
                    if path == "" or path.endswith("/"):
                        path += "index.html"
                    wanted.append((rel, path, frag))
                if out is not None:
                    shot = Path(out) / (rel[: -len(".html")] + ".png")
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    height = min(int(info["height"]), MAX_SCREENSHOT_HEIGHT)
                    page.set_viewport_size({"width": 1280, "height": max(900, height)})
                    page.screenshot(path=str(shot), full_page=False)
                    rep.screenshot = str(shot)
                page.close()
                rep.seconds = time.perf_counter() - started
                reports.append(rep)
            browser.close()
    finally:
        server.shutdown()
    by_page = {r.page: r for r in reports}
    for rel, path, frag in wanted:
        target = html / path
        if not target.is_file():
            by_page[rel].problems.append(f"broken link: {path}")
        elif frag and path.endswith(".html") and path in anchors and frag not in anchors[path]:
            by_page[rel].problems.append(f"broken anchor: {path}#{frag}")
    return reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--html", type=Path, default=Path("docs/_build/html"))
    ap.add_argument("--out", type=Path, default=None, help="folder for the screenshots")
    ap.add_argument("--chromium", default=None)
    ap.add_argument("--mirror", type=Path, default=None, help="node_modules folder answering the jsDelivr CDN")
    ap.add_argument("--only", action="append", default=None, help="glob of pages to check (repeatable)")
    ap.add_argument("--json", type=Path, default=None, help="write the reports as JSON")
    args = ap.parse_args(argv)
    reports = check_pages(args.html, args.out, args.chromium, args.mirror, args.only)
    width = max(len(r.page) for r in reports)
    for r in reports:
        print(f"{'ok  ' if r.ok else 'FAIL'} {r.page:<{width}}  {r.images:3d} images  {r.math:4d} formulas  {r.seconds:5.1f} s")
        for p in r.problems[:10]:
            print(f"       - {p}")
        if len(r.problems) > 10:
            print(f"       - ... {len(r.problems) - 10} more")
    bad = [r for r in reports if not r.ok]
    n_img, n_math = sum(r.images for r in reports), sum(r.math for r in reports)
    print(f"{len(reports) - len(bad)}/{len(reports)} pages pass ({n_img} images, {n_math} formulas checked)")
    if args.json is not None:
        args.json.write_text(json.dumps([r.__dict__ for r in reports], indent=1))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
