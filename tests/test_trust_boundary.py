"""Plugins at the trust boundary: scored boundaries, typed and validated hook results, wrappers, plugin commands.

Every misbehaving plugin here must cost only its own contribution: the page carries a
``plugin_failed`` notice naming plugin and hook and is otherwise identical to the page
parsed without that plugin; in strict mode the same fault is a one-line PluginError.
"""

from __future__ import annotations

import time
import types

import pytest
from click.testing import CliRunner
from conftest import disabled

from corepress.api import Evidence, GapLabel, GapScore, MastheadResult, RepairOutcome, RepairRule, Vote, hookimpl
from corepress.cli import main
from corepress.pipeline.accounting import check
from corepress.pipeline.pipeline import parse_text
from corepress.plugin_system.manager import PluginError, Plugins

PAGE = (
    "全市春耕备耕工作会议召开\n\n"
    "本报讯 记者王明报道 4月1日，全市春耕备耕工作会议召开。会议要求抓好春耕生产。\n\n"
    "各地要抓紧抓实各项工作，确保粮食安全。\n\n"
    "我市新建三座口袋公园\n\n"
    "本报讯 记者李华报道 近日，我市新建的三座口袋公园向市民开放。\n"
)


def _parse(plugins: Plugins, text: str = PAGE):
    return parse_text(text, plugins=plugins)


def _plain(page):
    data = page.to_dict()
    data["notices"] = [n for n in data["notices"] if n["code"] != "plugin_failed"]
    del data["producer"]  # names the bad plugin: it is loaded, though left out of the page
    return data


def _module(name: str, **hooks):
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, hookimpl(function))
    return module


REFERENCE = Plugins(entry_points=False)


def test_the_generic_rules_find_both_articles():
    page = _parse(REFERENCE)
    assert [a.title.text for a in page.articles] == ["全市春耕备耕工作会议召开", "我市新建三座口袋公园"]
    assert page.articles[1].boundary.rules and page.articles[1].boundary.margin > 0
    assert not check(page)


# --- scored boundaries -----------------------------------------------------------------------
def test_a_gap_scorer_plugin_takes_part_in_the_decision():
    """corepress_score_gaps: strong evidence from another plugin splits the first article after its lead."""
    split = _module("splitter", corepress_score_gaps=lambda page, roles: [GapScore(1, GapLabel.NEW, 40.0, "splitter:test")])
    page = _parse(Plugins(entry_points=False, extra=[("splitter", split)]))
    assert len(page.articles) == 3
    assert page.articles[1].boundary.rules == ("splitter:test",)


def test_gap_scores_are_summed_whatever_the_plugin_order():
    a = _module("a_scorer", corepress_score_gaps=lambda page, roles: [GapScore(1, GapLabel.NEW, 3.0, "a")])
    b = _module("b_scorer", corepress_score_gaps=lambda page, roles: [GapScore(1, GapLabel.NEW, 3.0, "b")])
    one = _parse(Plugins(entry_points=False, extra=[("a_scorer", a), ("b_scorer", b)]))
    two = _parse(Plugins(entry_points=False, extra=[("b_scorer", b), ("a_scorer", a)]))
    assert one.to_dict() == two.to_dict()
    assert one.gaps[1].label is GapLabel.NEW and set(one.articles[1].boundary.rules) == {"a", "b"}
    alone = _parse(Plugins(entry_points=False, extra=[("a_scorer", a)]))
    assert alone.gaps[1].label is GapLabel.SAME  # 3 alone does not outweigh the rules' evidence for "same"


def test_a_second_stage_sees_the_first_stage_and_its_scores_are_added():
    """corepress_rescore_gaps: called with the first stage's decisions; what it returns is summed and decoded again."""
    seen = []

    def rescore(page, roles, evidence):
        seen.append(evidence)
        return [GapScore(1, GapLabel.NEW, 40.0, "second:test")]

    plugins = Plugins(entry_points=False, extra=[("second", _module("second", corepress_rescore_gaps=rescore))])
    page = _parse(plugins)
    first = _parse(REFERENCE)
    assert len(seen) == 1 and seen[0] == first.gaps  # the first stage's decisions, exactly as decoded alone
    assert len(page.articles) == 3 and page.articles[1].boundary.rules == ("second:test",)


