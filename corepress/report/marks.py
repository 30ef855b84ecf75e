"""What each character of a page became, as stretches a report can draw on the source text.

Every output string of a parse is :class:`~corepress.values.traced.Traced`, so each
character of the page can be given the one place the parse put it (an article's
field, a masthead line, a dropped item) and the repair that touched it, exactly as
:mod:`corepress.pipeline.accounting` counts them.  The page is then cut where either
changes into :class:`Run` s, and each article gets one :class:`Region` from its first
to its last character, so the report shows one coloured, numbered block per article.
"""

from __future__ import annotations

import re
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import attrs

from corepress.values.model import Page
from corepress.values.traced import INSERTED, Repair, Traced


@attrs.frozen
class Owner:
    """Where the parse put a character: ``kind`` is ``article``, ``masthead`` or ``dropped``."""

    kind: str
    index: int  # into page.articles, page.masthead.lines or page.dropped
    field: str  # an article field as Article.traced_fields names it, the masthead line's facts, or the drop reason


@attrs.frozen
class Run:
    """``page.text[start:end]``: one owner, one repair (or none) all along."""

    start: int
    end: int
    owner: Optional[Owner]
    repair: Optional[int]  # index into page.repairs


@attrs.frozen
class Region:
    """The stretch of the page one article is drawn over: from its first to its last character.

    Regions nest or are apart; an article whose stretch would cross the end of an earlier
    one is cut there (its later characters keep their colour, run by run).
    """

    article: int
    start: int
    end: int


@attrs.frozen
class PageMarks:
    runs: Tuple[Run, ...]
    regions: Tuple[Region, ...]  # one per article, sorted by start (outer before inner)
    insertions: Dict[int, Tuple[int, ...]]  # offset -> repairs that only inserted text there


def page_key(page: Page) -> str:
    """The page's part of every anchor in a report: the first 12 hex digits of its source's sha256.

    Made from the page's bytes, not its place on the command line, so ``corepress align
    --format html`` links into a report of the same files however they were listed.
    """
    return page.source.sha256[:12]


_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]+")


def article_anchor(key: str, article_id: str) -> str:
    """``page-KEY-article-ID``: the id of an article's region; an id with other characters is spelt in hex."""
    safe = article_id if _PLAIN_ID.fullmatch(article_id) else "x" + article_id.encode("utf-8").hex()
    return f"page-{key}-article-{safe}"


def owned_strings(page: Page) -> Iterator[Tuple[Owner, Traced]]:
    """Every traced output string of the page with its owner (as the accounting walks them)."""
    if page.masthead is not None:
        for i, line in enumerate(page.masthead.lines):
            yield Owner("masthead", i, ", ".join(line.fields)), line.text
    for k, article in enumerate(page.articles):
        for name, value in article.traced_fields().items():
            yield Owner("article", k, name), value
    for i, dropped in enumerate(page.dropped):
        yield Owner("dropped", i, dropped.reason), dropped.text


def page_marks(page: Page) -> PageMarks:
    n = len(page.text)
    owners: List[Optional[Owner]] = [None] * n
    for owner, value in owned_strings(page):
        for _, start, length in value.segments():
            if start != INSERTED and 0 <= start < n:
                end = min(start + length, n)
                owners[start:end] = [owner] * (end - start)
    repaired: List[Optional[int]] = [None] * n
    insertions: Dict[int, List[int]] = {}
    for i, repair in enumerate(page.repairs):
        start, end = max(0, repair.span[0]), min(n, repair.span[1])
        if end > start:
            repaired[start:end] = [i] * (end - start)
        else:
            insertions.setdefault(min(max(start, 0), n), []).append(i)
    regions = nest(_article_stretches(owners, len(page.articles)))
    cuts = {0, n} | set(insertions) | {r.start for r in regions} | {r.end for r in regions}
    cuts.update(p for p in range(1, n) if owners[p] != owners[p - 1] or repaired[p] != repaired[p - 1])
    points = sorted(cuts)
    runs = tuple(Run(a, b, owners[a], repaired[a]) for a, b in zip(points, points[1:]) if b > a)
    return PageMarks(runs, regions, {p: tuple(ids) for p, ids in insertions.items()})


def _article_stretches(owners: Sequence[Optional[Owner]], count: int) -> List[Region]:
    first: Dict[int, int] = {}
    last: Dict[int, int] = {}
    for pos, owner in enumerate(owners):
        if owner is not None and owner.kind == "article":
            first.setdefault(owner.index, pos)
            last[owner.index] = pos + 1
    # an article with no character from the page (all inserted) still gets its region, empty, at the top
    return [Region(k, first.get(k, 0), last.get(k, 0)) for k in range(count)]


def nest(regions: Sequence[Region]) -> Tuple[Region, ...]:
    """The regions cut so that each lies inside the one around it or apart from it (HTML elements must)."""
    out: List[Region] = []
    open_ends: List[int] = []
    for region in sorted(regions, key=lambda r: (r.start, -r.end, r.article)):
        while open_ends and open_ends[-1] <= region.start:
            open_ends.pop()
        end = min(region.end, open_ends[-1]) if open_ends else region.end
        out.append(Region(region.article, region.start, end))
        open_ends.append(end)
    return tuple(out)


def repair_kind(repair: Repair) -> str:
    """``join`` (a line break taken out: a column break joined), ``removed`` (text taken out),
    ``inserted`` or ``changed``: how the report draws it."""
    if not repair.after and "\n" in repair.before:
        return "join"
    if not repair.after:
        return "removed"
    if not repair.before:
        return "inserted"
    return "changed"


def shown(text: str) -> str:
    """Text for a hover note, its invisible characters made visible."""
    return text.replace("\n", "⏎").replace("\u3000", "□").replace(" ", "␣").replace("\t", "⇥")
