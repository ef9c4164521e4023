"""Tests for maps.export: RFC 7946 GeoJSON of every layer, atomic writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from geo.errors import OutputError
from maps.export import split_antimeridian, to_geojson, to_geojson_text, write_atomic


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
