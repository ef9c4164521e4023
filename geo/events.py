"""Event extraction: who did what to whom, with what, where and how sure (PLOVER-aligned).

The extractor works sentence by sentence over the spaCy docs and the resolved toponyms:

1. **triggers** (verbs and nouns) pick the event type: "provided X to Y", "the dispatch of X to Y",
   "may conduct a test", "will deploy", "used in strikes on Y", "accused Y of";
2. **arguments**: actors and recipients are countries named or referred to by demonym, by preposition
   ("from X", "to Y") and by position (the nearest country before the trigger is the actor); weapons
   come from the catalogue's phrases; quantities from number patterns;
3. **factuality**: cue words in the trigger's clause (a cue inside a later "which ..." clause does not
   count) and the speaker of the sentence or of the paragraph's previous sentence;
4. **places by role**, each with how it was linked (preposition, actor country, route logic, reach claim);
   with no evidence for a place the extractor abstains;
5. **duplicates**: the same event told in several sentences becomes one event with all its evidence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .model import (
    Actor,
    Dateline,
    Document,
    Event,
    EventPlace,
    EventTime,
    Evidence,
    Factuality,
    Quantity,
    Toponym,
    Weapon,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .gazetteer import Gazetteer
    from .weapons import Catalogue, WeaponSystem

__all__ = ["PLOVER", "extract_events", "find_quantities"]

#: sitmap event type → (PLOVER event type, PLOVER mode)
PLOVER: dict[str, tuple[str, str | None]] = {
    "ARMS_TRANSFER": ("AID", "military"),
    "WEAPONS_TEST": ("MOBILIZE", "weapons"),
    "DEPLOYMENT": ("MOBILIZE", "weapons"),
    "STRIKE": ("ASSAULT", "heavy-weapons"),
    "STATEMENT": ("CONSULT", None),
    "ACCUSE": ("ACCUSE", None),
    "THREATEN": ("THREATEN", None),
    "SANCTION": ("SANCTION", None),
}

_TRIGGERS: dict[str, re.Pattern[str]] = {
    "ARMS_TRANSFER": re.compile(
        r"\b(provi(?:de|des|ded|ding|sion)|suppl(?:y|ies|ied|ying)|ship(?:s|ped|ping|ments?)|"
        r"deliver(?:s|ed|ing|y|ies)?|dispatch(?:es|ed|ing)?|transfer(?:s|red|ring)?|sell(?:s|ing)?|sold|"
        r"sales?|purchas(?:e|es|ed|ing)|sen[dt]s?|sending|arms trade|exports?|exported)\b",
        re.I,
    ),
    "WEAPONS_TEST": re.compile(r"\b(tests?|tested|testing|trials?|test-fir(?:e|ed|ing))\b", re.I),
    "DEPLOYMENT": re.compile(r"\b(deploy(?:s|ed|ing|ment|ments)?|station(?:s|ed|ing))\b", re.I),
    "STRIKE": re.compile(
        r"\b(strikes?|struck|attack(?:s|ed|ing)?|bombard(?:s|ed|ing|ment)|shell(?:ed|ing)|hit)\b", re.I
    ),
    "ACCUSE": re.compile(r"\b(accus(?:e|es|ed|ing)|blam(?:e|es|ed|ing))\b", re.I),
    "THREATEN": re.compile(r"\b(threaten(?:s|ed|ing)?)\b", re.I),
    "SANCTION": re.compile(
        r"\b((?:impos(?:e|es|ed|ing)|announc(?:e|es|ed|ing)|slapp?(?:ed|ing)?)\s+(?:new\s+)?sanctions|"
        r"sanctioned)\b",
        re.I,
    ),
    "STATEMENT": re.compile(
        r"\b(said|says|stated|disclosed|told|announced|warned|indicated|highlighted|"
        r"expressed (?:concerns?|alarm)|according to)\b",
        re.I,
    ),
}
#: A catalogue phrase, its system, and whether it names the system only near missile words.
_Phrase = tuple[str, "WeaponSystem", bool]
#: Words that let a context-dependent system name ("Fattah", "Trident") count as a weapon.
_MISSILE_WORDS = re.compile(
    r"\b(missiles?|rockets?|ballistic|cruise|warheads?|launch\w*|fired|test\w*|range)\b", re.I
)
#: Words that make a transfer sentence about weapons even without a catalogue phrase.
_MUNITIONS = re.compile(
    r"\b(weapons?|munitions?|arms|shells?|rounds|ammunition|missiles?|rockets?|drones?|artillery|warheads?)\b",
    re.I,
)
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("denied", re.compile(r"\b(den(?:y|ies|ied)|false information|rejected)\b", re.I)),
    ("alleged", re.compile(r"\b(accus(?:e|es|ed|ing)|alleg(?:e|es|ed|edly|ations?))\b", re.I)),
    ("possible", re.compile(r"\b(may|might|could|potentially|possib(?:le|ly)|likely|perhaps)\b", re.I)),
    ("considering", re.compile(r"\b(consider(?:s|ed|ing)?|weigh(?:s|ing)?|mull(?:s|ing)?)\b", re.I)),
    (
        "planned",
        re.compile(r"\b(plan(?:s|ned|ning)?|prepar(?:e|es|ed|ing)|will|intend(?:s|ed)?|to be)\b", re.I),
    ),
    ("reported", re.compile(r"\b(reported(?:ly)?|according to|indicat(?:es|ed|ions?)|estimat\w*)\b", re.I)),
)
_STATUS_ORDER = ("denied", "alleged", "possible", "considering", "planned", "reported", "asserted")
_CERTAINTY = ("asserted", "reported", "alleged", "planned", "considering", "possible", "denied")
_ADJECTIVAL_NEXT = re.compile(
    r"^\s*(military|forces?|troops|facilities|bases?|officials?|envoy|president|leader|government|"
    r"navy|army|ballistic|missiles?|weapons?|munitions|defen[cs]e|economy)\b",
    re.I,
)
_RELATIVE = re.compile(r"[,;(]?\s*\b(which|who|that|whose)\b", re.I)
_QUANTITY = re.compile(
    r"(?P<approx>more than|over|about|approximately|around|nearly|almost|some|up to|at least|"
    r"exceed(?:ed|ing)|as many as|roughly|an estimated)?\s*"
    r"(?P<cur>US\$|\$|€|£)?(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<mult>million|billion|thousand|bn)?\s*(?P<pct>%|percent|per cent)?\s*"
    r"(?P<unit>(?:[a-z][a-z-]+)(?:\s+of\s+[a-z]+)?)?",
    re.I,
)
_UNITS = frozenset(
    [
        "rounds",
        "shells",
        "containers",
        "missiles",
        "drones",
        "troops",
        "soldiers",
        "tons",
        "tonnes",
        "rockets",
        "launchers",
        "vehicles",
        "ships",
        "tanks",
        "artillery",
        "warheads",
        "munitions",
        "pieces",
        "systems",
        "aircraft",
        "jets",
    ]
)
_MULT = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9}
_LOWER_BOUND = ("more than", "over", "at least", "exceeded", "exceeding")
_UPPER_BOUND = ("up to", "nearly", "almost", "as many as")


def find_quantities(sentence: str, offset: int = 0) -> list[Quantity]:
    """Quantities in a sentence: counts with units, prices per unit, percentages.

    Examples
    --------
    >>> [q.value for q in find_quantities("more than 2 million rounds and about 5,000 containers")]
    [2000000.0, 5000.0]
    >>> q = find_quantities("if sold at $1,000 each")[0]; q.per_unit_price, q.currency
    (1000.0, 'USD')
    >>> q = find_quantities("approximately 10% of North Korea's GDP")[0]; q.value, q.unit
    (10.0, '% of GDP')
    """
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(sentence):
        num = m.group("num")
        try:
            value = float(num.replace(",", ""))
        except ValueError:
            continue
        mult = (m.group("mult") or "").lower()
        value *= _MULT.get(mult, 1.0)
        approx = (m.group("approx") or "").lower()
        unit_words = (m.group("unit") or "").lower().split()
        cur = m.group("cur")
        text_end = m.end()
        unit: str | None = None
        per_unit = None
        currency = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}.get(cur or "")
        if m.group("pct"):
            tail = sentence[m.end("pct") : m.end("pct") + 40]
            unit = "% of GDP" if re.match(r"\s*of\b[^.]{0,30}\bGDP\b", tail) else "%"
            text_end = m.end("pct") + (tail.index("GDP") + 3 if unit == "% of GDP" else 0)
        elif currency:
            unit = currency
            if unit_words[:1] == ["each"] or re.match(r"\s*(each|apiece|per)\b", sentence[m.end("num") :]):
                per_unit = value
            else:
                text_end = m.end("mult") if m.group("mult") else m.end("num")
        elif unit_words and unit_words[0] in _UNITS:
            unit = unit_words[0]
            if len(unit_words) >= 3 and unit_words[1] == "of":
                unit = " ".join(unit_words[:3])
        else:
            continue
        if not (cur or mult or m.group("pct") or unit) or (value < 1 and not m.group("pct")):
            continue
        low = value if approx in _LOWER_BOUND else None
        high = value if approx in _UPPER_BOUND else None
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        out.append(
            Quantity(
                text=sentence[start:text_end].strip(),
                value=value,
                low=low,
                high=high,
                unit=unit,
                approximate=bool(approx),
                per_unit_price=per_unit,
                currency=currency,
            )
        )
    return out


@dataclass(slots=True)
class _Country:
    start: int
    end: int
    cc: str
    name: str
    toponym: Toponym | None
    adjectival: bool


@dataclass(slots=True)
class _Draft:
    type: str
    trigger: str
    trigger_at: int
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    weapon: Weapon | None = None
    quantities: list[Quantity] = field(default_factory=list)
    places: list[EventPlace] = field(default_factory=list)
    time: EventTime = field(default_factory=EventTime)
    factuality: Factuality = field(default_factory=Factuality)
    evidence: list[Evidence] = field(default_factory=list)


def _country_mentions(
    text: str, s0: int, s1: int, toponyms: Sequence[Toponym], docs: Sequence[tuple[int, Doc]], gaz: Gazetteer
) -> list[_Country]:
    out: list[_Country] = []
    for t in toponyms:
        if (
            s0 <= t.start < s1
            and t.country_code
            and t.feature in ("country", "city", "admin1", "site", "region")
        ):
            adjectival = bool(_ADJECTIVAL_NEXT.match(text[t.end : t.end + 30]))
            cc = t.country_code
            if t.gazetteer_id and t.gazetteer_id.startswith("region:") and t.feature == "region":
                cc = t.country_code
            out.append(_Country(t.start, t.end, cc, t.name or t.text, t, adjectival))
    for offset, doc in docs:
        for ent in doc.ents:
            a, b = offset + ent.start_char, offset + ent.end_char
            if ent.label_ != "NORP" or not (s0 <= a < s1):
                continue
            c = gaz.demonym(ent.text)
            if c is not None and c.country_code:
                out.append(_Country(a, b, c.country_code, c.name, None, True))
    out.sort(key=lambda c: c.start)
    return out


def _speakers(text: str, s0: int, s1: int, docs: Sequence[tuple[int, Doc]]) -> list[tuple[int, str]]:
    """PERSON entities in the sentence, expanded to the longest form the document uses."""
    persons: list[tuple[int, int, str]] = []
    for offset, doc in docs:
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                persons.append((offset + ent.start_char, offset + ent.end_char, ent.text))
    full: dict[str, str] = {}
    for _, _, name in persons:
        for part in name.split():
            if len(name) > len(full.get(part, "")):
                full[part] = name
    out = []
    for a, _, name in persons:
        if s0 <= a < s1:
            longest = full.get(name.split()[0], name) if len(name.split()) == 1 else name
            out.append((a, longest))
    return out


def _status(clause: str) -> tuple[str, tuple[str, ...]]:
    cues: list[str] = []
    statuses: list[str] = []
    for status, pat in _CUES:
        for m in pat.finditer(clause):
            cues.append(m.group(0))
            statuses.append(status)
    if not statuses:
        return "asserted", ()
    best = min(statuses, key=_STATUS_ORDER.index)
    return best, tuple(dict.fromkeys(cues))


_HEAD_BREAKS = re.compile(r"[,;:(]|\b(?:that|which|who|whether|and|but|while|after|before|because)\b", re.I)


def _clause(sentence: str, at: int) -> str:
    """The words that govern the trigger at ``at``: back to the previous clause break (a comma, "that",
    "and" ...), and forward to the end of the sentence, cut before a relative clause ("which ...")."""
    head_start = 0
    for m in _HEAD_BREAKS.finditer(sentence, 0, at):
        head_start = m.end()
    tail = sentence[at:]
    rel = _RELATIVE.search(tail)
    if rel:
        tail = tail[: rel.start()]
    return sentence[head_start:at] + tail


def _weapon(sentence: str, phrases: Sequence[_Phrase], default: Weapon | None) -> Weapon | None:
    low = sentence.lower()
    missile_context = bool(_MISSILE_WORDS.search(sentence))
    best: tuple[int, int, str, WeaponSystem] | None = None
    for phrase, system, contextual in phrases:
        if contextual and not missile_context:
            continue
        for m in re.finditer(r"(?<![\w-])" + re.escape(phrase.lower()) + r"(?:e?s)?(?![\w-])", low):
            cand = (-(m.end() - m.start()), m.start(), sentence[m.start() : m.end()], system)
            if best is None or cand[:2] < best[:2]:
                best = cand
    if best is not None:
        system = best[3]
        is_class = (
            system.name.upper() in ("CRBM", "SRBM", "MRBM", "IRBM", "ICBM")
            or system.name == system.weapon_class
        )
        return Weapon(
            text=best[2], weapon_class=system.weapon_class, system=None if is_class else system.name
        )
    if re.search(r"\b(them|these|those|they)\b", low) and default is not None:
        return default
    generic = _MUNITIONS.search(sentence)
    if generic:
        word = generic.group(0).lower()
        klass = "artillery shells" if word.startswith(("shell", "round", "ammunition", "artiller")) else None
        return Weapon(text=generic.group(0), weapon_class=klass, system=None)
    return None


def _place_from_toponym(t: Toponym, role: str, method: str, reason: str) -> EventPlace:
    precision = {
        "site": "site",
        "city": "city",
        "admin1": "admin",
        "admin2": "admin",
        "country": "country",
    }.get(t.feature or "", "region")
    return EventPlace(
        role=role,
        name=t.name or t.text,
        lat=t.lat,
        lon=t.lon,
        country_code=t.country_code,
        precision=precision,
        gazetteer_id=t.gazetteer_id,
        link_method=method,
        link_reason=reason,
        start=t.start,
        end=t.end,
    )


def _country_place(cc: str, role: str, gaz: Gazetteer, method: str, reason: str) -> EventPlace | None:
    c = gaz.country(cc)
    if c is None:
        return None
    return EventPlace(
        role=role,
        name=c.name,
        lat=c.lat,
        lon=c.lon,
        country_code=cc,
        precision="country",
        gazetteer_id=c.gazetteer_id,
        link_method=method,
        link_reason=reason,
    )


def _after_word(
    sentence: str, s0: int, words: str, countries: Sequence[_Country], at: int
) -> _Country | None:
    """The first country/place mention right after one of ``words`` following position ``at``."""
    for m in re.finditer(rf"\b(?:{words})\s+(?:the\s+|all of\s+|its\s+)?", sentence[at - s0 :], re.I):
        pos = at + m.end()
        for c in countries:
            if c.start == pos or (c.start > pos and c.start - pos <= 3):
                return c
    return None


def _time_for(sentence: str, dateline: Dateline | None) -> EventTime:
    """Event time from month phrases, resolved against the dateline."""
    ref = dt.date.fromisoformat(dateline.date) if dateline and dateline.date else None
    ambiguous = bool(dateline and dateline.ambiguous)
    m = re.search(
        r"\b(?:by the end of|by|in|since|during|as early as|until)\s+(?:the\s+)?"
        r"(this month|next month|last month|"
        r"(January|February|March|April|May|June|July|August|September|October|November|December)"
        r"(?:\s+(\d{4}))?)",
        sentence,
    )
    if m:
        phrase = m.group(0)
        if ref is None:
            return EventTime(text=phrase, precision="month", ambiguous=ambiguous)
        if m.group(2):
            month = list(calendar.month_name).index(m.group(2))
            year = int(m.group(3)) if m.group(3) else (ref.year if month <= ref.month else ref.year - 1)
        else:
            shift = {"this month": 0, "next month": 1, "last month": -1}[m.group(1).lower()]
            month0 = ref.month - 1 + shift
            year, month = ref.year + month0 // 12, month0 % 12 + 1
        last = calendar.monthrange(year, month)[1]
        start, end = dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()
        if phrase.lower().startswith(("by", "until")):
            start = None  # type: ignore[assignment]
        return EventTime(text=phrase, start=start, end=end, precision="month", ambiguous=ambiguous)
    m = re.search(
        r"\b(more than |over |about )?(a|one|two|three|\d+) (year|month|week)s? ago\b", sentence, re.I
    )
    if m and ref is not None:
        n = {"a": 1, "one": 1, "two": 2, "three": 3}.get(m.group(2).lower())
        n = n if n is not None else int(m.group(2))
        days = {"year": 365, "month": 30, "week": 7}[m.group(3).lower()] * n
        end = (ref - dt.timedelta(days=days)).isoformat()
        return EventTime(text=m.group(0), end=end, precision=m.group(3).lower(), ambiguous=ambiguous)
    return EventTime()


def _statement_time(dateline: Dateline | None) -> EventTime:
    """A statement is dated by the report's dateline."""
    if dateline is None or dateline.date is None:
        return EventTime()
    return EventTime(
        text=dateline.raw,
        start=dateline.date,
        end=dateline.date,
        precision="day",
        ambiguous=dateline.ambiguous,
    )


