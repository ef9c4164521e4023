"""Tests for geo.overlays: rings and routes derived from events (hand-built events, real gazetteer)."""

from __future__ import annotations

import pytest
import shapely

from geo.geodesy import distance_km
from geo.model import Event, EventPlace, Evidence, Factuality, LatLon, Weapon
from geo.overlays import STUB_KM, attach_reach, rings_for_events, routes_for_events
from geo.routes import crosses_land

TEXT = (
    "North Korea shipped shells by sea from Najin port to Dunay, and they were then carried by rail to "
    "Tikhoretsk. Later it sent more shells to Russia."
)


PRECISION = {"country": "country", "city": "city", "site": "site"}


def _place(gaz, role, name, *, query=None, text=TEXT, precision=None):
    cand = gaz.lookup(query or name, limit=1)[0]
    start = text.find(name)
    return EventPlace(
        role=role,
        name=cand.name,
        lat=cand.lat,
        lon=cand.lon,
        country_code=cand.country_code,
        precision=precision
        or {"country": "country", "city": "city", "site": "site"}.get(cand.feature, "region"),
        gazetteer_id=cand.gazetteer_id,
        link_method="test",
        link_reason="test",
        start=start if start >= 0 else None,
        end=start + len(name) if start >= 0 else None,
    )


def _event(places, *, type_="ARMS_TRANSFER", weapon=None, status="reported", eid="e1"):
    return Event(
        id=eid,
        type=type_,
        plover="AID",
        places=tuple(places),
        weapon=weapon,
        factuality=Factuality(status=status),
        evidence=(Evidence(sentence=TEXT, start=0, end=len(TEXT)),),
    )


def test_multi_leg_transfer_by_sea_then_rail(gazetteer):
    event = _event(
        [
            _place(gazetteer, "origin", "North Korea"),
            _place(gazetteer, "via", "Najin port"),
            _place(gazetteer, "via", "Dunay"),
            _place(gazetteer, "destination", "Tikhoretsk"),
        ]
    )
    (route,) = routes_for_events([event], gazetteer, TEXT)
    assert [(leg.mode, leg.schematic) for leg in route.legs] == [("sea", False), ("rail", True)]
    sea, rail = route.legs
    najin, dunay, tikh = (p.latlon for p in event.places[1:])
    assert sea.path[0] == najin and sea.path[-1] == dunay
    assert rail.path[0] == dunay and rail.path[-1] == tikh
    assert not crosses_land(list(sea.path), ignore_near=[najin, dunay])


def test_country_level_destination_is_a_short_schematic_arrow(gazetteer):
    event = _event([_place(gazetteer, "via", "Najin port"), _place(gazetteer, "destination", "Russia")])
    (route,) = routes_for_events([event], gazetteer, TEXT)
    (leg,) = route.legs
    assert leg.schematic and "destination not named" in leg.end_name
    assert distance_km(leg.path[0], leg.path[-1]) == pytest.approx(STUB_KM, abs=1)


def test_missile_leg_ends_at_nearest_point_of_target_region(gazetteer):
    text = "North Korea plans a test of an ICBM targeting the United States mainland."
    launch = _place(gazetteer, "launch_site", "North Korea", text=text)
    target = _place(gazetteer, "target", "United States mainland", text=text)
    event = _event([launch, target], type_="WEAPONS_TEST", weapon=Weapon("ICBM", "ICBM"), status="planned")
    (route,) = routes_for_events([event], gazetteer, text)
    (leg,) = route.legs
    assert leg.mode == "missile"
    end = leg.path[-1]
    lon = (end.lon + 180) % 360 - 180
    assert gazetteer.shape("US-CONT").distance(shapely.Point(lon, end.lat)) < 0.01
    assert distance_km(launch.latlon, end) < distance_km(launch.latlon, target.latlon)


@pytest.mark.parametrize(
    ("weapon", "site", "rings", "assumed"),
    [
        (Weapon("IRBM", "IRBM"), "North Korea", 1, True),  # 5,500 km from a country-level point: drawn
        (Weapon("close-range ballistic missiles", "CRBM"), "North Korea", 0, None),  # 300 km: would mislead
        (Weapon("ICBM", "ICBM"), "North Korea", 0, None),  # open-ended class: no ring
        (Weapon("Hwasong-12", "IRBM", "Hwasong-12"), "Sohae", 1, False),
        (Weapon("KN-23", "SRBM", "KN-23"), "Sohae", 1, False),
    ],
)
def test_rings_for_events(gazetteer, resources, weapon, site, rings, assumed):
    text = f"North Korea will test a missile at {site}."
    event = _event([_place(gazetteer, "launch_site", site, text=text)], type_="WEAPONS_TEST", weapon=weapon)
    got = rings_for_events([event], [], gazetteer, resources.catalogue)
    assert len(got) == rings
    if rings:
        assert got[0].center_assumed is assumed
        assert got[0].event_id == "e1"


def test_reach_is_attached_to_its_event(gazetteer, resources):
    text = "North Korea may test an IRBM that could reach Japan and Guam."
    event = _event(
        [
            _place(gazetteer, "launch_site", "North Korea", text=text),
            _place(gazetteer, "target", "Japan", text=text),
            _place(gazetteer, "target", "Guam", text=text),
        ],
        type_="WEAPONS_TEST",
        weapon=Weapon("IRBM", "IRBM"),
        status="possible",
    )
    rings = rings_for_events([event], [], gazetteer, resources.catalogue)
    (out,) = attach_reach([event], rings)
    claimed = {v.target: v.verdict for v in out.reach if v.claimed}
    assert claimed == {"Japan": "inside", "Guam": "inside"}
    assert LatLon(out.places[0].lat, out.places[0].lon) == rings[0].center
