"""Common Chinese words, to tell a column break that cut a word in two from one between words.

A heading-shaped line whose last characters and the next block's first characters
make a common word (发|生率, 献|艺, 范|畴) is the start of a paragraph cut by a column
break, not a headline: headlines end on a whole word.  The page is the first
dictionary (:func:`corepress.rules.joins` looks for the pair elsewhere on the page);
this list of 70 000 common words of two to four ideographs is the second, for words
a page uses once.  It is read once, when first asked (about 20 ms).
"""

from __future__ import annotations

from typing import FrozenSet, Optional

import regex

from corepress.values.traced import PATTERN_TIMEOUT

_WORDS: Optional[FrozenSet[str]] = None
LONGEST = 4


def words() -> FrozenSet[str]:
    global _WORDS
    if _WORDS is None:
        from importlib.resources import files

        text = files("corepress.rules").joinpath("words.txt").read_text(encoding="utf-8")
        _WORDS = frozenset(text.split("\n"))  # the "# …" header lines are no word of ideographs: harmless
    return _WORDS


_HAN_RUN_END = regex.compile(r"\p{Han}{1,3}$")
_HAN_RUN_START = regex.compile(r"^\p{Han}{1,3}")


def word_across(left: str, right: str) -> Optional[str]:
    """A common word made of the end of ``left`` and the start of ``right`` (both ideographs), if any."""
    tail = _HAN_RUN_END.search(left, timeout=PATTERN_TIMEOUT) if left else None
    head = _HAN_RUN_START.match(right, timeout=PATTERN_TIMEOUT) if right else None
    if tail is None or head is None:
        return None
    known = words()
    a, b = tail.group(), head.group()
    for k in range(1, len(a) + 1):
        for m in range(1, min(len(b), LONGEST - k) + 1):
            word = a[-k:] + b[:m]
            if word in known:
                return word
    return None
