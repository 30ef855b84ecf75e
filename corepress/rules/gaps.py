"""The generic rules' evidence about gaps: join (a column break), same article, or new article.

Two passes over the flow, each a set of named rules with log-odds weights:

* **joins** (:func:`join_evidence`), left to right over the paragraph built so
  far: a block that does not end a sentence continues into the next when it
  ends in punctuation that promises more, when the next starts where a sentence
  cannot, or when it is too long or too sentence-like to be a heading;
* **boundaries** (:func:`boundary_evidence`), over the units the joins leave,
  with what is known of the article that is open: a headline stack after body
  text starts a new article, unless it is a single plain heading inside an open
  article followed by body text (a subhead); bylines, leads and continued parts
  open articles; closing formulas close them.

Weights: 10+ a formula or layout fact that a weak statistical score must not
overrule, 6–8 a clear cue, 2–4 a weak cue.
"""

from __future__ import annotations

import math
from typing import List, Optional, Sequence, Set, Tuple

import attrs

from corepress.rules import patterns as P
from corepress.rules.layout import indented_layout
from corepress.rules.structure import closing_line
from corepress.rules.text import (
    ends_sentence,
    ends_with_break,
    looks_like_heading,
    starts_mid_sentence,
    unbalanced,
    visible_length,
)
from corepress.values.hooktypes import PageView
from corepress.values.model import Block
from corepress.values.scores import (
    CLOSING_MARKS,
    CLOSING_ROLES,
    DROPPED_ROLES,
    HEADLINE_ROLES,
    GapLabel,
    GapScore,
    MarkKind,
    Role,
    RoleScores,
)
from corepress.values.traced import PATTERN_TIMEOUT

RULE = "generic"
HEADLINE = HEADLINE_ROLES | {Role.SUBHEAD}
STRUCTURAL = frozenset({Role.BYLINE, Role.LEAD, Role.CONTINUED_FROM, Role.TAIL, Role.CREDIT, Role.ADVERT, Role.BADGE})
LABEL_MAX = 6  # visible characters up to which an unpunctuated line is a label, never a cut paragraph
PHOTO_CAPTIONS = 3  # at most this many caption paragraphs between a photo title and its credit
CAPTION_MAX = 200  # characters: a longer paragraph is article text, not a caption


def score_gaps(page: PageView, roles: Sequence[RoleScores]) -> List[GapScore]:
    blocks = page.blocks
    scores: List[GapScore] = []
    indented = indented_layout(blocks)
    units = _join_pass(blocks, roles, scores, indented)
    if indented:
        _indent_pass(units, blocks, scores)
    _boundary_pass(units, scores)
    return scores


def _indent_pass(units: Sequence["_Unit"], blocks: Sequence[Block], scores: List[GapScore]) -> None:
    """On an indented page: an unindented line after indented body opens an article; indented lines never do."""
    for prev, unit in zip(units, units[1:]):
        upper, lower = blocks[prev.last].indent, blocks[unit.first].indent
        gap = unit.first - 1
        if upper and not lower:
            scores.append(GapScore(gap, GapLabel.NEW, 12, f"{RULE}:indent_headline_after_body"))
        elif not upper and not lower and prev.role in HEADLINE:
            scores.append(GapScore(gap, GapLabel.SAME, 8, f"{RULE}:indent_headline_stack"))
        elif lower:
            scores.append(GapScore(gap, GapLabel.SAME, 10, f"{RULE}:indent_body_continues"))


# joins --------------------------------------------------------------------------------------
@attrs.frozen
class _Unit:
    first: int
    last: int
    role: Role
    text: str
    closing: bool  # ends with a closing formula (a tail, an author note, a jump…)
    credit: bool  # carries a photo credit
    heading: int  # Markdown heading level of its first block


@attrs.define
class _Para:
    """The paragraph the join pass has built so far: its text and what its first and last blocks say."""

    first: Block
    last: Block
    last_roles: RoleScores
    text: str
    opener_end: int  # where a lead or continued-part formula at its start ends (0: none)

    @classmethod
    def start(cls, block: Block, roles: RoleScores) -> "_Para":
        opener = max((m.end for m in roles.marks if m.kind in (MarkKind.LEAD, MarkKind.CONTINUED_FROM) and m.start == 0), default=0)
        return cls(block, block, roles, block.text.text, opener)

    def extend(self, block: Block, roles: RoleScores) -> None:
        self.last, self.last_roles, self.text = block, roles, self.text + block.text.text


