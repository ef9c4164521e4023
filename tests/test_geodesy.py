"""Tests of geo.geodesy: distances, ring vertices, the Leaflet map form and the RFC 7946 GeoJSON form."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from geo.errors import InputError
from geo.geodesy import (
    antipode,
    contains,
    destination,
    distance_km,
    half_meridian_km,
    ring_feature_collection,
    ring_geojson,
    ring_kind,
    ring_map_form,
    ring_map_outline,
    ring_vertices,
    rings_vertices,
)
from geo.model import LatLon, Ring

WGS84 = Geodesic.WGS84
PYONGYANG = LatLon(39.03385, 125.75432)
WASHINGTON = LatLon(38.89511, -77.03637)

lats = st.floats(min_value=-90.0, max_value=90.0, allow_nan=False)
lons = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
centers = st.builds(LatLon, lats, lons)
radii = st.floats(min_value=1.0, max_value=21_000.0, allow_nan=False)


def _inverse_km(a: LatLon, b: LatLon) -> float:
    return float(WGS84.Inverse(a.lat, a.lon, b.lat, b.lon)["s12"]) / 1000.0


# ---------------------------------------------------------------------------------------------- distances


@pytest.mark.parametrize(
    ("name", "point", "km"),
    [
        ("Tokyo", LatLon(35.6895, 139.69171), 1_287),
        ("Guam (Hagåtña)", LatLon(13.47567, 144.74886), 3_393),
        ("Moscow", LatLon(55.75222, 37.61556), 6_429),
        ("Kyiv", LatLon(50.45466, 30.5238), 7_120),
        ("Washington DC", WASHINGTON, 11_068),
    ],
)
def test_distances_from_pyongyang_match_the_domain_reference(name: str, point: LatLon, km: float) -> None:
    assert abs(distance_km(PYONGYANG, point) - km) <= 1.0, name


def test_washington_is_inside_a_13000_km_ring_the_folium_bug() -> None:
    # folium's Circle draws this ring as a 5,126-16,244 km ellipse that leaves Washington outside
    assert contains(PYONGYANG, 13_000, WASHINGTON)
    geom = shape(ring_geojson(PYONGYANG, 13_000))
    assert geom.contains(Point(WASHINGTON.lon, WASHINGTON.lat))
    assert not contains(PYONGYANG, 11_000, WASHINGTON)
    assert not shape(ring_geojson(PYONGYANG, 11_000)).contains(Point(WASHINGTON.lon, WASHINGTON.lat))


def test_destination_unrolls_longitude_across_the_antimeridian() -> None:
    p = destination(LatLon(0.0, 179.0), 90.0, 500.0)
    assert p.lon > 180.0
    assert abs(_inverse_km(LatLon(0.0, 179.0), p) - 500.0) < 1e-6
    q = destination(LatLon(0.0, -179.0), 270.0, 500.0)
    assert q.lon < -180.0


def test_half_meridian_is_the_distance_to_every_antipode() -> None:
    for c in (LatLon(0.0, 0.0), LatLon(45.0, 10.0), PYONGYANG, LatLon(-89.0, 3.0)):
        assert abs(distance_km(c, antipode(c)) - half_meridian_km()) < 1e-6


@pytest.mark.parametrize(
    ("center", "km", "n"),
    [
        (LatLon(91.0, 0.0), 100.0, 720),
        (LatLon(float("nan"), 0.0), 100.0, 720),
        (LatLon(0.0, float("inf")), 100.0, 720),
        (PYONGYANG, 0.0, 720),
        (PYONGYANG, -5.0, 720),
        (PYONGYANG, float("nan"), 720),
        (PYONGYANG, float("inf"), 720),
        (PYONGYANG, 100.0, 3),
    ],
)
def test_bad_input_raises_input_error(center: LatLon, km: float, n: int) -> None:
    with pytest.raises(InputError):
        ring_vertices(center, km, n=n)
    with pytest.raises(InputError):
        ring_geojson(center, km, n=n)


# ------------------------------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("center", "km", "kind"),
    [
        (PYONGYANG, 500, "ring"),
        (PYONGYANG, 5_600, "ring"),  # the pole is ~5,660 km away
        (PYONGYANG, 5_700, "north"),
        (PYONGYANG, 13_000, "north"),
        (PYONGYANG, 15_000, "both"),
        (PYONGYANG, 20_003.9, "both"),
        (PYONGYANG, 20_004.0, "earth"),
        (LatLon(90.0, 0.0), 1, "north"),
        (LatLon(-90.0, 0.0), 1, "south"),
        (LatLon(-77.85, 166.67), 1_500, "south"),
        (LatLon(0.0, 0.0), 10_001.0, "ring"),
        (LatLon(0.0, 0.0), 10_003.0, "both"),
    ],
)
def test_ring_kind(center: LatLon, km: float, kind: str) -> None:
    assert ring_kind(center, km) == kind


# ----------------------------------------------------------------------------------------------- vertices


@settings(max_examples=80, deadline=None)
@given(centers, radii)
@example(LatLon(0.0, 179.0), 500.0)  # crosses the antimeridian
@example(LatLon(60.0, 180.0), 2_000.0)
@example(LatLon(90.0, 0.0), 1_000.0)  # centred on the north pole
@example(LatLon(-90.0, 30.0), 15_000.0)  # centred on the south pole
@example(PYONGYANG, 8_000.0)  # one pole inside
@example(PYONGYANG, 15_000.0)  # both poles inside
@example(LatLon(0.0, 0.0), 19_980.0)  # beyond the cut locus of equatorial geodesics
@example(LatLon(10.0, -170.0), 20_003.9)  # a tiny hole at the antipode
@example(LatLon(0.0, 0.0), 10_001.9658)  # passes ~1 m from both poles
@example(LatLon(2.5921329457198676, -51.155498711584585), 9715.340543153805)  # exactly through the pole
@example(LatLon(-27.801695213727246, 39.754913213421446), 6925.499692842835)  # exactly through the pole
def test_every_vertex_is_at_the_radius_within_1_m(center: LatLon, km: float) -> None:
    verts = ring_vertices(center, km, n=90)
    assert len(verts) == 90
    if ring_kind(center, km) == "earth":
        return
    for v in verts:
        assert abs(_inverse_km(center, v) - km) * 1000.0 <= 1.0, v
    # continuous longitudes: neighbours less than 180 degrees apart
    lon = np.array([v.lon for v in verts])
    assert np.all(np.abs(np.diff(lon)) < 180.0)
    # an outline around one pole ends 360 degrees from where it started; others close on themselves
    wraps = ring_kind(center, km) in ("north", "south")
    closing = lon[0] + 360.0 * round((lon[-1] - lon[0]) / 360.0)
    assert math.isclose(abs(closing - lon[0]), 360.0) == wraps, closing


def test_rings_vertices_matches_ring_vertices_row_by_row() -> None:
    cs = [PYONGYANG, LatLon(0.0, 179.0), LatLon(-90.0, 0.0), LatLon(0.0, 0.0)]
    kms = [13_000.0, 500.0, 2_000.0, 19_990.0]
    la, lo = rings_vertices([c.lat for c in cs], [c.lon for c in cs], kms, n=64)
    assert la.shape == lo.shape == (4, 64)
    for i, (c, km) in enumerate(zip(cs, kms, strict=True)):
        one = ring_vertices(c, km, n=64)
        assert np.allclose(la[i], [v.lat for v in one])
        assert np.allclose(lo[i], [v.lon for v in one])


def test_rings_vertices_empty_and_mismatched() -> None:
    la, lo = rings_vertices([], [], [], n=16)
    assert la.shape == lo.shape == (0, 16)
    with pytest.raises(InputError):
        rings_vertices([1.0, 2.0], [3.0], [100.0, 100.0])


def test_first_vertex_points_north_and_order_is_clockwise() -> None:
    v = ring_vertices(LatLon(10.0, 20.0), 100.0, n=4)
    assert v[0].lat > 10.0 and abs(v[0].lon - 20.0) < 1e-9  # azimuth 0
    assert v[1].lon > 20.0  # azimuth 90: east
    assert v[2].lat < 10.0
    assert v[3].lon < 20.0


# ------------------------------------------------------------------------------------------------ contains


@settings(max_examples=100, deadline=None)
@given(centers, radii, centers)
@example(PYONGYANG, 13_000.0, WASHINGTON)
@example(LatLon(90.0, 0.0), 100.0, LatLon(89.5, 123.0))
@example(LatLon(0.0, 0.0), 20_003.0, LatLon(0.0, 180.0))  # the antipode is outside
@example(LatLon(0.0, 0.0), 20_100.0, LatLon(0.0, 180.0))  # the whole Earth
def test_contains_iff_geodesic_distance_is_within_the_radius(center: LatLon, km: float, p: LatLon) -> None:
    d = _inverse_km(center, p)
    if abs(d - km) < 1e-6:
        return
    assert contains(center, km, p) == (d < km)


# ------------------------------------------------------------------------------------------------ GeoJSON


def _linear_rings(geom: dict) -> list[tuple[list[list[float]], bool]]:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    out = []
    for poly in polys:
        out.append((poly[0], True))
        out.extend((hole, False) for hole in poly[1:])
    return out


def _signed_area(ring: list[list[float]]) -> float:
    x = np.array([p[0] for p in ring])
    y = np.array([p[1] for p in ring])
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _assert_rfc7946(geom: dict) -> None:
    assert geom["type"] in ("Polygon", "MultiPolygon")
    rings = _linear_rings(geom)
    assert rings
    for ring, exterior in rings:
        assert len(ring) >= 4
        assert ring[0] == ring[-1], "linear ring not closed"
        for lon, lat in ring:
            assert -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0
        area = _signed_area(ring)
        assert (area > 0) if exterior else (area < 0), "winding (RFC 7946 §3.1.6)"
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if abs(x1 - x0) > 180.0:  # only allowed along a pole edge
                assert y0 == y1 and abs(y0) == 90.0, "edge crosses the antimeridian"
    assert shape(geom).is_valid


cases = [
    (LatLon(0.0, 179.0), 500.0),
    (LatLon(60.0, 180.0), 2_000.0),
    (LatLon(-60.0, -180.0), 2_000.0),
    (LatLon(90.0, 0.0), 1_000.0),
    (LatLon(-90.0, 30.0), 15_000.0),
    (PYONGYANG, 8_000.0),
    (PYONGYANG, 13_000.0),
    (PYONGYANG, 15_000.0),
    (LatLon(-77.85, 166.67), 1_500.0),
    (LatLon(0.0, 0.0), 19_990.0),
    (LatLon(0.0, 0.0), 20_100.0),
    (LatLon(0.0, 0.0), half_meridian_km()),
    (LatLon(2.5921329457198676, -51.155498711584585), 9715.340543153805),  # exactly through the north pole
    (LatLon(-27.801695213727246, 39.754913213421446), 6925.499692842835),  # exactly through the south pole
]


@settings(max_examples=60, deadline=None)
@given(centers, radii)
@example(*cases[0])
@example(*cases[1])
@example(*cases[2])
@example(*cases[3])
@example(*cases[4])
@example(*cases[5])
@example(*cases[6])
@example(*cases[7])
@example(*cases[8])
@example(*cases[9])
@example(*cases[10])
@example(*cases[11])
@example(*cases[12])
@example(*cases[13])
def test_geojson_is_valid_rfc7946(center: LatLon, km: float) -> None:
    _assert_rfc7946(ring_geojson(center, km, n=180))


def _probe_points(seed: int, count: int) -> list[LatLon]:
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, count)))
    lon = rng.uniform(-180.0, 180.0, count)
    return [LatLon(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]


@settings(max_examples=40, deadline=None)
@given(centers, radii, st.integers(0, 2**16))
@example(*cases[0], 1)
@example(*cases[3], 2)
@example(*cases[4], 3)
@example(*cases[6], 4)
@example(*cases[7], 5)
@example(*cases[8], 6)
@example(*cases[9], 7)
@example(*cases[10], 8)
def test_geojson_polygon_holds_exactly_the_points_within_the_radius(
    center: LatLon, km: float, seed: int
) -> None:
    geom = shape(ring_geojson(center, km, n=720))
    for p in _probe_points(seed, 60):
        if abs(p.lat) > 89.0:
            continue  # planar lon/lat edges near the poles are not geodesics
        d = _inverse_km(center, p)
        if abs(d - km) < max(5.0, 0.002 * km):
            continue  # away from the boundary only: edges are straight in lon/lat
        assert geom.contains(Point(p.lon, p.lat)) == (d < km), (p, d)


def test_whole_earth_is_the_world_rectangle() -> None:
    g = ring_geojson(PYONGYANG, 25_000)
    assert g == {
        "type": "Polygon",
        "coordinates": [[[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0], [-180.0, -90.0]]],
    }


def test_both_poles_ring_is_the_world_with_a_hole_at_the_antipode() -> None:
    g = ring_geojson(PYONGYANG, 15_000)
    assert g["type"] == "Polygon" and len(g["coordinates"]) == 2
    a = antipode(PYONGYANG)
    geom = shape(g)
    assert not geom.contains(Point(a.lon, a.lat))
    assert geom.contains(Point(0.0, 89.9)) and geom.contains(Point(0.0, -89.9))


def test_antimeridian_ring_is_split_into_two_parts() -> None:
    g = ring_geojson(LatLon(0.0, 179.0), 500.0)
    assert g["type"] == "MultiPolygon" and len(g["coordinates"]) == 2
    xs = sorted(p[0] for poly in g["coordinates"] for p in poly[0])
    assert xs[0] == -180.0 or xs[-1] == 180.0


# ----------------------------------------------------------------------------------------------- map form


@pytest.mark.parametrize(
    ("center", "km", "polygons", "rings_per_polygon"),
    [
        (PYONGYANG, 1_000, 3, [1, 1, 1]),
        (LatLon(0.0, 179.0), 500, 3, [1, 1, 1]),
        (PYONGYANG, 13_000, 1, [1]),
        (LatLon(-90.0, 0.0), 500, 1, [1]),
        (PYONGYANG, 15_000, 1, [4]),
        (PYONGYANG, 30_000, 1, [1]),
    ],
)
def test_map_form_structure(center: LatLon, km: float, polygons: int, rings_per_polygon: list[int]) -> None:
    form = ring_map_form(center, km, n=64)
    assert len(form) == polygons
    assert [len(p) for p in form] == rings_per_polygon


def test_map_form_copies_are_shifted_by_360() -> None:
    base, left, right = ring_map_form(LatLon(0.0, 179.0), 500, n=32)
    for a, b, c in zip(base[0], left[0], right[0], strict=True):
        assert b.lon == pytest.approx(a.lon - 360.0) and c.lon == pytest.approx(a.lon + 360.0)
        assert a.lat == b.lat == c.lat
    assert max(p.lon for p in base[0]) > 180.0  # continuous, not wrapped


def test_map_form_pole_ring_runs_three_times_round_and_closes_at_the_pole() -> None:
    (outline,) = ring_map_form(PYONGYANG, 13_000, n=64)[0:1]
    path = outline[0]
    lon = np.array([p.lon for p in path[:-2]])
    assert np.all(np.abs(np.diff(lon)) < 180.0)
    assert abs(lon[-1] - lon[0]) == pytest.approx(3 * 360.0)
    assert path[-1].lat == 90.0 and path[-2].lat == 90.0


def test_map_outline_is_closed_and_repeated() -> None:
    lines = ring_map_outline(PYONGYANG, 1_000, n=16)
    assert len(lines) == 3
    for line in lines:
        assert line[0] == line[-1]
    assert ring_map_outline(PYONGYANG, 25_000) == []


# ------------------------------------------------------------------------------------------ feature coll.


def test_feature_collection_properties() -> None:
    ring = Ring(PYONGYANG, "Pyongyang", 13_000.0, system="Hwasong-15", weapon_class="ICBM", source="USFK")
    fc = ring_feature_collection(ring, n=90)
    assert fc["type"] == "FeatureCollection"
    poly, point = fc["features"]
    props = poly["properties"]
    assert props["center"] == [PYONGYANG.lat, PYONGYANG.lon]
    assert props["center_name"] == "Pyongyang"
    assert props["km"] == 13_000.0
    assert (props["system"], props["class"], props["source"]) == ("Hwasong-15", "ICBM", "USFK")
    assert props["label"] == "Hwasong-15 13,000 km"
    assert props["kind"] == "north"
    _assert_rfc7946(poly["geometry"])
    assert point["geometry"] == {"type": "Point", "coordinates": [PYONGYANG.lon, PYONGYANG.lat]}


def test_feature_collection_point_longitude_is_wrapped() -> None:
    fc = ring_feature_collection(Ring(LatLon(10.0, 190.0), "x", 100.0), n=16)
    lon = fc["features"][1]["geometry"]["coordinates"][0]
    assert math.isclose(lon, -170.0)
