"""``corepress issue`` output: the issue JSON (``corepress.issue/1``), JSON lines of articles, Markdown.

The JSON Schema of the issue document ships as ``corepress/schemas/issue-1.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, TextIO, Tuple

from corepress.corpus.issue import SCHEMA_ID, Issue, StitchedArticle
from corepress.text_io.serialize import dumps, md_comment, md_escape

SCHEMA_FILE = Path(__file__).parent.parent / "schemas" / "issue-1.json"
Failed = Tuple[str, str]
"""(path, one-line message) of a page that could not be parsed."""


def issue_document(issues: Sequence[Issue], failed: Sequence[Failed] = ()) -> Dict[str, Any]:
    """The ``corepress.issue/1`` object: every issue, and the pages that could not be parsed."""
    return {"schema": SCHEMA_ID, "issues": [issue_to_dict(issue) for issue in issues],
            "failed": [{"path": path, "message": message} for path, message in failed]}


def issue_to_dict(issue: Issue) -> Dict[str, Any]:
    return {
        "paper": issue.paper, "paper_name": issue.paper_name, "date": issue.date,
        "pages": [{"number": p.identity.number if p.identity else None, "name": p.identity.name if p.identity else None,
                   "source": p.identity.source.value if p.identity else None, "path": p.source.path,
                   "articles": len(p.articles)} for p in issue.pages],
        "articles": [article_to_dict(a) for a in issue.articles],
        "unresolved": [{"problem": u.problem.value, "path": u.path, "page": u.page, "article": u.article,
                        "target": u.target, "message": u.message} for u in issue.unresolved],
    }


def article_to_dict(article: StitchedArticle) -> Dict[str, Any]:
    """A stitched article: the first part's headline and credits, where each part is, and the joined text."""
    head = article.head

    def text(name: str) -> Optional[str]:
        value = getattr(head, name)
        return value.text if value is not None else None

    parts = [{"page": part.number, "article": part.article.id, "path": part.page.source.path,
              "spans": [list(span) for span in part.spans]} for part in article.parts]
    return {"id": article.id, "kind": head.kind.value, "column": text("column"), "kicker": text("kicker"),
            "title": text("title"), "subtitle": text("subtitle"), "byline": text("byline"),
            "reporters": list(head.reporters), "agency": head.agency, "dateline": head.dateline,
            "pages": [part.number for part in article.parts], "parts": parts, "text": article.text}


def load_schema() -> Dict[str, Any]:
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def write_json(issues: Sequence[Issue], failed: Sequence[Failed], stream: TextIO) -> None:
    stream.write(dumps(issue_document(issues, failed), indent=2) + "\n")


def write_jsonl(issues: Sequence[Issue], failed: Sequence[Failed], stream: TextIO) -> None:
    """One article per line, each with its issue's paper and date (unresolved jumps go to standard error only)."""
    for issue in issues:
        for article in issue.articles:
            record = {"paper": issue.paper, "paper_name": issue.paper_name, "date": issue.date, **article_to_dict(article)}
            stream.write(dumps(record) + "\n")


def _pages_line(issue: Issue) -> str:
    shown: List[str] = []
    for page in issue.pages:
        identity = page.identity
        label = f"第{identity.number}版" if identity is not None else (Path(page.source.path or "?").name)
        shown.append(label + (f" {identity.name}" if identity is not None and identity.name else ""))
    return " · ".join(shown)


def render_markdown(issue: Issue) -> str:
    """An issue for people: a heading per article, the pages it runs on, its stitched text; page text escaped."""
    out: List[str] = []
    title = f"{issue.paper_name or issue.paper or 'unknown paper'} · {issue.date or 'undated'}"
    out.append(f"# {md_escape(title, inline=True)}\n")
    out.append(f"*{md_escape(_pages_line(issue), inline=True)}*\n")
    for article in issue.articles:
        head = article.head
        out.append("---\n")
        if head.kicker is not None:
            out.append(f"*{md_escape(head.kicker.text, inline=True)}*\n")
        out.append(f"## {md_escape(head.title.text, inline=True) if head.title else '(untitled)'}\n")
        if head.subtitle is not None:
            out.append(f"### {md_escape(head.subtitle.text, inline=True)}\n")
        pages = " → ".join(f"第{part.number}版" if part.number else "(no number)" for part in article.parts)
        out.append(f"> {md_escape(pages, inline=True)} · {md_escape(article.id, inline=True)}\n")
        for paragraph in article.paragraphs:
            out.append(md_escape(paragraph) + "\n")
    if issue.unresolved:
        out.append("---\n")
        out.append("**Unresolved**\n")
        out.append("\n".join(f"- {md_escape(u.message, inline=True)}" for u in issue.unresolved) + "\n")
    return "\n".join(out) + "\n"


def write_markdown(issues: Sequence[Issue], failed: Sequence[Failed], stream: TextIO) -> None:
    for issue in issues:
        stream.write(render_markdown(issue))
    for path, message in failed:
        stream.write(md_comment(f"not parsed: {path}: {message}") + "\n")


WRITERS = {"json": write_json, "jsonl": write_jsonl, "markdown": write_markdown}
