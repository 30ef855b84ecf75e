"""Scoring a page with a boundary model's weights: the sums of its features, and forward-backward.

python-crfsuite trains the CRFs (:mod:`corepress_learned.model`); pages are scored here, from the
weights it learned (:class:`Weights`).  Measured on 200 pages, handing python-crfsuite a page's
features (about 65 named features a block, each converted to a C string and looked up in the
model on every call, once for each stage) took twice as long as the rules' whole parse.  Here
each kind of view (:class:`~corepress_learned.features.PageViews`) is looked up once a page and
summed for every stage in one numpy gather, and forward-backward runs as a batched scan of 5 × 5
matrix products.  The result is the same CRF's: a test checks the marginals against
python-crfsuite's own, on every block of both stages.
"""

from __future__ import annotations

import json
import threading
from itertools import chain, repeat
from typing import Any, Dict, List, Mapping, Sequence, Tuple

import attrs
import numpy as np

from corepress_learned.features import READS, PageViews
from corepress_learned.placement import PageShape, stage_two_views
from corepress_learned.views import View

PREFIXES = frozenset(prefix for _, prefix, _ in READS) | {"s2"}
"""The prefixes under which a block reads views (``""``: its own, at the top level)."""

KINDS: Dict[str, Tuple[str, ...]] = {}
for _kind, _prefix, _ in READS + (("s2", "s2", 0),):
    KINDS.setdefault(_kind, ())
    if _prefix not in KINDS[_kind]:
        KINDS[_kind] += (_prefix,)
"""The prefixes each kind of view is read under (a block's own view: unprefixed, and ``p`` by the block below)."""

READ_BY_KIND: Dict[str, Tuple[Tuple[int, int], ...]] = {}
for _kind, _prefix, _offset in READS:
    READ_BY_KIND[_kind] = READ_BY_KIND.get(_kind, ()) + ((KINDS[_kind].index(_prefix), _offset),)
""":data:`~corepress_learned.features.READS` by kind of view: (the prefix's column in the kind's sums, offset)."""


WEIGHED = frozenset({"own", "gap"})
"""Kinds of view that hold weighted features (the rules' scores, commas, totals); the others hold names only."""

SHARED = frozenset({"own", "gap", "brief", "context", "place", "pair", "s2"})
"""Kinds whose views are shared: one dict for every block that shows the same features, made by
an ``lru_cache`` (:func:`~corepress_learned.features.own_view`, :func:`~corepress_learned.features.gap_view`,
:func:`~corepress_learned.features.brief_view`, :func:`~corepress_learned.features.context_view`,
:func:`~corepress_learned.features.place_view`, :func:`~corepress_learned.features.pair_view`, and
the second stage's views).  What each sums to is remembered (:class:`_Memo`)."""

MEMO_SIZE = 8192
"""The most shared views whose sums a model remembers per kind, as many as the largest ``lru_cache``
of views holds (472 pages show about 2 500 own views, 1 900 contexts and 4 900 second-stage views).
The memo keeps the views it knows alive: a bound on it is a bound on their memory."""


class _Rows(Dict[str, int]):
    """Feature name → a number: its row of the weight table (per prefix), or its line in a kind's
    table of rows (one column per prefix the kind is read under).  A name no stage knows is looked
    up with :attr:`zero` as the default (``get``): the zero row, or the line whose rows are all the zero row."""

    def __init__(self, rows: Mapping[str, int], zero: int) -> None:
        super().__init__(rows)
        self.zero = zero


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
    memo: Dict[str, "_Memo"] = attrs.field(factory=dict, init=False, repr=False)  # the scorer's cache (_kind_sums)

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
        tables: Dict[Tuple[str, ...], Tuple[_Rows, Any]] = {}  # kinds read under the same prefixes share one
        for prefixes in set(KINDS.values()):
            known: Dict[str, int] = {}  # every name read under one of the prefixes → its line
            for prefix in prefixes:
                known.update(zip(split[prefix], repeat(0)))
            known.update(zip(known, range(len(known))))
            lines = np.full((len(known) + 1, len(prefixes)), zero, dtype=np.intp)  # the last line: all the zero row
            for column, prefix in enumerate(prefixes):
                lines[list(map(known.__getitem__, split[prefix])), column] = list(split[prefix].values())
            tables[prefixes] = (_Rows(known, len(known)), lines)
        kinds = {kind: tables[prefixes] for kind, prefixes in KINDS.items()}
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


