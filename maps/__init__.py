"""sitmap's rendering and export (imports :mod:`geo`, never the reverse).

``maps.render(analysis)`` returns a :class:`folium.Map` (standalone: no network needed) that notebook
users can extend; ``maps.to_geojson(analysis)`` an RFC 7946 FeatureCollection of every layer;
``maps.render_corpus(frame)`` one map of a corpus table written by ``sitmap batch``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from geo.display import register_html_renderer

if TYPE_CHECKING:
    from geo.model import Analysis

    from .cli import main
    from .corpus_map import render_corpus
    from .export import embed_snippet, to_geojson, to_geojson_text, to_kml, write_atomic
    from .picture import write_png
    from .renderer import render

__all__ = [
    "embed_snippet",
    "main",
    "render",
    "render_corpus",
    "to_geojson",
    "to_geojson_text",
    "to_kml",
    "write_atomic",
    "write_png",
]

_LAZY = {
    "render": "renderer",
    "render_corpus": "corpus_map",
    "to_geojson": "export",
    "to_geojson_text": "export",
    "to_kml": "export",
    "embed_snippet": "export",
    "write_atomic": "export",
    "write_png": "picture",
    "main": "cli",
}


def _notebook_html(analysis: Analysis) -> str:
    from .renderer import notebook_html

    return notebook_html(analysis)


# once maps is imported, an Analysis shows itself as its map in notebooks (geo never imports maps)
register_html_renderer(_notebook_html)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
