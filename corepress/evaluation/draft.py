"""Draft snippet gold from a parse: the library behind ``corepress eval --draft``.

Typing snippet gold (docs/snippet-gold.md) from nothing is the slow part of measuring a
new paper; correcting a draft is quicker.  :func:`draft_gold` turns a parse of a page
into a snippet gold object with one entry per parsed article:

* ``title`` — the parsed title; ``title_alternatives`` — the kicker, title and subtitle
  lines the parse found;
* ``body_start`` — the first :data:`START_LENGTH` non-space characters of the article's
  text after a lead formula (``本报讯 记者…报道``, ``新华社北京…电（记者…）``) the parse
  kept at its head;
* ``body_end`` — the last :data:`END_LENGTH` non-space characters of its last paragraph;

and per page ``joins`` (:data:`JOIN_LENGTH` characters either side of each column break
the parse joined inside a paragraph), ``seed`` (the page's file name), ``"draft": true``
and a ``note`` saying what a person should check.  The snippets are chosen so that the
matcher of :mod:`corepress.evaluation.snippet` finds every drafted article again: scored
at once, a draft gives F1 1 on its page.  That measures nothing, which is why
``corepress eval`` counts draft pages apart until a person has checked them and removed
the ``draft`` key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, TextIO, Tuple, Union

import attrs

from corepress.evaluation.boundaries import join_spans
from corepress.evaluation.snippet import START_WINDOW, article_text, paragraph_texts, squash, text_of
from corepress.values.errors import InputError, describe

START_LENGTH = 12
END_LENGTH = 12
JOIN_LENGTH = 8
LEAD_MARKERS = ("lead", "byline")
"""Marker kinds whose text, when the parse left it at the head of the article's text, ``body_start`` skips."""

NOTE = (
    "A draft written by corepress eval --draft from corepress's own parse, not gold yet: check each "
    "article against the page (add the articles the parse missed, remove what is no article, fix "
    "body_start after the lead formula, body_end, titles and joins), then delete \"draft\" and this note."
)
"""The ``note`` of every draft, for the person who corrects it."""


def _marker_texts(article: Mapping[str, Any]) -> List[str]:
    markers = article.get("markers")
    if not isinstance(markers, list):
        return []
    return [squash(text_of(m.get("text"))) for m in markers if isinstance(m, Mapping) and m.get("kind") in LEAD_MARKERS]


def body_start(article: Mapping[str, Any]) -> str:
    """The first characters of an article's body, after a lead formula the parse left in its text.

    A parse normally takes the lead out of the body (it is a ``lead`` marker); when the
    text still begins with a lead or byline marker's text, the start is taken after it,
    as a person writing gold would.  Skipping never moves the start out of the matcher's
    window (:data:`~corepress.evaluation.snippet.START_WINDOW`).
    """
    flat = squash(article_text(article))
    offset, leads = 0, [t for t in _marker_texts(article) if t]
    skipped = True
    while skipped:
        skipped = False
        for lead in leads:
            if flat.startswith(lead, offset) and len(flat) > offset + len(lead):
                offset += len(lead)
                skipped = True
    if offset + min(START_LENGTH, len(flat) - offset) > START_WINDOW:
        offset = 0
    return flat[offset : offset + START_LENGTH]


def body_end(article: Mapping[str, Any]) -> str:
    """The last characters of an article's last paragraph (whitespace removed)."""
    for paragraph in reversed(paragraph_texts(article)):
        flat = squash(paragraph)
        if flat:
            return flat[-END_LENGTH:]
    return ""


def _title_lines(article: Mapping[str, Any]) -> List[str]:
    lines: List[str] = []
    for key in ("kicker", "title", "subtitle"):
        line = text_of(article.get(key)).strip()
        if line and squash(line) not in {squash(x) for x in lines}:
            lines.append(line)
    return lines


