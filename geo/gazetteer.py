"""The bundled offline gazetteer: exact lookup of place names, demonyms, reverse lookup and shapes.

The data (``data/gazetteer/``, installed as ``sitmap_data``) is built by ``data/gazetteer/build.py`` from
GeoNames (CC BY 4.0), world-countries (ODbL) and curated tables; see the README there.

Lookups are exact over normalised names and alternate names (:func:`geo.normalize.normalize`). The name
index is a sorted array of 64-bit hashes of normalised keys with a parallel array of place rows, so a
lookup is one binary search and :class:`Candidate` objects are built only for hits. The build verifies
that no two distinct keys share a hash; a query that is not a stored key collides with one with a
probability of about 1e-13. Every field a candidate needs is packed at load into one fixed-size record per
place, read back with one :func:`struct.unpack_from` call, so a lookup stays above 100,000/s (issue 3)
even with the result cache cleared and every homonym built.

Ranking (best first) uses a prior, :attr:`Candidate.importance`: countries 3 + 0.05·log10(population)
(dependent territories 0.2 less), continents 2.6, curated regions and water bodies 2.0, admin1 regions
0.75 + 0.01·log10(population of their places), curated sites 0.7, admin2 regions 0.4, cities
0.1·log10(population) + 0.3 for a national capital; a city named like its admin1 region of which it is
the largest place (a capital or >= 50,000 people) gets that region's prior + 0.16 (Moscow, New York,
Donetsk). A match on an alternate
name costs 0.15, on a short form the build derived (``Krasnodar`` from ``Krasnodar Krai``) 0.35.

Examples
--------
>>> gaz = default_gazetteer()
>>> gaz.lookup("Moscow")[0].country_code
'RU'
>>> gaz.lookup("Moscow", country_codes=["US"])[0].admin1
'Idaho'
>>> gaz.demonym("North Korean").name
'North Korea'
"""

from __future__ import annotations

import functools
import json
import math
import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from geo.errors import GazetteerError, InputError
from geo.model import FEATURES, LatLon
from geo.normalize import key_hash, normalize

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["Candidate", "Gazetteer", "default_gazetteer"]

