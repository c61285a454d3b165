"""Sphinx configuration (the gallery and theory pages are being written; see issue 9)."""

project = "maxslope"
author = "maxslope developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.mathjax", "numpydoc"]
numpydoc_show_class_members = False
autodoc_typehints = "none"
exclude_patterns = ["_build", "verify_json_schema.md"]
html_theme = "alabaster"
