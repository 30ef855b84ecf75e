"""The parse pipeline, stage by stage.

decode → normalise newlines → blocks → detect paper → masthead → layout repair
→ classify blocks → group into articles → post-process → :class:`~corepress.values.model.Page`.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import attrs

from corepress.pipeline.assemble import Classified, Segmenter, confidence
from corepress.plugin_system.manager import Plugins, get_plugins
from corepress.text_io.reading import split_blocks
from corepress.values.errors import InputError
from corepress.values.hooktypes import DecodedInput, PageView, ParseOptions, RepairRule
from corepress.values.model import (
    Article,
    Block,
    Dropped,
    Evidence,
    MastheadResult,
    Notice,
    Page,
    PaperGuess,
    Repair,
    Source,
    Vote,
)

DETECTION_THRESHOLD = 0.6
"""A paper must score at least this (``1 - exp(-sum of evidence)``) to be chosen."""

GENERIC = "generic"


def read_input(path: Path, encoding: Optional[str] = None, plugins: Optional[Plugins] = None) -> DecodedInput:
    """Read a file through the registered input readers.

    Readers whose suffixes match the file go first, then the others, each group by
    name.  A reader that returns ``None`` or raises :class:`InputError` passes the
    file on; when none accepts it, the first reader's error is raised.
    """
    return decode_input(_read_raw(path), path, encoding, plugins)


def _read_raw(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(path, "is a directory, not a page")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None


def decode_input(raw: bytes, path: Path, encoding: Optional[str] = None, plugins: Optional[Plugins] = None) -> DecodedInput:
    """Turn a file's bytes into page text with the first input reader that accepts them."""
    plugins = plugins or get_plugins()
    readers = [reader for _, reader in plugins.collect("corepress_input_readers", scoped=False)]
    readers.sort(key=lambda r: (path.suffix.lower() not in r.suffixes, r.name))
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
    found = {s for _, r in plugins.collect("corepress_input_readers", scoped=False) for s in r.suffixes}
    return tuple(sorted(found))


def parse_path(path: Path, options: ParseOptions = ParseOptions(), plugins: Optional[Plugins] = None) -> Page:
    """Read a file once, decode it through the input readers, and parse it."""
    raw = _read_raw(path)
    decoded = decode_input(raw, path, options.encoding, plugins)
    return parse_text(
        decoded.text, path=path, encoding=decoded.encoding, fmt=decoded.format, options=options, plugins=plugins, raw=raw
    )


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
    """Parse already-decoded page text (newlines are normalised here)."""
    from corepress.text_io.reading import guess_format, normalise_newlines

    plugins = plugins or get_plugins()
    text = normalise_newlines(text)
    fmt = fmt or guess_format(text, path)
    digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
    source = Source(path=str(path) if path else None, sha256=digest, encoding=encoding, format=fmt, length=len(text))
    return _Run(text, source, options, plugins).page()


