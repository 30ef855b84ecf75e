"""Where gold articles sit in the page text, and which joins glue two of them together.

Both kinds of gold (snippet gold and expected pages) give, per article, the first
characters of its body and the last characters of its body, in page order.  That is
enough to find each gold body in the page text a parse indexes (the text
:func:`corepress.read` returns), ignoring whitespace as every comparison here does:

* a body *starts* at the first place, after the previous gold article's start, where
  its ``body_start`` occurs (failing that, one of its ``body_start_alternatives``);
* it *ends* at the last place, before the next located start, where its first
  ``body_end`` occurs (failing that, the latest-ending of the other ``body_end``
  strings).

Between the end of gold article *i* and the start of gold article *i+1* lies the
stretch that holds any loose line and *i+1*'s headline and lead: the gold
**boundary**.  A join glues the end of *i* to what follows it (the next article's
headline, lead or body, or a loose line) when

* a ``join_column_break`` repair's span (the gap it removed) begins right after the
  last character of *i* (only whitespace between) and ends inside the stretch, or
* one predicted paragraph holds the last character of *i* and the first character
  printed after it (read from the paragraph's spans; a paragraph without spans is
  checked on its text: it holds *i*'s ``body_end`` followed by more text).

Joins made further inside the stretch (two headline lines of *i+1*, a headline and
its own body) join parts of one article and are not counted here.  A boundary counts
once however many joins glue it.  Articles that cannot be found in the page text (a
gold string with a typo, a page that was edited) are left out, and so are the
boundaries next to them: the figure is over the boundaries that could be located.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Set, Tuple

import attrs

from corepress.evaluation.score import _squash as squash

JOIN_RULE = "join_column_break"


@attrs.frozen
class Located:
    """A gold body found in the page text: code-point offsets ``[start, end)`` and the strings that matched."""

    start: int
    end: int
    start_text: str
    end_text: str


@attrs.frozen
class Boundary:
    """The stretch ``[end, start]`` between gold article ``before`` and gold article ``after``.

    ``follows`` is the offset of the first non-whitespace character after ``end``.
    """

    before: int
    after: int
    end: int
    follows: int
    start: int
    end_text: str
    start_text: str


@attrs.frozen
class Glued:
    """Which located boundaries a parse glued, and by what."""

    boundaries: int
    by_repair: Tuple[int, ...]
    by_paragraph: Tuple[int, ...]

    @property
    def glued(self) -> Tuple[int, ...]:
        return tuple(sorted(set(self.by_repair) | set(self.by_paragraph)))

    def to_dict(self) -> dict:
        n = len(self.glued)
        return {
            "glued": n,
            "boundaries": self.boundaries,
            "rate": (n / self.boundaries) if self.boundaries else None,
            "by_repair": len(self.by_repair),
            "by_paragraph": len(self.by_paragraph),
        }


def squashed_with_offsets(text: str) -> Tuple[str, List[int]]:
    chars: List[str] = []
    offsets: List[int] = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            offsets.append(i)
    return "".join(chars), offsets


def locate_bodies(text: str, articles: Sequence[Tuple[Sequence[str], Sequence[str]]]) -> List[Optional[Located]]:
    """Find each gold body in ``text``; ``articles`` gives ``(starts, ends)`` per article, preferred string first."""
    flat, offsets = squashed_with_offsets(text)
    starts: List[Optional[Tuple[int, str]]] = []
    cursor = 0
    for start_strings, _ in articles:
        found: Optional[Tuple[int, str]] = None
        for n, candidate in enumerate(start_strings):
            needle = squash(candidate)
            pos = flat.find(needle, cursor) if needle else -1
            if pos < 0:
                continue
            if n == 0:  # the body's own first characters win over any alternative
                found = (pos, candidate)
                break
            if found is None or pos < found[0]:
                found = (pos, candidate)
        starts.append(found)
        if found is not None:
            cursor = found[0] + 1
    located: List[Optional[Located]] = []
    for k, (_, end_strings) in enumerate(articles):
        begin = starts[k]
        if begin is None:
            located.append(None)
            continue
        limit = next((s[0] for s in starts[k + 1:] if s is not None), len(flat))
        best: Optional[Tuple[int, str]] = None
        for n, candidate in enumerate(end_strings):
            needle = squash(candidate)
            if not needle:
                continue
            pos = flat.rfind(needle, begin[0], limit)
            if pos < 0:
                continue
            stop = pos + len(needle)
            if n == 0:
                best = (stop, candidate)
                break
            if best is None or stop > best[0]:
                best = (stop, candidate)
        if best is None:
            located.append(None)
            continue
        located.append(Located(offsets[begin[0]], offsets[best[0] - 1] + 1, begin[1], best[1]))
    return located


def boundaries_of(text: str, located: Sequence[Optional[Located]]) -> List[Boundary]:
    """The boundaries between consecutive located gold articles of ``text``."""
    found = [(k, loc) for k, loc in enumerate(located) if loc is not None]
    out: List[Boundary] = []
    for (i, a), (j, b) in zip(found, found[1:]):
        if a.end <= b.start:
            follows = a.end
            while follows < b.start and text[follows].isspace():
                follows += 1
            out.append(Boundary(i, j, a.end, follows, b.start, a.end_text, b.start_text))
    return out


def _paragraph_texts_and_spans(article: Mapping[str, Any]) -> List[Tuple[str, List[Tuple[int, int]]]]:
    out: List[Tuple[str, List[Tuple[int, int]]]] = []
    paragraphs = article.get("paragraphs")
    if isinstance(paragraphs, list):
        for p in paragraphs:
            if not isinstance(p, Mapping):
                continue
            spans = []
            for span in p.get("spans") or []:
                if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span):
                    spans.append((span[0], span[1]))
            out.append((str(p.get("text") or ""), spans))
    elif isinstance(article.get("text"), str):
        out = [(line, []) for line in article["text"].split("\n")]
    return out


def join_spans(pred: Mapping[str, Any]) -> List[Tuple[int, int]]:
    """The spans of the breaks the parse ``pred`` (a page dict) removed to join two blocks (its join repairs)."""
    out = []
    for repair in pred.get("repairs") or []:
        if not isinstance(repair, Mapping) or repair.get("rule") != JOIN_RULE:
            continue
        span = repair.get("span")
        if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span):
            out.append((span[0], span[1]))
    return out


def glued_boundaries(pred: Mapping[str, Any], boundaries: Sequence[Boundary]) -> Glued:
    """Which ``boundaries`` the parse ``pred`` (a page dict) glued to the text after them, by a join repair or a paragraph."""
    by_repair: Set[int] = set()
    for span in join_spans(pred):
        for n, b in enumerate(boundaries):
            if b.end <= span[0] <= b.follows and span[1] <= b.start:
                by_repair.add(n)
    by_paragraph: Set[int] = set()
    for article in pred.get("articles") or []:
        if not isinstance(article, Mapping):
            continue
        for text, spans in _paragraph_texts_and_spans(article):
            if spans:
                low, high = min(s for s, _ in spans), max(e for _, e in spans)
                for n, b in enumerate(boundaries):
                    if low < b.end and high > b.follows:
                        by_paragraph.add(n)
                continue
            flat = squash(text)
            for n, b in enumerate(boundaries):
                end = squash(b.end_text)
                pos = flat.find(end)
                if pos >= 0 and pos + len(end) < len(flat):
                    by_paragraph.add(n)
    return Glued(len(boundaries), tuple(sorted(by_repair)), tuple(sorted(by_paragraph)))