def _draft_events(
    document: Document,
    s0: int,
    s1: int,
    docs: Sequence[tuple[int, Doc]],
    toponyms: Sequence[Toponym],
    gaz: Gazetteer,
    phrases: Sequence[_Phrase],
    speaker: str | None,
    prev_weapon: Weapon | None,
) -> list[_Draft]:
    text = document.text
    sentence = text[s0:s1]
    countries = _country_mentions(text, s0, s1, toponyms, docs, gaz)
    weapon = _weapon(sentence, phrases, prev_weapon)
    quantities = find_quantities(sentence)
    evidence = Evidence(sentence=sentence, start=s0, end=s1)
    drafts: list[_Draft] = []
    for etype, pat in _TRIGGERS.items():
        for m in pat.finditer(sentence):
            at = s0 + m.start()
            clause = _clause(sentence, m.start())
            status, cues = _status(clause)
            if speaker and status == "asserted":
                status, cues = "reported", (*cues, f"{speaker} (speaker)")
            fact = Factuality(status=status, cues=cues, speaker=speaker)
            d = _Draft(type=etype, trigger=m.group(0), trigger_at=at, factuality=fact, evidence=[evidence])
            if _fill(d, sentence, s0, at, countries, weapon, quantities, gaz, speaker):
                d.time = (
                    _statement_time(document.dateline)
                    if etype == "STATEMENT"
                    else _time_for(sentence, document.dateline)
                )
                drafts.append(d)
    return drafts


