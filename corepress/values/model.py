"""The values corepress passes around: all frozen, all carrying their source spans.

Values are immutable so that a plugin can never change what another plugin sees
behind its back; rules build new values with :func:`attrs.evolve`.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple

import attrs

from corepress.values.traced import Repair, Span, Traced


@attrs.frozen
class Source:
    """Where a page came from and how it was decoded."""

    path: Optional[str]
    sha256: str
    encoding: str
    format: str  # "text" or "markdown"
    length: int  # code points of the decoded, newline-normalised text


@attrs.frozen
class Paper:
    """A newspaper a plugin knows."""

    id: str
    name: str
    aliases: Tuple[str, ...] = ()
    english_name: Optional[str] = None
    region: Optional[str] = None
    cn: Optional[str] = None
    level: str = "city"  # "city", "province" or "national": how the paper refers to its own area
    columns: Tuple[str, ...] = ()  # column tags (栏目) the paper prints


@attrs.frozen
class Evidence:
    """One reason to believe a page belongs to a paper; weights add up per paper."""

    paper: str
    weight: float
    reason: str
    span: Optional[Span] = None


@attrs.frozen
class PaperGuess:
    """The outcome of paper detection."""

    id: Optional[str]  # None: no plugin's paper is likely enough
    name: Optional[str]
    confidence: float
    candidates: Tuple[Tuple[str, float], ...]  # (paper id, score), best first
    evidence: Tuple[Evidence, ...] = ()
    forced: bool = False

    @property
    def margin(self) -> float:
        """Score of the winner minus score of the runner-up."""
        scores = [s for _, s in self.candidates] + [0.0, 0.0]
        return scores[0] - scores[1]


@attrs.frozen
class Notice:
    """Something a user should know about a parse (a warning, a skipped rule...)."""

    level: str  # "info", "warning" or "error"
    code: str
    message: str
    span: Optional[Span] = None


@attrs.frozen
class Block:
    """A unit of text: one line of the page, or several after repairs join them."""

    text: "Traced"
    index: int  # position in page order when first split
    gap_before: int = 1  # blank lines before it in the source (0: same paragraph group)
    heading: int = 0  # Markdown heading level, 0 when not a heading
    indent: bool = False  # the line was indented (full-width spaces or 2+ spaces)
    hard_break: bool = False  # the line ended with a Markdown hard break (two spaces)
    hint: Optional[str] = None  # a role a repair rule already knows (e.g. "kicker")


@attrs.frozen
class Dropped:
    """Text that is not part of any article, kept with the reason it was set aside."""

    reason: str
    text: "Traced"


@attrs.frozen(eq=False)
class Marker:
    """A formula moved out of the body: a lead, a tail, a jump, a credit, a reprint note."""

    kind: str  # lead | byline | tail | continued_to | continued_from | reprint | author | credit
    text: "Traced"
    value: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(eq=False)
class Vote:
    """A rule's opinion about a block: its role, how sure, and markers found in it.

    ``markers`` are ``(kind, start, end, value)`` tuples with offsets into the block
    text: a lead at the start, a jump or author tail at the end.
    """

    role: str
    weight: float
    rule: str
    markers: Tuple[Tuple[str, int, int, Mapping[str, Any]], ...] = ()


@attrs.frozen
class Paragraph:
    role: str  # "text", "subhead" or "caption"
    text: "Traced"


@attrs.frozen(eq=False)
class Article:
    """One article as it will be written out; ``text`` fields are traced."""

    id: str
    kind: str = "news"
    column: Optional["Traced"] = None
    kicker: Optional["Traced"] = None
    title: Optional["Traced"] = None
    subtitle: Optional["Traced"] = None
    byline: Optional["Traced"] = None
    reporters: Tuple[str, ...] = ()
    agency: Optional[str] = None
    dateline: Optional[str] = None
    reprinted_from: Optional[str] = None
    paragraphs: Tuple[Paragraph, ...] = ()
    markers: Tuple[Marker, ...] = ()
    continued_to: Optional[int] = None
    continued_from: Optional[int] = None
    truncated_start: bool = False
    confidence: float = 1.0
    flags: Tuple[str, ...] = ()

    def traced_fields(self) -> Dict[str, "Traced"]:
        """Every field whose characters come from the page (derived fields excluded)."""
        out: Dict[str, "Traced"] = {}
        for name in ("column", "kicker", "title", "subtitle", "byline"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for i, p in enumerate(self.paragraphs):
            out[f"paragraphs[{i}]"] = p.text
        for i, m in enumerate(self.markers):
            out[f"markers[{i}]"] = m.text
        return out


@attrs.frozen(eq=False)
class MastheadLine:
    """A masthead line with the facts read from it."""

    text: "Traced"
    fields: Tuple[str, ...] = ()


@attrs.frozen(eq=False)
class Masthead:
    """The 报头: typed facts plus the lines they were read from."""

    facts: Mapping[str, Any]
    lines: Tuple[MastheadLine, ...]

    @property
    def span(self) -> Span:
        spans = [line.text.span for line in self.lines]
        return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else (0, 0)


@attrs.frozen(eq=False)
class MastheadResult:
    """What a masthead hook found: the masthead and the page furniture around it."""

    masthead: Optional[Masthead]
    claimed: Tuple[int, ...]  # block indices consumed (masthead lines and dropped furniture)
    dropped: Tuple[Dropped, ...] = ()
    repairs: Tuple[Repair, ...] = ()
    notices: Tuple[Notice, ...] = ()  # e.g. a weekday that contradicts the date


@attrs.frozen(eq=False)
class Page:
    """A parsed page: everything the JSON output holds, with traced text."""

    source: Source
    text: str
    paper: PaperGuess
    masthead: Optional[Masthead]
    articles: Tuple[Article, ...]
    dropped: Tuple[Dropped, ...]
    repairs: Tuple[Repair, ...]
    notices: Tuple[Notice, ...]
    blocks: Tuple[Block, ...] = ()  # the flow blocks after layout repair

    def to_dict(self) -> Dict[str, Any]:
        """The ``corepress.page/1`` JSON object."""
        from corepress.values.schema import page_to_dict

        return page_to_dict(self)

    def repaired_text(self) -> str:
        """The page as the repairs left it: parsing this again changes nothing more."""
        from corepress.values.schema import repaired_text

        return repaired_text(self)
