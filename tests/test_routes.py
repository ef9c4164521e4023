"""Tests of geo.routes: geodesic, sea and rail legs and multi-leg routes."""

from __future__ import annotations

import itertools
from importlib.resources import files

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo.errors import InputError
from geo.model import LatLon
from geo.routes import build_route, crosses_land, geodesic_leg, rail_leg, sea_leg

NAJIN = LatLon(42.2450, 130.2950)
DUNAI = LatLon(42.8803, 132.3375)
VOSTOCHNY = LatLon(42.7333, 133.0667)
BUSAN = LatLon(35.10, 129.04)
KHASAN = LatLon(42.4301, 130.6449)
TUMANGANG = LatLon(42.4217, 130.6026)
TIKHORETSK = LatLon(45.8884, 40.0424)

HAVE_SHAPES = files("sitmap_data").joinpath("gazetteer", "countries.parquet").is_file()
needs_shapes = pytest.mark.skipif(not HAVE_SHAPES, reason="country shapes not built")

points = st.builds(
    LatLon,
    st.floats(min_value=-89.0, max_value=89.0, allow_nan=False),
    st.floats(min_value=-180.0, max_value=180.0, allow_nan=False),
)


def _same_point(p: LatLon, q: LatLon) -> bool:
    """Same latitude exactly, longitude equal up to a whole number of turns (continuous longitudes)."""
    return p.lat == q.lat and (p.lon - q.lon) % 360.0 == 0.0


@settings(max_examples=60, deadline=None)
@given(points, points, st.integers(2, 80))
@example(LatLon(0.0, 179.0), LatLon(0.0, -179.0), 3)
@example(NAJIN, TIKHORETSK, 64)
@example(LatLon(10.0, 20.0), LatLon(10.0, 20.0), 5)
@example(LatLon(0.0, 0.0), LatLon(0.0, 180.0), 2)  # antipodes: a step of exactly 180 degrees either way
def test_geodesic_leg_ends_exactly_and_follows_the_geodesic(a: LatLon, b: LatLon, n: int) -> None:
    leg = geodesic_leg(a, b, start_name="a", end_name="b", mode="missile", n=n)
    assert len(leg.path) == n and leg.mode == "missile" and not leg.schematic
    assert leg.path[0] == a
    assert _same_point(leg.path[-1], b)
    total = Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon)["s12"]
    for p in leg.path[1:-1]:
        d1 = Geodesic.WGS84.Inverse(a.lat, a.lon, p.lat, p.lon)["s12"]
        d2 = Geodesic.WGS84.Inverse(p.lat, p.lon, b.lat, b.lon)["s12"]
        assert d1 + d2 == pytest.approx(total, abs=1.0)  # on the geodesic
    lons = [p.lon for p in leg.path]
    # continuous longitudes: no step longer than half a turn (exactly half between antipodes, where east
    # and west are the same length)
    assert all(abs(y - x) <= 180.0 for x, y in itertools.pairwise(lons))


def test_geodesic_leg_endpoints_are_exact_without_antimeridian() -> None:
    leg = geodesic_leg(NAJIN, TIKHORETSK, start_name="Najin", end_name="Tikhoretsk")
    assert leg.path[0] == NAJIN and leg.path[-1] == TIKHORETSK


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "teleport"}, "unknown route mode"),
        ({"n": 1}, "at least 2 points"),
    ],
)
def test_geodesic_leg_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        geodesic_leg(NAJIN, DUNAI, start_name="a", end_name="b", **kwargs)
    with pytest.raises(InputError):
        geodesic_leg(LatLon(95.0, 0.0), DUNAI, start_name="a", end_name="b")


def test_rail_leg_is_schematic_with_exact_ends() -> None:
    leg = rail_leg(KHASAN, TIKHORETSK, start_name="Khasan", end_name="Tikhoretsk")
    assert leg.schematic and leg.mode == "rail"
    assert leg.path[0] == KHASAN and leg.path[-1] == TIKHORETSK
    with pytest.raises(InputError):
        rail_leg(KHASAN, TIKHORETSK, start_name="a", end_name="b", mode="sea")


