"""Score parses of many pages against the gold beside them: the library behind ``corepress eval``.

A page ``NAME.txt`` (or ``NAME.md``, or any suffix a reader claims) is scored when a gold
sits beside it, or in a gold folder under the same stem:

* ``NAME.expected.json`` — an expected page (``corepress.expected/1``, docs/expected-pages.md),
  scored with :func:`corepress.evaluation.score.score`;
* ``NAME.json`` — snippet gold (docs/snippet-gold.md), scored with
  :func:`corepress.evaluation.snippet.score_snippet`.

Both give the same figures per page (:class:`PageScore`); a figure the gold does not
hold is ``None`` ("not scored"), never zero.  Pages are parsed one at a time and only
their figures are kept, so a folder of thousands of pages runs in constant memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import attrs

from corepress.evaluation.boundaries import Glued, boundaries_of, glued_boundaries, locate_bodies
from corepress.evaluation.gold import EvalError, Gold, Plan, check_page_name, collect, find_gold, load_gold
from corepress.evaluation.predictions import pick_prediction
from corepress.evaluation.score import Rate, match_articles, score
from corepress.evaluation.snippet import (
    GoldError,
    Miss,
    SnippetGold,
    article_text,
    missed_detail,
    prf,
    score_snippet,
    short,
    spurious_detail,
    text_of,
)
from corepress.values.errors import InputError, describe

FIGURES = ("titles", "kicker", "subtitle", "byline", "joins_made", "joins_not_in_gold", "masthead", "paper")
"""The rates every page reports besides boundary P/R/F1 (``None`` when its gold does not hold them)."""


def rate_dict(rate: Optional[Rate]) -> Optional[Dict[str, Any]]:
    """``{"hit", "total", "rate"}``; ``rate`` is ``None`` when there was nothing to count; ``None`` when not scored."""
    if rate is None:
        return None
    return {"hit": rate.hit, "total": rate.total, "rate": (rate.hit / rate.total) if rate.total else None}


@attrs.frozen
class PageScore:
    page: str
    gold_path: str
    gold_kind: str
    """``snippet`` or ``expected``."""
    matched: int
    predicted: int
    gold: int
    precision: float
    recall: float
    f1: float
    figures: Mapping[str, Optional[Rate]]
    """One entry per name in :data:`FIGURES`."""
    glued: Optional[Glued]
    misses: Tuple[Miss, ...] = ()
    draft: bool = False
    """The gold is an unchecked draft (``"draft": true``, written by ``corepress eval --draft``)."""

    def to_dict(self, misses: bool = False) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "page": self.page,
            "gold": self.gold_path,
            "gold_kind": self.gold_kind,
            "draft": self.draft,
            "matched": self.matched,
            "predicted": self.predicted,
            "gold_articles": self.gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }
        out.update({name: rate_dict(self.figures.get(name)) for name in FIGURES})
        out["joins_across_boundary"] = self.glued.to_dict() if self.glued is not None else None
        if misses:
            out["misses"] = [m.to_dict() for m in self.misses]
        return out

    def report(self) -> str:
        """Several lines for people, in the style of :meth:`corepress.evaluation.score.ScoreResult.report`."""
        lines = [f"boundary   P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  ({self.matched} matched, {self.predicted} predicted, {self.gold} gold)"]
        lines += [f"{name:<18} {'not scored' if rate is None else rate}" for name, rate in self.figures.items()]
        if self.glued is not None:
            lines.append(f"{'joins_across':<18} {len(self.glued.glued)} of {self.glued.boundaries} boundaries glued")
        lines += [f"  - {m}" for m in self.misses]
        return "\n".join(lines)


# --- scoring ---------------------------------------------------------------------------------------
def score_expected_page(
    pred: Mapping[str, Any], gold: Mapping[str, Any], text: Optional[str] = None, *, page: str = "", gold_path: str = ""
) -> PageScore:
    """Boundary and figures of a page against an expected page, on :func:`score`'s terms."""
    result = score(pred, gold)
    p_articles = list(pred.get("articles") or [])
    g_articles = list(gold["articles"])
    pairs = match_articles(p_articles, g_articles)
    figures: Dict[str, Optional[Rate]] = {
        "titles": result.rates["title"],
        "kicker": result.rates["kicker"],
        "subtitle": result.rates["subtitle"],
        "byline": result.rates["byline"],
        "joins_made": result.rates["joins"],
        "masthead": result.rates["masthead"],
        "paper": result.rates["paper"],
    }
    glued = None
    if text is not None:
        located = locate_bodies(text, [((g["body_start"],), (g["body_end"],)) for g in g_articles])
        glued = glued_boundaries(pred, boundaries_of(text, located))
    matched_gold = {gi for _, gi in pairs}
    matched_pred = {pi for pi, _ in pairs}
    misses = [
        Miss("missed", short(g["body_start"]), g.get("title"), missed_detail(p_articles, [g["body_start"]]))
        for gi, g in enumerate(g_articles)
        if gi not in matched_gold
    ]
    misses += [
        Miss("spurious", short(article_text(a)), text_of(a.get("title")) or None, spurious_detail(a))
        for pi, a in enumerate(p_articles)
        if pi not in matched_pred
    ]
    return PageScore(
        page, gold_path, "expected", len(pairs), len(p_articles), len(g_articles),
        result.precision, result.recall, result.f1, figures, glued, tuple(misses),
    )


