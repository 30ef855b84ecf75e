"""Generic votes on what each block of the repaired flow is.

Weights: 10 a role a repair rule already established (hint), 8 a formula that
cannot be anything else (lead, byline, jump, advert issuer), 6 a strong
headline cue (——subtitle, known column), 4 a weak cue (kicker wording),
3 heading-shaped, 1 body text.  Paper plugins vote with the same scale.
"""

from __future__ import annotations

from typing import List

from corepress.rules import patterns as P
from corepress.rules import structure as S
from corepress.rules.text import TITLE_MAX, looks_like_heading, visible_length
from corepress.values.hooktypes import PageView
from corepress.values.model import Block, Vote
from corepress.values.traced import PATTERN_TIMEOUT

RULE = "generic"


def classify(block: Block, position: int, page: PageView) -> List[Vote]:
    text = block.text.text
    votes: List[Vote] = []
    if block.hint:
        votes.append(Vote(block.hint, 10, f"{RULE}:hint"))
    if block.heading:
        role = "subtitle" if text.startswith(("——", "—")) else "heading"
        votes.append(Vote(role, 5, f"{RULE}:markdown_heading"))

    marker = S.byline(text)
    if marker:
        votes.append(Vote("byline", 8, f"{RULE}:byline", (marker,)))
        return votes
    marker = S.continued_from(text)
    if marker:
        votes.append(Vote("continued_from", 8, f"{RULE}:continued_from", (marker,) + _tails(text, marker[2])))
        return votes
    marker = S.lead_at_start(text)
    if marker and marker[2] >= len(text.rstrip()) and not marker[3].get("reporters") and marker[3].get("dateline"):
        # a bare dateline with nothing after it closes an article: 新华社北京3月31日电
        votes.append(Vote("tail", 8, f"{RULE}:dateline_tail", (("tail",) + marker[1:3] + (marker[3],),)))
        return votes
    if marker:
        votes.append(Vote("lead", 8, f"{RULE}:lead", (marker,) + _tails(text, marker[2])))
        return votes

    tails = S.tails(text)
    if tails and tails[0][1] == 0:  # the whole block is a tail formula
        role = "credit" if tails[0][0] == "credit" else "tail"
        votes.append(Vote(role, 8, f"{RULE}:tail", tuple(tails)))
        return votes
    if P.ADVERT_ISSUER.search(text, timeout=PATTERN_TIMEOUT):
        votes.append(Vote("advert", 8, f"{RULE}:advert_issuer"))
        return votes

    heading_shaped = looks_like_heading(text, limit=TITLE_MAX)
    if heading_shaped or block.heading:
        if P.SUBTITLE.match(text, timeout=PATTERN_TIMEOUT):
            votes.append(Vote("subtitle", 6, f"{RULE}:subtitle"))
        if page.paper is not None and text in page.paper.columns:
            votes.append(Vote("column", 7, f"{RULE}:known_column"))
        elif P.COLUMN.match(text, timeout=PATTERN_TIMEOUT):
            votes.append(Vote("column", 6, f"{RULE}:column_words"))
        if P.KICKER.search(text, timeout=PATTERN_TIMEOUT):
            votes.append(Vote("kicker", 4, f"{RULE}:kicker_words"))
        if P.BADGE.search(text, timeout=PATTERN_TIMEOUT) and visible_length(text) <= 20:
            votes.append(Vote("badge", 4, f"{RULE}:badge_words"))
        votes.append(Vote("heading", 3, f"{RULE}:heading_shape"))
    votes.append(Vote("text", 1, f"{RULE}:text", tuple(tails)))
    return votes


def _tails(text: str, after: int):
    return tuple(m for m in S.tails(text) if m[1] >= after)


def lead_vote(text: str, end: int, value, rule: str, weight: float = 9) -> Vote:
    """A lead vote for a formula a paper plugin recognised, with the block's tail markers."""
    return Vote("lead", weight, rule, (("lead", 0, end, value),) + _tails(text, end))
