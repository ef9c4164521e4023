"""Tests for geo.evaluation on tiny hand-made examples."""

from __future__ import annotations

import math

import pytest

from geo.evaluation import (
    MAX_ERROR_KM,
    Scores,
    Span,
    acc_at,
    auc,
    great_circle_km,
    match_spans,
    prf,
    score_document,
    summarize,
)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ([Span(0, 5, "Paris")], [Span(0, 5, "PARIS")], [(0, 0)]),  # case-insensitive
        ([Span(0, 5, "Paris")], [Span(15, 20, "Paris")], []),  # midpoints 15 apart
        ([Span(0, 5, "Paris")], [Span(9, 14, "Paris")], [(0, 0)]),  # 9 apart: still a match
        ([Span(0, 5, "Paris")], [Span(10, 15, "Paris")], []),  # exactly 10: not < 10
        ([Span(0, 5, "Paris")], [Span(0, 4, "Pari")], []),  # names differ
        # one to one, closest first
        ([Span(0, 5, "Paris"), Span(6, 11, "Paris")], [Span(6, 11, "Paris")], [(1, 0)]),
        ([], [Span(0, 5, "Paris")], []),
    ],
)
def test_match_spans(gold, pred, expected):
    assert match_spans(gold, pred) == expected


@pytest.mark.parametrize(
    ("tp", "n_pred", "n_gold", "expected"),
    [(0, 0, 0, (0.0, 0.0, 0.0)), (5, 10, 5, (0.5, 1.0, 2 / 3)), (3, 3, 6, (1.0, 0.5, 2 / 3))],
)
def test_prf(tp, n_pred, n_gold, expected):
    assert prf(tp, n_pred, n_gold) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [([], 0.0), ([160.9], 1.0), ([161.0], 0.0), ([0, 1000, 10, 5000], 0.5)],
)
def test_acc_at(errors, expected):
    assert acc_at(errors) == expected


def test_auc_bounds_and_order():
    assert auc([]) == 0.0
    assert auc([0.0, 0.0]) == 0.0
    assert auc([MAX_ERROR_KM] * 3) == pytest.approx(1.0, rel=1e-4)
    # single error: its scaled log
    assert auc([100.0]) == pytest.approx(math.log(101) / math.log(MAX_ERROR_KM))
    # order does not matter; larger errors give a larger area
    assert auc([5, 500, 50]) == pytest.approx(auc([50, 5, 500]))
    assert auc([1, 1, 1]) < auc([1, 1, 1000])


def test_great_circle():
    assert great_circle_km(0, 0, 0, 0) == 0.0
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(20015.1, abs=1)
    assert great_circle_km(51.5, -0.13, 48.86, 2.35) == pytest.approx(343, abs=3)


def test_score_document_unresolved_match_is_max_error():
    gold = [
        Span(0, 5, "Paris", 48.86, 2.35),
        Span(10, 15, "Texas", None, None),
        Span(20, 24, "Oslo", 59.9, 10.7),
    ]
    pred = [Span(0, 5, "Paris", None, None), Span(10, 15, "Texas", 31.0, -100.0)]
    s = score_document(gold, pred)
    assert (s.n_gold, s.n_pred, s.tp, s.n_gold_geo) == (3, 2, 2, 2)
    assert s.errors == (MAX_ERROR_KM,)


def test_summarize():
    s = summarize([Scores(2, 2, 2, 2, (0.0, 200.0)), Scores(2, 1, 0, 2, ())])
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == 0.5
    assert s["acc161"] == 0.5
    assert s["e2e_acc161"] == 0.25
    assert s["median_km"] == 100.0
    assert s["mean_km"] == 100.0
