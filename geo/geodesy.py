"""Geodesy on the WGS84 ellipsoid: distances, destinations and range rings that are right everywhere.

Everything here is pure maths (Karney's geodesic algorithms through :class:`pyproj.Geod`, vectorised with
numpy); nothing knows about rendering. Points are :class:`~geo.model.LatLon` ``(lat, lon)``; longitude comes
first only at the pyproj calls and in GeoJSON output.

A ring of radius ``km`` around ``center`` is the set of points whose geodesic distance from the centre is at
most ``km``. Its outline falls into one of five cases (see :func:`ring_kind`):

``ring``
    an ordinary closed outline (it may cross the antimeridian);
``north`` / ``south``
    the ring holds one pole: the outline runs across all longitudes and the inside lies between it and
    the pole;
``both``
    the ring holds both poles: the outside is a small region around the antipode, a hole in the world;
``earth``
    the radius reaches the antipode (half the meridian, about 20,004 km): the whole Earth.

Two outputs are built from the same vertices: :func:`ring_map_form` for Leaflet (continuous longitudes and
copies shifted by 360°) and :func:`ring_geojson` (RFC 7946: split at ±180°, counter-clockwise exteriors).

Examples
--------
>>> from geo.model import LatLon
>>> pyongyang, washington = LatLon(39.0392, 125.7625), LatLon(38.8951, -77.0364)
>>> round(distance_km(pyongyang, washington))
11068
>>> contains(pyongyang, 13_000, washington)
True
>>> ring_kind(pyongyang, 13_000)
'north'
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.errors import InputError
from geo.model import LatLon, Ring

__all__ = [
    "RING_KINDS",
    "antipode",
    "azimuth",
    "contains",
    "destination",
    "distance_km",
    "great_circle_km",
    "half_meridian_km",
    "ring_feature_collection",
    "ring_geojson",
    "ring_kind",
    "ring_map_form",
    "ring_map_outline",
    "ring_vertices",
    "rings_vertices",
]

#: The cases of a ring outline (see the module docstring).
RING_KINDS = ("ring", "north", "south", "both", "earth")

# Beyond this radius a geodesic from some centres (near the equator) passes its cut locus before the
# ring's radius (first at pi*b ~ 19,970 km), so the outline is traced from the antipode instead.
_CUT_LOCUS_SAFE_KM = 19_960.0
# Tolerance for a vertex traced with Geod.fwd that is checked against the inverse problem.
_VERTEX_TOL_M = 1e-3
_EPS_DEG = 1e-9
_POLE_NUDGE_KM = 1e-5


@functools.lru_cache(maxsize=1)
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


@functools.lru_cache(maxsize=1)
def half_meridian_km() -> float:
    """Return the length of half a meridian of WGS84 in km (pole to pole, about 20,003.93 km).

    On the oblate WGS84 ellipsoid this is the geodesic distance from any point to its antipode and the
    largest distance between two points: a ring at least this large is the whole Earth.

    Examples
    --------
    >>> round(half_meridian_km(), 2)
    20003.93
    """
    return float(_geod().inv(0.0, 90.0, 0.0, -90.0)[2]) / 1000.0


def _check_point(p: LatLon, what: str = "point") -> tuple[float, float]:
    lat, lon = float(p[0]), float(p[1])
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90.0:
        raise InputError(f"{what} must have a latitude in [-90, 90] and a finite longitude, got {p!r}")
    return lat, lon


def _check_km(km: float) -> float:
    km = float(km)
    if not math.isfinite(km) or km <= 0.0:
        raise InputError(f"ring radius must be a positive finite number of km, got {km!r}")
    return km


def _check_n(n: int) -> int:
    if int(n) != n or n < 4:
        raise InputError(f"a ring needs at least 4 vertices, got n={n!r}")
    return int(n)


def _wrap180(lon: float) -> float:
    """Longitude in [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def distance_km(a: LatLon, b: LatLon) -> float:
    """Return the geodesic distance between two points on WGS84 in km.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> round(distance_km(LatLon(39.0392, 125.7625), LatLon(35.6895, 139.6917)))
    1287
    >>> distance_km(LatLon(10.0, 20.0), LatLon(10.0, 20.0))
    0.0
    """
    lat1, lon1 = _check_point(a)
    lat2, lon2 = _check_point(b)
    return float(_geod().inv(lon1, lat1, lon2, lat2)[2]) / 1000.0


#: Mean Earth radius (IUGG) for the spherical :func:`great_circle_km`.
MEAN_EARTH_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km on the mean-radius sphere: fast, within 0.5% of :func:`distance_km`.

    For scoring and ranking (evaluation errors, reverse-geocoding distances), not for rings.

    Examples
    --------
    >>> round(great_circle_km(0, 0, 0, 1))
    111
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * MEAN_EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def azimuth(a: LatLon, b: LatLon) -> float:
    """Return the initial geodesic azimuth from ``a`` to ``b`` in degrees clockwise from north (WGS84).

    Examples
    --------
    >>> round(azimuth(LatLon(0.0, 0.0), LatLon(0.0, 10.0)), 6)
    90.0
    >>> round(azimuth(LatLon(0.0, 0.0), LatLon(10.0, 0.0)), 6)
    0.0
    """
    a_lat, a_lon = _check_point(a, "start")
    b_lat, b_lon = _check_point(b, "end")
    az, _, _ = _geod().inv(a_lon, a_lat, b_lon, b_lat)
    return float(az)


def destination(origin: LatLon, azimuth_deg: float, km: float) -> LatLon:
    """Return the point reached from ``origin`` along the geodesic with ``azimuth_deg`` after ``km``.

    The longitude is unrolled: it differs from the origin's by the longitude actually travelled, so it
    may leave [-180, 180] (500 km east of 179°E gives about 187.9°E).

    Examples
    --------
    >>> from geo.model import LatLon
    >>> p = destination(LatLon(0.0, 179.0), 90.0, 500.0)
    >>> round(p.lat, 6), round(p.lon, 3)
    (0.0, 183.492)
    """
    lat, lon = _check_point(origin, "origin")
    if not math.isfinite(km) or km < 0.0:
        raise InputError(f"distance must be a non-negative finite number of km, got {km!r}")
    lon2, lat2, _ = _geod().fwd(lon, lat, azimuth_deg, km * 1000.0)
    az = float(azimuth_deg) % 360.0
    dlon = _unroll_dlon(np.array([_wrap180(float(lon2) - lon)]), np.array([az]))[0]
    return LatLon(float(lat2), lon + float(dlon))


def _unroll_dlon(dlon: NDArray[np.float64], az: NDArray[np.float64]) -> NDArray[np.float64]:
    """Longitude travelled along geodesics, from wrapped differences and the azimuths (in [0, 360)).

    On an ellipsoid of revolution longitude changes monotonically along a geodesic: eastward (azimuth in
    [0, 180)) it grows, westward it falls, by less than 180° before the antipode. An azimuth of exactly 0
    that passes the north pole counts as eastward (+180).
    """
    east = az < 180.0
    pos = (dlon + _EPS_DEG) % 360.0 - _EPS_DEG  # in [-eps, 360 - eps)
    neg = -((-dlon + _EPS_DEG) % 360.0 - _EPS_DEG)  # in (-360 + eps, eps]
    return np.where(east, pos, neg)


def antipode(p: LatLon) -> LatLon:
    """Return the antipode of ``p`` (longitude in [-180, 180)).

    Examples
    --------
    >>> from geo.model import LatLon
    >>> antipode(LatLon(39.0, 125.75))
    LatLon(lat=-39.0, lon=-54.25)
    """
    lat, lon = _check_point(p)
    return LatLon(-lat, _wrap180(lon + 180.0))


def _pole_distances_km(lats: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    z = np.zeros_like(lats)
    d_north = _geod().inv(z, lats, z, np.full_like(lats, 90.0))[2] / 1000.0
    d_south = _geod().inv(z, lats, z, np.full_like(lats, -90.0))[2] / 1000.0
    return np.asarray(d_north, dtype=float), np.asarray(d_south, dtype=float)


def _kinds(lats: NDArray[np.float64], kms: NDArray[np.float64]) -> NDArray[np.str_]:
    d_north, d_south = _pole_distances_km(lats)
    north = kms >= d_north
    south = kms >= d_south
    kinds = np.where(north & south, "both", np.where(north, "north", np.where(south, "south", "ring")))
    return np.where(kms >= half_meridian_km(), "earth", kinds)


def ring_kind(center: LatLon, km: float) -> str:
    """Return which case the ring is: ``ring``, ``north``, ``south``, ``both`` or ``earth``.

    A pole counts as inside when its distance from the centre is at most ``km``.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> [ring_kind(LatLon(39.0, 125.75), km) for km in (1_000, 8_000, 15_000, 20_100)]
    ['ring', 'north', 'both', 'earth']
    >>> ring_kind(LatLon(-77.85, 166.67), 1_500)
    'south'
    """
    lat, _ = _check_point(center, "center")
    return str(_kinds(np.array([lat]), np.array([_check_km(km)]))[0])


def contains(center: LatLon, km: float, point: LatLon) -> bool:
    """Return whether ``point`` lies within ``km`` of ``center`` (geodesic distance, boundary included).

    Examples
    --------
    >>> from geo.model import LatLon
    >>> contains(LatLon(39.0392, 125.7625), 3_000, LatLon(13.4443, 144.7937))  # Guam is 3,393 km away
    False
    >>> contains(LatLon(39.0392, 125.7625), 5_500, LatLon(13.4443, 144.7937))
    True
    """
    return distance_km(center, point) <= float(km)


def _antipodal_rows(
    lats: NDArray[np.float64], lons: NDArray[np.float64], kms: NDArray[np.float64], n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Trace outlines near the antipode: for each bearing from the antipode, bisect the distance along it
    at which the distance from the centre falls to the radius. Vertex j lies at bearing ``-j*360/n`` from
    the antipode, which matches azimuth ``j*360/n`` from the centre where both are defined."""
    geod = _geod()
    m = lats.size
    beta = np.tile(-np.arange(n) * (360.0 / n), m)
    clat = np.repeat(lats, n)
    clon = np.repeat(lons, n)
    alat = -clat
    alon = clon + 180.0
    s = np.repeat(kms, n) * 1000.0
    d_a = half_meridian_km() * 1000.0

    def dist(t: NDArray[np.float64]) -> NDArray[np.float64]:
        plon, plat, _ = geod.fwd(alon, alat, beta, t)
        return np.asarray(geod.inv(clon, clat, plon, plat)[2], dtype=float)

    hi = np.full_like(s, 100_000.0) + 4.0 * (d_a - s)
    for _ in range(20):
        short = dist(hi) > s
        if not short.any():
            break
        hi = np.where(short, hi * 2.0, hi)
    lo = np.zeros_like(s)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        far = dist(mid) > s  # still farther than the radius: the outline lies beyond mid
        lo = np.where(far, mid, lo)
        hi = np.where(far, hi, mid)
        if float(np.max(hi - lo)) < 1e-4:
            break
    plon, plat, _ = geod.fwd(alon, alat, beta, 0.5 * (lo + hi))
    plat = np.asarray(plat, dtype=float).reshape(m, n)
    plon = np.unwrap(np.asarray(plon, dtype=float).reshape(m, n), period=360.0, axis=1)
    # put the first vertex within 180 degrees of the antipode's unrolled longitude
    ref = lons + 180.0
    plon += (360.0 * np.round((ref - plon[:, 0]) / 360.0))[:, None]
    return plat, plon


def _rings(
    lats: NDArray[np.float64], lons: NDArray[np.float64], kms: NDArray[np.float64], n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vertices of many rings, shape (m, n), longitudes continuous along each outline."""
    geod = _geod()
    m = lats.size
    az = np.arange(n) * (360.0 / n)
    az_all = np.tile(az, m)
    clat = np.repeat(lats, n)
    clon = np.repeat(lons, n)
    d_north, d_south = _pole_distances_km(lats)
    # An outline through a pole puts a vertex on it, where longitude is undefined. Within 1 cm of a
    # pole distance, trace the outline 1 cm past (pole inside) or short of (pole outside) the pole.
    eff = kms.copy()
    for d in (d_north, d_south):
        near = (np.abs(kms - d) < _POLE_NUDGE_KM) & (d > 0.0)
        eff = np.where(near, np.where(kms >= d, d + _POLE_NUDGE_KM, d - _POLE_NUDGE_KM), eff)
    s = np.repeat(eff, n) * 1000.0
    plon, plat, _ = geod.fwd(clon, clat, az_all, s)
    plon = np.asarray(plon, dtype=float)
    plat = np.asarray(plat, dtype=float).reshape(m, n)
    dlon = _unroll_dlon((plon - clon + 180.0) % 360.0 - 180.0, az_all).reshape(m, n)
    south_in = kms >= d_south
    if south_in.any():
        # past the south pole the western half continues the eastern half: +360 keeps it continuous
        dlon[south_in] += np.where(az >= 180.0, 360.0, 0.0)
    out_lon = lons[:, None] + dlon
    at_pole = np.abs(lats) >= 90.0
    if at_pole.any():
        # from a pole the azimuth is not east/west: the outline is a parallel, unwrap it directly
        raw = plon.reshape(m, n)[at_pole]
        raw = np.unwrap(raw, period=360.0, axis=1)
        raw += (360.0 * np.round((lons[at_pole] - raw[:, 0]) / 360.0))[:, None]
        out_lon[at_pole] = raw
    risky = kms > _CUT_LOCUS_SAFE_KM
    if risky.any():
        idx = np.flatnonzero(risky)
        rl = np.repeat(lats[idx], n)
        ro = np.repeat(lons[idx], n)
        got = geod.inv(ro, rl, out_lon[idx].ravel(), plat[idx].ravel())[2]
        err = np.abs(np.asarray(got, dtype=float) - np.repeat(eff[idx], n) * 1000.0).reshape(idx.size, n)
        bad = idx[err.max(axis=1) > _VERTEX_TOL_M]
        if bad.size:
            alat, alon = _antipodal_rows(lats[bad], lons[bad], kms[bad], n)
            plat[bad] = alat
            out_lon[bad] = alon
    return plat, out_lon


def rings_vertices(
    lats: ArrayLike, lons: ArrayLike, kms: ArrayLike, *, n: int = 720
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the outline vertices of many rings at once as arrays ``(lat, lon)`` of shape ``(len, n)``.

    Row ``i`` is :func:`ring_vertices` of ``(lats[i], lons[i])`` and ``kms[i]``: vertex ``j`` at azimuth
    ``j * 360 / n`` from the centre, longitudes continuous along the outline (see :func:`ring_vertices`).
    Rings of the ``earth`` kind have no outline; their rows hold the vertices at the antipode.

    Examples
    --------
    >>> lat, lon = rings_vertices([39.0, 0.0], [125.75, 179.0], [1_000.0, 500.0], n=8)
    >>> lat.shape, lon.shape
    ((2, 8), (2, 8))
    >>> round(float(lon[1, 2]), 1)  # 500 km east of 179°E
    183.5
    """
    la = np.atleast_1d(np.asarray(lats, dtype=float)).ravel()
    lo = np.atleast_1d(np.asarray(lons, dtype=float)).ravel()
    km = np.atleast_1d(np.asarray(kms, dtype=float)).ravel()
    n = _check_n(n)
    if not (la.size == lo.size == km.size):
        raise InputError(f"lats, lons and kms differ in length: {la.size}, {lo.size}, {km.size}")
    if la.size == 0:
        return np.empty((0, n)), np.empty((0, n))
    if not (np.all(np.isfinite(la)) and np.all(np.abs(la) <= 90.0) and np.all(np.isfinite(lo))):
        raise InputError("ring centres need latitudes in [-90, 90] and finite longitudes")
    if not (np.all(np.isfinite(km)) and np.all(km > 0.0)):
        raise InputError("ring radii must be positive finite numbers of km")
    cap = np.minimum(km, half_meridian_km())
    return _rings(la, lo, cap, n)


def ring_vertices(center: LatLon, km: float, *, n: int = 720) -> list[LatLon]:
    """Return ``n`` vertices of the ring outline (not repeated at the end), each exactly ``km`` away.

    Vertex ``j`` lies on the geodesic leaving the centre at azimuth ``j * 360 / n`` (clockwise, so the
    inside is on the right). Longitudes are continuous along the outline: consecutive vertices differ by
    less than 180°, the first one is unrolled from the centre, so a ring crossing the antimeridian has
    longitudes beyond ±180 and an outline around one pole ends 360° away from where it started. Near the
    antipode (radius above ~19,960 km), where geodesics pass their cut locus, the outline is traced
    from the antipode instead so every vertex stays at the radius. An outline through a pole (radius
    within 1 cm of the pole's distance) is traced 1 cm past or short of it, where longitude is defined.
    For the ``earth`` kind (no outline) the vertices collapse onto the antipode.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> v = ring_vertices(LatLon(0.0, 179.0), 500.0, n=4)
    >>> [(round(p.lat, 2), round(p.lon, 2)) for p in v]
    [(4.52, 179.0), (0.0, 183.49), (-4.52, 179.0), (0.0, 174.51)]
    """
    lat, lon = _check_point(center, "center")
    la, lo = rings_vertices([lat], [lon], [_check_km(km)], n=n)
    return [LatLon(float(a), float(b)) for a, b in zip(la[0], lo[0], strict=True)]


# ----------------------------------------------------------------------------------------------- map form


def _closing_lon(lons: NDArray[np.float64]) -> float:
    """Unrolled longitude of the first vertex when the outline comes back to it."""
    first, last = float(lons[0]), float(lons[-1])
    return first + 360.0 * round((last - first) / 360.0)


def ring_map_form(center: LatLon, km: float, *, n: int = 720) -> list[list[list[LatLon]]]:
    """Return the ring as polygons for Leaflet: ``[polygon][linear ring][vertex]`` with ``(lat, lon)``.

    In each polygon the first linear ring is the outer boundary, the others are holes. Longitudes are
    continuous (they may leave ±180) and the shape is repeated 360° to each side so it shows on every
    world copy at low zoom:

    * ``ring``: three polygons (the outline and its copies at -360° and +360°);
    * ``north`` / ``south``: one polygon whose outline runs three times round the world, closed along
      latitude ±90 (Leaflet clamps it to ~±85.05° in Web Mercator);
    * ``both``: one world-wide rectangle (latitudes ±90, three worlds wide) with three holes around the
      antipode;
    * ``earth``: the rectangle alone.

    Edges along ±90° and the rectangle's sides are not part of the outline: draw the stroke from
    :func:`ring_map_outline`.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> polys = ring_map_form(LatLon(39.0, 125.75), 1_000, n=16)
    >>> len(polys), len(polys[0]), len(polys[0][0])
    (3, 1, 16)
    >>> [len(r) for r in ring_map_form(LatLon(39.0, 125.75), 15_000, n=16)[0]]
    [4, 16, 16, 16]
    """
    lat, lon = _check_point(center, "center")
    km = _check_km(km)
    n = _check_n(n)
    kind = ring_kind(center, km)
    if kind == "earth":
        return [[[LatLon(-90.0, -540.0), LatLon(-90.0, 540.0), LatLon(90.0, 540.0), LatLon(90.0, -540.0)]]]
    la, lo = rings_vertices([lat], [lon], [km], n=n)
    lats, lons = la[0], lo[0]
    if kind == "ring":
        return [
            [[LatLon(float(a), float(b) + shift) for a, b in zip(lats, lons, strict=True)]]
            for shift in (0.0, -360.0, 360.0)
        ]
    if kind == "both":
        mid = 0.5 * (float(lons.min()) + float(lons.max()))
        outer = [
            LatLon(-90.0, mid - 540.0),
            LatLon(-90.0, mid + 540.0),
            LatLon(90.0, mid + 540.0),
            LatLon(90.0, mid - 540.0),
        ]
        holes = [
            [LatLon(float(a), float(b) + shift) for a, b in zip(lats, lons, strict=True)]
            for shift in (-360.0, 0.0, 360.0)
        ]
        return [[outer, *holes]]
    # one pole: run the outline round the world three times, then close along the pole
    span = _closing_lon(lons) - float(lons[0])  # +360 or -360
    pole = 90.0 if kind == "north" else -90.0
    path: list[LatLon] = []
    for k in (-1.0, 0.0, 1.0):
        path.extend(LatLon(float(a), float(b) + k * span) for a, b in zip(lats, lons, strict=True))
    end = float(lons[0]) + 2.0 * span
    path.append(LatLon(float(lats[0]), end))
    path.append(LatLon(pole, end))
    path.append(LatLon(pole, float(lons[0]) - span))
    return [[path]]


def ring_map_outline(center: LatLon, km: float, *, n: int = 720) -> list[list[LatLon]]:
    """Return the true outline of the ring as polylines for Leaflet (for the stroke of :func:`ring_map_form`).

    Each polyline is closed (last vertex = first, unrolled) and repeated at -360°, 0 and +360°; an
    ``earth`` ring has no outline.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> lines = ring_map_outline(LatLon(39.0, 125.75), 8_000, n=8)
    >>> len(lines), len(lines[0]), round(lines[0][-1].lon - lines[0][0].lon)
    (3, 9, -360)
    >>> ring_map_outline(LatLon(0.0, 0.0), 20_500)
    []
    """
    lat, lon = _check_point(center, "center")
    km = _check_km(km)
    if ring_kind(center, km) == "earth":
        return []
    la, lo = rings_vertices([lat], [lon], [km], n=_check_n(n))
    lats, lons = la[0], lo[0]
    close = _closing_lon(lons)
    out = []
    for shift in (-360.0, 0.0, 360.0):
        line = [LatLon(float(a), float(b) + shift) for a, b in zip(lats, lons, strict=True)]
        line.append(LatLon(float(lats[0]), close + shift))
        out.append(line)
    return out


# ------------------------------------------------------------------------------------------------ GeoJSON

_WORLD = box(-180.0, -90.0, 180.0, 90.0)


def _split_planar(poly: BaseGeometry) -> BaseGeometry:
    """Cut a polygon drawn with unrolled longitudes at every odd multiple of 180° and move the pieces into
    [-180, 180]. Shifts by multiples of 360 are exact for |lon| >= 180, so cut edges land exactly on ±180."""
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    xmin, _, xmax, _ = poly.bounds
    pieces = []
    for k in range(math.floor((xmin + 180.0) / 360.0), math.floor((xmax + 180.0) / 360.0) + 1):
        strip = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        part = poly.intersection(strip)
        if part.is_empty:
            continue
        if k:
            part = shapely.transform(part, lambda c, k=k: c - np.array([360.0 * k, 0.0]))
        pieces.append(part)
    return shapely.union_all(pieces)


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty and geom.area > 0 else []
    if hasattr(geom, "geoms"):
        out: list[Polygon] = []
        for g in geom.geoms:
            out.extend(_polygons(g))
        return out
    return []


def _pole_polygon(lats: NDArray[np.float64], lons: NDArray[np.float64], pole: float) -> Polygon:
    """Outline around one pole → planar polygon, the seam put exactly on ±180°."""
    close = _closing_lon(lons)
    span = close - float(lons[0])
    xs = np.append(lons, close)
    ys = np.append(lats, lats[0])
    q = np.floor((xs + 180.0) / 360.0)
    i = int(np.flatnonzero(q[1:] != q[:-1])[0])
    c = 360.0 * max(q[i], q[i + 1]) - 180.0  # the odd multiple of 180 crossed between i and i+1
    t = (c - xs[i]) / (xs[i + 1] - xs[i])
    y_c = float(ys[i] + t * (ys[i + 1] - ys[i]))
    start = -180.0 if span > 0 else 180.0
    shift = start - c
    mid_x = np.concatenate([xs[i + 1 :], xs[1 : i + 1] + span]) + shift
    mid_y = np.concatenate([ys[i + 1 :], ys[1 : i + 1]])
    coords = [(start, y_c)]
    coords.extend(zip(mid_x.tolist(), mid_y.tolist(), strict=True))
    coords.append((start + span, y_c))
    coords.append((start + span, pole))
    coords.append((start, pole))
    return Polygon(coords)


def _ring_shape(center: LatLon, km: float, n: int) -> BaseGeometry:
    """The ring as a planar (lon, lat) shapely geometry inside [-180, 180] x [-90, 90]."""
    lat, lon = _check_point(center, "center")
    km = _check_km(km)
    kind = ring_kind(center, km)
    if kind == "earth":
        return _WORLD
    la, lo = rings_vertices([lat], [_wrap180(lon)], [km], n=_check_n(n))
    lats, lons = la[0], lo[0]
    if kind == "ring":
        return _split_planar(Polygon(zip(lons.tolist(), lats.tolist(), strict=True)))
    if kind == "both":
        hole = _split_planar(Polygon(zip(lons.tolist(), lats.tolist(), strict=True)))
        return _WORLD.difference(hole)
    return _split_planar(_pole_polygon(lats, lons, 90.0 if kind == "north" else -90.0))


def _coords(ring: Any) -> list[list[float]]:
    return [[float(x), float(y)] for x, y in ring.coords]


def ring_geojson(center: LatLon, km: float, *, n: int = 720) -> dict[str, Any]:
    """Return the ring as an RFC 7946 GeoJSON geometry (``Polygon`` or ``MultiPolygon``).

    Longitudes lie in [-180, 180]: a ring crossing the antimeridian is split there (§3.1.9), exterior
    rings run counter-clockwise and holes clockwise (§3.1.6), every linear ring is closed. A ring around
    one pole is closed along latitude ±90; a ring holding both poles is the world rectangle minus the
    region around the antipode; a radius of half the meridian or more gives the whole
    ``[-180, 180] x [-90, 90]`` rectangle. Edges are straight in longitude/latitude, as RFC 7946 reads
    them.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> g = ring_geojson(LatLon(0.0, 179.0), 500.0, n=64)
    >>> g["type"], len(g["coordinates"])
    ('MultiPolygon', 2)
    >>> ring_geojson(LatLon(0.0, 0.0), 20_100.0)["coordinates"]
    [[[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0], [-180.0, -90.0]]]
    """
    shape = _ring_shape(center, km, n)
    if shape is _WORLD:
        world = [[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0], [-180.0, -90.0]]
        return {"type": "Polygon", "coordinates": [world]}
    polys = [orient(p, sign=1.0) for p in _polygons(shape)]
    rings = [[_coords(p.exterior), *(_coords(h) for h in p.interiors)] for p in polys]
    rings.sort(key=lambda r: (r[0][0][0], r[0][0][1]))
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def ring_feature_collection(ring: Ring, *, n: int = 720) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection with the ring polygon and a point for its centre.

    The polygon's properties: ``center`` ``[lat, lon]``, ``center_name``, ``km``, ``system``, ``class``,
    ``source``, ``label``, ``kind`` (see :func:`ring_kind`), ``center_assumed``, ``event_id`` and
    ``note``.

    Examples
    --------
    >>> from geo.model import LatLon, Ring
    >>> ring = Ring(LatLon(39.0392, 125.7625), "Pyongyang", 13_000.0, system="Hwasong-15")
    >>> fc = ring_feature_collection(ring)
    >>> [f["geometry"]["type"] for f in fc["features"]]
    ['Polygon', 'Point']
    >>> fc["features"][0]["properties"]["label"], fc["features"][0]["properties"]["kind"]
    ('Hwasong-15 13,000 km', 'north')
    """
    c = ring.center
    lat, lon = _check_point(c, "center")
    props = {
        "center": [lat, lon],
        "center_name": ring.center_name,
        "km": float(ring.km),
        "system": ring.system,
        "class": ring.weapon_class,
        "source": ring.source,
        "label": ring.label,
        "kind": ring_kind(c, ring.km),
        "center_assumed": ring.center_assumed,
        "event_id": ring.event_id,
        "note": ring.note,
    }
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": ring_geojson(c, ring.km, n=n), "properties": props},
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_wrap180(lon), lat]},
                "properties": {
                    "name": ring.center_name,
                    "role": "ring_center",
                    "center_assumed": ring.center_assumed,
                },
            },
        ],
    }
