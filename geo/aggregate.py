"""Events and places aggregated across the documents of a corpus (the rows of ``sitmap batch``).

Many articles report the same event. :func:`merge_events` merges the event rows of a corpus table (see
:func:`geo.corpus.analysis_rows`) into :class:`MergedEvent` s that keep every source; two events are merged
when they

* have the same type (``STRIKE``, ``ARMS_TRANSFER`` …),
* name the same actors (compared case-insensitively; two events without actors count as the same),
* make the same kind of claim: it happened (``asserted``, ``reported``, ``alleged``), it may happen
  (``possible``, ``considering``, ``planned``) or it did not (``denied``), since a "may test" is not a test,
* share at least one place (the same gazetteer entry, or the same name when neither has one): events
  without a place are never merged,
* are dated within ``window_days`` of each other (date intervals, not only start days), or are both
  undated,
* come from different documents (the event extractor already keeps apart what one article reports as
  two events), and
* do not name different weapon systems (a Kinzhal strike and a Shahed strike are two events).

Merging is transitive (single linkage: A~B and B~C put A, B and C together) as long as the last two
conditions hold for the merged groups. An event's date is the
date the text gives it, else its document's date (the ``date`` of a JSON Lines record), else the
document's dateline date.

:func:`place_mentions` counts the toponyms of the corpus per resolved place.

Examples
--------
>>> import pandas as pd
>>> base = {"kind": "event", "event_type": "STRIKE", "factuality": "asserted", "actors": "Russia",
...         "name": "Odesa", "gazetteer_id": "geonames:698740", "lat": 46.48, "lon": 30.73,
...         "precision": "city", "role": "target"}
>>> rows = pd.DataFrame([
...     {**base, "doc_id": "a", "event_id": "a#e1", "date": "2023-07-20", "sentence": "Russia struck Odesa."},
...     {**base, "doc_id": "b", "event_id": "b#e1", "date": "2023-07-21", "sentence": "Odesa was hit."},
...     {**base, "doc_id": "c", "event_id": "c#e1", "date": "2023-09-01", "sentence": "Odesa again."}])
>>> [(e.start, e.end, [s.doc_id for s in e.sources]) for e in merge_events(rows)]
[('2023-07-20', '2023-07-21', ['a', 'b']), ('2023-09-01', '2023-09-01', ['c'])]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import InputError

__all__ = [
    "WINDOW_DAYS",
    "EventSource",
    "MergedEvent",
    "MergedPlace",
    "PlaceMentions",
    "as_records",
    "claim_kind",
    "date_interval",
    "merge_events",
    "place_mentions",
]

#: Default time window (days) within which reports of the same event are merged.
WINDOW_DAYS = 7
_CLAIM_KINDS = {
    "asserted": "happened",
    "reported": "happened",
    "alleged": "happened",
    "possible": "expected",
    "considering": "expected",
    "planned": "expected",
    "denied": "denied",
}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class EventSource:
    """One report of a merged event: the document, its event, and the sentence that says so."""

    doc_id: str
    event_id: str
    sentence: str | None
    factuality: str
    speaker: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class MergedPlace:
    """A place of a merged event, with how precisely it is known (``city``, ``site``, ``country`` …)."""

    name: str
    lat: float
    lon: float
    precision: str | None
    role: str | None
    country_code: str | None = None
    gazetteer_id: str | None = None


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """An event reported by one or more documents of a corpus.

    ``start``/``end`` are ISO dates (``None`` when no source dates it); ``claim`` is ``happened``,
    ``expected`` or ``denied``; ``sources`` keeps every report, in date then document order.
    """

    id: str
    type: str
    claim: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    weapons: tuple[str, ...]
    quantities: tuple[str, ...]
    places: tuple[MergedPlace, ...]
    start: str | None
    end: str | None
    sources: tuple[EventSource, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        """The distinct documents reporting the event, in order."""
        return tuple(dict.fromkeys(s.doc_id for s in self.sources))


@dataclass(frozen=True, slots=True)
class PlaceMentions:
    """How often the corpus mentions one resolved place, and in which documents."""

    name: str
    lat: float
    lon: float
    feature: str | None
    country_code: str | None
    gazetteer_id: str | None
    mentions: int
    documents: tuple[str, ...]
    example: str | None


def claim_kind(status: str | None) -> str:
    """The kind of claim a factuality status makes: ``happened``, ``expected`` or ``denied``.

    Examples
    --------
    >>> claim_kind("reported"), claim_kind("possible"), claim_kind("denied")
    ('happened', 'expected', 'denied')
    """
    return _CLAIM_KINDS.get(str(status or "asserted"), "happened")


def date_interval(value: Any) -> tuple[dt.date, dt.date] | None:
    """The days an ISO date, month or year covers (``None`` for anything else).

    Examples
    --------
    >>> date_interval("2024-01-11")
    (datetime.date(2024, 1, 11), datetime.date(2024, 1, 11))
    >>> date_interval("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> date_interval("last week") is None, date_interval(None) is None
    (True, True)
    """
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return dt.date(year or 1, 1, 1), dt.date(year or 1, 12, 31)
        if day is None:
            first = dt.date(year or 1, month, 1)
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        day_ = dt.date(year or 1, month, day)
    except ValueError:
        return None
    return day_, day_


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _split(value: Any) -> tuple[str, ...]:
    text = _text(value)
    return tuple(p.strip() for p in text.split(";") if p.strip()) if text else ()


@dataclass(slots=True)
class _Report:
    """One event of one document (its rows grouped), before merging."""

    source: EventSource
    type: str
    claim: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    weapons: tuple[str, ...]
    quantities: tuple[str, ...]
    places: list[MergedPlace]
    interval: tuple[dt.date, dt.date] | None

    @property
    def key(self) -> tuple[str, str, frozenset[str]]:
        return self.type, self.claim, frozenset(a.casefold() for a in self.actors)

    def place_keys(self) -> set[str]:
        return {p.gazetteer_id or f"name:{p.name.casefold()}" for p in self.places}


def _interval(report: _Report) -> tuple[dt.date, dt.date]:
    assert report.interval is not None
    return report.interval


def as_records(rows: Any) -> list[dict[str, Any]]:
    """The rows of a corpus table as dicts: a DataFrame's records, or the given dicts themselves.

    Examples
    --------
    >>> import pandas as pd
    >>> as_records(pd.DataFrame([{"kind": "document", "doc_id": "a"}]))
    [{'kind': 'document', 'doc_id': 'a'}]
    """
    if isinstance(rows, list):
        return rows
    if hasattr(rows, "to_dict"):
        records: list[dict[str, Any]] = rows.to_dict("records")
        return records
    return [dict(r) for r in rows]


def _reports(records: Iterable[dict[str, Any]]) -> list[_Report]:
    dateline: dict[str, str | None] = {}
    events: dict[str, _Report] = {}
    for r in records:
        kind = r.get("kind")
        if kind == "document":
            dateline[str(r.get("doc_id"))] = _text(r.get("dateline_date"))
        if kind != "event":
            continue
        event_id = _text(r.get("event_id"))
        doc_id = _text(r.get("doc_id"))
        if event_id is None or doc_id is None or _text(r.get("event_type")) is None:
            raise InputError("an event row needs doc_id, event_id and event_type")
        report = events.get(event_id)
        if report is None:
            status = _text(r.get("factuality")) or "asserted"
            start, end = _text(r.get("time_start")), _text(r.get("time_end"))
            interval = None
            if start:
                first = date_interval(start)
                last = date_interval(end) if end else first
                interval = (first[0], last[1]) if first and last else first
            report = _Report(
                source=EventSource(
                    doc_id=doc_id,
                    event_id=event_id,
                    sentence=_text(r.get("sentence")),
                    factuality=status,
                    speaker=_text(r.get("speaker")),
                    title=_text(r.get("title")),
                    url=_text(r.get("url")),
                    date=_text(r.get("date")),
                ),
                type=str(r["event_type"]),
                claim=claim_kind(status),
                actors=_split(r.get("actors")),
                recipients=_split(r.get("recipients")),
                weapons=_split(r.get("weapon")),
                quantities=_split(r.get("quantity")),
                places=[],
                interval=interval,
            )
            events[event_id] = report
        name, lat, lon = _text(r.get("name")), _number(r.get("lat")), _number(r.get("lon"))
        if name is not None and lat is not None and lon is not None:
            report.places.append(
                MergedPlace(
                    name=name,
                    lat=lat,
                    lon=lon,
                    precision=_text(r.get("precision")),
                    role=_text(r.get("role")),
                    country_code=_text(r.get("country_code")),
                    gazetteer_id=_text(r.get("gazetteer_id")),
                )
            )
    for report in events.values():
        if report.interval is None:
            report.interval = date_interval(report.source.date) or date_interval(
                dateline.get(report.source.doc_id)
            )
    return list(events.values())


def merge_events(rows: Any, *, window_days: int = WINDOW_DAYS) -> tuple[MergedEvent, ...]:
    """Merge the event rows of a corpus table into events reported by one or more documents.

    Parameters
    ----------
    rows
        A :class:`pandas.DataFrame` (or an iterable of dicts) with the columns of
        :func:`geo.corpus.analysis_rows`; rows of other kinds are ignored except ``document`` rows, whose
        dateline dates date undated events.
    window_days
        Reports dated at most this many days apart may be merged (0: only overlapping dates).

    Returns
    -------
    tuple of MergedEvent
        Sorted by start date (undated last), then by id.
    """
    if window_days < 0:
        raise InputError(f"window_days must be >= 0, got {window_days}")
    window = dt.timedelta(days=window_days)
    reports = _reports(as_records(rows))
    parent = list(range(len(reports)))
    docs = [{r.source.doc_id} for r in reports]
    weapons = [{w.casefold() for w in r.weapons} for r in reports]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a == b or docs[a] & docs[b] or (weapons[a] and weapons[b] and not weapons[a] & weapons[b]):
            return
        parent[b] = a
        docs[a] |= docs[b]
        weapons[a] |= weapons[b]

    by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, rep in enumerate(reports):
        for place in rep.place_keys():
            by_key[(*rep.key, place)].append(i)
    for members in by_key.values():
        # sweep by start date, keeping the reports whose end is still within the window of the current
        # start: exactly those are near it
        dated = sorted((i for i in members if reports[i].interval), key=lambda i: _interval(reports[i]))
        active: list[int] = []
        for i in dated:
            start = _interval(reports[i])[0]
            active = [k for k in active if start - _interval(reports[k])[1] <= window]
            for k in active:
                union(k, i)
            active.append(i)
        undated = [i for i in members if reports[i].interval is None]
        for i in undated[1:]:
            union(undated[0], i)
    groups: dict[int, list[_Report]] = defaultdict(list)
    for i, rep in enumerate(reports):
        groups[find(i)].append(rep)
    merged = [_merge(members) for members in groups.values()]
    merged.sort(key=lambda e: (e.start is None, e.start or "", e.id))
    return tuple(merged)


def _union(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for v in values:
        seen.setdefault(v.casefold(), v)
    return tuple(seen.values())


def _merge(members: list[_Report]) -> MergedEvent:
    members.sort(key=lambda r: (r.interval is None, r.interval or (), r.source.doc_id, r.source.event_id))
    intervals = [r.interval for r in members if r.interval is not None]
    places: dict[tuple[str, str | None], MergedPlace] = {}
    for rep in members:
        for p in rep.places:
            places.setdefault((p.gazetteer_id or p.name.casefold(), p.role), p)
    first = members[0]
    digest = hashlib.sha256("\x00".join(sorted(r.source.event_id for r in members)).encode()).hexdigest()
    return MergedEvent(
        id=f"m{digest[:10]}",
        type=first.type,
        claim=first.claim,
        actors=_union(a for r in members for a in r.actors),
        recipients=_union(a for r in members for a in r.recipients),
        weapons=_union(a for r in members for a in r.weapons),
        quantities=_union(a for r in members for a in r.quantities),
        places=tuple(places.values()),
        start=min(i[0] for i in intervals).isoformat() if intervals else None,
        end=max(i[1] for i in intervals).isoformat() if intervals else None,
        sources=tuple(r.source for r in members),
    )


def place_mentions(rows: Any) -> tuple[PlaceMentions, ...]:
    """Count the resolved toponyms of a corpus table per place (most mentioned first).

    Toponyms without coordinates (unresolved) and demonyms ("Russian": ``found_by == "rule"`` with
    ``ner_label == "NORP"``) are not counted: an adjective is country context, not a mention of a place.

    Examples
    --------
    >>> rows = [{"kind": "toponym", "doc_id": d, "name": "Kyiv", "lat": 50.45, "lon": 30.52,
    ...          "feature": "city", "country_code": "UA", "gazetteer_id": "geonames:703448",
    ...          "sentence": "In Kyiv."} for d in "aab"]
    >>> [(p.name, p.mentions, p.documents) for p in place_mentions(rows)]
    [('Kyiv', 3, ('a', 'b'))]
    """
    counts: dict[str, dict[str, Any]] = {}
    for r in as_records(rows):
        lat, lon = _number(r.get("lat")), _number(r.get("lon"))
        if r.get("kind") != "toponym" or lat is None or lon is None:
            continue
        if r.get("found_by") == "rule" and r.get("ner_label") == "NORP":
            continue
        name = _text(r.get("name")) or _text(r.get("text")) or "?"
        key = _text(r.get("gazetteer_id")) or f"name:{name.casefold()}"
        entry = counts.setdefault(
            key,
            {
                "name": name,
                "lat": lat,
                "lon": lon,
                "feature": _text(r.get("feature")),
                "country_code": _text(r.get("country_code")),
                "gazetteer_id": _text(r.get("gazetteer_id")),
                "mentions": 0,
                "documents": {},
                "example": _text(r.get("sentence")),
            },
        )
        entry["mentions"] += 1
        entry["documents"].setdefault(str(r.get("doc_id")), None)
    out = [PlaceMentions(**{**v, "documents": tuple(v["documents"])}) for v in counts.values()]
    out.sort(key=lambda p: (-p.mentions, p.name))
    return tuple(out)
