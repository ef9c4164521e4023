"""Re-vendor the front-end files inlined by :mod:`maps.standalone` and rebuild the offline basemap.

Run ``python -m maps.build_assets [--cache DIR]``. It fetches each pinned npm package with ``npm pack``
(into ``DIR``, default ``~/.cache/sitmap/npm``), verifies the tarball's sha256, extracts the few files we
inline plus the package's licence into ``maps/assets/vendor/<package>-<version>/``, builds
``maps/assets/basemap/countries-50m.json`` (Natural Earth 1:50m countries from npm ``world-atlas``,
simplified topologically so neighbours keep shared borders, cut at ±180°, coordinates rounded) and writes
``maps/assets/manifest.json`` and ``maps/assets/README.md``. Nothing here runs at map-rendering time.

Examples
--------
>>> [p.name for p in PINS]
['leaflet', 'jquery', 'leaflet-polylinedecorator', 'leaflet.markercluster', 'leaflet.heat', 'world-atlas']
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import subprocess
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

from geo.topojson import decode_object

__all__ = [
    "ASSETS",
    "BASEMAP_DECIMALS",
    "BASEMAP_TOLERANCE",
    "PINS",
    "NpmPin",
    "build_basemap",
    "fetch",
    "main",
    "simplify_topology",
]

ASSETS = pathlib.Path(__file__).resolve().parent / "assets"

#: Douglas–Peucker tolerance in degrees applied to every arc (shared borders stay shared).
BASEMAP_TOLERANCE = 0.02
#: Decimal places kept in the basemap's GeoJSON (0.01° ≈ 1.1 km: invisible below zoom 7).
BASEMAP_DECIMALS = 2


@dataclass(frozen=True, slots=True)
class NpmPin:
    """One pinned npm package: what to fetch, its tarball hash, and which files to keep."""

    name: str
    version: str
    sha256: str
    licence: str
    files: tuple[str, ...]
    licence_file: str

    @property
    def tarball(self) -> str:
        """File name ``npm pack`` writes (``@scope/x`` packages are not used here)."""
        return f"{self.name}-{self.version}.tgz"

    @property
    def folder(self) -> str:
        """Folder under ``maps/assets/vendor`` holding the package's kept files."""
        return f"{self.name}-{self.version}"


PINS: tuple[NpmPin, ...] = (
    NpmPin(
        "leaflet",
        "1.9.4",
        "84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77",
        "BSD-2-Clause",
        (
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ),
        "LICENSE",
    ),
    NpmPin(
        "jquery",
        "3.7.1",
        "68a9f787516da47c680e09c187bcbac4536b6f85d90eb882844e12919e583f53",
        "MIT",
        ("dist/jquery.min.js",),
        "LICENSE.txt",
    ),
    NpmPin(
        # Its dist file bundles leaflet-rotatedmarker 0.2.0 (MIT, Benjamin Becquet): same licence.
        "leaflet-polylinedecorator",
        "1.6.0",
        "7d15a32c38cb294d24b932a6487e85e2bb3fd233777793f81754ef2258ef5518",
        "MIT",
        ("dist/leaflet.polylineDecorator.js",),
        "LICENSE",
    ),
    NpmPin(
        # Corpus maps: marker clustering.
        "leaflet.markercluster",
        "1.5.3",
        "fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c",
        "MIT",
        ("dist/leaflet.markercluster.js", "dist/MarkerCluster.css", "dist/MarkerCluster.Default.css"),
        "MIT-LICENCE.txt",
    ),
    NpmPin(
        # Corpus maps: the optional heatmap. Its dist file bundles simpleheat (BSD-2-Clause, same author).
        "leaflet.heat",
        "0.2.0",
        "6d980bce16b6bbe8e3b124d200dfd12964ff8f6bfff44eb3a47344f97dfc5c7f",
        "BSD-2-Clause",
        ("dist/leaflet-heat.js",),
        "LICENSE",
    ),
    NpmPin(
        # Natural Earth (public domain) as TopoJSON; the packaging is ISC.
        "world-atlas",
        "2.0.2",
        "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
        "ISC (data: Natural Earth, public domain)",
        (),
        "LICENSE",
    ),
)


