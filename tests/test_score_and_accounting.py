"""The checks themselves must be able to fail."""

from __future__ import annotations

import copy

import attrs
import pytest
from conftest import SEEDS, expected_for

import corepress
from corepress.evaluation.score import score
from corepress.pipeline.accounting import check
from corepress.values.traced import Traced


@pytest.fixture(scope="module")
def parsed():
    return corepress.parse(SEEDS[0])


def test_a_merged_article_lowers_boundary_f1(parsed):
    data = parsed.to_dict()
    merged = copy.deepcopy(data)
    first, second = merged["articles"][0], merged["articles"].pop(1)
    first["paragraphs"] += second["paragraphs"]
    result = score(merged, expected_for(SEEDS[0]))
    assert result.f1 < 1.0
    assert any("not found" in p for p in result.problems)


def test_a_wrong_title_and_a_missed_join_are_reported(parsed):
    data = copy.deepcopy(parsed.to_dict())
    data["articles"][1]["title"] = "别的标题"
    para = data["articles"][0]["paragraphs"][3]
    para["text"] = para["text"].replace("基础研究投入接近", "基础研究投入\n接近")
    data["articles"][0]["paragraphs"].insert(4, {"role": "text", "text": "x"})
    result = score(data, expected_for(SEEDS[0]))
    assert result.rate("title") < 1.0
    assert result.rate("paragraphs") < 1.0


def test_a_wrong_masthead_fact_is_reported(parsed):
    data = copy.deepcopy(parsed.to_dict())
    data["masthead"]["date"] = "2026-04-03"
    assert score(data, expected_for(SEEDS[0])).rate("masthead") < 1.0


def test_scorer_refuses_a_file_that_is_not_an_expected_page(parsed):
    with pytest.raises(ValueError):
        score(parsed.to_dict(), parsed.to_dict())


def test_accounting_finds_a_lost_paragraph(parsed):
    article = parsed.articles[0]
    shorter = attrs.evolve(article, paragraphs=article.paragraphs[1:])
    page = attrs.evolve(parsed, articles=(shorter,) + parsed.articles[1:])
    problems = check(page)
    assert problems and {p.kind for p in problems} == {"lost"}


def test_accounting_finds_a_duplicated_title(parsed):
    a, b = parsed.articles[0], parsed.articles[1]
    page = attrs.evolve(parsed, articles=(a, attrs.evolve(b, kicker=a.title)) + parsed.articles[2:])
    assert any(p.kind == "duplicated" for p in check(page))


def test_accounting_finds_invented_and_changed_text(parsed):
    a = parsed.articles[0]
    invented = attrs.evolve(a, title=a.title + Traced.inserted("！"))
    assert any(p.kind == "invented" for p in check(attrs.evolve(parsed, articles=(invented,) + parsed.articles[1:])))
    changed_title = Traced("料" + a.title.text[1:], a.title.origin)
    changed = attrs.evolve(a, title=changed_title)
    assert any(p.kind == "changed" for p in check(attrs.evolve(parsed, articles=(changed,) + parsed.articles[1:])))


# --- accounting bugs found at the trust boundary ------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["会议召开(甲（乙)\n", "本报讯 会议在市委(（西楼)召开。\n", "字(（(（)字\n", "(甲)乙(丙)\n\n本报讯 会议(乙（甲)召开。\n"],
)
def test_normalize_brackets_loses_no_character(text):
    page = corepress.parse_text(text, paper="generic", normalize_brackets=True)
    assert [r for r in page.repairs if r.rule == "normalize_brackets"], "the repair must run"
    assert check(page) == []


def test_a_replaced_bracket_is_the_repairs_and_survivors_keep_their_origin():
    text = "会议召开(甲（乙)"
    line = Traced.from_source(text, 0, len(text))
    fixed, repairs = line.edit([(4, 9, "（甲（乙）")], rule="normalize_brackets")
    assert fixed.text == "会议召开（甲（乙）"
    assert fixed.origin == (0, 1, 2, 3, -1, 5, 6, 7, -1)  # 甲（乙 where they were; new brackets inserted
    assert [(r.span, r.before, r.after) for r in repairs] == [((4, 9), "(甲（乙)", "（甲（乙）")]


def test_deleting_characters_keeps_every_other_origin():
    text = "字 字 字 字"
    fixed, _ = Traced.from_source(text, 0, len(text)).edit([(0, len(text), "字字字字")], rule="collapse")
    assert fixed.origin == (0, 2, 4, 6)
    long = " ".join("字" * 5000)  # a pure deletion this long stays linear
    fixed, _ = Traced.from_source(long, 0, len(long)).edit([(0, len(long), "字" * 5000)], rule="collapse")
    assert fixed.origin == tuple(range(0, len(long), 2))


def test_an_advert_issuer_line_in_the_masthead_is_claimed_once():
    text = "某某日报\n\n2026年4月2日 星期四\n\n今日8版 第1号\n\n文明城市 你我共建\n\n某某主办 宣\n\n全市春耕工作会议召开\n\n本报讯 记者王明报道 会议召开。\n"
    page = corepress.parse_text(text)
    assert check(page) == []
    assert [(d.reason, d.text.text) for d in page.dropped] == [("advert", "文明城市 你我共建"), ("advert", "某某主办 宣")]
    assert "某某主办 宣" not in [line.text.text for line in page.masthead.lines]
    assert "sponsor" not in page.masthead.facts  # the advert's issuer is no masthead fact
