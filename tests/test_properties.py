"""Property tests: random mixtures of real blocks never break the guarantees.

Pages are built from blocks of every bundled page, shuffled, broken at random
places and sprinkled with whitespace noise.  Whatever comes out, the parse must
not crash, every character must be accounted for, and repairing twice must
change nothing.  The default profile runs 150 examples per test; the
``hypothesis`` tox environment runs 10 000 (``HYPOTHESIS_PROFILE=thorough``).
"""

from __future__ import annotations

import pytest
from conftest import ALL_PAGES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corepress
from corepress.pipeline.accounting import check
from corepress.text_io.serialize import render_markdown
from corepress.values.schema import MARKUP_RULES

BLOCKS = sorted({b.strip() for p in ALL_PAGES for b in corepress.read(p).split("\n\n") if b.strip()})
PAPERS = [None, "generic", "yingkou", "guilin", "liaoyuan", "liaoning"]
NOISE = [" ", "  ", "\t", "\u3000", "\u00a0", "\u200b", "\r\n", "\n", "\n\n\n"]


@st.composite
def pages(draw):
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=25))
    out = []
    for block in blocks:
        if len(block) > 8 and draw(st.booleans()):
            cut = draw(st.integers(1, len(block) - 1))
            out.extend([block[:cut], block[cut:]])  # a column break anywhere
        else:
            out.append(block)
    text = "\n\n".join(out)
    for _ in range(draw(st.integers(0, 8))):
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + draw(st.sampled_from(NOISE)) + text[pos:]
    return text


SETTINGS = dict(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _parse(text, paper):
    try:
        return corepress.parse_text(text, paper=paper)
    except corepress.InputError as exc:  # only an empty page may be refused
        assert "is empty" in str(exc)
        return None


@pytest.mark.properties
@settings(**SETTINGS)
@given(text=pages(), paper=st.sampled_from(PAPERS))
def test_random_pages_keep_every_character_accounted_for(text, paper):
    page = _parse(text, paper)
    if page is not None:
        assert check(page) == []


@pytest.mark.properties
@settings(**SETTINGS)
@given(text=pages(), paper=st.sampled_from(PAPERS))
def test_random_pages_repair_idempotently(text, paper):
    page = _parse(text, paper)
    if page is None or not page.blocks:
        return
    again = corepress.parse_text(page.repaired_text(), paper=page.paper.id or "generic", format=page.source.format)
    assert [r for r in again.repairs if r.rule not in MARKUP_RULES] == []


@pytest.mark.properties
@settings(**SETTINGS)
@given(text=st.lists(st.sampled_from(list("新闻报讯记者（）()，。、：——“”《》 \n\u3000") + ["本报讯", "新华社", "(上接第一版)", "（下转3版）", "\n\n"]), max_size=200).map("".join))
def test_arbitrary_punctuation_soup_never_crashes(text):
    page = _parse(text, None)
    if page is not None:
        assert check(page) == []




BRACKET_SOUP = list("甲乙丙会议召开报讯记者王明()（）()，。 \u3000a1") + ["\n", "\n\n", "本报讯", "(记者王明)", "((", "))", "（(", ")）"]


@pytest.mark.properties
@settings(**SETTINGS)
@given(
    text=st.lists(st.sampled_from(BRACKET_SOUP), min_size=1, max_size=120).map("".join),
    paper=st.sampled_from(PAPERS),
)
def test_bracket_soup_with_normalize_brackets_keeps_every_character(text, paper):
    try:
        page = corepress.parse_text(text, paper=paper, normalize_brackets=True)
    except corepress.InputError as exc:
        assert "is empty" in str(exc)
        return
    assert check(page) == []
    for repair in page.repairs:
        if repair.rule == "normalize_brackets":
            assert (repair.before[0], repair.before[-1], repair.after[0], repair.after[-1]) == ("(", ")", "（", "）")
            assert repair.before[1:-1] == repair.after[1:-1]  # only the brackets changed


MASTHEAD_LINES = [
    "某某日报", "营 口 日 报", "2026年4月2日 星期四", "２０２６年４月２日 星期三", "今日8版 第1号", "ＣＮ２１－００１２",
    "某某主办 宣", "某某市文明办 宣", "文明城市 你我共建", "全国百强报刊", "某某日报社出版", "农历丙午年二月十五",
    "全市春耕备耕工作会议召开", "本报讯 记者王明报道 会议召开，部署了今年的任务。", "公益广告",
]


@pytest.mark.properties
@settings(**SETTINGS)
@given(
    lines=st.lists(st.sampled_from(MASTHEAD_LINES), min_size=1, max_size=14),
    gaps=st.lists(st.sampled_from(["\n", "\n\n"]), min_size=14, max_size=14),
    paper=st.sampled_from(PAPERS),
)
def test_masthead_soup_claims_every_block_once(lines, gaps, paper):
    text = "".join(line + gap for line, gap in zip(lines, gaps))
    page = corepress.parse_text(text, paper=paper)
    assert check(page) == []
    assert render_markdown(page).startswith("<!-- ")  # every masthead renders, issue number or not


def _traced_strings(source):
    """Traced strings built the way the pipeline builds them: slices of the page, joined, edited."""
    from corepress.values.traced import Traced

    n = len(source)
    piece = st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda ab: Traced.from_source(source, min(ab), max(ab)))
    made = st.one_of(piece, st.text(max_size=3).map(Traced.inserted))
    joined = st.lists(made, max_size=5).map(Traced.join)
    sliced = st.tuples(joined, st.integers(-8, 8), st.integers(-8, 8)).map(lambda t: t[0][t[1]:t[2]] + t[0][: abs(t[1])])
    replacement = st.sampled_from(["", " ", "乙", "甲甲", "（甲）"])
    return st.tuples(sliced, st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), replacement), max_size=3)).map(_edited)


