"""The hooks every paper plugin has, configured with data instead of written again.

A paper plugin is an instance of :class:`PaperPlugin` (or of a subclass that
adds the paper's own rules), exposed through its entry point::

    [project.entry-points.corepress]
    mypaper = "corepress_mypaper:plugin"

    plugin = PaperPlugin(PAPER, signals=SIGNALS, samples=Path(__file__).with_name("samples"))

Registration, detection, the masthead, the sample pages, the paper's own lead
formulas (:class:`LeadFormula`) and its award badges come from the data; a
subclass adds hook methods (``corepress_repair_rules``, ``corepress_finish_article``,
or more ``corepress_classify_block`` votes, calling ``super()``) for what only
that paper does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import attrs

from corepress.kit.detection import PaperSignals
from corepress.plugin_system.hookspecs import hookimpl
from corepress.rules.classify import lead_vote
from corepress.rules.masthead import MastheadParser
from corepress.rules.text import split_names
from corepress.values.hooktypes import PageView, SamplePage, sample_pages_in
from corepress.values.model import Block, Evidence, MastheadResult, Paper, Vote
from corepress.values.traced import PATTERN_TIMEOUT


@attrs.frozen
class LeadFormula:
    """A lead formula (电头) only this paper prints, as a named pattern.

    The pattern is matched at the start of a block.  Its groups say what the
    formula tells: ``agency`` (who the story is from) and any group whose name
    starts with ``names`` (reporters, correspondents).  ``agency`` here, when
    given, is a format string over the groups (``"广西云—{agency}"``).
    """

    name: str
    pattern: Any  # a compiled ``regex`` pattern
    agency: Optional[str] = None

    def vote(self, text: str) -> Optional[Vote]:
        m = self.pattern.match(text, timeout=PATTERN_TIMEOUT)
        if not m:
            return None
        groups: Dict[str, Optional[str]] = m.groupdict()
        reporters = [n for key in sorted(groups) if key.startswith("names") for n in split_names(groups[key])]
        agency = self.agency.format(**groups) if self.agency else groups.get("agency")
        return lead_vote(text, m.end(), {"agency": agency, "reporters": reporters}, self.name)


class PaperPlugin:
    """A paper plugin made of data: the paper, its detection signals, its masthead parser, its samples."""

    def __init__(
        self,
        paper: Paper,
        *,
        signals: Optional[PaperSignals] = None,
        masthead: Optional[MastheadParser] = None,
        leads: Sequence[LeadFormula] = (),
        samples: Optional[Path] = None,
    ) -> None:
        self.paper = paper
        self.signals = signals or PaperSignals(paper=paper)
        self.masthead = masthead or MastheadParser(paper=paper)
        self.leads = tuple(leads)
        self.badges = frozenset("".join(b.split()) for b in self.masthead.badges)
        self.samples = samples

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.paper.id}>"

    @hookimpl
    def corepress_papers(self) -> Sequence[Paper]:
        return [self.paper]

    @hookimpl
    def corepress_detect_paper(self, page: PageView) -> List[Evidence]:
        return self.signals.evidence(page)

    @hookimpl
    def corepress_masthead(self, page: PageView) -> Optional[MastheadResult]:
        return self.masthead.parse(page)

    @hookimpl
    def corepress_classify_block(self, block: Block, position: int, page: PageView) -> Sequence[Vote]:
        """The paper's badges, and its lead formulas (the first that matches)."""
        text = block.text.text
        if self.badges and "".join(text.split()) in self.badges:
            return [Vote("badge", 9, f"{self.paper.id}:badge")]
        for formula in self.leads:
            vote = formula.vote(text)
            if vote is not None:
                return [vote]
        return []

    @hookimpl
    def corepress_sample_pages(self) -> Sequence[SamplePage]:
        return sample_pages_in(self.samples, self.paper.id) if self.samples else []
