"""``corepress issue``: pages put back together as issues, with 下转/上接 jumps stitched."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Tuple

import click

from corepress.cli.parse import EXIT_CODES, PAGE_FROM_NAME_HELP, check_page_pattern, parsed_pages
from corepress.values.errors import one_line

FORMATS = ("json", "jsonl", "markdown")
"""What ``--format`` takes (without it: the one ``-o``'s suffix names, else json)."""


class IssueCommandError(click.ClickException):
    """A command line or an output that cannot be used: one line, exit code 2."""

    exit_code = 2


@click.command("issue", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Write here (atomically: the file is replaced only once complete) instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="json: one corepress.issue/1 document; jsonl: one stitched article per line; markdown: for people.  "
                   "Default: the one -o's suffix names (issue.jsonl, issue.md), else json.")
@click.option("--page-from-name", metavar="REGEX", callback=check_page_pattern, help=PAGE_FROM_NAME_HELP)
@click.option("--paper", metavar="ID", help="Force a paper id for every page (see `corepress papers`).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes for parsing (0: one per core).")
def issue_command(paths: Tuple[Path, ...], output: Optional[Path], fmt: Optional[str], page_from_name: Optional[str],
                  paper: Optional[str], jobs: int) -> None:
    """Put pages back together as issues: grouped by paper and date, ordered by page number, every
    下转/上接 jump resolved to the article part it continues on and the parts stitched into one article.

    Each page's number is the one its page head prints (第3版, A3 要闻), else the one in its
    file name.  A jump that cannot be resolved (its page is missing, nothing there continues
    it, several articles fit equally) and a 上接 that no 下转 reaches are each one line on
    standard error and an entry of the issue's "unresolved" list; their parts stay apart.
    A page that cannot be parsed (missing, unreadable, empty) is one line on standard error,
    and the others go on.  Unresolved jumps do not change the exit code.
    """
    from corepress.corpus.batch import OutputError, atomic_write, output_target
    from corepress.corpus.issue import build_issues
    from corepress.corpus.issue_output import WRITERS
    from corepress.corpus.output import format_of_output

    if output is not None:
        try:
            output_target(output)
        except OutputError as exc:
            raise IssueCommandError(str(exc)) from None
    pages, failed = parsed_pages(paths, paper=paper, jobs=jobs, page_from_name=page_from_name)
    issues = build_issues(pages)
    for issue in issues:
        for problem in issue.unresolved:
            click.echo(f"corepress: unresolved: {one_line(problem.message, limit=2000)}", err=True)
    write = WRITERS[fmt or format_of_output(output, FORMATS)]
    if output is not None:
        try:
            atomic_write(output, lambda fh: write(issues, failed, fh))
        except (OutputError, OSError) as exc:
            raise IssueCommandError(str(exc)) from None
    else:
        write(issues, failed, sys.stdout)
    if failed:
        sys.exit(1 if pages else 2)

