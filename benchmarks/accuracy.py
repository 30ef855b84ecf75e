"""How well corepress segments pages: ``corepress eval`` over every set of pages with gold, as one table.

    python benchmarks/accuracy.py [--corpus-dir DIR] [--cache DIR] [--no-corpus] [--json] [--compare PLUGIN]

Sets: the seeds (expected pages), the project's own test pages (``tests/pages/*``, as the
test suite counts them) and the plugins' sample pages, and — when ``../shared/corpora/rmrb`` exists next to the repository, or
``--corpus-dir`` points at pages made from it — the 人民日报 development corpus in both
of its forms (``indented``: the e-paper text; ``blank``: the PDF-dump layout with column
breaks), split into January and February (keep them apart to see whether a change
generalises) and whole.

The corpus pages are generated with the corpus's own ``make_pages.py`` (needs
``pip install py7zr``) into ``~/.cache/corepress-dev/<form>`` once and reused after;
``--corpus-dir DIR`` uses ``DIR/indented`` and ``DIR/blank`` as they are.  The corpus
texts have no licence: they are read here, never copied into the project.

``--compare PLUGIN`` (e.g. ``--compare learned``, the trainable boundary model) scores every
set twice, without the plugin (``COREPRESS_DISABLED_PLUGINS``) and with it, and prints the
difference of mean F1 with a 95 % paired bootstrap confidence interval over pages.

A benchmark measures; nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import corepress
from corepress.evaluation.evaluate import EvalError, Totals, collect, evaluate_one

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "rmrb"
FORMS = ("indented", "blank")
MONTHS = (("Jan", "rmrb-202001"), ("Feb", "rmrb-202002"))
COLUMNS = ("pages", "mean F1", "micro P", "micro R", "titles exact", "joins made", "joins not in gold", "joins across boundary", "seconds")


class Row:
    """One set of pages: its totals and the seconds spent parsing and scoring it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.totals = Totals()
        self.seconds = 0.0
        self.errors: List[str] = []
        self.skipped = 0
        self.f1: Dict[str, float] = {}  # per page, for the paired bootstrap of --compare

    def to_dict(self) -> Dict[str, Any]:
        total = self.totals.to_dict(errors=len(self.errors), skipped=self.skipped)
        return {"set": self.name, **total, "seconds": round(self.seconds, 3), "error_lines": self.errors}


def run_jobs(jobs: Sequence[Tuple[Path, Path]], rows: Sequence[Tuple[Row, Optional[str]]]) -> None:
    """Parse and score each page once, adding it to every row whose name prefix it carries (``None``: all)."""
    for page, gold in jobs:
        start = time.perf_counter()
        result = evaluate_one(page, gold)
        seconds = time.perf_counter() - start
        for row, prefix in rows:
            if prefix is not None and not page.name.startswith(prefix):
                continue
            row.seconds += seconds
            if isinstance(result, EvalError):
                row.errors.append(str(result))
            else:
                row.totals.add(result)
                row.f1[str(page)] = result.f1


def plain_set(name: str, paths: Sequence[Path]) -> Row:
    row = Row(name)
    plan = collect(paths)
    row.errors.extend(str(e) for e in plan.errors)
    row.skipped = plan.skipped
    run_jobs(plan.jobs, [(row, None)])
    return row


def own_pages() -> List[Path]:
    """The project's own pages, as the test suite counts them: tests/pages/ (not its sub-folders, which
    hold the fixtures of the evaluation's own tests) and every plugin's samples/."""
    top = sorted(p for p in (ROOT / "tests" / "pages").iterdir() if p.is_file() and p.suffix in (".txt", ".md"))
    return top + sorted(ROOT.glob("plugins/*/corepress_*/samples"))


