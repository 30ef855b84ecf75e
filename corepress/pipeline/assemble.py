"""Stage: build articles from the decoded gaps.

Three steps, none of which makes a decision the gaps have not made:

1. blocks whose gap is ``join`` are glued into one unit (the gap's text — a
   newline, an indent — is logged as a ``join_column_break`` repair);
2. units are cut into segments at every ``new`` gap;
3. each segment becomes an article: its leading headline units are the headline
   stack (column / kicker / title / subtitle), bylines, leads and closing formulas
   become the byline and markers, headline-shaped units after the body has begun
   are subheads, and furniture (adverts, badges, noise) is dropped with its role
   as the reason.  A segment with no body is dropped (``column_tag``,
   ``orphan_tail``, ``orphan_credit``) — its text is kept in ``dropped``, never lost.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import attrs
import regex

from corepress.values.model import (
    Article,
    ArticleKind,
    Block,
    Boundary,
    Dropped,
    Marker,
    Notice,
    Paragraph,
    ParagraphRole,
)
from corepress.values.scores import (
    DROPPED_ROLES,
    HEADLINE_ROLES,
    GapDecision,
    GapLabel,
    Mark,
    MarkKind,
    Role,
    RoleScores,
)
from corepress.values.traced import Repair, Traced

OPENING_MARKS = frozenset({MarkKind.LEAD, MarkKind.CONTINUED_FROM})


@attrs.frozen
class Unit:
    """One or more blocks glued by ``join`` gaps, with their merged classification."""

    block: Block
    roles: RoleScores
    first: int  # index of its first block in the flow
    last: int


@attrs.frozen
class Assembled:
    articles: Tuple[Article, ...]
    dropped: Tuple[Dropped, ...]
    repairs: Tuple[Repair, ...]
    notices: Tuple[Notice, ...]
    flow: Tuple[Block, ...]  # the flow after joins: one block per paragraph


def assemble(
    text: str, flow: Sequence[Block], roles: Sequence[RoleScores], decisions: Sequence[GapDecision]
) -> Assembled:
    units, repairs = join_units(text, flow, roles, decisions)
    dropped: List[Dropped] = []
    notices: List[Notice] = []
    articles: List[Article] = []
    for segment, reasons in segments(units, decisions):
        article = build_article(segment, f"a{len(articles) + 1}", reasons, dropped, notices)
        if article is not None:
            articles.append(article)
    return Assembled(tuple(articles), tuple(dropped), tuple(repairs), tuple(notices), tuple(u.block for u in units))


# 1. joins -----------------------------------------------------------------------------------
def join_units(
    text: str, flow: Sequence[Block], roles: Sequence[RoleScores], decisions: Sequence[GapDecision]
) -> Tuple[List[Unit], List[Repair]]:
    groups: List[List[int]] = []
    repairs: List[Repair] = []
    for i in range(len(flow)):
        if i and decisions[i - 1].label is GapLabel.JOIN:
            gap = _gap(flow[i - 1], flow[i])
            repairs.append(Repair(rule="join_column_break", span=gap, before=text[gap[0]:gap[1]], after=""))
            groups[-1].append(i)
        else:
            groups.append([i])
    # each unit glued once from all its blocks: gluing block by block would copy the text
    # so far at every join, quadratic in a paragraph broken at every comma
    return [_glue(group, flow, roles) for group in groups], repairs


def _gap(a: Block, b: Block) -> Tuple[int, int]:
    end, start = a.text.span[1], b.text.span[0]
    return (end, start) if start >= end else (start, start)


def _glue(group: Sequence[int], flow: Sequence[Block], roles: Sequence[RoleScores]) -> Unit:
    first, last = group[0], group[-1]
    if len(group) == 1:
        return Unit(flow[first], roles[first], first, first)
    marks = list(roles[first].marks)
    merged = roles[first].role
    shift = 0
    for upper_index, index in zip(group, group[1:]):
        shift += len(flow[upper_index].text)
        marks.extend(attrs.evolve(m, start=m.start + shift, end=m.end + shift) for m in roles[index].marks)
        merged = _merged_role(merged, roles[index].role)
    glued = attrs.evolve(flow[first], text=Traced.join(flow[i].text for i in group), hard_break=flow[last].hard_break)
    return Unit(glued, attrs.evolve(roles[first], role=merged, marks=tuple(marks)), first, last)


def _merged_role(upper: Role, lower: Role) -> Role:
    """The role of a unit glued from a block of role ``upper`` and the next, of role ``lower``."""
    if upper in (Role.LEAD, Role.CONTINUED_FROM, Role.TEXT):
        return upper
    if lower is Role.TEXT:
        return Role.TEXT  # a heading-shaped fragment that a sentence continues is text
    return upper


# 2. segments --------------------------------------------------------------------------------
def segments(units: Sequence[Unit], decisions: Sequence[GapDecision]) -> List[Tuple[List[Unit], Boundary]]:
    """Units cut at ``new`` gaps, each with why it starts there."""
    out: List[Tuple[List[Unit], Boundary]] = []
    for unit in units:
        if not out or decisions[unit.first - 1].label is GapLabel.NEW:
            decision = decisions[unit.first - 1] if out else None
            boundary = Boundary(decision.rules, round(decision.margin, 3)) if decision else Boundary(("page_start",))
            out.append(([unit], boundary))
        else:
            out[-1][0].append(unit)
    return out


# 3. articles --------------------------------------------------------------------------------
@attrs.define
class _Draft:
    headings: List[Tuple[Role, Block]] = attrs.field(factory=list)
    byline: Optional[Traced] = None
    byline_mark: Optional[Mark] = None
    markers: List[Marker] = attrs.field(factory=list)
    paragraphs: List[Paragraph] = attrs.field(factory=list)
    truncated_start: bool = False
    text_gap: bool = False
    photo: bool = False
    has_lead: bool = False
    started: bool = False  # body, byline or lead seen: headline units from here on are subheads


def build_article(
    segment: Sequence[Unit], article_id: str, reasons: Boundary, dropped: List[Dropped], notices: List[Notice]
) -> Optional[Article]:
    draft = _Draft()
    kept = _drop_furniture(segment, dropped)
    for unit in kept:
        role = unit.roles.role
        if role is Role.SUBHEAD:
            draft.started = True
            draft.paragraphs.append(Paragraph(ParagraphRole.SUBHEAD, unit.block.text))
        elif role in HEADLINE_ROLES:
            if draft.started:
                draft.paragraphs.append(Paragraph(ParagraphRole.SUBHEAD, unit.block.text))
            else:
                draft.headings.append((role, unit.block))
        elif role is Role.BYLINE and draft.byline is None:
            draft.started = True
            draft.byline = unit.block.text
            draft.byline_mark = next((m for m in unit.roles.marks if m.kind is MarkKind.BYLINE), None)
            draft.markers.extend(_markers(unit, skip=(MarkKind.BYLINE,)))
        elif role in (Role.TAIL, Role.CREDIT) or (role is Role.BYLINE):
            draft.markers.extend(_markers(unit) or [Marker(MarkKind.NOTE, unit.block.text)])
            if role is Role.CREDIT:
                draft.photo = True
        else:
            draft.started = True
            _add_body(draft, unit)
    if not draft.paragraphs and draft.byline is None and not (draft.photo and draft.headings):
        _drop_orphans(draft, kept, dropped, notices)
        return None
    return _build(draft, article_id, reasons)


def _drop_furniture(segment: Sequence[Unit], dropped: List[Dropped]) -> List[Unit]:
    """Adverts, badges and noise leave the article; a slogan right above an advert goes with it."""
    kept: List[Unit] = []
    for unit in segment:
        role = unit.roles.role
        if role in DROPPED_ROLES:
            if role is Role.ADVERT:
                while kept and kept[-1].roles.role in HEADLINE_ROLES:
                    dropped.append(Dropped("advert", kept.pop().block.text))
            dropped.append(Dropped(role.value, unit.block.text))
        else:
            kept.append(unit)
    return kept


def _drop_orphans(draft: _Draft, kept: Sequence[Unit], dropped: List[Dropped], notices: List[Notice]) -> None:
    for unit in kept:
        role = unit.roles.role
        if role in (Role.TAIL, Role.CREDIT):
            reason = "orphan_credit" if role is Role.CREDIT else "orphan_tail"
        else:
            reason = "column_tag"
            notices.append(
                Notice("info", reason, f"dropped a lone {role.value} line as {reason}: {unit.block.text.text[:30]}", unit.block.text.span)
            )
        dropped.append(Dropped(reason, unit.block.text))


def _markers(unit: Unit, skip: Tuple[MarkKind, ...] = ()) -> List[Marker]:
    if not unit.roles.marks:  # most units: plain body text
        return []
    text = unit.block.text
    return [Marker(m.kind, text[m.start:m.end].strip(), m.facts) for m in sorted(unit.roles.marks, key=lambda m: m.start) if m.kind not in skip]


_MID_SENTENCE = regex.compile(r"^(?:[，。、；：！？）》”’…,.;:!?)]|\p{Han}[、，”’）》])")


def starts_mid_sentence(text: str) -> bool:
    """The text begins where a sentence cannot: ``，并且…``, ``神、习近平…`` (the end of a lost sentence)."""
    return bool(text) and _MID_SENTENCE.match(text) is not None


def _add_body(draft: _Draft, unit: Unit) -> None:
    text = unit.block.text
    marks = sorted(unit.roles.marks, key=lambda m: m.start)
    start = 0
    for m in marks:
        if m.kind in OPENING_MARKS and m.start <= start + 1 and m.start >= start - 1:
            start = m.end
            if m.kind is MarkKind.LEAD:
                draft.has_lead = True
    tail_start = len(text)
    for m in marks:
        if m.kind not in OPENING_MARKS and m.start >= start:
            tail_start = min(tail_start, m.start)
    draft.markers.extend(_markers(unit))
    body = (text if start == 0 and tail_start == len(text) else text[start:tail_start]).strip()  # most: all of it, no copy
    if body.text:
        continued = any(m.kind is MarkKind.CONTINUED_FROM for m in draft.markers)
        if not draft.paragraphs and starts_mid_sentence(body.text) and not continued:
            draft.truncated_start = True
        elif draft.paragraphs and starts_mid_sentence(body.text):
            draft.text_gap = True
        draft.paragraphs.append(Paragraph(ParagraphRole.TEXT, body))
    if any(m.kind is MarkKind.CREDIT for m in marks):
        draft.photo = True


def assign_headline(headings: Sequence[Tuple[Role, Block]]) -> Dict[str, Any]:
    """Share the stack out as column / kicker / title / subtitle (see docs/expected-pages.md)."""
    columns = [b.text for role, b in headings if role is Role.COLUMN]
    stack = [(role, b.text) for role, b in headings if role is not Role.COLUMN]
    levels = [b.heading for role, b in headings if role is not Role.COLUMN]
    out: Dict[str, Any] = {"column": columns[0] if columns else None, "guessed": False}
    extra_columns = columns[1:]
    titled = [i for i, (role, _) in enumerate(stack) if role is Role.TITLE]
    if titled:
        t = titled[0]
        out["title"] = stack[t][1]
        out["kicker"] = _joined([x for _, x in stack[:t]])
        out["subtitle"] = _joined([x for _, x in stack[t + 1:]])
    else:
        lead_subs = 0
        while lead_subs < len(stack) - 1 and stack[lead_subs][0] is Role.SUBTITLE:
            lead_subs += 1  # a "subtitle" that stands first is really a heading
        main = [(r if i >= lead_subs else Role.HEADING, x) for i, (r, x) in enumerate(stack)]
        subs = [x for r, x in main if r is Role.SUBTITLE]
        cands = [(r, x) for r, x in main if r is not Role.SUBTITLE]
        if not cands and subs:
            cands, subs = [(Role.HEADING, subs[0])], subs[1:]
        kicker = title = None
        if len(cands) == 1:
            title = cands[0][1]
        elif len(cands) == 2:
            if 0 < levels[0] < levels[1]:  # Markdown: "## " under "# " is the subtitle
                title, subs = cands[0][1], [cands[1][1]] + subs
            elif cands[0][0] is Role.KICKER or subs:
                kicker, title = cands[0][1], cands[1][1]
            else:
                title, subs = cands[0][1], [cands[1][1]] + subs
                out["guessed"] = True
        elif len(cands) >= 3:
            kicker, title = cands[0][1], cands[1][1]
            subs = [x for _, x in cands[2:]] + subs
        out["kicker"], out["title"] = kicker, title
        out["subtitle"] = _joined(subs)
    if extra_columns:
        out["kicker"] = _joined(extra_columns + ([out["kicker"]] if out["kicker"] else []))
    return out


def _joined(parts: Sequence[Traced]) -> Optional[Traced]:
    if not parts:
        return None
    return Traced.join(parts, sep=Traced.inserted("\n"))


def _build(draft: _Draft, article_id: str, reasons: Boundary) -> Article:
    head = assign_headline(draft.headings)
    reporters: List[str] = []
    agency = dateline = reprinted = None
    continued_to = continued_from = None
    facts = ([(MarkKind.BYLINE, draft.byline_mark.facts)] if draft.byline_mark else []) + [(m.kind, m.facts) for m in draft.markers]
    for mark_kind, f in facts:
        for name in f.reporters:
            if name not in reporters:
                reporters.append(name)
        if mark_kind in (MarkKind.LEAD, MarkKind.BYLINE, MarkKind.CREDIT, MarkKind.TAIL) and f.agency and agency is None:
            agency = f.agency
        if mark_kind in (MarkKind.LEAD, MarkKind.TAIL) and f.dateline and dateline is None:
            dateline = f.dateline
        if mark_kind is MarkKind.REPRINT:
            reprinted = f.source
        if mark_kind is MarkKind.CONTINUED_TO:
            continued_to = f.page
        if mark_kind is MarkKind.CONTINUED_FROM:
            continued_from = f.page
    paragraphs = list(draft.paragraphs)
    kind = ArticleKind.NEWS
    if draft.photo and not draft.has_lead and draft.byline is None and len(paragraphs) <= 4:
        kind = ArticleKind.PHOTO
        paragraphs = [Paragraph(ParagraphRole.CAPTION, p.text) if p.role is ParagraphRole.TEXT else p for p in paragraphs]
    flags: List[str] = []
    if not reporters and draft.byline is None and agency is None and continued_from is None:
        flags.append("no_byline")
    if head["title"] is None:
        flags.append("no_title")
    if head["guessed"]:
        flags.append("title_guessed")
    if draft.truncated_start:
        flags.append("truncated_start")
    if draft.text_gap:
        flags.append("text_gap")
    if not paragraphs:
        flags.append("empty_body")
    if reasons.margin is not None and reasons.margin < WEAK_BOUNDARY_MARGIN:
        flags.append("weak_boundary")
    return Article(
        id=article_id,
        kind=kind,
        column=head["column"],
        kicker=head["kicker"],
        title=head["title"],
        subtitle=head["subtitle"],
        byline=draft.byline,
        reporters=tuple(reporters),
        agency=agency,
        dateline=dateline,
        reprinted_from=reprinted,
        paragraphs=tuple(paragraphs),
        markers=tuple(draft.markers),
        continued_to=continued_to,
        continued_from=continued_from,
        truncated_start=draft.truncated_start,
        confidence=confidence(flags),
        flags=tuple(flags),
        boundary=reasons,
    )


WEAK_BOUNDARY_MARGIN = 1.0
"""An article whose start won by less than this (in summed log-odds, every scorer's evidence, the
rules' and any model's) is flagged ``weak_boundary``: its boundary was nearly decided the other way."""

PENALTY = {
    "no_byline": 0.1, "no_title": 0.35, "title_guessed": 0.1, "truncated_start": 0.2, "text_gap": 0.05, "empty_body": 0.4,
    "weak_boundary": 0.15,
}


def confidence(flags: Sequence[str]) -> float:
    """How much to trust an article's boundaries and headline, from its flags."""
    value = 1.0
    for flag in flags:
        value -= PENALTY.get(flag, 0.0)  # other flags (a plugin's series:…) say what, not how sure
    return round(max(0.05, value), 2)
