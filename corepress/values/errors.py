"""The errors corepress raises for bad input: one line each, naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


class InputError(Exception):
    """A file that cannot be read as a page; the message is one line naming the file."""

    def __init__(self, path: Optional[Path], message: str) -> None:
        self.path = path
        self.reason = message
        where = str(path) if path is not None else "<text>"
        super().__init__(f"{where}: {message}")
