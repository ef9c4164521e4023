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

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .normalize import normalize
from .placewords import (
    BLOCKING_LABELS,
    BUILDING_HEADS,
    CONTINENT_WORDS,
    INSTITUTION_HEADS,
    PLACE_HEADS,
    PLACE_LABELS,
    STATE_ABBREVIATIONS,
)
from .placewords import COMMON_WORDS as _COMMON_WORDS
from .placewords import INNER_WORDS as _INNER_WORDS
from .placewords import PERSON_TITLES as _PERSON_TITLES
from .placewords import UNIONS as _UNIONS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .gazetteer import Candidate, Gazetteer

__all__ = [
    "BLOCKING_LABELS",
    "BUILDING_HEADS",
    "CONTINENT_WORDS",
    "INSTITUTION_HEADS",
    "LOCATIVE_WORDS",
    "PLACE_HEADS",
    "PLACE_LABELS",
    "STATE_ABBREVIATIONS",
    "Hit",
    "after_locative",
    "building_name",
    "demonym_countries",
    "embedded_place",
    "find_hits",
    "has_place_head",
    "place_candidates",
    "trim_span",
]

_POSSESSIVE = re.compile(r"(?:['’ʼ]s|s['’ʼ]|['’ʼ])$")


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

    @property
    def demonym(self) -> bool:
        """Whether the hit is a demonym or adjectival ("Russian", "Texan"): a rule hit labelled NORP."""
        return self.source == "rule" and self.label == "NORP"


#: A capitalised word just before a position ("Trenton" in "Trenton, N.J."), with searched ``endpos``.
_CAPITALISED_END = re.compile(r"[A-Z][\w.'’-]*$")
_ABBREV_WORD = re.compile(r"(?:[A-Za-z]{1,2}\.){2,}$|[A-Z][a-z]{0,4}\.$")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading "the ", a trailing possessive and surrounding punctuation from ``text[start:end]``.

    The period of an abbreviation ("U.S.", "N.J.", "Calif.") is kept.

    Examples
    --------
    >>> s = "In North Korea’s port"
    >>> a, b = trim_span(s, 3, 16); s[a:b]
    'North Korea'
    >>> s = "the United States mainland"
    >>> a, b = trim_span(s, 0, 17); s[a:b]
    'United States'
    >>> s = "the U.S. and Trenton, N.J."
    >>> [s[slice(*trim_span(s, a, b))] for a, b in [(0, 8), (13, 20), (22, 26)]]
    ['U.S.', 'Trenton', 'N.J.']
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
    if end < len(text) and text[end] == "." and end > start:
        word = text[start:end].rsplit(" ", 1)[-1] + "."
        if ("." in word[:-1] and _ABBREV_WORD.search(word)) or word in STATE_ABBREVIATIONS:
            end += 1
    return start, end


def _abbreviation(surface: str) -> tuple[str, str] | None:
    return STATE_ABBREVIATIONS.get(surface)


def place_candidates(gaz: Gazetteer, surface: str, *, limit: int | None = None) -> list[Candidate]:
    """Gazetteer candidates for a recognised surface, with state abbreviations and continental words.

    Examples
    --------
    >>> from geo.gazetteer import default_gazetteer
    >>> gaz = default_gazetteer()
    >>> place_candidates(gaz, "N.J.")[0].name
    'New Jersey'
    >>> place_candidates(gaz, "EU")[0].feature
    'continent'
    """
    ab = _abbreviation(surface)
    if ab is not None:
        return gaz.lookup(ab[0], country_codes=[ab[1]], features=["admin1"], limit=limit)
    cont = CONTINENT_WORDS.get(normalize(surface))
    if cont is not None:
        return gaz.lookup(cont, features=["continent"], limit=limit)
    return gaz.lookup(surface, limit=limit)


def _known(gaz: Gazetteer, surface: str) -> bool:
    return surface in STATE_ABBREVIATIONS or normalize(surface) in CONTINENT_WORDS or gaz.has(surface)


