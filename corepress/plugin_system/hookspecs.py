"""The hooks a corepress plugin can implement.

A plugin is a module (or object) with functions named like these specs and
decorated with :data:`corepress.hookimpl`, registered through the ``corepress``
entry-point group.  Two kinds of plugin exist:

* a **paper plugin** returns at least one :class:`~corepress.values.model.Paper` from
  :func:`corepress_papers`.  Its masthead, repair, classification and
  post-processing hooks are consulted *only* for pages detected as (or forced
  to) one of its papers;
* a **generic plugin** registers no paper; its hooks are consulted for every page.
  corepress's own rules (:mod:`corepress.rules`) are such a plugin.

Call order never matters: hooks that return lists are merged and sorted by a
key of their own (rule stage and name, vote weight and role), and hooks that
return one value are ``firstresult`` with the paper's own plugin ahead of the
generic fallback.
"""

from __future__ import annotations

# mypy: disable-error-code="empty-body"
# (hook specs are signatures with docstrings: pluggy never calls their bodies)
from typing import Any, Mapping, Optional, Sequence

import pluggy

from corepress.values.hooktypes import (
    InputReader,
    OutputWriter,
    PageView,
    RepairRule,
    SamplePage,
)
from corepress.values.model import Article, Block, Evidence, MastheadResult, Paper, Vote

PROJECT = "corepress"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def corepress_papers() -> Sequence[Paper]:
    """Register the newspapers this plugin knows.

    Return every :class:`~corepress.values.model.Paper` the plugin handles (most paper
    plugins return one).  The paper ``id`` is what users pass to ``--paper`` and
    what the JSON output names; ids must be unique across installed plugins, a
    clash is reported as an error when plugins load.

    Registering a paper makes the plugin a *paper plugin*: from then on its other
    hooks only run for pages of its papers, so a rule written for one paper can
    never disturb another.
    """


@hookspec
def corepress_detect_paper(page: PageView) -> Sequence[Evidence]:
    """Say how likely it is that ``page`` belongs to one of your papers.

    Called for every plugin on every page (``page.paper`` is still ``None``).
    Return :class:`~corepress.values.model.Evidence` items: a masthead name, a CN serial,
    place names and institutions the paper writes about, its lead formulas; a
    negative weight says the page looks like somebody else's.  corepress adds the
    weights per paper and turns the sum into a score ``1 - exp(-sum)``; the best
    score wins if it reaches the detection threshold, otherwise the page is
    *unknown* and only generic rules run.  Evidence should come from the page
    (so a page with no masthead can still be recognised from its content) and
    never from the file name.
    """


@hookspec(firstresult=True)
def corepress_masthead(page: PageView) -> Optional[MastheadResult]:
    """Find the masthead (报头) and the page furniture around it.

    ``page.blocks`` are the raw lines of the page.  Return a
    :class:`~corepress.values.model.MastheadResult` naming the block indices that belong
    to the masthead (they leave the article flow) with the typed facts read from
    them, and any adverts or badges in that area as dropped text; or ``None`` to
    let the next implementation try.  The detected paper's own implementation is
    asked first; corepress's generic parser is the fallback.  Build on
    :class:`corepress.rules.masthead.MastheadParser` rather than rewriting it.
    """


@hookspec
def corepress_repair_rules(page: PageView) -> Sequence[RepairRule]:
    """Contribute layout repair passes.

    Each :class:`~corepress.values.hooktypes.RepairRule` rewrites the flow of blocks
    (join a paragraph split by a column break, remove spaces that extraction put
    between CJK and digits, split a kicker printed on the title line...) and
    logs every change as a :class:`~corepress.values.model.Repair` with its span.  Rules
    of all consulted plugins run together sorted by ``(stage, name)``.  A rule must
    be idempotent: running it on its own output changes nothing.
    """


@hookspec
def corepress_classify_block(block: Block, position: int, page: PageView) -> Sequence[Vote]:
    """Vote on what a block is.

    ``page.blocks[position]`` is ``block``; neighbours are there to look at.
    Roles: ``text``, ``heading``, ``kicker``, ``subtitle``, ``column``, ``byline``,
    ``lead``, ``tail``, ``continued_from``, ``credit``, ``advert``, ``badge``,
    ``noise``.  A vote may carry markers (a lead formula at the start, a jump or
    author tail at the end) as offsets into the block.  The role with the highest
    weight wins (ties broken by role name), markers of all votes are merged, so
    the result never depends on plugin order.  Return an empty list to abstain.
    """


@hookspec
def corepress_finish_article(article: Article, page: PageView) -> Optional[Mapping[str, Any]]:
    """Post-process a finished article.

    Return a mapping of field updates (``kind``, ``flags``, ``confidence``,
    ``agency``...) or ``None``.  ``flags`` from all plugins are united; for any
    other field the paper's own plugin wins over generic ones, and two generic
    plugins that disagree produce a notice (the value of the first by name is kept).
    Fields whose text comes from the page cannot be changed here: the text itself
    is the repair rules' business.
    """


@hookspec
def corepress_input_readers() -> Sequence[InputReader]:
    """Add input formats: readers that turn a file's bytes into page text.

    corepress ships a reader for UTF-8/UTF-16/GB18030 text and Markdown.  A
    third-party package can add, say, an HTML or hOCR reader.
    """


@hookspec
def corepress_output_writers() -> Sequence[OutputWriter]:
    """Add output formats for ``corepress parse --format``.

    corepress ships ``json``, ``jsonl`` and ``markdown``.  Writer names must be
    unique; a clash is an error when plugins load.
    """


@hookspec
def corepress_sample_pages() -> Sequence[SamplePage]:
    """Name the sample pages (with expected pages) that ship with this plugin.

    The shared contract suite (``pytest -p corepress.plugin_system.contract``) parses each one
    and checks it against its expected page, detection, character accounting,
    idempotent repairs and schema validity.
    """