def test_second_stages_do_not_see_each_other_and_order_does_not_matter():
    seen = {}

    def stage(name, weight):
        def rescore(page, roles, evidence):
            seen.setdefault(name, []).append(evidence)
            return [GapScore(1, GapLabel.NEW, weight, name)]
        return _module(name, corepress_rescore_gaps=rescore)

    a, b = stage("a_second", 3.0), stage("b_second", 3.0)
    one = _parse(Plugins(entry_points=False, extra=[("a_second", a), ("b_second", b)]))
    two = _parse(Plugins(entry_points=False, extra=[("b_second", b), ("a_second", a)]))
    assert one.to_dict() == two.to_dict()
    assert seen["a_second"] == seen["b_second"]  # both saw the first stage only


def test_a_malformed_second_stage_costs_only_its_own_contribution():
    bad = _module("bad_second", corepress_rescore_gaps=lambda page, roles, evidence: [GapScore(99, GapLabel.NEW, 1.0, "far")])
    page = _parse(Plugins(entry_points=False, extra=[("bad_second", bad)]))
    assert _plain(page) == _plain(_parse(REFERENCE))
    assert [n.code for n in page.notices].count("plugin_failed") == 1


def test_a_boundary_won_narrowly_is_flagged_and_lowers_confidence():
    """Confidence reflects every scorer: evidence against a boundary that leaves it a margin under 1 flags it."""
    alone = _parse(REFERENCE)
    assert alone.gaps[2].label is GapLabel.NEW and alone.gaps[2].margin == 7.0
    doubt = _module("doubter", corepress_rescore_gaps=lambda page, roles, evidence: [GapScore(2, GapLabel.SAME, 6.5, "doubter")])
    page = _parse(Plugins(entry_points=False, extra=[("doubter", doubt)]))
    first, second = page.articles
    assert second.boundary.margin == 0.5 and "weak_boundary" in second.flags
    assert second.confidence == round(alone.articles[1].confidence - 0.15, 2)
    assert "weak_boundary" not in first.flags  # the page's first article has no gap above it


def test_without_the_generic_rules_the_page_is_one_article_that_keeps_every_character(monkeypatch):
    monkeypatch.setenv("COREPRESS_DISABLED_PLUGINS", disabled("corepress.rules"))
    plugins = Plugins(entry_points=False)
    assert "corepress.rules" not in plugins.info and "corepress.plugin_system.builtin_io" in plugins.info
    page = _parse(plugins)
    assert len(page.articles) == 1 and len(page.articles[0].paragraphs) == 5
    assert not check(page)
    assert {"json", "jsonl", "markdown"} <= set(plugins.output_writers())  # reading and writing still work


# --- validated results ---------------------------------------------------------------------------
def _sleepy(page):
    time.sleep(0)
    return ["not evidence"]


MISBEHAVIOURS = {
    "classify returns a string": dict(corepress_classify_block=lambda block, position, page: "heading"),
    "classify returns an unknown role": dict(corepress_classify_block=lambda block, position, page: [types.SimpleNamespace(role="boss", weight=9, rule="x", marks=())]),
    "classify returns a non-vote": dict(corepress_classify_block=lambda block, position, page: [42]),
    "classify returns a NaN weight": dict(corepress_classify_block=lambda block, position, page: [Vote("text", float("nan"), "nan")]),
    "masthead returns 42": dict(corepress_masthead=lambda page: 42),
    "masthead claims a block that does not exist": dict(corepress_masthead=lambda page: MastheadResult(masthead=None, claimed=(999,))),
    "detection returns strings": dict(corepress_detect_paper=_sleepy),
    "detection weight is a string": dict(corepress_detect_paper=lambda page: [Evidence("x", "heavy", "why")]),
    "a non-rule among rules": dict(corepress_repair_rules=lambda page: ["not a rule"]),
    "gap score for a gap that does not exist": dict(corepress_score_gaps=lambda page, roles: [GapScore(99, "new", 5.0, "x")]),
    "gap scores as a dict": dict(corepress_score_gaps=lambda page, roles: {"gap": 1}),
    "finish returns a list": dict(corepress_finish_article=lambda article, page: ["kind", "photo"]),
    "confidence 'very'": dict(corepress_finish_article=lambda article, page: {"confidence": "very"}),
    "confidence 7": dict(corepress_finish_article=lambda article, page: {"confidence": 7}),
    "reporters are numbers": dict(corepress_finish_article=lambda article, page: {"reporters": [1, 2]}),
    "finish sets the title": dict(corepress_finish_article=lambda article, page: {"title": "invented"}),
    "finish sets an unknown kind": dict(corepress_finish_article=lambda article, page: {"kind": "gossip"}),
    "finish raises": dict(corepress_finish_article=lambda article, page: 1 / 0),
}


