"""``corepress align --format html``: the clusters as a page whose members link into a report.

A member links to ``REPORT#page-KEY-article-ID`` (its article's region in a
``corepress report`` of the same files) and each variant to
``REPORT#page-KEY-chars-START-END``, which selects the reading in the page's text.
``KEY`` comes from the page's bytes (:func:`~corepress.report.marks.page_key`), so the
links hold however the files were listed to either command.
"""

from __future__ import annotations

from html import escape
from typing import Callable, Dict, List, Optional, Sequence, TextIO, Tuple
from urllib.parse import quote

from corepress.corpus.align import Cluster
from corepress.report.marks import article_anchor, page_key
from corepress.values.model import Page

CSS = """
body{margin:0 auto;max-width:72rem;padding:1rem 1.5rem;font:15px/1.6 "Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",
 "PingFang SC","Microsoft YaHei",sans-serif;color:#1d1d1f;background:#f6f6f3}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;margin-bottom:1.2rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
table{border-collapse:collapse;font-size:.85rem;width:100%;margin-bottom:.6rem}
th,td{border-bottom:1px solid #eee;padding:.15rem .4rem;text-align:left;vertical-align:top}
td{word-break:break-all}
th{white-space:nowrap}
.role{font-weight:600}
.reading{background:#ffe6a8;padding:0 .2rem}
.empty{color:#999}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def report_href(report: str) -> str:
    """The report's address as given, made a plain relative path: a ``scheme:`` spelt in it is percent-encoded,
    so no value of ``--report`` can make a link run code."""
    return quote(report, safe="/-_.~")


def write_html(clusters: Sequence[Cluster], stream: TextIO, keys: Dict[str, str], report: Optional[str] = None) -> None:
    """The clusters as one HTML document; ``keys`` maps each member's path to its page key, ``report`` is the
    report the links point to (no links without it)."""
    href = report_href(report) if report is not None else None
    out: List[str] = [
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
        f"<title>corepress align: {len(clusters)} stories found more than once</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        f"<h1>corepress align</h1>\n<p>{len(clusters)} {'story' if len(clusters) == 1 else 'stories'} found more than once.",
    ]
    out.append(f" Members and readings link into <a href=\"{_e(href)}\">{_e(report)}</a>.</p>\n" if href else "</p>\n")
    for n, cluster in enumerate(clusters, 1):
        out.append(_cluster_html(n, cluster, keys, href))
    out.append("</body>\n</html>\n")
    stream.write("".join(out))


def _cluster_html(n: int, cluster: Cluster, keys: Dict[str, str], href: Optional[str]) -> str:
    ref = cluster.members[cluster.reference]
    rows = []
    for i, m in enumerate(cluster.members):
        role = "longest" if i == cluster.reference else ("cut" if i in cluster.cuts else "")
        key = keys.get(m.path or "")
        source = _link(href, key and f"page-{key}", m.path or "")
        article = _link(href, key and article_anchor(key, m.article), m.article)
        cells = [str(i), f"<span class=\"role\">{role}</span>", source, _e(m.paper or ""), _e(m.date or ""),
                 _e(m.page or ""), article, _e(m.title or ""), str(len(m.text)), f"{cluster.containment[i]:.0%}"]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ("<tr><th>member</th><th></th><th>source</th><th>paper</th><th>date</th><th>page</th><th>article</th>"
            "<th>title</th><th>characters</th><th>inside the longest</th></tr>")
    out = [f"<section class=\"cluster\" id=\"cluster-{n}\">\n<h2>{n}. {_e(ref.title or '(untitled)')}</h2>\n",
           f"<table class=\"members\">{head}{''.join(rows)}</table>\n"]
    if cluster.variants:
        lines = []
        for v in cluster.variants:
            member = cluster.members[v.member]
            mine = _reading(href, keys.get(member.path or ""), v.text, v.span)
            theirs = _reading(href, keys.get(ref.path or ""), v.reference_text, v.reference_span)
            lines.append(f"<tr><td>{v.member}</td><td>{mine}</td><td>{theirs}</td>"
                         f"<td>{_span(v.span)}</td><td>{_span(v.reference_span)}</td></tr>")
        out.append("<table class=\"variants\"><tr><th>member</th><th>its reading</th><th>the longest's</th>"
                   f"<th>span</th><th>longest span</th></tr>{''.join(lines)}</table>\n")
    out.append("</section>\n")
    return "".join(out)


def _link(href: Optional[str], anchor: Optional[str], text: str) -> str:
    if href is None or not anchor:
        return _e(text)
    return f"<a href=\"{_e(href)}#{_e(anchor)}\">{_e(text)}</a>"


def _reading(href: Optional[str], key: Optional[str], text: str, span: Optional[Tuple[int, int]]) -> str:
    if not text:
        return "<span class=\"empty\">∅</span>"
    shown = f"<span class=\"reading\">{_e(text)}</span>"
    if href is None or key is None or span is None:
        return shown
    return f"<a href=\"{_e(href)}#page-{_e(key)}-chars-{span[0]}-{span[1]}\">{shown}</a>"


def _span(span: Optional[Tuple[int, int]]) -> str:
    return "<span class=\"empty\">—</span>" if span is None else f"{span[0]}–{span[1]}"


def keys_by_path(pages: Sequence[Page]) -> Dict[str, str]:
    """Each page's path and key, for :func:`write_html` (the first page of a path given twice)."""
    keys: Dict[str, str] = {}
    for page in pages:
        if page.source.path is not None:
            keys.setdefault(page.source.path, page_key(page))
    return keys


def html_writer(pages: Sequence[Page], report: Optional[str]) -> Callable[[Sequence[Cluster], TextIO], None]:
    """What ``corepress align --format html`` writes the clusters of ``pages`` with."""
    keys = keys_by_path(pages)

    def write(clusters: Sequence[Cluster], stream: TextIO) -> None:
        write_html(clusters, stream, keys, report)

    return write
