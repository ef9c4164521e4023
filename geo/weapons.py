"""The weapons catalogue: named missile systems, the generic range classes and the phrases that name them.

The catalogue is read once from ``data/weapons.csv`` (installed as ``sitmap_data/weapons.csv``; its sources
and columns are described in ``data/WEAPONS.md``). Every range has its source and date: sources disagree,
so ``min_km``/``max_km`` keep the spread and ``note`` says who claims what.

Examples
--------
>>> cat = load_catalogue()
>>> cat.require("hwasong 15").max_km
13000.0
>>> cat.get("Hwasong-11Ga").name
'KN-23'
>>> cat.get("intercontinental ballistic missiles").name, cat.get("irbm").max_km
('ICBM', 5500.0)
>>> cat.get("Hwasong-99") is None
True
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from dataclasses import dataclass, field
from importlib.resources import files

from geo.errors import DataError, UnknownSystemError

__all__ = [
    "BALLISTIC_CLASSES",
    "WEAPON_CLASSES",
    "Catalogue",
    "WeaponSystem",
    "load_catalogue",
    "normalize_name",
    "parse_catalogue",
]

#: The generic ballistic-missile range classes, shortest first.
BALLISTIC_CLASSES = ("CRBM", "SRBM", "MRBM", "IRBM", "ICBM")
#: Every value the ``class`` column may take.
WEAPON_CLASSES = (
    *BALLISTIC_CLASSES,
    "SLBM",
    "ALBM",
    "HGV",
    "MRL",
    "cruise missile",
    "drone",
)
_COLUMNS = ("name", "aliases", "class", "country_code", "min_km", "max_km", "source", "source_date", "note")
_TRUE = ("yes", "true", "1", "y")
_DASHES = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212_./]+")


def normalize_name(text: str) -> str:
    """Return the lookup key of a weapon name: case-folded, without spaces, hyphens, dots or slashes.

    Examples
    --------
    >>> normalize_name("Hwasong-15"), normalize_name("hwasong 15"), normalize_name("KN\u201123")
    ('hwasong15', 'hwasong15', 'kn23')
    """
    return _DASHES.sub("", text.casefold())


@dataclass(frozen=True, slots=True)
class WeaponSystem:
    """A missile system (or a generic class) with its range in km and where the figure comes from.

    ``min_km`` is the lower bound of the reported maximum ranges (or of the class), ``None`` when only
    one figure is known; ``max_km`` the largest reported maximum range, ``0.0`` for the generic
    ``cruise missile`` and ``drone`` entries, which have no range (see :attr:`has_range`).
    """

    name: str
    aliases: tuple[str, ...]
    weapon_class: str
    country_code: str | None
    min_km: float | None
    max_km: float
    source: str
    source_date: str
    note: str = ""

    @property
    def is_class(self) -> bool:
        """Whether this is a generic class (``CRBM`` ... ``ICBM``, ``cruise missile``, ``drone``)."""
        return self.name == self.weapon_class

    @property
    def has_range(self) -> bool:
        """Whether :attr:`max_km` is a usable ring radius."""
        return math.isfinite(self.max_km) and self.max_km > 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "class": self.weapon_class,
            "country_code": self.country_code,
            "min_km": self.min_km,
            "max_km": self.max_km if self.has_range else None,
            "source": self.source,
            "source_date": self.source_date,
            "note": self.note,
        }


# Surface phrases of the generic classes (singular; plurals are added automatically).
_CLASS_PHRASES: dict[str, tuple[str, ...]] = {
    "CRBM": ("CRBM", "close-range ballistic missile", "close range ballistic missile"),
    "SRBM": ("SRBM", "short-range ballistic missile", "short range ballistic missile"),
    "MRBM": ("MRBM", "medium-range ballistic missile", "medium range ballistic missile"),
    "IRBM": (
        "IRBM",
        "intermediate-range ballistic missile",
        "intermediate range ballistic missile",
    ),
    "ICBM": (
        "ICBM",
        "intercontinental ballistic missile",
        "inter-continental ballistic missile",
        "intercontinental-range ballistic missile",
    ),
    "cruise missile": ("cruise missile", "land-attack cruise missile", "strategic cruise missile"),
    "drone": (
        "drone",
        "attack drone",
        "kamikaze drone",
        "suicide drone",
        "one-way attack drone",
        "loitering munition",
    ),
}


def _plural(phrase: str) -> str:
    return phrase + "s"


def _variants(phrase: str) -> set[str]:
    """Spelling variants of a name as it may appear in text: as given, hyphen ↔ space, joined."""
    out = {phrase}
    if "-" in phrase:
        out.add(phrase.replace("-", " "))
        if re.search(r"-\d", phrase):
            out.add(re.sub(r"-(?=\d)", "", phrase))
    return out


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Named systems and generic classes, looked up by name, alias or class word.

    ``classes`` are the ballistic range classes ``CRBM`` ... ``ICBM``; ``generic`` the weapon types
    without a range (``cruise missile``, ``drone``), found by :meth:`get` and :meth:`phrases` but never
    to be drawn as a ring. Use :func:`load_catalogue` for the bundled catalogue.
    """

    systems: tuple[WeaponSystem, ...]
    classes: tuple[WeaponSystem, ...]
    generic: tuple[WeaponSystem, ...] = ()
    context_names: frozenset[str] = frozenset()
    _phrases: dict[str, WeaponSystem] = field(init=False, repr=False, compare=False, hash=False)
    _keys: dict[str, WeaponSystem] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        phrases = _build_phrases((*self.systems, *self.classes, *self.generic))
        keys: dict[str, WeaponSystem] = {}
        for phrase, system in phrases.items():
            key = normalize_name(phrase)
            prev = keys.get(key)
            if prev is not None and prev is not system:
                raise DataError(f"weapon name {phrase!r} is ambiguous: {prev.name!r} and {system.name!r}")
            keys[key] = system
        object.__setattr__(self, "_phrases", phrases)
        object.__setattr__(self, "_keys", keys)

    def phrases(self) -> dict[str, WeaponSystem]:
        """Return every surface phrase to match in text, mapped to its system or class.

        Names and aliases with hyphen/space variants; the classes by abbreviation and spelled out, in
        singular and plural. Keys keep their case (match case-insensitively).

        Examples
        --------
        >>> ph = load_catalogue().phrases()
        >>> ph["intermediate-range ballistic missiles"].name, ph["Hwasong 11Ga"].name, ph["drones"].name
        ('IRBM', 'KN-23', 'drone')
        """
        return dict(self._phrases)

    def needs_context(self, phrase: str) -> bool:
        """Return whether ``phrase`` names a system only in a weapons context.

        True for one-word names without digits of systems flagged ``needs_context`` in the CSV
        because the word is also a person, place or thing (Fattah, Emad, Dezful, Musudan, Trident,
        Tomahawk, Zircon, ...); a matcher should accept them only near missile words. ``Fattah-1`` or
        ``RS-28 Sarmat`` are safe.

        Examples
        --------
        >>> cat = load_catalogue()
        >>> cat.needs_context("Fattah"), cat.needs_context("Fattah-1"), cat.needs_context("Hwasong-15")
        (True, False, False)
        """
        system = self.get(phrase)
        if system is None or system.name not in self.context_names:
            return False
        return not re.search(r"[\d\s\-]", phrase.strip())

    def get(self, name: str) -> WeaponSystem | None:
        """Return the system or class called ``name`` (case, hyphen and space insensitive), else ``None``.

        Examples
        --------
        >>> cat = load_catalogue()
        >>> cat.get("kn 23").name, cat.get("SRBMs").name, cat.get("")
        ('KN-23', 'SRBM', None)
        """
        key = normalize_name(name)
        return self._keys.get(key) if key else None

    def require(self, name: str) -> WeaponSystem:
        """Return the system or class called ``name`` or raise :class:`~geo.errors.UnknownSystemError`.

        Examples
        --------
        >>> load_catalogue().require("Hwasong-99")
        Traceback (most recent call last):
        ...
        geo.errors.UnknownSystemError: unknown weapon system 'Hwasong-99'
        """
        found = self.get(name)
        if found is None:
            raise UnknownSystemError(f"unknown weapon system {name!r}")
        return found


