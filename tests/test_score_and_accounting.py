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