def _join_pass(blocks: Sequence[Block], roles: Sequence[RoleScores], scores: List[GapScore], indented: bool) -> List[_Unit]:
    units: List[_Unit] = []
    para: Optional[_Para] = None
    page_text = "".join(b.text.text for b in blocks)  # the blocks run together: the page as a dictionary
    for i, block in enumerate(blocks):
        if para is not None and not (indented and not _indented_continuation(para.last, block)):
            weight, rule = join_evidence(para, block, i, blocks, roles, page_text)
            if para.text.endswith("—") and _leads_into_headline(i, blocks, roles):
                weight = 0  # a line that leads into a headline with a dash (a kicker) is a line of its own
            if weight > 0 and _joinable(units[-1], roles[i].role) and not units[-1].closing:
                scores.append(GapScore(i - 1, GapLabel.JOIN, weight, f"{RULE}:{rule}"))
                para.extend(block, roles[i])
                prev = units.pop()
                units.append(_glued(prev, roles[i], i, para.text))
                continue
        para = _Para.start(block, roles[i])
        units.append(_Unit(i, i, roles[i].role, block.text.text, _closes(roles[i]), _credit(roles[i]), block.heading))
    return units


def _indented_continuation(a: Block, b: Block) -> bool:
    """On an indented page an indented line starts a paragraph; an unindented line may continue the
    paragraph above (a column break in an indented dump), unless it has the shape of a headline."""
    return not b.indent and not (a.indent and looks_like_heading(b.text.text))


def _credit(roles: RoleScores) -> bool:
    return roles.role is Role.CREDIT or roles.has_mark(MarkKind.CREDIT)


def _closes(roles: RoleScores) -> bool:
    return roles.role in CLOSING_ROLES or any(m.kind in CLOSING_MARKS for m in roles.marks)


NEVER_JOINED_FROM = (STRUCTURAL - {Role.LEAD, Role.CONTINUED_FROM}) | {Role.COLUMN}


def _joinable(upper: _Unit, lower: Role) -> bool:
    return upper.role not in NEVER_JOINED_FROM and lower not in STRUCTURAL and lower is not Role.COLUMN


def _leads_into_headline(i: int, blocks: Sequence[Block], roles: Sequence[RoleScores]) -> bool:
    """Does a line ending in —— lead into a headline (a kicker) rather than into the rest of its sentence?

    Judged on the whole paragraph that starts at ``blocks[i]`` (with its own column breaks
    joined), so the decision is the same on the page and on its repaired text.
    """
    return looks_like_heading(_paragraph_from(i, blocks, roles, "".join(b.text.text for b in blocks)))


def _paragraph_from(i: int, blocks: Sequence[Block], roles: Sequence[RoleScores], page_text: str) -> str:
    """The text of the paragraph that starts at ``blocks[i]``, its own column breaks joined.

    Decisions that look at the block below judge this whole paragraph, so they come out the
    same on the page and on its repaired text (where that paragraph is one block).
    """
    para = _Para.start(blocks[i], roles[i])
    k = i + 1
    while k < len(blocks) and join_evidence(para, blocks[k], k, blocks, roles, page_text)[0] > 0:
        para.extend(blocks[k], roles[k])
        k += 1
    return para.text


def _glued(prev: _Unit, roles: RoleScores, index: int, text: str) -> _Unit:
    role = prev.role if prev.role in (Role.LEAD, Role.CONTINUED_FROM, Role.TEXT) else (Role.TEXT if roles.role is Role.TEXT else prev.role)
    closing = _closes(roles) or closing_line(text) is not None  # a closing note cut by a column break
    return _Unit(prev.first, index, role, text, closing, prev.credit or _credit(roles), prev.heading)


