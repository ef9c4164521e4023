"""Tests for geo.frames: an analysis as a GeoDataFrame, one row per feature of every layer."""

from __future__ import annotations

import pytest

from geo.frames import COLUMNS, event_anchor, split_antimeridian, to_geodataframe
from geo.model import Analysis, Document, Event, EventPlace

from .test_render import handmade_analysis


def _ep(role, lat=1.0, lon=2.0):
    return EventPlace(role, role, lat, lon, None, "city", None, "rule", "")


@pytest.mark.parametrize(
    ("roles", "anchor"),
    [
        ((), None),
        (("origin", "destination"), "origin"),
        (("destination", "via"), "via"),
        (("statement_site", "launch_site"), "launch_site"),
        (("target", "event_site"), "event_site"),
        (("other",), None),
    ],
)
def test_event_anchor(roles, anchor):
    event = Event(id="e", type="T", plover="P", places=tuple(_ep(r) for r in roles))
    found = event_anchor(event)
    assert (found.role if found else None) == anchor


def test_event_anchor_skips_places_without_coordinates():
    event = Event(id="e", type="T", plover="P", places=(_ep("launch_site", None, None), _ep("target")))
    assert event_anchor(event).role == "target"


@pytest.mark.parametrize(
    ("coords", "parts"),
    [([[0.0, 0.0], [10.0, 1.0]], 1), ([[170.0, 0.0], [190.0, 0.0]], 2), ([[0.0, 0.0]], 0), ([], 0)],
)
def test_split_antimeridian(coords, parts):
    assert len(split_antimeridian(coords)) == parts


def test_empty_analysis_gives_an_empty_frame():
    frame = to_geodataframe(Analysis(document=Document(text="")))
    assert len(frame) == 0 and frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [*COLUMNS, "geometry"]


def test_handmade_frame():
    analysis = handmade_analysis()
    frame = analysis.to_geodataframe()
    assert frame.crs.to_epsg() == 4326
    assert frame["layer"].value_counts().to_dict() == {
        "events": 3,
        "rings": 2,
        "areas": 1,
        "places": 1,
        "routes": 1,
    }
    events = frame[frame["layer"] == "events"]
    assert list(events["event_id"]) == ["e1", "e2", "e3"]
    assert events.geometry.isna().tolist() == [False, False, True]  # the statement names no place
    assert events.iloc[0]["anchor_role"] == "via" and events.iloc[0]["factuality"] == "reported"
    rings = frame[frame["layer"] == "rings"]
    assert set(rings["km"]) == {5500.0, 13000.0}
    located = frame[frame.geometry.notna()]
    minx, miny, maxx, maxy = located.total_bounds
    assert minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90
    assert located.geometry.is_valid.all()


def test_seed_frame_has_a_row_per_feature(seed_analysis):
    frame = seed_analysis.to_geodataframe()
    a = seed_analysis
    assert len(frame) == len(a.places) + len(a.events) + len(a.rings) + sum(len(r.legs) for r in a.routes)
    assert set(frame["layer"]) >= {"places", "areas", "events", "rings", "routes"}
    # a route crossing the antimeridian becomes a MultiLineString inside [-180, 180]
    routes = frame[frame["layer"] == "routes"]
    assert routes.total_bounds[0] >= -180 and routes.total_bounds[2] <= 180
