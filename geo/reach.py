"""Reach verdicts: which places, countries and regions lie within a range ring, fully or partly.

Distances are geodesic on WGS84 (see :mod:`geo.geodesy`). A place is a point: inside iff its distance from
the ring centre is at most the radius. A shape (a country or region as a shapely geometry in longitude /
latitude, possibly split at ±180°) is judged from the geodesic distances of its boundary, densified so no
boundary stretch longer than ``step_km`` goes unmeasured: ``inside`` when its farthest part is within the
radius, ``partly`` when only its nearest part is, ``outside`` otherwise. The nearest distance is 0 when the
shape holds the centre; the farthest is half the meridian when it holds the antipode.

Examples
--------
>>> from shapely.geometry import box
>>> from geo.model import LatLon, Place, Ring
>>> ring = Ring(LatLon(39.0392, 125.7625), "Pyongyang", 3_000.0, system="Pukguksong-3")
>>> guam = Place("gn:4044012", "Hagåtña", 13.4757, 144.7489, "GU", "city")
>>> [(v.target, v.verdict, round(v.distance_km)) for v in reach_verdicts(ring, places=[guam])]
[('Hagåtña', 'outside', 3393)]
>>> shapes = {"XX": box(140.0, 30.0, 160.0, 40.0)}
>>> v = reach_verdicts(ring, shapes=shapes, names={"XX": "Box"}, claimed=["Box"])
>>> v[0].target, v[0].verdict, v[0].claimed
('Box', 'partly', True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.geodesy import _geod, antipode, half_meridian_km, ring_kind
from geo.model import LatLon, Place, ReachVerdict, Ring

__all__ = ["VERDICTS", "reach_verdicts", "shape_distances_km"]

#: The possible verdicts, from best to worst.
VERDICTS = ("inside", "partly", "outside")

_EMPTY_SHAPES: Mapping[str, BaseGeometry] = MappingProxyType({})
_EMPTY_NAMES: Mapping[str, str] = MappingProxyType({})


def _boundary_rings(geom: BaseGeometry) -> list[NDArray[np.float64]]:
    """The boundary vertex sequences (lon, lat) of a geometry, one array per ring or line."""
    out: list[NDArray[np.float64]] = []
    for g in shapely.get_parts(geom):
        if g.geom_type == "Polygon":
            seqs = [g.exterior, *g.interiors]
        elif g.geom_type in ("LineString", "LinearRing", "Point"):
            seqs = [g]
        else:
            out.extend(_boundary_rings(g))
            continue
        for r in seqs:
            c = np.asarray(r.coords, dtype=float)[:, :2]
            if len(c):
                out.append(c)
    return out


def _densify(coords: NDArray[np.float64], step_km: float) -> NDArray[np.float64]:
    """Insert points along each edge (longitudes unwrapped per edge, so an edge across ±180° takes the
    short way) so that no stretch is longer than ``step_km`` (measured as a spherical chord estimate)."""
    if len(coords) < 2:
        return coords
    lon0, lat0 = coords[:-1, 0], coords[:-1, 1]
    dlon = (coords[1:, 0] - lon0 + 180.0) % 360.0 - 180.0
    dlat = coords[1:, 1] - lat0
    mean_lat = np.radians(lat0 + 0.5 * dlat)
    approx_km = 111.32 * np.hypot(dlat, dlon * np.cos(mean_lat))
    pieces = np.maximum(1, np.ceil(approx_km / step_km)).astype(int)
    out = [coords[:1]]
    for i in np.flatnonzero(pieces > 1):
        k = pieces[i]
        t = np.arange(1, k) / k
        out.append(coords[i : i + 1])
        out.append(np.column_stack([lon0[i] + t * dlon[i], lat0[i] + t * dlat[i]]))
    out.append(coords[1:])
    return np.concatenate(out)


def _covers(geom: BaseGeometry, p: LatLon) -> bool:
    lon = (p.lon + 180.0) % 360.0 - 180.0
    return bool(geom.covers(Point(lon, p.lat)) or (lon == -180.0 and geom.covers(Point(180.0, p.lat))))


def shape_distances_km(center: LatLon, geom: BaseGeometry, *, step_km: float = 20.0) -> tuple[float, float]:
    """Return ``(nearest, farthest)`` geodesic distances in km from ``center`` to a shape.

    Measured on the boundary densified to ``step_km``; the nearest is 0 if the shape holds the centre,
    the farthest is half the meridian if it holds the antipode.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> from geo.model import LatLon
    >>> near, far = shape_distances_km(LatLon(0.0, 0.0), box(1.0, -1.0, 2.0, 1.0))
    >>> round(near), round(far)
    (111, 249)
    >>> shape_distances_km(LatLon(0.0, 1.5), box(1.0, -1.0, 2.0, 1.0))[0]
    0.0
    """
    if not (math.isfinite(step_km) and step_km > 0):
        raise InputError(f"step_km must be a positive number, got {step_km!r}")
    if geom.is_empty:
        raise InputError("cannot measure the distance to an empty shape")
    coords = np.concatenate([_densify(r, step_km) for r in _boundary_rings(geom)])
    n = len(coords)
    d = _geod().inv(
        np.full(n, center.lon), np.full(n, center.lat), coords[:, 0], np.clip(coords[:, 1], -90.0, 90.0)
    )[2]
    d = np.asarray(d, dtype=float) / 1000.0
    near, far = float(d.min()), float(d.max())
    if _covers(geom, center):
        near = 0.0
    if _covers(geom, antipode(center)):
        far = half_meridian_km()
    return near, far


def _kind_of_key(key: str) -> str:
    return "country" if len(key) == 2 and key.isalpha() and key.isupper() else "region"


def reach_verdicts(
    ring: Ring,
    *,
    places: Sequence[Place] = (),
    shapes: Mapping[str, BaseGeometry] = _EMPTY_SHAPES,
    names: Mapping[str, str] = _EMPTY_NAMES,
    claimed: Iterable[str] = (),
    step_km: float = 20.0,
) -> tuple[ReachVerdict, ...]:
    """Return whether each place and shape lies within ``ring``: ``inside``, ``partly`` or ``outside``.

    ``places`` are points (kind ``place``); ``shapes`` map an id (``"JP"``, ``"GU"``, ``"US-CONT"``) to a
    shapely geometry in lon/lat (kind ``country`` for two-letter ids, else ``region``); ``names`` gives
    their display names; ``claimed`` lists the targets the text claims are in reach (matched against ids
    and names, case-insensitively). Each verdict carries the nearest and farthest distance and the margin
    (radius minus nearest distance; negative: short by that much). Sorted by distance, then name.

    Examples
    --------
    >>> from geo.model import LatLon, Place, Ring
    >>> ring = Ring(LatLon(39.0392, 125.7625), "Pyongyang", 13_000.0)
    >>> dc = Place("gn:4140963", "Washington", 38.8951, -77.0364, "US", "city")
    >>> v = reach_verdicts(ring, places=[dc], claimed=["washington"])[0]
    >>> v.verdict, round(v.margin_km), v.claimed
    ('inside', 1932, True)
    """
    km = float(ring.km)
    want = {c.casefold() for c in claimed}
    whole = ring_kind(ring.center, km) == "earth"
    out: list[ReachVerdict] = []
    for p in places:
        d = 0.0 if (p.lat, p.lon) == tuple(ring.center) else _point_km(ring.center, p.latlon)
        out.append(
            ReachVerdict(
                target=p.name,
                target_id=p.gazetteer_id,
                kind="place",
                verdict="inside" if (d <= km or whole) else "outside",
                distance_km=d,
                far_km=d,
                margin_km=km - d,
                claimed=p.name.casefold() in want or p.gazetteer_id.casefold() in want,
            )
        )
    for key, geom in shapes.items():
        near, far = shape_distances_km(ring.center, geom, step_km=step_km)
        verdict = "inside" if (far <= km or whole) else ("partly" if near <= km else "outside")
        name = names.get(key, key)
        out.append(
            ReachVerdict(
                target=name,
                target_id=key,
                kind=_kind_of_key(key),
                verdict=verdict,
                distance_km=near,
                far_km=far,
                margin_km=km - near,
                claimed=key.casefold() in want or name.casefold() in want,
            )
        )
    out.sort(key=lambda v: (round(v.distance_km, 6), v.target, v.target_id or "", v.kind))
    return tuple(out)


def _point_km(a: LatLon, b: LatLon) -> float:
    return float(_geod().inv(a.lon, a.lat, b.lon, b.lat)[2]) / 1000.0
