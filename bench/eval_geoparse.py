"""Evaluate sitmap's geoparser on the GeoWebNews and LGL gold corpora.

Prints, per corpus, recognition precision/recall/F1 (EUPEG matching), Acc@161, AUC, mean and median
error on matched toponyms, end-to-end Acc@161 and words/s (see :mod:`geo.evaluation`). The corpora are
read from ``<repo>/../shared/eval`` (override with ``--eval-dir`` or ``$SITMAP_EVAL_DIR``); they are
never copied into the repository.

Usage::

    python bench/eval_geoparse.py                      # both corpora
    python bench/eval_geoparse.py --corpus gwn --limit 50 --json
    python bench/eval_geoparse.py --errors /tmp/errors.tsv   # misses, false positives, bad resolutions
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from geo.evaluation import Span, great_circle_km, match_spans, score_document, summarize

__all__ = ["CORPORA", "load_gwn", "load_lgl", "main"]

#: GeoWebNews span types that are not toponyms (Gritta et al. 2019 evaluate the others).
GWN_DROP = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})
CORPORA = {"gwn": "geowebnews/GWN.xml", "lgl": "lgl/lgl.xml"}

Doc = tuple[str, list[Span]]


def _float(x: str | None) -> float | None:
    if x is None or x == "":
        return None
    try:
        return float(x)
    except ValueError:
        return None


def load_gwn(path: Path) -> list[Doc]:
    """Documents of GWN.xml with their toponym spans (non-toponym types and broken offsets dropped)."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        spans = []
        for t in art.iter("toponym"):
            if (t.findtext("type") or "") in GWN_DROP:
                continue
            name = t.findtext("extractedName") or ""
            start, end = int(t.findtext("start") or -1), int(t.findtext("end") or -1)
            if text[start:end] != name:
                continue
            spans.append(
                Span(start, end, name, _float(t.findtext("latitude")), _float(t.findtext("longitude")))
            )
        docs.append((text, spans))
    return docs


