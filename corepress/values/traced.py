"""Strings that remember where every character came from.

Every piece of text corepress outputs is a :class:`Traced`: the characters plus,
for each character, its code-point offset in the decoded page (``-1`` for a
character a repair inserted).  Offsets survive slicing, concatenation and
rule-driven edits, so spans in the output are computed, never estimated, and the
character accounting check can prove that nothing was invented or lost.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple

import attrs

Span = Tuple[int, int]
"""Code-point offsets ``[start, end)`` into the decoded, newline-normalised page text."""

Segment = Tuple[int, int, int]
"""``(position in the string, source offset or INSERTED, length)``: a stretch of a traced string
that is one unbroken run of the page, or all inserted."""


@attrs.frozen
class Repair:
    """One logged change a layout rule made to the text."""

    rule: str
    span: Span
    before: str
    after: str


INSERTED = -1


@attrs.frozen(eq=True)
class Traced:
    """Text plus the source offset of each of its characters."""

    text: str
    origin: Tuple[int, ...] = attrs.field(repr=False)
    _segments: Optional[Tuple[Segment, ...]] = attrs.field(default=None, init=False, eq=False, repr=False)
    """:meth:`segments`, known from how the string was made (slicing and joining runs) or once asked."""

    def __attrs_post_init__(self) -> None:
        if len(self.text) != len(self.origin):
            raise ValueError("Traced text and origin differ in length")

    # construction -----------------------------------------------------------------
    @classmethod
    def from_source(cls, source: str, start: int, end: int) -> "Traced":
        made = cls(source[start:end], tuple(range(start, end)))
        made._know(((0, start, end - start),) if end > start else ())
        return made

    @classmethod
    def inserted(cls, text: str) -> "Traced":
        made = cls(text, (INSERTED,) * len(text))
        made._know(((0, INSERTED, len(text)),) if text else ())
        return made

    @classmethod
    def join(cls, parts: Iterable["Traced"], sep: Optional["Traced"] = None) -> "Traced":
        text: List[str] = []
        origin: List[int] = []
        pieces: List[Traced] = []
        for i, part in enumerate(parts):
            if i and sep is not None:
                text.append(sep.text)
                origin.extend(sep.origin)
                pieces.append(sep)
            text.append(part.text)
            origin.extend(part.origin)
            pieces.append(part)
        made = cls("".join(text), tuple(origin))
        made._know(_concat_segments(pieces))
        return made

    def _know(self, segments: Optional[Tuple[Segment, ...]]) -> None:
        # Only corepress's own constructors call this, with segments that follow from the
        # parts' (a plugin's Traced(text, origin) is segmented from its origin when asked).
        if segments is not None:
            object.__setattr__(self, "_segments", segments)

    # sequence behaviour -----------------------------------------------------------
    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def __getitem__(self, key: slice) -> "Traced":
        if not isinstance(key, slice):
            raise TypeError("Traced supports slicing only")
        made = Traced(self.text[key], self.origin[key])
        if self._segments is not None and key.step in (None, 1):
            start, stop, _ = key.indices(len(self.text))
            made._know(_clip_segments(self._segments, start, stop))
        return made

    def __add__(self, other: "Traced") -> "Traced":
        made = Traced(self.text + other.text, self.origin + other.origin)
        made._know(_concat_segments((self, other)))
        return made

    def strip(self) -> "Traced":
        text = self.text
        if not text or not (text[0].isspace() or text[-1].isspace()):
            return self  # the common case: a frozen value needs no copy
        start, end = 0, len(text)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return self[start:end]

    # where it came from ------------------------------------------------------------
    def segments(self) -> Tuple[Segment, ...]:
        """The string as stretches that are each one run of the page or all inserted, in order.

        Whole-page checks compare and mark a segment as one slice instead of character
        by character.  Known without a scan for strings made by slicing and joining
        strings whose segments are known (everything the pipeline makes but edits).
        """
        known = self._segments
        if known is None:
            known = _scan_segments(self.origin)
            object.__setattr__(self, "_segments", known)
        return known

    def spans(self) -> List[Span]:
        """Contiguous source runs, in text order; inserted characters are skipped."""
        segments = self.segments()
        if len(segments) == 1:  # most strings: one run of the page (or all inserted)
            _, start, length = segments[0]
            return [] if start == INSERTED else [(start, start + length)]
        runs: List[Span] = []
        for _, start, length in segments:
            if start == INSERTED:
                continue
            if runs and runs[-1][1] == start:
                runs[-1] = (runs[-1][0], start + length)
            else:
                runs.append((start, start + length))
        return runs

    @property
    def span(self) -> Span:
        """The smallest source span covering the text (``(0, 0)`` if nothing is sourced)."""
        runs = self.spans()
        if not runs:
            return (0, 0)
        return (min(start for start, _ in runs), max(end for _, end in runs))

    # edits -----------------------------------------------------------------------------
    def edit(
        self, edits: Sequence[Tuple[int, int, str]], rule: str
    ) -> Tuple["Traced", List[Repair]]:
        """Replace ``text[start:end]`` by a string for each edit, logging one repair each.

        Edits must not overlap.  Replacement characters that the alignment of the
        replacement to the replaced text finds unchanged keep their origin, so a
        rule that only deletes spaces leaves every other character traced to the
        source (see :func:`_carry_origin`).
        """
        if not edits:
            return self, []
        out_text: List[str] = []
        out_origin: List[int] = []
        out_segments: List[Segment] = []  # known piece by piece, so the result is never scanned
        own = self.segments()
        repairs: List[Repair] = []
        pos = 0
        for start, end, replacement in sorted(edits):
            if start < pos:
                raise ValueError(f"overlapping edits in rule {rule}")
            _append_segments(out_segments, len(out_origin), _clip_segments(own, pos, start))
            out_text.append(self.text[pos:start])
            out_origin.extend(self.origin[pos:start])
            before = self[start:end]
            carried = _carry_origin(before, replacement)
            _append_segments(out_segments, len(out_origin), _scan_segments(carried))
            out_text.append(replacement)
            out_origin.extend(carried)
            repairs.append(
                Repair(rule=rule, span=before.span if end > start else _edit_span(self, start, end), before=before.text, after=replacement)
            )
            pos = end
        _append_segments(out_segments, len(out_origin), _clip_segments(own, pos, len(self.text)))
        out_text.append(self.text[pos:])
        out_origin.extend(self.origin[pos:])
        made = Traced("".join(out_text), tuple(out_origin))
        made._know(tuple(out_segments))
        return made, repairs

    def sub(
        self, pattern: Any, replace: Callable[[Any], Optional[str]], rule: str
    ) -> Tuple["Traced", List[Repair]]:
        """Apply ``replace(match)`` for each match of a compiled ``regex`` pattern.

        ``replace`` returns the new text, or ``None`` to leave the match alone.
        """
        if pattern.search(self.text, timeout=PATTERN_TIMEOUT) is None:
            return self, []  # most texts hold no match: settled at C speed
        edits = []
        for m in pattern.finditer(self.text, timeout=PATTERN_TIMEOUT):
            new = replace(m)
            if new is not None and new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.edit(edits, rule)


PATTERN_TIMEOUT = 2.0
"""Seconds any single pattern may run on one block before ``regex`` raises ``TimeoutError``.

