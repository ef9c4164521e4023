"""Tests of geo.geocoder.OfflineGeocoder: geopy's contract over the bundled gazetteer."""

from __future__ import annotations

import inspect
import math

import pytest
from geopy.geocoders import Nominatim
from geopy.location import Location
from geopy.point import Point

from geo.errors import InputError
from geo.gazetteer import default_gazetteer
from geo.geocoder import OfflineGeocoder

RAW_KEYS = {"country_code", "feature", "gazetteer_id", "population", "feature_code", "importance"}


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    return OfflineGeocoder(default_gazetteer())


def test_signatures_follow_geopy() -> None:
    ours = inspect.signature(OfflineGeocoder.geocode).parameters
    theirs = inspect.signature(Nominatim.geocode).parameters
    for name in ("query", "exactly_one", "country_codes", "limit", "timeout"):
        assert name in ours and name in theirs
        assert ours[name].kind == theirs[name].kind or name == "query"
    rev = inspect.signature(OfflineGeocoder.reverse).parameters
    assert "limit" in rev  # an extension: Nominatim.reverse has no limit
    for name in ("query", "exactly_one", "timeout"):
        assert name in rev and name in inspect.signature(Nominatim.reverse).parameters


@pytest.mark.parametrize(
    ("query", "cc", "feature", "lat", "lon"),
    [
        ("Pyongyang", "KP", "city", 39.02, 125.75),
        ("Seoul", "KR", "city", 37.57, 126.98),
        ("Najin", "KP", "city", 42.26, 130.28),
        ("North Korea", "KP", "country", None, None),
        ("Moscow", "RU", "city", 55.75, 37.62),
        ("Washington", "US", "city", 38.90, -77.04),
        ("Georgia", "GE", "country", None, None),
        ("Texas", "US", "admin1", None, None),
        ("Black Sea", None, "water", None, None),
    ],
)
def test_geocode(
    geocoder: OfflineGeocoder, query: str, cc: str | None, feature: str, lat: float | None, lon: float | None
) -> None:
    loc = geocoder.geocode(query)
    assert isinstance(loc, Location)
    assert set(loc.raw) >= RAW_KEYS
    assert (loc.raw["country_code"], loc.raw["feature"]) == (cc, feature)
    assert (loc.latitude, loc.longitude) == (loc.raw["lat"], loc.raw["lon"])
    assert loc.point == Point(loc.latitude, loc.longitude)
    if lat is not None and lon is not None:
        assert math.hypot(loc.latitude - lat, loc.longitude - lon) < 0.2


def test_geocode_many(geocoder: OfflineGeocoder) -> None:
    many = geocoder.geocode("Paris", exactly_one=False)
    assert isinstance(many, list) and len(many) > 3
    assert all(isinstance(x, Location) for x in many)
    assert many[0].raw["country_code"] == "FR"
    two = geocoder.geocode("Paris", exactly_one=False, limit=2)
    assert two is not None
    assert [x.raw["gazetteer_id"] for x in two] == [x.raw["gazetteer_id"] for x in many[:2]]


@pytest.mark.parametrize("codes", ["us", "US", ["us"], ("US", "CA"), {"US"}])
def test_country_codes(geocoder: OfflineGeocoder, codes: object) -> None:
    loc = geocoder.geocode("Moscow", country_codes=codes)  # type: ignore[call-overload]
    assert loc is not None
    assert loc.raw["country_code"] == "US" and loc.raw["admin1"] == "Idaho"
    assert loc.address == "Moscow, Idaho, United States"


@pytest.mark.parametrize(
    ("query", "cc", "admin1"),
    [
        ("Moscow, Idaho", "US", "Idaho"),
        ("Bangor, Maine", "US", "Maine"),
        ("Paris, Texas", "US", "Texas"),
        ("Victoria, Canada", "CA", None),
        ("Washington, United Kingdom", "GB", None),
    ],
)
def test_comma_context(geocoder: OfflineGeocoder, query: str, cc: str, admin1: str | None) -> None:
    loc = geocoder.geocode(query)
    assert loc is not None and loc.raw["country_code"] == cc
    if admin1:
        assert loc.raw["admin1"] == admin1


@pytest.mark.parametrize("query", ["", "   ", "Atlantis City of Gold", "Nowhere, Maine", ","])
def test_not_found_is_none(geocoder: OfflineGeocoder, query: str) -> None:
    assert geocoder.geocode(query) is None
    assert geocoder.geocode(query, exactly_one=False) is None


@pytest.mark.parametrize(
    ("query", "address"),
    [
        ("North Korea", "North Korea"),
        ("Seoul", "Seoul, South Korea"),
        ("Rajin", "Rajin, Rason, North Korea"),
        ("Texas", "Texas, United States"),
        ("Black Sea", "Black Sea"),
    ],
)
def test_address(geocoder: OfflineGeocoder, query: str, address: str) -> None:
    loc = geocoder.geocode(query)
    assert loc is not None and loc.address == address


@pytest.mark.parametrize(
    "query", [(42.256, 130.283), "42.256, 130.283", Point(42.256, 130.283), [42.256, 130.283]]
)
def test_reverse_forms(geocoder: OfflineGeocoder, query: object) -> None:
    loc = geocoder.reverse(query)
    assert isinstance(loc, Location)
    assert loc.raw["name"] == "Rajin"
    assert loc.raw["distance_km"] < 1.0


def test_reverse_many(geocoder: OfflineGeocoder) -> None:
    locs = geocoder.reverse((37.57, 126.98), exactly_one=False, limit=4)
    assert isinstance(locs, list) and len(locs) == 4
    d = [x.raw["distance_km"] for x in locs]
    assert d == sorted(d)


def test_default_gazetteer_is_lazy() -> None:
    g = OfflineGeocoder()
    loc = g.geocode("Guam")
    assert loc is not None and loc.raw["country_code"] == "GU"
    assert g.gazetteer is default_gazetteer()


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda g: g.geocode(None), "None"),
        (lambda g: g.geocode({"city": "Paris"}), "city"),
        (lambda g: g.geocode("Paris", exactly_one="yes"), "'yes'"),
        (lambda g: g.geocode("Paris", limit=0), "0"),
        (lambda g: g.geocode("Paris", timeout=-1), "-1"),
        (lambda g: g.geocode("Paris", country_codes=["USA"]), "'USA'"),
        (lambda g: g.reverse("not a point"), "not a point"),
        (lambda g: g.reverse((95.0, 0.0)), "95"),
        (lambda g: g.reverse(None), "None"),
        (lambda g: g.reverse((1.0, 2.0), limit=-2), "-2"),
    ],
)
def test_errors(geocoder: OfflineGeocoder, call: object, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        call(geocoder)  # type: ignore[operator]


def test_bad_gazetteer() -> None:
    with pytest.raises(InputError, match="'nope'"):
        OfflineGeocoder("nope")  # type: ignore[arg-type]
