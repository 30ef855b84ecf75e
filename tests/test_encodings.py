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
