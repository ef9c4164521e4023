"""An offline geocoder over the bundled gazetteer that follows geopy's geocoder contract.

Code written against :class:`OfflineGeocoder` can swap in ``geopy.geocoders.Nominatim`` (online) and
back: ``geocode`` and ``reverse`` take the same arguments and return ``geopy.location.Location``
objects (or a list of them, or ``None`` when nothing is found).

Examples
--------
>>> geocoder = OfflineGeocoder()
>>> loc = geocoder.geocode("Pyongyang")
>>> loc.raw["country_code"], round(loc.latitude, 1), round(loc.longitude, 1)
('KP', 39.0, 125.8)
>>> geocoder.geocode("Moscow", country_codes="us").address
'Moscow, Idaho, United States'
>>> geocoder.geocode("Atlantis City of Gold") is None
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, Literal, overload

from geopy.location import Location
from geopy.point import Point

from geo.errors import InputError
from geo.gazetteer import Candidate, Gazetteer, default_gazetteer
from geo.geodesy import great_circle_km
from geo.model import LatLon

__all__ = ["OfflineGeocoder"]


class OfflineGeocoder:
    """geopy-style geocoder backed by a :class:`~geo.gazetteer.Gazetteer` (default: the bundled one).

    ``raw`` of each returned ``Location`` holds ``gazetteer_id``, ``name``, ``lat``, ``lon``,
    ``country_code``, ``feature``, ``feature_code``, ``population``, ``admin1``, ``importance`` and
    ``matched`` (plus ``distance_km`` from :meth:`reverse`).

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        The gazetteer to use; loaded lazily on first use when not given.

    Examples
    --------
    >>> OfflineGeocoder().geocode("Washington").raw["feature_code"]
    'PPLC'
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        if gazetteer is not None and not isinstance(gazetteer, Gazetteer):
            raise InputError(f"gazetteer must be a Gazetteer or None, got {gazetteer!r}")
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer in use."""
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @overload
    def geocode(
        self,
        query: str,
        *,
        exactly_one: Literal[True] = ...,
        country_codes: str | Iterable[str] | None = ...,
        limit: int | None = ...,
        timeout: float | None = ...,
    ) -> Location | None: ...

    @overload
    def geocode(
        self,
        query: str,
        *,
        exactly_one: Literal[False],
        country_codes: str | Iterable[str] | None = ...,
        limit: int | None = ...,
        timeout: float | None = ...,
    ) -> list[Location] | None: ...

    @overload
    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = ...,
        country_codes: str | Iterable[str] | None = ...,
        limit: int | None = ...,
        timeout: float | None = ...,
    ) -> Location | list[Location] | None: ...

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """Return the place(s) a name refers to, best first.

        A query ``"Name, Context"`` whose whole text is not a place name is read as a place and a
        country or first-level region narrowing it ("Moscow, Idaho", "Bangor, Maine").

        Parameters
        ----------
        query : str
            A place name.
        exactly_one : bool
            Return one ``Location`` (``True``) or a list.
        country_codes : str or iterable of str, optional
            ISO 3166-1 alpha-2 codes to restrict the search to (case-insensitive).
        limit : int, optional
            At most this many results when ``exactly_one`` is false.
        timeout : float, optional
            Accepted for geopy compatibility; lookups are local.

        Returns
        -------
        Location, list of Location or None
            ``None`` when nothing is found.

        Raises
        ------
        InputError
            For a query that is not a string or bad options.

        Examples
        --------
        >>> g = OfflineGeocoder()
        >>> [loc.raw["country_code"] for loc in g.geocode("Paris", exactly_one=False, limit=2)]
        ['FR', 'US']
        >>> g.geocode("Bangor, Maine").raw["admin1"]
        'Maine'
        """
        if not isinstance(query, str):
            raise InputError(f"query must be a string, got {query!r}")
        if not isinstance(exactly_one, bool):
            raise InputError(f"exactly_one must be a bool, got {exactly_one!r}")
        _check_timeout(timeout)
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise InputError(f"limit must be a positive integer or None, got {limit!r}")
        n = 1 if exactly_one else limit
        gaz = self.gazetteer
        found = gaz.lookup(query, country_codes=country_codes, limit=n)
        if not found and "," in query:
            found = self._with_context(query, country_codes, n)
        if not found:
            return None
        locations = [_location(c, gaz) for c in found]
        return locations[0] if exactly_one else locations

    def _with_context(
        self, query: str, country_codes: Iterable[str] | None, limit: int | None
    ) -> list[Candidate]:
        head, _, tail = query.rpartition(",")
        gaz = self.gazetteer
        context = gaz.lookup(tail, features=("country", "admin1"), country_codes=country_codes, limit=5)
        for ctx in context:
            if ctx.country_code is None:
                continue
            hits = gaz.lookup(head, country_codes=[ctx.country_code])
            if ctx.feature == "admin1":
                hits = [h for h in hits if h.admin1 == ctx.name and h.gazetteer_id != ctx.gazetteer_id]
            if hits:
                return hits[:limit] if limit is not None else hits
        return []

    @overload
    def reverse(
        self,
        query: tuple[float, float] | str | Point,
        *,
        exactly_one: Literal[True] = ...,
        limit: int | None = ...,
        timeout: float | None = ...,
    ) -> Location | None: ...

    @overload
    def reverse(
        self,
        query: tuple[float, float] | str | Point,
        *,
        exactly_one: Literal[False],
        limit: int | None = ...,
        timeout: float | None = ...,
    ) -> list[Location] | None: ...

    @overload
    def reverse(
        self,
        query: tuple[float, float] | str | Point,
        *,
        exactly_one: bool = ...,
        limit: int | None = ...,
        timeout: float | None = ...,
    ) -> Location | list[Location] | None: ...

    def reverse(
        self,
        query: tuple[float, float] | str | Point,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """Return the populated place(s) or curated site(s) nearest to a point.

        Parameters
        ----------
        query : (lat, lon), "lat, lon" or geopy.point.Point
            The point, latitude first as in geopy.
        exactly_one : bool
            Return one ``Location`` or a list.
        limit : int, optional
            How many places when ``exactly_one`` is false (default 1).
        timeout : float, optional
            Accepted for geopy compatibility.

        Returns
        -------
        Location, list of Location or None

        Examples
        --------
        >>> OfflineGeocoder().reverse("42.26, 130.28").raw["name"]
        'Rajin'
        """
        if not isinstance(exactly_one, bool):
            raise InputError(f"exactly_one must be a bool, got {exactly_one!r}")
        _check_timeout(timeout)
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise InputError(f"limit must be a positive integer or None, got {limit!r}")
        point = _to_latlon(query)
        n = 1 if exactly_one else (limit or 1)
        found = self.gazetteer.reverse(point, limit=n)
        if not found:
            return None
        locations = [
            _location(
                c, self.gazetteer, distance_km=round(great_circle_km(point.lat, point.lon, c.lat, c.lon), 3)
            )
            for c in found
        ]
        return locations[0] if exactly_one else locations


def _check_timeout(timeout: Any) -> None:
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0
    ):
        raise InputError(f"timeout must be a positive number or None, got {timeout!r}")


def _to_latlon(query: Any) -> LatLon:
    bad = InputError(f"point must be (lat, lon), 'lat, lon' or a geopy Point, got {query!r}")
    try:
        if isinstance(query, Point):
            lat, lon = query.latitude, query.longitude
        elif isinstance(query, str):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                point = Point(query)
            lat, lon = point.latitude, point.longitude
        else:
            lat, lon = query
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise bad from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also rejects NaN
        raise bad
    return LatLon(lat, lon)


def _address(c: Candidate, gaz: Gazetteer) -> str:
    parts = [c.name]
    if c.admin1 and c.admin1 != c.name and c.feature != "admin1":
        parts.append(c.admin1)
    if c.country_code and c.feature != "country":
        country = gaz.country(c.country_code)
        if country is not None and country.name not in parts:
            parts.append(country.name)
    return ", ".join(parts)


def _location(c: Candidate, gaz: Gazetteer, **extra: float) -> Location:
    raw: dict[str, Any] = {
        "gazetteer_id": c.gazetteer_id,
        "name": c.name,
        "lat": c.lat,
        "lon": c.lon,
        "country_code": c.country_code,
        "feature": c.feature,
        "feature_code": c.feature_code,
        "population": c.population,
        "admin1": c.admin1,
        "importance": c.importance,
        "matched": c.matched,
        **extra,
    }
    return Location(_address(c, gaz), Point(c.lat, c.lon), raw)
