"""Exports of an analysis: RFC 7946 GeoJSON and KML of every layer, an ``<iframe>`` snippet to embed the
map, and atomic, input-safe file writing.

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
from html import escape as _html_escape
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as _xml_escape

from geo.errors import OutputError
from geo.frames import split_antimeridian
from geo.model import Analysis

from .layers import LAYER_TITLES, Feature, build_features

__all__ = ["embed_snippet", "split_antimeridian", "to_geojson", "to_geojson_text", "to_kml", "write_atomic"]

#: Feature kinds that are map furniture (labels, outlines, badge frames), not data: never exported.
_FURNITURE = frozenset({"label", "outline", "tray"})


def _rfc7946_line(geometry: dict[str, Any]) -> dict[str, Any]:
    parts = split_antimeridian(geometry["coordinates"])
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _export_geometry(f: Feature) -> dict[str, Any] | None:
    """The RFC 7946 geometry of a feature; ``None`` for an event the text gives no place for."""
    if f.kind == "listed" or not f.geometry:
        return None
    if f.geometry.get("type") == "LineString":
        return _rfc7946_line(f.geometry)
    return f.geometry


def to_geojson(analysis: Analysis) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of every layer (places, areas, events, rings, routes).

    Each feature's ``properties`` say which ``layer`` it belongs to and carry its provenance
    (source sentence, event id, gazetteer id); the collection's foreign member ``sitmap`` records the
    source, dateline and the versions of sitmap, the model and the gazetteer. An event with no place has
    a ``null`` geometry (RFC 7946 §3.2).
    """
    features = [
        {"type": "Feature", "geometry": _export_geometry(f), "properties": f.properties}
        for f in build_features(analysis)
        if f.kind not in _FURNITURE
    ]
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


# --------------------------------------------------------------------------------------------------------
# KML


def _kml_colour(hex_rgb: str, alpha: float) -> str:
    """KML's ``aabbggrr`` from ``#rrggbb``.

    Examples
    --------
    >>> _kml_colour("#d95f02", 1.0)
    'ff025fd9'
    """
    h = hex_rgb.lstrip("#")
    if len(h) != 6:
        h = "333333"
    return f"{round(alpha * 255):02x}{h[4:6]}{h[2:4]}{h[0:2]}"


def _kml_coords(points: Iterable[Iterable[float]]) -> str:
    return " ".join(",".join(f"{float(v):.6f}".rstrip("0").rstrip(".") for v in list(p)[:2]) for p in points)


def _kml_geometry(geometry: dict[str, Any] | None) -> str:
    if not geometry:
        return ""
    kind: Any = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    if kind == "Point":
        return f"<Point><coordinates>{_kml_coords([coords])}</coordinates></Point>"
    if kind == "LineString":
        return (
            f"<LineString><tessellate>1</tessellate><coordinates>{_kml_coords(coords)}</coordinates>"
            "</LineString>"
        )
    if kind == "Polygon":
        rings = [f"<LinearRing><coordinates>{_kml_coords(r)}</coordinates></LinearRing>" for r in coords]
        inner = "".join(f"<innerBoundaryIs>{r}</innerBoundaryIs>" for r in rings[1:])
        return (
            f"<Polygon><tessellate>1</tessellate><outerBoundaryIs>{rings[0]}</outerBoundaryIs>{inner}"
            "</Polygon>"
        )
    if kind in ("MultiLineString", "MultiPolygon", "MultiPoint"):
        single = kind[len("Multi") :]
        parts = "".join(_kml_geometry({"type": single, "coordinates": c}) for c in coords)
        return f"<MultiGeometry>{parts}</MultiGeometry>"
    if kind == "GeometryCollection":
        return (
            "<MultiGeometry>" + "".join(_kml_geometry(g) for g in geometry["geometries"]) + "</MultiGeometry>"
        )
    return ""


def _kml_name(f: Feature) -> str:
    p = f.properties
    if f.layer in ("places", "areas"):
        return str(p.get("name") or "")
    if f.layer == "events":
        where = f" at {p['anchor']}" if p.get("anchor") else " (no place named)"
        return f"{str(p.get('type', '')).replace('_', ' ').lower()} ({p.get('factuality')}){where}"
    if f.layer == "routes":
        return f"{p.get('label')} — leg {int(p.get('leg', 0)) + 1}: {p.get('from')} → {p.get('to')}"
    return str(p.get("label") or f.label)