def load_lgl(path: Path) -> list[Doc]:
    """Documents of lgl.xml with their toponym spans (coordinates from ``gaztag`` when present)."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        spans = []
        for t in art.iter("toponym"):
            start, end = int(t.findtext("start") or -1), int(t.findtext("end") or -1)
            name = t.findtext("phrase") or text[start:end]
            tag = t.find("gaztag")
            lat = lon = None
            if tag is not None:
                lat, lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
            spans.append(Span(start, end, name, lat, lon))
        docs.append((text, spans))
    return docs


def _eval_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("SITMAP_EVAL_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def _errors_lines(
    name: str, k: int, text: str, gold: Sequence[Span], pred: Sequence[Span], extra: Sequence[str]
) -> list[str]:
    """Tab-separated error lines: MISS, FP and RES (resolution > 161 km) with context."""
    out = []
    pairs = match_spans(gold, pred)
    mg = {i for i, _ in pairs}
    mp = {j for _, j in pairs}

    def ctx(s: Span) -> str:
        return text[max(0, s.start - 40) : s.end + 40].replace("\n", " ").replace("\t", " ")

    for i, g in enumerate(gold):
        if i not in mg:
            out.append(f"{name}\t{k}\tMISS\t{g.text}\t\t{ctx(g)}")
    for j, p in enumerate(pred):
        if j not in mp:
            out.append(f"{name}\t{k}\tFP\t{p.text}\t{extra[j]}\t{ctx(p)}")
    for i, j in pairs:
        g, p = gold[i], pred[j]
        if g.lat is None or g.lon is None:
            continue
        err = 20039.0 if p.lat is None or p.lon is None else great_circle_km(g.lat, g.lon, p.lat, p.lon)
        if err >= 161:
            where = f"gold=({g.lat:.2f},{g.lon:.2f})"
            out.append(f"{name}\t{k}\tRES\t{g.text}\t{extra[j]} err={err:.0f} {where}\t{ctx(g)}")
    return out


def evaluate(name: str, docs: Sequence[Doc], errors_out: list[str] | None = None) -> dict[str, float]:
    """Geoparse ``docs`` (batched) and return the corpus figures."""
    from geo.pipeline import default_resources, geoparse_many

    default_resources()  # load outside the timed section
    texts = [t for t, _ in docs]
    t0 = time.perf_counter()
    results = geoparse_many(texts)
    dt = time.perf_counter() - t0
    scores = []
    country_ok = 0  # matched country mentions > 161 km off whose gold point lies in the predicted country
    gaz = default_resources().gazetteer
    for k, ((text, gold), tops) in enumerate(zip(docs, results, strict=True)):
        pred = [Span(t.start, t.end, t.text, t.lat, t.lon) for t in tops]
        scores.append(score_document(gold, pred))
        for i, j in match_spans(gold, pred):
            g, t = gold[i], tops[j]
            if g.lat is None or g.lon is None or t.lat is None or t.lon is None or t.feature != "country":
                continue
            if (
                great_circle_km(g.lat, g.lon, t.lat, t.lon) >= 161
                and gaz.country_at((g.lat, g.lon)) == t.country_code
            ):
                country_ok += 1
        if errors_out is not None:
            extra = [
                f"{t.source}/{t.ner_label} -> {t.name} [{t.feature} {t.country_code}] {t.resolution}"
                for t in tops
            ]
            errors_out.extend(_errors_lines(name, k, text, gold, pred, extra))
    out = summarize(scores)
    n = out["n_resolved"]
    out["acc161_country_inside"] = (out["acc161"] * n + country_ok) / n if n else 0.0
    words = sum(len(t.split()) for t in texts)
    out["docs"] = float(len(docs))
    out["words"] = float(words)
    out["seconds"] = dt
    out["words_per_s"] = words / dt if dt else 0.0
    return out


def _table(results: dict[str, dict[str, float]]) -> str:
    rows = [
        ("docs", "docs", "{:.0f}"),
        ("gold toponyms", "n_gold", "{:.0f}"),
        ("predicted", "n_pred", "{:.0f}"),
        ("recognition P", "precision", "{:.3f}"),
        ("recognition R", "recall", "{:.3f}"),
        ("recognition F1", "f1", "{:.3f}"),
        ("matched with coords", "n_resolved", "{:.0f}"),
        ("Acc@161", "acc161", "{:.3f}"),
        ("AUC", "auc", "{:.3f}"),
        ("mean error km", "mean_km", "{:.0f}"),
        ("median error km", "median_km", "{:.1f}"),
        ("end-to-end Acc@161", "e2e_acc161", "{:.3f}"),
        ("Acc@161, countries by containment*", "acc161_country_inside", "{:.3f}"),
        ("words/s", "words_per_s", "{:.0f}"),
    ]
    names = list(results)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for label, key, fmt in rows:
        lines.append(f"| {label} | " + " | ".join(fmt.format(results[n][key]) for n in names) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", help="folder with geowebnews/GWN.xml and lgl/lgl.xml")
    ap.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    ap.add_argument("--limit", type=int, help="only the first N documents of each corpus")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", help="write error lines (MISS/FP/RES) to this TSV file (outside the repo)")
    args = ap.parse_args(argv)
    base = _eval_dir(args.eval_dir)
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    results: dict[str, dict[str, float]] = {}
    errors: list[str] | None = [] if args.errors else None
    for name in names:
        path = base / CORPORA[name]
        if not path.is_file():
            print(f"corpus not found: {path} (use --eval-dir or SITMAP_EVAL_DIR)", file=sys.stderr)
            return 2
        docs = (load_gwn if name == "gwn" else load_lgl)(path)
        if args.limit:
            docs = docs[: args.limit]
        results[name] = evaluate(name, docs, errors)
    if errors is not None and args.errors:
        Path(args.errors).write_text("\n".join(errors) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        print(_table(results))
        print(
            "* supplementary: a country mention also counts as correct when the gold point lies inside the "
            "predicted country (gold corpora use the GeoNames country point of their day: LGL has Canada at "
            "60 N 96 W, GeoNames today 60.1 N 113.6 W)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