def score_page(pred: Mapping[str, Any], gold: Gold, text: Optional[str] = None, *, page: str = "", gold_path: str = "") -> PageScore:
    """Score one page dict (``corepress.page/1`` or ``/2``) against either kind of gold."""
    if isinstance(gold, SnippetGold):
        s = score_snippet(pred, gold, text)
        figures: Dict[str, Optional[Rate]] = {name: None for name in FIGURES}
        figures["titles"] = s.titles
        figures["joins_made"] = s.joins
        figures["joins_not_in_gold"] = s.extra_joins
        return PageScore(
            page, gold_path, "snippet", s.matched, s.predicted, s.gold, s.precision, s.recall, s.f1, figures, s.glued, s.misses, gold.draft
        )
    return score_expected_page(pred, gold, text, page=page, gold_path=gold_path)


def evaluate_one(page: Path, gold_path: Path) -> Union[PageScore, EvalError]:
    """Parse ``page`` and score it against ``gold_path``; any failure is one :class:`EvalError`."""
    from corepress.pipeline.pipeline import parse_path

    try:
        gold = load_gold(gold_path)
        check_page_name(gold, gold_path, page.name)
    except GoldError as exc:
        return EvalError(str(gold_path), str(exc))
    try:
        parsed = parse_path(Path(page))
        text = parsed.text  # the decoded text the spans index, read once
    except InputError as exc:
        return EvalError(str(page), str(exc))
    except TimeoutError as exc:
        return EvalError(str(page), f"{page}: a pattern ran too long on this page ({exc})")
    except Exception as exc:  # a parser bug on one page must not stop an evaluation of thousands
        return EvalError(str(page), f"{page}: the parse failed: {describe(exc)}")
    pred = parsed.to_dict()
    del parsed
    try:
        return score_page(pred, gold, text, page=str(page), gold_path=str(gold_path))
    except (KeyError, TypeError, ValueError) as exc:
        return EvalError(str(gold_path), f"{gold_path}: cannot be scored: {describe(exc)}")


def evaluate(jobs: Iterable[Tuple[Path, Path]]) -> Iterator[Union[PageScore, EvalError]]:
    """Score each ``(page, gold)`` in turn, streaming."""
    for page, gold in jobs:
        yield evaluate_one(page, gold)


