"""Where the gold of a page is, and reading it: snippet gold (``NAME.json``) or an expected page (``NAME.expected.json``).

Shared by ``corepress eval``, ``corepress score``, the eval drafts and trainers: a page is
scored when a gold sits beside it (or in a gold folder) under the same stem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import attrs

from corepress.evaluation.score import EXPECTED_SCHEMA
from corepress.evaluation.snippet import GoldError, SnippetGold, read_json, snippet_gold_from_dict
from corepress.values.errors import InputError

EXPECTED_SUFFIX = ".expected.json"
SNIPPET_SUFFIX = ".json"

Gold = Union[SnippetGold, Dict[str, Any]]


@attrs.frozen
class EvalError:
    """A page, folder or gold that could not be scored; ``message`` is one line naming it."""

    path: str
    message: str

    def to_dict(self) -> Dict[str, str]:
        return {"path": self.path, "message": self.message}

    def __str__(self) -> str:
        return self.message


# --- finding pages and their gold ------------------------------------------------------------------
def gold_candidates(page: Path, gold_dir: Optional[Path] = None) -> List[Path]:
    folder = gold_dir if gold_dir is not None else page.parent
    return [folder / (page.stem + EXPECTED_SUFFIX), folder / (page.stem + SNIPPET_SUFFIX)]


def find_gold(page: Path, gold_dir: Optional[Path] = None) -> Optional[Path]:
    """The gold for ``page``: ``NAME.expected.json`` first, then ``NAME.json``, beside it or in ``gold_dir``."""
    return next((p for p in gold_candidates(page, gold_dir) if p.is_file()), None)


def page_of_gold(path: Path) -> Optional[Path]:
    """The page a gold file given on the command line belongs to (a shell glob passes both)."""
    from corepress.pipeline.pipeline import reader_suffixes

    name = path.name
    stem = name[: -len(EXPECTED_SUFFIX)] if name.endswith(EXPECTED_SUFFIX) else path.stem
    return next((path.with_name(stem + s) for s in reader_suffixes() if path.with_name(stem + s).is_file()), None)


@attrs.frozen
class Plan:
    """What ``collect`` found: ``(page, gold)`` pairs in order, errors, and pages skipped for want of gold."""

    jobs: Tuple[Tuple[Path, Path], ...]
    errors: Tuple[EvalError, ...]
    skipped: int


def collect(paths: Iterable[Union[str, Path]], gold_dir: Optional[Path] = None) -> Plan:
    """Files as given, folders walked; each page paired with its gold.

    A file without gold, a folder where no page has gold and a path that does not exist
    are errors; pages without gold inside a folder where others have it are skipped.
    """
    from corepress.corpus.batch import expand_paths
    from corepress.pipeline.pipeline import reader_suffixes

    suffixes = reader_suffixes()
    jobs: List[Tuple[Path, Path]] = []
    errors: List[EvalError] = []
    seen = set()
    skipped = 0
    where = f" in {gold_dir}" if gold_dir is not None else " beside it"
    for raw in paths:
        path = Path(raw)
        if path.is_file() and path.name.endswith(SNIPPET_SUFFIX):
            page = page_of_gold(path)
            if page is None:
                errors.append(EvalError(str(path), f"{path}: a gold file, but no page of the same name beside it"))
                continue
            path = page
        try:
            pages = list(expand_paths([path], suffixes))
        except InputError as exc:
            errors.append(EvalError(str(path), str(exc)))
            continue
        found = 0
        for page in pages:
            key = page.resolve()
            if key in seen:
                found += 1
                continue
            gold = find_gold(page, gold_dir)
            if gold is None:
                if not path.is_dir():
                    names = " or ".join(p.name for p in gold_candidates(page, gold_dir))
                    errors.append(EvalError(str(page), f"{page}: no gold{where} ({names})"))
                skipped += path.is_dir()
                continue
            seen.add(key)
            found += 1
            jobs.append((page, gold))
        if path.is_dir() and not found:
            errors.append(
                EvalError(str(path), f"{path}: no page in this folder has a gold{where} (NAME.json or NAME.expected.json)")
            )
    return Plan(tuple(jobs), tuple(errors), skipped)


# --- gold ------------------------------------------------------------------------------------------
def _check_expected(data: Mapping[str, Any], where: str) -> Dict[str, Any]:
    articles = data.get("articles")
    if not isinstance(articles, list):
        raise GoldError(f"{where}: lacks the required key 'articles' (a list)")
    for n, a in enumerate(articles):
        if not isinstance(a, Mapping):
            raise GoldError(f"{where}: articles[{n}] is not an object")
        for key in ("body_start", "body_end"):
            if not isinstance(a.get(key), str):
                raise GoldError(f"{where}: articles[{n}] lacks the required string {key!r}")
    joins = data.get("joins", [])
    if not isinstance(joins, list) or not all(isinstance(j, list) and len(j) == 2 for j in joins):
        raise GoldError(f"{where}: joins must be a list of [before, after] pairs")
    return dict(data)


def gold_page_name(gold: Gold) -> Optional[str]:
    """The page file a gold says it was written for (snippet ``seed``, expected ``page``), if it says."""
    name = gold.seed if isinstance(gold, SnippetGold) else gold.get("page")
    return name if isinstance(name, str) and name else None


def load_gold(path: Union[str, Path]) -> Gold:
    """Snippet gold or an expected page (a dict); :class:`GoldError` (one line) when it is neither."""
    path = Path(path)
    data = read_json(path)
    if isinstance(data, Mapping) and data.get("schema") == EXPECTED_SCHEMA:
        return _check_expected(data, str(path))
    return snippet_gold_from_dict(data, str(path))


def check_page_name(gold: Gold, gold_path: Path, page_name: str) -> None:
    """Refuse a gold written for another page (compared by stem: ``x.txt`` and ``x.md`` are one page)."""
    named = gold_page_name(gold)
    if named is not None and Path(named).stem != Path(page_name).stem:
        raise GoldError(f"{gold_path}: is the gold of {named}, not of {Path(page_name).name}")
