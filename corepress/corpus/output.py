"""Where a batch's pages go, written as they arrive so memory stays flat in the number of pages.

Two kinds of output:

* **record streams**, which a killed batch leaves usable and ``--resume`` continues:
  JSON lines in one file (each line written whole and flushed), a folder with one
  JSON file per page (each file written atomically), and a folder of Parquet part
  files (each part written atomically);
* **single documents** (one JSON file, Markdown, CSV, a plugin's format), written
  through a temporary file renamed into place at the end, so they are whole or absent.

Every record names its source's SHA-256 and the versions that made it
(``producer``); ``--resume`` skips a page whose record has both.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
from pathlib import Path
from typing import AbstractSet, Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, TextIO, Tuple, Union

from corepress.corpus.batch import OutputError, atomic_write, output_target, signals_raise
from corepress.corpus.engines import Outcome
from corepress.values.hooktypes import OutputWriter
from corepress.values.model import Producer

ResumeKey = Tuple[str, str]
"""``(source sha256, producer as canonical JSON)``: a page already done by the same versions."""


def resume_key(sha256: str, producer: Any) -> ResumeKey:
    data = producer.to_dict() if isinstance(producer, Producer) else producer
    return sha256, json.dumps(data, sort_keys=True, ensure_ascii=False)


def _started(outcomes: Iterator[Outcome]) -> Optional[Iterator[Outcome]]:
    """The outcomes, or ``None`` when there are none: no page, no output file."""
    for first in outcomes:
        return itertools.chain((first,), outcomes)
    return None


class Sink:
    """Takes the successful outcomes of a batch, in order, and writes them."""

    wants = "page"  # what a worker should send back: "page", "chunk" (rendered by the writer) or "rows"
    render: Optional[str] = None  # with "chunk": the writer that renders each page in the worker
    _done: FrozenSet[ResumeKey] = frozenset()

    def done(self) -> AbstractSet[ResumeKey]:
        """Pages already in the output (only sinks that can resume find any)."""
        return self._done

    def write(self, outcomes: Iterator[Outcome]) -> None:
        raise NotImplementedError


class _WriterSink(Sink):
    """A sink that runs an output writer: a per-page writer renders each page in its worker."""

    def __init__(self, writer: OutputWriter) -> None:
        self.writer = writer
        self.wants = "chunk" if writer.per_page else "page"
        self.render = writer.name if writer.per_page else None


class TextSink(_WriterSink):
    """A writer's output to an open text stream (standard output, or a file opened for us)."""

    def __init__(self, writer: OutputWriter, stream: TextIO) -> None:
        super().__init__(writer)
        self.stream = stream

    def write(self, outcomes: Iterator[Outcome]) -> None:
        started = _started(outcomes)
        if started is None:
            return
        if self.writer.per_page:
            for outcome in started:
                self.stream.write(outcome.chunk or "")
                self.stream.flush()
        else:
            self.writer.write((o.page for o in started if o.page is not None), self.stream)
            self.stream.flush()


class DocumentSink(_WriterSink):
    """A single-document output file: complete, or not there (the old file left untouched)."""

    def __init__(self, writer: OutputWriter, target: Path) -> None:
        super().__init__(writer)
        self.target = target

    def write(self, outcomes: Iterator[Outcome]) -> None:
        started = _started(outcomes)
        if started is not None:
            atomic_write(self.target, lambda fh: TextSink(self.writer, fh).write(started))


class CsvSink(Sink):
    """``--format csv``: article rows (and page rows to a second file on request), as single documents."""

    wants = "rows"

    def __init__(self, target: Optional[Path], stream: Optional[TextIO], pages_target: Optional[Path]) -> None:
        self.target, self.stream, self.pages_target = target, stream, pages_target

    def write(self, outcomes: Iterator[Outcome]) -> None:
        from corepress.text_io.tables import ARTICLE_COLUMNS, PAGE_COLUMNS, write_csv_rows

        page_rows: List[Dict[str, Any]] = []  # small (one short row a page) and needed only at the end
        started = _started(outcomes)
        if started is None:
            return

        def rows() -> Iterator[Dict[str, Any]]:
            for outcome in started:
                articles, page = outcome.rows
                if self.pages_target is not None:
                    page_rows.append(page)
                yield from articles

        if self.target is not None:
            atomic_write(self.target, lambda fh: write_csv_rows(rows(), ARTICLE_COLUMNS, fh))
        else:
            assert self.stream is not None
            write_csv_rows(rows(), ARTICLE_COLUMNS, self.stream)
            self.stream.flush()
        if self.pages_target is not None:
            atomic_write(self.pages_target, lambda fh: write_csv_rows(page_rows, PAGE_COLUMNS, fh))