def _build_phrases(systems: tuple[WeaponSystem, ...]) -> dict[str, WeaponSystem]:
    out: dict[str, WeaponSystem] = {}

    def add(phrase: str, system: WeaponSystem) -> None:
        prev = out.get(phrase)
        if prev is not None and prev is not system:
            raise DataError(f"weapon phrase {phrase!r} names both {prev.name!r} and {system.name!r}")
        out[phrase] = system

    for system in systems:
        words: list[str] = [system.name, *system.aliases]
        if system.is_class:
            words.extend(_CLASS_PHRASES.get(system.name, ()))
            for w in list(words):
                for v in _variants(w):
                    add(_plural(v), system)
        for word in words:
            for v in _variants(word):
                add(v, system)
    return out


def _number(row: dict[str, str], col: str, line: int) -> float | None:
    raw = (row.get(col) or "").strip().replace(",", "").replace("_", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise DataError(f"weapons.csv line {line}: {col} is not a number: {raw!r}") from None
    if not math.isfinite(value) or value < 0:
        raise DataError(f"weapons.csv line {line}: {col} must be a non-negative number, got {raw!r}")
    return value


def parse_catalogue(text: str) -> Catalogue:
    """Parse the CSV text of a catalogue (the columns of ``data/weapons.csv``); raise ``DataError`` if bad.

    The optional column ``needs_context`` (``yes``) flags systems whose one-word names are also
    common words (see :meth:`Catalogue.needs_context`).

    Examples
    --------
    >>> head = "name,aliases,class,country_code,min_km,max_km,source,source_date,note\\n"
    >>> cat = parse_catalogue(head + "X-1,X1|Ex-One,SRBM,KP,,450,test,2024,\\n")
    >>> cat.require("ex one").max_km, cat.classes
    (450.0, ())
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise DataError(f"weapons.csv lacks the columns {missing!r}")
    systems: list[WeaponSystem] = []
    classes: list[WeaponSystem] = []
    generic: list[WeaponSystem] = []
    context: set[str] = set()
    for line, row in enumerate(reader, start=2):
        name = (row.get("name") or "").strip()
        if not name or name.startswith("#"):
            continue
        cls = (row.get("class") or "").strip()
        if cls not in WEAPON_CLASSES:
            raise DataError(f"weapons.csv line {line}: unknown class {cls!r} for {name!r}")
        lo = _number(row, "min_km", line)
        hi = _number(row, "max_km", line)
        if hi is None and not (name == cls and cls not in BALLISTIC_CLASSES):
            raise DataError(f"weapons.csv line {line}: {name!r} has no max_km")
        if hi is not None and lo is not None and lo > hi:
            raise DataError(f"weapons.csv line {line}: {name!r} has min_km {lo} > max_km {hi}")
        source = (row.get("source") or "").strip()
        if not source:
            raise DataError(f"weapons.csv line {line}: {name!r} has no source")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        system = WeaponSystem(
            name=name,
            aliases=aliases,
            weapon_class=cls,
            country_code=(row.get("country_code") or "").strip().upper() or None,
            min_km=lo,
            max_km=0.0 if hi is None else hi,
            source=source,
            source_date=(row.get("source_date") or "").strip(),
            note=(row.get("note") or "").strip(),
        )
        if (row.get("needs_context") or "").strip().lower() in _TRUE:
            context.add(name)
        if name == cls:
            (classes if cls in BALLISTIC_CLASSES else generic).append(system)
        else:
            systems.append(system)
    return Catalogue(
        systems=tuple(systems),
        classes=tuple(classes),
        generic=tuple(generic),
        context_names=frozenset(context),
    )


@functools.cache
def load_catalogue() -> Catalogue:
    """Load the bundled catalogue (``sitmap_data/weapons.csv``) once.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> len(cat.systems) >= 40, [c.name for c in cat.classes]
    (True, ['CRBM', 'SRBM', 'MRBM', 'IRBM', 'ICBM'])
    """
    try:
        text = files("sitmap_data").joinpath("weapons.csv").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise DataError(f"the bundled weapons catalogue cannot be read: {exc}") from exc
    return parse_catalogue(text)
