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
)
from .standalone import add_arrowheads, add_basemap, make_standalone

__all__ = ["ATTRIBUTION", "fix_ids", "render"]

#: Attribution shown on every map.
ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0), world-countries (ODbL), '
    "curated sites (cited per row) · sitmap"
)

_CSS = """
<style>
.sitmap-title{position:absolute;top:10px;left:54px;z-index:1000;background:rgba(255,255,255,.94);
 padding:8px 12px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:46%;
 font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#222}
.sitmap-title h1{font-size:15px;margin:0 0 3px 0}
.sitmap-title .meta{color:#555;font-size:11.5px}
.sitmap-legend{background:rgba(255,255,255,.94);padding:6px 10px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 system-ui,Arial,sans-serif;color:#222}
.sitmap-legend i{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-2px;
 border-radius:50%}
.sitmap-legend .sq{border-radius:2px}
.sitmap-legend .ln{height:0;border-top:3px solid;border-radius:0;vertical-align:3px}
.sitmap-legend .dash{border-top-style:dashed}
.sitmap-badge{display:flex;align-items:center;justify-content:center;width:22px;height:22px;border-radius:4px;
 font:bold 13px/1 system-ui,Arial,sans-serif;color:#fff;box-shadow:0 1px 3px rgba(0,0,0,.45)}
.sitmap-badge.uncertain{background:#fff !important;border:2px dashed;box-shadow:none}
.sitmap-ring-label{font:bold 11px/1.2 system-ui,Arial,sans-serif;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;transform:translate(-50%,-50%)}
.sitmap-place-label{font:11px/1.2 system-ui,Arial,sans-serif;color:#222;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff}
.leaflet-popup-content{font:12.5px/1.4 system-ui,Arial,sans-serif;max-height:320px;overflow:auto}
.leaflet-popup-content mark{background:#ffe08a;padding:0 1px}
.sitmap-evidence{padding-left:18px;margin:6px 0 0 0;color:#333}
.sitmap-reach{border-collapse:collapse;margin-top:4px}
.sitmap-reach td,.sitmap-reach th{border-bottom:1px solid #ddd;padding:1px 6px;font-size:11.5px}
@media print{.leaflet-control-layers,.leaflet-control-zoom{display:none}
 .sitmap-title,.sitmap-legend{box-shadow:none;border:1px solid #999}
 html,body{width:100%;height:100%}}
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


def _legend_html(features: list[Feature]) -> str:
    rows: list[str] = []
    feats = {(f.layer, f.properties.get("feature")) for f in features}
    for feature, color in FEATURE_COLORS.items():
        if ("places", feature) in feats:
            rows.append(f"<div><i style='background:{color}'></i>{esc(feature)}</div>")
    if any(f.layer == "areas" for f in features):
        rows.append(
            f"<div><i class='sq' style='background:{FEATURE_COLORS['country']};opacity:.45'></i>"
            "country / region mentioned</div>"
        )
    types = list(dict.fromkeys(f.properties.get("type") for f in features if f.layer == "events"))
    for t in types:
        color = EVENT_COLORS.get(str(t), "#333")
        rows.append(
            f"<div><i class='sq' style='background:{color}'></i>{esc(EVENT_SYMBOLS.get(str(t), '?'))} "
            f"{esc(str(t).replace('_', ' ').lower())}</div>"
        )
    if types:
        rows.append(
            "<div><i class='sq' style='border:2px dashed #777;width:8px;height:8px'></i>"
            "possible / planned / alleged</div>"
        )
    classes = list(dict.fromkeys(f.properties.get("class") for f in features if f.layer == "rings"))
    for c in classes:
        color = RING_COLORS.get(str(c), "#d73027")
        rows.append(
            f"<div><i style='border:2px solid {color};background:none'></i>{esc(c or 'range')} range</div>"
        )
    if any(f.layer == "routes" for f in features):
        rows.append(
            f"<div><i class='ln' style='border-color:{EVENT_COLORS['ARMS_TRANSFER']}'></i>route</div>"
        )
        rows.append(
            f"<div><i class='ln dash' style='border-color:{EVENT_COLORS['ARMS_TRANSFER']}'></i>"
            "schematic / uncertain route</div>"
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
    if doc.dateline is not None:
        dl = doc.dateline
        date = dl.date or "date unknown"
        if dl.ambiguous:
            date += f" — “{dl.raw}” is ambiguous: {dl.reason}"
        meta.append(f"Dateline: {esc(dl.place or '')} · {esc(date)}")
    if doc.source:
        meta.append(f"Source: {esc(doc.source)}")
    counts = (
        f"{len(analysis.places)} places · {len(analysis.events)} events · {len(analysis.rings)} rings · "
        f"{len(analysis.routes)} routes"
    )
    meta.append(counts)
    if not analysis.places:
        meta.append("<b>No places were found in this text.</b>")
    for w in analysis.warnings:
        meta.append(f"⚠ {esc(w)}")
    version = analysis.versions.get("sitmap", "")
    meta.append(f"sitmap {esc(version)} · click any symbol for its source sentence")
    return (
        f"<div class='sitmap-title'><h1>{esc(title)}</h1>"
        + "".join(f"<div class='meta'>{m}</div>" for m in meta)
        + "</div>"
    )


def _badge_icon(f: Feature) -> folium.DivIcon:
    color = f.style["color"]
    certain = f.style["certain"]
    cls = "sitmap-badge" + ("" if certain else " uncertain")
    style = f"background:{color};border-color:{color};" + ("" if certain else f"color:{color};")
    dx = 14 * f.style.get("stack", 0)
    html = f"<div class='{cls}' style='{style}'>{esc(f.style['symbol'])}</div>"
    return folium.DivIcon(html=html, icon_size=(22, 22), icon_anchor=(11 - dx, 32))


def _ll(p: Any) -> list[float]:
    """A Leaflet ``[lat, lng]`` rounded to 4 decimals (~11 m; keeps the page small)."""
    return [round(float(p[0]), 4), round(float(p[1]), 4)]


def _add_feature(m: folium.Map, group: folium.FeatureGroup, f: Feature) -> None:
    popup = folium.Popup(f.popup, max_width=420) if f.popup else None
    tooltip = folium.Tooltip(f.tooltip) if f.tooltip else None
    style: dict[str, Any] = {k: v for k, v in f.style.items() if v is not None}
    if f.kind == "point":
        folium.CircleMarker(location=list(f.latlngs), popup=popup, tooltip=tooltip, **style).add_to(group)
        if f.label and f.properties.get("feature") not in ("country", "region", "water"):
            html = f"<div class='sitmap-place-label'>{esc(f.label)}</div>"
            folium.Marker(
                location=list(f.latlngs),
                icon=folium.DivIcon(html=html, icon_size=(0, 0), icon_anchor=(-8, 7)),
                interactive=False,
            ).add_to(group)
    elif f.kind == "badge":
        folium.Marker(location=list(f.latlngs), icon=_badge_icon(f), popup=popup, tooltip=tooltip).add_to(
            group
        )
    elif f.kind == "label":
        html = f"<div class='sitmap-ring-label' style='color:{f.style['color']}'>{esc(f.label)}</div>"
        folium.Marker(
            location=list(f.latlngs), icon=folium.DivIcon(html=html, icon_size=(0, 0)), interactive=False
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
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=None, control_scale=True, world_copy_jump=False)
    make_standalone(m)
    add_basemap(m)
    if tiles:
        folium.TileLayer(tiles, name=f"{tiles} (online)", overlay=False, control=True).add_to(m)
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(Element(_CSS), name="sitmap_css")
    figure.html.add_child(Element(_title_html(analysis)), name="sitmap_title")
    groups: dict[str, folium.FeatureGroup] = {}
    for key, title in LAYER_TITLES.items():
        if key in wanted:
            groups[key] = folium.FeatureGroup(name=title, show=True)
            groups[key].add_to(m)
    for f in features:
        _add_feature(m, groups[f.layer], f)
    _Legend(_legend_html(features)).add_to(m)
    _Attribution(ATTRIBUTION).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    box = bounds(features)
    if box is not None:
        (s, w), (n, e) = box
        pad = 2.0
        m.fit_bounds([[s - pad, w - pad], [n + pad, e + pad]], max_zoom=7)
    fix_ids(m.get_root())
    return m
