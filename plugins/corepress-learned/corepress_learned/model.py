"""A boundary model on disk and in memory: a linear-chain CRF over the gaps of a page.

The file is one JSON header line (what the model is, which feature definition and
label set it was trained with, how it was trained and scored, how many bytes each
stage and the weights take) followed by the CRFs python-crfsuite wrote, one per stage,
and their weights as the scorer reads them (:meth:`Weights.to_bytes`): the first stage
labels the page from its features, the second reads the same features and where each
block stands in the articles the first one made (stacked sequential learning).  Loading
checks the header before anything else, so a file that is not a model, is cut short, or
was made by another feature definition is refused with one line (:class:`ModelError`)
instead of scoring pages wrongly.  A file without the weights part (made by version
0.1.0 of the plugin) is read from python-crfsuite's dump of its CRFs instead.

Scores are the CRF's marginal probability of each label per gap, turned into log-odds
against ``same`` (see :func:`BoundaryModel.page_logodds`).

Training is python-crfsuite's; pages are scored by :mod:`corepress_learned.scorer` from the
weights it learned, which the file carries.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import attrs
import numpy as np
import pycrfsuite

from corepress_learned import scorer
from corepress_learned.features import FEATURE_VERSION, PageViews
from corepress_learned.placement import PageShape
from corepress_learned.scorer import Weights
from corepress_learned.views import Features

FORMAT = "corepress-learned/1"
"""The file format; a header naming another format is refused."""

LABELS = ("new_head", "head", "new_body", "body", "join")
"""What the model says of each block: it opens a new article with a headline line, continues a headline
stack, opens a new article with its body (no headline), is body text, or continues the block above
across a column break."""

OPENS_ARTICLE = ("new_head", "new_body")
"""Block labels that put a ``new`` gap above the block; ``join`` puts a ``join`` gap there; the rest ``same``."""

FLOOR = 1e-6
"""Probabilities are kept above this before taking logs, so a sure model still gives finite log-odds."""


C1, C2 = 0.1, 0.3
"""L1 and L2 regularisation.  Measured on the development corpus (January trained, February
scored, with the features of version 6): weaker regularisation (0.02, 0.001) scores February's blank form higher (0.771 against
0.750) but is sure of itself on pages of papers it never saw, and turned a seed page of an
unidentified paper from F1 1.00 to 0.73; at (0.1, 0.3) every seed and sample page stays at 1.00.
The seeds served as that check while choosing these two numbers."""


class ModelError(ValueError):
    """A model file that cannot be used; the message is one line naming the file."""


@attrs.frozen
class ModelInfo:
    """The header of a model file."""

    feature_version: int
    labels: Tuple[str, ...]
    papers: Tuple[Optional[str], ...] = ()  # the papers of the training pages (None: no plugin's paper)
    trained: Mapping[str, Any] = attrs.field(factory=dict, converter=lambda m: dict(m))  # how, on what, scores

    def applies_to(self, paper: Optional[str]) -> bool:
        """A model speaks only for pages of the papers it was trained on (``None``: pages no plugin claims)."""
        return paper in self.papers

    def to_dict(self) -> Dict[str, Any]:
        return {
            "format": FORMAT, "feature_version": self.feature_version, "labels": list(self.labels),
            "papers": list(self.papers), "trained": dict(self.trained),
        }


@attrs.frozen(eq=False)
class BoundaryModel:
    """A loaded model: label marginals for the blocks of one page at a time, from each of its stages."""

    info: ModelInfo
    stages: Tuple[Any, ...]  # pycrfsuite.Tagger per stage, opened in memory
    source: str
    buffers: Tuple[bytes, ...] = attrs.field(repr=False)  # each tagger reads its memory in place: it must live as long
    weights: Weights = attrs.field(repr=False)

    def page_marginals(self, views: PageViews, shape: PageShape) -> List[Dict[str, float]]:
        """The last stage's label marginals for each block of a page (after the stages before it)."""
        marginals, labels = scorer.page_marginals(self.weights, views, shape, OPENS_ARTICLE)
        columns = [(label, labels.index(label) if label in labels else None) for label in LABELS]
        return [{label: (float(row[j]) if j is not None else 0.0) for label, j in columns} for row in marginals]

    def boundaries(self, views: PageViews) -> List[bool]:
        """Where the first stage puts article boundaries on a page: above the first block, and above
        each block where it gives ``new`` more than ½."""
        return scorer.first_stage_boundaries(self.weights, views, OPENS_ARTICLE)

    def page_logodds(self, views: PageViews, shape: PageShape) -> Dict[str, Any]:
        """log P(label) − log P(same) for ``join`` and ``new`` at each gap of a page (the label of a gap
        is read off the block below it), from the last stage: an array per label, one entry a gap."""
        marginals, labels = scorer.page_marginals(self.weights, views, shape, OPENS_ARTICLE)
        if len(marginals) < 2:
            return {"join": np.zeros(0), "new": np.zeros(0)}
        below = marginals[1:]
        new = scorer.share(below, labels, OPENS_ARTICLE)
        join = scorer.share(below, labels, ("join",))
        same = np.maximum(1.0 - new - join, FLOOR)
        return {"join": np.log(np.maximum(join, FLOOR) / same), "new": np.log(np.maximum(new, FLOOR) / same)}

    def crf_marginals(self, blocks: Sequence[Features], stage: int) -> List[Dict[str, float]]:
        """python-crfsuite's own marginals for the features of a page at one stage: the reference the
        scorer above is checked against."""
        if not blocks:
            return []
        tagger = self.stages[stage]
        tagger.set(blocks)
        known = tagger.labels()
        return [{label: (tagger.marginal(label, i) if label in known else 0.0) for label in LABELS} for i in range(len(blocks))]


