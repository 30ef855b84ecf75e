"""Features of the gaps of a page's flow: what the model sees, and nothing a paper alone has.

The model labels the blocks of the flow (what each block is in its article: the first
line of a new article's headline stack, a later headline line, the first block of a
story without a headline, body text, or text continuing the block above across a
column break); the label of the gap above a block follows from it.  A block's
features describe it, its neighbours and the gaps around it in terms that carry across
papers and eras: length and shape, punctuation at the ends, indentation and blank lines,
the position on the page, classes of characters, a few cue words, the rules' own
classification (the winning role, how sure the rules were, the formulas they found) and
decisions (each gap's label, margin and rules), and where the block stands in the article
the rules made of it (:func:`context_features`).  Most features are binary (numbers enter as
:class:`Buckets`); the rules' scores and a block's commas and sentence ends keep weights.

Text enters only as at most :data:`MAX_TEXT_FEATURE` characters at a block's edge (the
first and last two characters of a block, read by it and by its neighbours, and the pair
that meets across the gap): enough to learn that a paragraph cut inside a word continues, too
little to hold any excerpt of the pages a model was trained on.

:data:`FEATURE_VERSION` names this definition; a model records it, and a model made
with another definition is refused rather than fed features it never saw.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from typing import Any, Dict, FrozenSet, List, Mapping, Sequence, Tuple

import attrs
import regex

from corepress.api import Block, GapDecision, GapLabel, MarkKind, PageView, Role, RoleScores

FEATURE_VERSION = 9
"""Bumped whenever a feature is added, removed or computed differently."""

MAX_TEXT_FEATURE = 3
"""The longest run of page text any feature may carry (the corpus texts have no licence)."""

Names = List[str]
"""Features present with weight 1 (most of them: categories, and numbers made categories by :class:`Buckets`)."""

View = Dict[str, float]
"""What one block or gap shows a reader: its names (weight 1) and its weighted features, made once."""

Features = Dict[str, Any]
"""One block's features as the model reads them: its own :data:`View` merged at the top, and what it
reads of its neighbours and gaps as views nested under a prefix (``{"p": view_of_the_block_above}``),
which python-crfsuite flattens to ``p:name`` as it reads them (:func:`flat` does the same in Python).

This is what python-crfsuite trains on (:meth:`PageViews.features`); pages are scored from the
views themselves (:class:`PageViews`, :mod:`corepress_learned.model`).  Why nested: a block's view
is made once and shared by every block that reads it, where prefixing each name in Python and
building one flat dict per block took about half the plugin's time (200 pages)."""


@attrs.frozen
class Cue:
    """A cue word or shape, named for what it says about a block.

    Each cue says what every match of its pattern holds, tested before the pattern runs (most blocks
    hold no cue, and 14 searches a block were a third of the features' time): ``needles``, literal
    pieces one of which stands in every match (all cues' needles are found in one scan), or, for a
    pattern anchored at one end, the characters one of which opens (``first``) or ends (``last``) it;
    ``decimal``: or a decimal digit opens it (the pattern's ``\\d``)."""

    name: str
    pattern: "regex.Pattern[str]"
    needles: Tuple[str, ...] = ()
    first: FrozenSet[str] = frozenset()
    last: FrozenSet[str] = frozenset()
    decimal: bool = False


NUMERALS = "一二三四五六七八九十"
CIRCLED = "".join(map(chr, range(ord("①"), ord("⑳") + 1)))

