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

Training is python-crfsuite's.  Scoring reads the weights it learned (:class:`StageWeights`)
and runs the CRF's forward-backward in numpy (:func:`label_marginals`): measured on 200 pages,
handing python-crfsuite a page's features (about 65 named features a block, each converted to a
C string and looked up in the model on every call, once for each stage) took twice as long as
the rules' whole parse, while the same sums as a lookup per view (each made once a page and
read from three places) and a batched matrix scan per stage take a fraction of that.  The result is
the same CRF's: a test checks the marginals against python-crfsuite's own, on every gap.
"""

from __future__ import annotations

import json
import os
import tempfile
from itertools import chain
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import attrs
import numpy as np
import pycrfsuite
from threadpoolctl import ThreadpoolController

from corepress_learned.features import FEATURE_VERSION, READS, Features, PageShape, PageViews, View, stage_two_views

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


PREFIXES = frozenset(prefix for _, prefix, _ in READS) | {"s2"}
"""The prefixes under which a block reads views (``""``: its own, at the top level)."""

KINDS: Dict[str, Tuple[str, ...]] = {}
for _kind, _prefix, _ in READS + (("s2", "s2", 0),):
    KINDS.setdefault(_kind, ())
    if _prefix not in KINDS[_kind]:
        KINDS[_kind] += (_prefix,)
"""The prefixes each kind of view is read under (a block's own view: unprefixed, and ``p`` by the block below)."""


WEIGHED = frozenset({"own", "gap"})
"""Kinds of view that hold weighted features (the rules' scores, commas, totals); the others hold names only."""


class _Rows(Dict[str, int]):
    """Feature name → a number: its row of the weight table (per prefix), or its line in a kind's
    table of rows (one column per prefix the kind is read under).  A name no stage knows gets
    :attr:`zero`: the zero row, or the line whose rows are all the zero row."""

    def __init__(self, rows: Mapping[str, int], zero: int) -> None:
        super().__init__(rows)
        self.zero = zero

    def __missing__(self, key: str) -> int:
        return self.zero


@attrs.frozen(eq=False)
class StageWeights:
    """What one stage's CRF learned: a weight per feature and label (rows shared by all stages, the
    last row zeros), and a weight per pair of labels one after the other."""

    labels: Tuple[str, ...]
    state: Any = attrs.field(repr=False)  # numpy array (features + 1, labels)
    transitions: Any = attrs.field(repr=False)  # numpy array (labels, labels): from, to


@attrs.frozen(eq=False)
class Weights:
    """The weights of every stage, over one table of feature names split by the prefix they are read under."""

    rows: Mapping[str, _Rows]  # prefix → name → row of state
    stages: Tuple[StageWeights, ...]
    state: Any = attrs.field(repr=False)  # every stage's state weights side by side: one gather serves all stages
    kinds: Mapping[str, Tuple[_Rows, Any]] = attrs.field(repr=False)  # kind of view → (name → line, lines × prefixes → row)

    def columns(self, stage: int) -> slice:
        """Where a stage's labels stand in :attr:`state`."""
        start = sum(len(s.labels) for s in self.stages[:stage])
        return slice(start, start + len(self.stages[stage].labels))

    @classmethod
    def of(cls, taggers: Sequence[Any]) -> "Weights":
        """The weights python-crfsuite learned, read from its own dump of each stage (about 40 ms a stage)."""
        infos = [tagger.info() for tagger in taggers]
        names: Dict[str, int] = {}
        for info in infos:
            for attr, _ in info.state_features:
                names.setdefault(attr, len(names))
        tables = []
        for tagger, info in zip(taggers, infos):
            labels = tuple(tagger.labels())
            column = {label: j for j, label in enumerate(labels)}
            state = np.zeros((len(names) + 1, len(labels)))
            for (attr, label), weight in info.state_features.items():
                state[names[attr], column[label]] = weight
            transitions = np.zeros((len(labels), len(labels)))
            for (before, after), weight in info.transitions.items():
                transitions[column[before], column[after]] = weight
            tables.append((labels, state, transitions))
        return cls.made(list(names), [t[0] for t in tables], np.hstack([t[1] for t in tables]), [t[2] for t in tables])

    @classmethod
    def made(cls, names: Sequence[str], labels: Sequence[Sequence[str]], state: Any, transitions: Sequence[Any]) -> "Weights":
        """From the feature names (row by row), each stage's labels and transitions, and the state table
        of every stage side by side (one more row than names: zeros, for names no stage knows)."""
        zero = len(names)
        split: Dict[str, Dict[str, int]] = {prefix: {} for prefix in PREFIXES}
        for row, attr in enumerate(names):
            head, sep, rest = attr.partition(":")
            if sep and head in PREFIXES:
                split[head][rest] = row
            else:
                split[""][attr] = row
        stages = []
        start = 0
        for stage_labels, stage_transitions in zip(labels, transitions):
            stages.append(StageWeights(tuple(stage_labels), state[:, start:start + len(stage_labels)], np.asarray(stage_transitions, dtype=float)))
            start += len(stage_labels)
        kinds = {}
        for kind, prefixes in KINDS.items():
            known = sorted({name for prefix in prefixes for name in split[prefix]})
            lines = np.full((len(known) + 1, len(prefixes)), zero, dtype=np.intp)
            for line, name in enumerate(known):
                for column, prefix in enumerate(prefixes):
                    lines[line, column] = split[prefix].get(name, zero)
            kinds[kind] = (_Rows({name: line for line, name in enumerate(known)}, len(known)), lines)
        return cls({prefix: _Rows(rows, zero) for prefix, rows in split.items()}, tuple(stages), state, kinds)

    def to_bytes(self) -> bytes:
        """The weights part of a model file: one JSON line (feature names row by row, each stage's labels
        and transitions), then the state table as little-endian doubles.  Loading it takes milliseconds
        where reading python-crfsuite's dump of a stage takes about 40."""
        names = [""] * self.rows[""].zero
        for prefix, rows in self.rows.items():
            for name, row in rows.items():
                names[row] = f"{prefix}:{name}" if prefix else name
        meta = {
            "names": names, "labels": [list(s.labels) for s in self.stages],
            "transitions": [s.transitions.tolist() for s in self.stages],
        }
        return json.dumps(meta, ensure_ascii=False).encode("utf-8") + b"\n" + np.ascontiguousarray(self.state, dtype="<f8").tobytes()

    @classmethod
    def from_bytes(cls, part: bytes) -> "Weights":
        """Read :meth:`to_bytes`; ``ValueError`` when the part is not what it wrote."""
        head, sep, table = part.partition(b"\n")
        meta = json.loads(head.decode("utf-8")) if sep else None
        if not isinstance(meta, dict) or not all(isinstance(meta.get(key), list) for key in ("names", "labels", "transitions")):
            raise ValueError("no table of feature names")
        columns = sum(len(labels) for labels in meta["labels"])
        if len(table) != 8 * (len(meta["names"]) + 1) * columns:
            raise ValueError("the weight table is cut short or padded")
        state = np.frombuffer(table, dtype="<f8").reshape(len(meta["names"]) + 1, columns)
        return cls.made(meta["names"], meta["labels"], state, meta["transitions"])


class _Lookup:
    """The rows and values of a page's views, looked up once a page and summed for each stage."""

    def __init__(self, weights: "Weights") -> None:
        self.weights = weights
        self.flat: Dict[str, Tuple[Any, Any, Any, Any]] = {}

    def sums(self, views: Sequence[View], prefix: str, kind: str, state: Any) -> Any:
        """Each view's weights summed per label under ``prefix``: an array (len(views), labels).

        The names of all the views of a kind are read in one pass (``chain``: no Python loop per
        view) and looked up once for every prefix the kind is read under; each stage then gathers its
        weights for them in numpy."""
        flat = self.flat.get(kind)
        if flat is None:
            names, lines = self.weights.kinds[kind]
            keys = list(chain.from_iterable(views))
            sizes = np.fromiter(map(len, views), dtype=np.intp, count=len(views))
            # a last zero term: every view's start lies inside the sum, even an empty view's after the last
            found = lines[np.fromiter(chain(map(names.__getitem__, keys), (names.zero,)), dtype=np.intp, count=len(keys) + 1)]
            if kind in WEIGHED:
                values = np.fromiter(chain(chain.from_iterable(map(dict.values, views)), (0.0,)), dtype=float, count=len(keys) + 1)
            else:  # names only: each weighs 1, and the last zero term reads the zero row
                values = np.ones(len(keys) + 1)
            starts = np.zeros(len(views), dtype=np.intp)
            np.cumsum(sizes[:-1], out=starts[1:])
            flat = self.flat[kind] = (found, values[:, None], starts, sizes > 0)
        found, values, starts, present = flat
        out = np.add.reduceat(state[found[:, KINDS[kind].index(prefix)]] * values, starts, axis=0)
        out[~present] = 0.0  # reduceat gives an empty view the term at its start
        return out


def _shifted_add(total: Any, sums: Any, offset: int) -> None:
    """total[k] += sums[k + offset] wherever k + offset is a block of the page."""
    count = len(total)
    if offset >= 0:
        total[: count - offset] += sums[offset:]
    else:
        total[-offset:] += sums[: count + offset]


def _scan(matrices: Any) -> Any:
    """Inclusive prefix products M[0] M[1] … M[i] along the second axis of a batch of stacks of square
    matrices (batch, n, labels, labels), each product scaled by its largest entry (only its
    proportions are used): log2(n) batched products."""
    out = matrices.copy()
    step = 1
    while step < out.shape[1]:
        out[:, step:] = out[:, :-step] @ out[:, step:]
        out[:, step:] /= out[:, step:].max(axis=(2, 3), keepdims=True)
        step *= 2
    return out


def label_marginals(scores: Any, transitions: Any) -> Any:
    """P(label of block k) under the linear-chain CRF with these state scores (blocks × labels)
    and transition weights: forward-backward, as one scan of matrix products.

    The forward vector at block k is exp(scores[0]) M_1 … M_k and the backward vector
    M_{k+1} … M_n 1, with M_t = exp(transitions) scaled by exp(scores[t]) column by column; each
    product is scaled freely, because the marginal at k is their product made to sum to one.  The
    backward products are the forward products of the transposed matrices in reverse order, so
    both directions run as one batch."""
    scaled = np.exp(scores - scores.max(axis=1, keepdims=True))
    if len(scaled) < 2:
        return scaled / scaled.sum(axis=1, keepdims=True)
    steps = np.exp(transitions - transitions.max())[None, :, :] * scaled[1:, None, :]
    both = _scan(np.stack((steps, steps[::-1].transpose(0, 2, 1))))
    forward = np.concatenate((scaled[:1], scaled[0] @ both[0]))
    suffix = both[1].transpose(0, 2, 1)[::-1]  # M_{k+1} … M_n for k = 0 … n-2
    backward = np.concatenate((suffix.sum(axis=2), np.ones((1, scaled.shape[1]))))
    joint = forward * backward
    return joint / joint.sum(axis=1, keepdims=True)


_blas: Optional[ThreadpoolController] = None


def _one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread.  The scorer multiplies 5 × 5 matrices: more
    threads only spin (measured: twice the CPU for no shorter a wall time), and under
    ``corepress parse --jobs`` the other cores are another page's.  Limited per page, not for the
    process: a program that parses pages keeps its own numpy as it set it."""
    global _blas
    if _blas is None:
        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


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
        marginals, labels = self._last_marginals(views, shape)
        columns = [(label, labels.index(label) if label in labels else None) for label in LABELS]
        return [{label: (float(row[j]) if j is not None else 0.0) for label, j in columns} for row in marginals]

    def boundaries(self, views: PageViews) -> List[bool]:
        """Where the first stage puts article boundaries on a page: above the first block, and above
        each block where it gives ``new`` more than ½."""
        if not len(views):
            return []
        stage = self.weights.stages[0]
        with _one_blas_thread():
            scores = self._state_scores(views, _Lookup(self.weights))[:, self.weights.columns(0)]
            return self._opens(label_marginals(scores, stage.transitions), stage.labels)

    def page_logodds(self, views: PageViews, shape: PageShape) -> List[Dict[str, float]]:
        """log P(label) − log P(same) for ``join`` and ``new`` at each gap of a page (the label of a gap
        is read off the block below it), from the last stage."""
        marginals, labels = self._last_marginals(views, shape)
        if len(marginals) < 2:
            return []
        below = marginals[1:]
        new = self._share(below, labels, OPENS_ARTICLE)
        join = self._share(below, labels, ("join",))
        same = np.maximum(1.0 - new - join, FLOOR)
        odds_new = np.log(np.maximum(new, FLOOR) / same).tolist()
        odds_join = np.log(np.maximum(join, FLOOR) / same).tolist()
        return [{"join": j, "new": n} for j, n in zip(odds_join, odds_new)]

    def _last_marginals(self, views: PageViews, shape: PageShape) -> Tuple[Any, Tuple[str, ...]]:
        if not len(views):
            return np.zeros((0, 0)), ()
        lookup = _Lookup(self.weights)
        with _one_blas_thread():
            every_stage = self._state_scores(views, lookup)
            previous = self.weights.stages[0]
            marginals = label_marginals(every_stage[:, self.weights.columns(0)], previous.transitions)
            for n, stage in enumerate(self.weights.stages[1:], start=1):
                scores = every_stage[:, self.weights.columns(n)]
                scores += lookup.sums(stage_two_views(shape, self._opens(marginals, previous.labels)), "s2", "s2", stage.state)
                marginals = label_marginals(scores, stage.transitions)
                previous = stage
        return marginals, previous.labels

    @staticmethod
    def _share(marginals: Any, labels: Tuple[str, ...], wanted: Sequence[str]) -> Any:
        columns = [labels.index(label) for label in wanted if label in labels]
        return marginals[:, columns].sum(axis=1) if columns else np.zeros(len(marginals))

    @staticmethod
    def _opens(marginals: Any, labels: Tuple[str, ...]) -> List[bool]:
        return [True] + (BoundaryModel._share(marginals[1:], labels, OPENS_ARTICLE) > 0.5).tolist()

    def _state_scores(self, views: PageViews, lookup: _Lookup) -> Any:
        """Each block's summed feature weights per label, of every stage side by side (:attr:`Weights.state`)."""
        state = self.weights.state
        scores = np.zeros((len(views), state.shape[1]))
        for kind, prefix, offset in READS:
            _shifted_add(scores, lookup.sums(getattr(views, kind), prefix, kind, state), offset)
        return scores

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
