"""The tutorial's code runs as shown: its excerpts of the example plugin, in order, are the whole plugin."""

from __future__ import annotations

import re
import textwrap
from typing import Dict, List, Tuple

from conftest import ROOT

TUTORIAL = ROOT / "docs" / "tutorial.md"
MODULE = ROOT / "examples" / "corepress-xiamen" / "corepress_xiamen" / "__init__.py"
INCLUDE = re.compile(r"```\{literalinclude\}\s+(?P<path>\S+)\n(?P<options>(?:\s*:[\w-]+:.*\n)*)```")


def includes_of(path_suffix: str) -> List[Dict[str, str]]:
    found = []
    for m in INCLUDE.finditer(TUTORIAL.read_text(encoding="utf-8")):
        if not m.group("path").endswith(path_suffix):
            continue
        options = dict(re.findall(r":([\w-]+):\s*(.*)", m.group("options")))
        found.append({k: v.strip().strip('"') for k, v in options.items()})
    return found


def excerpt(source: str, options: Dict[str, str]) -> str:
    """What Sphinx's literalinclude shows with :start-at:, :end-before:, :end-at: and :dedent:."""
    lines = source.splitlines(keepends=True)
    start = 0
    if "start-at" in options:
        start = next(i for i, line in enumerate(lines) if options["start-at"] in line)
    end = len(lines)
    if "end-before" in options:
        end = next(i for i, line in enumerate(lines) if i > start and options["end-before"] in line)
    if "end-at" in options:
        end = next(i for i, line in enumerate(lines) if i >= start and options["end-at"] in line) + 1
    text = "".join(lines[start:end])
    if "dedent" in options:
        text = textwrap.dedent(text)
    return text


def shown_module() -> Tuple[str, List[str]]:
    source = MODULE.read_text(encoding="utf-8")
    whole, fragments = [], []
    for options in includes_of("corepress_xiamen/__init__.py"):
        text = excerpt(source, options)
        (fragments if "dedent" in options else whole).append(text)
    return "".join(whole), fragments


def test_the_tutorial_shows_the_imports_its_code_needs():
    shown, _ = shown_module()
    assert "import regex" in shown
    assert "from corepress.api import CLOSE, NAMES, OPEN, SP, LeadFormula, MastheadParser, Paper, PaperPlugin, PaperSignals" in shown


def test_the_excerpts_in_order_are_the_whole_plugin_and_run():
    shown, fragments = shown_module()
    source = MODULE.read_text(encoding="utf-8")
    code = source[source.index('"""', 3) + 3:]  # the module less its docstring
    code = code.replace("from __future__ import annotations\n", "")
    assert shown.strip() == code.strip(), "the tutorial's excerpts leave part of the plugin out, or repeat it"
    for fragment in fragments:  # a line shown on its own is in the plugin as it stands
        assert fragment.strip() in source
    namespace = {"__file__": str(MODULE), "__name__": "tutorial_plugin"}
    exec(compile(shown, "tutorial excerpts", "exec"), namespace)  # noqa: S102
    from corepress.api import PaperPlugin

    assert isinstance(namespace["plugin"], PaperPlugin) and namespace["PAPER"].id == "xiamen"


def test_the_test_extra_is_installed_before_pytest_runs():
    text = TUTORIAL.read_text(encoding="utf-8")
    assert "corepress[test]" in text
    assert text.index("corepress[test]") < text.index("$ pytest")