def _best(gaz: Gazetteer, surface: str) -> Candidate | None:
    """The first candidate of a name the gazetteer knows (checked cheaply first), or ``None``."""
    if not _known(gaz, surface):
        return None
    found = place_candidates(gaz, surface, limit=1)
    return found[0] if found else None


def _prominent(c: Candidate) -> bool:
    return c.feature != "city" or c.population >= 50_000 or c.feature_code == "PPLC"


def _acronym(surface: str) -> bool:
    """Short words with two or more capitals ("MoD", "AI", "OAS"): acronyms far more often than places."""
    return len(surface) <= 5 and sum(ch.isupper() for ch in surface) >= 2 and " " not in surface


def _strong(c: Candidate, key: str, *, short_sea: bool = True) -> bool:
    """Whether a weakly evidenced mention (a non-place NER label, a lone word, an acronym) may be taken
    for ``c``: a country or continent by any of its names, other places only by their own name (not an
    alternate name or a derived short form: "Free" is not "Free State", "AI" not "‘Ayy")."""
    if c.feature in ("country", "continent"):
        return True
    name = normalize(c.name)
    # a curated sea or region by the first word(s) of its name ("Pacific", "Mediterranean"), not by an
    # alias that is a common word elsewhere ("Gulf" for the Persian Gulf, "Channel")
    return name == key or (short_sea and c.gazetteer_id.startswith("region:") and name.startswith(key + " "))


_CAMEL = re.compile(r"[a-z][A-Z]")


def _case_clash(c: Candidate, surface: str) -> bool:
    """Whether ``c`` is named in mixed case that ``surface`` does not have: "Noma" (a restaurant, a
    disease) is not the NoMa neighbourhood of Washington, "Soho" may be, "SoHo" is."""
    return bool(_CAMEL.search(c.name)) and c.name not in surface and not surface.isupper()


def _very_prominent(c: Candidate) -> bool:
    """Places a capitalised word nobody tagged may be taken for: not villages named like words."""
    if c.feature in ("country", "continent", "admin1", "region", "water", "site"):
        return True
    return c.feature == "city" and (c.population >= 100_000 or c.feature_code == "PPLC")


def _person_tokens(doc: Doc) -> frozenset[str]:
    """Normalised tokens that the document uses inside multi-word person names ("Shin" of "Shin Wonsik"),
    worked out once per doc."""
    cached = doc.user_data.get("sitmap_person_tokens")
    if cached is None:
        out: set[str] = set()
        for ent in _ents(doc):
            if ent.label_ == "PERSON" and len(ent) > 1:
                out.update(normalize(t.text) for t in ent if t.is_alpha)
        cached = doc.user_data["sitmap_person_tokens"] = frozenset(out)
    return cached


def _preceded_by_title(doc: Doc, span: Span) -> bool:
    return span.start > 0 and normalize(doc[span.start - 1].text) in _PERSON_TITLES


#: Locative prepositions after which a known place name is read as a place even when the NER took it for a
#: person or an organisation, or left it untagged ("fighting in Clarinda", "the road through Cirencester").
LOCATIVE_WORDS = frozenset(
    ["in", "near", "outside", "across", "around", "into", "towards", "toward", "through", "via"]
)
#: Directional prepositions: also before people ("a letter from Robinson"), so not before a PERSON entity.
_DIRECTIONAL_WORDS = frozenset(["from", "to"])
_PREV_WORD = re.compile(r"([A-Za-z]+)\s+$")
#: "<kind or part of a place> of X": "the town of Cirencester", "the outskirts of Kyiv", "north of Kharkiv".
_KIND_OF = re.compile(
    r"\b(?:town|city|village|hamlet|county|province|region|district|port|island|suburbs?|capital|borough|"
    r"municipality|parish|township|outskirts|residents|mayor|streets|heart|centre|center|"
    r"north|south|east|west|northeast|northwest|southeast|southwest)\s+of\s+$",
    re.IGNORECASE,
)


