"""Features of the gaps of a page's flow: what the model sees, and nothing a paper alone has.

The model labels the blocks of the flow (what each block is in its article: the first
line of a new article's headline stack, a later headline line, the first block of a
story without a headline, body text, or text continuing the block above across a
column break); the label of the gap above a block follows from it.  A block's
features describe it, its neighbours and the gaps around it in terms that carry across
papers and eras: length and shape, punctuation at the ends, indentation and blank lines,
the position on the page, classes of characters, a few cue words (:mod:`corepress_learned.cues`), the rules' own
classification (the winning role, how sure the rules were, the formulas they found) and
decisions (each gap's label, margin and rules), and where the block stands in the article
the rules made of it (:mod:`corepress_learned.placement`).  Most features are binary (numbers enter as
:class:`~corepress_learned.views.Buckets`); the rules' scores and a block's commas and sentence ends keep weights.

Text enters only as at most :data:`MAX_TEXT_FEATURE` characters at a block's edge (the
first and last two characters of a block, read by it and by its neighbours, and the pair
that meets across the gap): enough to learn that a paragraph cut inside a word continues, too
little to hold any excerpt of the pages a model was trained on.

:data:`FEATURE_VERSION` names this definition; a model records it, and a model made
with another definition is refused rather than fed features it never saw.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from typing import Any, Dict, List, Mapping, Sequence, Tuple

import attrs
import regex

from corepress.api import Block, GapDecision, GapLabel, MarkKind, PageView, Role, RoleScores
from corepress_learned.cues import cues_at_edges
from corepress_learned.placement import PageShape, context_codes, context_view, stage_two_views
from corepress_learned.views import Buckets, Features, View

FEATURE_VERSION = 9
"""Bumped whenever a feature is added, removed or computed differently."""

MAX_TEXT_FEATURE = 3
"""The longest run of page text any feature may carry (the corpus texts have no licence)."""

FINAL = frozenset("。！？…”」』）)!?；")
"""Characters that end a sentence or a bracketed note: a block ending so is a finished paragraph."""

_HAN = regex.compile(r"\p{Han}")
_PUNCT = regex.compile(r"\p{P}")


CHAR_CLASSES = ("none", "han", "digit", "latin", "final", "punct", "other")


@functools.lru_cache(maxsize=8192)
def _char_class(ch: str) -> str:
    """What kind of character opens or ends a block (remembered: a page repeats its characters)."""
    if not ch:
        return "none"
    if _HAN.match(ch):
        return "han"
    if ch.isdigit():
        return "digit"
    if ch.isascii() and ch.isalpha():
        return "latin"
    if ch in FINAL:
        return "final"
    if _PUNCT.match(ch):
        return "punct"
    return "other"


LENGTH = Buckets(4, 8, 12, 16, 20, 25, 32, 40, 60, 100, 200)
POSITION = Buckets(0, 1, 3, 6, 9)  # tenths of the page's flow


# Feature names of the members of fixed vocabularies, made once (an enum's ``.value`` is a
# descriptor call, and the features read one for nearly every block and gap).
_VALUE: Dict[Any, str] = {member: member.value for vocabulary in (Role, MarkKind, GapLabel) for member in vocabulary}
_ROLE = {role: "role=" + role.value for role in Role}
_MARK = {kind: "mark=" + kind.value for kind in MarkKind}
_SCORE = {role: "score:" + role.value for role in Role}
_TOTAL = {label: "total:" + label.value for label in GapLabel}


def own_view(block: Block, role: RoleScores, text: str) -> View:
    """What one block shows of itself beside its edge characters (``text``: the block's text without
    white space): the classes of the characters at its edges, its length and shape, the rules' role,
    votes and formulas, the cues at its edges, and as weights how many commas and sentence ends it
    holds and the rules' three best role scores.  The blocks above and below read it too (under
    ``n:`` and ``p:``).

    Only features that are present are listed (a CRF reads a missing feature as 0).  Body text looks
    much alike in these terms (200 pages show about 1 600 forms over 14 000 blocks), so a view is
    shared by every block that shows the same (:func:`_shared_own`), and its sums are remembered
    by the scorer; the characters themselves are :func:`edge_view`."""
    first, last = text[:1], text[-1:]
    return _shared_own(
        _char_class(first),
        _char_class(last),
        bisect_left(LENGTH.edges, len(text)),
        role.role,
        min(block.gap_before, 2),
        last in FINAL,
        bool(block.indent),
        bool(block.heading),
        tuple([m.kind for m in role.marks]) if role.marks else (),
        role.rules,
        tuple(cues_at_edges(text)),
        role.scores[:3],
        min(text.count("，") + text.count(","), 4),
        min(text.count("。") + text.count("！") + text.count("？"), 4),
    )


@functools.lru_cache(maxsize=8192)
def _shared_own(
    first_class: str, last_class: str, length: int, role: Role, gap_before: int, final: bool, indent: bool, heading: bool,
    marks: Tuple[MarkKind, ...], rules: Tuple[str, ...], cues: Tuple[str, ...], scores: Tuple[Tuple[Role, float], ...],
    commas: int, sentences: int,
) -> View:
    """The view :func:`own_view` describes, one dict for every block that shows the same (only read,
    never changed); remembered by what it is made from, so a block whose view is known builds no name."""
    names = [_FIRST_CLASS[first_class], _LAST_CLASS[last_class], _LENGTH[length], _ROLE[role], _GAP_BEFORE[gap_before]]
    if final:
        names.append("ends_final")
    if indent:
        names.append("indent")
    if heading:
        names.append("heading")
    names += [_MARK[kind] for kind in marks]
    names += ["vote=" + rule for rule in rules]  # the rules that voted for the winning role: how far to trust each is learned
    names += cues
    out = dict.fromkeys(names, 1.0)
    for scored, score in scores:
        if score:
            out[_SCORE[scored]] = -1.0 if score < -10 else (1.0 if score > 10 else score / 10)
    if commas:
        out["commas"] = commas / 4
    if sentences:
        out["sentences"] = sentences / 4
    return out


def edge_view(text: str) -> View:
    """The characters at a block's two edges (``text``: without white space): the first and the last,
    the first two and the last two.  Enough to learn that a paragraph cut inside a word continues
    (read by the block below under ``p:``), too little to hold any excerpt of a page."""
    return dict.fromkeys(("first=" + text[:1], "last=" + text[-1:], "first2=" + text[:2], "last2=" + text[-2:]), 1.0)


_GAP_BEFORE = tuple(f"gap_before={n}" for n in range(3))
_LENGTH = tuple("len=" + label for label in LENGTH.labels)
_FIRST_CLASS = {kind: "first_class=" + kind for kind in CHAR_CLASSES}
_LAST_CLASS = {kind: "last_class=" + kind for kind in CHAR_CLASSES}

MARGIN = Buckets(0, 1, 2, 4, 8, 12)


@functools.lru_cache(maxsize=4096)
def gap_view(decision: GapDecision) -> View:
    """What the first stage (the rules, and any other scorer) made of a gap: its label, margin and
    rules, and as weights its summed score of each label (a tenth of it, within ±2).

    Remembered by decision: most gaps of a page are decided alike (body text goes on: the same
    label, totals and rules), and a view is only read, never changed, so one dict serves them all."""
    label = _VALUE[decision.label]
    chosen = decision.label
    mine = others = None
    for other, total in decision.totals:  # GapDecision.margin, without building a dict for each gap
        if other is chosen:
            mine = total
        elif others is None or total > others:
            others = total
    margin = mine - others if mine is not None and others is not None else 1e9  # no other label: past every bucket
    out = dict.fromkeys(["label=" + label, f"margin={label}:{MARGIN(int(margin))}"] + ["rule=" + rule for rule in decision.rules], 1.0)
    for scored, total in decision.totals:
        out[_TOTAL[scored]] = max(-2.0, min(2.0, total / 10))
    return out


NO_VIEW: View = {}
"""The view of what a block does not have (the gap below the last block, the first block's pair with
the block above): one dict for every page, a shared view."""


@functools.cache  # roles × 2 × length buckets
def brief_view(role: str, final: str, size: str) -> View:
    """A block as the blocks two away see it: its role, whether it ends a sentence, its length.

    One dict for every block that shows the same (only read, never changed): a few hundred forms."""
    return dict.fromkeys((f"role={role}", f"final={final}", f"len={size}"), 1.0)


_TENTH = tuple(POSITION(tenth) for tenth in range(11))
"""The position bucket of each tenth of a page's flow."""


