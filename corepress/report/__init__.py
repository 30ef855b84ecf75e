"""Pages as a person checks them: one self-contained HTML file (``corepress report``).

The parse of a page is shown on its own source text: every character of the page
is marked with what the parse made of it (an article's field, a masthead line,
dropped text with its reason, a repair), read from the spans of the traced output
strings, so the picture is the parse itself and not a second guess at it.
:mod:`corepress.report.marks` works out the marks, :mod:`corepress.report.render`
writes the HTML, and :mod:`corepress.report.clusters` writes ``corepress align
--format html`` with links into a report.

Pages are shown issue by issue, with each 下转/上接 linked as :mod:`corepress.corpus.issue`
resolves it (:mod:`corepress.report.issues`).  This layer sits above :mod:`corepress.corpus`
and beside :mod:`corepress.evaluation`: it reads values and the corpus layer, never the rules.
"""

from corepress.report.marks import article_anchor, page_key
from corepress.report.render import render_report, write_report

__all__ = ["article_anchor", "page_key", "render_report", "write_report"]
