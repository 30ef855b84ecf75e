"""The evidence plugins give about a page: role votes per block and boundary scores per gap.

Every plugin that reads a page speaks the same two small languages, so that rules,
a paper's own knowledge and a statistical model can take part in one decision
without any of them winning just because it was asked first:

* a :class:`Vote` says what one block is (a :class:`Role`), with a weight, and
  may carry :class:`Mark` s — formulas found inside the block (a lead at its start,
  a reporter note at its end);
* a :class:`GapScore` says, for the gap between two neighbouring blocks, how much
  the evidence favours one :class:`GapLabel` (join the two blocks into one
  paragraph / same article / new article), in log-odds.

Both scales are additive: contributions are summed per role or per label, so the
order in which plugins are called can never change a result.

Enum fields convert plain strings to their vocabulary (``Vote("text", …)``) and take a
member as it is, without the enum machinery: votes are made by the thousand.
"""

from __future__ import annotations

import enum
import math
from typing import Mapping, Optional, Tuple

import attrs


class Role(str, enum.Enum):
    """What a block of the flow is.  A fixed vocabulary: a vote with any other role is refused."""

    TEXT = "text"  # body text
    HEADING = "heading"  # headline-shaped: title, kicker or subhead, by its place in the article
    TITLE = "title"  # certainly the title (主题) of an article
    KICKER = "kicker"  # 引题, above the title
    SUBTITLE = "subtitle"  # 副题, below the title
    SUBHEAD = "subhead"  # a heading inside an article: a section head, a box label, a summary line
    COLUMN = "column"  # a column tag (栏目)
    BYLINE = "byline"  # 本报记者 X, a block of its own
    LEAD = "lead"  # a block that opens with a lead formula (电头): 本报北京1月4日电 …
    TAIL = "tail"  # a closing formula on its own: （本报记者 X）, 新华社北京1月4日电, （作者单位：…）
    CONTINUED_FROM = "continued_from"  # （上接第一版） …
    CREDIT = "credit"  # a photo credit: X摄
    ADVERT = "advert"  # an advert or its issuer line (… 宣)
    BADGE = "badge"  # an award badge printed at the top of a page
    NOISE = "noise"  # page furniture that is none of the above

    def __str__(self) -> str:
        return self.value


HEADLINE_ROLES = frozenset({Role.HEADING, Role.TITLE, Role.KICKER, Role.SUBTITLE, Role.COLUMN})
"""Roles that stand in a headline stack when they open an article."""

DROPPED_ROLES = frozenset({Role.ADVERT, Role.BADGE, Role.NOISE})
"""Roles whose blocks are set aside in ``dropped`` with the role as the reason."""

CLOSING_ROLES = frozenset({Role.TAIL, Role.CREDIT})
"""Roles of blocks that close the article they stand in."""


class MarkKind(str, enum.Enum):
    """What a formula found inside a block is."""

    LEAD = "lead"  # 电头 at the start of the body: 本报讯（记者X） / 新华社北京1月4日电
    BYLINE = "byline"  # 本报记者 X
    TAIL = "tail"  # an agency dateline after the last sentence: （新华社北京1月4日电）
    END = "end"  # （完）
    AUTHOR = "author"  # a bracketed author or reporter note after the last sentence: （本报记者 X）
    NOTE = "note"  # a closing note: （作者单位：…）, 参与采写, 相关报道见…, 制图/版式设计
    CREDIT = "credit"  # X摄, 新华社发（X摄）
    REPRINT = "reprint"  # （转自《X》）
    CONTINUED_TO = "continued_to"  # （下转3版）
    CONTINUED_FROM = "continued_from"  # （上接第一版）

    def __str__(self) -> str:
        return self.value


CLOSING_MARKS = frozenset(
    {MarkKind.TAIL, MarkKind.END, MarkKind.AUTHOR, MarkKind.NOTE, MarkKind.CREDIT, MarkKind.REPRINT, MarkKind.CONTINUED_TO}
)
"""Marks that close the article: nothing of the same story follows them."""


