"""The hooks every paper plugin has, configured with data instead of written again.

A paper plugin is an instance of :class:`PaperPlugin` (or of a subclass that
adds the paper's own rules), exposed through its entry point::

    [project.entry-points.corepress]
    mypaper = "corepress_mypaper:plugin"

    plugin = PaperPlugin(PAPER, signals=SIGNALS, samples=Path(__file__).with_name("samples"))

Registration, detection, the masthead and the sample pages come from the data;
a subclass adds hook methods (``corepress_classify_block``, ``corepress_repair_rules``,
``corepress_finish_article``) for what only that paper does.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

from corepress.detection import PaperSignals
from corepress.hookspecs import hookimpl
from corepress.hooktypes import PageView, SamplePage, sample_pages_in
from corepress.model import Evidence, MastheadResult, Paper
from corepress.rules.masthead import MastheadParser


class PaperPlugin:
    """A paper plugin made of data: the paper, its detection signals, its masthead parser, its samples."""

    def __init__(
        self,
        paper: Paper,
        *,
        signals: Optional[PaperSignals] = None,
        masthead: Optional[MastheadParser] = None,
        samples: Optional[Path] = None,
    ) -> None:
        self.paper = paper
        self.signals = signals or PaperSignals(paper=paper)
        self.masthead = masthead or MastheadParser(paper=paper)
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
    def corepress_sample_pages(self) -> Sequence[SamplePage]:
        return sample_pages_in(self.samples, self.paper.id) if self.samples else []
