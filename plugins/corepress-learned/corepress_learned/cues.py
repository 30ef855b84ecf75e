"""Cue words and shapes at a block's edges: what a byline, a lead, a credit, a label or a list item
says of a block in any paper (记者, 电, 摄, 主持, 讲话, （一）…), each a feature ``cue=NAME``.

Most blocks hold no cue, and searching every pattern in every block was a third of the features'
time, so each cue says what its matches must hold (:class:`Cue`) and only the cues a block's
needles and edge characters make possible are searched for.
"""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, List, Tuple

import attrs
import regex


@attrs.frozen
class Cue:
    """A cue word or shape, named for what it says about a block.

    Each cue says what every match of its pattern holds, tested before the pattern runs (most blocks
    hold no cue, and 14 searches a block were a third of the features' time): ``needles``, literal
    pieces one of which stands in every match (all cues' needles are found in one scan), or, for a
    pattern anchored at one end, the characters one of which opens (``first``) or ends (``last``) it;
    ``decimal``: or a decimal digit opens it (the pattern's ``\\d``)."""

    name: str
    pattern: "regex.Pattern[str]"
    needles: Tuple[str, ...] = ()
    first: FrozenSet[str] = frozenset()
    last: FrozenSet[str] = frozenset()
    decimal: bool = False


NUMERALS = "一二三四五六七八九十"
CIRCLED = "".join(map(chr, range(ord("①"), ord("⑳") + 1)))

# a why-comment per case
CUES: Tuple[Cue, ...] = (
    # a reporter or correspondent is named: bylines and closing author notes
    Cue("reporter", regex.compile(r"记者|通讯员|特约|实习生"), needles=("记者", "通讯员", "特约", "实习生")),
    # a lead formula's 电 / 讯 after a place or agency: the start of a story's body
    Cue("dateline", regex.compile(r"^[^，。]{0,20}(?:电|讯)"), needles=("电", "讯")),
    # own paper or a wire agency: leads, closing datelines, reprint notes
    Cue("agency", regex.compile(r"本报|新华社|中新社|人民网|央视"), needles=("本报", "新华社", "中新社", "人民网", "央视")),
    # a photo credit: 摄 / 摄影 near the end, or 供图 / 图片来源
    Cue("credit", regex.compile(r"摄(?:影)?(?:报道)?[）)]?$|供图|图片来源|制图|版式设计"), needles=("摄", "供图", "图片来源", "制图", "版式设计")),
    # a host or an editor speaks: column furniture and editor's notes
    Cue("editor", regex.compile(r"主持|编者|编辑|责编|策划"), needles=("主持", "编者", "编辑", "责编", "策划")),
    # a speech or a document: long official texts whose headings are not new stories
    Cue(
        "speech", regex.compile(r"讲话|致辞|贺信|报告|决定|通知|条例|办法"),
        needles=("讲话", "致辞", "贺信", "报告", "决定", "通知", "条例", "办法"),
    ),
    # a numbered item: （一） / 一、 / 1. / ①: list items and section heads inside one article
    Cue(
        "numbered", regex.compile(rf"^(?:[（(][{NUMERALS}\d]{{1,3}}[）)]|[{NUMERALS}]{{1,3}}、|\d{{1,2}}[、.．]|[①-⑳])"),
        first=frozenset("（(" + NUMERALS + CIRCLED), decimal=True,
    ),
    # a box label or a deck: short fixed furniture inside an article
    Cue(
        "label", regex.compile(r"^(?:核心阅读|编者按|编者的话|亲历者说|见证者说|短评|延伸阅读|背景链接|相关链接|图片报道|新闻链接)"),
        first=frozenset("核编亲见短延背相图新"),
    ),
    # a bracketed column tag at the end of a headline: （人民论坛） and the like
    Cue("column_tag", regex.compile(r"[（(][\p{Han}·\s]{2,10}[）)]$"), last=frozenset("）)")),
    # a dash opens a subtitle (——记…) or a kicker line ends with one
    Cue("dash_start", regex.compile(r"^(?:——|—|－－)"), first=frozenset("—－")),
    Cue("dash_end", regex.compile(r"(?:——|—)$"), last=frozenset("—")),
    # a quotation opens the block: often a lead sentence, rarely a headline
    Cue("quote_start", regex.compile(r"^[“「『\"]"), first=frozenset("“「『\"")),
    # a colon ends the block: a speaker, a label, or a heading of a list
    Cue("colon_end", regex.compile(r"[：:]$"), last=frozenset("：:")),
    # a date or a year opens the block: bodies of news often do
    Cue(
        "date_start", regex.compile(r"^(?:\d{4}年|\d{1,2}月\d{1,2}日|[一二三四五六七八九十〇]{4}年)"),
        first=frozenset(NUMERALS + "〇"), decimal=True,
    ),
)

