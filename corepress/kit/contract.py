"""The contract every paper plugin must keep, as a pytest plugin.

Loaded by the test module that uses it; the ``pytest11`` entry point is the
light shim :mod:`corepress.kit.pytest_plugin`, which hands contract classes to
:func:`pytest_generate_tests` here.  A paper plugin gets the whole suite with
one small test module::

    from corepress.kit.contract import PaperPluginContract

    class TestMyPaper(PaperPluginContract):
        plugin = "mypaper"          # the plugin's entry-point name

Each sample page the plugin names in ``corepress_sample_pages`` becomes a test
case; every failure message starts with ``[plugin] page-name:``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from corepress.values.hooktypes import ParseOptions, SamplePage
from corepress.values.model import Page

# measures from corepress.evaluation.score that must be perfect on a plugin's own samples
PERFECT = (
    "title", "kicker", "subtitle", "column", "byline", "kind", "reporters", "continuation",
    "paragraphs", "subheads", "truncated_start", "joins", "masthead", "dropped", "paper",
)


def _plugins():
    from corepress.plugin_system.manager import get_plugins

    return get_plugins()


def samples_of(plugin_name: str) -> List[SamplePage]:
    return _plugins().sample_pages(plugin_name)


def parse_sample(path: Path, plugins=None, paper: Optional[str] = None) -> Page:
    from corepress.pipeline.pipeline import parse_path

    return parse_path(path, ParseOptions(paper=paper), plugins or _plugins())


def comparable(page: Page) -> Dict[str, Any]:
    """The parts of a parse that must not depend on which other plugins are installed."""
    data = page.to_dict()
    data["paper"] = {"id": data["paper"]["id"]}
    data["source"]["path"] = None
    del data["producer"]  # names every plugin installed, by design
    return data


class PaperPluginContract:
    """Subclass with ``plugin = "<entry-point name>"``; see the module docstring."""

    plugin: str = ""

    def _where(self, sample: Optional[SamplePage] = None) -> str:
        return f"[{self.plugin}] {sample.path.name}:" if sample else f"[{self.plugin}]"

    # registration ----------------------------------------------------------------------
    def test_plugin_is_installed(self) -> None:
        plugins = _plugins()
        assert self.plugin in plugins.info, f"{self._where()} is not installed (entry point group 'corepress')"

    def test_registers_a_valid_paper(self) -> None:
        plugins = _plugins()
        papers = [p for pid, p in plugins.papers.items() if plugins.paper_owner[pid] == self.plugin]
        assert papers, f"{self._where()} registers no paper (corepress_papers)"
        for paper in papers:
            assert paper.id.isidentifier() and paper.id.islower(), f"{self._where()} paper id {paper.id!r} must be a lowercase identifier"
            assert paper.name, f"{self._where()} paper {paper.id!r} has no name"

    def test_hooks_pass_check_pending(self) -> None:
        from corepress.plugin_system.manager import Plugins

        module = _plugins().pm.get_plugin(self.plugin)
        # strict: a misspelled corepress_* hook raises instead of being skipped
        Plugins(entry_points=False, extra=[(self.plugin, module)], strict=True)

    def test_has_sample_pages(self) -> None:
        assert samples_of(self.plugin), f"{self._where()} names no sample page with an expected page (corepress_sample_pages)"

    # per sample ---------------------------------------------------------------------------
    def test_sample_detected_as_own_paper(self, sample: SamplePage) -> None:
        page = parse_sample(sample.path)
        got = page.paper.id
        others = [(pid, s) for pid, s in page.paper.candidates if pid != sample.paper]
        assert got == sample.paper, (
            f"{self._where(sample)} detected as {got!r}, not {sample.paper!r} (scores: {page.paper.candidates})"
        )
        assert page.paper.margin > 0.3, f"{self._where(sample)} margin over {others[:1]} is only {page.paper.margin:.2f}"

    def test_does_not_claim_other_plugins_samples(self) -> None:
        plugins = _plugins()
        stolen = []
        for name in plugins.paper_plugins():
            if name == self.plugin:
                continue
            for other in samples_of(name):
                page = parse_sample(other.path)
                if plugins.paper_owner.get(page.paper.id or "") == self.plugin:
                    stolen.append(f"{name}'s {other.path.name} (detected as {page.paper.id!r}, expected {other.paper!r})")
        assert not stolen, f"{self._where()} claims other papers' pages: {'; '.join(stolen)}"

    def test_sample_parses_without_error_notices(self, sample: SamplePage) -> None:
        page = parse_sample(sample.path)
        errors = [n.message for n in page.notices if n.level == "error"]
        assert not errors, f"{self._where(sample)} error notices: {errors}"

    def test_sample_matches_expected_page(self, sample: SamplePage) -> None:
        from corepress.evaluation.score import score

        page = parse_sample(sample.path)
        gold = json.loads(sample.expected.read_text(encoding="utf-8"))
        result = score(page.to_dict(), gold)
        assert result.f1 == 1.0, f"{self._where(sample)} article boundaries F1 {result.f1:.3f}:\n{result.report()}"
        imperfect = {name: str(result.rates[name]) for name in PERFECT if result.rate(name) < 1.0}
        assert not imperfect, f"{self._where(sample)} below expected page: {imperfect}\n{result.report()}"

    def test_repairs_are_idempotent(self, sample: SamplePage) -> None:
        from corepress.pipeline.pipeline import parse_text

        page = parse_sample(sample.path)
        again = parse_text(
            page.repaired_text(), options=ParseOptions(paper=page.paper.id), fmt=page.source.format, plugins=_plugins()
        )
        from corepress.values.schema import MARKUP_RULES

        flow_repairs = [r for r in again.repairs if r.rule not in MARKUP_RULES]
        assert not flow_repairs, f"{self._where(sample)} repaired text still needs repairs: {flow_repairs[:3]}"
        first = [(a.title.text if a.title else None, [p.text.text for p in a.paragraphs]) for a in page.articles]
        second = [(a.title.text if a.title else None, [p.text.text for p in a.paragraphs]) for a in again.articles]
        assert first == second, f"{self._where(sample)} parsing the repaired text gives other articles"

    def test_output_matches_schema(self, sample: SamplePage) -> None:
        jsonschema = pytest.importorskip("jsonschema")
        from corepress.values.schema import load_schema

        data = parse_sample(sample.path).to_dict()
        errors = sorted(jsonschema.Draft202012Validator(load_schema()).iter_errors(data), key=str)
        assert not errors, f"{self._where(sample)} output breaks the schema: {errors[0].message}"

    def test_every_character_accounted_for(self, sample: SamplePage) -> None:
        from corepress.pipeline.accounting import check

        problems = check(parse_sample(sample.path))
        assert not problems, f"{self._where(sample)} {len(problems)} characters unaccounted, e.g. {[str(p) for p in problems[:5]]}"

    def test_same_result_alone_and_with_other_plugins(self, sample: SamplePage) -> None:
        from corepress.plugin_system.manager import Plugins

        module = _plugins().pm.get_plugin(self.plugin)
        alone = Plugins(entry_points=False, extra=[(self.plugin, module)])
        with_all = comparable(parse_sample(sample.path))
        by_itself = comparable(parse_sample(sample.path, plugins=alone))
        assert with_all == by_itself, f"{self._where(sample)} parses differently when other plugins are installed"


def pytest_generate_tests(metafunc: Any) -> None:
    cls = metafunc.cls
    if cls is None or not issubclass(cls, PaperPluginContract) or "sample" not in metafunc.fixturenames:
        return
    samples = samples_of(cls.plugin)
    metafunc.parametrize("sample", samples, ids=[s.path.name for s in samples])
