"""The plugin manager: loading, blocking, strictness, scoping, isolation, order independence."""

from __future__ import annotations

import subprocess
import sys
import types
from importlib import metadata

import pytest
from conftest import SEEDS, disabled

import corepress
from corepress import hookimpl
from corepress.api import Evidence, Paper, Vote
from corepress.kit.contract import comparable, parse_sample
from corepress.plugin_system.manager import PluginError, Plugins, get_plugins, reset_plugins

PAPER_PLUGINS = ("yingkou", "guilin", "liaoyuan", "liaoning")


def _modules():
    installed = get_plugins()
    return [(name, installed.pm.get_plugin(name)) for name in PAPER_PLUGINS]


def test_import_does_not_scan_entry_points():
    code = (
        "import importlib.metadata as m\n"
        "calls = []\n"
        "real = m.entry_points\n"
        "m.entry_points = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "import corepress, corepress.plugin_system.manager as p\n"
        "assert p._PLUGINS is None, 'manager loaded at import'\n"
        "print(len(calls))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_entry_points_loaded_once_per_process():
    reset_plugins()
    first = get_plugins()
    assert get_plugins() is first


@pytest.mark.parametrize("order", ["forward", "reverse", "shuffled"])
def test_registration_order_does_not_change_results(order):
    modules = _modules()
    if order == "reverse":
        modules = modules[::-1]
    elif order == "shuffled":
        modules = [modules[i] for i in (2, 0, 3, 1)]
    reference = Plugins(entry_points=False, extra=_modules())
    other = Plugins(entry_points=False, extra=modules)
    for seed in SEEDS:
        assert comparable(parse_sample(seed, plugins=reference)) == comparable(parse_sample(seed, plugins=other)), seed.name


def test_broken_entry_point_is_skipped_with_a_warning(monkeypatch):
    broken = metadata.EntryPoint(name="broken", value="corepress_no_such_module_xyz", group="corepress")
    monkeypatch.setattr("corepress.plugin_system.manager._entry_points", lambda: [(broken, None)])
    with pytest.warns(RuntimeWarning, match="skipped plugin 'broken'"):
        plugins = Plugins()
    assert "broken" in plugins.failed
    assert "broken" not in plugins.info
    assert corepress.parse_text("本报讯 记者王明报道 全市春耕备耕工作会议召开。").articles


def test_broken_entry_point_raises_in_strict_mode(monkeypatch):
    broken = metadata.EntryPoint(name="broken", value="corepress_no_such_module_xyz", group="corepress")
    monkeypatch.setattr("corepress.plugin_system.manager._entry_points", lambda: [(broken, None)])
    monkeypatch.setenv("COREPRESS_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="broken"):
        Plugins()


def _misspelled():
    module = types.ModuleType("misspelled")

    @hookimpl
    def corepress_detect_papr(page):  # the typo is the point
        return []

    module.corepress_detect_papr = corepress_detect_papr
    return module


def test_misspelled_hook_is_rejected_by_check_pending():
    with pytest.warns(RuntimeWarning, match="misspelled"):
        plugins = Plugins(entry_points=False, extra=[("misspelled", _misspelled())])
    assert "misspelled" not in plugins.info
    with pytest.raises(PluginError, match="corepress_detect_papr"):
        Plugins(entry_points=False, extra=[("misspelled", _misspelled())], strict=True)


def test_disabled_plugins_are_blocked(monkeypatch):
    monkeypatch.setenv("COREPRESS_DISABLED_PLUGINS", disabled("yingkou", " guilin"))
    plugins = Plugins()
    assert "yingkou" not in plugins.info and "guilin" not in plugins.info
    assert "liaoning" in plugins.info
    page = parse_sample(SEEDS[0], plugins=plugins)
    assert page.paper.id is None  # 营口日报 cannot be recognised without its plugin


def test_trace_prints_hook_calls(monkeypatch, capsys):
    monkeypatch.setenv("COREPRESS_TRACE_PLUGINS", "1")
    plugins = Plugins()
    parse_sample(SEEDS[0], plugins=plugins)
    err = capsys.readouterr().err
    assert "corepress_detect_paper [yingkou]" in err
    assert "corepress_masthead [yingkou]" in err


def _counting_paper(paper_id: str, calls: list):
    module = types.ModuleType(paper_id)

    @hookimpl
    def corepress_papers():
        return [Paper(id=paper_id, name=paper_id + "日报")]

    @hookimpl
    def corepress_classify_block(block, position, page):
        calls.append(page.paper.id if page.paper else None)
        return []

    module.corepress_papers = corepress_papers
    module.corepress_classify_block = corepress_classify_block
    return module


def test_paper_hooks_only_run_for_their_paper():
    calls: list = []
    plugins = Plugins(entry_points=False, extra=_modules() + [("counting", _counting_paper("counting", calls))])
    parse_sample(SEEDS[0], plugins=plugins)  # a 营口日报 page
    assert calls == []
    parse_sample(SEEDS[0], plugins=plugins, paper="counting")
    assert calls and set(calls) == {"counting"}


def test_generic_plugins_run_for_every_page():
    calls = []
    module = types.ModuleType("extra_generic")

    @hookimpl
    def corepress_classify_block(block, position, page):
        calls.append(position)
        return []

    module.corepress_classify_block = corepress_classify_block
    plugins = Plugins(entry_points=False, extra=_modules() + [("extra_generic", module)])
    parse_sample(SEEDS[2], plugins=plugins)
    assert calls


def _raising():
    module = types.ModuleType("raising")

    @hookimpl
    def corepress_classify_block(block, position, page):
        raise RuntimeError("boom")

    @hookimpl
    def corepress_detect_paper(page):
        raise ValueError("bad detection")

    module.corepress_classify_block = corepress_classify_block
    module.corepress_detect_paper = corepress_detect_paper
    return module


def test_a_raising_plugin_is_reported_and_the_page_still_parses():
    plugins = Plugins(entry_points=False, extra=_modules() + [("raising", _raising())])
    page = parse_sample(SEEDS[0], plugins=plugins)
    reference = parse_sample(SEEDS[0], plugins=Plugins(entry_points=False, extra=_modules()))
    messages = [n.message for n in page.notices if n.code == "plugin_failed"]
    # the first failure takes the plugin out of the page's run: the page is parsed as if it were absent
    assert messages == ["plugin 'raising' failed in corepress_detect_paper: ValueError: bad detection"]
    without_notices = lambda p: {**comparable(p), "notices": None}  # noqa: E731
    assert without_notices(page) == without_notices(reference)


def test_a_raising_plugin_is_re_raised_in_strict_mode():
    plugins = Plugins(entry_points=False, extra=_modules() + [("raising", _raising())], strict=True)
    with pytest.raises(PluginError, match="^plugin 'raising' failed in corepress_detect_paper: ValueError: bad detection$"):
        parse_sample(SEEDS[0], plugins=plugins)


def test_duplicate_paper_ids_are_an_error():
    a = types.ModuleType("a")
    b = types.ModuleType("b")
    for m in (a, b):
        m.corepress_papers = hookimpl(lambda: [Paper(id="same", name="同名日报")])
    with pytest.raises(PluginError, match="'same'"):
        Plugins(entry_points=False, extra=[("a", a), ("b", b)])


def test_evidence_for_unknown_papers_is_ignored():
    module = types.ModuleType("liar")
    module.corepress_detect_paper = hookimpl(lambda page: [Evidence("nonexistent", 10.0, "claims everything")])
    plugins = Plugins(entry_points=False, extra=[("liar", module)])
    assert parse_sample(SEEDS[2], plugins=plugins).paper.id is None


def test_votes_of_equal_weight_are_settled_by_role_not_order():
    from corepress.pipeline.classify import combine_votes

    a, b = ("p1", Vote("heading", 3, "x")), ("p2", Vote("column", 3, "y"))
    assert combine_votes([a, b]).role == combine_votes([b, a]).role == "column"


def test_votes_are_summed_across_plugins_with_each_plugins_strongest_vote():
    from corepress.pipeline.classify import combine_votes

    votes = [("p1", Vote("heading", 3, "a")), ("p1", Vote("heading", 5, "b")), ("p2", Vote("heading", 2, "c")), ("p3", Vote("text", 6, "d"))]
    combined = combine_votes(votes)
    assert combined.role == "heading" and combined.score(combined.role) == 7
    assert combine_votes(list(reversed(votes))) == combined


def test_finish_article_updates_conflicts_prefer_the_paper_plugin():
    generic = types.ModuleType("generic_kind")
    generic.corepress_finish_article = hookimpl(lambda article, page: {"kind": "commentary", "flags": ["g"]})
    plugins = Plugins(entry_points=False, extra=_modules() + [("generic_kind", generic)])
    page = parse_sample(SEEDS[3], plugins=plugins)  # 辽宁日报: its plugin says interview for 权威访谈
    first = page.articles[0]
    assert first.kind == "interview"
    assert "g" in first.flags and "series:权威访谈" in first.flags
    assert any(n.code == "update_conflict" for n in page.notices)


def test_third_party_input_reader_and_output_writer(tmp_path):
    """corepress_input_readers and corepress_output_writers: a package adds a format each way."""
    import io

    from corepress.api import DecodedInput, InputReader, OutputWriter
    from corepress.pipeline.pipeline import parse_text, read_input

    def read_html(raw, encoding, path):
        if not raw.lstrip().startswith(b"<html"):
            return None
        import re

        text = re.sub(r"<[^>]+>", "\n\n", raw.decode(encoding or "utf-8"))
        return DecodedInput(text=text, encoding=encoding or "utf-8", format="text")

    def write_titles(pages, stream):
        for page in pages:
            for article in page.articles:
                stream.write(f"{article.id}\t{article.title.text if article.title else ''}\n")

    module = types.ModuleType("formats")
    module.corepress_input_readers = hookimpl(lambda: [InputReader("html", (".html",), read_html)])
    module.corepress_output_writers = hookimpl(lambda: [OutputWriter("titles", write_titles)])
    plugins = Plugins(entry_points=False, extra=[("formats", module)])
    page_file = tmp_path / "page.html"
    page_file.write_bytes("<html><h1>全市春耕工作会议召开</h1><p>本报讯 记者王明报道 会议召开。</p></html>".encode())
    decoded = read_input(page_file, plugins=plugins)
    page = parse_text(decoded.text, path=page_file, plugins=plugins)
    writers = plugins.output_writers()
    assert {"json", "jsonl", "markdown", "titles"} <= set(writers)
    out = io.StringIO()
    writers["titles"].write([page], out)
    assert out.getvalue() == "a1\t全市春耕工作会议召开\n"


def test_sample_pages_hook_names_pages_with_expected_pages():
    """corepress_sample_pages: every bundled plugin ships at least one page written for it."""
    plugins = get_plugins()
    for name in plugins.paper_plugins():
        pages = plugins.sample_pages(name)
        assert pages, name
        for sample in pages:
            assert sample.path.exists() and sample.expected.exists()


@pytest.mark.parametrize("name", ["aa_generic", "zz_generic"])
def test_trylast_fallback_runs_after_other_generic_plugins_whatever_their_names(name):
    """The generic masthead parser is trylast: a generic plugin's masthead is asked first."""
    from corepress.api import Masthead, MastheadResult

    module = types.ModuleType(name)
    module.corepress_masthead = hookimpl(
        lambda page: MastheadResult(masthead=Masthead(facts={"name": "插件报头"}, lines=()), claimed=())
    )
    plugins = Plugins(entry_points=False, extra=[(name, module)])
    page = parse_sample(SEEDS[0], plugins=plugins)
    assert page.masthead.facts == {"name": "插件报头"}
