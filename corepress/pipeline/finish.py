"""Stage: plugins post-process each article (kind, flags, agency…), checked and merged order-independently."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

import attrs

from corepress.pipeline.assemble import confidence
from corepress.plugin_system.manager import Plugins, Scope
from corepress.values.hooktypes import PageView
from corepress.values.model import Article, Notice


def finish_article(article: Article, view: PageView, plugins: Plugins, scope: Scope, notices: List[Notice]) -> Article:
    return apply_updates(article, plugins.finish_article(article, view, scope), plugins, notices)


def apply_updates(article: Article, results: Sequence[Tuple[str, Dict[str, Any]]], plugins: Plugins, notices: List[Notice]) -> Article:
    """Flags are united; any other field: the paper's plugin wins, else the first generic plugin by name."""
    flags = list(article.flags)
    if not results and article.confidence == confidence(flags):
        return article  # no plugin changed anything: what the copy below would equal
    chosen: Dict[str, Tuple[str, Any]] = {}
    for plugin_name, updates in results:
        for key, value in updates.items():
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
    if "reporters" in updates:
        updates["reporters"] = tuple(updates["reporters"])
    return attrs.evolve(article, flags=tuple(flags), **updates)
