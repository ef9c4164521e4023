"""Geoparsing evaluation metrics (pure functions), with the definitions of Gritta et al. (2019).

* **Recognition**: a predicted span matches a gold span when the names are equal ignoring case and the
  span midpoints are less than 10 characters apart (the EUPEG rule); each gold and each predicted span
  is matched at most once.
* **Resolution**: great-circle error in km on matched spans with gold coordinates; Acc@161 (share with
  error < 161 km), mean and median error, and AUC, the area under the curve of the sorted
  ``ln(1 + err) / ln(20039)`` (lower is better).
* **End-to-end Acc@161**: share of all gold spans with coordinates both recognised and resolved within
  161 km.

Gritta, M., Pilehvar, M. T. and Collier, N. (2019), "A pragmatic guide to geoparsing evaluation",
Language Resources and Evaluation 54, 683-712.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .geodesy import great_circle_km  # re-exported: the metric's distance

__all__ = [
    "MAX_ERROR_KM",
    "Scores",
    "Span",
    "acc_at",
    "auc",
    "great_circle_km",
    "match_spans",
    "prf",
    "score_document",
    "summarize",
]

#: Half the Earth's circumference (km), the largest possible error; the AUC normalises by ln of it.
MAX_ERROR_KM = 20039.0


@dataclass(frozen=True, slots=True)
class Span:
    """A gold or predicted toponym: character offsets, surface text and (optional) coordinates."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None

    @property
    def mid(self) -> float:
        """Midpoint of the span in characters."""
        return (self.start + self.end) / 2


def match_spans(
    gold: Sequence[Span], pred: Sequence[Span], *, max_mid_distance: float = 10.0
) -> list[tuple[int, int]]:
    """Match predicted to gold spans by the EUPEG rule, one to one, closest midpoints first.

    Returns
    -------
    list of (gold index, predicted index)

    Examples
    --------
    >>> g = [Span(0, 5, "Paris"), Span(20, 25, "Paris")]
    >>> p = [Span(21, 26, "paris"), Span(40, 45, "Paris"), Span(0, 4, "Pari")]
    >>> match_spans(g, p)
    [(1, 0)]
    """
    pairs = []
    for i, g in enumerate(gold):
        gname = g.text.casefold()
        for j, p in enumerate(pred):
            d = abs(g.mid - p.mid)
            if d < max_mid_distance and p.text.casefold() == gname:
                pairs.append((d, i, j))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return sorted(out)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 where undefined).

    Examples
    --------
    >>> prf(8, 10, 16)
    (0.8, 0.5, 0.6153846153846154)
    """
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def acc_at(errors: Sequence[float], km: float = 161.0) -> float:
    """Share of errors strictly below ``km`` (0 for no errors).

    Examples
    --------
    >>> acc_at([0, 100, 161, 5000])
    0.5
    """
    return sum(1 for e in errors if e < km) / len(errors) if errors else 0.0


def auc(errors: Sequence[float]) -> float:
    """Area under the curve of sorted ``ln(1 + err) / ln(20039)``, trapezoid rule on unit steps,
    normalised to [0, 1] (Gritta et al. 2018); lower is better.

    Examples
    --------
    >>> auc([0, 0, 0])
    0.0
    >>> round(auc([MAX_ERROR_KM, MAX_ERROR_KM]), 3)
    1.0
    >>> round(auc([0, MAX_ERROR_KM]), 3)
    0.5
    """
    if not errors:
        return 0.0
    ys = sorted(math.log1p(max(e, 0.0)) / math.log(MAX_ERROR_KM) for e in errors)
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / (len(ys) - 1)


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts and errors of one or several documents (add them with :func:`summarize`)."""

    n_gold: int
    n_pred: int
    tp: int
    n_gold_geo: int
    errors: tuple[float, ...]


def score_document(gold: Sequence[Span], pred: Sequence[Span]) -> Scores:
    """Match and score one document. A matched prediction without coordinates counts as the largest
    error (unresolved).

    Examples
    --------
    >>> g = [Span(0, 5, "Paris", 48.85, 2.35), Span(10, 15, "Texas")]
    >>> p = [Span(0, 5, "Paris", 48.86, 2.35), Span(30, 35, "Lyon", 45.7, 4.8)]
    >>> s = score_document(g, p)
    >>> s.tp, s.n_gold_geo, [round(e) for e in s.errors]
    (1, 1, [1])
    """
    errors = []
    tp = 0
    for i, j in match_spans(gold, pred):
        tp += 1
        g, p = gold[i], pred[j]
        if g.lat is None or g.lon is None:
            continue
        if p.lat is None or p.lon is None:
            errors.append(MAX_ERROR_KM)
        else:
            errors.append(great_circle_km(g.lat, g.lon, p.lat, p.lon))
    n_geo = sum(1 for g in gold if g.lat is not None and g.lon is not None)
    return Scores(len(gold), len(pred), tp, n_geo, tuple(errors))


def summarize(scores: Sequence[Scores]) -> dict[str, float]:
    """Corpus figures from per-document :class:`Scores`.

    Examples
    --------
    >>> s = summarize([Scores(4, 4, 2, 4, (0.0, 500.0)), Scores(1, 0, 0, 1, ())])
    >>> round(s["f1"], 3), s["acc161"], s["e2e_acc161"]
    (0.444, 0.5, 0.2)
    """
    n_gold = sum(s.n_gold for s in scores)
    n_pred = sum(s.n_pred for s in scores)
    tp = sum(s.tp for s in scores)
    errors = [e for s in scores for e in s.errors]
    n_geo = sum(s.n_gold_geo for s in scores)
    p, r, f = prf(tp, n_pred, n_gold)
    srt = sorted(errors)
    median = (
        0.0
        if not srt
        else (srt[len(srt) // 2] if len(srt) % 2 else (srt[len(srt) // 2 - 1] + srt[len(srt) // 2]) / 2)
    )
    good = sum(1 for e in errors if e < 161.0)
    return {
        "n_gold": float(n_gold),
        "n_pred": float(n_pred),
        "tp": float(tp),
        "precision": p,
        "recall": r,
        "f1": f,
        "n_resolved": float(len(errors)),
        "acc161": acc_at(errors),
        "auc": auc(errors),
        "mean_km": sum(errors) / len(errors) if errors else 0.0,
        "median_km": median,
        "e2e_acc161": good / n_geo if n_geo else 0.0,
    }