#: Penalty subtracted from the prior for a match on a primary name, an alternate name, a derived short form.
KIND_PENALTY = (0.0, 0.15, 0.35)
#: Features :meth:`Gazetteer.reverse` considers by default.
REVERSE_FEATURES = ("city", "site")
_EARTH_KM = 6371.0088
#: Lookup results kept per gazetteer (the whole cache is dropped when full).
_CACHE_SIZE = 65_536
_FILES = ("gazetteer.npz", "manifest.json")
_U64_MAX = 2**64 - 1
#: struct codes (little-endian, standard sizes) of the numpy dtypes a packed place record holds.
_STRUCT_CODES = {
    ("i", 1): "b",
    ("i", 2): "h",
    ("i", 4): "i",
    ("i", 8): "q",
    ("u", 1): "B",
    ("u", 2): "H",
    ("u", 4): "I",
    ("u", 8): "Q",
    ("f", 8): "d",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may refer to.

    ``gazetteer_id`` is ``gn:<geonameid>`` for GeoNames rows (countries, continents, cities),
    ``adm1:<CC>.<code>`` / ``adm2:<CC>.<code>.<code>`` for admin regions (their GeoNames ids are not in
    the inputs), ``wc:<cca3>`` for a country only world-countries has, ``site:<id>`` and ``region:<id>``
    for curated rows. ``importance`` is the ranking prior (see the module docstring), ``matched`` the
    normalised key that matched the query (the place's name or one of its alternate names).
    """

    gazetteer_id: str
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature: str
    feature_code: str
    population: int
    admin1: str | None
    importance: float
    matched: str = ""

    @property
    def latlon(self) -> LatLon:
        """The place as a :class:`~geo.model.LatLon`."""
        return LatLon(self.lat, self.lon)


class _NewCandidate:
    """``_NewCandidate(*values)`` is ``Candidate(*values)`` (all fields, positionally), about 3x faster.

    The frozen dataclass ``__init__`` stores every field with ``object.__setattr__``; this class has the
    same slots (so the same memory layout) and a plain ``__setattr__``, fills them with ordinary slot
    stores and then turns the new object into a :class:`Candidate`, which CPython allows between classes
    of the same layout. ``Candidate`` has no ``__post_init__``, so the result is the same object the
    dataclass would build; ``tests/test_gazetteer.py`` pins that both agree.
    """

    __slots__ = Candidate.__slots__

    def __init__(
        self,
        gazetteer_id: str,
        name: str,
        lat: float,
        lon: float,
        country_code: str | None,
        feature: str,
        feature_code: str,
        population: int,
        admin1: str | None,
        importance: float,
        matched: str,
    ) -> None:
        self.gazetteer_id = gazetteer_id
        self.name = name
        self.lat = lat
        self.lon = lon
        self.country_code = country_code
        self.feature = feature
        self.feature_code = feature_code
        self.population = population
        self.admin1 = admin1
        self.importance = importance
        self.matched = matched
        self.__class__ = Candidate  # type: ignore[assignment]


if _NewCandidate.__slots__ != tuple(f.name for f in fields(Candidate)):  # pragma: no cover
    raise AssertionError("_NewCandidate must mirror the fields of Candidate, in order")
#: ``_NewCandidate`` as what it returns.
_new_candidate = cast("Callable[..., Candidate]", _NewCandidate)


def _round4(values: np.ndarray) -> np.ndarray:
    """Return ``round(float(v), 4)`` for every value, as float64, exactly as Python's :func:`round`.

    For float32 values ``v * 1e4`` is exact in float64 (24 + 14 significant bits), so numpy's multiply,
    round-half-even and divide give the correctly rounded result that :func:`round` gives; other dtypes
    take the slow path.
    """
    if values.dtype.kind == "f" and values.dtype.itemsize <= 4:
        return np.round(values.astype(np.float64), 4)
    return np.array([round(float(v), 4) for v in values.tolist()], dtype=np.float64)


def _pack(columns: list[np.ndarray]) -> tuple[bytearray, struct.Struct]:
    """Pack parallel columns into one fixed-size little-endian record per row.

    Returns the records and the :class:`struct.Struct` that reads one back: ``unpack_from(records,
    row * size)`` gives the row's values as Python ints and floats in one call.
    """
    dtype = np.dtype([(f"f{j}", c.dtype.newbyteorder("<")) for j, c in enumerate(columns)])  # no padding
    layout = struct.Struct("<" + "".join(_STRUCT_CODES[c.dtype.kind, c.dtype.itemsize] for c in columns))
    if layout.size != dtype.itemsize:  # pragma: no cover - a layout bug, not a data problem
        raise AssertionError(f"record layout {layout.format!r} does not match {dtype}")
    buffer = bytearray(len(columns[0]) * layout.size)
    records = np.frombuffer(buffer, dtype=dtype)  # a writable view: the columns go straight into buffer
    for j, c in enumerate(columns):
        records[f"f{j}"] = c
    return buffer, layout


def _bundled_dir() -> Path:
    return Path(str(resources.files("sitmap_data") / "gazetteer"))


def _codes(values: Iterable[str] | None, what: str) -> frozenset[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    out = set()
    try:
        items = list(values)
    except TypeError:
        raise InputError(f"{what} must be an iterable of strings, got {values!r}") from None
    for v in items:
        if not isinstance(v, str):
            raise InputError(f"{what} must be strings, got {v!r}")
        out.add(v)
    return frozenset(out)


class Gazetteer:
    """The offline gazetteer; create it with :meth:`load` (or :func:`default_gazetteer`).

    Examples
    --------
    >>> gaz = default_gazetteer()
    >>> gaz.has("P'yŏngyang"), gaz.has("Atlantis City of Gold")
    (True, False)
    >>> seoul = gaz.lookup("Seoul")[0]
    >>> seoul.feature, seoul.country_code
    ('city', 'KR')
    >>> gaz.lookup("Najin")[0].name
    'Rajin'
    >>> gaz.country("GU").name
    'Guam'
    """

    version: str
    max_name_tokens: int

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        missing = [f for f in _FILES if not (directory / f).is_file()]
        if missing:
            raise GazetteerError(f"gazetteer files missing in {str(directory)!r}: {', '.join(missing)}")
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
            with np.load(directory / "gazetteer.npz", allow_pickle=False) as z:
                a = {k: z[k] for k in z.files}
            meta = json.loads(a.pop("meta").tobytes().decode("utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise GazetteerError(f"cannot read the gazetteer in {str(directory)!r}: {exc}") from exc
        self.manifest: dict[str, Any] = manifest
        self.version = str(manifest.get("version", "unknown"))
        self.max_name_tokens = int(meta["max_name_tokens"])
        self._hash: np.ndarray = a["hash"]
        self._row: np.ndarray = a["row"]
        self._kind: np.ndarray = a["kind"]
        self._lat: np.ndarray = a["lat_e5"]
        self._lon: np.ndarray = a["lon_e5"]
        self._pop: np.ndarray = a["population"]
        self._imp: np.ndarray = a["importance"]
        self._name_blob: bytes = a["name_blob"].tobytes()
        self._id_blob: bytes = a["id_blob"].tobytes()
        self._n = len(self._lat)
        vocab = meta["vocab"]
        self._cc_idx: np.ndarray = a["country_code"]
        self._cc_vals: list[str] = vocab["country_code"]
        self._feat_idx: np.ndarray = a["feature"]
        self._feat_vals: list[str] = vocab["feature"]
        self._fcode_idx: np.ndarray = a["feature_code"]
        self._fcode_vals: list[str] = vocab["feature_code"]
        self._a1_idx: np.ndarray = a["admin1"]
        self._a1_vals: list[str] = vocab["admin1"]
        # Index -1 (no single country, no admin1) reads as None.
        self._cc_or_none: list[str | None] = [*self._cc_vals, None]
        self._a1_or_none: list[str | None] = [*self._a1_vals, None]
        # Every field a candidate needs, one packed record per place, so a lookup reads a place with one
        # struct.unpack_from call instead of a numpy round trip per column. Record fields, in order:
        # 0 country, 1 feature, 2 feature_code, 3 admin1 (vocabulary indexes, -1 for none), 4 population,
        # 5-6 name and 7-8 id (start and end in their blobs), 9 lat, 10 lon (degrees), 11 importance as
        # stored (the ranking prior), 12 importance rounded to 4 decimals (Candidate.importance).
        name_off, id_off = a["name_off"], a["id_off"]
        self._records, layout = _pack(
            [
                self._cc_idx,
                self._feat_idx,
                self._fcode_idx,
                self._a1_idx,
                self._pop,
                name_off[:-1],
                name_off[1:],
                id_off[:-1],
                id_off[1:],
                self._lat / 1e5,  # the same IEEE division as int(lat_e5) / 1e5
                self._lon / 1e5,
                self._imp.astype(np.float64),
                _round4(self._imp),
            ]
        )
        self._record_format = layout.format
        self._record_size = layout.size
        self._unpack = layout.unpack_from
        self._id_off: np.ndarray = id_off
        self._cc_code = {c: i for i, c in enumerate(self._cc_vals)}
        self._feat_code = {f: i for i, f in enumerate(self._feat_vals)}
        self._demonyms: dict[str, int] = meta["demonyms"]
        self._demonym_firsts: frozenset[str] | None = None
        self._country_rows: dict[str, int] | None = None
        self._id_rows: dict[str, int] | None = None
        self._shapes: dict[str, BaseGeometry] | None = None
        self._tree: Any = None
        self._tree_keys: list[str] = []
        self._cache: dict[tuple[Any, ...], tuple[Candidate, ...]] = {}
        self._lat_order: np.ndarray | None = None
        self._lat_sorted: np.ndarray = np.empty(0, dtype=np.int32)

    # -- construction ------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Load a gazetteer from a directory (default: the bundled data).

        Parameters
        ----------
        path : str or os.PathLike, optional
            A directory holding ``gazetteer.npz`` and ``manifest.json`` (and ``countries.parquet`` for
            :meth:`shape` and :meth:`country_at`), as ``data/gazetteer/build.py`` writes them.

        Returns
        -------
        Gazetteer

        Raises
        ------
        GazetteerError
            If a file is missing or unreadable.

        Examples
        --------
        >>> len(Gazetteer.load()) > 200_000
        True
        """
        directory = _bundled_dir() if path is None else Path(os.fspath(path))
        return cls(directory)

    def __len__(self) -> int:
        return self._n

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_unpack"]  # a bound method of a struct.Struct, which does not pickle
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._unpack = struct.Struct(self._record_format).unpack_from

    def __repr__(self) -> str:
        return f"Gazetteer(version={self.version!r}, places={self._n})"

    # -- name lookups ------------------------------------------------------------------------------------
    def _span(self, key: str) -> tuple[int, int]:
        h = key_hash(key)
        if h == _U64_MAX:  # h + 1 would overflow; the span runs to the end
            return int(self._hash.searchsorted(np.uint64(h))), len(self._hash)
        # One search for both ends: the first hash >= h and the first hash >= h + 1 (i.e. > h).
        lo, hi = self._hash.searchsorted(np.array((h, h + 1), dtype=np.uint64)).tolist()
        return lo, hi

    def has(self, name: str) -> bool:
        """Return whether ``name`` (normalised) is a name or alternate name of any place.

        Demonyms are not names: see :meth:`demonym`.

        Examples
        --------
        >>> gaz = default_gazetteer()
        >>> gaz.has("North Korea’s"), gaz.has("the Sea of Japan"), gaz.has("")
        (True, True, False)
        """
        if not isinstance(name, str):
            raise InputError(f"place name must be a string, got {name!r}")
        key = normalize(name)
        if not key:
            return False
        h = np.uint64(key_hash(key))
        i = int(self._hash.searchsorted(h))
        return i < len(self._hash) and bool(self._hash[i] == h)

    def lookup(
        self,
        name: str,
        *,
        country_codes: Iterable[str] | None = None,
        features: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Candidate]:
        """Return the places named ``name``, best first.

        Parameters
        ----------
        name : str
            A place name as written; it is normalised (case, diacritics, apostrophes, possessive,
            leading "the").
        country_codes : iterable of str, optional
            Keep only places in these countries (ISO 3166-1 alpha-2). Places without a single country
            (continents, seas and regions shared by several countries) are kept.
        features : iterable of str, optional
            Keep only these features (``country``, ``admin1``, ``admin2``, ``city``, ``site``,
            ``region``, ``water``, ``continent``).
        limit : int, optional
            At most this many candidates.

        Returns
        -------
        list of Candidate
            Empty when nothing matches.

        Raises
        ------
        InputError
            For a non-string name, an unknown feature, a malformed country code or a bad limit.

        Examples
        --------
        >>> gaz = default_gazetteer()
        >>> [c.country_code for c in gaz.lookup("Paris", limit=2)]
        ['FR', 'US']
        >>> gaz.lookup("Georgia")[0].feature
        'country'
        >>> gaz.lookup("Georgia", country_codes="US")[0].feature
        'admin1'
        >>> gaz.lookup("Washington")[0].admin1
        'District of Columbia'
        >>> gaz.lookup("Kiev")[0].name == gaz.lookup("Kyiv")[0].name
        True
        """
        if not isinstance(name, str):
            raise InputError(f"place name must be a string, got {name!r}")
        ccs = None if country_codes is None else _codes(country_codes, "country_codes")
        feats = None if features is None else _codes(features, "features")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise InputError(f"limit must be a positive integer or None, got {limit!r}")
        key = normalize(name)
        if not key:
            return []
        cache_key = (key, ccs, feats, limit)
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self._lookup(key, ccs, feats, limit)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[cache_key] = cached
        return list(cached)

    def _lookup(
        self, key: str, ccs: frozenset[str] | None, feats: frozenset[str] | None, limit: int | None
    ) -> tuple[Candidate, ...]:
        cc_ok: set[int] | None = None
        if ccs is not None:
            bad = [c for c in ccs if len(c) != 2 or not c.isalpha()]
            if bad:
                raise InputError(f"country codes must be ISO 3166-1 alpha-2, got {sorted(bad)[0]!r}")
            cc_ok = {self._cc_code[c.upper()] for c in ccs if c.upper() in self._cc_code}
            cc_ok.add(-1)  # places without a single country
        feat_ok: set[int] | None = None
        if feats is not None:
            bad = [f for f in feats if f not in FEATURES]
            if bad:
                raise InputError(f"unknown feature {sorted(bad)[0]!r}; expected one of {FEATURES}")
            feat_ok = {self._feat_code[f] for f in feats if f in self._feat_code}
        lo, hi = self._span(key)
        if lo == hi:
            return ()
        records, unpack, size, penalty = self._records, self._unpack, self._record_size, KIND_PENALTY
        if hi - lo == 1:  # the common case: no ranking
            rec = unpack(records, int(self._row[lo]) * size)
            if (cc_ok is not None and rec[0] not in cc_ok) or (feat_ok is not None and rec[1] not in feat_ok):
                return ()
            return self._build([rec], key)
        ranked = []
        for row, kind in zip(self._row[lo:hi].tolist(), self._kind[lo:hi].tolist(), strict=True):
            rec = unpack(records, row * size)
            if (cc_ok is not None and rec[0] not in cc_ok) or (feat_ok is not None and rec[1] not in feat_ok):
                continue
            # Best score first, then population, then row order (deterministic); equal keys can only come
            # from the same row matched the same way, whose records are equal too.
            ranked.append((-(rec[11] - penalty[kind]), -rec[4], row, rec))
        if len(ranked) > 1:
            ranked.sort()
            if limit is not None:
                del ranked[limit:]
        return self._build([t[3] for t in ranked], key)

    def demonym(self, word: str) -> Candidate | None:
        """Return the country (or region within a country: "Texan", "English") a demonym or adjectival
        names, or ``None``.

        Examples
        --------
        >>> gaz = default_gazetteer()
        >>> gaz.demonym("Russian").country_code, gaz.demonym("Americans").country_code
        ('RU', 'US')
        >>> gaz.demonym("Soviet") is None
        True
        """
        if not isinstance(word, str):
            raise InputError(f"demonym must be a string, got {word!r}")
        key = normalize(word)
        row = self._demonyms.get(key)
        return None if row is None else self._candidate(row, key)

    def demonym_first_words(self) -> frozenset[str]:
        """The first words of the demonyms of more than one word ("north" of "North Korean"), so that a
        scanner tries longer runs only where one may start.

        Examples
        --------
        >>> words = default_gazetteer().demonym_first_words()
        >>> "north" in words, "russian" in words
        (True, False)
        """
        if self._demonym_firsts is None:
            self._demonym_firsts = frozenset(k.split(" ", 1)[0] for k in self._demonyms if " " in k)
        return self._demonym_firsts

    # -- by id / code ------------------------------------------------------------------------------------
    def get(self, gazetteer_id: str) -> Candidate | None:
        """Return the place with this ``gazetteer_id``, or ``None``.

        Examples
        --------
        >>> default_gazetteer().get("gn:1835848").name
        'Seoul'
        """
        if not isinstance(gazetteer_id, str):
            raise InputError(f"gazetteer id must be a string, got {gazetteer_id!r}")
        if self._id_rows is None:
            ib, off = self._id_blob, self._id_off.tolist()
            self._id_rows = {ib[off[i] : off[i + 1]].decode("utf-8"): i for i in range(self._n)}
        row = self._id_rows.get(gazetteer_id)
        return None if row is None else self._candidate(row)

    def country(self, country_code: str) -> Candidate | None:
        """Return the country or territory with this ISO 3166-1 alpha-2 code, or ``None``.

        Examples
        --------
        >>> default_gazetteer().country("kp").name
        'North Korea'
        """
        if not isinstance(country_code, str):
            raise InputError(f"country code must be a string, got {country_code!r}")
        if self._country_rows is None:
            fc = self._feat_code.get("country", -1)
            rows = np.flatnonzero(self._feat_idx == fc)
            self._country_rows = {str(self._cc_vals[self._cc_idx[r]]): int(r) for r in rows}
        row = self._country_rows.get(country_code.upper())
        return None if row is None else self._candidate(row)

    # -- reverse -----------------------------------------------------------------------------------------
    def reverse(
        self, point: LatLon | tuple[float, float], *, limit: int = 1, features: Iterable[str] | None = None
    ) -> list[Candidate]:
        """Return the places nearest to ``point`` (great-circle distance), nearest first.

        Parameters
        ----------
        point : LatLon or (lat, lon)
            Degrees, WGS84.
        limit : int
            How many places.
        features : iterable of str, optional
            Which features to consider (default: ``city`` and ``site``).

        Examples
        --------
        >>> default_gazetteer().reverse((37.57, 126.98))[0].name
        'Seoul'
        """
        lat, lon = _check_point(point)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise InputError(f"limit must be a positive integer, got {limit!r}")
        feats = _codes(features, "features") or frozenset(REVERSE_FEATURES)
        bad = [f for f in feats if f not in FEATURES]
        if bad:
            raise InputError(f"unknown feature {sorted(bad)[0]!r}; expected one of {FEATURES}")
        codes = [self._feat_code[f] for f in feats if f in self._feat_code]
        if self._lat_order is None:
            self._lat_order = np.argsort(self._lat, kind="stable")
            self._lat_sorted = self._lat[self._lat_order]
        # Search a latitude band and widen it until the k-th nearest place found lies closer than the
        # band's edge: every place outside the band is at least R * (band half-width) away.
        p1 = math.radians(lat)
        half = 0.5
        while True:
            lo = int(self._lat_sorted.searchsorted(round((lat - half) * 1e5), "left"))
            hi = int(self._lat_sorted.searchsorted(round((lat + half) * 1e5), "right"))
            idx = self._lat_order[lo:hi]
            idx = idx[np.isin(self._feat_idx[idx], codes)]
            whole = lat - half <= -90.0 and lat + half >= 90.0
            if len(idx) >= limit or whole:
                p2 = np.radians(self._lat[idx] * 1e-5)
                dlon = np.radians(self._lon[idx] * 1e-5 - lon)
                a = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
                k = min(limit, len(idx))
                if k == 0:
                    return []
                best = np.argpartition(a, k - 1)[:k]
                best = best[np.lexsort((idx[best], a[best]))]
                kth = 2 * math.asin(math.sqrt(min(1.0, float(a[best[-1]]))))
                if whole or kth <= math.radians(half):
                    return list(self._candidates(idx[best].tolist()))
            half *= 2

    # -- shapes ------------------------------------------------------------------------------------------
    def _load_shapes(self) -> dict[str, BaseGeometry]:
        if self._shapes is None:
            import pyarrow.parquet as pq
            import shapely

            path = self.directory / "countries.parquet"
            if not path.is_file():
                raise GazetteerError(f"country shapes missing: {str(path)!r}")
            try:
                table = pq.ParquetFile(path).read(columns=["iso_a2", "geometry"])
            except (OSError, ValueError) as exc:
                raise GazetteerError(f"cannot read {str(path)!r}: {exc}") from exc
            geoms = shapely.from_wkb(table.column("geometry").to_pylist())
            keys = [str(k) for k in table.column("iso_a2").to_pylist()]
            self._shapes = dict(zip(keys, geoms, strict=True))
            self._tree_keys = [k for k in keys if len(k) == 2]
            self._tree = shapely.STRtree([self._shapes[k] for k in self._tree_keys])
        return self._shapes

    def shape(self, key: str) -> BaseGeometry | None:
        """Return the polygon of a country (``"KP"``) or ``"US-CONT"`` (the contiguous US), or ``None``.

        Examples
        --------
        >>> default_gazetteer().shape("KP").geom_type in ("Polygon", "MultiPolygon")
        True
        """
        if not isinstance(key, str):
            raise InputError(f"shape key must be a string, got {key!r}")
        return self._load_shapes().get(key.upper())

    def shape_keys(self) -> tuple[str, ...]:
        """The ISO 3166-1 alpha-2 codes that have a country shape, sorted (``US-CONT`` is not among them).

        Examples
        --------
        >>> "GU" in default_gazetteer().shape_keys()
        True
        """
        self._load_shapes()
        return tuple(sorted(self._tree_keys))

    def country_at(self, point: LatLon | tuple[float, float]) -> str | None:
        """Return the ISO 3166-1 alpha-2 code of the country polygon holding ``point``, or ``None``.

        Examples
        --------
        >>> gaz = default_gazetteer()
        >>> gaz.country_at((39.03, 125.75)), gaz.country_at((0.0, -140.0))
        ('KP', None)
        """
        import shapely

        lat, lon = _check_point(point)
        self._load_shapes()
        hits = self._tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return min(self._tree_keys[int(i)] for i in hits)

    # -- helpers -----------------------------------------------------------------------------------------
    def _record(self, row: int) -> tuple[Any, ...]:
        return self._unpack(self._records, row * self._record_size)

    def _id(self, row: int) -> str:
        start, end = self._record(row)[7:9]
        return self._id_blob[start:end].decode("utf-8")

    def _candidate(self, row: int, matched: str = "") -> Candidate:
        return self._build([self._record(row)], matched)[0]

    def _candidates(self, rows: Iterable[int], matched: str = "") -> tuple[Candidate, ...]:
        """Build the candidates of ``rows``, in that order."""
        return self._build([self._record(r) for r in rows], matched)

    def _build(self, records: list[tuple[Any, ...]], matched: str) -> tuple[Candidate, ...]:
        """Build one candidate per packed place record, in order.

        Equivalent to ``Candidate(gazetteer_id, name, lat, lon, ...)`` per record (pinned by the tests),
        built by :class:`_NewCandidate` instead of the frozen ``__init__``, from numbers precomputed at
        load (``lat_e5 / 1e5``, ``round(importance, 4)``), so a name with dozens of homonyms stays cheap.
        """
        nb, ib = self._name_blob, self._id_blob
        cc_or_none, feat_vals, fcode_vals, a1_or_none = (
            self._cc_or_none,
            self._feat_vals,
            self._fcode_vals,
            self._a1_or_none,
        )
        new = _new_candidate
        return tuple(
            [
                new(
                    ib[gid:gid_end].decode("utf-8"),
                    nb[name:name_end].decode("utf-8"),
                    lat,
                    lon,
                    cc_or_none[cc],
                    feat_vals[fe],
                    fcode_vals[fc],
                    pop,
                    a1_or_none[a1],
                    imp,
                    matched,
                )
                for cc, fe, fc, a1, pop, name, name_end, gid, gid_end, lat, lon, _, imp in records
            ]
        )


def _check_point(point: Any) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in point)
    except (TypeError, ValueError):
        raise InputError(f"point must be (lat, lon) in degrees, got {point!r}") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or math.isnan(lat) or math.isnan(lon):
        raise InputError(f"point must be (lat, lon) in degrees, got {point!r}")
    return lat, lon


@functools.cache
def default_gazetteer() -> Gazetteer:
    """Return the bundled gazetteer, loaded once per process.

    Examples
    --------
    >>> default_gazetteer() is default_gazetteer()
    True
    """
    return Gazetteer.load()