def _has_pages(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.json")) and any(folder.glob("*.txt"))


def generated_form(form: str, cache: Path, notes: List[str]) -> Optional[Path]:
    """The corpus pages of ``form``: reused from ``cache/form`` or generated there with make_pages.py."""
    target = cache / form
    if _has_pages(target):
        return target
    script = CORPUS / "make_pages.py"
    try:
        import py7zr  # noqa: F401  (make_pages.py needs it to unpack the archives)
    except ImportError:
        notes.append(f"dev corpus ({form}): skipped: make_pages.py needs py7zr (pip install py7zr)")
        return None
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{form}.", dir=cache))
    print(f"generating the {form} dev corpus into {target} (once) …", file=sys.stderr)
    done = subprocess.run([sys.executable, str(script), str(work), "--form", form], capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        notes.append(f"dev corpus ({form}): skipped: make_pages.py failed: {last}")
        return None
    if target.exists():
        shutil.rmtree(target)
    os.replace(work, target)  # a run interrupted half-way leaves no half corpus to reuse
    return target


def corpus_forms(args: argparse.Namespace, notes: List[str]) -> Dict[str, Path]:
    if args.no_corpus:
        notes.append("dev corpus: skipped (--no-corpus)")
        return {}
    forms: Dict[str, Path] = {}
    if args.corpus_dir is not None:
        for form in FORMS:
            folder = args.corpus_dir / form
            if _has_pages(folder):
                forms[form] = folder
            else:
                notes.append(f"dev corpus ({form}): skipped: {folder} holds no pages with gold")
        return forms
    if not (CORPUS / "make_pages.py").is_file():
        notes.append(f"dev corpus: skipped: {CORPUS} not found (or pass --corpus-dir DIR)")
        return {}
    for form in FORMS:
        folder = generated_form(form, args.cache, notes)
        if folder is not None:
            forms[form] = folder
    return forms


def _rate(figure: Optional[Dict[str, Any]]) -> str:
    if figure is None:
        return "n/a"
    return "-" if figure["rate"] is None else f"{figure['rate']:.3f}"


def _num(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def table(rows: Sequence[Dict[str, Any]]) -> str:
    width = max([len(r["set"]) for r in rows] + [3])
    head = f"{'set':<{width}}" + "".join(f"  {c:>{max(len(c), 7)}}" for c in COLUMNS)
    lines = [head, "-" * len(head)]
    for r in rows:
        cells = (
            str(r["pages"]), _num(r["mean_f1"]), _num(r["micro_precision"]), _num(r["micro_recall"]),
            _rate(r["titles"]), _rate(r["joins_made"]), _rate(r["joins_not_in_gold"]), _rate(r["joins_across_boundary"]),
            f"{r['seconds']:.1f}",
        )
        lines.append(f"{r['set']:<{width}}" + "".join(f"  {v:>{max(len(c), 7)}}" for c, v in zip(COLUMNS, cells)))
    return "\n".join(lines)


def bootstrap_difference(a: Row, b: Row, rounds: int = 2000, seed: int = 0) -> Optional[Tuple[float, float, float]]:
    """Mean F1 of ``b`` minus ``a`` over their common pages, with a 95 % paired bootstrap interval."""
    pages = sorted(set(a.f1) & set(b.f1))
    if not pages:
        return None
    diffs = [b.f1[p] - a.f1[p] for p in pages]
    rng = random.Random(seed)
    means = sorted(sum(rng.choice(diffs) for _ in diffs) / len(diffs) for _ in range(rounds))
    return sum(diffs) / len(diffs), means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def use_plugins(base: str, disabled: Sequence[str]) -> None:
    """Reload the plugins with ``disabled`` added to the user's own block list ``base`` (the variable users set)."""
    from corepress.plugin_system.manager import ENV_DISABLED, reset_plugins

    os.environ[ENV_DISABLED] = ",".join([n for n in base.split(",") if n] + list(disabled))
    reset_plugins()
    corepress.parse_text("预热\n")


def score_sets(forms: Dict[str, Path], suffix: str = "") -> List[Row]:
    rows = [plain_set("seeds" + suffix, [ROOT / "seeds"]), plain_set("own pages" + suffix, own_pages())]
    for form, folder in forms.items():
        months = [(Row(f"dev {form} {label}{suffix}"), prefix) for label, prefix in MONTHS]
        whole = Row(f"dev {form} all{suffix}")
        plan = collect([folder])
        whole.errors.extend(str(e) for e in plan.errors)
        run_jobs(plan.jobs, [*months, (whole, None)])
        rows += [row for row, _ in months] + [whole]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus-dir", type=Path, help="pre-generated corpus: DIR/indented and DIR/blank")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "corepress-dev", help="where generated corpus pages are kept")
    parser.add_argument("--no-corpus", action="store_true", help="only the project's own pages")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--compare", metavar="PLUGIN", help="score each set without and with this plugin (entry-point name)")
    args = parser.parse_args()

    corepress.parse_text("预热\n")  # plugins loaded and patterns compiled before any timing
    notes: List[str] = []
    forms = corpus_forms(args, notes)
    comparisons: List[Tuple[str, Optional[Tuple[float, float, float]]]] = []
    if args.compare:
        base = os.environ.get("COREPRESS_DISABLED_PLUGINS", "")
        use_plugins(base, [args.compare])
        without = score_sets(forms, f" (no {args.compare})")
        use_plugins(base, [])
        rows = score_sets(forms)
        for a, b in zip(without, rows):
            comparisons.append((b.name, bootstrap_difference(a, b)))
        rows = [r for pair in zip(without, rows) for r in pair]
    else:
        rows = score_sets(forms)
    data = [row.to_dict() for row in rows]
    if args.json:
        diff = {name: (None if d is None else {"difference": d[0], "ci95": [d[1], d[2]]}) for name, d in comparisons}
        print(json.dumps({"rows": data, "comparison": diff, "notes": notes}, ensure_ascii=False, indent=2))
        return
    print(table(data))
    for name, d in comparisons:
        if d is not None:
            print(f"{name}: mean F1 with {args.compare} minus without: {d[0]:+.4f} (95% paired bootstrap CI {d[1]:+.4f} … {d[2]:+.4f})")
    print("titles exact, joins made: rates (higher is better); joins not in gold: share of the joins made that")
    print("the gold does not have, paragraph breaks or headline lines glued (lower is better); joins across")
    print("boundary: share of gold article boundaries a join glued shut (lower is better); n/a: the gold holds")
    print("no such figure")
    for row in data:
        for line in row["error_lines"][:5]:
            print(f"{row['set']}: error: {line}")
        if len(row["error_lines"]) > 5:
            print(f"{row['set']}: … {len(row['error_lines']) - 5} more errors")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
