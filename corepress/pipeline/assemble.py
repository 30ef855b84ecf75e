"""Grouping classified blocks into articles.

A small state machine over the flow: headline pieces wait in a *stack* until a
byline, lead, continued part or body text says an article starts; body text
goes to the open article; a tail formula or jump closes it.  A single short
heading that arrives while an article is still open and is followed by body
text is that article's subhead, not a new article.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import attrs

from corepress.rules.structure import MarkerTuple
from corepress.rules.text import starts_mid_sentence
from corepress.values.model import Article, Block, Dropped, Marker, Notice, Paragraph
from corepress.values.traced import Traced

PHOTO_CAPTIONS = 3  # at most this many caption paragraphs between a photo title and its credit
CAPTION_MAX = 200  # characters: a longer paragraph is article text, not a caption


@attrs.frozen(eq=False)
class Classified:
    block: Block
    role: str
    markers: Tuple[MarkerTuple, ...] = ()


@attrs.define
class _Draft:
    headings: List[Tuple[str, Block]]
    byline: Optional[Traced] = None
    markers: List[Marker] = attrs.field(factory=list)
    paragraphs: List[Paragraph] = attrs.field(factory=list)
    closed: bool = False
    truncated_start: bool = False
    text_gap: bool = False
    photo: bool = False
    has_lead: bool = False
    byline_value: Mapping[str, Any] = attrs.field(factory=dict)


class Segmenter:
    def __init__(self) -> None:
        self.articles: List[_Draft] = []
        self.current: Optional[_Draft] = None
        self.pending: List[Tuple[str, Block]] = []
        self.dropped: List[Dropped] = []
        self.notices: List[Notice] = []

    def run(self, items: Sequence[Classified]) -> None:
        for item in items:
            handler = getattr(self, f"_on_{item.role}", self._on_text)
            handler(item)
        self._flush_trailing()

    # roles ---------------------------------------------------------------------------
    def _on_heading(self, item: Classified) -> None:
        self.pending.append((item.role, item.block))

    _on_kicker = _on_subtitle = _on_title = _on_column = _on_heading

    def _on_advert(self, item: Classified) -> None:
        # a slogan printed just above the issuer line is part of the advert
        while self.pending and self.pending[-1][0] == "heading":
            self.dropped.append(Dropped("advert", self.pending.pop()[1].text))
        self.dropped.append(Dropped("advert", item.block.text))

    def _on_badge(self, item: Classified) -> None:
        self.dropped.append(Dropped("badge", item.block.text))

    def _on_noise(self, item: Classified) -> None:
        self.dropped.append(Dropped("noise", item.block.text))

    def _on_byline(self, item: Classified) -> None:
        draft = self._start()
        draft.byline = item.block.text
        for kind, _s, _e, value in item.markers:
            if kind == "byline":
                draft.byline_value = dict(value)
        draft.markers.extend(_markers(item, skip_kinds=("byline",)))

    def _on_lead(self, item: Classified) -> None:
        current = self.current
        if self.pending or current is None or current.paragraphs or current.closed or current.has_lead:
            current = self._start()
        current.has_lead = True
        self._add_body(current, item)

    def _on_continued_from(self, item: Classified) -> None:
        current = self._start()
        self._add_body(current, item)

    def _on_tail(self, item: Classified) -> None:
        if self.current is None or self.pending:
            self._drop_pending("column_tag")
            self.dropped.append(Dropped("orphan_tail", item.block.text))
            return
        self.current.markers.extend(_markers(item))
        self.current.closed = True

    def _on_credit(self, item: Classified) -> None:
        if self.current is None or self.pending:
            if self.pending:
                self.current = self._start()
            else:
                self.dropped.append(Dropped("orphan_credit", item.block.text))
                return
        self._split_photo()
        self.current.markers.extend(_markers(item))
        self.current.photo = True
        self.current.closed = True

    def _split_photo(self) -> None:
        """Photo news after an article with no tail: what looked like a subhead is its title.

        A credit closing at most ``PHOTO_CAPTIONS`` short paragraphs that follow a
        subhead means title + caption + credit, not the end of the running article.
        """
        draft = self.current
        if draft is None or draft.photo:
            return
        subheads = [i for i, p in enumerate(draft.paragraphs) if p.role == "subhead"]
        if not subheads:
            return
        k = subheads[-1]
        captions = draft.paragraphs[k + 1:]
        if not 1 <= len(captions) <= PHOTO_CAPTIONS or any(len(p.text.text) > CAPTION_MAX for p in captions):
            return
        title = draft.paragraphs[k].text
        del draft.paragraphs[k:]
        photo = _Draft(headings=[("title", Block(text=title, index=-1))], paragraphs=list(captions))
        self.articles.append(photo)
        self.current = photo

    def _on_text(self, item: Classified) -> None:
        if self.pending:
            if self._is_subhead():
                _role, block = self.pending.pop()
                self.current.paragraphs.append(Paragraph("subhead", block.text))  # type: ignore[union-attr]
            else:
                self._start()
        if self.current is None:
            self._start()
        self._add_body(self.current, item)  # type: ignore[arg-type]

    # helpers -------------------------------------------------------------------------
    def _is_subhead(self) -> bool:
        current = self.current
        if current is None or current.closed or not current.paragraphs:
            return False
        if len(self.pending) != 1:
            return False
        role, block = self.pending[0]
        return role == "heading" and not block.heading

    def _start(self) -> _Draft:
        draft = _Draft(headings=list(self.pending))
        self.pending = []
        self.articles.append(draft)
        self.current = draft
        return draft

    def _drop_pending(self, reason: str) -> None:
        for role, block in self.pending:
            self.dropped.append(Dropped(reason, block.text))
            self.notices.append(Notice("info", reason, f"dropped a lone {role} line as {reason}: {block.text.text[:30]}", block.text.span))
        self.pending = []

    def _flush_trailing(self) -> None:
        self._drop_pending("column_tag")

    def _add_body(self, draft: _Draft, item: Classified) -> None:
        text = item.block.text
        start = 0
        for kind, m_start, m_end, _value in sorted(item.markers, key=lambda m: m[1]):
            if kind in ("lead", "continued_from") and m_start == start:
                start = m_end
        tail_start = len(text)
        for kind, m_start, _end, _value in item.markers:
            if kind not in ("lead", "continued_from") and m_start >= start:
                tail_start = min(tail_start, m_start)
        draft.markers.extend(_markers(item))
        body = text[start:tail_start].strip()
        if body.text:
            if not draft.paragraphs and starts_mid_sentence(body.text) and not _has(draft, "continued_from"):
                draft.truncated_start = True
            elif draft.paragraphs and starts_mid_sentence(body.text):
                draft.text_gap = True
            draft.paragraphs.append(Paragraph("text", body))
        if any(kind in ("continued_to", "tail", "end", "reprint") for kind, *_ in item.markers):
            draft.closed = True
        if any(kind == "credit" for kind, *_ in item.markers):
            self._split_photo()
            (self.current or draft).photo = True

    # output --------------------------------------------------------------------------
    def articles_out(self) -> List[Article]:
        out = []
        for n, draft in enumerate(self.articles, 1):
            out.append(_build(draft, f"a{n}"))
        return out


def _has(draft: _Draft, kind: str) -> bool:
    return any(m.kind == kind for m in draft.markers)


def _markers(item: Classified, skip_kinds: Tuple[str, ...] = ()) -> List[Marker]:
    text = item.block.text
    return [
        Marker(kind, text[s:e].strip(), dict(value))
        for kind, s, e, value in sorted(item.markers, key=lambda m: m[1])
        if kind not in skip_kinds
    ]


def assign_headline(headings: Sequence[Tuple[str, Block]]) -> Dict[str, Any]:
    """Share the stack out as column / kicker / title / subtitle (see docs/expected-pages.md)."""
    columns = [b.text for role, b in headings if role == "column"]
    stack = [(role, b.text) for role, b in headings if role != "column"]
    levels = [b.heading for role, b in headings if role != "column"]
    out: Dict[str, Any] = {"column": columns[0] if columns else None, "guessed": False}
    extra_columns = columns[1:]
    titled = [i for i, (role, _) in enumerate(stack) if role == "title"]
    if titled:
        t = titled[0]
        before, after = stack[:t], stack[t + 1:]
        out["title"] = stack[t][1]
        out["kicker"] = _joined([x for _, x in before])
        out["subtitle"] = _joined([x for _, x in after])
    else:
        lead_subs = 0
        while lead_subs < len(stack) and stack[lead_subs][0] == "subtitle" and lead_subs < len(stack) - 1:
            lead_subs += 1  # a "subtitle" that stands first is really a heading
        main = [(r if i >= lead_subs else "heading", x) for i, (r, x) in enumerate(stack)]
        subs = [x for r, x in main if r == "subtitle"]
        cands = [(r, x) for r, x in main if r != "subtitle"]
        if not cands and subs:
            cands, subs = [("heading", subs[0])], subs[1:]
        kicker = title = None
        if len(cands) == 1:
            title = cands[0][1]
        elif len(cands) == 2:
            if 0 < levels[0] < levels[1]:  # Markdown: "## " under "# " is the subtitle
                title, subs = cands[0][1], [cands[1][1]] + subs
            elif cands[0][0] == "kicker" or subs:
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


def _build(draft: _Draft, article_id: str) -> Article:
    head = assign_headline(draft.headings)
    reporters: List[str] = []
    agency = dateline = reprinted = None
    continued_to = continued_from = None
    markers = list(draft.markers)
    sources: List[Tuple[str, Mapping[str, Any]]] = [("byline", draft.byline_value)] if draft.byline_value else []
    sources += [(m.kind, m.value) for m in draft.markers]
    for kind, value in sources:
        for name in value.get("reporters", ()) or ():
            if name not in reporters:
                reporters.append(name)
        if kind in ("lead", "byline", "credit", "tail") and value.get("agency") and agency is None:
            agency = value["agency"]
        if kind in ("lead", "tail") and value.get("dateline") and dateline is None:
            dateline = value["dateline"]
        if kind == "reprint":
            reprinted = value.get("source")
        if kind == "continued_to":
            continued_to = value.get("page")
        if kind == "continued_from":
            continued_from = value.get("page")
    paragraphs = list(draft.paragraphs)
    kind = "news"
    if draft.photo and not draft.has_lead and draft.byline is None and len(paragraphs) <= 4:
        kind = "photo"
        paragraphs = [Paragraph("caption", p.text) if p.role == "text" else p for p in paragraphs]
    flags: List[str] = []
    if not reporters and draft.byline is None and agency is None and not _has(draft, "continued_from"):
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
        markers=tuple(markers),
        continued_to=continued_to,
        continued_from=continued_from,
        truncated_start=draft.truncated_start,
        confidence=confidence(flags),
        flags=tuple(flags),
    )


PENALTY = {"no_byline": 0.1, "no_title": 0.35, "title_guessed": 0.1, "truncated_start": 0.2, "text_gap": 0.05, "empty_body": 0.4}


def confidence(flags: Sequence[str]) -> float:
    """How much to trust an article's boundaries and headline, from its flags."""
    value = 1.0
    for flag in flags:
        value -= PENALTY.get(flag, 0.0)  # other flags (a plugin's series:…) say what, not how sure
    return round(max(0.05, value), 2)
