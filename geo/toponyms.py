"""Toponym recognition: spaCy NER + a gazetteer-driven longest-match matcher + rules.

Recognition yields :class:`Hit` spans (unresolved); :mod:`geo.resolve` turns them into
:class:`~geo.model.Toponym` objects. Three sources, merged longest-first:

* ``ner``: GPE/LOC/FAC entities, with possessives and a leading "the" trimmed; ORG/PERSON entities
  only when the gazetteer knows the name as a prominent place and the document does not use it as
  part of a person's name ("Najin" tagged ORG, "Rason" tagged PERSON);
* ``gazetteer``: capitalised n-grams that are gazetteer names ("Najin port", "Tikhoretsk",
  "United States mainland"), never inside a non-place entity (a person, an organisation, a date);
* ``rule``: demonyms and adjectivals ("North Korean", "Russian") are recorded as country context
  (:func:`demonym_countries`), not drawn as places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .normalize import normalize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .gazetteer import Candidate, Gazetteer

__all__ = [
    "BLOCKING_LABELS",
    "PLACE_LABELS",
    "Hit",
    "demonym_countries",
    "find_hits",
    "trim_span",
]

#: NER labels taken as places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: NER labels that are not places: the gazetteer matcher never matches inside them.
BLOCKING_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "NORP",
        "DATE",
        "TIME",
        "CARDINAL",
        "ORDINAL",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "EVENT",
        "LAW",
        "WORK_OF_ART",
        "PRODUCT",
        "LANGUAGE",
    }
)
#: Lower-case words allowed inside a multi-word place name ("Najin port", "Sea of Japan").
_INNER_WORDS = frozenset(
    [
        "of",
        "the",
        "de",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "la",
        "le",
        "les",
        "el",
        "al",
        "an",
        "am",
        "and",
        "upon",
        "on",
        "en",
        "sur",
        "port",
        "base",
        "sea",
        "strait",
        "straits",
        "island",
        "islands",
        "bay",
        "gulf",
        "river",
        "mainland",
        "peninsula",
        "airfield",
        "airport",
        "air",
        "force",
        "naval",
        "station",
        "region",
        "oblast",
        "province",
        "krai",
        "county",
        "city",
        "district",
        "canal",
        "channel",
        "lake",
        "mountains",
        "ocean",
        "cosmodrome",
        "shipyard",
        "depot",
    ]
)
#: Capitalised words that are also place names but in news are nearly always something else.
_COMMON_WORDS = frozenset(
    normalize(w)
    for w in [
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
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "Our",
        "Their",
        "His",
        "Her",
        "Will",
        "Can",
        "May",
        "Must",
        "Said",
        "Says",
        "Say",
        "Also",
        "But",
        "And",
        "Or",
        "If",
        "As",
        "At",
        "By",
        "For",
        "From",
        "In",
        "Of",
        "On",
        "To",
        "Up",
        "With",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "President",
        "Minister",
        "Ministry",
        "Defence",
        "Defense",
        "Council",
        "Security",
        "National",
        "Navy",
        "Army",
        "Air",
        "Force",
        "Government",
        "State",
        "States",
        "Republic",
        "Kingdom",
        "Union",
        "United",
        "Nations",
        "News",
        "Agency",
        "Office",
        "House",
        "White",
        "North",
        "South",
        "East",
        "West",
        "Central",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Upper",
        "Lower",
        "Greater",
        "New",
        "Old",
        "Satellite",
        "Calculations",
        "Additionally",
        "Furthermore",
        "Simultaneously",
        "According",
        "Given",
        "While",
        "However",
        "Reuters",
        "Yonhap",
        "Korean",
        "Soviet",
        "Communist",
        "Party",
        "Post",
        "Times",
        "Daily",
        "Global",
        "Video",
        "Photo",
        "Image",
        "Reporting",
        "Mobile",
        "Reading",
        "Bath",
        "Nice",
        "Victoria",
        "Hope",
        "Liberty",
        "Independence",
        "Union",
        "Unity",
        "Concord",
        "Progress",
        "Eagle",
        "Lincoln",
        "Washington's",
        "Jordan",
        "Chad",
        "Georgia's",
        "Kirby",
        "Biden",
        "Trump",
        "Putin",
        "Kim",
        "Shin",
        "Xi",
        "Lee",
        "Park",
        "Moon",
    ]
) - {"georgia", "jordan", "chad"}
_POSSESSIVE = re.compile(r"(?:['’ʼ]s|s['’ʼ]|['’ʼ])$")
_PERSON_TITLES = frozenset(
    normalize(w)
    for w in [
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "minister",
        "general",
        "gen",
        "adm",
        "admiral",
        "spokesman",
        "spokeswoman",
        "envoy",
        "secretary",
        "senator",
        "rep",
        "governor",
        "mayor",
        "leader",
        "chairman",
        "king",
        "queen",
        "prince",
        "sir",
        "lord",
    ]
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A recognised place mention before resolution.

    ``start``/``end`` are character offsets into the document text; ``source`` is ``ner``,
    ``gazetteer`` or ``rule``; ``label`` the NER label when there is one.
    """

    start: int
    end: int
    text: str
    source: str
    label: str | None = None


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading "the ", a trailing possessive and surrounding punctuation from ``text[start:end]``.

    Examples
    --------
    >>> s = "In North Korea’s port"
    >>> a, b = trim_span(s, 3, 16); s[a:b]
    'North Korea'
    >>> s = "the United States mainland"
    >>> a, b = trim_span(s, 0, 17); s[a:b]
    'United States'
    """
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in "'’ʼ":
        end -= 1
    m = _POSSESSIVE.search(text[start:end])
    if m and end - start - len(m.group(0)) >= 2:
        end -= len(m.group(0))
    low = text[start:end].lower()
    if low.startswith("the ") and end - start > 4:
        start += 4
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _prominent(c: Candidate) -> bool:
    return c.feature != "city" or c.population >= 50_000 or c.feature_code == "PPLC"


def _person_tokens(doc: Doc) -> set[str]:
    """Normalised tokens that the document uses inside multi-word person names ("Shin" of "Shin Wonsik")."""
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            out.update(normalize(t.text) for t in ent if t.is_alpha)
    return out


def _preceded_by_title(doc: Doc, span: Span) -> bool:
    return span.start > 0 and normalize(doc[span.start - 1].text) in _PERSON_TITLES


def _ner_hits(doc: Doc, gaz: Gazetteer) -> list[Hit]:
    text = doc.text
    persons = _person_tokens(doc)
    hits: list[Hit] = []
    for ent in doc.ents:
        start, end = trim_span(text, ent.start_char, ent.end_char)
        if end - start < 2:
            continue
        surface = text[start:end]
        if ent.label_ in PLACE_LABELS:
            if ent.label_ == "FAC" and not gaz.has(surface):
                continue
            hits.append(Hit(start, end, surface, "ner", ent.label_))
        elif ent.label_ in ("ORG", "PERSON") and gaz.has(surface):
            key = normalize(surface)
            if key in _COMMON_WORDS:
                continue
            if ent.label_ == "PERSON" and (key in persons or len(ent) > 1 or _preceded_by_title(doc, ent)):
                continue
            best = gaz.lookup(surface, limit=1)
            if best and _prominent(best[0]):
                hits.append(Hit(start, end, surface, "ner", ent.label_))
    return hits


#: Words that make an ORG entity a real organisation (the matcher never looks inside those).
_ORG_WORDS = frozenset(
    [
        "news",
        "agency",
        "council",
        "ministry",
        "ministries",
        "department",
        "office",
        "university",
        "college",
        "school",
        "institute",
        "party",
        "bank",
        "company",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "group",
        "army",
        "navy",
        "forces",
        "force",
        "command",
        "committee",
        "times",
        "post",
        "press",
        "herald",
        "journal",
        "tribune",
        "guardian",
        "association",
        "union",
        "federation",
        "organisation",
        "organization",
        "administration",
        "commission",
        "parliament",
        "assembly",
        "congress",
        "senate",
        "court",
        "police",
        "service",
        "services",
        "airlines",
        "airways",
        "railway",
        "railways",
        "fund",
        "foundation",
        "club",
        "league",
        "museum",
        "hospital",
        "house",
    ]
)


def _blocked_ranges(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Non-place entities: hard blocks, and ORG spans without an organisation word ("Busan for
    Vladivostok" tagged ORG by the small model), inside which only prominent places may match."""
    hard: list[tuple[int, int]] = []
    soft: list[tuple[int, int]] = []
    for e in doc.ents:
        if e.label_ not in BLOCKING_LABELS:
            continue
        if e.label_ == "ORG" and len(e) > 1 and not any(t.lower_ in _ORG_WORDS for t in e):
            soft.append((e.start_char, e.end_char))
        else:
            hard.append((e.start_char, e.end_char))
    return hard, soft