def _splits_a_word(ta: str, tb: str, page_text: str) -> bool:
    """Do the last character of ``ta`` and the first of ``tb`` (ideographs both) occur together elsewhere
    on the page?  The page is its own dictionary: words recur within a story."""
    if not (ta and tb and P.HAN.match(ta[-1]) and P.HAN.match(tb[0])):
        return False
    return page_text.count(ta[-1] + tb[0]) >= 2  # once at the cut itself (the blocks run together there)


def join_evidence(
    a: _Para, b: Block, i: int, blocks: Sequence[Block], roles: Sequence[RoleScores], page_text: str = ""
) -> Tuple[float, str]:
    """How strongly paragraph ``a`` continues into ``b = blocks[i]`` (0: it does not).

    What the classification already found is read from ``roles`` (a tail formula at the
    end of ``a``, a formula opening ``b``), never searched for again.
    """
    ta, tb = a.text, b.text.text
    end = ta[-ENDING:]
    if a.first.heading or b.heading or a.first.hint or b.hint or a.last.hard_break:
        return 0, ""
    if ends_sentence(end) or _closes(a.last_roles) or _opens(roles[i], tb):
        return 0, ""  # a sentence end, or a jump/tail formula, ends the paragraph
    if P.ENUMERATOR.match(tb, timeout=PATTERN_TIMEOUT):
        return 0, ""  # （一） 2. 第三条: a list item starts a paragraph
    if visible_length(ta) <= LABEL_MAX and not any(not ch.isalnum() for ch in ta.strip()):
        return 0, ""  # 核心阅读, 第三十九号: a label on a line of its own
    if tb[0] in "，。、；：！？）》”’…,.;:!?)":
        return 12, "join_continuation_punctuation"  # b cannot start anything: ，并且…
    if P.CONTINUATION_START.match(tb, timeout=PATTERN_TIMEOUT):
        return 9, "join_bound_character"  # …通过财税政策的杠杆作 | 用… / …人工智能 | 的…
    if P.DANGLING_END.search(end, timeout=PATTERN_TIMEOUT):
        return 9, "join_dangling_word"  # …让当科学家成为无数中国孩子的 | 梦想…
    if ends_with_break(end) or unbalanced(ta):
        return 10, "join_open_clause"
    if b.indent and not a.first.indent:
        return 0, ""  # an indented line starts a paragraph
    if a.opener_end:
        ta = ta[a.opener_end:].strip()  # a block that opens with a lead is body text: judge what follows
        if not ta:
            return 0, ""
    elif looks_like_heading(ta):
        if page_text and _splits_a_word(ta, tb, page_text) and not looks_like_heading(
            _paragraph_from(i, blocks, roles, page_text)
        ):
            # the two characters at the cut stand side by side elsewhere on the page: a word
            # the column break cut in two (背|影), so the heading-shaped line is a paragraph's start
            return 3, "join_split_word"
        # 源，实现… cannot start a paragraph either, but after a heading-shaped line it
        # may be a body that lost its beginning: keeping the boundary is the safer error
        return 0, ""
    if starts_mid_sentence(tb):
        return 8, "join_mid_sentence"
    if i + 1 < len(blocks) and looks_like_heading(tb) and _structural(i + 1, blocks, roles):
        return 0, ""  # b is the title of the next article
    return 6, "join_unfinished_sentence"


def _structural(i: int, blocks: Sequence[Block], roles: Sequence[RoleScores]) -> bool:
    return _opens(roles[i], blocks[i].text.text) or roles[i].role in STRUCTURAL


OPENING_ROLES = frozenset({Role.BYLINE, Role.LEAD, Role.CONTINUED_FROM, Role.TAIL, Role.CREDIT, Role.SUBTITLE})
ENDING = 24  # characters at the end of a paragraph that its ending checks look at


def _opens(roles: RoleScores, text: str) -> bool:
    """Does the block open a headline stack element, a byline, a lead or a continued part?"""
    return roles.role in OPENING_ROLES or text.startswith(("——", "—", "－－"))


# boundaries ---------------------------------------------------------------------------------
@attrs.define
class _Article:
    """What the boundary pass knows of the article that is open."""

    started: bool = False  # body, byline or lead seen
    paragraphs: int = 0
    closed: bool = False
    has_lead: bool = False


