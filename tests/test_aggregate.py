"""Events merged across the documents of a corpus (geo.aggregate)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.aggregate import claim_kind, date_interval, merge_events, place_mentions
from geo.errors import InputError

ODESA = {"name": "Odesa", "gazetteer_id": "gn:698740", "lat": 46.48, "lon": 30.73, "precision": "city"}
KYIV = {"name": "Kyiv", "gazetteer_id": "gn:703448", "lat": 50.45, "lon": 30.52, "precision": "city"}
UKRAINE = {"name": "Ukraine", "gazetteer_id": "gn:690791", "lat": 49.0, "lon": 32.0, "precision": "country"}


def event(doc: str, n: int = 1, place: dict[str, Any] | None = ODESA, **kw: Any) -> dict[str, Any]:
    row = {
        "kind": "event",
        "doc_id": doc,
        "event_id": f"{doc}#e{n}",
        "event_type": "STRIKE",
        "factuality": "asserted",
        "actors": "Russia",
        "date": "2023-07-20",
        "sentence": f"Sentence of {doc}.",
        "role": "target",
        **(place or {"name": None, "lat": None, "lon": None}),
    }
    row.update(kw)
    return row


def groups(rows: list[dict[str, Any]], **kw: Any) -> list[list[str]]:
    return sorted(sorted(s.event_id for s in e.sources) for e in merge_events(pd.DataFrame(rows), **kw))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([event("a"), event("b")], [["a#e1", "b#e1"]], id="same event, two documents"),
        pytest.param(
            [event("a"), event("b", date="2023-07-27")], [["a#e1", "b#e1"]], id="7 days apart: merged"
        ),
        pytest.param(
            [event("a"), event("b", date="2023-07-28")], [["a#e1"], ["b#e1"]], id="8 days apart: not merged"
        ),
        pytest.param(
            [event("a"), event("b", event_type="DEPLOYMENT")], [["a#e1"], ["b#e1"]], id="different types"
        ),
        pytest.param([event("a"), event("b", actors="Ukraine")], [["a#e1"], ["b#e1"]], id="different actors"),
        pytest.param([event("a"), event("b", actors="russia")], [["a#e1", "b#e1"]], id="actor case ignored"),
        pytest.param(
            [event("a"), event("b", factuality="possible")],
            [["a#e1"], ["b#e1"]],
            id="may strike is no strike",
        ),
        pytest.param(
            [event("a"), event("b", factuality="reported")], [["a#e1", "b#e1"]], id="asserted and reported"
        ),
        pytest.param([event("a"), event("b", place=KYIV)], [["a#e1"], ["b#e1"]], id="no shared place"),
        pytest.param(
            [event("a"), event("b", place=KYIV), event("b", place=ODESA)],
            [["a#e1", "b#e1"]],
            id="one shared place of two",
        ),
        pytest.param([event("a", place=None), event("b", place=None)], [["a#e1"], ["b#e1"]], id="no places"),
        pytest.param([event("a"), event("a", 2)], [["a#e1"], ["a#e2"]], id="same document kept apart"),
        pytest.param(
            [event("a", weapon="Kinzhal"), event("b", weapon="Shahed-136")],
            [["a#e1"], ["b#e1"]],
            id="different weapons",
        ),
        pytest.param(
            [event("a", weapon="Kinzhal"), event("b")], [["a#e1", "b#e1"]], id="one names the weapon"
        ),
        pytest.param([event("a", date=None), event("b", date=None)], [["a#e1", "b#e1"]], id="both undated"),
        pytest.param([event("a", date=None), event("b")], [["a#e1"], ["b#e1"]], id="undated vs dated"),
        pytest.param(
            [event("a"), event("b", date="2023-07-26"), event("c", date="2023-08-01")],
            [["a#e1", "b#e1", "c#e1"]],
            id="chain within the window",
        ),
        pytest.param(
            [event("a", time_start="2023-07", date="2023-09-30"), event("b", date="2023-07-31")],
            [["a#e1", "b#e1"]],
            id="the text's month beats the document date",
        ),
    ],
)
def test_merge_rules(rows: list[dict[str, Any]], expected: list[list[str]]) -> None:
    assert groups(rows) == expected


def test_window_days_parameter() -> None:
    rows = [event("a"), event("b", date="2023-07-22")]
    assert groups(rows, window_days=0) == [["a#e1"], ["b#e1"]]
    assert groups(rows, window_days=2) == [["a#e1", "b#e1"]]
    with pytest.raises(InputError):
        merge_events(rows, window_days=-1)


def test_merged_event_keeps_every_source_and_unions_fields() -> None:
    rows = [
        event("b", date="2023-07-21", weapon="Kalibr", quantity="3 missiles", url="https://x.test/b"),
        event("a", recipients="Ukraine", factuality="reported", speaker="officials"),
        event("a", place=UKRAINE),
    ]
    (merged,) = merge_events(rows)
    assert [s.doc_id for s in merged.sources] == ["a", "b"]
    assert merged.start == "2023-07-20" and merged.end == "2023-07-21"
    assert merged.weapons == ("Kalibr",) and merged.quantities == ("3 missiles",)
    assert merged.recipients == ("Ukraine",)
    assert [p.name for p in merged.places] == ["Odesa", "Ukraine"]
    assert merged.sources[0].factuality == "reported" and merged.sources[0].speaker == "officials"
    assert merged.sources[1].url == "https://x.test/b"
    assert merged.documents == ("a", "b")
    assert merged.id == merge_events(list(reversed(rows)))[0].id  # stable id


def test_dateline_dates_undated_events() -> None:
    rows = [
        {"kind": "document", "doc_id": "a", "dateline_date": "2023-07-20"},
        event("a", date=None),
        event("b", date="2023-07-22"),
    ]
    (merged,) = merge_events(rows)
    assert merged.start == "2023-07-20"


def test_order_is_by_date_then_undated() -> None:
    rows = [event("a", date=None, place=KYIV), event("b", date="2024-01-01"), event("c", date="2022-01-01")]
    assert [e.start for e in merge_events(rows)] == ["2022-01-01", "2024-01-01", None]


def test_event_row_without_ids_is_an_input_error() -> None:
    with pytest.raises(InputError):
        merge_events([{"kind": "event", "doc_id": "a"}])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-11", ("2024-01-11", "2024-01-11")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2023-12", ("2023-12-01", "2023-12-31")),
        ("2024", ("2024-01-01", "2024-12-31")),
        ("2024-01-11T10:00:00Z", ("2024-01-11", "2024-01-11")),
        ("2024-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_date_interval(value: Any, expected: tuple[str, str] | None) -> None:
    got = date_interval(value)
    assert (None if got is None else (got[0].isoformat(), got[1].isoformat())) == expected


@pytest.mark.parametrize(
    ("status", "kind"),
    [("asserted", "happened"), ("alleged", "happened"), ("planned", "expected"), ("denied", "denied")],
)
def test_claim_kind(status: str, kind: str) -> None:
    assert claim_kind(status) == kind


@given(
    st.lists(
        st.tuples(st.sampled_from("abcde"), st.integers(0, 60), st.sampled_from([ODESA, KYIV])),
        min_size=1,
        max_size=25,
    )
)
def test_merge_is_a_partition_with_the_rules_held(specs: list[tuple[str, int, dict[str, Any]]]) -> None:
    start = dt.date(2023, 1, 1)
    rows = [
        event(doc, n, place=place, date=(start + dt.timedelta(days=d)).isoformat())
        for n, (doc, d, place) in enumerate(specs)
    ]
    merged = merge_events(rows)
    ids = [s.event_id for e in merged for s in e.sources]
    assert sorted(ids) == sorted(r["event_id"] for r in rows)  # every report kept exactly once
    for e in merged:
        assert len(e.documents) == len(e.sources)  # never two reports of one document
        days = sorted(dt.date.fromisoformat(s.date) for s in e.sources if s.date)
        assert all((b - a).days <= 7 for a, b in itertools.pairwise(days))  # chained within window


def test_place_mentions_counts_and_skips_demonyms_and_unresolved() -> None:
    row = {"kind": "toponym", "feature": "city", "country_code": "UA", "sentence": "s"}
    rows = [
        {**row, "doc_id": "a", **KYIV},
        {**row, "doc_id": "b", **KYIV},
        {**row, "doc_id": "b", **KYIV},
        {**row, "doc_id": "a", **UKRAINE, "found_by": "rule", "ner_label": "NORP", "text": "Ukrainian"},
        {**row, "doc_id": "a", "name": "Nowhere", "lat": None, "lon": None},
        {"kind": "event", "doc_id": "a", **ODESA},
    ]
    got = place_mentions(pd.DataFrame(rows))
    assert [(p.name, p.mentions, p.documents) for p in got] == [("Kyiv", 3, ("a", "b"))]
