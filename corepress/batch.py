"""Many pages at once: walking folders, collecting failures, writing output safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, TextIO, Union

import attrs

from corepress.reading import InputError

PAGE_SUFFIXES = (".txt", ".md")


def expand_paths(paths: Iterable[Union[str, Path]]) -> Iterator[Path]:
    """Files as given; directories walked (sorted) for ``*.txt`` and ``*.md``.

    A directory without any page raises :class:`InputError`.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
                and not p.name.endswith(".expected.json")
            )
            if not found:
                raise InputError(path, "directory contains no *.txt or *.md page")
            yield from found
        elif path.exists():
            yield path
        else:
            raise InputError(path, "no such file or directory")


@attrs.frozen
class Failure:
    path: Optional[Path]
    message: str


def atomic_write(target: Path, write: Callable[[TextIO], None]) -> None:
    """Write through a temporary file in the same folder, renamed into place on success.

    A failure leaves no partial file behind (and the old file, if any, untouched).
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
