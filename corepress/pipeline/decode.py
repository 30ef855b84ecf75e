"""Stages: sum the gap scores of every plugin, then decode the page (which gaps join, part or start).

Every gap between two neighbouring blocks gets one label of
:class:`~corepress.values.scores.GapLabel`.  The evidence for a label is the sum,
over every rule of every consulted plugin, of its log-odds (each plugin's rules
weighted by :data:`SOURCE_WEIGHT`, 1 unless a plugin is named there), plus the
label's prior.  Sums do not depend on call order.

Structural constraints come first and are not scores: a block that is a byline,
a lead, a continued part, a closing formula, a credit, an advert, a badge or
noise never receives text from the block above (:data:`NO_JOIN_INTO`), and
nothing is joined onto a closing formula, a byline or dropped furniture
(:data:`NO_JOIN_FROM`).  Within what is allowed, the label with the highest
total wins; ties go to ``same``, then ``new``, then ``join`` (the least
destructive reading first).

A second stage (``corepress_rescore_gaps``) sees the first stage's decisions and adds
scores of its own; the page is then decoded once more from both stages' sums.

With no scorer at all every gap is ``same``: the page becomes one article that
holds all its text, so nothing is lost and nothing invented.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Sequence, Tuple

from corepress.plugin_system.manager import Plugins, Scope
from corepress.values.hooktypes import PageView
from corepress.values.scores import CLOSING_MARKS, GapDecision, GapLabel, GapScore, Role, RoleScores

PRIORS: Mapping[GapLabel, float] = {GapLabel.SAME: 0.0, GapLabel.NEW: -1.0, GapLabel.JOIN: -2.0}
"""Log-odds each label starts with: with no evidence, blocks stay in one article as separate paragraphs."""

SOURCE_WEIGHT: Mapping[str, float] = {}
"""Per-plugin weights on its gap scores (plugin name → factor); plugins not named count 1."""

NO_JOIN_INTO = frozenset(
    {Role.BYLINE, Role.LEAD, Role.CONTINUED_FROM, Role.TAIL, Role.CREDIT, Role.ADVERT, Role.BADGE, Role.NOISE, Role.COLUMN}
)
NO_JOIN_FROM = frozenset({Role.BYLINE, Role.TAIL, Role.CREDIT, Role.ADVERT, Role.BADGE, Role.NOISE, Role.COLUMN})
TIE_ORDER = (GapLabel.SAME, GapLabel.NEW, GapLabel.JOIN)


def score_gaps(view: PageView, roles: Tuple[RoleScores, ...], plugins: Plugins, scope: Scope) -> List[Tuple[str, GapScore]]:
    if len(view.blocks) < 2:
        return []
    return plugins.score_gaps(view, roles, scope)


def decode_page(view: PageView, roles: Tuple[RoleScores, ...], plugins: Plugins, scope: Scope) -> Tuple[GapDecision, ...]:
    """Both stages: sum and decode the first-stage scores; where a second stage exists, add its scores and decode again."""
    tally = Tally(roles)
    tally.add(score_gaps(view, roles, plugins, scope))
    decisions = tally.decide()
    if len(view.blocks) < 2:
        return decisions
    second = plugins.rescore_gaps(view, roles, decisions, scope)
    if not second:
        return decisions  # no second-stage score: the same decoding
    tally.add(second)  # on top of the first stage's sums: the same totals as summing both from the start
    return tally.decide()


def decode_gaps(roles: Sequence[RoleScores], scores: Sequence[Tuple[str, GapScore]]) -> Tuple[GapDecision, ...]:
    """The label of every gap (``len(roles) - 1`` of them)."""
    tally = Tally(roles)
    tally.add(scores)
    return tally.decide()


class Tally:
    """The summed scores of every gap of a page, per label, and the rules that spoke for each label.

    Kept between the two stages, so that the second stage's scores are added to the first's
    sums rather than summed again with them from the start."""

    def __init__(self, roles: Sequence[RoleScores]) -> None:
        gaps = max(0, len(roles) - 1)
        same, new, join = PRIORS[GapLabel.SAME], PRIORS[GapLabel.NEW], PRIORS[GapLabel.JOIN]
        self.totals = [[same, new, join] for _ in range(gaps)]  # in TIE_ORDER
        self.reasons: Dict[Tuple[int, int], List[str]] = {}  # (gap, slot): the rules that spoke for it
        self.joinable = [can_join(upper, lower) for upper, lower in zip(roles, roles[1:])]

    def add(self, scores: Sequence[Tuple[str, GapScore]]) -> None:
        totals, reasons = self.totals, self.reasons
        for plugin, score in scores:
            slot = _SLOT[score.label]
            totals[score.gap][slot] += SOURCE_WEIGHT.get(plugin, 1.0) * score.logodds
            if score.logodds > 0:
                reasons.setdefault((score.gap, slot), []).append(score.rule)

    def decide(self) -> Tuple[GapDecision, ...]:
        """The best allowed label of every gap; ties go to same, then new, then join."""
        decisions = []
        reasons = self.reasons
        for g, (s, n, j) in enumerate(self.totals):
            if self.joinable[g]:
                best = 0 if s >= n and s >= j else (1 if n >= j else 2)
                ranked: Tuple[Tuple[GapLabel, float], ...] = ((GapLabel.SAME, round(s, 4)), (GapLabel.NEW, round(n, 4)), (GapLabel.JOIN, round(j, 4)))
            else:
                best = 0 if s >= n else 1
                ranked = ((GapLabel.SAME, round(s, 4)), (GapLabel.NEW, round(n, 4)))
            rules = reasons.get((g, best))
            decisions.append(GapDecision(TIE_ORDER[best], ranked, tuple(sorted(set(rules))) if rules else ()))
        return tuple(decisions)


_SLOT = {label: slot for slot, label in enumerate(TIE_ORDER)}


def can_join(upper: RoleScores, lower: RoleScores) -> bool:
    """May the lower block's text continue the upper block's paragraph?"""
    if upper.role in NO_JOIN_FROM or lower.role in NO_JOIN_INTO:
        return False
    return not upper.marks or not any(m.kind in CLOSING_MARKS for m in upper.marks)  # most blocks have no marks
