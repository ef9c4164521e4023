"""The one place that wires the stages: text → toponyms → places → events → rings and routes.

Expensive objects (the spaCy pipeline, the gazetteer, the weapons catalogue) are loaded once per process
(:func:`default_resources`) or passed in by the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .areas import area_geometry
from .errors import InputError
from .events import extract_events
from .model import Analysis, Document, Mention, Place, Toponym
from .nlp import default_nlp, is_gazetteer_only, model_version
from .resolve import resolve_hits
from .text import chunk_spans, parse_dateline
from .toponyms import demonym_countries, find_hits
from .version import sitmap_version

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .gazetteer import Gazetteer
    from .weapons import Catalogue

__all__ = [
    "Resources",
    "analyze",
    "analyze_many",
    "default_resources",
    "geoparse",
    "geoparse_many",
    "sitmap_version",
]

#: Texts longer than this are processed in chunks (bounded memory; spaCy's own limit is 1,000,000).
CHUNK_CHARS = 50_000


@functools.cache
def _data_version(name: str) -> str:
    """A short content hash of a bundled data file."""
    import hashlib
    from importlib.resources import files

    return hashlib.sha256((files("sitmap_data") / name).read_bytes()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Resources:
    """The expensive objects of a run, loaded once and passed to every stage."""

    nlp: Language
    gazetteer: Gazetteer
    catalogue: Catalogue

    @property
    def versions(self) -> dict[str, str]:
        return {
            "sitmap": sitmap_version(),
            "model": model_version(self.nlp),
            "gazetteer": self.gazetteer.version,
            "weapons": _data_version("weapons.csv"),
        }


@functools.cache
def default_resources() -> Resources:
    """Load (once per process) the default spaCy pipeline, bundled gazetteer and weapons catalogue."""
    from .gazetteer import default_gazetteer
    from .weapons import load_catalogue

    return Resources(nlp=default_nlp(), gazetteer=default_gazetteer(), catalogue=load_catalogue())


def _resources(
    nlp: Language | None, gazetteer: Gazetteer | None, catalogue: Catalogue | None = None
) -> Resources:
    if nlp is not None and gazetteer is not None and catalogue is not None:
        return Resources(nlp, gazetteer, catalogue)
    base = default_resources()
    return Resources(nlp or base.nlp, gazetteer or base.gazetteer, catalogue or base.catalogue)


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise InputError(f"text must be a str, not {type(text).__name__}")
    return text


def _chunk_docs(nlp: Language, texts: Sequence[str]) -> Iterator[list[tuple[int, Doc]]]:
    """For each text, its spaCy docs with the character offset of each chunk (long texts are chunked)."""
    plan = [chunk_spans(t, max_chars=CHUNK_CHARS) for t in texts]
    flat = [texts[i][a:b] for i, spans in enumerate(plan) for a, b in spans]
    # batches of at most ~100,000 characters: many short articles go 32 at a time, long chunks one or two
    # at a time, so peak memory stays bounded whatever the input size
    longest = max((len(t) for t in flat), default=1)
    # one short text: a plain call (nlp.pipe's batching machinery costs more than it saves)
    batch = max(1, min(32, 100_000 // max(1, longest)))
    parsed = [nlp(flat[0])] if len(flat) == 1 else nlp.pipe(flat, batch_size=batch)
    docs = zip(flat, parsed, strict=True)
    for spans in plan:
        out = []
        for a, _ in spans:
            text, doc = next(docs)
            # spaCy's tokenizer keeps the text exactly; keeping the string saves rebuilding doc.text
            doc.user_data["sitmap_text"] = text
            out.append((a, doc))
        yield out


def _toponyms(text: str, chunks: Sequence[tuple[int, Doc]], gaz: Gazetteer) -> list[Toponym]:
    from dataclasses import replace

    from .toponyms import Hit

    hits: list[Hit] = []
    demonyms: dict[str, int] = {}
    for offset, doc in chunks:
        for h in find_hits(doc, gaz):
            hits.append(replace(h, start=h.start + offset, end=h.end + offset))
        for cc, n in demonym_countries(doc, gaz).items():
            demonyms[cc] = demonyms.get(cc, 0) + n
    dateline = parse_dateline(text)
    return resolve_hits(
        text, hits, gaz, demonyms=demonyms, dateline_place=dateline.place if dateline else None
    )


def geoparse(text: str, *, nlp: Language | None = None, gazetteer: Gazetteer | None = None) -> list[Toponym]:
    """Find and resolve the place mentions of ``text``.

    Returns every recognised mention in text order; unresolved ones have ``None`` coordinates.
    ``text[t.start:t.end] == t.text`` for every toponym ``t``.
    """
    return geoparse_many([text], nlp=nlp, gazetteer=gazetteer)[0]


def geoparse_many(
    texts: Iterable[str], *, nlp: Language | None = None, gazetteer: Gazetteer | None = None
) -> list[list[Toponym]]:
    """:func:`geoparse` for many texts at once (batched through ``nlp.pipe``)."""
    res = _resources(nlp, gazetteer)
    items = [_check_text(t) for t in texts]
    return [
        _toponyms(t, chunks, res.gazetteer)
        for t, chunks in zip(items, _chunk_docs(res.nlp, items), strict=True)
    ]


def _places(toponyms: Sequence[Toponym], gaz: Gazetteer) -> tuple[Place, ...]:
    order: list[str] = []
    groups: dict[str, list[Toponym]] = {}
    for t in toponyms:
        if t.gazetteer_id is None or t.lat is None or t.lon is None:
            continue
        if t.gazetteer_id not in groups:
            order.append(t.gazetteer_id)
            groups[t.gazetteer_id] = []
        groups[t.gazetteer_id].append(t)
    places = []
    for gid in order:
        first = groups[gid][0]
        cand = gaz.get(gid)
        assert first.lat is not None and first.lon is not None
        places.append(
            Place(
                gazetteer_id=gid,
                name=first.name or first.text,
                lat=first.lat,
                lon=first.lon,
                country_code=first.country_code,
                feature=first.feature or "city",
                mentions=tuple(Mention(t.start, t.end, t.text) for t in groups[gid]),
                population=cand.population if cand is not None and cand.population else None,
                area=area_geometry(cand, gaz) if cand is not None else None,
            )
        )
    return tuple(places)


def _sentences(chunks: Sequence[tuple[int, Doc]]) -> tuple[tuple[int, int], ...]:
    out = []
    for offset, doc in chunks:
        for s in doc.sents:
            text = s.text
            start = s.start_char + (len(text) - len(text.lstrip()))
            end = s.start_char + len(text.rstrip())
            if end > start:
                out.append((offset + start, offset + end))
    return tuple(out)


def analyze(
    text: str,
    *,
    source: str | None = None,
    title: str | None = None,
    nlp: Language | None = None,
    gazetteer: Gazetteer | None = None,
    catalogue: Catalogue | None = None,
    warnings: Sequence[str] = (),
) -> Analysis:
    """Run the whole pipeline over one article.

    Parameters
    ----------
    text
        The decoded article text (character offsets in the result index into it).
    source
        A name for the input (file name, URL), shown on the map and in outputs.
    title
        The article title; by default the first line when it looks like a headline.
    nlp, gazetteer, catalogue
        Pre-loaded resources; by default the process-wide ones.
    warnings
        Warnings from reading the input, carried into the analysis.
    """
    text = _check_text(text)
    res = _resources(nlp, gazetteer, catalogue)
    return _analyze(text, next(_chunk_docs(res.nlp, [text])), res, source, title, warnings)


def analyze_many(
    texts: Sequence[str],
    *,
    sources: Sequence[str | None] | None = None,
    titles: Sequence[str | None] | None = None,
    nlp: Language | None = None,
    gazetteer: Gazetteer | None = None,
    catalogue: Catalogue | None = None,
) -> list[Analysis]:
    """:func:`analyze` for many articles at once, the spaCy pipeline batched through ``nlp.pipe``.

    The result is the same as ``[analyze(t, ...) for t in texts]``; corpus mode (``sitmap batch``) uses it.
    An invalid text raises before any work is done.

    Examples
    --------
    >>> [len(a.places) > 0 for a in analyze_many(["Ships left Busan.", "Drones hit Odesa."])]
    [True, True]
    """
    items = [_check_text(t) for t in texts]
    n = len(items)
    sources = list(sources) if sources is not None else [None] * n
    titles = list(titles) if titles is not None else [None] * n
    if len(sources) != n or len(titles) != n:
        raise InputError("analyze_many needs as many sources and titles as texts")
    res = _resources(nlp, gazetteer, catalogue)
    return [
        _analyze(text, chunks, res, source, title, ())
        for text, chunks, source, title in zip(
            items, _chunk_docs(res.nlp, items), sources, titles, strict=True
        )
    ]


def _analyze(
    text: str,
    chunks: Sequence[tuple[int, Doc]],
    res: Resources,
    source: str | None,
    title: str | None,
    warnings: Sequence[str],
) -> Analysis:
    from .overlays import attach_reach, rings_for_events, routes_for_events

    toponyms = _toponyms(text, chunks, res.gazetteer)
    # demonym toponyms ("Russian": source "rule", label NORP) are geoparse output; the map's places and
    # the events use the places named as such (demonyms still give country context to the resolution)
    named = [t for t in toponyms if not (t.source == "rule" and t.ner_label == "NORP")]
    dateline = parse_dateline(text)
    all_warnings = list(warnings)
    if is_gazetteer_only(res.nlp):
        all_warnings.append("no spaCy model installed: gazetteer-only recognition")
    document = Document(
        text=text,
        source=source,
        title=title,
        dateline=dateline,
        sentences=_sentences(chunks),
        warnings=tuple(warnings),
    )
    places = _places(named, res.gazetteer)
    events = extract_events(document, chunks, named, res.gazetteer, res.catalogue)
    rings = rings_for_events(events, places, res.gazetteer, res.catalogue)
    routes = routes_for_events(events, res.gazetteer, text)
    events = attach_reach(events, rings)
    if not places:
        all_warnings.append("no places found in the text")
    return Analysis(
        document=document,
        toponyms=tuple(toponyms),
        places=places,
        events=tuple(events),
        rings=tuple(rings),
        routes=tuple(routes),
        warnings=tuple(all_warnings),
        versions=res.versions,
    )
