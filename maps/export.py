"""Exports of an analysis: RFC 7946 GeoJSON of every layer, and atomic, input-safe file writing.

Examples
--------
>>> split_antimeridian([[170.0, 0.0], [190.0, 0.0]])
[[[170.0, 0.0], [180.0, 0.0]], [[-180.0, 0.0], [-170.0, 0.0]]]
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geo.errors import OutputError
from geo.model import Analysis

from .layers import build_features

__all__ = ["split_antimeridian", "to_geojson", "to_geojson_text", "write_atomic"]


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


def _rfc7946_line(geometry: dict[str, Any]) -> dict[str, Any]:
    parts = split_antimeridian(geometry["coordinates"])
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def to_geojson(analysis: Analysis) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of every layer (places, areas, events, rings, routes).

    Each feature's ``properties`` say which ``layer`` it belongs to and carry its provenance
    (source sentence, event id, gazetteer id); the collection's foreign member ``sitmap`` records the
    source, dateline and the versions of sitmap, the model and the gazetteer.
    """
    features = []
    for f in build_features(analysis):
        if f.kind in ("label", "outline"):
            continue
        geometry = f.geometry
        if geometry.get("type") == "LineString":
            geometry = _rfc7946_line(geometry)
        features.append({"type": "Feature", "geometry": geometry, "properties": f.properties})
    doc = analysis.document
    return {
        "type": "FeatureCollection",
        "features": features,
        "sitmap": {
            "source": doc.source,
            "title": doc.title,
            "dateline": doc.dateline.to_dict() if doc.dateline else None,
            "versions": dict(analysis.versions),
            "warnings": list(analysis.warnings),
        },
    }


def to_geojson_text(analysis: Analysis) -> str:
    """:func:`to_geojson` as deterministic JSON text (stable key order, UTF-8, trailing newline)."""
    return json.dumps(to_geojson(analysis), ensure_ascii=False, indent=1) + "\n"


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, inputs: Iterable[str] = ()) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, then a rename).

    Refuses to write over any of ``inputs``; a reader never sees a half-written file, and an
    interrupted write leaves the old file (if any) untouched.
    """
    target = Path(path)
    for inp in inputs:
        if inp != "-" and Path(inp).exists() and target.exists() and os.path.samefile(inp, target):
            raise OutputError(f"refusing to overwrite the input file {str(path)!r}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"output folder does not exist: {str(folder)!r}")
    if target.is_dir():
        raise OutputError(f"output path is a directory: {str(path)!r}")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
