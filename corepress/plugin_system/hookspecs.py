"""The hooks a corepress plugin can implement.

A plugin is a module (or object) with functions named like these specs and
decorated with :data:`corepress.api.hookimpl`, registered through the ``corepress``
entry-point group.  Two kinds of plugin exist:

* a **paper plugin** returns at least one :class:`~corepress.api.Paper` from
  :func:`corepress_papers`.  Its masthead, repair, classification, gap-scoring and
  post-processing hooks are consulted *only* for pages detected as (or forced
  to) one of its papers;
* a **generic plugin** registers no paper; its hooks are consulted for every page.
  corepress's own rules (:mod:`corepress.rules`) are such a plugin, and so is a
  statistical boundary model.

Call order never changes a result: list-returning hooks are merged by a rule of
their own (rules sorted by stage and name; votes and gap scores summed), and the
one ``firstresult`` hook (:func:`corepress_masthead`) asks the paper's own plugin
before the generic fallback.  Every result is checked against its declared type
before corepress uses it: a plugin that raises or returns something malformed is
reported in a ``plugin_failed`` notice and the page is parsed again as if that
plugin were absent (``COREPRESS_STRICT_PLUGINS=1`` makes it an error instead).
Wrapper implementations (``hookwrapper=True`` / ``wrapper=True``) are refused when
the plugin is registered: a wrapper sees every other plugin's result and could
make the outcome depend on who else is installed.
"""

from __future__ import annotations

# mypy: disable-error-code="empty-body"
# (hook specs are signatures with docstrings: pluggy never calls their bodies)
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Tuple

import pluggy

from corepress.values.hooktypes import InputReader, OutputWriter, PageView, RepairRule, SamplePage
from corepress.values.model import Article, Block, Evidence, MastheadResult, Paper
from corepress.values.scores import GapDecision, GapScore, RoleScores, Vote

if TYPE_CHECKING:  # pragma: no cover
    import click

PROJECT = "corepress"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def corepress_papers() -> Sequence[Paper]:
    """Register the newspapers this plugin knows.

    Registering a paper makes the plugin a *paper plugin*: from then on its other
    page hooks only run for pages of its papers, so a rule written for one paper
    can never disturb another.  Paper ids must be unique across installed plugins;
    a clash is an error when plugins load.

    :return: every :class:`~corepress.api.Paper` the plugin handles (most return one).
    """


@hookspec
def corepress_detect_paper(page: PageView) -> Sequence[Evidence]:
    """Say how likely it is that ``page`` belongs to one of your papers.

    Called for every plugin on every page.  corepress adds the weights per paper
    and turns the sum into a score ``1 - exp(-sum)``; the best score wins if it
    reaches the detection threshold, otherwise the page is *unknown* and only
    generic plugins run.  Evidence should come from the page, never from the file name.

    :param page: the page with its raw lines as ``page.blocks``; ``page.paper`` is ``None``.
    :return: :class:`~corepress.api.Evidence` items; a negative weight says the page
        looks like somebody else's.
    """


@hookspec(firstresult=True)
def corepress_masthead(page: PageView) -> Optional[MastheadResult]:
    """Find the masthead (报头) and the page furniture around it.

    Stops at the first non-``None`` result: the detected paper's own plugin is asked
    first, corepress's generic parser last.  Build on
    :class:`corepress.api.MastheadParser` rather than rewriting it.

    :param page: the page with its raw lines as ``page.blocks``.
    :return: a :class:`~corepress.api.MastheadResult` naming the block indices that
        belong to the masthead (they leave the article flow) with the typed facts read
        from them and any adverts or badges there as dropped text; or ``None``.
    """


@hookspec
def corepress_repair_rules(page: PageView) -> Sequence[RepairRule]:
    """Contribute layout repair passes that rewrite text inside blocks.

    Each :class:`~corepress.api.RepairRule` rewrites the flow of blocks (remove
    spaces extraction put between CJK and digits, split a kicker printed on the
    title line…) and logs every change as a :class:`~corepress.api.Repair`.  Rules of
    all consulted plugins run together sorted by ``(stage, name)``; each rule's
    outcome is checked character by character (nothing lost, duplicated or
    changed without a logged repair).  A rule must be idempotent.  Joining blocks
    split by a column break is not a repair rule: it is the ``join`` label of
    :func:`corepress_score_gaps`, decided once with every other boundary.

    :param page: the page with the flow (masthead lines removed) as ``page.blocks``.
    :return: the rules to run.
    """


