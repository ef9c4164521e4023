"""The seed map in real headless Chromium (Debian ``chromium``): it loads offline and draws every layer.

Skipped only when Chromium is absent outside CI; in CI (``CI`` set) a missing Chromium fails.
Screenshots land in ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import maps
from maps.browser import chromium_path, dump_dom, screenshot

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser

if chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian chromium for the browser tests (apt-get install chromium)")
    pytest.skip("Debian chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def seed_file(seed_analysis, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("map") / "seed.html"
    path.write_text(maps.render(seed_analysis).get_root().render(), encoding="utf-8")
    return path


def test_seed_map_renders_every_layer(seed_file):
    dom = dump_dom(seed_file)
    assert "leaflet-container" in dom
    assert "leaflet-control-layers" in dom
    for title in ("Places", "Events", "Range rings", "Routes", "Countries and regions mentioned"):
        assert title in dom
    assert dom.count("sitmap-badge") >= 3  # event symbols
    assert "sitmap-ring-label" in dom
    assert dom.count("<path") >= 50  # basemap countries, areas, rings, routes
    assert "sitmap-legend" in dom and "GeoNames" in dom


def test_seed_map_screenshot(seed_file):
    ARTIFACTS.mkdir(exist_ok=True)
    png = screenshot(seed_file, ARTIFACTS / "seed-map.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