def read_model(path: Union[str, Path]) -> BoundaryModel:
    """Load a model file; :class:`ModelError` (one line) when it is missing, corrupt or of another version."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"model {path}: cannot be read: {exc.strerror or exc}") from None
    head, sep, body = raw.partition(b"\n")
    try:
        header = json.loads(head.decode("utf-8")) if sep else None
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelError(f"model {path}: is not a corepress-learned model (no {FORMAT} header)")
    version = header.get("feature_version")
    if version != FEATURE_VERSION:
        raise ModelError(
            f"model {path}: was trained with feature version {version}, this plugin computes version {FEATURE_VERSION}; retrain it"
        )
    labels = header.get("labels")
    if not isinstance(labels, list) or not set(labels) <= set(LABELS) or "body" not in labels:
        raise ModelError(f"model {path}: names labels {labels!r}, expected a subset of {list(LABELS)} with 'body'")
    sizes = header.get("stages", [len(body)])
    weights_size = header.get("weights", 0)
    if (
        not isinstance(sizes, list) or not sizes or not all(isinstance(n, int) and n > 0 for n in sizes)
        or not isinstance(weights_size, int) or weights_size < 0 or sum(sizes) + weights_size != len(body)
    ):
        raise ModelError(
            f"model {path}: the CRF part is cut short or padded (the header names stages of {sizes!r} bytes"
            f" and weights of {weights_size!r}, {len(body)} follow)"
        )
    weights_part = body[len(body) - weights_size:] if weights_size else b""
    body = body[: len(body) - weights_size]
    buffers = []
    for size in sizes:
        buffers.append(body[:size])
        body = body[size:]
    stages = []
    for buffer in buffers:
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open_inmemory(buffer)
        except (ValueError, OSError) as exc:
            raise ModelError(f"model {path}: the CRF part is corrupt ({exc})") from None
        stages.append(tagger)
    papers = header.get("papers")
    if not isinstance(papers, list) or not all(p is None or isinstance(p, str) for p in papers):
        raise ModelError(f"model {path}: names no list of papers it was trained on")
    trained = header.get("trained") if isinstance(header.get("trained"), dict) else {}
    try:
        # a model written before the weights part existed is read from python-crfsuite's dump instead
        weights = Weights.from_bytes(weights_part) if weights_part else Weights.of(stages)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"model {path}: the weights part is corrupt ({exc})") from None
    if [list(s.labels) for s in weights.stages] != [list(t.labels()) for t in stages]:
        raise ModelError(f"model {path}: the weights part does not belong to its CRF stages")
    return BoundaryModel(ModelInfo(version, tuple(labels), tuple(papers), trained), tuple(stages), str(path), tuple(buffers), weights)


def write_model(path: Union[str, Path], crf_files: Sequence[Union[str, Path]], info: ModelInfo) -> None:
    """Write the header, the CRF of each stage and their weights as the scorer reads them (:meth:`Weights.to_bytes`)
to ``path`` atomically: a reader never sees half a model."""
    path = Path(path)
    parts = [Path(crf).read_bytes() for crf in crf_files]
    taggers = []
    for crf in crf_files:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(crf))
        taggers.append(tagger)
    weights = Weights.of(taggers).to_bytes()
    body = b"".join(parts) + weights
    header = json.dumps(
        dict(info.to_dict(), stages=[len(part) for part in parts], weights=len(weights)), ensure_ascii=False, sort_keys=True
    ).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent or Path(".")))
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header + b"\n" + body)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as any file the user writes, not mkstemp's private 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def train_crf(
    sequences: Sequence[Tuple[Sequence[Features], Sequence[str]]], crf_file: Union[str, Path], *, c1: float = C1, c2: float = C2,
    iterations: int = 150,
) -> None:
    """Train a linear-chain CRF (L-BFGS with elastic-net regularisation) on ``(features, labels)`` per page."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences:
        if xseq:
            trainer.append(list(xseq), list(yseq))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(crf_file))


def shipped_model_path() -> Path:
    """The default model, a package resource of this plugin."""
    return Path(__file__).with_name("models") / "rmrb-2020-01.model"


def open_default(setting: Optional[str]) -> BoundaryModel:
    """The model named by ``setting`` (a path), else the shipped one."""
    return read_model(setting if setting else shipped_model_path())