def _allowed(start: int, end: int, blocked: Sequence[tuple[int, int]]) -> bool:
    """An n-gram may not sit inside, or half-overlap, a non-place entity; it may cover one whole."""
    for b0, b1 in blocked:
        if b1 <= start or end <= b0:
            continue
        if start <= b0 and b1 <= end and (start, end) != (b0, b1):
            continue
        return False
    return True


def _capitalised(tok_text: str) -> bool:
    return tok_text[:1].isupper() and any(ch.isalpha() for ch in tok_text)


def _gazetteer_hits(doc: Doc, gaz: Gazetteer, covered: list[tuple[int, int]]) -> list[Hit]:
    text = doc.text
    blocked, soft = _blocked_ranges(doc)
    persons = _person_tokens(doc)
    max_n = max(1, min(int(getattr(gaz, "max_name_tokens", 6)), 8))
    hits: list[Hit] = []
    n_tokens = len(doc)
    i = 0
    while i < n_tokens:
        tok = doc[i]
        if not _capitalised(tok.text) or tok.is_punct:
            i += 1
            continue
        found: Hit | None = None
        for n in range(min(max_n, n_tokens - i), 0, -1):
            last = doc[i + n - 1]
            if n > 1 and not (_capitalised(last.text) or last.lower_ in _INNER_WORDS):
                continue
            inner = doc[i : i + n]
            if any(not (_capitalised(t.text) or t.lower_ in _INNER_WORDS or t.text in "-'’.") for t in inner):
                continue
            start, end = trim_span(text, inner.start_char, inner.end_char)
            if end - start < 2 or not _allowed(start, end, blocked):
                continue
            if any(not (c1 <= start or end <= c0) for c0, c1 in covered):
                continue
            surface = text[start:end]
            key = normalize(surface)
            if n == 1 and (
                key in _COMMON_WORDS or key in persons or (len(key) < 3 and not surface.isupper())
            ):
                continue
            if not gaz.has(surface):
                continue
            inside_soft = any(b0 <= start and end <= b1 for b0, b1 in soft)
            if n == 1 or inside_soft:
                best = gaz.lookup(surface, limit=1)
                # a lone capitalised word at the start of a sentence, or a name inside a doubtful ORG
                # entity, must be a prominent place
                if not best or ((tok.is_sent_start or inside_soft) and not _prominent(best[0])):
                    continue
                if _preceded_by_title(doc, inner):
                    continue
            found = Hit(start, end, surface, "gazetteer")
            break
        if found is not None:
            hits.append(found)
            while i < n_tokens and doc[i].idx < found.end:
                i += 1
        else:
            i += 1
    return hits


