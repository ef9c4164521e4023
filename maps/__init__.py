"""sitmap's rendering and export (imports :mod:`geo`, never the reverse).

``maps.render(analysis)`` returns a :class:`folium.Map` (standalone: no network needed) that notebook
users can extend; ``maps.to_geojson(analysis)`` an RFC 7946 FeatureCollection of every layer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cli import main
    from .export import to_geojson, to_geojson_text, write_atomic
    from .renderer import render

__all__ = ["main", "render", "to_geojson", "to_geojson_text", "write_atomic"]

_LAZY = {
    "render": "renderer",
    "to_geojson": "export",
    "to_geojson_text": "export",
    "write_atomic": "export",
    "main": "cli",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
