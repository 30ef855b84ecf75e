"""Scoring a parse against an expected page a person wrote (``corepress.expected/1``).

An expected article matches a predicted one when the predicted body starts
with the expected ``body_start`` and ends with ``body_end`` (whitespace
ignored); each predicted article matches at most one expected article.  All
other measures are taken over matched pairs.  See docs/expected-pages.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import attrs

EXPECTED_SCHEMA = "corepress.expected/1"


def _squash(text: Optional[str]) -> str:
    return "".join((text or "").split())


@attrs.frozen
class Rate:
    hit: int
    total: int

    @property
    def value(self) -> float:
        return 1.0 if self.total == 0 else self.hit / self.total

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hit}/{self.total})"


@attrs.frozen
class ScoreResult:
    precision: float
    recall: float
    f1: float
    rates: Mapping[str, Rate]
    problems: Tuple[str, ...]

    def to_dict(self) -> Dict[str, Any]:
        return {
            "boundary": {"precision": self.precision, "recall": self.recall, "f1": self.f1},
            **{name: {"rate": r.value, "hit": r.hit, "total": r.total} for name, r in self.rates.items()},
            "problems": list(self.problems),
        }

    def report(self) -> str:
        lines = [f"boundary   P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"]
        lines += [f"{name:<18} {rate}" for name, rate in self.rates.items()]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def rate(self, name: str) -> float:
        return self.rates[name].value


def page_number(value: Any) -> Optional[str]:
    """A continuation target as text: ``3``, ``"3"`` and ``"03"`` are one page; ``"A3"`` stays ``"A3"``.

    ``corepress.page/1`` gives page numbers as integers; a later schema may give strings.
    """
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return str(int(text)) if text.isdigit() else text or None


def _body(article: Mapping[str, Any]) -> str:
    return _squash("".join(p["text"] for p in article.get("paragraphs", [])))


def match_articles(pred: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> List[Tuple[int, int]]:
    pairs: List[Tuple[int, int]] = []
    used = set()
    bodies = [_body(a) for a in pred]
    for gi, g in enumerate(gold):
        start, end = _squash(g["body_start"]), _squash(g["body_end"])
        for pi, body in enumerate(bodies):
            if pi not in used and body.startswith(start) and body.endswith(end):
                pairs.append((pi, gi))
                used.add(pi)
                break
    return pairs


def score(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> ScoreResult:
    """Compare a ``corepress.page/2`` (or ``/1``) dict with a ``corepress.expected/1`` dict."""
    if gold.get("schema") != EXPECTED_SCHEMA:
        raise ValueError(f"expected page has schema {gold.get('schema')!r}, not {EXPECTED_SCHEMA!r}")
    p_articles = pred["articles"]
    g_articles = gold["articles"]
    pairs = match_articles(p_articles, g_articles)
    problems: List[str] = []
    matched_gold = {gi for _, gi in pairs}
    matched_pred = {pi for pi, _ in pairs}
    for gi, g in enumerate(g_articles):
        if gi not in matched_gold:
            problems.append(f"expected article not found: {g.get('title')!r} ({g['body_start'][:10]}…{g['body_end'][-10:]})")
    for pi, p in enumerate(p_articles):
        if pi not in matched_pred:
            problems.append(f"unexpected article: {p.get('title')!r} ({_body(p)[:12]}…)")
    precision = len(pairs) / len(p_articles) if p_articles else (1.0 if not g_articles else 0.0)
    recall = len(pairs) / len(g_articles) if g_articles else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)

    counters: Dict[str, List[int]] = {
        k: [0, 0]
        for k in ("title", "kicker", "subtitle", "column", "byline", "kind", "reporters", "continuation", "paragraphs", "subheads", "truncated_start")
    }

    def tally(name: str, ok: bool, what: str) -> None:
        counters[name][1] += 1
        if ok:
            counters[name][0] += 1
        else:
            problems.append(what)

    for pi, gi in pairs:
        p, g = p_articles[pi], g_articles[gi]
        label = g.get("title") or g["body_start"][:10]
        for field in ("title", "kicker", "subtitle", "column", "byline"):
            if field in g:
                tally(field, (p.get(field) or None) == (g[field] or None), f"{label}: {field} {p.get(field)!r} != {g[field]!r}")
        if "kind" in g:
            tally("kind", p.get("kind") == g["kind"], f"{label}: kind {p.get('kind')!r} != {g['kind']!r}")
        for name in g.get("reporters", []):
            tally("reporters", name in p.get("reporters", []), f"{label}: reporter {name} missing")
        for field in ("continued_to", "continued_from"):
            if g.get(field) is not None or p.get(field) is not None:
                same = page_number(p.get(field)) == page_number(g.get(field))
                tally("continuation", same, f"{label}: {field} {p.get(field)!r} != {g.get(field)!r}")
        if "paragraphs" in g:
            n = len(p.get("paragraphs", []))
            tally("paragraphs", n == g["paragraphs"], f"{label}: {n} paragraphs, expected {g['paragraphs']}")
        subheads = {_squash(x["text"]) for x in p.get("paragraphs", []) if x.get("role") == "subhead"}
        for sub in g.get("subheads", []):
            tally("subheads", _squash(sub) in subheads, f"{label}: subhead {sub!r} missing")
        if "truncated_start" in g:
            tally("truncated_start", bool(p.get("truncated_start")) == g["truncated_start"], f"{label}: truncated_start {p.get('truncated_start')} != {g['truncated_start']}")

    rates: Dict[str, Rate] = {k: Rate(*v) for k, v in counters.items()}
    paragraphs = [_squash(x["text"]) for a in p_articles for x in a.get("paragraphs", [])]
    joins = [0, 0]
    for left, right in gold.get("joins", []):
        joins[1] += 1
        needle = _squash(left) + _squash(right)
        if any(needle in para for para in paragraphs):
            joins[0] += 1
        else:
            problems.append(f"paragraph break not joined: {left}|{right}")
    rates["joins"] = Rate(*joins)
    masthead = [0, 0]
    g_mast = gold.get("masthead")
    p_mast = pred.get("masthead") or {}
    if g_mast is None and pred.get("masthead") is not None:
        problems.append("a masthead was found on a page that has none")
        masthead[1] += 1
    for key, value in (g_mast or {}).items():
        masthead[1] += 1
        if p_mast.get(key) == value:
            masthead[0] += 1
        else:
            problems.append(f"masthead {key}: {p_mast.get(key)!r} != {value!r}")
    rates["masthead"] = Rate(*masthead)
    dropped = [0, 0]
    # masthead text is kept in the masthead's lines rather than in "dropped"
    kept = [{"reason": "masthead", "text": line["text"]} for line in p_mast.get("lines", [])]
    for d in gold.get("dropped", []):
        dropped[1] += 1
        if any(x["reason"] == d["reason"] and _squash(d["text"]) in _squash(x["text"]) for x in pred.get("dropped", []) + kept):
            dropped[0] += 1
        else:
            problems.append(f"not dropped as {d['reason']}: {d['text']!r}")
    rates["dropped"] = Rate(*dropped)
    paper_ok = (pred.get("paper") or {}).get("id") == gold.get("paper")
    rates["paper"] = Rate(int(paper_ok), 1)
    if not paper_ok:
        problems.append(f"paper {(pred.get('paper') or {}).get('id')!r} != {gold.get('paper')!r}")
    return ScoreResult(precision, recall, f1, rates, tuple(problems))


def load_json(path: Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def score_files(pred: Path, gold: Path) -> ScoreResult:
    return score(load_json(pred), load_json(gold))
