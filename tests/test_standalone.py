"""Tests for maps.standalone: no external requests, inlined assets, basemap, arrowheads, real Chromium."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import pathlib
import re
import subprocess
from importlib.resources import files

import folium
import folium.plugins
import pytest
from folium.elements import JSCSSMixin
from shapely.geometry import Point, Polygon

from maps.standalone import (
    BASEMAP_PANE,
    add_arrowheads,
    add_basemap,
    asset_text,
    external_references,
    make_standalone,
)

CHROMIUM = "/usr/bin/chromium"
ASSETS = pathlib.Path(str(files("maps") / "assets"))
# Records every JS error and failed resource load on the page into an attribute that --dump-dom shows.
ERROR_PROBE = """<script>
window.addEventListener("error", function (e) {
  var t = e.target && e.target !== window ? (e.target.src || e.target.href || e.target.tagName) : e.message;
  document.documentElement.setAttribute("data-errors",
    (document.documentElement.getAttribute("data-errors") || "") + "|" + t);
}, true);
</script>"""


def _every_element_map() -> tuple[folium.Map, folium.PolyLine]:
    m = folium.Map(location=[40, 140], zoom_start=4, tiles=None)
    add_basemap(m)
    group = folium.FeatureGroup(name="Events").add_to(m)
    folium.CircleMarker(
        [39.03, 125.75], radius=6, color="red", popup=folium.Popup("<b>Pyongyang</b>"), tooltip="tip"
    ).add_to(group)
    folium.Marker([13.48, 144.75], icon=folium.DivIcon(html="<div>★</div>"), popup="Guam").add_to(group)
    folium.Marker([42.3, 130.4], popup="default icon", tooltip=folium.Tooltip("Rason")).add_to(group)
    line = folium.PolyLine([[42.24, 130.3], [45.0, 135.0], [50.0, 140.0]], color="#c0392b").add_to(group)
    add_arrowheads(m, line, color="#c0392b", size_px=14)
    folium.Polygon([[35, 120], [38, 122], [36, 126]], fill=True).add_to(group)
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [131.9, 43.1]}},
        name="GeoJSON",
    ).add_to(m)
    m.get_root().html.add_child(folium.Element("<div class='sitmap-title'>Title</div>"))
    folium.LayerControl().add_to(m)
    return m, line


@pytest.fixture(scope="module")
def page() -> str:
    m, _ = _every_element_map()
    return make_standalone(m).get_root().render()


def test_default_folium_map_is_not_standalone() -> None:
    """Control: external_references sees folium's ten CDN files on an untouched map."""
    html = folium.Map(tiles=None).get_root().render()
    refs = external_references(html)
    assert len(refs) == 10
    assert any("code.jquery.com" in r for r in refs)


def test_standalone_page_has_no_external_references(page: str) -> None:
    assert external_references(page) == []
    for cdn in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn", "fontawesome"):
        assert cdn not in page


def test_inlined_assets_and_licences(page: str) -> None:
    assert page.count("Leaflet 1.9.4, a JS library for interactive maps") == 1
    assert page.count("jQuery v3.7.1") == 1
    assert "L$1.polylineDecorator = function" in page
    assert '"format":"sitmap-basemap-1"' in page
    for notice in (
        "Vladimir Agafonkin",  # Leaflet BSD-2-Clause (LICENSE spells "Volodymyr")
        "Volodymyr Agafonkin",
        "OpenJS Foundation and other contributors",
        "Benjamin Becquet",
        "Michael Bostock",
        "Natural Earth (public domain)",
    ):
        assert notice in page, notice
    # Inline assets come before any map code, Leaflet before the plugins that need it.
    markers = (
        "Leaflet 1.9.4, a JS",
        "/*! jQuery v3.7.1",
        "/* Leaflet.PolylineDecorator 1.6.0 (MIT) */",
        "L.map(",
    )
    order = [page.index(s) for s in markers]
    assert order == sorted(order)
    assert "sourceMappingURL" not in page


def test_leaflet_images_inlined(page: str) -> None:
    assert "url(images/" not in page
    assert "iconRetinaUrl" in page and "data:image/png;base64," in page


def test_make_standalone_is_idempotent_and_leaves_folium_alone() -> None:
    m, _ = _every_element_map()
    make_standalone(m)
    header = m.get_root().header
    keys = list(header._children)
    assert make_standalone(m) is m
    assert list(m.get_root().header._children) == keys and m.get_root().header is header
    html = m.get_root().render()
    assert html.count("jQuery v3.7.1") == 1 and html.count("Leaflet 1.9.4, a JS") == 1
    assert external_references(html) == []
    assert len(folium.Map.default_js) == 4 and len(folium.Map.default_css) == 6


