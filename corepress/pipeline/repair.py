"""Stage: layout repairs inside blocks, every rule's outcome checked character by character.

A repair rule may rewrite text (remove a space extraction inserted, split a kicker
off a title line) but must log every change.  Before its outcome is accepted,
:func:`check_outcome` proves that every visible character of the flow it was
given is still there exactly once, is in its ``dropped``, or lies under one of
its logged repairs, and that no character appears from nowhere.  A rule that
breaks this is a plugin fault: reported, and the page parsed without its plugin.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

import attrs

from corepress.plugin_system import validate as check
from corepress.plugin_system.manager import Plugins, Scope
from corepress.values.errors import describe
from corepress.values.hooktypes import PageView
from corepress.values.model import Block, Dropped, Notice
from corepress.values.traced import INSERTED, Repair

_UNCLAIMED = re.compile(b"\x00+")
_VISIBLE = re.compile(r"\S")


def repair_flow(
    flow: Tuple[Block, ...], view: PageView, plugins: Plugins, scope: Scope
) -> Tuple[Tuple[Block, ...], List[Repair], List[Dropped], List[Notice]]:
    """Run every rule of the page's plugins in ``(stage, name)`` order."""
    repairs: List[Repair] = []
    dropped: List[Dropped] = []
    notices: List[Notice] = []
    for plugin, rule in plugins.repair_rules(view, scope):
        hook = f"repair rule {rule.name!r}"
        try:
            outcome = check.repair_outcome(rule.apply(flow, attrs.evolve(view, blocks=flow)), rule.name)
            problem = check_outcome(view.text, flow, outcome.blocks, outcome.repairs, outcome.dropped)
        except check.BadResult as exc:
            raise plugins.fault(plugin, hook, str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a broken rule must not lose the page
            raise plugins.fault(plugin, hook, describe(exc)) from None
        if problem:
            raise plugins.fault(plugin, hook, problem)  # strict mode: a PluginError
        flow = outcome.blocks
        repairs.extend(outcome.repairs)
        dropped.extend(outcome.dropped)
        notices.extend(outcome.notices)
    return flow, repairs, dropped, notices


def check_outcome(
    text: str, before: Sequence[Block], after: Sequence[Block], repairs: Sequence[Repair], dropped: Sequence[Dropped]
) -> str:
    """What a repair rule did wrong (lost, duplicated, changed or invented text), or ``""``.

    Blocks whose text the rule handed back untouched (the same object) were checked
    when they were made; only the text the rule touched is checked, a segment (one
    run of the page) at a time, so a rule that changes little costs little.
    """
    if after is before and not repairs and not dropped:  # the rule handed the flow back as it was
        return ""
    kept = {id(b.text) for b in before}
    touched_after = [b.text for b in after if id(b.text) not in kept] + [d.text for d in dropped]
    survived = {id(b.text) for b in after}
    touched_before = [b.text for b in before if id(b.text) not in survived]
    if not touched_after and not touched_before and len(after) == len(before):
        return ""
    seen = bytearray(len(text))
    covered = bytearray(len(text))
    for r in repairs:
        start, end = r.span
        if not (0 <= start <= end <= len(text)):
            return f"logged a repair at {r.span}, outside the page"
        covered[start:end] = b"\x01" * (end - start)
    for block in after:  # untouched blocks count as seen, once
        if id(block.text) in kept:
            for _, start, length in block.text.segments():
                if start == INSERTED:
                    continue
                twice = seen.find(1, start, start + length)
                if twice >= 0:
                    return f"duplicated {text[twice]!r} at {twice}"
                seen[start:start + length] = b"\x01" * length
    inserted_allowed = sum(len(r.after) for r in repairs)
    inserted = 0
    for traced in touched_after:  # a segment at a time; whitespace may move, repeat or vanish freely
        string = traced.text
        for pos, start, length in traced.segments():
            piece = string[pos:pos + length]
            if start == INSERTED:
                inserted += len(_VISIBLE.findall(piece))
                continue
            end = start + length
            if start < 0 or end > len(text):
                return f"produced text that points outside the page (offset {start if start < 0 else end - 1})"
            twice = seen.find(1, start, end)
            while twice >= 0:
                if _VISIBLE.match(string, pos + twice - start):
                    return f"duplicated {text[twice]!r} at {twice}"
                twice = seen.find(1, twice + 1, end)
            seen[start:end] = b"\x01" * length
            if text[start:end] != piece:
                for k, ch in enumerate(piece):
                    if ch != text[start + k] and not covered[start + k] and not ch.isspace():
                        return f"changed {text[start + k]!r} at {start + k} to {ch!r} without logging a repair"
    if inserted > inserted_allowed:
        return f"inserted {inserted - inserted_allowed} character(s) without logging a repair"
    for r in repairs:  # what a logged repair covers is not lost
        seen[r.span[0]:r.span[1]] = b"\x01" * (r.span[1] - r.span[0])
    for traced in touched_before:
        string = traced.text
        for pos, start, length in traced.segments():
            if start == INSERTED:
                continue
            for gap in _UNCLAIMED.finditer(seen, start, start + length):
                lost = _VISIBLE.search(string, pos + gap.start() - start, pos + gap.end() - start)
                if lost:
                    at = start + lost.start() - pos
                    return f"lost {lost.group()!r} at {at} without logging a repair"
    return ""