def _actor_before(countries: Sequence[_Country], at: int, exclude: set[str]) -> _Country | None:
    before = [c for c in countries if c.end <= at and c.cc not in exclude and not _weapon_adjective(c)]
    return before[-1] if before else None


def _weapon_adjective(c: _Country) -> bool:
    return c.toponym is None and c.adjectival


def _country_actor(gaz: Gazetteer, c: _Country) -> Actor:
    """An actor named by its country (the gazetteer's name), e.g. "North Korea’s" → North Korea."""
    country = gaz.country(c.cc)
    return Actor(country.name if country is not None else c.name, c.cc)


def _fill_transfer(
    d: _Draft,
    sentence: str,
    s0: int,
    at: int,
    countries: Sequence[_Country],
    weapon: Weapon | None,
    quantities: Sequence[Quantity],
    gaz: Gazetteer,
) -> bool:
    if weapon is None and not _MUNITIONS.search(sentence):
        return False
    actor: _Country | None
    recipient: _Country | None
    if d.trigger.lower().startswith("purchas"):
        # "the purchase of North Korean missiles": the buyer receives from the demonym's country
        actor = next((c for c in countries if c.start > at and c.toponym is None), None)
        recipient = _actor_before(countries, at, set())
    else:
        recipient = _after_word(sentence, s0, "to", countries, at)
        if recipient is None:
            return False  # no direction stated ("arms transfers with X"): abstain
        actor = _after_word(sentence, s0, "from", countries, at) or _actor_before(
            countries, at, {recipient.cc}
        )
    if actor is None or recipient is None or actor.cc == recipient.cc:
        return False
    d.actors = [_country_actor(gaz, actor)]
    d.recipients = [_country_actor(gaz, recipient)]
    d.weapon = weapon
    d.quantities = list(quantities)
    origin_place = _country_place(actor.cc, "origin", gaz, "actor_country", "the supplying country")
    if origin_place:
        d.places.append(origin_place)
    if recipient.toponym is not None and recipient.toponym.feature != "country":
        d.places.append(
            _place_from_toponym(recipient.toponym, "destination", "preposition", f"'to {recipient.name}'")
        )
    else:
        dest = _country_place(recipient.cc, "destination", gaz, "recipient_country", "the receiving country")
        if dest:
            d.places.append(dest)
    return True


