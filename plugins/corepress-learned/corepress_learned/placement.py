"""Where each block stands in the articles of a segmentation: the features that read a page as a whole.

The first stage reads the rules' segmentation (:func:`context_features`: how much text stands
since the block's last boundary and until its next one, how many headline-shaped blocks came
before it in its article, how much body follows before the next one, whether it is as long as
the last); the second stage reads the first stage's, and what each of its articles holds
(:func:`article_features`: a lead, a closing formula, how many blocks).  Pages are scored from
numbers (:func:`context_codes`, :func:`article_codes`), each combination made a view once; the
names are what python-crfsuite trains on.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from typing import List, Sequence, Tuple

import attrs

from corepress.api import MarkKind, Role, RoleScores
from corepress_learned.views import Buckets, Names, View

HEADLINE_SHAPED = frozenset({Role.HEADING, Role.TITLE, Role.KICKER, Role.SUBTITLE, Role.SUBHEAD, Role.COLUMN})
"""Roles of blocks that may stand in a headline stack or head a section: what the context features count."""

CONTEXT = Buckets(0, 50, 150, 300, 600, 1000, 1600, 2500)
"""Buckets, in characters, for how much text stands between a block and the rules' boundaries."""


OPENING = frozenset({MarkKind.LEAD})
CLOSING = frozenset({Role.TAIL, Role.BYLINE, Role.CREDIT})


@attrs.frozen
class PageShape:
    """What the features read of a page beside the blocks themselves: each block's text without white
    space and its length, whether it is headline-shaped, whether it holds a lead formula, and whether
    it is a closing formula (a tail, a byline, a credit).  Made once a page (:func:`~corepress_learned.features.page_shape`)."""

    texts: Tuple[str, ...]
    lengths: Tuple[int, ...]
    shaped: Tuple[bool, ...]
    leads: Tuple[bool, ...]
    closings: Tuple[bool, ...]

    @classmethod
    def of(cls, texts: Sequence[str], roles: Sequence[RoleScores]) -> "PageShape":
        return cls(
            tuple(texts),
            tuple(len(t) for t in texts),
            tuple(r.role in HEADLINE_SHAPED for r in roles),
            tuple(r.role is Role.LEAD or any(m.kind in OPENING for m in r.marks) for r in roles),
            tuple(r.role in CLOSING for r in roles),
        )


def context_features(shape: PageShape, opens: Sequence[bool]) -> List[Names]:
    """Where each block stands in an article of a segmentation (``opens[k]``: a boundary above block k).

    A headline-shaped line inside a long story is more likely a section head than a new story's
    title, and section heads of one story come in parallel (the same length, one after another at
    intervals); a headline over a short run of text before the next boundary is more likely a story
    of its own.  These features read a segmentation (the rules', or the model's first stage's):
    how much text stands since its last boundary above (``since``) and until its next one below
    (``until``), how many headline-shaped
    blocks the segment has shown so far (``heads``), how much body text follows before the next
    headline-shaped block (``section``), and whether a headline-shaped block is as long as the last
    one in its segment (``parallel``).
    """
    return [list(context_names(code)) for code in context_codes(shape, opens)]


_PARALLEL = 3  # no previous headline in the segment, another length, the same length (within 2)
_BUCKETS = len(CONTEXT.labels)


def context_codes(shape: PageShape, opens: Sequence[bool]) -> List[int]:
    """:func:`context_features` as one number a block, its five features' values in mixed radix
    (:func:`context_names` reads it back).  Pages are scored from the numbers: a few thousand
    combinations occur, each made a view once (:func:`context_view`), where making and hashing a list
    of names a block took a tenth of the plugin's time."""
    lengths, shaped = shape.lengths, shape.shaped
    count = len(lengths)
    edges = CONTEXT.edges  # CONTEXT(v), inlined: four buckets a block, twice a page
    out = [0] * count
    since = heads = 0
    previous_head = -1
    for k in range(count):
        if k == 0 or opens[k]:
            since, heads, previous_head = 0, 0, -1
        parallel = (2 if abs(previous_head - lengths[k]) <= 2 else 1) if shaped[k] and previous_head >= 0 else 0
        out[k] = (bisect_left(edges, since) * 4 + min(heads, 3)) * _PARALLEL + parallel
        since += lengths[k]
        if shaped[k]:
            heads, previous_head = heads + 1, lengths[k]
    until = section = 0
    for k in range(count - 1, -1, -1):
        out[k] = (out[k] * _BUCKETS + bisect_left(edges, until)) * _BUCKETS + bisect_left(edges, section)
        until += lengths[k]
        section = 0 if shaped[k] else section + lengths[k]
        if opens[k]:
            until = section = 0
    return out


