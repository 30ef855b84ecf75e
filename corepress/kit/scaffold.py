"""``corepress new-plugin``: write a complete plugin distribution for a new paper.

The result installs and passes the contract suite as it is: its hooks already
return the generic behaviour configured with the paper's name, and it ships a
placeholder sample page with its expected page.  Replacing the placeholder by a
real page (and its expected page) is the first step of the tutorial.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from string import Template
from typing import Dict, Optional

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ScaffoldError(Exception):
    pass


PYPROJECT = Template('''[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "corepress-$dist"
version = "0.1.0"
description = "corepress plugin for $paper_name"
readme = "README.md"
requires-python = ">=3.9"
dependencies = ["corepress>=0.1"]

[project.entry-points.corepress]
$name = "$package:plugin"

[tool.setuptools.packages.find]
include = ["$package*"]

[tool.setuptools.package-data]
$package = ["samples/*"]
''')

MODULE = Template('''"""corepress plugin for $paper_name.

Write down here what the generic rules cannot know about this paper: how its
masthead looks, its lead formulas, its column tags, its extraction quirks.
"""

from __future__ import annotations

from pathlib import Path

from corepress.api import MastheadParser, Paper, PaperPlugin, PaperSignals

PAPER = Paper(
    id="$paper_id",
    name="$paper_name",
    aliases=(),  # other names the masthead may print
    english_name=None,  # e.g. "GUILIN EVENING NEWS" as printed in the masthead
    region=None,  # e.g. "广西壮族自治区桂林市"
    cn=None,  # the CN serial, e.g. "CN45-0001", when the masthead prints it
    level="city",  # "city", "province" or "national"
    columns=(),  # column tags (栏目) the paper prints, e.g. ("民生观察",)
)

# Evidence that a page is this paper. The masthead name, English name and CN
# serial count automatically; add the places and institutions the paper writes
# about (weight per occurrence), and words that point to other papers.
SIGNALS = PaperSignals(
    paper=PAPER,
    terms={},  # e.g. {"桂林": 0.25, "漓江": 0.3}
    negative={},  # e.g. {"我省": 0.25} for a city paper
)


# Registration, detection, masthead, lead formulas and sample pages all come from
# PaperPlugin and the data below. For a rule of another kind, subclass PaperPlugin
# and add a hook method (@hookimpl, taking self): corepress_repair_rules,
# corepress_finish_article, or corepress_classify_block (call super() to keep
# the lead formulas).
plugin = PaperPlugin(
    PAPER,
    signals=SIGNALS,
    # the generic masthead parser, told this paper's name; pass extra_fields=(...)
    # for masthead lines only this paper prints, badges=(...) for its award badges
    masthead=MastheadParser(paper=PAPER),
    # lead formulas only this paper prints: LeadFormula(name, pattern), the pattern
    # with groups "agency" and "names..." (see corepress.kit.paper.LeadFormula)
    leads=(),
    samples=Path(__file__).with_name("samples"),
)
''')

SAMPLE = Template('''$paper_name

2026年1月1日 星期四

今日8版 第1号

这里是示例标题

本报讯（记者张三）这是一篇示例稿件的第一段，请用贵报真实版面的文字替换本页，并按照文档重写旁边的预期结果文件。

这是示例稿件的第二段，用来说明段落如何被切分。
''')

TEST = Template('''"""The shared corepress contract, run against this plugin."""

from corepress.api import PaperPluginContract


class Test${klass}Contract(PaperPluginContract):
    plugin = "$name"
''')

README = Template('''# corepress-$dist

A [corepress](https://pypi.org/project/corepress/) plugin for $paper_name (paper id `$paper_id`).

    pip install -e .
    corepress plugins          # lists $name with its hooks
    pytest                     # runs the shared contract suite on the sample pages

Replace `$package/samples/${name}_sample.txt` by a real page of the paper and write its
expected page (`.expected.json`) by reading it; see the corepress tutorial "Add a new paper".
''')


def expected_page(paper_id: str, paper_name: str, sample_name: str) -> Dict[str, object]:
    """The expected page of the placeholder sample (written for the template, by hand)."""
    return {
        "schema": "corepress.expected/1",
        "page": sample_name,
        "paper": paper_id,
        "masthead": {"name": paper_name, "date": "2026-01-01", "weekday": "星期四", "pages": 8, "issue_number": "1"},
        "articles": [
            {
                "kind": "news", "column": None, "kicker": None, "title": "这里是示例标题", "subtitle": None,
                "byline": None, "reporters": ["张三"], "continued_to": None, "continued_from": None,
                "truncated_start": False, "body_start": "这是一篇示例稿件的第一段", "body_end": "段落如何被切分。",
                "paragraphs": 2, "subheads": [],
            }
        ],
        "joins": [],
        "dropped": [],
    }


def free_name(directory: Path, name: str) -> Optional[str]:
    """A plugin name like ``name`` whose folder does not exist yet in ``directory`` (``xiamen2``, ``xiamen3`` …)."""
    for n in range(2, 100):
        suffix = str(n)
        candidate = name[: 31 - len(suffix)] + suffix
        if NAME.match(candidate) and not os.path.lexists(Path(directory) / f"corepress-{candidate.replace('_', '-')}"):
            return candidate
    return None


def write_plugin(directory: Path, name: str, paper_name: str, paper_id: Optional[str] = None) -> Path:
    if not NAME.match(name):
        raise ScaffoldError(f"plugin name {name!r} must be lowercase letters, digits and _ (2–31 characters), starting with a letter")
    paper_id = paper_id or name
    if not NAME.match(paper_id):
        raise ScaffoldError(f"paper id {paper_id!r} must be lowercase letters, digits and _")
    if not paper_name.strip():
        raise ScaffoldError("--paper-name must not be empty")
    dist = name.replace("_", "-")
    package = f"corepress_{name}"
    target = Path(directory) / f"corepress-{dist}"
    if os.path.lexists(target):
        free = free_name(directory, name)
        hint = f"; choose another name, e.g. {free!r} (corepress new-plugin {free} --paper-name {paper_name.strip()})" if free else ""
        raise ScaffoldError(f"{target} already exists{hint}")
    values = {
        "name": name, "dist": dist, "package": package, "paper_name": paper_name.strip(), "paper_id": paper_id,
        "klass": "".join(part.title() for part in name.split("_")),
    }
    sample_name = f"{name}_sample.txt"
    files = {
        "pyproject.toml": PYPROJECT.substitute(values),
        "README.md": README.substitute(values),
        f"{package}/__init__.py": MODULE.substitute(values),
        f"{package}/samples/{sample_name}": SAMPLE.substitute(values),
        f"{package}/samples/{name}_sample.expected.json": json.dumps(
            expected_page(paper_id, paper_name.strip(), sample_name), ensure_ascii=False, indent=2
        ) + "\n",
        f"tests/test_{name}_contract.py": TEST.substitute(values),
    }
    for rel, content in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return target
