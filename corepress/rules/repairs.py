"""Generic layout repairs: each a named pass that logs every change it makes.

All passes are idempotent: run on their own output they find nothing to do.
"""

from __future__ import annotations

import re
from typing import Any, List, Optional, Tuple

import attrs

from corepress.rules import patterns as P
from corepress.rules import structure as S
from corepress.rules.text import (
    looks_like_heading,
    visible_length,
)
from corepress.values.hooktypes import PageView, RepairOutcome, RepairRule
from corepress.values.model import Block, Dropped, Repair
from corepress.values.traced import PATTERN_TIMEOUT, Traced

Blocks = Tuple[Block, ...]


def _per_block(blocks: Blocks, fix) -> RepairOutcome:
    out: List[Block] = []
    repairs: List[Repair] = []
    for block in blocks:
        new_block, fixed = fix(block)
        out.append(new_block if fixed else block)  # an untouched block stays the same object
        repairs.extend(fixed)
    if not repairs:  # the flow handed back as it came: the repair check has nothing to prove
        return RepairOutcome(blocks=tuple(blocks))  # the same tuple: tuple() of a tuple is itself
    return RepairOutcome(blocks=tuple(out), repairs=tuple(repairs))


# stage 10 ---------------------------------------------------------------------------------
def markdown_headings(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``# Title`` → a level-1 heading block titled ``Title`` (the marks are logged)."""

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        if not block.text.text.startswith("#"):
            return block, []
        m = P.MARKDOWN_HEADING.match(block.text.text, timeout=PATTERN_TIMEOUT)
        if not m or block.heading:
            return block, []
        text, repairs = block.text.edit([(0, m.end(), "")], rule="markdown_heading")
        return attrs.evolve(block, text=text.strip(), heading=len(m.group("marks"))), repairs

    return _per_block(blocks, fix)


# stage 20 ---------------------------------------------------------------------------------
def _spaced(text: str) -> bool:
    """Does the text hold a space the spacing repairs look at?  Most blocks hold none (checked
    with plain string searches, so their patterns run only on the few that do)."""
    return " " in text or "\u3000" in text or "\u00a0" in text


_ALNUM = re.compile("[0-9A-Za-z%‰℃]")
"""The other side of every space :data:`~corepress.rules.patterns.HAN_SPACE_ALNUM` removes (a plain set: the standard engine)."""


def collapse_letter_spacing_in(text: Traced) -> Tuple[Traced, List[Repair]]:
    """Remove the spaces of letter-spaced runs in one piece of text (the masthead uses it too)."""
    if not _spaced(text.text):
        return text, []
    return text.sub(P.LETTER_SPACED, lambda m: "".join(m.group(0).split()), rule="collapse_letter_spacing")


def collapse_letter_spacing(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``营 口 日 报`` → ``营口日报``; ``新华社记者 胡 喆`` → ``新华社记者 胡喆``."""

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        text, repairs = collapse_letter_spacing_in(block.text)
        return (attrs.evolve(block, text=text) if repairs else block), repairs

    return _per_block(blocks, fix)


def remove_cjk_alnum_spaces(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``第 10 位`` → ``第10位``, ``C919 大飞机`` → ``C919大飞机``; URLs, e-mail and CN serials untouched."""

    def keep(m: Any) -> Optional[str]:
        # the whitespace-separated words either side of the space; read from the space outwards, not by
        # splitting all the text before it, which made a line of thousands of such spaces quadratic
        text = m.string
        before = P.TOKEN_BEFORE.search(text, 0, m.start(), timeout=PATTERN_TIMEOUT)
        after = P.TOKEN_AFTER.match(text, m.end(), timeout=PATTERN_TIMEOUT)
        left = before.group(1) if before is not None else ""
        right = after.group(1) if after is not None else ""
        if P.PROTECTED_TOKEN.search(left) or P.PROTECTED_TOKEN.search(right):
            return None
        return ""

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        if not _spaced(block.text.text) or _ALNUM.search(block.text.text) is None:
            return block, []
        text, repairs = block.text.sub(P.HAN_SPACE_ALNUM, keep, rule="remove_cjk_alnum_space")
        return (attrs.evolve(block, text=text) if repairs else block), repairs

    return _per_block(blocks, fix)


# stage 25 ---------------------------------------------------------------------------------
FORMULA_CUT_MAX = 30
"""Visible characters up to which the pieces before the last may hold part of a formula cut by line breaks."""
FORMULA_PIECES = 8
"""The most pieces a formula is read from: 《 | 人民日报》 | 评论员, 《 | 人 | 民日报》记者 吴 | 月辉 (a
bracket on a line of its own, breaks inside a name); the pieces before the last hold at most
:data:`FORMULA_CUT_MAX` visible characters, which bounds the search on its own for any real formula."""


def join_cut_formula(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``新华社北京1月14`` | ``日电　…``, ``（上接`` | ``第一版）…``, ``《`` | ``人民日报》记者 王明``: a lead,
    continued-part formula or byline that line breaks cut is put back together before the blocks
    are classified, so that it is read as the formula it is (its agency, dateline, page, reporters);
    each break is logged as a column-break join."""
    out: List[Block] = []
    repairs: List[Repair] = []
    i = 0
    while i < len(blocks):
        pieces = _formula_pieces(blocks, i)
        current = blocks[i]
        for nxt in blocks[i + 1:i + pieces]:
            start, end = current.text.span[1], nxt.text.span[0]
            repairs.append(Repair(rule="join_column_break", span=(start, end), before=page.text[start:end], after=""))
            current = attrs.evolve(current, text=Traced.join([current.text, nxt.text]), hard_break=nxt.hard_break)
        out.append(current)
        i += pieces
    if not repairs:
        return RepairOutcome(blocks=blocks)
    return RepairOutcome(blocks=tuple(out), repairs=tuple(repairs))


def _formula_pieces(blocks: Blocks, i: int) -> int:
    """How many blocks from ``blocks[i]`` on are one formula cut by line breaks (1: none is)."""
    upper = blocks[i]
    head = upper.text.text
    if head[:1] not in S.OPENER_FIRST or upper.heading or upper.hint or visible_length(head) > FORMULA_CUT_MAX or _formula(head):
        return 1
    text = head
    for n in range(1, FORMULA_PIECES):
        if i + n >= len(blocks) or blocks[i + n - 1].hard_break:
            return 1
        lower = blocks[i + n]
        rest = lower.text.text
        if lower.heading or lower.hint or _formula(rest):
            return 1  # 新突破 | 本报讯…: the lower line is a whole formula; what is above it is no part of it
        if S.byline(text + rest):
            return n + 1  # 《 | 人民日报》记者 王明: a byline (a block of its own) cut
        joined = text + rest[:FORMULA_CUT_MAX]
        formula = S.lead_at_start(joined) or S.continued_from(joined)
        if formula is not None and formula.end > len(text):
            return n + 1
        text += rest
        if visible_length(text) > FORMULA_CUT_MAX:
            return 1
    return 1


def _formula(text: str) -> bool:
    return bool(S.lead_at_start(text) or S.continued_from(text) or S.byline(text))


# stage 30 ---------------------------------------------------------------------------------
def split_repeated_kicker(blocks: Blocks, page: PageView) -> RepairOutcome:
    """A kicker printed on the title line and repeated on its own line.

    ``K T`` followed by ``K`` (or ``K`` followed by ``K T``): the title line is split
    into a kicker block and a title block, and the repetition is dropped.
    """
    out: List[Block] = []
    repairs: List[Repair] = []
    dropped: List[Dropped] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        split = _kicker_split(block, nxt) if nxt is not None else None
        if split is not None:
            kicker, title, repeated = split
            out.append(attrs.evolve(block, text=kicker, hint="kicker"))
            out.append(attrs.evolve(block, text=title, hint="title", gap_before=0))
            dropped.append(Dropped(reason="repeated_kicker", text=repeated))
            i += 2
            continue
        reverse = _kicker_split(nxt, block) if nxt is not None else None
        if reverse is not None and nxt is not None:
            kicker, title, repeated = reverse
            out.append(attrs.evolve(block, hint="kicker"))
            out.append(attrs.evolve(nxt, text=title, hint="title"))
            dropped.append(Dropped(reason="repeated_kicker", text=kicker))
            i += 2
            continue
        out.append(block)
        i += 1
    if not dropped:  # nothing split: the flow handed back as it came
        return RepairOutcome(blocks=tuple(blocks))  # the same tuple: tuple() of a tuple is itself
    return RepairOutcome(blocks=tuple(out), repairs=tuple(repairs), dropped=tuple(dropped))


def _kicker_split(merged: Block, repeat: Block) -> Optional[Tuple[Traced, Traced, Traced]]:
    kicker = repeat.text.text
    text = merged.text.text
    if merged.hint or repeat.hint or not text.startswith(kicker):
        return None
    if len(text) <= len(kicker) or not text[len(kicker)].isspace() or visible_length(kicker) < 4:
        return None
    if not looks_like_heading(kicker) or visible_length(text) > 2 * 40:
        return None
    title = merged.text[len(kicker):].strip()
    if not looks_like_heading(title.text):
        return None  # what follows the repeated words is a sentence, not a title: a cut paragraph
    return merged.text[: len(kicker)], title, repeat.text


# stage 50 ---------------------------------------------------------------------------------
def normalize_brackets(blocks: Blocks, page: PageView) -> RepairOutcome:
    """Half-width brackets around or beside CJK text become full-width (only when asked)."""
    if not page.options.normalize_brackets:
        return RepairOutcome(blocks=blocks)

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        def full(m) -> str:
            inner = m.group("inner") if m.group("inner") is not None else m.group("inner2")
            return f"（{inner}）"

        text, repairs = block.text.sub(P.HALF_WIDTH_PAREN, full, rule="normalize_brackets")
        return (attrs.evolve(block, text=text) if repairs else block), repairs

    return _per_block(blocks, fix)


GENERIC_RULES = (
    RepairRule("markdown_headings", 10, markdown_headings, "Markdown # marks become heading levels"),
    RepairRule("collapse_letter_spacing", 20, collapse_letter_spacing, "营 口 日 报 → 营口日报"),
    RepairRule("remove_cjk_alnum_spaces", 21, remove_cjk_alnum_spaces, "第 10 位 → 第10位"),
    RepairRule("join_cut_formula", 25, join_cut_formula, "新华社北京1月14 | 日电 → one lead formula"),
    RepairRule("split_repeated_kicker", 30, split_repeated_kicker, "kicker on the title line, repeated below"),
    RepairRule("normalize_brackets", 50, normalize_brackets, "half-width brackets in CJK text (opt-in)"),
)
