"""How fast corepress parses pages, next to a floor that only reads, splits and dumps JSON.

    python benchmarks/bench_parse.py [--rounds N] [PAGES...]

Plugins are loaded and every pattern is compiled during a warm-up round, so the
timed rounds measure parsing only.  Also prints how parse time grows with page
size on pathological text (it should grow linearly: the ratio column near 1).
Benchmarks measure; tests never assert wall-clock times.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path

import corepress
from corepress.pipeline.pipeline import parse_text
from corepress.plugin_system.manager import get_plugins
from corepress.values.hooktypes import ParseOptions

ROOT = Path(__file__).resolve().parents[1]


def floor(texts):
    """Read, split on blank lines, dump JSON: the least any parser must do."""
    for text in texts:
        blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
        json.dumps({"blocks": blocks}, ensure_ascii=False)


def parse_all(texts, plugins):
    for text in texts:
        json.dumps(parse_text(text, options=ParseOptions(), plugins=plugins).to_dict(), ensure_ascii=False)


def _check_functions():
    """Where the run-time checks live: (module, name, what a no-op stand-in returns)."""
    import corepress.pipeline.pipeline as pipeline
    import corepress.pipeline.repair as repair
    import corepress.plugin_system.validate as validate

    targets = [(pipeline, "verify", lambda page: []), (repair, "check_outcome", lambda *a: "")]
    for name in ("evidence", "masthead", "repair_rules", "repair_outcome", "votes", "gap_scores", "article_updates"):
        targets.append((validate, name, lambda result, *a: result))
    return targets


@contextlib.contextmanager
def _replaced(replacements):
    saved = {(module, name): getattr(module, name) for module, name, _ in replacements}
    for module, name, stand_in in replacements:
        setattr(module, name, stand_in)
    try:
        yield
    finally:
        for (module, name), original in saved.items():
            setattr(module, name, original)


def checks_switched_off():
    """For measuring only: every run-time check replaced by a no-op (never do this in a program)."""
    return _replaced(_check_functions())


def checks_clocked(spent):
    """Every run-time check wrapped in a clock adding its seconds to ``spent[0]``.

    An A/B of whole parses moves by ±10 % from round to round on a busy machine; the
    clocked share is steadier (it slightly overstates, by the clock's own cost).
    """
    def clocked(original):
        def call(*args):
            start = time.perf_counter()
            try:
                return original(*args)
            finally:
                spent[0] += time.perf_counter() - start
        return call

    return _replaced([(m, n, clocked(getattr(m, n))) for m, n, _ in _check_functions()])


def timed(fn, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    paths = args.pages or sorted((ROOT / "seeds").glob("*.txt"))
    texts = [corepress.read(p) for p in paths]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    plugins = get_plugins()
    parse_all(texts, plugins)  # warm-up: plugins loaded, patterns compiled
    t_parse = timed(lambda: parse_all(texts, plugins), args.rounds)
    t_floor = timed(lambda: floor(texts), args.rounds)
    n = len(texts)
    print(f"{n} pages, {megabytes:.3f} MB, best of {args.rounds} rounds")
    print(f"{'':10}{'pages/s':>12}{'MB/s':>10}")
    print(f"{'corepress':10}{n / t_parse:12.1f}{megabytes / t_parse:10.3f}")
    print(f"{'floor':10}{n / t_floor:12.1f}{megabytes / t_floor:10.3f}")
    print(f"corepress takes {t_parse / t_floor:.0f}x the floor's time")
    with checks_switched_off():
        t_unchecked = timed(lambda: parse_all(texts, plugins), args.rounds)
    spent = [0.0]
    with checks_clocked(spent):
        start = time.perf_counter()
        for _ in range(args.rounds):
            parse_all(texts, plugins)
        clocked_total = time.perf_counter() - start
    print("run-time checks (result validation, repair checks, accounting) cost "
          f"{100 * spent[0] / (clocked_total - spent[0]):.1f}% of the parse time (clocked), "
          f"{100 * (t_parse - t_unchecked) / t_unchecked:+.1f}% (best round with vs without)")
    print()
    pathological_table(plugins)


PATHOLOGICAL_SHAPES = {
    # name: (text before, unit repeated to the size)
    "comma column breaks": ("", "会议强调，\n\n"),  # a paragraph cut by a column break after every comma
    "tail-formula chain": ("正文，", "（下转第二版）"),  # one line of jump formulas
    "reporter-note chain": ("", "（记者 王明 李华）"),
    "short lines": ("", "标题\n"),  # thousands of two-character lines
    "letter-spaced": ("", "字 "),
    "spaced numbers": ("", "2026 年 "),  # a space between digits and ideographs, thousands of times in a line
    "repeated 下转 lines": ("", "（下转第2版）\n"),
    "one long paragraph": ("", "会议强调，要深化改革、扩大开放、促进发展。"),
}
SIZES_KB = (64, 256, 1024)


def pathological_table(plugins):
    """Seconds per 64 KB at each size: flat along a row means the shape grows linearly."""
    print("pathological shapes: seconds per 64 KB of text at 64 KB / 256 KB / 1 MB (flat = linear)")
    for name, (head, unit) in PATHOLOGICAL_SHAPES.items():
        row = []
        for kb in SIZES_KB:
            text = head + unit * (kb * 1024 // len(unit.encode("utf-8")))
            t = timed(lambda text=text: parse_text(text, options=ParseOptions(paper="generic"), plugins=plugins), 1)
            row.append(f"{t / (kb / 64):7.2f}")
        print(f"  {name:22}" + "".join(row))

if __name__ == "__main__":
    main()
