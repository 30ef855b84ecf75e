"""An issue put back together: pages grouped by paper and date, ordered, and 下转/上接 jumps stitched.

An article that starts on page 1 and ends on page 3 is printed as two parts: the
first ends ``（下转第三版）``, the second, often under its headline repeated or
shortened, starts ``（上接第一版）``.  The parser finds each part on its own page
(``continued_to`` / ``continued_from``); this module finds, for every 下转, the part
it continues on:

1. **by page number**: the pages of the issue whose own number (:class:`PageIdentity`)
   is the jump's page;
2. **by title or kicker**: a part whose headline repeats the jumping article's,
   whole or shortened, is the one (two jumps to the same page are told apart so);
3. **by the continuation marker**: a part whose 上接 names the jumping article's page;
   text continuity (the first part stops mid-sentence, the second starts mid-sentence)
   only breaks a tie between candidates that the first two rules found equal.

A jump that no candidate fits, or that several fit equally, is *unresolved*: it is
listed (:class:`Unresolved`) and its parts stay apart, never joined on a guess.  So
is a 上接 that no 下转 points to.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from pathlib import PurePath
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import attrs
import regex

from corepress.text_io.page_numbers import name_date
from corepress.values.model import Article, Page
from corepress.values.traced import Span

SCHEMA_ID = "corepress.issue/1"
SENTENCE_END = "。！？!?…；;”’」』）)】"
"""A paragraph ending in one of these ends a sentence; one ending otherwise was cut by the jump."""
_NOT_HEADLINE = regex.compile(r"[\s\p{P}\p{S}]+", regex.VERSION1)
SHORTEST_SHARED_HEADLINE = 4
"""A shortened headline matches when it shares this many characters (from the start or inside) with the full one."""

IssueKey = Tuple[Optional[str], Optional[str]]
"""(paper id or name, ISO date); ``None`` where the page does not say."""


class Problem(str, enum.Enum):
    """Why a jump was not stitched."""

    MISSING_PAGE = "missing_page"  # the page a 下转 or 上接 names is not among the issue's pages
    NO_MATCH = "no_match"  # the page is there, but no article on it continues this one
    AMBIGUOUS = "ambiguous"  # several articles on the page fit equally well
    NO_JUMP_TO = "no_jump_to"  # a 上接 that no 下转 points to
    NO_PAGE_NUMBER = "no_page_number"  # a page of a several-page issue without a number: it cannot be ordered or jumped to

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Unresolved:
    """A jump (or a page) the issue could not place, reported, never guessed."""

    problem: Problem
    path: Optional[str]
    page: Optional[str]  # the number of the page holding the jump
    article: Optional[str]  # its article id; None for a page-level problem
    target: Optional[str]  # the page the marker names
    message: str


@attrs.frozen
class Part:
    """One printed part of an article: which page, which article there, and where in the source."""

    page: Page = attrs.field(repr=False)
    article: Article = attrs.field(repr=False)

    @property
    def number(self) -> Optional[str]:
        return self.page.identity.number if self.page.identity is not None else None

    @property
    def spans(self) -> Tuple[Span, ...]:
        """The source spans of every field of the part, merged (as the page JSON's ``spans``)."""
        merged: List[List[int]] = []
        for s, e in sorted(span for value in self.article.traced_values() for span in value.spans()):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return tuple((s, e) for s, e in merged)


@attrs.frozen
class StitchedArticle:
    """An article of the issue, with all its parts in reading order (one part when it did not jump)."""

    parts: Tuple[Part, ...]

    @property
    def head(self) -> Article:
        return self.parts[0].article

    @property
    def id(self) -> str:
        """``"1/a2"``: the first part's page and article id (the file name when the page has no number)."""
        first = self.parts[0]
        return f"{first.number or PurePath(first.page.source.path or '?').name}/{first.article.id}"

    @property
    def paragraphs(self) -> Tuple[str, ...]:
        """The parts' paragraphs in order; a sentence cut by a jump is one paragraph again."""
        out: List[str] = []
        for k, part in enumerate(self.parts):
            texts = [p.text.text for p in part.article.paragraphs]
            if k > 0 and out and texts and not ends_sentence(out[-1]):
                out[-1] = join_across(out[-1], texts[0])
                texts = texts[1:]
            out.extend(texts)
        return tuple(out)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@attrs.frozen
class Issue:
    """The pages of one paper on one day, in page order, with their articles stitched."""

    paper: Optional[str]
    paper_name: Optional[str]
    date: Optional[str]
    pages: Tuple[Page, ...] = attrs.field(repr=False)
    articles: Tuple[StitchedArticle, ...] = attrs.field(repr=False)
    unresolved: Tuple[Unresolved, ...] = ()


# --- text ---------------------------------------------------------------------------------------
def ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    return not stripped or stripped[-1] in SENTENCE_END


def join_across(before: str, after: str) -> str:
    """Two halves of a sentence cut by a jump, joined as a column break within a page is:
    directly, with a space only between two Latin letters or digits."""
    before, after = before.rstrip(), after.lstrip()
    latin = before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum()
    return before + (" " if latin else "") + after


def _bare(text: Optional[str]) -> str:
    return _NOT_HEADLINE.sub("", text or "")


def headline_match(jumping: Article, candidate: Article) -> bool:
    """The candidate's title or kicker repeats the jumping article's title or kicker, whole or
    shortened: one holds the other, or they begin alike for most of the shorter one."""
    ours = [t for t in (_bare(v.text) for v in (jumping.title, jumping.kicker) if v is not None) if t]
    theirs = [t for t in (_bare(v.text) for v in (candidate.title, candidate.kicker) if v is not None) if t]
    for a in ours:
        for b in theirs:
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if short == long:
                return True
            if len(short) < SHORTEST_SHARED_HEADLINE:
                continue
            shared = next((i for i, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
            if short in long or shared >= max(SHORTEST_SHARED_HEADLINE, 0.6 * len(short)):
                return True
    return False


# --- grouping -------------------------------------------------------------------------------
def issue_key(page: Page) -> IssueKey:
    """(paper, date) of a page: the detected paper (else the masthead's name) and the masthead's date
    (else the page head's, else one in the file name, even when the name gives no page number)."""
    facts = page.masthead.facts if page.masthead is not None else {}
    paper = page.paper.id or (str(facts["name"]) if facts.get("name") else None)
    date = facts.get("date") or (page.identity.date if page.identity is not None else None) \
        or (name_date(PurePath(page.source.path).name) if page.source.path else None)
    return paper, (str(date) if date else None)


def group_pages(pages: Iterable[Page]) -> Dict[IssueKey, List[Page]]:
    """Pages by issue.  A page whose paper is unknown (an inner page without masthead that no
    plugin recognised) joins the issue of its date when exactly one paper has one that day and
    that issue holds the paper's front page (a page whose masthead names it): a lone inner page
    taken for some paper does not draw a whole day of unknown pages into that paper.  Otherwise
    it stays in a group of its own, never mixed into a paper's issue on a guess."""
    groups: Dict[IssueKey, List[Page]] = defaultdict(list)
    for page in pages:
        groups[issue_key(page)].append(page)
    for (paper, date) in [key for key in groups if key[0] is None and key[1] is not None]:
        papers = [key for key in groups if key[1] == date and key[0] is not None]
        if len(papers) == 1 and any(p.masthead is not None and p.masthead.facts.get("name") for p in groups[papers[0]]):
            groups[papers[0]].extend(groups.pop((paper, date)))
    return dict(groups)


def _order(page: Page) -> Tuple[int, Tuple[str, int], str]:
    identity = page.identity
    return (0, identity.sort_key(), "") if identity is not None else (1, ("", 0), page.source.path or "")


def _digits(number: Optional[str]) -> Optional[str]:
    return number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if number else None


def same_page(named: Optional[str], number: Optional[str], letter: Optional[str] = None) -> bool:
    """A marker's page names this page: ``"A3"`` is ``"A3"``; ``"3"`` is ``"A3"`` within section A
    (``letter``), or any ``"3"``."""
    if not named or not number:
        return False
    if named == number:
        return True
    return named.isdigit() and letter is not None and number == f"{letter}{named}"


def _where(page: Page, article: Optional[Article] = None) -> str:
    name = PurePath(page.source.path).name if page.source.path else "<text>"
    number = f" (page {page.identity.number})" if page.identity is not None else ""
    return f"{name}{number}" + (f" {article.id}" if article is not None else "")


def _last_text(article: Article) -> str:
    return article.paragraphs[-1].text.text if article.paragraphs else ""


# --- resolving jumps ----------------------------------------------------------------------------
Fit = Tuple[int, int]
"""(evidence, continuity): evidence 2 for a repeated headline plus 1 for a 上接 naming the jumping
page; continuity 1 when the jump cuts a sentence that the candidate goes on with."""


def fit(jumping: Part, candidate: Part) -> Optional[Fit]:
    """How well ``candidate`` continues ``jumping``; ``None`` when it cannot (its 上接 names another
    page) or nothing but chance would say so (neither a headline nor a marker points to it)."""
    source = jumping.number
    letter = candidate.page.identity.section_letter if candidate.page.identity is not None else None
    marker = 0
    if candidate.article.continued_from is not None and source is not None:
        if not same_page(candidate.article.continued_from, source, letter):
            return None
        marker = 1
    evidence = marker + (2 if headline_match(jumping.article, candidate.article) else 0)
    if evidence == 0:
        return None
    first = candidate.article.paragraphs[0].text.text if candidate.article.paragraphs else ""
    cut = not ends_sentence(_last_text(jumping.article)) and bool(first)
    return evidence, int(cut and (candidate.article.truncated_start or candidate.article.continued_from is not None))


def target_pages(named: str, source: Page, by_number: Dict[str, List[Page]]) -> List[Page]:
    """The pages a 下转 names: by number; ``"3"`` from a page of section A is ``A3``; ``"A3"``
    in an issue numbered without letters (from file names) is ``3``."""
    if named in by_number:
        return by_number[named]
    letter = source.identity.section_letter if source.identity is not None else None
    if named.isdigit() and letter and f"{letter}{named}" in by_number:
        return by_number[f"{letter}{named}"]
    if not named.isdigit() and not any(n[:1].isalpha() for n in by_number):
        return by_number.get(_digits(named) or "", [])
    return []


def resolve(pages: Sequence[Page]) -> Tuple[Dict[Tuple[int, str], Part], List[Unresolved]]:
    """For every 下转 of ``pages`` (one issue), the part it continues on: ``{(page index, article id): part}``,
    and what could not be resolved."""
    index = {id(page): i for i, page in enumerate(pages)}
    by_number: Dict[str, List[Page]] = defaultdict(list)
    for page in pages:
        if page.identity is not None:
            by_number[page.identity.number].append(page)
    unresolved: List[Unresolved] = []
    choices: Dict[Tuple[int, str], List[Tuple[Fit, Part]]] = {}
    jumps: Dict[Tuple[int, str], Part] = {}
    for page in pages:
        for article in page.articles:
            named = article.continued_to
            if named is None:
                continue
            jump = Part(page, article)
            targets = target_pages(named, page, by_number)
            if not targets:
                unresolved.append(_unresolved(Problem.MISSING_PAGE, jump, named, f"下转{named}版, but page {named} is not among the issue's pages"))
                continue
            ranked = [(f, Part(t, c)) for t in targets for c in t.articles if not (t is page and c is article)
                      for f in [fit(jump, Part(t, c))] if f is not None]
            if not ranked:
                unresolved.append(_unresolved(Problem.NO_MATCH, jump, named, f"下转{named}版: no article on page {named} continues it "
                                                            "(none repeats its headline or says 上接 this page)"))
                continue
            key = (index[id(page)], article.id)
            choices[key] = sorted(ranked, key=lambda pair: pair[0], reverse=True)
            jumps[key] = jump
    links: Dict[Tuple[int, str], Part] = {}
    taken: set = set()
    while choices:
        ranking = []
        for key, ranked in choices.items():
            free = [(f, part) for f, part in ranked if (index[id(part.page)], part.article.id) not in taken]
            tied = [part for f, part in free if free and f == free[0][0]]
            ranking.append(((free[0][0] if free else (-1, -1), len(tied) == 1), key, free, tied))
        (best, unique), key, free, tied = max(ranking, key=lambda row: row[0])
        jump, named = jumps[key], jumps[key].article.continued_to or ""
        del choices[key]
        if not free:
            unresolved.append(_unresolved(
                Problem.NO_MATCH, jump, named, f"下转{named}版: every article on page {named} that fits continues another jump"))
        elif not unique:
            ids = ", ".join(part.article.id for part in tied)
            unresolved.append(_unresolved(
                Problem.AMBIGUOUS, jump, named, f"下转{named}版: {len(tied)} articles on page {named} fit equally ({ids}); not stitched"))
        else:
            links[key] = free[0][1]
            taken.add((index[id(free[0][1].page)], free[0][1].article.id))
    for i, page in enumerate(pages):
        for article in page.articles:
            named = article.continued_from
            if named is None or (i, article.id) in taken:
                continue
            part = Part(page, article)
            if not any(same_page(named, n, page.identity.section_letter if page.identity else None) for n in by_number):
                unresolved.append(_unresolved(Problem.MISSING_PAGE, part, named, f"上接{named}版, but page {named} is not among the issue's pages"))
            else:
                unresolved.append(_unresolved(Problem.NO_JUMP_TO, part, named, f"上接{named}版, but no 下转 on page {named} was resolved to it"))
    return links, unresolved


def _unresolved(problem: Problem, part: Part, named: str, message: str) -> Unresolved:
    return Unresolved(problem, part.page.source.path, part.number, part.article.id, named,
                      f"{_where(part.page, part.article)}: {message}")


# --- issues -------------------------------------------------------------------------------------
def build_issue(key: IssueKey, pages: Iterable[Page]) -> Issue:
    """One issue: its pages in order, every article with its parts, and what could not be stitched."""
    ordered = sorted(pages, key=_order)
    links, unresolved = resolve(ordered)
    targets = {(ordered.index(part.page), part.article.id) for part in links.values()}
    articles: List[StitchedArticle] = []
    placed: set = set()
    # heads first; then what is left, which can only be a loop of jumps (A to B, B back to A), from its first page
    for heads_only in (True, False):
        for i, page in enumerate(ordered):
            for article in page.articles:
                if (i, article.id) in placed or (heads_only and (i, article.id) in targets):
                    continue  # a continuation is part of the article that jumps to it
                parts, at = [Part(page, article)], (i, article.id)
                placed.add(at)
                while at in links and (nxt := (ordered.index(links[at].page), links[at].article.id)) not in placed:
                    parts.append(links[at])
                    placed.add(nxt)
                    at = nxt
                articles.append(StitchedArticle(tuple(parts)))
    if len(ordered) > 1:
        unresolved += [Unresolved(Problem.NO_PAGE_NUMBER, p.source.path, None, None, None,
                                  f"{_where(p)}: the page has no number (none printed, none in its file name: "
                                  "see --page-from-name); it is put last and no jump can reach it")
                       for p in ordered if p.identity is None]
    names = [str(p.masthead.facts["name"]) for p in ordered if p.masthead is not None and p.masthead.facts.get("name")]
    paper_name = names[0] if names else next((p.paper.name for p in ordered if p.paper.name), None)
    return Issue(key[0], paper_name, key[1], tuple(ordered), tuple(articles), tuple(unresolved))


def build_issues(pages: Iterable[Page]) -> List[Issue]:
    """Every issue among ``pages``, by paper then date (unknown ones last)."""
    groups = group_pages(pages)
    order = sorted(groups, key=lambda k: (k[0] is None, k[0] or "", k[1] is None, k[1] or ""))
    return [build_issue(key, groups[key]) for key in order]
