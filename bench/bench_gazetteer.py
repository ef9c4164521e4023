"""Benchmark of the bundled gazetteer: cold load, memory and lookup throughput (prints figures).

Run from the repository root::

    python bench/bench_gazetteer.py

Budgets (issue 3): cold load + first lookup <= 0.5 s, <= 150 MB added RSS, >= 100,000 lookups/s (also
with the result cache cleared before every call, so every candidate of every homonym is built). The last
lookup line is the worst case: names with dozens to hundreds of places, not a budget.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nk-russia-arms-2024-01-11.txt"

_COLD = r"""
import json, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
r0 = rss(); t0 = time.perf_counter()
from geo.gazetteer import Gazetteer
t1 = time.perf_counter(); r1 = rss()
g = Gazetteer.load()
hit = g.lookup("Seoul")[0]
t2 = time.perf_counter(); r2 = rss()
g.shape("KP"); g.country_at((39.0, 125.7))
t3 = time.perf_counter(); r3 = rss()
print(json.dumps({"import_s": t1 - t0, "load_first_lookup_s": t2 - t1, "total_s": t2 - t0,
                  "rss_base_mb": r0, "rss_import_mb": r1 - r0, "rss_load_mb": r2 - r1,
                  "rss_total_mb": r2 - r0, "shapes_s": t3 - t2, "rss_shapes_mb": r3 - r2, "hit": hit.name}))
"""


def cold(runs: int = 5) -> list[dict[str, float]]:
    """Run the cold-load script in fresh interpreters and return the figures of each run."""
    out = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", _COLD], cwd=ROOT, capture_output=True, text=True, check=True
        )
        out.append(json.loads(proc.stdout))
    return out


def ngrams(text: str, n: int) -> list[str]:
    """All 1..n-word n-grams of the words of ``text`` (what a gazetteer matcher asks about)."""
    words = re.findall(r"[\w’'.-]+", text)
    return [" ".join(words[i : i + k]) for k in range(1, n + 1) for i in range(len(words) - k + 1)]


def rate(func, items: list, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Calls per second of ``func`` over ``items`` (best of ``repeat``)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for x in items:
            func(x)
        best = min(best, time.perf_counter() - t)
    return len(items) / best


def main() -> int:
    """Print the benchmark figures."""
    runs = cold()
    med = {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in runs[0] if k != "hit"}
    print(f"cold (median of {len(runs)} fresh interpreters):")
    print(f"  import geo.gazetteer      {med['import_s']:.3f} s  +{med['rss_import_mb']:.0f} MB")
    print(f"  load + first lookup       {med['load_first_lookup_s']:.3f} s  +{med['rss_load_mb']:.0f} MB")
    print(
        f"  total (budget 0.5 s/150MB) {med['total_s']:.3f} s  +{med['rss_total_mb']:.0f} MB "
        f"(interpreter baseline {med['rss_base_mb']:.0f} MB)"
    )
    print(f"  shapes on first use       {med['shapes_s']:.3f} s  +{med['rss_shapes_mb']:.0f} MB")

    sys.path.insert(0, str(ROOT))
    from geo.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else "Seoul Najin Moscow Ukraine " * 200
    grams = ngrams(text, gaz.max_name_tokens if gaz.max_name_tokens < 6 else 6)
    hits = [g for g in grams if gaz.has(g)]
    names = sorted({c.name for g in hits for c in gaz.lookup(g, limit=3)})
    print(f"\nthroughput ({len(grams):,} n-grams of the seed article, {len(hits):,} are names):")
    print(f"  has() over all n-grams          {rate(gaz.has, grams):>10,.0f} /s")

    def uncached(name: str) -> None:
        gaz._cache.clear()
        gaz.lookup(name)

    def uncached_one(name: str) -> None:
        gaz._cache.clear()
        gaz.lookup(name, limit=1)

    print(f"  lookup() over all n-grams       {rate(gaz.lookup, grams):>10,.0f} /s  (result cache warm)")
    print(f"  lookup() over all n-grams, cache cleared {rate(uncached, grams):>,.0f} /s")
    print(f"  lookup() hits, cache cleared    {rate(uncached, hits):>10,.0f} /s  (all candidates)")
    print(f"  lookup(limit=1), cache cleared  {rate(uncached_one, hits):>10,.0f} /s")
    print(f"  lookup() {len(names)} distinct names, cold {rate(uncached, names):>7,.0f} /s")
    heavy = ["Washington", "Paris", "Springfield", "Santa Maria"]
    sizes = ", ".join(f"{n} {len(gaz.lookup(n))}" for n in heavy)
    print(f"  lookup() heavy homonyms, cold   {rate(uncached, heavy * 25):>10,.0f} /s  ({sizes} places)")
    print(f"  demonym()                       {rate(gaz.demonym, grams):>10,.0f} /s")
    pts = [(c.lat, c.lon) for n in names[:50] for c in gaz.lookup(n, limit=1)]
    print(f"  reverse()                       {rate(gaz.reverse, pts, 1):>10,.0f} /s")
    print(f"  country_at()                    {rate(gaz.country_at, pts):>10,.0f} /s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