def _rule(apply):
    return dict(corepress_repair_rules=lambda page: [RepairRule("hostile", 25, apply)])


def _drop_all(blocks, page):
    return RepairOutcome(blocks=())


def _duplicate(blocks, page):
    return RepairOutcome(blocks=tuple(blocks) + tuple(blocks))


def _insert_unlogged(blocks, page):
    import attrs

    from corepress.api import Traced

    first = blocks[0]
    return RepairOutcome(blocks=(attrs.evolve(first, text=first.text + Traced.inserted("假")),) + tuple(blocks[1:]))


def _returns_none(blocks, page):
    return None


MISBEHAVIOURS.update({
    "repair rule drops every block": _rule(_drop_all),
    "repair rule duplicates the blocks": _rule(_duplicate),
    "repair rule inserts unlogged text": _rule(_insert_unlogged),
    "repair rule returns None": _rule(_returns_none),
})


@pytest.mark.parametrize("case", sorted(MISBEHAVIOURS))
def test_a_misbehaving_plugin_is_reported_and_the_page_parsed_as_if_it_were_absent(case):
    bad = _module("bad", **MISBEHAVIOURS[case])
    page = _parse(Plugins(entry_points=False, extra=[("bad", bad)]))
    failed = [n.message for n in page.notices if n.code == "plugin_failed"]
    assert len(failed) == 1 and failed[0].startswith("plugin 'bad' failed in "), failed
    assert "\n" not in failed[0]
    assert _plain(page) == _plain(_parse(REFERENCE))
    assert not check(page)


@pytest.mark.parametrize("case", sorted(MISBEHAVIOURS))
def test_a_misbehaving_plugin_is_a_one_line_error_in_strict_mode(case):
    bad = _module("bad", **MISBEHAVIOURS[case])
    with pytest.raises(PluginError) as info:
        _parse(Plugins(entry_points=False, extra=[("bad", bad)], strict=True))
    assert str(info.value).startswith("plugin 'bad' failed in ") and "\n" not in str(info.value)


def test_wrapper_implementations_are_refused_at_registration():
    module = types.ModuleType("wrapper")

    @hookimpl(wrapper=True)
    def corepress_classify_block(block, position, page):
        return (yield)

    module.corepress_classify_block = corepress_classify_block
    with pytest.warns(RuntimeWarning, match="wrapper implementations are not supported"):
        plugins = Plugins(entry_points=False, extra=[("wrapper", module)])
    assert "wrapper" not in plugins.info and "wrapper" in plugins.load_failures()
    page = _parse(plugins)
    assert any(n.code == "plugin_not_loaded" and "'wrapper'" in n.message for n in page.notices)
    with pytest.raises(PluginError, match="wrapper"):
        Plugins(entry_points=False, extra=[("wrapper", module)], strict=True)


def test_firstresult_is_the_specs_own_option():
    """corepress_masthead is firstresult in its spec: the facade stops at the first non-None answer."""
    from corepress.plugin_system import hookspecs

    assert hookspecs.corepress_masthead.corepress_spec["firstresult"] is True  # type: ignore[attr-defined]
    assert not hookspecs.corepress_classify_block.corepress_spec["firstresult"]  # type: ignore[attr-defined]


