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

from corepress.evaluation.evaluate import EvalError, Plan, evaluate_one, load_gold
from corepress.evaluation.evaluate import collect as pages_with_gold
from corepress.evaluation.gaps import GoldLayout, gold_layout
from corepress.evaluation.snippet import GoldError
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
    "Article", "ArticleKind", "Block", "CLOSE", "DecodedInput", "Dropped", "EvalError", "Evidence", "GapDecision",
    "GapLabel", "GapScore", "GoldError", "InputError", "InputReader", "LeadFormula", "MONTH_DAY", "Mark", "MarkFacts", "MarkKind", "Marker",
    "Masthead", "MastheadLine", "MastheadParser", "MastheadResult", "NAME", "NAMES", "Notice", "OPEN",
    "OutputWriter", "PAGE_NO", "PATTERN_TIMEOUT", "Page", "PageView", "Paper", "PaperGuess", "PaperPlugin",
    "PaperSignals", "Paragraph", "ParagraphRole", "ParseOptions", "Repair", "RepairOutcome",
    "RepairRule", "Role", "RoleScores", "SP", "SamplePage", "Source", "Span", "Traced", "Vote", "hookimpl",
    "GoldLayout", "Plan", "evaluate_one", "gold_layout", "load_gold", "page_head", "pages_with_gold", "sample_pages_in", "split_names",
]


__all__ += ["PaperPluginContract"]  # noqa: F822 - provided lazily by __getattr__ below


def __getattr__(name: str) -> Any:
    if name == "PaperPluginContract":
        from corepress.kit.contract import PaperPluginContract

        return PaperPluginContract
    raise AttributeError(f"module 'corepress.api' has no attribute {name!r}")
