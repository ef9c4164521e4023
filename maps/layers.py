"""From an :class:`~geo.model.Analysis` to layer specifications: what to draw, how, and with which
provenance — independent of folium, so the HTML map and the GeoJSON/KML exports draw the same things.

Every feature carries its GeoJSON geometry (``[lon, lat]``), its Leaflet form (``(lat, lon)``), a style,
an escaped tooltip and popup, and plain properties for export.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from geo.areas import AREA_FEATURES, label_point
from geo.frames import event_anchor
from geo.geodesy import destination, distance_km, ring_geojson, ring_map_form, ring_map_outline
from geo.model import Analysis, Document, Event, EventPlace, LatLon, Ring

from .escape import esc, highlight

__all__ = [
    "CERTAIN",
    "EVENT_COLORS",
    "EVENT_SYMBOLS",
    "FEATURE_COLORS",
    "LAYER_TITLES",
    "RING_COLORS",
    "Feature",
    "bounds",
    "build_features",
    "certainty",
]

#: Layer keys in drawing order, with their titles in the layer control.
LAYER_TITLES = {
    "areas": "Countries and regions mentioned",
    "rings": "Range rings",
    "routes": "Routes",
    "places": "Places",
    "events": "Events",
}
FEATURE_COLORS = {
    "city": "#1f4e79",
    "site": "#b2182b",
    "admin1": "#6a3d9a",
    "admin2": "#6a3d9a",
    "country": "#e08214",
    "region": "#2c7fb8",
    "water": "#2c7fb8",
}
EVENT_COLORS = {
    "ARMS_TRANSFER": "#d95f02",
    "WEAPONS_TEST": "#c51b7d",
    "DEPLOYMENT": "#7570b3",
    "STRIKE": "#a50026",
    "STATEMENT": "#555555",
    "ACCUSE": "#1b9e77",
    "THREATEN": "#b8860b",
    "SANCTION": "#4d9221",
}
EVENT_SYMBOLS = {
    "ARMS_TRANSFER": "⇄",
    "WEAPONS_TEST": "✦",
    "DEPLOYMENT": "▲",
    "STRIKE": "✸",
    "STATEMENT": "❝",
    "ACCUSE": "!",
    "THREATEN": "⚠",
    "SANCTION": "⊘",
}
RING_COLORS = {"CRBM": "#fdae61", "SRBM": "#f46d43", "MRBM": "#d73027", "IRBM": "#a50026", "ICBM": "#67001f"}
#: Vertices of a ring's outline on the map (every 1° of bearing; the GeoJSON export keeps the default 720).
_MAP_VERTICES = 360
#: Factuality statuses drawn as certain (solid); the rest are drawn dashed.
CERTAIN = frozenset({"asserted", "reported"})


def certainty(status: str) -> str:
    """How an event badge is drawn: ``asserted`` (filled), ``reported`` (outlined) or ``uncertain`` (dashed).

    Examples
    --------
    >>> [certainty(s) for s in ("asserted", "reported", "alleged", "planned", "denied")]
    ['asserted', 'reported', 'uncertain', 'uncertain', 'uncertain']
    """
    return status if status in ("asserted", "reported") else "uncertain"


@dataclass(frozen=True, slots=True)
class Feature:
    """One drawable thing.

    ``kind`` is ``point``, ``badge`` (an event symbol, drawn at ``style["offset"]`` pixels from its point),
    ``tray`` (the frame of a group of badges), ``label``, ``polygon``, ``outline``, ``line`` or ``listed``
    (an event with no place: no geometry, shown in the events panel and exports only).
    """

    layer: str
    kind: str
    geometry: dict[str, Any]
    latlngs: Any
    style: dict[str, Any]
    tooltip: str
    popup: str
    properties: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    #: whether the initial view must show it (a place no event involves may fall outside)
    focus: bool = True


def _sentence_html(doc: Document, start: int, end: int) -> str:
    span = doc.sentence_at(start)
    if span is None:
        return esc(doc.text[start:end])
    s0, s1 = span
    return highlight(doc.text[s0:s1], start - s0, end - s0)


def _point(p: LatLon) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [p.lon, p.lat]}


def _place_features(analysis: Analysis) -> list[Feature]:
    doc = analysis.document
    out: list[Feature] = []
    in_events = {p.gazetteer_id for e in analysis.events for p in e.places if p.gazetteer_id}
    in_events |= {p.name for e in analysis.events for p in e.places}
    for place in analysis.places:
        focus = place.gazetteer_id in in_events or place.name in in_events
        color = FEATURE_COLORS.get(place.feature, "#333333")
        mentions = "".join(f"<li>{_sentence_html(doc, m.start, m.end)}</li>" for m in place.mentions[:5])
        more = f"<li>… {len(place.mentions) - 5} more</li>" if len(place.mentions) > 5 else ""
        precision = (
            "the whole country/region (no specific place named)"
            if place.feature in ("country", "region", "water")
            else place.feature
        )
        popup = (
            f"<b>{esc(place.name)}</b> <small>{esc(place.feature)}"
            f"{', ' + esc(place.country_code) if place.country_code else ''}</small><br>"
            f"<small>precision: {esc(precision)} · gazetteer id {esc(place.gazetteer_id)} · "
            f"{place.lat:.4f}, {place.lon:.4f}</small>"
            f"<ol class='sitmap-evidence'>{mentions}{more}</ol>"
        )
        ranges = "".join(
            f"<br><small>{distance_km(ring.center, place.latlon):,.0f} km from the centre of the "
            f"{esc(ring.label)} ring ({esc(ring.center_name)}): "
            f"{'inside' if distance_km(ring.center, place.latlon) <= ring.km else 'outside'}"
            "</small>"
            for ring in analysis.rings
            if place.area is None
        )
        popup = popup.replace("<ol class='sitmap-evidence'>", f"{ranges}<ol class='sitmap-evidence'>", 1)
        tooltip = f"{esc(place.name)} <small>({esc(place.feature)}, {len(place.mentions)}×)</small>"
        props = {
            "layer": "places",
            "name": place.name,
            "feature": place.feature,
            "country_code": place.country_code,
            "gazetteer_id": place.gazetteer_id,
            "mentions": len(place.mentions),
            "sentence": doc.text[slice(*(doc.sentence_at(place.mentions[0].start) or (0, 0)))]
            if place.mentions
            else "",
        }
        if place.area is not None:
            out.append(
                Feature(
                    layer="areas",
                    kind="polygon",
                    geometry=dict(place.area),
                    latlngs=place.area,
                    style={
                        "color": color,
                        "weight": 1,
                        "opacity": 0.7,
                        "fillColor": color,
                        "fillOpacity": 0.1,
                    },
                    tooltip=tooltip,
                    popup=popup,
                    properties={**props, "layer": "areas"},
                )
            )
            label_at = label_point(place.area) or place.latlon
            # the area's name at its representative point: a label, not a pin (a small territory such as
            # Guam is invisible as an area at a continental zoom)
            out.append(
                Feature(
                    layer="areas",
                    kind="label",
                    geometry=_point(label_at),
                    latlngs=label_at,
                    style={"color": "#7a4a12", "cls": "sitmap-area-label"},
                    tooltip="",
                    popup="",
                    properties={**props, "layer": "areas", "kind": "label"},
                    label=place.name,
                )
            )
            continue
        if place.feature in ("country", "region", "water"):
            style = {"radius": 14, "color": color, "weight": 1.5, "dashArray": "4 3", "fillOpacity": 0.08}
        else:
            style = {
                "radius": 6 if place.feature == "site" else 5,
                "color": "#ffffff",
                "weight": 1.5,
                "fillColor": color,
                "fillOpacity": 0.95,
            }
        out.append(
            Feature(
                layer="places",
                kind="point",
                geometry=_point(place.latlon),
                latlngs=place.latlon,
                style=style,
                tooltip=tooltip,
                popup=popup,
                properties=props,
                label=place.name,
                focus=focus,
            )
        )
    return out


def _event_popup(doc: Document, event: Event) -> str:
    f = event.factuality
    actors = ", ".join(f"{a.name}" for a in event.actors) or "—"
    recips = ", ".join(f"{a.name}" for a in event.recipients) or "—"
    rows = [
        f"<b>{esc(event.type.replace('_', ' ').title())}</b> <small>PLOVER {esc(event.plover)}"
        f"{' / ' + esc(event.plover_mode) if event.plover_mode else ''} · {esc(event.id)}</small>",
        f"<div><b>{esc(f.status)}</b>"
        f"{' — cues: ' + esc(', '.join(f.cues)) if f.cues else ''}"
        f"{' — speaker: ' + esc(f.speaker) if f.speaker else ''}</div>",
        f"<div>{esc(actors)} → {esc(recips)}</div>",
    ]
    if event.weapon:
        w = event.weapon
        rows.append(
            f"<div>weapon: {esc(w.text)}{' (' + esc(w.weapon_class) + ')' if w.weapon_class else ''}"
            f"{' — system ' + esc(w.system) if w.system else ''}</div>"
        )
    if event.quantities:
        rows.append("<div>quantities: " + esc("; ".join(q.text for q in event.quantities)) + "</div>")
    if event.time.text:
        rows.append(
            f"<div>time: {esc(event.time.text)} ({esc(event.time.start or '…')} – "
            f"{esc(event.time.end or '…')}){' — date ambiguous' if event.time.ambiguous else ''}</div>"
        )
    places = "".join(
        f"<li>{esc(p.role)}: {esc(p.name)} <small>({esc(p.precision)}; {esc(p.link_method)}: "
        f"{esc(p.link_reason)})</small></li>"
        for p in event.places
    )
    if places:
        rows.append(f"<ul>{places}</ul>")
    evidence = "".join(f"<li>{esc(e.sentence)}</li>" for e in event.evidence)
    rows.append(f"<ol class='sitmap-evidence'>{evidence}</ol>")
    return "".join(rows)


_AREA_PRECISIONS = AREA_FEATURES
#: Badge size and gap in CSS pixels; a group holds at most this many badges per row.
BADGE_PX, BADGE_GAP, BADGE_COLS = 22, 3, 3
_DIRECTIONS = (  # unit vectors (east, north) in order of preference for placing a badge group
    ("up", 0.0, 1.0),
    ("right", 1.0, 0.0),
    ("down", 0.0, -1.0),
    ("left", -1.0, 0.0),
    ("up-left", -0.7071, 0.7071),
    ("up-right", 0.7071, 0.7071),
    ("down-left", -0.7071, -0.7071),
    ("down-right", 0.7071, -0.7071),
)


def _obstacles(analysis: Analysis) -> list[LatLon]:
    """Points a badge group should not cover: specific places (and their labels, east of them) and the
    first kilometres of every route."""
    pts: list[LatLon] = []
    for place in analysis.places:
        if place.area is None and place.feature not in ("country", "region", "water"):
            pts.append(place.latlon)
            pts.extend(LatLon(place.lat, place.lon + d) for d in (1.5, 3.0))  # the label
    for route in analysis.routes:
        for leg in route.legs:
            pts.extend(leg.path[:: max(1, len(leg.path) // 20)])
    return pts


def _direction(at: LatLon, obstacles: Sequence[LatLon], taken: set[tuple[float, float, str]]) -> str:
    """The side of ``at`` (up, left, …) with the fewest nearby obstacles, weighted by closeness."""
    coslat = max(0.2, math.cos(math.radians(at.lat)))
    best, best_score = _DIRECTIONS[0][0], math.inf
    for rank, (name, ux, uy) in enumerate(_DIRECTIONS):
        score = rank * 1e-3 + (5.0 if (round(at.lat, 3), round(at.lon, 3), name) in taken else 0.0)
        for p in obstacles:
            dx, dy = (p.lon - at.lon) * coslat, p.lat - at.lat
            d = math.hypot(dx, dy)
            if 1e-6 < d < 12.0 and (dx * ux + dy * uy) / d > 0.35:
                score += 1.0 / d
        if score < best_score:
            best, best_score = name, score
    return best


def _group_layout(
    n: int, direction: str, caption: int
) -> tuple[tuple[int, int], list[tuple[int, int]], int, int]:
    """Pixel layout of a group of ``n`` badges on the ``direction`` side of its point, under a caption of
    ``caption`` characters (0: none).

    Returns the tray's top-left offset from the point, each badge's top-left offset, and the tray size.
    """
    cols = min(n, BADGE_COLS)
    rows = -(-n // cols)
    step = BADGE_PX + BADGE_GAP
    head = 15 if caption else 0
    width, height = cols * step + BADGE_GAP + 2, rows * step + BADGE_GAP + 2 + head
    if caption:
        width = max(width, 10 + (11 * caption) // 2)
    gap = 14
    ox = {"left": -gap - width, "right": gap}.get(direction.split("-")[-1], -width // 2)
    oy = {"up": -gap - height, "down": gap}.get(direction.split("-")[0], -height // 2)
    if "-" in direction:
        ox = -gap - width if direction.endswith("left") else gap
        oy = -gap - height if direction.startswith("up") else gap
    left = (width - cols * step + BADGE_GAP) // 2  # badges centred under the caption
    badges = [
        (ox + left + (i % cols) * step, oy + head + BADGE_GAP + 1 + (i // cols) * step) for i in range(n)
    ]
    return (ox, oy), badges, width, height


def _event_summary(event: Event) -> dict[str, Any]:
    anchor = event_anchor(event)
    return {
        "layer": "events",
        "event_id": event.id,
        "type": event.type,
        "plover": event.plover,
        "factuality": event.factuality.status,
        "speaker": event.factuality.speaker,
        "anchor_role": anchor.role if anchor else None,
        "anchor": anchor.name if anchor else None,
        "precision": anchor.precision if anchor else None,
        "places": [f"{p.role}: {p.name}" for p in event.places],
        "sentence": event.evidence[0].sentence if event.evidence else "",
    }


def _event_features(analysis: Analysis) -> list[Feature]:
    """Event badges, grouped by the place they are anchored at and laid out beside it; events with no
    place become ``listed`` features (no geometry: they appear in the events panel and exports)."""
    out: list[Feature] = []
    groups: dict[tuple[float, float], list[tuple[Event, EventPlace]]] = {}
    for event in analysis.events:
        anchor = event_anchor(event)
        if anchor is None or anchor.latlon is None:
            out.append(
                Feature(
                    layer="events",
                    kind="listed",
                    geometry={},
                    latlngs=None,
                    style={
                        "color": EVENT_COLORS.get(event.type, "#333333"),
                        "certainty": certainty(event.factuality.status),
                        "symbol": EVENT_SYMBOLS.get(event.type, "?"),
                    },
                    tooltip="",
                    popup=_event_popup(analysis.document, event),
                    properties=_event_summary(event),
                    label=event.type,
                )
            )
            continue
        key = (round(anchor.latlon.lat, 3), round(anchor.latlon.lon, 3))
        groups.setdefault(key, []).append((event, anchor))
    obstacles = _obstacles(analysis)
    taken: set[tuple[float, float, str]] = set()
    for members in groups.values():
        at = members[0][1].latlon
        assert at is not None
        area = members[0][1].precision in _AREA_PRECISIONS
        direction = _direction(at, obstacles, taken)
        taken.add((round(at.lat, 3), round(at.lon, 3), direction))
        where = members[0][1].name
        caption = f"{where} ({members[0][1].precision}-level)" if area else ""
        tray, offsets, width, height = _group_layout(len(members), direction, len(caption))
        out.append(
            Feature(
                layer="events",
                kind="tray",
                geometry={},
                latlngs=at,
                style={"offset": tray, "width": width, "height": height, "area": area},
                tooltip="",
                popup="",
                properties={"layer": "events", "kind": "tray", "events": len(members)},
                label=caption,
            )
        )
        for (event, anchor), offset in zip(members, offsets, strict=True):
            color = EVENT_COLORS.get(event.type, "#333333")
            level = f"{anchor.precision}-level: no specific place" if area else f"{anchor.precision}"
            tooltip = (
                f"{esc(EVENT_SYMBOLS.get(event.type, '?'))} {esc(event.type.replace('_', ' ').lower())} "
                f"<small>({esc(event.factuality.status)}"
                f"{'; ' + esc(event.factuality.speaker) if event.factuality.speaker else ''}; "
                f"{esc(anchor.role.replace('_', ' '))} {esc(anchor.name)}, {esc(level)})</small>"
            )
            out.append(
                Feature(
                    layer="events",
                    kind="badge",
                    geometry=_point(at),
                    latlngs=at,
                    style={
                        "color": color,
                        "certainty": certainty(event.factuality.status),
                        "symbol": EVENT_SYMBOLS.get(event.type, "?"),
                        "offset": offset,
                        "precision": anchor.precision,
                    },
                    tooltip=tooltip,
                    popup=_event_popup(analysis.document, event),
                    properties=_event_summary(event),
                    label=event.type,
                )
            )
    order = {e.id: i for i, e in enumerate(analysis.events)}
    trays = [f for f in out if f.kind == "tray"]
    rest = sorted((f for f in out if f.kind != "tray"), key=lambda f: order[f.properties["event_id"]])
    return trays + rest


def _ring_popup(analysis: Analysis, ring: Ring) -> str:
    rows = [
        f"<b>{esc(ring.label)}</b>",
        f"<div>centre: {esc(ring.center_name)} ({ring.center.lat:.3f}, {ring.center.lon:.3f})"
        f"{' — assumed' if ring.center_assumed else ''}</div>",
        f"<div><small>{esc(ring.note)}</small></div>",
        f"<div><small>source: {esc(ring.source)}</small></div>",
    ]
    if ring.reach:
        cells = "".join(
            f"<tr><td>{esc(v.target)}{' *' if v.claimed else ''}</td><td>{esc(v.verdict)}</td>"
            f"<td style='text-align:right'>{v.distance_km:,.0f} km</td>"
            f"<td style='text-align:right'>{v.margin_km:+,.0f} km</td></tr>"
            for v in ring.reach
        )
        rows.append(
            "<table class='sitmap-reach'><tr><th>target</th><th>in reach</th><th>distance</th>"
            "<th>margin</th></tr>"
            f"{cells}</table><small>* claimed in the text to be in reach</small>"
        )
    event = next((e for e in analysis.events if e.id == ring.event_id), None)
    if event is not None and event.evidence:
        rows.append(
            "<ol class='sitmap-evidence'>"
            + "".join(f"<li>{esc(e.sentence)}</li>" for e in event.evidence)
            + "</ol>"
        )
    return "".join(rows)


def _ring_features(analysis: Analysis) -> list[Feature]:
    out: list[Feature] = []
    for ring in analysis.rings:
        color = RING_COLORS.get(ring.weapon_class or "", "#d73027")
        polys = ring_map_form(ring.center, ring.km, n=_MAP_VERTICES)
        label = ring.label
        props = {
            "layer": "rings",
            "label": label,
            "center": [ring.center.lat, ring.center.lon],
            "center_name": ring.center_name,
            "center_assumed": ring.center_assumed,
            "km": ring.km,
            "system": ring.system,
            "class": ring.weapon_class,
            "source": ring.source,
            "event_id": ring.event_id,
        }
        out.append(
            Feature(
                layer="rings",
                kind="polygon",
                geometry=ring_geojson(ring.center, ring.km),
                latlngs=polys,
                # the fill has no stroke: its closing edges along the poles and the world's edge are not
                # the ring; the true outline is drawn separately
                style={"stroke": False, "fillColor": color, "fillOpacity": 0.08},
                tooltip=f"{esc(label)} <small>from {esc(ring.center_name)}</small>",
                popup=_ring_popup(analysis, ring),
                properties=props,
                label=label,
            )
        )
        for line in ring_map_outline(ring.center, ring.km, n=_MAP_VERTICES):
            out.append(
                Feature(
                    layer="rings",
                    kind="outline",
                    geometry={},
                    latlngs=line,
                    style={"color": color, "weight": 2, "dashArray": "6 4" if ring.center_assumed else None},
                    tooltip=f"{esc(label)} <small>from {esc(ring.center_name)}</small>",
                    popup="",
                    properties={**props, "kind": "outline"},
                    label=label,
                )
            )
        # a label under the centre, for views where the outline is far away (long-range rings)
        out.append(
            Feature(
                layer="rings",
                kind="label",
                geometry=_point(ring.center),
                latlngs=ring.center,
                style={"color": color, "cls": "sitmap-ring-label centre"},
                tooltip="",
                popup="",
                properties={**props, "layer": "rings", "kind": "label"},
                label=f"{label} ring from {ring.center_name}{' (assumed)' if ring.center_assumed else ''}",
            )
        )
        # permanent labels on the outline at five bearings from the centre, so some show in any view (the
        # longitude stays continuous with the centre's, like the outline drawn on the map)
        for az in (45, 135, 180, 225, 315):
            pt = destination(ring.center, float(az), ring.km)
            if abs(pt.lat) >= 80:
                continue
            out.append(
                Feature(
                    layer="rings",
                    kind="label",
                    geometry=_point(pt),
                    latlngs=pt,
                    style={"color": color, "cls": "sitmap-ring-label"},
                    tooltip="",
                    popup="",
                    properties={**props, "layer": "rings", "kind": "label"},
                    label=label,
                )
            )
    return out


def _halfway(pts: Sequence[LatLon], total_km: float) -> LatLon:
    """The vertex of a path closest to half its length."""
    run = 0.0
    for a, b in itertools.pairwise(pts):
        run += distance_km(a, b)
        if run >= total_km / 2:
            return b
    return pts[-1]


def _route_features(analysis: Analysis) -> list[Feature]:
    out: list[Feature] = []
    for route in analysis.routes:
        event = next((e for e in analysis.events if e.id == route.event_id), None)
        certain = event is None or event.factuality.status in CERTAIN
        color = EVENT_COLORS.get(event.type if event else "ARMS_TRANSFER", "#d95f02")
        for i, leg in enumerate(route.legs):
            pts = list(leg.path)
            dist = sum(distance_km(a, b) for a, b in itertools.pairwise(pts))
            tip = (
                f"{esc(route.label)}<br><small>{esc(leg.start_name)} → {esc(leg.end_name)} · {esc(leg.mode)}"
                f" · {dist:,.0f} km{' · schematic' if leg.schematic else ''}"
                f"{' · ' + esc(route.quantity) if route.quantity else ''}</small>"
            )
            popup = tip
            if event is not None:
                popup += (
                    "<ol class='sitmap-evidence'>"
                    + "".join(f"<li>{esc(e.sentence)}</li>" for e in event.evidence)
                    + "</ol>"
                )
            out.append(
                Feature(
                    layer="routes",
                    kind="line",
                    geometry={"type": "LineString", "coordinates": [[p.lon, p.lat] for p in pts]},
                    latlngs=pts,
                    style={
                        "color": color,
                        "weight": 3,
                        "opacity": 0.9,
                        "dashArray": "8 6" if (leg.schematic or not certain) else None,
                    },
                    tooltip=tip,
                    popup=popup,
                    properties={
                        "layer": "routes",
                        "label": route.label,
                        "leg": i,
                        "from": leg.start_name,
                        "to": leg.end_name,
                        "mode": leg.mode,
                        "schematic": leg.schematic,
                        "quantity": route.quantity,
                        "event_id": route.event_id,
                        "km": round(dist, 1),
                    },
                    label=route.label,
                )
            )
            if len(pts) >= 2:
                # long legs are labelled at their middle, short ones beside their end, on the side they go
                short = dist < 1500
                at = pts[-1] if short else _halfway(pts, dist)
                side = ("left" if pts[-1].lon < pts[0].lon else "right") if short else "above"
                cargo = route.label.split(": ", 1)[-1]
                lines = [cargo]
                if route.quantity:
                    q = route.quantity
                    lines.append(q if len(q) <= 48 else q[:47].rsplit(" ", 1)[0] + " …")
                mode = "mode not stated" if leg.mode == "unspecified" else f"by {leg.mode}"
                lines.append(mode + (" · schematic path" if leg.schematic else ""))
                out.append(
                    Feature(
                        layer="routes",
                        kind="label",
                        geometry=_point(at),
                        latlngs=at,
                        style={"color": color, "cls": f"sitmap-route-label {side}"},
                        tooltip="",
                        popup="",
                        properties={"layer": "routes", "kind": "label", "leg": i, "event_id": route.event_id},
                        label="\n".join(lines),
                    )
                )
    return out


def _merge_labels(features: list[Feature], *, within_deg: float = 4.0) -> list[Feature]:
    """Route labels closer than ``within_deg`` to an earlier one join it (one block of text, no overlap)."""
    out: list[Feature] = []
    for f in features:
        if f.kind == "label":
            near = next(
                (
                    i
                    for i, g in enumerate(out)
                    if g.kind == "label"
                    and abs(g.latlngs.lat - f.latlngs.lat) < within_deg
                    and abs(g.latlngs.lon - f.latlngs.lon) < within_deg
                ),
                None,
            )
            if near is not None:
                g = out[near]
                out[near] = replace(g, label=f"{g.label}\n{f.label}")
                continue
        out.append(f)
    return out


def build_features(analysis: Analysis) -> list[Feature]:
    """All features of ``analysis`` in drawing order (areas, rings, routes, places, events)."""
    return [
        *_place_features(analysis),
        *_ring_features(analysis),
        *_merge_labels(_route_features(analysis)),
        *_event_features(analysis),
    ]


def bounds(features: Sequence[Feature]) -> tuple[LatLon, LatLon] | None:
    """South-west and north-east corners framing the points, lines and rings of ``features``.

    A ring counts by its centre only: rings of long-range systems span continents, and the briefing is
    about the places and routes (every ring carries labels around its outline). Places no event involves
    (``focus`` false) count only when nothing else does.
    """
    pts: list[LatLon] = []
    others: list[LatLon] = []
    for f in features:
        if f.kind == "point" and not f.focus:
            others.append(f.latlngs)
        elif f.kind in ("point", "badge") and f.layer != "areas":
            pts.append(f.latlngs)
        elif f.kind == "line":
            pts.extend(f.latlngs)
        elif f.kind == "polygon" and f.layer == "rings":
            pts.append(LatLon(f.properties["center"][0], f.properties["center"][1]))
    pts = pts or others
    if not pts:
        return None
    lats = [p.lat for p in pts]
    lons = [p.lon for p in pts]
    return LatLon(min(lats), min(lons)), LatLon(max(lats), max(lons))