# a why-comment per case
CUES: Tuple[Cue, ...] = (
    # a reporter or correspondent is named: bylines and closing author notes
    Cue("reporter", regex.compile(r"记者|通讯员|特约|实习生"), needles=("记者", "通讯员", "特约", "实习生")),
    # a lead formula's 电 / 讯 after a place or agency: the start of a story's body
    Cue("dateline", regex.compile(r"^[^，。]{0,20}(?:电|讯)"), needles=("电", "讯")),
    # own paper or a wire agency: leads, closing datelines, reprint notes
    Cue("agency", regex.compile(r"本报|新华社|中新社|人民网|央视"), needles=("本报", "新华社", "中新社", "人民网", "央视")),
    # a photo credit: 摄 / 摄影 near the end, or 供图 / 图片来源
    Cue("credit", regex.compile(r"摄(?:影)?(?:报道)?[）)]?$|供图|图片来源|制图|版式设计"), needles=("摄", "供图", "图片来源", "制图", "版式设计")),
    # a host or an editor speaks: column furniture and editor's notes
    Cue("editor", regex.compile(r"主持|编者|编辑|责编|策划"), needles=("主持", "编者", "编辑", "责编", "策划")),
    # a speech or a document: long official texts whose headings are not new stories
    Cue(
        "speech", regex.compile(r"讲话|致辞|贺信|报告|决定|通知|条例|办法"),
        needles=("讲话", "致辞", "贺信", "报告", "决定", "通知", "条例", "办法"),
    ),
    # a numbered item: （一） / 一、 / 1. / ①: list items and section heads inside one article
    Cue(
        "numbered", regex.compile(rf"^(?:[（(][{NUMERALS}\d]{{1,3}}[）)]|[{NUMERALS}]{{1,3}}、|\d{{1,2}}[、.．]|[①-⑳])"),
        first=frozenset("（(" + NUMERALS + CIRCLED), decimal=True,
    ),
    # a box label or a deck: short fixed furniture inside an article
    Cue(
        "label", regex.compile(r"^(?:核心阅读|编者按|编者的话|亲历者说|见证者说|短评|延伸阅读|背景链接|相关链接|图片报道|新闻链接)"),
        first=frozenset("核编亲见短延背相图新"),
    ),
    # a bracketed column tag at the end of a headline: （人民论坛） and the like
    Cue("column_tag", regex.compile(r"[（(][\p{Han}·\s]{2,10}[）)]$"), last=frozenset("）)")),
    # a dash opens a subtitle (——记…) or a kicker line ends with one
    Cue("dash_start", regex.compile(r"^(?:——|—|－－)"), first=frozenset("—－")),
    Cue("dash_end", regex.compile(r"(?:——|—)$"), last=frozenset("—")),
    # a quotation opens the block: often a lead sentence, rarely a headline
    Cue("quote_start", regex.compile(r"^[“「『\"]"), first=frozenset("“「『\"")),
    # a colon ends the block: a speaker, a label, or a heading of a list
    Cue("colon_end", regex.compile(r"[：:]$"), last=frozenset("：:")),
    # a date or a year opens the block: bodies of news often do
    Cue(
        "date_start", regex.compile(r"^(?:\d{4}年|\d{1,2}月\d{1,2}日|[一二三四五六七八九十〇]{4}年)"),
        first=frozenset(NUMERALS + "〇"), decimal=True,
    ),
)

# every cue's needles in one scan; the lookahead finds needles that overlap (本报告: 本报 and 报告)
_NEEDLES = re.compile("(?=(" + "|".join(re.escape(n) for n in sorted({n for cue in CUES for n in cue.needles}, key=len, reverse=True)) + "))")


# which cues each needle, each opening and each closing character makes possible
_BY_NEEDLE: Dict[str, Tuple[int, ...]] = {}
_BY_FIRST: Dict[str, Tuple[int, ...]] = {}
_BY_LAST: Dict[str, Tuple[int, ...]] = {}
for _index, _cue in enumerate(CUES):
    for _needle in _cue.needles:
        _BY_NEEDLE[_needle] = _BY_NEEDLE.get(_needle, ()) + (_index,)
    for _ch in _cue.first:
        _BY_FIRST[_ch] = _BY_FIRST.get(_ch, ()) + (_index,)
    for _ch in _cue.last:
        _BY_LAST[_ch] = _BY_LAST.get(_ch, ()) + (_index,)
_BY_DECIMAL = tuple(index for index, cue in enumerate(CUES) if cue.decimal)


def cue_names(edges: str) -> Names:
    """The cues found at a block's edges (:func:`_edges`), each as ``cue=NAME``, in the order of :data:`CUES`.

    Only the cues its needles, first and last characters make possible are searched for (most
    blocks: none)."""
    first, last = edges[:1], edges[-1:]
    possible = set(_BY_FIRST.get(first, ())) | set(_BY_LAST.get(last, ()))
    for needle in _NEEDLES.findall(edges):
        possible.update(_BY_NEEDLE[needle])
    # what regex's \d takes for a digit, as the core's guards read it: Python's decimals, and any astral character
    if first.isdecimal() or first > "\uffff":
        possible.update(_BY_DECIMAL)
    return ["cue=" + CUES[index].name for index in sorted(possible) if CUES[index].pattern.search(edges)]


FINAL = frozenset("。！？…”」』）)!?；")
"""Characters that end a sentence or a bracketed note: a block ending so is a finished paragraph."""

_HAN = regex.compile(r"\p{Han}")
_PUNCT = regex.compile(r"\p{P}")


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


class Buckets:
    """A number made a category: the first of ``edges`` it does not exceed (``<=edge``), or beyond the last.

    Most features are binary; the labels are made once, and a value is placed by bisection.
    """

    def __init__(self, *edges: float) -> None:
        self.edges = edges
        self.labels = tuple(f"<={edge:g}" for edge in edges) + (f">{edges[-1]:g}",)

    def __call__(self, value: float) -> str:
        return self.labels[bisect_left(self.edges, value)]