# --- totals ----------------------------------------------------------------------------------------
class Totals:
    """Figures over a set of pages, added one page at a time."""

    def __init__(self) -> None:
        self.pages = 0
        self.kinds: Dict[str, int] = {"snippet": 0, "expected": 0}
        self.matched = self.predicted = self.gold = 0
        self.sum_f1 = self.sum_precision = self.sum_recall = 0.0
        self.perfect = self.drafts = 0
        self.figures: Dict[str, Optional[List[int]]] = {name: None for name in FIGURES}
        self.glued: Optional[List[int]] = None

    def add(self, s: PageScore) -> None:
        self.pages += 1
        self.kinds[s.gold_kind] = self.kinds.get(s.gold_kind, 0) + 1
        self.matched += s.matched
        self.predicted += s.predicted
        self.gold += s.gold
        self.sum_f1 += s.f1
        self.sum_precision += s.precision
        self.sum_recall += s.recall
        self.perfect += s.f1 == 1.0
        self.drafts += s.draft
        for name in FIGURES:
            rate = s.figures.get(name)
            if rate is None:
                continue
            acc = self.figures[name] = self.figures[name] or [0, 0]
            acc[0] += rate.hit
            acc[1] += rate.total
        if s.glued is not None:
            g = self.glued = self.glued or [0, 0, 0, 0]
            g[0] += len(s.glued.glued)
            g[1] += s.glued.boundaries
            g[2] += len(s.glued.by_repair)
            g[3] += len(s.glued.by_paragraph)

    def rate(self, name: str) -> Optional[Rate]:
        acc = self.figures[name]
        return None if acc is None else Rate(acc[0], acc[1])

    def glued_dict(self) -> Optional[Dict[str, Any]]:
        if self.glued is None:
            return None
        n, of, by_repair, by_paragraph = self.glued
        return {"glued": n, "boundaries": of, "rate": n / of if of else None, "by_repair": by_repair, "by_paragraph": by_paragraph}

    def to_dict(self, errors: int = 0, skipped: int = 0) -> Dict[str, Any]:
        n = self.pages
        if self.predicted:
            micro_p: Optional[float] = self.matched / self.predicted
        else:
            micro_p = (1.0 if not self.gold else 0.0) if n else None
        micro_r = (self.matched / self.gold if self.gold else (1.0 if not self.predicted else 0.0)) if n else None
        micro_f1 = None
        if micro_p is not None and micro_r is not None:
            micro_f1 = 0.0 if micro_p + micro_r == 0 else 2 * micro_p * micro_r / (micro_p + micro_r)
        out: Dict[str, Any] = {
            "pages": n,
            "pages_snippet": self.kinds.get("snippet", 0),
            "pages_expected": self.kinds.get("expected", 0),
            "pages_f1_1": self.perfect,
            "pages_draft": self.drafts,
            "pages_skipped_without_gold": skipped,
            "errors": errors,
            "matched": self.matched,
            "predicted": self.predicted,
            "gold_articles": self.gold,
            "mean_f1": self.sum_f1 / n if n else None,
            "mean_precision": self.sum_precision / n if n else None,
            "mean_recall": self.sum_recall / n if n else None,
            "micro_precision": micro_p,
            "micro_recall": micro_r,
            "micro_f1": micro_f1,
        }
        out.update({name: rate_dict(self.rate(name)) for name in FIGURES})
        out["joins_across_boundary"] = self.glued_dict()
        return out


def run(
    paths: Sequence[Union[str, Path]], gold_dir: Optional[Path] = None, *, misses: bool = False
) -> Dict[str, Any]:
    """Evaluate ``paths`` and return the ``corepress eval --json`` object: ``pages``, ``total``, ``errors``."""
    plan = collect(paths, gold_dir)
    totals = Totals()
    pages: List[Dict[str, Any]] = []
    errors = list(plan.errors)
    for result in evaluate(plan.jobs):
        if isinstance(result, EvalError):
            errors.append(result)
            continue
        totals.add(result)
        pages.append(result.to_dict(misses=misses))
    return {
        "pages": pages,
        "total": totals.to_dict(errors=len(errors), skipped=plan.skipped),
        "errors": [e.to_dict() for e in errors],
    }


__all__ = [
    "EvalError",
    "FIGURES",
    "PageScore",
    "Plan",
    "Totals",
    "collect",
    "evaluate",
    "evaluate_one",
    "find_gold",
    "load_gold",
    "pick_prediction",
    "prf",
    "run",
    "score_page",
]
