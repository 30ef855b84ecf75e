"""Recognising the formulas around an article body and what they say.

Each function takes a block's text and returns :class:`~corepress.api.Mark` s
(offsets into the text) or ``None``; a mark's facts hold what the formula tells:
agency, reporters, dateline, page numbers.
Paper plugins reuse these and add their own formulas next to them.
"""

from __future__ import annotations

from typing import List, Optional

import regex

from corepress.rules import patterns as P
from corepress.rules.text import page_number, split_names
from corepress.values.scores import Mark, MarkFacts, MarkKind
from corepress.values.traced import PATTERN_TIMEOUT


def _names(m, *groups: str) -> List[str]:
    out: List[str] = []
    for g in groups:
        out.extend(split_names(m.group(g)))
    return out


# What each formula cannot do without: checked first with plain string operations, so the
# patterns run only on the few blocks that could hold the formula (most blocks are body text
# that holds none).  Each guard is implied by its pattern, so no match is ever missed.
_AGENCY_LEAD_FIRST = frozenset("据新中人光经央")
OPENER_FIRST = _AGENCY_LEAD_FIRST | frozenset("本(（《")
"""The first characters a lead (新华社…, 本报…), a continued-part formula ((上接…) or a byline of an
agency or paper (本报记者…, 《人民日报》记者…) can start with."""
"""First characters of :data:`~corepress.rules.patterns.AGENCY_LEAD`: 据 or an agency's first."""
_PAPER_LEAD_WITHIN = 12
"""``报讯`` of :data:`~corepress.rules.patterns.PAPER_LEAD` ends within this many characters."""
_TAIL_LAST = frozenset("）)电摄道发图文")
"""The last characters a tail formula can end with (every tail pattern is anchored at the end)."""
_NOTE_FIRST = frozenset("（(—－")
"""First characters of :data:`~corepress.rules.patterns.CLOSING_NOTE` and :data:`~corepress.rules.patterns.AUTHOR_LINE`."""


def lead_at_start(text: str) -> Optional[Mark]:
    """A lead formula (电头) at the start of the text."""
    m = P.AGENCY_LEAD.match(text, timeout=PATTERN_TIMEOUT) if text[:1] in _AGENCY_LEAD_FIRST else None
    if m:
        facts = MarkFacts(
            agency=m.group("agency"),
            dateline=m.group("place") + m.group("date"),
            reporters=_names(m, "names"),
            via=bool(m.group("ju")),
        )
        return Mark(MarkKind.LEAD, 0, m.end(), facts)
    m = P.OWN_LEAD.match(text, timeout=PATTERN_TIMEOUT) if text.startswith("本报") else None
    if m:
        dateline = (m.group("place") or "") + (m.group("date") or "")
        facts = MarkFacts(agency="本报", dateline=dateline or None, reporters=_names(m, "names", "names2", "names3"))
        return Mark(MarkKind.LEAD, 0, m.end(), facts)
    m = P.PAPER_LEAD.match(text, timeout=PATTERN_TIMEOUT) if "报讯" in text[:_PAPER_LEAD_WITHIN] else None
    if m:
        return Mark(MarkKind.LEAD, 0, m.end(), MarkFacts(agency=m.group("agency"), reporters=_names(m, "names")))
    return None


def byline(text: str) -> Optional[Mark]:
    """A whole block that is a byline (署名)."""
    if len(text) > 60 or ("记者" not in text and "通讯员" not in text and "评论员" not in text):  # one is in every byline
        return None
    m = P.BYLINE.match(text, timeout=PATTERN_TIMEOUT)
    if not m:
        return None
    agency = m.group("agency")
    if agency and agency.startswith("《"):
        agency = agency.strip("《》")
    role = m.group("role") or m.group("role2")
    return Mark(MarkKind.BYLINE, 0, len(text), MarkFacts(agency=agency, reporters=_names(m, "names"), role=role))


def continued_from(text: str) -> Optional[Mark]:
    if "上接" not in text:
        return None
    m = P.CONTINUED_FROM.match(text, timeout=PATTERN_TIMEOUT)
    if not m:
        return None
    return Mark(MarkKind.CONTINUED_FROM, 0, m.end(), MarkFacts(page=page_number(m.group("page"))))


def tails(text: str) -> List[Mark]:
    """Markers at the end of a body block, outermost last: jump, reprint, author, agency tail."""
    found: List[Mark] = []
    end = _stripped_end(text, len(text))
    while end > 0 and text[end - 1] in _TAIL_LAST:  # by offsets, not slices: a block of thousands of formulas is not copied for each
        marker = _one_tail(text, end)
        if marker is None:
            break
        found.append(marker)
        end = _stripped_end(text, marker.start)
    return list(reversed(found))


