"""Corpus mode on Dask: many articles → one GeoParquet file, nothing lost, resumable.

* Documents (:func:`geo.corpus.iter_corpus`) go to Dask workers in chunks; each worker loads the spaCy
  pipeline, gazetteer and catalogue once (:func:`geo.pipeline.default_resources` is cached per process).
  By default a :class:`dask.distributed.LocalCluster` sized to the machine (one single-threaded worker
  process per core) runs embedded; ``scheduler="tcp://host:8786"`` uses an existing cluster instead.
* Each finished chunk is written at once as a part file in ``OUT.parts/`` (atomically), so an interrupted
  run loses at most the chunks in flight. Re-running with the same output skips every document already
  finished (in the parts or in a previous ``OUT``).
* A document that fails (undecodable, too large, a bug, a worker that died) becomes a row of the errors
  table ``OUT.errors.parquet`` with its reason; the run goes on, and :func:`run_batch` reports it (the CLI
  exits with code 3).
* At the end every part is combined into ``OUT`` — GeoParquet, EPSG:4326, one row per document, toponym and
  event place, with ``doc_id`` and provenance (see :func:`geo.corpus.analysis_rows`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from geo.aggregate import WINDOW_DAYS
from geo.corpus import CorpusDoc, CorpusError, analysis_rows, iter_corpus
from geo.errors import OutputError, UserError

__all__ = [
    "BatchResult",
    "check_map_output",
    "process_chunk",
    "run_batch",
    "write_chunk",
    "write_corpus_map",
]

#: Documents per Dask task.
CHUNK_DOCS = 8
_ERROR_COLUMNS = ["doc_id", "source", "reason"]


@dataclass(slots=True)
class BatchResult:
    """What a batch run did."""

    output: Path
    errors_path: Path | None
    done: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    seconds: float = 0.0
    workers: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def write_chunk(
    docs: Sequence[CorpusDoc], part: str, token: str
) -> tuple[list[dict[str, Any]] | int, list[tuple[str, str, str]]]:
    """Analyse a chunk on a worker and write its part file there when the worker shares the client's disk.

    The client puts the file ``token`` in the parts folder; a worker that sees it (the embedded
    LocalCluster, or a cluster on a shared filesystem) writes ``part`` itself and returns the number of
    rows, so the client does no per-chunk work. A worker on another machine returns the rows instead.
    """
    rows, errors = process_chunk(docs)
    if rows and Path(token).is_file():
        _write_parquet_atomic(_frame(rows), Path(part))
        return len(rows), errors
    return rows, errors


def process_chunk(docs: Sequence[CorpusDoc]) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """Analyse a chunk of documents on a worker: rows for the good ones, ``(id, source, reason)`` for others.

    Examples
    --------
    >>> rows, errors = process_chunk([CorpusDoc("d1", "Ships left Busan for Vladivostok.", "inline")])
    >>> sorted({r["kind"] for r in rows}), errors
    (['document', 'toponym'], [])
    """
    from geo.pipeline import analyze, analyze_many, default_resources

    res = default_resources()  # loaded once per worker process, then cached
    rows: list[dict[str, Any]] = []
    errors: list[tuple[str, str, str]] = []
    try:  # the whole chunk through nlp.pipe at once (faster) ...
        analyses = analyze_many(
            [d.text for d in docs],
            sources=[d.source for d in docs],
            titles=[d.title for d in docs],
            nlp=res.nlp,
            gazetteer=res.gazetteer,
            catalogue=res.catalogue,
        )
        return [row for d, a in zip(docs, analyses, strict=True) for row in analysis_rows(d, a)], []
    except Exception:  # ... and, when one document fails, one by one, so only that one is lost
        pass
    for doc in docs:
        try:
            analysis = analyze(
                doc.text,
                source=doc.source,
                title=doc.title,
                nlp=res.nlp,
                gazetteer=res.gazetteer,
                catalogue=res.catalogue,
            )
            rows.extend(analysis_rows(doc, analysis))
        except Exception as exc:  # one bad document never stops the others
            last = traceback.extract_tb(exc.__traceback__)[-1:] or None
            where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
            errors.append((doc.doc_id, doc.source, f"{type(exc).__name__}: {exc}{where}"))
    return rows, errors


def _refuse_inputs(target: Path, inputs: Iterable[str]) -> None:
    for item in inputs:
        if Path(item).resolve() == target.resolve():
            raise OutputError(f"refusing to overwrite the input file {str(target)!r}")


def _parts_dir(output: Path) -> Path:
    return output.with_name(output.name + ".parts")


def _errors_path(output: Path) -> Path:
    return output.with_name(output.stem + ".errors.parquet")


def _finished_ids(output: Path) -> set[str]:
    """Documents already done: ``document`` rows in earlier parts or in a previous output."""
    sources = sorted(_parts_dir(output).glob("part-*.parquet")) if _parts_dir(output).is_dir() else []
    if output.exists():
        sources.append(output)
    done: set[str] = set()
    for path in sources:
        try:
            frame = pd.read_parquet(path, columns=["doc_id", "kind"])
        except (OSError, ValueError) as exc:
            raise OutputError(f"cannot read the existing output {str(path)!r}: {exc}") from None
        done.update(frame.loc[frame["kind"] == "document", "doc_id"].astype(str))
    return done


def _frame(rows: list[dict[str, Any]]) -> Any:
    import geopandas as gpd
    from shapely import points

    frame = pd.DataFrame(rows)
    lon = frame["lon"].to_numpy(dtype="float64", na_value=float("nan"))
    lat = frame["lat"].to_numpy(dtype="float64", na_value=float("nan"))
    geometry = points(lon, lat)
    geometry[pd.isna(lon) | pd.isna(lat)] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _write_parquet_atomic(frame: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _chunk_name(docs: Sequence[CorpusDoc]) -> str:
    digest = hashlib.sha256("\x00".join(d.doc_id for d in docs).encode("utf-8")).hexdigest()[:16]
    return f"part-{digest}.parquet"


def _client(workers: int | None, scheduler: str | None) -> tuple[Any, Any]:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as exc:
            raise UserError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    return Client(cluster), cluster


def _untyped_nulls(table: Any) -> Any:
    """Give columns that hold only nulls the null type (pandas writes an empty column as double)."""
    import pyarrow as pa

    for i, name in enumerate(table.column_names):
        column = table.column(i)
        if len(column) and column.null_count == len(column) and not pa.types.is_null(column.type):
            table = table.set_column(i, name, pa.nulls(len(column)))
    return table


def _combine(output: Path, errors: list[tuple[str, str, str]]) -> tuple[int, Path | None]:
    """Merge the part files (and a previous output) into ``output``; write or clear the errors table.

    Done in Arrow (no geometry decoding): the parts are concatenated with their column types unified,
    sorted by document then kind (document, toponym, event) then offset, and written with the GeoParquet
    metadata of the parts, its bounding box recomputed.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parts = sorted(_parts_dir(output).glob("part-*.parquet")) if _parts_dir(output).is_dir() else []
    sources = ([output] if output.exists() else []) + parts
    rows = 0
    if sources:
        try:
            tables = [pq.read_table(p) for p in sources]
        except (OSError, pa.ArrowException) as exc:
            raise OutputError(f"cannot read a part of the output {str(output)!r}: {exc}") from None
        geo = json.loads(tables[0].schema.metadata[b"geo"])
        table = pa.concat_tables([_untyped_nulls(t) for t in tables], promote_options="permissive")
        order = pc.if_else(
            pc.equal(table["kind"], "document"), 0, pc.if_else(pc.equal(table["kind"], "toponym"), 1, 2)
        )
        table = table.append_column("_order", order).append_column("_row", pa.array(range(len(table))))
        # "start" is missing when no document has a toponym or an event
        keys = [(k, "ascending") for k in ("doc_id", "_order", "start", "_row") if k in table.column_names]
        table = table.sort_by(keys).drop_columns(["_order", "_row"])
        column = geo["columns"][geo["primary_column"]]
        located = not pa.types.is_null(table["lon"].type) and table["lon"].null_count < len(table)
        lon, lat = (pc.min_max(table[k].cast(pa.float64())) for k in ("lon", "lat"))
        if located and lon["min"].is_valid:
            column["bbox"] = [lon["min"].as_py(), lat["min"].as_py(), lon["max"].as_py(), lat["max"].as_py()]
        else:
            column.pop("bbox", None)
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"geo": json.dumps(geo).encode()}
        )
        tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
        rows = len(table)
    errors_path = _errors_path(output)
    if errors:
        _write_parquet_atomic(pd.DataFrame(sorted(set(errors)), columns=_ERROR_COLUMNS), errors_path)
    elif errors_path.exists():
        errors_path.unlink()
    for p in parts:
        p.unlink()
    if _parts_dir(output).is_dir() and not any(_parts_dir(output).iterdir()):
        _parts_dir(output).rmdir()
    return rows, (errors_path if errors else None)


