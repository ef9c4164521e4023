"""Tests for geo.pipeline: the seed article end to end, offsets, resources loaded once."""

from __future__ import annotations

import warnings

import pytest

import geo
from geo.errors import InputError
from geo.geodesy import distance_km
from geo.model import LatLon

# Truth for the places the skeleton issue names (GeoNames / published coordinates)
SEED_PLACES = {
    "Seoul": LatLon(37.5665, 126.9780),
    "Najin": LatLon(42.2556, 130.2831),
    "Guam": LatLon(13.45, 144.78),
    "Moscow": LatLon(55.7558, 37.6173),
    "Ukraine": LatLon(49.0, 32.0),
}


@pytest.mark.parametrize(("mention", "truth"), SEED_PLACES.items())
def test_seed_places_within_50_km(seed_analysis, mention, truth):
    found = [p for p in seed_analysis.places if any(mention.lower() in m.text.lower() for m in p.mentions)]
    assert found, f"{mention} not among the places"
    assert min(distance_km(p.latlon, truth) for p in found) < (50 if mention != "Ukraine" else 400)


def test_seed_offsets_slice_to_mentions(seed_analysis, seed_text):
    assert seed_analysis.toponyms
    for t in seed_analysis.toponyms:
        assert seed_text[t.start : t.end] == t.text
    for p in seed_analysis.places:
        for m in p.mentions:
            assert seed_text[m.start : m.end] == m.text
    for e in seed_analysis.events:
        for ev in e.evidence:
            assert seed_text[ev.start : ev.end] == ev.sentence


def test_seed_precision_is_honest(seed_analysis):
    kinds = {p.name: p.feature for p in seed_analysis.places}
    assert kinds["Ukraine"] == "country"
    assert kinds["Guam"] == "country"  # a territory: an area, not a pin on a town
    assert kinds["Moscow"] == "city"
    najin = next(p for p in seed_analysis.places if "Najin" in p.name or "Rajin" in p.name)
    assert najin.feature == "site"


def test_not_places(seed_analysis):
    texts = {t.text for t in seed_analysis.toponyms}
    for person_or_org in ("Shin", "Kirby", "Biden", "Putin", "Yonhap News", "White House", "Kremlin"):
        assert person_or_org not in texts


def test_seed_dateline(seed_analysis):
    d = seed_analysis.document.dateline
    assert d is not None and d.place == "SEOUL" and d.date == "2024-01-11" and d.ambiguous


def test_versions_recorded(seed_analysis):
    v = seed_analysis.versions
    assert set(v) >= {"sitmap", "model", "gazetteer", "weapons"}
    assert v["model"] != "none"


def test_geoparse_matches_analyze(seed_text, seed_analysis):
    assert geo.geoparse(seed_text) == list(seed_analysis.toponyms)


def test_resources_loaded_once(resources):
    from geo.pipeline import default_resources

    assert default_resources() is resources
    assert default_resources().nlp is resources.nlp


@pytest.mark.parametrize("bad", [None, b"bytes", 12])
def test_analyze_rejects_non_text(bad):
    with pytest.raises(InputError):
        geo.analyze(bad)


def test_no_places_is_said(resources):
    a = geo.analyze("The committee met on Tuesday and agreed on nothing.")
    assert a.places == ()
    assert any("no places" in w for w in a.warnings)


def test_gazetteer_only_mode_warns(gazetteer, resources):
    from geo.nlp import GazetteerOnlyWarning, load_nlp

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import geo.nlp as nlp_mod

        original = nlp_mod.MODEL_PACKAGES
        nlp_mod.MODEL_PACKAGES = ("no_such_model_package_xyz",)
        try:
            blank = load_nlp()
        finally:
            nlp_mod.MODEL_PACKAGES = original
    assert any(issubclass(w.category, GazetteerOnlyWarning) for w in caught)
    a = geo.analyze("Ships left Najin port for Vladivostok.", nlp=blank, gazetteer=gazetteer)
    assert {t.text for t in a.toponyms} >= {"Najin port", "Vladivostok"}
    assert any("gazetteer-only" in w for w in a.warnings)


def test_long_text_is_chunked(resources):
    from geo import pipeline

    text = ("Ships sailed from Busan to Vladivostok. " * 40).strip()
    old = pipeline.CHUNK_CHARS
    pipeline.CHUNK_CHARS = 300
    try:
        a = geo.analyze(text)
    finally:
        pipeline.CHUNK_CHARS = old
    assert sum(1 for t in a.toponyms if t.text == "Busan") == 40
    for t in a.toponyms:
        assert text[t.start : t.end] == t.text


def test_analyze_many_equals_analyze_one_by_one(resources):
    from .conftest import ROOT

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))[:6]]
    texts.append("Nothing to see here.")
    kw = {"nlp": resources.nlp, "gazetteer": resources.gazetteer, "catalogue": resources.catalogue}
    many = geo.analyze_many(texts, sources=[f"s{i}" for i in range(len(texts))], **kw)
    assert many == [geo.analyze(t, source=f"s{i}", **kw) for i, t in enumerate(texts)]
    with pytest.raises(InputError):
        geo.analyze_many(["a", 3], **kw)  # type: ignore[list-item]
    with pytest.raises(InputError):
        geo.analyze_many(["a"], titles=[], **kw)