def _fill_test(
    d: _Draft,
    sentence: str,
    s0: int,
    at: int,
    countries: Sequence[_Country],
    weapon: Weapon | None,
    gaz: Gazetteer,
) -> bool:
    if weapon is None or weapon.weapon_class == "artillery shells":
        return False
    if d.type == "DEPLOYMENT" and weapon.weapon_class is None and weapon.system is None:
        return False  # "munitions ... deployed in Ukraine" describes, it does not deploy
    actor = _actor_before(countries, at, set())
    if actor is None:
        return False
    d.actors = [Actor(actor.toponym.name or actor.name if actor.toponym else actor.name, actor.cc)]
    d.weapon = weapon
    role = "launch_site" if d.type == "WEAPONS_TEST" else "event_site"
    site = next(
        (
            c.toponym
            for c in countries
            if c.toponym is not None and c.toponym.feature == "site" and c.cc == actor.cc
        ),
        None,
    )
    if site is not None:
        d.places.append(_place_from_toponym(site, role, "same_sentence", "a site of the actor"))
    else:
        p = _country_place(actor.cc, role, gaz, "actor_country", "no site named: the actor's territory")
        if p:
            d.places.append(p)
    target = _after_word(sentence, s0, "targeting|toward|towards|at|against", countries, at)
    if target is not None and target.toponym is not None:
        d.places.append(_place_from_toponym(target.toponym, "target", "preposition", "stated target"))
    return True


