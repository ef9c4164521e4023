"""The installed version of sitmap (cheap to import).

Examples
--------
>>> isinstance(sitmap_version(), str)
True
"""

from __future__ import annotations

import importlib.metadata

__all__ = ["sitmap_version"]


def sitmap_version() -> str:
    """The installed version of the ``sitmap`` distribution."""
    try:
        return importlib.metadata.version("sitmap")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"