class _Run:
    """One page going through the stages; each stage is a method."""

    def __init__(self, text: str, source: Source, options: ParseOptions, plugins: Plugins) -> None:
        self.text = text
        self.source = source
        self.options = options
        self.plugins = plugins
        self.notices: List[Notice] = []
        self.repairs: List[Repair] = []
        self.dropped: List[Dropped] = []

    def view(self, blocks: Sequence[Block], guess: Optional[PaperGuess], with_roles: bool = False) -> PageView:
        paper = self.plugins.papers.get(guess.id) if guess and guess.id else None
        view = PageView(
            text=self.text,
            source=self.source,
            blocks=tuple(blocks),
            paper=paper,
            guess=guess,
            papers=self.plugins.papers,
            options=self.options,
        )
        if with_roles and guess is not None:
            view = attrs.evolve(view, role_of=lambda block, position: self.classify_one(block, position, view, guess).role)
        return view

    def page(self) -> Page:
        blocks, invisible = split_blocks(self.text, markdown=self.source.format == "markdown")
        self.repairs.extend(invisible)
        if not blocks:
            self.notices.append(Notice("error", "empty_page", "the page has no text"))
        guess = self.detect(blocks)
        masthead = self.masthead(blocks, guess)
        claimed = set(masthead.claimed) if masthead else set()
        flow = tuple(b for b in blocks if b.index not in claimed)
        flow = self.repair(flow, guess)
        classified = self.classify(flow, guess)
        segmenter = Segmenter()
        segmenter.run(classified)
        self.dropped.extend(segmenter.dropped)
        self.notices.extend(segmenter.notices)
        articles = [self.finish(a, flow, guess) for a in segmenter.articles_out()]
        if not articles:
            self.notices.append(Notice("warning", "no_articles", "no article was found on the page"))
        self.dropped.sort(key=lambda d: d.text.span)
        self.repairs.sort(key=lambda r: (r.span, r.rule))
        return Page(
            source=self.source,
            text=self.text,
            paper=guess,
            masthead=masthead.masthead if masthead else None,
            articles=tuple(articles),
            dropped=tuple(self.dropped),
            repairs=tuple(self.repairs),
            notices=tuple(self.notices),
            blocks=flow,
        )

    # stages ----------------------------------------------------------------------------
    def detect(self, blocks: Sequence[Block]) -> PaperGuess:
        return detect_paper(self.text, self.source, blocks, self.plugins, self.options, self.notices)

    def masthead(self, blocks: Sequence[Block], guess: PaperGuess) -> Optional[MastheadResult]:
        view = self.view(blocks, guess)
        results = self.plugins.call(
            "corepress_masthead", paper=guess.id, notices=self.notices, firstresult=True, page=view
        )
        if not results:
            return None
        result: MastheadResult = results[0][1]
        self.dropped.extend(result.dropped)
        self.repairs.extend(result.repairs)
        self.notices.extend(result.notices)
        return result

    def repair(self, flow: Tuple[Block, ...], guess: PaperGuess) -> Tuple[Block, ...]:
        view = self.view(flow, guess)
        rules: List[Tuple[str, RepairRule]] = self.plugins.collect(
            "corepress_repair_rules", paper=guess.id, notices=self.notices, page=view
        )
        for plugin_name, rule in sorted(rules, key=lambda pair: (pair[1].stage, pair[1].name, pair[0])):
            try:
                outcome = rule.apply(flow, self.view(flow, guess, with_roles=True))
            except Exception as exc:  # noqa: BLE001 - a broken rule must not lose the page
                if self.plugins.strict:
                    raise
                self.notices.append(
                    Notice("error", "plugin_failed", f"plugin {plugin_name!r} failed in repair rule {rule.name!r}: {type(exc).__name__}: {exc}")
                )
                continue
            flow = outcome.blocks
            self.repairs.extend(outcome.repairs)
            self.dropped.extend(outcome.dropped)
            self.notices.extend(outcome.notices)
        return flow

    def classify(self, flow: Tuple[Block, ...], guess: PaperGuess) -> List[Classified]:
        view = self.view(flow, guess)
        return [self.classify_one(block, position, view, guess) for position, block in enumerate(flow)]

    def classify_one(self, block: Block, position: int, view: PageView, guess: PaperGuess) -> Classified:
        votes: List[Vote] = [
            vote
            for _, vote in self.plugins.collect(
                "corepress_classify_block",
                paper=guess.id,
                notices=self.notices,
                block=block,
                position=position,
                page=view,
            )
        ]
        return merge_votes(block, votes)

    def finish(self, article: Article, flow: Tuple[Block, ...], guess: PaperGuess) -> Article:
        view = self.view(flow, guess)
        results = self.plugins.call(
            "corepress_finish_article", paper=guess.id, notices=self.notices, article=article, page=view
        )
        return apply_updates(article, results, self.plugins, self.notices)


