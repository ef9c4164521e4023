"""Tests for maps.render / maps.layers: structure of the HTML, escaping, determinism, standalone."""

from __future__ import annotations

import re

import pytest

import geo
import maps
from maps.standalone import external_references

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "${window.__pwned=1}",
    "`;window.__pwned=1;`",
    '<img src=x onerror="window.__pwned=1">',
    "\\`${window.__pwned=1}\\`",
]


@pytest.fixture(scope="module")
def seed_html(seed_analysis) -> str:
    return maps.render(seed_analysis).get_root().render()


def test_seed_map_is_standalone(seed_html):
    assert external_references(seed_html) == []
    assert "cdn.jsdelivr" not in seed_html and "openstreetmap" not in seed_html.lower()


def test_seed_map_has_every_layer(seed_html):
    for title in ("Places", "Events", "Range rings", "Routes", "Countries and regions mentioned"):
        assert f'"{title}"' in seed_html or f">{title}<" in seed_html or title in seed_html
    assert seed_html.count("L.circleMarker(") >= 3  # points: Seoul, Najin port, Moscow
    assert "L.polygon(" in seed_html  # a range ring
    assert "L.polylineDecorator(" in seed_html  # a route with arrowheads
    assert "L.geoJson(" in seed_html  # country areas
    assert "sitmap-legend" in seed_html and "sitmap-title" in seed_html
    assert "GeoNames" in seed_html and "CC BY 4.0" in seed_html and "Natural Earth" in seed_html
    assert "folium.Circle" not in seed_html and "L.circle(" not in seed_html


def test_seed_map_size(seed_html):
    assert len(seed_html.encode("utf-8")) <= 1_000_000


def test_render_is_deterministic(seed_analysis, seed_html):
    again = maps.render(seed_analysis).get_root().render()
    assert again == seed_html
    assert not re.search(r"[0-9a-f]{32}", seed_html.split("</style>")[-1]), "random folium ids left"


def test_popups_carry_provenance(seed_html):
    assert "<mark>Najin port</mark>" in seed_html or "<mark>Najin port</mark>" in seed_html.replace(
        "\\u003c", "<"
    )
    assert "gazetteer id" in seed_html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_escaped(resources, payload):
    text = f"Officials in Seoul said {payload} ships left Najin port for Vladivostok. {payload}"
    html = maps.render(geo.analyze(text, source=payload, title=payload)).get_root().render()
    assert "window.__pwned=1</script>" not in html
    assert "<img src=x" not in html
    assert "${window.__pwned" not in html
    assert "`;window.__pwned" not in html
