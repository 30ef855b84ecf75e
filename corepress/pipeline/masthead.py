"""Stage: the masthead (报头) and the furniture around it, from the paper's plugin or the generic parser."""

from __future__ import annotations

from typing import Optional

from corepress.plugin_system.manager import Plugins, Scope
from corepress.values.hooktypes import PageView
from corepress.values.model import MastheadResult


def find_masthead(view: PageView, plugins: Plugins, scope: Scope) -> Optional[MastheadResult]:
    """The first masthead found; its claimed blocks leave the article flow."""
    return plugins.masthead(view, scope)
