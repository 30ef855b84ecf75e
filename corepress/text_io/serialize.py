"""The built-in writers (json, jsonl, markdown, csv) and the text reader, registered by
:mod:`corepress.plugin_system.builtin_io` so that reading and writing never depend on the generic rules."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any, Iterable, List, Optional, TextIO

from corepress.text_io.tables import write_csv
from corepress.values.errors import one_line
from corepress.values.hooktypes import DecodedInput, InputReader, OutputWriter
from corepress.values.model import Page

# writers ----------------------------------------------------------------------------------
LINE_BREAKS_JSON_KEEPS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
"""Characters ``json.dumps(ensure_ascii=False)`` writes raw that ``str.splitlines``, JavaScript
and many JSONL readers take for line ends; written as ``\\uXXXX`` escapes instead (still valid JSON,
the same strings once parsed).  JSON escapes every other line break (``\\n``, ``\\u000b`` …) itself."""

_JSON_LINE_BREAK = re.compile("[\u0085\u2028\u2029]")


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` without raw line separators: one JSON document never spans two lines."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_LINE_BREAK.sub(lambda m: LINE_BREAKS_JSON_KEEPS[m.group(0)], text)


def write_json(pages: Iterable[Page], stream: TextIO) -> None:
    """One page: its object.  Several: an array of them, streamed a page at a time (the same bytes
    ``json.dumps(list, indent=2)`` gives: JSON strings hold no raw line break, so indenting each
    line of a page's document indents the page)."""
    first: Optional[str] = None
    count = 0
    for page in pages:
        document = dumps(page.to_dict(), indent=2)
        if count == 0:
            first = document
        else:
            if count == 1:
                stream.write("[\n" + _indented(first or ""))
            stream.write(",\n" + _indented(document))
        count += 1
    if count == 0:
        stream.write("[]\n")
    elif count == 1:
        stream.write((first or "") + "\n")
    else:
        stream.write("\n]\n")


def _indented(document: str) -> str:
    return "  " + document.replace("\n", "\n  ")


def write_jsonl(pages: Iterable[Page], stream: TextIO) -> None:
    for page in pages:
        stream.write(dumps(page.to_dict()))
        stream.write("\n")


def write_markdown(pages: Iterable[Page], stream: TextIO) -> None:
    for page in pages:
        stream.write(render_markdown(page))


# Markdown -------------------------------------------------------------------------------
# Page text, fact values and file names are data: whatever they hold (<script>, # , *,
# [x](javascript:…), backticks, -->), the Markdown shows them as text and nothing else.
_MD_ANYWHERE = frozenset("\\`*_[]<>&|~#")  # inline syntax, raw HTML, entities, GFM tables and strikethrough
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d{1,9})([.)]))")  # lists, setext underlines, ordered lists


def md_escape(text: str, *, inline: bool = False) -> str:
    """``text`` as Markdown that renders as exactly that text, inert.

    Every ASCII character that can start Markdown syntax, raw HTML or an entity is
    backslash-escaped (CommonMark allows it before any ASCII punctuation), and so is
    a list or heading-underline marker at the start of a line.  ``inline`` puts the
    text on one line (for headings and emphasis), line breaks becoming spaces.
    """
    if inline:
        text = " ".join(text.splitlines())
    lines = []
    for line in text.split("\n"):
        line = "".join("\\" + ch if ch in _MD_ANYWHERE else ch for ch in line)
        m = _MD_LINE_START.match(line)
        if m:
            if m.group(2):
                line = f"{m.group(1)}\\{m.group(2)}{line[m.end():]}"
            else:
                line = f"{m.group(1)}{m.group(3)}\\{m.group(4)}{line[m.end():]}"
        lines.append(line)
    return "\n".join(lines)


_COMMENT_DASHES = re.compile("-(?=-)")