def after_locative(text: str, start: int, *, directional: bool = True) -> bool:
    """Whether the word just before ``start`` is a locative preposition ("in", "near", "outside" ...), or
    with ``directional`` also "from" or "to", or the words before are "the town of", "north of" ...

    Examples
    --------
    >>> s = "Clashes near Qamishli and Ghouta, and a convoy to Manbij."
    >>> after_locative(s, 13), after_locative(s, 26), after_locative(s, 50)
    (True, False, True)
    >>> after_locative(s, 50, directional=False)
    False
    >>> after_locative("the town of Cirencester", 12), after_locative("a friend of Cirencester", 12)
    (True, False)
    """
    m = _PREV_WORD.search(text, max(0, start - 12), start)
    if m is None:
        return False
    word = m.group(1).lower()
    if word == "of":
        return _KIND_OF.search(text, max(0, start - 30), start) is not None
    return word in LOCATIVE_WORDS or (directional and word in _DIRECTIONAL_WORDS)


def has_place_head(surface: str) -> bool:
    """Whether ``surface`` names a feature by its kind ("Royal Street", "Cauvery River", "Mount Hood").

    Examples
    --------
    >>> has_place_head("Royal Street"), has_place_head("Street"), has_place_head("John Smith")
    (True, False, False)
    """
    words = normalize(surface).split()
    return len(words) >= 2 and (words[-1] in PLACE_HEADS or words[0] in ("mount", "lake", "mt"))


def building_name(surface: str) -> bool:
    """Whether ``surface`` names a building or institution by its kind ("Manila Cathedral", "Colorado State
    University", "University of Alberta").

    Examples
    --------
    >>> [building_name(s) for s in ("University of Alberta", "Manila Cathedral", "Royal Street")]
    [True, True, False]
    """
    words = normalize(surface).split()
    if len(words) >= 3 and words[0] in ("university", "college") and words[1] == "of":
        return True
    return len(words) >= 2 and words[-1] in BUILDING_HEADS


def embedded_place(gaz: Gazetteer, surface: str) -> Candidate | None:
    """The prominent place a building's or institution's name holds ("Manila" in "Manila Cathedral"),
    longest name first, or ``None``.

    Examples
    --------
    >>> from geo.gazetteer import default_gazetteer
    >>> embedded_place(default_gazetteer(), "University of Alberta").name
    'Alberta'
    """
    words = surface.split()
    for n in range(len(words) - 1, 0, -1):
        for i in range(len(words) - n + 1):
            sub = " ".join(words[i : i + n]).strip(",.")
            if not sub[:1].isupper() or normalize(sub) in _COMMON_WORDS:
                continue
            best = _best(gaz, sub)
            if best is not None and _strong(best, normalize(sub)) and _prominent(best):
                return best
    return None


#: Place heads that are also common surnames ("Joe Hall", "Marvin Lane"): not enough in a PERSON entity.
_SURNAME_HEADS = frozenset(
    ["hall", "lane", "park", "inn", "chapel", "church", "castle", "tower", "hill", "hills"]
)
_INITIAL = re.compile(r"\b[A-Z]\.(?!\w)")


def _street_like_person(doc: Doc, ent: Span, surface: str) -> bool:
    """A PERSON entity that is a place by its last word ("Dubonet Drive", "Meydan Racecourse"), not a
    person with a middle initial or a title, nor a surname that is also a place word ("Joe Hall")."""
    words = normalize(surface).split()
    return (
        bool(words)
        and words[-1] not in _SURNAME_HEADS
        and not _INITIAL.search(surface)
        and not _preceded_by_title(doc, ent)
    )