def _fill_strike(
    d: _Draft,
    sentence: str,
    s0: int,
    at: int,
    countries: Sequence[_Country],
    weapon: Weapon | None,
    gaz: Gazetteer,
) -> bool:
    target = _after_word(sentence, s0, "on|against|in|at", countries, at)
    if target is None:
        return False
    actor = _actor_before(countries, at, {target.cc})
    if actor is not None:
        d.actors = [_country_actor(gaz, actor)]
    d.recipients = [Actor(target.name, target.cc)]
    d.weapon = weapon
    if target.toponym is not None:
        d.places.append(_place_from_toponym(target.toponym, "target", "preposition", f"'{d.trigger} on'"))
    return True


def _fill_claim(d: _Draft, at: int, countries: Sequence[_Country], speaker: str | None) -> bool:
    """ACCUSE, THREATEN, SANCTION: who (the speaker, or the country before) against whom (the one after)."""
    target = next((c for c in countries if c.start >= at and not c.adjectival), None)
    if target is None:
        return False
    actor = _actor_before(countries, at, {target.cc})
    if actor is None:
        return False
    d.actors = [Actor(speaker or actor.name, actor.cc)]
    d.recipients = [Actor(target.name, target.cc)]
    d.factuality = Factuality(status="asserted", cues=(d.trigger,), speaker=speaker)
    return True