def run_batch(
    inputs: Iterable[str],
    output: str | os.PathLike[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_docs: int = CHUNK_DOCS,
    progress: IO[str] | None = None,
    on_progress: Callable[[int, int, float], None] | None = None,
) -> BatchResult:
    """Analyse every document of ``inputs`` on Dask and write ``output`` (GeoParquet).

    Parameters
    ----------
    inputs
        Files, directories and JSON Lines files (see :func:`geo.corpus.iter_corpus`).
    output
        The GeoParquet file to write (``.parquet``); part files live in ``output + ".parts"`` meanwhile.
    workers
        Worker processes of the embedded LocalCluster (default: one per core).
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); then ``workers`` is ignored.
    progress
        A stream for a progress line with docs/s (e.g. ``sys.stderr``); ``None`` for silence.
    """
    out = Path(output)
    if out.suffix.lower() != ".parquet":
        raise OutputError(f"the output must be a .parquet file, got {str(output)!r}")
    if not out.parent.is_dir():
        raise OutputError(f"output folder does not exist: {str(out.parent)!r}")
    inputs = list(inputs)
    _refuse_inputs(out, inputs)
    started = time.perf_counter()
    finished = _finished_ids(out)
    todo: list[CorpusDoc] = []
    errors: list[tuple[str, str, str]] = []
    skipped = 0
    for rec in iter_corpus(inputs):
        if isinstance(rec, CorpusError):
            errors.append((rec.doc_id, rec.source, rec.reason))
        elif rec.doc_id in finished:
            skipped += 1
        else:
            todo.append(rec)
    result = BatchResult(output=out, errors_path=None, skipped=skipped)
    if todo:
        _parts_dir(out).mkdir(exist_ok=True)
        chunks = [todo[i : i + chunk_docs] for i in range(0, len(todo), chunk_docs)]
        client, cluster = _client(workers, scheduler)
        try:
            from dask.distributed import as_completed

            result.workers = len(client.scheduler_info().get("workers", {}))
            token = _parts_dir(out) / f".shared-{uuid.uuid4().hex}"
            token.touch()
            futures = {
                client.submit(
                    write_chunk,
                    chunk,
                    str((_parts_dir(out) / _chunk_name(chunk)).resolve()),
                    str(token.resolve()),
                    pure=False,
                ): chunk
                for chunk in chunks
            }
            for future in as_completed(futures):
                chunk = futures[future]
                try:
                    rows, errs = future.result()
                except Exception as exc:  # the worker died or the task could not run
                    rows, errs = (
                        [],
                        [(d.doc_id, d.source, f"worker failure: {type(exc).__name__}: {exc}") for d in chunk],
                    )
                if isinstance(rows, list) and rows:  # a worker on another machine sent its rows
                    _write_parquet_atomic(_frame(rows), _parts_dir(out) / _chunk_name(chunk))
                failed_ids = {e[0] for e in errs}
                result.done += sum(1 for d in chunk if d.doc_id not in failed_ids)
                errors.extend(errs)
                elapsed = time.perf_counter() - started
                if progress is not None:
                    rate = result.done / elapsed if elapsed else 0.0
                    progress.write(
                        f"\rbatch: {result.done + len(errors)}/{len(todo) + len(errors)} documents, "
                        f"{rate:.1f} docs/s"
                    )
                    progress.flush()
                if on_progress is not None:
                    on_progress(result.done, len(todo), elapsed)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
            for stale in _parts_dir(out).glob(".shared-*"):
                stale.unlink(missing_ok=True)
        if progress is not None:
            progress.write("\n")
    result.rows, result.errors_path = _combine(out, errors)
    result.failed = len({e[0] for e in errors})
    result.failures = [(e[0], e[2]) for e in errors]
    result.seconds = time.perf_counter() - started
    return result


def check_map_output(
    path: str | os.PathLike[str], output: str | os.PathLike[str], inputs: Iterable[str]
) -> None:
    """Refuse a corpus map path before any work is done: not ``.html``, no folder, or an input/output file."""
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"the map must be an .html file, got {str(path)!r}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"output folder does not exist: {str(folder)!r}")
    if target.resolve() == Path(output).resolve():
        raise OutputError("the map and the GeoParquet output must be different files")
    _refuse_inputs(target, inputs)


def write_corpus_map(
    output: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    heatmap: bool = False,
    window_days: int = WINDOW_DAYS,
    inputs: Iterable[str] = (),
) -> str:
    """Draw the corpus in the GeoParquet ``output`` as one standalone HTML map at ``path``; say what it holds.

    Every document in ``output`` is drawn, including those finished by earlier runs.
    """
    from .corpus_map import corpus_data, render_corpus_data
    from .export import write_atomic

    source = Path(output)
    if not source.exists():
        raise OutputError(f"no corpus output to map: {str(output)!r}")
    try:
        frame = pd.read_parquet(source)
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot read the corpus output {str(output)!r}: {exc}") from None
    data = corpus_data(frame, title=title, heatmap=heatmap, window_days=window_days)
    write_atomic(path, render_corpus_data(data).get_root().render(), inputs=list(inputs))
    return str(data["summary"])
