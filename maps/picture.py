"""A PNG picture of the map: headless Chromium when present, else a static matplotlib rendering.

:func:`write_png` screenshots the HTML map in Debian's headless ``chromium`` (:mod:`maps.browser`): the
picture is exactly what a reader of the HTML file sees. Without Chromium it draws the same layers with
geopandas and matplotlib (the optional extra ``sitmap[png]``) over the offline Natural Earth basemap: no
popups, badges or panels, but every place, area, event point, ring and route. Either way it returns a
one-line note saying how the picture was made.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import os
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path

from geo.errors import UserError
from geo.model import Analysis

from .browser import BrowserError, chromium_path, screenshot
from .export import write_atomic

__all__ = ["PictureError", "static_png", "write_png"]


class PictureError(UserError, RuntimeError):
    """No way to draw a PNG here (neither headless Chromium nor matplotlib is installed)."""


def _basemap_polygons() -> list[list[list[tuple[float, float]]]]:
    """The offline basemap's countries as lists of rings of ``(lon, lat)``, decoded from the vendored file."""
    from .standalone import asset_text

    data = json.loads(asset_text("basemap"))
    scale = float(data["scale"])
    out: list[list[list[tuple[float, float]]]] = []
    for country in data["countries"]:
        for polygon in country:
            rings: list[list[tuple[float, float]]] = []
            for flat in polygon:
                x = y = 0
                ring: list[tuple[float, float]] = []
                for i in range(0, len(flat), 2):
                    x += flat[i]
                    y += flat[i + 1]
                    ring.append((x / scale, y / scale))
                rings.append(ring)
            out.append(rings)
    return out


def static_png(analysis: Analysis, *, width_px: int = 1400, height_px: int = 900) -> bytes:
    """A static PNG of the analysis drawn with geopandas and matplotlib (no browser needed).

    Raises :class:`PictureError` when matplotlib is not installed.
    """
    if importlib.util.find_spec("matplotlib") is None:
        raise PictureError("a static PNG needs matplotlib: pip install 'sitmap[png]' (or matplotlib)")
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from geo.frames import to_geodataframe

    from .layers import EVENT_COLORS, FEATURE_COLORS, RING_COLORS
    from .standalone import BORDER_COLOUR, LAND_COLOUR, SEA_COLOUR

    frame = to_geodataframe(analysis)
    dpi = 100
    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout="constrained")
    try:
        ax.set_facecolor(SEA_COLOUR)
        land = PolyCollection([rings[0] for rings in _basemap_polygons()], fc=LAND_COLOUR, ec=BORDER_COLOUR)
        land.set_linewidth(0.4)
        ax.add_collection(land)
        located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        for _, row in located[located["layer"] == "areas"].iterrows():
            color = FEATURE_COLORS.get(str(row["feature"]), "#333333")
            located[located.index == row.name].plot(ax=ax, fc=color, alpha=0.15, ec=color, lw=0.8)
        for _, row in located[located["layer"] == "rings"].iterrows():
            color = RING_COLORS.get(str(row.get("class")), "#d73027")
            one = located[located.index == row.name]
            one.plot(ax=ax, fc=color, alpha=0.08, ec="none")
            one.boundary.plot(ax=ax, color=color, lw=1.2, ls="--")
        routes = located[located["layer"] == "routes"]
        if len(routes):
            routes.plot(ax=ax, color=EVENT_COLORS["ARMS_TRANSFER"], lw=2, ls="--")
        places = located[located["layer"] == "places"]
        for _, row in places.iterrows():
            color = FEATURE_COLORS.get(str(row["feature"]), "#333333")
            ax.plot(row.geometry.x, row.geometry.y, "o", color=color, mec="white", ms=6)
            ax.annotate(
                str(row["name"]),
                (row.geometry.x, row.geometry.y),
                xytext=(5, 3),
                textcoords="offset points",
                fontsize=8,
            )
        events = located[located["layer"] == "events"]
        for _, row in events.iterrows():
            color = EVENT_COLORS.get(str(row["type"]), "#333333")
            solid = row["factuality"] == "asserted"
            ax.plot(
                row.geometry.x, row.geometry.y, "s", ms=8, mfc=color if solid else "white", mec=color, mew=1.5
            )
        points = located[located["layer"].isin(["places", "events"])]
        minx, miny, maxx, maxy = points.total_bounds if len(points) else (-180.0, -60.0, 180.0, 80.0)
        if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):  # nothing located
            minx, miny, maxx, maxy = -180.0, -60.0, 180.0, 80.0
        padx, pady = max(8.0, (maxx - minx) * 0.12), max(6.0, (maxy - miny) * 0.12)
        ax.set_xlim(max(-180.0, minx - padx), min(180.0, maxx + padx))
        ax.set_ylim(max(-85.0, miny - pady), min(85.0, maxy + pady))
        with warnings.catch_warnings():  # "ignoring fixed y limits": wanted, the aspect wins
            warnings.simplefilter("ignore", UserWarning)
            ax.set_aspect(1.0 / max(0.2, math.cos(math.radians((miny + maxy) / 2))), adjustable="datalim")
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.set_xticks([])
        ax.set_yticks([])
        doc = analysis.document
        ax.set_title(doc.title or doc.source or "Situation map", fontsize=11, loc="left")
        fig.text(
            0.01,
            0.01,
            "Natural Earth (public domain); places: GeoNames (CC BY 4.0); sitmap — static "
            "rendering, see the HTML map for provenance",
            fontsize=7,
            color="#555",
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


def write_png(
    analysis: Analysis,
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    *,
    inputs: Iterable[str] = (),
) -> str:
    """Write a PNG of the map to ``png_path`` (atomically, never over an input); return how it was made.

    With headless Chromium the HTML map at ``html_path`` (already written) is screenshotted; without it,
    :func:`static_png` draws the analysis. Raises :class:`PictureError` when neither is possible.
    """
    exe = chromium_path()
    if exe is not None and Path(html_path).exists():
        with tempfile.TemporaryDirectory(prefix="sitmap-png-") as tmp:
            shot = Path(tmp) / "map.png"
            try:
                screenshot(html_path, shot)
            except BrowserError as exc:
                chromium_failed: str | None = str(exc)
            else:
                write_atomic(png_path, shot.read_bytes(), inputs=inputs)
                return f"PNG drawn by headless Chromium ({exe}) from {html_path}"
    else:
        chromium_failed = None
    try:
        data = static_png(analysis)
    except PictureError as exc:
        why = (
            f"Chromium failed ({chromium_failed})"
            if chromium_failed
            else "headless Chromium is not installed"
        )
        raise PictureError(
            f"cannot write {str(png_path)!r}: {why} (Debian: apt-get install chromium), and {exc}"
        ) from None
    write_atomic(png_path, data, inputs=inputs)
    why = f"Chromium failed: {chromium_failed}" if chromium_failed else "no headless Chromium"
    return f"PNG drawn statically with matplotlib ({why}; no badges, panels or popups)"