def _fill(
    d: _Draft,
    sentence: str,
    s0: int,
    at: int,
    countries: Sequence[_Country],
    weapon: Weapon | None,
    quantities: Sequence[Quantity],
    gaz: Gazetteer,
    speaker: str | None,
) -> bool:
    """Fill the draft's arguments; False when the sentence does not support this event type."""
    if d.type == "ARMS_TRANSFER":
        return _fill_transfer(d, sentence, s0, at, countries, weapon, quantities, gaz)
    if d.type in ("WEAPONS_TEST", "DEPLOYMENT"):
        return _fill_test(d, sentence, s0, at, countries, weapon, gaz)
    if d.type == "STRIKE":
        return _fill_strike(d, sentence, s0, at, countries, weapon, gaz)
    if d.type in ("ACCUSE", "THREATEN", "SANCTION"):
        return _fill_claim(d, at, countries, speaker)
    if d.type == "STATEMENT" and speaker is not None:
        d.factuality = Factuality(status="asserted", cues=(d.trigger,), speaker=speaker)
        return True
    return False


def _key(d: _Draft) -> tuple[object, ...]:
    weapon = (d.weapon.system or d.weapon.weapon_class or "munitions") if d.weapon else None
    if d.type == "ARMS_TRANSFER" and (d.weapon is None or d.weapon.system is None):
        weapon = (
            d.weapon.weapon_class
            if d.weapon and d.weapon.weapon_class not in (None, "artillery shells")
            else "munitions"
        )
    future = d.type != "STATEMENT" and d.factuality.status in ("possible", "planned", "considering")
    actors = tuple(sorted(a.country_code or a.name for a in d.actors))
    if d.type == "STATEMENT":
        actors = (d.factuality.speaker or "",)
    recips = tuple(sorted(a.country_code or a.name for a in d.recipients))
    return (d.type, actors, recips, weapon, future)


