"""The one error tree of sitmap.

Every error sitmap raises on purpose derives from :class:`SitmapError`; subclasses also derive from the
matching built-in so callers can catch either (as geopy does). The CLI turns a :class:`UserError` into one
line on stderr and exit code 2, any other error into exit code 1.

Examples
--------
>>> issubclass(InputError, ValueError) and issubclass(InputError, SitmapError)
True
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "GazetteerError",
    "InputError",
    "ModelError",
    "OutputError",
    "SitmapError",
    "UnknownPlaceError",
    "UnknownSystemError",
    "UserError",
]


class SitmapError(Exception):
    """Root of every error sitmap raises on purpose."""


class UserError(SitmapError):
    """Something the user can fix: a bad file, option or value (CLI exit code 2)."""


class InputError(UserError, ValueError):
    """Input that cannot be read or decoded (missing file, directory, binary, empty)."""


class OutputError(UserError, OSError):
    """An output that cannot or must not be written (it would overwrite an input, bad folder)."""


class UnknownPlaceError(UserError, LookupError):
    """A place name given by the user is not in the gazetteer."""


class UnknownSystemError(UserError, LookupError):
    """A weapon system name given by the user is not in the catalogue."""


class DataError(SitmapError, RuntimeError):
    """Bundled data is missing or corrupt (a packaging bug, not a user error)."""


class GazetteerError(DataError):
    """The bundled gazetteer cannot be loaded."""


class ModelError(SitmapError, RuntimeError):
    """The spaCy pipeline cannot be loaded or run."""
