"""Snippet gold: the cheapest gold a person can write for a page, and how a parse is scored on it.

A snippet gold is ``NAME.json`` beside the page ``NAME.txt`` (or ``NAME.md``).  It says
only where each article's body begins and ends, and optionally its headline and the
places where a column break cut a paragraph::

    {
      "seed": "NAME.txt",
      "articles": [
        {"title": "…", "title_alternatives": ["…"],
         "body_start": "first 12 chars", "body_start_alternatives": ["…"],
         "body_end": ["last 12 chars", "…of an earlier closing paragraph"]}
      ],
      "joins": [["8 chars before a break", "8 chars after it"]],
      "not_articles": ["a loose line"], "paper": null, "masthead": {}, "format": "text"
    }

A gold drafted from a parse (:mod:`corepress.evaluation.draft`) also holds ``"draft": true``
and a ``"note"``; scores against it are counted apart until a person removes them.

Only ``articles`` and, per article, ``body_start`` and ``body_end`` are required
(``body_end`` may be one string).  The development corpus generator
(``make_pages.py`` of the 人民日报 corpus) writes exactly this shape.  See
docs/snippet-gold.md.

Matching (whitespace is ignored everywhere, as in :mod:`corepress.evaluation.score`):
a predicted article *finds* a gold article when its text holds a ``body_start`` (or
one of the ``body_start_alternatives``) within its first :data:`START_WINDOW`
characters and one of the ``body_end`` strings within its last :data:`END_WINDOW`
characters.  Each predicted article finds at most one gold article and the other way
round (a maximum one-to-one matching, gold in page order).

What snippet gold does not hold is *not scored* (``None``): kicker, subtitle, byline,
masthead facts and paper.  Its ``paper`` is ``null`` and its ``masthead`` ``{}``
because the generator does not know them, not because the page has none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import attrs

from corepress.evaluation.boundaries import Glued, boundaries_of, glued_boundaries, join_spans, locate_bodies
from corepress.evaluation.score import Rate
from corepress.evaluation.score import _squash as squash

#: Why 60: a parse may fairly leave a lead formula (``新华社北京1月1日电（记者…）``, ``本报记者…``), a
#: deck line or a box label at the head of an article's text, up to about 48 characters before the
#: body proper; the ~12-character ``body_start`` must lie wholly within the first 60 characters.
START_WINDOW = 60
#: Why 40: at the tail a parse may keep a short author note, a credit (``制图：…``) or a closing
#: dateline the gold leaves out, up to about 28 characters; a ~12-character ``body_end`` must lie
#: wholly within the last 40 characters.
END_WINDOW = 40

SNIPPET_LENGTH = 20
"""How many characters of a text a miss report shows."""


class GoldError(ValueError):
    """A gold file that cannot be used; the message is one line naming the file."""


@attrs.frozen
class SnippetArticle:
    body_start: Tuple[str, ...]
    """The body's first characters, then the alternatives."""
    body_end: Tuple[str, ...]
    title: Optional[str] = None
    """``None`` when the gold gives no title: titles are then not scored for this article."""
    title_alternatives: Tuple[str, ...] = ()

    def label(self) -> str:
        return self.title or self.body_start[0][:SNIPPET_LENGTH]

    def titles(self) -> Tuple[str, ...]:
        return tuple(t for t in ((self.title or ""),) + self.title_alternatives)


@attrs.frozen
class SnippetGold:
    articles: Tuple[SnippetArticle, ...]
    joins: Tuple[Tuple[str, str], ...] = ()
    not_articles: Tuple[str, ...] = ()
    seed: Optional[str] = None
    draft: bool = False
    """``"draft": true``: written by ``corepress eval --draft`` from a parse and not yet checked by a person."""
    joins_listed: bool = False
    """The gold has a ``joins`` key: its joins are all the page has (an empty list: no column break cut a
    paragraph), so a join the parse makes elsewhere is one the gold has not.  Without the key, not scored."""


def _strings(value: Any, where: str, key: str, *, required: bool) -> Tuple[str, ...]:
    if value is None and not required:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldError(f"{where}: {key} must be a string or a list of strings")
    if required and not any(squash(v) for v in value):
        raise GoldError(f"{where}: {key} is empty")
    return tuple(v for v in value if squash(v))


