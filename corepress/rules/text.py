"""Small judgements about a piece of text that several rules share."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

import regex

from corepress.pipeline.assemble import starts_mid_sentence  # noqa: F401  (one definition, the core's)
from corepress.rules import patterns as P
from corepress.values.traced import PATTERN_TIMEOUT

HEADING_MAX = 40
"""Characters (spaces excluded) above which a line is never a heading inside an article."""

TITLE_MAX = 80
"""Characters above which a line is never a headline at all."""

_PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "‘": "’"}
_NUMERALS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


_WIDTH_FOLD = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(r[0], r[1] + 1)}


# Plain sets of characters need none of ``regex``'s Unicode properties, and the standard
# engine finds them several times faster (a whole page is searched for full-width digits).
_OPENERS = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
_CLOSERS = re.compile("[" + re.escape("".join(_PAIRS.values())) + "]")
_TERMINAL = re.compile("[" + re.escape(P.TERMINAL) + "]")
_CUE_MARKS = ("，", ",", "：", ":")
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fold_width(text: str) -> str:
    """Full-width digits and Latin letters (``２０２６``, ``ＣＮ``) as their ASCII forms.

    What NFKC does to them, and nothing else: one code point for one code point,
    so offsets into the folded copy are offsets into the original.  Match on the
    folded copy, take values from it, and take spans from the original.
    """
    if _FULL_WIDTH.search(text) is None:  # the common case, found at C speed: nothing to fold
        return text
    return text.translate(_WIDTH_FOLD)


def visible_length(text: str) -> int:
    return len("".join(text.split()))


def ends_sentence(text: str) -> bool:
    """True when the text ends a sentence: 。！？… possibly followed by closing quotes/brackets."""
    stripped = text.rstrip().rstrip(P.CLOSERS)
    return bool(stripped) and stripped[-1] in P.TERMINAL


def ends_with_break(text: str) -> bool:
    """True when the last character promises more: 、，：；—, or an opening bracket or quote."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in P.BREAK_END


def unbalanced(text: str) -> bool:
    """True when the text opens more quotes or brackets of a kind than it closes."""
    if _OPENERS.search(text) is None:  # the common case, settled at C speed
        return False
    return any(count > 0 for count in pair_balance(text).values())


def pair_balance(text: str) -> Dict[str, int]:
    """Per kind of quote or bracket the text opens: openers minus closers (what :func:`unbalanced` weighs).

    Balances add up over pieces of a text, so a paragraph growing block by block keeps its
    balance without counting its whole text again.
    """
    balance: Dict[str, int] = {}
    if _OPENERS.search(text) is None and _CLOSERS.search(text) is None:
        return balance
    for opener, closer in _PAIRS.items():
        count = text.count(opener) - text.count(closer)
        if count:
            balance[opener] = count
    return balance


def has_inner_sentence_end(text: str) -> bool:
    core = text.rstrip().rstrip(P.CLOSERS).rstrip(P.TERMINAL)
    return _TERMINAL.search(core) is not None


def looks_like_heading(text: str, limit: int = HEADING_MAX) -> bool:
    """A line that reads like a headline or subhead rather than part of a sentence.

    Short, no sentence end inside, no dangling punctuation, no unclosed quote,
    and none of the clauses that open or frame a sentence (``张小玲提醒，``).
    """
    if not text or len(text) > 2 * limit or visible_length(text) > limit:
        return False
    if text.endswith(("）", ")")) and ("！" in text or "？" in text or "!" in text or "?" in text):
        exclaimed = P.EXCLAIMED_TITLE.match(text.strip(), timeout=PATTERN_TIMEOUT)
        if exclaimed:  # its ！ or ？ ends the title, not a sentence: judge the title without it and its column
            text = exclaimed.group("title") + exclaimed.group("quote")
    # the string checks first: a line that ends a sentence or breaks off is settled without a pattern
    if ends_with_break(text) or ends_sentence(text) or unbalanced(text) or has_inner_sentence_end(text):
        return False
    if not any(mark in text for mark in _CUE_MARKS):  # every sentence cue ends in a comma or colon
        return True
    return P.SENTENCE_CUE.search(text, timeout=PATTERN_TIMEOUT) is None


def chinese_number(text: str) -> Optional[int]:
    """``12`` → 12, ``１２`` → 12, ``Ａ３`` → 3, ``七`` → 7, ``十二`` → 12, ``二十一`` → 21; ``None`` when not a number."""
    text = fold_width(text.strip())
    if text.isdecimal():
        return int(text)
    if not text or any(ch not in _NUMERALS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _NUMERALS[ch] if current else _NUMERALS[ch]
    return total + current


def page_number(text: str) -> Optional[str]:
    """A jump's page as a string that keeps the section letter: ``A3`` → ``"A3"``, ``三`` → ``"3"``, ``Ａ３`` → ``"A3"``."""
    text = fold_width(text.strip())
    if text[:1].isalpha() and text[:1].isascii():
        number = chinese_number(text[1:])
        return None if number is None else f"{text[0].upper()}{number}"
    number = chinese_number(text)
    return None if number is None else str(number)


def split_names(names: Optional[str]) -> List[str]:
    if not names:
        return []
    return [n for n in regex.split(r"[ \u3000\u00a0、，]+", names.strip()) if n]
