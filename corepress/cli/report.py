"""``corepress report``: pages as one HTML file a person can check a parse by."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Tuple

import click

from corepress.cli.parse import EXIT_CODES, parsed_pages

EXIT_SOME_FAILED = 1
EXIT_ALL_FAILED = 2


class ReportError(click.ClickException):
    """An output that cannot be written: one line, exit code 2 (as every command's)."""

    exit_code = EXIT_ALL_FAILED


@click.command("report", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE", required=True,
              help="The HTML file to write (atomically: it is replaced only once complete).")
@click.option("--paper", metavar="ID", help="Force a paper id for every page (see `corepress papers`).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes for parsing (0: one per core).")
def report_command(paths: Tuple[Path, ...], output: Path, paper: Optional[str], jobs: int) -> None:
    """Write one self-contained HTML file showing how each page was parsed.

    Each page's source text is shown with every article's characters coloured and
    numbered, masthead lines marked, dropped text greyed (hover for the reason) and
    repairs marked (hover for what changed); a table lists each article's confidence
    and flags, and clicking an article shows its fields in the side panel.  The file
    loads nothing from anywhere.  Pages that cannot be parsed are reported on
    standard error in one line each and left out.
    """
    from corepress.corpus.batch import OutputError, atomic_write, output_target
    from corepress.report.render import write_report

    try:
        output_target(output)  # checked before any page is parsed
    except OutputError as exc:
        raise ReportError(str(exc)) from None
    pages, failed = parsed_pages(paths, paper=paper, jobs=jobs)
    if not pages:
        sys.exit(EXIT_ALL_FAILED)
    try:
        atomic_write(output, lambda fh: write_report(pages, fh))
    except (OutputError, OSError) as exc:
        raise ReportError(str(exc)) from None
    if failed:
        sys.exit(EXIT_SOME_FAILED)
