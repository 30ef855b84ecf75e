"""Stage: which paper is this page?  Every plugin's evidence is summed per paper."""

from __future__ import annotations

import math
from typing import Dict, List

from corepress.plugin_system.manager import Plugins, Scope
from corepress.values.errors import InputError
from corepress.values.hooktypes import PageView
from corepress.values.model import Evidence, PaperGuess

DETECTION_THRESHOLD = 0.6
"""A paper must score at least this (``1 - exp(-sum of evidence)``) to be chosen."""

GENERIC = "generic"
"""The paper id that forces the generic rules alone."""


def detect_paper(view: PageView, plugins: Plugins, scope: Scope) -> PaperGuess:
    """Sum every plugin's evidence per paper and pick the best, if it is likely enough."""
    evidence: List[Evidence] = plugins.detect_paper(view, scope)
    totals: Dict[str, float] = {pid: 0.0 for pid in plugins.papers}
    for e in evidence:
        if e.paper in totals:
            totals[e.paper] += e.weight
    # order by the evidence itself: two scores can both round to 1.0
    order = sorted(totals, key=lambda pid: (-totals[pid], pid))
    ranked = tuple((pid, round(1 - math.exp(-max(0.0, totals[pid])), 4)) for pid in order)
    forced = view.options.paper
    if forced:
        if forced == GENERIC:
            return PaperGuess(None, None, 0.0, ranked, tuple(evidence), forced=True)
        if forced not in plugins.papers:
            known = ", ".join(sorted(plugins.papers)) or "none installed"
            raise InputError(None, f"unknown paper {forced!r} (known: {known})")
        return PaperGuess(forced, plugins.papers[forced].name, dict(ranked).get(forced, 0.0), ranked, tuple(evidence), forced=True)
    if ranked and ranked[0][1] >= DETECTION_THRESHOLD:
        pid, score = ranked[0]
        return PaperGuess(pid, plugins.papers[pid].name, score, ranked, tuple(evidence))
    return PaperGuess(None, None, ranked[0][1] if ranked else 0.0, ranked, tuple(evidence))