def md_comment(text: str) -> str:
    """An HTML comment holding ``text``, which can neither close it nor span lines.

    The text is HTML-escaped (``&`` ``<`` ``>``), a dash followed by a dash is written
    ``&#45;`` so that no ``--`` (hence no ``-->`` or ``--!>``) is left, and line breaks
    and control characters are written as escapes.  ``html.unescape`` gives the text back.
    """
    body = html.escape(one_line(text, limit=10_000), quote=False)
    return f"<!-- {_COMMENT_DASHES.sub('&#45;', body)} -->"


MASTHEAD_LABELS = {"date": "{}", "weekday": "{}", "lunar": "农历{}", "issue_number": "第{}号",
                   "total_issue": "总第{}期", "pages": "今日{}版", "cn": "{}"}


def render_markdown(page: Page) -> str:
    out: List[str] = []
    guess = page.paper
    name = guess.name or "unknown paper"
    out.append(md_comment(f"{page.source.path or '<text>'} · {name} ({guess.confidence:.2f})") + "\n")
    if page.masthead is not None:
        facts = page.masthead.facts
        out.append(f"# {md_escape(str(facts.get('name', name)), inline=True)}\n")
        shown = dict(facts)
        if "issue_number" in shown and shown.get("issue_number") == shown.get("total_issue"):
            shown.pop("issue_number")  # only 总第N期 is printed
        line = " · ".join(fmt.format(md_escape(str(shown[k]), inline=True)) for k, fmt in MASTHEAD_LABELS.items() if k in shown)
        if line:
            out.append(f"*{line}*\n")
    for a in page.articles:
        out.append("---\n")
        if a.column is not None:
            out.append(f"**【{md_escape(a.column.text, inline=True)}】**\n")
        if a.kicker is not None:
            out.append(f"*{md_escape(a.kicker.text, inline=True)}*\n")
        out.append(f"## {md_escape(a.title.text, inline=True) if a.title else '(untitled)'}\n")
        if a.subtitle is not None:
            out.append(f"### {md_escape(a.subtitle.text, inline=True)}\n")
        meta = []
        if a.byline is not None:
            meta.append(a.byline.text)
        elif a.reporters:
            meta.append(" ".join(a.reporters))  # reporters, correspondents, photographers alike
        if a.agency and (a.byline is None):
            meta.append(a.agency)
        if a.dateline:
            meta.append(a.dateline)
        if a.continued_from:
            meta.append(f"上接第{a.continued_from}版")
        if meta:
            out.append("> " + md_escape(" · ".join(meta), inline=True) + "\n")
        for p in a.paragraphs:
            if p.role == "subhead":
                out.append(f"**{md_escape(p.text.text, inline=True)}**\n")
            elif p.role == "caption":
                out.append(f"*{md_escape(p.text.text, inline=True)}*\n")
            else:
                out.append(md_escape(p.text.text) + "\n")
        tail = []
        if a.continued_to:
            tail.append(f"下转第{a.continued_to}版")
        if a.reprinted_from:
            tail.append(f"转自《{a.reprinted_from}》")
        if tail:
            out.append("> " + md_escape(" · ".join(tail), inline=True) + "\n")
    if page.dropped:
        out.append("---\n")
        out.append(md_comment("dropped: " + "; ".join(f"{d.reason}: {d.text.text[:20]}" for d in page.dropped)) + "\n")
    return "\n".join(out) + "\n"


WRITERS = [
    OutputWriter("json", write_json, "one JSON object per page (an array for several)"),
    OutputWriter("jsonl", write_jsonl, "one JSON object per line, one line per page", per_page=True),
    OutputWriter("markdown", write_markdown, "a readable page for people", per_page=True),
    OutputWriter("csv", write_csv, "one row per article: paper, date, headline stack, reporters, text …"),
]


# reader -------------------------------------------------------------------------------------
def _read_text(raw: bytes, encoding: Optional[str], path: Optional[Path]) -> Optional[DecodedInput]:
    from corepress.text_io.reading import read_bytes

    return read_bytes(raw, encoding=encoding, path=path)


TEXT_READER = InputReader("text", (".txt", ".md", ".markdown", ".text"), _read_text)

