"""corepress plugin for 厦门日报.

Write down here what the generic rules cannot know about this paper: how its
masthead looks, its lead formulas, its column tags, its extraction quirks.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

from corepress import hookimpl
from corepress.detection import PaperSignals
from corepress.hooktypes import PageView, SamplePage, sample_pages_in
from corepress.model import Block, Evidence, MastheadResult, Paper, Vote
from corepress.rules.masthead import MastheadParser

PAPER = Paper(
    id="xiamen",
    name="厦门日报",
    aliases=(),  # other names the masthead may print
    english_name=None,  # e.g. "GUILIN EVENING NEWS" as printed in the masthead
    region=None,  # e.g. "广西壮族自治区桂林市"
    cn=None,  # the CN serial, e.g. "CN45-0001", when the masthead prints it
    level="city",  # "city", "province" or "national"
    columns=(),  # column tags (栏目) the paper prints, e.g. ("民生观察",)
)

# Evidence that a page is this paper. The masthead name, English name and CN
# serial count automatically; add the places and institutions the paper writes
# about (weight per occurrence), and words that point to other papers.
SIGNALS = PaperSignals(
    paper=PAPER,
    terms={},  # e.g. {"桂林": 0.25, "漓江": 0.3}
    negative={},  # e.g. {"我省": 0.25} for a city paper
)

MASTHEAD = MastheadParser(paper=PAPER)
SAMPLES = Path(__file__).with_name("samples")


@hookimpl
def corepress_papers() -> Sequence[Paper]:
    return [PAPER]


@hookimpl
def corepress_detect_paper(page: PageView) -> List[Evidence]:
    return SIGNALS.evidence(page)


@hookimpl
def corepress_masthead(page: PageView) -> Optional[MastheadResult]:
    # the generic parser, told this paper's name; pass extra_fields=... for
    # masthead lines only this paper prints
    return MASTHEAD.parse(page)


@hookimpl
def corepress_classify_block(block: Block, position: int, page: PageView) -> Sequence[Vote]:
    # Vote on blocks the generic rules cannot read, e.g. a lead formula only this
    # paper uses (see corepress.rules.classify.lead_vote). No vote: generic rules decide.
    return []


@hookimpl
def corepress_sample_pages() -> Sequence[SamplePage]:
    return sample_pages_in(SAMPLES, PAPER.id)
