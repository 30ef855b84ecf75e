"""Character accounting: proof that a parse invented nothing and lost nothing.

Every non-whitespace character of the decoded page must end up in exactly one
place: an article field, a masthead line, a dropped item, or a logged repair
that removed or changed it.  Because every output string is a
:class:`~corepress.values.traced.Traced`, this is checked per character, by offset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Dict, Iterator, List, Tuple

import attrs

from corepress.text_io.reading import ZERO_WIDTH
from corepress.values.model import Page
from corepress.values.traced import INSERTED, Traced


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
