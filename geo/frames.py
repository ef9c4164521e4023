"""An analysis as a :class:`geopandas.GeoDataFrame`: one row per feature of every layer, EPSG:4326.

Built from the :class:`~geo.model.Analysis` alone (``geo`` never imports :mod:`maps`): places (points),
areas (the country or region a mention stands for), events (at the place they are anchored to, or no
geometry when the text names none), range rings (polygons split at ±180°, RFC 7946 style) and route legs
(lines split at ±180°). geopandas is imported when a frame is built, not when this module is imported.

Examples
--------
>>> split_antimeridian([[170.0, 0.0], [190.0, 0.0]])
[[[170.0, 0.0], [180.0, 0.0]], [[-180.0, 0.0], [-170.0, 0.0]]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Analysis, Event, EventPlace

if TYPE_CHECKING:
    import geopandas

__all__ = ["ANCHOR_ROLES", "COLUMNS", "event_anchor", "split_antimeridian", "to_geodataframe"]

#: Roles of an event's places, in the order that decides where the event is drawn.
ANCHOR_ROLES = ("launch_site", "event_site", "target", "via", "origin", "destination", "statement_site")
#: The frame's columns besides ``geometry`` (missing values are ``None``).
COLUMNS = (
    "layer",
    "name",
    "feature",
    "country_code",
    "gazetteer_id",
    "mentions",
    "event_id",
    "type",
    "factuality",
    "speaker",
    "anchor_role",
    "precision",
    "sentence",
    "km",
    "system",
    "class",
    "center_name",
    "center_assumed",
    "leg",
    "from",
    "to",
    "mode",
    "schematic",
    "quantity",
)


def event_anchor(event: Event) -> EventPlace | None:
    """The located place an event is drawn at: the first role of :data:`ANCHOR_ROLES` with coordinates.

    Examples
    --------
    >>> from geo.model import Event
    >>> event_anchor(Event(id="e1", type="STATEMENT", plover="CONSULT")) is None
    True
    """
    for role in ANCHOR_ROLES:
        found = next((p for p in event.places if p.role == role and p.latlon is not None), None)
        if found is not None:
            return found
    return None


def _wrap(lon: float) -> float:
    return ((lon + 180.0) % 360.0) - 180.0


def split_antimeridian(coords: list[list[float]]) -> list[list[list[float]]]:
    """Split a line of ``[lon, lat]`` points with continuous longitudes at ±180° (RFC 7946 §3.1.9)."""
    parts: list[list[list[float]]] = [[]]
    for i, (lon, lat) in enumerate(coords):
        if i:
            plon, plat = coords[i - 1]
            k0, k1 = (plon + 180.0) // 360.0, (lon + 180.0) // 360.0
            if k0 != k1:
                edge = 180.0 + 360.0 * min(k0, k1)
                t = (edge - plon) / (lon - plon)
                mlat = plat + t * (lat - plat)
                east = 180.0 if lon > plon else -180.0
                parts[-1].append([east, round(mlat, 6)])
                parts.append([[-east, round(mlat, 6)]])
        parts[-1].append([round(_wrap(lon), 6) if abs(lon) > 180 else lon, lat])
    return [p for p in parts if len(p) >= 2]


def _rows(analysis: Analysis) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    from .geodesy import distance_km, ring_geojson

    doc = analysis.document
    rows: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for place in analysis.places:
        span = doc.sentence_at(place.mentions[0].start) if place.mentions else None
        props: dict[str, Any] = {
            "layer": "areas" if place.area is not None else "places",
            "name": place.name,
            "feature": place.feature,
            "country_code": place.country_code,
            "gazetteer_id": place.gazetteer_id,
            "mentions": len(place.mentions),
            "sentence": doc.text[span[0] : span[1]] if span else "",
        }
        point = {"type": "Point", "coordinates": [place.lon, place.lat]}
        rows.append((props, dict(place.area) if place.area is not None else point))
    for event in analysis.events:
        anchor = event_anchor(event)
        props = {
            "layer": "events",
            "name": event.type.replace("_", " ").lower(),
            "event_id": event.id,
            "type": event.type,
            "factuality": event.factuality.status,
            "speaker": event.factuality.speaker,
            "anchor_role": anchor.role if anchor else None,
            "precision": anchor.precision if anchor else None,
            "gazetteer_id": anchor.gazetteer_id if anchor else None,
            "country_code": anchor.country_code if anchor else None,
            "sentence": event.evidence[0].sentence if event.evidence else "",
        }
        geom: dict[str, Any] | None = None
        if anchor is not None and anchor.lat is not None and anchor.lon is not None:
            geom = {"type": "Point", "coordinates": [anchor.lon, anchor.lat]}
        rows.append((props, geom))
    for ring in analysis.rings:
        props = {
            "layer": "rings",
            "name": ring.label,
            "event_id": ring.event_id,
            "km": ring.km,
            "system": ring.system,
            "class": ring.weapon_class,
            "center_name": ring.center_name,
            "center_assumed": ring.center_assumed,
        }
        rows.append((props, ring_geojson(ring.center, ring.km)))
    for route in analysis.routes:
        for i, leg in enumerate(route.legs):
            coords = [[p.lon, p.lat] for p in leg.path]
            parts = split_antimeridian(coords)
            km = sum(distance_km(a, b) for a, b in zip(leg.path, leg.path[1:], strict=False))
            props = {
                "layer": "routes",
                "name": route.label,
                "event_id": route.event_id,
                "leg": i,
                "from": leg.start_name,
                "to": leg.end_name,
                "mode": leg.mode,
                "schematic": leg.schematic,
                "quantity": route.quantity,
                "km": round(km, 1),
            }
            if not parts:
                geom = None
            elif len(parts) == 1:
                geom = {"type": "LineString", "coordinates": parts[0]}
            else:
                geom = {"type": "MultiLineString", "coordinates": parts}
            rows.append((props, geom))
    return rows


def to_geodataframe(analysis: Analysis) -> geopandas.GeoDataFrame:
    """Every layer of ``analysis`` as a GeoDataFrame in EPSG:4326, one row per feature.

    Columns: :data:`COLUMNS` and ``geometry``; the ``layer`` column is ``places``, ``areas``, ``events``,
    ``rings`` or ``routes``. An event the text names no place for has no geometry (``None``).

    Examples
    --------
    >>> from geo.model import Analysis, Document
    >>> frame = to_geodataframe(Analysis(document=Document(text="", source="x")))
    >>> len(frame), frame.crs.to_epsg(), list(frame.columns[:2])
    (0, 4326, ['layer', 'name'])
    """
    import geopandas
    from shapely.geometry import shape

    rows = _rows(analysis)
    data = {col: [props.get(col) for props, _ in rows] for col in COLUMNS}
    geometry = [shape(g) if g else None for _, g in rows]
    return geopandas.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")
