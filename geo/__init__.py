"""sitmap's text → places → events → geometry stages (never imports folium or :mod:`maps`).

The public API is re-exported here; heavy modules (spaCy, the gazetteer) load on first use, so
``import geo`` stays cheap.

Examples
--------
>>> import geo
>>> geo.LatLon(37.5665, 126.978).lat
37.5665
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    DataError,
    GazetteerError,
    InputError,
    ModelError,
    OutputError,
    SitmapError,
    UnknownPlaceError,
    UnknownSystemError,
    UserError,
)
from .model import (
    Actor,
    Analysis,
    Dateline,
    Document,
    Event,
    EventPlace,
    EventTime,
    Evidence,
    Factuality,
    LatLon,
    Mention,
    Place,
    Quantity,
    ReachVerdict,
    Ring,
    Route,
    RouteLeg,
    Toponym,
    Weapon,
)
from .version import sitmap_version

if TYPE_CHECKING:
    from .gazetteer import Candidate, Gazetteer
    from .geocoder import OfflineGeocoder
    from .pipeline import Resources, analyze, analyze_many, geoparse, geoparse_many
    from .weapons import Catalogue, WeaponSystem

__all__ = [
    "Actor",
    "Analysis",
    "Candidate",
    "Catalogue",
    "DataError",
    "Dateline",
    "Document",
    "Event",
    "EventPlace",
    "EventTime",
    "Evidence",
    "Factuality",
    "Gazetteer",
    "GazetteerError",
    "InputError",
    "LatLon",
    "Mention",
    "ModelError",
    "OfflineGeocoder",
    "OutputError",
    "Place",
    "Quantity",
    "ReachVerdict",
    "Resources",
    "Ring",
    "Route",
    "RouteLeg",
    "SitmapError",
    "Toponym",
    "UnknownPlaceError",
    "UnknownSystemError",
    "UserError",
    "Weapon",
    "WeaponSystem",
    "analyze",
    "analyze_many",
    "geoparse",
    "geoparse_many",
    "sitmap_version",
]

_LAZY = {
    "analyze": "pipeline",
    "analyze_many": "pipeline",
    "geoparse": "pipeline",
    "geoparse_many": "pipeline",
    "Resources": "pipeline",
    "Gazetteer": "gazetteer",
    "Candidate": "gazetteer",
    "OfflineGeocoder": "geocoder",
    "Catalogue": "weapons",
    "WeaponSystem": "weapons",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