Patterns are written not to backtrack; the timeout is the backstop that turns a
pathological page into a clear error instead of a hung batch.
"""


ALIGN_LIMIT = 250_000
"""Largest ``len(replaced) * len(replacement)`` aligned with :class:`difflib.SequenceMatcher`;
a longer edit that is no pure deletion keeps only the origins a greedy scan finds."""


def _scan_segments(origin: Sequence[int]) -> Tuple[Segment, ...]:
    segments: List[Segment] = []
    pos = 0
    n = len(origin)
    while pos < n:
        first = origin[pos]
        end = pos + 1
        if first == INSERTED:
            while end < n and origin[end] == INSERTED:
                end += 1
        else:
            while end < n and origin[end] == first + (end - pos):
                end += 1
        segments.append((pos, first, end - pos))
        pos = end
    return tuple(segments)


def _clip_segments(segments: Sequence[Segment], start: int, stop: int) -> Tuple[Segment, ...]:
    out: List[Segment] = []
    for pos, src, length in segments:
        lo, hi = max(pos, start), min(pos + length, stop)
        if lo < hi:
            out.append((lo - start, src if src == INSERTED else src + (lo - pos), hi - lo))
    return tuple(out)


def _concat_segments(parts: Iterable[Traced]) -> Optional[Tuple[Segment, ...]]:
    out: List[Segment] = []
    offset = 0
    for part in parts:
        known = part._segments
        if known is None:
            return None
        _append_segments(out, offset, known)
        offset += len(part.text)
    return tuple(out)


def _append_segments(out: List[Segment], offset: int, segments: Iterable[Segment]) -> None:
    """Add a piece's segments (positions in the piece) at ``offset``, merging runs that continue each other,
    so pieces with maximal runs make maximal runs: what :func:`_scan_segments` of the whole would find."""
    for pos, src, length in segments:
        if out:
            last_pos, last_src, last_len = out[-1]
            if (src == INSERTED and last_src == INSERTED) or (src != INSERTED and last_src != INSERTED and last_src + last_len == src):
                out[-1] = (last_pos, last_src, last_len + length)
                continue
        out.append((offset + pos, src, length))


def _carry_origin(before: Traced, replacement: str) -> List[int]:
    """Keep origins for the characters of ``replacement`` that survive from ``before``.

    A replacement that only deletes characters (the common repair: removing
    spaces) keeps every remaining character's origin.  Any other replacement is
    aligned to the replaced text character by character: the common prefix and
    suffix, then :class:`difflib.SequenceMatcher` (longest common blocks first)
    in between.  A character in an aligned block keeps its origin; any other is
    ``INSERTED`` (the repair that made it records what it replaced).  So a replaced
    character never takes the origin of a later one that happens to be equal:
    ``(甲（乙)`` → ``（甲（乙）`` keeps 甲, （ and 乙 where they were, and the new
    brackets are the repair's.
    """
    kept = _subsequence(before.text, replacement)
    if kept is not None:
        return [before.origin[k] for k in kept]
    old, new = before.text, replacement
    origin: List[int] = [INSERTED] * len(new)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        origin[head] = before.origin[head]
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        origin[len(new) - 1 - tail] = before.origin[len(old) - 1 - tail]
        tail += 1
    old_mid, new_mid = old[head:len(old) - tail], new[head:len(new) - tail]
    if not old_mid or not new_mid:
        return origin
    if len(old_mid) * len(new_mid) <= ALIGN_LIMIT:
        blocks = SequenceMatcher(None, old_mid, new_mid, autojunk=False).get_matching_blocks()
        pairs = [(a + k, b + k) for a, b, size in blocks for k in range(size)]
    else:
        pairs = _greedy_pairs(old_mid, new_mid)
    for a, b in pairs:
        origin[head + b] = before.origin[head + a]
    return origin


def _subsequence(old: str, new: str) -> Optional[List[int]]:
    """Where each character of ``new`` is in ``old`` when ``new`` only deletes from it, else ``None``."""
    if len(new) > len(old):
        return None
    pairs = _greedy_pairs(old, new)
    return [a for a, _ in pairs] if len(pairs) == len(new) else None


def _greedy_pairs(old: str, new: str) -> List[Tuple[int, int]]:
    pairs: List[Tuple[int, int]] = []
    j = 0
    for b, ch in enumerate(new):
        k = old.find(ch, j)
        if k >= 0:
            pairs.append((k, b))
            j = k + 1
    return pairs


def _edit_span(traced: Traced, start: int, end: int) -> Span:
    if end > start:
        return traced[start:end].span
    # a pure insertion: anchor it at the neighbouring source character
    for o in reversed(traced.origin[:start]):
        if o != INSERTED:
            return (o + 1, o + 1)
    for o in traced.origin[start:]:
        if o != INSERTED:
            return (o, o)
    return (0, 0)