def merge_votes(block: Block, votes: Sequence[Vote]) -> Classified:
    """The heaviest vote's role wins (ties: role name); markers of all votes are merged.

    Overlapping markers keep the longest (then the first by kind), so two plugins
    that see the same lead agree on one marker, whatever their order.
    """
    if not votes:
        return Classified(block=block, role="text")
    best = max(votes, key=lambda v: (v.weight, v.role))
    markers = sorted(
        {(m[0], m[1], m[2]): m for v in votes if v.role == best.role or v.role == "text" for m in v.markers}.values(),
        key=lambda m: (-(m[2] - m[1]), m[0], m[1]),
    )
    chosen: List[Any] = []
    for m in markers:
        if all(m[2] <= c[1] or m[1] >= c[2] for c in chosen):
            chosen.append(m)
    chosen.sort(key=lambda m: m[1])
    return Classified(block=block, role=best.role, markers=tuple(chosen))


FIXED_FIELDS = {"id", "column", "kicker", "title", "subtitle", "byline", "paragraphs", "markers"}
UPDATABLE_FIELDS = {f.name for f in attrs.fields(Article)} - FIXED_FIELDS


def apply_updates(
    article: Article, results: Sequence[Tuple[str, Any]], plugins: Plugins, notices: List[Notice]
) -> Article:
    flags = list(article.flags)
    chosen: Dict[str, Tuple[str, Any]] = {}
    for plugin_name, updates in results:
        for key, value in updates.items():
            if key in FIXED_FIELDS or key not in UPDATABLE_FIELDS:
                notices.append(Notice("warning", "update_refused", f"plugin {plugin_name!r} may not set {key!r}"))
                continue
            if key == "flags":
                flags.extend(f for f in value if f not in flags)
                continue
            if key in chosen and chosen[key][1] != value:
                owner, _ = chosen[key]
                if plugins.is_paper_plugin(owner) or not plugins.is_paper_plugin(plugin_name):
                    notices.append(
                        Notice("info", "update_conflict", f"{article.id}.{key}: kept {owner!r}'s value over {plugin_name!r}'s")
                    )
                    continue
            chosen[key] = (plugin_name, value)
    updates = {k: v for k, (_, v) in chosen.items()}
    updates.setdefault("confidence", confidence(flags))
    return attrs.evolve(article, flags=tuple(flags), **updates)


def detect_paper(
    text: str,
    source: Source,
    blocks: Sequence[Block],
    plugins: Plugins,
    options: ParseOptions,
    notices: Optional[List[Notice]] = None,
) -> PaperGuess:
    """Sum every plugin's evidence per paper and pick the best, if it is likely enough."""
    view = PageView(text=text, source=source, blocks=tuple(blocks), paper=None, guess=None, papers=plugins.papers, options=options)
    evidence: List[Evidence] = [
        e for _, e in plugins.collect("corepress_detect_paper", scoped=False, notices=notices, page=view)
    ]
    totals: Dict[str, float] = {pid: 0.0 for pid in plugins.papers}
    for e in evidence:
        if e.paper in totals:
            totals[e.paper] += e.weight
    # order by the evidence itself: two scores can both round to 1.0
    order = sorted(totals, key=lambda pid: (-totals[pid], pid))
    scores = [(pid, round(1 - math.exp(-max(0.0, totals[pid])), 4)) for pid in order]
    ranked = tuple(scores)
    forced = options.paper
    if forced:
        if forced == GENERIC:
            return PaperGuess(None, None, 0.0, ranked, tuple(evidence), forced=True)
        if forced not in plugins.papers:
            known = ", ".join(sorted(plugins.papers)) or "none installed"
            raise InputError(None, f"unknown paper {forced!r} (known: {known})")
        score = dict(scores).get(forced, 0.0)
        return PaperGuess(forced, plugins.papers[forced].name, score, ranked, tuple(evidence), forced=True)
    if scores and scores[0][1] >= DETECTION_THRESHOLD:
        pid, score = scores[0]
        return PaperGuess(pid, plugins.papers[pid].name, score, ranked, tuple(evidence))
    best = scores[0][1] if scores else 0.0
    return PaperGuess(None, None, best, ranked, tuple(evidence))

