"""corepress-learned: a trainable boundary model beside the rules.

A linear-chain CRF (python-crfsuite) labels the blocks of a page's flow (the first
line of a new article's headline, a later headline line, the first block of a story
without a headline, body text, text continuing the block above across a column break)
from the features of :mod:`corepress_learned.features`, the rules' own verdicts among
them; the label of each gap follows from the block below it.  A second CRF, stacked on
the first, reads the same features and where each block stands in the articles the
first one made of the page (how far from their boundaries, after how many headlines,
in an article with or without a lead or a closing formula): the first stage sees two
blocks around a gap, the second sees the whole article.  The plugin takes part in
the second stage of the boundary decision (``corepress_rescore_gaps``): it reads what the
rules decided, and its evidence is added to theirs before the page is decoded again.

How the model and the rules combine (documented in the README and ``docs/learned.md``):

* the model's evidence for ``new`` is its log-odds against ``same``, multiplied by
  :data:`WEIGHTS` and clipped to ±:data:`CLIP` (its ``join`` evidence has weight 0);
* a weak model score never overrules a strong rule formula (a lead, a byline, a
  closing dateline, a masthead line: 8–12 points and more), and the decoder's
  structural constraints (nothing joins into a byline or out of a closing formula)
  hold whatever the model says;
* where the rules are unsure (a headline-shaped line with no formula near it), the
  model's few points decide.

Every article's ``boundary.margin`` (and so its confidence) comes from the summed
scores, so it reflects both.

The model is the shipped one (trained on 人民日报 of January 2020, see the README)
unless :data:`MODEL_SETTING` names a file made by ``corepress train``.  It is loaded on
the first page it is asked about (a command that parses nothing never pays for it).  A
model that cannot be loaded makes the plugin fail on each page: corepress adds one
``plugin_failed`` notice naming the file and parses the page with the rules alone
(with ``--strict-plugins``, a one-line error).  A model speaks only for pages of the
papers it was trained on (:meth:`~corepress_learned.model.ModelInfo.applies_to`).
"""

from __future__ import annotations

import contextvars
import os
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

from corepress.api import GapDecision, GapLabel, GapScore, PageView, RoleScores, hookimpl
from corepress_learned.features import page_shape, page_views
from corepress_learned.model import BoundaryModel, ModelError, open_default

__version__ = "0.2.0"

MODEL_SETTING = "COREPRESS_LEARNED_MODEL"
"""Environment variable: the path of a model to use instead of the shipped one."""

WEIGHTS = {GapLabel.NEW: 3.0, GapLabel.JOIN: 0.0}
"""How much a unit of the model's log-odds counts beside the rules' points, per label.

Measured on the development corpus (trained on January, scored on February): the model's
``new`` evidence raises article F1 most at about 3; its ``join`` evidence, although the
model tells joins apart well gap by gap, lowered article F1 at every weight tried, so
joins stay with the rules (the model still learns them: they shape its sequences).  Weights of
4 and 5 lifted February's blank form a little further (0.766, 0.769 against 0.763) but turned
the seed page of an unidentified paper (``seeds/002…``) from F1 1.00 to 0.73: 3 it stays."""

CLIP = 12.0
"""The most the model may add to or take from a label at one gap.  A weak model score
(probability 0.6 gives about 1.2 points) never overrules a rule formula (8–12 points);
only a model that is nearly sure (log-odds 4, probability 0.98) reaches the clip."""


MAX_BLOCKS = 3000
"""Pages with more blocks than this are left to the rules.  A newspaper page has tens to a few
hundred blocks; a runaway text (a megabyte of one-line blocks) would cost the model memory and
time out of proportion (about 100 features a block, all held at once for the sequence)."""

RULE = "learned:crf"

_model: Optional[BoundaryModel] = None
_model_error: Optional[ModelError] = None
Recorded = Tuple[PageView, Tuple[RoleScores, ...], Tuple[GapDecision, ...]]
_recording: "contextvars.ContextVar[Optional[List[Recorded]]]" = contextvars.ContextVar(
    "corepress_learned_recording", default=None
)


def model() -> BoundaryModel:
    """The model in use, loaded once (a broken one raises :class:`~corepress_learned.model.ModelError`)."""
    global _model, _model_error
    if _model is None:
        if _model_error is not None:  # tried once: every page says so, no page re-reads the file
            raise _model_error
        try:
            _model = open_default(os.environ.get(MODEL_SETTING) or None)
        except ModelError as exc:
            _model_error = exc
            raise
    return _model


def use_model(new: Optional[BoundaryModel]) -> None:
    """Replace the model in use (``None``: load the configured one again on next use)."""
    global _model, _model_error
    _model, _model_error = new, None


class Recording:
    """While active, the plugin records what it is asked (page, roles, first-stage evidence) and scores nothing."""

    def __init__(self) -> None:
        self.calls: List[Recorded] = []
        self._token: Any = None

    def __enter__(self) -> "Recording":
        self._token = _recording.set(self.calls)
        return self

    def __exit__(self, *exc: object) -> None:
        _recording.reset(self._token)


def scores_for(
    page: PageView, roles: Sequence[RoleScores], evidence: Sequence[GapDecision], boundary_model: BoundaryModel
) -> List[GapScore]:
    """The model's gap scores for one page, weighted and clipped as documented above."""
    out: List[GapScore] = []
    shape = page_shape(page, roles)
    odds = boundary_model.page_logodds(page_views(page, roles, evidence, shape), shape)
    for label, weight in WEIGHTS.items():
        if weight:
            # four decimals: the same scores on every machine, whatever the last bits of its arithmetic
            values = np.round(np.clip(weight * odds[label.value], -CLIP, CLIP), 4).tolist()
            out += [GapScore(gap, label, value, RULE) for gap, value in enumerate(values) if value]
    return out


@hookimpl
def corepress_rescore_gaps(page: PageView, roles: Tuple[RoleScores, ...], evidence: Tuple[GapDecision, ...]) -> Sequence[GapScore]:
    recording = _recording.get()
    if recording is not None:
        recording.append((page, roles, evidence))
        return ()
    if len(page.blocks) > MAX_BLOCKS:
        return ()
    boundary_model = model()
    if not boundary_model.info.applies_to(page.guess.id if page.guess is not None else None):
        return ()
    return scores_for(page, roles, evidence, boundary_model)


@hookimpl
def corepress_register_commands(cli: Any) -> None:
    from corepress_learned.cli import train_command

    cli.add_command(train_command)

