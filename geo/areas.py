"""Areas for country- and region-level mentions: a country mention highlights the country, not a pin.

Examples
--------
>>> from shapely.geometry import box
>>> g = simplified_geojson(box(0, 0, 1, 1), tolerance=0.01)
>>> g["type"], g["coordinates"][0][0]
('Polygon', [1.0, 0.0])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import mapping

from .model import LatLon

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from .gazetteer import Candidate, Gazetteer

__all__ = [
    "AREA_FEATURES",
    "area_geometry",
    "label_point",
    "nearest_boundary_point",
    "shape_key",
    "simplified_geojson",
]

#: Features drawn as areas rather than points.
AREA_FEATURES = frozenset({"country", "region", "water", "admin1"})
#: Region ids of the gazetteer that stand for a country shape variant.
_REGION_SHAPES = {"region:us-contiguous": "US-CONT"}


def _round(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), ndigits) for c in coords]
    return [_round(c, ndigits) for c in coords]


def simplified_geojson(geom: BaseGeometry, *, tolerance: float = 0.02, ndigits: int = 3) -> dict[str, Any]:
    """A GeoJSON geometry (``[lon, lat]``) of ``geom`` simplified to ``tolerance`` degrees and rounded."""
    simple = shapely.simplify(geom, tolerance, preserve_topology=True)
    if simple.is_empty:
        simple = geom
    gj = mapping(simple)
    return {"type": gj["type"], "coordinates": _round(gj["coordinates"], ndigits)}


def shape_key(gazetteer_id: str | None, feature: str | None, country_code: str | None) -> str | None:
    """The key of the gazetteer shape a place stands for: its country code for a country, ``US-CONT`` for
    the contiguous United States, else ``None``.

    Examples
    --------
    >>> shape_key("gn:1861060", "country", "JP"), shape_key("region:us-contiguous", "region", "US")
    ('JP', 'US-CONT')
    >>> shape_key("gn:1835848", "city", "KR") is None
    True
    """
    if feature == "country" and country_code:
        return country_code
    if gazetteer_id in _REGION_SHAPES:
        return _REGION_SHAPES[gazetteer_id]
    return None


def label_point(area: Mapping[str, Any]) -> LatLon | None:
    """Where an area's name goes: the centroid of its largest part, or the part's pole of inaccessibility
    when the centroid falls outside it (GeoJSON in, lat/lon out).

    A country's gazetteer point may be its capital (GeoNames puts Japan at Tokyo); its name is written in
    the middle of its largest landmass instead (Honshu, the contiguous United States).

    Examples
    --------
    >>> from shapely.geometry import box, mapping
    >>> label_point(mapping(box(0, 0, 10, 2).union(box(20, 0, 21, 1))))
    LatLon(lat=1.0, lon=5.0)
    """
    from shapely.geometry import shape
    from shapely.ops import polylabel

    geom = shape(area)
    if geom.is_empty:
        return None
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    if largest.geom_type != "Polygon":
        return None
    p = largest.centroid
    if not largest.contains(p):
        p = polylabel(largest, tolerance=0.05)
    return LatLon(round(p.y, 4), round(p.x, 4))


def nearest_boundary_point(origin: LatLon, geom: BaseGeometry) -> LatLon:
    """The vertex of ``geom``'s outline geodesically nearest to ``origin`` (WGS84)."""
    from pyproj import Geod

    coords = np.concatenate(
        [np.asarray(ring.coords) for poly in getattr(geom, "geoms", [geom]) for ring in (poly.exterior,)]
    )
    n = len(coords)
    _, _, dist = Geod(ellps="WGS84").inv(
        np.full(n, origin.lon), np.full(n, origin.lat), coords[:, 0], coords[:, 1]
    )
    i = int(np.argmin(dist))
    return LatLon(float(coords[i, 1]), float(coords[i, 0]))


def area_geometry(cand: Candidate, gaz: Gazetteer) -> dict[str, Any] | None:
    """The simplified outline a country- or region-level candidate stands for, or ``None``."""
    key = shape_key(cand.gazetteer_id, cand.feature, cand.country_code)
    shape = gaz.shape(key) if key else None
    if shape is None and cand.feature in ("region", "water"):
        shape = gaz.shape(cand.gazetteer_id)
    if shape is None or shape.is_empty:
        return None
    return simplified_geojson(shape, tolerance=0.05, ndigits=2)
