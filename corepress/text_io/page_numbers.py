"""Page numbers read from strings and file names: ``第十二版`` → ``"12"``, ``rmrb-20200105-03.txt`` → ``"3"``.

A page's own number is normalised as a jump's page is (``03`` → ``"3"``, ``Ａ３`` →
``"A3"``), so that ``（下转A3版）`` names the page whose number is ``"A3"``.  A page
that prints no number takes one from its file name (without its folder): the first
of :data:`NAME_PATTERNS` that matches, or the caller's ``--page-from-name`` pattern
instead of them.  Reading the page head itself is a parse stage,
:mod:`corepress.pipeline.identity`.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from pathlib import PurePath
from typing import Optional, Tuple

import regex

from corepress.values.model import PageIdentity, PageNumberSource

V = regex.VERSION1
CN_NUMERALS = "〇零一二三四五六七八九十百两廿"
_NUMBER = regex.compile(rf"^(?P<letter>[A-Z])?(?:(?P<digits>\d{{1,3}})|(?P<cn>[{CN_NUMERALS}]{{1,5}}))$", V)

NAME_PATTERNS: Tuple["regex.Pattern[str]", ...] = (
    regex.compile(r"(?<!\d)(?:19|20)\d{6}[-_][pP]?(?P<page>[A-Z]?\d{1,3})(?!\d)", V),  # YYYYMMDD-03-…, rmrb-20200105-03.txt
    regex.compile(r"(?:^|[-_. ])[pP](?P<page>[A-Z]?\d{1,3})(?=[-_.]|$)", V),  # …-p03.txt, issue_pA3.md
    regex.compile(r"(?<!(?<!\d)\d{4}[-_]\d{1,2})(?<!(?<!\d)\d{4})[-_](?P<page>[A-Z]?\d{1,3})(?=\.[^.]*$|$)", V),  # …_03.txt (not …2025-03-18.txt)
)
"""The default file-name patterns, tried in order on the file's name (without its folder)."""
_NAME_DATES = (
    regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)", V),  # 20200105
    regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)", V),  # 2025-03-18
)


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII (``Ａ３`` → ``A3``, ``：`` → ``:``)."""
    return unicodedata.normalize("NFKC", text)


def page_number(text: str) -> Optional[str]:
    """A printed page number, normalised: ``第十二版`` → ``"12"``, ``03`` → ``"3"``, ``a3`` → ``"A3"``;
    ``None`` for anything else (and for page 0).  Chinese numerals are read by ``cn2an``."""
    text = fold(text).strip().upper()
    text = text[1:] if text.startswith("第") else text
    text = text[:-1] if text.endswith("版") else text
    m = _NUMBER.match(text)
    if not m:
        return None
    if m.group("digits"):
        value = int(m.group("digits"))
    else:
        import cn2an  # imported on first need: 70 ms, and most pages print digits

        try:
            value = int(cn2an.cn2an(m.group("cn"), "smart"))
        except ValueError:  # 十十, 一二: not a numeral
            return None
    if not 0 < value < 1000:
        return None
    return f"{m.group('letter') or ''}{value}"


def iso_date(m: "regex.Match[str]") -> Optional[str]:
    try:
        return _dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


def name_date(file_name: str) -> Optional[str]:
    """An ISO date the file name holds (``rmrb-20200105-03.txt``, ``liaoyuan_2025-03-18.txt``)."""
    for pattern in _NAME_DATES:
        for m in pattern.finditer(file_name):
            iso = iso_date(m)
            if iso:
                return iso
    return None


def identity_from_name(path: Optional[str], pattern: Optional[str] = None) -> Optional[PageIdentity]:
    """The page number in a file's name: by ``pattern`` (a regular expression with a group
    named ``page``, and optionally one named ``name`` for the section name) when given,
    else by the first of :data:`NAME_PATTERNS` that matches."""
    if not path:
        return None
    file_name = PurePath(path).name
    patterns = (regex.compile(pattern, V),) if pattern else NAME_PATTERNS
    for compiled in patterns:
        m = compiled.search(file_name)
        number = page_number(m.group("page") or "") if m else None
        if m and number:
            name = m.groupdict().get("name")
            return PageIdentity(number, PageNumberSource.FILE_NAME, name=name or None, date=name_date(file_name))
    return None


def check_name_pattern(pattern: str) -> Optional[str]:
    """Why ``pattern`` cannot be a ``--page-from-name`` pattern, or ``None`` when it can."""
    try:
        compiled = regex.compile(pattern, V)
    except regex.error as exc:
        return f"not a regular expression: {exc}"
    if "page" not in compiled.groupindex:
        return "needs a group named page, e.g. '_(?P<page>\\d+)\\.txt$'"
    return None
