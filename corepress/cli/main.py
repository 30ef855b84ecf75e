"""The ``corepress`` command line (also ``python -m corepress``)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, List, NoReturn, Optional, Tuple

import click

from corepress._version import __version__
from corepress.cli.evaluate import eval_command
from corepress.cli.issue import issue_command
from corepress.cli.parse import EXIT_CODES, parse_options, parsed_pages, run_parse
from corepress.cli.report import report_command
from corepress.corpus import heap
from corepress.plugin_system.errors import PluginError
from corepress.values.errors import InputError, one_line

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_ALL_FAILED = 2
"""Also the exit code of a usage error and of an output that cannot be written."""

ONE_THREAD_PER_PROCESS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
"""Thread counts of the numerical libraries a plugin may use (numpy's BLAS), set to 1 for the
command's process unless the user set them.  The command parses one page at a time in each process
(``--jobs N``: N processes, which inherit them), so a library's own threads can only spin or take
another worker's core: OpenBLAS's pool, started with numpy, spun 0.1 s of CPU in every process
(corepress-learned multiplies 5 × 5 matrices), a tenth of the rules' time on 200 pages.  Set only
by the command: a program that imports corepress keeps its libraries as it set them."""



def _fail(message: str, code: int = EXIT_ALL_FAILED) -> NoReturn:
    click.echo(f"corepress: error: {one_line(message, limit=2000)}", err=True)
    sys.exit(code)


class _OneLineErrors(click.Group):
    """Every error is one line on standard error (``corepress: error: …``), never a traceback.

    Click's usage errors (a missing argument, an unknown option) are shown the same
    way, with a pointer to ``--help``, and exit with 2.
    """

    def main(self, args: Any = None, prog_name: Optional[str] = None, complete_var: Optional[str] = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        for name in ONE_THREAD_PER_PROCESS:  # before any plugin imports a numerical library
            os.environ.setdefault(name, "1")
        heap.hold_until_loaded()  # until the group's callback has loaded the plugins
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "corepress"
            _fail(f"{exc.format_message().rstrip('.')} (see '{where} --help')", exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("interrupted", 130)
        except PluginError as exc:  # strict mode: a misbehaving plugin stops the run, in one line
            _fail(str(exc))
        finally:
            heap.release()  # the collector as it was, whatever stopped the command before its plugins loaded
        sys.exit(rv if isinstance(rv, int) else EXIT_OK)


def _plugins():
    from corepress.plugin_system.manager import PluginError, get_plugins

    try:
        return get_plugins()
    except PluginError as exc:
        _fail(str(exc))


class CorepressGroup(_OneLineErrors):
    """The command group; plugins' commands (``corepress_register_commands``) are added on first need,
    so ``corepress parse`` loads plugins once, as it must anyway, and ``--version`` loads none."""

    _plugin_commands_loaded = False

    def _load_plugin_commands(self) -> None:
        if not self._plugin_commands_loaded:
            self._plugin_commands_loaded = True
            _plugins().register_commands(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            self._load_plugin_commands()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> List[str]:
        self._load_plugin_commands()
        return super().list_commands(ctx)


@click.group(cls=CorepressGroup, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="corepress")
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="A plugin that fails to load or misbehaves stops the run with a one-line error "
    "(as COREPRESS_STRICT_PLUGINS=1), instead of being left out with a notice.",
)
def main(strict_plugins: bool) -> None:
    """Turn the text of Chinese newspaper pages into structured, traceable data."""
    if strict_plugins:
        import os

        from corepress.plugin_system.manager import ENV_STRICT, reset_plugins

        os.environ[ENV_STRICT] = "1"
        reset_plugins()  # load them again, strictly
    _plugins()  # every command reads pages or lists plugins: loaded now, with the collector still held
    heap.plugins_loaded()


@main.command(epilog=EXIT_CODES)
@parse_options
def parse(**options: Any) -> None:
    """Parse pages (files, folders of text and Markdown pages, or - for standard input) and write structured output.

    Pages are written as they are parsed, so memory stays flat however many there
    are.  A path that cannot be parsed (missing, unreadable, not text, no page in
    it, past --page-timeout) is reported on standard error in one line (and in
    --errors) and skipped; the others are parsed and written.  The output is
    checked before any page is parsed.  At the end, one summary line: pages,
    failed, skipped.
    """
    sys.exit(run_parse(fail=_fail, plugins=_plugins(), **options))


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--explain", is_flag=True, help="List the evidence behind each score.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line and page: path, paper, name, "
              "confidence, margin, candidates and (with --explain) evidence.")
def detect(paths: Tuple[Path, ...], explain: bool, as_json: bool) -> None:
    """Say which paper each page is, how sure, and the margin over the runner-up.

    A path that cannot be read is reported on standard error in one line and skipped.
    """
    from corepress.corpus.batch import expand_each
    from corepress.pipeline.pipeline import detect_text, read_input, reader_suffixes
    from corepress.text_io.serialize import dumps

    plugins = _plugins()
    failed = done = 0
    for path, error in expand_each(paths, reader_suffixes(plugins)):
        if error is None:
            try:
                decoded = read_input(path, plugins=plugins)
            except InputError as exc:
                error = exc
        if error is not None:
            failed += 1
            click.echo(f"corepress: error: {error}", err=True)
            continue
        done += 1
        guess = detect_text(decoded, path, plugins)
        if as_json:
            record: dict = {"path": str(path), "paper": guess.id, "name": guess.name, "confidence": guess.confidence,
                            "margin": round(guess.margin, 4),
                            "candidates": [{"id": pid, "score": score} for pid, score in guess.candidates]}
            if explain:
                record["evidence"] = [{"paper": e.paper, "weight": e.weight, "reason": e.reason}
                                      for e in sorted(guess.evidence, key=lambda e: (e.paper, -e.weight))]
            click.echo(dumps(record))
            continue
        runner = guess.candidates[1] if len(guess.candidates) > 1 else None
        best = guess.candidates[0] if guess.candidates else None
        winner = guess.id or "unknown"
        row = f"{one_line(path)}\t{winner}\t{guess.confidence:.2f}"
        if guess.id is None and best is not None:
            row += f"\t(best: {best[0]} {best[1]:.2f})"
        if runner is not None:
            row += f"\trunner-up: {runner[0]} {runner[1]:.2f}\tmargin: {guess.margin:.2f}"
        click.echo(row)
        if explain:
            for e in sorted(guess.evidence, key=lambda e: (e.paper, -e.weight)):
                click.echo(f"    {e.paper:<10} {e.weight:+.2f}  {e.reason}")
    if failed:
        sys.exit(EXIT_SOME_FAILED if done else EXIT_ALL_FAILED)


@main.command("plugins")
@click.option("--all", "show_all", is_flag=True, help="Include corepress's built-in plugins.")
@click.option("--hook", metavar="NAME", help="Only plugins implementing this hook.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_cmd(show_all: bool, hook: Optional[str], as_json: bool) -> None:
    """List installed plugins with their version and the hooks they implement."""
    plugins = _plugins()
    rows = []
    for name in plugins.plugin_names():
        info = plugins.info[name]
        if info.builtin and not show_all:
            continue
        hooks = plugins.hooks_of(name)
        if hook and hook not in hooks:
            continue
        papers = sorted(pid for pid, owner in plugins.paper_owner.items() if owner == name)
        rows.append({"name": name, "version": info.version, "distribution": info.distribution, "builtin": info.builtin, "papers": papers, "hooks": hooks})
    failed = [{"name": name, "error": err} for name, err in sorted(plugins.failed.items())]
    failed += [{"name": name, "error": err} for name, err in sorted(plugins.hook_failures.items())]
    if as_json:
        click.echo(json.dumps({"plugins": rows, "failed": failed}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        owned = f" papers: {', '.join(row['papers'])}" if row["papers"] else ""
        click.echo(f"{row['name']} {row['version'] or ''} ({row['distribution'] or 'local'}){owned}")
        for h in row["hooks"]:
            click.echo(f"    {h}")
    for f in failed:
        click.echo(f"{f['name']} FAILED: {f['error']}")


@main.command()
def papers() -> None:
    """List the papers installed plugins know."""
    plugins = _plugins()
    for pid, paper in plugins.papers.items():
        click.echo(f"{pid}\t{paper.name}\t{paper.english_name or ''}\t{paper.cn or ''}\t{plugins.paper_owner[pid]}")


@main.command()
@click.argument("pred", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def score(pred: Path, gold: Path, as_json: bool) -> None:
    """Compare a parse (PRED.json) with a hand-made expected page or snippet gold (GOLD.json).

    PRED may hold several pages (a JSON list or JSON lines): the one whose source
    file is the gold's page is scored.  Any problem is one line and exit code 2.
    """
    from corepress.evaluation.evaluate import load_gold, score_page
    from corepress.evaluation.predictions import page_text_for, pick_prediction
    from corepress.evaluation.score import score as score_expected
    from corepress.evaluation.snippet import GoldError, SnippetGold

    try:
        gold_data = load_gold(gold)
        page = pick_prediction(pred, gold_data, gold)
        if isinstance(gold_data, SnippetGold):
            result = score_page(page, gold_data, page_text_for(page), page=str(pred), gold_path=str(gold))
            data, report = result.to_dict(misses=True), result.report()
        else:
            expected = score_expected(page, gold_data)
            data, report = expected.to_dict(), expected.report()
    except GoldError as exc:
        _fail(str(exc))
    except Exception as exc:  # no traceback for a file that is not what it should be
        _fail(f"cannot score {pred} against {gold}: {' '.join(f'{type(exc).__name__}: {exc}'.split())}")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(report)


ALIGN_FORMATS = ("json", "markdown", "html")
"""What ``align --format`` takes (without it: the one ``-o``'s suffix names, else json)."""


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--containment", type=click.FloatRange(0.0, 1.0), default=0.6, show_default=True,
              help="Share of the shorter article's 4-character shingles that must lie in the longer one.")
@click.option("--format", "fmt", type=click.Choice(ALIGN_FORMATS),
              help="Default: the one -o's suffix names (clusters.html, clusters.md), else json.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE", help="Write here (atomically) instead of standard output.")
@click.option("--paper", metavar="ID", help="Force a paper id for every page (see `corepress papers`).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True, help="Worker processes for parsing (0: one per core).")
@click.option("--report", "report_path", metavar="REPORT", help="With --format html: link each member and reading into "
              "REPORT, a `corepress report` of the same files (a path relative to the output).")
def align(paths: Tuple[Path, ...], containment: float, fmt: Optional[str], output: Optional[Path], paper: Optional[str], jobs: int,
          report_path: Optional[str]) -> None:
    """Find the same story across papers, pages and dates: clusters of reprints, cuts and their variants.

    Pages are parsed (unusable ones reported in one line each and skipped); every
    article of about 40 characters and more is compared by MinHash LSH, so a large corpus
    stays feasible; the longest member of a cluster is the reference, and each other
    member's short differences from it are listed with offsets into both pages.
    """
    from corepress.corpus.align import align as find_clusters
    from corepress.corpus.align import members_of, write_json, write_markdown
    from corepress.corpus.batch import OutputError, atomic_write, output_target
    from corepress.corpus.output import format_of_output

    fmt = fmt or format_of_output(output, ALIGN_FORMATS)
    try:
        import datasketch  # noqa: F401
    except ImportError:
        _fail("corepress align needs datasketch: pip install 'corepress[align]'")
    if output is not None:
        try:
            output_target(output)
        except OutputError as exc:
            _fail(str(exc))
    pages, failed = parsed_pages(paths, paper=paper, jobs=jobs)
    if not pages:
        sys.exit(EXIT_ALL_FAILED)
    clusters = find_clusters(members_of(pages), containment=containment)
    if fmt == "html":
        from corepress.report.clusters import html_writer

        write = html_writer(pages, report_path)
    else:
        write = write_json if fmt == "json" else write_markdown
    if output is not None:
        try:
            atomic_write(output, lambda fh: write(clusters, fh))
        except (OutputError, OSError) as exc:
            _fail(str(exc))
    else:
        write(clusters, sys.stdout)
    if failed:
        sys.exit(EXIT_SOME_FAILED)


@main.command("new-plugin")
@click.argument("name")
@click.option("--paper-name", required=True, help="The paper's Chinese name, e.g. 桂林晚报.")
@click.option("--paper-id", help="Paper id (default: NAME).")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True, help="Where to create the plugin folder.")
def new_plugin(name: str, paper_name: str, paper_id: Optional[str], directory: Path) -> None:
    """Write a complete, installable plugin distribution for a new paper."""
    from corepress.kit.scaffold import ScaffoldError, write_plugin

    try:
        target = write_plugin(directory, name, paper_name, paper_id)
    except ScaffoldError as exc:
        _fail(str(exc))
    click.echo(f"created {target}")
    click.echo(f"next: pip install -e {target} && pytest {target}")


main.add_command(eval_command)
main.add_command(report_command)
main.add_command(issue_command)


if __name__ == "__main__":  # pragma: no cover
    main()
