"""``corepress train``: a boundary model for your own paper, from pages with gold.

Added to the ``corepress`` command line through ``corepress_register_commands``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, Optional, Tuple

import click

import corepress_learned
from corepress.api import EvalError, evaluate_one, pages_with_gold
from corepress_learned.model import ModelError, read_model
from corepress_learned.train import (
    GAP_LABELS,
    STAGES,
    Examples,
    LabelScore,
    cross_validate,
    examples_from,
    held_out,
    split,
    train_and_write,
)


class NothingToTrainOn(click.ClickException):
    """Exit code 2, as ``corepress eval`` when nothing could be scored at all."""

    exit_code = 2


def _table(title: str, scores: Dict[str, LabelScore]) -> str:
    lines = [title, f"  {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'gaps':>7}"]
    for label in GAP_LABELS:
        s = scores[label]
        lines.append(f"  {label:<6} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp + s.fn:7d}")
    return "\n".join(lines)


def article_f1(paths: Tuple[Path, ...], model_path: Optional[Path]) -> Tuple[float, int]:
    """Mean article F1 (as ``corepress eval`` counts it) over the pages with gold, with the model or rules alone."""
    plan = pages_with_gold(paths)
    if model_path is None:
        with corepress_learned.Recording():  # recording: the plugin abstains, the rules decide alone
            results = [evaluate_one(page, gold) for page, gold in plan.jobs]
    else:
        corepress_learned.use_model(read_model(model_path))
        try:
            results = [evaluate_one(page, gold) for page, gold in plan.jobs]
        finally:
            corepress_learned.use_model(None)
    scores = [r.f1 for r in results if not isinstance(r, EvalError)]
    return (sum(scores) / len(scores) if scores else 0.0), len(scores)


@click.command("train")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="MODEL",
              help="Write the model here (atomically).")
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Cross-validation folds over the training pages (0: none).")
@click.option("--test", "test_paths", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Held-out pages with gold: report gap scores and article F1 on them, rules alone and with the new model.")
@click.option("--test-split", type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True), metavar="SHARE",
              help="Hold out this share of PATHS' pages (0 < SHARE < 1) instead of --test; the model is trained on the rest.")
@click.option("--seed", type=int, default=0, show_default=True, help="Shuffling seed of the cross-validation folds and of --test-split.")
@click.option("--stages", type=click.IntRange(1, 2), default=STAGES, show_default=True,
              help="2: a second CRF reads the articles the first one made (more accurate); 1: the first alone (faster).")
def train_command(
    paths: Tuple[Path, ...], output: Path, folds: int, test_paths: Tuple[Path, ...], test_split: Optional[float], seed: int,
    stages: int,
) -> None:
    """Train a boundary model (corepress-learned) from pages with gold.

    PATHS are pages or folders; each page needs its gold beside it (NAME.json snippet
    gold or NAME.expected.json), as `corepress eval` reads them.  Use the model with
    COREPRESS_LEARNED_MODEL=MODEL.
    """
    if test_split is not None and test_paths:
        raise click.UsageError("--test and --test-split are two ways to hold pages out: give one")
    examples = examples_from(paths, "reading training pages")
    for problem in examples.problems:
        click.echo(f"corepress train: {problem}", err=True)
    if not examples.sequences:
        raise NothingToTrainOn("no page with usable gold to train on (pages need NAME.json or NAME.expected.json beside them)")
    test: Optional[Examples] = None
    if test_split is not None:
        if len(examples.sequences) < 2:
            raise NothingToTrainOn("--test-split needs at least two pages with usable gold")
        examples, test = split(examples, test_split, seed)
        test_paths = tuple(Path(name) for name in test.names)
    gaps = sum(len(y) for _, y, _ in examples.sequences)
    click.echo(f"training on {len(examples.sequences)} pages, {gaps} gaps")
    trained: Dict[str, object] = {
        "pages": len(examples.sequences), "gaps": gaps, "stages": stages, "corepress_learned": corepress_learned.__version__,
    }
    if folds >= 2 and len(examples.sequences) >= folds:
        scores = cross_validate(examples, folds, seed, stages)
        click.echo(_table(f"{folds}-fold cross-validation, per gap:", scores))
        trained["cross_validation"] = {label: s.to_dict() for label, s in scores.items()}
    if test is None and test_paths:
        test = examples_from(test_paths, "reading held-out pages")
    if test is not None:
        for problem in test.problems:
            click.echo(f"corepress train: --test: {problem}", err=True)
    if test is not None and test.sequences:
        scores = held_out(examples, test, stages)
        click.echo(_table(f"held out ({len(test.sequences)} pages), per gap:", scores))
        trained["held_out"] = {label: s.to_dict() for label, s in scores.items()}
    train_and_write(examples, output, trained, stages)
    click.echo(f"wrote {output}")
    if test is not None and test.sequences:
        try:
            rules, n = article_f1(test_paths, None)
            learned, _ = article_f1(test_paths, output)
        except ModelError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"held out, mean article F1 over {n} pages: rules alone {rules:.3f}, with the model {learned:.3f}")
    sys.stdout.flush()
