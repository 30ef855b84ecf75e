"""The errors corepress raises for bad input: one line each, naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

NAME_LIMIT = 400
"""Characters of a file name shown in a message; a longer name is cut in the middle."""


def describe(exc: BaseException) -> str:
    """An exception as one line for a notice or an error: ``ValueError: what it says``."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def one_line(value: object, limit: int = NAME_LIMIT) -> str:
    """``str(value)`` made safe for a one-line message.

    Line breaks and other control characters (a file name may hold any of them)
    are written as escapes (``\\n``, ``\\x1b``), and an overlong value is cut in
    the middle, so the message stays on one line whatever it names.
    """
    text = str(value)
    if any(_unsafe(ch) for ch in text):
        text = "".join(_escape(ch) if _unsafe(ch) else ch for ch in text)
    if len(text) > limit:
        half = (limit - 1) // 2
        text = text[:half] + "…" + text[-half:]
    return text


def _unsafe(ch: str) -> bool:
    """Breaks a line, or shows nothing: whitespace but the space, controls, lone surrogates."""
    code = ord(ch)
    return (ch.isspace() and ch != " ") or code < 32 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000


def _escape(ch: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


class InputError(Exception):
    """A file that cannot be read as a page; the message is one line naming the file."""

    def __init__(self, path: Optional[Union[Path, str]], message: str) -> None:
        self.path = path
        self.reason = message
        where = one_line(path) if path is not None else "<text>"
        super().__init__(f"{where}: {one_line(message, limit=4 * NAME_LIMIT)}")
