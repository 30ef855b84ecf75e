"""Batches through the command line: --jobs speed-up, Dask against serial, and peak memory by batch size.

    python benchmarks/bench_corpus.py [--pages DIR] [--sizes 200,2000,10000] [--skip-dask]

A corpus of N pages is made by copying the given pages (default: the seeds) into
a temporary folder, each copy under its own name, until there are N.  Each run is
a real ``python -m corepress parse`` process; its memory is the sum of the
resident sizes of the process and its workers, sampled every 50 ms (psutil), and
for ``--jobs 2`` also their summed proportional sizes (PSS): forked workers share
the main process's pages (the interpreter, the plugins, numpy), which a sum of
resident sizes counts once per process.
Benchmarks measure; tests never assert times or sizes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(source: Path, count: int, folder: Path) -> Path:
    pages = sorted(p for p in source.rglob("*") if p.suffix in (".txt", ".md"))
    if not pages:
        raise SystemExit(f"no pages in {source}")
    target = folder / f"corpus-{count}"
    target.mkdir()
    for i, page in zip(range(count), itertools.cycle(pages)):
        shutil.copyfile(page, target / f"{i:06d}-{page.name}")
    return target


def run(args, *, sample: bool = True):
    """Wall seconds, peak resident MB and peak proportional MB of one ``corepress`` command.

    With ``sample``, the peak is the process tree's summed RSS, sampled every 50 ms (a worker pool is
    several processes).  Without, nothing watches the command: the process is waited for and its peak
    is the kernel's count (``wait4``: its own, or its largest reaped child's).  Sampling reads the
    process's memory maps while it runs, which slowed a command that maps numpy by several per cent,
    and rounds its time up to a sampling tick.  The proportional peak (a shared page counted once over
    the tree) is read with the samples only (``None`` without)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "corepress", *map(str, args)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not sample:
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss * 1024  # KiB on Linux
        proportional = None
    else:
        import psutil

        watched = psutil.Process(process.pid)
        peak = proportional = 0
        while process.poll() is None:
            try:
                tree = [p for p in (watched, *watched.children(recursive=True)) if p.is_running()]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
                proportional = max(proportional, sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"corepress {' '.join(map(str, args))} exited with {process.returncode}")
    return elapsed, peak / 2**20, None if proportional is None else proportional / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT / "seeds")
    parser.add_argument("--sizes", default="200,2000", help="batch sizes for the memory table")
    parser.add_argument("--speed-size", type=int, default=2000, help="pages for the --jobs and Dask timings")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = make_corpus(args.pages, args.speed_size, folder)
        out = folder / "out.jsonl"
        # timed without the memory sampler, which takes CPU time of its own
        serial, *_ = run(["parse", corpus, "--format", "jsonl", "-o", out, "-q"], sample=False)
        pooled, *_ = run(["parse", corpus, "--format", "jsonl", "-o", out, "-q", "--jobs", "2"], sample=False)
        print(f"{args.speed_size} pages of {args.pages}")
        print(f"  --jobs 1: {serial:6.1f} s ({args.speed_size / serial:6.1f} pages/s)")
        print(f"  --jobs 2: {pooled:6.1f} s ({args.speed_size / pooled:6.1f} pages/s), speed-up {serial / pooled:.2f}x")
        if not args.skip_dask:
            dask, *_ = run(["parse", corpus, "--format", "jsonl", "-o", out, "-q", "--engine", "dask", "--jobs", "2"], sample=False)
            print(f"  dask (LocalCluster, 2 workers): {dask:6.1f} s, {dask / serial:.2f}x the serial time "
                  f"(cluster start-up included)")
        print("peak resident memory of the whole process tree (MB)")
        print(f"  {'pages':>8} {'jsonl':>8} {'parquet':>8} {'jsonl -j2':>10} {'-j2 PSS':>8}")
        for size in sizes:
            batch = corpus if size == args.speed_size else make_corpus(args.pages, size, folder)
            jsonl = run(["parse", batch, "--format", "jsonl", "-o", out, "-q"])[1]
            parquet_dir = folder / f"tables-{size}"
            parquet = run(["parse", batch, "--format", "parquet", "-o", parquet_dir, "-q"])[1]
            _, pooled_mb, pooled_pss = run(["parse", batch, "--format", "jsonl", "-o", out, "-q", "--jobs", "2"])
            print(f"  {size:>8} {jsonl:8.0f} {parquet:8.0f} {pooled_mb:10.0f} {pooled_pss:8.0f}")
            if batch != corpus:
                shutil.rmtree(batch)


if __name__ == "__main__":
    main()
