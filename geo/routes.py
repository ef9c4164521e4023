"""Transfer routes: geodesic legs (missiles, flights), sea legs along sea lanes, schematic rail/road legs.

Every leg starts exactly at its start point and ends at its end point (its longitude shifted by a
multiple of 360° when the leg crosses the antimeridian, so a leg's longitudes stay continuous for Leaflet).

Sea legs follow the shipping-lane network of PyPI ``searoute`` (Apache-2.0; network from Eurostat SeaRoute /
ORNL), which is coarse near small ports (from Najin it first heads ~140 km east). Each sea leg is therefore
checked against the land of the bundled Natural Earth countries (``sitmap_data/gazetteer/countries.parquet``):
needless detours are cut where the straight way is open water, and stretches that cross land are re-routed
over a fine water grid, then straightened again. Land within a few kilometres of a stop is ignored (ports
sit on the coast line, which Natural Earth draws coarsely). A leg that finds no water route is drawn as a
schematic geodesic (``schematic=True``).

Examples
--------
>>> from geo.model import LatLon
>>> leg = geodesic_leg(LatLon(39.0, 125.75), LatLon(38.9, -77.04), start_name="Pyongyang", end_name="DC", n=8)
>>> leg.path[0], leg.path[-1], leg.mode
(LatLon(lat=39.0, lon=125.75), LatLon(lat=38.9, lon=282.96), 'air')
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
from collections.abc import Sequence
from importlib.resources import files

import numpy as np
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from geo.errors import DataError, InputError
from geo.geodesy import _geod
from geo.model import LatLon, Route, RouteLeg

__all__ = [
    "ROUTE_MODES",
    "build_route",
    "crosses_land",
    "geodesic_leg",
    "load_land",
    "rail_leg",
    "sea_leg",
]

#: Modes a leg can have.
ROUTE_MODES = ("sea", "rail", "road", "air", "missile")

# Land closer than this to a stop (port, waypoint) is ignored: coarse coast lines put ports on land.
_HARBOUR_KM = 8.0
# Ship canals and narrow straits that Natural Earth draws as land: sea legs may cross land within
# _CANAL_KM of these approximate centre lines (lat, lon; read off public maps).
_CANALS: tuple[tuple[tuple[float, float], ...], ...] = (
    (
        (31.265, 32.302),
        (30.85, 32.31),
        (30.57, 32.29),
        (30.40, 32.35),
        (30.30, 32.42),
        (30.20, 32.56),
        (29.93, 32.56),
    ),  # Suez
    ((9.35, -79.91), (9.27, -79.92), (9.12, -79.70), (8.95, -79.56)),  # Panama Canal
    ((41.23, 29.12), (41.03, 29.01), (40.99, 28.98)),  # Bosporus
    ((40.45, 26.70), (40.15, 26.40), (40.03, 26.18)),  # Dardanelles
    ((54.36, 10.14), (54.30, 9.70), (53.89, 9.14)),  # Kiel Canal
)
_CANAL_KM = 15.0
# Straight shortcuts are taken only up to this length (longer straight lon/lat lines drift from the
# lines a map draws).
_SHORTCUT_KM = 600.0


# ------------------------------------------------------------------------------------------------- land


class _Land:
    """Land polygons (with copies at ±360°) in an STR tree."""

    def __init__(self, geom: BaseGeometry) -> None:
        parts = [p for p in shapely.get_parts(geom) if not p.is_empty]
        shifted = []
        for dx in (-360.0, 0.0, 360.0):
            for p in parts:
                shifted.append(shapely.transform(p, lambda c, dx=dx: c + np.array([dx, 0.0])) if dx else p)
        self.parts = shifted
        self.tree = STRtree(shifted)
        for p in shifted:
            shapely.prepare(p)

    def hits(self, line: BaseGeometry) -> list[BaseGeometry]:
        idx = self.tree.query(line, predicate="intersects")
        return [self.parts[i] for i in idx]

    def within(self, bounds: tuple[float, float, float, float]) -> BaseGeometry | None:
        idx = self.tree.query(box(*bounds))
        if len(idx) == 0:
            return None
        return shapely.union_all([self.parts[i] for i in idx])


@functools.cache
def _default_land() -> _Land | None:
    try:
        path = files("sitmap_data").joinpath("gazetteer", "countries.parquet")
        if not path.is_file():
            return None
        import geopandas as gpd

        with path.open("rb") as fh:
            frame = gpd.read_parquet(fh)
    except (OSError, ValueError, ImportError) as exc:  # pragma: no cover - packaging problem
        raise DataError(f"the bundled country shapes cannot be read: {exc}") from exc
    return _Land(shapely.union_all(frame.geometry.values))


def load_land() -> BaseGeometry | None:
    """Return the land (union of the bundled country shapes) used to check sea legs, or ``None``.

    Examples
    --------
    >>> land = load_land()
    >>> land is None or land.geom_type in ("Polygon", "MultiPolygon")
    True
    """
    land = _default_land()
    if land is None:
        return None
    return shapely.union_all([p for p in land.parts if p.bounds[0] >= -180.0 and p.bounds[2] <= 180.0])


def _km_deg(km: float, lat: float) -> float:
    return km / (111.32 * max(math.cos(math.radians(lat)), 0.05))


@functools.cache
def _canals() -> BaseGeometry:
    lines = []
    for canal in _CANALS:
        line = LineString([(lon, lat) for lat, lon in canal])
        lines.append(line.buffer(_km_deg(_CANAL_KM, canal[0][0])))
    return shapely.union_all(lines)


def _harbours(stops: Sequence[LatLon]) -> BaseGeometry:
    circles = [_canals()]
    for s in stops:
        r = _km_deg(_HARBOUR_KM, s.lat)
        circles.append(Point(s.lon, s.lat).buffer(r, quad_segs=8))
        for dx in (-360.0, 360.0):
            circles.append(Point(s.lon + dx, s.lat).buffer(r, quad_segs=8))
    return shapely.union_all(circles)


def _on_land(land: _Land, pt: tuple[float, float], harbours: BaseGeometry) -> bool:
    p = Point(pt)
    return bool(not harbours.covers(p) and any(h.covers(p) for h in land.hits(p)))


def _segment_on_land(
    land: _Land, a: tuple[float, float], b: tuple[float, float], harbours: BaseGeometry
) -> bool:
    line = LineString([a, b])
    hits = land.hits(line)
    if not hits:
        return False
    rest = line.difference(harbours)
    if rest.is_empty:
        return False
    return any(rest.intersects(h) for h in hits)


def crosses_land(
    path: Sequence[LatLon], *, land: BaseGeometry | None = None, ignore_near: Sequence[LatLon] = ()
) -> bool:
    """Return whether a path (straight in lon/lat between vertices) crosses land.

    ``land`` defaults to the bundled country shapes (``False`` if they are missing); land within
    ~8 km of the points in ``ignore_near`` is ignored.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> from geo.model import LatLon
    >>> crosses_land([LatLon(0.0, -5.0), LatLon(0.0, 5.0)], land=box(-1.0, -1.0, 1.0, 1.0))
    True
    >>> crosses_land([LatLon(2.0, -5.0), LatLon(2.0, 5.0)], land=box(-1.0, -1.0, 1.0, 1.0))
    False
    """
    model = _Land(land) if land is not None else _default_land()
    if model is None:
        return False
    harbours = _harbours(ignore_near)
    pts = [(p.lon, p.lat) for p in _continuous(list(path))]
    return any(_segment_on_land(model, a, b, harbours) for a, b in itertools.pairwise(pts))


# ---------------------------------------------------------------------------------------------- helpers


def _check(p: LatLon, what: str) -> LatLon:
    lat, lon = float(p[0]), float(p[1])
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90.0:
        raise InputError(f"{what} must have a latitude in [-90, 90] and a finite longitude, got {p!r}")
    return LatLon(lat, lon)


def _continuous(path: list[LatLon]) -> list[LatLon]:
    """Unwrap longitudes so consecutive points differ by less than 180°, keeping the first point."""
    if not path:
        return path
    lon = np.unwrap(np.array([p.lon for p in path], dtype=float), period=360.0)
    lon += path[0].lon - lon[0]
    out = [path[0]]
    out.extend(LatLon(p.lat, float(x)) for p, x in zip(path[1:], lon[1:], strict=True))
    return out


def _end_exact(path: list[LatLon], end: LatLon) -> list[LatLon]:
    """Put ``end`` last, its longitude shifted by a multiple of 360° to stay continuous."""
    prev = path[-2].lon if len(path) > 1 else end.lon
    k = round((prev - end.lon) / 360.0)
    path[-1] = LatLon(end.lat, end.lon + 360.0 * k) if k else end
    return path


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(_geod().inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


# -------------------------------------------------------------------------------------------- geodesics


def geodesic_leg(
    a: LatLon, b: LatLon, *, start_name: str, end_name: str, mode: str = "air", n: int = 64
) -> RouteLeg:
    """Return a leg along the geodesic from ``a`` to ``b`` (``n`` points, both ends included).

    Used for missiles and flights. Longitudes are continuous (an antimeridian crossing goes past ±180).

    Examples
    --------
    >>> from geo.model import LatLon
    >>> leg = geodesic_leg(LatLon(0.0, 179.0), LatLon(0.0, -179.0), start_name="a", end_name="b", n=3)
    >>> [round(p.lon, 6) for p in leg.path]
    [179.0, 180.0, 181.0]
    """
    a, b = _check(a, "start"), _check(b, "end")
    if mode not in ROUTE_MODES:
        raise InputError(f"unknown route mode {mode!r}; expected one of {ROUTE_MODES}")
    if n < 2:
        raise InputError(f"a leg needs at least 2 points, got n={n!r}")
    inner = _geod().npts(a.lon, a.lat, b.lon, b.lat, n - 2) if n > 2 else []
    path = [a, *(LatLon(float(lat), float(lon)) for lon, lat in inner), b]
    path = _end_exact(_continuous(path), b)
    return RouteLeg(start_name=start_name, end_name=end_name, mode=mode, path=tuple(path))


def rail_leg(a: LatLon, b: LatLon, *, start_name: str, end_name: str, mode: str = "rail") -> RouteLeg:
    """Return a schematic rail (or road) leg: a geodesic arrow from ``a`` to ``b``, ``schematic=True``.

    The real line is not known to sitmap; the leg shows only direction and ends.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> khasan, tikhoretsk = LatLon(42.43, 130.64), LatLon(45.89, 40.04)
    >>> leg = rail_leg(khasan, tikhoretsk, start_name="Khasan", end_name="Tikhoretsk")
    >>> leg.schematic, leg.mode, leg.path[0], leg.path[-1]
    (True, 'rail', LatLon(lat=42.43, lon=130.64), LatLon(lat=45.89, lon=40.04))
    """
    if mode not in ("rail", "road"):
        raise InputError(f"a schematic land leg is 'rail' or 'road', got {mode!r}")
    leg = geodesic_leg(a, b, start_name=start_name, end_name=end_name, mode=mode, n=32)
    return RouteLeg(start_name=start_name, end_name=end_name, mode=mode, path=leg.path, schematic=True)


# ------------------------------------------------------------------------------------------------- sea


def _searoute(a: LatLon, b: LatLon) -> list[LatLon]:
    try:
        import searoute
    except ImportError:  # pragma: no cover - optional at run time; then water-grid routing only
        return [a, b]
    # searoute wants [lon, lat] *lists*: with tuples append_orig_dest is silently ignored
    feature = searoute.searoute([a.lon, a.lat], [b.lon, b.lat], append_orig_dest=True)
    coords = feature["geometry"]["coordinates"]
    path = [LatLon(float(lat), float(lon)) for lon, lat in coords]
    if not path:
        return [a, b]
    path[0] = a
    path[-1] = b
    return path


def _grid_route(
    land: _Land, a: tuple[float, float], b: tuple[float, float], harbours: BaseGeometry, margin: float
) -> list[tuple[float, float]] | None:
    """A* over water cells in a box around a and b; None when no water path exists in the box."""
    span = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
    pad = max(margin, 0.5 * span)
    x0, x1 = min(a[0], b[0]) - pad, max(a[0], b[0]) + pad
    y0, y1 = max(min(a[1], b[1]) - pad, -85.0), min(max(a[1], b[1]) + pad, 85.0)
    res = min(max(span / 150.0, 0.01), 0.25)
    nx = max((math.ceil((x1 - x0) / res)) + 1, 3)
    ny = max((math.ceil((y1 - y0) / res)) + 1, 3)
    xs = x0 + np.arange(nx) * res
    ys = y0 + np.arange(ny) * res
    gx, gy = np.meshgrid(xs, ys)
    local = land.within((x0, y0, x1, y1))
    if local is None:
        return [a, b]
    local = local.difference(harbours)
    blocked = shapely.contains_xy(local, gx.ravel(), gy.ravel()).reshape(ny, nx)
    # also block cells whose centre is within half a cell of land (thin isthmuses)
    blocked |= shapely.dwithin(local, shapely.points(gx.ravel(), gy.ravel()), res * 0.5).reshape(ny, nx)

    def cell(p: tuple[float, float]) -> tuple[int, int]:
        return ((round((p[1] - y0) / res)), (round((p[0] - x0) / res)))

    start, goal = cell(a), cell(b)
    blocked[start] = False
    blocked[goal] = False
    coslat = np.cos(np.radians(ys))
    steps = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]

    def h(c: tuple[int, int]) -> float:
        return math.hypot((c[0] - goal[0]), (c[1] - goal[1]) * coslat[c[0]])

    best = {start: 0.0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    heap = [(h(start), start)]
    while heap:
        _, cur = heapq.heappop(heap)
        if cur == goal:
            break
        g = best[cur]
        for di, dj in steps:
            nxt = (cur[0] + di, cur[1] + dj)
            if not (0 <= nxt[0] < ny and 0 <= nxt[1] < nx) or blocked[nxt]:
                continue
            cost = g + math.hypot(di, dj * coslat[cur[0]])
            if cost < best.get(nxt, math.inf):
                best[nxt] = cost
                came[nxt] = cur
                heapq.heappush(heap, (cost + h(nxt), nxt))
    if goal not in best:
        return None
    cells = [goal]
    while cells[-1] != start:
        cells.append(came[cells[-1]])
    cells.reverse()
    pts = [(float(xs[j]), float(ys[i])) for i, j in cells]
    pts[0], pts[-1] = a, b
    return pts


def _straighten(
    land: _Land, pts: list[tuple[float, float]], harbours: BaseGeometry
) -> list[tuple[float, float]]:
    """Greedy line-of-sight simplification: from each point jump to the farthest point reachable by a
    straight line over water no longer than the shortcut limit."""
    out = [pts[0]]
    i = 0
    while i < len(pts) - 1:
        j = len(pts) - 1
        while j > i + 1:
            if _km(pts[i], pts[j]) <= _SHORTCUT_KM and not _segment_on_land(land, pts[i], pts[j], harbours):
                break
            j -= 1
        out.append(pts[j])
        i = j
    return out


def _repair(
    land: _Land, pts: list[tuple[float, float]], harbours: BaseGeometry
) -> list[tuple[float, float]] | None:
    out = [pts[0]]
    for a, b in itertools.pairwise(pts):
        if _segment_on_land(land, a, b, harbours):
            detour = None
            for margin in (0.5, 1.5, 4.0):
                detour = _grid_route(land, a, b, harbours, margin)
                if detour is not None:
                    break
            if detour is None:
                return None
            detour = _straighten(land, detour, harbours)
            out.extend(detour[1:])
        else:
            out.append(b)
    return out


def sea_leg(
    a: LatLon,
    b: LatLon,
    *,
    start_name: str,
    end_name: str,
    waypoints: Sequence[LatLon] = (),
    land: BaseGeometry | None = None,
) -> RouteLeg:
    """Return a sea leg from ``a`` to ``b`` along sea lanes, through ``waypoints`` in order, avoiding land.

    The lane comes from ``searoute`` (points passed as ``[lon, lat]`` lists with ``append_orig_dest``),
    then is checked against ``land`` (default: the bundled country shapes): detours over open water are
    cut, stretches over land re-routed on a water grid. The path starts exactly at ``a`` and ends at
    ``b``. When no water route exists the leg is a schematic geodesic (``schematic=True``).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> from geo.model import LatLon
    >>> island = box(-1.0, -1.0, 1.0, 1.0)
    >>> leg = sea_leg(LatLon(0.0, -3.0), LatLon(0.0, 3.0), start_name="W", end_name="E", land=island)
    >>> leg.path[0], leg.path[-1], leg.schematic, crosses_land(leg.path, land=island)
    (LatLon(lat=0.0, lon=-3.0), LatLon(lat=0.0, lon=3.0), False, False)
    """
    a, b = _check(a, "start"), _check(b, "end")
    stops = [a, *(_check(w, "waypoint") for w in waypoints), b]
    path: list[LatLon] = [a]
    for p, q in itertools.pairwise(stops):
        path.extend(_searoute(p, q)[1:])
    path = _continuous(path)
    model = _Land(land) if land is not None else _default_land()
    if model is not None:
        harbours = _harbours(_continuous(stops))
        keep = {(s.lon, s.lat) for s in _continuous(stops)}
        # drop lane vertices that lie on land (coarse network nodes), keeping the stops
        pts = [(p.lon, p.lat) for p in path]
        pts = [pt for pt in pts if pt in keep or not _on_land(model, pt, harbours)]
        fixed = _repair(model, pts, harbours)
        if fixed is None:
            leg = geodesic_leg(a, b, start_name=start_name, end_name=end_name, mode="sea", n=32)
            return RouteLeg(start_name, end_name, "sea", leg.path, schematic=True)
        # cut detours, but keep the requested waypoints
        pieces: list[list[tuple[float, float]]] = [[fixed[0]]]
        for pt in fixed[1:]:
            pieces[-1].append(pt)
            if pt in keep:
                pieces.append([pt])
        straight: list[tuple[float, float]] = [fixed[0]]
        for piece in pieces:
            if len(piece) > 1:
                straight.extend(_straighten(model, piece, harbours)[1:])
        path = [LatLon(y, x) for x, y in straight]
        path[0] = a
    path = _end_exact(_continuous(path), b)
    return RouteLeg(start_name=start_name, end_name=end_name, mode="sea", path=tuple(path))


# ----------------------------------------------------------------------------------------------- routes


def build_route(
    stops: Sequence[tuple[str, LatLon]],
    modes: Sequence[str],
    *,
    label: str,
    event_id: str | None = None,
    quantity: str | None = None,
) -> Route:
    """Return a multi-leg route through ``stops`` (name, point), one mode per leg.

    ``sea`` legs follow sea lanes, ``rail``/``road`` legs are schematic, ``air``/``missile`` legs follow
    geodesics. Each leg starts where the previous one ended.

    Examples
    --------
    >>> from geo.model import LatLon
    >>> r = build_route([("Tumangang", LatLon(42.4217, 130.6026)), ("Khasan", LatLon(42.4301, 130.6449)),
    ...                  ("Tikhoretsk", LatLon(45.8884, 40.0424))], ["rail", "rail"], label="shells")
    >>> [(leg.start_name, leg.end_name, leg.mode) for leg in r.legs]
    [('Tumangang', 'Khasan', 'rail'), ('Khasan', 'Tikhoretsk', 'rail')]
    """
    if len(stops) < 2:
        raise InputError(f"a route needs at least two stops, got {len(stops)}")
    if len(modes) != len(stops) - 1:
        raise InputError(f"a route with {len(stops)} stops needs {len(stops) - 1} modes, got {len(modes)}")
    legs: list[RouteLeg] = []
    for (name_a, a), (name_b, b), mode in zip(stops[:-1], stops[1:], modes, strict=True):
        if mode == "sea":
            legs.append(sea_leg(a, b, start_name=name_a, end_name=name_b))
        elif mode in ("rail", "road"):
            legs.append(rail_leg(a, b, start_name=name_a, end_name=name_b, mode=mode))
        elif mode in ("air", "missile"):
            legs.append(geodesic_leg(a, b, start_name=name_a, end_name=name_b, mode=mode))
        else:
            raise InputError(f"unknown route mode {mode!r}; expected one of {ROUTE_MODES}")
    return Route(legs=tuple(legs), label=label, event_id=event_id, quantity=quantity)
