"""Benchmark: 1,000 range rings x 720 vertices with :func:`geo.geodesy.rings_vertices` (target <= 1 s).

Run: ``python bench/bench_rings.py [--rings 1000] [--n 720] [--repeat 5]``; prints the best time of the
repeats. Centres and radii are random (fixed seed) over the whole globe and 100-19,900 km; a second figure
covers radii beyond 19,960 km, traced from the antipode.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from geo.geodesy import rings_vertices

__all__ = ["main"]


def _best(lats: np.ndarray, lons: np.ndarray, kms: np.ndarray, n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        rings_vertices(lats, lons, kms, n=n)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rings", type=int, default=1000)
    ap.add_argument("--n", type=int, default=720)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(6)
    m = args.rings
    lats = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, m)))
    lons = rng.uniform(-180.0, 180.0, m)
    kms = rng.uniform(100.0, 19_900.0, m)
    t = _best(lats, lons, kms, args.n, args.repeat)
    print(
        f"rings_vertices: {m:,} rings x {args.n} vertices in {t:.3f} s (best of {args.repeat}); target <= 1 s"
    )
    far = rng.uniform(19_960.0, 20_003.0, 10)
    t_far = _best(lats[:10], lons[:10], far, args.n, 1)
    print(f"rings_vertices: 10 near-antipodal rings (19,960-20,003 km) x {args.n} vertices in {t_far:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
