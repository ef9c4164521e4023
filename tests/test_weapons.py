"""Tests of geo.weapons: the bundled catalogue, lookups, phrases and CSV validation."""

from __future__ import annotations

import pytest

from geo.errors import DataError, UnknownSystemError
from geo.weapons import (
    BALLISTIC_CLASSES,
    WEAPON_CLASSES,
    Catalogue,
    WeaponSystem,
    load_catalogue,
    parse_catalogue,
)

HEAD = "name,aliases,class,country_code,min_km,max_km,source,source_date,note\n"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def test_catalogue_size_and_countries(cat: Catalogue) -> None:
    assert len(cat.systems) >= 40
    countries = {s.country_code for s in cat.systems}
    assert {"KP", "RU", "CN", "IR", "US", "IN", "PK", "IL"} <= countries


def test_every_row_is_sourced_and_consistent(cat: Catalogue) -> None:
    for s in (*cat.systems, *cat.classes):
        assert s.source, s.name
        assert s.weapon_class in WEAPON_CLASSES
        assert s.has_range and 0 < s.max_km < 20_000, s.name
        if s.min_km is not None:
            assert s.min_km <= s.max_km, s.name
    for s in cat.generic:
        assert not s.has_range and s.max_km == 0.0


@pytest.mark.parametrize(
    ("cls", "low", "high"),
    [
        ("CRBM", None, 300),
        ("SRBM", 300, 1000),
        ("MRBM", 1000, 3000),
        ("IRBM", 3000, 5500),
        ("ICBM", 5500, 5500),
    ],
)
def test_class_bounds_from_the_domain_reference(
    cat: Catalogue, cls: str, low: float | None, high: float
) -> None:
    c = cat.require(cls)
    assert c.is_class and (c.min_km, c.max_km) == (low, high)
    assert [x.name for x in cat.classes] == list(BALLISTIC_CLASSES)


@pytest.mark.parametrize(
    ("query", "name", "max_km"),
    [
        ("KN-23", "KN-23", 800),
        ("kn23", "KN-23", 800),
        ("Hwasong-11Ga", "KN-23", 800),
        ("Hwasong 11A", "KN-23", 800),
        ("KN-24", "KN-24", 500),
        ("Hwasong-15", "Hwasong-15", 13_000),
        ("HWASONG‑15", "Hwasong-15", 13_000),  # non-breaking hyphen
        ("Nodong", "Nodong", 1_600),
        ("Iskander-M", "Iskander-M", 500),
        ("Kinzhal", "Kinzhal", 2_000),
        ("RS-28 Sarmat", "RS-28 Sarmat", 18_000),
        ("Oreshnik", "Oreshnik", 5_500),
        ("Kh-101", "Kh-101", 5_500),
        ("DF-41", "DF-41", 14_500),
        ("Shahed 136", "Shahed-136", 2_000),
        ("Minuteman III", "Minuteman III", 13_000),
        ("Agni 5", "Agni-V", 5_500),
        ("Shaheen-III", "Shaheen-III", 2_750),
        ("Jericho III", "Jericho III", 7_800),
        ("intermediate-range ballistic missiles", "IRBM", 5_500),
        ("close-range ballistic missile", "CRBM", 300),
        ("ICBMs", "ICBM", 5_500),
    ],
)
def test_get_by_name_alias_and_class_word(cat: Catalogue, query: str, name: str, max_km: float) -> None:
    s = cat.get(query)
    assert s is not None and s.name == name and s.max_km == max_km


@pytest.mark.parametrize("query", ["", "   ", "Hwasong-99", "Rodong", "missile", "Fateh"])
def test_unknown_names(cat: Catalogue, query: str) -> None:
    assert cat.get(query) is None
    with pytest.raises(UnknownSystemError, match="unknown weapon system"):
        cat.require(query)


def test_similar_names_stay_apart(cat: Catalogue) -> None:
    names = {cat.require(q).name for q in ("Agni-I", "Agni-II", "Agni-III", "Agni-IV", "Agni-V")}
    assert len(names) == 5
    assert cat.require("DF-31").name != cat.require("DF-31A").name != cat.require("DF-31AG").name
    assert cat.require("Kheibar").name == "Khorramshahr"
    assert cat.require("Kheibar Shekan").name == "Kheibar Shekan"


def test_phrases_cover_names_aliases_and_class_words(cat: Catalogue) -> None:
    ph = cat.phrases()
    for key in (
        "KN-23",
        "Hwasong-11Ga",
        "Hwasong 11Ga",
        "IRBM",
        "ICBM",
        "ICBMs",
        "intercontinental ballistic missile",
        "intercontinental ballistic missiles",
        "close-range ballistic missiles",
        "short-range ballistic missile",
        "cruise missile",
        "cruise missiles",
        "drone",
        "drones",
        "Shahed-136",
    ):
        assert key in ph, key
    assert ph["cruise missile"].name == "cruise missile" and not ph["cruise missile"].has_range
    for phrase, system in ph.items():
        assert cat.get(phrase) is system, phrase


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Fattah", True),
        ("Emad", True),
        ("Musudan", True),
        ("Trident", True),
        ("Dezful", True),
        ("Fattah-1", False),
        ("RS-28 Sarmat", False),
        ("KN-23", False),
        ("Hwasong-15", False),
        ("nothing", False),
    ],
)
def test_needs_context(cat: Catalogue, phrase: str, expected: bool) -> None:
    assert cat.needs_context(phrase) is expected


def test_load_catalogue_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


def test_weapon_system_to_dict() -> None:
    d = load_catalogue().require("cruise missile").to_dict()
    assert d["class"] == "cruise missile" and d["max_km"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("X,,SRBM,KP,,abc,s,2024,\n", "not a number"),
        ("X,,SRBM,KP,900,450,s,2024,\n", "min_km"),
        ("X,,SRBM,KP,,,s,2024,\n", "no max_km"),
        ("X,,XRBM,KP,,450,s,2024,\n", "unknown class"),
        ("X,,SRBM,KP,,450,,2024,\n", "no source"),
        ("X,,SRBM,KP,,-4,s,2024,\n", "non-negative"),
        ("X,Y,SRBM,KP,,450,s,2024,\nZ,y,SRBM,KP,,450,s,2024,\n", "ambiguous"),
    ],
)
def test_parse_rejects_bad_rows(body: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_catalogue(HEAD + body)


def test_parse_rejects_missing_columns() -> None:
    with pytest.raises(DataError, match="lacks the columns"):
        parse_catalogue("name,max_km\nX,1\n")


def test_parse_minimal_and_comment_rows() -> None:
    cat = parse_catalogue(HEAD + "# comment,,,,,,,,\nX-1,X1,SRBM,kp,,450,src,2024,\n")
    (x,) = cat.systems
    assert x == WeaponSystem("X-1", ("X1",), "SRBM", "KP", None, 450.0, "src", "2024", "")
