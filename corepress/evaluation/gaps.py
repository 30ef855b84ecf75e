"""Gold labels for the gaps of a page's flow: what a boundary model is trained to say.

The decoder labels every gap between two neighbouring flow blocks ``join``, ``same`` or
``new`` (:class:`~corepress.values.scores.GapLabel`).  A trainer needs the same labels
from gold, for the very blocks a scorer sees, so this module reads them off either kind
of gold (snippet gold or an expected page) and the blocks' spans into the page text:

* ``new`` — the first gap after a gold article's body ends, when the next gold article's
  body starts after it: the next story's headline (or lead, or loose line) begins there;
* ``join`` — a gold join ``[before, after]`` whose last character of ``before`` ends one
  block and whose first character of ``after`` starts the next;
* ``same`` — every other gap.

It also says which blocks stand before their article's body (a headline stack, a
kicker, a loose line ahead of a lead): a model that labels blocks rather than gaps
learns the shape of an article from that.

A page where some gold article cannot be found in the text, or a block that holds no
source character, gives ``None``: its labels would be guesses, and a model trained on
guesses learns them.  Whitespace is ignored as everywhere in evaluation.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import List, Optional, Sequence, Tuple

import attrs

from corepress.evaluation.boundaries import locate_bodies, squashed_with_offsets
from corepress.evaluation.gold import Gold
from corepress.evaluation.score import _squash as squash
from corepress.evaluation.snippet import SnippetGold
from corepress.values.model import Block
from corepress.values.scores import GapLabel


@attrs.frozen
class GoldLayout:
    """What the gold says of a flow: a label per gap, and per block whether it precedes its article's body."""

    gaps: Tuple[GapLabel, ...]
    before_body: Tuple[bool, ...]


def _bodies_and_joins(gold: Gold) -> Tuple[List[Tuple[Sequence[str], Sequence[str]]], Sequence[Sequence[str]]]:
    if isinstance(gold, SnippetGold):
        return [(a.body_start, a.body_end) for a in gold.articles], gold.joins
    articles: List[Tuple[Sequence[str], Sequence[str]]] = [((a["body_start"],), (a["body_end"],)) for a in gold["articles"]]
    return articles, [j for j in gold.get("joins", []) if len(j) == 2]


def gold_layout(text: str, blocks: Sequence[Block], gold: Gold) -> Optional[GoldLayout]:
    """The gold label of each of the ``len(blocks) - 1`` gaps and the blocks before a body, or ``None`` when the gold cannot be placed.

    ``text`` is the page text the blocks' spans index (``Page.text``, ``PageView.text``).
    """
    extents: List[Tuple[int, int]] = []
    for block in blocks:
        start, end = block.text.span
        if end <= start:
            return None
        extents.append((start, end))
    articles, joins = _bodies_and_joins(gold)
    located = locate_bodies(text, articles)
    if any(loc is None for loc in located):
        return None
    labels = [GapLabel.SAME] * max(0, len(blocks) - 1)
    starts = [s for s, _ in extents]
    before_body = [False] * len(blocks)
    previous_end = 0
    for loc in located:
        assert loc is not None
        for n in range(bisect_left(starts, previous_end), len(blocks)):
            if extents[n][1] > loc.start:  # this block holds the body's first character: the body begins
                break
            before_body[n] = True
        previous_end = loc.end
    for before, after in zip(located, located[1:]):
        assert before is not None and after is not None
        if after.start < before.end:  # the gold's articles overlap in the text: no clean boundary
            return None
        first = bisect_left(starts, before.end)  # the first block that starts after the body's end
        if 0 < first < len(blocks) and starts[first] <= after.start:
            labels[first - 1] = GapLabel.NEW
    flat, offsets = squashed_with_offsets(text)
    ends = {end: n for n, (_, end) in enumerate(extents)}
    for before_text, after_text in joins:
        head, tail = squash(before_text), squash(after_text)
        pos = flat.find(head + tail) if head and tail else -1
        if pos < 0:
            continue
        gap = ends.get(offsets[pos + len(head) - 1] + 1)
        if gap is not None and gap < len(labels) and starts[gap + 1] == offsets[pos + len(head)]:
            if labels[gap] is GapLabel.SAME:
                labels[gap] = GapLabel.JOIN
    return GoldLayout(tuple(labels), tuple(before_body))
