"""Many pages at once: walking folders, collecting failures, writing output safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Sequence, TextIO, Tuple, Union

import attrs

from corepress.values.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from corepress.values.model import Page

PAGE_SUFFIXES = (".txt", ".md")


def expand_paths(paths: Iterable[Union[str, "os.PathLike[str]"]], suffixes: Sequence[str] = PAGE_SUFFIXES) -> Iterator[Path]:
    """Files as given; directories walked (sorted) for files with one of ``suffixes``.

    Pass :func:`corepress.pipeline.pipeline.reader_suffixes` to include the formats plugins
    read.  A directory without any page raises :class:`InputError`.
    """
    wanted = {s.lower() for s in suffixes}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
            if not found:
                names = ", ".join(f"*{s}" for s in sorted(wanted))
                raise InputError(path, f"directory contains no page ({names})")
            yield from found
        elif path.exists():
            yield path
        else:
            raise InputError(path, "no such file or directory")


@attrs.frozen
class Failure:
    """A file that gave nothing useful, and why (one line)."""

    path: Path
    message: str


def parse_files(
    paths: Iterable[Union[str, Path]],
    *,
    paper: Optional[str] = None,
    encoding: Optional[str] = None,
    normalize_brackets: bool = False,
) -> Iterator[Tuple[Path, Union["Page", Failure]]]:
    """Parse many files, yielding ``(path, page)`` or ``(path, Failure)`` for each.

    One bad file never stops the batch.  A page with neither an article nor a
    masthead is a failure: nothing useful came out of it.  Folders are walked for
    every suffix a registered reader claims; a folder without pages raises
    :class:`InputError` at once.
    """
    import corepress
    from corepress.pipeline.pipeline import reader_suffixes

    for path in list(expand_paths(paths, reader_suffixes())):
        try:
            page = corepress.parse(path, paper=paper, encoding=encoding, normalize_brackets=normalize_brackets)
        except InputError as exc:
            yield path, Failure(path, str(exc))
            continue
        except TimeoutError as exc:
            yield path, Failure(path, f"{path}: a pattern ran too long on this page ({exc})")
            continue
        if not page.articles and page.masthead is None:
            yield path, Failure(path, f"{path}: no article and no masthead found on the page")
            continue
        yield path, page


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