def _ner_hits(doc: Doc, gaz: Gazetteer) -> list[Hit]:
    text = _text(doc)
    persons = _person_tokens(doc)
    named = {normalize(e.text) for e in _ents(doc) if e.label_ in ("GPE", "LOC")}
    hits: list[Hit] = []
    for ent in _ents(doc):
        start, end = trim_span(text, ent.start_char, ent.end_char)
        if end - start < 2:
            continue
        surface = text[start:end]
        label = ent.label_
        if label == "NORP" or surface.islower():
            continue  # demonyms: see _demonym_hits; "bush", "tina": place names are capitalised
        key = normalize(surface)
        best = _best(gaz, surface)
        if best is not None and _case_clash(best, surface):
            best = None  # "Noma" is not NoMa
        if label in PLACE_LABELS:
            acronym = _acronym(surface) and surface not in STATE_ABBREVIATIONS
            if best is not None and acronym and not _strong(best, key):
                continue
            if (
                (best is not None and not (len(ent) == 1 and key in _COMMON_WORDS and not gaz.has(surface)))
                or has_place_head(surface)
                or building_name(surface)
            ):
                hits.append(Hit(start, end, surface, "ner", label))
        elif label in ("ORG", "PERSON"):
            lone_person = label == "PERSON" and len(ent) == 1
            if best is not None and key in named and lone_person and key not in persons:
                # one sense per discourse: the NER took this name for a place elsewhere in the text
                hits.append(Hit(start, end, surface, "ner", label))
                continue
            if best is None:
                # "Dubonet Drive", "Christopher Inn": no person's name ends in a street or building word
                if has_place_head(surface) and (label == "ORG" or _street_like_person(doc, ent, surface)):
                    hits.append(Hit(start, end, surface, "ner", label))
                continue
            if key in _COMMON_WORDS or _preceded_by_title(doc, ent):
                continue
            if lone_person and key in persons:
                continue
            if not _strong(best, key):
                continue
            if (
                _prominent(best)
                or (label == "PERSON" and len(ent) > 1)
                or (after_locative(text, start, directional=label != "PERSON") and not _acronym(surface))
            ):
                hits.append(Hit(start, end, surface, "ner", label))
    return hits


def _blocked_ranges(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Non-place entities: hard blocks (persons, dates, numbers …) and organisation-like entities
    (ORG, FAC, EVENT, PRODUCT, WORK_OF_ART), inside which embedded places ("Shreveport Police",
    "Busan for Vladivostok" tagged ORG) may match when they are prominent."""
    hard: list[tuple[int, int]] = []
    soft: list[tuple[int, int]] = []
    for e in _ents(doc):
        if e.label_ not in BLOCKING_LABELS or e.label_ == "NORP":
            continue
        if (e.label_ in ("ORG", "EVENT", "PRODUCT", "WORK_OF_ART", "FAC") and len(e) > 1) or (
            e.label_ == "PERSON" and len(e) == 1
        ):
            soft.append((e.start_char, e.end_char))
        else:
            hard.append((e.start_char, e.end_char))
    return hard, soft


def _allowed(start: int, end: int, blocked: Sequence[tuple[int, int]], ends: Sequence[int]) -> bool:
    """An n-gram may not sit inside, or half-overlap, a non-place entity; it may cover one whole.
    ``blocked`` are the entities' (start, end) in text order, ``ends`` their ends (entities do not
    overlap, so both are sorted): only those ending after ``start`` are looked at.

    Examples
    --------
    >>> blocked = [(0, 5), (10, 20)]
    >>> ends = [5, 20]
    >>> [_allowed(a, b, blocked, ends) for a, b in [(6, 9), (12, 15), (8, 22), (10, 20), (3, 8)]]
    [True, False, True, False, False]
    """
    for i in range(bisect.bisect_right(ends, start), len(blocked)):
        b0, b1 = blocked[i]
        if end <= b0:
            break
        if start <= b0 and b1 <= end and (start, end) != (b0, b1):
            continue
        return False
    return True


def _capitalised(tok_text: str) -> bool:
    first = tok_text[:1]
    return first.isupper() and (first.isalpha() or any(ch.isalpha() for ch in tok_text))


_Tok = tuple[str, str, int, bool, bool, bool, bool]


def _text(doc: Doc) -> str:
    """``doc.text``, joined once per doc (spaCy rebuilds it from the tokens on every access; the pipeline
    stores the text it parsed, which is the same string, as ``doc.user_data["sitmap_text"]``)."""
    cached = doc.user_data.get("sitmap_text")
    if cached is None:
        cached = doc.text
        doc.user_data["sitmap_text"] = cached
    return str(cached)


def _ents(doc: Doc) -> tuple[Span, ...]:
    """The doc's entities, built once per doc (``doc.ents`` makes new spans on every access)."""
    cached = doc.user_data.get("sitmap_ents")
    if cached is None:
        cached = tuple(doc.ents)
        doc.user_data["sitmap_ents"] = cached
    return cached


