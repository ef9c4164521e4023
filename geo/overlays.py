"""Range rings and routes derived from events (every drawn element points back to its event).

* A weapons test or deployment whose weapon has a known maximum range gets a ring centred on its launch
  site, or on the actor country's representative point when the text names no site (then
  ``center_assumed`` is true and the note says so). A ring centred on a whole country is only drawn when
  the radius is at least :data:`MIN_ASSUMED_KM`: a smaller ring would pretend to a precision the text
  does not have. ICBM-class mentions without a named system have no upper bound and get no ring.
* Each ring carries reach verdicts for the places and countries of the analysis, the targets the text
  claims to be in reach flagged.
* A transfer becomes a route through its origin (or its named port), waypoints and destination, each leg
  in the mode the text gives; a leg with a country-level end is a schematic arrow. A test with a stated
  target becomes a missile leg.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .model import Event, EventPlace, Place, Ring, Route, RouteLeg

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from .gazetteer import Gazetteer
    from .weapons import Catalogue

__all__ = ["MIN_ASSUMED_KM", "STUB_KM", "attach_reach", "rings_for_events", "routes_for_events"]

#: Smallest radius drawn around a country-level (assumed) launch point.
MIN_ASSUMED_KM = 1000.0
#: Length of the schematic arrow towards a destination known only as a country or region.
STUB_KM = 900.0
_OPEN_ENDED = frozenset({"ICBM"})


def _first(event: Event, role: str) -> EventPlace | None:
    return next((p for p in event.places if p.role == role and p.latlon is not None), None)


def _shapes(keys: Sequence[str], gaz: Gazetteer) -> dict[str, BaseGeometry]:
    out: dict[str, BaseGeometry] = {}
    for key in keys:
        shape = gaz.shape(key)
        if shape is not None and not shape.is_empty:
            out[key] = shape
    return out


def _country_name(gaz: Gazetteer, cc: str) -> str:
    country = gaz.country(cc)
    return country.name if country is not None else cc


def rings_for_events(
    events: Sequence[Event], places: Sequence[Place], gaz: Gazetteer, catalogue: Catalogue
) -> list[Ring]:
    """Range rings for the tests and deployments of ``events`` (see the module docstring)."""
    from .reach import reach_verdicts

    rings: list[Ring] = []
    for event in events:
        if event.type not in ("WEAPONS_TEST", "DEPLOYMENT") or event.weapon is None:
            continue
        w = event.weapon
        system = catalogue.get(w.system) if w.system else None
        if system is None and w.weapon_class and w.weapon_class not in _OPEN_ENDED:
            system = catalogue.get(w.weapon_class)
        if system is None or not system.max_km:
            continue
        site = _first(event, "launch_site") or _first(event, "event_site")
        if site is None or site.latlon is None:
            continue
        assumed = site.precision in ("country", "region", "admin")
        if assumed and system.max_km < MIN_ASSUMED_KM:
            continue
        note = (
            f"launch site not stated: centred on {site.name} ({site.precision} level)"
            if assumed
            else f"centred on {site.name}"
        )
        claimed = [
            p.country_code if p.precision == "country" else p.gazetteer_id
            for p in event.places_in_role("target")
        ]
        keys = sorted(
            {p.country_code for p in places if p.feature == "country" and p.country_code}
            | {c for c in claimed if c and len(c) == 2}
        )
        names = {k: _country_name(gaz, k) for k in keys}
        point_places = [p for p in places if p.feature not in ("country", "region", "water")]
        ring = Ring(
            center=site.latlon,
            center_name=site.name,
            km=float(system.max_km),
            system=w.system if w.system else None,
            weapon_class=system.weapon_class,
            source=f"{system.source} ({system.source_date})" if system.source_date else system.source,
            event_id=event.id,
            center_assumed=assumed,
            note=note,
        )
        verdicts = reach_verdicts(
            ring,
            places=point_places,
            shapes=_shapes(keys, gaz),
            names=names,
            claimed=[c for c in claimed if c],
        )
        rings.append(replace(ring, reach=verdicts))
    return rings


def _label(event: Event) -> str:
    who = " → ".join(
        part
        for part in (", ".join(a.name for a in event.actors), ", ".join(a.name for a in event.recipients))
        if part
    )
    what = event.weapon.text if event.weapon else event.type.lower().replace("_", " ")
    return f"{who}: {what} ({event.factuality.status})"


#: Words that say how goods travel, nearest before the place a leg ends at.
_MODE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "sea",
        re.compile(
            r"\b(by sea|by ship|ship(?:s|ped|ping|ment)?|vessels?|freighters?|tankers?|sail(?:s|ed|ing)?|"
            r"cargo ships?|ferr(?:y|ies|ied))\b",
            re.I,
        ),
    ),
    ("rail", re.compile(r"\b(by rail|rail(?:way|road)?s?|trains?|rail ?cars?|wagons?)\b", re.I)),
    ("road", re.compile(r"\b(by road|trucks?|lorr(?:y|ies)|convoys?|trucked)\b", re.I)),
    ("air", re.compile(r"\b(by air|flights?|flown|airlift(?:ed|s)?|cargo planes?|aircraft)\b", re.I)),
)
_PORT_KINDS = frozenset({"port", "naval_base", "shipyard"})
_CUE_WINDOW = 120


def _leg_mode(event: Event, end: EventPlace, text: str | None) -> str | None:
    """The transport mode the text gives for the leg ending at ``end``: the cue nearest before its mention."""
    if text is None or end.start is None:
        return None
    sentence = next((e for e in event.evidence if e.start <= end.start < e.end), None)
    if sentence is None:
        return None
    window = text[max(sentence.start, end.start - _CUE_WINDOW) : end.start]
    best: tuple[int, str] | None = None
    for mode, pattern in _MODE_CUES:
        for m in pattern.finditer(window):
            if best is None or m.start() > best[0]:
                best = (m.start(), mode)
    return best[1] if best else None


def _is_port(place: EventPlace, gaz: Gazetteer) -> bool:
    cand = gaz.get(place.gazetteer_id) if place.gazetteer_id else None
    return cand is not None and cand.feature_code in _PORT_KINDS


def _transfer_stops(event: Event) -> list[EventPlace]:
    """Where a transfer goes, in order: its origin (or, for a country-level origin, its first named port or
    waypoint), the waypoints in the order the text names them, and its destination."""
    origin = _first(event, "origin")
    vias = sorted((p for p in event.places if p.role == "via" and p.latlon), key=lambda p: p.start or 0)
    dest = next(
        (
            p
            for p in sorted(
                event.places_in_role("destination"), key=lambda p: _PRECISION_RANK.get(p.precision, 9)
            )
            if p.latlon
        ),
        None,
    )
    stops: list[EventPlace] = []
    if origin is not None and (origin.precision not in ("country", "region") or not vias):
        stops.append(origin)
    stops.extend(vias)
    if dest is not None:
        stops.append(dest)
    return stops


_PRECISION_RANK = {"site": 0, "city": 1, "admin": 2, "country": 3, "region": 4}


def routes_for_events(events: Sequence[Event], gaz: Gazetteer, text: str | None = None) -> list[Route]:
    """Routes for transfers (origin → waypoints → destination) and for tests with a stated target.

    * Each transfer leg takes the mode the text gives nearest before the place it ends at ("by sea",
      "ships", "by rail", "trucks", "flights"); port to port without a cue is ``sea``; otherwise the mode
      is ``unspecified`` and the leg a schematic arrow. Sea legs follow sea lanes
      (:func:`geo.routes.sea_leg`), rail and road legs are schematic.
    * A leg towards a destination known only as a country or region is a short schematic arrow pointing
      the way (:data:`STUB_KM`), not a line to the country's centre, which the text never named.
    * A missile leg towards a whole country or region ends at the nearest point of its outline (the
      shortest flight that reaches it), not at its centre.
    """
    from .areas import nearest_boundary_point, shape_key
    from .geodesy import azimuth, destination, distance_km
    from .routes import geodesic_leg, rail_leg, sea_leg

    routes: list[Route] = []
    for event in events:
        quantity = "; ".join(q.text for q in event.quantities) or None
        legs: list[RouteLeg] = []
        if event.type == "ARMS_TRANSFER":
            stops = _transfer_stops(event)
            for a, b in itertools.pairwise(stops):  # EventPlace pairs
                if a.latlon is None or b.latlon is None or a.latlon == b.latlon:
                    continue
                mode = _leg_mode(event, b, text) or ("sea" if _is_port(a, gaz) and _is_port(b, gaz) else None)
                coarse = b.precision in ("country", "region") or a.precision in ("country", "region")
                if b.precision in ("country", "region"):
                    end_point = b.latlon
                    if distance_km(a.latlon, b.latlon) > STUB_KM:
                        end_point = destination(a.latlon, azimuth(a.latlon, b.latlon), STUB_KM)
                    leg = geodesic_leg(
                        a.latlon,
                        end_point,
                        start_name=a.name,
                        end_name=f"towards {b.name} (destination not named)",
                    )
                    legs.append(replace(leg, mode=mode or "unspecified", schematic=True))
                elif mode == "sea":
                    legs.append(sea_leg(a.latlon, b.latlon, start_name=a.name, end_name=b.name))
                elif mode in ("rail", "road"):
                    legs.append(rail_leg(a.latlon, b.latlon, start_name=a.name, end_name=b.name, mode=mode))
                else:
                    leg = geodesic_leg(a.latlon, b.latlon, start_name=a.name, end_name=b.name)
                    legs.append(replace(leg, mode=mode or "unspecified", schematic=mode is None or coarse))
        elif event.type == "WEAPONS_TEST":
            start = _first(event, "launch_site")
            end = next(
                (
                    p
                    for p in event.places
                    if p.role == "target" and p.link_method != "reach_claim" and p.latlon
                ),
                None,
            )
            if start is None or end is None or start.latlon is None or end.latlon is None:
                continue
            p0, p1 = start.latlon, end.latlon
            end_name = end.name
            if end.precision in ("country", "region"):
                key = shape_key(
                    end.gazetteer_id, "country" if end.precision == "country" else "region", end.country_code
                )
                shape = gaz.shape(key) if key else None
                if shape is not None and not shape.is_empty:
                    p1 = nearest_boundary_point(p0, shape)
                    end_name = f"{end.name} (nearest point)"
            if p0 == p1:
                continue
            leg = geodesic_leg(p0, p1, start_name=start.name, end_name=end_name, mode="missile")
            legs.append(replace(leg, schematic=start.precision in ("country", "region")))
        if legs:
            routes.append(Route(legs=tuple(legs), label=_label(event), event_id=event.id, quantity=quantity))
    return routes


def attach_reach(events: Sequence[Event], rings: Sequence[Ring]) -> list[Event]:
    """Copy each ring's reach verdicts into the event it was drawn for (``Event.reach``)."""
    by_event = {r.event_id: r.reach for r in rings if r.event_id}
    return [replace(e, reach=by_event[e.id]) if e.id in by_event else e for e in events]