def draft_article(article: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    """One snippet gold article from a parsed one; ``None`` for an article with no text and no headline."""
    start, end = body_start(article), body_end(article)
    if not start:  # no body at all: a lone headline; let the person see it
        headline = next((squash(line) for line in _title_lines(article)), "")
        if not headline:
            return None
        start, end = headline[:START_LENGTH], headline[-END_LENGTH:]
    title = text_of(article.get("title")).strip() or None
    return {"title": title, "title_alternatives": _title_lines(article), "body_start": start, "body_end": [end]}


def _runs(paragraph: Mapping[str, Any]) -> List[Tuple[int, int]]:
    spans = paragraph.get("spans")
    if not isinstance(spans, list):
        return []
    return [(int(s[0]), int(s[1])) for s in spans if isinstance(s, (list, tuple)) and len(s) == 2]


def draft_joins(page: Mapping[str, Any], text: str) -> List[List[str]]:
    """``[before, after]`` around each ``join_column_break`` repair that joined two runs of one paragraph.

    ``text`` is the page text the spans index.  A join is kept only when its two halves
    stand together in the paragraph's text (so the draft scores it as made); joins that
    glued headline lines, or that another repair changed, are left for the person.
    """
    gaps = join_spans(page)
    if not gaps:
        return []
    joins: List[Tuple[int, List[str]]] = []
    articles = [a for a in (page.get("articles") or []) if isinstance(a, Mapping)]
    for paragraph in (p for a in articles for p in (a.get("paragraphs") or [])):
        if not isinstance(paragraph, Mapping):
            continue
        runs = _runs(paragraph)
        flat = squash(text_of(paragraph.get("text")))
        for i in range(len(runs) - 1):
            end, start = runs[i][1], runs[i + 1][0]
            if not any(end <= gap_start and gap_end <= start for gap_start, gap_end in gaps):
                continue
            before = squash("".join(text[s:e] for s, e in runs[: i + 1]))[-JOIN_LENGTH:]
            after = squash("".join(text[s:e] for s, e in runs[i + 1 :]))[:JOIN_LENGTH]
            if before and after and before + after in flat:
                joins.append((end, [before, after]))
    return [pair for _, pair in sorted(joins, key=lambda j: j[0])]


def draft_gold(page: Mapping[str, Any], text: str, seed: str) -> Dict[str, Any]:
    """A snippet gold object (keys in a fixed order) drafted from a page dict and its text."""
    articles = [a for a in (page.get("articles") or []) if isinstance(a, Mapping)]
    drafted = [d for d in (draft_article(a) for a in articles) if d is not None]
    return {
        "seed": seed,
        "draft": True,
        "note": NOTE,
        "articles": drafted,
        "joins": draft_joins(page, text),
        "not_articles": [],
    }


def _inline(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _block(items: Sequence[Any], indent: str) -> str:
    """A list one item a line (``[]`` when empty); an object item one key a line."""
    if not items:
        return "[]"
    lines = []
    for item in items:
        if isinstance(item, Mapping):
            inner = ",\n".join(f"{indent}  {_inline(k)}: {_inline(v)}" for k, v in item.items())
            lines.append(f"{indent} {{\n{inner}\n{indent} }}")
        else:
            lines.append(f"{indent} {_inline(item)}")
    return "[\n" + ",\n".join(lines) + f"\n{indent}]"


def dumps(gold: Mapping[str, Any]) -> str:
    """A gold object as the file holds it, in the layout of hand-written gold (docs/snippet-gold.md).

    UTF-8 characters as printed (``ensure_ascii=False``), keys in the order given, one
    key a line with an indent of one space, short lists (titles, ends, a join) on one
    line, and a final newline: the same parse always gives the same bytes.
    """
    body = ",\n".join(
        f" {_inline(k)}: {_block(v, ' ') if k in ('articles', 'joins') and isinstance(v, list) else _inline(v)}"
        for k, v in gold.items()
    )
    return "{\n" + body + "\n}\n"


# --- pages, targets, files -------------------------------------------------------------------------
@attrs.frozen
class Drafted:
    """What became of one page: ``status`` is ``drafted``, ``skipped`` (a gold was there) or ``error``."""

    page: str
    status: str
    gold: Optional[str] = None
    message: str = ""
    articles: int = 0
    joins: int = 0

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"page": self.page, "status": self.status, "gold": self.gold}
        if self.status == "drafted":
            out.update(articles=self.articles, joins=self.joins)
        else:
            out["message"] = self.message
        return out

    def __str__(self) -> str:
        if self.status == "drafted":
            return f"drafted {self.gold} ({_n(self.articles, 'article')}, {_n(self.joins, 'join')})"
        return self.message


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def draft_target(page: Path, gold_dir: Optional[Path] = None) -> Path:
    """Where the draft of ``page`` goes: ``NAME.json`` beside it, or in ``gold_dir``."""
    from corepress.evaluation.gold import SNIPPET_SUFFIX

    return (gold_dir if gold_dir is not None else page.parent) / (page.stem + SNIPPET_SUFFIX)


def pages_to_draft(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Path, Drafted]]:
    """Pages as ``corepress eval`` finds them (files as given, folders walked; a gold file stands for its page).

    A path that gives no page is one :class:`Drafted` error; a page named twice comes once.
    """
    from corepress.corpus.batch import expand_each
    from corepress.evaluation.gold import SNIPPET_SUFFIX, page_of_gold
    from corepress.pipeline.pipeline import reader_suffixes

    suffixes = reader_suffixes()
    seen: Set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_file() and path.name.endswith(SNIPPET_SUFFIX):
            page = page_of_gold(path)
            if page is None:
                yield Drafted(str(path), "error", message=f"{path}: a gold file, but no page of the same name beside it")
                continue
            path = page
        for found, error in expand_each([path], suffixes):
            if error is not None:
                yield Drafted(str(found), "error", message=str(error))
                continue
            key = found.resolve()
            if key not in seen:
                seen.add(key)
                yield found


