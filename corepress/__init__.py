"""corepress: structured, traceable data from the text of Chinese newspaper pages.

>>> import corepress
>>> page = corepress.parse("本报讯 记者王明报道 4月1日，全市春耕备耕工作会议召开。\\n")
>>> page.articles[0].reporters
('王明',)

Importing this package loads no plugin: entry points are scanned on the first
parse (or the first call that needs the plugin list), once per process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional, Union

from corepress._version import __version__

__all__ = ["parse", "parse_many", "read", "hookimpl", "InputError", "__version__"]

from corepress.plugin_system.hookspecs import hookimpl
from corepress.values.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from corepress.values.model import Page

PathOrText = Union[str, Path]


def read(path: PathOrText, *, encoding: Optional[str] = None) -> str:
    """The decoded, newline-normalised text of a page: what every span indexes."""
    from corepress.pipeline.pipeline import read_input

    return read_input(Path(path), encoding).text


def parse(
    text_or_path: PathOrText,
    *,
    paper: Optional[str] = None,
    encoding: Optional[str] = None,
    normalize_brackets: bool = False,
    format: Optional[str] = None,
) -> "Page":
    """Parse a page given as a path or as its text.

    A :class:`pathlib.Path`, or a string naming an existing file, is read from
    disk; any other string is the page text itself (pass a ``Path`` to be sure).  ``paper`` forces a paper id
    (``"generic"`` forces the generic rules only).  ``format`` (``"text"`` or
    ``"markdown"``) overrides the guess for text passed directly.
    """
    from corepress.pipeline.pipeline import parse_path, parse_text
    from corepress.values.hooktypes import ParseOptions

    options = ParseOptions(paper=paper, encoding=encoding, normalize_brackets=normalize_brackets)
    path = _as_path(text_or_path)
    if path is None:
        return parse_text(str(text_or_path), options=options, fmt=format)
    return parse_path(path, options)


def parse_many(
    paths: Iterable[PathOrText], *, paper: Optional[str] = None, encoding: Optional[str] = None
) -> Iterator["Page"]:
    """Parse files one after another (directories are walked for every format a reader claims).

    A file that cannot be read raises :class:`InputError` when the generator
    reaches it; use :func:`corepress.corpus.batch.parse_files` to collect errors instead.
    """
    from corepress.corpus.batch import expand_paths
    from corepress.pipeline.pipeline import reader_suffixes

    for path in expand_paths(paths, reader_suffixes()):
        yield parse(path, paper=paper, encoding=encoding)


def _as_path(value: PathOrText) -> Optional[Path]:
    if isinstance(value, Path):
        return value
    if not value.strip() or "\n" in value or len(value) > 4096:
        return None
    candidate = Path(value)
    try:
        return candidate if candidate.is_file() else None
    except OSError:
        return None
