"""Checking what plugins return before corepress uses it.

A hook result crosses a trust boundary: a plugin may return a string where a list
is due, a role nobody knows, a mark outside its block, ``confidence: "very"``.
Each checker below takes one plugin's raw result and either returns it as the
declared frozen type or raises :class:`BadResult` with a one-line reason; the
plugin manager turns that into a ``plugin_failed`` notice (or, in strict mode,
an error) naming the plugin and the hook.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Type, TypeVar

from corepress.values.hooktypes import InputReader, OutputWriter, RepairOutcome, RepairRule, SamplePage
from corepress.values.model import ArticleKind, Block, Dropped, Evidence, MastheadResult, Notice, Paper
from corepress.values.scores import GapScore, Mark, Vote
from corepress.values.traced import Repair, Traced

T = TypeVar("T")


class BadResult(Exception):
    """A hook result of the wrong type or out of range (the message is one line)."""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def sequence_of(kind: Type[T], result: Any, what: str) -> Tuple[T, ...]:
    """A list or tuple whose items are all ``kind``."""
    if isinstance(result, (str, bytes)) or not isinstance(result, (list, tuple)):
        raise BadResult(f"returned {_short(result)} where a list of {what} is due")
    for item in result:
        if not isinstance(item, kind):
            raise BadResult(f"returned {_short(item)} among its {what}")
    return tuple(result)


_PLAIN_NUMBERS = (float, int)


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadResult(f"{what} {_short(value)} is not a finite number")
    return float(value)


def evidence(result: Any, papers: Mapping[str, Paper]) -> Tuple[Evidence, ...]:
    items = sequence_of(Evidence, result, "Evidence")
    for e in items:
        _finite(e.weight, "evidence weight")
        if not isinstance(e.reason, str) or not isinstance(e.paper, str):
            raise BadResult(f"evidence {_short(e)} needs a paper id and a reason as strings")
    return items


def masthead(result: Any, blocks: Sequence[Block], text: str) -> Optional[MastheadResult]:
    if result is None:
        return None
    if not isinstance(result, MastheadResult):
        raise BadResult(f"returned {_short(result)} where a MastheadResult or None is due")
    known = {b.index for b in blocks}
    for index in result.claimed:
        if index not in known:
            raise BadResult(f"claimed block {_short(index)}, which the page does not have")
    sequence_of(Dropped, result.dropped, "Dropped")
    repairs(result.repairs)
    if result.masthead is not None:
        for line in result.masthead.lines:
            traced(line.text, text, "masthead line")
        try:
            import json

            json.dumps(dict(result.masthead.facts), ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise BadResult(f"masthead facts cannot be written as JSON: {exc}") from None
    for d in result.dropped:
        traced(d.text, text, "dropped text")
    return result


def traced(value: Any, text: str, what: str) -> Traced:
    """A traced string whose sourced characters really are the page's characters there."""
    if not isinstance(value, Traced):
        raise BadResult(f"{what} {_short(value)} is not traced text")
    n = len(text)
    if value.origin and (max(value.origin) >= n or min(value.origin) < -1):
        raise BadResult(f"{what} points outside the page")
    return value


def repairs(result: Any) -> Tuple[Repair, ...]:
    items = sequence_of(Repair, result, "Repair")
    for r in items:
        if not (isinstance(r.rule, str) and isinstance(r.before, str) and isinstance(r.after, str)):
            raise BadResult(f"repair {_short(r)} needs strings for rule, before and after")
    return items


def repair_rules(result: Any) -> Tuple[RepairRule, ...]:
    items = sequence_of(RepairRule, result, "RepairRule")
    for rule in items:
        if not isinstance(rule.name, str) or isinstance(rule.stage, bool) or not isinstance(rule.stage, int):
            raise BadResult(f"repair rule {_short(rule)} needs a name and an integer stage")
        if not callable(rule.apply):
            raise BadResult(f"repair rule {rule.name!r} has nothing to call")
    return items


def repair_outcome(result: Any, rule: str) -> RepairOutcome:
    if not isinstance(result, RepairOutcome):
        raise BadResult(f"repair rule {rule!r} returned {_short(result)} where a RepairOutcome is due")
    sequence_of(Block, result.blocks, "Block")
    repairs(result.repairs)
    sequence_of(Dropped, result.dropped, "Dropped")
    sequence_of(Notice, result.notices, "Notice")
    return result


