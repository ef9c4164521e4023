"""Tests for the command line: in-process (maps.cli.main) and as the installed command."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maps.cli import main

from .conftest import SEED

COMMANDS = ["map", "geoparse", "events", "geocode", "ring", "reach"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_help_on_every_command(command, capsys):
    code = main([*command, "--help"])
    assert code == 0
    assert "usage: sitmap" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["map", "missing-file.txt", "-o", "x.html"], "no such file"),
        (["map", str(SEED)], "-o/--output"),
        (["geoparse", "missing-file.txt"], "no such file"),
        (["geoparse", "."], "directory"),
        (["events", "missing-file.txt"], "no such file"),
        (["geoparse", str(SEED), "--format", "xml"], "invalid choice"),
        (["ring", "--lat", "95", "--lon", "0", "--km", "10"], "latitude"),
        (["ring", "--lat", "10", "--lon", "0", "--km", "-5"], "positive"),
        (["ring", "--lat", "10", "--lon", "0", "--km", "nan"], "finite"),
        (["ring", "--lat", "10", "--km", "5"], "--lon"),
        (["ring", "--at", "Nowhere-land-xyz", "--km", "5"], "not in the gazetteer"),
        (["ring", "--at", "Pyongyang", "--system", "no-such-missile"], "unknown weapon system"),
        (["geocode", "Moscow", "--limit", "0"], "at least 1"),
        (["reach", "--from", "Nowhere-land-xyz", "--system", "IRBM"], "not in the gazetteer"),
        (["reach", "--from", "Pyongyang"], "one of the arguments --system --km is required"),
        (["reach", "--from", "Pyongyang", "--system", "drone"], "no range"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_user_errors_are_one_line_exit_2(argv, needle):
    code, _, err = run(*argv)
    assert code == 2
    assert err.count("\n") == 1, err
    assert needle in err
    assert "Traceback" not in err


def test_geoparse_jsonl_contract(seed_text):
    code, out, _ = run("geoparse", str(SEED), "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows
    keys = {"doc", "start", "end", "text", "name", "lat", "lon", "country_code", "feature", "gazetteer_id"}
    for row in rows:
        assert keys <= row.keys()
        assert row["doc"] == str(SEED)
        assert seed_text[row["start"] : row["end"]] == row["text"]
        if row["country_code"] is not None:
            assert len(row["country_code"]) == 2 and row["country_code"].isupper()


def test_geoparse_several_inputs_and_stdin(monkeypatch, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("Ships left Busan for Vladivostok.", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Kyiv and Odesa were hit.")))
    code, out, _ = run("geoparse", str(other), "-")
    assert code == 0
    docs = {json.loads(line)["doc"] for line in out.splitlines()}
    assert docs == {str(other), "<stdin>"}


def test_events_json_contract():
    code, out, _ = run("events", str(SEED), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["events"]
    assert data["events"], "the seed has events"
    for ev in data["events"]:
        assert {
            "type",
            "plover",
            "actors",
            "recipients",
            "weapon",
            "quantity",
            "places",
            "time",
            "factuality",
            "evidence",
        } <= ev.keys()


@pytest.mark.parametrize(
    ("argv", "country", "lat", "lon"),
    [
        (["Moscow"], "RU", 55.75, 37.62),
        (["Moscow", "--country", "US"], "US", 46.73, -117.0),
        (["Seoul"], "KR", 37.57, 126.98),
    ],
)
def test_geocode(argv, country, lat, lon):
    code, out, _ = run("geocode", *argv, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["country_code"] == country
    assert abs(rows[0]["lat"] - lat) < 0.5 and abs(rows[0]["lon"] - lon) < 0.5


def test_geocode_no_match_is_empty_list():
    code, out, _ = run("geocode", "Qwxzyq Nowhereville")
    assert code == 0 and json.loads(out) == []


def test_ring_geojson():
    code, out, _ = run("ring", "--at", "Pyongyang", "--km", "13000", "--format", "geojson")
    assert code == 0
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection"
    polys = [f for f in fc["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert len(polys) == 1
    assert polys[0]["properties"]["km"] == 13000
    for lon, lat in _all_positions(polys[0]["geometry"]):
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_ring_by_system():
    code, out, _ = run("ring", "--lat", "39.03", "--lon", "125.75", "--system", "IRBM")
    assert code == 0
    props = next(f["properties"] for f in json.loads(out)["features"] if f["geometry"]["type"] != "Point")
    assert props["km"] == 5500 and props["class"] == "IRBM"


def _all_positions(geom):
    coords = geom["coordinates"]
    polys = coords if geom["type"] == "MultiPolygon" else [coords]
    for poly in polys:
        for ring in poly:
            yield from ring


def test_map_writes_html_and_geojson(tmp_path):
    out_html = tmp_path / "map.html"
    out_geo = tmp_path / "map.geojson"
    code, _, err = run("map", str(SEED), "-o", str(out_html), "--geojson", str(out_geo))
    assert code == 0, err
    assert out_html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(out_geo.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert "wrote" in err


def test_map_refuses_to_overwrite_its_input(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    before = article.read_bytes()
    code, _, err = run("map", str(article), "-o", str(article))
    assert code == 2 and "refusing to overwrite" in err
    assert article.read_bytes() == before


def test_internal_error_exit_1_without_traceback(monkeypatch):
    import maps.cli as cli

    def boom(*_a, **_k):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(cli._COMMANDS, "geocode", boom)
    code, _, err = run("geocode", "Seoul")
    assert code == 1
    assert "internal error" in err and "kaboom" in err and "--debug" in err
    assert "Traceback" not in err and err.count("\n") == 1
    with pytest.raises(RuntimeError):
        main(["--debug", "geocode", "Seoul"])


def _installed(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # the console script sits beside the interpreter in a venv
        candidate = Path(sys.executable).with_name(name)
        path = str(candidate) if candidate.exists() else None
    assert path is not None, f"the {name!r} command is not installed"
    return path


@pytest.mark.parametrize("prefix", [["sitmap"], [sys.executable, "-m", "maps"]])
def test_installed_command(prefix, tmp_path):
    exe = [_installed(prefix[0]), *prefix[1:]] if prefix[0] == "sitmap" else prefix
    r = subprocess.run([*exe, "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("sitmap ")
    r = subprocess.run(
        [*exe, "geoparse", str(tmp_path / "nope.txt")], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "no such file" in r.stderr and "Traceback" not in r.stderr
    out = tmp_path / "seed.html"
    r = subprocess.run([*exe, "map", str(SEED), "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 100_000


def test_reach_named_targets():
    code, out, _ = run(
        "reach", "--from", "Pyongyang", "--system", "IRBM", "--targets", "Japan", "Guam", "Washington"
    )
    assert code == 0
    data = json.loads(out)
    assert data["ring"]["km"] == 5500
    verdicts = {v["target"]: v for v in data["verdicts"]}
    assert verdicts["Japan"]["verdict"] == "inside" and verdicts["Guam"]["verdict"] == "inside"
    wash = next(v for name, v in verdicts.items() if name.startswith("Washington"))
    assert wash["verdict"] == "outside"
    assert wash["distance_km"] == pytest.approx(11068, abs=15)  # domain.md: Pyongyang-Washington 11,068 km
    assert wash["margin_km"] == pytest.approx(5500 - wash["distance_km"])


def test_reach_default_targets_are_countries_in_range():
    code, out, _ = run("reach", "--from", "Pyongyang", "--km", "1300")
    assert code == 0
    verdicts = {v["target"]: v["verdict"] for v in json.loads(out)["verdicts"]}
    assert verdicts["South Korea"] == "inside" and verdicts["Japan"] == "partly"
    assert "United States" not in verdicts  # out of reach: listed only with --all
    code, out, _ = run("reach", "--from", "Pyongyang", "--km", "1300", "--all")
    assert {v["target"]: v["verdict"] for v in json.loads(out)["verdicts"]}["United States"] == "outside"


def test_map_exports_kml_png_embed(tmp_path):
    import xml.etree.ElementTree as ET

    out_html, kml, png = tmp_path / "m.html", tmp_path / "m.kml", tmp_path / "m.png"
    code, out, err = run(
        "map", str(SEED), "-o", str(out_html), "--kml", str(kml), "--png", str(png), "--embed"
    )
    assert code == 0, err
    root = ET.parse(kml).getroot()
    assert root.tag.endswith("kml") and "Najin" in kml.read_text(encoding="utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "PNG drawn by" in err or "static" in err
    assert out.strip().startswith("<iframe") and "allowfullscreen" in out and "m.html" in out


def test_map_online_tiles_only_when_asked(tmp_path):
    from maps.standalone import external_references

    plain, online = tmp_path / "plain.html", tmp_path / "online.html"
    assert run("map", str(SEED), "-o", str(plain))[0] == 0
    assert run("map", str(SEED), "-o", str(online), "--tiles", "OpenStreetMap")[0] == 0
    assert external_references(plain.read_text(encoding="utf-8")) == []
    assert any("tile.openstreetmap" in u for u in external_references(online.read_text(encoding="utf-8")))
