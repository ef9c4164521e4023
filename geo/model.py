"""Frozen dataclasses handed from one stage of the pipeline to the next.

Coordinates inside sitmap are always ``(lat, lon)`` (:class:`LatLon`); ``[lon, lat]`` appears only where
GeoJSON is written and lon-first only at pyproj calls.

Examples
--------
>>> t = Toponym(start=0, end=5, text="Seoul", name="Seoul", lat=37.566, lon=126.978,
...             country_code="KR", feature="city", gazetteer_id="gn:1835848")
>>> t.latlon
LatLon(lat=37.566, lon=126.978)
>>> t.to_dict()["gazetteer_id"]
'gn:1835848'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "EVENT_TYPES",
    "FACTUALITY",
    "FEATURES",
    "PLACE_ROLES",
    "PRECISIONS",
    "Actor",
    "Analysis",
    "Dateline",
    "Document",
    "Event",
    "EventPlace",
    "EventTime",
    "Evidence",
    "Factuality",
    "LatLon",
    "Mention",
    "Place",
    "Quantity",
    "ReachVerdict",
    "Ring",
    "Route",
    "RouteLeg",
    "Toponym",
    "Weapon",
]

#: Feature classes a toponym or place can have.
FEATURES = ("country", "admin1", "admin2", "city", "site", "region", "water", "continent")
#: Event types (PLOVER-aligned; see ``Event.plover``).
EVENT_TYPES = (
    "ARMS_TRANSFER",
    "WEAPONS_TEST",
    "DEPLOYMENT",
    "STRIKE",
    "STATEMENT",
    "ACCUSE",
    "THREATEN",
    "SANCTION",
)
#: Roles a place can play in an event.
PLACE_ROLES = ("origin", "destination", "via", "launch_site", "target", "event_site", "statement_site")
#: How precisely an event place is known (ACLED-style, coarsest last).
PRECISIONS = ("site", "city", "admin", "country", "region")
#: Factuality of an event as told by the text.
FACTUALITY = ("asserted", "reported", "alleged", "possible", "planned", "considering", "denied")


class LatLon(NamedTuple):
    """A point as ``(lat, lon)`` in degrees (WGS84)."""

    lat: float
    lon: float


def _plain(obj: Any) -> Any:
    """Convert dataclasses, tuples and mappings to JSON-ready values (recursively)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        to_dict = getattr(obj, "to_dict", None)
        if to_dict is not None:
            return to_dict()
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, LatLon):
        return {"lat": obj.lat, "lon": obj.lon}
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    return obj


