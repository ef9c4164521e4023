"""Speed of sitmap's geoparser against the bare spaCy NER pipeline, same texts, same run (issue 4, item 5).

Measures words/s of (a) the bare NER pipeline sitmap loads (``geo.nlp.default_nlp``: NER + sentence
recogniser) and (b) ``geo.geoparse`` (NER + gazetteer matcher + rules + resolution), per document and
batched (``nlp.pipe`` vs ``geo.pipeline.geoparse_many``), and prints the ratios (target >= 0.9).

Texts: the GeoWebNews and LGL corpora from ``<repo>/../shared/eval`` (``--eval-dir`` /
``$SITMAP_EVAL_DIR``), or the repository's ``seeds/`` texts when the corpora are absent.

Usage::

    python bench/bench_geoparse.py [--limit N] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["main"]


def _texts(eval_dir: str | None, limit: int | None) -> tuple[list[str], str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_geoparse import CORPORA, _eval_dir, load_gwn, load_lgl

    base = _eval_dir(eval_dir)
    texts: list[str] = []
    for name, rel in CORPORA.items():
        path = base / rel
        if path.is_file():
            texts += [t for t, _ in (load_gwn if name == "gwn" else load_lgl)(path)]
    where = str(base)
    if not texts:
        seeds = Path(__file__).resolve().parents[1] / "seeds"
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.rglob("*.txt"))]
        where = str(seeds)
    return (texts[:limit] if limit else texts), where


def _best(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best time of each function over ``repeat`` rounds, the functions interleaved within each round so
    that a slow spell of the machine (another process, CPU frequency) hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: min(ts) for name, ts in times.items()}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir")
    ap.add_argument("--limit", type=int, default=300, help="number of texts (default 300)")
    ap.add_argument("--repeat", type=int, default=2, help="best of N runs (default 2)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from geo.pipeline import default_resources, geoparse, geoparse_many

    res = default_resources()
    nlp = res.nlp
    texts, where = _texts(args.eval_dir, args.limit)
    words = sum(len(t.split()) for t in texts)
    # warm up (caches, lazy loads) outside the timings
    geoparse_many(texts[:20])

    def ner_doc() -> None:
        for t in texts:
            nlp(t)

    def geo_doc() -> None:
        for t in texts:
            geoparse(t)

    def ner_batch() -> None:
        for _ in nlp.pipe(texts, batch_size=32):
            pass

    def geo_batch() -> None:
        geoparse_many(texts)

    out: dict[str, float | str] = {"texts": len(texts), "words": words, "source": where}
    best = _best(
        {"ner_doc": ner_doc, "geoparse_doc": geo_doc, "ner_batch": ner_batch, "geoparse_batch": geo_batch},
        args.repeat,
    )
    for name, seconds in best.items():
        out[f"{name}_words_per_s"] = round(words / seconds)
    out["ratio_doc"] = round(float(out["geoparse_doc_words_per_s"]) / float(out["ner_doc_words_per_s"]), 3)
    out["ratio_batch"] = round(
        float(out["geoparse_batch_words_per_s"]) / float(out["ner_batch_words_per_s"]), 3
    )
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{len(texts)} texts, {words} words ({where}); best of {args.repeat}")
        print("| mode | bare NER words/s | geoparse words/s | ratio |")
        print("|---|---:|---:|---:|")
        for label, key in (("per document", "doc"), ("batched (nlp.pipe)", "batch")):
            ner, geo_ = out[f"ner_{key}_words_per_s"], out[f"geoparse_{key}_words_per_s"]
            print(f"| {label} | {ner} | {geo_} | {out[f'ratio_{key}']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
