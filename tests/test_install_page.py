"""The installation page promises what pyproject delivers: the citation's version, and every extra it lists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_install_page_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    page = (ROOT / "docs" / "install.rst").read_text(encoding="utf-8")
    assert f"version = {{{project['version']}}}" in page
    listed = set(re.findall(r"^``([a-z0-9-]+)``\s", page, flags=re.M))
    extras = set(project["optional-dependencies"])
    assert listed and listed <= extras, listed - extras
    assert {"test", "testing", "torch", "gpu", "docs"} <= listed