def snippet_gold_from_dict(data: Any, where: str = "gold") -> SnippetGold:
    """Validate a snippet gold object; raises :class:`GoldError` with one line naming ``where``."""
    if not isinstance(data, Mapping):
        raise GoldError(f"{where}: a snippet gold is a JSON object, not {type(data).__name__}")
    schema = data.get("schema")
    if isinstance(schema, str) and schema.startswith("corepress.page/"):
        raise GoldError(f"{where}: is a parse ({schema}), not a gold")
    if schema is not None:
        raise GoldError(f"{where}: unknown gold schema {schema!r} (snippet gold has no 'schema' key)")
    articles = data.get("articles")
    if not isinstance(articles, list):
        raise GoldError(f"{where}: lacks the required key 'articles' (a list)")
    out: List[SnippetArticle] = []
    for n, a in enumerate(articles):
        at = f"{where}: articles[{n}]"
        if not isinstance(a, Mapping):
            raise GoldError(f"{at} is not an object")
        for key in ("body_start", "body_end"):
            if key not in a:
                raise GoldError(f"{at} lacks the required key {key!r}")
        if not isinstance(a["body_start"], str) or not squash(a["body_start"]):
            raise GoldError(f"{at}: body_start must be a non-empty string")
        starts = (a["body_start"],) + _strings(a.get("body_start_alternatives"), at, "body_start_alternatives", required=False)
        ends = _strings(a["body_end"], at, "body_end", required=True)
        title = a.get("title")
        if title is not None and not isinstance(title, str):
            raise GoldError(f"{at}: title must be a string")
        alternatives = _strings(a.get("title_alternatives"), at, "title_alternatives", required=False)
        out.append(SnippetArticle(starts, ends, title, alternatives))
    joins = data.get("joins") or []
    if not isinstance(joins, list) or not all(
        isinstance(j, list) and len(j) == 2 and all(isinstance(x, str) for x in j) for j in joins
    ):
        raise GoldError(f"{where}: joins must be a list of [before, after] string pairs")
    not_articles = _strings(data.get("not_articles"), where, "not_articles", required=False)
    seed = data.get("seed")
    if seed is not None and not isinstance(seed, str):
        raise GoldError(f"{where}: seed must be the page's file name")
    draft = data.get("draft", False)
    if not isinstance(draft, bool) or not isinstance(data.get("note") or "", str):
        raise GoldError(f"{where}: draft must be true or false, and note a string")
    return SnippetGold(tuple(out), tuple((j[0], j[1]) for j in joins), not_articles, seed, draft, "joins" in data)


def read_json(path: Path) -> Any:
    """A JSON file, or :class:`GoldError` with one line saying why not."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except UnicodeDecodeError:
        raise GoldError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise GoldError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def load_snippet_gold(path: Union[str, Path]) -> SnippetGold:
    path = Path(path)
    return snippet_gold_from_dict(read_json(path), str(path))


# --- predicted articles (page dicts, schema corepress.page/1 or /2) -------------------------------
def article_text(article: Mapping[str, Any]) -> str:
    """A predicted article's body text: its paragraphs (or ``text``), whitespace kept."""
    paragraphs = article.get("paragraphs")
    if isinstance(paragraphs, list) and paragraphs:
        return "\n".join(str(p.get("text") or "") for p in paragraphs if isinstance(p, Mapping))
    text = article.get("text")
    return text if isinstance(text, str) else ""


def paragraph_texts(article: Mapping[str, Any]) -> List[str]:
    paragraphs = article.get("paragraphs")
    if isinstance(paragraphs, list) and paragraphs:
        return [str(p.get("text") or "") for p in paragraphs if isinstance(p, Mapping)]
    text = article.get("text")
    return text.split("\n") if isinstance(text, str) else []


OPENING_MARKERS = ("lead", "continued_from")
"""Markers that stand before an article's first paragraph in the page (新华社北京1月5日电, (上接第一版))."""


def joinable_texts(article: Mapping[str, Any]) -> List[str]:
    """The article's paragraphs as the page runs, for finding gold joins: the first one with the lead or
    continued-part formula before it put back (a gold join's 8 characters before a break that cut the
    first sentence right after 新华社某地1月5日电 hold part of the formula, which the parse moved to a marker)."""
    texts = paragraph_texts(article)
    paragraphs = article.get("paragraphs")
    markers = article.get("markers")
    if not texts or not isinstance(paragraphs, list) or not paragraphs or not isinstance(markers, list):
        return texts
    start = _first_offset(paragraphs[0])
    if start is None:
        return texts
    before = [
        (offset, text_of(m.get("text")))
        for m in markers
        if isinstance(m, Mapping) and m.get("kind") in OPENING_MARKERS
        for offset in [_first_offset(m)]
        if offset is not None and offset < start
    ]
    if not before:
        return texts
    return ["".join(text for _, text in sorted(before)) + texts[0]] + texts[1:]