def _tokens(doc: Doc) -> list[_Tok]:
    """(text, lower, idx, is_punct, is_sent_start, is_lower, capitalised) per token, read once per doc."""
    cached = doc.user_data.get("sitmap_tokens")
    if cached is None:
        from spacy.attrs import IDX, IS_LOWER, IS_PUNCT, LENGTH, SENT_START

        text = _text(doc)
        rows = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_LOWER, SENT_START]).astype("int64").tolist()
        cached = []
        for idx, length, punct, lower, sent in rows:
            t = text[idx : idx + length]
            cached.append((t, t.lower(), idx, bool(punct), sent == 1, bool(lower), _capitalised(t)))
        doc.user_data["sitmap_tokens"] = cached
    return cached


def _gazetteer_hits(doc: Doc, gaz: Gazetteer, places_named: set[str]) -> list[Hit]:
    """Capitalised n-grams that are gazetteer names, longest first. ``places_named``: normalised names
    the NER already took as places in this document (one sense per discourse)."""
    text = _text(doc)
    blocked, soft = _blocked_ranges(doc)
    blocked.sort()
    blocked_ends = [b1 for _, b1 in blocked]
    persons = _person_tokens(doc)
    toks = _tokens(doc)
    lower_words = {low for _, low, _, _, _, is_lower, _ in toks if is_lower}
    # a token may sit inside a name: capitalised, an inner word ("of", "port"), or a hyphen/apostrophe
    ok_inner = [cap or low in _INNER_WORDS or t in "-'’." for t, low, _, _, _, _, cap in toks]
    max_n = max(1, min(int(getattr(gaz, "max_name_tokens", 6)), 8))
    hits: list[Hit] = []
    n_tokens = len(toks)
    # run[i]: how many tokens from i on may sit inside a name (the longest n-gram worth trying)
    run = [0] * (n_tokens + 1)
    for j in range(n_tokens - 1, -1, -1):
        run[j] = run[j + 1] + 1 if ok_inner[j] else 0
    i = 0
    while i < n_tokens:
        _tok_text, _, _, tok_punct, tok_sent_start, _, tok_cap = toks[i]
        if not tok_cap or tok_punct:
            i += 1
            continue
        found: Hit | None = None
        for n in range(min(max_n, run[i]), 0, -1):
            last = toks[i + n - 1]
            if n > 1 and not (last[6] or last[1] in _INNER_WORDS):
                continue
            start, end = trim_span(text, toks[i][2], last[2] + len(last[0]))
            if end - start < 2 or not _allowed(start, end, blocked, blocked_ends):
                continue
            surface = text[start:end]
            if not surface[:1].isupper():
                continue  # "The range" trimmed to "range"
            key = normalize(surface)
            if surface in STATE_ABBREVIATIONS:
                # "Trenton, N.J.": only after a comma (ambiguous ones too: "Ind." is a word)
                if not (
                    start >= 2
                    and text[start - 2 : start] == ", "
                    and _CAPITALISED_END.search(text, max(0, start - 40), start - 2)
                ):
                    continue
                found = Hit(start, end, surface, "gazetteer")
                break
            if n == 1 and (
                key in _COMMON_WORDS or key in persons or (len(key) < 3 and not surface.isupper())
            ):
                continue
            if not gaz.has(surface) and key not in CONTINENT_WORDS:
                continue
            if i > 0 and normalize(toks[i - 1][0]) in _PERSON_TITLES:
                continue
            inside_soft = any(b0 <= start and end <= b1 for b0, b1 in soft)
            if key not in places_named:
                # "EU" is the European Union before it is Eu, Normandy (as in the NER path)
                best = place_candidates(gaz, surface, limit=1)
                if not best or _case_clash(best[0], surface):
                    continue
                if n == 1 or inside_soft:
                    # a lone capitalised word nobody tagged, or a name inside an organisation's name,
                    # must be a prominent place, and not a word the text also uses in lower case
                    big = _very_prominent(best[0]) if n == 1 and not inside_soft else _prominent(best[0])
                    big = big or (not inside_soft and after_locative(text, start) and not _acronym(surface))
                    # inside an organisation's name, no short name ("Caspian Pipeline Consortium")
                    strong = _strong(best[0], key, short_sea=not inside_soft)
                    if not big or key in lower_words or not strong:
                        continue
                elif not _prominent(best[0]) and tok_sent_start:
                    continue
            found = Hit(start, end, surface, "gazetteer")
            break
        if found is not None:
            hits.append(found)
            while i < n_tokens and toks[i][2] < found.end:
                i += 1
        else:
            i += 1
    return hits


