"""Sphinx configuration for the corepress documentation.

Built by ``tox -e docs`` with warnings as errors (html and doctest builders).
Nothing here needs the network or external binaries.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import corepress  # noqa: E402  (installed: autodoc and the local extension need it)

project = "corepress"
author = "corepress maintainers"
copyright = "2026, corepress maintainers"
release = corepress.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx_click",
    "corepress_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "undoc-members": False}

html_theme = "furo"
html_title = f"corepress {release}"

# Doctests run from the repository root, so page paths read the way a user in a
# checkout types them ("seeds/000_8f24790f293e97a4.txt").
doctest_global_setup = f"""
import os as _os
_doctest_old_cwd = _os.getcwd()
_os.chdir({str(ROOT)!r})
"""
doctest_global_cleanup = """
_os.chdir(_doctest_old_cwd)
"""

# The local extension finds the repository here (schema file, bundled plugins).
corepress_repo_root = str(ROOT)