def test_elements_added_after_make_standalone() -> None:
    m = make_standalone(folium.Map(tiles=None))
    folium.Marker([0, 0], popup="late").add_to(m)
    folium.LayerControl().add_to(m)
    assert external_references(m.get_root().render()) == []


class _NeedsJquery(JSCSSMixin):
    """Like a plugin that (re)declares folium's own CDN jQuery and Leaflet CSS."""

    default_js = [("jquery", "https://code.jquery.com/jquery-3.7.1.min.js")]  # noqa: RUF012
    default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]  # noqa: RUF012


def test_header_drops_folium_names_added_by_other_elements() -> None:
    m = make_standalone(folium.Map(tiles=None))
    m.add_child(_NeedsJquery())
    assert external_references(m.get_root().render()) == []


def test_plugin_links_are_reported_not_hidden() -> None:
    """Links other elements add under other names stay, so external_references reports them."""
    m = make_standalone(folium.Map(tiles=None))
    folium.plugins.Fullscreen().add_to(m)
    refs = external_references(m.get_root().render())
    assert refs and all("fullscreen" in r.lower() for r in refs)


def test_arrowheads_join_the_line_layer(page: str) -> None:
    m, line = _every_element_map()
    html = make_standalone(m).get_root().render()
    match = re.search(r"L\.polylineDecorator\((\w+), ", html)
    assert match and match.group(1) == line.get_name()
    assert re.search(r"pixelSize: 14", html)
    group = line._parent
    assert f"}}).addTo({group.get_name()});" in html
    with pytest.raises(ValueError, match="size_px"):
        add_arrowheads(m, line, color="red", size_px=0)


def test_arrowheads_add_an_orphan_line_to_the_map() -> None:
    m = folium.Map(tiles=None)
    line = folium.PolyLine([[0, 0], [1, 1]])
    add_arrowheads(m, line, color="blue")
    assert line._parent is m


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", []),
        ('<script src="https://cdn.x/l.js"></script>', ["https://cdn.x/l.js"]),
        ('<script src="//cdn.x/l.js"></script>', ["//cdn.x/l.js"]),
        ('<script src="local.js"></script>', ["local.js"]),
        ('<link rel="stylesheet" href="https://cdn.x/a.css">', ["https://cdn.x/a.css"]),
        ('<link rel="icon" href="/favicon.ico">', ["/favicon.ico"]),
        ('<link rel="canonical" href="https://x.org/page">', []),
        ('<img src="pic.png">', ["pic.png"]),
        ('<img srcset="a.png 1x, b.png 2x">', ["a.png", "b.png"]),
        ('<iframe src="https://x.org/embed"></iframe>', ["https://x.org/embed"]),
        ("<div style=\"background: url('https://x.org/bg.png')\"></div>", ["https://x.org/bg.png"]),
        (
            "<style>@import 'https://x.org/a.css'; b{background:url(x.png)}</style>",
            ["x.png", "https://x.org/a.css"],
        ),
        ("<style>.a{background:url(data:image/png;base64,AA==)} .b{behavior:url(#default#VML)}</style>", []),
        ('<script>fetch("https://api.x/data.json")</script>', ["https://api.x/data.json"]),
        ("<script>var r = new XMLHttpRequest(); r.open('GET', '/data.json');</script>", ["/data.json"]),
        ("<script>L.tileLayer('https://{s}.tile.osm.org/{z}/{x}/{y}.png').addTo(m)</script>", None),
        ('<script>img.src = "https://x.org/p.gif";</script>', ["https://x.org/p.gif"]),
        ('<meta http-equiv="refresh" content="0; url=https://x.org/">', ["https://x.org/"]),
        ('<svg><image href="https://x.org/i.png"/></svg>', ["https://x.org/i.png"]),
        ('<a href="https://www.naturalearthdata.com/">Natural Earth</a>', []),
        ('<script>var attribution = "<a href=\\"https://leafletjs.com\\">Leaflet</a>";</script>', []),
        ('<img src="data:image/png;base64,AAAA"><img src="blob:abc"><iframe src="about:blank"></iframe>', []),
        ('<img src="file:///tmp/x.png"><a href="#top">top</a><img src="#x">', []),
        ('<script src="javascript:void(0)"></script>', []),
    ],
)
def test_external_references_table(html: str, expected: list[str] | None) -> None:
    refs = external_references(html)
    if expected is None:
        assert refs == ["https://{s}.tile.osm.org/{z}/{x}/{y}.png"]
    else:
        assert refs == expected


