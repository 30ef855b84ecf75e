"""Text built to hurt regular expressions: it must parse, and stay accounted for.

No timing is asserted here (benchmarks/bench_parse.py measures scaling); every
pattern search carries a timeout, so a catastrophic pattern would fail these
tests with TimeoutError rather than hang them.
"""

from __future__ import annotations

import pytest

import corepress
from corepress.pipeline.accounting import check

CASES = {
    "identical_characters": "字" * 200_000,
    "one_very_long_line": ("会议强调，要深化改革、扩大开放、促进发展" * 6_000),
    "repeated_punctuation": "，" * 100_000 + "。" * 100_000,
    "unclosed_brackets": "（" * 50_000 + "《" * 50_000 + "“" * 50_000,
    "letter_spaced_forever": " ".join("字" * 60_000),
    "digits_and_spaces": " ".join(["2026 年"] * 30_000),
    "lead_formula_prefixes": "本报讯（记者" * 20_000,
    "many_short_lines": "\n".join(["标题"] * 40_000),
    "many_blank_blocks": "\n\n".join(["新华社北京4月1日电"] * 20_000),
    "names_without_end": "记者" + "王明 " * 40_000,
    "comma_column_breaks": "会议强调，\n\n" * 20_000,
    "jump_formula_chain": "正文，" + "（下转第二版）" * 20_000,
    "reporter_note_chain": "（记者 王明 李华）" * 10_000,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_text_parses_and_is_accounted_for(name):
    page = corepress.parse_text(CASES[name], paper="generic")
    assert check(page) == []
