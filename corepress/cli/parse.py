"""``corepress parse``: a batch of pages, streamed from the engine to the output as they are parsed."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional, TextIO, Tuple

import click

from corepress.corpus.engines import DEFAULT_PAGE_TIMEOUT, Engine
from corepress.values.errors import InputError, one_line

EXIT_CODES = (
    "Exit codes: 0 all went well; 1 some inputs failed (each reported on standard error "
    "in one line, the others parsed); 2 none could be parsed, the command line is wrong, "
    "or the output cannot be written."
)
STDIN = "-"


class Report:
    """Failures, warnings, progress and the final summary, all on standard error.

    The progress bar (rate and time left) is drawn only when standard error is a
    terminal and ``--quiet`` is not given; errors are printed above it, one line each.
    """

    def __init__(self, total: int, quiet: bool, errors_file: Optional[TextIO]) -> None:
        self.total, self.quiet, self.errors_file = total, quiet, errors_file
        self.parsed = self.failed = self.skipped = 0
        self._progress: Any = None
        self._task: Any = None
        if not quiet and sys.stderr.isatty() and total > 1:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._task = self._progress.add_task("parse", total=total, rate="")
            self._progress.start()

    def _line(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(text, err=True)

    def _advance(self) -> None:
        if self._progress is not None:
            task = self._progress.tasks[0]
            speed = task.speed
            self._progress.update(self._task, advance=1, rate=f"{speed:.1f} pages/s" if speed else "")

    def failure(self, path: str, message: str) -> None:
        self.failed += 1
        self._line(f"corepress: error: {one_line(message, limit=2000)}")
        if self.errors_file is not None:
            self.errors_file.write(json.dumps({"path": path, "message": message}, ensure_ascii=False) + "\n")
            self.errors_file.flush()
        self._advance()

    def notice(self, message: str) -> None:
        """Information, not a problem (which engine runs the batch)."""
        if not self.quiet:
            self._line(f"corepress: {one_line(message, limit=2000)}")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._line(f"corepress: warning: {one_line(message, limit=2000)}")

    def done(self) -> None:
        self.parsed += 1
        self._advance()

    def skip(self) -> None:
        self.skipped += 1
        self._advance()

    def stop(self) -> None:
        """Take the progress bar off the terminal."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def close(self, interrupted: bool = False) -> None:
        """The summary line: pages, failed, skipped, and whether the batch ran to its end."""
        self.stop()
        if not self.quiet:
            n = self.parsed + self.failed + self.skipped
            state = "interrupted" if interrupted else "done"
            click.echo(f"corepress: {_count(n, 'page')}, {self.failed} failed, {self.skipped} skipped ({state})", err=True)


def parsed_pages(
    paths: Tuple[Path, ...], *, paper: Optional[str], jobs: int, page_from_name: Optional[str] = None
) -> Tuple[List[Any], List[Tuple[str, str]]]:
    """Every page parsed, for the commands that need them all at once (align, issue, report).

    A page that cannot be parsed is one line on standard error and a ``(path, message)``
    in the second list; the others go on.  ``jobs`` 0 means one worker per core.
    """
    from corepress.corpus.batch import Failure, parse_files
    from corepress.corpus.engines import cpu_count

    pages: List[Any] = []
    failed: List[Tuple[str, str]] = []
    workers = cpu_count() if jobs == 0 else jobs
    for path, result in parse_files(paths, paper=paper, page_from_name=page_from_name, jobs=workers):
        if isinstance(result, Failure):
            failed.append((str(path), result.message))
            click.echo(f"corepress: error: {one_line(result.message, limit=2000)}", err=True)
        else:
            pages.append(result)
    return pages, failed


def _count(n: int, word: str) -> str:
    return f"{n:,}".replace(",", " ") + f" {word}{'' if n == 1 else 's'}"


