"""From an :class:`~geo.model.Analysis` to layer specifications: what to draw, how, and with which
provenance — independent of folium, so the HTML map and the GeoJSON/KML exports draw the same things.

Every feature carries its GeoJSON geometry (``[lon, lat]``), its Leaflet form (``(lat, lon)``), a style,
an escaped tooltip and popup, and plain properties for export.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.geodesy import distance_km, ring_geojson, ring_map_form, ring_map_outline
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
#: Factuality statuses drawn as certain (solid); the rest are drawn dashed.
CERTAIN = frozenset({"asserted", "reported"})


@dataclass(frozen=True, slots=True)
class Feature:
    """One drawable thing.

    ``kind`` is ``point``, ``badge`` (an event symbol), ``label``, ``polygon`` or ``line``.
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
    for place in analysis.places:
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


def _event_features(analysis: Analysis) -> list[Feature]:
    out: list[Feature] = []
    seen: dict[tuple[float, float], int] = {}
    for event in analysis.events:
        color = EVENT_COLORS.get(event.type, "#333333")
        certain = event.factuality.status in CERTAIN
        popup = _event_popup(analysis.document, event)
        anchor: EventPlace | None = None
        for role in ("launch_site", "event_site", "target", "via", "origin", "destination", "statement_site"):
            anchor = next((p for p in event.places if p.role == role and p.latlon is not None), None)
            if anchor is not None:
                break
        if anchor is None or anchor.latlon is None:
            continue
        key = (round(anchor.latlon.lat, 3), round(anchor.latlon.lon, 3))
        stack = seen.get(key, 0)
        seen[key] = stack + 1
        tooltip = (
            f"{esc(EVENT_SYMBOLS.get(event.type, '?'))} {esc(event.type.replace('_', ' ').lower())} "
            f"<small>({esc(event.factuality.status)}; {esc(anchor.role)} {esc(anchor.name)}, "
            f"{esc(anchor.precision)} level)</small>"
        )
        out.append(
            Feature(
                layer="events",
                kind="badge",
                geometry=_point(anchor.latlon),
                latlngs=anchor.latlon,
                style={
                    "color": color,
                    "certain": certain,
                    "symbol": EVENT_SYMBOLS.get(event.type, "?"),
                    "stack": stack,
                    "precision": anchor.precision,
                },
                tooltip=tooltip,
                popup=popup,
                properties={
                    "layer": "events",
                    "event_id": event.id,
                    "type": event.type,
                    "plover": event.plover,
                    "factuality": event.factuality.status,
                    "speaker": event.factuality.speaker,
                    "anchor_role": anchor.role,
                    "precision": anchor.precision,
                    "sentence": event.evidence[0].sentence if event.evidence else "",
                },
                label=event.type,
            )
        )
    return out


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
        polys = ring_map_form(ring.center, ring.km)
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
        for line in ring_map_outline(ring.center, ring.km):
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
        # permanent labels at the outline's northern, eastern, southern and western extremes, so one shows
        # in any view
        outline = polys[0][0] if polys and polys[0] else []
        picks = {
            min(outline, key=lambda p: -p.lat, default=None),
            min(outline, key=lambda p: p.lat, default=None),
            min(outline, key=lambda p: -p.lon, default=None),
            min(outline, key=lambda p: p.lon, default=None),
        }
        for pt in sorted(
            (p for p in picks if p is not None and abs(p.lat) < 84), key=lambda p: (p.lat, p.lon)
        ):
            out.append(
                Feature(
                    layer="rings",
                    kind="label",
                    geometry=_point(LatLon(pt.lat, ((pt.lon + 180) % 360) - 180)),
                    latlngs=pt,
                    style={"color": color},
                    tooltip="",
                    popup="",
                    properties={**props, "layer": "rings", "kind": "label"},
                    label=label,
                )
            )
    return out


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
    return out


def build_features(analysis: Analysis) -> list[Feature]:
    """All features of ``analysis`` in drawing order (areas, rings, routes, places, events)."""
    return [
        *_place_features(analysis),
        *_ring_features(analysis),
        *_route_features(analysis),
        *_event_features(analysis),
    ]


def bounds(features: Sequence[Feature]) -> tuple[LatLon, LatLon] | None:
    """South-west and north-east corners framing the points, lines and rings of ``features``.

    A ring counts by its centre only: rings of long-range systems span continents, and the briefing is
    about the places and routes (every ring carries labels around its outline).
    """
    pts: list[LatLon] = []
    for f in features:
        if f.kind in ("point", "badge") and f.layer != "areas":
            pts.append(f.latlngs)
        elif f.kind == "line":
            pts.extend(f.latlngs)
        elif f.kind == "polygon" and f.layer == "rings":
            pts.append(LatLon(f.properties["center"][0], f.properties["center"][1]))
    if not pts:
        return None
    lats = [p.lat for p in pts]
    lons = [p.lon for p in pts]
    return LatLon(min(lats), min(lons)), LatLon(max(lats), max(lons))
