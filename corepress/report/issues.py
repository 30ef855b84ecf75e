"""A report's pages as issues: grouped and ordered as ``corepress issue`` does, each 下转/上接 a link.

A person checking a jump wants to go from the part that says （下转3版） to the part
it continues on, and to see at once a jump that could not be placed.  The grouping,
the order and the resolution are :mod:`corepress.corpus.issue`'s, not a second
version of them: the report shows what ``corepress issue`` would stitch.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import attrs

from corepress.corpus.issue import Problem, build_issues
from corepress.values.model import Page

ArticleAt = Tuple[int, str]
"""(index of the page in :attr:`IssueView.pages`, article id)."""


@attrs.frozen
class IssueView:
    pages: Tuple[Page, ...]  # issue by issue, each in page order
    issues: Tuple[Tuple[str, Tuple[int, ...]], ...]  # a label ("营口日报 · 2026-04-02") and the indexes of its pages
    continues_on: Dict[ArticleAt, ArticleAt]  # a 下转 resolved: the part it continues on
    continued_from: Dict[ArticleAt, ArticleAt]  # the same links, backwards
    not_stitched: Dict[ArticleAt, Tuple[str, ...]]  # why a jump of the article was not resolved (one line each)


def issue_view(pages: Sequence[Page]) -> IssueView:
    ordered: List[Page] = []
    labels: List[Tuple[str, Tuple[int, ...]]] = []
    continues_on: Dict[ArticleAt, ArticleAt] = {}
    not_stitched: Dict[ArticleAt, List[str]] = {}
    for issue in build_issues(pages):
        first = len(ordered)
        ordered.extend(issue.pages)
        at = {id(page): first + k for k, page in enumerate(issue.pages)}
        labels.append((f"{issue.paper_name or issue.paper or 'paper unknown'} · {issue.date or 'date unknown'}",
                       tuple(range(first, len(ordered)))))
        for article in issue.articles:
            for before, after in zip(article.parts, article.parts[1:]):
                continues_on[(at[id(before.page)], before.article.id)] = (at[id(after.page)], after.article.id)
        for problem in issue.unresolved:
            if problem.problem is Problem.NO_PAGE_NUMBER or problem.article is None:
                continue  # about a page, not a jump: the page's header shows its number, or none
            page = _page_of(issue.pages, problem.path, problem.page)
            if page is not None:
                not_stitched.setdefault((at[id(page)], problem.article), []).append(problem.message)
    return IssueView(tuple(ordered), tuple(labels), continues_on, {b: a for a, b in continues_on.items()},
                     {k: tuple(v) for k, v in not_stitched.items()})


def _page_of(pages: Sequence[Page], path: Optional[str], number: Optional[str]) -> Optional[Page]:
    for page in pages:
        if page.source.path == path and (page.identity.number if page.identity is not None else None) == number:
            return page
    return None