def _view_sums(weights: "Weights", views: Sequence[View], kind: str, state: Any) -> Any:
    """Each view's weights summed per label, under every prefix its kind is read under: an array
    (len(views), prefixes of the kind, labels).

    The names of all the views of a kind are read in one pass (``chain``: no Python loop per view)
    and looked up once (``dict.get`` with a default: no Python call for a name the model does not
    know, as most edge characters); one gather takes their rows under every prefix at once, and one
    ``reduceat`` sums each view's terms."""
    names, lines = weights.kinds[kind]
    zero = names.zero
    keys = list(chain.from_iterable(views))
    # a last zero term: every view's start lies inside the sum, even an empty view's after the last
    found = lines[np.fromiter(chain(map(names.get, keys, repeat(zero)), (zero,)), dtype=np.intp, count=len(keys) + 1)]
    terms = state[found]  # (terms, prefixes, labels)
    if kind in WEIGHED:
        terms *= np.fromiter(chain(chain.from_iterable(map(dict.values, views)), (0.0,)), dtype=float, count=len(keys) + 1)[:, None, None]
    sizes = np.fromiter(map(len, views), dtype=np.intp, count=len(views))
    starts = np.zeros(len(views), dtype=np.intp)
    np.cumsum(sizes[:-1], out=starts[1:])
    out = np.add.reduceat(terms, starts, axis=0)
    out[sizes == 0] = 0.0  # reduceat gives an empty view the term at its start
    return out