def _kml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _kml_style(f: Feature) -> tuple[str, str]:
    """A style id and its ``<Style>`` element for ``f``."""
    s = f.style
    color = str(s.get("fillColor") or s.get("color") or "#333333")
    if f.kind == "point" and color == "#ffffff":
        color = str(s.get("fillColor", "#333333"))
    key = f"{f.layer}-{f.kind}-{color.lstrip('#')}"
    if f.layer in ("areas", "rings"):
        body = (
            f"<LineStyle><color>{_kml_colour(color, 0.9)}</color><width>2</width></LineStyle>"
            f"<PolyStyle><color>{_kml_colour(color, 0.15)}</color></PolyStyle>"
        )
    elif f.layer == "routes":
        body = f"<LineStyle><color>{_kml_colour(color, 0.9)}</color><width>3</width></LineStyle>"
    else:
        body = (
            f"<IconStyle><color>{_kml_colour(color, 1.0)}</color><scale>0.8</scale>"
            "<Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon>"
            "</IconStyle>"
        )
    return key, f'<Style id="{key}">{body}</Style>'


def to_kml(analysis: Analysis) -> str:
    """Every layer of ``analysis`` as a KML 2.2 document (Google Earth), one folder per layer.

    Geometries are those of :func:`to_geojson` (rings and lines split at ±180°); each placemark's
    description is the escaped provenance popup of the map, and its ``ExtendedData`` holds the same
    properties as the GeoJSON feature. Events the text gives no place for are placemarks without geometry.
    Deterministic: the same analysis gives the same text.

    Examples
    --------
    >>> from geo.model import Analysis, Document
    >>> kml = to_kml(Analysis(document=Document(text="", source="x")))
    >>> kml.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "<Document>" in kml
    True
    """
    features = [f for f in build_features(analysis) if f.kind not in _FURNITURE]
    styles: dict[str, str] = {}
    folders: dict[str, list[str]] = {key: [] for key in LAYER_TITLES}
    for f in features:
        style_id, style = _kml_style(f)
        styles.setdefault(style_id, style)
        data = "".join(
            f'<Data name="{_xml_escape(str(k), {chr(34): "&quot;"})}">'
            f"<value>{_xml_escape(_kml_value(v))}</value></Data>"
            for k, v in f.properties.items()
        )
        folders.setdefault(f.layer, []).append(
            "<Placemark>"
            f"<name>{_xml_escape(_kml_name(f))}</name>"
            f"<description>{_xml_escape(f.popup)}</description>"
            f"<styleUrl>#{style_id}</styleUrl>"
            f"<ExtendedData>{data}</ExtendedData>"
            f"{_kml_geometry(_export_geometry(f))}"
            "</Placemark>"
        )
    doc = analysis.document
    name = doc.title or doc.source or "sitmap"
    attribution = (
        "Places: GeoNames (CC BY 4.0), world-countries (ODbL); areas: Natural Earth; made with sitmap"
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2">',
        "<Document>",
        f"<name>{_xml_escape(name)}</name>",
        f"<description>{_xml_escape(attribution)}</description>",
        *(styles[k] for k in sorted(styles)),
    ]
    for key, title in LAYER_TITLES.items():
        marks = folders.get(key) or []
        if marks:
            parts.append(f"<Folder><name>{_xml_escape(title)}</name>{''.join(marks)}</Folder>")
    parts += ["</Document>", "</kml>", ""]
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------------------
# Embedding


def embed_snippet(html_path: str, *, title: str) -> str:
    """An ``<iframe>`` that embeds the map file in a briefing page (full width, fullscreen allowed).

    An iframe keeps the map's CSS and scripts apart from the host page's. ``src`` is ``html_path`` as
    given (relative paths stay relative to the host page), URL-quoted; the title is HTML-escaped.

    Examples
    --------
    >>> print(embed_snippet("maps/seed map.html", title='NK <arms> "Najin"'))
    <iframe src="maps/seed%20map.html" title="NK &lt;arms&gt; &quot;Najin&quot;" width="100%" height="600" \
style="border:0" loading="lazy" allowfullscreen></iframe>
    """
    src = quote(Path(html_path).as_posix() if html_path else "", safe="/:.-_~")
    label = _html_escape(title or "Situation map", quote=True)
    return (
        f'<iframe src="{src}" title="{label}" width="100%" height="600" '
        'style="border:0" loading="lazy" allowfullscreen></iframe>'
    )
