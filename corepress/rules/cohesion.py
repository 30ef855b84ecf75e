"""Lexical cohesion around a gap: does the text after a heading go on with the words before it?

TextTiling's idea (Hearst, 1997) over ideograph bigrams: a subhead sits inside one story, so
the words around it recur; a new title starts a new subject.  No dictionary and no corpus
are needed: character bigrams of Chinese text stand in for words.
"""

from __future__ import annotations

import math
import operator
from typing import Set

from corepress.rules import patterns as P

COHESION_WINDOW = 300  # characters of text on each side of a heading that are compared
COHESION_SHIFT, COHESION_WEAK, COHESION_STRONG = 0.02, 0.04, 0.06
"""Cohesion below which the text after a heading shares almost no vocabulary with the text before it
(a new story), and above which it clearly goes on with the same subject (a subhead)."""


def lexical_cohesion(before: str, after: str) -> float:
    """The overlap of the two windows' bigram sets over the geometric mean of their sizes (0 to 1)."""
    left, right = _bigrams(before[-COHESION_WINDOW:]), _bigrams(after[:COHESION_WINDOW])
    if not left or not right:
        return 1.0  # nothing to compare: say nothing
    return len(left & right) / math.sqrt(len(left) * len(right))


def _bigrams(text: str) -> Set[str]:
    han = "".join(P.HAN.findall(text))
    return set(map(operator.add, han, han[1:]))  # each ideograph with the next
