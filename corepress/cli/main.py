"""The ``corepress`` command line (also ``python -m corepress``)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import click

from corepress import __version__
from corepress.cli.evaluate import eval_command
from corepress.values.errors import InputError

EXIT_SOME_FAILED = 1
EXIT_ALL_FAILED = 2


def _fail(message: str, code: int = EXIT_ALL_FAILED) -> None:
    click.echo(f"corepress: error: {message}", err=True)
    sys.exit(code)


def _plugins():
    from corepress.plugin_system.manager import PluginError, get_plugins

    try:
        return get_plugins()
    except PluginError as exc:
        _fail(str(exc))


class CorepressGroup(click.Group):
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


@click.group(cls=CorepressGroup)
@click.version_option(__version__, prog_name="corepress")
def main() -> None:
    """Turn the text of Chinese newspaper pages into structured, traceable data."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--paper", metavar="ID", help="Force a paper id (see `corepress papers`); 'generic' uses generic rules only.")
@click.option("--format", "fmt", default="json", show_default=True, metavar="NAME", help="Output format: json, jsonl, markdown or one a plugin adds.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (atomically) instead of standard output.")
@click.option("--encoding", metavar="NAME", help="Force the input encoding (default: detect UTF-8/UTF-16/GB18030).")
@click.option("--normalize-brackets", is_flag=True, help="Rewrite half-width brackets in CJK text as full-width (logged as repairs).")
def parse(paths: Tuple[Path, ...], paper: Optional[str], fmt: str, output: Optional[Path], encoding: Optional[str], normalize_brackets: bool) -> None:
    """Parse pages (files, or folders of text and Markdown pages) and print structured output.

    A file that cannot be parsed is reported on standard error and skipped; the
    exit code is 1 when some files failed and 2 when none could be parsed.
    """
    from corepress.corpus.batch import Failure, atomic_write, parse_files

    plugins = _plugins()
    writers = plugins.output_writers()
    if fmt not in writers:
        _fail(f"unknown format {fmt!r} (known: {', '.join(sorted(writers))})")
    if paper and paper != "generic" and paper not in plugins.papers:
        _fail(f"unknown paper {paper!r} (known: {', '.join(sorted(plugins.papers)) or 'none installed'})")
    pages = []
    failed = 0
    try:
        for path, result in parse_files(paths, paper=paper, encoding=encoding, normalize_brackets=normalize_brackets):
            if isinstance(result, Failure):
                failed += 1
                click.echo(f"corepress: error: {result.message}", err=True)
                continue
            if not result.articles:
                click.echo(f"corepress: warning: {path}: no article found (masthead only)", err=True)
            pages.append(result)
    except InputError as exc:
        _fail(str(exc))
    if not pages:
        sys.exit(EXIT_ALL_FAILED)
    writer = writers[fmt]
    if output is not None:
        atomic_write(output, lambda fh: writer.write(pages, fh))
    else:
        buffer = io.StringIO()
        writer.write(pages, buffer)
        click.echo(buffer.getvalue(), nl=False)
    if failed:
        sys.exit(EXIT_SOME_FAILED)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--explain", is_flag=True, help="List the evidence behind each score.")
def detect(paths: Tuple[Path, ...], explain: bool) -> None:
    """Say which paper each page is, how sure, and the margin over the runner-up."""
    from corepress.corpus.batch import expand_paths
    from corepress.pipeline.pipeline import detect_text, read_input

    plugins = _plugins()
    failed = 0
    try:
        files = list(expand_paths(paths))
    except InputError as exc:
        _fail(str(exc))
    for path in files:
        try:
            decoded = read_input(path)
        except InputError as exc:
            failed += 1
            click.echo(f"corepress: error: {exc}", err=True)
            continue
        guess = detect_text(decoded, path, plugins)
        runner = guess.candidates[1] if len(guess.candidates) > 1 else None
        best = guess.candidates[0] if guess.candidates else None
        winner = guess.id or "unknown"
        row = f"{path}\t{winner}\t{guess.confidence:.2f}"
        if guess.id is None and best is not None:
            row += f"\t(best: {best[0]} {best[1]:.2f})"
        if runner is not None:
            row += f"\trunner-up: {runner[0]} {runner[1]:.2f}\tmargin: {guess.margin:.2f}"
        click.echo(row)
        if explain:
            for e in sorted(guess.evidence, key=lambda e: (e.paper, -e.weight)):
                click.echo(f"    {e.paper:<10} {e.weight:+.2f}  {e.reason}")
    if failed:
        sys.exit(EXIT_SOME_FAILED if failed < len(files) else EXIT_ALL_FAILED)


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
    from corepress.evaluation.evaluate import load_gold, page_text_for, pick_prediction, score_page
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


if __name__ == "__main__":  # pragma: no cover
    main()