class _Memo:
    """What the shared views of one kind sum to under a model, each a row of one table.

    Views are known by identity: a view is the same dict for every block that shows it (made by an
    ``lru_cache``), and the memo holds each view it knows, so no other dict can take its ``id``.
    Known by content instead, each look-up hashed a tuple of names or a gap's decision anew, which
    cost as much as summing the view again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # pages scored in threads share the model: one page at a time learns or reads
        self._forget()

    def _forget(self) -> None:
        self.row: Dict[int, int] = {}  # id(view) → its row of the table
        self.views: List[View] = []  # the views known, in row order: kept alive, so their ids stay theirs
        self.table: Any = None  # (capacity, prefixes, labels)

    def rows(self, views: Sequence[View], kind: str, weights: "Weights", state: Any) -> Any:
        """The sums of ``views``: one row of the table each, the views not yet known summed first."""
        with self.lock:
            rows = list(map(self.row.get, map(id, views)))
            if None in rows:  # views not known yet: summed, and given the next rows of the table
                missing = {id(view): view for view, row in zip(views, rows) if row is None}
                if len(self.row) + len(missing) > MEMO_SIZE:  # forget all, and learn this page's views again
                    self._forget()
                    missing = {id(view): view for view in views}
                sums = _view_sums(weights, list(missing.values()), kind, state)
                start = len(self.views)
                if self.table is None or start + len(sums) > len(self.table):
                    table = np.empty((max(2 * (start + len(sums)), 256),) + sums.shape[1:])
                    if start:
                        table[:start] = self.table[:start]
                    self.table = table
                self.table[start:start + len(sums)] = sums
                self.row.update(zip(missing, range(start, start + len(sums))))
                self.views += missing.values()
                rows = list(map(self.row.__getitem__, map(id, views)))
            return self.table[np.array(rows, dtype=np.intp)]


def _kind_sums(weights: "Weights", views: Sequence[View], kind: str, state: Any) -> Any:
    """:func:`_view_sums`, remembering what each shared view sums to (the views of :data:`SHARED` kinds).

    A page's gaps, its blocks as seen from two away and their places in an article take a few
    hundred forms over hundreds of pages, so most of their sums are known from pages before.  A
    kind is always summed over the same ``state`` (the stage that reads it), so a kind's memo
    holds one sum a view."""
    if kind not in SHARED:
        return _view_sums(weights, views, kind, state)
    memo = weights.memo.get(kind)
    if memo is None:
        memo = weights.memo.setdefault(kind, _Memo())  # two threads' first pages: one memo wins, both are right
    return memo.rows(views, kind, weights, state)


def _shifted_add(total: Any, sums: Any, offset: int) -> None:
    """total[k] += sums[k + offset] wherever k + offset is a block of the page."""
    count = len(total)
    if offset >= 0:
        total[: count - offset] += sums[offset:]
    else:
        total[-offset:] += sums[: count + offset]


def _scan(matrices: Any) -> Any:
    """Inclusive prefix products M[0] M[1] … M[i] along the second axis of a batch of stacks of square
    matrices (batch, n, labels, labels) with positive entries, each product scaled by the sum of its
    entries (only its proportions are used): log2(n) batched products."""
    out = matrices.copy()
    batch, count, size = out.shape[:3]
    ones = np.ones(size * size)
    step = 1
    while step < count:
        product = out[:, :-step] @ out[:, step:]
        # the sum of the entries as one product with ones: four times faster than a max over them,
        # and as safe (between the largest entry and size² times it)
        product /= (product.reshape(batch, count - step, -1) @ ones)[:, :, None, None]
        out[:, step:] = product
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


def page_marginals(weights: Weights, views: PageViews, shape: PageShape, opens_article: Sequence[str]) -> Tuple[Any, Tuple[str, ...]]:
    """The last stage's label marginals for each block of a page (blocks × its labels) and its labels;
    a stage after the first reads where each block stands in the articles the stage before made
    (a boundary above each block whose ``opens_article`` labels have more than ½)."""
    if not len(views):
        return np.zeros((0, 0)), ()
    every_stage = _state_scores(weights, views)
    previous = weights.stages[0]
    marginals = label_marginals(every_stage[:, weights.columns(0)], previous.transitions)
    for n, stage in enumerate(weights.stages[1:], start=1):
        scores = every_stage[:, weights.columns(n)]
        opens = boundaries_of(marginals, previous.labels, opens_article)
        scores += _kind_sums(weights, stage_two_views(shape, opens), "s2", stage.state)[:, 0]
        marginals = label_marginals(scores, stage.transitions)
        previous = stage
    return marginals, previous.labels


def first_stage_boundaries(weights: Weights, views: PageViews, opens_article: Sequence[str]) -> List[bool]:
    """Where the first stage puts article boundaries on a page (see :func:`boundaries_of`)."""
    if not len(views):
        return []
    stage = weights.stages[0]
    scores = _state_scores(weights, views)[:, weights.columns(0)]
    return boundaries_of(label_marginals(scores, stage.transitions), stage.labels, opens_article)


def share(marginals: Any, labels: Tuple[str, ...], wanted: Sequence[str]) -> Any:
    """The summed probability of the ``wanted`` labels at each block."""
    columns = [labels.index(label) for label in wanted if label in labels]
    return marginals[:, columns].sum(axis=1) if columns else np.zeros(len(marginals))


def boundaries_of(marginals: Any, labels: Tuple[str, ...], opens_article: Sequence[str]) -> List[bool]:
    """A boundary above the first block, and above each block whose labels that open an article have more than ½."""
    return [True] + (share(marginals[1:], labels, opens_article) > 0.5).tolist()


def _state_scores(weights: Weights, views: PageViews) -> Any:
    """Each block's summed feature weights per label, of every stage side by side (:attr:`Weights.state`)."""
    state = weights.state
    scores = np.zeros((len(views), state.shape[1]))
    for kind, reads in READ_BY_KIND.items():
        sums = _kind_sums(weights, getattr(views, kind), kind, state)
        for column, offset in reads:
            _shifted_add(scores, sums[:, column], offset)
    return scores
