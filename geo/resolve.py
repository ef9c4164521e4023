"""Toponym resolution: choose each mention's gazetteer entry using the document's context.

Each candidate starts from the gazetteer's prior (feature class, capital, population) and gains from the
document: countries the text names or refers to by demonym, an "X, Y" pattern ("Bangor, Maine"), the
dateline, closeness to the document's other resolved places, and co-location: readings of two names of the
text that lie next to each other support each other ("Athens" and "Clarke County", both in Georgia), since a
local story names its neighbourhood. A name the gazetteer cannot resolve
stays in the output unresolved; it never drops the others.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .model import Toponym
from .normalize import normalize
from .toponyms import building_name, embedded_place, has_place_head, place_candidates

if TYPE_CHECKING:
    from .gazetteer import Candidate, Gazetteer
    from .toponyms import Hit

__all__ = ["list_head_feature", "resolve_hits"]

#: Prior by feature class (cities: from their population, see :func:`_prior`).
_FEATURE_PRIOR = {
    "country": 2.6,
    "continent": 2.4,
    "region": 2.2,
    "water": 2.2,
    "admin1": 1.6,
    "site": 1.2,
    "admin2": 0.8,
}
_CAPITAL_BONUS = 0.8
_COUNTRY_BONUS = 1.0
_ADMIN1_BONUS = 1.2
#: For an admin1 candidate when the text names other admin1 regions of its country ("Florida, Alabama
#: and Georgia").
_SIBLING_BONUS = 0.6
_PATTERN_BONUS = 4.0
_EARTH_KM = 6371.0088
_NO_ANCHORS = np.empty((0, 3))
_NEAR_BONUS = 0.6
_NEAR_KM = 300.0
#: A town this close to another place of the text is read as local news, even against a country's name.
_LOCAL_KM = 50.0
#: Penalty for a match on an alternate name, on a short form derived by the gazetteer build.
_ALT_PENALTY = 0.5
#: Co-location: a town or county reading gains this much for each other name of the text (weighted by
#: how specific that name is) that has a town or county reading within ``_COLOC_KM`` of it.
_COLOC_BONUS = 0.8
_COLOC_KM = 60.0
_LOCAL_FEATURES = frozenset({"city", "admin2", "site"})
#: For a town or county reading in the admin1 region of a place of the text that has a single reading (the
#: story's focus): a weak tie-breaker, below proximity.
_FOCUS_BONUS = 0.2
_AREA_FEATURES = frozenset({"admin1", "region", "continent", "water"})


def _xyz(lats: Sequence[float], lons: Sequence[float]) -> np.ndarray:
    """Unit vectors of points given in degrees, shape (n, 3)."""
    la = np.radians(np.asarray(lats, dtype=float))
    lo = np.radians(np.asarray(lons, dtype=float))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1).reshape(-1, 3)


def _prior(c: Candidate) -> float:
    """Feature-class and population prior: countries and capitals outrank villages of the same name.

    Examples
    --------
    >>> from geo.gazetteer import default_gazetteer
    >>> gaz = default_gazetteer()
    >>> paris = gaz.lookup("Paris")
    >>> _prior(paris[0]) > _prior(paris[1]) + 1
    True
    """
    if c.feature == "city":
        p = 0.25 * math.log10(max(c.population, 1) + 1)
        if c.feature_code == "PPLC":
            p += _CAPITAL_BONUS
    else:
        p = _FEATURE_PRIOR.get(c.feature, 1.0)
    if c.matched and normalize(c.name) != c.matched:
        p -= _ALT_PENALTY
    if _namesake_city(c):
        # the gazetteer promotes a city named like the admin1 region of which it is the largest place
        # (Moscow, New York City for "New York"): it outranks the region
        p = max(p, _FEATURE_PRIOR["admin1"] + 0.1)
    return p


#: Plural kind nouns closing a list of names ("Douglas, Sarpy and Lancaster counties") -> feature class.
_LIST_HEADS = {"counties": "admin2", "parishes": "admin2", "states": "admin1", "provinces": "admin1"}
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_LIST_TAIL = re.compile(
    rf"(?:,?\s+(?:and|or|&)\s+{_NAME}|,\s*{_NAME})*(?:,?\s+(?:and|or|&)\s+{_NAME})?\s+({'|'.join(_LIST_HEADS)})\b"
)


_CONJ = re.compile(r"\s(?:and|or|&)\s")
_LIST_END = re.compile(rf"(?:,|\s(?:and|or|&))\s+{_NAME}$")


def list_head_feature(text: str, end: int) -> str | None:
    """The feature class a name ending at ``end`` takes from a plural kind noun closing its list.

    Examples
    --------
    >>> s = "Douglas, Sarpy and Lancaster counties grew."
    >>> [list_head_feature(s, e) for e in (7, 14, 28)]
    ['admin2', 'admin2', 'admin2']
    >>> list_head_feature("Douglas said the counties grew.", 7) is None
    True
    >>> list_head_feature("the metro Athens counties", 16) is None
    True
    """
    m = _LIST_TAIL.match(text, end, min(len(text), end + 200))
    if m is None:
        return None
    # a list, not a modifier ("the metro Athens counties", "Indiana counties"): a conjunction after the
    # name, or the name the last of a list
    if not (_CONJ.search(m.group(0)) or _LIST_END.search(text, max(0, end - 80), end)):
        return None
    return _LIST_HEADS[m.group(1)]


def _namesake_city(c: Candidate) -> bool:
    """A city the gazetteer promotes as the namesake of its admin1 region (Moscow, New York City)."""
    return c.feature == "city" and c.importance >= 0.75


def _own_name(c: Candidate, key: str) -> bool:
    """Whether ``c`` was found by its own name (not an alternate name or a derived short form)."""
    return not c.matched or normalize(c.name) == (key or c.matched)


def _candidates(gaz: Gazetteer, hit: Hit) -> list[Candidate]:
    if hit.demonym:
        c = gaz.demonym(hit.text)
        if c is not None:
            return [c]
    return place_candidates(gaz, hit.text)


def _local_reading(c: Candidate, key: str) -> bool:
    """A town, county or site reading that may take part in co-location: not a national capital (named in
    national and world news as much as in local news) and not a town that only carries the name as an
    alternate name (counties may be named without "County")."""
    return (
        c.feature in _LOCAL_FEATURES
        and c.feature_code != "PPLC"
        and (c.feature != "city" or _own_name(c, key))
    )


def _colocation(
    keys: Sequence[str], cand_lists: Sequence[Sequence[Candidate]]
) -> dict[str, dict[str, float]]:
    """For each name, how much the text's other names support each of its readings by lying next to it.

    Two places that share their names with places elsewhere but lie next to each other ("Alexandria" and
    "Douglas County", both in Minnesota) are unlikely to be named together by chance: a local story names
    its neighbourhood. Each other distinct name with a town, county or site reading within ``_COLOC_KM``
    of a reading adds 1 / sqrt(its number of such readings), so a name with a single reading counts fully
    and a common one ("Springfield") little. Countries, regions and seas give no support here (containment
    and country context handle them). Returns name -> gazetteer id -> support.
    """
    readings: dict[str, dict[str, Candidate]] = {}
    for key, cands in zip(keys, cand_lists, strict=True):
        mine = readings.setdefault(key, {})
        if any(c.feature in _AREA_FEATURES and _own_name(c, key) for c in cands):
            continue  # "California", "Middle East": the name stands for the area, not its namesake towns
        for c in cands:
            if _local_reading(c, key):
                mine.setdefault(c.gazetteer_id, c)
    names = [k for k, v in readings.items() if v]
    if len(names) < 2:
        return {}
    pts = [c for k in names for c in readings[k].values()]
    counts = np.array([len(readings[k]) for k in names])
    own = np.repeat(np.arange(len(names)), counts)
    bounds = np.concatenate(([0], np.cumsum(counts)))
    xyz = _xyz([c.lat for c in pts], [c.lon for c in pts])
    close = (xyz @ xyz.T) > math.cos(_COLOC_KM / _EARTH_KM)
    # per reading and per name: does any reading of that name lie close? (not counting the name itself)
    by_name = np.logical_or.reduceat(close, bounds[:-1], axis=1)
    by_name[np.arange(len(pts)), own] = False
    support = by_name @ (1 / np.sqrt(counts))
    return {
        k: {gid: float(v) for gid, v in zip(readings[k], support[bounds[i] : bounds[i + 1]], strict=True)}
        for i, k in enumerate(names)
    }


def _focus_regions(
    keys: Sequence[str], cand_lists: Sequence[Sequence[Candidate]]
) -> dict[str, frozenset[tuple[str, str]]]:
    """For each name, the admin1 regions (country code, normalised name) of the text's *other* names that
    have a single reading, a town, county or site: the story's focus, free of any choice made here.

    "Dublin" in a story that also names Hilliard (only in Ohio) leans to Dublin, Ohio; a name never
    supports itself.
    """
    sure: dict[tuple[str, str], set[str]] = {}
    for key, cands in zip(keys, cand_lists, strict=True):
        if len(cands) == 1 and cands[0].feature in _LOCAL_FEATURES and cands[0].admin1:
            sure.setdefault((cands[0].country_code or "", normalize(cands[0].admin1)), set()).add(key)
    if not sure:
        return {}
    return {key: frozenset(a for a, ks in sure.items() if ks - {key}) for key in set(keys)}


def _pattern_container(text: str, hit: Hit, by_start: Mapping[int, Hit], gaz: Gazetteer) -> list[Candidate]:
    """For "X, Y" where Y is a known admin1 or country, the containers Y may stand for."""
    rest = text[hit.end : hit.end + 3]
    if not rest.startswith(", "):
        return []
    nxt = by_start.get(hit.end + 2)
    if nxt is None:
        return []
    return [c for c in place_candidates(gaz, nxt.text, limit=8) if c.feature in ("admin1", "country")]


def _choose(
    cands: Sequence[Candidate],
    context_cc: Mapping[str, float],
    admin1s: frozenset[tuple[str, str]],
    containers: Sequence[Candidate],
    anchors: np.ndarray,
    held: frozenset[tuple[str, str]] = frozenset(),
    key: str = "",
    support: Mapping[str, float] | None = None,
    focus: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[Candidate, float, str]:
    if len(cands) == 1:
        return cands[0], 1.0, "only candidate"
    patterned: set[int] = set()
    nears: list[float] = []
    if len(anchors):
        dots = (_xyz([c.lat for c in cands], [c.lon for c in cands]) @ anchors.T).max(axis=1)
        nears = (np.arccos(np.clip(dots, -1.0, 1.0)) * _EARTH_KM).tolist()
    scored: list[tuple[float, int, Candidate, str]] = []
    # "Georgia": a country or a region of another country named with its sibling regions (an admin1 of
    # the country itself, "México" for "Mexico", gains nothing from its sibling regions)
    countries = {c.country_code for c in cands if c.feature == "country"}
    has_country = bool(countries)
    total = max(1.0, sum(v for v in context_cc.values() if v > 0))
    for rank, c in enumerate(cands):
        score = _prior(c)
        why = ["prior"]
        n = context_cc.get(c.country_code or "", 0.0)
        if n > 0:
            # weighted by the country's share of the document's context: a local US story pulls a name
            # to its US town; a world story that mentions Washington once does not move Damascus
            score += _COUNTRY_BONUS * min(1.0, n / 2) * (n / total)
            why.append(f"country context {c.country_code}")
        foreign_region = c.feature == "admin1" and has_country and c.country_code not in countries
        if (
            c.feature not in ("country", "admin1")
            and c.admin1
            and (c.country_code or "", normalize(c.admin1)) in admin1s
            and normalize(c.admin1) != key
        ):
            # (not a town's own namesake region: "Florida" does not name the region of Florida, Uruguay,
            # for the town of Florida)
            score += _ADMIN1_BONUS
            why.append(f"in {c.admin1}, named in the text")
        elif (
            c.feature in _LOCAL_FEATURES and c.admin1 and (c.country_code or "", normalize(c.admin1)) in focus
        ):
            score += _FOCUS_BONUS
            why.append(f"in {c.admin1}, like an unambiguous place of the text")
        elif foreign_region and (c.country_code or "", normalize(c.name)) in held:
            score += _ADMIN1_BONUS
            why.append("holds other places of the text")
        elif foreign_region and any(cc == c.country_code for cc, _ in admin1s):
            score += _SIBLING_BONUS
            why.append(f"other {c.country_code} regions named in the text")
        for k in containers:
            if (k.feature == "country" and c.country_code == k.country_code and c.feature != "country") or (
                k.feature == "admin1"
                and c.country_code == k.country_code
                and c.admin1
                and normalize(c.admin1) == normalize(k.name)
            ):
                score += _PATTERN_BONUS
                why.append(f"pattern 'X, {k.name}'")
                patterned.add(id(c))
                break
        sup = support.get(c.gazetteer_id, 0.0) if support else 0.0
        if sup > 0:
            score += _COLOC_BONUS * sup
            why.append(f"next to places of the text's other names ({sup:.1f})")
        if nears and c.feature not in ("country", "continent", "region", "water"):
            near = nears[rank]
            if near < _NEAR_KM:
                score += _NEAR_BONUS * (1 - near / _NEAR_KM)
                why.append(f"{near:.0f} km from another place of the text")
        scored.append((score, -rank, c, "; ".join(why)))
    if has_country:
        # a country's name stands for the country: a town or county of that name ("China", Texas, in a
        # story on tariffs on China), or a town of the country itself ("Mexico City" by its alternate name
        # "Mexico"), wins only by an explicit "X, Y" pattern ("China, Texas"); a town of another country also
        # by lying next to another place of the text (a local story's "Lebanon" beside its county)
        top = max(s for s, _, c, _ in scored if c.feature == "country")
        scored = [
            (min(s, top - 1e-6), r, c, w)
            if c.feature in ("city", "admin2")
            and id(c) not in patterned
            and (c.country_code in countries or not (nears and nears[-r] < _LOCAL_KM))
            else (s, r, c, w)
            for s, r, c, w in scored
        ]
    regions = [s for s, _, c, _ in scored if c.feature in ("admin1", "country") and _own_name(c, key)]
    if regions:
        # a region called so ("Missouri", "Florida") outranks a town that only carries the name as an
        # alternate ("Missouri" for Bozeman), unless the text says "X, Y"
        top = max(regions)
        # a town named like an admin1 region of its own country ("Nevada", Iowa; "Kansas", Illinois) outranks
        # it only by "X, Y" too: the name stands for the region
        states = {
            c.country_code
            for _, _, c, _ in scored
            if c.feature == "admin1" and _own_name(c, key) and c.country_code
        }
        scored = [
            (min(s, top - 1e-6), r, c, w)
            if c.feature in ("city", "admin2")
            and id(c) not in patterned
            and (not _own_name(c, key) or c.country_code in states)
            and not _namesake_city(c)
            and c.feature_code != "PPLC"
            else (s, r, c, w)
            for s, r, c, w in scored
        ]
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    best_score, _, best, reason = scored[0]
    if len(scored) == 1:
        return best, 1.0, "only candidate"
    margin = best_score - scored[1][0]
    confidence = 1 / (1 + math.exp(-2 * margin))
    return best, round(confidence, 3), reason


def _context_pass(
    keys: Sequence[str],
    cand_lists: Sequence[Sequence[Candidate]],
    first: Sequence[Candidate | None],
    containers: Sequence[Sequence[Candidate]],
    explicit: Mapping[str, float],
    coloc: Mapping[str, Mapping[str, float]],
    focus: Mapping[str, frozenset[tuple[str, str]]],
) -> list[tuple[Candidate, float, str] | None]:
    """Choose every mention's candidate given the other mentions' current choices."""
    votes: Counter[str] = Counter()
    admin1s: set[tuple[str, str]] = set()
    holders: Counter[tuple[str, str]] = Counter()  # admin1 regions holding the text's towns and counties
    seen: set[str] = set()
    for key, c, cont in zip(keys, first, containers, strict=True):
        for k in cont:
            if k.feature == "admin1" and k.country_code:
                admin1s.add((k.country_code, normalize(k.name)))
        if c is None or key in seen:
            continue
        seen.add(key)
        if c.country_code:
            votes[c.country_code] += 1
        if c.feature == "admin1" and c.country_code:
            admin1s.add((c.country_code, normalize(c.name)))
        elif c.feature in ("city", "admin2", "site") and c.country_code and c.admin1:
            holders[(c.country_code, normalize(c.admin1))] += 1
    placed = [
        (k, c)
        for k, c in zip(keys, first, strict=True)
        if c is not None and c.feature in ("city", "admin2", "site")
    ]
    anchor_keys = [k for k, _ in placed]
    anchor_xyz = _xyz([c.lat for _, c in placed], [c.lon for _, c in placed])
    out: list[tuple[Candidate, float, str] | None] = []
    # repeated mentions of a name with the same readings, pattern and current choice choose alike
    done: dict[tuple[object, ...], tuple[Candidate, float, str]] = {}
    for key, cands, c1, cont in zip(keys, cand_lists, first, containers, strict=True):
        if not cands:
            out.append(None)
            continue
        memo = (
            key,
            None if c1 is None else c1.gazetteer_id,
            *[c.gazetteer_id for c in cands],
            *map(id, cont),
        )
        if memo in done:
            out.append(done[memo])
            continue
        ctx: dict[str, float] = dict(explicit)
        for cc, n in votes.items():
            own = 1 if c1 is not None and c1.country_code == cc else 0
            ctx[cc] = ctx.get(cc, 0) + (n - own)
        anchors = anchor_xyz[[k != key for k in anchor_keys]] if anchor_keys else anchor_xyz
        own_a1: set[tuple[str, str]] = set()
        own_holder: tuple[str, str] | None = None
        if c1 is not None and c1.feature == "admin1":
            own_a1 = {(c1.country_code or "", normalize(c1.name))}
        elif c1 is not None and c1.admin1 and c1.feature in ("city", "admin2", "site"):
            own_holder = (c1.country_code or "", normalize(c1.admin1))
        held = frozenset(k for k, n in holders.items() if n - (1 if k == own_holder else 0) > 0)
        done[memo] = _choose(
            cands,
            ctx,
            frozenset(admin1s - own_a1),
            cont,
            anchors,
            held,
            key,
            coloc.get(key),
            focus.get(key, frozenset()),
        )
        out.append(done[memo])
    return out


def resolve_hits(
    text: str,
    hits: Sequence[Hit],
    gaz: Gazetteer,
    *,
    demonyms: Mapping[str, int] | None = None,
    dateline_place: str | None = None,
) -> list[Toponym]:
    """Resolve recognised ``hits`` to :class:`~geo.model.Toponym` objects (same order)."""
    cand_lists = [_candidates(gaz, h) for h in hits]
    keys = [normalize(h.text) for h in hits]
    # explicit context: countries named or referred to by demonym, the dateline, admin1 regions named
    explicit: Counter[str] = Counter()
    for cc, n in (demonyms or {}).items():
        explicit[cc] += n
    if dateline_place:
        dl = place_candidates(gaz, dateline_place, limit=1)
        if dl and dl[0].country_code:
            explicit[dl[0].country_code] += 1
    by_start = {h.start: h for h in hits}
    containers = [_pattern_container(text, h, by_start, gaz) for h in hits]
    # the Y of "X, Y" ("Spokane, Washington") and "Y state" name a region: keep its region readings
    by_end = {h.end: i for i, h in enumerate(hits)}
    for i, h in enumerate(hits):
        kind = list_head_feature(text, h.end)
        if kind is not None:
            # "Douglas and Sarpy counties", "Ohio and Indiana states": the names are of that kind
            cand_lists[i] = [c for c in cand_lists[i] if c.feature == kind] or cand_lists[i]
            continue
        regions = [c for c in cand_lists[i] if c.feature in ("admin1", "country")]
        if not regions or len(regions) == len(cand_lists[i]):
            continue
        prev = by_end.get(h.start - 2)
        if prev is not None and text[h.start - 2 : h.start] == ", ":
            inside = [
                k
                for k in regions
                if any(
                    c.country_code == k.country_code
                    and (k.feature == "country" or normalize(c.admin1 or "") == normalize(k.name))
                    for c in cand_lists[prev]
                    if c.feature != "country"
                )
            ]
            if inside:
                cand_lists[i] = inside
                continue
        if text[h.end : h.end + 6].lower() == " state":
            cand_lists[i] = [c for c in regions if c.feature == "admin1"] or cand_lists[i]
    coloc = _colocation(keys, cand_lists)
    focus = _focus_regions(keys, cand_lists)
    # pass 1: prior, explicit context, "X, Y" patterns and co-location
    first: list[Candidate | None] = []
    chosen: dict[tuple[object, ...], Candidate] = {}
    for key, cands, cont in zip(keys, cand_lists, containers, strict=True):
        if not cands:
            first.append(None)
            continue
        memo = (key, *[c.gazetteer_id for c in cands], *map(id, cont))
        if memo not in chosen:
            chosen[memo] = _choose(
                cands,
                explicit,
                frozenset(),
                cont,
                _NO_ANCHORS,
                key=key,
                support=coloc.get(key),
                focus=focus.get(key, frozenset()),
            )[0]
        first.append(chosen[memo])
    # passes 2 and 3: the other mentions' choices vote for countries, name or contain admin1 regions and
    # anchor proximity (the third pass sees "Georgia" as the state once its towns are placed)
    out_choice: list[tuple[Candidate, float, str] | None] = []
    for _round in range(2):
        out_choice = _context_pass(keys, cand_lists, first, containers, explicit, coloc, focus)
        first = [None if ch is None else ch[0] for ch in out_choice]
    located = [
        (h.start, ch[0])
        for h, ch in zip(hits, out_choice, strict=True)
        if ch is not None and ch[0].feature in ("city", "admin2", "site")
    ]
    out: list[Toponym] = []
    resolved = {k: ch[0] for k, ch in zip(keys, out_choice, strict=True) if ch is not None}
    for hit, choice in zip(hits, out_choice, strict=True):
        inner = embedded_place(gaz, hit.text) if choice is None and building_name(hit.text) else None
        if inner is not None:
            # "Paris Community Hospital" in a story about Paris, Illinois: the text's own reading of the name
            inner = resolved.get(inner.matched or "", inner)
            # "Manila Cathedral", "University of Alberta": the building is in the place it is named after
            choice = (inner, 0.3, f"approximate: not in the gazetteer; placed at {inner.name}, named in it")
        if choice is None and located and has_place_head(hit.text):
            # a named feature the gazetteer lacks ("Royal Street"): placed, approximately, at the
            # nearest place of the text that is resolved to a town, county or site
            _, near = min(located, key=lambda lc: abs(lc[0] - hit.start))
            choice = (
                near,
                0.2,
                f"approximate: not in the gazetteer; placed at {near.name}, nearby in the text",
            )
        if choice is None:
            out.append(
                Toponym(
                    start=hit.start,
                    end=hit.end,
                    text=hit.text,
                    name=None,
                    lat=None,
                    lon=None,
                    country_code=None,
                    feature=None,
                    gazetteer_id=None,
                    source=hit.source,
                    score=0.0,
                    resolution="not in the gazetteer",
                    ner_label=hit.label,
                )
            )
            continue
        best, conf, why = choice
        if hit.demonym:
            why = f"demonym of {best.name}"
        out.append(
            Toponym(
                start=hit.start,
                end=hit.end,
                text=hit.text,
                name=best.name,
                lat=best.lat,
                lon=best.lon,
                country_code=best.country_code,
                feature=best.feature,
                gazetteer_id=best.gazetteer_id,
                source=hit.source,
                score=conf,
                resolution=why,
                ner_label=hit.label,
            )
        )
    return out