def _stripped_end(text: str, end: int) -> int:
    """``len(text[:end].rstrip())`` without the copy."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


TAIL_WINDOW = 200
"""Characters at the end of a block that can hold a tail formula (the longest, a reporter list, is far shorter)."""


def _one_tail(text: str, end: int) -> Optional[Mark]:
    """The outermost tail formula ending ``text[:end]``, searched in its last :data:`TAIL_WINDOW` characters."""
    cut = max(0, end - TAIL_WINDOW)
    found = _tail_in(text[cut:end])
    if found is None or cut == 0:
        return found
    return Mark(found.kind, found.start + cut, found.end + cut, found.facts)


def _tail_in(text: str) -> Optional[Mark]:
    if text[-1:] not in _TAIL_LAST:  # a window ends on a visible character: the one every tail ends with
        return None
    m = P.CONTINUED_TO.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return Mark(MarkKind.CONTINUED_TO, m.start(), m.end(), MarkFacts(page=page_number(m.group("page"))))
    m = P.REPRINT.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return Mark(MarkKind.REPRINT, m.start(), m.end(), MarkFacts(source=m.group("source")))
    m = P.END_MARK.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return Mark(MarkKind.END, m.start(), m.end())
    m = P.AGENCY_TAIL.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return Mark(MarkKind.TAIL, m.start(), m.end(), MarkFacts(agency=m.group("agency"), dateline=m.group("place") + m.group("date")))
    m = P.CREDIT.search(text, timeout=PATTERN_TIMEOUT)
    if m and (m.start() == 0 or "摄" in m.group(0)):
        return Mark(MarkKind.CREDIT, m.start(), m.end(), MarkFacts(agency=m.group("agency"), reporters=_credited(m, "names")))
    m = P.PICTURE_CREDIT.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return Mark(MarkKind.CREDIT, m.start(), m.end(), MarkFacts(agency=m.group("agency"), reporters=_credited(m, "names", "writers")))
    m = P.AUTHOR_TAIL.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return Mark(MarkKind.AUTHOR, m.start(), m.end(), MarkFacts(reporters=_names(m, "names")))
    return None


CLOSING_LINE_MAX = 200
"""Characters beyond which a block is no closing line (notes are one short line)."""


def closing_line(text: str) -> Optional[Mark]:
    """A whole block that closes a story: a bracketed writer's note or an unbracketed production note."""
    if len(text) > CLOSING_LINE_MAX:
        return None
    noted = text[:1] in _NOTE_FIRST
    m = P.CLOSING_NOTE.match(text, timeout=PATTERN_TIMEOUT) if noted else None
    if m:
        inner = text.strip()[1:-1]
        names = P.NOTE_NAMES.search(inner, timeout=PATTERN_TIMEOUT)
        reporters = split_names(names.group("names")) if names else []
        return Mark(MarkKind.AUTHOR if names else MarkKind.NOTE, 0, len(text), MarkFacts(reporters=tuple(reporters)))
    m = P.AUTHOR_LINE.match(text, timeout=PATTERN_TIMEOUT) if noted else None
    if m:
        named = m.group("names")
        return Mark(MarkKind.AUTHOR if named else MarkKind.NOTE, 0, len(text), MarkFacts(reporters=tuple(_squeezed(split_names(named)))))
    m = P.PRODUCTION_NOTE.match(text, timeout=PATTERN_TIMEOUT) if "：" in text or ":" in text or "见" in text else None
    if m:
        return Mark(MarkKind.NOTE, 0, len(text))
    return None


def _squeezed(names: List[str]) -> List[str]:
    """杨  军 → 杨军: a letter-spaced name is one name.

    A run of single ideographs among names is letter-spaced names: no Chinese name is one
    character.  An even run is read as names of two (何晓光 林 青 → 何晓光, 林青; 周  明  林  青
    → 周明, 林青: papers space the two-character names, to the width of three); an odd run as one name.
    """
    out: List[str] = []
    run: List[str] = []
    for name in names + [""]:
        if len(name) == 1:
            run.append(name)
            continue
        if len(run) % 2 == 0:
            out += ["".join(run[i:i + 2]) for i in range(0, len(run), 2)]
        else:
            out.append("".join(run))
        run = []
        if name:
            out.append(name)
    return out


def _credited(m: "regex.Match[str]", *groups: str) -> List[str]:
    """The people a credit names, letter-spaced names made whole."""
    return _squeezed(_names(m, *groups))

