"""Tests for geo.corpus: reading corpora (files, directories, JSON Lines) and the rows of an analysis."""

from __future__ import annotations

import json

import pytest

import geo
from geo.corpus import CorpusDoc, CorpusError, analysis_rows, iter_corpus
from geo.errors import InputError


def _records(tmp_path, lines):
    f = tmp_path / "c.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(iter_corpus([str(f)]))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not a JSON object"),
        ('["a list"]', "needs a string 'text'"),
        ('{"id": 1}', "needs a string 'text'"),
        ('{"id": 2, "text": "   "}', "holds no text"),
        ('{"id": 3, "text": "bad \\ud800 surrogate"}', "unpaired surrogate"),
    ],
)
def test_bad_jsonl_records_become_errors(tmp_path, line, reason):
    good = json.dumps({"id": "ok", "text": "Seoul", "title": "T", "date": "2024-01-11", "url": "http://x"})
    recs = _records(tmp_path, [good, line])
    assert isinstance(recs[0], CorpusDoc) and recs[0].title == "T" and recs[0].date == "2024-01-11"
    assert isinstance(recs[1], CorpusError) and reason in recs[1].reason


def test_ids_default_to_file_and_line_and_must_be_unique(tmp_path):
    recs = _records(tmp_path, ['{"text": "Seoul"}', '{"id": "a", "text": "x"}', '{"id": "a", "text": "y"}'])
    assert recs[0].doc_id == "c.jsonl:1"
    assert isinstance(recs[2], CorpusError) and "duplicate" in recs[2].reason


def test_directories_are_read_recursively_in_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Kyiv", encoding="utf-8")
    (tmp_path / "a.html").write_text("<html><p>Odesa</p></html>", encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / "empty.txt").write_text("  ", encoding="utf-8")
    recs = list(iter_corpus([str(tmp_path)]))
    assert [r.doc_id for r in recs] == ["a.html", "empty.txt", "sub/b.txt"]
    assert isinstance(recs[1], CorpusError)
    assert recs[0].text.strip() == "Odesa"


def test_missing_input_is_a_user_error(tmp_path):
    with pytest.raises(InputError):
        list(iter_corpus([str(tmp_path / "nope")]))


def test_analysis_rows_carry_provenance(resources):
    text = "11-1-2024 (SEOUL) North Korea provided about 5,000 containers of shells to Russia via Najin port."
    doc = CorpusDoc("d1", text, "inline")
    rows = analysis_rows(doc, geo.analyze(text))
    kinds = [r["kind"] for r in rows]
    assert kinds[0] == "document" and "toponym" in kinds
    assert rows[0]["dateline_date"] == "2024-01-11"
    for r in rows:
        assert r["doc_id"] == "d1"
        if r["kind"] == "toponym":
            assert text[r["start"] : r["end"]] == r["text"]
            assert r["sentence"] and r["text"] in r["sentence"]
