"""Generic layout repairs: each a named pass that logs every change it makes.

All passes are idempotent: run on their own output they find nothing to do.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

import attrs

from corepress.rules import patterns as P
from corepress.rules.structure import continued_from, lead_at_start, opens_structure, tails
from corepress.rules.text import (
    ends_sentence,
    ends_with_break,
    looks_like_heading,
    starts_mid_sentence,
    unbalanced,
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
        out.append(new_block)
        repairs.extend(fixed)
    return RepairOutcome(blocks=tuple(out), repairs=tuple(repairs))


# stage 10 ---------------------------------------------------------------------------------
def markdown_headings(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``# Title`` → a level-1 heading block titled ``Title`` (the marks are logged)."""

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        m = P.MARKDOWN_HEADING.match(block.text.text, timeout=PATTERN_TIMEOUT)
        if not m or block.heading:
            return block, []
        text, repairs = block.text.edit([(0, m.end(), "")], rule="markdown_heading")
        return attrs.evolve(block, text=text.strip(), heading=len(m.group("marks"))), repairs

    return _per_block(blocks, fix)


# stage 20 ---------------------------------------------------------------------------------
def collapse_letter_spacing_in(text: Traced) -> Tuple[Traced, List[Repair]]:
    """Remove the spaces of letter-spaced runs in one piece of text (the masthead uses it too)."""
    return text.sub(P.LETTER_SPACED, lambda m: "".join(m.group(0).split()), rule="collapse_letter_spacing")


def collapse_letter_spacing(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``营 口 日 报`` → ``营口日报``; ``新华社记者 胡 喆`` → ``新华社记者 胡喆``."""

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        text, repairs = collapse_letter_spacing_in(block.text)
        return attrs.evolve(block, text=text), repairs

    return _per_block(blocks, fix)


def remove_cjk_alnum_spaces(blocks: Blocks, page: PageView) -> RepairOutcome:
    """``第 10 位`` → ``第10位``, ``C919 大飞机`` → ``C919大飞机``; URLs, e-mail and CN serials untouched."""

    def keep(m: Any) -> Optional[str]:
        text = m.string
        left = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
        right = text[m.end():].split(None, 1)[0] if text[m.end():].strip() else ""
        if P.PROTECTED_TOKEN.search(left) or P.PROTECTED_TOKEN.search(right):
            return None
        return ""

    def fix(block: Block) -> Tuple[Block, List[Repair]]:
        text, repairs = block.text.sub(P.HAN_SPACE_ALNUM, keep, rule="remove_cjk_alnum_space")
        return attrs.evolve(block, text=text), repairs

    return _per_block(blocks, fix)


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
    return merged.text[: len(kicker)], merged.text[len(kicker):].strip(), repeat.text


# stage 40 ---------------------------------------------------------------------------------
def join_column_breaks(blocks: Blocks, page: PageView) -> RepairOutcome:
    """Join a paragraph that a column or page break split, wherever it was split.

    A block continues into the next when it does not end a sentence and either
    ends in punctuation that promises more (、，：—, an open quote), or is too long
    or too sentence-like to be a heading.  Never joined: a block that ends a
    sentence, a heading, a hard line break, or into a block that opens a headline
    stack, byline, lead or continued part — including formulas only a paper plugin
    knows (the classification hooks are asked through ``page.role_of``).
    """
    def voted_structural(i: int) -> bool:
        # asked only when a join is about to happen: it runs every plugin's classifier
        return page.role_of is not None and page.role_of(blocks[i], i) in STRUCTURAL_ROLES

    def structural(i: int) -> bool:
        return opens_structure(blocks[i].text.text) or voted_structural(i)

    out: List[Block] = []
    repairs: List[Repair] = []
    for i, block in enumerate(blocks):
        if out and _continues(out[-1], block, i, blocks, structural) and not voted_structural(i):
            prev = out.pop()
            gap = _gap(page.text, prev, block)
            repairs.append(Repair(rule="join_column_break", span=gap, before=page.text[gap[0]:gap[1]], after=""))
            out.append(attrs.evolve(prev, text=prev.text + block.text, hard_break=block.hard_break))
        else:
            out.append(block)
    return RepairOutcome(blocks=tuple(out), repairs=tuple(repairs))


STRUCTURAL_ROLES = frozenset({"byline", "lead", "continued_from", "tail", "credit", "advert", "badge"})
"""Roles that never receive text from the block above, whichever plugin voted for them."""


def _continues(a: Block, b: Block, i: int, blocks: Blocks, structural: Callable[[int], bool]) -> bool:
    """Does block ``a`` (the paragraph so far) continue into ``b = blocks[i]``?"""
    ta, tb = a.text.text, b.text.text
    if a.heading or b.heading or a.hint or b.hint or a.hard_break:
        return False
    if ends_sentence(ta) or tails(ta) or opens_structure(tb):
        return False  # a sentence end, or a jump/tail formula, ends the paragraph
    if tb[0] in "，。、；：！？）》”’…,.;:!?)":
        return True  # b cannot start anything: ，并且…
    if ends_with_break(ta) or unbalanced(ta):
        return True
    if b.indent and not a.indent:
        return False  # an indented line starts a paragraph
    opener = lead_at_start(ta) or continued_from(ta)
    if opener is not None:
        ta = ta[opener[2]:].strip()  # a block that opens with a lead is body text: judge what follows
        if not ta:
            return False
    if opener is None and looks_like_heading(ta):
        # 源，实现… cannot start a paragraph either, but after a heading-shaped line it
        # may be a body that lost its beginning: keeping the boundary is the safer error
        return False
    if starts_mid_sentence(tb):
        return True
    if i + 1 < len(blocks) and looks_like_heading(tb) and structural(i + 1):
        return False  # b is the title of the next article
    return True


def _gap(text: str, a: Block, b: Block) -> Tuple[int, int]:
    end = a.text.span[1]
    start = b.text.span[0]
    return (end, start) if start >= end else (start, start)


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
        return attrs.evolve(block, text=text), repairs

    return _per_block(blocks, fix)


GENERIC_RULES = (
    RepairRule("markdown_headings", 10, markdown_headings, "Markdown # marks become heading levels"),
    RepairRule("collapse_letter_spacing", 20, collapse_letter_spacing, "营 口 日 报 → 营口日报"),
    RepairRule("remove_cjk_alnum_spaces", 21, remove_cjk_alnum_spaces, "第 10 位 → 第10位"),
    RepairRule("split_repeated_kicker", 30, split_repeated_kicker, "kicker on the title line, repeated below"),
    RepairRule("join_column_breaks", 40, join_column_breaks, "paragraphs split by column or page breaks"),
    RepairRule("normalize_brackets", 50, normalize_brackets, "half-width brackets in CJK text (opt-in)"),
)
