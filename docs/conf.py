"""Sphinx configuration: API reference from the numpydoc docstrings and a gallery of worked examples.

Every example in ``docs/examples`` is executed during the build (sphinx-gallery) and asserts its own results, so a
build with ``-W`` (``nox -s docs``) fails when an example's claim no longer holds.
"""

import os
from pathlib import Path

project = "maxslope"
author = "maxslope developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.mathjax", "numpydoc", "sphinx_gallery.gen_gallery"]
numpydoc_show_class_members = False
numpydoc_validation_checks: set[str] = set()
autodoc_typehints = "none"
exclude_patterns = ["_build", "verify_json_schema.md", "examples/README.txt"]
html_theme = "alabaster"
suppress_warnings = ["config.cache"]

# the two-moons example reads the authors' reference weights when they sit beside the checkout
_data = Path(__file__).resolve().parents[2] / "shared" / "data" / "two_moons"
if _data.is_dir():
    os.environ.setdefault("MAXSLOPE_TWO_MOONS_DATA", str(_data))

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
}
