"""The report as one HTML document: the pages' source text marked, a table and a field sheet per article.

Written with the standard library alone: every string that comes from a page (its
text, its file name, titles, drop reasons, repair notes, plugin flags) goes through
:func:`html.escape` on its way into an element or a double-quoted attribute, and
nothing from a page is ever put into the style sheet or the script.  The document's
Content-Security-Policy lets only the report's own script run (see
:mod:`corepress.report.assets`).
"""

from __future__ import annotations

from html import escape
from typing import Any, Dict, Iterable, List, Optional, Sequence, TextIO

from corepress.report.assets import CSS, PALETTE, SCRIPT, content_security_policy
from corepress.report.issues import IssueView, issue_view
from corepress.report.marks import Owner, Run, article_anchor, page_key, page_marks, repair_kind, shown
from corepress.values.model import Article, Page

LOW_CONFIDENCE = 0.5
"""Below this an article's confidence is shown in red: worth a look."""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def page_keys(pages: Sequence[Page]) -> List[str]:
    """Each page's anchor key (:func:`~corepress.report.marks.page_key`); the same file given twice gets ``-2``, ``-3``…"""
    seen: Dict[str, int] = {}
    keys = []
    for page in pages:
        key = page_key(page)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return keys


def write_report(pages: Sequence[Page], stream: TextIO) -> None:
    """Write :func:`render_report` of the pages to a text stream (``corepress report`` writes its ``-o`` file so)."""
    stream.write(render_report(pages))