def _merge(a: _Draft, b: _Draft) -> _Draft:
    for ev in b.evidence:
        if ev not in a.evidence:
            a.evidence.append(ev)
    for q in b.quantities:
        if q not in a.quantities:
            a.quantities.append(q)
    roles = {(p.role, p.gazetteer_id) for p in a.places}
    for p in b.places:
        if (p.role, p.gazetteer_id) not in roles:
            a.places.append(p)
    if a.weapon is None or (b.weapon and b.weapon.system and not a.weapon.system):
        a.weapon = b.weapon
    if _CERTAINTY.index(b.factuality.status) < _CERTAINTY.index(a.factuality.status):
        cues = tuple(dict.fromkeys((*b.factuality.cues, *a.factuality.cues)))
        a.factuality = replace(b.factuality, cues=cues)
    else:
        cues = tuple(dict.fromkeys((*a.factuality.cues, *b.factuality.cues)))
        a.factuality = replace(a.factuality, cues=cues)
    a.time = _merge_time(a.time, b.time)
    return a


def _merge_time(a: EventTime, b: EventTime) -> EventTime:
    """The time of an event told twice: both phrases, the earliest start and the latest end."""
    if a.text is None:
        return b
    if b.text is None or b.text == a.text:
        return a
    starts = [t for t in (a.start, b.start) if t]
    ends = [t for t in (a.end, b.end) if t]
    order = ("day", "week", "month", "year")
    precision = max((p for p in (a.precision, b.precision) if p in order), key=order.index, default=None)
    return EventTime(
        text=f"{a.text}; {b.text}",
        start=min(starts) if starts and a.start and b.start else None,
        end=max(ends) if ends else None,
        precision=precision,
        ambiguous=a.ambiguous or b.ambiguous,
    )


def _drop_coarse_duplicates(places: list[EventPlace]) -> list[EventPlace]:
    """A country-level place adds nothing next to a finer place of the same country in the same role."""
    finer = {(p.role, p.country_code) for p in places if p.precision != "country"}
    return [p for p in places if not (p.precision == "country" and (p.role, p.country_code) in finer)]


def _link_routes(drafts: list[_Draft], toponyms: Sequence[Toponym], text: str) -> None:
    """A transfer from a country goes via that country's port when the text names the port in a sentence
    about shipping or trade (route logic)."""
    ports = [
        t
        for t in toponyms
        if t.feature == "site"
        and re.search(r"\b(port|harbou?r)\b", (t.name or t.text) + " " + text[t.end : t.end + 12], re.I)
    ]
    for d in drafts:
        if d.type != "ARMS_TRANSFER" or d.factuality.status in ("possible", "considering", "planned"):
            continue
        origin = {a.country_code for a in d.actors}
        for t in ports:
            window = text[max(0, t.start - 200) : t.end + 200]
            if t.country_code in origin and re.search(
                r"\b(ships?|containers?|cargo|loaded|trade|vessels?)\b", window, re.I
            ):
                d.places.append(
                    _place_from_toponym(
                        t,
                        "via",
                        "route_logic",
                        f"{t.name or t.text} is the named port of the origin country, "
                        "in a sentence on shipping",
                    )
                )
                break


