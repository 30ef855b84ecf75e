"""A title index for corepress: ``corepress parse --format titles``.

A short CSV, one row per article, with a header row (corepress's own ``--format csv``
has every field; this index is the kind of narrow view a project adds for itself):

* ``page``: the page's file path as given (empty for text parsed directly);
* ``paper``: the detected paper id (empty when no paper was recognised);
* ``article``: the article id (``a1``, ``a2``… in page order);
* ``title``: the article's title (empty when it has none);
* ``reporters``: everyone credited, joined by ``、``;
* ``text_start``: the first 30 characters of the article text.

This is a *generic* plugin: it registers no paper, so corepress consults it
whatever the page is.
"""

from __future__ import annotations

import csv
from typing import Iterable, Iterator, Sequence, TextIO, Tuple

from corepress.api import OutputWriter, Page, hookimpl

HEADER = ("page", "paper", "article", "title", "reporters", "text_start")
PREVIEW = 30


def article_rows(pages: Iterable[Page]) -> Iterator[Tuple[str, ...]]:
    """One tuple per article of every page, in the order of ``HEADER``."""
    for page in pages:
        for article in page.articles:
            text = "\n".join(p.text.text for p in article.paragraphs)  # the JSON "text" field
            yield (
                page.source.path or "",
                page.paper.id or "",
                article.id,
                article.title.text if article.title is not None else "",
                "、".join(article.reporters),
                text[:PREVIEW],
            )


def write_csv(pages: Iterable[Page], stream: TextIO) -> None:
    """Write the header and one row per article to ``stream``."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(article_rows(pages))


@hookimpl
def corepress_output_writers() -> Sequence[OutputWriter]:
    return [OutputWriter("titles", write_csv, "a title index in CSV: page, paper, article, title, reporters, start of text")]
