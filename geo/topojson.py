"""A small TopoJSON decoder: arcs, delta decoding, transforms, (Multi)Polygons, and the antimeridian.

TopoJSON (https://github.com/topojson/topojson-specification) stores each shared boundary once as an *arc*;
geometries list arc indexes, where a negative index ``~i`` (that is ``-i - 1``) means arc ``i`` reversed.
A *quantized* topology has a ``transform`` (``scale`` and ``translate``) and delta-encoded integer arc
positions. This module decodes polygonal objects into shapely geometries in longitude/latitude.

Natural Earth data as published in npm ``world-atlas`` is stitched for spherical rendering: rings of
Russia, Fiji or Antarctica jump from +180° to −180° inside one ring, which is a stripe across the world in
planar longitude/latitude. :func:`split_antimeridian` cuts such polygons at ±180° so that every piece lies
in [−180, 180] and is valid for point-in-polygon tests; polygons around a pole are closed along the pole.

Examples
--------
>>> topo = {"type": "Topology", "arcs": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
...         "objects": {"sq": {"type": "GeometryCollection",
...                            "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "1"}]}}}
>>> [(f.id, f.geometry.area) for f in decode_object(topo, "sq")]
[('1', 1.0)]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

__all__ = [
    "TopoFeature",
    "decode_arcs",
    "decode_object",
    "polygonal",
    "ring_coordinates",
    "split_antimeridian",
]

Position = tuple[float, float]


@dataclass(frozen=True, slots=True)
class TopoFeature:
    """One decoded geometry of a TopoJSON object.

    Attributes
    ----------
    id : str or None
        The geometry's ``id`` (``None`` when the topology gives none), as a string.
    properties : Mapping[str, Any]
        The geometry's ``properties`` (empty when absent).
    geometry : shapely geometry
        A valid ``Polygon`` or ``MultiPolygon`` in longitude/latitude (or an empty ``GeometryCollection``).
    """

    id: str | None
    properties: Mapping[str, Any] = field(repr=False)
    geometry: BaseGeometry = field(repr=False)


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Position]]:
    """Decode every arc of a topology into absolute ``(x, y)`` positions.

    Quantized topologies (with a ``transform``) are delta-decoded and scaled; others are returned as
    stored. Extra dimensions beyond x and y are dropped.

    Parameters
    ----------
    topology : Mapping
        A parsed TopoJSON ``Topology``.

    Returns
    -------
    list of list of (float, float)

    Examples
    --------
    >>> quantized = {"transform": {"scale": [0.5, 2], "translate": [10, 20]},
    ...              "arcs": [[[0, 0], [2, 1], [-1, 0]]]}
    >>> decode_arcs(quantized)
    [[(10.0, 20.0), (11.0, 22.0), (10.5, 22.0)]]
    >>> decode_arcs({"arcs": [[[1.5, 2.5], [3, 4]]]})
    [[(1.5, 2.5), (3.0, 4.0)]]
    """
    transform = topology.get("transform")
    out: list[list[Position]] = []
    if transform is None:
        for arc in topology["arcs"]:
            out.append([(float(p[0]), float(p[1])) for p in arc])
        return out
    sx, sy = (float(v) for v in transform["scale"])
    tx, ty = (float(v) for v in transform["translate"])
    for arc in topology["arcs"]:
        x = y = 0
        positions: list[Position] = []
        for p in arc:
            x += p[0]
            y += p[1]
            positions.append((x * sx + tx, y * sy + ty))
        out.append(positions)
    return out


def ring_coordinates(arcs: Sequence[Sequence[Position]], indexes: Sequence[int]) -> list[Position]:
    """Join decoded arcs into one ring; index ``~i`` (``-i - 1``) walks arc ``i`` backwards.

    Consecutive arcs share their end/start position, which is kept once.

    Examples
    --------
    >>> arcs = [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)], [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]]
    >>> ring_coordinates(arcs, [0, ~1])
    [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    """
    ring: list[Position] = []
    for index in indexes:
        arc = list(arcs[~index])[::-1] if index < 0 else list(arcs[index])
        if ring and arc and ring[-1] == arc[0]:
            arc = arc[1:]
        ring.extend(arc)
    return ring


def _unwrap(ring: Sequence[Position]) -> list[Position]:
    """Shift longitudes by multiples of 360° so consecutive points differ by at most 180°."""
    out: list[Position] = []
    offset = 0.0
    previous: float | None = None
    for lon, lat in ring:
        if previous is not None:
            delta = lon - previous
            if delta > 180:
                offset -= 360
            elif delta < -180:
                offset += 360
        previous = lon
        out.append((lon + offset, lat))
    return out


def _crosses(ring: Sequence[Position]) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring))


def _close_around_pole(ring: list[Position]) -> list[Position]:
    """Close an unwrapped ring whose ends are 360° apart (it encircles a pole) along that pole."""
    mean_lat = sum(lat for _, lat in ring) / len(ring)
    pole = -90.0 if mean_lat < 0 else 90.0
    return [*ring, (ring[-1][0], pole), (ring[0][0], pole), ring[0]]


def split_antimeridian(rings: Sequence[Sequence[Position]], *, cut: bool = True) -> BaseGeometry:
    """Build a valid polygon from lon/lat rings that may jump across ±180°, cut at the antimeridian.

    Parameters
    ----------
    rings : sequence of rings
        The exterior ring first, then holes; each a sequence of ``(lon, lat)``.
    cut : bool, default True
        Cut at ±180° so every coordinate lies in [−180, 180] (for point-in-polygon tests). With
        ``False`` the polygon is only *unwrapped*: longitudes continue past ±180° (Chukotka up to about
        190°), which draws seamlessly in Leaflet (no border line along the antimeridian); it is shifted by
        a multiple of 360° so the middle of its longitude range lies within [−180, 180].

    Returns
    -------
    shapely Polygon or MultiPolygon
        Valid (``make_valid`` is applied when needed).

    Examples
    --------
    >>> g = split_antimeridian([[(170, 0), (-170, 0), (-170, 10), (170, 10), (170, 0)]])
    >>> g.geom_type, round(g.area, 6), g.bounds
    ('MultiPolygon', 200.0, (-180.0, 0.0, 180.0, 10.0))
    >>> split_antimeridian([[(170, 0), (-170, 0), (-170, 10), (170, 10), (170, 0)]], cut=False).bounds
    (170.0, 0.0, 190.0, 10.0)
    >>> split_antimeridian([[(0, 0), (1, 0), (1, 1), (0, 0)]]).geom_type
    'Polygon'
    """
    if not rings or len(rings[0]) < 4:
        return Polygon()
    if not any(_crosses(r) for r in rings):
        geom: BaseGeometry = Polygon(rings[0], rings[1:])
        return geom if geom.is_valid else shapely.make_valid(geom)
    fixed: list[list[Position]] = []
    for index, ring in enumerate(rings):
        unwrapped = _unwrap(ring)
        if abs(unwrapped[-1][0] - unwrapped[0][0]) > 180:
            unwrapped = _close_around_pole(unwrapped)
        if Polygon(unwrapped).area <= 1e-12:
            # e.g. world-atlas's Antarctica has a spherical "hole" running along the pole itself: no area.
            if index == 0:
                return Polygon()
            continue
        fixed.append(unwrapped)
    exterior = fixed[0]
    ex_min = min(lon for lon, _ in exterior)
    ex_max = max(lon for lon, _ in exterior)
    holes: list[list[Position]] = []
    for hole in fixed[1:]:
        centre = sum(lon for lon, _ in hole) / len(hole)
        shift = 0.0
        for k in (-360.0, 0.0, 360.0):
            if ex_min <= centre + k <= ex_max:
                shift = k
                break
        holes.append([(lon + shift, lat) for lon, lat in hole])
    whole: BaseGeometry = Polygon(exterior, holes)
    if not whole.is_valid:
        whole = shapely.make_valid(whole)
    if not cut:
        west, _, east, _ = whole.bounds
        shift = -360.0 * round((west + east) / 2 / 360)
        return polygonal(shapely.affinity.translate(whole, xoff=shift) if shift else whole)
    pieces: list[BaseGeometry] = []
    for k in (-2, -1, 0, 1, 2):
        part = whole.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, xoff=-360 * k))
    merged = shapely.union_all(pieces)
    return polygonal(merged)


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal parts of a geometry, as a valid Polygon or MultiPolygon.

    Invalid input is repaired with ``shapely.make_valid`` first; lines and points are dropped.

    Examples
    --------
    >>> from shapely.geometry import GeometryCollection, LineString, box
    >>> polygonal(GeometryCollection([box(0, 0, 1, 1), LineString([(0, 0), (5, 5)])])).wkt
    'POLYGON ((1 0, 1 1, 0 1, 0 0, 1 0))'
    >>> polygonal(LineString([(0, 0), (1, 1)])).is_empty
    True
    """
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polygons: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _geometry(arcs: Sequence[Sequence[Position]], obj: Mapping[str, Any], cut: bool) -> BaseGeometry:
    kind = obj.get("type")
    if kind == "Polygon":
        polygons = [obj["arcs"]]
    elif kind == "MultiPolygon":
        polygons = list(obj["arcs"])
    elif kind is None:
        return Polygon()
    else:
        raise ValueError(f"unsupported TopoJSON geometry type {kind!r} (only Polygon and MultiPolygon)")
    parts = [
        split_antimeridian([ring_coordinates(arcs, r) for r in polygon], cut=cut) for polygon in polygons
    ]
    parts = [p for p in parts if not p.is_empty]
    if not parts:
        return Polygon()
    merged = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    return polygonal(merged)


def decode_object(
    topology: Mapping[str, Any], name: str, *, cut_antimeridian: bool = True
) -> list[TopoFeature]:
    """Decode the polygonal geometries of one named object of a topology.

    Parameters
    ----------
    topology : Mapping
        A parsed TopoJSON ``Topology``.
    name : str
        The key in ``topology["objects"]``; a ``GeometryCollection`` or a single geometry.
    cut_antimeridian : bool, default True
        Passed to :func:`split_antimeridian` as ``cut``.

    Returns
    -------
    list of TopoFeature
        In the order of the topology; ids as strings; geometries valid (and cut at ±180° by default).

    Raises
    ------
    KeyError
        If the object does not exist.
    ValueError
        For non-polygonal geometry types.

    Examples
    --------
    >>> topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
    ...         "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
    ...         "objects": {"o": {"type": "Polygon", "arcs": [[0]], "properties": {"name": "sq"}}}}
    >>> f = decode_object(topo, "o")[0]
    >>> f.id, f.properties["name"], f.geometry.area
    (None, 'sq', 4.0)
    """
    obj = topology["objects"][name]
    arcs = decode_arcs(topology)
    members = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
    out: list[TopoFeature] = []
    for member in members:
        raw_id = member.get("id")
        out.append(
            TopoFeature(
                id=None if raw_id is None else str(raw_id),
                properties=dict(member.get("properties") or {}),
                geometry=_geometry(arcs, member, cut_antimeridian),
            )
        )
    return out