def _link_reach(
    drafts: list[_Draft],
    document: Document,
    docs: Sequence[tuple[int, Doc]],
    toponyms: Sequence[Toponym],
    gaz: Gazetteer,
    phrases: Sequence[_Phrase],
) -> None:
    """'could reach all of Japan and Guam': targets in reach of the last test of the same weapon class."""
    text = document.text
    for s0, s1 in document.sentences:
        sentence = text[s0:s1]
        m = re.search(r"\breach(?:es|ing)?\b", sentence)
        if not m:
            continue
        weapon = _weapon(sentence, phrases, None)
        tests = [
            d
            for d in drafts
            if d.type in ("WEAPONS_TEST", "DEPLOYMENT")
            and d.trigger_at < s1
            and d.weapon is not None
            and (weapon is None or d.weapon.weapon_class == weapon.weapon_class)
            and s0 - d.evidence[-1].end < 600
        ]
        if not tests:
            continue
        test = tests[-1]
        countries = _country_mentions(text, s0 + m.end(), s1, toponyms, docs, gaz)
        for c in countries:
            if c.toponym is None or c.adjectival:
                continue
            test.places.append(
                _place_from_toponym(
                    c.toponym,
                    "target",
                    "reach_claim",
                    f"text claims it is in reach: '{sentence[m.start() :].strip()[:80]}'",
                )
            )
        ev = Evidence(sentence=sentence, start=s0, end=s1)
        if ev not in test.evidence:
            test.evidence.append(ev)


def extract_events(
    document: Document,
    docs: Sequence[tuple[int, Doc]],
    toponyms: Sequence[Toponym],
    gaz: Gazetteer,
    catalogue: Catalogue,
) -> list[Event]:
    """Extract the events of a document (see the module docstring for the method)."""
    text = document.text
    phrases = [
        (phrase, system, catalogue.needs_context(phrase))
        for phrase, system in sorted(catalogue.phrases().items(), key=lambda kv: (-len(kv[0]), kv[0]))
    ]
    drafts: list[_Draft] = []
    speaker: str | None = None
    prev_weapon: Weapon | None = None
    prev_end = 0
    for s0, s1 in document.sentences:
        sentence = text[s0:s1]
        if "\n" in text[prev_end:s0]:
            speaker = None  # a new paragraph
        prev_end = s1
        speakers = _speakers(text, s0, s1, docs)
        attributed = [
            name
            for pos, name in speakers
            if re.search(
                r"\b(said|says|stated|disclosed|told|indicated|highlighted|expressed|according to|"
                r"estimat\w+|linked|warned|accused)\b",
                sentence,
                re.I,
            )
        ]
        if attributed:
            speaker = attributed[0]
        new = _draft_events(document, s0, s1, docs, toponyms, gaz, phrases, speaker, prev_weapon)
        for d in new:
            if d.weapon is not None:
                prev_weapon = d.weapon
        if not new:
            w = _weapon(sentence, phrases, None)
            if w is not None and w.weapon_class not in (None, "artillery shells"):
                prev_weapon = w
        drafts.extend(new)
    # the dateline place is where the report was filed: the statement site of the first statement
    if document.dateline and document.dateline.place:
        for d in drafts:
            if d.type == "STATEMENT":
                hit = next(
                    (
                        t
                        for t in toponyms
                        if t.start >= document.dateline.start
                        and t.end <= document.dateline.end
                        and t.resolved
                    ),
                    None,
                )
                if hit is not None:
                    d.places.append(
                        _place_from_toponym(hit, "statement_site", "dateline", "where the report was filed")
                    )
                break
    merged: dict[tuple[object, ...], _Draft] = {}
    for d in drafts:
        k = _key(d)
        merged[k] = _merge(merged[k], d) if k in merged else d
    final = list(merged.values())
    _link_routes(final, toponyms, text)
    _link_reach(final, document, docs, toponyms, gaz, phrases)
    final.sort(key=lambda d: d.evidence[0].start)
    events = []
    for i, d in enumerate(final, start=1):
        plover, mode = PLOVER[d.type]
        primary = next(
            (q for q in d.quantities if q.unit and q.per_unit_price is None and "%" not in q.unit), None
        )
        events.append(
            Event(
                id=f"e{i}",
                type=d.type,
                plover=plover,
                plover_mode=mode,
                trigger=d.trigger,
                actors=tuple(d.actors),
                recipients=tuple(d.recipients),
                weapon=d.weapon,
                quantity=primary,
                quantities=tuple(d.quantities),
                places=tuple(_drop_coarse_duplicates(d.places)),
                time=d.time,
                factuality=d.factuality,
                evidence=tuple(sorted(d.evidence, key=lambda e: e.start)),
            )
        )
    return events