class JsonLinesSink(Sink):
    """``--format jsonl -o FILE``: one line per page, each written whole and flushed.

    A killed batch leaves every finished page; ``--resume`` drops a last line cut
    short, keeps the rest, and appends.  Without ``--resume`` the file starts empty.
    """

    wants = "chunk"

    def __init__(self, writer: OutputWriter, target: Path, resume: bool) -> None:
        self.writer, self.target, self.resume = writer, output_target(target), resume
        self.render = writer.name
        self._keep = 0  # bytes of complete lines to keep
        if resume and self.target.exists():
            self._scan()

    def _scan(self) -> None:
        done = set()
        with open(self.target, "rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break  # a line cut short by a kill: dropped, its page parsed again
                try:
                    record = json.loads(line)
                    ours = str(record.get("schema", "")).startswith("corepress.page/")
                except (ValueError, AttributeError):
                    ours = False
                if not ours:
                    raise OutputError(self.target, "--resume: a line is not a corepress page record; "
                                                   "refusing to append to it")
                if isinstance(record.get("producer"), dict):  # older records name no producer: parsed again
                    done.add(resume_key(record.get("source", {}).get("sha256", ""), record["producer"]))
                self._keep += len(line)
        self._done = frozenset(done)

    def write(self, outcomes: Iterator[Outcome]) -> None:
        started = _started(outcomes)
        if started is None and not self._keep:
            return
        with open(self.target, "r+" if self.resume and self.target.exists() else "w", encoding="utf-8", newline="\n") as fh:
            fh.truncate(self._keep)
            fh.seek(self._keep)
            for outcome in started or ():
                fh.write(outcome.chunk or "")
                fh.flush()


class FolderSink(Sink):
    """``-o FOLDER/`` with ``--format json``: one file per page, ``<stem>.<sha256[:12]>.json``, each atomic."""

    wants = "chunk"

    def __init__(self, writer: OutputWriter, folder: Path, resume: bool) -> None:
        self.writer, self.folder = writer, _output_folder(folder, "is not a folder")
        self.render = writer.name
        if resume and folder.is_dir():
            done = set()
            for path in folder.glob("*.json"):
                try:
                    record = json.loads(path.read_text(encoding="utf-8"))
                    done.add(resume_key(record["source"]["sha256"], record["producer"]))
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # not one of ours, or damaged: its page is parsed again
            self._done = frozenset(done)

    @staticmethod
    def name_for(outcome: Outcome) -> str:
        stem = Path(outcome.path).stem or "page"
        return f"{stem}.{(outcome.sha256 or '')[:12]}.json"

    def write(self, outcomes: Iterator[Outcome]) -> None:
        started = _started(outcomes)
        if started is None:
            return
        self.folder.mkdir(exist_ok=True)
        for outcome in started:
            chunk = outcome.chunk or ""
            atomic_write(self.folder / self.name_for(outcome), _writes(chunk))


class ParquetSink(Sink):
    """``--format parquet -o FOLDER``: ``articles/part-NNNNN.parquet`` and ``pages/part-NNNNN.parquet``.

    A part holds up to ``pages_per_part`` pages or about ``chars_per_part`` characters of
    article text, whichever comes first (so memory stays bounded), and is written atomically, so a
    killed batch keeps every finished part; ``--resume`` reads the pages parts to
    find what is done and numbers new parts after the last.
    """

    wants = "rows"

    def __init__(self, folder: Path, resume: bool, pages_per_part: int = 1000, chars_per_part: int = 500_000) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise OutputError(folder, "--format parquet needs pyarrow: pip install 'corepress[parquet]'") from None
        _output_folder(folder, "is not a folder (--format parquet writes a folder of part files)")
        self.folder, self.pages_per_part, self.chars_per_part = folder, pages_per_part, chars_per_part
        self._next = 0
        pages = folder / "pages"
        if pages.is_dir():
            parts = sorted(pages.glob("part-*.parquet"))
            if parts and not resume:
                raise OutputError(folder, "already holds Parquet parts; add --resume to continue it, or choose an empty folder")
            for part in parts:
                self._next = max(self._next, int(part.stem.split("-")[1]) + 1)
            if resume and parts:
                import pyarrow.parquet as pq

                done = set()
                for part in parts:
                    table = pq.read_table(part, columns=["source_sha256", "producer"])
                    for sha, producer in zip(table.column(0).to_pylist(), table.column(1).to_pylist()):
                        done.add(resume_key(sha, json.loads(producer)))
                self._done = frozenset(done)

    def write(self, outcomes: Iterator[Outcome]) -> None:
        articles: List[Dict[str, Any]] = []
        pages: List[Dict[str, Any]] = []
        chars = 0  # article text held: a part is written before it costs much memory
        for outcome in outcomes:
            page_articles, page = outcome.rows
            articles.extend(page_articles)
            pages.append(page)
            chars += sum(len(row["text"]) for row in page_articles)
            if len(pages) >= self.pages_per_part or chars >= self.chars_per_part:
                self._flush(articles, pages)
                articles, pages, chars = [], [], 0
        if pages:
            self._flush(articles, pages)

    def _flush(self, articles: List[Dict[str, Any]], pages: List[Dict[str, Any]]) -> None:
        from corepress.text_io.tables import ARTICLE_COLUMNS, PAGE_COLUMNS

        name = f"part-{self._next:05d}.parquet"
        self._next += 1
        # articles first: a part is done once its pages part exists (what --resume reads)
        for sub, rows, columns in (("articles", articles, ARTICLE_COLUMNS), ("pages", pages, PAGE_COLUMNS)):
            folder = self.folder / sub
            folder.mkdir(parents=True, exist_ok=True)
            _atomic_binary(folder / name, functools.partial(_parquet_to, rows, columns))


def _output_folder(folder: Path, not_a_folder: str) -> Path:
    """``folder`` when a folder output can go there (it is one, or its parent is), else :class:`OutputError`."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, not_a_folder)
    if not folder.parent.is_dir():
        raise OutputError(folder, f"cannot be written: folder {folder.parent} does not exist")
    return folder


def _writes(chunk: str) -> Callable[[TextIO], None]:
    def write(fh: TextIO) -> None:
        fh.write(chunk)

    return write


def _parquet_to(rows: List[Dict[str, Any]], columns: Any, target: str) -> None:
    from corepress.text_io.tables import write_parquet

    write_parquet(rows, columns, target)


def _atomic_binary(target: Path, write: Callable[[str], None]) -> None:
    """As :func:`~corepress.corpus.batch.atomic_write`, for a file a library writes by name (SIGTERM and SIGHUP too)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with signals_raise():
        try:
            write(str(tmp))
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise


def is_folder_target(target: str) -> bool:
    """``-o`` names a folder: it is one, or it is written with a trailing slash."""
    return target.endswith(("/", os.sep)) or Path(target).is_dir()


SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".htm": "html"}
"""Suffixes of ``-o`` that name a format other than by its own name (``.jsonl``, ``.csv``, ``.json``,
``.parquet`` and ``.html`` name theirs)."""


