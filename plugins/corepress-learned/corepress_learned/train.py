"""Training a boundary model from pages with gold: examples, cross-validation, the model file.

Examples come from the parser itself: each page is parsed with this plugin *recording*
(:class:`corepress_learned.Recording`), so the model is trained on exactly the blocks
and rule classifications it will see when it scores pages, and the gold labels of
those gaps come from :func:`corepress.api.gold_gap_labels` (snippet gold or expected
pages, as ``corepress eval`` reads them).
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import attrs

import corepress
from corepress.api import GapLabel, GoldError, GoldLayout, InputError, gold_layout, load_gold, pages_with_gold
from corepress_learned import Recording
from corepress_learned.features import FEATURE_VERSION, PageViews, page_shape, page_views, stage_two_features
from corepress_learned.model import LABELS, OPENS_ARTICLE, BoundaryModel, ModelInfo, read_model, train_crf, write_model
from corepress_learned.placement import PageShape

Sequence_ = Tuple[PageViews, List[str], PageShape]
"""One page's training sequence: its features (as views: :meth:`PageViews.features` makes them what
python-crfsuite reads), its gold labels, and what the second stage reads of it."""


@attrs.frozen
class Examples:
    """The training sequences of a set of pages, and the pages that gave none (with why)."""

    names: Tuple[str, ...]
    sequences: Tuple[Sequence_, ...]
    problems: Tuple[str, ...]
    papers: Tuple[Optional[str], ...] = ()  # each page's detected paper (None: no plugin claims it)


def _with_progress(jobs: Sequence[Tuple[Path, Path]], what: str) -> Iterable[Tuple[Path, Path]]:
    """The jobs, with a progress bar on standard error when it is a terminal (nothing otherwise)."""
    if not sys.stderr.isatty() or len(jobs) < 2:
        return jobs
    from rich.console import Console
    from rich.progress import track

    return track(jobs, description=what, console=Console(stderr=True), transient=True)


def examples_from(paths: Iterable[Path], what: str = "reading pages") -> Examples:
    """Parse every page that has gold under ``paths`` and turn its gaps into labelled feature sequences."""
    plan = pages_with_gold(paths)
    names: List[str] = []
    papers: List[Optional[str]] = []
    sequences: List[Sequence_] = []
    problems = [e.message for e in plan.errors]
    for page_path, gold_path in _with_progress(plan.jobs, what):
        try:
            gold = load_gold(gold_path)
            with Recording() as recording:
                corepress.parse(page_path)
        except (GoldError, InputError) as exc:
            problems.append(str(exc))
            continue
        if not recording.calls:  # fewer than two blocks: no gap to learn from
            continue
        view, roles, evidence = recording.calls[-1]
        layout = gold_layout(view.text, view.blocks, gold)
        if layout is None:
            problems.append(f"{page_path}: its gold cannot be placed in the text (a body_start or body_end not found)")
            continue
        names.append(str(page_path))
        papers.append(view.guess.id if view.guess is not None else None)
        shape = page_shape(view, roles)
        sequences.append((page_views(view, roles, evidence, shape), block_labels(layout), shape))
    return Examples(tuple(names), tuple(sequences), tuple(problems), tuple(papers))


PAPER_SHARE = 0.2
"""A paper a model speaks for makes at least this share of its training pages: a page or two that
detection gave to some other paper are strays, not a paper the model has learned."""


def split(examples: Examples, share: float, seed: int = 0) -> Tuple[Examples, Examples]:
    """``examples`` cut in two by page, shuffled with ``seed``: (for training, ``share`` of them held out)."""
    order = list(range(len(examples.sequences)))
    random.Random(seed).shuffle(order)
    cut = max(1, min(len(order) - 1, round(share * len(order))))
    held, kept = sorted(order[:cut]), sorted(order[cut:])

    def part(indices: List[int]) -> Examples:
        return Examples(
            tuple(examples.names[i] for i in indices), tuple(examples.sequences[i] for i in indices), (),
            tuple(examples.papers[i] for i in indices),
        )

    return part(kept), part(held)


def papers_of(examples: Examples) -> Tuple[Optional[str], ...]:
    """The papers a model trained on ``examples`` speaks for, ``None`` (no plugin's paper) first."""
    counts = Counter(examples.papers)
    found = [p for p, n in counts.items() if n >= PAPER_SHARE * len(examples.papers)]
    return tuple(sorted(found, key=lambda p: (p is not None, p or "")))


def block_labels(layout: GoldLayout) -> List[str]:
    """The model's label for each block, from the gold's gap labels and headline stacks."""
    out = []
    for k, before_body in enumerate(layout.before_body):
        above = layout.gaps[k - 1] if k else GapLabel.NEW
        if above is GapLabel.JOIN:
            out.append("join")
        elif above is GapLabel.NEW:
            out.append("new_head" if before_body else "new_body")
        else:
            out.append("head" if before_body else "body")
    return out


@attrs.frozen
class LabelScore:
    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> Dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4), "support": self.tp + self.fn}