def fetch(pin: NpmPin, cache_dir: pathlib.Path) -> pathlib.Path:
    """Return the verified tarball of ``pin`` in ``cache_dir``, running ``npm pack`` if it is missing.

    Raises
    ------
    RuntimeError
        If the tarball's sha256 differs from the pin.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / pin.tarball
    if not path.exists():
        subprocess.run(
            ["npm", "pack", f"{pin.name}@{pin.version}", "--pack-destination", str(cache_dir), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != pin.sha256:
        raise RuntimeError(f"{path}: sha256 {digest} differs from the pinned {pin.sha256}")
    return path


def _read_member(tarball: pathlib.Path, member: str) -> bytes:
    with tarfile.open(tarball, "r:gz") as tar:
        handle = tar.extractfile(f"package/{member}")
        if handle is None:
            raise RuntimeError(f"{tarball}: no file package/{member}")
        return handle.read()


def simplify_topology(topology: dict[str, Any], tolerance: float) -> dict[str, Any]:
    """Simplify every arc of a quantized topology (endpoints kept), returning a non-quantized topology.

    Because each shared border is one arc, neighbours stay seamless. Closed arcs (small islands) keep
    at least four positions so that they never vanish.

    Examples
    --------
    >>> topo = {"transform": {"scale": [1, 1], "translate": [0, 0]},
    ...         "arcs": [[[0, 0], [1, 0], [1, 0], [1, 0]]], "objects": {}}
    >>> simplify_topology(topo, 0.5)["arcs"]
    [[[0.0, 0.0], [3.0, 0.0]]]
    """
    from geo.topojson import decode_arcs

    arcs = decode_arcs(topology)
    out: list[list[list[float]]] = []
    for arc in arcs:
        if len(arc) <= 2:
            out.append([list(p) for p in arc])
            continue
        closed = arc[0] == arc[-1]
        simple = list(LineString(arc).simplify(tolerance, preserve_topology=False).coords)
        if closed and len(simple) < 4:
            simple = list(LineString(arc).simplify(tolerance / 8, preserve_topology=False).coords)
            if len(simple) < 4:
                simple = arc
        out.append([[float(x), float(y)] for x, y in simple])
    return {"type": "Topology", "arcs": out, "objects": topology["objects"]}


def build_basemap(
    topology: dict[str, Any], *, tolerance: float = BASEMAP_TOLERANCE, decimals: int = BASEMAP_DECIMALS
) -> dict[str, Any]:
    """Natural Earth countries in the compact basemap format read by :mod:`maps.standalone`.

    Format ``sitmap-basemap-1``: ``{"format", "scale", "countries", "unstroked"}`` where ``countries`` is a
    list (one entry per country, no properties: the layer is not interactive) of polygons, each a list of
    rings, each a flat list of integers ``[x0, y0, dx1, dy1, ...]``: longitude/latitude times ``scale``
    (``10**decimals``), delta-encoded after the first position. Rings that jump across ±180° are unwrapped
    (Chukotka's longitudes run on past 180°), so Leaflet draws neither stripes nor a seam; ``unstroked`` lists
    the countries ringing a pole (Antarctica), drawn without outline so the ring's closing edges along
    ±180° do not show. A country whose simplified shape collapses (Monaco, Macao) keeps its unsimplified
    shape.

    Examples
    --------
    >>> topo = {"transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    ...         "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
    ...         "objects": {"countries": {"type": "GeometryCollection",
    ...                                   "geometries": [{"type": "Polygon", "arcs": [[0]]}]}}}
    >>> basemap = build_basemap(topo, tolerance=0.01, decimals=1)
    >>> basemap["countries"], basemap["unstroked"]
    ([[[[100, 210, 10, 0, 0, -10, -10, 0, 0, 10]]]], [])
    """
    scale = 10**decimals
    simple = decode_object(simplify_topology(topology, tolerance), "countries", cut_antimeridian=False)
    original = decode_object(topology, "countries", cut_antimeridian=False)
    countries: list[list[list[list[int]]]] = []
    unstroked: list[int] = []
    for feature, full in zip(simple, original, strict=True):
        geom = shapely.set_precision(feature.geometry, 1 / scale)
        if geom.is_empty:
            geom = shapely.set_precision(full.geometry, 1 / scale)
        if geom.is_empty:
            continue
        polygons = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
        if geom.bounds[1] <= -89.99 or geom.bounds[3] >= 89.99:
            unstroked.append(len(countries))
        countries.append(
            [
                [_encode_ring(ring.coords, scale) for ring in (polygon.exterior, *polygon.interiors)]
                for polygon in polygons
                if isinstance(polygon, Polygon)
            ]
        )
    return {"format": "sitmap-basemap-1", "scale": scale, "countries": countries, "unstroked": unstroked}


def _encode_ring(coords: Any, scale: int) -> list[int]:
    out: list[int] = []
    px = py = 0
    for x, y in coords:
        ix, iy = round(x * scale), round(y * scale)
        out.extend((ix - px, iy - py))
        px, py = ix, iy
    return out


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(argv: Sequence[str] | None = None) -> None:
    """Fetch, verify and extract the pinned packages; build the basemap; write manifest and README."""
    parser = argparse.ArgumentParser(prog="python -m maps.build_assets", description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=pathlib.Path, default=pathlib.Path.home() / ".cache/sitmap/npm")
    args = parser.parse_args(argv)
    manifest: dict[str, dict[str, str]] = {}
    rows: list[str] = []
    for pin in PINS:
        tarball = fetch(pin, args.cache)
        folder = ASSETS / "vendor" / pin.folder
        folder.mkdir(parents=True, exist_ok=True)
        for member in (*pin.files, pin.licence_file):
            data = _read_member(tarball, member)
            target = folder / member.removeprefix("dist/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            rel = target.relative_to(ASSETS).as_posix()
            manifest[rel] = {
                "package": f"{pin.name}@{pin.version}",
                "licence": pin.licence,
                "sha256": _sha(data),
            }
            rows.append(f"| `{rel}` | {pin.name} {pin.version} | {pin.licence} | `{_sha(data)}` |")
        if pin.name == "world-atlas":
            topology = json.loads(_read_member(tarball, "countries-50m.json"))
            text = json.dumps(build_basemap(topology), separators=(",", ":")).encode()
            target = ASSETS / "basemap" / "countries-50m.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
            rel = target.relative_to(ASSETS).as_posix()
            manifest[rel] = {
                "package": f"{pin.name}@{pin.version}",
                "licence": pin.licence,
                "sha256": _sha(text),
            }
            rows.append(
                f"| `{rel}` | built from {pin.name} {pin.version} `countries-50m.json` "
                f"(tolerance {BASEMAP_TOLERANCE}°, {BASEMAP_DECIMALS} decimals) | "
                "Natural Earth: public domain | "
                f"`{_sha(text)}` |"
            )
    (ASSETS / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    tarballs = "\n".join(f"| {p.name} | {p.version} | {p.licence} | `{p.sha256}` |" for p in PINS)
    (ASSETS / "README.md").write_text(_README.format(tarballs=tarballs, files="\n".join(rows)))
    print(f"wrote {len(manifest)} files under {ASSETS}")


_README = """\
# Vendored front-end assets (generated by `python -m maps.build_assets`; do not edit by hand)

`maps.standalone` inlines these files into every map so the HTML makes no network request.
Re-vendor with:

    python -m maps.build_assets --cache ~/.cache/sitmap/npm

which runs `npm pack NAME@VERSION`, checks each tarball's sha256 against the pins in `maps/build_assets.py`,
and copies the files below (verbatim, except the basemap, which is built) with each package's licence file.
`manifest.json` holds the same sha256 table; `tests/test_standalone.py` checks the files against it.

## Pinned npm tarballs

| package | version | licence | tarball sha256 |
|---|---|---|---|
{tarballs}

Notes: `leaflet-polylinedecorator`'s dist file bundles `leaflet-rotatedmarker` 0.2.0 (MIT, same author);
`leaflet.heat`'s bundles `simpleheat` (BSD-2-Clause, same author). `leaflet.markercluster` and `leaflet.heat`
are inlined only into corpus maps (`sitmap batch --map`), the heatmap only when asked for.
Not bundled on purpose: `leaflet.geodesic` (GPL-3.0), Bootstrap, Font Awesome, Leaflet.awesome-markers
(the map does not use them). Leaflet's CSS images are inlined as `data:` URIs at render time.

## Files

| file | source | licence | sha256 |
|---|---|---|---|
{files}

Attribution shown on the map: "Natural Earth (public domain)". Licence texts: `vendor/*/LICENSE*`.
"""


if __name__ == "__main__":
    main()
