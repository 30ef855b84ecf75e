"""A page's own number (版次) and section name (版名): printed in its page head, or in its file name.

Every expected value here is written from reading the line or the name, not taken from the program.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_cli import run

from corepress.pipeline.identity import read_head_line
from corepress.pipeline.pipeline import parse_path, parse_text
from corepress.text_io.page_numbers import check_name_pattern, identity_from_name, page_number
from corepress.text_io.tables import article_rows, page_row
from corepress.values.hooktypes import ParseOptions
from corepress.values.model import PageIdentity, PageNumberSource
from corepress.values.schema import load_schema

BODY = ("全市春季植树活动圆满结束\n\n本报讯 （记者 赵明）记者昨日从市园林局获悉，今年春季全市共组织义务植树活动二百余场，"
        "参加市民超过十万人次，新栽各类苗木六十多万株。园林部门将做好后期养护，确保树木成活。\n")


@pytest.mark.parametrize("printed, number", [
    ("第3版", "3"), ("第三版", "3"), ("第十二版", "12"), ("第03版", "3"), ("03", "3"), ("A3", "A3"), ("Ａ３", "A3"),
    ("a3版", "A3"), ("第A12版", "A12"), ("第两版", "2"), ("第一百零八版", "108"),
])
def test_page_numbers_are_normalised_like_jump_targets(printed, number):
    assert page_number(printed) == number


@pytest.mark.parametrize("printed", ["第0版", "第〇版", "第1000版", "十十", "三A", "", "第版", "A"])
def test_what_is_no_page_number(printed):
    assert page_number(printed) is None


@pytest.mark.parametrize("line, expected", [
    ("第3版", ("3", None, None)),
    ("A3 要闻", ("A3", "要闻", None)),
    ("要闻 A3", ("A3", "要闻", None)),
    ("第03版：国际", ("3", "国际", None)),
    ("第3版要闻", ("3", "要闻", None)),
    ("03 理论", ("3", "理论", None)),
    ("3 要闻", ("3", "要闻", None)),  # a bare number beside a known section name
    ("Ａ３版·国际", ("A3", "国际", None)),
    ("2024年7月26日 星期五 第二版", ("2", None, "2024-07-26")),
    ("人民日报 2024年7月26日 星期五 第十二版 经济", ("12", "经济", "2024-07-26")),
    ("本版编辑：张三 第5版", ("5", None, None)),  # the editor's name is no section name
])
def test_printed_page_heads(line, expected):
    assert read_head_line(line) == expected


@pytest.mark.parametrize("line", [
    "3 大亮点",  # a bare number needs a known section name beside it
    "（下转第3版）",  # a jump, not a page head
    "总第9064期 今日4版",  # the masthead's page count
    "科技创新实现新突破",
    "第3版 第4版",  # two numbers: not one page's head
    "第3版 要闻 本报讯",  # a word away from the number: text
    "详见第3版",
    "第3版" + "很长的一行正文" * 6,
])
def test_lines_that_are_not_page_heads(line):
    assert read_head_line(line) is None


@pytest.mark.parametrize("name, number, date", [
    ("rmrb-20200105-03.txt", "3", "2020-01-05"),  # the dev corpus: paper-YYYYMMDD-page
    ("20240726-03-01.txt", "3", "2024-07-26"),  # YYYYMMDD-page-article
    ("yingkou-p03.txt", "3", None),
    ("issue_pA3.md", "A3", None),
    ("page_07.txt", "7", None),
    ("section-B2.txt", "B2", None),
])
def test_numbers_in_file_names(name, number, date):
    identity = identity_from_name(f"/some/folder/{name}")
    assert identity == PageIdentity(number, PageNumberSource.FILE_NAME, date=date)


@pytest.mark.parametrize("name", [
    "000_8f24790f293e97a4.txt",  # the seeds: a hash, no page
    "liaoyuan_2025-03-18.txt",  # an ISO date's day is no page
    "guilin_2026-06.txt",  # nor its month
    "page.txt",
    "issue-2024.txt",  # four digits: a year
])
def test_file_names_without_a_page(name):
    assert identity_from_name(name) is None


def test_a_folder_name_is_not_read():
    assert identity_from_name("/pages-p05/front.txt") is None


def test_the_override_pattern_replaces_the_defaults():
    pattern = r"^(?P<name>[a-z]+)_(?P<page>\d+)of\d+\.txt$"
    assert identity_from_name("guoji_4of8.txt", pattern) == PageIdentity("4", "file_name", name="guoji")
    # a name the override does not match has no number, even where a default pattern would find one
    assert identity_from_name("x-p03.txt", pattern) is None
    assert identity_from_name("版面-第三版.txt", r"第(?P<page>\p{Han}+)版") == PageIdentity("3", "file_name")


def test_override_patterns_are_checked():
    assert check_name_pattern(r"_(?P<page>\d+)") is None
    assert "group named page" in check_name_pattern(r"_(\d+)")
    assert "not a regular expression" in check_name_pattern(r"_(?P<page>\d+")


def test_identity_orders_section_letters_then_numbers():
    numbers = ["B1", "A12", "A2", "A1"]
    ordered = sorted((PageIdentity(n, "printed") for n in numbers), key=PageIdentity.sort_key)
    assert [i.number for i in ordered] == ["A1", "A2", "A12", "B1"]
    assert PageIdentity("A12", "printed").section_letter == "A" and PageIdentity("12", "printed").section_letter is None


def test_a_printed_page_head_leaves_the_article_flow(tmp_path):
    text = "A3 要闻\n\n" + BODY
    page = parse_text(text, path=tmp_path / "anything-p09.txt")  # printed beats the file name
    assert page.identity == PageIdentity("A3", PageNumberSource.PRINTED, name="要闻", span=(0, 5))
    assert [(d.reason, d.text.text) for d in page.dropped] == [("page_head", "A3 要闻")]
    assert [a.title.text for a in page.articles if a.title] == ["全市春季植树活动圆满结束"]
    data = page.to_dict()
    assert data["page"] == {"number": "A3", "section_letter": "A", "name": "要闻", "date": None,
                            "source": "printed", "span": [0, 5]}
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    again = parse_text(page.repaired_text())
    assert again.identity is not None and again.identity.number == "A3"


def test_a_page_head_with_a_date_dates_the_page():
    page = parse_text("2025年5月8日 星期四 第二版 综合\n\n" + BODY)
    assert page.identity == PageIdentity("2", "printed", name="综合", date="2025-05-08", span=(0, 20))


def test_number_from_the_file_name_when_none_is_printed(tmp_path):
    path = tmp_path / "rmrb-20200105-03.txt"
    path.write_text(BODY, encoding="utf-8")
    page = parse_path(path)
    assert page.identity == PageIdentity("3", PageNumberSource.FILE_NAME, date="2020-01-05")
    assert page.to_dict()["page"]["source"] == "file_name" and page.to_dict()["page"]["span"] is None
    assert not page.dropped
    assert page_row(page)["page"] == "3" and {row["page"] for row in article_rows(page)} == {"3"}
    override = parse_path(path, ParseOptions(page_from_name=r"rmrb-\d{6}(?P<page>\d\d)"))  # the day, to show it wins
    assert override.identity is not None and override.identity.number == "5"


def test_no_number_anywhere_is_null(tmp_path):
    page = parse_text(BODY, path=tmp_path / "front.txt")
    assert page.identity is None and page.to_dict()["page"] is None
    assert page_row(page)["page"] is None
    jsonschema.Draft202012Validator(load_schema()).validate(page.to_dict())


def test_parse_page_from_name_on_the_command_line(tmp_path):
    path = tmp_path / "guoji_4of8.txt"
    path.write_text(BODY, encoding="utf-8")
    code, out, _ = run("parse", path, "--page-from-name", r"^(?P<name>[a-z]+)_(?P<page>\d+)of")
    assert code == 0
    assert json.loads(out)["page"] == {"number": "4", "section_letter": None, "name": "guoji", "date": None,
                                       "source": "file_name", "span": None}
    code, _, err = run("parse", path, "--page-from-name", r"_(\d+)of")
    assert code == 2 and "group named page" in err and len(err.strip().splitlines()) == 1


def test_page_1_documents_without_the_key_still_validate():
    """The key was added to page/2: documents written before it lack it and stay valid."""
    page = parse_text(BODY).to_dict()
    del page["page"]
    jsonschema.Draft202012Validator(load_schema()).validate(page)


def test_page_json_of_the_issue_pages_is_valid():
    here = Path(__file__).parent / "pages" / "issue" / "three"
    for path in sorted(here.glob("*.txt")):
        jsonschema.Draft202012Validator(load_schema()).validate(parse_path(path).to_dict())


@pytest.mark.parametrize("text", [
    "营口日报\n\n2025年5月8日\n星期四\n\nA3 要闻\n\n" + BODY,  # the page head under the masthead: dropped
    "第一版\n\n营口日报\n\n2025年5月8日\n星期四\n\n" + BODY,  # above it: the masthead keeps it as an extra line
])
def test_the_repaired_text_keeps_the_page_head_in_its_place(text):
    page = parse_text(text)
    again = parse_text(page.repaired_text())
    assert page.identity is not None and page.identity.number in ("A3", "1")
    assert again.identity is not None and again.identity.number == page.identity.number
    assert dict(again.masthead.facts) == dict(page.masthead.facts)
    assert [(d.reason, d.text.text) for d in again.dropped] == [(d.reason, d.text.text) for d in page.dropped]