def _boundary_pass(units: Sequence[_Unit], scores: List[GapScore]) -> None:
    state = _Article()
    prev: Optional[_Unit] = None  # the last unit that is not dropped furniture
    for k, unit in enumerate(units):
        if unit.role in DROPPED_ROLES:
            continue
        if prev is not None:
            evidence = boundary_evidence(units, k, prev, state)
            totals = {GapLabel.SAME: 0.0, GapLabel.NEW: -1.0}  # the decoder's priors, to follow its decision
            for label, weight, rule in evidence:
                scores.append(GapScore(unit.first - 1, label, weight, f"{RULE}:{rule}"))
                totals[label] = totals.get(label, 0.0) + weight
            if totals[GapLabel.NEW] > totals[GapLabel.SAME]:
                state = _Article()
        _advance(state, unit)
        prev = unit


def _advance(state: _Article, unit: _Unit) -> None:
    role = unit.role
    if role in HEADLINE:
        if state.started:
            state.paragraphs += 1  # a subhead
        return
    if role is Role.BYLINE:
        state.started = True
    elif role in CLOSING_ROLES:
        state.closed = True
    else:
        state.started = True
        state.paragraphs += 1
        if role is Role.LEAD:
            state.has_lead = True
    if unit.closing:
        state.closed = True


def boundary_evidence(units: Sequence[_Unit], k: int, prev: _Unit, state: _Article) -> List[Tuple[GapLabel, float, str]]:
    """Evidence about the gap before ``units[k]``, given the unit before it and the open article."""
    role = units[k].role
    after_headline = prev.role in HEADLINE
    if role in HEADLINE:
        if after_headline:
            return [(GapLabel.SAME, 6, "headline_stack_continues")]
        return _headline_after_body(units, k, state)
    return [_other_unit(units, k, prev, state)]


def _other_unit(units: Sequence[_Unit], k: int, prev: _Unit, state: _Article) -> Tuple[GapLabel, float, str]:
    role = units[k].role
    after_headline = prev.role in HEADLINE
    if role in (Role.BYLINE, Role.CONTINUED_FROM):
        if after_headline:
            return GapLabel.SAME, 8, f"{role.value}_under_headline"
        return GapLabel.NEW, 8, f"{role.value}_opens_article"
    if role is Role.LEAD:
        if after_headline or prev.role is Role.BYLINE:
            return GapLabel.SAME, 8, "lead_under_headline"
        if state.closed or state.has_lead:
            return GapLabel.NEW, 8, "second_lead_opens_article"
        return GapLabel.SAME, 3, "lead_after_summary"  # 编者按, a summary or a deck before the lead
    if role in CLOSING_ROLES:
        return GapLabel.SAME, 4, "closing_formula_ends_article"
    if after_headline or prev.role is Role.BYLINE:
        return GapLabel.SAME, 6, "body_under_headline"
    return GapLabel.SAME, 3, "body_continues"