def _edited(drawn):
    """``value.edit`` with non-overlapping edits made from (start, length, replacement) draws."""
    value, wanted = drawn
    edits, pos = [], 0
    for start, length, replacement in sorted(wanted):
        start = max(start, pos)
        end = min(start + length, len(value))
        if start > len(value):
            break
        edits.append((start, end, replacement))
        pos = end + 1
    return value.edit(edits, rule="test")[0]


@pytest.mark.properties
@settings(**SETTINGS)
@given(data=st.data(), source=st.text(alphabet="甲乙丙 \n", min_size=1, max_size=30))
def test_known_segments_are_the_segments_of_the_origins(data, source):
    """The segments the constructors carry along (which the run-time checks trust) are exactly
    what scanning the origins finds, and the spans follow from them."""
    from corepress.values.traced import INSERTED, Traced, _scan_segments

    value = data.draw(_traced_strings(source))
    assert value.segments() == _scan_segments(value.origin)
    plain = Traced(value.text, value.origin)  # no segments known: scanned when asked
    assert plain.segments() == value.segments()
    expected = [(o, o + 1) for o in value.origin if o != INSERTED]
    merged = []
    for start, end in expected:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    assert value.spans() == merged


@pytest.mark.properties
@settings(**SETTINGS)
@given(spans=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8), st.sampled_from(["lead", "continued_to", "credit"])), max_size=30))
def test_overlapping_marks_resolve_as_the_longest_first(spans):
    """combine_votes keeps the longest mark of any overlapping set (then by kind and offset),
    as a plain pairwise check over the marks chosen so far would."""
    from corepress.pipeline.classify import combine_votes
    from corepress.values.scores import Mark, MarkKind, Role, Vote

    marks = tuple(Mark(MarkKind(kind), start, start + length) for start, length, kind in spans)
    scores = combine_votes([("p", Vote(Role.TEXT, 1.0, "r", marks))])
    candidates = sorted({(m.kind, m.start, m.end): m for m in marks}.values(), key=lambda m: (-(m.end - m.start), m.kind.value, m.start))
    expected = []
    for m in candidates:
        if all(m.end <= c.start or m.start >= c.end for c in expected):
            expected.append(m)
    assert list(scores.marks) == sorted(expected, key=lambda m: m.start)
