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
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .model import Dateline

__all__ = [
    "MAX_INPUT_BYTES",
    "Decoded",
    "chunk_spans",
    "decode_bytes",
    "html_to_text",
    "parse_dateline",
    "read_input",
    "script_warning",
]

#: Largest input sitmap accepts in one document (bytes).
MAX_INPUT_BYTES = 64 * 1024 * 1024

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_ABBREVIATIONS = {name[:3]: i for name, i in _MONTHS.items()} | {"sept": 9}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded input text with its display name, the title found (HTML), and warnings about the reading."""

    name: str
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()
    title: str | None = None


_BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
)
_HTML_START = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b|<\?xml[^>]*>\s*<html)", re.I
)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,500}>")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC) or (
        b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


_NOT_LEGACY = ("utf_8", "utf-8", "ascii", "utf_16", "utf_32")
_WESTERN = frozenset(
    {"cp1252", "cp1250", "latin_1", "iso8859_15", "iso8859_2", "mac_roman", "mac_latin2", "cp850", "cp437"}
)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Detect a legacy encoding (charset-normalizer) or fall back to Windows-1252; returns (text, name)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        best = None
    else:
        best = from_bytes(data[: 1024 * 1024]).best()
    guess = (best.encoding or "").lower() if best is not None and len(data) >= 200 else ""
    # Western single-byte guesses are told apart poorly: Windows-1252 is what copied Western text is
    if guess and not guess.startswith(_NOT_LEGACY) and guess not in _WESTERN:
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def decode_bytes(data: bytes, *, name: str) -> Decoded:
    """Decode article bytes and extract the text of HTML pages.

    UTF-8 (a BOM is stripped) or UTF-16 with a BOM; anything else is decoded with a detected legacy
    encoding (Windows-1251, KOI8-R, EUC-KR …; Windows-1252 when nothing fits) and a warning says so.
    An HTML page becomes its visible text (scripts and styles dropped, entities decoded, blocks on their
    own lines), so character offsets in every output refer to that text. Raises
    :class:`~geo.errors.InputError` for empty, whitespace-only or binary input (PDF, images, archives).

    Examples
    --------
    >>> decode_bytes("Kyiv’s port".encode("cp1252"), name="x").warnings
    ('x: not valid UTF-8; decoded as cp1252',)
    >>> page = b"<html><title>T</title><p>Ships left <b>Busan</b>.</p><script>x()</script></html>"
    >>> d = decode_bytes(page, name="p")
    >>> d.text.strip(), d.title
    ('Ships left Busan.', 'T')
    """
    if _looks_binary(data):
        raise InputError(f"{name!r} looks like a binary file (a PDF, image or archive?), not article text")
    warnings: list[str] = []
    encoding = "utf-8"
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text, encoding = data.decode("utf-16"), "utf-16"
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data)
        warnings.append(f"{name}: not valid UTF-8; decoded as {encoding}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = None
    if _HTML_START.match(text) or len(_TAG.findall(text[:20000])) >= 8:
        text, title = html_to_text(text)
        warnings.append(f"{name}: HTML page: tags removed, offsets refer to the extracted text")
    if not text.strip():
        raise InputError(f"{name!r} holds no text")
    script = script_warning(text)
    if script:
        warnings.append(f"{name}: {script}")
    return Decoded(name=name, text=text, encoding=encoding, warnings=tuple(warnings), title=title)


_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}
    | {"article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt"}
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_to_text(page: str) -> tuple[str, str | None]:
    """The visible text of an HTML page (paragraphs on their own lines) and its ``<title>``.

    Examples
    --------
    >>> html_to_text("<p>Seoul &amp; Busan</p><p>Najin</p>")[0].split()
    ['Seoul', '&', 'Busan', 'Najin']
    """
    parser = _TextExtractor()
    parser.feed(page)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n[ \n]*\n *", "\n\n", text)
    title = " ".join("".join(parser.title).split()) or None
    return text.strip() + "\n", title


def script_warning(text: str) -> str | None:
    """A warning when most letters of ``text`` are not Latin (the English model will find few places).

    Examples
    --------
    >>> script_warning("Москва и Киев были атакованы ночью") is not None
    True
    >>> script_warning("Moscow and Kyiv were attacked at night") is None
    True
    """
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 20:
        return None
    latin = sum(1 for ch in letters if ch < "\u0250")
    if latin / len(letters) >= 0.5:
        return None
    return (
        "the text is mostly not in Latin script; sitmap's model reads English, so it will find few places "
        "(gazetteer names in other scripts still match where capitalised)"
    )


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


_NUMERIC_AFTER_PLACE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}?),\s*(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*[-–—]"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_score(text: str, iso: str) -> int:
    """How well the first weekday the text names ("on Wednesday") fits a reading of the dateline: 2 if
    the date is that weekday, 1 if it is the day after (a report filed the next day), else 0."""
    m = re.search(r"\b(?:on|late on|early on)\s+(" + "|".join(_WEEKDAYS) + r")\b", text, flags=re.IGNORECASE)
    if not m:
        return 0
    named = _WEEKDAYS.index(m.group(1).lower())
    day = _dt.date.fromisoformat(iso).weekday()
    return 2 if day == named else 1 if (day - 1) % 7 == named else 0


def _numeric_dateline(m: re.Match[str], text: str) -> Dateline:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    place = m.group("place").strip()
    dmy, mdy = _iso(y, b, a), _iso(y, a, b)
    raw = m.group(0).strip().rstrip("-–—").strip()
    start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
    if dmy and mdy and dmy != mdy:
        body = text[m.end() :]
        months = _month_evidence(body)
        reason = "no month or weekday named in the text: day-month-year assumed"
        chosen, other = dmy, mdy
        decided = False
        if months:
            # the reading whose month follows the mentioned months most closely wins
            def lag(iso: str) -> int:
                month = int(iso[5:7])
                return min((month - mm) % 12 for mm in months)

            if lag(mdy) != lag(dmy):
                decided = True
                if lag(mdy) < lag(dmy):
                    chosen, other = mdy, dmy
                names = ", ".join(
                    sorted({calendar.month_name[x] for x in months}, key=list(calendar.month_name).index)
                )
                reason = f"the text talks of {names} as past, which fits {chosen} better than {other}"
        if not decided:
            wd, wm = _weekday_score(body, dmy), _weekday_score(body, mdy)
            if wd != wm:
                if wm > wd:
                    chosen, other = mdy, dmy
                day = calendar.day_name[_dt.date.fromisoformat(chosen).weekday()]
                reason = f"the weekday the text names fits {chosen} ({day}) better than {other}"
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


def parse_dateline(text: str) -> Dateline | None:
    """Parse a wire-story dateline at the start of ``text``; ``None`` if there is none.

    Formats: ``11-1-2024 (SEOUL)``, ``ISLAMABAD, 18-10-2023 —``, ``DUBAI, Jan. 27, 2024 (Reuters) —``.
    A numeric date whose two first numbers are both <= 12 is ambiguous (day-month or month-day). The
    reading chosen is the one that the months named in the text support best (a report usually comes
    shortly after the months it talks about as past, e.g. "by the end of December" supports 11 January
    over 1 November), else the one that fits the weekday the text names ("on Wednesday"); without
    evidence, day-month-year is chosen (international wire style) and the choice is flagged. The raw
    string is always kept.

    Examples
    --------
    >>> parse_dateline("ISLAMABAD, 18-10-2023 — Pakistan tested a missile.").date
    '2023-10-18'
    >>> d = parse_dateline("07/12/2023 (TOKYO) North Korea fired a missile on Wednesday.")
    >>> d.date, d.ambiguous, d.alternatives
    ('2023-07-12', True, ('2023-12-07',))
    """
    m = _NUMERIC_DATELINE.match(text) or _NUMERIC_AFTER_PLACE.match(text)
    if m:
        return _numeric_dateline(m, text)
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