def _first_offset(item: Mapping[str, Any]) -> Optional[int]:
    spans = item.get("spans")
    if isinstance(spans, list) and spans and isinstance(spans[0], (list, tuple)) and spans[0] and isinstance(spans[0][0], int):
        return spans[0][0]
    return None


def why(article: Mapping[str, Any]) -> str:
    """What made an article: the rules of its ``boundary`` when the parse gives them, else its flags."""
    boundary = article.get("boundary")
    reasons = boundary.get("rules") if isinstance(boundary, Mapping) else None
    if isinstance(reasons, list) and reasons:
        return "rules: " + ", ".join(str(r) for r in reasons)
    flags = article.get("flags")
    if isinstance(flags, list) and flags:
        return "flags: " + ", ".join(str(f) for f in flags)
    return "flags: none"


def text_of(value: Any) -> str:
    """A string field of a parse, or "" when it is missing or not a string."""
    return value if isinstance(value, str) else ""


def short(text: Any, n: int = SNIPPET_LENGTH) -> str:
    flat = " ".join(text_of(text).split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def found_by(flat_text: str, article: SnippetArticle) -> bool:
    """Whether a predicted article's squashed text finds ``article`` (the window rule above)."""
    head, tail = flat_text[:START_WINDOW], flat_text[-END_WINDOW:]
    return any(squash(s) in head for s in article.body_start) and any(squash(e) in tail for e in article.body_end)


def max_matching(candidates: Sequence[Sequence[int]], n_right: int) -> List[Tuple[int, int]]:
    """A maximum one-to-one matching ``(left, right)``; ``candidates[left]`` lists acceptable rights in order.

    Kuhn's augmenting paths: left items (gold articles, in page order) take the first
    free acceptable right item (predicted article) and displace an earlier choice only
    when that one can move elsewhere, so the result is deterministic.
    """
    owner: List[Optional[int]] = [None] * n_right

    def augment(left: int, seen: List[bool]) -> bool:
        for right in candidates[left]:
            if seen[right]:
                continue
            seen[right] = True
            current = owner[right]
            if current is None or augment(current, seen):
                owner[right] = left
                return True
        return False

    for left in range(len(candidates)):
        augment(left, [False] * n_right)
    return sorted((left, right) for right, left in enumerate(owner) if left is not None)


def match_snippets(pred_articles: Sequence[Mapping[str, Any]], gold: SnippetGold) -> List[Tuple[int, int]]:
    """``(predicted index, gold index)`` pairs, sorted by gold index."""
    flats = [squash(article_text(a)) for a in pred_articles]
    candidates = [[pi for pi, flat in enumerate(flats) if found_by(flat, g)] for g in gold.articles]
    return sorted(((pi, gi) for gi, pi in max_matching(candidates, len(flats))), key=lambda p: p[1])


# --- scores --------------------------------------------------------------------------------------
@attrs.frozen
class Miss:
    """A gold article no predicted article found (``missed``), or a predicted article that found none (``spurious``)."""

    kind: str
    snippet: str
    title: Optional[str]
    detail: str

    def to_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "snippet": self.snippet, "title": self.title, "detail": self.detail}

    def __str__(self) -> str:
        title = f" 「{short(self.title)}」" if self.title else ""
        return f"{self.kind:<8} {self.snippet}{title} — {self.detail}"


def prf(matched: int, predicted: int, gold: int) -> Tuple[float, float, float]:
    """Precision, recall, F1; a page whose gold has no article scores 1 when nothing is predicted, else 0."""
    precision = matched / predicted if predicted else (1.0 if not gold else 0.0)
    recall = matched / gold if gold else (1.0 if not predicted else 0.0)
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def missed_detail(pred_articles: Sequence[Mapping[str, Any]], starts: Sequence[str]) -> str:
    """Where the start of a missed gold article went in the parse."""
    needles = [squash(s) for s in starts if squash(s)]
    for a in pred_articles:
        flat = squash(article_text(a))
        hits = [flat.find(n) for n in needles if n in flat]
        if not hits:
            continue
        label = a.get("id") or "?"
        if min(hits) < START_WINDOW:
            return f"predicted {label} starts with it but ends elsewhere ({why(a)})"
        return f"inside predicted {label} 「{short(a.get('title'))}」 ({why(a)})"
    return "no predicted article holds its start"


