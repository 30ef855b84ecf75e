"""The same page in the encodings and line ends of real archives gives the same articles."""

from __future__ import annotations

import pytest
from conftest import SEEDS

import corepress


def articles(page):
    return page.to_dict()["articles"]


ENCODINGS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),  # no byte-order mark
    "utf-16-be": lambda t: t.encode("utf-16-be"),  # no byte-order mark
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "lone-cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
}


@pytest.mark.parametrize("variant", sorted(ENCODINGS))
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_encoded_page_gives_the_same_articles(tmp_path, seed, variant):
    original = corepress.parse(seed)
    text = corepress.read(seed)
    converted = tmp_path / seed.name
    converted.write_bytes(ENCODINGS[variant](text))
    page = corepress.parse(converted)
    assert articles(page) == articles(original)
    assert page.paper.id == original.paper.id
    expected_encoding = {"gbk": "gb18030", "crlf": "utf-8", "lone-cr": "utf-8"}.get(variant, variant)
    assert page.source.encoding == expected_encoding
    assert corepress.read(converted) == text  # offsets are into the same text


def test_forced_encoding_is_used(tmp_path):
    page = tmp_path / "big5.txt"
    page.write_bytes("標題\n\n本報訊 記者王明報道 會議召開。".encode("big5"))
    parsed = corepress.parse(page, encoding="big5")
    assert parsed.source.encoding == "big5"


def test_invisible_characters_are_removed_and_logged():
    text = "科技\u200b创新实现新突破\n\n本报讯 记者王明报道 会议\ufeff召开。"
    page = corepress.parse_text(text, paper="generic")
    assert page.articles[0].title.text == "科技创新实现新突破"
    assert sum(1 for r in page.repairs if r.rule == "remove_invisible") == 2


# --- UTF-16 without a byte-order mark ----------------------------------------------------------
SHORT_PAGE = "某某日报\n\n一月一日 一起一一\n\n本报讯 记者王明报道 一一会议召开，一致通过。\n"


@pytest.mark.parametrize("name", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(tmp_path, name):
    page = tmp_path / "page.txt"
    page.write_bytes(SHORT_PAGE.encode(name))  # 一 (U+4E00) puts NULs on the "wrong" side too
    assert corepress.read(page) == SHORT_PAGE
    parsed = corepress.parse(page)
    assert parsed.source.encoding == name and parsed.articles[0].reporters == ("王明",)


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(256)) * 4,  # NULs on both sides, control characters
        b"\x00\x01\x00\x02\x00\x03\x00\x04",  # decodes, but to control characters
        "abc\n".encode("utf-32-le"),  # decodes as UTF-16 to U+0000s
        b"\x00\xd8\x0a\x00" * 8,  # lone surrogates in UTF-16-LE, no text in UTF-16-BE
        "页面".encode() + b"\x00",  # odd length
        b"\x00\x0a\x0a\x00" * 50,  # as many NULs on both sides, no text either way round
    ],
    ids=["all-bytes", "controls", "utf-32", "surrogates", "odd-length", "mixed"],
)
def test_binary_with_nul_bytes_is_still_refused(tmp_path, raw):
    page = tmp_path / "blob.txt"
    page.write_bytes(raw)
    with pytest.raises(corepress.InputError, match="NUL bytes"):
        corepress.read(page)


# --- full-width digits and letters -------------------------------------------------------------
FULL_WIDTH_PAGE = """某某日报

２０２６年４月２日 星期四 农历丙午年二月十五

国内统一连续出版物号：ＣＮ２１－００１２ 今日８版 第２０８７８期

全市春耕备耕工作会议召开

新华社北京４月１日电（记者王明）全市春耕备耕工作会议召开，部署了今年的任务。（下转Ａ３版）

（上接第１２版）会议要求各地抓好落实。
"""


