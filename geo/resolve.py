"""Toponym resolution: choose each mention's gazetteer entry using the document's context.

Each candidate starts from the gazetteer's prior (feature class, capital, population) and gains from the
document: countries the text names or refers to by demonym, an "X, Y" pattern ("Bangor, Maine"), the
dateline, and closeness to the document's other unambiguous places. A name the gazetteer cannot resolve
stays in the output unresolved; it never drops the others.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .model import Toponym
from .normalize import normalize

if TYPE_CHECKING:
    from .gazetteer import Candidate, Gazetteer
    from .toponyms import Hit

__all__ = ["resolve_hits"]

_COUNTRY_BONUS = 1.5
_PATTERN_BONUS = 4.0
_NEAR_BONUS = 1.0


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _pattern_container(text: str, hit: Hit, by_start: Mapping[int, Hit], gaz: Gazetteer) -> list[Candidate]:
    """For "X, Y" where Y is a known admin1 or country, the containers Y may stand for."""
    rest = text[hit.end : hit.end + 3]
    if not rest.startswith(", "):
        return []
    nxt = by_start.get(hit.end + 2)
    if nxt is None:
        return []
    return [c for c in gaz.lookup(nxt.text, limit=8) if c.feature in ("admin1", "country")]


def _choose(
    cands: Sequence[Candidate],
    context_cc: Counter[str],
    containers: Sequence[Candidate],
    anchors: Sequence[Candidate],
) -> tuple[Candidate, float, str]:
    scored: list[tuple[float, int, Candidate, str]] = []
    why: list[str]
    for rank, c in enumerate(cands):
        score = math.log1p(max(c.importance, 0.0))
        why = ["prior"]
        if c.country_code and context_cc.get(c.country_code):
            score += _COUNTRY_BONUS * min(1.0, context_cc[c.country_code] / 2)
            why.append(f"country context {c.country_code}")
        for k in containers:
            if (k.feature == "country" and c.country_code == k.country_code and c.feature != "country") or (
                k.feature == "admin1"
                and c.country_code == k.country_code
                and c.admin1
                and normalize(c.admin1) == normalize(k.name)
            ):
                score += _PATTERN_BONUS
                why.append(f"pattern 'X, {k.name}'")
                break
        if anchors and c.feature in ("city", "site", "admin2"):
            near = min(_haversine_km(c.lat, c.lon, a.lat, a.lon) for a in anchors)
            if near < 500:
                score += _NEAR_BONUS * (1 - near / 500)
                why.append(f"{near:.0f} km from another place of the text")
        scored.append((score, -rank, c, "; ".join(why)))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    best_score, _, best, reason = scored[0]
    if len(scored) == 1:
        return best, 1.0, "only candidate"
    margin = best_score - scored[1][0]
    confidence = 1 / (1 + math.exp(-2 * margin))
    return best, round(confidence, 3), reason


def resolve_hits(
    text: str,
    hits: Sequence[Hit],
    gaz: Gazetteer,
    *,
    demonyms: Mapping[str, int] | None = None,
    dateline_place: str | None = None,
) -> list[Toponym]:
    """Resolve recognised ``hits`` to :class:`~geo.model.Toponym` objects (same order)."""
    cand_lists = [gaz.lookup(h.text) for h in hits]
    context: Counter[str] = Counter(demonyms or {})
    for cands in cand_lists:
        if cands and cands[0].feature == "country" and cands[0].country_code:
            context[cands[0].country_code] += 1
    if dateline_place:
        dl = gaz.lookup(dateline_place, limit=1)
        if dl and dl[0].country_code:
            context[dl[0].country_code] += 1
    # unambiguous non-country places anchor the proximity bonus
    anchors = [c[0] for c in cand_lists if len(c) == 1 and c[0].feature in ("city", "site", "admin1")]
    by_start = {h.start: h for h in hits}
    out: list[Toponym] = []
    for hit, cands in zip(hits, cand_lists, strict=True):
        if not cands:
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
        containers = _pattern_container(text, hit, by_start, gaz)
        others = [a for a in anchors if a not in cands]
        best, conf, why = _choose(cands, context, containers, others)
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