# --- plugin commands ---------------------------------------------------------------------------------
def test_a_plugin_adds_a_command(monkeypatch):
    import click

    from corepress.plugin_system import manager

    def register(cli):
        @cli.command("hello")
        def hello():
            """Say hello from a plugin."""
            click.echo("hello from a plugin")

    def broken(cli):
        raise RuntimeError("cannot register")

    plugins = Plugins(entry_points=False, extra=[("greeter", _module("greeter", corepress_register_commands=register)),
                                                 ("broken_cli", _module("broken_cli", corepress_register_commands=broken))])
    monkeypatch.setattr(manager, "_PLUGINS", plugins)
    monkeypatch.setattr(main, "_plugin_commands_loaded", False)
    try:
        with pytest.warns(RuntimeWarning, match="plugin 'broken_cli' failed in corepress_register_commands: RuntimeError: cannot register"):
            result = CliRunner().invoke(main, ["hello"])
        assert result.exit_code == 0 and result.output == "hello from a plugin\n"
        assert "hello" in CliRunner().invoke(main, ["--help"]).output
        assert "broken_cli" in plugins.hook_failures and "broken_cli" not in plugins.load_failures()
    finally:
        main.commands.pop("hello", None)


def test_a_plugin_cannot_take_a_command_name_that_is_in_use(monkeypatch):
    import click

    from corepress.plugin_system import manager

    def hijack(cli):
        @cli.command("papers")
        def papers():
            click.echo("hijacked")

        @cli.command("extra")
        def extra():
            click.echo("extra")

    plugins = Plugins(entry_points=False, extra=[("hijacker", _module("hijacker", corepress_register_commands=hijack))])
    monkeypatch.setattr(manager, "_PLUGINS", plugins)
    monkeypatch.setattr(main, "_plugin_commands_loaded", False)
    original = main.commands["papers"]
    with pytest.warns(RuntimeWarning, match="the command name\\(s\\) papers are taken"):
        CliRunner().invoke(main, ["--help"])  # listing the commands loads the plugins' ones
    assert main.commands["papers"] is original and "extra" not in main.commands


# --- accounting at run time ----------------------------------------------------------------------
def test_run_time_accounting_agrees_with_the_detailed_check():
    import attrs

    from corepress.pipeline.accounting import verify

    page = _parse(REFERENCE)
    assert verify(page) == [] == check(page)
    lost = attrs.evolve(page, articles=page.articles[:1])
    doubled = attrs.evolve(page, articles=page.articles + page.articles[:1])
    assert {p.kind for p in verify(lost)} == {"lost"}
    assert {p.kind for p in verify(doubled)} == {"duplicated"}


def test_a_page_that_fails_accounting_is_an_error_not_output(monkeypatch):
    import attrs

    import corepress.pipeline.pipeline as pipeline
    from corepress.pipeline.accounting import AccountingError

    real = pipeline.assemble

    def losing(*args):
        built = real(*args)
        return attrs.evolve(built, articles=built.articles[1:])  # a stage that loses an article

    monkeypatch.setattr(pipeline, "assemble", losing)
    with pytest.raises(AccountingError, match="character accounting failed, output withheld: lost"):
        _parse(REFERENCE)


def test_strict_plugins_flag_makes_a_plugin_that_fails_to_load_a_one_line_error(monkeypatch, tmp_path):
    from importlib import metadata

    from corepress.plugin_system import manager

    broken = metadata.EntryPoint(name="broken", value="corepress_no_such_module_xyz", group="corepress")
    monkeypatch.setattr(manager, "_entry_points", lambda: [(broken, None)])
    monkeypatch.delenv("COREPRESS_STRICT_PLUGINS", raising=False)
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    manager.reset_plugins()
    try:
        with pytest.warns(RuntimeWarning, match="skipped plugin 'broken'"):
            lenient = CliRunner().invoke(main, ["parse", str(page)])
        assert lenient.exit_code == 0 and '"plugin_not_loaded"' in lenient.output
        strict = CliRunner().invoke(main, ["--strict-plugins", "parse", str(page)])
        assert strict.exit_code == 2 and strict.output.count("\n") == 1
        assert strict.output.startswith("corepress: error: plugin 'broken': failed to load")
    finally:
        monkeypatch.delenv("COREPRESS_STRICT_PLUGINS", raising=False)
        manager.reset_plugins()
