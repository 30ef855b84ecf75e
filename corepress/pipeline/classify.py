"""Stage: classify every block of the flow once, into role scores and marks.

Every consulted plugin votes (:func:`~corepress.plugin_system.hookspecs.corepress_classify_block`);
:func:`combine_votes` turns the votes into a :class:`~corepress.values.scores.RoleScores`.
The rule is order-independent: per role, each plugin counts with its strongest
vote; the plugins' counts are summed; the highest total wins (ties by role name).
"""

from __future__ import annotations

import bisect
from typing import Dict, List, Sequence, Tuple

from corepress.plugin_system.manager import Plugins, Scope
from corepress.values.hooktypes import PageView
from corepress.values.model import Block
from corepress.values.scores import Mark, Role, RoleScores, Vote


def classify_flow(flow: Tuple[Block, ...], view: PageView, plugins: Plugins, scope: Scope) -> Tuple[RoleScores, ...]:
    return tuple(combine_votes(votes) for votes in plugins.classify_blocks(flow, view, scope))


def combine_votes(votes: Sequence[Tuple[str, Vote]]) -> RoleScores:
    """Sum per role of each plugin's strongest vote; marks of the winner's and ``text`` votes merged.

    Overlapping marks keep the longest (then the first by kind and offset), so two
    plugins that see the same lead agree on one mark, whatever their order.
    """
    if not votes:
        return RoleScores(role=Role.TEXT, scores=((Role.TEXT, 0.0),))
    if len(votes) == 1 and not votes[0][1].marks:  # one plain vote (most body text): what the sums below come to
        vote = votes[0][1]
        return RoleScores(role=vote.role, scores=((vote.role, 0.0 + vote.weight),), rules=(vote.rule,))
    strongest: Dict[Tuple[str, Role], float] = {}
    for plugin, vote in votes:
        key = (plugin, vote.role)
        strongest[key] = max(strongest.get(key, float("-inf")), vote.weight)
    totals: Dict[Role, float] = {}
    for (_plugin, role), weight in strongest.items():
        totals[role] = totals.get(role, 0.0) + weight
    ranked = tuple(sorted(totals.items(), key=_by_total)) if len(totals) > 1 else tuple(totals.items())
    winner = ranked[0][0]
    rules = tuple(sorted({v.rule for _p, v in votes if v.role is winner}))
    if not any(v.marks for _p, v in votes):  # most blocks: body text with no formula in it
        return RoleScores(role=winner, scores=ranked, rules=rules)
    candidates = sorted(
        {(m.kind, m.start, m.end): m for _p, v in votes if v.role in (winner, Role.TEXT) for m in v.marks}.values(),
        key=lambda m: (-(m.end - m.start), m.kind.value, m.start),
    )
    chosen: List[Mark] = []  # in start order
    starts: List[int] = []
    for m in candidates:  # a block made of thousands of formulas: neighbours found by bisection
        k = bisect.bisect_left(starts, m.start)
        if _fits(m, chosen, starts, k):
            at = bisect.bisect_right(starts, m.start)  # after marks of the same start: order chosen in
            starts.insert(at, m.start)
            chosen.insert(at, m)
    return RoleScores(role=winner, scores=ranked, marks=tuple(chosen), rules=rules)


def _by_total(item: Tuple[Role, float]) -> Tuple[float, str]:
    return (-item[1], item[0].value)


def _overlap(a: Mark, b: Mark) -> bool:
    return not (a.end <= b.start or a.start >= b.end)


def _fits(m: Mark, chosen: List[Mark], starts: List[int], k: int) -> bool:
    """Does ``m`` overlap none of ``chosen`` (which overlap none of each other)?  Only neighbours can:
    the marks starting at the nearest start before ``m`` (chosen marks starting apart end in start
    order) and those starting inside it."""
    j = k - 1
    while j >= 0 and starts[j] == starts[k - 1]:
        if _overlap(m, chosen[j]):
            return False
        j -= 1
    i = k
    while i < len(chosen) and (starts[i] < m.end or starts[i] == m.start):
        if _overlap(m, chosen[i]):
            return False
        i += 1
    return True