def test_vendored_files_match_manifest() -> None:
    manifest = json.loads((ASSETS / "manifest.json").read_text())
    assert len(manifest) >= 14
    for rel, entry in manifest.items():
        digest = hashlib.sha256((ASSETS / rel).read_bytes()).hexdigest()
        assert digest == entry["sha256"], rel
        assert "GPL" not in entry["licence"]
    readme = (ASSETS / "README.md").read_text()
    assert "python -m maps.build_assets" in readme
    assert all(entry["sha256"] in readme for entry in manifest.values())


def test_vendored_code_is_inline_safe() -> None:
    for key in ("leaflet_js", "jquery_js", "decorator_js"):
        assert "<!--" not in asset_text(key)


def _basemap_rings() -> list[tuple[int, list[list[tuple[float, float]]]]]:
    data = json.loads(asset_text("basemap"))
    out = []
    for index, polygons in enumerate(data["countries"]):
        for rings in polygons:
            decoded = []
            for flat in rings:
                x = y = 0
                ring = []
                for i in range(0, len(flat), 2):
                    x += flat[i]
                    y += flat[i + 1]
                    ring.append((x / data["scale"], y / data["scale"]))
                decoded.append(ring)
            out.append((index, decoded))
    return out


def test_basemap_budget_and_shape() -> None:
    text = asset_text("basemap")
    assert len(text.encode()) <= 400_000
    data = json.loads(text)
    assert len(data["countries"]) == 241
    rings = _basemap_rings()
    # No edge jumps across the map (the "horizontal stripe" bug): consecutive points < 180° apart,
    # except Antarctica's closing edge along the South Pole itself (off the Web Mercator map).
    jumps = [
        (a, b)
        for _, polygon in rings
        for ring in polygon
        for a, b in itertools.pairwise(ring)
        if abs(b[0] - a[0]) >= 180
    ]
    assert jumps == [((180.0, -90.0), (-180.0, -90.0))]
    assert data["unstroked"] == [239]
    # Every country overlaps the central copy of the world ([-180, 180]).
    for _, polygon in rings:
        xs = [p[0] for p in polygon[0]]
        assert max(xs) > -180 and min(xs) < 180


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Guam (Hagåtña)", 13.4745, 144.7504),
        ("Chukotka (Anadyr)", 64.7337, 177.4968),
        ("Chukotka east of 180 (Uelen)", 66.16, -169.81 + 360),
        ("Fiji (Suva)", -18.1416, 178.4419),
        ("Pyongyang", 39.0392, 125.7625),
    ],
)
def test_basemap_covers_land(name: str, lat: float, lon: float) -> None:
    point = Point(lon, lat)
    assert any(Polygon(poly[0], poly[1:]).buffer(0.05).contains(point) for _, poly in _basemap_rings()), name


def test_basemap_layer_options(page: str) -> None:
    assert f'map.createPane("{BASEMAP_PANE}")' in page
    assert "interactive: false" in page
    assert "[-360, 0, 360].forEach" in page
    assert "tile.openstreetmap" not in page


def _chromium(args: list[str], tmp_path: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            # Any network request would fail: everything goes to a dead proxy.
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,800",
            "--virtual-time-budget=5000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"), reason="Debian chromium not installed"
)


@pytest.mark.browser
@needs_chromium
def test_page_loads_offline_in_chromium(tmp_path: pathlib.Path) -> None:
    m, _ = _every_element_map()
    make_standalone(m)
    m.get_root().header.add_child(folium.Element(ERROR_PROBE), name="error_probe", index=0)
    html_file = tmp_path / "map.html"
    html_file.write_text(m.get_root().render(), encoding="utf-8")
    result = _chromium(["--dump-dom", html_file.as_uri()], tmp_path)
    dom = result.stdout
    assert "leaflet-container" in dom, result.stderr[-2000:]
    assert not re.search(r"<html[^>]*data-errors", dom), re.search(r"<html[^>]*>", dom)
    pane = re.search(rf'class="leaflet-pane leaflet-{BASEMAP_PANE}-pane".*?</svg>', dom, re.DOTALL)
    assert pane is not None
    assert pane.group(0).count("<path") > 100
    assert "leaflet-marker-icon" in dom and "leaflet-control-layers" in dom
    assert "Natural Earth (public domain)" in dom


@pytest.mark.browser
@needs_chromium
def test_basemap_screenshot(tmp_path: pathlib.Path) -> None:
    m = folium.Map(location=[30, 150], zoom_start=2, tiles=None)
    add_basemap(m)
    make_standalone(m)
    html_file = tmp_path / "basemap.html"
    html_file.write_text(m.get_root().render(), encoding="utf-8")
    out_dir = pathlib.Path(os.environ.get("SITMAP_ARTIFACTS", tmp_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "basemap.png"
    _chromium([f"--screenshot={png}", html_file.as_uri()], tmp_path)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000  # a blank page compresses to a few KB
