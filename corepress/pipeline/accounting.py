"""Character accounting: proof that a parse invented nothing and lost nothing.

Every non-whitespace character of the decoded page must end up in exactly one
place: an article field, a masthead line, a dropped item, or a logged repair
that removed or changed it.  Because every output string is a
:class:`~corepress.values.traced.Traced`, this is checked per character, by offset.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import attrs

from corepress.text_io.reading import ZERO_WIDTH
from corepress.values.errors import InputError
from corepress.values.model import Page
from corepress.values.traced import INSERTED, Traced


class AccountingError(InputError):
    """A parse that would lose, duplicate, change or invent text: an error for that page, never output."""

    def __init__(self, path: Optional[Path], problems: List["AccountingProblem"]) -> None:
        shown = "; ".join(str(p) for p in problems[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(path, f"character accounting failed, output withheld: {shown}{more}")
        self.problems = problems


_UNCLAIMED = re.compile(b"\x00+")
_VISIBLE = re.compile(f"[^\\s{''.join(sorted(ZERO_WIDTH))}]")
"""A character the accounting counts: not whitespace, not zero-width (as :func:`_visible`)."""


def _visible(ch: str) -> bool:
    return not ch.isspace() and ch not in ZERO_WIDTH


@attrs.frozen
class AccountingProblem:
    kind: str  # lost | duplicated | changed | invented
    offset: int
    char: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.char!r} at {self.offset}{': ' + self.detail if self.detail else ''}"


def places(page: Page) -> Iterator[Tuple[str, Traced]]:
    """Every traced output string with a label saying where it is."""
    if page.masthead is not None:
        for i, line in enumerate(page.masthead.lines):
            yield f"masthead.lines[{i}]", line.text
    for article in page.articles:
        for name, value in article.traced_fields().items():
            yield f"{article.id}.{name}", value
    for i, d in enumerate(page.dropped):
        yield f"dropped[{i}]({d.reason})", d.text


def check(page: Page) -> List[AccountingProblem]:
    """All accounting problems of a parsed page (an empty list means all is well)."""
    text = page.text
    claimed: Dict[int, List[str]] = defaultdict(list)
    problems: List[AccountingProblem] = []
    inserted: Counter = Counter()
    for label, value in places(page):
        for ch, origin in zip(value.text, value.origin):
            if not _visible(ch):
                continue
            if origin == INSERTED:
                inserted[ch] += 1
                continue
            claimed[origin].append(label)
            if text[origin] != ch:
                problems.append(AccountingProblem("changed", origin, text[origin], f"{label} has {ch!r}"))
    removed: Counter = Counter()  # characters repairs took out, by character
    added: Counter = Counter()
    removed_at = set()
    for repair in page.repairs:
        before, after = Counter(c for c in repair.before if _visible(c)), Counter(c for c in repair.after if _visible(c))
        removed.update(before - after)
        added.update(after - before)
        for pos in range(repair.span[0], repair.span[1]):
            removed_at.add(pos)
    for offset, labels in claimed.items():
        if len(labels) > 1:
            problems.append(AccountingProblem("duplicated", offset, text[offset], ", ".join(labels)))
    for offset, ch in enumerate(text):
        if not _visible(ch) or offset in claimed:
            continue
        if offset in removed_at and removed[ch] > 0:
            removed[ch] -= 1
            continue
        problems.append(AccountingProblem("lost", offset, ch))
    for ch, n in inserted.items():
        if added[ch] < n:
            problems.append(AccountingProblem("invented", -1, ch, f"{n - added[ch]} inserted without a repair"))
    return [p for p in problems if not (p.kind == "changed" and p.offset in removed_at)]


def _traced(page: Page) -> Iterator[Traced]:
    """Every traced output string, without the labels :func:`places` spells out for reports."""
    if page.masthead is not None:
        for line in page.masthead.lines:
            yield line.text
    for article in page.articles:
        yield from article.traced_values()
    for d in page.dropped:
        yield d.text


def verify(page: Page) -> List[AccountingProblem]:
    """The run-time check: byte-array passes at C speed; the detailed :func:`check` only when one fails.

    A traced string is a few segments, each one unbroken run of the page (a title is
    one, a paragraph one per source line) or inserted text, so strings are compared
    and marked a segment at a time, as slices, never character by character.
    """
    text = page.text
    n = len(text)
    count = bytearray(n)
    inserted = 0
    for value in _traced(page):
        string = value.text
        for pos, start, length in value.segments():
            if start == INSERTED:
                inserted += len(_VISIBLE.findall(string, pos, pos + length))
                continue
            end = start + length
            if start < 0 or end > n or count.find(1, start, end) >= 0:
                return check(page)
            if not (text.startswith(string, start) if length == len(string) else text[start:end] == string[pos:pos + length]):
                return check(page)  # (a one-run string is compared in place, without copies)
            count[start:end] = b"\x01" * length
    added = 0
    for repair in page.repairs:
        start, end = repair.span
        count[start:end] = b"\x01" * (end - start)
        if repair.after:  # most repairs only remove
            added += sum(1 for c in repair.after if _visible(c))
    if inserted > added:
        return check(page)
    # Unclaimed positions come in runs between claimed strings (mostly line breaks and
    # spaces): find the runs at C speed and look for a visible character in each.
    for gap in _UNCLAIMED.finditer(count):
        if _VISIBLE.search(text, gap.start(), gap.end()):
            return check(page)
    return []