def _jobs_of(paths: Tuple[Path, ...], report_error: Any, suffixes: Tuple[str, ...]) -> List[Tuple[str, Optional[bytes]]]:
    """``(path, stdin bytes or None)`` for every page to parse; unusable paths reported."""
    from corepress.corpus.batch import expand_each

    found: List[Tuple[str, Optional[bytes]]] = []
    plain = [p for p in paths if str(p) != STDIN]
    if len(plain) < len(paths):
        found.append((STDIN, sys.stdin.buffer.read()))
    for path, error in expand_each(plain, suffixes):
        if error is not None:
            report_error(str(path), str(error))
        else:
            found.append((str(path), None))
    return found


def run_parse(paths: Tuple[Path, ...], *, paper: Optional[str], fmt: Optional[str], output: Optional[str], encoding: Optional[str],
              normalize_brackets: bool, page_from_name: Optional[str], jobs: int, engine: str, scheduler: Optional[str], page_timeout: float,
              resume: bool, errors: Optional[Path], quiet: bool, pages_csv: Optional[Path],
              fail: Any, plugins: Any) -> int:
    """The ``parse`` command's work; returns the exit code."""
    from corepress.corpus.batch import OutputError
    from corepress.corpus.engines import EngineError, Job, cpu_count, run_jobs
    from corepress.corpus.output import choose_sink, format_of_output, resume_key
    from corepress.pipeline.pipeline import read_raw, reader_suffixes
    from corepress.plugin_system.errors import PluginError
    from corepress.values.hooktypes import ParseOptions

    writers = plugins.output_writers()
    fmt = fmt or format_of_output(output, [*writers, "parquet"])
    if fmt not in writers and fmt != "parquet":
        fail(f"unknown format {fmt!r} (known: {', '.join(sorted([*writers, 'parquet']))})")
    if paper and paper != "generic" and paper not in plugins.papers:
        fail(f"unknown paper {paper!r} (known: {', '.join(sorted(plugins.papers)) or 'none installed'})")
    if sum(str(p) == STDIN for p in paths) > 1:
        fail("standard input ('-') can be read only once")
    try:
        sink = choose_sink(fmt, writers, output, sys.stdout, resume, pages_csv)
    except OutputError as exc:
        fail(str(exc))
    errors_file = None
    if errors is not None:
        from corepress.corpus.batch import output_target

        try:
            errors_file = open(output_target(errors), "a" if resume else "w", encoding="utf-8")
        except OutputError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{one_line(errors)}: cannot be written: {exc.strerror or exc}")

    pending: List[Tuple[str, str]] = []  # errors found before the report exists (bad paths)
    found = _jobs_of(paths, lambda path, message: pending.append((path, message)), reader_suffixes(plugins))
    report = Report(len(found) + len(pending), quiet, errors_file)
    for path, message in pending:
        report.failure(path, message)

    done = sink.done()
    producer = plugins.producer()
    options = ParseOptions(paper=paper, encoding=encoding, normalize_brackets=normalize_brackets, page_from_name=page_from_name)

    workers = cpu_count() if jobs == 0 else jobs
    chosen: Engine = "dask" if engine == "dask" else ("processes" if workers > 1 else "serial")

    def job_stream() -> Iterator[Job]:
        for index, (path, data) in enumerate(found):
            if data is None and chosen == "dask":
                # a cluster's workers need not see this machine's files: each page travels with its job
                try:
                    data = read_raw(Path(path))
                except InputError as exc:
                    report.failure(path, str(exc))
                    continue
            if done:
                try:
                    digest = hashlib.sha256(data if data is not None else Path(path).read_bytes()).hexdigest()
                except OSError:
                    digest = ""
                if resume_key(digest, producer) in done:
                    report.skip()
                    continue
            yield Job(index, path, options, render=sink.render, rows=sink.wants == "rows", data=data)

    outcomes = run_jobs(job_stream(), engine=chosen, workers=workers, timeout=page_timeout or None,
                        scheduler=scheduler, on_start=report.notice)

    def successes() -> Iterator[Any]:
        for outcome in outcomes:
            if outcome.fatal is not None:
                raise PluginError(outcome.fatal)
            if outcome.failure is not None:
                report.failure(outcome.path, outcome.failure)
                continue
            if outcome.articles == 0:
                report.warning(f"{one_line(outcome.path)}: no article found (a masthead or adverts only)")
            report.done()
            yield outcome

    problem: Optional[str] = None
    try:
        sink.write(successes())
    except OutputError as exc:
        problem = str(exc)
    except BrokenPipeError:  # `corepress parse … | head`: the reader has all it wants
        report.stop()
        sys.stderr.close()
        return 0
    except OSError as exc:
        problem = f"{one_line(output or '-')}: cannot be written: {exc.strerror or exc}"
    except EngineError as exc:  # --engine dask without Dask, a scheduler that cannot be reached
        problem = str(exc)
    finally:
        report.stop()  # a strict-mode plugin error passes on to the one-line handler
        if errors_file is not None:
            errors_file.close()
    if problem is not None:
        click.echo(f"corepress: error: {one_line(problem, limit=2000)}", err=True)
        report.close(interrupted=True)
        return 2
    report.close()
    if report.failed and not report.parsed and not report.skipped:
        return 2
    return 1 if report.failed else 0


