"""Peak memory and time of ``geo.analyze`` on long inputs (the seed article repeated to a given size).

    python bench/bench_memory.py [--sizes-mb 0.5 1 2 4]

Each size runs in a fresh interpreter so the peak RSS belongs to that size alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import resource, sys, time
from pathlib import Path
import geo
from geo.pipeline import default_resources
seed = Path(sys.argv[1]).read_text(encoding="utf-8")
size = int(float(sys.argv[2]) * 1_000_000)
text = (seed + "\\n\\n") * (size // (len(seed) + 2))
default_resources()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
a = geo.analyze(text)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(text)/1e6:5.2f} MB: {dt:6.1f} s, {len(text.split())/dt:7,.0f} words/s, "
      f"peak RSS {peak:6.0f} MB (+{peak - base:5.0f} MB over the loaded pipeline), "
      f"{len(a.toponyms):,} toponyms, {len(a.events):,} events")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes-mb", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    args = ap.parse_args()
    seed = ROOT / "seeds" / "nk-russia-arms-2024-01-11.txt"
    for size in args.sizes_mb:
        subprocess.run([sys.executable, "-c", CHILD, str(seed), str(size)], check=True)


if __name__ == "__main__":
    main()
