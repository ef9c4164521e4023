"""Tests for the bundled country shapes (data/gazetteer/countries.parquet, built by build_shapes.py)."""

from __future__ import annotations

import json
import pathlib
from importlib.resources import files

import geopandas as gpd
import pyarrow.parquet as pq
import pytest
import shapely
from shapely.geometry import Point

PATH = pathlib.Path(str(files("sitmap_data") / "gazetteer" / "countries.parquet"))


@pytest.fixture(scope="module")
def shapes() -> gpd.GeoDataFrame:
    return gpd.read_parquet(PATH)


def _codes_at(shapes: gpd.GeoDataFrame, lat: float, lon: float, within_km: float = 0.0) -> set[str]:
    point = Point(lon, lat)
    if within_km == 0:
        return set(shapes.loc[shapes.covers(point), "iso_a2"])
    # About 111 km per degree; coarse, but only used for a few km near coasts.
    near = shapely.dwithin(shapes.geometry.values, point, within_km / 111.0)
    return set(shapes.loc[near, "iso_a2"])


def test_rows_and_columns(shapes: gpd.GeoDataFrame) -> None:
    # 235 ISO units of world-atlas 50m + XK + CX and CC split from "Indian Ocean Ter." + US-CONT.
    assert len(shapes) == 239
    assert list(shapes.columns) == ["iso_a2", "name", "geometry"]
    assert shapes["iso_a2"].is_unique and list(shapes["iso_a2"]) == sorted(shapes["iso_a2"])
    assert shapes["iso_a2"].str.fullmatch(r"[A-Z]{2}|US-CONT").all()
    assert shapes["name"].str.len().gt(0).all()
    for code in ("GU", "XK", "CX", "CC", "PR", "AS", "MP", "FO", "AQ", "TW", "PS", "EH", "US-CONT"):
        assert code in set(shapes["iso_a2"]), code
    assert shapes.set_index("iso_a2").loc["US-CONT", "name"] == "Contiguous United States"


def test_geometries_valid_polygons_in_range(shapes: gpd.GeoDataFrame) -> None:
    assert shapes.geometry.is_valid.all()
    assert not shapes.geometry.is_empty.any()
    assert set(shapes.geom_type) <= {"Polygon", "MultiPolygon"}
    west, south, east, north = shapes.total_bounds
    assert west >= -180 and east <= 180 and south >= -90 and north <= 90


def test_geoparquet_metadata() -> None:
    meta = json.loads(pq.read_metadata(PATH).metadata[b"geo"])
    column = meta["columns"]["geometry"]
    assert meta["primary_column"] == "geometry" and column["encoding"] == "WKB"
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}


def test_file_size() -> None:
    assert 500_000 < PATH.stat().st_size < 3_000_000


@pytest.mark.parametrize(
    ("place", "lat", "lon", "expected"),
    [
        ("Pyongyang", 39.0392, 125.7625, {"KP"}),
        ("Hagåtña", 13.4745, 144.7504, {"GU"}),
        ("Chukotka west of 180°", 66.0, 175.0, {"RU"}),
        ("Chukotka east of 180°", 67.0, -175.0, {"RU"}),
        ("Viti Levu (Fiji)", -17.8, 178.0, {"FJ"}),
        ("Kyiv", 50.4501, 30.5234, {"UA"}),
        ("Denver", 39.7392, -104.9903, {"US", "US-CONT"}),
        ("Washington, DC", 38.9072, -77.0369, {"US", "US-CONT"}),
        ("Seattle", 47.6062, -122.3321, {"US", "US-CONT"}),
        ("Honolulu", 21.3069, -157.8583, {"US"}),
        ("Anchorage", 61.2181, -149.9003, {"US"}),
        ("Puerto Rico", 18.25, -66.5, {"PR"}),
        ("Pristina", 42.6629, 21.1655, {"XK"}),
        ("Hargeisa (Somaliland)", 9.56, 44.065, {"SO"}),
        ("Lefkoniko (N. Cyprus)", 35.25, 33.74, {"CY"}),
        ("Christmas Island", -10.49, 105.62, {"CX"}),
        ("Moscow", 55.7558, 37.6173, {"RU"}),
        ("Taipei", 25.033, 121.5654, {"TW"}),
        ("South Pole", -89.5, 0.0, {"AQ"}),
        ("Gulf of Guinea", 0.0, 0.0, set()),
        ("Sea of Japan", 40.0, 135.0, set()),
    ],
)
def test_known_points(
    shapes: gpd.GeoDataFrame, place: str, lat: float, lon: float, expected: set[str]
) -> None:
    assert _codes_at(shapes, lat, lon) == expected, place


@pytest.mark.parametrize(
    ("place", "lat", "lon", "expected"),
    [
        # Harbour cities lie 1–4 km off the 1:50m coastline (measured: Anadyr 3.5 km, San Juan 1.6 km,
        # Suva 1.1 km): point-in-country lookups need a few km of tolerance at coasts.
        ("Anadyr", 64.7337, 177.4968, {"RU"}),
        ("Suva", -18.1416, 178.4419, {"FJ"}),
        ("San Juan", 18.4655, -66.1057, {"PR"}),
        ("Hagåtña", 13.4745, 144.7504, {"GU"}),
    ],
)
def test_coastal_cities_within_5_km(
    shapes: gpd.GeoDataFrame, place: str, lat: float, lon: float, expected: set[str]
) -> None:
    assert _codes_at(shapes, lat, lon, within_km=5) == expected, place


def test_contiguous_us_is_inside_us(shapes: gpd.GeoDataFrame) -> None:
    rows = shapes.set_index("iso_a2").geometry
    us, cont = rows["US"], rows["US-CONT"]
    assert cont.difference(us).area < 1e-9
    assert 0.6 < cont.area / us.area < 0.8  # Alaska is about a third of the US in degrees²
    west, south, east, north = cont.bounds
    assert -125.0 < west < -124.0 and 24.0 < south < 25.5 and -67.5 < east < -66.5 and 49.0 < north < 49.5


def test_antimeridian_countries_touch_both_edges(shapes: gpd.GeoDataFrame) -> None:
    rows = shapes.set_index("iso_a2").geometry
    for code in ("RU", "FJ", "AQ"):
        west, _, east, _ = rows[code].bounds
        assert west == -180 and east == 180, code
    # The antimeridian cut must not create a stripe: Russia covers no mid-Pacific point at its latitudes.
    assert not rows["RU"].covers(Point(-150, 66))
