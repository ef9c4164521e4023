"""Benchmark corpus mode (``sitmap batch``) on the GeoWebNews + LGL texts (788 documents).

Prints docs/s and words/s with 1 and 2 Dask workers, the scaling ratio, the peak memory (RSS) of each
worker, and the time and size of the corpus map (``--map``). The corpora are read from ``../shared/eval``
beside the repository (or ``--eval-dir``); their texts are written to a temporary JSON Lines file, never
into the repository.

    python bench/bench_batch.py [--eval-dir DIR] [--limit N] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from dask.distributed import Client, LocalCluster
from eval_geoparse import CORPORA, load_gwn, load_lgl  # bench/ is on sys.path when run as a script

from maps.batch import run_batch, write_corpus_map

ROOT = Path(__file__).resolve().parent.parent


def corpus_texts(eval_dir: Path) -> list[tuple[str, str]]:
    """``(id, text)`` of every article of GWN.xml and lgl.xml (read by the evaluation harness's loaders)."""
    out = []
    for tag, load in (("gwn", load_gwn), ("lgl", load_lgl)):
        for i, (text, _spans) in enumerate(load(eval_dir / CORPORA[tag])):
            out.append((f"{tag}-{i}", text))
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    docs = corpus_texts(args.eval_dir)[: args.limit]
    words = sum(len(t.split()) for _, t in docs)
    print(f"{len(docs)} documents, {words:,} words")
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in docs), encoding="utf-8")
        for n in args.workers:
            out = Path(tmp) / f"out-{n}.parquet"
            with (
                LocalCluster(n_workers=n, threads_per_worker=1, dashboard_address=None) as cluster,
                Client(cluster) as client,
            ):
                # warm the workers (model and gazetteer load) so the figure is steady-state throughput
                client.run(lambda: __import__("geo.pipeline").pipeline.default_resources() and None)
                started = time.perf_counter()
                result = run_batch([str(feed)], out, scheduler=cluster.scheduler_address)
                seconds = time.perf_counter() - started
                peaks = client.run(_peak_rss_mb)
            rates[n] = result.done / seconds
            print(
                f"workers={n}: {result.done} docs in {seconds:.1f} s = {result.done / seconds:.2f} docs/s, "
                f"{words / seconds:,.0f} words/s; failed {result.failed}; peak RSS per worker "
                + ", ".join(f"{v:.0f} MB" for v in peaks.values())
            )
        # the corpus map of the last output (not part of the docs/s figures)
        started = time.perf_counter()
        summary = write_corpus_map(out, Path(tmp) / "corpus.html", heatmap=True)
        seconds = time.perf_counter() - started
        size = (Path(tmp) / "corpus.html").stat().st_size / 1e6
        print(f"corpus map (--map --heatmap): {seconds:.1f} s, {size:.1f} MB; {summary}")
    if 1 in rates and 2 in rates:
        print(f"scaling 1 → 2 workers: {rates[2] / rates[1]:.2f}x (goal >= 1.8x on 2 cores)")


if __name__ == "__main__":
    main()
