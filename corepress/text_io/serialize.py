"""The built-in writers (json, jsonl, markdown) and the text reader, registered by
:mod:`corepress.plugin_system.builtin_io` so that reading and writing never depend on the generic rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, List, Optional, TextIO

from corepress.values.hooktypes import DecodedInput, InputReader, OutputWriter
from corepress.values.model import Page


# writers ----------------------------------------------------------------------------------
def write_json(pages: Iterable[Page], stream: TextIO) -> None:
    items = [page.to_dict() for page in pages]
    payload: Any = items[0] if len(items) == 1 else items
    json.dump(payload, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_jsonl(pages: Iterable[Page], stream: TextIO) -> None:
    for page in pages:
        stream.write(json.dumps(page.to_dict(), ensure_ascii=False))
        stream.write("\n")


def write_markdown(pages: Iterable[Page], stream: TextIO) -> None:
    for page in pages:
        stream.write(render_markdown(page))


def render_markdown(page: Page) -> str:
    out: List[str] = []
    guess = page.paper
    name = guess.name or "unknown paper"
    out.append(f"<!-- {page.source.path or '<text>'} · {name} ({guess.confidence:.2f}) -->\n")
    if page.masthead is not None:
        facts = page.masthead.facts
        out.append(f"# {facts.get('name', name)}\n")
        shown = dict(facts)
        if shown.get("issue_number") == shown.get("total_issue"):
            shown.pop("issue_number")  # only 总第N期 is printed
        labels = {"date": "{}", "weekday": "{}", "lunar": "农历{}", "issue_number": "第{}号",
                  "total_issue": "总第{}期", "pages": "今日{}版", "cn": "{}"}
        line = " · ".join(fmt.format(shown[k]) for k, fmt in labels.items() if k in shown)
        if line:
            out.append(f"*{line}*\n")
    for a in page.articles:
        out.append("---\n")
        if a.column is not None:
            out.append(f"**【{a.column.text}】**\n")
        if a.kicker is not None:
            out.append(f"*{a.kicker.text}*\n")
        out.append(f"## {a.title.text if a.title else '(untitled)'}\n")
        if a.subtitle is not None:
            out.append(f"### {a.subtitle.text}\n")
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
            out.append("> " + " · ".join(meta) + "\n")
        for p in a.paragraphs:
            if p.role == "subhead":
                out.append(f"**{p.text.text}**\n")
            elif p.role == "caption":
                out.append(f"*{p.text.text}*\n")
            else:
                out.append(p.text.text + "\n")
        tail = []
        if a.continued_to:
            tail.append(f"下转第{a.continued_to}版")
        if a.reprinted_from:
            tail.append(f"转自《{a.reprinted_from}》")
        if tail:
            out.append("> " + " · ".join(tail) + "\n")
    if page.dropped:
        out.append("---\n")
        out.append("<!-- dropped: " + "; ".join(f"{d.reason}: {d.text.text[:20]}" for d in page.dropped) + " -->\n")
    return "\n".join(out) + "\n"


WRITERS = [
    OutputWriter("json", write_json, "one JSON object per page (an array for several)"),
    OutputWriter("jsonl", write_jsonl, "one JSON object per line, one line per page"),
    OutputWriter("markdown", write_markdown, "a readable page for people"),
]


# reader -------------------------------------------------------------------------------------
def _read_text(raw: bytes, encoding: Optional[str], path: Optional[Path]) -> Optional[DecodedInput]:
    from corepress.text_io.reading import read_bytes

    return read_bytes(raw, encoding=encoding, path=path)


TEXT_READER = InputReader("text", (".txt", ".md", ".markdown", ".text"), _read_text)

