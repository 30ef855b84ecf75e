"""corepress: structured, traceable data from the text of Chinese newspaper pages.

>>> import corepress
>>> page = corepress.parse_text("本报讯 记者王明报道 4月1日，全市春耕备耕工作会议召开。\\n")
>>> page.articles[0].reporters
('王明',)

:func:`parse` reads a page file; :func:`parse_text` parses page text you already
have.  Importing this package loads no plugin (and not even the plugin
machinery): entry points are scanned on the first parse (or the first call that
needs the plugin list), once per process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from corepress._version import __version__

__all__ = ["parse", "parse_text", "parse_many", "read", "hookimpl", "InputError", "__version__"]

from corepress.values.errors import InputError, one_line

if TYPE_CHECKING:  # pragma: no cover
    from corepress.plugin_system.hookspecs import hookimpl as hookimpl
    from corepress.values.model import Page

PathLike = Union[str, "os.PathLike[str]"]


def __getattr__(name: str) -> Any:
    # ``corepress.hookimpl`` needs pluggy and the hook types: load them only when a plugin asks
    if name == "hookimpl":
        from corepress.plugin_system.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'corepress' has no attribute {name!r}")


def read(path: PathLike, *, encoding: Optional[str] = None) -> str:
    """The decoded, newline-normalised text of a page: what every span indexes."""
    from corepress.pipeline.pipeline import read_input

    return read_input(_page_path(path, "read"), encoding).text


def parse(
    path: PathLike,
    *,
    paper: Optional[str] = None,
    encoding: Optional[str] = None,
    normalize_brackets: bool = False,
) -> "Page":
    """Parse the page in the file at ``path`` (a ``str`` or :class:`pathlib.Path`).

    A path that names no file raises :class:`InputError` (one line naming it): a
    string is never taken for page text; use :func:`parse_text` for that.
    ``paper`` forces a paper id (``"generic"`` forces the generic rules only),
    ``encoding`` the input encoding (default: detected).
    """
    from corepress.pipeline.pipeline import parse_path
    from corepress.values.hooktypes import ParseOptions

    options = ParseOptions(paper=paper, encoding=encoding, normalize_brackets=normalize_brackets)
    return parse_path(_page_path(path, "parse"), options)


def parse_text(
    text: str,
    *,
    paper: Optional[str] = None,
    format: Optional[str] = None,
    normalize_brackets: bool = False,
) -> "Page":
    """Parse page text given as a string.

    ``format`` is ``"text"`` or ``"markdown"`` (default: guessed from the text).
    Empty or whitespace-only text, and text that is not valid Unicode (a lone
    surrogate, as ``surrogateescape`` decoding leaves), raise :class:`InputError`.
    Spans index the text after ``\\r\\n`` and ``\\r`` became ``\\n``.
    """
    from corepress.pipeline.pipeline import parse_text as run
    from corepress.text_io.reading import check_text
    from corepress.values.hooktypes import ParseOptions

    if not isinstance(text, str):
        hint = "; decode the bytes first, or save them and call corepress.parse(path)" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"corepress.parse_text() takes the page text as a str, not {type(text).__name__}{hint}")
    if format not in (None, "text", "markdown"):
        raise ValueError(f"format must be 'text' or 'markdown', not {format!r}")
    check_text(text, None)
    options = ParseOptions(paper=paper, normalize_brackets=normalize_brackets)
    return run(text, options=options, fmt=format)


def parse_many(
    paths: Iterable[PathLike], *, paper: Optional[str] = None, encoding: Optional[str] = None
) -> Iterator["Page"]:
    """Parse files one after another (directories are walked for every format a reader claims).

    A file that cannot be read raises :class:`InputError` when the generator
    reaches it; use :func:`corepress.corpus.batch.parse_files` to collect errors instead.
    """
    from corepress.corpus.batch import expand_paths
    from corepress.pipeline.pipeline import reader_suffixes

    for path in expand_paths(paths, reader_suffixes()):
        yield parse(path, paper=paper, encoding=encoding)


def _page_path(value: PathLike, caller: str) -> Path:
    """The path of a page file, or :class:`InputError` saying why there is none."""
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"corepress.{caller}() takes a path (str or pathlib.Path), not {type(value).__name__}; "
            "for page text use corepress.parse_text(text)"
        )
    raw = os.fspath(value)
    if not isinstance(raw, str):
        raise TypeError(f"corepress.{caller}() takes a str path, not {type(raw).__name__}")
    path = Path(raw)
    try:
        exists = bool(raw.strip()) and path.exists()  # Path("") would be the current folder
    except (OSError, ValueError):  # a NUL in the string, or a name too long for the system
        exists = False
    if not exists:
        if not raw.strip():
            raise InputError(repr(raw), "no such file or directory (an empty path)")
        if "\n" in raw or len(raw) > 1024:
            shown = one_line(raw, limit=60)
            raise InputError(shown, "no such file or directory (this looks like page text: use corepress.parse_text(text))")
        raise InputError(raw, "no such file or directory")
    return path
