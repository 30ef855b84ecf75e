"""``corepress eval``: parse pages and score them against the gold beside them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import click

EXIT_NOTHING_SCORED = 2


def _cell(rate: Any) -> str:
    """``hit/total``; ``-`` when there was nothing to count; ``n/a`` when the gold does not hold the figure."""
    if rate is None:
        return "n/a"
    return "-" if rate.total == 0 else f"{rate.hit}/{rate.total}"


def _num(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _total_rate(figure: Optional[Dict[str, Any]]) -> str:
    if figure is None:
        return "n/a"
    if figure["rate"] is None:
        return "- (0/0)"
    return f"{figure['rate']:.3f} ({figure['hit']}/{figure['total']})"


def _total_glued(figure: Optional[Dict[str, Any]]) -> str:
    if figure is None:
        return "n/a"
    rate = "-" if figure["rate"] is None else f"{figure['rate']:.3f}"
    return f"{rate} ({figure['glued']}/{figure['boundaries']} boundaries)"


EXTRA = (("kicker", "kicker"), ("subtitle", "subtitle"), ("byline", "byline"), ("masthead", "masthead"), ("paper", "paper"))


def total_lines(total: Dict[str, Any]) -> List[str]:
    """The total of a run, as the few lines ``corepress eval`` ends with."""
    lines = [
        f"total: {_n(total['pages'], 'page')} ({total['pages_snippet']} snippet gold, {_n(total['pages_expected'], 'expected page')}; "
        f"{total['pages_f1_1']} with F1 1; {_n(total['errors'], 'error')}, {total['pages_skipped_without_gold']} skipped without gold)",
        f"  articles: matched {total['matched']}, predicted {total['predicted']}, gold {total['gold_articles']}",
        f"  mean F1 {_num(total['mean_f1'])} · micro P {_num(total['micro_precision'])} R {_num(total['micro_recall'])} "
        f"F1 {_num(total['micro_f1'])}",
        f"  titles exact {_total_rate(total['titles'])} · joins made {_total_rate(total['joins_made'])} · "
        f"joins the gold has not {_total_rate(total['joins_not_in_gold'])} · "
        f"joins across a boundary {_total_glued(total['joins_across_boundary'])}",
        "  " + " · ".join(f"{label} {_total_rate(total[key])}" for key, label in EXTRA),
    ]
    if total.get("pages_draft"):
        lines.append(
            f"  drafts: {_n(total['pages_draft'], 'page')} scored against an unchecked draft (\"draft\": true), "
            "which measures nothing until a person has corrected it"
        )
    return lines


def draft_pages(paths: Tuple[Path, ...], gold_dir: Optional[Path], force: bool, as_json: bool) -> None:
    """``corepress eval --draft``: write each page's snippet gold from its parse, for a person to correct."""
    from corepress.evaluation.draft import draft

    results = []
    for result in draft(paths, gold_dir, force=force):
        results.append(result)
        if as_json:
            continue
        if result.status == "drafted":
            click.echo(str(result))
        else:
            click.echo(f"corepress: {'skipped' if result.status == 'skipped' else 'error'}: {result}", err=True)
    counts = {status: sum(r.status == status for r in results) for status in ("drafted", "skipped", "error")}
    if as_json:
        click.echo(json.dumps({"pages": [r.to_dict() for r in results], "total": counts}, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"draft: {_n(counts['drafted'], 'page')} drafted, {counts['skipped']} skipped (gold exists), "
            f"{_n(counts['error'], 'error')}"
        )
    if not counts["drafted"] and not counts["skipped"]:
        sys.exit(EXIT_NOTHING_SCORED)


@click.command("eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Look for each page's gold here (by file stem) instead of beside the page; with --draft, write the drafts here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: pages, total, errors (with --draft: pages, total).")
@click.option("--show-misses", is_flag=True, help="List each missed gold article and each spurious predicted article.")
@click.option(
    "--draft",
    is_flag=True,
    help="Score nothing: write each page's snippet gold (NAME.json) from its parse, marked as a draft, for a person to correct.",
)
@click.option("--force", is_flag=True, help="With --draft: overwrite a gold that is already there.")
def eval_command(
    paths: Tuple[Path, ...], gold_dir: Optional[Path], as_json: bool, show_misses: bool, draft: bool, force: bool
) -> None:
    """Parse pages and score them against their gold: snippet gold (NAME.json) or expected pages (NAME.expected.json).

    PATHS are page files or folders (walked).  Each page needs a gold beside it, or in
    --gold DIR under the same stem.  Per page and in total: matched / predicted / gold
    articles, precision, recall, F1 (mean over pages and micro), exact titles, joins made,
    joins that glue one article to the next, and — from expected pages only — kicker,
    subtitle, byline, masthead facts and paper.  A figure the gold does not hold is
    "n/a" (null in --json); "-" means there was nothing to count.

    A folder without gold, a gold that does not parse, or a page whose parse fails is one
    error line in the report (an entry of "errors" with --json); the others are scored.

    With --draft, nothing is scored: each page is parsed and its snippet gold is written
    beside it (or into --gold DIR) from the parse, with "draft": true, one entry per
    parsed article.  Scored at once the draft gives F1 1, so eval counts draft pages
    apart; correct the draft against the page and delete "draft" to make it gold.  A
    page that has a gold already is skipped (one line on standard error) unless --force.

    Exit codes: 0 when at least one page was scored (drafted, or skipped for its gold
    with --draft); 2 when none could be, or the command line is wrong.
    """
    if force and not draft:
        raise click.UsageError("--force only goes with --draft")
    if draft:
        if show_misses:
            raise click.UsageError("--show-misses does not go with --draft")
        draft_pages(paths, gold_dir, force, as_json)
        return
    from corepress.evaluation.evaluate import EvalError, Totals, collect, evaluate

    plan = collect(paths, gold_dir)
    totals = Totals()
    pages: List[Dict[str, Any]] = []
    errors: List[EvalError] = list(plan.errors)
    extra = any(gold.name.endswith(".expected.json") for _, gold in plan.jobs)
    width = min(max([len(str(p)) for p, _ in plan.jobs] + [4]), 60)
    if not as_json:
        for error in plan.errors:
            click.echo(f"error: {error}")
        if plan.jobs:
            header = f"{'page':<{width}}  {'gold':<8} {'m/p/g':>9} {'P':>6} {'R':>6} {'F1':>6} {'titles':>7} {'joins':>7} {'glued':>6}"
            if extra:
                header += "".join(f" {label:>8}" for _, label in EXTRA)
            click.echo(header)
    for result in evaluate(plan.jobs):
        if isinstance(result, EvalError):
            errors.append(result)
            if not as_json:
                click.echo(f"error: {result}")
            continue
        totals.add(result)
        if as_json:
            pages.append(result.to_dict(misses=show_misses))
            continue
        glued = "n/a" if result.glued is None else f"{len(result.glued.glued)}/{result.glued.boundaries}"
        found = f"{result.matched}/{result.predicted}/{result.gold}"
        row = (
            f"{result.page:<{width}}  {'draft' if result.draft else result.gold_kind:<8} {found:>9} {result.precision:6.3f} {result.recall:6.3f} "
            f"{result.f1:6.3f} {_cell(result.figures['titles']):>7} {_cell(result.figures['joins_made']):>7} {glued:>6}"
        )
        if extra:
            row += "".join(f" {_cell(result.figures[key]):>8}" for key, _ in EXTRA)
        click.echo(row)
        if show_misses:
            for miss in result.misses:
                click.echo(f"    {miss}")
    total = totals.to_dict(errors=len(errors), skipped=plan.skipped)
    if as_json:
        report = {"pages": pages, "total": total, "errors": [e.to_dict() for e in errors]}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for line in total_lines(total):
            click.echo(line)
    if totals.pages == 0:
        click.echo("corepress: error: nothing could be scored", err=True)
        sys.exit(EXIT_NOTHING_SCORED)