def format_of_output(given: Optional[Union[str, Path]], known: Iterable[str]) -> str:
    """The format a command writes when ``--format`` is not given: the one of ``known`` that ``-o``'s
    suffix names (``pages.jsonl``: JSON lines; ``articles.csv``: the article table; ``clusters.html``:
    a web page), else ``json``.  Writing a JSON document into a file named ``.jsonl`` or ``.html``
    would surprise every reader of it (and ``--resume`` could not continue it)."""
    if given is None:
        return "json"
    suffix = Path(str(given).rstrip("/" + os.sep)).suffix.lower()
    named = SUFFIX_FORMATS.get(suffix, suffix[1:])
    return named if named and named in set(known) else "json"


def choose_sink(fmt: str, writers: Dict[str, OutputWriter], given: Optional[str], stdout: TextIO,
                resume: bool, pages_csv: Optional[Path]) -> Sink:
    """The sink for ``--format``/``-o``/``--resume``; raises :class:`OutputError` for a combination that cannot work."""
    output = Path(given) if given is not None else None
    if fmt == "parquet":
        if output is None:
            raise OutputError("-", "--format parquet writes a folder: give it with -o FOLDER")
        return ParquetSink(output, resume)
    if fmt == "csv":
        if resume:
            raise OutputError(output or "-", "--resume continues jsonl, a folder of json, or parquet output; csv is one document")
        if pages_csv is not None:
            output_target(pages_csv)
        return CsvSink(output_target(output) if output else None, None if output else stdout, pages_csv)
    writer = writers[fmt]
    if given is not None and output is not None and is_folder_target(given) and (fmt == "json" or given.endswith(("/", os.sep))):
        if fmt != "json":
            raise OutputError(output, "is a folder; only --format json (one file per page) or parquet write folders")
        return FolderSink(writer, output, resume)
    if output is not None and fmt == "jsonl":
        return JsonLinesSink(writer, output, resume)
    if resume:
        raise OutputError(output or "-", "--resume needs -o with --format jsonl, a folder with --format json, or parquet")
    if output is not None:
        output_target(output)
        return DocumentSink(writer, output)
    return TextSink(writer, stdout)

