"""Types that hook implementations receive and return (besides the values in :mod:`corepress.values.model`)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Sequence, TextIO, Tuple

import attrs

from corepress.values.model import Block, Dropped, Notice, Page, Paper, PaperGuess, Repair, Source


@attrs.frozen
class ParseOptions:
    """What the caller asked for."""

    paper: Optional[str] = None  # force this paper id; "generic" forces generic rules only
    encoding: Optional[str] = None  # force this encoding
    normalize_brackets: bool = False  # rewrite half-width brackets inside CJK text (logged)
    page_from_name: Optional[str] = None  # a regex with a group "page": the page number in the file name (else the default patterns)


@attrs.frozen(eq=False)
class PageView:
    """A read-only view of the page handed to every hook.

    ``blocks`` are the blocks of the stage the hook belongs to: the raw lines for
    detection and masthead hooks, the repaired flow for classification hooks.
    """

    text: str
    source: Source
    blocks: Tuple[Block, ...]
    paper: Optional[Paper]
    guess: Optional[PaperGuess]
    papers: Mapping[str, Paper]  # read-only: every paper the installed plugins know
    options: ParseOptions = ParseOptions()


@attrs.frozen(eq=False)
class RepairOutcome:
    """What one repair rule did to the flow of blocks."""

    blocks: Tuple[Block, ...]
    repairs: Tuple[Repair, ...] = ()
    dropped: Tuple[Dropped, ...] = ()
    notices: Tuple[Notice, ...] = ()


@attrs.frozen(eq=False)
class RepairRule:
    """A named layout repair pass.

    Rules run sorted by ``(stage, name)``, never by registration order, so the
    result does not depend on which plugin was loaded first.  Generic stages:
    10 Markdown and indentation, 20 spacing, 25 formulas cut by a line break, 30 headline
    repairs, 50 optional normalisation.  (Joining column breaks is a gap decision, not a
    repair, except inside a formula, which the classifier must see whole.)
    """

    name: str
    stage: int
    apply: Callable[[Tuple[Block, ...], PageView], RepairOutcome]
    description: str = ""


@attrs.frozen(eq=False)
class DecodedInput:
    text: str
    encoding: str
    format: str  # "text" or "markdown"


@attrs.frozen(eq=False)
class InputReader:
    """Turns the bytes of a file into page text.

    ``read`` returns ``None`` when the bytes are not for this reader; corepress
    tries readers whose ``suffixes`` match the file first, then the rest, sorted by name.
    """

    name: str
    suffixes: Tuple[str, ...]
    read: Callable[[bytes, Optional[str], Optional[Path]], Optional[DecodedInput]]


COMMAND_FORMATS = ("parquet",)
"""Formats ``corepress parse`` writes itself (a folder of files, not a text stream): no writer may take these names."""


@attrs.frozen(eq=False)
class OutputWriter:
    """Writes parsed pages to a text stream (``corepress parse --format NAME``)."""

    name: str
    write: Callable[[Iterable[Page], TextIO], None]
    description: str = ""
    per_page: bool = False
    """True when the output for several pages is each page's output, one after another (JSON lines,
    Markdown): batch workers then render their pages themselves, and a batch streams them."""


@attrs.frozen
class SamplePage:
    """A page shipped with a plugin, with the expected page a person wrote for it."""

    path: Path
    expected: Path
    paper: Optional[str]


def sample_pages_in(folder: Path, paper: Optional[str]) -> Sequence[SamplePage]:
    """Every ``*.txt``/``*.md`` page in ``folder`` that has an ``.expected.json`` beside it."""
    pages = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".txt", ".md"):
            expected = path.with_name(path.stem + ".expected.json")
            if expected.exists():
                pages.append(SamplePage(path=path, expected=expected, paper=paper))
    return pages