def _demonym_hits(doc: Doc, gaz: Gazetteer) -> list[Hit]:
    """Demonyms and adjectivals of countries and continents ("Russian", "North Korean", "European"):
    capitalised runs of one to three tokens outside person names (memoised on ``doc.user_data``)."""
    cached = doc.user_data.get("sitmap_demonym_hits")
    if cached is not None:
        return list(cached)
    text = _text(doc)
    hard = [(e.start_char, e.end_char) for e in _ents(doc) if e.label_ == "PERSON" and len(e) > 1]
    toks = _tokens(doc)
    word = [t.isalpha() and t[:1].isupper() and not t.isupper() for t, *_ in toks]
    firsts = gaz.demonym_first_words() | _CONTINENT_FIRSTS
    hits: list[Hit] = []
    n_tokens = len(toks)
    i = 0
    while i < n_tokens:
        if not word[i] or toks[i][1] in ("the", "a", "an"):
            i += 1
            continue
        found = 0
        # runs of two or three words only from a word that starts such a demonym ("North Korean")
        longer = toks[i][1] in firsts or not toks[i][0].isascii()
        for n in (3, 2, 1) if longer else (1,):
            if i + n > n_tokens or not all(word[i : i + n]):
                continue
            start = toks[i][2]
            end = toks[i + n - 1][2] + len(toks[i + n - 1][0])
            surface = text[start:end]
            key = normalize(surface)
            c = gaz.demonym(surface)
            of_place = c is not None and (c.country_code is not None or c.feature == "region")
            if of_place or (key in CONTINENT_WORDS and key not in _UNIONS):
                if any(b0 < end and start < b1 for b0, b1 in hard):
                    continue
                hits.append(Hit(start, end, surface, "rule", "NORP"))
                found = n
                break
        i += found or 1
    doc.user_data["sitmap_demonym_hits"] = tuple(hits)
    return hits


#: A dateline in capitals at the start of the text, of a line or after a sentence (a byline):
#: "PLEASANTON, Calif. --", "SOUTH WAZIRISTAN, April 5 (APP):", "WASHINGTON (AP) -", "IMMOKALEE –".
_CAPS_DATELINE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?\"”]\s))([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})(?=,\s|\s\(|\s*[-–—:])",
)


