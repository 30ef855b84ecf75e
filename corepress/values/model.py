"""The values corepress passes around: all frozen, all carrying their source spans.

Values are immutable so that a plugin can never change what another plugin sees
behind its back; rules build new values with :func:`attrs.evolve`.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Any, ClassVar, Dict, Iterator, Mapping, Optional, Tuple

import attrs

from corepress.values.scores import GapDecision, MarkFacts, MarkKind, Role
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
class Producer:
    """What made a page: corepress's version and each loaded plugin's, so that a batch resumed
    later re-parses a page whose record an older corepress or plugin wrote."""

    corepress: str = attrs.field(factory=lambda: _corepress_version())
    plugins: Tuple[Tuple[str, str], ...] = ()  # (plugin name, version), sorted by name

    def to_dict(self) -> Dict[str, Any]:
        return {"corepress": self.corepress, "plugins": dict(self.plugins)}


def _corepress_version() -> str:
    from corepress._version import __version__

    return __version__


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
    hint: Optional[Role] = attrs.field(default=None, converter=lambda v: v if v is None or type(v) is Role else Role(v))  # a role a repair already knows


@attrs.frozen
class Dropped:
    """Text that is not part of any article, kept with the reason it was set aside."""

    reason: str
    text: "Traced"


@attrs.frozen
class Marker:
    """A formula moved out of the body (a lead, a tail, a jump, a credit, a reprint note), with what it says."""

    kind: MarkKind
    text: Traced
    facts: MarkFacts = MarkFacts()


@attrs.frozen
class Boundary:
    """Why an article starts where it does: the rules that spoke for a new article at its first
    gap, and how far that decision was ahead of the next best label (``None`` at the top of a page)."""

    rules: Tuple[str, ...] = ()
    margin: Optional[float] = None


class ArticleKind(str, enum.Enum):
    """What kind of piece an article is."""

    NEWS = "news"
    PHOTO = "photo"  # a picture story: title, captions and a credit
    INTERVIEW = "interview"
    COMMENTARY = "commentary"
    NOTICE = "notice"  # a law, an order, a notice: signature and date lines are body

    def __str__(self) -> str:
        return self.value


class ParagraphRole(str, enum.Enum):
    TEXT = "text"
    SUBHEAD = "subhead"  # a heading, box label or summary line inside the article
    CAPTION = "caption"  # a picture's caption

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Paragraph:
    role: ParagraphRole = attrs.field(converter=lambda v: v if type(v) is ParagraphRole else ParagraphRole(v))
    text: Traced


@attrs.frozen(eq=False)
class Article:
    """One article as it will be written out; ``text`` fields are traced."""

    id: str
    kind: ArticleKind = attrs.field(default=ArticleKind.NEWS, converter=lambda v: v if type(v) is ArticleKind else ArticleKind(v))
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
    continued_to: Optional[str] = None  # the page a jump points to, as printed: "3", "A3"
    continued_from: Optional[str] = None
    truncated_start: bool = False
    confidence: float = 1.0
    flags: Tuple[str, ...] = ()
    boundary: "Boundary" = attrs.field(factory=lambda: Boundary())  # why the article starts where it does

    HEADLINE_FIELDS: ClassVar[Tuple[str, ...]] = ("column", "kicker", "title", "subtitle", "byline")

    def traced_values(self) -> Iterator["Traced"]:
        """Every traced string of the article, in :meth:`traced_fields` order, without their names."""
        for name in self.HEADLINE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                yield value
        for p in self.paragraphs:
            yield p.text
        for m in self.markers:
            yield m.text

    def traced_fields(self) -> Dict[str, "Traced"]:
        """Every field whose characters come from the page (derived fields excluded)."""
        out: Dict[str, "Traced"] = {}
        for name in self.HEADLINE_FIELDS:
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

    facts: Mapping[str, Any] = attrs.field(converter=lambda facts: MappingProxyType(dict(facts)))  # read-only
    lines: Tuple[MastheadLine, ...] = ()

    def __reduce__(self) -> Any:
        # Pages travel between worker processes; the read-only view cannot be pickled, its dict can.
        return (Masthead, (dict(self.facts), self.lines))

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


class PageNumberSource(str, enum.Enum):
    """Where a page's own number was read."""

    PRINTED = "printed"  # the page head prints it: 第3版, A3 要闻, 第二版
    FILE_NAME = "file_name"  # the file's name holds it: …-p03.txt, rmrb-20200105-03.txt

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class PageIdentity:
    """Which page of its issue a page is: its own number (版次) and section name (版名).

    An issue is put back together from these: pages are ordered by them, and a jump
    (下转A3版) is resolved to the page whose ``number`` is the jump's.
    """

    number: str  # as printed and normalised like a jump's page: "3", "A3" (第三版 → "3", 03 → "3")
    source: PageNumberSource = attrs.field(converter=lambda v: v if type(v) is PageNumberSource else PageNumberSource(v))
    name: Optional[str] = None  # the section name the page head prints: 要闻, 国际, 理论
    date: Optional[str] = None  # ISO date the page head prints, else one the file name holds (inner pages have no masthead)
    span: Optional[Span] = None  # the page-head line it was read from; None when read from the file name

    @property
    def section_letter(self) -> Optional[str]:
        """``"A"`` for page ``A3``; ``None`` for a paper that numbers its pages without letters."""
        return self.number[0] if self.number[:1].isalpha() else None

    @property
    def ordinal(self) -> int:
        """The number without its section letter: 3 for ``A3``."""
        return int(self.number[1:] if self.section_letter else self.number)

    def sort_key(self) -> Tuple[str, int]:
        """Section letter, then number: A1 < A2 < A12 < B1; pages without a letter come first."""
        return (self.section_letter or "", self.ordinal)

    def to_dict(self) -> Dict[str, Any]:
        return {"number": self.number, "section_letter": self.section_letter, "name": self.name,
                "date": self.date, "source": self.source.value, "span": list(self.span) if self.span else None}


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
    blocks: Tuple[Block, ...] = ()  # the flow after repairs and joins: one block per paragraph or headline line
    gaps: Tuple[GapDecision, ...] = ()  # the decision taken at each gap of the flow before joins
    producer: "Producer" = attrs.field(factory=lambda: Producer())
    identity: Optional["PageIdentity"] = None  # the page's own number and section name (JSON key "page")

    def to_dict(self) -> Dict[str, Any]:
        """The ``corepress.page/2`` JSON object."""
        from corepress.values.schema import page_to_dict

        return page_to_dict(self)

    def repaired_text(self) -> str:
        """The page as the repairs left it: parsing this again changes nothing more."""
        from corepress.values.schema import repaired_text

        return repaired_text(self)
