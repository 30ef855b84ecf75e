"""How fast ``corepress align`` clusters articles: articles per second, parse time apart.

    python benchmarks/bench_align.py PAGES_OR_FOLDERS... [--copies N]

The pages are parsed once (not timed); their articles, repeated ``--copies`` times
with a small change in each copy (so every story has reprints to find), are then
aligned.  Benchmarks measure; tests never assert times.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import attrs

from corepress.corpus.align import align, members_of
from corepress.corpus.batch import Failure, parse_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    pages = [r for _, r in parse_files(args.paths, jobs=args.jobs) if not isinstance(r, Failure)]
    members = members_of(pages)
    for copy in range(1, args.copies):
        members += [attrs.evolve(m, article=f"{m.article}~{copy}", traced=m.traced[copy:]) for m in members_of(pages)]
    start = time.perf_counter()
    clusters = align(members)
    elapsed = time.perf_counter() - start
    print(f"{len(members)} articles from {len(pages)} pages: {elapsed:.1f} s, {len(members) / elapsed:.0f} articles/s, "
          f"{len(clusters)} clusters")


if __name__ == "__main__":
    main()
