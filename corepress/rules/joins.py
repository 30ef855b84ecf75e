"""The generic rules' join pass: which blocks are one paragraph cut by a column or page break.

Left to right over the paragraph built so far: a block that does not end a sentence
continues into the next when it ends in punctuation that promises more, when the next
starts where a sentence cannot (，… / 的… / a word the page spells elsewhere, cut in
two), or when it is too long or too sentence-like to be a heading.  What the
classification found (a tail formula, a lead) is read from the role scores, never
searched for again; decisions that look at the block below judge the whole paragraph
that starts there (:class:`HeadlineLookahead`), so a page and its repaired text decide alike.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import attrs

from corepress.pipeline.decode import NO_JOIN_FROM, NO_JOIN_INTO
from corepress.rules import patterns as P
from corepress.rules import structure as S
from corepress.rules.classify import SPREAD_NOTE
from corepress.rules.lexicon import word_across, words
from corepress.rules.structure import CLOSING_LINE_MAX, closing_line
from corepress.rules.text import (
    HEADING_MAX,
    ends_sentence,
    ends_with_break,
    looks_like_heading,
    pair_balance,
    starts_mid_sentence,
    visible_length,
)
from corepress.values.model import Block
from corepress.values.scores import CLOSING_MARKS, CLOSING_ROLES, GapLabel, GapScore, MarkKind, Role, RoleScores
from corepress.values.traced import PATTERN_TIMEOUT

RULE = "generic"
STRUCTURAL = frozenset({Role.BYLINE, Role.LEAD, Role.CONTINUED_FROM, Role.TAIL, Role.CREDIT, Role.ADVERT, Role.BADGE})
LABEL_MAX = 6  # visible characters up to which an unpunctuated line is a label, never a cut paragraph
OPENER_PREFIX = 30
"""Visible characters of a paragraph's start that may be a lead or continued-part formula cut by a line
break anywhere (（ | 上接第一版）, （上接 | 第一版）, 新华社某地2月1 | 日电): up to this length the joined text is
searched for the formula again, as the repaired text, where the pieces are one block, will be."""
KICKER_ENDS = frozenset("—：:")
"""How a kicker (引题) leads into the title below it: 脱贫户老龙的选择—— / 武汉市环卫工人匡丹凤：.
Both promise more, so such a line would be joined to the next as a cut paragraph; over a line
that has a headline's shape it is a line of its own.  On the 人民日报 dev corpus none of the 114
joins made after such a line over a headline-shaped one was a column break (its maker never cuts
after a colon, so for ： that proves less; a cut paragraph's rest is rarely headline-shaped)."""


@attrs.frozen
class Unit:
    first: int
    last: int
    role: Role
    text: str
    closing: bool  # ends with a closing formula (a tail, an author note, a jump…)
    credit: bool  # carries a photo credit
    heading: int  # Markdown heading level of its first block


@attrs.define
class _Para:
    """The paragraph the join pass has built so far: what its first and last blocks say, and what the
    join checks ask of its text, kept up to date as blocks are added.

    A paragraph broken after every comma gains a block hundreds of times; asking its whole
    text again at each join (its length, its brackets) would make the pass quadratic, so the
    text is only put together when a check needs all of it, which only a short one does.
    """

    first: Block
    last: Block
    last_roles: RoleScores
    opener_visible: int  # visible characters of a lead or continued-part formula at its start (0: none)
    pieces: List[str]
    length: int
    visible: int  # characters that are not whitespace
    _balance: Dict[str, int] = attrs.field(factory=dict)  # per bracket or quote pair: openers minus closers
    _balanced_pieces: int = 0  # how many pieces _balance has counted (counted when first asked)
    _joined: Optional[str] = None

    @classmethod
    def start(cls, block: Block, roles: RoleScores) -> "_Para":
        opener = max((m.end for m in roles.marks if m.kind in (MarkKind.LEAD, MarkKind.CONTINUED_FROM) and m.start == 0), default=0) if roles.marks else 0
        text = block.text.text
        return cls(block, block, roles, visible_length(text[:opener]), [text], len(text), visible_length(text))

    def extend(self, block: Block, roles: RoleScores) -> None:
        text = block.text.text
        short = not self.opener_visible and self.visible <= OPENER_PREFIX
        self.last, self.last_roles = block, roles
        self.pieces.append(text)
        self.length += len(text)
        self.visible += visible_length(text)
        self._joined = None
        if short:
            # a formula cut by a line break (（ | 上接第一版）…, （上接 | 第一版）…) is found in the joined
            # text, as it is found in the repaired text where the pieces are one block
            opener = S.continued_from(self.text) or S.lead_at_start(self.text)
            if opener is not None and opener.start == 0:
                self.opener_visible = visible_length(self.text[:opener.end])

    @property
    def text(self) -> str:
        if self._joined is None:
            self._joined = "".join(self.pieces)
        return self._joined

    def tail(self, n: int) -> str:
        """The last ``n`` characters (fewer when the paragraph is shorter)."""
        out = ""
        for piece in reversed(self.pieces):
            out = piece[-(n - len(out)):] + out
            if len(out) >= n:
                break
        return out

    def unbalanced(self) -> bool:
        """As :func:`corepress.rules.text.unbalanced` on the whole text; pieces are counted once."""
        for piece in self.pieces[self._balanced_pieces:]:
            for opener, count in pair_balance(piece).items():
                self._balance[opener] = self._balance.get(opener, 0) + count
        self._balanced_pieces = len(self.pieces)
        return any(count > 0 for count in self._balance.values())


def join_pass(blocks: Sequence[Block], roles: Sequence[RoleScores], scores: List[GapScore], indented: bool) -> List[Unit]:
    units: List[Unit] = []
    para: Optional[_Para] = None
    page_text = "".join(b.text.text for b in blocks)  # the blocks run together: the page as a dictionary
    ahead = HeadlineLookahead(blocks, roles, page_text)
    for i, block in enumerate(blocks):
        if para is not None and not (indented and not _indented_continuation(para.last, i, blocks, ahead)):
            weight, rule = join_evidence(para, block, i, blocks, roles, page_text, ahead)
            if para.tail(1) in KICKER_ENDS and _leads_into_headline(i, ahead):
                weight = 0  # a line that leads into a headline with a dash or a colon (a kicker) is a line of its own
            if weight > 0 and _joinable(units[-1], roles[i].role) and not units[-1].closing:
                scores.append(GapScore(i - 1, GapLabel.JOIN, weight, f"{RULE}:{rule}"))
                para.extend(block, roles[i])
                prev = units.pop()
                units.append(_glued(prev, roles[i], i, para))
                continue
        para = _Para.start(block, roles[i])
        units.append(Unit(i, i, roles[i].role, block.text.text, _closes(roles[i]), _credit(roles[i]), block.heading))
    # a glued unit's text is put together once, now that it is complete
    return [u if u.first == u.last else attrs.evolve(u, text="".join(b.text.text for b in blocks[u.first:u.last + 1])) for u in units]


def _indented_continuation(a: Block, i: int, blocks: Sequence[Block], ahead: "HeadlineLookahead") -> bool:
    """On an indented page an indented line starts a paragraph; an unindented line ``blocks[i]`` may
    continue the paragraph above (a column break in an indented dump), unless it has the shape of a
    headline.  The shape is judged on the whole paragraph that starts there (a line whose full stop
    was cut onto the next line is no headline), as the repaired text, where it is one block, shows it."""
    b = blocks[i]
    if b.indent:
        return False
    return not (a.indent and looks_like_heading(b.text.text) and ahead.headline_from(i))


def _credit(roles: RoleScores) -> bool:
    return roles.role is Role.CREDIT or roles.has_mark(MarkKind.CREDIT)


def _closes(roles: RoleScores) -> bool:
    return roles.role in CLOSING_ROLES or any(m.kind in CLOSING_MARKS for m in roles.marks) or SPREAD_NOTE in roles.rules


def _joinable(upper: Unit, lower: Role) -> bool:
    """The decoder's own constraints (:func:`corepress.pipeline.decode.can_join`), on the joined unit above."""
    return upper.role not in NO_JOIN_FROM and lower not in NO_JOIN_INTO


def _leads_into_headline(i: int, ahead: "HeadlineLookahead") -> bool:
    """Does a line ending in —— or ： lead into a headline (a kicker) rather than into the rest of its sentence?

    Judged on the whole paragraph that starts at ``blocks[i]`` (with its own column breaks
    joined), so the decision is the same on the page and on its repaired text.
    """
    return ahead.headline_from(i)


class HeadlineLookahead:
    """For each block of a page: does the paragraph that starts there, its own column breaks joined,
    read as a headline?

    Decisions that look at the block below judge this whole paragraph, so they come out the
    same on the page and on its repaired text (where that paragraph is one block).  The joins
    that make up a paragraph ask the same question of the blocks below them, so one question
    may lead to a chain of them down the page.  Each is answered once and remembered, and a
    chain is followed on a list, not by recursion (a page of a thousand such lines would
    exceed Python's stack): an answer that needs another not yet known stops (:class:`_Needs`),
    the other is worked out first, and the first is tried again.  Only blocks something asks
    about are read, and a paragraph stops being read as soon as it is too long to be a headline.
    """

    def __init__(self, blocks: Sequence[Block], roles: Sequence[RoleScores], page_text: str) -> None:
        self.blocks, self.roles, self.page_text = blocks, roles, page_text
        self.known: Dict[int, bool] = {}
        self.working = False  # inside an answer: an unknown block below is asked for, not read at once

    def headline_from(self, i: int) -> bool:
        """Does the paragraph that starts at block ``i`` read as a headline?"""
        known = self.known.get(i)
        if known is not None:
            return known
        if self.working:
            raise _Needs(i)
        self.working = True
        try:
            pending = [i]
            while pending:
                try:
                    self.known[pending[-1]] = self._reads_as_headline(pending[-1])
                    pending.pop()
                except _Needs as needs:
                    pending.append(needs.index)
        finally:
            self.working = False
        return self.known[i]

    def _reads_as_headline(self, i: int) -> bool:
        blocks, roles = self.blocks, self.roles
        para = _Para.start(blocks[i], roles[i])
        k = i + 1
        while k < len(blocks) and para.length <= 2 * HEADING_MAX and join_evidence(para, blocks[k], k, blocks, roles, self.page_text, self)[0] > 0:
            para.extend(blocks[k], roles[k])
            k += 1
        return looks_like_heading(para.text)


class _Needs(Exception):
    """Raised inside an answer of :class:`HeadlineLookahead` that needs the answer for block ``index`` first."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def _glued(prev: Unit, roles: RoleScores, index: int, para: _Para) -> Unit:
    role = prev.role if prev.role in (Role.LEAD, Role.CONTINUED_FROM, Role.TEXT) else (Role.TEXT if roles.role is Role.TEXT else prev.role)
    # a closing note cut by a column break (closing_line reads short lines only)
    closing = _closes(roles) or (para.length <= CLOSING_LINE_MAX and closing_line(para.text) is not None)
    return Unit(prev.first, index, role, "", closing, prev.credit or _credit(roles), prev.heading)  # text: at the end


def _splits_a_word(ta: str, tb: str, page_text: str) -> bool:
    """Did the cut between ``ta`` and ``tb`` split a word?  Yes when their two characters at the cut
    (ideographs both) stand side by side elsewhere on the page (the page is its own dictionary:
    words recur within a story), or when the ends make a common word (:mod:`corepress.rules.lexicon`)."""
    if not (ta and tb and P.HAN.match(ta[-1]) and P.HAN.match(tb[0])):
        return False
    if page_text.count(ta[-1] + tb[0]) >= 2:  # once at the cut itself (the blocks run together there)
        return True
    return word_across(ta, tb) is not None


NEEDS_COMPLEMENT = frozenset(
    "以及 可以 应当 理当 正在 存在 还是 不是 而是 就是 只是 何以 对于 关于 由于 为了 除了 随着 根据 按照 通过 针对 成为 认为".split()
)
"""Common words that end in a dangling character and still need what follows them (…以及 | 上级部署):
a line that ends with one is cut, whatever its shape."""


def _opens_a_sentence(text: str) -> bool:
    """Does the line open with a frame that starts a sentence, then go on after its comma?"""
    if not ("，" in text or "," in text) or text.endswith(("）", ")")):  # …（理财参谋）: a title and its column
        return False
    return P.OPENING_CLAUSE.match(text, timeout=PATTERN_TIMEOUT) is not None


LONG_LINE = 28
"""Visible characters from which a heading-shaped line may be read as the first line of a paragraph
that a column break cut (see :func:`_long_sentence_line`).  Headlines and subheads are mostly
shorter.  On the 人民日报 dev corpus (blank form), the lines this rule joins were a cut paragraph's
first line in 35 of 55 cases in January and 41 of 50 in February (a long subhead the rest); from
24 characters on, in 46 of 81 in January: not worth the subheads lost."""
_SUBHEAD_FIRST = frozenset("“‘「『●■◆▲★☆（(")
"""A line that opens with a quote, a bullet or a bracketed number is a motto, a point or a list item."""


def _long_sentence_line(a: _Para, i: int, blocks: Sequence[Block], tb: str) -> bool:
    """Is the heading-shaped paragraph ``a`` rather the first line of a paragraph cut by a column break?

    Yes when it is long (:data:`LONG_LINE`), goes on after a comma, stands right after a finished
    paragraph (under a headline it would be a subtitle or a summary), and the line below does not
    open a sentence of its own (a date, a frame, a quote): what the line began goes on there.
    """
    ta = a.text
    if a.visible < LONG_LINE or not ("，" in ta or "," in ta) or ta[:1] in _SUBHEAD_FIRST:
        return False
    if _may_enumerate(ta) and P.ENUMERATOR.match(ta, timeout=PATTERN_TIMEOUT):
        return False
    first = i - len(a.pieces)
    if first <= 0 or not ends_sentence(blocks[first - 1].text.text):
        return False
    return not _starts_a_sentence(tb)


SPEAKER_REACH = 20
"""Characters at the start of a line within which a speech frame (某某强调：/ 专家指出，) shows that
the line opens a sentence with its speaker."""


def _starts_a_sentence(text: str) -> bool:
    """Does the line open a sentence of its own: a quote, a frame (2月8日，/ 在…中，), a cue (近日，…),
    a speaker (习近平总书记强调：…)?"""
    if text[:1] in "“‘「『":
        return True
    if P.OPENING_CLAUSE.match(text, timeout=PATTERN_TIMEOUT) is not None:
        return True
    return P.SENTENCE_CUE.search(text[:SPEAKER_REACH], timeout=PATTERN_TIMEOUT) is not None


def _order_line(text: str) -> bool:
    """第十三条 国有企业应当…: an article of a law or regulation, with its text: body, whatever its length."""
    m = P.ORDER_ARTICLE.match(text, timeout=PATTERN_TIMEOUT) if text.startswith("第") else None
    return m is not None and visible_length(text[m.end():]) >= 2


def _ends_on_a_word(end: str) -> bool:
    """Does the text end on a whole common word whose last character only looks dangling (彰显新担当,
    找准方向, 保障供给)?  A headline ends on a whole word; a cut line ends anywhere."""
    lexicon = words()
    return end[-2:] not in NEEDS_COMPLEMENT and any(end[-n:] in lexicon for n in (2, 3, 4))


def join_evidence(
    a: _Para, b: Block, i: int, blocks: Sequence[Block], roles: Sequence[RoleScores], page_text: str, ahead: HeadlineLookahead
) -> Tuple[float, str]:
    """How strongly paragraph ``a`` continues into ``b = blocks[i]`` (0: it does not).

    What the classification already found is read from ``roles`` (a tail formula at the
    end of ``a``, a formula opening ``b``), never searched for again; whether the paragraph
    that starts at ``b`` reads as a headline, from ``ahead``.
    """
    tb = b.text.text
    end = a.tail(ENDING)
    if a.first.heading or b.heading or a.first.hint or b.hint or a.last.hard_break:
        return 0, ""
    if ends_sentence(end) or _closes(a.last_roles) or (_opens(roles[i], tb) and _opens_whole(i, blocks, roles, ahead)):
        return 0, ""  # a sentence end, or a jump/tail formula, ends the paragraph
    if _may_enumerate(tb) and P.ENUMERATOR.match(tb, timeout=PATTERN_TIMEOUT):
        return 0, ""  # （一） 2. 第三条: a list item starts a paragraph
    if a.visible <= LABEL_MAX and not any(not ch.isalnum() for ch in a.text.strip()):
        return 0, ""  # 核心阅读, 第三十九号: a label on a line of its own
    if tb[0] in "，。、；：！？）》”’…,.;:!?)":
        return 12, "join_continuation_punctuation"  # b cannot start anything: ，并且…
    if tb[:1] in _CONTINUATION_FIRST and P.CONTINUATION_START.match(tb, timeout=PATTERN_TIMEOUT):
        return 9, "join_bound_character"  # …通过财税政策的杠杆作 | 用… / …人工智能 | 的…
    if (
        (end[-1:] in _DANGLING or end[-2:-1] in _DANGLING)
        and P.DANGLING_END.search(end, timeout=PATTERN_TIMEOUT)
        and not (looks_like_heading(a.text) and _ends_on_a_word(end))
    ):
        return 9, "join_dangling_word"  # …让当科学家成为无数中国孩子的 | 梦想…
    if ends_with_break(end) or a.unbalanced():
        return 10, "join_open_clause"
    if b.indent and not a.first.indent:
        return 0, ""  # an indented line starts a paragraph
    if end[-1:].isdecimal() and tb[:1] in _UNIT_FIRST:
        return 8, "join_number_cut"  # …到晚上11 | 点多 / …有这样忙的父母，11 | 岁的女儿: a number and its unit
    if a.opener_visible:
        # a block that opens with a lead is body text: judge what follows
        if a.visible <= a.opener_visible:
            return 0, ""
    elif a.length <= 2 * HEADING_MAX and looks_like_heading(a.text) and not _order_line(a.text):  # a longer text is no heading
        ta = a.text
        # 背|影: the two characters at the cut stand side by side elsewhere on the page, a word the
        # column break cut in two; 2019年4月以来，某地… / 由于气温偏低，…: a frame that opens a
        # sentence; a long line with a comma after a finished paragraph.  Each says the heading-shaped
        # line is a paragraph's first line, unless what follows is itself headline-shaped
        rule = (
            "join_split_word" if page_text and _splits_a_word(ta, tb, page_text)
            else "join_opening_clause" if _opens_a_sentence(ta)
            else "join_long_line" if _long_sentence_line(a, i, blocks, tb)
            else ""
        )
        if rule and not ahead.headline_from(i):
            return 3, rule
        # 源，实现… cannot start a paragraph either, but after a heading-shaped line it
        # may be a body that lost its beginning: keeping the boundary is the safer error
        return 0, ""
    if starts_mid_sentence(tb):
        return 8, "join_mid_sentence"
    if (
        i + 1 < len(blocks)
        and looks_like_heading(tb)
        and _structural(i + 1, blocks, roles)
        and ahead.headline_from(i)
    ):
        return 0, ""  # b is the title of the next article (judged whole: its full stop may have been cut off)
    return 6, "join_unfinished_sentence"


def _structural(i: int, blocks: Sequence[Block], roles: Sequence[RoleScores]) -> bool:
    return _opens(roles[i], blocks[i].text.text) or roles[i].role in STRUCTURAL


# What join_evidence's list, bound-character and dangling-word patterns cannot match without, tested first with string operations (most
# gaps are settled by the patterns' failing): the first character of the block below, and the end
# of the paragraph above, which ``$`` may read before a final line break.
_ENUMERATOR_FIRST = frozenset("（(一二三四五六七八九十第①②③④⑤⑥⑦⑧⑨⑩")
_CONTINUATION_FIRST = frozenset("的了着们地得之者其所于过及")
_UNIT_FIRST = frozenset("时点分秒岁年月日号个万亿元角余多%‰℃名人位件次天周倍吨米斤亩条届家项户")
"""What a number is cut from at a break: its unit or measure word (11 | 点多, 300 | 万, 30 | 余次)."""
_DANGLING = frozenset("的和与及在对把被将为从向以而或并且是给跟同让使由当就也都还又再很更最其之这那每各该此")


def _may_enumerate(text: str) -> bool:
    first = text[:1]
    # the pattern's \d is any decimal digit; regex knows digits newer than Python's tables (all astral)
    return first in _ENUMERATOR_FIRST or first.isdecimal() or first > "\uffff"


OPENING_ROLES = frozenset({Role.BYLINE, Role.LEAD, Role.CONTINUED_FROM, Role.TAIL, Role.CREDIT, Role.SUBTITLE})
ENDING = 24  # characters at the end of a paragraph that its ending checks look at
DASHES = ("——", "—", "－－")
"""How a subtitle line opens (——记…): a line that opens so opens a headline stack element, whatever follows."""


def _opens_whole(i: int, blocks: Sequence[Block], roles: Sequence[RoleScores], ahead: HeadlineLookahead) -> bool:
    """A block read as a subtitle by its shape alone opens something only if the whole paragraph
    that starts there keeps that shape (a line whose full stop a break cut onto the next line is
    a sentence); roles read from a formula (byline, lead, tail…) stand as they are."""
    if roles[i].role is not Role.SUBTITLE or blocks[i].text.text.startswith(DASHES):
        return True
    return ahead.headline_from(i)


def _opens(roles: RoleScores, text: str) -> bool:
    """Does the block open a headline stack element, a byline, a lead or a continued part?"""
    return roles.role in OPENING_ROLES or text.startswith(DASHES)


# boundaries ---------------------------------------------------------------------------------