_ALL_NEEDLES = sorted({n for cue in CUES for n in cue.needles}, key=len, reverse=True)
# every cue's needles in one scan; the lookahead finds needles that overlap (本报告: 本报 and 报告)
_NEEDLES = re.compile("(?=(" + "|".join(map(re.escape, _ALL_NEEDLES)) + "))")
# whether any needle stands in a text at all: a plain search, five times faster than finding them all
_ANY_NEEDLE = re.compile("|".join(map(re.escape, _ALL_NEEDLES)))


# which cues each needle, each opening and each closing character makes possible
_BY_NEEDLE: Dict[str, Tuple[int, ...]] = {}
_BY_FIRST: Dict[str, Tuple[int, ...]] = {}
_BY_LAST: Dict[str, Tuple[int, ...]] = {}
for _index, _cue in enumerate(CUES):
    for _needle in _cue.needles:
        _BY_NEEDLE[_needle] = _BY_NEEDLE.get(_needle, ()) + (_index,)
    for _ch in _cue.first:
        _BY_FIRST[_ch] = _BY_FIRST.get(_ch, ()) + (_index,)
    for _ch in _cue.last:
        _BY_LAST[_ch] = _BY_LAST.get(_ch, ()) + (_index,)
_BY_DECIMAL = tuple(index for index, cue in enumerate(CUES) if cue.decimal)


_NAMES = tuple("cue=" + cue.name for cue in CUES)


def cue_names(edges: str) -> List[str]:
    """The cues found at a block's edges (:func:`_edges`), each as ``cue=NAME``, in the order of :data:`CUES`.

    Only the cues its needles, first and last characters make possible are searched for (most
    blocks: none, found by three look-ups and one plain search)."""
    first, last = edges[:1], edges[-1:]
    by_first, by_last = _BY_FIRST.get(first), _BY_LAST.get(last)
    needle = _ANY_NEEDLE.search(edges)
    # what regex's \d takes for a digit, as the core's guards read it: Python's decimals, and any astral character
    decimal = first.isdecimal() or first > "\uffff"
    if not (by_first or by_last or needle or decimal):
        return []
    possible = set(by_first or ()).union(by_last or ())
    if needle:
        for found in _NEEDLES.findall(edges):
            possible.update(_BY_NEEDLE[found])
    if decimal:
        possible.update(_BY_DECIMAL)
    return [_NAMES[index] for index in sorted(possible) if CUES[index].pattern.search(edges)]


CUE_EDGE = 40
"""Cues are looked for in the first and last this many characters of a block: bylines, leads,
credits and labels stand at a block's edges, and a long paragraph is not read whole for them."""


def _edges(text: str) -> str:
    if len(text) <= 2 * CUE_EDGE:
        return text
    return text[:CUE_EDGE] + "\n" + text[-CUE_EDGE:]  # the newline keeps a cue from matching across the cut


def cues_at_edges(text: str) -> List[str]:
    """The cues of a block (``text``: its text without white space), looked for at its edges (:data:`CUE_EDGE`)."""
    return cue_names(_edges(text))
