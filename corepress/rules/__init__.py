"""corepress's own generic rules, registered as the built-in plugin ``corepress.rules``.

They work on any paper: a page no plugin recognises is parsed with these alone.
This module registers no paper, so every hook here is consulted for every page.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from corepress.plugin_system.hookspecs import hookimpl
from corepress.rules.classify import classify
from corepress.rules.gaps import score_gaps
from corepress.rules.masthead import generic_masthead
from corepress.rules.repairs import GENERIC_RULES
from corepress.rules.structure import closing_line
from corepress.values.hooktypes import PageView, RepairRule
from corepress.values.model import Article, ArticleKind, Block, MastheadResult
from corepress.values.scores import GapScore, MarkKind, RoleScores, Vote


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
def corepress_score_gaps(page: PageView, roles: Tuple[RoleScores, ...]) -> Sequence[GapScore]:
    return score_gaps(page, roles)


@hookimpl
def corepress_finish_article(article: Article, page: PageView) -> Optional[Mapping[str, Any]]:
    """Decide the article kind from its headline and byline."""
    updates: Dict[str, Any] = {}
    subtitle = article.subtitle.text if article.subtitle else ""
    kicker = article.kicker.text if article.kicker else ""
    byline = article.byline.text if article.byline else ""
    if article.kind is ArticleKind.NEWS:
        if _picture_spread(article):
            updates["kind"] = ArticleKind.PHOTO
        elif subtitle.lstrip("—－").startswith("访") or "访谈" in kicker:
            updates["kind"] = ArticleKind.INTERVIEW
        elif "评论员" in byline or subtitle.lstrip("—－").startswith("论") or any(
            w in (article.column.text if article.column else "") for w in ("评论", "短评", "时评")
        ):
            updates["kind"] = ArticleKind.COMMENTARY
    return updates or None


def _picture_spread(article: Article) -> bool:
    """Is the article's only text a production note (版式设计：X)?  Then it is a picture spread or a
    graphic: its body is pictures (see :data:`corepress.rules.classify.SPREAD_NOTE`)."""
    if len(article.paragraphs) != 1:
        return False
    note = closing_line(article.paragraphs[0].text.text)
    return note is not None and note.kind is MarkKind.NOTE
