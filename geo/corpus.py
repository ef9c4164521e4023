"""Corpus input and output rows: many articles in, flat provenance-carrying rows out.

Inputs are text files, directories of them (``*.txt``, ``*.html``, ``*.htm``, ``*.md``, searched
recursively, in sorted order) and JSON Lines files (``*.jsonl``: one ``{"id", "text", "title"?, "date"?,
"url"?}`` object per line). A document that cannot be read becomes a :class:`CorpusError` with its reason;
reading goes on.

Each analysed document becomes rows (:func:`analysis_rows`): one ``document`` row, one ``toponym`` row per
place mention and one ``event`` row per event place (or one without geometry for an event with no place),
each with the document id, the source sentence and its offsets.

Examples
--------
>>> import json, pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("Ships left Busan.", encoding="utf-8")
>>> _ = (d / "b.jsonl").write_text(json.dumps({"id": "x1", "text": "Kyiv"}) + "\\nnot json\\n")
>>> [(type(r).__name__, r.doc_id) for r in iter_corpus([str(d)])]
[('CorpusDoc', 'a.txt'), ('CorpusDoc', 'x1'), ('CorpusError', 'b.jsonl:2')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Analysis, EventPlace
from .text import MAX_INPUT_BYTES, decode_bytes

__all__ = [
    "MAX_DOC_CHARS",
    "TEXT_SUFFIXES",
    "CorpusDoc",
    "CorpusError",
    "analysis_rows",
    "iter_corpus",
]

#: File suffixes read as article text inside directories.
TEXT_SUFFIXES = (".txt", ".html", ".htm", ".md")
#: Largest document (characters) analysed in corpus mode; larger ones become errors.
MAX_DOC_CHARS = 5_000_000


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    """One document of a corpus: a unique id, its text and what is known about it."""

    doc_id: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CorpusError:
    """A document that could not be read or analysed, and why."""

    doc_id: str
    source: str
    reason: str


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (*TEXT_SUFFIXES, ".jsonl")
        )
    return [path]


def _doc_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() if root.is_dir() else path.name
    except ValueError:
        return path.as_posix()


def _jsonl(path: Path, label: str) -> Iterator[CorpusDoc | CorpusError]:
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        yield CorpusError(label, str(path), f"cannot read: {exc.strerror or exc}")
        return
    for n, raw in enumerate(lines, start=1):
        where = f"{label}:{n}"
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield CorpusError(where, f"{path}:{n}", f"not a JSON object: {exc}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield CorpusError(where, f"{path}:{n}", "a JSON Lines record needs a string 'text'")
            continue
        doc_id = str(obj.get("id") if obj.get("id") is not None else where)
        text = obj["text"]
        if not text.strip():
            yield CorpusError(doc_id, f"{path}:{n}", "holds no text")
            continue
        if len(text) > MAX_DOC_CHARS:
            yield CorpusError(doc_id, f"{path}:{n}", f"too large ({len(text):,} characters)")
            continue
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            yield CorpusError(doc_id, f"{path}:{n}", "invalid Unicode (an unpaired surrogate)")
            continue
        yield CorpusDoc(
            doc_id=doc_id,
            text=text,
            source=f"{path}:{n}",
            title=_opt_str(obj.get("title")),
            date=_opt_str(obj.get("date")),
            url=_opt_str(obj.get("url")),
        )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def iter_corpus(inputs: Iterable[str]) -> Iterator[CorpusDoc | CorpusError]:
    """The documents of ``inputs`` (files, directories, JSON Lines), in a stable order.

    Ids are unique: a document whose id was already seen becomes a :class:`CorpusError`.
    Raises :class:`~geo.errors.InputError` only for an input path that does not exist.
    """
    seen: set[str] = set()
    for item in inputs:
        root = Path(item)
        if not root.exists():
            raise InputError(f"no such file or directory: {item!r}")
        for path in _files(root):
            label = _doc_id(path, root)
            if path.suffix.lower() == ".jsonl":
                records: Iterable[CorpusDoc | CorpusError] = _jsonl(path, label)
            else:
                records = [_read_file(path, label)]
            for rec in records:
                if isinstance(rec, CorpusDoc) and rec.doc_id in seen:
                    yield CorpusError(rec.doc_id, rec.source, "duplicate document id")
                    continue
                seen.add(rec.doc_id)
                yield rec


def _read_file(path: Path, label: str) -> CorpusDoc | CorpusError:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            return CorpusError(label, str(path), f"too large ({size:,} bytes)")
        decoded = decode_bytes(path.read_bytes(), name=str(path))
    except InputError as exc:
        return CorpusError(label, str(path), str(exc))
    except OSError as exc:
        return CorpusError(label, str(path), f"cannot read: {exc.strerror or exc}")
    if len(decoded.text) > MAX_DOC_CHARS:
        return CorpusError(label, str(path), f"too large ({len(decoded.text):,} characters)")
    return CorpusDoc(
        doc_id=label, text=decoded.text, source=str(path), title=decoded.title, warnings=decoded.warnings
    )


def _sentence(analysis: Analysis, start: int) -> str:
    span = analysis.document.sentence_at(start)
    return analysis.document.text[span[0] : span[1]] if span else ""


def analysis_rows(doc: CorpusDoc, analysis: Analysis) -> list[dict[str, Any]]:
    """Flat rows for one analysed document (``lat``/``lon`` are ``None`` where there is no point)."""
    base = {"doc_id": doc.doc_id, "source": doc.source, "title": doc.title, "date": doc.date, "url": doc.url}
    dl = analysis.document.dateline
    rows: list[dict[str, Any]] = [
        {
            **base,
            "kind": "document",
            "name": doc.title,
            "text": None,
            "lat": None,
            "lon": None,
            "dateline": dl.raw if dl else None,
            "dateline_date": dl.date if dl else None,
            "n_toponyms": len(analysis.toponyms),
            "n_events": len(analysis.events),
            "warnings": "; ".join((*doc.warnings, *analysis.warnings)) or None,
        }
    ]
    for t in analysis.toponyms:
        rows.append(
            {
                **base,
                "kind": "toponym",
                "name": t.name,
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "lat": t.lat,
                "lon": t.lon,
                "feature": t.feature,
                "country_code": t.country_code,
                "gazetteer_id": t.gazetteer_id,
                "score": t.score,
                "found_by": t.source,
                "ner_label": t.ner_label,
                "sentence": _sentence(analysis, t.start),
            }
        )
    for e in analysis.events:
        event = {
            **base,
            "kind": "event",
            "event_id": f"{doc.doc_id}#{e.id}",
            "event_type": e.type,
            "plover": e.plover,
            "factuality": e.factuality.status,
            "speaker": e.factuality.speaker,
            "actors": "; ".join(a.name for a in e.actors) or None,
            "recipients": "; ".join(a.name for a in e.recipients) or None,
            "weapon": e.weapon.text if e.weapon else None,
            "weapon_class": e.weapon.weapon_class if e.weapon else None,
            "quantity": "; ".join(q.text for q in e.quantities) or None,
            "time_start": e.time.start,
            "time_end": e.time.end,
            "sentence": e.evidence[0].sentence if e.evidence else None,
            "start": e.evidence[0].start if e.evidence else None,
            "end": e.evidence[0].end if e.evidence else None,
            "evidence": len(e.evidence),
        }
        located: list[EventPlace | None] = [p for p in e.places if p.lat is not None and p.lon is not None]
        for p in located or [None]:
            rows.append(
                {
                    **event,
                    "name": p.name if p else None,
                    "role": p.role if p else None,
                    "precision": p.precision if p else None,
                    "country_code": p.country_code if p else None,
                    "gazetteer_id": p.gazetteer_id if p else None,
                    "link_method": p.link_method if p else None,
                    "lat": p.lat if p else None,
                    "lon": p.lon if p else None,
                }
            )
    return rows
