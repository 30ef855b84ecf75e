"""``corepress score``: choosing the page a prediction file holds, and the text its spans index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from corepress.evaluation.gold import Gold, gold_page_name
from corepress.evaluation.snippet import GoldError
from corepress.values.errors import InputError


def _read_predictions(path: Path) -> List[Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise GoldError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise GoldError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as whole:
        items = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError:
                raise GoldError(f"{path}: neither JSON nor JSON lines (line {whole.lineno}: {whole.msg})") from None
        if not items:
            raise GoldError(f"{path}: empty") from None
        return items
    return data if isinstance(data, list) else [data]


def _source(pred: Mapping[str, Any]) -> Mapping[str, Any]:
    source = pred.get("source")
    return source if isinstance(source, Mapping) else {}


def _names_page(pred: Mapping[str, Any], name: str) -> bool:
    """Whether a parse is of the page ``name``: same file stem, or a sha256 starting with the name's stem."""
    path, sha = _source(pred).get("path"), _source(pred).get("sha256")
    if isinstance(path, str) and path and Path(path).stem == Path(name).stem:
        return True
    stem = Path(name).stem.lower()
    return isinstance(sha, str) and len(stem) >= 8 and sha.startswith(stem)


def pick_prediction(pred_path: Path, gold: Gold, gold_path: Path) -> Dict[str, Any]:
    """The page in ``pred_path`` (one JSON page, a JSON list, or JSON lines) that ``gold`` is for.

    Several pages: the one whose ``source.path`` stem (or ``sha256``) matches the gold's
    page name.  One page: it, unless its ``source.path`` names another file than the gold
    does.  Anything else raises :class:`GoldError` with one line.
    """
    items = _read_predictions(pred_path)
    pages = [p for p in items if isinstance(p, Mapping) and isinstance(p.get("articles"), list)]
    if len(pages) != len(items) or not pages:
        raise GoldError(f"{pred_path}: not a parse (a corepress.page JSON object, a list of them, or JSON lines)")
    name = gold_page_name(gold)
    if len(pages) == 1:
        page = pages[0]
        path = _source(page).get("path")
        if name is not None and isinstance(path, str) and not _names_page(page, name):
            raise GoldError(f"{gold_path}: is the gold of {name}, but {pred_path} is a parse of {path}")
        return dict(page)
    if name is None:
        raise GoldError(f"{pred_path}: holds {len(pages)} pages and {gold_path} does not name its page (seed / page)")
    chosen = [p for p in pages if _names_page(p, name)]
    if len(chosen) != 1:
        what = "none" if not chosen else f"{len(chosen)}"
        raise GoldError(f"{pred_path}: holds {len(pages)} pages and {what} of them is {name}, the page of {gold_path}")
    return dict(chosen[0])


def page_text_for(pred: Mapping[str, Any]) -> Optional[str]:
    """The page text a parse's spans index, when its source file is still there and the same length."""
    from corepress.pipeline.pipeline import read_input

    source = _source(pred)
    if not isinstance(source.get("path"), str):
        return None
    path = Path(source["path"])
    try:
        if not path.is_file():
            return None
        text = read_input(path).text
    except (InputError, OSError):
        return None
    return text if source.get("length") in (None, len(text)) else None