def _dateline_hits(doc: Doc, gaz: Gazetteer) -> list[Hit]:
    """Places written in capitals as a dateline, which the NER (trained on mixed case) misses: known by
    their own name to the gazetteer, longer than an acronym."""
    text = _text(doc)
    hits: list[Hit] = []
    for m in _CAPS_DATELINE.finditer(text):
        surface = m.group(1).rstrip(".")
        if len(surface.replace(" ", "")) < 4:
            continue
        best = _best(gaz, surface)
        if best is not None and _strong(best, normalize(surface)):
            hits.append(Hit(m.start(1), m.start(1) + len(surface), surface, "rule", "DATELINE"))
    return hits


_CONTINENT_FIRSTS = frozenset(k.split(" ", 1)[0] for k in CONTINENT_WORDS if " " in k)


def _merge(hits: Iterable[Hit]) -> list[Hit]:
    """Keep the longest of overlapping hits (NER before gazetteer on ties), in text order."""
    priority = {"ner": 0, "rule": 1, "gazetteer": 2}
    chosen: list[Hit] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), priority.get(h.source, 3), h.start)):
        if all(h.end <= c.start or c.end <= h.start for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: (h.start, h.end))


def find_hits(doc: Doc, gaz: Gazetteer, *, demonyms: bool = True) -> list[Hit]:
    """Recognise place mentions in a spaCy ``doc`` (NER + gazetteer matcher + rules), longest match first.

    With ``demonyms`` (the default), demonyms and adjectivals of countries ("Russian", "North Korean")
    are returned as ``rule`` hits: the GeoWebNews and LGL annotation schemes count them as toponyms of
    their country.
    """
    ner = _ner_hits(doc, gaz)
    named = {normalize(h.text) for h in ner if h.label in PLACE_LABELS}
    # the gazetteer matcher may extend an NER hit ("the United States" -> "United States mainland"),
    # so it runs over all tokens and the merge keeps the longest
    gaz_hits = _gazetteer_hits(doc, gaz, named)
    rule = _demonym_hits(doc, gaz) if demonyms else []
    merged = _merge([*ner, *gaz_hits, *rule, *_dateline_hits(doc, gaz)])
    return _merge([*merged, *_same_sense_hits(doc, gaz, merged)])


def _same_sense_hits(doc: Doc, gaz: Gazetteer, hits: Sequence[Hit]) -> list[Hit]:
    """One sense per discourse: a one-word organisation or person entity ("Cirencester" tagged PERSON)
    spelled like a place the text names elsewhere is that place, unless the text uses the word in a
    person's name or after a title."""
    places = {normalize(h.text) for h in hits if h.label not in ("NORP", "PERSON", "ORG")}
    if not places:
        return []
    text = _text(doc)
    persons = _person_tokens(doc)
    out: list[Hit] = []
    for ent in _ents(doc):
        if ent.label_ not in ("PERSON", "ORG") or len(ent) != 1:
            continue
        start, end = trim_span(text, ent.start_char, ent.end_char)
        key = normalize(text[start:end])
        if key not in places or key in persons or key in _COMMON_WORDS or _preceded_by_title(doc, ent):
            continue
        best = _best(gaz, text[start:end])
        if best is not None and _strong(best, key):  # by its own name: "Newcomers" is not Newcomerstown
            out.append(Hit(start, end, text[start:end], "ner", ent.label_))
    return out


def demonym_countries(doc: Doc, gaz: Gazetteer) -> dict[str, int]:
    """Count the countries the document refers to by demonym or adjectival ("North Korean", "Russian")."""
    counts: dict[str, int] = {}
    for h in _demonym_hits(doc, gaz):
        c = gaz.demonym(h.text)
        if c is not None and c.country_code:
            counts[c.country_code] = counts.get(c.country_code, 0) + 1
    return counts
