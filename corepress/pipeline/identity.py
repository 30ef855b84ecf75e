"""Stage: the page's own number (版次) and section name (版名), from its page head or its file name.

Inner pages of a paper carry no masthead, but a page head: a short line at the top
such as ``A3 要闻``, ``第03版：国际`` or ``2024年7月26日 星期五 第二版``.  That line
is read here, before the articles are found, and leaves the article flow as dropped
``page_head`` text (unless the masthead already holds it), so that it never becomes
a title.  A page that prints no number takes one from its file name
(:mod:`corepress.text_io.page_numbers`).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import List, Optional, Sequence, Tuple

import regex

from corepress.text_io.page_numbers import CN_NUMERALS, fold, identity_from_name, iso_date, name_date, page_number
from corepress.values.model import Block, PageIdentity, PageNumberSource

V = regex.VERSION1
HEAD_BLOCKS = 12
"""Lines at the top of a page that can hold its page head."""
HEAD_LINE = 40
"""A page head is short: a line longer than this (visible characters) is not one, and ends the head."""


# tokens of a page-head line (folded to ASCII digits and letters first)
_STRONG = regex.compile(rf"^第?(?P<page>[A-Z]?\d{{1,3}}|[A-Z]?[{CN_NUMERALS}]{{1,5}})版$", V)  # 第3版, 第三版, A3版, 3版
_LETTERED = regex.compile(r"^(?P<page>[A-Z]\d{1,2})$", V)  # A3, B12
_PADDED = regex.compile(r"^(?P<page>0\d)$", V)  # 03
_BARE = regex.compile(r"^(?P<page>\d{1,2})$", V)  # 3: a page number only beside a known section name
_NAME = regex.compile(r"^\p{Han}{2,8}$", V)
_DATE = regex.compile(r"^(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$", V)
_WEEKDAY = regex.compile(r"^(?:星期|周)[一二三四五六日天]$", V)
_PAPER = regex.compile(r"^\p{Han}{1,10}(?:日报|晚报|早报|报)$", V)
_LUNAR = regex.compile(r"^(?:农历)?\p{Han}{0,3}[年月]\p{Han}{0,4}$", V)
_EDITOR = regex.compile(r"^(?:本版)?(?:编辑|责任编辑|责编|美编|校对|版式|版式设计|视觉设计|本版统筹)$", V)
_SEPARATORS = regex.compile(r"[\s·•|/:\-—–]+", V)
_GLUED = regex.compile(rf"^(?P<num>第?[A-Z]?(?:\d{{1,3}}|[{CN_NUMERALS}]{{1,5}})版)(?P<name>\p{{Han}}{{2,8}})$", V)

KNOWN_SECTIONS = frozenset(
    "要闻 国内 国际 理论 评论 经济 财经 社会 文化 文艺 体育 综合 副刊 时事 时政 地方 专版 专题 广告 新闻 视点 "
    "民生 科技 教育 健康 法治 生态 农村 军事 旅游 读书 观察 深度 城事 本地".split()
)
"""Section names that make a bare ``3 要闻`` a page head (``03 要闻`` and ``A3 要闻`` need none)."""



def _tokens(line: str) -> List[str]:
    out: List[str] = []
    for token in _SEPARATORS.split(fold(line)):
        if not token:
            continue
        glued = _GLUED.match(token)  # 第3版要闻
        out.extend([glued.group("num"), glued.group("name")] if glued else [token])
    return out


def read_head_line(line: str) -> Optional[Tuple[str, Optional[str], Optional[str]]]:
    """``(number, section name, date)`` when ``line`` is a page head, else ``None``.

    A page head is a short line whose every token is page-head furniture: one page
    number (``第3版``, ``A3``, ``03``; a bare ``3`` only beside a known section name),
    at most one section name right before or after it, and otherwise only a date,
    a weekday, a lunar date, the paper's name or an editor credit (本版编辑：张三).
    A line with any other word is text, however short.
    """
    if len(line.strip()) > HEAD_LINE:
        return None
    tokens = _tokens(line)
    kinds: List[str] = []
    for i, token in enumerate(tokens):
        if i > 0 and kinds[i - 1] == "editor":
            kinds.append("credit")  # the editor's name
        elif _STRONG.match(token) or _LETTERED.match(token) or _PADDED.match(token):
            kinds.append("number")
        elif _BARE.match(token):
            kinds.append("bare")
        elif _DATE.match(token):
            kinds.append("date")
        elif _WEEKDAY.match(token) or _LUNAR.match(token):
            kinds.append("furniture")
        elif _EDITOR.match(token):
            kinds.append("editor")
        elif _PAPER.match(token):
            kinds.append("furniture")
        elif _NAME.match(token):
            kinds.append("name")
        else:
            return None
    numbers = [i for i, kind in enumerate(kinds) if kind == "number"]
    if not numbers:  # a bare number counts only beside a known section name
        numbers = [i for i, kind in enumerate(kinds) if kind == "bare"
                   and any(0 <= j < len(tokens) and tokens[j] in KNOWN_SECTIONS for j in (i - 1, i + 1))]
    if len(numbers) != 1 or kinds.count("bare") > (1 if kinds[numbers[0]] == "bare" else 0):
        return None
    at = numbers[0]
    names = [i for i, kind in enumerate(kinds) if kind == "name"]
    if any(abs(i - at) != 1 for i in names) or len(names) > 1:
        return None  # a word away from the number: the line says something else
    number = page_number(tokens[at])
    if number is None:
        return None
    dates = [iso_date(m) for m in (_DATE.match(t) for t in tokens) if m]
    return number, (tokens[names[0]] if names else None), next((d for d in dates if d), None)


def printed_identity(blocks: Sequence[Block]) -> Optional[Tuple[PageIdentity, Block]]:
    """The page head among the first lines of the page, and the block it is."""
    for block in blocks[:HEAD_BLOCKS]:
        text = block.text.text
        if len(text.strip()) > HEAD_LINE * 2:
            break  # article text: the head is over
        found = read_head_line(text)
        if found is not None:
            number, name, date = found
            return PageIdentity(number, PageNumberSource.PRINTED, name=name, date=date, span=block.text.span), block
    return None


def page_identity(blocks: Sequence[Block], path: Optional[str], name_pattern: Optional[str] = None) -> Tuple[Optional[PageIdentity], Optional[Block]]:
    """The page's identity, printed or from its file name, and the page-head block it was read from."""
    printed = printed_identity(blocks)
    if printed is not None:
        identity, block = printed
        if identity.date is None and path:
            identity = PageIdentity(identity.number, identity.source, identity.name, name_date(PurePath(path).name), identity.span)
        return identity, block
    return identity_from_name(path, name_pattern), None
