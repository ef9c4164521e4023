"""The input matrix of the hardening issue, through the CLI: every bad input gets one clear line and exit
code 2, or a valid result with a warning — never a traceback; outputs are never half-written."""

from __future__ import annotations

import io
import json
import sys

import pytest

from geo.text import decode_bytes
from maps.cli import main

from .conftest import SEED

ARTICLE = SEED.read_text(encoding="utf-8")


def run(*argv: str, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "holds no text"),
        (b"  \n\t \r\n ", "holds no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"<html><body><script>alert(1)</script></body></html>", "holds no text"),
    ],
    ids=["empty", "whitespace", "png", "pdf-saved-as-txt", "random-bytes", "html-without-text"],
)
def test_bad_inputs_exit_2_one_line(tmp_path, data, needle):
    f = tmp_path / "input.txt"
    f.write_bytes(data)
    for argv in (["geoparse", str(f)], ["map", str(f), "-o", str(tmp_path / "m.html")]):
        code, out, err = run(*argv)
        assert code == 2, err
        assert needle in err and err.count("\n") == 1 and "Traceback" not in err
        assert out == ""
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["geoparse", "{missing}"], "no such file"), (["geoparse", "{dir}"], "directory")],
)
def test_missing_file_and_directory(tmp_path, argv, needle):
    argv = [a.format(missing=tmp_path / "nope.txt", dir=tmp_path) for a in argv]
    code, _, err = run(*argv)
    assert code == 2 and needle in err and err.count("\n") == 1


def test_windows_1252_is_read_with_a_warning(tmp_path, resources):
    f = tmp_path / "cp1252.txt"
    f.write_bytes("Officials in Kyiv’s centre said Odesa’s port was hit — again.".encode("cp1252"))
    code, out, err = run("geoparse", str(f))
    assert code == 0 and "decoded as cp1252" in err
    assert {json.loads(line)["text"] for line in out.splitlines()} >= {"Kyiv", "Odesa"}


def test_html_page_is_stripped_and_offsets_refer_to_its_text(tmp_path, resources):
    page = (
        b"<!DOCTYPE html><html><head><title>Ships &amp; ports</title><style>p{color:red}</style></head>"
        b"<body><h1>Shipping</h1><p>Officials in <b>Busan</b> said the ships left for "
        b"<a href='x'>Vladivostok</a> on Monday.</p>"
        b"<script>var Moscow = 1;</script></body></html>"
    )
    f = tmp_path / "page.html"
    f.write_bytes(page)
    code, out, err = run("geoparse", str(f))
    assert code == 0 and "HTML page" in err
    text = decode_bytes(page, name="page.html").text
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["text"] for r in rows} == {"Busan", "Vladivostok"}  # not Moscow from the script
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]


def test_non_english_text_warns(tmp_path, resources):
    f = tmp_path / "ru.txt"
    f.write_bytes(("Северная Корея отправила снаряды в Россию через порт Раджин. " * 4).encode("cp1251"))
    code, _, err = run("geoparse", str(f))
    assert code == 0
    assert "cp1251" in err and "not in Latin script" in err


def test_no_places_gives_a_map_that_says_so(tmp_path, resources):
    f = tmp_path / "none.txt"
    f.write_text("The committee met on Tuesday and agreed on nothing at all.", encoding="utf-8")
    out_html = tmp_path / "none.html"
    code, _, err = run("map", str(f), "-o", str(out_html))
    assert code == 0 and "no places found" in err
    assert "No places were found in this text." in out_html.read_text(encoding="utf-8")


def test_stdin(monkeypatch, resources):
    code, out, _ = run("geoparse", "-", stdin=b"Ships left Busan.", monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out.splitlines()[0])["doc"] == "<stdin>"


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["2mb-article", "1.4mb-single-line"])
def test_large_inputs(tmp_path, resources, shape):
    if shape == "2mb-article":
        text = (ARTICLE + "\n\n") * (2_000_000 // (len(ARTICLE) + 2))
    else:
        line = ARTICLE.replace("\n", " ")
        text = (line + " ") * (1_400_000 // (len(line) + 1))
    f = tmp_path / f"{shape}.txt"
    f.write_text(text, encoding="utf-8")
    code, out, err = run("geoparse", str(f))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    copies = text.count("Najin port")
    assert sum(1 for r in rows if r["text"] == "Najin port") == copies
    for r in rows[:: max(1, len(rows) // 200)]:
        assert text[r["start"] : r["end"]] == r["text"]
