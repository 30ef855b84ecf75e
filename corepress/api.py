"""The one module plugin authors import.

Everything a paper plugin, a rule set, a reader or writer, or a boundary model
needs is here; nothing else in corepress is public to plugins, so the inside of
the package can change without breaking them::

    from corepress.api import Paper, PaperPlugin, PaperSignals, Role, Vote, hookimpl

``PaperPluginContract`` (the shared contract suite, for a plugin's tests) is
loaded on first use, so that importing this module never imports pytest.
"""

from __future__ import annotations

from typing import Any

from corepress.kit.detection import PaperSignals, page_head
from corepress.kit.paper import LeadFormula, PaperPlugin
from corepress.plugin_system.hookspecs import hookimpl
from corepress.rules.masthead import MastheadParser
from corepress.rules.patterns import CLOSE, MONTH_DAY, NAME, NAMES, OPEN, PAGE_NO, SP
from corepress.rules.text import split_names
from corepress.values.errors import InputError
from corepress.values.hooktypes import (
    DecodedInput,
    InputReader,
    OutputWriter,
    PageView,
    ParseOptions,
    RepairOutcome,
    RepairRule,
    SamplePage,
    sample_pages_in,
)
from corepress.values.model import (
    Article,
    ArticleKind,
    Block,
    Dropped,
    Evidence,
    Marker,
    Masthead,
    MastheadLine,
    MastheadResult,
    Notice,
    Page,
    Paper,
    PaperGuess,
    Paragraph,
    ParagraphRole,
    Source,
)
from corepress.values.scores import (
    GapDecision,
    GapLabel,
    GapScore,
    Mark,
    MarkFacts,
    MarkKind,
    Role,
    RoleScores,
    Vote,
)
from corepress.values.traced import PATTERN_TIMEOUT, Repair, Span, Traced

__all__ = [
    "Article", "ArticleKind", "Block", "CLOSE", "DecodedInput", "Dropped", "Evidence", "GapDecision", "GapLabel",
    "GapScore", "InputError", "InputReader", "LeadFormula", "MONTH_DAY", "Mark", "MarkFacts", "MarkKind", "Marker",
    "Masthead", "MastheadLine", "MastheadParser", "MastheadResult", "NAME", "NAMES", "Notice", "OPEN",
    "OutputWriter", "PAGE_NO", "PATTERN_TIMEOUT", "Page", "PageView", "Paper", "PaperGuess", "PaperPlugin",
    "PaperSignals", "Paragraph", "ParagraphRole", "ParseOptions", "Repair", "RepairOutcome",
    "RepairRule", "Role", "RoleScores", "SP", "SamplePage", "Source", "Span", "Traced", "Vote", "hookimpl",
    "page_head", "sample_pages_in", "split_names",
]


# Provided lazily by __getattr__ below: the contract suite (so that importing this module never
# imports pytest) and what a trainer reads gold with (so that a plugin's start-up does not pay
# for the evaluation modules when nothing is trained or scored).
LAZY = {
    "PaperPluginContract": ("corepress.kit.contract", "PaperPluginContract"),
    "EvalError": ("corepress.evaluation.gold", "EvalError"),
    "GoldError": ("corepress.evaluation.snippet", "GoldError"),
    "GoldLayout": ("corepress.evaluation.gaps", "GoldLayout"),
    "Plan": ("corepress.evaluation.gold", "Plan"),
    "evaluate_one": ("corepress.evaluation.evaluate", "evaluate_one"),
    "gold_layout": ("corepress.evaluation.gaps", "gold_layout"),
    "load_gold": ("corepress.evaluation.gold", "load_gold"),
    "pages_with_gold": ("corepress.evaluation.gold", "collect"),
}
__all__ += sorted(LAZY)


def __getattr__(name: str) -> Any:
    if name in LAZY:
        import importlib

        module, attribute = LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'corepress.api' has no attribute {name!r}")