def _headline_after_body(units: Sequence[_Unit], k: int, state: _Article) -> List[Tuple[GapLabel, float, str]]:
    """A headline unit after body text: a new article's stack, or a subhead of the open one."""
    end = k
    while end < len(units) and units[end].role in HEADLINE:
        end += 1
    stack = units[k:end]
    after = units[end] if end < len(units) else None
    head = units[k]
    if after is None:
        return [(GapLabel.NEW, 2, "headline_ends_page")]
    if after.role in (Role.BYLINE, Role.LEAD, Role.CONTINUED_FROM):
        return [(GapLabel.NEW, 8, f"headline_over_{after.role.value}")]
    if after.role is Role.CREDIT:
        return [(GapLabel.NEW, 6, "photo_title")]
    if after.role in DROPPED_ROLES or after.role is Role.TAIL:
        return [(GapLabel.NEW, 2, f"headline_over_{after.role.value}")]
    if not state.started or state.closed:
        return [(GapLabel.NEW, 6, "headline_after_closed_article" if state.closed else "headline_opens_page")]
    if head.heading or head.role in (Role.TITLE, Role.COLUMN):
        return [(GapLabel.NEW, 6, f"{head.role.value}_opens_article")]
    if head.role is Role.SUBTITLE:  # a ——line or 某某主持 first: an attribution or deck inside the article
        return [(GapLabel.NEW, 1, "subtitle_opens_article")] + _cohesion_evidence(units, k)
    if head.role is not Role.HEADING:  # a kicker by its wording: some evidence, not proof
        return [(GapLabel.NEW, 4, f"{head.role.value}_opens_article")] + _cohesion_evidence(units, k)
    # a plain heading inside an open article: weigh what makes a title against what makes a subhead
    evidence: List[Tuple[GapLabel, float, str]] = [(GapLabel.SAME, 1, "heading_inside_open_article")]
    if len(stack) > 1:
        evidence.append((GapLabel.NEW, 2, "headline_stack"))
    if any(u.role is Role.SUBTITLE for u in stack[1:]):
        evidence.append((GapLabel.NEW, 4, "title_over_subtitle"))  # ——副题 / 某某主持 under it: a title
    if any(P.COLUMN_LABEL_END.search(u.text, timeout=PATTERN_TIMEOUT) for u in stack):
        evidence.append((GapLabel.NEW, 5, "title_with_column_label"))
    if after.role is Role.TEXT and P.LEDE_OPENER.match(after.text, timeout=PATTERN_TIMEOUT):
        evidence.append((GapLabel.NEW, 1, "news_lede_follows"))
    if all(_inner_comma(u.text) for u in stack):
        evidence.append((GapLabel.SAME, 3, "heading_with_comma_is_subhead"))
    if _photo_follows(units, end):
        evidence.append((GapLabel.NEW, 4, "photo_title"))
    return evidence + _cohesion_evidence(units, k)


def _cohesion_evidence(units: Sequence[_Unit], k: int) -> List[Tuple[GapLabel, float, str]]:
    cohesion = lexical_cohesion(units, k)
    if cohesion < COHESION_SHIFT:
        return [(GapLabel.NEW, 3, "topic_shift")]
    if cohesion < COHESION_WEAK:
        return [(GapLabel.NEW, 1, "weak_topic_link")]
    if cohesion >= COHESION_STRONG:
        return [(GapLabel.SAME, 2, "topic_continues")]
    return []


COHESION_WINDOW = 300  # characters of text on each side of a heading that are compared
COHESION_SHIFT, COHESION_WEAK, COHESION_STRONG = 0.02, 0.04, 0.06
"""Cohesion below which the text after a heading shares almost no vocabulary with the text before it
(a new story), and above which it clearly goes on with the same subject (a subhead)."""


def lexical_cohesion(units: Sequence[_Unit], k: int) -> float:
    """How much vocabulary the text before gap ``k`` shares with the text after it (TextTiling's idea).

    Character bigrams of ideographs stand in for words; the score is the overlap of the two
    windows' bigram sets over the geometric mean of their sizes.  A subhead sits inside one
    story, so the words around it recur; a new title starts a new subject.
    """
    before = "".join(u.text for u in units[max(0, k - 8):k])[-COHESION_WINDOW:]
    after = "".join(u.text for u in units[k:k + 8])[:COHESION_WINDOW]
    left, right = _bigrams(before), _bigrams(after)
    if not left or not right:
        return 1.0  # nothing to compare: say nothing
    return len(left & right) / math.sqrt(len(left) * len(right))


def _bigrams(text: str) -> Set[str]:
    han = "".join(P.HAN.findall(text))
    return {han[i:i + 2] for i in range(len(han) - 1)}


def _inner_comma(text: str) -> bool:
    return any(ch in text for ch in "，,；;：:")


def _photo_follows(units: Sequence[_Unit], start: int) -> bool:
    """At most ``PHOTO_CAPTIONS`` short paragraphs, then a credit: a photo's title, captions and credit."""
    for n, unit in enumerate(units[start:start + PHOTO_CAPTIONS + 1]):
        if unit.credit:
            return n >= 1 or unit.role is not Role.CREDIT
        if unit.role is not Role.TEXT or len(unit.text) > CAPTION_MAX:
            return False
    return False
