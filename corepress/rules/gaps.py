"""The generic rules' evidence about gaps: join (a column break), same article, or new article.

Passes over the flow, each a set of named rules with log-odds weights:

* **joins** (:mod:`corepress.rules.joins`): which blocks are one paragraph cut by
  a column or page break;
* **layout** (:func:`_indent_pass`), on a consistently indented page only: an
  unindented line after indented body opens an article, indented lines never do;
* **boundaries** (:func:`boundary_evidence`), over the units the joins leave,
  with what is known of the article that is open: bylines, leads and continued
  parts open articles, closing formulas close them, and a heading inside an
  open article is weighed — column label, subtitle under it, lexical cohesion
  with the text around it (:mod:`corepress.rules.cohesion`) — between title and subhead.

Weights: 10+ a formula or layout fact that a weak statistical score must not
overrule, 6–8 a clear cue, 2–4 a weak cue.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import attrs

from corepress.pipeline.decode import PRIORS
from corepress.rules import patterns as P
from corepress.rules.cohesion import COHESION_SHIFT, COHESION_STRONG, COHESION_WEAK, lexical_cohesion
from corepress.rules.joins import RULE, Unit, join_pass
from corepress.rules.layout import page_is_indented
from corepress.values.hooktypes import PageView
from corepress.values.model import Block
from corepress.values.scores import CLOSING_ROLES, DROPPED_ROLES, HEADLINE_ROLES, GapLabel, GapScore, Role, RoleScores
from corepress.values.traced import PATTERN_TIMEOUT

HEADLINE = HEADLINE_ROLES | {Role.SUBHEAD}
PHOTO_CAPTIONS = 3  # at most this many caption paragraphs between a photo title and its credit
CAPTION_MAX = 200  # characters: a longer paragraph is article text, not a caption


def score_gaps(page: PageView, roles: Sequence[RoleScores]) -> List[GapScore]:
    blocks = page.blocks
    scores: List[GapScore] = []
    indented = page_is_indented(page)  # as the classifier saw it: computed once per page
    units = join_pass(blocks, roles, scores, indented)
    if indented:
        _indent_pass(units, blocks, scores)
    _boundary_pass(units, scores)
    return scores


def _indent_pass(units: Sequence["Unit"], blocks: Sequence[Block], scores: List[GapScore]) -> None:
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
@attrs.define
class _Article:
    """What the boundary pass knows of the article that is open."""

    started: bool = False  # body, byline or lead seen
    paragraphs: int = 0
    closed: bool = False
    has_lead: bool = False


def _boundary_pass(units: Sequence[Unit], scores: List[GapScore]) -> None:
    state = _Article()
    prev: Optional[Unit] = None  # the last unit that is not dropped furniture
    for k, unit in enumerate(units):
        if unit.role in DROPPED_ROLES:
            continue
        if prev is not None:
            evidence = boundary_evidence(units, k, prev, state)
            totals = dict(PRIORS)  # start where the decoder starts, to follow its decision
            for label, weight, rule in evidence:
                scores.append(GapScore(unit.first - 1, label, weight, f"{RULE}:{rule}"))
                totals[label] = totals.get(label, 0.0) + weight
            if totals[GapLabel.NEW] > totals[GapLabel.SAME]:
                state = _Article()
        _advance(state, unit)
        prev = unit


def _advance(state: _Article, unit: Unit) -> None:
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


def boundary_evidence(units: Sequence[Unit], k: int, prev: Unit, state: _Article) -> List[Tuple[GapLabel, float, str]]:
    """Evidence about the gap before ``units[k]``, given the unit before it and the open article."""
    role = units[k].role
    after_headline = prev.role in HEADLINE
    if role in HEADLINE:
        if after_headline:
            return [(GapLabel.SAME, 6, "headline_stack_continues")]
        return _headline_after_body(units, k, state)
    return [_other_unit(units, k, prev, state)]


def _other_unit(units: Sequence[Unit], k: int, prev: Unit, state: _Article) -> Tuple[GapLabel, float, str]:
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


def _headline_after_body(units: Sequence[Unit], k: int, state: _Article) -> List[Tuple[GapLabel, float, str]]:
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
    if P.PICTURE_LABEL.match(head.text, timeout=PATTERN_TIMEOUT):  # 图片报道 heads a picture story, never a section
        return [(GapLabel.NEW, 6, "picture_label_opens_article")]
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


def _cohesion_evidence(units: Sequence[Unit], k: int) -> List[Tuple[GapLabel, float, str]]:
    before = "".join(u.text for u in units[max(0, k - 8):k])
    after = "".join(u.text for u in units[k:k + 8])
    cohesion = lexical_cohesion(before, after)
    if cohesion < COHESION_SHIFT:
        return [(GapLabel.NEW, 3, "topic_shift")]
    if cohesion < COHESION_WEAK:
        return [(GapLabel.NEW, 1, "weak_topic_link")]
    if cohesion >= COHESION_STRONG:
        return [(GapLabel.SAME, 2, "topic_continues")]
    return []


def _inner_comma(text: str) -> bool:
    return any(ch in text for ch in "，,；;：:")


def _photo_follows(units: Sequence[Unit], start: int) -> bool:
    """At most ``PHOTO_CAPTIONS`` short paragraphs, then a credit: a photo's title, captions and credit."""
    for n, unit in enumerate(units[start:start + PHOTO_CAPTIONS + 1]):
        if unit.credit:
            return n >= 1 or unit.role is not Role.CREDIT
        if unit.role is not Role.TEXT or len(unit.text) > CAPTION_MAX:
            return False
    return False