def render_report(pages: Sequence[Page]) -> str:
    """The whole report: one HTML document that needs nothing else (no network, no other file)."""
    view = issue_view(pages)
    pages, keys = view.pages, page_keys(view.pages)
    title = _e(pages[0].source.path or "standard input") if len(pages) == 1 else f"{len(pages)} pages"
    out = [
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_e(content_security_policy())}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        f"<title>corepress report: {title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        "<header><h1>corepress report</h1>", _legend(), "</header>\n<main>\n",
    ]
    if len(pages) > 1:
        out.append(_page_list(view, keys))
    for number, (page, key) in enumerate(zip(pages, keys), 1):
        out.append(_page_section(page, key, number))
    out.append("</main>\n<aside id=\"panel\"><h2>Article</h2>"
               "<p id=\"panel-empty\" class=\"none\">Click an article (or its row) to see its fields.</p>\n")
    for at, (page, key) in enumerate(zip(pages, keys)):
        for n, article in enumerate(page.articles):
            out.append(_sheet(article, n, key, _jumps(view, keys, at, article.id)))
    out.append(f"</aside>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(out)


def _legend() -> str:
    items = [("c0", "article (numbered; click it)"), ("masthead", "masthead line"), ("dropped", "dropped text (hover: why)"),
             ("repair", "repair (hover: what)")]
    return "<div class=\"legend\">" + "".join(f"<span class=\"{cls}\">{text}</span>" for cls, text in items) + "</div>"


def _page_list(view: IssueView, keys: Sequence[str]) -> str:
    """The pages issue by issue (paper and date), each issue's pages in page order."""
    issues = []
    for label, indexes in view.issues:
        rows = []
        for at in indexes:
            page = view.pages[at]
            number = f" · page {_e(page.identity.number)}" if page.identity is not None else ""
            rows.append(f"<li><a href=\"#page-{keys[at]}\">{_e(page.source.path or 'standard input')}</a>"
                        f"{number} · {_count(len(page.articles), 'article')}</li>")
        issues.append(f"<li>{_e(label)}<ol>{''.join(rows)}</ol></li>")
    return f"<nav class=\"pages\"><b>Pages, issue by issue</b><ol>{''.join(issues)}</ol></nav>\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _page_section(page: Page, key: str, number: int) -> str:
    guess = page.paper
    paper = f"{_e(guess.id)} {_e(guess.name or '')}".strip() if guess.id else "unknown"
    how = "forced" if guess.forced else f"confidence {guess.confidence:.2f}"
    out = [
        f"<section class=\"page\" id=\"page-{key}\">\n<h2>{number}. {_e(page.source.path or 'standard input')}</h2>\n",
        f"<p class=\"meta\">paper: {paper} ({how}) · {_count(len(page.articles), 'article')} · "
        f"{_count(len(page.masthead.lines) if page.masthead else 0, 'masthead line')} · "
        f"{len(page.dropped)} dropped · {_count(len(page.repairs), 'repair')} · "
        f"{_e(page.source.encoding)}, {page.source.length} characters</p>\n",
    ]
    if page.identity is not None:
        out.append(f"<p class=\"meta\">{_page_identity(page)}</p>\n")
    if page.masthead is not None and page.masthead.facts:
        facts = "".join(f"<span><b>{_e(k)}</b> {_e(v)}</span>" for k, v in page.masthead.facts.items())
        out.append(f"<div class=\"facts\">{facts}</div>\n")
    if page.notices:
        notes = "".join(f"<li>{_e(n.level)} {_e(n.code)}: {_e(n.message)}</li>" for n in page.notices)
        out.append(f"<ul class=\"notices\">{notes}</ul>\n")
    out.append(_article_table(page, key))
    out.append(f"<div class=\"source\" id=\"page-{key}-source\">{source_html(page, key)}</div>\n</section>\n")
    return "".join(out)


def _page_identity(page: Page) -> str:
    """``page A3 要闻 · 2024-07-26 (printed)``: the page's own number, as ``corepress issue`` orders pages by it."""
    identity = page.identity
    assert identity is not None
    parts = [f"page {_e(identity.number)}" + (f" {_e(identity.name)}" if identity.name else "")]
    if identity.date:
        parts.append(_e(identity.date))
    where = "from the page head" if identity.source.value == "printed" else "from the file name"
    return " · ".join(parts) + f" ({where})"


def _article_table(page: Page, key: str) -> str:
    if not page.articles:
        return "<p class=\"meta\">No article on this page.</p>\n"
    rows = []
    for n, article in enumerate(page.articles):
        anchor = article_anchor(key, article.id)
        headline = article.title or article.kicker or article.subtitle
        name = _e(headline.text) if headline is not None else "<span class=\"none\">(untitled)</span>"
        rows.append(
            f"<tr data-article=\"{anchor}\"><td><span class=\"c{n % PALETTE}\">&nbsp;{n + 1}&nbsp;</span></td>"
            f"<td>{_e(article.id)}</td><td>{_e(article.kind)}</td><td><a href=\"#{anchor}\">{name}</a></td>"
            f"<td>{_confidence(article.confidence)}</td><td>{_flags(article.flags)}</td></tr>"
        )
    head = "<tr><th>#</th><th>id</th><th>kind</th><th>title</th><th>confidence</th><th>flags</th></tr>"
    return f"<table class=\"articles\">{head}{''.join(rows)}</table>\n"


def _confidence(value: float) -> str:
    return f"<span class=\"low\">{value:.2f}</span>" if value < LOW_CONFIDENCE else f"{value:.2f}"


def _flags(flags: Iterable[str]) -> str:
    shown_flags = ", ".join(_e(f) for f in flags)
    return shown_flags or "<span class=\"none\">none</span>"


def source_html(page: Page, key: str) -> str:
    """The page's text, every character once and in order, inside the marks of :func:`page_marks`.

    The text content of the result is ``page.text`` exactly (badges and repair signs are
    drawn by the style sheet, not written), so offsets into the page are offsets into it.
    """
    marks = page_marks(page)
    regions = marks.regions
    out: List[str] = []
    stack: List[Any] = []  # open regions, innermost last
    next_region = 0

    def boundary(pos: int) -> None:
        nonlocal next_region
        while stack and stack[-1].end <= pos:
            stack.pop()
            out.append("</span>")
        while next_region < len(regions) and regions[next_region].start <= pos:
            region = regions[next_region]
            next_region += 1
            article = page.articles[region.article]
            anchor = article_anchor(key, article.id)
            label = f"{article.id} · {article.title.text if article.title else '(untitled)'} · confidence {article.confidence:.2f}"
            out.append(f"<span class=\"article c{region.article % PALETTE}\" id=\"{anchor}\" data-article=\"{anchor}\" "
                       f"data-n=\"{region.article + 1}\" title=\"{_e(label)}\">")
            if region.end <= pos:
                out.append("</span>")
            else:
                stack.append(region)

    for run in marks.runs:
        boundary(run.start)
        for index in marks.insertions.get(run.start, ()):
            out.append(_repair_open(page, index) + "</span>")
        inside = page.articles[stack[-1].article].id if stack else None
        out.append(_run_html(page, key, run, inside))
    boundary(len(page.text))
    for index in marks.insertions.get(len(page.text), ()) if page.text else ():
        out.append(_repair_open(page, index) + "</span>")
    return "".join(out)


def _repair_open(page: Page, index: int) -> str:
    repair = page.repairs[index]
    note = f"repair {repair.rule}: “{shown(repair.before)}” → “{shown(repair.after)}”"
    return f"<span class=\"repair {repair_kind(repair)}\" data-rule=\"{_e(repair.rule)}\" title=\"{_e(note)}\">"


def _run_html(page: Page, key: str, run: Run, inside: Optional[str]) -> str:
    text = _e(page.text[run.start:run.end])
    if run.repair is not None:
        text = _repair_open(page, run.repair) + text + "</span>"
    owner = run.owner
    if owner is None:
        return text
    if owner.kind == "masthead":
        return f"<span class=\"masthead\" title=\"{_e('masthead: ' + (owner.field or 'line'))}\">{text}</span>"
    if owner.kind == "dropped":
        return f"<span class=\"dropped\" title=\"{_e('dropped: ' + owner.field)}\">{text}</span>"
    return _article_run(page, key, owner, text, inside)


def _article_run(page: Page, key: str, owner: Owner, text: str, inside: Optional[str]) -> str:
    article = page.articles[owner.index]
    field = owner.field.split("[", 1)[0]
    if article.id == inside:
        return text if field == "paragraphs" else f"<span class=\"f-{field}\">{text}</span>"
    # a character of one article inside another's region: coloured as its own, and it selects its own
    anchor = article_anchor(key, article.id)
    return (f"<span class=\"stray c{owner.index % PALETTE} f-{field}\" data-article=\"{anchor}\" "
            f"title=\"{_e(article.id + ' ' + owner.field)}\">{text}</span>")


def _jumps(view: IssueView, keys: Sequence[str], at: int, article_id: str) -> Dict[str, str]:
    """The HTML after ``continued_to`` and ``continued_from``: a link to the part the jump was resolved to,
    or why it was not (as ``corepress issue`` reports it)."""
    out: Dict[str, str] = {}
    for name, links in (("continued_to", view.continues_on), ("continued_from", view.continued_from)):
        target = links.get((at, article_id))
        if target is not None:
            page = view.pages[target[0]]
            where = f"page {page.identity.number}" if page.identity is not None else (page.source.path or "")
            out[name] = f" → <a href=\"#{article_anchor(keys[target[0]], target[1])}\">{_e(where)} · {_e(target[1])}</a>"
    notes = view.not_stitched.get((at, article_id))
    if notes:
        out["not_stitched"] = "".join(f"<li>{_e(note)}</li>" for note in notes)
    return out


def _sheet(article: Article, n: int, key: str, jumps: Dict[str, str]) -> str:
    """The side panel's view of one article: every field, an absent one shown as such."""
    anchor = article_anchor(key, article.id)
    rows: List[str] = [
        _row("confidence", _confidence(article.confidence)),
        _row("flags", _flags(article.flags)),
    ]
    for name in ("kicker", "title", "subtitle", "byline"):
        rows.append(_row(name, _maybe(getattr(article, name))))
    rows.append(_row("reporters", _e("、".join(article.reporters)) if article.reporters else _none()))
    for name in ("agency", "dateline"):
        rows.append(_row(name, _maybe(getattr(article, name))))
    rows.append(_row("column", _maybe(article.column)))
    for name in ("continued_to", "continued_from", "reprinted_from"):
        rows.append(_row(name, _maybe(getattr(article, name)) + jumps.get(name, "")))
    if "not_stitched" in jumps:
        rows.append(_row("not stitched", f"<ul class=\"notices\">{jumps['not_stitched']}</ul>"))
    if article.markers:
        marks = "".join(f"<li><span class=\"role\">{_e(m.kind.value)}</span> {_e(m.text.text)}</li>" for m in article.markers)
        rows.append(_row("markers", f"<ol>{marks}</ol>"))
    if article.boundary.rules:
        margin = "" if article.boundary.margin is None else f" (margin {article.boundary.margin:.2f})"
        rows.append(_row("starts by", _e(", ".join(article.boundary.rules) + margin)))
    paragraphs = "".join(
        f"<li>{'' if p.role.value == 'text' else '<span class=role>' + _e(p.role.value) + '</span> '}{_e(p.text.text)}</li>"
        for p in article.paragraphs
    )
    rows.append(_row(f"paragraphs ({len(article.paragraphs)})", f"<ol>{paragraphs}</ol>" if paragraphs else _none()))
    return (f"<div class=\"sheet\" id=\"sheet-{anchor}\" hidden><h3><span class=\"c{n % PALETTE}\">&nbsp;{n + 1}&nbsp;</span> "
            f"{_e(article.id)} · {_e(article.kind)}</h3><dl>{''.join(rows)}</dl></div>\n")


def _row(name: str, value_html: str) -> str:
    return f"<dt>{_e(name)}</dt><dd class=\"field-{_e(name.split(' (')[0].replace(' ', '-'))}\">{value_html}</dd>"


def _maybe(value: Any) -> str:
    if value is None:
        return _none()
    return _e(getattr(value, "text", value))


def _none() -> str:
    return "<span class=\"none\">—</span>"
