"""Normalisation of place names into lookup keys.

The gazetteer stores every name and alternate name under the key :func:`normalize` gives it, and every
query goes through the same function, so "P'yŏngyang", "Pyongyang" and "PYONGYANG" meet.

Examples
--------
>>> normalize("P'yŏngyang")
'pyongyang'
>>> normalize("North Korea’s")
'north korea'
>>> name_key("Kyiv") == name_key("KYIV")
True
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

__all__ = ["key_hash", "name_key", "normalize"]

# Apostrophe-like characters that are removed outright ("P'yŏngyang" -> "pyongyang").
_APOSTROPHES = "'’ʼ`‘ʻ´ʹ′"
# Characters that separate words: hyphens and dashes, dots, commas, slashes, brackets and the like.
_SEPARATORS = '-‐‑‒–—―−.,;:/\\()[]{}"“”«»!?·・_&+'
_SEP_TABLE: dict[int, str | None] = {ord(c): " " for c in _SEPARATORS}
_SEP_TABLE.update({ord(c): None for c in _APOSTROPHES})
# Letters that NFKD does not decompose into a base letter + combining mark.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
    }
)
_SPACES = re.compile(r"\s+")
# A possessive at the end: "Korea's" / "Korea’s" / "Korea`s" and a plural possessive "Philippines'".
_POSSESSIVE = re.compile(r"(?<=\w)(?:['’ʼ`‘]s|(?<=s)['’ʼ`‘])$", re.IGNORECASE)


@functools.lru_cache(maxsize=131_072)
def normalize(name: str) -> str:
    """Return the lookup key of a place name (memoised: it is a pure function of ``name``).

    Case-folds; strips diacritics; removes apostrophes (``’ ' ʼ ` ‘``); drops a possessive
    ``'s``/``’s`` or a trailing ``s'``'s apostrophe; drops a leading "the"; turns hyphens, dots, commas
    and similar into spaces; collapses whitespace.

    Parameters
    ----------
    name : str
        A place name as written.

    Returns
    -------
    str
        The key; ``""`` for a name without letters or digits.

    Examples
    --------
    >>> normalize("P'yŏngyang")
    'pyongyang'
    >>> normalize("North Korea’s")
    'north korea'
    >>> normalize("the United States")
    'united states'
    >>> normalize("Rostov-on-Don")
    'rostov on don'
    >>> normalize("São  Tomé")
    'sao tome'
    >>> normalize("the Philippines'")
    'philippines'
    >>> normalize("U.S.")
    'u s'
    >>> normalize("")
    ''
    """
    s = name.strip()
    s = _POSSESSIVE.sub("", s)
    s = s.casefold()
    if not s.isascii():
        s = _fold(s)
    s = s.translate(_SEP_TABLE)
    s = _SPACES.sub(" ", s).strip()
    while s.startswith("the ") and len(s) > 4:
        s = s[4:]
    return s


def _fold(s: str) -> str:
    """Decompose, drop combining marks and case-fold until nothing changes (a few rounds at most)."""
    for _ in range(4):
        t = unicodedata.normalize("NFKD", s.translate(_SPECIAL))
        t = "".join(c for c in t if not unicodedata.combining(c)).casefold().translate(_SPECIAL)
        if t == s:
            break
        s = t
    return s


def name_key(name: str) -> int:
    """Return the stable 64-bit hash of ``normalize(name)`` used by the gazetteer index.

    The hash is BLAKE2b with an 8-byte digest read as a little-endian unsigned integer, so it is the
    same in every process and on every platform (unlike :func:`hash`).

    Parameters
    ----------
    name : str
        A place name as written (it is normalised first).

    Returns
    -------
    int
        An integer in ``[0, 2**64)``.

    Examples
    --------
    >>> name_key("Seoul") == name_key("SEOUL") == name_key("the Seoul")
    True
    >>> 0 <= name_key("Seoul") < 2**64
    True
    """
    return key_hash(normalize(name))


def key_hash(key: str) -> int:
    """Return the 64-bit hash of an already normalised key (see :func:`name_key`)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")
