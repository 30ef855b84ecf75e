"""Shared fixtures: the bundled pages and their expected pages."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import List

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
OWN_PAGES = sorted((ROOT / "tests" / "pages").glob("*.[tm][xd]*"))
PLUGIN_SAMPLES = sorted(ROOT.glob("plugins/*/corepress_*/samples/*.txt"))
ALL_PAGES: List[Path] = SEEDS + [p for p in OWN_PAGES if p.suffix in (".txt", ".md")] + PLUGIN_SAMPLES

# every test run draws the same examples (derandomized), so that a run of the suite passes or fails on
# the code alone, never on the draw: 150 per test, and 10 000 in the hypothesis tox environment
settings.register_profile("default", max_examples=150, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=10_000, deadline=None, derandomize=True)
# bug hunting (HYPOTHESIS_PROFILE=explore tox -e hypothesis): 10 000 fresh examples at every run; what
# it finds becomes a regression test of its own
settings.register_profile("explore", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


OUT_OF_SUITE = ["learned"] if importlib.util.find_spec("corepress_learned") is not None else []
"""Plugins this suite leaves out when they are installed beside it: corepress-learned (the README's
one-command install puts it there; tox runs this suite without it).  This suite tests corepress, its
rules and the paper plugins, on short pages written for it; the learned plugin's model, trained on
full pages of 人民日报, reads some of those pages otherwise than the rules (it overrules byline, lead
and jump formulas on pages of three to eight blocks), and its own suite and the accuracy benchmark
test it (``plugins/corepress-learned/tests``, ``benchmarks/accuracy.py --compare learned``)."""


def disabled(*names: str) -> str:
    """A value for ``COREPRESS_DISABLED_PLUGINS``: ``names`` and the plugins left out of the suite."""
    return ",".join([*OUT_OF_SUITE, *names])


# before any test loads the plugins, and for the commands the tests start in processes of their own
os.environ["COREPRESS_DISABLED_PLUGINS"] = disabled(*filter(None, os.environ.get("COREPRESS_DISABLED_PLUGINS", "").split(",")))


def expected_for(page: Path) -> dict:
    return json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _fresh_plugin_env(monkeypatch):
    """Tests that change plugin environment variables get a manager of their own."""
    for name in ("COREPRESS_STRICT_PLUGINS", "COREPRESS_TRACE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COREPRESS_DISABLED_PLUGINS", disabled())
    yield