LENGTH = Buckets(4, 8, 12, 16, 20, 25, 32, 40, 60, 100, 200)
POSITION = Buckets(0, 1, 3, 6, 9)  # tenths of the page's flow


CUE_EDGE = 40
"""Cues are looked for in the first and last this many characters of a block: bylines, leads,
credits and labels stand at a block's edges, and a long paragraph is not read whole for them."""

HEADLINE_SHAPED = frozenset({Role.HEADING, Role.TITLE, Role.KICKER, Role.SUBTITLE, Role.SUBHEAD, Role.COLUMN})
"""Roles of blocks that may stand in a headline stack or head a section: what the context features count."""

CONTEXT = Buckets(0, 50, 150, 300, 600, 1000, 1600, 2500)
"""Buckets, in characters, for how much text stands between a block and the rules' boundaries."""


def _edges(text: str) -> str:
    if len(text) <= 2 * CUE_EDGE:
        return text
    return text[:CUE_EDGE] + "\n" + text[-CUE_EDGE:]  # the newline keeps a cue from matching across the cut


# Feature names of the members of fixed vocabularies, made once (an enum's ``.value`` is a
# descriptor call, and the features read one for nearly every block and gap).
_VALUE: Dict[Any, str] = {member: member.value for vocabulary in (Role, MarkKind, GapLabel) for member in vocabulary}
_ROLE = {role: "role=" + role.value for role in Role}
_MARK = {kind: "mark=" + kind.value for kind in MarkKind}
_SCORE = {role: "score:" + role.value for role in Role}
_TOTAL = {label: "total:" + label.value for label in GapLabel}


def own_view(block: Block, role: RoleScores, text: str) -> View:
    """What one block shows of itself (``text``: the block's text without white space): the
    characters at its two edges and their classes, its length and shape, the rules' role, votes and
    formulas, the cues at its edges, and as weights how many commas and sentence ends it holds and
    the rules' three best role scores.  The blocks above and below read it too (under ``n:`` and
    ``p:``), so it is made once a block, as one dict.

    Only features that are present are listed (a CRF reads a missing feature as 0)."""
    first, last = text[:1], text[-1:]
    names = [
        "first_class=" + _char_class(first),
        "last_class=" + _char_class(last),
        "first=" + first,
        "last=" + last,
        "first2=" + text[:2],
        "last2=" + text[-2:],
        "len=" + LENGTH(len(text)),
        _ROLE[role.role],
        _GAP_BEFORE[min(block.gap_before, 2)],
    ]
    if last in FINAL:
        names.append("ends_final")
    if block.indent:
        names.append("indent")
    if block.heading:
        names.append("heading")
    names += [_MARK[m.kind] for m in role.marks]
    names += ["vote=" + rule for rule in role.rules]  # the rules that voted for the winning role: how far to trust each is learned
    names += cue_names(_edges(text))
    out = dict.fromkeys(names, 1.0)
    for scored, score in role.scores[:3]:
        if score:
            out[_SCORE[scored]] = max(-1.0, min(1.0, score / 10))
    commas = text.count("，") + text.count(",")
    if commas:
        out["commas"] = min(commas, 4) / 4
    sentences = text.count("。") + text.count("！") + text.count("？")
    if sentences:
        out["sentences"] = min(sentences, 4) / 4
    return out


_GAP_BEFORE = tuple(f"gap_before={n}" for n in range(3))

MARGIN = Buckets(0, 1, 2, 4, 8, 12)


def gap_view(decision: GapDecision) -> View:
    """What the first stage (the rules, and any other scorer) made of a gap: its label, margin and
    rules, and as weights its summed score of each label (a tenth of it, within ±2)."""
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


OPENING = frozenset({MarkKind.LEAD})
CLOSING = frozenset({Role.TAIL, Role.BYLINE, Role.CREDIT})


@attrs.frozen
class PageShape:
    """What the features read of a page beside the blocks themselves: each block's text without white
    space and its length, whether it is headline-shaped, whether it holds a lead formula, and whether
    it is a closing formula (a tail, a byline, a credit).  Made once a page (:func:`page_shape`)."""

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
    lengths, shaped = shape.lengths, shape.shaped
    count = len(lengths)
    edges, labels = CONTEXT.edges, CONTEXT.labels  # CONTEXT(v), inlined: four buckets a block, twice a page
    since_names = ["since=" + label for label in labels]
    until_names = ["until=" + label for label in labels]
    section_names = ["section=" + label for label in labels]
    out: List[Names] = []
    since = heads = 0
    previous_head = -1
    for k in range(count):
        if k == 0 or opens[k]:
            since, heads, previous_head = 0, 0, -1
        feats = [since_names[bisect_left(edges, since)], HEADS[min(heads, 3)]]
        if shaped[k] and previous_head >= 0:
            feats.append("parallel=1" if abs(previous_head - lengths[k]) <= 2 else "parallel=0")
        out.append(feats)
        since += lengths[k]
        if shaped[k]:
            heads, previous_head = heads + 1, lengths[k]
    until = section = 0
    for k in range(count - 1, -1, -1):
        out[k] += [until_names[bisect_left(edges, until)], section_names[bisect_left(edges, section)]]
        until += lengths[k]
        section = 0 if shaped[k] else section + lengths[k]
        if opens[k]:
            until = section = 0
    return out


