"""Tests for maps.export: RFC 7946 GeoJSON of every layer, atomic writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from geo.errors import OutputError
from maps.export import split_antimeridian, to_geojson, to_geojson_text, to_kml, write_atomic


@pytest.mark.parametrize(
    ("coords", "parts"),
    [
        ([[0.0, 0.0], [10.0, 1.0]], 1),
        ([[170.0, 0.0], [190.0, 0.0]], 2),
        ([[-170.0, 5.0], [-190.0, 5.0]], 2),
        ([[170.0, 0.0], [190.0, 0.0], [170.0, 2.0]], 3),
        ([[0.0, 0.0]], 0),
    ],
)
def test_split_antimeridian(coords, parts):
    out = split_antimeridian(coords)
    assert len(out) == parts
    for part in out:
        assert all(-180 <= lon <= 180 for lon, _ in part)


def _positions(geom):
    if geom is None:  # an event the text names no place for
        return
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        yield c
    elif t in ("LineString",):
        yield from c
    elif t in ("MultiLineString", "Polygon"):
        for part in c:
            yield from part
    elif t == "MultiPolygon":
        for poly in c:
            for ring in poly:
                yield from ring


def test_seed_geojson_is_rfc7946(seed_analysis):
    fc = to_geojson(seed_analysis)
    assert fc["type"] == "FeatureCollection"
    layers = {f["properties"]["layer"] for f in fc["features"]}
    assert {"places", "areas", "events", "rings", "routes"} <= layers
    for f in fc["features"]:
        for lon, lat in _positions(f["geometry"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert fc["sitmap"]["versions"]["sitmap"]


def test_geojson_is_deterministic(seed_analysis):
    assert to_geojson_text(seed_analysis) == to_geojson_text(seed_analysis)
    json.loads(to_geojson_text(seed_analysis))


def test_write_atomic(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_write_atomic_refuses_inputs_and_bad_paths(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("article")
    with pytest.raises(OutputError, match="overwrite the input"):
        write_atomic(src, "x", inputs=[str(src)])
    assert src.read_text() == "article"
    with pytest.raises(OutputError, match="folder does not exist"):
        write_atomic(tmp_path / "nope" / "x.html", "x")
    with pytest.raises(OutputError, match="directory"):
        write_atomic(tmp_path, "x")


def test_killed_writer_leaves_old_file_intact(tmp_path):
    target = tmp_path / "big.txt"
    target.write_text("old content")
    code = (
        "import os, time\n"
        "from maps.export import write_atomic\n"
        "def slow(fd):\n    time.sleep(30)\n"
        "os.fsync = slow\n"
        f"write_atomic({str(target)!r}, 'x' * 10_000_000)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    time.sleep(3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert target.read_text() == "old content"
    leftovers = [p for p in tmp_path.iterdir() if p.name != "big.txt"]
    # a SIGKILL cannot run cleanup: the temp file may remain, but it is hidden and never the target
    assert all(p.name.startswith(".big.txt.") and p.name.endswith(".tmp") for p in leftovers)


# --- KML ----------------------------------------------------------------------------------------------

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


def _handmade(extra: str = ""):
    from .test_render import handmade_analysis

    return handmade_analysis(extra)


def test_kml_has_a_folder_per_layer_and_a_placemark_per_geojson_feature():
    import xml.etree.ElementTree as ET

    analysis = _handmade()
    root = ET.fromstring(to_kml(analysis))
    folders = [f.findtext("k:name", namespaces=KML_NS) for f in root.iterfind(".//k:Folder", KML_NS)]
    assert folders == [
        "Countries and regions mentioned",
        "Range rings",
        "Routes",
        "Places",
        "Events",
    ]
    marks = root.findall(".//k:Placemark", KML_NS)
    assert len(marks) == len(to_geojson(analysis)["features"])
    for coords in root.iterfind(".//k:coordinates", KML_NS):
        for tup in (coords.text or "").split():
            lon, lat = map(float, tup.split(","))
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    names = [m.findtext("k:name", namespaces=KML_NS) for m in marks]
    assert "statement (asserted) (no place named)" in names  # an event without a place is kept
    assert "Najin port" in names


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", "]]><x>", "&amp; &lt;", "\"quoted\" 'single'", "${x} `y`"]
)
def test_kml_escapes_text(payload):
    import xml.etree.ElementTree as ET

    kml = to_kml(_handmade(payload))
    root = ET.fromstring(kml)  # well-formed whatever the text holds
    assert "<script>" not in kml
    title = root.findtext("k:Document/k:name", namespaces=KML_NS)
    assert title == f"Handmade {payload}"


def test_kml_is_deterministic_and_handles_the_seed(seed_analysis):
    import xml.etree.ElementTree as ET

    assert to_kml(seed_analysis) == to_kml(seed_analysis)
    root = ET.fromstring(to_kml(seed_analysis))
    assert len(root.findall(".//k:Placemark", KML_NS)) == len(to_geojson(seed_analysis)["features"])


def test_geojson_keeps_events_without_a_place_with_null_geometry():
    fc = to_geojson(_handmade())
    events = [f for f in fc["features"] if f["properties"]["layer"] == "events"]
    assert [f["properties"]["event_id"] for f in events] == ["e1", "e2", "e3"]
    assert events[2]["geometry"] is None
    assert all(f["properties"].get("kind") not in ("label", "tray", "outline") for f in fc["features"])


# --- embed --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "title", "src", "shown"),
    [
        ("map.html", "NK arms", 'src="map.html"', 'title="NK arms"'),
        ("out/seed map.html", "", 'src="out/seed%20map.html"', 'title="Situation map"'),
        ("m.html", '<b>"x"</b>', 'src="m.html"', 'title="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"'),
        ('a"b.html', "t", 'src="a%22b.html"', 'title="t"'),
    ],
)
def test_embed_snippet(path, title, src, shown):
    from maps.export import embed_snippet

    html = embed_snippet(path, title=title)
    assert html.startswith("<iframe ") and html.endswith("></iframe>")
    assert src in html and shown in html
    assert "allowfullscreen" in html and 'width="100%"' in html
