"""Recognising the formulas around an article body and what they say.

Each function takes a block's text and returns marker tuples
``(kind, start, end, value)`` (offsets into the text) or ``None``.  ``value``
holds what the formula tells: agency, reporters, dateline, page numbers.
Paper plugins reuse these and add their own formulas next to them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from corepress.rules import patterns as P
from corepress.rules.text import chinese_number, split_names
from corepress.values.traced import PATTERN_TIMEOUT

MarkerTuple = Tuple[str, int, int, Mapping[str, Any]]


def _names(m, *groups: str) -> List[str]:
    out: List[str] = []
    for g in groups:
        out.extend(split_names(m.group(g)))
    return out


def lead_at_start(text: str) -> Optional[MarkerTuple]:
    """A lead formula (电头) at the start of the text."""
    m = P.AGENCY_LEAD.match(text, timeout=PATTERN_TIMEOUT)
    if m:
        value: Dict[str, Any] = {
            "agency": m.group("agency"),
            "dateline": m.group("place") + m.group("date"),
            "reporters": _names(m, "names"),
            "via": bool(m.group("ju")),
        }
        return ("lead", 0, m.end(), value)
    m = P.OWN_LEAD.match(text, timeout=PATTERN_TIMEOUT)
    if m:
        dateline = (m.group("place") or "") + (m.group("date") or "")
        value = {"agency": "本报", "dateline": dateline or None, "reporters": _names(m, "names", "names2", "names3")}
        return ("lead", 0, m.end(), value)
    m = P.PAPER_LEAD.match(text, timeout=PATTERN_TIMEOUT)
    if m:
        return ("lead", 0, m.end(), {"agency": m.group("agency"), "reporters": _names(m, "names")})
    return None


def byline(text: str) -> Optional[MarkerTuple]:
    """A whole block that is a byline (署名)."""
    if len(text) > 60:
        return None
    m = P.BYLINE.match(text, timeout=PATTERN_TIMEOUT)
    if not m:
        return None
    agency = m.group("agency")
    if agency and agency.startswith("《"):
        agency = agency.strip("《》")
    role = m.group("role") or m.group("role2")
    value = {"agency": agency, "reporters": _names(m, "names"), "role": role}
    return ("byline", 0, len(text), value)


def continued_from(text: str) -> Optional[MarkerTuple]:
    m = P.CONTINUED_FROM.match(text, timeout=PATTERN_TIMEOUT)
    if not m:
        return None
    return ("continued_from", 0, m.end(), {"page": chinese_number(m.group("page"))})


def tails(text: str) -> List[MarkerTuple]:
    """Markers at the end of a body block, outermost last: jump, reprint, author, agency tail."""
    found: List[MarkerTuple] = []
    end = len(text.rstrip())
    while end > 0:
        head = text[:end]
        marker = _one_tail(head)
        if marker is None:
            break
        found.append(marker)
        end = len(head[: marker[1]].rstrip())
    return list(reversed(found))


def _one_tail(text: str) -> Optional[MarkerTuple]:
    m = P.CONTINUED_TO.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return ("continued_to", m.start(), m.end(), {"page": chinese_number(m.group("page"))})
    m = P.REPRINT.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return ("reprint", m.start(), m.end(), {"source": m.group("source")})
    m = P.END_MARK.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return ("end", m.start(), m.end(), {})
    m = P.AGENCY_TAIL.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return ("tail", m.start(), m.end(), {"agency": m.group("agency"), "dateline": m.group("place") + m.group("date")})
    m = P.CREDIT.search(text, timeout=PATTERN_TIMEOUT)
    if m and (m.start() == 0 or "摄" in m.group(0)):
        return ("credit", m.start(), m.end(), {"agency": m.group("agency"), "reporters": _names(m, "names")})
    m = P.AUTHOR_TAIL.search(text, timeout=PATTERN_TIMEOUT)
    if m:
        return ("author", m.start(), m.end(), {"reporters": _names(m, "names")})
    return None


def opens_structure(text: str) -> bool:
    """The text starts a headline stack element, byline, lead or continued part.

    Used by the column-break joiner: nothing is ever joined into such a block.
    """
    if not text:
        return False
    if text.startswith(("——", "—", "－－")):
        return True
    if lead_at_start(text) or byline(text) or continued_from(text):
        return True
    if P.SUBTITLE.match(text, timeout=PATTERN_TIMEOUT) and len(text) <= 40:
        return True
    whole_tail = _one_tail(text)
    return whole_tail is not None and whole_tail[1] == 0