def _names(value: object) -> Tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else ()


@attrs.frozen
class MarkFacts:
    """What a formula says.  Every field is optional; strings only, so any result serialises."""

    agency: Optional[str] = None  # 本报, 新华社, 广西日报 …
    dateline: Optional[str] = None  # 北京1月4日
    reporters: Tuple[str, ...] = attrs.field(default=(), converter=_names)
    page: Optional[str] = None  # a jump's page as printed and normalised: "3", "A3"
    source: Optional[str] = None  # a reprint's source paper
    role: Optional[str] = None  # 记者, 通讯员, 评论员 …
    via: bool = False  # 据新华社…: the story is another outlet's


@attrs.frozen
class Mark:
    """A formula inside a block: ``block.text[start:end]``, its kind and what it says."""

    kind: MarkKind = attrs.field(converter=lambda v: v if type(v) is MarkKind else MarkKind(v))
    start: int
    end: int
    facts: MarkFacts = MarkFacts()


@attrs.frozen
class Vote:
    """A rule's opinion about a block: a role, a weight, the rule's name, and marks found in it.

    Weights are evidence points on one scale shared by every plugin (see
    :func:`corepress.pipeline.classify.combine_votes`): 10 a role a repair already
    established, 8 a formula that cannot be anything else, 6 a strong cue, 3–4 a
    weak cue, 1 plain body text.  Per role, each plugin counts with its strongest
    vote, and the plugins' counts are summed.
    """

    role: Role = attrs.field(converter=lambda v: v if type(v) is Role else Role(v))
    weight: float
    rule: str
    marks: Tuple[Mark, ...] = ()


@attrs.frozen
class RoleScores:
    """A block after classification: the winning role, the score of every role voted for, the marks."""

    role: Role
    scores: Tuple[Tuple[Role, float], ...]  # best first
    marks: Tuple[Mark, ...] = ()
    rules: Tuple[str, ...] = ()  # the rules that voted for the winning role

    def score(self, role: Role) -> float:
        for r, s in self.scores:
            if r is role:
                return s
        return 0.0

    def has_mark(self, *kinds: MarkKind) -> bool:
        return bool(self.marks) and any(m.kind in kinds for m in self.marks)  # most blocks have none


class GapLabel(str, enum.Enum):
    """What lies between two neighbouring blocks of the flow."""

    JOIN = "join"  # one paragraph cut by a column or page break: glue the blocks together
    SAME = "same"  # a paragraph or headline boundary inside one article
    NEW = "new"  # the second block starts a new article

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class GapScore:
    """Evidence about gap ``gap`` (between flow blocks ``gap`` and ``gap + 1``), in log-odds.

    ``logodds`` > 0 is evidence *for* ``label``, < 0 against it.  Contributions are
    summed per label over every rule of every plugin; the decoder adds the priors
    of :data:`corepress.pipeline.decode.PRIORS` and takes the best label per gap
    under the structural constraints.  A few points are a clear cue; 10 and more is
    a formula no weak score should overrule.
    """

    gap: int
    label: GapLabel = attrs.field(converter=lambda v: v if type(v) is GapLabel else GapLabel(v))
    logodds: float
    rule: str


@attrs.frozen
class GapDecision:
    """The label decoded for one gap, its summed scores and the rules that spoke for it."""

    label: GapLabel
    totals: Tuple[Tuple[GapLabel, float], ...]
    rules: Tuple[str, ...] = ()

    @property
    def margin(self) -> float:
        """How far the chosen label's total is ahead of the best other label's."""
        mine = dict(self.totals)[self.label]
        others = [t for label, t in self.totals if label is not self.label]
        return mine - max(others) if others else math.inf


def facts_from(mapping: Mapping[str, object]) -> MarkFacts:
    """Build :class:`MarkFacts` from the keys a formula's match gives (unknown keys are ignored)."""
    known = {f.name for f in attrs.fields(MarkFacts)}
    return MarkFacts(**{k: v for k, v in mapping.items() if k in known and v is not None})  # type: ignore[arg-type]