def _merge(hits: Iterable[Hit]) -> list[Hit]:
    """Keep the longest of overlapping hits (NER before gazetteer on ties), in text order."""
    priority = {"rule": 0, "gazetteer": 1, "ner": 0}
    chosen: list[Hit] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), priority.get(h.source, 2), h.start)):
        if all(h.end <= c.start or c.end <= h.start for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: (h.start, h.end))


def find_hits(doc: Doc, gaz: Gazetteer) -> list[Hit]:
    """Recognise place mentions in a spaCy ``doc`` (NER + gazetteer matcher), longest match first."""
    ner = _ner_hits(doc, gaz)
    # the gazetteer matcher may extend an NER hit ("the United States" -> "United States mainland"),
    # so it runs over all tokens and the merge keeps the longest
    gaz_hits = _gazetteer_hits(doc, gaz, covered=[])
    return _merge([*ner, *gaz_hits])


def demonym_countries(doc: Doc, gaz: Gazetteer) -> dict[str, int]:
    """Count the countries the document refers to by demonym or adjectival ("North Korean", "Russian")."""
    counts: dict[str, int] = {}
    for ent in doc.ents:
        if ent.label_ != "NORP":
            continue
        start, end = trim_span(doc.text, ent.start_char, ent.end_char)
        c = gaz.demonym(doc.text[start:end])
        if c is not None and c.country_code:
            counts[c.country_code] = counts.get(c.country_code, 0) + 1
    return counts
