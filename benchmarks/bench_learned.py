"""What the boundary model (corepress-learned) costs: ``corepress parse`` with it against the rules alone.

    python benchmarks/bench_learned.py [--pages DIR] [--rounds N]

Each run is a whole ``python -m corepress parse`` process over the pages (default: the
seeds) into a JSONL file, the plugin on and off (``COREPRESS_DISABLED_PLUGINS=learned``)
in turns, so both meet the same machine; the medians of ``--rounds`` runs and their
ratio are printed, with the peak resident memory of each (the kernel's count when the process
ends: nothing samples the process while it runs).
The issue's floor is a ratio of 1.5.  Needs the plugin installed; measures, never asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import ROOT, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT / "seeds")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    try:
        import corepress_learned  # noqa: F401
    except ImportError:
        raise SystemExit("corepress-learned is not installed: pip install -e plugins/corepress-learned") from None
    pages = sorted(p for p in args.pages.rglob("*") if p.suffix in (".txt", ".md"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        command = ["parse", args.pages, "--format", "jsonl", "-o", out, "-q"]
        times = {"with the model": [], "rules alone": []}
        memory = {"with the model": [], "rules alone": []}
        saved = os.environ.get("COREPRESS_DISABLED_PLUGINS")
        try:
            for _ in range(args.rounds):
                for label in times:
                    if label == "rules alone":
                        os.environ["COREPRESS_DISABLED_PLUGINS"] = "learned"
                    else:
                        os.environ.pop("COREPRESS_DISABLED_PLUGINS", None)
                    seconds, peak = run(command, sample=False)
                    times[label].append(seconds)
                    memory[label].append(peak)
        finally:
            if saved is None:
                os.environ.pop("COREPRESS_DISABLED_PLUGINS", None)
            else:
                os.environ["COREPRESS_DISABLED_PLUGINS"] = saved
    print(f"{len(pages)} pages of {args.pages}, {args.rounds} rounds (whole process, medians)")
    for label in times:
        print(f"  {label:15s} {statistics.median(times[label]):6.2f} s   peak {statistics.median(memory[label]):5.0f} MB")
    ratio = statistics.median(times["with the model"]) / statistics.median(times["rules alone"])
    print(f"  ratio {ratio:.2f}x the rules alone (floor: 1.5x)")


if __name__ == "__main__":
    main()
