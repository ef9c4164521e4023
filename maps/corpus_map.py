"""One map of a whole corpus: merged events, places mentioned, a date-range filter, an optional heatmap.

:func:`render_corpus` takes the table ``sitmap batch`` writes (GeoParquet rows, see
:func:`geo.corpus.analysis_rows`) and draws

* every event, merged across documents (:func:`geo.aggregate.merge_events`: same type, actors and claim, a
  shared place, dates within a window), as a badge at each of its places, clustered
  (Leaflet.markercluster); the popup lists every source with its date, factuality and sentence;
* every resolved place mentioned, sized by mentions, clustered;
* a date-range slider that filters events by date (undated events on a checkbox), and
* optionally a heatmap (Leaflet.heat) of the events located to a point (area-level locations are left
  out: a country's centre is not where anything happened).

The page is standalone like every sitmap map (inlined Leaflet and plugins, the offline Natural Earth
basemap). Text from the articles reaches the page only as JSON data inserted with ``textContent``.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame([{"kind": "document", "doc_id": "a"},
...     {"kind": "event", "doc_id": "a", "event_id": "a#e1", "event_type": "STRIKE",
...      "factuality": "asserted", "actors": "Russia", "name": "Odesa", "lat": 46.48, "lon": 30.73,
...      "precision": "city", "role": "target", "sentence": "Russia struck Odesa <b>again</b>."}])
>>> html = render_corpus(rows).get_root().render()
>>> "L.markerClusterGroup" in html, "<b>again</b>" in html
(True, False)
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import Any

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template

from geo.aggregate import WINDOW_DAYS, MergedEvent, PlaceMentions, as_records, merge_events, place_mentions
from geo.areas import AREA_FEATURES, label_point
from geo.errors import InputError

from .layers import EVENT_COLORS, EVENT_SYMBOLS
from .renderer import _CSS, ATTRIBUTION, _Attribution, fix_ids
from .standalone import RawHtml, add_basemap, add_plugin, make_standalone

__all__ = ["AREA_PRECISIONS", "corpus_data", "data_script", "render_corpus", "render_corpus_data"]

#: Precisions (of event places) and features (of places) that are areas, not points: those the single-article
#: map draws as areas, plus counties and continents (a corpus map has no area layer to draw them with, so
#: it must not show them as pins either).
AREA_PRECISIONS = AREA_FEATURES | {"admin2", "continent"}
_CLAIMS = {
    "happened": "happened (asserted or reported)",
    "expected": "expected, not happened",
    "denied": "denied",
}

_CORPUS_CSS = """
<style>
.sc-panel{width:330px;max-width:calc(100vw - 120px);margin-left:0 !important}
.sc-panel .sc-row{display:flex;align-items:center;gap:6px;margin:4px 0;font-size:12px}
.sc-panel input[type=range]{flex:1;min-width:80px}
.sc-panel .sc-date{font-variant-numeric:tabular-nums;min-width:78px;display:inline-block}
.sc-icon{background:none;border:none}
.sc-badge{position:relative;display:flex;align-items:center;justify-content:center;width:22px;height:22px;
 border-radius:4px;background:var(--c);border:2px solid var(--c);color:#fff;box-sizing:border-box;
 font:bold 13px/1 system-ui,Arial,sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.45)}
