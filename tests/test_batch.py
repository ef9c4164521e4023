"""Corpus mode on a real 2-worker Dask LocalCluster: a broken document, the errors table, a resumed run."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from geo.corpus import CorpusDoc
from maps.batch import _chunk_name, _frame, _parts_dir, process_chunk, run_batch
from maps.cli import main
from maps.standalone import external_references

pytestmark = pytest.mark.slow

ARTICLES = {
    "a.txt": "Ships left Busan for Vladivostok on Monday, officials in Seoul said.",
    "b.txt": "Drones struck Odesa overnight, Ukraine's air force said.",
    "c.txt": "North Korea may test a new IRBM that could reach Guam, Seoul said.",
}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"%PDF-1.4 \x00\x01 not text")
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Missiles hit Kharkiv.", "date": "2024-01-02"}) + "\n{oops\n",
        encoding="utf-8",
    )
    return folder


def test_batch_two_workers_errors_and_resume(tmp_path, corpus):
    out = tmp_path / "out.parquet"
    err = io.StringIO()
    html = tmp_path / "corpus.html"
    argv = ["batch", str(corpus), "-o", str(out), "--workers", "2", "--map", str(html), "--heatmap"]
    code = main(argv, stdout=io.StringIO(), stderr=err)
    assert code == 3, err.getvalue()  # some documents failed, the rest is written (and mapped)
    frame = gpd.read_parquet(out)
    assert frame.crs.to_epsg() == 4326
    docs = set(frame.loc[frame["kind"] == "document", "doc_id"])
    assert docs == {"a.txt", "b.txt", "c.txt", "j1"}
    toponyms = frame[frame["kind"] == "toponym"]
    assert {"Busan", "Vladivostok", "Odesa", "Kharkiv"} <= set(toponyms["text"])
    assert toponyms.geometry.notna().all()
    errors = pd.read_parquet(tmp_path / "out.errors.parquet")
    assert set(errors["doc_id"]) == {"broken.txt", "feed.jsonl:2"}
    assert errors["reason"].str.len().gt(5).all()
    assert "docs/s" in err.getvalue()
    assert not _parts_dir(out).exists()
    page = html.read_text(encoding="utf-8")
    assert "sitmapCorpus(" in page and "Leaflet.heat 0.2.0" in page and external_references(page) == []
    assert "Missiles hit Kharkiv." in page  # the source sentence of j1's event
    assert f"map {html}: 4 documents" in err.getvalue()

    # a new document arrives; the re-run skips the finished ones and keeps every earlier row
    (corpus / "d.txt").write_text("Shells were shipped from Najin port to Russia.", encoding="utf-8")
    result = run_batch([str(corpus)], out, workers=2)
    assert (result.done, result.skipped, result.failed) == (1, 4, 2)
    frame2 = gpd.read_parquet(out)
    assert set(frame2.loc[frame2["kind"] == "document", "doc_id"]) == docs | {"d.txt"}
    assert len(frame2) > len(frame)


def test_interrupted_run_resumes_from_its_parts(tmp_path, corpus, resources):
    out = tmp_path / "out.parquet"
    # what an interrupted run leaves behind: one finished chunk as a part file, no output yet
    done = [CorpusDoc("a.txt", ARTICLES["a.txt"], str(corpus / "a.txt"))]
    rows, errors = process_chunk(done)
    assert not errors
    _parts_dir(out).mkdir()
    _frame(rows).to_parquet(_parts_dir(out) / _chunk_name(done), index=False)
    result = run_batch([str(corpus)], out, workers=2)
    assert result.skipped == 1 and result.done == 3
    frame = gpd.read_parquet(out)
    assert sorted(frame.loc[frame["kind"] == "document", "doc_id"]) == ["a.txt", "b.txt", "c.txt", "j1"]


def test_a_document_that_raises_is_isolated(resources):
    rows, errors = process_chunk(
        [CorpusDoc("ok", "Seoul.", "s"), CorpusDoc("bad", None, "s"), CorpusDoc("ok2", "Kyiv.", "s")]  # type: ignore[arg-type]
    )
    assert {r["doc_id"] for r in rows} == {"ok", "ok2"}
    assert [e[0] for e in errors] == ["bad"] and "InputError" in errors[0][2]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["batch", "{corpus}", "-o", "{tmp}/out.csv"], ".parquet"),
        (["batch", "{tmp}/nope", "-o", "{tmp}/out.parquet"], "no such file"),
        (["batch", "{corpus}", "-o", "{tmp}/missing/out.parquet"], "folder does not exist"),
        (["batch", "{corpus}", "-o", "{tmp}/out.parquet", "--map", "{tmp}/map.png"], ".html"),
        (["batch", "{corpus}", "-o", "{tmp}/out.parquet", "--map", "{tmp}/no/map.html"], "folder does not"),
        (["batch", "{corpus}", "-o", "{tmp}/out.parquet", "--heatmap"], "need --map"),
        (["batch", "{corpus}", "-o", "{tmp}/out.parquet", "--merge-days", "-1"], "0 or more"),
    ],
)
def test_batch_user_errors(tmp_path, corpus, argv, needle):
    argv = [a.format(corpus=corpus, tmp=tmp_path) for a in argv]
    err = io.StringIO()
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert needle in err.getvalue() and err.getvalue().count("\n") == 1


def test_combine_unifies_part_schemas_and_recomputes_the_bbox(tmp_path, resources):
    import json as _json

    import pyarrow.parquet as pq

    from maps.batch import _combine

    out = tmp_path / "out.parquet"
    _parts_dir(out).mkdir()
    chunks = [
        [CorpusDoc("z", "Drones struck Odesa, officials said.", "s")],  # an event with places
        [CorpusDoc("a", "Nothing happened.", "s")],  # only a document row: empty columns
        [CorpusDoc("m", "Ships left Busan for Vladivostok.", "s")],
    ]
    for chunk in chunks:
        rows, errors = process_chunk(chunk)
        assert not errors
        _frame(rows).to_parquet(_parts_dir(out) / _chunk_name(chunk), index=False)
    n, errors_path = _combine(out, [])
    frame = gpd.read_parquet(out)
    assert n == len(frame) and errors_path is None and not _parts_dir(out).exists()
    assert list(frame.drop_duplicates("doc_id")["doc_id"]) == ["a", "m", "z"]  # sorted by document
    assert frame.loc[frame["doc_id"] == "m", "kind"].iloc[0] == "document"
    bbox = _json.loads(pq.read_schema(out).metadata[b"geo"])["columns"]["geometry"]["bbox"]
    assert bbox == pytest.approx(list(frame.total_bounds))


def test_write_chunk_writes_only_where_it_shares_the_clients_disk(tmp_path, resources):
    from maps.batch import write_chunk

    docs = [CorpusDoc("a", "Ships left Busan.", "s")]
    part, token = tmp_path / "part-x.parquet", tmp_path / ".shared-x"
    rows, errors = write_chunk(docs, str(part), str(token))  # no token: another machine, rows go back
    assert isinstance(rows, list) and rows and not part.exists() and not errors
    token.touch()
    n, errors = write_chunk(docs, str(part), str(token))
    assert n == len(rows) and len(gpd.read_parquet(part)) == n


def test_combine_a_corpus_without_any_place(tmp_path, resources):
    import pyarrow.parquet as pq

    from maps.batch import _combine

    out = tmp_path / "out.parquet"
    _parts_dir(out).mkdir()
    for chunk in ([CorpusDoc("b", "Nothing happened.", "s")], [CorpusDoc("a", "Nobody spoke.", "s")]):
        rows, _ = process_chunk(chunk)
        _frame(rows).to_parquet(_parts_dir(out) / _chunk_name(chunk), index=False)
    n, _ = _combine(out, [])
    frame = gpd.read_parquet(out)
    assert n == 2 and list(frame["doc_id"]) == ["a", "b"] and frame.geometry.isna().all()
    assert "bbox" not in json.loads(pq.read_schema(out).metadata[b"geo"])["columns"]["geometry"]


def test_map_of_a_corpus_where_everything_failed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(b"%PDF-1.4 \x00\x01 not text")
    err = io.StringIO()
    argv = ["batch", str(folder), "-o", str(tmp_path / "o.parquet"), "--workers", "1"]
    code = main([*argv, "--map", str(tmp_path / "m.html")], stdout=io.StringIO(), stderr=err)
    assert code == 3 and "no map was written" in err.getvalue() and not (tmp_path / "m.html").exists()
