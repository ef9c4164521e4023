"""Layer specifications → a :class:`folium.Map`; the only module that builds folium objects for sitmap.

The map is standalone by default (vendored Leaflet and jQuery inlined, the offline Natural Earth
basemap, no tiles); ``tiles=`` adds an online tile layer for viewers with network. Range rings are
polygons computed on the WGS84 ellipsoid (:mod:`geo.geodesy`), never ``folium.Circle``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.display import register_html_renderer
from geo.model import Analysis

from .escape import esc
from .layers import (
    EVENT_COLORS,
    EVENT_SYMBOLS,
    FEATURE_COLORS,
    LAYER_TITLES,
    RING_COLORS,
    Feature,
    bounds,
    build_features,
    certainty,
)
from .standalone import RawHtml, add_arrowheads, add_basemap, make_standalone

__all__ = ["ATTRIBUTION", "fix_ids", "notebook_html", "render"]

#: Attribution shown on every map.
ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0), world-countries (ODbL), '
    "curated sites (cited per row) · sitmap"
)

_CSS = """
<style>
html,body{font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#222}
.sitmap-side{position:absolute;top:10px;left:54px;z-index:1000;width:360px;max-width:calc(100% - 120px);
 max-height:calc(100% - 70px);display:flex;flex-direction:column;gap:8px;pointer-events:none}
.sitmap-side>*{pointer-events:auto}
.sitmap-title,.sitmap-events{background:rgba(255,255,255,.95);padding:8px 12px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3)}
.sitmap-title h1{font-size:15px;line-height:1.3;margin:0 0 4px 0}
.sitmap-title .meta{color:#555;font-size:11.5px}
.sitmap-title .warn{color:#8a4b00;font-size:11.5px}
.sitmap-events{min-height:0;overflow:auto;font-size:12px}
.sitmap-events summary{font-weight:bold;cursor:pointer;font-size:12.5px}
.sitmap-events summary small{font-weight:normal;color:#666}
.sitmap-events ol{list-style:none;margin:4px 0 0 0;padding:0}
.sitmap-events li{padding:4px 2px;border-top:1px solid #e5e5e5}
.sitmap-events li.sitmap-clickable{cursor:pointer}
.sitmap-events li.sitmap-clickable:hover{background:#f3f6fa}
.sitmap-events .what{font-weight:600}
.sitmap-events .fact{font-size:11px;padding:0 4px;border-radius:3px;background:#eee;color:#333}
.sitmap-events .fact.asserted{background:#333;color:#fff}
.sitmap-events .fact.reported{background:#fff;border:1px solid #333}
.sitmap-events .fact.uncertain{background:#fff;border:1px dashed #333}
.sitmap-events .where{color:#444;font-size:11.5px}
.sitmap-events .nomap{color:#8a4b00;font-size:11px}
.sitmap-events .sent{color:#555;font-size:11px;margin-top:2px;display:-webkit-box;-webkit-line-clamp:3;
 -webkit-box-orient:vertical;overflow:hidden}
.sitmap-chip{display:inline-flex;align-items:center;justify-content:center;width:17px;height:17px;
 border-radius:3px;font:bold 11px/1 system-ui,Arial,sans-serif;vertical-align:-3px;margin-right:4px;
 box-sizing:border-box}
.sitmap-legend{background:rgba(255,255,255,.95);padding:6px 10px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 system-ui,Arial,sans-serif;color:#222}
.sitmap-legend .cols{columns:2;column-gap:10px}
.sitmap-legend h4{margin:2px 0 1px 0;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#666}
.sitmap-legend i{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-2px;
 border-radius:50%;box-sizing:border-box}
.sitmap-legend .sq{border-radius:2px}
.sitmap-legend .ln{height:0;border-top:3px solid;border-radius:0;vertical-align:3px;width:18px}
.sitmap-legend .dash{border-top-style:dashed}
.sitmap-legend .sitmap-chip{width:15px;height:15px;font-size:10px;margin-right:5px}
.leaflet-control-layers{font:12px/1.4 system-ui,Arial,sans-serif}
.leaflet-control-layers label{margin:1px 0}
.sitmap-badge{display:flex;align-items:center;justify-content:center;width:22px;height:22px;border-radius:4px;
 font:bold 13px/1 system-ui,Arial,sans-serif;color:#fff;box-shadow:0 1px 3px rgba(0,0,0,.45);
 box-sizing:border-box;cursor:pointer}
.sitmap-badge.reported,.sitmap-chip.reported{background:#fff !important;border:2px solid}
.sitmap-badge.uncertain,.sitmap-chip.uncertain{background:#fff !important;border:2px dashed}
.sitmap-badge.reported,.sitmap-badge.uncertain{box-shadow:0 1px 2px rgba(0,0,0,.25)}
.sitmap-tray{position:relative;box-sizing:border-box;border-radius:5px}
.sitmap-tray.area{background:rgba(255,255,255,.8);border:1.5px dotted #555}
.sitmap-tray .cap{font:10.5px/14px system-ui,Arial,sans-serif;color:#333;white-space:nowrap;padding:0 4px;
 overflow:hidden;text-overflow:ellipsis}
.sitmap-tray svg{position:absolute;left:0;top:0;overflow:visible;pointer-events:none}
.sitmap-ring-label,.sitmap-route-label{font:bold 11px/1.2 system-ui,Arial,sans-serif;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;transform:translate(-50%,-50%);text-align:center}
.sitmap-route-label{font-weight:600;font-size:10.5px;white-space:pre;opacity:.95}
.sitmap-ring-label.centre{transform:translate(-50%,18px);font-size:10.5px;opacity:.9}
.sitmap-route-label.above{transform:translate(-50%,calc(-100% - 6px))}
.sitmap-route-label.left{transform:translate(calc(-100% - 6px),calc(-100% - 4px));text-align:right}
.sitmap-route-label.right{transform:translate(6px,calc(-100% - 4px));text-align:left}
.sitmap-route-label.left.flip{transform:translate(6px,calc(-100% - 4px));text-align:left}
.sitmap-route-label.right.flip{transform:translate(calc(-100% - 6px),calc(-100% - 4px));text-align:right}
.sitmap-route-label.above.flip{transform:translate(-50%,8px)}
.sitmap-place-label,.sitmap-ring-label,.sitmap-route-label{width:max-content}
.sitmap-place-label.west{transform:translateX(calc(-100% - 16px))}
.sitmap-place-label.north{transform:translate(calc(-50% - 8px),-16px)}
.sitmap-place-label.south{transform:translate(calc(-50% - 8px),12px)}
.sitmap-area-label{font:italic 600 11px/1.2 system-ui,Arial,sans-serif;letter-spacing:.04em;
 white-space:nowrap;width:max-content;transform:translate(-50%,-50%);
 text-shadow:0 0 3px #fff,0 0 3px #fff;opacity:.85}
.sitmap-place-label{font:11px/1.2 system-ui,Arial,sans-serif;color:#222;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff}
.leaflet-popup-content{font:12.5px/1.4 system-ui,Arial,sans-serif;max-height:320px;overflow:auto}
.leaflet-popup-content mark{background:#ffe08a;padding:0 1px}
.sitmap-evidence{padding-left:18px;margin:6px 0 0 0;color:#333}
.sitmap-reach{border-collapse:collapse;margin-top:4px}
.sitmap-reach td,.sitmap-reach th{border-bottom:1px solid #ddd;padding:1px 6px;font-size:11.5px}
@media print{
 @page{size:A4 landscape;margin:8mm}
 html,body{width:100%;height:100%;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .leaflet-control-layers,.leaflet-control-zoom,.leaflet-popup-pane{display:none}
 .sitmap-title,.sitmap-events,.sitmap-legend{box-shadow:none;border:1px solid #999}
 .sitmap-events .sent{-webkit-line-clamp:unset;display:block}
 .sitmap-side{width:300px;max-height:calc(100% - 40px)}
 .sitmap-title h1{font-size:13px}
 .sitmap-title,.sitmap-events{padding:5px 8px}
 .sitmap-events{font-size:10px}
 .sitmap-events .sent,.sitmap-events .where,.sitmap-title .meta,.sitmap-title .warn{font-size:9.5px}
 .sitmap-events .nomap{font-size:9.5px}
 .sitmap-legend{font-size:10px;line-height:1.3;padding:4px 8px;position:fixed;top:8px;right:8px}
}
</style>
"""


class _Attribution(MacroElement):
    """Adds the data attribution to Leaflet's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


class _Legend(MacroElement):
    """A categorical legend as a Leaflet control (bottom right)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "sitmap-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


def _chip(color: str, certainty: str, symbol: str) -> str:
    """An inline event symbol in the style of its map badge (filled, outlined or dashed)."""
    style = f"background:{color};border-color:{color};color:{'#fff' if certainty == 'asserted' else color}"
    return f"<span class='sitmap-chip {certainty}' style='{style}'>{esc(symbol)}</span>"


def _legend_html(features: list[Feature]) -> str:
    rows: list[str] = []
    feats = {(f.layer, f.properties.get("feature")) for f in features}
    places = [(k, c) for k, c in FEATURE_COLORS.items() if ("places", k) in feats]
    if places or any(f.layer == "areas" for f in features):
        rows.append("<h4>Places</h4>")
    for feature, color in places:
        rows.append(f"<div><i style='background:{color};border:1.5px solid #fff'></i>{esc(feature)}</div>")
    if any(f.layer == "areas" for f in features):
        rows.append(
            f"<div><i class='sq' style='background:{FEATURE_COLORS['country']}33;"
            f"border:1px solid {FEATURE_COLORS['country']}'></i>country / region mentioned (whole area)</div>"
        )
    events = [f for f in features if f.layer == "events" and f.kind in ("badge", "listed")]
    types = list(dict.fromkeys(str(f.properties.get("type")) for f in events))
    if types:
        rows.append("<h4>Events</h4>")
    if types:
        rows.append("<div class='cols'>")
    for t in types:
        color = EVENT_COLORS.get(t, "#333")
        rows.append(
            f"<div>{_chip(color, 'asserted', EVENT_SYMBOLS.get(t, '?'))}"
            f"{esc(t.replace('_', ' ').lower())}</div>"
        )
    if types:
        rows.append("</div>")
        rows.append(
            f"<div>{_chip('#555', 'asserted', '')}asserted {_chip('#555', 'reported', '')}reported "
            f"{_chip('#555', 'uncertain', '')}possible / planned</div>"
        )
    if any(f.kind == "tray" and f.style.get("area") for f in features):
        rows.append(
            "<div><i class='sq' style='border:1.5px dotted #555;width:18px'></i>"
            "country-level: no place named</div>"
        )
    classes = list(dict.fromkeys(f.properties.get("class") for f in features if f.layer == "rings"))
    if classes:
        rows.append("<h4>Range rings</h4>")
    for c in classes:
        color = RING_COLORS.get(str(c), "#d73027")
        rows.append(
            f"<div><i style='border:2px solid {color};background:{color}22'></i>{esc(c or 'range')} range"
            "</div>"
        )
    if any(f.layer == "routes" for f in features):
        rows.append("<h4>Routes</h4>")
        rows.append(
            f"<div><i class='ln' style='border-color:{EVENT_COLORS['ARMS_TRANSFER']}'></i>"
            "route (arrows: direction)"
            "</div>"
        )
        rows.append(
            f"<div><i class='ln dash' style='border-color:{EVENT_COLORS['ARMS_TRANSFER']}'></i>"
            "schematic or uncertain route</div>"
        )
    return "".join(rows) or "<div>nothing to show</div>"


def _first_sentence(analysis: Analysis, limit: int = 110) -> str:
    """The article's first sentence after the dateline, shortened: a default title."""
    doc = analysis.document
    skip = doc.dateline.end if doc.dateline else 0
    for s0, s1 in doc.sentences:
        text = doc.text[max(s0, skip) : s1].strip()
        if len(text) > 20:
            return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
    return ""


def _title_html(analysis: Analysis) -> str:
    doc = analysis.document
    title = doc.title or _first_sentence(analysis) or doc.source or "Situation map"
    meta: list[str] = []
    line: list[str] = []
    if doc.dateline is not None:
        dl = doc.dateline
        line.append(f"{esc(dl.place or 'dateline')}, {esc(dl.date or 'date unknown')}")
    if doc.source:
        line.append(f"source: {esc(doc.source)}")
    if line:
        meta.append(" · ".join(line))
    meta.append(
        f"{len(analysis.places)} places · {len(analysis.events)} events · "
        f"{len(analysis.rings)} range rings · "
        f"{len(analysis.routes)} routes"
    )
    warnings: list[str] = []
    if doc.dateline is not None and doc.dateline.ambiguous:
        warnings.append(f"date “{esc(doc.dateline.raw)}” is ambiguous: {esc(doc.dateline.reason)}")
    if not analysis.places:
        warnings.append("<b>No places were found in this text.</b>")
    warnings.extend(esc(w) for w in analysis.warnings)
    version = analysis.versions.get("sitmap", "")
    meta.append(f"sitmap {esc(version)} · click any symbol for its source sentence")
    return (
        f"<div class='sitmap-title'><h1>{esc(title)}</h1>"
        + "".join(f"<div class='meta'>{m}</div>" for m in meta)
        + "".join(f"<div class='warn'>⚠ {w}</div>" for w in warnings)
        + "</div>"
    )


def _events_html(analysis: Analysis, features: list[Feature]) -> str:
    """The events panel: every event in text order with its symbol, factuality, places and sentence."""
    by_id = {f.properties["event_id"]: f for f in features if f.kind in ("badge", "listed")}
    items: list[str] = []
    off_map = 0
    for event in analysis.events:
        f = by_id.get(event.id)
        cert = certainty(event.factuality.status)
        chip = _chip(EVENT_COLORS.get(event.type, "#333333"), cert, EVENT_SYMBOLS.get(event.type, "?"))
        fact = esc(event.factuality.status)
        if event.factuality.speaker:
            fact += f" — {esc(event.factuality.speaker)}"
        where = " · ".join(
            f"{esc(p.role.replace('_', ' '))}: {esc(p.name)}"
            + (f" <small>({esc(p.precision)}-level)</small>" if p.precision in ("country", "region") else "")
            for p in event.places
        )
        note = ""
        if f is None or f.kind == "listed":
            off_map += 1
            note = "<div class='nomap'>not on the map: the text names no place for it</div>"
        sentence = esc(event.evidence[0].sentence) if event.evidence else ""
        items.append(
            f"<li data-event='{esc(event.id)}'>{chip}<span class='what'>"
            f"{esc(event.type.replace('_', ' ').lower())}</span> <span class='fact {cert}'>{fact}</span>"
            + (f"<div class='where'>{where}</div>" if where else "")
            + note
            + (f"<div class='sent'>{sentence}</div>" if sentence else "")
            + "</li>"
        )
    if not items:
        return ""
    extra = f" <small>({off_map} not on the map)</small>" if off_map else ""
    return (
        f"<details class='sitmap-events' open><summary>Events in the text: {len(items)}{extra}</summary>"
        f"<ol>{''.join(items)}</ol></details>"
    )


class _EventIndex(MacroElement):
    """Clicking an event in the panel zooms to its badge and opens its popup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var markers = {
            {%- for key, marker in this.markers %}
                {{ key|tojson }}: {{ marker.get_name() }},
            {%- endfor %}
            };
            document.querySelectorAll(".sitmap-events li[data-event]").forEach(function (li) {
                var marker = markers[li.getAttribute("data-event")];
                if (!marker) { return; }
                li.classList.add("sitmap-clickable");
                li.title = "show on the map";
                li.addEventListener("click", function () {
                    map.setView(marker.getLatLng(), Math.max(map.getZoom(), 5));
                    marker.openPopup();
                });
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, markers: list[tuple[str, folium.Marker]]) -> None:
        super().__init__()
        self._name = "EventIndex"
        self.markers = markers


class _Declutter(MacroElement):
    """Hides a label that would overlap a higher-priority label, a badge or a panel (after every view
    change): place labels first, then route labels, then ring labels, then area names. Zoom in to see the
    hidden ones."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var order = [
                "sitmap-place-label", "sitmap-route-label", "sitmap-ring-label", "sitmap-area-label"
            ];
            function overlaps(r, b) {
                return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
            }
            function declutter() {
                var boxes = [];
                document.querySelectorAll(
                    ".sitmap-badge, .sitmap-tray, .sitmap-side > *, .leaflet-control"
                ).forEach(function (el) { boxes.push(el.getBoundingClientRect()); });
                order.forEach(function (cls) {
                    document.querySelectorAll("." + cls).forEach(function (el) {
                        el.style.visibility = "";
                        // a place label tries the right of its point, then the left, above and below; a route
                        // label the other side of its line
                        var sides = {
                            "sitmap-place-label": ["", "west", "north", "south"],
                            "sitmap-route-label": ["", "flip"]
                        }[cls] || [""];
                        for (var i = 0; i < sides.length; i++) {
                            sides.forEach(function (s) { if (s) { el.classList.remove(s); } });
                            if (sides[i]) { el.classList.add(sides[i]); }
                            var r = el.getBoundingClientRect();
                            if (r.width === 0 && r.height === 0) { return; }
                            if (!boxes.some(function (b) { return overlaps(r, b); })) {
                                boxes.push(r);
                                return;
                            }
                        }
                        sides.forEach(function (s) { if (s) { el.classList.remove(s); } });
                        el.style.visibility = "hidden";
                    });
                });
            }
            map.on("zoomend moveend overlayadd overlayremove resize", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
            window.sitmapDeclutter = declutter;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Declutter"


class _FitBounds(MacroElement):
    """The initial view: the bounds, clear of the side panel (left) and the legend, without animation
    (a screenshot or print taken right after loading must not catch the map half-way)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            function fit(left) {
                map.invalidateSize({animate: false});
                map.fitBounds(bounds, {
                    paddingTopLeft: [left, 10], paddingBottomRight: [40, 10], maxZoom: 7, animate: false
                });
            }
            fit(440);
            // printing: the page takes the paper's size and the side panel narrows, so frame again
            window.addEventListener("beforeprint", function () { fit(320); });
            window.addEventListener("afterprint", function () { fit(440); });
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, box: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[round(v, 4) for v in corner] for corner in box]


class _PageApi(MacroElement):
    """``window.sitmap = {map, layers: {key: layer group}}``: a handle for scripts and browser tests."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.sitmap = {
            map: {{ this._parent.get_name() }},
            layers: {
            {%- for key, group in this.groups %}
                {{ key|tojson }}: {{ group.get_name() }},
            {%- endfor %}
            }
        };
        {% endmacro %}
        """
    )

    def __init__(self, groups: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "PageApi"
        self.groups = sorted(groups.items())


def _badge_icon(f: Feature) -> folium.DivIcon:
    color = f.style["color"]
    cert = f.style["certainty"]
    style = f"background:{color};border-color:{color};" + ("" if cert == "asserted" else f"color:{color};")
    ox, oy = f.style["offset"]
    html = f"<div class='sitmap-badge {cert}' style='{style}'>{esc(f.style['symbol'])}</div>"
    return folium.DivIcon(html=html, icon_size=(22, 22), icon_anchor=(-ox, -oy), class_name="sitmap-icon")


def _tray_icon(f: Feature) -> folium.DivIcon:
    """The frame of a badge group and a leader line from its point (tray-local pixel coordinates)."""
    ox, oy = f.style["offset"]
    w, h = f.style["width"], f.style["height"]
    px, py = -ox, -oy  # the point, relative to the tray's top-left corner
    ex, ey = min(max(px, 0), w), min(max(py, 0), h)
    area = f.style["area"]
    mark = (
        f"<circle cx='{px}' cy='{py}' r='5' fill='none' stroke='#333' stroke-width='1.5' "
        "stroke-dasharray='2 2'/>"
        if area
        else ""
    )
    svg = (
        f"<svg width='{w}' height='{h}'><line x1='{px}' y1='{py}' x2='{ex}' y2='{ey}' stroke='#333' "
        f"stroke-width='1.2' stroke-dasharray='{'2 2' if area else ''}'/>{mark}</svg>"
    )
    cap = f"<div class='cap'>{esc(f.label)}</div>" if f.label else ""
    html = (
        f"<div class='sitmap-tray{' area' if area else ''}' style='width:{w}px;height:{h}px'>{svg}{cap}</div>"
    )
    return folium.DivIcon(html=html, icon_size=(w, h), icon_anchor=(px, py), class_name="sitmap-icon")


def _ll(p: Any) -> list[float]:
    """A Leaflet ``[lat, lng]`` rounded to 4 decimals (~11 m; keeps the page small)."""
    return [round(float(p[0]), 4), round(float(p[1]), 4)]


def _add_feature(m: folium.Map, group: folium.FeatureGroup, f: Feature) -> folium.Marker | None:
    """Draw ``f`` into ``group``; returns the marker of an event badge (for the events panel)."""
    popup = folium.Popup(f.popup, max_width=420) if f.popup else None
    tooltip = folium.Tooltip(f.tooltip) if f.tooltip else None
    style: dict[str, Any] = {k: v for k, v in f.style.items() if v is not None}
    if f.kind == "point":
        folium.CircleMarker(location=list(f.latlngs), popup=popup, tooltip=tooltip, **style).add_to(group)
        if f.label and f.properties.get("feature") not in ("country", "region", "water"):
            html = f"<div class='sitmap-place-label'>{esc(f.label)}</div>"
            folium.Marker(
                location=list(f.latlngs),
                icon=folium.DivIcon(
                    html=html, icon_size=(0, 0), icon_anchor=(-8, 7), class_name="sitmap-icon"
                ),
                interactive=False,
            ).add_to(group)
    elif f.kind == "badge":
        marker = folium.Marker(
            location=list(f.latlngs), icon=_badge_icon(f), popup=popup, tooltip=tooltip, z_index_offset=1000
        )
        marker.add_to(group)
        return marker
    elif f.kind == "tray":
        folium.Marker(
            location=list(f.latlngs), icon=_tray_icon(f), interactive=False, z_index_offset=500
        ).add_to(group)
    elif f.kind == "label":
        cls = f.style.get("cls", "sitmap-ring-label")
        html = f"<div class='{cls}' style='color:{f.style['color']}'>{esc(f.label)}</div>"
        folium.Marker(
            location=list(f.latlngs),
            icon=folium.DivIcon(html=html, icon_size=(0, 0), class_name="sitmap-icon"),
            interactive=False,
        ).add_to(group)
    elif f.kind == "polygon" and f.layer == "areas":
        area = folium.GeoJson(f.geometry, style_function=_const_style(style), highlight_function=None)
        if tooltip is not None:
            area.add_child(tooltip)
        if popup is not None:
            area.add_child(popup)
        area.add_to(group)
    elif f.kind == "polygon":
        # one Leaflet polygon per part (the ring and its copies at ±360°), each with its holes
        for i, poly in enumerate(f.latlngs):
            locations = [[_ll(pt) for pt in ring] for ring in poly]
            folium.Polygon(
                locations=locations if len(locations) > 1 else locations[0],
                popup=folium.Popup(f.popup, max_width=420) if f.popup and i else popup,
                tooltip=folium.Tooltip(f.tooltip) if f.tooltip and i else tooltip,
                **style,
            ).add_to(group)
    elif f.kind == "outline":
        folium.PolyLine([_ll(p) for p in f.latlngs], tooltip=tooltip, **style).add_to(group)
    elif f.kind == "line":
        line = folium.PolyLine([_ll(p) for p in f.latlngs], popup=popup, tooltip=tooltip, **style)
        line.add_to(group)
        add_arrowheads(m, line, color=style.get("color", "#d95f02"))
    return None


def _const_style(style: dict[str, Any]) -> Any:
    def fn(_: Any) -> dict[str, Any]:
        return style

    return fn


def fix_ids(root: Any) -> None:
    """Give every element of a folium/branca tree a deterministic id, so output is byte-stable.

    Children registered under their own generated name (``get_name()``, which embeds the id) are
    re-registered under the new name; children registered under a chosen name keep it.
    """
    elements: list[Any] = []

    def walk(el: Any) -> None:
        elements.append(el)
        for child in list(getattr(el, "_children", {}).values()):
            walk(child)
        for attr in ("html", "header", "script"):
            sub = getattr(el, attr, None)
            if isinstance(sub, Element) and sub is not el:
                walk(sub)

    walk(root)
    generated = [
        (el, [(key, key == child.get_name()) for key, child in el._children.items()])
        for el in elements
        if getattr(el, "_children", None)
    ]
    for i, el in enumerate(elements, start=1):
        el._id = f"{i:08x}"
    for el, keys in generated:
        items = list(el._children.items())
        el._children.clear()
        for (key, child), (_, was_generated) in zip(items, keys, strict=True):
            el._children[child.get_name() if was_generated else key] = child


def render(
    analysis: Analysis, *, tiles: str | None = None, layers: Iterable[str] | None = None
) -> folium.Map:
    """Draw an analysis as a standalone :class:`folium.Map`.

    Parameters
    ----------
    analysis
        The output of :func:`geo.analyze`.
    tiles
        An online tile provider name (e.g. ``"OpenStreetMap"``) to add on top of the offline basemap; by
        default none: the map needs no network.
    layers
        Layer keys to draw (default all): ``areas``, ``rings``, ``routes``, ``places``, ``events``.
    """
    features = build_features(analysis)
    wanted = set(layers) if layers is not None else set(LAYER_TITLES)
    features = [f for f in features if f.layer in wanted]
    m = folium.Map(
        location=[20, 0],
        zoom_start=2,
        tiles=None,
        control_scale=True,
        world_copy_jump=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    make_standalone(m)
    add_basemap(m)
    if tiles:
        folium.TileLayer(tiles, name=f"{tiles} (online)", overlay=False, control=True).add_to(m)
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(RawHtml(_CSS), name="sitmap_css")
    # the versions that made this file (reproducibility): sitmap, the model, the gazetteer, the catalogue
    versions = "; ".join(f"{k} {v}" for k, v in sorted(analysis.versions.items()))
    figure.header.add_child(
        RawHtml(f'<meta name="generator" content="{esc(versions or "sitmap")}">'), name="sitmap_generator"
    )
    side = _title_html(analysis) + _events_html(analysis, features)
    # RawHtml: the side panel holds article text, which must never be compiled as a Jinja template
    figure.html.add_child(RawHtml(f"<div class='sitmap-side'>{side}</div>"), name="sitmap_title")
    groups: dict[str, folium.FeatureGroup] = {}
    counts = {key: 0 for key in LAYER_TITLES}
    for f in features:
        if f.kind in ("point", "badge", "line", "polygon") and not (
            f.layer == "rings" and f.kind != "polygon"
        ):
            counts[f.layer] += 1
    for key, title in LAYER_TITLES.items():
        if key in wanted:
            groups[key] = folium.FeatureGroup(name=f"{title} ({counts[key]})", show=True)
            groups[key].add_to(m)
    badges: list[tuple[str, folium.Marker]] = []
    for f in features:
        if f.kind == "listed":
            continue
        marker = _add_feature(m, groups[f.layer], f)
        if marker is not None:
            badges.append((str(f.properties["event_id"]), marker))
    _Legend(_legend_html(features)).add_to(m)
    _Attribution(ATTRIBUTION).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _EventIndex(badges).add_to(m)
    box = bounds(features)
    if box is not None:
        (s, w), (n, e) = box
        pad = 2.0
        _FitBounds([[s - pad, w - pad], [n + pad, e + pad]]).add_to(m)
    _PageApi(groups).add_to(m)
    _Declutter().add_to(m)
    fix_ids(m.get_root())
    return m


def notebook_html(analysis: Analysis) -> str:
    """The map of ``analysis`` as notebook HTML (an ``<iframe srcdoc>``, so the page stays self-contained).

    :mod:`maps.renderer` registers it as the display of :class:`~geo.model.Analysis` when imported.
    """
    return str(render(analysis)._repr_html_())


register_html_renderer(notebook_html)