.sc-badge.area{border-radius:50%;border-style:dashed;background:#fff;color:var(--c)}
.sc-badge.unsure{background:#fff;color:var(--c);border-style:dotted}
.sc-badge sup{position:absolute;top:-8px;right:-9px;background:#222;color:#fff;border-radius:8px;
 font:bold 9.5px/1 system-ui,Arial,sans-serif;padding:2px 4px}
.sc-cluster{width:100%;height:100%;border-radius:50%;background:var(--c);color:#fff;display:flex;
 align-items:center;justify-content:center;font:bold 13px/1 system-ui,Arial,sans-serif;box-sizing:border-box;
 border:3px solid rgba(255,255,255,.85);box-shadow:0 0 0 2px var(--c),0 1px 4px rgba(0,0,0,.4)}
.sc-area{width:100%;height:100%;border-radius:50%;border:2px dashed #444;background:rgba(255,255,255,.85);
 display:flex;align-items:center;justify-content:center;box-sizing:border-box;color:#222;
 font:11.5px/1 system-ui,Arial,sans-serif}
.sc-mini{display:inline-flex !important;width:14px !important;height:14px !important;font-size:0 !important;
 vertical-align:-2px;box-shadow:none !important;border-width:1.5px !important}
.sc-pop details{border-top:1px solid #e5e5e5;padding:3px 0}
.sc-pop summary{cursor:pointer;font-size:12px}
.sc-pcluster{width:100%;height:100%;border-radius:50%;background:rgba(31,78,121,.18);color:#1f4e79;
 border:1.5px solid #1f4e79;display:flex;align-items:center;justify-content:center;box-sizing:border-box;
 font:600 11px/1 system-ui,Arial,sans-serif}
.leaflet-tooltip.sc-label{background:none;border:none;box-shadow:none;padding:0;color:#1f3550;
 font:11px/1.1 system-ui,Arial,sans-serif;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}
.leaflet-tooltip.sc-label::before{display:none}
.leaflet-tooltip.sc-label.area{font-style:italic;color:#333}
.sc-pop .sc-head{font-weight:600;margin-bottom:4px}
.sc-pop .sc-line{font-size:12px}
.sc-pop .sc-note{color:#8a4b00;font-size:11.5px;margin:2px 0}
.sc-pop .sc-sub{margin-top:6px;font-weight:600;font-size:12px}
.sc-pop .sc-sources{padding-left:18px;margin:2px 0 0 0}
.sc-pop .sc-sources li{margin:3px 0}
.sc-pop .sc-meta{font-size:11.5px;color:#444}
.sc-pop .sc-sent{display:block;color:#333;font-size:11.5px;margin-top:1px}
.sitmap-legend .sc-small{font-size:10.5px;color:#555;max-width:190px}
</style>
"""


class _Corpus(MacroElement):
    """Calls the corpus map script (``maps/static/corpus-map.js``) on the map with the page's JSON data.

    The data is not passed through this element's template: a ``MacroElement``'s script output is compiled
    again as a Jinja template by branca, which would evaluate ``{{ … }}`` in article text. It is a
    ``<script type="application/json">`` block in the body (:func:`data_script`) instead.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        sitmapCorpus({{ this._parent.get_name() }},
            JSON.parse(document.getElementById("sitmap-corpus-data").textContent));
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Corpus"


def data_script(data: dict[str, Any]) -> str:
    """``data`` as a ``<script type="application/json">`` block that no text inside can break out of.

    ``<``, ``>`` and ``&`` become JSON escapes (so no ``</script>`` or ``<!--``), as do U+2028/U+2029.

    Examples
    --------
    >>> block = data_script({"t": "</script><!-- &"})
    >>> block.count("</script>"), "<!--" in block, json.loads(block[56:-9]) == {"t": "</script><!-- &"}
    (1, False, True)
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return f'<script type="application/json" id="sitmap-corpus-data">{text}</script>'


def _area(precision: str | None) -> bool:
    return precision in AREA_PRECISIONS


@functools.lru_cache(maxsize=512)
def _country_label(cc: str) -> tuple[float, float] | None:
    """Where a country's mark goes: on its largest landmass (see :func:`geo.areas.label_point`), not at its
    gazetteer point, which may be its capital (GeoNames puts Japan at Tokyo)."""
    from shapely.geometry import mapping

    from geo.gazetteer import default_gazetteer

    shape = default_gazetteer().shape(cc)
    at = label_point(mapping(shape)) if shape is not None and not shape.is_empty else None
    return None if at is None else (at.lat, at.lon)


def _mark(lat: float, lon: float, kind: str | None, cc: str | None) -> dict[str, float]:
    """``{"lat", "lon"}`` of a mark: a country's on its land (see :func:`_country_label`), others as given."""
    at = (_country_label(cc) if kind == "country" and cc else None) or (lat, lon)
    return {"lat": round(at[0], 5), "lon": round(at[1], 5)}


def _event_data(e: MergedEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "claim": e.claim,
        "actors": list(e.actors),
        "recipients": list(e.recipients),
        "weapons": list(e.weapons),
        "quantities": list(e.quantities),
        "start": e.start,
        "end": e.end,
        "documents": len(e.documents),
        "places": [
            {
                "name": p.name,
                **_mark(p.lat, p.lon, p.precision, p.country_code),
                "precision": p.precision,
                "role": p.role,
                "area": _area(p.precision),
            }
            for p in e.places
        ],
        "sources": [
            {
                "doc": s.doc_id,
                "title": s.title,
                "url": s.url,
                "date": s.date,
                "factuality": s.factuality,
                "speaker": s.speaker,
                "sentence": s.sentence,
            }
            for s in e.sources
        ],
    }


def _place_data(p: PlaceMentions) -> dict[str, Any]:
    return {
        "name": p.name,
        **_mark(p.lat, p.lon, p.feature, p.country_code),
        "feature": p.feature or "place",
        "cc": p.country_code,
        "mentions": p.mentions,
        "docs": len(p.documents),
        "example": p.example,
        "area": _area(p.feature),
    }


def corpus_data(
    rows: Any, *, title: str | None = None, heatmap: bool = False, window_days: int = WINDOW_DAYS
) -> dict[str, Any]:
    """The JSON data of a corpus map (what :func:`render_corpus` puts in the page).

    Examples
    --------
    >>> data = corpus_data([{"kind": "document", "doc_id": "a"}, {"kind": "document", "doc_id": "b"}])
    >>> data["summary"], data["events"], data["places"]
    ('2 documents · 0 events · 0 places', [], [])
    """
    records = as_records(rows)
    if not all(isinstance(r, dict) and "kind" in r for r in records):
        raise InputError("a corpus table needs a 'kind' column (the output of sitmap batch)")
    events = merge_events(records, window_days=window_days)
    places = place_mentions(records)
    n_docs = len({r.get("doc_id") for r in records if r.get("kind") == "document"})
    multi = sum(1 for e in events if len(e.documents) > 1)
    summary = (
        f"{n_docs:,} document{'s' * (n_docs != 1)} · {len(events):,} event{'s' * (len(events) != 1)}"
        + (f" ({multi:,} reported by several documents)" if multi else "")
        + f" · {len(places):,} place{'s' * (len(places) != 1)}"
    )
    types = sorted({e.type for e in events})
    styles = {
        t: {"color": EVENT_COLORS.get(t, "#555555"), "symbol": EVENT_SYMBOLS.get(t, "•")} for t in types
    }
    styles["_default"] = {"color": "#555555", "symbol": "•"}
    return {
        "title": title or "Corpus situation map",
        "summary": summary,
        "method": (
            f"Reports are merged when they have the same event type, actors and claim, share a place "
            f"and are dated within {window_days} days; every source is kept. Places are geocoded "
            "offline from GeoNames and curated sites."
        ),
        "claims": _CLAIMS,
        "styles": styles,
        "legend": types,
        "heatmap": heatmap,
        "events": [_event_data(e) for e in events],
        "places": [_place_data(p) for p in places],
    }


def render_corpus(
    rows: Any,
    *,
    title: str | None = None,
    heatmap: bool = False,
    window_days: int = WINDOW_DAYS,
    tiles: str | None = None,
) -> folium.Map:
    """Draw a corpus table (the output of ``sitmap batch``) as one standalone :class:`folium.Map`.

    Parameters
    ----------
    rows
        A :class:`pandas.DataFrame` (e.g. ``geopandas.read_parquet("out.parquet")``) or dict rows.
    title
        The panel's title (default "Corpus situation map").
    heatmap
        Add a heatmap layer of the events located to a point.
    window_days
        Reports of the same event dated at most this many days apart are merged.
    tiles
        An online tile provider to add over the offline basemap (default none: no network needed).
    """
    return render_corpus_data(
        corpus_data(rows, title=title, heatmap=heatmap, window_days=window_days), tiles=tiles
    )


def render_corpus_data(data: dict[str, Any], *, tiles: str | None = None) -> folium.Map:
    """Draw the data of :func:`corpus_data` (see :func:`render_corpus`)."""
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=None, control_scale=True, zoom_snap=0.25)
    make_standalone(m)
    add_basemap(m)
    add_plugin(m, "markercluster")
    if data["heatmap"]:
        add_plugin(m, "heat")
    if tiles:
        folium.TileLayer(tiles, name=f"{tiles} (online)", overlay=False, control=False).add_to(m)
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(RawHtml(_CSS + _CORPUS_CSS), name="sitmap_css")
    script = (files("maps") / "static" / "corpus-map.js").read_text(encoding="utf-8")
    figure.header.add_child(RawHtml(f"<script>{script}</script>"), name="sitmap_corpus_js")
    _Attribution(ATTRIBUTION).add_to(m)
    figure.html.add_child(RawHtml(data_script(data)), name="sitmap_corpus_data")
    _Corpus().add_to(m)
    fix_ids(m.get_root())
    return m