def votes(result: Any, block: Block) -> Tuple[Vote, ...]:
    # Called for every block and every plugin: the common case (a finite float weight,
    # a string rule, no marks) is tested inline before the messages' helpers are called.
    if type(result) is list and not result:  # a paper plugin with nothing to say about this block
        return ()
    items = sequence_of(Vote, result, "Vote")
    for vote in items:
        weight = vote.weight
        if not (type(weight) in _PLAIN_NUMBERS and -math.inf < weight < math.inf):
            _finite(weight, "vote weight")
        if type(vote.rule) is not str and not isinstance(vote.rule, str):
            raise BadResult(f"vote {_short(vote)} needs its rule's name as a string")
        if vote.marks:
            size = len(block.text)
            for mark in sequence_of(Mark, vote.marks, "Mark"):
                if not (0 <= mark.start <= mark.end <= size):
                    raise BadResult(f"mark {mark.kind} [{mark.start}, {mark.end}) lies outside its block of {size} characters")
        elif type(vote.marks) is not tuple:
            sequence_of(Mark, vote.marks, "Mark")
    return items


def gap_scores(result: Any, gaps: int) -> Tuple[GapScore, ...]:
    # A page has scores by the hundred: as for votes, the common case is tested inline first.
    items = sequence_of(GapScore, result, "GapScore")
    for score in items:
        gap = score.gap
        if not (type(gap) is int and 0 <= gap < gaps) and (isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap < gaps):
            raise BadResult(f"gap score for gap {_short(gap)}, but the page has {gaps} gaps")
        logodds = score.logodds
        if not (type(logodds) in _PLAIN_NUMBERS and -math.inf < logodds < math.inf):
            _finite(logodds, "gap log-odds")
        if type(score.rule) is not str and not isinstance(score.rule, str):
            raise BadResult(f"gap score {_short(score)} needs its rule's name as a string")
    return items


def _optional_str(value: Any) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise BadResult(f"{_short(value)} is not a string")
    return value


def _strings(value: Any) -> Tuple[str, ...]:
    return sequence_of(str, value, "strings")


def _confidence(value: Any) -> float:
    number = _finite(value, "confidence")
    if not 0.0 <= number <= 1.0:
        raise BadResult(f"confidence {number} is outside [0, 1]")
    return number


def _kind(value: Any) -> ArticleKind:
    try:
        return ArticleKind(value)
    except ValueError:
        known = ", ".join(k.value for k in ArticleKind)
        raise BadResult(f"kind {_short(value)} is not one of {known}") from None


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadResult(f"{_short(value)} is not true or false")
    return value


ARTICLE_UPDATES: Dict[str, Callable[[Any], Any]] = {
    "kind": _kind,
    "flags": _strings,
    "reporters": _strings,
    "confidence": _confidence,
    "agency": _optional_str,
    "dateline": _optional_str,
    "reprinted_from": _optional_str,
    "continued_to": _optional_str,
    "continued_from": _optional_str,
    "truncated_start": _flag,
}
"""The article fields ``corepress_finish_article`` may set, each with its checker."""


def article_updates(result: Any) -> Optional[Dict[str, Any]]:
    if result is None:
        return None
    if not isinstance(result, Mapping):
        raise BadResult(f"returned {_short(result)} where a mapping of field updates or None is due")
    out: Dict[str, Any] = {}
    for key, value in result.items():
        check = ARTICLE_UPDATES.get(key)
        if check is None:
            allowed = ", ".join(sorted(ARTICLE_UPDATES))
            raise BadResult(f"may not set {_short(key)} (fields it may set: {allowed})")
        try:
            out[key] = check(value)
        except BadResult as exc:
            raise BadResult(f"{key}: {exc}") from None
    return out


def papers(result: Any) -> Tuple[Paper, ...]:
    items = sequence_of(Paper, result, "Paper")
    for paper in items:
        if not isinstance(paper.id, str) or not paper.id or not isinstance(paper.name, str):
            raise BadResult(f"paper {_short(paper)} needs an id and a name as strings")
    return items


def readers(result: Any) -> Tuple[InputReader, ...]:
    return sequence_of(InputReader, result, "InputReader")


def writers(result: Any) -> Tuple[OutputWriter, ...]:
    return sequence_of(OutputWriter, result, "OutputWriter")


def samples(result: Any) -> Tuple[SamplePage, ...]:
    return sequence_of(SamplePage, result, "SamplePage")