@functools.lru_cache(maxsize=1024)  # tenths × first/last × labels two above and below: about 70 forms
def place_view(position: str, first: bool, last: bool, two_above: str, two_below: str) -> View:
    """Where a block stands in the page's flow (which part, the first or last block) and how the rules
    labelled the gaps two above and two below it (``""``: there is none); with the ``bias`` every block
    has.  One dict for every block that shows the same (only read, never changed)."""
    names = ["bias", "pos=" + position]
    if first:
        names.append("first_block")
    if two_above:
        names.append("pp_ev=" + two_above)
    if last:
        names.append("last_block")
    if two_below:
        names.append("nn_ev=" + two_below)
    return dict.fromkeys(names, 1.0)


@functools.lru_cache(maxsize=4096)  # 472 pages show about 1 700 forms
def pair_view(role_above: str, role: str, final_above: str, size_above: str, size: str) -> View:
    """A block with the block above it: both roles the rules gave, whether the one above ends a
    sentence, and both lengths (``final_above``: ``"1"`` or ``"0"``; sizes: :data:`LENGTH`'s labels).
    The character pair that meets across the gap is a view of its own (``across`` in :func:`page_views`):
    shared by few blocks, it would crowd these out of the cache."""
    return dict.fromkeys((f"roles={role_above}|{role}", f"p_final|len={final_above}|{size}", f"p_len|len={size_above}|{size}"), 1.0)


def flat(block: Mapping[str, Any], prefix: str = "") -> View:
    """A block's features with every nested view flattened to ``prefix:name``, as python-crfsuite reads them."""
    out: View = {}
    for name, value in block.items():
        if isinstance(value, Mapping):
            out.update(flat(value, f"{prefix}{name}:"))
        else:
            out[prefix + name] = float(value)
    return out


