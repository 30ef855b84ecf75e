"""The parse pipeline, top to bottom.  Each stage lives in its own module of this package.

    text ─ split into blocks ─ detect the paper ─ masthead ─ repairs inside blocks
         ─ classify every block once ─ score every gap ─ decode the gaps (a second stage may rescore)
         ─ assemble articles ─ finish articles ─ account for every character ─▶ Page

A plugin that raises or returns a malformed result anywhere in a page's run
raises :class:`~corepress.plugin_system.manager.PluginFault`; the page is then
parsed again from the start without that plugin, and the page carries a
``plugin_failed`` notice naming plugin and hook.  So a bad plugin costs its own
contribution, never the page, and the result is the one the page would have
without it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

import attrs

from corepress.pipeline.accounting import AccountingError, verify
from corepress.pipeline.assemble import assemble
from corepress.pipeline.classify import classify_flow
from corepress.pipeline.decode import decode_page
from corepress.pipeline.detect import detect_paper
from corepress.pipeline.finish import finish_article
from corepress.pipeline.identity import page_identity
from corepress.pipeline.masthead import find_masthead
from corepress.pipeline.repair import repair_flow
from corepress.plugin_system.manager import PluginFault, Plugins, Scope, get_plugins
from corepress.text_io.reading import guess_format, normalise_newlines, split_blocks
from corepress.values.errors import InputError
from corepress.values.hooktypes import DecodedInput, PageView, ParseOptions
from corepress.values.model import Dropped, Notice, Page, PaperGuess, Source


def parse_text(
    text: str,
    *,
    path: Optional[Path] = None,
    encoding: str = "utf-8",
    fmt: Optional[str] = None,
    options: ParseOptions = ParseOptions(),
    plugins: Optional[Plugins] = None,
    raw: Optional[bytes] = None,
) -> Page:
    """Parse decoded page text (newlines are normalised here)."""
    plugins = plugins or get_plugins()
    text = normalise_newlines(text)
    fmt = fmt or guess_format(text, path)
    digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8", "surrogatepass")).hexdigest()
    source = Source(path=str(path) if path else None, sha256=digest, encoding=encoding, format=fmt, length=len(text))
    scope = Scope(paper=None)
    faults: List[Notice] = [
        Notice("warning", "plugin_not_loaded", f"plugin {name!r} is not in use: {why}")
        for name, why in plugins.load_failures().items()
    ]
    while True:
        try:
            with cyclic_gc_paused():
                page = run_stages(text, source, options, plugins, scope)
        except PluginFault as fault:
            faults.append(Notice("error", "plugin_failed", str(fault)))
            scope = scope.without(fault.plugin)
            continue
        page = attrs.evolve(page, notices=tuple(faults) + page.notices, producer=plugins.producer())
        problems = verify(page)
        if problems:
            raise AccountingError(path, problems)
        return page


_paused_lock = threading.Lock()
_paused = [0, False]  # pages being parsed now, whether the first of them switched the collector off


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector is off while a page is parsed, and as it was after.

    A page's run makes no reference cycles that matter (frozen values, tuples: reference counting
    frees them), but it makes objects by the hundred thousand on a large page, and each full
    collection walks all of them: with the collector on, a page of 150 000 short lines took 0.51 s
    per 64 KB against 0.26 s for one of 9 000 (time growing with the page, not with its text);
    with it off, 0.30 against 0.22 (`benchmarks/bench_parse.py`).  Counted across threads, so that the collector comes back on
    when the last page being parsed is done, and only if a page turned it off."""
    with _paused_lock:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()