def draft_page(page: Path, target: Path) -> Drafted:
    """Parse ``page`` and write its draft to ``target`` (atomically); any failure is one error line."""
    from corepress.corpus.batch import OutputError, atomic_write
    from corepress.pipeline.pipeline import parse_path

    try:
        parsed = parse_path(page)
        text = parsed.text
    except InputError as exc:
        return Drafted(str(page), "error", message=str(exc))
    except TimeoutError as exc:
        return Drafted(str(page), "error", message=f"{page}: a pattern ran too long on this page ({exc})")
    except Exception as exc:  # a parser bug on one page must not stop a folder of drafts
        return Drafted(str(page), "error", message=f"{page}: the parse failed: {describe(exc)}")
    gold = draft_gold(parsed.to_dict(), text, page.name)
    content = dumps(gold)

    def write(fh: TextIO) -> None:
        fh.write(content)

    try:
        atomic_write(target, write)
    except OutputError as exc:
        return Drafted(str(page), "error", str(target), str(exc))
    except OSError as exc:
        return Drafted(str(page), "error", str(target), f"{target}: cannot be written: {exc.strerror or exc}")
    return Drafted(str(page), "drafted", str(target), articles=len(gold["articles"]), joins=len(gold["joins"]))


def draft(
    paths: Sequence[Union[str, Path]], gold_dir: Optional[Path] = None, *, force: bool = False
) -> Iterator[Drafted]:
    """Draft the snippet gold of every page under ``paths``, streaming one :class:`Drafted` per page or error.

    A page that has a gold already (``NAME.json`` or ``NAME.expected.json``, beside it or
    in ``gold_dir``) is skipped unless ``force``; two pages whose drafts would be one file
    (``p1.txt`` and ``p1.md``) are drafted once, and the second is an error.
    """
    from corepress.evaluation.gold import find_gold

    written: Dict[Path, str] = {}
    for item in pages_to_draft(paths):
        if isinstance(item, Drafted):
            yield item
            continue
        page, target = item, draft_target(item, gold_dir)
        key = target.resolve()
        if key in written:
            yield Drafted(str(page), "error", str(target), f"{page}: its draft would be {target}, already drafted from {written[key]}")
            continue
        existing = find_gold(page, gold_dir)
        if existing is not None and not force:
            yield Drafted(str(page), "skipped", str(existing), f"{page}: has a gold ({existing}); not overwritten without --force")
            continue
        result = draft_page(page, target)
        if result.status == "drafted":
            written[key] = str(page)
        yield result


__all__ = ["NOTE", "Drafted", "body_end", "body_start", "draft", "draft_article", "draft_gold", "draft_joins", "draft_page", "dumps"]