def page_shape(page: PageView, roles: Sequence[RoleScores]) -> PageShape:
    return PageShape.of(["".join(b.text.text.split()) for b in page.blocks], roles)


READS: Tuple[Tuple[str, str, int], ...] = (
    ("own", "", 0),
    ("edges", "", 0),
    ("place", "", 0),
    ("pair", "", 0),
    ("across", "", 0),
    ("context", "ctx", 0),
    ("own", "p", -1),
    ("own", "n", 1),
    ("edges", "p", -1),
    ("edges", "n", 1),
    ("gap", "ev", -1),
    ("gap", "n_ev", 0),
    ("brief", "pp", -2),
    ("brief", "nn", 2),
)
"""Where block k reads its features: (a list of views in :class:`PageViews`, the prefix it reads them
under, which entry: k + offset).  ``gap[k]`` is the gap below block k.  :meth:`PageViews.features`
and the model's scorer both follow this one table."""


@attrs.frozen(eq=False)
class PageViews:
    """A page's features as views, each made once: what every block shows of itself and of its
    neighbours (``own``: shape, cues, the rules' role and scores; ``edges``: its edge characters),
    the evidence of the gap below each block (``gap``), a short view of
    each block for the blocks two away (``brief``), its place in the rules' article (``context``), its
    place in the page's flow (``place``), and its pair with the block above (``pair``: roles and
    lengths; ``across``: the two characters that meet across the gap)."""

    own: Tuple[View, ...]  # shared by the blocks that show the same (see own_view)
    edges: Tuple[View, ...]
    gap: Tuple[View, ...]  # below each block; below the last: none (NO_VIEW)
    brief: Tuple[View, ...]
    context: Tuple[View, ...]
    place: Tuple[View, ...]  # shared (place_view)
    pair: Tuple[View, ...]  # shared (pair_view); the first block's: NO_VIEW
    across: Tuple[View, ...]

    def __len__(self) -> int:
        return len(self.own)

    def features(self) -> List[Features]:
        """One dict a block, as python-crfsuite reads it: the block's own views and extras at the top,
        every other view nested under its prefix (shared, not copied; two views under one prefix, as
        a neighbour's own view and edges, merged into a new dict)."""
        count = len(self.own)
        out: List[Features] = []
        for k in range(count):
            block: Features = {}
            for kind, prefix, offset in READS:
                at = k + offset
                if not 0 <= at < count:
                    continue
                seen = getattr(self, kind)[at]
                if not seen:
                    continue
                if prefix:
                    block[prefix] = {**block[prefix], **seen} if prefix in block else seen
                else:
                    block.update(seen)
            out.append(block)
        return out


def page_views(page: PageView, roles: Sequence[RoleScores], evidence: Sequence[GapDecision], shape: PageShape) -> PageViews:
    """The views of every block of the page's flow (:class:`PageViews`): each block with its
    neighbours', the gaps above and below it as the first stage decided them, and its place in the
    first stage's article."""
    blocks = page.blocks
    texts = shape.texts
    role_names = [_VALUE[r.role] for r in roles]
    sizes = [LENGTH(n) for n in shape.lengths]
    finals = ["1" if t[-1:] in FINAL else "0" for t in texts]
    labels = [_VALUE[d.label] for d in evidence]
    opens = [True] + [d.label is GapLabel.NEW for d in evidence]
    last = len(blocks) - 1
    span = max(last, 1)
    place = [
        place_view(_TENTH[10 * k // span], k == 0, k == last, labels[k - 2] if k >= 2 else "", labels[k + 1] if k + 2 <= last else "")
        for k in range(len(blocks))
    ]
    return PageViews(
        own=tuple(map(own_view, blocks, roles, texts)),
        edges=tuple(map(edge_view, texts)),
        gap=tuple(map(gap_view, evidence)) + (NO_VIEW,),
        brief=tuple(map(brief_view, role_names, finals, sizes)),
        context=tuple(map(context_view, context_codes(shape, opens))),
        place=tuple(place),
        pair=(NO_VIEW,) + tuple(map(pair_view, role_names, role_names[1:], finals, sizes, sizes[1:])),
        across=(NO_VIEW,) + tuple({"across=" + above[-1:] + below[:1]: 1.0} for above, below in zip(texts, texts[1:])),
    )


def flow_features(page: PageView, roles: Sequence[RoleScores], evidence: Sequence[GapDecision], shape: PageShape) -> List[Features]:
    """The features of every block of the page's flow as python-crfsuite reads them (see :func:`page_views`)."""
    return page_views(page, roles, evidence, shape).features()


def stage_two_features(features: Sequence[Features], shape: PageShape, opens: Sequence[bool]) -> List[Features]:
    """The second stage's features as python-crfsuite reads them: the first stage's, and its
    :func:`~corepress_learned.placement.stage_two_views` nested under ``s2``."""
    out = []
    for feats, extra in zip(features, stage_two_views(shape, opens)):
        block = dict(feats)
        block["s2"] = extra
        out.append(block)
    return out
