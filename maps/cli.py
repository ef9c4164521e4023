"""The ``sitmap`` command line (also ``python -m maps``).

Exit codes: 0 success; 1 internal error (a bug: the message says to rerun with ``--debug`` for the
traceback); 2 a user error (missing or unreadable input, bad option or value), reported as one line on
stderr; 3 some documents of a batch failed (the others are written); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from geo.aggregate import WINDOW_DAYS
from geo.errors import SitmapError, UnknownPlaceError, UserError
from geo.model import LatLon

__all__ = ["build_parser", "main"]

PROG = "sitmap"


class _UsageError(Exception):
    """argparse found a bad option or value."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit code 2 (handled by :func:`main`)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message}")


def _version() -> str:
    from geo.version import sitmap_version

    return sitmap_version()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``sitmap`` command."""
    p = _Parser(
        prog=PROG,
        description="Turn news articles into situation maps: places, events, range rings and routes, "
        "offline.",
        epilog="Exit codes: 0 ok, 1 internal error, 2 user error (bad input or option), 3 some documents of "
        "a batch failed. "
        "INPUT may be '-' for standard input.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    m = sub.add_parser(
        "map",
        help="render articles as one self-contained HTML map",
        description="Render one or more articles as one self-contained, offline HTML map. "
        "Several inputs are analysed together, each as its own paragraph.",
    )
    m.add_argument("inputs", nargs="+", metavar="INPUT", help="article text file(s), or - for stdin")
    m.add_argument("-o", "--output", required=True, metavar="OUT.html", help="the HTML file to write")
    m.add_argument("--title", help="map title (default: the input name)")
    m.add_argument(
        "--tiles",
        metavar="NAME",
        help="also add an online tile layer (e.g. OpenStreetMap); the default map needs no network",
    )
    m.add_argument("--geojson", metavar="OUT.geojson", help="also write every layer as RFC 7946 GeoJSON")
    m.add_argument("--kml", metavar="OUT.kml", help="also write every layer as KML (Google Earth)")
    m.add_argument(
        "--png",
        metavar="OUT.png",
        help="also write a PNG picture (headless Chromium when installed, else a static rendering)",
    )
    m.add_argument(
        "--embed",
        action="store_true",
        help="print an <iframe> snippet (with allowfullscreen) that embeds the map in a briefing page",
    )

    g = sub.add_parser(
        "geoparse",
        help="list the place mentions of articles",
        description="Find and resolve place mentions; one JSON object per toponym (JSON Lines).",
    )
    g.add_argument("inputs", nargs="+", metavar="INPUT", help="article text file(s), or - for stdin")
    g.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default jsonl)")

    e = sub.add_parser(
        "events",
        help="extract the events of an article",
        description="Extract events (who did what to whom, with what, where, how sure) as JSON.",
    )
    e.add_argument("input", metavar="INPUT", help="article text file, or - for stdin")
    e.add_argument("--format", choices=["json"], default="json", help="output format (default json)")

    c = sub.add_parser(
        "geocode",
        help="look a place name up in the bundled gazetteer",
        description="Look a name up in the bundled offline gazetteer (geopy's contract). "
        "Prints a JSON list, best first ([] when nothing matches).",
    )
    c.add_argument("name", metavar="NAME")
    c.add_argument(
        "--country",
        action="append",
        metavar="CC",
        help="restrict to an ISO 3166-1 alpha-2 country code (repeatable)",
    )
    c.add_argument("--limit", type=_positive_int, default=1, metavar="N", help="how many results (default 1)")
    c.add_argument("--format", choices=["json"], default="json", help="output format (default json)")

    r = sub.add_parser(
        "ring",
        help="a geodesic range ring as GeoJSON",
        description="Print a range ring computed on the WGS84 ellipsoid as an RFC 7946 FeatureCollection.",
    )
    at = r.add_mutually_exclusive_group(required=True)
    at.add_argument("--at", metavar="PLACE", help="centre: a place name from the gazetteer")
    at.add_argument("--lat", type=_latitude, metavar="LAT", help="centre latitude (with --lon)")
    r.add_argument("--lon", type=_longitude, metavar="LON", help="centre longitude (with --lat)")
    size = r.add_mutually_exclusive_group(required=True)
    size.add_argument("--km", type=_positive_float, metavar="KM", help="radius in kilometres")
    size.add_argument("--system", metavar="NAME", help="a weapon system or class from the catalogue")
    r.add_argument("--points", type=_positive_int, default=720, metavar="N", help="vertices (default 720)")
    r.add_argument("--format", choices=["geojson"], default="geojson", help="output format (default geojson)")

    b = sub.add_parser(
        "batch",
        help="analyse a corpus on Dask into GeoParquet",
        description="Analyse many articles (files, directories, JSON Lines with "
        "{id, text, title?, date?, url?} "
        "per line) on Dask: an embedded LocalCluster sized to the machine, or an existing cluster with "
        "--scheduler. Writes GeoParquet (EPSG:4326) with one row per document, toponym and event place; "
        "failed documents go to OUT.errors.parquet with their reason (exit code 3). Re-running with the "
        "same output skips finished documents.",
    )
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories or .jsonl files")
    b.add_argument(
        "-o", "--output", required=True, metavar="OUT.parquet", help="the GeoParquet file to write"
    )
    b.add_argument(
        "--workers", type=_positive_int, metavar="N", help="local worker processes (default: cores)"
    )
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="use an existing Dask cluster")
    b.add_argument(
        "--map",
        dest="map_output",
        metavar="OUT.html",
        help="also write one standalone map of the whole corpus: merged events (clustered), places "
        "mentioned, a date-range filter",
    )
    b.add_argument("--heatmap", action="store_true", help="add a heatmap layer to the --map")
    b.add_argument(
        "--merge-days",
        type=_non_negative_int,
        default=WINDOW_DAYS,
        metavar="N",
        help=f"merge reports of the same event dated at most N days apart (default {WINDOW_DAYS})",
    )
    b.add_argument("--title", metavar="TEXT", help="title of the --map")

    h = sub.add_parser(
        "reach",
        help="which places and countries a weapon system reaches from a place",
        description="Reach verdicts on the WGS84 ellipsoid: for each target (default: every "
        "country) whether it lies inside, partly inside or outside the system's range, with the "
        "distance to its nearest and farthest part and the margin.",
    )
    h.add_argument("--from", dest="origin", required=True, metavar="PLACE", help="launch point: a place name")
    size = h.add_mutually_exclusive_group(required=True)
    size.add_argument("--system", metavar="NAME", help="a weapon system or class from the catalogue")
    size.add_argument("--km", type=_positive_float, metavar="KM", help="a range in kilometres")
    h.add_argument(
        "--targets", nargs="+", metavar="NAME", help="places or countries to judge (default: every country)"
    )
    h.add_argument(
        "--all", action="store_true", help="with the default targets, also list countries out of reach"
    )
    h.add_argument("--format", choices=["json"], default="json", help="output format (default json)")
    return p


def _int_at_least(minimum: int, words: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {words}: {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1, "at least 1")
_non_negative_int = _int_at_least(0, "0 or more")


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = _float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _latitude(text: str) -> float:
    value = _float(text)
    if not -90 <= value <= 90:
        raise argparse.ArgumentTypeError(f"latitude must be within [-90, 90]: {text!r}")
    return value


def _longitude(text: str) -> float:
    value = _float(text)
    if not -180 <= value <= 180:
        raise argparse.ArgumentTypeError(f"longitude must be within [-180, 180]: {text!r}")
    return value


def _warn(message: str, err: IO[str]) -> None:
    print(f"{PROG}: warning: {message}", file=err)


def _read_all(paths: Sequence[str], err: IO[str]) -> list[Any]:
    from geo.text import read_input

    if sum(1 for p in paths if p == "-") > 1:
        raise UserError("standard input ('-') can be read only once")
    docs = [read_input(p) for p in paths]
    for d in docs:
        for w in d.warnings:
            _warn(w, err)
    return docs


def _cmd_map(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from geo.pipeline import analyze

    from .export import to_geojson_text, write_atomic
    from .renderer import render

    docs = _read_all(args.inputs, err)
    text = "\n\n".join(d.text for d in docs)
    source = ", ".join(d.name for d in docs)
    title = args.title or (docs[0].title if len(docs) == 1 else None)
    analysis = analyze(text, source=source, title=title, warnings=[w for d in docs for w in d.warnings])
    for w in analysis.warnings:
        if w not in {x for d in docs for x in d.warnings}:
            _warn(w, err)
    html = render(analysis, tiles=args.tiles).get_root().render()
    write_atomic(args.output, html, inputs=args.inputs)
    if args.geojson:
        write_atomic(args.geojson, to_geojson_text(analysis), inputs=args.inputs)
    if args.kml:
        from .export import to_kml

        write_atomic(args.kml, to_kml(analysis), inputs=args.inputs)
    if args.png:
        from .picture import write_png

        note = write_png(analysis, args.output, args.png, inputs=args.inputs)
        print(f"{PROG}: {note}", file=err)
    if args.embed:
        from .export import embed_snippet

        out.write(
            embed_snippet(args.output, title=analysis.document.title or analysis.document.source or "") + "\n"
        )
    print(
        f"wrote {args.output}: {len(analysis.places)} places, {len(analysis.events)} events, "
        f"{len(analysis.rings)} rings, {len(analysis.routes)} routes",
        file=err,
    )
    return 0


def _cmd_geoparse(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from geo.pipeline import geoparse_many

    docs = _read_all(args.inputs, err)
    results = geoparse_many([d.text for d in docs])
    for d, toponyms in zip(docs, results, strict=True):
        for t in toponyms:
            row = {"doc": d.name, **t.to_dict()}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def _cmd_events(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from geo.pipeline import analyze

    (doc,) = _read_all([args.input], err)
    analysis = analyze(doc.text, source=doc.name)
    out.write(
        json.dumps({"events": [e.to_dict() for e in analysis.events]}, ensure_ascii=False, indent=1) + "\n"
    )
    return 0


def _geocoder() -> Any:
    from geo.geocoder import OfflineGeocoder

    return OfflineGeocoder()


def _cmd_geocode(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if not args.name.strip():
        raise UserError("NAME is empty")
    found = (
        _geocoder().geocode(args.name, exactly_one=False, country_codes=args.country, limit=args.limit) or []
    )
    rows = [
        {
            "name": loc.raw.get("name", loc.address),
            "address": loc.address,
            "lat": loc.latitude,
            "lon": loc.longitude,
            **{k: v for k, v in loc.raw.items() if k not in ("name", "lat", "lon")},
        }
        for loc in found
    ]
    out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    return 0


def _cmd_ring(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from geo.geodesy import ring_feature_collection

    if args.at is not None:
        if args.lon is not None:
            raise UserError("--lon goes with --lat, not with --at")
        loc = _place(args.at)
        center, center_name = LatLon(loc.latitude, loc.longitude), loc.raw.get("name", args.at)
    else:
        if args.lon is None:
            raise UserError("--lat needs --lon")
        center, center_name = LatLon(args.lat, args.lon), f"{args.lat:.4f}, {args.lon:.4f}"
    ring = _ring_for(args, center, center_name)
    fc = ring_feature_collection(ring, n=args.points)
    out.write(json.dumps(fc, ensure_ascii=False) + "\n")
    return 0


def _ring_for(args: argparse.Namespace, center: LatLon, center_name: str) -> Any:
    from geo.model import Ring
    from geo.weapons import load_catalogue

    if args.system is None:
        return Ring(center=center, center_name=center_name, km=args.km)
    system = load_catalogue().require(args.system)
    if not system.has_range:
        raise UserError(f"{system.name!r} has no range in the catalogue; give --km instead")
    return Ring(
        center=center,
        center_name=center_name,
        km=float(system.max_km),
        system=None if system.is_class else system.name,
        weapon_class=system.weapon_class,
        source=f"{system.source} ({system.source_date})" if system.source_date else system.source,
    )


def _place(name: str) -> Any:
    loc = _geocoder().geocode(name)
    if loc is None:
        raise UnknownPlaceError(f"place not in the gazetteer: {name!r}")
    return loc


def _cmd_reach(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from geo.gazetteer import default_gazetteer
    from geo.model import Place
    from geo.reach import reach_verdicts

    gaz = default_gazetteer()
    origin = _place(args.origin)
    ring = _ring_for(args, LatLon(origin.latitude, origin.longitude), origin.raw.get("name", args.origin))
    places: list[Place] = []
    shapes: dict[str, Any] = {}
    names: dict[str, str] = {}
    if args.targets:
        for name in args.targets:
            loc = _place(name)
            raw = loc.raw
            shape = gaz.shape(raw["country_code"]) if raw.get("feature") == "country" else None
            if shape is not None:
                shapes[raw["country_code"]] = shape
                names[raw["country_code"]] = raw.get("name", name)
            else:
                places.append(
                    Place(
                        gazetteer_id=raw["gazetteer_id"],
                        name=raw.get("name", name),
                        lat=loc.latitude,
                        lon=loc.longitude,
                        country_code=raw.get("country_code"),
                        feature=raw.get("feature", "city"),
                    )
                )
    else:
        for cc in gaz.shape_keys():
            shape = gaz.shape(cc)
            country = gaz.country(cc)
            if shape is not None and country is not None:
                shapes[cc] = shape
                names[cc] = country.name
    verdicts = reach_verdicts(ring, places=places, shapes=shapes, names=names)
    if not args.targets and not args.all:
        verdicts = tuple(v for v in verdicts if v.verdict != "outside")
    result = {"ring": ring.to_dict(), "verdicts": [v.to_dict() for v in verdicts]}
    out.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


def _cmd_batch(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .batch import check_map_output, run_batch, write_corpus_map

    if args.map_output is not None:
        check_map_output(args.map_output, args.output, args.inputs)
    elif args.heatmap or args.title:
        raise UserError("--heatmap and --title need --map OUT.html")
    result = run_batch(args.inputs, args.output, workers=args.workers, scheduler=args.scheduler, progress=err)
    print(
        f"{PROG} batch: {result.done} documents analysed, {result.skipped} already done, {result.failed} "
        f"failed, {result.rows} rows in {args.output} "
        f"({result.seconds:.1f} s, {result.docs_per_s:.1f} docs/s)",
        file=err,
    )
    if args.map_output is not None and not Path(args.output).exists():
        _warn("no document was analysed, so no map was written", err)
    elif args.map_output is not None:
        summary = write_corpus_map(
            args.output,
            args.map_output,
            title=args.title,
            heatmap=args.heatmap,
            window_days=args.merge_days,
            inputs=args.inputs,
        )
        print(f"{PROG} batch: map {args.map_output}: {summary}", file=err)
    for doc_id, reason in result.failures[:20]:
        _warn(f"{doc_id}: {reason}", err)
    if result.failed:
        print(f"{PROG} batch: see {result.errors_path} for every failed document", file=err)
        return 3
    return 0


_COMMANDS = {
    "map": _cmd_map,
    "geoparse": _cmd_geoparse,
    "events": _cmd_events,
    "geocode": _cmd_geocode,
    "ring": _cmd_ring,
    "reach": _cmd_reach,
    "batch": _cmd_batch,
}


def main(
    argv: Sequence[str] | None = None, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> int:
    """Run the ``sitmap`` command line; returns the exit code (never raises for user errors)."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    args_list = [a for a in args_list if a != "--debug"]
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except _UsageError as exc:
        print(str(exc), file=err)
        return 2
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = _COMMANDS[args.command](args, out, err)
        for w in caught:
            _warn(str(w.message), err)
        return code
    except UserError as exc:
        print(f"{PROG} {args.command}: error: {_one_line(exc)}", file=err)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            raise
        kind = "error" if isinstance(exc, SitmapError) else "internal error"
        print(
            f"{PROG} {args.command}: {kind}: {type(exc).__name__}: {_one_line(exc)} "
            f"(rerun with --debug for details)",
            file=err,
        )
        return 1


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
