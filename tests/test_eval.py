"""Snippet gold, ``corepress eval`` and a robust ``corepress score``.

Every page and gold here was written by hand for these tests (tests/pages/snippet/ and
tmp_path); the numbers asserted were worked out by reading those pages.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

import corepress
from corepress.cli.main import main
from corepress.evaluation.boundaries import boundaries_of, locate_bodies
from corepress.evaluation.evaluate import collect, load_gold, run, score_page
from corepress.evaluation.score import page_number, score
from corepress.evaluation.snippet import (
    END_WINDOW,
    START_WINDOW,
    GoldError,
    SnippetArticle,
    SnippetGold,
    load_snippet_gold,
    score_snippet,
    snippet_gold_from_dict,
    why,
)

SNIPPET_PAGES = ROOT / "tests" / "pages" / "snippet"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


def cli(*args: Any):
    result = _runner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def para(text: str, spans: Optional[List[List[int]]] = None) -> Dict[str, Any]:
    return {"role": "text", "text": text, "spans": spans or []}


def article(*paragraphs: str, title: Optional[str] = None, aid: str = "a1", **extra: Any) -> Dict[str, Any]:
    return {"id": aid, "title": title, "paragraphs": [para(p) for p in paragraphs], "flags": [], **extra}


def page(*articles: Dict[str, Any], repairs: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    return {"schema": "corepress.page/1", "articles": list(articles), "repairs": repairs or []}


def gold(*articles: Dict[str, Any], joins: Optional[List[List[str]]] = None) -> SnippetGold:
    return snippet_gold_from_dict({"articles": list(articles), "joins": joins or []})


BODY = "本报讯 记者方圆报道 滨江公园新增了三条健身步道，周末前来锻炼的市民明显增多。公园管理处表示，步道沿线还将增设饮水点。"
START = "滨江公园新增了三条健身步"  # 12 characters
END = "沿线还将增设饮水点。"  # 10 characters


# --- the window rule ------------------------------------------------------------------------------
def test_windows_are_those_of_the_format():
    assert (START_WINDOW, END_WINDOW) == (60, 40)  # docs/snippet-gold.md and the corpus generator say so


def test_start_must_lie_within_the_first_60_characters():
    g = gold({"body_start": START, "body_end": [END]})
    room = START_WINDOW - len(START)  # what may precede the body start: a lead left in the text
    fits = "甲" * room + START + "内容。" + END
    late = "甲" * (room + 1) + START + "内容。" + END
    assert score_snippet(page(article(fits)), g).matched == 1
    assert score_snippet(page(article(late)), g).matched == 0


def test_end_must_lie_within_the_last_40_characters():
    g = gold({"body_start": START, "body_end": [END]})
    room = END_WINDOW - len(END)  # what may follow the body end: a credit, an author note
    assert score_snippet(page(article(START + "内容。" + END + "乙" * room)), g).matched == 1
    assert score_snippet(page(article(START + "内容。" + END + "乙" * (room + 1))), g).matched == 0


def test_matching_ignores_whitespace_and_paragraph_breaks():
    g = gold({"body_start": "滨江公园 新增了三条", "body_end": "还将增设 饮水点。"})
    assert score_snippet(page(article("滨江公园新增了\u3000三条健身步道。", "步道沿线还将增设饮水点。")), g).matched == 1


def test_start_and_end_alternatives():
    g = gold({"body_start": "编者按：这是一段按语", "body_start_alternatives": [START], "body_end": ["最后一段的结尾。", END]})
    # the parse moved the editor's note away: the body starts at the alternative and ends at an earlier closing
    result = score_snippet(page(article(BODY)), g)
    assert (result.matched, result.predicted, result.gold) == (1, 1, 1)
    assert score_snippet(page(article("别的开头" * 20 + END)), g).matched == 0


def test_one_predicted_article_finds_one_gold_article():
    g = gold({"body_start": START, "body_end": END}, {"body_start": START, "body_end": END})
    result = score_snippet(page(article(BODY)), g)
    assert (result.matched, result.predicted, result.gold) == (1, 1, 2)
    assert (result.precision, result.recall) == (1.0, 0.5) and result.f1 == pytest.approx(2 / 3)


def test_matching_is_maximal_not_greedy():
    # gold 0 is found by both predicted articles, gold 1 only by the first: a greedy pass that gave
    # gold 0 the first article would leave gold 1 unmatched
    g = gold({"body_start": "春季", "body_end": "完成。"}, {"body_start": "春季植树", "body_end": "任务完成。"})
    pred = page(article("春季植树任务完成。", aid="a1"), article("春季种草完成。", aid="a2"))
    result = score_snippet(pred, g)
    assert result.matched == 2 and result.f1 == 1.0


# --- ad pages, titles, joins -------------------------------------------------------------------------
def test_a_page_without_gold_articles_scores_one_when_nothing_is_found():
    g = gold()
    empty = score_snippet(page(), g)
    assert (empty.precision, empty.recall, empty.f1) == (1.0, 1.0, 1.0)
    found = score_snippet(page(article("诚信经营 温暖万家")), g)
    assert (found.matched, found.predicted, found.gold, found.f1) == (0, 1, 0, 0.0)
    assert found.precision == 0.0


def test_titles_exact_over_matched_articles():
    g = gold(
        {"title": "滨江公园新增健身步道", "body_start": START, "body_end": END},
        {"title": "主标题", "title_alternatives": ["引题 主标题", "引题主标题"], "body_start": "第二篇的开头", "body_end": "第二篇的结尾。"},
        {"title": "第三篇", "body_start": "第三篇的开头", "body_end": "第三篇的结尾。"},
        {"title": "没有被找到", "body_start": "第四篇的开头", "body_end": "第四篇的结尾。"},
    )
    pred = page(
        article(BODY, title="滨江公园 新增健身步道", aid="a1"),  # whitespace does not count
        article("第二篇的开头。第二篇的结尾。", title="引题主标题", aid="a2"),  # an alternative
        article("第三篇的开头。第三篇的结尾。", title="第三篇（图）", aid="a3"),  # wrong
    )
    result = score_snippet(pred, g)
    assert result.matched == 3
    assert (result.titles.hit, result.titles.total) == (2, 3)


def test_titles_not_scored_when_the_gold_gives_none():
    result = score_snippet(page(article(BODY)), gold({"body_start": START, "body_end": END}))
    assert result.matched == 1 and result.titles is None


def test_gold_joins_made_only_within_one_paragraph():
    g = gold({"body_start": START, "body_end": END}, joins=[["三条健身步", "道，周末前来"], ["公园管理处", "表示，步道"]])
    pred = page(article("滨江公园新增了三条健身步道，周末前来锻炼的市民明显增多。公园管理处", "表示，步道沿线还将增设饮水点。"))
    result = score_snippet(pred, g)
    assert (result.joins.hit, result.joins.total) == (1, 2)


def test_a_gold_join_right_after_a_lead_formula_is_found_with_the_lead_put_back():
    # the break cut the first sentence two characters after the lead; the gold's 8 characters before it
    # hold the end of the formula, which a parse moves out of the paragraph into a marker
    text = "新华社北京1月5日电  滨江\n\n公园新增了三条健身步道。\n"
    pred = corepress.parse_text(text, paper="generic").to_dict()
    assert pred["articles"][0]["paragraphs"][0]["text"] == "滨江公园新增了三条健身步道。"
    g = gold({"body_start": "滨江公园新增了三条", "body_end": "增了三条健身步道。"}, joins=[["1月5日电  滨江", "公园新增了三条"]])
    joins = score_snippet(pred, g, text).joins
    assert (joins.hit, joins.total) == (1, 1)


def test_joins_the_gold_has_not_are_counted_over_the_joins_made():
    # a column break cut the first paragraph after 公园管理处 (the gold's join); the parse also glued
    # the second paragraph onto the first, where the gold has a paragraph break
    text = "滨江公园新增了三条健身步道。公园管理处\n\n表示，步道沿线还将增设饮水点。\n\n周末前来锻炼的市民明显增多。\n"
    cut = text.index("\n\n表示")
    para_break = text.index("\n\n周末")
    repairs = [{"rule": "join_column_break", "span": [cut, cut + 2]}, {"rule": "join_column_break", "span": [para_break, para_break + 2]}]
    pred = page(article("滨江公园新增了三条健身步道。公园管理处表示，步道沿线还将增设饮水点。周末前来锻炼的市民明显增多。"), repairs=repairs)
    g = gold({"body_start": "滨江公园新增了三条", "body_end": "锻炼的市民明显增多。"}, joins=[["公园管理处", "表示，步道"]])
    result = score_snippet(pred, g, text)
    assert (result.extra_joins.hit, result.extra_joins.total) == (1, 2)
    assert (result.joins.hit, result.joins.total) == (1, 1)
    # an empty list says the page has no column break: every join made is one the gold has not
    listed_none = snippet_gold_from_dict({"articles": [{"body_start": "滨江公园新增了三条", "body_end": "锻炼的市民明显增多。"}], "joins": []})
    extra = score_snippet(pred, listed_none, text).extra_joins
    assert (extra.hit, extra.total) == (2, 2)
    # no joins key at all: the gold says nothing about joins, and the figure is not scored
    silent = snippet_gold_from_dict({"articles": [{"body_start": "滨江公园新增了三条", "body_end": "锻炼的市民明显增多。"}]})
    assert score_snippet(pred, silent, text).extra_joins is None
    assert score_snippet(pred, g).extra_joins is None  # without the page text


FIRST = "小镇夜间公交线路昨晚开通，首批投入运营的六辆新能源公交车全部配备了空调和监控设备，末班车延至二十三时，方便了"
SECOND = "河边新建的儿童乐园今天开放，园内设有沙池、滑梯和攀爬架，周边社区的孩子们一早就来到这里玩耍。"
TWO = f"小镇开通夜间公交\n\n本报讯 记者林川报道 {FIRST}\n\n河边新建儿童乐园\n\n{SECOND}\n"


def _two_gold() -> SnippetGold:
    return gold(
        {"title": "小镇开通夜间公交", "body_start": "小镇夜间公交线路昨晚开通", "body_end": "末班车延至二十三时，方便了"},
        {"title": "河边新建儿童乐园", "body_start": "河边新建的儿童乐园今天开放", "body_end": "孩子们一早就来到这里玩耍。"},
    )


def test_locating_gold_bodies_in_the_page_text():
    g = _two_gold()
    located = locate_bodies(TWO, [(a.body_start, a.body_end) for a in g.articles])
    first, second = located
    assert first is not None and second is not None
    assert TWO[first.start:first.end] == FIRST
    assert TWO[second.start:second.end] == SECOND
    (boundary,) = boundaries_of(TWO, located)
    assert TWO[boundary.end:boundary.follows] == "\n\n" and TWO[boundary.follows:boundary.start] == "河边新建儿童乐园\n\n"


def test_a_join_repair_right_after_an_article_glues_the_boundary():
    g = _two_gold()
    end = TWO.index("方便了") + 3
    title = TWO.index("河边新建儿童乐园")
    body = TWO.index("河边新建的儿童")
    glued_title = page(
        article(FIRST + "河边新建儿童乐园", title="小镇开通夜间公交"),
        article(SECOND, aid="a2"),
        repairs=[{"rule": "join_column_break", "span": [end, end + 2], "before": "\n\n", "after": ""}],
    )
    result = score_snippet(glued_title, g, TWO)
    assert result.glued is not None and result.glued.to_dict()["glued"] == 1 and result.glued.boundaries == 1
    assert result.glued.by_repair == (0,)
    # a join between the next article's headline and its own body is not across the boundary
    inside = page(repairs=[{"rule": "join_column_break", "span": [title + 8, body], "before": "\n\n", "after": ""}])
    assert score_snippet(inside, g, TWO).glued.glued == ()


def test_a_paragraph_holding_two_articles_glues_the_boundary():
    g = _two_gold()
    start = TWO.index("小镇夜间")
    end = TWO.index("方便了") + 3
    body = TWO.index("河边新建的儿童")
    merged = page(
        {"id": "a1", "title": "小镇开通夜间公交", "flags": [], "paragraphs": [
            para(FIRST + SECOND,
                 [[start, end], [body, len(TWO) - 1]])]},
    )
    result = score_snippet(merged, g, TWO)
    assert result.glued.by_paragraph == (0,) and result.glued.by_repair == ()
    assert (result.matched, result.predicted, result.gold) == (0, 1, 2)
    # without spans, the text tells: the first article's end followed by more text
    del merged["articles"][0]["paragraphs"][0]["spans"]
    assert score_snippet(merged, g, TWO).glued.by_paragraph == (0,)
    # two paragraphs that keep the articles apart glue nothing
    apart = page(article(FIRST), article(SECOND, aid="a2"))
    assert score_snippet(apart, g, TWO).glued.glued == ()


# --- misses --------------------------------------------------------------------------------------------
def test_why_prefers_boundary_reasons_over_flags():
    assert why({"flags": ["no_byline"]}) == "flags: no_byline"
    assert why({"flags": ["no_byline"], "boundary": {"margin": 2.5, "rules": ["lead_formula", "headline"]}}) == "rules: lead_formula, headline"
    assert why({"flags": [], "boundary": {"margin": 0.1, "rules": []}}) == "flags: none"


def test_misses_name_the_article_that_swallowed_a_gold_article():
    g = _two_gold()
    pred = page(article(FIRST, "另一段文字在这里继续写下去" * 4, SECOND,
                        title="小镇开通夜间公交", boundary={"margin": 3.0, "rules": ["lead_formula"]}))
    misses = score_snippet(pred, g, TWO).misses
    assert [m.kind for m in misses] == ["missed", "missed", "spurious"]
    assert "starts with it but ends elsewhere (rules: lead_formula)" in misses[0].detail
    assert "inside predicted a1" in misses[1].detail
    assert all(len(m.snippet) <= 20 for m in misses)


# --- snippet gold files -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data,message",
    [
        ([], "a snippet gold is a JSON object"),
        ({}, "lacks the required key 'articles'"),
        ({"articles": [{"body_end": ["结尾。"]}]}, "articles[0] lacks the required key 'body_start'"),
        ({"articles": [{"body_start": "开头"}]}, "articles[0] lacks the required key 'body_end'"),
        ({"articles": [{"body_start": "  ", "body_end": "结尾。"}]}, "body_start must be a non-empty string"),
        ({"articles": [{"body_start": "开头", "body_end": [3]}]}, "body_end must be a string or a list of strings"),
        ({"articles": [], "joins": [["只有一半"]]}, "joins must be a list of [before, after] string pairs"),
        ({"schema": "corepress.page/1", "articles": []}, "is a parse (corepress.page/1), not a gold"),
    ],
)
def test_invalid_snippet_gold_is_one_line(data, message):
    with pytest.raises(GoldError) as info:
        snippet_gold_from_dict(data, "x.json")
    assert message in str(info.value) and str(info.value).startswith("x.json: ") and "\n" not in str(info.value)


def test_snippet_gold_file_that_is_not_json(tmp_path):
    path = tmp_path / "page.json"
    path.write_text('{"articles": [', encoding="utf-8")
    with pytest.raises(GoldError, match=r"page.json: not valid JSON \(line 1"):
        load_snippet_gold(path)


def test_bundled_snippet_golds_load():
    golds = {p.stem: load_snippet_gold(p) for p in sorted(SNIPPET_PAGES.glob("*.json"))}
    assert sorted(golds) == ["cut_story", "hillside_indented", "merged_pair", "notice_board", "town_news"]
    assert golds["merged_pair"].articles[1] == SnippetArticle(("菜市场改造后",), ("还将增设便民服务台。",), None, ())


# --- corepress eval -----------------------------------------------------------------------------------
def test_eval_json_over_the_snippet_pages():
    code, out, err = cli("eval", SNIPPET_PAGES, "--json")
    assert code == 0 and err == ""
    report = json.loads(out)
    assert set(report) == {"pages", "total", "errors"} and report["errors"] == []
    rows = {Path(p["page"]).stem: p for p in report["pages"]}
    assert [(rows[n]["matched"], rows[n]["predicted"], rows[n]["gold_articles"]) for n in sorted(rows)] == [
        (0, 1, 2), (2, 2, 2), (0, 1, 2), (0, 0, 0), (3, 3, 3)
    ]
    assert rows["notice_board"]["f1"] == 1.0  # no article in the gold, none found
    assert rows["town_news"]["joins_made"] == {"hit": 2, "total": 2, "rate": 1.0}
    # its two paragraphs cut mid-sentence (…为 / 参加…, …得到 / 明显缓解。) are the only joins it should make
    assert rows["town_news"]["joins_not_in_gold"] == {"hit": 0, "total": 2, "rate": 0.0}
    assert rows["cut_story"]["joins_across_boundary"] == {"glued": 1, "boundaries": 1, "rate": 1.0, "by_repair": 1, "by_paragraph": 1}
    assert "misses" not in rows["cut_story"]
    total = report["total"]
    assert (total["pages"], total["pages_snippet"], total["pages_expected"], total["pages_f1_1"]) == (5, 5, 0, 3)
    assert (total["matched"], total["predicted"], total["gold_articles"]) == (5, 7, 9)
    assert total["mean_f1"] == pytest.approx(0.6)
    assert total["micro_precision"] == pytest.approx(5 / 7) and total["micro_recall"] == pytest.approx(5 / 9)
    assert total["micro_f1"] == pytest.approx(2 * (5 / 7) * (5 / 9) / (5 / 7 + 5 / 9))
    assert total["titles"] == {"hit": 5, "total": 5, "rate": 1.0}
    assert total["joins_across_boundary"]["glued"] == 1 and total["joins_across_boundary"]["boundaries"] == 5


def test_figures_the_gold_does_not_hold_are_null_not_zero():
    report = run([SNIPPET_PAGES / "town_news.txt"])
    for figures in (report["pages"][0], report["total"]):
        for name in ("kicker", "subtitle", "byline", "masthead", "paper"):
            assert figures[name] is None, name
    code, out, _ = cli("eval", SNIPPET_PAGES / "town_news.txt")
    assert code == 0 and "kicker n/a · subtitle n/a · byline n/a · masthead n/a · paper n/a" in out


def test_eval_human_table_and_misses():
    code, out, _ = cli("eval", SNIPPET_PAGES, "--show-misses")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:7] == ["page", "gold", "m/p/g", "P", "R", "F1", "titles"]
    row = next(line for line in lines if "merged_pair.txt" in line)
    assert row.split()[1:6] == ["snippet", "0/1/2", "0.000", "0.000", "0.000"]
    block = lines[lines.index(row) + 1: lines.index(row) + 4]
    assert block[0].split()[0] == "missed" and "河畔步道全线贯通" in block[0] and "ends elsewhere (rules: page_start)" in block[0]
    assert block[1].split()[:2] == ["missed", "菜市场改造后"] and "inside predicted a1" in block[1]
    assert block[2].split()[0] == "spurious" and block[2].endswith("rules: page_start")
    assert "mean F1 0.600 · micro P 0.714 R 0.556" in out
    code, out, _ = cli("eval", SNIPPET_PAGES / "town_news.txt", "--show-misses")
    assert "missed" not in out and "spurious" not in out


def test_eval_json_show_misses():
    code, out, _ = cli("eval", SNIPPET_PAGES / "merged_pair.txt", "--json", "--show-misses")
    misses = json.loads(out)["pages"][0]["misses"]
    assert [m["kind"] for m in misses] == ["missed", "missed", "spurious"]
    assert misses[1] == {"kind": "missed", "snippet": "菜市场改造后", "title": None, "detail": misses[1]["detail"]}


def test_eval_expected_pages_fill_every_figure():
    report = run([SEEDS[0]])
    row = report["pages"][0]
    assert row["gold_kind"] == "expected" and row["f1"] == score(corepress.parse(SEEDS[0]).to_dict(), json.loads(
        SEEDS[0].with_name(SEEDS[0].stem + ".expected.json").read_text(encoding="utf-8"))).f1
    for name in ("titles", "kicker", "subtitle", "byline", "joins_made", "masthead", "paper"):
        assert row[name] is not None and row[name]["total"] > 0, name
    assert row["paper"]["total"] == 1 and report["total"]["pages_expected"] == 1
    assert row["joins_across_boundary"]["boundaries"] == row["gold_articles"] - 1


def test_eval_with_a_gold_folder(tmp_path):
    pages, golds = tmp_path / "pages", tmp_path / "golds"
    pages.mkdir()
    golds.mkdir()
    shutil.copy(SNIPPET_PAGES / "town_news.txt", pages)
    shutil.copy(SNIPPET_PAGES / "town_news.json", golds)
    code, out, _ = cli("eval", pages, "--gold", golds, "--json")
    assert code == 0 and json.loads(out)["total"]["matched"] == 3
    code, _, err = cli("eval", pages, "--json")
    assert code == 2 and "nothing could be scored" in err


def test_a_gold_file_on_the_command_line_stands_for_its_page():
    plan = collect([SNIPPET_PAGES / "town_news.json", SNIPPET_PAGES / "town_news.txt"])
    assert [p.name for p, _ in plan.jobs] == ["town_news.txt"] and plan.errors == ()


# --- bad input --------------------------------------------------------------------------------------
def _bad_inputs(tmp_path: Path) -> Dict[str, Path]:
    no_gold = tmp_path / "no_gold"
    no_gold.mkdir()
    (no_gold / "lonely.txt").write_text(TWO, encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "p.txt").write_text(TWO, encoding="utf-8")
    (broken / "p.json").write_text('{"articles": [{"body_start": "小镇"', encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "e.txt").write_bytes(b"")
    (empty / "e.json").write_text('{"articles": []}', encoding="utf-8")
    return {"no_gold": no_gold, "broken": broken, "empty": empty}


@pytest.mark.parametrize(
    "case,message",
    [
        ("no_gold", "no page in this folder has a gold beside it"),
        ("broken", "p.json: not valid JSON"),
        ("empty", "e.txt: is empty"),
    ],
)
def test_each_bad_input_is_one_line_and_exit_2_when_nothing_is_scored(tmp_path, case, message):
    path = _bad_inputs(tmp_path)[case]
    code, out, err = cli("eval", path)
    errors = [line for line in out.splitlines() if line.startswith("error: ")]
    assert code == 2 and len(errors) == 1 and message in errors[0]
    assert err == "corepress: error: nothing could be scored\n"
    code, out, _ = cli("eval", path, "--json")
    report = json.loads(out)
    assert code == 2 and len(report["errors"]) == 1 and message in report["errors"][0]["message"]
    assert report["total"]["pages"] == 0 and report["total"]["mean_f1"] is None


def test_bad_inputs_beside_good_pages_are_reported_and_the_rest_is_scored(tmp_path):
    bad = _bad_inputs(tmp_path)
    code, out, _ = cli("eval", bad["no_gold"], bad["broken"], bad["empty"], SNIPPET_PAGES / "town_news.txt", "--json")
    report = json.loads(out)
    assert code == 0 and len(report["errors"]) == 3 and report["total"]["pages"] == 1 and report["total"]["errors"] == 3
    code, out, _ = cli("eval", tmp_path / "no-such-folder", SNIPPET_PAGES / "town_news.txt")
    assert code == 0 and sum(line.startswith("error: ") and "no such file" in line for line in out.splitlines()) == 1


def test_a_page_without_article_or_masthead_is_a_result_not_a_failure():
    code, out, _ = cli("eval", SNIPPET_PAGES / "notice_board.txt", "--json")
    report = json.loads(out)
    assert code == 0 and report["errors"] == [] and report["pages"][0]["f1"] == 1.0


def test_a_gold_written_for_another_page_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(TWO, encoding="utf-8")
    (tmp_path / "a.json").write_text('{"seed": "b.txt", "articles": []}', encoding="utf-8")
    code, out, _ = cli("eval", tmp_path)
    assert code == 2 and "a.json: is the gold of b.txt, not of a.txt" in out


def test_a_parse_beside_a_page_is_not_taken_for_gold(tmp_path):
    shutil.copy(SNIPPET_PAGES / "town_news.txt", tmp_path)
    _, out, _ = cli("parse", tmp_path / "town_news.txt")
    (tmp_path / "town_news.json").write_text(out, encoding="utf-8")
    code, out, _ = cli("eval", tmp_path)
    assert code == 2 and "is a parse (corepress.page/2), not a gold" in out


# --- corepress score ----------------------------------------------------------------------------------
def test_score_picks_the_page_from_a_json_list_and_from_json_lines(tmp_path):
    gold_path = SEEDS[1].with_name(SEEDS[1].stem + ".expected.json")
    for fmt in ("json", "jsonl"):
        pred = tmp_path / f"all.{fmt}"
        cli("parse", ROOT / "seeds", "--format", fmt, "-o", pred)
        code, out, err = cli("score", pred, gold_path, "--json")
        assert code == 0 and err == "" and json.loads(out)["boundary"]["f1"] == 1.0, fmt
        assert json.loads(out)["paper"]["hit"] == 1  # the page of SEEDS[1], not the first one in the file


def test_score_refuses_a_list_without_the_gold_page(tmp_path):
    pred = tmp_path / "two.json"
    cli("parse", SEEDS[0], SEEDS[2], "--format", "json", "-o", pred)
    gold_path = SEEDS[1].with_name(SEEDS[1].stem + ".expected.json")
    code, out, err = cli("score", pred, gold_path)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "holds 2 pages and none of them is 001_e768b58703e4f831.txt" in err


def test_score_refuses_the_gold_of_another_page(tmp_path):
    pred = tmp_path / "pred.json"
    cli("parse", SEEDS[0], "-o", pred)
    gold_path = SEEDS[1].with_name(SEEDS[1].stem + ".expected.json")
    code, out, err = cli("score", pred, gold_path)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "is the gold of 001_e768b58703e4f831.txt, but" in err and SEEDS[0].name in err


@pytest.mark.parametrize("content", ["not json at all\n", '{"a": 1}', "[1, 2]", ""])
def test_score_bad_pred_is_one_line(tmp_path, content):
    pred = tmp_path / "pred.json"
    pred.write_text(content, encoding="utf-8")
    code, out, err = cli("score", pred, SEEDS[0].with_name(SEEDS[0].stem + ".expected.json"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_score_with_snippet_gold(tmp_path):
    pred = tmp_path / "pred.json"
    cli("parse", SNIPPET_PAGES / "town_news.txt", "-o", pred)
    code, out, _ = cli("score", pred, SNIPPET_PAGES / "town_news.json", "--json")
    data = json.loads(out)
    assert code == 0 and (data["matched"], data["f1"], data["kicker"]) == (3, 1.0, None)
    assert data["joins_across_boundary"]["boundaries"] == 2  # the page file is still there: its text was read
    code, out, _ = cli("score", pred, SNIPPET_PAGES / "town_news.json")
    assert code == 0 and "kicker             not scored" in out


def test_continuation_pages_compare_as_text():
    assert page_number(3) == page_number("3") == page_number("03") == "3"
    assert page_number("A3") == "A3" and page_number(None) is None


def test_score_page_accepts_string_page_numbers_and_boundary_objects():
    data = corepress.parse(SEEDS[0]).to_dict()
    expected = load_gold(SEEDS[0].with_name(SEEDS[0].stem + ".expected.json"))
    for a in data["articles"]:
        if a["continued_to"] is not None:
            a["continued_to"] = str(a["continued_to"])
        a["boundary"] = {"margin": 1.0, "rules": ["headline"]}
    result = score_page(data, expected)
    assert result.f1 == 1.0 and result.figures["titles"].hit == result.figures["titles"].total