def test_sea_leg_goes_round_an_island_given_as_land() -> None:
    island = box(-1.0, -1.0, 1.0, 1.0)
    leg = sea_leg(LatLon(0.0, -3.0), LatLon(0.0, 3.0), start_name="W", end_name="E", land=island)
    assert leg.path[0] == LatLon(0.0, -3.0) and leg.path[-1] == LatLon(0.0, 3.0)
    assert not leg.schematic and not crosses_land(leg.path, land=island)
    assert len(leg.path) > 2


def test_sea_leg_without_water_route_is_schematic() -> None:
    # the end point lies deep inside a continent-sized block of land
    land = box(-50.0, -40.0, 50.0, 40.0)
    leg = sea_leg(LatLon(0.0, -60.0), LatLon(0.0, 0.0), start_name="sea", end_name="inland", land=land)
    assert leg.schematic and leg.path[0] == LatLon(0.0, -60.0) and leg.path[-1] == LatLon(0.0, 0.0)


def test_sea_leg_keeps_waypoints() -> None:
    wp = LatLon(5.0, 0.0)
    leg = sea_leg(
        LatLon(0.0, -3.0),
        LatLon(0.0, 3.0),
        start_name="W",
        end_name="E",
        waypoints=[wp],
        land=box(-1, -1, 1, 1),
    )
    assert wp in leg.path


@needs_shapes
@pytest.mark.parametrize(
    ("a", "b", "max_km"),
    [(NAJIN, DUNAI, 330.0), (NAJIN, VOSTOCHNY, 380.0), (NAJIN, BUSAN, 1_000.0)],
)
def test_najin_sea_legs_avoid_land_and_end_exactly(a: LatLon, b: LatLon, max_km: float) -> None:
    leg = sea_leg(a, b, start_name="Najin", end_name="port")
    assert leg.path[0] == a and leg.path[-1] == b
    assert not leg.schematic
    assert not crosses_land(leg.path, ignore_near=[a, b])
    length = sum(
        Geodesic.WGS84.Inverse(p.lat, p.lon, q.lat, q.lon)["s12"]
        for p, q in zip(leg.path[:-1], leg.path[1:], strict=True)
    )
    assert length / 1000.0 < max_km  # no needless detour


@needs_shapes
def test_straight_line_najin_to_vostochny_would_cross_land() -> None:
    # the check is able to fail: a great circle from Najin to Vrangel Bay crosses the Primorye coast
    assert crosses_land([NAJIN, LatLon(43.3, 132.9), VOSTOCHNY], ignore_near=[NAJIN, VOSTOCHNY])


@needs_shapes
def test_sea_leg_through_suez_is_not_schematic() -> None:
    leg = sea_leg(LatLon(43.1, 131.9), LatLon(44.6, 33.5), start_name="Vladivostok", end_name="Sevastopol")
    assert not leg.schematic and leg.path[-1] == LatLon(44.6, 33.5)


def test_najin_route_to_russia() -> None:
    route = build_route(
        [("Najin", NAJIN), ("Dunai", DUNAI), ("Tikhoretsk", TIKHORETSK)],
        ["sea", "rail"],
        label="artillery shells",
        event_id="e1",
        quantity="5,000 containers",
    )
    assert [(leg.start_name, leg.end_name, leg.mode, leg.schematic) for leg in route.legs] == [
        ("Najin", "Dunai", "sea", False),
        ("Dunai", "Tikhoretsk", "rail", True),
    ]
    assert route.legs[0].path[0] == NAJIN and route.legs[0].path[-1] == DUNAI
    assert route.legs[1].path[0] == DUNAI and route.legs[1].path[-1] == TIKHORETSK
    assert (route.label, route.event_id, route.quantity) == ("artillery shells", "e1", "5,000 containers")


@pytest.mark.parametrize(
    ("stops", "modes", "message"),
    [
        ([("a", NAJIN)], [], "at least two stops"),
        ([("a", NAJIN), ("b", DUNAI)], [], "needs 1 modes"),
        ([("a", NAJIN), ("b", DUNAI)], ["hover"], "unknown route mode"),
    ],
)
def test_build_route_bad_input(stops, modes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_route(stops, modes, label="x")
