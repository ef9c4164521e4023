"""Tests of geo.reach: reach verdicts for places and shapes."""

from __future__ import annotations

import pytest
from shapely.geometry import MultiPolygon, Point, box

from geo.errors import InputError
from geo.geodesy import distance_km, half_meridian_km
from geo.model import LatLon, Place, Ring
from geo.reach import reach_verdicts, shape_distances_km

PYONGYANG = LatLon(39.03385, 125.75432)
TOKYO = Place("gn:1850147", "Tokyo", 35.6895, 139.69171, "JP", "city")
GUAM = Place("gn:4044012", "Hagåtña", 13.47567, 144.74886, "GU", "city")
DC = Place("gn:4140963", "Washington", 38.89511, -77.03637, "US", "city")


def ring(km: float) -> Ring:
    return Ring(PYONGYANG, "Pyongyang", km)


@pytest.mark.parametrize(
    ("km", "tokyo", "guam", "dc"),
    [
        (1_000, "outside", "outside", "outside"),
        (1_300, "inside", "outside", "outside"),
        (3_393 + 1, "inside", "inside", "outside"),
        (13_000, "inside", "inside", "inside"),  # the folium bug: DC at 11,068 km is inside
        (25_000, "inside", "inside", "inside"),
    ],
)
def test_place_verdicts(km: float, tokyo: str, guam: str, dc: str) -> None:
    got = {v.target: v.verdict for v in reach_verdicts(ring(km), places=[TOKYO, GUAM, DC])}
    assert got == {"Tokyo": tokyo, "Hagåtña": guam, "Washington": dc}


def test_place_distance_and_margin() -> None:
    (v,) = reach_verdicts(ring(3_000), places=[GUAM])
    d = distance_km(PYONGYANG, GUAM.latlon)
    assert v.kind == "place" and v.target_id == "gn:4044012"
    assert v.distance_km == pytest.approx(d) and v.far_km == pytest.approx(d)
    assert v.margin_km == pytest.approx(3_000 - d) and v.margin_km < 0


def test_sorted_by_distance_and_deterministic() -> None:
    v1 = reach_verdicts(ring(5_000), places=[DC, GUAM, TOKYO])
    v2 = reach_verdicts(ring(5_000), places=[TOKYO, DC, GUAM])
    assert v1 == v2
    assert [v.target for v in v1] == ["Tokyo", "Hagåtña", "Washington"]


def test_claimed_matches_ids_and_names_case_insensitively() -> None:
    shapes = {"JP": box(129.0, 30.0, 146.0, 46.0)}
    out = reach_verdicts(
        ring(3_000), places=[GUAM], shapes=shapes, names={"JP": "Japan"}, claimed=["japan", "GU"]
    )
    by = {v.target: v for v in out}
    assert by["Japan"].claimed and by["Japan"].kind == "country"
    assert not by["Hagåtña"].claimed  # "GU" is the country code, not this place's id or name
    out = reach_verdicts(ring(3_000), places=[GUAM], claimed=["gn:4044012"])
    assert out[0].claimed


@pytest.mark.parametrize(
    ("geom", "km", "verdict"),
    [
        (box(138.0, 34.0, 141.0, 37.0), 3_000, "inside"),
        (box(138.0, 34.0, 141.0, 37.0), 1_250, "partly"),
        (box(138.0, 34.0, 141.0, 37.0), 1_000, "outside"),
        (box(125.0, 38.0, 127.0, 40.0), 10, "partly"),  # holds the centre: nearest distance 0
    ],
)
def test_shape_verdicts(geom, km: float, verdict: str) -> None:
    (v,) = reach_verdicts(ring(km), shapes={"XX-1": geom})
    assert v.verdict == verdict and v.kind == "region" and v.target == "XX-1"


def test_shape_holding_the_centre_has_zero_distance() -> None:
    near, far = shape_distances_km(PYONGYANG, box(125.0, 38.0, 127.0, 40.0))
    assert near == 0.0 and far > 100.0


def test_shape_holding_the_antipode_reaches_half_the_meridian() -> None:
    a = LatLon(-PYONGYANG.lat, PYONGYANG.lon - 180.0)
    _, far = shape_distances_km(PYONGYANG, Point(a.lon, a.lat).buffer(1.0))
    assert far == half_meridian_km()
    (v,) = reach_verdicts(ring(19_990), shapes={"ANTI": Point(a.lon, a.lat).buffer(1.0)})
    assert v.verdict == "partly"


def test_long_edges_are_densified() -> None:
    # a thin box whose corners are all far away but whose long southern edge passes close to the centre
    geom = box(100.0, 40.0, 150.0, 41.0)
    near, _ = shape_distances_km(PYONGYANG, geom)
    assert near == pytest.approx(distance_km(PYONGYANG, LatLon(40.0, PYONGYANG.lon)), abs=5.0)


def test_antimeridian_shape_split_or_not_gives_the_same_distances() -> None:
    whole = box(170.0, 50.0, 190.0, 60.0)  # unsplit, beyond 180
    split = MultiPolygon([box(170.0, 50.0, 180.0, 60.0), box(-180.0, 50.0, -170.0, 60.0)])
    a = shape_distances_km(PYONGYANG, split)
    b = shape_distances_km(PYONGYANG, whole)
    assert a == pytest.approx(b, abs=1.0)


def test_bad_input() -> None:
    with pytest.raises(InputError):
        shape_distances_km(PYONGYANG, box(0, 0, 1, 1), step_km=0.0)
    with pytest.raises(InputError):
        shape_distances_km(PYONGYANG, Point(0, 0).buffer(0))


def test_empty_inputs_give_no_verdicts() -> None:
    assert reach_verdicts(ring(1_000)) == ()


def test_countries_from_the_bundled_shapes() -> None:
    gpd = pytest.importorskip("geopandas")
    from importlib.resources import files

    path = files("sitmap_data").joinpath("gazetteer", "countries.parquet")
    if not path.is_file():
        pytest.skip("country shapes not built")
    with path.open("rb") as fh:
        frame = gpd.read_parquet(fh)
    shapes = {r.iso_a2: r.geometry for r in frame.itertuples() if r.iso_a2 in ("JP", "GU", "KP", "RU", "US")}
    by = {v.target_id: v for v in reach_verdicts(ring(3_500), shapes=shapes)}
    assert by["JP"].verdict == "inside"  # "could reach all of Japan and Guam"
    assert by["GU"].verdict == "inside"
    assert by["KP"].verdict == "inside" and by["KP"].distance_km == 0.0
    assert by["RU"].verdict == "partly"
    assert by["US"].verdict == "outside"
    assert reach_verdicts(ring(1_500), shapes={"JP": shapes["JP"]})[0].verdict == "partly"
