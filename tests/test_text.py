"""Tests for geo.text: decoding, datelines, chunking."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from geo.errors import InputError
from geo.text import chunk_spans, decode_bytes, parse_dateline, read_input


@pytest.mark.parametrize(
    ("text", "place", "date", "ambiguous", "alternatives"),
    [
        (
            "11-1-2024 (SEOUL) North Korea ... by the end of December.",
            "SEOUL",
            "2024-01-11",
            True,
            ("2024-11-01",),
        ),
        # evidence for month-first: October named as past → 1 November fits better than 11 January
        ("11-1-2024 (SEOUL) Shipments rose in October.", "SEOUL", "2024-11-01", True, ("2024-01-11",)),
        ("11-1-2024 (SEOUL) No months here.", "SEOUL", "2024-01-11", True, ("2024-11-01",)),
        ("25-1-2024 (KYIV) Strikes.", "KYIV", "2024-01-25", False, ()),
        ("1-25-2024 (KYIV) Strikes.", "KYIV", "2024-01-25", False, ()),
        ("5-5-2024 (TOKYO) Same either way.", "TOKYO", "2024-05-05", False, ()),
        ("SEOUL, Jan. 11 (Yonhap) -- North Korea", "SEOUL", None, False, ()),
        ("SEOUL, January 11, 2024 (Yonhap) -- North Korea", "SEOUL", "2024-01-11", False, ()),
    ],
)
def test_parse_dateline(text, place, date, ambiguous, alternatives):
    d = parse_dateline(text)
    assert d is not None
    assert d.place == place
    assert d.date == date
    assert d.ambiguous is ambiguous
    assert d.alternatives == alternatives
    assert text[d.start : d.end].strip().startswith(d.raw[:5])


@pytest.mark.parametrize(
    "text", ["", "North Korea fired a missile.", "99-99-2024 (X) text", "In 2024 (maybe)"]
)
def test_parse_dateline_none_or_invalid(text):
    d = parse_dateline(text)
    assert d is None or d.date is None


@pytest.mark.parametrize(
    ("data", "text", "encoding", "warned"),
    [
        (b"Seoul", "Seoul", "utf-8", False),
        (b"\xef\xbb\xbfSeoul", "Seoul", "utf-8", False),
        ("Kyiv’s".encode(), "Kyiv’s", "utf-8", False),
        ("Kyiv’s".encode("cp1252"), "Kyiv’s", "cp1252", True),
        (b"a\r\nb\rc", "a\nb\nc", "utf-8", False),
    ],
)
def test_decode_bytes(data, text, encoding, warned):
    d = decode_bytes(data, name="x")
    assert (d.text, d.encoding, bool(d.warnings)) == (text, encoding, warned)


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\x00\x01\x02binary", b"PK\x03\x04\x00\x00"])
def test_decode_bytes_rejects(data):
    with pytest.raises(InputError):
        decode_bytes(data, name="x")


def test_read_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_input(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="directory"):
        read_input(str(tmp_path))


def test_read_input_stdin():
    d = read_input("-", stdin=io.BytesIO(b"Seoul and Busan"))
    assert d.name == "<stdin>" and d.text == "Seoul and Busan"


@given(st.text(max_size=3000), st.integers(min_value=1, max_value=500))
@example("a. b. c.", 4)
@example("x" * 1000, 7)
@example("", 10)
def test_chunk_spans_cover_text(text, max_chars):
    spans = chunk_spans(text, max_chars=max_chars)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(0 < b - a <= max_chars for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
