"""Range rings and routes derived from events (every drawn element points back to its event).

* A weapons test or deployment whose weapon has a known maximum range gets a ring centred on its launch
  site, or on the actor country's representative point when the text names no site (then
  ``center_assumed`` is true and the note says so). A ring centred on a whole country is only drawn when
  the radius is at least :data:`MIN_ASSUMED_KM`: a smaller ring would pretend to a precision the text
  does not have. ICBM-class mentions without a named system have no upper bound and get no ring.
* Each ring carries reach verdicts for the places and countries of the analysis, the targets the text
  claims to be in reach flagged.
* A transfer becomes a route from its named port (or origin) to its destination; a leg with a
  country-level end is schematic. A test with a stated target becomes a missile leg.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .model import Event, EventPlace, Place, Ring, Route

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from .gazetteer import Gazetteer
    from .weapons import Catalogue

__all__ = ["MIN_ASSUMED_KM", "STUB_KM", "rings_for_events", "routes_for_events"]

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


def routes_for_events(events: Sequence[Event], gaz: Gazetteer) -> list[Route]:
    """Routes for transfers (port or origin → destination) and for tests with a stated target.

    A missile leg towards a whole country or region ends at the nearest point of its outline (the
    shortest flight that reaches it), not at its centre.
    """
    from .areas import nearest_boundary_point, shape_key
    from .geodesy import azimuth, destination, distance_km
    from .routes import build_route, geodesic_leg

    routes: list[Route] = []
    for event in events:
        if event.type == "ARMS_TRANSFER":
            start = _first(event, "via") or _first(event, "origin")
            end = _first(event, "destination")
            mode = "unspecified"
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
            mode = "missile"
        else:
            continue
        if start is None or end is None or start.latlon is None or end.latlon is None:
            continue
        a, b = start.latlon, end.latlon
        if a == b:
            continue
        if mode == "missile" and end.precision in ("country", "region"):
            key = shape_key(
                end.gazetteer_id, "country" if end.precision == "country" else "region", end.country_code
            )
            shape = gaz.shape(key) if key else None
            if shape is not None and not shape.is_empty:
                b = nearest_boundary_point(a, shape)
                end = replace(end, name=f"{end.name} (nearest point)", lat=b.lat, lon=b.lon)
        quantity = "; ".join(q.text for q in event.quantities) or None
        if mode == "unspecified":
            # the text does not say how it travels: a schematic geodesic arrow, mode unspecified; towards a
            # destination known only as a whole country it is a short arrow pointing the way, not a line to
            # the country's centre (which the text never named)
            target, end_name = b, end.name
            if end.precision in ("country", "region"):
                if distance_km(a, b) > STUB_KM:
                    target = destination(a, azimuth(a, b), STUB_KM)
                end_name = f"towards {end.name} (destination not named)"
            leg = geodesic_leg(a, target, start_name=start.name, end_name=end_name)
            route = Route(
                legs=(replace(leg, mode="unspecified", schematic=True),),
                label=_label(event),
                event_id=event.id,
                quantity=quantity,
            )
        else:
            route = build_route(
                [(start.name, a), (end.name, b)],
                [mode],
                label=_label(event),
                event_id=event.id,
                quantity=quantity,
            )
        if start.precision in ("country", "region") or end.precision in ("country", "region"):
            route = replace(route, legs=tuple(replace(leg, schematic=True) for leg in route.legs))
        routes.append(route)
    return routes
