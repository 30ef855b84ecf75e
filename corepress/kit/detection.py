"""Evidence for paper detection, declared rather than coded.

A paper plugin describes its paper with :class:`PaperSignals` (the names a
masthead prints, the places and institutions the paper writes about, the words
that point to a different kind of paper) and returns ``signals.evidence(page)``
from its ``corepress_detect_paper`` hook.

Masthead evidence counts only in the *head* of the page (the lines before the
first long paragraph): a 营口日报 page that reprints a 辽宁日报 story names
辽宁日报 in its body, and that must not make it a 辽宁日报 page.
"""

from __future__ import annotations

import re
import weakref
from typing import FrozenSet, List, Mapping, Optional, Sequence, Set, Tuple

import attrs
import regex

from corepress.rules.text import fold_width, visible_length
from corepress.values.hooktypes import PageView
from corepress.values.model import Evidence, Paper
from corepress.values.traced import PATTERN_TIMEOUT

HEAD_LINE_LIMIT = 60

MASTHEAD_NAME = 3.0
ENGLISH_NAME = 2.0
CN_SERIAL = 3.0


_HEADS: "weakref.WeakKeyDictionary[PageView, str]" = weakref.WeakKeyDictionary()


def page_head(page: PageView) -> str:
    """The text of the lines before the first long paragraph, spaces removed.

    Computed once per page view: every paper plugin asks for it.
    """
    head = _HEADS.get(page)
    if head is None:
        head = _HEADS[page] = _head_of(page)
    return head


def _head_of(page: PageView) -> str:
    parts: List[str] = []
    for block in page.blocks[:40]:
        text = block.text.text
        if visible_length(text) > HEAD_LINE_LIMIT and "CN" not in fold_width(text):
            break
        parts.append("".join(text.split()))
    return "\n".join(parts)


_CN_SERIAL = regex.compile(r"CN\s*([0-9]{2})\s*[-－]\s*([0-9]{4})")


def _serial(cn: str) -> str:
    m = _CN_SERIAL.search(fold_width(cn))
    return f"CN{m.group(1)}-{m.group(2)}" if m else cn


def cn_serials(text: str) -> Set[str]:
    """The CN serials a text prints, as ``CN21-0005``: spaced, full-width (ＣＮ２１－０００５) or not."""
    return {f"CN{m.group(1)}-{m.group(2)}" for m in _CN_SERIAL.finditer(fold_width(text), timeout=PATTERN_TIMEOUT)}


_SERIALS: "weakref.WeakKeyDictionary[PageView, FrozenSet[str]]" = weakref.WeakKeyDictionary()


def page_serials(page: PageView) -> FrozenSet[str]:
    """:func:`cn_serials` of the page's text, computed once per page view: every paper plugin asks."""
    serials = _SERIALS.get(page)
    if serials is None:
        serials = _SERIALS[page] = frozenset(cn_serials(page.text))
    return serials


@attrs.frozen
class PaperSignals:
    """What points to a paper, with weights (see the module docstring)."""

    paper: Paper
    terms: Mapping[str, float] = attrs.field(factory=dict)  # weight per occurrence
    term_cap: float = 1.0  # most one term can add
    content_cap: float = 3.0  # most all terms together can add
    negative: Mapping[str, float] = attrs.field(factory=dict)  # weight per occurrence (positive number)
    negative_cap: float = 2.5
    head_marks: Mapping[str, float] = attrs.field(factory=dict)  # texts that count in the head only
    # words any paper of the same kind uses (全省, 省委): they count only on a page
    # that names the paper's own area at least ``anchor_min`` times
    context_terms: Mapping[str, float] = attrs.field(factory=dict)
    anchors: Tuple[str, ...] = ()
    anchor_min: int = 3
    patterns: Sequence[Tuple[str, "regex.Pattern[str]", float]] = ()  # (reason, pattern, weight per match, capped at 2x)
    _words: Tuple[str, ...] = attrs.field(init=False, eq=False, repr=False, default=())
    _finder: Optional["regex.Pattern[str]"] = attrs.field(init=False, eq=False, repr=False, default=None)
    _any: Optional["re.Pattern[str]"] = attrs.field(init=False, eq=False, repr=False, default=None)

    def __attrs_post_init__(self) -> None:
        # every word the signals count, longest first (see _words_on)
        words = sorted({*self.terms, *self.context_terms, *self.anchors, *self.negative} - {""}, key=lambda w: (-len(w), w))
        object.__setattr__(self, "_words", tuple(words))
        object.__setattr__(self, "_finder", regex.compile("|".join(map(regex.escape, words))) if words else None)
        object.__setattr__(self, "_any", re.compile("|".join(map(re.escape, words))) if words else None)

    def _words_on(self, text: str) -> Set[str]:
        """The signal words the text holds (and ``""``), found in one pass instead of one count per word.

        A page holds few of them, and counting each word scans the whole page.  The pass
        reports, at every position where a word starts, the longest word there
        (overlapping matches, longest alternative first); any other word starting there is
        a prefix of it.  So a word is on the page exactly when it begins some match.
        """
        if self._finder is None or self._any is None or self._any.search(text) is None:
            return {""}  # most pages hold none of a paper's words: the standard engine says so sooner
        starts = set(self._finder.findall(text, overlapped=True))
        return {w for w in self._words if any(s.startswith(w) for s in starts)} | {""}

    def evidence(self, page: PageView) -> List[Evidence]:
        pid = self.paper.id
        out: List[Evidence] = []
        head = page_head(page)
        compact_head = fold_width(head).upper()  # ＹＩＮＧＫＯＵ ＤＡＩＬＹ counts as YINGKOU DAILY
        for name in (self.paper.name,) + self.paper.aliases:
            if name and name in head:
                out.append(Evidence(pid, MASTHEAD_NAME, f"masthead name {name}"))
                break
        english = self.paper.english_name
        if english and "".join(english.split()).upper() in compact_head.replace(" ", ""):
            out.append(Evidence(pid, ENGLISH_NAME, f"masthead English name {english}"))
        if self.paper.cn and (self.paper.cn in page.text or _serial(self.paper.cn) in page_serials(page)):
            out.append(Evidence(pid, CN_SERIAL, f"CN serial {self.paper.cn}"))
        for mark, weight in self.head_marks.items():
            if mark in head:
                out.append(Evidence(pid, weight, f"head of page shows {mark}"))
        content = 0.0
        terms = dict(self.terms)
        present = self._words_on(page.text)  # only those are counted: a word not on the page counts 0
        anchored = sum(page.text.count(a) for a in self.anchors if a in present)
        if anchored >= self.anchor_min:
            terms.update(self.context_terms)
        for term, weight in terms.items():
            count = page.text.count(term) if term in present else 0
            if count:
                add = min(self.term_cap, weight * count)
                add = min(add, self.content_cap - content)
                if add > 0:
                    content += add
                    out.append(Evidence(pid, round(add, 3), f"{term} ×{count}"))
        for reason, pattern, weight in self.patterns:
            count = len(pattern.findall(page.text, timeout=PATTERN_TIMEOUT))
            if count:
                out.append(Evidence(pid, round(min(2 * weight, weight * count), 3), f"{reason} ×{count}"))
        against = 0.0
        for term, weight in self.negative.items():
            count = page.text.count(term) if term in present else 0
            if count:
                take = min(weight * count, self.negative_cap - against)
                if take > 0:
                    against += take
                    out.append(Evidence(pid, -round(take, 3), f"{term} ×{count} points to another kind of paper"))
        return out
