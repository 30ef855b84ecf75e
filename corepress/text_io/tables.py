"""Pages as table rows: one row per article, and one per page, for CSV and Parquet.

Analysts load these into pandas, duckdb or a spreadsheet; every column is a plain
string, number or boolean (lists are joined, as the column's comment says), so
the same rows read the same from CSV and from Parquet.  The JSON page stays the
full record (spans, repairs, markers); the tables are its flat view.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Dict, Iterable, List, Optional, TextIO, Tuple

from corepress.values.model import Page

LIST_SEPARATOR = "、"
"""Joins list values (reporters) in one cell, as Chinese lists them."""

Column = Tuple[str, str, str]
"""(name, Arrow type, what it holds)"""

# the cells both tables give every row (see _identity)
PAPER: Column = ("paper", "string", "paper id (empty when no paper was recognised)")
PAPER_NAME: Column = ("paper_name", "string", "the paper's name as its masthead or plugin gives it")
DATE: Column = ("date", "string", "ISO date from the masthead, when found")
PAGE: Column = ("page", "string", "the page's own number (版次) as printed (A3, 3) or from the file name; empty when neither gives it")
SOURCE_PATH: Column = ("source_path", "string", "the page's file, as given")
SOURCE_SHA256: Column = ("source_sha256", "string", "SHA-256 of the page file's bytes")

ARTICLE_COLUMNS: Tuple[Column, ...] = (
    PAPER,
    PAPER_NAME,
    DATE,
    PAGE,
    ("article", "string", "article id on the page (a1, a2 … in page order)"),
    ("kind", "string", "article kind: news, photo, interview, commentary or notice"),
    ("column", "string", "栏目 the article runs under"),
    ("kicker", "string", "引题"),
    ("title", "string", "主题"),
    ("subtitle", "string", "副题"),
    ("reporters", "string", "everyone credited, joined by 、"),
    ("agency", "string", "news agency of the dateline (新华社 …)"),
    ("dateline", "string", "the dateline as printed"),
    ("continued_from", "string", "上接: the page it continues from"),
    ("continued_to", "string", "下转: the page it continues on"),
    ("text", "string", "the paragraphs, one per line"),
    ("paragraphs", "int64", "number of paragraphs"),
    ("confidence", "float64", "how sure the boundaries and headline are, 0–1"),
    ("flags", "string", "flags, joined by spaces"),
    SOURCE_PATH,
    SOURCE_SHA256,
)

PAGE_COLUMNS: Tuple[Column, ...] = (
    SOURCE_PATH,
    SOURCE_SHA256,
    PAPER,
    PAPER_NAME,
    ("paper_confidence", "float64", "confidence of the paper detection"),
    DATE,
    PAGE,
    ("issue_number", "string", "期号 from the masthead"),
    ("articles", "int64", "articles found"),
    ("dropped", "int64", "dropped items (adverts, page furniture …)"),
    ("repairs", "int64", "logged repairs"),
    ("notices", "int64", "notices"),
    ("masthead", "string", "all masthead facts, as a JSON object"),
    ("producer", "string", "corepress's and the plugins' versions, as a JSON object"),
)


def _fact(page: Page, name: str) -> Optional[str]:
    if page.masthead is None or page.masthead.facts.get(name) is None:
        return None
    return str(page.masthead.facts[name])


def _identity(page: Page) -> Dict[str, Any]:
    """The cells both tables give every row: which page of which paper and day, and its source."""
    return {
        "paper": page.paper.id,
        "paper_name": _fact(page, "name") or page.paper.name,
        "date": _fact(page, "date"),
        "page": page.identity.number if page.identity is not None else None,
        "source_path": page.source.path,
        "source_sha256": page.source.sha256,
    }


def article_rows(page: Page) -> List[Dict[str, Any]]:
    """One dict per article, with every key of :data:`ARTICLE_COLUMNS`."""
    common = _identity(page)
    rows = []
    for a in page.articles:
        rows.append({
            **common,
            "article": a.id,
            "kind": a.kind.value,
            "column": a.column.text if a.column else None,
            "kicker": a.kicker.text if a.kicker else None,
            "title": a.title.text if a.title else None,
            "subtitle": a.subtitle.text if a.subtitle else None,
            "reporters": LIST_SEPARATOR.join(a.reporters),
            "agency": a.agency,
            "dateline": a.dateline,
            "continued_from": a.continued_from,
            "continued_to": a.continued_to,
            "text": "\n".join(p.text.text for p in a.paragraphs),
            "paragraphs": len(a.paragraphs),
            "confidence": a.confidence,
            "flags": " ".join(a.flags),
        })
    return rows


def page_row(page: Page) -> Dict[str, Any]:
    """One dict for the page, with every key of :data:`PAGE_COLUMNS`."""
    facts = dict(page.masthead.facts) if page.masthead is not None else {}
    return {
        **_identity(page),
        "paper_confidence": page.paper.confidence,
        "issue_number": _fact(page, "issue_number"),
        "articles": len(page.articles),
        "dropped": len(page.dropped),
        "repairs": len(page.repairs),
        "notices": len(page.notices),
        "masthead": json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str) if facts else None,
        "producer": json.dumps(page.producer.to_dict(), ensure_ascii=False, sort_keys=True),
    }


def page_rows(page: Page) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """The page's article rows and its page row (what a worker sends back for table output)."""
    return article_rows(page), page_row(page)


# CSV -------------------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    return "" if value is None else value


def write_csv_rows(rows: Iterable[Dict[str, Any]], columns: Tuple[Column, ...], stream: TextIO) -> None:
    """A header, then one line per row (RFC 4180 quoting; a newline in a cell stays inside its quotes)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([name for name, _, _ in columns])
    for row in rows:
        writer.writerow([_cell(row[name]) for name, _, _ in columns])


def write_csv(pages: Iterable[Page], stream: TextIO) -> None:
    """``--format csv``: one row per article of every page."""
    write_csv_rows((row for page in pages for row in article_rows(page)), ARTICLE_COLUMNS, stream)


# Parquet ---------------------------------------------------------------------------------------
def arrow_schema(columns: Tuple[Column, ...]) -> Any:
    import pyarrow as pa

    return pa.schema([pa.field(name, getattr(pa, kind)(), metadata={"description": what}) for name, kind, what in columns])


def write_parquet(rows: List[Dict[str, Any]], columns: Tuple[Column, ...], target: str) -> None:
    """Write ``rows`` as one Parquet file (zstd).

    The table is built by pyarrow's JSON reader from the rows as JSON lines rather than
    from Python lists: building from lists makes pyarrow import pandas to check each
    value, which alone costs a batch some 50 MB of memory.
    """
    import io

    import pyarrow as pa
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq

    schema = arrow_schema(columns)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    table = pa_json.read_json(io.BytesIO(lines), parse_options=options) if rows else schema.empty_table()
    pq.write_table(table.select([name for name, _, _ in columns]).cast(schema), target, compression="zstd")
    del table
    pa.default_memory_pool().release_unused()  # hand the part's buffers back before the next is built