def test_full_width_masthead_facts_are_read_and_spans_kept():
    from corepress.pipeline.accounting import check

    page = corepress.parse_text(FULL_WIDTH_PAGE)
    facts = page.masthead.facts
    assert facts["date"] == "2026-04-02" and facts["weekday"] == "星期四"
    assert facts["cn"] == "CN21-0012" and facts["pages"] == 8 and facts["issue_number"] == "20878"
    for line in page.masthead.lines:  # the lines are the printed text, traced to the source
        assert "".join(FULL_WIDTH_PAGE[s:e] for s, e in line.text.spans()) == line.text.text
    assert "２０２６年４月２日" in page.masthead.lines[1].text.text
    assert not [n for n in page.notices if n.code == "weekday_mismatch"]
    assert check(page) == []


def test_full_width_digits_in_lead_and_jump_formulas():
    page = corepress.parse_text(FULL_WIDTH_PAGE)
    first, second = page.articles
    assert first.agency == "新华社" and first.reporters == ("王明",) and first.dateline == "北京４月１日"
    assert first.continued_to == "A3"
    assert first.paragraphs[0].text.text == "全市春耕备耕工作会议召开，部署了今年的任务。"
    assert second.continued_from == "12" and second.paragraphs[0].text.text == "会议要求各地抓好落实。"


def test_full_width_and_ascii_pages_give_the_same_facts_and_articles():
    from corepress.rules.text import fold_width

    ascii_page = fold_width(FULL_WIDTH_PAGE)
    assert len(ascii_page) == len(FULL_WIDTH_PAGE) and ascii_page != FULL_WIDTH_PAGE
    full, plain = corepress.parse_text(FULL_WIDTH_PAGE), corepress.parse_text(ascii_page)
    assert dict(full.masthead.facts) == dict(plain.masthead.facts)
    assert [(a.paragraphs, a.continued_to, a.continued_from) for a in full.articles] == [
        (a.paragraphs, a.continued_to, a.continued_from) for a in plain.articles
    ]


@pytest.mark.parametrize("line", ["２０２６年２月３０日 星期一", "２０２６年１３月１日 星期一"])
def test_an_impossible_date_is_no_date(line):
    page = corepress.parse_text(f"某某日报\n\n{line}\n\n今日８版\n\n本报讯 会议召开。\n")
    assert "date" not in page.masthead.facts and page.masthead.facts["pages"] == 8


@pytest.mark.parametrize(
    "weekday, warned",
    [("星期四", False), ("周四", False), ("星期三", True), ("周日", True), ("星期天", True)],
)
def test_a_weekday_that_contradicts_the_date_is_a_warning(weekday, warned):
    text = f"某某日报\n\n2026年4月2日 {weekday}\n\n今日8版 第1号\n\n本报讯 会议召开。\n"
    page = corepress.parse_text(text)
    notices = [n for n in page.notices if n.code == "weekday_mismatch"]
    assert page.masthead.facts["weekday"] == weekday  # the fact stays as printed
    if not warned:
        assert notices == []
        return
    (notice,) = notices
    assert notice.level == "warning" and weekday in notice.message and "星期四" in notice.message
    assert text[notice.span[0]:notice.span[1]] == f"2026年4月2日 {weekday}"
    assert page.to_dict()["notices"][-1]["code"] == "weekday_mismatch"


def test_full_width_cn_serial_and_english_name_count_for_detection():
    from corepress.kit.detection import cn_serials

    assert cn_serials("ＣＮ２１－０００５ CN 35 - 0019 CN21-0012/F") == {"CN21-0005", "CN35-0019", "CN21-0012"}
    page = corepress.parse_text("ＹＩＮＧＫＯＵ ＤＡＩＬＹ\n\nＣＮ２１－０００５\n\n本报讯 会议召开。\n")
    reasons = {e.reason for e in page.paper.evidence if e.paper == "yingkou"}
    assert {"CN serial CN21-0005", "masthead English name YINGKOU DAILY"} <= reasons
