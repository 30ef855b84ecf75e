"""corepress's own generic rules, registered as the built-in plugin ``corepress.rules``.

They work on any paper: a page no plugin recognises is parsed with these alone.
This module registers no paper, so every hook here is consulted for every page.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence

from corepress.plugin_system.hookspecs import hookimpl
from corepress.rules.classify import classify
from corepress.rules.masthead import generic_masthead
from corepress.rules.repairs import GENERIC_RULES
from corepress.values.hooktypes import PageView, RepairRule
from corepress.values.model import Article, Block, MastheadResult, Vote


@hookimpl(trylast=True)
def corepress_masthead(page: PageView) -> Optional[MastheadResult]:
    return generic_masthead(page)


@hookimpl
def corepress_repair_rules(page: PageView) -> Sequence[RepairRule]:
    return GENERIC_RULES


@hookimpl
def corepress_classify_block(block: Block, position: int, page: PageView) -> Sequence[Vote]:
    return classify(block, position, page)


@hookimpl
def corepress_finish_article(article: Article, page: PageView) -> Optional[Mapping[str, Any]]:
    """Decide the article kind from its headline and byline."""
    updates: Dict[str, Any] = {}
    subtitle = article.subtitle.text if article.subtitle else ""
    kicker = article.kicker.text if article.kicker else ""
    byline = article.byline.text if article.byline else ""
    if article.kind == "news":
        if subtitle.lstrip("—－").startswith("访") or "访谈" in kicker:
            updates["kind"] = "interview"
        elif "评论员" in byline or subtitle.lstrip("—－").startswith("论") or any(
            w in (article.column.text if article.column else "") for w in ("评论", "短评", "时评")
        ):
            updates["kind"] = "commentary"
    return updates or None