@functools.cache  # at most 9 × 4 × 3 × 9 × 9 codes
def context_names(code: int) -> Tuple[str, ...]:
    """The names of the :func:`context_features` a number of :func:`context_codes` stands for."""
    code, section = divmod(code, _BUCKETS)
    code, until = divmod(code, _BUCKETS)
    code, parallel = divmod(code, _PARALLEL)
    since, heads = divmod(code, 4)
    labels = CONTEXT.labels
    names = ["since=" + labels[since], HEADS[heads]]
    if parallel:
        names.append("parallel=1" if parallel == 2 else "parallel=0")
    return tuple(names + ["until=" + labels[until], "section=" + labels[section]])


@functools.cache
def context_view(code: int) -> View:
    """The view of :func:`context_names`, one dict for every block with that code (only read, never changed)."""
    return dict.fromkeys(context_names(code), 1.0)


HEADS = tuple(f"heads={n}" for n in range(4))


ARTICLE_BLOCKS = Buckets(2, 5, 8, 11)


def article_features(shape: PageShape, opens: Sequence[bool]) -> List[Names]:
    """What each block's article (of the segmentation ``opens``) holds: a lead formula, a closing
    formula, how many blocks.  An article the first stage made without any formula, or of a block or
    two, is more often a piece of its neighbour than an article of its own."""
    return [list(article_names(code)) for code in article_codes(shape, opens)]


_ARTICLE_CODES = 2 * 2 * len(ARTICLE_BLOCKS.labels)


def article_codes(shape: PageShape, opens: Sequence[bool]) -> List[int]:
    """:func:`article_features` as one number a block (as :func:`context_codes`)."""
    count = len(shape.lengths)
    starts = [k for k in range(count) if k == 0 or opens[k]] + [count]
    out: List[int] = []
    for start, end in zip(starts, starts[1:]):
        lead, close = any(shape.leads[start:end]), any(shape.closings[start:end])
        out += [((lead * 2 + close) * len(ARTICLE_BLOCKS.labels)) + bisect_left(ARTICLE_BLOCKS.edges, end - start)] * (end - start)
    return out


@functools.cache  # 20 codes
def article_names(code: int) -> Tuple[str, ...]:
    """The names of the :func:`article_features` a number of :func:`article_codes` stands for."""
    code, blocks = divmod(code, len(ARTICLE_BLOCKS.labels))
    lead, close = divmod(code, 2)
    return (f"lead={lead}", f"close={close}", "blocks=" + ARTICLE_BLOCKS.labels[blocks])


@functools.lru_cache(maxsize=8192)
def _stage_two_view(code: int) -> View:
    """The view of a block's context and article codes (``context * _ARTICLE_CODES + article``), one dict
    for every block that shows the same (only read, never changed)."""
    context, article = divmod(code, _ARTICLE_CODES)
    return dict.fromkeys(context_names(context) + article_names(article), 1.0)


def stage_two_views(shape: PageShape, opens: Sequence[bool]) -> List[View]:
    """What the second stage reads beside the first stage's features (prefixed ``s2:``): where each
    block stands in the articles the first stage made (``opens``: its boundaries) —
    :func:`context_features` and :func:`article_features`."""
    return [
        _stage_two_view(context * _ARTICLE_CODES + article)
        for context, article in zip(context_codes(shape, opens), article_codes(shape, opens))
    ]
