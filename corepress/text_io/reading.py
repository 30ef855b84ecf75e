"""From bytes to page text, and from page text to blocks.

Offsets everywhere in corepress are code points into the text this module
returns: decoded, with ``\\r\\n`` and lone ``\\r`` turned into ``\\n``.
:func:`corepress.read` returns exactly that text so a user can check any span.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import List, Optional, Tuple

import attrs
import regex

from corepress.values.errors import InputError
from corepress.values.hooktypes import DecodedInput
from corepress.values.model import Block, Repair
from corepress.values.traced import Traced

MAX_BYTES = 8 * 1024 * 1024
"""Pages larger than this are refused: a newspaper page is tens of kilobytes of text, so
8 MB is a concatenated archive or a wrong file, and parsing it as one page helps nobody."""

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
"""Invisible characters that extraction leaves in text; removed (and logged) when blocks are made."""


def check_text(text: str, path: Optional[Path] = None) -> None:
    """Refuse text that is no page: nothing but whitespace, or not valid Unicode.

    A lone surrogate (what ``surrogateescape`` decoding leaves for a bad byte) can
    be neither hashed nor written out as UTF-8, so it is refused here, with its offset.
    """
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise InputError(
            path, f"is not valid Unicode text: lone surrogate U+{ord(bad.group(0)):04X} at offset {bad.start()}"
        )
    if all(ch.isspace() or ch in ZERO_WIDTH for ch in text):
        raise InputError(path, "is empty: no text on the page")


_SURROGATE = regex.compile(r"[\ud800-\udfff]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BINARY_MAGIC = (
    (b"%PDF", "a PDF file, not text: extract its text first (e.g. pdftotext)"),
    (b"\x89PNG", "a PNG image, not text: OCR it first"),
    (b"\xff\xd8\xff", "a JPEG image, not text: OCR it first"),
    (b"GIF8", "a GIF image, not text"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX), not text"),
    (b"\x1f\x8b", "a gzip archive, not text"),
)


def decode(raw: bytes, encoding: Optional[str] = None, path: Optional[Path] = None) -> Tuple[str, str]:
    """Decode page bytes; return ``(text, encoding name)`` or raise :class:`InputError`."""
    if len(raw) > MAX_BYTES:
        raise InputError(path, f"file is {len(raw)} bytes, more than the {MAX_BYTES} a page may have")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding!r}") from None
        try:
            return raw.decode(encoding), codecs.lookup(encoding).name
        except UnicodeDecodeError as exc:
            raise InputError(path, f"cannot be decoded as {encoding}: {exc.reason} at byte {exc.start}") from None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(name)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {name} byte-order mark but is not {name}: {exc.reason}") from None
            return text.lstrip("\ufeff"), name
    for magic, what in _BINARY_MAGIC:
        if raw.startswith(magic):
            raise InputError(path, f"is {what}")
    if b"\x00" in raw:
        guessed = _utf16_without_bom(raw)
        if guessed is not None:
            return guessed
        raise InputError(path, "contains NUL bytes: a binary file, not page text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess(raw, path)


def _utf16_without_bom(raw: bytes) -> Optional[Tuple[str, str]]:
    """UTF-16 text saved without a byte-order mark, or ``None``.

    In UTF-16 every ASCII character (each newline, digit and space of a page) has
    a NUL byte, always on the same side of the pair: at odd offsets in little-endian,
    at even ones in big-endian.  A few other characters have one on the other side
    (一 is U+4E00), so the side with more NULs gives the byte order to try first,
    and the decoded text decides: the bytes decode strictly, no U+0000 comes out,
    and what does come out is page text (at least 95% CJK, ASCII, punctuation and
    symbols) with next to no control characters.  Read the other way round, CJK
    text turns into characters from all over Unicode and fails that check.
    """
    if len(raw) < 4 or len(raw) % 2:
        return None
    nul_even, nul_odd = raw[0::2].count(0), raw[1::2].count(0)
    orders = ["utf-16-le", "utf-16-be"] if nul_odd >= nul_even else ["utf-16-be", "utf-16-le"]
    for name in orders:  # the likelier byte order first; the text checks decide
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _mostly_text(text) and _share_of_page_text(text) >= 0.95:
            return text, name
    return None


_PAGE_TEXT = regex.compile(
    r"[\t\n\r\f\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u27bf\u3000-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


def _share_of_page_text(text: str) -> float:
    """The share of characters a Chinese page is made of: CJK, ASCII, Latin-1, punctuation, symbols."""
    return len(_PAGE_TEXT.findall(text)) / len(text) if text else 0.0


def _guess(raw: bytes, path: Optional[Path]) -> Tuple[str, str]:
    """Not UTF-8: ask charset-normalizer, preferring GB18030 for Chinese text."""
    from charset_normalizer import from_bytes

    # GB18030 is a superset of GBK and GB2312 and the usual archive encoding: try it first
    try:
        text = raw.decode("gb18030")
        if _mostly_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None or not _mostly_text(str(best)):
        raise InputError(path, "is not text in any encoding corepress recognises (try --encoding)")
    name = best.encoding
    if name in ("gbk", "gb2312", "cp936"):
        name = "gb18030"
    return raw.decode(name, errors="strict"), name


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or "\ue000" <= ch <= "\uf8ff")
    return bad / len(text) < 0.01


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(raw: bytes, *, encoding: Optional[str] = None, path: Optional[Path] = None) -> DecodedInput:
    text, used = decode(raw, encoding, path)
    text = normalise_newlines(text)
    check_text(text, path)
    return DecodedInput(text=text, encoding=used, format=guess_format(text, path))


_MARKDOWN_HEADING = regex.compile(r"^\#{1,6}[ \t]", regex.MULTILINE)


def guess_format(text: str, path: Optional[Path] = None) -> str:
    if path is not None and path.suffix.lower() in (".md", ".markdown"):
        return "markdown"
    return "markdown" if len(_MARKDOWN_HEADING.findall(text)) >= 2 else "text"


_INDENT = regex.compile(r"^(?:\u3000|[ \t\u00a0]{2,})")
_INDENT_SPACE = frozenset(" \t\u00a0")  # _INDENT's second case, read with string operations
_INVISIBLE = regex.compile(f"[{ZERO_WIDTH}]+")
_ANY_INVISIBLE = re.compile(f"[{ZERO_WIDTH}]")  # the page-wide check: the standard engine scans a plain set faster


def split_blocks(text: str, markdown: bool) -> Tuple[List[Block], List[Repair]]:
    """One block per non-blank line, remembering blank lines and indentation.

    Joining lines back into paragraphs is the layout repairs' job: they know
    whether a line ends a sentence, a headline or nothing at all.
    """
    blocks: List[Block] = []
    repairs: List[Repair] = []
    gap = 0
    pos = 0
    invisible = _ANY_INVISIBLE.search(text) is not None  # once for the page: most pages hold none
    for raw_line in text.split("\n"):
        start, end = pos, pos + len(raw_line)
        pos = end + 1
        if not invisible:
            if raw_line.isspace() or not raw_line:  # a blank line costs no traced string
                gap += 1
                continue
            head = len(raw_line) - len(raw_line.lstrip())
            tail = len(raw_line) - len(raw_line.rstrip())
            stripped = Traced.from_source(text, start + head, end - tail)
            indent = raw_line.startswith("\u3000") or (raw_line[:1] in _INDENT_SPACE and raw_line[1:2] in _INDENT_SPACE)
        else:
            line = Traced.from_source(text, start, end)
            if _INVISIBLE.search(line.text):
                line, fixed = line.sub(_INVISIBLE, lambda m: "", rule="remove_invisible")
                repairs.extend(fixed)
            stripped = line.strip()
            if not stripped.text:
                gap += 1
                continue
            raw_line = line.text
            indent = bool(_INDENT.match(raw_line))
        blocks.append(
            Block(
                text=stripped,
                index=len(blocks),
                gap_before=gap if blocks else 1,
                indent=indent,
                hard_break=markdown and raw_line.endswith("  "),
            )
        )
        gap = 0
    # a hard break means something only inside a group of lines: before a blank line it is noise
    for i, block in enumerate(blocks):
        if block.hard_break and (i + 1 == len(blocks) or blocks[i + 1].gap_before > 0):
            blocks[i] = attrs.evolve(block, hard_break=False)
    return blocks, repairs
