"""Maps in real headless Chromium (Debian ``chromium``), driven over the DevTools protocol (playwright).

The seed map loads with the network off, logs no console error, requests nothing outside ``file:``, and
draws every layer; article text carrying script payloads stays inert even with every popup and tooltip
open. Skipped only when Chromium or playwright is absent outside CI; in CI (``CI`` set) that fails.
Screenshots land in ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import geo
import maps
from maps.browser import chromium_path, dump_dom, inspect_page, playwright_available, screenshot

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser

_MISSING = [
    what
    for what, ok in (
        ("Debian chromium (apt-get install chromium)", chromium_path() is not None),
        ("playwright (pip install -e '.[test]')", playwright_available()),
    )
    if not ok
]
if _MISSING:
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs {' and '.join(_MISSING)} for the browser tests")
    pytest.skip(f"not installed: {', '.join(_MISSING)}", allow_module_level=True)

#: Counts, per layer key, of the layer's drawn elements (SVG paths and marker icons in the document);
#: -1 when the layer is not on the map.
LAYER_COUNTS = """(() => {
    const count = (layer) => {
        if (layer.getLayers) { return layer.getLayers().reduce((n, l) => n + count(l), 0); }
        const el = layer._path || layer._icon;
        return el && document.body.contains(el) ? 1 : 0;
    };
    const out = {};
    for (const [key, group] of Object.entries(window.sitmap.layers)) {
        out[key] = window.sitmap.map.hasLayer(group) ? count(group) : -1;
    }
    return out;
})()"""

#: Opens every popup and tooltip of every overlay (their HTML is parsed then), returns how many.
OPEN_EVERYTHING = """(async () => {
    let n = 0;
    const visit = (layer) => {
        if (layer.getLayers) { layer.getLayers().forEach(visit); }
        try {
            if (layer.getPopup && layer.getPopup()) { layer.openPopup(); n++; }
            if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); n++; }
        } catch (e) { /* a layer without a position: nothing to open */ }
    };
    Object.values(window.sitmap.layers).forEach(visit);
    await new Promise(r => setTimeout(r, 300));
    return n;
})()"""

#: Pairs of visible labels (place, route, ring) whose boxes overlap each other or a badge.
OVERLAPPING_LABELS = """(() => {
    const seen = [];
    const hits = [];
    const box = (el) => el.getBoundingClientRect();
    const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    document.querySelectorAll('.sitmap-badge').forEach(el => seen.push(['badge', box(el)]));
    document.querySelectorAll('.sitmap-place-label, .sitmap-route-label, .sitmap-ring-label').forEach(el => {
        if (el.style.visibility === 'hidden') { return; }
        const r = box(el);
        seen.forEach(([name, b]) => { if (hit(r, b)) { hits.push([el.textContent, name]); } });
        seen.push([el.textContent, r]);
    });
    return hits;
})()"""

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    "${window.__pwned=2}",
    "`;window.__pwned=3;`",
    '<img src=x onerror="window.__pwned=4">',
    "\\\\`${window.__pwned=5}\\\\`",
    "</script><script>window.__pwned=6</script>",
)


@pytest.fixture(scope="module")
def seed_file(seed_analysis, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("map") / "seed.html"
    path.write_text(maps.render(seed_analysis).get_root().render(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seed_report(seed_file):
    ARTIFACTS.mkdir(exist_ok=True)
    return inspect_page(
        seed_file,
        png=ARTIFACTS / "seed-map.png",
        expressions={
            "layers": LAYER_COUNTS,
            "controls": "[...document.querySelectorAll('.leaflet-control-layers label')]"
            ".map(l => l.textContent.trim())",
            "badges": "document.querySelectorAll('.sitmap-badge').length",
            "panel": "document.querySelectorAll('.sitmap-events li[data-event]').length",
            "clickable": "document.querySelectorAll('.sitmap-events li.sitmap-clickable').length",
            "furniture": "['.sitmap-title', '.sitmap-legend', '.leaflet-control-scale', "
            "'.leaflet-control-attribution'].map(s => !!document.querySelector(s))",
            "attribution": "document.querySelector('.leaflet-control-attribution').textContent",
            "overlaps": OVERLAPPING_LABELS,
            "labels": "document.querySelectorAll('.sitmap-place-label, .sitmap-route-label, "
            ".sitmap-ring-label').length",
        },
    )


def test_seed_map_loads_offline_without_errors(seed_report):
    assert seed_report.errors == ()
    assert seed_report.external == ()
    assert all(url.startswith(("file:", "data:")) for url in seed_report.requests)


def test_seed_map_draws_every_layer(seed_report, seed_analysis):
    counts = seed_report.values["layers"]
    assert set(counts) == {"areas", "rings", "routes", "places", "events"}
    assert all(n > 0 for n in counts.values()), counts
    controls = " ".join(seed_report.values["controls"])
    for title in ("Countries (Natural Earth)", "Countries and regions mentioned", "Range rings", "Routes"):
        assert title in controls
    located = [e for e in seed_analysis.events if any(p.lat is not None for p in e.places)]
    assert seed_report.values["badges"] == len(located)
    assert seed_report.values["panel"] == len(seed_analysis.events)  # every event, located or not
    assert seed_report.values["clickable"] == len(located)
    assert seed_report.values["furniture"] == [True, True, True, True]
    assert "GeoNames" in seed_report.values["attribution"]
    assert "Natural Earth" in seed_report.values["attribution"]


def test_visible_labels_do_not_overlap(seed_report):
    assert seed_report.values["labels"] >= 5
    assert seed_report.values["overlaps"] == []


def test_seed_map_screenshot_artefact(seed_report):
    data = (ARTIFACTS / "seed-map.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_clicking_an_event_in_the_panel_opens_its_popup(seed_file):
    report = inspect_page(
        seed_file,
        expressions={
            "click": "document.querySelector('.sitmap-events li.sitmap-clickable').click()",
            "popup": "document.querySelector('.leaflet-popup-content')?.textContent || ''",
        },
    )
    assert report.errors == ()
    assert len(report.values["popup"]) > 40


@pytest.mark.parametrize("tiles", [None, "OpenStreetMap"])
def test_tiles_are_the_only_requests_outside_file(resources, tmp_path, tiles):
    analysis = geo.analyze("Ships left Najin port for Vladivostok.", source="t")
    path = tmp_path / "m.html"
    path.write_text(maps.render(analysis, tiles=tiles).get_root().render(), encoding="utf-8")
    report = inspect_page(path, width=800, height=500)
    if tiles is None:
        assert report.external == ()
    else:
        assert report.external and all("tile.openstreetmap.org" in url for url in report.external)
    assert not [e for e in report.errors if "ERR_" not in e and "Failed to load resource" not in e]


def test_script_payloads_stay_inert(resources, tmp_path):
    body = " ".join(f"Officials in Seoul said {p} ships left Najin port for Vladivostok." for p in PAYLOADS)
    text = f"SEOUL, Jan. 11 (Yonhap) -- {body} North Korea {PAYLOADS[1]} may test a missile."
    analysis = geo.analyze(text, source=PAYLOADS[0], title=PAYLOADS[3])
    path = tmp_path / "payload.html"
    path.write_text(maps.render(analysis).get_root().render(), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    report = inspect_page(
        path,
        png=ARTIFACTS / "payload-map.png",
        expressions={
            "opened": OPEN_EVERYTHING,
            "pwned": "typeof window.__pwned",
            "shown": "document.body.innerText.includes('window.__pwned')",
        },
    )
    assert report.errors == ()
    assert report.values["opened"] > 3
    assert report.values["pwned"] == "undefined"
    assert report.values["shown"]  # the payload is shown as text, not run
    assert report.external == ()


def test_dump_dom_and_screenshot_without_devtools(seed_file, tmp_path):
    dom = dump_dom(seed_file)
    assert "leaflet-container" in dom and "sitmap-legend" in dom
    png = screenshot(seed_file, tmp_path / "s.png", width=800, height=500)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_a_map_with_nothing_on_it_loads_cleanly(tmp_path):
    from geo.model import Analysis, Document

    path = tmp_path / "empty.html"
    html = maps.render(Analysis(document=Document(text="Nothing here.", source="empty"))).get_root().render()
    path.write_text(html, encoding="utf-8")
    report = inspect_page(path, width=800, height=500, expressions={"title": "document.body.innerText"})
    assert report.errors == () and report.external == ()
    assert "No places were found" in report.values["title"]