def _fields_dict(obj: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


@dataclass(frozen=True, slots=True)
class Dateline:
    """The dateline of a wire story, e.g. ``11-1-2024 (SEOUL)``.

    ``date`` is the reading chosen (ISO 8601), ``alternatives`` the other readings of an ambiguous
    numeric date, ``reason`` how the choice was made. The dateline place is where the report was
    filed (a statement site), not where events happened.
    """

    raw: str
    start: int
    end: int
    place: str | None = None
    date: str | None = None
    alternatives: tuple[str, ...] = ()
    ambiguous: bool = False
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Document:
    """The decoded article text and what is known about it before NLP.

    ``sentences`` are ``(start, end)`` character offsets into ``text``; every drawn element points
    back to one of them.
    """

    text: str
    source: str | None = None
    title: str | None = None
    dateline: Dateline | None = None
    sentences: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """Return the ``(start, end)`` of the sentence holding character ``offset``."""
        for start, end in self.sentences:
            if start <= offset < end:
                return (start, end)
        return None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Toponym:
    """One mention of a place in the text, with its resolution (or ``None`` fields if unresolved).

    ``start``/``end`` are character offsets into the decoded text (end exclusive), so
    ``text == document.text[start:end]``. ``source`` says how the mention was found
    (``ner``, ``gazetteer`` or ``rule``), ``score`` how sure the resolution is (0-1) and
    ``resolution`` why this candidate won.
    """

    start: int
    end: int
    text: str
    name: str | None
    lat: float | None
    lon: float | None
    country_code: str | None
    feature: str | None
    gazetteer_id: str | None
    source: str = "gazetteer"
    score: float = 0.0
    resolution: str = ""
    ner_label: str | None = None

    @property
    def latlon(self) -> LatLon | None:
        if self.lat is None or self.lon is None:
            return None
        return LatLon(self.lat, self.lon)

    @property
    def resolved(self) -> bool:
        return self.gazetteer_id is not None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Place:
    """A distinct resolved place of the document with every mention of it."""

    gazetteer_id: str
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature: str
    mentions: tuple[Mention, ...] = ()
    population: int | None = None
    #: GeoJSON geometry of the area a country- or region-level mention stands for (simplified), if known
    area: Mapping[str, Any] | None = None

    @property
    def latlon(self) -> LatLon:
        return LatLon(self.lat, self.lon)

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor or recipient of an event: a name and, when known, its country."""

    name: str
    country_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Weapon:
    """The weapon of an event: the text, its class (CRBM, SRBM, ..., ``artillery shells``) and the
    catalogue system when one is named."""

    text: str
    weapon_class: str | None = None
    system: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "class": self.weapon_class, "system": self.system}


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount from the text ("2 million rounds", "about 5,000 containers", "$1,000 each")."""

    text: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    approximate: bool = False
    per_unit_price: float | None = None
    currency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class EventPlace:
    """A place linked to an event in a role, with how precisely it is known and how it was linked."""

    role: str
    name: str
    lat: float | None
    lon: float | None
    country_code: str | None
    precision: str
    gazetteer_id: str | None
    link_method: str
    link_reason: str
    start: int | None = None
    end: int | None = None

    @property
    def latlon(self) -> LatLon | None:
        if self.lat is None or self.lon is None:
            return None
        return LatLon(self.lat, self.lon)

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class EventTime:
    """When an event happened or is expected, as far as the text says."""

    text: str | None = None
    start: str | None = None
    end: str | None = None
    precision: str | None = None
    ambiguous: bool = False

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Factuality:
    """Whether the text asserts the event, reports it, calls it possible, planned, ..."""

    status: str = "asserted"
    cues: tuple[str, ...] = ()
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence (character offsets into the document) that supports an event."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class ReachVerdict:
    """Whether a target (a place, a country or a region) lies within a ring.

    ``verdict`` is ``inside`` (all of it), ``partly`` or ``outside``; ``distance_km`` is the geodesic
    distance from the ring centre to the nearest part of the target (to the point for a place),
    ``far_km`` to its farthest part, ``margin_km`` the ring radius minus ``distance_km`` (negative:
    short by that much).
    """

    target: str
    target_id: str | None
    kind: str
    verdict: str
    distance_km: float
    far_km: float
    margin_km: float
    claimed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, with what, where and how sure (PLOVER-aligned)."""

    id: str
    type: str
    plover: str
    plover_mode: str | None = None
    trigger: str | None = None
    actors: tuple[Actor, ...] = ()
    recipients: tuple[Actor, ...] = ()
    weapon: Weapon | None = None
    quantity: Quantity | None = None
    quantities: tuple[Quantity, ...] = ()
    places: tuple[EventPlace, ...] = ()
    time: EventTime = field(default_factory=EventTime)
    factuality: Factuality = field(default_factory=Factuality)
    evidence: tuple[Evidence, ...] = ()
    #: for a test or deployment with a range ring: which targets the ring reaches (claimed ones flagged)
    reach: tuple[ReachVerdict, ...] = ()

    def places_in_role(self, role: str) -> tuple[EventPlace, ...]:
        return tuple(p for p in self.places if p.role == role)

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Ring:
    """A range ring: everything within ``km`` (geodesic, WGS84) of ``center``.

    The ring is a specification; :mod:`geo.geodesy` computes its outline. ``center_assumed`` is true
    when the text gives no launch site and the centre is a stand-in (e.g. the capital).
    """

    center: LatLon
    center_name: str
    km: float
    system: str | None = None
    weapon_class: str | None = None
    source: str | None = None
    event_id: str | None = None
    center_assumed: bool = False
    note: str = ""
    reach: tuple[ReachVerdict, ...] = ()

    @property
    def label(self) -> str:
        what = self.system or self.weapon_class or "range"
        return f"{what} {self.km:,.0f} km"

    def to_dict(self) -> dict[str, Any]:
        d = _fields_dict(self)
        d["label"] = self.label
        return d


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """One leg of a route, drawn from ``path[0]`` to ``path[-1]`` in the direction of travel."""

    start_name: str
    end_name: str
    mode: str
    path: tuple[LatLon, ...]
    schematic: bool = False

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Route:
    """A transfer route from an event: legs in order, with the quantity carried."""

    legs: tuple[RouteLeg, ...]
    label: str
    event_id: str | None = None
    quantity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything sitmap knows about one document; the only input of :mod:`maps`."""

    document: Document
    toponyms: tuple[Toponym, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    rings: tuple[Ring, ...] = ()
    routes: tuple[Route, ...] = ()
    warnings: tuple[str, ...] = ()
    versions: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)

    def to_geodataframe(self) -> Any:
        """Every layer as a :class:`geopandas.GeoDataFrame` (EPSG:4326), one row per feature."""
        from .frames import to_geodataframe

        return to_geodataframe(self)

    def _repr_html_(self) -> str:
        """Notebook display: the map once :mod:`maps` is imported (it registers a renderer), else text."""
        from .display import repr_html

        return repr_html(self)
