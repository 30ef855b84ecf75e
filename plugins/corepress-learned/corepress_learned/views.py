"""What the features are made of: views (names and weights a block or gap shows), and numbers made categories.

A :data:`View` is made once and read by every block that reads it, under a prefix
(:data:`~corepress_learned.features.READS`); python-crfsuite trains on them nested
(:data:`Features`), the scorer sums them (:mod:`corepress_learned.scorer`).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, Dict, List

Names = List[str]
"""Features present with weight 1 (most of them: categories, and numbers made categories by :class:`Buckets`)."""

View = Dict[str, float]
"""What one block or gap shows a reader: its names (weight 1) and its weighted features, made once."""


Features = Dict[str, Any]
"""One block's features as the model reads them: its own :data:`View` merged at the top, and what it
reads of its neighbours and gaps as views nested under a prefix (``{"p": view_of_the_block_above}``),
which python-crfsuite flattens to ``p:name`` as it reads them (:func:`~corepress_learned.features.flat` does the same in Python).

This is what python-crfsuite trains on (:meth:`~corepress_learned.features.PageViews.features`); pages are scored from the
views themselves (:class:`~corepress_learned.features.PageViews`, :mod:`corepress_learned.scorer`).  Why nested: a block's view
is made once and shared by every block that reads it, where prefixing each name in Python and
building one flat dict per block took about half the plugin's time (200 pages)."""


class Buckets:
    """A number made a category: the first of ``edges`` it does not exceed (``<=edge``), or beyond the last.

    Most features are binary; the labels are made once, and a value is placed by bisection.
    """

    def __init__(self, *edges: float) -> None:
        self.edges = edges
        self.labels = tuple(f"<={edge:g}" for edge in edges) + (f">{edges[-1]:g}",)

    def __call__(self, value: float) -> str:
        return self.labels[bisect_left(self.edges, value)]
