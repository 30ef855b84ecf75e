"""The ``corepress.page/2`` JSON object: a page value as plain data, and the repaired text.

The schema is versioned: renaming or removing a key, or changing a value's
type, is a new schema version (``corepress.page/2``); adding a key is not.
The JSON Schema ships as ``corepress/schemas/page-2.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from corepress.values.model import Article, Page
from corepress.values.scores import Role
from corepress.values.traced import Traced

SCHEMA_ID = "corepress.page/2"
SCHEMA_FILE = Path(__file__).parent.parent / "schemas" / "page-2.json"


def _text(value: Optional[Traced]) -> Optional[str]:
    return value.text if value is not None else None


def _spans(value: Traced) -> List[List[int]]:
    return [[s, e] for s, e in value.spans()]


def article_to_dict(article: Article) -> Dict[str, Any]:
    spans: List[List[int]] = []
    for field in article.traced_values():
        spans.extend(_spans(field))
    spans.sort()
    return {
        "id": article.id,
        "kind": article.kind.value,
        "column": _text(article.column),
        "kicker": _text(article.kicker),
        "title": _text(article.title),
        "subtitle": _text(article.subtitle),
        "byline": _text(article.byline),
        "reporters": list(article.reporters),
        "agency": article.agency,
        "dateline": article.dateline,
        "reprinted_from": article.reprinted_from,
        "paragraphs": [
            {"role": p.role.value, "text": p.text.text, "spans": _spans(p.text)} for p in article.paragraphs
        ],
        "text": "\n".join(p.text.text for p in article.paragraphs),
        "markers": [
            {"kind": m.kind.value, "text": m.text.text, "spans": _spans(m.text)} for m in article.markers
        ],
        "continued_to": article.continued_to,
        "continued_from": article.continued_from,
        "truncated_start": article.truncated_start,
        "spans": _merge(spans),
        "confidence": article.confidence,
        "flags": list(article.flags),
        "boundary": {"rules": list(article.boundary.rules), "margin": article.boundary.margin},
    }


def _merge(spans: List[List[int]]) -> List[List[int]]:
    out: List[List[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def page_to_dict(page: Page) -> Dict[str, Any]:
    masthead = None
    if page.masthead is not None:
        masthead = dict(page.masthead.facts)
        masthead["span"] = list(page.masthead.span)
        masthead["lines"] = [
            {"text": line.text.text, "fields": list(line.fields), "spans": _spans(line.text)}
            for line in page.masthead.lines
        ]
    guess = page.paper
    return {
        "schema": SCHEMA_ID,
        "source": {
            "path": page.source.path,
            "sha256": page.source.sha256,
            "encoding": page.source.encoding,
            "format": page.source.format,
            "length": page.source.length,
        },
        "producer": page.producer.to_dict(),
        "paper": {
            "id": guess.id,
            "name": guess.name,
            "confidence": guess.confidence,
            "forced": guess.forced,
            "candidates": [{"id": pid, "score": score} for pid, score in guess.candidates],
        },
        "page": page.identity.to_dict() if page.identity is not None else None,
        "masthead": masthead,
        "articles": [article_to_dict(a) for a in page.articles],
        "dropped": [
            {"reason": d.reason, "text": d.text.text, "span": list(d.text.span), "spans": _spans(d.text)}
            for d in page.dropped
        ],
        "repairs": [
            {"rule": r.rule, "span": list(r.span), "before": r.before, "after": r.after} for r in page.repairs
        ],
        "notices": [
            {"level": n.level, "code": n.code, "message": n.message, "span": list(n.span) if n.span else None}
            for n in page.notices
        ],
    }


MARKUP_RULES = ("markdown_heading",)
"""Rules that decode markup rather than repair text: the repaired text keeps its Markdown
heading marks (so a re-parse sees the same structure), so these run again on it."""


def repaired_text(page: Page) -> str:
    """The page head, masthead lines and the repaired flow, one block per paragraph.

    It keeps every layout signal the rules read (heading marks, indentation, hard
    breaks, a kicker printed on its title line and repeated below it, which is written
    so again), so parsing it again makes no repair except the markup decoding in
    :data:`MARKUP_RULES`, and finds the same articles.
    """
    out: List[str] = []
    top = [(line.text.span, line.text.text) for line in page.masthead.lines] if page.masthead is not None else []
    top += [(d.text.span, d.text.text) for d in page.dropped if d.reason == "page_head"]  # the page's number is read from it
    for _, text in sorted(top):
        out.extend([text, "\n\n"])
    repeated = {d.text.text for d in page.dropped if d.reason == "repeated_kicker"}
    blocks = page.blocks
    k = 0
    while k < len(blocks):
        block = blocks[k]
        prefix = "#" * block.heading + " " if block.heading else ("\u3000\u3000" if block.indent else "")
        text = block.text.text
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if block.hint is Role.KICKER and nxt is not None and nxt.hint is Role.TITLE and text in repeated:
            # a kicker printed on the title line and repeated on its own: written as the page had it, so
            # that a second parse splits it again and knows the pair for a headline stack (nothing in
            # two plain lines would say so)
            out.extend([f"{prefix}{text} {nxt.text.text}", "  \n" if block.hard_break else "\n\n", text, "  \n" if nxt.hard_break else "\n\n"])
            k += 2
            continue
        out.extend([prefix + text, "  \n" if block.hard_break else "\n\n"])
        k += 1
    return "".join(out).rstrip(" \n") + "\n"


def load_schema() -> Dict[str, Any]:
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        return json.load(fh)