@hookspec
def corepress_classify_block(block: Block, position: int, page: PageView) -> Sequence[Vote]:
    """Vote on what a block is.

    Called once per block of the repaired flow.  Votes of every consulted plugin are
    combined by :func:`corepress.pipeline.classify.combine_votes`: per role, each
    plugin counts with its strongest vote and the counts are summed; the role with
    the highest total wins (ties by role name).  Marks of the votes for the winning
    role and for ``text`` are merged (overlaps keep the longest).

    :param block: the block to judge; ``page.blocks[position] is block``.
    :param position: its index in the flow, to look at its neighbours.
    :param page: the page with the repaired flow as ``page.blocks``.
    :return: :class:`~corepress.api.Vote` s (an empty list abstains); roles come from
        :class:`~corepress.api.Role`, marks carry offsets into ``block.text``.
    """


@hookspec
def corepress_score_gaps(page: PageView, roles: Tuple[RoleScores, ...]) -> Sequence[GapScore]:
    """Score the gaps between neighbouring blocks: join, same article or new article.

    Gap ``i`` lies between ``page.blocks[i]`` and ``page.blocks[i + 1]``.  Each
    :class:`~corepress.api.GapScore` is evidence in log-odds for one label; corepress
    sums the evidence of every rule of every consulted plugin per gap and label, adds
    the priors and decodes the page (:mod:`corepress.pipeline.decode`).  Strong
    formulas should score 10 or more so that weak statistical evidence cannot
    overrule them.  With no scorer at all, the decoder still groups a page plainly.

    :param page: the page with the repaired flow as ``page.blocks``.
    :param roles: the classification of every block, aligned with ``page.blocks``.
    :return: gap scores (an empty list abstains).
    """


@hookspec
def corepress_rescore_gaps(page: PageView, roles: Tuple[RoleScores, ...], evidence: Tuple[GapDecision, ...]) -> Sequence[GapScore]:
    """Score the gaps again, knowing what every :func:`corepress_score_gaps` said: a second stage.

    A model that learns how far to trust each rule needs to see the rules' evidence
    (GROBID's cascade does the same: each model reads the one below).  This hook is
    called after the first-stage scores are summed and decoded, with that decoding
    as ``evidence``; the scores it returns are added to the first-stage scores and
    the page is decoded again.  No second-stage plugin sees another's scores, so the
    call order never changes a result.  Not called when no plugin implements it, nor
    on a page with fewer than two blocks.

    A second-stage scorer should keep its contribution smaller than the rules' strong
    formulas (10 and more), so that a lead, a byline or a closing dateline stands.

    :param page: the page with the repaired flow as ``page.blocks``.
    :param roles: the classification of every block, aligned with ``page.blocks``.
    :param evidence: per gap, the first stage's decision: the label it would take,
        the summed log-odds of every label (priors included) and the rules that
        spoke for the winning label.
    :return: gap scores (an empty list abstains).
    """


@hookspec
def corepress_finish_article(article: Article, page: PageView) -> Optional[Mapping[str, Any]]:
    """Post-process a finished article.

    ``flags`` from all plugins are united; for any other field the paper's own
    plugin wins over generic ones, and two generic plugins that disagree produce a
    notice (the value of the first by name is kept).  Fields whose text comes from
    the page cannot be changed here.

    :param article: the article as assembled.
    :param page: the page with the repaired flow as ``page.blocks``.
    :return: field updates (``kind``, ``flags``, ``confidence``, ``agency``…) or
        ``None``; each value is checked against the field's type and range.
    """


@hookspec
def corepress_input_readers() -> Sequence[InputReader]:
    """Add input formats: readers that turn a file's bytes into page text.

    corepress ships a reader for UTF-8/UTF-16/GB18030 text and Markdown.

    :return: :class:`~corepress.api.InputReader` s, tried by suffix match, then by name.
    """


@hookspec
def corepress_output_writers() -> Sequence[OutputWriter]:
    """Add output formats for ``corepress parse --format``.

    corepress ships ``json``, ``jsonl``, ``markdown`` and ``csv``, and ``parquet`` is
    built into ``corepress parse``.  Writer names must be unique and none of these; a
    clash is an error when plugins load.

    :return: :class:`~corepress.api.OutputWriter` s.
    """


@hookspec
def corepress_sample_pages() -> Sequence[SamplePage]:
    """Name the sample pages (with expected pages) that ship with this plugin.

    The shared contract suite parses each one and checks it against its expected
    page, detection, character accounting, idempotent repairs and schema validity.

    :return: :class:`~corepress.api.SamplePage` s.
    """


@hookspec
def corepress_register_commands(cli: "click.Group") -> None:
    """Add subcommands to the ``corepress`` command line.

    Called once when the command line starts, for every plugin (as llm and
    datasette do): ``@cli.command()`` inside the implementation defines a command.
    A plugin whose registration fails, or whose command name is taken, is skipped
    with a one-line warning.

    :param cli: the ``corepress`` click group.
    """