HEADS = tuple(f"heads={n}" for n in range(4))


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
    ("extra", "", 0),
    ("context", "ctx", 0),
    ("own", "p", -1),
    ("own", "n", 1),
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
    neighbours (``own``: edges, shape, cues, the rules' role and scores), the evidence of the gap
    below each block (``gap``), a short view of
    each block for the blocks two away (``brief``), its place in the rules' article (``context``), and
    the few features of its own position and its pair with the block above (``extra``)."""

    own: Tuple[View, ...]
    gap: Tuple[View, ...]  # below each block; below the last: none (an empty view)
    brief: Tuple[View, ...]
    context: Tuple[View, ...]
    extra: Tuple[View, ...]

    def __len__(self) -> int:
        return len(self.own)

    def features(self) -> List[Features]:
        """One dict a block, as python-crfsuite reads it: the block's own view and extras at the top,
        every other view nested under its prefix (shared, not copied)."""
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
                    block[prefix] = seen
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
    extra: List[View] = []
    for k in range(len(blocks)):
        names = ["bias", "pos=" + POSITION(int(10 * k / max(last, 1)))]
        if k == 0:
            names.append("first_block")
        else:
            names += [
                f"roles={role_names[k - 1]}|{role_names[k]}",
                f"p_final|len={finals[k - 1]}|{sizes[k]}",
                f"p_len|len={sizes[k - 1]}|{sizes[k]}",
                "across=" + texts[k - 1][-1:] + texts[k][:1],  # two characters meeting at a column break
            ]
        if k >= 2:
            names.append("pp_ev=" + labels[k - 2])
        if k == last:
            names.append("last_block")
        if k + 2 <= last:
            names.append("nn_ev=" + labels[k + 1])
        extra.append(dict.fromkeys(names, 1.0))
    return PageViews(
        own=tuple(map(own_view, blocks, roles, texts)),
        gap=tuple(map(gap_view, evidence)) + ({},),
        brief=tuple(dict.fromkeys((f"role={r}", f"final={fin}", f"len={size}"), 1.0) for r, fin, size in zip(role_names, finals, sizes)),
        context=tuple(dict.fromkeys(f, 1.0) for f in context_features(shape, opens)),
        extra=tuple(extra),
    )


def flow_features(page: PageView, roles: Sequence[RoleScores], evidence: Sequence[GapDecision], shape: PageShape) -> List[Features]:
    """The features of every block of the page's flow as python-crfsuite reads them (see :func:`page_views`)."""
    return page_views(page, roles, evidence, shape).features()


ARTICLE_BLOCKS = Buckets(2, 5, 8, 11)


def article_features(shape: PageShape, opens: Sequence[bool]) -> List[Names]:
    """What each block's article (of the segmentation ``opens``) holds: a lead formula, a closing
    formula, how many blocks.  An article the first stage made without any formula, or of a block or
    two, is more often a piece of its neighbour than an article of its own."""
    count = len(shape.lengths)
    starts = [k for k in range(count) if k == 0 or opens[k]] + [count]
    out: List[Names] = []
    for start, end in zip(starts, starts[1:]):
        names = [
            f"lead={int(any(shape.leads[start:end]))}",
            f"close={int(any(shape.closings[start:end]))}",
            "blocks=" + ARTICLE_BLOCKS(end - start),
        ]
        out += [names] * (end - start)
    return out


def stage_two_views(shape: PageShape, opens: Sequence[bool]) -> List[View]:
    """What the second stage reads beside the first stage's features (prefixed ``s2:``): where each
    block stands in the articles the first stage made (``opens``: its boundaries) —
    :func:`context_features` and :func:`article_features`."""
    return [dict.fromkeys(context + article, 1.0) for context, article in zip(context_features(shape, opens), article_features(shape, opens))]


def stage_two_features(features: Sequence[Features], shape: PageShape, opens: Sequence[bool]) -> List[Features]:
    """The second stage's features as python-crfsuite reads them: the first stage's, and its
    :func:`stage_two_views` nested under ``s2``."""
    out = []
    for feats, extra in zip(features, stage_two_views(shape, opens)):
        block = dict(feats)
        block["s2"] = extra
        out.append(block)
    return out