def run_stages(text: str, source: Source, options: ParseOptions, plugins: Plugins, scope: Scope) -> Page:
    notices: List[Notice] = []
    blocks, invisible = split_blocks(text, markdown=source.format == "markdown")
    if not blocks:
        notices.append(Notice("error", "empty_page", "the page has no text"))
    view = PageView(text=text, source=source, blocks=tuple(blocks), paper=None, guess=None, papers=plugins.papers, options=options)

    guess = detect_paper(view, plugins, scope)
    scope = Scope(paper=guess.id, excluded=scope.excluded)
    view = attrs.evolve(view, guess=guess, paper=plugins.papers.get(guess.id) if guess.id else None)

    masthead = find_masthead(view, plugins, scope)
    if masthead is not None:
        notices.extend(masthead.notices)  # e.g. a weekday that contradicts the date
    claimed = set(masthead.claimed) if masthead else set()
    identity, head = page_identity(blocks, source.path, options.page_from_name)
    page_head: List[Dropped] = []
    if head is not None and head.index not in claimed:  # a masthead that holds the line keeps it
        page_head.append(Dropped("page_head", head.text))
        claimed.add(head.index)
    flow = tuple(b for b in blocks if b.index not in claimed)

    flow, repairs, dropped, repair_notices = repair_flow(flow, attrs.evolve(view, blocks=flow), plugins, scope)
    notices.extend(repair_notices)
    view = attrs.evolve(view, blocks=flow)

    roles = classify_flow(flow, view, plugins, scope)
    decisions = decode_page(view, roles, plugins, scope)
    built = assemble(text, flow, roles, decisions)

    view = attrs.evolve(view, blocks=built.flow)
    articles = tuple(finish_article(a, view, plugins, scope, notices) for a in built.articles)
    if not articles:
        notices.append(Notice("warning", "no_articles", "no article was found on the page"))

    all_dropped = list(masthead.dropped if masthead else ()) + page_head + dropped + list(built.dropped)
    all_repairs = list(invisible) + list(masthead.repairs if masthead else ()) + repairs + list(built.repairs)
    return Page(
        source=source,
        text=text,
        paper=guess,
        masthead=masthead.masthead if masthead else None,
        articles=articles,
        dropped=tuple(sorted(all_dropped, key=lambda d: d.text.span)),
        repairs=tuple(sorted(all_repairs, key=lambda r: (r.span, r.rule))),
        notices=tuple(notices) + built.notices,
        blocks=built.flow,
        gaps=decisions,
        identity=identity,
    )


def detect_text(decoded: DecodedInput, path: Optional[Path] = None, plugins: Optional[Plugins] = None) -> PaperGuess:
    """Paper detection alone (``corepress detect``): the first stage of :func:`run_stages`."""
    plugins = plugins or get_plugins()
    blocks, _ = split_blocks(decoded.text, markdown=decoded.format == "markdown")
    source = Source(str(path) if path else None, "", decoded.encoding, decoded.format, len(decoded.text))
    view = PageView(text=decoded.text, source=source, blocks=tuple(blocks), paper=None, guess=None, papers=plugins.papers)
    scope = Scope()
    while True:
        try:
            return detect_paper(view, plugins, scope)
        except PluginFault as fault:  # detection without the failing plugin, as a parse would do
            scope = scope.without(fault.plugin)


# reading files -------------------------------------------------------------------------------
def read_input(path: Path, encoding: Optional[str] = None, plugins: Optional[Plugins] = None) -> DecodedInput:
    """Read a file through the registered input readers."""
    return decode_input(read_raw(path), path, encoding, plugins)


def read_raw(path: Path) -> bytes:
    """A page file's bytes, or :class:`InputError` naming it (a folder, unreadable)."""
    if path.is_dir():
        raise InputError(path, "is a directory, not a page")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None


def decode_input(raw: bytes, path: Path, encoding: Optional[str] = None, plugins: Optional[Plugins] = None) -> DecodedInput:
    """Turn a file's bytes into page text with the first input reader that accepts them.

    Readers whose suffixes match the file go first, then the others, each group by
    name.  A reader that returns ``None`` or raises :class:`InputError` passes the
    file on; when none accepts it, the first reader's error is raised.
    """
    plugins = plugins or get_plugins()
    readers = sorted(plugins.input_readers(), key=lambda r: (path.suffix.lower() not in r.suffixes, r.name))
    first_error: Optional[InputError] = None
    for reader in readers:
        try:
            decoded = reader.read(raw, encoding, path)
        except InputError as exc:  # this reader's "not mine", with its reason
            first_error = first_error or exc
            continue
        if decoded is not None:
            return decoded
    raise first_error or InputError(path, "no input reader accepts this file")


def reader_suffixes(plugins: Optional[Plugins] = None) -> Tuple[str, ...]:
    """Every file suffix a registered input reader claims (folders are walked for these)."""
    plugins = plugins or get_plugins()
    return tuple(sorted({s for r in plugins.input_readers() for s in r.suffixes}))


def parse_path(path: Path, options: ParseOptions = ParseOptions(), plugins: Optional[Plugins] = None) -> Page:
    """Read a file once, decode it through the input readers, and parse it."""
    return parse_bytes(read_raw(path), path, options, plugins)


def parse_bytes(raw: bytes, path: Path, options: ParseOptions = ParseOptions(), plugins: Optional[Plugins] = None) -> Page:
    """Decode a page file's bytes through the input readers and parse it (``path`` names it)."""
    decoded = decode_input(raw, path, options.encoding, plugins)
    return parse_text(decoded.text, path=path, encoding=decoded.encoding, fmt=decoded.format, options=options, plugins=plugins, raw=raw)
