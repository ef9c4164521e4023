"""Tests for geo.resolve: candidate choice with document context (hand-made sentences)."""

from __future__ import annotations

import pytest

import geo
from geo.resolve import resolve_hits
from geo.toponyms import Hit


def _by_text(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {t.text: (t.country_code, t.feature, t.name) for t in geo.geoparse(text)}


@pytest.mark.parametrize(
    ("text", "mention", "country", "feature"),
    [
        # countries and capitals do not resolve to tiny features
        ("Talks in Paris stalled.", "Paris", "FR", "city"),
        ("Jordan closed its border.", "Jordan", "JO", "country"),
        # "X, Y" patterns
        ("The sheriff of Moscow, Idaho, said the road was closed.", "Moscow", "US", "city"),
        ("Flooding hit Paris, Texas, on Monday.", "Paris", "US", "city"),
        ("A fire in Bangor, Maine, destroyed a mill.", "Bangor", "US", "city"),
        # Georgia the country vs the state, by the document's other places
        ("Russian tanks entered Georgia and neared Tbilisi.", "Georgia", "GE", "country"),
        ("Storms hit Florida, Alabama and Georgia on Sunday.", "Georgia", "US", "admin1"),
        # ... and by the towns of the text it holds; the towns follow the state
        ("Officials in Athens and Oglethorpe said Georgia would pay.", "Georgia", "US", "admin1"),
        ("Officials in Athens and Oglethorpe said Georgia would pay.", "Athens", "US", "city"),
        ("Officials in Athens said Greece would pay.", "Athens", "GR", "city"),
        # Washington: the capital by default, the state with its cities
        ("Washington imposed new sanctions on Moscow.", "Washington", "US", "city"),
        # demonyms resolve to their country
        ("Syrian forces advanced.", "Syrian", "SY", "country"),
        # a primary name beats a former (alternate) name of a nearby town: not Korolev, "once Kaliningrad"
        ("Russia moved missiles to Kaliningrad, officials in Moscow said.", "Kaliningrad", "RU", "city"),
        # a city named like its region, of which it is the largest place: the city
        ("Drones were shipped across the Caspian to Astrakhan and Makhachkala.", "Astrakhan", "RU", "city"),
        ("Officials in New York and Washington said.", "New York", "US", "city"),
        # country context alone does not move a capital to a small US namesake
        (
            "An Israeli strike hit Damascus. Officials in Washington said the US was not involved.",
            "Damascus",
            "SY",
            "city",
        ),
        (
            "Protesters gathered in Paris, and officials in Washington said the United States would respond.",
            "Paris",
            "FR",
            "city",
        ),
    ],
)
def test_resolution_with_context(resources, text, mention, country, feature):
    got = _by_text(text)
    assert mention in got, got
    assert got[mention][:2] == (country, feature), got[mention]


@pytest.mark.parametrize(
    ("text", "mention", "country", "feature"),
    [
        # a country's name is the country, not a small namesake town in the region the text names ...
        ("Tariffs on imports from China worried exporters in Houston, Texas.", "China", "CN", "country"),
        # ... unless the text says "X, Y" ...
        ("Flooding hit China, Texas, on Monday.", "China", "US", "city"),
        # ... or the town lies next to the text's other places (a local story)
        (
            "The Lebanon street department and Zionsville officials in Boone County closed the roads.",
            "Lebanon",
            "US",
            "city",
        ),
        # nor a city of the country itself that carries the name as an alternate ("Mexico" for Mexico City)
        (
            "Lopez Obrador said Mexico should send observers. MEXICO CITY officials agreed.",
            "Mexico",
            "MX",
            "country",
        ),
        # an admin1 region named like its own country gains nothing from the country's other regions
        ("Migrants crossed Oaxaca and Chiapas to reach Mexico and the border.", "Mexico", "MX", "country"),
        # a region named in the text is no evidence for its own namesake town (Florida, Uruguay)
        (
            "The team travelled to Saipan, Guam, Alaska, Hawaii, Florida and Washington.",
            "Florida",
            "US",
            "admin1",
        ),
        # a region called so outranks a town that only carries the name as an alternate name
        (
            "Musicians from across the United States including Missouri, New York and Virginia came.",
            "Missouri",
            "US",
            "admin1",
        ),
        # a list closed by a plural kind noun: the names are of that kind
        (
            "The population of Douglas, Sarpy and Lancaster counties in Nebraska grew.",
            "Douglas",
            "US",
            "admin2",
        ),
        (
            "The population of Douglas, Sarpy and Lancaster counties in Nebraska grew.",
            "Lancaster",
            "US",
            "admin2",
        ),
        # ... but a lone modifier is not a list
        ("The county ranked near the middle of Indiana counties.", "Indiana", "US", "admin1"),
    ],
)
def test_country_and_region_rules(resources, text, mention, country, feature):
    got = _by_text(text)
    assert mention in got, got
    assert got[mention][:2] == (country, feature), got[mention]


@pytest.mark.parametrize(
    "text",
    [
        "Wildfires near Spokane, Washington, forced evacuations.",
        "Seattle and Spokane are in Washington state.",
    ],
)
def test_washington_the_state(resources, text):
    got = {t.text: t for t in geo.geoparse(text)}
    assert (got["Washington"].country_code, got["Washington"].feature) == ("US", "admin1")


def test_person_named_like_a_place_is_not_a_place(resources):
    got = _by_text("Defence Minister Shin Wonsik said Shin would travel to Busan.")
    assert "Shin" not in got
    assert got["Busan"][0] == "KR"


def test_unresolvable_name_never_drops_the_others(gazetteer):
    text = "Zzyzxqv and Seoul"
    hits = [Hit(0, 7, "Zzyzxqv", "ner", "GPE"), Hit(12, 17, "Seoul", "ner", "GPE")]
    out = resolve_hits(text, hits, gazetteer)
    assert [t.text for t in out] == ["Zzyzxqv", "Seoul"]
    assert out[0].gazetteer_id is None and out[0].lat is None
    assert out[1].country_code == "KR"
    assert 0.0 <= out[1].score <= 1.0 and out[1].resolution


def test_dateline_gives_country_context(gazetteer):
    text = "Officials in Paris said."
    hits = [Hit(13, 18, "Paris", "ner", "GPE")]
    plain = resolve_hits(text, hits, gazetteer)
    assert plain[0].country_code == "FR"
    us = resolve_hits(text, hits, gazetteer, demonyms={"US": 3}, dateline_place="Dallas")
    assert us[0].country_code in ("FR", "US")  # context helps but a capital keeps a strong prior
    assert 0.0 <= us[0].score <= 1.0


def test_admin1_named_in_the_text_pulls_a_small_town(gazetteer):
    text = "Benson police and Minnesota officials"
    hits = [Hit(0, 6, "Benson", "gazetteer"), Hit(18, 27, "Minnesota", "ner", "GPE")]
    out = resolve_hits(text, hits, gazetteer)
    assert (out[0].country_code, out[0].feature) == ("US", "city")
    assert "Minnesota" in out[0].resolution


def test_demonym_hits_resolve_to_country(gazetteer):
    hits = [Hit(0, 7, "Russian", "rule", "NORP")]
    out = resolve_hits("Russian troops", hits, gazetteer)
    assert (out[0].country_code, out[0].feature, out[0].source) == ("RU", "country", "rule")


# --- co-location: namesakes that lie next to each other are read together (a local story) ---


@pytest.mark.parametrize(
    ("text", "mention", "country", "feature"),
    [
        # a town and its county, both names common elsewhere: the pair that lies together wins
        ("The Athens school board met with Clarke County commissioners.", "Athens", "US", "city"),
        ("The Athens school board met with Clarke County commissioners.", "Clarke County", "US", "admin2"),
        # two neighbouring towns, one named like a capital abroad
        ("Residents of Berlin and Ocean City lost power overnight.", "Berlin", "US", "city"),
        # a bare country's name still stands for the country: its namesake town next to the county named
        # in the text is no explicit local evidence ("X, Y" or a town already placed beside it would be)
        ("The Lebanon mayor and Warren County commissioners signed the deal.", "Lebanon", "LB", "country"),
        ("Jordan city council and Scott County deputies approved the plan.", "Jordan", "JO", "country"),
    ],
)
def test_colocated_namesakes(resources, text, mention, country, feature):
    got = _by_text(text)
    assert mention in got, got
    assert got[mention][:2] == (country, feature), got[mention]


def test_colocated_pair_is_placed_together(resources):
    from geo.evaluation import great_circle_km

    got = {t.text: t for t in geo.geoparse("The Athens school board met with Clarke County commissioners.")}
    a, c = got["Athens"], got["Clarke County"]
    assert a.lat is not None and a.lon is not None and c.lat is not None and c.lon is not None
    assert great_circle_km(a.lat, a.lon, c.lat, c.lon) < 60
    assert "next to places" in a.resolution


def test_colocation_support_weights(gazetteer):
    from geo.normalize import normalize
    from geo.resolve import _colocation

    names = ["Watkinsville", "Athens"]
    support = _colocation([normalize(n) for n in names], [gazetteer.lookup(n) for n in names])
    athens = {gid: v for gid, v in support["athens"].items() if v}
    # one reading of Athens (Georgia) lies next to Watkinsville, which has a single reading: full support
    assert len(athens) == 1 and next(iter(athens.values())) == pytest.approx(1.0)
    # Watkinsville is supported by one of Athens's many readings: less than one
    (watkinsville,) = support["watkinsville"].values()
    assert 0 < watkinsville < 0.5
    # a name alone in the text gets no support
    assert _colocation(["athens"], [gazetteer.lookup("Athens")]) == {}


def test_colocation_ignores_capitals_regions_and_alternate_names(gazetteer):
    from geo.normalize import normalize
    from geo.resolve import _colocation

    # a region's name ("Middle East" is also a Maryland town) and a name that is also a state
    # ("Washington") lend no support to their namesake towns' neighbours, and a national capital is no
    # local anchor: Damascus, Maryland, gains nothing from them
    names = ["Damascus", "Middle East", "Washington"]
    support = _colocation([normalize(n) for n in names], [gazetteer.lookup(n) for n in names])
    assert not any(support.get("damascus", {}).values())
    assert "middle east" not in support or not any(support["middle east"].values())
    # a town that only carries the name as an alternate name takes no part (Korolev, once "Kaliningrad")
    # (Korolev lies next to Mytishchi: called by its own name it is supported, by the old name not)
    own = _colocation(["korolev", "mytishchi"], [gazetteer.lookup("Korolev"), gazetteer.lookup("Mytishchi")])
    assert max(own["korolev"].values()) == pytest.approx(1.0)
    alt = _colocation(
        ["kaliningrad", "mytishchi"], [gazetteer.lookup("Kaliningrad"), gazetteer.lookup("Mytishchi")]
    )
    readings = {c.gazetteer_id: c for c in gazetteer.lookup("Kaliningrad")}
    assert any(c.name == "Korolev" for c in readings.values())
    assert not any(v for gid, v in alt.get("kaliningrad", {}).items() if readings[gid].name == "Korolev")


def test_repeated_mentions_resolve_alike(gazetteer):
    text = "Paris police said Paris schools and the Paris mayor agreed."
    hits = [Hit(i, i + 5, "Paris", "ner", "GPE") for i in (0, 18, 40)]
    out = resolve_hits(text, hits, gazetteer)
    assert len({(t.gazetteer_id, t.score, t.resolution) for t in out}) == 1


def test_focus_region_of_unambiguous_places_breaks_near_ties(resources):
    # Columbus, Ohio and Columbus, Georgia have close priors; Statesboro (only in Georgia, ~280 km away, too
    # far for proximity) tips the balance to Georgia
    got = {t.text: t for t in geo.geoparse("The Columbus plant will ship parts to Statesboro.")}
    col = got["Columbus"]
    assert col.country_code == "US" and col.lat is not None and 32 < col.lat < 33
    assert "like an unambiguous place" in col.resolution


def test_focus_regions_exclude_the_name_itself(gazetteer):
    from geo.resolve import _focus_regions

    keys = ["statesboro", "columbus"]
    focus = _focus_regions(keys, [gazetteer.lookup("Statesboro"), gazetteer.lookup("Columbus")])
    assert focus["columbus"] == frozenset({("US", "georgia")})
    assert focus["statesboro"] == frozenset()  # Statesboro is no evidence for itself
    # a name with several readings sets no focus
    assert (
        _focus_regions(["columbus", "paris"], [gazetteer.lookup("Columbus"), gazetteer.lookup("Paris")]) == {}
    )


@pytest.mark.parametrize(
    ("text", "mention", "feature"),
    [
        # a town named like a state of its own country is not read as the town because the text names the
        # state that holds it: the name stands for the state ...
        ("Officials in Iowa said Nevada would pay its share.", "Nevada", "admin1"),
        ("Farmers in Illinois and Kansas planted early.", "Kansas", "admin1"),
        # ... unless the text says "X, Y"
        ("The sheriff of Nevada, Iowa, said the road was closed.", "Nevada", "city"),
    ],
)
def test_state_name_beats_its_namesake_town(resources, text, mention, feature):
    got = _by_text(text)
    assert got[mention][:2] == ("US", feature), got[mention]


def test_capital_named_like_a_state_stays_the_capital(resources):
    got = {t.text: t for t in geo.geoparse("Pennsylvania lawmakers travelled to Washington to lobby.")}
    w = got["Washington"]
    assert (w.country_code, w.feature) == ("US", "city")
    assert w.lat is not None and abs(w.lat - 38.9) < 0.2
