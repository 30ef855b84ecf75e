"""Features of the gaps of a page's flow: what the model sees, and nothing a paper alone has.

The model labels the blocks of the flow (what each block is in its article: the first
line of a new article's headline stack, a later headline line, the first block of a
story without a headline, body text, or text continuing the block above across a
column break); the label of the gap above a block follows from it.  A block's
features describe it, its neighbours and the gap above it in terms that carry across papers and eras: length and shape,
punctuation at the ends, indentation and blank lines, the position on the page,
classes of characters, a few cue words, and the rules' own classification (the
winning role, how sure the rules were, the formulas they found).

Text enters only as at most :data:`MAX_TEXT_FEATURE` characters at a block's edge (the
last two characters above a gap and the first two below it, and the pair that meets
across the gap): enough to learn that a paragraph cut inside a word continues, too
little to hold any excerpt of the pages a model was trained on.

:data:`FEATURE_VERSION` names this definition; a model records it, and a model made
with another definition is refused rather than fed features it never saw.
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import regex

from corepress.api import Block, GapDecision, PageView, RoleScores

FEATURE_VERSION = 6
"""Bumped whenever a feature is added, removed or computed differently."""

MAX_TEXT_FEATURE = 3
"""The longest run of page text any feature may carry (the corpus texts have no licence)."""

Features = Dict[str, float]

# Each pattern is one cue, named for what it says about a block; a why-comment per case.
CUES: Tuple[Tuple[str, "regex.Pattern[str]"], ...] = (
    # a reporter or correspondent is named: bylines and closing author notes
    ("reporter", regex.compile(r"记者|通讯员|特约|实习生")),
    # a lead formula's 电 / 讯 after a place or agency: the start of a story's body
    ("dateline", regex.compile(r"^[^，。]{0,20}(?:电|讯)")),
    # own paper or a wire agency: leads, closing datelines, reprint notes
    ("agency", regex.compile(r"本报|新华社|中新社|人民网|央视")),
    # a photo credit: 摄 / 摄影 near the end, or 供图 / 图片来源
    ("credit", regex.compile(r"摄(?:影)?(?:报道)?[）)]?$|供图|图片来源|制图|版式设计")),
    # a host or an editor speaks: column furniture and editor's notes
    ("editor", regex.compile(r"主持|编者|编辑|责编|策划")),
    # a speech or a document: long official texts whose headings are not new stories
    ("speech", regex.compile(r"讲话|致辞|贺信|报告|决定|通知|条例|办法")),
    # a numbered item: （一） / 一、 / 1. / ①: list items and section heads inside one article
    ("numbered", regex.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．]|[①-⑳])")),
    # a box label or a deck: short fixed furniture inside an article
    ("label", regex.compile(r"^(?:核心阅读|编者按|编者的话|亲历者说|见证者说|短评|延伸阅读|背景链接|相关链接|图片报道|新闻链接)")),
    # a bracketed column tag at the end of a headline: （人民论坛） and the like
    ("column_tag", regex.compile(r"[（(][\p{Han}·\s]{2,10}[）)]$")),
    # a dash opens a subtitle (——记…) or a kicker line ends with one
    ("dash_start", regex.compile(r"^(?:——|—|－－)")),
    ("dash_end", regex.compile(r"(?:——|—)$")),
    # a quotation opens the block: often a lead sentence, rarely a headline
    ("quote_start", regex.compile(r"^[“「『\"]")),
    # a colon ends the block: a speaker, a label, or a heading of a list
    ("colon_end", regex.compile(r"[：:]$")),
    # a date or a year opens the block: bodies of news often do
    ("date_start", regex.compile(r"^(?:\d{4}年|\d{1,2}月\d{1,2}日|[一二三四五六七八九十〇]{4}年)")),
)

FINAL = frozenset("。！？…”」』）)!?；")
"""Characters that end a sentence or a bracketed note: a block ending so is a finished paragraph."""

_HAN = regex.compile(r"\p{Han}")
_PUNCT = regex.compile(r"\p{P}")


def _char_class(ch: str) -> str:
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


def _bucket(n: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


LENGTH_EDGES = (4, 8, 12, 16, 20, 25, 32, 40, 60, 100, 200)


def block_features(block: Block, role: RoleScores, text: str) -> Features:
    """What one block looks like, without its neighbours (``text``: the block's text without white space).

    Only features that are present are listed (a CRF reads a missing feature as 0).
    """
    n = len(text)
    first, last = text[:1], text[-1:]
    feats: Features = {
        f"len={_bucket(n, LENGTH_EDGES)}": 1.0,
        f"first_class={_char_class(first)}": 1.0,
        f"last_class={_char_class(last)}": 1.0,
        f"first={first}": 1.0,
        f"last={last}": 1.0,
        f"first2={text[:2]}": 1.0,
        f"last2={text[-2:]}": 1.0,
        f"role={role.role.value}": 1.0,
        f"gap_before={min(block.gap_before, 2)}": 1.0,
    }
    if last in FINAL:
        feats["ends_final"] = 1.0
    if block.indent:
        feats["indent"] = 1.0
    if block.heading:
        feats["heading"] = 1.0
    commas = text.count("，") + text.count(",")
    if commas:
        feats["commas"] = min(commas, 4) / 4
    sentences = text.count("。") + text.count("！") + text.count("？")
    if sentences:
        feats["sentences"] = min(sentences, 4) / 4
    if n:
        feats["han_share"] = len(_HAN.findall(text)) / n
    for kind in {m.kind.value for m in role.marks}:
        feats[f"mark={kind}"] = 1.0
    for rule in role.rules:  # the rules that voted for the winning role: how far to trust each is learned
        feats[f"vote={rule}"] = 1.0
    for r, score in role.scores[:3]:
        if score:
            feats[f"score:{r.value}"] = max(-1.0, min(1.0, score / 10))
    for name, pattern in CUES:
        if pattern.search(text):
            feats[f"cue={name}"] = 1.0
    return feats


BELOW_SKIPS = ("first", "last")
"""The block below contributes all its own features but its edge characters and classes (the one above, all)."""


MARGIN_EDGES = (0, 1, 2, 4, 8, 12)


def evidence_features(decision: GapDecision, prefix: str) -> Features:
    """What the first stage (the rules, and any other scorer) made of a gap: its label, margin, totals and rules."""
    feats: Features = {f"{prefix}label={decision.label.value}": 1.0}
    feats[f"{prefix}margin={decision.label.value}:{_bucket(int(decision.margin), MARGIN_EDGES)}"] = 1.0
    for label, total in decision.totals:
        feats[f"{prefix}total:{label.value}"] = max(-2.0, min(2.0, total / 10))
    for rule in decision.rules:
        feats[f"{prefix}rule={rule}"] = 1.0
    return feats


def flow_features(page: PageView, roles: Sequence[RoleScores], evidence: Sequence[GapDecision]) -> List[Features]:
    """The features of every block of the page's flow, each with its neighbours', the gap above it and the
    first stage's decisions on the gaps above and below it."""
    blocks = page.blocks
    texts = ["".join(b.text.text.split()) for b in blocks]
    own = [block_features(b, r, t) for b, r, t in zip(blocks, roles, texts)]
    lengths = [_bucket(len(t), LENGTH_EDGES) for t in texts]
    last = len(blocks) - 1
    out: List[Features] = []
    for k in range(len(blocks)):
        feats: Features = {"bias": 1.0}
        feats.update(own[k])
        feats[f"pos={_bucket(int(10 * k / max(last, 1)), (0, 1, 3, 6, 9))}"] = 1.0
        if k == 0:
            feats["first_block"] = 1.0
        else:
            feats.update({f"p:{key}": v for key, v in own[k - 1].items()})
            feats[f"roles={roles[k - 1].role.value}|{roles[k].role.value}"] = 1.0
            feats[f"p_final|len={own[k - 1].get('ends_final', 0.0):.0f}|{lengths[k]}"] = 1.0
            feats[f"p_len|len={lengths[k - 1]}|{lengths[k]}"] = 1.0
            feats[f"across={texts[k - 1][-1:]}{texts[k][:1]}"] = 1.0  # two characters meeting at a column break
            feats.update(evidence_features(evidence[k - 1], ""))
        if k >= 2:
            feats[f"pp:role={roles[k - 2].role.value}"] = 1.0
            feats[f"pp:final={own[k - 2].get('ends_final', 0.0):.0f}"] = 1.0
            feats[f"pp:len={lengths[k - 2]}"] = 1.0
            feats[f"pp:ev={evidence[k - 2].label.value}"] = 1.0
        if k == last:
            feats["last_block"] = 1.0
        else:
            feats.update({f"n:{key}": v for key, v in own[k + 1].items() if not key.startswith(BELOW_SKIPS)})
            feats.update(evidence_features(evidence[k], "n:"))
        if k + 2 <= last:
            feats[f"nn:role={roles[k + 2].role.value}"] = 1.0
            feats[f"nn:final={own[k + 2].get('ends_final', 0.0):.0f}"] = 1.0
            feats[f"nn:len={lengths[k + 2]}"] = 1.0
            feats[f"nn:ev={evidence[k + 1].label.value}"] = 1.0
        out.append(feats)
    return out