GAP_LABELS = ("join", "same", "new")


def gap_of(label: str) -> str:
    """The label of the gap above a block with model label ``label``."""
    return "new" if label in OPENS_ARTICLE else "join" if label == "join" else "same"


def score_labels(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Dict[str, LabelScore]:
    """Precision, recall and F1 per gap label over every gap (the first block of a page has none above it)."""
    gold = [[gap_of(y) for y in seq[1:]] for seq in gold]
    predicted = [[gap_of(y) for y in seq[1:]] for seq in predicted]
    out = {}
    for label in GAP_LABELS:
        tp = fp = fn = 0
        for g_seq, p_seq in zip(gold, predicted):
            for g, p in zip(g_seq, p_seq):
                tp += g == label and p == label
                fp += g != label and p == label
                fn += g == label and p != label
        out[label] = LabelScore(label, tp, fp, fn)
    return out


def predict(model: BoundaryModel, sequences: Sequence[Sequence_]) -> List[List[str]]:
    out = []
    for views, _, shape in sequences:
        marginals = model.page_marginals(views, shape)
        out.append([max(LABELS, key=lambda label: m[label]) for m in marginals])
    return out


STACK_FOLDS = 3
"""The second stage learns from first-stage segmentations of pages that stage was not trained on
(each page's from a first stage trained on the other folds), as it will meet them on new pages:
trained on its own training pages, the first stage is right far more often than on new ones."""


def _first_stage_opens(sequences: Sequence[Sequence_], folder: Path) -> List[List[bool]]:
    """For each page, the boundaries a first stage trained on the other folds puts on it."""
    opens: List[List[bool]] = [[] for _ in sequences]
    folds = min(STACK_FOLDS, len(sequences))
    for k in range(folds):
        held = [i for i in range(len(sequences)) if i % folds == k]
        rest = [sequences[i] for i in range(len(sequences)) if i % folds != k] or [sequences[i] for i in held]
        first_stage = _model_from(rest, folder, stages=1)
        for i in held:
            opens[i] = first_stage.boundaries(sequences[i][0])
    return opens


STAGES = 2
"""Stages a model has unless ``corepress train --stages`` says otherwise (1: faster, less accurate)."""


def _write_trained(sequences: Sequence[Sequence_], output: Path, info: ModelInfo, stages: int = STAGES) -> None:
    """Train the stages on ``sequences`` and write them with ``info`` as the header, atomically."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first, second = folder / "stage1.crfsuite", folder / "stage2.crfsuite"
        train_crf([(views.features(), y) for views, y, _ in sequences], first)
        if stages == 1:
            write_model(output, (first,), info)
            return
        opens = _first_stage_opens(sequences, folder)
        train_crf([(stage_two_features(views.features(), shape, o), y) for (views, y, shape), o in zip(sequences, opens)], second)
        write_model(output, (first, second), info)


def _model_from(sequences: Sequence[Sequence_], folder: Path, stages: int) -> BoundaryModel:
    """A model trained on ``sequences`` for scoring here (written in ``folder``, read back as any model is)."""
    path = folder / "m.model"
    _write_trained(sequences, path, ModelInfo(FEATURE_VERSION, LABELS, (None,)), stages)
    return read_model(path)


def cross_validate(examples: Examples, folds: int, seed: int = 0, stages: int = STAGES) -> Dict[str, LabelScore]:
    """Gap-level scores of ``folds``-fold cross-validation, pages shuffled with ``seed``."""
    order = list(range(len(examples.sequences)))
    random.Random(seed).shuffle(order)
    gold: List[List[str]] = []
    predicted: List[List[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            test = [examples.sequences[i] for i in order[k::folds]]
            train = [examples.sequences[i] for n, i in enumerate(order) if n % folds != k]
            if not test or not train:
                continue
            model = _model_from(train, Path(tmp), stages)
            predicted += predict(model, test)
            gold += [y for _, y, _ in test]
    return score_labels(gold, predicted)


def held_out(examples: Examples, test: Examples, stages: int = STAGES) -> Dict[str, LabelScore]:
    """Gap-level scores of a model trained on ``examples`` and tested on ``test``."""
    with tempfile.TemporaryDirectory() as tmp:
        model = _model_from(examples.sequences, Path(tmp), stages)
    return score_labels([y for _, y, _ in test.sequences], predict(model, test.sequences))


def train_and_write(examples: Examples, output: Path, trained: Optional[Dict[str, object]] = None, stages: int = STAGES) -> None:
    """Train on every example and write the model file atomically."""
    _write_trained(examples.sequences, output, ModelInfo(FEATURE_VERSION, LABELS, papers_of(examples), trained or {}), stages)
