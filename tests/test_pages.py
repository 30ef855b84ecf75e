"""Every bundled page against its hand-written expected page, plus the page-level guarantees."""

from __future__ import annotations

import pytest
from conftest import ALL_PAGES, SEEDS, expected_for

import corepress
from corepress.evaluation.score import score
from corepress.pipeline.accounting import check
from corepress.values.schema import MARKUP_RULES, load_schema

PERFECT = ("title", "kicker", "subtitle", "column", "byline", "kind", "reporters", "continuation",
           "paragraphs", "subheads", "truncated_start", "joins", "masthead", "dropped", "paper")


def assert_perfect(page, gold, label):
    result = score(page.to_dict(), gold)
    assert result.f1 == 1.0, f"{label}: boundary F1 {result.f1:.3f}\n{result.report()}"
    imperfect = {name: str(result.rates[name]) for name in PERFECT if result.rate(name) < 1.0}
    assert not imperfect, f"{label}: {imperfect}\n{result.report()}"


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_page_matches_expected_page(path):
    assert_perfect(corepress.parse(path), expected_for(path), path.name)


def test_unknown_paper_uses_generic_rules_alone():
    page = corepress.parse(SEEDS[2])
    assert page.paper.id is None and page.paper.confidence < 0.3
    forced = corepress.parse(SEEDS[2], paper="generic")
    assert page.to_dict()["articles"] == forced.to_dict()["articles"]


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_spans_point_back_into_the_source(path):
    source = corepress.read(path)
    data = corepress.parse(path).to_dict()
    for article in data["articles"]:
        for paragraph in article["paragraphs"]:
            pieces = "".join(source[s:e] for s, e in paragraph["spans"])
            assert "".join(pieces.split()) == "".join(paragraph["text"].split()), paragraph["text"][:20]
        for marker in article["markers"]:
            assert "".join(source[s:e] for s, e in marker["spans"]).replace(" ", "") == marker["text"].replace(" ", "")
    for item in data["dropped"]:
        start, end = item["span"]
        assert "".join(source[start:end].split()) == "".join(item["text"].split())
    if data["masthead"]:
        for line in data["masthead"]["lines"]:
            assert "".join("".join(source[s:e] for s, e in line["spans"]).split()) == "".join(line["text"].split())


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_output_validates_against_the_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker())
    errors = list(validator.iter_errors(corepress.parse(path).to_dict()))
    assert not errors, errors[0].message


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_every_character_is_accounted_for(path):
    problems = check(corepress.parse(path))
    assert not problems, [str(p) for p in problems[:5]]


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_repairs_are_idempotent(path):
    page = corepress.parse(path)
    again = corepress.parse_text(page.repaired_text(), paper=page.paper.id or "generic", format=page.source.format)
    assert [r for r in again.repairs if r.rule not in MARKUP_RULES] == []
    assert [(a.title and a.title.text, [p.text.text for p in a.paragraphs]) for a in page.articles] == [
        (a.title and a.title.text, [p.text.text for p in a.paragraphs]) for a in again.articles
    ]


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_every_repair_is_logged_with_a_real_span(path):
    source = corepress.read(path)
    for repair in corepress.parse(path).repairs:
        start, end = repair.span
        assert 0 <= start <= end <= len(source)
        assert "".join(source[start:end].split()) == "".join(repair.before.split()) or repair.rule == "join_column_break"


def test_markdown_output_is_readable():
    from corepress.text_io.serialize import render_markdown

    text = render_markdown(corepress.parse(SEEDS[0]))
    assert "# 营口日报" in text
    assert "## 科技创新实现新突破" in text
    assert "下转第3版" in text
