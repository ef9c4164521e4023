"""The untrusted-input boundary: reading and decoding article text, datelines, chunking.

Examples
--------
>>> d = parse_dateline("11-1-2024 (SEOUL) North Korea ... by the end of December.")
>>> d.place, d.date, d.ambiguous
('SEOUL', '2024-01-11', True)
>>> d.alternatives
('2024-11-01',)
>>> decode_bytes(b"caf\\xc3\\xa9", name="x").text
'café'
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .model import Dateline

__all__ = [
    "MAX_INPUT_BYTES",
    "Decoded",
    "chunk_spans",
    "decode_bytes",
    "parse_dateline",
    "read_input",
]

#: Largest input sitmap accepts in one document (bytes).
MAX_INPUT_BYTES = 64 * 1024 * 1024

_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


_MONTH_ABBREVIATIONS = {name[:3]: i for name, i in _MONTHS.items()} | {"sept": 9}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded input text with its display name and any warnings about how it was read."""

    name: str
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, name: str) -> Decoded:
    """Decode article bytes: UTF-8 (BOM stripped), else Windows-1252 with a warning.

    Raises :class:`~geo.errors.InputError` for empty, whitespace-only or binary input.
    """
    if b"\x00" in data[:8192]:
        raise InputError(f"{name!r} looks like a binary file (NUL bytes), not article text")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        encoding = "cp1252"
        warnings.append(f"{name}: not valid UTF-8; decoded as Windows-1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name!r} holds no text")
    return Decoded(name=name, text=text, encoding=encoding, warnings=tuple(warnings))


def read_input(path: str, *, stdin: BinaryIO | None = None) -> Decoded:
    """Read one input: a file path, or ``-`` for standard input.

    Raises :class:`~geo.errors.InputError` with a one-line message for a missing file, a directory, an
    unreadable, binary, empty or oversized input.
    """
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_INPUT_BYTES + 1)
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"no such file: {path!r}")
        if p.is_dir():
            raise InputError(f"{path!r} is a directory, not a text file")
        try:
            with p.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read {path!r}: {exc.strerror or exc}") from None
        name = path
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name!r} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    return decode_bytes(data, name=name)


_NUMERIC_DATELINE = re.compile(
    r"^\s*(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})\s*\((?P<place>[^()\n]{1,60})\)"
)
_WORD_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}?),?\s+(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2}),?"
    r"\s*(?P<y>\d{4})?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*[-–—]"
)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_evidence(text: str) -> list[int]:
    """Months named in the text as already past or ending ("by the end of December", "in December")."""
    found = []
    for m in re.finditer(
        r"\b(?:end of|by|in|since|last|early|late|mid-?)\s+(?:the\s+)?(?:end of\s+)?("
        + "|".join(_MONTHS)
        + r")\b",
        text,
        flags=re.IGNORECASE,
    ):
        found.append(_MONTHS[m.group(1).lower()])
    return found


def parse_dateline(text: str) -> Dateline | None:
    """Parse a wire-story dateline at the start of ``text``; ``None`` if there is none.

    A numeric date whose two first numbers are both <= 12 is ambiguous (day-month or month-day). The
    reading chosen is the one that the months named in the text support best (a report usually comes
    shortly after the months it talks about as past, e.g. "by the end of December" supports 11 January
    over 1 November); without evidence, day-month-year is chosen (international wire style) and the
    choice is flagged. The raw string is always kept.
    """
    m = _NUMERIC_DATELINE.match(text)
    if m:
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        place = m.group("place").strip()
        dmy, mdy = _iso(y, b, a), _iso(y, a, b)
        raw = m.group(0).strip()
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if dmy and mdy and dmy != mdy:
            months = _month_evidence(text[m.end() :])
            reason = "no month named in the text: day-month-year assumed"
            chosen, other = dmy, mdy
            if months:
                # the reading whose month follows the mentioned months most closely wins
                def lag(iso: str) -> int:
                    month = int(iso[5:7])
                    return min((month - mm) % 12 for mm in months)

                if lag(mdy) < lag(dmy):
                    chosen, other = mdy, dmy
                names = ", ".join(
                    sorted({calendar.month_name[x] for x in months}, key=list(calendar.month_name).index)
                )
                reason = f"the text talks of {names} as past, which fits {chosen} better than {other}"
            return Dateline(
                raw=raw,
                start=start,
                end=m.end(),
                place=place,
                date=chosen,
                alternatives=(other,),
                ambiguous=True,
                reason=reason,
            )
        date = dmy or mdy
        return Dateline(
            raw=raw,
            start=start,
            end=m.end(),
            place=place,
            date=date,
            ambiguous=False,
            reason="only one reading is a valid date" if date else "not a valid date",
        )
    w = _WORD_DATELINE.match(text)
    month_word = w.group("month").lower() if w else ""
    if w and (month_word in _MONTHS or month_word in _MONTH_ABBREVIATIONS):
        year = int(w.group("y")) if w.group("y") else None
        month = _MONTHS.get(month_word) or _MONTH_ABBREVIATIONS[month_word]
        day = int(w.group("day"))
        date = _iso(year, month, day) if year else None
        return Dateline(
            raw=w.group(0).rstrip(" -–—").strip(),
            start=w.start("place"),
            end=w.end(),
            place=w.group("place").strip(),
            date=date,
            ambiguous=False,
            reason="written-out month" if date else "no year in the dateline",
        )
    return None


def chunk_spans(text: str, *, max_chars: int = 100_000) -> list[tuple[int, int]]:
    """Split ``text`` into ``(start, end)`` chunks of at most ``max_chars``, at paragraph or sentence
    breaks where possible, so that long texts are processed in bounded memory.

    Examples
    --------
    >>> chunk_spans("a. b. c.", max_chars=4)
    [(0, 3), (3, 6), (6, 8)]
    >>> chunk_spans("")
    []
    """
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(start + max_chars, n)
        if end < n:
            window = text[start:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"))
            if cut <= max_chars // 4:
                cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
                cut = cut + 1 if cut > 0 else -1
            if cut <= 0:
                cut = window.rfind(" ")
            if cut > 0:
                end = start + cut + (1 if text[start + cut : start + cut + 1] in (" ", "\n") else 0)
        spans.append((start, end))
        start = end
    return spans