def spurious_detail(article: Mapping[str, Any], not_articles: Sequence[str] = ()) -> str:
    flat = squash(article_text(article)) + squash(text_of(article.get("title")))
    noise = any(squash(x) and squash(x) in flat for x in not_articles)
    return why(article) + ("; gold lists this text as not an article" if noise else "")


@attrs.frozen
class SnippetScore:
    matched: int
    predicted: int
    gold: int
    precision: float
    recall: float
    f1: float
    titles: Optional[Rate]
    """Exact titles over matched articles whose gold gives a title; ``None`` when none does."""
    joins: Rate
    """Gold joins made: both halves contiguous in one predicted paragraph."""
    extra_joins: Optional[Rate]
    """Joins the parse made where the gold has none, over the joins it made; ``None`` when the gold lists
    no joins or without the page text."""
    glued: Optional[Glued]
    """Gold boundaries glued by a join; ``None`` without the page text."""
    misses: Tuple[Miss, ...]


def score_snippet(pred: Mapping[str, Any], gold: SnippetGold, text: Optional[str] = None) -> SnippetScore:
    """Score a page dict against snippet gold; ``text`` is the page text the spans index (for glued boundaries)."""
    p_articles = [a for a in (pred.get("articles") or []) if isinstance(a, Mapping)]
    pairs = match_snippets(p_articles, gold)
    precision, recall, f1 = prf(len(pairs), len(p_articles), len(gold.articles))
    titles = [0, 0]
    for pi, gi in pairs:
        g = gold.articles[gi]
        if g.title is None:
            continue
        titles[1] += 1
        if squash(text_of(p_articles[pi].get("title"))) in {squash(t) for t in g.titles()}:
            titles[0] += 1
    flats = [squash(t) for a in p_articles for t in joinable_texts(a)]
    made = sum(1 for left, right in gold.joins if any(squash(left) + squash(right) in f for f in flats))
    glued = extra = None
    if text is not None:
        located = locate_bodies(text, [(g.body_start, g.body_end) for g in gold.articles])
        glued = glued_boundaries(pred, boundaries_of(text, located))
        if gold.joins_listed:
            extra = joins_not_in_gold(pred, text, gold.joins)
    matched_gold = {gi for _, gi in pairs}
    matched_pred = {pi for pi, _ in pairs}
    misses = [
        Miss("missed", short(g.body_start[0]), g.title, missed_detail(p_articles, g.body_start))
        for gi, g in enumerate(gold.articles)
        if gi not in matched_gold
    ]
    misses += [
        Miss("spurious", short(article_text(a)), text_of(a.get("title")) or None, spurious_detail(a, gold.not_articles))
        for pi, a in enumerate(p_articles)
        if pi not in matched_pred
    ]
    return SnippetScore(
        len(pairs),
        len(p_articles),
        len(gold.articles),
        precision,
        recall,
        f1,
        Rate(*titles) if any(g.title is not None for g in gold.articles) else None,
        Rate(made, len(gold.joins)),
        extra,
        glued,
        tuple(misses),
    )


JUNCTION = 40
"""Characters read on each side of a join to find the gold join it made (gold halves are about 8)."""


def joins_not_in_gold(pred: Mapping[str, Any], text: str, joins: Sequence[Tuple[str, str]]) -> Rate:
    """The joins the parse made (its ``join_column_break`` repairs) that meet no gold join, over all it made.

    A join meets a gold ``[before, after]`` when the text before the removed break ends with ``before``
    and the text after it starts with ``after`` (white space ignored).  A join that meets none glued a
    paragraph break or a headline line the gold keeps apart: the paragraphs of the article suffer, even
    when its boundaries stand.
    """
    halves = [(squash(before), squash(after)) for before, after in joins]
    made = unwanted = 0
    for start, end in join_spans(pred):
        made += 1
        above = squash(text[max(0, start - JUNCTION):start])
        below = squash(text[end:end + JUNCTION])
        unwanted += not any(above.endswith(before) and below.startswith(after) for before, after in halves)
    return Rate(unwanted, made)