PAGE_FROM_NAME_HELP = (
    "A regular expression with a group named 'page', searched in each file's name (without its folder) for the "
    "page's number when the page prints none; a group named 'name' gives the section name.  Default: "
    "…-p03.txt, YYYYMMDD-03-….txt, …_03.txt.")


def check_page_pattern(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[str]:
    """``--page-from-name`` must be a regular expression with a group named ``page``."""
    from corepress.text_io.page_numbers import check_name_pattern

    problem = None if value is None else check_name_pattern(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return value


def parse_options(command: Any) -> Any:
    """The options of ``corepress parse``, applied to ``command``."""
    options = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option("--paper", metavar="ID", help="Force a paper id (see `corepress papers`); 'generic' uses generic rules only."),
        click.option("--format", "fmt", metavar="NAME",
                     help="Output format: json, jsonl, markdown, csv (one row per article), parquet (a folder of "
                          "article and page tables), or one a plugin adds.  Default: the one -o's suffix names "
                          "(pages.jsonl, articles.csv, tables.parquet, pages.md), else json."),
        click.option("-o", "--output", type=click.Path(), metavar="PATH",  # a str: a trailing slash means a folder
                     help="Write here instead of standard output.  jsonl: lines written as pages finish; "
                          "json to a FOLDER/ (trailing slash or existing folder): one file per page; "
                          "parquet: a folder of part files; anything else: one file, replaced only once complete. "
                          "Regular files only; a symbolic link's target is replaced."),
        click.option("--encoding", metavar="NAME", help="Force the input encoding (default: detect UTF-8/UTF-16/GB18030)."),
        click.option("--normalize-brackets", is_flag=True, help="Rewrite half-width brackets in CJK text as full-width (logged as repairs)."),
        click.option("--page-from-name", metavar="REGEX", callback=check_page_pattern,
                     help=PAGE_FROM_NAME_HELP),
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
                     help="Worker processes (0: one per core).  The output is the same bytes for any number."),
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="local: this machine (--jobs); dask: a Dask cluster (needs corepress[dask])."),
        click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: the cluster's scheduler "
                     "(tcp://host:8786); without it a LocalCluster of --jobs workers is started."),
        click.option("--page-timeout", type=click.FloatRange(min=0), default=DEFAULT_PAGE_TIMEOUT, show_default=True,
                     metavar="SECONDS", help="A page taking longer is reported as failed and the batch goes on (0: no limit)."),
        click.option("--resume", is_flag=True, help="Skip pages the output already holds (same file contents, same "
                     "corepress and plugin versions); for jsonl, a json folder or parquet output."),
        click.option("--errors", type=click.Path(path_type=Path), metavar="FILE",
                     help="Also write each failure as a JSON line {path, message} to FILE."),
        click.option("--pages-csv", type=click.Path(path_type=Path), metavar="FILE",
                     help="With --format csv: also write one row per page to FILE."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, warnings or summary; errors only."),
    ]
    for option in reversed(options):
        command = option(command)
    return command
